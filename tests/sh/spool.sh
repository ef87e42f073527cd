#!/bin/bash
# spool.sh: delivery to Debian's own mail spool, /var/mail root:mail
# 2775, in the set-gid mail install mode (README, "Install modes";
# interp/run/spool.h).  The real /var/mail is used, with throwaway users
# made and removed here: the spool's owner, group and mode are the thing
# under test, and a build pointed at a copy would test the copy.  Each
# user's files there are their own, so other tests are not disturbed.
# Debian's maildrop, set-gid mail itself, is run on the same spool where
# the result should agree.
. "$(dirname "$0")/lib/suite.sh" spool

spool=/var/mail
mailgid=$(getent group mail | cut -d: -f3)
if [ -z "$mailgid" ] || [ "$(stat -c '%U:%G %a' "$spool" 2>/dev/null)" != \
    "root:mail 2775" ]; then
	skip_suite "$spool is not root:mail 2775 as Debian ships it"
fi
other_users "a set-gid copy"
u=rnls$$ other=rnlo$$
at_exit='drop_users "$u" "$other"
    rm -f "$spool/$u" "$spool/$other" "$spool/$u".* "$spool/$other".* \
    "$spool/${u}x" "$spool/nobody$$"'
mkdir -p "$work/home" "$work/ohome"
useradd -M -d "$work/home" -s /bin/sh "$u" &&
    useradd -M -d "$work/ohome" -s /bin/sh "$other" || {
	fail setup "useradd failed"; exit 0; }
chown "$u:" "$work/home"
chown "$other:" "$work/ohome"
# The set-gid copy as `make install-setgid` installs it (-o all: install
# this build's binary, build nothing).
if ! make -s -C "$top" -o all install-setgid DESTDIR="$work/dest" \
    PREFIX=/usr BIN="$RUNNEL" >"$work/install.log" 2>&1; then
	fail install-setgid "make install-setgid failed" "$(cat "$work/install.log")"
	exit 0
fi
ln -s dest/usr/bin/runnel "$work/runnel-sg"
if [ "$(stat -c '%U:%G %a' "$work/dest/usr/bin/runnel")" = "root:mail 2755" ]; then
	pass install-setgid
else
	fail install-setgid "installed as $(stat -c '%U:%G %a' "$work/dest/usr/bin/runnel")"
fi
cp "$RUNNEL" "$work/runnel-plain"
chmod 755 "$work/runnel-plain"
# Started under a companion's name, a set-gid copy must keep nothing.
ln -s dest/usr/bin/runnel "$work/maildirmake"
msg "$work/msg"
chmod 644 "$work/msg"

# The probe: what groups a command started by the filter has, real,
# effective, saved (the Gid: line) and supplementary.
cat >"$work/home/probe" <<'PROBE'
#!/bin/sh
cat >/dev/null
{ id -G; grep '^Gid:' /proc/$$/status; } >"$HOME/ids.$1"
PROBE
chmod 755 "$work/home/probe"

filter() {	# text: the user's ~/.mailfilter
	printf '%s\n' "$1" >"$work/home/.mailfilter"
	chown "$u:" "$work/home/.mailfilter"
	chmod 600 "$work/home/.mailfilter"
}
deliver() {	# who binary [args]: -d $u, as who; sets RC and ERR
	local who=$1 bin=$2; shift 2
	if [ "$who" = root ]; then
		ERR=$("$bin" -d "$u" "$@" <"$work/msg" 2>&1)
	else
		ERR=$(as "$who" "$bin" -d "$u" "$@" <"$work/msg" 2>&1)
	fi
	RC=$?
}
# leftovers: files of the user's in the spool other than the mailbox
# (a lock, its temporary name, a journal)
leftovers() { find "$spool" -maxdepth 1 -user "$u" ! -name "$u" | tr '\n' ' '; }
# the mailbox: owner, group, mode, and the messages without From_ dates
shape() { stat -c '%U:%G %a' "$spool/$u"; sed 's/^From \([^ ]*\) .*/From \1/' "$spool/$u"; }
no_mail_gid() {	# file from the probe: 0 when mail's gid is nowhere in it
	[ -s "$1" ] && ! tr -s ' \t' '\n\n' <"$1" | grep -qx "$mailgid"
}

# 1. The set-gid copy, started by the user: delivered, the mailbox made
# as maildrop makes it, nothing left behind.  Then a second message.
rm -f "$spool/$u"
filter ''
deliver "$u" "$work/runnel-sg"
left=$(leftovers)
if [ "$RC" != 0 ] || [ ! -f "$spool/$u" ]; then
	fail setgid-delivers "exit $RC, no $spool/$u" "$ERR"
