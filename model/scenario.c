/*
 * scenario.c - applying a scenario's cuts to a baseline process.
 *
 * The cuts act on a working copy of the baseline kept as plain arrays (steps
 * in order, explicit flows, lanes, measures), where taking a step out and
 * putting one in are cheap and visible; the derived process is built from it
 * at the end through the readers' entry points (process_add_*), so the model
 * keeps its own indices. The effective graph of the working copy follows the
 * same rule as process_graph_build(): a step with no explicit outgoing flow
 * flows to the next step in order unless it is an end or the last step, or
 * the process's flows are explicit.
 *
 * A cut that cannot apply (a step or lane that no longer exists, a merge of
 * steps that are not consecutive, a parallel run given out of order, a cut
 * that would turn a parallel gateway into a decision) is checked before the
 * working copy is touched, so a stale cut changes nothing.
 */
#include "model/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPOS ((size_t)-1)

/* The working copy: every object owned, steps kept in order. */
struct wk {
	struct step **steps;
	size_t nsteps, csteps;
	struct flow **flows;
	size_t nflows, cflows;
	struct lane **lanes;
	size_t nlanes;
	struct measure **measures;
	size_t nmeasures;
	sm_id next_id;
	bool flows_explicit;         /* no implicit flows (the process's flag) */
};

/* One edge of the working graph. */
struct link {
	size_t step;                 /* the other end, as an index in w->steps */
	size_t flow;                 /* index in w->flows; NPOS = implicit */
	double prob;                 /* effective probability (1 for parallel) */
};

static const char *const mark_glyph[][2] = {
#define CUT_MARK_GLYPH_(name, g, a) { g, a },
	CUT_MARK_INFO(CUT_MARK_GLYPH_)
#undef CUT_MARK_GLYPH_
};

const char *
cut_mark_glyph(enum cut_mark m, bool utf8)
{
	if ((unsigned)m >= CUT_MARK_COUNT_)
		m = MARK_NONE;
	return mark_glyph[m][utf8 ? 0 : 1];
}

/* --- the working copy ---------------------------------------------------- */

static void
wk_done(struct wk *w)
{
	size_t i;

	for (i = 0; i < w->nsteps; i++)
		step_free(&w->steps[i]);
	for (i = 0; i < w->nflows; i++)
		flow_free(&w->flows[i]);
	for (i = 0; i < w->nlanes; i++)
		lane_free(&w->lanes[i]);
	for (i = 0; i < w->nmeasures; i++)
		measure_free(&w->measures[i]);
	free(w->steps);
	free(w->flows);
	free(w->lanes);
	free(w->measures);
	memset(w, 0, sizeof *w);
}

static sm_id
max_id(sm_id a, sm_id b)
{
	return a > b ? a : b;
}

/* The largest id anywhere in p, so ids made here come above all of them. */
static sm_id
process_max_id(const struct process *p)
{
	sm_id m = p->id;
	size_t i, j;

	for (i = 0; i < p->nlanes; i++)
		m = max_id(m, p->lanes[i]->id);
	for (i = 0; i < p->nsteps; i++)
		m = max_id(m, p->steps[i]->id);
	for (i = 0; i < p->nflows; i++)
		m = max_id(m, p->flows[i]->id);
	for (i = 0; i < p->nmeasures; i++)
		m = max_id(m, p->measures[i]->id);
	for (i = 0; i < p->nscenarios; i++) {
		const struct scenario *sc = p->scenarios[i];

		m = max_id(m, sc->id);
		for (j = 0; j < sc->ncuts; j++)
			m = max_id(m, sc->cuts[j]->id);
	}
	return m;
}

