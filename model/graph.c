/*
 * graph.c - the effective flow graph of a process (explicit flows plus the
 * implicit next-in-order ones, unless the process's flows are all explicit;
 * message flows are hand-offs, not paths, and left out) and ordering steps
 * by flow.
 *
 * Probabilities of a step's explicit outgoing flows, as everything that
 * follows branches reads them (figures, simulation, scenario cuts):
 *   - a parallel step sends a token down every branch: 1 each;
 *   - no probability given on any of them: an equal split;
 *   - some given: the flows without one share what the given ones leave
 *     below 1, equally (nothing when the given ones reach 1 or more);
 *   - the result is normalised to sum to 1; when the given ones are all 0
 *     and none is left without one, an equal split.
 */
#include "model/model_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NPOS ((size_t)-1)

void
graph_done(struct graph *g)
{
	if (!g)
		return;
	free(g->edges);
	free(g->out);
	free(g->in_edges);
	free(g->in);
	free(g->tmp);
	memset(g, 0, sizeof *g);
}

/* Room for n elements in each of the arrays *a (of size sa) and *b (of
 * size sb), whose room is *cap: new arrays (contents not kept, a quarter to
 * spare) when they are too small. False when out of memory. */
static bool
room(void *a, size_t sa, void *b, size_t sb, size_t *cap, size_t n)
{
	void **pa = a, **pb = b;
	size_t want = n + n / 4 + 8;

	if (*pa && (!pb || *pb) && n <= *cap)
		return true;
	free(*pa);
	*pa = NULL;
	if (pb) {
		free(*pb);
		*pb = NULL;
	}
	*cap = 0;
	if (want > SIZE_MAX / (sa > sb ? sa : sb) || !(*pa = malloc(want * sa)) ||
	    (pb && !(*pb = malloc(want * sb))))
		return false;
	*cap = want;
	return true;
}

/* The normalised probabilities of the n explicit flows e[0..n) out of a
 * step, each holding its flow's given probability on entry. */
static void
branch_probs(bool parallel, struct edge *e, size_t n)
{
	double given = 0, share = 0, total = 0;
	size_t i, unset = 0;

	if (parallel) {
		for (i = 0; i < n; i++)
			e[i].prob = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		if (e[i].prob >= 0)
			given += e[i].prob;
		else
			unset++;
	}
	if (unset == n || (unset == 0 && !(given > 0))) {
		for (i = 0; i < n; i++)
			e[i].prob = 1.0 / (double)n;
		return;
	}
	if (unset)
		share = given < 1 ? (1 - given) / (double)unset : 0;
	for (i = 0; i < n; i++) {
		e[i].prob = e[i].prob >= 0 ? e[i].prob : share;
		total += e[i].prob;
	}
	if (!(total > 0)) {
		/* The given ones are 0 and nothing is left to share: the
		 * flows without a probability split evenly. */
		for (i = 0; i < n; i++)
			e[i].prob = e[i].flow->prob >= 0 ? 0 : 1.0 / (double)unset;
		return;
	}
	for (i = 0; i < n; i++)
		e[i].prob /= total;
}

enum status
process_graph_build(const struct process *p, struct graph *g)
{
	memset(g, 0, sizeof *g);
	return process_graph_rebuild(p, g);
}

/*
 * Where the steps of p sit, for process_graph_rebuild(): each step's type
 * read once into a flat array, and step ids mapped to indices by a direct
 * table when they are dense (ids come from one counter per workbook, so a
 * process's steps usually span not much more ids than it has steps); a
 * look-up in the table touches neither the id index nor the step.
 */
struct step_map {
	const sm_id *id;             /* n */
	const unsigned char *type;   /* n */
	uint32_t *slot;              /* span: index + 1 of id min + k, 0 = none */
	sm_id min;
	size_t span;                 /* 0: use process_step() */
};

#define MAP_SPARSE 4             /* a table at most this many slots a step */

/* The index of step id in p, or NPOS. */
static inline size_t
step_map_index(const struct process *p, const struct step_map *m, sm_id id)
{
	uint64_t k = (uint64_t)id - (uint64_t)m->min;
	const struct step *s;

	if (m->span)
		return k < m->span && m->slot[k] ? m->slot[k] - 1 : NPOS;
	s = process_step(p, id);
	return s ? s->index : NPOS;
}

/*
 * Edges go into place by counting sorts that use the index arrays
 * themselves as cursors: a step's count goes in out[i+2], the prefix sums
 * make out[i+1] the start of step i, and placing an edge advances
 * out[from+1], which ends at the start of step i+1 (the same for in).
 *
 * The scratch array g->tmp holds ends[2k], ends[2k+1] (the indices of flow
 * k's source and target, NPOS when either is not in p) and probs[k] (its
 * given probability), so the flows are read once; then the step map's ids
 * and types (unless the caller read them) and table.
 */
