/*
 * view_scen.c - the scenarios of the current process (s): the baseline
 * first, then each scenario with its cuts, its stale cuts and the steps it
 * leaves. Enter shows the one under the cursor (and goes back to the map),
 * a adds one, C copies, r renames, d deletes (after a y/n question; u
 * brings it back), as the process list does for processes.
 *
 * The counts come from applying each scenario, once per change of the
 * workbook (not per key).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct scens {
	size_t cur, top;
	unsigned long gen;           /* the workbook's generation the counts are of */
	sm_id proc;
	sm_id shown;                 /* the scenario shown when the cursor last followed it */
	size_t n;                    /* scenarios counted */
	size_t *steps, *stale;       /* per scenario; steps[i] (size_t)-1 when it failed */
};

/* The scenario on line i (line 0 is the baseline), or NULL. */
static const struct scenario *
line_scenario(const struct process *p, size_t i)
{
	return i > 0 && i <= p->nscenarios ? p->scenarios[i - 1] : NULL;
}

static void
count(struct app *a, struct scens *ss, const struct process *p)
{
	size_t i, j;

	if (ss->gen == a->gen && ss->proc == p->id && ss->n == p->nscenarios)
		return;
	free(ss->steps);
	free(ss->stale);
	ss->n = 0;
	ss->steps = calloc(p->nscenarios + 1, sizeof *ss->steps);
	ss->stale = calloc(p->nscenarios + 1, sizeof *ss->stale);
	if (!ss->steps || !ss->stale)
		return;
	for (i = 0; i < p->nscenarios; i++) {
		struct process *d = NULL;
		bool *stale = NULL;
		struct err err = { 0 };

		ss->steps[i] = (size_t)-1;
		if (scenario_apply(p, p->scenarios[i], &d, &stale, &err) != STATUS_OK)
			continue;
		ss->steps[i] = process_step_count(d);
		for (j = 0; j < p->scenarios[i]->ncuts; j++)
			ss->stale[i] += stale[j];
		process_free(&d);
		free(stale);
	}
	ss->n = p->nscenarios;
	ss->gen = a->gen;
	ss->proc = p->id;
}

static void
scens_draw(struct app *a, struct view *v, struct rect r)
{
	struct scens *ss = v->state;
	const struct process *p = app_process(a);
	size_t i, n;
	int y, nw;

	if (!p)
		return;
	count(a, ss, p);
	n = p->nscenarios + 1;
	draw_text(r.y, r.x + 1, r.w - 1,
	          "Scenarios: Enter shows, a adds, C copies, r renames, d deletes, c compares", ST_DIM);
	draw_blank(r.y + 1, r.x, r.w, ST_HEADER);
	draw_text(r.y + 1, r.x + 1, r.w - 1, "  #   Scenario", ST_HEADER);
	if (r.w > 60)
		draw_text_right(r.y + 1, r.x + r.w - 25, 24, "Cuts  Stale  Steps", ST_HEADER);
	nw = r.w > 60 ? r.w - 35 : r.w - 8;
	v->rows = r.h - 2;
	if (ss->cur >= n)
		ss->cur = n - 1;
	list_scroll(ss->cur, &ss->top, n, v->rows);
	for (y = r.y + 2, i = ss->top; y < r.y + r.h && i < n; y++, i++) {
		const struct scenario *sc = line_scenario(p, i);
		bool shown = (sc ? sc->id : 0) == a->scen;

		if (i == ss->cur)
			draw_glyph(a, y, r.x, 1, "▶", ">", ST_NORMAL);
		if (i)
			draw_fmt(y, r.x + 1, 4, ST_DIM, "%3zu", i);
		if (shown)
			draw_glyph(a, y, r.x + 5, 1, "●", "*", ST_MARK);
		draw_text(y, r.x + 7, nw, sc ? sc->name : "baseline (no cuts)",
		          shown ? ST_HEADER : ST_NORMAL);
		if (r.w > 60) {
			char nums[64] = "";

			if (!sc)
				snprintf(nums, sizeof nums, "%4s  %5s  %5zu", "-", "-", process_step_count(p));
			else if (i - 1 < ss->n && ss->steps[i - 1] != (size_t)-1)
				snprintf(nums, sizeof nums, "%4zu  %5zu  %5zu", sc->ncuts, ss->stale[i - 1],
				         ss->steps[i - 1]);
			draw_text_right(y, r.x + r.w - 25, 24, nums,
			                sc && i - 1 < ss->n && ss->stale[i - 1] ? ST_ERROR : ST_NORMAL);
		}
		if (i == ss->cur)
			draw_restyle(y, r.x + 1, r.w - 1, ST_CURSOR);
	}
	if (n == 1 && y + 1 < r.y + r.h)
		draw_text(y + 1, r.x + 2, r.w - 2,
		          "No scenario yet: a adds one, then mark cuts on the map (x, M, A, J/K, P)",
		          ST_DIM);
}

