/*
 * test_sim.c - the simulation engine against answers known in advance:
 * M/M/1 and M/M/c queues against their formulas, fixed durations exactly,
 * branch frequencies, parallel joins taking their longest branch, rework
 * raising the mean by 1/(1-p), reproducibility from the seed, warm-up,
 * trace (of the case nearest the median too), cancellation and processes
 * that cannot end.
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
#include "tests/unit/handmade.h"

static struct workbook *wb;

static struct process *
new_process(struct dist arrival)
{
	struct process *p;

	workbook_free(&wb);
	wb = workbook_new();
	assert_non_null(wb);
	p = workbook_add_process(wb, workbook_new_id(wb), "p");
	assert_non_null(p);
	p->arrival = arrival;
	return p;
}

#define add_lane(...) hm_lane(wb, __VA_ARGS__)
#define add_step(...) hm_step(wb, __VA_ARGS__)
#define add_flow(...) hm_flow(wb, __VA_ARGS__, NULL)
#define add_measure(...) hm_measure(wb, __VA_ARGS__)

static const struct dist NO_TIME = { DIST_NONE, { 0, 0, 0 } };

static struct dist
fixed(double s)
{
	return (struct dist){ DIST_FIXED, { s, 0, 0 } };
}

static struct dist
expo(double mean)
{
	return (struct dist){ DIST_EXP, { mean, 0, 0 } };
}

static void
run(const struct process *p, size_t cases, unsigned reps, double warmup,
    struct sim_result *r)
{
	struct sim_options o;
	struct err err = { 0 };

	sim_options_init(&o);
	o.cases = cases;
	o.replications = reps;
	o.warmup_s = warmup;
	if (sim_run(p, &o, r, &err) != STATUS_OK)
		fail_msg("sim_run: %s", err.msg);
}

static void
assert_within(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fabs(want)))
		fail_msg("got %.6g, want %.6g within %.1f%%", got, want, rel * 100);
}

static void
teardown_wb(void)
{
	workbook_free(&wb);
}

/* --- queues against their formulas ------------------------------------- */

/* Erlang C: the chance an arrival waits in an M/M/c queue. */
static double
erlang_c(int c, double a)
{
	double term = 1, sum = 1, rho = a / c;
	int k;

	for (k = 1; k < c; k++) {
		term *= a / k;
		sum += term;
	}
	term *= a / c;               /* a^c / c! */
	return term / (1 - rho) / (sum + term / (1 - rho));
}

static void
test_mm1_mean_wait(void **state)
{
	struct process *p = new_process(expo(60));
	sm_id lane = add_lane(p, "clerk", STAGE_OFFSTAGE, 1);
	struct sim_result r;
	double lambda = 1.0 / 60, mu = 1.0 / 42, rho = lambda / mu;
	double wq = rho / (mu - lambda);

	(void)state;
	add_step(p, "serve", STEP_TASK, lane, expo(42), NO_TIME, 0);
	run(p, 100000, 4, 3600, &r);
	assert_within(r.steps[0].queue_s, wq, 0.04);
	assert_within(r.total.mean, wq + 42, 0.03);
	assert_within(r.lanes[0].utilisation, rho, 0.02);
	assert_true(r.total.ci_lo < r.total.mean && r.total.mean < r.total.ci_hi);
	assert_true(r.total.ci_lo < wq + 42 && wq + 42 < r.total.ci_hi);
	assert_within(r.throughput_per_h, 60, 0.02);
	for (size_t i = 1; i < r.total.n; i++)   /* sorted, for histograms */
		assert_true(r.total.samples[i - 1] <= r.total.samples[i]);
	assert_true(r.total.samples[0] == r.total.min);
	assert_true(r.total.p50 >= r.total.samples[r.total.n / 2 - 1] &&
	            r.total.p50 <= r.total.samples[r.total.n / 2]);
	assert_true(r.events >= 2 * r.cases);   /* each arrival and end of work */
	sim_result_done(&r);
	teardown_wb();
}

