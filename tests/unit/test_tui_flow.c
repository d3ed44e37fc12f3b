/*
 * test_tui_flow.c - flows from the keyboard, on screen: a decision made
 * with D (targets, then labels and probabilities asked in turn, or in one
 * line, or picked with Up, Down and Tab), the cursor on a branch line and the branch form (the sum said as
 * typed), a branch deleted, a rework loop (R), a parallel block (V, |), a
 * decision taken away (Z), each drawn in the map and the lane view and
 * undone; the process form (O: arrival 6/h, the lane's capacity); and the
 * simulation screen's warnings: no arrival pattern (with the key to set
 * one), an overloaded lane with its utilisation; in a process read from
 * BPMN (flows all explicit), the hand-off lines along the real flows and a
 * step typed in wired into them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "model/figures.h"
#include "tests/unit/handmade.h"
#include "tests/unit/test_tui_harness.h"

/* Six steps of a claim in three lanes; no arrival pattern. */
static struct workbook *
claims(void)
{
	struct workbook *wb = workbook_new();
	struct process *p;
	struct dist none = { DIST_NONE, { 0, 0, 0 } };
	sm_id cust, hand, fin;

	assert_non_null(wb);
	p = workbook_add_process(wb, workbook_new_id(wb), "Claims");
	cust = hm_lane(wb, p, "Customer", STAGE_CUSTOMER, 0);
	hand = hm_lane(wb, p, "Handler", STAGE_OFFSTAGE, 0);
	fin = hm_lane(wb, p, "Finance", STAGE_SUPPORT, 0);
	hm_step(wb, p, "Report the claim", STEP_TASK, cust, none, none, 0);
	hm_step(wb, p, "Check the policy", STEP_TASK, hand, dist_fixed(900), none, 0);
	hm_step(wb, p, "Approve", STEP_TASK, hand, dist_fixed(300), none, 0);
	hm_step(wb, p, "Reject", STEP_TASK, hand, dist_fixed(300), none, 0);
	hm_step(wb, p, "Pay", STEP_TASK, fin, dist_fixed(600), none, 0);
	hm_step(wb, p, "Close", STEP_TASK, hand, dist_fixed(60), none, 0);
	return wb;
}

static const struct process *
proc(const struct tt *t)
{
	return t->wb->procs[0];
}

static void
start(struct tt *t)
{
	tt_locale();
	tt_setup(t, claims());
	tt_open(t, 24, 80);
}

static void
decision_on_map_and_lane_view(void **state)
{
	struct tt t;
	const struct step *s;

	(void)state;
	start(&t);
	/* D, the targets, then each branch's label (and probability) */
	tt_keys(&t, "jD3 4<Enter>");
	assert_true(tt_shows(&t, "1/2 to 3 Approve: label [%]:"));
	tt_keys(&t, "Approved 80%<Enter>Rejected<Enter>");
	tt_expect(&t, "flow-decision");
	s = proc(&t)->steps[1];
	assert_int_equal(s->type, STEP_DECISION);
	assert_int_equal(proc(&t)->nflows, 2);
	assert_true(proc(&t)->flows[0]->prob == 0.8);
	assert_string_equal(proc(&t)->flows[1]->label, "Rejected");
	/* the one left without a probability took what was left */
	assert_true(fabs(proc(&t)->flows[1]->prob - 0.2) < 1e-12);
	tt_keys(&t, "v");
	tt_expect(&t, "flow-decision-lanes");
	/* one edit, one undo */
	tt_keys(&t, "vu");
	tt_expect(&t, "flow-decision-undone");
	assert_int_equal(proc(&t)->nflows, 0);
	assert_int_equal(proc(&t)->steps[1]->type, STEP_TASK);
	tt_done(&t);
}

static void
targets_picked_with_the_cursor(void **state)
{
	struct tt t;

	(void)state;
	start(&t);
	/* Down marks the next step, Tab types its number */
	tt_keys(&t, "jD<Down><Tab><Down><Down><Tab>");
	tt_expect(&t, "flow-pick");
	tt_keys(&t, "<Enter>Yes<Enter>No<Enter>");
	assert_int_equal(proc(&t)->nflows, 2);
	assert_ptr_equal(process_step(proc(&t), proc(&t)->flows[0]->to), proc(&t)->steps[2]);
	assert_ptr_equal(process_step(proc(&t), proc(&t)->flows[1]->to), proc(&t)->steps[4]);
	/* in the lane view, for a loop back: Up marks the step before */
	tt_keys(&t, ":4<Enter>vR<Up><Up><Tab>");
	tt_expect(&t, "flow-pick-lanes");
	tt_keys(&t, "@10%<Enter>");
	assert_int_equal(proc(&t)->nflows, 4);
	assert_true(tt_shows(&t, "loop 10 % from step 4 back to step 2"));
	tt_done(&t);
}

