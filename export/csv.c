/*
 * csv.c - the CSV writer: one header row, one row per step (csv.h says why
 * CRLF and a byte-order mark; import/csv.h documents the columns).
 *
 * Flows and measures are kept by id, not by step, so each is first bucketed
 * by the step it leaves, starts or ends at (a counting sort, in id order
 * within a step): the file is written in one pass, linear in the process.
 */
#include "export/csv.h"
#include "export/strbuf.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The columns, in the order written. */
static const char *const header[] = {
	"step", "name", "lane", "stage", "capacity", "type", "work", "wait", "value",
	"error_rate", "cost", "channel", "emotion", "pain", "note", "next", "starts",
	"ends", "arrival", "time_unit", "generated",
};

/* The last column, generated, is written only when some step has it. */
#define NHEADER (sizeof header / sizeof header[0])

/* s with a backslash before each character of `special` and before '\'. */
static void
buf_escaped(struct strbuf *b, const char *s, const char *special)
{
	for (; *s; s++) {
		if (*s == '\\' || strchr(special, *s))
			strbuf_add(b, "\\", 1);
		strbuf_add(b, s, 1);
	}
}

/* The shortest text of v that reads back to it, in plain decimals where a
 * spreadsheet user expects them ("40", not "4e+01"; "0.05"), in exponent
 * form only for the very small or very large. */
