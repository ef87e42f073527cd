# lib/case.sh: how a golden or diff case runs, the one definition for
# tests/run.sh and the suites that run every case again another way
# (json.sh, dryrun-predicts.sh).  Sourced; defines functions only.

# case_sandbox CASE-DIR SANDBOX-DIR: a fresh sandbox with the filter as ./f
# (mode 0600) and the case's setup script run inside it.
case_sandbox() {
	rm -rf "$2"
	mkdir -p "$2"
	cp "$1/filter" "$2/f"
	chmod 600 "$2/f"
	if [ -f "$1/setup" ]; then
		(cd "$2" && HOME="$2" CASE="$1" sh "$1/setup") || return 1
	fi
	return 0
}

# case_env SANDBOX-DIR: the environment every run of a filter gets,
# nothing of the caller's (as words for env).
case_env() {
	echo env -i HOME="$1" SANDBOX="$1" LOGNAME=runnel-test USER=runnel-test \
	    PATH=/usr/local/bin:/usr/bin:/bin TZ=UTC LANG=C.UTF-8 \
	    SHELL=/bin/sh
}

# case_run CASE-DIR SANDBOX-DIR OUT COMMAND...: run COMMAND (a program
# and options of the caller's) on the case in its sandbox, with the case's
# args, ./f, argv, env and message; OUT.stdout, OUT.stderr, OUT.exit.
case_run() {
	local d=$1 sb=$2 out=$3 args=() argv=() extra=() msg=/dev/null
	shift 3
	[ -f "$d/args" ] && read -r -a args <"$d/args"
	# argv: words after ./f ($1, $2, ... in the filter)
	[ -f "$d/argv" ] && read -r -a argv <"$d/argv"
	[ -f "$d/message" ] && msg=$d/message
	# env: extra VAR=value lines; $SANDBOX in them is the sandbox path
	[ -f "$d/env" ] && mapfile -t extra < <(sed "s#\$SANDBOX#$sb#g" "$d/env")
	(cd "$sb" && $(case_env "$sb") "${extra[@]}" "$@" "${args[@]}" ./f \
	    "${argv[@]}" <"$msg" >"$out.stdout" 2>"$out.stderr"
	    echo $? >"$out.exit")
}

# case_mask [FILE]: FILE (or stdin) with what differs between two runs of
# the same case masked (lib/mask.sed: times, dot-lock process ids).
case_mask() {
	sed -E -f "$(dirname "${BASH_SOURCE[0]}")/mask.sed" "$@"
}
