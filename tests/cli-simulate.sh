# cli-simulate.sh - stepmap simulate and stepmap scenario from the command
# line, on the bundled demo written to a real workbook: the same output on
# every run, the --json keys and the --all array, the demo's redesign telling
# its story (27 -> 3 minutes to a physician, time-to-admit -14 %), scenario
# management through the journal, and clear errors with the right exit codes.
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed to read the JSON"; exit 77; }
wb=$TMP/demo.stepmap
"$STEPMAP" demo "$wb" >/dev/null 2>"$TMP/err" ||
	{ echo "stepmap demo is not available: $(cat "$TMP/err")"; exit 77; }

# --- determinism and the JSON contract ---------------------------------------
"$STEPMAP" simulate "$wb" --json >"$TMP/a.json" || fail "simulate --json exits $?"
"$STEPMAP" simulate "$wb" --json >"$TMP/b.json" || fail "second run"
cmp -s "$TMP/a.json" "$TMP/b.json" || fail "two runs with the default seed differ"
"$STEPMAP" simulate "$wb" >"$TMP/a.txt" || fail "simulate (text) exits $?"
"$STEPMAP" simulate "$wb" >"$TMP/b.txt" || fail "second text run"
cmp -s "$TMP/a.txt" "$TMP/b.txt" || fail "two text runs differ"
grep -q "whole case" "$TMP/a.txt" || fail "text output has no 'whole case' row"
"$STEPMAP" simulate "$wb" --json --seed 2 >"$TMP/c.json" || fail "--seed 2"
cmp -s "$TMP/a.json" "$TMP/c.json" && fail "seed 2 gives the same numbers as seed 1"

python3 - "$TMP/a.json" <<'EOF' || fail "simulate --json keys"
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("process", "scenario", "cases", "seed", "events", "measures", "case", "lanes"):
    assert k in r, "missing key " + k
# the defaults: 20 replications of 1 000 cases (more when the cases depend
# on each other; the demo's do not), the warm-up found from the data
assert r["scenario"] is None and r["cases"] == 1000 and r["replications"] == 20, r
assert r["seed"] == 1 and r["warmup_auto"] is True and r["warmup_cases"] >= 0, r
assert r["events"] > 10000
for m in r["measures"] + [r["case"]]:
    for k in ("mean_s", "p50_s", "p90_s", "ci95_s", "unreliable"):
        assert k in m, "measure without " + k
    assert m["unreliable"] is None, m       # the demo's intervals can be read
    lo, hi = m["ci95_s"]
    assert lo <= m["mean_s"] <= hi, m
    assert m["p50_s"] <= m["p90_s"], m
for m in r["measures"]:
    assert isinstance(m["name"], str)
for l in r["lanes"]:
    assert isinstance(l["name"], str) and "utilisation" in l
    u = l["utilisation"]
    assert u is None or 0 <= u <= 1, l
EOF

"$STEPMAP" simulate "$wb" --all --json --cases 2000 >"$TMP/all.json" || fail "--all exits $?"
nsc=$("$STEPMAP" scenario "$wb" list | wc -l)
python3 - "$TMP/all.json" "$nsc" <<'EOF' || fail "--all shape"
import json, sys
a = json.load(open(sys.argv[1]))
assert isinstance(a, list) and len(a) == 1 + int(sys.argv[2]), len(a)
assert a[0]["scenario"] is None
assert all(isinstance(x["scenario"], str) for x in a[1:])
assert all(x["cases"] == 2000 for x in a)
EOF

# --- the demo's redesign (once the demo carries its scenario) ---------------
if [ "$nsc" -ge 1 ]; then
	"$STEPMAP" simulate "$wb" --all --json >"$TMP/demo.json" || fail "--all on the demo"
	python3 - "$TMP/demo.json" <<'EOF' || fail "the demo's simulated figures"
import json, sys
a = json.load(open(sys.argv[1]))
def measure(run, word):
    ms = [m for m in run["measures"] if word in m["name"].lower()]
    assert ms, "no measure with '%s' in %s" % (word, run["scenario"])
    return ms[0]["mean_s"]
base, scen = a[0], a[1]
seen_b, seen_s = measure(base, "physician"), measure(scen, "physician")
admit_b, admit_s = measure(base, "admit"), measure(scen, "admit")
change = (admit_s - admit_b) / admit_b * 100
print("seen by physician %.1f -> %.1f min, time-to-admit %.1f -> %.1f min (%+.1f %%)"
      % (seen_b / 60, seen_s / 60, admit_b / 60, admit_s / 60, change))
