/*
 * test_share.c - one workbook shared by several store handles (issue 15):
 * each handle is what one workbench session or CLI command holds, on one
 * real file. Edits interleaved and caught up with (only the new change
 * rows, never a reload unless the log cannot say), an edit that no longer
 * applies refused as a conflict with nothing lost, ids that never collide,
 * undo per author, "last changed by", the upgrade of a version 4 undo
 * journal, and a seeded random run of three handles against each other
 * that must end with every model equal to what the file holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/model.h"
#include "store/store.h"
#include "store/store_int.h"   /* STORE_SCHEMA_VERSION */
#include "handmade.h"
#include "wbequal.h"
#include "tmpdir.h"

static struct err err;

/* A session: a store handle with its own model and author. */
struct sess {
	struct store *s;
	struct workbook *w;
};

/* A workbook of one process "P" with n steps "s0".."sN-1" at path. */
static void
make_workbook(const char *path, int n)
{
	struct store *s = NULL;
	struct workbook *w = workbook_new();
	struct process *p;
	int i;

	assert_non_null(p = workbook_add_process(w, workbook_new_id(w), "P"));
	for (i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof name, "s%d", i);
		hm_step(w, p, name, STEP_TASK, 0, dist_fixed(60), dist_fixed(0), 0);
	}
	assert_int_equal(store_open(path, STORE_NEW, &s, &err), STATUS_OK);
	assert_int_equal(store_save(s, w, &err), STATUS_OK);
	store_close(&s);
	workbook_free(&w);
}

static void
sess_open(struct sess *x, const char *path, const char *author)
{
	assert_int_equal(store_open(path, STORE_OPEN, &x->s, &err), STATUS_OK);
	assert_int_equal(store_set_author(x->s, author, &err), STATUS_OK);
	assert_int_equal(store_load(x->s, &x->w, &err), STATUS_OK);
}

static void
sess_close(struct sess *x)
{
	store_close(&x->s);
	workbook_free(&x->w);
}

/* What the file holds now, loaded by a fresh handle. */
static struct workbook *
file_model(const char *path)
{
	struct store *s = NULL;
	struct workbook *w = NULL;

	assert_int_equal(store_open(path, STORE_READONLY, &s, &err), STATUS_OK);
	assert_int_equal(store_load(s, &w, &err), STATUS_OK);
	store_close(&s);
	return w;
}

static size_t
catch_up(struct sess *x)
{
	size_t n = 99;

	assert_int_equal(store_catch_up(x->s, x->w, &n, &err), STATUS_OK);
	return n;
}

static struct process *
proc(const struct sess *x)
{
	return x->w->procs[0];
}

/* Insert a step named name at position at; returns the status; *id the
 * id it got in the file. */
static enum status
insert(struct sess *x, size_t at, const char *name, sm_id *id)
{
	struct edit *e = NULL;
	struct step t;
	enum status st;
	sm_id mine;

	step_init(&t);
	free(t.name);
	t.name = (char *)name;
	assert_int_equal(edit_step_insert(x->w, proc(x)->id, at, &t, &e), STATUS_OK);
	mine = *(sm_id *)(e->kind == EDIT_GROUP ? e->u.group.items[e->u.group.n - 1] : e)
	                     ->u.step.after;
	st = store_do(x->s, x->w, e, &err);
	if (id)
		*id = store_new_id(x->s, mine);
	return st;
}

static enum status
rename_step(struct sess *x, sm_id id, const char *name)
{
	struct step *s = process_step(proc(x), id), t;
	struct edit *e = NULL;

	assert_non_null(s);
	t = *s;
	t.name = (char *)name;
	assert_int_equal(edit_step_set(x->w, &t, &e), STATUS_OK);
	return store_do(x->s, x->w, e, &err);
}

static enum status
delete_step(struct sess *x, sm_id id)
{
	struct edit *e = NULL;

	assert_int_equal(edit_step_del(x->w, id, &e), STATUS_OK);
	return store_do(x->s, x->w, e, &err);
}

/* --- catching up ---------------------------------------------------------- */

/* Edits interleaved: each session sees the other's by applying only the new
 * change rows; nothing new is nothing done. */
