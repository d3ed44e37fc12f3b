/*
 * io.c - :import and :export in the workbench.
 *
 * :import FILE reads a .csv or .bpmn file (by its suffix) with the project's
 * readers into a scratch workbook whose ids start above the open one's, then
 * adds every process read as one edit (a GROUP of adds) through the store, so
 * an import is one transaction and one undo. A name already used gets " (2)".
 *
 * :export FILE writes the current process as CSV or BPMN 2.0 (by the suffix)
 * through the writer the caller gave (atomic: a failure leaves no
 * half-written file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

#include "export/bpmn.h"
#include "export/csv.h"
#include "import/bpmn.h"
#include "import/csv.h"
#include "import/sink.h"
#include "tui/app.h"

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcasecmp(s + n - m, suffix);
}

static struct edit *
edit_add(enum edit_kind kind, sm_id pid, void *obj)
{
	struct edit *e;

	if (!obj || !(e = calloc(1, sizeof *e)))
		return NULL;
	e->kind = kind;
	e->process = pid;
	switch (kind) {
	case EDIT_PROCESS_ADD: e->u.process.after = obj; break;
	case EDIT_LANE_ADD:    e->u.lane.after = obj; break;
	case EDIT_STEP_ADD:    e->u.step.after = obj; break;
	case EDIT_FLOW_ADD:    e->u.flow.after = obj; break;
	case EDIT_MEASURE_ADD: e->u.measure.after = obj; break;
	default: free(e); return NULL;
	}
	return e;
}

/* A unique process name in w, from name. */
static char *
unique_name(const struct workbook *w, const char *name)
{
	char buf[600];
	int k;

	if (!workbook_process_named(w, name))
		return strdup(name);
	for (k = 2; k < 10000; k++) {
		snprintf(buf, sizeof buf, "%.500s (%d)", name, k);
		if (!workbook_process_named(w, buf))
			return strdup(buf);
	}
	return NULL;
}

/* The adds that put src (whose ids are unused in w) into w. Appends to
 * items (room for enough); returns the count added, or -1. */
static long
process_adds(struct workbook *w, const struct process *src, double key, struct edit **items)
{
	struct process_head *h = calloc(1, sizeof *h);
	long n = 0;
	size_t i;

	if (!h)
		return -1;
	h->id = src->id;
	h->key = key;
	h->arrival = src->arrival;
	h->name = unique_name(w, src->name);
	h->description = src->description ? strdup(src->description) : NULL;
	if (!(items[n++] = edit_add(EDIT_PROCESS_ADD, src->id, h))) {
		free(h->name);
		free(h->description);
		free(h);
		return -1;
	}
	if (!h->name)
		return -1;
	for (i = 0; i < src->nlanes; i++)
		if (!(items[n++] = edit_add(EDIT_LANE_ADD, src->id, lane_copy(src->lanes[i]))))
			return -1;
	for (i = 0; i < src->nsteps; i++)
		if (!(items[n++] = edit_add(EDIT_STEP_ADD, src->id, step_copy(src->steps[i]))))
			return -1;
	for (i = 0; i < src->nflows; i++)
		if (!(items[n++] = edit_add(EDIT_FLOW_ADD, src->id, flow_copy(src->flows[i]))))
			return -1;
	for (i = 0; i < src->nmeasures; i++)
		if (!(items[n++] = edit_add(EDIT_MEASURE_ADD, src->id, measure_copy(src->measures[i]))))
			return -1;
	return n;
}