static int
add_accept(struct app *a, const char *text, void *ctx)
{
	(void)ctx;
	return text[0] ? scen_add(a, 0, text) : FL_REDRAW;
}

/* Copy the scenario with id ctx (0: the baseline, a new empty scenario). */
static int
copy_accept(struct app *a, const char *text, void *ctx)
{
	return text[0] ? scen_add(a, (sm_id)(intptr_t)ctx, text) : FL_REDRAW;
}

static int
rename_accept(struct app *a, const char *text, void *ctx)
{
	sm_id id = (sm_id)(intptr_t)ctx;
	struct edit *e = NULL;
	enum status st;

	if (!text[0])
		return FL_REDRAW;
	st = edit_scenario_rename(a->wb, id, text, &e);
	return app_do_named(a, st, &e, text, "rename scenario");
}

static int
delete_accept(struct app *a, const char *text, void *ctx)
{
	sm_id id = (sm_id)(intptr_t)ctx;
	struct edit *e = NULL;

	if (!app_confirmed(a, text))
		return FL_REDRAW;
	return app_do(a, edit_scenario_del(a->wb, id, &e), &e, "delete scenario");
}

static int
scens_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct scens *ss = v->state;
	const struct process *p = app_process(a);
	const struct scenario *sc;
	char q[400];
	int fl;

	(void)k;
	if (!p)
		return FL_UNHANDLED;
	sc = line_scenario(p, ss->cur);
	fl = list_move(&ss->cur, p->nscenarios + 1, v->rows, c);
	if (!(fl & FL_UNHANDLED))
		return fl;
	switch (c) {
	case CMD_EDIT:
		app_show_scenario(a, sc ? sc->id : 0);
		app_pop(a);
		return FL_REDRAW;
	case CMD_APPEND:
	case CMD_INSERT:
		app_prompt(a, "New scenario: ", "", add_accept, NULL);
		return FL_REDRAW;
	case CMD_COPY:
		snprintf(q, sizeof q, "%.200s (copy)", sc ? sc->name : "baseline");
		app_prompt(a, sc ? "Copy as: " : "New scenario: ", sc ? q : "", copy_accept,
		           (void *)(intptr_t)(sc ? sc->id : 0));
		return FL_REDRAW;
	case CMD_RENAME:
	case CMD_DELETE:
		if (!sc) {
			app_error(a, "the baseline is the process itself: o lists the processes");
			return FL_REDRAW;
		}
		if (c == CMD_RENAME) {
			app_prompt(a, "Rename to: ", sc->name, rename_accept, (void *)(intptr_t)sc->id);
			return FL_REDRAW;
		}
		snprintf(q, sizeof q, "Delete '%.200s' and its %zu cut%s? (y/n) ", sc->name, sc->ncuts,
		         sc->ncuts == 1 ? "" : "s");
		app_ask(a, q, "yn", delete_accept, (void *)(intptr_t)sc->id);
		return FL_REDRAW;
	case CMD_SCENARIOS:
		return FL_NONE;
	default:
		return FL_UNHANDLED;
	}
}

/* Keep the cursor on the scenario shown after a change (one added or
 * copied is shown, so the cursor follows it). */
static void
scens_changed(struct app *a, struct view *v)
{
	struct scens *ss = v->state;
	const struct process *p = app_process(a);
	size_t i;

	if (!p) {
		ss->cur = 0;
		return;
	}
	if (ss->shown != a->scen) {
		ss->shown = a->scen;
		if (!a->scen)
			ss->cur = 0;
		for (i = 0; i < p->nscenarios; i++)
			if (p->scenarios[i]->id == a->scen)
				ss->cur = i + 1;
	}
	if (ss->cur > p->nscenarios)
		ss->cur = p->nscenarios;
}

static bool
scens_open(struct app *a, struct view *v)
{
	struct scens *ss = calloc(1, sizeof *ss);

	if (!ss)
		return false;
	v->state = ss;
	ss->shown = -1;
	scens_changed(a, v);
	return true;
}

static void
scens_done(struct app *a, struct view *v)
{
	struct scens *ss = v->state;

	(void)a;
	if (ss) {
		free(ss->steps);
		free(ss->stale);
	}
	free(ss);
	v->state = NULL;
}

const struct view_ops scen_view_ops = {
	.name = "scenarios",
	.open = scens_open,
	.draw = scens_draw,
	.handle = scens_handle,
	.changed = scens_changed,
	.done = scens_done,
};
