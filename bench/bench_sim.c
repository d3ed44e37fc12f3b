/*
 * bench_sim.c - events per second of the simulation engine (model/sim.c):
 *
 *   build/bench/bench_sim mm5 [CUSTOMERS]     an M/M/5 queue (rho 0.8), the
 *                                             model sim_floor and SimPy run
 *   build/bench/bench_sim big [CASES]         a generated 1 000-step process
 *                                             over 10 lanes, 10 % rework
 *   build/bench/bench_sim demo [WORKBOOK]     the first process of WORKBOOK
 *                                             or of the bundled demo
 *                                             (10 000 cases), then a compare:
 *                                             baseline and first scenario,
 *                                             10 replications x 10 000 each
 *   build/bench/bench_sim coverage [SEEDS [CASES [REPS]]]
 *                                             how often the default 95 %
 *                                             interval of an M/M/1's time in
 *                                             system holds W = 1/(mu-lambda),
 *                                             at rho 0.8 and 0.95, over SEEDS
 *                                             seeds (default 100; CASES and
 *                                             REPS default to the defaults;
 *                                             BENCH_NO_MSER=1, BENCH_FIXED_CASES=1,
 *                                             BENCH_WARMUP_S=T and BENCH_ONLY_095=1
 *                                             turn parts of the defaults off to
 *                                             compare)
 *
 * Each prints one line of key=value pairs; bench/run-sim.sh puts them beside
 * the floor and SimPy. Not a test: nothing here asserts.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/scenario.h"
#include "examples/demo.h"
#include "model/sim.h"
#include "store/store.h"

static struct workbook *wb;

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
die(const char *what, const struct err *err)
{
	fprintf(stderr, "bench_sim: %s: %s\n", what, err && err->msg[0] ? err->msg : "failed");
	exit(1);
}

static sm_id
lane(struct process *p, const char *name, int capacity)
{
	struct lane *l = calloc(1, sizeof *l);

	if (!l)
		die("lane", NULL);
	l->id = workbook_new_id(wb);
	l->name = strdup(name);
	l->stage = STAGE_OFFSTAGE;
	l->capacity = capacity;
	l->key = (double)p->nlanes;
	if (process_add_lane(p, l) != STATUS_OK)
		die("lane", NULL);
	return l->id;
}

static void
step(struct process *p, const char *name, sm_id l, struct dist work, double error_rate)
{
	struct step *s = calloc(1, sizeof *s);

	if (!s)
		die("step", NULL);
	step_init(s);
	free(s->name);
	s->name = strdup(name);
	s->id = workbook_new_id(wb);
	s->key = 1024.0 * (double)(p->nsteps + 1);
	s->lane = l;
	s->work = work;
	s->error_rate = error_rate;
	if (process_add_step(p, s) != STATUS_OK)
		die("step", NULL);
}

static void
report(const char *name, const struct sim_result *r, double secs, size_t cases)
{
	printf("%s cases=%zu events=%" PRIu64 " seconds=%.4f events_per_s=%.0f "
	       "cases_per_s=%.0f mean_s=%.4f\n", name, cases, r->events, secs,
	       (double)r->events / secs, (double)cases / secs, r->total.mean);
}

static void
run(const char *name, const struct process *p, size_t cases, unsigned reps)
{
	struct sim_options o;
	struct sim_result r;
	struct err err = { 0 };
	double t0, secs;

	sim_options_init(&o);
	o.cases = cases;
	o.replications = reps;
	t0 = now_s();
	if (sim_run(p, &o, &r, &err) != STATUS_OK)
		die(name, &err);
	secs = now_s() - t0;
	report(name, &r, secs, cases * reps);
	if (!strcmp(name, "engine-mm5"))
		printf("engine-mm5 mean_wait=%.4f\n", r.steps[0].queue_s);
	sim_result_done(&r);
}

static int
bench_mm5(size_t n)
{
	struct process *p = workbook_add_process(wb, workbook_new_id(wb), "M/M/5");

	p->arrival = (struct dist){ DIST_EXP, { 1.0, 0, 0 } };
	step(p, "serve", lane(p, "servers", 5), (struct dist){ DIST_EXP, { 4.0, 0, 0 } }, 0);
	process_reindex(p);
	run("engine-mm5", p, n, 1);
	return 0;
}

static int
bench_big(size_t n)
{
	struct process *p = workbook_add_process(wb, workbook_new_id(wb), "generated");
	sm_id lanes[10];
	char name[32];
	int i;

	/* 100 steps a lane, 60 s each, done 1/0.9 times: 6 667 s of work a
	 * lane per case; a case every 600 s needs 11.1 servers: 14 give 0.79. */
	p->arrival = (struct dist){ DIST_EXP, { 600, 0, 0 } };
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "lane %d", i + 1);
		lanes[i] = lane(p, name, 14);
	}
	for (i = 0; i < 1000; i++) {
		static const enum dist_kind kinds[] = { DIST_EXP, DIST_TRI, DIST_FIXED, DIST_UNI };
		struct dist d = { kinds[i % 4], { 0, 0, 0 } };

		switch (d.kind) {
		case DIST_TRI: d.p[0] = 30; d.p[1] = 50; d.p[2] = 100; break;
		case DIST_UNI: d.p[0] = 30; d.p[1] = 90; break;
		default: d.p[0] = 60; break;
		}
		snprintf(name, sizeof name, "step %d", i + 1);
		step(p, name, lanes[(i * 7) % 10], d, 0.1);
	}
	process_reindex(p);
	run("engine-big", p, n, 1);
	return 0;
}