static void
test_mmc_mean_wait_erlang_c(void **state)
{
	struct process *p = new_process(expo(20));
	sm_id lane = add_lane(p, "nurses", STAGE_ONSTAGE, 3);
	struct sim_result r;
	double lambda = 1.0 / 20, mu = 1.0 / 50, a = lambda / mu;
	double wq = erlang_c(3, a) / (3 * mu - lambda);

	(void)state;
	add_step(p, "triage", STEP_TASK, lane, expo(50), NO_TIME, 0);
	run(p, 100000, 4, 3600, &r);
	assert_within(r.steps[0].queue_s, wq, 0.05);
	assert_within(r.lanes[0].utilisation, a / 3, 0.02);
	assert_within(r.lanes[0].busy, a, 0.02);
	assert_int_equal(r.lanes[0].capacity, 3);
	sim_result_done(&r);
	teardown_wb();
}

/* --- exact answers with fixed times ------------------------------------ */

static void
test_fixed_durations_exact(void **state)
{
	struct process *p = new_process(NO_TIME);
	struct sim_result r;
	sm_id a, b, c;

	(void)state;
	a = add_step(p, "A", STEP_TASK, 0, fixed(60), NO_TIME, 0);
	b = add_step(p, "B", STEP_TASK, 0, fixed(120), fixed(30), 0);
	c = add_step(p, "C", STEP_TASK, 0, fixed(90), NO_TIME, 0);
	add_measure(p, "B to C", b, c);
	add_measure(p, "A to A", a, a);
	run(p, 500, 1, 0, &r);
	assert_true(r.total.mean == 300 && r.total.p50 == 300 && r.total.p90 == 300);
	assert_true(r.total.min == 300 && r.total.max == 300);
	assert_true(r.total.ci_lo == 300 && r.total.ci_hi == 300);
	assert_int_equal(r.nmeasures, 2);
	assert_true(r.measures[0].mean == 240 && r.measures[0].n == 500);
	assert_true(r.measures[1].mean == 60);
	assert_true(r.steps[1].wait_s == 30 && r.steps[1].work_s == 120);
	assert_true(r.steps[1].queue_s == 0 && r.steps[1].visits == 1);
	sim_result_done(&r);
	teardown_wb();
}

static void
test_fifo_single_server_exact(void **state)
{
	struct process *p = new_process(NO_TIME);
	sm_id lane = add_lane(p, "desk", STAGE_ONSTAGE, 1);
	struct sim_result r;
	size_t n = 1000;

	(void)state;
	add_step(p, "register", STEP_TASK, lane, fixed(60), NO_TIME, 0);
	run(p, n, 1, 0, &r);
	/* all arrive at 0; case k leaves at 60 k */
	assert_true(r.total.mean == 60.0 * (double)(n + 1) / 2);
	assert_true(r.total.min == 60 && r.total.max == 60.0 * (double)n);
	assert_true(r.steps[0].queue_s == 60.0 * (double)(n - 1) / 2);
	assert_within(r.lanes[0].utilisation, 1, 1e-12);
	assert_int_equal(r.lanes[0].queue_max, n - 1);
	sim_result_done(&r);
	teardown_wb();
}

/* A decision (no work time) in a busy lane does not queue behind the lane's
 * work: with one desk and every case at 0, case k leaves at 60 k exactly,
 * as with no decision at all (queued, case 1 would wait for case 2's 60 s). */
static void
test_timeless_steps_never_queue(void **state)
{
	struct process *p = new_process(NO_TIME);
	sm_id lane = add_lane(p, "desk", STAGE_ONSTAGE, 1);
	struct sim_result r;
	size_t n = 100;
	sm_id d, y, no;

	(void)state;
	add_step(p, "register", STEP_TASK, lane, fixed(60), NO_TIME, 0);
	d = add_step(p, "complete?", STEP_DECISION, lane, NO_TIME, NO_TIME, 0);
	y = add_step(p, "yes", STEP_END, 0, NO_TIME, NO_TIME, 0);
	no = add_step(p, "no", STEP_END, 0, NO_TIME, NO_TIME, 0);
	add_flow(p, d, y, 0.5);
	add_flow(p, d, no, 0.5);
	run(p, n, 1, 0, &r);
	assert_true(r.total.min == 60 && r.total.max == 60.0 * (double)n);
	assert_true(r.total.mean == 60.0 * (double)(n + 1) / 2);
	assert_true(r.steps[1].queue_s == 0);
	sim_result_done(&r);
	teardown_wb();
}

