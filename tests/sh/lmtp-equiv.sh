#!/bin/bash
# lmtp-equiv.sh: a delivery through LMTP is the delivery `-d user` makes.
# Every golden and diff case that can run as a user's .mailfilter runs
# twice in the same sandbox, as that user's home: once as
# `runnel -d user -f sender < message`, once as RCPT TO:<user> through
# `runnel --listen unix:... --no-envelope-headers`.  The files left must be
# the same, and the LMTP reply must be the one the exit status maps to
# (README "Running as an LMTP service").  The script re-runs itself in a
# private mount namespace with a tmpfs over /var/mail, since a filter's
# default mailbox is /var/mail/USER.
#
# Left out, with the count printed: cases with `args` or `env` (command
# line options and a caller's environment have no LMTP form), with
# `argv` words, whose filter names $SANDBOX (delivery mode imports no
# environment), and whose message has CR bytes or no final newline (LMTP
# carries lines, so those bytes cannot arrive unchanged).  EQUIV_ONLY, a
# Python pattern, runs only the cases whose "golden/NAME" or
# "diff/NAME" it matches.
. "$(dirname "$0")/lib/suite.sh" lmtp-equiv
PRE=$BUILD/tests/preload/fakepw.so
SEND=$BUILD/tests/helpers/lmtp_send

[ -f "$PRE" ] || skip_suite "$PRE is not built"
[ -x "$SEND" ] || skip_suite "$SEND is not built"
command -v python3 >/dev/null || skip_suite "python3 lists the files a delivery left"
if [ -z "${EQUIV_NS:-}" ]; then
	if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
		skip_suite "needs root and unshare -m (a private /var/mail for the filters' default mailbox)"
	fi
	env EQUIV_NS=1 RUNNEL="$RUNNEL" BUILD="$BUILD" WORK="$work" \
	    unshare -m --propagation private bash "$0"
	exit
fi
mount -t tmpfs tmpfs /var/mail || { fail setup "cannot mount a tmpfs on /var/mail"; exit 0; }
mkdir -p "$work/etc"
env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 TZ=UTC \
    LD_PRELOAD="$PRE" FAKEPW_NAME=runnel-test FAKEPW_HOME="$work/home" \
    RUNNEL_SYSCONFDIR="$work/etc" \
    ${RUNNEL_ASAN:+ASAN_OPTIONS=verify_asan_link_order=0} \
    "$RUNNEL" --listen "unix:$work/sock" --no-envelope-headers 2>/dev/null &
for i in $(seq 50); do [ -S "$work/sock" ] && break; sleep 0.1; done

# One process drives the cases: a few hundred of them, each two
# deliveries, and little else should start a process.
python3 - "$top" "$work" "$RUNNEL" "$PRE" "$SEND" <<'EOF'
import glob, hashlib, os, re, shutil, stat, subprocess, sys

top, work, runnel, pre, send = sys.argv[1:6]
only = os.environ.get("EQUIV_ONLY")	# a pattern on "diff/NAME"
sb = os.path.join(work, "home")
env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
       "TZ": "UTC", "LD_PRELOAD": pre, "FAKEPW_NAME": "runnel-test",
       "FAKEPW_HOME": sb, "RUNNEL_SYSCONFDIR": os.path.join(work, "etc")}
if os.environ.get("RUNNEL_ASAN"):
    env["ASAN_OPTIONS"] = "verify_asan_link_order=0"
# what differs between two runs of a case: times, dot-lock process ids
mask = os.path.join(top, "tests", "sh", "lib", "mask.sed")
Q = subprocess.DEVNULL

def wipe(path):
    def unlock(fn, p, exc):
        os.chmod(os.path.dirname(p), 0o755)
        os.chmod(p, 0o755) if os.path.isdir(p) else None
        fn(p)
    shutil.rmtree(path, onerror=unlock)