/* Baseline and first scenario (the baseline twice when there is none) with
 * o, as the S screen runs them, the scenario applied inside the time; the
 * seconds it took. */
static double
pair(const struct process *p, const struct sim_options *o, struct sim_result *a,
     struct sim_result *b, bool *scenario)
{
	struct process *derived = NULL;
	struct err err = { 0 };
	double t0 = now_s(), secs;

	if (p->nscenarios &&
	    scenario_apply(p, p->scenarios[0], &derived, NULL, &err) != STATUS_OK)
		die("scenario", &err);
	if (sim_run(p, o, a, &err) != STATUS_OK ||
	    sim_run(derived ? derived : p, o, b, &err) != STATUS_OK)
		die("pair", &err);
	secs = now_s() - t0;
	*scenario = derived != NULL;
	process_free(&derived);
	return secs;
}

/* The demo: from WORKBOOK when given, else the bundled one (demo.h). */
static int
bench_demo(const char *path)
{
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct err err = { 0 };
	const struct process *p;
	double secs;
	struct sim_options o;
	struct sim_result a, b;
	bool scenario;

	if (!path)
		w = demo_workbook();
	else if (store_open(path, STORE_READONLY, &s, &err) != STATUS_OK ||
	         store_load(s, &w, &err) != STATUS_OK)
		die(path, &err);
	if (!w || w->nprocs == 0)
		die(path ? path : "demo", NULL);
	p = w->procs[0];
	run("engine-demo", p, 10000, 1);

	/* the S screen's defaults: baseline and scenario */
	sim_options_init(&o);
	secs = pair(p, &o, &a, &b, &scenario);
	printf("defaults-demo runs=2 replications=%u cases=%zu+%zu events=%" PRIu64
	       " seconds=%.4f\n", a.replications, a.rep_cases, b.rep_cases, a.events + b.events,
	       secs);
	sim_result_done(&a);
	sim_result_done(&b);

	/* the compare a user asks for: baseline and scenario, 10 x 10 000 */
	sim_options_init(&o);
	o.replications = 10;
	o.cases = 10000;
	o.cases_auto = false;
	secs = pair(p, &o, &a, &b, &scenario);
	printf("compare-demo runs=2 replications=10 cases=10000 events=%" PRIu64
	       " seconds=%.4f scenario=%s baseline_mean_s=%.1f scenario_mean_s=%.1f\n",
	       a.events + b.events, secs, scenario ? "yes" : "none(baseline twice)",
	       a.total.mean, b.total.mean);
	sim_result_done(&a);
	sim_result_done(&b);
	workbook_free(&w);
	store_close(&s);
	return 0;
}

