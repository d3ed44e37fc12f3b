#!/bin/sh
# run-lanes.sh - cost in the number of lanes: 40 000 steps in 10 lanes
# against 40 000 steps in 40 000 lanes (a lane per step), written by
# build/bench/gen_lanes as CSV, then imported, reported (text and JSON) and
# simulated with the real binary. The two shapes run interleaved, RUNS times
# each; the table gives the median and the range of the CPU time (user +
# system: what the work costs, whatever else the machine runs) and the
# median wall time, and the ratio of the CPU medians (40 000 lanes / 10
# lanes), which stays near 1 when nothing is quadratic in the lanes (target:
# at most 2). Run from the checkout after building it (or through
# `make bench`).
#
#   sh bench/run-lanes.sh [STEPS [RUNS [CASES]]]     (default 40000 5 50)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
B=${B:-build}
SM=${STEPMAP:-./stepmap}
N=${1:-40000}
RUNS=${2:-5}
CASES=${3:-50}
for x in "$B/bench/gen_lanes" "$SM" /usr/bin/time; do
	[ -x "$x" ] || { echo "run-lanes: $x is not built (make stepmap $B/bench/gen_lanes)" >&2; exit 3; }
done
D=$(mktemp -d /tmp/run-lanes-XXXXXX) || exit 3
trap 'rm -rf "$D"' EXIT

# time_of LABEL CMD...: run CMD (output thrown away), append
# "LABEL cpu-seconds wall-seconds"
time_of() {
	label=$1
	shift
	/usr/bin/time -f "%U %S %e" -o "$D/t" "$@" > /dev/null 2> "$D/err" ||
		{ echo "run-lanes: $label failed: $(cat "$D/err")" >&2; exit 1; }
	awk -v l="$label" '{ print l, $1 + $2, $3 }' "$D/t" >> "$D/times"
}

"$B/bench/gen_lanes" -n "$N" -l 10 > "$D/l10.csv" || exit 1
"$B/bench/gen_lanes" -n "$N" -l "$N" > "$D/lN.csv" || exit 1
r=0
while [ "$r" -lt "$RUNS" ]; do
	for L in 10 N; do
		rm -f "$D/$L.stepmap"
		time_of "import-$L" "$SM" import "$D/l$L.csv" -o "$D/$L.stepmap"
		time_of "report-$L" "$SM" report "$D/$L.stepmap"
		time_of "json-$L" "$SM" report "$D/$L.stepmap" --json
		time_of "simulate-$L" "$SM" simulate "$D/$L.stepmap" --cases "$CASES"
	done
	r=$((r + 1))
done

echo "$N steps; 10 lanes against $N lanes; $RUNS runs each, interleaved; simulate --cases $CASES"
echo "CPU seconds (user + system): median (range); wall seconds: median"
printf '%-9s %24s %24s %6s\n' "" "10 lanes" "$N lanes" "ratio"
med() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
rng() { sort -g | awk 'NR==1{lo=$1} {hi=$1} END {printf "%.2f-%.2f", lo, hi}'; }
for op in import report json simulate; do
	grep "^$op-10 " "$D/times" > "$D/a"
	grep "^$op-N " "$D/times" > "$D/b"
	ma=$(cut -d' ' -f2 "$D/a" | med)
	mb=$(cut -d' ' -f2 "$D/b" | med)
	printf '%-9s %5.2f (%9s) %5.2fw %5.2f (%9s) %5.2fw %6.2f\n' "$op" \
		"$ma" "$(cut -d' ' -f2 "$D/a" | rng)" "$(cut -d' ' -f3 "$D/a" | med)" \
		"$mb" "$(cut -d' ' -f2 "$D/b" | rng)" "$(cut -d' ' -f3 "$D/b" | med)" \
		"$(awk -v a="$ma" -v b="$mb" 'BEGIN { print (a > 0 ? b / a : 0) }')"
done
