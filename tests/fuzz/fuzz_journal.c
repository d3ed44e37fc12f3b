/*
 * fuzz_journal.c - a hostile journal entry (store/journal.c): any text is
 * parsed or refused (never undefined behaviour: ids, counts and numbers are
 * bounded before they are converted), and an entry that parses is written
 * back to the same text it gives again. Seeds: tests/fuzz/corpus/journal.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "tests/fuzz/fuzz_common.c"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *once = NULL, *twice = NULL;
	struct edit *e = NULL, *e2 = NULL;
	struct err err = { 0 };
	size_t n1 = 0, n2 = 0;

	if (!text)
		return 0;
	if (journal_parse(text, &e, &err) == STATUS_OK &&
	    journal_format(e, &once, &n1) == STATUS_OK) {
		if (journal_parse(once, &e2, &err) != STATUS_OK ||
		    journal_format(e2, &twice, &n2) != STATUS_OK || n1 != n2 ||
		    memcmp(once, twice, n1) != 0)
			abort();   /* what the journal writes, it must read back */
	}
	free(once);
	free(twice);
	edit_free(&e);
	edit_free(&e2);
	free(text);
	return 0;
}
