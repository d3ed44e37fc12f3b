#!/bin/sh
# run-sim.sh - the simulation benchmark: the engine (build/bench/bench_sim)
# on an M/M/5 queue, on a generated 1 000-step process with 10 % rework and
# on the bundled demo, beside the floor (build/bench/sim_floor: a minimal
# binary-heap event loop of the same M/M/5) and the peer (SimPy 2, Debian's
# python3-simpy, bench/simpy_mmc.py), and the time of a two-scenario compare
# (10 replications x 10 000 cases of the demo). Prints each line and the
# ratios. Run from the checkout after building build/bench/* (or through `make bench`).
#
#   sh bench/run-sim.sh [CUSTOMERS]        (M/M/5 customers, default 1000000)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
B=${B:-build}
n=${1:-1000000}

for bin in "$B/bench/bench_sim" "$B/bench/sim_floor"; do
	[ -x "$bin" ] || { echo "run-sim: $bin is not built (make $bin)" >&2; exit 3; }
done
val() { # line, key
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else printf "?" }'; }

# Best of three for the C runs: the machine may be busy.
best() { # command...
	bestl= bests=
	for _ in 1 2 3; do
		l=$("$@" | head -n 1) || return 1
		s=$(val "$l" seconds)
		if [ -z "$bests" ] || awk -v a="$s" -v b="$bests" 'BEGIN { exit !(a < b) }'; then
			bestl=$l bests=$s
		fi
	done
	printf '%s\n' "$bestl"
}

floor=$(best "$B/bench/sim_floor" "$n") || exit 1
echo "$floor"
mm5=$(best "$B/bench/bench_sim" mm5 "$n") || exit 1
echo "$mm5"
big=$(best "$B/bench/bench_sim" big 2000) || exit 1
echo "$big"

simpy=
py=/usr/bin/python3
if [ -x "$py" ] && "$py" -c 'import SimPy.Simulation' 2>/dev/null; then
	sn=$((n / 5))
	simpy=$("$py" bench/simpy_mmc.py "$sn") && echo "$simpy"
else
	echo "simpy: not installed (apt-get install python3-simpy): no peer ratio"
fi

demo=$("$B/bench/bench_sim" demo) && echo "$demo"

echo
fe=$(awk -v e="$(val "$floor" events)" -v s="$(val "$floor" seconds)" 'BEGIN { printf "%.0f", e / s }')
fc=$(awk -v c="$(val "$floor" customers)" -v s="$(val "$floor" seconds)" 'BEGIN { printf "%.0f", c / s }')
ee=$(val "$mm5" events_per_s)
ec=$(val "$mm5" cases_per_s)
printf 'M/M/5 engine   %12s events/s %10s customers/s\n' "$ee" "$ec"
printf 'M/M/5 floor    %12s events/s %10s customers/s   engine/floor %s\n' "$fe" "$fc" "$(ratio "$ee" "$fe")"
if [ -n "$simpy" ]; then
	pc=$(awk -v c="$(val "$simpy" customers)" -v s="$(val "$simpy" seconds)" 'BEGIN { printf "%.0f", c / s }')
	printf 'M/M/5 SimPy    %12s          %10s customers/s   engine/SimPy %s\n' "" "$pc" "$(ratio "$ec" "$pc")"
fi
printf '1000 steps     %12s events/s\n' "$(val "$big" events_per_s)"
if [ -n "$demo" ]; then
	dl=$(printf '%s\n' "$demo" | grep '^engine-demo')
	cl=$(printf '%s\n' "$demo" | grep '^compare-demo')
	printf 'demo           %12s events/s  (10 000 cases in %s s)\n' \
		"$(val "$dl" events_per_s)" "$(val "$dl" seconds)"
	printf 'compare        2 x 10 x 10 000 demo cases in %s s (target < 2 s)\n' \
		"$(val "$cl" seconds)"
fi
