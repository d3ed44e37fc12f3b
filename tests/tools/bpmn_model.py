"""bpmn_model.py - what a BPMN file says, counted with python's own XML parser
(xml.etree), independently of stepmap's reader, for the round-trip tests in
tests/cli-bpmn-import.sh.

    python3 bpmn_model.py compare ORIGINAL.bpmn EXPORTED.bpmn

    python3 bpmn_model.py faithful ORIGINAL.bpmn EXPORTED.bpmn

(faithful) checks that EXPORTED, stepmap's export of ORIGINAL imported,
keeps every flow node of each imported process of ORIGINAL, by id, with its
element type, event definition and name byte for byte, every sequence flow
(id, ends, name and condition) and no other, every boundary event's attachment and
default flow; and that it has no more end events with outgoing flows or
start events with incoming ones than ORIGINAL. Processes with a subprocess
that has content are flattened by import, so they are left out. Prints the
differences; exit 1 when there are any.

(compare) compares, pool by pool, the steps (by name), the tasks (kind and name), the lanes (leaf lanes by
their path), the sequence flows (by the names of their ends), the flows' names
and every node's documentation of ORIGINAL with EXPORTED, a file stepmap wrote
after importing ORIGINAL. Nodes stepmap's export added for BPMN's sake carry
<stepmap:generated/>; the flows through them are followed to the nodes they
join, as the reader does. Only files without subprocesses or boundary events
are compared node by node and flow by flow (their flattening is the reader's
business, tested in tests/unit/test_bpmn_import.c); of the others, tasks,
lanes and documentation. Prints the differences; exit 1 when there are any.
"""
import collections
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
SM = "{https://stepmap.dev/schema/bpmn/1.0}"
TASKS = {"task", "userTask", "manualTask", "serviceTask", "scriptTask", "sendTask",
         "receiveTask", "businessRuleTask"}
NODES = TASKS | {"startEvent", "endEvent", "intermediateCatchEvent",
                 "intermediateThrowEvent", "exclusiveGateway", "parallelGateway",
                 "inclusiveGateway", "eventBasedGateway", "complexGateway",
                 "callActivity"}
# what a node with no name is called once imported (the step needs a name)
CONTAINERS = ("subProcess", "boundaryEvent", "transaction", "adHocSubProcess")
UNNAMED = {"startEvent": "Start", "endEvent": "End", "parallelGateway": "Parallel",
           "exclusiveGateway": "Decision", "inclusiveGateway": "Decision",
           "eventBasedGateway": "Decision", "complexGateway": "Decision"}


def local(tag):
    return tag.rsplit("}", 1)[-1]


def text(e):
    return " ".join("".join(e.itertext()).split())


