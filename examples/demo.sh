#!/bin/sh
# demo.sh: runnel's main job on the bundled examples.  Each example filter
# is checked, then each sample message is run through it twice: a dry run
# that explains what the filter decides, and a real delivery into a
# scratch maildir (set through MAILDIR, which manual mode imports).
set -e
runnel=$(cd "$(dirname "${1:-./runnel}")" && pwd)/$(basename "${1:-./runnel}")
cd "$(dirname "$0")/.."
sandbox=$(mktemp -d "${TMPDIR:-/tmp}/runnel-demo.XXXXXX")
trap 'rm -rf "$sandbox"' EXIT
MAILDIR=$sandbox/Maildir
export MAILDIR
for d in "" .lists.debian-user .Junk .Receipts .spam .virus; do
	mkdir -p "$MAILDIR/$d/cur" "$MAILDIR/$d/new" "$MAILDIR/$d/tmp"
done

echo "### runnel --check: every example filter"
for f in examples/*.mailfilter; do
	if "$runnel" --check "$f"; then echo "$f: ok"; fi
done

echo
echo "### runnel test: each example filter against its test file"
for f in examples/*.mailfilter; do
	"$runnel" test --home "$sandbox" "$f" "${f%.mailfilter}.tests" |
	    sed "s#$sandbox#\$SANDBOX#g"
done

for f in examples/lists.mailfilter examples/personal.mailfilter; do
	cp "$f" "$sandbox/filter"
	chmod 600 "$sandbox/filter"
	for m in examples/messages/*.eml; do
		echo
		echo "### $(basename "$f") < $(basename "$m"): dry run"
		"$runnel" --dry-run "$sandbox/filter" < "$m" |
		    sed "s#$sandbox#\$SANDBOX#g"
		"$runnel" "$sandbox/filter" < "$m"
	done
done

echo
echo "### where the messages landed (real deliveries)"
(cd "$sandbox" && find Maildir -type f | sed -E 's#/(new|cur)/[^:]*#/\1/MSG#' |
    sort | uniq -c)
if [ -f "$sandbox/.mailfilter.log" ]; then
	echo
	echo "### the delivery log written by personal.mailfilter"
	sed "s#$sandbox#\$SANDBOX#g" "$sandbox/.mailfilter.log"
fi
