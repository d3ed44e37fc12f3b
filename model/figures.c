/*
 * figures.c - the derived figures of a process (figures.h), computed from
 * the effective flow graph (process_graph_build) in one pass in step order.
 *
 * The expected path. Forward flows go from a step to a later one in order;
 * a flow to the same or an earlier step is a back edge (a loop). Walking the
 * steps in order, each step gets the chance it is reached (its mass) and the
 * expected lead, work, wait and value-adding time at its start and end,
 * conditional on being reached:
 *   - an exclusive merge (any step but a parallel join) takes the mass-
 *     weighted mean of what arrives on its forward in-flows;
 *   - a parallel join (a step of type parallel with several in-flows that
 *     carry mass) takes the branch that arrives latest, with its work, wait
 *     and VA, so work + wait = lead holds along the longest branch;
 *   - a step's own wait-before and work (their means) count 1/(1-e) times
 *     for error rate e;
 *   - the back edges of a step with total chance Q (not for parallel steps)
 *     each repeat their stretch (from the start of their target to the end
 *     of the step) q/(1-Q) times on average, and the forward flows carry the
 *     rest, renormalised by 1/(1-Q).
 * The lead time is the mass-weighted mean over the ends (steps with no
 * forward out-flow). A measure is the same walk started at its `from` step
 * (mass 1, clock 0) and read at its `to` step; a back edge that reaches
 * before `from` repeats the stretch from `from`, and a parallel join also
 * waits for the branches that split off before `from` (their end in the
 * whole walk, less the start of `from` there).
 *
 * Expected cost sums each step's cost times its chance, rework and loop
 * repeats (a loop adds the cost of its stretch, per pass, q/(1-Q) times).
 * RTY is the product of (1-e)^reach over the steps reached.
 *
 * Everything is O(steps + flows) but the measures, each O(the steps between
 * its ends + their flows); measures from the same step share one walk, and
 * a measure from the first step reads the whole walk.
 *
 * Speed. The workbench recomputes the figures after every edit, so the
 * work is kept to flat arrays that a workspace (struct figures_ws) keeps
 * between calls: the graph is rebuilt into the arrays of the last build
 * (process_graph_rebuild), the steps are read once into struct sinfo, and
 * the walks read only those arrays. A fresh allocation of this size costs
 * more in page faults than the computation itself.
 */
#include "model/figures.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Times at one point of the expected path. */
struct pt {
	double lead, work, wait, va;
};

/* What the walks read of a step, gathered in one pass over the steps so
 * that the walks read flat arrays and never the steps themselves. */
struct sinfo {
	double wait, work;           /* their means times the rework factor */
	double factor;               /* rework: 1/(1-e) */
	double cost, err;
	bool parallel, va;
	bool end;                    /* no forward out-flow */
};

/* An in-flow of a step as the walk reads it (parallel to g->in_edges). */
struct arc {
	size_t from;                 /* >= the step: a back edge */
	double p;                    /* its forward probability */
};

struct lane_key {
	sm_id id;
	size_t index;
};

struct figures_ws {
	struct graph g;
	size_t cap_steps, cap_edges, cap_lanes;
	void *steps_block;           /* the per-step arrays, one allocation */
	/* per step */
	struct sinfo *st;
	double *fwd;                 /* share of step i's flows that go forward */
	double *mass, *mmass;        /* the whole walk's and a measure's */
	struct pt *start, *end, *mstart, *mend;
	double *before;              /* expected cost before step i */
	long *lane_of;               /* index in p->lanes, -1 none */
	/* per edge */
	struct arc *arcs;
	/* per lane, per measure */
	struct lane_key *keys;
	size_t *order;               /* measures in order of their walks */
	size_t cap_measures;
};

struct walk {
	const struct sinfo *st;
	const struct graph *g;
	const struct arc *arcs;
	const double *fwd;
	double *mass;                /* chance the step is reached */
	struct pt *start, *end;      /* conditional on being reached */
	const struct walk *full;     /* a measure's walk: the whole process's */
	bool zero_arc;               /* see walk_run() */
};

static void
pt_add_scaled(struct pt *a, const struct pt *b, double k)
{
	a->lead += k * b->lead;
	a->work += k * b->work;
	a->wait += k * b->wait;
	a->va += k * b->va;
}

static bool
is_back(const struct edge *e)
{
	return e->to <= e->from;
}

