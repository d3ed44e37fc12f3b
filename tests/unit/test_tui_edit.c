/*
 * test_tui_edit.c - editing in the workbench, each edit checked three ways:
 * on screen, in the workbook in memory, and in the file opened again (every
 * edit goes through the store as it is made). Quick capture (a, i, Enter,
 * Tab, Esc), delete, move, type cycle, pain point, lane change, undo and redo
 * (also after a restart), the step form and its validation as typed, the `:`
 * commands, search, the lanes and measures editors, the process list, and
 * the figures following every edit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/handmade.h"
#include "tests/unit/test_tui_harness.h"

static const struct step *
nth(const struct tt *t, size_t i)
{
	assert_true(t->wb->nprocs > 0);
	assert_true(i < t->wb->procs[0]->nsteps);
	return t->wb->procs[0]->steps[i];
}

static const char *
lane_of(const struct tt *t, size_t i)
{
	const struct process *p = t->wb->procs[0];
	const struct lane *l = process_lane(p, nth(t, i)->lane);

	return l ? l->name : "";
}

static void
capture_in_an_empty_process(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_empty());
	tt_open(&t, 24, 80);
	tt_expect(&t, "empty");
	tt_keys(&t, ":lane add Patient customer<Enter>");
	tt_keys(&t, ":lane add Triage nurse onstage 2<Enter>");
	assert_int_equal(t.wb->procs[0]->nlanes, 2);
	/* a opens a line; Enter commits and opens the next in the same lane */
	tt_keys(&t, "aWalk in<Enter>Take a ticket<Enter><Tab>Call the patient<Enter>");
	tt_keys(&t, "Café crème 日本語 🚑");
	tt_expect(&t, "capture-typing");
	tt_keys(&t, "<Enter><Esc>");
	tt_expect(&t, "capture-done");
	assert_int_equal(t.wb->procs[0]->nsteps, 4);
	assert_string_equal(nth(&t, 0)->name, "Walk in");
	assert_string_equal(lane_of(&t, 1), "Patient");
	assert_string_equal(lane_of(&t, 2), "Triage nurse");
	assert_string_equal(nth(&t, 3)->name, "Café crème 日本語 🚑");
	/* the figures followed: 4 steps, one touchpoint lane each */
	assert_true(tt_shows(&t, "Steps 4"));
	/* i inserts before the cursor; Esc keeps the name typed as a step and
	 * ends capture; Esc on an empty line just ends it */
	tt_keys(&t, "giFirst of all<Enter>Then this<Esc>");
	assert_int_equal(t.wb->procs[0]->nsteps, 6);
	assert_string_equal(nth(&t, 0)->name, "First of all");
	assert_string_equal(nth(&t, 1)->name, "Then this");
	assert_true(tt_shows(&t, "capture ended: 2 steps added"));
	tt_keys(&t, "a<Esc>");
	assert_int_equal(t.wb->procs[0]->nsteps, 6);
	assert_true(tt_shows(&t, "capture ended: 0 steps added"));
	/* Shift-Tab cycles the lanes; "(no lane)" is not one of them while
	 * every step has a lane */
	tt_keys(&t, "Ga<S-Tab>");
	assert_false(tt_shows(&t, "(no lane)"));
	tt_keys(&t, "<S-Tab>");
	assert_false(tt_shows(&t, "(no lane)"));
	tt_keys(&t, "Last one<Esc>");
	assert_int_equal(t.wb->procs[0]->nsteps, 7);
	assert_string_equal(lane_of(&t, 6), "Triage nurse");
	/* a step without a lane makes "(no lane)" one of the places */
	tt_keys(&t, ":lane add Clerk offstage<Enter>Ljd");
	assert_true(tt_shows(&t, "delete lane 'Triage nurse': its 3 steps now have no lane (u undoes)"));
	tt_keys(&t, "qGa");
	assert_true(tt_shows(&t, "(no lane)"));
	tt_keys(&t, "<S-Tab><S-Tab><S-Tab>");
	assert_true(tt_shows(&t, "(no lane)"));
	tt_keys(&t, "<Esc>u");
	assert_string_equal(lane_of(&t, 6), "Triage nurse");
	/* all of it is in the file */
	tt_reopen_store(&t);
	assert_int_equal(t.wb->procs[0]->nsteps, 7);
	assert_string_equal(nth(&t, 5)->name, "Café crème 日本語 🚑");
	assert_string_equal(lane_of(&t, 5), "Triage nurse");
	tt_done(&t);
}

