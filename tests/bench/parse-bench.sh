#!/bin/sh
# parse-bench.sh: how long runnel takes to parse a 10,000-line filter.
# A benchmark, not a test: it prints the time; the goal is well under
# 50 ms per parse (the parser runs once per delivered message).
#   sh tests/bench/parse-bench.sh [./runnel] [lines]
RUNNEL=${1:-./runnel}
LINES=${2:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
f=$tmp/big.mailfilter

# Realistic recipes, 10 lines each, repeated with different names.
awk -v n="$LINES" 'BEGIN {
	for (i = 0; i * 10 < n; i++) {
		printf "# list %d\n", i
		printf "if (/^List-Id:.*<list%d\\.example\\.org>/:h && $SIZE < 100000)\n", i
		printf "{\n"
		printf "\tFOLDER=\"$HOME/Maildir/.list%d/\"\n", i
		printf "\tSCORE=(/money/:b,1) + length $FOLDER * 2 - 1\n"
		printf "\tcc \"!archive-%d@example.org\"\n", i
		printf "\tto $FOLDER\n"
		printf "}\n"
		printf "elsif (\"$FROM\" =~ /^user%d@/)\n", i
		printf "\tTAG=tolower(substr($MATCH, 0, 8))\n"
	}
	print "exit"
}' > "$f"

"$RUNNEL" --check "$f" || { echo "parse-bench: the generated filter did not parse" >&2; exit 1; }

runs=20
start=$(date +%s%N)
i=0
cpu=0
while [ $i -lt $runs ]; do
	if [ -x /usr/bin/time ]; then
		t=$(/usr/bin/time -f '%U %S' "$RUNNEL" --check "$f" 2>&1 >/dev/null) ||
		    exit 1
		cpu=$(echo "$t" | awk -v c="$cpu" '{ print c + ($1 + $2) * 1000 }')
	else
		"$RUNNEL" --check "$f" || exit 1
	fi
	i=$((i + 1))
done
end=$(date +%s%N)
lines=$(wc -l < "$f")
bytes=$(wc -c < "$f")
echo "parse-bench: $lines lines, $bytes bytes, mean of $runs runs of --check" \
    "(process start included):"
echo "  wall $(( (end - start) / runs / 1000000 )) ms"
[ -x /usr/bin/time ] &&
    echo "  cpu  $(echo "$cpu $runs" | awk '{ printf "%.1f", $1 / $2 }') ms (user + sys; 10 ms resolution)"
exit 0
