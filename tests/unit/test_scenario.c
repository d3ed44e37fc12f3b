/*
 * test_scenario.c - each cut on hand-built processes (the steps, flows,
 * probabilities and fields that result), cuts applied in order, stale cuts
 * skipped and flagged, the baseline left untouched, and the diff marks.
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

#include "model/scenario.h"
#include "tests/unit/handmade.h"

static struct workbook *wb;
static struct process *base;
static struct scenario sc;
static sm_id front, clerk, ehr;        /* lanes */
static sm_id A, B, C, D, E, F;         /* steps of the sequential process */
static sm_id m_ae, m_cf;               /* measures */

static const struct dist NO_TIME = { DIST_NONE, { 0, 0, 0 } };

static struct dist
fixed(double s)
{
	return (struct dist){ DIST_FIXED, { s, 0, 0 } };
}

#define add_lane(...) hm_lane(wb, base, __VA_ARGS__)
#define add_flow(...) hm_flow(wb, base, __VA_ARGS__)
#define add_measure(...) hm_measure(wb, base, __VA_ARGS__)

static sm_id
add_step(const char *name, enum step_type type, sm_id lane, struct dist work)
{
	return hm_step(wb, base, name, type, lane, work, NO_TIME, 0);
}

static void
new_base(void)
{
	wb = workbook_new();
	assert_non_null(wb);
	base = workbook_add_process(wb, workbook_new_id(wb), "admission");
	assert_non_null(base);
	memset(&sc, 0, sizeof sc);
	sc.id = workbook_new_id(wb);
	sc.name = (char *)"redesign";
}

/* A B C D E F in order, no explicit flows; measures A..E and C..F. */
static int
setup_sequence(void **state)
{
	(void)state;
	new_base();
	front = add_lane("Front desk", STAGE_ONSTAGE, 2);
	clerk = add_lane("Clerk", STAGE_OFFSTAGE, 1);
	ehr = add_lane("EHR", STAGE_SUPPORT, 0);
	A = add_step("A", STEP_TASK, front, fixed(60));
	B = add_step("B", STEP_MANUAL, front, fixed(120));
	C = add_step("C", STEP_USER, clerk, (struct dist){ DIST_TRI, { 60, 120, 300 } });
	D = add_step("D", STEP_TASK, clerk, fixed(30));
	E = add_step("E", STEP_TASK, front, fixed(45));
	F = add_step("F", STEP_TASK, clerk, NO_TIME);
	m_ae = add_measure("A to E", A, E);
	m_cf = add_measure("C to F", C, F);
	return 0;
}

static int
teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sc.ncuts; i++)
		cut_free(&sc.cuts[i]);
	free(sc.cuts);
	memset(&sc, 0, sizeof sc);
	workbook_free(&wb);
	base = NULL;
	return 0;
}

static struct cut *
add_cut(enum cut_kind kind, sm_id step, sm_id step2)
{
	struct cut *c = calloc(1, sizeof *c), **a;

	assert_non_null(c);
	c->id = workbook_new_id(wb);
	c->key = (double)sc.ncuts;
	c->kind = kind;
	c->step = step;
	c->step2 = step2;
	c->time_factor = c->error_factor = 1;
	a = realloc(sc.cuts, (sc.ncuts + 1) * sizeof *a);
	assert_non_null(a);
	sc.cuts = a;
	sc.cuts[sc.ncuts++] = c;
	return c;
}

/* Apply sc; the derived process and the stale flags. */
static struct process *
derive(bool **stale)
{
	struct process *out = NULL;
	struct err err = { 0 };

	if (scenario_apply(base, &sc, &out, stale, &err) != STATUS_OK)
		fail_msg("scenario_apply: %s", err.msg);
	assert_non_null(out);
	return out;
}

/* The names of p's steps in order, joined by spaces. */
static const char *
order(const struct process *p)
{
	static char buf[512];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < p->nsteps; i++) {
		assert_int_equal(p->steps[i]->index, i);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? " " : "",
		                      p->steps[i]->name);
	}
	return buf;
}

