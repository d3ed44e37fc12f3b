"""same_figures.py - the figures of a report match another's.

    python3 same_figures.py A.json B.json [SCENARIO [KEY...]]

A.json and B.json are `stepmap report --json` outputs. Passes (exit 0) when
B's first process has the figures of A's first process, or of A's scenario
named SCENARIO: every key but the name and what only a workbook or a
scenario has (steps, hand-offs, touchpoints, manual steps, pain points,
lead/work/wait/value-added time, PCE, RTY, cost, the counts by stage, type
and lane, each measure with its ends and expected time). Numbers compare to
1e-9 of their size: the JSON prints 17 digits, and a sum may be added up in
another order. KEYs after SCENARIO are not compared. Prints what differs;
exit 1 then.
"""
import json
import sys

SKIP = {"name", "scenarios", "cuts", "stale_cuts"}
NEED = ["steps", "handoffs", "touchpoints", "manual_steps", "pain_points", "lead_time_s",
        "work_time_s", "wait_time_s", "pce", "rty", "cost", "by_stage", "by_type", "by_lane",
        "measures"]


def same(x, y):
    if isinstance(x, float) or isinstance(y, float):
        return (isinstance(x, (int, float)) and isinstance(y, (int, float))
                and abs(x - y) <= 1e-9 * max(1.0, abs(x)))
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(same(x[k], y[k]) for k in x)
    if isinstance(x, list):
        return isinstance(y, list) and len(x) == len(y) and all(map(same, x, y))
    return x == y


def main(argv):
    a = json.load(open(argv[1], encoding="utf-8"))["processes"][0]
    b = json.load(open(argv[2], encoding="utf-8"))["processes"][0]
    if len(argv) > 3:
        a = [s for s in a["scenarios"] if s["name"] == argv[3]][0]
    skip = SKIP | set(argv[4:])
    bad = [k for k in a if k not in skip and not same(a[k], b.get(k))]
    for k in bad:
        print("%s: %r != %r" % (k, a[k], b.get(k)))
    missing = [k for k in NEED if k not in a]
    if missing:
        print("report lacks " + ", ".join(missing))
    if not a.get("measures") or any("expected_s" not in m for m in a["measures"]):
        print("no measure to compare")
        bad.append("measures")
    return 1 if bad or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
