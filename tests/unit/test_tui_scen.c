/*
 * test_tui_scen.c - scenarios in the workbench, on a workbook file: each cut
 * kind marked on the map (x remove, M merge, A automate, J/K move, V then P
 * parallel, :cut set and capacity) with its mark on screen, the cut in the
 * workbook (and in the file after a restart), and the panel's deltas worked
 * by hand; undo of a cut; X taking one back; a stale cut counted and listed;
 * a cut key with the baseline shown (it offers a new scenario, never edits
 * the baseline); switching scenario through the list and by :scenario; the
 * compare screen; and the demo's own scenario "Physician in triage, bedside
 * registration" showing 111 -> 46 steps and arrival -> physician 27m -> 3m.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "examples/demo.h"
#include "model/figures.h"
#include "model/scenario.h"
#include "tests/unit/handmade.h"
#include "tests/unit/test_tui_harness.h"

static struct process *
proc0(const struct tt *t)
{
	assert_true(t->wb->nprocs > 0);
	return t->wb->procs[0];
}

static struct scenario *
scen(const struct tt *t, const char *name)
{
	struct scenario *sc = process_scenario_named(proc0(t), name);

	assert_non_null(sc);
	return sc;
}

static sm_id
step_id(const struct tt *t, size_t number)
{
	assert_true(number >= 1 && number <= proc0(t)->nsteps);
	return proc0(t)->steps[number - 1]->id;
}

/* The screen's line that holds text (NULL when none): for checking a row's
 * mark and the panel's figures on the same line. */
static bool
line_has(struct tt *t, const char *text, const char *also)
{
	char *screen = tui_test_screen(t->tui), *line, *save = NULL;
	bool found = false;

	assert_non_null(screen);
	for (line = strtok_r(screen, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save))
		found = strstr(line, text) && strstr(line, also);
	free(screen);
	return found;
}

static void
each_cut_on_the_map(void **state)
{
	struct tt t;
	struct scenario *sc;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 30, 100);
	tt_keys(&t, ":scenario new Paperless<Enter>");
	assert_true(tt_shows(&t, "scenario: Paperless"));
	sc = scen(&t, "Paperless");
	assert_int_equal(sc->ncuts, 0);

	/* x: step 3 goes; its 1m of work leaves the lead time (32m -> 31m) */
	tt_keys(&t, ":3<Enter>x");
	tt_expect(&t, "scen-remove");
	assert_int_equal(sc->ncuts, 1);
	assert_int_equal(sc->cuts[0]->kind, CUT_REMOVE);
	assert_true(sc->cuts[0]->step == step_id(&t, 3));
	assert_true(line_has(&t, "✗ Reception", "Write the visit"));
	assert_true(line_has(&t, "Steps", "9 → 8"));
	assert_true(line_has(&t, "Manual steps", "4 → 3"));
	assert_true(line_has(&t, "Lead time", "32m → 31m"));
	/* the baseline is untouched */
	assert_int_equal(proc0(&t)->nsteps, 9);

	/* M: step 6 merged with the next, 7 */
	tt_keys(&t, ":6<Enter>M");
	assert_int_equal(sc->ncuts, 2);
	assert_int_equal(sc->cuts[1]->kind, CUT_MERGE);
	assert_true(sc->cuts[1]->step == step_id(&t, 6) && sc->cuts[1]->step2 == step_id(&t, 7));
	/* one line, as the scenario has them: "Draw blood + Analyse the sample" */
	assert_true(line_has(&t, "6 ⊕ Nurse", "Draw blood + Analyse"));
	assert_false(tt_shows(&t, "⊕ Lab system"));
	assert_true(line_has(&t, "Steps", "9 → 7"));

	/* A: step 2 becomes a service, time and errors x0.1: 7m -> 42s */
	tt_keys(&t, ":2<Enter>A");
	assert_int_equal(sc->ncuts, 3);
	assert_int_equal(sc->cuts[2]->kind, CUT_AUTOMATE);
	assert_true(sc->cuts[2]->time_factor == 0.1 && sc->cuts[2]->error_factor == 0.1);
	assert_true(line_has(&t, "⚡Reception", "Check in at"));
	assert_true(line_has(&t, "Manual steps", "4 → 2"));
	/* A again on the same step: refused, nothing added */
	tt_keys(&t, "A");
	assert_true(tt_shows(&t, "automated already"));
	assert_int_equal(sc->ncuts, 3);

	/* K: vital signs before the check-in (after step 1) */
	tt_keys(&t, ":4<Enter>K");
	assert_int_equal(sc->ncuts, 4);
	assert_int_equal(sc->cuts[3]->kind, CUT_MOVE);
	assert_true(sc->cuts[3]->step == step_id(&t, 4) && sc->cuts[3]->step2 == step_id(&t, 1));
	assert_true(line_has(&t, "↕ Nurse", "Take vital signs"));
	/* the baseline's order stays */
	assert_string_equal(proc0(&t)->steps[3]->name, "Take vital signs");

	/* :cut set and :cut capacity */
	tt_keys(&t, ":8<Enter>:cut set name Send the patient home with a leaflet<Enter>");
	assert_int_equal(sc->ncuts, 5);
	assert_int_equal(sc->cuts[4]->kind, CUT_SET);
	assert_string_equal(sc->cuts[4]->field, "name");
	assert_string_equal(sc->cuts[4]->value, "Send the patient home with a leaflet");
	assert_true(line_has(&t, "✎ Nurse", "Send the patient"));
	tt_keys(&t, ":cut capacity Nurse 3<Enter>");
	assert_int_equal(sc->ncuts, 6);
	assert_int_equal(sc->cuts[5]->kind, CUT_CAPACITY);
	assert_int_equal(sc->cuts[5]->capacity, 3);
	assert_true(line_has(&t, "Cuts", "6"));
	tt_expect(&t, "scen-cuts");

	/* the cuts are in the file, and the workbook remembers the scenario
	 * shown: after a restart it is shown again, marks and all */
	tt_reopen_store(&t);
	tt_open(&t, 30, 100);
	assert_true(tt_shows(&t, "scenario: Paperless"));
	assert_true(line_has(&t, "✗ Reception", "Write the visit"));
	tt_keys(&t, ":scenario baseline<Enter>");
	assert_false(tt_shows(&t, "✗"));
	tt_reopen_store(&t);
	tt_open(&t, 30, 100);
	assert_false(tt_shows(&t, "✗"));  /* the baseline, as left */
	tt_keys(&t, ":scenario Paperless<Enter>");
	assert_int_equal(scen(&t, "Paperless")->ncuts, 6);
	assert_true(line_has(&t, "✗ Reception", "Write the visit"));
	assert_true(line_has(&t, "Steps", "9 → 7"));
	tt_done(&t);
}

