/*
 * test_edit.c - edits: every builder, applied and undone (apply then the
 * inverse gives back a workbook equal to the original, deep), copies of
 * edits, groups that fail half-way, key respacing, and the id index after
 * many edits.
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

#include "model/model.h"

/* --- deep equality ------------------------------------------------------ */

/* Where two workbooks first differ, for the failure message. */
static char diff_at[256];

#define DIFF_(cond, ...) \
	do { \
		if (cond) { \
			snprintf(diff_at, sizeof diff_at, __VA_ARGS__); \
			return false; \
		} \
	} while (0)

static bool
str_eq(const char *a, const char *b)
{
	return (!a || !b) ? a == b : strcmp(a, b) == 0;
}

static bool
step_eq(const struct step *a, const struct step *b)
{
	DIFF_(a->id != b->id, "step id %lld vs %lld", (long long)a->id, (long long)b->id);
	DIFF_(a->key != b->key, "step %lld key %.17g vs %.17g", (long long)a->id, a->key, b->key);
	DIFF_(a->lane != b->lane || a->type != b->type || a->value != b->value ||
	      a->error_rate != b->error_rate || a->cost != b->cost || a->emotion != b->emotion ||
	      a->pain != b->pain || a->index != b->index,
	      "step %lld fields", (long long)a->id);
	DIFF_(!dist_equal(&a->work, &b->work) || !dist_equal(&a->wait, &b->wait),
	      "step %lld times", (long long)a->id);
	DIFF_(!str_eq(a->name, b->name) || !str_eq(a->channel, b->channel) ||
	      !str_eq(a->note, b->note), "step %lld texts", (long long)a->id);
	return true;
}

static bool
process_eq(const struct process *a, const struct process *b)
{
	size_t i, j;

	DIFF_(a->id != b->id || a->key != b->key || !str_eq(a->name, b->name) ||
	      !str_eq(a->description, b->description) || !dist_equal(&a->arrival, &b->arrival),
	      "process %lld head", (long long)a->id);
	DIFF_(a->nlanes != b->nlanes, "process %lld: %zu vs %zu lanes", (long long)a->id,
	      a->nlanes, b->nlanes);
	for (i = 0; i < a->nlanes; i++) {
		const struct lane *x = a->lanes[i], *y = b->lanes[i];

		DIFF_(x->id != y->id || !str_eq(x->name, y->name) || x->stage != y->stage ||
		      x->capacity != y->capacity || x->key != y->key, "lane %zu", i);
	}
	DIFF_(a->nsteps != b->nsteps, "process %lld: %zu vs %zu steps", (long long)a->id,
	      a->nsteps, b->nsteps);
	for (i = 0; i < a->nsteps; i++) {
		if (!step_eq(a->steps[i], b->steps[i]))
			return false;
		DIFF_(process_step(a, a->steps[i]->id) != a->steps[i] ||
		      process_step(b, b->steps[i]->id) != b->steps[i], "step index of %zu", i);
	}
	DIFF_(a->nflows != b->nflows, "%zu vs %zu flows", a->nflows, b->nflows);
	for (i = 0; i < a->nflows; i++) {
		const struct flow *x = a->flows[i], *y = b->flows[i];

		DIFF_(x->id != y->id || x->from != y->from || x->to != y->to || x->prob != y->prob ||
		      !str_eq(x->label, y->label) || !str_eq(x->condition, y->condition),
		      "flow %zu", i);
	}
	DIFF_(a->nmeasures != b->nmeasures, "%zu vs %zu measures", a->nmeasures, b->nmeasures);
	for (i = 0; i < a->nmeasures; i++) {
		const struct measure *x = a->measures[i], *y = b->measures[i];

		DIFF_(x->id != y->id || x->from != y->from || x->to != y->to || x->clock != y->clock ||
		      !str_eq(x->name, y->name), "measure %zu", i);
	}
	DIFF_(a->nscenarios != b->nscenarios, "%zu vs %zu scenarios", a->nscenarios,
	      b->nscenarios);
	for (i = 0; i < a->nscenarios; i++) {
		const struct scenario *x = a->scenarios[i], *y = b->scenarios[i];

		DIFF_(x->id != y->id || !str_eq(x->name, y->name) || x->ncuts != y->ncuts,
		      "scenario %zu", i);
		for (j = 0; j < x->ncuts; j++) {
			const struct cut *c = x->cuts[j], *d = y->cuts[j];

			DIFF_(c->id != d->id || c->key != d->key || c->kind != d->kind ||
			      c->step != d->step || c->step2 != d->step2 || c->lane != d->lane ||
			      c->time_factor != d->time_factor || c->error_factor != d->error_factor ||
			      c->capacity != d->capacity || !str_eq(c->field, d->field) ||
			      !str_eq(c->value, d->value), "cut %zu of scenario %zu", j, i);
		}
	}
	return true;
}

/* Equal in every object and field (next_id aside: ids are never reused). */
static bool
workbook_eq(const struct workbook *a, const struct workbook *b)
{
	size_t i;

	DIFF_(a->nprocs != b->nprocs, "%zu vs %zu processes", a->nprocs, b->nprocs);
	for (i = 0; i < a->nprocs; i++)
		if (!process_eq(a->procs[i], b->procs[i]))
			return false;
	return true;
}

#define assert_workbook_eq(a, b) \
	do { \
		if (!workbook_eq((a), (b))) \
			fail_msg("workbooks differ: %s", diff_at); \
	} while (0)

/* --- a fixture: a small emergency department ------------------------------ */

