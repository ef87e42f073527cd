#!/bin/bash
# mbox-journal.sh: the journal an mbox append leaves (deliver_mbox.c) is
# acted on only when it can be believed.  Each case puts an old message,
# the torn start of another and a journal beside the mailbox, as a
# delivery killed mid-append leaves them, spoils one thing, and delivers
# the next message.  Believed: the torn part is cut off.  Not believed:
# the mailbox is left as it is, with a warning, and the journal removed.
# A journal never outlives a delivery that exited 0.
. "$(dirname "$0")/lib/suite.sh" mbox-journal
. "$(dirname "$0")/lib/case.sh"

old='From old@example.com Mon Jan  1 00:00:00 2024
Subject: old

old body

'
torn='From MAILER-DAEMON Sat Dec  5 20:00:00 2026
Subject: torn

half a bo'
fromline='From MAILER-DAEMON Sat Dec  5 20:00:00 2026
'
next=$work/next
printf 'From: c@example.com\nSubject: next\n\nthe next one\n' >"$next"

run() {	# sandbox
	(cd "$1" && env -i HOME="$1" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC SHELL=/bin/sh "$RUNNEL" ./f <"$next" >"$1/.out" 2>"$1/.err"
	    echo $?)
}

# journal DIR [SIZE [FIRST-LINE [DEV INO]]]: the journal a delivery that
# began at SIZE (default: the old message's end) writes.
journal() {
	local d=$1 size=${2:-${#old}} first=${3:-$fromline} dev ino
	dev=${4:-$(stat -c %d "$d/mb")}
	ino=${5:-$(stat -c %i "$d/mb")}
	printf 'runnel mbox journal 1\n%s %s %s %s\n%s' "$dev" "$ino" "$size" \
	    "${#first}" "$first" >"$d/mb.runnel-journal"
	chmod 600 "$d/mb.runnel-journal"
}

setup() {	# name
	local d=$work/$1
	rm -rf "$d"; mkdir -p "$d"
	printf 'to "mb"\n' >"$d/f"; chmod 600 "$d/f"
	printf '%s%s' "$old" "$torn" >"$d/mb"
	echo "$d"
}

# check NAME DIR cut|kept WARNING-TEXT
check() {
	local name=$1 d=$2 want=$3 warn=$4 rc body
	rc=$(run "$d")
	body=$(case_mask "$d/mb")
	if [ "$want" = cut ]; then
		exp=$(printf '%sFrom MAILER-DAEMON DATE\nFrom: c@example.com\nSubject: next\n\nthe next one\n\n' "$old" | case_mask)
	else
		exp=$(printf '%sFrom MAILER-DAEMON DATE\nSubject: torn\n\nhalf a boFrom MAILER-DAEMON DATE\nFrom: c@example.com\nSubject: next\n\nthe next one\n\n' "$old" | case_mask)
	fi
	if [ "$rc" != 0 ]; then
		fail "$name" "exit $rc: $(head -3 "$d/.err")"
	elif [ -e "$d/mb.runnel-journal" ] || [ -L "$d/mb.runnel-journal" ]; then
		fail "$name" "the journal is still there after exit 0"
	elif [ "$body" != "$exp" ]; then
		fail "$name" "want the torn part $want; the mailbox: $(printf '%s' "$body" | head -12)"
	elif ! grep -q -- "$warn" "$d/.err"; then
		fail "$name" "no warning '$warn': $(cat "$d/.err")"
	else
		pass "$name"
	fi
}

d=$(setup genuine); journal "$d"
check genuine "$d" cut "removed the 68 bytes that an unfinished delivery left"

# Power loss: the blocks past the old end came back as zeros.
d=$(setup zeros)
{ printf '%s' "$old"; head -c 200 /dev/zero; } >"$d/mb"
journal "$d"
check zeros "$d" cut "removed the 200 bytes"

# Killed before its append began: nothing to cut, nothing to say.
d=$(setup unbegun); printf '%s' "$old" >"$d/mb"; journal "$d"
rc=$(run "$d")
if [ "$rc" = 0 ] && [ ! -e "$d/mb.runnel-journal" ] && [ ! -s "$d/.err" ] &&
    [ "$(grep -c '^From ' "$d/mb")" = 2 ]; then
	pass unbegun
else
	fail unbegun "exit $rc, stderr: $(cat "$d/.err")"
fi

# A journal cut short while being written (no append followed it).
d=$(setup half-journal); printf '%s' "$old" >"$d/mb"
printf 'runnel mbox jour' >"$d/mb.runnel-journal"; chmod 600 "$d/mb.runnel-journal"
rc=$(run "$d")
if [ "$rc" = 0 ] && [ ! -e "$d/mb.runnel-journal" ] && [ ! -s "$d/.err" ]; then
	pass half-journal
else
	fail half-journal "exit $rc, stderr: $(cat "$d/.err")"
fi

# Planted by another user: never believed.
if [ "$(id -u)" = 0 ]; then
	d=$(setup foreign-owner); journal "$d"; chown 65534 "$d/mb.runnel-journal"
	check foreign-owner "$d" kept "belongs to uid 65534"
else
	skip foreign-owner "needs root to chown"
fi

d=$(setup writable); journal "$d"; chmod 622 "$d/mb.runnel-journal"
check writable "$d" kept "others may write it"

d=$(setup symlink); journal "$d"; mv "$d/mb.runnel-journal" "$d/target"
ln -s target "$d/mb.runnel-journal"
check symlink "$d" kept "symbolic link"
[ -f "$d/target" ] || fail symlink-target "the link's target was removed"

d=$(setup hardlink); journal "$d"; ln "$d/mb.runnel-journal" "$d/other"
check hardlink "$d" kept "hard links"

d=$(setup fifo); mkfifo -m 600 "$d/mb.runnel-journal"
check fifo "$d" kept "not a regular file"

d=$(setup garbage); printf 'rm -rf /\n' >"$d/mb.runnel-journal"
chmod 600 "$d/mb.runnel-journal"
check garbage "$d" kept "not a journal runnel wrote"

# Another file once had the name (the mailbox was replaced).
d=$(setup other-inode); journal "$d" "${#old}" "$fromline" "$(stat -c %d "$d/mb")" 1
check other-inode "$d" kept "another file of that name"

# The mailbox shrank below the recorded size (a reader expunged).
d=$(setup shrunk); journal "$d" 100000
check shrunk "$d" kept "has shrunk"

# A size that points into the old message: what stands there is not the
# From_ line the journal kept, so nothing is cut below it.
d=$(setup too-low); journal "$d" 10
check too-low "$d" kept "not the message it began"

# Another program appended a message after the torn one.
d=$(setup appended-after); journal "$d"
printf '\nFrom other@example.com Sat Dec  5 20:00:01 2026\nSubject: other\n\nbody\n\n' >>"$d/mb"
rc=$(run "$d")
if [ "$rc" = 0 ] && grep -q 'another message was appended' "$d/.err" &&
    grep -q '^Subject: other' "$d/mb" && grep -q '^half a bo' "$d/mb"; then
	pass appended-after
else
	fail appended-after "exit $rc, stderr: $(cat "$d/.err")"
fi
