#!/bin/bash
# tracedir.sh: the trace of real deliveries (README "Why did my filter
# do that?").  With ~/.runnel-trace/ (or maildroprc's RUNNEL_TRACEDIR)
# each delivery leaves one file, mode 0600, in the dry run's words;
# the count and size are bounded; a hostile or broken directory gets
# nothing and the delivery goes on as if there were none.
. "$(dirname "$0")/lib/suite.sh" tracedir
. "$(dirname "$0")/lib/fakehome.sh"

# fresh NAME: home $H (with a Maildir and a .mailfilter), sysconfdir $S,
# message $M, the trace directory $T (not made)
fresh() {
	fresh_home "$1" 'quarterly report'
	T=$H/.runnel-trace
	printf '%s\n' 'if (/^Subject:.*report/)' '{' '  log "a report"' \
	    '  to "Maildir/"' '}' 'exit' >"$H/.mailfilter"
	chmod 600 "$H/.mailfilter"
}

# deliver [VAR=value...]: runnel -d fakeu < $M, from /
deliver() {
	(cd / && env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
	    LD_PRELOAD="$PRE" FAKEPW_NAME=fakeu FAKEPW_HOME="$H" \
	    ${RUNNEL_ASAN:+ASAN_OPTIONS=verify_asan_link_order=0} \
	    RUNNEL_SYSCONFDIR="$S" "$@" timeout -s KILL 20 "$RUNNEL" -d fakeu \
	    <"$M" >"$work/.out" 2>"$work/.err")
	RC=$?
	ERR=$(cat "$work/.err")
}
delivered() { find "$H/Maildir/new" -type f | wc -l; }
traces() { find "$1" -maxdepth 1 -type f -name '*.trace' 2>/dev/null | wc -l; }

# A trace per delivery, with the decisions, the hit and the delivery.
fresh one; mkdir -m 700 "$T"
deliver
f=$(find "$T" -name '*.trace' | head -1)
want='.mailfilter:1:1: if (/^Subject:.*report/) -> true
    matched header: Subject: quarterly report
.mailfilter:3:3: logged: a report
.mailfilter:4:3: to: delivered to Maildir/ (maildir)
result: delivered to Maildir/; exit 0'
if [ "$RC" = 0 ] && [ "$(delivered)" = 1 ] && [ -n "$f" ] &&
    [ "$(stat -c %a "$f")" = 600 ] &&
    [ "$(tail -n +2 "$f")" = "$want" ] &&
    grep -q '^runnel: the delivery to fakeu at .*, sender ann@example.com, ' "$f"
then pass trace-written
else fail trace-written "exit $RC, $(delivered) delivered, file ${f:-none}" \
    "$(cat "$f" 2>/dev/null)" "$ERR"; fi

fresh none
deliver
if [ "$RC" = 0 ] && [ "$(delivered)" = 1 ] && [ ! -e "$T" ] &&
    [ -z "$(find "$H" -name '*.trace')" ]; then pass no-dir-no-trace
else fail no-dir-no-trace "exit $RC"; fi

