/*
 * test_figures.c - the derived figures on hand-built processes whose answers
 * are worked out by hand in the comments: sequences, decisions, parallel
 * splits and joins, rework, loops, hand-offs and the customer lane, steps
 * with no lane, and measures that start or end on a branch.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/figures.h"
#include "model/sim.h"

#define NEAR(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9 * fmax(1, fabs((double)(b))))

struct t {
	struct workbook *w;
	struct process *p;
};

static struct t
t_new(void)
{
	struct t t;

	t.w = workbook_new();
	assert_non_null(t.w);
	t.p = workbook_add_process(t.w, workbook_new_id(t.w), "test");
	assert_non_null(t.p);
	return t;
}

static sm_id
t_lane(struct t *t, const char *name, enum stage stage)
{
	struct lane *l = calloc(1, sizeof *l);

	assert_non_null(l);
	l->id = workbook_new_id(t->w);
	l->name = strdup(name);
	l->stage = stage;
	l->key = (double)t->p->nlanes + 1;
	assert_int_equal(process_add_lane(t->p, l), STATUS_OK);
	return l->id;
}

/* A step at the end of the order: times in seconds (negative: not given). */
static sm_id
t_step(struct t *t, sm_id lane, enum step_type type, double work, double wait,
       enum value_class value, double error_rate, double cost)
{
	struct step *s = malloc(sizeof *s);

	assert_non_null(s);
	step_init(s);
	s->id = workbook_new_id(t->w);
	s->key = 1024.0 * (double)(t->p->nsteps + 1);
	s->lane = lane;
	s->type = type;
	if (work >= 0)
		s->work = dist_fixed(work);
	if (wait >= 0)
		s->wait = dist_fixed(wait);
	s->value = value;
	s->error_rate = error_rate;
	s->cost = cost;
	assert_int_equal(process_add_step(t->p, s), STATUS_OK);
	process_reindex(t->p);
	return s->id;
}

static sm_id
t_task(struct t *t, sm_id lane, double work)
{
	return t_step(t, lane, STEP_TASK, work, -1, VALUE_NONE, 0, 0);
}

/* A decision or parallel step: no time, no lane. */
static sm_id
t_gate(struct t *t, enum step_type type)
{
	return t_step(t, 0, type, -1, -1, VALUE_NONE, 0, 0);
}

static void
t_flow(struct t *t, sm_id from, sm_id to, double prob)
{
	struct flow *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->id = workbook_new_id(t->w);
	f->from = from;
	f->to = to;
	f->prob = prob;
	assert_int_equal(process_add_flow(t->p, f), STATUS_OK);
}

static size_t
t_measure(struct t *t, sm_id from, sm_id to)
{
	struct measure *m = calloc(1, sizeof *m);

	assert_non_null(m);
	m->id = workbook_new_id(t->w);
	m->name = strdup("m");
	m->from = from;
	m->to = to;
	m->clock = CLOCK_PROCESS;
	assert_int_equal(process_add_measure(t->p, m), STATUS_OK);
	return t->p->nmeasures - 1;
}

static void
t_free(struct t *t)
{
	workbook_free(&t->w);
}

/* Three steps in a row: 30s wait + 60s, 120s (VA), 60s wait + 180s. */
static void
test_sequential(void **state)
{
	struct t t = t_new();
	struct figures f;

	(void)state;
	t_step(&t, 0, STEP_TASK, 60, 30, VALUE_NVA, 0, 1.5);
	t_step(&t, 0, STEP_TASK, 120, -1, VALUE_VA, 0, 2);
	t_step(&t, 0, STEP_MANUAL, 180, 60, VALUE_BVA, 0, 0.5);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	assert_int_equal(f.steps, 3);
	assert_int_equal(f.by_type[STEP_TASK], 2);
	assert_int_equal(f.by_type[STEP_MANUAL], 1);
	assert_int_equal(f.manual_steps, 1);
	assert_int_equal(f.no_lane, 3);
	NEAR(f.lead_time_s, 450);
	NEAR(f.work_time_s, 360);
	NEAR(f.wait_time_s, 90);
	NEAR(f.va_time_s, 120);
	NEAR(f.pce, 120.0 / 450);
	NEAR(f.rty, 1);
	NEAR(f.cost, 4);
	figures_done(&f);
	t_free(&t);
}

/*
 * A (60s) -> D? -> 70 % B (100s) / 30 % C (200s) -> M (10s).
 * Lead = 60 + 0.7*100 + 0.3*200 + 10 = 200. Measures: A..M 200; B..M over
 * the cases through B only: 110; C..M 210; D..B 100; M..A (backwards) none.
 * Cost: A 1, B 10, C 20: 1 + 7 + 6 = 14.
 */