static enum status
wk_init(struct wk *w, const struct process *p)
{
	size_t i;

	memset(w, 0, sizeof *w);
	w->next_id = process_max_id(p) + 1;
	w->flows_explicit = p->flows_explicit;
	w->csteps = p->nsteps + 8;
	w->cflows = p->nflows + 8;
	w->steps = calloc(w->csteps, sizeof *w->steps);
	w->flows = calloc(w->cflows, sizeof *w->flows);
	w->lanes = calloc(p->nlanes + 1, sizeof *w->lanes);
	w->measures = calloc(p->nmeasures + 1, sizeof *w->measures);
	if (!w->steps || !w->flows || !w->lanes || !w->measures)
		goto nomem;
	for (i = 0; i < p->nsteps; i++, w->nsteps++)
		if (!(w->steps[i] = step_copy(p->steps[i])))
			goto nomem;
	for (i = 0; i < p->nflows; i++, w->nflows++)
		if (!(w->flows[i] = flow_copy(p->flows[i])))
			goto nomem;
	for (i = 0; i < p->nlanes; i++, w->nlanes++)
		if (!(w->lanes[i] = lane_copy(p->lanes[i])))
			goto nomem;
	for (i = 0; i < p->nmeasures; i++, w->nmeasures++)
		if (!(w->measures[i] = measure_copy(p->measures[i])))
			goto nomem;
	return STATUS_OK;
nomem:
	wk_done(w);
	return STATUS_NOMEM;
}

static size_t
wk_step(const struct wk *w, sm_id id)
{
	size_t i;

	if (id <= 0)
		return NPOS;
	for (i = 0; i < w->nsteps; i++)
		if (w->steps[i]->id == id)
			return i;
	return NPOS;
}

static struct lane *
wk_lane(const struct wk *w, sm_id id)
{
	size_t i;

	for (i = 0; i < w->nlanes; i++)
		if (w->lanes[i]->id == id)
			return w->lanes[i];
	return NULL;
}

static size_t
wk_count_out(const struct wk *w, sm_id id)
{
	size_t i, n = 0;

	for (i = 0; i < w->nflows; i++)
		n += w->flows[i]->from == id && w->flows[i]->kind != FLOW_MESSAGE;
	return n;
}

/* The step that step i flows to implicitly, or NPOS. */
static size_t
wk_implicit_next(const struct wk *w, size_t i)
{
	if (w->flows_explicit || i + 1 >= w->nsteps || w->steps[i]->type == STEP_END ||
	    wk_count_out(w, w->steps[i]->id) > 0)
		return NPOS;
	return i + 1;
}

/*
 * The effective probability of each explicit outgoing flow of step s, as
 * process_graph_build() reads them: parallel branches 1; no probability given
 * anywhere: equal split; some given: the rest shared equally among the ones
 * not given; the whole normalised to 1.
 */
static double
wk_flow_prob(const struct wk *w, const struct step *s, const struct flow *f)
{
	double given = 0;
	size_t i, n = 0, unset = 0;

	if (s->type == STEP_PARALLEL)
		return 1;
	for (i = 0; i < w->nflows; i++) {
		const struct flow *g = w->flows[i];

		if (g->from != s->id || g->kind == FLOW_MESSAGE)
			continue;
		n++;
		if (g->prob >= 0)
			given += g->prob;
		else
			unset++;
	}
	if (n == 0)
		return 1;
	if (unset == n || given <= 0) {
		if (unset == n || unset == 0)
			return 1.0 / (double)n;
		return f->prob >= 0 ? 0 : 1.0 / (double)unset;
	}
	{
		double share = unset ? (given < 1 ? (1 - given) / (double)unset : 0) : 0;
		double total = given + share * (double)unset;

		return (f->prob >= 0 ? f->prob : share) / total;
	}
}

/* The outgoing (out) or incoming (!out) links of step i, self-loops left out.
 * *links is malloc'd (caller frees), NULL when there are none. */
static enum status
wk_links(const struct wk *w, size_t i, bool out, struct link **links, size_t *n)
{
	const struct step *s = w->steps[i];
	struct link *l;
	size_t k, m = 0;

	*links = NULL;
	*n = 0;
	l = malloc((w->nflows + 1) * sizeof *l);
	if (!l)
		return STATUS_NOMEM;
	for (k = 0; k < w->nflows; k++) {
		const struct flow *f = w->flows[k];
		size_t other;

		if (f->from == f->to || f->kind == FLOW_MESSAGE)
			continue;   /* a hand-off by message is no path of the case */
		if (out ? f->from != s->id : f->to != s->id)
			continue;
		other = wk_step(w, out ? f->to : f->from);
		if (other == NPOS)
			continue;
		l[m].step = other;
		l[m].flow = k;
		l[m].prob = out ? wk_flow_prob(w, s, f) : wk_flow_prob(w, w->steps[other], f);
		m++;
	}
	if (out) {
		size_t next = wk_implicit_next(w, i);

		if (next != NPOS)
			l[m++] = (struct link){ next, NPOS, 1 };
	} else if (i > 0 && wk_implicit_next(w, i - 1) == i) {
		l[m++] = (struct link){ i - 1, NPOS, 1 };
	}
	if (m == 0) {
		free(l);
		return STATUS_OK;
	}
	*links = l;
	*n = m;
	return STATUS_OK;
}

