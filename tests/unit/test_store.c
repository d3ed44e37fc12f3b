/*
 * test_store.c - the workbook in SQLite, on real files in a temporary
 * directory: every kind of edit survives a close and reopen (deep equality
 * with the model in memory); undo and redo across a restart; a new edit
 * drops the redo tail; the journal's cap; ":memory:"; files that are not
 * workbooks (foreign, empty, truncated, damaged, a directory, missing, too
 * new) refused and left byte for byte as they were; the upgrade of a
 * version-1 workbook; two writers on one file.
 *
 * Some tests drive the sqlite3 command-line shell (tests/tools/deps.sh
 * installs it) to build a version-1 file or to hold a write lock; they skip
 * when it is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/model.h"
#include "store/store.h"
#include "store/store_int.h"   /* STORE_SCHEMA_VERSION */
#include "handmade.h"
#include "wbequal.h"
#include "tmpdir.h"

static bool
exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

static bool
side_files_exist(const char *path)
{
	char p[512];

	snprintf(p, sizeof p, "%s-wal", path);
	if (exists(p))
		return true;
	snprintf(p, sizeof p, "%s-shm", path);
	return exists(p);
}

/* --- building edits -------------------------------------------------------- */

static struct err err;

/* The edit the last builder made (builders write it through E_). */
static struct edit *scratch;
#define E_ (&scratch)

/* The edit a builder call made, failing the test when it refused. */
static struct edit *
must(enum status st, const char *what)
{
	struct edit *e = scratch;

	if (st != STATUS_OK)
		fail_msg("builder %s: %s", what, status_text(st));
	assert_non_null(e);
	scratch = NULL;
	return e;
}
#define BUILD(call) must((call), #call)

static void
do_edit(struct store *s, struct workbook *w, struct edit *e, const char *what)
{
	if (store_do(s, w, e, &err) != STATUS_OK)
		fail_msg("store_do %s: %s", what, err.msg);
}
#define DO(s, w, call) do_edit((s), (w), BUILD(call), #call)

/* The id of the last object an edit added (the last ADD in a group). */
static sm_id
added_id(const struct edit *e)
{
	while (e->kind == EDIT_GROUP) {
		size_t i = e->u.group.n;

		while (i > 0 && e->u.group.items[i - 1]->kind != EDIT_GROUP &&
		       e->u.group.items[i - 1]->u.step.after == NULL)
			i--;
		assert_true(i > 0);
		e = e->u.group.items[i - 1];
	}
	return *(const sm_id *)e->u.step.after;
}

static sm_id
do_add(struct store *s, struct workbook *w, struct edit *e)
{
	sm_id id = added_id(e);

	if (store_do(s, w, e, &err) != STATUS_OK)
		fail_msg("store_do: %s", err.msg);
	return id;
}

static struct step
tmpl(const char *name, enum step_type type, sm_id lane, const char *work, const char *wait)
{
	struct step s;

	step_init(&s);
	free(s.name);
	s.name = (char *)name;
	s.type = type;
	s.lane = lane;
	if (work)
		assert_int_equal(dist_parse(work, "work", &s.work, NULL), STATUS_OK);
	if (wait)
		assert_int_equal(dist_parse(wait, "wait", &s.wait, NULL), STATUS_OK);
	return s;
}

/* A PROCESS_SET with a description, an arrival pattern and the time unit
 * in hours (the process form's edit, without its checks). */
static struct edit *
process_set_edit(const struct process *p, const char *description, const char *arrival)
{
	struct edit *e = calloc(1, sizeof *e);
	struct process_head *b = calloc(1, sizeof *b), *a = calloc(1, sizeof *a);

	assert_true(e && a && b);
	e->kind = EDIT_PROCESS_SET;
	e->process = p->id;
	e->label = strdup("describe the process");
	b->id = a->id = p->id;
	b->key = a->key = p->key;
	b->name = strdup(p->name);
	a->name = strdup(p->name);
	b->description = p->description ? strdup(p->description) : NULL;
	a->description = description ? strdup(description) : NULL;
	b->arrival = p->arrival;
	assert_int_equal(dist_parse(arrival, "arrival", &a->arrival, NULL), STATUS_OK);
	b->time_unit = p->time_unit;
	a->time_unit = TIME_UNIT_H;
	e->u.process.before = b;
	e->u.process.after = a;
	return e;
}

/* --- snapshots ------------------------------------------------------------- */

#define MAX_SNAPS 512

struct history {
	struct workbook *snap[MAX_SNAPS];
	size_t n;
};

static void
history_push(struct history *h, const struct workbook *w)
{
	assert_true(h->n < MAX_SNAPS);
	assert_non_null(h->snap[h->n++] = workbook_copy(w));
}

static void
history_free(struct history *h)
{
	while (h->n)
		workbook_free(&h->snap[--h->n]);
}

/* Close s, open the file again, load, and compare with w; s and the
 * returned store are the same file. */
static struct store *
reopen_check(struct store *s, const char *path, const struct workbook *w)
{
	struct workbook *back = NULL;

	store_close(&s);
	if (store_open(path, STORE_OPEN, &s, &err) != STATUS_OK)
		fail_msg("reopen: %s", err.msg);
	if (store_load(s, &back, &err) != STATUS_OK)
		fail_msg("load: %s", err.msg);
	assert_workbook_equal(w, back);
	assert_int_equal(back->next_id, w->next_id);
	workbook_free(&back);
	return s;
}

/*
 * Every kind of edit, each done through the store. After each, when
 * check_path is set, the file is closed, opened and loaded again and compared
 * with the model; h receives the model after each edit.
 */
