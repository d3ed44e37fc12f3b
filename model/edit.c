/*
 * edit.c - edits as data: free, copy, invert, apply, and the builders the
 * workbench and the command line make them with.
 *
 * Applying. Each single edit checks everything it needs (the objects exist,
 * ids are free, flows stay inside one process, a step or lane still in use
 * is not deleted) and allocates what it needs before it changes anything,
 * so a failed single edit leaves the workbook as it was. A GROUP that fails
 * half-way applies the inverse of what it already applied, in reverse order.
 * A SET changes the object in place: pointers into the workbook stay valid.
 *
 * Cost. Adding, deleting or moving a step is a binary search, one memmove of
 * the pointer array and renumbering the indices from the changed position;
 * look-ups by id are O(1) (the process's id index). Deleting a whole
 * process deletes from the end of each array, so nothing is moved.
 *
 * Keys. A step goes between its neighbours by the mean of their keys. When
 * the gap is too narrow for that (or, at either end, the key would lose
 * precision), a small window of neighbours around the place gets evenly
 * spaced keys again, the window doubling until the keys fit; the builder
 * puts those key changes in the same GROUP as STEP_SET items.
 */
#include "model/model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPOS ((size_t)-1)
/* Keys closer than this, relative to their size, are too close. */
#define KEY_EPS (1.0 / 1073741824.0)
#define KEY_STEP 1024.0
/* Half the first window of neighbours respaced around a crowded place. */
#define RESPACE_RADIUS 8

enum family { FAM_GROUP, FAM_PROCESS, FAM_LANE, FAM_STEP, FAM_FLOW, FAM_MEASURE,
              FAM_SCENARIO, FAM_CUT };
enum op { OP_NONE, OP_ADD, OP_DEL, OP_SET };

static const struct {
	enum family fam;
	enum op op;
} kinds[] = {
	[EDIT_GROUP] = { FAM_GROUP, OP_NONE },
	[EDIT_PROCESS_ADD] = { FAM_PROCESS, OP_ADD },
	[EDIT_PROCESS_DEL] = { FAM_PROCESS, OP_DEL },
	[EDIT_PROCESS_SET] = { FAM_PROCESS, OP_SET },
	[EDIT_LANE_ADD] = { FAM_LANE, OP_ADD },
	[EDIT_LANE_DEL] = { FAM_LANE, OP_DEL },
	[EDIT_LANE_SET] = { FAM_LANE, OP_SET },
	[EDIT_STEP_ADD] = { FAM_STEP, OP_ADD },
	[EDIT_STEP_DEL] = { FAM_STEP, OP_DEL },
	[EDIT_STEP_SET] = { FAM_STEP, OP_SET },
	[EDIT_FLOW_ADD] = { FAM_FLOW, OP_ADD },
	[EDIT_FLOW_DEL] = { FAM_FLOW, OP_DEL },
	[EDIT_FLOW_SET] = { FAM_FLOW, OP_SET },
	[EDIT_MEASURE_ADD] = { FAM_MEASURE, OP_ADD },
	[EDIT_MEASURE_DEL] = { FAM_MEASURE, OP_DEL },
	[EDIT_MEASURE_SET] = { FAM_MEASURE, OP_SET },
	[EDIT_SCENARIO_ADD] = { FAM_SCENARIO, OP_ADD },
	[EDIT_SCENARIO_DEL] = { FAM_SCENARIO, OP_DEL },
	[EDIT_SCENARIO_SET] = { FAM_SCENARIO, OP_SET },
	[EDIT_CUT_ADD] = { FAM_CUT, OP_ADD },
	[EDIT_CUT_DEL] = { FAM_CUT, OP_DEL },
};

/* The kind of the same family with another operation. */
static enum edit_kind
kind_of(enum family fam, enum op op)
{
	size_t k;

	for (k = 0; k < EDIT_KIND_COUNT_; k++)
		if (kinds[k].fam == fam && kinds[k].op == op)
			return (enum edit_kind)k;
	return EDIT_GROUP;
}

/* --- the objects an edit carries ----------------------------------------- */

static struct process_head *
head_copy(const struct process_head *h)
{
	struct process_head *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	*c = *h;
	c->name = strdup(h->name ? h->name : "");
	c->description = model_strdup(h->description);
	if (!c->name || (h->description && !c->description))
		process_head_free(&c);
	return c;
}

static void
obj_free(enum family fam, void *obj)
{
	switch (fam) {
	case FAM_PROCESS:  { struct process_head *o = obj; process_head_free(&o); break; }
	case FAM_LANE:     { struct lane *o = obj; lane_free(&o); break; }
	case FAM_STEP:     { struct step *o = obj; step_free(&o); break; }
	case FAM_FLOW:     { struct flow *o = obj; flow_free(&o); break; }
	case FAM_MEASURE:  { struct measure *o = obj; measure_free(&o); break; }
	case FAM_SCENARIO: { struct scenario *o = obj; scenario_free(&o); break; }
	case FAM_CUT:      { struct cut *o = obj; cut_free(&o); break; }
	default: break;
	}
}

static void *
obj_copy(enum family fam, const void *obj)
{
	if (!obj)
		return NULL;
	switch (fam) {
	case FAM_PROCESS:  return head_copy(obj);
	case FAM_LANE:     return lane_copy(obj);
	case FAM_STEP:     return step_copy(obj);
	case FAM_FLOW:     return flow_copy(obj);
	case FAM_MEASURE:  return measure_copy(obj);
	case FAM_SCENARIO: return scenario_copy(obj, false);
	case FAM_CUT:      return cut_copy(obj);
	default:           return NULL;
	}
}

#define EDIT_PAIR_(e, fam, which) \
	((fam) == FAM_PROCESS ? (void *)(e)->u.process.which : \
	 (fam) == FAM_LANE ? (void *)(e)->u.lane.which : \
	 (fam) == FAM_STEP ? (void *)(e)->u.step.which : \
	 (fam) == FAM_FLOW ? (void *)(e)->u.flow.which : \
	 (fam) == FAM_MEASURE ? (void *)(e)->u.measure.which : \
	 (fam) == FAM_SCENARIO ? (void *)(e)->u.scenario.which : \
	 (fam) == FAM_CUT ? (void *)(e)->u.cut.which : NULL)

static void *
ed_before(const struct edit *e)
{
	return EDIT_PAIR_(e, kinds[e->kind].fam, before);
}

static void *
ed_after(const struct edit *e)
{
	return EDIT_PAIR_(e, kinds[e->kind].fam, after);
}

static void
ed_set(struct edit *e, void *before, void *after)
{
	switch (kinds[e->kind].fam) {
	case FAM_PROCESS:  e->u.process.before = before; e->u.process.after = after; break;
	case FAM_LANE:     e->u.lane.before = before; e->u.lane.after = after; break;
	case FAM_STEP:     e->u.step.before = before; e->u.step.after = after; break;
	case FAM_FLOW:     e->u.flow.before = before; e->u.flow.after = after; break;
	case FAM_MEASURE:  e->u.measure.before = before; e->u.measure.after = after; break;
	case FAM_SCENARIO: e->u.scenario.before = before; e->u.scenario.after = after; break;
	case FAM_CUT:      e->u.cut.before = before; e->u.cut.after = after; break;
	default: break;
	}
}

static bool
kind_ok(const struct edit *e)
{
	return e && (unsigned)e->kind < EDIT_KIND_COUNT_;
}

void
edit_free(struct edit **pe)
{
	struct edit *e;
	size_t i;

	if (!pe || !*pe)
		return;
	e = *pe;
	if (kind_ok(e)) {
		if (e->kind == EDIT_GROUP) {
			for (i = 0; i < e->u.group.n; i++)
				edit_free(&e->u.group.items[i]);
			free(e->u.group.items);
		} else {
			obj_free(kinds[e->kind].fam, ed_before(e));
			obj_free(kinds[e->kind].fam, ed_after(e));
		}
	}
	free(e->label);
	free(e);
	*pe = NULL;
}

static struct edit *
edit_new(enum edit_kind kind, sm_id process, const char *label)
{
	struct edit *e = calloc(1, sizeof *e);

	if (!e)
		return NULL;
	e->kind = kind;
	e->process = process;
	if (label && !(e->label = strdup(label))) {
		free(e);
		return NULL;
	}
	return e;
}

