/*
 * test_edit_flow.c - the composite flow edits (model/edit_flow.c): each
 * builds one group that applies, shapes the flow graph as the user meant
 * (figures and graph read it), and undoes to the process as it was; bad
 * requests are refused with a message and leave the workbook as it was.
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

#include "model/edit_flow.h"
#include "model/figures.h"
#include "model/model.h"
#include "handmade.h"

struct fix {
	struct workbook *wb;
	struct process *p;
	sm_id s[6];
};

/* Six steps of 10 minutes each: A B C D E F. */
static int
fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof *f);
	static const char *const names[] = { "A", "B", "C", "D", "E", "F" };
	size_t i;

	assert_non_null(f);
	f->wb = workbook_new();
	f->p = workbook_add_process(f->wb, workbook_new_id(f->wb), "P");
	for (i = 0; i < 6; i++)
		f->s[i] = hm_step(f->wb, f->p, names[i], STEP_TASK, 0, dist_fixed(600),
		                  (struct dist){ DIST_NONE, { 0 } }, 0);
	*state = f;
	return 0;
}

static int
fix_teardown(void **state)
{
	struct fix *f = *state;

	workbook_free(&f->wb);
	free(f);
	return 0;
}

/* The process as text: steps (name, type) and flows (from>to prob label
 * condition), for comparing before and after an undo. */
static char *
snapshot(const struct process *p)
{
	static char buf[4096];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < p->nsteps; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s:%s ", p->steps[i]->name,
		                      step_type_name(p->steps[i]->type));
	for (i = 0; i < p->nflows; i++) {
		const struct flow *f = p->flows[i];

		n += (size_t)snprintf(buf + n, sizeof buf - n, "| %s>%s %g %s %s ",
		                      process_step(p, f->from)->name, process_step(p, f->to)->name,
		                      f->prob, f->label ? f->label : "-", f->condition ? f->condition : "-");
	}
	return buf;
}

static double
lead(const struct process *p)
{
	struct figures fg;
	double t;

	assert_int_equal(figures_compute(p, &fg), STATUS_OK);
	t = fg.lead_time_s;
	figures_done(&fg);
	return t;
}

/* Apply e, check, undo it and see the process as before. */
static void
apply_and_undo(struct fix *f, struct edit *e, void (*check)(struct fix *))
{
	char before[4096];
	struct edit *inv;
	struct err err;

	snprintf(before, sizeof before, "%s", snapshot(f->p));
	assert_non_null(e);
	assert_int_equal(e->kind, EDIT_GROUP);
	err_clear(&err);
	assert_int_equal(edit_apply(f->wb, e, &err), STATUS_OK);
	check(f);
	assert_non_null(inv = edit_inverse(e));
	assert_int_equal(edit_apply(f->wb, inv, &err), STATUS_OK);
	assert_string_equal(snapshot(f->p), before);
	edit_free(&inv);
	edit_free(&e);
}

static void
check_decision(struct fix *f)
{
	assert_int_equal(process_step(f->p, f->s[1])->type, STEP_DECISION);
	assert_string_equal(snapshot(f->p),
	                    "A:task B:decision C:task D:task E:task F:task "
	                    "| B>C 0.7 Approve amount < 1000 | B>E 0.3 Reject - ");
	/* 70 %: A B C D E F = 60m; 30 %: A B E F = 40m: 54m expected */
	assert_true(fabs(lead(f->p) - (0.7 * 3600 + 0.3 * 2400)) < 1e-6);
}

static void
test_decision(void **state)
{
	struct fix *f = *state;
	struct branch b[2] = {
		{ f->s[2], "Approve", "amount < 1000", 0.7 },
		{ f->s[4], "Reject", NULL, 0.3 },
	};
	struct edit *e = NULL;
	struct err err;

	err_clear(&err);
	assert_int_equal(edit_decision_make(f->wb, f->s[1], b, 2, &e, &err), STATUS_OK);
	assert_non_null(strstr(e->label, "step 2 'B' a decision with 2 branches"));
	apply_and_undo(f, e, check_decision);
}

static void
test_decision_refused(void **state)
{
	struct fix *f = *state;
	struct branch b[2] = { { f->s[2], NULL, NULL, -1 }, { f->s[2], NULL, NULL, -1 } };
	struct edit *e = NULL;
	struct err err;
	sm_id next = f->wb->next_id;

	err_clear(&err);
	assert_int_equal(edit_decision_make(f->wb, f->s[1], b, 2, &e, &err), STATUS_INPUT);
	assert_null(e);
	assert_string_equal(err.msg, "branches 1 and 2 both go to step 3");
	assert_int_equal(edit_decision_make(f->wb, f->s[1], b, 1, &e, &err), STATUS_INPUT);
	assert_string_equal(err.msg, "a decision needs two branches or more, got 1");
	b[1].to = f->s[1];
	assert_int_equal(edit_decision_make(f->wb, f->s[1], b, 2, &e, &err), STATUS_INPUT);
	assert_non_null(strstr(err.msg, "cannot branch to itself"));
	b[1].to = f->s[3];
	b[1].prob = 1.5;
	assert_int_equal(edit_decision_make(f->wb, f->s[1], b, 2, &e, &err), STATUS_INPUT);
	assert_string_equal(err.msg, "a probability is from 0 % to 100 %, got 150 %");
	assert_int_equal(f->p->nflows, 0);
	assert_int_equal(f->wb->next_id, next);
}