static void
test_decision(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id a, d, b, c, m;
	size_t m_am, m_bm, m_cm, m_db, m_ma;

	(void)state;
	a = t_step(&t, 0, STEP_TASK, 60, -1, VALUE_NONE, 0, 1);
	d = t_step(&t, 0, STEP_DECISION, -1, -1, VALUE_NONE, 0, 0);
	b = t_step(&t, 0, STEP_TASK, 100, -1, VALUE_NONE, 0, 10);
	c = t_step(&t, 0, STEP_TASK, 200, -1, VALUE_NONE, 0, 20);
	m = t_step(&t, 0, STEP_TASK, 10, -1, VALUE_NONE, 0, 0);
	t_flow(&t, d, b, 0.7);
	t_flow(&t, d, c, 0.3);
	t_flow(&t, b, m, -1);
	m_am = t_measure(&t, a, m);
	m_bm = t_measure(&t, b, m);
	m_cm = t_measure(&t, c, m);
	m_db = t_measure(&t, d, b);
	m_ma = t_measure(&t, m, a);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 200);
	NEAR(f.work_time_s, 200);
	NEAR(f.wait_time_s, 0);
	NEAR(f.cost, 14);
	assert_int_equal(f.nmeasures, 5);
	NEAR(f.measures[m_am].expected_s, 200);
	NEAR(f.measures[m_bm].expected_s, 110);
	NEAR(f.measures[m_cm].expected_s, 210);
	NEAR(f.measures[m_db].expected_s, 100);
	assert_true(isnan(f.measures[m_ma].expected_s));
	assert_int_equal(f.measures[m_am].id, t.p->measures[m_am]->id);
	figures_done(&f);
	t_free(&t);
}

/* Equal split when no probability is given: (100 + 300) / 2 + 0. */
static void
test_decision_equal_split(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id d, b, c, e;

	(void)state;
	d = t_step(&t, 0, STEP_DECISION, -1, -1, VALUE_NONE, 0, 0);
	b = t_task(&t, 0, 100);
	c = t_task(&t, 0, 300);
	e = t_step(&t, 0, STEP_END, -1, -1, VALUE_NONE, 0, 0);
	t_flow(&t, d, b, -1);
	t_flow(&t, d, c, -1);
	t_flow(&t, b, e, -1);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 200);
	figures_done(&f);
	t_free(&t);
}

/*
 * A (60s) -> split -> B (50s wait + 100s) | C (20s wait + 300s) -> join ->
 * E (10s). Lead = 60 + max(150, 320) + 10 = 390, work and wait from the
 * longest branch: work 60 + 300 + 10 = 370, wait 20. Cost counts both
 * branches: 1 + 2 + 3 + 4 = 10. Measure B..E waits for C at the join:
 * C ends 320 after the split, B started there: 320 + 10 = 330. Measure
 * A..B: 60 + 150 = 210.
 */
static void
test_parallel(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id a, s, b, c, j, e;
	size_t m_be, m_ab, m_ae;

	(void)state;
	a = t_step(&t, 0, STEP_TASK, 60, -1, VALUE_VA, 0, 1);
	s = t_step(&t, 0, STEP_PARALLEL, -1, -1, VALUE_NONE, 0, 0);
	b = t_step(&t, 0, STEP_TASK, 100, 50, VALUE_VA, 0, 2);
	c = t_step(&t, 0, STEP_TASK, 300, 20, VALUE_NVA, 0, 3);
	j = t_step(&t, 0, STEP_PARALLEL, -1, -1, VALUE_NONE, 0, 0);
	e = t_step(&t, 0, STEP_TASK, 10, -1, VALUE_NONE, 0, 4);
	t_flow(&t, s, b, -1);
	t_flow(&t, s, c, -1);
	t_flow(&t, b, j, -1);
	t_flow(&t, c, j, -1);
	m_be = t_measure(&t, b, e);
	m_ab = t_measure(&t, a, b);
	m_ae = t_measure(&t, a, e);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 390);
	NEAR(f.work_time_s, 370);
	NEAR(f.wait_time_s, 20);
	NEAR(f.work_time_s + f.wait_time_s, f.lead_time_s);
	NEAR(f.va_time_s, 60);           /* the longest branch is not VA */
	NEAR(f.cost, 10);
	NEAR(f.measures[m_be].expected_s, 330);
	NEAR(f.measures[m_ab].expected_s, 210);
	NEAR(f.measures[m_ae].expected_s, 390);
	assert_int_equal(f.by_type[STEP_PARALLEL], 2);
	figures_done(&f);
	t_free(&t);
}

/*
 * A decision inside a parallel branch: split -> (D? 50 % X 100s / 50 % Y
 * 300s -> M 0s) | Z 150s -> join. Branch 1 averages 200, branch 2 is 150,
 * but the join waits for the later branch: Z's 150 when X was taken, Y's
 * 300 when Y was: 225 on average (the longest expected branch says 200).
 */
static void
test_parallel_with_decision(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id s, d, x, y, m, z, j;

	(void)state;
	s = t_step(&t, 0, STEP_PARALLEL, -1, -1, VALUE_NONE, 0, 0);
	d = t_step(&t, 0, STEP_DECISION, -1, -1, VALUE_NONE, 0, 0);
	x = t_task(&t, 0, 100);
	y = t_task(&t, 0, 300);
	m = t_task(&t, 0, 0);
	z = t_task(&t, 0, 150);
	j = t_step(&t, 0, STEP_PARALLEL, -1, -1, VALUE_NONE, 0, 0);
	t_flow(&t, s, d, -1);
	t_flow(&t, s, z, -1);
	t_flow(&t, d, x, 0.5);
	t_flow(&t, d, y, 0.5);
	t_flow(&t, x, m, -1);
	t_flow(&t, m, j, -1);
	t_flow(&t, z, j, -1);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	assert_true(fabs(f.lead_time_s - 225) < 0.5);
	figures_done(&f);
	t_free(&t);
}

