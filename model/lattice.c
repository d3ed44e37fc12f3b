/*
 * lattice.c - the expected longest of parallel branches (lattice.h).
 *
 * A distribution is an array of LATTICE_BINS masses at 0, h, 2h, ...; the
 * last bin holds everything beyond. Masses need not add up to 1: along a
 * branch a step's array holds the chance of reaching its end times the
 * distribution of that time, so a decision's ways merge by adding their
 * arrays. A continuous distribution puts on point k the chance of
 * [(k-1/2)h, (k+1/2)h); a fixed time is split between its two neighbouring
 * points so that its mean is exact.
 *
 * walk() follows the forward flows from one step (its start at time 0) and
 * collects what arrives at a later step (or, for a loop's stretch, the end
 * of the loop's last step). A parallel split met on the way is computed as
 * its own block (block()) and its result handed to its join. The cost is
 * the steps of the block times LATTICE_BINS^2 at most (a convolution
 * touches only the points that hold mass), paid once per block content:
 * the cache maps a hash of the block to its result.
 */
#include "model/lattice.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define G LATTICE_BINS
#define SDS 6.0                  /* the grid spans the means plus this many sds */
#define TINY 1e-12               /* mass below this is nothing */
#define CACHE_MAX 4096           /* entries kept before the cache starts over */

struct centry {
	uint64_t key;
	double value;
};

struct lattice {
	struct centry *tab;          /* open addressing; key 0 = empty */
	size_t cap, n;
};

/* One computation: the grid and what it reads. */
struct lw {
	const struct lattice_graph *lg;
	double h;
	bool nomem;
};

struct lattice *
lattice_new(void)
{
	return calloc(1, sizeof(struct lattice));
}

void
lattice_free(struct lattice **l)
{
	if (!l || !*l)
		return;
	free((*l)->tab);
	free(*l);
	*l = NULL;
}

/* --- distributions on the grid ------------------------------------------ */

static double *
d_new(struct lw *c)
{
	double *d = calloc(G, sizeof *d);

	if (!d)
		c->nomem = true;
	return d;
}

static double *
d_delta0(struct lw *c)
{
	double *d = d_new(c);

	if (d)
		d[0] = 1;
	return d;
}

static double
d_mass(const double *d)
{
	double m = 0;
	size_t k;

	for (k = 0; k < G; k++)
		m += d[k];
	return m;
}

static double
d_mean(const double *d)
{
	double m = 0;
	size_t k;

	for (k = 1; k < G; k++)
		m += (double)k * d[k];
	return m;
}

static void
d_scale(double *d, double k)
{
	size_t i;

	for (i = 0; i < G; i++)
		d[i] *= k;
}

static void
d_add(double *a, const double *b, double k)
{
	size_t i;

	for (i = 0; i < G; i++)
		a[i] += k * b[i];
}

/* The points that hold mass: [*lo, *hi]; false when none. */
static bool
d_support(const double *d, size_t *lo, size_t *hi)
{
	size_t a = 0, b = G;

	while (a < G && d[a] == 0)
		a++;
	if (a == G)
		return false;
	while (b > a && d[b - 1] == 0)
		b--;
	*lo = a;
	*hi = b - 1;
	return true;
}

/* a = a (+) b: the distribution of the sum (masses multiply). */
static void
d_conv(double *a, const double *b)
{
	double out[G];
	size_t alo, ahi, blo, bhi, i, j;

	memset(out, 0, sizeof out);
	if (!d_support(a, &alo, &ahi) || !d_support(b, &blo, &bhi)) {
		memset(a, 0, G * sizeof *a);
		return;
	}
	for (i = alo; i <= ahi; i++) {
		double x = a[i];

		if (x == 0)
			continue;
		for (j = blo; j <= bhi; j++) {
			size_t k = i + j < G ? i + j : G - 1;

			out[k] += x * b[j];
		}
	}
	memcpy(a, out, sizeof out);
}

