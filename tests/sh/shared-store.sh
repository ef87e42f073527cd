#!/bin/bash
# shared-store.sh: several delivery hosts writing one maildir store
# (README "Running as an LMTP service").  A store that is not mounted
# (RUNNEL_STORE_MARKER missing) is a temporary failure, never a fresh
# Maildir on the local disk; a host whose clock disagrees with the file
# system's gets a warning naming both times (faketime gives it the wrong
# clock); and two LMTP servers, each in its own UTS namespace with its
# own host name and on its own socket, deliver SHARED_N messages
# (default 400; 1000 for the long run) at once into one directory, which
# each sees through its own bind mount: every message exactly once, none partial.  The script
# re-runs itself in a private mount namespace for the bind mounts.
. "$(dirname "$0")/lib/suite.sh" shared-store
PRE=$BUILD/tests/preload/fakepw.so
SEND=$BUILD/tests/helpers/lmtp_send
N=${SHARED_N:-400}
[ -f "$PRE" ] || skip_suite "$PRE is not built"
[ -x "$SEND" ] || skip_suite "$SEND is not built"

if [ -z "${SHARED_NS:-}" ]; then
	if [ "$(id -u)" != 0 ] || ! unshare -m --uts true 2>/dev/null; then
		skip_suite "needs root and unshare -m --uts (bind mounts, a host name per server)"
	fi
	env SHARED_NS=1 RUNNEL="$RUNNEL" BUILD="$BUILD" WORK="$work" \
	    unshare -m --propagation private bash "$0"
	exit
fi

H=$work/home
mkdir -p "$H/Maildir/cur" "$H/Maildir/new" "$H/Maildir/tmp" "$work/etc"
chmod 755 "$H"
printf 'to "Maildir/"\n' >"$H/.mailfilter"
chmod 600 "$H/.mailfilter"
printf 'From: ann@example.com\nSubject: shared\n\nline one\nline two\n' >"$work/m"
count() { find "$1/Maildir/new" -type f | wc -l; }
deliver() {	# HOME ENV...: runnel -d fakeu
	local h=$1
	shift
	(cd / && env -i PATH=/usr/bin:/bin LD_PRELOAD="$PRE" FAKEPW_NAME=fakeu \
	    FAKEPW_HOME="$h" RUNNEL_SYSCONFDIR="$work/etc" "$@" \
	    "$RUNNEL" -d fakeu <"$work/m" >"$work/.out" 2>"$work/.err")
	RC=$?
	OUT=$(cat "$work/.out")
	ERR=$(cat "$work/.err")
}

# The store's marker: missing, 75 and nothing written anywhere.
deliver "$H" RUNNEL_STORE_MARKER="$work/store/.mounted"
expect store-missing-defers "$([ $RC = 75 ] && [ "$(count "$H")" = 0 ] &&
    printf '%s\n' "$ERR" | grep -q 'Mail store is not available'; echo $?)" \
    "want 75 and 'Mail store is not available.'"
mkdir -p "$work/store"
: >"$work/store/.mounted"
deliver "$H" RUNNEL_STORE_MARKER="$work/store/.mounted"
expect store-present-delivers "$([ $RC = 0 ] && [ "$(count "$H")" = 1 ]; echo $?)" \
    "want the message delivered"

# Clock skew: this host two hours behind the file system.
FT=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
if [ -z "$FT" ]; then
	skip clock-skew-warns "faketime is not installed (tests/deps.sh test installs it)"
else
	deliver "$H" LD_PRELOAD="$PRE:$FT" FAKETIME=-7200 NO_FAKE_STAT=1
	expect clock-skew-warns "$([ $RC = 0 ] &&
	    printf '%s\n' "$ERR" | grep -q 'clock skew: .* (+7200 s'; echo $?)" \
	    "want the warning with both times"
fi
deliver "$H"
expect no-skew-no-warning "$([ $RC = 0 ] && [ -z "$ERR" ]; echo $?)" "want no warning"

# Two hosts, one store.
S=$work/shared
mkdir -p "$S/Maildir/cur" "$S/Maildir/new" "$S/Maildir/tmp" "$work/a" "$work/b"
chmod 755 "$S"
cp "$H/.mailfilter" "$S/.mailfilter"
if ! mount --bind "$S" "$work/a" || ! mount --bind "$S" "$work/b"; then
	fail two-hosts "cannot bind-mount the store"
	exit 0
fi
for h in a b; do
	env -i PATH=/usr/bin:/bin LD_PRELOAD="$PRE" FAKEPW_NAME=fakeu \
	    FAKEPW_HOME="$work/$h" RUNNEL_SYSCONFDIR="$work/etc" \
	    unshare --uts sh -c "hostname host-$h && exec $RUNNEL --listen unix:$work/$h.sock --max-connections 4" \
	    2>"$work/$h.log" &
done
for i in $(seq 50); do [ -S "$work/a.sock" ] && [ -S "$work/b.sock" ] && break; sleep 0.2; done
"$SEND" -q -c 2 -n $((N / 4)) -r fakeu@example.com -m "$work/m" "unix:$work/a.sock" >"$work/a.out" 2>&1 &
pa=$!
"$SEND" -q -c 2 -n $((N / 4)) -r fakeu@example.com -m "$work/m" "unix:$work/b.sock" >"$work/b.out" 2>&1 &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
kill $(jobs -p) 2>/dev/null
wait
files=$(find "$S/Maildir/new" -type f | wc -l)
a=$(find "$S/Maildir/new" -type f -name '*_*.host-a,*' | wc -l)
b=$(find "$S/Maildir/new" -type f -name '*_*.host-b,*' | wc -l)
bad=$(find "$S/Maildir/new" -type f | while read -r f; do
	tail -n +3 "$f" | cmp -s - "$work/m" || echo "$f"; done | head -3)
left=$(find "$S/Maildir/tmp" -type f | wc -l)
expect two-hosts-one-store "$([ $ra = 0 ] && [ $rb = 0 ] && [ "$files" = "$N" ] &&
    [ $((a + b)) = "$N" ] && [ "$a" -gt 0 ] && [ "$b" -gt 0 ] &&
    [ -z "$bad" ] && [ "$left" = 0 ]; echo $?)" \
    "want $N files ($a from host-a, $b from host-b, $files in all, $left in tmp/), each the whole message; clients $ra $rb; $bad"
umount "$work/a" "$work/b"
