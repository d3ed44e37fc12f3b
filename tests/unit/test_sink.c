/*
 * test_sink.c - the workbook builder behind every reader: step keys resolved
 * per process at end(), flows and measures that name later steps, lanes
 * matched by name and made for unknown lane keys, warnings with where and
 * what, ordering by flow, several processes and several end() calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/sink.h"

struct fixture {
	struct workbook *w;
	struct sink_builder *b;
	struct sink s;
	struct err err;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	assert_non_null(f->w = workbook_new());
	assert_int_equal(sink_builder_new(f->w, false, &f->b, &f->s), STATUS_OK);
	*state = f;
	return 0;
}

static int
setup_ordered(void **state)
{
	struct fixture *f;

	setup(state);
	f = *state;
	sink_builder_free(&f->b);
	assert_int_equal(sink_builder_new(f->w, true, &f->b, &f->s), STATUS_OK);
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	sink_builder_free(&f->b);
	assert_null(f->b);
	workbook_free(&f->w);
	free(f);
	return 0;
}

/* --- emitting, as a reader does --------------------------------------- */

static void
process(struct fixture *f, const char *key, const char *name)
{
	assert_int_equal(f->s.ops->process(f->s.ctx, key, name, NULL, &f->err), STATUS_OK);
}

static void
lane(struct fixture *f, const char *key, const char *name, enum stage stage, int cap)
{
	struct lane l = { .id = 999, .name = (char *)name, .stage = stage, .capacity = cap };

	assert_int_equal(f->s.ops->lane(f->s.ctx, key, &l, &f->err), STATUS_OK);
}

static enum status
step_with(struct fixture *f, const char *key, const char *lane_key, const char *name,
          enum step_type type)
{
	struct step s;
	enum status st;

	step_init(&s);
	free(s.name);
	s.name = strdup(name);
	s.type = type;
	s.id = 12345;                /* ignored by the contract */
	s.work = dist_fixed(60);
	st = f->s.ops->step(f->s.ctx, key, lane_key, &s, &f->err);
	step_done(&s);
	return st;
}

static void
step(struct fixture *f, const char *key, const char *lane_key, const char *name)
{
	assert_int_equal(step_with(f, key, lane_key, name, STEP_TASK), STATUS_OK);
}

static void
flow(struct fixture *f, const char *from, const char *to, const char *label, double prob)
{
	struct flow fl = { .id = 7, .label = (char *)label, .prob = prob };

	assert_int_equal(f->s.ops->flow(f->s.ctx, from, to, &fl, &f->err), STATUS_OK);
}

static void
measure(struct fixture *f, const char *from, const char *to, const char *name,
        enum clock clock)
{
	struct measure m = { .name = (char *)name, .clock = clock };

	assert_int_equal(f->s.ops->measure(f->s.ctx, from, to, &m, &f->err), STATUS_OK);
}

static void
end(struct fixture *f)
{
	assert_int_equal(f->s.ops->end(f->s.ctx, &f->err), STATUS_OK);
}

static const struct step *
named(const struct process *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		if (!strcmp(p->steps[i]->name, name))
			return p->steps[i];
	fail_msg("no step '%s'", name);
	return NULL;
}

/* --- tests ------------------------------------------------------------- */