static void
every_edit(struct store **sp, struct workbook *w, const char *check_path, struct history *h)
{
	struct store *s = *sp;
	sm_id pid, patient, nurse, lab, st[8], f1, f2, m1, sc, c1, pcopy;
	struct process *p;
	struct step t;
	struct lane lane;
	struct flow flow;
	struct measure meas;
	struct cut cut;
	size_t i;

#define AFTER() \
	do { \
		if (h) history_push(h, w); \
		if (check_path) s = reopen_check(s, check_path, w); \
	} while (0)

	pid = do_add(s, w, BUILD(edit_process_add(w, "Admission", E_)));
	AFTER();
	patient = do_add(s, w, BUILD(edit_lane_add(w, pid, "Patient", STAGE_CUSTOMER, 0, E_)));
	AFTER();
	nurse = do_add(s, w, BUILD(edit_lane_add(w, pid, "Triage nurse", STAGE_ONSTAGE, 2, E_)));
	AFTER();
	lab = do_add(s, w, BUILD(edit_lane_add(w, pid, "Lab", STAGE_OFFSTAGE, 0, E_)));
	AFTER();
	p = workbook_process(w, pid);
	lane = *process_lane(p, nurse);
	lane.name = (char *)"Triage nurses";
	lane.capacity = 3;
	DO(s, w, edit_lane_set(w, &lane, E_));
	AFTER();

	t = tmpl("Walk in", STEP_START, patient, NULL, NULL);
	st[0] = do_add(s, w, BUILD(edit_step_insert(w, pid, 0, &t, E_)));
	AFTER();
	t = tmpl("Fill in the paper form\t(clipboard)\nline 2 \\ é ✋", STEP_MANUAL, nurse,
	         "tri(3m,5m,10m)", "exp(7.5m)");
	t.value = VALUE_NVA;
	t.error_rate = 0.1;
	t.cost = 12.345678901234567;
	t.channel = (char *)"in person";
	t.emotion = -2;
	t.note = (char *)"Patients re-write\tthe same details\r\nthree times";
	t.pain = true;
	st[1] = do_add(s, w, BUILD(edit_step_insert(w, pid, 1, &t, E_)));
	AFTER();
	t = tmpl("Imaging needed?", STEP_DECISION, nurse, "45s", NULL);
	st[2] = do_add(s, w, BUILD(edit_step_insert(w, pid, 2, &t, E_)));
	AFTER();
	t = tmpl("X-ray", STEP_SERVICE, lab, "norm(10m,2m)", "uni(2m,4m)");
	t.value = VALUE_BVA;
	st[3] = do_add(s, w, BUILD(edit_step_insert(w, pid, 3, &t, E_)));
	AFTER();
	t = tmpl("Seen by physician", STEP_USER, 0, "logn(20m,8m)", "1h30m");
	t.value = VALUE_VA;
	t.emotion = 2;
	st[4] = do_add(s, w, BUILD(edit_step_insert(w, pid, 4, &t, E_)));
	AFTER();
	t = tmpl("In bed", STEP_END, patient, NULL, "2d");
	st[5] = do_add(s, w, BUILD(edit_step_insert(w, pid, 5, &t, E_)));
	AFTER();
	/* Crowd one place until the model respaces the neighbours' keys. */
	for (i = 0; i < 40; i++) {
		t = tmpl("Crowded", STEP_TASK, lab, "1s", NULL);
		t.generated = i % 10 == 3;   /* a gateway the program made: kept as such */
		do_add(s, w, BUILD(edit_step_insert(w, pid, 2, &t, E_)));
		if (h && i + 1 < 40)
			history_push(h, w);
	}
	AFTER();

	t = *process_step(p, st[4]);
	t.name = (char *)"Seen by the ED physician";
	t.emotion = EMOTION_NONE;
	t.note = NULL;
	t.channel = (char *)"";
	t.error_rate = 1.0 / 3.0;
	t.lane = nurse;
	DO(s, w, edit_step_set(w, &t, E_));
	AFTER();
	DO(s, w, edit_step_move(w, st[3], 1, E_));
	AFTER();
	DO(s, w, edit_step_move(w, st[3], p->nsteps - 2, E_));
	AFTER();

	f1 = do_add(s, w, BUILD(edit_flow_add(w, st[2], st[3], "yes", 0.3, E_)));
	AFTER();
	f2 = do_add(s, w, BUILD(edit_flow_add(w, st[2], st[4], "no", -1, E_)));
	AFTER();
	flow = *process_flow(p, f2);
	flow.label = (char *)"no imaging";
	flow.condition = (char *)"pain < 3";
	flow.prob = 0.7;
	DO(s, w, edit_flow_set(w, &flow, E_));
	AFTER();
	do_add(s, w, BUILD(edit_flow_add(w, st[4], st[1], "rework", 0.05, E_)));
	AFTER();

	m1 = do_add(s, w, BUILD(edit_measure_add(w, pid, "arrival \xe2\x86\x92 seen", st[0], st[4],
	                                         CLOCK_CUSTOMER, E_)));
	AFTER();
	do_add(s, w, BUILD(edit_measure_add(w, pid, "time-to-admit", st[0], st[5], CLOCK_PROCESS,
	                                    E_)));
	AFTER();
	meas = *process_measure(p, m1);
	meas.clock = CLOCK_PROCESS;
	meas.to = st[3];
	DO(s, w, edit_measure_set(w, &meas, E_));
	AFTER();

	sc = do_add(s, w, BUILD(edit_scenario_add(w, pid, "Lean", E_)));
	AFTER();
	DO(s, w, edit_scenario_rename(w, sc, "Lean admission", E_));
	AFTER();
	memset(&cut, 0, sizeof cut);
	cut.kind = CUT_AUTOMATE;
	cut.step = st[1];
	cut.lane = lab;
	cut.time_factor = 0.25;
	cut.error_factor = 0.1;
	c1 = do_add(s, w, BUILD(edit_cut_add(w, sc, &cut, E_)));
	AFTER();
	memset(&cut, 0, sizeof cut);
	cut.kind = CUT_SET;
	cut.step = st[4];
	cut.field = (char *)"work";
	cut.value = (char *)"tri(5m,10m,20m)";
	cut.time_factor = 1;
	cut.error_factor = 1;
	do_add(s, w, BUILD(edit_cut_add(w, sc, &cut, E_)));
	AFTER();
	memset(&cut, 0, sizeof cut);
	cut.kind = CUT_CAPACITY;
	cut.lane = nurse;
	cut.capacity = 4;
	do_add(s, w, BUILD(edit_cut_add(w, sc, &cut, E_)));
	AFTER();
	DO(s, w, edit_cut_del(w, c1, E_));
	AFTER();
	do_add(s, w, BUILD(edit_scenario_copy(w, sc, "Lean 2", E_)));
	AFTER();
	DO(s, w, edit_scenario_del(w, sc, E_));
	AFTER();

	DO(s, w, edit_flow_del(w, f1, E_));
	AFTER();
	DO(s, w, edit_measure_del(w, m1, E_));
	AFTER();
	/* A step with flows and a measure: a group that deletes them too. */
	DO(s, w, edit_step_del(w, st[4], E_));
	AFTER();
	/* A lane with steps: they move to no lane. */
	DO(s, w, edit_lane_del(w, lab, E_));
	AFTER();

	assert_int_equal(store_do(s, w, process_set_edit(p, "From the door\nto a bed", "exp(7.5m)"),
	                          &err), STATUS_OK);
	AFTER();
	DO(s, w, edit_process_rename(w, pid, "ED admission", E_));
	AFTER();
	DO(s, w, edit_process_copy(w, pid, "ED admission (copy)", E_));
	assert_non_null(workbook_process_named(w, "ED admission (copy)"));
	pcopy = workbook_process_named(w, "ED admission (copy)")->id;
	AFTER();
	DO(s, w, edit_process_del(w, pid, E_));
	AFTER();
	assert_non_null(workbook_process(w, pcopy));
	*sp = s;
#undef AFTER
}

/* --- tests ------------------------------------------------------------------ */

