# cli.sh: maildrop's command line where tests/diff cannot say it: delivery
# mode for the invoking user (-d, -d '', no filter, a value missing at the
# end), -M, empty option values, unknown users.  Each case runs through
# /usr/bin/maildrop and runnel with the same arguments; stdout, the exit
# status and the files left in the home and the spool must agree, and
# maildrop's stderr lines must appear in runnel's.  Both deliver for
# root, so the script re-runs itself in a private mount namespace with
# tmpfs over root's home and /var/mail: nothing real is written.
. "$(dirname "$0")/lib/suite.sh" cli
MD=/usr/bin/maildrop

if [ -z "${CLI_NS:-}" ]; then
	if [ "$(id -u)" != 0 ] || [ ! -x "$MD" ] ||
	    ! unshare -m true 2>/dev/null; then
		skip_suite "needs root, $MD and unshare -m"
	fi
	env CLI_NS=1 RUNNEL="$RUNNEL" BUILD="$BUILD" WORK="$work" \
	    unshare -m --propagation private bash "$0"
	exit
fi

HOMEDIR=$(getent passwd root | cut -d: -f6)
for d in "$HOMEDIR" /var/mail; do
	mode=700
	[ "$d" = /var/mail ] && mode=2775
	if ! mount -t tmpfs -o mode=$mode tmpfs "$d"; then
		fail setup "cannot mount a tmpfs on $d"
		exit 1
	fi
done
printf '%s\n' 'Return-Path: <rp@example.com>' 'From: ann@example.com' \
    'Subject: cli' '' 'body' >"$work/msg"

# The files under the home and the spool: path (maildir names masked),
# size, and a hash with mbox From_ dates masked.
files() {
	(cd / && find "$HOMEDIR" /var/mail -type f | LC_ALL=C sort |
	while read -r p; do
		printf '%s %s %s\n' "$(printf '%s' "$p" |
		    sed -E 's#/(new|cur|tmp)/[^/]+$#/\1/MSG#')" \
		    "$(stat -c %s "$p")" "$(sed -E 's/^(From [^ ]*) .*/\1 DATE/' \
		    "$p" | sha256sum | cut -c1-16)"
	done | LC_ALL=C sort)
}

# setup: a fresh home (mode 700) and spool, then the case's own files
fresh() {
	find "$HOMEDIR" /var/mail -mindepth 1 -delete
	chmod 700 "$HOMEDIR"
}
maildir() { mkdir -p "$HOMEDIR/Maildir/cur" "$HOMEDIR/Maildir/new" \
    "$HOMEDIR/Maildir/tmp"; }
filter() {	# path text: a filter file of root's, mode 600
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "$2" >"$1"
	chmod 600 "$1"
}