static double
norm_cdf(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

/* The cumulative distribution of d at x >= 0 (d not fixed). */
static double
cdf(const struct dist *d, double x)
{
	switch (d->kind) {
	case DIST_UNI:
		return x >= d->p[1] ? 1 : x <= d->p[0] ? 0 : (x - d->p[0]) / (d->p[1] - d->p[0]);
	case DIST_TRI: {
		double a = d->p[0], c = d->p[1], b = d->p[2];

		if (x <= a)
			return 0;
		if (x >= b)
			return 1;
		if (x <= c)
			return (x - a) * (x - a) / ((b - a) * (c - a));
		return 1 - (b - x) * (b - x) / ((b - a) * (b - c));
	}
	case DIST_EXP:
		return 1 - exp(-x / d->p[0]);
	case DIST_NORM: {            /* truncated at 0, as the simulation draws */
		double z0 = norm_cdf(-d->p[0] / d->p[1]);

		if (!(1 - z0 > 1e-300))
			return 1;
		return (norm_cdf((x - d->p[0]) / d->p[1]) - z0) / (1 - z0);
	}
	case DIST_LOGN: {            /* p: mean and sd of the time itself */
		double cv = d->p[1] / d->p[0], s2 = log1p(cv * cv);

		if (x <= 0)
			return 0;
		return norm_cdf((log(x) - (log(d->p[0]) - s2 / 2)) / sqrt(s2));
	}
	default:
		return 1;
	}
}

/* The fixed time of d, or a negative number when it is not fixed (a
 * degenerate distribution counts as its one value). */
static double
fixed_value(const struct dist *d)
{
	switch (d->kind) {
	case DIST_NONE:
		return 0;
	case DIST_FIXED:
		return d->p[0];
	case DIST_UNI:
		return d->p[1] > d->p[0] ? -1 : d->p[0];
	case DIST_TRI:
		return d->p[2] > d->p[0] ? -1 : d->p[0];
	case DIST_EXP:
		return d->p[0] > 0 ? -1 : 0;
	case DIST_NORM:
		return d->p[1] > 0 ? -1 : fmax(d->p[0], 0);
	case DIST_LOGN:
		return d->p[0] > 0 && d->p[1] > 0 ? -1 : fmax(d->p[0], 0);
	default:
		return 0;
	}
}

static double
variance(const struct dist *d)
{
	if (fixed_value(d) >= 0)
		return 0;
	switch (d->kind) {
	case DIST_UNI:
		return (d->p[1] - d->p[0]) * (d->p[1] - d->p[0]) / 12;
	case DIST_TRI: {
		double a = d->p[0], c = d->p[1], b = d->p[2];

		return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
	}
	case DIST_EXP:
		return d->p[0] * d->p[0];
	case DIST_NORM:
	case DIST_LOGN:
		return d->p[1] * d->p[1];
	default:
		return 0;
	}
}

/* d on the grid into out (mass 1). */
static void
discretise(const struct lw *c, const struct dist *d, double *out)
{
	double x = fixed_value(d), prev = 0;
	size_t k;

	memset(out, 0, G * sizeof *out);
	if (x >= 0) {
		double u = x / c->h;
		size_t lo;

		if (!(u < G - 1)) {
			out[G - 1] = 1;
			return;
		}
		lo = (size_t)u;
		out[lo] = 1 - (u - (double)lo);
		out[lo + 1] += u - (double)lo;
		return;
	}
	for (k = 0; k + 1 < G; k++) {
		double f = cdf(d, ((double)k + 0.5) * c->h);

		out[k] = f - prev;
		prev = f;
	}
	out[G - 1] = 1 - prev;
}

/*
 * d = the sum of N independent copies of d, N geometric: P(N = n) =
 * (1-q) q^(n-from) for n >= from (from 1: rework, at least one pass; from
 * 0: a loop's extra passes). d has mass 1.
 */
static void
compound(struct lw *c, double *d, double q, int from)
{
	double *cur, *acc, w = 1 - q, m;
	int n;

	if (!(q > 0))
		return;
	if (!(q < 1)) {              /* never ends: everything beyond the grid */
		memset(d, 0, G * sizeof *d);
		d[G - 1] = 1;
		return;
	}
	if (!(cur = d_new(c)) || !(acc = d_new(c))) {
		free(cur);
		return;
	}
	if (from == 0) {
		cur[0] = 1;
		acc[0] = w;
	} else {
		memcpy(cur, d, G * sizeof *d);
		d_add(acc, cur, w);
	}
	for (n = 1; n < 400; n++) {
		w *= q;
		if (w < 1e-10)
			break;
		d_conv(cur, d);
		d_add(acc, cur, w);
	}
	m = d_mass(acc);
	if (m > 0)
		d_scale(acc, 1 / m);
	memcpy(d, acc, G * sizeof *d);
	free(cur);
	free(acc);
}

/* One execution of step i, rework in: wait-before and work, then again
 * with its error rate. NULL when out of memory. */
static double *
step_dist(struct lw *c, size_t i)
{
	const struct step *s = c->lg->p->steps[i];
	double *d = d_new(c), tmp[G];

	if (!d)
		return NULL;
	discretise(c, &s->wait, d);
	discretise(c, &s->work, tmp);
	d_conv(d, tmp);
	if (s->error_rate > 0)
		compound(c, d, s->error_rate, 1);
	return d;
}

/* --- walking the flows ----------------------------------------------------- */

static bool
is_split(const struct lattice_graph *lg, size_t i)
{
	const struct graph *g = lg->g;

	return lg->p->steps[i]->type == STEP_PARALLEL && g->out[i + 1] - g->out[i] > 1;
}

/* The chance that flow en (forward) is taken, given its step ends. */
static double
fwd_prob(const struct lattice_graph *lg, size_t en)
{
	const struct edge *e = &lg->g->edges[en];
	double f = lg->fwd[e->from];

	if (lg->p->steps[e->from]->type == STEP_PARALLEL)
		return e->prob;
	return f > 0 ? e->prob / f : 0;
}

static double *block(struct lw *c, size_t s, size_t y);

/*
 * From the start of step a (time 0, chance 1), over the forward flows
 * between steps a..z: with `stretch` false, what arrives at step z (not
 * done); with `stretch` true, the end of step z (its loops back not taken:
 * the stretch of a loop from a to z). The result is owned by the caller;
 * NULL when nothing arrives or out of memory.
 */
static double *
walk(struct lw *c, size_t a, size_t z, bool stretch)
{
	const struct lattice_graph *lg = c->lg;
	const struct graph *g = lg->g;
	size_t n = z - a + 1, last = stretch ? z : z - 1, i, k;
	double **end = calloc(n, sizeof *end), **pend = calloc(n, sizeof *pend);
	double *out = NULL;

	if (!end || !pend) {
		c->nomem = true;
		goto out;
	}
	if (!stretch && !(out = d_new(c)))
		goto out;
	for (i = a; i <= last && !c->nomem; i++) {
		double *in = pend[i - a], *sd;

		pend[i - a] = NULL;
		if (i == a) {
			if (!in && !(in = d_delta0(c)))
				break;
		} else {
			for (k = g->in[i]; k < g->in[i + 1]; k++) {
				size_t en = g->in_edges[k], from = g->edges[en].from;
				double p;

				if (from < a || from >= i || !end[from - a] || is_split(lg, from))
					continue;
				if (!((p = fwd_prob(lg, en)) > 0))
					continue;
				if (!in && !(in = d_new(c)))
					break;
				d_add(in, end[from - a], p);
			}
		}
		if (!in || !(d_mass(in) > TINY)) {
			free(in);
			continue;
		}
		if (!(sd = step_dist(c, i))) {
			free(in);
			break;
		}
		d_conv(in, sd);
		free(sd);
		if (is_split(lg, i)) {
			/* its branches are a block of their own, handed to its join */
			size_t y = lg->join_of(lg->ctx, i, stretch ? z + 1 : z);
			double *m = block(c, i, y);

			if (m && y <= last) {
				d_conv(in, m);
				if (pend[y - a])
					d_add(pend[y - a], in, 1);
				else
					pend[y - a] = in, in = NULL;
			} else if (m && !stretch && y == z) {
				d_conv(in, m);
				d_add(out, in, 1);
			}
			free(m);
			end[i - a] = in;     /* kept for nothing but freeing */
			continue;
		}
		/* loops back from i repeat their stretch */
		if (lg->p->steps[i]->type != STEP_PARALLEL && !(stretch && i == z)) {
			for (k = g->out[i]; k < g->out[i + 1]; k++) {
				const struct edge *e = &g->edges[k];
				double f = lg->fwd[i], q, *sdist, m;

				if (e->to > i || e->to < a || !(e->prob > 0))
					continue;
				q = e->prob / (f + e->prob);   /* passes: prob / f more */
				if (!(sdist = walk(c, e->to, i, true)))
					continue;
				if ((m = d_mass(sdist)) > TINY) {
					d_scale(sdist, 1 / m);
					compound(c, sdist, q, 0);
					d_conv(in, sdist);
				}
				free(sdist);
			}
		}
		end[i - a] = in;
	}
	if (c->nomem)
		goto out;
	if (stretch) {
		out = end[n - 1];
		end[n - 1] = NULL;
		goto out;
	}
	for (k = g->in[z]; k < g->in[z + 1]; k++) {
		size_t en = g->in_edges[k], from = g->edges[en].from;
		double p;

		if (from < a || from >= z || !end[from - a] || is_split(lg, from))
			continue;
		if ((p = fwd_prob(lg, en)) > 0)
			d_add(out, end[from - a], p);
	}
out:
	if (end)
		for (i = 0; i < n; i++)
			free(end[i]);
	if (pend)
		for (i = 0; i < n; i++)
			free(pend[i]);
	free(end);
	free(pend);
	if (c->nomem) {
		free(out);
		return NULL;
	}
	return out;
}

/*
 * The branches of split s, each from the end of s to its arrival at y, and
 * their longest (the product of their cumulative distributions): into
 * means[0] the largest of the branches' means, and returned the
 * distribution of the longest (mass 1; the caller frees it). NULL when no
 * branch arrives or out of memory.
 */
static double *
block_means(struct lw *c, size_t s, size_t y, double *maxmean)
{
	const struct graph *g = c->lg->g;
	double prod[G], *d;
	bool any = false;
	size_t k, i;

	*maxmean = 0;
	for (i = 0; i < G; i++)
		prod[i] = 1;
	for (k = g->out[s]; k < g->out[s + 1]; k++) {
		size_t b = g->edges[k].to;
		double m, f = 0;

		if (b <= s || b > y)
			continue;
		d = b == y ? d_delta0(c) : walk(c, b, y, false);
		if (!d)
			continue;
		if ((m = d_mass(d)) > TINY) {
			d_scale(d, 1 / m);
			if (d_mean(d) > *maxmean)
				*maxmean = d_mean(d);
			for (i = 0; i < G; i++) {
				f += d[i];
				prod[i] *= fmin(f, 1);
			}
			any = true;
		}
		free(d);
	}
	if (!any || !(d = d_new(c)))
		return NULL;
	d[0] = prod[0];
	for (i = 1; i < G; i++)
		d[i] = fmax(prod[i] - prod[i - 1], 0);
	d[G - 1] += fmax(1 - prod[G - 1], 0);
	return d;
}

static double *
block(struct lw *c, size_t s, size_t y)
{
	double ignored;

	return block_means(c, s, y, &ignored);
}

/* --- the block's scale, its certainty, its content ---------------------- */

/* The hash of a block: one multiply per 64-bit word (the cache's key; it
 * is computed for every join on every call, so it is kept cheap). */
static uint64_t
mix(uint64_t h, uint64_t x)
{
	return (h ^ x) * 0x100000001b3ULL + (h >> 29);
}

static uint64_t
mixd(uint64_t h, double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof u);
	return mix(h, u);
}