enum status
process_graph_rebuild(const struct process *p, struct graph *g)
{
	return graph_rebuild_read(p, g, NULL, NULL);
}

enum status
graph_rebuild_read(const struct process *p, struct graph *g, const sm_id *read_ids,
                   const unsigned char *read_types)
{
	size_t n = p->nsteps, i, ne = 0, *ends, bytes;
	double *probs;
	sm_id lo = 0, hi = 0;
	struct step_map map = { NULL, NULL, NULL, 0, 0 };

	g->nsteps = g->nedges = 0;
	if (p->nflows > SIZE_MAX / 4 / sizeof *ends / 3 || n > SIZE_MAX / 4 / sizeof *g->out)
		goto nomem;
	/* ends, probs, ids, types, then room for the largest table used */
	bytes = 3 * p->nflows * sizeof *ends + n * sizeof *map.id + ((n + 7) & ~(size_t)7);
	if (!room(&g->out, sizeof *g->out, &g->in, sizeof *g->in, &g->cap_steps, n + 2) ||
	    !room(&g->tmp, 1, NULL, 0, &g->cap_tmp,
	          bytes + (MAP_SPARSE * n + 64) * sizeof *map.slot))
		goto nomem;
	ends = g->tmp;
	probs = (double *)(void *)(ends + 2 * p->nflows);
	if (read_ids) {
		map.id = read_ids;
		map.type = read_types;
	} else {
		sm_id *id = (sm_id *)(void *)(probs + p->nflows);
		unsigned char *type = (unsigned char *)(id + n);

		for (i = 0; i < n; i++) {
			id[i] = p->steps[i]->id;
			type[i] = (unsigned char)p->steps[i]->type;
		}
		map.id = id;
		map.type = type;
	}
	for (i = 0; i < n; i++) {
		if (i == 0 || map.id[i] < lo)
			lo = map.id[i];
		if (i == 0 || map.id[i] > hi)
			hi = map.id[i];
	}
	if (n > 0 && n < UINT32_MAX && hi >= lo &&
	    (uint64_t)hi - (uint64_t)lo < (uint64_t)MAP_SPARSE * n + 64) {
		map.min = lo;
		map.span = (size_t)((uint64_t)hi - (uint64_t)lo) + 1;
	}
	if (map.span) {
		map.slot = (uint32_t *)(void *)((char *)g->tmp + bytes);
		memset(map.slot, 0, map.span * sizeof *map.slot);
		for (i = 0; i < n; i++)
			map.slot[map.id[i] - map.min] = (uint32_t)i + 1;
	}
	memset(g->out, 0, (n + 2) * sizeof *g->out);
	memset(g->in, 0, (n + 2) * sizeof *g->in);
	for (i = 0; i < p->nflows; i++) {
		const struct flow *f = p->flows[i];
		/* a message flow is a hand-off, not a path the case takes */
		size_t a = f->kind == FLOW_MESSAGE ? NPOS : step_map_index(p, &map, f->from);
		size_t b = a == NPOS ? NPOS : step_map_index(p, &map, f->to);

		ends[2 * i] = b == NPOS ? NPOS : a;
		ends[2 * i + 1] = b;
		probs[i] = f->prob;
		if (b != NPOS) {
			g->out[a + 2]++;
			ne++;
		}
	}
	/* Implicit flows: to the next step, unless explicit ones leave, it is
	 * an end, or it is the last, or the process's flows are all explicit. */
	for (i = 0; i + 1 < n && !p->flows_explicit; i++)
		if (g->out[i + 2] == 0 && map.type[i] != STEP_END) {
			g->out[i + 2] = 1;
			ne++;
		}
	for (i = 0; i < n; i++)
		g->out[i + 2] += g->out[i + 1];
	if (!room(&g->edges, sizeof *g->edges, &g->in_edges, sizeof *g->in_edges, &g->cap_edges,
	          ne + 1))
		goto nomem;
	g->nsteps = n;
	g->nedges = ne;
	/* Explicit flows in id order within each step's group, their given
	 * probability in prob until branch_probs() normalises it. */
	for (i = 0; i < p->nflows; i++) {
		size_t a = ends[2 * i];

		if (a == NPOS)
			continue;
		g->edges[g->out[a + 1]++] = (struct edge){
			.from = a, .to = ends[2 * i + 1], .prob = probs[i], .flow = p->flows[i],
		};
	}
	for (i = 0; i < n; i++) {
		size_t a = g->out[i], b = g->out[i + 1];

		if (b > a && g->edges[a].flow) {
			branch_probs(map.type[i] == STEP_PARALLEL, g->edges + a, b - a);
		} else if (b == a && i + 1 < n && map.type[i] != STEP_END &&
		           !p->flows_explicit) {
			g->edges[a] = (struct edge){ .from = i, .to = i + 1, .prob = 1, .flow = NULL };
			g->out[i + 1]++;
		}
	}
	/* Incoming edges, grouped by target, in edge order. */
	for (i = 0; i < ne; i++)
		g->in[g->edges[i].to + 2]++;
	for (i = 0; i < n; i++)
		g->in[i + 2] += g->in[i + 1];
	for (i = 0; i < ne; i++)
		g->in_edges[g->in[g->edges[i].to + 1]++] = i;
	return STATUS_OK;
nomem:
	graph_done(g);
	return STATUS_NOMEM;
}

