#!/bin/bash
# shared-store.sh: several delivery hosts writing one maildir store
# (README "Running as an LMTP service").  A store that is not mounted
# (RUNNEL_STORE_MARKER missing) is a temporary failure, never a fresh
# Maildir on the local disk; a host whose clock disagrees with the file
# system's gets a warning naming both times (faketime gives it the wrong
# clock); and two LMTP servers, each in its own UTS namespace with its
# own host name and on its own socket, deliver SHARED_N messages
# (default 1000) at once into one directory, which each sees through its
# own bind mount: every message exactly once, none partial.  Where the
# kernel has both the NFS server and client, the same runs again over an
# NFS export of the store.  The script re-runs itself in a private mount
# namespace for the mounts.
. "$(dirname "$0")/lib/suite.sh" shared-store
PRE=$BUILD/tests/preload/fakepw.so
SEND=$BUILD/tests/helpers/lmtp_send
N=${SHARED_N:-1000}
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

# Two hosts, one store: STORE is what both hosts write through their
# mounts A and B (bind mounts, or NFS mounts of an export of STORE).
two_hosts() {	# CASE STORE A B
	local c=$1 S=$2 h ra rb pa pb
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
	rm -f "$work/a.sock" "$work/b.sock"
	local files a b bad left
	files=$(find "$S/Maildir/new" -type f | wc -l)
	a=$(find "$S/Maildir/new" -type f -name '*_*.host-a,*' | wc -l)
	b=$(find "$S/Maildir/new" -type f -name '*_*.host-b,*' | wc -l)
	bad=$(find "$S/Maildir/new" -type f | while read -r f; do
		tail -n +3 "$f" | cmp -s - "$work/m" || echo "$f"; done | head -3)
	left=$(find "$S/Maildir/tmp" -type f | wc -l)
	expect "$c" "$([ $ra = 0 ] && [ $rb = 0 ] && [ "$files" = "$N" ] &&
	    [ $((a + b)) = "$N" ] && [ "$a" -gt 0 ] && [ "$b" -gt 0 ] &&
	    [ -z "$bad" ] && [ "$left" = 0 ]; echo $?)" \
	    "want $N files ($a from host-a, $b from host-b, $files in all, $left in tmp/), each the whole message; clients $ra $rb; $bad"
}
new_store() {	# DIR: an empty maildir store with the filter
	mkdir -p "$1/Maildir/cur" "$1/Maildir/new" "$1/Maildir/tmp"
	chmod 755 "$1"
	cp "$H/.mailfilter" "$1/.mailfilter"
}

S=$work/shared
new_store "$S"
mkdir -p "$work/a" "$work/b"
if ! mount --bind "$S" "$work/a" || ! mount --bind "$S" "$work/b"; then
	fail two-hosts-one-store "cannot bind-mount the store"
else
	two_hosts two-hosts-one-store "$S"
	umount "$work/a" "$work/b"
fi

# The same over NFS: the kernel's server exports the store on loopback
# and each host mounts it, so names, link() and fsync cross a real NFS
# client.
if ! grep -qw nfs4 /proc/filesystems || [ ! -d /proc/fs/nfsd ]; then
	skip two-hosts-nfs "this kernel has no NFS client (no nfs4 in /proc/filesystems) or no NFS server (/proc/fs/nfsd)"
elif ! command -v exportfs >/dev/null || ! command -v rpc.nfsd >/dev/null; then
	skip two-hosts-nfs "exportfs and rpc.nfsd are not installed (nfs-kernel-server)"
else
	S=$work/nfs-store
	new_store "$S"
	mount -t nfsd nfsd /proc/fs/nfsd 2>/dev/null
	if ! exportfs -o rw,no_root_squash,no_subtree_check,fsid=77 "127.0.0.1:$S" ||
	    ! rpc.nfsd -N 3 8 ||
	    ! mount -t nfs4 -o vers=4.2 "127.0.0.1:$S" "$work/a" ||
	    ! mount -t nfs4 -o vers=4.2 "127.0.0.1:$S" "$work/b"; then
		skip two-hosts-nfs "the kernel's NFS server could not export the store here"
	else
		two_hosts two-hosts-nfs "$S"
		umount "$work/a" "$work/b"
	fi
	exportfs -u "127.0.0.1:$S" 2>/dev/null
	rpc.nfsd 0 2>/dev/null
fi
