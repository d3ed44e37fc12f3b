#!/bin/sh
# run-bpmn.sh - the BPMN import benchmark: a generated 100 000-task file
# (about 82 MB with lanes, flows and a full diagram) imported into a workbook,
# beside `xmllint --stream --noout` (the floor: libxml2 parsing the file and
# nothing else) and bpmn-moddle (the peer: bpmn.io's parser). Best of 3 runs;
# peak memory from /usr/bin/time -v (installed with `apt-get install time`
# when missing). Ratios, not bare numbers, are what to compare.
#
#   sh bench/run-bpmn.sh [TASKS]        (default 100000)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
n=${1:-100000}
work=${TMPDIR:-/tmp}/stepmap-bench-bpmn
mkdir -p "$work"
make -s -k build/bench/gen_bpmn build/bench/bench_bpmn_import >/dev/null 2>&1
[ -x build/bench/gen_bpmn ] && [ -x build/bench/bench_bpmn_import ] || { echo "run-bpmn: cannot build the benchmark"; exit 1; }
big=$work/big-$n.bpmn
[ -s "$big" ] || build/bench/gen_bpmn -n "$n" -o "$big" || exit 1
echo "file: $big ($(du -m "$big" | cut -f1) MB, $n tasks)"

if [ ! -x /usr/bin/time ]; then
	echo "installing time (for peak memory)"
	apt-get install -y -qq time >/dev/null 2>&1 || true
fi
# best(): the smallest of three wall times of a command, and its peak RSS.
best() {
	b= m=
	for i in 1 2 3; do
		/usr/bin/time -f '%e %M' -o "$work/t" "$@" >"$work/out" 2>&1 || { cat "$work/out"; return 1; }
		t=$(cut -d' ' -f1 "$work/t"); r=$(cut -d' ' -f2 "$work/t")
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; m=$r; fi
	done
	echo "$b $((m / 1024))"
}
command -v bc >/dev/null || apt-get install -y -qq bc >/dev/null 2>&1

set -- $(best xmllint --stream --noout "$big"); floor=$1; floor_mb=$2
echo "xmllint --stream (floor)      ${floor} s   ${floor_mb} MB"

set -- $(best build/bench/bench_bpmn_import --read-only "$big"); read_only=$1
echo "reader alone (null sink)      ${read_only} s   $2 MB   $(echo "scale=2; $read_only / $floor" | bc)x floor"
set -- $(best build/bench/bench_bpmn_import "$big" "$work/big.stepmap"); bench=$1; bench_mb=$2
echo "import into workbook          ${bench} s   ${bench_mb} MB   $(echo "scale=2; $bench / $floor" | bc)x floor"
sed 's/^/    /' "$work/out"

if [ -x ./stepmap ] && ./stepmap import --help 2>&1 | grep -q -- '-o'; then
	rm -f "$work/cli.stepmap"
	set -- $(best sh -c "rm -f '$work/cli.stepmap'; ./stepmap import '$big' -o '$work/cli.stepmap'")
	echo "stepmap import -o             $1 s   $2 MB   $(echo "scale=2; $1 / $floor" | bc)x floor"
fi

if [ -d bench/moddle/node_modules/bpmn-moddle ] ||
   (cd bench/moddle && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1); then
	/usr/bin/time -f '%e %M' -o "$work/t" node bench/moddle/read.mjs "$big" >"$work/out" 2>&1
	peer=$(cut -d' ' -f1 "$work/t"); peer_mb=$(( $(cut -d' ' -f2 "$work/t") / 1024 ))
	echo "bpmn-moddle (peer, 1 run)     ${peer} s   ${peer_mb} MB   ($(cat "$work/out"))"
	echo "import is $(echo "scale=1; $peer / $bench" | bc)x faster than bpmn-moddle," \
	     "the reader alone $(echo "scale=1; $peer / $read_only" | bc)x"
else
	echo "bpmn-moddle: not installed (npm ci in bench/moddle failed); peer skipped"
fi
