/*
 * io.c - :import and :export in the workbench.
 *
 * :import FILE reads a .csv or .bpmn file, or an event log (.xes, .xes.gz,
 * or a CSV whose header names a case, an activity and a time), by its suffix
 * with the project's readers into a scratch workbook whose ids start above
 * the open one's, then adds every process read as one edit (a GROUP of adds)
 * through the store, so an import is one transaction and one undo. A name
 * already used gets " (2)". What an event log says (model/logsum.h) is not
 * part of an edit: it is stored beside it (store_save_log), and an undo of
 * the import deletes it with its process.
 *
 * :export FILE writes what is shown, the current process or with a scenario
 * shown the process as the scenario has it (its derived process), as CSV or
 * BPMN 2.0, or the figures as JSON (`stepmap report --json` of the process and
 * the scenario), by the suffix, through the writer the caller gave (atomic:
 * a failure leaves no half-written file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <strings.h>

#include "export/bpmn.h"
#include "export/csv.h"
#include "export/formats.h"
#include "export/picture.h"
#include "export/readout.h"
#include "export/json.h"
#include "import/bpmn.h"
#include "import/csv.h"
#include "import/evlog.h"
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
	h->time_unit = src->time_unit;
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
	bool evlog;

	if (!scratch) {
		app_error(a, "out of memory");
		return FL_REDRAW;
	}
	scratch->next_id = a->wb->next_id;
	if (!has_suffix(path, ".csv") && !has_suffix(path, ".bpmn") && !has_suffix(path, ".xml") &&
	    !has_suffix(path, ".xes") && !has_suffix(path, ".xes.gz")) {
		app_error(a, "%s: import reads .csv, .bpmn and event logs (.xes, .xes.gz)", path);
		goto out;
	}
	evlog = has_suffix(path, ".xes") || has_suffix(path, ".xes.gz") ||
	        (has_suffix(path, ".csv") && evlog_csv_sniff(path, NULL));
	st = sink_builder_new(scratch, has_suffix(path, ".csv") || evlog ? false : true, &b, &sink);
	if (st != STATUS_OK) {
		app_error(a, "out of memory");
		goto out;
	}
	if (evlog && has_suffix(path, ".csv"))
		st = evlog_csv_read(path, NULL, &sink, &err);
	else if (evlog)
		st = xes_read(path, NULL, &sink, &err);
	else if (has_suffix(path, ".csv"))
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
		const struct log_summary *l = NULL;
		char what[200] = "";

		for (i = 0; i < scratch->nprocs; i++) {
			struct process *p = workbook_process(a->wb, scratch->procs[i]->id);

			if (!p || !scratch->procs[i]->log)
				continue;
			p->log = scratch->procs[i]->log;
			l = p->log;
			scratch->procs[i]->log = NULL;
			if (store_save_log(a->store, p, &err) != STATUS_OK)
				break;
		}
		app_open_process(a, first);
		if (l)
			snprintf(what, sizeof what, ": an event log of %zu cases, %zu variants "
			         "(:variants)", l->cases, l->variants);
		if (i < scratch->nprocs)
			app_error(a, "%s: imported, but its log's figures were not stored: %s", path,
			          err.msg);
		else
			app_say(a, "%s: %zu process%s imported%s%s%s", path, scratch->nprocs,
			        scratch->nprocs == 1 ? "" : "es", what, warn ? "; first warning: " : "",
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

char *
app_expand_path(const char *typed, char *out, size_t size)
{
	const char *home = getenv("HOME");

	if (typed[0] == '~' && (typed[1] == '/' || typed[1] == '\0') && home && *home)
		snprintf(out, size, "%s%s", home, typed + 1);
	else
		snprintf(out, size, "%s", typed);
	return out;
}

/* What :export FILE.json writes: the report of the process, with the
 * scenario shown (when one is) beside it. */
struct json_job {
	const struct workbook *wb;
	const struct process *p;
	const char *scenario;
};

static enum status
write_json(FILE *f, void *ctx, struct err *err)
{
	const struct json_job *j = ctx;

	return report_json_write(f, j->wb, j->p, j->scenario, err);
}

/* What :export writes, by the file's suffix: the pictures and the readout
 * show the scenario on screen beside the baseline. */
struct export_job {
	const struct process *p;
	const struct scenario *sc;
	enum pic_format fmt;
	const struct readout *r;
};

static enum status
write_picture(FILE *f, void *ctx, struct err *err)
{
	const struct export_job *j = ctx;
	struct pic_opts o = { j->fmt, PIC_PAPER_A4, PIC_DEFAULT_DPI };

	return blueprint_write(f, j->p, j->sc, &o, NULL, err);
}

