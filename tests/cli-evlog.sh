# cli-evlog.sh - event logs through the command line: an XES, a gzipped XES
# and a CSV event log import into workbooks whose report (text and --json)
# carries what the log says beside the map; the "log" block of --json has
# exactly the keys of the contract; --append keeps the log summary; a CSV
# of steps is still read as steps; bad logs exit 1 naming FILE:LINE and
# leave no workbook; usage errors exit 2.
set -u
fail() { echo "FAIL: $*"; exit 1; }
D="$TOP/tests/data/eventlogs"
cd "$TMP" || exit 3
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed"; exit 77; }

# --- a CSV event log with start and complete rows, named columns ------------
"$STEPMAP" import "$D/patients_bupar.csv" -o p.stepmap --case patient --activity handling \
	--timestamp time --resource employee --lifecycle registration_type --instance handling_id \
	--coverage 100 > imp.out 2> imp.err || fail "import patients: $(cat imp.err)"
grep -q "500 cases, 5442 events, 7 activities, 7 resources, 7 variants" imp.out ||
	fail "import summary: $(cat imp.out)"
grep -q "work and wait measured apart" imp.out || fail "no split said: $(cat imp.out)"
"$STEPMAP" report p.stepmap > rep.out || fail "report"
grep -q "event log: 500 cases, 5442 events, 7 activities" rep.out || fail "report: $(cat rep.out)"
grep -q "51.6 %    258 cases  Registration → Triage and Assessment → X-Ray" rep.out ||
	fail "top variant: $(cat rep.out)"
grep -q "measured (log)  expected (map)  simulated" rep.out || fail "durations: $(cat rep.out)"
"$STEPMAP" report p.stepmap --json > p.json || fail "report --json"
python3 - p.json <<'PY' || fail "the log block of report --json"
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
log = p["log"]
keys = ["cases", "events", "activities", "variants", "top_variant_cases", "dfg_edges",
        "events_on_map_pct", "case_duration_s", "simulated_case_duration_s", "cycle_time_emd_h"]
assert list(log) == keys, list(log)
for k in ("case_duration_s", "simulated_case_duration_s"):
    assert list(log[k]) == ["mean", "p50", "p90"], log[k]
assert log["cases"] == 500 and log["events"] == 5442 and log["variants"] == 7, log
assert log["top_variant_cases"] == 258 and log["dfg_edges"] == 7, log
assert log["events_on_map_pct"] == 100, log
# PM4Py: mean 160.231 h, median 146.052 h
assert abs(log["case_duration_s"]["mean"] / 3600 - 160.231) < 0.001, log
assert abs(log["case_duration_s"]["p50"] / 3600 - 146.052) < 0.001, log
sim = log["simulated_case_duration_s"]["mean"]
assert abs(sim - log["case_duration_s"]["mean"]) < 0.1 * log["case_duration_s"]["mean"], log
assert log["cycle_time_emd_h"] > 0, log
assert [m["name"] for m in p["measures"]] == ["case duration"], p["measures"]
PY

# --- activities overlapping in time are parallel work; one after the other a sequence
U="$D/ugly"
"$STEPMAP" import "$U/parallel.csv" -o par.stepmap > par.out 2> par.err ||
	fail "import parallel: $(cat par.err)"
grep -q "parallel work: 1 block of activities that overlap in time" par.out ||
	fail "no parallel block said: $(cat par.out)"
"$STEPMAP" import "$U/sequence.csv" -o seq.stepmap > seq.out 2> seq.err ||
	fail "import sequence: $(cat seq.err)"
grep -q "parallel work" seq.out && fail "a sequence said to be parallel: $(cat seq.out)"
"$STEPMAP" report par.stepmap --json > par.json || fail "report parallel"
"$STEPMAP" report seq.stepmap --json > seq.json || fail "report sequence"
python3 - par.json seq.json <<'PY' || fail "parallel and sequence logs"
import json, sys
par = json.load(open(sys.argv[1]))["processes"][0]
seq = json.load(open(sys.argv[2]))["processes"][0]
assert par["by_type"].get("parallel") == 2, par["by_type"]
assert "parallel" not in seq["by_type"], seq["by_type"]
for p in (par, seq):
    log = p["log"]
    obs, sim = log["case_duration_s"]["mean"], log["simulated_case_duration_s"]["mean"]
    assert abs(sim - obs) <= 0.1 * obs, log
