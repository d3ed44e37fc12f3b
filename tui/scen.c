/*
 * scen.c - the scenario shown over the current process, and cuts made on
 * the map.
 *
 * Each process has a scenario shown (0: its baseline), kept per process while
 * others are open. The map and lane views list the scenario (listed.c), each
 * step with the mark scenario_marks() gives it (removed, merged, automated,
 * moved, parallel, changed); the cursor stays a baseline step. The scenario applied (the derived process, its stale
 * cuts and the marks, from one pass of scenario_apply_marks()) and then its
 * figures are computed with the baseline's figures (app.c: at once on small
 * processes, once the keys stop on large ones). The marks are kept by step
 * id, so between an edit and that computation they still stand where they
 * were, and a cut just made marks its step at once. A key that needs the
 * scenario's own order (M, J, K) applies it at once when an edit left it
 * behind, except J or K pressed again on the same step: the order of the
 * last application, with the step where the last move put it, is the
 * order now (order_around()).
 *
 * Every cut is an edit through app_do() (one transaction, undoable): x
 * remove, M merge with the next step of the scenario, A automate (the
 * factors and lane :cut automate set), J/K a move (one move cut per step:
 * pressing again replaces it, and putting the step back takes it away), V
 * then P parallel, X takes back the last cut on the step. With the baseline
 * shown a cut key offers to name a new scenario for it; J/K then edit the
 * baseline as always.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

static void scen_apply(struct app *a);

/* --- the scenario shown -------------------------------------------------------------- */

const struct scenario *
app_scenario(struct app *a)
{
	struct process *p = app_process(a);

	return p && a->scen ? process_scenario(p, a->scen) : NULL;
}

const struct process *
app_shown(struct app *a)
{
	struct process *p = app_process(a);

	if (!p || !app_scenario(a))
		return p;
	/* The scenario applied now if an edit left it behind; its figures
	 * can wait for the keys to stop like the baseline's. */
	if (!a->scen_fresh)
		scen_apply(a);
	return a->derived ? a->derived : p;
}

struct scenario *
scen_find(const struct process *p, const char *name)
{
	struct scenario *sc = process_scenario_named(p, name);
	char *end;
	unsigned long n;

	if (sc || !*name)
		return sc;
	errno = 0;
	n = strtoul(name, &end, 10);
	if (!*end && !errno && n >= 1 && n <= p->nscenarios)
		return p->scenarios[n - 1];
	return NULL;
}

static void
marks_clear(struct app *a)
{
	a->nmarks = 0;
	a->marks_scen = 0;
}

void
scen_drop(struct app *a)
{
	if (a->derived_fig != a->derived)
		process_free(&a->derived_fig);
	a->derived_fig = NULL;
	process_free(&a->derived);
	process_free(&a->listed);
	if (a->fig_sc_valid)
		figures_done(&a->fig_sc);
	a->fig_sc_valid = false;
	free(a->stale_cuts);
	a->stale_cuts = NULL;
	a->nstale = 0;
	a->scen_fresh = false;
	marks_clear(a);
}

void
scen_done(struct app *a)
{
	scen_drop(a);
	free(a->marks);
	a->marks = NULL;
	a->cmarks = 0;
	free(a->picks);
	a->picks = NULL;
	a->npicks = 0;
	figures_ws_free(&a->ws_sc);
}

/* The name under which the workbook keeps the scenario proc shows. */
static void
pick_setting(sm_id proc, char *name, size_t size)
{
	snprintf(name, size, "scenario-shown.%lld", (long long)proc);
}

/* Remember that process proc shows scenario scen, here and in the workbook
 * for the next session (a failure to write that is no reason to stop). */
static void
pick_set(struct app *a, sm_id proc, sm_id scen)
{
	struct scen_pick *np;
	struct err err = { 0 };
	char name[64];
	size_t i;

	if (!proc)
		return;
	pick_setting(proc, name, sizeof name);
	if (a->store)
		(void)store_set_setting(a->store, name, scen, &err);
	for (i = 0; i < a->npicks; i++)
		if (a->picks[i].proc == proc) {
			a->picks[i].scen = scen;
			return;
		}
	if (!scen || !(np = realloc(a->picks, (a->npicks + 1) * sizeof *np)))
		return;
	a->picks = np;
	a->picks[a->npicks++] = (struct scen_pick){ proc, scen };
}

void
scen_switch_process(struct app *a, sm_id from, sm_id to)
{
	size_t i;

	pick_set(a, from, a->scen);
	a->scen = 0;
	a->sel = false;
	for (i = 0; i < a->npicks; i++)
		if (a->picks[i].proc == to)
			break;
	if (i < a->npicks) {
		a->scen = a->picks[i].scen;
	} else if (a->store && to) {
		/* first time this session: the scenario it showed last time */
		const struct process *p = workbook_process(a->wb, to);
		struct err err = { 0 };
		int64_t id = 0;
		char name[64];

		pick_setting(to, name, sizeof name);
		if (store_get_setting(a->store, name, &id, &err) == STATUS_OK && p &&
		    process_scenario(p, (sm_id)id))
			a->scen = (sm_id)id;
	}
}

void
app_show_scenario(struct app *a, sm_id id)
{
	const struct scenario *sc;

	a->scen = id;
	pick_set(a, a->proc, id);
	scen_drop(a);
	a->fig_stale = true;
	if (!(sc = app_scenario(a))) {
		a->scen = 0;
		app_say(a, "showing the baseline");
		return;
	}
	app_say(a, "showing scenario '%s' (%zu cut%s): x removes, M merges, A automates, "
	        "J/K move, V then P parallel, X takes back", sc->name, sc->ncuts,
	        sc->ncuts == 1 ? "" : "s");
}

