#!/bin/bash
# run.sh: the one test runner.  Every suite is a directory of readable
# cases (see tests/README.md); the last line is "N passed, M failed" and
# the exit status is non-zero when anything failed.
#
#   bash tests/run.sh [suite ...]    suites: unit parse errors golden diff sh
#   RUNNEL=path/to/runnel BUILD=build  (set by the GNUmakefile)
#   UPDATE=1 bash tests/run.sh parse   rewrite expected files (review the diff)
#   JOBS=1 bash tests/run.sh golden    one case at a time (default: nproc)
#   DIFF_CASES=dir   the diff suite runs the case directories in dir
#   DIFF_KEEP=dir    a failing diff case is copied to dir/NAME with both
#                    runs' outputs (maildrop.* and runnel.*)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
RUNNEL=${RUNNEL:-$top/runnel}
BUILD=${BUILD:-$top/build}
UPDATE=${UPDATE:-}
# golden and diff cases at once (each in its own sandbox)
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export RUNNEL BUILD
. "$top/tests/sh/lib/case.sh"
suites=${*:-unit parse errors golden diff sh}
pass=0 fail=0 skip=0
failed_names=()
work=$(mktemp -d "${TMPDIR:-/tmp}/runnel-tests.XXXXXX")
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	failed_names+=("$1")
	echo "FAIL: $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | head -40 | sed 's/^/    /'
	return 0
}

# Compare an expected file with actual text; with UPDATE=1 rewrite it.
expect_file() {	# name expected-file actual-file
	if [ -n "$UPDATE" ]; then
		cp "$3" "$2"
		return 0
	fi
	if [ ! -f "$2" ]; then
		bad "$1" "missing expected file $2 (UPDATE=1 creates it)"
		return 1
	fi
	if ! cmp -s "$2" "$3"; then
		bad "$1" "$(diff -u "$2" "$3" | head -60)"
		return 1
	fi
	return 0
}

# Files a run left in its sandbox: path, mode, size, sha256, with maildir
# unique names replaced so that two runs compare equal.
tree_of() {	# dir
	(cd "$1" && find . -type f ! -name f ! -name message ! -name setup \
	    ! -path './.runnel-*' | LC_ALL=C sort | while read -r p; do
		n=$(printf '%s' "$p" | sed -E \
		    -e 's#/(new|cur|tmp)/[^/:]+#/\1/MSG#' \
		    -e 's#/courierimapkeywords/[^/:]+#/courierimapkeywords/MSG#')
		# times and process ids masked (lib/mask.sed)
		printf '%s %s %s %s\n' "$n" "$(stat -c %a "$p")" \
		    "$(stat -c %s "$p")" \
		    "$(case_mask "$p" | sha256sum | cut -c1-16)"
	done | LC_ALL=C sort)
}