static void
test_interleaved(void **state)
{
	struct tmp t;
	struct sess a = { 0 }, b = { 0 };
	struct workbook *f;
	sm_id s0;

	(void)state;
	tmp_make(&t);
	make_workbook(t.path, 5);
	sess_open(&a, t.path, "ann");
	sess_open(&b, t.path, "bob");
	assert_int_equal(catch_up(&b), 0);
	s0 = proc(&a)->steps[0]->id;
	assert_int_equal(rename_step(&a, s0, "Greet"), STATUS_OK);
	assert_int_equal(insert(&a, 1, "Weigh", NULL), STATUS_OK);
	assert_int_equal(catch_up(&b), 2);
	assert_false(store_reloaded(b.s));
	assert_workbook_equal(b.w, a.w);
	assert_int_equal(catch_up(&b), 0);
	assert_int_equal(rename_step(&b, s0, "Greet warmly"), STATUS_OK);
	assert_int_equal(delete_step(&b, proc(&b)->steps[4]->id), STATUS_OK);
	assert_int_equal(catch_up(&a), 2);
	assert_workbook_equal(a.w, b.w);
	assert_non_null(f = file_model(t.path));
	assert_workbook_equal(f, a.w);
	assert_string_equal(proc(&a)->steps[0]->name, "Greet warmly");
	/* who changed the step last */
	{
		char who[64];

		assert_true(store_last_author(a.s, s0, who, sizeof who));
		assert_string_equal(who, "bob");
		assert_false(store_last_author(a.s, proc(&a)->steps[2]->id, who, sizeof who));
	}
	workbook_free(&f);
	sess_close(&a);
	sess_close(&b);
	rm_tree(t.dir);
}

/* An edit made without catching up first catches up inside its own write:
 * it is checked against the workbook as it is. */
static void
test_write_catches_up(void **state)
{
	struct tmp t;
	struct sess a = { 0 }, b = { 0 };
	sm_id s1, s2;

	(void)state;
	tmp_make(&t);
	make_workbook(t.path, 4);
	sess_open(&a, t.path, "ann");
	sess_open(&b, t.path, "bob");
	s1 = proc(&a)->steps[1]->id;
	s2 = proc(&a)->steps[2]->id;
	assert_int_equal(rename_step(&a, s1, "by ann"), STATUS_OK);
	/* b has not seen it; its edit of another step still applies */
	assert_int_equal(rename_step(&b, s2, "by bob"), STATUS_OK);
	assert_string_equal(process_step(proc(&b), s1)->name, "by ann");
	assert_int_equal(catch_up(&a), 1);
	assert_workbook_equal(a.w, b.w);
	sess_close(&a);
	sess_close(&b);
	rm_tree(t.dir);
}

/* A cut undone by one session, another session's cut made meanwhile (taking
 * the same place at the end), then the first redone: every session applies
 * the cuts in the order the file loads them (key, then id), so the figures
 * of the scenario (which cuts apply, which are stale) are the same
 * everywhere. Found by tests/tmux-share.sh: the sessions counted one stale
 * cut more than the file. */
static void
test_redone_cut_order(void **state)
{
	struct tmp t;
	struct sess a = { 0 }, b = { 0 };
	struct workbook *f;
	struct edit *e = NULL;
	struct cut c = { 0 };
	const char *label;
	sm_id sc, s1;

	(void)state;
	tmp_make(&t);
	make_workbook(t.path, 3);
	sess_open(&a, t.path, "ann");
	sess_open(&b, t.path, "bob");
	s1 = proc(&a)->steps[1]->id;
	assert_int_equal(edit_scenario_add(a.w, proc(&a)->id, "lean", &e), STATUS_OK);
	assert_int_equal(store_do(a.s, a.w, e, &err), STATUS_OK);
	sc = proc(&a)->scenarios[0]->id;
	c.kind = CUT_AUTOMATE;
	c.step = s1;
	c.time_factor = c.error_factor = 0.1;
	assert_int_equal(edit_cut_add(a.w, sc, &c, &e), STATUS_OK);
	assert_int_equal(store_do(a.s, a.w, e, &err), STATUS_OK);
	assert_int_equal(store_undo(a.s, a.w, &label, &err), STATUS_OK);
	catch_up(&b);
	memset(&c, 0, sizeof c);
	c.kind = CUT_REMOVE;
	c.step = s1;
	assert_int_equal(edit_cut_add(b.w, sc, &c, &e), STATUS_OK);
	assert_int_equal(store_do(b.s, b.w, e, &err), STATUS_OK);
	assert_int_equal(store_redo(a.s, a.w, &label, &err), STATUS_OK);
	catch_up(&b);
	assert_int_equal(proc(&a)->scenarios[0]->ncuts, 2);
	/* the automate cut (made first, the smaller id) applies first */
	assert_int_equal(proc(&a)->scenarios[0]->cuts[0]->kind, CUT_AUTOMATE);
	assert_non_null(f = file_model(t.path));
	assert_workbook_equal(f, a.w);
	assert_workbook_equal(f, b.w);
	workbook_free(&f);
	sess_close(&a);
	sess_close(&b);
	rm_tree(t.dir);
}

