# message-memory.sh: a message is never held whole in memory
# (DIFFERENCES.md part C, DELIVERY.md §3).  A 100 MB message read from a
# pipe (so it cannot be used in place) goes to the temp file, and a body
# pattern scans it line by line: peak RSS must stay near the 1 MB case,
# far below the message size.  Also a single 20 MB line without a
# newline, which the line reader must cut rather than buffer.
. "$(dirname "$0")/lib/suite.sh" message-memory
W=$work/mm	# runnel's TMPDIR: it must be empty afterwards
BOUND_KB=${BOUND_KB:-16384}		# 16 MB for a 100 MB message
# AddressSanitizer's shadow memory and quarantine add tens of MB; the
# bound then still proves the message is not held (64 MB < 100 MB).
[ -n "${RUNNEL_ASAN:-}" ] && BOUND_KB=65536
mkdir -p "$W"

if [ ! -x /usr/bin/time ]; then
	skip_suite "/usr/bin/time missing (apt-get install time)"
fi

printf 'if (/needle in the haystack/:b)\n{\n\techo "found"\n}\necho "SIZE=$SIZE"\nexit\n' >"$W/f"
chmod 600 "$W/f"
printf 'exit\n' >"$W/probe"
chmod 600 "$W/probe"
if ! printf 'Subject: x\n\nb\n' | (cd "$W" && env -i HOME="$W" PATH=/usr/bin:/bin \
    "$RUNNEL" ./probe) >/dev/null 2>&1; then
	skip_suite "runnel cannot run a filter yet"
fi

# make MB: a MIME-less message of about MB megabytes, the needle last
make_msg() {
	awk -v mb="$1" 'BEGIN {
		print "Subject: memory test"; print ""
		line = "filler text for the memory test, seventy bytes or so, repeated"
		n = int(mb * 1048576 / (length(line) + 1))
		for (i = 0; i < n; i++) print line
		print "the needle in the haystack"
	}'
}

# peak MB: run runnel on a piped message, print "KB output"
peak() {
	make_msg "$1" | (cd "$W" && env -i HOME="$W" PATH=/usr/bin:/bin \
	    TMPDIR="$W" /usr/bin/time -f '%M' -o "$W/rss" "$RUNNEL" ./f) \
	    >"$W/out" 2>"$W/err"
	echo "$? $(cat "$W/rss") $(tr '\n' ' ' <"$W/out")"
}

set -- $(peak 1)
rc1=$1 kb1=$2 out1="$3 ${4:-}"
set -- $(peak 100)
rc100=$1 kb100=$2 out100="$3 ${4:-}"
echo "  peak RSS: 1 MB message ${kb1} KB, 100 MB message ${kb100} KB"

case "$rc1 $out1" in
"0 found SIZE="*) pass "1 MB message scanned";;
*) fail "1 MB message scanned" "exit $rc1, output '$out1'";;
esac
case "$rc100 $out100" in
"0 found SIZE="*) pass "100 MB message scanned to its last line";;
*) fail "100 MB message scanned to its last line" \
    "exit $rc100, output '$out100'";;
esac
if [ "$kb100" -lt "$BOUND_KB" ]; then
	pass "100 MB message peak RSS" "${kb100} KB < ${BOUND_KB} KB"
else
	fail "100 MB message peak RSS" "${kb100} KB >= ${BOUND_KB} KB"
fi
if [ -z "$(ls -A "$W" | grep -v -e '^f$' -e '^probe$' -e '^rss$' -e '^out$' -e '^err$')" ]; then
	pass "no temp file left behind"
else
	fail "no temp file left behind" "files left in TMPDIR: $(ls -A "$W")"
fi

# One 20 MB line, no newline at all: cut into pieces, still bounded.
awk 'BEGIN { print "Subject: one line"; print "";
	s = "abcdefghij"; for (i = 0; i < 21; i++) s = s s;
	printf "%s needle in the haystack", s }' >"$W/long"
(cd "$W" && env -i HOME="$W" PATH=/usr/bin:/bin TMPDIR="$W" \
    /usr/bin/time -f '%M' -o "$W/rss" "$RUNNEL" ./f <"$W/long") >"$W/out" 2>&1
kb=$(cat "$W/rss")
echo "  peak RSS: one 20 MB line ${kb} KB"
if grep -q '^found$' "$W/out" && [ "$kb" -lt "$BOUND_KB" ]; then
	pass "20 MB line found and bounded" "${kb} KB"
else
	fail "20 MB line found and bounded" \
	    "$(tr '\n' ' ' <"$W/out") ${kb} KB"
fi
