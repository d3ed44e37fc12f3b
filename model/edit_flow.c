/*
 * edit_flow.c - composite flow edits (edit_flow.h): decisions, branches,
 * loops, parallel blocks, made from the plain edits of edit.c.
 *
 * A draft. The plain builders check each edit against the process as it
 * stands, but a composite edit's later parts name what its earlier parts
 * make (a flow into a split step just inserted). So the builders here work
 * on a draft: a workbook holding a copy of the one process, with the real
 * workbook's id counter; each part is built against the draft and applied
 * to it, and the parts become one GROUP. The draft costs one copy of the
 * process, once per edit a person makes by hand.
 */
#include "model/edit_flow.h"
#include "model/model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct draft {
	struct workbook *w;          /* the real workbook (ids) */
	struct workbook *tmp;        /* holds the copy */
	struct process *p;           /* the copy */
	struct edit **items;
	size_t n;
	enum status st;
	struct err *err;
};

static bool
draft_open(struct draft *d, struct workbook *w, struct process *p, struct err *err)
{
	memset(d, 0, sizeof *d);
	d->w = w;
	d->err = err;
	if (!(d->tmp = workbook_new()) || model_grow(&d->tmp->procs, 0) != STATUS_OK ||
	    !(d->p = process_copy(p))) {
		workbook_free(&d->tmp);
		d->st = STATUS_NOMEM;
		return false;
	}
	d->tmp->procs[0] = d->p;
	d->tmp->nprocs = 1;
	d->tmp->next_id = w->next_id;
	return true;
}

/* Take the part a builder made (st its status, *pe the edit, read after the
 * builder ran; taken and set to NULL): apply it to the draft and keep it. After the first failure every part is dropped. */
static void
draft_take(struct draft *d, enum status st, struct edit **pe)
{
	struct edit **items = NULL, *e = *pe;

	*pe = NULL;
	if (d->st == STATUS_OK && st != STATUS_OK)
		d->st = st;
	if (d->st == STATUS_OK && !e)
		return;
	if (d->st == STATUS_OK && (st = edit_apply(d->tmp, e, d->err)) != STATUS_OK)
		d->st = st;
	if (d->st == STATUS_OK && !(items = realloc(d->items, (d->n + 1) * sizeof *items)))
		d->st = STATUS_NOMEM;
	if (d->st != STATUS_OK) {
		edit_free(&e);
		return;
	}
	d->items = items;
	d->items[d->n++] = e;
}

/* The group of the parts, labelled; the draft is closed. */
static enum status
draft_finish(struct draft *d, const char *label, struct edit **out)
{
	size_t i;

	if (d->tmp && d->tmp->next_id > d->w->next_id)
		d->w->next_id = d->tmp->next_id;
	workbook_free(&d->tmp);
	if (d->st == STATUS_OK && d->n == 0)
		d->st = err_set(d->err, STATUS_INPUT, "nothing to change");
	if (d->st == STATUS_OK && !(*out = edit_group(d->items, d->n, label)))
		d->st = STATUS_NOMEM;
	if (d->st != STATUS_OK) {
		if (*out)
			edit_free(out);
		else {
			for (i = 0; i < d->n; i++)
				edit_free(&d->items[i]);
			free(d->items);
		}
		if (d->st == STATUS_NOMEM)
			err_set(d->err, STATUS_NOMEM, "out of memory");
	}
	return d->st;
}

/* A flow in the draft from `from` to b->to with b's label, condition and
 * probability. */
static void
add_flow(struct draft *d, sm_id from, const struct branch *b)
{
	struct edit *e = NULL;
	enum status st;
	const struct flow *f;
	struct flow *after;

	st = edit_flow_add(d->tmp, from, b->to, b->label, b->prob, &e);
	if (st == STATUS_INPUT)
		st = err_set(d->err, STATUS_INPUT, "a flow from there to that step exists already");
	draft_take(d, st, &e);
	if (d->st != STATUS_OK || !b->condition || !*b->condition)
		return;
	/* edit_flow_add() takes no condition: set it on the new flow. */
	f = d->p->nflows ? d->p->flows[d->p->nflows - 1] : NULL;
	if (!f || !(after = flow_copy(f))) {
		d->st = STATUS_NOMEM;
		return;
	}
	free(after->condition);
	if (!(after->condition = strdup(b->condition))) {
		flow_free(&after);
		d->st = STATUS_NOMEM;
		return;
	}
	e = NULL;
	st = edit_flow_set(d->tmp, after, &e);
	flow_free(&after);
	draft_take(d, st, &e);
}