static void
test_customer_and_unlimited_lanes_never_queue(void **state)
{
	struct process *p = new_process(NO_TIME);
	sm_id patient = add_lane(p, "patient", STAGE_CUSTOMER, 1);
	sm_id ehr = add_lane(p, "EHR", STAGE_SUPPORT, 0);
	struct sim_result r;

	(void)state;
	add_step(p, "walk in", STEP_TASK, patient, fixed(60), NO_TIME, 0);
	add_step(p, "lookup", STEP_SERVICE, ehr, fixed(5), NO_TIME, 0);
	run(p, 200, 1, 0, &r);
	assert_true(r.total.max == 65);
	assert_true(isnan(r.lanes[0].utilisation) && r.lanes[0].capacity == 0);
	assert_within(r.lanes[0].busy, 200.0 * 60 / 65, 1e-9);
	sim_result_done(&r);
	teardown_wb();
}

/* --- flows ----------------------------------------------------------------- */

static void
test_branch_frequencies(void **state)
{
	struct process *p = new_process(expo(60));
	struct sim_result r;
	sm_id d, x, y;

	(void)state;
	d = add_step(p, "imaging?", STEP_DECISION, 0, NO_TIME, NO_TIME, 0);
	x = add_step(p, "CT", STEP_TASK, 0, fixed(600), NO_TIME, 0);
	add_step(p, "done after CT", STEP_END, 0, NO_TIME, NO_TIME, 0);
	y = add_step(p, "no imaging", STEP_TASK, 0, fixed(60), NO_TIME, 0);
	add_flow(p, d, x, 0.3);
	add_flow(p, d, y, 0.7);
	run(p, 100000, 1, 0, &r);
	assert_within(r.steps[1].visits, 0.3, 0.02);
	assert_within(r.steps[3].visits, 0.7, 0.01);
	assert_true(r.steps[2].visits == r.steps[1].visits);
	assert_within(r.total.mean, 0.3 * 600 + 0.7 * 60, 0.02);
	assert_true(r.total.p50 == 60 && r.total.p90 == 600);
	sim_result_done(&r);
	teardown_wb();
}

static void
test_parallel_join_takes_longest(void **state)
{
	struct process *p = new_process(NO_TIME);
	struct sim_result r;
	sm_id split, a, b, c, join, end;

	(void)state;
	split = add_step(p, "split", STEP_PARALLEL, 0, NO_TIME, NO_TIME, 0);
	a = add_step(p, "labs", STEP_TASK, 0, fixed(100), NO_TIME, 0);
	b = add_step(p, "imaging", STEP_TASK, 0, fixed(300), NO_TIME, 0);
	c = add_step(p, "consult", STEP_TASK, 0, fixed(200), NO_TIME, 0);
	join = add_step(p, "join", STEP_PARALLEL, 0, NO_TIME, NO_TIME, 0);
	end = add_step(p, "decide", STEP_TASK, 0, fixed(50), NO_TIME, 0);
	add_flow(p, split, a, -1);
	add_flow(p, split, b, -1);
	add_flow(p, split, c, -1);
	add_flow(p, a, join, -1);
	add_flow(p, b, join, -1);
	add_flow(p, c, join, -1);
	add_measure(p, "to decision", split, end);
	run(p, 300, 1, 0, &r);
	assert_true(r.total.min == 350 && r.total.max == 350);
	assert_true(r.measures[0].mean == 350);
	assert_true(r.steps[5].visits == 1);     /* the join let one branch on */
	sim_result_done(&r);

	/* random branches: the case takes the longest of the three */
	p->steps[1]->work = expo(100);
	p->steps[2]->work = expo(100);
	p->steps[3]->work = expo(100);
	run(p, 100000, 1, 0, &r);
	/* E[max of 3 exp(100)] = 100 (1 + 1/2 + 1/3) */
	assert_within(r.total.mean, 100 * (1 + 0.5 + 1.0 / 3) + 50, 0.02);
	sim_result_done(&r);
	teardown_wb();
}

