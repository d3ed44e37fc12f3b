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
 * its ends + their flows).
 */
#include "model/figures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Times at one point of the expected path. */
struct pt {
	double lead, work, wait, va;
};

struct walk {
	const struct process *p;
	const struct graph *g;
	double *mass;                /* chance the step is reached */
	double *fwd;                 /* share of step i's flows that go forward */
	struct pt *start, *end;      /* conditional on being reached */
	const struct walk *full;     /* a measure's walk: the whole process's */
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

/* The chance along edge e that is not looping back: its probability over the
 * forward share of its step (parallel branches keep 1). */
static double
edge_forward_prob(const struct walk *w, const struct edge *e)
{
	if (w->p->steps[e->from]->type == STEP_PARALLEL)
		return e->prob;
	return w->fwd[e->from] > 0 ? e->prob / w->fwd[e->from] : 0;
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
 * Walk steps lo..hi in order, starting at lo with mass 1 and clock 0. Only
 * flows between steps in lo..hi count. Fills mass, start and end for those
 * steps. A measure's walk (w->full set) also waits at parallel joins for
 * branches that split off before lo.
 */
static void
walk_run(struct walk *w, size_t lo, size_t hi)
{
	const struct graph *g = w->g;
	size_t i, k;

	for (i = lo; i <= hi; i++) {
		const struct step *s = w->p->steps[i];
		struct pt start = { 0, 0, 0, 0 }, loop = { 0, 0, 0, 0 };
		double mass = 0, factor;

		if (i == lo) {
			mass = 1;
		} else if (s->type == STEP_PARALLEL) {
			/* A join takes its latest branch; a single in-flow is the
			 * same thing. */
			double best = -INFINITY;

			for (k = g->in[i]; k < g->in[i + 1]; k++) {
				const struct edge *e = &g->edges[g->in_edges[k]];
				struct pt other;
				double m;

				if (is_back(e))
					continue;
				m = e->from < lo ? 0 : w->mass[e->from] * edge_forward_prob(w, e);
				if (m > 0) {
					mass = fmax(mass, m);
					if (w->end[e->from].lead > best) {
						best = w->end[e->from].lead;
						start = w->end[e->from];
					}
				} else if (w->full && w->full->mass[e->from] > 0 &&
				           concurrent_branch(w, lo, e->from, &other) &&
				           other.lead > best) {
					best = other.lead;
					start = other;
				}
			}
		} else {
			for (k = g->in[i]; k < g->in[i + 1]; k++) {
				const struct edge *e = &g->edges[g->in_edges[k]];
				double m;

				if (is_back(e) || e->from < lo)
					continue;
				m = w->mass[e->from] * edge_forward_prob(w, e);
				if (!(m > 0))
					continue;
				mass += m;
				pt_add_scaled(&start, &w->end[e->from], m);
			}
			if (mass > 0) {
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

		factor = rework_factor(s);
		{
			double wait = dist_mean(&s->wait) * factor;
			double work = dist_mean(&s->work) * factor;

			w->end[i] = start;
			w->end[i].wait += wait;
			w->end[i].work += work;
			w->end[i].lead += wait + work;
			if (s->value == VALUE_VA)
				w->end[i].va += work;
		}

		/* Loops back from this step repeat their stretch. */
		if (s->type == STEP_PARALLEL)
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

/* The forward share of each step's flows: 1 minus its back edges' chance. */
static void
forward_shares(const struct process *p, const struct graph *g, double *fwd)
{
	size_t i, k;

	for (i = 0; i < g->nsteps; i++) {
		double back = 0;

		if (p->steps[i]->type != STEP_PARALLEL)
			for (k = g->out[i]; k < g->out[i + 1]; k++)
				if (is_back(&g->edges[k]))
					back += g->edges[k].prob;
		fwd[i] = back >= 1 ? 0 : 1 - back;
	}
}

/* Expected cost and RTY from the walk of the whole process. */
static enum status
cost_and_yield(const struct walk *w, struct figures *f)
{
	const struct graph *g = w->g;
	double total = 0, log_yield = 0;
	double *before = malloc((g->nsteps ? g->nsteps : 1) * sizeof *before);
	size_t i, k;

	if (!before)
		return STATUS_NOMEM;
	for (i = 0; i < g->nsteps; i++) {
		const struct step *s = w->p->steps[i];
		double m = w->mass[i];

		before[i] = total;
		if (!(m > 0))
			continue;
		if (s->cost != 0)
			total += m * rework_factor(s) * s->cost;
		if (s->error_rate > 0)
			log_yield += m * log1p(-fmin(1, s->error_rate));
		if (s->type == STEP_PARALLEL)
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
	free(before);
	f->cost = total;
	f->rty = exp(log_yield);
	return STATUS_OK;
}

struct lane_key {
	sm_id id;
	size_t index;
};

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

/* Lane index of each step (-1: none), and the counts that need only it. */
static enum status
count_steps(const struct process *p, const struct graph *g, long *lane_of,
            struct figures *f)
{
	struct lane_key *keys = malloc((p->nlanes ? p->nlanes : 1) * sizeof *keys);
	size_t i;

	if (!keys)
		return STATUS_NOMEM;
	for (i = 0; i < p->nlanes; i++)
		keys[i] = (struct lane_key){ p->lanes[i]->id, i };
	qsort(keys, p->nlanes, sizeof *keys, lane_key_cmp);

	f->steps = p->nsteps;
	for (i = 0; i < p->nsteps; i++) {
		const struct step *s = p->steps[i];
		long l = lane_find(keys, p->nlanes, s->lane);

		lane_of[i] = l;
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
		long a = lane_of[g->edges[i].from], b = lane_of[g->edges[i].to];

		if (a < 0 || b < 0 || a == b)
			continue;
		if (p->lanes[a]->stage == STAGE_CUSTOMER || p->lanes[b]->stage == STAGE_CUSTOMER)
			continue;
		f->handoffs++;
	}
	free(keys);
	return STATUS_OK;
}

/* Lead, work, wait and VA as the mass-weighted mean over the ends. */
static void
path_times(const struct walk *w, struct figures *f)
{
	const struct graph *g = w->g;
	struct pt sum = { 0, 0, 0, 0 };
	double mass = 0;
	size_t i, k;

	for (i = 0; i < g->nsteps; i++) {
		bool forward = false;

		if (!(w->mass[i] > 0))
			continue;
		for (k = g->out[i]; k < g->out[i + 1] && !forward; k++)
			forward = !is_back(&g->edges[k]);
		if (forward)
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

static void
measure_times(struct walk *w, const struct walk *full, struct figures *f)
{
	const struct process *p = w->p;
	size_t i;

	for (i = 0; i < p->nmeasures; i++) {
		const struct measure *m = p->measures[i];
		const struct step *a = process_step(p, m->from);
		const struct step *b = process_step(p, m->to);

		f->measures[i].id = m->id;
		f->measures[i].expected_s = NAN;
		if (!a || !b || b->index < a->index)
			continue;
		w->full = full;
		walk_run(w, a->index, b->index);
		if (w->mass[b->index] > 0)
			f->measures[i].expected_s = w->end[b->index].lead;
	}
}

enum status
figures_compute(const struct process *p, struct figures *f)
{
	struct graph g;
	struct walk w, m;
	long *lane_of = NULL;
	size_t n = p->nsteps;
	enum status st;

	memset(f, 0, sizeof *f);
	memset(&w, 0, sizeof w);
	memset(&m, 0, sizeof m);
	memset(&g, 0, sizeof g);
	if ((st = process_graph_build(p, &g)) != STATUS_OK)
		return st;
	st = STATUS_NOMEM;
	f->by_lane = calloc(p->nlanes ? p->nlanes : 1, sizeof *f->by_lane);
	f->measures = calloc(p->nmeasures ? p->nmeasures : 1, sizeof *f->measures);
	lane_of = malloc((n ? n : 1) * sizeof *lane_of);
	w.p = p;
	w.g = &g;
	w.mass = malloc((n ? n : 1) * sizeof *w.mass);
	w.fwd = malloc((n ? n : 1) * sizeof *w.fwd);
	w.start = malloc((n ? n : 1) * sizeof *w.start);
	w.end = malloc((n ? n : 1) * sizeof *w.end);
	if (!f->by_lane || !f->measures || !lane_of || !w.mass || !w.fwd || !w.start ||
	    !w.end)
		goto out;
	m = w;
	if (p->nmeasures > 0) {
		m.mass = malloc((n ? n : 1) * sizeof *m.mass);
		m.start = malloc((n ? n : 1) * sizeof *m.start);
		m.end = malloc((n ? n : 1) * sizeof *m.end);
		if (!m.mass || !m.start || !m.end)
			goto out;
	}
	f->nlanes = p->nlanes;
	f->nmeasures = p->nmeasures;
	if ((st = count_steps(p, &g, lane_of, f)) != STATUS_OK)
		goto out;
	f->rty = 1;
	if (n > 0) {
		forward_shares(p, &g, w.fwd);
		walk_run(&w, 0, n - 1);
		path_times(&w, f);
		if ((st = cost_and_yield(&w, f)) != STATUS_OK)
			goto out;
		measure_times(&m, &w, f);
	}
	st = STATUS_OK;
out:
	free(lane_of);
	free(w.mass);
	free(w.fwd);
	free(w.start);
	free(w.end);
	if (m.mass != w.mass) {
		free(m.mass);
		free(m.start);
		free(m.end);
	}
	graph_done(&g);
	if (st != STATUS_OK)
		figures_done(f);
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
