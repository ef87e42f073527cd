#!/bin/sh
# deps.sh [build|test] [--list]: make sure what runnel needs is installed.
# `build` (make, make install) is the compiler and the libraries runnel
# links with; `test` (make check and the other test targets) adds the
# tools only the test suite uses, so that building or installing on a
# mail server never puts maildrop or spamd on it.  As root, install the
# missing Debian packages; otherwise say what to run.  --list prints the
# packages the step needs, one a line, and installs nothing.
set -u
step=${1:-build}
list=${2:-}
case $step in
build|test) ;;
*) echo "deps: usage: deps.sh build|test [--list]" >&2; exit 64;;
esac

# name:check, one a line: a command name or a Debian package name
build_needs='gcc:cmd:cc
make:cmd:make
pkg-config:cmd:pkg-config
libpcre2-dev:pkg
libunistring-dev:pkg
libgdbm-dev:pkg'
# Test-only: maildrop is the oracle for the differential tests; spamc and
# spamd make the SpamAssassin recipe test real; time measures peak RSS
# (tests/sh/message-memory.sh); python3 runs the differential fuzzer;
# mandoc and groff lint the manual pages (tests/sh/man.sh); clamd and
# clamdscan make the ClamAV recipe test real (tests/sh/clamav.sh starts
# its own clamd with its own signatures and never uses the packaged
# services or freshclam's downloads); valgrind counts instructions for
# make bench-check and procmail is make bench's third comparison.
# postfix is the real MTA of tests/sh/postfix-lmtp.sh, which runs its own
# throwaway instance (tests/sh/lib/postfix.sh); debconf is told "No
# configuration", so installing it sets up and starts no system Postfix.
# faketime gives one host of tests/sh/shared-store.sh a wrong clock.
# python3-jsonschema validates the --format=json documents
# (tests/sh/json.sh).
test_needs='maildrop:pkg
postfix:pkg
faketime:pkg
spamc:pkg
spamd:pkg
clamav-daemon:pkg
clamdscan:pkg
mandoc:pkg
groff-base:pkg
time:pkg
valgrind:pkg
procmail:pkg
python3:cmd:python3
python3-jsonschema:pkg'

needs=$build_needs
[ "$step" = test ] && needs="$needs
$test_needs"

if [ "$list" = --list ]; then
	printf '%s\n' "$needs" | cut -d: -f1
	exit 0
fi

missing=
for n in $needs; do
	pkg=${n%%:*}
	case $n in
	*:cmd:*) command -v "${n##*:}" >/dev/null 2>&1 || missing="$missing $pkg";;
	*) dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
	    grep -q 'ok installed' || missing="$missing $pkg";;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	case " $missing " in
	*" postfix "*) echo "postfix postfix/main_mailer_type select No configuration" |
	    debconf-set-selections;;
	esac
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
