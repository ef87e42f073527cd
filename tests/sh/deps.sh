#!/bin/bash
# deps.sh: building and installing pull in only what runnel is built
# with; the test-only tools (maildrop, spamc, spamd, ...) come only with
# the test targets, so `make install` on a mail server adds nothing else.
. "$(dirname "$0")/lib/suite.sh" deps

test_only="maildrop spamc spamd time python3"
build=$(sh "$top/tests/deps.sh" build --list)
tst=$(sh "$top/tests/deps.sh" test --list)
bad= lost=
for p in $test_only; do
	printf '%s\n' "$build" | grep -qx "$p" && bad="$bad $p"
	printf '%s\n' "$tst" | grep -qx "$p" || lost="$lost $p"
done
for p in $build; do
	printf '%s\n' "$tst" | grep -qx "$p" || lost="$lost $p"
done
if [ -n "$bad" ]; then fail lists "the build step needs test-only packages:$bad"
elif [ -n "$lost" ]; then fail lists "the test step misses:$lost"
else pass lists; fi

# Which step each target runs, read from make's dry run (nothing is
# built or installed: -n reaches the recursive makes too).
steps() {	# target: the deps.sh steps it would run
	make -n -C "$top" "$1" DESTDIR="$work/dest" BUILD="$work/b" \
	    BIN="$work/b/runnel" 2>/dev/null |
	    grep -oE 'tests/deps\.sh (build|test)' | awk '{print $2}' | sort -u |
	    tr '\n' ' '
}
for t in all install install-compat demo; do
	got=$(steps "$t")
	if [ "$got" = "build " ]; then pass "make-$t"
	else fail "make-$t" "runs deps steps '$got', want only 'build'"; fi
done
for t in check check-fast difftest; do
	got=$(steps "$t")
	if [ "$got" = "test " ]; then pass "make-$t"
	else fail "make-$t" "runs deps steps '$got', want 'test'"; fi
done

# A wrong step name is an error that says how to call it.
out=$(sh "$top/tests/deps.sh" install 2>&1); rc=$?
if [ $rc = 64 ] && printf '%s' "$out" | grep -q 'build|test'; then
	pass usage
else fail usage "exit $rc: $out"; fi
