#!/bin/sh
# run-share.sh - one workbook shared live (issue 15): build/bench/bench_share
# with 2, 4 and 8 sessions on the bundled demo (111 steps) and on a generated
# 100 000-step process (bench/gen_lanes imported through the CLI): the delay
# from an edit in one session to the others' screens (p50, p99) and the CPU
# of an idle session. Target: p99 under 250 ms, idle under 1 % of a core.
#
#   sh bench/run-share.sh [EDITS [IDLE_S]]     (default 40 edits, 5 s idle)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
B=${B:-build}
for b in "$B/bench/bench_share" "$B/bench/gen_lanes" ./stepmap; do
	[ -x "$b" ] || { echo "run-share: $b is not built (make bench)" >&2; exit 3; }
done
d=$(mktemp -d /tmp/run-share-XXXXXX) || exit 3
trap 'rm -rf "$d"' EXIT
./stepmap demo "$d/demo.stepmap" >/dev/null || exit 1
"$B/bench/gen_lanes" -n 100000 -l 12 >"$d/big.csv" || exit 1
./stepmap import "$d/big.csv" -o "$d/big.stepmap" >/dev/null || exit 1
for wb in demo big; do
	for n in 2 4 8; do
		# a fresh copy each time: the edits of one run do not pile up
		cp "$d/$wb.stepmap" "$d/run.stepmap" || exit 1
		"$B/bench/bench_share" "$d/run.stepmap" "$n" "${1:-40}" "${2:-5}" || exit 1
		rm -f "$d/run.stepmap" "$d/run.stepmap-wal" "$d/run.stepmap-shm"
	done
done
