#!/bin/sh
# interop.sh - stepmap's BPMN export read by bpmn.io's own tools, on the
# demo (`stepmap demo`, `stepmap export -f bpmn`) and on its redesign
# scenario (-s):
#   - valid against the OMG BPMN 2.0.2 XSD (xmllint, tests/data/xsd);
#   - read by bpmn-moddle (bpmn.io's parser) with no warning at all;
#   - bpmnlint's recommended rules: no error (warnings are printed); and on the
#     MIWG reference models and bpmn.io's exports of them, imported and exported,
#     no more errors than on the file imported, valid against the XSD, no
#     bpmn-moddle warning (issue 11);
#   - drawn by bpmn-js in headless Chromium (network blocked), every flow
#     node and flow of the file on the canvas; screenshots are left in
#     $INTEROP_SHOTS when set (else in $TMP, removed afterwards).
# The node packages come from tests/interop/package-lock.json: `npm ci` runs
# here when node_modules is missing. Exits 77 (skip) only when node_modules is
# missing and cannot be installed.
set -u
I=$TOP/tests/interop
fail() { echo "interop: $*" >&2; exit 1; }

if [ ! -d "$I/node_modules" ]; then
	command -v npm >/dev/null 2>&1 ||
		{ echo "skip: tests/interop/node_modules is missing and npm is not installed"; exit 77; }
	if ! (cd "$I" && npm ci --no-audit --no-fund --loglevel=error) >"$TMP/npm.log" 2>&1; then
		tail -n 5 "$TMP/npm.log"
		echo "skip: tests/interop/node_modules is missing and 'npm ci' failed (offline?)"
		exit 77
	fi
fi
command -v node >/dev/null 2>&1 || fail "node is not installed (apt-get install nodejs)"
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || fail "no Chromium at $chromium (apt-get install chromium, or set CHROMIUM)"

cd "$TMP" || exit 3
"$STEPMAP" demo demo.stepmap || fail "stepmap demo failed"
"$STEPMAP" export demo.stepmap -f bpmn -o demo.bpmn || fail "export -f bpmn failed"
"$STEPMAP" export demo.stepmap -f bpmn -s "Physician in triage, bedside registration" \
	-o scenario.bpmn || fail "export -f bpmn -s failed"
# by suffix, to standard output, and the same bytes each time
"$STEPMAP" export demo.stepmap -o again.bpmn || fail "export by the .bpmn suffix failed"
cmp -s demo.bpmn again.bpmn || fail "two exports of the same workbook differ"
"$STEPMAP" export demo.stepmap -f bpmn -o - | cmp -s - demo.bpmn ||
	fail "export to standard output differs from the file"
# a file that cannot be written: an error naming it, nothing left behind
if "$STEPMAP" export demo.stepmap -f bpmn -o nodir/x.bpmn 2>err; then
	fail "export into a missing folder succeeded"
fi
grep -q 'nodir/x.bpmn' err || fail "the error does not name the file: $(cat err)"
[ ! -e nodir ] || fail "a failed export left something behind"

grep -q 'name="ED admission (Physician in triage, bedside registration)"' scenario.bpmn ||
	fail "the scenario's pool is not named after it"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --nonet --noout --schema "$TOP/tests/data/xsd/BPMN20.xsd" demo.bpmn scenario.bpmn ||
		fail "not valid against the BPMN 2.0 XSD"
fi
node "$I/moddle.mjs" demo.bpmn scenario.bpmn || fail "bpmn-moddle warned"
node "$I/lint.mjs" demo.bpmn scenario.bpmn || fail "bpmnlint reported errors"
# issue 11: an imported file goes back with no more bpmnlint errors than it came
# with (the MIWG reference models and bpmn.io's exports of them)
: >lint-pairs
for f in "$TOP"/tests/data/miwg/reference/*.bpmn "$TOP"/tests/data/miwg/bpmnio-18.6.1/*-export.bpmn; do
	b=$(basename "$f" .bpmn)
	rm -f "$b.stepmap"
	"$STEPMAP" import "$f" -o "$b.stepmap" >/dev/null 2>&1 || continue
	"$STEPMAP" export "$b.stepmap" -f bpmn -o "$b.out.bpmn" || fail "export of $f"
	cp "$f" "$b.src.bpmn"
	echo "$b" >>lint-pairs
done
if command -v xmllint >/dev/null 2>&1; then
	xmllint --nonet --noout --schema "$TOP/tests/data/xsd/BPMN20.xsd" *.out.bpmn 2>xsd.err ||
		fail "exports of imported files not valid against the XSD: $(grep -v validates xsd.err | head -3)"
fi
node "$I/moddle.mjs" *.out.bpmn >/dev/null || fail "bpmn-moddle warned on an export of an imported file"
node "$I/lint.mjs" *.src.bpmn *.out.bpmn 2>/dev/null | grep 'bpmnlint recommended' >lint-counts
python3 - <<'PY' || fail "an export has more bpmnlint errors than its source (above)"
import re
n = {}
for line in open("lint-counts"):
    m = re.match(r"(.*)\.(src|out)\.bpmn: bpmnlint recommended: (\d+) errors", line)
    if m:
        n.setdefault(m.group(1), {})[m.group(2)] = int(m.group(3))
pairs = [l.strip() for l in open("lint-pairs")]
worse = [(b, n.get(b)) for b in pairs if n.get(b, {}).get("out", 99) > n.get(b, {}).get("src", -1)]
print("interop: bpmnlint on %d imported files: %d errors in the sources, %d in the exports"
      % (len(pairs), sum(n[b]["src"] for b in pairs), sum(n[b]["out"] for b in pairs)))
if worse or len(pairs) < 40:
    print("worse:", worse)
    raise SystemExit(1)
PY
shots=${INTEROP_SHOTS:-$TMP/shots}
CHROMIUM=$chromium node "$I/render.mjs" "$shots" demo.bpmn scenario.bpmn ||
	fail "bpmn-js did not draw every step"
[ -s "$shots/demo-overview.png" ] && [ -s "$shots/demo-01.png" ] || fail "no screenshot"
echo "interop: ok"