run_unit() {
	local t out
	for t in "$BUILD"/tests/unit/*; do
		[ -x "$t" ] || continue
		# Unit programs build trees and runs by hand and do not free
		# them; leak checking is for runnel itself (golden, diff, sh).
		out=$(ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$t" 2>&1)
		local rc=$? n=0 last=
		# tests/unit/unit.h: PASS, FAIL (its why's further lines
		# indented), SKIP
		while IFS= read -r line; do
			case "$line" in
			PASS*) ok; n=$((n + 1)) last=PASS;;
			FAIL*) bad "unit/$(basename "$t"): ${line#FAIL }"
			    n=$((n + 1)) last=FAIL;;
			SKIP*) skip=$((skip + 1)); n=$((n + 1)) last=SKIP
			    echo "SKIP: unit/$(basename "$t"): ${line#SKIP }";;
			"    "*) [ "$last" = FAIL ] && echo "$line";;
			esac
		done <<<"$out"
		if [ $rc -ne 0 ] && ! grep -q '^FAIL' <<<"$out"; then
			bad "unit/$(basename "$t")" "exit $rc: $out"
		elif [ $n -eq 0 ]; then
			bad "unit/$(basename "$t")" "printed no PASS/FAIL line"
		fi
	done
}

# tests/parse/NAME.mf -> NAME.ast (--dump-ast)
run_parse() {
	local f out
	for f in "$top"/tests/parse/*.mf; do
		[ -f "$f" ] || continue
		out="$work/parse.out"
		(cd "$top/tests/parse" && "$RUNNEL" --dump-ast "$(basename "$f")") >"$out" 2>&1
		echo "exit: $?" >>"$out"
		expect_file "parse/$(basename "$f")" "${f%.mf}.ast" "$out" && ok
	done
}

# tests/errors/NAME.mf -> NAME.err (--check: exact text, then exit status)
run_errors() {
	local f out
	for f in "$top"/tests/errors/*.mf; do
		[ -f "$f" ] || continue
		out="$work/errors.out"
		# HOME=.: a relative folder's warning reads the same on
		# every machine; no maildroprc sets variables here
		(cd "$top/tests/errors" && HOME=. \
		    RUNNEL_SYSCONFDIR=/nonexistent "$RUNNEL" --check \
		    $(cat "${f%.mf}.args" 2>/dev/null) "$(basename "$f")") \
		    >"$out" 2>&1
		echo "exit: $?" >>"$out"
		expect_file "errors/$(basename "$f")" "${f%.mf}.err" "$out" && ok
	done
}

# Run a filter the way a user does: cd to the sandbox, ./f as the filter.
run_filter() {	# program case-dir sandbox-dir outprefix
	case_run "$2" "$3" "$4" "$1"
	tree_of "$3" >"$4.tree"
}

# Run fn on each case, JOBS at a time (the cases are independent: each
# has its own sandbox), and report in the order of the cases as a serial
# run would.  A case's ok and bad go to its own file (ok as a line "@ok"),
# read back here and counted.
parallel_cases() {	# fn case...
	local fn=$1 i=0 j c line out=$work/cases
	shift
	rm -rf "$out"
	mkdir -p "$out"
	for c in "$@"; do
		i=$((i + 1))
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
			wait -n
		done
		(ok() { echo "@ok"; }; "$fn" "$c" "$i") >"$out/$i" 2>&1 &
	done
	wait
	for ((j = 1; j <= i; j++)); do
		while IFS= read -r line; do
			case "$line" in
			@ok) ok;;
			"FAIL: "*) fail=$((fail + 1))
			    failed_names+=("${line#FAIL: }")
			    echo "$line";;
			*) echo "$line";;
			esac
		done <"$out/$j"
	done
	rm -rf "$out"
}

# tests/golden/NAME/: filter, message, [args], [setup] -> expect/{stdout,
# stderr,exit,tree}; a missing expect file is not compared.
golden_case() {	# case-dir n
	local d=$1 name sb=$work/sb.$2 out=$work/out.$2 e okay=1
	name=golden/$(basename "$d")
	case_sandbox "$d" "$sb" || { bad "$name" "setup failed"; return; }
	run_filter "$RUNNEL" "$d" "$sb" "$out"
	sed -i "s#$sb#\$HOME#g" "$out.stdout" "$out.stderr" "$out.tree"
	case_mask -i "$out.stdout" "$out.stderr"
	if [ -n "$UPDATE" ]; then
		mkdir -p "$d/expect"
		for e in stdout stderr exit tree; do
			cp "$out.$e" "$d/expect/$e"
		done
	fi
	for e in exit stdout stderr tree; do
		[ -f "$d/expect/$e" ] || continue
		expect_file "$name ($e)" "$d/expect/$e" "$out.$e" || { okay=0; break; }
	done
	[ $okay = 1 ] && ok
	rm -rf "$sb" "$out".*
}

run_golden() {
	local d cases=()
	for d in "$top"/tests/golden/*/; do
		[ -f "$d/filter" ] && cases+=("${d%/}")
	done
	parallel_cases golden_case "${cases[@]}"
}