struct fix {
	struct workbook *w;
	struct process *p;
	sm_id patient, nurse, lab;               /* lanes */
	sm_id s[8];                              /* steps */
	sm_id branch, loop;                      /* flows */
	sm_id door_to_doc, whole;                /* measures */
	sm_id lean;                              /* scenario */
	sm_id cut1;
};

/* The edit a builder made (read through ep after the call: the order in
 * which arguments are evaluated is unspecified). */
static struct edit *
must(enum status st, struct edit **ep)
{
	if (st != STATUS_OK)
		fail_msg("builder failed: %s", status_text(st));
	assert_non_null(*ep);
	return *ep;
}

static void
apply_ok(struct workbook *w, struct edit *e)
{
	struct err err = { 0 };

	if (edit_apply(w, e, &err) != STATUS_OK)
		fail_msg("apply '%s': %s", e->label ? e->label : "", err.msg);
}

/* Build an edit, apply it, free it. */
#define DO_(w, call) \
	do { \
		struct edit *e_ = NULL; \
		e_ = must((call), &e_); \
		apply_ok((w), e_); \
		edit_free(&e_); \
	} while (0)

static sm_id
last_added_id(const struct edit *e)
{
	while (e->kind == EDIT_GROUP)
		e = e->u.group.items[e->u.group.n - 1];
	switch (e->kind) {
	case EDIT_LANE_ADD:     return e->u.lane.after->id;
	case EDIT_STEP_ADD:     return e->u.step.after->id;
	case EDIT_FLOW_ADD:     return e->u.flow.after->id;
	case EDIT_MEASURE_ADD:  return e->u.measure.after->id;
	case EDIT_SCENARIO_ADD: return e->u.scenario.after->id;
	case EDIT_CUT_ADD:      return e->u.cut.after->id;
	case EDIT_PROCESS_ADD:  return e->u.process.after->id;
	default:                return 0;
	}
}

/* Apply a built edit and return the id of what it added. */
static sm_id
add_ok(struct workbook *w, enum status st, struct edit **ep)
{
	struct edit *e = must(st, ep);
	sm_id id;

	apply_ok(w, e);
	id = last_added_id(e);
	edit_free(ep);
	return id;
}

static struct step
tmpl_step(const char *name, enum step_type type, sm_id lane, const char *work)
{
	struct step s;

	step_init(&s);
	free(s.name);
	s.name = (char *)name;
	s.type = type;
	s.lane = lane;
	if (work)
		assert_int_equal(dist_parse(work, "work", &s.work, NULL), STATUS_OK);
	return s;
}

static int
fix_setup(void **state)
{
	static const struct { const char *name; enum step_type type; int lane; const char *work; } steps[8] = {
		{ "Walk in", STEP_START, 0, NULL },
		{ "Register", STEP_MANUAL, 1, "5m" },
		{ "Triage decision", STEP_DECISION, 1, NULL },
		{ "Seen by physician", STEP_TASK, 2, "tri(5m,10m,20m)" },
		{ "Lab tests", STEP_SERVICE, 2, "exp(30m)" },
		{ "Wait in waiting room", STEP_WAIT, 0, NULL },
		{ "Review results", STEP_DECISION, 1, "5m" },
		{ "Admitted", STEP_END, 0, NULL },
	};
	struct fix *f = calloc(1, sizeof *f);
	struct edit *e = NULL;
	struct cut c = { 0 };
	sm_id pid, lanes[3];
	size_t i;

	assert_non_null(f);
	f->w = workbook_new();
	pid = add_ok(f->w, edit_process_add(f->w, "ED", &e), &e);
	f->p = workbook_process(f->w, pid);
	lanes[0] = f->patient = add_ok(f->w, edit_lane_add(f->w, pid, "Patient", STAGE_CUSTOMER, 0, &e), &e);
	lanes[1] = f->nurse = add_ok(f->w, edit_lane_add(f->w, pid, "Triage nurse", STAGE_ONSTAGE, 2, &e), &e);
	lanes[2] = f->lab = add_ok(f->w, edit_lane_add(f->w, pid, "Lab", STAGE_OFFSTAGE, 1, &e), &e);
	for (i = 0; i < 8; i++) {
		struct step t = tmpl_step(steps[i].name, steps[i].type, lanes[steps[i].lane], steps[i].work);

		f->s[i] = add_ok(f->w, edit_step_insert(f->w, pid, i, &t, &e), &e);
	}
	process_step(f->p, f->s[1])->note = strdup("paper form");
	f->branch = add_ok(f->w, edit_flow_add(f->w, f->s[2], f->s[3], "urgent", 0.7, &e), &e);
	add_ok(f->w, edit_flow_add(f->w, f->s[2], f->s[5], "not urgent", 0.3, &e), &e);
	add_ok(f->w, edit_flow_add(f->w, f->s[5], f->s[3], NULL, -1, &e), &e);
	f->loop = add_ok(f->w, edit_flow_add(f->w, f->s[6], f->s[4], "redo", 0.1, &e), &e);
	add_ok(f->w, edit_flow_add(f->w, f->s[6], f->s[7], NULL, 0.9, &e), &e);
	f->door_to_doc = add_ok(f->w, edit_measure_add(f->w, pid, "door to doctor", f->s[0], f->s[3],
	                                              CLOCK_CUSTOMER, &e), &e);
	f->whole = add_ok(f->w, edit_measure_add(f->w, pid, "time to admit", f->s[0], f->s[7],
	                                        CLOCK_PROCESS, &e), &e);
	f->lean = add_ok(f->w, edit_scenario_add(f->w, pid, "lean", &e), &e);
	c.kind = CUT_REMOVE;
	c.step = f->s[5];
	f->cut1 = add_ok(f->w, edit_cut_add(f->w, f->lean, &c, &e), &e);
	c.kind = CUT_AUTOMATE;
	c.step = f->s[1];
	c.time_factor = 0.1;
	c.error_factor = 0.5;
	c.lane = f->lab;
	add_ok(f->w, edit_cut_add(f->w, f->lean, &c, &e), &e);
	*state = f;
	return 0;
}

