/*
 * test_figures_max.c - expected figures take the expected longest of
 * parallel branches (model/lattice.c), not the longest expected branch:
 * worked cases, and the demo, its redesign and a generated process with
 * nested parallel and decision blocks against a simulation without queues
 * (every lane unlimited), within the simulation's 95 % interval. And the
 * one definition of a step count: a cut's split and join are not steps;
 * the golden thread's pairs; when queueing is left out.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "examples/demo.h"
#include "handmade.h"
#include "model/figures.h"
#include "model/lattice.h"
#include "model/scenario.h"
#include "model/sim.h"

static const struct dist NONE_ = { DIST_NONE, { 0, 0, 0 } };

static struct dist
expo(double mean_s)
{
	return (struct dist){ DIST_EXP, { mean_s, 0, 0 } };
}

/* Two parallel exp(10m) branches: E[max] = 10m + 10m/2 = 15 min (the
 * longest expected branch would say 10). The measure across the block
 * says the same. */
static void
test_two_exponential_branches(void **state)
{
	struct workbook *wb = workbook_new();
	struct process *p = workbook_add_process(wb, workbook_new_id(wb), "two");
	struct figures f;
	sm_id split, a, b, join;

	(void)state;
	split = hm_step(wb, p, "split", STEP_PARALLEL, 0, NONE_, NONE_, 0);
	a = hm_step(wb, p, "a", STEP_TASK, 0, expo(600), NONE_, 0);
	b = hm_step(wb, p, "b", STEP_TASK, 0, expo(600), NONE_, 0);
	join = hm_step(wb, p, "join", STEP_PARALLEL, 0, NONE_, NONE_, 0);
	hm_flow(wb, p, split, a, -1, NULL);
	hm_flow(wb, p, split, b, -1, NULL);
	hm_flow(wb, p, a, join, -1, NULL);
	hm_flow(wb, p, b, join, -1, NULL);
	hm_measure(wb, p, "across", split, join);
	assert_int_equal(figures_compute(p, &f), STATUS_OK);
	printf("two exp(10m) branches: lead %.2f s\n", f.lead_time_s);
	assert_true(fabs(f.lead_time_s - 900) < 2);
	assert_true(fabs(f.measures[0].expected_s - 900) < 2);
	assert_false(f.joins_approximate);
	/* the wait at the join is wait: work + wait = lead still */
	assert_true(fabs(f.work_time_s + f.wait_time_s - f.lead_time_s) < 1e-6);
	figures_done(&f);
	workbook_free(&wb);
}

/*
 * A 10-minute branch that holds an even decision (20 min more, or nothing)
 * beside a 15-minute branch, then a 5-minute step: the branch takes 10 or
 * 30 min, so the join waits 15 or 30, 22.5 on average, and the whole
 * 27.5 min (the longest expected branch would say 20 + 5 = 25).
 */
static void
test_decision_in_a_branch(void **state)
{
	struct workbook *wb = workbook_new();
	struct process *p = workbook_add_process(wb, workbook_new_id(wb), "dec");
	struct figures f;
	sm_id split, a, dec, more, b, join, last;

	(void)state;
	split = hm_step(wb, p, "split", STEP_PARALLEL, 0, NONE_, NONE_, 0);
	a = hm_step(wb, p, "a", STEP_TASK, 0, dist_fixed(600), NONE_, 0);
	dec = hm_step(wb, p, "more?", STEP_DECISION, 0, NONE_, NONE_, 0);
	more = hm_step(wb, p, "more", STEP_TASK, 0, dist_fixed(1200), NONE_, 0);
	b = hm_step(wb, p, "b", STEP_TASK, 0, dist_fixed(900), NONE_, 0);
	join = hm_step(wb, p, "join", STEP_PARALLEL, 0, NONE_, NONE_, 0);
	last = hm_step(wb, p, "last", STEP_TASK, 0, dist_fixed(300), NONE_, 0);
	hm_flow(wb, p, split, a, -1, NULL);
	hm_flow(wb, p, split, b, -1, NULL);
	hm_flow(wb, p, a, dec, -1, NULL);
	hm_flow(wb, p, dec, more, 0.5, "yes");
	hm_flow(wb, p, dec, join, 0.5, "no");
	hm_flow(wb, p, more, join, -1, NULL);
	hm_flow(wb, p, b, join, -1, NULL);
	hm_flow(wb, p, join, last, -1, NULL);
	assert_int_equal(figures_compute(p, &f), STATUS_OK);
	printf("decision in a branch: lead %.2f s\n", f.lead_time_s);
	assert_true(fabs(f.lead_time_s - 1650) < 2);
	figures_done(&f);
	workbook_free(&wb);
}