/*
 * Rework: A (80s wait + 100s, e = 0.2) runs 1/0.8 = 1.25 times: 100 wait +
 * 125 work; B (60s, e = 0.1): 60/0.9. RTY = 0.8 * 0.9 = 0.72. Cost of A
 * (4 per run): 5; of B (9): 10.
 */
static void
test_rework(void **state)
{
	struct t t = t_new();
	struct figures f;

	(void)state;
	t_step(&t, 0, STEP_TASK, 100, 80, VALUE_VA, 0.2, 4);
	t_step(&t, 0, STEP_TASK, 60, -1, VALUE_NONE, 0.1, 9);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.wait_time_s, 100);
	NEAR(f.work_time_s, 125 + 60 / 0.9);
	NEAR(f.lead_time_s, 225 + 60 / 0.9);
	NEAR(f.va_time_s, 125);
	NEAR(f.rty, 0.72);
	NEAR(f.cost, 15);
	figures_done(&f);
	t_free(&t);
}

/* RTY weighs each step by the chance it is reached: (1-0.5)^0.25. */
static void
test_rty_on_branch(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id d, b, c;

	(void)state;
	d = t_step(&t, 0, STEP_DECISION, -1, -1, VALUE_NONE, 0, 0);
	b = t_step(&t, 0, STEP_TASK, 10, -1, VALUE_NONE, 0.5, 0);
	c = t_task(&t, 0, 10);
	t_flow(&t, d, b, 0.25);
	t_flow(&t, d, c, 0.75);
	t_flow(&t, b, c, -1);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.rty, pow(0.5, 0.25));
	/* lead: 0.25 * 20 (B reworked twice) + 10 */
	NEAR(f.lead_time_s, 15);
	figures_done(&f);
	t_free(&t);
}

/* An error rate of 1 never ends: lead time is infinite, RTY 0. */
static void
test_certain_error(void **state)
{
	struct t t = t_new();
	struct figures f;

	(void)state;
	t_step(&t, 0, STEP_TASK, 10, -1, VALUE_NONE, 1, 0);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	assert_false(isfinite(f.lead_time_s));
	NEAR(f.rty, 0);
	figures_done(&f);
	t_free(&t);
}

/*
 * A (10s) -> B (100s, cost 1) -> C (50s, cost 2) -> 25 % back to B,
 * 75 % on to D (5s). The stretch B..C (150s) runs 1 + 0.25/0.75 = 4/3
 * times: lead = 10 + 200 + 5 = 215; cost 3 * 4/3 = 4. Measures: A..C 210,
 * B..B (inside the loop, one pass) 100, C..D 50 + 0.25/0.75 * 50 + 5
 * (the loop reaches before C: repeats from C) = 71.666...
 */
static void
test_loop(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id a, b, c, d;
	size_t m_ac, m_bb, m_cd, m_ad;

	(void)state;
	a = t_task(&t, 0, 10);
	b = t_step(&t, 0, STEP_TASK, 100, -1, VALUE_NONE, 0, 1);
	c = t_step(&t, 0, STEP_DECISION, 50, -1, VALUE_NONE, 0, 2);
	d = t_task(&t, 0, 5);
	t_flow(&t, c, b, 0.25);
	t_flow(&t, c, d, 0.75);
	m_ac = t_measure(&t, a, c);
	m_bb = t_measure(&t, b, b);
	m_cd = t_measure(&t, c, d);
	m_ad = t_measure(&t, a, d);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 215);
	NEAR(f.work_time_s, 215);
	NEAR(f.cost, 4);
	NEAR(f.measures[m_ac].expected_s, 210);
	NEAR(f.measures[m_bb].expected_s, 100);
	NEAR(f.measures[m_cd].expected_s, 50 + 50.0 / 3 + 5);
	NEAR(f.measures[m_ad].expected_s, 215);
	figures_done(&f);
	t_free(&t);
}

/* A step that loops on itself half the time runs twice on average. */
static void
test_self_loop(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id a, b;

	(void)state;
	a = t_step(&t, 0, STEP_TASK, 30, -1, VALUE_NONE, 0, 1);
	b = t_task(&t, 0, 7);
	t_flow(&t, a, a, 0.5);
	t_flow(&t, a, b, 0.5);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 67);
	NEAR(f.cost, 2);
	figures_done(&f);
	t_free(&t);
}

/*
 * Lanes: Patient (customer), Desk (onstage), Nurse (offstage), EHR
 * (support). Order: P1 D1 D2 N1 P2 N2 X(no lane) E1, with N1 a decision to
 * P2 or E1, and an explicit flow N2 -> D1 back.
 * Flows: P1-D1 (customer: no), D1-D2 (same lane: no), D2-N1 (yes),
 * N1-P2 (customer: no), N1-E1 (yes), P2-N2 (no), N2-D1 (yes), X-E1 (no
 * lane: no). Hand-offs: 3. Touchpoints: P1 D1 D2 P2 = 4.
 */
