#!/bin/bash
# kill-trials.sh: kill deliveries mid-way, at random moments and at every
# file-system call, and check what the next delivery finds.
#
# SIGKILL (nothing can clean up):
#   maildir: new/ and cur/ hold nothing or the whole message, never part
#     of it.  A partial file may stay in tmp/ (maildir readers remove tmp/
#     files older than 36 hours); that is counted, not failed.
#   mbox: the killed run may leave part of the message at the end, and
#     its journal (MBOX.runnel-journal, see deliver_mbox.c).  The next
#     delivery breaks the dead process's dot-lock at once, finds the
#     journal and cuts the mailbox back to the size it recorded (the
#     killed run never reported success, so the MTA delivers that message
#     again).  After the next delivery the mailbox must be: the old
#     bytes, [the whole killed message, if the killed run had finished],
#     the next message; and no journal may be left.  Every other trial
#     also removes the dot-lock before the next delivery, as a power loss
#     or another program breaking it as stale would: the journal alone
#     must then do the repair.
#   Each is tried with the message on a file and on a pipe.
# SIGTERM (the runner's handler runs cleanup_run()): as above, and
#   tmp/ must be empty and no dot-lock may be left.
# Every call (tests/preload/fault.so, FAULT_KILL): a message of several
#   writes is delivered once per counted call (open, write, fsync,
#   unlink, ftruncate, ...), SIGKILLed just before that call or half way
#   through it (a write of half its bytes), and the same invariant must
#   hold after the next delivery.
. "$(dirname "$0")/lib/suite.sh" kill-trials
. "$(dirname "$0")/lib/case.sh"
TRIALS=${TRIALS:-5}

big=$work/big
{
	printf 'From: a@example.com\nSubject: big\n\n'
	head -c 7500000 /dev/urandom | base64 -w 76
	printf 'From the end\n'
} >"$big"
bigsum=$(sha256sum <"$big" | cut -c1-64)
next=$work/next
printf 'From: c@example.com\nSubject: next\n\nthe next one\n' >"$next"

run() {	# sandbox msg
	(cd "$1" && exec env -i HOME="$1" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC SHELL=/bin/sh "$RUNNEL" ./f <"$2" >>"$1/.out" 2>&1)
}
# How the message reaches stdin: file (seekable) or pipe.
input=file

entry() {	# msg: the mbox entry, date normalized
	printf 'From MAILER-DAEMON DATE\n'
	sed -E 's/^(>*From )/>\1/' "$1"
	printf '\n'
}
entry "$big" >"$work/big.entry"
entry "$next" >"$work/next.entry"
old='From old@example.com Mon Jan  1 00:00:00 2024
Subject: old

old body

'

# Milliseconds one clean delivery takes, to spread the kills over it.
clean_ms() {	# kind
	local sb=$work/clean t0 t1
	rm -rf "$sb"; mkdir -p "$sb/M/tmp" "$sb/M/new" "$sb/M/cur"
	printf 'to "%s"\n' "$1" >"$sb/f"; chmod 600 "$sb/f"
	t0=$(date +%s%N); run "$sb" "$big"; t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 + 1 ))
}

# Start a delivery, kill it after a random part of span ms.
killed_run() {	# sandbox msg signal span
	local pid ms
	# exec all the way down, so that $! is runnel itself
	if [ $input = pipe ]; then
		(cd "$1" && exec env -i HOME="$1" LOGNAME=runnel-test \
		    PATH=/usr/bin:/bin TZ=UTC SHELL=/bin/sh "$RUNNEL" ./f \
		    < <(cat "$2") >>"$1/.out" 2>&1) &
	else
		(cd "$1" && exec env -i HOME="$1" LOGNAME=runnel-test \
		    PATH=/usr/bin:/bin TZ=UTC SHELL=/bin/sh "$RUNNEL" ./f \
		    <"$2" >>"$1/.out" 2>&1) &
	fi
	pid=$!
	ms=$((RANDOM % ($4 + 1)))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -"$3" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	echo $?
}