/* --- conflicts ------------------------------------------------------------- */

/* The step was deleted meanwhile, or changed: the edit is refused with one
 * line that says so; the model is caught up; nothing else is lost. */
static void
test_conflict(void **state)
{
	struct tmp t;
	struct sess a = { 0 }, b = { 0 };
	struct workbook *f;
	struct edit *e = NULL;
	sm_id s1, s2, s3;

	(void)state;
	tmp_make(&t);
	make_workbook(t.path, 4);
	sess_open(&a, t.path, "ann");
	sess_open(&b, t.path, "bob");
	s1 = proc(&a)->steps[1]->id;
	s2 = proc(&a)->steps[2]->id;
	s3 = proc(&a)->steps[3]->id;
	assert_int_equal(delete_step(&a, s1), STATUS_OK);
	assert_int_equal(rename_step(&b, s1, "too late"), STATUS_CONFLICT);
	assert_non_null(strstr(err.msg, "no longer applies"));
	assert_non_null(strstr(err.msg, "deleted meanwhile"));
	assert_null(strchr(err.msg, '\n'));
	assert_null(process_step(proc(&b), s1));
	assert_workbook_equal(b.w, a.w);
	/* a flow to a step deleted meanwhile */
	assert_int_equal(delete_step(&a, s3), STATUS_OK);
	assert_int_equal(edit_flow_add(b.w, s2, s3, "on", -1, &e), STATUS_OK);
	assert_int_equal(store_do(b.s, b.w, e, &err), STATUS_CONFLICT);
	assert_non_null(strstr(err.msg, "no longer applies"));
	/* a change to what the other changed meanwhile */
	assert_int_equal(rename_step(&a, s2, "ann's"), STATUS_OK);
	assert_int_equal(rename_step(&b, s2, "bob's"), STATUS_CONFLICT);
	assert_non_null(strstr(err.msg, "changed meanwhile"));
	assert_string_equal(process_step(proc(&b), s2)->name, "ann's");
	/* and from what it now sees, b's edit goes through */
	assert_int_equal(rename_step(&b, s2, "bob's"), STATUS_OK);
	assert_int_equal(catch_up(&a), 1);
	assert_non_null(f = file_model(t.path));
	assert_workbook_equal(f, a.w);
	assert_workbook_equal(f, b.w);
	assert_int_equal(store_verify(a.s, &err), STATUS_OK);
	workbook_free(&f);
	sess_close(&a);
	sess_close(&b);
	rm_tree(t.dir);
}

/* Both sessions take the same next id for a new step: the second to write
 * gets another, and says where its id went; a group with the new step and
 * a flow to it moves both. */
