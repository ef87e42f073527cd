#!/bin/bash
# budgets.sh: every resource a filter uses has a budget, set from the
# caller's environment (README), and running out of one is a located
# message, never a hang:
#   - a pattern that a hostile body makes slow or explosive is given up
#     within RUNNEL_MATCH_TIME or at the match limit: not matched, a
#     warning on stderr and in the log, and the message is delivered;
#   - the watchdog (RUNNEL_TIMEOUT) reaches inside a long match: 75;
#   - a loop past RUNNEL_MAX_STATEMENTS, a value past RUNNEL_MAX_VALUE
#     (stored or not: a concatenation, a function's result, a pattern, a
#     command's output), variables past RUNNEL_MAX_VARS: 75 with the
#     position, untrapped.
# Small budgets keep each case to a second or two.
. "$(dirname "$0")/lib/suite.sh" budgets

delivered() {	# sandbox: one message in M/new
	[ "$(find "$1/M/new" -type f | wc -l)" = 1 ]
}

# Four lines of 65,000 'a': every start position of an unanchored
# search costs a pass over the line.
hostile=$work/hostile
{
	printf 'From: a@example.com\nSubject: hi\n\n'
	for i in 1 2 3 4; do
		head -c 65000 /dev/zero | tr '\0' a
		echo
	done
} >"$hostile"
small=$work/small
printf 'From: a@example.com\nSubject: hi\n\nbody\n' >"$small"

# pattern NAME REGEX WHY: /REGEX/:b gives up for WHY, the message is
# delivered to M, and the warning names the pattern on stderr and in
# the log.
pattern() {
	local name=$1 re=$2 why=$3 sb rc t0 t1
	sb=$(sandbox "$name" "logfile \"log\"\nif ($re:b)\n{\n  to \"X\"\n}\nto \"M\"\n")
	t0=$(date +%s)
	(runnel_in "$sb" RUNNEL_MATCH_TIME=1) <"$hostile" >/dev/null 2>"$sb/.err"
	rc=$?
	t1=$(date +%s)
	if [ "$rc" = 0 ] && delivered "$sb" && [ $((t1 - t0)) -le 10 ] &&
	    grep -q '^\./f(2): Pattern match abandoned\.$' "$sb/.err" &&
	    grep -qF "  ./f:2:5: $re" "$sb/.err" &&
	    grep -q "$why" "$sb/.err" &&
	    grep -qF "runnel: ./f:2:5: $re" "$sb/log"; then
		pass "$name"
	else
		fail "$name" "exit $rc after $((t1 - t0)) s: $(cat "$sb/.err")"
	fi
}
pattern quadratic-backtracking '/(a|b)*[cd]/' 'the time for matching ran out'
pattern quadratic-scan '/a*[bc]/' 'the time for matching ran out'
# (a class, not a letter, after the group: the PCRE2 linked in gives up
# at once on a literal the line lacks)
pattern match-limit '/^(a+)+[bc]/' 'the match limit was reached'

# The budget is for all matching: once it is spent, a later search has
# only a sliver of time, which a hostile one exhausts at once and a
# pattern on an ordinary header line does not.
sb=$(sandbox shared 'if (/(a|b)*[cd]/:b || /a*[bc]/:b)\n{\n  to "X"\n}\nif (/^Subject: hi/)\n{\n  to "M"\n}\n')
(runnel_in "$sb" RUNNEL_MATCH_TIME=1) <"$hostile" >/dev/null 2>"$sb/.err"
rc=$?
if [ "$rc" = 0 ] && delivered "$sb" &&
    [ "$(grep -c 'Pattern match abandoned' "$sb/.err")" = 2 ]; then
	pass "budget-shared"
else
	fail budget-shared "exit $rc: $(cat "$sb/.err")"
fi

# A string =~ search is budgeted as well.  (a*a, not a*: PCRE2 makes
# a* before [bc] possessive, and that search of 65000 bytes ends within
# the second on a fast machine; a*a backtracks for half a minute.)
sb=$(sandbox string 'S=`head -c 65000 /dev/zero | tr "\\\\0" a`\nif ($S =~ /a*a[bc]/)\n{\n  to "X"\n}\nto "M"\n')
(runnel_in "$sb" RUNNEL_MATCH_TIME=1) <"$small" >/dev/null 2>"$sb/.err"
rc=$?
if [ "$rc" = 0 ] && delivered "$sb" &&
    grep -q 'on a string of 65000 bytes' "$sb/.err" &&
    grep -q 'may take RUNNEL_MATCH_TIME seconds (1)$' "$sb/.err"; then
	pass "string-budget"
else
	fail string-budget "exit $rc: $(cat "$sb/.err")"
fi

# lookup() searches a string too, usually the sender's: a pattern of
# the file that gives up does not match, and delivery goes on.
sb=$(sandbox lookup 'if (lookup("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "pats"))\n{\n  to "X"\n}\nto "M"\n')
printf '^(a+)+$\n' >"$sb/pats"
(runnel_in "$sb") <"$small" >/dev/null 2>"$sb/.err"
rc=$?
if [ "$rc" = 0 ] && delivered "$sb" &&
    grep -qx '  ./f:1:5: /^(a+)+$/: the match limit was reached on a string of 31 bytes; counted as not matched' "$sb/.err"; then
	pass "lookup-match-limit"
