#!/bin/bash
# clamav.sh: the ClamAV recipe of examples/clamav.mailfilter, run as
# written against a real clamd (Debian's clamav-daemon) on a private unix
# socket, with a signature database of one EICAR signature made here: no
# freshclam, no network.  EICAR, attached or in the body, goes to
# .virus/; a clean message to the inbox through DEFAULT; with clamd
# stopped the message is deferred (exit 75 and a line saying why),
# nothing written.
. "$(dirname "$0")/lib/suite.sh" clamav

need_commands "clamav-daemon clamdscan" clamd clamdscan
if ! runnel_ready; then
	skip_suite "runnel cannot run a filter yet: $ERR"
fi

# The EICAR test string, as an .ndb body signature on any file type.
eicar='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
S=$work/clamd
mkdir -p "$S/db" "$S/tmp"
printf 'Runnel.Test.EICAR:0:*:%s\n' \
    "$(printf '%s' "$eicar" | od -An -tx1 | tr -d ' \n')" >"$S/db/test.ndb"
cat >"$S/clamd.conf" <<CONF
LocalSocket $S/clamd.sock
DatabaseDirectory $S/db
TemporaryDirectory $S/tmp
PidFile $S/clamd.pid
LogFile $S/clamd.log
Foreground yes
Bytecode no
ScanMail yes
CONF
clamd --config-file="$S/clamd.conf" >"$S/out" 2>&1 &
CLAMD_PID=$!
stop_clamd() {
	[ -n "$CLAMD_PID" ] || return 0
	kill "$CLAMD_PID" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$CLAMD_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$CLAMD_PID" 2>/dev/null
	wait "$CLAMD_PID" 2>/dev/null
	CLAMD_PID=
}
trap 'stop_clamd; chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
up=no
for _ in $(seq 120); do
	kill -0 "$CLAMD_PID" 2>/dev/null || break
	if clamdscan --config-file="$S/clamd.conf" --ping 1 >/dev/null 2>&1; then
		up=yes; break
	fi
	sleep 0.5
done
if [ $up = no ]; then
	skip_suite "clamd did not start: $(tail -3 "$S/out" "$S/clamd.log" 2>/dev/null |
	    tr '\n' ' ')"
fi

# The recipe as written; only clamdscan is pointed at this clamd.
recipe=$(sed "s#/usr/bin/clamdscan #/usr/bin/clamdscan --config-file=$S/clamd.conf #" \
    "$top/examples/clamav.mailfilter")
if ! printf '%s\n' "$recipe" | grep -q -- "--config-file=$S/clamd.conf"; then
	fail recipe "examples/clamav.mailfilter has no /usr/bin/clamdscan line"
	exit 0
fi
setup() { printf 'MAILDIR="%s/Maildir"\nDEFAULT="$MAILDIR/"\n' "$D"; }
maildirs() {
	mkdir -p "$D/Maildir/"{cur,new,tmp} "$D/Maildir/.virus/"{cur,new,tmp}
}
count() { find "$1" -type f | wc -l; }
# delivered WHERE: exit 0 and the one message, unchanged, in WHERE only
delivered() {
	local f
	f=$(find "$D/Maildir/$1/new" -type f | head -1)
	[ "$RC" = 0 ] && [ "$(count "$D/Maildir")" = 1 ] && [ -n "$f" ] &&
	    cmp -s "$D/m" "$f"
	echo $?
}
where() { echo "inbox: $(count "$D/Maildir/new"), virus: $(count "$D/Maildir/.virus/new")"; }

newdir attached; maildirs
printf 'From: Ann <ann@example.com>\nTo: bob@example.net\nSubject: the file\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nsee attached\n--b\nContent-Type: application/octet-stream; name="e.com"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="e.com"\n\n%s\n--b--\n' \
    "$(printf '%s' "$eicar" | base64 -w0)" >"$D/m"
run "$(setup)
$recipe" "$D/m"
expect eicar-attached-goes-to-virus "$(delivered .virus)" "$(where)"

newdir body; maildirs
printf 'From: Ann <ann@example.com>\nSubject: plain\n\n%s\n' "$eicar" >"$D/m"
run "$(setup)
$recipe" "$D/m"
expect eicar-body-goes-to-virus "$(delivered .virus)" "$(where)"

newdir clean; maildirs
cp "$top/examples/messages/boss.eml" "$D/m"
run "$(setup)
$recipe" "$D/m"
expect clean-goes-to-inbox "$(delivered "")" "$(where)"

stop_clamd
newdir down; maildirs
printf 'From: Ann <ann@example.com>\nSubject: plain\n\n%s\n' "$eicar" >"$D/m"
run "$(setup)
$recipe" "$D/m"
expect clamd-down-defers "$([ "$RC" = 75 ] && [ "$(count "$D/Maildir")" = 0 ] &&
    printf '%s\n' "$OUT" | grep -q 'could not scan the message.*deferred'
    echo $?)" "$(where)"