/* Deleting a step says what goes with it; undo brings it back. */
static void
delete_says_what_goes_with_it(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	/* deleting a decision says its branches go with it; u brings them
	 * back */
	tt_keys(&t, ":5<Enter>d");
	assert_int_equal(t.wb->procs[0]->nflows, 0);
	assert_true(tt_shows(&t, "with it its 2 branches (u undoes)"));
	tt_keys(&t, "u");
	assert_int_equal(t.wb->procs[0]->nflows, 2);
	assert_string_equal(nth(&t, 4)->name, "Needs a blood test?");
	/* a step the branches go to: the flow into it goes too */
	tt_keys(&t, ":6<Enter>d");
	assert_true(tt_shows(&t, "with it the 1 flow into it (u undoes)"));
	tt_keys(&t, "u");
	assert_int_equal(t.wb->procs[0]->nflows, 2);
	tt_done(&t);
}

static void
edits_and_undo_redo(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	/* d deletes step 2; u brings it back; Ctrl-R deletes it again */
	tt_keys(&t, "jd");
	assert_int_equal(t.wb->procs[0]->nsteps, 8);
	assert_string_equal(nth(&t, 1)->name, "Write the visit on paper");
	tt_expect(&t, "edit-deleted");
	tt_keys(&t, "u");
	assert_int_equal(t.wb->procs[0]->nsteps, 9);
	assert_string_equal(nth(&t, 1)->name, "Check in at the desk");
	assert_true(tt_shows(&t, "undone: "));
	tt_expect(&t, "edit-undone");
	tt_keys(&t, "<C-r>");
	assert_int_equal(t.wb->procs[0]->nsteps, 8);
	assert_true(tt_shows(&t, "redone: "));
	tt_keys(&t, "u");
	/* J and K move the step; the cursor follows it */
	tt_keys(&t, "J");
	assert_string_equal(nth(&t, 2)->name, "Check in at the desk");
	assert_true(tt_shows(&t, "3/9"));
	tt_keys(&t, "KK");
	assert_string_equal(nth(&t, 0)->name, "Check in at the desk");
	tt_keys(&t, "K");
	assert_true(tt_shows(&t, "already first"));
	tt_keys(&t, "uuu");
	assert_string_equal(nth(&t, 1)->name, "Check in at the desk");
	/* m cycles manual -> user -> service -> a plain task, p toggles the
	 * pain point */
	tt_keys(&t, "g:2<Enter>");
	assert_int_equal(nth(&t, 1)->type, STEP_USER);
	tt_keys(&t, "m");
	assert_int_equal(nth(&t, 1)->type, STEP_SERVICE);
	tt_keys(&t, "m");
	assert_int_equal(nth(&t, 1)->type, STEP_TASK);
	tt_keys(&t, "m");
	assert_int_equal(nth(&t, 1)->type, STEP_MANUAL);
	tt_keys(&t, "p");
	assert_true(nth(&t, 1)->pain);
	tt_expect(&t, "edit-manual-pain");
	assert_true(tt_shows(&t, "Manual 4"));
	assert_true(tt_shows(&t, "Pain 2"));
	/* > and < move the step through the lanes */
	tt_keys(&t, ">");
	assert_string_equal(lane_of(&t, 1), "Nurse");
	tt_keys(&t, "<<");
	assert_string_equal(lane_of(&t, 1), "Patient");
	/* the undo history is in the file: after a restart u still undoes */
	tt_reopen_store(&t);
	tt_open(&t, 24, 80);
	tt_keys(&t, "u");
	assert_string_equal(lane_of(&t, 1), "Reception");
	tt_keys(&t, "uuu");
	assert_false(nth(&t, 1)->pain);
	assert_int_equal(nth(&t, 1)->type, STEP_MANUAL);
	tt_keys(&t, "u");
	assert_int_equal(nth(&t, 1)->type, STEP_TASK);
	tt_keys(&t, "u");
	assert_int_equal(nth(&t, 1)->type, STEP_SERVICE);
	tt_keys(&t, "u");
	assert_int_equal(nth(&t, 1)->type, STEP_USER);
	assert_string_equal(lane_of(&t, 1), "Reception");
	tt_done(&t);
}