static int
fix_teardown(void **state)
{
	struct fix *f = *state;

	workbook_free(&f->w);
	free(f);
	return 0;
}

static void
test_fixture(void **state)
{
	struct fix *f = *state;
	size_t i;

	assert_int_equal(f->p->nsteps, 8);
	for (i = 0; i < 8; i++) {
		assert_int_equal(f->p->steps[i]->id, f->s[i]);
		assert_int_equal(f->p->steps[i]->index, i);
	}
	assert_int_equal(f->p->nlanes, 3);
	assert_int_equal(f->p->nflows, 5);
	assert_int_equal(f->p->nmeasures, 2);
	assert_int_equal(f->p->scenarios[0]->ncuts, 2);
	assert_true(f->w->next_id > f->cut1);
}

/* --- every builder: apply, check, invert ------------------------------------ */

typedef enum status (*build_fn)(struct fix *f, struct edit **out);
typedef void (*check_fn)(struct fix *f);

static enum status
b_process_add(struct fix *f, struct edit **out)
{
	return edit_process_add(f->w, "Discharge", out);
}
static void
c_process_add(struct fix *f)
{
	assert_int_equal(f->w->nprocs, 2);
	assert_string_equal(workbook_process_named(f->w, "2")->name, "Discharge");
}

static enum status
b_process_del(struct fix *f, struct edit **out)
{
	return edit_process_del(f->w, f->p->id, out);
}
static void
c_process_del(struct fix *f)
{
	assert_int_equal(f->w->nprocs, 0);
}

static enum status
b_process_rename(struct fix *f, struct edit **out)
{
	return edit_process_rename(f->w, f->p->id, "Emergency", out);
}
static void
c_process_rename(struct fix *f)
{
	assert_string_equal(f->p->name, "Emergency");
}

static enum status
b_process_copy(struct fix *f, struct edit **out)
{
	return edit_process_copy(f->w, f->p->id, "ED copy", out);
}
static void
c_process_copy(struct fix *f)
{
	const struct process *q = workbook_process_named(f->w, "ED copy");
	size_t i;

	assert_non_null(q);
	assert_int_equal(q->nsteps, 8);
	assert_int_equal(q->nflows, 5);
	assert_int_equal(q->nlanes, 3);
	assert_int_equal(q->nmeasures, 2);
	assert_int_equal(q->nscenarios, 1);
	assert_int_equal(q->scenarios[0]->ncuts, 2);
	for (i = 0; i < 8; i++) {
		/* Fresh ids, same names, lanes mapped to the copy's lanes. */
		assert_true(q->steps[i]->id != f->p->steps[i]->id);
		assert_string_equal(q->steps[i]->name, f->p->steps[i]->name);
		assert_true(q->steps[i]->lane == 0 || process_lane(q, q->steps[i]->lane));
	}
	for (i = 0; i < q->nflows; i++) {
		assert_non_null(process_step(q, q->flows[i]->from));
		assert_non_null(process_step(q, q->flows[i]->to));
	}
	assert_non_null(process_step(q, q->scenarios[0]->cuts[0]->step));
	assert_non_null(process_lane(q, q->scenarios[0]->cuts[1]->lane));
}

static enum status
b_lane_add(struct fix *f, struct edit **out)
{
	return edit_lane_add(f->w, f->p->id, "Bed management", STAGE_OFFSTAGE, 0, out);
}
static void
c_lane_add(struct fix *f)
{
	assert_int_equal(f->p->nlanes, 4);
	assert_non_null(process_lane_named(f->p, "Bed management"));
}

static enum status
b_lane_del(struct fix *f, struct edit **out)
{
	return edit_lane_del(f->w, f->nurse, out);
}
static void
c_lane_del(struct fix *f)
{
	size_t i;

	assert_int_equal(f->p->nlanes, 2);
	assert_null(process_lane(f->p, f->nurse));
	for (i = 0; i < f->p->nsteps; i++)
		assert_true(f->p->steps[i]->lane != f->nurse);
	assert_int_equal(process_step(f->p, f->s[1])->lane, 0);
}

static enum status
b_lane_set(struct fix *f, struct edit **out)
{
	struct lane l = *process_lane(f->p, f->lab);

	l.name = (char *)"Laboratory";
	l.capacity = 4;
	l.key = -5;                  /* to the top */
	return edit_lane_set(f->w, &l, out);
}
static void
c_lane_set(struct fix *f)
{
	assert_string_equal(f->p->lanes[0]->name, "Laboratory");
	assert_int_equal(f->p->lanes[0]->capacity, 4);
}

static enum status
b_step_insert(struct fix *f, struct edit **out)
{
	struct step t = tmpl_step("Take vitals", STEP_MANUAL, f->nurse, "3m");

	return edit_step_insert(f->w, f->p->id, 3, &t, out);
}
static void
c_step_insert(struct fix *f)
{
	assert_int_equal(f->p->nsteps, 9);
	assert_string_equal(f->p->steps[3]->name, "Take vitals");
	assert_int_equal(f->p->steps[4]->id, f->s[3]);
	assert_int_equal(f->p->steps[4]->index, 4);
}

