#!/bin/bash
# exim.sh: the README's Exim recipes run by a real Exim 4: the pipe
# transport of examples/mta/exim.conf (runnel started per message) and the
# lmtp transport of examples/lmtp/exim.conf (runnel --listen).  Debian's
# exim4 and postfix conflict, so the Exim here is Debian's daemon package
# unpacked by tests/deps.sh into a directory of its own, never installed,
# and run as `exim -C CONF -odi` with a configuration written here: local
# delivery only, its spool and log under the scratch directory, the
# router and transport copied from the example files.  A local user gets
# the message; a filter with a syntax error leaves it in Exim's queue
# (deferred, not bounced) until the filter is fixed and the queue run.
. "$(dirname "$0")/lib/suite.sh" exim
other_users "runnel where Exim's transports run as the user"
exim_root=$(sh "$top/tests/deps.sh" test --where exim4-daemon-light)
exim=$exim_root/usr/sbin/exim4
[ -x "$exim" ] || skip_suite "$exim is not there (sh tests/deps.sh test, as root, unpacks Debian's exim4-daemon-light)"
lost=$(ldd "$exim" 2>&1 | grep 'not found')
[ -z "$lost" ] && "$exim" -C /dev/null -bV >/dev/null 2>&1 ||
    skip_suite "$exim does not run here: ${lost:-$("$exim" -C /dev/null -bV 2>&1 | tail -1)}"

# The README shows the pipe recipe: its lines there and in the example
# file must be the same (comments and blank lines aside).
recipe() { grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$@"; }
readme=$(awk '/^\*\*Exim 4\*\*/ { on = 1 } on && /^```$/ { n++; next }
    on && n == 1 { print } n == 2 { exit }' "$top/README.md" | recipe)
if [ "$readme" = "$(recipe "$top/examples/mta/exim.conf")" ]; then
	pass readme-recipe
else
	fail readme-recipe "README's Exim snippet differs from examples/mta/exim.conf" \
	    "$(diff <(printf '%s\n' "$readme") <(recipe "$top/examples/mta/exim.conf"))"
fi

u=rnlx$$
at_exit="drop_users $u"
mkdir -p "$work/bin" "$work/home"
cp "$RUNNEL" "$work/bin/runnel"
chmod 755 "$work/bin/runnel"
useradd -M -d "$work/home" -s /bin/sh "$u" || { fail setup "useradd failed"; exit 0; }
mkdir -p "$work/home/Maildir/"{cur,new,tmp} "$work/home/Maildir/.ok/"{cur,new,tmp}
chown -R "$u:" "$work/home"
chmod 700 "$work/home"
# filter TEXT: the user's ~/.mailfilter
filter() {
	printf '%s\n' "$1" >"$work/home/.mailfilter"
	chown "$u:" "$work/home/.mailfilter"
	chmod 600 "$work/home/.mailfilter"
}
# A sender the envelope has and the header not: FROM comes from the
# Return-Path: that return_path_add writes.
good='if ("$FROM" eq "ann@example.com")
	to "Maildir/.ok/"
to "Maildir/"'

# conf NAME EXAMPLE: an Exim configuration whose routers and transports
# are those of EXAMPLE (after its "# begin routers" and "# begin
# transports" lines), with runnel's paths made this test's
conf() {
	local c=$work/$1
	mkdir -p "$c/spool"
	cat >"$c/conf" <<EOF
exim_path = $exim
exim_user = root
exim_group = root
spool_directory = $c/spool
log_file_path = $c/spool/log/%slog
primary_hostname = runnel-test.example
qualify_domain = runnel-test.example
domainlist local_domains = @
keep_environment =
EOF
	awk '/^# begin routers/ { print "begin routers"; next }
	    /^# begin transports/ { print "begin transports"; next }
	    /^# begin/ { exit } { print }' "$2" |
	    sed -e "s#/usr/local/bin/runnel#$work/bin/runnel#" \
	    -e "s#/run/runnel/lmtp#$work/lmtp.sock#" >>"$c/conf"
	# Without a retry rule Exim bounces a deferred message at once
	# ("retry timeout exceeded"); every real configuration has one.
	printf 'begin retry\n* * F,1d,1h\n' >>"$c/conf"
}
# send NAME SUBJECT: one message from ann@example.com to the user,
# delivered at once (-odi)
send() {
	printf 'From: Carl <carl@example.net>\nSubject: %s\n\nHello.\n' "$2" |
	    "$exim" -C "$work/$1/conf" -odi -f ann@example.com "$u@runnel-test.example"
}
queued() { "$exim" -C "$work/$1/conf" -bpc 2>/dev/null; }
count() { find "$work/home/Maildir/$1/new" -type f | wc -l; }
log() { cat "$work/$1/spool/log/mainlog" 2>/dev/null | tail -5; }

# runs NAME: a delivery into .ok/ with Exim's headers, then the deferral
runs() {
	local n=$1 before f
	filter "$good"
	before=$(count .ok)
	send "$n" "$n works"
	f=$(ls -t "$work/home/Maildir/.ok/new/"* 2>/dev/null | head -1)
	if [ "$(count .ok)" = $((before + 1)) ] && [ "$(queued "$n")" = 0 ] &&
	    grep -q "^Subject: $n works" "$f" &&
	    [ "$(stat -c %U "$f")" = "$u" ]; then
		pass "$n-delivers"
	else
		fail "$n-delivers" "want one message in Maildir/.ok/, owned by $u, the queue empty" \
		    "queued: $(queued "$n")" "$(log "$n")"
	fi

	# A syntax error: 75, Exim keeps the message; fixed, a queue run
	# delivers it.
	filter 'if (/^Subject/)
{'
	before=$(count .ok)
	send "$n" "$n deferred"
	local q bounced
	q=$(queued "$n")
	bounced=$(grep -c ' \*\* ' "$work/$n/spool/log/mainlog")
	filter "$good"
	"$exim" -C "$work/$n/conf" -qff
	if [ "$q" = 1 ] && [ "$bounced" = 0 ] && [ "$(queued "$n")" = 0 ] &&
	    [ "$(count .ok)" = $((before + 1)) ] && [ "$(count "")" = 0 ]; then
		pass "$n-defers"
	else
		fail "$n-defers" "want the message queued (not bounced), then delivered" \
		    "queued before the fix: $q, bounces: $bounced, after: $(queued "$n")" "$(log "$n")"
	fi
}

conf pipe "$top/examples/mta/exim.conf"
runs pipe

conf lmtp "$top/examples/lmtp/exim.conf"
env -i PATH=/usr/bin:/bin LANG=C.UTF-8 RUNNEL_SYSCONFDIR="$work/etc" \
    ${RUNNEL_ASAN:+ASAN_OPTIONS=verify_asan_link_order=0} \
    "$work/bin/runnel" --listen "unix:$work/lmtp.sock" 2>"$work/runnel.log" &
for i in $(seq 25); do [ -S "$work/lmtp.sock" ] && break; sleep 0.2; done
runs lmtp