static void
step_form_validates_as_typed(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	tt_keys(&t, "jjj<Enter>");
	tt_expect(&t, "form");
	/* work: a wrong duration shows its message at once */
	tt_keys(&t, "<Tab><Tab><Tab><C-u>5 minutes");
	tt_expect(&t, "form-bad-work");
	/* the duration rules, said under the field as typed */
	tt_keys(&t, "<C-u>1h70m");
	assert_true(tt_shows(&t, "must be under 60m: write 2h10m"));
	tt_keys(&t, "<C-u>logn(20m,0)");
	assert_true(tt_shows(&t, "needs an sd above 0"));
	tt_keys(&t, "<C-u>5 minutes");
	/* error rate above 1 and emotion out of range too */
	tt_keys(&t, "<Tab><Tab><Tab><C-u>1.5<Tab><Tab><Tab><C-u>3");
	tt_expect(&t, "form-bad-rate-emotion");
	/* Enter refuses while a field is wrong */
	tt_keys(&t, "<Enter>");
	assert_true(tt_shows(&t, "fix the fields"));
	assert_int_equal(nth(&t, 3)->work.kind, DIST_FIXED);
	/* fixed, and the lane and type chosen from their lists */
	tt_keys(&t, "<C-u>-1<S-Tab><S-Tab><S-Tab><C-u>0.1");
	tt_keys(&t, "<S-Tab><S-Tab><S-Tab><C-u>tri(3m,5m,10m)");
	tt_keys(&t, "<S-Tab> ");
	tt_expect(&t, "form-type-list");
	tt_keys(&t, "s<Enter><S-Tab><Right>");
	tt_expect(&t, "form-fixed");
	tt_keys(&t, "<Enter>");
	assert_false(tt_shows(&t, "Enter save"));
	assert_int_equal(nth(&t, 3)->work.kind, DIST_TRI);
	assert_int_equal(nth(&t, 3)->type, STEP_SERVICE);
	assert_true(nth(&t, 3)->error_rate == 0.1);
	assert_int_equal(nth(&t, 3)->emotion, -1);
	assert_string_equal(lane_of(&t, 3), "Lab system");
	tt_expect(&t, "form-saved");
	/* one edit: one undo puts every field back */
	tt_keys(&t, "u");
	assert_int_equal(nth(&t, 3)->type, STEP_MANUAL);
	assert_string_equal(lane_of(&t, 3), "Nurse");
	/* Esc leaves the step as it was */
	tt_keys(&t, "<Enter><C-u>Renamed<Esc>");
	assert_string_equal(nth(&t, 3)->name, "Take vital signs");
	tt_done(&t);
}

