/*
 * common.c - helpers every subcommand shares: error reporting, opening a
 * workbook, choosing a process, atomic output files.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "model/file.h"

/* --- retrying a command whose workbook changed under it ------------------- */

static bool retry_armed;         /* the command runner will run it again */
static bool retry_wanted;        /* it failed only because of another writer */
static char retry_msg[ERR_MSG_MAX];

void
cli_retry_arm(bool on)
{
	retry_armed = on;
	retry_wanted = false;
	retry_msg[0] = '\0';
}

bool
cli_retry_wanted(const char **msg)
{
	if (msg)
		*msg = retry_msg;
	return retry_wanted;
}

int
cli_fail(enum status s, const struct err *err)
{
	/* Another writer changed what we change between our load and our
	 * write, or held the workbook past the busy timeout: nothing was
	 * written; the runner loads again and applies the command again. */
	if (retry_armed && (s == STATUS_CONFLICT || s == STATUS_STALE || s == STATUS_LOCKED)) {
		retry_wanted = true;
		snprintf(retry_msg, sizeof retry_msg, "%s",
		         err && err->msg[0] ? err->msg : status_text(s));
		return status_exit_code(s);
	}
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
cli_fail_file(enum status s, struct err *err, const char *path)
{
	struct err own = { 0 };

	if (!err)
		err = &own;
	if (!err->msg[0])
		err_set(err, s, "%s", status_text(s));
	/* "out of memory" alone does not say what was being read */
	if (s == STATUS_NOMEM && path && !strstr(err->msg, path))
		err_prefix(err, "%s: ", path);
	return cli_fail(s, err);
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
		return cli_fail_file(st, &err, path);
	if (store_damage(*store))
		fprintf(stderr, "stepmap: warning: %s: workbook is damaged (%s); read as it is, "
		        "nothing written (stepmap check %s says more)\n", path,
		        store_damage(*store), path);
	st = store_load(*store, wb, &err);
	if (st != STATUS_OK) {
		store_close(store);
		return cli_fail_file(st, &err, path);
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

/* dir/name, or name when it is absolute (a link's target is relative to
 * the link's folder). malloc'd. */
static char *
join_link(const char *link, const char *target)
{
	const char *slash = strrchr(link, '/');
	size_t n = slash ? (size_t)(slash - link) + 1 : 0;
	char *out;

	if (target[0] == '/' || !n)
		return strdup(target);
	if (!(out = malloc(n + strlen(target) + 1)))
		return NULL;
	memcpy(out, link, n);
	strcpy(out + n, target);
	return out;
}

enum status
cli_output_path(const char *path, char **real, struct stat *sb, bool *exists,
                struct err *err)
{
	char *p = strdup(path);
	int hops;

	*real = NULL;
	*exists = false;
	if (!p)
		return err_set(err, STATUS_NOMEM, "%s: out of memory", path);
	for (hops = 0; hops < 40; hops++) {
		char target[PATH_MAX + 1], *next;
		ssize_t n;

		if (lstat(p, sb) != 0) {
			if (errno == ENOENT) {       /* absent, or where a dangling link points */
				*real = p;
				return STATUS_OK;
			}
			err_set(err, STATUS_IO, "%s: cannot write: %s", path, strerror(errno));
			free(p);
			return STATUS_IO;
		}
		if (!S_ISLNK(sb->st_mode))
			break;
		if ((n = readlink(p, target, sizeof target - 1)) < 0) {
			err_set(err, STATUS_IO, "%s: cannot write: %s", path, strerror(errno));
			free(p);
			return STATUS_IO;
		}
		target[n] = '\0';
		next = join_link(p, target);
		free(p);
		if (!(p = next))
			return err_set(err, STATUS_NOMEM, "%s: out of memory", path);
	}
	if (hops == 40) {
		free(p);
		return err_set(err, STATUS_INPUT, "%s: cannot write: too many symbolic links", path);
	}
	if (!S_ISREG(sb->st_mode)) {
		err_set(err, STATUS_INPUT, "%s: is %s; stepmap writes only regular files", path,
		        file_kind(sb->st_mode));
		free(p);
		return STATUS_INPUT;
	}
	*exists = true;
	*real = p;
	return STATUS_OK;
}

enum status
cli_write_atomic(const char *path,
                 enum status (*write_fn)(FILE *f, void *ctx, struct err *err),
                 void *ctx, struct err *err)
{
	enum status st;
	char *tmp = NULL, *real = NULL;
	struct stat sb;
	bool exists;
	FILE *f = NULL;
	int fd = -1;
	size_t n;

	if (!strcmp(path, "-")) {
		st = write_fn(stdout, ctx, err);
		if (st == STATUS_OK && fflush(stdout) != 0)
			st = err_set(err, STATUS_IO, "standard output: %s", strerror(errno));
		return st;
	}
	/* Through symbolic links to the file itself; a device, FIFO or
	 * directory is refused (a rename would replace it). */
	if ((st = cli_output_path(path, &real, &sb, &exists, err)) != STATUS_OK)
		return st;
	n = strlen(real) + sizeof ".XXXXXX";
	tmp = malloc(n);
	if (!tmp) {
		st = err_set(err, STATUS_NOMEM, "%s: out of memory", path);
		goto out;
	}
	snprintf(tmp, n, "%s.XXXXXX", real);
	fd = mkstemp(tmp);
	if (fd < 0) {
		st = err_set(err, STATUS_IO, "%s: cannot create: %s", path, strerror(errno));
		goto out;
	}
	if (exists) {
		fchmod(fd, sb.st_mode & 07777);  /* the file keeps its permissions */
	} else {
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
	if (st == STATUS_OK && rename(tmp, real) != 0)
		st = err_set(err, STATUS_IO, "%s: cannot write: %s", path, strerror(errno));
	if (st != STATUS_OK)
		unlink(tmp);
out:
	free(real);
	free(tmp);
	return st;
}

/* --- a new workbook file ------------------------------------------------ */

/* The folder of path ("." when none), in buf. */
static void
folder_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, size, ".");
	else if (slash == path)
		snprintf(buf, size, "/");
	else
		snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

/* Remove the scratch folder and what SQLite may have left in it. */
static void
scratch_remove(const char *dir, const char *file)
{
	static const char *const extra[] = { "", "-wal", "-shm", "-journal" };
	char path[PATH_MAX + 64];
	size_t i;

	for (i = 0; i < sizeof extra / sizeof extra[0]; i++) {
		snprintf(path, sizeof path, "%s%s", file, extra[i]);
		unlink(path);
	}
	rmdir(dir);
}

static int write_new(const char *out, const char *real, const struct workbook *w);

int
cli_write_workbook(const char *out, const struct workbook *w)
{
	char *real = NULL;
	struct err err = { 0 };
	struct stat lsb;
	enum status st;
	bool exists;
	int rc;

	/* through a symbolic link (even a dangling one) to the file it names */
	if ((st = cli_output_path(out, &real, &lsb, &exists, &err)) != STATUS_OK)
		return cli_fail(st, &err);
	if (exists) {
		free(real);
		return cli_fail(err_set(&err, STATUS_INPUT, "%s: file exists; not replacing it",
		                        out), &err);
	}
	rc = write_new(out, real, w);
	free(real);
	return rc;
}

/* cli_write_workbook's work: out as the user named it, real the file. */
static int
write_new(const char *out, const char *real, const struct workbook *w)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 32];
	struct store *s = NULL;
	struct err err = { 0 };
	enum status st;

	folder_of(real, dir, sizeof dir);
	if (strlen(dir) + 40 >= sizeof dir)
		return cli_fail(err_set(&err, STATUS_IO, "%s: path too long", out), &err);
	strcat(dir, "/.stepmap-import-XXXXXX");
	if (!mkdtemp(dir))
		return cli_fail(err_set(&err, STATUS_IO, "%s: cannot create: %s", out,
		                        strerror(errno)), &err);
	snprintf(tmp, sizeof tmp, "%s/new.stepmap", dir);
	if ((st = store_open(tmp, STORE_NEW, &s, &err)) == STATUS_OK)
		st = store_save(s, w, &err);
	store_close(&s);
	{
		/* Closed, the workbook is one file: a WAL left beside it would
		 * hold part of it, and only the main file is linked into place. */
		char wal[PATH_MAX + 48];
		struct stat sb;

		snprintf(wal, sizeof wal, "%s-wal", tmp);
		if (st == STATUS_OK && stat(wal, &sb) == 0 && sb.st_size > 0)
			st = err_set(&err, STATUS_INTERNAL, "%s: the new workbook was not "
			             "checkpointed; nothing was written", out);
	}
	if (st == STATUS_OK && link(tmp, real) != 0) {
		if (errno == EEXIST)
			st = err_set(&err, STATUS_IO, "%s: the file appeared while writing it; "
			             "nothing was written", out);
		else if (rename(tmp, real) != 0)   /* a file system without hard links */
			st = err_set(&err, STATUS_IO, "%s: cannot write: %s", out, strerror(errno));
	}
	scratch_remove(dir, tmp);
	if (st != STATUS_OK) {
		/* store_save's messages name the scratch file: say which file it was for */
		if (strstr(err.msg, tmp))
			err_prefix(&err, "%s: ", out);
		return cli_fail(st, &err);
	}
	return 0;
}

