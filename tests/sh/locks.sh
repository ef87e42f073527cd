#!/bin/bash
# locks.sh: what a dot-lock may believe and where it may write, when
# others can write in the mailbox's directory (a shared spool):
#   - the temporary name DIR/<pid>.<n>.<host> is created, never opened
#     through what is already there (a planted symbolic link);
#   - a dead lock's pid counts only when the lock file belongs to the
#     mailbox's owner or root; any other waits for LOCKTIMEOUT, and no
#     lock ever makes a delivery cut the mailbox.
. "$(dirname "$0")/lib/suite.sh" locks

run() {	# sandbox [VAR=value...]: runnel ./f, pid known to the caller
	local sb=$1
	shift
	(cd "$sb" && env -i HOME="$sb" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC SHELL=/bin/sh "$@" timeout 30 "$RUNNEL" ./f <"$work/msg" \
	    >"$sb/.out" 2>"$sb/.err"; echo $?)
}

printf 'From: a@b\nSubject: x\n\nbody\n' >"$work/msg"
host=$(hostname)

# A link planted on the temporary name: the file it points to stays as
# it was, and the delivery fails (75) naming the temporary name.
sb=$(bare_sandbox tmplink 'to "mb"\n')
printf 'precious\n' >"$work/victim"
rc=$(cd "$sb" && env -i HOME="$sb" LOGNAME=runnel-test PATH=/usr/bin:/bin \
    TZ=UTC SHELL=/bin/sh sh -c 'ln -s "$1" "$$.0.$2" && exec "$3" ./f' sh \
    "$work/victim" "$host" "$RUNNEL" <"$work/msg" >"$sb/.out" 2>"$sb/.err";
    echo $?)
if [ "$rc" = 75 ] && [ "$(cat "$work/victim")" = precious ] &&
    grep -q "^maildrop: Unable to create a dot-lock at .*\.0\.$host\.$" "$sb/.err" &&
    [ ! -e "$sb/mb.lock" ]; then
	pass "temp-name-symlink-not-followed"
else
	fail temp-name-symlink-not-followed "exit $rc, victim '$(cat "$work/victim")': $(head -3 "$sb/.err")"
fi

# The same for a regular file left on the name: not truncated.
sb=$(bare_sandbox tmpfile 'to "mb"\n')
rc=$(cd "$sb" && env -i HOME="$sb" LOGNAME=runnel-test PATH=/usr/bin:/bin \
    TZ=UTC SHELL=/bin/sh sh -c 'echo keep >"$$.0.$1" && exec "$2" ./f' sh \
    "$host" "$RUNNEL" <"$work/msg" >"$sb/.out" 2>"$sb/.err"; echo $?)
if [ "$rc" = 75 ] && [ "$(cat "$sb"/*."$host")" = keep ] &&
    grep -q 'not runnel' "$sb/.err"; then
	pass "temp-name-taken-not-truncated"
else
	fail temp-name-taken-not-truncated "exit $rc: $(head -3 "$sb/.err")"
fi

if [ "$(id -u)" != 0 ]; then
	skip foreign-owner "needs root to chown files to other uids"
	exit 0
fi

# A dead pid (a process that has exited).
sh -c 'exit 0' & dead=$!; wait $dead
old='From x Thu Jan  1 00:00:00 1970\nSubject: old\n\nkeep me\n\n'

# The mailbox belongs to uid 4242 and a lock claims a dead holder.  A
# lock of uid 4343 is not believed (anyone who can write in the
# directory could forge one): it goes only as stale, after LOCKTIMEOUT.
# The mailbox owner's and root's are broken at once.  The mailbox keeps
# every byte either way: what a killed append left is the journal's
# business, not the lock's.
# name | the lock file's owner | when the lock goes
cases=(
"foreign-dead-lock-not-believed|4343|stale"
"owner-dead-lock-broken-at-once|4242|at-once"
"root-dead-lock-broken-at-once|0|at-once"
)
for c in "${cases[@]}"; do
	IFS='|' read -r name owner when <<<"$c"
	sb=$(bare_sandbox "$name" 'LOCKTIMEOUT=2\nLOCKSLEEP=1\nto "mb"\n')
	printf "$old" >"$sb/mb"
	chown 4242 "$sb/mb"
	printf '%s\n' "$dead" >"$sb/mb.lock"
	chown "$owner" "$sb/mb.lock"
	t0=$SECONDS
	rc=$(run "$sb")
	secs=$((SECONDS - t0))
	if [ "$when" = stale ]; then
		timely=$((secs >= 2))
	else
		timely=$((secs <= 1))
	fi
	if [ "$rc" = 0 ] && [ "$timely" = 1 ] && grep -q '^keep me$' "$sb/mb" &&
	    [ "$(grep -c '^From ' "$sb/mb")" = 2 ] && [ ! -e "$sb/mb.lock" ]
	then
		pass "$name"
	else
		fail "$name" "exit $rc after $secs s: $(head -3 "$sb/.err")"
	fi
done
