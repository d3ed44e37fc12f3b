/*
 * view_map.c - the map view: the steps as a numbered list, and quick capture.
 *
 * One line per step: number, lane, type mark, name, work and wait, value
 * class, flags (✋ done by a person, ⚑ pain point, ↻ rework). Under a step
 * with explicit flows, its branches (probability, target, label); between two
 * steps where the work changes hands, a hand-off line. Only the visible steps
 * are looked at: scrolling keeps `top` (the first step shown) and walks
 * forward from it, so a keystroke costs the height of the screen, not the
 * length of the process.
 *
 * With a scenario shown (scen.c) the list is still the baseline's, with a
 * column of marks: each step's part in the scenario (✗ removed, its name
 * dimmed; ⊕ merged; ⚡ automated; ↕ moved; ∥ parallel; ✎ changed), and a
 * selection (V) shows as a bar at the left.
 *
 * Quick capture (a after the cursor, i before): a line opens in the list;
 * Enter adds the step (one store_do each, so a step whose Enter was pressed
 * is in the file) and opens the next line in the same lane; Tab and
 * Shift-Tab change the lane; Esc, or Enter on an empty line, ends it (Esc
 * after a name typed adds that step first).
 */
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct map {
	size_t top;                  /* the first step drawn */
	struct capture cap;          /* quick capture (capture.c) */
};

/* --- layout ----------------------------------------------------------------------- */

struct cols {
	int num, mark, lane, type, name, work, wait, val, flags;   /* x of each (-1: hidden) */
	int wnum, wlane, wname, wtime;
};

