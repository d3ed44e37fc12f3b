#!/bin/sh
# tmux-facilitator.sh - a facilitator maps an insurance claim live, from an
# empty workbook, with keys only, in a real terminal: a process, six lanes,
# 30 steps by quick capture, work times and an end step in the step form,
# two decisions with labelled branches and probabilities (D: targets then
# labels asked in turn; D in one line), a rework loop (R), a jump (B), a
# parallel block (V, then |), the arrival pattern 6/h and two lane
# capacities in the process form (O), two measures. Then `stepmap report
# --json` and `stepmap simulate --json` on the result equal, key for key,
# those of the same process written by hand as CSV
# (tests/data/csv/facilitator-claims.csv) and imported. Prints how many keys
# it took.
set -u
. "$TOP/tests/tools/tmux.sh"
WB=$TMP/facilitator.stepmap
REF=$TMP/facilitator-csv.stepmap
KEYS=0

# send KEYS...: one tmux call (each call costs tens of milliseconds on a
# loaded machine); an argument that is a key name (Enter, Tab, BTab, Escape)
# is one key, any other is typed, one key a character
send() {
	for k in "$@"; do
		case $k in
		Enter|Tab|BTab|Escape) KEYS=$((KEYS + 1)) ;;
		*) KEYS=$((KEYS + $(printf '%s' "$k" | wc -m))) ;;
		esac
	done
	tm_keys "$@"
}
key() { send "$@"; }
txt() { send "$1"; }
# a `:` command and Enter
cmd() {
	send ":$1" Enter
}

tm_start f 30 100 env TERM=tmux-256color "$STEPMAP" "$WB"
tm_wait "process new"
cmd "process new Claims"
tm_wait "Claims"
for l in "Customer customer" "Call centre onstage" "Claims handler offstage" \
         "Assessor offstage" "Finance support" "Claims system support"; do
	cmd "lane add $l"
done
tm_wait "lane 'Claims system'"

# 30 steps in quick capture: Tab / Shift-Tab move the line to the step's lane
# (lanes in stage order: 0 Customer, 1 Call centre, 2 Claims handler,
# 3 Assessor, 4 Finance, 5 Claims system)
key a
lane=0
while IFS='|' read -r want name; do
	set --
	while [ "$lane" -lt "$want" ]; do set -- "$@" Tab; lane=$((lane + 1)); done
	while [ "$lane" -gt "$want" ]; do set -- "$@" BTab; lane=$((lane - 1)); done
	send "$@" "$name" Enter
done <<'EOF'
0|Report the claim
1|Take the call
5|Register the claim
5|Send the acknowledgement
0|Read the acknowledgement
2|Check the policy
2|Covered?
2|Request documents
0|Send the documents
2|Check the documents
5|Assign an assessor
3|Inspect the damage
3|Write the assessment
3|Simple claim?
2|Approve at once
3|Get a second opinion
2|Approve after review
4|Calculate the payment
4|Update the reserve
1|Notify the broker
4|Pay the claim
5|Send the payment letter
0|Receive the payment
0|Rate the service
2|Close the claim
5|Archive the file
2|Claim closed
2|Write the rejection
5|Send the rejection letter
0|Read the rejection
EOF
key Escape
tm_wait "capture ended: 30 steps added"

# work times in the step form (work is its fourth field), step by step
key g
at=1
for w in 2:10m 3:1m 6:15m 8:5m 9:30m 10:10m 12:1h 13:30m 15:5m 16:45m 17:10m 18:15m \
         19:10m 20:5m 21:5m 25:5m 28:10m; do
	n=${w%%:*}
	set --
	while [ "$at" -lt "$n" ]; do set -- "$@" j; at=$((at + 1)); done
	send "$@" Enter Tab Tab Tab "${w#*:}" Enter
done
tm_wait "set work of step 'Write the rejection'"
# step 27 ends the case: its type, a letter picks it in the form
cmd 27
key Enter Tab Tab
txt e
key Enter
tm_wait "set type of step 'Claim closed'"