static void
test_join_after_decision_inside_a_branch(void **state)
{
	struct process *p = new_process(NO_TIME);
	struct sim_result r;
	sm_id split, a, d, x, b, join;

	(void)state;
	/* split -> a -> d? -> x -> join, or d -> join straight; split -> b -> join */
	split = add_step(p, "split", STEP_PARALLEL, 0, NO_TIME, NO_TIME, 0);
	a = add_step(p, "a", STEP_TASK, 0, fixed(10), NO_TIME, 0);
	d = add_step(p, "d", STEP_DECISION, 0, NO_TIME, NO_TIME, 0);
	x = add_step(p, "x", STEP_TASK, 0, fixed(100), NO_TIME, 0);
	b = add_step(p, "b", STEP_TASK, 0, fixed(50), NO_TIME, 0);
	join = add_step(p, "join", STEP_PARALLEL, 0, NO_TIME, NO_TIME, 0);
	add_flow(p, split, a, -1);
	add_flow(p, split, b, -1);
	add_flow(p, a, d, -1);
	add_flow(p, d, x, 0.5);
	add_flow(p, d, join, 0.5);
	add_flow(p, x, join, -1);
	add_flow(p, b, join, -1);
	run(p, 10000, 1, 0, &r);
	/* the join has three incoming flows but only two branches come */
	assert_true(r.total.min == 50 && r.total.max == 110);
	assert_true(r.steps[5].visits == 1);
	sim_result_done(&r);
	teardown_wb();
}

/* With no queues, the simulated mean is the expected lead time the figures
 * compute from the same process: two ways to one number. */
static void
test_agrees_with_figures_without_queues(void **state)
{
	struct process *p = new_process(NO_TIME);
	struct sim_result r;
	struct figures f;
	sm_id d, x, y, prep, split, a, b, join, last;

	(void)state;
	add_step(p, "arrive", STEP_START, 0, fixed(30), NO_TIME, 0);
	add_step(p, "register", STEP_USER, 0, (struct dist){ DIST_TRI, { 60, 120, 300 } },
	         expo(200), 0.1);
	d = add_step(p, "imaging?", STEP_DECISION, 0, NO_TIME, NO_TIME, 0);
	x = add_step(p, "CT", STEP_TASK, 0, (struct dist){ DIST_UNI, { 600, 1200, 0 } },
	             NO_TIME, 0);
	y = add_step(p, "exam", STEP_TASK, 0, (struct dist){ DIST_LOGN, { 400, 100, 0 } },
	             NO_TIME, 0.2);
	prep = add_step(p, "prepare", STEP_TASK, 0, fixed(60), NO_TIME, 0);
	split = add_step(p, "split", STEP_PARALLEL, 0, NO_TIME, NO_TIME, 0);
	a = add_step(p, "labs", STEP_TASK, 0, fixed(900), NO_TIME, 0);
	b = add_step(p, "bed request", STEP_TASK, 0, fixed(300), fixed(100), 0);
	join = add_step(p, "join", STEP_PARALLEL, 0, NO_TIME, NO_TIME, 0);
	last = add_step(p, "admit", STEP_END, 0, (struct dist){ DIST_NORM, { 600, 60, 0 } },
	                NO_TIME, 0);
	add_flow(p, d, x, 0.25);
	add_flow(p, d, y, 0.75);
	add_flow(p, x, prep, -1);
	add_flow(p, split, a, -1);
	add_flow(p, split, b, -1);
	add_flow(p, a, join, -1);
	add_flow(p, b, join, -1);
	(void)last;
	assert_int_equal(figures_compute(p, &f), STATUS_OK);
	run(p, 200000, 1, 0, &r);
	assert_within(r.total.mean, f.lead_time_s, 0.01);
	figures_done(&f);
	sim_result_done(&r);
	teardown_wb();
}

static void
test_rework_raises_mean(void **state)
{
	struct process *p = new_process(NO_TIME);
	struct sim_result r;

	(void)state;
	add_step(p, "fill form", STEP_MANUAL, 0, fixed(60), NO_TIME, 0.25);
	run(p, 200000, 1, 0, &r);
	assert_within(r.total.mean, 60 / (1 - 0.25), 0.01);
	assert_within(r.steps[0].visits, 1 / (1 - 0.25), 0.01);
	assert_true(r.steps[0].work_s == 60);
	sim_result_done(&r);
	teardown_wb();
}