# the overlap shortens the cases: the parallel log's are about 3 h 10 min,
# the same steps one after the other about 4 h 30 min
assert par["log"]["simulated_case_duration_s"]["mean"] < 0.8 * seq["log"]["case_duration_s"]["mean"]
PY

# --- XES and gzipped XES; --append keeps the summary ----------------------
"$STEPMAP" import "$D/running-example.xes" -o r.stepmap > /dev/null 2> r.err ||
	fail "import running-example: $(cat r.err)"
"$STEPMAP" import "$D/helpdesk.xes.gz" -o r.stepmap --append > h.out 2> h.err ||
	fail "append helpdesk: $(cat h.err)"
grep -q "process 'helpdesk'" h.out || fail "append summary: $(cat h.out)"
"$STEPMAP" report r.stepmap --json > r.json || fail "report r"
python3 - r.json <<'PY' || fail "logs of both processes"
import json, sys
ps = json.load(open(sys.argv[1]))["processes"]
assert [p["name"] for p in ps] == ["running-example", "helpdesk"], [p["name"] for p in ps]
assert ps[0]["log"]["cases"] == 6 and ps[1]["log"]["cases"] == 4580, ps
assert ps[1]["log"]["variants"] == 226 and ps[1]["log"]["top_variant_cases"] == 2366
PY
# the default coverage leaves out what it must say it leaves out
grep -q "left off the map by the coverage" h.err || fail "coverage not reported: $(cat h.err)"

# --- a CSV of steps is still steps; --log forces an event log -------------
printf 'step,name,work\n1,Register,5m\n2,Decide,10m\n' > steps.csv
"$STEPMAP" import steps.csv -o s.stepmap > s.out 2>&1 || fail "steps: $(cat s.out)"
grep -q "process 'steps': 2 steps" s.out || fail "steps read as: $(cat s.out)"
"$STEPMAP" import steps.csv --log -o s2.stepmap > s2.out 2>&1 && fail "--log on steps read"
grep -q "steps.csv:1: not an event log: no case column" s2.out || fail "--log: $(cat s2.out)"
[ ! -e s2.stepmap ] || fail "a workbook was written"

# --- bad logs: exit 1, FILE:LINE, nothing written -------------------------
for f in ugly/notime.xes ugly/bomb.xes ugly/truncated.xes ugly/truncated.xes.gz; do
	"$STEPMAP" import "$D/$f" -o bad.stepmap > bad.out 2>&1
	rc=$?
	[ $rc -eq 1 ] || fail "$f: exit $rc: $(cat bad.out)"
	grep -q "$f" bad.out || fail "$f: message names no file: $(cat bad.out)"
	[ ! -e bad.stepmap ] || fail "$f: a workbook was written"
done
"$STEPMAP" import "$D/ugly/na.csv" -o na.stepmap > na.out 2> na.err || fail "na: $(cat na.err)"
grep -q "na.csv:5: no time ('nan'): event left out" na.err || fail "nan: $(cat na.err)"
grep -q "4 events unreadable" na.out || fail "na summary: $(cat na.out)"

# --- usage --------------------------------------------------------------------
"$STEPMAP" import "$D/running-example.xes" -o u.stepmap --coverage 0 > /dev/null 2>&1
[ $? -eq 2 ] || fail "--coverage 0 accepted"
"$STEPMAP" import "$D/running-example.xes" -o u.stepmap --lane-by team > /dev/null 2>&1
[ $? -eq 2 ] || fail "--lane-by team accepted"
"$STEPMAP" import "$D/running-example.xes" -o u.stepmap --case > /dev/null 2>&1
[ $? -eq 2 ] || fail "--case without a name accepted"
[ ! -e u.stepmap ] || fail "a workbook was written on bad usage"
echo "ok"
