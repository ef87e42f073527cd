# runner.sh: delivery mode (-d, -M), the home directory checks and
# <sysconfdir>/maildroprc (DELIVERY.md §2).  The user is made up by the
# fakepw preload library, with a sandbox for a home, and the
# configuration directory is a sandbox too (RUNNEL_SYSCONFDIR).
. "$(dirname "$0")/lib/suite.sh" runner
. "$(dirname "$0")/lib/fakehome.sh"

# fresh NAME: home $H (with a Maildir), sysconfdir $S, message $M
fresh() { fresh_home "$1" hi; }
mailfilter() { printf '%s\n' "$1" >"$H/.mailfilter"; chmod 600 "$H/.mailfilter"; }

# deliver ARGS...: runnel ARGS < $M as user "fakeu" from /
deliver() {
	(cd / && env -i PATH=/usr/bin:/bin LANG=C.UTF-8 FOO=bar \
	    LD_PRELOAD="$PRE" FAKEPW_NAME=fakeu FAKEPW_HOME="$H" \
	    ${RUNNEL_ASAN:+ASAN_OPTIONS=verify_asan_link_order=0} \
	    RUNNEL_SYSCONFDIR="$S" "$RUNNEL" "$@" <"$M" >"$work/.out" 2>"$work/.err")
	RC=$?
	OUT=$(cat "$work/.out")
	ERR=$(cat "$work/.err")
}
count() { find "$H/Maildir/new" -type f | wc -l; }

fresh dm; mailfilter 'to "Maildir/"'
deliver -d fakeu
expect delivery-mailfilter "$([ $RC = 0 ] && [ "$(count)" = 1 ]; echo $?)" \
    "want one message in Maildir/new"

fresh vars; mailfilter 'echo "HOME=$HOME LOGNAME=$LOGNAME DEFAULT=$DEFAULT"
P=`pwd`
echo "FOO=[$FOO] LANG=$LANG MAILFILTER=$MAILFILTER 1=$1 PWD=$P"
exit'
deliver -d fakeu argone
want="HOME=$H LOGNAME=fakeu DEFAULT=/var/mail/fakeu
FOO=[] LANG=C.UTF-8 MAILFILTER=.mailfilter 1=argone PWD=$H"
expect delivery-variables "$([ $RC = 0 ] && [ "$OUT" = "$want" ]; echo $?)" \
    "want: $want"

fresh rc; printf 'DEFAULT="$HOME/Maildir/"\n' >"$S/maildroprc"
deliver -d fakeu
expect maildroprc-then-default "$([ $RC = 0 ] && [ "$(count)" = 1 ]; echo $?)" \
    "no .mailfilter: maildroprc's DEFAULT gets the message"

fresh rcexit; printf 'EXITCODE=5\nexit\n' >"$S/maildroprc"
mailfilter 'echo "filter ran"
exit'
deliver -d fakeu
expect maildroprc-exit "$([ $RC = 5 ] && [ -z "$OUT" ]; echo $?)" \
    "exit in maildroprc ends the run with EXITCODE"

fresh rcsyntax; printf 'if (1) {\n}\n' >"$S/maildroprc"
deliver -d fakeu
expect maildroprc-syntax-75 "$([ $RC = 75 ] &&
    grep -q "maildroprc(1): Syntax error after )" "$work/.err"; echo $?)" \
    "a syntax error in maildroprc is 75"

fresh sticky; mailfilter 'to "Maildir/"'; chmod 1755 "$H"
deliver -d fakeu
expect sticky-home-silent-75 "$([ $RC = 75 ] && [ -z "$ERR" ] &&
    [ "$(count)" = 0 ]; echo $?)" "sticky home: 75 and no word"

fresh ww; mailfilter 'to "Maildir/"'; chmod 777 "$H"
deliver -d fakeu
expect world-writable-home "$([ $RC = 75 ] && grep -q \
    '^maildrop: Invalid home directory permissions - world writable\.$' \
    "$work/.err"; echo $?)" "want maildrop's line"

