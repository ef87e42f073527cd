# lib/spamd.sh: a private spamd for the tests, sourced after
# lib/suite.sh.  Local tests only (-L), no user configuration, its own
# site configuration and home under /tmp (spamd drops to nobody, who
# must reach them: not under $WORK).  It listens on 127.0.0.1:783,
# spamc's default, so that a recipe runs exactly as written; when 783
# is taken (another test run) it gets a free port.
#
#   spamd_start   start it and wait until it answers; sets PORT, S (its
#                 directory) and SPAMD_PID.  1 when it did not come up,
#                 SPAMD_WHY saying why
#   spamd_stop    stop it and its children, and wait for the port
#   spamd_recipe FILE  the filter FILE with "-p PORT" added to its spamc
#                 line when the port is not 783

SPAMD_PID= SPAMD_WHY= PORT=783 S=

port_free() { ! ss -ltn 2>/dev/null | awk '{ print $4 }' | grep -q ":$1\$"; }
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# spamd and its children, which keep the listening socket open and would
# go on answering if only the parent went away; then wait for the port.
spamd_stop() {
	local pids
	[ -n "$SPAMD_PID" ] || return 0
	pids="$SPAMD_PID $(pgrep -P "$SPAMD_PID" 2>/dev/null | tr '\n' ' ')"
	kill $pids 2>/dev/null
	for _ in $(seq 50); do
		kill -0 $pids 2>/dev/null || break
		sleep 0.1
	done
	kill -9 $pids 2>/dev/null
	for _ in $(seq 100); do
		port_free "$PORT" && break
		sleep 0.1
	done
	SPAMD_PID=
}

spamd_start() {
	local rc up=no
	S=$(mktemp -d /tmp/runnel-spamd.XXXXXX)
	mkdir -p "$S/site" "$S/home"
	cp /etc/spamassassin/*.pre "$S/site/" 2>/dev/null
	chmod -R a+rX "$S"
	chown nobody "$S/home" 2>/dev/null
	PORT=783
	port_free 783 || PORT=$(free_port)
	timeout 60 spamd -L --listen="127.0.0.1:$PORT" --pidfile="$S/pid" -d \
	    --siteconfigpath="$S/site" --nouser-config -x --username=nobody \
	    --helper-home-dir="$S/home" --max-children=1 --syslog=stderr \
	    2>"$S/log"
	rc=$?
	SPAMD_PID=$(cat "$S/pid" 2>/dev/null)
	if [ $rc = 0 ] && [ -n "$SPAMD_PID" ]; then
		for _ in $(seq 120); do
			if spamc -p "$PORT" -K >/dev/null 2>&1; then up=yes; break; fi
			sleep 0.5
		done
	fi
	[ $up = yes ] && return 0
	SPAMD_WHY="exit $rc: $(tail -3 "$S/log" | tr '\n' ' ')"
	return 1
}

spamd_recipe() {
	if [ "$PORT" = 783 ]; then
		cat "$1"
	else
		sed "s#xfilter \"/usr/bin/spamc\"#xfilter \"/usr/bin/spamc -p $PORT\"#" "$1"
	fi
}