static void
test_handoffs(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id lp, ld, ln, le, d1, n1, p2, n2, e1;

	(void)state;
	lp = t_lane(&t, "Patient", STAGE_CUSTOMER);
	ld = t_lane(&t, "Desk", STAGE_ONSTAGE);
	ln = t_lane(&t, "Nurse", STAGE_OFFSTAGE);
	le = t_lane(&t, "EHR", STAGE_SUPPORT);
	t_task(&t, lp, 1);
	d1 = t_step(&t, ld, STEP_MANUAL, 1, -1, VALUE_NONE, 0, 0);
	t_step(&t, ld, STEP_USER, 1, -1, VALUE_NONE, 0, 0);
	n1 = t_step(&t, ln, STEP_DECISION, 1, -1, VALUE_NONE, 0, 0);
	p2 = t_task(&t, lp, 1);
	n2 = t_step(&t, ln, STEP_MANUAL, 1, -1, VALUE_NONE, 0, 0);
	t_task(&t, 0, 1);
	e1 = t_step(&t, le, STEP_SERVICE, 1, -1, VALUE_NONE, 0, 0);
	t_flow(&t, n1, p2, 0.5);
	t_flow(&t, n1, e1, 0.5);
	t_flow(&t, n2, d1, 0.1);
	t_flow(&t, n2, n2 + 1, 0.9);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	assert_int_equal(f.handoffs, 3);
	assert_int_equal(f.touchpoints, 4);
	assert_int_equal(f.manual_steps, 3);
	assert_int_equal(f.by_stage[STAGE_CUSTOMER], 2);
	assert_int_equal(f.by_stage[STAGE_ONSTAGE], 2);
	assert_int_equal(f.by_stage[STAGE_OFFSTAGE], 2);
	assert_int_equal(f.by_stage[STAGE_SUPPORT], 1);
	assert_int_equal(f.no_lane, 1);
	assert_int_equal(f.nlanes, 4);
	assert_int_equal(f.by_lane[0] + f.by_lane[1] + f.by_lane[2] + f.by_lane[3], 7);
	{
		size_t i;

		for (i = 0; i < t.p->nlanes; i++)
			if (t.p->lanes[i]->id == lp || t.p->lanes[i]->id == ld ||
			    t.p->lanes[i]->id == ln)
				assert_int_equal(f.by_lane[i], 2);
			else
				assert_int_equal(f.by_lane[i], 1);
	}
	figures_done(&f);
	t_free(&t);
}

/* A step in a lane that is not in the process counts as no lane. */
static void
test_unknown_lane_and_pain(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id ln = 0;

	(void)state;
	ln = t_lane(&t, "Nurse", STAGE_OFFSTAGE);
	t_task(&t, ln, 1);
	t_task(&t, 999999, 1);
	t.p->steps[1]->pain = true;
	t_task(&t, ln, 1);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	assert_int_equal(f.no_lane, 1);
	assert_int_equal(f.handoffs, 0);
	assert_int_equal(f.pain_points, 1);
	assert_int_equal(f.by_lane[0], 2);
	figures_done(&f);
	t_free(&t);
}

/* Distributions count by their means: tri(60,120,300) = 160, exp(40). */
static void
test_distributions(void **state)
{
	struct t t = t_new();
	struct figures f;

	(void)state;
	t_task(&t, 0, 0);
	t.p->steps[0]->work = (struct dist){ DIST_TRI, { 60, 120, 300 } };
	t.p->steps[0]->wait = (struct dist){ DIST_EXP, { 40, 0, 0 } };
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.work_time_s, 160);
	NEAR(f.wait_time_s, 40);
	NEAR(f.lead_time_s, 200);
	figures_done(&f);
	t_free(&t);
}

/* Two ends: 10 % leave after triage (end at 30s), the rest go on (90s). */
static void
test_two_ends(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id d, lwbs, go;

	(void)state;
	t_task(&t, 0, 30);
	d = t_step(&t, 0, STEP_DECISION, -1, -1, VALUE_NONE, 0, 0);
	lwbs = t_step(&t, 0, STEP_END, -1, -1, VALUE_NONE, 0, 0);
	go = t_task(&t, 0, 60);
	t_flow(&t, d, lwbs, 0.1);
	t_flow(&t, d, go, 0.9);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 0.1 * 30 + 0.9 * 90);
	figures_done(&f);
	t_free(&t);
}

static void
test_empty(void **state)
{
	struct t t = t_new();
	struct figures f;

	(void)state;
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	assert_int_equal(f.steps, 0);
	NEAR(f.lead_time_s, 0);
	NEAR(f.pce, 0);
	NEAR(f.rty, 1);
	figures_done(&f);
	figures_done(&f);                /* twice is harmless */
	t_free(&t);
}

/* --- parallel steps that also merge alternatives ------------------------ */

/* The simulation's mean lead time (and the mean of measure mi, unless
 * -1) on p with no queues, within 1 % of the figures'. */
static void
agrees_with_sim(const struct process *p, const struct figures *f, int mi)
{
	struct sim_options o;
	struct sim_result r;
	struct err err = { 0 };
	double got, want;

	sim_options_init(&o);
	o.cases = 50000;
	if (sim_run(p, &o, &r, &err) != STATUS_OK)
		fail_msg("sim_run: %s", err.msg);
	got = r.total.mean;
	want = f->lead_time_s;
	if (!(fabs(got - want) <= 0.01 * want))
		fail_msg("simulated lead %.6g, figures %.6g", got, want);
	if (mi >= 0) {
		got = r.measures[mi].mean;
		want = f->measures[mi].expected_s;
		if (!(fabs(got - want) <= 0.01 * want))
			fail_msg("simulated measure %.6g, figures %.6g", got, want);
	}
	sim_result_done(&r);
}

