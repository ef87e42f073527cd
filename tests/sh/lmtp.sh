# lmtp.sh: runnel --lmtp and --listen (README "Running as an LMTP
# service").  Two made-up users with uids of their own (the fakepw
# preload library reads them from a passwd file), so each recipient's
# delivery really drops privileges; the client is tests/helpers/lmtp_send
# or raw protocol text.
. "$(dirname "$0")/lib/suite.sh" lmtp
. "$(dirname "$0")/lib/fakeusers.sh"
PRE=$BUILD/tests/preload/fakepw.so
SEND=$BUILD/tests/helpers/lmtp_send

[ -f "$PRE" ] || skip_suite "$PRE is not built"
[ -x "$SEND" ] || skip_suite "$SEND is not built"
[ "$(id -u)" = 0 ] || skip_suite "needs root: the server delivers for two users and drops privileges to each"

fakeusers_start lmtp
mkdir -p "$work/etc" "$work/spool"
user ann 2001
user bob 2002
# clean USER: empty the user's maildir
clean() { rm -f "$work/home/$1"/Maildir/new/* "$work/home/$1"/Maildir/tmp/*; }
newest() { ls -t "$work/home/$1"/Maildir/new/* | head -1; }

msg "$work/m"

# srv COMMAND...: in the server's environment, as a service manager
# would give it (a script, so that lmtp_send's exec: can use it too)
cat >"$work/srv" <<EOF
#!/bin/sh
exec env -i PATH=/usr/bin:/bin LANG=C.UTF-8 LD_PRELOAD="$PRE" \\
    FAKEPW_FILE="$work/passwd" RUNNEL_SYSCONFDIR="$work/etc" \\
    TMPDIR="$work/spool" \\
    ${RUNNEL_ASAN:+ASAN_OPTIONS=verify_asan_link_order=0} "\$@"
EOF
chmod 755 "$work/srv"
srv() { "$work/srv" "$@"; }
# send ARGS...: lmtp_send ARGS through runnel --lmtp on a socket pair
send() {
	OUT=$("$SEND" -m "$work/m" "$@" "exec:$work/srv $RUNNEL --lmtp" 2>&1)
	RC=$?
	ERR=
}
# raw TEXT [ARGS...]: protocol text (\r\n written out) into runnel --lmtp
raw() {
	local text=$1
	shift
	OUT=$(printf "$text" | srv "$RUNNEL" --lmtp "$@" 2>"$work/.err" | tr -d '\r')
	RC=$?
	ERR=$(cat "$work/.err")
}
has() { printf '%s\n' "$OUT" | grep -q -- "$1"; }
# codes: each reply's code, and its enhanced code when it has one
codes() {
	printf '%s\n' "$OUT" | awk '{ printf "%s%s ", $1,
	    ($2 ~ /^[245]\.[0-9]+\.[0-9]+$/ ? " " $2 : "") }'
}

filter ann 'to "Maildir/"'
filter bob 'to "Maildir/"'

# Two recipients, one reply each, each file owned by its user.
send -r ann@example.com -r bob@example.com
expect two-recipients "$([ $RC = 0 ] && [ "$(count ann)" = 1 ] &&
    [ "$(count bob)" = 1 ] && [ "$(stat -c %u "$(newest ann)")" = 2001 ] &&
    [ "$(stat -c %u "$(newest bob)")" = 2002 ]; echo $?)" \
    "want a 250 and a file owned by each user"

# Return-Path and Delivered-To on top, as Postfix local(8) writes them.
clean ann
send -f 'sender@example.org' -r Ann@example.com
top=$(head -2 "$(newest ann)")
expect envelope-headers "$([ "$top" = "Return-Path: <sender@example.org>
Delivered-To: Ann@example.com" ]; echo $?)" "got: $top"

clean ann
OUT=$("$SEND" -m "$work/m" -r ann@x "exec:$work/srv $RUNNEL --lmtp --no-envelope-headers" 2>&1)
RC=$?
expect no-envelope-headers "$([ $RC = 0 ] && cmp -s "$(newest ann)" "$work/m"; echo $?)" \
    "the file must be the message as sent"

# Unknown user: 550 5.1.1 at RCPT, the others still delivered.
clean ann
send -r nobody-here@example.com -r ann@example.com
expect unknown-user-at-rcpt "$(has '^nobody-here@example.com: 550 5.1.1' &&
    [ "$(count ann)" = 1 ]; echo $?)" "want 550 5.1.1 at RCPT"

# The child drops privileges exactly as -d does: the filter's commands
# run as the user.
clean ann
filter ann 'system "id -u >uid; id -g >gid"
to "Maildir/"'
send -r ann@x
expect privileges-dropped "$([ "$(cat "$work/home/ann/uid" 2>/dev/null)" = 2001 ] &&
    [ "$(cat "$work/home/ann/gid" 2>/dev/null)" = 2001 ]; echo $?)" \
    "uid $(cat "$work/home/ann/uid" 2>/dev/null)"

# Nothing of one delivery reaches the next: the same probe, second
# recipient after a first whose filter leaves a process and a file open,
# sees what a -d run sees: descriptors, signals, umask, environment.
probe='system "ls /proc/self/fd | sort -n | tr \"\\n\" \" \" >probe; grep -E \"^Sig(Ign|Blk)\" /proc/self/status >>probe; umask >>probe; env | sort >>probe"
to "Maildir/"'
filter ann 'system "sleep 3 </dev/null >/dev/null 2>&1 &"
X=`echo junk`
to "Maildir/"'
filter bob "$probe"
send -r ann@x -r bob@x
# (SIZE differs by the envelope headers; the shell running this test
# holds descriptors of its own, which a -d run inherits)
grep -v '^SIZE=' "$work/home/bob/probe" >"$work/probe.lmtp" 2>/dev/null
rm -f "$work/home/bob/probe"
(cd / && srv "$RUNNEL" -d bob <"$work/m" >/dev/null 2>&1)
grep -v '^SIZE=' "$work/home/bob/probe" | sed '1s/^[0-9 ]*Sig/0 1 2 3 Sig/' >"$work/probe.d"
expect no-leak-between-deliveries "$([ -s "$work/probe.lmtp" ] &&
    diff "$work/probe.lmtp" "$work/probe.d" >/dev/null; echo $?)" \
    "$(diff "$work/probe.lmtp" "$work/probe.d" 2>&1)"

# The message's temp file has no name a user could open.
filter ann 'system "ls -A $SPOOL >spool-list"
to "Maildir/"'
printf 'SPOOL=%s\n' "$work/spool" >"$work/etc/maildroprc"
send -r ann@x
expect spool-not-named "$([ -f "$work/home/ann/spool-list" ] &&
    [ ! -s "$work/home/ann/spool-list" ]; echo $?)" \
    "$(cat "$work/home/ann/spool-list" 2>&1)"
rm -f "$work/etc/maildroprc"

# The recipient delimiter: ann+lists gets $1 = lists.
filter ann 'to "Maildir/.$1/"'
mkdir -p "$work/home/ann/Maildir/.lists/"{cur,new,tmp}
chown -R 2001:2001 "$work/home/ann/Maildir/.lists"
OUT=$("$SEND" -m "$work/m" -r ann+lists@x "exec:$work/srv $RUNNEL --lmtp --recipient-delimiter +" 2>&1)
RC=$?
expect recipient-delimiter "$([ $RC = 0 ] &&
    [ "$(ls "$work/home/ann/Maildir/.lists/new" | wc -l)" = 1 ]; echo $?)" \
    "want the message in .lists"

# Exit statuses become replies: a syntax error defers (451 with
# maildrop's line), EXITCODE 77 bounces 550 5.7.0.
filter ann 'if (/^Subject/)
{
  to "Maildir/"'
send -r ann@x
expect syntax-error-defers "$([ $RC = 1 ] && has '^451 4.3.0 <ann@x> ' &&
    has 'Missing }'; echo $?)" "want 451 4.3.0 with maildrop's line"
filter ann 'EXITCODE=77
exit'
send -r ann@x
expect exitcode-bounces "$(has '^550 5.7.0 <ann@x>'; echo $?)" "want 550 5.7.0"
filter ann 'to "Maildir/"'

# Dot-unstuffing, CRLF and bare LF, and every command's reply.
clean ann
raw 'LHLO x\r\nMAIL FROM:<a@b> BODY=8BITMIME SIZE=40\r\nRCPT TO:<ann@x>\r\nVRFY ann\r\nNOOP\r\nDATA\r\nSubject: dots\r\n\r\n..one\nbare lf\r\n.\r\nRSET\r\nHELO x\r\nQUIT\r\n'
got=$(codes)
want='220 250-vm 250-PIPELINING 250-ENHANCEDSTATUSCODES 250-8BITMIME 250 250 2.1.0 250 2.1.5 252 2.5.0 250 2.0.0 354 250 2.0.0 250 2.0.0 500 5.5.1 221 2.0.0 '
want=${want//250-vm/250-$(hostname)}
body=$(tail -n +3 "$(newest ann)")
expect protocol-replies "$([ "$got" = "$want" ] && [ "$body" = 'Subject: dots

.one
bare lf' ]; echo $?)" "got:" "$got" "body:" "$body"

# A client that goes away before the final dot gets nothing delivered.
clean ann
raw 'LHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<ann@x>\r\nDATA\r\nSubject: cut\r\n\r\nhalf a mess'
expect disconnect-mid-data "$([ "$(count ann)" = 0 ] &&
    [ -z "$(ls -A "$work/spool")" ]; echo $?)" "want no message and no spool file"

# Order of commands, and malformed ones, get 503/500/501; the session
# goes on.
raw 'MAIL FROM:<a@b>\r\nLHLO x\r\nRCPT TO:<ann@x>\r\nDATA\r\nMAIL FROM:a@b\r\nMAIL FROM:<a@b> SIZE=99999999999\r\nMAIL FROM:<a@b>\r\nMAIL FROM:<a@b>\r\nDATA\r\nRCPT TO:<>\r\nBOGUS\r\nQUIT\r\n' --max-size 1000
got=$(codes)
expect command-errors "$([ "$got" = "220 503 5.5.1 250-$(hostname) 250-PIPELINING 250-ENHANCEDSTATUSCODES 250-8BITMIME 250 503 5.5.1 503 5.5.1 501 5.1.7 552 5.3.4 250 2.1.0 503 5.5.1 503 5.5.1 501 5.1.3 500 5.5.2 221 2.0.0 " ]; echo $?)" \
    "got: $got"

# Limits: a command line over 512 bytes, a message over --max-size.
long=$(printf 'NOOP %0600d' 0)
raw "LHLO x\r\n$long\r\nNOOP\r\nMAIL FROM:<a@b>\r\nRCPT TO:<ann@x>\r\nDATA\r\n$(printf '%0300d' 0)\r\n.\r\nQUIT\r\n" --max-size 100
got=$(codes | sed 's/^220 250-[^ ]* 250-PIPELINING 250-ENHANCEDSTATUSCODES 250-8BITMIME //')
expect limits "$([ "$got" = "250 500 5.5.2 250 2.0.0 250 2.1.0 250 2.1.5 354 552 5.3.4 221 2.0.0 " ]; echo $?)" \
    "got: $got"

# A client that says nothing is dropped after --lmtp-timeout.
t0=$(date +%s)
OUT=$( (printf 'LHLO x\r\n'; sleep 4) | srv "$RUNNEL" --lmtp --lmtp-timeout 1 | tr -d '\r')
t1=$(date +%s)
expect command-timeout "$(has '^421 4.4.2' && [ $((t1 - t0)) -le 5 ]; echo $?)" "want 421 4.4.2"

# Too many errors in a row end the session.
OUT=$(yes BOGUS | head -100 | srv "$RUNNEL" --lmtp | tr -d '\r')
expect too-many-errors "$(has '^421 4.7.0' && [ "$(printf '%s\n' "$OUT" | grep -c '^500')" = 50 ]; echo $?)" \
    "want 50 times 500, then 421"

# --listen: a unix socket, a stale socket replaced, a file refused; tcp
# only on loopback.
sock=$work/lmtp.sock
: >"$sock"
srv "$RUNNEL" --listen "unix:$sock" 2>"$work/.err"
RC=$?
ERR=$(cat "$work/.err")
expect listen-refuses-a-file "$([ $RC != 0 ] && [ -f "$sock" ] &&
    grep -q 'not a socket' "$work/.err"; echo $?)" "want a refusal naming the file"
rm -f "$sock"
srv "$RUNNEL" --listen tcp:0.0.0.0:0 2>"$work/.err"
RC=$?
expect listen-refuses-non-loopback "$([ $RC = 78 ] && grep -q -- --listen-any "$work/.err"; echo $?)" \
    "$(cat "$work/.err")"

# SIGTERM while a delivery runs: it finishes and gets its 250, then the
# connection says 421 and the server ends, removing its socket.
clean ann
filter ann 'system "sleep 2"
to "Maildir/"'
"$work/srv" "$RUNNEL" --listen "unix:$sock" 2>"$work/srv.err" &
spid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -S "$sock" ] && break; sleep 0.2; done
"$SEND" -m "$work/m" -r ann@x -r bob@x "unix:$sock" >"$work/.out" 2>&1 &
cpid=$!
sleep 1
kill -TERM $spid
wait $cpid
RC=$?
wait $spid
SRC=$?
OUT=$(cat "$work/.out")
expect sigterm-finishes-deliveries "$([ $RC = 0 ] && [ $SRC = 0 ] &&
    [ "$(count ann)" = 1 ] && [ ! -e "$sock" ]; echo $?)" "server exit $SRC"

# Connections at once are bounded: with --max-connections 1 two clients
# of a 1-second delivery take two seconds.
filter ann 'system "sleep 1"
to "Maildir/"'
"$work/srv" "$RUNNEL" --listen "unix:$sock" --max-connections 1 2>"$work/srv.err" &
spid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -S "$sock" ] && break; sleep 0.2; done
t0=$(date +%s%N)
OUT=$("$SEND" -q -c 2 -m "$work/m" -r ann@x "unix:$sock" 2>&1)
RC=$?
t1=$(date +%s%N)
kill -TERM $spid
wait $spid
ms=$(( (t1 - t0) / 1000000 ))
expect max-connections "$([ $RC = 0 ] && [ $ms -ge 2000 ]; echo $?)" "took $ms ms"
