#!/bin/bash
# gdbm.sh: gdbmopen opens the database file itself and hands libgdbm the
# descriptor it checked (builtins/gdbm.c): a symbolic link, a named pipe
# or another user's file is refused with a warning naming it, the open
# answers -1 and delivery goes on; nothing is created through a link;
# and libgdbm never opens the file again by name, so the file checked is
# the file used.
. "$(dirname "$0")/lib/suite.sh" gdbm

msg=$work/msg
printf 'From: a@example.com\nSubject: hi\n\nbody\n' >"$msg"

runnel() {	# sandbox [VAR=value...]: the exit status (137: it hung)
	local sb=$1
	shift
	(cd "$sb" && timeout -s KILL 20 env -i HOME="$sb" LOGNAME=runnel-test PATH=/usr/bin:/bin \
	    TZ=UTC SHELL=/bin/sh \
	    ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} "$@" \
	    "$RUNNEL" ./f <"$msg" >"$sb/.out" 2>"$sb/.err")
	echo $?
}

# A database of the caller's own, to point links at.
own=$(sandbox own 'O=gdbmopen("db", "C")\nS=gdbmstore("k", "v")\nexit\n')
rc=$(runnel "$own")
if [ "$rc" = 0 ] && [ -f "$own/db" ]; then
	pass own-file-created
else
	fail own-file-created "exit $rc: $(cat "$own/.err")"
fi

# name | mode | how the database is made | the warning
cases=(
"symlink|R|ln -s $own/db db|./f(1): gdbmopen: db is a symbolic link; refused: name the database file itself"
"symlink-create|C|ln -s $work/created db|./f(1): gdbmopen: db is a symbolic link; refused: name the database file itself"
"fifo|R|mkfifo db|./f(1): gdbmopen: db: a named pipe (FIFO), not a regular file"
"fifo-write|W|mkfifo db|./f(1): gdbmopen: db: a named pipe (FIFO), not a regular file"
"directory|C|mkdir db|./f(1): gdbmopen: db: Is a directory"
"other-user|R|cp $own/db db && chown 65534 db|./f(1): gdbmopen: db belongs to user 65534; refused: a database must be your own file"
)
for c in "${cases[@]}"; do
	IFS='|' read -r name mode make warning <<<"$c"
	sb=$(sandbox "$name" "O=gdbmopen(\"db\", \"$mode\")\nV=gdbmfetch(\"k\")\necho \"O=\$O V=\$V\"\nto \"M\"\n")
	if ! (cd "$sb" && eval "$make") 2>/dev/null; then
		skip "$name" "cannot make the database here ($make; needs root)"
		continue
	fi
	rc=$(runnel "$sb")
	if [ "$rc" = 0 ] && grep -qx 'O=-1 V=' "$sb/.out" &&
	    grep -qxF -- "$warning" "$sb/.err" &&
	    [ "$(find "$sb/M/new" -type f | wc -l)" = 1 ] &&
	    [ ! -e "$work/created" ]; then
		pass "$name"
	else
		fail "$name" "exit $rc" "$(cat "$sb/.out" "$sb/.err")"
	fi
done

# A missing database is no news: -1 without a word, as in maildrop.
sb=$(sandbox missing 'O=gdbmopen("db")\necho "O=$O"\nto "M"\n')
rc=$(runnel "$sb")
if [ "$rc" = 0 ] && grep -qx 'O=-1' "$sb/.out" && [ ! -s "$sb/.err" ]; then
	pass missing-quiet
else
	fail missing-quiet "exit $rc" "$(cat "$sb/.out" "$sb/.err")"
fi

# The file checked is the file used: the database's name reaches the
# kernel once, in runnel's open with O_NOFOLLOW, and libgdbm works on
# that descriptor.  A stat before the open, or libgdbm opening the name
# again, would let the file be swapped between check and use.
if ! command -v strace >/dev/null || ! strace -o /dev/null true 2>/dev/null
then
	skip named-once "strace is missing or cannot trace here"
else
	sb=$(sandbox once 'O=gdbmopen("db", "W")\nS=gdbmstore("k", "w")\nV=gdbmfetch("k")\necho "O=$O V=$V"\nexit\n')
	cp "$own/db" "$sb/db"
	rc=$(runnel "$sb" strace -f -qq -e trace=%file -o "$sb/.trace")
	names=$(grep -c '"db"' "$sb/.trace")
	if [ "$rc" = 0 ] && grep -qx 'O=0 V=w' "$sb/.out" && [ "$names" = 1 ] &&
	    grep '"db"' "$sb/.trace" | grep -q O_NOFOLLOW; then
		pass named-once
	else
		fail named-once "exit $rc, db named $names times" \
		    "$(cat "$sb/.out" "$sb/.err"; grep '"db"' "$sb/.trace")"
	fi
fi

# A dry run writes no database: each write mode opens the file read only
# (the effects' may_write), so the file keeps its bytes and its time,
# a store only says it was not written, and fetch still reads what is
# there.  The trace says so, in text and in JSON.
for mode in W C N; do
	sb=$(sandbox dry-$mode "O=gdbmopen(\"db\", \"$mode\")\nS=gdbmstore(\"k\", \"new\")\nV=gdbmfetch(\"k\")\necho \"O=\$O S=\$S V=\$V\"\nexit\n")
	cp "$own/db" "$sb/db"
	touch -d '2001-01-01 00:00' "$sb/db"
	before=$(stat -c '%s %Y' "$sb/db")$(sha256sum <"$sb/db")
	(cd "$sb" && env -i HOME="$sb" PATH=/usr/bin:/bin "$RUNNEL" \
	    --dry-run ./f <"$msg" >.dry 2>&1
	    env -i HOME="$sb" PATH=/usr/bin:/bin "$RUNNEL" --dry-run \
	    --format=json ./f <"$msg" >.json 2>/dev/null)
	after=$(stat -c '%s %Y' "$sb/db")$(sha256sum <"$sb/db")
	want="O=0 S=0 V=v"
	[ $mode = N ] && want="O=0 S=0 V="
	if [ "$before" = "$after" ] &&
	    grep -qx "$want" "$sb/.dry" &&
	    grep -q "gdbmopen \"db\": read only in a dry run; nothing is written" "$sb/.dry" &&
	    grep -q 'gdbmstore "k": not written in a dry run' "$sb/.dry" &&
	    grep -q '"text": "gdbmopen \\"db\\": read only in a dry run' "$sb/.json"; then
		pass dry-run-$mode
	else
		fail dry-run-$mode "before $before, after $after" "$(cat "$sb/.dry" "$sb/.json")"
	fi
done

# Where no database is, a dry run creates none.
sb=$(sandbox dry-none 'O=gdbmopen("db", "C")\nS=gdbmstore("k", "v")\nexit\n')
(cd "$sb" && env -i HOME="$sb" PATH=/usr/bin:/bin "$RUNNEL" --dry-run ./f \
    <"$msg" >.dry 2>&1)
if [ ! -e "$sb/db" ] && grep -q 'not written in a dry run' "$sb/.dry"; then
	pass dry-run-creates-none
else
	fail dry-run-creates-none "$(ls "$sb"; cat "$sb/.dry")"
fi
