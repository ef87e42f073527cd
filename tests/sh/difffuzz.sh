# difffuzz.sh: the differential fuzzer still works: a few generated cases
# with a fixed seed run through maildrop and runnel and agree, the same
# seed makes the same cases, and a disagreement is kept with both runs'
# outputs.
. "$(dirname "$0")/lib/suite.sh" difffuzz
if ! command -v maildrop >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
	skip_suite "needs maildrop and python3"
fi
gen=$top/tests/difffuzz/gen.py

python3 "$gen" "$work/a" 7 3 && python3 "$gen" "$work/b" 7 3
if diff -r "$work/a" "$work/b" >/dev/null; then pass "same seed, same cases"
else fail "same seed, same cases" "$(diff -r "$work/a" "$work/b" | head -5)"; fi
if [ -s "$work/a/c7-0/filter" ] && [ -s "$work/a/c7-2/message" ]; then
	pass "cases written"
else
	fail "cases written" "$(ls -R "$work/a" | head)"
fi

out=$(RUNNEL=$RUNNEL BATCH=4 COUNT=1 bash "$top/tests/difffuzz/difffuzz.sh" 60 11 "$work/found" 2>&1)
case $out in
*"difffuzz: 4 cases, 0 disagreements"*) pass "seed 11 agrees";;
*) fail "seed 11 agrees" "$out";;
esac

# A runnel that prints one line too many disagrees, and the case is kept.
printf '#!/bin/sh\necho extra\nexec %s "$@"\n' "$RUNNEL" >"$work/liar"
chmod 755 "$work/liar"
out=$(RUNNEL=$work/liar BATCH=1 COUNT=1 bash "$top/tests/difffuzz/difffuzz.sh" 60 11 "$work/found" 2>&1)
case $out in
*"1 cases, 1 disagreements"*) pass "a disagreement is found";;
*) fail "a disagreement is found" "$out";;
esac
if [ -f "$work/found/c11-0/maildrop.stdout" ] &&
    grep -qx extra "$work/found/c11-0/runnel.stdout" &&
    [ -f "$work/found/c11-0/filter" ]; then
	pass "a disagreement is kept"
else
	fail "a disagreement is kept" "$(ls "$work/found" "$work/found"/* 2>&1 | head)"
fi
