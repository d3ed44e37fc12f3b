/*
 * view_lanes.c - the lane view: a service blueprint of the process.
 *
 * Lanes are columns in stage order (customer, onstage, backstage, support),
 * with the stage written over its lanes; the line of visibility is drawn
 * between the last onstage and the first backstage column (║), the other
 * stage boundaries as thinner lines. Steps go down in order, one row each,
 * in their lane's column; where the work moves to another lane an arrow
 * crosses the lanes from the previous step's column to the new one (in the
 * hand-off colour when it is a hand-off as the figures count it). Steps
 * without a lane get a column of their own at the right.
 *
 * With a scenario shown, each step carries its mark in the scenario after
 * its type (✗ removed and dimmed, ⊕ merged, ⚡ automated...), as in the
 * map, and a selection (V) shows as a bar at the left.
 *
 * Under a step with explicit flows, its branch lines (probability, target,
 * label), from its column rightwards, as the map has them; the cursor can
 * stand on one (Enter edits it, d deletes it).
 *
 * Scrolling is by step, as in the map, so only the visible rows are drawn;
 * when the lanes do not fit, h and l scroll them sideways (the cursor's lane
 * is always brought into view).
 */
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

#define COL_MIN 12
#define COL_MAX 28

struct lanes {
	size_t top;                  /* the first step drawn */
	size_t left;                 /* the first lane column drawn */
};

struct grid {
	const struct lane **cols;    /* NULL entry: the "no lane" column */
	size_t ncols, first, shown;
	int x0, cw;                  /* x of the first column, width of each */
};

static size_t
col_of(const struct grid *g, sm_id lane)
{
	size_t i;

	for (i = 0; i < g->ncols; i++)
		if ((g->cols[i] ? g->cols[i]->id : 0) == lane)
			return i;
	return g->ncols ? g->ncols - 1 : 0;
}

/* The x of column i, or -1 when it is scrolled off. */
static int
col_x(const struct grid *g, size_t i)
{
	if (i < g->first || i >= g->first + g->shown)
		return -1;
	return g->x0 + (int)(i - g->first) * g->cw;
}

static bool
grid_make(struct app *a, struct lanes *st, const struct process *p, struct rect r, struct grid *g)
{
	bool no_lane_col;
	size_t cur_col, i;
	const struct figures *f;
	bool stale;
	int avail;

	memset(g, 0, sizeof *g);
	f = app_figures(a, &stale);
	no_lane_col = p->nlanes == 0 || (f && f->no_lane > 0) || (app_step(a) && !app_step(a)->lane);
	/* a gateway the program made has no lane and is no step (the figures'
	 * no_lane leaves it out), but it is drawn: in the no-lane column, not
	 * in the last lane's */
	for (i = 0; !no_lane_col && i < p->nsteps; i++)
		no_lane_col = !p->steps[i]->lane;
	g->cols = malloc((p->nlanes + 1) * sizeof *g->cols);
	if (!g->cols)
		return false;
	g->ncols = app_lanes_ordered(p, g->cols);
	if (no_lane_col)
		g->cols[g->ncols++] = NULL;
	g->x0 = r.x + 1 + 5;
	avail = r.w - (g->x0 - r.x);
	if (avail < 4 || g->ncols == 0)
		return true;
	g->cw = avail / (int)g->ncols;
	if (g->cw > COL_MAX)
		g->cw = COL_MAX;
	if (g->cw < COL_MIN)
		g->cw = avail < COL_MIN ? avail : COL_MIN;
	g->shown = (size_t)(avail / g->cw);
	if (g->shown > g->ncols)
		g->shown = g->ncols;
	if (st->left + g->shown > g->ncols)
		st->left = g->ncols - g->shown;
	if (app_step(a)) {
		cur_col = col_of(g, app_step(a)->lane);
		if (cur_col < st->left)
			st->left = cur_col;
		if (cur_col >= st->left + g->shown)
			st->left = cur_col - g->shown + 1;
	}
	g->first = st->left;
	return true;
}