int
app_import(struct app *a, const char *path)
{
	struct workbook *scratch = workbook_new();
	struct sink_builder *b = NULL;
	struct sink sink;
	struct err err = { 0 };
	struct edit **items = NULL, *e = NULL;
	size_t total = 0, n = 0, i;
	enum status st;
	double key;
	char label[600];
	sm_id first = 0;
	int fl = FL_REDRAW;

	if (!scratch) {
		app_error(a, "out of memory");
		return FL_REDRAW;
	}
	scratch->next_id = a->wb->next_id;
	if (!has_suffix(path, ".csv") && !has_suffix(path, ".bpmn") && !has_suffix(path, ".xml")) {
		app_error(a, "%s: import reads .csv and .bpmn files", path);
		goto out;
	}
	st = sink_builder_new(scratch, has_suffix(path, ".csv") ? false : true, &b, &sink);
	if (st != STATUS_OK) {
		app_error(a, "out of memory");
		goto out;
	}
	if (has_suffix(path, ".csv"))
		st = csv_import_file(path, NULL, &sink, &err);
	else
		st = bpmn_read(path, NULL, &sink, &err);
	if (st != STATUS_OK) {
		app_error(a, "%s", err.msg[0] ? err.msg : status_text(st));
		goto out;
	}
	for (i = 0; i < scratch->nprocs; i++) {
		const struct process *p = scratch->procs[i];

		total += 1 + p->nlanes + p->nsteps + p->nflows + p->nmeasures;
	}
	if (!total) {
		app_error(a, "%s: no process in the file", path);
		goto out;
	}
	if (!(items = calloc(total, sizeof *items))) {
		app_error(a, "out of memory");
		goto out;
	}
	key = a->wb->nprocs ? a->wb->procs[a->wb->nprocs - 1]->key : 0;
	for (i = 0; i < scratch->nprocs; i++) {
		long k;

		key += 1024;
		k = process_adds(a->wb, scratch->procs[i], key, items + n);
		if (k < 0) {
			app_error(a, "out of memory");
			goto out;
		}
		n += (size_t)k;
	}
	first = scratch->procs[0]->id;
	snprintf(label, sizeof label, "import %.500s", path);
	e = edit_group(items, n, label);
	items = NULL;
	if (!e) {
		app_error(a, "out of memory");
		goto out;
	}
	fl = app_do(a, STATUS_OK, &e, "import");
	if (fl & FL_CHANGED) {
		size_t warn = sink_builder_nwarnings(b);

		app_open_process(a, first);
		app_say(a, "%s: %zu process%s imported%s%s", path, scratch->nprocs,
		        scratch->nprocs == 1 ? "" : "es", warn ? "; first warning: " : "",
		        warn ? sink_builder_warnings(b) : "");
		/* one line on the status line */
		for (i = 0; a->status[i]; i++)
			if (a->status[i] == '\n')
				a->status[i] = a->status[i + 1] ? ' ' : '\0';
	}
out:
	if (items) {
		for (i = 0; i < total; i++)
			edit_free(&items[i]);
		free(items);
	}
	sink_builder_free(&b);
	workbook_free(&scratch);
	return fl;
}

static enum status
write_csv(FILE *f, void *ctx, struct err *err)
{
	return csv_export_process(f, ctx, NULL, err);
}

static enum status
write_bpmn(FILE *f, void *ctx, struct err *err)
{
	const struct process *p = ctx;

	return bpmn_write_processes(f, &p, 1, NULL, err);
}

/* The file :export asks about replacing (one question at a time). */
static char export_pending[1024];

static int
export_now(struct app *a, struct process *p, const char *path)
{
	struct err err = { 0 };
	enum status st;

	st = a->opt.write_file(path, has_suffix(path, ".csv") ? write_csv : write_bpmn, p, &err);
	if (st != STATUS_OK) {
		app_error(a, "%s", err.msg[0] ? err.msg : status_text(st));
		return FL_REDRAW;
	}
	app_say(a, "%s: %zu steps written", path, p->nsteps);
	return FL_REDRAW;
}

static int
export_replace(struct app *a, const char *answer, void *ctx)
{
	struct process *p = app_process(a);

	(void)ctx;
	if (answer[0] != 'y' && answer[0] != 'Y') {
		app_say(a, "%s: not replaced; nothing written", export_pending);
		return FL_REDRAW;
	}
	if (!p) {
		app_error(a, "no process to export");
		return FL_REDRAW;
	}
	return export_now(a, p, export_pending);
}

int
app_export(struct app *a, const char *path)
{
	struct process *p = app_process(a);

	if (!p) {
		app_error(a, "no process to export");
		return FL_REDRAW;
	}
	if (!a->opt.write_file) {
		app_error(a, "export is not available here");
		return FL_REDRAW;
	}
	if (!has_suffix(path, ".csv") && !has_suffix(path, ".bpmn")) {
		app_error(a, "%s: export writes .csv or .bpmn files (by the suffix)", path);
		return FL_REDRAW;
	}
	{
		struct stat sb;

		/* A file there already: ask first (the writer refuses what is not
		 * a regular file, and writes through a symbolic link). */
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			char q[1200];

			snprintf(export_pending, sizeof export_pending, "%s", path);
			snprintf(q, sizeof q, "%s exists. Replace it? (y/n) ", path);
			app_prompt(a, q, "", export_replace, NULL);
			return FL_REDRAW;
		}
	}
	return export_now(a, p, path);
}