elif [ -n "$left" ]; then
	fail setgid-delivers "left in the spool: $left"
else
	deliver "$u" "$work/runnel-sg"
	if [ "$RC" != 0 ] || [ "$(grep -c '^From ' "$spool/$u")" != 2 ] ||
	    [ -n "$(leftovers)" ]; then
		fail setgid-delivers "second delivery: exit $RC" "$ERR" \
		    "$(leftovers)"
	else pass setgid-delivers; fi
fi
ours=$(shape)

# 2. Debian's maildrop on the same spool, as the same user: the same
# mailbox (owner, group, mode, bytes but the From_ dates).
if [ -x /usr/bin/maildrop ] && [ -g /usr/bin/maildrop ]; then
	rm -f "$spool/$u"
	as "$u" /usr/bin/maildrop -d "$u" <"$work/msg" >/dev/null 2>&1
	as "$u" /usr/bin/maildrop -d "$u" <"$work/msg" >/dev/null 2>&1
	theirs=$(shape)
	if [ "$ours" = "$theirs" ]; then pass same-as-maildrop
	else fail same-as-maildrop "the mailboxes differ" \
	    "$(diff <(echo "$theirs") <(echo "$ours"))"; fi
else
	skip same-as-maildrop "no set-gid /usr/bin/maildrop (package maildrop)"
fi

# 3. A plain (0755) copy started by the user cannot lock in the spool:
# 75, a message naming the fix, no mailbox made.
rm -f "$spool/$u"
deliver "$u" "$work/runnel-plain"
if [ "$RC" = 75 ] && [ ! -e "$spool/$u" ] &&
    printf '%s' "$ERR" | grep -q 'make install-setgid' &&
    printf '%s' "$ERR" | grep -q 'Unable to create a dot-lock'; then
	pass plain-defers
else
	fail plain-defers "exit $RC, want 75 naming make install-setgid" "$ERR"
fi

# 4. Commands the filter starts (a pipe, backticks) never have group
# mail: not effective, not saved, not supplementary.
rm -f "$spool/$u" "$work/home"/ids.*
filter 'cc "|$HOME/probe pipe"
X=`$HOME/probe tick`'
deliver "$u" "$work/runnel-sg"
if [ "$RC" != 0 ] || [ ! -f "$spool/$u" ]; then
	fail commands-no-mail "exit $RC" "$ERR"
elif ! no_mail_gid "$work/home/ids.pipe" || ! no_mail_gid "$work/home/ids.tick"; then
	fail commands-no-mail "a command had gid $mailgid" \
	    "$(cat "$work/home"/ids.* 2>&1)"
else pass commands-no-mail; fi

# 5. The filter cannot use the group elsewhere in the spool: another
# user's mailbox (existing or not), a LOCKEXT that names another file,
# a dotlock there.  Each fails, and nothing there is made or changed.
printf 'From x Thu Jan  1 00:00:00 1970\nSubject: old\n\nold\n\n' >"$spool/$other"
chown "$other:mail" "$spool/$other"
chmod 660 "$spool/$other"
before=$(stat -c '%s %Y %a' "$spool/$other"; sha256sum <"$spool/$other")
for case in "to \"$spool/$other\"" "to \"$spool/nobody$$\"" \
    'LOCKEXT="x"
to "$DEFAULT"' "dotlock \"$spool/$other.lock\" {
exit
}"; do
	filter "$case"
	deliver "$u" "$work/runnel-sg"
	after=$(stat -c '%s %Y %a' "$spool/$other"; sha256sum <"$spool/$other")
	made=$(ls "$spool" | grep -E "^($other\.|nobody$$|${u}x)")
	name=$(printf '%s' "$case" | head -1)
	if [ "$RC" != 75 ]; then
		fail "elsewhere: $name" "exit $RC, want 75" "$ERR"
	elif [ -n "$made" ] || [ "$before" != "$after" ] ||
	    [ -n "$(leftovers)" ]; then
		fail "elsewhere: $name" "the spool changed: $made $(leftovers)"
	else pass "elsewhere: $name"; fi
done

# 6. The companion commands of a set-gid copy keep no group either.
ERR=$(as "$u" "$work/maildirmake" "$spool/$u.md" 2>&1)
if [ -e "$spool/$u.md" ]; then
	fail companion-no-mail "maildirmake made $spool/$u.md with group mail"
