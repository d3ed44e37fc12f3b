/*
 * cmd_check.c - stepmap check FILE.bpmn...: read BPMN files as `import` would,
 * write nothing, and say what an import would bring in and what it would not
 * keep.
 *
 * The file goes through the same reader and the same workbook builder as
 * `stepmap import`, into a workbook in memory that is then thrown away, so the
 * counts are exactly what an import gives. The check is structural (well-formed
 * XML, BPMN 2.0 elements by namespace, references resolved); it does not
 * validate against the OMG schema, which a user's machine may not have and
 * which real tools' files often fail for reasons that do not matter here.
 *
 * Output, on stdout: one summary line per file, one line per process, then
 * every warning as "FILE:LINE: what". Exit 0 when every file is importable,
 * 1 when one is not (its error on stderr), 2 on bad usage.
 *
 * stepmap check WORKBOOK.stepmap [--salvage -o OUT]: a workbook (told apart
 * from BPMN by its first bytes, SQLite's magic, or its .stepmap suffix) gets
 * the full check instead: SQLite's integrity check, the foreign keys, every
 * journal entry read back. --salvage reads what can be read of a damaged one
 * (store_salvage) into the new workbook OUT.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "import/bpmn.h"
#include "import/sink.h"

/* "3 task, 1 start" for the steps of p, by type. */
static void
types_line(const struct process *p, char *buf, size_t size)
{
	size_t count[STEP_TYPE_COUNT_] = { 0 }, i, n = 0;
	int t;

	buf[0] = '\0';
	for (i = 0; i < p->nsteps; i++)
		count[p->steps[i]->type]++;
	for (t = 0; t < STEP_TYPE_COUNT_; t++) {
		if (!count[t])
			continue;
		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%zu %s",
		                      n ? ", " : "", count[t], step_type_name((enum step_type)t));
		if (n >= size)
			break;
	}
}

static int
check_one(const char *path, bool keep_sub, bool merge)
{
	struct workbook *w = workbook_new();
	struct sink_builder *b = NULL;
	struct bpmn_stats stats = { 0 };
	struct bpmn_options opt = { 0 };
	struct err err = { 0 };
	struct sink sink;
	enum status st;
	size_t i, lanes = 0, steps = 0, flows = 0;
	int rc = 0;

	if (!w)
		return cli_fail(STATUS_NOMEM, NULL);
	st = sink_builder_new(w, true, &b, &sink);
	if (st != STATUS_OK) {
		workbook_free(&w);
		return cli_fail(st, NULL);
	}
	opt.keep_subprocesses = keep_sub;
	opt.merge_pools = merge;
	opt.stats = &stats;
	st = bpmn_read(path, &opt, &sink, &err);
	if (st != STATUS_OK) {
		fputs(sink_builder_warnings(b), stdout);
		fflush(stdout);
		rc = cli_fail(st, &err);
		fprintf(stderr, "stepmap: %s: not importable\n", path);
		goto out;
	}
	for (i = 0; i < w->nprocs; i++) {
		lanes += w->procs[i]->nlanes;
		steps += w->procs[i]->nsteps;
		flows += w->procs[i]->nflows;
	}
	printf("%s: well-formed BPMN 2.0, importable: %zu process%s, %zu lane%s, %zu step%s, "
	       "%zu flow%s; %zu warning%s\n", path, w->nprocs, w->nprocs == 1 ? "" : "es",
	       lanes, lanes == 1 ? "" : "s", steps, steps == 1 ? "" : "s",
	       flows, flows == 1 ? "" : "s", sink_builder_nwarnings(b),
	       sink_builder_nwarnings(b) == 1 ? "" : "s");
	for (i = 0; i < w->nprocs; i++) {
		const struct process *p = w->procs[i];
		char types[512];

		types_line(p, types, sizeof types);
		printf("  process '%s': %zu lane%s, %zu step%s (%s), %zu flow%s\n", p->name,
		       p->nlanes, p->nlanes == 1 ? "" : "s", p->nsteps, p->nsteps == 1 ? "" : "s",
		       types, p->nflows, p->nflows == 1 ? "" : "s");
	}
	if (sink_builder_nwarnings(b)) {
		printf("not kept or repaired on import:\n");
		fputs(sink_builder_warnings(b), stdout);
	}
out:
	sink_builder_free(&b);
	workbook_free(&w);
	return rc;
}

