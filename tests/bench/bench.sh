#!/bin/sh
# bench.sh RUNNEL [FLOOR]: per delivery, runnel next to maildrop 2.9.3,
# procmail and the floor (tests/helpers/floor.c: read, write, fsync,
# rename, fsync the directory; no filter), each delivering into a
# maildir, on the workloads of workloads.sh.  For each program and
# workload it prints the instructions of one delivery (callgrind Ir, user
# space: the same from run to run whatever the machine's load) and their
# ratios to maildrop's, procmail's and the floor's; the median wall time
# (rounds in which every program runs once, so that load changes hit all
# alike) and its ratio to the floor's; and the peak RSS.  Then it checks
# runnel's targets (README.md, "Speed and memory").
# BENCH_RUNS (default 30) and BENCH_BIG_RUNS (default 5) set the rounds,
# BENCH_LARGE_MIB (default 20) the large body, BENCH_IR=0 skips the
# instruction counts (callgrind takes minutes on the large workload).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
set -u

RUNNEL=${1:-./runnel}
case $RUNNEL in /*) ;; *) RUNNEL=$PWD/$RUNNEL;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
FLOOR=${2:-$HERE/../../build/tests/helpers/floor}
# each program runs in the workload's folder: both paths made absolute
case $FLOOR in /*) ;; *) FLOOR=$PWD/$FLOOR;; esac
RUNS=${BENCH_RUNS:-30}
BIG_RUNS=${BENCH_BIG_RUNS:-5}
LARGE_MIB=${BENCH_LARGE_MIB:-20}
B=$(mktemp -d /tmp/runnel-bench.XXXXXX)
trap 'rm -rf "$B"' EXIT
. "$HERE/workloads.sh"

[ -x "$RUNNEL" ] || { echo "bench: $RUNNEL is not built" >&2; exit 1; }
[ -x "$FLOOR" ] || { echo "bench: $FLOOR is not built" >&2; exit 1; }
if ! command -v procmail >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
    command -v apt-get >/dev/null 2>&1; then
	echo "bench: installing procmail (for comparison only)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q procmail \
	    >"$B/apt.log" 2>&1 || echo "bench: procmail not installed"
fi
TIME=
[ -x /usr/bin/time ] && TIME=/usr/bin/time
IR=${BENCH_IR:-1}
if [ "$IR" = 1 ] && ! command -v valgrind >/dev/null 2>&1; then
	echo "bench: no valgrind, so no instruction counts" \
	    "(apt-get install valgrind)"
	IR=0
fi

# The command line for program on workload, run in $B.
cmdline() {	# program workload
	case $1 in
	runnel)		echo "$RUNNEL $B/$2.f";;
	maildrop)	echo "/usr/bin/maildrop $B/$2.f";;
	procmail)	echo "procmail -m MAILDIR=$B/Maildir $B/$2.rc";;
	floor)		echo "$FLOOR $B/Maildir";;
	esac
}

fresh_maildir() {
	rm -rf "$B/Maildir"
	mkdir -p "$B/Maildir/cur" "$B/Maildir/new" "$B/Maildir/tmp"
}

delivered_one() { [ "$(find "$B/Maildir" -type f | wc -l)" = 1 ]; }

# Wall times of n rounds, in microseconds, into $B/times.PROGRAM.  Each
# round runs every program once, so a change in the machine's load hits
# them all alike.  A delivery is removed after its run, outside the timing.
time_rounds() {	# workload n program...
	local w=$1 n=$2 p cmd i t0 t1
	shift 2
	for p; do rm -f "$B/times.$p" "$B/bad.$p"; done
	fresh_maildir
	for ((i = 0; i < n; i++)); do
		for p; do
			[ -e "$B/bad.$p" ] && continue
			cmd=$(cmdline "$p" "$w")
			t0=${EPOCHREALTIME/./}
			(cd "$B" && env -i HOME="$B" LOGNAME=bench \
			    PATH=/usr/bin:/bin SHELL=/bin/sh $cmd <"$B/$w.eml" \
			    >/dev/null 2>"$B/err")
			t1=${EPOCHREALTIME/./}
			echo $((t1 - t0)) >>"$B/times.$p"
			if ! delivered_one; then
				echo "bench: $p on $w did not deliver one" \
				    "message: $(head -3 "$B/err")" >&2
				touch "$B/bad.$p"
			fi
			fresh_maildir
		done
	done
}

median_of() {	# program
	[ -e "$B/bad.$1" ] && return 1
	sort -n "$B/times.$1" | awk '{ v[NR] = $1 }
	    END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

peak_kb() {	# program workload
	[ -n "$TIME" ] || { echo "-"; return; }
	fresh_maildir
	(cd "$B" && env -i HOME="$B" LOGNAME=bench PATH=/usr/bin:/bin \
	    SHELL=/bin/sh "$TIME" -f '%M' -o "$B/rss" $(cmdline "$1" "$2") \
	    <"$B/$2.eml" >/dev/null 2>/dev/null)
	tail -1 "$B/rss"
}

instructions() {	# program workload
	[ "$IR" = 1 ] || { echo "-"; return; }
	fresh_maildir
	callgrind_ir "$B" "$B/$2.eml" $(cmdline "$1" "$2") && delivered_one ||
	    echo "-"
}

programs=runnel
[ -x /usr/bin/maildrop ] && programs="$programs maildrop"
command -v procmail >/dev/null 2>&1 && programs="$programs procmail"
programs="$programs floor"

ratio() { awk -v a="$1" -v b="${2:--}" 'BEGIN {
	if (a == "-" || b == "-" || b <= 0) print "-"; else printf "%.3g", a / b }'; }
mega() { awk -v a="$1" 'BEGIN { if (a == "-") print "-"; else printf "%.3f", a / 1e6 }'; }

# target TEXT AWK-CONDITION: one line, met or missed
target() {
	if awk "BEGIN { exit !($2) }" 2>/dev/null; then
		echo "  met:    $1"
	else
		echo "  MISSED: $1"
		missed=$((missed + 1))
	fi
}

echo "per delivery: Ir = instructions (callgrind, user space, millions);"
echo "x md, x pm, x fl = Ir / maildrop's, procmail's, the floor's;"
echo "wall = median wall time (ms) of $RUNS rounds ($BIG_RUNS on large and mime),"
echo "x fl wall = wall / the floor's; RSS = peak resident set (KB)"
printf '%-9s %-9s %10s %7s %7s %7s %9s %9s %8s\n' workload program "Ir M" \
    "x md" "x pm" "x fl" "wall ms" "x fl wall" "RSS KB"
declare -A IRS WALL RSS
for w in $WORKLOADS; do
	mkworkload "$w" "$B" "$LARGE_MIB"
	n=$RUNS
	case $w in large|mime) n=$BIG_RUNS;; esac
	time_rounds "$w" "$n" $programs
	for p in $programs; do
		WALL[$w.$p]=$(median_of "$p") || WALL[$w.$p]=-
		RSS[$w.$p]=$(peak_kb "$p" "$w")
		IRS[$w.$p]=$(instructions "$p" "$w")
	done
	for p in $programs; do
		ir=${IRS[$w.$p]} wall=${WALL[$w.$p]}
		[ "$wall" = - ] || wall=$(awk -v u="$wall" 'BEGIN { printf "%.2f", u / 1000 }')
		printf '%-9s %-9s %10s %7s %7s %7s %9s %9s %8s\n' "$w" "$p" \
		    "$(mega "$ir")" "$(ratio "$ir" "${IRS[$w.maildrop]:-}")" \
		    "$(ratio "$ir" "${IRS[$w.procmail]:-}")" \
		    "$(ratio "$ir" "${IRS[$w.floor]}")" "$wall" \
		    "$(ratio "${WALL[$w.$p]}" "${WALL[$w.floor]}")" "${RSS[$w.$p]}"
	done
done

# The targets of issue 15, on the figures above.
ir() { echo "${IRS[$1.${2:-runnel}]:--}"; }
wall() { echo "${WALL[$1.${2:-runnel}]:--}"; }
missed=0
echo
echo "targets (runnel):"
if [ "$IR" = 1 ]; then
	target "personal <= 1.2 M instructions ($(mega "$(ir personal)") M)" \
	    "$(ir personal) <= 1200000"
	target "personal <= 0.05x maildrop, <= 0.2x procmail" \
	    "$(ir personal) <= 0.05 * $(ir personal maildrop) && $(ir personal) <= 0.2 * $(ir personal procmail)"
	target "trivial <= 0.3 M instructions ($(mega "$(ir trivial)") M)" \
	    "$(ir trivial) <= 300000"
	lb=$(stat -c %s "$B/large.eml")
	target "large <= 2 instructions per body byte per pattern ($(awk -v a="$(ir large)" -v b="$lb" 'BEGIN { printf "%.2f", a / b / 5 }'))" \
	    "$(ir large) <= 2 * 5 * $lb"
	target "mime <= 30 M instructions and below procmail ($(mega "$(ir mime)") M)" \
	    "$(ir mime) <= 30000000 && $(ir mime) < $(ir mime procmail)"
	target "headers no worse than procmail" \
	    "$(ir headers) <= $(ir headers procmail)"
	target "parts50 no worse than procmail" \
	    "$(ir parts50) <= $(ir parts50 procmail)"
fi
target "personal wall <= 1.15x the floor" \
    "$(wall personal) <= 1.15 * $(wall personal floor)"
target "mime wall <= 1.5x the floor" "$(wall mime) <= 1.5 * $(wall mime floor)"
target "large wall <= 3x the floor" "$(wall large) <= 3 * $(wall large floor)"
target "large peak RSS <= 3 MB (${RSS[large.runnel]} KB)" \
    "${RSS[large.runnel]} <= 3072"
echo "  $missed missed"

if [ -f "$HERE/parse-bench.sh" ]; then
	echo
	sh "$HERE/parse-bench.sh" "$RUNNEL"
fi
exit 0
