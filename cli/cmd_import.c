/*
 * cmd_import.c - stepmap import FILE... -o WORKBOOK [-n NAME] [--append]
 * [--keep-subprocesses] [--merge-pools]: read files of steps or models into a
 * workbook (the last two: BPMN, as `stepmap check` takes them).
 *
 * Each file is read by the reader its suffix names (the formats[] table:
 * adding a format is adding a row) into one scratch workbook through the
 * sink builder (import/sink.h); warnings go to stderr as they come. Only when
 * every file has read is anything written:
 *   - a new workbook is built in a temporary folder beside WORKBOOK and linked
 *     into place (never over a file that appeared meanwhile), so a failure
 *     leaves no file, and never half a workbook;
 *   - with --append, the new processes are added to the existing workbook as
 *     one edit (store_do): one transaction, undoable like any edit.
 * An existing WORKBOOK without --append is refused: import never replaces a
 * workbook. Process names come from the files (a CSV file's base name), or
 * -n for a single file; a name already in the workbook gets " (2)", " (3)"...
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "import/bpmn.h"
#include "import/csv.h"
#include "import/evlog.h"
#include "import/sink.h"

struct import_args {
	const char **files;
	int nfiles;
	const char *out;
	const char *name;            /* -n: the process name (one file) */
	bool append;
	bool keep_subprocesses;
	bool merge_pools;
	bool log;                    /* --log: a CSV is an event log */
	struct evlog_options ev;     /* event logs: --case, --activity... */
	struct evlog_report *reports;   /* per file, for event logs */
};

/* --- formats ------------------------------------------------------------- */

typedef enum status (*import_fn)(const char *path, const struct import_args *a,
                                 struct sink *sink, struct err *err);

/* The options of one event-log read: the report of file i. */
static struct evlog_options
evlog_opts(const struct import_args *a, const char *path)
{
	struct evlog_options o = a->ev;
	int i;

	o.name = a->name;
	for (i = 0; i < a->nfiles; i++)
		if (a->files[i] == path)
			o.report = &a->reports[i];
	return o;
}

/* A CSV of steps, or an event log when --log says so or its header names a
 * case, an activity and a time. */
static enum status
read_csv(const char *path, const struct import_args *a, struct sink *sink, struct err *err)
{
	struct evlog_options o = evlog_opts(a, path);

	if (a->log || evlog_csv_sniff(path, &o))
		return evlog_csv_read(path, &o, sink, err);
	return csv_import_file(path, a->name, sink, err);
}

static enum status
read_xes(const char *path, const struct import_args *a, struct sink *sink, struct err *err)
{
	struct evlog_options o = evlog_opts(a, path);

	return xes_read(path, &o, sink, err);
}

/* Every process (pool) of the file; -n is applied once the file has read. */
static enum status
read_bpmn(const char *path, const struct import_args *a, struct sink *sink, struct err *err)
{
	return bpmn_read(path, &(struct bpmn_options){ .keep_subprocesses = a->keep_subprocesses,
	                                                .merge_pools = a->merge_pools },
	                 sink, err);
}

/* By file suffix. order_by_flow: the source has no step order of its own.
 * names: the reader applies -n itself (otherwise it names the one process the
 * file held, after the read). */
static const struct import_format {
	const char *suffix;
	const char *what;
	bool order_by_flow, names;
	import_fn read;
} formats[] = {
	{ ".csv",  "CSV of steps or event log", false, true,  read_csv },
	{ ".xes",  "XES event log", false, true,  read_xes },
	{ ".xes.gz", "XES event log, gzipped", false, true, read_xes },
	{ ".bpmn", "BPMN 2.0",     true,  false, read_bpmn },
	{ ".xml",  "BPMN 2.0",     true,  false, read_bpmn },
};

static const struct import_format *
format_of(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (cli_has_suffix(path, formats[i].suffix))
			return &formats[i];
	return NULL;
}

static void
suffix_list(char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof formats / sizeof formats[0] && len < size; i++) {
		int n = snprintf(buf + len, size - len, "%s%s (%s)", i ? ", " : "", formats[i].suffix,
		                 formats[i].what);

		if (n < 0)
			break;
		len += (size_t)n;
	}
}

/* --- arguments ------------------------------------------------------------ */

#define USAGE "stepmap import FILE... -o WORKBOOK [-n NAME] [--append] [--keep-subprocesses] " \
              "[--merge-pools] [--log] [--case COL] [--activity COL] [--timestamp COL] " \
              "[--start COL] [--end COL] [--resource COL] [--lifecycle COL] " \
              "[--instance COL] [--lane-by role|group|resource|none] [--coverage PCT]"

