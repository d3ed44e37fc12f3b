/*
 * view_compare.c - two scenarios of the process (or the baseline and one)
 * side by side (c): every figure and measure in two columns with the change
 * from the left to the right one (in the good or bad style), then the cuts
 * of each, the stale ones said.
 *
 * h and l pick the column, Enter picks the scenario in it from a list, j/k
 * and the page keys scroll, q closes. It opens with the baseline on the left
 * and the scenario shown (or the first one) on the right. Both sides are
 * applied and their figures computed once per change of the workbook or of
 * the choice, not per key.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

#define ROWS_MAX 64

struct side {
	sm_id scen;                  /* 0: the baseline */
	struct process *derived;     /* NULL for the baseline */
	struct figures fig;
	bool fig_ok;
	sm_id *stale;                /* ids of its stale cuts */
	size_t nstale;
};

struct compare {
	struct side side[2];
	int col;                     /* the column Enter picks for: 0 left, 1 right */
	size_t top;                  /* the first line shown */
	unsigned long gen;           /* what the sides were computed for */
	sm_id proc, done_scen[2];
	struct fig_row rows[ROWS_MAX];
	size_t nrows;
};

static void
side_drop(struct side *s)
{
	process_free(&s->derived);
	if (s->fig_ok)
		figures_done(&s->fig);
	s->fig_ok = false;
	free(s->stale);
	s->stale = NULL;
	s->nstale = 0;
}

static const struct scenario *
side_scenario(const struct process *p, const struct side *s)
{
	return s->scen ? process_scenario(p, s->scen) : NULL;
}

static const struct process *
side_process(const struct process *p, const struct side *s)
{
	return s->derived ? s->derived : p;
}

static void
side_compute(const struct process *p, struct side *s)
{
	const struct scenario *sc = side_scenario(p, s);
	bool *stale = NULL;
	struct err err = { 0 };
	size_t i, n;

	side_drop(s);
	if (!sc)
		s->scen = 0;
	if (sc && scenario_apply(p, sc, &s->derived, &stale, &err) == STATUS_OK) {
		for (i = 0, n = 0; i < sc->ncuts; i++)
			n += stale[i];
		if (n && (s->stale = malloc(n * sizeof *s->stale)))
			for (i = 0; i < sc->ncuts; i++)
				if (stale[i])
					s->stale[s->nstale++] = sc->cuts[i]->id;
		free(stale);
	}
	s->fig_ok = figures_compute(side_process(p, s), &s->fig) == STATUS_OK;
}

static bool
side_stale(const struct side *s, sm_id cut)
{
	size_t i;

	for (i = 0; i < s->nstale; i++)
		if (s->stale[i] == cut)
			return true;
	return false;
}

static void
compute(struct app *a, struct compare *cm, const struct process *p)
{
	if (cm->gen == a->gen && cm->proc == p->id && cm->done_scen[0] == cm->side[0].scen &&
	    cm->done_scen[1] == cm->side[1].scen)
		return;
	side_compute(p, &cm->side[0]);
	side_compute(p, &cm->side[1]);
	cm->nrows = 0;
	if (cm->side[0].fig_ok && cm->side[1].fig_ok)
		cm->nrows = fig_rows(side_process(p, &cm->side[0]), &cm->side[0].fig,
		                     side_process(p, &cm->side[1]), &cm->side[1].fig, true, a->utf8,
		                     cm->rows, ROWS_MAX);
	cm->gen = a->gen;
	cm->proc = p->id;
	cm->done_scen[0] = cm->side[0].scen;
	cm->done_scen[1] = cm->side[1].scen;
}

static size_t
ncuts(const struct process *p, const struct side *s)
{
	const struct scenario *sc = side_scenario(p, s);

	return sc ? sc->ncuts : 0;
}

/* Lines: the figure rows, a blank, the cuts' heading, the cuts. */
static size_t
nlines(const struct compare *cm, const struct process *p)
{
	size_t l = ncuts(p, &cm->side[0]), r = ncuts(p, &cm->side[1]);

	return cm->nrows + 2 + (l > r ? l : r);
}