static size_t
count_out(const struct process *p, sm_id step)
{
	size_t i, n = 0;

	for (i = 0; i < p->nflows; i++)
		n += p->flows[i]->from == step;
	return n;
}

/* Set the step's type in the draft. */
static void
set_type(struct draft *d, const struct step *s, enum step_type t)
{
	struct step *after;
	struct edit *e = NULL;

	if (s->type == t || d->st != STATUS_OK)
		return;
	if (!(after = step_copy(s))) {
		d->st = STATUS_NOMEM;
		return;
	}
	after->type = t;
	draft_take(d, edit_step_set(d->tmp, after, &e), &e);
	step_free(&after);
}

/* Delete the explicit flows out of step in the draft, except keep. */
static void
del_flows_out(struct draft *d, sm_id step, sm_id keep)
{
	size_t i;

	for (i = d->p->nflows; i-- > 0 && d->st == STATUS_OK;) {
		struct edit *e = NULL;

		if (d->p->flows[i]->from != step || d->p->flows[i]->id == keep)
			continue;
		draft_take(d, edit_flow_del(d->tmp, d->p->flows[i]->id, &e), &e);
	}
}

static struct process *
owner_step(struct workbook *w, sm_id id, struct step **s, struct err *err)
{
	struct process *p = workbook_owner(w, id);

	*s = p ? process_step(p, id) : NULL;
	if (!*s)
		err_set(err, STATUS_NOT_FOUND, "no such step");
	return *s ? p : NULL;
}

static bool
prob_ok(double prob, struct err *err)
{
	if (prob > 1 || isnan(prob)) {
		err_set(err, STATUS_INPUT, "a probability is from 0 %% to 100 %%, got %g %%", prob * 100);
		return false;
	}
	return true;
}

enum status
edit_decision_make(struct workbook *w, sm_id step, const struct branch *b, size_t n,
                   struct edit **out, struct err *err)
{
	struct step *s;
	struct process *p;
	struct draft d;
	char label[160];
	size_t i, k;

	*out = NULL;
	if (!(p = owner_step(w, step, &s, err)))
		return STATUS_NOT_FOUND;
	if (n < 2)
		return err_set(err, STATUS_INPUT, "a decision needs two branches or more, got %zu", n);
	for (i = 0; i < n; i++) {
		const struct step *t = process_step(p, b[i].to);

		if (!t)
			return err_set(err, STATUS_INPUT, "branch %zu: no such step in '%s'", i + 1, p->name);
		if (t == s)
			return err_set(err, STATUS_INPUT,
			               "branch %zu: a decision cannot branch to itself (rework is the "
			               "step's error rate)", i + 1);
		if (!prob_ok(b[i].prob, err))
			return STATUS_INPUT;
		for (k = 0; k < i; k++)
			if (b[k].to == b[i].to)
				return err_set(err, STATUS_INPUT, "branches %zu and %zu both go to step %zu",
				               k + 1, i + 1, t->index + 1);
	}
	if (!draft_open(&d, w, p, err))
		return err_set(err, STATUS_NOMEM, "out of memory");
	del_flows_out(&d, step, 0);
	if (s->type != STEP_PARALLEL)
		set_type(&d, process_step(d.p, step), STEP_DECISION);
	for (i = 0; i < n && d.st == STATUS_OK; i++)
		add_flow(&d, step, &b[i]);
	snprintf(label, sizeof label, "step %zu '%.80s' a decision with %zu branches", s->index + 1,
	         s->name, n);
	return draft_finish(&d, label, out);
}

/* The step after s in order that its implicit way goes to, or NULL. */
static const struct step *
implicit_next(const struct process *p, const struct step *s)
{
	if (s->type == STEP_END || s->index + 1 >= p->nsteps)
		return NULL;
	return p->steps[s->index + 1];
}

