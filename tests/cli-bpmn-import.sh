# cli-bpmn-import.sh - BPMN in through the real binary: `stepmap check` on
# real and broken files; `stepmap import` of BPMN (.bpmn and .xml, -n, --append,
# --keep-subprocesses, warnings on stderr as FILE:LINE, nothing written when a
# file fails, --merge-pools); and the round trips:
#   - demo -> BPMN -> import -> report --json gives the same figures (every
#     key of the baseline: steps, hand-offs, touchpoints, manual steps, pain
#     points, lead/work/wait/value-added time, PCE, RTY, cost, the counts by
#     stage, type and lane, each measure's expected time), and the same steps
#     with every field, the same branches with labels, conditions and
#     probabilities (compared through the CSV export);
#   - the scenario's export (export -s) imports to the scenario's figures;
#   - BPMN -> import -> export -> import is stable: the second and third
#     imports export to the same BPMN, byte for byte, and the same CSV;
#   - vendor files (Camunda, Signavio) imported and exported keep their
#     tasks, lanes, flows, names and documentation, counted by python's
#     xml.etree in tests/tools/bpmn_model.py, independently of our reader.
set -u
fail() { echo "FAIL: $*"; exit 1; }
M=$TOP/tests/data/miwg
ref=$M/reference/A.3.0.bpmn

# check: a valid file, its counts and what it would not keep (file:line)
out=$("$STEPMAP" check "$ref") || fail "check $ref exits $?"
echo "$out" | grep -q "importable: 1 process, 0 lanes, 10 steps, 10 flows" ||
	fail "check counts: $out"
# boundary events are kept (issue 11): steps on their step, not warnings
echo "$out" | grep -q "2 boundary)" || fail "check does not count the boundary events: $out"
echo "$out" | grep -q "boundaryEvent" && fail "check still reports boundary events as lost: $out"
# the diagram is kept (issue 11): no warning that it is not
echo "$out" | grep -q "diagram" && fail "check still says the diagram is not kept: $out"
"$STEPMAP" check --keep-subprocesses "$M/reference/A.4.0.bpmn" | grep -q "kept as one step" ||
	fail "check --keep-subprocesses"

