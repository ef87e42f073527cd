#!/bin/bash
# kill-trials.sh: kill a delivery of a 20 MB message at random moments.
#
# SIGKILL (nothing can clean up):
#   maildir: new/ and cur/ hold nothing or the whole message, never part
#     of it.  A partial file may stay in tmp/ (maildir readers remove tmp/
#     files older than 36 hours); that is counted, not failed.
#   mbox: the killed run may leave part of the message at the end.  The
#     next delivery finds the dot-lock of a dead process, breaks it at
#     once, and cuts the mailbox back to the size the dead holder noted
#     in its lock file (the killed run never reported success, so the
#     MTA delivers that message again).  After the next delivery the
#     mailbox must be: the old bytes, [the whole big message, if the
#     killed run had finished], the next message.
# SIGTERM (the runner's handler runs cleanup_run()): as above, and
#   tmp/ must be empty and no dot-lock may be left.
. "$(dirname "$0")/lib/suite.sh" kill-trials
TRIALS=${TRIALS:-5}

big=$work/big
{
	printf 'From: a@example.com\nSubject: big\n\n'
	head -c 15000000 /dev/urandom | base64 -w 76
	printf 'From the end\n'
} >"$big"
bigsum=$(sha256sum <"$big" | cut -c1-64)
next=$work/next
printf 'From: c@example.com\nSubject: next\n\nthe next one\n' >"$next"

run() {	# sandbox msg
	(cd "$1" && exec env -i HOME="$1" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC SHELL=/bin/sh "$RUNNEL" ./f <"$2" >>"$1/.out" 2>&1)
}

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

norm() {
	sed -E 's/^From MAILER-DAEMON [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4}$/From MAILER-DAEMON DATE/'
}

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
	(cd "$1" && exec env -i HOME="$1" LOGNAME=runnel-test \
	    PATH=/usr/bin:/bin TZ=UTC SHELL=/bin/sh "$RUNNEL" ./f \
	    <"$2" >>"$1/.out" 2>&1) &
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
		echo "PASS kill-trials maildir SIG$sig: $TRIALS trials over ${span} ms: $done delivered whole, $none not delivered, $tmpleft left a tmp/ file"
	else
		echo "FAIL kill-trials maildir SIG$sig: $bad of $TRIALS: $first"
	fi
}

mbox_trials() {	# signal
	local sig=$1 sb=$work/mb span i bad=0 first= whole=0 none=0 cut=0 rc sz why
	span=$(clean_ms mb)
	for i in $(seq 1 "$TRIALS"); do
		rm -rf "$sb"; mkdir -p "$sb"
		printf '%s' "$old" >"$sb/mb"
		printf 'to "mb"\n' >"$sb/f"; chmod 600 "$sb/f"
		rc=$(killed_run "$sb" "$big" "$sig" "$span")
		sz=$(wc -c <"$sb/mb")
		why=
		if [ "$sig" = TERM ] && [ -e "$sb/mb.lock" ]; then
			why="SIGTERM left the dot-lock"
		fi
		# the next delivery, at once (LOCKSLEEP would be 5 s)
		printf 'LOCKSLEEP=1\nto "mb"\n' >"$sb/f"
		t0=$SECONDS
		run "$sb" "$next" || why="the next delivery failed: $(tail -2 "$sb/.out")"
		[ $((SECONDS - t0)) -gt 3 ] && why="the next delivery waited $((SECONDS - t0)) s"
		{ printf '%s' "$old"; cat "$work/next.entry"; } >"$sb/.want1"
		{ printf '%s' "$old"; cat "$work/big.entry" "$work/next.entry"; } >"$sb/.want2"
		norm <"$sb/mb" >"$sb/.got"
		if cmp -s "$sb/.got" "$sb/.want1"; then
			none=$((none + 1))
			[ "$sz" -gt ${#old} ] && cut=$((cut + 1))
		elif cmp -s "$sb/.got" "$sb/.want2"; then
			whole=$((whole + 1))
		else
			[ -z "$why" ] && why="the mailbox is neither old+next nor old+big+next (killed run exit $rc, left $sz bytes)"
		fi
		if [ -n "$why" ]; then
			bad=$((bad + 1)); [ -z "$first" ] && first=$why
		fi
	done
	if [ $bad = 0 ]; then
		echo "PASS kill-trials mbox SIG$sig: $TRIALS trials over ${span} ms: $whole whole, $none absent ($cut partial ones cut off by the next delivery)"
	else
		echo "FAIL kill-trials mbox SIG$sig: $bad of $TRIALS: $first"
	fi
}

maildir_trials KILL
mbox_trials KILL
maildir_trials TERM
mbox_trials TERM