enum status
edit_branch_add(struct workbook *w, sm_id from, const struct branch *b, struct edit **out,
                struct err *err)
{
	struct step *s;
	struct process *p;
	const struct step *t, *next;
	struct draft d;
	char label[160];
	size_t i;

	*out = NULL;
	if (!(p = owner_step(w, from, &s, err)))
		return STATUS_NOT_FOUND;
	if (!(t = process_step(p, b->to)))
		return err_set(err, STATUS_INPUT, "branch: no such step in '%s'", p->name);
	if (t == s)
		return err_set(err, STATUS_INPUT,
		               "a branch back to the step itself is its error rate (the step form)");
	if (!prob_ok(b->prob, err))
		return STATUS_INPUT;
	for (i = 0; i < p->nflows; i++)
		if (p->flows[i]->from == from && p->flows[i]->to == b->to)
			return err_set(err, STATUS_INPUT, "step %zu branches to step %zu already",
			               s->index + 1, t->index + 1);
	if (!draft_open(&d, w, p, err))
		return err_set(err, STATUS_NOMEM, "out of memory");
	next = implicit_next(p, s);
	if (count_out(p, from) == 0 && next && next != t && s->type != STEP_PARALLEL &&
	    b->prob >= 0) {
		struct branch keep = { next->id, NULL, NULL, 1 - b->prob };

		add_flow(&d, from, &keep);
	}
	add_flow(&d, from, b);
	snprintf(label, sizeof label, "%s from step %zu to step %zu '%.80s'",
	         count_out(p, from) == 0 && b->prob < 0 ? "jump" : "branch", s->index + 1,
	         t->index + 1, t->name);
	return draft_finish(&d, label, out);
}

enum status
edit_loop_add(struct workbook *w, sm_id from, sm_id to, double prob, const char *name,
              struct edit **out, struct err *err)
{
	struct step *s;
	struct process *p;
	const struct step *t, *next;
	struct draft d;
	char label[200];
	size_t i;
	bool scaled = false;

	*out = NULL;
	if (!(p = owner_step(w, from, &s, err)))
		return STATUS_NOT_FOUND;
	if (!(t = process_step(p, to)))
		return err_set(err, STATUS_INPUT, "loop: no such step in '%s'", p->name);
	if (t == s)
		return err_set(err, STATUS_INPUT,
		               "a loop to the step itself is its error rate (the step form)");
	if (t->index > s->index)
		return err_set(err, STATUS_INPUT,
		               "a loop goes back: step %zu comes after step %zu (B adds a branch)",
		               t->index + 1, s->index + 1);
	if (!(prob > 0 && prob < 1))
		return err_set(err, STATUS_INPUT,
		               "a loop's probability is more than 0 %% and less than 100 %%, got %g %%",
		               prob * 100);
	if (s->type == STEP_PARALLEL)
		return err_set(err, STATUS_INPUT, "a parallel gateway takes every way: no loop from it");
	for (i = 0; i < p->nflows; i++)
		if (p->flows[i]->from == from && p->flows[i]->to == to)
			return err_set(err, STATUS_INPUT, "step %zu flows to step %zu already",
			               s->index + 1, t->index + 1);
	next = implicit_next(p, s);
	if (count_out(p, from) == 0 && !next)
		return err_set(err, STATUS_INPUT, "step %zu is the last: the case ends there, "
		               "no way on to share with a loop", s->index + 1);
	if (!draft_open(&d, w, p, err))
		return err_set(err, STATUS_NOMEM, "out of memory");
	if (count_out(p, from) == 0) {
		struct branch on = { next->id, NULL, NULL, 1 - prob };

		add_flow(&d, from, &on);
	} else {
		for (i = 0; i < p->nflows && d.st == STATUS_OK; i++) {
			struct flow *after;
			struct edit *e = NULL;

			if (p->flows[i]->from != from || p->flows[i]->prob < 0)
				continue;
			if (!(after = flow_copy(p->flows[i]))) {
				d.st = STATUS_NOMEM;
				break;
			}
			after->prob *= 1 - prob;
			draft_take(&d, edit_flow_set(d.tmp, after, &e), &e);
			flow_free(&after);
			scaled = true;
		}
	}
	{
		struct branch back = { to, name, NULL, prob };

		add_flow(&d, from, &back);
	}
	snprintf(label, sizeof label, "loop %g %% from step %zu back to step %zu%s", prob * 100,
	         s->index + 1, t->index + 1, scaled ? " (its other branches scaled to share the rest)"
	                                            : "");
	return draft_finish(&d, label, out);
}