/* --- ordering by flow ---------------------------------------------------- */

struct child_order {
	const struct edge *e;
};

static int
likely_first(const void *a, const void *b)
{
	const struct edge *x = ((const struct child_order *)a)->e;
	const struct edge *y = ((const struct child_order *)b)->e;

	if (x->prob != y->prob)
		return x->prob > y->prob ? -1 : 1;
	return x < y ? -1 : x > y;
}

/*
 * A depth-first walk from the start steps along explicit flows, written out
 * in reverse postorder: each step comes after every step that leads to it
 * (loops aside), and the branches of a split come most likely first, each
 * whole before the next, with their join after them all. Steps the walk
 * does not reach keep their old order after it.
 */
void
process_order_by_flow(struct process *p)
{
	size_t n = p->nsteps, i, k, nout, sp = 0, done = 0;
	struct graph g;
	struct child_order *kids = NULL;
	size_t *kid_at = NULL, *stack = NULL, *post = NULL, *next = NULL, *nin = NULL;
	unsigned char *seen = NULL;

	if (n == 0 || process_graph_build(p, &g) != STATUS_OK)
		return;
	kids = malloc((g.nedges + 1) * sizeof *kids);
	kid_at = calloc(n + 1, sizeof *kid_at);
	stack = malloc(n * sizeof *stack);
	post = malloc(n * sizeof *post);
	next = calloc(n, sizeof *next);
	nin = calloc(n, sizeof *nin);
	seen = calloc(n, 1);
	if (!kids || !kid_at || !stack || !post || !next || !nin || !seen)
		goto out;
	/* Each step's explicit flows, most likely first. */
	for (i = 0, nout = 0; i < n; i++) {
		kid_at[i] = nout;
		for (k = g.out[i]; k < g.out[i + 1]; k++)
			if (g.edges[k].flow) {
				kids[nout++].e = &g.edges[k];
				if (g.edges[k].to != i)
					nin[g.edges[k].to]++;
			}
		qsort(kids + kid_at[i], nout - kid_at[i], sizeof *kids, likely_first);
	}
	kid_at[n] = nout;

	/* Roots: start steps, then steps nothing flows into, in old order.
	 * Reverse postorder puts what is walked last first, so the walk takes
	 * a step's children least likely first, the roots last first, and
	 * the start steps after the other roots. */
	for (int pass = 0; pass <= 1; pass++) {
		for (size_t r = n; r-- > 0;) {
			bool root = pass == 1 ? p->steps[r]->type == STEP_START
			                      : nin[r] == 0 && p->steps[r]->type != STEP_START;

			if (!root || seen[r])
				continue;
			seen[r] = 1;
			stack[sp++] = r;
			next[r] = kid_at[r + 1];
			while (sp) {
				size_t v = stack[sp - 1];

				if (next[v] > kid_at[v]) {
					size_t w = kids[--next[v]].e->to;

					if (!seen[w]) {
						seen[w] = 1;
						next[w] = kid_at[w + 1];
						stack[sp++] = w;
					}
				} else {
					post[done++] = v;
					sp--;
				}
			}
		}
	}
	{
		struct step **order = malloc(n * sizeof *order);

		if (!order)
			goto out;
		for (i = 0; i < done; i++)
			order[i] = p->steps[post[done - 1 - i]];
		for (i = 0, k = done; i < n; i++)
			if (!seen[i])
				order[k++] = p->steps[i];
		for (i = 0; i < n; i++)
			order[i]->key = 1024.0 * (double)i;
		memcpy(p->steps, order, n * sizeof *order);
		free(order);
		process_renumber(p, 0, n);
	}
out:
	graph_done(&g);
	free(kids);
	free(kid_at);
	free(stack);
	free(post);
	free(next);
	free(nin);
	free(seen);
}
