#!/bin/bash
# mbox.sh: mbox delivery end to end, compared with maildrop 2.9.3 where
# the bytes are comparable (From_ dates normalized), and runnel's own
# locking rules where maildrop has none (dead owners, bounded waits).
. "$(dirname "$0")/lib/suite.sh" mbox
. "$(dirname "$0")/lib/case.sh"
MAILDROP=/usr/bin/maildrop

run() {	# program sandbox msg [VAR=value...]
	local prog=$1 sb=$2 msg=$3
	shift 3
	(cd "$sb" && env -i HOME="$sb" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC LANG=C.UTF-8 SHELL=/bin/sh "$@" "$prog" ./f <"$msg" \
	    >"$sb/.out" 2>"$sb/.err"; echo $?)
}

# Same filter and message through both; the mailbox and the log must
# agree byte for byte once dates are normalized.
same_as_maildrop() {	# name message-text
	local m=$work/$1.msg a b ra rb
	printf '%b' "$2" >"$m"
	a=$(bare_sandbox "$1-md" 'logfile "log"\ncc "mb"\nto "mb"\n')
	b=$(bare_sandbox "$1-rn" 'logfile "log"\ncc "mb"\nto "mb"\n')
	ra=$(run "$MAILDROP" "$a" "$m")
	rb=$(run "$RUNNEL" "$b" "$m")
	if [ "$ra" != "$rb" ]; then
		fail "$1" "exit: maildrop $ra, runnel $rb $(head -3 "$b/.err")"
	elif ! cmp -s <(case_mask "$a/mb") <(case_mask "$b/mb"); then
		fail "$1" "mailbox differs: $(diff <(case_mask "$a/mb") <(case_mask "$b/mb") | head -5)"
	elif [ "$1" != crlf ] && ! cmp -s <(case_mask "$a/log") <(case_mask "$b/log"); then
		fail "$1-log" "log differs: $(diff <(case_mask "$a/log") <(case_mask "$b/log") | head -5)"
	else
		pass "$1 (same bytes as maildrop, twice, with log)"
	fi
}

if [ -x "$MAILDROP" ]; then
	same_as_maildrop plain 'From: a@b\nSubject: x\n\nbody\n'
	same_as_maildrop from-quoting 'From x\nFrom: a@b\nSubject: x\n\nbody\nFrom the body\n>From q\n>>From qq\n>Fromx\n From\nlast'
	# (maildrop keeps the CR in the log's From:/Subj: lines; runnel's
	# log drops it, so only the mailbox is compared here.)
	same_as_maildrop crlf 'From: a@b\r\nSubject: x\r\n\r\nFrom body\r\n'
	same_as_maildrop return-path 'Return-Path: <rp@example.com>\nFrom: a@b\nSubject: x\n\nbody\n\n\n'
	same_as_maildrop blank-end 'Subject: x\n\nbody\n\n'

	# A missing directory: maildrop's dot-lock line, its pid normalized.
	m=$work/plain.msg
	a=$(bare_sandbox nodir-md 'to "nodir/mb"\n')
	b=$(bare_sandbox nodir-rn 'to "nodir/mb"\n')
	ra=$(run "$MAILDROP" "$a" "$m")
	rb=$(run "$RUNNEL" "$b" "$m")
	la=$(sed 's#^/usr/bin/maildrop: #maildrop: #' "$a/.err" | case_mask | head -1)
	lb=$(case_mask "$b/.err" | head -1)
	if [ "$ra" = 75 ] && [ "$rb" = 75 ] && [ "$la" = "$lb" ] &&
	    grep -q 'mailbox path' "$b/.err"; then
		pass "missing-dir ($lb)"
	else
		fail missing-dir "maildrop $ra '$la', runnel $rb '$lb'"
	fi
else
	skip comparisons "maildrop not installed"
fi

m=$work/plain.msg
[ -f "$m" ] || printf 'From: a@b\nSubject: x\n\nbody\n' >"$m"

# A dot-lock whose owner is gone is broken at once (maildrop would wait
# LOCKTIMEOUT, 60 s).
sb=$(bare_sandbox dead 'to "mb"\n')
sh -c 'exit 0' & p=$!; wait $p
printf '%s\n' "$p" >"$sb/mb.lock"
t0=$SECONDS
rc=$(run "$RUNNEL" "$sb" "$m")
if [ "$rc" = 0 ] && [ $((SECONDS - t0)) -le 2 ] && [ ! -e "$sb/mb.lock" ] &&
    [ "$(grep -c '^From ' "$sb/mb")" = 1 ]; then
	pass "dead-owner-lock-broken-at-once"
else
	fail dead-owner-lock-broken-at-once "exit $rc after $((SECONDS - t0)) s"
fi

# A live owner's lock that does not change for LOCKTIMEOUT is stale.
sb=$(bare_sandbox stale 'LOCKTIMEOUT=2\nLOCKSLEEP=1\nto "mb"\n')
sleep 30 & p=$!
printf '%s\n' "$p" >"$sb/mb.lock"
t0=$SECONDS
rc=$(run "$RUNNEL" "$sb" "$m")
kill $p 2>/dev/null; wait $p 2>/dev/null
if [ "$rc" = 0 ] && [ $((SECONDS - t0)) -ge 2 ] && [ ! -e "$sb/mb.lock" ]; then
	pass "stale-lock-removed-after-LOCKTIMEOUT ($((SECONDS - t0)) s)"