static uint64_t
mix_dist(uint64_t h, const struct dist *d)
{
	h = mix(h, (uint64_t)d->kind);
	switch (d->kind) {
	case DIST_NONE:
		return h;
	case DIST_FIXED:
	case DIST_EXP:
		return mixd(h, d->p[0]);
	case DIST_TRI:
		return mixd(mixd(mixd(h, d->p[0]), d->p[1]), d->p[2]);
	default:
		return mixd(mixd(h, d->p[0]), d->p[1]);
	}
}

/* The content of steps s..j: their times, rates and types, and their
 * flows relative to s. */
static uint64_t
block_hash(const struct lattice_graph *lg, size_t s, size_t j)
{
	const struct graph *g = lg->g;
	uint64_t h = mix(0x5eed, j - s);
	size_t i, k;

	for (i = s; i <= j; i++) {
		const struct step *st = lg->p->steps[i];

		h = mix(mix_dist(mix_dist(h, &st->wait), &st->work), (uint64_t)st->type);
		h = mixd(mixd(h, st->error_rate), lg->fwd[i]);
		if (i == j)
			break;
		for (k = g->out[i]; k < g->out[i + 1]; k++) {
			const struct edge *ed = &g->edges[k];

			h = mix(h, ed->to >= s ? (uint64_t)(ed->to - s) : UINT64_MAX);
			h = mixd(h, ed->prob);
		}
	}
	return h ? h : 1;
}

