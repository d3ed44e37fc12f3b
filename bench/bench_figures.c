/*
 * bench_figures.c - figures_compute() is linear: its time per step on a
 * generated process of 100 000 steps against the bundled demo's 111.
 *
 *   build/bench/bench_figures [STEPS]     (default 100000)
 *
 * The generated process repeats a block of 12 steps over 10 lanes in every
 * stage: a 70/30 decision and its merge, a parallel split and join, a loop
 * back over the block taken 10 % of the time, 2 % rework on every task,
 * distributions for work and wait, and two measures (first to last step,
 * middle to last). Prints one line per process with the median and 99th
 * percentile of one call through a kept workspace (figures_compute_ws, as
 * the workbench calls it after every edit) and the median of the one-shot
 * figures_compute(), then the ratio of the median time per step (large /
 * demo): about 1 for a linear computation whose arrays stay in the caches,
 * growing with the size for anything worse.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "examples/demo.h"
#include "model/figures.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench_figures: %s\n", what);
	exit(3);
}

static sm_id
add_step(struct workbook *w, struct process *p, sm_id lane, enum step_type type, size_t i)
{
	struct step *s = malloc(sizeof *s);

	if (!s)
		die("out of memory");
	step_init(s);
	s->id = workbook_new_id(w);
	s->key = 1024.0 * (double)(i + 1);
	s->lane = lane;
	s->type = type;
	if (type != STEP_DECISION && type != STEP_PARALLEL) {
		s->work = (struct dist){ DIST_TRI, { 30, 60, 150 } };
		s->wait = (struct dist){ DIST_EXP, { 120, 0, 0 } };
		s->error_rate = 0.02;
		s->cost = 3;
		s->value = i % 3 ? VALUE_NVA : VALUE_VA;
	}
	if (process_add_step(p, s) != STATUS_OK)
		die("process_add_step failed");
	return s->id;
}

static void
add_flow(struct workbook *w, struct process *p, sm_id from, sm_id to, double prob)
{
	struct flow *f = calloc(1, sizeof *f);

	if (!f)
		die("out of memory");
	f->id = workbook_new_id(w);
	f->from = from;
	f->to = to;
	f->prob = prob;
	if (process_add_flow(p, f) != STATUS_OK)
		die("process_add_flow failed");
}

static void
add_measure(struct workbook *w, struct process *p, sm_id from, sm_id to)
{
	struct measure *m = calloc(1, sizeof *m);

	if (!m || !(m->name = strdup("span")))
		die("out of memory");
	m->id = workbook_new_id(w);
	m->from = from;
	m->to = to;
	if (process_add_measure(p, m) != STATUS_OK)
		die("process_add_measure failed");
}

/* A process of n steps (rounded down to whole blocks of 12). */
static struct workbook *
generate(size_t n)
{
	struct workbook *w = workbook_new();
	struct process *p;
	sm_id lanes[10], (*ids)[12];
	size_t blocks = n / 12, b, i;

	if (!w || !(p = workbook_add_process(w, workbook_new_id(w), "generated")))
		die("out of memory");
	for (i = 0; i < 10; i++) {
		struct lane *l = calloc(1, sizeof *l);
		char name[16];

		snprintf(name, sizeof name, "lane %zu", i + 1);
		if (!l || !(l->name = strdup(name)))
			die("out of memory");
		l->id = lanes[i] = workbook_new_id(w);
		l->stage = (enum stage)(i % STAGE_COUNT_);
		l->capacity = (int)i;
		l->key = (double)i;
		if (process_add_lane(p, l) != STATUS_OK)
			die("process_add_lane failed");
	}
	if (!(ids = malloc((blocks ? blocks : 1) * sizeof *ids)))
		die("out of memory");
	for (b = 0; b < blocks; b++) {
		static const enum step_type kind[12] = {
			STEP_TASK, STEP_DECISION, STEP_USER, STEP_TASK, STEP_MANUAL, STEP_PARALLEL,
			STEP_SERVICE, STEP_TASK, STEP_PARALLEL, STEP_TASK, STEP_DECISION, STEP_MANUAL,
		};

		for (i = 0; i < 12; i++)
			ids[b][i] = add_step(w, p, lanes[(b + i) % 10], kind[i], b * 12 + i);
	}
	process_reindex(p);
	for (b = 0; b < blocks; b++) {
		sm_id *s = ids[b];

		add_flow(w, p, s[1], s[2], 0.7);   /* decision: 2-3 or 4 */
		add_flow(w, p, s[1], s[4], 0.3);
		add_flow(w, p, s[3], s[5], -1);    /* merge at the split */
		add_flow(w, p, s[5], s[6], -1);    /* parallel 6 | 7 */
		add_flow(w, p, s[5], s[7], -1);
		add_flow(w, p, s[6], s[8], -1);
		add_flow(w, p, s[10], s[0], 0.1);  /* loop back over the block */
		add_flow(w, p, s[10], s[11], 0.9);
	}
	if (blocks) {
		add_measure(w, p, ids[0][0], ids[blocks - 1][11]);
		add_measure(w, p, ids[blocks / 2][0], ids[blocks - 1][11]);
	}
	free(ids);
	return w;
}

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median and 99th percentile time of one figures computation on p
 * (figures_compute_ws() with one workspace kept across the calls when ws is
 * set, as the workbench computes after every edit; figures_compute() when
 * it is NULL), each call timed, over about 0.5 s of calls after one that
 * is not counted (the workspace's first call allocates). */
static void
time_figures(const struct process *p, struct figures_ws *ws, double *p50, double *p99,
             double *lead)
{
	enum { MAX_CALLS = 200000 };
	double *t = malloc(MAX_CALLS * sizeof *t), spent = 0;
	size_t n = 0, k;
	struct figures f;

	if (!t)
		die("out of memory");
	for (k = 0; n < MAX_CALLS && (spent < 0.5 || n < 20); k++) {
		double t0 = now_s(), dt;

		if ((ws ? figures_compute_ws(p, ws, &f) : figures_compute(p, &f)) != STATUS_OK)
			die("figures_compute failed");
		dt = now_s() - t0;
		*lead = f.lead_time_s;
		figures_done(&f);
		if (k == 0)
			continue;
		t[n++] = dt;
		spent += dt;
	}
	qsort(t, n, sizeof *t, double_cmp);
	*p50 = t[n / 2];
	*p99 = t[n * 99 / 100];
	free(t);
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000, size;
	struct workbook *demo = demo_workbook();
	struct figures_ws *ws = figures_ws_new();
	const struct process *pd;
	double td, td99, tdo, tb, tb99, tbo, x, lead;

	if (!demo || !ws)
		die("out of memory");
	pd = demo->procs[0];
	time_figures(pd, ws, &td, &td99, &lead);
	time_figures(pd, NULL, &tdo, &x, &lead);
	printf("demo steps=%zu flows=%zu p50_ms=%.4f p99_ms=%.4f ns_per_step=%.1f "
	       "one_shot_p50_ms=%.4f\n", pd->nsteps, pd->nflows, td * 1e3, td99 * 1e3,
	       td * 1e9 / (double)pd->nsteps, tdo * 1e3);
	/* A ladder of sizes up to n: the time per step should stay flat but for
	 * the memory hierarchy (the arrays outgrow the caches). */
	for (size = 1200; size <= n * 10 / 10; size = size * 10 > n && size < n ? n : size * 10) {
		struct workbook *big = generate(size);
		const struct process *pb = big->procs[0];

		time_figures(pb, ws, &tb, &tb99, &lead);
		time_figures(pb, NULL, &tbo, &x, &lead);
		printf("generated steps=%zu flows=%zu p50_ms=%.3f p99_ms=%.3f ns_per_step=%.1f "
		       "one_shot_p50_ms=%.3f lead_s=%.0f\n", pb->nsteps, pb->nflows, tb * 1e3,
		       tb99 * 1e3, tb * 1e9 / (double)pb->nsteps, tbo * 1e3, lead);
		if (size == n) {
			printf("ratio time_per_step generated/demo=%.1f one_shot=%.1f (1 = linear with "
			       "the demo's cache-resident arrays)\n",
			       (tb / (double)pb->nsteps) / (td / (double)pd->nsteps),
			       (tbo / (double)pb->nsteps) / (tdo / (double)pd->nsteps));
			workbook_free(&big);
			break;
		}
		workbook_free(&big);
	}
	figures_ws_free(&ws);
	workbook_free(&demo);
	return 0;
}