static void
branch_line_form_and_delete(void **state)
{
	struct tt t;

	(void)state;
	start(&t);
	tt_keys(&t, "jD3@70% Yes | 4@30% No<Enter>");
	assert_int_equal(proc(&t)->nflows, 2);
	/* j walks onto the branch lines; Enter opens the one under the cursor */
	tt_keys(&t, "jj<Enter><Tab><Tab><C-u>40%");
	tt_expect(&t, "flow-branch-form");
	tt_keys(&t, "<Enter>");
	tt_expect(&t, "flow-branch-sum");
	assert_true(proc(&t)->flows[1]->prob == 0.4);
	/* in the lane view too the cursor stands on the branch and d deletes it */
	tt_keys(&t, "v");
	tt_expect(&t, "flow-branch-lanes");
	tt_keys(&t, "d");
	assert_int_equal(proc(&t)->nflows, 1);
	assert_true(tt_shows(&t, "delete flow 'Check the policy' -> 'Reject'"));
	tt_keys(&t, "u");
	assert_int_equal(proc(&t)->nflows, 2);
	/* the form refuses a branch to its own step, as typed */
	tt_keys(&t, "vgjjj<Enter><C-u>2");
	assert_true(tt_shows(&t, "a branch back to the step itself is its error rate"));
	tt_keys(&t, "<Esc>");
	tt_done(&t);
}

static void
loop_and_parallel(void **state)
{
	struct tt t;

	(void)state;
	start(&t);
	tt_keys(&t, ":4<Enter>R2@25% Redo<Enter>");
	tt_expect(&t, "flow-loop");
	assert_int_equal(proc(&t)->nflows, 2);
	tt_keys(&t, "v");
	tt_expect(&t, "flow-loop-lanes");
	tt_keys(&t, "vu");
	assert_int_equal(proc(&t)->nflows, 0);
	/* Approve and Reject at once: split and join made */
	tt_keys(&t, ":3<Enter>Vj|");
	tt_expect(&t, "flow-parallel");
	assert_int_equal(proc(&t)->nsteps, 8);
	assert_int_equal(proc(&t)->steps[2]->type, STEP_PARALLEL);
	assert_int_equal(proc(&t)->steps[5]->type, STEP_PARALLEL);
	tt_keys(&t, "v");
	tt_expect(&t, "flow-parallel-lanes");
	tt_keys(&t, "u");
	assert_int_equal(proc(&t)->nsteps, 6);
	assert_int_equal(proc(&t)->nflows, 0);
	tt_done(&t);
}

static void
undecide_keeps_one_way(void **state)
{
	struct tt t;

	(void)state;
	start(&t);
	tt_keys(&t, "jD3@70% | 5@30% Skip<Enter>");
	/* on the second branch line: Z keeps that way */
	tt_keys(&t, "jjZ");
	tt_expect(&t, "flow-undecided");
	assert_int_equal(proc(&t)->nflows, 1);
	assert_true(proc(&t)->flows[0]->prob < 0);
	assert_int_equal(proc(&t)->steps[1]->type, STEP_TASK);
	tt_keys(&t, "u");
	assert_int_equal(proc(&t)->nflows, 2);
	assert_int_equal(proc(&t)->steps[1]->type, STEP_DECISION);
	tt_done(&t);
}

