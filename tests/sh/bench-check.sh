#!/bin/bash
# bench-check.sh: runnel's instructions per delivery on the benchmark
# workloads stay within 10 % of tests/bench/baseline.txt (see
# tests/bench/check.sh; it SKIPs without valgrind), and the guard does
# fail on a growth past that.
. "$(dirname "$0")/lib/suite.sh" bench-check
need_commands valgrind valgrind
bash "$top/tests/bench/check.sh" "$RUNNEL"

# The guard itself: a baseline 20 % below today's trivial figure fails.
ir=$(awk '$1 == "trivial" { print $2 }' "$top/tests/bench/baseline.txt")
echo "trivial $((ir * 8 / 10))" >"$work/low.txt"
if out=$(BENCH_BASELINE=$work/low.txt BENCH_WORKLOADS=trivial \
    bash "$top/tests/bench/check.sh" "$RUNNEL"); then
	fail guard "a 25 % growth passed" "$out"
elif printf '%s\n' "$out" | grep -q '^FAIL bench-check trivial: .*more than 10 %'; then
	pass guard
else
	fail guard "no FAIL line for the growth" "$out"
fi
