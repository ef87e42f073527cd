#!/bin/sh
# oracle.sh FILE.eml h|b|hb: print the lines maildrop 2.9.3 searches for
# /re/:MODE, one per line (through foreach and echo, so backslashes are
# interpreted and a last line without newline is missing, B21).
f=$(realpath "$1")
d=$(mktemp -d)
printf 'foreach /^.*$/:%s\n{\n echo "$MATCH"\n}\nexit\n' "$2" > $d/f
chmod 600 $d/f
(cd $d && HOME=$d maildrop ./f < "$f")
rm -rf $d
