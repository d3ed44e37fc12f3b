/*
 * wbequal.h - deep equality of two workbooks for unit tests: every object
 * and every field, in order, with where they first differ. Include after
 * cmocka.h; assert_workbook_equal() fails the test with the difference.
 */
#ifndef STEPMAP_TESTS_WBEQUAL_H
#define STEPMAP_TESTS_WBEQUAL_H

#include <stdio.h>
#include <string.h>

#include "model/model.h"

/* Where the last comparison found a difference. */
static char wbeq_where[256];

#define WBEQ_NE_(cond, ...) \
	do { \
		if (cond) { \
			snprintf(wbeq_where, sizeof wbeq_where, __VA_ARGS__); \
			return false; \
		} \
	} while (0)

static inline bool
wbeq_str(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

static inline bool
wbeq_step(const struct step *a, const struct step *b)
{
	WBEQ_NE_(a->id != b->id || a->key != b->key || a->index != b->index,
	         "step %lld/%lld: id, key or position", (long long)a->id, (long long)b->id);
	WBEQ_NE_(!wbeq_str(a->name, b->name) || !wbeq_str(a->channel, b->channel) ||
	         !wbeq_str(a->note, b->note), "step %lld: name, channel or note", (long long)a->id);
	WBEQ_NE_(a->lane != b->lane || a->type != b->type || a->value != b->value ||
	         a->pain != b->pain || a->emotion != b->emotion || a->generated != b->generated,
	         "step %lld: lane, type, value, pain, emotion or generated", (long long)a->id);
	WBEQ_NE_(!dist_equal(&a->work, &b->work) || !dist_equal(&a->wait, &b->wait) ||
	         a->error_rate != b->error_rate || a->cost != b->cost,
	         "step %lld: times, error rate or cost", (long long)a->id);
	return true;
}

static inline bool
wbeq_cuts(const struct scenario *x, const struct scenario *y)
{
	size_t j;

	WBEQ_NE_(x->id != y->id || !wbeq_str(x->name, y->name) || x->ncuts != y->ncuts,
	         "scenario %lld", (long long)x->id);
	for (j = 0; j < x->ncuts; j++) {
		const struct cut *c = x->cuts[j], *d = y->cuts[j];

		WBEQ_NE_(c->id != d->id || c->key != d->key || c->kind != d->kind ||
		         c->step != d->step || c->step2 != d->step2 || c->lane != d->lane ||
		         c->capacity != d->capacity || c->time_factor != d->time_factor ||
		         c->error_factor != d->error_factor || !wbeq_str(c->field, d->field) ||
		         !wbeq_str(c->value, d->value), "cut %lld", (long long)c->id);
	}
	return true;
}

static inline bool
wbeq_process(const struct process *a, const struct process *b)
{
	size_t i;

	WBEQ_NE_(a->id != b->id || a->key != b->key || !wbeq_str(a->name, b->name) ||
	         !wbeq_str(a->description, b->description) ||
	         !dist_equal(&a->arrival, &b->arrival) || a->time_unit != b->time_unit,
	         "process %lld", (long long)a->id);
	WBEQ_NE_(a->nlanes != b->nlanes || a->nsteps != b->nsteps || a->nflows != b->nflows ||
	         a->nmeasures != b->nmeasures || a->nscenarios != b->nscenarios,
	         "process %lld: counts %zu/%zu lanes %zu/%zu steps %zu/%zu flows %zu/%zu "
	         "measures %zu/%zu scenarios", (long long)a->id, a->nlanes, b->nlanes, a->nsteps,
	         b->nsteps, a->nflows, b->nflows, a->nmeasures, b->nmeasures, a->nscenarios,
	         b->nscenarios);
	for (i = 0; i < a->nlanes; i++) {
		const struct lane *x = a->lanes[i], *y = b->lanes[i];

		WBEQ_NE_(x->id != y->id || x->key != y->key || !wbeq_str(x->name, y->name) ||
		         x->stage != y->stage || x->capacity != y->capacity, "lane %lld",
		         (long long)x->id);
	}
	for (i = 0; i < a->nsteps; i++)
		if (!wbeq_step(a->steps[i], b->steps[i]))
			return false;
	for (i = 0; i < a->nflows; i++) {
		const struct flow *x = a->flows[i], *y = b->flows[i];

		WBEQ_NE_(x->id != y->id || x->from != y->from || x->to != y->to ||
		         x->prob != y->prob || !wbeq_str(x->label, y->label) ||
		         !wbeq_str(x->condition, y->condition), "flow %lld", (long long)x->id);
	}
	for (i = 0; i < a->nmeasures; i++) {
		const struct measure *x = a->measures[i], *y = b->measures[i];

		WBEQ_NE_(x->id != y->id || x->from != y->from || x->to != y->to ||
		         x->clock != y->clock || !wbeq_str(x->name, y->name), "measure %lld",
		         (long long)x->id);
	}
	for (i = 0; i < a->nscenarios; i++)
		if (!wbeq_cuts(a->scenarios[i], b->scenarios[i]))
			return false;
	return true;
}

/* Equal in every process, object and field. */
static inline bool
wbeq(const struct workbook *a, const struct workbook *b)
{
	size_t i;

	WBEQ_NE_(a->nprocs != b->nprocs, "%zu vs %zu processes", a->nprocs, b->nprocs);
	for (i = 0; i < a->nprocs; i++)
		if (!wbeq_process(a->procs[i], b->procs[i]))
			return false;
	return true;
}

#define assert_workbook_equal(a, b) \
	do { \
		if (!wbeq((a), (b))) \
			fail_msg("workbooks differ: %s", wbeq_where); \
	} while (0)

#endif