void
scen_changed(struct app *a)
{
	struct process *p = app_process(a);

	if (a->scen && !app_scenario(a)) {
		a->scen = 0;
		pick_set(a, a->proc, 0);
		scen_drop(a);
	}
	if (a->sel && (!p || !process_step(p, a->sel_anchor)))
		a->sel = false;
	a->scen_fresh = false;
}

/* --- marks by step id ------------------------------------------------------------------ */

static int
mark_cmp(const void *x, const void *y)
{
	const struct step_mark *m = x, *n = y;

	return m->step < n->step ? -1 : m->step > n->step;
}

static struct step_mark *
mark_find(const struct app *a, sm_id step)
{
	struct step_mark key = { step, MARK_NONE };

	if (!a->nmarks)
		return NULL;
	return bsearch(&key, a->marks, a->nmarks, sizeof *a->marks, mark_cmp);
}

enum cut_mark
app_mark(const struct app *a, sm_id step)
{
	const struct step_mark *m;

	if (!a->scen || a->marks_scen != a->scen)
		return MARK_NONE;
	m = mark_find(a, step);
	return m ? m->mark : MARK_NONE;
}

/* Mark step with m now, ahead of the next computation (a cut just made). */
static void
mark_hint(struct app *a, sm_id step, enum cut_mark m)
{
	struct step_mark *at = mark_find(a, step);

	if (a->marks_scen != a->scen) {
		a->nmarks = 0;
		a->marks_scen = a->scen;
	}
	if (at) {
		at->mark = m;
		return;
	}
	if (a->nmarks == a->cmarks) {
		size_t c = a->cmarks * 2 + 16;
		struct step_mark *nm = realloc(a->marks, c * sizeof *nm);

		if (!nm)
			return;
		a->marks = nm;
		a->cmarks = c;
	}
	a->marks[a->nmarks++] = (struct step_mark){ step, m };
	qsort(a->marks, a->nmarks, sizeof *a->marks, mark_cmp);
}

static int
id_cmp(const void *x, const void *y)
{
	sm_id m = *(const sm_id *)x, n = *(const sm_id *)y;

	return m < n ? -1 : m > n;
}

bool
app_cut_stale(const struct app *a, sm_id cut)
{
	return a->nstale && bsearch(&cut, a->stale_cuts, a->nstale, sizeof cut, id_cmp);
}

/* Drop the derived process unless the scenario's figures were computed on
 * it (the panel reads both together until the figures follow). */
static void
derived_free(struct app *a)
{
	if (a->derived != a->derived_fig)
		process_free(&a->derived);
	a->derived = NULL;
}

/* Apply the scenario shown: the derived process, its stale cuts and the
 * marks, from one pass (scenario_apply_marks). Its figures follow in
 * scen_compute(). */
static void
scen_apply(struct app *a)
{
	const struct process *p = app_process(a);
	const struct scenario *sc = app_scenario(a);
	enum cut_mark *marks = NULL;
	bool *stale = NULL;
	struct err err = { 0 };
	size_t i, n;

	derived_free(a);
	process_free(&a->listed);
	a->derived_gen++;
	free(a->stale_cuts);
	a->stale_cuts = NULL;
	a->nstale = 0;
	a->scen_fresh = true;
	if (!p || !sc) {
		marks_clear(a);
		return;
	}
	if (scenario_apply_marks(p, sc, &a->derived, &stale, &marks, &err) != STATUS_OK) {
		app_error(a, "%s", err.msg[0] ? err.msg : "out of memory");
		marks_clear(a);
		goto out;
	}
	for (i = 0, n = 0; i < sc->ncuts; i++)
		n += stale[i];
	if (n && (a->stale_cuts = malloc(n * sizeof *a->stale_cuts))) {
		for (i = 0; i < sc->ncuts; i++)
			if (stale[i])
				a->stale_cuts[a->nstale++] = sc->cuts[i]->id;
		qsort(a->stale_cuts, a->nstale, sizeof *a->stale_cuts, id_cmp);
	}
	for (i = 0, n = 0; i < p->nsteps; i++)
		n += marks[i] != MARK_NONE;
	a->nmarks = 0;
	if (n > a->cmarks) {
		struct step_mark *nm = realloc(a->marks, n * sizeof *nm);

		if (!nm)
			goto out;
		a->marks = nm;
		a->cmarks = n;
	}
	for (i = 0; i < p->nsteps; i++)
		if (marks[i] != MARK_NONE)
			a->marks[a->nmarks++] = (struct step_mark){ p->steps[i]->id, marks[i] };
	if (a->nmarks)
		qsort(a->marks, a->nmarks, sizeof *a->marks, mark_cmp);
	a->marks_scen = a->scen;
	if (a->cut_check && app_cut_stale(a, a->cut_check))
		app_error(a, "the cut cannot apply here, so it is left out (stale): u takes it back");
out:
	a->cut_check = 0;
	free(stale);
	free(marks);
}

void
scen_compute(struct app *a)
{
	enum status st;

	if (!a->scen_fresh)
		scen_apply(a);
	if (a->fig_sc_valid)
		figures_done(&a->fig_sc);
	a->fig_sc_valid = false;
	if (a->derived_fig != a->derived)
		process_free(&a->derived_fig);
	a->derived_fig = a->derived;
	if (!a->derived)
		return;
	if (!a->ws_sc)
		a->ws_sc = figures_ws_new();
	st = a->ws_sc ? figures_compute_ws(a->derived, a->ws_sc, &a->fig_sc)
	              : figures_compute(a->derived, &a->fig_sc);
	a->fig_sc_valid = st == STATUS_OK;
}

/* --- cuts in words ------------------------------------------------------------------------- */

