/*
 * discover.c - from the events of a log to a map with measured times (see
 * evlog.h for what the map is). discover_log.c reads the log's own
 * figures first (activity instances, variants, the directly-follows
 * relation, times and overlaps); here: the activities kept for the
 * coverage, the parallel blocks (activities that overlap in time in most
 * of their cases, find_parallel(): nodes of the map as activities are,
 * emitted as a split, the members and a join), the dominant path, the
 * flows with their frequencies, the times fitted per step (model/fit.h),
 * the lanes and the arrival pattern; then everything emitted into the
 * sink, with the log's own figures (model/logsum.h).
 *
 * Owns its arrays; nothing survives evlog_build(). Every pass is linear in
 * the events or sorts them once (O(n log n)), but for counting the cases
 * where two activities occur together: the events times the most pairs one
 * activity is in among those that overlap often enough to be parallel work
 * (few).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/discover_int.h"
#include "import/vec.h"
#include "model/fit.h"

/* --- the map ------------------------------------------------------------------------- */

static const struct act_info *sort_acts;

static int
cmp_act_freq(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	if (sort_acts[a].events != sort_acts[b].events)
		return sort_acts[a].events > sort_acts[b].events ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Keep the most frequent activities (with instances) until coverage
 * percent of the events are theirs. */
static enum status
choose_activities(struct build *b)
{
	struct evlog *el = b->el;
	double cov = el->opt && el->opt->coverage > 0 ? el->opt->coverage : EVLOG_DEFAULT_COVERAGE;
	uint32_t *o = malloc((el->acts.n ? el->acts.n : 1) * sizeof *o);
	size_t i, on = 0;

	if (!o)
		return STATUS_NOMEM;
	for (i = 0; i < el->acts.n; i++)
		o[i] = (uint32_t)i;
	sort_acts = b->acts;
	qsort(o, el->acts.n, sizeof *o, cmp_act_freq);
	for (i = 0; i < el->acts.n; i++) {
		struct act_info *a = &b->acts[o[i]];

		if ((double)on * 100 >= cov * (double)el->n - 1e-9 || !a->insts)
			break;
		a->kept = true;
		on += a->events;
	}
	b->sum.events_on_map = b->rep.events_on_map = on;
	for (i = 0; i < el->acts.n; i++)
		if (!b->acts[i].kept) {
			b->rep.activities_left_out++;
			b->rep.events_left_out += b->acts[i].events;
		}
	free(o);
	return STATUS_OK;
}

/* --- parallel work ------------------------------------------------------------------- */

struct par_cand {
	uint32_t x, y;               /* x < y */
	size_t overlap, together;    /* cases where they overlap; where both occur */
};

static int
cmp_par_x(const void *p, const void *q)
{
	const struct par_cand *a = p, *b = q;

	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	return a->y < b->y ? -1 : a->y > b->y;
}

/* The most overlapping first, then by x and y. */
static int
cmp_par_cand(const void *p, const void *q)
{
	const struct par_cand *a = p, *b = q;

	if (a->overlap != b->overlap)
		return a->overlap > b->overlap ? -1 : 1;
	return cmp_par_x(p, q);
}

static bool
is_node(const struct build *b, size_t i)
{
	return i >= b->el->acts.n || (b->acts[i].kept && b->node[i] == i);
}

/*
 * The parallel blocks: kept activities that overlap in time within cases
 * (an earlier instance still running when the other starts) in at least
 * PAR_OVERLAP_PCT % of the cases that have both, where those cases are at
 * least PAR_TOGETHER_PCT % of the cases that have either (and at least
 * PAR_MIN_CASES overlap). Pairs join, the most overlapping first, into
 * blocks whose members are all parallel two by two. Each block becomes a
 * node of the map, an entry of acts after the activities; node[] maps each
 * activity to its node. Only with start times (overlap needs them).
 */
static enum status
find_parallel(struct build *b)
{
	size_t nacts = b->el->acts.n, ncand = 0, npar = 0, i, k, c;
	struct par_cand *cand = NULL;
	uint32_t *comp = NULL, *next = NULL, *worst = NULL;
	size_t *candx = NULL, *seen = NULL;
	struct pairs ok = { 0 };
	enum status st = STATUS_NOMEM;

	if (!(b->node = malloc((nacts ? nacts : 1) * sizeof *b->node)))
		return STATUS_NOMEM;
	for (i = 0; i < nacts; i++)
		b->node[i] = (uint32_t)i;
	if (!b->split || !b->par_cases.n)
		return STATUS_OK;
	if (!(cand = malloc(b->par_cases.n * sizeof *cand)))
		goto out;
	for (i = 0; i < b->par_cases.cap; i++) {
		const struct pair_slot *p = &b->par_cases.s[i];
		uint32_t x, y;
		size_t most;

		if (p->key == UINT64_MAX)
			continue;
		x = PAIR_FROM(p->key);
		y = PAIR_TO(p->key);
		most = b->acts[x].cases_in > b->acts[y].cases_in ? b->acts[x].cases_in
		                                                 : b->acts[y].cases_in;
		/* together >= most / 2 and overlap >= together / 2 need this */
		if (b->acts[x].kept && b->acts[y].kept && p->n >= PAR_MIN_CASES && p->n * 4 >= most)
			cand[ncand++] = (struct par_cand){ x, y, p->n, 0 };
	}
	/* the cases where both occur: in each case, from each activity present
	 * (once) to its candidates (cand by x, candx[x] its first) */
	qsort(cand, ncand, sizeof *cand, cmp_par_x);
	if (!(candx = calloc(nacts + 1, sizeof *candx)) ||
	    !(seen = calloc(nacts + 1, sizeof *seen)))
		goto out;
	for (k = 0; k < ncand; k++)
		candx[cand[k].x + 1]++;
	for (i = 0; i < nacts; i++)
		candx[i + 1] += candx[i];
	for (i = 0; i < nacts; i++)
		b->acts[i].mark = 0;
	for (c = 0; ncand && c < b->el->cases.n; c++) {
		for (i = b->case_first[c]; i < b->case_first[c + 1]; i++)
			b->acts[b->in[i].act].mark = c + 1;
		for (i = b->case_first[c]; i < b->case_first[c + 1]; i++) {
			uint32_t x = b->in[i].act;

			if (seen[x] == c + 1)
				continue;
			seen[x] = c + 1;
			for (k = candx[x]; k < candx[x + 1]; k++)
				cand[k].together += b->acts[cand[k].y].mark == c + 1;
		}
	}
	for (k = 0; k < ncand; k++) {
		const struct par_cand *p = &cand[k];
		size_t either = b->acts[p->x].cases_in + b->acts[p->y].cases_in - p->together;

		if (p->overlap * 100 >= PAR_OVERLAP_PCT * p->together &&
		    p->together * 100 >= PAR_TOGETHER_PCT * either)
			cand[npar++] = *p;
	}
	st = STATUS_OK;
	if (!npar)
		goto out;
	st = STATUS_NOMEM;
	qsort(cand, npar, sizeof *cand, cmp_par_cand);
	for (k = 0; k < npar; k++)    /* each parallel pair: its place in cand, + 1 */
		if (pairs_add(&ok, cand[k].x, cand[k].y, k + 1) < 0)
			goto out;
	/* blocks: comp[] the first member, next[] the others in a list,
	 * worst[] (of the first) the pair that overlaps least */
	if (!(comp = malloc(nacts * sizeof *comp)) || !(next = malloc(nacts * sizeof *next)) ||
	    !(worst = malloc(nacts * sizeof *worst)))
		goto out;
	for (i = 0; i < nacts; i++) {
		comp[i] = (uint32_t)i;
		next[i] = EV_NONE;
		worst[i] = EV_NONE;
	}
	for (k = 0; k < npar; k++) {
		uint32_t x = comp[cand[k].x], y = comp[cand[k].y], u, v, w = (uint32_t)k, last = x;
		bool all = true;

		if (x == y)
			continue;
		for (u = x; u != EV_NONE && all; u = next[u])
			for (v = y; v != EV_NONE && all; v = next[v]) {
				size_t j = pairs_get(&ok, u < v ? u : v, u < v ? v : u);

				if (!j) {
					all = false;
					break;
				}
				if (cand[j - 1].overlap * cand[w].together <
				    cand[w].overlap * cand[j - 1].together)
					w = (uint32_t)(j - 1);
			}
		if (!all)
			continue;
		if (worst[x] != EV_NONE && cand[worst[x]].overlap * cand[w].together <
		    cand[w].overlap * cand[worst[x]].together)
			w = worst[x];
		if (worst[y] != EV_NONE && cand[worst[y]].overlap * cand[w].together <
		    cand[w].overlap * cand[worst[y]].together)
			w = worst[y];
		worst[x] = w;
		while (next[last] != EV_NONE)
			last = next[last];
		next[last] = y;
		for (v = y; v != EV_NONE; v = next[v])
			comp[v] = x;
	}
	if (!(b->gmem = malloc(nacts * sizeof *b->gmem)))
		goto out;
	for (i = 0, k = 0; i < nacts; i++) {
		struct act_info *g;
		uint32_t v;

		if (comp[i] != i || next[i] == EV_NONE)
			continue;
		g = &b->acts[nacts + b->nblocks];
		g->kept = true;
		g->step = SIZE_MAX;
		g->lane = EV_NONE;
		g->gfirst = k;
		g->g_overlap = cand[worst[i]].overlap;
		g->g_together = cand[worst[i]].together;
		for (v = (uint32_t)i; v != EV_NONE; v = next[v]) {
			b->gmem[k++] = v;
			b->node[v] = (uint32_t)(nacts + b->nblocks);
		}
		g->gn = k - g->gfirst;
		b->nblocks++;
	}
	b->rep.parallel_blocks = b->nblocks;
	st = STATUS_OK;
out:
	free(cand);
	free(candx);
	free(seen);
	free(comp);
	free(next);
	free(worst);
	free(ok.s);
	return st;
}

static void
count_visit(struct act_info *a, size_t c)
{
	a->visits++;
	if (a->last_case == c + 1)
		a->rework++;
	a->last_case = c + 1;
}

/* The paths projected on the map's nodes (kept activities and parallel
 * blocks): their directly-follows counts, starts and ends, and each kept
 * activity's time samples. A block's visit is a run of its members; each
 * member waits from when the block was entered (the node before ended),
 * and the node after waits from the block's last end. */
static enum status
project(struct build *b)
{
	struct evlog *el = b->el;
	size_t c, i;

	/* each kept activity's samples: at most one wait and one work per
	 * instance, slices of one array made at once (no growing, and its
	 * pages faulted in one call: vec.h) */
	for (i = 0; i < el->acts.n; i++)
		if (b->acts[i].kept)
			b->nsamples += 2 * b->acts[i].insts;
	if (!(b->samples = vec_zalloc(b->nsamples + 1, sizeof *b->samples)))
		return STATUS_NOMEM;
	b->nsamples++;
	for (i = 0, c = 0; i < el->acts.n; i++) {
		struct act_info *a = &b->acts[i];

		if (!a->kept)
			continue;
		a->wait = b->samples + c;
		a->work = b->samples + c + a->insts;
		c += 2 * a->insts;
	}
	for (c = 0; c < el->cases.n; c++) {
		uint32_t prev = EV_NONE;     /* the node before */
		int64_t prev_end = 0;        /* when it ended (a block: its last member) */
		int64_t entry = 0;           /* when the block being run was entered */

		for (i = b->case_first[c]; i < b->case_first[c + 1]; i++) {
			const struct inst *in = &b->in[i];
			struct act_info *a = &b->acts[in->act];
			uint32_t n = b->node[in->act];
			bool block = n != in->act, again = block && n == prev, after;
			double wait, work = -1;

			if (!a->kept)
				continue;
			count_visit(a, c);
			if (!again) {
				if (block)
					count_visit(&b->acts[n], c);
				if (prev == EV_NONE) {
					b->acts[n].starts++;
				} else {
					b->acts[prev].out++;
					if (pairs_add(&b->pdfg, prev, n, 1) < 0)
						return STATUS_NOMEM;
				}
				entry = prev != EV_NONE ? prev_end : inst_begin(in);
			}
			/* with starts, from its start; without, from its completion
			 * (the gap is then its wait, work included) */
			after = block || prev != EV_NONE;
			wait = after ? (double)(inst_begin(in) - (block ? entry : prev_end)) / 1000 : 0;
			if (b->split && in->start != EV_NOTIME)
				work = (double)(in->end - in->start) / 1000;
			if (wait < 0)
				wait = 0;    /* overlapping: it started before the other ended */
			/* each instance once: its slices hold insts of each */
			a->wait[a->nwait++] = wait;
			if (work >= 0)
				a->work[a->nwork++] = work;
			if (!again || in->end > prev_end)
				prev_end = in->end;
			prev = n;
		}
		if (prev != EV_NONE) {
			b->acts[prev].ends++;
			b->acts[prev].out++;
		} else {
			b->rep.edges_left_out++;   /* a case with nothing on the map */
		}
	}
	/* the log's edges the map does not have: not between kept activities,
	 * or between nodes with no flow (an edge within a block is the block) */
	for (i = 0; i < b->dfg.cap; i++) {
		uint32_t x = PAIR_FROM(b->dfg.s[i].key), y = PAIR_TO(b->dfg.s[i].key);

		if (b->dfg.s[i].key != UINT64_MAX &&
		    (!b->acts[x].kept || !b->acts[y].kept ||
		     (!pairs_get(&b->pdfg, b->node[x], b->node[y]) &&
		      (b->node[x] != b->node[y] || b->node[x] == x))))
			b->rep.edges_left_out++;
	}
	return STATUS_OK;
}

/* The mean place of node x (or of activity x when by_node is false) on
 * the cases' paths over the kept activities. */
static double
mean_position(const struct build *b, uint32_t x, bool by_node)
{
	double sum = 0;
	size_t n = 0, c, i, k;

	for (c = 0; c < b->el->cases.n; c++)
		for (i = b->case_first[c], k = 0; i < b->case_first[c + 1]; i++) {
			uint32_t a = b->in[i].act;

			if (!b->acts[a].kept)
				continue;
			if ((by_node ? b->node[a] : a) == x) {
				sum += (double)k;
				n++;
			}
			k++;
		}
	return n ? sum / (double)n : 0;
}

struct pos {
	uint32_t act;
	double pos;
};

static int
cmp_pos(const void *x, const void *y)
{
	const struct pos *a = x, *b = y;

	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return a->act < b->act ? -1 : a->act > b->act;
}

/* The map's order of its nodes: the dominant path from the start (at each
 * step the heaviest edge to a node not yet placed, or to the end), then
 * the other nodes by their mean position in the paths; a block's members
 * by theirs. Every kept activity gets its key's number (step). */
static enum status
order_steps(struct build *b)
{
	struct evlog *el = b->el;
	size_t nn = el->acts.n + b->nblocks, i, g, nrest = 0, key;
	struct pos *rest;
	uint32_t cur = EV_NONE;

	if (!(b->order = malloc((nn ? nn : 1) * sizeof *b->order)) ||
	    !(rest = malloc((nn ? nn : 1) * sizeof *rest)))
		return STATUS_NOMEM;
	for (;;) {
		size_t best = cur == EV_NONE ? 0 : b->acts[cur].ends;
		uint32_t next = EV_NONE;

		if (cur == EV_NONE) {
			for (i = 0; i < nn; i++)
				if (is_node(b, i) && b->acts[i].starts > best) {
					best = b->acts[i].starts;
					next = (uint32_t)i;
				}
		} else {
			for (i = 0; i < b->pdfg.cap; i++) {
				const struct pair_slot *s = &b->pdfg.s[i];
				uint32_t to = PAIR_TO(s->key);

				if (s->key == UINT64_MAX || PAIR_FROM(s->key) != cur ||
				    b->acts[to].step != SIZE_MAX)
					continue;
				if (s->n > best || (s->n == best && next != EV_NONE && to < next)) {
					best = s->n;
					next = to;
				}
			}
		}
		if (next == EV_NONE)
			break;
		b->acts[next].step = b->norder;
		b->order[b->norder++] = next;
		cur = next;
	}
	for (i = 0; i < nn; i++)
		if (is_node(b, i) && b->acts[i].step == SIZE_MAX)
			rest[nrest++] = (struct pos){ (uint32_t)i, mean_position(b, (uint32_t)i, true) };
	qsort(rest, nrest, sizeof *rest, cmp_pos);
	for (i = 0; i < nrest; i++) {
		b->acts[rest[i].act].step = b->norder;
		b->order[b->norder++] = rest[i].act;
	}
	/* each block's members in order, numbered after the nodes */
	key = b->norder;
	for (g = 0; g < b->nblocks; g++) {
		const struct act_info *a = &b->acts[el->acts.n + g];
		uint32_t *m = b->gmem + a->gfirst;

		for (i = 0; i < a->gn; i++)
			rest[i] = (struct pos){ m[i], mean_position(b, m[i], false) };
		qsort(rest, a->gn, sizeof *rest, cmp_pos);
		for (i = 0; i < a->gn; i++) {
			m[i] = rest[i].act;
			b->acts[m[i]].step = key++;
		}
	}
	for (i = 0; i < el->acts.n; i++)
		b->nkept += b->acts[i].kept;
	free(rest);
	return STATUS_OK;
}

/* Each kept activity's lane: the lane value of most of its instances. */
static enum status
choose_lanes(struct build *b)
{
	size_t i;

	for (i = 0; i < b->nin; i++)
		if (b->in[i].lane != EV_NONE && b->acts[b->in[i].act].kept &&
		    pairs_add(&b->lanes, b->in[i].act, b->in[i].lane, 1) < 0)
			return STATUS_NOMEM;
	for (i = 0; i < b->el->acts.n; i++)
		b->acts[i].lane = EV_NONE;
	{
		size_t *best = calloc(b->el->acts.n + 1, sizeof *best);

		if (!best)
			return STATUS_NOMEM;
		for (i = 0; i < b->lanes.cap; i++) {
			const struct pair_slot *s = &b->lanes.s[i];
			uint32_t a, l;

			if (s->key == UINT64_MAX)
				continue;
			a = PAIR_FROM(s->key);
			l = PAIR_TO(s->key);
			if (s->n > best[a] || (s->n == best[a] && l < b->acts[a].lane)) {
				best[a] = s->n;
				b->acts[a].lane = l;
			}
		}
		free(best);
	}
	return STATUS_OK;
}

/* Each lane's capacity (cap, indexed by lane name, zeroed by the caller):
 * the most instances of its steps that ran at once; in one pass over the
 * instances and one radix sort of their starts and ends, each a key of
 * lane, time since the first start, and 1 for a start (so an end sorts
 * before a start at the same moment). Nothing without start times
 * (unlimited). */
static enum status
lane_capacities(const struct build *b, int *cap)
{
	uint64_t *t;
	int64_t t0 = INT64_MAX;
	size_t n = 0, i;
	int cur = 0;

	if (!b->split)
		return STATUS_OK;
	for (i = 0; i < b->nin; i++)
		if (b->in[i].start != EV_NOTIME && b->in[i].start < t0)
			t0 = b->in[i].start;
	/* the keys, then as much room for the sort; in huge pages */
	if (!(t = vec_zalloc(b->nin * 4 + 1, sizeof *t)))
		return STATUS_NOMEM;
	for (i = 0; i < b->nin; i++) {
		const struct inst *in = &b->in[i];
		uint64_t lane = b->acts[in->act].lane;

		/* times within 2^42 ms (139 years) of the first; lanes below 2^21 */
		if (in->start == EV_NOTIME || !b->acts[in->act].kept || lane == EV_NONE ||
		    in->end <= in->start || (uint64_t)(in->end - t0) >= (uint64_t)1 << 42 ||
		    lane >= (uint64_t)1 << 21)
			continue;
		t[n++] = lane << 43 | (uint64_t)(in->start - t0) << 1 | 1;
		t[n++] = lane << 43 | (uint64_t)(in->end - t0) << 1;
	}
	sort_u64_room(t, t + n, n);
	for (i = 0; i < n; i++) {
		uint32_t lane = (uint32_t)(t[i] >> 43);

		if (i && lane != (uint32_t)(t[i - 1] >> 43))
			cur = 0;
		cur += (t[i] & 1) ? 1 : -1;
		if (cur > cap[lane])
			cap[lane] = cur;
	}
	vec_free(t, b->nin * 4 + 1, sizeof *t);
	return STATUS_OK;
}

/* --- emitting ----------------------------------------------------------------------- */

static const char *
fmt_dur(double s, char *buf, size_t size)
{
	return duration_format(round(s), buf, size);
}

static double
mean_of(const double *v, size_t n)
{
	return log_mean(v, n);
}

/* The step of a kept activity, its times fitted. */
static enum status
emit_step(struct build *b, uint32_t act, struct err *err)
{
	struct evlog *el = b->el;
	struct act_info *a = &b->acts[act];
	struct step s;
	char key[32], note[NOTE_MAX], x[DIST_TEXT_MAX], y[DIST_TEXT_MAX];
	size_t len = 0;
	enum status st;

	step_init(&s);
	free(s.name);
	s.name = el->acts.s[act];
	if (!sort_doubles(a->work, a->nwork) || !sort_doubles(a->wait, a->nwait))
		return err_set(err, STATUS_NOMEM, "out of memory");
	s.work = dist_fit(a->work, a->nwork, NULL);
	s.wait = dist_fit(a->wait, a->nwait, NULL);
	len += (size_t)snprintf(note + len, sizeof note - len,
	                        "Measured in the log: %zu runs in %zu cases", a->visits,
	                        a->visits - a->rework);
	if (b->split && a->nwork)
		len += (size_t)snprintf(note + len, sizeof note - len, "; work mean %s, wait before "
		                        "mean %s", fmt_dur(mean_of(a->work, a->nwork), x, sizeof x),
		                        fmt_dur(mean_of(a->wait, a->nwait), y, sizeof y));
	else
		len += (size_t)snprintf(note + len, sizeof note - len, "; time since the previous "
		                        "step mean %s. Completion times only: the wait is wait and "
		                        "work together, the log cannot split them",
		                        fmt_dur(mean_of(a->wait, a->nwait), y, sizeof y));
	if (a->rework && len < sizeof note)
		len += (size_t)snprintf(note + len, sizeof note - len, ". Repeated: %.0f %% of its "
		                        "runs are rework (a loop back to it)",
		                        100.0 * (double)a->rework / (double)a->visits);
	if (b->node[act] != act && len < sizeof note)
		len += (size_t)snprintf(note + len, sizeof note - len, ". Parallel work: in a "
		                        "parallel block, its wait counted from the block's split");
	else if (a->par_n && len < sizeof note)
		len += (size_t)snprintf(note + len, sizeof note - len, ". Overlaps '%s' in time "
		                        "%zu times (too seldom for parallel work: the map runs "
		                        "them one after the other)", el->acts.s[a->par_with], a->par_n);
	if (len < sizeof note)
		snprintf(note + len, sizeof note - len, ".");
	s.note = note;
	snprintf(key, sizeof key, "a%zu", a->step);
	st = b->el->sink->ops->step(el->sink->ctx, key,
	                            a->lane != EV_NONE ? el->names.s[a->lane] : NULL, &s, err);
	s.name = NULL;
	s.note = NULL;
	step_done(&s);
	return st;
}

/* A parallel block's split (or join) and, for the split, the flows to its
 * members and from them to the join. */
static enum status
emit_gateway(struct build *b, size_t g, bool join, struct err *err)
{
	struct evlog *el = b->el;
	const struct act_info *a = &b->acts[el->acts.n + g];
	struct step s;
	char key[48], to[32], note[NOTE_MAX], name[] = "Parallel split", jname[] = "Parallel join";
	struct flow f = { .prob = -1 };
	size_t len = 0, i;
	enum status st;

	step_init(&s);
	free(s.name);
	s.name = join ? jname : name;
	s.type = STEP_PARALLEL;
	len += (size_t)snprintf(note + len, sizeof note - len, "%s", join ? "Waits for the "
	                        "parallel work to end: " : "Parallel work measured in the log: ");
	for (i = 0; i < a->gn && len < sizeof note; i++)
		len += (size_t)snprintf(note + len, sizeof note - len, "%s'%s'", i ? ", " : "",
		                        el->acts.s[b->gmem[a->gfirst + i]]);
	if (len < sizeof note)
		snprintf(note + len, sizeof note - len, join ? "." : " overlap in time within "
		         "cases (each two in at least %zu of the %zu cases that have both); %zu "
		         "runs of the block.", a->g_overlap, a->g_together, a->visits);
	s.note = note;
	snprintf(key, sizeof key, "g%zu%s", g, join ? "j" : "s");
	st = el->sink->ops->step(el->sink->ctx, key, NULL, &s, err);
	s.name = NULL;
	s.note = NULL;
	step_done(&s);
	if (join)
		return st;
	for (i = 0; i < a->gn && st == STATUS_OK; i++) {
		snprintf(to, sizeof to, "a%zu", b->acts[b->gmem[a->gfirst + i]].step);
		st = el->sink->ops->flow(el->sink->ctx, key, to, &f, err);
		snprintf(key, sizeof key, "g%zuj", g);
		if (st == STATUS_OK)
			st = el->sink->ops->flow(el->sink->ctx, to, key, &f, err);
		snprintf(key, sizeof key, "g%zus", g);
	}
	return st;
}

/* The key of node n as a flow's source (out) or target. */
static const char *
node_key(const struct build *b, uint32_t n, bool out, char *buf, size_t size)
{
	if (n >= b->el->acts.n)
		snprintf(buf, size, "g%zu%s", (size_t)(n - b->el->acts.n), out ? "j" : "s");
	else
		snprintf(buf, size, "a%zu", b->acts[n].step);
	return buf;
}

static enum status
emit_flow(struct build *b, uint32_t from, uint32_t to, size_t n, size_t out,
          struct err *err)
{
	struct flow f = { .prob = out ? (double)n / (double)out : 1 };
	char x[32] = "start", y[32] = "end";

	if (from != EV_NONE)
		node_key(b, from, true, x, sizeof x);
	if (to != EV_NONE)
		node_key(b, to, false, y, sizeof y);
	return b->el->sink->ops->flow(b->el->sink->ctx, x, y, &f, err);
}

static enum status
emit(struct build *b, struct err *err)
{
	struct evlog *el = b->el;
	const struct sink_ops *ops = el->sink->ops;
	void *ctx = el->sink->ctx;
	char name[512], desc[1024], x[DIST_TEXT_MAX], y[DIST_TEXT_MAX];
	double *gaps = NULL;
	size_t i, k, ng = 0, with_path = 0;
	int64_t *starts = NULL;
	bool *lane_done = NULL;
	int *cap = NULL;
	enum status st;
	struct step s;
	char m_name[] = "case duration", start_name[] = "Start", end_name[] = "End";
	struct measure m = { .name = m_name, .clock = CLOCK_PROCESS };

	snprintf(desc, sizeof desc, "Made from the event log %s: %zu cases, %zu events, "
	         "%zu activities (%zu on the map, %.0f %% of the events), %zu variants. "
	         "Case duration measured: mean %s, median %s. %s", el->file, b->sum.cases,
	         b->sum.events, b->sum.activities, b->nkept, log_events_on_map_pct(&b->sum),
	         b->sum.variants, fmt_dur(b->rep.case_mean_s, x, sizeof x),
	         fmt_dur(b->rep.case_p50_s, y, sizeof y),
	         b->split ? "Work and wait measured apart (start and complete times)."
	                  : "Completion times only: each step's wait is its wait and work "
	                    "together, the log cannot split them.");
	if ((st = ops->process(ctx, NULL, evlog_process_name(el, name, sizeof name), desc,
	                       err)) != STATUS_OK)
		return st;
	/* the arrival pattern: the gaps between case starts */
	starts = malloc((el->cases.n ? el->cases.n : 1) * sizeof *starts);
	gaps = malloc((el->cases.n ? el->cases.n : 1) * sizeof *gaps);
	lane_done = calloc(el->names.n + 1, 1);
	cap = calloc(el->names.n + 1, sizeof *cap);
	if (!starts || !gaps || !lane_done || !cap || lane_capacities(b, cap) != STATUS_OK) {
		st = err_set(err, STATUS_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < el->cases.n; i++)
		starts[i] = b->case_t0[i];
	{
		double *t = gaps;

		for (i = 0; i < el->cases.n; i++)
			t[i] = (double)starts[i];
		if (!sort_doubles(t, el->cases.n)) {
			st = err_set(err, STATUS_NOMEM, "out of memory");
			goto out;
		}
		for (i = 1; i < el->cases.n; i++)
			t[ng++] = (t[i] - t[i - 1]) / 1000;
		if (!sort_doubles(t, ng)) {
			st = err_set(err, STATUS_NOMEM, "out of memory");
			goto out;
		}
	}
	if (ng && ops->arrival) {
		struct dist d = dist_fit(gaps, ng, NULL);

		if ((st = ops->arrival(ctx, &d, err)) != STATUS_OK)
			goto out;
	}
	/* lanes, in the order of the steps */
	for (i = 0; i < b->norder; i++) {
		uint32_t n = b->order[i];
		size_t nm = n < el->acts.n ? 1 : b->acts[n].gn;

		for (k = 0; k < nm; k++) {
			uint32_t act = n < el->acts.n ? n : b->gmem[b->acts[n].gfirst + k];
			uint32_t l = b->acts[act].lane;
			struct lane ln = { .stage = STAGE_OFFSTAGE };

			if (l == EV_NONE || lane_done[l])
				continue;
			lane_done[l] = true;
			ln.name = el->names.s[l];
			ln.capacity = cap[l];
			if ((st = ops->lane(ctx, ln.name, &ln, err)) != STATUS_OK)
				goto out;
		}
	}
	/* steps: start, the activities, end */
	step_init(&s);
	free(s.name);
	s.name = start_name;
	s.type = STEP_START;
	st = ops->step(ctx, "start", NULL, &s, err);
	for (i = 0; i < b->norder && st == STATUS_OK; i++) {
		uint32_t n = b->order[i];

		if (n < el->acts.n) {
			st = emit_step(b, n, err);
			continue;
		}
		st = emit_gateway(b, n - el->acts.n, false, err);
		for (k = 0; k < b->acts[n].gn && st == STATUS_OK; k++)
			st = emit_step(b, b->gmem[b->acts[n].gfirst + k], err);
		if (st == STATUS_OK)
			st = emit_gateway(b, n - el->acts.n, true, err);
	}
	s.name = end_name;
	s.type = STEP_END;
	if (st == STATUS_OK)
		st = ops->step(ctx, "end", NULL, &s, err);
	s.name = NULL;
	step_done(&s);
	if (st != STATUS_OK)
		goto out;
	/* flows with their measured frequencies */
	for (i = 0; i < b->norder; i++)
		with_path += b->acts[b->order[i]].starts;
	for (i = 0; i < b->norder && st == STATUS_OK; i++)
		if (b->acts[b->order[i]].starts)
			st = emit_flow(b, EV_NONE, b->order[i], b->acts[b->order[i]].starts,
			               with_path, err);
	for (i = 0; i < b->pdfg.cap && st == STATUS_OK; i++) {
		const struct pair_slot *p = &b->pdfg.s[i];

		if (p->key != UINT64_MAX)
			st = emit_flow(b, PAIR_FROM(p->key), PAIR_TO(p->key), p->n,
			               b->acts[PAIR_FROM(p->key)].out, err);
	}
	for (i = 0; i < b->norder && st == STATUS_OK; i++) {
		const struct act_info *a = &b->acts[b->order[i]];

		if (a->ends)
			st = emit_flow(b, b->order[i], EV_NONE, a->ends, a->out, err);
	}
	if (st == STATUS_OK && ops->measure)
		st = ops->measure(ctx, "start", "end", &m, err);
	if (st == STATUS_OK && ops->log)
		st = ops->log(ctx, &b->sum, err);
out:
	free(starts);
	free(gaps);
	free(lane_done);
	free(cap);
	return st;
}

/* --- the whole build ------------------------------------------------------------------ */

static enum status
summarise(struct build *b)
{
	struct evlog *el = b->el;
	bool *seen = calloc(el->names.n + 1, 1);
	size_t i;

	if (!seen)
		return STATUS_NOMEM;
	for (i = 0; i < el->n; i++)
		if (el->ev[i].res != EV_NONE && !seen[el->ev[i].res]) {
			seen[el->ev[i].res] = true;
			b->sum.resources++;
		}
	free(seen);
	b->sum.cases = el->cases.n;
	b->sum.events = el->n;
	b->sum.activities = el->acts.n;
	b->sum.split = b->split;
	if (el->cases.n && !(b->sum.durations = malloc(el->cases.n * sizeof *b->sum.durations)))
		return STATUS_NOMEM;
	for (i = 0; i < el->cases.n; i++)
		b->sum.durations[i] = (double)(b->case_t1[i] - b->case_t0[i]) / 1000;
	b->sum.ndurations = el->cases.n;
	if (!sort_doubles(b->sum.durations, b->sum.ndurations))
		return STATUS_NOMEM;
	b->rep.case_mean_s = log_mean(b->sum.durations, b->sum.ndurations);
	b->rep.case_p50_s = log_quantile(b->sum.durations, b->sum.ndurations, 0.5);
	b->rep.case_p90_s = log_quantile(b->sum.durations, b->sum.ndurations, 0.9);
	b->rep.cases = b->sum.cases;
	b->rep.events = b->sum.events;
	b->rep.activities = b->sum.activities;
	b->rep.resources = b->sum.resources;
	b->rep.variants = b->sum.variants;
	b->rep.top_variant_cases = b->sum.top_variant_cases;
	b->rep.bad_events = el->bad;
	b->rep.split = b->split;
	b->rep.naive_times = el->naive;
	return STATUS_OK;
}

/* Say what the map leaves out, never silently. */
static void
warn_left_out(struct build *b)
{
	struct evlog *el = b->el;
	char list[600];
	size_t len = 0, i, shown = 0;

	if (el->naive)
		evlog_warn(el, 4, 0, "times without a UTC offset: read as the local time of the "
		           "log (a daylight-saving change inside a case shifts its durations "
		           "by an hour)");
	if (b->others)
		evlog_warn(el, 4, 0, "%zu events with a lifecycle transition other than start "
		           "and complete (schedule, suspend...): not used for times or paths",
		           b->others);
	if (!b->rep.activities_left_out)
		return;
	list[0] = '\0';
	for (i = 0; i < el->acts.n && len < sizeof list - 64; i++)
		if (!b->acts[i].kept && shown++ < 8)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'",
			                        len ? ", " : "", el->acts.s[i]);
	evlog_warn(el, 4, 0, "%zu activities with %zu events (%.1f %%) left off the map by the "
	           "coverage (%g %% of the events; --coverage 100 keeps them): %s%s",
	           b->rep.activities_left_out, b->rep.events_left_out,
	           el->n ? 100.0 * (double)b->rep.events_left_out / (double)el->n : 0,
	           el->opt && el->opt->coverage > 0 ? el->opt->coverage : EVLOG_DEFAULT_COVERAGE,
	           list, shown > 8 ? ", ..." : "");
}

static void
build_done(struct build *b)
{
	size_t i;

	vec_free(b->samples, b->nsamples, sizeof *b->samples);
	free(b->acts);
	vec_free(b->in, b->cap_in, sizeof *b->in);
	free(b->case_first);
	free(b->case_t0);
	free(b->case_t1);
	free(b->order);
	free(b->node);
	free(b->gmem);
	free(b->par_cases.s);
	free(b->dfg.s);
	free(b->pdfg.s);
	free(b->par.s);
	free(b->lanes.s);
	for (i = 0; i < b->sum.ntop; i++)
		free(b->sum.top[i].acts);
	free(b->sum.top);
	free(b->sum.durations);
}

enum status
evlog_build(struct evlog *el, struct err *err)
{
	struct build b;
	enum status st;
	size_t i;

	memset(&b, 0, sizeof b);
	b.el = el;
	b.err = err;
	if (!el->any_time)
		return err_set(err, STATUS_INPUT, "%s: no event has a time (a time:timestamp "
		               "attribute or a timestamp column): an event log needs the times "
		               "of its events%s", el->file,
		               el->n || el->bad ? "" : "; no event was read at all");
	if (!el->n)
		return err_set(err, STATUS_INPUT, "%s: no event could be read (each lacks a "
		               "usable time, case or activity: see the warnings)", el->file);
	/* the activities, then room for the parallel blocks (two members at least) */
	if (!(b.acts = calloc(el->acts.n + el->acts.n / 2 + 1, sizeof *b.acts))) {
		st = STATUS_NOMEM;
		goto out;
	}
	for (i = 0; i < el->acts.n; i++)
		b.acts[i].step = SIZE_MAX;
	if ((st = discover_pair_events(&b)) != STATUS_OK || (st = discover_count_variants(&b)) != STATUS_OK ||
	    (st = discover_count_dfg(&b)) != STATUS_OK || (st = discover_act_figures(&b)) != STATUS_OK ||
	    (st = choose_activities(&b)) != STATUS_OK || (st = find_parallel(&b)) != STATUS_OK ||
	    (st = project(&b)) != STATUS_OK ||
	    (st = order_steps(&b)) != STATUS_OK || (st = choose_lanes(&b)) != STATUS_OK ||
	    (st = summarise(&b)) != STATUS_OK)
		goto out;
	if (!b.nin) {
		st = err_set(err, STATUS_INPUT, "%s: no activity was completed (%zu start events, "
		             "none with its complete): nothing to map", el->file, b.starts);
		goto out;
	}
	b.rep.steps = b.nkept;
	warn_left_out(&b);
	evlog_warn_flush(el);
	st = emit(&b, err);
out:
	if (st == STATUS_NOMEM)
		err_set(err, st, "%s: out of memory", el->file);
	if (el->opt && el->opt->report) {
		if (st == STATUS_OK) {
			*el->opt->report = b.rep;
		} else {
			evlog_report_done(&b.rep);
		}
	} else {
		evlog_report_done(&b.rep);
	}
	build_done(&b);
	return st;
}
