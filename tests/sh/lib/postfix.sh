# lib/postfix.sh: a throwaway Postfix for the tests, sourced after
# lib/suite.sh.  Its own configuration directory, queue and data
# directory under one scratch directory, smtpd on a loopback port, no
# chroot, started and stopped by the test; the system's Postfix (its
# /etc/postfix/main.cf, queue and services) is never read or touched.
#
#   postfix_need                  skip the suite unless root and Postfix
#   postfix_start DIR PORT [main.cf lines...]
#                                 configure and start; extra lines are
#                                 appended to main.cf (mailbox_transport,
#                                 mailbox_command, ...)
#   postfix_master LINE...        master.cf lines to add (before start)
#   postfix_send FROM TO SUBJECT [BODY]  one message by SMTP to PORT
#   postfix_flush                 retry the deferred mail now
#   postfix_queue                 the queue listing (postqueue -p)
#   postfix_wait_empty SECONDS    until the queue is empty; 1 on timeout
#   postfix_wait_count N COMMAND...  until COMMAND (a count of the
#                                 messages delivered) prints N or more,
#                                 30 s at most; 1 on timeout
#   postfix_stop                  stop it (also at exit)
#
# The instance's domain is runnel-test.example; mail to it is local.

PF_DIR= PF_PORT= PF_EXTRA_MASTER=

postfix_need() {
	[ "$(id -u)" = 0 ] || skip_suite "needs root: Postfix's master starts as root"
	command -v postfix >/dev/null && [ -x /usr/lib/postfix/sbin/master ] ||
	    skip_suite "Postfix is not installed (tests/deps.sh test installs it)"
	id postfix >/dev/null 2>&1 || skip_suite "no postfix user"
	command -v python3 >/dev/null || skip_suite "python3 sends the test mail by SMTP"
}

postfix_master() {
	local l
	for l in "$@"; do PF_EXTRA_MASTER="$PF_EXTRA_MASTER$l
"; done
}

postfix_start() {
	PF_DIR=$1 PF_PORT=$2
	shift 2
	local l
	mkdir -p "$PF_DIR/etc" "$PF_DIR/queue" "$PF_DIR/data"
	chown postfix: "$PF_DIR/data"
	cat >"$PF_DIR/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF_DIR/queue
data_directory = $PF_DIR/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = runnel-test.example
mydomain = runnel-test.example
myorigin = \$myhostname
mydestination = \$myhostname, localhost
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
biff = no
maillog_file_prefixes = $PF_DIR
maillog_file = $PF_DIR/maillog
smtputf8_enable = no
queue_run_delay = 3600s
minimal_backoff_time = 3600s
maximal_backoff_time = 3600s
bounce_queue_lifetime = 1d
maximal_queue_lifetime = 1d
EOF
	for l in "$@"; do printf '%s\n' "$l" >>"$PF_DIR/etc/main.cf"; done
	# Postfix's own services, none chrooted (the sockets are outside
	# the queue), smtpd on the loopback port, logging to maillog.
	cat >"$PF_DIR/etc/master.cf" <<EOF
127.0.0.1:$PF_PORT inet n - n - - smtpd
pickup    unix n - n 60 1 pickup
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
smtp      unix - - n - - smtp
relay     unix - - n - - smtp
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
local     unix - n n - - local
lmtp      unix - - n - - lmtp
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
$PF_EXTRA_MASTER
EOF
	postfix -c "$PF_DIR/etc" set-permissions >/dev/null 2>&1
	postfix -c "$PF_DIR/etc" check >"$PF_DIR/check.log" 2>&1
	postfix -c "$PF_DIR/etc" start >"$PF_DIR/start.log" 2>&1 || return 1
	trap 'postfix_stop; kill $(jobs -p) 2>/dev/null; chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
	local i
	for i in $(seq 50); do
		python3 - "$PF_PORT" <<'EOF' 2>/dev/null && return 0
import smtplib, sys
smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=2).quit()
EOF
		sleep 0.2
	done
	return 1
}

postfix_send() {
	python3 - "$PF_PORT" "$1" "$2" "$3" "${4:-Hello.}" <<'EOF'
import smtplib, sys
port, sender, rcpt, subject, body = sys.argv[1:6]
msg = "From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\n%s\r\n" % (sender, rcpt, subject, body)
s = smtplib.SMTP("127.0.0.1", int(port), timeout=30)
s.sendmail(sender, [rcpt], msg)
s.quit()
EOF
}

postfix_flush() { postqueue -c "$PF_DIR/etc" -f >/dev/null 2>&1; }
postfix_queue() { postqueue -c "$PF_DIR/etc" -p 2>/dev/null; }

postfix_wait_empty() {
	local i
	for i in $(seq $(($1 * 5))); do
		postfix_queue | grep -q 'Mail queue is empty' && return 0
		sleep 0.2
	done
	return 1
}

postfix_wait_count() {
	local n=$1 i
	shift
	for i in $(seq 150); do
		[ "$("$@")" -ge "$n" ] && return 0
		sleep 0.2
	done
	return 1
}

postfix_stop() {
	[ -n "$PF_DIR" ] && [ -f "$PF_DIR/etc/main.cf" ] &&
	    postfix -c "$PF_DIR/etc" stop >/dev/null 2>&1
	PF_DIR=
}
