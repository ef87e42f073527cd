#!/bin/bash
# man.sh: the manual pages in tests/spec/man/ render without a warning
# from mandoc or groff, and runnel(1) names every option `runnel --help`
# lists, so the two cannot drift apart.
. "$(dirname "$0")/lib/suite.sh" man

pages=$(ls "$top"/tests/spec/man/*.[1-8] 2>/dev/null)
[ -n "$pages" ] || { fail pages "no page in tests/spec/man/"; exit 0; }

for p in $pages; do
	n=$(basename "$p")
	if command -v mandoc >/dev/null 2>&1; then
		out=$(mandoc -T lint -W warning "$p" 2>&1)
		if [ -z "$out" ]; then pass "mandoc-$n"
		else fail "mandoc-$n" "mandoc -T lint warns" "$out"; fi
	else
		skip "mandoc-$n" "mandoc is not installed (tests/deps.sh installs it)"
	fi
	if command -v groff >/dev/null 2>&1; then
		out=$(groff -ww -man -Tutf8 -z "$p" 2>&1)
		if [ -z "$out" ]; then pass "groff-$n"
		else fail "groff-$n" "groff -ww warns" "$out"; fi
	else
		skip "groff-$n" "groff is not installed (tests/deps.sh installs it)"
	fi
done

# The options of --help: the words that start an indented line with "-".
help=$("$RUNNEL" --help)
opts=$(printf '%s\n' "$help" | sed -nE 's/^ +(--?[a-zA-Z][a-zA-Z-]*).*/\1/p' |
    sort -u)
[ -n "$opts" ] || fail help-options "found no option in runnel --help"
text=$(groff -man -Tascii -P-cbou "$top/tests/spec/man/runnel.1" 2>/dev/null)
missing=
for o in $opts; do
	printf '%s\n' "$text" | grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" ||
	    missing="$missing $o"
done
if [ -n "$opts" ] && [ -z "$missing" ]; then
	pass help-options "$(echo $opts | wc -w) options"
elif [ -n "$missing" ]; then
	fail help-options "runnel(1) does not describe:$missing"
fi

# Likewise every setting --help lists (RUNNEL_*, TMPDIR).
missing=
for v in $(printf '%s\n' "$help" | grep -oE '^ +(RUNNEL_[A-Z_]+|TMPDIR)' | sort -u); do
	printf '%s\n' "$text" | grep -qw -- "$v" || missing="$missing $v"
done
if [ -z "$missing" ]; then pass help-settings
else fail help-settings "runnel(1) does not describe:$missing"; fi
