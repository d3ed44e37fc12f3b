/*
 * view_laneed.c - the lanes editor: the lanes of the process in stage order
 * with their capacity and steps. a adds a lane and Enter (or r) edits one in
 * a small form (name, stage, capacity); d deletes a lane (its steps keep
 * their place, with no lane); J and K move a lane within its stage band.
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct laneed {
	size_t cur, top;
};

static size_t
lane_steps(struct app *a, const struct process *p, const struct lane *l)
{
	bool stale;
	const struct figures *f = app_figures(a, &stale);
	size_t i;

	for (i = 0; f && i < p->nlanes && i < f->nlanes; i++)
		if (p->lanes[i] == l)
			return f->by_lane[i];
	return 0;
}

static void
laneed_draw(struct app *a, struct view *v, struct rect r)
{
	struct laneed *le = v->state;
	struct process *p = app_process(a);
	const struct lane **ls;
	size_t n, i;
	int y, nw;

	if (!p)
		return;
	draw_fmt(r.y, r.x + 1, r.w - 1, ST_DIM,
	         "Lanes of %s: a adds, Enter edits, d deletes, J/K move", p->name);
	draw_blank(r.y + 1, r.x, r.w, ST_HEADER);
	nw = r.w - 36;
	if (nw < 8)
		nw = 8;
	draw_text(r.y + 1, r.x + 2, nw, "Lane", ST_HEADER);
	draw_text(r.y + 1, r.x + 2 + nw, r.w - nw - 2, "Stage      Capacity  Steps", ST_HEADER);
	v->rows = r.h - 2;
	if (!p->nlanes) {
		draw_text(r.y + 3, r.x + 2, r.w - 2, "No lanes yet: a adds one", ST_DIM);
		return;
	}
	if (!(ls = malloc(p->nlanes * sizeof *ls)))
		return;
	n = app_lanes_ordered(p, ls);
	if (le->cur >= n)
		le->cur = n - 1;
	list_scroll(le->cur, &le->top, n, v->rows);
	for (y = r.y + 2, i = le->top; y < r.y + r.h && i < n; y++, i++) {
		const struct lane *l = ls[i];
		char cap[16];

		if (i == le->cur)
			draw_glyph(a, y, r.x, 1, "▶", ">", ST_NORMAL);
		draw_text(y, r.x + 2, nw - 1, l->name, ST_NORMAL);
		if (l->capacity > 0)
			snprintf(cap, sizeof cap, "%d", l->capacity);
		else
			snprintf(cap, sizeof cap, "%s", a->utf8 ? "∞" : "-");
		draw_fmt(y, r.x + 2 + nw, r.w - nw - 2, ST_NORMAL, "%-10s %8s %6zu", stage_name(l->stage),
		         cap, lane_steps(a, p, l));
		if (i == le->cur)
			draw_restyle(y, r.x + 1, r.w - 1, ST_CURSOR);
	}
	free(ls);
}

/* The lane under the cursor and its neighbours in the stage order. */
static const struct lane *
lane_at(const struct process *p, size_t i, const struct lane **prev, const struct lane **next,
        const struct lane **next2, const struct lane **prev2)
{
	const struct lane **ls = malloc((p->nlanes + 1) * sizeof *ls);
	const struct lane *l = NULL;
	size_t n;

	*prev = *next = *next2 = *prev2 = NULL;
	if (!ls)
		return NULL;
	n = app_lanes_ordered(p, ls);
	if (i < n) {
		l = ls[i];
		*prev = i > 0 ? ls[i - 1] : NULL;
		*prev2 = i > 1 ? ls[i - 2] : NULL;
		*next = i + 1 < n ? ls[i + 1] : NULL;
		*next2 = i + 2 < n ? ls[i + 2] : NULL;
	}
	free(ls);
	return l;
}

static int
lane_delete_accept(struct app *a, const char *text, void *ctx)
{
	const struct process *p = app_process(a);
	const struct lane *l = p ? process_lane(p, (sm_id)(intptr_t)ctx) : NULL;

	if (!app_confirmed(a, text) || !l)
		return FL_REDRAW;
	return app_delete_lane(a, l);
}

static int
laneed_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct laneed *le = v->state;
	struct process *p = app_process(a);
	const struct lane *l, *prev, *next, *next2, *prev2;
	struct edit *e = NULL;
	struct lane *after;
	enum status st;
	int fl;

	(void)k;
	if (!p)
		return FL_UNHANDLED;
	fl = list_move(&le->cur, p->nlanes, v->rows, c);
	if (!(fl & FL_UNHANDLED))
		return fl;
	if (c == CMD_APPEND || c == CMD_INSERT) {
		lane_form_open(a, 0);
		return FL_REDRAW;
	}
	l = lane_at(p, le->cur, &prev, &next, &next2, &prev2);
	switch (c) {
	case CMD_EDIT:
	case CMD_RENAME:
		if (l)
			lane_form_open(a, l->id);
		return FL_REDRAW;
	case CMD_DELETE:
		if (!l)
			return FL_NONE;
		/* with a scenario shown, say that the baseline loses it */
		if (app_scenario(a)) {
			char q[400];

			snprintf(q, sizeof q, "Delete lane '%.100s' from the baseline, which every scenario "
			         "sees? (y/n) ", l->name);
			app_ask(a, q, "yn", lane_delete_accept, (void *)(intptr_t)l->id);
			return FL_REDRAW;
		}
		return app_delete_lane(a, l);
	case CMD_MOVE_DOWN:
	case CMD_MOVE_UP: {
		const struct lane *n1 = c == CMD_MOVE_DOWN ? next : prev;
		const struct lane *n2 = c == CMD_MOVE_DOWN ? next2 : prev2;
		double key;

		if (!l)
			return FL_NONE;
		if (!n1 || n1->stage != l->stage) {
			app_error(a, "the lane is at the %s of its stage (change its stage to move it further)",
			          c == CMD_MOVE_DOWN ? "end" : "start");
			return FL_REDRAW;
		}
		if (c == CMD_MOVE_DOWN)
			key = process_key_between(n1->key, n2 && n2->stage == l->stage ? n2->key : NAN);
		else
			key = process_key_between(n2 && n2->stage == l->stage ? n2->key : NAN, n1->key);
		if (!(after = lane_copy(l)))
			return FL_REDRAW;
		after->key = key;
		st = edit_lane_set(a->wb, after, &e);
		lane_free(&after);
		fl = app_do(a, st, &e, "move lane");
		if (fl & FL_CHANGED)
			le->cur = c == CMD_MOVE_DOWN ? le->cur + 1 : le->cur - 1;
		return fl;
	}
	default:
		return FL_UNHANDLED;
	}
}

VIEW_STATE_OPEN(laneed_open, struct laneed)

const struct view_ops laneed_view_ops = {
	.name = "lanes editor",
	.open = laneed_open,
	.draw = laneed_draw,
	.handle = laneed_handle,
	.done = view_state_free,
};