/* Flows and measures may name steps that come later; keys resolve at end(). */
static void
test_forward_references(void **state)
{
	struct fixture *f = *state;
	struct process *p;
	const struct flow *fl;

	process(f, "P1", "Admission");
	lane(f, "L1", "Front desk", STAGE_ONSTAGE, 2);
	flow(f, "a", "c", "skip", 0.25);           /* before either step exists */
	measure(f, "a", "c", "door to doc", CLOCK_CUSTOMER);
	step(f, "a", "L1", "Arrive");
	step(f, "b", "L1", "Register");
	flow(f, "a", "b", NULL, 0.75);
	step(f, "c", NULL, "Seen");
	assert_int_equal(f->w->nprocs, 1);
	p = f->w->procs[0];
	assert_int_equal(p->nflows, 0);            /* nothing resolved before end() */
	end(f);

	assert_string_equal(p->name, "Admission");
	assert_int_equal(p->nsteps, 3);
	assert_string_equal(p->steps[0]->name, "Arrive");
	assert_string_equal(p->steps[1]->name, "Register");
	assert_string_equal(p->steps[2]->name, "Seen");
	assert_true(p->steps[0]->key < p->steps[1]->key);
	assert_true(p->steps[1]->key < p->steps[2]->key);
	assert_int_not_equal(p->steps[0]->id, 12345);
	assert_true(p->steps[0]->work.kind == DIST_FIXED && p->steps[0]->work.p[0] == 60);

	assert_int_equal(p->nlanes, 1);
	assert_string_equal(p->lanes[0]->name, "Front desk");
	assert_int_equal(p->lanes[0]->stage, STAGE_ONSTAGE);
	assert_int_equal(p->lanes[0]->capacity, 2);
	assert_int_equal(p->steps[0]->lane, p->lanes[0]->id);
	assert_int_equal(p->steps[2]->lane, 0);

	assert_int_equal(p->nflows, 2);
	fl = p->flows[0];
	assert_int_equal(fl->from, p->steps[0]->id);
	assert_int_equal(fl->to, p->steps[2]->id);
	assert_string_equal(fl->label, "skip");
	assert_true(fl->prob == 0.25);
	assert_int_equal(p->flows[1]->to, p->steps[1]->id);
	assert_null(p->flows[1]->label);

	assert_int_equal(p->nmeasures, 1);
	assert_string_equal(p->measures[0]->name, "door to doc");
	assert_int_equal(p->measures[0]->from, p->steps[0]->id);
	assert_int_equal(p->measures[0]->to, p->steps[2]->id);
	assert_int_equal(p->measures[0]->clock, CLOCK_CUSTOMER);
	assert_int_equal(sink_builder_nwarnings(f->b), 0);
	assert_string_equal(sink_builder_warnings(f->b), "");

	/* Every id is fresh and unique in the workbook. */
	assert_true(f->w->next_id > p->measures[0]->id);
	assert_int_not_equal(p->flows[0]->id, p->flows[1]->id);
	assert_int_not_equal(p->flows[0]->id, 7);
}

/* An unknown lane key used by a step becomes a lane of that name, offstage,
 * unlimited; a later declaration of that name fills it in, no twin. */
static void
test_unknown_lane_keys(void **state)
{
	struct fixture *f = *state;
	struct process *p;

	process(f, NULL, "P");
	step(f, "1", "Radiology", "X-ray");
	step(f, "2", "Lab", "Bloods");
	step(f, "3", "Radiology", "Report");
	lane(f, "lane_7", "Radiology", STAGE_SUPPORT, 3);
	end(f);
	p = f->w->procs[0];
	assert_int_equal(p->nlanes, 2);
	assert_string_equal(p->lanes[0]->name, "Radiology");
	assert_int_equal(p->lanes[0]->stage, STAGE_SUPPORT);
	assert_int_equal(p->lanes[0]->capacity, 3);
	assert_string_equal(p->lanes[1]->name, "Lab");
	assert_int_equal(p->lanes[1]->stage, STAGE_OFFSTAGE);
	assert_int_equal(p->lanes[1]->capacity, 0);
	assert_int_equal(p->steps[0]->lane, p->lanes[0]->id);
	assert_int_equal(p->steps[2]->lane, p->lanes[0]->id);
	assert_int_equal(p->steps[1]->lane, p->lanes[1]->id);
}

/* Lanes are kept by identity: two keys (two BPMN lanes of one name) are two
 * lanes (issue 11); a key used before its declaration takes the declared
 * name. */
