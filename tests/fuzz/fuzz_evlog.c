/*
 * fuzz_evlog.c - the CSV event-log reader (import/evlog_csv.c, libcsv
 * underneath) on any bytes, into the sink that builds a workbook, as
 * `stepmap import LOG.csv --log` does. Seeds: tests/data/eventlogs/ugly,
 * corpus/evlog (small real logs).
 */
#include "import/evlog.h"
#include "import/sink.h"
#include "tests/fuzz/fuzz_common.c"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct workbook *w = workbook_new();
	struct sink_builder *b = NULL;
	struct sink sink;
	struct err err = { 0 };
	const char *path;

	if (!w)
		return 0;
	if (sink_builder_new(w, true, &b, &sink) == STATUS_OK &&
	    (path = fuzz_file(data, size, ".csv")))
		evlog_csv_read(path, NULL, &sink, &err);
	fuzz_file_done();
	sink_builder_free(&b);
	workbook_free(&w);
	return 0;
}
