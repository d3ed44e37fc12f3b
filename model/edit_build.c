/*
 * edit_build.c - the builders the workbench and the command line make edits
 * with: each checks what it is asked against the workbook and returns the
 * edit (a single one or a GROUP) that edit_apply() then applies.
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
	if (!(e = edit_make(EDIT_PROCESS_ADD, h.id, NULL, &h)) || !(e->label = strdup(label))) {
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
			struct edit *e = edit_make(EDIT_CUT_DEL, p->id, sc->cuts[j], NULL);

			if (e)
				e->scenario = sc->id;
			elist_push(l, e);
		}
		{
			struct edit *e = edit_make(EDIT_SCENARIO_DEL, p->id, sc, NULL);

			if (e)
				e->scenario = sc->id;
			elist_push(l, e);
		}
	}
	for (i = p->nmeasures; i-- > 0;)
		elist_push(l, edit_make(EDIT_MEASURE_DEL, p->id, p->measures[i], NULL));
	for (i = p->nflows; i-- > 0;)
		elist_push(l, edit_make(EDIT_FLOW_DEL, p->id, p->flows[i], NULL));
	for (i = p->nsteps; i-- > 0;)
		elist_push(l, edit_make(EDIT_STEP_DEL, p->id, p->steps[i], NULL));
	for (i = p->nlanes; i-- > 0;)
		elist_push(l, edit_make(EDIT_LANE_DEL, p->id, p->lanes[i], NULL));
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
		elist_push(&l, edit_make(EDIT_PROCESS_DEL, p->id, h, NULL));
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
		elist_push(&l, edit_make_own(EDIT_PROCESS_SET, p->id, b, a));
	}
	process_head_free(&b);
	snprintf(label, sizeof label, "rename process '%.60s' to '%.60s'", edit_pname(p), name);
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
	/* the copy is laid out anew: its diagram would lie on the original's */
	if ((h = process_head_of(p))) {
		free(h->di);
		h->di = NULL;
		h->id = pid;
		h->key = last_proc_key(w) + KEY_STEP;
		free(h->name);
		if (!(h->name = strdup(name)))
			process_head_free(&h);
	}
	elist_push(&l, h ? edit_make_own(EDIT_PROCESS_ADD, pid, NULL, h) : NULL);
	for (i = 0; i < p->nlanes && !l.failed; i++) {
		struct lane *c = lane_copy(p->lanes[i]);

		if (c) {
			sm_id old = c->id;

			free(c->di);
			c->di = NULL;
			c->id = workbook_new_id(w);
			if (idmap_put(m, old, NULL, c->id) != STATUS_OK)
				lane_free(&c);
		}
		elist_push(&l, edit_make_own(EDIT_LANE_ADD, pid, NULL, c));
	}
	for (i = 0; i < p->nsteps && !l.failed; i++) {
		struct step *c = step_copy(p->steps[i]);

		if (c) {
			sm_id old = c->id;

			free(c->di);
			c->di = NULL;
			c->lane = mapped(m, c->lane);
			c->id = workbook_new_id(w);
			if (idmap_put(m, old, NULL, c->id) != STATUS_OK)
				step_free(&c);
		}
		elist_push(&l, edit_make_own(EDIT_STEP_ADD, pid, NULL, c));
	}
	for (i = 0; i < p->nflows && !l.failed; i++) {
		struct flow *c = flow_copy(p->flows[i]);

		if (c) {
			free(c->di);
			c->di = NULL;
			c->id = workbook_new_id(w);
			c->from = mapped(m, c->from);
			c->to = mapped(m, c->to);
		}
		elist_push(&l, edit_make_own(EDIT_FLOW_ADD, pid, NULL, c));
	}
	for (i = 0; i < p->nmeasures && !l.failed; i++) {
		struct measure *c = measure_copy(p->measures[i]);

		if (c) {
			c->id = workbook_new_id(w);
			c->from = mapped(m, c->from);
			c->to = mapped(m, c->to);
		}
		elist_push(&l, edit_make_own(EDIT_MEASURE_ADD, pid, NULL, c));
	}
	for (i = 0; i < p->nscenarios && !l.failed; i++) {
		const struct scenario *sc = p->scenarios[i];
		struct scenario *c = scenario_copy(sc, false);
		sm_id sid = workbook_new_id(w);
		struct edit *e;

		if (c)
			c->id = sid;
		if ((e = edit_make_own(EDIT_SCENARIO_ADD, pid, NULL, c)))
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
			if ((e = edit_make_own(EDIT_CUT_ADD, pid, NULL, k)))
				e->scenario = sid;
			elist_push(&l, e);
		}
	}
	idmap_free(&m);
	snprintf(label, sizeof label, "copy process '%.60s' as '%.60s'", edit_pname(p), name);
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
			               l->name, edit_pname(p));
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
	elist_push(&list, edit_make(EDIT_LANE_ADD, p->id, NULL, &l));
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
		elist_push(&list, edit_make_own(EDIT_STEP_SET, p->id, s, a));
	}
	elist_push(&list, edit_make(EDIT_LANE_DEL, p->id, l, NULL));
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
	elist_push(&list, edit_make(EDIT_LANE_SET, p->id, l, after));
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
		elist_push(l, edit_make_own(EDIT_STEP_SET, pid, s, a));
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
	return edit_check_step_lane(p, s, err);
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
	free(c->di);                 /* a new step: laid out by export */
	c->di = NULL;
	c->key = 0;
	if ((st = check_step(p, c, NULL)) != STATUS_OK) {
		step_free(&c);
		return st;
	}
	key = place_key(&v, at, p->id, &l);
	c->id = workbook_new_id(w);
	c->key = key;
	c->index = at;
	elist_push(&l, edit_make_own(EDIT_STEP_ADD, p->id, NULL, c));
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
			elist_push(&l, edit_make(EDIT_FLOW_DEL, p->id, p->flows[i], NULL));
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
			elist_push(&l, edit_make(EDIT_MEASURE_DEL, p->id, m, NULL));
			continue;
		}
		if ((a = measure_copy(m))) {
			if (a->from == step)
				a->from = next->id;
			if (a->to == step)
				a->to = prev->id;
		}
		elist_push(&l, edit_make_own(EDIT_MEASURE_SET, p->id, m, a));
	}
	elist_push(&l, edit_make(EDIT_STEP_DEL, p->id, s, NULL));
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
	elist_push(&l, edit_make_own(EDIT_STEP_SET, p->id, s, a));
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
	elist_push(&l, edit_make_own(EDIT_STEP_SET, p->id, s, a));
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
		               edit_pname(p));
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
	elist_push(&l, edit_make(EDIT_FLOW_ADD, p->id, NULL, &f));
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
	elist_push(&l, edit_make(EDIT_FLOW_DEL, p->id, f, NULL));
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
	elist_push(&l, edit_make(EDIT_FLOW_SET, p->id, f, after));
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
		               m->name, edit_pname(p));
	if ((unsigned)m->clock >= CLOCK_COUNT_)
		return err_set(err, STATUS_INPUT, "measure '%s': no clock number %d", m->name,
		               (int)m->clock);
	other = process_measure_named(p, m->name);
	if (other && other->id != m->id)
		return err_set(err, STATUS_INPUT, "a measure named '%s' already exists in process '%s'",
		               m->name, edit_pname(p));
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
	elist_push(&l, edit_make(EDIT_MEASURE_ADD, p->id, NULL, &m));
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
	elist_push(&l, edit_make(EDIT_MEASURE_DEL, p->id, m, NULL));
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
	elist_push(&l, edit_make(EDIT_MEASURE_SET, p->id, m, after));
	label_set(label, "change measure '%.100s'", m->name);
	return elist_finish(&l, label, out, NULL);
}

/* --- scenarios and cuts ----------------------------------------------------------- */

static struct edit *
make_sc(enum edit_kind k, sm_id pid, sm_id sid, const void *b, const void *a)
{
	struct edit *e = edit_make(k, pid, b, a);

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
		if ((e = edit_make_own(EDIT_CUT_ADD, p->id, NULL, k)))
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
	if ((e = edit_make_own(EDIT_CUT_ADD, p->id, NULL, k)))
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
