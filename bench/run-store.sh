#!/bin/sh
# run-store.sh - the store benchmark: build/bench/bench_store on a generated
# process of 111 steps (the demo's size) and of 100 000 steps, in DIR (default
# /tmp; use a directory on the disk you care about: fsync cost is the disk's).
# Prints both lines and the ratios: large over small for open + load and for
# one edit, undo and redo (an edit should cost the same at any size), an
# edit beside the floor of a durable edit (one 4 KiB write + fsync), and
# what synchronous=FULL costs over NORMAL per edit.
#
#   sh bench/run-store.sh [DIR]
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
B=${B:-build}
dir=${1:-/tmp}
bin="$B/bench/bench_store"
[ -x "$bin" ] || { echo "run-store: $bin is not built (make $bin)" >&2; exit 3; }
val() { # line, key
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "?" }'; }

small=$("$bin" 111 "$dir") || exit 1
echo "$small"
large=$("$bin" 100000 "$dir") || exit 1
echo "$large"
for k in open_load_ms edit_ms undo_ms redo_ms edit_normal_ms undo_normal_ms model_ms; do
	echo "$k 100000/111: $(ratio "$(val "$large" $k)" "$(val "$small" $k)")"
done
echo "open+load per step, 100000 vs 111: $(ratio "$(val "$large" open_load_ms)" \
	"$(awk -v a="$(val "$small" open_load_ms)" 'BEGIN { print a * 100000 / 111 }')")"
for line in "$small" "$large"; do
	n=$(val "$line" steps)
	echo "$n steps: edit/fsync floor $(ratio "$(val "$line" edit_ms)" "$(val "$line" fsync_ms)")," \
		"edit FULL/NORMAL $(ratio "$(val "$line" edit_ms)" "$(val "$line" edit_normal_ms)"),"  \
		"edit NORMAL/model alone $(ratio "$(val "$line" edit_normal_ms)" "$(val "$line" model_ms)")," \
		"FULL costs $(awk -v a="$(val "$line" edit_ms)" -v b="$(val "$line" edit_normal_ms)" \
			'BEGIN { printf "%.2f", a - b }') ms per edit"
done