/* A workbook rather than BPMN: SQLite's magic, or the suffix when the file
 * cannot be read (its error then says why). */
static bool
is_workbook(const char *path)
{
	char head[16] = { 0 };
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	bool sqlite = false;

	if (fd >= 0) {
		struct stat sb;

		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
			sqlite = read(fd, head, sizeof head) == (ssize_t)sizeof head &&
			         !memcmp(head, "SQLite format 3", 16);
		close(fd);
	}
	return sqlite || cli_has_suffix(path, ".stepmap");
}

static size_t
count_steps(const struct workbook *w)
{
	size_t i, n = 0;

	for (i = 0; i < w->nprocs; i++)
		n += w->procs[i]->nsteps;
	return n;
}

static int
check_workbook(const char *path)
{
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct err err = { 0 };
	enum status st;
	int rc;

	if ((st = store_open(path, STORE_READONLY, &s, &err)) != STATUS_OK)
		return cli_fail_file(st, &err, path);
	if ((st = store_verify(s, &err)) != STATUS_OK) {
		rc = cli_fail_file(st, &err, path);
		fprintf(stderr, "stepmap: %s: opened read-only until repaired; stepmap check "
		        "--salvage -o NEW.stepmap %s copies out what can be read\n", path, path);
		store_close(&s);
		return rc;
	}
	if ((st = store_load(s, &w, &err)) != STATUS_OK) {
		store_close(&s);
		return cli_fail_file(st, &err, path);
	}
	printf("%s: workbook is sound: %zu process%s, %zu steps\n", path, w->nprocs,
	       w->nprocs == 1 ? "" : "es", count_steps(w));
	workbook_free(&w);
	store_close(&s);
	return 0;
}

static int
salvage(const char *path, const char *out)
{
	struct workbook *w = NULL;
	struct err err = { 0 };
	char report[512];
	enum status st;
	int rc;

	if ((st = store_salvage(path, &w, report, sizeof report, &err)) != STATUS_OK)
		return cli_fail_file(st, &err, path);
	if ((rc = cli_write_workbook(out, w)) == 0)
		printf("%s: salvaged from %s: %s\n", out, path, report);
	workbook_free(&w);
	return rc;
}

int
cmd_check(int argc, char **argv)
{
	bool keep_sub = false, merge = false, salv = false;
	const char *out = NULL;
	int i, nfiles = 0, rc = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--keep-subprocesses"))
			keep_sub = true;
		else if (!strcmp(argv[i], "--merge-pools"))
			merge = true;
		else if (!strcmp(argv[i], "--salvage"))
			salv = true;
		else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
			if (++i >= argc || !argv[i][0])
				return cli_usage("check: -o needs a file name");
			out = argv[i];
		}
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("check: unknown option '%s'", argv[i]);
		else
			nfiles++;
	}
	if (!nfiles)
		return cli_usage("check: which BPMN file or workbook?");
	if (salv && (!out || nfiles != 1))
		return cli_usage("check: --salvage reads one WORKBOOK into a new one: -o NEW.stepmap");
	if (out && !salv)
		return cli_usage("check: -o is for --salvage");
	for (i = 1; i < argc; i++) {
		int r;

		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
			i++;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			continue;
		if (salv)
			r = salvage(argv[i], out);
		else if (is_workbook(argv[i]))
			r = check_workbook(argv[i]);
		else
			r = check_one(argv[i], keep_sub, merge);
		if (r > rc)
			rc = r;
	}
	return rc;
}
