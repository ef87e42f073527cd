#!/bin/sh
# demo.sh: runnel on the bundled examples.
set -e
runnel=${1:-./runnel}
cd "$(dirname "$0")/.."
for f in examples/*.mailfilter; do
	echo "== $runnel --check $f"
	"$runnel" --check "$f" && echo "ok"
done
