#!/bin/sh
# run.sh NAME SECONDS SEED_DIR... - run the libFuzzer target NAME
# (build-fuzz/fuzz/fuzz_NAME) for SECONDS over its seeds; new inputs go to
# build-fuzz/corpus/NAME (the seeds are only read), crashes to
# build-fuzz/crashes/. Prints the executions and coverage libFuzzer reports
# last; exits non-zero when it found a crash.
set -u
name=$1 secs=$2
shift 2
bin=build-fuzz/fuzz/fuzz_$name
[ -x "$bin" ] || { echo "$bin: not built (make FUZZ=1 fuzz-bins)"; exit 2; }
mkdir -p "build-fuzz/corpus/$name" build-fuzz/crashes
seeds=
for d in "$@"; do [ -d "$d" ] && seeds="$seeds $d"; done
log=build-fuzz/fuzz_$name.log
# shellcheck disable=SC2086
"$bin" -max_total_time="$secs" -timeout=60 -rss_limit_mb=2048 -max_len=262144 \
	-artifact_prefix=build-fuzz/crashes/"$name"- "build-fuzz/corpus/$name" $seeds >"$log" 2>&1
rc=$?
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
echo "fuzz_$name: $secs s: $last"
[ $rc -eq 0 ] || { tail -n 30 "$log"; exit 1; }
