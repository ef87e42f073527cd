# lib/suite.sh SUITE: the one start every tests/sh script shares, sourced
# as `. "$(dirname "$0")/lib/suite.sh" SUITE`.  Sets top, BUILD, RUNNEL (a
# private copy: the tree's binary may be rebuilt while a test runs) and
# work (a scratch directory, removed at exit with any background job
# killed).  Without a built runnel it skips the suite.
#
# One format for tests/run.sh, which counts the lines:
#   PASS SUITE NAME[: note]
#   FAIL SUITE NAME: why        then detail lines indented by two spaces
#   SKIP SUITE[ NAME]: why      a skip always says why
set -u
suite=$1
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
RUNNEL=${RUNNEL:-$top/runnel}
case $RUNNEL in /*) ;; *) RUNNEL=$top/$RUNNEL;; esac
BUILD=${BUILD:-$top/build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD;; esac
work=$(mktemp -d "${WORK:-/tmp}/$suite.XXXXXX")
# (u+w first: a test may leave read-only directories behind)
trap 'kill $(jobs -p) 2>/dev/null; chmod -R u+w "$work" 2>/dev/null;
    rm -rf "$work"' EXIT

# pass NAME [NOTE]
pass() { echo "PASS $suite $1${2:+: $2}"; }
# fail NAME WHY [DETAIL...]: each detail on its own indented line
fail() {
	echo "FAIL $suite $1: $2"
	shift 2
	local l
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/  /'; done
}
# skip NAME WHY: one case cannot run here
skip() { echo "SKIP $suite $1: ${2:?skip needs a reason}"; }
# skip_suite WHY: none of the suite can run here; ends the script
skip_suite() { echo "SKIP $suite: ${1:?skip needs a reason}"; exit 0; }

if [ ! -x "$RUNNEL" ]; then
	skip_suite "$RUNNEL not built"
fi
cp "$RUNNEL" "$work/runnel" && RUNNEL=$work/runnel

# other_users WHAT: for suites that run a set-id copy as throwaway users
# (setuid.sh, spool.sh).  Skips the suite unless it runs as root with
# useradd and setpriv; moves $work to a fresh 0755 directory under /tmp,
# since the users must reach it and the runner's scratch directory is
# private, and skips on a nosuid mount.  At exit, the shell code in
# $at_exit runs first (the suite adds its userdel lines there).
at_exit=
other_users() {
	if [ "$(id -u)" != 0 ]; then
		skip_suite "needs root to install $1 and add users"
	fi
	if ! command -v useradd >/dev/null || ! command -v setpriv >/dev/null; then
		skip_suite "needs useradd and setpriv (passwd, util-linux)"
	fi
	private=$work
	work=$(mktemp -d "/tmp/runnel-$suite.XXXXXX")
	chmod 755 "$work"
	trap 'eval "$at_exit"; kill $(jobs -p) 2>/dev/null;
	    rm -rf "$work" "$private"' EXIT
	if findmnt -no OPTIONS --target "$work" | grep -qw nosuid; then
		skip_suite "$work is on a nosuid mount"
	fi
}

# drop_users NAME...: userdel each, retrying while another suite holds
# the lock on /etc/passwd, so that no throwaway user outlives its suite
drop_users() {
	local n i
	for n in "$@"; do
		for i in 1 2 3 4 5 6 7 8 9 10; do
			userdel "$n" 2>/dev/null
			getent passwd "$n" >/dev/null || break
			sleep 0.5
		done
	done
}

# as USER COMMAND...: run as that user, real and effective ids
as() {
	local who=$1; shift
	setpriv --reuid="$who" --regid="$who" --init-groups -- "$@"
}

# bare_sandbox NAME FILTER-TEXT: a fresh directory holding only the
# filter ./f (FILTER-TEXT through printf %b, mode 0600); prints its path.
bare_sandbox() {
	rm -rf "$work/$1"
	mkdir -p "$work/$1"
	printf '%b' "$2" >"$work/$1/f"
	chmod 600 "$work/$1/f"
	echo "$work/$1"
}

# sandbox NAME FILTER-TEXT: the same with a maildir M.
sandbox() {
	bare_sandbox "$1" "$2" >/dev/null
	mkdir -p "$work/$1/M/tmp" "$work/$1/M/new" "$work/$1/M/cur"
	echo "$work/$1"
}

# runnel_in SANDBOX [VAR=value...]: exec runnel ./f in SANDBOX with a
# clean environment (HOME the sandbox) and the VAR=value settings; run it
# in a subshell, `(runnel_in "$sb") <msg`, and redirect there.
runnel_in() {
	local sb=$1
	shift
	cd "$sb" && exec env -i HOME="$sb" LOGNAME=runnel-test \
	    PATH=/usr/bin:/bin TZ=UTC SHELL=/bin/sh \
	    ${RUNNEL_ASAN:+ASAN_OPTIONS=verify_asan_link_order=0} "$@" \
	    "$RUNNEL" ./f
}

# The helpers of the process tests (pipe.sh, xfilter.sh, spamd.sh): each
# test runs runnel in manual mode in a fresh directory with a clean
# environment, the way tests/run.sh runs golden cases.

# newdir NAME: a fresh sandbox, left in $D
newdir() { D=$work/$1; rm -rf "$D"; mkdir -p "$D"; }

# msg FILE: a small message
msg() {
	printf '%s\n' 'Return-Path: <ann@example.com>' \
	    'From: Ann <ann@example.com>' 'To: bob@example.net' \
	    'Subject: quarterly numbers' '' 'Hello Bob,' \
	    'here are the numbers.' >"$1"
}

# bigmsg FILE KB: a message of about KB kilobytes
bigmsg() {
	msg "$1"
	awk -v n="$2" 'BEGIN { for (i = 0; i < n * 16; i++)
	    printf "line %06d of a long body, padded to sixty-four bytes..\n", i }' >>"$1"
}

# run FILTER-TEXT MESSAGE [VAR=value...]: runnel ./f < MESSAGE in $D;
# sets RC, OUT, ERR, SECS.
run() {
	local text=$1 m=$2 t0 t1
	shift 2
	printf '%s\n' "$text" >"$D/f"
	chmod 600 "$D/f"
	t0=$(date +%s%N)
	# sanitizer settings pass through, so `make asan` runs these too
	(cd "$D" && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$D" \
	    LOGNAME=runnel-test TZ=UTC LANG=C.UTF-8 SHELL=/bin/sh \
	    ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
	    ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} "$@" \
	    "$RUNNEL" ./f <"$m" >"$D/.out" 2>"$D/.err")
	RC=$?
	t1=$(date +%s%N)
	SECS=$(( (t1 - t0) / 1000000000 ))
	OUT=$(cat "$D/.out")
	ERR=$(cat "$D/.err")
}

# expect NAME CONDITION-RESULT WHY: CONDITION-RESULT is 0 for success;
# a failure shows the last run's exit status and output.
expect() {
	if [ "$2" = 0 ]; then pass "$1"; else
		fail "$1" "$3" "exit: $RC" "stdout: $OUT" "stderr: $ERR"; fi
}

# need_commands PACKAGES COMMAND...: skip the suite, naming the Debian
# packages to install, unless every COMMAND is on the PATH
need_commands() {
	local pkgs=$1 c
	shift
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
		    skip_suite "$c is not installed (apt-get install $pkgs)"
	done
}

# Is the evaluator there yet?  Without it no filter runs.
runnel_ready() {
	newdir ready
	msg "$D/m"
	run 'exit' "$D/m"
	[ "$RC" = 0 ]
}