static enum status
wk_push_flow(struct wk *w, struct flow *f)
{
	if (w->nflows == w->cflows) {
		size_t c = w->cflows * 2 + 8;
		struct flow **a = realloc(w->flows, c * sizeof *a);

		if (!a)
			return STATUS_NOMEM;
		w->flows = a;
		w->cflows = c;
	}
	w->flows[w->nflows++] = f;
	return STATUS_OK;
}

/* A flow from -> to: a new one, or added into the one that exists. */
static enum status
wk_add_flow(struct wk *w, sm_id from, sm_id to, double prob, const char *label)
{
	struct flow *f;
	size_t i;

	for (i = 0; i < w->nflows; i++) {
		f = w->flows[i];
		if (f->from == from && f->to == to) {
			if (f->prob >= 0 && prob >= 0)
				f->prob = fmin(1, f->prob + prob);
			return STATUS_OK;
		}
	}
	f = calloc(1, sizeof *f);
	if (!f)
		return STATUS_NOMEM;
	f->id = w->next_id++;
	f->from = from;
	f->to = to;
	f->prob = prob;
	if (label && !(f->label = strdup(label))) {
		free(f);
		return STATUS_NOMEM;
	}
	if (wk_push_flow(w, f) != STATUS_OK) {
		flow_free(&f);
		return STATUS_NOMEM;
	}
	return STATUS_OK;
}

/* Give every explicit flow out of s its effective probability. */
static void
wk_materialise(struct wk *w, const struct step *s)
{
	double p[64];
	size_t i, n = 0;

	/* Two passes: the probabilities depend on each other. */
	for (i = 0; i < w->nflows && n < 64; i++)
		if (w->flows[i]->from == s->id)
			p[n++] = wk_flow_prob(w, s, w->flows[i]);
	if (n == 64)
		return;              /* a 64-way decision keeps its own text */
	for (i = 0, n = 0; i < w->nflows; i++)
		if (w->flows[i]->from == s->id)
			w->flows[i]->prob = p[n++];
}

static void
wk_drop_flows_of(struct wk *w, sm_id id)
{
	size_t i, n = 0;

	for (i = 0; i < w->nflows; i++) {
		if (w->flows[i]->from == id || w->flows[i]->to == id)
			flow_free(&w->flows[i]);
		else
			w->flows[n++] = w->flows[i];
	}
	w->nflows = n;
}

/* Take step i out of the order (not freed: returned). */
static struct step *
wk_take(struct wk *w, size_t i)
{
	struct step *s = w->steps[i];

	memmove(w->steps + i, w->steps + i + 1, (w->nsteps - i - 1) * sizeof *w->steps);
	w->nsteps--;
	return s;
}

static void
wk_respace(struct wk *w)
{
	size_t i;

	for (i = 0; i < w->nsteps; i++)
		w->steps[i]->key = 1024.0 * (double)(i + 1);
}

/* Put s at position pos in the order, with a key between its neighbours'. */
static enum status
wk_insert(struct wk *w, size_t pos, struct step *s)
{
	double lo, hi, k;

	if (w->nsteps == w->csteps) {
		size_t c = w->csteps * 2 + 8;
		struct step **a = realloc(w->steps, c * sizeof *a);

		if (!a)
			return STATUS_NOMEM;
		w->steps = a;
		w->csteps = c;
	}
	memmove(w->steps + pos + 1, w->steps + pos, (w->nsteps - pos) * sizeof *w->steps);
	w->steps[pos] = s;
	w->nsteps++;
	lo = pos > 0 ? w->steps[pos - 1]->key : NAN;
	hi = pos + 1 < w->nsteps ? w->steps[pos + 1]->key : NAN;
	k = process_key_between(lo, hi);
	if (!isfinite(k) || (!isnan(lo) && !(k > lo)) || (!isnan(hi) && !(k < hi)))
		wk_respace(w);
	else
		s->key = k;
	return STATUS_OK;
}