static void
parallel_undo_and_take_back(void **state)
{
	struct tt t;
	struct scenario *sc;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 30, 100);
	tt_keys(&t, ":scenario new Both at once<Enter>");
	sc = scen(&t, "Both at once");
	/* P without a selection says how */
	tt_keys(&t, ":6<Enter>P");
	assert_true(tt_shows(&t, "select the steps first"));
	/* V starts a selection, moving extends it, P applies it */
	tt_keys(&t, "Vj");
	assert_true(line_has(&t, "┃", "Draw blood"));
	tt_expect(&t, "scen-selection");
	tt_keys(&t, "P");
	assert_int_equal(sc->ncuts, 1);
	assert_int_equal(sc->cuts[0]->kind, CUT_PARALLEL);
	assert_true(sc->cuts[0]->step == step_id(&t, 6) && sc->cuts[0]->step2 == step_id(&t, 7));
	assert_true(line_has(&t, "∥ Nurse", "Draw blood"));
	assert_true(line_has(&t, "∥ Lab system", "Analyse the"));
	/* a split and a join are added around them, which are not steps */
	assert_true(line_has(&t, "Steps", "9 → 9"));
	assert_false(tt_shows(&t, "┃"));
	/* u takes the cut back like any edit */
	tt_keys(&t, "u");
	assert_int_equal(sc->ncuts, 0);
	assert_false(tt_shows(&t, "∥"));
	assert_true(line_has(&t, "Steps", "9 → 9"));
	/* Esc drops a selection */
	tt_keys(&t, "Vj<Esc>");
	assert_false(tt_shows(&t, "┃"));
	/* X takes back the last cut on the step under the cursor */
	tt_keys(&t, ":3<Enter>x:2<Enter>x:3<Enter>");
	assert_int_equal(sc->ncuts, 2);
	tt_keys(&t, "X");
	assert_int_equal(sc->ncuts, 1);
	assert_true(sc->cuts[0]->step == step_id(&t, 2));
	assert_true(tt_shows(&t, "take back: remove step 3"));
	assert_false(line_has(&t, "✗", "Write the visit"));
	tt_keys(&t, "X");
	assert_true(tt_shows(&t, "no cut on step 3"));
	/* a removed step takes no other cut */
	tt_keys(&t, ":2<Enter>A");
	assert_true(tt_shows(&t, "removed in this scenario"));
	assert_int_equal(sc->ncuts, 1);
	tt_done(&t);
}

