/*
 * graph.c - the effective flow graph of a process (explicit flows plus the
 * implicit next-in-order ones) and ordering steps by flow.
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
	memset(g, 0, sizeof *g);
}

/* The normalised probabilities of the n explicit flows f[0..n) out of s. */
static void
branch_probs(const struct step *s, struct edge *e, size_t n)
{
	double given = 0, share = 0, total = 0;
	size_t i, unset = 0;

	if (s->type == STEP_PARALLEL) {
		for (i = 0; i < n; i++)
			e[i].prob = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		if (e[i].flow->prob >= 0)
			given += e[i].flow->prob;
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
		e[i].prob = e[i].flow->prob >= 0 ? e[i].flow->prob : share;
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
	size_t n = p->nsteps, i, ne = 0, *pos = NULL, *from_of = NULL;
	enum status st = STATUS_NOMEM;

	memset(g, 0, sizeof *g);
	/* from_of[k]: the index of flow k's source (NPOS when it has none in
	 * p); out[i+1] counts step i's explicit flows first. */
	g->out = calloc(n + 1, sizeof *g->out);
	g->in = calloc(n + 1, sizeof *g->in);
	from_of = malloc((p->nflows + 1) * sizeof *from_of);
	if (!g->out || !g->in || !from_of)
		goto out;
	for (i = 0; i < p->nflows; i++) {
		const struct step *a = process_step(p, p->flows[i]->from);
		const struct step *b = process_step(p, p->flows[i]->to);

		from_of[i] = a && b ? a->index : NPOS;
		if (a && b) {
			g->out[a->index + 1]++;
			ne++;
		}
	}
	/* Implicit flows: to the next step, unless explicit ones leave, it is
	 * an end, or it is the last. */
	for (i = 0; i + 1 < n; i++)
		if (g->out[i + 1] == 0 && p->steps[i]->type != STEP_END) {
			g->out[i + 1] = 1;
			ne++;
		}
	for (i = 0; i < n; i++)
		g->out[i + 1] += g->out[i];
	g->edges = calloc(ne + 1, sizeof *g->edges);
	g->in_edges = calloc(ne + 1, sizeof *g->in_edges);
	pos = malloc((n + 1) * sizeof *pos);
	if (!g->edges || !g->in_edges || !pos)
		goto out;
	g->nsteps = n;
	g->nedges = ne;
	memcpy(pos, g->out, n * sizeof *pos);
	/* Explicit flows in id order within each step's group. */
	for (i = 0; i < p->nflows; i++) {
		const struct flow *f = p->flows[i];

		if (from_of[i] == NPOS)
			continue;
		g->edges[pos[from_of[i]]++] = (struct edge){
			.from = from_of[i], .to = process_step(p, f->to)->index, .prob = 1, .flow = f,
		};
	}
	for (i = 0; i < n; i++) {
		size_t a = g->out[i], b = g->out[i + 1];

		if (b > a && g->edges[a].flow)
			branch_probs(p->steps[i], g->edges + a, b - a);
		else if (b > a)
			g->edges[a] = (struct edge){ .from = i, .to = i + 1, .prob = 1, .flow = NULL };
	}
	/* Incoming edges, grouped by target (counting sort). */
	for (i = 0; i < ne; i++)
		g->in[g->edges[i].to + 1]++;
	for (i = 0; i < n; i++)
		g->in[i + 1] += g->in[i];
	memcpy(pos, g->in, n * sizeof *pos);
	for (i = 0; i < ne; i++)
		g->in_edges[pos[g->edges[i].to]++] = i;
	st = STATUS_OK;
out:
	free(pos);
	free(from_of);
	if (st != STATUS_OK)
		graph_done(g);
	return st;
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