/* The event-log options that take a column or attribute name. */
static const char **
log_slot(struct import_args *a, const char *arg)
{
	static const char *const names[] = { "--case", "--activity", "--timestamp", "--start",
	                                     "--end", "--resource", "--lifecycle", "--instance" };
	const char **slots[] = { &a->ev.case_key, &a->ev.activity_key, &a->ev.timestamp_key,
	                         &a->ev.start_key, &a->ev.end_key, &a->ev.resource_key,
	                         &a->ev.lifecycle_key, &a->ev.instance_key };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(arg, names[i]))
			return slots[i];
	return NULL;
}

static int
parse_args(int argc, char **argv, struct import_args *a)
{
	int i;
	bool options = true;
	char list[256];

	memset(a, 0, sizeof *a);
	if (!(a->files = calloc((size_t)argc, sizeof *a->files)))
		return cli_fail(STATUS_NOMEM, NULL);
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (options && !strcmp(arg, "--")) {
			options = false;
		} else if (options && (!strcmp(arg, "-o") || !strcmp(arg, "--output") ||
		                       !strcmp(arg, "-n") || !strcmp(arg, "--name"))) {
			bool out = !strcmp(arg, "-o") || !strcmp(arg, "--output");
			const char **slot = out ? &a->out : &a->name;

			if (i + 1 >= argc || !argv[i + 1][0])
				return cli_usage("import: %s needs a value (%s)", arg, USAGE);
			if (*slot)
				return cli_usage("import: %s given twice", arg);
			*slot = argv[++i];
		} else if (options && !strcmp(arg, "--append")) {
			a->append = true;
		} else if (options && !strcmp(arg, "--keep-subprocesses")) {
			a->keep_subprocesses = true;
		} else if (options && !strcmp(arg, "--merge-pools")) {
			a->merge_pools = true;
		} else if (options && !strcmp(arg, "--log")) {
			a->log = true;
		} else if (options && log_slot(a, arg)) {
			const char **slot = log_slot(a, arg);

			if (i + 1 >= argc || !argv[i + 1][0])
				return cli_usage("import: %s needs a column or attribute name", arg);
			*slot = argv[++i];
		} else if (options && !strcmp(arg, "--lane-by")) {
			int by = i + 1 < argc ? evlog_lane_by_parse(argv[i + 1]) : -1;

			if (by < 0)
				return cli_usage("import: --lane-by needs role, group, resource or none");
			a->ev.lane_by = (enum evlog_lane_by)by;
			i++;
		} else if (options && !strcmp(arg, "--coverage")) {
			char *end;
			double pct = i + 1 < argc ? strtod(argv[i + 1], &end) : 0;

			if (i + 1 >= argc || end == argv[i + 1] || *end || !(pct > 0 && pct <= 100))
				return cli_usage("import: --coverage needs a percentage above 0, at most "
				                 "100 (of the events on the map)");
			a->ev.coverage = pct;
			i++;
		} else if (options && arg[0] == '-' && arg[1]) {
			return cli_usage("import: unknown option '%s'", arg);
		} else {
			a->files[a->nfiles++] = arg;
		}
	}
	if (a->nfiles == 0)
		return cli_usage("import: no FILE to read (%s)", USAGE);
	if (!(a->reports = calloc((size_t)a->nfiles, sizeof *a->reports)))
		return cli_fail(STATUS_NOMEM, NULL);
	if (!a->out)
		return cli_usage("import: missing -o WORKBOOK (%s)", USAGE);
	if (a->name && a->nfiles > 1)
		return cli_usage("import: -n names one process; give one FILE, not %d", a->nfiles);
	for (i = 0; i < a->nfiles; i++)
		if (!format_of(a->files[i])) {
			suffix_list(list, sizeof list);
			return cli_usage("import: %s: unknown kind of file; stepmap reads %s",
			                 a->files[i], list);
		}
	return 0;
}

/* --- building --------------------------------------------------------------- */

static bool
name_taken(const struct workbook *w, size_t self, const char *name)
{
	size_t j;

	for (j = 0; j < w->nprocs; j++)
		if (j != self && w->procs[j]->name && !strcmp(w->procs[j]->name, name))
			return true;
	return false;
}

/* Give every process from index `first` on a name no other process has:
 * "Name (2)", "Name (3)"... */
static enum status
unique_names(struct workbook *w, size_t first)
{
	size_t i, len;
	unsigned n;
	char *name;

	for (i = first; i < w->nprocs; i++) {
		struct process *p = w->procs[i];

		if (!name_taken(w, i, p->name))
			continue;
		len = strlen(p->name) + 16;
		if (!(name = malloc(len)))
			return STATUS_NOMEM;
		for (n = 2; snprintf(name, len, "%s (%u)", p->name, n), name_taken(w, i, name); n++)
			;
		fprintf(stderr, "stepmap: warning: a process named '%s' exists already; "
		        "this one is named '%s'\n", p->name, name);
		free(p->name);
		p->name = name;
	}
	return STATUS_OK;
}