/* Every kind of edit, and after each: close, reopen, load, compare. */
static void
test_every_edit_reopen(void **state)
{
	struct tmp t;
	struct store *s = NULL;
	struct workbook *w = workbook_new();

	(void)state;
	tmp_make(&t);
	assert_int_equal(store_open(t.path, STORE_NEW, &s, &err), STATUS_OK);
	every_edit(&s, w, t.path, NULL);
	assert_int_equal(store_verify(s, &err), STATUS_OK);
	store_close(&s);
	assert_false(side_files_exist(t.path));
	workbook_free(&w);
	rm_tree(t.dir);
}

/* Undo everything and redo everything, with restarts on the way; each
 * state equals the model as it was. */
static void
test_undo_redo_across_restart(void **state)
{
	struct tmp t;
	struct store *s = NULL;
	struct workbook *w = workbook_new(), *empty = workbook_new();
	struct history h = { 0 };
	const char *label;
	size_t i, n;

	(void)state;
	tmp_make(&t);
	assert_int_equal(store_open(t.path, STORE_CREATE, &s, &err), STATUS_OK);
	assert_false(store_can_undo(s));
	every_edit(&s, w, NULL, &h);
	n = h.n;
	for (i = n; i-- > 0;) {
		assert_workbook_equal(w, h.snap[i]);
		assert_true(store_can_undo(s));
		if (store_undo(s, w, &label, &err) != STATUS_OK)
			fail_msg("undo %zu: %s", i, err.msg);
		assert_true(store_can_redo(s));
		if (i % 7 == 0)
			s = reopen_check(s, t.path, w);
	}
	assert_workbook_equal(w, empty);
	assert_false(store_can_undo(s));
	assert_int_equal(store_undo(s, w, &label, &err), STATUS_NOTHING);
	s = reopen_check(s, t.path, w);
	for (i = 0; i < n; i++) {
		if (store_redo(s, w, &label, &err) != STATUS_OK)
			fail_msg("redo %zu: %s", i, err.msg);
		assert_workbook_equal(w, h.snap[i]);
		if (i % 5 == 0)
			s = reopen_check(s, t.path, w);
	}
	assert_false(store_can_redo(s));
	assert_int_equal(store_redo(s, w, &label, &err), STATUS_NOTHING);
	assert_int_equal(store_verify(s, &err), STATUS_OK);
	store_close(&s);
	history_free(&h);
	workbook_free(&w);
	workbook_free(&empty);
	rm_tree(t.dir);
}

/* The label of what was undone; a new edit after undo drops the redo tail. */
static void
test_redo_tail_dropped(void **state)
{
	struct tmp t;
	struct store *s = NULL;
	struct workbook *w = workbook_new(), *one;
	const char *label = NULL;
	struct edit *e = NULL;
	sm_id pid;
	struct step st = tmpl("a", STEP_TASK, 0, NULL, NULL);

	(void)state;
	tmp_make(&t);
	assert_int_equal(store_open(t.path, STORE_NEW, &s, &err), STATUS_OK);
	assert_int_equal(edit_process_add(w, "P", &e), STATUS_OK);
	pid = do_add(s, w, e);
	assert_int_equal(edit_step_insert(w, pid, 0, &st, &e), STATUS_OK);
	do_add(s, w, e);
	assert_non_null(one = workbook_copy(w));
	st.name = (char *)"b";
	assert_int_equal(edit_step_insert(w, pid, 1, &st, &e), STATUS_OK);
	do_add(s, w, e);
	st.name = (char *)"c";
	assert_int_equal(edit_step_insert(w, pid, 2, &st, &e), STATUS_OK);
	do_add(s, w, e);
	assert_int_equal(store_undo(s, w, &label, &err), STATUS_OK);
	assert_non_null(label);
	assert_non_null(strstr(label, "c"));
	assert_int_equal(store_undo(s, w, &label, &err), STATUS_OK);
	assert_workbook_equal(w, one);
	assert_true(store_can_redo(s));
	s = reopen_check(s, t.path, w);
	assert_true(store_can_redo(s));
	st.name = (char *)"d";
	assert_int_equal(edit_step_insert(w, pid, 0, &st, &e), STATUS_OK);
	do_add(s, w, e);
	assert_false(store_can_redo(s));
	assert_int_equal(store_redo(s, w, &label, &err), STATUS_NOTHING);
	s = reopen_check(s, t.path, w);
	assert_false(store_can_redo(s));
	assert_int_equal(store_undo(s, w, &label, &err), STATUS_OK);
	assert_workbook_equal(w, one);
	assert_int_equal(store_undo(s, w, NULL, &err), STATUS_OK);
	assert_int_equal(store_undo(s, w, NULL, &err), STATUS_OK);
	assert_int_equal(w->nprocs, 0);
	assert_int_equal(store_undo(s, w, NULL, &err), STATUS_NOTHING);
	store_close(&s);
	workbook_free(&one);
	workbook_free(&w);
	rm_tree(t.dir);
}

/* ":memory:" does everything, and writes nothing to disk. */
static void
test_memory(void **state)
{
	struct store *s = NULL, *s2 = NULL;
	struct workbook *w = workbook_new(), *back = NULL;
	struct history h = { 0 };
	size_t i;

	(void)state;
	assert_int_equal(store_open(":memory:", STORE_CREATE, &s, &err), STATUS_OK);
	assert_string_equal(store_path(s), ":memory:");
	assert_false(exists(":memory:"));
	every_edit(&s, w, NULL, &h);
	assert_int_equal(store_load(s, &back, &err), STATUS_OK);
	assert_workbook_equal(w, back);
	for (i = h.n; i-- > 0;)
		assert_int_equal(store_undo(s, w, NULL, &err), STATUS_OK);
	assert_int_equal(w->nprocs, 0);
	/* store_save: everything in one go, and no undo past it. */
	assert_int_equal(store_open(":memory:", STORE_OPEN, &s2, &err), STATUS_OK);
	assert_int_equal(store_save(s2, back, &err), STATUS_OK);
	assert_false(store_can_undo(s2));
	workbook_free(&w);
	assert_int_equal(store_load(s2, &w, &err), STATUS_OK);
	assert_workbook_equal(w, back);
	assert_int_equal(w->next_id, back->next_id);
	store_close(&s);
	store_close(&s2);
	assert_false(exists(":memory:"));
	history_free(&h);
	workbook_free(&w);
	workbook_free(&back);
}

static void copy_file(const char *from, const char *to, long len);

/* Commits do not wait for the disk (synchronous=NORMAL): an edit is in the
 * WAL, not yet in the main file; store_checkpoint (the workbench calls it
 * when the typing pauses) puts it there, so the main file alone holds it. */