/* Every lane unlimited: the simulation without queues. */
static void
unlimited(struct process *p)
{
	size_t i;

	for (i = 0; i < p->nlanes; i++)
		p->lanes[i]->capacity = 0;
}

/* The expected lead time and measures of p lie within the 95 % interval of
 * a simulation without queues (10 replications). */
static void
agrees_with_simulation(const char *what, struct process *p)
{
	struct sim_options o;
	struct sim_result r;
	struct figures f;
	size_t i;

	unlimited(p);
	assert_int_equal(figures_compute(p, &f), STATUS_OK);
	sim_options_init(&o);
	o.cases = 4000;
	o.replications = 10;
	o.seed = 7;
	assert_int_equal(sim_run(p, &o, &r, NULL), STATUS_OK);
	printf("%s: expected %.1f s, simulated %.1f s [%.1f, %.1f]\n", what, f.lead_time_s,
	       r.total.mean, r.total.ci_lo, r.total.ci_hi);
	assert_true(f.lead_time_s >= r.total.ci_lo && f.lead_time_s <= r.total.ci_hi);
	for (i = 0; i < f.nmeasures; i++) {
		printf("  %s: expected %.1f s, simulated %.1f s [%.1f, %.1f]\n",
		       p->measures[i]->name, f.measures[i].expected_s, r.measures[i].mean,
		       r.measures[i].ci_lo, r.measures[i].ci_hi);
		assert_true(f.measures[i].expected_s >= r.measures[i].ci_lo &&
		            f.measures[i].expected_s <= r.measures[i].ci_hi);
	}
	sim_result_done(&r);
	figures_done(&f);
}

static struct process *
demo_process(struct workbook *wb)
{
	size_t i;

	for (i = 0; i < wb->nprocs; i++)
		if (strcmp(wb->procs[i]->name, DEMO_PROCESS_NAME) == 0)
			return wb->procs[i];
	fail_msg("no demo process");
	return NULL;
}

static void
test_demo_agrees_with_simulation(void **state)
{
	struct workbook *wb = demo_workbook();
	struct process *p;

	(void)state;
	assert_non_null(wb);
	p = demo_process(wb);
	agrees_with_simulation("demo", p);
	workbook_free(&wb);
}

static void
test_redesign_agrees_with_simulation(void **state)
{
	struct workbook *wb = demo_workbook();
	struct process *p, *d = NULL;
	size_t i;

	(void)state;
	assert_non_null(wb);
	p = demo_process(wb);
	for (i = 0; i < p->nscenarios; i++)
		if (strcmp(p->scenarios[i]->name, DEMO_SCENARIO_NAME) == 0)
			assert_int_equal(scenario_apply(p, p->scenarios[i], &d, NULL, NULL), STATUS_OK);
	assert_non_null(d);
	agrees_with_simulation("redesign", d);
	process_free(&d);
	workbook_free(&wb);
}

/*
 * A generated process: blocks in a row, each a parallel split whose first
 * branch holds a decision (one way with another split inside: nested) and
 * whose second branch is a step with rework; exponential, triangular,
 * uniform and lognormal times; a measure over the middle blocks.
 */
static void
test_generated_agrees_with_simulation(void **state)
{
	struct workbook *wb = workbook_new();
	struct process *p = workbook_add_process(wb, workbook_new_id(wb), "gen");
	sm_id lane = hm_lane(wb, p, "staff", STAGE_OFFSTAGE, 1);
	sm_id prev, first = 0, mid = 0;
	int blk;

	(void)state;
	prev = hm_step(wb, p, "start", STEP_TASK, lane, dist_fixed(60), NONE_, 0);
	first = prev;
	for (blk = 0; blk < 6; blk++) {
		double k = 60 * (1 + blk % 3);
		sm_id s, a, dec, in_s, x, y, in_j, skip, b, j;

		s = hm_step(wb, p, "split", STEP_PARALLEL, 0, NONE_, NONE_, 0);
		a = hm_step(wb, p, "a", STEP_TASK, lane, expo(4 * k), NONE_, 0);
		dec = hm_step(wb, p, "dec", STEP_DECISION, 0, NONE_, NONE_, 0);
		in_s = hm_step(wb, p, "inner split", STEP_PARALLEL, 0, NONE_, NONE_, 0);
		x = hm_step(wb, p, "x", STEP_TASK, lane,
		            (struct dist){ DIST_TRI, { k, 3 * k, 8 * k } }, NONE_, 0.1);
		y = hm_step(wb, p, "y", STEP_TASK, lane, expo(5 * k), expo(k), 0);
		in_j = hm_step(wb, p, "inner join", STEP_PARALLEL, 0, NONE_, NONE_, 0);
		skip = hm_step(wb, p, "skip", STEP_TASK, lane,
		               (struct dist){ DIST_UNI, { k, 2 * k, 0 } }, NONE_, 0);
		b = hm_step(wb, p, "b", STEP_TASK, lane,
		            (struct dist){ DIST_LOGN, { 6 * k, 4 * k, 0 } }, NONE_, 0.2);
		j = hm_step(wb, p, "join", STEP_PARALLEL, 0, NONE_, NONE_, 0);
		hm_flow(wb, p, prev, s, -1, NULL);
		hm_flow(wb, p, s, a, -1, NULL);
		hm_flow(wb, p, s, b, -1, NULL);
		hm_flow(wb, p, a, dec, -1, NULL);
		hm_flow(wb, p, dec, in_s, 0.6, "deep");
		hm_flow(wb, p, dec, skip, 0.4, "light");
		hm_flow(wb, p, in_s, x, -1, NULL);
		hm_flow(wb, p, in_s, y, -1, NULL);
		hm_flow(wb, p, x, in_j, -1, NULL);
		hm_flow(wb, p, y, in_j, -1, NULL);
		hm_flow(wb, p, in_j, j, -1, NULL);
		hm_flow(wb, p, skip, j, -1, NULL);
		hm_flow(wb, p, b, j, -1, NULL);
		if (blk == 2)
			mid = s;
		prev = j;
	}
	prev = hm_step(wb, p, "end", STEP_TASK, lane, dist_fixed(60), NONE_, 0);
	hm_flow(wb, p, p->steps[p->nsteps - 2]->id, prev, -1, NULL);
	hm_measure(wb, p, "whole", first, prev);
	hm_measure(wb, p, "middle", mid, prev);
	agrees_with_simulation("generated", p);
	workbook_free(&wb);
}

