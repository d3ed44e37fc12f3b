#!/bin/sh
# run-bpmn-export.sh - the BPMN export benchmark: a generated process of
# STEPS steps (default 100 000; lanes, branches, distributions, notes)
# exported as BPMN with its diagram and BPSim, in MB/s, into a sink that
# drops the bytes and into a file; beside the peer, bpmn-moddle's toXML
# (bpmn.io's serializer) writing the same document after reading it, on a
# smaller process (reading 140 MB into bpmn-moddle takes minutes and
# gigabytes). Target: at least 100 MB/s.
#
#   sh bench/run-bpmn-export.sh [STEPS]
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
n=${1:-100000}
work=${TMPDIR:-/tmp}/stepmap-bench-bpmn-export
mkdir -p "$work"
make -s -k build/bench/bench_bpmn_export >/dev/null 2>&1
[ -x build/bench/bench_bpmn_export ] || { echo "run-bpmn-export: cannot build the benchmark"; exit 1; }

echo "stepmap, $n steps, bytes dropped:"
build/bench/bench_bpmn_export -n "$n" | sed 's/^/    /'
echo "stepmap, $n steps, into $work/export.bpmn:"
build/bench/bench_bpmn_export -n "$n" -o "$work/export.bpmn" | sed 's/^/    /'
if command -v xmllint >/dev/null 2>&1; then
	xmllint --nonet --noout --schema tests/data/xsd/BPMN20.xsd "$work/export.bpmn" 2>&1 |
		tail -n 1 | sed 's/^/    /'
fi

m=$((n / 5))
[ "$m" -ge 1000 ] || m=1000
if [ ! -d tests/interop/node_modules/bpmn-moddle ]; then
	(cd tests/interop && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1)
fi
if command -v node >/dev/null 2>&1 && [ -d tests/interop/node_modules/bpmn-moddle ]; then
	line=$(build/bench/bench_bpmn_export -n "$m" -o "$work/peer.bpmn" | tail -n 1)
	ours=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) MB\/s.*/\1/p')
	set -- $(node bench/bpmn_export_peer.mjs "$work/peer.bpmn")
	peer=$(echo "scale=1; $2 / 1000000 / $1" | bc)
	echo "at $m steps: stepmap $ours MB/s, bpmn-moddle toXML $peer MB/s ($1 s for $(($2 / 1000000)) MB):" \
	     "$(echo "scale=1; $ours / $peer" | bc)x"
else
	echo "bpmn-moddle: not installed (npm ci in tests/interop failed); peer skipped"
fi