static void
process_form(void **state)
{
	struct tt t;

	(void)state;
	start(&t);
	/* the time unit is the last field, after the lane's capacity */
	tt_keys(&t, "jO<Tab>A claim from report to payment<Tab>6/h<Tab>2<Tab>");
	assert_true(tt_shows(&t, "each time in the units that read best: 1h30m shows as 1h30m"));
	tt_keys(&t, "<C-u>min");
	tt_expect(&t, "process-form");
	tt_keys(&t, "<Enter>");
	assert_int_equal(proc(&t)->arrival.kind, DIST_EXP);
	assert_true(proc(&t)->arrival.p[0] == 600);
	assert_int_equal(process_lane_named(proc(&t), "Handler")->capacity, 2);
	assert_string_equal(proc(&t)->description, "A claim from report to payment");
	assert_int_equal(proc(&t)->time_unit, TIME_UNIT_MIN);
	/* a bad rate is said under the field, and nothing is saved */
	tt_keys(&t, "O<Tab><Tab><C-u>6/fortnight");
	assert_true(tt_shows(&t, "expected a rate like 12/h"));
	tt_keys(&t, "<Enter><Esc>");
	assert_true(proc(&t)->arrival.p[0] == 600);
	/* so is a bad unit */
	tt_keys(&t, "O<Tab><Tab><Tab><Tab><C-u>parsec");
	assert_true(tt_shows(&t, "time unit: expected auto, s, min, h or d, got 'parsec'"));
	tt_keys(&t, "<Enter><Esc>");
	assert_int_equal(proc(&t)->time_unit, TIME_UNIT_MIN);
	/* one edit: undone whole */
	tt_keys(&t, "u");
	assert_int_equal(proc(&t)->arrival.kind, DIST_NONE);
	assert_int_equal(process_lane_named(proc(&t), "Handler")->capacity, 0);
	assert_int_equal(proc(&t)->time_unit, TIME_UNIT_AUTO);
	tt_done(&t);
}

/* The figures panel shows its times in the process's unit, set in the
 * process form; undo gives auto back. */
static void
time_unit_in_figures(void **state)
{
	struct tt t;

	(void)state;
	start(&t);
	tt_keys(&t, "j");
	assert_true(tt_shows(&t, "Lead 36m   Work 36m"));
	/* name, description, arrival, the lane's capacity, the time unit */
	tt_keys(&t, "O<Tab><Tab><Tab><Tab><C-u>h<Enter>");
	assert_int_equal(proc(&t)->time_unit, TIME_UNIT_H);
	tt_expect(&t, "figures-hours");
	assert_true(tt_shows(&t, "Lead 0.6h"));
	assert_true(tt_shows(&t, "Work 0.6h   Wait 0h"));
	tt_keys(&t, "O<Tab><Tab><Tab><Tab><C-u>s<Enter>");
	assert_true(tt_shows(&t, "Lead 2160s"));
	assert_true(tt_shows(&t, "Work 2160s"));
	tt_keys(&t, "O<Tab><Tab><Tab><Tab><C-u>min<Enter>");
	assert_true(tt_shows(&t, "Lead 36m   Work 36m"));
	assert_true(tt_shows(&t, "Wait 0m   PCE"));
	tt_keys(&t, "uu");
	assert_int_equal(proc(&t)->time_unit, TIME_UNIT_H);
	assert_true(tt_shows(&t, "Lead 0.6h"));
	tt_keys(&t, "u");
	assert_int_equal(proc(&t)->time_unit, TIME_UNIT_AUTO);
	assert_true(tt_shows(&t, "Lead 36m   Work 36m"));
	assert_true(tt_shows(&t, "Wait 0s"));
	tt_done(&t);
}

static void
simulation_warnings(void **state)
{
	struct tt t;

	(void)state;
	start(&t);
	tt_keys(&t, "jS");
	assert_true(tt_shows(&t, "no arrival pattern: every case arrives at once"));
	assert_true(tt_shows(&t, "O sets one (12/h)"));
	/* O from the simulation screen: the process form; one server in the
	 * Handler lane for 6 cases an hour of 26 minutes' work each */
	tt_keys(&t, "O<Tab><Tab>6/h<Tab>1<Enter>r");
	assert_false(tt_shows(&t, "no arrival pattern"));
	assert_true(tt_shows(&t, "lane 'Handler' is overloaded: utilisation 260 % offered"));
	/* from the simulation screen the form offers the overloaded lane, wherever
	 * the map's cursor is; four servers take the load */
	tt_keys(&t, "qgSO");
	assert_true(tt_shows(&t, "of lane 'Handler'"));
	tt_keys(&t, "<Tab><Tab><Tab><C-u>4<Enter>r");
	assert_int_equal(process_lane_named(proc(&t), "Handler")->capacity, 4);
	assert_false(tt_shows(&t, "overloaded"));
	assert_true(tt_shows(&t, "Baseline of Claims"));
	tt_done(&t);
}

/*
 * A process as BPMN gives it (flows all explicit): a sample sent to the lab
 * and read; "Note in the chart" has no way on (nothing follows it), "Read
 * the result" jumps past it to the archive.
 */
