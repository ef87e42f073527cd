#!/bin/bash
# hazards.sh: what an MTA's environment can do to a delivery, and what
# must still hold (mail whole and durable, or exit 75):
#   - stdin, stdout or stderr closed at start;
#   - a file size limit (RLIMIT_FSIZE) smaller than the message;
#   - a fatal signal while a delivery command is reading the message,
#     or a command past its deadline that ignores SIGTERM;
#   - a new mbox file, whose name must be on disk too.
. "$(dirname "$0")/lib/suite.sh" hazards
SO=$BUILD/tests/preload/fault.so

msg=$work/msg
printf 'From: a@example.com\nSubject: hi\n\nbody\n' >"$msg"

# stdout closed: the log file must not become fd 1 and take echo's text.
sb=$(sandbox stdout 'logfile "log"\necho "ECHOED"\nto "M"\n')
(runnel_in "$sb") <"$msg" >&- 2>"$sb/.err"
rc=$?
if [ "$rc" = 0 ] && ! grep -q ECHOED "$sb/log" &&
    [ "$(find "$sb/M/new" -type f | wc -l)" = 1 ]; then
	pass "stdout-closed-echo-not-in-log"
else
	fail stdout-closed-echo-not-in-log "exit $rc, log: $(cat "$sb/log")"
fi

# stderr closed: the mbox (or the log) must not become fd 2 and take
# error lines.  The log holds the error's record once, as it is written
# there on purpose (DIFFERENCES.md B22).
sb=$(sandbox stderr 'cc "mb"\nlogfile "log"\nxfilter "exit 3"\n')
(runnel_in "$sb") <"$msg" >/dev/null 2>&-
rc=$?
if [ "$rc" = 75 ] && ! grep -q 'maildrop:' "$sb/mb" &&
    [ "$(grep -c '^maildrop: ' "$sb/log")" = 1 ]; then
	pass "stderr-closed-errors-not-in-files"
else
	fail stderr-closed-errors-not-in-files "exit $rc, log: $(cat "$sb/log")"
fi

# stdin closed: no message, not an empty one (which would be "delivered").
sb=$(sandbox stdin 'to "M"\n')
(runnel_in "$sb") <&- >/dev/null 2>"$sb/.err"
rc=$?
if [ "$rc" = 75 ] && grep -q 'Unable to read message' "$sb/.err"; then
	pass "stdin-closed-75"
else
	fail stdin-closed-75 "exit $rc: $(cat "$sb/.err")"
fi

# A file size limit: the write fails with EFBIG (no SIGXFSZ death), the
# mbox is cut back, the dot-lock goes, and the exit is 75.
sb=$(sandbox fsize 'to "mb"\n')
head -c 9000 /dev/zero | tr '\0' 'o' >"$sb/mb"
cp "$sb/mb" "$sb/mb.before"
{ printf 'Subject: big\n\n'; head -c 3000 /dev/zero | tr '\0' 'x' | fold -w 70; } >"$sb/big"
(ulimit -f 10; runnel_in "$sb") <"$sb/big" >/dev/null 2>"$sb/.err"
rc=$?
if [ "$rc" = 75 ] && cmp -s "$sb/mb" "$sb/mb.before" && [ ! -e "$sb/mb.lock" ]; then
	pass "fsize-limit-mbox-75-unchanged"
else
	fail fsize-limit-mbox-75-unchanged "exit $rc, mbox $(wc -c <"$sb/mb") bytes, $(cat "$sb/.err")"
fi

# The same limit met while spooling a large message to the temp file.
sb=$(sandbox fsize-spool 'to "M"\n')
{ printf 'Subject: big\n\n'; head -c 300000 /dev/zero | tr '\0' 'x' | fold -w 70; } >"$sb/big"
(ulimit -f 100; runnel_in "$sb") <"$sb/big" >/dev/null 2>"$sb/.err"
rc=$?
if [ "$rc" = 75 ] && [ -z "$(find "$sb/M" -type f)" ]; then
	pass "fsize-limit-spool-75"
else
	fail fsize-limit-spool-75 "exit $rc: $(cat "$sb/.err")"
fi

# SIGTERM while a delivery command is still reading the message: the
# command must not be left to see end-of-file and take the cut message
# as whole (the MTA retries; a torn copy would be delivered already).
sb=$(sandbox sigterm 'to "|sleep 2; cat > out; echo done > st"\n')
{ printf 'Subject: big\n\n'; head -c 1000000 /dev/zero | tr '\0' 'x' | fold -w 70; } >"$sb/big"
(runnel_in "$sb") <"$sb/big" >/dev/null 2>"$sb/.err" &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
rc=$?
sleep 2.5
if [ "$rc" = 75 ] && [ ! -e "$sb/st" ]; then
	pass "sigterm-kills-reading-command"
else
	fail sigterm-kills-reading-command "exit $rc, the command went on: out has $(wc -c <"$sb/out" 2>/dev/null) bytes"
fi

# A new mbox: its directory is synced after the file, or a crash could
# lose the name and with it the message just acknowledged.
sb=$(sandbox newmbox 'to "d/mb"\n')
mkdir "$sb/d"
if [ -f "$SO" ]; then
	(runnel_in "$sb" LD_PRELOAD="$SO" FAULT_TRACE="$sb/.trace") <"$msg" >/dev/null 2>"$sb/.err"
	rc=$?
	# "open d" then "fsync fd N" of that descriptor, after the file's fsync.
	synced=$(awk '$2 == "fsync" && !file { file = 1; next }
	    file && $2 == "open" && $3 == "d" { dir = 1; next }
	    dir && $2 == "fsync" { ok = 1 } END { print ok + 0 }' "$sb/.trace")
	if [ "$rc" = 0 ] && [ "$synced" = 1 ]; then
		pass "new-mbox-directory-synced"
	else
		fail new-mbox-directory-synced "exit $rc; calls: $(tr '\n' ';' <"$sb/.trace")"
	fi
else
	skip new-mbox-directory-synced "$SO not built"
fi

# A command that ignores SIGTERM, killed at its deadline: its stdin must
# stay open until it is dead, or it reads the rest of the pipe, sees
# end-of-file and delivers a cut message during the grace period.
sb=$(sandbox deadline "to \"|trap '' TERM; sleep 1.5; cat > out; echo done > st\"\\n")
{ printf 'Subject: big\n\n'; head -c 1000000 /dev/zero | tr '\0' 'x' | fold -w 70; } >"$sb/big"
(runnel_in "$sb" RUNNEL_CHILD_TIMEOUT=1) <"$sb/big" >/dev/null 2>"$sb/.err"
rc=$?
if [ "$rc" = 75 ] && [ ! -e "$sb/st" ]; then
	pass "deadline-kill-before-eof"
else
	fail deadline-kill-before-eof "exit $rc, the command went on: out has $(wc -c <"$sb/out" 2>/dev/null) bytes"
fi