static void
shortest(double v, char *out, size_t size)
{
	int prec;

	if (v == 0) {
		snprintf(out, size, "0");
		return;
	}
	if (fabs(v) >= 1e-6 && fabs(v) < 1e15)
		for (prec = 0; prec <= 20; prec++) {
			snprintf(out, size, "%.*f", prec, v);
			if (strtod(out, NULL) == v)
				return;
		}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, size, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

/* One cell, quoted when it must be. */
static void
cell(FILE *f, const char *s, char delim, bool first)
{
	size_t n = strlen(s);
	bool quote = n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
	const char *c;

	if (!first)
		putc(delim, f);
	for (c = s; *c && !quote; c++)
		quote = *c == delim || *c == '"' || *c == '\n' || *c == '\r';
	if (!quote) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (c = s; *c; c++) {
		if (*c == '"')
			putc('"', f);
		putc(*c, f);
	}
	putc('"', f);
}

/* items[first[i] .. first[i+1]) are the indices (into the source array) of
 * the objects whose step index is i, in source order. */
struct buckets {
	size_t *first;               /* nsteps + 1 */
	size_t *items;
};

static bool
buckets_make(struct buckets *b, size_t nsteps, size_t n, const size_t *step_of)
{
	size_t i;

	b->first = calloc(nsteps + 2, sizeof *b->first);
	b->items = malloc((n ? n : 1) * sizeof *b->items);
	if (!b->first || !b->items)
		return false;
	for (i = 0; i < n; i++)
		if (step_of[i] < nsteps)
			b->first[step_of[i] + 2]++;
	for (i = 0; i < nsteps; i++)
		b->first[i + 2] += b->first[i + 1];
	for (i = 0; i < n; i++)
		if (step_of[i] < nsteps)
			b->items[b->first[step_of[i] + 1]++] = i;
	return true;
}

static void
buckets_done(struct buckets *b)
{
	free(b->first);
	free(b->items);
}

/* The index of a step by id, or (size_t)-1. */
static size_t
index_of(const struct process *p, sm_id id)
{
	const struct step *s = process_step(p, id);

	return s ? s->index : (size_t)-1;
}

static void
next_cell(struct strbuf *b, const struct process *p, const struct buckets *out, size_t i)
{
	size_t k;
	char num[40];

	for (k = out->first[i]; k < out->first[i + 1]; k++) {
		const struct flow *fl = p->flows[out->items[k]];

		if (k > out->first[i])
			strbuf_str(b, " | ");
		snprintf(num, sizeof num, "%zu", index_of(p, fl->to) + 1);
		strbuf_str(b, num);
		if (fl->prob >= 0) {
			strbuf_str(b, "@");
			shortest(fl->prob, num, sizeof num);
			strbuf_str(b, num);
		}
		if (fl->label && *fl->label) {
			strbuf_str(b, " ");
			buf_escaped(b, fl->label, "|{}");
		}
		if (fl->condition && *fl->condition) {
			strbuf_str(b, " {");
			buf_escaped(b, fl->condition, "|{}");
			strbuf_str(b, "}");
		}
	}
}

static void
measures_cell(struct strbuf *b, const struct process *p, const struct buckets *bk, size_t i,
              bool with_clock)
{
	size_t k;

	for (k = bk->first[i]; k < bk->first[i + 1]; k++) {
		const struct measure *m = p->measures[bk->items[k]];

		if (k > bk->first[i])
			strbuf_str(b, " | ");
		buf_escaped(b, m->name ? m->name : "", "|@");
		if (with_clock) {
			strbuf_str(b, " @");
			strbuf_str(b, clock_name(m->clock));
		}
	}
}

/* True when the step rows alone give back the lanes: every lane has a step
 * and the lanes come in the order their first steps do. */
static bool
lanes_follow_steps(const struct process *p)
{
	size_t i, next = 0;

	for (i = 0; i < p->nsteps && next < p->nlanes; i++) {
		const struct lane *l = step_lane(p, p->steps[i]);
		size_t k;

		if (!l)
			continue;
		for (k = 0; k < next; k++)
			if (p->lanes[k] == l)
				break;
		if (k < next)
			continue;            /* seen already */
		if (p->lanes[next] != l)
			return false;
		next++;
	}
	return next == p->nlanes;
}

/* A row with only a lane, its stage and capacity (import/csv.h). */
static void
lane_row(FILE *f, const struct lane *l, char delim, size_t ncols)
{
	size_t i;
	char cap[32] = "";

	if (l->capacity > 0)
		snprintf(cap, sizeof cap, "%d", l->capacity);
	cell(f, "", delim, true);
	cell(f, "", delim, false);
	cell(f, l->name ? l->name : "", delim, false);
	cell(f, stage_name(l->stage), delim, false);
	cell(f, cap, delim, false);
	for (i = 5; i < ncols; i++)
		cell(f, "", delim, false);
	fputs("\r\n", f);
}

enum status
csv_export_process(FILE *f, const struct process *p, const struct csv_export_opts *opts,
                   struct err *err)
{
	char delim = opts && opts->delimiter ? opts->delimiter : ',';
	struct buckets flows = { 0 }, starts = { 0 }, ends = { 0 };
	size_t *step_of = NULL, i, n, ncols, nobj = p->nflows > p->nmeasures ? p->nflows : p->nmeasures;
	struct strbuf b = { 0 };
	enum status st = STATUS_OK;
	char text[DIST_TEXT_MAX > 64 ? DIST_TEXT_MAX : 64];

	if (!(step_of = malloc((nobj ? nobj : 1) * sizeof *step_of)))
		goto oom;
	for (i = 0; i < p->nflows; i++)
		step_of[i] = index_of(p, p->flows[i]->from);
	if (!buckets_make(&flows, p->nsteps, p->nflows, step_of))
		goto oom;
	for (i = 0; i < p->nmeasures; i++)
		step_of[i] = index_of(p, p->measures[i]->from);
	if (!buckets_make(&starts, p->nsteps, p->nmeasures, step_of))
		goto oom;
	for (i = 0; i < p->nmeasures; i++)
		step_of[i] = index_of(p, p->measures[i]->to);
	if (!buckets_make(&ends, p->nsteps, p->nmeasures, step_of))
		goto oom;

	if (!(opts && opts->no_bom))
		fputs("\xef\xbb\xbf", f);
	for (i = 0; i < p->nsteps && !p->steps[i]->generated; i++)
		;
	ncols = i < p->nsteps ? NHEADER : NHEADER - 1;
	for (i = 0; i < ncols; i++)
		cell(f, header[i], delim, i == 0);
	fputs("\r\n", f);
	if (!lanes_follow_steps(p))
		for (i = 0; i < p->nlanes; i++)
			lane_row(f, p->lanes[i], delim, ncols);
	for (i = 0; i < p->nsteps; i++) {
		const struct step *s = p->steps[i];
		const struct lane *l = step_lane(p, s);
		static const enum step_field fields[] = {
			FIELD_TYPE, FIELD_WORK, FIELD_WAIT, FIELD_VALUE,
		};

		snprintf(text, sizeof text, "%zu", i + 1);
		cell(f, text, delim, true);
		cell(f, s->name ? s->name : "", delim, false);
		cell(f, l && l->name ? l->name : "", delim, false);
		cell(f, l ? stage_name(l->stage) : "", delim, false);
		if (l && l->capacity > 0)
			snprintf(text, sizeof text, "%d", l->capacity);
		else
			text[0] = '\0';
		cell(f, text, delim, false);
		for (n = 0; n < sizeof fields / sizeof fields[0]; n++)
			cell(f, step_get_field(p, s, fields[n], text, sizeof text), delim, false);
		shortest(s->error_rate, text, sizeof text);
		cell(f, text, delim, false);
		shortest(s->cost, text, sizeof text);
		cell(f, text, delim, false);
		cell(f, s->channel ? s->channel : "", delim, false);
		cell(f, step_get_field(p, s, FIELD_EMOTION, text, sizeof text), delim, false);
		cell(f, step_get_field(p, s, FIELD_PAIN, text, sizeof text), delim, false);
		cell(f, s->note ? s->note : "", delim, false);
		strbuf_clear(&b);
		next_cell(&b, p, &flows, i);
		cell(f, b.failed ? "" : b.s, delim, false);
		strbuf_clear(&b);
		measures_cell(&b, p, &starts, i, true);
		cell(f, b.failed ? "" : b.s, delim, false);
		strbuf_clear(&b);
		measures_cell(&b, p, &ends, i, false);
		cell(f, b.failed ? "" : b.s, delim, false);
		if (i == 0 && p->arrival.kind != DIST_NONE)
			dist_format(&p->arrival, text, sizeof text);
		else
			text[0] = '\0';
		cell(f, text, delim, false);
		cell(f, i == 0 && p->time_unit != TIME_UNIT_AUTO ? time_unit_name(p->time_unit) : "",
		     delim, false);
		if (ncols == NHEADER)
			cell(f, s->generated ? "yes" : "", delim, false);
		fputs("\r\n", f);
		if (b.failed)
			goto oom;
	}
	if (ferror(f))
		st = err_set(err, STATUS_IO, "cannot write: %s", strerror(errno));
	goto out;
oom:
	st = err_set(err, STATUS_NOMEM, "out of memory");
out:
	strbuf_done(&b);
	free(step_of);
	buckets_done(&flows);
	buckets_done(&starts);
	buckets_done(&ends);
	return st;
}
