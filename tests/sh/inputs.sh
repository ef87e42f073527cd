#!/bin/bash
# inputs.sh: what the MTA and the user's files hand runnel, and what it
# must make of it:
#   - an empty message is delivered as it is (DIFFERENCES.md B11 revised);
#   - a -f sender with a line break is refused (no forged From_ line);
#   - an included file others could rewrite is refused like the filter;
#   - a delivery command that exits 75 says which one deferred the mail.
. "$(dirname "$0")/lib/suite.sh" inputs

run() {	# sandbox message [runnel options...]
	local sb=$1 msg=$2
	shift 2
	(cd "$sb" && env -i HOME="$sb" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC SHELL=/bin/sh timeout -s KILL 20 "$RUNNEL" "$@" ./f <"$msg" \
	    >"$sb/.out" 2>"$sb/.err"; echo $?)
}

sandbox() {	# name filter-text
	rm -rf "$work/$1"
	mkdir -p "$work/$1"
	printf '%b' "$2" >"$work/$1/f"
	chmod 600 "$work/$1/f"
	echo "$work/$1"
}

msg=$work/msg
printf 'From: a@b\nSubject: x\n\nbody\n' >"$msg"

# An empty message into an mbox: its From_ line and the blank line that
# ends every message, nothing more; exit 0 and a warning.
sb=$(sandbox empty-mbox 'to "mb"\n')
rc=$(run "$sb" /dev/null)
if [ "$rc" = 0 ] && [ "$(grep -c '^From MAILER-DAEMON ' "$sb/mb")" = 1 ] &&
    [ "$(wc -l <"$sb/mb")" = 2 ] && [ "$(tail -n 1 "$sb/mb")" = "" ] &&
    grep -q 'the message is empty (0 bytes)' "$sb/.err"; then
	pass "empty-message-into-mbox"
else
	fail empty-message-into-mbox "exit $rc, $(od -c "$sb/mb" 2>&1 | head -3): $(cat "$sb/.err")"
fi

# -f with a line break: refused (75), nothing written; maildrop writes
# "From evil" and then a forged header line into the mbox.
for s in 'evil\nFrom: forged@example.com' 'evil\rX-Forged: 1'; do
	sb=$(sandbox sender 'to "mb"\n')
	rc=$(run "$sb" "$msg" -f "$(printf "$s")")
	if [ "$rc" = 75 ] && [ ! -e "$sb/mb" ] &&
	    grep -q '^maildrop: Invalid envelope sender (-f).$' "$sb/.err"; then
		pass "sender-line-break-refused ($s)"
	else
		fail "sender-line-break-refused ($s)" "exit $rc, mbox: $(head -3 "$sb/mb" 2>&1)"
	fi
done
sb=$(sandbox sender-ok 'to "mb"\n')
rc=$(run "$sb" "$msg" -f 'ann@example.com')
[ "$rc" = 0 ] && grep -q '^From ann@example.com ' "$sb/mb" &&
    pass sender-plain-kept || fail sender-plain-kept "exit $rc"