static void
add_cut(struct workbook *wb, struct scenario *sc, enum cut_kind kind, sm_id a, sm_id b)
{
	struct cut *c = calloc(1, sizeof *c);

	assert_non_null(c);
	c->id = workbook_new_id(wb);
	c->key = (double)sc->ncuts;
	c->kind = kind;
	c->step = a;
	c->step2 = b;
	assert_int_equal(scenario_add_cut(sc, c), STATUS_OK);
}

/*
 * One definition of a step count: 30 steps in three lanes; a scenario
 * removes three and runs three others in parallel (the workbench's `x x x`
 * and `V j j P`): 27 steps, not 29, the stages and lanes add up to 27 and
 * nothing is counted without a lane; the split and join the cut made are
 * still there to simulate, marked as generated.
 */
static void
test_a_cut_gateway_is_no_step(void **state)
{
	struct workbook *wb = workbook_new();
	struct process *p = workbook_add_process(wb, workbook_new_id(wb), "thirty"), *d = NULL;
	struct scenario *sc = calloc(1, sizeof *sc);
	sm_id lanes[3], ids[30];
	struct figures f;
	size_t i, by_stage = 0, by_lane = 0, gen = 0;

	(void)state;
	lanes[0] = hm_lane(wb, p, "Patient", STAGE_CUSTOMER, 0);
	lanes[1] = hm_lane(wb, p, "Nurse", STAGE_ONSTAGE, 2);
	lanes[2] = hm_lane(wb, p, "Lab", STAGE_OFFSTAGE, 1);
	for (i = 0; i < 30; i++)
		ids[i] = hm_step(wb, p, "step", STEP_TASK, lanes[i % 3], dist_fixed(60), NONE_, 0);
	assert_non_null(sc);
	sc->id = workbook_new_id(wb);
	sc->name = strdup("cut");
	assert_int_equal(process_add_scenario(p, sc), STATUS_OK);
	add_cut(wb, sc, CUT_REMOVE, ids[1], 0);
	add_cut(wb, sc, CUT_REMOVE, ids[2], 0);
	add_cut(wb, sc, CUT_REMOVE, ids[3], 0);
	add_cut(wb, sc, CUT_PARALLEL, ids[10], ids[12]);
	assert_int_equal(scenario_apply(p, sc, &d, NULL, NULL), STATUS_OK);
	assert_int_equal(d->nsteps, 29);
	for (i = 0; i < d->nsteps; i++)
		gen += d->steps[i]->generated;
	assert_int_equal(gen, 2);
	assert_int_equal(process_step_count(d), 27);
	assert_int_equal(figures_compute(d, &f), STATUS_OK);
	assert_int_equal(f.steps, 27);
	for (i = 0; i < STAGE_COUNT_; i++)
		by_stage += f.by_stage[i];
	for (i = 0; i < f.nlanes; i++)
		by_lane += f.by_lane[i];
	assert_int_equal(by_stage, 27);
	assert_int_equal(by_lane, 27);
	assert_int_equal(f.no_lane, 0);
	assert_int_equal(f.by_type[STEP_PARALLEL], 0);
	/* three one-minute steps side by side take one minute: 25 min */
	assert_true(fabs(f.lead_time_s - 25 * 60) < 1e-6);
	figures_done(&f);
	process_free(&d);
	workbook_free(&wb);
}

