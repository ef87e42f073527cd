#!/bin/bash
# vacation.sh: examples/vacation.mailfilter with a hostile Return-Path.
# The sender's address must reach $SENDMAIL as one argument and never as
# shell text: no canary file appears, through runnel and through maildrop.
# A wrapper filter points HOME, MAILDIR and SENDMAIL into a sandbox and
# includes the example unchanged.
. "$(dirname "$0")/lib/suite.sh" vacation

run_case() {	# name program return-path-address
	local name=$1 prog=$2 addr=$3 sb=$work/$1
	rm -rf "$sb"
	mkdir -p "$sb/Maildir/cur" "$sb/Maildir/new" "$sb/Maildir/tmp"
	cp "$top/examples/vacation.mailfilter" "$sb/vacation.mailfilter"
	chmod 600 "$sb/vacation.mailfilter"
	cat >"$sb/sendmail" <<-'SH'
	#!/bin/sh
	dir=$(dirname "$0")
	for a in "$@"; do printf '%s\n' "$a"; done >"$dir/sendmail.args"
	cat >"$dir/sendmail.in"
	SH
	chmod 755 "$sb/sendmail"
	printf '%s\n' "SENDMAIL=\"$sb/sendmail\"" "HOME=\"$sb\"" \
	    "MAILDIR=\"$sb/Maildir\"" "include \"$sb/vacation.mailfilter\"" \
	    >"$sb/f"
	chmod 600 "$sb/f"
	printf 'Return-Path: <%s>\nFrom: x@example.com\nSubject: hi\n\nbody\n' \
	    "$addr" >"$sb/msg"
	(cd "$sb" && env -i LOGNAME=runnel-test PATH=/usr/bin:/bin TZ=UTC \
	    SHELL=/bin/sh "$prog" ./f <"$sb/msg" >"$sb/out" 2>"$sb/err"
	    echo $? >"$sb/rc")
	local why=
	[ -e "$work/canary" ] && why="the canary file appeared"
	[ -z "$why" ] && [ "$(cat "$sb/rc")" != 0 ] &&
	    why="exit $(cat "$sb/rc"): $(head -3 "$sb/err")"
	[ -z "$why" ] && [ "$(ls "$sb/Maildir/new" | wc -l)" != 1 ] &&
	    why="the message was not delivered"
	[ -z "$why" ] && [ "$(printf '%s\n' -f '' -- "$addr")" != \
	    "$(cat "$sb/sendmail.args" 2>/dev/null)" ] &&
	    why="sendmail's arguments: $(cat "$sb/sendmail.args" 2>/dev/null)"
	[ -z "$why" ] && ! grep -qxF "To: $addr" "$sb/sendmail.in" &&
	    why="the reply lacks 'To: $addr'"
	rm -f "$work/canary"
	if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why"; fi
}

progs=("runnel:$RUNNEL")
[ -x /usr/bin/maildrop ] && progs+=("maildrop:/usr/bin/maildrop")
for p in "${progs[@]}"; do
	n=${p%%:*} prog=${p#*:}
	run_case "$n-dollar-paren" "$prog" "\$(touch\${IFS}$work/canary)@x.example"
	run_case "$n-backtick" "$prog" "\`touch\${IFS}$work/canary\`@x.example"
	run_case "$n-semicolon" "$prog" "a;touch\${IFS}$work/canary;@x.example"
	run_case "$n-quote" "$prog" "a'\"';touch\${IFS}$work/canary;'\"'@x.example"
	run_case "$n-dash" "$prog" "-X$work/canary"
	run_case "$n-plain" "$prog" "ann@example.com"
done