# same NAME SETUP ARGS...: SETUP (a function) before each run
same() {
	local name=$1 setup=$2 why=
	shift 2
	fresh; $setup
	(cd "$work" && env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "$MD" "$@" \
	    <"$work/msg" >"$work/md.out" 2>"$work/md.err"; echo $? >"$work/md.rc")
	files >"$work/md.files"
	fresh; $setup
	(cd "$work" && env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
	    ${RUNNEL_ASAN:+ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1} \
	    "$RUNNEL" "$@" <"$work/msg" >"$work/rn.out" 2>"$work/rn.err"; echo $? >"$work/rn.rc")
	files >"$work/rn.files"
	# authlib's complaint that no authdaemond runs is not maildrop's
	sed -i -e '/^ERR: authdaemon: /d' -e 's#^/usr/bin/maildrop: #maildrop: #' \
	    "$work/md.err"
	cmp -s "$work/md.rc" "$work/rn.rc" ||
	    why="exit: maildrop $(cat "$work/md.rc"), runnel $(cat "$work/rn.rc")"
	[ -z "$why" ] && ! cmp -s "$work/md.out" "$work/rn.out" &&
	    why="stdout: $(diff "$work/md.out" "$work/rn.out" | head -10)"
	[ -z "$why" ] && ! cmp -s "$work/md.files" "$work/rn.files" &&
	    why="files: $(diff "$work/md.files" "$work/rn.files" | head -10)"
	if [ -z "$why" ] && [ -s "$work/md.err" ]; then
		local miss
		miss=$(awk 'NR==FNR { want[++n] = $0; next }
		    i < n && $0 == want[i + 1] { i++ }
		    END { if (i < n) print want[i + 1] }' "$work/md.err" "$work/rn.err")
		[ -n "$miss" ] && why="stderr lacks: $miss"
	fi
	if [ -n "$why" ]; then
		fail "$name" "$why" "runnel stderr: $(head -5 "$work/rn.err")"
	else
		pass "$name"
	fi
}

F='echo "FROM=[$FROM] SIZE=$SIZE LINES=$LINES 1=[$1] 2=[$2] MAILFILTER=$MAILFILTER"
to "Maildir/"'
dotfilter() { maildir; filter "$HOMEDIR/.mailfilter" "$F"; }
nothing() { :; }

# delivery mode for the invoking user, however it is asked for
same d-no-value dotfilter -d
same d-empty dotfilter -d ''
same d-self dotfilter -d root
same d-attached dotfilter -droot
same d-args dotfilter -d root one two
same d-twice dotfilter -d nosuchuser-runnel -d root
same no-arguments dotfilter
same no-filter-args dotfilter -f bob@example.com
same dash-dash-delivery dotfilter -f bob@example.com --
# no .mailfilter: the default mailbox in the spool
same default-spool nothing -d root
same default-spool-no-d nothing

# a value missing at the end: no filter name is left, so delivery mode
same f-missing-value dotfilter -f
same A-missing-value dotfilter -A
same V-missing-value dotfilter -V
same w-missing-value dotfilter -w
same W-missing-value dotfilter -W
same d-eats-filter dotfilter -d ./f

# empty values: ignored, an earlier one stays
same f-empty-keeps dotfilter -f bob@example.com -f ''
same f-empty dotfilter -f ''
same A-empty dotfilter -A '' -A 'X-A: 1'
same A-spaces dotfilter -A 'X-Spaced: a b c' -A 'X-Two:  2'

# delivery-mode tracing and -m with a .mailfilter
same d-V2 dotfilter -V 2 -d root
mfilter() { maildir; filter "$HOMEDIR/.mailfilter" 'to "Maildir/"'; }
same m-delivery-refuses-to mfilter -m -d root
mexit() { maildir; filter "$HOMEDIR/.mailfilter" 'echo "embedded"
EXITCODE=2'; }
same m-delivery-no-default mexit -m -d root

# users that do not work
same d-unknown-user dotfilter -d nosuchuser-runnel
same d-unknown-user-filter dotfilter -d nosuchuser-runnel ./f
same d-no-home dotfilter -d nobody

# -M: the name mapped and its fallbacks under $HOME/.mailfilters
same M-missing-value dotfilter -M
same M-empty dotfilter -M ''
mf() {	# name...: .mailfilters/NAME for each, each saying its name
	local n
	maildir
	mkdir -m 700 "$HOMEDIR/.mailfilters"
	for n in "$@"; do
		filter "$HOMEDIR/.mailfilters/$n" "echo \"ran $n \$MAILFILTER 1=\$1\"
EXITCODE=3"
	done
}
m_exact() { mf list-debian-devel list-debian-default default; }
m_default() { mf list-debian-devel-default list-debian-default default; }
m_prefix() { mf list-debian-default list-default default; }
m_short() { mf list-default default; }
m_last() { mf default; }
m_none() { mf; }
m_mapped() { mf 'a:b:c' default; }
m_plain() { maildir; }
m_refuse() { mf default; filter "$HOMEDIR/.mailfilters/default" 'to "Maildir/"'; }
same M-exact m_exact -M list-debian-devel
same M-name-default m_default -M list-debian-devel
same M-prefix-default m_prefix -M list-debian-devel
same M-shorter-prefix m_short -M list-debian-devel
same M-default m_last -M list-debian-devel
same M-none m_none -M list-debian-devel
same M-mapped m_mapped -M a/b.c
same M-attached m_exact -Mlist-debian-devel
same M-args m_exact -M list-debian-devel one
same M-with-d m_exact -M list-debian-devel -d root
same M-d-first m_exact -d root -M list-debian-devel
same M-no-dir m_plain -M list-debian-devel
same M-no-dir-V2 m_plain -V 2 -M list-debian-devel
same M-none-V2 m_none -V 2 -M list-debian-devel
same M-V2 m_prefix -V 2 -M list-debian-devel
same M-refuses-to m_refuse -M x
m_dirfile() { mf default; mkdir "$HOMEDIR/.mailfilters/x"; }
same M-name-is-dir m_dirfile -M x
m_owner() { mf default; chown nobody "$HOMEDIR/.mailfilters"; }
same M-dir-owner m_owner -M x
m_world() { mf default; chmod 777 "$HOMEDIR/.mailfilters"; }
same M-dir-world-writable m_world -M x
m_sticky() { mf default; chmod 1777 "$HOMEDIR/.mailfilters"; }
same M-dir-sticky-world m_sticky -M x
m_open() { mf default; chmod 755 "$HOMEDIR/.mailfilters"; }
same M-dir-readable m_open -M x
m_file() { maildir; : >"$HOMEDIR/.mailfilters"; chmod 600 "$HOMEDIR/.mailfilters"; }
same M-not-a-dir m_file -M x
