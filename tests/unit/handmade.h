/*
 * handmade.h - build processes by hand in unit tests: lanes, steps, flows
 * and measures added straight into a process with ids from its workbook
 * (the readers' entry points, process_add_*). Include after cmocka.h; every
 * helper fails the test when the model refuses.
 */
#ifndef STEPMAP_TESTS_HANDMADE_H
#define STEPMAP_TESTS_HANDMADE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

static inline sm_id
hm_lane(struct workbook *wb, struct process *p, const char *name, enum stage stage,
        int capacity)
{
	struct lane *l = calloc(1, sizeof *l);

	assert_non_null(l);
	l->id = workbook_new_id(wb);
	l->name = strdup(name);
	l->stage = stage;
	l->capacity = capacity;
	l->key = (double)p->nlanes;
	assert_int_equal(process_add_lane(p, l), STATUS_OK);
	return l->id;
}

/* A step at the end of the order. */
static inline sm_id
hm_step(struct workbook *wb, struct process *p, const char *name, enum step_type type,
        sm_id lane, struct dist work, struct dist wait, double error_rate)
{
	struct step *s = calloc(1, sizeof *s);

	assert_non_null(s);
	step_init(s);
	free(s->name);
	s->name = strdup(name);
	s->id = workbook_new_id(wb);
	s->key = 1024.0 * (double)(p->nsteps + 1);
	s->type = type;
	s->lane = lane;
	s->work = work;
	s->wait = wait;
	s->error_rate = error_rate;
	assert_int_equal(process_add_step(p, s), STATUS_OK);
	process_reindex(p);
	return s->id;
}

/* The flow from step `from` to step `to` in p, or NULL. */
static inline const struct flow *
hm_flow_between(const struct process *p, sm_id from, sm_id to)
{
	size_t i;

	for (i = 0; i < p->nflows; i++)
		if (p->flows[i]->from == from && p->flows[i]->to == to)
			return p->flows[i];
	return NULL;
}

static inline sm_id
hm_flow(struct workbook *wb, struct process *p, sm_id from, sm_id to, double prob,
        const char *label)
{
	struct flow *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->id = workbook_new_id(wb);
	f->from = from;
	f->to = to;
	f->prob = prob;
	f->label = label ? strdup(label) : NULL;
	assert_int_equal(process_add_flow(p, f), STATUS_OK);
	return f->id;
}

static inline sm_id
hm_measure(struct workbook *wb, struct process *p, const char *name, sm_id from, sm_id to)
{
	struct measure *m = calloc(1, sizeof *m);

	assert_non_null(m);
	m->id = workbook_new_id(wb);
	m->name = strdup(name);
	m->from = from;
	m->to = to;
	assert_int_equal(process_add_measure(p, m), STATUS_OK);
	return m->id;
}

/* A small linear congruential generator for generated processes: the same
 * seed gives the same process on every machine. */
static uint64_t hm_rng_state;

static inline unsigned
hm_rnd(unsigned n)
{
	hm_rng_state = hm_rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((hm_rng_state >> 33) % n);
}

/*
 * A process "Generated" in a new workbook (the caller frees it; the process
 * is its first): n steps of random types (tasks, people's steps, waits,
 * decisions, parallel splits, sends) each of work time `work`, in 2 + seed % 6
 * lanes of random stages (one step in 12 without a lane); from every
 * decision and parallel step, and now and then another, 2 to 4 flows,
 * mostly forward, now and then back. Names are drawn from names[0..nnames)
 * (and one step in 4 is a pain point) or, with names NULL, "Step I of a
 * generated process".
 */
static inline struct workbook *
hm_generated(unsigned seed, unsigned n, struct dist work, const char *const *names,
             size_t nnames)
{
	static const enum step_type kinds[] = {
		STEP_TASK, STEP_USER, STEP_MANUAL, STEP_SERVICE, STEP_WAIT, STEP_DECISION,
		STEP_TASK, STEP_PARALLEL, STEP_SEND, STEP_TASK,
	};
	struct dist z = { DIST_NONE, { 0, 0, 0 } };
	struct workbook *w = workbook_new();
	struct process *p;
	sm_id lanes[7], *ids;
	unsigned i, nl = 2 + seed % 6;

	assert_non_null(w);
	p = workbook_add_process(w, workbook_new_id(w), "Generated");
	assert_non_null(p);
	hm_rng_state = seed;
	ids = calloc(n, sizeof *ids);
	assert_non_null(ids);
	for (i = 0; i < nl; i++) {
		char name[32];

		snprintf(name, sizeof name, "Lane %u", i);
		lanes[i] = hm_lane(w, p, name, (enum stage)hm_rnd(STAGE_COUNT_), 0);
	}
	for (i = 0; i < n; i++) {
		char own[64];
		enum step_type t = kinds[hm_rnd(sizeof kinds / sizeof kinds[0])];
		const char *name = own;
		sm_id lane;

		if (names)
			name = names[hm_rnd((unsigned)nnames)];
		else
			snprintf(own, sizeof own, "Step %u of a generated process", i);
		lane = hm_rnd(12) ? lanes[hm_rnd(nl)] : 0;
		ids[i] = hm_step(w, p, name, t, lane, work, z, 0);
		if (names)
			p->steps[p->nsteps - 1]->pain = hm_rnd(4) == 0;
	}
	for (i = 0; i + 12 < n; i++) {
		unsigned r = hm_rnd(10), k, ways;

		if (p->steps[i]->type != STEP_DECISION && p->steps[i]->type != STEP_PARALLEL &&
		    r > 1)
			continue;
		ways = 2 + hm_rnd(3);
		for (k = 0; k < ways; k++) {
			/* forward mostly; now and then a loop back */
			unsigned to = hm_rnd(8) ? i + 1 + hm_rnd(10) : (i > 5 ? i - hm_rnd(5) : i);
			char label[16];

			snprintf(label, sizeof label, "way %u", k);
			hm_flow(w, p, ids[i], ids[to], -1, hm_rnd(2) ? label : NULL);
		}
	}
	free(ids);
	return w;
}

#endif