# check: broken and hostile files fail with the file named, exit 1
printf '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"><task id="t" name="&x;"/></process></definitions>\n' >"$TMP/xxe.bpmn"
"$STEPMAP" check "$TMP/xxe.bpmn" >"$TMP/out" 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "check of a DOCTYPE exits $rc, not 1"
grep -q "xxe.bpmn:2: a document type declaration" "$TMP/err" || fail "xxe message: $(cat "$TMP/err")"
grep -q root: "$TMP/out" "$TMP/err" && fail "/etc/passwd was read"
head -c 300 "$ref" >"$TMP/trunc.bpmn"
"$STEPMAP" check "$TMP/trunc.bpmn" 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "check of a truncated file exits $rc"
grep -q "trunc.bpmn:[0-9]*:" "$TMP/err" || fail "truncated message: $(cat "$TMP/err")"
"$STEPMAP" check "$TMP/missing.bpmn" 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "check of a missing file exits $rc"
grep -q "missing.bpmn: cannot open" "$TMP/err" || fail "missing message: $(cat "$TMP/err")"
"$STEPMAP" check 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "check without a file exits $rc, not 2"
# every file of the corpus: check never crashes; exit 0 or 1 with a message
for f in "$M"/*/*.bpmn; do
	"$STEPMAP" check "$f" >/dev/null 2>"$TMP/err"; rc=$?
	[ $rc -le 1 ] || fail "check $f exits $rc: $(cat "$TMP/err")"
	[ $rc -eq 0 ] || grep -q "$(basename "$f")" "$TMP/err" || fail "check $f: $(cat "$TMP/err")"
done

# one warning, one line: a name with a line break (C.7.0's 'Selected
# platforms') does not split its warning
c7=$M/reference/C.7.0.bpmn
"$STEPMAP" check "$c7" >"$TMP/c7" || fail "check C.7.0 exits $?"
grep -v "^$c7:" "$TMP/c7" | grep -v "^  process '" | grep -v "^not kept or repaired on import:" |
	grep -q . && fail "check prints a line that is not FILE:LINE: $(grep -v "^$c7" "$TMP/c7")"
grep -q "'Selected  platforms'" "$TMP/c7" || fail "C.7.0's data object not named"

# --- import: the command line ------------------------------------------------
"$STEPMAP" import "$ref" -o "$TMP/a3.stepmap" >"$TMP/out" 2>"$TMP/err" ||
	fail "import $ref exits $?: $(cat "$TMP/err")"
grep -q "a3.stepmap: process 'WFP-6-': 10 steps, 0 lanes, 10 flows" "$TMP/out" ||
	fail "import summary: $(cat "$TMP/out")"
"$STEPMAP" report "$TMP/a3.stepmap" | grep -q "steps 10" || fail "report of the imported A.3.0"
# warnings: on stderr, one a line, "FILE:LINE: what", the lines check lists
# (A.3.0 has none now that its diagram is kept; C.7.0 has some)
[ -s "$TMP/err" ] && fail "import of $ref warns: $(cat "$TMP/err")"
"$STEPMAP" import "$c7" -o "$TMP/c7.stepmap" >/dev/null 2>"$TMP/err" ||
	fail "import $c7 exits $?: $(cat "$TMP/err")"
grep -q "^$c7:[0-9]*: element 'resource' id=" "$TMP/err" ||
	fail "import warnings are not FILE:LINE: $(cat "$TMP/err")"
"$STEPMAP" check "$c7" | grep "^$c7:[0-9]" >"$TMP/check-warnings"
grep "^$c7:[0-9]" "$TMP/err" | diff "$TMP/check-warnings" - >/dev/null ||
	fail "import and check warn differently: $(grep "^$c7:[0-9]" "$TMP/err" | diff "$TMP/check-warnings" -)"
# .xml is BPMN too; -n names the one process
cp "$ref" "$TMP/a3.xml"
"$STEPMAP" import "$TMP/a3.xml" -n "Boundary events" -o "$TMP/x.stepmap" >"$TMP/out" 2>/dev/null ||
	fail "import of a .xml file"
grep -q "process 'Boundary events': 10 steps" "$TMP/out" || fail "-n: $(cat "$TMP/out")"
# -n with a file of several pools: refused, nothing written
pools=$M/signavio-19.9.0/signavio-19.9.0__C.2.0-export.bpmn
"$STEPMAP" import "$pools" -n One -o "$TMP/n.stepmap" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "-n with 4 pools exits $rc"
grep -q "C.2.0-export.bpmn: -n names one process, and the file holds 4" "$TMP/err" ||
	fail "-n with 4 pools: $(cat "$TMP/err")"
[ -e "$TMP/n.stepmap" ] && fail "a refused -n left a workbook"
# --keep-subprocesses: the counts check gives with the same flag
sub=$M/reference/C.2.0.bpmn
for flag in "" --keep-subprocesses; do
	rm -f "$TMP/k.stepmap"
	"$STEPMAP" import "$sub" $flag -o "$TMP/k.stepmap" >"$TMP/out" 2>/dev/null ||
		fail "import $flag $sub"
	got=$(sed -n "s/.*: \([0-9]*\) steps, [0-9]* lanes, \([0-9]*\) flows.*/\1 \2/p" "$TMP/out" |
	      awk '{ s += $1; f += $2 } END { if (NR) print s, f }')
	want=$("$STEPMAP" check $flag "$sub" |
	       sed -n "1s/.*lanes\{0,1\}, \([0-9]*\) steps\{0,1\}, \([0-9]*\) flows\{0,1\}.*/\1 \2/p")
	[ -n "$got" ] && [ "$got" = "$want" ] ||
		fail "import $flag: '$got' steps and flows, check says '$want'"
	eval "steps_${flag:+kept}=\${got%% *}"
