/*
 * listed.c - what the map and the lane view list, and the selection.
 *
 * With the baseline shown they list the process. With a scenario shown they
 * list the scenario (scen.c applies it): its steps in its own order, with the
 * steps it removes put back, struck through, after the step before them
 * that the scenario still has (app_listed). The cursor is kept as a
 * baseline step id, so it stays on its step whichever is shown; these
 * functions turn rows of the list into baseline steps and back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
/* --- what the map lists ------------------------------------------------------------------ */

/* Put the removed baseline steps run[0..n) into l, after step `after` of d
 * (NULL: before the first), with keys between it and the step after it. */
static bool
listed_put(struct process *l, const struct process *d, const struct step *after,
           const struct step *const *run, size_t n)
{
	double lo, hi;
	size_t k;

	if (!n)
		return true;
	if (after) {
		lo = after->key;
		hi = after->index + 1 < d->nsteps ? d->steps[after->index + 1]->key
		                                   : lo + 1024.0 * (double)(n + 1);
	} else {
		hi = d->nsteps ? d->steps[0]->key : 0;
		lo = hi - 1024.0 * (double)(n + 1);
	}
	for (k = 0; k < n; k++) {
		struct step *c = step_copy(run[k]);

		if (!c)
			return false;
		c->key = lo + (hi - lo) * (double)(k + 1) / (double)(n + 1);
		if (process_add_step(l, c) != STATUS_OK) {
			step_free(&c);
			return false;
		}
	}
	return true;
}

/* The scenario's derived process d with the steps it removes from p put
 * back after the step before them in p that d still has. NULL when out of
 * memory. */
static struct process *
listed_build(struct app *a, const struct process *p, const struct process *d)
{
	struct process *l = process_copy(d);
	const struct step **run = NULL, *after = NULL;
	size_t i, n = 0;
	bool ok = true;

	if (!l || !(run = malloc((p->nsteps + 1) * sizeof *run))) {
		process_free(&l);
		return NULL;
	}
	for (i = 0; i < p->nsteps && ok; i++) {
		const struct step *b = p->steps[i], *in_d = process_step(d, b->id);

		if (in_d) {
			ok = listed_put(l, d, after, run, n);
			n = 0;
			after = in_d;
		} else if (app_mark(a, b->id) == MARK_REMOVED) {
			run[n++] = b;
		}
	}
	if (ok)
		ok = listed_put(l, d, after, run, n);
	free(run);
	if (!ok) {
		process_free(&l);
		return NULL;
	}
	process_reindex(l);
	return l;
}

const struct process *
app_listed(struct app *a)
{
	const struct process *p = app_process(a), *d;

	if (!p || !app_scenario(a))
		return p;
	/* On a large process the scenario is applied again once the keys stop,
	 * with the figures: until then the rows of the last application stand
	 * (a copy of their own, as the marks do). */
	if (!a->scen_fresh && a->listed && app_figures_deferred(a))
		return a->listed;
	d = app_shown(a);
	if (!a->derived || d != a->derived)
		return p;
	if (a->listed && a->listed_gen == a->derived_gen)
		return a->listed;
	process_free(&a->listed);
	a->listed = listed_build(a, p, d);
	a->listed_gen = a->derived_gen;
	return a->listed ? a->listed : p;
}

const struct step *
app_listed_base(struct app *a, const struct process *l, size_t i)
{
	const struct process *p = app_process(a);

	if (!p || i >= l->nsteps)
		return NULL;
	return l == p ? p->steps[i] : process_step(p, l->steps[i]->id);
}

bool
app_listed_selected(struct app *a, const struct process *l, size_t i)
{
	const struct step *b = app_listed_base(a, l, i);

	return b && app_selected(a, b->index);
}

size_t
app_listed_number(struct app *a, const struct process *l, size_t i)
{
	const struct step *b = app_listed_base(a, l, i);

	/* a gateway the program made (a parallel block's or an imported
	 * cut's split and join) is no step: listed, for its branch lines and
	 * the simulation, but not numbered, as a cut's own split and join */
	return b && !b->generated ? b->index + 1 : 0;
}

size_t
app_listed_cursor(struct app *a, const struct process *l)
{
	const struct process *p = app_process(a);
	const struct step *s;
	size_t i;

	if (!p || l == p || !p->nsteps)
		return a->cur;
	/* the cursor's step, or the one before it that is listed (a step
	 * merged into the one before it) */
	for (i = a->cur + 1; i-- > 0;)
		if ((s = process_step(l, p->steps[i]->id)))
			return s->index;
	return 0;
}

void
app_listed_set_cursor(struct app *a, const struct process *l, size_t i, int dir)
{
	const struct step *b;
	size_t k;

	if (!l->nsteps)
		return;
	if (i >= l->nsteps)
		i = l->nsteps - 1;
	for (k = i; k < l->nsteps; k = dir > 0 ? k + 1 : k - 1) {
		if ((b = app_listed_base(a, l, k))) {
			app_set_cursor(a, b->index);
			return;
		}
		if (dir < 0 && k == 0)
			break;
	}
	for (k = i; k < l->nsteps; k = dir > 0 ? k - 1 : k + 1) {
		if ((b = app_listed_base(a, l, k))) {
			app_set_cursor(a, b->index);
			return;
		}
		if (dir > 0 && k == 0)
			break;
	}
}

size_t
app_listed_insert_at(struct app *a, const struct process *l, size_t i)
{
	const struct process *p = app_process(a);
	const struct step *b;

	size_t k;

	if (!p || l == p)
		return i;
	/* after the baseline step before the line, unless a move cut put that
	 * one here: then before the step after the line (a baseline step
	 * follows its baseline neighbours, not a step moved next to them) */
	for (k = i; k-- > 0;)
		if ((b = app_listed_base(a, l, k)))
			break;
	if (k < i && b && app_mark(a, b->id) != MARK_MOVED)
		return b->index + 1;
	for (k = i; k < l->nsteps; k++) {
		const struct step *n = app_listed_base(a, l, k);

		if (n && app_mark(a, n->id) != MARK_MOVED)
			return n->index;
	}
	return k < i && b ? b->index + 1 : p->nsteps;
}

/* --- the selection ------------------------------------------------------------------------ */

bool
app_selection(const struct app *a, size_t *lo, size_t *hi)
{
	const struct process *p = app_process(a);
	const struct step *s;

	if (!a->sel || !p || !(s = process_step(p, a->sel_anchor)))
		return false;
	*lo = s->index < a->cur ? s->index : a->cur;
	*hi = s->index < a->cur ? a->cur : s->index;
	return true;
}

bool
app_selected(const struct app *a, size_t i)
{
	size_t lo, hi;

	return app_selection(a, &lo, &hi) && i >= lo && i <= hi;
}
