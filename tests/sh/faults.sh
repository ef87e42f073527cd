#!/bin/bash
# faults.sh: no failure of any file-system call loses or tears a message.
# For each kind of delivery, one clean run counts the calls it makes
# (tests/preload/fault.so); then every call in turn is made to fail, once
# with each errno (and once failing for good from that call on: a disk
# that stays full).  After each trial:
#   exit 0   -> the message is in place, whole and byte-identical
#   exit 75  -> nothing new in new/ or cur/, no keyword file, the mbox
#               byte-identical to before, no dot-lock left
# For pipe and xfilter deliveries exit 0 must mean the command received
# the whole (filtered) message; after exit 75 the MTA retries.
#   other    -> failure
# A file left in tmp/ is accepted only when the failed call was the
# unlink of that very file after the message was linked into new/ (the
# message is delivered; readers clean tmp/ after 36 hours).  A dot-lock
# is accepted only when the failed call was its unlink, and then the next
# delivery must break it at once (its owner is gone).
. "$(dirname "$0")/lib/suite.sh" faults
. "$(dirname "$0")/lib/case.sh"
SO=$BUILD/tests/preload/fault.so
if [ ! -f "$SO" ]; then
	skip_suite "$SO not built"
fi

# A message of a few chunks, with lines that need >From quoting.
msg=$work/message
{
	printf 'From: a@example.com\nTo: b@example.com\nSubject: faults\n\n'
	for i in $(seq 1 3000); do
		printf 'line %d of the body, with some text to fill it up\n' "$i"
		[ $((i % 500)) -eq 0 ] && printf 'From here on\n>From quoted\n'
	done
} >"$msg"
msgsum=$(sha256sum <"$msg" | cut -c1-64)

total_points=0 total_trials=0

run() {	# sandbox [fault env...]
	local sb=$1
	shift
	(cd "$sb" && env -i HOME="$sb" LOGNAME=runnel-test \
	    PATH=/usr/bin:/bin TZ=UTC LANG=C.UTF-8 SHELL=/bin/sh \
	    ${RUNNEL_ASAN:+ASAN_OPTIONS=verify_asan_link_order=0} "$@" \
	    "$RUNNEL" $(cat .args 2>/dev/null) ./f <"$msg" >"$sb/.out" 2>&1
	    echo $? >"$sb/.rc")
	cat "$sb/.rc"
}

# The expected mbox entry for $msg (From_ line's date normalized).
mbox_entry() {
	printf 'From MAILER-DAEMON DATE\n'
	sed -E 's/^(>*From )/>\1/' "$msg"
	printf '\n'
}

setup() {	# kind sandbox
	local sb=$2
	rm -rf "$sb"
	mkdir -p "$sb"
	case $1 in
	maildir)
		mkdir -p "$sb/M/tmp" "$sb/M/new" "$sb/M/cur"
		printf 'to "M"\n' >"$sb/f";;
	maildir-flags)
		mkdir -p "$sb/M/tmp" "$sb/M/new" "$sb/M/cur"
		printf 'FLAGS="SF"\nKEYWORDS="work,urgent"\nto "M"\n' >"$sb/f";;
	maildir-quota)
		mkdir -p "$sb/M/tmp" "$sb/M/new" "$sb/M/cur"
		printf '10000000S,1000C\n%12d %12d\n' 5000 2 >"$sb/M/maildirsize"
		printf 'MAILDIRQUOTA="10000000S,1000C"\nto "M"\n' >"$sb/f";;
	maildir-quota-warn)	# 95% full: -w 90 adds a warning after it
		mkdir -p "$sb/M/tmp" "$sb/M/new" "$sb/M/cur"
		printf '10000000S,1000C\n%12d %12d\n' 9500000 2 >"$sb/M/maildirsize"
		printf 'Subject: quota\n\nYour mailbox is nearly full.\n' >"$sb/warn"
		printf -- '-w 90 -W warn\n' >"$sb/.args"
		printf 'MAILDIRQUOTA="10000000S,1000C"\nto "M"\n' >"$sb/f";;
	maildir-folder-quota)
		mkdir -p "$sb/M/tmp" "$sb/M/new" "$sb/M/cur"
		mkdir -p "$sb/M/.F/tmp" "$sb/M/.F/new" "$sb/M/.F/cur"
		: >"$sb/M/.F/maildirfolder"
		printf 'MAILDIRQUOTA="10000000S"\nto "M/.F"\n' >"$sb/f";;
	mbox)
		printf 'From old Mon Jan  1 00:00:00 2024\nSubject: old\n\nold body\n\n' >"$sb/mb"
		printf 'to "mb"\n' >"$sb/f";;
	mbox-new)
		printf 'to "mb"\n' >"$sb/f";;
	pipe)
		printf 'to "|cat > out"\n' >"$sb/f";;
	xfilter)
		printf 'xfilter "sed s/line/LINE/"\nto "|cat > out"\n' >"$sb/f";;
	esac
	chmod 600 "$sb/f"
}

