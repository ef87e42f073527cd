#!/bin/bash
# dryrun-predicts.sh: the dry run is the real run minus the writes.  For
# every case in tests/golden and tests/diff, run the dry run (--exec, so
# that xfilter and backticks give what they give in the real run), then
# the real run with -V 2 in a fresh copy of the sandbox, and compare what
# the dry run predicted with what happened: each mailbox delivered to and
# its kind, the exit status, and maildrop's error line.
#
# What a dry run cannot know is not compared: what a pipe or a forward
# does (the command is never started), and so anything after the first
# delivery to one.
. "$(dirname "$0")/lib/suite.sh" dryrun-predicts

# A case as tests/run.sh runs it, with extra options before its own.
. "$top/tests/sh/lib/case.sh"
run_case() {	# case-dir sandbox out-prefix extra-option...
	local d=$1 sb=$2 out=$3
	shift 3
	case_sandbox "$d" "$sb" >/dev/null 2>&1 || return 1
	case_run "$d" "$sb" "$out" "$RUNNEL" "$@"
	case_mask -i "$out.stdout" "$out.stderr"
	return 0
}

# The dry run's prediction: "target (kind)" per delivery up to the first
# pipe or forward, then "command" if there is one (what follows it
# depends on what the command does), "exit N" (the dry run's own status,
# which is the one it predicts) and "error: LINE" (maildrop's line).
predicted() {	# out-prefix
	awk -v status="$(cat "$1.exit")" '
	/: would deliver to .* \((maildir|mbox|pipe|forward)\)/ &&
	    !/; the delivery would fail$/ && !cmd {
		s = $0
		sub(/^.*: would deliver to /, "", s)
		sub(/\); .*$/, ")", s)
		if (s ~ /\((pipe|forward)\)$/)
			cmd = 1
		else
			print s
	}
	/^result: error: / {
		s = $0
		sub(/^result: error: /, "", s)
		sub(/; exit [0-9]+ \(the MTA would retry\)$/, "", s)
		# a syntax error is reported in maildrop form, not as a line
		if (s != "syntax error")
			err = s
	}
	END {
		if (cmd) {
			print "command"
			exit
		}
		print "exit " status
		if (err != "")
			print "error: " err
	}' "$1.stdout"
}

# What the real run did, in the same form, from its -V 2 lines.
happened() {	# out-prefix predicted-file
	local err k
	k=$(grep -c ' (maildir)$\| (mbox)$' "$2")
	sed -n -E 's/^maildrop: delivered to (.*) \((maildir|mbox|pipe|forward), (to|cc|default)\)$/\1 (\2)/p' \
	    "$1.stderr" >"$1.list"
	if grep -qx command "$2"; then
		head -n "$k" "$1.list"
		echo command
		return
	fi
	cat "$1.list"
	echo "exit $(cat "$1.exit")"
	# maildrop's line for the predicted error must be on stderr
	err=$(sed -n 's/^error: //p' "$2")
	if [ -n "$err" ]; then
		if grep -qxF "maildrop: $err" "$1.stderr"; then
			echo "error: $err"
		else
			echo "error: (not printed)"
		fi
	fi
}

# What a dry run cannot know without writing, each with its reason.
unpredictable() {	# name
	case $1 in
	diff/deliver-maildir-quota-count) echo "its own earlier deliveries" \
	    "are not counted against the quota";;
	diff/deliver-mbox-dir-lock-first) echo "root may write /proc by" \
	    "its mode, yet nothing can be created there";;
	diff/proc-log-write-error) echo "a device (/dev/full) fails only" \
	    "when written to";;
	*) return 1;;
	esac
}

n=0
for d in "$top"/tests/golden/*/ "$top"/tests/diff/*/; do
	d=${d%/}
	[ -f "$d/filter" ] || continue
	name=$(basename "$(dirname "$d")")/$(basename "$d")
	# what is not a run of the filter on a message
	if [ -f "$d/args" ] && grep -qE -- '--dry-run|--check|--dump|(^| )-V' "$d/args"; then
		continue
	fi
	# a filter that sets VERBOSE would hide the -V 2 lines
	if grep -q 'VERBOSE' "$d/filter"; then
		continue
	fi
	if why=$(unpredictable "$name"); then
		skip "$name" "$why"
		continue
	fi
	sb=$work/sb
	if ! run_case "$d" "$sb" "$work/dry" --dry-run --exec ||
	    ! run_case "$d" "$sb" "$work/real" -V 2; then
		fail "$name" "setup failed"
		continue
	fi
	predicted "$work/dry" >"$work/want"
	happened "$work/real" "$work/want" >"$work/got"
	n=$((n + 1))
	if cmp -s "$work/want" "$work/got"; then
		pass "$name"
	else
		fail "$name" "the dry run predicted otherwise" \
		    "$(diff -u "$work/want" "$work/got" | tail -n +3)" \
		    "dry run said:" "$(head -20 "$work/dry.stdout")"
	fi
done
[ $n -gt 100 ] || fail cases "only $n cases compared"
