#!/bin/bash
# concurrency.sh: many runnel processes delivering into one mailbox at
# once, as an MTA with several delivery slots does.
#   maildir: 50 at once; every message lands exactly once, whole, and
#     tmp/ is left empty (unique names, no clobbering).
#   mbox: 30 at once under the dot-lock and the kernel lock, and 30 more
#     inside a filter's own flock { } block; the file parses into exactly
#     the messages sent, each whole, none interleaved or doubled.
. "$(dirname "$0")/lib/suite.sh" concurrency

# Message i: a few KB, a body line that needs >From quoting, and a
# last line naming it, so a torn or interleaved copy shows.
message() {	# i
	printf 'From: sender%d@example.com\nSubject: n%d\n\n' "$1" "$1"
	printf 'From the body of %d\n' "$1"
	seq 1 400 | sed "s/^/$1 line /"
	printf 'end of %d\n' "$1"
}

# Start n deliveries of messages 1..n at once; each exit status goes to
# .rc.i.  LOCKSLEEP=1 keeps the mbox waits short.
deliver_all() {	# sandbox n
	local sb=$1 n=$2 i
	for i in $(seq 1 "$n"); do
		message "$i" >"$sb/m.$i"
	done
	for i in $(seq 1 "$n"); do
		(cd "$sb" && env -i HOME="$sb" LOGNAME=runnel-test \
		    PATH=/usr/bin:/bin TZ=UTC SHELL=/bin/sh LOCKSLEEP=1 \
		    "$RUNNEL" ./f <"$sb/m.$i" >"$sb/.out.$i" 2>&1
		    echo $? >"$sb/.rc.$i") &
	done
	wait
}

# "" when every run exited 0, else the first complaint.
statuses() {	# sandbox n
	local i
	for i in $(seq 1 "$2"); do
		if [ "$(cat "$1/.rc.$i" 2>/dev/null)" != 0 ]; then
			echo "run $i exited $(cat "$1/.rc.$i" 2>/dev/null): $(head -3 "$1/.out.$i")"
			return
		fi
	done
}

# Maildir: each message byte-identical in new/, once.
sb=$(sandbox maildir 'to "M"\n')
deliver_all "$sb" 50
why=$(statuses "$sb" 50)
if [ -z "$why" ]; then
	for i in $(seq 1 50); do
		hits=0
		for f in "$sb"/M/new/*; do
			cmp -s "$f" "$sb/m.$i" && hits=$((hits + 1))
		done
		[ $hits = 1 ] || { why="message $i is in new/ $hits times"; break; }
	done
fi
[ -z "$why" ] && [ "$(ls "$sb/M/new" | wc -l)" != 50 ] &&
    why="$(ls "$sb/M/new" | wc -l) files in new/, not 50"
[ -z "$why" ] && [ -n "$(find "$sb/M/tmp" "$sb/M/cur" -type f)" ] &&
    why="tmp/ or cur/ not empty"
if [ -z "$why" ]; then
	pass "maildir-50-at-once"
else
	fail maildir-50-at-once "$why"
fi

# The mbox entry for message i, From_ date left out.
entry() {	# sandbox i
	printf 'From MAILER-DAEMON\n'
	sed -E 's/^(>*From )/>\1/' "$1/m.$2"
	printf '\n'
}

# Split the mbox at its From_ lines (dates dropped) and compare the
# pieces, as a set, with the entries of messages 1..n.
mbox_check() {	# sandbox n
	local sb=$1 n=$2 i
	[ -e "$sb/mb.lock" ] && { echo "dot-lock left behind"; return; }
	sed -E 's/^(From MAILER-DAEMON) .*/\1/' "$sb/mb" >"$sb/mb.norm"
	for i in $(seq 1 "$n"); do
		entry "$sb" "$i"
	done >"$sb/want"
	awk '/^From MAILER-DAEMON$/ { n++ } { print > (FILENAME ".part." n) }' \
	    "$sb/mb.norm"
	[ "$(ls "$sb"/mb.norm.part.* | wc -l)" = "$n" ] ||
	    { echo "$(grep -c '^From ' "$sb/mb.norm") From_ lines, not $n"; return; }
	for i in $(seq 1 "$n"); do
		entry "$sb" "$i" >"$sb/one"
		hits=0
		for p in "$sb"/mb.norm.part.*; do
			cmp -s "$p" "$sb/one" && hits=$((hits + 1))
		done
		[ $hits = 1 ] || { echo "message $i is whole in the mbox $hits times"; return; }
	done
}

# Both mbox cases at once: most of their time is spent napping
# between lock attempts (LOCKSLEEP).
mb=$(sandbox mbox 'to "mb"\n')
fl=$(sandbox flock 'flock "mb.flock" {\n  to "mb"\n}\n')
deliver_all "$mb" 30 &
deliver_all "$fl" 30 &
wait
for t in "mbox-30-at-once $mb" "mbox-30-at-once-in-flock-block $fl"; do
	set -- $t
	why=$(statuses "$2" 30)
	[ -z "$why" ] && why=$(mbox_check "$2" 30)
	if [ -z "$why" ]; then
		pass "$1"
	else
		fail "$1" "$why"
	fi
done