/* Insert a parallel gateway named name at position at in the draft; its id. */
static sm_id
add_gateway(struct draft *d, size_t at, const char *name)
{
	struct step tmpl;
	struct edit *e = NULL;
	enum status st;
	sm_id id = 0;

	step_init(&tmpl);
	free(tmpl.name);
	tmpl.name = (char *)name;
	tmpl.type = STEP_PARALLEL;
	tmpl.generated = true;       /* the block's, not a step of the user's */
	st = edit_step_insert(d->tmp, d->p->id, at, &tmpl, &e);
	tmpl.name = NULL;
	step_done(&tmpl);
	draft_take(d, st, &e);
	if (d->st == STATUS_OK && at < d->p->nsteps)
		id = d->p->steps[at]->id;
	return id;
}

/* Point flow f (of the draft) elsewhere: from (when from) or to. */
static void
repoint(struct draft *d, const struct flow *f, sm_id from, sm_id to)
{
	struct flow *after = flow_copy(f);
	struct edit *e = NULL;

	if (!after) {
		d->st = STATUS_NOMEM;
		return;
	}
	if (from)
		after->from = from;
	if (to)
		after->to = to;
	draft_take(d, edit_flow_set(d->tmp, after, &e), &e);
	flow_free(&after);
}

enum status
edit_parallel_make(struct workbook *w, sm_id first, sm_id last, struct edit **out,
                   struct err *err)
{
	struct step *a, *b;
	struct process *p;
	struct draft d;
	sm_id split, join, *ids;
	char label[160];
	size_t i, k, lo, hi;

	*out = NULL;
	if (!(p = owner_step(w, first, &a, err)) || !owner_step(w, last, &b, err))
		return STATUS_NOT_FOUND;
	if (workbook_owner(w, last) != p)
		return err_set(err, STATUS_INPUT, "the steps are in two processes");
	lo = a->index;
	hi = b->index;
	if (hi <= lo)
		return err_set(err, STATUS_INPUT, "parallel: select two steps or more");
	for (i = lo; i <= hi; i++) {
		const struct step *s = p->steps[i];

		if (s->type == STEP_END || s->type == STEP_PARALLEL)
			return err_set(err, STATUS_INPUT, "parallel: step %zu is %s %s", i + 1,
			               s->type == STEP_END ? "an" : "a",
			               s->type == STEP_END ? "end" : "parallel gateway already");
		if (i < hi && count_out(p, s->id))
			return err_set(err, STATUS_INPUT,
			               "parallel: step %zu branches (only the last step of the run may)",
			               i + 1);
		for (k = 0; k < p->nflows && i > lo; k++)
			if (p->flows[k]->to == s->id)
				return err_set(err, STATUS_INPUT,
				               "parallel: a flow enters step %zu in the middle of the run", i + 1);
	}
	if (!(ids = malloc((hi - lo + 1) * sizeof *ids)))
		return err_set(err, STATUS_NOMEM, "out of memory");
	for (i = lo; i <= hi; i++)
		ids[i - lo] = p->steps[i]->id;
	if (!draft_open(&d, w, p, err)) {
		free(ids);
		return err_set(err, STATUS_NOMEM, "out of memory");
	}
	join = add_gateway(&d, hi + 1, "Parallel join");
	split = add_gateway(&d, lo, "Parallel split");
	/* Flows into the run enter the split; the last step's leave the join. */
	for (k = 0; k < d.p->nflows && d.st == STATUS_OK; k++) {
		const struct flow *f = d.p->flows[k];

		if (f->to == first)
			repoint(&d, f, 0, split);
		else if (f->from == last)
			repoint(&d, f, join, 0);
	}
	for (i = 0; i <= hi - lo && d.st == STATUS_OK; i++) {
		struct branch in = { ids[i], NULL, NULL, -1 }, outb = { join, NULL, NULL, -1 };

		add_flow(&d, split, &in);
		add_flow(&d, ids[i], &outb);
	}
	free(ids);
	snprintf(label, sizeof label, "steps %zu to %zu in parallel (split and join added)", lo + 1,
	         hi + 1);
	return draft_finish(&d, label, out);
}