/* The effective edge from -> to in p's graph, its probability; -1 if none. */
static double
edge(const struct process *p, sm_id from, sm_id to)
{
	struct graph g;
	const struct step *a = process_step(p, from), *b = process_step(p, to);
	double prob = -1;
	size_t k;

	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	for (k = g.out[a->index]; k < g.out[a->index + 1]; k++)
		if (g.edges[k].to == b->index)
			prob = g.edges[k].prob;
	graph_done(&g);
	return prob;
}

static size_t
outdegree(const struct process *p, sm_id from)
{
	struct graph g;
	size_t n;
	const struct step *a = process_step(p, from);

	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	n = g.out[a->index + 1] - g.out[a->index];
	graph_done(&g);
	return n;
}

/* --- remove ----------------------------------------------------------------- */

static void
test_remove_in_a_sequence(void **state)
{
	struct process *out;
	bool *stale;

	(void)state;
	add_cut(CUT_REMOVE, C, 0);
	out = derive(&stale);
	assert_false(stale[0]);
	assert_string_equal(order(out), "A B D E F");
	assert_null(process_step(out, C));
	assert_true(edge(out, B, D) == 1);
	assert_int_equal(out->nflows, 0);
	/* the measure that started at C starts at its successor */
	assert_true(process_measure(out, m_cf)->from == D);
	/* the baseline is untouched */
	assert_string_equal(order(base), "A B C D E F");
	assert_non_null(process_step(base, C));
	process_free(&out);
	free(stale);
}

static void
test_remove_measure_ends_move_to_neighbours(void **state)
{
	struct process *out;

	(void)state;
	add_cut(CUT_REMOVE, A, 0);
	add_cut(CUT_REMOVE, E, 0);
	out = derive(NULL);
	assert_string_equal(order(out), "B C D F");
	assert_true(process_measure(out, m_ae)->from == B);
	assert_true(process_measure(out, m_ae)->to == D);
	process_free(&out);
}

/* S, Dc (decision) -> X 0.4 "yes" / Y 0.6 "no"; X -> Z; Y and Z by order. */
static sm_id S, Dc, X, Y, Z;

static int
setup_decision(void **state)
{
	(void)state;
	new_base();
	front = add_lane("Front desk", STAGE_ONSTAGE, 1);
	S = add_step("S", STEP_TASK, front, fixed(10));
	Dc = add_step("imaging?", STEP_DECISION, front, NO_TIME);
	X = add_step("X", STEP_TASK, front, fixed(20));
	Y = add_step("Y", STEP_TASK, front, fixed(30));
	Z = add_step("Z", STEP_TASK, front, fixed(40));
	add_flow(Dc, X, 0.4, "yes");
	add_flow(Dc, Y, 0.6, "no");
	add_flow(X, Z, -1, NULL);
	return 0;
}

static void
test_remove_decision_hands_branches_to_predecessor(void **state)
{
	struct process *out;

	(void)state;
	add_cut(CUT_REMOVE, Dc, 0);
	out = derive(NULL);
	assert_string_equal(order(out), "S X Y Z");
	assert_true(fabs(edge(out, S, X) - 0.4) < 1e-12);
	assert_true(fabs(edge(out, S, Y) - 0.6) < 1e-12);
	assert_string_equal(hm_flow_between(out, S, X)->label, "yes");
	assert_true(edge(out, X, Z) == 1);
	process_free(&out);
}

static void
test_remove_branch_target_multiplies_through(void **state)
{
	struct process *out;

	(void)state;
	add_cut(CUT_REMOVE, X, 0);
	out = derive(NULL);
	assert_string_equal(order(out), "S imaging? Y Z");
	assert_true(fabs(edge(out, Dc, Z) - 0.4) < 1e-12);
	assert_true(fabs(edge(out, Dc, Y) - 0.6) < 1e-12);
	/* the label stays from the predecessor's side */
	assert_string_equal(hm_flow_between(out, Dc, Z)->label, "yes");
	assert_int_equal(outdegree(out, Dc), 2);
	process_free(&out);
}

