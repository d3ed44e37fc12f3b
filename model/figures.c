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
 *     carry mass) waits, as the simulation does, only for the branches of
 *     a parallel split: it takes the one that arrives latest, with its
 *     work, wait and VA (so work + wait = lead holds along the longest
 *     branch) and the largest of their masses; in-flows that exclude each
 *     other (a decision's ways, a path that reaches the join in order, a
 *     way around the split) are merged as an exclusive merge is. Each step
 *     knows the branch it is on (struct branch: the split's out-flow that
 *     opened it), and join_reduce() merges what arrives level by level
 *     from the deepest split;
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
 * a measure from the first step reads the whole walk. A join costs its
 * in-flows times the levels of splits it closes (at most JOIN_ROUNDS).
 *
 * Speed. The workbench recomputes the figures after every edit, so the
 * work is kept to flat arrays that a workspace (struct figures_ws) keeps
 * between calls: the graph is rebuilt into the arrays of the last build
 * (process_graph_rebuild), the steps are read once into struct sinfo, and
 * the walks read only those arrays. A fresh allocation of this size costs
 * more in page faults than the computation itself.
 */
#include "model/figures.h"
#include "model/lattice.h"
#include "model/model_int.h"

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
	uint32_t nfwd;               /* forward out-flows */
	bool parallel, va;
	bool split;                  /* parallel with several out-flows */
	bool end;                    /* no forward out-flow */
	bool loops;                  /* not parallel, with a flow back */
	bool target;                 /* a flow back or a measure starts here: the
	                                walks keep its start and cost before it */
};

#define CTX_TOP UINT32_MAX       /* on no branch */
#define NO_SLOT UINT32_MAX
#define JOIN_ROUNDS 64           /* levels a join climbs before it gives up */
#define SMALL_JOIN 8             /* in-flows a join compares pairwise */

/* The branch a step is on: each out-flow of a parallel split opens one,
 * the join that brings all of a split's branches together closes them. */
struct branch {
	uint32_t ctx;                /* the split's out-edge that opened it, or CTX_TOP */
	uint32_t cover;              /* how many of that split's branches it stands for */
	uint32_t depth;              /* branches open around it (0 at CTX_TOP) */
};

/* What arrives at a parallel join on one in-flow, as join_reduce() merges
 * it with the others. */
struct item {
	struct branch b;
	uint32_t key;                /* what a pass of join_reduce() groups by */
	bool live, carried;
	unsigned merged;             /* items merged into this one as alternatives */
	double m;                    /* chance the walk carries it here (0: not) */
	double w;                    /* not carried: its chance in the whole walk */
	struct pt pt;
	double cm, uw;               /* alternatives: carried chance, else weight */
	struct pt csum, usum;
};

/* An in-flow of a step as the walk reads it (parallel to g->in_edges). */
struct arc {
	uint32_t from;               /* >= the step: a back edge */
	uint32_t edge;               /* in g->edges */
	double p;                    /* its forward probability (forward edges) */
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
	double *before;              /* expected cost before step i (targets) */
	int32_t *lane_of;            /* index in p->lanes, -1 none */
	sm_id *ids;                  /* for graph_rebuild_read() */
	unsigned char *types;
	struct branch *br;
	uint32_t *sslot;
	double *jx;                  /* a join's expected longest less longest expected */
	uint32_t *jsplit;            /* a join's split (NO_SLOT: none) */
	struct lattice *lat;         /* the expected longest of parallel branches */
	/* per edge, and a join's in-flows */
	struct arc *arcs;
	uint32_t *eslot;
	struct item *items;
	size_t cap_items, cap_eslot;
	/* per lane, per measure */
	struct lane_key *keys;
	size_t *order;               /* measures in order of their walks */
	size_t cap_measures;
};

/* What the whole walk adds up as it goes (tally_step()). */
struct tally {
	struct pt sum;               /* over the ends, times their mass */
	double mass;                 /* of the ends */
	double total;                /* expected cost so far */
	double *before;              /* total before each step */
	double log_yield, last_err, last_log;
};