static void
test_id_collision(void **state)
{
	struct tmp t;
	struct sess a = { 0 }, b = { 0 };
	struct edit *e = NULL, **items = calloc(2, sizeof *items);
	struct step tm;
	sm_id ida, idb, mine, flow;
	struct workbook *f;

	(void)state;
	assert_non_null(items);
	tmp_make(&t);
	make_workbook(t.path, 3);
	sess_open(&a, t.path, "ann");
	sess_open(&b, t.path, "bob");
	assert_int_equal(a.w->next_id, b.w->next_id);
	assert_int_equal(insert(&a, 1, "ann's step", &ida), STATUS_OK);
	/* b's step and its flow from step 0, built on the old next id */
	step_init(&tm);
	free(tm.name);
	tm.name = (char *)"bob's step";
	assert_int_equal(edit_step_insert(b.w, proc(&b)->id, 3, &tm, &items[0]), STATUS_OK);
	mine = *(sm_id *)(items[0]->kind == EDIT_GROUP
	                  ? items[0]->u.group.items[items[0]->u.group.n - 1] : items[0])
	                 ->u.step.after;
	assert_int_equal(mine, ida);   /* the same id */
	/* apply b's insert to a copy of its model to build the flow on it */
	{
		struct workbook *tmpw = workbook_copy(b.w);

		assert_int_equal(edit_apply(tmpw, items[0], &err), STATUS_OK);
		assert_int_equal(edit_flow_add(tmpw, proc(&b)->steps[0]->id, mine, "to bob's", -1,
		                               &items[1]), STATUS_OK);
		b.w->next_id = tmpw->next_id;
		workbook_free(&tmpw);
	}
	flow = *(sm_id *)items[1]->u.flow.after;
	e = edit_group(items, 2, "bob adds");
	assert_int_equal(store_do(b.s, b.w, e, &err), STATUS_OK);
	idb = store_new_id(b.s, mine);
	assert_true(idb != ida);
	assert_non_null(process_step(proc(&b), idb));
	assert_string_equal(process_step(proc(&b), idb)->name, "bob's step");
	assert_string_equal(process_step(proc(&b), ida)->name, "ann's step");
	assert_non_null(process_flow(proc(&b), store_new_id(b.s, flow)));
	assert_int_equal(process_flow(proc(&b), store_new_id(b.s, flow))->to, idb);
	assert_int_equal(catch_up(&a), 1);
	assert_workbook_equal(a.w, b.w);
	assert_non_null(f = file_model(t.path));
	assert_workbook_equal(f, a.w);
	assert_true(f->next_id > idb);
	assert_int_equal(store_verify(a.s, &err), STATUS_OK);
	workbook_free(&f);
	sess_close(&a);
	sess_close(&b);
	rm_tree(t.dir);
}

/* --- undo per author -------------------------------------------------------- */

static void
test_undo_per_author(void **state)
{
	struct tmp t;
	struct sess a = { 0 }, b = { 0 };
	const char *label;
	sm_id s0, s1;

	(void)state;
	tmp_make(&t);
	make_workbook(t.path, 3);
	sess_open(&a, t.path, "ann");
	sess_open(&b, t.path, "bob");
	s0 = proc(&a)->steps[0]->id;
	s1 = proc(&a)->steps[1]->id;
	assert_false(store_can_undo(a.s));
	assert_int_equal(rename_step(&a, s0, "ann 1"), STATUS_OK);
	assert_int_equal(rename_step(&b, s1, "bob 1"), STATUS_OK);
	assert_true(store_can_undo(a.s));
	/* a's undo takes a's edit, not bob's later one */
	assert_int_equal(store_undo(a.s, a.w, &label, &err), STATUS_OK);
	assert_string_equal(process_step(proc(&a), s0)->name, "s0");
	assert_string_equal(process_step(proc(&a), s1)->name, "bob 1");
	assert_int_equal(store_undo(a.s, a.w, &label, &err), STATUS_NOTHING);
	/* b sees the undo like any change */
	assert_int_equal(catch_up(&b), 1);
	assert_workbook_equal(a.w, b.w);
	/* redo is a's too */
	assert_int_equal(store_redo(b.s, b.w, &label, &err), STATUS_NOTHING);
	assert_int_equal(store_redo(a.s, a.w, &label, &err), STATUS_OK);
	assert_string_equal(process_step(proc(&a), s0)->name, "ann 1");
	/* bob changes what a's edit touched (built on a stale model: refused;
	 * caught up: done): a's undo says so and does nothing */
	assert_int_equal(rename_step(&b, s0, "bob 2"), STATUS_CONFLICT);
	assert_int_equal(rename_step(&b, s0, "bob 2"), STATUS_OK);
	assert_int_equal(store_undo(a.s, a.w, &label, &err), STATUS_CONFLICT);
	assert_non_null(strstr(err.msg, "bob changed it since"));
	assert_null(strchr(err.msg, '\n'));
	assert_string_equal(process_step(proc(&a), s0)->name, "bob 2");
	/* bob's undo goes (only bob touched it since) */
	assert_int_equal(store_undo(b.s, b.w, &label, &err), STATUS_OK);
	assert_string_equal(process_step(proc(&b), s0)->name, "ann 1");
	/* a new edit drops what its author could redo, not the other's */
	assert_int_equal(rename_step(&a, proc(&a)->steps[2]->id, "ann 2"), STATUS_OK);
	assert_true(store_can_redo(b.s));
	assert_int_equal(store_undo(a.s, a.w, &label, &err), STATUS_OK);
	assert_int_equal(store_redo(a.s, a.w, &label, &err), STATUS_OK);
	assert_int_equal(store_redo(a.s, a.w, &label, &err), STATUS_NOTHING);
	assert_int_equal(store_redo(b.s, b.w, &label, &err), STATUS_OK);
	assert_string_equal(process_step(proc(&b), s0)->name, "bob 2");
	assert_int_equal(catch_up(&a), 1);
	assert_workbook_equal(a.w, b.w);
	assert_int_equal(store_verify(a.s, &err), STATUS_OK);
	sess_close(&a);
	sess_close(&b);
	rm_tree(t.dir);
}