/* --- merge ------------------------------------------------------------------ */

static void
test_merge_consecutive(void **state)
{
	struct process *out;
	const struct step *m;
	bool *stale;

	(void)state;
	process_step(base, A)->error_rate = 0.1;
	process_step(base, B)->error_rate = 0.2;
	process_step(base, A)->value = VALUE_NVA;
	process_step(base, B)->value = VALUE_VA;
	process_step(base, B)->pain = true;
	process_step(base, A)->cost = 5;
	process_step(base, B)->cost = 7.5;
	process_step(base, B)->wait = fixed(300);
	add_cut(CUT_MERGE, A, B);
	add_cut(CUT_MERGE, C, D);    /* tri + fixed: means into a fixed time */
	out = derive(&stale);
	assert_false(stale[0]);
	assert_false(stale[1]);
	assert_string_equal(order(out), "A + B C + D E F");
	m = process_step(out, A);
	assert_int_equal(m->type, STEP_TASK);
	assert_true(m->lane == front);
	assert_true(m->work.kind == DIST_FIXED && m->work.p[0] == 180);
	assert_true(m->wait.kind == DIST_FIXED && m->wait.p[0] == 300);
	assert_true(fabs(m->error_rate - (1 - 0.9 * 0.8)) < 1e-12);
	assert_int_equal(m->value, VALUE_VA);
	assert_true(m->pain);
	assert_true(m->cost == 12.5);
	m = process_step(out, C);
	assert_true(m->work.kind == DIST_FIXED && fabs(m->work.p[0] - (160 + 30)) < 1e-9);
	assert_int_equal(m->type, STEP_USER);
	assert_null(process_step(out, B));
	assert_null(process_step(out, D));
	process_free(&out);
	free(stale);
}

static void
test_merge_keeps_second_steps_flows(void **state)
{
	struct process *out;

	(void)state;
	add_cut(CUT_MERGE, S, Dc);
	out = derive(NULL);
	assert_string_equal(order(out), "S + imaging? X Y Z");
	assert_true(fabs(edge(out, S, X) - 0.4) < 1e-12);
	assert_true(fabs(edge(out, S, Y) - 0.6) < 1e-12);
	process_free(&out);
}

static void
test_merge_not_consecutive_is_stale(void **state)
{
	struct process *out;
	bool *stale;

	(void)state;
	add_cut(CUT_MERGE, A, C);
	add_cut(CUT_MERGE, B, A);    /* out of order */
	add_cut(CUT_MERGE, E, F);    /* still applies */
	out = derive(&stale);
	assert_true(stale[0]);
	assert_true(stale[1]);
	assert_false(stale[2]);
	assert_string_equal(order(out), "A B C D E + F");
	process_free(&out);
	free(stale);
}

/* --- automate, move, parallel, capacity, set ------------------------- */

static void
test_automate(void **state)
{
	struct process *out;
	const struct step *s;
	struct cut *c;
	bool *stale;

	(void)state;
	process_step(base, C)->error_rate = 0.2;
	process_step(base, C)->wait = fixed(600);
	c = add_cut(CUT_AUTOMATE, C, 0);
	c->time_factor = 0.1;
	c->error_factor = 0.25;
	c->lane = ehr;
	c = add_cut(CUT_AUTOMATE, D, 0);
	c->lane = 999999;            /* no such lane */
	out = derive(&stale);
	assert_false(stale[0]);
	assert_true(stale[1]);
	s = process_step(out, C);
	assert_int_equal(s->type, STEP_SERVICE);
	assert_true(s->lane == ehr);
	assert_true(s->work.kind == DIST_TRI);
	assert_true(fabs(s->work.p[0] - 6) < 1e-9 && fabs(s->work.p[2] - 30) < 1e-9);
	assert_true(fabs(s->wait.p[0] - 60) < 1e-9);
	assert_true(fabs(s->error_rate - 0.05) < 1e-12);
	assert_int_equal(process_step(out, D)->type, STEP_TASK);
	/* baseline fields unchanged */
	assert_int_equal(process_step(base, C)->type, STEP_USER);
	assert_true(process_step(base, C)->lane == clerk);
	process_free(&out);
	free(stale);
}