/*
 * Over steps s..j: the grid's span (the means and variances of the steps
 * between, rework in, one after the other: an upper bound of any branch)
 * and whether it is all certain (fixed times, no rework, no decision, no
 * loop).
 */
static void
block_span(const struct lattice_graph *lg, size_t s, size_t j, double *span, bool *certain)
{
	const struct graph *g = lg->g;
	double mean = 0, var = 0;
	size_t i, k;

	*certain = true;
	for (i = s; i <= j; i++) {
		const struct step *st = lg->p->steps[i];
		double e = st->error_rate > 0 ? fmin(st->error_rate, 1) : 0;
		double mu = dist_mean(&st->wait) + dist_mean(&st->work);
		double v = variance(&st->wait) + variance(&st->work);

		if (fixed_value(&st->wait) < 0 || fixed_value(&st->work) < 0 || e > 0)
			*certain = false;
		if (i > s && i < j)
			mean += e < 1 ? mu / (1 - e) : INFINITY;
		if (i > s && i < j && e < 1)
			var += v / (1 - e) + mu * mu * e / ((1 - e) * (1 - e));
		for (k = g->out[i]; i < j && k < g->out[i + 1]; k++) {
			const struct edge *ed = &g->edges[k];

			if (ed->to <= i || (ed->prob > 0 && ed->prob < 1))
				*certain = false;
		}
	}
	*span = mean + SDS * sqrt(var);
}

