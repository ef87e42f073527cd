# lib/fakehome.sh: the one made-up user "fakeu" of the delivery-mode
# suites (runner.sh, tracedir.sh), whose home is a sandbox: the fakepw
# preload library gives it from FAKEPW_NAME and FAKEPW_HOME.  Sourced
# after lib/suite.sh; skips the suite when fakepw.so is not built.
#
#   fresh_home NAME SUBJECT   a fresh $work/NAME: the home $H (with a
#                             Maildir, mode 0755), the configuration
#                             directory $S and the message $M, from
#                             ann@example.com, Subject: SUBJECT

PRE=$BUILD/tests/preload/fakepw.so
[ -f "$PRE" ] || skip_suite "$PRE is not built"

fresh_home() {
	[ -d "$work/$1" ] && chmod -R u+w "$work/$1"
	rm -rf "$work/$1"
	H=$work/$1/home S=$work/$1/etc
	mkdir -p "$H/Maildir/cur" "$H/Maildir/new" "$H/Maildir/tmp" "$S"
	chmod 755 "$H"
	printf '%s\n' 'Return-Path: <ann@example.com>' 'From: ann@example.com' \
	    "Subject: $2" '' 'body' >"$work/$1/msg"
	M=$work/$1/msg
}