static void
test_move(void **state)
{
	struct process *out;

	(void)state;
	add_cut(CUT_MOVE, E, A);     /* E right after A */
	out = derive(NULL);
	assert_string_equal(order(out), "A E B C D F");
	assert_true(edge(out, A, E) == 1 && edge(out, E, B) == 1 && edge(out, D, F) == 1);
	/* a move keeps the measures on the moved step */
	assert_true(process_measure(out, m_ae)->to == E);
	process_free(&out);

	teardown(NULL);
	setup_sequence(NULL);
	add_cut(CUT_MOVE, F, 0);     /* to the front */
	out = derive(NULL);
	assert_string_equal(order(out), "F A B C D E");
	process_free(&out);
}

static void
test_move_after_decision_takes_its_branches(void **state)
{
	struct process *out;

	(void)state;
	add_cut(CUT_MOVE, Z, Dc);
	out = derive(NULL);
	assert_string_equal(order(out), "S imaging? Z X Y");
	assert_true(edge(out, Dc, Z) == 1);
	assert_true(fabs(edge(out, Z, X) - 0.4) < 1e-12);
	assert_true(fabs(edge(out, Z, Y) - 0.6) < 1e-12);
	/* X flowed to Z, which moved away: X now flows on by order */
	assert_true(edge(out, X, Y) == 1);
	process_free(&out);
}

static void
test_parallel(void **state)
{
	struct process *out;
	const struct step *split, *join;
	bool *stale;
	sm_id maxid = wb->next_id;

	(void)state;
	add_cut(CUT_PARALLEL, B, D);
	add_cut(CUT_PARALLEL, E, D);  /* out of order: stale */
	out = derive(&stale);
	assert_false(stale[0]);
	assert_true(stale[1]);
	assert_int_equal(out->nsteps, 8);
	split = out->steps[1];
	join = out->steps[5];
	assert_int_equal(split->type, STEP_PARALLEL);
	assert_int_equal(join->type, STEP_PARALLEL);
	assert_true(split->id >= maxid && join->id >= maxid);
	assert_true(edge(out, A, split->id) == 1);
	assert_int_equal(outdegree(out, split->id), 3);
	assert_true(edge(out, split->id, B) == 1 && edge(out, split->id, C) == 1 &&
	            edge(out, split->id, D) == 1);
	assert_true(edge(out, B, join->id) == 1 && edge(out, C, join->id) == 1 &&
	            edge(out, D, join->id) == 1);
	assert_int_equal(outdegree(out, B), 1);
	assert_true(edge(out, join->id, E) == 1);
	process_free(&out);
	free(stale);
}

static void
test_capacity_and_set(void **state)
{
	struct process *out;
	struct cut *c;
	bool *stale;

	(void)state;
	c = add_cut(CUT_CAPACITY, 0, 0);
	c->lane = clerk;
	c->capacity = 4;
	c = add_cut(CUT_CAPACITY, 0, 0);
	c->lane = 424242;
	c->capacity = 4;
	c = add_cut(CUT_SET, D, 0);
	c->field = strdup("work");
	c->value = strdup("10m");
	c = add_cut(CUT_SET, D, 0);
	c->field = strdup("error_rate");
	c->value = strdup("1.5");    /* invalid: stale */
	c = add_cut(CUT_SET, D, 0);
	c->field = strdup("colour");  /* no such field */
	c->value = strdup("red");
	c = add_cut(CUT_SET, D, 0);
	c->field = strdup("lane");
	c->value = strdup("EHR");
	out = derive(&stale);
	assert_false(stale[0]);
	assert_true(stale[1]);
	assert_false(stale[2]);
	assert_true(stale[3]);
	assert_true(stale[4]);
	assert_false(stale[5]);
	assert_int_equal(process_lane(out, clerk)->capacity, 4);
	assert_int_equal(process_lane(base, clerk)->capacity, 1);
	assert_true(process_step(out, D)->work.kind == DIST_FIXED &&
	            process_step(out, D)->work.p[0] == 600);
	assert_true(process_step(out, D)->error_rate == 0);
	assert_true(process_step(out, D)->lane == ehr);
	process_free(&out);
	free(stale);
}