static void
moves_make_one_cut_per_step(void **state)
{
	struct tt t;
	struct scenario *sc;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 30, 100);
	tt_keys(&t, ":scenario new Order<Enter>:4<Enter>K");
	sc = scen(&t, "Order");
	assert_int_equal(sc->ncuts, 1);
	assert_true(sc->cuts[0]->step2 == step_id(&t, 2));
	/* again: the same cut moves on, to after step 1, then to the front */
	tt_keys(&t, "K");
	assert_int_equal(sc->ncuts, 1);
	assert_true(sc->cuts[0]->step2 == step_id(&t, 1));
	tt_keys(&t, "K");
	assert_int_equal(sc->ncuts, 1);
	assert_true(sc->cuts[0]->step2 == 0);
	tt_keys(&t, "K");
	assert_true(tt_shows(&t, "already first in the scenario"));
	/* down again to its own place: the cut goes */
	tt_keys(&t, "JJ");
	assert_int_equal(sc->ncuts, 1);
	tt_keys(&t, "J");
	assert_int_equal(sc->ncuts, 0);
	assert_true(tt_shows(&t, "back in its place"));
	assert_false(tt_shows(&t, "↕"));
	/* one undo brings the last move back */
	tt_keys(&t, "u");
	assert_int_equal(sc->ncuts, 1);
	assert_true(sc->cuts[0]->step2 == step_id(&t, 2));
	/* with the baseline shown J and K edit the baseline as always */
	tt_keys(&t, ":scenario baseline<Enter>");
	assert_true(tt_shows(&t, "Clinic visit · baseline"));
	tt_keys(&t, "K");
	assert_string_equal(proc0(&t)->steps[2]->name, "Take vital signs");
	tt_done(&t);
}

/* A process long enough that its figures wait for the keys to stop. */
static struct workbook *
long_process(size_t n)
{
	struct workbook *wb = workbook_new();
	struct process *p;
	sm_id lane;
	size_t i;
	char name[64];

	assert_non_null(wb);
	p = workbook_add_process(wb, workbook_new_id(wb), "Long");
	assert_non_null(p);
	lane = hm_lane(wb, p, "Clerk", STAGE_OFFSTAGE, 0);
	for (i = 0; i < n; i++) {
		struct step *s = calloc(1, sizeof *s);

		assert_non_null(s);
		step_init(s);
		free(s->name);
		snprintf(name, sizeof name, "Step %zu", i + 1);
		s->name = strdup(name);
		s->id = workbook_new_id(wb);
		s->key = 1024.0 * (double)(i + 1);
		s->lane = lane;
		s->work = dist_fixed(60);
		assert_int_equal(process_add_step(p, s), STATUS_OK);
	}
	process_reindex(p);
	return wb;
}

static void
moves_on_a_large_process_before_the_keys_stop(void **state)
{
	struct tt t;
	struct scenario *sc;

	(void)state;
	tt_setup(&t, long_process(80000));
	tt_open(&t, 30, 100);
	/* step 102 removed in the scenario; then J three times on step 100,
	 * each key drawn before the figures follow (as when typed quickly) */
	tt_keys(&t, ":scenario new Long<Enter>:102<Enter>x:100<Enter>");
	sc = scen(&t, "Long");
	tui_test_keys(t.tui, "J");
	assert_true(tt_shows(&t, "updating"));
	tui_test_keys(t.tui, "JJ");
	assert_true(tt_shows(&t, "updating"));
	assert_int_equal(sc->ncuts, 2);
	/* one move cut: after 101, 103 (102 is removed), then 104 */
	assert_true(sc->cuts[1]->kind == CUT_MOVE && sc->cuts[1]->step == step_id(&t, 100));
	assert_true(sc->cuts[1]->step2 == step_id(&t, 104));
	tui_test_keys(t.tui, "K");
	assert_true(sc->cuts[1]->step2 == step_id(&t, 103));
	tui_test_keys(t.tui, "KK");
	assert_int_equal(sc->ncuts, 1);
	assert_true(tt_shows(&t, "back in its place"));
	tui_test_keys(t.tui, "K");
	assert_true(sc->cuts[1]->step2 == step_id(&t, 98));
	tui_test_idle(t.tui);
	assert_false(tt_shows(&t, "updating"));
	assert_true(line_has(&t, "↕ Clerk", "Step 100"));
	tt_done(&t);
}

static void
stale_cut_is_counted_and_listed(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 30, 100);
	tt_keys(&t, ":scenario new Paperless<Enter>:3<Enter>x:6<Enter>M");
	assert_false(tt_shows(&t, "stale"));
	/* the baseline loses step 3 (d on the baseline shown): its cut is stale */
	tt_keys(&t, ":scenario baseline<Enter>:3<Enter>d:scenario Paperless<Enter>");
	assert_int_equal(proc0(&t)->nsteps, 8);
	assert_int_equal(scen(&t, "Paperless")->ncuts, 2);
	assert_true(line_has(&t, "Cuts", "2, 1 stale (:cuts)"));
	assert_true(line_has(&t, "Steps", "8 → 7"));
	tt_keys(&t, ":cuts<Enter>");
	tt_expect(&t, "scen-stale");
	assert_true(line_has(&t, "stale, left out: remove a deleted step", "1"));
	/* d takes a cut back from the list; Enter goes to a cut's step */
	tt_keys(&t, "d");
	assert_int_equal(scen(&t, "Paperless")->ncuts, 1);
	tt_keys(&t, "<Enter>");
	assert_true(tt_shows(&t, "5/8"));
	assert_false(tt_shows(&t, "stale"));
	/* a cut that cannot apply where it is made says so at once */
	tt_keys(&t, ":cut parallel 8<Enter>");
	assert_true(tt_shows(&t, "cannot apply here"));
	assert_true(line_has(&t, "Cuts", "2, 1 stale"));
	tt_done(&t);
}

