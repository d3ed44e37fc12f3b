/*
 * fuzz_duration.c - the duration parser (model/duration.c): any text is
 * read or refused, and what is read is written back to a text that reads to
 * the identical value (the round trip the workbook relies on). Seeds:
 * tests/fuzz/corpus/duration.
 */
#include <stdlib.h>

#include "model/duration.h"
#include "tests/fuzz/fuzz_common.c"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), buf[DIST_TEXT_MAX];
	struct dist d, back;
	struct err err = { 0 };

	if (!text)
		return 0;
	if (dist_parse(text, "work", &d, &err) == STATUS_OK) {
		dist_format(&d, buf, sizeof buf);
		if (dist_parse(buf, "work", &back, &err) != STATUS_OK || !dist_equal(&d, &back))
			abort();   /* the round trip is broken */
	}
	free(text);
	return 0;
}