else
	fail lookup-match-limit "exit $rc: $(cat "$sb/.err")"
fi

# lookup()'s searches share the delivery's matching time: a file of 200
# slow patterns against a long subject gives up within the budget, the
# lines after the one that ran out are not tried, and delivery goes on.
sb=$(sandbox lookup-time 'S=`head -c 65000 /dev/zero | tr "\\\\0" a`\nif (lookup($S, "pats"))\n{\n  to "X"\n}\nto "M"\n')
for i in $(seq 1 200); do printf 'a*[bc]{1,%d}\n' "$i"; done >"$sb/pats"
t0=$(date +%s)
(runnel_in "$sb" RUNNEL_MATCH_TIME=1) <"$small" >/dev/null 2>"$sb/.err"
rc=$?
t1=$(date +%s)
if [ "$rc" = 0 ] && delivered "$sb" && [ $((t1 - t0)) -le 20 ] &&
    [ "$(grep -c 'Pattern match abandoned' "$sb/.err")" = 1 ] &&
    grep -q 'may take RUNNEL_MATCH_TIME seconds (1)$' "$sb/.err"; then
	pass "lookup-time"
else
	fail lookup-time "exit $rc after $((t1 - t0)) s: $(head -5 "$sb/.err")"
fi

# The file of patterns is read whole: it is held to a value's budget.
sb=$(sandbox lookup-size 'exception {\n  L=lookup("x", "pats")\n}\nto "M"\n')
head -c 2000 /dev/zero | tr '\0' '\n' >"$sb/pats"
(runnel_in "$sb" RUNNEL_MAX_VALUE=1000) <"$small" >/dev/null 2>"$sb/.err"
rc=$?
if [ "$rc" = 75 ] && ! delivered "$sb" &&
    grep -qxF '  ./f:2:5: lookup: pats is more than the 1000 bytes one value may hold' "$sb/.err"; then
	pass "lookup-size"
else
	fail lookup-size "exit $rc: $(cat "$sb/.err")"
fi

# A body of many hostile lines searched one by one in a loop: once the
# budget is spent each search has a sliver of time, but a single search
# of a long line cannot be cut short, and 300 of them would take
# minutes.  The slivers add up to the budget once more at most; after
# that no search starts, and the message is delivered in seconds.
lines=$work/lines
{
	printf 'From: a@example.com\nSubject: hi\n\n'
	for i in $(seq 1 300); do
		head -c 2000 /dev/zero | tr '\0' a
		echo
	done
} >"$lines"
sb=$(sandbox slivers 'foreach /^a.*/:b\n{\n  if ($MATCH =~ /(a|b)*[cd]/)\n  {\n    to "X"\n  }\n}\nto "M"\n')
t0=$(date +%s)
(runnel_in "$sb" RUNNEL_MATCH_TIME=1) <"$lines" >/dev/null 2>"$sb/.err"
rc=$?
t1=$(date +%s)
if [ "$rc" = 0 ] && delivered "$sb" && [ $((t1 - t0)) -le 15 ]; then
	pass "slivers-bounded" "$((t1 - t0)) s"
else
	fail slivers-bounded "exit $rc after $((t1 - t0)) s: $(head -3 "$sb/.err")"
fi

# The watchdog stops a search in the middle: 75 at the pattern.
sb=$(sandbox watchdog 'if (/(a|b)*[cd]/:b)\n{\n  to "X"\n}\nto "M"\n')
(runnel_in "$sb" RUNNEL_MATCH_TIME=0 RUNNEL_TIMEOUT=1) <"$hostile" \
    >/dev/null 2>"$sb/.err"
rc=$?
if [ "$rc" = 75 ] &&
    grep -q '^maildrop: Timeout quota exceeded\.$' "$sb/.err" &&
    grep -q '^  \./f:1:5: the filter ran out of time matching' "$sb/.err"
then
	pass "watchdog-inside-match"
else
	fail watchdog-inside-match "exit $rc: $(cat "$sb/.err")"
fi

# filter CASE FILTER-TEXT VAR=value LINE...: 75, and stderr holds the
# lines given (a LINE ending in "..." is the start of one).
filter() {
	local name=$1 text=$2 set=$3 sb rc line ok=1
	shift 3
	sb=$(sandbox "$name" "$text")
	(runnel_in "$sb" "$set") <"${MSG:-$small}" >/dev/null 2>"$sb/.err"
	rc=$?
	[ "$rc" = 75 ] || ok=0
	for line in "$@"; do
		case $line in
		*...) awk -v p="${line%...}" 'index($0, p) == 1 { f = 1 }
		    END { exit !f }' "$sb/.err" || ok=0;;
		*) grep -qxF -- "$line" "$sb/.err" || ok=0;;
		esac
	done
	if [ $ok = 1 ] && ! delivered "$sb"; then
		pass "$name"
	else
		fail "$name" "exit $rc: $(cat "$sb/.err")"
	fi
}
filter endless-loop 'while (1)\n{\n  X=1\n}\nto "M"\n' \
    RUNNEL_MAX_STATEMENTS=10000 \
    'maildrop: Timeout quota exceeded.' \
    '  ./f:1:1: the filter ran more than 10000 statements; it was in this loop'