static void
cut_keys_with_the_baseline_shown(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	/* no scenario: x offers to make one, Esc leaves everything as it was */
	tt_keys(&t, ":3<Enter>x");
	assert_true(tt_shows(&t, "Baseline shown. New scenario for the cut:"));
	tt_keys(&t, "<Esc>");
	assert_int_equal(proc0(&t)->nscenarios, 0);
	assert_int_equal(proc0(&t)->nsteps, 9);
	tt_keys(&t, "X");
	assert_true(tt_shows(&t, "no cuts to take back"));
	/* a name makes the scenario, shows it and makes the cut */
	tt_keys(&t, "xQuick wins<Enter>");
	assert_int_equal(proc0(&t)->nscenarios, 1);
	assert_int_equal(scen(&t, "Quick wins")->ncuts, 1);
	assert_int_equal(proc0(&t)->nsteps, 9);
	assert_true(tt_shows(&t, "Clinic visit · scenario: Quick wins"));
	/* under the map the panel packs baseline -> scenario and the change */
	tt_expect(&t, "scen-80x24");
	assert_true(tt_shows(&t, "Steps 9 → 8 (−11 %)"));
	/* the commands refuse what does not fit */
	tt_keys(&t, ":cut automate abc<Enter>");
	assert_true(tt_shows(&t, "expected a factor"));
	tt_keys(&t, ":cut bogus<Enter>");
	assert_true(tt_shows(&t, "unknown kind 'bogus'"));
	tt_keys(&t, ":cut set work 5 minutes<Enter>");
	assert_true(tt_shows(&t, "work"));
	tt_keys(&t, ":scenario No such one<Enter>");
	assert_true(tt_shows(&t, "has no scenario 'No such one'"));
	tt_keys(&t, ":scenario new Quick wins<Enter>");
	assert_true(tt_shows(&t, "is taken, or is not a name"));
	assert_int_equal(scen(&t, "Quick wins")->ncuts, 1);
	/* automate with factors and a lane: they stay for the next A */
	tt_keys(&t, ":4<Enter>:cut automate 0.5 0 Lab system<Enter>");
	{
		const struct cut *c = scen(&t, "Quick wins")->cuts[1];

		assert_int_equal(c->kind, CUT_AUTOMATE);
		assert_true(c->time_factor == 0.5 && c->error_factor == 0);
		assert_true(c->lane == process_lane_named(proc0(&t), "Lab system")->id);
	}
	tt_keys(&t, ":6<Enter>A");
	assert_true(scen(&t, "Quick wins")->cuts[2]->time_factor == 0.5);
	/* copy, rename and delete on the command line, each undoable */
	tt_keys(&t, ":scenario copy Quick wins 2<Enter>");
	assert_int_equal(proc0(&t)->nscenarios, 2);
	assert_int_equal(scen(&t, "Quick wins 2")->ncuts, 3);
	assert_true(tt_shows(&t, "scenario: Quick wins 2"));
	tt_keys(&t, ":scenario rename Bolder<Enter>");
	assert_int_equal(scen(&t, "Bolder")->ncuts, 3);
	tt_keys(&t, ":scenario delete<Enter>");
	assert_int_equal(proc0(&t)->nscenarios, 1);
	assert_true(tt_shows(&t, "Clinic visit · baseline"));
	tt_keys(&t, "u");
	assert_int_equal(scen(&t, "Bolder")->ncuts, 3);
	tt_done(&t);
}

