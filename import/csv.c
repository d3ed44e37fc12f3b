/*
 * csv.c - the CSV reader: libcsv cuts the bytes into cells; this file keeps
 * count of physical lines, maps header names to columns, checks every cell,
 * and emits the process into a sink. The format is documented in csv.h.
 *
 * Two passes. The first reads the whole file into rows of the known columns
 * (strings, with the line each record starts on); the second checks the
 * rows as a whole (keys, lanes, flows, measures) and, only when all is well,
 * emits them. So a bad file sends nothing to the sink.
 *
 * Line numbers. libcsv reports cells and records but not where they are, so
 * the file is fed to it one physical line at a time (a line split across
 * read blocks goes in pieces): when a record ends, the line being fed is the
 * line it ends on, and the first line fed with something other than blanks
 * after a record ended is the line the next one starts on.
 */
#include "import/csv_int.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "model/file.h"

const char *const csv_column_names[] = {
#define COLUMN_NAME_(name, h) h,
	STEP_FIELD_INFO(COLUMN_NAME_)
	CSV_EXTRA_COLUMN_INFO(COLUMN_NAME_)
#undef COLUMN_NAME_
};

/* --- messages ------------------------------------------------------------- */

enum status
csv_fail_at(struct reader *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

enum status
csv_fail_at(struct reader *r, size_t line, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	if (r->st != STATUS_OK)
		return r->st;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line)
		err_set(r->err, STATUS_INPUT, "%s:%zu: %s", r->where, line, msg);
	else
		err_set(r->err, STATUS_INPUT, "%s: %s", r->where, msg);
	r->st = STATUS_INPUT;
	return r->st;
}

enum status
csv_nomem(struct reader *r)
{
	if (r->st == STATUS_OK) {
		err_set(r->err, STATUS_NOMEM, "%s: out of memory", r->where);
		r->st = STATUS_NOMEM;
	}
	return r->st;
}

