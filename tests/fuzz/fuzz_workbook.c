/*
 * fuzz_workbook.c - the workbook loader on a mutated SQLite file: opened
 * read-only (header check, quick check, schema check), loaded, fully
 * checked, and salvaged; any of it may refuse, none may crash or overflow.
 * Seeds: tests/data/hardening (sound, damaged and hostile workbooks).
 */
#include "store/store.h"
#include "tests/fuzz/fuzz_common.c"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct err err = { 0 };
	const char *path = fuzz_file(data, size, ".stepmap");
	char report[256];

	if (!path)
		return 0;
	if (store_open(path, STORE_READONLY, &s, &err) == STATUS_OK) {
		if (store_load(s, &w, &err) == STATUS_OK)
			workbook_free(&w);
		store_verify(s, &err);
		store_close(&s);
	}
	if (store_salvage(path, &w, report, sizeof report, &err) == STATUS_OK)
		workbook_free(&w);
	fuzz_file_done();
	return 0;
}
