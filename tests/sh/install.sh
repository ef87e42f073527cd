#!/bin/bash
# install.sh: runnel replaces the maildrop package.  `make install
# install-compat` into a DESTDIR (PREFIX as the README gives it), then,
# in a private mount namespace where the DESTDIR's PREFIX is mounted on
# PREFIX, every program of Debian's maildrop package is an empty file
# nobody may run (as good as removed: a PATH search passes it by) and
# PATH holds only PREFIX/bin and the base system: the bundled examples (make demo's run, their examples/*.tests
# through `runnel test`) print what they print with the build tree's
# runnel; a filter that calls maildirmake and reformail in backticks and
# xfilter leaves the same mailboxes as with the build tree's programs;
# the installed manual pages render without a warning; and the documents
# they cite are installed.  The differential suites keep the real
# maildrop: nothing is hidden outside this namespace.
. "$(dirname "$0")/lib/suite.sh" install
[ "$(id -u)" = 0 ] || skip_suite "needs root to hide Debian's maildrop programs in a mount namespace"
command -v unshare >/dev/null || skip_suite "needs unshare (util-linux)"
err=$(unshare -m --propagation private true 2>&1) ||
    skip_suite "cannot make a mount namespace: $err"

prefix=/usr/local	# the README's PREFIX
dest=$work/dest
bin=$prefix/bin		# in the namespace
man=$prefix/share/man	# in the namespace
doc=$dest$prefix/share/doc/runnel
tools="maildrop maildirmake reformail deliverquota"

# BIN and BUILD: this suite's copy and the objects it was linked from
# (make asan's too), so that make builds nothing new.
if out=$(make -C "$top" --no-print-directory install install-compat \
    DESTDIR="$dest" PREFIX="$prefix" BIN="$RUNNEL" BUILD="$BUILD" 2>&1); then
	pass make-install
else
	fail make-install "make install install-compat failed" "$out"
	exit 0
fi

# Debian's programs: those of maildrop (and courier-base, where maildrop
# comes from Courier's packages), each covered by $work/absent in the
# namespace; links to them (alternatives) end there too.
hide=$(dpkg -L maildrop courier-base 2>/dev/null | grep -E '/s?bin/' |
    while read -r f; do [ -f "$f" ] && readlink -f "$f"; done | sort -u)
: >"$work/absent"
chmod 644 "$work/absent"
# hidden COMMAND...: run as installed, with Debian's programs gone, a
# clean environment and PATH PREFIX/bin and the base system
hidden() {
	P=$bin:/usr/bin:/bin unshare -m --propagation private bash -c '
	    mount --bind "$1" "$2" || exit 90
	    absent=$3
	    shift 3
	    while [ "$1" != -- ]; do
		mount --bind "$absent" "$1" || exit 90
		shift
	    done
	    shift
	    exec env -i PATH="$P" LANG=C.UTF-8 TZ=UTC LOGNAME=root HOME=/root \
		${MAILDIR:+MAILDIR="$MAILDIR"} "$@"' \
	    hidden "$dest$prefix" "$prefix" "$work/absent" $hide -- "$@"
}

# Out of reach: each tool is found in PREFIX/bin, each of Debian's
# programs (by the name it is called) is empty and may not run.
want= got=
for t in $tools; do want="$want$bin/$t "; done
got=$(hidden bash -c 'for t in "$@"; do printf "%s " "$(command -v "$t")"; done' \
    x $tools)
