#!/bin/bash
# json.sh: --format=json.  Every golden and diff case is run as a JSON dry
# run, every tests/errors case and example filter as a JSON --check; each
# document must validate against tests/spec/trace.schema.json (with
# python3-jsonschema, a real validator) and say the exit status the run
# ended with.  A few cases check what the documents say.
. "$(dirname "$0")/lib/suite.sh" json
schema=$top/tests/spec/trace.schema.json

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	skip_suite "python3-jsonschema is not installed (tests/deps.sh installs it)"
fi

mkdir -p "$work/docs"

# A dry run in the clean environment tests/run.sh gives a case: the
# document in OUT, its exit status in OUT.exit.
. "$top/tests/sh/lib/case.sh"
dry() {	# case-dir sandbox out
	case_sandbox "$1" "$2" >/dev/null 2>&1 || return 1
	case_run "$1" "$2" "${3%.json}" "$RUNNEL" --dry-run --format=json
	mv "${3%.json}.stdout" "$3"
	mv "${3%.json}.exit" "$3.exit"
	rm -f "${3%.json}.stderr"
}

n=0
for d in "$top"/tests/golden/*/ "$top"/tests/diff/*/; do
	d=${d%/}
	[ -f "$d/filter" ] || continue
	# runs that print no trace: the other commands, maildrop's -h, -v
	if [ -f "$d/args" ] && grep -qE -- '--check|--dump|(^| )-[hv]' "$d/args"; then
		continue
	fi
	n=$((n + 1))
	name=$(basename "$(dirname "$d")")-$(basename "$d")
	dry "$d" "$work/sb" "$work/docs/dry.$name.json" ||
	    fail "$name" "setup failed"
	# a bad command line ends before any run: no document
	if [ ! -s "$work/docs/dry.$name.json" ] && [ -f "$d/args" ]; then
		rm -f "$work/docs/dry.$name.json"*
	fi
done
[ $n -gt 100 ] || fail cases "only $n cases run"

