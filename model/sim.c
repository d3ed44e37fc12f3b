/*
 * sim.c - the discrete-event simulation engine (sim.h describes the model).
 *
 * A run first compiles the process into flat tables (each step's samplers,
 * lane, outgoing edges with cumulative probabilities, join slot and the
 * measures that start or end there), then runs each replication as one
 * event loop over a binary heap of (time, sequence, branch) entries. A
 * branch of a case (a "token") is a small record in a pool; it moves through
 * its steps in tok_go(), a little state machine that only stops where time
 * passes (a wait-before, a queue, a work time), so steps that take no time
 * cost no event. Ties in time are broken by the order events were made,
 * so equal times keep FIFO order and every run is reproducible.
 */
#include "model/sim.h"
#include "model/fit.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/rng.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define NONE32 UINT32_MAX
#define EV_ARRIVAL UINT32_MAX
#define PROGRESS_EVERY 0xffffu

enum { PH_ENTER, PH_ASK, PH_WORK };

struct sstep {
	struct sampler work, wait;
	double err;
	int32_t lane;                /* index in ln, -1 = none */
	int32_t join;                /* join slot, -1 = not a join */
	uint32_t out, nout;          /* edges to[out .. out+nout) */
	uint32_t need;               /* join: incoming flows */
	uint32_t mfrom, nmfrom;      /* measures starting here: mlist[...] */
	uint32_t mto, nmto;          /* measures ending here */
	bool split;                  /* parallel: every branch */
	bool has_wait;
};

struct slane {
	int cap;                     /* INT_MAX = never queues */
	int busy;
	uint32_t *q;                 /* FIFO ring of tokens */
	size_t qcap, qhead, qlen, qmax;
	double last, busy_int, q_int;
};

struct tok {
	double t_reach, t_ask, t_start, wb, work;
	uint32_t cas, step, phase, attempt, branch;
	int32_t trace;
	bool holds;                  /* holds a unit of its lane */
};

struct cas {
	double arrival;
	uint32_t live;               /* branches alive, joins' waiting included */
	uint32_t branches;
	int32_t idx;                 /* counted case number, -1 = warm-up */
	uint64_t visits;
	bool traced;
};

struct ev {
	double t;
	uint32_t tok;
	uint32_t seq;
};

struct sim {
	const struct process *p;
	const struct sim_options *o;
	struct sstep *st;
	size_t nst;
	uint32_t *to;
	double *cum;
	uint32_t *mlist;
	size_t nm, nj;
	size_t *mfrom_idx, *mto_idx; /* per measure: step indices, SIZE_MAX none */
	struct slane *ln;
	size_t nln;
	struct sampler arrival;
	bool no_arrivals;
	uint64_t visit_max;

	/* per replication */
	struct rng arr, svc;
	struct ev *heap;
	size_t nheap, cheap;
	uint32_t seq;
	struct tok *tok;
	uint32_t *tfree;
	size_t ntok, ctok, ntfree;
	struct cas *cas;
	uint32_t *cfree;
	double *mt;                  /* per case slot: 2 * nm times */
	uint32_t *jc;                /* per case slot: nj join counters */
	size_t ncas, ccas, ncfree;
	double t0, t1;               /* observation window */
	size_t generated, completed;
	double first_arrival, last_end;
	unsigned rep;
	uint64_t events;
	int bad;                     /* 1 endless case, 2 out of memory */
	uint32_t bad_step;

	/* across replications */
	double *total;               /* R * N */
	double *mvals;               /* nm * R * N */
	double *acc;                 /* 4 per step: runs, queue, wait, work */
	double *lacc;                /* 3 per lane: busy, queue mean, queue max */
	struct sim_trace_entry *trace;
	size_t ntrace, ctrace;
	double trace_arrival;
};

void
sim_options_init(struct sim_options *o)
{
	memset(o, 0, sizeof *o);
	o->cases = SIM_DEFAULT_CASES;
	o->seed = SIM_DEFAULT_SEED;
	o->replications = SIM_DEFAULT_REPLICATIONS;
	o->warmup_auto = true;
	o->cases_auto = true;
}

double
sim_t975(size_t df)
{
	static const double t[] = {
		NAN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
		2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093,
		2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045,
		2.042
	};
	double z = 1.959964, n;

	if (df < sizeof t / sizeof t[0])
		return t[df];
	/* Cornish-Fisher expansion: within 0.001 of the exact value from 30 on. */
	n = (double)df;
	return z + (z * z * z + z) / (4 * n) +
	       (5 * z * z * z * z * z + 16 * z * z * z + 3 * z) / (96 * n * n);
}

/* --- pools and the heap ---------------------------------------------------- */

static bool
grow(void **a, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 64;
	void *n;

	if (need <= *cap)
		return true;
	while (c < need)
		c *= 2;
	n = realloc(*a, c * size);
	if (!n)
		return false;
	*a = n;
	*cap = c;
	return true;
}

/* Written with & and | rather than && and ||, so the compiler makes it
 * without branches: which of two events comes first is a coin toss the
 * branch predictor loses, and the heap asks it at every level. */
static inline bool
ev_before(const struct ev *a, const struct ev *b)
{
	return (a->t < b->t) | ((a->t == b->t) & ((int32_t)(a->seq - b->seq) < 0));
}