else pass companion-no-mail; fi

# 7. The MTA runs runnel (plain) as root with -d: the user's ids, the
# spool's group for the lock only; commands again without it.
rm -f "$spool/$u" "$work/home"/ids.*
filter 'cc "|$HOME/probe pipe"'
deliver root "$work/runnel-plain"
if [ "$RC" != 0 ] || [ "$(stat -c '%U:%G %a' "$spool/$u" 2>&1)" != "$u:mail 600" ]; then
	fail root-d "exit $RC, mailbox $(stat -c '%U:%G %a' "$spool/$u" 2>&1)" "$ERR"
elif [ -n "$(leftovers)" ]; then
	fail root-d "left in the spool: $(leftovers)"
elif ! no_mail_gid "$work/home/ids.pipe"; then
	fail root-d "a command had gid $mailgid" "$(cat "$work/home/ids.pipe")"
else pass root-d; fi

# 8. A lock of the user's own left by a dead delivery is broken (that
# needs the group too) and the message delivered.
filter ''
rm -f "$spool/$u"
printf '%s\n' 999999999 >"$spool/$u.lock"
chown "$u:mail" "$spool/$u.lock"
deliver "$u" "$work/runnel-sg"
if [ "$RC" = 0 ] && [ ! -e "$spool/$u.lock" ] && [ -s "$spool/$u" ] &&
    [ -z "$(leftovers)" ]; then
	pass dead-lock-broken
else fail dead-lock-broken "exit $RC, lock: $(ls -l "$spool/$u.lock" 2>&1)" "$ERR"; fi

# 9. Stopped by a signal while it waits for a live lock: 75, the other
# holder's lock stays, nothing of runnel's is left.
sleep 600 &
holder=$!
printf '%s\n' "$holder" >"$spool/$u.lock"
# (setpriv execs runnel, so $! is runnel itself)
setpriv --reuid="$u" --regid="$u" --init-groups -- "$work/runnel-sg" -d "$u" \
    <"$work/msg" >"$work/sig.err" 2>&1 &
pid=$!
sleep 2
kill -TERM "$pid"
wait "$pid"
RC=$?
kill "$holder" 2>/dev/null
if [ "$RC" = 75 ] && [ "$(cat "$spool/$u.lock" 2>/dev/null)" = "$holder" ] &&
    [ -z "$(leftovers)" ]; then
	pass signal-in-lock-wait
else fail signal-in-lock-wait "exit $RC, left: $(leftovers)" "$(cat "$work/sig.err")"; fi
rm -f "$spool/$u.lock"

# 10. The dry run of a spool delivery runs the real run's plan: the
# set-gid copy would deliver (the lock's folder is checked with the
# spool's group, as the lock is taken), the plain copy would fail as
# its real run does; neither leaves a mailbox or a lock behind.
filter ''
rm -f "$spool/$u"
deliver "$u" "$work/runnel-sg" --dry-run
if [ "$RC" = 0 ] && [ ! -e "$spool/$u" ] && [ -z "$(leftovers)" ] &&
    printf '%s' "$ERR" | grep -q "would deliver to $spool/$u (mbox)"; then
	pass dry-run-setgid
else fail dry-run-setgid "exit $RC, left: $(leftovers)" "$ERR"; fi
deliver "$u" "$work/runnel-plain" --dry-run
if [ "$RC" = 75 ] && [ ! -e "$spool/$u" ] && [ -z "$(leftovers)" ] &&
    printf '%s' "$ERR" | grep -q 'Unable to create a dot-lock' &&
    printf '%s' "$ERR" | grep -q 'make install-setgid'; then
	pass dry-run-plain
else fail dry-run-plain "exit $RC, want 75 as the real run" "$ERR"; fi

# 11. Root dry-running another user's filter by its path is told to dry
# run it as that user's delivery (-d), never to chown it: root owning
# the file would break the user's own deliveries.
filter 'to "Maildir/"'
ERR=$("$RUNNEL" --dry-run "$work/home/.mailfilter" <"$work/msg" 2>&1)
RC=$?
if [ "$RC" = 75 ] &&
    printf '%s' "$ERR" | grep -qF "runnel --dry-run -d $u" &&
    ! printf '%s' "$ERR" | grep -q chown &&
    [ "$(stat -c %U "$work/home/.mailfilter")" = "$u" ]; then
	pass root-dry-run-hint
else fail root-dry-run-hint "exit $RC, want the -d hint" "$ERR"; fi
