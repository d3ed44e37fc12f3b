/*
 * cmd_demo.c - stepmap demo FILE: write the bundled demo workbook (the ED
 * admission process and its redesign scenario) to a new file.
 *
 * The file must not exist: the demo never overwrites anything. On any error
 * the file it started is removed, so nothing is left behind.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "examples/demo.h"

/* Remove path and the journal files SQLite may have left beside it. */
static void
remove_workbook(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char buf[4096];
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++)
		if ((size_t)snprintf(buf, sizeof buf, "%s%s", path, suffix[i]) < sizeof buf)
			unlink(buf);
}

int
cmd_demo(int argc, char **argv)
{
	struct err err = { 0 };
	struct store *store = NULL;
	struct workbook *w = NULL;
	struct stat sb;
	const char *path = NULL;
	enum status st;
	int i;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("demo: unknown option '%s'", argv[i]);
		if (path)
			return cli_usage("demo: one FILE, got '%s' and '%s'", path, argv[i]);
		path = argv[i];
	}
	if (!path)
		return cli_usage("demo: missing FILE (stepmap demo FILE)");
	if (stat(path, &sb) == 0) {
		fprintf(stderr, "stepmap: %s: already exists; the demo does not overwrite "
		        "files (choose another name or remove it)\n", path);
		return 1;
	}
	if (!(w = demo_workbook())) {
		fprintf(stderr, "stepmap: out of memory building the demo\n");
		return 3;
	}
	st = store_open(path, STORE_NEW, &store, &err);
	if (st != STATUS_OK) {
		/* STORE_NEW created nothing on error. */
		workbook_free(&w);
		return cli_fail(st, &err);
	}
	st = store_save(store, w, &err);
	store_close(&store);
	workbook_free(&w);
	if (st != STATUS_OK) {
		remove_workbook(path);
		return cli_fail(st, &err);
	}
	return 0;
}
