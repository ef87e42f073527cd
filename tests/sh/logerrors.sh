#!/bin/bash
# logerrors.sh: the user's logfile gets the run-time error records
# (DIFFERENCES.md B22), rendered by the one function that writes them
# to stderr (rt_error_text): a failure that ends the run is the same
# text in both places, a paragraph after the !Err: record; a failure an
# exception { } traps is in the log only.  Where maildrop writes the log
# (the delivery records), runnel's lines are maildrop's.
. "$(dirname "$0")/lib/suite.sh" logerrors
. "$(dirname "$0")/lib/case.sh"

msg=$work/msg
printf 'From: a@example.com\nSubject: hi\n\nbody\n' >"$msg"

run() {	# program sandbox: stdout+stderr in .err, the exit status in RC
	RC=0
	(cd "$2" && env -i HOME="$2" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC "$1" ./f <"$msg" >.out 2>.err) || RC=$?
}

# 1. A failure that ends the run: stderr's record, word for word, in
# the log after the failed delivery's record.
sb=$(sandbox fatal 'logfile "log"\nto "M/.nosuch/"\n')
run "$RUNNEL" "$sb"
if [ "$RC" = 75 ] && [ -s "$sb/.err" ] &&
    grep -q '^!Err: M/.nosuch/' "$sb/log" &&
    [ "$(sed -n '/^maildrop: /,$p' "$sb/log")" = "$(cat "$sb/.err")" ] &&
    grep -q 'mkdir -p M/.nosuch/{cur,new,tmp}' "$sb/log"; then
	pass fatal-in-log
else
	fail fatal-in-log "exit $RC" "log:" "$(cat "$sb/log")" "stderr:" \
	    "$(cat "$sb/.err")"
fi

# 2. A trapped failure: nothing on stderr (B22), the record in the log
# between the failed delivery's record and the next one.
sb=$(sandbox trapped 'logfile "log"\nexception {\n  to "nosuchdir/x"\n}\nto "/dev/null"\n')
run "$RUNNEL" "$sb"
if [ "$RC" = 0 ] && [ ! -s "$sb/.err" ] &&
    [ "$(grep -E '^(!Err|File|exception trapped|  \./f)' "$sb/log" |
    case_mask | sed -E 's/ +\([0-9]+\)$//')" = \
    "$(printf '%s\n' '!Err: nosuchdir/x' \
    'exception trapped: Unable to create a dot-lock at nosuchdir/PID.0.HOST.' \
    '  ./f:3:3: nosuchdir/PID.0.HOST: No such file or directory (as user root)' \
    'File: /dev/null')" ]; then
	pass trapped-in-log
elif [ "$(id -u)" != 0 ] && grep -q 'exception trapped' "$sb/log"; then
	pass trapped-in-log "(not root: the user named differs)"
else
	fail trapped-in-log "exit $RC" "log:" "$(cat "$sb/log")" "stderr:" \
	    "$(cat "$sb/.err")"
fi

# 3. maildrop on the same filter: its log holds only the delivery
# records; runnel's last record is maildrop's line for line (the Date:
# line aside).
last() {	# log: its last record, without its Date: line
	awk '/^Date: /{r=""} {r=r $0 "\n"} END{printf "%s", r}' "$1" |
	    grep -v '^Date: '
}
if [ -x /usr/bin/maildrop ]; then
	md=$(sandbox md 'logfile "log"\nexception {\n  to "nosuchdir/x"\n}\nto "/dev/null"\n')
	run /usr/bin/maildrop "$md"
	if [ "$(grep -v '^Date: ' "$md/log")" = "$(last "$sb/log")" ] &&
	    ! grep -q 'exception trapped' "$md/log"; then
		pass maildrop-lines
	else
		fail maildrop-lines "maildrop's last record is not runnel's" \
		    "maildrop:" "$(cat "$md/log")" "runnel:" "$(cat "$sb/log")"
	fi
else
	skip maildrop-lines "no /usr/bin/maildrop (package maildrop)"
fi

# 4. A dry run writes no log.
sb=$(sandbox dry 'logfile "log"\nto "M/.nosuch/"\n')
(cd "$sb" && "$RUNNEL" --dry-run ./f <"$msg" >/dev/null 2>&1)
if [ ! -e "$sb/log" ]; then
	pass dry-run-no-log
else
	fail dry-run-no-log "the dry run wrote $sb/log" "$(cat "$sb/log")"
fi
