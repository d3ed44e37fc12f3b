/*
 * fuzz_csv.c - the CSV reader (import/csv.c) on any bytes, into the sink
 * that builds a workbook, as `stepmap import` does. Seeds: tests/data/csv,
 * tests/data/hardening.
 */
#include <stdio.h>

#include "import/csv.h"
#include "import/sink.h"
#include "tests/fuzz/fuzz_common.c"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct workbook *w = workbook_new();
	struct sink_builder *b = NULL;
	struct sink sink;
	struct err err = { 0 };
	FILE *f;

	if (!w)
		return 0;
	if (sink_builder_new(w, false, &b, &sink) == STATUS_OK &&
	    (f = fmemopen((void *)data, size ? size : 1, "rb"))) {
		if (!size)
			fgetc(f);      /* fmemopen wants a size of 1 or more: read it away */
		csv_import_stream(f, "fuzz.csv", NULL, &sink, &err);
		fclose(f);
	}
	sink_builder_free(&b);
	workbook_free(&w);
	return 0;
}
