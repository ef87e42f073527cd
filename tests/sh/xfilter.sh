# xfilter.sh: the message is replaced by the command's output and
# re-indexed; a failing, timing-out or empty-output filter means exit 75
# with nothing delivered (LANGUAGE.md §4.3 and the "never lose mail" rule).
. "$(dirname "$0")/lib/suite.sh" xfilter

if ! runnel_ready; then
	skip_suite "runnel cannot run a filter yet: $ERR"
fi

newdir reindex; msg "$D/m"
run 'xfilter "sed -e s/^Subject:.*/Subject:\\ replaced/ -e 1iX-Added:\\ 1"
echo "SIZE=$SIZE LINES=$LINES RETURNCODE=$RETURNCODE"
if (/^Subject: replaced/)
{
	echo "new subject seen"
}
if (/^Subject: quarterly/)
{
	echo "old subject still seen"
}
if (/^X-Added: 1/)
{
	echo "new header seen"
}
to "|cat > out"' "$D/m"
sed -e 's/^Subject:.*/Subject: replaced/' -e '1iX-Added: 1' "$D/m" >"$D/want"
want="SIZE=$(wc -c <"$D/want") LINES=$(wc -l <"$D/want") RETURNCODE=0
new subject seen
new header seen"
expect replaces-and-reindexes "$([ "$RC" = 0 ] && [ "$OUT" = "$want" ] &&
    cmp -s "$D/want" "$D/out"; echo $?)" "want: $want"

newdir fails; msg "$D/m"
run 'xfilter "cat >/dev/null; exit 3"
to "|cat > out"' "$D/m"
expect failing-is-75-nothing-delivered "$([ "$RC" = 75 ] &&
    [ ! -e "$D/out" ] &&
    grep -q '^maildrop: Unable to filter message\.$' "$D/.err" &&
    grep -q 'exited with status 3' "$D/.err"; echo $?)" "want 75"

newdir empty; msg "$D/m"
run 'xfilter "cat >/dev/null"
to "|cat > out"' "$D/m"
expect empty-output-is-75 "$([ "$RC" = 75 ] && [ ! -e "$D/out" ] &&
    grep -q 'wrote nothing' "$D/.err"; echo $?)" "want 75"

newdir trapped; msg "$D/m"
run 'exception {
	xfilter "echo X-Broken: 1; exit 1"
}
to "|cat > out"' "$D/m"
expect failure-in-exception-keeps-message "$([ "$RC" = 0 ] &&
    cmp -s "$D/m" "$D/out" && [ ! -s "$D/.err" ]; echo $?)" \
    "want the old message delivered, quietly"

# The filter starts a helper in the background and hangs: at the deadline
# the whole process group goes, and the error names the command.
newdir timeout; msg "$D/m"
run "xfilter 'sleep 60 & echo \$! > helper.pid; cat; wait'
to \"|cat > out\"" "$D/m" RUNNEL_CHILD_TIMEOUT=1
sleep 0.3
hp=$(cat "$D/helper.pid" 2>/dev/null)
alive=no
[ "$hp" -gt 0 ] 2>/dev/null || alive="unknown (helper.pid: '$hp')"
if [ "$hp" -gt 0 ] 2>/dev/null && kill -0 "$hp" 2>/dev/null &&
    ! grep -q '^State:.*Z' "/proc/$hp/status" 2>/dev/null; then
	alive=yes
fi
expect timeout-kills-group-and-names-command "$([ "$RC" = 75 ] &&
    [ ! -e "$D/out" ] && [ "$SECS" -lt 10 ] && [ "$alive" = no ] &&
    grep -q 'sleep 60' "$D/.err" && grep -q 'timed out' "$D/.err"
    echo $?)" "helper alive: $alive, $SECS s"

newdir big; bigmsg "$D/m" 8192
run 'xfilter "cat"
to "|cat > out"' "$D/m"
expect 8mb-in-and-out "$([ "$RC" = 0 ] && cmp -s "$D/m" "$D/out"
    echo $?)" "copy differs"

# The filter stops reading early but answers: its output counts.
newdir early; bigmsg "$D/m" 512
run 'xfilter "head -5"
echo "LINES=$LINES"
to "|cat > out"' "$D/m"
expect early-stop-output-counts "$([ "$RC" = 0 ] && [ "$OUT" = LINES=5 ] &&
    head -5 "$D/m" | cmp -s - "$D/out"; echo $?)" "want the 5 lines"

newdir noshell; msg "$D/m"
run 'SHELL="/nonexistent/sh"
xfilter "cat"
to "|cat > out"' "$D/m"
expect missing-shell-is-75 "$([ "$RC" = 75 ] && [ ! -e "$D/out" ]
    echo $?)" "want 75"

newdir verbose; msg "$D/m"
run 'VERBOSE=1
xfilter "cat"
exit' "$D/m"
expect verbose-line "$(grep -q '^maildrop: Filtering through xfilter cat$' \
    "$D/.err"; echo $?)" "trace line missing"