static enum status
b_step_del(struct fix *f, struct edit **out)
{
	return edit_step_del(f->w, f->s[3], out);
}
static void
c_step_del(struct fix *f)
{
	const struct measure *m = process_measure(f->p, f->door_to_doc);
	size_t i;

	assert_int_equal(f->p->nsteps, 7);
	assert_null(process_step(f->p, f->s[3]));
	for (i = 0; i < f->p->nflows; i++)
		assert_true(f->p->flows[i]->from != f->s[3] && f->p->flows[i]->to != f->s[3]);
	/* The measure that ended there ends at the step before. */
	assert_non_null(m);
	assert_int_equal(m->to, f->s[2]);
}

static enum status
b_step_del_first(struct fix *f, struct edit **out)
{
	return edit_step_del(f->w, f->s[0], out);
}
static void
c_step_del_first(struct fix *f)
{
	/* Both measures started there: they start at the next step. */
	assert_int_equal(process_measure(f->p, f->door_to_doc)->from, f->s[1]);
	assert_int_equal(process_measure(f->p, f->whole)->from, f->s[1]);
}

static enum status
b_step_del_last(struct fix *f, struct edit **out)
{
	return edit_step_del(f->w, f->s[7], out);
}
static void
c_step_del_last(struct fix *f)
{
	assert_int_equal(process_measure(f->p, f->whole)->to, f->s[6]);
	assert_int_equal(f->p->nflows, 4);
}

static enum status
b_step_set(struct fix *f, struct edit **out)
{
	struct step s = *process_step(f->p, f->s[4]);

	assert_int_equal(step_set_field(f->p, &s, FIELD_WORK, "norm(20m,5m)", NULL), STATUS_OK);
	return edit_step_set(f->w, &s, out);
}
static void
c_step_set(struct fix *f)
{
	const struct step *s = process_step(f->p, f->s[4]);

	assert_int_equal(s->work.kind, DIST_NORM);
	assert_true(s->work.p[0] == 1200);
	assert_string_equal(s->name, "Lab tests");
}

static enum status
b_step_move_down(struct fix *f, struct edit **out)
{
	return edit_step_move(f->w, f->s[1], 5, out);
}
static void
c_step_move_down(struct fix *f)
{
	assert_int_equal(f->p->steps[5]->id, f->s[1]);
	assert_int_equal(f->p->steps[1]->id, f->s[2]);
	assert_int_equal(process_step(f->p, f->s[1])->index, 5);
}

static enum status
b_step_move_front(struct fix *f, struct edit **out)
{
	return edit_step_move(f->w, f->s[7], 0, out);
}
static void
c_step_move_front(struct fix *f)
{
	assert_int_equal(f->p->steps[0]->id, f->s[7]);
	assert_int_equal(f->p->steps[7]->id, f->s[6]);
}

static enum status
b_flow_add(struct fix *f, struct edit **out)
{
	return edit_flow_add(f->w, f->s[4], f->s[1], "rework", 0.05, out);
}
static void
c_flow_add(struct fix *f)
{
	assert_int_equal(f->p->nflows, 6);
	assert_string_equal(f->p->flows[5]->label, "rework");
}

static enum status
b_flow_del(struct fix *f, struct edit **out)
{
	return edit_flow_del(f->w, f->loop, out);
}
static void
c_flow_del(struct fix *f)
{
	assert_null(process_flow(f->p, f->loop));
}

static enum status
b_flow_set(struct fix *f, struct edit **out)
{
	struct flow fl = *process_flow(f->p, f->branch);

	fl.prob = 0.5;
	fl.to = f->s[4];
	fl.label = (char *)"very urgent";
	return edit_flow_set(f->w, &fl, out);
}
static void
c_flow_set(struct fix *f)
{
	const struct flow *fl = process_flow(f->p, f->branch);

	assert_true(fl->prob == 0.5);
	assert_int_equal(fl->to, f->s[4]);
	assert_string_equal(fl->label, "very urgent");
}

static enum status
b_measure_add(struct fix *f, struct edit **out)
{
	return edit_measure_add(f->w, f->p->id, "lab turnaround", f->s[4], f->s[6],
	                        CLOCK_PROCESS, out);
}
static void
c_measure_add(struct fix *f)
{
	assert_non_null(process_measure_named(f->p, "lab turnaround"));
}

static enum status
b_measure_del(struct fix *f, struct edit **out)
{
	return edit_measure_del(f->w, f->whole, out);
}
static void
c_measure_del(struct fix *f)
{
	assert_int_equal(f->p->nmeasures, 1);
}

static enum status
b_measure_set(struct fix *f, struct edit **out)
{
	struct measure m = *process_measure(f->p, f->door_to_doc);

	m.name = (char *)"arrival to physician";
	m.to = f->s[4];
	return edit_measure_set(f->w, &m, out);
}
static void
c_measure_set(struct fix *f)
{
	assert_int_equal(process_measure_named(f->p, "arrival to physician")->to, f->s[4]);
}

static enum status
b_scenario_add(struct fix *f, struct edit **out)
{
	return edit_scenario_add(f->w, f->p->id, "automate triage", out);
}
static void
c_scenario_add(struct fix *f)
{
	assert_int_equal(process_scenario_named(f->p, "automate triage")->ncuts, 0);
}

static enum status
b_scenario_del(struct fix *f, struct edit **out)
{
	return edit_scenario_del(f->w, f->lean, out);
}
static void
c_scenario_del(struct fix *f)
{
	assert_int_equal(f->p->nscenarios, 0);
}