/* Times of one execution of s (rework in): its rework factor 1/(1-e). */
static double
rework_factor(const struct step *s)
{
	double e = s->error_rate;

	if (!(e > 0))
		return 1;
	if (e >= 1)
		return INFINITY;
	return 1 / (1 - e);
}

/*
 * In a measure's walk, a branch the walk does not carry (it split off before
 * `from`) still holds up a parallel join: its end on the measure's clock is
 * its end in the whole walk less the start of `from` there. False when it
 * ends before `from` starts (not concurrent).
 */
static bool
concurrent_branch(const struct walk *w, size_t lo, size_t j, struct pt *out)
{
	const struct pt *a = &w->full->end[j], *b = &w->full->start[lo];

	out->lead = a->lead - b->lead;
	out->work = a->work - b->work;
	out->wait = a->wait - b->wait;
	out->va = a->va - b->va;
	return out->lead > 0;
}

/*
 * Walk steps lo..hi in order, starting at lo with mass 1 and clock 0, or go
 * on with steps first..hi of such a walk that stopped at first-1. Only
 * flows between steps in lo..hi count. Fills mass, start and end for those
 * steps. A measure's walk (w->full set) also waits at parallel joins for
 * branches that split off before lo. The whole walk notes in w->zero_arc a
 * parallel step that a reached step flows into with no chance (a measure's
 * walk from the first step differs from it there).
 */
static void
walk_run(struct walk *w, size_t lo, size_t first, size_t hi)
{
	const struct graph *g = w->g;
	const struct arc *arcs = w->arcs;
	size_t i, k;

	for (i = first; i <= hi; i++) {
		const struct sinfo *s = &w->st[i];
		struct pt start = { 0, 0, 0, 0 }, loop = { 0, 0, 0, 0 };
		double mass = 0;

		if (i == lo) {
			mass = 1;
		} else if (s->parallel) {
			/* A join takes its latest branch; a single in-flow is the
			 * same thing. */
			double best = -INFINITY;

			for (k = g->in[i]; k < g->in[i + 1]; k++) {
				size_t from = arcs[k].from;
				struct pt other;
				double m;

				if (from >= i)
					continue;
				m = from < lo ? 0 : w->mass[from] * arcs[k].p;
				if (m > 0) {
					mass = fmax(mass, m);
					if (w->end[from].lead > best) {
						best = w->end[from].lead;
						start = w->end[from];
					}
				} else if (!w->full) {
					w->zero_arc |= w->mass[from] > 0;
				} else if (w->full->mass[from] > 0 &&
				           concurrent_branch(w, lo, from, &other) && other.lead > best) {
					best = other.lead;
					start = other;
				}
			}
		} else {
			for (k = g->in[i]; k < g->in[i + 1]; k++) {
				size_t from = arcs[k].from;
				double m;

				if (from >= i || from < lo)
					continue;
				m = w->mass[from] * arcs[k].p;
				if (!(m > 0))
					continue;
				mass += m;
				pt_add_scaled(&start, &w->end[from], m);
			}
			if (mass > 0 && mass != 1) {     /* x / 1 is x */
				start.lead /= mass;
				start.work /= mass;
				start.wait /= mass;
				start.va /= mass;
			}
		}
		w->mass[i] = mass;
		w->start[i] = start;
		if (!(mass > 0)) {
			w->end[i] = start;
			continue;
		}

		w->end[i] = start;
		w->end[i].wait += s->wait;
		w->end[i].work += s->work;
		w->end[i].lead += s->wait + s->work;
		if (s->va)
			w->end[i].va += s->work;

		/* Loops back from this step repeat their stretch. */
		if (s->parallel)
			continue;
		for (k = g->out[i]; k < g->out[i + 1]; k++) {
			const struct edge *e = &g->edges[k];
			size_t to;
			struct pt stretch;
			double q;

			if (!is_back(e) || !(e->prob > 0))
				continue;
			to = e->to < lo ? lo : e->to;
			q = w->fwd[i] > 0 ? e->prob / w->fwd[i] : INFINITY;
			stretch.lead = w->end[i].lead - w->start[to].lead;
			stretch.work = w->end[i].work - w->start[to].work;
			stretch.wait = w->end[i].wait - w->start[to].wait;
			stretch.va = w->end[i].va - w->start[to].va;
			pt_add_scaled(&loop, &stretch, q);
		}
		pt_add_scaled(&w->end[i], &loop, 1);
	}
}

