#!/bin/bash
# mta.sh: the MTA recipes of examples/mta/ run the way their MTA runs
# them, as a real user of the password file.  Courier's DEFAULTDELIVERY
# (examples/mta/courierd) goes through /bin/sh -c as the recipient, in
# the home directory, with Courier's environment and no From_ line; the
# virtual-mailbox filter of the Postfix pipe transport
# (examples/mta/virtual.mailfilter) gets the recipient as $1 and $2.
# The Postfix recipes themselves run in a real Postfix in
# tests/sh/postfix-classic.sh.  The
# script re-runs itself in a private mount namespace with a tmpfs over
# /var/mail, so the real spool is never touched.
. "$(dirname "$0")/lib/suite.sh" mta

if [ -z "${MTA_NS:-}" ]; then
	if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
		skip_suite "needs root and unshare -m (a private /var/mail, a test user)"
	fi
	if ! command -v useradd >/dev/null || ! command -v setpriv >/dev/null; then
		skip_suite "needs useradd and setpriv (passwd, util-linux)"
	fi
	env MTA_NS=1 RUNNEL="$RUNNEL" BUILD="$BUILD" WORK="$work" \
	    unshare -m --propagation private bash "$0"
	exit
fi

# The user's home and runnel's copy must be reachable by the user: the
# scratch directory above $work is private.
private=$work
work=$(mktemp -d /tmp/runnel-mta.XXXXXX)
chmod 755 "$work"
u=rnlm$$
trap 'userdel "$u" 2>/dev/null; kill $(jobs -p) 2>/dev/null;
    rm -rf "$work" "$private"' EXIT
if ! mount -t tmpfs -o mode=2775 tmpfs /var/mail || ! chgrp mail /var/mail; then
	fail setup "cannot mount a tmpfs on /var/mail"
	exit 0
fi
H=$work/home
mkdir -p "$H"
# In group mail: the dot-lock beside /var/mail/USER needs write access to
# the spool (root:mail 2775 on Debian).
useradd -M -d "$H" -s /bin/sh -G mail "$u" || { fail setup "useradd failed"; exit 0; }
chown "$u:" "$H"
chmod 700 "$H"
mkdir -p "$work/bin"
cp "$RUNNEL" "$work/bin/runnel"
chmod 755 "$work/bin/runnel"

as() {	# command...: as the test user, in the home, with a clean environment
	(cd "$H" && setpriv --reuid="$u" --regid="$u" --init-groups -- "$@")
}
# spool: the user's /var/mail file, as the administrator creates it
spool() { rm -f "/var/mail/$u"; install -m 660 -o "$u" -g mail /dev/null "/var/mail/$u"; }
home_clean() { find "$H" -mindepth 1 -delete; }

# Courier's message: no From_ line, no Return-Path: (Courier passes the
# envelope in the environment)
printf 'From: Ann <ann@example.com>\nTo: bob@example.org\nSubject: courier\n\nHello Bob.\n' >"$work/msg"
chmod 644 "$work/msg"

# The command Courier runs: DEFAULTDELIVERY from the example, the "|"
# taken off, runnel's path made this copy's.
dd=$(sh -c '. "$1" && printf "%s" "$DEFAULTDELIVERY"' sh \
    "$top/examples/mta/courierd") || dd=
cmd=${dd#|}
cmd=${cmd# }
case $dd in
"|"*/runnel*) pass courier-recipe "$dd";;
*) fail courier-recipe "examples/mta/courierd: DEFAULTDELIVERY is not a pipe to runnel: '$dd'"; exit 0;;
esac
cmd=$(printf '%s' "$cmd" | sed "s#[^ ]*/runnel#$work/bin/runnel#")

courier() {	# sender: run the recipe as Courier does; sets RC, OUT
	OUT=$(as env -i HOME="$H" USER="$u" LOGNAME="$u" SHELL=/bin/sh \
	    PATH=/usr/bin:/bin SENDER="$1" RECIPIENT="$u@example.org" \
	    HOST=example.org LOCAL="$u" EXT= EXT2= EXT3= EXT4= DEFAULT= \
	    /bin/sh -c "$cmd" <"$work/msg" 2>&1)
	RC=$?
}

