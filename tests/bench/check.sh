#!/bin/sh
# check.sh RUNNEL: the regression guard of `make bench-check` (and so of
# `make check`).  Runs runnel once on each workload of workloads.sh under
# callgrind and compares its instructions (Ir, user space: the same from
# run to run, unlike wall times on a shared machine) with baseline.txt;
# fails when any grew by more than 10 %.  The large workload has a 1 MiB
# body here: the same code path as bench.sh's 20 MiB at a twentieth of
# the time.  UPDATE=1 rewrites baseline.txt from this run (commit it
# with the change that moved the figures).
# BENCH_BASELINE names another baseline file, BENCH_WORKLOADS runs some
# workloads only (tests/sh/bench-check.sh uses both to see it fail).
# Prints the suite lines of tests/sh/lib/suite.sh (PASS, FAIL, SKIP).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
set -u

RUNNEL=${1:-./runnel}
case $RUNNEL in /*) ;; *) RUNNEL=$PWD/$RUNNEL;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
BASELINE=${BENCH_BASELINE:-$HERE/baseline.txt}
GROWTH=1.10
. "$HERE/workloads.sh"
WORKLOADS=${BENCH_WORKLOADS:-$WORKLOADS}

if ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP bench-check: valgrind is not installed (apt-get install valgrind)"
	exit 0
fi
[ -x "$RUNNEL" ] || { echo "FAIL bench-check: $RUNNEL is not built"; exit 1; }
B=$(mktemp -d /tmp/runnel-bench-check.XXXXXX)
trap 'rm -rf "$B"' EXIT

status=0
: >"$B/now"
for w in $WORKLOADS; do
	mkworkload "$w" "$B" 1
	rm -rf "$B/Maildir"
	mkdir -p "$B/Maildir/cur" "$B/Maildir/new" "$B/Maildir/tmp"
	ir=$(callgrind_ir "$B" "$B/$w.eml" "$RUNNEL" "$B/$w.f")
	if [ -z "$ir" ] || [ "$(find "$B/Maildir" -type f | wc -l)" != 1 ]; then
		echo "FAIL bench-check $w: runnel did not deliver the message"
		sed 's/^/  /' "$B/cg.err" | tail -5
		status=1
		continue
	fi
	echo "$w $ir" >>"$B/now"
	base=$(awk -v w="$w" '$1 == w { print $2 }' "$BASELINE" 2>/dev/null)
	if [ -n "${UPDATE:-}" ]; then
		echo "PASS bench-check $w: $ir instructions (baseline rewritten)"
	elif [ -z "$base" ]; then
		echo "FAIL bench-check $w: no baseline in $BASELINE" \
		    "(UPDATE=1 make bench-check writes it)"
		status=1
	elif awk -v a="$ir" -v b="$base" -v g="$GROWTH" \
	    'BEGIN { exit !(a > b * g) }'; then
		echo "FAIL bench-check $w: $ir instructions, baseline $base" \
		    "($(awk -v a="$ir" -v b="$base" 'BEGIN { printf "%+.1f", (a / b - 1) * 100 }') %, more than 10 %)"
		echo "  profile it: valgrind --tool=callgrind ./runnel FILTER < MESSAGE"
		status=1
	else
		echo "PASS bench-check $w: $ir instructions, baseline $base" \
		    "($(awk -v a="$ir" -v b="$base" 'BEGIN { printf "%+.1f", (a / b - 1) * 100 }') %)"
	fi
done
if [ -n "${UPDATE:-}" ] && [ "$status" = 0 ]; then
	{
		echo "# baseline.txt: runnel's instructions (callgrind Ir) per delivery"
		echo "# on the workloads of workloads.sh (large with a 1 MiB body), as"
		echo "# tests/bench/check.sh measures them; UPDATE=1 make bench-check"
		echo "# rewrites it."
		cat "$B/now"
	} >"$BASELINE"
fi
exit $status
