#!/bin/sh
# run-csv.sh - CSV import and export of a generated 100 000-step process
# (build/bench/bench_csv) against libcsv alone (the floor), and Python's csv
# module only reading the same file into rows (a peer: a C tokenizer that
# builds no model). Run from the checkout after building it (or through
# `make bench`).
#
#   sh bench/run-csv.sh [STEPS]        (default 100000)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
B=${B:-build}
[ -x "$B/bench/bench_csv" ] || { echo "run-csv: $B/bench/bench_csv is not built (make $B/bench/bench_csv)" >&2; exit 3; }
f=$(mktemp /tmp/run-csv-XXXXXX) || exit 3
trap 'rm -f "$f"' EXIT
"$B/bench/bench_csv" "${1:-100000}" "$f" || exit 1
if command -v python3 >/dev/null 2>&1; then
	python3 - "$f" <<'PY'
import csv, sys, time
best = 1e9
for _ in range(5):
    t = time.perf_counter()
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as fh:
        n = sum(1 for _ in csv.reader(fh))
    best = min(best, time.perf_counter() - t)
print("peer     python3 csv.reader %7.1f ms  (%d rows, reading only)" % (best * 1e3, n))
PY
fi