static void
test_checkpoint_puts_edits_in_the_file(void **state)
{
	struct tmp t;
	struct store *s = NULL, *c = NULL;
	struct workbook *w = workbook_new(), *back = NULL;
	struct process *p;
	char copy[256];

	(void)state;
	tmp_make(&t);
	snprintf(copy, sizeof copy, "%s/copy.stepmap", t.dir);
	p = workbook_add_process(w, workbook_new_id(w), "Admission");
	assert_non_null(p);
	assert_int_equal(store_open(t.path, STORE_NEW, &s, &err), STATUS_OK);
	assert_int_equal(store_save(s, w, &err), STATUS_OK);
	assert_int_equal(store_checkpoint(s, &err), STATUS_OK);
	assert_int_equal(store_do(s, w, process_set_edit(w->procs[0], "Typed in the workshop",
	                                                 "exp(7.5m)"), &err), STATUS_OK);
	/* the main file alone: the edit is still in the WAL */
	copy_file(t.path, copy, -1);
	assert_int_equal(store_open(copy, STORE_OPEN, &c, &err), STATUS_OK);
	assert_int_equal(store_load(c, &back, &err), STATUS_OK);
	assert_true(!back->procs[0]->description ||
	            strcmp(back->procs[0]->description, "Typed in the workshop"));
	store_close(&c);
	workbook_free(&back);
	unlink(copy);
	/* after the checkpoint it is in the main file */
	assert_int_equal(store_checkpoint(s, &err), STATUS_OK);
	copy_file(t.path, copy, -1);
	assert_int_equal(store_open(copy, STORE_OPEN, &c, &err), STATUS_OK);
	assert_int_equal(store_load(c, &back, &err), STATUS_OK);
	assert_string_equal(back->procs[0]->description, "Typed in the workshop");
	store_close(&c);
	store_close(&s);
	workbook_free(&back);
	workbook_free(&w);
	rm_tree(t.dir);
}

/* store_save replaces whatever was there and clears the journal. */
static void
test_save_replaces(void **state)
{
	struct tmp t;
	struct store *s = NULL;
	struct workbook *w = workbook_new(), *other = workbook_new(), *back = NULL;

	(void)state;
	tmp_make(&t);
	assert_int_equal(store_open(t.path, STORE_NEW, &s, &err), STATUS_OK);
	every_edit(&s, w, NULL, NULL);
	assert_true(store_can_undo(s));
	assert_non_null(workbook_add_process(other, 7, "Other"));
	assert_int_equal(store_save(s, other, &err), STATUS_OK);
	assert_false(store_can_undo(s));
	store_close(&s);
	assert_int_equal(store_open(t.path, STORE_READONLY, &s, &err), STATUS_OK);
	assert_int_equal(store_load(s, &back, &err), STATUS_OK);
	assert_workbook_equal(back, other);
	store_close(&s);
	/* The saved one is a workbook again from scratch: save back w. */
	assert_int_equal(store_open(t.path, STORE_OPEN, &s, &err), STATUS_OK);
	assert_int_equal(store_save(s, w, &err), STATUS_OK);
	s = reopen_check(s, t.path, w);
	store_close(&s);
	workbook_free(&w);
	workbook_free(&other);
	workbook_free(&back);
	rm_tree(t.dir);
}

/* The journal keeps the last STORE_JOURNAL_MAX (10 000) edits. */
static void
test_journal_cap(void **state)
{
	struct store *s = NULL;
	struct workbook *w = workbook_new();
	struct edit *e = NULL;
	struct step st = tmpl("x", STEP_TASK, 0, NULL, NULL);
	sm_id pid, sid;
	char name[32];
	int i, undone = 0;

	(void)state;
	assert_int_equal(store_open(":memory:", STORE_CREATE, &s, &err), STATUS_OK);
	assert_int_equal(edit_process_add(w, "P", &e), STATUS_OK);
	pid = do_add(s, w, e);
	assert_int_equal(edit_step_insert(w, pid, 0, &st, &e), STATUS_OK);
	sid = do_add(s, w, e);
	for (i = 0; i < 10050; i++) {
		struct step t = *process_step(workbook_process(w, pid), sid);

		snprintf(name, sizeof name, "x%d", i);
		t.name = name;
		assert_int_equal(edit_step_set(w, &t, &e), STATUS_OK);
		assert_int_equal(store_do(s, w, e, &err), STATUS_OK);
	}
	while (store_undo(s, w, NULL, &err) == STATUS_OK)
		undone++;
	assert_int_equal(err.code, STATUS_NOTHING);
	assert_int_equal(undone, 10000);
	/* The oldest 52 are gone: the name is what the 50th rename set. */
	assert_string_equal(process_step(workbook_process(w, pid), sid)->name, "x49");
	store_close(&s);
	workbook_free(&w);
}

/* --- files that are not workbooks ---------------------------------------- */

struct file_state {
	char *bytes;
	size_t len;
	struct timespec mtime;
	bool is_dir;
};

static void
file_state_get(const char *path, struct file_state *f)
{
	struct stat sb;
	FILE *fp;

	memset(f, 0, sizeof *f);
	assert_int_equal(stat(path, &sb), 0);
	f->mtime = sb.st_mtim;
	f->is_dir = S_ISDIR(sb.st_mode);
	if (f->is_dir)
		return;
	f->len = (size_t)sb.st_size;
	assert_non_null(f->bytes = malloc(f->len + 1));
	assert_non_null(fp = fopen(path, "rb"));
	assert_int_equal(fread(f->bytes, 1, f->len, fp), f->len);
	fclose(fp);
}

static void
assert_untouched(const char *path, const struct file_state *before)
{
	struct file_state now;

	file_state_get(path, &now);
	assert_int_equal(now.is_dir, before->is_dir);
	assert_int_equal(now.len, before->len);
	if (now.len)
		assert_memory_equal(now.bytes, before->bytes, now.len);
	assert_int_equal(now.mtime.tv_sec, before->mtime.tv_sec);
	assert_int_equal(now.mtime.tv_nsec, before->mtime.tv_nsec);
	assert_false(side_files_exist(path));
	free(now.bytes);
}

static void
write_file(const char *path, const void *bytes, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(bytes, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* A real workbook with a few hundred steps at path (several pages). */
static void
make_workbook(const char *path, struct workbook **keep)
{
	struct store *s = NULL;
	struct workbook *w = workbook_new();
	struct process *p;
	int i;

	assert_non_null(p = workbook_add_process(w, workbook_new_id(w), "Big"));
	for (i = 0; i < 400; i++) {
		char name[64];

		snprintf(name, sizeof name, "Step number %d with a longer name to fill pages", i);
		hm_step(w, p, name, STEP_TASK, 0, dist_fixed(60 + i), dist_fixed(0), 0.01);
	}
	assert_int_equal(store_open(path, STORE_NEW, &s, &err), STATUS_OK);
	assert_int_equal(store_save(s, w, &err), STATUS_OK);
	store_close(&s);
	if (keep)
		*keep = w;
	else
		workbook_free(&w);
}

static void
copy_file(const char *from, const char *to, long len)
{
	struct file_state f;

	file_state_get(from, &f);
	write_file(to, f.bytes, len < 0 ? f.len : (size_t)len);
	free(f.bytes);
}

/* Overwrite len bytes at off with a pattern. */
static void
scribble(const char *path, long off, size_t len, unsigned char c)
{
	int fd = open(path, O_WRONLY);
	unsigned char *b = malloc(len);

	assert_true(fd >= 0 && b);
	memset(b, c, len);
	assert_int_equal(pwrite(fd, b, len, off), (ssize_t)len);
	close(fd);
	free(b);
}

static void
put_be32(const char *path, long off, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
	                       (unsigned char)(v >> 8), (unsigned char)v };
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, b, 4, off), 4);
	close(fd);
}