assert abs(seen_b - 27 * 60) <= 0.10 * 27 * 60, "baseline %.1f min, not 27 +- 10 %%" % (seen_b / 60)
assert abs(seen_s - 3 * 60) <= 0.10 * 3 * 60, "scenario %.2f min, not 3 +- 10 %%" % (seen_s / 60)
assert abs(change - -14) <= 2, "time-to-admit %+.1f %%, not -14 +- 2 points" % change
EOF
else
	echo "note: the demo has no scenario yet; its figures are not checked"
fi

# --- managing scenarios --------------------------------------------------------
"$STEPMAP" scenario "$wb" new "Try it" || fail "scenario new"
"$STEPMAP" scenario "$wb" new "Try it" 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "a second 'Try it' exits $rc, not 1"
grep -q "already has a scenario 'Try it'" "$TMP/err" || fail "duplicate message: $(cat "$TMP/err")"
"$STEPMAP" scenario "$wb" cut "Try it" remove 3 >/dev/null || fail "cut remove"
"$STEPMAP" scenario "$wb" cut "Try it" merge 5 6 >/dev/null || fail "cut merge"
"$STEPMAP" scenario "$wb" cut "Try it" automate 10 0.1 0.5 >/dev/null || fail "cut automate"
"$STEPMAP" scenario "$wb" cut "Try it" move 12 1 >/dev/null || fail "cut move"
"$STEPMAP" scenario "$wb" cut "Try it" set 2 work 1m >/dev/null || fail "cut set"
"$STEPMAP" scenario "$wb" show "Try it" >"$TMP/show" || fail "scenario show"
grep -q "remove" "$TMP/show" && grep -q "step 3 " "$TMP/show" || fail "show: $(cat "$TMP/show")"
[ "$(grep -c '^ *[0-9]  ' "$TMP/show")" -eq 5 ] || fail "show lists $(cat "$TMP/show")"
"$STEPMAP" scenario "$wb" list | grep -q "^Try it	5 cuts" || fail "list: $("$STEPMAP" scenario "$wb" list)"
"$STEPMAP" simulate "$wb" -s "Try it" --cases 500 --json >"$TMP/t.json" || fail "simulate -s"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["scenario"]=="Try it"' \
	"$TMP/t.json" || fail "simulate -s names its scenario"
"$STEPMAP" scenario "$wb" uncut "Try it" 1 || fail "uncut"
"$STEPMAP" scenario "$wb" show "Try it" | grep -q "remove" && fail "uncut left the remove cut"
"$STEPMAP" scenario "$wb" copy "Try it" "Try again" || fail "copy"
"$STEPMAP" scenario "$wb" rename "Try again" "Third try" || fail "rename"
"$STEPMAP" scenario "$wb" list | grep -q "^Third try	4 cuts" || fail "copy kept the cuts"
"$STEPMAP" scenario "$wb" delete "Third try" || fail "delete"
"$STEPMAP" scenario "$wb" list | grep -q "Third try" && fail "delete left the scenario"

# bad cuts: clear messages, nothing written
"$STEPMAP" scenario "$wb" cut "Try it" remove 100000 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "a step out of range exits $rc"
grep -q "expected a step number from 1 to" "$TMP/err" || fail "range message: $(cat "$TMP/err")"
"$STEPMAP" scenario "$wb" cut "Try it" explode 3 2>"$TMP/err"; rc=$?
[ $rc -eq 2 ] || fail "an unknown cut kind exits $rc"
"$STEPMAP" scenario "$wb" cut "Try it" set 2 error_rate 1.5 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "a bad field value exits $rc"
grep -q "error_rate" "$TMP/err" || fail "bad value message: $(cat "$TMP/err")"
"$STEPMAP" scenario "$wb" cut "Try it" merge 5 9 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "merging steps that are not consecutive exits $rc"
"$STEPMAP" scenario "$wb" uncut "Try it" 99 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "uncut of a missing cut exits $rc"
"$STEPMAP" scenario "$wb" show "Nope" 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "show of a missing scenario exits $rc"
"$STEPMAP" scenario "$wb" list | grep -q "^Try it	4 cuts" || fail "a failed cut changed the scenario"

