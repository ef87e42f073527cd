# proc/lib.sh: helpers for the process tests (pipe.sh, xfilter.sh,
# spamd.sh).  Each test runs runnel in manual mode in a fresh directory
# with a clean environment, the way tests/run.sh runs golden cases.

RUNNEL=${RUNNEL:-$PWD/runnel}
case $RUNNEL in /*) ;; *) RUNNEL=$PWD/$RUNNEL;; esac
WORK=${WORK:-$(mktemp -d)}
T=$WORK/proc.$$
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; shift 2; for l in "$@"; do echo "  $l"; done; }

# newdir NAME: a fresh sandbox, left in $D
newdir() { D=$T/$1; rm -rf "$D"; mkdir -p "$D"; }

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

# expect NAME CONDITION-RESULT WHY: CONDITION-RESULT is 0 for success
expect() {
	if [ "$2" = 0 ]; then pass "$1"; else
		fail "$1" "$3" "exit: $RC" "stdout: $OUT" "stderr: $ERR"; fi
}

# Is the evaluator there yet?  Without it no filter runs.
runnel_ready() {
	newdir ready
	msg "$D/m"
	run 'exit' "$D/m"
	[ "$RC" = 0 ]
}
