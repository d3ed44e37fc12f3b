/*
 * common.c - helpers every subcommand shares: error reporting, opening a
 * workbook, choosing a process, atomic output files.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

int
cli_fail(enum status s, const struct err *err)
{
	if (err && err->msg[0])
		fprintf(stderr, "stepmap: %s\n", err->msg);
	else
		fprintf(stderr, "stepmap: %s\n", status_text(s));
	return status_exit_code(s);
}

int
cli_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("stepmap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see stepmap --help)\n", stderr);
	return 2;
}

int
cli_open_workbook(const char *path, enum store_mode mode, struct store **store,
                  struct workbook **wb)
{
	struct err err = { 0 };
	enum status st;

	*store = NULL;
	*wb = NULL;
	st = store_open(path, mode, store, &err);
	if (st != STATUS_OK)
		return cli_fail(st, &err);
	st = store_load(*store, wb, &err);
	if (st != STATUS_OK) {
		store_close(store);
		return cli_fail(st, &err);
	}
	return 0;
}

struct process *
cli_pick_process(const struct workbook *wb, const char *name, const char *path)
{
	struct process *p;

	if (!name) {
		if (wb->nprocs == 0) {
			fprintf(stderr, "stepmap: %s: the workbook has no process\n", path);
			return NULL;
		}
		return wb->procs[0];
	}
	p = workbook_process_named(wb, name);
	if (!p)
		fprintf(stderr, "stepmap: %s: no process named '%s' (there are %zu)\n",
		        path, name, wb->nprocs);
	return p;
}

struct scenario *
cli_pick_scenario(const struct process *p, const char *name)
{
	struct scenario *sc = process_scenario_named(p, name);
	char *end;
	unsigned long n;

	if (sc)
		return sc;
	n = strtoul(name, &end, 10);
	if (*name && !*end && n >= 1 && n <= p->nscenarios)
		return p->scenarios[n - 1];
	fprintf(stderr, "stepmap: process '%s' has no scenario '%s' (there are %zu)\n",
	        p->name, name, p->nscenarios);
	return NULL;
}

bool
cli_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcasecmp(s + n - m, suffix);
}

enum status
cli_write_atomic(const char *path,
                 enum status (*write_fn)(FILE *f, void *ctx, struct err *err),
                 void *ctx, struct err *err)
{
	enum status st;
	char *tmp = NULL;
	FILE *f = NULL;
	int fd = -1;
	size_t n;

	if (!strcmp(path, "-")) {
		st = write_fn(stdout, ctx, err);
		if (st == STATUS_OK && fflush(stdout) != 0)
			st = err_set(err, STATUS_IO, "standard output: %s", strerror(errno));
		return st;
	}
	n = strlen(path) + sizeof ".XXXXXX";
	tmp = malloc(n);
	if (!tmp)
		return err_set(err, STATUS_NOMEM, "out of memory");
	snprintf(tmp, n, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		st = err_set(err, STATUS_IO, "%s: cannot create: %s", path, strerror(errno));
		goto out;
	}
	{
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	f = fdopen(fd, "w");
	if (!f) {
		st = err_set(err, STATUS_IO, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	st = write_fn(f, ctx, err);
	if (st == STATUS_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		st = err_set(err, STATUS_IO, "%s: cannot write: %s", path, strerror(errno));
	if (fclose(f) != 0 && st == STATUS_OK)
		st = err_set(err, STATUS_IO, "%s: cannot write: %s", path, strerror(errno));
	if (st == STATUS_OK && rename(tmp, path) != 0)
		st = err_set(err, STATUS_IO, "%s: cannot write: %s", path, strerror(errno));
	if (st != STATUS_OK)
		unlink(tmp);
out:
	free(tmp);
	return st;
}