/* --- order, staleness, marks ------------------------------------------- */

static void
test_stale_cuts_never_crash(void **state)
{
	struct process *out;
	bool *stale;
	size_t i;

	(void)state;
	add_cut(CUT_REMOVE, 999999, 0);          /* a deleted step */
	add_cut(CUT_REMOVE, C, 0);
	add_cut(CUT_AUTOMATE, C, 0);             /* C is gone by now */
	add_cut(CUT_MERGE, B, C);                /* so is this pair */
	add_cut(CUT_MOVE, D, 999999);
	add_cut(CUT_MOVE, D, D);
	add_cut(CUT_PARALLEL, D, 999999);
	add_cut(CUT_PARALLEL, E, E);
	add_cut(CUT_SET, 999999, 0);
	add_cut(CUT_REMOVE, 0, 0);
	add_cut(CUT_AUTOMATE, D, 0);             /* still applies */
	out = derive(&stale);
	for (i = 0; i < sc.ncuts; i++)
		assert_int_equal(stale[i], i != 1 && i != 10);
	assert_string_equal(order(out), "A B D E F");
	assert_int_equal(process_step(out, D)->type, STEP_SERVICE);
	process_free(&out);
	free(stale);
}

static void
test_cuts_apply_in_order(void **state)
{
	struct process *out;
	bool *stale;

	(void)state;
	/* merge, then the merged step moves to the end, then gets automated */
	add_cut(CUT_MERGE, A, B);
	add_cut(CUT_MOVE, A, F);
	add_cut(CUT_AUTOMATE, A, 0);
	out = derive(&stale);
	assert_false(stale[0] || stale[1] || stale[2]);
	assert_string_equal(order(out), "C D E F A + B");
	assert_int_equal(process_step(out, A)->type, STEP_SERVICE);
	process_free(&out);
	free(stale);
}

static void
test_empty_scenario_is_the_baseline(void **state)
{
	struct process *out;
	size_t i;

	(void)state;
	out = derive(NULL);
	assert_int_equal(out->nsteps, base->nsteps);
	assert_int_equal(out->nlanes, base->nlanes);
	assert_int_equal(out->nmeasures, base->nmeasures);
	for (i = 0; i < out->nsteps; i++) {
		assert_true(out->steps[i]->id == base->steps[i]->id);
		assert_true(dist_equal(&out->steps[i]->work, &base->steps[i]->work));
	}
	assert_true(out->id == base->id);
	assert_int_equal(out->nscenarios, 0);
	process_free(&out);
}

static void
test_marks(void **state)
{
	enum cut_mark *m;
	struct cut *c;

	(void)state;
	add_cut(CUT_MERGE, A, B);
	add_cut(CUT_REMOVE, C, 0);
	add_cut(CUT_AUTOMATE, D, 0);
	add_cut(CUT_AUTOMATE, C, 0);            /* stale: C removed */
	add_cut(CUT_MOVE, F, A);
	c = add_cut(CUT_SET, E, 0);
	c->field = strdup("note");
	c->value = strdup("ask twice");
	m = scenario_marks(base, &sc);
	assert_non_null(m);
	assert_int_equal(m[0], MARK_MERGED);
	assert_int_equal(m[1], MARK_MERGED);
	assert_int_equal(m[2], MARK_REMOVED);
	assert_int_equal(m[3], MARK_AUTOMATED);
	assert_int_equal(m[4], MARK_CHANGED);
	assert_int_equal(m[5], MARK_MOVED);
	free(m);
	assert_string_equal(cut_mark_glyph(MARK_REMOVED, false), "x");
	assert_string_equal(cut_mark_glyph(MARK_PARALLEL, true), "∥");

	teardown(NULL);
	setup_sequence(NULL);
	add_cut(CUT_PARALLEL, B, D);
	m = scenario_marks(base, &sc);
	assert_int_equal(m[0], MARK_NONE);
	assert_int_equal(m[1], MARK_PARALLEL);
	assert_int_equal(m[2], MARK_PARALLEL);
	assert_int_equal(m[3], MARK_PARALLEL);
	assert_int_equal(m[4], MARK_NONE);
	free(m);
}