# --- simulate's errors ----------------------------------------------------------
"$STEPMAP" simulate "$TMP/none.stepmap" 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "a missing workbook exits $rc"
[ -e "$TMP/none.stepmap" ] && fail "simulate created a workbook"
echo "not a workbook" >"$TMP/junk.stepmap"
"$STEPMAP" simulate "$TMP/junk.stepmap" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "a file that is not a workbook exits $rc"
"$STEPMAP" simulate "$wb" --cases 0 2>"$TMP/err"; rc=$?
[ $rc -eq 2 ] || fail "--cases 0 exits $rc"
grep -q -- "--cases" "$TMP/err" || fail "--cases message: $(cat "$TMP/err")"
"$STEPMAP" simulate "$wb" --cases lots 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "--cases lots exits $rc"
"$STEPMAP" simulate "$wb" --seed -1 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "--seed -1 exits $rc"
"$STEPMAP" simulate "$wb" -s "Try it" --all 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "-s with --all exits $rc"
"$STEPMAP" simulate "$wb" -s "Nope" 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "an unknown scenario exits $rc"
grep -q "no scenario 'Nope'" "$TMP/err" || fail "scenario message: $(cat "$TMP/err")"
"$STEPMAP" simulate "$wb" -p "Nope" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "an unknown process exits $rc"
"$STEPMAP" simulate "$wb" --warmup soon 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "--warmup soon exits $rc"
# the duration rules of the form and CSV, with the same message
"$STEPMAP" simulate "$wb" --warmup 1h70m 2>"$TMP/warm.err"; rc=$?
[ $rc -eq 2 ] || fail "--warmup 1h70m exits $rc"
grep -q "write 2h10m (or 130m), got '1h70m'" "$TMP/warm.err" || fail "--warmup 1h70m: $(cat "$TMP/warm.err")"
"$STEPMAP" simulate "$wb" --bogus 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "an unknown option exits $rc"
"$STEPMAP" simulate "$wb" --cases 300 --replications 3 --warmup 1h --json >"$TMP/r.json" ||
	fail "replications and warm-up"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["replications"]==3 and r["warmup_s"]==3600 and r["warmup_auto"] is False and r["cases"]==300' \
	"$TMP/r.json" || fail "replications and warm-up in the JSON"

# --- an interval that cannot be trusted says so, with the reason ----------------
printf 'step,name,lane,stage,capacity,type,work,arrival\n1,Serve,Server,offstage,1,task,exp(105s),exp(100s)\n' >"$TMP/sat.csv"
"$STEPMAP" import "$TMP/sat.csv" -o "$TMP/sat.stepmap" >/dev/null || fail "import the saturated queue"
"$STEPMAP" simulate "$TMP/sat.stepmap" --cases 2000 >"$TMP/sat.txt" || fail "simulate a saturated lane"
grep -q "whole case.*unreliable" "$TMP/sat.txt" || fail "saturated: no 'unreliable' in $(cat "$TMP/sat.txt")"
grep -q "lane 'Server' is saturated" "$TMP/sat.txt" || fail "saturated: no reason in $(cat "$TMP/sat.txt")"
grep -qE '[0-9]s \.\. [0-9]' "$TMP/sat.txt" && fail "saturated: an interval printed as numbers"
"$STEPMAP" simulate "$TMP/sat.stepmap" --cases 2000 --json >"$TMP/sat.json" || fail "saturated --json"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["case"]; assert c["ci95_s"] is None and "saturated" in c["unreliable"], c' \
	"$TMP/sat.json" || fail "saturated: the JSON gives an interval or no reason"
# a queue near saturation: the defaults run as many cases as its correlation needs
printf 'step,name,lane,stage,capacity,type,work,arrival\n1,Serve,Server,offstage,1,task,exp(95s),exp(100s)\n' >"$TMP/mm1.csv"
"$STEPMAP" import "$TMP/mm1.csv" -o "$TMP/mm1.stepmap" >/dev/null || fail "import the M/M/1"
"$STEPMAP" simulate "$TMP/mm1.stepmap" --json >"$TMP/mm1.json" || fail "simulate the M/M/1"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); c=r["case"]; assert r["cases"] > 1000 and c["unreliable"] is None and c["ci95_s"][0] < c["mean_s"] < c["ci95_s"][1], r' \
	"$TMP/mm1.json" || fail "M/M/1 at rho 0.95: $(head -c 600 "$TMP/mm1.json")"
"$STEPMAP" simulate "$TMP/mm1.stepmap" --cases 1000 --replications 1 >"$TMP/short.txt" || fail "one short run"
grep -q "too short" "$TMP/short.txt" || fail "one short run: no 'too short' in $(cat "$TMP/short.txt")"
exit 0
