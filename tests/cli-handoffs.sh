# cli-handoffs.sh - hand-offs as the figures count them: a flow between two
# lanes, neither the customer's; message flows too (BPMN's between pools,
# read with --merge-pools, which no case walks but which hand the work on).
# A clinic sends a sample to the lab and the lab sends the result back: two
# message flows, two hand-offs; the same file without them has none; the
# count survives export -> import.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMP" || exit 3
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed"; exit 77; }

cat > msg.bpmn <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://example.org/msg">
  <collaboration id="c">
    <participant id="P1" name="Clinic" processRef="clinic"/>
    <participant id="P2" name="Lab" processRef="lab"/>
    <messageFlow id="m1" name="sample" sourceRef="order" targetRef="receive"/>
    <messageFlow id="m2" name="result" sourceRef="report" targetRef="read"/>
  </collaboration>
  <process id="clinic" isExecutable="false">
    <laneSet id="ls1"><lane id="L1" name="Nurse"><flowNodeRef>s1</flowNodeRef><flowNodeRef>order</flowNodeRef><flowNodeRef>read</flowNodeRef><flowNodeRef>e1</flowNodeRef></lane></laneSet>
    <startEvent id="s1" name="Patient arrives"/>
    <task id="order" name="Send the sample"/>
    <task id="read" name="Read the result"/>
    <endEvent id="e1" name="Done"/>
    <sequenceFlow id="f1" sourceRef="s1" targetRef="order"/>
    <sequenceFlow id="f2" sourceRef="order" targetRef="read"/>
    <sequenceFlow id="f3" sourceRef="read" targetRef="e1"/>
  </process>
  <process id="lab" isExecutable="false">
    <laneSet id="ls2"><lane id="L2" name="Lab technician"><flowNodeRef>receive</flowNodeRef><flowNodeRef>report</flowNodeRef></lane></laneSet>
    <task id="receive" name="Receive the sample"/>
    <task id="report" name="Report the result"/>
    <sequenceFlow id="g1" sourceRef="receive" targetRef="report"/>
  </process>
</definitions>
EOF
grep -v '<messageFlow' msg.bpmn > nomsg.bpmn

handoffs() { # WORKBOOK: the first process's hand-offs from report --json
	"$STEPMAP" report "$1" --json > "$1.json" || fail "report $1"
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["processes"][0]["handoffs"])' "$1.json"
}

"$STEPMAP" import msg.bpmn --merge-pools -o m.stepmap > out 2> err || fail "import: $(cat err)"
grep -q "process 'Clinic + Lab': 6 steps, 2 lanes, 6 flows" out || fail "import: $(cat out)"
[ "$(handoffs m.stepmap)" = 2 ] || fail "two message flows between the lanes, hand-offs $(handoffs m.stepmap)"
"$STEPMAP" report m.stepmap | grep -q "hand-offs 2," || fail "report: $("$STEPMAP" report m.stepmap)"

"$STEPMAP" import nomsg.bpmn --merge-pools -o n.stepmap > /dev/null 2>&1 || fail "import without messages"
[ "$(handoffs n.stepmap)" = 0 ] || fail "no message flow, no sequence flow between lanes: hand-offs $(handoffs n.stepmap)"

# the message flows stay message flows through export -> import, and count
"$STEPMAP" export m.stepmap -f bpmn -o again.bpmn || fail "export"
[ "$(grep -c '<bpmn:messageFlow' again.bpmn)" -eq 2 ] || fail "export lost the message flows"
"$STEPMAP" import again.bpmn --merge-pools -o again.stepmap > /dev/null 2>&1 || fail "import of the export"
[ "$(handoffs again.stepmap)" = 2 ] || fail "after export -> import: hand-offs $(handoffs again.stepmap)"
exit 0
