# bpmn-faithful.sh - BPMN goes back where it came from (issue 11), through the
# Not a cli-*.sh script: it reads all 142 MIWG files twice over, which under
# the sanitizers took 45 s of make test; the reader runs sanitized through
# test_bpmn_* and the fuzz corpora.
# real binary, counted independently by python's xml.etree (tests/tools/bpmn_model.py):
#   - every file of tests/data/miwg that imports: import -> export keeps every flow
#     node (by id) with its element type, event definition and name byte for byte,
#     every sequence flow and no other, boundary attachments and default flows, and
#     adds no end event with an outgoing flow nor start event with an incoming one;
#     import -> export -> import -> export gives the same file; the diagram (BPMN
#     DI) kept: every shape's bounds and every edge's waypoints as in the source,
#     counted by tests/tools/bpmn_di.py;
#   - one minimal file per problem of the issue (tests/data/bpmn11): no invented
#     flow (a step without a way out is an end), events and gateways kept, nothing
#     invented (no '50 %' name, no gateway name, no id as a name), '&' and line
#     breaks kept, lanes of one name kept apart, a message flow inside one pool
#     kept, an unused empty namespace declaration read; --merge-pools keeps
#     message flows as message flows.
set -u
fail() { echo "FAIL: $*"; exit 1; }
M=$TOP/tests/data/miwg
D=$TOP/tests/data/bpmn11
PY=$TOP/tests/tools/bpmn_model.py
cd "$TMP" || exit 3

roundtrip() {  # FILE NAME [import options]: NAME.bpmn is FILE imported and exported
	rt_f=$1 rt_n=$2
	shift 2
	rm -f "$rt_n.stepmap"
	"$STEPMAP" import "$rt_f" -o "$rt_n.stepmap" "$@" >/dev/null 2>"$rt_n.err" || return 1
	"$STEPMAP" export "$rt_n.stepmap" -f bpmn -o "$rt_n.bpmn" || fail "export of $rt_f"
}