static void sqlite3_cli(const char *path, const char *sql);

static bool
have_sqlite3_cli(void)
{
	return system("sqlite3 -version >/dev/null 2>&1") == 0;
}

/* Try every mode on path; each is refused with want (and a message naming
 * the file that contains what), and the file stays as it was. */
static void
refused(const char *path, enum status want, const char *what)
{
	static const enum store_mode modes[] = { STORE_OPEN, STORE_CREATE, STORE_READONLY };
	struct file_state before;
	size_t i;

	file_state_get(path, &before);
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		struct store *s = NULL;
		struct workbook *w = NULL;
		enum status st = store_open(path, modes[i], &s, &err);

		if (st == STATUS_OK) {
			/* Damage past what opening reads shows when loading. */
			st = store_load(s, &w, &err);
			store_close(&s);
			workbook_free(&w);
		}
		if (st != want)
			fail_msg("%s, mode %zu: got %s (%s), want %s", path, i, status_text(st),
			         err.msg, status_text(want));
		assert_null(s);
		if (!strstr(err.msg, path) || !strstr(err.msg, what))
			fail_msg("message '%s' should name %s and say '%s'", err.msg, path, what);
		assert_untouched(path, &before);
	}
	/* STORE_NEW never overwrites. */
	{
		struct store *s = NULL;

		assert_int_not_equal(store_open(path, STORE_NEW, &s, &err), STATUS_OK);
		assert_null(s);
		assert_untouched(path, &before);
	}
	free(before.bytes);
}

static void
test_foreign_files_refused(void **state)
{
	struct tmp t;
	char p[256];
	unsigned char junk[8192];
	size_t i;

	(void)state;
	tmp_make(&t);
	make_workbook(t.path, NULL);

	snprintf(p, sizeof p, "%s/notes.txt", t.dir);
	write_file(p, "Registration: 5 minutes\n", 24);
	refused(p, STATUS_NOT_WORKBOOK, "not a stepmap workbook");

	for (i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 7919 + 13);
	snprintf(p, sizeof p, "%s/junk.bin", t.dir);
	write_file(p, junk, sizeof junk);
	refused(p, STATUS_NOT_WORKBOOK, "not an SQLite database");

	snprintf(p, sizeof p, "%s/empty.stepmap", t.dir);
	write_file(p, "", 0);
	refused(p, STATUS_NOT_WORKBOOK, "empty file");

	snprintf(p, sizeof p, "%s/a directory.stepmap", t.dir);
	assert_int_equal(mkdir(p, 0755), 0);
	refused(p, STATUS_NOT_WORKBOOK, "directory");

	/* Another application's SQLite file: our header with its id. */
	snprintf(p, sizeof p, "%s/other-app.db", t.dir);
	copy_file(t.path, p, -1);
	put_be32(p, 68, 0x0f055112);   /* the Fossil repository id */
	refused(p, STATUS_NOT_WORKBOOK, "another application");
	if (have_sqlite3_cli()) {
		char cmd[512];

		snprintf(p, sizeof p, "%s/plain.db", t.dir);
		snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'CREATE TABLE t(x); INSERT INTO t VALUES(1);'",
		         p);
		assert_int_equal(system(cmd), 0);
		refused(p, STATUS_NOT_WORKBOOK, "another application");
	}

	/* Truncated: mid-page, at a page boundary, and to the magic alone. */
	snprintf(p, sizeof p, "%s/half.stepmap", t.dir);
	copy_file(t.path, p, 10000);
	refused(p, STATUS_CORRUPT, "damaged");
	snprintf(p, sizeof p, "%s/pages.stepmap", t.dir);
	copy_file(t.path, p, 3 * 4096);
	refused(p, STATUS_CORRUPT, "truncated");
	snprintf(p, sizeof p, "%s/magic.stepmap", t.dir);
	write_file(p, "SQLite format 3", 16);
	refused(p, STATUS_CORRUPT, "truncated");

	/* Damaged inside: the schema on page 1, then every page after it. */
	snprintf(p, sizeof p, "%s/schema.stepmap", t.dir);
	copy_file(t.path, p, -1);
	scribble(p, 100, 4096 - 100, 0xa5);
	refused(p, STATUS_CORRUPT, "damaged");
	{
		struct stat sb;

		assert_int_equal(stat(t.path, &sb), 0);
		snprintf(p, sizeof p, "%s/pages-scribbled.stepmap", t.dir);
		copy_file(t.path, p, -1);
		scribble(p, 4096, (size_t)sb.st_size - 4096, 0x5a);
		refused(p, STATUS_CORRUPT, "damaged");
	}

	/* Missing: not created by opening or by read-only opening. */
	{
		struct store *s = NULL;

		snprintf(p, sizeof p, "%s/missing.stepmap", t.dir);
		assert_int_equal(store_open(p, STORE_OPEN, &s, &err), STATUS_NOT_FOUND);
		assert_non_null(strstr(err.msg, p));
		assert_int_equal(store_open(p, STORE_READONLY, &s, &err), STATUS_NOT_FOUND);
		assert_false(exists(p));
		assert_false(side_files_exist(p));
	}
	rm_tree(t.dir);
}

/* A workbook from a newer stepmap: STATUS_TOO_NEW, untouched. */
static void
test_too_new(void **state)
{
	struct tmp t;

	(void)state;
	tmp_make(&t);
	make_workbook(t.path, NULL);
	put_be32(t.path, 60, 99);
	refused(t.path, STATUS_TOO_NEW, "newer stepmap");
	rm_tree(t.dir);
}

