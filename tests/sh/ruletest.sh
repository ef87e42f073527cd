#!/bin/bash
# ruletest.sh: `runnel test FILTER TESTFILE...`.  The bundled examples'
# test files pass; a wrong destination, a missing log text and a header
# that does not match each fail with the trace; commands run only when
# the test file asks; each mistake in a test file is named at FILE:LINE.
. "$(dirname "$0")/lib/suite.sh" ruletest

home=$work/home
for d in "" .lists.debian-user .Junk .Receipts .spam .virus; do
	mkdir -p "$home/Maildir/$d/cur" "$home/Maildir/$d/new" \
	    "$home/Maildir/$d/tmp"
done

# rt ARGS...: runnel test in a clean environment; sets RC and OUT
# (stdout and stderr), the sandbox path read as $HOME.
rt() {
	OUT=$(env -i PATH=/usr/local/bin:/usr/bin:/bin TZ=UTC LANG=C.UTF-8 \
	    SHELL=/bin/sh "$RUNNEL" test "$@" 2>&1)
	RC=$?
	OUT=${OUT//$home/\$HOME}
	OUT=${OUT//$work/\$WORK}
	OUT=${OUT//$top/\$TOP}
}

# same NAME EXPECTED-RC EXPECTED-OUTPUT
same() {
	if [ "$RC" = "$2" ] && [ "$OUT" = "$3" ]; then pass "$1"; else
		fail "$1" "exit $RC (expected $2)" "$(diff <(echo "$3") \
		    <(echo "$OUT"))"; fi
}

# Every example filter has a test file, and it passes.
cd "$top"
for f in examples/*.mailfilter; do
	t=${f%.mailfilter}.tests
	n=$(basename "${f%.mailfilter}")
	if [ ! -f "$t" ]; then
		fail "example-$n" "$f has no test file $t"
		continue
	fi
	rt --home "$home" "$f" "$t"
	if [ "$RC" = 0 ] && ! grep -q '^FAIL' <<<"$OUT" &&
	    grep -qE '^[1-9][0-9]* passed, 0 failed$' <<<"$OUT"; then
		pass "example-$n"
	else
		fail "example-$n" "exit $RC" "$OUT"
	fi
done

# A case of one file in a filter of one's own.
t=$work/t
mkdir -p "$t"
cp examples/messages/boss.eml examples/messages/junk.eml \
    examples/messages/list-debian.eml "$t/"
cat >"$t/f" <<'EOF'
logfile "log"
if (/^From:.*boss@/)
{
	log "boss mail"
	to "Maildir/.work/"
}
if (/^List-Id:/)
{
	xfilter "reformail -I 'X-Listed: yes'"
	to "$HOME/Maildir/.lists.debian-user/"
}
if (/^Subject:.*WINNER/)
{
	exit
}
to "Maildir/"
EOF
chmod 600 "$t/f"
mkdir -p "$home/Maildir/.work/cur" "$home/Maildir/.work/new" \
    "$home/Maildir/.work/tmp"

cat >"$t/pass.tests" <<'EOF'
# every kind of outcome
boss.eml -> Maildir/.work/ ; log contains "boss"
"list-debian.eml" -> Maildir/.lists.debian-user ; header List-Id: /debian-user/
junk.eml -> discard
junk.eml -> exit 0
EOF
rt --home "$home" "$t/f" "$t/pass.tests"
same pass-cases 0 "ok   boss.eml -> Maildir/.work/
ok   list-debian.eml -> Maildir/.lists.debian-user
ok   junk.eml -> discard
ok   junk.eml -> exit 0
4 passed, 0 failed"

cat >"$t/fail.tests" <<'EOF'
boss.eml -> Maildir/
boss.eml -> Maildir/.work/ ; log contains "from the boss"
list-debian.eml -> Maildir/.lists.debian-user/ ; header X-Listed: /yes/
junk.eml -> defer
EOF
cd "$t"; rt --home "$home" f fail.tests; cd "$top"
same fail-cases 1 "FAIL boss.eml: expected Maildir/, got Maildir/.work/
     f:1:1: would log to log
     f:2:1: if (/^From:.*boss@/) -> true
         matched header: From: The Boss <boss@example.com>
     f:4:2: would log: boss mail
     f:5:2: to: would deliver to Maildir/.work/ (maildir); this ends the run
     result: delivered to Maildir/.work/; exit 0
FAIL boss.eml: no log text contains \"from the boss\"
     f:1:1: would log to log
     f:2:1: if (/^From:.*boss@/) -> true
         matched header: From: The Boss <boss@example.com>
     f:4:2: would log: boss mail
     f:5:2: to: would deliver to Maildir/.work/ (maildir); this ends the run
     result: delivered to Maildir/.work/; exit 0
FAIL list-debian.eml: header X-Listed: /yes/ does not match (no X-Listed header)
     f:1:1: would log to log
     f:7:1: if (/^List-Id:/) -> true
         matched header: List-Id: Debian User <debian-user.lists.debian.org>
     f:9:2: xfilter \"reformail -I 'X-Listed: yes'\": not run, the message is left unchanged (--exec runs it)
     f:10:2: to: would deliver to \$HOME/Maildir/.lists.debian-user/ (maildir); this ends the run
     result: delivered to \$HOME/Maildir/.lists.debian-user/; exit 0
FAIL junk.eml: expected defer, got discard
     f:1:1: would log to log
     f:12:1: if (/^Subject:.*WINNER/) -> true
         matched header: Subject: You are a WINNER!
     f:14:2: exit
     result: not delivered (exit without 'to'); exit 0
0 passed, 4 failed"

# Commands run only when the test file says so: exec, or a stub.
printf 'exec\nlist-debian.eml -> Maildir/.lists.debian-user/ ; header X-Listed: /yes/\n' \
    >"$t/exec.tests"
rt --home "$home" "$t/f" "$t/exec.tests"
if command -v reformail >/dev/null; then
	same exec-runs-commands 0 "ok   list-debian.eml -> Maildir/.lists.debian-user/
1 passed, 0 failed"
else
	skip exec-runs-commands "reformail is not installed"
fi
printf '#!/bin/sh\necho X-Listed: yes\ncat\n' >"$t/stub"
chmod 755 "$t/stub"
printf 'stub "reformail -I '"'"'X-Listed: yes'"'"'" "./stub"\nlist-debian.eml -> Maildir/.lists.debian-user/ ; header X-Listed: /^yes$/\n' \
    >"$t/stub.tests"
rt --home "$home" "$t/f" "$t/stub.tests"
same stub-replaces-command 0 "ok   list-debian.eml -> Maildir/.lists.debian-user/
1 passed, 0 failed"

# Nothing leaks from one case to the next: each runs in its own process
# and without exec a command never runs.
printf 'system "touch $HOME/ran"\nN=`cat $HOME/count`\nto "Maildir/"\n' >"$t/g"
chmod 600 "$t/g"
printf 'boss.eml -> Maildir/\n' >"$t/g.tests"
rt --home "$home" "$t/g" "$t/g.tests"
if [ "$RC" = 0 ] && [ ! -e "$home/ran" ]; then pass no-exec-no-command
else fail no-exec-no-command "exit $RC, ran: $(ls "$home")" "$OUT"; fi

# Mistakes in a test file: every one at FILE:LINE with the fix, exit 65,
# and no case runs.
cat >"$t/bad.tests" <<'EOF'
boss.eml Maildir/
boss.eml ->
nosuch.eml -> Maildir/
boss.eml -> Maildir/ ; log has "x"
boss.eml -> Maildir/ ; header From /x/
boss.eml -> Maildir/ ; header From: /(x/
boss.eml -> discard defer
boss.eml -> exit 300
boss.eml -> "Maildir/
env
EOF
rt --home "$home" "$t/f" "$t/bad.tests"
same bad-testfile 65 "\$WORK/t/bad.tests:1: error: expected '->' after the message file 'boss.eml'
  hint: write each case as: MESSAGE -> DESTINATION [; log contains \"TEXT\"] [; header NAME: /RE/]; the settings are: exec, env NAME=value, stub \"COMMAND\" \"REPLACEMENT\"
\$WORK/t/bad.tests:2: error: nothing after '->'
  hint: write where the message must go: a folder (Maildir/.lists/), an mbox, !address, \"|command\", discard, exit N or defer
\$WORK/t/bad.tests:3: error: cannot read the message file \$WORK/t/nosuch.eml: No such file or directory
  hint: name a message file (one message, as the MTA passes it) relative to the test file's directory
\$WORK/t/bad.tests:4: error: 'log' needs 'contains' and a text
  hint: write it as: log contains \"TEXT\"
\$WORK/t/bad.tests:5: error: 'header' needs a field name and a colon
  hint: write it as: header X-Spam-Flag: /YES/
\$WORK/t/bad.tests:6: error: the pattern /(x/ does not compile at byte 2: missing closing parenthesis
  hint: fix the pattern (PCRE2 syntax, as in filters)
\$WORK/t/bad.tests:7: error: 'discard defer' expects two outcomes at once
  hint: keep one of them: discard (no delivery, exit 0), defer (exit 75) or the mailboxes
\$WORK/t/bad.tests:8: error: 'exit' needs a number from 0 to 255
  hint: write the exit status the run must end with, e.g. 'exit 0' or 'exit 67'
\$WORK/t/bad.tests:9: error: a \"...\" is not closed
  hint: close the quotes, and write \\\" for a quote inside them
\$WORK/t/bad.tests:10: error: 'env' needs NAME=value
  hint: write it as: env MAILDIR=Maildir"

printf '# nothing\n' >"$t/empty.tests"
rt --home "$home" "$t/f" "$t/empty.tests"
same empty-testfile 65 "\$WORK/t/empty.tests: error: no test cases
  hint: add a line for each message: MESSAGE -> DESTINATION [; log contains \"TEXT\"] [; header NAME: /RE/]"

rt --home "$home" "$t/f"
same usage 64 "runnel test: expected FILTER and at least one TESTFILE
  hint: runnel test ~/.mailfilter tests.runnel (runnel test --help tells more)"

rt --help
if [ "$RC" = 0 ] && grep -q '^Usage: runnel test ' <<<"$OUT" &&
    grep -q 'log contains' <<<"$OUT"; then pass help
else fail help "exit $RC" "$OUT"; fi

# A case whose run is cut short still gets its FAIL line: here the stub
# stops the run with SIGTERM (runnel exits 75 without a verdict), then
# with SIGKILL.
printf 'xfilter "scan"\nto "Maildir/"\n' >"$t/k"
chmod 600 "$t/k"
printf 'stub "scan" "kill -TERM $PPID; sleep 2"\nboss.eml -> Maildir/\n' \
    >"$t/term.tests"
rt --home "$home" "$t/k" "$t/term.tests"
same cut-short 1 "FAIL boss.eml: the run stopped before its end (exit 75)
0 passed, 1 failed"
printf 'stub "scan" "kill -KILL $PPID; sleep 2"\nboss.eml -> Maildir/\n' \
    >"$t/kill.tests"
rt --home "$home" "$t/k" "$t/kill.tests"
same killed 1 "FAIL boss.eml: the case died of signal 9
0 passed, 1 failed"