static bool
cache_get(const struct lattice *l, uint64_t key, double *v)
{
	size_t i;

	if (!l->cap)
		return false;
	for (i = key & (l->cap - 1); l->tab[i].key; i = (i + 1) & (l->cap - 1))
		if (l->tab[i].key == key) {
			*v = l->tab[i].value;
			return true;
		}
	return false;
}

static void
cache_put(struct lattice *l, uint64_t key, double v)
{
	size_t i;

	if (l->n >= CACHE_MAX)       /* start over rather than grow without end */
		memset(l->tab, 0, l->cap * sizeof *l->tab), l->n = 0;
	if (!l->cap) {
		if (!(l->tab = calloc(2 * CACHE_MAX, sizeof *l->tab)))
			return;
		l->cap = 2 * CACHE_MAX;
	}
	for (i = key & (l->cap - 1); l->tab[i].key && l->tab[i].key != key;
	     i = (i + 1) & (l->cap - 1))
		;
	if (!l->tab[i].key)
		l->n++;
	l->tab[i] = (struct centry){ key, v };
}

enum status
lattice_join_excess(struct lattice *l, const struct lattice_graph *lg, size_t s, size_t j,
                    double *excess)
{
	struct lw c = { .lg = lg };
	double span, maxmean, *d;
	bool certain;
	uint64_t key;

	*excess = 0;
	if (j <= s)
		return STATUS_OK;
	if (j - s > LATTICE_MAX_BLOCK) {
		*excess = NAN;
		return STATUS_OK;
	}
	key = block_hash(lg, s, j);
	if (cache_get(l, key, excess))
		return STATUS_OK;
	block_span(lg, s, j, &span, &certain);
	if (certain || !(span > 0) || !isfinite(span)) {
		cache_put(l, key, 0);
		return STATUS_OK;
	}
	c.h = span / (G - 1);
	d = block_means(&c, s, j, &maxmean);
	if (c.nomem) {
		free(d);
		return STATUS_NOMEM;
	}
	if (d)
		*excess = fmax(d_mean(d) - maxmean, 0) * c.h;
	free(d);
	cache_put(l, key, *excess);
	return STATUS_OK;
}
