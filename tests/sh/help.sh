#!/bin/bash
# help.sh: --help is runnel's own text and names every option, every
# RUNNEL_ setting the code reads and the exit codes; -h stays maildrop's
# two usage lines (exit 75) for scripts that parse them.
. "$(dirname "$0")/lib/suite.sh" help

out=$("$RUNNEL" --help 2>"$work/err"); rc=$?
if [ $rc = 0 ] && [ ! -s "$work/err" ] &&
    [ "$(head -1 <<<"$out")" = "Usage: runnel [options] [-d user] [arg ...]" ]; then
	pass "help-is-runnels"
else
	fail help-is-runnels "exit $rc, first line: $(head -1 <<<"$out")"
fi

# Every letter and long option main.c accepts.
missing=
for o in $(grep -oE "^	case '[a-zA-Z]':" "$top/interp/start/main.c" |
    cut -d"'" -f2); do
	grep -qE "^  -$o( |$)" <<<"$out" || missing="$missing -$o"
done
for o in $(grep -oE 'strcmp\(arg, "--[a-z-]+"\)' "$top/interp/start/main.c" |
    cut -d'"' -f2); do
	grep -qE "^  $o( |$)" <<<"$out" || missing="$missing $o"
done
if [ -z "$missing" ]; then pass "help-every-option"
else fail help-every-option "not in --help:$missing"; fi

# Every RUNNEL_ setting the code reads (the version macro and the test
# builds' allocation fault are not settings).
missing=
for v in $(grep -rhoE 'RUNNEL_[A-Z_]+' "$top/interp" "$top/builtins" \
    "$top/grammar" --include='*.c' --include='*.h' | sort -u); do
	case $v in RUNNEL_VERSION|RUNNEL_FAIL_ALLOC) continue;; esac
	grep -qE "^  $v " <<<"$out" || missing="$missing $v"
done
if [ -z "$missing" ]; then pass "help-every-setting"
else fail help-every-setting "not in --help:$missing"; fi

missing=
for c in 0 1 67 75; do
	grep -qE "^  $c +[a-z-]" <<<"$out" || missing="$missing $c"
done
if [ -z "$missing" ]; then pass "help-exit-codes"
else fail help-exit-codes "not in --help:$missing"; fi

# -h: maildrop's lines and status, compared with maildrop when installed.
"$RUNNEL" -h >"$work/rn.out" 2>"$work/rn.err"; rc=$?
if [ -x /usr/bin/maildrop ]; then
	/usr/bin/maildrop -h >"$work/md.out" 2>"$work/md.err"; mrc=$?
else
	printf '%s\n' 'Usage: maildrop [options] [-d user] [arg] [arg] ...' \
	    '       maildrop [options] [filterfile [arg] [arg] ...' >"$work/md.out"
	mrc=75
fi
if [ $rc = $mrc ] && cmp -s "$work/md.out" "$work/rn.out"; then
	pass "h-is-maildrops"
else
	fail h-is-maildrops "exit $rc (maildrop $mrc): $(diff "$work/md.out" "$work/rn.out")"
fi