# 1. No filter: the default mailbox, /var/mail/USER, with a From_ line
# made from $SENDER.
home_clean; spool
courier ann@example.com
first=$(head -1 "/var/mail/$u")
if [ "$RC" = 0 ] && [ "${first%% *}" = From ] &&
    [ "$(echo "$first" | cut -d' ' -f2)" = ann@example.com ] &&
    tail -n +2 "/var/mail/$u" | head -5 | cmp -s - "$work/msg"; then
	pass courier-default
else
	fail courier-default "exit $RC, spool not as expected" "$OUT" \
	    "$(head -8 "/var/mail/$u")"
fi

# 2. A bounce (empty SENDER): delivered all the same, from MAILER-DAEMON.
home_clean; spool
courier ''
first=$(head -1 "/var/mail/$u")
if [ "$RC" = 0 ] && [ "$(echo "$first" | cut -d' ' -f2)" = MAILER-DAEMON ]; then
	pass courier-bounce
else
	fail courier-bounce "exit $RC, first line '$first'" "$OUT"
fi

# 3. The user's ~/.mailfilter decides: a maildir in the home.
home_clean; spool
mkdir -p "$H/Maildir/"{tmp,new,cur}
printf 'to "Maildir/"\n' >"$H/.mailfilter"
chmod 600 "$H/.mailfilter"
chown -R "$u:" "$H"
courier ann@example.com
n=$(ls "$H/Maildir/new" | wc -l)
if [ "$RC" = 0 ] && [ "$n" = 1 ] && [ ! -s "/var/mail/$u" ] &&
    cmp -s "$H/Maildir/new/$(ls "$H/Maildir/new")" "$work/msg"; then
	pass courier-mailfilter
else
	fail courier-mailfilter "exit $RC, $n in Maildir/new" "$OUT"
fi

# 4. A spool file the user cannot write: exit 75, so Courier keeps the
# message and retries; nothing is written.
home_clean; spool
chown root:root "/var/mail/$u"
chmod 600 "/var/mail/$u"
courier ann@example.com
if [ "$RC" = 75 ] && [ ! -s "/var/mail/$u" ] && [ -n "$OUT" ]; then
	pass courier-spool-denied "$(printf '%s' "$OUT" | head -1)"
else
	fail courier-spool-denied "exit $RC (want 75)" "$OUT"
fi

# 5. The virtual-mailbox filter, as the Postfix pipe transport runs it:
# runnel -d USER -f SENDER USERPART DOMAIN, as that user.
home_clean
install -m 600 -o "$u" "$top/examples/mta/virtual.mailfilter" "$H/.mailfilter"
mkdir -p "$H/example.org/ann/"{tmp,new,cur}
chown -R "$u:" "$H"
printf 'Return-Path: <x@example.net>\nTo: ann@example.org\nSubject: v\n\nhi\n' \
    >"$work/vmsg"
chmod 644 "$work/vmsg"
virt() {	# user domain: sets RC, OUT
	OUT=$(as env -i PATH=/usr/bin:/bin "$work/bin/runnel" -d "$u" \
	    -f x@example.net "$1" "$2" <"$work/vmsg" 2>&1)
	RC=$?
}
virt Ann Example.ORG
if [ "$RC" = 0 ] && [ "$(ls "$H/example.org/ann/new" | wc -l)" = 1 ]; then
	pass virtual-deliver
else
	fail virtual-deliver "exit $RC" "$OUT"
fi
for bad in nobody:example.org ../..:example.org 'a;b:example.org' \
    ann:../example.org; do
	virt "${bad%%:*}" "${bad#*:}"
	if [ "$RC" = 67 ] && [ "$(ls "$H/example.org/ann/new" | wc -l)" = 1 ]; then
		pass "virtual-refuse $bad"
	else
		fail "virtual-refuse $bad" "exit $RC (want 67)" "$OUT"
	fi
done