/* A copy of e, or its inverse. */
static struct edit *
edit_dup(const struct edit *e, bool inverse)
{
	enum family fam;
	enum op op;
	struct edit *c;
	size_t i, n;

	if (!kind_ok(e))
		return NULL;
	fam = kinds[e->kind].fam;
	op = kinds[e->kind].op;
	if (inverse && op != OP_SET && op != OP_NONE)
		op = op == OP_ADD ? OP_DEL : OP_ADD;
	c = edit_new(fam == FAM_GROUP ? EDIT_GROUP : kind_of(fam, op), e->process, e->label);
	if (!c)
		return NULL;
	c->scenario = e->scenario;
	if (fam == FAM_GROUP) {
		n = e->u.group.n;
		c->u.group.items = calloc(n ? n : 1, sizeof *c->u.group.items);
		if (!c->u.group.items)
			goto nomem;
		for (i = 0; i < n; i++, c->u.group.n++) {
			const struct edit *item = e->u.group.items[inverse ? n - 1 - i : i];

			if (!(c->u.group.items[i] = edit_dup(item, inverse)))
				goto nomem;
		}
		return c;
	}
	{
		const void *b = ed_before(e), *a = ed_after(e);
		void *nb = obj_copy(fam, inverse ? a : b), *na = obj_copy(fam, inverse ? b : a);

		ed_set(c, nb, na);
		if ((inverse ? a : b) && !nb)
			goto nomem;
		if ((inverse ? b : a) && !na)
			goto nomem;
	}
	return c;
nomem:
	edit_free(&c);
	return NULL;
}

struct edit *
edit_copy(const struct edit *e)
{
	return edit_dup(e, false);
}

struct edit *
edit_inverse(const struct edit *e)
{
	return edit_dup(e, true);
}

struct edit *
edit_group(struct edit **items, size_t n, const char *label)
{
	struct edit *e = edit_new(EDIT_GROUP, 0, label);
	size_t i;

	if (!e) {
		for (i = 0; i < n; i++)
			edit_free(&items[i]);
		free(items);
		return NULL;
	}
	e->u.group.items = items;
	e->u.group.n = n;
	/* The group acts in the process its items act in. */
	for (i = 0; i < n && !e->process; i++)
		if (items[i])
			e->process = items[i]->process;
	return e;
}

/* --- applying ------------------------------------------------------------- */

static const char *
pname(const struct process *p)
{
	return p && p->name ? p->name : "";
}

static struct process *
need_process(const struct workbook *w, sm_id id, struct err *err)
{
	struct process *p = workbook_process(w, id);

	if (!p)
		err_set(err, STATUS_NOT_FOUND, "no process with id %lld", (long long)id);
	return p;
}

static enum status
need_free_id(const struct workbook *w, sm_id id, struct err *err)
{
	if (id <= 0)
		return err_set(err, STATUS_INPUT, "id %lld is not a valid id", (long long)id);
	if (workbook_id_used(w, id))
		return err_set(err, STATUS_INPUT, "id %lld is already used", (long long)id);
	return STATUS_OK;
}

static void
note_id(struct workbook *w, struct process *p, sm_id id)
{
	if (p)
		idmap_note(p->step_ids, id);
	if (id >= w->next_id)
		w->next_id = id + 1;
}

static int
proc_cmp(const struct process *a, double key, sm_id id)
{
	if (a->key != key)
		return a->key < key ? -1 : 1;
	return a->id < id ? -1 : a->id > id;
}

static size_t
proc_pos(const struct workbook *w, double key, sm_id id)
{
	size_t i = w->nprocs;

	while (i > 0 && proc_cmp(w->procs[i - 1], key, id) > 0)
		i--;
	return i;
}

static size_t
proc_index(const struct workbook *w, const struct process *p)
{
	size_t i;

	for (i = 0; i < w->nprocs; i++)
		if (w->procs[i] == p)
			return i;
	return NPOS;
}

static enum status
apply_process(struct workbook *w, enum op op, const struct process_head *b,
              const struct process_head *a, struct err *err)
{
	struct process *p;
	size_t i;
	enum status st;

	switch (op) {
	case OP_ADD:
		if ((st = need_free_id(w, a->id, err)) != STATUS_OK)
			return st;
		if (model_grow(&w->procs, w->nprocs) != STATUS_OK ||
		    !(p = process_new(a->id, a->name, 0)))
			goto nomem;
		if (a->description && !(p->description = strdup(a->description))) {
			process_free(&p);
			goto nomem;
		}
		p->key = a->key;
		p->arrival = a->arrival;
		p->flows_explicit = a->flows_explicit;
		model_insert_at(&w->procs, w->nprocs, proc_pos(w, p->key, p->id), p);
		w->nprocs++;
		note_id(w, NULL, p->id);
		return STATUS_OK;
	case OP_DEL:
		if (!(p = need_process(w, b->id, err)))
			return STATUS_NOT_FOUND;
		if (p->nlanes || p->nsteps || p->nflows || p->nmeasures || p->nscenarios)
			return err_set(err, STATUS_INPUT,
			               "process '%s' still has lanes, steps, flows, measures or scenarios",
			               pname(p));
		i = proc_index(w, p);
		model_remove_at(&w->procs, w->nprocs, i);
		w->nprocs--;
		process_free(&p);
		return STATUS_OK;
	case OP_SET: {
		char *name, *desc;

		if (!(p = need_process(w, a->id, err)))
			return STATUS_NOT_FOUND;
		name = strdup(a->name ? a->name : "");
		desc = model_strdup(a->description);
		if (!name || (a->description && !desc)) {
			free(name);
			free(desc);
			goto nomem;
		}
		free(p->name);
		free(p->description);
		p->name = name;
		p->description = desc;
		p->arrival = a->arrival;
		p->flows_explicit = a->flows_explicit;
		if (p->key != a->key) {
			i = proc_index(w, p);
			model_remove_at(&w->procs, w->nprocs, i);
			w->nprocs--;
			p->key = a->key;
			model_insert_at(&w->procs, w->nprocs, proc_pos(w, p->key, p->id), p);
			w->nprocs++;
		}
		return STATUS_OK;
	}
	default:
		return err_set(err, STATUS_INTERNAL, "bad process edit");
	}
nomem:
	return err_set(err, STATUS_NOMEM, "out of memory");
}

static size_t
lane_index(const struct process *p, const struct lane *l)
{
	size_t i;

	for (i = 0; i < p->nlanes; i++)
		if (p->lanes[i] == l)
			return i;
	return NPOS;
}

static enum status
apply_lane(struct workbook *w, struct process *p, enum op op, const struct lane *b,
           const struct lane *a, struct err *err)
{
	struct lane *l, *c;
	size_t i;
	enum status st;

	switch (op) {
	case OP_ADD:
		if ((st = need_free_id(w, a->id, err)) != STATUS_OK)
			return st;
		if (!(c = lane_copy(a)))
			goto nomem;
		if (process_add_lane(p, c) != STATUS_OK) {
			lane_free(&c);
			goto nomem;
		}
		note_id(w, p, c->id);
		return STATUS_OK;
	case OP_DEL:
		if (!(l = process_lane(p, b->id)))
			return err_set(err, STATUS_NOT_FOUND, "no lane with id %lld in process '%s'",
			               (long long)b->id, pname(p));
		for (i = 0; i < p->nsteps; i++)
			if (p->steps[i]->lane == l->id)
				return err_set(err, STATUS_INPUT, "lane '%s' still has steps", l->name);
		model_remove_at(&p->lanes, p->nlanes, lane_index(p, l));
		p->nlanes--;
		lane_free(&l);
		return STATUS_OK;
	case OP_SET:
		if (!(l = process_lane(p, a->id)))
			return err_set(err, STATUS_NOT_FOUND, "no lane with id %lld in process '%s'",
			               (long long)a->id, pname(p));
		if (!(c = lane_copy(a)))
			goto nomem;
		free(l->name);
		*l = *c;
		free(c);
		/* Back into key order. */
		i = lane_index(p, l);
		model_remove_at(&p->lanes, p->nlanes, i);
		p->nlanes--;
		process_add_lane(p, l);      /* room is there: cannot fail */
		return STATUS_OK;
	default:
		return err_set(err, STATUS_INTERNAL, "bad lane edit");
	}
nomem:
	return err_set(err, STATUS_NOMEM, "out of memory");
}