else
	fail stale-lock-removed-after-LOCKTIMEOUT "exit $rc after $((SECONDS - t0)) s"
fi

# A lock kept fresh by a live owner: give up within the bound, exit 75,
# mailbox untouched.  LOCKEXT names the lock.
sb=$(bare_sandbox busy 'LOCKEXT=".lck"\nLOCKTIMEOUT=1\nLOCKSLEEP=1\nto "mb"\n')
printf 'old\n' >"$sb/mb"
( while :; do printf '%s\n' "$$" >"$sb/mb.lck.new"; mv "$sb/mb.lck.new" "$sb/mb.lck"; sleep 0.2; done ) & p=$!
sleep 0.3
t0=$SECONDS
rc=$(run "$RUNNEL" "$sb" "$m")
kill $p 2>/dev/null; wait $p 2>/dev/null
if [ "$rc" = 75 ] && [ $((SECONDS - t0)) -le 6 ] &&
    grep -q '^maildrop: Unable to lock mailbox.$' "$sb/.err" &&
    [ "$(cat "$sb/mb")" = old ]; then
	pass "busy-lock-bounded-wait ($((SECONDS - t0)) s, LOCKEXT honoured)"
else
	fail busy-lock-bounded-wait "exit $rc after $((SECONDS - t0)) s: $(head -2 "$sb/.err")"
fi

# /dev/null: no lock, no error.
sb=$(bare_sandbox devnull 'to "/dev/null"\n')
rc=$(run "$RUNNEL" "$sb" "$m")
[ "$rc" = 0 ] && pass devnull || fail devnull "exit $rc $(cat "$sb/.err")"

# A directory that is not a maildir.
sb=$(bare_sandbox dir 'to "adir"\n')
mkdir "$sb/adir"
rc=$(run "$RUNNEL" "$sb" "$m")
if [ "$rc" = 75 ] && grep -q '^maildrop: Unable to open mailbox.$' "$sb/.err" &&
    grep -q 'not a maildir' "$sb/.err"; then
	pass directory-refused
else
	fail directory-refused "exit $rc $(cat "$sb/.err")"
fi

# A symbolic link planted by another user is not followed; our own is.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	sb=$(bare_sandbox link 'to "mb"\n')
	: >"$sb/target"
	ln -s target "$sb/mb"
	chown -h nobody "$sb/mb"
	rc=$(run "$RUNNEL" "$sb" "$m")
	if [ "$rc" = 75 ] && [ ! -s "$sb/target" ] && grep -q 'symbolic link' "$sb/.err"; then
		pass foreign-symlink-refused
	else
		fail foreign-symlink-refused "exit $rc, target $(wc -c <"$sb/target") bytes"
	fi
	chown -h root "$sb/mb"
	rc=$(run "$RUNNEL" "$sb" "$m")
	[ "$rc" = 0 ] && [ -s "$sb/target" ] && pass own-symlink-followed ||
	    fail own-symlink-followed "exit $rc"
else
	skip "symlink ownership" "not root"
fi

# dotlock / flock statements end to end.
sb=$(bare_sandbox stmt 'dotlock "x.lock" {\n`cat x.lock > seen`\n}\nflock "fl" {\n`true`\n}\nexit\n')
rc=$(run "$RUNNEL" "$sb" "$m")
if [ "$rc" = 0 ] && [ -s "$sb/seen" ] && [ ! -e "$sb/x.lock" ] && [ -f "$sb/fl" ]; then
	pass "dotlock-flock-statements"
else
	fail dotlock-flock-statements "exit $rc $(cat "$sb/.err")"
fi

# Delivering under a dotlock on the mailbox's own lock: granted, not a
# wait for ourselves (maildrop hangs until its watchdog).
sb=$(bare_sandbox nested 'dotlock "mb.lock" {\ncc "mb"\n}\nexit\n')
t0=$SECONDS
rc=$(run "$RUNNEL" "$sb" "$m")
if [ "$rc" = 0 ] && [ $((SECONDS - t0)) -le 2 ] && [ ! -e "$sb/mb.lock" ] &&
    [ "$(grep -c '^From ' "$sb/mb")" = 1 ]; then
	pass "delivery-inside-own-dotlock"
else
	fail delivery-inside-own-dotlock "exit $rc after $((SECONDS - t0)) s: $(cat "$sb/.err")"
fi

# A dotlock inside a dotlock of the same name: granted too, and the lock
# stays until the outer block ends (DIFFERENCES.md B31).
sb=$(bare_sandbox nested-statement 'dotlock "lk" {\ndotlock "lk" {\nA=`cat lk`\n}\nB=`cat lk`\n}\nC=`test -e lk && echo held || echo free`\necho "[$A] [$B] [$C]"\nexit\n')
t0=$SECONDS
rc=$(run "$RUNNEL" "$sb" "$m")
if [ "$rc" = 0 ] && [ $((SECONDS - t0)) -le 2 ] && [ ! -e "$sb/lk" ] &&
    grep -Eqx '\[[0-9]+\] \[[0-9]+\] \[free\]' "$sb/.out"; then
	pass "dotlock-inside-own-dotlock"
else
	fail dotlock-inside-own-dotlock "exit $rc after $((SECONDS - t0)) s: $(cat "$sb/.out" "$sb/.err")"
fi
