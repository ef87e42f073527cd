#!/bin/bash
# setuid.sh: a set-uid root install (README, "Install modes") started by
# a plain user.  The caller is checked before runnel becomes anyone, and
# nothing of the caller's environment is believed: RUNNEL_SYSCONFDIR
# would otherwise name a maildroprc of the caller's choosing, run as the
# user delivered to.
. "$(dirname "$0")/lib/suite.sh" setuid

other_users "a set-uid copy"
victim=rnlv$$ caller=rnlc$$
at_exit='drop_users "$victim" "$caller"'
mkdir -p "$work/vhome/Maildir/"{tmp,new,cur} "$work/chome" "$work/evil" \
    "$work/out"
useradd -M -d "$work/vhome" -s /bin/sh "$victim" &&
    useradd -M -d "$work/chome" -s /bin/sh "$caller" || {
	fail setup "useradd failed"; exit 0; }
printf 'to "Maildir/"\n' >"$work/vhome/.mailfilter"
chmod 600 "$work/vhome/.mailfilter"
chown -R "$victim:" "$work/vhome"
chown "$caller:" "$work/chome"
chmod 1777 "$work/out"
# The caller's maildroprc: proof that it ran is a file named for whoever
# ran it.
printf 'X=`touch %s/ran-as-$LOGNAME`\n' "$work/out" >"$work/evil/maildroprc"
chmod 644 "$work/evil/maildroprc"
cp "$RUNNEL" "$work/runnel-suid"
chown root:root "$work/runnel-suid"
chmod 4755 "$work/runnel-suid"

msg='From: a@example.com\nSubject: t\n\nbody\n'

# 1. Another user's delivery: refused before becoming them.
out=$(printf "$msg" | as "$caller" env RUNNEL_SYSCONFDIR="$work/evil" \
    "$work/runnel-suid" -d "$victim" 2>&1)
rc=$?
if [ -e "$work/out/ran-as-$victim" ]; then
	fail other-user "the caller's maildroprc ran as $victim"
elif [ "$rc" = 0 ] || ! printf '%s' "$out" | grep -q 'may not deliver for'; then
	fail other-user "exit $rc, not refused: $out"
elif [ -n "$(ls "$work/vhome/Maildir/new")" ]; then
	fail other-user "a message was delivered for $victim"
else
	pass other-user
fi

# 2. The user's own delivery: the caller's RUNNEL_SYSCONFDIR is not
# believed (the system's maildroprc is read), and the mail is delivered.
out=$(printf "$msg" | as "$victim" env RUNNEL_SYSCONFDIR="$work/evil" \
    "$work/runnel-suid" -d "$victim" 2>&1)
rc=$?
if [ -e "$work/out/ran-as-$victim" ]; then
	fail own-env "RUNNEL_SYSCONFDIR from the caller was believed"
elif [ "$rc" != 0 ] || [ -z "$(ls "$work/vhome/Maildir/new")" ]; then
	fail own-env "exit $rc, nothing in Maildir/new: $out"
else
	pass own-env
fi
