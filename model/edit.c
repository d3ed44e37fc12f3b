/*
 * edit.c - edits as data: free, copy, invert and apply them (the builders
 * the workbench and the command line make them with are in edit_build.c).
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
 */
#include "model/model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPOS ((size_t)-1)

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
	c->di = model_strdup(h->di);
	if (!c->name || (h->description && !c->description) || (h->di && !c->di))
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

/*
 * What a change made in stepmap does to the diagram read from BPMN (the
 * object's di, issue 11): a step moved (order or lane) or retyped (another
 * shape) loses its place, and export lays it out again, with the flows at
 * its ends; a flow reconnected loses its waypoints. A rename, a time or any
 * other field keeps them. Only edits made by the builders get here: undo
 * and redo carry the objects as they were, the di with them.
 */
static void
settle_di(enum family fam, const void *before, void *after)
{
	if (fam == FAM_STEP) {
		const struct step *b = before;
		struct step *a = after;

		if (a->di && (a->key != b->key || !step_di_holds(b, a))) {
			free(a->di);
			a->di = NULL;
		}
	} else if (fam == FAM_FLOW) {
		const struct flow *b = before;
		struct flow *a = after;

		if (a->di && !flow_di_holds(b, a)) {
			free(a->di);
			a->di = NULL;
		}
	}
}

/* A single edit of kind k in process pid, carrying copies of b and a. */
struct edit *
edit_make(enum edit_kind k, sm_id pid, const void *b, const void *a)
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
	else if (nb && na && kinds[k].op == OP_SET)
		settle_di(fam, nb, na);
	return e;
}

/* As make(), taking ownership of a (the new state), b copied. */
struct edit *
edit_make_own(enum edit_kind k, sm_id pid, const void *b, void *a)
{
	enum family fam = kinds[k].fam;
	struct edit *e;

	if (!a)
		return NULL;
	if (!(e = edit_make(k, pid, b, NULL))) {
		obj_free(fam, a);
		return NULL;
	}
	ed_set(e, ed_before(e), a);
	if (kinds[k].op == OP_SET && ed_before(e))
		settle_di(fam, ed_before(e), a);
	return e;
}

/* --- applying ------------------------------------------------------------- */

const char *
edit_pname(const struct process *p)
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
		if ((a->description && !(p->description = strdup(a->description))) ||
		    (a->di && !(p->di = strdup(a->di)))) {
			process_free(&p);
			goto nomem;
		}
		p->key = a->key;
		p->arrival = a->arrival;
		p->time_unit = a->time_unit;
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
			               edit_pname(p));
		i = proc_index(w, p);
		model_remove_at(&w->procs, w->nprocs, i);
		w->nprocs--;
		process_free(&p);
		return STATUS_OK;
	case OP_SET: {
		char *name, *desc, *di;

		if (!(p = need_process(w, a->id, err)))
			return STATUS_NOT_FOUND;
		name = strdup(a->name ? a->name : "");
		desc = model_strdup(a->description);
		di = model_strdup(a->di);
		if (!name || (a->description && !desc) || (a->di && !di)) {
			free(name);
			free(desc);
			free(di);
			goto nomem;
		}
		free(p->name);
		free(p->description);
		free(p->di);
		p->name = name;
		p->description = desc;
		p->di = di;
		p->arrival = a->arrival;
		p->time_unit = a->time_unit;
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
			               (long long)b->id, edit_pname(p));
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
			               (long long)a->id, edit_pname(p));
		if (!(c = lane_copy(a)))
			goto nomem;
		free(l->name);
		free(l->source_id);
		free(l->di);
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

enum status
edit_check_step_lane(const struct process *p, const struct step *s, struct err *err)
{
	if (s->lane && !process_lane(p, s->lane))
		return err_set(err, STATUS_NOT_FOUND, "step '%s': no lane with id %lld in process '%s'",
		               s->name ? s->name : "", (long long)s->lane, edit_pname(p));
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
		    (st = edit_check_step_lane(p, a, err)) != STATUS_OK)
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
			               (long long)b->id, edit_pname(p));
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
			               (long long)a->id, edit_pname(p));
		if ((st = edit_check_step_lane(p, a, err)) != STATUS_OK)
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
		               edit_pname(p));
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
			               (long long)b->id, edit_pname(p));
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
			               (long long)a->id, edit_pname(p));
		if ((st = check_ends(p, "flow", a->id, a->from, a->to, err)) != STATUS_OK)
			return st;
		if (!(c = flow_copy(a)))
			goto nomem;
		process_ref_step(p, f->from, -1);
		process_ref_step(p, f->to, -1);
		free(f->label);
		free(f->condition);
		free(f->source_id);
		free(f->di);
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
			               (long long)b->id, edit_pname(p));
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
			               (long long)a->id, edit_pname(p));
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
			               (long long)b->id, edit_pname(p));
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
			               (long long)a->id, edit_pname(p));
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
		               (long long)scenario, edit_pname(p));
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