static enum status
b_scenario_rename(struct fix *f, struct edit **out)
{
	return edit_scenario_rename(f->w, f->lean, "leaner", out);
}
static void
c_scenario_rename(struct fix *f)
{
	assert_string_equal(process_scenario(f->p, f->lean)->name, "leaner");
	assert_int_equal(process_scenario(f->p, f->lean)->ncuts, 2);
}

static enum status
b_scenario_copy(struct fix *f, struct edit **out)
{
	return edit_scenario_copy(f->w, f->lean, "lean 2", out);
}
static void
c_scenario_copy(struct fix *f)
{
	const struct scenario *sc = process_scenario_named(f->p, "lean 2");

	assert_non_null(sc);
	assert_int_equal(sc->ncuts, 2);
	assert_int_equal(sc->cuts[0]->kind, CUT_REMOVE);
	assert_int_equal(sc->cuts[0]->step, f->s[5]);
	assert_true(sc->cuts[0]->id != f->cut1);
}

static enum status
b_cut_add(struct fix *f, struct edit **out)
{
	struct cut c = { 0 };

	c.kind = CUT_SET;
	c.step = f->s[3];
	c.field = (char *)"work";
	c.value = (char *)"2m";
	return edit_cut_add(f->w, f->lean, &c, out);
}
static void
c_cut_add(struct fix *f)
{
	const struct scenario *sc = process_scenario(f->p, f->lean);

	assert_int_equal(sc->ncuts, 3);
	assert_string_equal(sc->cuts[2]->value, "2m");
}

static enum status
b_cut_del(struct fix *f, struct edit **out)
{
	return edit_cut_del(f->w, f->cut1, out);
}
static void
c_cut_del(struct fix *f)
{
	assert_int_equal(process_scenario(f->p, f->lean)->ncuts, 1);
}

static const struct {
	const char *name;
	build_fn build;
	check_fn check;
	const char *label;
} builders[] = {
	{ "process add", b_process_add, c_process_add, "add process 'Discharge'" },
	{ "process del", b_process_del, c_process_del, "delete process 'ED'" },
	{ "process rename", b_process_rename, c_process_rename, "rename process 'ED' to 'Emergency'" },
	{ "process copy", b_process_copy, c_process_copy, "copy process 'ED' as 'ED copy'" },
	{ "lane add", b_lane_add, c_lane_add, "add lane 'Bed management'" },
	{ "lane del", b_lane_del, c_lane_del, "delete lane 'Triage nurse'" },
	{ "lane set", b_lane_set, c_lane_set, "rename lane 'Lab' to 'Laboratory'" },
	{ "step insert", b_step_insert, c_step_insert, "insert step 'Take vitals'" },
	{ "step del", b_step_del, c_step_del, "delete step 4 'Seen by physician'" },
	{ "step del first", b_step_del_first, c_step_del_first, "delete step 1 'Walk in'" },
	{ "step del last", b_step_del_last, c_step_del_last, "delete step 8 'Admitted'" },
	{ "step set", b_step_set, c_step_set, "set work of step 'Lab tests'" },
	{ "step move down", b_step_move_down, c_step_move_down, "move step 'Register'" },
	{ "step move front", b_step_move_front, c_step_move_front, "move step 'Admitted'" },
	{ "flow add", b_flow_add, c_flow_add, "add flow 'Lab tests' -> 'Register'" },
	{ "flow del", b_flow_del, c_flow_del, "delete flow 'Review results' -> 'Lab tests'" },
	{ "flow set", b_flow_set, c_flow_set, "change flow 'Triage decision' -> 'Seen by physician'" },
	{ "measure add", b_measure_add, c_measure_add, "add measure 'lab turnaround'" },
	{ "measure del", b_measure_del, c_measure_del, "delete measure 'time to admit'" },
	{ "measure set", b_measure_set, c_measure_set, "change measure 'door to doctor'" },
	{ "scenario add", b_scenario_add, c_scenario_add, "add scenario 'automate triage'" },
	{ "scenario del", b_scenario_del, c_scenario_del, "delete scenario 'lean'" },
	{ "scenario rename", b_scenario_rename, c_scenario_rename, "rename scenario 'lean' to 'leaner'" },
	{ "scenario copy", b_scenario_copy, c_scenario_copy, "copy scenario 'lean' as 'lean 2'" },
	{ "cut add", b_cut_add, c_cut_add, "add cut 'set' to scenario 'lean'" },
	{ "cut del", b_cut_del, c_cut_del, "delete cut 'remove' from scenario 'lean'" },
};