# tests/diff/NAME/: the same case through /usr/bin/maildrop and runnel.
# Stdout, the exit status and the files written must agree; every line
# maildrop prints on stderr must appear, in order, in runnel's.  A file
# "differs" documents a deliberate difference (tests/spec/DIFFERENCES.md): then
# runnel's results are compared with expect/ instead; "stderr-differs"
# waives only the stderr check (VERBOSE traces, whose texts are informative).
diff_case() {	# case-dir n
	local d=$1 name sb=$work/dsb.$2 md=$work/md.$2 rn=$work/rn.$2
	name=diff/$(basename "$d")
	case_sandbox "$d" "$sb" || { bad "$name" "setup failed"; return; }
	run_filter /usr/bin/maildrop "$d" "$sb" "$md"
	# maildrop names itself by argv[0]; runnel always "maildrop:"
	sed -i 's#^/usr/bin/maildrop: #maildrop: #' "$md.stderr"
	case_sandbox "$d" "$sb" || { bad "$name" "setup failed"; return; }
	run_filter "$RUNNEL" "$d" "$sb" "$rn"
	case_mask -i "$md.stderr" "$rn.stderr"
	if [ -f "$d/differs" ]; then
		local okay=1 e
		for e in exit stdout tree; do
			[ -f "$d/expect/$e" ] || continue
			sed -i "s#$sb#\$HOME#g" "$rn.$e"
			expect_file "$name ($e)" "$d/expect/$e" "$rn.$e" || { okay=0; break; }
		done
		[ $okay = 1 ] && ok
		rm -rf "$sb" "$md".* "$rn".*
		return
	fi
	local why=
	cmp -s "$md.exit" "$rn.exit" ||
	    why="exit: maildrop $(cat "$md.exit"), runnel $(cat "$rn.exit")"
	[ -z "$why" ] && ! cmp -s "$md.stdout" "$rn.stdout" &&
	    why="stdout differs:
$(diff -u "$md.stdout" "$rn.stdout" | head -30)"
	[ -z "$why" ] && ! cmp -s "$md.tree" "$rn.tree" &&
	    why="files differ:
$(diff -u "$md.tree" "$rn.tree" | head -30)"
	# "stderr-differs" (the reason): maildrop's trace texts are
	# informative only; stdout, exit and files still must agree
	if [ -z "$why" ] && [ ! -f "$d/stderr-differs" ]; then
		# maildrop's stderr lines, in order, within runnel's (but
		# for its empty ones, DIFFERENCES.md B32)
		local missing=
		# (awk's NR==FNR needs a non-empty first file)
		[ -s "$md.stderr" ] && missing=$(awk 'NR==FNR { if ($0 != "") want[++n] = $0; next }
		    i < n && $0 == want[i + 1] { i++ }
		    END { if (i < n) print want[i + 1] }' \
		    "$md.stderr" "$rn.stderr")
		[ -n "$missing" ] && why="stderr lacks maildrop's line: $missing
runnel said:
$(head -20 "$rn.stderr")"
	fi
	if [ -n "$why" ]; then
		bad "$name" "$why"
		[ -n "${DIFF_KEEP:-}" ] &&
		    keep_diff "$d" "$DIFF_KEEP/$(basename "$d")" "$md" "$rn"
	else
		ok
	fi
	rm -rf "$sb" "$md".* "$rn".*
}

# A failing case with what each program did, for a look later.
keep_diff() {	# case-dir dest maildrop-outprefix runnel-outprefix
	local e
	mkdir -p "$2"
	cp -R "$1"/. "$2"/
	for e in exit stdout stderr tree; do
		cp "$3.$e" "$2/maildrop.$e"
		cp "$4.$e" "$2/runnel.$e"
	done
}

run_diff() {
	local d cases=()
	if ! command -v maildrop >/dev/null 2>&1; then
		echo "SKIP: diff (maildrop not installed)"
		skip=$((skip + 1))
		return
	fi
	for d in "${DIFF_CASES:-$top/tests/diff}"/*/; do
		[ -f "$d/filter" ] && cases+=("${d%/}")
	done
	parallel_cases diff_case "${cases[@]}"
}

# tests/sh/*.sh: scripted suites (delivery, faults, spamd, ...).  Each
# prints PASS/FAIL/SKIP lines; a non-zero exit with no FAIL line fails.
run_sh() {
	local t out rc n
	for t in "$top"/tests/sh/*.sh; do
		[ -f "$t" ] || continue
		out=$(cd "$top" && WORK="$work" bash "$t" 2>&1)
		rc=$? n=0
		while IFS= read -r line; do
			case "$line" in
			PASS*) ok; n=$((n + 1));;
			FAIL*) bad "sh/$(basename "$t"): ${line#FAIL }"; n=$((n + 1));;
			SKIP*) skip=$((skip + 1)); n=$((n + 1)); echo "$line";;
			"  "*) [ $fail -gt 0 ] && echo "$line";;
			esac
		done <<<"$out"
		if [ $rc -ne 0 ] && ! grep -q '^FAIL' <<<"$out"; then
			bad "sh/$(basename "$t")" "exit $rc: $(tail -20 <<<"$out")"
		elif [ $n -eq 0 ]; then
			bad "sh/$(basename "$t")" "printed no PASS/FAIL line"
		fi
	done
}

for s in $suites; do
	case "$s" in
	unit|parse|errors|golden|diff|sh) "run_$s";;
	*) echo "run.sh: unknown suite '$s'" >&2; exit 2;;
	esac
done
if [ $skip -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ $fail -eq 0 ]