/* The workbook replaced whole (store_save) or the log trimmed past what a
 * session saw: it loads again, in place. */
static void
test_reload_when_the_log_cannot_say(void **state)
{
	struct tmp t;
	struct sess a = { 0 }, b = { 0 };
	struct workbook *nw = workbook_new();
	struct process *p;

	(void)state;
	tmp_make(&t);
	make_workbook(t.path, 3);
	sess_open(&a, t.path, "ann");
	sess_open(&b, t.path, "bob");
	assert_non_null(p = workbook_add_process(nw, workbook_new_id(nw), "Other"));
	hm_step(nw, p, "only", STEP_TASK, 0, dist_fixed(5), dist_fixed(0), 0);
	assert_int_equal(store_save(a.s, nw, &err), STATUS_OK);
	assert_int_equal(catch_up(&b), 1);
	assert_true(store_reloaded(b.s));
	assert_workbook_equal(b.w, nw);
	assert_int_equal(catch_up(&b), 0);
	assert_false(store_reloaded(b.s));
	workbook_free(&nw);
	sess_close(&a);
	sess_close(&b);
	rm_tree(t.dir);
}

/* A version 4 workbook's undo journal becomes the change log: the entries
 * are the opener's, those after undo_at can be redone. */
static void
test_upgrade_journal(void **state)
{
	struct tmp t;
	struct sess a = { 0 };
	char cmd[1024];
	const char *label;
	sm_id s0;
	FILE *fp;

	(void)state;
	if (system("command -v sqlite3 >/dev/null 2>&1") != 0)
		skip();
	tmp_make(&t);
	make_workbook(t.path, 2);
	sess_open(&a, t.path, "ann");
	s0 = proc(&a)->steps[0]->id;
	assert_int_equal(rename_step(&a, s0, "one"), STATUS_OK);
	assert_int_equal(rename_step(&a, s0, "two"), STATUS_OK);
	assert_int_equal(rename_step(&a, s0, "three"), STATUS_OK);
	assert_int_equal(store_undo(a.s, a.w, &label, &err), STATUS_OK);
	sess_close(&a);
	/* what the version before the change log had: the journal of the three edits, undo_at 2 */
	snprintf(cmd, sizeof cmd, "sqlite3 -bail '%s'", t.path);
	assert_non_null(fp = popen(cmd, "w"));
	fprintf(fp, "BEGIN;"
	      "CREATE TABLE journal(seq INTEGER PRIMARY KEY, edit TEXT NOT NULL);"
	      "INSERT INTO journal SELECT id, edit FROM changes WHERE kind = 'edit';"
	      "INSERT INTO meta VALUES ('undo_at', 2);"
	      "DROP TABLE changes; DROP TABLE change_objects;"
	      "PRAGMA user_version = %d; COMMIT;", STORE_VERSION_CHANGES - 1);
	assert_int_equal(pclose(fp), 0);
	setenv("USER", "ann", 1);
	sess_open(&a, t.path, "ann");
	assert_string_equal(process_step(proc(&a), s0)->name, "two");
	assert_int_equal(store_verify(a.s, &err), STATUS_OK);
	assert_int_equal(store_redo(a.s, a.w, &label, &err), STATUS_OK);
	assert_string_equal(process_step(proc(&a), s0)->name, "three");
	assert_int_equal(store_undo(a.s, a.w, &label, &err), STATUS_OK);
	assert_int_equal(store_undo(a.s, a.w, &label, &err), STATUS_OK);
	assert_int_equal(store_undo(a.s, a.w, &label, &err), STATUS_OK);
	assert_string_equal(process_step(proc(&a), s0)->name, "s0");
	{
		char who[64];

		assert_true(store_last_author(a.s, s0, who, sizeof who));
		assert_string_equal(who, "ann");
	}
	sess_close(&a);
	rm_tree(t.dir);
}