/* The boundary glyph before column i (between i-1 and i). */
static void
draw_boundary(struct app *a, const struct grid *g, size_t i, int y, int x)
{
	const struct lane *l = g->cols[i], *prev = i ? g->cols[i - 1] : NULL;
	enum stage s = l ? l->stage : STAGE_SUPPORT, ps = prev ? prev->stage : STAGE_CUSTOMER;

	if (i == 0)
		return;
	if (prev && ps <= STAGE_ONSTAGE && s >= STAGE_OFFSTAGE)
		draw_glyph(a, y, x, 1, "║", "#", ST_LINE);
	else if (ps != s)
		draw_glyph(a, y, x, 1, "┆", ":", ST_LINE);
	else
		draw_glyph(a, y, x, 1, "│", "|", ST_DIM);
}

static void
draw_heads(struct app *a, const struct grid *g, struct rect r)
{
	size_t i;

	draw_blank(r.y, r.x, r.w, ST_NORMAL);
	draw_blank(r.y + 1, r.x, r.w, ST_HEADER);
	draw_text_right(r.y + 1, r.x + 1, 4, "#", ST_HEADER);
	for (i = g->first; i < g->first + g->shown; i++) {
		const struct lane *l = g->cols[i];
		int x = col_x(g, i);
		char name[300];

		if (l && l->capacity > 0)
			snprintf(name, sizeof name, "%s %s%d", l->name, a->utf8 ? "×" : "x", l->capacity);
		else
			snprintf(name, sizeof name, "%s", l ? l->name : "(no lane)");
		draw_text(r.y + 1, x + 1, g->cw - 1, name, ST_HEADER);
		if (i == g->first || !g->cols[i - 1] || !l || g->cols[i - 1]->stage != l->stage)
			draw_text(r.y, x + 1, r.x + r.w - x - 1, l ? stage_label(l->stage) : "", ST_DIM);
		draw_boundary(a, g, i, r.y, x);
		draw_boundary(a, g, i, r.y + 1, x);
	}
	if (g->first > 0)
		draw_glyph(a, r.y, g->x0, 1, "◀", "<", ST_DIM);
	if (g->first + g->shown < g->ncols)
		draw_glyph(a, r.y, r.x + r.w - 1, 1, "▶", ">", ST_DIM);
}

/* The arrow on row y from column `from` to column `to` (the new step's). */
static void
draw_arrow(struct app *a, const struct grid *g, size_t from, size_t to, int y, int style,
           struct rect r)
{
	int xf = col_x(g, from), xt = col_x(g, to), x, x1, x2;
	size_t lo = from < to ? from : to, hi = from < to ? to : from, i;

	/* scrolled-off ends are clipped at the edge of the grid */
	if (xf < 0)
		xf = from < g->first ? g->x0 - 1 : r.x + r.w;
	if (xt < 0)
		xt = to < g->first ? g->x0 - 1 : r.x + r.w;
	if (from < to) {
		x1 = xf + 2;
		x2 = xt;
		draw_glyph(a, y, x1 - 1, 1, "╰", "`", style);
		for (x = x1; x < x2 - 1; x++)
			draw_glyph(a, y, x, 1, "─", "-", style);
		draw_glyph(a, y, x2 - 1, 1, "▶", ">", style);
	} else {
		x1 = xt + g->cw;
		x2 = xf + 1;
		draw_glyph(a, y, x1, 1, "◀", "<", style);
		for (x = x1 + 1; x < x2; x++)
			draw_glyph(a, y, x, 1, "─", "-", style);
		draw_glyph(a, y, x2, 1, "╯", "'", style);
	}
	/* the line of visibility stays visible where the arrow crosses it */
	for (i = lo + 1; i <= hi; i++) {
		const struct lane *l = g->cols[i], *prev = g->cols[i - 1];

		if (prev && (l ? l->stage : STAGE_SUPPORT) >= STAGE_OFFSTAGE &&
		    prev->stage <= STAGE_ONSTAGE && col_x(g, i) >= 0)
			draw_glyph(a, y, col_x(g, i), 1, "╫", "#", ST_LINE);
	}
}

