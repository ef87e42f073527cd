#!/bin/bash
# maildir.sh: maildir delivery end to end: a large message read from a
# pipe arrives byte-identical, the error texts name the path, the user
# and the fix, quota failures leave nothing behind, an empty message is
# not written, and maildir++ folders are plain maildirs.
. "$(dirname "$0")/lib/suite.sh" maildir

run() {	# sandbox < message
	(cd "$1" && env -i HOME="$1" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC SHELL=/bin/sh "$RUNNEL" ./f >"$1/.out" 2>"$1/.err"; echo $?)
}

files() { find "$@" -type f | wc -l; }

# 20 MB through a pipe (not seekable: the message module spools it).
sb=$(sandbox big 'to "M"\n')
{ printf 'Subject: big\n\n'; head -c 15000000 /dev/zero | tr '\0' 'x' | fold -w 76; } >"$work/big.msg"
rc=$(cat "$work/big.msg" | run "$sb")
f=$(find "$sb/M/new" -type f)
if [ "$rc" = 0 ] && [ "$(files "$sb/M/new")" = 1 ] && cmp -s "$f" "$work/big.msg" &&
    case $f in *",S=$(wc -c <"$work/big.msg")") true;; *) false;; esac; then
	pass "20MB-from-pipe-byte-identical"
else
	fail 20MB-from-pipe-byte-identical "exit $rc, $(files "$sb/M/new") files"
fi
rm -f "$work/big.msg"

msg=$work/msg
printf 'From: a@b\nSubject: x\n\nbody\n' >"$msg"

# Not a maildir: say which path, as which user, and how to make it one.
sb=$(sandbox half 'to "H/"\n')
mkdir -p "$sb/H/tmp" "$sb/H/new"
rc=$(run "$sb" <"$msg")
if [ "$rc" = 75 ] && grep -q '^maildrop: Unable to open mailbox.$' "$sb/.err" &&
    grep -q "as user $(id -un)" "$sb/.err" && grep -q 'not a maildir' "$sb/.err"; then
	pass "incomplete-maildir-error"
else
	fail incomplete-maildir-error "exit $rc: $(cat "$sb/.err")"
fi

# Over quota: maildrop's line, exit 75, nothing in tmp/ new/ cur/.
sb=$(sandbox quota 'MAILDIRQUOTA="30S"\ncc "M"\nto "M"\n')
rc=$(run "$sb" <"$msg")
if [ "$rc" = 75 ] && grep -q '^maildrop: maildir over quota.$' "$sb/.err" &&
    [ "$(files "$sb/M/new")" = 1 ] && [ "$(files "$sb/M/tmp" "$sb/M/cur")" = 0 ]; then
	pass "over-quota-75-nothing-left"
else
	fail over-quota-75-nothing-left "exit $rc: $(cat "$sb/.err")"
fi

# Quota caught by exception { } goes on to the next statement.
sb=$(sandbox quota-exc 'MAILDIRQUOTA="10S"\nexception {\nto "M"\n}\nMAILDIRQUOTA=""\nto "M/.Over"\n')
mkdir -p "$sb/M/.Over/tmp" "$sb/M/.Over/new" "$sb/M/.Over/cur"
rc=$(run "$sb" <"$msg")
if [ "$rc" = 0 ] && [ "$(files "$sb/M/.Over/new")" = 1 ] && [ "$(files "$sb/M/new")" = 0 ]; then
	pass "over-quota-caught-by-exception"
else
	fail over-quota-caught-by-exception "exit $rc: $(cat "$sb/.err")"
fi

# An empty message is delivered as it is, a 0-byte file in new/, with a
# warning (B11 revised: exit 0 means the message is in place).
sb=$(sandbox empty 'to "M"\n')
rc=$(run "$sb" </dev/null)
if [ "$rc" = 0 ] && [ "$(files "$sb/M/new")" = 1 ] &&
    [ "$(find "$sb/M/new" -type f -size 0 | wc -l)" = 1 ] &&
    grep -q 'the message is empty (0 bytes)' "$sb/.err"; then
	pass "empty-message-delivered"
else
	fail empty-message-delivered "exit $rc, $(files "$sb/M/new") files: $(cat "$sb/.err")"
fi

# Bad FLAGS: a clear error naming the letter, nothing delivered.
sb=$(sandbox flags 'FLAGS="Sx"\nto "M"\n')
rc=$(run "$sb" <"$msg")
if [ "$rc" = 75 ] && grep -q "'x' is not a maildir flag" "$sb/.err" &&
    [ "$(files "$sb/M")" = 0 ]; then
	pass "bad-flag-rejected"
else
	fail bad-flag-rejected "exit $rc: $(cat "$sb/.err")"
fi

# UMASK decides the mode of the message file.
sb=$(sandbox umask 'UMASK="027"\nto "M"\n')
rc=$(run "$sb" <"$msg")
f=$(find "$sb/M/new" -type f)
if [ "$rc" = 0 ] && [ "$(stat -c %a "$f")" = 640 ]; then
	pass "umask-027-gives-0640"
else
	fail umask-027-gives-0640 "exit $rc, mode $(stat -c %a "$f" 2>/dev/null)"
fi