static void
test_builders(void **state)
{
	size_t i;

	for (i = 0; i < sizeof builders / sizeof builders[0]; i++) {
		struct fix *f;
		struct workbook *orig, *again;
		struct edit *e = NULL, *inv, *copy;
		struct err err = { 0 };
		enum status st;

		fix_setup(state);
		f = *state;
		orig = workbook_copy(f->w);
		assert_non_null(orig);
		assert_workbook_eq(f->w, orig);

		st = builders[i].build(f, &e);
		if (st != STATUS_OK)
			fail_msg("%s: builder said %s", builders[i].name, status_text(st));
		/* Building changes nothing. */
		assert_workbook_eq(f->w, orig);
		assert_non_null(e->label);
		assert_string_equal(e->label, builders[i].label);

		copy = edit_copy(e);
		inv = edit_inverse(e);
		assert_non_null(copy);
		assert_non_null(inv);
		if (edit_apply(f->w, e, &err) != STATUS_OK)
			fail_msg("%s: %s", builders[i].name, err.msg);
		builders[i].check(f);
		if (workbook_eq(f->w, orig))
			fail_msg("%s changed nothing", builders[i].name);

		/* A copy of the edit does the same to the original. */
		again = workbook_copy(orig);
		if (edit_apply(again, copy, &err) != STATUS_OK)
			fail_msg("%s (copy): %s", builders[i].name, err.msg);
		assert_workbook_eq(f->w, again);

		/* Applying it again fails and changes nothing. */
		if (e->kind != EDIT_PROCESS_SET && e->kind != EDIT_LANE_SET &&
		    e->kind != EDIT_STEP_SET && e->kind != EDIT_FLOW_SET &&
		    e->kind != EDIT_MEASURE_SET && e->kind != EDIT_SCENARIO_SET) {
			assert_int_not_equal(edit_apply(again, copy, &err), STATUS_OK);
			assert_true(err.msg[0] != '\0');
			assert_workbook_eq(f->w, again);
		}

		/* The inverse gives back the original, deep. */
		if (edit_apply(f->w, inv, &err) != STATUS_OK)
			fail_msg("%s (inverse): %s", builders[i].name, err.msg);
		if (!workbook_eq(f->w, orig))
			fail_msg("%s: undo differs: %s", builders[i].name, diff_at);
		/* And the inverse of the inverse redoes it. */
		{
			struct edit *redo = edit_inverse(inv);

			apply_ok(f->w, redo);
			assert_workbook_eq(f->w, again);
			edit_free(&redo);
		}
		edit_free(&e);
		edit_free(&inv);
		edit_free(&copy);
		assert_null(e);
		workbook_free(&orig);
		workbook_free(&again);
		fix_teardown(state);
	}
	*state = NULL;
}

/* What builders refuse, and that they leave *out NULL. */
static void
test_builder_errors(void **state)
{
	struct fix *f = *state;
	struct edit *e = (struct edit *)1;
	struct step t = tmpl_step("x", STEP_TASK, 0, NULL);
	struct lane l;
	struct flow fl;

	assert_int_equal(edit_process_add(f->w, "ED", &e), STATUS_INPUT);
	assert_null(e);
	assert_int_equal(edit_process_add(f->w, "", &e), STATUS_INPUT);
	assert_int_equal(edit_process_del(f->w, 9999, &e), STATUS_NOT_FOUND);
	assert_int_equal(edit_lane_add(f->w, f->p->id, "Lab", STAGE_OFFSTAGE, 0, &e), STATUS_INPUT);
	assert_int_equal(edit_lane_add(f->w, f->p->id, "Porters", STAGE_OFFSTAGE, -1, &e),
	                 STATUS_INPUT);
	l = *process_lane(f->p, f->lab);
	l.name = (char *)"Patient";
	assert_int_equal(edit_lane_set(f->w, &l, &e), STATUS_INPUT);
	assert_int_equal(edit_step_insert(f->w, f->p->id, 9, &t, &e), STATUS_INPUT);
	t.lane = 4242;
	assert_int_equal(edit_step_insert(f->w, f->p->id, 0, &t, &e), STATUS_NOT_FOUND);
	t.lane = 0;
	t.error_rate = 2;
	assert_int_equal(edit_step_insert(f->w, f->p->id, 0, &t, &e), STATUS_INPUT);
	t.error_rate = 0;
	t.work = (struct dist){ DIST_TRI, { 10, 5, 20 } };
	assert_int_equal(edit_step_insert(f->w, f->p->id, 0, &t, &e), STATUS_INPUT);
	assert_null(e);
	assert_int_equal(edit_step_move(f->w, f->s[2], 2, &e), STATUS_NOTHING);
	assert_int_equal(edit_step_move(f->w, f->s[2], 8, &e), STATUS_INPUT);
	assert_int_equal(edit_step_del(f->w, f->p->id, &e), STATUS_NOT_FOUND);
	/* A flow that exists already, one with a bad probability. */
	assert_int_equal(edit_flow_add(f->w, f->s[2], f->s[3], NULL, -1, &e), STATUS_INPUT);
	assert_int_equal(edit_flow_add(f->w, f->s[0], f->s[3], NULL, 1.5, &e), STATUS_INPUT);
	fl = *process_flow(f->p, f->branch);
	fl.to = 4242;
	assert_int_equal(edit_flow_set(f->w, &fl, &e), STATUS_INPUT);
	assert_int_equal(edit_measure_add(f->w, f->p->id, "time to admit", f->s[0], f->s[1],
	                                  CLOCK_PROCESS, &e), STATUS_INPUT);
	assert_int_equal(edit_scenario_add(f->w, f->p->id, "lean", &e), STATUS_INPUT);
	assert_int_equal(edit_cut_del(f->w, f->s[0], &e), STATUS_NOT_FOUND);
	assert_null(e);
}