/*
 * The golden thread pairs each customer-clock measure with the
 * process-clock measure that shares most steps with it: the customer's
 * "called -> treated" (steps 1-5) with the clinic's "booked -> treated"
 * (2-5), not its "arrived -> left" (4-6); a customer measure over steps no
 * process measure covers has no pair. Queueing: left out while a staffed
 * lane has a limited capacity, not once every lane is unlimited.
 */
static void
test_golden_thread(void **state)
{
	struct workbook *wb = workbook_new();
	struct process *p = workbook_add_process(wb, workbook_new_id(wb), "clinic");
	sm_id cust = hm_lane(wb, p, "Patient", STAGE_CUSTOMER, 0);
	sm_id desk = hm_lane(wb, p, "Desk", STAGE_ONSTAGE, 1);
	sm_id s[7];
	struct figures f;
	struct golden g;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < 7; i++)
		s[i] = hm_step(wb, p, "step", STEP_TASK, i % 2 ? desk : cust,
		               dist_fixed(60 * (double)(i + 1)), NONE_, 0);
	hm_measure(wb, p, "called -> treated", s[0], s[4]);
	hm_measure(wb, p, "booked -> treated", s[1], s[4]);
	hm_measure(wb, p, "arrived -> left", s[3], s[5]);
	hm_measure(wb, p, "after", s[6], s[6]);
	p->measures[0]->clock = CLOCK_CUSTOMER;
	p->measures[1]->clock = CLOCK_PROCESS;
	p->measures[2]->clock = CLOCK_PROCESS;
	p->measures[3]->clock = CLOCK_CUSTOMER;
	assert_int_equal(figures_compute(p, &f), STATUS_OK);
	assert_true(f.queueing_left_out);
	for (i = 0; i < p->nmeasures; i++) {
		if (!figures_golden(p, &f, i, &g))
			continue;
		n++;
		if (i == 0) {
			assert_int_equal(g.process, 1);
			assert_true(fabs(g.customer_s - 15 * 60) < 1e-6);
			assert_true(fabs(g.process_s - 14 * 60) < 1e-6);
			assert_true(fabs(g.gap_s - 60) < 1e-6);
		} else {
			assert_int_equal(i, 3);
			assert_int_equal(g.process, NPOS_MEASURE);
			assert_true(isnan(g.gap_s));
		}
	}
	assert_int_equal(n, 2);
	figures_done(&f);
	unlimited(p);
	assert_int_equal(figures_compute(p, &f), STATUS_OK);
	assert_false(f.queueing_left_out);
	figures_done(&f);
	workbook_free(&wb);
}

/* A parallel block of more than LATTICE_MAX_BLOCK steps is not computed:
 * its join takes the longest expected branch, and the figures say so. */
static void
test_huge_block_is_marked(void **state)
{
	struct workbook *wb = workbook_new();
	struct process *p = workbook_add_process(wb, workbook_new_id(wb), "huge");
	struct figures f;
	sm_id split, first = 0, prev = 0, b, join;
	size_t i;

	(void)state;
	split = hm_step(wb, p, "split", STEP_PARALLEL, 0, NONE_, NONE_, 0);
	for (i = 0; i < LATTICE_MAX_BLOCK + 10; i++) {
		sm_id s = hm_step(wb, p, "a", STEP_TASK, 0, expo(1), NONE_, 0);

		if (!first)
			first = s;
		prev = s;
	}
	b = hm_step(wb, p, "b", STEP_TASK, 0, expo((double)LATTICE_MAX_BLOCK + 10), NONE_, 0);
	join = hm_step(wb, p, "join", STEP_PARALLEL, 0, NONE_, NONE_, 0);
	hm_flow(wb, p, split, first, -1, NULL);
	hm_flow(wb, p, split, b, -1, NULL);
	hm_flow(wb, p, prev, join, -1, NULL);
	hm_flow(wb, p, b, join, -1, NULL);
	assert_int_equal(figures_compute(p, &f), STATUS_OK);
	assert_true(f.joins_approximate);
	assert_true(fabs(f.lead_time_s - (LATTICE_MAX_BLOCK + 10)) < 1e-6);
	figures_done(&f);
	workbook_free(&wb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_exponential_branches),
		cmocka_unit_test(test_decision_in_a_branch),
		cmocka_unit_test(test_demo_agrees_with_simulation),
		cmocka_unit_test(test_redesign_agrees_with_simulation),
		cmocka_unit_test(test_generated_agrees_with_simulation),
		cmocka_unit_test(test_a_cut_gateway_is_no_step),
		cmocka_unit_test(test_golden_thread),
		cmocka_unit_test(test_huge_block_is_marked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