static size_t
put_step(const struct process *p, sm_id id, char *buf, size_t size)
{
	const struct step *s = process_step(p, id);
	int n = s ? snprintf(buf, size, "step %zu '%s'", s->index + 1, s->name)
	          : snprintf(buf, size, "a deleted step");

	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

char *
cut_describe(const struct process *p, const struct cut *c, char *buf, size_t size)
{
	const struct lane *l = process_lane(p, c->lane);
	size_t n;

	if (!size)
		return buf;
	n = snprintf(buf, size, "%s ", cut_kind_name(c->kind)) > 0 ? strlen(buf) : 0;
	switch (c->kind) {
	case CUT_CAPACITY:
		if (c->capacity)
			snprintf(buf + n, size - n, "lane '%s' to %d", l ? l->name : "(deleted)",
			         c->capacity);
		else
			snprintf(buf + n, size - n, "lane '%s' unlimited", l ? l->name : "(deleted)");
		return buf;
	default:
		break;
	}
	n += put_step(p, c->step, buf + n, size - n);
	switch (c->kind) {
	case CUT_MERGE:
	case CUT_PARALLEL:
		n += (size_t)snprintf(buf + n, size - n, c->kind == CUT_MERGE ? " with " : " to ");
		if (n < size)
			put_step(p, c->step2, buf + n, size - n);
		break;
	case CUT_MOVE:
		if (c->step2) {
			n += (size_t)snprintf(buf + n, size - n, " after ");
			if (n < size)
				put_step(p, c->step2, buf + n, size - n);
		} else {
			snprintf(buf + n, size - n, " to the front");
		}
		break;
	case CUT_AUTOMATE:
		snprintf(buf + n, size - n, ", time x%g, errors x%g%s%s%s", c->time_factor,
		         c->error_factor, l ? ", into '" : "", l ? l->name : "", l ? "'" : "");
		break;
	case CUT_SET:
		snprintf(buf + n, size - n, ": %s = %s", c->field ? c->field : "?",
		         c->value && c->value[0] ? c->value : "(none)");
		break;
	default:
		break;
	}
	return buf;
}

enum cut_mark
cut_kind_mark(enum cut_kind k)
{
	switch (k) {
	case CUT_REMOVE:   return MARK_REMOVED;
	case CUT_MERGE:    return MARK_MERGED;
	case CUT_AUTOMATE: return MARK_AUTOMATED;
	case CUT_MOVE:     return MARK_MOVED;
	case CUT_PARALLEL: return MARK_PARALLEL;
	case CUT_SET:      return MARK_CHANGED;
	default:           return MARK_NONE;
	}
}

/* --- making cuts ----------------------------------------------------------------------------- */

/* Give e the label the status line and undo show. */
static void
relabel(struct edit *e, const char *label)
{
	char *l;

	if (e && (l = strdup(label))) {
		free(e->label);
		e->label = l;
	}
}

/* Hand the edit that makes a cut to the store, mark its step(s) at once. */
static int
cut_do(struct app *a, enum status st, struct edit **e, const char *label, sm_id mark_lo,
       size_t nmark, enum cut_mark m)
{
	const struct process *p = app_process(a);
	sm_id id = *e ? app_added(*e, EDIT_CUT_ADD) : 0;
	const struct step *s = process_step(p, mark_lo);
	size_t i;
	int fl;

	relabel(*e, label);
	fl = app_do(a, st, e, label);
	if (!(fl & FL_CHANGED))
		return fl;
	a->cut_check = store_new_id(a->store, id);
	for (i = 0; s && i < nmark && s->index + i < p->nsteps; i++)
		if (app_mark(a, p->steps[s->index + i]->id) != MARK_REMOVED)
			mark_hint(a, p->steps[s->index + i]->id, m);
	return fl;
}

static int
cut_add(struct app *a, const struct cut *t, const char *label, enum cut_mark m, size_t nmark)
{
	struct edit *e = NULL;

	return cut_do(a, edit_cut_add(a->wb, a->scen, t, &e), &e, label, t->step, nmark, m);
}

static void
cut_init(struct cut *t, enum cut_kind kind, sm_id step)
{
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->step = step;
	t->time_factor = t->error_factor = 1;
}

/* The step before (dir -1) or after (dir 1) index i of d, passing over
 * step skip; NULL at either end (i -1: before the first). */
static const struct step *
order_step(const struct process *d, long i, long dir, sm_id skip)
{
	for (i += dir; i >= 0 && i < (long)d->nsteps; i += dir)
		if (d->steps[i]->id != skip)
			return d->steps[i];
	return NULL;
}

/*
 * Where step s stands in the scenario's own order: the steps before it and
 * after it (NULL at the ends) in the derived process *d. When the scenario
 * lags behind only a move of s that J or K just made (pressed again on a
 * large process before the keys stop), the derived process of before is
 * read with s where that move put it (a->mv_after), instead of applying the
 * scenario again: the move changes no other step's place. False when s is
 * not in the scenario (merged into another).
 */
static bool
order_around(struct app *a, const struct step *s, const struct process **d,
             const struct step **before, const struct step **after)
{
	const struct step *at;

	if (!a->scen_fresh && a->derived && a->mv_step == s->id && a->mv_scen == a->scen &&
	    a->mv_gen == a->gen) {
		*d = a->derived;
		at = a->mv_after ? process_step(*d, a->mv_after) : NULL;
		if (a->mv_after && !at)
			return false;
		*before = at;
		*after = order_step(*d, at ? (long)at->index : -1, 1, s->id);
		return process_step(*d, s->id) != NULL;
	}
	*d = app_shown(a);
	if (!(at = process_step(*d, s->id)))
		return false;
	*before = order_step(*d, (long)at->index, -1, s->id);
	*after = order_step(*d, (long)at->index, 1, s->id);
	return true;
}

/* True when a cut made step x (a parallel split or join): it is not in the
 * baseline. */
static bool
cut_made(struct app *a, const struct step *x)
{
	return x && !process_step(app_process(a), x->id);
}

static int
cut_merge(struct app *a, const struct step *s, char *label, size_t size)
{
	struct cut t;
	const struct process *d;
	const struct step *prev, *next, *nb;

	if (!order_around(a, s, &d, &prev, &next)) {
		app_error(a, "merge: step %zu is not in the scenario (merged into another?)",
		          s->index + 1);
		return FL_REDRAW;
	}
	if (!next) {
		app_error(a, "merge: step %zu is the last in the scenario", s->index + 1);
		return FL_REDRAW;
	}
	if (cut_made(a, next)) {
		app_error(a, "merge: the next step in the scenario is a %s a cut made; "
		          "it cannot be merged", next->name);
		return FL_REDRAW;
	}
	nb = process_step(app_process(a), next->id);
	cut_init(&t, CUT_MERGE, s->id);
	t.step2 = nb->id;
	snprintf(label, size, "merge step %zu with step %zu '%s'", s->index + 1, nb->index + 1,
	         nb->name);
	{
		struct edit *e = NULL;
		int fl = cut_do(a, edit_cut_add(a->wb, a->scen, &t, &e), &e, label, s->id, 1,
		                MARK_MERGED);

		if (fl & FL_CHANGED)
			mark_hint(a, nb->id, MARK_MERGED);
		return fl;
	}
}

/* J/K with a scenario shown: move the step one place in the scenario's
 * order, as one move cut per step (the last cut, when it moved this step,
 * is replaced; a step back in its place loses its move cut). */
static int
cut_move(struct app *a, const struct step *s, int dir, char *label, size_t size)
{
	const struct process *p = app_process(a), *d;
	const struct scenario *sc = app_scenario(a);
	const struct cut *last = sc->ncuts ? sc->cuts[sc->ncuts - 1] : NULL;
	const struct step *prev, *next, *after;
	struct edit *items[2] = { NULL, NULL }, **group;
	struct cut t;
	enum status st;
	sm_id target, home = 0;
	size_t i;
	int fl;

	if (!order_around(a, s, &d, &prev, &next)) {
		app_error(a, "move: step %zu is not in the scenario (merged into another?)",
		          s->index + 1);
		return FL_REDRAW;
	}
	if (!(dir > 0 ? next : prev)) {
		app_error(a, "move: the step is already %s in the scenario", dir > 0 ? "last" : "first");
		return FL_REDRAW;
	}
	/* Down: after the next step. Up: after the one before the previous. */
	after = dir > 0 ? next : order_step(d, (long)prev->index, -1, s->id);
	if (cut_made(a, after)) {
		app_error(a, "move: the step cannot pass the parallel split or join a cut made");
		return FL_REDRAW;
	}
	target = after ? after->id : 0;
	/* Its place: after the nearest step before it that the scenario keeps. */
	for (i = s->index; i-- > 0;)
		if (process_step(d, p->steps[i]->id)) {
			home = p->steps[i]->id;
			break;
		}
	if (last && last->kind == CUT_MOVE && last->step == s->id) {
		st = edit_cut_del(a->wb, last->id, &items[0]);
		if (st != STATUS_OK)
			return app_do(a, st, &items[0], "move");
		if (target == home) {
			snprintf(label, size, "step %zu back in its place", s->index + 1);
			relabel(items[0], label);
			fl = app_do(a, STATUS_OK, &items[0], label);
			goto moved;
		}
	}
	cut_init(&t, CUT_MOVE, s->id);
	t.step2 = target;
	if (after)
		snprintf(label, size, "move step %zu after step %zu '%s'", s->index + 1,
		         process_step(p, target)->index + 1, process_step(p, target)->name);
	else
		snprintf(label, size, "move step %zu to the front", s->index + 1);
	st = edit_cut_add(a->wb, sc->id, &t, &items[1]);
	if (!items[0] || st != STATUS_OK) {
		edit_free(&items[0]);
		fl = cut_do(a, st, &items[1], label, s->id, 1, MARK_MOVED);
		goto moved;
	}
	/* The old move and the new one, undone together. */
	if (!(group = malloc(2 * sizeof *group))) {
		edit_free(&items[0]);
		edit_free(&items[1]);
		app_error(a, "out of memory");
		return FL_REDRAW;
	}
	group[0] = items[0];
	group[1] = items[1];
	items[0] = edit_group(group, 2, label);
	fl = cut_do(a, items[0] ? STATUS_OK : STATUS_NOMEM, &items[0], label, s->id, 1,
	            MARK_MOVED);
moved:
	/* Where the step stands now, for the next J or K (order_around). */
	if (fl & FL_CHANGED) {
		a->mv_step = s->id;
		a->mv_after = target;
		a->mv_scen = a->scen;
		a->mv_gen = a->gen + 1;          /* app_changed() moves gen on once */
	}
	return fl;
}

static int
cut_parallel(struct app *a, size_t lo, size_t hi, char *label, size_t size)
{
	const struct process *p = app_process(a);
	struct cut t;
	int fl;

	if (hi <= lo) {
		app_error(a, "parallel: select two steps or more first (V, then move, then P)");
		return FL_REDRAW;
	}
	cut_init(&t, CUT_PARALLEL, p->steps[lo]->id);
	t.step2 = p->steps[hi]->id;
	snprintf(label, size, "run steps %zu to %zu in parallel", lo + 1, hi + 1);
	fl = cut_add(a, &t, label, MARK_PARALLEL, hi - lo + 1);
	if (fl & FL_CHANGED)
		a->sel = false;
	return fl;
}

/* The last cut of the scenario shown that acts on step s. */
static const struct cut *
last_cut_on(const struct app *a, const struct scenario *sc, const struct step *s)
{
	const struct process *p = app_process(a);
	size_t i;

	for (i = sc->ncuts; i-- > 0;) {
		const struct cut *c = sc->cuts[i];
		const struct step *x = process_step(p, c->step), *y = process_step(p, c->step2);

		if (c->step == s->id || (c->kind == CUT_MERGE && c->step2 == s->id))
			return c;
		if (c->kind == CUT_PARALLEL && x && y && x->index <= s->index && s->index <= y->index)
			return c;
	}
	return NULL;
}

static int
uncut(struct app *a, const struct scenario *sc, const struct step *s)
{
	const struct cut *c = last_cut_on(a, sc, s);

	if (!c) {
		app_error(a, "no cut on step %zu in scenario '%s'", s->index + 1, sc->name);
		return FL_REDRAW;
	}
	return scen_uncut(a, c->id);
}

int
scen_uncut(struct app *a, sm_id cut)
{
	const struct process *p = app_process(a);
	const struct scenario *sc = app_scenario(a);
	struct edit *e = NULL;
	char what[400], label[500];
	enum status st;
	size_t i;

	for (i = 0; sc && i < sc->ncuts; i++)
		if (sc->cuts[i]->id == cut)
			break;
	if (!sc || i == sc->ncuts) {
		app_error(a, "no such cut in the scenario shown");
		return FL_REDRAW;
	}
	snprintf(label, sizeof label, "take back: %s", cut_describe(p, sc->cuts[i], what, sizeof what));
	st = edit_cut_del(a->wb, cut, &e);
	relabel(e, label);
	return app_do(a, st, &e, label);
}

/* A name typed for a new scenario when a cut key found the baseline shown:
 * make the scenario, show it, then make the cut. */
static int
offer_accept(struct app *a, const char *text, void *ctx)
{
	enum cmd c = (enum cmd)(intptr_t)ctx;
	int fl;

	if (!text[0]) {
		app_say(a, "no cut made: the baseline is shown (s picks a scenario)");
		return FL_REDRAW;
	}
	fl = scen_add(a, 0, text);
	if (!(fl & FL_CHANGED) || !app_scenario(a))
		return fl;
	return fl | scen_command(a, c);
}

int
scen_command(struct app *a, enum cmd c)
{
	struct process *p = app_process(a);
	const struct scenario *sc = app_scenario(a);
	const struct step *s = app_step(a);
	char label[600];
	struct cut t;
	size_t lo, hi;
	bool fresh;

	switch (c) {
	case CMD_SELECT:
		if (a->sel) {
			a->sel = false;
			app_say(a, "selection dropped");
			return FL_REDRAW;
		}
		if (!s) {
			app_error(a, "select: no step here");
			return FL_REDRAW;
		}
		a->sel = true;
		a->sel_anchor = s->id;
		app_say(a, "selecting: move to extend, P (scenario) or | (baseline) runs them in parallel, "
		        "Esc drops it");
		return FL_REDRAW;
	case CMD_CUT_REMOVE:
	case CMD_CUT_MERGE:
	case CMD_CUT_AUTOMATE:
	case CMD_CUT_PARALLEL:
	case CMD_UNCUT:
	case CMD_MOVE_DOWN:
	case CMD_MOVE_UP:
		break;
	default:
		return FL_UNHANDLED;
	}
	if (!p) {
		app_error(a, "no process is open: :process new NAME");
		return FL_REDRAW;
	}
	if (!s) {
		app_error(a, "no step here: a adds steps");
		return FL_REDRAW;
	}
	if (!sc) {
		if (c == CMD_UNCUT) {
			app_error(a, "the baseline is shown: it has no cuts to take back");
			return FL_REDRAW;
		}
		app_prompt(a, "Baseline shown. New scenario for the cut: ", "", offer_accept,
		           (void *)(intptr_t)c);
		return FL_REDRAW;
	}
	/* What the scenario does to the step now, when it is known: on a
	 * large process the marks lag behind an edit (an undo) until the keys
	 * stop, and a cut made meanwhile is judged when the scenario is
	 * applied (a stale one is said then). */
	fresh = a->scen_fresh && a->derived;
	if (c != CMD_UNCUT && fresh && app_mark(a, s->id) == MARK_REMOVED) {
		app_error(a, "step %zu is removed in this scenario (X takes the cut back)", s->index + 1);
		return FL_REDRAW;
	}
	/* A step merged into the one before it is that step now. */
	if (c != CMD_UNCUT && c != CMD_CUT_PARALLEL && fresh && !process_step(a->derived, s->id)) {
		app_error(a, "step %zu is merged into another in this scenario: cut that one", s->index + 1);
		return FL_REDRAW;
	}
	switch (c) {
	case CMD_CUT_REMOVE:
		cut_init(&t, CUT_REMOVE, s->id);
		snprintf(label, sizeof label, "remove step %zu '%s'", s->index + 1, s->name);
		return cut_add(a, &t, label, MARK_REMOVED, 1);
	case CMD_CUT_MERGE:
		return cut_merge(a, s, label, sizeof label);
	case CMD_CUT_AUTOMATE:
		if (fresh && app_mark(a, s->id) == MARK_AUTOMATED) {
			app_error(a, "step %zu is automated already (X takes the cut back)", s->index + 1);
			return FL_REDRAW;
		}
		cut_init(&t, CUT_AUTOMATE, s->id);
		t.time_factor = a->auto_time;
		t.error_factor = a->auto_error;
		t.lane = process_lane(p, a->auto_lane) ? a->auto_lane : 0;
		snprintf(label, sizeof label, "automate step %zu '%s' (time x%g, errors x%g%s%s)",
		         s->index + 1, s->name, t.time_factor, t.error_factor, t.lane ? ", into " : "",
		         t.lane ? process_lane(p, t.lane)->name : "");
		return cut_add(a, &t, label, MARK_AUTOMATED, 1);
	case CMD_CUT_PARALLEL:
		if (!app_selection(a, &lo, &hi)) {
			app_error(a, "parallel: select the steps first (V, then move, then P)");
			return FL_REDRAW;
		}
		return cut_parallel(a, lo, hi, label, sizeof label);
	case CMD_MOVE_DOWN:
	case CMD_MOVE_UP:
		return cut_move(a, s, c == CMD_MOVE_DOWN ? 1 : -1, label, sizeof label);
	case CMD_UNCUT:
		return uncut(a, sc, s);
	default:
		return FL_UNHANDLED;
	}
}

/* --- baseline keys with a scenario shown ------------------------------------------------- */

/* The step s as the scenario shown has it (NULL, said, when the scenario
 * removes it or merged it into another). */
static const struct step *
scen_step(struct app *a, const struct step *s)
{
	const struct process *d = app_shown(a);
	const struct step *ds = d ? process_step(d, s->id) : NULL;

	if (ds && d != app_process(a))
		return ds;
	if (app_mark(a, s->id) == MARK_REMOVED)
		app_error(a, "step %zu is removed in scenario '%s' (X takes the cut back)", s->index + 1,
		          app_scenario(a)->name);
	else
		app_error(a, "step %zu is merged into another in scenario '%s': change that one",
		          s->index + 1, app_scenario(a)->name);
	return NULL;
}

int
scen_set_fields(struct app *a, const struct step *s, const enum step_field *fields,
                const char *const *values, size_t n)
{
	const struct process *p = app_process(a);
	const struct scenario *sc = app_scenario(a);
	struct edit **items;
	char label[600], base[DIST_TEXT_MAX * 2];
	size_t i, k, ni = 0, len;
	enum status st = STATUS_OK;
	struct cut t;
	int fl;

	if (!sc || !n)
		return FL_REDRAW;
	/* each field: the cut that set it before goes, a new one comes unless
	 * the value is the baseline's own */
	if (!(items = calloc(n * (sc->ncuts + 1), sizeof *items))) {
		app_error(a, "out of memory");
		return FL_REDRAW;
	}
	len = (size_t)snprintf(label, sizeof label, "step %zu:", s->index + 1);
	for (i = 0; i < n && st == STATUS_OK; i++) {
		const char *field = step_field_name(fields[i]);

		for (k = 0; k < sc->ncuts && st == STATUS_OK; k++) {
			const struct cut *c = sc->cuts[k];

			if (c->kind == CUT_SET && c->step == s->id && c->field && !strcmp(c->field, field))
				st = edit_cut_del(a->wb, c->id, &items[ni++]);
		}
		step_get_field(p, s, fields[i], base, sizeof base);
		if (st == STATUS_OK && strcmp(base, values[i])) {
			cut_init(&t, CUT_SET, s->id);
			t.field = (char *)field;
			t.value = (char *)values[i];
			st = edit_cut_add(a->wb, sc->id, &t, &items[ni++]);
		}
		if (len < sizeof label)
			len += (size_t)snprintf(label + len, sizeof label - len, "%s %s = %s", i ? "," : "",
			                        field, values[i][0] ? values[i] : "(none)");
	}
	if (st != STATUS_OK || ni == 0) {
		for (k = 0; k < ni; k++)
			edit_free(&items[k]);
		free(items);
		if (st != STATUS_OK)
			app_error(a, "%s", status_text(st));
		else
			app_say(a, "scenario '%s': nothing changed", sc->name);
		return FL_REDRAW;
	}
	{
		struct edit *e = edit_group(items, ni, label);

		fl = cut_do(a, e ? STATUS_OK : STATUS_NOMEM, &e, label, s->id, 1, MARK_CHANGED);
	}
	return fl;
}

/* The next type m gives: manual, user, service, then a plain task again. */
enum step_type
step_type_cycle(enum step_type t)
{
	switch (t) {
	case STEP_MANUAL:  return STEP_USER;
	case STEP_USER:    return STEP_SERVICE;
	case STEP_SERVICE: return STEP_TASK;
	default:           return STEP_MANUAL;
	}
}

/* The answer to "for the baseline or this scenario?" of the step form. */
static int
form_for_accept(struct app *a, const char *text, void *ctx)
{
	(void)ctx;
	if (!strcmp(text, "b"))
		step_form_open(a, false);
	else if (!strcmp(text, "s"))
		step_form_open(a, true);
	else
		app_say(a, "nothing opened");
	return FL_REDRAW;
}

int
scen_baseline_key(struct app *a, enum cmd c)
{
	const struct process *p = app_process(a);
	const struct scenario *sc = app_scenario(a);
	const struct step *s = app_step(a), *ds;
	enum step_field f;
	char value[256], q[400];
	const char *v = value;

	switch (c) {
	case CMD_DELETE: case CMD_MANUAL: case CMD_PAIN: case CMD_LANE_NEXT: case CMD_LANE_PREV:
	case CMD_EDIT:
		break;
	default:
		return FL_UNHANDLED;
	}
	if (!p || !sc || !s)
		return FL_UNHANDLED;
	if (c == CMD_DELETE)
		return scen_command(a, CMD_CUT_REMOVE);
	if (c == CMD_EDIT) {
		snprintf(q, sizeof q, "Edit step %zu in b: the baseline (all scenarios see it), s: "
		         "this scenario? ", s->index + 1);
		app_ask(a, q, "bs", form_for_accept, NULL);
		return FL_REDRAW;
	}
	if (!(ds = scen_step(a, s)))
		return FL_REDRAW;
	switch (c) {
	case CMD_MANUAL:
		f = FIELD_TYPE;
		v = step_type_name(step_type_cycle(ds->type));
		break;
	case CMD_PAIN:
		f = FIELD_PAIN;
		v = ds->pain ? "no" : "yes";
		break;
	default: {
		const struct lane *l;

		if (!p->nlanes) {
			app_error(a, "no lanes yet: :lane add NAME STAGE adds one");
			return FL_REDRAW;
		}
		f = FIELD_LANE;
		l = process_lane(p, app_lane_step(p, ds->lane, c == CMD_LANE_NEXT ? 1 : -1));
		v = l ? l->name : "";
		break;
	}
	}
	return scen_set_fields(a, s, &f, &v, 1);
}

/* --- :scenario and :cut ------------------------------------------------------------------------ */

/* Run a scenario edit; a name refused is said as such. show: show the
 * scenario it adds. */
static int
scen_do(struct app *a, enum status st, struct edit **e, const char *name, const char *what,
        bool show)
{
	sm_id id = *e ? app_added(*e, EDIT_SCENARIO_ADD) : 0;
	int fl;

	fl = app_do_named(a, st, e, name, what);
	if ((fl & FL_CHANGED) && show && id) {
		char said[sizeof a->status];

		snprintf(said, sizeof said, "%s", a->status);
		app_show_scenario(a, store_new_id(a->store, id));
		app_say(a, "%s: x removes, M merges, A automates, J/K move, V then P parallel", said);
	}
	return fl;
}

static bool
parse_factor(struct app *a, const char *what, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || !*s || *end || !isfinite(v) || v < 0 || v > 1000) {
		app_error(a, "cut automate: %s: expected a factor from 0 to 1000 (0.1 for a tenth), "
		          "got '%s'", what, s);
		return false;
	}
	*out = v;
	return true;
}