static void
test_lanes_by_name(void **state)
{
	struct fixture *f = *state;
	struct process *p;

	process(f, "pool", NULL);
	lane(f, "Lane_1", "Nurse", STAGE_ONSTAGE, 0);
	lane(f, "Lane_2", "Nurse", STAGE_ONSTAGE, 0);
	step(f, "t1", "Lane_1", "A");
	step(f, "t2", "Lane_2", "B");
	step(f, "t3", "Lane_9", "C");            /* declared only afterwards */
	lane(f, "Lane_9", "Physician", STAGE_OFFSTAGE, 1);
	lane(f, "Lane_1", "Someone else", STAGE_SUPPORT, 0);  /* declared twice */
	end(f);
	p = f->w->procs[0];
	assert_string_equal(p->name, "pool");    /* no name: the key */
	assert_int_equal(p->nlanes, 3);
	assert_true(p->steps[0]->lane != p->steps[1]->lane);
	assert_string_equal(step_lane(p, p->steps[0])->name, "Nurse");
	assert_string_equal(step_lane(p, p->steps[1])->name, "Nurse");
	assert_string_equal(step_lane(p, p->steps[2])->name, "Physician");
	assert_int_equal(step_lane(p, p->steps[2])->capacity, 1);
	assert_int_equal(sink_builder_nwarnings(f->b), 1);
	assert_string_equal(sink_builder_warnings(f->b),
	                    "pool: lane 'Lane_1' is declared twice; the first one is kept\n");
}

/* What never resolves is dropped with a warning; the reader's own warnings
 * are kept with their where. */
static void
test_warnings(void **state)
{
	struct fixture *f = *state;
	struct process *p;

	process(f, "k", "Intake");
	step(f, "1", NULL, "A");
	step(f, "2", NULL, "B");
	flow(f, "1", "2", NULL, -1);
	flow(f, "2", "404", "lost", -1);
	measure(f, "nope", "2", "span", CLOCK_PROCESS);
	f->s.ops->warn(f->s.ctx, "x.bpmn:12", "textAnnotation without text ignored");
	end(f);
	p = f->w->procs[0];
	assert_int_equal(p->nflows, 1);
	assert_int_equal(p->nmeasures, 0);
	assert_int_equal(sink_builder_nwarnings(f->b), 3);
	assert_string_equal(sink_builder_warnings(f->b),
	                    "x.bpmn:12: textAnnotation without text ignored\n"
	                    "Intake: flow from '2' to '404': no step '404'; the flow is dropped\n"
	                    "Intake: measure 'span': no step 'nope'; the measure is dropped\n");
}

/* A step key used twice in a process is an error; in another process the
 * same key is another step. */
static void
test_keys_per_process(void **state)
{
	struct fixture *f = *state;

	process(f, NULL, "One");
	step(f, "1", NULL, "A");
	assert_int_equal(step_with(f, "1", NULL, "again", STEP_TASK), STATUS_INPUT);
	assert_string_equal(f->err.msg, "step '1' is defined twice");
	process(f, NULL, "Two");
	step(f, "1", NULL, "B");
	step(f, "2", NULL, "C");
	flow(f, "2", "1", "back", 0.1);
	end(f);
	assert_int_equal(f->w->nprocs, 2);
	assert_int_equal(f->w->procs[0]->nsteps, 1);
	assert_int_equal(f->w->procs[1]->nsteps, 2);
	assert_int_equal(f->w->procs[1]->flows[0]->from, f->w->procs[1]->steps[1]->id);
	assert_int_equal(f->w->procs[1]->flows[0]->to, f->w->procs[1]->steps[0]->id);
}