maildir_trials() {	# signal
	local sig=$1 sb=$work/md span i n f bad=0 first= done=0 none=0 tmpleft=0 rc
	span=$(clean_ms M)
	for i in $(seq 1 "$TRIALS"); do
		rm -rf "$sb"; mkdir -p "$sb/M/tmp" "$sb/M/new" "$sb/M/cur"
		printf 'to "M"\n' >"$sb/f"; chmod 600 "$sb/f"
		rc=$(killed_run "$sb" "$big" "$sig" "$span")
		n=$(find "$sb/M/new" "$sb/M/cur" -type f | wc -l)
		why=
		if [ "$n" -gt 1 ]; then
			why="$n files in new/+cur/"
		elif [ "$n" = 1 ]; then
			f=$(find "$sb/M/new" "$sb/M/cur" -type f)
			[ "$(sha256sum <"$f" | cut -c1-64)" = "$bigsum" ] ||
			    why="a partial message is visible in new/"
			done=$((done + 1))
		else
			none=$((none + 1))
			[ "$rc" = 0 ] && why="exit 0 but nothing delivered"
		fi
		if [ -n "$(ls -A "$sb/M/tmp")" ]; then
			tmpleft=$((tmpleft + 1))
			[ "$sig" = TERM ] && [ "$n" = 0 ] &&
			    why="SIGTERM left a file in tmp/ (cleanup did not run)"
		fi
		if [ -n "$why" ]; then
			bad=$((bad + 1)); [ -z "$first" ] && first=$why
		fi
	done
	if [ $bad = 0 ]; then
		pass "maildir SIG$sig" "$TRIALS trials over ${span} ms: $done \
delivered whole, $none not delivered, $tmpleft left a tmp/ file"
	else
		fail "maildir SIG$sig" "$bad of $TRIALS: $first"
	fi
}

# The next delivery after a killed one: is the mailbox old [+ whole] +
# next?  Sets why (empty when it holds) and outcome (whole, absent).
# $3: the entry of the killed message.
next_delivery() {	# sandbox killed-rc killed-entry
	local sb=$1 t0
	why= outcome=
	# the next delivery, at once (LOCKSLEEP would be 5 s)
	printf 'LOCKSLEEP=1\nto "mb"\n' >"$sb/f"
	t0=$SECONDS
	run "$sb" "$next" || why="the next delivery failed: $(tail -2 "$sb/.out")"
	[ $((SECONDS - t0)) -gt 3 ] && why="the next delivery waited $((SECONDS - t0)) s"
	[ -e "$sb/mb.runnel-journal" ] && why="the next delivery left a journal"
	[ -f "$work/want1" ] ||
	    { printf '%s' "$old"; cat "$work/next.entry"; } | case_mask \
	    >"$work/want1"
	[ -f "$3.want2" ] ||
	    { printf '%s' "$old"; cat "$3" "$work/next.entry"; } | case_mask \
	    >"$3.want2"
	case_mask "$sb/mb" >"$sb/.got"
	if cmp -s "$sb/.got" "$work/want1"; then
		outcome=absent
	elif cmp -s "$sb/.got" "$3.want2"; then
		outcome=whole
	else
		[ -z "$why" ] && why="the mailbox is neither old+next nor old+killed+next (killed run exit $2)"
	fi
	return 0
}

mbox_trials() {	# signal
	local sig=$1 sb=$work/mb span i bad=0 first= whole=0 none=0 cut=0 rc sz why
	local nolock=0
	span=$(clean_ms mb)
	for i in $(seq 1 "$TRIALS"); do
		rm -rf "$sb"; mkdir -p "$sb"
		printf '%s' "$old" >"$sb/mb"
		printf 'to "mb"\n' >"$sb/f"; chmod 600 "$sb/f"
		rc=$(killed_run "$sb" "$big" "$sig" "$span")
		sz=$(wc -c <"$sb/mb")
		first_why=
		if [ "$sig" = TERM ] && [ -e "$sb/mb.lock" ]; then
			first_why="SIGTERM left the dot-lock"
		fi
		if [ $((i % 2)) = 0 ] && [ -e "$sb/mb.lock" ]; then
			rm -f "$sb/mb.lock"
			nolock=$((nolock + 1))
		fi
		next_delivery "$sb" "$rc" "$work/big.entry"
		[ -n "$first_why" ] && why=$first_why
		case $outcome in
		absent) none=$((none + 1)); [ "$sz" -gt ${#old} ] && cut=$((cut + 1));;
		whole) whole=$((whole + 1));;
		esac
		if [ -n "$why" ]; then
			bad=$((bad + 1)); [ -z "$first" ] && first=$why
		fi
	done
	if [ $bad = 0 ]; then
		pass "mbox SIG$sig $input" "$TRIALS trials over ${span} ms: \
$whole whole, $none absent ($cut partial ones cut off by the next \
delivery, $nolock with the dot-lock gone)"
	else
		fail "mbox SIG$sig $input" "$bad of $TRIALS: $first"
	fi
}

