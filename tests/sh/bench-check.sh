#!/bin/bash
# bench-check.sh: runnel's instructions per delivery on the benchmark
# workloads stay within 10 % of tests/bench/baseline.txt (see
# tests/bench/check.sh; it SKIPs without valgrind), and the guard does
# fail on a growth past that.
. "$(dirname "$0")/lib/suite.sh" bench-check
need_commands valgrind valgrind
out=$(bash "$top/tests/bench/check.sh" "$RUNNEL")
printf '%s\n' "$out"

# The guard itself: a baseline 20 % below the trivial figure just
# measured fails (the measurement, not the committed baseline, which
# may lag behind an improvement).
ir=$(printf '%s\n' "$out" |
    sed -n 's/^PASS bench-check trivial: \([0-9]*\) instructions.*/\1/p')
[ -n "$ir" ] || ir=$(awk '$1 == "trivial" { print $2 }' "$top/tests/bench/baseline.txt")
echo "trivial $((ir * 8 / 10))" >"$work/low.txt"
if out=$(BENCH_BASELINE=$work/low.txt BENCH_WORKLOADS=trivial \
    bash "$top/tests/bench/check.sh" "$RUNNEL"); then
	fail guard "a 25 % growth passed" "$out"
elif printf '%s\n' "$out" | grep -q '^FAIL bench-check trivial: .*more than 10 %'; then
	pass guard
else
	fail guard "no FAIL line for the growth" "$out"
fi

# make bench names the floor program by a relative path, as
# build/tests/helpers/floor: it must still deliver, from the workload's
# folder (one quick round, without callgrind).
floor=build/tests/helpers/floor
if [ ! -x "$top/$floor" ]; then
	skip bench-floor "$floor is not built (make test-programs builds it)"
elif out=$(cd "$top" && BENCH_IR=0 BENCH_RUNS=1 BENCH_BIG_RUNS=1 \
    BENCH_LARGE_MIB=1 bash tests/bench/bench.sh "$RUNNEL" "$floor" 2>&1) &&
    ! printf '%s\n' "$out" | grep -q 'floor on .* did not deliver' &&
    printf '%s\n' "$out" |
    grep -Eq '^trivial +floor( +-){4} +[0-9.]+ +1 +[0-9]+$'; then
	pass bench-floor
else
	fail bench-floor "the floor did not deliver from a relative path" "$out"
fi