/* Measures that name `from` name `to` instead (to 0: the measure goes). */
static void
wk_measures_rename(struct wk *w, sm_id from, sm_id start_to, sm_id end_to)
{
	size_t i, n = 0;

	for (i = 0; i < w->nmeasures; i++) {
		struct measure *m = w->measures[i];

		if (m->from == from)
			m->from = start_to;
		if (m->to == from)
			m->to = end_to;
		if (m->from == 0 || m->to == 0)
			measure_free(&w->measures[i]);
		else
			w->measures[n++] = m;
	}
	w->nmeasures = n;
}

/* --- cuts ------------------------------------------------------------------ */

/*
 * Take step si out and reconnect its predecessors to its successors, or say
 * it cannot be done (*stale, nothing changed). With check_only nothing
 * changes either way. On success the step is returned in *taken (owned by
 * the caller) when taken is not NULL, freed otherwise.
 */
static enum status
wk_detach(struct wk *w, size_t si, bool check_only, bool *stale, struct step **taken)
{
	struct step *s = w->steps[si];
	struct link *outs = NULL, *ins = NULL;
	size_t nouts, nins, k, j;
	enum status st;

	*stale = false;
	if ((st = wk_links(w, si, true, &outs, &nouts)) != STATUS_OK ||
	    (st = wk_links(w, si, false, &ins, &nins)) != STATUS_OK)
		goto out;
	/* A gateway cannot be taken out, nor can a decision be folded into a
	 * parallel gateway before it: the branches would change meaning. */
	if (s->type == STEP_PARALLEL && (nouts > 1 || nins > 1))
		*stale = true;
	for (k = 0; k < nins && nouts > 1; k++)
		if (w->steps[ins[k].step]->type == STEP_PARALLEL)
			*stale = true;
	if (*stale || check_only)
		goto out;

	for (k = 0; k < nins; k++) {
		struct step *p = w->steps[ins[k].step];

		if (ins[k].flow == NPOS) {
			/* p flowed on by order: when s flows on by order too, taking
			 * s out joins the chain by itself. */
			if (nouts == 0 || (nouts == 1 && outs[0].flow == NPOS))
				continue;
			for (j = 0; j < nouts; j++) {
				const struct flow *g = outs[j].flow == NPOS ? NULL
				                     : w->flows[outs[j].flow];
				double prob = nouts > 1 ? outs[j].prob : (g ? g->prob : -1);

				st = wk_add_flow(w, p->id, w->steps[outs[j].step]->id, prob,
				                 g ? g->label : NULL);
				if (st != STATUS_OK)
					goto out;
			}
		} else {
			struct flow *f = w->flows[ins[k].flow];
			bool par = p->type == STEP_PARALLEL;
			bool weigh = !par && (wk_count_out(w, p->id) > 1 || nouts > 1);

			if (weigh)
				wk_materialise(w, p);
			for (j = 0; j < nouts; j++) {
				const struct flow *g = outs[j].flow == NPOS ? NULL
				                     : w->flows[outs[j].flow];
				double prob = weigh ? f->prob * outs[j].prob : f->prob;

				st = wk_add_flow(w, p->id, w->steps[outs[j].step]->id, prob,
				                 f->label ? f->label : g ? g->label : NULL);
				if (st != STATUS_OK)
					goto out;
			}
		}
	}
	wk_drop_flows_of(w, s->id);
	s = wk_take(w, si);
	if (taken)
		*taken = s;
	else
		step_free(&s);
out:
	free(outs);
	free(ins);
	return st;
}

static enum status
cut_remove(struct wk *w, const struct cut *c, bool *stale)
{
	size_t si = wk_step(w, c->step);
	struct link *outs = NULL, *ins = NULL;
	size_t nouts = 0, nins = 0;
	sm_id succ = 0, pred = 0, id;
	enum status st;

	if (si == NPOS) {
		*stale = true;
		return STATUS_OK;
	}
	id = c->step;
	/* Measures that start at the step start at its most likely successor;
	 * those that end there end at its predecessor in order. */
	if ((st = wk_links(w, si, true, &outs, &nouts)) != STATUS_OK ||
	    (st = wk_links(w, si, false, &ins, &nins)) != STATUS_OK)
		goto out;
	{
		size_t k, best = NPOS;

		for (k = 0; k < nouts; k++)
			if (best == NPOS || outs[k].prob > outs[best].prob)
				best = k;
		if (best != NPOS)
			succ = w->steps[outs[best].step]->id;
		for (k = 0, best = NPOS; k < nins; k++)
			if (best == NPOS || ins[k].flow == NPOS)
				best = k;
		if (best != NPOS)
			pred = w->steps[ins[best].step]->id;
	}
	st = wk_detach(w, si, false, stale, NULL);
	if (st == STATUS_OK && !*stale)
		wk_measures_rename(w, id, succ, pred);
out:
	free(outs);
	free(ins);
	return st;
}

