#!/bin/bash
# inputs.sh: what the MTA and the user's files hand runnel, and what it
# must make of it:
#   - an empty message is delivered as it is (DIFFERENCES.md B11 revised);
#   - a -f sender with a line break is refused (no forged From_ line);
#   - an included file others could rewrite is refused like the filter;
#   - a delivery command that exits 75 says which one deferred the mail.
. "$(dirname "$0")/lib/suite.sh" inputs
. "$(dirname "$0")/lib/case.sh"

run() {	# sandbox message [runnel options...]
	local sb=$1 msg=$2
	shift 2
	(cd "$sb" && env -i HOME="$sb" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC SHELL=/bin/sh timeout -s KILL 20 "$RUNNEL" "$@" ./f <"$msg" \
	    >"$sb/.out" 2>"$sb/.err"; echo $?)
}

msg=$work/msg
printf 'From: a@b\nSubject: x\n\nbody\n' >"$msg"

# An empty message into an mbox: its From_ line and the blank line that
# ends every message, nothing more; exit 0 and a warning.
sb=$(bare_sandbox empty-mbox 'to "mb"\n')
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
	sb=$(bare_sandbox sender 'to "mb"\n')
	rc=$(run "$sb" "$msg" -f "$(printf "$s")")
	if [ "$rc" = 75 ] && [ ! -e "$sb/mb" ] &&
	    grep -q '^maildrop: Invalid envelope sender (-f).$' "$sb/.err"; then
		pass "sender-line-break-refused ($s)"
	else
		fail "sender-line-break-refused ($s)" "exit $rc, mbox: $(head -3 "$sb/mb" 2>&1)"
	fi
done
sb=$(bare_sandbox sender-ok 'to "mb"\n')
rc=$(run "$sb" "$msg" -f 'ann@example.com')
[ "$rc" = 0 ] && grep -q '^From ann@example.com ' "$sb/mb" &&
    pass sender-plain-kept || fail sender-plain-kept "exit $rc"

# An included file that others could rewrite is refused like the filter
# (75, the chmod that fixes it); a 0644 one of ours runs.
sb=$(bare_sandbox inc-gw 'include "inc"\nto "mb"\n')
printf 'to "other"\n' >"$sb/inc"; chmod 664 "$sb/inc"
rc=$(run "$sb" "$msg")
if [ "$rc" = 75 ] && [ ! -e "$sb/mb" ] && [ ! -e "$sb/other" ] &&
    grep -q '^maildrop: Unable to open include file.$' "$sb/.err" &&
    grep -q 'inc is writable by its group' "$sb/.err" &&
    grep -q 'fix: chmod go-w inc' "$sb/.err"; then
	pass include-group-writable-refused
else
	fail include-group-writable-refused "exit $rc: $(cat "$sb/.err")"
fi
chmod 646 "$sb/inc"
rc=$(run "$sb" "$msg")
if [ "$rc" = 75 ] && grep -q 'inc is writable by every user' "$sb/.err"; then
	pass include-world-writable-refused
else
	fail include-world-writable-refused "exit $rc: $(cat "$sb/.err")"
fi
chmod 644 "$sb/inc"
rc=$(run "$sb" "$msg")
[ "$rc" = 0 ] && [ -s "$sb/other" ] && pass include-0644-runs ||
    fail include-0644-runs "exit $rc: $(cat "$sb/.err")"

if [ "$(id -u)" = 0 ]; then
	sb=$(bare_sandbox inc-owner 'include "inc"\nto "mb"\n')
	printf 'to "other"\n' >"$sb/inc"
	chown 4242 "$sb/inc"
	rc=$(run "$sb" "$msg")
	if [ "$rc" = 75 ] && [ ! -e "$sb/other" ] &&
	    grep -q 'inc belongs to uid 4242, not to root' "$sb/.err" &&
	    grep -q 'fix: chown root inc' "$sb/.err"; then
		pass include-foreign-owner-refused
	else
		fail include-foreign-owner-refused "exit $rc: $(cat "$sb/.err")"
	fi
else
	skip include-foreign-owner "needs root to chown to another uid"
fi

# A delivery command that exits 75 defers the mail: the run exits 75 and
# stderr says which command and what status.
sb=$(bare_sandbox pipe75 'to "|cat >/dev/null; exit 75"\n')
rc=$(run "$sb" "$msg")
if [ "$rc" = 75 ] &&
    grep -q '^./f(1): |cat >/dev/null; exit 75 exited with status 75 (temporary failure)' "$sb/.err"; then
	pass pipe-75-named
else
	fail pipe-75-named "exit $rc: $(cat "$sb/.err")"
fi

# to "/" as a user who cannot write in /: maildrop's first line is its
# dot-lock's; runnel follows that order (pid normalized).
if [ "$(id -u)" = 0 ] && [ -x /usr/bin/maildrop ] && command -v setpriv >/dev/null &&
    id nobody >/dev/null 2>&1; then
	# nobody must reach its sandbox: a directory of its own under /tmp
	# ($work may sit inside the runner's private directory)
	pub=$(mktemp -d /tmp/inputs-nobody.XXXXXX) && chmod 711 "$pub"
	first() {	# program
		local sb=$pub/slash
		rm -rf "$sb"; mkdir -p "$sb"; printf 'to "/"\n' >"$sb/f"
		cp "$msg" "$sb/msg"; chown -R nobody "$sb"; chmod 600 "$sb/f"
		(cd "$sb" && setpriv --reuid=nobody --regid="$(id -g nobody)" \
		    --clear-groups env -i HOME="$sb" LOGNAME=nobody \
		    PATH=/usr/bin:/bin timeout -s KILL 20 "$1" ./f <"$sb/msg" \
		    2>&1 >/dev/null; echo "exit $?") |
		    sed 's#^/usr/bin/maildrop: #maildrop: #' | case_mask |
		    sed -n '1p;$p'
	}
	mkdir -p "$pub/bin" && cp "$RUNNEL" "$pub/bin/runnel" &&
	    chmod 755 "$pub/bin" "$pub/bin/runnel"
	a=$(first /usr/bin/maildrop)
	b=$(first "$pub/bin/runnel")
	rm -rf "$pub"
	if [ "$a" = "$b" ] && grep -q 'Unable to create a dot-lock at /PID' <<<"$b"; then
		pass "to-slash-lock-line-first"
	else
		fail to-slash-lock-line-first "maildrop: $a; runnel: $b"
	fi
else
	skip to-slash "needs root, maildrop, setpriv and user nobody"
fi