# Check the invariant; prints nothing when it holds, else why.
verify() {	# kind sandbox rc failed-call-line
	local kind=$1 sb=$2 rc=$3 call=$4 d n f
	case $kind in
	maildir-folder-quota) d=$sb/M/.F;;
	mbox*|pipe|xfilter) d=;;
	*) d=$sb/M;;
	esac
	if [ "$rc" != 0 ] && [ "$rc" != 75 ]; then
		echo "exit $rc: $(head -3 "$sb/.out")"
		return
	fi
	if [ "$kind" = pipe ] || [ "$kind" = xfilter ]; then
		# What a command does with a message it was half given is
		# its business; exit 0 must mean it got all of it.
		if [ "$rc" = 0 ]; then
			if [ $kind = pipe ]; then
				cmp -s "$sb/out" "$msg"
			else
				sed s/line/LINE/ "$msg" | cmp -s "$sb/out" -
			fi || { echo "exit 0 but the command got a different message"; return; }
		fi
	elif [ -n "$d" ]; then
		# A quota warning may fail on its own (the delivery stands);
		# one that is in place must be whole.
		f=$(find "$d/new" -type f -name '*_warn.*')
		if [ -n "$f" ] && ! tail -c "$(wc -c <"$sb/warn")" "$f" |
		    cmp -s - "$sb/warn"; then
			echo "a torn quota warning is in new/"
			return
		fi
		n=$(find "$d/new" "$d/cur" -type f ! -name '*_warn.*' | wc -l)
		if [ "$rc" = 0 ]; then
			[ "$n" = 1 ] || { echo "exit 0 but $n files in new/+cur/"; return; }
			f=$(find "$d/new" "$d/cur" -type f ! -name '*_warn.*')
			[ "$(sha256sum <"$f" | cut -c1-64)" = "$msgsum" ] ||
			    { echo "exit 0 but the message differs"; return; }
			if [ "$kind" = maildir-flags ]; then
				case $f in *:2,FS) ;; *) echo "flags wrong: $f"; return;; esac
				[ "$(cat "$d"/courierimapkeywords/* 2>/dev/null)" = "$(printf 'urgent\nwork')" ] ||
				    { echo "exit 0 but keywords missing"; return; }
			fi
		else
			[ "$n" = 0 ] && [ -z "$(ls "$d/courierimapkeywords" 2>/dev/null)" ] ||
			    { echo "exit 75 but a message or keyword file is in place"; return; }
			[ -z "$(find "$d/new" -name '*_warn.*')" ] ||
			    { echo "exit 75 but a quota warning was placed"; return; }
		fi
		if [ -n "$(ls -A "$d/tmp")" ]; then
			case $call in
			*" unlink "*/tmp/*) [ "$rc" = 0 ] ||
			    { echo "tmp/ file left after exit $rc"; return; };;
			*) echo "tmp/ file left ($call)"; return;;
			esac
		fi
		if [ -f "$sb/M/maildirsize" ] &&
		    grep -Ev '^ *-?[0-9]+ +-?[0-9]+$' "$sb/M/maildirsize" | sed 1d | grep -q .; then
			echo "maildirsize has a torn line"
			return
		fi
		if [ -n "$(ls -A "$d/courierimapkeywords" 2>/dev/null | grep '^\.')" ]; then
			echo "keyword temp file left"
			return
		fi
	else
		if [ "$rc" = 0 ]; then
			n=0
			[ -f "$sb/mb.before" ] && n=$(wc -c <"$sb/mb.before")
			mbox_entry >"$sb/.want"
			{ [ "$n" = 0 ] || head -c "$n" "$sb/mb" | cmp -s - "$sb/mb.before"; } &&
			    tail -c +$((n + 1)) "$sb/mb" | case_mask | cmp -s - "$sb/.want" ||
			    { echo "exit 0 but the mbox is not old + message"; return; }
		elif [ -f "$sb/mb.before" ]; then
			cmp -s "$sb/mb" "$sb/mb.before" ||
			    { echo "exit 75 but the mbox changed"; return; }
		elif [ -s "$sb/mb" ]; then
			echo "exit 75 but the new mbox holds $(wc -c <"$sb/mb") bytes"
			return
		fi
		# A journal stands only while the message is not known to
		# be complete: never after exit 0.  One left after exit 75
		# is taken away by the next delivery, which gets it whole.
		if [ -e "$sb/mb.runnel-journal" ]; then
			[ "$rc" = 0 ] &&
			    { echo "exit 0 but the journal stayed ($call)"; return; }
			rm -f "$sb/mb.lock"
			[ -f "$sb/mb" ] && cp "$sb/mb" "$sb/mb.before"
			n=0
			[ -f "$sb/mb.before" ] && n=$(wc -c <"$sb/mb.before")
			mbox_entry >"$sb/.want"
			[ "$(run "$sb")" = 0 ] && [ ! -e "$sb/mb.runnel-journal" ] &&
			    { [ "$n" = 0 ] || head -c "$n" "$sb/mb" | cmp -s - "$sb/mb.before"; } &&
			    tail -c +$((n + 1)) "$sb/mb" | case_mask | cmp -s - "$sb/.want" ||
			    { echo "the delivery after a left journal ($call) did not give old + message"; return; }
			return 0
		fi
		if [ -e "$sb/mb.lock" ]; then
			case $call in
			*" unlink "*mb.lock) ;;
			*) echo "dot-lock left ($call)"; return;;
			esac
			# Its owner is gone: the next delivery breaks it at once.
			rm -f "$sb/.t"
			local t0=$SECONDS
			[ -f "$sb/mb" ] && cp "$sb/mb" "$sb/mb.before"
			[ "$(run "$sb" LOCKSLEEP=1)" = 0 ] && [ $((SECONDS - t0)) -le 2 ] &&
			    [ ! -e "$sb/mb.lock" ] ||
			    { echo "a dead owner's dot-lock was not broken at once"; return; }
		fi
		ls "$sb" | grep -Eq '^[0-9]+\.[0-9]+\.' &&
		    { echo "dot-lock temp file left ($call)"; return; }
	fi
	return 0
}

scenario() {	# kind
	local kind=$1 sb=$work/$1 points i e mode rc why trials=0 bad=0 first=
	local errnos all="ENOSPC EIO EDQUOT persist"
	setup "$kind" "$sb"
	rc=$(run "$sb" FAULT_REPORT="$sb/.count" LD_PRELOAD="$SO")
	points=$(cat "$sb/.count" 2>/dev/null || echo 0)
	if [ "$rc" != 0 ] || [ "$points" -lt 5 ]; then
		fail "$kind" "the clean run exited $rc after $points calls" \
		    "$(head -5 "$sb/.out")"
		return
	fi
	for i in $(seq 1 "$points"); do
		# One errno per point by turns (make check stays quick on a
		# loaded machine); FAULTS_FULL=1 tries all of them at each.
		if [ -n "${FAULTS_FULL:-}" ]; then
			errnos=$all
		else
			set -- $all
			shift $((i % 4))
			errnos=$1
		fi
		for e in $errnos; do
			setup "$kind" "$sb"
			[ -f "$sb/mb" ] && cp "$sb/mb" "$sb/mb.before"
			mode=
			if [ $e = persist ]; then
				mode="FAULT_PERSIST=1"
				e=ENOSPC
			fi
			rc=$(run "$sb" LD_PRELOAD="$SO" FAULT_AT="$i" \
			    FAULT_ERRNO=$e FAULT_TRACE="$sb/.trace" $mode)
			trials=$((trials + 1))
			why=$(verify "$kind" "$sb" "$rc" \
			    "$(sed -n "${i}p" "$sb/.trace" 2>/dev/null)")
			if [ -n "$why" ]; then
				bad=$((bad + 1))
				[ -z "$first" ] && first="call $i ($(sed -n "${i}p" "$sb/.trace")) $e $mode: $why"
			fi
		done
	done
	total_points=$((total_points + points))
	total_trials=$((total_trials + trials))
	if [ $bad -eq 0 ]; then
		pass "$kind" "$points failure points, $trials trials"
	else
		fail "$kind" "$bad of $trials trials broke the invariant;" \
		    "first: $first"
	fi
}

# bash tests/sh/faults.sh [kind ...] runs some of them.
kinds=${*:-maildir maildir-flags maildir-quota maildir-quota-warn maildir-folder-quota mbox mbox-new pipe xfilter}
for k in $kinds; do
	scenario "$k"
done
echo "  faults: $total_points failure points, $total_trials trials in all"