filter empty-loop 'exception {\n  while (1)\n  {\n  }\n}\nto "M"\n' \
    RUNNEL_MAX_STATEMENTS=10000 \
    'maildrop: Timeout quota exceeded.' \
    '  ./f:2:3: the filter ran more than 10000 statements; it was in this loop'
filter doubling 'X="a"\nwhile (1)\n{\n  X="$X$X"\n}\nto "M"\n' \
    RUNNEL_MAX_VALUE=100000 \
    'maildrop: Out of memory.' \
    '  ./f:4:3: X: a value of 131072 bytes, more than the 100000 one value may hold'
dots='D=`printf %060000d 0 | tr 0 .`\n'
# foreach holds all its matches before the first pass: they count as
# variables.  60,001 empty matches of /x*/ through 60,000 dots, and one
# match per line of a message of 20,000 lines.
filter foreach-string "${dots}foreach (\$D =~ /x*/)\n{\n  N=1\n}\nto \"M\"\n" \
    RUNNEL_MAX_VARS=400000 \
    'maildrop: Out of memory.' \
    "  ./f:2:13: foreach's matches and the variables would hold ..." \
    '  does the filter make variables without end? the limit is RUNNEL_MAX_VARS (bytes)'
xlines=$work/xlines
{ printf 'From: a@example.com\nSubject: hi\n\n'; yes x | head -20000; } >"$xlines"
MSG=$xlines filter foreach-lines 'foreach /^x/:b\n{\n  N=1\n}\nto "M"\n' \
    RUNNEL_MAX_VARS=400000 \
    'maildrop: Out of memory.' \
    "  ./f:1:9: foreach's matches and the variables would hold ..." \
    '  does the filter make variables without end? the limit is RUNNEL_MAX_VARS (bytes)'
sb=$(sandbox foreach-within 'foreach /^x/:b\n{\n  N=$N.\n}\nto "M"\n')
(runnel_in "$sb") <"$xlines" >/dev/null 2>"$sb/.err"
expect foreach-within-budget "$(rc=$?; [ $rc = 0 ] && delivered "$sb"; echo $?)" \
    "want 20,000 matches delivered under the default budget: $(cat "$sb/.err")"
filter growing 'exception {\n  X="a"\n  while (1)\n  {\n    X="${X}aaaaaaaaaaaaaaa"\n  }\n}\nto "M"\n' \
    RUNNEL_MAX_VARS=200000 \
    'maildrop: Out of memory.'

# Values that are never stored are held to RUNNEL_MAX_VALUE too, where
# they are made.  D is 60,000 dots: each escape doubles it.
filter escape-result "${dots}exception {\n  N=length(escape(escape(\$D)))\n}\nto \"M\"\n" \
    RUNNEL_MAX_VALUE=100000 \
    'maildrop: Out of memory.' \
    '  ./f:3:19: this expression: a value of 120000 bytes, more than the 100000 one value may hold'
filter concatenation "${dots}if (\"\$D\$D\$D\" eq \"\")\n{\n  exit\n}\nto \"M\"\n" \
    RUNNEL_MAX_VALUE=100000 \
    'maildrop: Out of memory.' \
    '  ./f:2:5: this expression: a value of 120000 bytes, more than the 100000 one value may hold'
filter pattern-text "${dots}if (/\$D\$D/:b)\n{\n  exit\n}\nto \"M\"\n" \
    RUNNEL_MAX_VALUE=100000 \
    'maildrop: Out of memory.' \
    '  ./f:2:5: this pattern: a value of 120000 bytes, more than the 100000 one value may hold'
# A command that prints without end is stopped once its output is more
# than a value may hold; exception { } does not trap it.
filter backtick-endless 'exception {\n  Z=`cat /dev/zero`\n}\nto "M"\n' \
    RUNNEL_MAX_VALUE=100000 \
    'maildrop: Out of memory.' \
    '  ./f:2:5: the output of `cat /dev/zero`: a value of 131072 bytes, more than the 100000 one value may hold'

# At the default budget (64 MB) the endless command ends as well.
sb=$(sandbox backtick-default 'Z=`yes`\nto "M"\n')
(runnel_in "$sb") <"$small" >/dev/null 2>"$sb/.err"
rc=$?
if [ "$rc" = 75 ] && ! delivered "$sb" &&
    grep -q '^  \./f:1:3: the output of `yes`: a value of [0-9]* bytes, more than the 67108864 one value may hold$' "$sb/.err"; then
	pass backtick-default
else
	fail backtick-default "exit $rc: $(cat "$sb/.err")"
fi
