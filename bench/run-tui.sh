#!/bin/sh
# run-tui.sh - the workbench's open time and keystroke-to-screen time (scroll,
# page, jump, edit, move, undo, capture; p50 and p99) on a generated
# 100 000-step workbook beside the 111-step demo (build/bench/bench_tui). The
# ratio should stay near 1: the cost of a key follows the screen, not the
# process. Then the same with a scenario shown (20 cuts), with x (a cut) and
# J as a move cut. Target: p99 under 16 ms at 100 000 steps, with and without
# a scenario.
#
#   sh bench/run-tui.sh [STEPS [ROWS COLS]]    (default 100000, 30 x 100)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
B=${B:-build}
[ -x "$B/bench/bench_tui" ] || { echo "run-tui: $B/bench/bench_tui is not built (make $B/bench/bench_tui)" >&2; exit 3; }
"$B/bench/bench_tui" "${1:-100000}" ${2:+"$2"} ${3:+"$3"}