static void
list_switches_adds_copies_renames_deletes(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	tt_keys(&t, "s");
	assert_true(tt_shows(&t, "No scenario yet"));
	tt_keys(&t, "aFirst<Enter>");
	assert_int_equal(proc0(&t)->nscenarios, 1);
	tt_keys(&t, "q:3<Enter>x:6<Enter>x");
	tt_keys(&t, "sC<C-u>First, bolder<Enter>");
	assert_int_equal(scen(&t, "First, bolder")->ncuts, 2);
	tt_expect(&t, "scen-list");
	/* r renames the line under the cursor */
	tt_keys(&t, "kr<C-u>Second<Enter>");
	assert_non_null(process_scenario_named(proc0(&t), "Second"));
	/* Enter on the baseline shows it and goes back to the map */
	tt_keys(&t, "g<Enter>");
	assert_true(tt_shows(&t, "Clinic visit · baseline"));
	assert_false(tt_shows(&t, "✗"));
	tt_keys(&t, "sG<Enter>");
	assert_true(tt_shows(&t, "scenario: First, bolder"));
	assert_true(line_has(&t, "✗", "Draw blood"));
	/* d asks, y or n answers at once (no Enter), anything else leaves the
	 * question asked; u brings it back */
	tt_keys(&t, "sGdx<Enter>");
	assert_true(tt_shows(&t, "(y/n)"));
	tt_keys(&t, "n");
	assert_int_equal(proc0(&t)->nscenarios, 2);
	assert_true(tt_shows(&t, "nothing deleted"));
	tt_keys(&t, "dy");
	assert_int_equal(proc0(&t)->nscenarios, 1);
	tt_keys(&t, "q");
	assert_true(tt_shows(&t, "Clinic visit · baseline"));
	tt_keys(&t, "u");
	assert_int_equal(proc0(&t)->nscenarios, 2);
	/* each process keeps the scenario it shows */
	tt_keys(&t, ":scenario 2<Enter>:process new Discharge<Enter>");
	assert_true(tt_shows(&t, "stepmap · Discharge"));
	assert_false(tt_shows(&t, "scenario:"));
	tt_keys(&t, "ok<Enter>");
	assert_true(tt_shows(&t, "Clinic visit · scenario: First, bolder"));
	tt_done(&t);
}

static void
the_demo_redesign(void **state)
{
	struct tt t;
	struct workbook *wb = demo_workbook();
	const struct process *p;
	struct process *d = NULL;
	struct figures fb, fd;
	struct err err = { 0 };

	(void)state;
	/* the figures the panel must show, computed here from the model */
	assert_non_null(wb);
	p = wb->procs[0];
	assert_int_equal(scenario_apply(p, p->scenarios[0], &d, NULL, &err), STATUS_OK);
	assert_int_equal(figures_compute(p, &fb), STATUS_OK);
	assert_int_equal(figures_compute(d, &fd), STATUS_OK);
	assert_int_equal(fb.steps, 111);
	assert_int_equal(fd.steps, 46);
	assert_true(fabs(fb.measures[0].expected_s - 27 * 60) < 30);
	assert_true(fabs(fd.measures[0].expected_s - 3 * 60) < 30);
	figures_done(&fb);
	figures_done(&fd);
	process_free(&d);

	tt_setup(&t, wb);
	tt_open(&t, 30, 100);
	assert_true(tt_shows(&t, "ED admission · baseline"));
	tt_keys(&t, "s");
	tt_expect(&t, "scen-demo-list");
	tt_keys(&t, "j<Enter>");
	tt_expect(&t, "scen-demo");
	assert_true(line_has(&t, "Steps", "111 → 46  −59 %"));
	assert_true(tt_shows(&t, "27m → 3m  −89 %"));
	assert_true(line_has(&t, "✗ Patient", "Queue at the"));
	/* :scenario by name and by number, and back to the baseline */
	tt_keys(&t, ":scenario baseline<Enter>");
	assert_true(line_has(&t, "Steps", "111"));
	assert_false(tt_shows(&t, "111 →"));
	tt_keys(&t, ":scenario 1<Enter>");
	assert_true(tt_shows(&t, "111 → 46"));
	tt_keys(&t, ":scenario baseline<Enter>:scenario " DEMO_SCENARIO_NAME "<Enter>");
	assert_true(tt_shows(&t, "111 → 46"));
	/* the lane view shows the same marks */
	tt_keys(&t, "v");
	tt_expect(&t, "scen-demo-lanes");
	tt_keys(&t, "v");
	/* compare: baseline on the left, the scenario on the right */
	tt_keys(&t, "c");
	tt_expect(&t, "scen-compare");
	assert_true(line_has(&t, "arrival → seen by physician", "27m"));
	assert_true(line_has(&t, "arrival → seen by physician", "−89 %"));
	tt_keys(&t, "<PgDn>");
	assert_true(tt_shows(&t, "95 cuts: Physician in triage"));
	assert_true(tt_shows(&t, "The baseline: no cuts"));
	/* h then Enter picks the left column's scenario from a list */
	tt_keys(&t, "gh<Enter>");
	assert_true(tt_shows(&t, "Left column"));
	tt_keys(&t, "j<Enter>");
	assert_false(tt_shows(&t, "−59 %"));
	assert_true(line_has(&t, "Steps", "46"));
	tt_keys(&t, "q");
	assert_true(tt_shows(&t, "map  ? help"));
	tt_done(&t);
}

/* Presentation mode with the demo's redesign shown walks the scenario's
 * steps in its order and counts them as it has them (46, as the figures
 * say), not the baseline's 111; without the scenario it walks the baseline
 * again. */