def model(path):
    root = ET.parse(path).getroot()
    pools = {p.get("processRef"): p.get("name") for p in root.iter(NS + "participant")}
    out = {}
    for proc in root.iter(NS + "process"):
        flat = not any(proc.find(".//" + NS + k) is not None for k in CONTAINERS)
        nodes, generated = {}, set()
        for e in proc.iter():
            kind = local(e.tag)
            if kind not in NODES:
                continue
            name = " ".join((e.get("name") or "").split())
            key = name or UNNAMED.get(kind, e.get("id"))
            docs = [text(d) for d in e.findall(NS + "documentation") if text(d)]
            nodes[e.get("id")] = (kind, key, docs)
            if e.find("%sextensionElements/%sgenerated" % (NS, SM)) is not None:
                generated.add(e.get("id"))
        succ = collections.defaultdict(list)
        for f in proc.findall(NS + "sequenceFlow"):
            if f.get("sourceRef") in nodes and f.get("targetRef") in nodes:
                succ[f.get("sourceRef")].append((f.get("targetRef"), f.get("name")))
        flows, named = collections.Counter(), collections.Counter()

        def follow(src, tgt, name, seen):
            if tgt in generated and tgt not in seen:
                for t, n in succ[tgt]:
                    follow(src, t, name or n, seen | {tgt})
                return
            flows[(nodes[src][1], nodes[tgt][1])] += 1
            if name:
                named[(nodes[src][1], nodes[tgt][1], " ".join(name.split()))] += 1

        for src in nodes:
            if src not in generated:
                for tgt, name in succ[src]:
                    follow(src, tgt, name, set())

        def lane_paths(parent, prefix):
            for lane in parent.findall(NS + "lane"):
                path = prefix + [" ".join((lane.get("name") or lane.get("id")).split())]
                child = lane.find(NS + "childLaneSet")
                if child is not None and child.find(NS + "lane") is not None:
                    yield from lane_paths(child, path)
                elif any(r.text and r.text.strip() not in generated
                         for r in lane.findall(NS + "flowNodeRef")):
                    yield " / ".join(path)

        lanes = sorted(p for ls in proc.findall(NS + "laneSet") for p in lane_paths(ls, []))
        real = [n for i, n in nodes.items() if i not in generated]
        pool = pools.get(proc.get("id")) or proc.get("name") or proc.get("id")
        if real:
            out[pool] = {
                "tasks": sorted((k, n) for k, n, _ in real if k in TASKS),
                "nodes": sorted(n for _, n, _ in real),
                "lanes": lanes,
                "flows": flows,
                "named flows": named,
                "docs": {n: d for _, n, d in real if d},
                "flat": flat,
            }
    return out


def compare(a_path, b_path):
    a, b = model(a_path), model(b_path)
    bad = []
    if sorted(a) != sorted(b):
        bad.append("pools: %s against %s" % (sorted(a), sorted(b)))
    for pool in sorted(set(a) & set(b)):
        x, y = a[pool], b[pool]
        for k in ("nodes", "lanes", "flows") if x["flat"] else ("lanes",):
            if x[k] != y[k]:
                bad.append("%s: %s differ:\n  %s\n  %s" % (pool, k, x[k], y[k]))
        # a task stays the same kind of task (a message catch event may become
        # a receiveTask: the nodes above say it is still there)
        lost = collections.Counter(x["tasks"]) - collections.Counter(y["tasks"])
        if lost:
            bad.append("%s: tasks lost or changed: %s" % (pool, sorted(lost)))
        lost = x["named flows"] - y["named flows"]
        if lost and x["flat"]:
            bad.append("%s: flow names lost: %s" % (pool, dict(lost)))
        for name, docs in x["docs"].items():
            kept = " ".join(y["docs"].get(name, []))
            for d in docs:
                if d not in kept:
                    bad.append("%s: documentation of '%s' lost: %r" % (pool, name, d))
        if x["flat"]:
            print("%s: %d tasks, %d nodes, %d lanes, %d flows (%d named), %d documented"
                  % (pool, len(x["tasks"]), len(x["nodes"]), len(x["lanes"]),
                     sum(x["flows"].values()), sum(x["named flows"].values()),
                     len(x["docs"])))
        else:
            print("%s: %d tasks, %d lanes, %d documented (subprocesses or boundary events: "
                  "steps and flows not compared)" % (pool, len(x["tasks"]), len(x["lanes"]),
                                                       len(x["docs"])))
    for line in bad:
        print(line)
    return 1 if bad else 0


FLOW_NODES = NODES | {"subProcess", "transaction", "adHocSubProcess", "boundaryEvent"}


