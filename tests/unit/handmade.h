/*
 * handmade.h - build processes by hand in unit tests: lanes, steps, flows
 * and measures added straight into a process with ids from its workbook
 * (the readers' entry points, process_add_*). Include after cmocka.h; every
 * helper fails the test when the model refuses.
 */
#ifndef STEPMAP_TESTS_HANDMADE_H
#define STEPMAP_TESTS_HANDMADE_H

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

#endif