/* A flow between two processes is refused by the builder and by apply. */
static void
test_cross_process(void **state)
{
	struct fix *f = *state;
	struct edit *e = NULL;
	struct err err = { 0 };
	struct workbook *orig = workbook_copy(f->w);
	sm_id q, qs;
	struct step t = tmpl_step("Elsewhere", STEP_TASK, 0, NULL);

	q = add_ok(f->w, edit_process_add(f->w, "Other", &e), &e);
	qs = add_ok(f->w, edit_step_insert(f->w, q, 0, &t, &e), &e);
	assert_int_equal(edit_flow_add(f->w, f->s[0], qs, NULL, -1, &e), STATUS_INPUT);
	/* Forge one: apply refuses it and says why. */
	must(edit_flow_add(f->w, f->s[0], f->s[4], NULL, -1, &e), &e);
	e->u.flow.after->to = qs;
	assert_int_equal(edit_apply(f->w, e, &err), STATUS_INPUT);
	assert_non_null(strstr(err.msg, "is not a step of process 'ED'"));
	edit_free(&e);
	/* A step still named by a flow is not deleted alone. */
	must(edit_step_del(f->w, f->s[2], &e), &e);
	assert_int_equal(e->kind, EDIT_GROUP);
	{
		struct edit *last = e->u.group.items[e->u.group.n - 1];

		assert_int_equal(last->kind, EDIT_STEP_DEL);
		assert_int_equal(edit_apply(f->w, last, &err), STATUS_INPUT);
		assert_non_null(strstr(err.msg, "still named by"));
	}
	edit_free(&e);
	workbook_free(&orig);
}

/* A group that fails half-way leaves the workbook as it was. */
static void
test_group_rollback(void **state)
{
	struct fix *f = *state;
	struct workbook *orig = workbook_copy(f->w);
	struct edit **items = calloc(4, sizeof *items), *g, *bad = NULL;
	struct step t = tmpl_step("Extra", STEP_TASK, f->nurse, "2m");
	struct err err = { 0 };

	assert_int_equal(edit_step_insert(f->w, f->p->id, 2, &t, &items[0]), STATUS_OK);
	assert_int_equal(edit_step_del(f->w, f->s[6], &items[1]), STATUS_OK);
	assert_int_equal(edit_lane_del(f->w, f->lab, &items[2]), STATUS_OK);
	/* The last one deletes a flow that item 1 already deleted. */
	assert_int_equal(edit_flow_del(f->w, f->loop, &bad), STATUS_OK);
	items[3] = bad;
	g = edit_group(items, 4, "several things");
	assert_non_null(g);
	assert_int_equal(edit_apply(f->w, g, &err), STATUS_NOT_FOUND);
	assert_non_null(strstr(err.msg, "no flow with id"));
	assert_workbook_eq(f->w, orig);
	/* Without the bad one, it applies, and its inverse undoes it all. */
	edit_free(&g->u.group.items[3]);
	g->u.group.n = 3;
	apply_ok(f->w, g);
	assert_int_equal(f->p->nsteps, 8);
	{
		struct edit *inv = edit_inverse(g);

		apply_ok(f->w, inv);
		edit_free(&inv);
	}
	assert_workbook_eq(f->w, orig);
	edit_free(&g);
	workbook_free(&orig);
}

/* --- keys and respacing ------------------------------------------------------ */

static size_t
count_kind(const struct edit *e, enum edit_kind k)
{
	size_t i, n = 0;

	if (e->kind == EDIT_GROUP) {
		for (i = 0; i < e->u.group.n; i++)
			n += count_kind(e->u.group.items[i], k);
		return n;
	}
	return e->kind == k;
}

static void
check_order(const struct process *p)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++) {
		assert_int_equal(p->steps[i]->index, i);
		assert_ptr_equal(process_step(p, p->steps[i]->id), p->steps[i]);
		if (i)
			assert_true(p->steps[i - 1]->key < p->steps[i]->key);
	}
}

/* 200 inserts at the same place: keys crowd, a small window is respaced now
 * and then, and the order is always what was asked. */
static void
test_respace(void **state)
{
	struct fix *f = *state;
	struct workbook *orig;
	size_t i, respaced = 0, sets = 0;
	sm_id ids[200];
	struct edit *undo[200];

	orig = workbook_copy(f->w);
	for (i = 0; i < 200; i++) {
		char name[32];
		struct step t;
		struct edit *e = NULL;
		size_t n;

		snprintf(name, sizeof name, "new %zu", i);
		t = tmpl_step(name, STEP_TASK, 0, NULL);
		/* Always right after step 3, before the one inserted last. */
		must(edit_step_insert(f->w, f->p->id, 3, &t, &e), &e);
		n = count_kind(e, EDIT_STEP_SET);
		if (n) {
			respaced++;
			sets += n;
			/* Only a window of neighbours, never the whole process. */
			assert_true(n < 40);
			assert_int_equal(e->kind, EDIT_GROUP);
		}
		ids[i] = last_added_id(e);
		undo[i] = edit_inverse(e);
		apply_ok(f->w, e);
		edit_free(&e);
		check_order(f->p);
		assert_int_equal(f->p->steps[3]->id, ids[i]);
	}
	assert_true(respaced > 0);
	assert_int_equal(f->p->nsteps, 208);
	/* Newest first after step 3, then the older ones, then step 4. */
	for (i = 0; i < 200; i++)
		assert_int_equal(f->p->steps[3 + i]->id, ids[199 - i]);
	assert_int_equal(f->p->steps[203]->id, f->s[3]);
	print_message("200 inserts at one place: %zu respaced, %zu key changes\n", respaced, sets);

	/* Moving a step into the crowded place works the same way. */
	for (i = 0; i < 50; i++) {
		struct edit *e = NULL;

		must(edit_step_move(f->w, f->s[7], 4, &e), &e);
		apply_ok(f->w, e);
		edit_free(&e);
		check_order(f->p);
		assert_int_equal(f->p->steps[4]->id, f->s[7]);
		must(edit_step_move(f->w, f->s[7], f->p->nsteps - 1, &e), &e);
		apply_ok(f->w, e);
		edit_free(&e);
		check_order(f->p);
	}

	/* Undo every insert, last first: back to the original keys, exactly. */
	for (i = 200; i-- > 0;) {
		apply_ok(f->w, undo[i]);
		edit_free(&undo[i]);
	}
	/* The moves (not undone) may have respaced keys: the order is the
	 * original one. */
	assert_int_equal(f->p->nsteps, 8);
	check_order(f->p);
	for (i = 0; i < 8; i++)
		assert_int_equal(f->p->steps[i]->id, orig->procs[0]->steps[i]->id);
	workbook_free(&orig);
}

