"""bpmn_di.py - does an export keep the source's diagram (BPMN DI)? Counted
with python's own XML parser (xml.etree), independently of stepmap's reader
and writer, for tests/bpmn-faithful.sh (issue 11).

    python3 bpmn_di.py SOURCE.bpmn EXPORT.bpmn [SOURCE.bpmn EXPORT.bpmn...]

For every BPMNShape and BPMNEdge of SOURCE, by the id of the element it
shows (bpmnElement; a pool by its participant's name, as export makes its
own participant ids), EXPORT must have one with the same bounds (x, y,
width, height) and label bounds, or the same waypoints and label bounds,
compared as numbers, exactly. Shown elements that EXPORT does not have
(lanes that hold lanes, subprocesses import flattened, data objects,
annotations, groups...) are counted as not exported; a source xml.etree cannot read is skipped (said).
An edge whose flow has
other ends in EXPORT than in SOURCE (a flow import joined through a
flattened subprocess) is counted as re-routed, not as a difference.

Prints per file pair and in total: shapes and edges kept exactly, changed,
re-routed and not exported; exit 1 when any was changed.
"""
import sys
import xml.etree.ElementTree as ET

MODEL = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"
DI = "{http://www.omg.org/spec/DD/20100524/DI}"


def bounds(el):
    b = el.find(DC + "Bounds") if el is not None else None
    if b is None:
        return None
    return tuple(float(b.get(k, "nan")) for k in ("x", "y", "width", "height"))


def label(el):
    return bounds(el.find(BPMNDI + "BPMNLabel"))


def diagram(root):
    """shapes and edges by the element they show (the first of each)."""
    names = {p.get("id"): p.get("name") for p in root.iter(MODEL + "participant")}
    count = {}
    for n in names.values():
        count[n] = count.get(n, 0) + 1
    shapes, edges = {}, {}
    for s in root.iter(BPMNDI + "BPMNShape"):
        key = s.get("bpmnElement")
        if key in names:
            if count[names[key]] != 1:
                continue
            key = ("pool", names[key])
        shapes.setdefault(key, (bounds(s), label(s)))
    for e in root.iter(BPMNDI + "BPMNEdge"):
        pts = tuple((float(w.get("x")), float(w.get("y"))) for w in e.findall(DI + "waypoint"))
        edges.setdefault(e.get("bpmnElement"), (pts, label(e)))
    return shapes, edges


def ends(root):
    return {f.get("id"): (f.get("sourceRef"), f.get("targetRef"))
            for tag in ("sequenceFlow", "messageFlow")
            for f in root.iter(MODEL + tag)}


def compare(src, out, total, verbose=True):
    try:
        a = ET.parse(src).getroot()
    except ET.ParseError as e:   # xml.etree refuses what libxml2 warns about
        print("%s: skipped, xml.etree cannot read it: %s" % (src, e))
        total["files skipped"] = total.get("files skipped", 0) + 1
        return {}
    b = ET.parse(out).getroot()
    (sa, ea), (sb, eb) = diagram(a), diagram(b)
    na, nb = ends(a), ends(b)
    t = {"shapes kept": 0, "shapes changed": 0, "shapes not exported": 0,
         "edges kept": 0, "edges changed": 0, "edges re-routed": 0,
         "edges not exported": 0}
    for key, v in sa.items():
        if key not in sb:
            t["shapes not exported"] += 1
        elif sb[key] == v:
            t["shapes kept"] += 1
        else:
            t["shapes changed"] += 1
            if verbose:
                print("%s: shape of %s: %s, exported %s" % (src, key, v, sb[key]))
    for key, v in ea.items():
        if key not in eb:
            t["edges not exported"] += 1
        elif eb[key] == v:
            t["edges kept"] += 1
        elif na.get(key) != nb.get(key):
            t["edges re-routed"] += 1
        else:
            t["edges changed"] += 1
            if verbose:
                print("%s: edge of %s: %s, exported %s" % (src, key, v, eb[key]))
    for k, v in t.items():
        total[k] = total.get(k, 0) + v
    return t


def summary(t):
    return ", ".join("%d %s" % (v, k) for k, v in t.items())


def main(argv):
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    total = {}
    for i in range(0, len(argv), 2):
        t = compare(argv[i], argv[i + 1], total)
        if len(argv) == 2:
            print(summary(t))
    if len(argv) > 2:
        print("%d files: %s" % (len(argv) // 2, summary(total)))
    return 1 if total.get("shapes changed") or total.get("edges changed") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
