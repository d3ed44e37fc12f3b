/*
 * test_demo.c - the bundled demo is the headline case: 111 steps, arrival →
 * seen by physician 27 minutes; its redesign 46 steps, 3 minutes, and
 * time-to-admit down 14 %; and it is a map a nurse would recognise (lanes in
 * every stage, manual steps, waits, branches, pain points), whose
 * simulation tells the same story without long queues.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "examples/demo.h"
#include "model/figures.h"
#include "model/scenario.h"
#include "model/sim.h"

struct demo {
	struct workbook *w;
	struct process *p, *d;       /* baseline, redesign */
	struct figures fb, fd;
	size_t stale;
};

static int
setup(void **state)
{
	struct demo *t = calloc(1, sizeof *t);
	bool *stale = NULL;
	size_t i;

	if (!t || !(t->w = demo_workbook()) || t->w->nprocs != 1)
		return -1;
	t->p = t->w->procs[0];
	if (t->p->nscenarios != 1 ||
	    scenario_apply(t->p, t->p->scenarios[0], &t->d, &stale, NULL) != STATUS_OK)
		return -1;
	for (i = 0; i < t->p->scenarios[0]->ncuts; i++)
		t->stale += stale[i];
	free(stale);
	if (figures_compute(t->p, &t->fb) != STATUS_OK ||
	    figures_compute(t->d, &t->fd) != STATUS_OK)
		return -1;
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct demo *t = *state;

	figures_done(&t->fb);
	figures_done(&t->fd);
	process_free(&t->d);
	workbook_free(&t->w);
	free(t);
	return 0;
}

static double
measure_s(const struct process *p, const struct figures *f, const char *name)
{
	size_t i;

	for (i = 0; i < p->nmeasures; i++)
		if (!strcmp(p->measures[i]->name, name))
			return f->measures[i].expected_s;
	fail_msg("no measure '%s'", name);
	return NAN;
}

static void
test_baseline_headline(void **state)
{
	struct demo *t = *state;

	assert_string_equal(t->p->name, DEMO_PROCESS_NAME);
	assert_int_equal(t->fb.steps, 111);
	assert_true(t->fb.handoffs > 20);
	assert_true(t->fb.manual_steps > 30);
	assert_true(fabs(measure_s(t->p, &t->fb, DEMO_MEASURE_SEEN) - 27 * 60) < 1);
	/* Arrival to an inpatient bed is hours, most of it waiting. */
	assert_true(measure_s(t->p, &t->fb, DEMO_MEASURE_ADMIT) > 6 * 3600);
	assert_true(t->fb.wait_time_s > t->fb.work_time_s);
	assert_true(t->fb.pce > 0 && t->fb.pce < 0.5);
	assert_true(t->fb.rty > 0 && t->fb.rty < 1);
	assert_true(t->fb.cost > 0);
}

static void
test_redesign_headline(void **state)
{
	struct demo *t = *state;
	double base, now;

	assert_string_equal(t->p->scenarios[0]->name, DEMO_SCENARIO_NAME);
	assert_int_equal(t->stale, 0);
	assert_int_equal(t->fd.steps, 46);
	assert_true(fabs(measure_s(t->d, &t->fd, DEMO_MEASURE_SEEN) - 3 * 60) < 1);
	base = measure_s(t->p, &t->fb, DEMO_MEASURE_ADMIT);
	now = measure_s(t->d, &t->fd, DEMO_MEASURE_ADMIT);
	assert_true(fabs((now - base) / base * 100 - -14) <= 0.5);
	assert_true(t->fd.handoffs < t->fb.handoffs);
	assert_true(t->fd.manual_steps < t->fb.manual_steps);
	assert_true(t->fd.pce > t->fb.pce);
}

/* A map of the real thing: every stage, pools with capacities, systems
 * without; the start and the end where they belong. */
static void
test_lanes_and_shape(void **state)
{
	struct demo *t = *state;
	const struct process *p = t->p;
	static const char *const names[] = {
		"Patient", "Front desk", "Triage nurse", "ED nurse", "ED physician",
		"Bed management", "Admitting team", "Transport", "Lab", "Radiology",
		"EHR", "Phone/fax",
	};
	size_t i;

	assert_int_equal(p->nlanes, 12);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_non_null(process_lane_named(p, names[i]));
	assert_int_equal(process_lane_named(p, "Patient")->stage, STAGE_CUSTOMER);
	assert_int_equal(process_lane_named(p, "Front desk")->stage, STAGE_ONSTAGE);
	assert_int_equal(process_lane_named(p, "Triage nurse")->stage, STAGE_ONSTAGE);
	assert_int_equal(process_lane_named(p, "Bed management")->stage, STAGE_OFFSTAGE);
	assert_int_equal(process_lane_named(p, "EHR")->stage, STAGE_SUPPORT);
	assert_true(process_lane_named(p, "ED physician")->capacity > 0);
	assert_int_equal(process_lane_named(p, "EHR")->capacity, 0);
	for (i = 0; i < STAGE_COUNT_; i++)
		assert_true(t->fb.by_stage[i] > 0);
	assert_int_equal(t->fb.no_lane, 0);
	assert_int_equal(p->steps[0]->type, STEP_START);
	assert_int_equal(p->steps[p->nsteps - 1]->type, STEP_END);
	assert_true(t->fb.by_type[STEP_DECISION] >= 4);
	assert_true(t->fb.by_type[STEP_WAIT] >= 3);
	assert_true(t->fb.pain_points >= 10);
	assert_int_equal(p->arrival.kind, DIST_EXP);
}