static void
command_line(void **state)
{
	struct tt t;
	char path[400];
	FILE *f;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	tt_keys(&t, ":lane add");
	tt_expect(&t, "command-typing");
	tt_keys(&t, " Pharmacy<Enter>");
	assert_true(tt_shows(&t, "usage: :lane add NAME STAGE"));
	tt_keys(&t, ":lane add Pharmacy backstage<Enter>");
	assert_true(tt_shows(&t, "stage must be customer, onstage, offstage or support"));
	tt_keys(&t, ":lane add Pharmacy offstage 3<Enter>");
	assert_int_equal(t.wb->procs[0]->nlanes, 5);
	assert_int_equal(process_lane_named(t.wb->procs[0], "Pharmacy")->capacity, 3);
	tt_keys(&t, ":measure add door to needle 1 12 customer<Enter>");
	assert_true(tt_shows(&t, "TO must be a step number from 1 to 9, got '12'"));
	tt_keys(&t, ":measure add door to doctor 1 4 customer<Enter>");
	assert_non_null(process_measure_named(t.wb->procs[0], "door to doctor"));
	assert_true(tt_shows(&t, "door to doctor 23m"));
	tt_keys(&t, ":process new Discharge<Enter>");
	assert_int_equal(t.wb->nprocs, 2);
	assert_true(tt_shows(&t, "Discharge"));
	tt_expect(&t, "command-new-process");
	tt_keys(&t, ":process rename Discharge home<Enter>");
	assert_non_null(workbook_process_named(t.wb, "Discharge home"));
	tt_keys(&t, ":process delete<Enter>");
	assert_int_equal(t.wb->nprocs, 1);
	assert_true(tt_shows(&t, "Clinic visit"));
	tt_keys(&t, ":frobnicate<Enter>");
	assert_true(tt_shows(&t, ":frobnicate: unknown command"));
	tt_keys(&t, ":7<Enter>");
	assert_true(tt_shows(&t, "7/9"));
	/* search: / and n, wrapping, case-insensitive */
	tt_keys(&t, "g/BLOOD<Enter>");
	assert_true(tt_shows(&t, "5/9"));
	tt_keys(&t, "n");
	assert_true(tt_shows(&t, "6/9"));
	tt_keys(&t, "n");
	assert_true(tt_shows(&t, "5/9"));
	tt_keys(&t, "N");
	assert_true(tt_shows(&t, "6/9"));
	tt_keys(&t, "/nowhere<Enter>");
	assert_true(tt_shows(&t, "/nowhere: not found"));
	/* export and import by suffix */
	snprintf(path, sizeof path, "%s/clinic.csv", t.dir);
	{
		char cmd[500];

		snprintf(cmd, sizeof cmd, ":export %s<Enter>", path);
		tt_keys(&t, cmd);
		assert_true(tt_shows(&t, "9 steps written"));
		assert_non_null(f = fopen(path, "r"));
		fclose(f);
		snprintf(cmd, sizeof cmd, ":import %s<Enter>", path);
		tt_keys(&t, cmd);
	}
	assert_int_equal(t.wb->nprocs, 2);
	assert_int_equal(t.wb->procs[1]->nsteps, 9);
	assert_true(tt_shows(&t, "1 process imported"));
	/* one import, one undo */
	tt_keys(&t, "u");
	assert_int_equal(t.wb->nprocs, 1);
	/* BPMN both ways: the same steps come back */
	snprintf(path, sizeof path, "%s/clinic.bpmn", t.dir);
	{
		char cmd[1000];

		snprintf(cmd, sizeof cmd, ":export %s<Enter>:import %s<Enter>", path, path);
		tt_keys(&t, cmd);
	}
	assert_int_equal(t.wb->nprocs, 2);
	assert_true(t.wb->procs[1]->nsteps >= 9);
	assert_non_null(strstr(t.wb->procs[1]->name, "Clinic visit"));
	tt_keys(&t, "u");
	assert_int_equal(t.wb->nprocs, 1);
	/* the pictures and the readout, by suffix */
	{
		static const struct { const char *file, *magic; } pics[] = {
			{ "clinic.pdf", "%PDF" }, { "clinic.svg", "<?xml" }, { "clinic.png", "\x89PNG" },
			{ "clinic.html", "<!doctype html>" }, { "clinic.md", "# Clinic visit" },
			{ "clinic.md.assets/blueprint.svg", "<?xml" },
		};
		size_t k;

		for (k = 0; k < sizeof pics / sizeof pics[0]; k++) {
			char cmd[1000], head[32] = "";

			snprintf(path, sizeof path, "%s/%s", t.dir, pics[k].file);
			if (!strstr(pics[k].file, "assets")) {
				snprintf(cmd, sizeof cmd, ":export %s<Enter>", path);
				tt_keys(&t, cmd);
				assert_true(tt_shows(&t, "written (9 steps)"));
			}
			assert_non_null(f = fopen(path, "rb"));
			assert_true(fread(head, 1, strlen(pics[k].magic), f) == strlen(pics[k].magic));
			fclose(f);
			assert_memory_equal(head, pics[k].magic, strlen(pics[k].magic));
		}
	}
	tt_keys(&t, ":export clinic.txt<Enter>");
	assert_true(tt_shows(&t, "export writes .csv .json .bpmn .svg .png .pdf .html .md"));
	tt_keys(&t, ":import /nonexistent/file.csv<Enter>");
	assert_true(tt_shows(&t, "/nonexistent/file.csv"));
	assert_int_equal(t.wb->nprocs, 1);
	tt_keys(&t, ":q<Enter>");
	assert_false(tui_test_keys(t.tui, "j"));
	tt_done(&t);
}

/* The log's figures of process i of t's workbook, as they must stay. */
static void
assert_running_example_log(const struct tt *t, size_t i, const double *durations)
{
	const struct log_summary *l;
	size_t k;

	assert_true(t->wb->nprocs > i);
	assert_non_null(l = t->wb->procs[i]->log);
	assert_int_equal(l->cases, 6);
	assert_int_equal(l->events, 42);
	assert_int_equal(l->variants, 6);
	assert_int_equal(l->ndurations, 6);
	assert_true(l->ntop > 0);
	for (k = 0; durations && k < l->ndurations; k++)
		assert_true(l->durations[k] == durations[k]);
}

/* An event log imported in the workbench keeps its figures (cases,
 * variants, observed case durations) through undo and redo, in memory and
 * in the file, and through a restart between them. */
