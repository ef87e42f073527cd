#!/bin/bash
# lmtp-bench.sh RUNNEL [BUILD]: deliveries per second of the personal
# workload (workloads.sh: 43 pattern tests, a 2.8 KB list message, into
# a maildir) over 1 and 4 concurrent streams, three ways in one run:
#   lmtp      runnel --listen on a unix socket, tests/helpers/lmtp_send
#             holding 1 or 4 connections (a child per recipient)
#   runnel -d runnel started once per message, as mailbox_command does
#   maildrop  maildrop 2.9.3 started once per message (its filter file in
#             manual mode: its -d needs a user in the password file)
# The user is made up by the fakepw preload library, as in the tests.
# BENCH_LMTP_N (default 200) messages per way and width.
set -u
RUNNEL=${1:-./runnel}
case $RUNNEL in /*) ;; *) RUNNEL=$PWD/$RUNNEL;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${2:-$HERE/../../build}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD;; esac
PRE=$BUILD/tests/preload/fakepw.so
SEND=$BUILD/tests/helpers/lmtp_send
N=${BENCH_LMTP_N:-200}
for f in "$RUNNEL" "$PRE" "$SEND"; do
	[ -e "$f" ] || { echo "bench-lmtp: $f is not built" >&2; exit 1; }
done
B=$(mktemp -d /tmp/runnel-bench-lmtp.XXXXXX)
spid=
trap '[ -n "$spid" ] && kill $spid 2>/dev/null; wait; rm -rf "$B"' EXIT
. "$HERE/workloads.sh"

H=$B/home
mkdir -p "$H" "$B/etc"
chmod 755 "$H"
mkworkload personal "$B"
{ printf 'MAILDIR=%s/Maildir\n' "$H"; cat "$B/personal.mf"; } >"$H/.mailfilter"
chmod 600 "$H/.mailfilter"
cp "$H/.mailfilter" "$B/f"
chmod 600 "$B/f"
M=$B/personal.eml

fresh() {
	rm -rf "$H/Maildir"
	mkdir -p "$H/Maildir/cur" "$H/Maildir/new" "$H/Maildir/tmp"
}
delivered() { find "$H/Maildir" -path '*/new/*' -type f | wc -l; }
now() { date +%s%N; }

# per_process WAY WIDTH: N deliveries, WIDTH loops at once; seconds
per_process() {
	local way=$1 width=$2 per=$((N / $2)) t0 t1 j
	fresh
	t0=$(now)
	for ((j = 0; j < width; j++)); do
		(for ((i = 0; i < per; i++)); do
			case $way in
			runnel) env LD_PRELOAD="$PRE" FAKEPW_NAME=bench \
			    FAKEPW_HOME="$H" RUNNEL_SYSCONFDIR="$B/etc" \
			    "$RUNNEL" -d bench <"$M" >/dev/null 2>&1;;
			maildrop) (cd "$B" && /usr/bin/maildrop ./f \
			    <"$M" >/dev/null 2>&1);;
			esac
		done) &
	done
	wait
	t1=$(now)
	echo $(( (t1 - t0) / 1000000 ))
}

# lmtp WIDTH: N deliveries over WIDTH connections; milliseconds
lmtp() {
	local width=$1 t0 t1
	fresh
	t0=$(now)
	"$SEND" -q -n $((N / width)) -c "$width" -r bench@example.com \
	    -m "$M" "unix:$B/sock" >/dev/null 2>&1
	t1=$(now)
	echo $(( (t1 - t0) / 1000000 ))
}

env -i PATH=/usr/bin:/bin LANG=C.UTF-8 LD_PRELOAD="$PRE" \
    FAKEPW_NAME=bench FAKEPW_HOME="$H" RUNNEL_SYSCONFDIR="$B/etc" \
    "$RUNNEL" --listen "unix:$B/sock" --max-connections 8 2>"$B/srv.log" &
spid=$!
for i in $(seq 50); do [ -S "$B/sock" ] && break; sleep 0.1; done

printf 'personal workload, %d deliveries per row, deliveries per second:\n' "$N"
printf '%-10s %10s %10s\n' way 1-stream 4-streams
for way in lmtp runnel maildrop; do
	line=$(printf '%-10s' "$way")
	for w in 1 4; do
		if [ "$way" = lmtp ]; then ms=$(lmtp $w); else ms=$(per_process $way $w); fi
		got=$(delivered)
		if [ "$got" != "$N" ]; then
			echo "bench-lmtp: $way at $w delivered $got of $N" >&2
			exit 1
		fi
		rate=$(awk -v n="$N" -v ms="$ms" 'BEGIN { printf "%.1f", n * 1000 / ms }')
		eval "r_${way}_$w=$rate"
		line="$line $(printf '%10s' "$rate")"
	done
	echo "$line"
done
awk -v l="$r_lmtp_4" -v r="$r_runnel_4" 'BEGIN {
	printf "lmtp at 4 streams: %.2fx runnel started per message\n", l / r }'