/*
 * A parallel step that merges a decision's two ways and then splits:
 * S (30s) -> D? 60 % A (exp 100s) -> J / 40 % B (exp 300s) -> J (B flows
 * to J by order); J splits into X (200s) and Y (50s), joined at K; E (10s).
 * Only one of A and B ever comes, so J starts at 30 + 0.6*100 + 0.4*300 =
 * 210 with every case (not at the later of the two, 330, with 60 % of
 * them); K waits for X: 410; lead 420. Measures: A..E over the cases
 * through A 100 + 200 + 10 = 310; X..K 200; Y..K waits for X, which
 * started with Y: 200. Cost: E (5) is reached by every case: 5.
 */
static void
test_parallel_merges_alternatives_then_splits(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id s, d, a, b, j, x, y, k, e;
	size_t m_se, m_ae, m_xk, m_yk;

	(void)state;
	s = t_task(&t, 0, 30);
	d = t_gate(&t, STEP_DECISION);
	a = t_task(&t, 0, 100);
	b = t_task(&t, 0, 300);
	j = t_gate(&t, STEP_PARALLEL);
	x = t_step(&t, 0, STEP_TASK, 200, -1, VALUE_VA, 0, 0);
	y = t_task(&t, 0, 50);
	k = t_gate(&t, STEP_PARALLEL);
	e = t_step(&t, 0, STEP_END, 10, -1, VALUE_NONE, 0, 5);
	t.p->steps[2]->work = (struct dist){ DIST_EXP, { 100, 0, 0 } };
	t.p->steps[3]->work = (struct dist){ DIST_EXP, { 300, 0, 0 } };
	t_flow(&t, d, a, 0.6);
	t_flow(&t, d, b, 0.4);
	t_flow(&t, a, j, -1);
	t_flow(&t, j, x, -1);
	t_flow(&t, j, y, -1);
	t_flow(&t, x, k, -1);
	m_se = t_measure(&t, s, e);
	m_ae = t_measure(&t, a, e);
	m_xk = t_measure(&t, x, k);
	m_yk = t_measure(&t, y, k);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 420);
	NEAR(f.work_time_s, 420);
	NEAR(f.va_time_s, 200);
	NEAR(f.cost, 5);
	NEAR(f.measures[m_se].expected_s, 420);
	NEAR(f.measures[m_ae].expected_s, 310);
	NEAR(f.measures[m_xk].expected_s, 200);
	NEAR(f.measures[m_yk].expected_s, 200);
	agrees_with_sim(t.p, &f, (int)m_ae);
	figures_done(&f);
	t_free(&t);
}

/*
 * A join that both joins a split's branches and takes a way around the
 * split: S (30s) -> D? 30 % C (500s, cost 5) -> J / 70 % P splits into
 * X1 (100s, cost 1) and X2 (200s, cost 2), both to J; J -> E (10s, cost
 * 4). Through C a case reaches J alone (530); through P, J waits for X2
 * (230): J ends at 0.3*530 + 0.7*230 = 320, lead 330. Cost: 0.3*5 +
 * 0.7*(1 + 2) + 4 = 7.6. Measure X1..J: X2 runs beside X1, C does not:
 * 200.
 */
static void
test_join_with_a_way_around_the_split(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id s, d, c, p, x1, x2, j;
	size_t m_x1j;

	(void)state;
	s = t_task(&t, 0, 30);
	d = t_gate(&t, STEP_DECISION);
	c = t_step(&t, 0, STEP_TASK, 500, -1, VALUE_NONE, 0, 5);
	p = t_gate(&t, STEP_PARALLEL);
	x1 = t_step(&t, 0, STEP_TASK, 100, -1, VALUE_NONE, 0, 1);
	x2 = t_step(&t, 0, STEP_TASK, 200, -1, VALUE_NONE, 0, 2);
	j = t_gate(&t, STEP_PARALLEL);
	t_step(&t, 0, STEP_END, 10, -1, VALUE_NONE, 0, 4);
	(void)s;
	t_flow(&t, d, c, 0.3);
	t_flow(&t, d, p, 0.7);
	t_flow(&t, c, j, -1);
	t_flow(&t, p, x1, -1);
	t_flow(&t, p, x2, -1);
	t_flow(&t, x1, j, -1);
	t_flow(&t, x2, j, -1);
	m_x1j = t_measure(&t, x1, j);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 330);
	NEAR(f.cost, 7.6);
	NEAR(f.measures[m_x1j].expected_s, 200);
	agrees_with_sim(t.p, &f, (int)m_x1j);
	figures_done(&f);
	t_free(&t);
}

/*
 * A decision between two parallel splits whose four branches meet at one
 * join: D? 50 % P1 (a 100s | b 200s) / 50 % P2 (c 300s | d 50s) -> J.
 * A case waits for its own split's two branches: 0.5*200 + 0.5*300 = 250.
 */