/* Where a step with s's key and id goes among steps[lo..hi). */
static size_t
step_pos(const struct process *p, const struct step *s, size_t lo, size_t hi)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (step_cmp(p->steps[mid], s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Put s, whose key changed, back in order (no allocation). */
static void
step_reposition(struct process *p, struct step *s)
{
	size_t i = s->index, j;

	if ((i == 0 || step_cmp(p->steps[i - 1], s) < 0) &&
	    (i + 1 >= p->nsteps || step_cmp(s, p->steps[i + 1]) < 0))
		return;
	model_remove_at(&p->steps, p->nsteps, i);
	p->nsteps--;
	j = step_pos(p, s, 0, p->nsteps);
	model_insert_at(&p->steps, p->nsteps, j, s);
	p->nsteps++;
	process_renumber(p, i < j ? i : j, (i < j ? j : i) + 1);
}

static enum status
check_step_lane(const struct process *p, const struct step *s, struct err *err)
{
	if (s->lane && !process_lane(p, s->lane))
		return err_set(err, STATUS_NOT_FOUND, "step '%s': no lane with id %lld in process '%s'",
		               s->name ? s->name : "", (long long)s->lane, pname(p));
	return STATUS_OK;
}

static enum status
apply_step(struct workbook *w, struct process *p, enum op op, const struct step *b,
           const struct step *a, struct err *err)
{
	struct step *s, *c;
	struct id_slot *slot;
	size_t i;
	enum status st;

	switch (op) {
	case OP_ADD:
		if ((st = need_free_id(w, a->id, err)) != STATUS_OK ||
		    (st = check_step_lane(p, a, err)) != STATUS_OK)
			return st;
		if (!(c = step_copy(a)))
			goto nomem;
		if (model_grow(&p->steps, p->nsteps) != STATUS_OK ||
		    idmap_put(p->step_ids, c->id, c, 0) != STATUS_OK) {
			step_free(&c);
			goto nomem;
		}
		i = step_pos(p, c, 0, p->nsteps);
		model_insert_at(&p->steps, p->nsteps, i, c);
		p->nsteps++;
		process_renumber(p, i, p->nsteps);
		note_id(w, p, c->id);
		return STATUS_OK;
	case OP_DEL:
		if (!(slot = idmap_get(p->step_ids, b->id)))
			return err_set(err, STATUS_NOT_FOUND, "no step with id %lld in process '%s'",
			               (long long)b->id, pname(p));
		s = slot->ptr;
		if (slot->aux > 0)
			return err_set(err, STATUS_INPUT,
			               "step '%s' is still named by %lld flow(s) or measure(s)",
			               s->name, (long long)slot->aux);
		i = s->index;
		model_remove_at(&p->steps, p->nsteps, i);
		p->nsteps--;
		process_renumber(p, i, p->nsteps);
		idmap_del(p->step_ids, s->id);
		step_free(&s);
		return STATUS_OK;
	case OP_SET:
		if (!(s = process_step(p, a->id)))
			return err_set(err, STATUS_NOT_FOUND, "no step with id %lld in process '%s'",
			               (long long)a->id, pname(p));
		if ((st = check_step_lane(p, a, err)) != STATUS_OK)
			return st;
		if (!(c = step_copy(a)))
			goto nomem;
		i = s->index;
		step_done(s);
		*s = *c;
		s->index = i;
		free(c);
		step_reposition(p, s);
		return STATUS_OK;
	default:
		return err_set(err, STATUS_INTERNAL, "bad step edit");
	}
nomem:
	return err_set(err, STATUS_NOMEM, "out of memory");
}

/* Both ends of a flow or measure are steps of p. */
static enum status
check_ends(const struct process *p, const char *what, sm_id id, sm_id from, sm_id to,
           struct err *err)
{
	if (!process_step(p, from) || !process_step(p, to))
		return err_set(err, STATUS_INPUT, "%s %lld: step %lld is not a step of process '%s'",
		               what, (long long)id, (long long)(process_step(p, from) ? to : from),
		               pname(p));
	return STATUS_OK;
}

/* Flows and measures share their shape: id, ends; an id-ordered array. */
static enum status
apply_flow(struct workbook *w, struct process *p, enum op op, const struct flow *b,
           const struct flow *a, struct err *err)
{
	struct flow *f, *c;
	size_t i;
	bool found;
	enum status st;

	switch (op) {
	case OP_ADD:
		if ((st = need_free_id(w, a->id, err)) != STATUS_OK ||
		    (st = check_ends(p, "flow", a->id, a->from, a->to, err)) != STATUS_OK)
			return st;
		if (!(c = flow_copy(a)))
			goto nomem;
		if (process_add_flow(p, c) != STATUS_OK) {
			flow_free(&c);
			goto nomem;
		}
		note_id(w, p, c->id);
		return STATUS_OK;
	case OP_DEL:
		i = flows_find(p, b->id, &found);
		if (!found)
			return err_set(err, STATUS_NOT_FOUND, "no flow with id %lld in process '%s'",
			               (long long)b->id, pname(p));
		f = p->flows[i];
		model_remove_at(&p->flows, p->nflows, i);
		p->nflows--;
		process_ref_step(p, f->from, -1);
		process_ref_step(p, f->to, -1);
		flow_free(&f);
		return STATUS_OK;
	case OP_SET:
		if (!(f = process_flow(p, a->id)))
			return err_set(err, STATUS_NOT_FOUND, "no flow with id %lld in process '%s'",
			               (long long)a->id, pname(p));
		if ((st = check_ends(p, "flow", a->id, a->from, a->to, err)) != STATUS_OK)
			return st;
		if (!(c = flow_copy(a)))
			goto nomem;
		process_ref_step(p, f->from, -1);
		process_ref_step(p, f->to, -1);
		free(f->label);
		free(f->condition);
		*f = *c;
		free(c);
		process_ref_step(p, f->from, 1);
		process_ref_step(p, f->to, 1);
		return STATUS_OK;
	default:
		return err_set(err, STATUS_INTERNAL, "bad flow edit");
	}
nomem:
	return err_set(err, STATUS_NOMEM, "out of memory");
}

static enum status
apply_measure(struct workbook *w, struct process *p, enum op op, const struct measure *b,
              const struct measure *a, struct err *err)
{
	struct measure *m, *c;
	size_t i;
	bool found;
	enum status st;

	switch (op) {
	case OP_ADD:
		if ((st = need_free_id(w, a->id, err)) != STATUS_OK ||
		    (st = check_ends(p, "measure", a->id, a->from, a->to, err)) != STATUS_OK)
			return st;
		if (!(c = measure_copy(a)))
			goto nomem;
		if (process_add_measure(p, c) != STATUS_OK) {
			measure_free(&c);
			goto nomem;
		}
		note_id(w, p, c->id);
		return STATUS_OK;
	case OP_DEL:
		i = measures_find(p, b->id, &found);
		if (!found)
			return err_set(err, STATUS_NOT_FOUND, "no measure with id %lld in process '%s'",
			               (long long)b->id, pname(p));
		m = p->measures[i];
		model_remove_at(&p->measures, p->nmeasures, i);
		p->nmeasures--;
		process_ref_step(p, m->from, -1);
		process_ref_step(p, m->to, -1);
		measure_free(&m);
		return STATUS_OK;
	case OP_SET:
		if (!(m = process_measure(p, a->id)))
			return err_set(err, STATUS_NOT_FOUND, "no measure with id %lld in process '%s'",
			               (long long)a->id, pname(p));
		if ((st = check_ends(p, "measure", a->id, a->from, a->to, err)) != STATUS_OK)
			return st;
		if (!(c = measure_copy(a)))
			goto nomem;
		process_ref_step(p, m->from, -1);
		process_ref_step(p, m->to, -1);
		free(m->name);
		*m = *c;
		free(c);
		process_ref_step(p, m->from, 1);
		process_ref_step(p, m->to, 1);
		return STATUS_OK;
	default:
		return err_set(err, STATUS_INTERNAL, "bad measure edit");
	}
nomem:
	return err_set(err, STATUS_NOMEM, "out of memory");
}

static enum status
apply_scenario(struct workbook *w, struct process *p, enum op op, const struct scenario *b,
               const struct scenario *a, struct err *err)
{
	struct scenario *sc, *c;
	char *name;
	size_t i;
	bool found;
	enum status st;

	switch (op) {
	case OP_ADD:
		if ((st = need_free_id(w, a->id, err)) != STATUS_OK)
			return st;
		if (!(c = scenario_copy(a, false)))
			goto nomem;
		if (process_add_scenario(p, c) != STATUS_OK) {
			scenario_free(&c);
			goto nomem;
		}
		note_id(w, p, c->id);
		return STATUS_OK;
	case OP_DEL:
		i = scenarios_find(p, b->id, &found);
		if (!found)
			return err_set(err, STATUS_NOT_FOUND, "no scenario with id %lld in process '%s'",
			               (long long)b->id, pname(p));
		sc = p->scenarios[i];
		if (sc->ncuts)
			return err_set(err, STATUS_INPUT, "scenario '%s' still has cuts", sc->name);
		model_remove_at(&p->scenarios, p->nscenarios, i);
		p->nscenarios--;
		scenario_free(&sc);
		return STATUS_OK;
	case OP_SET:
		if (!(sc = process_scenario(p, a->id)))
			return err_set(err, STATUS_NOT_FOUND, "no scenario with id %lld in process '%s'",
			               (long long)a->id, pname(p));
		if (!(name = strdup(a->name ? a->name : "")))
			goto nomem;
		free(sc->name);
		sc->name = name;
		return STATUS_OK;
	default:
		return err_set(err, STATUS_INTERNAL, "bad scenario edit");
	}
nomem:
	return err_set(err, STATUS_NOMEM, "out of memory");
}

static enum status
apply_cut(struct workbook *w, struct process *p, sm_id scenario, enum op op,
          const struct cut *b, const struct cut *a, struct err *err)
{
	struct scenario *sc = process_scenario(p, scenario);
	struct cut *c;
	size_t i;
	enum status st;

	if (!sc)
		return err_set(err, STATUS_NOT_FOUND, "no scenario with id %lld in process '%s'",
		               (long long)scenario, pname(p));
	switch (op) {
	case OP_ADD:
		if ((st = need_free_id(w, a->id, err)) != STATUS_OK)
			return st;
		if (!(c = cut_copy(a)))
			goto nomem;
		if (scenario_add_cut(sc, c) != STATUS_OK) {
			cut_free(&c);
			goto nomem;
		}
		note_id(w, p, c->id);
		return STATUS_OK;
	case OP_DEL:
		for (i = 0; i < sc->ncuts; i++)
			if (sc->cuts[i]->id == b->id)
				break;
		if (i == sc->ncuts)
			return err_set(err, STATUS_NOT_FOUND, "no cut with id %lld in scenario '%s'",
			               (long long)b->id, sc->name);
		c = sc->cuts[i];
		model_remove_at(&sc->cuts, sc->ncuts, i);
		sc->ncuts--;
		cut_free(&c);
		return STATUS_OK;
	default:
		return err_set(err, STATUS_INTERNAL, "bad cut edit");
	}
nomem:
	return err_set(err, STATUS_NOMEM, "out of memory");
}

/* Apply e, or (inverse) its inverse, without building the inverse. */
static enum status
apply(struct workbook *w, const struct edit *e, bool inverse, struct err *err)
{
	enum family fam;
	enum op op;
	const void *b, *a;
	struct process *p;
	size_t i, n;
	enum status st;

	if (!kind_ok(e))
		return err_set(err, STATUS_INTERNAL, "not an edit");
	fam = kinds[e->kind].fam;
	op = kinds[e->kind].op;
	if (fam == FAM_GROUP) {
		n = e->u.group.n;
		for (i = 0; i < n; i++) {
			const struct edit *item = e->u.group.items[inverse ? n - 1 - i : i];

			if ((st = apply(w, item, inverse, err)) != STATUS_OK) {
				/* Undo what applied, last first. */
				while (i-- > 0)
					apply(w, e->u.group.items[inverse ? n - 1 - i : i], !inverse, NULL);
				return st;
			}
		}
		return STATUS_OK;
	}
	b = ed_before(e);
	a = ed_after(e);
	if (inverse) {
		const void *t = a;

		a = b;
		b = t;
		if (op != OP_SET)
			op = op == OP_ADD ? OP_DEL : OP_ADD;
	}
	if ((op != OP_ADD && !b) || (op != OP_DEL && !a))
		return err_set(err, STATUS_INTERNAL, "%s edit without its object",
		               op == OP_ADD ? "an add" : op == OP_DEL ? "a delete" : "a change");
	if (fam == FAM_PROCESS)
		return apply_process(w, op, b, a, err);
	if (!(p = need_process(w, e->process, err)))
		return STATUS_NOT_FOUND;
	switch (fam) {
	case FAM_LANE:     return apply_lane(w, p, op, b, a, err);
	case FAM_STEP:     return apply_step(w, p, op, b, a, err);
	case FAM_FLOW:     return apply_flow(w, p, op, b, a, err);
	case FAM_MEASURE:  return apply_measure(w, p, op, b, a, err);
	case FAM_SCENARIO: return apply_scenario(w, p, op, b, a, err);
	case FAM_CUT:      return apply_cut(w, p, e->scenario, op, b, a, err);
	default:           return err_set(err, STATUS_INTERNAL, "bad edit");
	}
}

enum status
edit_apply(struct workbook *w, const struct edit *e, struct err *err)
{
	struct err local;

	/* The rollback of a group needs to know the code even when the caller
	 * passed no err. */
	if (!err)
		err = &local;
	err_clear(err);
	return apply(w, e, false, err);
}

/* --- building ---------------------------------------------------------------- */

/* A list of edits being built; a failed push marks it failed. */
struct elist {
	struct edit **v;
	size_t n, cap;
	bool failed;
};

static void
elist_push(struct elist *l, struct edit *e)
{
	if (!e) {
		l->failed = true;
		return;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct edit **v = realloc(l->v, cap * sizeof *v);

		if (!v) {
			edit_free(&e);
			l->failed = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = e;
}

static void
elist_free(struct elist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		edit_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* The edits of l as one edit labelled label: the only one when there is one,
 * else a GROUP. l is emptied. */
static enum status
elist_finish(struct elist *l, const char *label, struct edit **out, struct err *err)
{
	struct edit *e;

	*out = NULL;
	if (l->failed || l->n == 0) {
		bool failed = l->failed;

		elist_free(l);
		return failed ? err_set(err, STATUS_NOMEM, "out of memory")
		              : err_set(err, STATUS_NOTHING, "nothing to do");
	}
	if (l->n == 1) {
		e = l->v[0];
		free(e->label);
		e->label = label ? strdup(label) : NULL;
		free(l->v);
	} else {
		e = edit_group(l->v, l->n, label);
	}
	memset(l, 0, sizeof *l);
	if (!e)
		return err_set(err, STATUS_NOMEM, "out of memory");
	*out = e;
	return STATUS_OK;
}

/* A single edit of kind k in process pid, carrying copies of b and a. */
static struct edit *
make(enum edit_kind k, sm_id pid, const void *b, const void *a)
{
	enum family fam = kinds[k].fam;
	struct edit *e = edit_new(k, pid, NULL);
	void *nb, *na;

	if (!e)
		return NULL;
	nb = obj_copy(fam, b);
	na = obj_copy(fam, a);
	ed_set(e, nb, na);
	if ((b && !nb) || (a && !na))
		edit_free(&e);
	return e;
}

/* As make(), taking ownership of a (the new state), b copied. */
static struct edit *
make_own(enum edit_kind k, sm_id pid, const void *b, void *a)
{
	enum family fam = kinds[k].fam;
	struct edit *e;

	if (!a)
		return NULL;
	if (!(e = make(k, pid, b, NULL))) {
		obj_free(fam, a);
		return NULL;
	}
	ed_set(e, ed_before(e), a);
	return e;
}

/* Only for labels: a name cut to fit. */
#define LABEL_MAX 160

static void
label_set(char *buf, const char *fmt, const char *name)
{
	snprintf(buf, LABEL_MAX, fmt, name ? name : "");
}

static enum status
check_name(const char *what, const char *name, struct err *err)
{
	if (!name || !*name)
		return err_set(err, STATUS_INPUT, "%s: a name is needed", what);
	return STATUS_OK;
}

/* A process name must be given and not be another process's. */
static enum status
check_process_name(const struct workbook *w, sm_id id, const char *name)
{
	size_t i;

	if (check_name("process", name, NULL) != STATUS_OK)
		return STATUS_INPUT;
	for (i = 0; i < w->nprocs; i++)
		if (w->procs[i]->id != id && model_str_equal(w->procs[i]->name, name))
			return STATUS_INPUT;
	return STATUS_OK;
}

static double
last_proc_key(const struct workbook *w)
{
	return w->nprocs ? w->procs[w->nprocs - 1]->key : 0;
}

enum status
edit_process_add(struct workbook *w, const char *name, struct edit **out)
{
	struct process_head h = { 0 };
	struct edit *e;
	char label[LABEL_MAX];
	enum status st;

	*out = NULL;
	if ((st = check_process_name(w, 0, name)) != STATUS_OK)
		return st;
	h.id = workbook_new_id(w);
	h.key = last_proc_key(w) + KEY_STEP;
	h.name = (char *)name;
	h.arrival.kind = DIST_NONE;
	label_set(label, "add process '%.100s'", name);
	if (!(e = make(EDIT_PROCESS_ADD, h.id, NULL, &h)) || !(e->label = strdup(label))) {
		edit_free(&e);
		return STATUS_NOMEM;
	}
	*out = e;
	return STATUS_OK;
}

/* The deletes that empty p, from the end of each array. */
static void
push_process_contents_del(struct elist *l, const struct process *p)
{
	size_t i, j;

	for (i = p->nscenarios; i-- > 0;) {
		const struct scenario *sc = p->scenarios[i];

		for (j = sc->ncuts; j-- > 0;) {
			struct edit *e = make(EDIT_CUT_DEL, p->id, sc->cuts[j], NULL);

			if (e)
				e->scenario = sc->id;
			elist_push(l, e);
		}
		{
			struct edit *e = make(EDIT_SCENARIO_DEL, p->id, sc, NULL);

			if (e)
				e->scenario = sc->id;
			elist_push(l, e);
		}
	}
	for (i = p->nmeasures; i-- > 0;)
		elist_push(l, make(EDIT_MEASURE_DEL, p->id, p->measures[i], NULL));
	for (i = p->nflows; i-- > 0;)
		elist_push(l, make(EDIT_FLOW_DEL, p->id, p->flows[i], NULL));
	for (i = p->nsteps; i-- > 0;)
		elist_push(l, make(EDIT_STEP_DEL, p->id, p->steps[i], NULL));
	for (i = p->nlanes; i-- > 0;)
		elist_push(l, make(EDIT_LANE_DEL, p->id, p->lanes[i], NULL));
}

enum status
edit_process_del(struct workbook *w, sm_id process, struct edit **out)
{
	struct process *p = workbook_process(w, process);
	struct process_head *h;
	struct elist l = { 0 };
	char label[LABEL_MAX];

	*out = NULL;
	if (!p)
		return STATUS_NOT_FOUND;
	push_process_contents_del(&l, p);
	if ((h = process_head_of(p)))
		elist_push(&l, make(EDIT_PROCESS_DEL, p->id, h, NULL));
	else
		l.failed = true;
	process_head_free(&h);
	label_set(label, "delete process '%.100s'", p->name);
	return elist_finish(&l, label, out, NULL);
}

enum status
edit_process_rename(struct workbook *w, sm_id process, const char *name, struct edit **out)
{
	struct process *p = workbook_process(w, process);
	struct process_head *b, *a;
	struct elist l = { 0 };
	char label[LABEL_MAX];

	*out = NULL;
	if (!p)
		return STATUS_NOT_FOUND;
	if (check_process_name(w, p->id, name) != STATUS_OK)
		return STATUS_INPUT;
	b = process_head_of(p);
	a = process_head_of(p);
	if (b && a) {
		free(a->name);
		a->name = strdup(name);
	}
	if (!b || !a || !a->name) {
		process_head_free(&a);
		l.failed = true;
	} else {
		elist_push(&l, make_own(EDIT_PROCESS_SET, p->id, b, a));
	}
	process_head_free(&b);
	snprintf(label, sizeof label, "rename process '%.60s' to '%.60s'", pname(p), name);
	return elist_finish(&l, label, out, NULL);
}

/* The new id of an object copied, or 0 when it was not copied. */
static sm_id
mapped(const struct id_index *m, sm_id id)
{
	const struct id_slot *s = idmap_get(m, id);

	return s ? s->aux : 0;
}

enum status
edit_process_copy(struct workbook *w, sm_id process, const char *name, struct edit **out)
{
	struct process *p = workbook_process(w, process);
	struct process_head *h;
	struct id_index *m;
	struct elist l = { 0 };
	char label[LABEL_MAX];
	sm_id pid;
	size_t i, j;

	*out = NULL;
	if (!p)
		return STATUS_NOT_FOUND;
	if (check_process_name(w, 0, name) != STATUS_OK)
		return STATUS_INPUT;
	if (!(m = idmap_new(p->nsteps + p->nlanes + 1)))
		return STATUS_NOMEM;
	pid = workbook_new_id(w);
	if ((h = process_head_of(p))) {
		h->id = pid;
		h->key = last_proc_key(w) + KEY_STEP;
		free(h->name);
		if (!(h->name = strdup(name)))
			process_head_free(&h);
	}
	elist_push(&l, h ? make_own(EDIT_PROCESS_ADD, pid, NULL, h) : NULL);
	for (i = 0; i < p->nlanes && !l.failed; i++) {
		struct lane *c = lane_copy(p->lanes[i]);

		if (c) {
			sm_id old = c->id;

			c->id = workbook_new_id(w);
			if (idmap_put(m, old, NULL, c->id) != STATUS_OK)
				lane_free(&c);
		}
		elist_push(&l, make_own(EDIT_LANE_ADD, pid, NULL, c));
	}
	for (i = 0; i < p->nsteps && !l.failed; i++) {
		struct step *c = step_copy(p->steps[i]);

		if (c) {
			sm_id old = c->id;

			c->lane = mapped(m, c->lane);
			c->id = workbook_new_id(w);
			if (idmap_put(m, old, NULL, c->id) != STATUS_OK)
				step_free(&c);
		}
		elist_push(&l, make_own(EDIT_STEP_ADD, pid, NULL, c));
	}
	for (i = 0; i < p->nflows && !l.failed; i++) {
		struct flow *c = flow_copy(p->flows[i]);

		if (c) {
			c->id = workbook_new_id(w);
			c->from = mapped(m, c->from);
			c->to = mapped(m, c->to);
		}
		elist_push(&l, make_own(EDIT_FLOW_ADD, pid, NULL, c));
	}
	for (i = 0; i < p->nmeasures && !l.failed; i++) {
		struct measure *c = measure_copy(p->measures[i]);

		if (c) {
			c->id = workbook_new_id(w);
			c->from = mapped(m, c->from);
			c->to = mapped(m, c->to);
		}
		elist_push(&l, make_own(EDIT_MEASURE_ADD, pid, NULL, c));
	}
	for (i = 0; i < p->nscenarios && !l.failed; i++) {
		const struct scenario *sc = p->scenarios[i];
		struct scenario *c = scenario_copy(sc, false);
		sm_id sid = workbook_new_id(w);
		struct edit *e;

		if (c)
			c->id = sid;
		if ((e = make_own(EDIT_SCENARIO_ADD, pid, NULL, c)))
			e->scenario = sid;
		elist_push(&l, e);
		for (j = 0; j < sc->ncuts && !l.failed; j++) {
			struct cut *k = cut_copy(sc->cuts[j]);

			if (k) {
				k->id = workbook_new_id(w);
				k->step = mapped(m, k->step);
				k->step2 = mapped(m, k->step2);
				k->lane = mapped(m, k->lane);
			}
			if ((e = make_own(EDIT_CUT_ADD, pid, NULL, k)))
				e->scenario = sid;
			elist_push(&l, e);
		}
	}
	idmap_free(&m);
	snprintf(label, sizeof label, "copy process '%.60s' as '%.60s'", pname(p), name);
	return elist_finish(&l, label, out, NULL);
}

/* --- lanes -------------------------------------------------------------------- */

static enum status
check_lane(const struct process *p, const struct lane *l, struct err *err)
{
	size_t i;
	enum status st;

	if ((st = check_name("lane", l->name, err)) != STATUS_OK)
		return st;
	if ((unsigned)l->stage >= STAGE_COUNT_)
		return err_set(err, STATUS_INPUT, "lane '%s': no stage number %d", l->name, (int)l->stage);
	if (l->capacity < 0)
		return err_set(err, STATUS_INPUT, "lane '%s': capacity must be 0 (unlimited) or more",
		               l->name);
	if (!isfinite(l->key))
		return err_set(err, STATUS_INPUT, "lane '%s': order key is not a number", l->name);
	for (i = 0; i < p->nlanes; i++)
		if (p->lanes[i]->id != l->id && model_str_equal(p->lanes[i]->name, l->name))
			return err_set(err, STATUS_INPUT, "a lane named '%s' already exists in process '%s'",
			               l->name, pname(p));
	return STATUS_OK;
}

enum status
edit_lane_add(struct workbook *w, sm_id process, const char *name, enum stage stage,
              int capacity, struct edit **out)
{
	struct process *p = workbook_process(w, process);
	struct lane l = { 0 };
	struct elist list = { 0 };
	char label[LABEL_MAX];
	enum status st;

	*out = NULL;
	if (!p)
		return STATUS_NOT_FOUND;
	l.name = (char *)name;
	l.stage = stage;
	l.capacity = capacity;
	l.key = (p->nlanes ? p->lanes[p->nlanes - 1]->key : 0) + KEY_STEP;
	if ((st = check_lane(p, &l, NULL)) != STATUS_OK)
		return st;
	l.id = workbook_new_id(w);
	elist_push(&list, make(EDIT_LANE_ADD, p->id, NULL, &l));
	label_set(label, "add lane '%.100s'", name);
	return elist_finish(&list, label, out, NULL);
}

enum status
edit_lane_del(struct workbook *w, sm_id lane, struct edit **out)
{
	struct process *p = workbook_owner(w, lane);
	struct lane *l = process_lane(p, lane);
	struct elist list = { 0 };
	char label[LABEL_MAX];
	size_t i;

	*out = NULL;
	if (!l)
		return STATUS_NOT_FOUND;
	for (i = 0; i < p->nsteps && !list.failed; i++) {
		const struct step *s = p->steps[i];
		struct step *a;

		if (s->lane != lane)
			continue;
		if ((a = step_copy(s)))
			a->lane = 0;
		elist_push(&list, make_own(EDIT_STEP_SET, p->id, s, a));
	}
	elist_push(&list, make(EDIT_LANE_DEL, p->id, l, NULL));
	label_set(label, "delete lane '%.100s'", l->name);
	return elist_finish(&list, label, out, NULL);
}

enum status
edit_lane_set(struct workbook *w, const struct lane *after, struct edit **out)
{
	struct process *p = workbook_owner(w, after->id);
	struct lane *l = process_lane(p, after->id);
	struct elist list = { 0 };
	char label[LABEL_MAX];
	enum status st;

	*out = NULL;
	if (!l)
		return STATUS_NOT_FOUND;
	if ((st = check_lane(p, after, NULL)) != STATUS_OK)
		return st;
	elist_push(&list, make(EDIT_LANE_SET, p->id, l, after));
	if (!model_str_equal(l->name, after->name))
		snprintf(label, sizeof label, "rename lane '%.60s' to '%.60s'", l->name, after->name);
	else
		label_set(label, "change lane '%.100s'", l->name);
	return elist_finish(&list, label, out, NULL);
}

/* --- steps ---------------------------------------------------------------------- */

/* The steps of p in order, without the one at index skip (NPOS: none). */
struct view {
	const struct process *p;
	size_t skip, n;
};

static struct step *
view_at(const struct view *v, size_t j)
{
	return v->p->steps[v->skip != NPOS && j >= v->skip ? j + 1 : j];
}

static double
view_key(const struct view *v, size_t j)
{
	return j < v->n ? view_at(v, j)->key : NAN;
}

/* a and b (a < b) far enough apart to be told apart reliably. */
static bool
keys_apart(double a, double b)
{
	double mag = fmax(1, fmax(fabs(a), fabs(b)));

	return isfinite(a) && isfinite(b) && b - a > KEY_EPS * mag;
}

/* A key for a step between L and H (either may be NAN), or NAN when there
 * is no good one. */
static double
key_fit(double lo, double hi)
{
	double k = process_key_between(lo, hi);

	if (isnan(k) || (!isnan(lo) && !keys_apart(lo, k)) || (!isnan(hi) && !keys_apart(k, hi)))
		return NAN;
	return k;
}


/* Window of a respace: slots lo..hi of the view plus the new place. */
struct window {
	size_t lo, hi, cnt;
	double left, right;          /* keys just outside; NAN at an end */
};

static double
window_key(const struct window *wd, size_t t)
{
	if (isnan(wd->left) && isnan(wd->right))
		return KEY_STEP * (double)(t + 1);
	if (isnan(wd->left))
		return wd->right - KEY_STEP * (double)(wd->cnt - t);
	if (isnan(wd->right))
		return wd->left + KEY_STEP * (double)(t + 1);
	return wd->left + (wd->right - wd->left) * ((double)(t + 1) / (double)(wd->cnt + 1));
}

static bool
window_fits(const struct window *wd)
{
	double prev = wd->left, k;
	size_t t;

	for (t = 0; t < wd->cnt; t++, prev = k) {
		k = window_key(wd, t);
		if (!isfinite(k) || (!isnan(prev) && !keys_apart(prev, k)))
			return false;
	}
	return isnan(wd->right) || keys_apart(prev, wd->right);
}

/*
 * The key for a step put at position at (0..v->n) of v. When its
 * neighbours are too close, a window around the place is spaced again
 * (doubling until the keys fit; at worst the whole process); a STEP_SET for
 * every step whose key changes goes into l.
 */
static double
place_key(const struct view *v, size_t at, sm_id pid, struct elist *l)
{
	struct window wd;
	double k = key_fit(at > 0 ? view_key(v, at - 1) : NAN, view_key(v, at));
	size_t r, t;

	if (!isnan(k))
		return k;
	for (r = RESPACE_RADIUS;; r *= 2) {
		wd.lo = at > r ? at - r : 0;
		wd.hi = v->n - at > r ? at + r : v->n;
		wd.cnt = wd.hi - wd.lo + 1;
		wd.left = wd.lo > 0 ? view_key(v, wd.lo - 1) : NAN;
		wd.right = wd.hi < v->n ? view_key(v, wd.hi) : NAN;
		if (window_fits(&wd) || (wd.lo == 0 && wd.hi == v->n))
			break;
	}
	for (t = 0; t < wd.cnt && !l->failed; t++) {
		const struct step *s;
		struct step *a;

		if (t == at - wd.lo) {
			k = window_key(&wd, t);
			continue;
		}
		s = view_at(v, wd.lo + (t < at - wd.lo ? t : t - 1));
		if (s->key == window_key(&wd, t))
			continue;
		if ((a = step_copy(s)))
			a->key = window_key(&wd, t);
		elist_push(l, make_own(EDIT_STEP_SET, pid, s, a));
	}
	return k;
}

/* Every field of s as step_set_field() would accept it. */
static enum status
check_step(const struct process *p, const struct step *s, struct err *err)
{
	const struct dist *d[2] = { &s->work, &s->wait };
	const char *dn[2] = { "work", "wait" };
	int k;

	if ((unsigned)s->type >= STEP_TYPE_COUNT_)
		return err_set(err, STATUS_INPUT, "type: no step type number %d", (int)s->type);
	if ((unsigned)s->value >= VALUE_CLASS_COUNT_)
		return err_set(err, STATUS_INPUT, "value: no value class number %d", (int)s->value);
	if (!(s->error_rate >= 0 && s->error_rate <= 1))
		return err_set(err, STATUS_INPUT, "error_rate: expected a number from 0 to 1, got %g",
		               s->error_rate);
	if (!(s->cost >= 0) || !isfinite(s->cost))
		return err_set(err, STATUS_INPUT, "cost: expected a number of 0 or more, got %g", s->cost);
	if (s->emotion != EMOTION_NONE && (s->emotion < -2 || s->emotion > 2))
		return err_set(err, STATUS_INPUT,
		               "emotion: expected a whole number from -2 to +2, or empty, got %d",
		               s->emotion);
	if (!isfinite(s->key))
		return err_set(err, STATUS_INPUT, "step '%s': order key is not a number",
		               s->name ? s->name : "");
	/* A distribution is valid when its text reads back: one set of rules. */
	for (k = 0; k < 2; k++) {
		char text[DIST_TEXT_MAX];
		struct dist back;
		enum status st;

		if ((unsigned)d[k]->kind >= DIST_KIND_COUNT_)
			return err_set(err, STATUS_INPUT, "%s: no distribution kind %d", dn[k],
			               (int)d[k]->kind);
		dist_format(d[k], text, sizeof text);
		if ((st = dist_read(text, dn[k], &back, err)) != STATUS_OK)
			return st;
	}
	return check_step_lane(p, s, err);
}

enum status
edit_step_insert(struct workbook *w, sm_id process, size_t at, const struct step *tmpl,
                 struct edit **out)
{
	struct process *p = workbook_process(w, process);
	struct view v;
	struct step *c;
	struct elist l = { 0 };
	char label[LABEL_MAX];
	double key;
	enum status st;

	*out = NULL;
	if (!p)
		return STATUS_NOT_FOUND;
	if (at > p->nsteps)
		return STATUS_INPUT;
	v = (struct view){ p, NPOS, p->nsteps };
	if (!(c = step_copy(tmpl)))
		return STATUS_NOMEM;
	c->key = 0;
	if ((st = check_step(p, c, NULL)) != STATUS_OK) {
		step_free(&c);
		return st;
	}
	key = place_key(&v, at, p->id, &l);
	c->id = workbook_new_id(w);
	c->key = key;
	c->index = at;
	elist_push(&l, make_own(EDIT_STEP_ADD, p->id, NULL, c));
	label_set(label, "insert step '%.100s'", tmpl->name);
	return elist_finish(&l, label, out, NULL);
}

enum status
edit_step_del(struct workbook *w, sm_id step, struct edit **out)
{
	struct process *p = workbook_owner(w, step);
	const struct step *s = process_step(p, step), *next, *prev;
	struct elist l = { 0 };
	char label[LABEL_MAX];
	sm_id refs;
	size_t i;

	*out = NULL;
	if (!s)
		return STATUS_NOT_FOUND;
	next = s->index + 1 < p->nsteps ? p->steps[s->index + 1] : NULL;
	prev = s->index > 0 ? p->steps[s->index - 1] : NULL;
	/* The id index counts the ends of flows and measures that name the
	 * step: the flows' share of that says when the scan of the flows (the
	 * newest first) has found them all, and spares it when there are
	 * none. */
	refs = idmap_get(p->step_ids, step)->aux;
	for (i = 0; i < p->nmeasures; i++)
		refs -= (p->measures[i]->from == step) + (p->measures[i]->to == step);
	for (i = p->nflows; refs > 0 && i-- > 0 && !l.failed;)
		if (p->flows[i]->from == step || p->flows[i]->to == step) {
			elist_push(&l, make(EDIT_FLOW_DEL, p->id, p->flows[i], NULL));
			refs -= (p->flows[i]->from == step) + (p->flows[i]->to == step);
		}
	/* A measure that starts here starts at the next step; one that ends
	 * here ends at the step before; one with nowhere to go goes. */
	for (i = p->nmeasures; i-- > 0 && !l.failed;) {
		const struct measure *m = p->measures[i];
		struct measure *a;

		if (m->from != step && m->to != step)
			continue;
		if ((m->from == step && !next) || (m->to == step && !prev) ||
		    (m->from == step && m->to == step)) {
			elist_push(&l, make(EDIT_MEASURE_DEL, p->id, m, NULL));
			continue;
		}
		if ((a = measure_copy(m))) {
			if (a->from == step)
				a->from = next->id;
			if (a->to == step)
				a->to = prev->id;
		}
		elist_push(&l, make_own(EDIT_MEASURE_SET, p->id, m, a));
	}
	elist_push(&l, make(EDIT_STEP_DEL, p->id, s, NULL));
	snprintf(label, sizeof label, "delete step %zu '%.100s'", s->index + 1, s->name);
	return elist_finish(&l, label, out, NULL);
}

/* What changed between two states of a step, for the label. */
static void
step_set_label(const struct step *b, const struct step *a, char *label)
{
	static const char *const names[] = {
		"name", "lane", "type", "work", "wait", "value", "error_rate", "cost",
		"channel", "emotion", "pain", "note",
	};
	bool diff[STEP_FIELD_COUNT_];
	size_t i, n = 0, which = 0;

	diff[FIELD_NAME] = !model_str_equal(b->name, a->name);
	diff[FIELD_LANE] = b->lane != a->lane;
	diff[FIELD_TYPE] = b->type != a->type;
	diff[FIELD_WORK] = !dist_equal(&b->work, &a->work);
	diff[FIELD_WAIT] = !dist_equal(&b->wait, &a->wait);
	diff[FIELD_VALUE] = b->value != a->value;
	diff[FIELD_ERROR_RATE] = b->error_rate != a->error_rate;
	diff[FIELD_COST] = b->cost != a->cost;
	diff[FIELD_CHANNEL] = !model_str_equal(b->channel, a->channel);
	diff[FIELD_EMOTION] = b->emotion != a->emotion;
	diff[FIELD_PAIN] = b->pain != a->pain;
	diff[FIELD_NOTE] = !model_str_equal(b->note, a->note);
	for (i = 0; i < STEP_FIELD_COUNT_; i++)
		if (diff[i]) {
			n++;
			which = i;
		}
	if (n == 0 && b->key != a->key)
		snprintf(label, LABEL_MAX, "move step '%.100s'", b->name);
	else if (n == 1 && which == FIELD_NAME)
		snprintf(label, LABEL_MAX, "rename step '%.60s' to '%.60s'", b->name, a->name);
	else if (n == 1)
		snprintf(label, LABEL_MAX, "set %s of step '%.100s'", names[which], b->name);
	else
		snprintf(label, LABEL_MAX, "change step '%.100s'", b->name);
}

enum status
edit_step_set(struct workbook *w, const struct step *after, struct edit **out)
{
	struct process *p = workbook_owner(w, after->id);
	const struct step *s = process_step(p, after->id);
	struct elist l = { 0 };
	char label[LABEL_MAX];
	struct step *a;
	enum status st;

	*out = NULL;
	if (!s)
		return STATUS_NOT_FOUND;
	if ((st = check_step(p, after, NULL)) != STATUS_OK)
		return st;
	if ((a = step_copy(after)))
		a->index = s->index;
	elist_push(&l, make_own(EDIT_STEP_SET, p->id, s, a));
	step_set_label(s, after, label);
	return elist_finish(&l, label, out, NULL);
}

enum status
edit_step_move(struct workbook *w, sm_id step, size_t to, struct edit **out)
{
	struct process *p = workbook_owner(w, step);
	const struct step *s = process_step(p, step);
	struct elist l = { 0 };
	char label[LABEL_MAX];
	struct view v;
	struct step *a;
	double key;

	*out = NULL;
	if (!s)
		return STATUS_NOT_FOUND;
	if (to >= p->nsteps)
		return STATUS_INPUT;
	if (to == s->index)
		return STATUS_NOTHING;
	/* Without the step, its place is position `to` of the others. */
	v = (struct view){ p, s->index, p->nsteps - 1 };
	key = place_key(&v, to, p->id, &l);
	if ((a = step_copy(s)))
		a->key = key;
	elist_push(&l, make_own(EDIT_STEP_SET, p->id, s, a));
	label_set(label, "move step '%.100s'", s->name);
	return elist_finish(&l, label, out, NULL);
}

/* --- flows and measures --------------------------------------------------------- */

static void
flow_label(const struct process *p, const struct flow *f, const char *verb, char *label)
{
	const struct step *a = process_step(p, f->from), *b = process_step(p, f->to);

	snprintf(label, LABEL_MAX, "%s flow '%.60s' -> '%.60s'", verb, a ? a->name : "?",
	         b ? b->name : "?");
}

static enum status
check_flow(const struct process *p, const struct flow *f, struct err *err)
{
	size_t i;

	if (!process_step(p, f->from) || !process_step(p, f->to))
		return err_set(err, STATUS_INPUT, "flow: both ends must be steps of process '%s'",
		               pname(p));
	if (f->prob > 1 || isnan(f->prob))
		return err_set(err, STATUS_INPUT,
		               "prob: expected a probability from 0 to 1 or none, got %g", f->prob);
	for (i = 0; i < p->nflows; i++)
		if (p->flows[i]->id != f->id && p->flows[i]->from == f->from &&
		    p->flows[i]->to == f->to)
			return err_set(err, STATUS_INPUT, "a flow from step %lld to step %lld already exists",
			               (long long)f->from, (long long)f->to);
	return STATUS_OK;
}

enum status
edit_flow_add(struct workbook *w, sm_id from, sm_id to, const char *label, double prob,
              struct edit **out)
{
	struct process *p = workbook_owner(w, from);
	struct flow f = { 0 };
	struct elist l = { 0 };
	char text[LABEL_MAX];
	enum status st;

	*out = NULL;
	if (!process_step(p, from))
		return STATUS_NOT_FOUND;
	f.from = from;
	f.to = to;
	f.label = (char *)(label && *label ? label : NULL);
	f.prob = prob < 0 ? -1 : prob;
	if ((st = check_flow(p, &f, NULL)) != STATUS_OK)
		return st;
	f.id = workbook_new_id(w);
	elist_push(&l, make(EDIT_FLOW_ADD, p->id, NULL, &f));
	flow_label(p, &f, "add", text);
	return elist_finish(&l, text, out, NULL);
}

enum status
edit_flow_del(struct workbook *w, sm_id flow, struct edit **out)
{
	struct process *p = workbook_owner(w, flow);
	const struct flow *f = p ? process_flow(p, flow) : NULL;
	struct elist l = { 0 };
	char text[LABEL_MAX];

	*out = NULL;
	if (!f)
		return STATUS_NOT_FOUND;
	elist_push(&l, make(EDIT_FLOW_DEL, p->id, f, NULL));
	flow_label(p, f, "delete", text);
	return elist_finish(&l, text, out, NULL);
}

enum status
edit_flow_set(struct workbook *w, const struct flow *after, struct edit **out)
{
	struct process *p = workbook_owner(w, after->id);
	const struct flow *f = p ? process_flow(p, after->id) : NULL;
	struct elist l = { 0 };
	char text[LABEL_MAX];
	enum status st;

	*out = NULL;
	if (!f)
		return STATUS_NOT_FOUND;
	if ((st = check_flow(p, after, NULL)) != STATUS_OK)
		return st;
	elist_push(&l, make(EDIT_FLOW_SET, p->id, f, after));
	flow_label(p, f, "change", text);
	return elist_finish(&l, text, out, NULL);
}

static enum status
check_measure(const struct process *p, const struct measure *m, struct err *err)
{
	enum status st;
	const struct measure *other;

	if ((st = check_name("measure", m->name, err)) != STATUS_OK)
		return st;
	if (!process_step(p, m->from) || !process_step(p, m->to))
		return err_set(err, STATUS_INPUT, "measure '%s': both ends must be steps of process '%s'",
		               m->name, pname(p));
	if ((unsigned)m->clock >= CLOCK_COUNT_)
		return err_set(err, STATUS_INPUT, "measure '%s': no clock number %d", m->name,
		               (int)m->clock);
	other = process_measure_named(p, m->name);
	if (other && other->id != m->id)
		return err_set(err, STATUS_INPUT, "a measure named '%s' already exists in process '%s'",
		               m->name, pname(p));
	return STATUS_OK;
}

enum status
edit_measure_add(struct workbook *w, sm_id process, const char *name, sm_id from, sm_id to,
                 enum clock clock, struct edit **out)
{
	struct process *p = workbook_process(w, process);
	struct measure m = { 0 };
	struct elist l = { 0 };
	char label[LABEL_MAX];
	enum status st;

	*out = NULL;
	if (!p)
		return STATUS_NOT_FOUND;
	m.name = (char *)name;
	m.from = from;
	m.to = to;
	m.clock = clock;
	if ((st = check_measure(p, &m, NULL)) != STATUS_OK)
		return st;
	m.id = workbook_new_id(w);
	elist_push(&l, make(EDIT_MEASURE_ADD, p->id, NULL, &m));
	label_set(label, "add measure '%.100s'", name);
	return elist_finish(&l, label, out, NULL);
}

enum status
edit_measure_del(struct workbook *w, sm_id measure, struct edit **out)
{
	struct process *p = workbook_owner(w, measure);
	const struct measure *m = p ? process_measure(p, measure) : NULL;
	struct elist l = { 0 };
	char label[LABEL_MAX];

	*out = NULL;
	if (!m)
		return STATUS_NOT_FOUND;
	elist_push(&l, make(EDIT_MEASURE_DEL, p->id, m, NULL));
	label_set(label, "delete measure '%.100s'", m->name);
	return elist_finish(&l, label, out, NULL);
}

enum status
edit_measure_set(struct workbook *w, const struct measure *after, struct edit **out)
{
	struct process *p = workbook_owner(w, after->id);
	const struct measure *m = p ? process_measure(p, after->id) : NULL;
	struct elist l = { 0 };
	char label[LABEL_MAX];
	enum status st;

	*out = NULL;
	if (!m)
		return STATUS_NOT_FOUND;
	if ((st = check_measure(p, after, NULL)) != STATUS_OK)
		return st;
	elist_push(&l, make(EDIT_MEASURE_SET, p->id, m, after));
	label_set(label, "change measure '%.100s'", m->name);
	return elist_finish(&l, label, out, NULL);
}

/* --- scenarios and cuts ----------------------------------------------------------- */

static struct edit *
make_sc(enum edit_kind k, sm_id pid, sm_id sid, const void *b, const void *a)
{
	struct edit *e = make(k, pid, b, a);

	if (e)
		e->scenario = sid;
	return e;
}

static enum status
check_scenario_name(const struct process *p, sm_id id, const char *name)
{
	const struct scenario *other;

	if (check_name("scenario", name, NULL) != STATUS_OK)
		return STATUS_INPUT;
	other = process_scenario_named(p, name);
	return other && other->id != id ? STATUS_INPUT : STATUS_OK;
}

enum status
edit_scenario_add(struct workbook *w, sm_id process, const char *name, struct edit **out)
{
	struct process *p = workbook_process(w, process);
	struct scenario sc = { 0 };
	struct elist l = { 0 };
	char label[LABEL_MAX];
	enum status st;

	*out = NULL;
	if (!p)
		return STATUS_NOT_FOUND;
	if ((st = check_scenario_name(p, 0, name)) != STATUS_OK)
		return st;
	sc.id = workbook_new_id(w);
	sc.name = (char *)name;
	elist_push(&l, make_sc(EDIT_SCENARIO_ADD, p->id, sc.id, NULL, &sc));
	label_set(label, "add scenario '%.100s'", name);
	return elist_finish(&l, label, out, NULL);
}

enum status
edit_scenario_del(struct workbook *w, sm_id scenario, struct edit **out)
{
	struct process *p = NULL;
	const struct scenario *sc = workbook_scenario(w, scenario, &p);
	struct elist l = { 0 };
	char label[LABEL_MAX];
	size_t i;

	*out = NULL;
	if (!sc)
		return STATUS_NOT_FOUND;
	for (i = sc->ncuts; i-- > 0;)
		elist_push(&l, make_sc(EDIT_CUT_DEL, p->id, sc->id, sc->cuts[i], NULL));
	elist_push(&l, make_sc(EDIT_SCENARIO_DEL, p->id, sc->id, sc, NULL));
	label_set(label, "delete scenario '%.100s'", sc->name);
	return elist_finish(&l, label, out, NULL);
}

enum status
edit_scenario_rename(struct workbook *w, sm_id scenario, const char *name, struct edit **out)
{
	struct process *p = NULL;
	const struct scenario *sc = workbook_scenario(w, scenario, &p);
	struct scenario a = { 0 };
	struct elist l = { 0 };
	char label[LABEL_MAX];
	enum status st;

	*out = NULL;
	if (!sc)
		return STATUS_NOT_FOUND;
	if ((st = check_scenario_name(p, sc->id, name)) != STATUS_OK)
		return st;
	a.id = sc->id;
	a.name = (char *)name;
	elist_push(&l, make_sc(EDIT_SCENARIO_SET, p->id, sc->id, sc, &a));
	snprintf(label, sizeof label, "rename scenario '%.60s' to '%.60s'", sc->name, name);
	return elist_finish(&l, label, out, NULL);
}

enum status
edit_scenario_copy(struct workbook *w, sm_id scenario, const char *name, struct edit **out)
{
	struct process *p = NULL;
	const struct scenario *sc = workbook_scenario(w, scenario, &p);
	struct scenario a = { 0 };
	struct elist l = { 0 };
	char label[LABEL_MAX];
	enum status st;
	size_t i;

	*out = NULL;
	if (!sc)
		return STATUS_NOT_FOUND;
	if ((st = check_scenario_name(p, 0, name)) != STATUS_OK)
		return st;
	a.id = workbook_new_id(w);
	a.name = (char *)name;
	elist_push(&l, make_sc(EDIT_SCENARIO_ADD, p->id, a.id, NULL, &a));
	for (i = 0; i < sc->ncuts && !l.failed; i++) {
		struct cut *k = cut_copy(sc->cuts[i]);
		struct edit *e;

		if (k)
			k->id = workbook_new_id(w);
		if ((e = make_own(EDIT_CUT_ADD, p->id, NULL, k)))
			e->scenario = a.id;
		elist_push(&l, e);
	}
	snprintf(label, sizeof label, "copy scenario '%.60s' as '%.60s'", sc->name, name);
	return elist_finish(&l, label, out, NULL);
}

enum status
edit_cut_add(struct workbook *w, sm_id scenario, const struct cut *tmpl, struct edit **out)
{
	struct process *p = NULL;
	const struct scenario *sc = workbook_scenario(w, scenario, &p);
	struct elist l = { 0 };
	char label[LABEL_MAX];
	struct cut *k;
	struct edit *e;

	*out = NULL;
	if (!sc)
		return STATUS_NOT_FOUND;
	if ((unsigned)tmpl->kind >= CUT_KIND_COUNT_)
		return STATUS_INPUT;
	if ((k = cut_copy(tmpl))) {
		k->id = workbook_new_id(w);
		k->key = (sc->ncuts ? sc->cuts[sc->ncuts - 1]->key : 0) + KEY_STEP;
	}
	if ((e = make_own(EDIT_CUT_ADD, p->id, NULL, k)))
		e->scenario = sc->id;
	elist_push(&l, e);
	snprintf(label, sizeof label, "add cut '%s' to scenario '%.100s'",
	         cut_kind_name(tmpl->kind), sc->name);
	return elist_finish(&l, label, out, NULL);
}

enum status
edit_cut_del(struct workbook *w, sm_id cut, struct edit **out)
{
	struct process *p = workbook_owner(w, cut);
	struct elist l = { 0 };
	char label[LABEL_MAX];
	size_t i, j;

	*out = NULL;
	for (i = 0; p && i < p->nscenarios; i++) {
		const struct scenario *sc = p->scenarios[i];

		for (j = 0; j < sc->ncuts; j++)
			if (sc->cuts[j]->id == cut) {
				elist_push(&l, make_sc(EDIT_CUT_DEL, p->id, sc->id, sc->cuts[j], NULL));
				snprintf(label, sizeof label, "delete cut '%s' from scenario '%.100s'",
				         cut_kind_name(sc->cuts[j]->kind), sc->name);
				return elist_finish(&l, label, out, NULL);
			}
	}
	return STATUS_NOT_FOUND;
}
