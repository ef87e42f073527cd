#!/bin/bash
# docs.sh: every FILE.md the README, the man pages, the specification
# and the strings runnel prints name exists.  A bare name (LANGUAGE.md)
# is one of the specification's files in tests/spec/ (or a README at
# the top); a name with a directory is a path from the top.
. "$(dirname "$0")/lib/suite.sh" docs

resolves() {	# name
	case $1 in
	*/*) [ -f "$top/$1" ];;
	*) [ -f "$top/tests/spec/$1" ] || [ -f "$top/$1" ];;
	esac
}

check() {	# what, then the names on stdin
	local what=$1 n bad= count=0
	while read -r n; do
		case $n in NAME.md|FILE.md) continue;; esac	# placeholders
		count=$((count + 1))
		resolves "$n" || bad="$bad $n"
	done
	if [ -n "$bad" ]; then fail "$what" "no such file:$bad"
	elif [ $count = 0 ]; then fail "$what" "names no FILE.md (the check reads nothing)"
	else pass "$what"; fi
}

names() { grep -oE '[A-Za-z0-9_./-]*[A-Za-z0-9_]\.md\b' | sed 's#^\./##' | sort -u; }

names <"$top/README.md" | check readme
cat "$top"/tests/README.md "$top"/interp/README.md "$top"/interp/*/README.md \
    "$top"/tests/spec/*.md 2>/dev/null | names | check other-docs

# the manual pages (tests/spec/man/)
man=$(find "$top" -path "$top/build" -prune -o -type f \
    -regex '.*\.[1-8]\(\.in\)?$' -print)
if [ -n "$man" ]; then cat $man | names | check man-pages
else fail man-pages "no manual page found (tests/spec/man/)"; fi

# The text of every string literal in the C sources (what runnel prints:
# --help, --check hints, error lines).
find "$top/interp" "$top/builtins" "$top/grammar" -name '*.[ch]' -exec \
    perl -ne 'while (/"((?:[^"\\]|\\.)*)"/g) { print "$1\n" }' {} + |
    names | check source-strings
