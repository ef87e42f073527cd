#!/bin/bash
# syslog.sh: in delivery mode runnel leaves one line per message in the
# system log, facility mail (README, "The mail log").  runnel runs in a
# private mount namespace whose /dev holds a datagram socket of this
# test as /dev/log, so what reaches the log is read back exactly and the
# machine's own log is not touched.
. "$(dirname "$0")/lib/suite.sh" syslog

other_users "a test user"
if ! command -v unshare >/dev/null || ! unshare -m true 2>/dev/null; then
	skip_suite "needs unshare -m (a private mount namespace)"
fi
if ! command -v python3 >/dev/null; then
	skip_suite "needs python3 for the log socket"
fi
u=rnlg$$
at_exit='drop_users "$u"'
mkdir -p "$work/home/Maildir/"{tmp,new,cur} "$work/dev" "$work/etc"
useradd -M -d "$work/home" -s /bin/sh "$u" || { fail setup "useradd failed"; exit 0; }
chown -R "$u:" "$work/home"

# The log socket: each datagram one line of $work/log.
python3 - "$work/dev/log" "$work/log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
import os; os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536).replace(b"\n", b"\\n") + b"\n")
PY
for i in $(seq 50); do [ -S "$work/dev/log" ] && break; sleep 0.1; done
[ -S "$work/dev/log" ] || { fail setup "the log socket did not appear"; exit 0; }
for n in null zero urandom; do : >"$work/dev/$n"; done

# logged ENV-AND-ARGS...: run runnel in the namespace with the message
# $work/msg; sets RC, ERR and LINES (what reached the log, this run only).
logged() {
	local before
	before=$(wc -l <"$work/log" 2>/dev/null || echo 0)
	ERR=$(unshare -m sh -c '
	    for n in null zero urandom; do mount --bind /dev/$n "$1/dev/$n"; done
	    mount --bind "$1/dev" /dev && shift && exec "$@"' sh "$work" \
	    env -i PATH=/usr/bin:/bin RUNNEL_SYSCONFDIR="$work/etc" "$@" \
	    <"$work/msg" 2>&1)
	RC=$?
	sleep 0.2
	LINES=$(tail -n +"$((before + 1))" "$work/log" 2>/dev/null)
	[ -n "${SHOW:-}" ] && printf "%s\n" "$LINES" >&2
}
filter() {
	printf '%s\n' "$1" >"$work/home/.mailfilter"
	chown "$u:" "$work/home/.mailfilter"
	chmod 600 "$work/home/.mailfilter"
}
printf 'From: a@example.com\nMessage-ID: <m1.2@example.com>\nSubject: t\n\nhi\n' >"$work/msg"
size=$(wc -c <"$work/msg")

# 1. A delivery: one line, facility mail, priority info (<22>), with the
# user, the Message-ID, the size, the mailbox and the status.
filter 'to "Maildir/"'
logged "$RUNNEL" -d "$u"
want="runnel\[[0-9]+\]: user=$u, msgid=<m1\.2@example\.com>, size=$size, delivered to Maildir/, status=0\$"
if [ "$RC" != 0 ]; then fail delivered "exit $RC" "$ERR"
elif [ "$(printf '%s\n' "$LINES" | grep -c .)" != 1 ] ||
    ! printf '%s' "$LINES" | grep -Eq "^<22>.*$want"; then
	fail delivered "want one line <22>...$want" "got: $LINES"
else pass delivered; fi

# 2. Two mailboxes: both named, in order.
filter 'cc "Maildir/"
to "mbox"'
logged "$RUNNEL" -d "$u"
if [ "$RC" = 0 ] && printf '%s' "$LINES" | grep -q 'delivered to Maildir/, mbox, status=0$'; then
	pass two-mailboxes
else fail two-mailboxes "exit $RC" "got: $LINES" "$ERR"; fi

# 3. A failure: warning (<20>), maildrop's error line, status 75.
filter 'to "/nonexistent/dir/mbox"'
logged "$RUNNEL" -d "$u"
if [ "$RC" = 75 ] && printf '%s' "$LINES" |
    grep -Eq "^<20>.*user=$u, .*error: .*status=75\$"; then
	pass failed
else fail failed "exit $RC" "got: $LINES" "$ERR"; fi

# 4. An unknown user still leaves its line.
logged "$RUNNEL" -d "nosuch$$"
if [ "$RC" = 67 ] && printf '%s' "$LINES" | grep -q "user=nosuch$$, .*status=67\$"; then
	pass unknown-user
else fail unknown-user "exit $RC" "got: $LINES"; fi

# 5. Hostile header bytes cannot forge a line or reach a terminal.
printf 'From: a@example.com\nMessage-ID: <x\033[2J\r status=0 forged>\nSubject: t\n\nhi\n' >"$work/msg"
filter 'to "Maildir/"'
logged "$RUNNEL" -d "$u"
if [ "$RC" = 0 ] && [ "$(printf '%s\n' "$LINES" | grep -c .)" = 1 ] &&
    printf '%s' "$LINES" | grep -q 'msgid=<x?\[2J? status=0 forged>' &&
    ! printf '%s' "$LINES" | LC_ALL=C grep -q "$(printf '\033')"; then
	pass hostile-msgid
else fail hostile-msgid "exit $RC" "got: $(printf '%s' "$LINES" | od -c | head -5)"; fi
printf 'From: a@example.com\nSubject: t\n\nhi\n' >"$work/msg"

# 6. Manual mode logs nothing unless asked; RUNNEL_SYSLOG=0 turns delivery
# mode's line off.
printf 'to "%s/manual-mbox"\n' "$work" >"$work/f"
chmod 600 "$work/f"
logged "$RUNNEL" "$work/f"
if [ "$RC" = 0 ] && [ -z "$LINES" ]; then pass manual-quiet
else fail manual-quiet "exit $RC" "got: $LINES" "$ERR"; fi
logged RUNNEL_SYSLOG=1 "$RUNNEL" "$work/f"
if [ "$RC" = 0 ] && printf '%s' "$LINES" | grep -q "manual-mbox, status=0\$"; then
	pass manual-asked
else fail manual-asked "exit $RC" "got: $LINES" "$ERR"; fi
logged RUNNEL_SYSLOG=0 "$RUNNEL" -d "$u"
if [ "$RC" = 0 ] && [ -z "$LINES" ]; then pass delivery-off
else fail delivery-off "exit $RC" "got: $LINES" "$ERR"; fi

# 7. A dry run delivers nothing and logs nothing.
logged "$RUNNEL" --dry-run -d "$u"
if [ -z "$LINES" ]; then pass dry-run-quiet
else fail dry-run-quiet "got: $LINES"; fi