/* Reading leaves a workbook as it was: no -wal or -shm, same bytes. */
static void
test_readonly(void **state)
{
	struct tmp t;
	struct store *s = NULL;
	struct workbook *w = NULL, *back = NULL;
	struct file_state before;
	struct edit *e = NULL;

	(void)state;
	tmp_make(&t);
	make_workbook(t.path, &w);
	file_state_get(t.path, &before);
	assert_int_equal(store_open(t.path, STORE_READONLY, &s, &err), STATUS_OK);
	assert_int_equal(store_load(s, &back, &err), STATUS_OK);
	assert_workbook_equal(w, back);
	assert_int_equal(edit_process_add(back, "New", &e), STATUS_OK);
	assert_int_equal(store_do(s, back, e, &err), STATUS_USAGE);
	assert_non_null(strstr(err.msg, "read-only"));
	assert_int_equal(back->nprocs, 1);
	assert_int_equal(store_save(s, w, &err), STATUS_USAGE);
	store_close(&s);
	assert_untouched(t.path, &before);
	free(before.bytes);
	workbook_free(&w);
	workbook_free(&back);
	rm_tree(t.dir);
}

/* --- migration --------------------------------------------------------------- */

/* A version-1 workbook as stepmap 0.0 wrote it (schema.c's history). */
static const char v1_sql[] =
	"PRAGMA application_id = 1397571920; PRAGMA user_version = 1;"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
	"CREATE TABLE processes(id INTEGER PRIMARY KEY, key REAL NOT NULL, name TEXT NOT NULL,"
	" description TEXT);"
	"CREATE TABLE lanes(id INTEGER PRIMARY KEY, process INTEGER NOT NULL REFERENCES"
	" processes(id) ON DELETE CASCADE, key REAL NOT NULL, name TEXT NOT NULL,"
	" stage TEXT NOT NULL, capacity INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE steps(id INTEGER PRIMARY KEY, process INTEGER NOT NULL REFERENCES"
	" processes(id) ON DELETE CASCADE, key REAL NOT NULL, lane INTEGER REFERENCES lanes(id)"
	" ON DELETE SET NULL, name TEXT NOT NULL, type TEXT NOT NULL, work_s REAL, wait_s REAL,"
	" value TEXT NOT NULL DEFAULT '', error_rate REAL, cost REAL, channel TEXT,"
	" emotion INTEGER, note TEXT, pain INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX steps_order ON steps(process, key);"
	"CREATE TABLE flows(id INTEGER PRIMARY KEY, process INTEGER NOT NULL REFERENCES"
	" processes(id) ON DELETE CASCADE, \"from\" INTEGER NOT NULL REFERENCES steps(id)"
	" ON DELETE CASCADE, \"to\" INTEGER NOT NULL REFERENCES steps(id) ON DELETE CASCADE,"
	" label TEXT, condition TEXT, prob REAL);"
	"CREATE TABLE measures(id INTEGER PRIMARY KEY, process INTEGER NOT NULL REFERENCES"
	" processes(id) ON DELETE CASCADE, name TEXT NOT NULL, \"from\" INTEGER NOT NULL"
	" REFERENCES steps(id) ON DELETE CASCADE, \"to\" INTEGER NOT NULL REFERENCES steps(id)"
	" ON DELETE CASCADE, clock TEXT NOT NULL);"
	"INSERT INTO meta VALUES('next_id', 20);"
	"INSERT INTO processes VALUES(1, 1024, 'Admission', 'the old way');"
	"INSERT INTO lanes VALUES(2, 1, 0, 'Front desk', 'onstage', 2);"
	"INSERT INTO steps VALUES(3, 1, 1024, 2, 'Register', 'manual', 300, 90, 'NVA', 0.05, 4.5,"
	" 'in person', -1, 'paper form', 1);"
	"INSERT INTO steps VALUES(4, 1, 2048, NULL, 'Triage?', 'decision', NULL, NULL, '', 0, 0,"
	" NULL, NULL, NULL, 0);"
	"INSERT INTO steps VALUES(5, 1, 3072, 2, 'Seen', 'task', 5400, 7.25, 'VA', 0, 0, NULL,"
	" NULL, NULL, 0);"
	"INSERT INTO flows VALUES(6, 1, 4, 5, 'urgent', NULL, 0.25);"
	"INSERT INTO measures VALUES(7, 1, 'door to doctor', 3, 5, 'customer');";

static void
make_v1(const char *path)
{
	sqlite3_cli(path, v1_sql);
}

static void
check_v1_content(const struct workbook *w)
{
	const struct process *p;
	const struct step *reg, *seen, *tri;
	char buf[DIST_TEXT_MAX];

	assert_int_equal(w->nprocs, 1);
	p = w->procs[0];
	assert_string_equal(p->name, "Admission");
	assert_string_equal(p->description, "the old way");
	assert_int_equal(p->arrival.kind, DIST_NONE);
	assert_int_equal(p->time_unit, TIME_UNIT_AUTO);    /* version 5's default */
	assert_int_equal(p->nsteps, 3);
	reg = process_step(p, 3);
	tri = process_step(p, 4);
	seen = process_step(p, 5);
	assert_true(reg && tri && seen);
	assert_string_equal(dist_format(&reg->work, buf, sizeof buf), "5m");
	assert_string_equal(dist_format(&reg->wait, buf, sizeof buf), "1m30s");
	assert_int_equal(tri->work.kind, DIST_NONE);
	assert_string_equal(dist_format(&seen->work, buf, sizeof buf), "1h30m");
	assert_string_equal(dist_format(&seen->wait, buf, sizeof buf), "7.25s");
	assert_int_equal(reg->type, STEP_MANUAL);
	assert_int_equal(reg->value, VALUE_NVA);
	assert_int_equal(reg->emotion, -1);
	assert_true(reg->pain);
	assert_string_equal(reg->note, "paper form");
	assert_int_equal(reg->lane, 2);
	assert_int_equal(p->nflows, 1);
	assert_true(p->flows[0]->prob == 0.25);
	assert_int_equal(p->nmeasures, 1);
	assert_int_equal(p->measures[0]->clock, CLOCK_CUSTOMER);
	assert_true(w->next_id >= 20);
}

static void
test_migrate_v1(void **state)
{
	struct tmp t;
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct file_state before;
	struct edit *e = NULL;
	char ro[256];
	unsigned char h[100];
	FILE *fp;

	(void)state;
	if (!have_sqlite3_cli())
		skip();
	tmp_make(&t);
	make_v1(t.path);

	/* Read-only: upgraded in memory, the file left as it is. */
	snprintf(ro, sizeof ro, "%s/ro.stepmap", t.dir);
	copy_file(t.path, ro, -1);
	file_state_get(ro, &before);
	assert_int_equal(store_open(ro, STORE_READONLY, &s, &err), STATUS_OK);
	assert_int_equal(store_load(s, &w, &err), STATUS_OK);
	check_v1_content(w);
	store_close(&s);
	workbook_free(&w);
	assert_untouched(ro, &before);
	free(before.bytes);

	/* Opened for writing: upgraded in place, to version 2. */
	if (store_open(t.path, STORE_OPEN, &s, &err) != STATUS_OK)
		fail_msg("open v1: %s", err.msg);
	assert_int_equal(store_load(s, &w, &err), STATUS_OK);
	check_v1_content(w);
	assert_int_equal(store_verify(s, &err), STATUS_OK);
	/* And it edits, undoes and survives a restart like any workbook. */
	assert_int_equal(edit_scenario_add(w, 1, "Lean", &e), STATUS_OK);
	assert_int_equal(store_do(s, w, e, &err), STATUS_OK);
	assert_true(w->procs[0]->scenarios[0]->id >= 20);
	s = reopen_check(s, t.path, w);
	assert_int_equal(store_undo(s, w, NULL, &err), STATUS_OK);
	s = reopen_check(s, t.path, w);
	store_close(&s);
	workbook_free(&w);
	assert_non_null(fp = fopen(t.path, "rb"));
	assert_int_equal(fread(h, 1, sizeof h, fp), sizeof h);
	fclose(fp);
	assert_int_equal(h[60] << 24 | h[61] << 16 | h[62] << 8 | h[63], STORE_SCHEMA_VERSION);  /* the current version */
	assert_int_equal(h[18], 2);      /* WAL */
	rm_tree(t.dir);
}