enum status
edit_decision_remove(struct workbook *w, sm_id step, sm_id keep, struct edit **out,
                     struct err *err)
{
	struct step *s;
	struct process *p;
	const struct flow *k;
	const struct step *t;
	struct draft d;
	char label[160];

	*out = NULL;
	if (!(p = owner_step(w, step, &s, err)))
		return STATUS_NOT_FOUND;
	k = process_flow(p, keep);
	if (!k || k->from != step)
		return err_set(err, STATUS_INPUT, "the way to keep is not a branch of step %zu",
		               s->index + 1);
	t = process_step(p, k->to);
	if (!draft_open(&d, w, p, err))
		return err_set(err, STATUS_NOMEM, "out of memory");
	if (t && t->index == s->index + 1 && !k->label && !k->condition) {
		del_flows_out(&d, step, 0);
	} else {
		del_flows_out(&d, step, keep);
		if (d.st == STATUS_OK && k->prob >= 0) {
			struct flow *after = flow_copy(process_flow(d.p, keep));
			struct edit *e = NULL;

			if (!after)
				d.st = STATUS_NOMEM;
			else {
				after->prob = -1;
				draft_take(&d, edit_flow_set(d.tmp, after, &e), &e);
				flow_free(&after);
			}
		}
	}
	if (s->type == STEP_DECISION)
		set_type(&d, process_step(d.p, step), STEP_TASK);
	snprintf(label, sizeof label, "step %zu no longer a decision: on to step %zu only",
	         s->index + 1, t ? t->index + 1 : 0);
	return draft_finish(&d, label, out);
}

bool
flow_prob_check(const struct process *p, sm_id step, double *sum, size_t *given, size_t *unset)
{
	const struct step *s = process_step(p, step);
	size_t i;

	*sum = 0;
	*given = *unset = 0;
	for (i = 0; i < p->nflows; i++) {
		if (p->flows[i]->from != step)
			continue;
		if (p->flows[i]->prob >= 0) {
			*sum += p->flows[i]->prob;
			(*given)++;
		} else
			(*unset)++;
	}
	if (!s || s->type == STEP_PARALLEL || *given == 0)
		return true;
	if (*unset == 0)
		return fabs(*sum - 1) <= 1e-9;
	return *sum < 1 + 1e-9;
}

enum status
edit_process_settings(struct workbook *w, sm_id process, const char *name,
                      const char *description, const struct dist *arrival,
                      enum time_unit unit, sm_id lane, int capacity, struct edit **out,
                      struct err *err)
{
	struct process *p = workbook_process(w, process);
	const struct lane *l = p && lane ? process_lane(p, lane) : NULL;
	const char *desc = description && *description ? description : NULL;
	struct draft d;
	struct edit *e = NULL;
	enum status st;

	*out = NULL;
	if (!p)
		return err_set(err, STATUS_NOT_FOUND, "no such process");
	if (lane && !l)
		return err_set(err, STATUS_NOT_FOUND, "no such lane");
	if (capacity < 0)
		return err_set(err, STATUS_INPUT, "capacity: 0 (unlimited) or more, got %d", capacity);
	if ((unsigned)unit >= TIME_UNIT_COUNT_)
		return err_set(err, STATUS_INPUT, "time unit: expected %s", TIME_UNIT_LIST);
	if (!draft_open(&d, w, p, err))
		return err_set(err, STATUS_NOMEM, "out of memory");
	if (strcmp(name, p->name) != 0 || !model_str_equal(desc, p->description) ||
	    !dist_equal(arrival, &p->arrival) || unit != p->time_unit) {
		/* a rename's PROCESS_SET, the other fields set in its after */
		st = edit_process_rename(d.tmp, process, name, &e);
		if (st == STATUS_INPUT)
			st = err_set(err, STATUS_INPUT, "name: '%s' is taken, or is not a name", name);
		if (st == STATUS_OK && e && e->kind == EDIT_PROCESS_SET) {
			struct process_head *h = e->u.process.after;

			free(h->description);
			h->description = desc ? strdup(desc) : NULL;
			h->arrival = *arrival;
			h->time_unit = unit;
			if (desc && !h->description)
				st = STATUS_NOMEM;
		}
		draft_take(&d, st, &e);
	}
	if (l && l->capacity != capacity && d.st == STATUS_OK) {
		struct lane *after = lane_copy(l);

		if (!after)
			d.st = STATUS_NOMEM;
		else {
			after->capacity = capacity;
			draft_take(&d, edit_lane_set(d.tmp, after, &e), &e);
			lane_free(&after);
		}
	}
	if (d.st == STATUS_OK && d.n == 0) {
		draft_finish(&d, NULL, out);
		return STATUS_NOTHING;
	}
	return draft_finish(&d, "process settings", out);
}