static void
test_decision_between_two_splits(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id d, p1, a, b, p2, c, e, j;

	(void)state;
	d = t_gate(&t, STEP_DECISION);
	p1 = t_gate(&t, STEP_PARALLEL);
	a = t_task(&t, 0, 100);
	b = t_task(&t, 0, 200);
	p2 = t_gate(&t, STEP_PARALLEL);
	c = t_task(&t, 0, 300);
	e = t_task(&t, 0, 50);
	j = t_gate(&t, STEP_PARALLEL);
	t_flow(&t, d, p1, 0.5);
	t_flow(&t, d, p2, 0.5);
	t_flow(&t, p1, a, -1);
	t_flow(&t, p1, b, -1);
	t_flow(&t, p2, c, -1);
	t_flow(&t, p2, e, -1);
	t_flow(&t, a, j, -1);
	t_flow(&t, b, j, -1);
	t_flow(&t, c, j, -1);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 250);
	agrees_with_sim(t.p, &f, -1);
	figures_done(&f);
	t_free(&t);
}

/*
 * Joins in two stages, and nested: P splits three ways, A (100s) and B
 * (200s) meet at J, which meets C (300s) at K: 300 (J does not close P,
 * so K still waits for C). Then P splits into Q and B (200s); Q splits
 * into Q1 (50s) and Q2 (400s), joined at QJ, which meets B at J: 400.
 */
static void
test_joins_in_stages_and_nested(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id p, a, b, c, j, k, q, q1, q2, qj;

	(void)state;
	p = t_gate(&t, STEP_PARALLEL);
	a = t_task(&t, 0, 100);
	b = t_task(&t, 0, 200);
	c = t_task(&t, 0, 300);
	j = t_gate(&t, STEP_PARALLEL);
	k = t_gate(&t, STEP_PARALLEL);
	t_flow(&t, p, a, -1);
	t_flow(&t, p, b, -1);
	t_flow(&t, p, c, -1);
	t_flow(&t, a, j, -1);
	t_flow(&t, b, j, -1);
	t_flow(&t, c, k, -1);
	t_flow(&t, j, k, -1);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 300);
	agrees_with_sim(t.p, &f, -1);
	figures_done(&f);
	t_free(&t);

	t = t_new();
	p = t_gate(&t, STEP_PARALLEL);
	q = t_gate(&t, STEP_PARALLEL);
	q1 = t_task(&t, 0, 50);
	q2 = t_task(&t, 0, 400);
	qj = t_gate(&t, STEP_PARALLEL);
	b = t_task(&t, 0, 200);
	j = t_gate(&t, STEP_PARALLEL);
	t_flow(&t, p, q, -1);
	t_flow(&t, p, b, -1);
	t_flow(&t, q, q1, -1);
	t_flow(&t, q, q2, -1);
	t_flow(&t, q1, qj, -1);
	t_flow(&t, q2, qj, -1);
	t_flow(&t, qj, j, -1);
	t_flow(&t, b, j, -1);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 400);
	agrees_with_sim(t.p, &f, -1);
	figures_done(&f);
	t_free(&t);
}

/*
 * A join with an in-flow from a step no case reaches (X, an end nothing
 * flows to, then U, which flows to J by order): P -> A (100s) | B (200s)
 * -> J -> E (10s, cost 3). J waits for B: lead 210, cost 3.
 */
static void
test_join_with_an_unreached_in_flow(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id p, a, b, j;

	(void)state;
	p = t_gate(&t, STEP_PARALLEL);
	a = t_task(&t, 0, 100);
	b = t_task(&t, 0, 200);
	t_step(&t, 0, STEP_END, 1, -1, VALUE_NONE, 0, 0);
	t_task(&t, 0, 999);
	j = t_gate(&t, STEP_PARALLEL);
	t_step(&t, 0, STEP_END, 10, -1, VALUE_NONE, 0, 3);
	t_flow(&t, p, a, -1);
	t_flow(&t, p, b, -1);
	t_flow(&t, a, j, -1);
	t_flow(&t, b, j, -1);
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 210);
	NEAR(f.cost, 3);
	figures_done(&f);
	t_free(&t);
}

/*
 * A wide join (more in-flows than a join compares pairwise): D? 50 % C
 * (1000s) -> J / 50 % P splits twelve ways into 10s, 20s, ... 120s, all to
 * J. J is 0.5*1000 + 0.5*120 = 560.
 */
static void
test_wide_join(void **state)
{
	struct t t = t_new();
	struct figures f;
	sm_id d, c, p, j, b[12];
	size_t i;

	(void)state;
	d = t_gate(&t, STEP_DECISION);
	c = t_task(&t, 0, 1000);
	p = t_gate(&t, STEP_PARALLEL);
	for (i = 0; i < 12; i++)
		b[i] = t_task(&t, 0, 10 * (double)(i + 1));
	j = t_gate(&t, STEP_PARALLEL);
	t_flow(&t, d, c, 0.5);
	t_flow(&t, d, p, 0.5);
	t_flow(&t, c, j, -1);
	for (i = 0; i < 12; i++) {
		t_flow(&t, p, b[i], -1);
		t_flow(&t, b[i], j, -1);
	}
	assert_int_equal(figures_compute(t.p, &f), STATUS_OK);
	NEAR(f.lead_time_s, 560);
	agrees_with_sim(t.p, &f, -1);
	figures_done(&f);
	/* again and again through one workspace: its slots are left clear */
	{
		struct figures_ws *ws = figures_ws_new();

		assert_non_null(ws);
		for (i = 0; i < 3; i++) {
			assert_int_equal(figures_compute_ws(t.p, ws, &f), STATUS_OK);
			NEAR(f.lead_time_s, 560);
			figures_done(&f);
		}
		figures_ws_free(&ws);
	}
	t_free(&t);
}