# A failed delivery is traced with maildrop's line and its status.
fresh failed; mkdir -m 700 "$T"
printf 'to "nosuch/dir/"\n' >"$H/.mailfilter"
deliver
if [ "$RC" = 75 ] && grep -q '^result: error: .*; exit 75$' "$T"/*.trace &&
    grep -q 'to: delivery to nosuch/dir/: failed: ' "$T"/*.trace
then pass failure-traced
else fail failure-traced "exit $RC" "$(cat "$T"/*.trace 2>&1)"; fi

# The dry run prints its trace; it leaves none.
fresh dry; mkdir -m 700 "$T"
deliver; n=$(traces "$T")
(cd "$H" && env -i PATH=/usr/bin:/bin LD_PRELOAD="$PRE" FAKEPW_NAME=fakeu \
    FAKEPW_HOME="$H" "$RUNNEL" --dry-run -d fakeu <"$M" >/dev/null 2>&1)
if [ "$n" = 1 ] && [ "$(traces "$T")" = 1 ]; then pass dry-run-no-trace
else fail dry-run-no-trace "traces: $n then $(traces "$T")"; fi

# Bounded: the oldest go.
fresh count; mkdir -m 700 "$T"
touch "$T/19990101T000000Z-1.trace" "$T/notes.txt"
for i in 1 2 3 4; do deliver RUNNEL_TRACE_FILES=3; done
if [ "$(traces "$T")" = 3 ] && [ ! -e "$T/19990101T000000Z-1.trace" ] &&
    [ -e "$T/notes.txt" ] && [ "$(delivered)" = 4 ]; then pass count-bounded
else fail count-bounded "$(ls "$T")"; fi

fresh size; mkdir -m 700 "$T"
deliver RUNNEL_TRACE_BYTES=60
f=$(find "$T" -name '*.trace' | head -1)
if [ "$RC" = 0 ] && [ "$(delivered)" = 1 ] && [ -n "$f" ] &&
    grep -q '^\[the trace stops here: it reached 60 bytes\]$' "$f" &&
    [ "$(tail -n +2 "$f" | wc -c)" -lt 160 ]; then pass size-bounded
else fail size-bounded "exit $RC" "$(cat "$f" 2>/dev/null)"; fi

fresh off; mkdir -m 700 "$T"
deliver RUNNEL_TRACE_FILES=0
if [ "$RC" = 0 ] && [ "$(traces "$T")" = 0 ]; then pass files-zero-is-off
else fail files-zero-is-off "$(ls "$T")"; fi

# A full disk (here: the file size limit) loses the trace, not the mail.
fresh full; mkdir -m 700 "$T"
{ for i in $(seq 1 40); do printf 'if (/^Subject:.*report%d/)\n{\n  exit\n}\n' "$i"; done
  echo 'to "Maildir/"'; } >"$H/.mailfilter"
(ulimit -f 1; deliver)
if [ "$(delivered)" = 1 ] && [ "$(traces "$T")" = 0 ] &&
    [ -z "$(ls -A "$T")" ]; then pass full-disk
else fail full-disk "$(delivered) delivered" "$(ls -la "$T")"; fi

# Hostile directories get nothing, and the delivery goes on.
if id nobody >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	fresh symlink; mkdir -m 700 "$work/symlink/other"
	chown nobody "$work/symlink/other"
	ln -s "$work/symlink/other" "$T"
	deliver
	if [ "$RC" = 0 ] && [ "$(delivered)" = 1 ] &&
	    [ -z "$(ls -A "$work/symlink/other")" ]; then
		pass symlink-to-other-users-dir
	else fail symlink-to-other-users-dir "exit $RC" \
	    "$(ls -la "$work/symlink/other")"; fi

	fresh owner; mkdir -m 700 "$T"; chown nobody "$T"
	deliver
	if [ "$RC" = 0 ] && [ "$(delivered)" = 1 ] && [ "$(traces "$T")" = 0 ]
	then pass other-users-dir
	else fail other-users-dir "exit $RC" "$(ls -la "$T")"; fi
else
	skip symlink-to-other-users-dir "needs root and a user nobody"
	skip other-users-dir "needs root and a user nobody"
fi

fresh ownlink; mkdir -m 700 "$work/ownlink/mine"; ln -s "$work/ownlink/mine" "$T"
deliver
if [ "$RC" = 0 ] && [ -z "$(ls -A "$work/ownlink/mine")" ]; then
	pass symlink-refused
else fail symlink-refused "$(ls -la "$work/ownlink/mine")"; fi

fresh groupw; mkdir -m 770 "$T"; chmod 770 "$T"
deliver
if [ "$RC" = 0 ] && [ "$(delivered)" = 1 ] && [ "$(traces "$T")" = 0 ]; then
	pass group-writable-refused
else fail group-writable-refused "$(ls -la "$T")"; fi

# Names someone planted: a FIFO and a link shaped like traces are never
# opened, followed or counted; the delivery does not wait on them.
fresh planted; mkdir -m 700 "$T"
mkfifo "$T/19990101T000000Z-1.trace"
echo keep >"$work/planted/target"
ln -s "$work/planted/target" "$T/19990101T000000Z-2.trace"
deliver RUNNEL_TRACE_FILES=1
if [ "$RC" = 0 ] && [ "$(delivered)" = 1 ] && [ "$(traces "$T")" = 1 ] &&
    [ -p "$T/19990101T000000Z-1.trace" ] &&
    [ "$(cat "$work/planted/target")" = keep ]; then pass planted-names
else fail planted-names "exit $RC" "$(ls -la "$T")" "$ERR"; fi

# maildroprc may name the directory; the user's filter may not.
fresh rc; mkdir -m 700 "$H/traces"
printf 'RUNNEL_TRACEDIR="$HOME/traces"\n' >"$S/maildroprc"
deliver
if [ "$RC" = 0 ] && [ "$(traces "$H/traces")" = 1 ]; then
	pass maildroprc-names-dir
else fail maildroprc-names-dir "exit $RC" "$ERR"; fi
fresh rcuser; mkdir -m 700 "$H/traces"
printf 'RUNNEL_TRACEDIR="$HOME/traces"\nto "Maildir/"\n' >"$H/.mailfilter"
deliver
if [ "$RC" = 0 ] && [ "$(traces "$H/traces")" = 0 ]; then
	pass filter-cannot-name-dir
else fail filter-cannot-name-dir "exit $RC"; fi