# --- the corpus -----------------------------------------------------------------
n=0
: >pairs
for f in "$M"/*/*.bpmn; do
	n=$((n + 1))
	roundtrip "$f" "c$n" || continue
	echo "$f c$n.bpmn" >>pairs
	roundtrip "c$n.bpmn" "r$n" || fail "our own export of $f does not import"
	cmp -s "c$n.bpmn" "r$n.bpmn" ||
		fail "$f: import -> export -> import -> export differs: $(diff "c$n.bpmn" "r$n.bpmn" | head -5)"
done
# the diagram: every shape's bounds and every edge's waypoints exported are
# the source's, exactly (tests/tools/bpmn_di.py; it prints the totals)
# shellcheck disable=SC2046
python3 "$TOP/tests/tools/bpmn_di.py" $(cat pairs) >di.out || fail "diagram not kept: $(cat di.out)"
tail -1 di.out
grep -q "^[0-9]* files: [1-9][0-9][0-9][0-9]* shapes kept, 0 shapes changed, .* [1-9][0-9][0-9][0-9]* edges kept, 0 edges changed" di.out ||
	fail "diagram: $(tail -1 di.out)"
python3 - "$PY" <<'PY' || fail "import -> export is not faithful (above)"
import importlib.util, sys, io, contextlib
spec = importlib.util.spec_from_file_location("bm", sys.argv[1])
bm = importlib.util.module_from_spec(spec); spec.loader.exec_module(bm)
bad = files = 0
for line in open("pairs"):
    a, b = line.split()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        r = bm.faithful(a, b)
    files += 1
    if r:
        bad += 1
        print(out.getvalue())
print("faithful: %d of %d imported files" % (files - bad, files))
sys.exit(1 if bad or files < 100 else 0)
PY

# --- 1: no invented flows ----------------------------------------------------------
roundtrip "$D/flows.bpmn" flows || fail "import flows.bpmn: $(cat flows.err)"
python3 "$PY" faithful "$D/flows.bpmn" flows.bpmn >out || fail "flows.bpmn: $(cat out)"
grep -q 'sourceRef="t1"' flows.bpmn && fail "a flow was invented out of 'Collect debt'"
[ "$(grep -c '<bpmn:sequenceFlow' flows.bpmn)" -eq 4 ] || fail "flows.bpmn: not 4 flows"
# the map knows it: nothing follows "Collect debt" (an end), in the CSV export too
"$STEPMAP" export flows.stepmap -f csv -o flows.csv || fail "csv export"
"$STEPMAP" report flows.stepmap >report || fail "report of flows.stepmap"

# --- 2: events and gateways kept ---------------------------------------------------------
roundtrip "$D/events.bpmn" events || fail "import events.bpmn: $(cat events.err)"
python3 "$PY" faithful "$D/events.bpmn" events.bpmn >out || fail "events.bpmn: $(cat out)"
grep -q 'calledElement="CreditCheck"' events.bpmn || fail "calledElement lost"
grep -q 'attachedToRef="ca" cancelActivity="false"' events.bpmn || fail "boundary event lost"
grep -q '<bpmn:inclusiveGateway id="ig"[^>]* default="fd"' events.bpmn || fail "default flow lost"
[ -s events.err ] && fail "events.bpmn: warnings: $(cat events.err)"
"$STEPMAP" check "$D/events.bpmn" | grep -q "1 eventgateway" || fail "check does not count kinds"

# --- 3 to 5: nothing invented, text exact, lanes by identity, message flows --------------
roundtrip "$D/text.bpmn" text || fail "import text.bpmn: $(cat text.err)"
python3 "$PY" faithful "$D/text.bpmn" text.bpmn >out || fail "text.bpmn: $(cat out)"
python3 - "$D/text.bpmn" text.bpmn <<'PY' || fail "text.bpmn: not kept exactly"
import sys, xml.etree.ElementTree as ET
NS = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
src, out = (ET.parse(p).getroot() for p in sys.argv[1:3])
def names(root):
    return {e.get("id"): e.get("name") for e in root.iter()
            if e.get("id") and not e.tag.startswith("{http://www.omg.org/spec/BPMN/20100524/DI")
            and e.tag.startswith(NS) and e.get("name") is not None}
a, b = names(src), names(out)
bad = [(i, a.get(i), b.get(i)) for i in set(a) | set(b)
       if i in ("t1", "t2", "t3", "t4", "g", "f3", "f4", "l1", "l2", "l3", "m1", "e", "s")
       and a.get(i) != b.get(i)]
assert not bad, bad
assert b["t1"] == "Send A & B" and b["t2"] == "Two\nlines" and b["t4"] == "&#38; stays", b
assert [l.get("name") for l in out.iter(NS + "lane")] == ["Clerk", "Clerk", "R&D"]
assert [p.get("name") for p in out.iter(NS + "participant")] == ["P&L team"]
m = list(out.iter(NS + "messageFlow"))
assert [(x.get("id"), x.get("name"), x.get("sourceRef"), x.get("targetRef")) for x in m] == \
    [("m1", "invoice & note", "t1", "t3")], m
assert not any("%" in (e.get("name") or "") for e in out.iter())
PY
grep -q '&#38;#38;\|&amp;#38;#38;' text.bpmn && fail "'&' escaped twice"
roundtrip text.bpmn text2 || fail "our export of text.bpmn does not import"
cmp -s text.bpmn text2.bpmn || fail "text.bpmn: second round trip differs"

# --- 6: an unused, empty namespace declaration is read --------------------------------
"$STEPMAP" import "$D/ns.bpmn" -o ns.stepmap >/dev/null 2>ns.err || fail "ns.bpmn refused: $(cat ns.err)"
grep -q "ns.bpmn:3: XML warning: xmlns:ext" ns.err || fail "ns.bpmn: no warning: $(cat ns.err)"

# --- --merge-pools: message flows stay message flows ------------------------------------
c2=$M/reference/C.2.0.bpmn
roundtrip "$c2" merged --merge-pools || fail "import --merge-pools $c2: $(cat merged.err)"
python3 - "$c2" merged.bpmn <<'PY' || fail "--merge-pools: message flows not kept"
import sys, xml.etree.ElementTree as ET
NS = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
src, out = (ET.parse(p).getroot() for p in sys.argv[1:3])
nodes = {e.get("id") for p in src.iter(NS + "process") for e in p.iter() if e.get("id")}
want = {m.get("id") for m in src.iter(NS + "messageFlow")
        if m.get("sourceRef") in nodes and m.get("targetRef") in nodes}
got = {m.get("id") for m in out.iter(NS + "messageFlow")}
assert want and want == got, (want, got)
seq = {f.get("id") for f in out.iter(NS + "sequenceFlow")}
assert not (want & seq), want & seq
starts = {e.get("id") for e in out.iter(NS + "startEvent")}
assert not [f for f in out.iter(NS + "sequenceFlow") if f.get("targetRef") in starts]
assert not any("%" in (e.get("name") or "") for e in out.iter())
PY
echo "bpmn-faithful: ok"
