# lib/suite.sh NAME: the start the delivery test scripts share.  Sets top,
# BUILD, RUNNEL (a private copy: the tree's binary may be rebuilt while a
# test runs) and work (a scratch directory, removed at exit with any
# background job killed); defines pass, fail and sandbox.  Without a
# built runnel it prints a SKIP line and exits.
set -u
suite=$1
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
RUNNEL=${RUNNEL:-$top/runnel}
BUILD=${BUILD:-$top/build}
work=$(mktemp -d "${WORK:-/tmp}/$suite.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
if [ ! -x "$RUNNEL" ]; then
	echo "SKIP $suite: $RUNNEL not built"
	exit 0
fi
cp "$RUNNEL" "$work/runnel" && RUNNEL=$work/runnel

pass() { echo "PASS $suite $1"; }
fail() { echo "FAIL $suite $1: $2"; }

# sandbox NAME FILTER-TEXT: a fresh directory with a maildir M and the
# filter ./f (mode 0600); prints its path.
sandbox() {
	rm -rf "$work/$1"
	mkdir -p "$work/$1/M/tmp" "$work/$1/M/new" "$work/$1/M/cur"
	printf '%b' "$2" >"$work/$1/f"
	chmod 600 "$work/$1/f"
	echo "$work/$1"
}