static const struct lane *
lane_arg(const struct process *p, const char *name)
{
	const struct lane *l = process_lane_named(p, name);
	char *end;
	unsigned long n = strtoul(name, &end, 10);

	if (!l && *name && !*end && n >= 1 && n <= p->nlanes)
		l = p->lanes[n - 1];
	return l;
}

/* A baseline step number from 0 (when zero_ok) to nsteps; false said. */
static bool
step_arg(struct app *a, const char *what, const char *s, bool zero_ok, size_t *out)
{
	const struct process *p = app_process(a);
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || !*s || *end || *s == '-' || (n == 0 && !zero_ok) || n > p->nsteps) {
		app_error(a, "cut %s: expected a step number from %d to %zu, got '%s'", what,
		          zero_ok ? 0 : 1, p->nsteps, s);
		return false;
	}
	*out = n;
	return true;
}

static int
exec_cut(struct app *a, char **w, size_t n)
{
	struct process *p = app_process(a);
	const struct step *s = app_step(a);
	char label[600], rest[512];
	struct cut t;
	size_t k;
	int kind;

	if (n < 1) {
		app_error(a, "usage: :cut %s", cmd_info(CMD_CUT)->args);
		return FL_REDRAW;
	}
	if ((kind = cut_kind_parse(w[0])) < 0) {
		app_error(a, "cut: unknown kind '%s' (remove, merge, automate, move, parallel, "
		          "capacity, set)", w[0]);
		return FL_REDRAW;
	}
	if (!p || !app_scenario(a)) {
		app_error(a, "cut: the baseline is shown: :scenario new NAME, or s to pick one");
		return FL_REDRAW;
	}
	if (kind != CUT_CAPACITY && !s) {
		app_error(a, "cut: no step here");
		return FL_REDRAW;
	}
	switch ((enum cut_kind)kind) {
	case CUT_REMOVE:
		return scen_command(a, CMD_CUT_REMOVE);
	case CUT_MERGE:
		return scen_command(a, CMD_CUT_MERGE);
	case CUT_AUTOMATE: {
		double tf = a->auto_time, ef = a->auto_error;
		const struct lane *l = NULL;

		if ((n > 1 && !parse_factor(a, "TIME", w[1], &tf)) ||
		    (n > 2 && !parse_factor(a, "ERRORS", w[2], &ef)))
			return FL_REDRAW;
		if (n > 3 && !(l = lane_arg(p, app_join_words(w, 3, n, rest, sizeof rest)))) {
			app_error(a, "cut automate: no lane '%s'", rest);
			return FL_REDRAW;
		}
		a->auto_time = tf;
		a->auto_error = ef;
		a->auto_lane = l ? l->id : 0;
		return scen_command(a, CMD_CUT_AUTOMATE);
	}
	case CUT_MOVE:
		if (n != 2 || !step_arg(a, "move", w[1], true, &k))
			return n != 2 ? (app_error(a, "usage: :cut move AFTER (a step number, 0: to the "
			                           "front)"), FL_REDRAW) : FL_REDRAW;
		if (k && p->steps[k - 1]->id == s->id) {
			app_error(a, "cut move: a step cannot go after itself");
			return FL_REDRAW;
		}
		cut_init(&t, CUT_MOVE, s->id);
		t.step2 = k ? p->steps[k - 1]->id : 0;
		if (k)
			snprintf(label, sizeof label, "move step %zu after step %zu", s->index + 1, k);
		else
			snprintf(label, sizeof label, "move step %zu to the front", s->index + 1);
		return cut_add(a, &t, label, MARK_MOVED, 1);
	case CUT_PARALLEL:
		if (n != 2 || !step_arg(a, "parallel", w[1], false, &k))
			return n != 2 ? (app_error(a, "usage: :cut parallel LAST (from the step at the "
			                           "cursor to step LAST)"), FL_REDRAW) : FL_REDRAW;
		return cut_parallel(a, s->index, k - 1, label, sizeof label);
	case CUT_CAPACITY: {
		const struct lane *l;
		char *end;
		long cap;

		if (n < 3) {
			app_error(a, "usage: :cut capacity LANE N (0: unlimited)");
			return FL_REDRAW;
		}
		errno = 0;
		cap = strtol(w[n - 1], &end, 10);
		if (errno || *end || cap < 0 || cap > 1000000) {
			app_error(a, "cut capacity: expected a number of servers from 0 (unlimited), "
			          "got '%s'", w[n - 1]);
			return FL_REDRAW;
		}
		if (!(l = lane_arg(p, app_join_words(w, 1, n - 1, rest, sizeof rest)))) {
			app_error(a, "cut capacity: no lane '%s'", rest);
			return FL_REDRAW;
		}
		return scen_capacity(a, l->id, (int)cap);
	}
	case CUT_SET: {
		struct step *probe;
		struct err err = { 0 };
		int f;
		enum status st;

		if (n < 2 || (f = step_field_parse(w[1])) < 0) {
			app_error(a, "usage: :cut set FIELD VALUE (fields: name, lane, type, work, wait, "
			          "value, error_rate, cost, channel, emotion, pain, note)");
			return FL_REDRAW;
		}
		app_join_words(w, 2, n, rest, sizeof rest);
		/* Check the value the way the cut will use it. */
		if (!(probe = step_copy(s))) {
			app_error(a, "out of memory");
			return FL_REDRAW;
		}
		st = step_set_field(p, probe, (enum step_field)f, rest, &err);
		step_free(&probe);
		if (st != STATUS_OK) {
			app_error(a, "cut set: %s", err.msg[0] ? err.msg : status_text(st));
			return FL_REDRAW;
		}
		cut_init(&t, CUT_SET, s->id);
		t.field = (char *)step_field_name((enum step_field)f);
		t.value = rest;
		snprintf(label, sizeof label, "step %zu: %s = %s", s->index + 1, t.field,
		         rest[0] ? rest : "(none)");
		return cut_add(a, &t, label, MARK_CHANGED, 1);
	}
	default:
		return FL_REDRAW;
	}
}

