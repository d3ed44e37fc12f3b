# fuzz.sh - each libFuzzer target (tests/fuzz/, built by make test when clang
# is there) over its seeds and its corpus, then a few seconds of new inputs,
# so that a regression a fuzzer would find at once is caught. The corpora
# themselves run without libFuzzer too, in every build (test_fuzz_NAME).
set -u
cd "$TOP" || exit 3
ls build-fuzz/fuzz/fuzz_* >/dev/null 2>&1 ||
	{ echo "the fuzz targets are not built (clang; make FUZZ=1 fuzz-bins)"; exit 77; }
for n in csv bpmn duration journal workbook xes evlog; do
	bin=build-fuzz/fuzz/fuzz_$n
	[ -x "$bin" ] || { echo "FAIL: $bin missing"; exit 1; }
	mkdir -p "$TMP/$n"
	seeds=$(make -s --no-print-directory print-fuzz-seeds-$n)
	# shellcheck disable=SC2086
	"$bin" -max_total_time=3 -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
		-artifact_prefix="$TMP/$n-" "$TMP/$n" $seeds >"$TMP/$n.log" 2>&1 ||
		{ echo "FAIL: fuzz_$n:"; tail -n 40 "$TMP/$n.log"; exit 1; }
done
echo ok
