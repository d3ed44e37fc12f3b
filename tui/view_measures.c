/*
 * view_measures.c - the measures editor: each measure's name, its from and
 * to steps, its clock (the customer's or the process's) and its expected
 * time from the figures. a adds one and Enter (or r) edits one in a small
 * form; d deletes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct measures {
	size_t cur, top;
};

/* "3 Check in → 9 Leave" in w cells: when it does not fit, each end gets
 * half, so both show (the names cut, the numbers kept). */
static void
draw_span(struct app *a, int y, int x, int w, const struct step *from, const struct step *to)
{
	char f[300], t[300], all[700];
	const char *arrow = a->utf8 ? " → " : " -> ";
	int aw = text_width(arrow), half;

	snprintf(f, sizeof f, "%zu %s", from ? from->index + 1 : 0, from ? from->name : "?");
	snprintf(t, sizeof t, "%zu %s", to ? to->index + 1 : 0, to ? to->name : "?");
	snprintf(all, sizeof all, "%s%s%s", f, arrow, t);
	if (text_width(all) <= w || w < aw + 8) {
		draw_text(y, x, w, all, ST_DIM);
		return;
	}
	half = (w - aw) / 2;
	if (text_width(t) < half)
		half = w - aw - text_width(t);
	else if (text_width(f) < half)
		half = text_width(f);
	x += draw_text(y, x, half, f, ST_DIM);
	x += draw_text(y, x, aw, arrow, ST_DIM);
	draw_text(y, x, w - half - aw, t, ST_DIM);
}

static void
measures_draw(struct app *a, struct view *v, struct rect r)
{
	struct measures *ms = v->state;
	struct process *p = app_process(a);
	const struct figures *f;
	bool stale;
	size_t i;
	int y, nw;

	if (!p)
		return;
	f = app_figures(a, &stale);
	draw_fmt(r.y, r.x + 1, r.w - 1, ST_DIM, "Measures of %s: a adds, Enter edits, d deletes",
	         p->name);
	draw_blank(r.y + 1, r.x, r.w, ST_HEADER);
	nw = (r.w - 30) / 2;
	if (nw < 8)
		nw = 8;
	draw_text(r.y + 1, r.x + 2, nw, "Measure", ST_HEADER);
	draw_text(r.y + 1, r.x + 2 + nw, r.w, "From → to", ST_HEADER);
	draw_text_right(r.y + 1, r.x + r.w - 20, 19, "Clock     Expected", ST_HEADER);
	v->rows = r.h - 2;
	if (!p->nmeasures) {
		draw_text(r.y + 3, r.x + 2, r.w - 2, "No measures yet: a adds one", ST_DIM);
		return;
	}
	if (ms->cur >= p->nmeasures)
		ms->cur = p->nmeasures - 1;
	list_scroll(ms->cur, &ms->top, p->nmeasures, v->rows);
	for (y = r.y + 2, i = ms->top; y < r.y + r.h && i < p->nmeasures; y++, i++) {
		const struct measure *m = p->measures[i];
		const struct step *from = process_step(p, m->from), *to = process_step(p, m->to);
		char t[64] = "-";

		if (i == ms->cur)
			draw_glyph(a, y, r.x, 1, "▶", ">", ST_NORMAL);
		draw_text(y, r.x + 2, nw - 1, m->name, ST_NORMAL);
		draw_span(a, y, r.x + 2 + nw, r.w - nw - 23, from, to);
		if (f && i < f->nmeasures && !isnan(f->measures[i].expected_s))
			fmt_time(f->measures[i].expected_s, app_unit(a), t, sizeof t);
		draw_fmt(y, r.x + r.w - 20, 19, ST_NORMAL, "%-8s %9s", clock_name(m->clock), t);
		if (i == ms->cur)
			draw_restyle(y, r.x + 1, r.w - 1, ST_CURSOR);
	}
}

static int
measures_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct measures *ms = v->state;
	struct process *p = app_process(a);
	const struct measure *m;
	struct edit *e = NULL;
	int fl;

	(void)k;
	if (!p)
		return FL_UNHANDLED;
	fl = list_move(&ms->cur, p->nmeasures, v->rows, c);
	if (!(fl & FL_UNHANDLED))
		return fl;
	m = ms->cur < p->nmeasures ? p->measures[ms->cur] : NULL;
	switch (c) {
	case CMD_APPEND:
	case CMD_INSERT:
		if (!p->nsteps) {
			app_error(a, "a measure runs between two steps: add steps first");
			return FL_REDRAW;
		}
		measure_form_open(a, 0);
		return FL_REDRAW;
	case CMD_EDIT:
	case CMD_RENAME:
		if (m)
			measure_form_open(a, m->id);
		return FL_REDRAW;
	case CMD_DELETE:
		if (!m)
			return FL_NONE;
		return app_do(a, edit_measure_del(a->wb, m->id, &e), &e, "delete measure");
	default:
		return FL_UNHANDLED;
	}
}

VIEW_STATE_OPEN(measures_open, struct measures)

const struct view_ops measures_view_ops = {
	.name = "measures",
	.open = measures_open,
	.draw = measures_draw,
	.handle = measures_handle,
	.done = view_state_free,
};
