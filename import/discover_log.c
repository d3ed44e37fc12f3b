/*
 * discover_log.c - the log's own figures, the first half of the discovery
 * (discover_int.h): starts and completions paired into activity instances,
 * the cases' variants, the directly-follows relation, each activity's
 * times and the activities that overlap in time; the figures PM4Py gives,
 * for the report and the tests. discover.c makes the map from them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/discover_int.h"
#include "import/vec.h"
#include "model/fit.h"

/* --- pair counts ------------------------------------------------------------------- */

/* The slot of key in p (cap > 0): its own, or the empty one it would take. */
static size_t
pairs_find(const struct pairs *p, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15u) >> 20) & (p->cap - 1);

	while (p->s[i].key != UINT64_MAX && p->s[i].key != key)
		i = (i + 1) & (p->cap - 1);
	return i;
}

size_t
pairs_get(const struct pairs *p, uint32_t a, uint32_t b)
{
	uint64_t key = (uint64_t)a << 32 | b;
	size_t i;

	if (!p->cap)
		return 0;
	i = pairs_find(p, key);
	return p->s[i].key == key ? p->s[i].n : 0;
}

int
pairs_add(struct pairs *p, uint32_t a, uint32_t b, size_t n)
{
	uint64_t key = (uint64_t)a << 32 | b;
	size_t i;

	if ((p->n + 1) * 2 > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256, j;
		struct pair_slot *s = malloc(cap * sizeof *s);

		if (!s)
			return -1;
		for (j = 0; j < cap; j++)
			s[j].key = UINT64_MAX;
		for (j = 0; j < p->cap; j++)
			if (p->s[j].key != UINT64_MAX) {
				size_t k = (size_t)((p->s[j].key * 0x9e3779b97f4a7c15u) >> 20) & (cap - 1);

				while (s[k].key != UINT64_MAX)
					k = (k + 1) & (cap - 1);
				s[k] = p->s[j];
			}
		free(p->s);
		p->s = s;
		p->cap = cap;
	}
	i = pairs_find(p, key);
	if (p->s[i].key == UINT64_MAX) {
		p->s[i].key = key;
		p->s[i].n = 0;
		p->n++;
	}
	p->s[i].n += n;
	return 0;
}


/* --- pairing --------------------------------------------------------------------- */

struct ev_ord {
	int64_t t;
	uint32_t cs, i;
};