/* Several files into one builder: each end() settles what came since. */
static void
test_end_twice(void **state)
{
	struct fixture *f = *state;

	process(f, NULL, "First");
	step(f, "a", NULL, "A");
	step(f, "b", NULL, "B");
	flow(f, "a", "b", NULL, -1);
	end(f);
	process(f, NULL, "Second");
	step(f, "a", NULL, "A2");
	step(f, "b", NULL, "B2");
	flow(f, "b", "a", NULL, -1);
	end(f);
	assert_int_equal(f->w->nprocs, 2);
	assert_int_equal(f->w->procs[0]->nflows, 1);
	assert_int_equal(f->w->procs[1]->nflows, 1);
	assert_int_equal(f->w->procs[1]->flows[0]->from, f->w->procs[1]->steps[1]->id);
	/* Nothing may be sent after end() without a new process. */
	assert_int_equal(step_with(f, "c", NULL, "late", STEP_TASK), STATUS_INTERNAL);
}

/* With order_by_flow, steps read in any order come out in flow order. */
static void
test_order_by_flow(void **state)
{
	struct fixture *f = *state;
	struct process *p;

	process(f, NULL, "BPMN-like");
	step(f, "end", NULL, "End");
	step_with(f, "t2", NULL, "Second", STEP_TASK);
	step(f, "t1", NULL, "First");
	assert_int_equal(step_with(f, "s", NULL, "Start", STEP_START), STATUS_OK);
	flow(f, "s", "t1", NULL, -1);
	flow(f, "t1", "t2", NULL, -1);
	flow(f, "t2", "end", NULL, -1);
	end(f);
	p = f->w->procs[0];
	assert_string_equal(p->steps[0]->name, "Start");
	assert_string_equal(p->steps[1]->name, "First");
	assert_string_equal(p->steps[2]->name, "Second");
	assert_string_equal(p->steps[3]->name, "End");
	assert_int_equal(named(p, "End")->index, 3);
}

/* Without it, the order read is kept even when flows run backwards. */
static void
test_order_as_read(void **state)
{
	struct fixture *f = *state;
	struct process *p;
	struct dist arr = { DIST_EXP, { 450, 0, 0 } };

	process(f, NULL, "CSV-like");
	assert_int_equal(f->s.ops->arrival(f->s.ctx, &arr, &f->err), STATUS_OK);
	step(f, "3", NULL, "C");
	step(f, "1", NULL, "A");
	flow(f, "1", "3", NULL, -1);
	end(f);
	p = f->w->procs[0];
	assert_string_equal(p->steps[0]->name, "C");
	assert_string_equal(p->steps[1]->name, "A");
	assert_true(dist_equal(&p->arrival, &arr));
}

static void
test_before_process(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(step_with(f, "1", NULL, "orphan", STEP_TASK), STATUS_INTERNAL);
	assert_string_equal(f->err.msg, "reader sent a step before any process");
	assert_int_equal(f->w->nprocs, 0);
}

/* Many steps: keys resolve through the hash, not a scan (correctness here;
 * speed is for the benchmarks). */
static void
test_many_steps(void **state)
{
	struct fixture *f = *state;
	struct process *p;
	char k[32], t[32];
	int i;

	process(f, NULL, "Big");
	for (i = 0; i < 5000; i++) {
		snprintf(k, sizeof k, "s%d", i);
		snprintf(t, sizeof t, "lane %d", i % 7);
		step(f, k, t, k);
	}
	for (i = 0; i < 4999; i += 3) {
		snprintf(k, sizeof k, "s%d", i);
		snprintf(t, sizeof t, "s%d", 4999 - i);
		flow(f, k, t, NULL, -1);
	}
	end(f);
	p = f->w->procs[0];
	assert_int_equal(p->nsteps, 5000);
	assert_int_equal(p->nlanes, 7);
	assert_int_equal(p->nflows, 1667);
	for (i = 0; i < (int)p->nflows; i++) {
		const struct step *from = process_step(p, p->flows[i]->from);
		const struct step *to = process_step(p, p->flows[i]->to);

		assert_int_equal(atoi(from->name + 1) + atoi(to->name + 1), 4999);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_forward_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_lane_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lanes_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warnings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_per_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_by_flow, setup_ordered, teardown),
		cmocka_unit_test_setup_teardown(test_order_as_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_before_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_steps, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