static int
digits(size_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static void
layout(const struct process *p, int w, bool marks, struct cols *c)
{
	bool show_val = true, show_wait = true, show_work = true, show_lane = true;
	int fixed;

	c->wnum = digits(p->nsteps + 1);
	if (c->wnum < 3)
		c->wnum = 3;
	c->wtime = 6;
	c->wlane = w / 6;
	if (c->wlane > 16)
		c->wlane = 16;
	if (c->wlane < 6)
		c->wlane = 6;
	for (;;) {
		fixed = 1 + c->wnum + 1 + (marks ? 2 : 0) + (show_lane ? c->wlane + 1 : 0) + 3 +
		        (show_work ? c->wtime + 1 : 0) + (show_wait ? c->wtime + 1 : 0) +
		        (show_val ? 4 : 0) + 6;
		c->wname = w - fixed;
		if (c->wname >= 14 || (!show_val && !show_wait && !show_work && !show_lane))
			break;
		if (show_val)
			show_val = false;
		else if (show_wait)
			show_wait = false;
		else if (show_work)
			show_work = false;
		else
			show_lane = false;
	}
	if (c->wname < 1)
		c->wname = 1;
	c->num = 1;
	c->mark = marks ? c->num + c->wnum + 1 : -1;
	c->lane = show_lane ? c->num + c->wnum + 1 + (marks ? 2 : 0) : -1;
	c->type = (show_lane ? c->lane + c->wlane + 1 : c->num + c->wnum + 1 + (marks ? 2 : 0));
	c->name = c->type + 3;
	c->work = show_work ? c->name + c->wname + 1 : -1;
	c->wait = show_wait ? (show_work ? c->work + c->wtime + 1 : c->name + c->wname + 1) : -1;
	c->val = show_val ? (show_wait ? c->wait : c->work) + c->wtime + 1 : -1;
	c->flags = show_val ? c->val + 4 : show_wait ? c->wait + c->wtime + 1
	         : show_work ? c->work + c->wtime + 1 : c->name + c->wname + 1;
}

/* Rows step i takes: the capture line before it, itself, its branches and a
 * hand-off line after it. */
static int
step_height(struct app *a, const struct map *m, const struct process *p, size_t i)
{
	int h = 1;

	if (m->cap.on && m->cap.at == i)
		h++;
	if (i >= p->nsteps)
		return h - 1;
	h += (int)app_branch_rows(a, p, i);
	if (app_handoff_after(a, p, i))
		h++;
	return h;
}

/* Rows from step `from` to the end, counting no further than limit. */
static int
rows_to_end(struct app *a, const struct map *m, const struct process *p, size_t from, int limit)
{
	int used = 0;
	size_t i;

	for (i = from; i <= p->nsteps && used <= limit; i++)
		used += step_height(a, m, p, i);
	return used;
}

/* Scroll so that the cursor (or the capture line) shows in rows lines, and
 * no screen is left half empty while steps above could fill it. */
static void
scroll_to_cursor(struct app *a, struct map *m, const struct process *p, int rows, size_t cur)
{
	size_t target = m->cap.on ? m->cap.at : app_pick(a) != (size_t)-1 ? app_pick(a) : cur;
	int used;
	size_t i;

	if (rows < 1)
		rows = 1;
	if (m->top > p->nsteps)
		m->top = p->nsteps;
	if (target < m->top) {
		m->top = target;
		return;
	}
	if (target - m->top > (size_t)rows)
		m->top = target - (size_t)rows + 1;
	/* rows needed from top down to the target's own line */
	for (;;) {
		used = 0;
		for (i = m->top; i < target; i++)
			used += step_height(a, m, p, i);
		used += 1 + (target != a->cur ? 0 : (int)flow_cursor_row(a));
		if (used <= rows || m->top >= target)
			break;
		m->top++;
	}
	used = rows_to_end(a, m, p, m->top, rows);
	while (m->top > 0 && used < rows) {
		int h = step_height(a, m, p, m->top - 1);

		if (used + h > rows)
			break;
		m->top--;
		used += h;
	}
}

/* --- drawing ------------------------------------------------------------------------- */

int
draw_step_type(struct app *a, int y, int x, const struct step *s, int style)
{
	char ascii[2] = { 0 };
	const char *g = step_type_glyph(s->type, false);

	ascii[0] = g ? g[0] : '#';
	return draw_glyph(a, y, x, 2, step_type_glyph(s->type, true), ascii, style);
}

static const char *
lane_name(const struct process *p, sm_id id)
{
	const struct lane *l = id ? process_lane(p, id) : NULL;

	return l ? l->name : "";
}

static void
draw_header(struct rect r, const struct cols *c)
{
	draw_blank(r.y, r.x, r.w, ST_HEADER);
	draw_text_right(r.y, r.x + c->num, c->wnum, "#", ST_HEADER);
	if (c->lane >= 0)
		draw_text(r.y, r.x + c->lane, c->wlane, "Lane", ST_HEADER);
	draw_text(r.y, r.x + c->type, c->wname + 3, "Step", ST_HEADER);
	if (c->work >= 0)
		draw_text_right(r.y, r.x + c->work, c->wtime, "Work", ST_HEADER);
	if (c->wait >= 0)
		draw_text_right(r.y, r.x + c->wait, c->wtime, "Wait", ST_HEADER);
	if (c->val >= 0)
		draw_text(r.y, r.x + c->val, 3, "Val", ST_HEADER);
	draw_text(r.y, r.x + c->flags, r.w - c->flags, "Flags", ST_HEADER);
}

/* Row i's number: its baseline step's, blank for a step a scenario's cut
 * made and for a gateway the program generated (the split and join of a
 * parallel cut or block, also when imported): no steps, so not numbered. */
static void
draw_number(struct app *a, const struct process *p, size_t i, int y, int x, int w)
{
	size_t n = app_listed_number(a, p, i);

	if (n)
		draw_fmt(y, x, w, ST_DIM, "%*zu", w, n);
}

/* The mark of a step in the scenario shown, in two cells. Returns true when
 * the scenario removes the step. */
static bool
draw_mark(struct app *a, int y, int x, const struct step *s)
{
	enum cut_mark m = app_mark(a, s->id);

	if (m != MARK_NONE)
		draw_glyph(a, y, x, 2, cut_mark_glyph(m, true), cut_mark_glyph(m, false),
		           m == MARK_REMOVED ? ST_REMOVED : ST_MARK);
	return m == MARK_REMOVED;
}

static void
draw_step(struct app *a, const struct process *p, size_t i, int y, struct rect r,
          const struct cols *c, bool cursor)
{
	const struct step *s = p->steps[i];
	bool manual = step_type_is_manual(s->type);
	bool removed = c->mark >= 0 && draw_mark(a, y, r.x + c->mark, s);
	int name_style = removed ? ST_REMOVED : s->pain ? ST_PAIN : manual ? ST_MANUAL : ST_NORMAL;
	int time_style = removed ? ST_REMOVED : ST_NORMAL;
	char buf[DIST_TEXT_MAX + 8];
	bool selected = app_listed_selected(a, p, i);
	int x, mw;

	if (cursor)
		draw_glyph(a, y, r.x, 1, "▶", ">", ST_NORMAL);
	else if (selected)
		draw_glyph(a, y, r.x, 1, "┃", "|", ST_SELECT);
	draw_number(a, p, i, y, r.x + c->num, c->wnum);
	if (c->lane >= 0) {
		bool same = i > 0 && p->steps[i - 1]->lane == s->lane;

		draw_text(y, r.x + c->lane, c->wlane, lane_name(p, s->lane),
		          same ? ST_DIM : ST_NORMAL);
	}
	draw_step_type(a, y, r.x + c->type, s, removed ? ST_REMOVED : manual ? ST_MANUAL : ST_NORMAL);
	draw_text(y, r.x + c->name, c->wname, s->name, name_style);
	if (c->work >= 0)
		draw_text_right(y, r.x + c->work, c->wtime, fmt_dist(&s->work, c->wtime, buf, sizeof buf),
		                time_style);
	if (c->wait >= 0)
		draw_text_right(y, r.x + c->wait, c->wtime, fmt_dist(&s->wait, c->wtime, buf, sizeof buf),
		                ST_DIM);
	if (c->val >= 0 && s->value != VALUE_NONE)
		draw_text(y, r.x + c->val, 3, value_class_name(s->value),
		          s->value == VALUE_VA ? ST_VA : s->value == VALUE_NVA ? ST_NVA : ST_NORMAL);
	x = r.x + c->flags;
	if (manual)
		draw_glyph(a, y, x, 2, "✋", "M", ST_MANUAL);
	if (s->pain)
		draw_glyph(a, y, x + 2, 1, "⚑", "!", ST_PAIN);
	if (s->error_rate > 0)
		draw_glyph(a, y, x + 3, 1, "↻", "r", ST_NORMAL);
	if (app_in_variant(a, s->id))
		draw_glyph(a, y, x + 4, 1, "◆", "*", ST_MARK);
	/* the others here whose cursor is on it: after the flags when there is
	 * room, else at the end of its name */
	if ((mw = who_marks_width(a, s->id)) > 0)
		who_draw_marks(a, s->id, y, r.x + c->name,
		               r.x + r.w - (x + 6) >= mw ? r.x + r.w : r.x + c->name + c->wname,
		               ST_MARK);
	if (cursor)
		draw_restyle(y, r.x + 1, r.w - 1, ST_CURSOR);
	else if (selected)
		draw_restyle(y, r.x + 1, r.w - 1, ST_SELECT);
	if (app_pick(a) == i) {
		/* the step a step prompt marks (Tab types its number) */
		draw_glyph(a, y, r.x, 1, "◆", "*", ST_MARK);
		draw_restyle(y, r.x + 1, r.w - 1, ST_SELECT);
	}
}

static void
draw_branches(struct app *a, const struct process *p, size_t i, int *y, int ymax, struct rect r,
              const struct cols *c, bool focus)
{
	size_t n, k, rows = app_branch_rows(a, p, i);
	const struct flow *const *f = app_flows_from(a, p->steps[i], &n);
	const struct flow *cf = focus && i == a->cur ? app_cur_flow(a) : NULL;
	int x = r.x + c->name;

	for (k = 0; k < rows && *y < ymax; k++, (*y)++) {
		bool last = k + 1 == rows;
		const char *tree = a->utf8 ? (last ? "└─" : "├─") : (last ? "`-" : "|-");
		char text[600];
		const struct step *to;
		int used;

		used = draw_text(*y, x, r.x + r.w - x, tree, ST_LINE);
		if (k == BRANCHES_SHOWN) {
			draw_fmt(*y, x + used, r.x + r.w - x - used, ST_DIM, " %s %zu more", a->utf8 ? "…" : "...",
			         n - BRANCHES_SHOWN);
			continue;
		}
		to = process_step(p, f[k]->to);
		flow_branch_text(a, p, f[k], text, sizeof text);
		used += draw_text(*y, x + used, r.x + r.w - x - used, text, ST_DIM);
		if (to && app_is_handoff(p, p->steps[i], to)) {
			draw_glyph(a, *y, x + used + 1, 2, "⇄", "<>", ST_HANDOFF);
			used += 3;
		}
		if (last)
			flow_draw_sum(a, p, p->steps[i], *y, x + used + 1, r.x + r.w - x - used - 1);
		if (cf == f[k]) {
			draw_glyph(a, *y, r.x, 1, "▶", ">", ST_NORMAL);
			draw_restyle(*y, r.x + 1, r.w - 1, ST_CURSOR);
		}
	}
}

static void
draw_handoff(struct app *a, const struct process *p, size_t i, int y, struct rect r,
             const struct cols *c)
{
	char text[600];
	int x = r.x + (c->lane >= 0 ? c->lane : c->type);
	size_t from = i;

	/* after steps a scenario removes, from the step before them */
	while (from > 0 && p == a->listed && app_mark(a, p->steps[from]->id) == MARK_REMOVED)
		from--;
	snprintf(text, sizeof text, "%s hand-off: %s %s %s", a->utf8 ? "└▶" : "`->",
	         lane_name(p, p->steps[from]->lane), a->utf8 ? "→" : "->",
	         lane_name(p, p->steps[i + 1]->lane));
	draw_text(y, x, r.x + r.w - x, text, ST_HANDOFF);
}

static void
draw_capture(struct app *a, struct map *m, const struct process *p, int y, struct rect r,
             const struct cols *c)
{
	draw_glyph(a, y, r.x, 1, "▶", ">", ST_CAPTURE);
	draw_text_right(y, r.x + c->num, c->wnum, "+", ST_CAPTURE);
	if (c->lane >= 0) {
		const char *ln = lane_name(p, m->cap.lane);

		draw_text(y, r.x + c->lane, c->wlane, *ln ? ln : "(no lane)", ST_CAPTURE);
	}
	line_draw(a, &m->cap.line, y, r.x + c->name, r.w - c->name, ST_NORMAL);
}

static void
map_draw(struct app *a, struct view *v, struct rect r)
{
	struct map *m = v->state;
	const struct process *p = app_listed(a);
	struct rect main = app_with_panel(a, r);
	struct cols c;
	int y, ymax;
	size_t i, cur;

	if (main.h <= 0 || main.w <= 0)
		return;
	if (!p) {
		draw_text(main.y + 1, main.x + 1, main.w - 1,
		          "No process yet: type :process new NAME (or :import FILE)", ST_DIM);
		return;
	}
	layout(p, main.w, a->scen != 0, &c);
	draw_header(main, &c);
	y = main.y + 1;
	ymax = main.y + main.h;
	v->rows = ymax - y;
	if (p->nsteps == 0 && !m->cap.on) {
		draw_text(y + 1, main.x + 2, main.w - 2,
		          "No steps yet. Press a and type a step's name, Enter, the next...", ST_DIM);
		return;
	}
	cur = app_listed_cursor(a, p);
	if (m->cap.at > p->nsteps)
		m->cap.at = p->nsteps;
	scroll_to_cursor(a, m, p, v->rows, cur);
	for (i = m->top; i <= p->nsteps && y < ymax; i++) {
		if (m->cap.on && m->cap.at == i) {
			draw_capture(a, m, p, y, main, &c);
			y++;
		}
		if (i == p->nsteps || y >= ymax)
			break;
		draw_step(a, p, i, y, main, &c, !m->cap.on && i == cur && !app_cur_flow(a));
		y++;
		draw_branches(a, p, i, &y, ymax, main, &c, !m->cap.on);
		if (y < ymax && app_handoff_after(a, p, i)) {
			draw_handoff(a, p, i, y, main, &c);
			y++;
		}
	}
}

/* --- editing ------------------------------------------------------------------------- */

static int
set_step(struct app *a, struct step *after, const char *what)
{
	struct edit *e = NULL;
	enum status st = edit_step_set(a->wb, after, &e);
	int fl = app_do(a, st, &e, what);

	step_free(&after);
	return fl;
}

static int
map_edit(struct app *a, struct map *m, enum cmd c)
{
	struct process *p = app_process(a);
	struct step *s = app_step(a), *after;
	struct edit *e = NULL;
	int fl = flow_command(a, c);

	if (!(fl & FL_UNHANDLED))
		return fl;
	switch (c) {
	case CMD_APPEND: case CMD_INSERT: case CMD_EDIT: case CMD_DELETE: case CMD_MOVE_DOWN:
	case CMD_MOVE_UP: case CMD_MANUAL: case CMD_PAIN: case CMD_LANE_NEXT: case CMD_LANE_PREV:
		break;
	default:
		return FL_UNHANDLED;
	}
	if (!p) {
		app_error(a, "no process is open: :process new NAME");
		return FL_REDRAW;
	}
	if (c == CMD_APPEND || c == CMD_INSERT) {
		capture_start(a, &m->cap, c == CMD_APPEND);
		return FL_REDRAW;
	}
	if (!s) {
		app_error(a, "no step here: a adds steps");
		return FL_REDRAW;
	}
	/* With a scenario shown: a cut, or the question which one to edit. */
	if (app_scenario(a) && !((fl = scen_baseline_key(a, c)) & FL_UNHANDLED))
		return fl;
	switch (c) {
	case CMD_EDIT:
		step_form_open(a, false);
		return FL_REDRAW;
	case CMD_DELETE:
		return app_delete_step(a, s);
	case CMD_MOVE_DOWN:
	case CMD_MOVE_UP:
		/* With a scenario shown, a move is a cut; the baseline stays. */
		if (app_scenario(a))
			return scen_command(a, c);
		if ((c == CMD_MOVE_UP && a->cur == 0) || (c == CMD_MOVE_DOWN && a->cur + 1 >= p->nsteps)) {
			app_error(a, "the step is already %s", c == CMD_MOVE_UP ? "first" : "last");
			return FL_REDRAW;
		}
		return app_do(a, edit_step_move(a->wb, s->id, c == CMD_MOVE_UP ? a->cur - 1 : a->cur + 1, &e),
		              &e, "move step");
	case CMD_MANUAL:
	case CMD_PAIN:
	case CMD_LANE_NEXT:
	case CMD_LANE_PREV:
		if (!(after = step_copy(s))) {
			app_error(a, "out of memory");
			return FL_REDRAW;
		}
		if (c == CMD_MANUAL)
			after->type = step_type_cycle(s->type);
		else if (c == CMD_PAIN)
			after->pain = !s->pain;
		else {
			if (!p->nlanes) {
				step_free(&after);
				app_error(a, "no lanes yet: :lane add NAME STAGE adds one");
				return FL_REDRAW;
			}
			after->lane = app_lane_step(p, s->lane, c == CMD_LANE_NEXT ? 1 : -1);
		}
		return set_step(a, after, c == CMD_MANUAL ? "change type" : c == CMD_PAIN ? "pain point"
		                                                                           : "change lane");
	default:
		return FL_UNHANDLED;
	}
}

/* map_move() over the rows of a scenario shown (app_listed): the rows in
 * the scenario's order, landing only on baseline steps. */
static int
listed_move(struct app *a, const struct process *l, size_t page, enum cmd c)
{
	size_t at = app_listed_cursor(a, l), n = l->nsteps;

	switch (c) {
	case CMD_DOWN:
		app_listed_set_cursor(a, l, at + 1, 1);
		break;
	case CMD_UP:
		app_listed_set_cursor(a, l, at ? at - 1 : 0, -1);
		break;
	case CMD_PAGE_DOWN:
		app_listed_set_cursor(a, l, at + page < n ? at + page : n - 1, 1);
		break;
	case CMD_PAGE_UP:
		app_listed_set_cursor(a, l, at > page ? at - page : 0, -1);
		break;
	case CMD_FIRST:
		app_listed_set_cursor(a, l, 0, 1);
		break;
	case CMD_LAST:
		app_listed_set_cursor(a, l, n - 1, -1);
		break;
	default:
		return FL_UNHANDLED;
	}
	return FL_REDRAW;
}

int
map_move(struct app *a, struct view *v, enum cmd c)
{
	struct process *p = app_process(a);
	size_t page = v->rows > 2 ? (size_t)v->rows - 1 : 1;

	if (cmd_info(c)->scope != SCOPE_MOVE || c == CMD_LEFT || c == CMD_RIGHT)
		return FL_UNHANDLED;
	if (!p || !p->nsteps)
		return FL_NONE;
	if (app_listed(a) != p)
		return listed_move(a, app_listed(a), page, c);
	switch (c) {
	case CMD_DOWN:
		/* through the step's branch lines, then to the next step */
		if (!flow_cursor_move(a, p, 1))
			app_set_cursor(a, a->cur + 1);
		break;
	case CMD_UP:
		if (!flow_cursor_move(a, p, -1))
			app_set_cursor(a, a->cur ? a->cur - 1 : 0);
		break;
	case CMD_PAGE_DOWN:
		app_set_cursor(a, a->cur + page);
		break;
	case CMD_PAGE_UP:
		app_set_cursor(a, a->cur > page ? a->cur - page : 0);
		break;
	case CMD_FIRST:
		app_set_cursor(a, 0);
		break;
	case CMD_LAST:
		app_set_cursor(a, p->nsteps - 1);
		break;
	default:
		return FL_UNHANDLED;
	}
	return FL_REDRAW;
}

static int
map_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct map *m = v->state;
	int fl;

	if (m->cap.on)
		return capture_handle(a, &m->cap, c, k);
	switch (c) {
	case CMD_NONE:
		if (k == TK_ESC && a->sel) {
			a->sel = false;
			app_say(a, "selection dropped");
			return FL_REDRAW;
		}
		return FL_UNHANDLED;
	case CMD_VIEW:
		app_replace(a, v, &lanes_view_ops);
		return FL_REDRAW;
	case CMD_FIGURES:
		a->show_figures = !a->show_figures;
		return FL_REDRAW;
	case CMD_LEFT:
	case CMD_RIGHT:
		return FL_NONE;
	default:
		break;
	}
	fl = map_move(a, v, c);
	if (!(fl & FL_UNHANDLED))
		return fl;
	return map_edit(a, m, c);
}

static bool
map_typing(struct app *a, struct view *v)
{
	struct map *m = v->state;

	(void)a;
	return m->cap.on;
}

static void
map_changed(struct app *a, struct view *v)
{
	struct map *m = v->state;
	struct process *p = app_process(a);

	if (!p) {
		m->cap.on = false;
		m->top = 0;
		return;
	}
	capture_changed(a, &m->cap);
	if (m->top > p->nsteps)
		m->top = p->nsteps;
}

static bool
map_open(struct app *a, struct view *v)
{
	(void)a;
	v->state = calloc(1, sizeof(struct map));
	return v->state != NULL;
}

static void
map_done(struct app *a, struct view *v)
{
	struct map *m = v->state;

	(void)a;
	if (m)
		capture_free(&m->cap);
	free(m);
	v->state = NULL;
}

const struct view_ops map_view_ops = {
	.name = "map",
	.open = map_open,
	.draw = map_draw,
	.handle = map_handle,
	.typing = map_typing,
	.changed = map_changed,
	.done = map_done,
};