/* Expected cost and RTY from the walk of the whole process. */
static void
cost_and_yield(const struct walk *w, double *before, struct figures *f)
{
	const struct graph *g = w->g;
	double total = 0, log_yield = 0, last_err = 0, last_log = 0;
	size_t i, k;

	for (i = 0; i < g->nsteps; i++) {
		const struct sinfo *s = &w->st[i];
		double m = w->mass[i];

		before[i] = total;
		if (!(m > 0))
			continue;
		if (s->cost != 0)
			total += m * s->factor * s->cost;
		if (s->err > 0) {
			if (s->err != last_err) {   /* the same rate on many steps */
				last_err = s->err;
				last_log = log1p(-fmin(1, s->err));
			}
			log_yield += m * last_log;
		}
		if (s->parallel)
			continue;
		for (k = g->out[i]; k < g->out[i + 1]; k++) {
			const struct edge *e = &g->edges[k];
			double q;

			if (!is_back(e) || !(e->prob > 0) || !(w->mass[e->to] > 0))
				continue;
			q = w->fwd[i] > 0 ? e->prob / w->fwd[i] : INFINITY;
			total += q * m / w->mass[e->to] * (total - before[e->to]);
		}
	}
	f->cost = total;
	f->rty = exp(log_yield);
}

static int
lane_key_cmp(const void *a, const void *b)
{
	sm_id x = ((const struct lane_key *)a)->id, y = ((const struct lane_key *)b)->id;

	return (x > y) - (x < y);
}

/* Index in p->lanes of the lane with this id (keys sorted by id); -1 when
 * none. */