/* --- a seeded random run ------------------------------------------------------- */

static unsigned rnd_state;

static unsigned
rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

/* A step to act on: most often one of the first few, where everyone's
 * attention is (and where sessions meet). */
static sm_id
pick_step(const struct process *p)
{
	unsigned n = rnd(3) ? (p->nsteps < 6 ? (unsigned)p->nsteps : 6) : (unsigned)p->nsteps;

	return p->steps[rnd(n)]->id;
}

/* One random edit by x on its own (possibly stale) model. */
static enum status
random_edit(struct sess *x, int i)
{
	struct process *p = proc(x);
	struct edit *e = NULL;
	char name[32];
	const char *label;
	enum status st;
	unsigned r = rnd(100);

	snprintf(name, sizeof name, "n%d", i);
	if (p->nsteps < 3 || r < 30)
		return insert(x, rnd((unsigned)p->nsteps + 1), name, NULL);
	if (r < 45)
		return rename_step(x, pick_step(p), name);
	if (r < 55)
		return delete_step(x, pick_step(p));
	if (r < 65) {
		st = edit_step_move(x->w, p->steps[rnd((unsigned)p->nsteps)]->id,
		                    rnd((unsigned)p->nsteps), &e);
		if (st != STATUS_OK)
			return STATUS_NOTHING;
		return store_do(x->s, x->w, e, &err);
	}
	if (r < 75) {
		sm_id from = p->steps[rnd((unsigned)p->nsteps)]->id;
		sm_id to = p->steps[rnd((unsigned)p->nsteps)]->id;

		if (from == to || edit_flow_add(x->w, from, to, name, -1, &e) != STATUS_OK) {
			edit_free(&e);
			return STATUS_NOTHING;
		}
		return store_do(x->s, x->w, e, &err);
	}
	if (r < 80 && p->nflows)
		return store_do(x->s, x->w,
		                (edit_flow_del(x->w, p->flows[rnd((unsigned)p->nflows)]->id, &e), e),
		                &err);
	if (r < 92)
		return store_undo(x->s, x->w, &label, &err);
	return store_redo(x->s, x->w, &label, &err);
}

static void
test_random_sessions(void **state)
{
	enum { NS = 3, EDITS = 600 };
	struct tmp t;
	struct sess x[NS];
	struct workbook *f;
	size_t counts[8] = { 0 };
	int i;

	(void)state;
	memset(x, 0, sizeof x);
	rnd_state = 20261203u;
	tmp_make(&t);
	make_workbook(t.path, 6);
	for (i = 0; i < NS; i++) {
		char who[16];

		snprintf(who, sizeof who, "p%d", i);
		sess_open(&x[i], t.path, who);
	}
	for (i = 0; i < EDITS; i++) {
		struct sess *s = &x[rnd(NS)];
		enum status st;

		/* most of the time a session is idle before its edit and has
		 * caught up; sometimes it builds on what it saw a while ago */
		if (rnd(2))
			catch_up(s);
		st = random_edit(s, i);
		if (st != STATUS_OK && st != STATUS_CONFLICT && st != STATUS_NOTHING)
			fail_msg("edit %d: %s: %s", i, status_text(st), err.msg);
		counts[st == STATUS_OK ? 0 : st == STATUS_CONFLICT ? 1 : 2]++;
	}
	print_message("random run: %zu applied, %zu conflicts, %zu nothing to do\n", counts[0],
	              counts[1], counts[2]);
	assert_true(counts[0] > EDITS / 2);
	assert_true(counts[1] > 0);
	assert_non_null(f = file_model(t.path));
	for (i = 0; i < NS; i++) {
		catch_up(&x[i]);
		assert_workbook_equal(x[i].w, f);
	}
	assert_int_equal(store_verify(x[0].s, &err), STATUS_OK);
	workbook_free(&f);
	for (i = 0; i < NS; i++)
		sess_close(&x[i]);
	rm_tree(t.dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_write_catches_up),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_redone_cut_order),
		cmocka_unit_test(test_id_collision),
		cmocka_unit_test(test_undo_per_author),
		cmocka_unit_test(test_reload_when_the_log_cannot_say),
		cmocka_unit_test(test_upgrade_journal),
		cmocka_unit_test(test_random_sessions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