/* --- two processes ----------------------------------------------------------- */

/* A new workbook in t, opened and loaded by two stores (two programs). */
static void
open_twice(struct tmp *t, struct store **a, struct workbook **wa, struct store **b,
           struct workbook **wb)
{
	tmp_make(t);
	make_workbook(t->path, NULL);
	assert_int_equal(store_open(t->path, STORE_OPEN, a, &err), STATUS_OK);
	assert_int_equal(store_open(t->path, STORE_OPEN, b, &err), STATUS_OK);
	assert_int_equal(store_load(*a, wa, &err), STATUS_OK);
	assert_int_equal(store_load(*b, wb, &err), STATUS_OK);
}

/* Another store changed the file: an edit built on what it changed is
 * refused (a conflict), and the model is brought up to date. */
static void
test_two_stores_stale(void **state)
{
	struct tmp t;
	struct store *a = NULL, *b = NULL;
	struct workbook *wa = NULL, *wb = NULL;
	struct edit *e = NULL;

	(void)state;
	open_twice(&t, &a, &wa, &b, &wb);
	assert_int_equal(store_set_author(a, "ann", &err), STATUS_OK);
	assert_int_equal(store_set_author(b, "bob", &err), STATUS_OK);
	assert_int_equal(edit_process_rename(wa, wa->procs[0]->id, "Renamed by A", &e), STATUS_OK);
	assert_int_equal(store_do(a, wa, e, &err), STATUS_OK);
	assert_int_equal(edit_process_rename(wb, wb->procs[0]->id, "Renamed by B", &e), STATUS_OK);
	assert_int_equal(store_do(b, wb, e, &err), STATUS_CONFLICT);
	assert_non_null(strstr(err.msg, t.path));
	assert_non_null(strstr(err.msg, "changed meanwhile"));
	/* b's model caught up with a's edit; b has nothing of its own to undo */
	assert_workbook_equal(wb, wa);
	assert_int_equal(store_undo(b, wb, NULL, &err), STATUS_NOTHING);
	/* b may edit again from what it now sees, and a's undo is refused */
	assert_int_equal(edit_process_rename(wb, wb->procs[0]->id, "Renamed by B", &e), STATUS_OK);
	assert_int_equal(store_do(b, wb, e, &err), STATUS_OK);
	assert_int_equal(store_undo(a, wa, NULL, &err), STATUS_CONFLICT);
	assert_non_null(strstr(err.msg, "bob changed it since"));
	assert_string_equal(wa->procs[0]->name, "Renamed by B");
	assert_int_equal(store_undo(b, wb, NULL, &err), STATUS_OK);
	assert_string_equal(wb->procs[0]->name, "Renamed by A");
	assert_int_equal(store_verify(b, &err), STATUS_OK);
	store_close(&a);
	store_close(&b);
	workbook_free(&wa);
	workbook_free(&wb);
	rm_tree(t.dir);
}

/* Settings (the scenario each process shows) survive a restart, are not
 * edits (nothing to undo), and do not make another program's model stale. */
static void
test_settings(void **state)
{
	struct tmp t;
	struct store *a = NULL, *b = NULL;
	struct workbook *wa = NULL, *wb = NULL;
	struct edit *e = NULL;
	int64_t v = -7;

	(void)state;
	open_twice(&t, &a, &wa, &b, &wb);
	assert_int_equal(store_get_setting(a, "scenario-shown.1", &v, &err), STATUS_OK);
	assert_int_equal(v, -7);             /* none: left as it was */
	assert_int_equal(store_set_setting(a, "scenario-shown.1", 42, &err), STATUS_OK);
	assert_false(store_can_undo(a));
	/* b's model is not stale for it: b may still edit */
	assert_int_equal(edit_process_rename(wb, wb->procs[0]->id, "Renamed by B", &e), STATUS_OK);
	assert_int_equal(store_do(b, wb, e, &err), STATUS_OK);
	store_close(&a);
	store_close(&b);
	assert_int_equal(store_open(t.path, STORE_OPEN, &a, &err), STATUS_OK);
	assert_int_equal(store_get_setting(a, "scenario-shown.1", &v, &err), STATUS_OK);
	assert_int_equal(v, 42);
	assert_int_equal(store_get_setting(a, "next_id", &v, &err), STATUS_OK);
	assert_int_equal(v, 42);             /* apart from the store's own keys */
	assert_int_equal(store_verify(a, &err), STATUS_OK);
	store_close(&a);
	workbook_free(&wa);
	workbook_free(&wb);
	rm_tree(t.dir);
}

/* A shell holding the write lock (sqlite3 BEGIN IMMEDIATE). */
struct holder {
	pid_t pid;
	FILE *in, *out;
};