struct cols {
	int label, lw, a, b, chg, cw, chw;
};

static void
cols_make(struct rect r, struct cols *c)
{
	c->chw = 8;
	c->cw = (r.w - 2 - c->chw - 3 - 34) / 2;
	if (c->cw > 28)
		c->cw = 28;
	if (c->cw < 8)
		c->cw = 8;
	c->label = r.x + 1;
	c->chg = r.x + r.w - 1 - c->chw;
	c->b = c->chg - 1 - c->cw;
	c->a = c->b - 1 - c->cw;
	c->lw = c->a - 1 - c->label;
}

static void
draw_cut_half(struct app *a, const struct process *p, const struct side *s, size_t i, int y,
              int x, int w)
{
	const struct scenario *sc = side_scenario(p, s);
	const struct cut *c;
	enum cut_mark m;
	char what[500], text[600];
	bool stale;

	if (!sc || i >= sc->ncuts || w < 4)
		return;
	c = sc->cuts[i];
	m = cut_kind_mark(c->kind);
	stale = side_stale(s, c->id);
	if (m != MARK_NONE)
		draw_glyph(a, y, x, 2, cut_mark_glyph(m, true), cut_mark_glyph(m, false), ST_MARK);
	snprintf(text, sizeof text, "%s%s", stale ? "stale: " : "", cut_describe(p, c, what, sizeof what));
	draw_text(y, x + 3, w - 3, text, stale ? ST_ERROR : ST_NORMAL);
}

static void
draw_cuts_head(const struct process *p, const struct side *s, int y, int x, int w)
{
	const struct scenario *sc = side_scenario(p, s);
	char t[300];

	if (!sc)
		snprintf(t, sizeof t, "The baseline: no cuts");
	else if (s->nstale)
		snprintf(t, sizeof t, "%zu cut%s, %zu stale: %s", sc->ncuts, sc->ncuts == 1 ? "" : "s",
		         s->nstale, sc->name);
	else
		snprintf(t, sizeof t, "%zu cut%s: %s", sc->ncuts, sc->ncuts == 1 ? "" : "s", sc->name);
	draw_text(y, x, w, t, ST_HEADER);
}

static void
compare_draw(struct app *a, struct view *v, struct rect r)
{
	struct compare *cm = v->state;
	const struct process *p = app_process(a);
	struct cols c;
	size_t n, i;
	int y, k, half = r.w / 2;

	if (!p || r.h < 3)
		return;
	compute(a, cm, p);
	cols_make(r, &c);
	draw_text(r.y, r.x + 1, r.w - 1,
	          "Compare: h/l picks a column, Enter its scenario, j/k scroll, q closes", ST_DIM);
	draw_blank(r.y + 1, r.x, r.w, ST_HEADER);
	for (k = 0; k < 2; k++) {
		const struct scenario *sc = side_scenario(p, &cm->side[k]);
		int x = k ? c.b : c.a, w = c.cw;

		if (k == cm->col) {
			draw_glyph(a, r.y + 1, x, 1, "▶", ">", ST_HEADER);
			x += 2;
			w -= 2;
		}
		draw_text_right(r.y + 1, x, w, sc ? sc->name : "baseline",
		                k == cm->col ? ST_CURSOR : ST_HEADER);
	}
	draw_text_right(r.y + 1, c.chg, c.chw, "Change", ST_HEADER);
	v->rows = r.h - 2;
	n = nlines(cm, p);
	if (cm->top + (size_t)v->rows > n)
		cm->top = n > (size_t)v->rows ? n - (size_t)v->rows : 0;
	for (y = r.y + 2, i = cm->top; y < r.y + r.h && i < n; y++, i++) {
		const struct fig_row *row = i < cm->nrows ? &cm->rows[i] : NULL;

		if (row && row->heading) {
			draw_text(y, c.label, r.w - 2, row->label, ST_HEADER);
		} else if (row) {
			draw_text(y, c.label, c.lw, row->label, row->style == ST_DIM ? ST_DIM : ST_NORMAL);
			draw_text_right(y, c.a, c.cw, row->a, row->style);
			draw_text_right(y, c.b, c.cw, row->b, row->style);
			draw_text_right(y, c.chg, c.chw, row->change, row->change_style);
		} else if (i == cm->nrows + 1) {
			draw_cuts_head(p, &cm->side[0], y, r.x + 1, half - 2);
			draw_cuts_head(p, &cm->side[1], y, r.x + half + 1, r.w - half - 2);
		} else if (i > cm->nrows + 1) {
			draw_cut_half(a, p, &cm->side[0], i - cm->nrows - 2, y, r.x + 1, half - 2);
			draw_cut_half(a, p, &cm->side[1], i - cm->nrows - 2, y, r.x + half + 1,
			              r.w - half - 2);
		}
	}
}

