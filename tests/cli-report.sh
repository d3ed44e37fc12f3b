# cli-report.sh - stepmap demo writes the bundled workbook (and never
# overwrites), stepmap report shows its figures as text and as one JSON
# object: 111 steps, hand-offs and manual steps, arrival → seen by physician
# 27 minutes; the redesign 46 steps, 3 minutes, time-to-admit -14 %. Bad
# usage exits 2, a missing or foreign workbook 1, and nothing is modified.
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed"; exit 77; }
cd "$TMP" || exit 1

"$STEPMAP" demo d.stepmap || fail "demo exits $?"
[ -s d.stepmap ] || fail "demo wrote no file"

# JSON: one object, the contract's keys, the headline figures.
"$STEPMAP" report d.stepmap --json >r.json 2>err || fail "report --json exits $?: $(cat err)"
python3 - r.json <<'EOF' || fail "report --json: figures (above)"
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    r = json.load(f)
assert list(r) == ["processes"], r.keys()
assert len(r["processes"]) == 1
p = r["processes"][0]
keys = ["name", "steps", "handoffs", "touchpoints", "manual_steps", "lead_time_s",
        "work_time_s", "wait_time_s", "pce", "rty", "measures", "scenarios"]
for k in keys:
    assert k in p, "missing key " + k
assert p["name"] == "ED admission", p["name"]
assert p["steps"] == 111, p["steps"]
assert p["handoffs"] > 0 and p["manual_steps"] > 0 and p["touchpoints"] > 0
assert abs(p["work_time_s"] + p["wait_time_s"] - p["lead_time_s"]) < 1e-6
assert 0 < p["pce"] < 1 and 0 < p["rty"] < 1
m = {x["name"]: x for x in p["measures"]}
seen = m["arrival → seen by physician"]
assert seen["clock"] == "customer" and seen["from"] and seen["to"], seen
assert abs(seen["expected_s"] - 1620) < 1, seen["expected_s"]
admit = m["time-to-admit"]
assert admit["clock"] == "process", admit
assert len(p["scenarios"]) == 1, p["scenarios"]
s = p["scenarios"][0]
assert s["name"] == "Physician in triage, bedside registration", s["name"]
for k in keys[:-1] + ["stale_cuts"]:
    assert k in s, "scenario: missing key " + k
assert s["stale_cuts"] == 0
assert s["steps"] == 46, s["steps"]
sm = {x["name"]: x for x in s["measures"]}
assert abs(sm["arrival → seen by physician"]["expected_s"] - 180) < 1, sm
change = (sm["time-to-admit"]["expected_s"] / admit["expected_s"] - 1) * 100
assert abs(change - -14) <= 0.5, change
assert s["handoffs"] < p["handoffs"] and s["manual_steps"] < p["manual_steps"]
# the stages add up to the steps (a cut's split and join are no steps)
assert sum(s["by_stage"].values()) + s["no_lane"] == s["steps"] == 46, s["by_stage"]
assert s["no_lane"] == 0 and "parallel" not in s["by_type"], s["by_type"]
# the golden thread: the customer's clock beside the process's, and the gap
for x, me in ((p, m), (s, sm)):
    g = x["golden_thread"]
    assert len(g) == 1, g
    g = g[0]
    assert g["customer"] == "arrival → seen by physician" and g["process"] == "time-to-admit", g
    assert g["customer_s"] == me["arrival → seen by physician"]["expected_s"], g
    assert g["process_s"] == me["time-to-admit"]["expected_s"], g
    assert abs(g["gap_s"] - (g["customer_s"] - g["process_s"])) < 1e-6, g
# the staffed lanes have limited capacity: the expected times leave queues out
assert p["expected_without_queueing"] is True and s["expected_without_queueing"] is True
EOF

# -p and -s select; the JSON stays one object.
"$STEPMAP" report d.stepmap -p "ED admission" -s "Physician in triage, bedside registration" --json >r2.json ||
	fail "report -p -s exits $?"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert len(r["processes"][0]["scenarios"])==1' r2.json ||
	fail "report -p -s --json"
"$STEPMAP" report d.stepmap -p 1 --json >/dev/null || fail "report -p 1 exits $?"

