#!/bin/bash
# tools.sh: runnel started as maildirmake, reformail and deliverquota
# against Debian's programs of those names (the maildrop package).  Each
# case runs the same command line on the same input in two fresh
# sandboxes: stdout, stderr, the exit status and the files left behind
# (path with maildir names masked, mode, size, a hash of the content)
# must agree.  A deliberate difference (a Courier bug not copied) is a
# "differs" case: runnel alone, with its expected exit and stderr text.
. "$(dirname "$0")/lib/suite.sh" tools
. "$(dirname "$0")/lib/case.sh"

bin=$work/bin
mkdir -p "$bin"
for t in maildirmake reformail deliverquota; do
	ln -s "$RUNNEL" "$bin/$t"
done
msg=$work/msg
printf 'Return-Path: <rp@example.com>\nFrom: Ann <ann@example.com>\nTo: bob@example.com\nSubject: tools\nMessage-ID: <one@example.com>\n\nbody\n' >"$msg"

tree() {	# dir
	(cd "$1" && find . -mindepth 1 ! -name .in | LC_ALL=C sort |
	while read -r p; do
		printf '%s %s %s %s\n' "$(printf '%s' "$p" |
		    sed -E 's#/(new|cur|tmp)/[^/]+$#/\1/MSG#')" \
		    "$(stat -c %a "$p")" "$( [ -f "$p" ] && stat -c %s "$p")" \
		    "$( [ -f "$p" ] && sha256sum <"$p" | cut -c1-16)"
	done)
}

# one PROG SANDBOX SETUP INPUT ARGS... (UMASK: the umask, default 022;
# XENV: more VAR=value words for the environment): run PROG in a fresh SANDBOX (the
# program's path, which usage lines show, reads as its name)
one() {
	local prog=$1 sb=$2 setup=$3 input=$4
	shift 4
	rm -rf "$sb"
	mkdir -p "$sb"
	(cd "$sb" && umask 022 && $setup)
	# shellcheck disable=SC2086
	(cd "$sb" && umask "${UMASK:-022}" && env -i PATH=/usr/bin:/bin TZ=UTC \
	    LANG=C.UTF-8 HOME="$sb" ${XENV:-} "$prog" "$@" <"$input" >"$sb.out" \
	    2>"$sb.err"; echo $? >"$sb.rc")
	sed -i -e "s#$sb#SANDBOX#g" -e "s#$prog#$(basename "$prog" .maildrop)#g" \
	    "$sb.out" "$sb.err"
	# the date of a From_ line reformail -f1 adds
	case_mask -i "$sb.out"
	tree "$sb" >"$sb.tree"
}

none() { :; }
mdm_folder() { maildir; mkdir -p M/.Drafts/tmp M/.Drafts/new M/.Drafts/cur; : >M/.Drafts/maildirfolder; }
mdm_folder_mail() { mdm_folder; printf "x\n" >M/.Drafts/new/1.a,S=2; }
mdm_quota() { maildir_mail; printf "1S\n           9            9\n" >M/maildirsize; }
maildir() { mkdir -p M/tmp M/new M/cur; chmod -R 700 M; }
maildir_mail() {
	maildir
	printf 'x\n' >M/new/1.a,S=2; printf 'yy\n' >M/cur/2.b:2,S
}

# same NAME TOOL SETUP INPUT ARGS...
same() {
	local name=$1 tool=$2 setup=$3 input=$4 why= e
	shift 4
	one "${courier[$tool]}" "$work/md" "$setup" "$input" "$@"
	one "$bin/$tool" "$work/rn" "$setup" "$input" "$@"
	for e in rc out err tree; do
		cmp -s "$work/md.$e" "$work/rn.$e" && continue
		why="$e differs:
$(diff -u "$work/md.$e" "$work/rn.$e" | tail -n +3 | head -20)"
		break
	done
	if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why"; fi
}

# differs NAME TOOL SETUP INPUT EXIT TEXT ARGS...: runnel only; TEXT is
# in its stdout or stderr
differs() {
	local name=$1 tool=$2 setup=$3 input=$4 rc=$5 text=$6
	shift 6
	one "$bin/$tool" "$work/rn" "$setup" "$input" "$@"
	if [ "$(cat "$work/rn.rc")" = "$rc" ] &&
	    { [ -z "$text" ] ||
	    cat "$work/rn.out" "$work/rn.err" | grep -qF -- "$text"; }; then
		pass "$name"
	else
		fail "$name" "exit $(cat "$work/rn.rc") (want $rc): $(head -3 "$work/rn.err")"
	fi
}

