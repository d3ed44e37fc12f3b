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
 * middle to last). Prints one line per process with the best of several
 * runs, then the ratio of the time per step (large / demo): about 1 for a
 * linear computation, growing with the size for anything worse.
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

/* Best time of one figures computation on p (figures_compute_ws() with one
 * workspace kept across the runs when ws is set, figures_compute() when it
 * is NULL), over runs repeated for at least ~0.2 s per try. */
static double
time_figures(const struct process *p, struct figures_ws *ws, double *lead)
{
	struct figures f;
	double best = INFINITY;
	size_t reps = 1, k, tries;

	for (tries = 0; tries < 5; tries++) {
		double t0 = now_s(), dt;

		for (k = 0; k < reps; k++) {
			if ((ws ? figures_compute_ws(p, ws, &f) : figures_compute(p, &f)) != STATUS_OK)
				die("figures_compute failed");
			*lead = f.lead_time_s;
			figures_done(&f);
		}
		dt = (now_s() - t0) / (double)reps;
		if (dt < best)
			best = dt;
		if (dt * (double)reps < 0.2)
			reps = reps * 2 + (size_t)(0.2 / fmax(dt, 1e-9) / 4);
	}
	return best;
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000, size;
	struct workbook *demo = demo_workbook();
	struct figures_ws *ws = figures_ws_new();
	const struct process *pd;
	double td, tdo, tb = 0, tbo, lead;

	if (!demo || !ws)
		die("out of memory");
	pd = demo->procs[0];
	td = time_figures(pd, ws, &lead);
	tdo = time_figures(pd, NULL, &lead);
	printf("demo steps=%zu flows=%zu ms=%.4f ns_per_step=%.1f one_shot_ms=%.4f\n",
	       pd->nsteps, pd->nflows, td * 1e3, td * 1e9 / (double)pd->nsteps, tdo * 1e3);
	/* A ladder of sizes up to n: the time per step should stay flat but for
	 * the memory hierarchy (the arrays outgrow the caches). */
	for (size = 1200; size <= n * 10 / 10; size = size * 10 > n && size < n ? n : size * 10) {
		struct workbook *big = generate(size);
		const struct process *pb = big->procs[0];

		tb = time_figures(pb, ws, &lead);
		tbo = time_figures(pb, NULL, &lead);
		printf("generated steps=%zu flows=%zu ms=%.3f ns_per_step=%.1f one_shot_ms=%.3f "
		       "lead_s=%.0f\n", pb->nsteps, pb->nflows, tb * 1e3,
		       tb * 1e9 / (double)pb->nsteps, tbo * 1e3, lead);
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