/* a + b for a merge: means added into a fixed time unless both are fixed;
 * a time not given adds nothing and leaves the other as it is. */
static struct dist
dist_add(const struct dist *a, const struct dist *b)
{
	if (a->kind == DIST_NONE)
		return *b;
	if (b->kind == DIST_NONE)
		return *a;
	return dist_fixed(dist_mean(a) + dist_mean(b));
}

static int
value_rank(enum value_class v)
{
	switch (v) {
	case VALUE_VA:  return 3;
	case VALUE_BVA: return 2;
	case VALUE_NVA: return 1;
	default:        return 0;
	}
}

static enum status
cut_merge(struct wk *w, const struct cut *c, bool *stale)
{
	size_t ai = wk_step(w, c->step), bi = wk_step(w, c->step2), i;
	struct link *outs = NULL;
	size_t nouts = 0;
	struct step *a, *b;
	enum status st;

	if (ai == NPOS || bi == NPOS || bi != ai + 1) {
		*stale = true;
		return STATUS_OK;
	}
	a = w->steps[ai];
	b = w->steps[bi];
	/* Consecutive: a flows on to b and to nothing else. */
	if ((st = wk_links(w, ai, true, &outs, &nouts)) != STATUS_OK)
		return st;
	if (nouts != 1 || outs[0].step != bi || a->type == STEP_PARALLEL ||
	    b->type == STEP_PARALLEL) {
		free(outs);
		*stale = true;
		return STATUS_OK;
	}
	free(outs);

	if (b->name[0]) {
		size_t n = strlen(a->name) + strlen(b->name) + 4;
		char *name = malloc(n);

		if (!name)
			return STATUS_NOMEM;
		snprintf(name, n, "%s + %s", a->name, b->name);
		free(a->name);
		a->name = name;
	}
	a->work = dist_add(&a->work, &b->work);
	a->wait = dist_add(&a->wait, &b->wait);
	a->cost += b->cost;
	a->error_rate = 1 - (1 - a->error_rate) * (1 - b->error_rate);
	if (value_rank(b->value) > value_rank(a->value))
		a->value = b->value;
	a->pain = a->pain || b->pain;

	/* a's flows to b go; b's flows become a's. */
	for (i = 0; i < w->nflows; i++) {
		struct flow *f = w->flows[i];

		if (f->from == a->id && f->to == b->id)
			f->from = f->to = 0;     /* dropped below */
		if (f->from == b->id)
			f->from = a->id;
		if (f->to == b->id)
			f->to = a->id;
	}
	{
		size_t n = 0, j;

		for (i = 0; i < w->nflows; i++) {
			struct flow *f = w->flows[i];
			bool dup = f->from == 0;

			for (j = 0; j < n && !dup; j++)
				if (w->flows[j]->from == f->from && w->flows[j]->to == f->to) {
					if (w->flows[j]->prob >= 0 && f->prob >= 0)
						w->flows[j]->prob += f->prob;
					dup = true;
				}
			if (dup)
				flow_free(&w->flows[i]);
			else
				w->flows[n++] = f;
		}
		w->nflows = n;
	}
	wk_measures_rename(w, b->id, a->id, a->id);
	b = wk_take(w, bi);
	step_free(&b);
	return STATUS_OK;
}

