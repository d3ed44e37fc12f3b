# cli-time-unit.sh - a process's time unit through the command line: read
# from a CSV's time_unit column; report's text and simulate's in it, report
# --unit overriding it; report --json's "time_unit"; kept by CSV and BPMN
# export and import (and by the workbook), by the JSON export and the
# readout; a CSV without the column (written before it) reads as auto; a bad
# unit is a clear error: report --unit parsec exits 2, a CSV cell 'parsec'
# exits 1 naming FILE:LINE and the column, and leaves no workbook.
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed"; exit 77; }
cd "$TMP" || exit 3

# six steps, 36 minutes of work in all; the unit given on the second row
cat > claim.csv <<'CSV'
step,name,lane,stage,work,arrival,time_unit
1,Report the claim,Customer,customer,,6/h,
2,Check the policy,Handler,offstage,15m,,h
3,Approve,Handler,offstage,5m,,
4,Reject,Handler,offstage,5m,,
5,Pay,Finance,support,10m,,
6,Close,Handler,offstage,1m,,
CSV
"$STEPMAP" import claim.csv -o w.stepmap >/dev/null 2>err || fail "import: $(cat err)"

# report: text in hours, JSON in seconds with the unit named
"$STEPMAP" report w.stepmap > r.txt 2>err || fail "report: $(cat err)"
grep -q "lead time 0.6h (work 0.6h, wait 0h)" r.txt || fail "report not in hours: $(cat r.txt)"
"$STEPMAP" report w.stepmap --json > r.json || fail "report --json"
python3 - r.json h <<'EOF' || fail "report --json: time_unit (above)"
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
assert p["time_unit"] == sys.argv[2], p["time_unit"]
assert p["lead_time_s"] == 2160, p["lead_time_s"]
EOF

# --unit overrides every process's unit, text and JSON; the workbook keeps its
for u in "min 36m" "s 2160s" "d 0.025d" "auto 36m" "m 36m"; do
	set -- $u
	"$STEPMAP" report w.stepmap --unit "$1" > u.txt 2>err || fail "report --unit $1: $(cat err)"
	grep -q "lead time $2 " u.txt || fail "report --unit $1: not $2: $(cat u.txt)"
done
"$STEPMAP" report w.stepmap --unit min --json > u.json || fail "report --unit min --json"
python3 - u.json min <<'EOF' || fail "report --unit min --json (above)"
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
assert p["time_unit"] == sys.argv[2], p["time_unit"]
EOF
"$STEPMAP" report w.stepmap --json | cmp -s - r.json || fail "--unit changed the workbook"

# bad units: usage errors, exit 2, said plainly
"$STEPMAP" report w.stepmap --unit parsec > out 2> err
rc=$?
[ $rc -eq 2 ] || fail "report --unit parsec exits $rc, not 2"
[ ! -s out ] || fail "report --unit parsec printed: $(cat out)"
grep -q "unit: expected auto, s, min, h or d, got 'parsec'" err ||
	fail "report --unit parsec says: $(cat err)"
"$STEPMAP" report w.stepmap --unit > out 2> err
rc=$?
[ $rc -eq 2 ] || fail "report --unit (no value) exits $rc, not 2"
grep -q "needs a unit" err || fail "report --unit (no value) says: $(cat err)"

# CSV: the last column, on the first step row; back through import
"$STEPMAP" export w.stepmap -f csv -o back.csv || fail "export -f csv"
head -n 1 back.csv | tr -d '\r' | grep -q ',arrival,time_unit$' ||
	fail "CSV header: $(head -n 1 back.csv)"
python3 - back.csv <<'EOF' || fail "CSV cells (above)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
steps = [r for r in rows if r["step"]]
assert steps[0]["time_unit"] == "h", steps[0]
assert all(r["time_unit"] == "" for r in rows if r is not steps[0]), rows
EOF
"$STEPMAP" import back.csv -o back.stepmap >/dev/null || fail "import of the export"
"$STEPMAP" report back.stepmap --json > b.json || fail "report of the CSV import"
python3 - b.json h <<'EOF' || fail "CSV round trip lost the unit (above)"
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
assert p["time_unit"] == sys.argv[2], p["time_unit"]
EOF

# a CSV written before the column: auto
cut -d, -f1-6 claim.csv > old.csv
"$STEPMAP" import old.csv -o old.stepmap >/dev/null 2>err || fail "old CSV: $(cat err)"
[ ! -s err ] || fail "old CSV warned: $(cat err)"
"$STEPMAP" report old.stepmap --json > o.json || fail "report of the old CSV"
python3 - o.json auto <<'EOF' || fail "old CSV's unit (above)"
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
assert p["time_unit"] == sys.argv[2], p["time_unit"]
EOF
"$STEPMAP" report old.stepmap | grep -q "lead time 36m " || fail "auto report"

# a bad cell: file, line and column named, exit 1, no workbook
sed 's/,,h$/,,parsec/' claim.csv > bad.csv
"$STEPMAP" import bad.csv -o bad.stepmap > out 2> err
rc=$?
[ $rc -eq 1 ] || fail "import of a bad unit exits $rc, not 1"
grep -q "bad.csv:3: column 'time_unit': expected auto, s, min, h or d, got 'parsec'" err ||
	fail "bad unit in CSV says: $(cat err)"
[ ! -e bad.stepmap ] || fail "a workbook was left behind"

# BPMN: stepmap's extension keeps it, and reads it back
"$STEPMAP" export w.stepmap -f bpmn -o w.bpmn || fail "export -f bpmn"
python3 - w.bpmn <<'EOF' || fail "BPMN extension (above)"
import sys, xml.etree.ElementTree as ET
SM = "{https://stepmap.org/ns/bpmn}"
found = [e for e in ET.parse(sys.argv[1]).iter() if e.tag.endswith("}process") and
         e.get("time_unit") is not None]
assert len(found) == 1, found
assert found[0].get("time_unit") == "h" and found[0].get("arrival") == "exp(10m)", found[0].attrib
EOF
"$STEPMAP" import w.bpmn -o bp.stepmap >/dev/null 2>err || fail "import of the BPMN: $(cat err)"
"$STEPMAP" report bp.stepmap --json > p.json || fail "report of the BPMN import"
python3 - p.json h <<'EOF' || fail "BPMN round trip lost the unit (above)"
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
assert p["time_unit"] == sys.argv[2], p["time_unit"]
EOF
# auto is not written at all (a file from before reads the same)
"$STEPMAP" export old.stepmap -f bpmn -o old.bpmn || fail "export -f bpmn (auto)"
! grep -q "time_unit" old.bpmn || fail "auto written into BPMN"

# simulate's text in the unit too
"$STEPMAP" simulate w.stepmap --cases 100 > sim.txt 2>err || fail "simulate: $(cat err)"
grep -Eq "whole case +0\.6h +0\.6h +0\.6h" sim.txt || fail "simulate not in hours: $(cat sim.txt)"

# the JSON export and the readout
"$STEPMAP" export w.stepmap -f json -o w.json || fail "export -f json"
python3 - w.json h <<'EOF' || fail "export -f json (above)"
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
assert p["time_unit"] == sys.argv[2], p["time_unit"]
EOF
"$STEPMAP" export w.stepmap -f md --cases 200 -o r.md >/dev/null 2>err ||
	fail "export -f md: $(cat err)"
grep -q "0.6h" r.md || fail "the readout is not in hours"
exit 0
