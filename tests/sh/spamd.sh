# spamd.sh: the SpamAssassin recipe of examples/spamassassin.mailfilter,
# run as written against a real spamd: GTUBE goes to .spam/, a clean
# message to the inbox through DEFAULT, and with spamd down spamc hands
# the message back unchanged so it still reaches the inbox.
#
# spamd listens on 127.0.0.1:783, spamc's default, so the recipe runs
# exactly as written.  When 783 is taken (another test run), spamd gets a
# free port and the recipe's spamc line gains "-p PORT"; the test says so.
. "$(dirname "$0")/lib/suite.sh" spamd

need_commands "spamd spamc" spamd spamc
if ! runnel_ready; then
	skip_suite "runnel cannot run a filter yet: $ERR"
fi

# spamd drops to nobody, who must reach its files: not under $WORK.
S=$(mktemp -d /tmp/runnel-spamd.XXXXXX)
mkdir -p "$S/site" "$S/home"
cp /etc/spamassassin/*.pre "$S/site/" 2>/dev/null
chmod -R a+rX "$S"
chown nobody "$S/home" 2>/dev/null
SPAMD_PID=
# spamd and its children, which keep the listening socket open and would
# go on answering if only the parent went away; then wait for the port.
stop_spamd() {
	local pids
	[ -n "$SPAMD_PID" ] || return 0
	pids="$SPAMD_PID $(pgrep -P "$SPAMD_PID" 2>/dev/null | tr '\n' ' ')"
	kill $pids 2>/dev/null
	for _ in $(seq 50); do
		kill -0 $pids 2>/dev/null || break
		sleep 0.1
	done
	kill -9 $pids 2>/dev/null
	for _ in $(seq 100); do
		port_free "$PORT" && break
		sleep 0.1
	done
	SPAMD_PID=
}
trap 'stop_spamd; rm -rf "$work" "$S"' EXIT

port_free() { ! ss -ltn 2>/dev/null | awk '{ print $4 }' | grep -q ":$1\$"; }
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

PORT=783
port_free 783 || PORT=$(free_port)
# Local tests only (-L), no user config, its own site config and home.
timeout 60 spamd -L --listen="127.0.0.1:$PORT" --pidfile="$S/pid" -d \
    --siteconfigpath="$S/site" --nouser-config -x --username=nobody \
    --helper-home-dir="$S/home" --max-children=1 --syslog=stderr \
    2>"$S/log"
rc=$?
SPAMD_PID=$(cat "$S/pid" 2>/dev/null)
up=no
if [ $rc = 0 ] && [ -n "$SPAMD_PID" ]; then
	for _ in $(seq 120); do
		if spamc -p "$PORT" -K >/dev/null 2>&1; then up=yes; break; fi
		sleep 0.5
	done
fi
if [ $up = no ]; then
	skip_suite "spamd did not start (exit $rc): $(tail -3 "$S/log" |
	    tr '\n' ' ')"
fi

recipe=$(cat examples/spamassassin.mailfilter)
if [ "$PORT" != 783 ]; then
	echo "  port 783 is in use; the recipe's spamc runs with -p $PORT"
	recipe=$(printf '%s\n' "$recipe" |
	    sed "s#xfilter \"/usr/bin/spamc\"#xfilter \"/usr/bin/spamc -p $PORT\"#")
fi
# The only lines added before the recipe: where the maildir is.
setup() { printf 'MAILDIR="%s/Maildir"\nDEFAULT="$MAILDIR/"\n' "$D"; }

maildirs() {
	mkdir -p "$D/Maildir/cur" "$D/Maildir/new" "$D/Maildir/tmp" \
	    "$D/Maildir/.spam/cur" "$D/Maildir/.spam/new" "$D/Maildir/.spam/tmp"
}
count() { find "$1" -type f | wc -l; }

newdir gtube; maildirs
cp examples/messages/gtube.eml "$D/m"
run "$(setup)
$recipe" "$D/m"
f=$(find "$D/Maildir/.spam/new" -type f | head -1)
expect gtube-goes-to-spam-folder "$([ "$RC" = 0 ] &&
    [ "$(count "$D/Maildir/.spam/new")" = 1 ] &&
    [ "$(count "$D/Maildir/new")" = 0 ] &&
    grep -q '^X-Spam-Flag: YES' "$f"; echo $?)" \
    "spam folder: $(count "$D/Maildir/.spam/new"), inbox: $(count "$D/Maildir/new")"

newdir clean; maildirs
cp examples/messages/boss.eml "$D/m"
run "$(setup)
$recipe" "$D/m"
f=$(find "$D/Maildir/new" -type f | head -1)
expect clean-goes-to-inbox-checked "$([ "$RC" = 0 ] &&
    [ "$(count "$D/Maildir/new")" = 1 ] &&
    [ "$(count "$D/Maildir/.spam/new")" = 0 ] &&
    grep -q '^X-Spam-Status: No' "$f"; echo $?)" \
    "inbox: $(count "$D/Maildir/new"), spam: $(count "$D/Maildir/.spam/new")"

stop_spamd
newdir down; maildirs
cp examples/messages/gtube.eml "$D/m"
run "$(setup)
$recipe" "$D/m"
f=$(find "$D/Maildir/new" -type f | head -1)
expect down-message-passes-unchanged "$([ "$RC" = 0 ] &&
    [ "$(count "$D/Maildir/new")" = 1 ] && cmp -s "$D/m" "$f"; echo $?)" \
    "inbox: $(count "$D/Maildir/new"), spam: $(count "$D/Maildir/.spam/new"), port $PORT free: $(port_free "$PORT" && echo yes || echo no)"