/* One pass gives what scenario_apply() and scenario_marks() give apart. */
static void
test_apply_and_marks_in_one_pass(void **state)
{
	struct process *one = NULL, *two = NULL;
	bool *stale1 = NULL, *stale2 = NULL;
	enum cut_mark *m1 = NULL, *m2;
	struct err err = { 0 };
	size_t i;

	(void)state;
	add_cut(CUT_MERGE, A, B);
	add_cut(CUT_REMOVE, C, 0);
	add_cut(CUT_AUTOMATE, C, 0);            /* stale: C removed */
	add_cut(CUT_PARALLEL, D, E);
	add_cut(CUT_MOVE, F, A);
	assert_int_equal(scenario_apply_marks(base, &sc, &one, &stale1, &m1, &err), STATUS_OK);
	assert_int_equal(scenario_apply(base, &sc, &two, &stale2, &err), STATUS_OK);
	m2 = scenario_marks(base, &sc);
	assert_non_null(one);
	assert_non_null(m2);
	assert_int_equal(one->nsteps, two->nsteps);
	assert_int_equal(one->nsteps, 6);       /* A+B, D, E, F, the split and the join */
	for (i = 0; i < one->nsteps; i++) {
		assert_true(one->steps[i]->id == two->steps[i]->id);
		assert_string_equal(one->steps[i]->name, two->steps[i]->name);
	}
	assert_int_equal(one->nflows, two->nflows);
	for (i = 0; i < sc.ncuts; i++)
		assert_int_equal(stale1[i], stale2[i]);
	assert_true(stale1[2] && !stale1[0] && !stale1[3]);
	for (i = 0; i < base->nsteps; i++)
		assert_int_equal(m1[i], m2[i]);
	assert_int_equal(m1[2], MARK_REMOVED);
	assert_int_equal(m1[3], MARK_PARALLEL);
	/* stale and marks are optional */
	process_free(&one);
	assert_int_equal(scenario_apply_marks(base, &sc, &one, NULL, NULL, &err), STATUS_OK);
	assert_int_equal(one->nsteps, two->nsteps);
	process_free(&one);
	process_free(&two);
	free(stale1);
	free(stale2);
	free(m1);
	free(m2);
}

int
main(void)
{
#define SEQ(t) cmocka_unit_test_setup_teardown(t, setup_sequence, teardown)
#define DEC(t) cmocka_unit_test_setup_teardown(t, setup_decision, teardown)
	const struct CMUnitTest tests[] = {
		SEQ(test_remove_in_a_sequence),
		SEQ(test_remove_measure_ends_move_to_neighbours),
		DEC(test_remove_decision_hands_branches_to_predecessor),
		DEC(test_remove_branch_target_multiplies_through),
		SEQ(test_merge_consecutive),
		DEC(test_merge_keeps_second_steps_flows),
		SEQ(test_merge_not_consecutive_is_stale),
		SEQ(test_automate),
		SEQ(test_move),
		DEC(test_move_after_decision_takes_its_branches),
		SEQ(test_parallel),
		SEQ(test_capacity_and_set),
		SEQ(test_stale_cuts_never_crash),
		SEQ(test_cuts_apply_in_order),
		SEQ(test_empty_scenario_is_the_baseline),
		SEQ(test_marks),
		SEQ(test_apply_and_marks_in_one_pass),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