static int
cmp_ev(const void *x, const void *y)
{
	const struct ev_ord *a = x, *b = y;

	if (a->cs != b->cs)
		return a->cs < b->cs ? -1 : 1;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* A case's events by time, ties in file order: insertion sort for the
 * usual few (most often in order already), qsort past that. */
static void
sort_case(struct ev_ord *o, size_t n)
{
	size_t i, j;

	if (n > 32) {
		qsort(o, n, sizeof *o, cmp_ev);
		return;
	}
	for (i = 1; i < n; i++) {
		struct ev_ord x = o[i];

		for (j = i; j > 0 && cmp_ev(&o[j - 1], &x) > 0; j--)
			o[j] = o[j - 1];
		o[j] = x;
	}
}

/* The lane value of an event by the options (role, group or resource). */
static uint32_t
lane_of(const struct build *b, const struct ev *e)
{
	const struct evlog *el = b->el;
	enum evlog_lane_by by = el->opt ? el->opt->lane_by : EVLOG_LANE_AUTO;

	if (by == EVLOG_LANE_AUTO)
		by = el->any_role ? EVLOG_LANE_ROLE : el->any_group ? EVLOG_LANE_GROUP
		   : el->any_res ? EVLOG_LANE_RESOURCE : EVLOG_LANE_NONE;
	switch (by) {
	case EVLOG_LANE_ROLE: return e->role;
	case EVLOG_LANE_GROUP: return e->group;
	case EVLOG_LANE_RESOURCE: return e->res;
	default: return EV_NONE;
	}
}

static int
cmp_inst_begin(const void *x, const void *y)
{
	const struct inst *a = x, *b = y;
	int64_t s = inst_begin(a), t = inst_begin(b);

	if (s != t)
		return s < t ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* A case's instances by cmp_inst_begin: insertion sort for the usual few
 * (most often nearly in order), qsort past that. */
static void
sort_insts(struct inst *in, size_t n)
{
	size_t i, j;

	if (n > 64) {
		qsort(in, n, sizeof *in, cmp_inst_begin);
		return;
	}
	for (i = 1; i < n; i++) {
		struct inst x = in[i];

		for (j = i; j > 0 && cmp_inst_begin(&in[j - 1], &x) > 0; j--)
			in[j] = in[j - 1];
		in[j] = x;
	}
}

/* Sort the events by case and time (stably) and pair starts with
 * completions into instances, in the same order. */
enum status
discover_pair_events(struct build *b)
{
	struct evlog *el = b->el;
	struct ev_ord *o = vec_zalloc(el->n + 1, sizeof *o);   /* huge pages: read at random */
	uint32_t *pend = NULL;       /* pending starts of the current case (event numbers) */
	size_t npend = 0, cpend = 0, i, ncases = el->cases.n, cin = 0, next_case = 0;
	enum status st = STATUS_OK;

	b->case_first = calloc(ncases + 1, sizeof *b->case_first);
	b->case_t0 = malloc((ncases ? ncases : 1) * sizeof *b->case_t0);
	b->case_t1 = malloc((ncases ? ncases : 1) * sizeof *b->case_t1);
	if (!o || !b->case_first || !b->case_t0 || !b->case_t1) {
		vec_free(o, el->n + 1, sizeof *o);
		return STATUS_NOMEM;
	}
	for (i = 0; i < ncases; i++) {
		b->case_t0[i] = INT64_MAX;
		b->case_t1[i] = INT64_MIN;
	}
	/* by case: a counting sort (stable: file order), then each case by
	 * time, ties in file order */
	for (i = 0; i < el->n; i++)
		b->case_first[el->ev[i].cs + 1]++;
	for (i = 0; i < ncases; i++)
		b->case_first[i + 1] += b->case_first[i];
	for (i = 0; i < el->n; i++)
		o[b->case_first[el->ev[i].cs]++] = (struct ev_ord){ el->ev[i].t, el->ev[i].cs,
		                                                     (uint32_t)i };
	for (i = ncases; i > 0; i--)
		b->case_first[i] = b->case_first[i - 1];
	b->case_first[0] = 0;
	for (i = 0; i < ncases; i++)
		sort_case(o + b->case_first[i], b->case_first[i + 1] - b->case_first[i]);
	/* the instances, at most one an event, in huge pages; case_first now
	 * over them, filled as they come (by case) */
	if (!(b->in = vec_zalloc(el->n + 1, sizeof *b->in))) {
		vec_free(o, el->n + 1, sizeof *o);
		return STATUS_NOMEM;
	}
	cin = el->n + 1;
	for (i = 0; i < el->n; i++) {
		const struct ev *e = &el->ev[o[i].i];
		bool last = i + 1 == el->n || o[i + 1].cs != e->cs;
		size_t k;

		if (e->t < b->case_t0[e->cs])
			b->case_t0[e->cs] = e->t;
		if (e->t0 != EV_NOTIME && e->t0 < b->case_t0[e->cs])
			b->case_t0[e->cs] = e->t0;
		if (e->t > b->case_t1[e->cs])
			b->case_t1[e->cs] = e->t;
		b->acts[e->act].events++;
		if (e->life == LIFE_START) {
			b->starts++;
			if (vec_grow(&pend, &cpend, npend, sizeof *pend) < 0) {
				st = STATUS_NOMEM;
				break;
			}
			pend[npend++] = o[i].i;
		} else if (e->life == LIFE_OTHER) {
			b->others++;
		} else {
			struct inst in = { e->t0, e->t, e->cs, e->act, lane_of(b, e), e->line,
			                   (uint32_t)b->nin };

			b->completes++;
			for (k = 0; k < npend; k++) {
				const struct ev *s = &el->ev[pend[k]];

				if (s->act == e->act && (e->inst == EV_NONE || s->inst == EV_NONE ||
				                         s->inst == e->inst)) {
					in.start = s->t;
					if (in.lane == EV_NONE)
						in.lane = lane_of(b, s);
					memmove(pend + k, pend + k + 1, (npend - k - 1) * sizeof *pend);
					npend--;
					break;
				}
			}
			if (in.start != EV_NOTIME)
				b->split = true;
			while (next_case <= e->cs)
				b->case_first[next_case++] = b->nin;
			b->in[b->nin++] = in;
			b->acts[e->act].insts++;
		}
		if (last) {
			for (k = 0; k < npend; k++) {
				const struct ev *s = &el->ev[pend[k]];

				b->unpaired++;
				evlog_warn(el, 5, s->line, "start of '%s' in case '%s' never completed: "
				           "left out", el->acts.s[s->act], el->cases.s[s->cs]);
			}
			npend = 0;
		}
	}
	while (next_case <= ncases)
		b->case_first[next_case++] = b->nin;
	/* A case's path: its instances in order of their start (their
	 * completion when they have no start), ties in order of completion:
	 * as PM4Py orders an interval log. */
	for (i = 0; st == STATUS_OK && b->split && i < ncases; i++)
		sort_insts(b->in + b->case_first[i], b->case_first[i + 1] - b->case_first[i]);
	free(pend);
	vec_free(o, el->n + 1, sizeof *o);
	/* the array may be mapped: keep its capacity for vec_free */
	b->rep.starts = b->starts;
	b->rep.completes = b->completes;
	b->rep.other_lifecycle = b->others;
	b->rep.unpaired_starts = b->unpaired;
	b->cap_in = cin;
	return st;
}

/* --- variants and the directly-follows relation ---------------------------------------- */

/* A case by the hash of its path, for grouping the cases into variants. */
struct case_hash {
	uint64_t h;
	uint32_t c;
};

static int
cmp_case_hash(const void *x, const void *y)
{
	const struct case_hash *a = x, *b = y;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return a->c < b->c ? -1 : a->c > b->c;
}

static uint64_t
path_hash(const struct build *b, uint32_t c)
{
	uint64_t h = 1469598103934665603u;
	size_t i;

	for (i = b->case_first[c]; i < b->case_first[c + 1]; i++)
		h = (h ^ b->in[i].act) * 1099511628211u;
	return (h ^ (b->case_first[c + 1] - b->case_first[c])) * 0x9e3779b97f4a7c15u;
}

static bool
same_path(const struct build *b, uint32_t c, uint32_t d)
{
	size_t i = b->case_first[c], j = b->case_first[d], n = b->case_first[c + 1] - i;

	if (n != b->case_first[d + 1] - j)
		return false;
	for (; n; n--, i++, j++)
		if (b->in[i].act != b->in[j].act)
			return false;
	return true;
}

struct variant {
	uint32_t first_case;
	size_t cases;
};

static int
cmp_variant(const void *x, const void *y)
{
	const struct variant *a = x, *b = y;

	if (a->cases != b->cases)
		return a->cases > b->cases ? -1 : 1;
	return a->first_case < b->first_case ? -1 : a->first_case > b->first_case;
}

/* The activities of case c, each followed by '\n' (malloc'd). */
static char *
case_path(const struct build *b, uint32_t c)
{
	size_t len = 1, i;
	char *s, *p;

	for (i = b->case_first[c]; i < b->case_first[c + 1]; i++)
		len += strlen(b->el->acts.s[b->in[i].act]) + 1;
	if (!(s = p = malloc(len)))
		return NULL;
	for (i = b->case_first[c]; i < b->case_first[c + 1]; i++)
		p += sprintf(p, "%s\n", b->el->acts.s[b->in[i].act]);
	*p = '\0';
	return s;
}

enum status
discover_count_variants(struct build *b)
{
	size_t ncases = b->el->cases.n, i, j, nv = 0, ntop;
	struct case_hash *cs = malloc((ncases ? ncases : 1) * sizeof *cs);
	struct variant *v = malloc((ncases ? ncases : 1) * sizeof *v);

	if (!cs || !v) {
		free(cs);
		free(v);
		return STATUS_NOMEM;
	}
	for (i = 0; i < ncases; i++)
		cs[i] = (struct case_hash){ path_hash(b, (uint32_t)i), (uint32_t)i };
	qsort(cs, ncases, sizeof *cs, cmp_case_hash);
	/* within a run of one hash, the paths that are the same (a collision
	 * of two paths on 64 bits is checked, not assumed away) */
	for (i = 0; i < ncases; i = j) {
		size_t first_v = nv, k;

		for (j = i; j < ncases && cs[j].h == cs[i].h; j++) {
			for (k = first_v; k < nv && !same_path(b, v[k].first_case, cs[j].c); k++)
				;
			if (k == nv)
				v[nv++] = (struct variant){ cs[j].c, 0 };
			v[k].cases++;
		}
	}
	qsort(v, nv, sizeof *v, cmp_variant);
	b->sum.variants = nv;
	b->sum.top_variant_cases = nv ? v[0].cases : 0;
	ntop = nv < LOG_TOP_VARIANTS ? nv : LOG_TOP_VARIANTS;
	if (ntop && !(b->sum.top = calloc(ntop, sizeof *b->sum.top)))
		goto nomem;
	for (i = 0; i < ntop; i++, b->sum.ntop++) {
		b->sum.top[i].cases = v[i].cases;
		if (!(b->sum.top[i].acts = case_path(b, v[i].first_case)))
			goto nomem;
	}
	free(cs);
	free(v);
	return STATUS_OK;
nomem:
	free(cs);
	free(v);
	return STATUS_NOMEM;
}

static int
cmp_edge_fig(const void *x, const void *y)
{
	const struct evlog_edge_figure *a = x, *b = y;
	int c;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	if ((c = strcmp(a->from, b->from)))
		return c;
	return strcmp(a->to, b->to);
}

/* The directly-follows relation of the whole paths, start and end
 * activities, for the summary and the report. */
enum status
discover_count_dfg(struct build *b)
{
	struct evlog *el = b->el;
	size_t c, i, k;
	bool *st = calloc(el->acts.n + 1, 1), *en = calloc(el->acts.n + 1, 1);

	if (!st || !en)
		goto nomem;
	for (c = 0; c < el->cases.n; c++) {
		size_t f = b->case_first[c], l = b->case_first[c + 1];

		if (f == l)
			continue;
		st[b->in[f].act] = en[b->in[l - 1].act] = true;
		for (i = f + 1; i < l; i++)
			if (pairs_add(&b->dfg, b->in[i - 1].act, b->in[i].act, 1) < 0)
				goto nomem;
	}
	for (i = 0; i < el->acts.n; i++) {
		b->rep.start_activities += st[i];
		b->rep.end_activities += en[i];
	}
	b->sum.dfg_edges = b->rep.dfg_edges = b->dfg.n;
	if (b->dfg.n && !(b->rep.edges = calloc(b->dfg.n, sizeof *b->rep.edges)))
		goto nomem;
	for (i = 0, k = 0; i < b->dfg.cap; i++)
		if (b->dfg.s[i].key != UINT64_MAX) {
			struct evlog_edge_figure *e = &b->rep.edges[k++];

			b->rep.nedges = k;
			e->n = b->dfg.s[i].n;
			if (!(e->from = strdup(el->acts.s[PAIR_FROM(b->dfg.s[i].key)])) ||
			    !(e->to = strdup(el->acts.s[PAIR_TO(b->dfg.s[i].key)])))
				goto nomem;
		}
	if (b->rep.nedges)
		qsort(b->rep.edges, b->rep.nedges, sizeof *b->rep.edges, cmp_edge_fig);
	free(st);
	free(en);
	return STATUS_OK;
nomem:
	free(st);
	free(en);
	return STATUS_NOMEM;
}

/* Each activity's mean work, and its mean wait after the previous
 * completion in the case's path (the reference's figures), and the overlaps between activities (parallel work). */
enum status
discover_act_figures(struct build *b)
{
	struct evlog *el = b->el;
	const struct inst **ord = NULL;
	uint64_t *ck = NULL;         /* the pairs overlapping in this case */
	size_t cap = 0, nck = 0, cck = 0, c, i, j;

	for (c = 0; c < el->cases.n; c++) {
		size_t f = b->case_first[c], n = b->case_first[c + 1] - f;

		if (n > cap) {
			free(ord);
			cap = n * 2;
			if (!(ord = malloc(cap * sizeof *ord)))
				goto nomem;
		}
		for (i = 0; i < n; i++)
			ord[i] = &b->in[f + i];
		nck = 0;
		for (i = 0; i < n; i++) {
			struct act_info *a = &b->acts[ord[i]->act];

			if (a->mark != c + 1) {
				a->mark = c + 1;
				a->cases_in++;
			}
			if (b->split) {
				/* in a log with starts, an instance without one took
				 * no time (PM4Py's reading) */
				int64_t begin = inst_begin(ord[i]);

				a->work_sum += (double)(ord[i]->end - begin) / 1000;
				a->work_n++;
				if (i > 0) {
					a->wait_sum += (double)(begin - ord[i - 1]->end) / 1000;
					a->wait_n++;
				}
			}
			if (ord[i]->start != EV_NOTIME) {
				/* overlaps: an earlier instance still running at its start */
				for (j = i > OVERLAP_WINDOW ? i - OVERLAP_WINDOW : 0; j < i; j++) {
					uint32_t x = ord[j]->act, y = ord[i]->act;

					if (ord[j]->end <= ord[i]->start || x == y)
						continue;
					if (pairs_add(&b->par, x, y, 1) < 0 ||
					    vec_grow(&ck, &cck, nck, sizeof *ck) < 0)
						goto nomem;
					ck[nck++] = x < y ? (uint64_t)x << 32 | y : (uint64_t)y << 32 | x;
				}
			}
		}
		/* each pair once per case: sorted (insertion for the usual few) */
		if (nck > 32 && !sort_u64(ck, nck))
			goto nomem;
		for (i = 1; nck <= 32 && i < nck; i++) {
			uint64_t x = ck[i];

			for (j = i; j > 0 && ck[j - 1] > x; j--)
				ck[j] = ck[j - 1];
			ck[j] = x;
		}
		for (i = 0; i < nck; i++)
			if ((i == 0 || ck[i] != ck[i - 1]) &&
			    pairs_add(&b->par_cases, PAIR_FROM(ck[i]), PAIR_TO(ck[i]), 1) < 0)
				goto nomem;
	}
	free(ord);
	vec_free(ck, cck, sizeof *ck);
	ck = NULL;
	if (el->acts.n && !(b->rep.acts = calloc(el->acts.n, sizeof *b->rep.acts)))
		return STATUS_NOMEM;
	for (i = 0; i < el->acts.n; i++, b->rep.nacts++) {
		struct act_info *a = &b->acts[i];
		struct evlog_act_figure *r = &b->rep.acts[i];

		if (!(r->name = strdup(el->acts.s[i])))
			return STATUS_NOMEM;
		r->events = a->events;
		r->work_mean_s = a->work_n ? a->work_sum / (double)a->work_n : NAN;
		r->wait_mean_s = a->wait_n ? a->wait_sum / (double)a->wait_n : NAN;
	}
	/* for each activity, the one it overlaps most */
	for (i = 0; i < b->par.cap; i++)
		if (b->par.s[i].key != UINT64_MAX) {
			uint32_t x = PAIR_FROM(b->par.s[i].key), y = PAIR_TO(b->par.s[i].key);

			if (b->par.s[i].n > b->acts[y].par_n) {
				b->acts[y].par_n = b->par.s[i].n;
				b->acts[y].par_with = x;
			}
			if (b->par.s[i].n > b->acts[x].par_n) {
				b->acts[x].par_n = b->par.s[i].n;
				b->acts[x].par_with = y;
			}
		}
	b->rep.parallel_pairs = b->par.n;
	return STATUS_OK;
nomem:
	free(ord);
	vec_free(ck, cck, sizeof *ck);
	return STATUS_NOMEM;
}

void
evlog_report_done(struct evlog_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nacts; i++)
		free(r->acts[i].name);
	for (i = 0; i < r->nedges; i++) {
		free(r->edges[i].from);
		free(r->edges[i].to);
	}
	free(r->acts);
	free(r->edges);
	r->acts = NULL;
	r->edges = NULL;
	r->nacts = r->nedges = 0;
}