/* --- the workspace gives exactly the one-shot figures ------------------- */

/* A small deterministic generator (xorshift64). */
static uint64_t
t_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * A process of n steps of every kind over five lanes (one step in ten in no
 * lane, a few in a lane that is not there): decisions and parallel splits
 * of two or three flows ahead, jumps, loops back, ends, rework, every
 * distribution, costs, and six measures (three from one step, one from the
 * first, most of them a few steps long). After each step `burn` ids go unused, so the step ids are dense
 * (0) or sparse.
 */
static void
t_generate(struct t *t, size_t n, uint64_t seed, int burn)
{
	sm_id lanes[5], *ids = malloc((n ? n : 1) * sizeof *ids);
	size_t i, k, shared;
	uint64_t x = seed;

	assert_non_null(ids);
	for (i = 0; i < 5; i++)
		lanes[i] = t_lane(t, "lane", (enum stage)(i % STAGE_COUNT_));
	for (i = 0; i < n; i++) {
		struct step *s = malloc(sizeof *s);
		unsigned r = (unsigned)(t_rand(&x) % 100);

		assert_non_null(s);
		step_init(s);
		s->id = ids[i] = workbook_new_id(t->w);
		for (k = 0; k < (size_t)burn; k++)
			workbook_new_id(t->w);
		s->key = 1024.0 * (double)(i + 1);
		s->lane = r < 10 ? 0 : r < 12 ? 987654321 : lanes[t_rand(&x) % 5];
		s->type = r < 15 ? STEP_DECISION : r < 25 ? STEP_PARALLEL : r < 28 ? STEP_END
		        : (enum step_type)(t_rand(&x) % 8);
		switch (t_rand(&x) % 6) {
		case 0: s->work = dist_fixed(10 + (double)(t_rand(&x) % 100)); break;
		case 1: s->work = (struct dist){ DIST_TRI, { 10, 20, 70 } }; break;
		case 2: s->work = (struct dist){ DIST_EXP, { 33.3, 0, 0 } }; break;
		case 3: s->work = (struct dist){ DIST_LOGN, { 20, 7, 0 } }; break;
		case 4: s->work = (struct dist){ DIST_NORM, { 30, 12, 0 } }; break;
		default: break;
		}
		if (t_rand(&x) % 3 == 0)
			s->wait = (struct dist){ DIST_UNI, { 5, 50, 0 } };
		s->error_rate = t_rand(&x) % 4 == 0 ? 0.05 * (double)(t_rand(&x) % 5) : 0;
		s->cost = (double)(t_rand(&x) % 7);
		s->value = (enum value_class)(t_rand(&x) % VALUE_CLASS_COUNT_);
		s->pain = t_rand(&x) % 9 == 0;
		assert_int_equal(process_add_step(t->p, s), STATUS_OK);
	}
	process_reindex(t->p);
	for (i = 0; i < n; i++) {
		enum step_type type = t->p->steps[i]->type;
		size_t nout = 0;

		if (type == STEP_DECISION || type == STEP_PARALLEL)
			nout = 2 + t_rand(&x) % 2;
		else if (t_rand(&x) % 12 == 0)
			nout = 1 + t_rand(&x) % 2;
		for (k = 0; k < nout; k++) {
			size_t to = i + 1 + t_rand(&x) % 12;
			double prob = t_rand(&x) % 2 ? (double)(t_rand(&x) % 60) / 100 : -1;

			if (type != STEP_PARALLEL && t_rand(&x) % 8 == 0) {
				to = i - t_rand(&x) % (i + 1 < 20 ? i + 1 : 20);
				prob = 0.05 + (double)(t_rand(&x) % 20) / 100;
			}
			t_flow(t, ids[i], ids[to < n ? to : n - 1], prob);
		}
	}
	shared = n ? t_rand(&x) % n : 0;
	for (i = 0; i < 6 && n > 2; i++) {
		size_t a = i < 3 ? shared : i == 3 ? 0 : t_rand(&x) % n;
		size_t b = i == 5 ? t_rand(&x) % n : a + t_rand(&x) % 40;

		t_measure(t, ids[a], ids[b < n ? b : n - 1]);
	}
	free(ids);
}

/* Equal to the last bit (NAN included). */
static void
assert_same_double(double a, double b)
{
	if (memcmp(&a, &b, sizeof a) != 0)
		fail_msg("%.17g != %.17g", a, b);
}