fresh gw; mailfilter 'to "Maildir/"'; chmod 660 "$H/.mailfilter"
deliver -d fakeu
expect group-writable-mailfilter "$([ $RC = 75 ] && [ "$(count)" = 0 ] &&
    grep -q 'chmod go-w .mailfilter' "$work/.err"; echo $?)" \
    "a filter others can write is refused, with the fix"

fresh nofilter; printf 'DEFAULT=""\n' >"$S/maildroprc"
deliver -d fakeu
expect no-mailfilter-empty-default "$([ $RC = 75 ] &&
    grep -q '^maildrop: DEFAULT mailbox not defined\.$' "$work/.err"; echo $?)" \
    "no .mailfilter, empty DEFAULT: 75"

fresh M; mkdir -m 700 "$H/.mailfilters"
printf 'echo "list default $MAILFILTER"\n' >"$H/.mailfilters/list-default"
chmod 600 "$H/.mailfilters/list-default"
deliver -M list-debian-devel
expect M-fallback "$([ $RC = 0 ] && [ "$OUT" = "list default list-debian-devel" ] &&
    [ "$(count)" = 0 ]; echo $?)" "-M tries NAME-default, shorter prefixes"

fresh Mrcs; mkdir -m 700 "$H/.mailfilters"; mkdir "$S/maildroprcs"
printf 'to "Maildir/"\n' >"$S/maildroprcs/deliver"
printf 'include "%s/maildroprcs/deliver"\n' "$S" >"$H/.mailfilters/default"
chmod 600 "$H/.mailfilters/default"
deliver -M anything
expect M-maildroprcs-lifts "$([ $RC = 0 ] && [ "$(count)" = 1 ]; echo $?)" \
    "an include from maildroprcs may deliver in embedded mode"

fresh Mplain; mkdir -m 700 "$H/.mailfilters"
printf 'to "Maildir/"\n' >"$H/deliver"
printf 'include "deliver"\n' >"$H/.mailfilters/default"
chmod 600 "$H/.mailfilters/default"
deliver -M anything
expect M-include-restricted "$([ $RC = 75 ] && [ "$(count)" = 0 ] &&
    grep -q "disabled in embedded mode" "$work/.err"; echo $?)" \
    "other includes keep the embedded restrictions"

# A bounce's empty envelope sender: FROM is the recipient's login name, in
# delivery mode as in maildrop 2.9.3 (-d cloudsdk gave FROM=cloudsdk);
# an empty -f counts as none.
fresh bounce; mailfilter 'echo "FROM=[$FROM]"
exit'
printf '%s\n' 'Return-Path: <>' 'From: MAILER-DAEMON@example.net' '' 'bounced' >"$M"
deliver -d fakeu
expect bounce-from-login "$([ $RC = 0 ] && [ "$OUT" = "FROM=[fakeu]" ]; echo $?)" \
    "want FROM=[fakeu]"
deliver -d fakeu -f ''
expect bounce-empty-f "$([ $RC = 0 ] && [ "$OUT" = "FROM=[fakeu]" ]; echo $?)" \
    "-f '': want FROM=[fakeu]"
printf '%s\n' 'From: ann@example.com' '' 'no Return-Path' >"$M"
deliver -d fakeu -f ''
expect empty-f-no-return-path "$([ $RC = 0 ] &&
    [ "$OUT" = "FROM=[MAILER-DAEMON]" ]; echo $?)" "want FROM=[MAILER-DAEMON]"

# A fatal signal: maildrop's "signal 0xNN" line and 75.  The statement
# budget is off, or an idle machine runs out of it before the signal.
fresh sig; printf 'while (1)\n  A=1\n' >"$work/sig/f"; chmod 600 "$work/sig/f"
(cd "$work/sig" && exec env -i PATH=/usr/bin:/bin RUNNEL_MAX_STATEMENTS=0 \
    "$RUNNEL" ./f <"$M" \
    >"$work/.out" 2>"$work/.err") &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
RC=$? OUT=$(cat "$work/.out") ERR=$(cat "$work/.err")
expect fatal-signal-75 "$([ $RC = 75 ] && [ "$ERR" = "maildrop: signal 0x0F" ]; echo $?)" \
    "SIGTERM: 'maildrop: signal 0x0F', exit 75"