static enum status
cut_automate(struct wk *w, const struct cut *c, bool *stale)
{
	size_t si = wk_step(w, c->step);
	struct step *s;

	if (si == NPOS || (c->lane && !wk_lane(w, c->lane)) ||
	    !(c->time_factor >= 0) || !isfinite(c->time_factor) ||
	    !(c->error_factor >= 0) || !isfinite(c->error_factor)) {
		*stale = true;
		return STATUS_OK;
	}
	s = w->steps[si];
	s->type = STEP_SERVICE;
	s->work = dist_scale(&s->work, c->time_factor);
	s->wait = dist_scale(&s->wait, c->time_factor);
	s->error_rate = fmin(1, s->error_rate * c->error_factor);
	if (c->lane)
		s->lane = c->lane;
	return STATUS_OK;
}

static enum status
cut_move(struct wk *w, const struct cut *c, bool *stale)
{
	size_t si = wk_step(w, c->step), ai = c->step2 ? wk_step(w, c->step2) : NPOS;
	struct step *s = NULL, *a;
	enum status st;
	size_t pos, i;

	if (si == NPOS || (c->step2 && ai == NPOS) || c->step2 == c->step) {
		*stale = true;
		return STATUS_OK;
	}
	if (ai != NPOS && w->steps[ai]->type == STEP_PARALLEL &&
	    wk_count_out(w, w->steps[ai]->id) > 1) {
		*stale = true;            /* a split's branches cannot pass through s */
		return STATUS_OK;
	}
	if ((st = wk_detach(w, si, true, stale, NULL)) != STATUS_OK || *stale)
		return st;
	if ((st = wk_detach(w, si, false, stale, &s)) != STATUS_OK || *stale)
		return st;
	a = c->step2 ? w->steps[wk_step(w, c->step2)] : NULL;
	pos = a ? wk_step(w, a->id) + 1 : 0;
	if ((st = wk_insert(w, pos, s)) != STATUS_OK) {
		step_free(&s);
		return st;
	}
	/* s takes over what followed a: a's explicit flows leave from s, and
	 * a flows on to s by order. */
	if (a)
		for (i = 0; i < w->nflows; i++)
			if (w->flows[i]->from == a->id)
				w->flows[i]->from = s->id;
	return STATUS_OK;
}

static struct step *
new_gateway(struct wk *w, const char *name)
{
	struct step *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	step_init(s);
	free(s->name);
	if (!(s->name = strdup(name))) {
		free(s);
		return NULL;
	}
	s->id = w->next_id++;
	s->type = STEP_PARALLEL;
	s->generated = true;         /* the cut's, not a step of the user's */
	return s;
}

static enum status
cut_parallel(struct wk *w, const struct cut *c, bool *stale)
{
	size_t ai = wk_step(w, c->step), bi = wk_step(w, c->step2), i, k;
	struct step *split = NULL, *join = NULL;
	enum status st = STATUS_NOMEM;

	if (ai == NPOS || bi == NPOS || bi <= ai) {
		*stale = true;
		return STATUS_OK;
	}
	/* The run must be a plain chain: no branch leaves it before its last
	 * step and nothing jumps into its middle. */
	for (i = ai; i <= bi; i++) {
		const struct step *s = w->steps[i];

		if (s->type == STEP_END || s->type == STEP_PARALLEL ||
		    (i < bi && wk_count_out(w, s->id) > 0)) {
			*stale = true;
			return STATUS_OK;
		}
		for (k = 0; k < w->nflows && i > ai; k++)
			if (w->flows[k]->to == s->id) {
				*stale = true;
				return STATUS_OK;
			}
	}
	if (!(split = new_gateway(w, "Parallel split")) ||
	    !(join = new_gateway(w, "Parallel join")))
		goto fail;
	split->lane = join->lane = 0;
	/* Flows into the run now enter the split; the last step's own flows
	 * leave from the join. */
	for (k = 0; k < w->nflows; k++) {
		struct flow *f = w->flows[k];

		if (f->to == w->steps[ai]->id)
			f->to = split->id;
		if (f->from == w->steps[bi]->id)
			f->from = join->id;
	}
	for (i = ai; i <= bi; i++) {
		if ((st = wk_add_flow(w, split->id, w->steps[i]->id, -1, NULL)) != STATUS_OK ||
		    (st = wk_add_flow(w, w->steps[i]->id, join->id, -1, NULL)) != STATUS_OK)
			goto fail;
	}
	if ((st = wk_insert(w, bi + 1, join)) != STATUS_OK)
		goto fail;
	join = NULL;
	if ((st = wk_insert(w, ai, split)) != STATUS_OK)
		goto fail;
	return STATUS_OK;
fail:
	/* Out of memory half-way: the caller throws the working copy away. */
	step_free(&split);
	step_free(&join);
	return st == STATUS_OK ? STATUS_NOMEM : st;
}

