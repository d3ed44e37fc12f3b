/*
 * view_procs.c - the processes of the workbook: open one (Enter), add one
 * (a), copy (C), rename (r) or delete (d, after a y/n question; u undoes it
 * too).
 * Each line shows the process's steps, lanes, measures and scenarios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct procs {
	size_t cur, top;
};

static void
procs_draw(struct app *a, struct view *v, struct rect r)
{
	struct procs *ps = v->state;
	size_t i;
	int y;

	draw_text(r.y, r.x + 1, r.w - 1,
	          "Processes: Enter opens, a adds, C copies, r renames, d deletes", ST_DIM);
	draw_blank(r.y + 1, r.x, r.w, ST_HEADER);
	draw_text(r.y + 1, r.x + 1, r.w - 1, "  # Process", ST_HEADER);
	if (r.w > 60)
		draw_text_right(r.y + 1, r.x + r.w - 36, 35, "Steps  Lanes  Measures  Scenarios",
		                ST_HEADER);
	v->rows = r.h - 2;
	if (a->wb->nprocs == 0) {
		draw_text(r.y + 3, r.x + 2, r.w - 2, "No process yet: a adds one", ST_DIM);
		return;
	}
	if (ps->cur >= a->wb->nprocs)
		ps->cur = a->wb->nprocs - 1;
	list_scroll(ps->cur, &ps->top, a->wb->nprocs, v->rows);
	for (y = r.y + 2, i = ps->top; y < r.y + r.h && i < a->wb->nprocs; y++, i++) {
		const struct process *p = a->wb->procs[i];
		int nw = r.w > 60 ? r.w - 42 : r.w - 6;

		if (i == ps->cur)
			draw_glyph(a, y, r.x, 1, "▶", ">", ST_NORMAL);
		draw_fmt(y, r.x + 1, 4, ST_DIM, "%3zu", i + 1);
		draw_text(y, r.x + 5, nw, p->name, p->id == a->proc ? ST_HEADER : ST_NORMAL);
		if (r.w > 60)
			draw_fmt(y, r.x + r.w - 36, 35, ST_NORMAL, "%5zu  %5zu  %8zu  %9zu", p->nsteps,
			         p->nlanes, p->nmeasures, p->nscenarios);
		if (i == ps->cur)
			draw_restyle(y, r.x + 1, r.w - 1, ST_CURSOR);
	}
}

static int
add_accept(struct app *a, const char *text, void *ctx)
{
	char line[600];

	(void)ctx;
	if (!text[0])
		return FL_REDRAW;
	snprintf(line, sizeof line, "process new \"%s\"", text);
	return app_exec(a, line);
}

static int
rename_accept(struct app *a, const char *text, void *ctx)
{
	sm_id id = (sm_id)(intptr_t)ctx;
	struct edit *e = NULL;
	enum status st;

	if (!text[0])
		return FL_REDRAW;
	st = edit_process_rename(a->wb, id, text, &e);
	return app_do_named(a, st, &e, text, "rename process");
}

static int
copy_accept(struct app *a, const char *text, void *ctx)
{
	sm_id id = (sm_id)(intptr_t)ctx;
	struct edit *e = NULL;
	enum status st;

	if (!text[0])
		return FL_REDRAW;
	st = edit_process_copy(a->wb, id, text, &e);
	return app_do_named(a, st, &e, text, "copy process");
}

static int
delete_accept(struct app *a, const char *text, void *ctx)
{
	sm_id id = (sm_id)(intptr_t)ctx;
	struct edit *e = NULL;

	if (!app_confirmed(a, text))
		return FL_REDRAW;
	return app_do(a, edit_process_del(a->wb, id, &e), &e, "delete process");
}

static int
procs_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct procs *ps = v->state;
	const struct process *p = ps->cur < a->wb->nprocs ? a->wb->procs[ps->cur] : NULL;
	char q[400];
	int fl;

	(void)k;
	fl = list_move(&ps->cur, a->wb->nprocs, v->rows, c);
	if (!(fl & FL_UNHANDLED))
		return fl;
	switch (c) {
	case CMD_APPEND:
	case CMD_INSERT:
		app_prompt(a, "New process: ", "", add_accept, NULL);
		return FL_REDRAW;
	case CMD_EDIT:
		if (!p)
			return FL_NONE;
		app_open_process(a, p->id);
		app_pop(a);
		app_say(a, "%s: %zu steps", p->name, p->nsteps);
		return FL_REDRAW;
	case CMD_RENAME:
		if (!p)
			return FL_NONE;
		app_prompt(a, "Rename to: ", p->name, rename_accept, (void *)(intptr_t)p->id);
		return FL_REDRAW;
	case CMD_COPY:
		if (!p)
			return FL_NONE;
		snprintf(q, sizeof q, "%.200s (copy)", p->name);
		app_prompt(a, "Copy as: ", q, copy_accept, (void *)(intptr_t)p->id);
		return FL_REDRAW;
	case CMD_DELETE:
		if (!p)
			return FL_NONE;
		snprintf(q, sizeof q, "Delete '%.200s' and its %zu steps? (y/n) ", p->name, p->nsteps);
		app_ask(a, q, "yn", delete_accept, (void *)(intptr_t)p->id);
		return FL_REDRAW;
	default:
		return FL_UNHANDLED;
	}
}

static void
procs_changed(struct app *a, struct view *v)
{
	struct procs *ps = v->state;

	if (ps->cur >= a->wb->nprocs)
		ps->cur = a->wb->nprocs ? a->wb->nprocs - 1 : 0;
}

static bool
procs_open(struct app *a, struct view *v)
{
	struct procs *ps = calloc(1, sizeof *ps);
	size_t i;

	if (!ps)
		return false;
	for (i = 0; i < a->wb->nprocs; i++)
		if (a->wb->procs[i]->id == a->proc)
			ps->cur = i;
	v->state = ps;
	return true;
}

static void
procs_done(struct app *a, struct view *v)
{
	(void)a;
	free(v->state);
	v->state = NULL;
}

const struct view_ops procs_view_ops = {
	.name = "processes",
	.open = procs_open,
	.draw = procs_draw,
	.handle = procs_handle,
	.changed = procs_changed,
	.done = procs_done,
};