# Debian's programs (maildrop package; deliverquota is in /usr/sbin)
declare -A courier
for t in maildirmake reformail deliverquota; do
	for p in /usr/bin/$t.maildrop /usr/sbin/$t.maildrop /usr/bin/$t \
	    /usr/sbin/$t; do
		[ -x "$p" ] && { courier[$t]=$p; break; }
	done
	if [ -z "${courier[$t]:-}" ]; then
		skip_suite "$t of Debian's maildrop package is not installed"
	fi
done
N=/dev/null

# maildirmake
same mdm-new maildirmake none $N M
same mdm-shared maildirmake none $N -S M
same mdm-exists maildirmake maildir $N M
same mdm-no-parent maildirmake none $N a/M
same mdm-usage maildirmake none $N
same mdm-bad-option maildirmake none $N -x M
same mdm-double-dash maildirmake none $N -- M
same mdm-value-missing maildirmake none $N -f
same mdm-folder maildirmake maildir $N -f Drafts M
same mdm-folder-attached maildirmake maildir $N -fDrafts M
same mdm-folder-last-wins maildirmake maildir $N -f a -f b M
same mdm-folder-sub maildirmake maildir $N -f Drafts.Urgent M
same mdm-folder-shared maildirmake maildir $N -S -f Pub M
same mdm-folder-exists maildirmake mdm_folder $N -f Drafts M
same mdm-folder-dot maildirmake maildir $N -f .x M
same mdm-folder-dotdot maildirmake maildir $N -f ../x M
same mdm-folder-empty maildirmake maildir $N -f '' M
same mdm-folder-no-maildir maildirmake none $N -f x M
same mdm-extra-args maildirmake none $N M N
same mdm-quota maildirmake maildir $N -q 1000S,10C M
same mdm-quota-count maildirmake maildir_mail $N -q 5C M
same mdm-quota-replace maildirmake mdm_quota $N -q 2000S M
same mdm-quota-folder maildirmake mdm_folder $N -q 10C -f Drafts M
differs mdm-quota-missing maildirmake none $N 1 \
    "maildirmake: N/tmp: No such file or directory" -q 10S N
differs mdm-quota-bad maildirmake maildir $N 1 "not a quota" -q bogus M
differs mdm-folder-slash maildirmake maildir $N 1 \
    "Invalid folder name: a/../../x" -f a/../../x M

# maildirmake --add/--del: the shared-maildirs list.  The shared maildir
# has one absolute path for both sandboxes, so the lists compare.
SH=$work/shared
mkdir -p "$SH/tmp" "$SH/new" "$SH/cur"
shared_one() { maildir; printf 'pub\t%s\n' "$SH" >M/shared-maildirs; }
shared_two() { shared_one; printf 'other\t/tmp\n' >>M/shared-maildirs; }
shared_odd() {
	maildir
	printf 'dup\t/a\nx\t/b\ndup\t/c\nnotab\n\n\t/empty\n' >M/shared-maildirs
}
same mdm-add maildirmake maildir $N --add "pub=$SH" M
same mdm-add-second maildirmake shared_one $N --add other=/tmp M
same mdm-add-listed maildirmake shared_one $N --add "pub=$SH" M
same mdm-add-listed-bad-path maildirmake shared_one $N --add "pub=$SH/x" M
same mdm-add-missing-path maildirmake maildir $N --add "pub=$work/none" M
same mdm-add-relative maildirmake maildir $N --add pub=shared M
same mdm-add-no-eq maildirmake maildir $N --add pub M
same mdm-add-empty-path maildirmake maildir $N --add pub= M
same mdm-add-dot maildirmake maildir $N --add "a.b=$SH" M
same mdm-add-slash maildirmake maildir $N --add "a/b=$SH" M
same mdm-add-dot-no-maildir maildirmake none $N --add "a.b=$SH" N
same mdm-add-no-maildir maildirmake none $N --add "pub=$SH" N
same mdm-add-not-dir maildirmake none $N --add "pub=$SH" /dev/null
same mdm-add-no-dir maildirmake none $N --add "pub=$SH"
same mdm-add-no-value maildirmake none $N --add
same mdm-add-attached maildirmake maildir $N "--add=pub=$SH" M
same mdm-add-with-f maildirmake maildir $N --add "pub=$SH" -f x M
same mdm-add-empty-name maildirmake maildir $N --add "=$SH" M
same mdm-add-space maildirmake maildir $N --add "my pub=$SH" M
same mdm-add-not-maildir maildirmake maildir $N --add "tmp=/tmp" M
UMASK=077 same mdm-add-umask-077 maildirmake maildir $N --add "pub=$SH" M
UMASK=077 same mdm-add-umask-existing maildirmake shared_one $N --add o=/tmp M
same mdm-del maildirmake shared_two $N --del pub M
same mdm-del-second maildirmake shared_two $N --del other M
same mdm-del-last maildirmake shared_one $N --del pub M
same mdm-del-unknown maildirmake shared_two $N --del nope M
same mdm-del-prefix maildirmake shared_two $N --del pu M
same mdm-del-all-of-a-name maildirmake shared_odd $N --del dup M
same mdm-del-no-tab maildirmake shared_odd $N --del notab M
same mdm-del-empty-name maildirmake shared_odd $N --del '' M
same mdm-del-no-list maildirmake maildir $N --del pub M
same mdm-del-no-maildir maildirmake none $N --del pub N
same mdm-del-no-value maildirmake none $N --del
UMASK=077 same mdm-del-umask-077 maildirmake shared_two $N --del pub M
# Courier writes a name with a tab, and the list no longer reads back
differs mdm-add-tab maildirmake maildir $N 1 "invalid name" \
    --add "$(printf 'a\tb')=$SH" M