reach=$(hidden bash -c 'for f in "$@" /usr/bin/maildrop /usr/bin/maildirmake \
    /usr/bin/reformail /usr/sbin/deliverquota; do
	[ ! -e "$f" ] || { [ ! -x "$f" ] && [ ! -s "$f" ]; } ||
	    echo "$f still runs"
    done' x $hide)
if dpkg -s maildrop >/dev/null 2>&1 && [ -z "$hide" ]; then
	fail out-of-reach "maildrop is installed but dpkg -L lists no program of it"
elif [ "$got" = "$want" ] && [ -z "$reach" ]; then
	pass out-of-reach "$(echo $hide | wc -w) of Debian's programs hidden"
else
	fail out-of-reach "want only the DESTDIR's tools" "found: $got" \
	    "want: $want" "$reach"
fi

# make demo's run: every example filter checked, its .tests passed, the
# messages delivered, the same output as the build tree's runnel (but
# for the dates in the log the personal filter writes).
tree=$(sh "$top/examples/demo.sh" "$RUNNEL" 2>&1 | grep -v '^Date: ')
inst=$(hidden sh "$top/examples/demo.sh" "$bin/runnel" 2>&1 | grep -v '^Date: ')
bad=$(printf '%s\n' "$inst" | grep -E '^[0-9]+ passed, [1-9]' )
ran=$(printf '%s\n' "$inst" | grep -cE '^[0-9]+ passed, 0 failed')
if [ "$inst" = "$tree" ] && [ -z "$bad" ] &&
    [ "$ran" = "$(ls "$top"/examples/*.tests | wc -l)" ]; then
	pass demo "$ran test files passed"
else
	fail demo "the installed runnel's demo differs or fails" \
	    "$(diff <(printf '%s\n' "$tree") <(printf '%s\n' "$inst") | head -20)"
fi

# The companions inside a filter, the way published filters call them:
# maildirmake to make folders before delivering, reformail to add and
# read headers and to catch duplicates.  Each message twice: the second
# copy of one with a Message-ID is a duplicate.  The commands run with the filter's PATH, by
# default /bin:/usr/bin:/usr/local/bin as in maildrop (the environment's
# is not taken); the build tree's run sets TOOLPATH to find its own.
cat >"$work/filter" <<'EOF'
if ("$TOOLPATH" ne "")
	PATH="$TOOLPATH"
logfile "$MAILDIR/../log"
`test -d $MAILDIR/.Lists || maildirmake -f Lists $MAILDIR`
`test -d $MAILDIR/.Dups || maildirmake $MAILDIR/.Dups`
xfilter "reformail -A 'X-Tag: yes' -I 'X-Filtered: runnel'"
SUBJECT=`reformail -x Subject:`
log "subject: $SUBJECT"
`reformail -D 8000 $MAILDIR/../duplicates`
if ($RETURNCODE == 0)
	to "$MAILDIR/.Dups/"
if (/^List-Id:/)
	to "$MAILDIR/.Lists/"
to "$MAILDIR/"
EOF
chmod 600 "$work/filter"
# deliver RUNNEL HOME [hidden]: every example message, twice, into
# HOME/Maildir; prints each exit status
deliver() {
	local m i
	mkdir -p "$2/Maildir/cur" "$2/Maildir/new" "$2/Maildir/tmp"
	for m in "$top"/examples/messages/*.eml; do
		for i in 1 2; do
			MAILDIR=$2/Maildir ${3:+hidden} "$1" "$work/filter" <"$m"
			echo "$(basename "$m") $i: $?"
		done
	done
}
# mailboxes HOME: every file, maildir names made MSG, with its digest;
# the log without its dates, the home directory read HOME
mailboxes() {
	(cd "$1" && find . -type f ! -name log ! -name duplicates -print0 |
	    sort -z | xargs -0 sha256sum |
	    sed -E 's#/(new|cur)/[^ ]*$#/\1/MSG#' | sort)
	grep -v '^Date: ' "$1/log" | sed "s#$1/#HOME/#"
}
# The build tree's: the companions are links to the tree's runnel.
mkdir -p "$work/treebin"
for t in $tools; do ln -s "$RUNNEL" "$work/treebin/$t"; done
st_tree=$(TOOLPATH=$work/treebin:/usr/bin:/bin deliver "$RUNNEL" "$work/h-tree" 2>&1)
st_inst=$(deliver maildrop "$work/h-inst" hidden 2>&1)
a=$(mailboxes "$work/h-tree") b=$(mailboxes "$work/h-inst")
if [ "$st_inst" = "$st_tree" ] && [ "$a" = "$b" ] &&
    ! printf '%s\n' "$st_inst" | grep -qv ': 0$' &&
    [ "$(ls "$work/h-inst/Maildir/.Dups/new" | wc -l)" = \
      "$(grep -il '^Message-ID:' "$top"/examples/messages/*.eml | wc -l)" ] &&
    grep -q -r '^X-Tag: yes' "$work/h-inst/Maildir/.Lists/new"; then
	pass companions "$(printf '%s\n' "$b" | grep -c /MSG) messages"
else
	fail companions "the mailboxes differ from the build tree's" \
	    "$(diff <(printf '%s\n' "$st_tree") <(printf '%s\n' "$st_inst"))" \
	    "$(diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -20)"
fi

# Every page of tests/spec/man/ is installed where man finds it and
# renders without a warning.
for p in "$top"/tests/spec/man/*.[1-8]; do
	n=$(basename "$p") s=${p##*.}
	f=$man/man$s/$n
	if [ ! -f "$dest$f" ]; then fail "man-$n" "not installed as $dest$f"; continue; fi
	out=$(hidden man -M "$man" --warnings "$s" "${n%.*}" 2>"$work/man.err")
	if [ -n "$out" ] && [ ! -s "$work/man.err" ] &&
	    cmp -s <(hidden man -l "$f" 2>/dev/null) <(printf '%s\n' "$out"); then
		pass "man-$n"
	else
		fail "man-$n" "man -M $man $s ${n%.*} did not render it cleanly" \
		    "$(head -5 "$work/man.err")" "$(printf '%s\n' "$out" | head -3)"
	fi
done

# The documents the installed pages cite are installed beside them.
cited=$(cat "$dest$man"/man*/* | grep -oE '[A-Za-z][A-Za-z.-]*\.(md|json)' | sort -u)
lost=
for c in $cited; do [ -f "$doc/$c" ] || lost="$lost $c"; done
if [ -n "$cited" ] && [ -z "$lost" ]; then
	pass docs "$(echo $cited)"
else
	fail docs "cited by the manual pages but not in $doc:${lost:- (none cited)}"
fi
