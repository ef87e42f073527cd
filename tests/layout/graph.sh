#!/bin/bash
# graph.sh: the file graph of runnel, drawn from the code, and the two
# rules of interp/README.md: no circle between files, and every arrow
# runs down the rooms.
#
#   bash tests/layout/graph.sh           PASS/FAIL lines (the sh suite)
#   bash tests/layout/graph.sh --edges   the graph: "from -> to  why"
#
# The nodes are the .c and .h files under grammar/, interp/ and builtins/.
# The arrows come from two places:
#   includes  each #include "..." line, resolved against the file's folder
#   calls     the object files under $BUILD: a symbol that A.o needs and
#             B.o defines (a function or data) draws A.c -> B.c
# A circle is a set of files that reach each other along the arrows.
# The rooms are read from interp/README.md, top first, between the
# <!-- rooms --> markers; an arrow into a room listed above its own runs
# up.  Without object files (nothing built) the calls are left out, and a
# SKIP line says so.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$top/build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD;; esac
cd "$top" || exit 1

# The rooms, top first, one folder a line.
rooms=$(sed -n '/<!-- rooms -->/,/<!-- \/rooms -->/s/^[0-9][0-9]*\. `\([^`]*\)`.*/\1/p' \
    interp/README.md)
if [ -z "$rooms" ]; then
	echo "FAIL layout rooms: no <!-- rooms --> list in interp/README.md"
	exit 1
fi

files=$(find grammar interp builtins -name '*.[ch]' | LC_ALL=C sort)

# "from to include", the path made plain (no ".." or ".").
includes() {
	# shellcheck disable=SC2086
	awk '
	match($0, /^[ \t]*#[ \t]*include[ \t]*"[^"]*"/) {
		inc = substr($0, RSTART, RLENGTH)
		sub(/^[^"]*"/, "", inc); sub(/"$/, "", inc)
		dir = FILENAME; sub(/[^\/]*$/, "", dir)
		n = split(dir inc, part, "/"); k = 0
		for (i = 1; i <= n; i++)
			if (part[i] == "..") k--
			else if (part[i] != "." && part[i] != "") out[++k] = part[i]
		p = out[1]
		for (i = 2; i <= k; i++) p = p "/" out[i]
		print FILENAME, p, "include"
	}' $files
}

# "from to symbol", from the objects' symbol tables.
calls() {
	local f objs=()
	for f in $files; do
		case $f in *.c) [ -f "$BUILD/${f%.c}.o" ] &&
		    objs+=("$BUILD/${f%.c}.o");;
		esac
	done
	[ ${#objs[@]} -gt 0 ] || return 0
	# nm -A: "path.o:[value] type name"
	nm -A "${objs[@]}" | awk -v build="$BUILD/" '
	{
		i = index($0, ":")
		f = substr($0, length(build) + 1, i - length(build) - 1)
		sub(/\.o$/, ".c", f)
		m = split(substr($0, i + 1), w, " ")
		if (w[m - 1] == "U") use[++n] = f " " w[m]
		else if (w[m - 1] ~ /^[TDBRGSVWC]$/) def[w[m]] = f
	}
	END {
		for (i = 1; i <= n; i++) {
			split(use[i], u, " ")
			if ((u[2] in def) && def[u[2]] != u[1])
				print u[1], def[u[2]], u[2]
		}
	}'
}

edges=$( { includes; calls; } | LC_ALL=C sort -u)

if [ "${1:-}" = --edges ]; then
	awk '{ k = $1 " -> " $2
	       if (k in why) why[k] = why[k] ", " $3
	       else { why[k] = $3; order[++n] = k } }
	     END { for (i = 1; i <= n; i++) print order[i] "  " why[order[i]] }' \
	    <<<"$edges"
	exit 0
fi

if ! grep -qv ' include$' <<<"$edges"; then
	echo "SKIP layout calls: no object files under $BUILD (build first)"
fi

awk -v rooms="$rooms" -v files="$files" '
function room(f,    i) {
	for (i = 1; i <= nr; i++)
		if (index(f, R[i]) == 1)
			return i
	return 0
}
BEGIN {
	nr = split(rooms, R, "\n")
	for (i = 1; i <= nr; i++)
		sub(/\/?$/, "/", R[i])
	nf = split(files, F, "\n")
	for (i = 1; i <= nf; i++)
		id[F[i]] = i
}
NF == 3 {
	k = $1 " -> " $2
	if (k in why) {
		why[k] = why[k] ", " $3
	} else {
		why[k] = $3; E[++ne] = k; from[ne] = $1; to[ne] = $2
	}
}
END {
	bad = 0
	for (i = 1; i <= nf; i++)
		if (!room(F[i])) {
			printf "FAIL layout %s: in no room of " \
			    "interp/README.md\n", F[i]
			bad++
		}

	# arrows up
	up = 0
	for (e = 1; e <= ne; e++) {
		if (!(to[e] in id)) {
			printf "FAIL layout %s: no such file under " \
			    "grammar/, interp/, builtins/\n", E[e]
			up++
			continue
		}
		a = room(from[e]); b = room(to[e])
		if (a && b && b < a) {
			printf "FAIL layout %s (%s): runs up from %s to %s\n",
			    E[e], why[E[e]], R[a], R[b]
			up++
		}
	}
	if (!up)
		print "PASS layout every arrow runs down the rooms"

	# circles: an arrow whose head reaches back to its tail (the
	# transitive closure, Warshall style, over some eighty files)
	for (e = 1; e <= ne; e++)
		if (to[e] in id)
			reach[id[from[e]], id[to[e]]] = 1
	for (k = 1; k <= nf; k++)
		for (i = 1; i <= nf; i++)
			if ((i, k) in reach)
				for (j = 1; j <= nf; j++)
					if ((k, j) in reach)
						reach[i, j] = 1
	circ = 0
	for (e = 1; e <= ne; e++) {
		if (!(to[e] in id))
			continue
		a = id[from[e]]; b = id[to[e]]
		if (a != b && ((b, a) in reach)) {
			printf "FAIL layout %s (%s): in a circle\n", E[e],
			    why[E[e]]
			circ++
		}
	}
	if (!circ)
		print "PASS layout no circle between files"
	exit (bad + up + circ) > 0
}' <<<"$edges"
