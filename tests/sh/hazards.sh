#!/bin/bash
# hazards.sh: what an MTA's environment can do to a delivery, and what
# must still hold (mail whole and durable, or exit 75):
#   - stdin, stdout or stderr closed at start.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
RUNNEL=${RUNNEL:-$top/runnel}
BUILD=${BUILD:-$top/build}
SO=$BUILD/tests/preload/fault.so
work=$(mktemp -d "${WORK:-/tmp}/hazards.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
if [ ! -x "$RUNNEL" ]; then
	echo "SKIP hazards: $RUNNEL not built"
	exit 0
fi
cp "$RUNNEL" "$work/runnel" && RUNNEL=$work/runnel

pass() { echo "PASS hazards $1"; }
fail() { echo "FAIL hazards $1: $2"; }

sandbox() {	# name filter-text
	rm -rf "$work/$1"
	mkdir -p "$work/$1/M/tmp" "$work/$1/M/new" "$work/$1/M/cur"
	printf '%b' "$2" >"$work/$1/f"
	chmod 600 "$work/$1/f"
	echo "$work/$1"
}

# runnel in sb with a clean environment; the caller redirects.
runnel() {	# sandbox [VAR=value...]
	local sb=$1
	shift
	cd "$sb" && exec env -i HOME="$sb" LOGNAME=runnel-test \
	    PATH=/usr/bin:/bin TZ=UTC SHELL=/bin/sh \
	    ${RUNNEL_ASAN:+ASAN_OPTIONS=verify_asan_link_order=0} "$@" \
	    "$RUNNEL" ./f
}

msg=$work/msg
printf 'From: a@example.com\nSubject: hi\n\nbody\n' >"$msg"

# stdout closed: the log file must not become fd 1 and take echo's text.
sb=$(sandbox stdout 'logfile "log"\necho "ECHOED"\nto "M"\n')
(runnel "$sb") <"$msg" >&- 2>"$sb/.err"
rc=$?
if [ "$rc" = 0 ] && ! grep -q ECHOED "$sb/log" &&
    [ "$(find "$sb/M/new" -type f | wc -l)" = 1 ]; then
	pass "stdout-closed-echo-not-in-log"
else
	fail stdout-closed-echo-not-in-log "exit $rc, log: $(cat "$sb/log")"
fi

# stderr closed: the mbox must not become fd 2 and take error lines.
sb=$(sandbox stderr 'cc "mb"\nlogfile "log"\nxfilter "exit 3"\n')
(runnel "$sb") <"$msg" >/dev/null 2>&-
rc=$?
if [ "$rc" = 75 ] && ! grep -q 'maildrop:' "$sb/log" "$sb/mb"; then
	pass "stderr-closed-errors-not-in-files"
else
	fail stderr-closed-errors-not-in-files "exit $rc, log: $(cat "$sb/log")"
fi

# stdin closed: no message, not an empty one (which would be "delivered").
sb=$(sandbox stdin 'to "M"\n')
(runnel "$sb") <&- >/dev/null 2>"$sb/.err"
rc=$?
if [ "$rc" = 75 ] && grep -q 'Unable to read message' "$sb/.err"; then
	pass "stdin-closed-75"
else
	fail stdin-closed-75 "exit $rc: $(cat "$sb/.err")"
fi

