#!/bin/sh
# run-figures.sh - figures_compute() on the bundled demo (111 steps) and on
# generated processes up to 100 000 steps (build/bench/bench_figures): the
# time per step should stay flat (linear), the 100 000-step time well under
# a perceptible delay. Run from the checkout after building it (or through
# `make bench`).
#
#   sh bench/run-figures.sh [STEPS]        (default 100000)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
B=${B:-build}
[ -x "$B/bench/bench_figures" ] || { echo "run-figures: $B/bench/bench_figures is not built (make $B/bench/bench_figures)" >&2; exit 3; }
"$B/bench/bench_figures" "${1:-100000}"