/* --- runs ------------------------------------------------------------------ */

static void
test_same_seed_same_numbers(void **state)
{
	struct process *p = new_process(expo(30));
	sm_id lane = add_lane(p, "lab", STAGE_OFFSTAGE, 2);
	struct sim_options o;
	struct sim_result a, b, c;

	(void)state;
	add_step(p, "draw", STEP_TASK, lane, (struct dist){ DIST_TRI, { 10, 20, 60 } },
	         (struct dist){ DIST_LOGN, { 30, 10, 0 } }, 0.1);
	add_step(p, "run", STEP_TASK, lane, (struct dist){ DIST_NORM, { 40, 15, 0 } },
	         NO_TIME, 0);
	sim_options_init(&o);
	assert_int_equal(o.cases, SIM_DEFAULT_CASES);
	assert_true(o.seed == SIM_DEFAULT_SEED);
	o.replications = 3;
	assert_int_equal(sim_run(p, &o, &a, NULL), STATUS_OK);
	assert_int_equal(sim_run(p, &o, &b, NULL), STATUS_OK);
	o.seed = 2;
	assert_int_equal(sim_run(p, &o, &c, NULL), STATUS_OK);
	assert_true(a.events == b.events);
	assert_memory_equal(a.total.samples, b.total.samples, a.total.n * sizeof(double));
	assert_true(a.total.ci_lo == b.total.ci_lo && a.lanes[0].busy == b.lanes[0].busy);
	assert_true(a.total.mean != c.total.mean);
	assert_true(a.replications == 3 && a.rep_cases >= SIM_DEFAULT_CASES &&
	            a.cases == 3 * a.rep_cases);
	/* the warm-up found from the data is left out of every replication */
	assert_true(a.total.n == 3 * (a.rep_cases - a.warmup_cases));
	sim_result_done(&a);
	sim_result_done(&b);
	sim_result_done(&c);
	teardown_wb();
}

static void
test_warmup_and_trace(void **state)
{
	struct process *p = new_process(fixed(10));
	sm_id desk = add_lane(p, "desk", STAGE_ONSTAGE, 1);
	sm_id lab = add_lane(p, "lab", STAGE_OFFSTAGE, 0);
	struct sim_options o;
	struct sim_result r;

	(void)state;
	add_step(p, "register", STEP_TASK, desk, fixed(5), NO_TIME, 0);
	add_step(p, "test", STEP_TASK, lab, fixed(20), fixed(7), 0);
	sim_options_init(&o);
	o.cases = 50;
	o.replications = 1;
	o.warmup_s = 100;
	o.trace_case = 1;
	assert_int_equal(sim_run(p, &o, &r, NULL), STATUS_OK);
	assert_true(r.trace_arrival_s == 100);   /* the first counted case */
	assert_int_equal(r.ntrace, 2);
	assert_int_equal(r.trace[0].step, 0);
	assert_true(r.trace[0].lane == desk);
	assert_true(r.trace[0].reach_s == 0 && r.trace[0].start_s == 0 && r.trace[0].end_s == 5);
	assert_true(r.trace[1].lane == lab);
	assert_true(r.trace[1].reach_s == 5 && r.trace[1].ask_s == 12);
	assert_true(r.trace[1].start_s == 12 && r.trace[1].end_s == 32);
	assert_true(r.trace[1].attempt == 1);
	assert_true(r.total.mean == 32 && r.cases == 50);
	sim_result_done(&r);
	teardown_wb();
}

