#!/bin/sh
# deps.sh: make sure what runnel builds and tests with is installed.  As
# root, install the missing Debian packages; otherwise say what to run.
missing=
need_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed' || missing="$missing $1"; }
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
need_pkg libpcre2-dev
need_pkg libunistring-dev
need_pkg libgdbm-dev
# Test-only: maildrop is the oracle for the differential tests; spamc and
# spamd make the SpamAssassin recipe test real.
need_pkg maildrop
need_pkg spamc
need_pkg spamd
need_pkg time		# tests/sh/message-memory.sh measures peak RSS
command -v python3 >/dev/null 2>&1 || missing="$missing python3"	# difffuzz
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -q && apt-get install -y -q --no-install-recommends $missing; } >/tmp/runnel-deps.log 2>&1 || {
		tail -20 /tmp/runnel-deps.log
		echo "deps: apt-get failed; see /tmp/runnel-deps.log" >&2
		exit 1
	}
	exit 0
fi
echo "deps: missing packages:$missing" >&2
echo "deps: run as root: apt-get install$missing" >&2
exit 1
