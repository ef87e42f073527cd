# workloads.sh: the benchmark workloads, shared by bench.sh (wall time,
# instructions, memory; runnel beside maildrop, procmail and the floor)
# and check.sh (runnel's instruction counts against baseline.txt).
# Sourced; HERE is this folder.  mkworkload W DIR [MIB] writes DIR/W.eml
# (the message), DIR/W.mf (maildrop syntax, without MAILDIR) and DIR/W.rc
# (procmail's rules for the same work).  MIB scales the large workload
# (20 MiB in bench.sh; check.sh takes less of the same code path).
#   trivial   one "to" into a maildir, a 2.8 KB list message
#   personal  43 pattern tests (whitelists, lists, subject tags, body
#             patterns, a weighted score) that the same message passes
#             through to the inbox
#   large     a 20 MiB text body and 5 body patterns that match only in
#             its last lines
#   mime      a 2 MB multipart whose big part is base64 text, one pattern
#             on the decoded text that matches only at its end
#   headers   200 Received lines, 60 rules on headers, none matching
#   parts50   a 50-part multipart through the personal filter
WORKLOADS="trivial personal large mime headers parts50"

# header_rules mf|rc: the headers workload's 60 rules, in maildrop's
# syntax (mf) or procmail's (rc), from one table: a Received relay, a
# List-Id, a From or Sender, each into a folder of its own.
header_rules() {
	awk -v rc=$([ "$1" = rc ] && echo 1 || echo 0) 'BEGIN {
		if (rc)
			print "DEFAULT=$MAILDIR/"
		for (i = 0; i < 60; i++) {
			if (i % 3 == 0) {
				re = sprintf("^Received:.*\\[10\\.77\\.%d\\.", i)
				f = ".r" i
			} else if (i % 3 == 1) {
				re = sprintf("^List-Id:.*<list%d\\.example\\.org>", i)
				f = ".l" i
			} else {
				re = sprintf("^(From|Sender):.*user%d@host%d\\.example", i, i)
				f = ".f" i
			}
			if (rc)
				printf ":0\n* %s\n%s/\n", re, f
			else
				printf "if (/%s/)\n\tto \"$MAILDIR/%s/\"\n", re, f
		}
		if (!rc)
			print "to \"$MAILDIR/\""
	}'
}

# The 2.8 KB list message: msg-2k.eml with a list's header fields.
list_message() {
	sed '/^$/q' "$HERE/msg-2k.eml" | sed '$d'
	cat <<'EOF'
List-Id: Hill walkers of the club <walkers.club.example>
List-Unsubscribe: <mailto:walkers-request@club.example?subject=unsubscribe>
List-Subscribe: <mailto:walkers-request@club.example?subject=subscribe>
List-Post: <mailto:walkers@club.example>
List-Help: <mailto:walkers-request@club.example?subject=help>
List-Archive: <https://lists.club.example/archive/walkers/>
Precedence: list
X-Mailman-Version: 2.1.39
Errors-To: walkers-bounces@club.example
Sender: "walkers" <walkers-bounces@club.example>
Reply-To: Hill walkers of the club <walkers@club.example>
X-BeenThere: walkers@club.example

EOF
	sed '1,/^$/d' "$HERE/msg-2k.eml"
}

# The last lines of the large body: one hit for each of its patterns.
large_tail() {
	cat <<'EOF'
to stop these, unsubscribe-here-now at the link below
or wire the money to the account we gave you
-----BEGIN PGP MESSAGE-----
your tracking number: 1Z999AA10123456784
someone asked to reset your password
EOF
}

mkworkload() {	# workload dir [MiB]
	local w=$1 d=$2 mib=${3:-20}
	case $w in
	trivial)
		list_message >"$d/$w.eml"
		printf 'to "$MAILDIR/"\n' >"$d/$w.mf"
		printf 'DEFAULT=$MAILDIR/\n' >"$d/$w.rc";;
	personal)
		list_message >"$d/$w.eml"
		cp "$HERE/personal40.mailfilter" "$d/$w.mf"
		cp "$HERE/personal40.procmailrc" "$d/$w.rc";;
	large)
		{
			sed '/^$/q' "$HERE/msg-2k.eml" | grep -v -i '^mime-version:'
			awk -v n="$mib" 'BEGIN { for (i = 0; t < n * 1048576; i++)
			    t += length(sprintf("%06d the body of a very large message, line after line..\n", i)) }
			    END { for (k = 0; k < i; k++)
			    printf "%06d the body of a very large message, line after line..\n", k }'
			large_tail
		} >"$d/$w.eml"
		cat >"$d/$w.mf" <<'EOF'
if (/unsubscribe-here-now/:b)
	HITS="$HITS unsubscribe"
if (/wire the money|western union/:b)
	HITS="$HITS money"
if (/^-----BEGIN PGP MESSAGE-----/:b)
	HITS="$HITS pgp"
if (/tracking number:? *[0-9A-Z]{10,}/:b)
	HITS="$HITS tracking"