static enum status
write_html(FILE *f, void *ctx, struct err *err)
{
	const struct export_job *j = ctx;

	return readout_html_write(f, j->r, err);
}

/* The writer of each format (export/formats.h) as :export writes it: the
 * list formats the process shown, the pictures and the readout the
 * baseline with the scenario's difference; JSON and Markdown are done in
 * export_write. */
static enum status (*const writers[EXPORT_FORMAT_COUNT_])(FILE *f, void *ctx,
                                                          struct err *err) = {
	[EXPORT_CSV] = write_csv,
	[EXPORT_BPMN] = write_bpmn,
	[EXPORT_SVG] = write_picture,
	[EXPORT_PNG] = write_picture,
	[EXPORT_PDF] = write_picture,
	[EXPORT_HTML] = write_html,
};

static int
export_write(struct app *a, const char *path)
{
	struct process *p = app_process(a);
	const struct scenario *sc = app_scenario(a);
	const struct process *shown;
	struct export_job j = { 0 };
	struct json_job job;
	struct readout *r = NULL;
	struct readout_opts ro;
	struct err err = { 0 };
	enum status st;
	const struct export_format_info *fi;
	int k;
	bool json, list;

	if (!p) {
		app_error(a, "no process to export");
		return FL_REDRAW;
	}
	if (!a->opt.write_file) {
		app_error(a, "export is not available here");
		return FL_REDRAW;
	}
	if ((k = export_format_of_path(path)) < 0) {
		app_error(a, "%s: export writes %s", path, export_format_suffixes());
		return FL_REDRAW;
	}
	fi = export_format_info((enum export_format)k);
	json = k == EXPORT_JSON;
	/* the formats that write a process (not the figures, not a drawing of
	 * the baseline with the scenario's difference) write the one shown */
	list = !json && !fi->own_scenario;
	/* The steps are written as shown (the scenario's process when one is);
	 * the pictures and the readout draw the baseline with the scenario's
	 * difference. */
	shown = app_shown(a);
	if (list && sc && shown == p) {
		app_error(a, "scenario '%s' could not be applied: nothing written", sc->name);
		return FL_REDRAW;
	}
	j.p = p;
	j.sc = sc;
	j.fmt = fi->pic;
	if (fi->readout) {
		readout_opts_init(&ro);
		if ((st = readout_new(p, j.sc, &ro, &r, &err)) != STATUS_OK)
			goto out;
		j.r = r;
	}
	if (json) {
		job.wb = a->wb;
		job.p = p;
		job.scenario = sc ? sc->name : NULL;
		st = a->opt.write_file(path, write_json, &job, &err);
	} else if (writers[k])
		st = a->opt.write_file(path, writers[k],
		                       list ? (void *)shown : (void *)&j, &err);
	else
		st = readout_md_files(path, r, a->opt.write_file, &err);
out:
	readout_free(&r);
	if (st != STATUS_OK) {
		app_error(a, "%s", err.msg[0] ? err.msg : status_text(st));
		return FL_REDRAW;
	}
	if (json)
		app_say(a, "%s: the figures of '%s'%s%s%s written", path, p->name,
		        sc ? " and of scenario '" : "", sc ? sc->name : "", sc ? "'" : "");
	else if (list && sc)
		app_say(a, "%s: scenario '%s' written (%zu steps as the scenario has them)", path,
		        sc->name, shown->nsteps);
	else if (list)
		app_say(a, "%s: %zu steps written", path, p->nsteps);
	else
		app_say(a, "%s: written (%zu steps%s%s)", path, p->nsteps,
		        sc ? ", the difference of scenario " : "", sc ? sc->name : "");
	return FL_REDRAW;
}

/* The file :export asks about replacing (one question at a time). */
static char export_pending[1024];

static int
export_replace(struct app *a, const char *answer, void *ctx)
{
	(void)ctx;
	if (answer[0] != 'y') {
		app_say(a, "%s: not replaced; nothing written", export_pending);
		return FL_REDRAW;
	}
	return export_write(a, export_pending);
}

int
app_export(struct app *a, const char *path)
{
	struct stat sb;

	/* A file there already: ask first (the writer refuses what is not a
	 * regular file, and writes through a symbolic link). */
	if (app_process(a) && a->opt.write_file &&
	    export_format_of_path(path) >= 0 &&
	    stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
		char q[1200];

		snprintf(export_pending, sizeof export_pending, "%s", path);
		snprintf(q, sizeof q, "%s exists. Replace it? (y/n) ", path);
		app_ask(a, q, "yn", export_replace, NULL);
		return FL_REDRAW;
	}
	return export_write(a, path);
}
