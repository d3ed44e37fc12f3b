#!/bin/sh
# run-evlog.sh - event-log import against its floors: a generated XES of
# about 75 MB (260 000 events, start and complete, resources, offsets across
# daylight-saving changes) and a CSV event log of about 50 MB (390 000 rows
# with start and end columns, shuffled), each imported into a new workbook by
# `stepmap import` (read, pair, discover, fit, write the workbook), beside
# libxml2's SAX parse of the same XES counting events and libcsv alone on
# the CSV. Five runs of each; prints the median wall time and its range, the
# CPU time, the peak memory (maximum resident set), and the ratios
# import/floor (target: 3 or less) and peak memory/file (target: under 2).
# Run from the checkout after building (make stepmap build/bench/bench_evlog).
#
#   sh bench/run-evlog.sh [RUNS]       (default 5)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
B=${B:-build}
BENCH="$B/bench/bench_evlog"
[ -x "$BENCH" ] && [ -x ./stepmap ] || { echo "run-evlog: build ./stepmap and $BENCH first" >&2; exit 3; }
[ -x /usr/bin/time ] || { echo "run-evlog: needs /usr/bin/time (Debian package time)" >&2; exit 3; }
runs=${1:-5}
d=$(mktemp -d /tmp/run-evlog-XXXXXX) || exit 3
trap 'rm -rf "$d"' EXIT
"$BENCH" gen-xes "$d/log.xes" || exit 1
"$BENCH" gen-csv "$d/log.csv" || exit 1

# measure NAME CMD...: RUNS runs; one line "NAME wall_median wall_min wall_max cpu_median maxrss_kb"
measure() {
	name=$1
	shift
	: > "$d/t"
	i=0
	while [ $i -lt "$runs" ]; do
		rm -f "$d/w.stepmap"
		/usr/bin/time -f "%e %U %S %M" -o "$d/one" "$@" > /dev/null 2>&1 || { echo "run-evlog: $name failed" >&2; exit 1; }
		cat "$d/one" >> "$d/t"
		i=$((i + 1))
	done
	n=$(wc -l < "$d/t")
	mid=$(( (n + 1) / 2 ))
	wall=$(awk '{ print $1 }' "$d/t" | sort -n | sed -n "${mid}p")
	lo=$(awk '{ print $1 }' "$d/t" | sort -n | head -1)
	hi=$(awk '{ print $1 }' "$d/t" | sort -n | tail -1)
	cpu=$(awk '{ print $2 + $3 }' "$d/t" | sort -n | sed -n "${mid}p")
	rss=$(awk '{ print $4 }' "$d/t" | sort -n | tail -1)
	echo "$name $wall $lo $hi $cpu $rss"
}

{
	measure xes-floor "$BENCH" floor-xes "$d/log.xes"
	measure xes-import ./stepmap import "$d/log.xes" -o "$d/w.stepmap"
	measure csv-floor "$BENCH" floor-csv "$d/log.csv"
	measure csv-import ./stepmap import "$d/log.csv" -o "$d/w.stepmap"
} > "$d/r" || exit 1
xes=$(stat -c %s "$d/log.xes")
csv=$(stat -c %s "$d/log.csv")
awk -v xes="$xes" -v csv="$csv" '
	{ wall[$1] = $2; lo[$1] = $3; hi[$1] = $4; cpu[$1] = $5; rss[$1] = $6
	  printf "%-11s wall %6.2f s (%.2f-%.2f)  cpu %6.2f s  peak %7.1f MB\n", $1, $2, $3, $4, $5, $6 / 1024 }
	END {
	  printf "XES %.1f MB: import/floor %.2f (wall), %.2f (cpu); peak memory/file %.2f\n", xes / 1048576,
	         wall["xes-import"] / wall["xes-floor"], cpu["xes-import"] / cpu["xes-floor"], rss["xes-import"] * 1024 / xes
	  printf "CSV %.1f MB: import/floor %.2f (wall), %.2f (cpu); peak memory/file %.2f\n", csv / 1048576,
	         wall["csv-import"] / wall["csv-floor"], cpu["csv-import"] / cpu["csv-floor"], rss["csv-import"] * 1024 / csv
	}' "$d/r"
