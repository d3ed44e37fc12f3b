/*
 * view_scen_cuts.c - the cuts of the scenario shown (:cuts), in the order
 * they apply, each with its mark and in words; a stale cut (its step gone
 * from the baseline, or one that cannot apply where it is) says so and is
 * drawn in the error style. Enter goes to the cut's step on the map, d takes
 * the cut back (an edit: u brings it back).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct cuts {
	size_t cur, top;
};

static void
cuts_draw(struct app *a, struct view *v, struct rect r)
{
	struct cuts *cs = v->state;
	const struct process *p = app_process(a);
	const struct scenario *sc = app_scenario(a);
	char head[300], text[700];
	size_t i;
	int y;

	if (!p || !sc) {
		draw_text(r.y + 1, r.x + 1, r.w - 1, "The baseline is shown: it has no cuts (q closes)",
		          ST_DIM);
		return;
	}
	app_figures_now(a);
	snprintf(head, sizeof head, "Cuts of '%.200s': %zu, %zu stale. Enter goes to the step, "
	         "d takes the cut back", sc->name, sc->ncuts, a->nstale);
	draw_text(r.y, r.x + 1, r.w - 1, head, a->nstale ? ST_ERROR : ST_DIM);
	draw_blank(r.y + 1, r.x, r.w, ST_HEADER);
	draw_text(r.y + 1, r.x + 1, r.w - 1, "  #     Cut", ST_HEADER);
	v->rows = r.h - 2;
	if (!sc->ncuts) {
		draw_text(r.y + 3, r.x + 2, r.w - 2, "No cuts yet: x, M, A, J/K or V then P on the map",
		          ST_DIM);
		return;
	}
	if (cs->cur >= sc->ncuts)
		cs->cur = sc->ncuts - 1;
	list_scroll(cs->cur, &cs->top, sc->ncuts, v->rows);
	for (y = r.y + 2, i = cs->top; y < r.y + r.h && i < sc->ncuts; y++, i++) {
		const struct cut *c = sc->cuts[i];
		enum cut_mark m = cut_kind_mark(c->kind);
		bool stale = app_cut_stale(a, c->id);

		if (i == cs->cur)
			draw_glyph(a, y, r.x, 1, "▶", ">", ST_NORMAL);
		draw_fmt(y, r.x + 1, 4, ST_DIM, "%3zu", i + 1);
		if (m != MARK_NONE)
			draw_glyph(a, y, r.x + 5, 2, cut_mark_glyph(m, true), cut_mark_glyph(m, false),
			           ST_MARK);
		snprintf(text, sizeof text, "%s%s", stale ? "stale, left out: " : "",
		         cut_describe(p, c, head, sizeof head));
		draw_text(y, r.x + 8, r.w - 8, text, stale ? ST_ERROR : ST_NORMAL);
		if (i == cs->cur)
			draw_restyle(y, r.x + 1, r.w - 1, ST_CURSOR);
	}
}

static int
cuts_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct cuts *cs = v->state;
	const struct process *p = app_process(a);
	const struct scenario *sc = app_scenario(a);
	const struct cut *cut;
	const struct step *s;
	int fl;

	(void)k;
	if (!p || !sc)
		return FL_UNHANDLED;
	fl = list_move(&cs->cur, sc->ncuts, v->rows, c);
	if (!(fl & FL_UNHANDLED))
		return fl;
	cut = cs->cur < sc->ncuts ? sc->cuts[cs->cur] : NULL;
	switch (c) {
	case CMD_EDIT:
		if (!cut)
			return FL_NONE;
		if (!(s = process_step(p, cut->step))) {
			app_error(a, "the cut's step is no longer in the baseline");
			return FL_REDRAW;
		}
		app_set_cursor(a, s->index);
		app_pop(a);
		return FL_REDRAW;
	case CMD_DELETE:
	case CMD_UNCUT:
		return cut ? scen_uncut(a, cut->id) : FL_NONE;
	case CMD_CUTS:
		return FL_NONE;
	default:
		return FL_UNHANDLED;
	}
}

VIEW_STATE_OPEN(cuts_open, struct cuts)

const struct view_ops cuts_view_ops = {
	.name = "cuts",
	.open = cuts_open,
	.draw = cuts_draw,
	.handle = cuts_handle,
	.done = view_state_free,
};