static void
check_branch(struct fix *f)
{
	/* B's way on to C stays, now explicit, with what the new branch leaves */
	assert_string_equal(snapshot(f->p), "A:task B:task C:task D:task E:task F:task "
	                                    "| B>C 0.75 - - | B>F 0.25 Skip - ");
}

static void
test_branch_add(void **state)
{
	struct fix *f = *state;
	struct branch b = { 0, "Skip", NULL, 0.25 };
	struct edit *e = NULL;
	struct err err;

	b.to = f->s[5];
	err_clear(&err);
	assert_int_equal(edit_branch_add(f->wb, f->s[1], &b, &e, &err), STATUS_OK);
	apply_and_undo(f, e, check_branch);
}

static void
check_jump(struct fix *f)
{
	/* no probability: B's one way on is now to F; C D E are skipped */
	assert_string_equal(snapshot(f->p), "A:task B:task C:task D:task E:task F:task "
	                                    "| B>F -1 - - ");
	assert_true(fabs(lead(f->p) - 1800) < 1e-6);
}

static void
test_jump(void **state)
{
	struct fix *f = *state;
	struct branch b = { 0, NULL, NULL, -1 };
	struct edit *e = NULL;
	struct err err;

	b.to = f->s[5];
	err_clear(&err);
	assert_int_equal(edit_branch_add(f->wb, f->s[1], &b, &e, &err), STATUS_OK);
	assert_string_equal(e->label, "jump from step 2 to step 6 'F'");
	apply_and_undo(f, e, check_jump);
}

static void
check_loop(struct fix *f)
{
	assert_string_equal(snapshot(f->p), "A:task B:task C:task D:task E:task F:task "
	                                    "| D>E 0.8 - - | D>B 0.2 Rework - ");
	/* B C D repeat 0.2/0.8 = 0.25 times more: 60m + 30m x 0.25 */
	assert_true(fabs(lead(f->p) - (3600 + 1800 * 0.25)) < 1e-6);
}

static void
test_loop(void **state)
{
	struct fix *f = *state;
	struct edit *e = NULL;
	struct err err;

	err_clear(&err);
	assert_int_equal(edit_loop_add(f->wb, f->s[3], f->s[1], 0.2, "Rework", &e, &err), STATUS_OK);
	assert_non_null(strstr(e->label, "loop 20 % from step 4 back to step 2"));
	apply_and_undo(f, e, check_loop);
	/* forward, to itself, out of range: refused with a reason */
	assert_int_equal(edit_loop_add(f->wb, f->s[1], f->s[3], 0.2, NULL, &e, &err), STATUS_INPUT);
	assert_non_null(strstr(err.msg, "a loop goes back"));
	assert_int_equal(edit_loop_add(f->wb, f->s[3], f->s[3], 0.2, NULL, &e, &err), STATUS_INPUT);
	assert_non_null(strstr(err.msg, "error rate"));
	assert_int_equal(edit_loop_add(f->wb, f->s[3], f->s[1], 1, NULL, &e, &err), STATUS_INPUT);
	assert_non_null(strstr(err.msg, "less than 100 %"));
	assert_null(e);
}

static void
test_loop_on_decision(void **state)
{
	struct fix *f = *state;
	struct branch b[2] = { { f->s[4], "yes", NULL, 0.5 }, { f->s[5], "no", NULL, 0.5 } };
	struct edit *e = NULL;
	struct err err;

	err_clear(&err);
	assert_int_equal(edit_decision_make(f->wb, f->s[3], b, 2, &e, &err), STATUS_OK);
	assert_int_equal(edit_apply(f->wb, e, &err), STATUS_OK);
	edit_free(&e);
	assert_int_equal(edit_loop_add(f->wb, f->s[3], f->s[0], 0.2, NULL, &e, &err), STATUS_OK);
	assert_non_null(strstr(e->label, "scaled"));
	assert_int_equal(edit_apply(f->wb, e, &err), STATUS_OK);
	edit_free(&e);
	assert_string_equal(snapshot(f->p), "A:task B:task C:task D:decision E:task F:task "
	                                    "| D>E 0.4 yes - | D>F 0.4 no - | D>A 0.2 - - ");
}

