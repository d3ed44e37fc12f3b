/*
 * fuzz_common.c - helpers of the fuzz targets (fuzz.h), included by each
 * target so that a target is one translation unit for libFuzzer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"

static char fuzz_path[512];
static char fuzz_dir[256];

char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return NULL;
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

const char *
fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
	FILE *f;

	if (!fuzz_dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(fuzz_dir, sizeof fuzz_dir, "%s/stepmap-fuzz-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(fuzz_dir)) {
			fuzz_dir[0] = '\0';
			return NULL;
		}
	}
	snprintf(fuzz_path, sizeof fuzz_path, "%s/in%s", fuzz_dir, suffix);
	if (!(f = fopen(fuzz_path, "wb")))
		return NULL;
	if (size && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return NULL;
	}
	if (fclose(f) != 0)
		return NULL;
	return fuzz_path;
}

void
fuzz_file_done(void)
{
	static const char *const side[] = { "", "-wal", "-shm", "-journal" };
	char p[600];
	size_t i;

	if (!fuzz_path[0])
		return;
	for (i = 0; i < sizeof side / sizeof side[0]; i++) {
		snprintf(p, sizeof p, "%s%s", fuzz_path, side[i]);
		unlink(p);
	}
}