/* Inserting at the front and the end forever never runs out of keys. */
static void
test_keys_at_the_ends(void **state)
{
	struct fix *f = *state;
	size_t i;

	for (i = 0; i < 3000; i++) {
		struct step t = tmpl_step(i % 2 ? "back" : "front", STEP_TASK, 0, NULL);
		struct edit *e = NULL;

		must(edit_step_insert(f->w, f->p->id, i % 2 ? f->p->nsteps : 0, &t, &e), &e);
		apply_ok(f->w, e);
		edit_free(&e);
	}
	check_order(f->p);
	assert_string_equal(f->p->steps[0]->name, "front");
	assert_string_equal(f->p->steps[f->p->nsteps - 1]->name, "back");
}

/* --- pointers stay valid; ids are never reused ----------------------------------- */

static void
test_pointers_and_ids(void **state)
{
	struct fix *f = *state;
	struct step *s = process_step(f->p, f->s[4]), copy;
	struct edit *e = NULL, *inv;
	sm_id before = f->w->next_id, id;
	struct step t = tmpl_step("Temp", STEP_TASK, 0, NULL);

	copy = *s;
	copy.name = (char *)"Lab work";
	copy.key = 1e6;                /* to the end */
	must(edit_step_set(f->w, &copy, &e), &e);
	assert_string_equal(e->label, "rename step 'Lab tests' to 'Lab work'");
	apply_ok(f->w, e);
	/* The same struct, changed in place and moved. */
	assert_ptr_equal(process_step(f->p, f->s[4]), s);
	assert_string_equal(s->name, "Lab work");
	assert_int_equal(s->index, 7);
	assert_ptr_equal(f->p->steps[7], s);
	inv = edit_inverse(e);
	apply_ok(f->w, inv);
	assert_ptr_equal(process_step(f->p, f->s[4]), s);
	assert_int_equal(s->index, 4);
	edit_free(&e);
	edit_free(&inv);

	id = add_ok(f->w, edit_step_insert(f->w, f->p->id, 0, &t, &e), &e);
	assert_true(id >= before);
	DO_(f->w, edit_step_del(f->w, id, &e_));
	assert_true(workbook_new_id(f->w) > id);
}

/* A process deleted whole comes back whole, with its order and index. */
static void
test_process_del_big(void **state)
{
	struct fix *f = *state;
	struct workbook *orig;
	struct edit *e = NULL, *inv;
	size_t i;

	for (i = 0; i < 5000; i++) {
		struct step t = tmpl_step("bulk", i % 3 ? STEP_TASK : STEP_MANUAL, f->nurse, "1m");

		DO_(f->w, edit_step_insert(f->w, f->p->id, f->p->nsteps, &t, &e_));
	}
	orig = workbook_copy(f->w);
	must(edit_process_del(f->w, f->p->id, &e), &e);
	inv = edit_inverse(e);
	apply_ok(f->w, e);
	assert_int_equal(f->w->nprocs, 0);
	apply_ok(f->w, inv);
	assert_workbook_eq(f->w, orig);
	f->p = f->w->procs[0];
	edit_free(&e);
	edit_free(&inv);
	workbook_free(&orig);
}

/* Many edits and undos in a row; the index always agrees with the array. */
static void
test_random_edits(void **state)
{
	struct fix *f = *state;
	struct workbook *orig = workbook_copy(f->w);
	struct edit **done = calloc(4000, sizeof *done);
	unsigned seed = 7;
	size_t n = 0, i;

	for (i = 0; i < 4000; i++) {
		struct edit *e = NULL;
		size_t ns = f->p->nsteps;
		int what = rand_r(&seed) % 4;
		enum status st;

		if (what == 0 || ns < 3) {
			struct step t = tmpl_step("r", STEP_TASK, 0, "1m");

			st = edit_step_insert(f->w, f->p->id, (size_t)rand_r(&seed) % (ns + 1), &t, &e);
		} else if (what == 1) {
			st = edit_step_del(f->w, f->p->steps[(size_t)rand_r(&seed) % ns]->id, &e);
		} else if (what == 2) {
			st = edit_step_move(f->w, f->p->steps[(size_t)rand_r(&seed) % ns]->id,
			                    (size_t)rand_r(&seed) % ns, &e);
		} else {
			struct step s = *f->p->steps[(size_t)rand_r(&seed) % ns];

			s.cost += 1;
			st = edit_step_set(f->w, &s, &e);
		}
		if (st == STATUS_NOTHING)
			continue;
		assert_int_equal(st, STATUS_OK);
		apply_ok(f->w, e);
		done[n++] = edit_inverse(e);
		edit_free(&e);
		check_order(f->p);
	}
	while (n-- > 0) {
		apply_ok(f->w, done[n]);
		edit_free(&done[n]);
	}
	free(done);
	assert_workbook_eq(f->w, orig);
	workbook_free(&orig);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fixture, fix_setup, fix_teardown),
		cmocka_unit_test(test_builders),
		cmocka_unit_test_setup_teardown(test_builder_errors, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_cross_process, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_group_rollback, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_respace, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_keys_at_the_ends, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_pointers_and_ids, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_process_del_big, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_random_edits, fix_setup, fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
