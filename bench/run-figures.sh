#!/bin/sh
# run-figures.sh - the figures on the bundled demo (111 steps) and on
# generated processes up to 100 000 steps (build/bench/bench_figures):
# median and 99th percentile of one call through a kept workspace
# (figures_compute_ws, as the workbench calls it after every edit) and the
# one-shot figures_compute(). The time per step should stay close to the
# demo's (ratio near 1), the 100 000-step median at most 5 ms. Run from the
# checkout after building it (or through `make bench`).
#
#   sh bench/run-figures.sh [STEPS]        (default 100000)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
B=${B:-build}
[ -x "$B/bench/bench_figures" ] || { echo "run-figures: $B/bench/bench_figures is not built (make $B/bench/bench_figures)" >&2; exit 3; }
"$B/bench/bench_figures" "${1:-100000}"
