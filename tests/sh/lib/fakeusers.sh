# lib/fakeusers.sh: made-up users with homes and uids of their own, for
# the suites whose deliveries drop privileges to each (lmtp.sh,
# postfix-lmtp.sh); sourced after lib/suite.sh.  The fakepw preload
# library reads them from $work/passwd.
#
#   fakeusers_start NAME   move $work to a fresh 0755 directory
#                          /tmp/runnel-NAME.XXXXXX (the users must reach
#                          their homes, and the runner's scratch
#                          directory may be private; the old one is
#                          $private) and start an empty passwd file
#   user NAME UID          a home with a Maildir, owned by the user
#   filter USER TEXT       the user's .mailfilter, mode 0600
#   count USER             the messages in the user's Maildir/new

fakeusers_start() {
	private=$work
	work=$(mktemp -d "/tmp/runnel-$1.XXXXXX")
	chmod 755 "$work"
	trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work" "$private"' EXIT
	: >"$work/passwd"
}

user() {
	local h=$work/home/$1
	mkdir -p "$h/Maildir/cur" "$h/Maildir/new" "$h/Maildir/tmp"
	printf '%s:x:%s:%s::%s:/bin/sh\n' "$1" "$2" "$2" "$h" >>"$work/passwd"
	chown -R "$2:$2" "$h"
	chmod 755 "$work/home" "$h"
}

filter() {
	printf '%s\n' "$2" >"$work/home/$1/.mailfilter"
	chown "$(stat -c %u "$work/home/$1")" "$work/home/$1/.mailfilter"
	chmod 600 "$work/home/$1/.mailfilter"
}

count() { find "$work/home/$1/Maildir/new" -type f | wc -l; }