static void
assert_same_figures(const struct figures *a, const struct figures *b)
{
	size_t i;

	assert_int_equal(a->steps, b->steps);
	assert_memory_equal(a->by_type, b->by_type, sizeof a->by_type);
	assert_memory_equal(a->by_stage, b->by_stage, sizeof a->by_stage);
	assert_int_equal(a->nlanes, b->nlanes);
	assert_memory_equal(a->by_lane, b->by_lane, a->nlanes * sizeof *a->by_lane);
	assert_int_equal(a->no_lane, b->no_lane);
	assert_int_equal(a->handoffs, b->handoffs);
	assert_int_equal(a->touchpoints, b->touchpoints);
	assert_int_equal(a->manual_steps, b->manual_steps);
	assert_int_equal(a->pain_points, b->pain_points);
	assert_same_double(a->lead_time_s, b->lead_time_s);
	assert_same_double(a->work_time_s, b->work_time_s);
	assert_same_double(a->wait_time_s, b->wait_time_s);
	assert_same_double(a->va_time_s, b->va_time_s);
	assert_same_double(a->pce, b->pce);
	assert_same_double(a->rty, b->rty);
	assert_same_double(a->cost, b->cost);
	assert_int_equal(a->nmeasures, b->nmeasures);
	for (i = 0; i < a->nmeasures; i++) {
		assert_true(a->measures[i].id == b->measures[i].id);
		assert_same_double(a->measures[i].expected_s, b->measures[i].expected_s);
	}
}

/*
 * One workspace carried from process to process, small to large and back,
 * and through edits, gives exactly what a fresh computation gives; so do
 * sparse step ids (the graph's id table gives way to the id index).
 */
static void
test_workspace_matches_one_shot(void **state)
{
	struct figures_ws *ws = figures_ws_new();
	struct t big = t_new(), small = t_new(), sparse = t_new();
	struct figures a, b;
	size_t i, with_measure = 0;

	(void)state;
	assert_non_null(ws);
	t_generate(&big, 100000, 42, 0);
	t_generate(&small, 300, 7, 0);
	t_generate(&sparse, 300, 7, 9);
	for (i = 0; i < 6; i++) {
		const struct process *p = i % 3 == 0 ? small.p : i % 3 == 1 ? big.p : sparse.p;

		assert_int_equal(figures_compute_ws(p, ws, &a), STATUS_OK);
		assert_int_equal(figures_compute(p, &b), STATUS_OK);
		assert_same_figures(&a, &b);
		if (p == big.p)
			for (size_t k = 0; k < a.nmeasures; k++)
				with_measure += !isnan(a.measures[k].expected_s);
		figures_done(&a);
		figures_done(&b);
	}
	assert_true(with_measure > 0);
	/* the sparse twin has the dense one's figures but for the lanes' ids */
	assert_int_equal(figures_compute_ws(small.p, ws, &a), STATUS_OK);
	assert_int_equal(figures_compute_ws(sparse.p, ws, &b), STATUS_OK);
	assert_same_double(a.lead_time_s, b.lead_time_s);
	assert_same_double(a.cost, b.cost);
	assert_same_double(a.measures[5].expected_s, b.measures[5].expected_s);
	figures_done(&a);
	figures_done(&b);
	/* edits, the workspace kept: a step deleted (with its flows), one
	 * inserted, one moved, a flow added */
	for (i = 0; i < 4; i++) {
		struct edit *e = NULL;
		struct err err = { 0 };
		struct step tmpl;

		step_init(&tmpl);
		tmpl.type = STEP_PARALLEL;
		if (i == 0)
			assert_int_equal(edit_step_del(big.w, big.p->steps[50000]->id, &e), STATUS_OK);
		else if (i == 1)
			assert_int_equal(edit_step_insert(big.w, big.p->id, 700, &tmpl, &e), STATUS_OK);
		else if (i == 2)
			assert_int_equal(edit_step_move(big.w, big.p->steps[10]->id, 90000, &e),
			                 STATUS_OK);
		else
			assert_int_equal(edit_flow_add(big.w, big.p->steps[700]->id,
			                               big.p->steps[705]->id, NULL, -1, &e),
			                 STATUS_OK);
		step_done(&tmpl);
		assert_int_equal(edit_apply(big.w, e, &err), STATUS_OK);
		edit_free(&e);
		assert_int_equal(figures_compute_ws(big.p, ws, &a), STATUS_OK);
		assert_int_equal(figures_compute(big.p, &b), STATUS_OK);
		assert_same_figures(&a, &b);
		figures_done(&a);
		figures_done(&b);
	}
	figures_ws_free(&ws);
	figures_ws_free(&ws);            /* twice is harmless */
	t_free(&big);
	t_free(&small);
	t_free(&sparse);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequential),
		cmocka_unit_test(test_decision),
		cmocka_unit_test(test_decision_equal_split),
		cmocka_unit_test(test_parallel),
		cmocka_unit_test(test_parallel_with_decision),
		cmocka_unit_test(test_rework),
		cmocka_unit_test(test_rty_on_branch),
		cmocka_unit_test(test_certain_error),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_self_loop),
		cmocka_unit_test(test_handoffs),
		cmocka_unit_test(test_unknown_lane_and_pain),
		cmocka_unit_test(test_distributions),
		cmocka_unit_test(test_two_ends),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_parallel_merges_alternatives_then_splits),
		cmocka_unit_test(test_join_with_a_way_around_the_split),
		cmocka_unit_test(test_decision_between_two_splits),
		cmocka_unit_test(test_joins_in_stages_and_nested),
		cmocka_unit_test(test_join_with_an_unreached_in_flow),
		cmocka_unit_test(test_wide_join),
		cmocka_unit_test(test_workspace_matches_one_shot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
