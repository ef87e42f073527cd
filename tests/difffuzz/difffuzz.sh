#!/bin/bash
# difffuzz.sh: the differential fuzzer.  Batches of random filters and
# messages (gen.py) run as tests/diff cases through /usr/bin/maildrop and
# runnel, compared by tests/run.sh's diff suite itself (exit status,
# stdout, files written, maildrop's stderr lines within runnel's).
#
#   bash tests/difffuzz/difffuzz.sh [SECONDS [SEED [OUTDIR]]]
#   RUNNEL=path/to/runnel BUILD=build  (as for tests/run.sh)
#   BATCH=cases per batch (20); COUNT=stop after this many batches
#
# Batch n uses seed SEED+n, so a run is repeatable; each disagreeing case
# is kept in OUTDIR/NAME (filter, message, setup, maildrop.* and runnel.*
# outputs).  Prints the cases run and the disagreements; exits 1 if any.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
seed=${2:-1}
out=${3:-$top/build/difffuzz}
BATCH=${BATCH:-20}
COUNT=${COUNT:-}
export RUNNEL=${RUNNEL:-$top/runnel} BUILD=${BUILD:-$top/build}
if ! command -v maildrop >/dev/null 2>&1; then
	echo "difffuzz: maildrop is not installed" >&2
	exit 2
fi
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/runnel-difffuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
end=$(($(date +%s) + secs))
cases=0 bad=0 n=0
while [ "$(date +%s)" -lt "$end" ]; do
	[ -n "$COUNT" ] && [ "$n" -ge "$COUNT" ] && break
	s=$((seed + n))
	n=$((n + 1))
	rm -rf "$work/cases"
	python3 "$top/tests/difffuzz/gen.py" "$work/cases" "$s" "$BATCH" ||
	    exit 2
	DIFF_CASES="$work/cases" DIFF_KEEP="$out" \
	    bash "$top/tests/run.sh" diff >"$work/log" 2>&1
	p=$(tail -1 "$work/log" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p')
	[ -n "$p" ] || { cat "$work/log"; exit 2; }
	set -- $p
	cases=$((cases + $1 + $2))
	bad=$((bad + $2))
	grep '^FAIL: ' "$work/log" | sed 's/^FAIL: diff\//disagreement: /'
done
echo "difffuzz: $cases cases, $bad disagreements (seeds $seed..$((seed + n - 1)), batches of $BATCH)"
[ "$bad" -eq 0 ]