struct walk {
	const struct sinfo *st;
	const struct graph *g;
	const struct arc *arcs;
	const double *fwd;
	struct branch *br;           /* the whole walk fills it, measures read it */
	struct item *items;          /* a join's in-flows (room for the most) */
	uint32_t *eslot, *sslot;     /* per edge, per step: NO_SLOT between uses */
	double *mass;                /* chance the step is reached */
	struct pt *start, *end;      /* conditional on being reached */
	const struct walk *full;     /* a measure's walk: the whole process's */
	struct tally *tally;         /* the whole walk's */
	bool zero_arc;               /* see walk_run() */
	/* the expected longest of parallel branches (join_excess()) */
	const struct process *p;
	struct lattice *lat;
	double *jx;
	uint32_t *jsplit;
	enum status st_lat;          /* STATUS_NOMEM from the lattice */
	bool joins_approx;           /* a block too large for the lattice */
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

/* --- parallel joins ------------------------------------------------------ */

/* The branch that in-flow k (of g->in_edges) arrives on. */
static struct branch
arriving(const struct walk *w, size_t k)
{
	size_t from = w->arcs[k].from;

	if (w->st[from].split)
		return (struct branch){ w->arcs[k].edge, 1, w->br[from].depth + 1 };
	return w->br[from];
}

/* it: what arrives on in-flow k, carried with chance m, else (m 0) with
 * chance wfull in the whole walk, at times pt. */
static void
item_set(struct item *it, const struct walk *w, size_t k, double m, double wfull,
         const struct pt *pt)
{
	it->b = arriving(w, k);
	it->live = true;
	it->carried = m > 0;
	it->merged = 0;
	it->m = m;
	it->w = wfull;
	it->pt = *pt;
}

/* Add x to r's alternatives: weighted by the chance carried, or (none
 * carried) by the chance in the whole walk. */
static void
item_add_alternative(struct item *r, const struct item *x)
{
	if (x->carried) {
		r->cm += x->m;
		pt_add_scaled(&r->csum, &x->pt, x->m);
	} else {
		r->uw += x->w;
		pt_add_scaled(&r->usum, &x->pt, x->w);
	}
	if (x->b.cover > r->b.cover)
		r->b.cover = x->b.cover;
}

static void
pt_div(struct pt *a, double k)
{
	if (k == 1)                  /* x / 1 is x */
		return;
	a->lead /= k;
	a->work /= k;
	a->wait /= k;
	a->va /= k;
}

static void
item_close_alternatives(struct item *r)
{
	if (r->cm > 0) {
		r->pt = r->csum;
		pt_div(&r->pt, r->cm);
		r->m = r->cm;
		r->carried = true;
	} else if (r->uw > 0) {
		r->pt = r->usum;
		pt_div(&r->pt, r->uw);
		r->w = r->uw;
	}
	r->merged = 0;
}

/*
 * The item that item j merges into: the first live one before it with the
 * same key (itself when none). A join of a few in-flows compares them; a
 * larger one remembers the first of each key in slots[key] (top for the key
 * NO_SLOT), which reset_slots() clears after the pass.
 */
static size_t
first_of_key(struct item *it, size_t j, size_t k, uint32_t *slots, uint32_t *top)
{
	uint32_t key = it[j].key, *slot;
	size_t r;

	if (k <= SMALL_JOIN) {
		for (r = 0; r < j; r++)
			if (it[r].live && it[r].key == key)
				return r;
		return j;
	}
	slot = key == NO_SLOT ? top : &slots[key];
	if (*slot == NO_SLOT)
		*slot = (uint32_t)j;
	return *slot;
}

static void
reset_slots(const struct item *it, size_t k, uint32_t *slots)
{
	size_t j;

	if (k > SMALL_JOIN)
		for (j = 0; j < k; j++)
			if (it[j].live && it[j].key != NO_SLOT)
				slots[it[j].key] = NO_SLOT;
}

/* Items on the same branch are alternatives (a decision inside it, or a
 * path that joins it in order): their mean by chance. All live items are
 * taken as one branch when `all`. */
static void
merge_alternatives(struct walk *w, struct item *it, size_t k, size_t *live, bool all)
{
	uint32_t top = NO_SLOT;
	size_t j, r;

	for (j = 0; j < k; j++)
		it[j].key = all ? NO_SLOT : it[j].b.ctx;
	for (j = 0; j < k; j++) {
		struct item *a;

		if (!it[j].live || (r = first_of_key(it, j, k, w->eslot, &top)) == j)
			continue;
		a = &it[r];
		if (a->merged++ == 0) {
			a->cm = a->uw = 0;
			memset(&a->csum, 0, sizeof a->csum);
			memset(&a->usum, 0, sizeof a->usum);
			item_add_alternative(a, a);
		}
		if (all && it[j].b.depth < a->b.depth) {
			a->b.ctx = it[j].b.ctx;  /* the outermost branch */
			a->b.depth = it[j].b.depth;
		}
		item_add_alternative(a, &it[j]);
		it[j].live = false;
		(*live)--;
	}
	reset_slots(it, k, w->eslot);
	for (j = 0; j < k; j++)
		if (it[j].live && it[j].merged)
			item_close_alternatives(&it[j]);
}

/*
 * The deepest items: those on different branches of one split run at the
 * same time, and the join waits for the latest (its times; the chance is
 * the largest). The result leaves the split when it brings all of the
 * split's branches together, or when other items remain (they came by
 * other ways); otherwise it stands for the branches it joined.
 */
static void
join_branches(struct walk *w, struct item *it, size_t k, size_t *live)
{
	const struct edge *edges = w->g->edges;
	uint32_t depth = 0, top = NO_SLOT;
	size_t j, r;

	for (j = 0; j < k; j++)
		if (it[j].live && it[j].b.depth > depth)
			depth = it[j].b.depth;
	for (j = 0; j < k; j++)      /* the split, for the deepest */
		it[j].key = it[j].live && it[j].b.depth == depth
		            ? (uint32_t)edges[it[j].b.ctx].from : NO_SLOT;
	for (j = 0; j < k; j++) {
		struct item *a;

		if (it[j].key == NO_SLOT || (r = first_of_key(it, j, k, w->sslot, &top)) == j)
			continue;
		a = &it[r];
		a->b.cover += it[j].b.cover;
		if (it[j].carried) {
			a->m = fmax(a->m, it[j].m);
			a->carried = true;
		} else {
			a->w = fmax(a->w, it[j].w);
		}
		if (it[j].pt.lead > a->pt.lead)
			a->pt = it[j].pt;
		it[j].live = false;
		(*live)--;
	}
	reset_slots(it, k, w->sslot);
	for (j = 0; j < k; j++) {
		uint32_t split = it[j].key;

		if (!it[j].live || split == NO_SLOT)
			continue;
		if (it[j].b.cover >= w->st[split].nfwd || *live > 1)
			it[j].b = w->br[split];
	}
}

/*
 * Merge the k items arriving at a parallel join as the simulation runs it:
 * the join waits only for branches of a parallel split, and takes paths
 * that exclude each other by their chances. Level by level from the
 * deepest: alternatives on one branch merge, then the branches of one
 * split join and leave it. Returns the item the join starts with (one of
 * it[]).
 */
static const struct item *
join_reduce(struct walk *w, struct item *it, size_t k)
{
	size_t live = k, j, rounds = 0;

	for (;;) {
		merge_alternatives(w, it, k, &live, false);
		if (live <= 1)
			break;
		if (++rounds > JOIN_ROUNDS) {
			/* nested deeper than any process a person draws: what
			 * is left are alternatives */
			merge_alternatives(w, it, k, &live, true);
			break;
		}
		join_branches(w, it, k, &live);
	}
	for (j = 0; j < k && !it[j].live; j++)
		;
	return &it[j];
}

/* The branch of step i from all its forward in-flows, for the whole walk:
 * a parallel join's from join_reduce(); any other step's the outermost
 * branch arriving (the first of those). */
static struct branch
branch_of(struct walk *w, size_t i)
{
	const struct graph *g = w->g;
	struct branch b = { CTX_TOP, 1, 0 };
	static const struct pt zero = { 0, 0, 0, 0 };
	size_t k, n = 0;

	for (k = g->in[i]; k < g->in[i + 1]; k++) {
		if (w->arcs[k].from >= i)
			continue;
		if (w->st[i].parallel) {
			item_set(&w->items[n], w, k, 1, 0, &zero);
		} else {
			struct branch a = arriving(w, k);

			if (n == 0 || a.depth < b.depth)
				b = a;
		}
		n++;
	}
	if (w->st[i].parallel && n > 0)
		b = join_reduce(w, w->items, n)->b;
	return b;
}

/* The start of parallel step i in the walk from lo: its in-flows reduced
 * by join_reduce(). Returns its mass. */
static double
join_start(struct walk *w, size_t lo, size_t i, struct pt *start)
{
	const struct graph *g = w->g;
	size_t k, n = 0, nfwd = 0;
	const struct item *r;
	double mass;

	for (k = g->in[i]; k < g->in[i + 1]; k++) {
		size_t from = w->arcs[k].from;
		struct pt other;
		double m;

		if (from >= i)
			continue;
		nfwd++;
		m = from < lo ? 0 : w->mass[from] * w->arcs[k].p;
		if (m > 0)
			item_set(&w->items[n++], w, k, m, 0, &w->end[from]);
		else if (!w->full)
			w->zero_arc |= w->mass[from] > 0;
		else if (w->full->mass[from] > 0 && concurrent_branch(w, lo, from, &other))
			item_set(&w->items[n++], w, k, 0, w->full->mass[from] * w->arcs[k].p, &other);
	}
	if (n == 0) {
		if (!w->full)
			w->br[i] = branch_of(w, i);
		return 0;
	}
	r = n == 1 ? &w->items[0] : join_reduce(w, w->items, n);
	*start = r->pt;
	mass = r->carried ? r->m : 0;
	if (!w->full)
		w->br[i] = n == nfwd ? r->b : branch_of(w, i);   /* (reuses items) */
	return mass;
}

/* --- the expected longest of parallel branches ---------------------------- */

/* The split that opened branch b's innermost level, or NO_SLOT at the top. */
static uint32_t
split_of(const struct walk *w, struct branch b)
{
	return b.ctx == CTX_TOP ? NO_SLOT : (uint32_t)w->g->edges[b.ctx].from;
}

/* The innermost split that both splits x and y are inside (or are). */
static uint32_t
common_split(const struct walk *w, uint32_t x, uint32_t y)
{
	while (x != y && x != NO_SLOT && y != NO_SLOT) {
		if (w->br[x].depth >= w->br[y].depth)
			x = split_of(w, w->br[x]);
		else
			y = split_of(w, w->br[y]);
	}
	return x == y ? x : NO_SLOT;
}

/* The split whose branches meet at parallel step i in the whole walk: the
 * innermost split that every in-flow carrying mass comes from; NO_SLOT
 * when fewer than two in-flows carry mass or they share no split. */
static uint32_t
join_split(const struct walk *w, size_t i)
{
	const struct graph *g = w->g;
	uint32_t s = NO_SLOT;
	size_t k, n = 0;

	for (k = g->in[i]; k < g->in[i + 1]; k++) {
		size_t from = w->arcs[k].from;
		uint32_t x;

		if (from >= i || !(w->mass[from] * w->arcs[k].p > 0))
			continue;
		x = w->st[from].split ? (uint32_t)from : split_of(w, arriving(w, k));
		if (x == NO_SLOT)
			return NO_SLOT;
		s = n++ ? common_split(w, s, x) : x;
		if (s == NO_SLOT)
			return NO_SLOT;
	}
	return n >= 2 ? s : NO_SLOT;
}

/* lattice_graph.join_of: the first parallel step after split s (before
 * stop) that several flows reach and the walk found back on s's branch. */
static size_t
join_of(const void *ctx, size_t s, size_t stop)
{
	const struct walk *w = ctx;
	size_t y;

	for (y = s + 1; y < stop; y++)
		if (w->st[y].parallel && w->g->in[y + 1] - w->g->in[y] > 1 &&
		    w->br[y].ctx == w->br[s].ctx && w->br[y].depth == w->br[s].depth)
			return y;
	return stop;
}

/*
 * A join's start is where the walk found the latest branch to arrive by
 * its mean; the join waits for the branch that happens to arrive last,
 * whose expected time is longer: the lattice gives the difference from the
 * branches' distributions (lattice.h), counted as wait. The whole walk
 * computes it; a measure's walk from a step no later than the split reads
 * it.
 */
static void
join_excess(struct walk *w, size_t lo, size_t i, struct pt *start)
{
	double x = 0;
	uint32_t s;

	if (!w->full) {
		s = join_split(w, i);
		if (s != NO_SLOT) {
			struct lattice_graph lg = {
				.p = w->p, .g = w->g, .fwd = w->fwd, .join_of = join_of, .ctx = w,
			};

			if (lattice_join_excess(w->lat, &lg, s, i, &x) != STATUS_OK)
				w->st_lat = STATUS_NOMEM;
			if (isnan(x)) {      /* too large a block: its longest mean */
				x = 0;
				w->joins_approx = true;
			}
		}
		w->jsplit[i] = s;
		w->jx[i] = x;
	} else {
		s = w->full->jsplit[i];
		x = w->full->jx[i];
	}
	if (s == NO_SLOT || s < lo || !(x > 0))
		return;
	start->lead += x;
	start->wait += x;
}

/* Step i of the walk from lo (walk_run()): its mass, start and end. */
static void
walk_step(struct walk *w, size_t lo, size_t i)
{
	const struct graph *g = w->g;
	const struct arc *arcs = w->arcs;
	const struct sinfo *s = &w->st[i];
	struct pt start = { 0, 0, 0, 0 }, loop = { 0, 0, 0, 0 };
	double mass = 0;
	size_t k;

	if (i == lo) {
		mass = 1;
		if (!w->full)
			w->br[i] = (struct branch){ CTX_TOP, 1, 0 };
	} else if (s->parallel) {
		if (!w->full) {
			w->jx[i] = 0;
			w->jsplit[i] = NO_SLOT;
		}
		mass = join_start(w, lo, i, &start);
		if (mass > 0)
			join_excess(w, lo, i, &start);
	} else {
		struct branch b = { CTX_TOP, 1, 0 };
		bool first = true;

		for (k = g->in[i]; k < g->in[i + 1]; k++) {
			size_t from = arcs[k].from;
			double m;

			if (from >= i || from < lo)
				continue;
			if (!w->full) {      /* as branch_of() */
				struct branch a = arriving(w, k);

				if (first || a.depth < b.depth)
					b = a;
				first = false;
			}
			m = w->mass[from] * arcs[k].p;
			if (!(m > 0))
				continue;
			mass += m;
			pt_add_scaled(&start, &w->end[from], m);
		}
		if (mass > 0)
			pt_div(&start, mass);
		if (!w->full)
			w->br[i] = b;
	}
	w->mass[i] = mass;
	if (s->target || i == lo)
		w->start[i] = start;
	if (!(mass > 0)) {
		w->end[i] = start;
		return;
	}

	w->end[i] = start;
	w->end[i].wait += s->wait;
	w->end[i].work += s->work;
	w->end[i].lead += s->wait + s->work;
	if (s->va)
		w->end[i].va += s->work;

	/* Loops back from this step repeat their stretch. */
	if (!s->loops)
		return;
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

/*
 * Step i's part of the whole walk's figures, in step order: the ends'
 * times (the lead time is their mass-weighted mean), and the expected cost
 * and yield. Cost sums each step's cost times its chance and rework, and a
 * loop adds the cost of its stretch (since its target), per pass, q/(1-Q)
 * times; the yield is the product of (1-e)^reach.
 */
static void
tally_step(const struct walk *w, size_t i)
{
	const struct graph *g = w->g;
	const struct sinfo *s = &w->st[i];
	struct tally *t = w->tally;
	double m = w->mass[i];
	size_t k;

	if (s->target)
		t->before[i] = t->total;
	if (!(m > 0))
		return;
	if (s->end) {
		t->mass += m;
		pt_add_scaled(&t->sum, &w->end[i], m);
	}
	if (s->cost != 0)
		t->total += m * s->factor * s->cost;
	if (s->err > 0) {
		if (s->err != t->last_err) {   /* the same rate on many steps */
			t->last_err = s->err;
			t->last_log = log1p(-fmin(1, s->err));
		}
		t->log_yield += m * t->last_log;
	}
	if (!s->loops)
		return;
	for (k = g->out[i]; k < g->out[i + 1]; k++) {
		const struct edge *e = &g->edges[k];
		double q;

		if (!is_back(e) || !(e->prob > 0) || !(w->mass[e->to] > 0))
			continue;
		q = w->fwd[i] > 0 ? e->prob / w->fwd[i] : INFINITY;
		t->total += q * m / w->mass[e->to] * (t->total - t->before[e->to]);
	}
}

/*
 * Walk steps lo..hi in order, starting at lo with mass 1 and clock 0, or go
 * on with steps first..hi of such a walk that stopped at first-1. Only
 * flows between steps in lo..hi count. Fills mass, start and end for those
 * steps. A measure's walk (w->full set) also waits at parallel joins for
 * branches that split off before lo. The whole walk notes in w->zero_arc a
 * parallel step that a reached step flows into with no chance (a measure's
 * walk from the first step differs from it there), and adds up its tally.
 */
static void
walk_run(struct walk *w, size_t lo, size_t first, size_t hi)
{
	size_t i;

	for (i = first; i <= hi; i++) {
		walk_step(w, lo, i);
		if (w->tally)
			tally_step(w, i);
	}
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
 * the step, what the walks read of it (struct sinfo), and its id and type
 * for the graph (graph_rebuild_read).
 */
static void
read_steps(const struct process *p, struct figures_ws *ws, struct figures *f)
{
	size_t i;

	for (i = 0; i < p->nlanes; i++)
		ws->keys[i] = (struct lane_key){ p->lanes[i]->id, i };
	qsort(ws->keys, p->nlanes, sizeof *ws->keys, lane_key_cmp);

	for (i = 0; i < p->nsteps; i++) {
		const struct step *s = p->steps[i];
		struct sinfo *si = &ws->st[i];
		long l = lane_find(ws->keys, p->nlanes, s->lane);
		double factor = rework_factor(s);

		ws->ids[i] = s->id;
		ws->types[i] = (unsigned char)s->type;
		si->factor = factor;
		si->wait = dist_mean(&s->wait) * factor;
		si->work = dist_mean(&s->work) * factor;
		si->cost = s->cost;
		si->err = s->error_rate;
		si->parallel = s->type == STEP_PARALLEL;
		si->va = s->value == VALUE_VA;
		si->target = false;

		ws->lane_of[i] = (int32_t)l;
		if (s->generated)    /* a cut's or an importer's gateway: no step */
			continue;
		f->steps++;
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
		if (p->lanes[l]->capacity > 0 && p->lanes[l]->stage != STAGE_CUSTOMER &&
		    si->work > 0)
			f->queueing_left_out = true;
		if ((unsigned)p->lanes[l]->stage < STAGE_COUNT_)
			f->by_stage[p->lanes[l]->stage]++;
		if (p->lanes[l]->stage == STAGE_CUSTOMER || p->lanes[l]->stage == STAGE_ONSTAGE)
			f->touchpoints++;
	}
}

/* Work that changes hands from lane a to lane b (indices, < 0 for none):
 * two lanes, neither the customer's. */
static bool
is_handoff(const struct process *p, int32_t a, int32_t b)
{
	return a >= 0 && b >= 0 && a != b && p->lanes[a]->stage != STAGE_CUSTOMER &&
	       p->lanes[b]->stage != STAGE_CUSTOMER;
}

/* Message flows are no path a case takes (the graph leaves them out) but
 * each one between two lanes hands the work on: a hand-off. */
static void
message_handoffs(const struct process *p, const struct figures_ws *ws, struct figures *f)
{
	size_t i;

	for (i = 0; i < p->nflows; i++) {
		const struct flow *fl = p->flows[i];
		const struct step *x, *y;

		if (fl->kind != FLOW_MESSAGE || !(x = process_step(p, fl->from)) ||
		    !(y = process_step(p, fl->to)))
			continue;
		f->handoffs += is_handoff(p, ws->lane_of[x->index], ws->lane_of[y->index]);
	}
}

/*
 * The one pass over the graph, step by step: a step's out-flows give the
 * forward share of its flows (1 minus its back edges' chance) and its
 * shape; its in-flows the hand-offs (each edge is one step's in-flow) and
 * the arcs the walks read, whose forward probability is the edge's over
 * the forward share of its step (parallel branches keep 1).
 */
static void
read_edges(const struct process *p, struct figures_ws *ws, struct figures *f)
{
	const struct graph *g = &ws->g;
	size_t i, k;

	for (i = 0; i < g->nsteps; i++) {
		struct sinfo *si = &ws->st[i];
		double back = 0;
		uint32_t nfwd = 0;
		bool loops = false;

		for (k = g->out[i]; k < g->out[i + 1]; k++) {
			if (!is_back(&g->edges[k])) {
				nfwd++;
			} else if (!si->parallel) {
				back += g->edges[k].prob;
				loops = true;
				ws->st[g->edges[k].to].target = true;
			}
		}
		si->nfwd = nfwd;
		si->end = nfwd == 0;
		si->loops = loops;
		si->split = si->parallel && g->out[i + 1] - g->out[i] > 1;
		ws->fwd[i] = back >= 1 ? 0 : 1 - back;

		for (k = g->in[i]; k < g->in[i + 1]; k++) {
			size_t en = g->in_edges[k], from = g->edges[en].from;
			double fwd;
			int32_t a = ws->lane_of[from], b = ws->lane_of[i];

			ws->arcs[k].from = (uint32_t)from;
			ws->arcs[k].edge = (uint32_t)en;
			ws->arcs[k].p = 0;
			f->handoffs += is_handoff(p, a, b);
			if (from >= i)
				continue;            /* a back edge: its share is not read */
			fwd = ws->fwd[from];
			ws->arcs[k].p = ws->st[from].parallel || fwd == 1 ? g->edges[en].prob /* x/1 */
			                : fwd > 0 ? g->edges[en].prob / fwd : 0;
		}
	}
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
	free((*ws)->items);
	free((*ws)->eslot);
	free((*ws)->keys);
	free((*ws)->order);
	lattice_free(&(*ws)->lat);
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

/* Room in ws for n steps, nl lanes and nm measures: the arrays grow by a
 * quarter more than asked, so a growing process reallocates seldom. */
static enum status
ws_room_steps(struct figures_ws *ws, size_t n, size_t nl, size_t nm)
{
	if (n >= UINT32_MAX)         /* steps are numbered in 32 bits */
		return STATUS_NOMEM;
	if (!ws->steps_block || n > ws->cap_steps) {
		/* one term for each array carved below */
		size_t cap = n + n / 4 + 16, per = sizeof(struct sinfo) + 6 * sizeof(double) +
		             4 * sizeof(struct pt) + sizeof(int32_t) + sizeof(sm_id) + 1 +
		             sizeof(struct branch) + 2 * sizeof(uint32_t);
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
		ws->ids = carve(&at, cap, sizeof *ws->ids);
		ws->types = carve(&at, cap, sizeof *ws->types);
		ws->br = carve(&at, cap, sizeof *ws->br);
		ws->sslot = carve(&at, cap, sizeof *ws->sslot);
		ws->jx = carve(&at, cap, sizeof *ws->jx);
		ws->jsplit = carve(&at, cap, sizeof *ws->jsplit);
		memset(ws->sslot, 0xff, cap * sizeof *ws->sslot);   /* NO_SLOT */
		ws->cap_steps = cap;
	}
	if (!room(&ws->keys, &ws->cap_lanes, nl, sizeof *ws->keys) ||
	    !room(&ws->order, &ws->cap_measures, nm, sizeof *ws->order))
		return STATUS_NOMEM;
	return STATUS_OK;
}

/* Room in ws for the edges of ws->g, and items for the most in-flows of a
 * step. */
static enum status
ws_room_edges(struct figures_ws *ws)
{
	const struct graph *g = &ws->g;
	size_t had_eslot = ws->cap_eslot, max_in = 0, i;

	if (g->nedges >= UINT32_MAX) /* edges are numbered in 32 bits */
		return STATUS_NOMEM;
	for (i = 0; i < g->nsteps; i++)
		if (g->in[i + 1] - g->in[i] > max_in)
			max_in = g->in[i + 1] - g->in[i];
	if (!room(&ws->eslot, &ws->cap_eslot, g->nedges, sizeof *ws->eslot))
		return STATUS_NOMEM;
	if (ws->cap_eslot != had_eslot)
		memset(ws->eslot, 0xff, ws->cap_eslot * sizeof *ws->eslot);   /* NO_SLOT */
	if (!room(&ws->arcs, &ws->cap_edges, g->nedges, sizeof *ws->arcs) ||
	    !room(&ws->items, &ws->cap_items, max_in, sizeof *ws->items))
		return STATUS_NOMEM;
	return STATUS_OK;
}

enum status
figures_compute_ws(const struct process *p, struct figures_ws *ws, struct figures *f)
{
	struct walk w, m;
	struct tally t;
	size_t n = p->nsteps, i;
	enum status st;

	memset(f, 0, sizeof *f);
	if ((st = ws_room_steps(ws, n, p->nlanes, p->nmeasures)) != STATUS_OK)
		return st;
	if (!ws->lat && !(ws->lat = lattice_new()))
		return STATUS_NOMEM;
	f->by_lane = calloc(p->nlanes ? p->nlanes : 1, sizeof *f->by_lane);
	f->measures = calloc(p->nmeasures ? p->nmeasures : 1, sizeof *f->measures);
	if (!f->by_lane || !f->measures) {
		st = STATUS_NOMEM;
		goto fail;
	}
	f->nlanes = p->nlanes;
	f->nmeasures = p->nmeasures;
	read_steps(p, ws, f);
	if ((st = graph_rebuild_read(p, &ws->g, ws->ids, ws->types)) != STATUS_OK ||
	    (st = ws_room_edges(ws)) != STATUS_OK)
		goto fail;
	read_edges(p, ws, f);
	message_handoffs(p, ws, f);
	for (i = 0; i < p->nmeasures; i++) {
		const struct step *a = process_step(p, p->measures[i]->from);

		if (a)
			ws->st[a->index].target = true;
	}
	f->rty = 1;
	if (n == 0)
		return STATUS_OK;
	memset(&t, 0, sizeof t);
	t.before = ws->before;
	w = (struct walk){
		.st = ws->st, .g = &ws->g, .arcs = ws->arcs, .fwd = ws->fwd, .br = ws->br,
		.items = ws->items, .eslot = ws->eslot, .sslot = ws->sslot,
		.mass = ws->mass, .start = ws->start, .end = ws->end, .tally = &t,
		.p = p, .lat = ws->lat, .jx = ws->jx, .jsplit = ws->jsplit, .st_lat = STATUS_OK,
	};
	walk_run(&w, 0, 0, n - 1);
	if ((st = w.st_lat) != STATUS_OK)
		goto fail;
	f->joins_approximate = w.joins_approx;
	if (t.mass > 0) {
		f->lead_time_s = t.sum.lead / t.mass;
		f->work_time_s = t.sum.work / t.mass;
		f->wait_time_s = t.sum.wait / t.mass;
		f->va_time_s = t.sum.va / t.mass;
	}
	f->pce = f->lead_time_s > 0 ? f->va_time_s / f->lead_time_s : 0;
	f->cost = t.total;
	f->rty = exp(t.log_yield);
	m = w;
	m.mass = ws->mmass;
	m.start = ws->mstart;
	m.end = ws->mend;
	m.tally = NULL;
	measure_times(p, &m, &w, ws->order, f);
	return STATUS_OK;
fail:
	figures_done(f);
	return st;
}

/* The steps [from, to] of measure m in p's order; false when an end is
 * missing or comes first. */
static bool
measure_span(const struct process *p, const struct measure *m, size_t *a, size_t *b)
{
	const struct step *x = process_step(p, m->from), *y = process_step(p, m->to);

	if (!x || !y || y->index < x->index)
		return false;
	*a = x->index;
	*b = y->index;
	return true;
}

bool
figures_golden(const struct process *p, const struct figures *f, size_t i, struct golden *g)
{
	size_t a, b, j, best = NPOS_MEASURE, best_common = 0, best_diff = 0;

	if (i >= p->nmeasures || i >= f->nmeasures || p->measures[i]->clock != CLOCK_CUSTOMER)
		return false;
	if (measure_span(p, p->measures[i], &a, &b)) {
		for (j = 0; j < p->nmeasures && j < f->nmeasures; j++) {
			size_t x, y, common, diff;

			if (p->measures[j]->clock != CLOCK_PROCESS ||
			    !measure_span(p, p->measures[j], &x, &y) || y < a || x > b)
				continue;
			common = (y < b ? y : b) - (x > a ? x : a) + 1;
			diff = y - x > b - a ? (y - x) - (b - a) : (b - a) - (y - x);
			if (common > best_common || (common == best_common && diff < best_diff)) {
				best = j;
				best_common = common;
				best_diff = diff;
			}
		}
	}
	g->customer = i;
	g->process = best;
	g->customer_s = f->measures[i].expected_s;
	g->process_s = best == NPOS_MEASURE ? NAN : f->measures[best].expected_s;
	g->gap_s = isfinite(g->customer_s) && isfinite(g->process_s) ? g->customer_s - g->process_s
	                                                             : NAN;
	return true;
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