# the first decision: targets, then each branch's label and probability
cmd 7
key D
tm_wait "step 7 branches to"
txt "8 28"
key Enter
tm_wait "1/2 to 8"
txt "Covered 85%"
key Enter
tm_wait "2/2 to 28"
txt "Not covered 15%"
key Enter
tm_wait "a decision with 2 branches"
# rework: one check in five sends the documents back to be asked again
cmd 10
key R
tm_wait "rework loop from 10"
txt "8@20% Missing documents"
key Enter
tm_wait "loop 20 % from step 10 back to step 8"
# the second decision in one line
cmd 14
key D
tm_wait "step 14 branches to"
txt "15@60% Simple | 16@40% Complex"
key Enter
tm_wait "step 14 'Simple claim?' a decision"
# the simple way jumps past the second opinion
cmd 15
key B
tm_wait "branch from 15"
txt 18
key Enter
tm_wait "jump from step 15 to step 18"
# payment, reserve and the broker's notice at once
cmd 18
key V j j '|'
tm_wait "steps 18 to 20 in parallel"

# the arrival pattern and the call centre's capacity, in the process form
cmd 2
key O
tm_wait "Process 'Claims'"
key Tab Tab
txt 6/h
key Tab
txt 3
tm_wait "exp(10m) = 6/h"
key Enter
tm_wait "process settings"
cmd 6
key O
tm_wait "Process 'Claims'"
key Tab Tab Tab
txt 6
key Enter
tm_wait "process settings"

# two measures (steps numbered as they are now: split and join are 18, 22)
cmd "measure add Claim to payment 1 25 customer"
tm_wait "Claim to payment"
cmd "measure add Handling time 6 27 process"
tm_wait "Handling time"
key Q
n=0
while tm_alive && [ $n -lt 250 ]; do sleep 0.02; n=$((n + 1)); done
tm_alive && { echo "Q did not quit"; tm_screen; exit 1; }

"$STEPMAP" import "$TOP/tests/data/csv/facilitator-claims.csv" -o "$REF" -n Claims >/dev/null ||
	{ echo "the hand-written CSV does not import"; exit 1; }
for f in "$WB" "$REF"; do
	"$STEPMAP" report "$f" --json >"$f.report.json" || { echo "report $f failed"; exit 1; }
	"$STEPMAP" simulate "$f" --cases 2000 --json >"$f.sim.json" 2>"$f.sim.err" ||
		{ echo "simulate $f failed"; cat "$f.sim.err"; exit 1; }
done
python3 - "$WB" "$REF" <<'EOF' || exit 1
import json, sys

def diff(x, y, at, out):
    if type(x) != type(y):
        out.append("%s: %r != %r" % (at, x, y))
    elif isinstance(x, dict):
        for k in sorted(set(x) | set(y)):
            if k not in x or k not in y:
                out.append("%s.%s: only in %s" % (at, k, "keys" if k in x else "the CSV"))
            else:
                diff(x[k], y[k], at + "." + k, out)
    elif isinstance(x, list):
        if len(x) != len(y):
            out.append("%s: %d items != %d" % (at, len(x), len(y)))
        for i, (a, b) in enumerate(zip(x, y)):
            diff(a, b, "%s[%d]" % (at, i), out)
    elif x != y:
        out.append("%s: %r != %r" % (at, x, y))

bad = []
for kind in ("report", "sim"):
    a = json.load(open(sys.argv[1] + "." + kind + ".json"))
    b = json.load(open(sys.argv[2] + "." + kind + ".json"))
    diff(a, b, kind, bad)
print("\n".join(bad[:40]))
sys.exit(1 if bad else 0)
EOF
grep -q '"steps":30' "$WB.report.json" || { echo "not 30 steps:"; head -c 400 "$WB.report.json"; exit 1; }
grep -q '"handoffs":9' "$WB.report.json" || { echo "not 9 hand-offs"; exit 1; }
[ -s "$WB.sim.err" ] && { echo "simulate warned:"; cat "$WB.sim.err"; exit 1; }
echo "facilitator: 30 steps, 6 lanes, 2 decisions, a loop, a jump, a parallel block, arrivals, 2 capacities, 2 measures in $KEYS keys; report and simulation equal the CSV's"
exit 0