/* -n for a reader that does not apply it: the one process the file gave,
 * processes [first, w->nprocs) of w. */
static enum status
name_the_process(struct workbook *w, size_t first, const char *path, const char *name,
                 struct err *err)
{
	char *copy;

	if (w->nprocs - first != 1)
		return err_set(err, STATUS_INPUT, "%s: -n names one process, and the file holds "
		               "%zu (pools); leave out -n to name them after their pools", path,
		               w->nprocs - first);
	if (!(copy = strdup(name)))
		return STATUS_NOMEM;
	free(w->procs[first]->name);
	w->procs[first]->name = copy;
	return STATUS_OK;
}

/* Read every file into w. Prints warnings (as `stepmap check` does: "FILE:LINE:
 * what", one a line) and the error; returns the exit code. */
static int
read_all(const struct import_args *a, struct workbook *w)
{
	int i;

	for (i = 0; i < a->nfiles; i++) {
		const struct import_format *fmt = format_of(a->files[i]);
		struct sink_builder *b = NULL;
		struct sink sink;
		struct err err = { 0 };
		size_t first = w->nprocs;
		enum status st;

		if ((st = sink_builder_new(w, fmt->order_by_flow, &b, &sink)) != STATUS_OK)
			return cli_fail(st, NULL);
		st = fmt->read(a->files[i], a, &sink, &err);
		fputs(sink_builder_warnings(b), stderr);
		sink_builder_free(&b);
		if (st == STATUS_OK && a->name && !fmt->names)
			st = name_the_process(w, first, a->files[i], a->name, &err);
		if (st != STATUS_OK)
			return cli_fail(st, &err);
	}
	return 0;
}

/* --- writing ---------------------------------------------------------------- */

/* The edit that adds process p (ids already fresh for the target workbook)
 * with everything in it. NULL when out of memory. */
static struct edit *
edit_add_whole(const struct process *p)
{
	size_t n = 1 + p->nlanes + p->nsteps + p->nflows + p->nmeasures, k = 0, i;
	struct edit **items = calloc(n, sizeof *items);
	struct process_head *h;
	char label[256];

	if (!items)
		return NULL;
#define ADD_(K_, F_, O_) do { \
		struct edit *e_ = calloc(1, sizeof *e_); \
		if (!e_) \
			goto fail; \
		items[k++] = e_; \
		e_->kind = (K_); \
		e_->process = p->id; \
		if (!(e_->u.F_.after = (O_))) \
			goto fail; \
	} while (0)
	if ((h = calloc(1, sizeof *h))) {
		h->id = p->id;
		h->key = p->key;
		h->arrival = p->arrival;
		if (!(h->name = strdup(p->name)) ||
		    (p->description && !(h->description = strdup(p->description)))) {
			free(h->name);
			free(h);
			h = NULL;
		}
	}
	ADD_(EDIT_PROCESS_ADD, process, h);
	for (i = 0; i < p->nlanes; i++)
		ADD_(EDIT_LANE_ADD, lane, lane_copy(p->lanes[i]));
	for (i = 0; i < p->nsteps; i++)
		ADD_(EDIT_STEP_ADD, step, step_copy(p->steps[i]));
	for (i = 0; i < p->nflows; i++)
		ADD_(EDIT_FLOW_ADD, flow, flow_copy(p->flows[i]));
	for (i = 0; i < p->nmeasures; i++)
		ADD_(EDIT_MEASURE_ADD, measure, measure_copy(p->measures[i]));
#undef ADD_
	snprintf(label, sizeof label, "import process '%s'", p->name);
	return edit_group(items, n, label);
fail:
	for (i = 0; i < k; i++)
		edit_free(&items[i]);
	free(items);
	return NULL;
}

/* Add the processes of w from index `first` on to the open workbook as one
 * edit. */
static int
append(struct store *s, struct workbook *target, const struct workbook *w, size_t first,
       const struct import_args *a)
{
	size_t n = w->nprocs - first, i;
	struct edit **items = calloc(n ? n : 1, sizeof *items), *group;
	struct err err = { 0 };
	enum status st;
	char label[256];

	if (!items)
		return cli_fail(STATUS_NOMEM, NULL);
	for (i = 0; i < n; i++)
		if (!(items[i] = edit_add_whole(w->procs[first + i]))) {
			while (i > 0)
				edit_free(&items[--i]);
			free(items);
			return cli_fail(STATUS_NOMEM, NULL);
		}
	if (a->nfiles == 1)
		snprintf(label, sizeof label, "import %s", a->files[0]);
	else
		snprintf(label, sizeof label, "import %d files", a->nfiles);
	if (!(group = edit_group(items, n, label)))
		return cli_fail(STATUS_NOMEM, NULL);
	st = store_do(s, target, group, &err);
	if (st != STATUS_OK)
		return cli_fail(st, &err);
	return 0;
}