/* Every step is filled in as a workshop would: a name, a lane, a time
 * (but gateways and events), a value class on work; customer-visible steps
 * say how the patient feels; decisions have labelled branches summing to 1. */
static void
test_steps_filled_in(void **state)
{
	struct demo *t = *state;
	const struct process *p = t->p;
	size_t i, j, errors = 0, distributions = 0, notes = 0;

	for (i = 0; i < p->nsteps; i++) {
		const struct step *s = p->steps[i];
		const struct lane *l = step_lane(p, s);
		bool gateway = s->type == STEP_DECISION || s->type == STEP_START ||
		               s->type == STEP_END;

		assert_true(s->name[0] != '\0');
		assert_non_null(l);
		if (!gateway)
			assert_true(dist_mean(&s->work) + dist_mean(&s->wait) > 0);
		if (l->stage == STAGE_CUSTOMER && s->type != STEP_WAIT)
			assert_true(s->emotion != EMOTION_NONE);
		errors += s->error_rate > 0;
		distributions += s->work.kind > DIST_FIXED || s->wait.kind > DIST_FIXED;
		notes += s->note != NULL;
		if (s->type == STEP_DECISION) {
			double sum = 0;
			size_t n = 0;

			for (j = 0; j < p->nflows; j++)
				if (p->flows[j]->from == s->id) {
					assert_non_null(p->flows[j]->label);
					sum += p->flows[j]->prob;
					n++;
				}
			assert_true(n >= 2);
			assert_true(fabs(sum - 1) < 1e-9);
		}
	}
	assert_true(errors >= 8);
	assert_true(distributions >= 20);
	assert_true(notes >= 20);
}

static void
test_measures(void **state)
{
	struct demo *t = *state;
	const struct measure *seen = process_measure_named(t->p, DEMO_MEASURE_SEEN);
	const struct measure *admit = process_measure_named(t->p, DEMO_MEASURE_ADMIT);

	assert_non_null(seen);
	assert_non_null(admit);
	assert_int_equal(seen->clock, CLOCK_CUSTOMER);
	assert_int_equal(admit->clock, CLOCK_PROCESS);
	assert_int_equal(seen->from, t->p->steps[0]->id);
	assert_int_equal(admit->from, t->p->steps[0]->id);
	assert_non_null(strstr(process_step(t->p, seen->to)->name, "physician"));
	assert_non_null(strstr(process_step(t->p, admit->to)->name, "bed"));
}

/* Each call builds a new, independent workbook. */
static void
test_fresh_copies(void **state)
{
	struct workbook *a = demo_workbook(), *b = demo_workbook();

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a->procs[0], b->procs[0]);
	assert_int_equal(a->procs[0]->nsteps, b->procs[0]->nsteps);
	assert_true(a->next_id > a->procs[0]->steps[110]->id);
	workbook_free(&a);
	workbook_free(&b);
	assert_null(a);
}

/* The simulation tells the same story (DESIGN.md): 10 000 cases with the
 * default seed give means within 10 % of the expected figures, and no lane
 * is near saturation. */
static void
check_sim(const struct process *p, const struct figures *f)
{
	struct sim_options o;
	struct sim_result r;
	size_t i;

	sim_options_init(&o);
	assert_int_equal(sim_run(p, &o, &r, NULL), STATUS_OK);
	for (i = 0; i < p->nmeasures; i++)
		assert_true(fabs(r.measures[i].mean / f->measures[i].expected_s - 1) < 0.10);
	for (i = 0; i < r.nlanes; i++)
		if (r.lanes[i].capacity > 0)
			assert_true(r.lanes[i].utilisation < 0.75);
	sim_result_done(&r);
}

static void
test_simulation_agrees(void **state)
{
	struct demo *t = *state;

	check_sim(t->p, &t->fb);
	check_sim(t->d, &t->fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline_headline),
		cmocka_unit_test(test_redesign_headline),
		cmocka_unit_test(test_lanes_and_shape),
		cmocka_unit_test(test_steps_filled_in),
		cmocka_unit_test(test_measures),
		cmocka_unit_test(test_fresh_copies),
		cmocka_unit_test(test_simulation_agrees),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