static void
check_parallel(struct fix *f)
{
	struct graph g;

	assert_string_equal(snapshot(f->p),
	                    "A:task Parallel split:parallel B:task C:task D:task "
	                    "Parallel join:parallel E:task F:task "
	                    "| Parallel split>B -1 - - | B>Parallel join -1 - - "
	                    "| Parallel split>C -1 - - | C>Parallel join -1 - - "
	                    "| Parallel split>D -1 - - | D>Parallel join -1 - - ");
	assert_int_equal(f->p->steps[1]->lane, 0);
	/* the split and join are the program's, not steps: 6 of 8 count */
	assert_true(f->p->steps[1]->generated && f->p->steps[5]->generated);
	assert_int_equal(process_step_count(f->p), 6);
	/* A, then B C D at once (10m), then E F: 40m */
	assert_true(fabs(lead(f->p) - 2400) < 1e-6);
	assert_int_equal(process_graph_build(f->p, &g), STATUS_OK);
	assert_int_equal(g.out[2] - g.out[1], 3);       /* the split: three ways */
	assert_true(g.edges[g.out[1]].prob == 1);
	graph_done(&g);
}

static void
test_parallel(void **state)
{
	struct fix *f = *state;
	struct edit *e = NULL;
	struct err err;

	err_clear(&err);
	assert_int_equal(edit_parallel_make(f->wb, f->s[1], f->s[3], &e, &err), STATUS_OK);
	assert_string_equal(e->label, "steps 2 to 4 in parallel (split and join added)");
	apply_and_undo(f, e, check_parallel);
	assert_int_equal(edit_parallel_make(f->wb, f->s[3], f->s[3], &e, &err), STATUS_INPUT);
	assert_string_equal(err.msg, "parallel: select two steps or more");
}

static void
test_parallel_refused(void **state)
{
	struct fix *f = *state;
	struct edit *e = NULL;
	struct err err;

	hm_flow(f->wb, f->p, f->s[0], f->s[2], -1, NULL);
	err_clear(&err);
	assert_int_equal(edit_parallel_make(f->wb, f->s[1], f->s[3], &e, &err), STATUS_INPUT);
	assert_string_equal(err.msg, "parallel: a flow enters step 3 in the middle of the run");
	assert_null(e);
}

static void
check_removed_jump(struct fix *f)
{
	assert_string_equal(snapshot(f->p), "A:task B:task C:task D:task E:task F:task "
	                                    "| B>E -1 Reject - ");
}

static void
test_decision_remove(void **state)
{
	struct fix *f = *state;
	struct branch b[2] = { { f->s[2], NULL, NULL, 0.7 }, { f->s[4], "Reject", NULL, 0.3 } };
	struct edit *e = NULL;
	struct err err;

	err_clear(&err);
	assert_int_equal(edit_decision_make(f->wb, f->s[1], b, 2, &e, &err), STATUS_OK);
	assert_int_equal(edit_apply(f->wb, e, &err), STATUS_OK);
	edit_free(&e);
	/* keeping the way to the next step: no explicit flow is left */
	assert_int_equal(edit_decision_remove(f->wb, f->s[1], f->p->flows[0]->id, &e, &err),
	                 STATUS_OK);
	assert_int_equal(edit_apply(f->wb, e, &err), STATUS_OK);
	assert_int_equal(f->p->nflows, 0);
	assert_int_equal(process_step(f->p, f->s[1])->type, STEP_TASK);
	{
		struct edit *inv = edit_inverse(e);

		assert_int_equal(edit_apply(f->wb, inv, &err), STATUS_OK);
		edit_free(&inv);
	}
	edit_free(&e);
	/* keeping the other way: it stays, without its probability */
	assert_int_equal(edit_decision_remove(f->wb, f->s[1], f->p->flows[1]->id, &e, &err),
	                 STATUS_OK);
	apply_and_undo(f, e, check_removed_jump);
}

static void
test_prob_check(void **state)
{
	struct fix *f = *state;
	double sum;
	size_t given, unset;

	assert_true(flow_prob_check(f->p, f->s[1], &sum, &given, &unset));
	hm_flow(f->wb, f->p, f->s[1], f->s[2], 0.6, NULL);
	hm_flow(f->wb, f->p, f->s[1], f->s[3], 0.3, NULL);
	assert_false(flow_prob_check(f->p, f->s[1], &sum, &given, &unset));
	assert_true(fabs(sum - 0.9) < 1e-12);
	assert_int_equal(given, 2);
	hm_flow(f->wb, f->p, f->s[1], f->s[4], -1, NULL);
	assert_true(flow_prob_check(f->p, f->s[1], &sum, &given, &unset));
	assert_int_equal(unset, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_decision, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_decision_refused, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_branch_add, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_jump, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_loop, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_loop_on_decision, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_parallel, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_parallel_refused, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_decision_remove, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_prob_check, fix_setup, fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
