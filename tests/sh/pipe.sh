# pipe.sh: delivery to commands and forwarding (DELIVERY.md §4.3, §4.4):
# exit statuses, short writes, deadlines, and that message text can never
# become a shell command on the forward path.
. "$(dirname "$0")/lib/suite.sh" pipe

if ! runnel_ready; then
	skip_suite "runnel cannot run a filter yet: $ERR"
fi

newdir exit5; msg "$D/m"
run 'to "|cat >/dev/null; exit 5"' "$D/m"
expect to-exit-status-is-exit-code "$([ "$RC" = 5 ]; echo $?)" "want 5"

newdir cc; msg "$D/m"
run 'cc "|cat > one; exit 3"
echo "EXITCODE=$EXITCODE"
cc "|cat > two"
echo "EXITCODE=$EXITCODE"
exit' "$D/m"
expect cc-continues-with-exitcode "$([ "$RC" = 0 ] &&
    [ "$OUT" = "EXITCODE=3
EXITCODE=0" ] && cmp -s "$D/m" "$D/one" && cmp -s "$D/m" "$D/two"; echo $?)" \
    "want EXITCODE 3 then 0 and two copies"

# The command closes its stdin and exits 0: 300 KB cannot fit in a pipe,
# so the write fails.  maildrop reports success here; we do not.
newdir short0; bigmsg "$D/m" 300
run 'to "|exec 0<&-; sleep 0.2; exit 0"' "$D/m"
expect short-write-fails-even-with-exit-0 "$([ "$RC" = 75 ] &&
    grep -q '^maildrop: Unable to deliver to mailbox\.$' "$D/.err" &&
    grep -q 'exec 0<&-' "$D/.err" && grep -q 'Broken pipe' "$D/.err"
    echo $?)" "want 75 naming the command and EPIPE"

newdir short1; bigmsg "$D/m" 300
run 'to "|head -c 10 >/dev/null; exit 1"' "$D/m"
expect short-write-nonzero-fails "$([ "$RC" = 75 ]; echo $?)" "want 75"

# A filter that means to read part of the message says so.
newdir lenient; bigmsg "$D/m" 300
run 'exception {
	cc "|head -1 > first"
}
to "|cat > all"' "$D/m"
expect partial-read-in-exception-goes-on "$([ "$RC" = 0 ] &&
    cmp -s "$D/m" "$D/all" && [ -s "$D/first" ]; echo $?)" \
    "want the second delivery to happen"

newdir whole; bigmsg "$D/m" 4096
run 'to "|cat > copy"' "$D/m"
expect 4mb-message-intact "$([ "$RC" = 0 ] && cmp -s "$D/m" "$D/copy"
    echo $?)" "copy differs"

newdir timeout; msg "$D/m"
run 'to "|cat >/dev/null; sleep 30"' "$D/m" RUNNEL_CHILD_TIMEOUT=1
expect timeout-fails-and-names-command "$([ "$RC" = 75 ] &&
    [ "$SECS" -lt 10 ] && grep -q 'sleep 30' "$D/.err" &&
    grep -q 'timed out after 1 s' "$D/.err"; echo $?)" "want 75 within 10 s"

newdir killed; msg "$D/m"
run "to '|cat >/dev/null; kill -9 \$\$'" "$D/m"
expect killed-by-signal-fails "$([ "$RC" = 75 ] &&
    grep -q 'signal 9' "$D/.err"; echo $?)" "want 75 naming signal 9"

newdir noshell; msg "$D/m"
run 'SHELL="/nonexistent/sh"
to "|cat > copy"' "$D/m"
expect missing-shell-fails "$([ "$RC" = 75 ] && [ ! -e "$D/copy" ] &&
    grep -q 'Unable to execute /nonexistent/sh' "$D/.err"; echo $?)" \
    "want 75 and Unable to execute"

newdir emptyshell; msg "$D/m"
run 'SHELL=""
to "|cat > copy"' "$D/m"
expect empty-shell-is-bin-sh "$([ "$RC" = 0 ] && cmp -s "$D/m" "$D/copy"
    echo $?)" "want /bin/sh"

newdir empty; : >"$D/m"
run 'to "|cat > copy; echo ran >> copy"' "$D/m"
expect empty-message-delivered "$([ "$RC" = 0 ] &&
    [ "$(cat "$D/copy")" = ran ]
    echo $?)" "an empty message reaches the command (B11 revised)"

newdir log; msg "$D/m"
run 'logfile "log"
cc "|cat >/dev/null; exit 2"
to "|cat >/dev/null"' "$D/m"
sz=$(wc -c <"$D/m")
expect log-records "$([ "$RC" = 0 ] &&
    grep -q "^!Err: |cat >/dev/null; exit 2  *($sz)\$" "$D/log" &&
    grep -q "^File: |cat >/dev/null  *($sz)\$" "$D/log" &&
    [ "$(grep -c '^Date: ' "$D/log")" = 2 ]; echo $?)" "log records wrong"

# Forwarding: a fake sendmail records its argv.
fake_sendmail() {
	cat >"$D/sm" <<'X'
#!/bin/sh
for a in "$@"; do printf '[%s]\n' "$a"; done > "$(dirname "$0")/argv"
cat > "$(dirname "$0")/forwarded"
X
	chmod 755 "$D/sm"
}