static inline void
push(struct sim *s, double t, uint32_t tok)
{
	struct ev e = { t, tok, s->seq++ };
	size_t i;

	if (s->nheap == s->cheap &&
	    !grow((void **)&s->heap, &s->cheap, s->nheap + 1, sizeof *s->heap)) {
		s->bad = 2;
		return;
	}
	i = s->nheap++;
	while (i > 0) {
		size_t up = (i - 1) / 2;

		if (!ev_before(&e, &s->heap[up]))
			break;
		s->heap[i] = s->heap[up];
		i = up;
	}
	s->heap[i] = e;
}

static inline struct ev
pop(struct sim *s)
{
	struct ev top = s->heap[0], last = s->heap[--s->nheap];
	size_t i = 0, n = s->nheap;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n)
			c += ev_before(&s->heap[c + 1], &s->heap[c]);
		if (!ev_before(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (n)
		s->heap[i] = last;
	return top;
}

static uint32_t
tok_new(struct sim *s, uint32_t cas, uint32_t step)
{
	uint32_t i;
	struct tok *t;

	if (s->ntfree) {
		i = s->tfree[--s->ntfree];
	} else {
		if (s->ntok == s->ctok) {
			size_t c = s->ctok;

			if (!grow((void **)&s->tok, &s->ctok, s->ntok + 1, sizeof *s->tok) ||
			    !grow((void **)&s->tfree, &c, s->ctok, sizeof *s->tfree)) {
				s->bad = 2;
				return NONE32;
			}
		}
		i = (uint32_t)s->ntok++;
	}
	t = &s->tok[i];
	memset(t, 0, sizeof *t);
	t->cas = cas;
	t->step = step;
	t->attempt = 1;
	t->trace = -1;
	return i;
}

static inline void
tok_free(struct sim *s, uint32_t i)
{
	s->tfree[s->ntfree++] = i;
}

static uint32_t
cas_new(struct sim *s)
{
	uint32_t i;

	if (s->ncfree) {
		i = s->cfree[--s->ncfree];
	} else {
		if (s->ncas == s->ccas) {
			size_t c1 = s->ccas, c2, c3;

			c2 = c3 = c1;
			if (!grow((void **)&s->cas, &s->ccas, s->ncas + 1, sizeof *s->cas) ||
			    !grow((void **)&s->cfree, &c1, s->ccas, sizeof *s->cfree) ||
			    !grow((void **)&s->mt, &c2, s->ccas, 2 * (s->nm + 1) * sizeof *s->mt) ||
			    !grow((void **)&s->jc, &c3, s->ccas, (s->nj + 1) * sizeof *s->jc)) {
				s->bad = 2;
				return NONE32;
			}
		}
		i = (uint32_t)s->ncas++;
	}
	memset(&s->cas[i], 0, sizeof s->cas[i]);
	{
		double *m = s->mt + (size_t)i * 2 * (s->nm + 1);
		size_t k;

		for (k = 0; k < 2 * s->nm; k++)
			m[k] = NAN;
	}
	memset(s->jc + (size_t)i * (s->nj + 1), 0, s->nj * sizeof *s->jc);
	return i;
}

/* --- lanes ----------------------------------------------------------------- */

/* Integrate the lane's busy units and queue over the window up to now. */
static inline void
lane_touch(struct sim *s, struct slane *l, double now)
{
	double lo = l->last > s->t0 ? l->last : s->t0;
	double hi = now < s->t1 ? now : s->t1;

	if (hi > lo) {
		l->busy_int += (double)l->busy * (hi - lo);
		l->q_int += (double)l->qlen * (hi - lo);
	}
	l->last = now;
}

static bool
lane_enqueue(struct sim *s, struct slane *l, uint32_t ti)
{
	if (l->qlen == l->qcap) {
		size_t old = l->qcap, k;

		if (!grow((void **)&l->q, &l->qcap, l->qlen + 1, sizeof *l->q)) {
			s->bad = 2;
			return false;
		}
		/* The ring was full: its wrapped part [0, qhead) moves up behind
		 * [qhead, old), which the larger array has room for. */
		for (k = 0; k < l->qhead; k++)
			l->q[old + k] = l->q[k];
	}
	l->q[(l->qhead + l->qlen) % l->qcap] = ti;
	l->qlen++;
	if (l->qlen > l->qmax)
		l->qmax = l->qlen;
	return true;
}

/* --- statistics of a case ---------------------------------------------- */

static void
trace_add(struct sim *s, struct tok *t, const struct cas *c, double now)
{
	struct sim_trace_entry *e;

	if (!grow((void **)&s->trace, &s->ctrace, s->ntrace + 1, sizeof *s->trace)) {
		s->bad = 2;
		return;
	}
	e = &s->trace[s->ntrace];
	memset(e, 0, sizeof *e);
	e->step = t->step;
	e->lane = s->p->steps[t->step]->lane;
	e->reach_s = now - c->arrival;
	e->ask_s = e->start_s = e->end_s = NAN;
	e->attempt = t->attempt;
	e->branch = t->branch;
	t->trace = (int32_t)s->ntrace++;
}

static void
case_done(struct sim *s, uint32_t ci, double now)
{
	struct cas *c = &s->cas[ci];

	if (c->idx >= 0) {
		size_t N = s->o->cases, at = (size_t)s->rep * N + (size_t)c->idx, k;
		const double *m = s->mt + (size_t)ci * 2 * (s->nm + 1);

		s->total[at] = now - c->arrival;
		for (k = 0; k < s->nm; k++) {
			double a = m[2 * k], b = m[2 * k + 1];

			s->mvals[k * s->o->replications * N + at] =
				(!isnan(a) && !isnan(b) && b >= a) ? b - a : NAN;
		}
		s->completed++;
		if (now > s->last_end)
			s->last_end = now;
	}
	s->cfree[s->ncfree++] = ci;
}

/* --- the branch state machine ------------------------------------------- */

/*
 * Move branch ti on from phase at time now until it has to wait for time to
 * pass, joins another, or ends. Returns false when the run must stop
 * (s->bad says why).
 */
static bool
tok_go(struct sim *s, uint32_t ti, double now, uint32_t phase)
{
	struct tok *t = &s->tok[ti];
	struct cas *c = &s->cas[t->cas];
	const struct sstep *S = &s->st[t->step];
	double d;
	size_t k;

	if (phase == PH_ASK)
		goto ask;
	if (phase == PH_WORK)
		goto done;
enter:
	if (++c->visits > s->visit_max) {
		s->bad = 1;
		s->bad_step = t->step;
		return false;
	}
	if (S->join >= 0) {
		uint32_t *n = &s->jc[(size_t)t->cas * (s->nj + 1) + (size_t)S->join];

		if (++*n < S->need && *n < c->live) {
			tok_free(s, ti);
			return true;
		}
		c->live -= *n - 1;
		*n = 0;
	}
	if (S->nmfrom) {
		double *m = s->mt + (size_t)t->cas * 2 * (s->nm + 1);

		for (k = 0; k < S->nmfrom; k++)
			if (isnan(m[2 * s->mlist[S->mfrom + k]]))
				m[2 * s->mlist[S->mfrom + k]] = now;
	}
	t->t_reach = now;
	if (c->traced) {
		trace_add(s, t, c, now);
		if (s->bad)
			return false;
	}
	t->wb = 0;
	if (S->has_wait && (d = sampler_draw(&S->wait, &s->svc)) > 0) {
		t->wb = d;
		t->phase = PH_ASK;
		push(s, now + d, ti);
		return !s->bad;
	}
ask:
	t->t_ask = now;
	t->holds = false;
	if (t->trace >= 0)
		s->trace[t->trace].ask_s = now - c->arrival;
	if (S->lane >= 0) {
		struct slane *l = &s->ln[S->lane];

		if (l->busy >= l->cap) {
			if (t->trace >= 0)
				s->trace[t->trace].queue_ahead = l->qlen;
			lane_touch(s, l, now);
			t->phase = PH_WORK;
			return lane_enqueue(s, l, ti);
		}
		d = S->work.kind == DIST_FIXED ? S->work.a : sampler_draw(&S->work, &s->svc);
		if (d > 0) {
			lane_touch(s, l, now);
			l->busy++;
			t->holds = true;
		}
	} else {
		d = S->work.kind == DIST_FIXED ? S->work.a : sampler_draw(&S->work, &s->svc);
	}
	t->t_start = now;
	t->work = d;
	if (t->trace >= 0)
		s->trace[t->trace].start_s = now - c->arrival;
	if (d > 0) {
		t->phase = PH_WORK;
		push(s, now + d, ti);
		return !s->bad;
	}
done:
	if (t->holds) {
		struct slane *l = &s->ln[S->lane];

		t->holds = false;
		lane_touch(s, l, now);
		if (l->qlen) {
			/* The unit passes straight to the next in line. */
			uint32_t ni = l->q[l->qhead];
			struct tok *n = &s->tok[ni];
			const struct sstep *NS = &s->st[n->step];

			l->qhead = (l->qhead + 1) % l->qcap;
			l->qlen--;
			d = NS->work.kind == DIST_FIXED ? NS->work.a
			                                : sampler_draw(&NS->work, &s->svc);
			n->t_start = now;
			n->work = d;
			n->holds = true;
			if (n->trace >= 0)
				s->trace[n->trace].start_s = now - s->cas[n->cas].arrival;
			push(s, now + d, ni);
			if (s->bad)
				return false;
		} else {
			l->busy--;
		}
	}
	if (c->idx >= 0) {
		double *a = s->acc + 4 * (size_t)t->step;

		a[0] += 1;
		a[1] += t->t_start - t->t_ask;
		a[2] += t->wb + (t->t_start - t->t_ask);
		a[3] += t->work;
	}
	if (t->trace >= 0) {
		s->trace[t->trace].end_s = now - c->arrival;
		t->trace = -1;
	}
	if (S->err > 0 && rng_uniform(&s->svc) < S->err) {
		t->attempt++;                /* rework: the step again */
		goto enter;
	}
	t->attempt = 1;
	if (S->nmto) {
		double *m = s->mt + (size_t)t->cas * 2 * (s->nm + 1);

		for (k = 0; k < S->nmto; k++)
			m[2 * s->mlist[S->mto + k] + 1] = now;
	}
	if (S->nout == 0) {
		uint32_t ci = t->cas;

		tok_free(s, ti);
		if (--c->live == 0)
			case_done(s, ci, now);
		return true;
	}
	if (S->nout == 1) {
		t->step = s->to[S->out];
	} else if (S->split) {
		uint32_t ci = t->cas, out = S->out, n = S->nout;

		for (k = 1; k < n; k++) {
			uint32_t ni = tok_new(s, ci, s->to[out + k]);

			if (ni == NONE32)
				return false;
			s->tok[ni].branch = ++s->cas[ci].branches;
			s->tok[ni].phase = PH_ENTER;
			s->cas[ci].live++;
			push(s, now, ni);
		}
		t = &s->tok[ti];             /* the pool may have moved */
		t->step = s->to[out];
	} else {
		double u = rng_uniform(&s->svc);

		for (k = 0; k + 1 < S->nout && u >= s->cum[S->out + k]; k++)
			;
		t->step = s->to[S->out + k];
	}
	S = &s->st[t->step];
	goto enter;
}

/* A case arrives at now: its first branch enters the first step. */
static bool
case_arrive(struct sim *s, double now)
{
	uint32_t ci = cas_new(s), ti;
	struct cas *c;

	if (ci == NONE32)
		return false;
	c = &s->cas[ci];
	c->arrival = now;
	c->live = 1;
	c->idx = -1;
	if (s->no_arrivals || now >= s->o->warmup_s) {
		c->idx = (int32_t)s->generated++;
		if (s->generated == 1)
			s->first_arrival = now;
		c->traced = s->rep == 0 && s->o->trace_case == s->generated;
		if (c->traced)
			s->trace_arrival = now;
	}
	ti = tok_new(s, ci, 0);
	if (ti == NONE32)
		return false;
	return tok_go(s, ti, now, PH_ENTER);
}

/* --- one replication ------------------------------------------------------- */

static enum status
run_rep(struct sim *s, double *progress_base, struct err *err)
{
	const struct sim_options *o = s->o;
	size_t N = o->cases, i;
	double R = (double)o->replications;

	s->nheap = s->ntok = s->ntfree = s->ncas = s->ncfree = 0;
	s->generated = s->completed = 0;
	s->seq = 0;
	s->last_end = s->first_arrival = 0;
	s->t0 = s->no_arrivals ? 0 : o->warmup_s;
	s->t1 = INFINITY;
	for (i = 0; i < s->nln; i++) {
		struct slane *l = &s->ln[i];

		l->busy = 0;
		l->qhead = l->qlen = l->qmax = 0;
		l->last = l->busy_int = l->q_int = 0;
	}
	if (s->no_arrivals) {
		for (i = 0; i < N && !s->bad; i++)
			if (!case_arrive(s, 0))
				break;
	} else {
		push(s, 0, EV_ARRIVAL);
	}
	while (s->nheap && !s->bad) {
		struct ev e = pop(s);

		s->events++;
		if (e.tok == EV_ARRIVAL) {
			if (!case_arrive(s, e.t))
				break;
			if (s->generated < N)
				push(s, e.t + sampler_draw(&s->arrival, &s->arr), EV_ARRIVAL);
			else
				s->t1 = e.t;
		} else if (!tok_go(s, e.tok, e.t, s->tok[e.tok].phase)) {
			break;
		}
		if ((s->events & PROGRESS_EVERY) == 0 && o->progress &&
		    !o->progress(o->ctx, (*progress_base + (double)s->completed / (double)N) / R))
			return err_set(err, STATUS_CANCELLED, "simulation cancelled");
	}
	if (s->bad == 2)
		return err_set(err, STATUS_NOMEM, "out of memory");
	if (s->bad == 1)
		return err_set(err, STATUS_INPUT,
		               "step %u '%s': a case passed through steps %llu times without "
		               "ending (an error rate of 1, or a loop taken every time?)",
		               s->bad_step + 1, s->p->steps[s->bad_step]->name,
		               (unsigned long long)s->visit_max);
	if (s->completed < N)
		return err_set(err, STATUS_INPUT,
		               "%zu of %zu cases never finished: a parallel join waits for "
		               "branches that never come", N - s->completed, N);
	{
		double end = s->no_arrivals ? s->last_end : s->t1;
		double window = end - s->t0;

		if (s->no_arrivals)
			s->t1 = end;
		for (i = 0; i < s->nln; i++) {
			struct slane *l = &s->ln[i];

			lane_touch(s, l, end);
			s->lacc[3 * i] += window > 0 ? l->busy_int / window : 0;
			s->lacc[3 * i + 1] += window > 0 ? l->q_int / window : 0;
			if ((double)l->qmax > s->lacc[3 * i + 2])
				s->lacc[3 * i + 2] = (double)l->qmax;
		}
		s->lacc[3 * s->nln] += window > 0 ? window : 0;
		s->lacc[3 * s->nln + 1] += s->last_end > s->first_arrival
		                           ? (double)N / (s->last_end - s->first_arrival) * 3600 : 0;
	}
	*progress_base += 1;
	return STATUS_OK;
}

/* --- compiling the process ------------------------------------------------- */

static enum status
compile(struct sim *s, const struct process *p, struct err *err)
{
	struct graph g;
	enum status st;
	size_t i, k, nml = 0;

	memset(&g, 0, sizeof g);
	if ((st = process_graph_build(p, &g)) != STATUS_OK)
		return err_set(err, st, "process '%s': cannot build its flows", p->name);
	s->nst = p->nsteps;
	s->nln = p->nlanes;
	s->nm = p->nmeasures;
	s->st = calloc(s->nst + 1, sizeof *s->st);
	s->to = calloc(g.nedges + 1, sizeof *s->to);
	s->cum = calloc(g.nedges + 1, sizeof *s->cum);
	s->ln = calloc(s->nln + 1, sizeof *s->ln);
	s->mlist = calloc(2 * s->nm + 1, sizeof *s->mlist);
	s->mfrom_idx = calloc(s->nm + 1, sizeof *s->mfrom_idx);
	s->mto_idx = calloc(s->nm + 1, sizeof *s->mto_idx);
	if (!s->st || !s->to || !s->cum || !s->ln || !s->mlist || !s->mfrom_idx || !s->mto_idx) {
		graph_done(&g);
		return err_set(err, STATUS_NOMEM, "out of memory");
	}
	for (i = 0; i < s->nln; i++) {
		const struct lane *l = p->lanes[i];

		s->ln[i].cap = (l->stage == STAGE_CUSTOMER || l->capacity <= 0) ? INT_MAX
		                                                                 : l->capacity;
	}
	for (k = 0; k < s->nm; k++) {
		const struct measure *m = p->measures[k];
		const struct step *a = process_step(p, m->from), *b = process_step(p, m->to);

		s->mfrom_idx[k] = a ? a->index : SIZE_MAX;
		s->mto_idx[k] = b ? b->index : SIZE_MAX;
	}
	for (i = 0; i < s->nst; i++) {
		const struct step *ps = p->steps[i];
		struct sstep *S = &s->st[i];
		size_t nin = g.in[i + 1] - g.in[i];
		double sum = 0;
		bool timeless;

		sampler_init(&S->work, &ps->work);
		sampler_init(&S->wait, &ps->wait);
		S->has_wait = S->wait.kind != DIST_NONE;
		S->err = ps->error_rate > 0 ? ps->error_rate : 0;
		/* A step with no work time (a decision, an event) takes no unit
		 * of its lane: it never queues behind the lane's work. */
		timeless = ps->work.kind == DIST_NONE ||
		           (ps->work.kind == DIST_FIXED && ps->work.p[0] <= 0);
		S->lane = ps->lane && !timeless ? (int32_t)process_lane_pos(p, ps->lane) : -1;
		S->out = (uint32_t)g.out[i];
		S->nout = (uint32_t)(g.out[i + 1] - g.out[i]);
		S->split = ps->type == STEP_PARALLEL && S->nout > 1;
		S->join = -1;
		if (ps->type == STEP_PARALLEL && nin > 1) {
			S->join = (int32_t)s->nj++;
			S->need = (uint32_t)nin;
		}
		for (k = g.out[i]; k < g.out[i + 1]; k++) {
			s->to[k] = (uint32_t)g.edges[k].to;
			sum += g.edges[k].prob > 0 ? g.edges[k].prob : 0;
			s->cum[k] = sum;
		}
		for (k = g.out[i]; k < g.out[i + 1]; k++)
			s->cum[k] = sum > 0 ? s->cum[k] / sum : (double)(k - g.out[i] + 1) / S->nout;
		if (S->nout)
			s->cum[g.out[i + 1] - 1] = 1;
		/* the measures that start and end here */
		S->mfrom = (uint32_t)nml;
		for (k = 0; k < s->nm; k++)
			if (s->mfrom_idx[k] == i)
				s->mlist[nml++] = (uint32_t)k;
		S->nmfrom = (uint32_t)(nml - S->mfrom);
		S->mto = (uint32_t)nml;
		for (k = 0; k < s->nm; k++)
			if (s->mto_idx[k] == i)
				s->mlist[nml++] = (uint32_t)k;
		S->nmto = (uint32_t)(nml - S->mto);
	}
	graph_done(&g);
	sampler_init(&s->arrival, &p->arrival);
	s->no_arrivals = p->arrival.kind == DIST_NONE;
	s->visit_max = 1000 * (uint64_t)s->nst + 100000;
	return STATUS_OK;
}

/* --- results --------------------------------------------------------------- */

static double
quantile(const double *v, size_t n, double q)
{
	double h = q * (double)(n - 1);
	size_t lo = (size_t)h;

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* The sample variance of x[0..k) (0 when k < 2). */
static double
variance(const double *x, size_t k)
{
	double m = 0, ss = 0;
	size_t i;

	if (k < 2)
		return 0;
	for (i = 0; i < k; i++)
		m += x[i];
	m /= (double)k;
	for (i = 0; i < k; i++)
		ss += (x[i] - m) * (x[i] - m);
	return ss / (double)(k - 1);
}

/* The 95 % half-width of the mean of k group means. */
static double
half_width(const double *means, size_t k)
{
	if (k < 2)
		return 0;
	return sim_t975(k - 1) * sqrt(variance(means, k)) / sqrt((double)k);
}

/* The means of the k = n / b batches of b values of v into out (the last
 * batch takes what is left over). */
static void
batch_means(const double *v, size_t n, size_t b, double *out, size_t k)
{
	size_t j, i;

	for (j = 0; j < k; j++) {
		size_t lo = j * b, hi = j + 1 == k ? n : lo + b;
		double sum = 0;

		for (i = lo; i < hi; i++)
			sum += v[i];
		out[j] = sum / (double)(hi - lo);
	}
}

/* The lag-1 autocorrelation of x[0..k). */
static double
lag1(const double *x, size_t k)
{
	double m = 0, num = 0, den = 0;
	size_t i;

	for (i = 0; i < k; i++)
		m += x[i];
	m /= (double)k;
	for (i = 0; i < k; i++) {
		den += (x[i] - m) * (x[i] - m);
		if (i + 1 < k)
			num += (x[i] - m) * (x[i + 1] - m);
	}
	return den > 0 ? num / den : 0;
}

#define BATCH_TEST_MIN 40        /* batches the correlation is judged on */
#define BATCH_MAX 20             /* batches the interval is made of */
#define BATCH_LAG1 0.1

/*
 * One run: the half-width from batch means of v[0..n) in arrival order,
 * the batch size doubled from 1 until the lag-1 correlation of the batch
 * means (at least BATCH_TEST_MIN of them) is under BATCH_LAG1, then no
 * more than BATCH_MAX batches. tmp has room for n / 1 means. Sets st's
 * groups, batch and (when no batch size will do) trust.
 */
static double
batch_half_width(struct sim_stat *st, const double *v, size_t n, double *tmp)
{
	size_t b, k;

	for (b = 1; n / b >= BATCH_TEST_MIN; b *= 2) {
		k = n / b;
		batch_means(v, n, b, tmp, k);
		if (lag1(tmp, k) < BATCH_LAG1)
			break;
	}
	if (n / b < BATCH_TEST_MIN) {
		/* no batch size leaves the batches uncorrelated */
		st->trust = SIM_TRUST_SHORT;
		b = n / 10 ? n / 10 : 1;
	}
	if (n / b > BATCH_MAX)
		b = (n + BATCH_MAX - 1) / BATCH_MAX;
	k = n / b;
	if (k < 2) {
		st->trust = SIM_TRUST_FEW;
		st->groups = k;
		return 0;
	}
	batch_means(v, n, b, tmp, k);
	st->groups = k;
	st->batch = b;
	{
		/* effective cases: n over the variance inflation b s_b^2 / s^2 */
		double vb = variance(tmp, k), vv = variance(v, n);

		st->ess = vb > 0 ? (double)n * vv / ((double)b * vb) : INFINITY;   /* all alike */
	}
	return half_width(tmp, k);
}

/*
 * Fill st from vals (R runs of N values each in arrival order, NAN = no
 * value), leaving out the first skip of each run (the warm-up).
 */
static enum status
stat_make(struct sim_stat *st, const double *vals, size_t N, unsigned R, size_t skip)
{
	double *gm, sum = 0, hw;
	size_t r, i, n = 0, k = 0, first_n = 0;

	memset(st, 0, sizeof *st);
	st->mean = st->p50 = st->p90 = st->ci_lo = st->ci_hi = st->min = st->max = NAN;
	st->samples = malloc((R * N + 1) * sizeof *st->samples);
	gm = malloc((R + N + 1) * sizeof *gm);
	if (!st->samples || !gm) {
		free(st->samples);
		st->samples = NULL;
		free(gm);
		return STATUS_NOMEM;
	}
	for (r = 0; r < R; r++) {
		double rs = 0;
		size_t rn = 0;

		for (i = skip; i < N; i++) {
			double v = vals[r * N + i];

			if (isnan(v))
				continue;
			st->samples[n++] = v;
			rs += v;
			rn++;
		}
		if (r == 0)
			first_n = rn;
		sum += rs;
		if (rn)
			gm[k++] = rs / (double)rn;
	}
	st->n = n;
	if (n) {
		st->mean = sum / (double)n;
		if (R >= 2) {
			double vg = variance(gm, k);

			st->groups = k;
			hw = half_width(gm, k);
			/* effective cases a replication: the values' variance over
			 * that of the replication means */
			st->ess = vg > 0 ? variance(st->samples, n) / vg : INFINITY;   /* all alike */
			if (k < 2)
				st->trust = SIM_TRUST_FEW;
		} else {
			/* one run: batch means over its values in arrival order */
			hw = batch_half_width(st, st->samples, first_n, gm);
		}
		st->ci_lo = st->mean - hw;
		st->ci_hi = st->mean + hw;
		if (!sort_doubles(st->samples, n)) {
			free(gm);
			return STATUS_NOMEM;
		}
		st->p50 = quantile(st->samples, n, 0.5);
		st->p90 = quantile(st->samples, n, 0.9);
		st->min = st->samples[0];
		st->max = st->samples[n - 1];
	} else {
		st->trust = SIM_TRUST_FEW;
	}
	free(gm);
	return STATUS_OK;
}

#define MSER_BATCH 5
#define MSER_MIN_CASES 100       /* fewer: no warm-up is looked for */
#define MSER_TAIL 10             /* batches MSER always keeps */

/*
 * MSER-5 over the whole-case times of the R runs of N cases (averaged case
 * by case over the runs): the cases to drop from the start of each run, and
 * in *late whether the smallest standard error lies past half the run (the
 * run has not settled). NOMEM: 0 dropped, *late false.
 */
static size_t
mser5(const double *total, size_t N, unsigned R, bool *late)
{
	size_t m = N / MSER_BATCH, j, i, d, best = 0, best_all = 0;
	double *y, *s1, *s2, mean = 0, z, zbest = INFINITY, zbest_all = INFINITY;

	*late = false;
	if (N < MSER_MIN_CASES || m < 2 * MSER_TAIL)
		return 0;
	y = malloc(3 * (m + 1) * sizeof *y);
	if (!y)
		return 0;
	s1 = y + m + 1;
	s2 = s1 + m + 1;
	for (j = 0; j < m; j++) {
		double b = 0;

		for (i = j * MSER_BATCH; i < (j + 1) * MSER_BATCH; i++) {
			unsigned r;

			for (r = 0; r < R; r++)
				b += total[(size_t)r * N + i];
		}
		y[j] = b / (double)(MSER_BATCH * R);
		mean += y[j];
	}
	mean /= (double)m;
	/* suffix sums of the centred batch means and their squares */
	s1[m] = s2[m] = 0;
	for (j = m; j-- > 0;) {
		double c = y[j] - mean;

		s1[j] = s1[j + 1] + c;
		s2[j] = s2[j + 1] + c * c;
	}
	for (d = 0; d + MSER_TAIL <= m; d++) {
		double left = (double)(m - d);

		z = (s2[d] - s1[d] * s1[d] / left) / (left * left);
		if (d <= m / 2 && z < zbest) {
			zbest = z;
			best = d;
		}
		if (z < zbest_all) {
			zbest_all = z;
			best_all = d;
		}
	}
	free(y);
	(void)best_all;
	*late = best >= m / 2 - m / 20;
	return best * MSER_BATCH;
}

static enum status
results(struct sim *s, struct sim_result *r)
{
	const struct process *p = s->p;
	size_t N = s->o->cases, R = s->o->replications, i, skip = 0;
	double counted = (double)(N * R), lambda = 0, worst = 0;
	bool late = false;
	enum sim_trust run_trust = SIM_TRUST_OK;

	r->cases = N * R;
	r->rep_cases = N;
	r->replications = (unsigned)R;
	r->seed = s->o->seed;
	r->events = s->events;
	r->window_s = s->lacc[3 * s->nln] / (double)R;
	r->throughput_per_h = s->lacc[3 * s->nln + 1] / (double)R;
	r->saturated_lane = SIZE_MAX;
	r->measures = calloc(s->nm + 1, sizeof *r->measures);
	r->steps = calloc(s->nst + 1, sizeof *r->steps);
	r->lanes = calloc(s->nln + 1, sizeof *r->lanes);
	if (!r->measures || !r->steps || !r->lanes)
		return STATUS_NOMEM;
	r->nsteps = s->nst;
	for (i = 0; i < s->nst; i++) {
		const double *a = s->acc + 4 * i;
		struct sim_step *x = &r->steps[i];

		x->id = p->steps[i]->id;
		x->visits = a[0] / counted;
		x->queue_s = a[0] > 0 ? a[1] / a[0] : 0;
		x->wait_s = a[0] > 0 ? a[2] / a[0] : 0;
		x->work_s = a[0] > 0 ? a[3] / a[0] : 0;
	}
	if (!s->no_arrivals && dist_mean(&p->arrival) > 0)
		lambda = 1 / dist_mean(&p->arrival);
	r->nlanes = s->nln;
	for (i = 0; i < s->nln; i++) {
		struct sim_lane *x = &r->lanes[i];
		int cap = s->ln[i].cap;

		x->id = p->lanes[i]->id;
		x->capacity = cap == INT_MAX ? 0 : cap;
		x->busy = s->lacc[3 * i] / (double)R;
		x->utilisation = cap == INT_MAX ? NAN : x->busy / cap;
		x->queue_mean = s->lacc[3 * i + 1] / (double)R;
		x->queue_max = (size_t)s->lacc[3 * i + 2];
		x->load = NAN;
	}
	/* the load: the work the cases ask of each lane per unit of time */
	for (i = 0; lambda > 0 && i < s->nst; i++) {
		int32_t l = s->st[i].lane;

		if (l >= 0 && s->ln[l].cap != INT_MAX) {
			struct sim_lane *x = &r->lanes[l];

			if (isnan(x->load))
				x->load = 0;
			x->load += lambda * (s->acc[4 * i + 3] / counted) / s->ln[l].cap;
		}
	}
	for (i = 0; i < s->nln; i++)
		if (r->lanes[i].load >= 1 && r->lanes[i].load > worst) {
			worst = r->lanes[i].load;
			r->saturated_lane = i;
		}
	if (r->saturated_lane != SIZE_MAX)
		run_trust = SIM_TRUST_SATURATED;
	if (s->o->warmup_auto && !s->no_arrivals) {
		skip = mser5(s->total, N, (unsigned)R, &late);
		if (late && run_trust == SIM_TRUST_OK)
			run_trust = SIM_TRUST_WARMUP;
	}
	r->warmup_cases = skip;
	if (stat_make(&r->total, s->total, N, (unsigned)R, skip) != STATUS_OK)
		return STATUS_NOMEM;
	if (run_trust == SIM_TRUST_OK && !s->no_arrivals && r->total.n &&
	    r->total.ess < SIM_ESS_MIN)
		run_trust = SIM_TRUST_SHORT;
	if (run_trust != SIM_TRUST_OK)
		r->total.trust = run_trust;
	r->trust = r->total.trust;
	for (i = skip; i < N; i++)   /* s->total stays in arrival order */
		if (!isnan(s->total[i]) &&
		    (!r->median_case || fabs(s->total[i] - r->total.p50) <
		                        fabs(s->total[r->median_case - 1] - r->total.p50)))
			r->median_case = i + 1;
	r->nmeasures = s->nm;
	for (i = 0; i < s->nm; i++) {
		if (stat_make(&r->measures[i], s->mvals + i * R * N, N, (unsigned)R, skip) !=
		    STATUS_OK)
			return STATUS_NOMEM;
		if (run_trust != SIM_TRUST_OK && r->measures[i].n)
			r->measures[i].trust = run_trust;
	}
	r->trace = s->trace;
	r->ntrace = s->ntrace;
	r->trace_arrival_s = s->trace_arrival;
	s->trace = NULL;
	return STATUS_OK;
}

char *
sim_trust_text(const struct process *p, const struct sim_result *r, enum sim_trust t,
               char *buf, size_t size)
{
	switch (t) {
	case SIM_TRUST_OK:
		snprintf(buf, size, "%s", "");
		break;
	case SIM_TRUST_FEW:
		snprintf(buf, size, "fewer than two replications or batches to compare");
		break;
	case SIM_TRUST_SATURATED:
		if (r->saturated_lane < r->nlanes && r->saturated_lane < p->nlanes)
			snprintf(buf, size, "lane '%s' is saturated: %.0f %% of its capacity is asked "
			         "for, so its queue grows without end and there is no mean to estimate",
			         p->lanes[r->saturated_lane]->name,
			         r->lanes[r->saturated_lane].load * 100);
		else
			snprintf(buf, size, "a lane is saturated");
		break;
	case SIM_TRUST_WARMUP:
		snprintf(buf, size, "the run is too short: it has not settled in its first half "
		         "(MSER-5); simulate more cases");
		break;
	case SIM_TRUST_SHORT:
		snprintf(buf, size, "one run is too short for how much each case depends on the "
		         "ones before it; simulate more cases or replications");
		break;
	}
	return buf;
}

const char *
sim_trust_short(enum sim_trust t)
{
	switch (t) {
	case SIM_TRUST_OK:
		return "";
	case SIM_TRUST_FEW:
		return "unreliable: too few";
	case SIM_TRUST_SATURATED:
		return "unreliable: saturated";
	case SIM_TRUST_WARMUP:
		return "unreliable: warm-up";
	case SIM_TRUST_SHORT:
		return "unreliable: too short";
	}
	return "";
}

static void
sim_done(struct sim *s)
{
	size_t i;

	for (i = 0; s->ln && i < s->nln; i++)
		free(s->ln[i].q);
	free(s->st);
	free(s->to);
	free(s->cum);
	free(s->mlist);
	free(s->mfrom_idx);
	free(s->mto_idx);
	free(s->ln);
	free(s->heap);
	free(s->tok);
	free(s->tfree);
	free(s->cas);
	free(s->cfree);
	free(s->mt);
	free(s->jc);
	free(s->total);
	free(s->mvals);
	free(s->acc);
	free(s->lacc);
	free(s->trace);
}

static enum status
run_once(const struct process *p, const struct sim_options *o, struct sim_result *r,
         struct err *err)
{
	struct sim s;
	struct rng base;
	enum status st = STATUS_OK;
	double progress = 0;
	size_t N = o->cases, R = o->replications;
	unsigned rep, j;

	memset(r, 0, sizeof *r);
	memset(&s, 0, sizeof s);
	if (p->nsteps == 0)
		return err_set(err, STATUS_INPUT, "process '%s' has no steps to simulate", p->name);
	if (N == 0 || R == 0)
		return err_set(err, STATUS_USAGE, "simulate at least one case and one replication");
	if (N > INT32_MAX || R > 100000 || N * R > SIZE_MAX / 8 / (p->nmeasures + 1))
		return err_set(err, STATUS_USAGE, "too many cases: %zu x %zu replications", N, R);
	if (!(o->warmup_s >= 0) || !isfinite(o->warmup_s))
		return err_set(err, STATUS_USAGE, "the warm-up must be a time of 0 or more");
	s.p = p;
	s.o = o;
	if ((st = compile(&s, p, err)) != STATUS_OK)
		goto out;
	s.total = malloc(R * N * sizeof *s.total);
	s.mvals = malloc((s.nm * R * N + 1) * sizeof *s.mvals);
	s.acc = calloc(4 * s.nst + 1, sizeof *s.acc);
	s.lacc = calloc(3 * s.nln + 2, sizeof *s.lacc);
	if (!s.total || !s.mvals || !s.acc || !s.lacc) {
		st = err_set(err, STATUS_NOMEM, "out of memory");
		goto out;
	}
	rng_seed(&base, o->seed);
	for (rep = 0; rep < R; rep++) {
		s.rep = rep;
		s.arr = base;
		for (j = 0; j < rep; j++)
			rng_long_jump(&s.arr);
		s.svc = s.arr;
		rng_jump(&s.svc);
		if ((st = run_rep(&s, &progress, err)) != STATUS_OK)
			goto out;
	}
	if (o->progress && !o->progress(o->ctx, 1)) {
		st = err_set(err, STATUS_CANCELLED, "simulation cancelled");
		goto out;
	}
	if ((st = results(&s, r)) != STATUS_OK)
		st = err_set(err, st, "out of memory");
out:
	sim_done(&s);
	if (st != STATUS_OK)
		sim_result_done(r);
	return st;
}

/* The cases a replication needs for SIM_ESS_WANT effective ones, from a run
 * of n that gave ess; rounded up to a thousand, at most SIM_AUTO_CASES_MAX. */
static size_t
cases_needed(size_t n, double ess)
{
	double want = (double)n * SIM_ESS_WANT / (ess > 1 ? ess : 1);

	if (want > SIM_AUTO_CASES_MAX)
		return SIM_AUTO_CASES_MAX;
	return ((size_t)want + 999) / 1000 * 1000;
}

enum status
sim_run(const struct process *p, const struct sim_options *o, struct sim_result *r,
        struct err *err)
{
	struct sim_options longer;
	enum status st = run_once(p, o, r, err);
	size_t n;

	if (st != STATUS_OK || !o->cases_auto || p->arrival.kind == DIST_NONE ||
	    r->saturated_lane != SIZE_MAX || !r->total.n || !(r->total.ess < SIM_ESS_WANT) ||
	    (n = cases_needed(o->cases, r->total.ess)) <= o->cases)
		return st;
	/* the cases depend on each other more than this run can show: once
	 * more, with as many as the correlation needs */
	longer = *o;
	longer.cases = n;
	sim_result_done(r);
	return run_once(p, &longer, r, err);
}

static void
stat_done(struct sim_stat *st)
{
	free(st->samples);
	st->samples = NULL;
}

void
sim_result_done(struct sim_result *r)
{
	size_t i;

	if (!r)
		return;
	stat_done(&r->total);
	for (i = 0; r->measures && i < r->nmeasures; i++)
		stat_done(&r->measures[i]);
	free(r->measures);
	free(r->steps);
	free(r->lanes);
	free(r->trace);
	memset(r, 0, sizeof *r);
}