static void
hold_lock(struct holder *h, const char *path)
{
	int to[2], from[2];
	char line[64];

	assert_int_equal(pipe(to), 0);
	assert_int_equal(pipe(from), 0);
	h->pid = fork();
	assert_true(h->pid >= 0);
	if (h->pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[1]);
		close(from[0]);
		execlp("sqlite3", "sqlite3", path, (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	h->in = fdopen(to[1], "w");
	h->out = fdopen(from[0], "r");
	fprintf(h->in, "BEGIN IMMEDIATE;\nUPDATE meta SET value = value WHERE key = 'next_id';\n"
	        "SELECT 'held';\n");
	fflush(h->in);
	assert_non_null(fgets(line, sizeof line, h->out));
	assert_string_equal(line, "held\n");
}

static void
release_lock(struct holder *h)
{
	int status;

	fprintf(h->in, "ROLLBACK;\n.quit\n");
	fclose(h->in);
	fclose(h->out);
	assert_int_equal(waitpid(h->pid, &status, 0), h->pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Another process holds the write lock: the writer waits out its busy
 * timeout, then gets STATUS_LOCKED with "FILE: workbook is locked by another
 * process"; nothing changes; once the lock is gone the edit goes through. */
static void
test_locked(void **state)
{
	struct tmp t;
	struct store *s = NULL, *r = NULL;
	struct workbook *w = NULL, *before, *back = NULL;
	struct holder h;
	struct edit *e = NULL;
	char want[256];
	double t0, waited;

	(void)state;
	if (!have_sqlite3_cli())
		skip();
	tmp_make(&t);
	make_workbook(t.path, NULL);
	assert_int_equal(store_open(t.path, STORE_OPEN, &s, &err), STATUS_OK);
	assert_int_equal(store_load(s, &w, &err), STATUS_OK);
	assert_non_null(before = workbook_copy(w));
	store_set_busy_timeout(s, 300);
	hold_lock(&h, t.path);

	assert_int_equal(edit_process_rename(w, w->procs[0]->id, "Renamed", &e), STATUS_OK);
	t0 = now_s();
	assert_int_equal(store_do(s, w, e, &err), STATUS_LOCKED);
	waited = now_s() - t0;
	snprintf(want, sizeof want, "%s: workbook is locked by another process", t.path);
	assert_string_equal(err.msg, want);
	assert_true(waited >= 0.25);
	assert_workbook_equal(w, before);
	/* Readers still read while the lock is held. */
	assert_int_equal(store_open(t.path, STORE_READONLY, &r, &err), STATUS_OK);
	assert_int_equal(store_load(r, &back, &err), STATUS_OK);
	assert_workbook_equal(back, before);
	workbook_free(&back);
	store_close(&r);

	release_lock(&h);
	assert_int_equal(edit_process_rename(w, w->procs[0]->id, "Renamed", &e), STATUS_OK);
	assert_int_equal(store_do(s, w, e, &err), STATUS_OK);
	s = reopen_check(s, t.path, w);
	assert_int_equal(store_verify(s, &err), STATUS_OK);
	store_close(&s);
	workbook_free(&w);
	workbook_free(&before);
	rm_tree(t.dir);
}

/* Run SQL on path with the sqlite3 shell. */
static void
sqlite3_cli(const char *path, const char *sql)
{
	char cmd[512];
	FILE *fp;

	snprintf(cmd, sizeof cmd, "sqlite3 -bail '%s'", path);
	assert_non_null(fp = popen(cmd, "w"));
	fputs(sql, fp);
	assert_int_equal(pclose(fp), 0);
}

/* The journal's text is versioned: a field a later stepmap added is
 * ignored, an entry of a later format is refused without harm. */
static void
test_journal_versions(void **state)
{
	struct tmp t;
	struct store *s = NULL;
	struct workbook *w = workbook_new(), *before;
	struct edit *e = NULL;
	sm_id pid;
	const char *label;

	(void)state;
	if (!have_sqlite3_cli())
		skip();
	tmp_make(&t);
	assert_int_equal(store_open(t.path, STORE_NEW, &s, &err), STATUS_OK);
	assert_int_equal(edit_process_add(w, "P", &e), STATUS_OK);
	pid = do_add(s, w, e);
	assert_int_equal(edit_lane_add(w, pid, "Nurse", STAGE_ONSTAGE, 2, &e), STATUS_OK);
	do_add(s, w, e);
	assert_int_equal(edit_process_rename(w, pid, "Q", &e), STATUS_OK);
	do_add(s, w, e);
	store_close(&s);
	/* Entry 2 (the lane) gains a field; entry 3 (the rename) a new format. */
	sqlite3_cli(t.path, "UPDATE changes SET edit = replace(edit, 'stage=', "
	            "'colour=teal' || char(9) || 'stage=')"
	            " WHERE id = 2;"
	            "UPDATE changes SET edit = replace(edit, 'stepmap-edit 1', 'stepmap-edit 7')"
	            " WHERE id = 3;");
	s = reopen_check(s, t.path, w);
	assert_non_null(before = workbook_copy(w));
	assert_int_equal(store_undo(s, w, &label, &err), STATUS_TOO_NEW);
	assert_non_null(strstr(err.msg, t.path));
	assert_non_null(strstr(err.msg, "newer stepmap"));
	assert_workbook_equal(w, before);
	assert_true(store_can_undo(s));
	assert_int_equal(store_verify(s, &err), STATUS_TOO_NEW);
	/* The entry before it reads with the unknown field skipped. */
	sqlite3_cli(t.path, "UPDATE changes SET edit = replace(edit, 'stepmap-edit 7', "
	            "'stepmap-edit 1') WHERE id = 3;");
	assert_int_equal(store_undo(s, w, &label, &err), STATUS_OK);
	assert_int_equal(store_undo(s, w, &label, &err), STATUS_OK);
	assert_int_equal(w->procs[0]->nlanes, 0);
	assert_int_equal(store_redo(s, w, &label, &err), STATUS_OK);
	assert_int_equal(w->procs[0]->lanes[0]->stage, STAGE_ONSTAGE);
	assert_int_equal(w->procs[0]->lanes[0]->capacity, 2);
	s = reopen_check(s, t.path, w);
	store_close(&s);
	workbook_free(&before);
	workbook_free(&w);
	rm_tree(t.dir);
}

/* A workbook is created whole or not at all; STORE_NEW never overwrites. */
static void
test_create_modes(void **state)
{
	struct tmp t;
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct file_state before;
	DIR *d;
	struct dirent *de;
	int n = 0;

	(void)state;
	tmp_make(&t);
	assert_int_equal(store_open(t.path, STORE_CREATE, &s, &err), STATUS_OK);
	assert_int_equal(store_load(s, &w, &err), STATUS_OK);
	assert_int_equal(w->nprocs, 0);
	workbook_free(&w);
	store_close(&s);
	/* Only the workbook is left in the directory. */
	assert_non_null(d = opendir(t.dir));
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	assert_int_equal(n, 1);
	file_state_get(t.path, &before);
	assert_int_equal(store_open(t.path, STORE_NEW, &s, &err), STATUS_INPUT);
	assert_non_null(strstr(err.msg, "exists"));
	assert_untouched(t.path, &before);
	assert_int_equal(store_open(t.path, STORE_CREATE, &s, &err), STATUS_OK);
	store_close(&s);
	free(before.bytes);
	rm_tree(t.dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_edit_reopen),
		cmocka_unit_test(test_undo_redo_across_restart),
		cmocka_unit_test(test_redo_tail_dropped),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_checkpoint_puts_edits_in_the_file),
		cmocka_unit_test(test_save_replaces),
		cmocka_unit_test(test_journal_cap),
		cmocka_unit_test(test_foreign_files_refused),
		cmocka_unit_test(test_too_new),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_migrate_v1),
		cmocka_unit_test(test_two_stores_stale),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_create_modes),
		cmocka_unit_test(test_journal_versions),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