static long
lane_find(const struct lane_key *keys, size_t n, sm_id id)
{
	size_t lo = 0, hi = n;

	if (id <= 0)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (keys[mid].id == id)
			return (long)keys[mid].index;
		if (keys[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * The one pass over the steps: each step's lane, the counts that need only
 * the step, what the walks read of it (struct sinfo), and the forward share
 * of its flows (1 minus its back edges' chance). Then the hand-offs over
 * the edges and the in-flows as the walks read them.
 */
static void
gather(const struct process *p, struct figures_ws *ws, struct figures *f)
{
	const struct graph *g = &ws->g;
	size_t i, k;

	for (i = 0; i < p->nlanes; i++)
		ws->keys[i] = (struct lane_key){ p->lanes[i]->id, i };
	qsort(ws->keys, p->nlanes, sizeof *ws->keys, lane_key_cmp);

	f->steps = p->nsteps;
	for (i = 0; i < p->nsteps; i++) {
		const struct step *s = p->steps[i];
		struct sinfo *si = &ws->st[i];
		long l = lane_find(ws->keys, p->nlanes, s->lane);
		double factor = rework_factor(s), back = 0;
		bool forward = false;

		si->factor = factor;
		si->wait = dist_mean(&s->wait) * factor;
		si->work = dist_mean(&s->work) * factor;
		si->cost = s->cost;
		si->err = s->error_rate;
		si->parallel = s->type == STEP_PARALLEL;
		si->va = s->value == VALUE_VA;
		for (k = g->out[i]; k < g->out[i + 1]; k++) {
			if (!is_back(&g->edges[k]))
				forward = true;
			else if (!si->parallel)
				back += g->edges[k].prob;
		}
		si->end = !forward;
		ws->fwd[i] = back >= 1 ? 0 : 1 - back;

		ws->lane_of[i] = l;
		if ((unsigned)s->type < STEP_TYPE_COUNT_)
			f->by_type[s->type]++;
		if (step_type_is_manual(s->type))
			f->manual_steps++;
		if (s->pain)
			f->pain_points++;
		if (l < 0) {
			f->no_lane++;
			continue;
		}
		f->by_lane[l]++;
		if ((unsigned)p->lanes[l]->stage < STAGE_COUNT_)
			f->by_stage[p->lanes[l]->stage]++;
		if (p->lanes[l]->stage == STAGE_CUSTOMER || p->lanes[l]->stage == STAGE_ONSTAGE)
			f->touchpoints++;
	}
	for (i = 0; i < g->nedges; i++) {
		long a = ws->lane_of[g->edges[i].from], b = ws->lane_of[g->edges[i].to];

		if (a < 0 || b < 0 || a == b)
			continue;
		if (p->lanes[a]->stage == STAGE_CUSTOMER || p->lanes[b]->stage == STAGE_CUSTOMER)
			continue;
		f->handoffs++;
	}
	/* An edge's forward probability: over the forward share of its step
	 * (parallel branches keep 1). */
	for (k = 0; k < g->nedges; k++) {
		const struct edge *e = &g->edges[g->in_edges[k]];
		double fwd = ws->fwd[e->from];

		ws->arcs[k].from = e->from;
		ws->arcs[k].p = ws->st[e->from].parallel || fwd == 1 ? e->prob   /* x / 1 is x */
		                : fwd > 0 ? e->prob / fwd : 0;
	}
}

/* Lead, work, wait and VA as the mass-weighted mean over the ends. */
static void
path_times(const struct walk *w, size_t n, struct figures *f)
{
	struct pt sum = { 0, 0, 0, 0 };
	double mass = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(w->mass[i] > 0) || !w->st[i].end)
			continue;
		mass += w->mass[i];
		pt_add_scaled(&sum, &w->end[i], w->mass[i]);
	}
	if (mass > 0) {
		f->lead_time_s = sum.lead / mass;
		f->work_time_s = sum.work / mass;
		f->wait_time_s = sum.wait / mass;
		f->va_time_s = sum.va / mass;
	}
	f->pce = f->lead_time_s > 0 ? f->va_time_s / f->lead_time_s : 0;
}

/*
 * Each measure is a walk from its `from` to its `to`. Measures from the
 * same step share one walk, taken as far as the furthest `to` (in order of
 * `from`, then `to`); a measure from the first step reads the whole walk,
 * which is the same walk unless w->zero_arc.
 */
static void
measure_times(const struct process *p, struct walk *w, const struct walk *full,
              size_t *order, struct figures *f)
{
	size_t i, k, lo = 0, hi = 0, nm = 0;
	bool walked = false;

	for (i = 0; i < p->nmeasures; i++) {
		const struct measure *m = p->measures[i];
		const struct step *a = process_step(p, m->from);
		const struct step *b = process_step(p, m->to);

		f->measures[i].id = m->id;
		f->measures[i].expected_s = NAN;
		if (!a || !b || b->index < a->index)
			continue;
		if (a->index == 0 && !full->zero_arc) {
			if (full->mass[b->index] > 0)
				f->measures[i].expected_s = full->end[b->index].lead;
			continue;
		}
		/* insertion sort by from, then to (a few measures) */
		for (k = nm++; k > 0; k--) {
			const struct measure *o = p->measures[order[k - 1]];
			size_t oa = process_step(p, o->from)->index, ob = process_step(p, o->to)->index;

			if (oa < a->index || (oa == a->index && ob <= b->index))
				break;
			order[k] = order[k - 1];
		}
		order[k] = i;
	}
	w->full = full;
	for (k = 0; k < nm; k++) {
		const struct measure *m = p->measures[order[k]];
		size_t a = process_step(p, m->from)->index, b = process_step(p, m->to)->index;

		if (!walked || a != lo) {
			walk_run(w, a, a, b);
			walked = true;
		} else if (b > hi) {
			walk_run(w, a, hi + 1, b);
		}
		lo = a;
		hi = b;                  /* b >= hi along one `from` */
		if (w->mass[b] > 0)
			f->measures[order[k]].expected_s = w->end[b].lead;
	}
}

/* --- the workspace ------------------------------------------------------- */

struct figures_ws *
figures_ws_new(void)
{
	return calloc(1, sizeof(struct figures_ws));
}

void
figures_ws_free(struct figures_ws **ws)
{
	if (!ws || !*ws)
		return;
	graph_done(&(*ws)->g);
	free((*ws)->steps_block);
	free((*ws)->arcs);
	free((*ws)->keys);
	free((*ws)->order);
	free(*ws);
	*ws = NULL;
}

/* The next array of n elements of size sz carved from a block at *at
 * (each kept to a multiple of 16 bytes, so every array is aligned). */
static void *
carve(char **at, size_t n, size_t sz)
{
	void *a = *at;

	*at += (n * sz + 15) & ~(size_t)15;
	return a;
}

/* Room for n elements of size sz in the array *arr, whose room is *cap (its
 * contents are not kept when it grows). */
static bool
room(void *arr, size_t *cap, size_t n, size_t sz)
{
	void **a = arr;
	size_t want = n + n / 4 + 8;

	if (*a && n <= *cap)
		return true;
	free(*a);
	*a = NULL;
	*cap = 0;
	if (want > SIZE_MAX / sz || !(*a = malloc(want * sz)))
		return false;
	*cap = want;
	return true;
}

/* Room in ws for n steps, ne edges, nl lanes and nm measures: the arrays grow by a
 * quarter more than asked, so a growing process reallocates seldom. */
static enum status
ws_room(struct figures_ws *ws, size_t n, size_t ne, size_t nl, size_t nm)
{
	if (!ws->steps_block || n > ws->cap_steps) {
		/* one term for each array carved below */
		size_t cap = n + n / 4 + 16, per = sizeof(struct sinfo) + 5 * sizeof(double) +
		             4 * sizeof(struct pt) + sizeof(long);
		char *at;

		free(ws->steps_block);
		ws->cap_steps = 0;
		if (cap > (SIZE_MAX - 16 * 16) / per ||
		    !(ws->steps_block = malloc(cap * per + 16 * 16)))
			return STATUS_NOMEM;
		at = ws->steps_block;
		ws->st = carve(&at, cap, sizeof *ws->st);
		ws->fwd = carve(&at, cap, sizeof *ws->fwd);
		ws->mass = carve(&at, cap, sizeof *ws->mass);
		ws->mmass = carve(&at, cap, sizeof *ws->mmass);
		ws->before = carve(&at, cap, sizeof *ws->before);
		ws->start = carve(&at, cap, sizeof *ws->start);
		ws->end = carve(&at, cap, sizeof *ws->end);
		ws->mstart = carve(&at, cap, sizeof *ws->mstart);
		ws->mend = carve(&at, cap, sizeof *ws->mend);
		ws->lane_of = carve(&at, cap, sizeof *ws->lane_of);
		ws->cap_steps = cap;
	}
	if (!room(&ws->arcs, &ws->cap_edges, ne, sizeof *ws->arcs) ||
	    !room(&ws->keys, &ws->cap_lanes, nl, sizeof *ws->keys) ||
	    !room(&ws->order, &ws->cap_measures, nm, sizeof *ws->order))
		return STATUS_NOMEM;
	return STATUS_OK;
}

enum status
figures_compute_ws(const struct process *p, struct figures_ws *ws, struct figures *f)
{
	struct walk w, m;
	size_t n = p->nsteps;
	enum status st;

	memset(f, 0, sizeof *f);
	if ((st = process_graph_rebuild(p, &ws->g)) != STATUS_OK ||
	    (st = ws_room(ws, n, ws->g.nedges, p->nlanes, p->nmeasures)) != STATUS_OK)
		return st;
	f->by_lane = calloc(p->nlanes ? p->nlanes : 1, sizeof *f->by_lane);
	f->measures = calloc(p->nmeasures ? p->nmeasures : 1, sizeof *f->measures);
	if (!f->by_lane || !f->measures) {
		figures_done(f);
		return STATUS_NOMEM;
	}
	f->nlanes = p->nlanes;
	f->nmeasures = p->nmeasures;
	gather(p, ws, f);
	f->rty = 1;
	if (n == 0)
		return STATUS_OK;
	w = (struct walk){
		.st = ws->st, .g = &ws->g, .arcs = ws->arcs, .fwd = ws->fwd,
		.mass = ws->mass, .start = ws->start, .end = ws->end,
	};
	walk_run(&w, 0, 0, n - 1);
	path_times(&w, n, f);
	cost_and_yield(&w, ws->before, f);
	m = w;
	m.mass = ws->mmass;
	m.start = ws->mstart;
	m.end = ws->mend;
	measure_times(p, &m, &w, ws->order, f);
	return STATUS_OK;
}

enum status
figures_compute(const struct process *p, struct figures *f)
{
	struct figures_ws *ws = figures_ws_new();
	enum status st;

	if (!ws) {
		memset(f, 0, sizeof *f);
		return STATUS_NOMEM;
	}
	st = figures_compute_ws(p, ws, f);
	figures_ws_free(&ws);
	return st;
}

void
figures_done(struct figures *f)
{
	if (!f)
		return;
	free(f->by_lane);
	free(f->measures);
	memset(f, 0, sizeof *f);
}