static void
pick(struct app *a, size_t i, void *ctx)
{
	struct compare *cm = ctx;
	const struct process *p = app_process(a);

	if (!p)
		return;
	cm->side[cm->col].scen = i > 0 && i <= p->nscenarios ? p->scenarios[i - 1]->id : 0;
	cm->top = 0;
}

static int
choose_side(struct app *a, struct compare *cm, const struct process *p)
{
	const char **items = calloc(p->nscenarios + 1, sizeof *items);
	size_t i, sel = 0;
	bool ok;

	if (!items) {
		app_error(a, "out of memory");
		return FL_REDRAW;
	}
	items[0] = "baseline";
	for (i = 0; i < p->nscenarios; i++) {
		items[i + 1] = p->scenarios[i]->name;
		if (p->scenarios[i]->id == cm->side[cm->col].scen)
			sel = i + 1;
	}
	ok = choose_open(a, cm->col ? "Right column" : "Left column", items, p->nscenarios + 1, sel,
	                 pick, cm);
	free(items);
	(void)ok;
	return FL_REDRAW;
}

static int
compare_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct compare *cm = v->state;
	const struct process *p = app_process(a);
	size_t n, rows = v->rows > 0 ? (size_t)v->rows : 1;
	int fl;

	(void)k;
	if (!p)
		return FL_UNHANDLED;
	/* Scrolling: the first line shown moves as a cursor over the lines
	 * that can be first. */
	n = nlines(cm, p);
	fl = list_move(&cm->top, n > rows ? n - rows + 1 : 1, v->rows, c);
	if (!(fl & FL_UNHANDLED))
		return fl;
	switch (c) {
	case CMD_LEFT:
	case CMD_RIGHT:
		cm->col = c == CMD_RIGHT;
		return FL_REDRAW;
	case CMD_EDIT:
		return choose_side(a, cm, p);
	case CMD_COMPARE:
		return FL_NONE;
	default:
		return FL_UNHANDLED;
	}
}

static bool
compare_open(struct app *a, struct view *v)
{
	struct compare *cm = calloc(1, sizeof *cm);
	const struct process *p = app_process(a);

	if (!cm)
		return false;
	cm->side[0].scen = 0;
	cm->side[1].scen = a->scen ? a->scen : p && p->nscenarios ? p->scenarios[0]->id : 0;
	cm->col = 1;
	cm->gen = (unsigned long)-1;
	v->state = cm;
	return true;
}

static void
compare_done(struct app *a, struct view *v)
{
	struct compare *cm = v->state;

	(void)a;
	if (cm) {
		side_drop(&cm->side[0]);
		side_drop(&cm->side[1]);
	}
	free(cm);
	v->state = NULL;
}

const struct view_ops compare_view_ops = {
	.name = "compare",
	.esc_closes = true,
	.open = compare_open,
	.draw = compare_draw,
	.handle = compare_handle,
	.done = compare_done,
};
