#!/bin/sh
# deps.sh [build|test] [--list]: make sure what runnel needs is installed.
# deps.sh test --where PKG: the directory a package of kind `extract` is
# unpacked into.
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
# Exim is the other MTA of the README's recipes (tests/sh/exim.sh), but
# Debian's exim4 and postfix conflict (each is the system's MTA), so its
# daemon package is only downloaded and unpacked into a directory of its
# own (kind `extract`, the file that must be there) and run from there
# with the test's own configuration: nothing of it is installed.
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
python3-jsonschema:pkg
exim4-daemon-light:extract:usr/sbin/exim4'
# where the `extract` packages are unpacked, one directory each
extract_dir=${RUNNEL_EXTRACT_DIR:-/var/cache/runnel-tests}

if [ "$list" = --where ]; then
	echo "$extract_dir/${3:?deps: --where needs a package name}"
	exit 0
fi

needs=$build_needs
[ "$step" = test ] && needs="$needs
$test_needs"

if [ "$list" = --list ]; then
	printf '%s\n' "$needs" | cut -d: -f1
	exit 0
fi

# unpack PKG...: apt-get download each (after an update if the lists
# lack it) and unpack it into extract_dir/PKG, replacing what was there
unpack() {
	local t p
	echo "deps: unpacking $* into $extract_dir"
	t=$(mktemp -d) || return 1
	(cd "$t" && { apt-get download "$@" || { apt-get update -q &&
	    apt-get download "$@"; }; }) >/tmp/runnel-deps.log 2>&1 || {
		tail -20 /tmp/runnel-deps.log
		echo "deps: apt-get download failed; see /tmp/runnel-deps.log" >&2
		rm -rf "$t"
		return 1
	}
	for p in "$@"; do
		rm -rf "$extract_dir/$p" && mkdir -p "$extract_dir/$p" &&
		    dpkg-deb -x "$t/${p}_"*.deb "$extract_dir/$p" || {
			echo "deps: dpkg-deb could not unpack $p" >&2
			rm -rf "$t"
			return 1
		}
	done
	rm -rf "$t"
}

missing= unpack=
for n in $needs; do
	pkg=${n%%:*}
	case $n in
	*:cmd:*) command -v "${n##*:}" >/dev/null 2>&1 || missing="$missing $pkg";;
	*:extract:*) [ -e "$extract_dir/$pkg/${n##*:}" ] || unpack="$unpack $pkg";;
	*) dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
	    grep -q 'ok installed' || missing="$missing $pkg";;
	esac
done
[ -z "$missing$unpack" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	[ -n "$unpack" ] && { unpack $unpack || exit 1; }
	[ -z "$missing" ] && exit 0
	echo "deps: installing$missing"
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
[ -n "$missing" ] && {
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root: apt-get install$missing" >&2
}
for p in $unpack; do
	echo "deps: $p is not unpacked; run as root: sh tests/deps.sh test" >&2
done
exit 1