newdir fwd; msg "$D/m"; fake_sendmail
run 'SENDMAIL="'"$D"'/sm -oi"
to "!ann@example.org, bob@example.net"' "$D/m"
expect forward-argv-one-element-per-address "$([ "$RC" = 0 ] &&
    [ "$(tr -d '\n' <"$D/argv")" = '[-oi][-f][][ann@example.org][bob@example.net]' ] &&
    cmp -s "$D/m" "$D/forwarded"; echo $?)" "argv: $(cat "$D/argv" 2>/dev/null)"

newdir inject; msg "$D/m"; fake_sendmail
run 'SENDMAIL="'"$D"'/sm"
to "!a@b.example; touch pwned1 $(touch pwned2) `touch pwned3`"' "$D/m"
expect forward-address-text-runs-nothing "$([ "$RC" = 0 ] &&
    [ ! -e "$D/pwned1" ] && [ ! -e "$D/pwned2" ] && [ ! -e "$D/pwned3" ] &&
    grep -q '^\[a@b.example;\]$' "$D/argv"; echo $?)" "a command ran"

newdir injecthdr; fake_sendmail
printf '%s\n' 'From: x@y.example; touch pwned' 'Subject: hi' '' 'body' >"$D/m"
run 'SENDMAIL="'"$D"'/sm"
if (/^From: *(.*)/)
{
	to "!$MATCH1"
}
exit' "$D/m"
expect forward-header-text-runs-nothing "$([ "$RC" = 0 ] &&
    [ ! -e "$D/pwned" ] && [ -s "$D/forwarded" ]; echo $?)" "a command ran"

newdir dash; msg "$D/m"; fake_sendmail
run 'SENDMAIL="'"$D"'/sm"
to "!-C/tmp/evil.cf"' "$D/m"
expect forward-option-like-address-refused "$([ "$RC" = 75 ] &&
    [ ! -e "$D/argv" ] && grep -q "start with '-'" "$D/.err"; echo $?)" \
    "want 75, sendmail not run"

newdir fwdstatus; msg "$D/m"
printf '#!/bin/sh\ncat >/dev/null\nexit 67\n' >"$D/sm"; chmod 755 "$D/sm"
run 'SENDMAIL="'"$D"'/sm"
cc "!ann@example.org"
echo "EXITCODE=$EXITCODE"
exit' "$D/m"
expect forward-status-is-exitcode "$([ "$RC" = 67 ] &&
    [ "$OUT" = EXITCODE=67 ]; echo $?)" "want EXITCODE=67"

newdir nosendmail; msg "$D/m"
run 'SENDMAIL="/nonexistent/sendmail"
to "!ann@example.org"' "$D/m"
expect forward-missing-sendmail-fails "$([ "$RC" = 75 ] &&
    grep -q 'Unable to execute /nonexistent/sendmail' "$D/.err"; echo $?)" \
    "want 75"

# B19: what a command leaves running in the background gets SIGHUP when
# runnel exits, as maildrop does to its process group.
newdir hup; msg "$D/m"
run "system 'sleep 30 & echo \$! > bg'
exit" "$D/m"
sleep 0.3
bg=$(cat "$D/bg" 2>/dev/null)
expect leftover-background-child-gets-sighup "$([ "$bg" -gt 0 ] 2>/dev/null &&
    { ! kill -0 "$bg" 2>/dev/null ||
    grep -q '^State:.*Z' "/proc/$bg/status" 2>/dev/null; }; echo $?)" \
    "pid $bg still running"

# Backticks and system under the deadline: not fatal, RETURNCODE is -1
# (printed as maildrop does, an unsigned 64-bit number), and the warning names the command and its place.
newdir bttimeout; msg "$D/m"
run 'A=`sleep 30`
echo "A=[$A] RETURNCODE=$RETURNCODE"
system "sleep 30"
echo "RETURNCODE=$RETURNCODE"
exit' "$D/m" RUNNEL_CHILD_TIMEOUT=1
expect backtick-and-system-timeout-named-not-fatal "$([ "$RC" = 0 ] &&
    [ "$OUT" = "A=[] RETURNCODE=18446744073709551615
RETURNCODE=18446744073709551615" ] && [ "$SECS" -lt 10 ] &&
    grep -q '^\./f:1:3: warning: `sleep 30` timed out after 1 s' "$D/.err" &&
    grep -q '^\./f:3:1: warning: system "sleep 30" timed out' "$D/.err"
    echo $?)" "want RETURNCODE=-1 (unsigned) twice and two warnings"

# SENDMAIL without a '/' is found in the filter's PATH.
newdir fwdpath; msg "$D/m"; fake_sendmail
run 'PATH="'"$D"':/usr/bin:/bin"
SENDMAIL="sm"
to "!ann@example.org"' "$D/m"
expect forward-sendmail-found-in-filter-path "$([ "$RC" = 0 ] &&
    cmp -s "$D/m" "$D/forwarded"; echo $?)" "sm not found in PATH"

# RUNNEL_FORWARD_SENDER replaces maildrop's empty envelope sender.
newdir fwdsender; msg "$D/m"; fake_sendmail
run 'SENDMAIL="'"$D"'/sm"
RUNNEL_FORWARD_SENDER="$FROM"
to "!bob@example.net"' "$D/m"
expect forward-envelope-sender-configurable "$([ "$RC" = 0 ] &&
    [ "$(tr -d '\n' <"$D/argv")" = '[-f][ann@example.com][bob@example.net]' ]
    echo $?)" "argv: $(cat "$D/argv" 2>/dev/null)"