/* The sequence flow out of prev that a step inserted after it goes into:
 * the one to next (the step after the new one in order), else the first. */
static const struct flow *
flow_to_split(const struct process *p, sm_id prev, sm_id next)
{
	const struct flow *first = NULL;
	size_t i;

	for (i = 0; i < p->nflows; i++) {
		const struct flow *f = p->flows[i];

		if (f->from != prev || f->kind != FLOW_SEQUENCE)
			continue;
		if (f->to == next)
			return f;
		if (!first)
			first = f;
	}
	return first;
}

enum status
edit_step_insert_wired(struct workbook *w, sm_id process, size_t at, const struct step *tmpl,
                       struct edit **out, struct err *err)
{
	struct process *p = workbook_process(w, process);
	const struct step *prev, *next;
	const struct flow *f;
	struct draft d;
	struct edit *e = NULL;
	char label[256];
	sm_id id, to;
	enum status st;

	*out = NULL;
	if (!p)
		return err_set(err, STATUS_NOT_FOUND, "no such process");
	if (!p->flows_explicit) {
		/* the next-in-order flows wire it */
		if ((st = edit_step_insert(w, process, at, tmpl, out)) != STATUS_OK)
			err_set(err, st, "the step cannot go there");
		return st;
	}
	if (at > p->nsteps)
		return err_set(err, STATUS_INPUT, "the step cannot go there");
	prev = at > 0 ? p->steps[at - 1] : NULL;
	next = at < p->nsteps ? p->steps[at] : NULL;
	if (!draft_open(&d, w, p, err))
		return err_set(err, STATUS_NOMEM, "out of memory");
	draft_take(&d, edit_step_insert(d.tmp, d.p->id, at, tmpl, &e), &e);
	if (d.st != STATUS_OK)
		return draft_finish(&d, "", out);
	id = d.p->steps[at]->id;
	if (prev && (f = flow_to_split(d.p, prev->id, next ? next->id : 0))) {
		/* prev -> X becomes prev -> new -> X (the label and chance stay
		 * on prev's way out) */
		struct branch on = { f->to, NULL, NULL, -1 };

		to = f->to;
		repoint(&d, f, 0, id);
		on.to = to;
		add_flow(&d, id, &on);
		snprintf(label, sizeof label, "insert step '%.100s' between steps %zu and %zu",
		         tmpl->name, at, process_step(d.p, to)->index + 1);
	} else if (prev && prev->type != STEP_END) {
		/* prev ended its way: the new step ends it now */
		struct branch on = { id, NULL, NULL, -1 };

		add_flow(&d, prev->id, &on);
		snprintf(label, sizeof label, "insert step '%.100s' after step %zu", tmpl->name, at);
	} else if (!prev && next) {
		/* a new first step: it leads into the old first */
		struct branch on = { next->id, NULL, NULL, -1 };

		add_flow(&d, id, &on);
		snprintf(label, sizeof label, "insert step '%.100s' before step 2", tmpl->name);
	} else if (prev) {
		snprintf(label, sizeof label, "insert step '%.100s' (no flow: step %zu is an end)",
		         tmpl->name, at);
	} else {
		snprintf(label, sizeof label, "insert step '%.100s'", tmpl->name);
	}
	return draft_finish(&d, label, out);
}
