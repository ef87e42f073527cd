# spamd.sh: the SpamAssassin recipe of examples/spamassassin.mailfilter,
# run as written against a real spamd: GTUBE goes to .spam/, a clean
# message to the inbox through DEFAULT, and with spamd down spamc hands
# the message back unchanged so it still reaches the inbox.
#
# spamd listens on 127.0.0.1:783, spamc's default, so the recipe runs
# exactly as written.  When 783 is taken (another test run), spamd gets a
# free port and the recipe's spamc line gains "-p PORT"; the test says so.
. "$(dirname "$0")/lib/suite.sh" spamd

need_commands "spamd spamc" spamd spamc
if ! runnel_ready; then
	skip_suite "runnel cannot run a filter yet: $ERR"
fi

. "$(dirname "$0")/lib/spamd.sh"
trap 'spamd_stop; rm -rf "$work" "$S"' EXIT
if ! spamd_start; then
	skip_suite "spamd did not start ($SPAMD_WHY)"
fi

recipe=$(spamd_recipe examples/spamassassin.mailfilter)
if [ "$PORT" != 783 ]; then
	echo "  port 783 is in use; the recipe's spamc runs with -p $PORT"
fi
# The only lines added before the recipe: where the maildir is.
setup() { printf 'MAILDIR="%s/Maildir"\nDEFAULT="$MAILDIR/"\n' "$D"; }

maildirs() {
	mkdir -p "$D/Maildir/cur" "$D/Maildir/new" "$D/Maildir/tmp" \
	    "$D/Maildir/.spam/cur" "$D/Maildir/.spam/new" "$D/Maildir/.spam/tmp"
}
count() { find "$1" -type f | wc -l; }

newdir gtube; maildirs
cp examples/messages/gtube.eml "$D/m"
run "$(setup)
$recipe" "$D/m"
f=$(find "$D/Maildir/.spam/new" -type f | head -1)
expect gtube-goes-to-spam-folder "$([ "$RC" = 0 ] &&
    [ "$(count "$D/Maildir/.spam/new")" = 1 ] &&
    [ "$(count "$D/Maildir/new")" = 0 ] &&
    grep -q '^X-Spam-Flag: YES' "$f"; echo $?)" \
    "spam folder: $(count "$D/Maildir/.spam/new"), inbox: $(count "$D/Maildir/new")"

newdir clean; maildirs
cp examples/messages/boss.eml "$D/m"
run "$(setup)
$recipe" "$D/m"
f=$(find "$D/Maildir/new" -type f | head -1)
expect clean-goes-to-inbox-checked "$([ "$RC" = 0 ] &&
    [ "$(count "$D/Maildir/new")" = 1 ] &&
    [ "$(count "$D/Maildir/.spam/new")" = 0 ] &&
    grep -q '^X-Spam-Status: No' "$f"; echo $?)" \
    "inbox: $(count "$D/Maildir/new"), spam: $(count "$D/Maildir/.spam/new")"

spamd_stop
newdir down; maildirs
cp examples/messages/gtube.eml "$D/m"
run "$(setup)
$recipe" "$D/m"
f=$(find "$D/Maildir/new" -type f | head -1)
expect down-message-passes-unchanged "$([ "$RC" = 0 ] &&
    [ "$(count "$D/Maildir/new")" = 1 ] && cmp -s "$D/m" "$f"; echo $?)" \
    "inbox: $(count "$D/Maildir/new"), spam: $(count "$D/Maildir/.spam/new"), port $PORT free: $(port_free "$PORT" && echo yes || echo no)"
