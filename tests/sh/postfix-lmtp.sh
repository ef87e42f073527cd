# postfix-lmtp.sh: a real Postfix hands mail to `runnel --listen` over
# LMTP (mailbox_transport = lmtp:unix:...), as README "Running as an LMTP
# service" sets it up.  The Postfix is a throwaway of lib/postfix.sh on a
# loopback port; the users are made up (fakepw reads a passwd file) with
# uids of their own.  Two users get their mail; a filter with a syntax
# error defers the message in Postfix's queue (no bounce) until the
# filter is fixed; an unknown user is refused at RCPT and bounced; the
# SpamAssassin recipe, with a real spamd (lib/spamd.sh), files GTUBE
# into .spam/ and a clean message into the inbox.
. "$(dirname "$0")/lib/suite.sh" postfix-lmtp
. "$(dirname "$0")/lib/postfix.sh"
. "$(dirname "$0")/lib/spamd.sh"
. "$(dirname "$0")/lib/fakeusers.sh"
PRE=$BUILD/tests/preload/fakepw.so
[ -f "$PRE" ] || skip_suite "$PRE is not built"
postfix_need

fakeusers_start postfix-lmtp
# wait_count USER N: until USER has N messages (30 s at most)
wait_count() { postfix_wait_count "$2" count "$1"; }
user ann 2001
user bob 2002
filter ann 'to "Maildir/"'
filter bob 'to "Maildir/"'
mkdir -p "$work/etc" "$work/lmtp"
chgrp postfix "$work/lmtp"
chmod 750 "$work/lmtp"

sock=$work/lmtp/runnel.sock
env -i PATH=/usr/bin:/bin LANG=C.UTF-8 LD_PRELOAD="$PRE" \
    FAKEPW_FILE="$work/passwd" RUNNEL_SYSCONFDIR="$work/etc" \
    ${RUNNEL_ASAN:+ASAN_OPTIONS=verify_asan_link_order=0} \
    "$RUNNEL" --listen "unix:$sock" 2>"$work/runnel.log" &
for i in $(seq 25); do [ -S "$sock" ] && break; sleep 0.2; done

port=$((20000 + $$ % 20000))
if ! postfix_start "$work/pf" "$port" \
    "mailbox_transport = lmtp:unix:$sock" "local_recipient_maps ="; then
	fail start "Postfix did not start" "$(cat "$work/pf/start.log" "$work/pf/check.log" 2>/dev/null | tail -5)"
	exit 0
fi
trap 'spamd_stop; postfix_stop; kill $(jobs -p) 2>/dev/null; rm -rf "$work" "$S" "$private"' EXIT
D=runnel-test.example

postfix_send carl@example.com "ann@$D" one
postfix_send carl@example.com "bob@$D" two
if wait_count ann 1 && wait_count bob 1; then
	f=$(ls "$work/home/ann/Maildir/new/"* | head -1)
	if head -3 "$f" | grep -q '^Return-Path: <carl@example.com>' &&
	    grep -q "^Delivered-To: ann@$D" "$f" &&
	    [ "$(stat -c %u "$f")" = 2001 ]; then
		pass two-users
	else
		fail two-users "headers or owner wrong" "$(head -5 "$f")"
	fi
else
	fail two-users "not delivered in 30 s" "$(postfix_queue)" "$(tail -5 "$work/pf/maillog")"
fi

# A syntax error: deferred (451 with maildrop's line), not bounced;
# delivered once the filter is fixed and the queue flushed.
filter ann 'if (/^Subject/)
{
  to "Maildir/"'
postfix_send "bob@$D" "ann@$D" three
for i in $(seq 150); do
	postfix_queue | grep -q '4.3.0' && break
	sleep 0.2
done
q=$(postfix_queue)
if printf '%s\n' "$q" | grep -q 'Missing }' && [ "$(count ann)" = 1 ] &&
    [ "$(count bob)" = 1 ]; then
	pass syntax-error-defers
else
	fail syntax-error-defers "want the message deferred with maildrop's line, no bounce" "$q"
fi
filter ann 'to "Maildir/"'
postfix_flush
if wait_count ann 2 && postfix_wait_empty 30; then
	pass delivered-after-fix
else
	fail delivered-after-fix "still queued" "$(postfix_queue)"
fi

# An unknown user: refused at RCPT, the sender (bob) gets the bounce.
postfix_send "bob@$D" "nosuch@$D" four
if wait_count bob 2 && grep -l -q '5.1.1' "$work/home/bob/Maildir/new/"* &&
    grep -q 'nosuch' $(grep -l '5.1.1' "$work/home/bob/Maildir/new/"*); then
	pass unknown-user-bounced
else
	fail unknown-user-bounced "want a bounce with 5.1.1 to bob" "$(postfix_queue)" \
	    "$(tail -5 "$work/pf/maillog")"
fi

# The SpamAssassin recipe as written, through LMTP.
if ! command -v spamd >/dev/null || ! command -v spamc >/dev/null; then
	skip spamassassin "spamd and spamc are not installed (tests/deps.sh test installs them)"
elif ! spamd_start; then
	skip spamassassin "spamd did not start ($SPAMD_WHY)"
else
	mkdir -p "$work/home/bob/Maildir/.spam/"{cur,new,tmp}
	chown -R 2002:2002 "$work/home/bob/Maildir/.spam"
	# Before the recipe: where the maildir is, and the made-up users
	# for spamc, which looks its own user up.
	filter bob "$(printf 'MAILDIR="$HOME/Maildir"\nDEFAULT="$MAILDIR/"\nLD_PRELOAD="%s"\nFAKEPW_FILE="%s"\n' "$PRE" "$work/passwd"
	    spamd_recipe "$top/examples/spamassassin.mailfilter")"
	inbox=$(count bob)
	postfix_send carl@example.com "bob@$D" gtube \
	    'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X'
	postfix_send carl@example.com "bob@$D" clean 'See you at the meeting.'
	for i in $(seq 300); do
		[ "$(find "$work/home/bob/Maildir/.spam/new" -type f | wc -l)" -ge 1 ] &&
		    [ "$(count bob)" -ge $((inbox + 1)) ] && break
		sleep 0.2
	done
	if [ "$(find "$work/home/bob/Maildir/.spam/new" -type f | wc -l)" = 1 ] &&
	    [ "$(count bob)" = $((inbox + 1)) ] &&
	    grep -q '^X-Spam-Flag: YES' "$work/home/bob/Maildir/.spam/new/"*; then
		pass spamassassin
	else
		fail spamassassin "want GTUBE in .spam/ and the clean message in the inbox" \
		    "$(postfix_queue)" "$(tail -5 "$work/runnel.log")"
	fi
	spamd_stop
fi
postfix_stop