# A message of several 64 KB writes, with lines that need >From quoting.
mid=$work/mid
{
	printf 'From: b@example.com\nSubject: mid\n\n'
	for i in $(seq 1 4000); do
		printf 'line %d of the body, with some text to fill it up a bit more\n' "$i"
		[ $((i % 1000)) -eq 0 ] && printf 'From here on\n>From quoted\n'
	done
} >"$mid"
entry "$mid" >"$work/mid.entry"
SO=$BUILD/tests/preload/fault.so
CALLS=open,write,fsync,fdatasync,close,rename,link,unlink,mkdir,ftruncate,fchmod

# SIGKILL at every counted call of the mbox delivery, from the open of
# the mailbox on (what comes before leaves nothing to repair; faults.sh
# covers the dot-lock): after the call, or half way through a write.
every_call() {
	local sb=$work/ev n i rc sz bad=0 first= whole=0 none=0 cut=0 start
	local nolock=0
	rm -rf "$sb"; mkdir -p "$sb"
	printf '%s' "$old" >"$sb/mb"
	printf 'LOCKSLEEP=1\nto "mb"\n' >"$sb/f"; chmod 600 "$sb/f"
	(cd "$sb" && env -i HOME="$sb" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC SHELL=/bin/sh LD_PRELOAD="$SO" FAULT_CALLS=$CALLS \
	    FAULT_REPORT="$sb/.count" FAULT_TRACE="$sb/.trace" "$RUNNEL" ./f \
	    <"$mid" >"$sb/.out" 2>&1)
	n=$(cat "$sb/.count" 2>/dev/null || echo 0)
	start=$(grep -n ' open mb$' "$sb/.trace" | head -1 | cut -d: -f1)
	if [ "$n" -lt 10 ] || [ -z "$start" ]; then
		fail "every call $input" "the clean run made $n calls"
		return
	fi
	for i in $(seq "$start" "$n"); do
		printf '%s' "$old" >"$sb/mb"
		if [ $input = pipe ]; then
			(cd "$sb" && exec env -i HOME="$sb" LOGNAME=runnel-test \
			    PATH=/usr/bin:/bin TZ=UTC SHELL=/bin/sh LD_PRELOAD="$SO" \
			    FAULT_CALLS=$CALLS FAULT_AT=$i FAULT_KILL=half \
			    "$RUNNEL" ./f < <(cat "$mid") >>"$sb/.out" 2>&1) &
		else
			(cd "$sb" && exec env -i HOME="$sb" LOGNAME=runnel-test \
			    PATH=/usr/bin:/bin TZ=UTC SHELL=/bin/sh LD_PRELOAD="$SO" \
			    FAULT_CALLS=$CALLS FAULT_AT=$i FAULT_KILL=half \
			    "$RUNNEL" ./f <"$mid" >>"$sb/.out" 2>&1) &
		fi
		wait $! 2>/dev/null
		rc=$?
		sz=$(stat -c %s "$sb/mb")
		if [ $((i % 2)) = 0 ] && [ -e "$sb/mb.lock" ]; then
			rm -f "$sb/mb.lock"
			nolock=$((nolock + 1))
		fi
		next_delivery "$sb" "$rc" "$work/mid.entry"
		if [ "$rc" = 0 ] && [ "$outcome" != whole ]; then
			why="the killed run exited 0 but its message is gone"
		fi
		case $outcome in
		absent) none=$((none + 1)); [ "$sz" -gt ${#old} ] && cut=$((cut + 1));;
		whole) whole=$((whole + 1));;
		esac
		if [ -n "$why" ]; then
			bad=$((bad + 1)); [ -z "$first" ] && first="call $i ($(sed -n "${i}p" "$sb/.trace")): $why"
		fi
	done
	n=$((n - start + 1))
	partial_total=$((partial_total + cut))
	trials_total=$((trials_total + n))
	if [ $bad = 0 ]; then
		pass "every call $input" "$n kills: $whole whole, $none absent \
($cut partial ones cut off by the next delivery, $nolock with the \
dot-lock gone)"
	else
		fail "every call $input" "$bad of $n: $first"
	fi
}

partial_total=0 trials_total=0
maildir_trials KILL
for input in file pipe; do
	mbox_trials KILL
done
input=file
maildir_trials TERM
mbox_trials TERM
if [ -f "$SO" ]; then
	for input in file pipe; do
		every_call
	done
	echo "  kill-trials: $trials_total kills at a call, $partial_total left a partial message, none left after the next delivery"
else
	skip "every call" "$SO not built"
fi