def prepare(case):
    if os.path.lexists(sb):
        wipe(sb)
    for f in os.listdir("/var/mail"):
        os.unlink(os.path.join("/var/mail", f))
    os.mkdir(sb)
    os.chmod(sb, 0o755)
    shutil.copy(os.path.join(case, "filter"), os.path.join(sb, ".mailfilter"))
    os.chmod(os.path.join(sb, ".mailfilter"), 0o600)
    setup = os.path.join(case, "setup")
    if os.path.exists(setup):
        e = dict(os.environ, HOME=sb, CASE=case)
        return subprocess.run(["sh", setup], cwd=sb, env=e, stdout=Q,
                              stderr=Q).returncode == 0
    return True

# path (maildir names as MSG), mode, size, sha256 (of the text masked
# by lib/mask.sed) of every file left in the home and in /var/mail
def tree():
    rows = []
    for top_ in (sb, "/var/mail"):
        for d, dirs, files in os.walk(top_):
            for f in files:
                p = os.path.join(d, f)
                rel = os.path.relpath(p, sb) if top_ == sb else p
                if rel.startswith(".runnel-"):
                    continue
                st = os.lstat(p)
                data = b""
                if stat.S_ISREG(st.st_mode):
                    with open(p, "rb") as fh:
                        data = fh.read()
                if data:
                    data = subprocess.run(["sed", "-E", "-f", mask],
                                          input=data, stdout=subprocess.PIPE,
                                          check=True).stdout
                h = hashlib.sha256(data).hexdigest()
                size = len(data) if stat.S_ISREG(st.st_mode) else st.st_size
                rel = re.sub(r"/(new|cur|tmp|courierimapkeywords)/[^/:]+",
                             r"/\1/MSG", rel)
                rows.append("%s %o %d %s" % (rel, stat.S_IMODE(st.st_mode),
                                             size, h[:16]))
    return sorted(rows)

def want(rc, killed):
    return "250" if rc == 0 and not killed else \
        "451" if killed or rc in (71, 75) else "550"

same = left = failed = 0
cases = sorted(glob.glob(top + "/tests/golden/*/")) + \
    sorted(glob.glob(top + "/tests/diff/*/"))
for case in cases:
    case = case.rstrip("/")
    name = "/".join(case.split("/")[-2:])
    if only and not re.search(only, name):
        continue
    msg = os.path.join(case, "message")
    data = open(msg, "rb").read() if os.path.exists(msg) else b""
    if any(os.path.exists(os.path.join(case, f)) for f in
           ("args", "env", "argv")) or b"SANDBOX" in \
           open(os.path.join(case, "filter"), "rb").read() or \
           not data or b"\r" in data or not data.endswith(b"\n"):
        left += 1
        continue
    if not prepare(case):
        left += 1
        continue
    r = subprocess.run([runnel, "-d", "runnel-test", "-f", "ann@example.com"],
                       stdin=open(msg, "rb"), cwd="/", env=env, stdout=Q,
                       stderr=Q)
    rc, killed = abs(r.returncode), r.returncode < 0
    t1 = tree()
    prepare(case)
    r = subprocess.run([send, "-f", "ann@example.com", "-r",
                        "runnel-test@example.com", "-m", msg,
                        "unix:" + os.path.join(work, "sock")],
                       stdout=subprocess.PIPE, stderr=Q)
    reply = (r.stdout.decode("utf-8", "replace").splitlines() or [""])[0]
    m = re.search(r"\b([245][0-9][0-9]) ", reply)
    got = m.group(1) if m else "none"
    t2 = tree()
    if t1 != t2 or got != want(rc, killed):
        failed += 1
        print("FAIL lmtp-equiv %s: -d exit %d, LMTP reply %s" % (name, rc, reply))
        for l in sorted(set(t1) ^ set(t2))[:8]:
            print("  " + ("-d:   " if l in t1 else "lmtp: ") + l)
    else:
        same += 1
    sys.stdout.flush()
if failed == 0 and same > 0:
    print("PASS lmtp-equiv cases: %d cases give the same files and outcome "
          "through -d and LMTP (%d left out)" % (same, left))
elif same == 0 and failed == 0:
    print("FAIL lmtp-equiv cases: no case ran")
EOF
kill %1 2>/dev/null
wait