/* Keep the cursor's line (its step's cur, or a branch line under it) in
 * rows lines, counting the branch lines the steps above it take. */
static void
scroll(struct app *a, struct lanes *st, const struct process *p, int rows, size_t cur)
{
	size_t i, target = app_pick(a) != (size_t)-1 ? app_pick(a) : cur;
	int used;

	if (rows < 1)
		rows = 1;
	if (st->top > target)
		st->top = target;
	for (;;) {
		used = 1 + (target == cur ? (int)flow_cursor_row(a) : 0);
		for (i = st->top; i < target; i++)
			used += 1 + (int)app_branch_rows(a, p, i);
		if (used <= rows || st->top >= target)
			break;
		st->top++;
	}
}

/* The branch lines under step i, from x to the right edge of r: in the
 * lane view too a decision shows where each way goes. */
static void
draw_branches(struct app *a, const struct process *p, size_t i, int *y, int ymax, int x,
              struct rect r, const struct grid *g)
{
	size_t n, k, rows = app_branch_rows(a, p, i);
	const struct flow *const *f = app_flows_from(a, p->steps[i], &n);
	const struct flow *cf = i == a->cur ? app_cur_flow(a) : NULL;

	for (k = 0; k < rows && *y + 1 < ymax; k++) {
		bool last = k + 1 == rows;
		char text[600];
		int used;

		(*y)++;
		for (size_t c = g->first; c < g->first + g->shown; c++)
			draw_boundary(a, g, c, *y, col_x(g, c));
		used = draw_text(*y, x, r.x + r.w - x, a->utf8 ? (last ? "└─" : "├─") : (last ? "`-" : "|-"),
		                 ST_LINE);
		if (k == BRANCHES_SHOWN) {
			draw_fmt(*y, x + used, r.x + r.w - x - used, ST_DIM, " %s %zu more",
			         a->utf8 ? "…" : "...", n - BRANCHES_SHOWN);
			continue;
		}
		flow_branch_text(a, p, f[k], text, sizeof text);
		used += draw_text(*y, x + used, r.x + r.w - x - used, text, ST_DIM);
		if (last)
			flow_draw_sum(a, p, p->steps[i], *y, x + used + 1, r.x + r.w - x - used - 1);
		if (cf == f[k]) {
			draw_glyph(a, *y, r.x, 1, "▶", ">", ST_NORMAL);
			draw_restyle(*y, x, r.x + r.w - x, ST_CURSOR);
		}
	}
}