# The exit status in delivery mode (README, "Exit status"): the MTA
# bounces for anything but 0 and 75, so a command's status passes only
# when it is 0, 75 or another sysexits.h code it meant, never after the
# message was delivered; a value the filter gave EXITCODE stands.
status_case() {	# name want-rc want-messages stderr-grep filter
	fresh "$1"; mailfilter "$5"
	deliver -d fakeu
	expect "exit-status-$1" "$([ $RC = "$2" ] && [ "$(count)" = "$3" ] &&
	    if [ -n "$4" ]; then grep -q -- "$4" "$work/.err"; else [ ! -s "$work/.err" ]; fi
	    echo $?)" "want exit $2, $3 message(s), stderr '${4:-nothing}'"
}
# (the message may or may not fit in the pipe before the shell gives up:
# a write error is a failed delivery, 75 all the same)
status_case missing-cmd 75 0 'runnel-no-such-cmd:\? exited with status 127' \
    'to "|runnel-no-such-cmd"'
status_case missing-cmd-after-read 75 0 \
    '^maildrop: |cat >/dev/null; runnel-no-such-cmd exited with status 127; runnel exits 75' \
    'to "|cat >/dev/null; runnel-no-such-cmd"'
status_case cc-nomatch-then-delivered 0 1 \
    '|grep -q nomatch exited with status 1; the message was delivered' \
    'exception {
  cc "|grep -q nomatch"
}
to "Maildir/"'
status_case cc-nomatch-then-default 0 1 \
    '|grep -q nomatch exited with status 1; the message was delivered' \
    'DEFAULT="$HOME/Maildir/"
exception {
  cc "|grep -q nomatch"
}'
status_case pipe-status-3 75 0 '|cat >/dev/null; exit 3 exited with status 3; runnel exits 75' \
    'to "|cat >/dev/null; exit 3"'
status_case pipe-sysexits-67 67 0 '' 'to "|cat >/dev/null; exit 67"'
status_case pipe-tempfail 75 0 'exit 75 exited with status 75 (temporary failure)' \
    'to "|cat >/dev/null; exit 75"'
status_case pipe-ok 0 0 '' 'to "|cat >/dev/null"'
status_case delivered-then-pipe-67 0 1 \
    '|cat >/dev/null; exit 67 exited with status 67; the message was delivered' \
    'cc "Maildir/"
to "|cat >/dev/null; exit 67"'
status_case cc-status-then-exit 75 0 '|cat >/dev/null; exit 2 exited with status 2' \
    'cc "|cat >/dev/null; exit 2"
exit'
status_case filter-sets-exitcode 5 0 '' 'cc "|cat >/dev/null; exit 3"
EXITCODE=5
exit'
status_case filter-exitcode-after-delivery 77 1 '' 'cc "Maildir/"
EXITCODE=77
exit'
status_case filter-unsets-exitcode 0 0 '' 'cc "|cat >/dev/null; exit 3"
unset EXITCODE
exit'
fresh rc-pipe-status; printf 'cc "|cat >/dev/null; exit 4"\nexit\n' >"$S/maildroprc"
deliver -d fakeu
expect exit-status-maildroprc "$([ $RC = 75 ] &&
    grep -q '|cat >/dev/null; exit 4 exited with status 4' "$work/.err"; echo $?)" \
    "a command's status in maildroprc: 75"
# Manual mode keeps maildrop's statuses.
fresh manual-status; printf 'to "|cat >/dev/null; exit 3"\n' >"$work/manual-status/f"
chmod 600 "$work/manual-status/f"
(cd "$work/manual-status" && env -i PATH=/usr/bin:/bin "$RUNNEL" ./f <"$M" \
    >"$work/.out" 2>"$work/.err")
RC=$? OUT=$(cat "$work/.out") ERR=$(cat "$work/.err")
expect exit-status-manual "$([ $RC = 3 ] && [ -z "$ERR" ]; echo $?)" \
    "manual mode: the command's 3, as maildrop"