static void
presenting_the_redesign(void **state)
{
	struct tt t;
	const struct process *p;
	const struct step *removed;
	struct process *d = NULL;
	struct err err = { 0 };
	char want[64];
	size_t k;

	(void)state;
	tt_setup(&t, demo_workbook());
	tt_open(&t, 24, 80);
	p = t.wb->procs[0];
	assert_int_equal(scenario_apply(p, p->scenarios[0], &d, NULL, &err), STATUS_OK);
	tt_keys(&t, ":scenario 1<Enter>W");
	assert_true(tt_shows(&t, "STEP 1 of 46"));
	/* j walks the scenario in its order: step k of the walk is the
	 * scenario's step k, whatever its place in the baseline */
	for (k = 1; k < 6; k++) {
		tt_keys(&t, "j");
		snprintf(want, sizeof want, "STEP %zu of 46", k + 1);
		assert_true(tt_shows(&t, want));
		assert_true(tt_shows(&t, d->steps[k]->name));
	}
	tt_expect(&t, "present-redesign");
	/* G: the scenario's last step; k from there: the one before it */
	tt_keys(&t, "G");
	assert_true(tt_shows(&t, "STEP 46 of 46"));
	assert_true(tt_shows(&t, " 46/46"));     /* the status line counts as the walk does */
	assert_false(tt_shows(&t, "/111"));
	assert_true(tt_shows(&t, d->steps[d->nsteps - 1]->name));
	tt_keys(&t, "k");
	assert_true(tt_shows(&t, "STEP 45 of 46"));
	/* the cursor on a step the scenario removes (the map lists it, struck
	 * through): presentation mode shows a step the scenario has instead */
	for (k = 0; k < p->scenarios[0]->ncuts; k++)
		if (p->scenarios[0]->cuts[k]->kind == CUT_REMOVE)
			break;
	assert_true(k < p->scenarios[0]->ncuts);
	removed = process_step(p, p->scenarios[0]->cuts[k]->step);
	assert_non_null(removed);
	assert_null(process_step(d, removed->id));
	snprintf(want, sizeof want, "q:%zu<Enter>", removed->index + 1);
	tt_keys(&t, want);
	assert_true(tt_shows(&t, removed->name));
	tt_keys(&t, "W");
	assert_true(tt_shows(&t, " of 46"));
	assert_false(tt_shows(&t, removed->name));
	tt_keys(&t, "gq:scenario baseline<Enter>W");
	assert_true(tt_shows(&t, "STEP 1 of 111"));
	assert_true(tt_shows(&t, " 1/111"));
	process_free(&d);
	tt_done(&t);
}

static void
each_cut_kind_on_the_demo(void **state)
{
	struct tt t;
	struct scenario *sc;

	(void)state;
	tt_setup(&t, demo_workbook());
	tt_open(&t, 30, 100);
	tt_keys(&t, ":scenario new Every cut<Enter>");
	sc = scen(&t, "Every cut");
	tt_keys(&t, ":2<Enter>x");
	assert_true(line_has(&t, "2 ✗ Patient", "Queue at the"));
	assert_true(line_has(&t, "Steps", "111 → 110"));
	tt_keys(&t, ":3<Enter>M");
	assert_true(line_has(&t, "3 ⊕ Patient", "Tell the clerk"));
	assert_false(tt_shows(&t, "4 ⊕ Front desk"));  /* merged: one line */
	assert_true(line_has(&t, "Steps", "111 → 109"));
	tt_keys(&t, ":5<Enter>A");
	assert_true(line_has(&t, "5 ⚡Front desk", "Search the EHR"));
	tt_keys(&t, ":12<Enter>K");
	assert_true(line_has(&t, "12 ↕ Triage nur", "Take vital"));
	tt_keys(&t, ":13<Enter>VjP");
	assert_true(line_has(&t, "13 ∥ Triage nur", "Ask about the"));
	assert_true(line_has(&t, "14 ∥ Triage nur", "Ask for a pain"));
	assert_true(line_has(&t, "Steps", "111 → 109"));   /* a split and a join are no steps */
	tt_keys(&t, ":16<Enter>:cut set value BVA<Enter>");
	assert_true(line_has(&t, "16 ✎ Triage nur", "Write the triage"));
	assert_int_equal(sc->ncuts, 6);
	assert_false(tt_shows(&t, "stale"));
	tt_keys(&t, "g");
	tt_expect(&t, "scen-demo-cuts");
	/* u takes the last cut back, X the one on the cursor's step */
	tt_keys(&t, "u");
	assert_int_equal(sc->ncuts, 5);
	assert_false(line_has(&t, "✎", "Write the triage"));
	tt_keys(&t, ":2<Enter>X");
	assert_int_equal(sc->ncuts, 4);
	assert_true(line_has(&t, "Steps", "111 → 110"));
	tt_done(&t);
}