/* What an event log gave, and what the map leaves out (never silently). */
static void
print_log_report(const char *file, const struct evlog_report *r)
{
	char a[DIST_TEXT_MAX], b[DIST_TEXT_MAX], c[DIST_TEXT_MAX];

	printf("%s: event log: %zu cases, %zu events, %zu activities, %zu resources, "
	       "%zu variants (the top one %zu cases, %.1f %%), %zu directly-follows edges\n",
	       file, r->cases, r->events, r->activities, r->resources, r->variants,
	       r->top_variant_cases, r->cases ? 100.0 * (double)r->top_variant_cases /
	       (double)r->cases : 0, r->dfg_edges);
	printf("%s: case duration measured: mean %s, median %s, P90 %s; %s\n", file,
	       duration_format(floor(r->case_mean_s + 0.5), a, sizeof a),
	       duration_format(floor(r->case_p50_s + 0.5), b, sizeof b),
	       duration_format(floor(r->case_p90_s + 0.5), c, sizeof c),
	       r->split ? "work and wait measured apart (start and complete times)"
	                : "completion times only: each step's wait holds its work too");
	printf("%s: on the map: %zu activities, %zu of %zu events (%.1f %%); left out: "
	       "%zu activities (%zu events), %zu edges; %zu events unreadable, %zu starts "
	       "never completed, %zu other lifecycle events\n", file, r->steps,
	       r->events_on_map, r->events, r->events ? 100.0 * (double)r->events_on_map /
	       (double)r->events : 0, r->activities_left_out, r->events_left_out,
	       r->edges_left_out, r->bad_events, r->unpaired_starts, r->other_lifecycle);
	if (r->parallel_blocks)
		printf("%s: parallel work: %zu block%s of activities that overlap in time within "
		       "cases, each a parallel split and join\n", file, r->parallel_blocks,
		       r->parallel_blocks == 1 ? "" : "s");
}

int
cmd_import(int argc, char **argv)
{
	struct import_args a;
	struct store *store = NULL;
	struct workbook *target = NULL, *w = NULL;
	size_t first = 0, i;
	struct stat sb;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != 0)
		goto out;
	if (a.append) {
		if ((rc = cli_open_workbook(a.out, STORE_OPEN, &store, &target)) != 0)
			goto out;
		w = workbook_copy(target);
		first = target->nprocs;
	} else {
		if (strcmp(a.out, "-") == 0) {
			rc = cli_usage("import: -o needs a workbook file, not standard output");
			goto out;
		}
		if (stat(a.out, &sb) == 0) {
			fprintf(stderr, "stepmap: %s exists; import writes a new workbook "
			        "(--append adds to an existing one)\n", a.out);
			rc = 1;
			goto out;
		}
		w = workbook_new();
	}
	if (!w) {
		rc = cli_fail(STATUS_NOMEM, NULL);
		goto out;
	}
	if ((rc = read_all(&a, w)) != 0)
		goto out;
	if (unique_names(w, first) != STATUS_OK) {
		rc = cli_fail(STATUS_NOMEM, NULL);
		goto out;
	}
	rc = a.append ? append(store, target, w, first, &a) : cli_write_workbook(a.out, w);
	/* the edit of an append carries no log summary: stored after it */
	for (i = first; rc == 0 && a.append && i < w->nprocs; i++) {
		struct err err = { 0 };
		enum status st = store_save_log(store, w->procs[i], &err);

		if (st != STATUS_OK)
			rc = cli_fail(st, &err);
	}
	if (rc == 0)
		for (i = first; i < w->nprocs; i++) {
			const struct process *p = w->procs[i];
			size_t n = process_step_count(p);
			char gen[64] = "";

			/* steps as the figures count them; the program's gateways beside */
			if (n < p->nsteps)
				snprintf(gen, sizeof gen, " (and %zu generated gateway%s)", p->nsteps - n,
				         p->nsteps - n == 1 ? "" : "s");
			printf("%s: process '%s': %zu steps%s, %zu lanes, %zu flows, %zu measures\n",
			       a.out, p->name, n, gen, p->nlanes, p->nflows, p->nmeasures);
		}
	for (i = 0; rc == 0 && i < (size_t)a.nfiles; i++)
		if (a.reports[i].cases)
			print_log_report(a.files[i], &a.reports[i]);
out:
	for (i = 0; a.reports && i < (size_t)a.nfiles; i++)
		evlog_report_done(&a.reports[i]);
	free(a.reports);
	workbook_free(&w);
	workbook_free(&target);
	store_close(&store);
	free(a.files);
	return rc;
}