# Courier glues the entry to a last line without a newline
shared_nonl() { maildir; printf 'x\t/a' >M/shared-maildirs; }
differs mdm-add-after-no-newline maildirmake shared_nonl $N 0 "" --add y=/tmp M
if [ "$(cat "$work/rn/M/shared-maildirs")" != "$(printf 'x\t/a\ny\t/tmp')" ]; then
	fail mdm-add-after-no-newline-list "the list reads: $(cat -A "$work/rn/M/shared-maildirs")"
fi
# a list that is a symbolic link is not followed (Courier appends to
# whatever it points at)
shared_link() { maildir; : >elsewhere; ln -s ../elsewhere M/shared-maildirs; }
differs mdm-add-list-symlink maildirmake shared_link $N 1 \
    "shared-maildirs" --add y=/tmp M
if [ -s "$work/rn/elsewhere" ]; then
	fail mdm-add-list-symlink-target "the link's target was written"
fi

# deliverquota
E=$work/empty; : >"$E"
same dq-deliver deliverquota maildir "$msg" M
same dq-deliver-mail deliverquota maildir_mail "$msg" M
same dq-quota-fits deliverquota maildir_mail "$msg" M 1000S
same dq-quota-exceeded deliverquota maildir_mail "$msg" M 10S
same dq-quota-count deliverquota maildir_mail "$msg" M 2C
same dq-quota-from-file deliverquota mdm_quota "$msg" M
same dq-quota-bad deliverquota mdm_quota "$msg" M bogus
same dq-quota-bad-none deliverquota maildir "$msg" M bogus
same dq-folder deliverquota mdm_folder "$msg" M/.Drafts 1000S
same dq-folder-over deliverquota mdm_folder_mail "$msg" M/.Drafts 10S
same dq-extra-args deliverquota maildir "$msg" M 1000S extra
same dq-missing deliverquota none "$msg" nonexist
same dq-create deliverquota none "$msg" -c N
same dq-create-folder deliverquota maildir "$msg" -c M/.F
same dq-w deliverquota maildir_mail "$msg" -w 90 M 1000S
same dq-w-attached deliverquota maildir_mail "$msg" -w90 M 1000S
UMASK=000 same dq-umask-000 deliverquota maildir "$msg" M 1000S
UMASK=077 same dq-umask-077 deliverquota maildir "$msg" M 1000S
UMASK=000 same mdm-quota-umask-000 maildirmake maildir $N -q 1000S M
same dq-usage deliverquota none "$msg"
same dq-usage-w deliverquota none "$msg" -w
same dq-usage-c deliverquota none "$msg" -c
same dq-c-twice deliverquota none "$msg" -c -c N
same dq-w-c deliverquota none "$msg" -w 5 -c N
same dq-option-as-dir deliverquota maildir "$msg" -x M
same dq-empty deliverquota maildir "$E" M