static enum status
cut_capacity(struct wk *w, const struct cut *c, bool *stale)
{
	struct lane *l = wk_lane(w, c->lane);

	if (!l || c->capacity < 0) {
		*stale = true;
		return STATUS_OK;
	}
	l->capacity = c->capacity;
	return STATUS_OK;
}

static enum status
cut_set(struct wk *w, const struct cut *c, bool *stale)
{
	size_t si = wk_step(w, c->step);
	struct process shell;
	int f;

	f = c->field ? step_field_parse(c->field) : -1;
	if (si == NPOS || f < 0) {
		*stale = true;
		return STATUS_OK;
	}
	/* step_set_field() looks lanes up by name in the process: give it the
	 * working lanes. */
	memset(&shell, 0, sizeof shell);
	shell.lanes = w->lanes;
	shell.nlanes = w->nlanes;
	if (step_set_field(&shell, w->steps[si], (enum step_field)f,
	                   c->value ? c->value : "", NULL) != STATUS_OK)
		*stale = true;
	return STATUS_OK;
}

/* Mark the baseline steps an applied cut names. A parallel run is read
 * from the working copy, where it still lies between its split and join. */
static void
mark_cut(const struct process *base, const struct wk *w, const struct cut *c,
         enum cut_mark *marks)
{
	const struct step *s = process_step(base, c->step);
	size_t i, a, b;

	switch (c->kind) {
	case CUT_REMOVE:
		if (s)
			marks[s->index] = MARK_REMOVED;
		break;
	case CUT_MERGE:
		if (s)
			marks[s->index] = MARK_MERGED;
		if ((s = process_step(base, c->step2)))
			marks[s->index] = MARK_MERGED;
		break;
	case CUT_AUTOMATE:
		if (s)
			marks[s->index] = MARK_AUTOMATED;
		break;
	case CUT_MOVE:
		if (s)
			marks[s->index] = MARK_MOVED;
		break;
	case CUT_SET:
		if (s)
			marks[s->index] = MARK_CHANGED;
		break;
	case CUT_PARALLEL:
		a = wk_step(w, c->step);
		b = wk_step(w, c->step2);
		for (i = a; a != NPOS && b != NPOS && i <= b; i++)
			if ((s = process_step(base, w->steps[i]->id)))
				marks[s->index] = MARK_PARALLEL;
		break;
	default:
		break;
	}
}

static enum status
wk_apply(struct wk *w, const struct cut *c, bool *stale)
{
	*stale = false;
	switch (c->kind) {
	case CUT_REMOVE:   return cut_remove(w, c, stale);
	case CUT_MERGE:    return cut_merge(w, c, stale);
	case CUT_AUTOMATE: return cut_automate(w, c, stale);
	case CUT_MOVE:     return cut_move(w, c, stale);
	case CUT_PARALLEL: return cut_parallel(w, c, stale);
	case CUT_CAPACITY: return cut_capacity(w, c, stale);
	case CUT_SET:      return cut_set(w, c, stale);
	default:
		*stale = true;
		return STATUS_OK;
	}
}

/* --- the derived process ------------------------------------------------- */

/* A new empty process, made the way the model makes them. */
static struct process *
process_shell(const struct process *base)
{
	struct workbook *tmp = workbook_new();
	struct process *p;

	if (!tmp)
		return NULL;
	p = workbook_add_process(tmp, base->id, base->name);
	if (p) {
		/* Detach it: the process outlives the scratch workbook. */
		tmp->nprocs = 0;
	}
	workbook_free(&tmp);
	if (!p)
		return NULL;
	p->key = base->key;
	p->arrival = base->arrival;
	p->time_unit = base->time_unit;
	p->flows_explicit = base->flows_explicit;
	if ((base->description && !(p->description = strdup(base->description))) ||
	    (base->di && !(p->di = strdup(base->di)))) {
		process_free(&p);
		return NULL;
	}
	return p;
}