static void
lanes_draw(struct app *a, struct view *v, struct rect r)
{
	struct lanes *st = v->state;
	const struct process *p = app_listed(a);
	struct rect main = app_with_panel(a, r);
	struct grid g;
	int y, ymax;
	size_t i, k, cur;

	if (main.h <= 0 || main.w <= 0)
		return;
	if (!p) {
		draw_text(main.y + 1, main.x + 1, main.w - 1, "No process yet: :process new NAME", ST_DIM);
		return;
	}
	if (!grid_make(a, st, p, main, &g)) {
		app_error(a, "out of memory");
		return;
	}
	if (g.shown == 0) {
		draw_text(main.y, main.x, main.w, "(too narrow for lanes)", ST_DIM);
		free(g.cols);
		return;
	}
	draw_heads(a, &g, main);
	y = main.y + 2;
	ymax = main.y + main.h;
	v->rows = ymax - y;
	cur = app_listed_cursor(a, p);
	scroll(a, st, p, v->rows, cur);
	for (i = st->top; i < p->nsteps && y < ymax; i++, y++) {
		const struct step *s = p->steps[i];
		size_t c = col_of(&g, s->lane), num = app_listed_number(a, p, i);
		int x = col_x(&g, c);
		bool cursor = i == cur && !app_cur_flow(a), selected = app_listed_selected(a, p, i);

		for (k = g.first; k < g.first + g.shown; k++)
			draw_boundary(a, &g, k, y, col_x(&g, k));
		if (cursor)
			draw_glyph(a, y, main.x, 1, "▶", ">", ST_NORMAL);
		else if (selected)
			draw_glyph(a, y, main.x, 1, "┃", "|", ST_SELECT);
		if (num)
			draw_fmt(y, main.x + 1, 4, ST_DIM, "%4zu", num);
		if (i > 0 && p->steps[i - 1]->lane != s->lane) {
			size_t pc = col_of(&g, p->steps[i - 1]->lane);

			if (pc != c)
				draw_arrow(a, &g, pc, c, y,
				           app_is_handoff(p, p->steps[i - 1], s) ? ST_HANDOFF : ST_DIM, main);
		}
		if (x >= 0) {
			bool manual = step_type_is_manual(s->type);
			enum cut_mark m = app_mark(a, s->id);
			int style = m == MARK_REMOVED ? ST_REMOVED : s->pain ? ST_PAIN
			          : manual ? ST_MANUAL : ST_NORMAL;
			int nx = a->scen ? 5 : 3;

			draw_step_type(a, y, x + 1, s, style);
			if (m != MARK_NONE)
				draw_glyph(a, y, x + 3, 2, cut_mark_glyph(m, true), cut_mark_glyph(m, false),
				           m == MARK_REMOVED ? ST_REMOVED : ST_MARK);
			draw_text(y, x + nx, g.cw - nx, s->name, style);
			/* the others here whose cursor is on it, at the end of its cell */
			who_draw_marks(a, s->id, y, x + nx, x + g.cw, ST_MARK);
			if (cursor)
				draw_restyle(y, x + 1, g.cw - 1, ST_CURSOR);
			else if (selected)
				draw_restyle(y, x + 1, g.cw - 1, ST_SELECT);
			if (app_pick(a) == i) {
				draw_glyph(a, y, main.x, 1, "◆", "*", ST_MARK);
				draw_restyle(y, x + 1, g.cw - 1, ST_SELECT);
			}
		}
		draw_branches(a, p, i, &y, ymax, x >= 0 ? x + 1 : g.x0, main, &g);
	}
	free(g.cols);
}

static int
lanes_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct lanes *st = v->state;
	int fl;

	(void)k;
	switch (c) {
	case CMD_VIEW:
		app_replace(a, v, &map_view_ops);
		return FL_REDRAW;
	case CMD_FIGURES:
		a->show_figures = !a->show_figures;
		return FL_REDRAW;
	case CMD_LEFT:
		if (st->left > 0)
			st->left--;
		return FL_REDRAW;
	case CMD_RIGHT:
		st->left++;
		return FL_REDRAW;
	case CMD_APPEND:
	case CMD_INSERT:
		/* Quick capture lives in the map: switch there and start it. */
		if (!app_replace(a, v, &map_view_ops))
			return FL_REDRAW;
		return v->ops->handle(a, v, c, k);
	default:
		break;
	}
	fl = map_move(a, v, c);
	if (!(fl & FL_UNHANDLED))
		return fl;
	/* The step edits are the map's: same keys, same meaning. */
	{
		struct view tmp = { &map_view_ops, NULL, v->rows };
		int r;

		if (!map_view_ops.open(a, &tmp))
			return FL_REDRAW;
		r = map_view_ops.handle(a, &tmp, c, k);
		map_view_ops.done(a, &tmp);
		return r;
	}
}

static void
lanes_changed(struct app *a, struct view *v)
{
	struct lanes *st = v->state;
	struct process *p = app_process(a);

	if (!p || st->top > p->nsteps)
		st->top = 0;
}

VIEW_STATE_OPEN(lanes_open, struct lanes)

const struct view_ops lanes_view_ops = {
	.name = "lane view",
	.open = lanes_open,
	.draw = lanes_draw,
	.handle = lanes_handle,
	.changed = lanes_changed,
	.done = view_state_free,
};