/* The row (0-based line of the screen) that shows text; -1 when none. */
static int
row_of(struct tt *t, const char *text)
{
	char *screen = tui_test_screen(t->tui), *line, *save = NULL;
	int row = 0, found = -1;

	assert_non_null(screen);
	for (line = strtok_r(screen, "\n", &save); line && found < 0;
	     line = strtok_r(NULL, "\n", &save), row++)
		if (strstr(line, text))
			found = row;
	free(screen);
	return found;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* With a scenario shown the map shows the scenario: a moved step where it
 * now stands, merged steps as one line, an automated step with its new type
 * and times; the cursor walks that order. */
static void
the_map_shows_the_scenario(void **state)
{
	struct tt t;
	struct scenario *sc;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 30, 100);
	tt_keys(&t, ":scenario new Shown<Enter>");
	sc = scen(&t, "Shown");
	/* K: vital signs (4) goes before the paper (3) */
	tt_keys(&t, ":4<Enter>K");
	assert_true(row_of(&t, "Take vital signs") < row_of(&t, "Write the visit"));
	assert_true(line_has(&t, "4 ↕ Nurse", "Take vital signs"));
	/* M: draw blood and the analysis become one line */
	tt_keys(&t, ":6<Enter>M");
	assert_true(line_has(&t, "6 ⊕ Nurse", "Draw blood + Analyse"));
	assert_false(line_has(&t, "⚙  Analyse", ""));   /* no line of its own */
	/* A: the check-in becomes a service, 2m -> 12s, 5m -> 30s */
	tt_keys(&t, ":2<Enter>A");
	assert_true(line_has(&t, "2 ⚡Reception  ⚙  Check in", "12s    30s"));
	tt_keys(&t, "g");
	tt_expect(&t, "scen-shown");
	/* the cursor walks the scenario's order: 2, then 4, then 3 */
	tt_keys(&t, ":2<Enter>j");
	assert_true(tt_shows(&t, "4/9"));
	tt_keys(&t, "j");
	assert_true(tt_shows(&t, "3/9"));
	/* the baseline is untouched */
	assert_int_equal(proc0(&t)->nsteps, 9);
	assert_string_equal(proc0(&t)->steps[3]->name, "Take vital signs");
	assert_int_equal(proc0(&t)->steps[1]->type, STEP_USER);
	assert_int_equal(sc->ncuts, 3);
	/* a step typed after the moved one shows after it: it goes into the
	 * baseline before step 3 */
	tt_keys(&t, ":4<Enter>aWeigh the patient<Esc>");
	assert_int_equal(proc0(&t)->nsteps, 10);
	assert_string_equal(proc0(&t)->steps[2]->name, "Weigh the patient");
	assert_true(row_of(&t, "Take vital signs") < row_of(&t, "Weigh the patient"));
	assert_true(row_of(&t, "Weigh the patient") < row_of(&t, "Write the visit"));
	assert_true(tt_shows(&t, "1 step added to the baseline (every scenario sees it)"));
	tt_keys(&t, "u");
	assert_int_equal(proc0(&t)->nsteps, 9);
	/* the lane view shows the same order */
	tt_keys(&t, "v");
	assert_true(row_of(&t, "Take vi") < row_of(&t, "Write t"));
	tt_keys(&t, "v");
	tt_done(&t);
}

/* The keys that would change the baseline, with a scenario shown: d, m, p,
 * > make cuts; Enter asks which one the form edits; the lane form's
 * capacity is a capacity cut; :export writes the scenario, and JSON. */