/* The median case, traced, is the case whose time is nearest the median. */
static void
test_median_case_traced(void **state)
{
	struct process *p = new_process(expo(60));
	sm_id clerk = add_lane(p, "clerk", STAGE_ONSTAGE, 1);
	struct sim_options o;
	struct sim_result r, t;
	double total = 0, best = INFINITY;
	size_t i;

	(void)state;
	add_step(p, "ask", STEP_TASK, clerk, expo(40), NO_TIME, 0);
	add_step(p, "think", STEP_TASK, 0, expo(100), NO_TIME, 0.2);
	sim_options_init(&o);
	o.cases = 2001;
	o.replications = 1;          /* the median case is one of the first's */
	assert_int_equal(sim_run(p, &o, &r, NULL), STATUS_OK);
	assert_true(r.median_case > r.warmup_cases && r.median_case <= r.rep_cases);
	o.trace_case = r.median_case;
	assert_int_equal(sim_run(p, &o, &t, NULL), STATUS_OK);
	/* tracing changes nothing else */
	assert_true(t.total.mean == r.total.mean && t.median_case == r.median_case);
	assert_true(t.ntrace >= 2);
	for (i = 0; i < t.ntrace; i++)
		if (t.trace[i].end_s > total)
			total = t.trace[i].end_s;
	for (i = 0; i < r.total.n; i++)
		if (fabs(r.total.samples[i] - r.total.p50) < best)
			best = fabs(r.total.samples[i] - r.total.p50);
	/* no case of the run lies nearer the median */
	assert_true(fabs(total - r.total.p50) == best);
	assert_true(best < (r.total.p90 - r.total.p50) * 0.01);
	sim_result_done(&r);
	sim_result_done(&t);
	teardown_wb();
}

static bool
stop_half_way(void *ctx, double done)
{
	double *last = ctx;

	assert_true(done >= *last && done <= 1);
	*last = done;
	return done < 0.5;
}

static void
test_progress_and_cancel(void **state)
{
	struct process *p = new_process(expo(10));
	struct sim_options o;
	struct sim_result r;
	struct err err = { 0 };
	double last = 0;

	(void)state;
	add_step(p, "a", STEP_TASK, 0, expo(5), NO_TIME, 0);
	sim_options_init(&o);
	o.cases = 200000;
	o.progress = stop_half_way;
	o.ctx = &last;
	assert_int_equal(sim_run(p, &o, &r, &err), STATUS_CANCELLED);
	assert_true(last >= 0.5 && last < 1);
	assert_null(r.total.samples);
	sim_result_done(&r);
	teardown_wb();
}

static void
test_endless_case_is_an_error(void **state)
{
	struct process *p = new_process(NO_TIME);
	struct sim_result r;
	struct sim_options o;
	struct err err = { 0 };

	(void)state;
	add_step(p, "a", STEP_TASK, 0, fixed(1), NO_TIME, 0);
	add_step(p, "always wrong", STEP_TASK, 0, fixed(1), NO_TIME, 1);
	sim_options_init(&o);
	o.cases = 10;
	assert_int_equal(sim_run(p, &o, &r, &err), STATUS_INPUT);
	assert_non_null(strstr(err.msg, "always wrong"));
	sim_result_done(&r);

	new_process(NO_TIME);
	assert_int_equal(sim_run(wb->procs[0], &o, &r, &err), STATUS_INPUT);
	assert_non_null(strstr(err.msg, "no steps"));
	teardown_wb();
}

static void
test_t_quantiles(void **state)
{
	(void)state;
	assert_within(sim_t975(1), 12.706, 1e-4);
	assert_within(sim_t975(9), 2.262, 1e-4);
	assert_within(sim_t975(40), 2.021, 1e-3);
	assert_within(sim_t975(120), 1.980, 1e-3);
	assert_within(sim_t975(100000), 1.960, 1e-3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mm1_mean_wait),
		cmocka_unit_test(test_mmc_mean_wait_erlang_c),
		cmocka_unit_test(test_fixed_durations_exact),
		cmocka_unit_test(test_fifo_single_server_exact),
		cmocka_unit_test(test_timeless_steps_never_queue),
		cmocka_unit_test(test_customer_and_unlimited_lanes_never_queue),
		cmocka_unit_test(test_branch_frequencies),
		cmocka_unit_test(test_parallel_join_takes_longest),
		cmocka_unit_test(test_join_after_decision_inside_a_branch),
		cmocka_unit_test(test_agrees_with_figures_without_queues),
		cmocka_unit_test(test_rework_raises_mean),
		cmocka_unit_test(test_same_seed_same_numbers),
		cmocka_unit_test(test_warmup_and_trace),
		cmocka_unit_test(test_median_case_traced),
		cmocka_unit_test(test_progress_and_cancel),
		cmocka_unit_test(test_endless_case_is_an_error),
		cmocka_unit_test(test_t_quantiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