# --check --format=json: every tests/errors case (as tests/run.sh runs it)
# and every example filter.  The document must hold as many diagnostics
# as the text form has "FILE:LINE:COL: error|warning|note:" lines, and
# stderr stays empty.
checkdoc() {	# name dir file [args...]
	local name=$1 dir=$2 f=$3 out=$work/docs/check.$1.json
	shift 3
	(cd "$dir" && HOME=. RUNNEL_SYSCONFDIR=/nonexistent "$RUNNEL" --check \
	    "$@" "$f" 2>&1 >/dev/null) |
	    grep -cE '^[^ ].*: (error|warning|note): ' >"$out.count"
	(cd "$dir" && HOME=. RUNNEL_SYSCONFDIR=/nonexistent "$RUNNEL" --check \
	    --format=json "$@" "$f" >"$out" 2>"$work/check.err"; echo $? >"$out.exit")
	[ -s "$work/check.err" ] && fail "check-$name" "stderr: $(cat "$work/check.err")"
	return 0
}
nc=0
for f in "$top"/tests/errors/*.mf; do
	nc=$((nc + 1))
	args=()
	[ -f "${f%.mf}.args" ] && read -r -a args <"${f%.mf}.args"
	checkdoc "errors-$(basename "${f%.mf}")" "$top/tests/errors" \
	    "$(basename "$f")" "${args[@]}"
done
for f in "$top"/examples/*.mailfilter; do
	nc=$((nc + 1))
	checkdoc "example-$(basename "${f%.mailfilter}")" "$top/examples" \
	    "$(basename "$f")"
done
checkdoc unreadable "$work" no-such-filter
[ $nc -gt 50 ] || fail check-cases "only $nc --check cases run"

# One validator for all the documents: PASS/FAIL lines in suite.sh's form.
python3 - "$schema" "$work/docs" <<'EOF'
import json, os, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
v = jsonschema.Draft7Validator(schema)
bad = 0
names = sorted(f for f in os.listdir(sys.argv[2]) if f.endswith(".json"))
for f in names:
    path = os.path.join(sys.argv[2], f)
    status = int(open(path + ".exit").read())
    try:
        doc = json.load(open(path, encoding="utf-8"))
    except ValueError as e:
        print("FAIL json %s: not JSON: %s" % (f, e))
        bad += 1
        continue
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    if errs:
        print("FAIL json %s: %s at %s" % (f, errs[0].message[:200],
            "/".join(str(p) for p in errs[0].path)))
        bad += 1
    elif os.path.getsize(path) > 1100 * 1024:
        print("FAIL json %s: %d bytes; the events stop at 1 MiB"
            % (f, os.path.getsize(path)))
        bad += 1
    elif doc["result"]["exit"] != status:
        print("FAIL json %s: the document says exit %d, the run exited %d"
            % (f, doc["result"]["exit"], status))
        bad += 1
    elif os.path.exists(path + ".count") and \
            len(doc["diagnostics"]) != int(open(path + ".count").read()):
        print("FAIL json %s: %d diagnostics, the text form has %s"
            % (f, len(doc["diagnostics"]), open(path + ".count").read()))
        bad += 1
print("PASS json schema: %d documents valid" % len(names) if not bad else
    "FAIL json schema: %d of %d documents" % (bad, len(names)))
EOF

# dry_doc NAME FILTER SUBJECT [OPTION...]: the dry run's document of
# FILTER on a small message, in $sb/out.json ($sb/err its stderr).
dry_doc() {
	local name=$1 filter=$2 subject=$3
	shift 3
	sb=$(sandbox "$name" "$filter")
	printf 'From: a@b\nSubject: %s\n\nhi\n' "$subject" >"$sb/m"
	(cd "$sb" && "$RUNNEL" --dry-run "$@" --format=json ./f <m >out.json \
	    2>err)
}

# doc_holds: the Python asserts on stdin hold for $sb/out.json (bound
# to d).
doc_holds() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.stdin.read())' "$sb/out.json"
}

# What the documents say, for the two cases the dry run used to miss.
dry_doc missing 'to "M/.nosuch/"\n' x
if doc_holds <<'EOF'
ev = [e for e in d["events"] if e["event"] == "delivery"]
assert ev and ev[0]["outcome"] == "would fail", ev
err = ev[0]["error"]
assert err["maildrop"].startswith("Unable to create a dot-lock at M/.nosuch/"), err
assert err["errno"] == 2 and err["operation"] == "create", err
assert "mkdir -p M/.nosuch/{cur,new,tmp}" in err["hint"], err
assert d["result"]["outcome"] == "error" and d["result"]["exit"] == 75, d
EOF
then pass missing-folder; else fail missing-folder "$(cat "$sb/out.json")"; fi

dry_doc flags 'FLAGS="X"\nexception {\n  to "M/"\n}\nif (/^Subject: (.*)/)\n{\n  S=$MATCH1\n}\nexit\n' hello
if doc_holds <<'EOF'
ex = [e for e in d["events"] if e["event"] == "exception"]
assert ex and ex[0]["error"]["trapped"] is True, d
assert "'X' is not a maildir flag" in ex[0]["error"]["what"], ex
cond = [e for e in d["events"] if e["event"] == "evaluated"][0]
assert cond["value"] == "true" and cond["line"] == 5, cond
assert cond["matches"][0] == {"where": "header", "text": "Subject: hello"}, cond
a = [e for e in d["events"] if e["event"] == "assignment"]
assert a[-1] == {"event": "assignment", "file": "./f", "line": 7, "col": 3,
    "name": "S", "value": "hello"}, a
assert d["result"] == {"outcome": "not delivered", "delivered_to": [],
    "exit": 0}, d["result"]
EOF
then pass trapped-flags; else fail trapped-flags "$(cat "$sb/out.json")"; fi

# With --exec, what system's command prints goes to stderr: stdout is the
# document alone.  (xfilter's and backticks' output is captured anyway.)
dry_doc exec 'system "echo from-system"\nX=`echo from-backtick`\nxfilter "cat"\nto "M/"\n' x --exec
if doc_holds <<'EOF'
cmds = [e for e in d["events"] if e["event"] == "command"]
assert [c["what"] for c in cmds] == ["system", "command", "xfilter"], cmds
assert all(c["run"] for c in cmds), cmds
a = [e for e in d["events"] if e["event"] == "assignment"]
assert a[0]["value"] == "from-backtick", a
assert d["result"]["outcome"] == "delivered", d["result"]
EOF
then
	if grep -qx from-system "$sb/err"; then
		pass exec-output
	else
		fail exec-output "the command's output is not on stderr" "$(cat "$sb/err")"
	fi
else
	fail exec-output "$(cat "$sb/out.json")"
fi

# --format=json is for the dry run and --check only
if "$RUNNEL" --format=json ./f </dev/null >/dev/null 2>"$work/err"; then
	fail format-alone "a real run took --format=json"
elif grep -q 'goes with --dry-run or --check' "$work/err"; then
	pass format-alone
else
	fail format-alone "$(cat "$work/err")"
fi
