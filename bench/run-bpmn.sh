#!/bin/sh
# run-bpmn.sh - the BPMN import benchmark: a generated 100 000-task file
# (about 82 MB with lanes, flows and a full diagram) imported into a workbook,
# beside `xmllint --stream --noout` (the floor: libxml2 parsing the file and
# nothing else) and bpmn-moddle (the peer: bpmn.io's parser). Best of 5 runs
# (the peer: one); peak memory from /usr/bin/time (installed with
# `apt-get install time` when missing). Ratios, not bare numbers, are what to
# compare: each is given on the wall clock and on processor time (user +
# system), which a machine shared with other work disturbs less.
#
#   sh bench/run-bpmn.sh [TASKS]        (default 100000)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
n=${1:-100000}
work=${TMPDIR:-/tmp}/stepmap-bench-bpmn
mkdir -p "$work"
make -s -k stepmap build/bench/gen_bpmn build/bench/bench_bpmn_import >/dev/null 2>&1
[ -x build/bench/gen_bpmn ] && [ -x build/bench/bench_bpmn_import ] || { echo "run-bpmn: cannot build the benchmark"; exit 1; }
big=$work/big-$n.bpmn
[ -s "$big" ] || build/bench/gen_bpmn -n "$n" -o "$big" || exit 1
echo "file: $big ($(du -m "$big" | cut -f1) MB, $n tasks)"

if [ ! -x /usr/bin/time ]; then
	echo "installing time (for peak memory)"
	apt-get install -y -qq time >/dev/null 2>&1 || true
fi
command -v bc >/dev/null || apt-get install -y -qq bc >/dev/null 2>&1

# The four runs are timed in turn, five rounds, so that a slow spell of the
# machine falls on all of them alike; for each, the smallest wall time (and
# the peak memory of that run) and the smallest processor time.
# run NAME CMD...: one timed run, appended to $work/NAME.times as "wall cpu KB".
run() {
	name=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$work/t" "$@" >"$work/$name.out" 2>&1 ||
		{ cat "$work/$name.out"; exit 1; }
	read -r w u s m <"$work/t"
	echo "$w $(echo "$u + $s" | bc) $m" >>"$work/$name.times"
}
# best NAME: "wall cpu MB" from NAME.times.
best() {
	echo "$(sort -n "$work/$1.times" | head -n 1 | cut -d' ' -f1)" \
	     "$(sort -n -k2 "$work/$1.times" | head -n 1 | cut -d' ' -f2)" \
	     "$(( $(sort -n "$work/$1.times" | head -n 1 | cut -d' ' -f3) / 1024 ))"
}
ratio() { echo "scale=2; $1 / $2" | bc; }

rm -f "$work"/*.times
for round in 1 2 3 4 5; do
	run floor xmllint --stream --noout "$big"
	run reader build/bench/bench_bpmn_import --read-only "$big"
	run import build/bench/bench_bpmn_import "$big" "$work/big.stepmap"
	[ -x ./stepmap ] &&
		run cli sh -c "rm -f '$work/cli.stepmap'; exec ./stepmap import '$big' -o '$work/cli.stepmap'"
done

set -- $(best floor)
floor=$1; floor_cpu=$2
printf '%-26s %6s s  cpu %6s s  %5s MB\n' "xmllint --stream (floor)" "$1" "$2" "$3"
set -- $(best reader)
read_only=$1
printf '%-26s %6s s  cpu %6s s  %5s MB   %sx floor (cpu %sx)\n' "reader alone (null sink)" \
	"$1" "$2" "$3" "$(ratio "$1" "$floor")" "$(ratio "$2" "$floor_cpu")"
set -- $(best import)
bench=$1
printf '%-26s %6s s  cpu %6s s  %5s MB   %sx floor (cpu %sx)\n' "import into a workbook" \
	"$1" "$2" "$3" "$(ratio "$1" "$floor")" "$(ratio "$2" "$floor_cpu")"
sed 's/^/    /' "$work/import.out"
if [ -s "$work/cli.times" ]; then
	set -- $(best cli)
	printf '%-26s %6s s  cpu %6s s  %5s MB   %sx floor (cpu %sx)\n' "stepmap import -o" \
		"$1" "$2" "$3" "$(ratio "$1" "$floor")" "$(ratio "$2" "$floor_cpu")"
fi

if [ -d bench/moddle/node_modules/bpmn-moddle ] ||
   (cd bench/moddle && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1); then
	/usr/bin/time -f '%e %M' -o "$work/t" node bench/moddle/read.mjs "$big" >"$work/out" 2>&1
	peer=$(cut -d' ' -f1 "$work/t"); peer_mb=$(( $(cut -d' ' -f2 "$work/t") / 1024 ))
	printf '%-26s %6s s                %5s MB   (%s)\n' "bpmn-moddle (peer, 1 run)" \
		"$peer" "$peer_mb" "$(cat "$work/out")"
	echo "import is $(echo "scale=1; $peer / $bench" | bc)x faster than bpmn-moddle," \
	     "the reader alone $(echo "scale=1; $peer / $read_only" | bc)x"
else
	echo "bpmn-moddle: not installed (npm ci in bench/moddle failed); peer skipped"
fi
