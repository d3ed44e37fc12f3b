#!/bin/sh
# run-picture.sh - the pictures benchmark: the service blueprint of a
# generated process (bench/gen_bpmn: lanes, a decision every 50 tasks)
# exported as PDF (A4 pages) and as SVG (rows) by `stepmap export`, at
# several sizes up to 100 000 steps; the time per step at each size, and
# the ratio of the largest to the smallest, which is 1 when the time grows
# linearly. The import into a workbook is not timed. Best of RUNS (default
# 2), on processor time (user + system: a machine shared with other work
# disturbs it less than the wall clock, which is shown beside it).
#
#   sh bench/run-picture.sh [MAX_STEPS] [RUNS]     (default 100000, 2)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
max=${1:-100000}
runs=${2:-2}
work=${TMPDIR:-/tmp}/stepmap-bench-picture
mkdir -p "$work"
make -s -k stepmap build/bench/gen_bpmn >/dev/null 2>&1
[ -x build/bench/gen_bpmn ] && [ -x stepmap ] || { echo "run-picture: cannot build"; exit 1; }

[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null 2>&1
best() { # format, workbook, output: "cpu wall" of the best of $runs exports
	b=
	r=0
	while [ $r -lt "$runs" ]; do
		/usr/bin/time -f '%U %S %e' -o "$work/time" ./stepmap export "$2" -f "$1" -o "$3" || exit 1
		set -- "$1" "$2" "$3" $(cat "$work/time")
		t=$(echo "$4 + $5" | bc)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; wall=$6; fi
		r=$((r + 1))
	done
	echo "$b $wall"
}

printf '%8s %6s %9s %9s %9s %9s %9s %9s\n' steps format "cpu s" "wall s" "us/step" MB pages ratio
for fmt in pdf svg; do
	first=
	for n in $((max / 8)) $((max / 4)) $((max / 2)) $max; do
		wb=$work/gen-$n.stepmap
		if [ ! -s "$wb" ]; then
			build/bench/gen_bpmn -n "$n" -o "$work/gen-$n.bpmn" || exit 1
			./stepmap import "$work/gen-$n.bpmn" -o "$wb" >/dev/null 2>&1 || exit 1
			rm -f "$work/gen-$n.bpmn"
		fi
		set -- $(best $fmt "$wb" "$work/out.$fmt")
		t=$1 wall=$2
		us=$(echo "scale=1; $t * 1000000 / $n" | bc)
		mb=$(echo "scale=1; $(wc -c < "$work/out.$fmt") / 1000000" | bc)
		pages=-
		[ $fmt = pdf ] && command -v pdfinfo >/dev/null &&
			pages=$(pdfinfo "$work/out.pdf" | awk '/^Pages:/ { print $2 }')
		[ -n "$first" ] || first=$us
		printf '%8s %6s %9.2f %9.2f %9s %9s %9s %9s\n' "$n" $fmt "$t" "$wall" "$us" "$mb" "$pages" \
		       "$(echo "scale=2; $us / $first" | bc)"
	done
done
rm -f "$work/out.pdf" "$work/out.svg"