void
csv_warn_at(struct reader *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void
csv_warn_at(struct reader *r, size_t line, const char *fmt, ...)
{
	char where[512], what[ERR_MSG_MAX];
	va_list ap;

	if (!r->sink->ops->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (line)
		snprintf(where, sizeof where, "%s:%zu", r->where, line);
	else
		snprintf(where, sizeof where, "%s", r->where);
	r->sink->ops->warn(r->sink->ctx, where, what);
}

/* The user's text, shortened for a message. */
const char *
csv_shown(const char *s, char *buf, size_t size)
{
	if (strlen(s) > 60)
		snprintf(buf, size, "%.60s...", s);
	else
		snprintf(buf, size, "%s", s);
	return buf;
}

/* --- small text helpers ---------------------------------------------------- */

/* s without leading and trailing blanks, in place. */
char *
csv_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* True when s is NULL or only blanks. */
bool
csv_blank(const char *s)
{
	if (s)
		for (; *s; s++)
			if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
				return false;
	return true;
}



/* Move the lane rows out of the step rows, keeping the order of both. */
static enum status
split_lane_rows(struct reader *r)
{
	size_t i, k = 0, n = 0;

	for (i = 0; i < r->nrows; i++)
		n += !r->rows[i].has_step;
	if (n == 0)
		return STATUS_OK;
	if (!(r->lrows = malloc(n * sizeof *r->lrows)))
		return csv_nomem(r);
	for (i = 0; i < r->nrows; i++) {
		if (!r->rows[i].has_step)
			r->lrows[r->nlrows++] = r->rows[i];
		else
			r->rows[k++] = r->rows[i];
	}
	r->nrows = k;
	return STATUS_OK;
}

static void
rows_free(struct reader *r)
{
	size_t i, c;

	for (i = 0; i < r->nrows; i++) {
		for (c = 0; c < COL_COUNT_; c++)
			free(r->rows[i].cell[c]);
		free(r->rows[i].key);
		if (r->rows[i].has_step)
			step_done(&r->rows[i].step);
	}
	free(r->rows);
	for (i = 0; i < r->nlrows; i++)
		for (c = 0; c < COL_COUNT_; c++)
			free(r->lrows[i].cell[c]);
	free(r->lrows);
	for (i = 0; i < r->nhead; i++)
		free(r->head[i]);
	free(r->head);
	free(r->colmap);
	csv_record_reset(r);
}

/* The process's own settings, each from the first row that gives it. */
struct settings {
	struct dist arrival;
	bool has_arrival;
	enum time_unit unit;
	bool has_unit;
};

/* The process's arrival pattern and time unit: the first row that gives
 * each; a later row that gives another is a warning. */
static enum status
find_settings(struct reader *r, struct settings *out)
{
	size_t i, first[2] = { 0, 0 };

	memset(out, 0, sizeof *out);
	for (i = 0; i < r->nrows; i++) {
		const struct row *row = &r->rows[i];
		char *arr = row->cell[COL_ARRIVAL] ? csv_trim(row->cell[COL_ARRIVAL]) : NULL;
		char *unit = row->cell[COL_TIME_UNIT] ? csv_trim(row->cell[COL_TIME_UNIT]) : NULL;
		struct dist d;
		enum time_unit u;
		enum status st;

		if (arr && *arr) {
			if ((st = dist_parse_arrival(arr, NULL, &d, r->err)) != STATUS_OK)
				return csv_cell_error(r, row, COL_ARRIVAL, st);
			if (!out->has_arrival) {
				out->arrival = d;
				out->has_arrival = true;
				first[0] = row->line;
			} else if (!dist_equal(&d, &out->arrival)) {
				csv_warn_at(r, row->line, "a second arrival pattern; the one on line %zu "
				            "is kept", first[0]);
			}
		}
		if (unit && *unit) {
			if ((st = time_unit_read(unit, NULL, &u, r->err)) != STATUS_OK)
				return csv_cell_error(r, row, COL_TIME_UNIT, st);
			if (!out->has_unit) {
				out->unit = u;
				out->has_unit = true;
				first[1] = row->line;
			} else if (u != out->unit) {
				csv_warn_at(r, row->line, "a second time unit; the one on line %zu is kept",
				            first[1]);
			}
		}
	}
	return STATUS_OK;
}

/* The process name from the file's: its base name without ".csv". */
static char *
name_from_path(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 4 && !strcasecmp(b + n - 4, ".csv"))
		n -= 4;
	return strndup(b, n);
}

static enum status
emit(struct reader *r, struct sink *sink, const char *name, struct step *steps,
     const struct lane_info *lanes, size_t nlanes, const struct key_ref *keys,
     const struct mpair *pairs, size_t npairs, const struct settings *set)
{
	const struct sink_ops *ops = sink->ops;
	struct err *err = r->err;
	enum status st;
	size_t i;

	if ((st = ops->process(sink->ctx, name, name, NULL, err)) != STATUS_OK)
		return st;
	if (set->has_arrival && ops->arrival &&
	    (st = ops->arrival(sink->ctx, &set->arrival, err)) != STATUS_OK)
		return st;
	if (set->has_unit && ops->time_unit &&
	    (st = ops->time_unit(sink->ctx, set->unit, err)) != STATUS_OK)
		return st;
	for (i = 0; i < nlanes; i++) {
		struct lane l = {
			.name = (char *)lanes[i].name,
			.stage = lanes[i].stage >= 0 ? (enum stage)lanes[i].stage : STAGE_OFFSTAGE,
			.capacity = lanes[i].capacity > 0 ? lanes[i].capacity : 0,
		};

		if ((st = ops->lane(sink->ctx, lanes[i].name, &l, err)) != STATUS_OK)
			return st;
	}
	for (i = 0; i < r->nrows; i++) {
		char *lane = r->rows[i].cell[COL_LANE] ? csv_trim(r->rows[i].cell[COL_LANE]) : NULL;

		if ((st = ops->step(sink->ctx, r->rows[i].key, lane && *lane ? lane : NULL,
		                    &steps[i], err)) != STATUS_OK)
			return st;
	}
	for (i = 0; i < r->nrows; i++)
		if ((st = csv_emit_next(r, &r->rows[i], keys, sink)) != STATUS_OK)
			return st;
	for (i = 0; i < npairs; i++) {
		struct measure m = { .name = pairs[i].name, .clock = pairs[i].clock };

		if ((st = ops->measure(sink->ctx, r->rows[pairs[i].from].key,
		                       r->rows[pairs[i].to].key, &m, err)) != STATUS_OK)
			return st;
	}
	return ops->end(sink->ctx, err);
}

enum status
csv_import_stream(FILE *f, const char *where, const char *name, struct sink *sink,
                  struct err *err)
{
	struct reader r = { .where = where ? where : "CSV", .err = err, .sink = sink };
	struct key_ref *keys = NULL;
	struct lane_info *lanes = NULL;
	struct mpair *pairs = NULL;
	struct step *steps = NULL;
	struct settings set;
	size_t nlanes = 0, npairs = 0, i, nsteps = 0;
	char *own_name = NULL;

	if (csv_read_rows(&r, f) != STATUS_OK || split_lane_rows(&r) != STATUS_OK)
		goto out;
	if (csv_order_rows(&r, &keys) != STATUS_OK || csv_collect_lanes(&r, &lanes, &nlanes) != STATUS_OK)
		goto out;
	if (!(steps = calloc(r.nrows ? r.nrows : 1, sizeof *steps))) {
		csv_nomem(&r);
		goto out;
	}
	for (i = 0; i < r.nrows; i++) {   /* each row's step, made as it was read */
		steps[i] = r.rows[i].step;
		r.rows[i].has_step = false;
		nsteps++;
	}
	for (i = 0; i < r.nrows; i++)
		if (csv_emit_next(&r, &r.rows[i], keys, NULL) != STATUS_OK)
			goto out;
	if (csv_pair_measures(&r, &pairs, &npairs) != STATUS_OK ||
	    find_settings(&r, &set) != STATUS_OK)
		goto out;
	if (r.nrows == 0)
		csv_warn_at(&r, 0, "no steps: the file has a header and nothing else");
	if (!name || !*name) {
		if (!(own_name = name_from_path(r.where))) {
			csv_nomem(&r);
			goto out;
		}
		name = own_name;
	}
	r.st = emit(&r, sink, name, steps, lanes, nlanes, keys, pairs, npairs, &set);
out:
	for (i = 0; i < nsteps; i++)
		step_done(&steps[i]);
	free(steps);
	free(own_name);
	csv_mpairs_free(pairs, npairs);
	free(lanes);
	free(keys);
	rows_free(&r);
	return r.st;
}

enum status
csv_import_file(const char *path, const char *name, struct sink *sink, struct err *err)
{
	struct err e = { 0 };
	int fd = file_open_read(path, NULL, NULL, &e);
	FILE *f;
	enum status st;

	if (fd < 0)
		return err_set(err, e.code, "%s", e.msg);
	if (!(f = fdopen(fd, "rb"))) {
		close(fd);
		return err_set(err, STATUS_NOMEM, "%s: out of memory", path);
	}
	st = csv_import_stream(f, path, name, sink, err);
	fclose(f);
	return st;
}