/* Move every object of the working copy into a new process. */
static enum status
wk_build(struct wk *w, const struct process *base, struct process **out)
{
	struct process *p = process_shell(base);
	size_t i;

	*out = NULL;
	if (!p)
		return STATUS_NOMEM;
	for (i = 1; i < w->nsteps; i++)
		if (!(w->steps[i]->key > w->steps[i - 1]->key)) {
			wk_respace(w);
			break;
		}
	/* what a cut moved, retyped or reconnected is laid out again on export
	 * (the keys may all have been respaced: not compared) */
	for (i = 0; i < w->nsteps; i++)
		if (w->steps[i]->di && !step_di_holds(process_step(base, w->steps[i]->id), w->steps[i])) {
			free(w->steps[i]->di);
			w->steps[i]->di = NULL;
		}
	for (i = 0; i < w->nflows; i++)
		if (w->flows[i]->di && !flow_di_holds(process_flow(base, w->flows[i]->id), w->flows[i])) {
			free(w->flows[i]->di);
			w->flows[i]->di = NULL;
		}
	/* On failure the objects not yet handed over stay in w, which frees
	 * them. */
#define MOVE_ALL_(arr, n, add) \
	for (i = 0; i < n; i++) \
		if (add(p, arr[i]) != STATUS_OK) { \
			memmove(arr, arr + i, (n - i) * sizeof *arr); \
			n -= i; \
			goto nomem; \
		} \
	n = 0;
	MOVE_ALL_(w->lanes, w->nlanes, process_add_lane)
	MOVE_ALL_(w->steps, w->nsteps, process_add_step)
	MOVE_ALL_(w->flows, w->nflows, process_add_flow)
	MOVE_ALL_(w->measures, w->nmeasures, process_add_measure)
#undef MOVE_ALL_
	process_reindex(p);
	*out = p;
	return STATUS_OK;
nomem:
	process_free(&p);
	return STATUS_NOMEM;
}

static enum status
apply(const struct process *base, const struct scenario *sc, struct process **out,
      bool *stale, enum cut_mark *marks)
{
	struct wk w;
	enum status st;
	size_t i;

	if ((st = wk_init(&w, base)) != STATUS_OK)
		return st;
	for (i = 0; sc && i < sc->ncuts; i++) {
		const struct cut *c = sc->cuts[i];
		bool bad = false;

		st = wk_apply(&w, c, &bad);
		if (st != STATUS_OK)
			goto out;
		if (stale)
			stale[i] = bad;
		if (marks && !bad)
			mark_cut(base, &w, c, marks);
	}
	if (out)
		st = wk_build(&w, base, out);
out:
	wk_done(&w);
	return st;
}

enum status
scenario_apply_marks(const struct process *base, const struct scenario *sc,
                     struct process **out, bool **stale, enum cut_mark **marks,
                     struct err *err)
{
	bool *flags = NULL;
	enum cut_mark *m = NULL;
	enum status st = STATUS_NOMEM;

	*out = NULL;
	if (stale)
		*stale = NULL;
	if (marks)
		*marks = NULL;
	if ((stale && !(flags = calloc(sc && sc->ncuts ? sc->ncuts : 1, sizeof *flags))) ||
	    (marks && !(m = calloc(base->nsteps ? base->nsteps : 1, sizeof *m))))
		goto fail;
	st = apply(base, sc, out, flags, m);
	if (st != STATUS_OK)
		goto fail;
	if (stale)
		*stale = flags;
	if (marks)
		*marks = m;
	return STATUS_OK;
fail:
	free(flags);
	free(m);
	return err_set(err, st, "scenario '%s': %s", sc && sc->name ? sc->name : "",
	               status_text(st));
}

enum status
scenario_apply(const struct process *base, const struct scenario *sc,
               struct process **out, bool **stale, struct err *err)
{
	return scenario_apply_marks(base, sc, out, stale, NULL, err);
}

enum cut_mark *
scenario_marks(const struct process *base, const struct scenario *sc)
{
	enum cut_mark *marks = calloc(base->nsteps ? base->nsteps : 1, sizeof *marks);
	bool *flags;

	if (!marks)
		return NULL;
	flags = calloc(sc && sc->ncuts ? sc->ncuts : 1, sizeof *flags);
	if (!flags || apply(base, sc, NULL, flags, marks) != STATUS_OK) {
		free(flags);
		free(marks);
		return NULL;
	}
	free(flags);
	return marks;
}