static struct workbook *
samples(sm_id *ids)
{
	struct workbook *wb = workbook_new();
	struct process *p;
	struct dist none = { DIST_NONE, { 0, 0, 0 } };
	sm_id nurse, lab;

	assert_non_null(wb);
	p = workbook_add_process(wb, workbook_new_id(wb), "Samples");
	p->flows_explicit = true;
	nurse = hm_lane(wb, p, "Nurse", STAGE_ONSTAGE, 0);
	lab = hm_lane(wb, p, "Lab", STAGE_OFFSTAGE, 0);
	ids[0] = hm_step(wb, p, "Sample taken", STEP_START, nurse, none, none, 0);
	ids[1] = hm_step(wb, p, "Send the sample", STEP_TASK, nurse, dist_fixed(120), none, 0);
	ids[2] = hm_step(wb, p, "Test the sample", STEP_TASK, lab, dist_fixed(900), none, 0);
	ids[3] = hm_step(wb, p, "Read the result", STEP_TASK, nurse, dist_fixed(300), none, 0);
	ids[4] = hm_step(wb, p, "Note in the chart", STEP_TASK, nurse, dist_fixed(60), none, 0);
	ids[5] = hm_step(wb, p, "Archive the sample", STEP_END, lab, none, none, 0);
	hm_flow(wb, p, ids[0], ids[1], -1, NULL);
	hm_flow(wb, p, ids[1], ids[2], -1, NULL);
	hm_flow(wb, p, ids[2], ids[3], -1, NULL);
	hm_flow(wb, p, ids[3], ids[5], -1, NULL);
	return wb;
}

/*
 * In an imported process the hand-off line under a step follows its real
 * flow: under "Send the sample" and "Test the sample" (their one flow goes
 * to the next row, in another lane), not under "Note in the chart" (no way
 * on, though the next row is the lab's); "Read the result" marks its jump
 * on its branch line. A step typed after "Send the sample" goes into the
 * flows between it and "Test the sample", not left unconnected.
 */
static void
typed_into_imported_flows(void **state)
{
	struct tt t;
	sm_id ids[6];
	const struct step *s;
	struct figures f;
	sm_id added;

	(void)state;
	tt_locale();
	tt_setup(&t, samples(ids));
	tt_open(&t, 24, 80);
	assert_true(proc(&t)->flows_explicit);
	tt_expect(&t, "imported-handoffs");
	tt_keys(&t, "jaLabel the sample<Enter>");
	assert_true(tt_shows(&t, "insert step 'Label the sample' between steps 2 and 4"));
	tt_keys(&t, "<Esc>");
	tt_expect(&t, "imported-typed");
	s = proc(&t)->steps[2];
	assert_string_equal(s->name, "Label the sample");
	added = s->id;
	assert_non_null(hm_flow_between(proc(&t), ids[1], s->id));
	assert_non_null(hm_flow_between(proc(&t), s->id, ids[2]));
	assert_null(hm_flow_between(proc(&t), ids[1], ids[2]));
	assert_int_equal(proc(&t)->nflows, 5);
	/* the figures walk through it: 7 steps, the same three hand-offs, and
	 * the lead time has its (empty) step on the way */
	assert_int_equal(figures_compute(proc(&t), &f), STATUS_OK);
	assert_int_equal(f.steps, 7);
	assert_int_equal(f.handoffs, 3);
	figures_done(&f);
	/* kept in the file as one edit; undone as one */
	tt_reopen_store(&t);
	assert_non_null(hm_flow_between(proc(&t), added, ids[2]));
	tt_open(&t, 24, 80);
	tt_keys(&t, "u");
	assert_null(process_step(proc(&t), added));
	assert_non_null(hm_flow_between(proc(&t), ids[1], ids[2]));
	assert_int_equal(proc(&t)->nflows, 4);
	tt_done(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decision_on_map_and_lane_view),
		cmocka_unit_test(targets_picked_with_the_cursor),
		cmocka_unit_test(branch_line_form_and_delete),
		cmocka_unit_test(loop_and_parallel),
		cmocka_unit_test(undecide_keeps_one_way),
		cmocka_unit_test(process_form),
		cmocka_unit_test(time_unit_in_figures),
		cmocka_unit_test(simulation_warnings),
		cmocka_unit_test(typed_into_imported_flows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