int
scen_capacity(struct app *a, sm_id lane, int cap)
{
	const struct lane *l = process_lane(app_process(a), lane);
	char label[600];
	struct cut t;

	if (!l || !app_scenario(a)) {
		app_error(a, "capacity: no such lane, or the baseline is shown");
		return FL_REDRAW;
	}
	cut_init(&t, CUT_CAPACITY, 0);
	t.lane = l->id;
	t.capacity = cap;
	snprintf(label, sizeof label, "lane '%s' capacity %d%s", l->name, cap,
	         cap ? "" : " (unlimited)");
	return cut_add(a, &t, label, MARK_NONE, 0);
}

int
scen_add(struct app *a, sm_id from, const char *name)
{
	struct edit *e = NULL;
	const struct process *p = app_process(a);

	if (!p) {
		app_error(a, "scenario: no process is open (:process new NAME)");
		return FL_REDRAW;
	}
	if (from)
		return scen_do(a, edit_scenario_copy(a->wb, from, name, &e), &e, name, "copy scenario",
		               true);
	return scen_do(a, edit_scenario_add(a->wb, p->id, name, &e), &e, name, "new scenario", true);
}

int
scen_exec(struct app *a, enum cmd c, char **w, size_t n)
{
	struct process *p = app_process(a);
	const struct scenario *sc = app_scenario(a);
	struct scenario *to;
	struct edit *e = NULL;
	char name[512];

	if (c == CMD_CUT)
		return exec_cut(a, w, n);
	if (!p) {
		app_error(a, "scenario: no process is open (:process new NAME)");
		return FL_REDRAW;
	}
	if (n == 0)
		return app_command(a, CMD_SCENARIOS);
	app_join_words(w, 1, n, name, sizeof name);
	if (!strcmp(w[0], "new") && name[0])
		return scen_add(a, 0, name);
	if ((!strcmp(w[0], "copy") || !strcmp(w[0], "rename") || !strcmp(w[0], "delete")) &&
	    !sc) {
		app_error(a, "scenario %s: the baseline is shown (s picks a scenario)", w[0]);
		return FL_REDRAW;
	}
	if (!strcmp(w[0], "copy") && name[0])
		return scen_add(a, sc->id, name);
	if (!strcmp(w[0], "rename") && name[0])
		return scen_do(a, edit_scenario_rename(a->wb, sc->id, name, &e), &e, name,
		               "rename scenario", false);
	if (!strcmp(w[0], "delete") && n == 1)
		return scen_do(a, edit_scenario_del(a->wb, sc->id, &e), &e, sc->name,
		               "delete scenario", false);
	app_join_words(w, 0, n, name, sizeof name);
	if ((to = scen_find(p, name))) {
		app_show_scenario(a, to->id);
		return FL_REDRAW;
	}
	if (!strcmp(name, "baseline") || !strcmp(name, "none")) {
		app_show_scenario(a, 0);
		return FL_REDRAW;
	}
	if (!strcmp(w[0], "new") || !strcmp(w[0], "copy") || !strcmp(w[0], "rename") ||
	    !strcmp(w[0], "delete")) {
		app_error(a, "usage: :scenario %s", cmd_info(CMD_SCENARIO)->args);
		return FL_REDRAW;
	}
	app_error(a, "scenario: '%s' has no scenario '%s' (s lists them)", p->name, name);
	return FL_REDRAW;
}