def graph(path):
    """Per process id: nodes {id: (kind, event definition, name)}, sequence
    flows {id: (source, target, name)}, attachments, defaults, and the
    counts of end events with outgoing and start events with incoming flows.
    Only direct children of the process (what import keeps as steps)."""
    root = ET.parse(path).getroot()
    out = {}
    for proc in root.iter(NS + "process"):
        nodes, flows, attach, dflt = {}, {}, {}, {}
        flattened = False
        for e in proc:
            kind = local(e.tag)
            if kind not in FLOW_NODES:
                continue
            if kind in CONTAINERS and any(local(c.tag) in FLOW_NODES for c in e):
                flattened = True
            defs = sorted(local(d.tag) for d in e if local(d.tag).endswith("EventDefinition"))
            nodes[e.get("id")] = (kind, defs[:1], e.get("name") or "")
            if kind == "boundaryEvent":
                attach[e.get("id")] = (e.get("attachedToRef"),
                                       e.get("cancelActivity") in ("false", "0"))
            if e.get("default"):
                dflt[e.get("id")] = e.get("default")
        for f in proc:
            if local(f.tag) == "sequenceFlow":
                c = f.find(NS + "conditionExpression")
                flows[f.get("id")] = (f.get("sourceRef"), f.get("targetRef"),
                                      f.get("name") or "",
                                      None if c is None else (c.text or "").strip())
        ends_out = sum(1 for s, t, n, c in flows.values()
                       if nodes.get(s, ("",))[0] == "endEvent")
        starts_in = sum(1 for s, t, n, c in flows.values()
                        if nodes.get(t, ("",))[0] == "startEvent")
        if nodes:
            out[proc.get("id")] = dict(nodes=nodes, flows=flows, attach=attach, dflt=dflt,
                                       flattened=flattened, ends_out=ends_out,
                                       starts_in=starts_in)
    return out


def faithful(a_path, b_path):
    a, b = graph(a_path), graph(b_path)
    bnodes, bflows, battach, bdflt = {}, {}, {}, {}
    for p in b.values():
        bnodes.update(p["nodes"])
        bflows.update(p["flows"])
        battach.update(p["attach"])
        bdflt.update(p["dflt"])
    bad, kept = [], 0
    ends_out = sum(p["ends_out"] for p in b.values())
    starts_in = sum(p["starts_in"] for p in b.values())
    if ends_out > sum(p["ends_out"] for p in a.values()):
        bad.append("%d end events with outgoing flows (the source has fewer)" % ends_out)
    if starts_in > sum(p["starts_in"] for p in a.values()):
        bad.append("%d start events with incoming flows (the source has fewer)" % starts_in)
    for pid, p in sorted(a.items()):
        if p["flattened"]:
            continue
        kept += 1
        for nid, node in sorted(p["nodes"].items()):
            if bnodes.get(nid) != node:
                bad.append("%s: node %s %r became %r" % (pid, nid, node, bnodes.get(nid)))
        for fid, fl in sorted(p["flows"].items()):
            if fl[0] not in p["nodes"] or fl[1] not in p["nodes"]:
                continue
            if bflows.get(fid) != fl:
                bad.append("%s: flow %s %r became %r" % (pid, fid, fl, bflows.get(fid)))
        mine = {fid for fid, (s, t, n, c) in bflows.items() if s in p["nodes"]}
        extra = mine - set(p["flows"])
        if extra:
            bad.append("%s: flows not in the source: %s" % (pid, sorted(extra)))
        for nid, at in sorted(p["attach"].items()):
            if at[0] in p["nodes"] and battach.get(nid) != at:
                bad.append("%s: boundary %s attached %r became %r" % (pid, nid, at,
                                                                      battach.get(nid)))
        for nid, d in sorted(p["dflt"].items()):
            if bdflt.get(nid) != d:
                bad.append("%s: default flow of %s %r became %r" % (pid, nid, d,
                                                                    bdflt.get(nid)))
    print("%s: %d processes compared, %d differences" % (a_path, kept, len(bad)))
    for line in bad:
        print("  " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("compare", "faithful"):
        sys.exit("usage: bpmn_model.py compare|faithful ORIGINAL.bpmn EXPORTED.bpmn")
    sys.exit((compare if sys.argv[1] == "compare" else faithful)(sys.argv[2], sys.argv[3]))