done
[ "$steps_kept" -lt "$steps_" ] || fail "--keep-subprocesses kept $steps_kept steps, not fewer than $steps_"
# --merge-pools (import and check): the pools of a collaboration as one
# process, each message flow between two steps a flow (a hand-off); the
# counts without it, plus the message flows python finds in the file
collab=$M/camunda-eclipse-3.0.0/camunda-eclipse-3.0.0__C.1.0-roundtrip.bpmn
counts() { sed -n '1s/.*importable: \([0-9]*\) process.*, \([0-9]*\) steps\{0,1\}, \([0-9]*\) flows.*/\1 \2 \3/p'; }
set -- $("$STEPMAP" check "$collab" | counts)
[ $# -eq 3 ] && [ "$1" -eq 2 ] || fail "check of $collab: $*"
msgs=$(python3 - "$collab" <<'PY'
import sys, xml.etree.ElementTree as ET
NS = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
root = ET.parse(sys.argv[1]).getroot()
nodes = {e.get("id") for p in root.iter(NS + "process") for e in p
         if e.tag.endswith(("Task", "task", "Event", "Gateway"))}
print(sum(m.get("sourceRef") in nodes and m.get("targetRef") in nodes
          for m in root.iter(NS + "messageFlow")))
PY
)
[ "$msgs" -gt 0 ] || fail "no message flow between steps in $collab"
want="1 $2 $(( $3 + msgs ))"
got=$("$STEPMAP" check --merge-pools "$collab" | counts)
[ "$got" = "$want" ] || fail "check --merge-pools: '$got' processes, steps and flows, not '$want'"
rm -f "$TMP/m.stepmap"
"$STEPMAP" import --merge-pools "$collab" -o "$TMP/m.stepmap" >"$TMP/out" 2>/dev/null ||
	fail "import --merge-pools"
grep -q "process 'Team-Assistant + Process Engine - Invoice Receipt': $2 steps" "$TMP/out" ||
	fail "import --merge-pools: $(cat "$TMP/out")"
"$STEPMAP" report "$TMP/m.stepmap" --json | python3 -c '
import json, sys
p = json.load(sys.stdin)["processes"][0]
lanes = [l["name"] for l in p["by_lane"]]
assert p["handoffs"] > 0, p["handoffs"]
assert all(l.startswith(("Team-Assistant / ", "Process Engine - Invoice Receipt / ")) for l in lanes), lanes
' || fail "import --merge-pools: lanes or hand-offs"

# --append: the file's pools join an existing workbook
"$STEPMAP" import "$pools" --append -o "$TMP/a3.stepmap" >"$TMP/out" 2>/dev/null ||
	fail "import --append"
[ "$(grep -c "process '" "$TMP/out")" -eq 4 ] || fail "--append: $(cat "$TMP/out")"
"$STEPMAP" report "$TMP/a3.stepmap" --json |
	python3 -c 'import json,sys; n=len(json.load(sys.stdin)["processes"]); sys.exit(n != 5)' ||
	fail "--append did not give 5 processes"
# failures write nothing: a new workbook is not created, an old one unchanged
"$STEPMAP" import "$TMP/xxe.bpmn" -o "$TMP/bad.stepmap" 2>/dev/null && fail "import of a DOCTYPE succeeded"
[ -e "$TMP/bad.stepmap" ] && fail "a failed import left a workbook behind"
sum=$(cksum <"$TMP/a3.stepmap")
"$STEPMAP" import "$ref" "$TMP/trunc.bpmn" --append -o "$TMP/a3.stepmap" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] || fail "import --append of a truncated file exits $rc"
grep -q "^stepmap: .*trunc.bpmn:[0-9]*:" "$TMP/err" || fail "truncated: $(cat "$TMP/err")"
[ "$(cksum <"$TMP/a3.stepmap")" = "$sum" ] || fail "a failed --append changed the workbook"
ls -a "$TMP" | grep -q stepmap-import && fail "a failed import left its scratch folder"

# --- round trips ----------------------------------------------------------------
command -v python3 >/dev/null || { echo "no python3 to compare reports"; exit 77; }
cd "$TMP" || exit 3
"$STEPMAP" demo demo.stepmap || fail "demo"
"$STEPMAP" export demo.stepmap -f bpmn -o demo.bpmn || fail "export -f bpmn"
grep -q "<stepmap:generated/>" demo.bpmn || fail "the demo's export adds no node: nothing tested"

# demo -> BPMN -> import -> report: the same figures, 111 steps
"$STEPMAP" import demo.bpmn -o demo2.stepmap >out 2>err || fail "import of the demo's export: $(cat err)"
grep -q "process 'ED admission': 111 steps, 12 lanes" out || fail "demo import: $(cat out)"
# nothing of our own file is lost, so nothing is reported (not even the
# layout: export makes the same again)
[ -s err ] && fail "importing our own export warns: $(cat err)"
"$STEPMAP" report demo.stepmap --json >r1.json || fail "report demo"
"$STEPMAP" report demo2.stepmap --json >r2.json || fail "report re-imported demo"
python3 "$TOP/tests/tools/same_figures.py" r1.json r2.json || fail "the re-imported demo's figures differ"
# ... and the same steps and branches, through the CSV export (numbers
# differ: the import makes every flow explicit, so compare by name)
"$STEPMAP" export demo.stepmap -f csv --no-bom -o d1.csv || fail "csv export"
"$STEPMAP" export demo2.stepmap -f csv --no-bom -o d2.csv || fail "csv export of the import"
python3 - d1.csv d2.csv <<'EOF' || fail "the re-imported demo's steps or branches differ"
import csv, sys
def load(path):
    rows = [r for r in csv.DictReader(open(path, encoding="utf-8")) if r["name"]]
    names = {r["step"]: r["name"] for r in rows}
    def branches(r):   # "12@0.7 label {condition} | ..." -> by target name
        out = []
        for part in filter(None, (x.strip() for x in r["next"].split("|"))):
            num, _, rest = part.partition(" ")
            num, _, prob = num.partition("@")
            out.append((names[num], prob, rest))
        return sorted(out)
    return {r["name"]: (dict(r, step=None, next=None), branches(r)) for r in rows}
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = []
if len(a) != 111 or a.keys() != b.keys():
    bad.append("steps: %d and %d" % (len(a), len(b)))
for name in a.keys() & b.keys():
    (x, xb), (y, yb) = a[name], b[name]
    bad += ["%s: %s %r != %r" % (name, k, x[k], y[k]) for k in x if x[k] != y[k]]
    if xb and xb != yb:    # explicit branches: the same targets, labels, conditions
        bad.append("%s: branches %s != %s" % (name, xb, yb))
for line in bad:
    print(line)
sys.exit(1 if bad else 0)
EOF

# the scenario's derived process, exported as BPMN, imports to its figures
"$STEPMAP" export demo.stepmap -f bpmn -s 1 -o scen.bpmn || fail "export -s"
"$STEPMAP" import scen.bpmn -o scen.stepmap >out 2>err || fail "import of export -s: $(cat err)"
# (46 steps in the scenario; its parallel cut's split and join are written
# as parallel gateways marked <stepmap:step generated="yes"/>: they come back
# as the program's gateways, not as steps, and the figures are the scenario's
# key for key)
grep -q "process 'ED admission (Physician in triage, bedside registration)': 46 steps (and 2 generated gateways)" out ||
	fail "scenario import: $(cat out)"
[ "$(grep -c 'generated="yes"' scen.bpmn)" -eq 2 ] || fail "the split and join are not marked generated in scen.bpmn"
"$STEPMAP" report scen.stepmap --json >rs.json || fail "report of the scenario"
python3 "$TOP/tests/tools/same_figures.py" r1.json rs.json "Physician in triage, bedside registration" ||
	fail "the scenario's figures differ after export -s -> import"
python3 -c '
import json
b = json.load(open("rs.json"))["processes"][0]
assert b["steps"] == 46 and b["no_lane"] == 0 and "parallel" not in b["by_type"], b
' || fail "the scenario's import does not read 46 steps"
# and the mark survives another round: import -> export -> import
"$STEPMAP" export scen.stepmap -f bpmn -o scen2.bpmn || fail "export of the scenario's import"
[ "$(grep -c 'generated="yes"' scen2.bpmn)" -eq 2 ] || fail "the generated mark was not kept in the workbook"

# BPMN -> import -> export -> import is stable
"$STEPMAP" export demo2.stepmap -f bpmn -o demo2.bpmn || fail "second export"
"$STEPMAP" import demo2.bpmn -o demo3.stepmap >/dev/null 2>&1 || fail "second import"
"$STEPMAP" export demo3.stepmap -f bpmn -o demo3.bpmn || fail "third export"
cmp -s demo2.bpmn demo3.bpmn || fail "the second and third imports export differently: $(diff demo2.bpmn demo3.bpmn | head -20)"
"$STEPMAP" export demo3.stepmap -f csv --no-bom -o d3.csv || fail "csv export of demo3"
cmp -s d2.csv d3.csv || fail "the second and third imports differ: $(diff d2.csv d3.csv | head -20)"
"$STEPMAP" report demo3.stepmap --json >r3.json || fail "report demo3"
cmp -s r2.json r3.json || fail "import -> export -> import changed the report"

# vendor files, imported and exported: tasks, lanes, flows, names and notes kept
for v in camunda-eclipse-3.0.0/camunda-eclipse-3.0.0__C.1.0-roundtrip.bpmn \
         signavio-19.9.0/signavio-19.9.0__C.7.0-export.bpmn \
         signavio-19.9.0/signavio-19.9.0__C.9.0-export.bpmn \
         bpmnio-18.6.1/bpmnio-18.6.1__C.3.0-export.bpmn; do
	rm -f v1.stepmap v2.stepmap v3.stepmap
	"$STEPMAP" import "$M/$v" -o v1.stepmap >/dev/null 2>err || fail "import $v: $(cat err)"
	"$STEPMAP" export v1.stepmap -f bpmn -o v1.bpmn || fail "export of $v"
	python3 "$TOP/tests/tools/bpmn_model.py" compare "$M/$v" v1.bpmn >out ||
		fail "$v, imported and exported:$(echo; cat out)"
	cat out >>compared
	# and what check counts (steps, flows, lanes by process) is the same again
	"$STEPMAP" check "$M/$v" | grep "^  process" | sort >c1
	"$STEPMAP" check v1.bpmn | grep "^  process" | sort >c2
	diff c1 c2 >/dev/null || fail "$v: the export's counts differ: $(diff c1 c2)"
	# the second and third imports are the same (the first may order the
	# steps differently: ordering by flow starts from the file's order)
	"$STEPMAP" import v1.bpmn -o v2.stepmap >/dev/null 2>&1 || fail "import of $v's export"
	"$STEPMAP" export v2.stepmap -f bpmn -o v2.bpmn || fail "second export of $v"
	"$STEPMAP" import v2.bpmn -o v3.stepmap >/dev/null 2>&1 || fail "third import of $v"
	"$STEPMAP" export v3.stepmap -f bpmn -o v3.bpmn || fail "third export of $v"
	cmp -s v2.bpmn v3.bpmn || fail "$v: not stable through import -> export -> import"
done
# the comparisons above did compare something: flows node by node, lanes,
# documentation
grep -q "[1-9][0-9]* nodes, [1-9][0-9]* lanes, [1-9][0-9]* flows ([1-9][0-9]* named)" compared &&
grep -q "[1-9][0-9]* documented" compared || fail "too little compared: $(cat compared)"
exit 0