/* An M/M/1: a case every 100 s, served in exp(100 rho) s; W = 100 rho / (1 - rho). */
static int
bench_coverage(unsigned seeds, size_t cases, unsigned reps)
{
	static const double rhos[] = { 0.8, 0.95 };
	size_t k;

	for (k = getenv("BENCH_ONLY_095") ? 1 : 0; k < sizeof rhos / sizeof rhos[0]; k++) {
		double rho = rhos[k], w = 100 * rho / (1 - rho), t0 = now_s(), width = 0;
		struct process *p = workbook_add_process(wb, workbook_new_id(wb), "M/M/1");
		unsigned seed, held = 0, below = 0, above = 0, unreliable = 0, held_all = 0;
		size_t warm = 0, ran = 0;

		p->arrival = (struct dist){ DIST_EXP, { 100, 0, 0 } };
		step(p, "serve", lane(p, "server", 1), (struct dist){ DIST_EXP, { 100 * rho, 0, 0 } },
		     0);
		process_reindex(p);
		for (seed = 1; seed <= seeds; seed++) {
			struct sim_options o;
			struct sim_result r;
			struct err err = { 0 };

			sim_options_init(&o);
			o.seed = seed;
			if (cases)
				o.cases = cases;
			if (reps)
				o.replications = reps;
			if (getenv("BENCH_NO_MSER"))
				o.warmup_auto = false;
			if (getenv("BENCH_FIXED_CASES"))
				o.cases_auto = false;
			if (getenv("BENCH_WARMUP_S"))
				o.warmup_s = atof(getenv("BENCH_WARMUP_S"));
			if (sim_run(p, &o, &r, &err) != STATUS_OK)
				die("coverage", &err);
			warm += r.warmup_cases;
			ran += r.rep_cases;
			if (r.total.trust != SIM_TRUST_OK) {
				unreliable++;
			} else if (r.total.ci_hi < w) {
				below++;
			} else if (r.total.ci_lo > w) {
				above++;
			} else {
				held++;
			}
			held_all += r.total.ci_lo <= w && w <= r.total.ci_hi;
			width += (r.total.ci_hi - r.total.ci_lo) / 2 / w;
			sim_result_done(&r);
		}
		printf("coverage rho=%.2f W_s=%.0f seeds=%u cases=%zu replications=%u held=%u "
		       "below=%u above=%u unreliable=%u coverage=%.3f coverage_all=%.3f "
		       "half_width=%.3f warmup_cases=%.0f cases_run=%.0f seconds=%.2f\n",
		       rho, w, seeds, cases ? cases : (size_t)SIM_DEFAULT_CASES,
		       reps ? reps : SIM_DEFAULT_REPLICATIONS, held, below, above, unreliable,
		       seeds - unreliable ? (double)held / (seeds - unreliable) : 0,
		       (double)held_all / seeds, width / seeds, (double)warm / seeds,
		       (double)ran / seeds, now_s() - t0);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_sim mm5 [CUSTOMERS] | big [CASES] | demo [WORKBOOK] | "
		        "coverage [SEEDS [CASES [REPS]]]\n");
		return 2;
	}
	wb = workbook_new();
	if (!wb)
		return 3;
	if (!strcmp(argv[1], "mm5"))
		rc = bench_mm5(argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000);
	else if (!strcmp(argv[1], "big"))
		rc = bench_big(argc > 2 ? strtoul(argv[2], NULL, 10) : 2000);
	else if (!strcmp(argv[1], "coverage"))
		rc = bench_coverage(argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 100,
		                    argc > 3 ? strtoul(argv[3], NULL, 10) : 0,
		                    argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 0);
	else if (!strcmp(argv[1], "demo"))
		rc = bench_demo(argc > 2 ? argv[2] : NULL);
	else
		rc = 2;
	workbook_free(&wb);
	return rc;
}