# reformail
M1=$work/m-from
printf 'From sender@x Sat Dec  5 21:00:00 2026\nReceived: a\n  folded\nSubject: one\nsubject: two\nX-A: 1\nX-A: 2\nMessage-ID: <m1@x>\n\nbody\nFrom inside\n>From quoted\n>>From twice\n' >"$M1"
M2=$work/m-plain; tail -n +2 "$M1" >"$M2"
M3=$work/m-rp
printf 'From s@x Sat Dec  5 21:00:00 2026\nReturn-Path: <old@y>\nSubject: s\n\n>>From a\n>From b\nFrom c\n' >"$M3"
M4=$work/m-crlf; printf '\n\nSubject: x\r\nX-A: 1\r\n\r\nbody\r\nc\rd\n' >"$M4"
M5=$work/m-nobody; printf 'Subject: no body' >"$M5"
M6=$work/m-rp-only; printf 'Return-Path: <rp@y>\nSubject: s\n\nFrom x\n>From y\n' >"$M6"
i=0
for args in "" "-f0" "-f1" "-f" "-f2" "-f0 -f1" "-f1 -f0" "-c" \
    "-A X-New:v" "-AX-New:v" "-a X-A:new" "-a X-B:new" "-I X-A:new" \
    "-i X-A:new" "-I X-A" "-R X-A: X-Z:" "-R subject: Topic:" "-u X-A:" \
    "-uX-A:" "-U X-A:" "-u subject:" "-x X-A:" "-X X-A:" "-x Subject:" \
    "-X Received:" "-x Received:" "-x X-A" "-x Nope:" \
    "-x Subject: -x X-A:" "-X Subject: -x X-A:" "-A X:y -x X:" \
    "-c -f0" "-i Subject:x -I subject:y" "-a Return-Path:<z> -f1" \
    "x -A X:y" "-A X:y x" "-" "-z" "-A" "-R X-A:" "-u"; do
	i=$((i + 1))
	# From_ lines matter to -f only; the header cases take two
	case $args in
	*-f*) ms=("$M1" "$M2" "$M3" "$M4" "$M5" "$M6" "$E");;
	*) ms=("$M1" "$M4");;
	esac
	for m in "${ms[@]}"; do
		# shellcheck disable=SC2086
		same "rf-$i$args<$(basename "$m")" reformail none "$m" $args
	done
done
dup() { printf 'Message-ID: <m1@x>\n\nb\n' >m; printf '<m0@x>\0<m1@x>\0\0' >cache; }
same rf-D-new reformail none "$M1" -D 100 cache
same rf-D-seen reformail dup "$M1" -D 100 cache
same rf-D-no-id reformail dup "$M6" -D 100 cache
# a hit in a cache over its limit: Courier writes the trimmed list over
# the file's start and leaves stale bytes; runnel leaves the cache alone
differs rf-D-trim reformail dup "$M2" 0 "" -D 10 cache
same rf-D-trim-some reformail dup "$M2" -D 16 cache
same rf-D-missing-file reformail none "$M1" -D 100

# reformail -s: each message of an mbox to its own command, with FILENO
MB1=$work/m-mbox
printf 'From a@x Sat Dec  5 21:00:00 2026\nReturn-Path: <a@x>\nSubject: one\n  folded\n\nbody1\n>From quoted\n\nFrom b@x Sat Dec  5 21:00:01 2026\r\nSubject: two\r\n\r\nbody2\r\n\nFrom c@x\n\n\nlast' >"$MB1"
MB2=$work/m-mbox-lead; printf '\n\nFrom a\n\nFrom b\n\n' >"$MB2"
MB3=$work/m-mbox-blank-header; printf 'From a\n\n\nSubject: x\n\nbody\n' >"$MB3"
show='echo "[$FILENO]"; od -c'
for m in "$MB1" "$MB2" "$MB3" "$M1" "$M2" "$M4" "$M5" "$E"; do
	same "rf-s<$(basename "$m")" reformail none "$m" -s sh -c "$show"
done
XENV=FILENO=7 same rf-s-fileno-7 reformail none "$MB1" -s sh -c "$show"
XENV=FILENO=0099 same rf-s-fileno-0099 reformail none "$MB1" -s sh -c "$show"
XENV=FILENO= same rf-s-fileno-empty reformail none "$MB1" -s sh -c "$show"
XENV=FILENO=x7 same rf-s-fileno-not-digits reformail none "$MB1" -s sh -c "$show"
# (the command reads the whole message: one that exits first races the
# write, and both programs then report write() failed)
same rf-s-no-shell reformail none "$MB1" -s sh -c 'cat >/dev/null; printf "%s|" "$@"' sh 'a b' '$HOME;'
same rf-s-no-command reformail none "$MB1" -s
# Courier stops at a failing command and exits 0, so a script that then
# removes the mbox loses the rest; runnel exits 1 and says where it stopped
differs rf-s-command-fails reformail none "$MB1" 1 \
    "exit status 3 on message 1" -s sh -c 'cat >/dev/null; [ "$FILENO" != 001 ] || exit 3'
differs rf-s-no-such-command reformail none "$MB1" 1 \
    "reformail: $work/none:" -s "$work/none"
