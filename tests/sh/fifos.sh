#!/bin/bash
# fifos.sh: a named pipe where a file is expected (planted as the
# mailbox, the filter, an included file, a log, a lock or quota file)
# must not hold the delivery: runnel refuses it at once, names the path
# and what it is, and exits 75.  Every run has a timeout, so a hang is
# a failure (exit 124), not a stuck test.
. "$(dirname "$0")/lib/suite.sh" fifos

run() {	# sandbox [filter-arg]: runnel on ./f, at most 10 s
	local sb=$1
	(cd "$sb" && env -i HOME="$sb" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC SHELL=/bin/sh timeout -s KILL 10 "$RUNNEL" "${2:-./f}" \
	    <"$work/msg" >"$sb/.out" 2>"$sb/.err"; echo $?)
}

printf 'From: a@b\nSubject: x\n\nbody\n' >"$work/msg"

# refused NAME RC PATTERN...: exit RC and every pattern in stderr.
check() {
	local name=$1 sb=$2 rc=$3 want=$4
	shift 4
	local p why=
	[ "$rc" = "$want" ] || why="exit $rc, not $want"
	for p in "$@"; do
		[ -n "$why" ] || grep -q -e "$p" "$sb/.err" || why="no '$p'"
	done
	if [ -z "$why" ]; then
		pass "$name"
	else
		fail "$name" "$why: $(head -4 "$sb/.err")"
	fi
}

# The mailbox, nobody reading: open for writing would wait.
sb=$(sandbox mbox 'to "mb"\n')
mkfifo "$sb/mb"
rc=$(run "$sb")
check mbox-fifo "$sb" "$rc" 75 '^maildrop: Unable to open mailbox.$' \
    'mb: a named pipe (FIFO), not a regular file' 'regular file or a maildir'

# The same with a reader at the other end: still no delivery into it.
sb=$(sandbox mbox-read 'to "mb"\n')
mkfifo "$sb/mb"
(timeout 10 cat "$sb/mb" >"$sb/got") & reader=$!
sleep 0.2
rc=$(run "$sb")
kill $reader 2>/dev/null; wait $reader 2>/dev/null
check mbox-fifo-with-reader "$sb" "$rc" 75 'Unable to open mailbox' \
    'named pipe'
[ ! -s "$sb/got" ] || fail mbox-fifo-with-reader-wrote "$(wc -c <"$sb/got") bytes went into the pipe"

# The filter itself.
sb=$(sandbox filter 'to "mb"\n')
rm "$sb/f"; mkfifo -m 600 "$sb/f"
rc=$(run "$sb")
check filter-fifo "$sb" "$rc" 75 "^maildrop: mailfilter file isn't a regular file.$" \
    './f is a named pipe (FIFO)' 'remove ./f'

# An included file.
sb=$(sandbox include 'include "inc"\nto "mb"\n')
mkfifo "$sb/inc"
rc=$(run "$sb")
check include-fifo "$sb" "$rc" 75 '^maildrop: Unable to open include file.$' \
    'include "inc": a named pipe (FIFO)'

# --check follows includes: it must not wait either.
sb=$(sandbox check-include 'include "inc"\nto "mb"\n')
mkfifo "$sb/inc"
rc=$(cd "$sb" && timeout -s KILL 10 "$RUNNEL" --check ./f >"$sb/.out" 2>"$sb/.err"; echo $?)
if [ "$rc" != 137 ] && [ "$rc" != 124 ]; then
	pass "check-include-fifo (exit $rc)"
else
	fail check-include-fifo "--check hung on the pipe"
fi

# A log file.
sb=$(sandbox logfile 'logfile "log"\nto "mb"\n')
mkfifo "$sb/log"
rc=$(run "$sb")
check logfile-fifo "$sb" "$rc" 75 '^maildrop: Unable to create log file.$' \
    'log": a named pipe'

# A lookup file.
sb=$(sandbox lookup 'if (lookup("x", "list"))\n{\n}\nto "mb"\n')
mkfifo "$sb/list"
rc=$(run "$sb")
check lookup-fifo "$sb" "$rc" 75 'list: a named pipe'

# An flock file.
sb=$(sandbox flock 'flock "fl" {\n`true`\n}\nto "mb"\n')
mkfifo "$sb/fl"
rc=$(run "$sb")
check flock-fifo "$sb" "$rc" 75 '^maildrop: Unable to create flock file.$' \
    'fl: a named pipe'

# A gdbm database: the open fails (-1), the delivery goes on.
sb=$(sandbox gdbm 'R=gdbmopen("db")\necho "R=$R"\nto "mb"\n')
mkfifo "$sb/db"
rc=$(run "$sb")
if [ "$rc" = 0 ] && grep -q '^R=-1$' "$sb/.out"; then
	pass gdbm-fifo
else
	fail gdbm-fifo "exit $rc: $(cat "$sb/.out" "$sb/.err" | head -3)"
fi

# A maildir's maildirsize: quota bookkeeping must not wait on it.
sb=$(sandbox quota 'to "M/"\n')
mkfifo "$sb/M/maildirsize"
rc=$(cd "$sb" && env -i HOME="$sb" LOGNAME=runnel-test PATH=/usr/bin:/bin \
    TZ=UTC SHELL=/bin/sh MAILDIRQUOTA=1000000S timeout -s KILL 10 \
    "$RUNNEL" ./f <"$work/msg" >"$sb/.out" 2>"$sb/.err"; echo $?)
if [ "$rc" != 137 ] && [ "$rc" != 124 ]; then
	pass "maildirsize-fifo (exit $rc)"
else
	fail maildirsize-fifo "hung on the pipe"
fi
