#!/bin/bash
# postfix-classic.sh: the README's Postfix recipes for runnel started per
# message, run by a real Postfix (the throwaway of lib/postfix.sh): the
# mailbox_command of examples/mta/postfix-main.cf, and the pipe(8)
# transport with flags=DRhu of examples/mta/postfix-master.cf with
# postfix-virtual.cf and virtual.mailfilter.  local(8) and pipe(8) look
# their users up in the password file, so the test adds two users (and
# removes them at exit), as tests/sh/mta.sh does.
. "$(dirname "$0")/lib/suite.sh" postfix-classic
. "$(dirname "$0")/lib/postfix.sh"
postfix_need
command -v useradd >/dev/null || skip_suite "needs useradd (passwd) for users local(8) and pipe(8) can find"

# The users' homes and runnel's copy must be reachable by them.
private=$work
work=$(mktemp -d /tmp/runnel-pfc.XXXXXX)
chmod 755 "$work"
u=rnlc$$ v=rnlv$$
cleanup() {
	postfix_stop
	userdel "$u" 2>/dev/null
	userdel "$v" 2>/dev/null
	kill $(jobs -p) 2>/dev/null
	rm -rf "$work" "$private"
}
trap cleanup EXIT
mkdir -p "$work/bin" "$work/u" "$work/v"
cp "$RUNNEL" "$work/bin/runnel"
chmod 755 "$work/bin/runnel"
useradd -M -d "$work/u" -s /bin/sh "$u" || { fail setup "useradd failed"; exit 0; }
useradd -M -d "$work/v" -s /bin/sh "$v" || { fail setup "useradd failed"; exit 0; }
mkdir -p "$work/u/Maildir/cur" "$work/u/Maildir/new" "$work/u/Maildir/tmp"
printf 'to "Maildir/"\n' >"$work/u/.mailfilter"
mkdir -p "$work/v/example.org/alice/"{cur,new,tmp}
cp "$top/examples/mta/virtual.mailfilter" "$work/v/.mailfilter"
chmod 600 "$work/u/.mailfilter" "$work/v/.mailfilter"
chown -R "$u:" "$work/u"
chown -R "$v:" "$work/v"
chmod 700 "$work/u" "$work/v"
count() { find "$1" -path '*/new/*' -type f | wc -l; }
# wait_count DIR N: until DIR has N messages (30 s at most)
wait_count() { postfix_wait_count "$2" count "$1"; }

# The recipes as the examples have them, runnel's path made this copy's.
main_lines=$(grep -h -v '^#' "$top/examples/mta/postfix-main.cf" "$top/examples/mta/postfix-virtual.cf" |
    sed -e "s#/usr/local/bin/runnel#$work/bin/runnel#" -e '/^[[:space:]]*$/d')
postfix_master "$(grep -v '^#' "$top/examples/mta/postfix-master.cf" |
    sed -e "s#/usr/local/bin/runnel#$work/bin/runnel#" \
    -e "s#user=vmail#user=$v#" -e "s#-d vmail#-d $v#")"
mapfile -t lines <<<"$main_lines"
port=$((20000 + ($$ + 7) % 20000))
if ! postfix_start "$work/pf" "$port" "${lines[@]}"; then
	fail start "Postfix did not start" "$(tail -5 "$work/pf/maillog" 2>/dev/null)"
	exit 0
fi
trap cleanup EXIT	# postfix_start put its own
D=runnel-test.example

postfix_send carl@example.com "$u@$D" classic
if wait_count "$work/u/Maildir" 1; then
	f=$(ls "$work/u/Maildir/new/"* | head -1)
	if grep -q "^Delivered-To: $u@$D" "$f" && [ "$(stat -c %U "$f")" = "$u" ]; then
		pass mailbox-command
	else
		fail mailbox-command "no Delivered-To or not the user's" "$(head -5 "$f")"
	fi
else
	fail mailbox-command "not delivered in 30 s" "$(postfix_queue)" "$(tail -5 "$work/pf/maillog")"
fi

# A syntax error: exit 75, so Postfix defers; delivered after the fix.
printf 'if (/^Subject/)\n{\n' >"$work/u/.mailfilter"
postfix_send carl@example.com "$u@$D" deferred
for i in $(seq 150); do
	postfix_queue | grep -q -i 'deferred\|temporary\|Missing' && break
	sleep 0.2
done
q=$(postfix_queue)
printf 'to "Maildir/"\n' >"$work/u/.mailfilter"
postfix_flush
if printf '%s\n' "$q" | grep -q "$u@$D" && wait_count "$work/u/Maildir" 2 &&
    postfix_wait_empty 30; then
	pass mailbox-command-defers
else
	fail mailbox-command-defers "want the message queued, then delivered" "$q" "$(postfix_queue)"
fi

# The pipe transport: alice@example.org into ~vmail/example.org/alice/;
# an address without a maildir is refused with 67 and bounced to the
# sender.
postfix_send "$u@$D" alice@example.org virtual
if wait_count "$work/v/example.org/alice" 1; then
	f=$(ls "$work/v/example.org/alice/new/"* | head -1)
	if grep -q '^Delivered-To: alice@example.org' "$f" &&
	    grep -q "^Return-Path: <$u@$D>" "$f"; then
		pass pipe-transport
	else
		fail pipe-transport "flags=DRhu headers missing" "$(head -5 "$f")"
	fi
else
	fail pipe-transport "not delivered in 30 s" "$(postfix_queue)" "$(tail -5 "$work/pf/maillog")"
fi
postfix_send "$u@$D" nobody@example.org virtual-unknown
if wait_count "$work/u/Maildir" 3 &&
    grep -l -q 'nobody@example.org' "$work/u/Maildir/new/"*; then
	pass pipe-transport-unknown-bounces
else
	fail pipe-transport-unknown-bounces "want a bounce to $u" "$(postfix_queue)" "$(tail -5 "$work/pf/maillog")"
fi