if (/password reset|reset your password/:b)
	HITS="$HITS password"
to "$MAILDIR/"
EOF
		cat >"$d/$w.rc" <<'EOF'
DEFAULT=$MAILDIR/
:0 B
* unsubscribe-here-now
{ HITS="$HITS unsubscribe" }
:0 B
* wire the money|western union
{ HITS="$HITS money" }
:0 B
* ^-----BEGIN PGP MESSAGE-----
{ HITS="$HITS pgp" }
:0 B
* tracking number:? *[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]
{ HITS="$HITS tracking" }
:0 B
* password reset|reset your password
{ HITS="$HITS password" }
EOF
		;;
	mime)
		{
			sed '/^$/q' "$HERE/msg-2k.eml" | grep -v -i '^content-'
			cat <<'EOF'
Content-Type: multipart/mixed; boundary="=-=bench-boundary=-="

This is a multi-part message in MIME format.
--=-=bench-boundary=-=
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit

The minutes are attached.

--=-=bench-boundary=-=
Content-Type: text/plain; charset=UTF-8; name="minutes.txt"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="minutes.txt"

EOF
			{
				awk 'BEGIN { for (i = 0; t < 1536 * 1024; i++) {
				    l = sprintf("%05d item: the committee went through the minutes again\n", i)
				    printf "%s", l; t += length(l) } }'
				echo "end of the quarterly report"
			} | base64 -w 76
			printf '\n--=-=bench-boundary=-=--\n'
		} >"$d/$w.eml"
		printf 'if (/quarterly report/:b)\n\tto "$MAILDIR/"\nto "$MAILDIR/"\n' >"$d/$w.mf"
		printf 'DEFAULT=$MAILDIR/\n:0 B\n* quarterly report\n$MAILDIR/\n' >"$d/$w.rc";;
	headers)
		{
			sed '/^$/q' "$HERE/msg-2k.eml" | sed '$d'
			awk 'BEGIN { for (i = 0; i < 200; i++)
			    printf "Received: from relay%d.example.net (relay%d.example.net [192.0.2.%d])\n\tby relay%d.example.net (Postfix) with ESMTP id %08X\n\tfor <me@home.example>; Mon, 23 Nov 2026 08:%02d:00 +0000 (UTC)\n", i + 1, i + 1, i % 250 + 1, i, i * 7919, i % 60 }'
			echo
			sed '1,/^$/d' "$HERE/msg-2k.eml"
		} >"$d/$w.eml"
		header_rules mf >"$d/$w.mf"
		header_rules rc >"$d/$w.rc";;
	parts50)
		{
			sed '/^$/q' "$HERE/msg-2k.eml" | grep -v -i '^content-'
			printf 'Content-Type: multipart/mixed; boundary="part-sep"\n\n'
			for i in $(seq 50); do
				printf -- '--part-sep\nContent-Type: text/plain; charset=UTF-8\n'
				if [ $((i % 2)) = 0 ]; then
					printf 'Content-Transfer-Encoding: quoted-printable\n\n'
					printf 'Part %d of the notes, caf=C3=A9 stop and walk =\nback.\n' "$i"
				else
					printf 'Content-Transfer-Encoding: 8bit\n\n'
				fi
				sed '1,/^$/d' "$HERE/msg-2k.eml" | head -12
			done
			printf -- '--part-sep--\n'
		} >"$d/$w.eml"
		cp "$HERE/personal40.mailfilter" "$d/$w.mf"
		cp "$HERE/personal40.procmailrc" "$d/$w.rc";;
	*)
		echo "workloads: no workload $w" >&2
		return 1;;
	esac
	# maildrop wants MAILDIR set in the filter; prepend it.
	{ printf 'MAILDIR="%s/Maildir"\n' "$d"; cat "$d/$w.mf"; } >"$d/$w.f"
	chmod 600 "$d/$w.f" "$d/$w.rc"
}

# Instructions (callgrind Ir, user space) of one run of CMD... with stdin
# from MSG, in DIR, in the benchmark's environment; empty on failure.
callgrind_ir() {	# dir msg cmd...
	local d=$1 m=$2 prog
	shift 2
	prog=$(command -v "$1") || return 1
	# valgrind will not run a set-uid or set-gid program (maildrop,
	# procmail): run a plain copy of it, under its own name, which
	# procmail reads.
	if [ -u "$prog" ] || [ -g "$prog" ]; then
		mkdir -p "$d/plain"
		cp "$prog" "$d/plain/" && prog=$d/plain/${prog##*/}
	fi
	shift
	set -- "$prog" "$@"
	rm -f "$d/cg.out"
	(cd "$d" && env -i HOME="$d" LOGNAME=bench PATH=/usr/bin:/bin \
	    SHELL=/bin/sh valgrind --tool=callgrind --callgrind-out-file="$d/cg.out" \
	    "$@" <"$m" >/dev/null 2>"$d/cg.err") || return 1
	awk '/^(summary|totals):/ { print $2; exit }' "$d/cg.out"
}