static void
baseline_keys_in_a_scenario(void **state)
{
	struct tt t;
	struct scenario *sc;
	const struct process *p;
	char path[600], *text;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 30, 100);
	p = proc0(&t);
	tt_keys(&t, ":scenario new Keys<Enter>");
	sc = scen(&t, "Keys");
	/* d: a remove cut, the baseline keeps the step */
	tt_keys(&t, ":8<Enter>d");
	assert_int_equal(p->nsteps, 9);
	assert_int_equal(sc->ncuts, 1);
	assert_int_equal(sc->cuts[0]->kind, CUT_REMOVE);
	assert_true(tt_shows(&t, "scenario 'Keys': remove step 8"));
	assert_true(line_has(&t, "8 ✗ Nurse", "Send the patient"));
	/* m: a set cut of the type (manual -> user); the baseline stays manual */
	tt_keys(&t, ":3<Enter>m");
	assert_int_equal(sc->ncuts, 2);
	assert_int_equal(sc->cuts[1]->kind, CUT_SET);
	assert_string_equal(sc->cuts[1]->field, "type");
	assert_string_equal(sc->cuts[1]->value, "user");
	assert_int_equal(p->steps[2]->type, STEP_MANUAL);
	assert_true(line_has(&t, "3 ✎ Reception  ⌨", "Write the visit"));
	/* m again replaces that cut: still one cut on the type */
	tt_keys(&t, "m");
	assert_int_equal(sc->ncuts, 2);
	assert_string_equal(sc->cuts[1]->value, "service");
	/* p: pain off in the scenario, p again: back to the baseline's, no cut */
	tt_keys(&t, "p");
	assert_int_equal(sc->ncuts, 3);
	assert_true(p->steps[2]->pain);
	tt_keys(&t, "p");
	assert_int_equal(sc->ncuts, 2);
	/* >: the lane, as a set cut */
	tt_keys(&t, ">");
	assert_int_equal(sc->ncuts, 3);
	assert_string_equal(sc->cuts[2]->field, "lane");
	assert_string_equal(sc->cuts[2]->value, "Nurse");
	assert_true(line_has(&t, "3 ✎ Nurse", "Write the visit"));
	/* Enter asks: any other key leaves the question, Esc answers nothing */
	tt_keys(&t, "<Enter>");
	assert_true(tt_shows(&t, "in b: the baseline (all scenarios see it), s: this scenario?"));
	tt_keys(&t, "x<Esc>");
	assert_true(tt_shows(&t, "nothing opened"));
	assert_int_equal(sc->ncuts, 3);
	/* s: the form shows the scenario's step and saves a set cut */
	tt_keys(&t, "<Enter>s");
	assert_true(tt_shows(&t, "in scenario 'Keys'"));
	assert_true(tt_shows(&t, "service"));
	tt_keys(&t, "<Tab><Tab><Tab><C-u>30s<Enter>");
	assert_int_equal(sc->ncuts, 4);
	assert_string_equal(sc->cuts[3]->field, "work");
	assert_string_equal(sc->cuts[3]->value, "30s");
	assert_true(p->steps[2]->work.p[0] == 60);
	/* b: the baseline's form */
	tt_keys(&t, "<Enter>b");
	assert_true(tt_shows(&t, "in the baseline (every scenario sees it)"));
	tt_keys(&t, "<Tab><Tab><Tab><C-u>2m<Enter>");
	assert_true(p->steps[2]->work.p[0] == 120);
	assert_true(tt_shows(&t, "baseline (every scenario sees it): "));
	assert_int_equal(sc->ncuts, 4);
	/* the lane form: a capacity is the scenario's (a capacity cut) */
	tt_keys(&t, "Ljj<Enter><Tab><Tab><C-u>4<Enter>q");
	assert_int_equal(process_lane_named(p, "Nurse")->capacity, 2);
	assert_int_equal(sc->ncuts, 5);
	assert_int_equal(sc->cuts[4]->kind, CUT_CAPACITY);
	assert_int_equal(sc->cuts[4]->capacity, 4);
	/* deleting a lane is the baseline's: asked, y or n without Enter */
	tt_keys(&t, "Ld");
	assert_true(tt_shows(&t, "Delete lane 'Patient' from the baseline, which every scenario sees?"));
	tt_keys(&t, "n");
	assert_true(tt_shows(&t, "nothing deleted"));
	assert_int_equal(p->nlanes, 4);
	tt_keys(&t, "dy");
	assert_int_equal(p->nlanes, 3);
	assert_true(tt_shows(&t, "baseline (every scenario sees it): delete lane 'Patient': its 2 steps now have no lane"));
	tt_keys(&t, "qu");
	assert_int_equal(p->nlanes, 4);
	/* :export writes what is shown: the scenario, ~ read as $HOME */
	setenv("HOME", t.dir, 1);
	tt_keys(&t, ":export ~/shown.csv<Enter>");
	assert_true(tt_shows(&t, "scenario 'Keys' written"));
	snprintf(path, sizeof path, "%s/shown.csv", t.dir);
	text = slurp(path);
	assert_null(strstr(text, "Send the patient home"));   /* removed */
	assert_non_null(strstr(text, "Write the visit on paper"));
	assert_non_null(strstr(text, "30s"));
	free(text);
	tt_keys(&t, ":export ~/shown.json<Enter>");
	snprintf(path, sizeof path, "%s/shown.json", t.dir);
	text = slurp(path);
	assert_non_null(strstr(text, "\"name\":\"Keys\""));
	assert_non_null(strstr(text, "\"cuts\":5"));
	free(text);
	/* the baseline shown: :export writes the baseline */
	tt_keys(&t, ":scenario baseline<Enter>:export ~/base.csv<Enter>");
	snprintf(path, sizeof path, "%s/base.csv", t.dir);
	text = slurp(path);
	assert_non_null(strstr(text, "Send the patient home"));
	free(text);
	tt_done(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_cut_on_the_map),
		cmocka_unit_test(parallel_undo_and_take_back),
		cmocka_unit_test(moves_make_one_cut_per_step),
		cmocka_unit_test(moves_on_a_large_process_before_the_keys_stop),
		cmocka_unit_test(stale_cut_is_counted_and_listed),
		cmocka_unit_test(cut_keys_with_the_baseline_shown),
		cmocka_unit_test(list_switches_adds_copies_renames_deletes),
		cmocka_unit_test(each_cut_kind_on_the_demo),
		cmocka_unit_test(the_demo_redesign),
		cmocka_unit_test(presenting_the_redesign),
		cmocka_unit_test(the_map_shows_the_scenario),
		cmocka_unit_test(baseline_keys_in_a_scenario),
	};

	tt_locale();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
