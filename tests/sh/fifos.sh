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

# name | filter | the path made a named pipe | exit | what stderr holds...
# (the mailbox, nobody reading: an open for writing would wait; the
# filter itself; an included file; a log, lookup, flock file; a gdbm
# database, whose open answers -1 while delivery goes on)
cases=(
'mbox-fifo|to "mb"\n|mb|75|^maildrop: Unable to open mailbox.$|mb: a named pipe (FIFO), not a regular file|regular file or a maildir'
"filter-fifo|to \"mb\"\\n|f|75|^maildrop: mailfilter file isn't a regular file.\$|./f is a named pipe (FIFO)|remove ./f"
'include-fifo|include "inc"\nto "mb"\n|inc|75|^maildrop: Unable to open include file.$|include "inc": a named pipe (FIFO)'
'logfile-fifo|logfile "log"\nto "mb"\n|log|75|^maildrop: Unable to create log file.$|log": a named pipe'
'lookup-fifo|if (lookup("x", "list"))\n{\n}\nto "mb"\n|list|75|list: a named pipe'
'flock-fifo|flock "fl" {\n`true`\n}\nto "mb"\n|fl|75|^maildrop: Unable to create flock file.$|fl: a named pipe'
'gdbm-fifo|R=gdbmopen("db")\necho "R=$R"\nto "mb"\n|db|0|gdbmopen: db: a named pipe'
)
for c in "${cases[@]}"; do
	IFS='|' read -r -a f <<<"$c"
	sb=$(sandbox "${f[0]}" "${f[1]}")
	rm -f "$sb/${f[2]}"
	mkfifo -m 600 "$sb/${f[2]}"
	rc=$(run "$sb")
	check "${f[0]}" "$sb" "$rc" "${f[3]}" "${f[@]:4}"
done

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

# --check follows includes: it must not wait either.
sb=$(sandbox check-include 'include "inc"\nto "mb"\n')
mkfifo "$sb/inc"
rc=$(cd "$sb" && timeout -s KILL 10 "$RUNNEL" --check ./f >"$sb/.out" 2>"$sb/.err"; echo $?)
if [ "$rc" != 137 ] && [ "$rc" != 124 ]; then
	pass "check-include-fifo (exit $rc)"
else
	fail check-include-fifo "--check hung on the pipe"
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