# Text: the figures and the baseline → scenario comparison.
"$STEPMAP" report d.stepmap >r.txt || fail "report exits $?"
grep -q '^ED admission' r.txt || fail "text: no process name"
grep -q 'steps 111' r.txt || fail "text: no step count"
grep -q 'hand-offs [1-9]' r.txt || fail "text: no hand-offs"
grep -q 'arrival → seen by physician.*27m' r.txt || fail "text: 27 minutes: $(grep seen r.txt)"
grep -Eq 'steps +111 → 46 +−59 %' r.txt || fail "text: steps 111 → 46 −59 %: $(grep ' → 46' r.txt)"
grep -Eq 'time-to-admit .*−14 %' r.txt || fail "text: time-to-admit −14 %"
grep -q 'without queueing for staffed lanes' r.txt || fail "text: no word that queues are left out"
grep -Eq 'arrival → seen by physician +27m +beside time-to-admit 10h50m33s +gap −10h23m33s' r.txt ||
	fail "text: golden thread: $(grep -A1 'golden thread' r.txt)"
grep -Eq 'gap: arrival → seen by physician +−10h23m33s → −9h16m26s' r.txt ||
	fail "text: the gap in the comparison: $(grep 'gap:' r.txt)"

# demo never overwrites, and leaves the existing file as it was.
cp d.stepmap before
"$STEPMAP" demo d.stepmap 2>err; rc=$?
[ $rc -eq 1 ] || fail "demo over an existing file exits $rc, not 1"
grep -q 'd.stepmap: already exists' err || fail "demo overwrite message: $(cat err)"
cmp -s d.stepmap before || fail "demo modified an existing file"
echo "not a workbook" >notes.txt
"$STEPMAP" demo notes.txt 2>/dev/null && fail "demo overwrote notes.txt"
[ "$(cat notes.txt)" = "not a workbook" ] || fail "demo changed notes.txt"
# A folder that does not exist: an error, and nothing left behind.
"$STEPMAP" demo no/such/dir/x.stepmap 2>err; rc=$?
[ $rc -eq 1 ] || fail "demo into a missing folder exits $rc: $(cat err)"
[ ! -e no ] || fail "demo left something behind"

# Bad usage: exit 2 with a message.
for args in "" "--json" "d.stepmap --bogus" "d.stepmap -p" "d.stepmap -s" "d.stepmap d.stepmap"; do
	# shellcheck disable=SC2086
	"$STEPMAP" report $args >out 2>err; rc=$?
	[ $rc -eq 2 ] || fail "report $args exits $rc, not 2"
	[ -s err ] || fail "report $args: no message"
	[ ! -s out ] || fail "report $args printed to stdout"
done
"$STEPMAP" demo >/dev/null 2>&1; [ $? -eq 2 ] || fail "demo without FILE is not exit 2"
"$STEPMAP" demo a b >/dev/null 2>&1; [ $? -eq 2 ] || fail "demo with two FILEs is not exit 2"

# Missing or foreign workbooks, unknown process or scenario: exit 1, nothing
# on stdout, the file untouched.
"$STEPMAP" report missing.stepmap --json >out 2>err; rc=$?
[ $rc -eq 1 ] || fail "report of a missing file exits $rc"
grep -q 'missing.stepmap' err || fail "missing file message: $(cat err)"
[ ! -e missing.stepmap ] || fail "report created missing.stepmap"
[ ! -s out ] || fail "report of a missing file printed to stdout"
"$STEPMAP" report notes.txt >out 2>err; rc=$?
[ $rc -eq 1 ] || fail "report of a foreign file exits $rc"
grep -q 'notes.txt' err || fail "foreign file message: $(cat err)"
[ "$(cat notes.txt)" = "not a workbook" ] || fail "report changed notes.txt"
"$STEPMAP" report d.stepmap -p "No such process" >out 2>err; rc=$?
[ $rc -eq 1 ] || fail "unknown process exits $rc"
grep -q "No such process" err || fail "unknown process message: $(cat err)"
"$STEPMAP" report d.stepmap -s "No such plan" --json >out 2>err; rc=$?
[ $rc -eq 1 ] || fail "unknown scenario exits $rc"
grep -q "No such plan" err || fail "unknown scenario message: $(cat err)"
[ ! -s out ] || fail "unknown scenario printed to stdout"
cmp -s d.stepmap before || fail "report modified the workbook"
exit 0
