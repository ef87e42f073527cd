# mask.sed (sed -E): what differs between two runs of the same case in a
# file a delivery left, replaced by a fixed word.  The one list, read by
# case_mask (case.sh) and by lmtp-equiv.sh.
#
# the time of delivery on an mbox From_ line (also where a torn line runs
# into it) and in a log record
s/(From [^ ]*) [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4}$/\1 DATE/
s/^Date: [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4}$/Date: DATE/
# the process id and host in a dot-lock's temporary name, DIR/PID.<n>.HOST,
# which the error record of a failed lock carries on stderr and in the log
# (DIFFERENCES.md B22)
s#([/ ])[0-9]+\.([0-9]+)\.[A-Za-z0-9-]+([.:,; ]|$)#\1PID.\2.HOST\3#g
# a quota warning's (-w) time of writing; its rule joins two lines, so it
# comes last
1{/^Date: /{N;s/^Date: [^\n]*\nMessage-Id: <[0-9]+\.overquota@/Date: DATE\nMessage-Id: <TIME.overquota@/}}
