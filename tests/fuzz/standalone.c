/*
 * standalone.c - a fuzz target as a plain program: every file named, or
 * found in the folders named, goes through LLVMFuzzerTestOneInput() once.
 * With no arguments, the corpora compiled in (FUZZ_CORPORA: folders of seeds
 * from tests/data and the target's own corpus, relative to the checkout).
 * Exit 0 when every input ran (a crash or a sanitizer report ends it).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

#ifndef FUZZ_CORPORA
#define FUZZ_CORPORA ""
#endif

static size_t nrun;

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "%s: cannot open\n", path);
		return 1;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			unsigned char *b = realloc(buf, cap = cap ? cap * 2 : 65536);

			if (!b) {
				free(buf);
				fclose(f);
				return 1;
			}
			buf = b;
		}
		if (!(got = fread(buf + n, 1, cap - n, f)))
			break;
		n += got;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	nrun++;
	return 0;
}

static int
run_path(const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (stat(path, &sb) != 0)
		return 0;              /* a corpus not made yet */
	if (!S_ISDIR(sb.st_mode))
		return run_file(path);
	if (!(d = opendir(path)))
		return 1;
	while ((e = readdir(d))) {
		char p[4096];

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "README.md"))
			continue;
		snprintf(p, sizeof p, "%s/%s", path, e->d_name);
		rc |= run_path(p);
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	int i, rc = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			rc |= run_path(argv[i]);
	} else {
		char list[] = FUZZ_CORPORA, *p, *save = NULL;

		for (p = strtok_r(list, " ", &save); p; p = strtok_r(NULL, " ", &save))
			rc |= run_path(p);
	}
	printf("%zu inputs run\n", nrun);
	return rc || !nrun;
}