static void
log_summary_through_undo_and_redo(void **state)
{
	struct tt t;
	double durations[6];

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 30, 120);
	tt_keys(&t, ":import tests/data/eventlogs/running-example.xes<Enter>");
	assert_true(tt_shows(&t, "an event log of 6 cases, 6 variants"));
	assert_running_example_log(&t, 1, NULL);
	memcpy(durations, t.wb->procs[1]->log->durations, sizeof durations);
	tt_keys(&t, "u");
	assert_int_equal(t.wb->nprocs, 1);
	tt_keys(&t, "<C-r>");
	assert_int_equal(t.wb->nprocs, 2);
	assert_running_example_log(&t, 1, durations);
	tt_keys(&t, "oG<Enter>:variants<Enter>");
	assert_true(tt_shows(&t, "Variants of 'running-example': 6 in 6 cases"));
	/* in the file too, and after a restart undo and redo again */
	tt_reopen_store(&t);
	assert_running_example_log(&t, 1, durations);
	tt_open(&t, 30, 120);
	tt_keys(&t, "u");
	assert_int_equal(t.wb->nprocs, 1);
	tt_reopen_store(&t);
	assert_int_equal(t.wb->nprocs, 1);
	tt_open(&t, 30, 120);
	tt_keys(&t, "<C-r>");
	assert_running_example_log(&t, 1, durations);
	tt_reopen_store(&t);
	assert_running_example_log(&t, 1, durations);
	tt_done(&t);
}

static void
lanes_and_measures_editors(void **state)
{
	struct tt t;
	const struct process *p;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	/* a new lane in its form: name, stage from the list, capacity */
	tt_keys(&t, "La");
	tt_keys(&t, "Pharmacy<Tab><Right><Tab>two");
	tt_expect(&t, "lane-form-bad");
	tt_keys(&t, "<C-u>2<Enter>");
	p = t.wb->procs[0];
	assert_non_null(process_lane_named(p, "Pharmacy"));
	assert_int_equal(process_lane_named(p, "Pharmacy")->stage, STAGE_SUPPORT);
	assert_int_equal(process_lane_named(p, "Pharmacy")->capacity, 2);
	tt_expect(&t, "lane-added");
	/* edit one: Nurse becomes onstage with 3 */
	tt_keys(&t, "jj<Enter><Tab><Left><Tab><C-u>3<Enter>");
	assert_int_equal(process_lane_named(p, "Nurse")->stage, STAGE_ONSTAGE);
	assert_int_equal(process_lane_named(p, "Nurse")->capacity, 3);
	/* move within the stage, then delete: its steps lose their lane */
	tt_keys(&t, "K");
	tt_expect(&t, "lane-moved");
	tt_keys(&t, "d");
	assert_null(process_lane_named(p, "Nurse"));
	assert_int_equal(nth(&t, 3)->lane, 0);
	tt_keys(&t, "u");
	assert_non_null(process_lane_named(p, "Nurse"));
	/* measures: add from step 2 to 4, on the process clock */
	tt_keys(&t, "Ta");
	tt_keys(&t, "desk to nurse<Tab><C-u>2<Tab><C-u>40");
	tt_expect(&t, "measure-form-bad");
	tt_keys(&t, "<C-u>4<Enter>");
	assert_non_null(process_measure_named(p, "desk to nurse"));
	assert_int_equal(process_measure_named(p, "desk to nurse")->clock, CLOCK_PROCESS);
	tt_expect(&t, "measure-added");
	tt_keys(&t, "jd");
	assert_null(process_measure_named(p, "desk to nurse"));
	tt_done(&t);
}

static void
process_list(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	tt_keys(&t, "oaDischarge<Enter>");
	assert_int_equal(t.wb->nprocs, 2);
	/* a new process opens on the map, empty */
	assert_true(tt_shows(&t, "No steps yet"));
	tt_keys(&t, "o");
	tt_expect(&t, "process-list");
	tt_keys(&t, "r<C-u>Going home<Enter>");
	assert_non_null(workbook_process_named(t.wb, "Going home"));
	tt_keys(&t, "k<Enter>");
	assert_true(tt_shows(&t, "Arrive at the clinic"));
	tt_keys(&t, "ojdn");
	assert_int_equal(t.wb->nprocs, 2);
	tt_keys(&t, "dy");
	assert_int_equal(t.wb->nprocs, 1);
	tt_keys(&t, "u");
	assert_int_equal(t.wb->nprocs, 2);
	tt_done(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capture_in_an_empty_process),
		cmocka_unit_test(edits_and_undo_redo),
		cmocka_unit_test(delete_says_what_goes_with_it),
		cmocka_unit_test(step_form_validates_as_typed),
		cmocka_unit_test(command_line),
		cmocka_unit_test(log_summary_through_undo_and_redo),
		cmocka_unit_test(lanes_and_measures_editors),
		cmocka_unit_test(process_list),
	};

	tt_locale();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
