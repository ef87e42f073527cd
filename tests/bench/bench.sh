#!/bin/sh
# bench.sh RUNNEL: per-delivery wall time and peak memory of runnel next to
# maildrop and procmail (when installed) on the same workloads, each run
# delivering into a maildir:
#   trivial     one "to" into a maildir, 2 KB message
#   personal40  a 40-rule personal filter (whitelists, lists, subject and
#               body patterns, a weighted score) that the message passes
#               through to the inbox, 2 KB message
#   big20mb     a 20 MB message scanned by three body patterns
# Prints per delivery: the median wall time (rounds in which every
# program runs once, so load changes hit all alike); the same less the median of
# the baseline (/bin/true started the same way, i.e. the cost of starting
# any process, which on a busy machine dominates a 2 KB delivery); the
# ratio of that net time to maildrop's; the mean CPU time (user + sys);
# and the peak RSS.  Then it checks runnel's targets: <= 0.5x maildrop's
# net wall time on personal40, <= 8 MB peak RSS on big20mb.
# BENCH_RUNS (default 50) and BENCH_BIG_RUNS (default 5) set the counts.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
set -u

RUNNEL=${1:-./runnel}
case $RUNNEL in /*) ;; *) RUNNEL=$PWD/$RUNNEL;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=${BENCH_RUNS:-50}
BIG_RUNS=${BENCH_BIG_RUNS:-5}
B=$(mktemp -d /tmp/runnel-bench.XXXXXX)
trap 'rm -rf "$B"' EXIT

[ -x "$RUNNEL" ] || { echo "bench: $RUNNEL is not built" >&2; exit 1; }
if ! command -v procmail >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
    command -v apt-get >/dev/null 2>&1; then
	echo "bench: installing procmail (for comparison only)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q procmail \
	    >"$B/apt.log" 2>&1 || echo "bench: procmail not installed"
fi
TIME=
if [ -x /usr/bin/time ]; then
	TIME=/usr/bin/time
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q time \
	    >"$B/apt.log" 2>&1 && TIME=/usr/bin/time
fi

# The messages.
cp "$HERE/msg-2k.eml" "$B/msg-2k.eml"
{
	sed '/^$/q' "$HERE/msg-2k.eml"
	awk 'BEGIN { for (i = 0; i < 20 * 1024 * 1024 / 64; i++)
	    printf "%06d the body of a very large message, line after line..\n", i }'
} >"$B/msg-20mb.eml"

# The filters: maildrop syntax (runnel and maildrop) and procmail's.
mkfilters() {	# workload
	case $1 in
	trivial)
		printf 'to "$MAILDIR/"\n' >"$B/$1.mf"
		printf 'DEFAULT=$MAILDIR/\n' >"$B/$1.rc";;
	personal40)
		cp "$HERE/personal40.mailfilter" "$B/$1.mf"
		cp "$HERE/personal40.procmailrc" "$B/$1.rc";;
	big20mb)
		cat >"$B/$1.mf" <<'EOF'
if (/unsubscribe-here-now/:b)
	to "$MAILDIR/.junk/"
if (/wire the money|western union/:b)
	to "$MAILDIR/.junk/"
if (/^-----BEGIN PGP MESSAGE-----/:b)
	to "$MAILDIR/.encrypted/"
to "$MAILDIR/"
EOF
		cat >"$B/$1.rc" <<'EOF'
DEFAULT=$MAILDIR/
:0 B
* unsubscribe-here-now
.junk/
:0 B
* wire the money|western union
.junk/
:0 B
* ^-----BEGIN PGP MESSAGE-----
.encrypted/
EOF
		;;
	esac
	# maildrop wants MAILDIR set in the filter; prepend it.
	{ printf 'MAILDIR="%s/Maildir"\n' "$B"; cat "$B/$1.mf"; } >"$B/$1.f"
	chmod 600 "$B/$1.f" "$B/$1.rc"
}

# The command line for program on workload, run in $B.
cmdline() {	# program workload
	case $1 in
	runnel)		echo "$RUNNEL $B/$2.f";;
	maildrop)	echo "/usr/bin/maildrop $B/$2.f";;
	procmail)	echo "procmail -m MAILDIR=$B/Maildir $B/$2.rc";;
	baseline)	echo "true";;
	esac
}

fresh_maildir() {
	rm -rf "$B/Maildir"
	mkdir -p "$B/Maildir/cur" "$B/Maildir/new" "$B/Maildir/tmp"
}

# Wall times of n rounds, in microseconds, into $B/times.PROGRAM.  Each
# round runs every program once, so a change in the machine's load hits
# them all alike.  A delivery is removed after its run, outside the timing.
time_rounds() {	# workload message n program...
	local w=$1 m=$2 n=$3 p cmd i t0 t1
	shift 3
	for p; do rm -f "$B/times.$p" "$B/bad.$p"; done
	fresh_maildir
	for ((i = 0; i < n; i++)); do
		for p; do
			[ -e "$B/bad.$p" ] && continue
			cmd=$(cmdline "$p" "$w")
			t0=${EPOCHREALTIME/./}
			(cd "$B" && env -i HOME="$B" LOGNAME=bench \
			    PATH=/usr/bin:/bin SHELL=/bin/sh $cmd <"$m" \
			    >/dev/null 2>"$B/err")
			t1=${EPOCHREALTIME/./}
			echo $((t1 - t0)) >>"$B/times.$p"
			if [ "$p" != baseline ] &&
			    [ "$(find "$B/Maildir" -type f | wc -l)" != 1 ]; then
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

# Mean CPU time (user + sys of the children) per run, in microseconds.
cpu_us() {	# program workload message n
	local cmd
	cmd=$(cmdline "$1" "$2")
	fresh_maildir
	(
		cd "$B" || exit 1
		for ((i = 0; i < $4; i++)); do
			env -i HOME="$B" LOGNAME=bench PATH=/usr/bin:/bin \
			    SHELL=/bin/sh $cmd <"$3" >/dev/null 2>&1
		done
		times
	) | awk -v n="$4" 'NR == 2 {
		split($1, u, /[ms]/); split($2, s, /[ms]/)
		printf "%d", ((u[1] * 60 + u[2]) + (s[1] * 60 + s[2])) * 1e6 / n }'
	fresh_maildir
}

peak_kb() {	# program workload message
	[ -n "$TIME" ] || { echo "-"; return; }
	local cmd
	cmd=$(cmdline "$1" "$2")
	fresh_maildir
	(cd "$B" && env -i HOME="$B" LOGNAME=bench PATH=/usr/bin:/bin \
	    SHELL=/bin/sh "$TIME" -f '%M' -o "$B/rss" $cmd <"$3" >/dev/null \
	    2>/dev/null)
	tail -1 "$B/rss"
}

programs=runnel
[ -x /usr/bin/maildrop ] && programs="$programs maildrop"
command -v procmail >/dev/null 2>&1 && programs="$programs procmail"

ms() { awk -v u="$1" 'BEGIN { print u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo "per delivery: wall = median wall time; net = wall less the baseline's"
echo "(starting any process); x md = net time / maildrop's net time; cpu ="
echo "mean user+sys CPU; cpu x md = the same ratio on CPU time less baseline"
printf '%-11s %-9s %5s %9s %8s %7s %7s %7s %8s\n' workload program runs \
    "wall ms" "net ms" "x md" "cpu ms" "cpu x md" "RSS KB"
status=0
for w in trivial personal40 big20mb; do
	mkfilters "$w"
	msg=$B/msg-2k.eml n=$RUNS
	[ "$w" = big20mb ] && msg=$B/msg-20mb.eml n=$BIG_RUNS
	declare -A med=() rss=() cpu=()
	time_rounds "$w" "$msg" "$n" baseline $programs
	for p in baseline $programs; do
		med[$p]=$(median_of "$p") || { status=1; continue; }
		cpu[$p]=$(cpu_us "$p" "$w" "$msg" "$n")
		rss[$p]=-
		[ $p = baseline ] || rss[$p]=$(peak_kb "$p" "$w" "$msg")
	done
	base=${med[baseline]}
	# net: the delivery's own time, process start-up of any program removed
	declare -A net=()
	for p in baseline $programs; do
		[ -n "${med[$p]:-}" ] || continue
		net[$p]=$(( ${med[$p]} - base ))
	done
	md_us=${net[maildrop]:-}
	md_cpu=
	[ -n "${cpu[maildrop]:-}" ] && md_cpu=$(( ${cpu[maildrop]} - ${cpu[baseline]} ))
	for p in baseline $programs; do
		[ -n "${med[$p]:-}" ] || continue
		ratio=- cratio=-
		if [ -n "$md_us" ] && [ $p != baseline ]; then
			ratio=$(ratio "${net[$p]}" "$md_us")
			cratio=$(ratio $(( ${cpu[$p]} - ${cpu[baseline]} )) "$md_cpu")
		fi
		printf '%-11s %-9s %5d %9.2f %8.2f %7s %7.2f %7s %8s\n' "$w" "$p" \
		    "$n" "$(ms "${med[$p]}")" "$(ms "${net[$p]}")" "$ratio" \
		    "$(ms "${cpu[$p]}")" "$cratio" "${rss[$p]}"
	done
	case $w in
	personal40)
		if [ -n "$md_us" ] && [ -n "${net[runnel]:-}" ]; then
			if awk -v a="${net[runnel]}" -v b="$md_us" \
			    'BEGIN { exit !(a <= 0.5 * b) }'; then
				echo "  target met: runnel <= 0.5x maildrop (net wall time) on personal40"
			else
				echo "  target missed: runnel > 0.5x maildrop (net wall time) on personal40"
			fi
		fi;;
	big20mb)
		r=${rss[runnel]:-}
		if [ -n "$r" ] && [ "$r" != - ]; then
			if [ "$r" -le 8192 ]; then
				echo "  target met: runnel peak RSS <= 8 MB on a 20 MB message"
			else
				echo "  target missed: runnel peak RSS $r KB > 8 MB on a 20 MB message"
			fi
		fi;;
	esac
	unset med rss cpu net
done

if [ -f "$HERE/parse-bench.sh" ]; then
	echo
	sh "$HERE/parse-bench.sh" "$RUNNEL" || status=1
fi
exit $status
