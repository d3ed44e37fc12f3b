/*
 * cmd_simulate.c - stepmap simulate: run the simulation engine on a process,
 * on one of its scenarios or on all of them, and print the results as a
 * table or as JSON (the keys are a contract; see stepmap.1).
 *
 *   stepmap simulate WORKBOOK [-p PROCESS] [-s SCENARIO|--all] [--cases N]
 *                    [--seed S] [--replications R] [--warmup T] [--json]
 *
 * Defaults: 20 replications of 1 000 cases (more when the cases depend on
 * each other), seed 1, the warm-up found from
 * the data (MSER-5, sim.h). An interval that cannot be trusted (a saturated
 * lane, a run that has not settled, one run too short for its correlation)
 * is printed as "unreliable" with the reason, never as numbers. The same
 * options give the same output on every run and every machine (rng.h).
 * Cuts that have gone stale are named on stderr and left out.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "export/json.h"
#include "model/scenario.h"
#include "model/sim.h"
#include "model/simcheck.h"

struct sim_args {
	const char *path, *process, *scenario;
	bool all, json;
	struct sim_options opt;
};

/* One simulated variant: the baseline (sc NULL) or a scenario. */
struct run {
	const struct scenario *sc;
	struct process *derived;     /* owned; NULL for the baseline */
	const struct process *p;     /* what was simulated */
	struct sim_result r;
};

/* --- arguments ------------------------------------------------------------ */

static bool
parse_count(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

/* --name VALUE or --name=VALUE; *i moves past what was used. */
static const char *
opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name))
		return NULL;
	if (*i + 1 >= argc)
		return "";
	return argv[++*i];
}

static int
parse_args(int argc, char **argv, struct sim_args *a)
{
	int i;

	memset(a, 0, sizeof *a);
	sim_options_init(&a->opt);
	for (i = 1; i < argc; i++) {
		const char *v;
		uint64_t n;

		if ((v = opt_value(argc, argv, &i, "-p")) ||
		    (v = opt_value(argc, argv, &i, "--process"))) {
			a->process = v;
		} else if ((v = opt_value(argc, argv, &i, "-s")) ||
		           (v = opt_value(argc, argv, &i, "--scenario"))) {
			a->scenario = v;
		} else if (!strcmp(argv[i], "--all")) {
			a->all = true;
		} else if (!strcmp(argv[i], "--json")) {
			a->json = true;
		} else if ((v = opt_value(argc, argv, &i, "--cases"))) {
			if (!parse_count(v, INT32_MAX, &n) || n == 0)
				return cli_usage("simulate: --cases: expected a number of cases from 1, "
				                 "got '%s'", v);
			a->opt.cases = (size_t)n;
			a->opt.cases_auto = false;      /* as many as asked */
		} else if ((v = opt_value(argc, argv, &i, "--seed"))) {
			if (!parse_count(v, UINT64_MAX, &n))
				return cli_usage("simulate: --seed: expected a whole number from 0, "
				                 "got '%s'", v);
			a->opt.seed = n;
		} else if ((v = opt_value(argc, argv, &i, "--replications"))) {
			if (!parse_count(v, 10000, &n) || n == 0)
				return cli_usage("simulate: --replications: expected a number from 1 "
				                 "to 10000, got '%s'", v);
			a->opt.replications = (unsigned)n;
		} else if ((v = opt_value(argc, argv, &i, "--warmup"))) {
			struct dist d;
			struct err err = { 0 };

			if (!strcmp(v, "auto")) {
				a->opt.warmup_auto = true;
				a->opt.warmup_s = 0;
				continue;
			}
			/* the duration parser's own message ("1h70m": write 2h10m) */
			if (dist_parse(v, "--warmup", &d, &err) != STATUS_OK)
				return cli_usage("simulate: %s", err.msg);
			if (d.kind != DIST_FIXED && d.kind != DIST_NONE)
				return cli_usage("simulate: --warmup: expected a time like 2h or "
				                 "'auto', got '%s'", v);
			a->opt.warmup_s = d.kind == DIST_FIXED ? d.p[0] : 0;
			a->opt.warmup_auto = false;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage("simulate: unknown option '%s'", argv[i]);
		} else if (!a->path) {
			a->path = argv[i];
		} else {
			return cli_usage("simulate: one WORKBOOK only, got '%s' too", argv[i]);
		}
	}
	if (!a->path)
		return cli_usage("simulate: which WORKBOOK?");
	if (a->all && a->scenario)
		return cli_usage("simulate: -s and --all do not go together");
	if ((a->process && !*a->process) || (a->scenario && !*a->scenario))
		return cli_usage("simulate: -p and -s need a name");
	a->opt.cases = a->opt.cases ? a->opt.cases : SIM_DEFAULT_CASES;
	return 0;
}

/* --- output ---------------------------------------------------------------- */

/* ci95_s is null when the interval is unreliable; "unreliable" says why
 * (null when it can be read). */
static void
json_stat(FILE *f, const struct run *x, const struct sim_stat *s)
{
	char why[512];

	fputs("\"mean_s\":", f);
	json_write_number(f, s->mean);
	fputs(", \"p50_s\":", f);
	json_write_number(f, s->p50);
	fputs(", \"p90_s\":", f);
	json_write_number(f, s->p90);
	if (s->trust == SIM_TRUST_OK) {
		fputs(", \"ci95_s\":[", f);
		json_write_number(f, s->ci_lo);
		fputs(",", f);
		json_write_number(f, s->ci_hi);
		fputs("], \"unreliable\":null", f);
	} else {
		fputs(", \"ci95_s\":null, \"unreliable\":", f);
		json_write_string(f, sim_trust_text(x->p, &x->r, s->trust, why, sizeof why));
	}
	fprintf(f, ", \"n\":%zu", s->n);
}

static void
json_run(FILE *f, const struct sim_args *a, const struct run *x)
{
	const struct process *p = x->p;
	const struct sim_result *r = &x->r;
	size_t i;

	fputs("{\"process\":", f);
	json_write_string(f, p->name);
	fputs(", \"scenario\":", f);
	if (x->sc)
		json_write_string(f, x->sc->name);
	else
		fputs("null", f);
	fprintf(f, ", \"cases\":%zu, \"seed\":%" PRIu64 ", \"replications\":%u, \"warmup_s\":",
	        r->rep_cases, a->opt.seed, r->replications);
	json_write_number(f, a->opt.warmup_s);
	fprintf(f, ", \"warmup_auto\":%s, \"warmup_cases\":%zu",
	        a->opt.warmup_auto ? "true" : "false", r->warmup_cases);
	fprintf(f, ", \"events\":%" PRIu64 ", \"throughput_per_h\":", r->events);
	json_write_number(f, r->throughput_per_h);
	fputs(",\n \"measures\":[", f);
	for (i = 0; i < r->nmeasures; i++) {
		fputs(i ? ",\n  {\"name\":" : "\n  {\"name\":", f);
		json_write_string(f, p->measures[i]->name);
		fprintf(f, ", \"clock\":\"%s\", ", clock_name(p->measures[i]->clock));
		json_stat(f, x, &r->measures[i]);
		fputc('}', f);
	}
	fputs("],\n \"case\":{", f);
	json_stat(f, x, &r->total);
	fputs("},\n \"lanes\":[", f);
	for (i = 0; i < r->nlanes; i++) {
		fputs(i ? ",\n  {\"name\":" : "\n  {\"name\":", f);
		json_write_string(f, p->lanes[i]->name);
		fprintf(f, ", \"capacity\":%d, \"utilisation\":", r->lanes[i].capacity);
		json_write_number(f, r->lanes[i].utilisation);
		fputs(", \"busy\":", f);
		json_write_number(f, r->lanes[i].busy);
		fputs(", \"queue_mean\":", f);
		json_write_number(f, r->lanes[i].queue_mean);
		fputs(", \"load\":", f);
		json_write_number(f, r->lanes[i].load);
		fputc('}', f);
	}
	fputs("],\n \"steps\":[", f);
	for (i = 0; i < r->nsteps; i++) {
		fputs(i ? ",\n  {\"name\":" : "\n  {\"name\":", f);
		json_write_string(f, p->steps[i]->name);
		fputs(", \"visits\":", f);
		json_write_number(f, r->steps[i].visits);
		fputs(", \"wait_s\":", f);
		json_write_number(f, r->steps[i].wait_s);
		fputs(", \"queue_s\":", f);
		json_write_number(f, r->steps[i].queue_s);
		fputs(", \"work_s\":", f);
		json_write_number(f, r->steps[i].work_s);
		fputc('}', f);
	}
	fputs("]}", f);
}

/* A time in the process's unit (duration_show). */
static const char *
dur(double s, enum time_unit u, char *buf, size_t n)
{
	if (!isfinite(s))
		return "-";
	/* whole seconds read best; short times keep a tenth (auto's rounding;
	 * a unit of its own rounds the time itself) */
	if (u != TIME_UNIT_AUTO)
		return duration_show(s, u, buf, n);
	return duration_show(s >= 10 ? floor(s + 0.5) : floor(s * 10 + 0.5) / 10, u, buf, n);
}

/* name in a column of width characters (UTF-8 counted by code points, not
 * bytes), cut when longer. */
static void
column(FILE *f, const char *name, int width)
{
	const unsigned char *p = (const unsigned char *)name;
	int n = 0;

	for (; *p; p++) {
		if ((*p & 0xc0) != 0x80 && n++ == width)
			break;
		fputc(*p, f);
	}
	for (; n < width; n++)
		fputc(' ', f);
}

static void
text_stat(FILE *f, const char *name, const struct sim_stat *s, enum time_unit u)
{
	char a[DIST_TEXT_MAX], b[DIST_TEXT_MAX], c[DIST_TEXT_MAX], d[DIST_TEXT_MAX],
	     e[DIST_TEXT_MAX];

	fputs("  ", f);
	column(f, name, 32);
	fprintf(f, " %12s %12s %12s   ",
	        dur(s->mean, u, a, sizeof a), dur(s->p50, u, b, sizeof b), dur(s->p90, u, c, sizeof c));
	if (s->trust == SIM_TRUST_OK || !s->n)
		fprintf(f, "%s .. %s\n", dur(s->ci_lo, u, d, sizeof d), dur(s->ci_hi, u, e, sizeof e));
	else
		fprintf(f, "unreliable (!)\n");
}

/* Why the intervals marked unreliable are, one line each reason. */
static void
text_trust(FILE *f, const struct run *x)
{
	const struct sim_result *r = &x->r;
	bool said[SIM_TRUST_SHORT + 1] = { false };
	char why[512];
	size_t i;

	for (i = 0; i <= r->nmeasures; i++) {
		const struct sim_stat *s = i < r->nmeasures ? &r->measures[i] : &r->total;

		if (s->trust == SIM_TRUST_OK || !s->n || said[s->trust])
			continue;
		said[s->trust] = true;
		fprintf(f, "  ! unreliable: %s\n", sim_trust_text(x->p, r, s->trust, why, sizeof why));
	}
}

static void
text_run(FILE *f, const struct sim_args *a, const struct run *x)
{
	const struct process *p = x->p;
	const struct sim_result *r = &x->r;
	char buf[DIST_TEXT_MAX];
	size_t i, shown = 0, *order = NULL;

	fprintf(f, "%s: %s%s%s\n", p->name, x->sc ? "scenario '" : "baseline",
	        x->sc ? x->sc->name : "", x->sc ? "'" : "");
	fprintf(f, "  %zu cases x %u replication%s, seed %" PRIu64, r->rep_cases,
	        r->replications, r->replications == 1 ? "" : "s", a->opt.seed);
	if (r->rep_cases > a->opt.cases)
		fprintf(f, " (more than the %zu set: the cases depend on each other)", a->opt.cases);
	if (a->opt.warmup_s > 0)
		fprintf(f, ", warm-up %s", dur(a->opt.warmup_s, p->time_unit, buf, sizeof buf));
	if (a->opt.warmup_auto)
		fprintf(f, ", warm-up %zu case%s a replication (found from the data)",
		        r->warmup_cases, r->warmup_cases == 1 ? "" : "s");
	fprintf(f, "; %" PRIu64 " events\n\n", r->events);
	fprintf(f, "  %-32s %12s %12s %12s   %s\n", "", "mean", "P50", "P90", "95 % interval");
	for (i = 0; i < r->nmeasures; i++)
		text_stat(f, p->measures[i]->name, &r->measures[i], p->time_unit);
	text_stat(f, "whole case", &r->total, p->time_unit);
	text_trust(f, x);
	if (isfinite(r->throughput_per_h) && r->throughput_per_h > 0)
		fprintf(f, "\n  throughput %.1f cases per hour\n", r->throughput_per_h);
	if (r->nlanes) {
		fprintf(f, "\n  %-32s %12s %12s %12s\n", "lane", "capacity", "busy", "use");
		for (i = 0; i < r->nlanes; i++) {
			const struct sim_lane *l = &r->lanes[i];
			char cap[16], use[16];

			snprintf(cap, sizeof cap, l->capacity ? "%d" : "-", l->capacity);
			snprintf(use, sizeof use, isfinite(l->utilisation) ? "%.0f %%" : "-",
			         l->utilisation * 100);
			if (l->load >= 1)
				snprintf(use, sizeof use, "asked %.0f %%!", l->load * 100);
			fputs("  ", f);
			column(f, p->lanes[i]->name, 32);
			fprintf(f, " %12s %12.2f %12s\n", cap, l->busy, use);
		}
	}
	/* the steps where cases wait longest */
	order = malloc((r->nsteps + 1) * sizeof *order);
	if (order) {
		size_t j;

		for (i = 0; i < r->nsteps; i++)
			order[i] = i;
		for (i = 0; i < r->nsteps && i < 5; i++)
			for (j = i + 1; j < r->nsteps; j++) {
				double wi = r->steps[order[i]].wait_s * r->steps[order[i]].visits;
				double wj = r->steps[order[j]].wait_s * r->steps[order[j]].visits;

				if (wj > wi) {
					size_t t = order[i];

					order[i] = order[j];
					order[j] = t;
				}
			}
		for (i = 0; i < r->nsteps && i < 5; i++) {
			const struct sim_step *s = &r->steps[order[i]];
			char w[DIST_TEXT_MAX], q[DIST_TEXT_MAX];

			if (!(s->wait_s * s->visits > 0))
				break;
			if (!shown++)
				fprintf(f, "\n  %-32s %12s %12s %12s\n", "longest waits (per case)",
				        "each wait", "queued", "visits");
			fprintf(f, "  %3zu ", order[i] + 1);
			column(f, p->steps[order[i]]->name, 28);
			fprintf(f, " %12s %12s %12.2f\n", dur(s->wait_s, p->time_unit, w, sizeof w),
			        dur(s->queue_s, p->time_unit, q, sizeof q), s->visits);
		}
		free(order);
	}
}

/* --- running ---------------------------------------------------------------- */

static void
report_stale(const struct process *base, const struct scenario *sc, const bool *stale)
{
	size_t i;

	for (i = 0; i < sc->ncuts; i++)
		if (stale[i])
			fprintf(stderr, "stepmap: %s: scenario '%s': cut %zu (%s) is stale and "
			        "was left out\n", base->name, sc->name, i + 1,
			        cut_kind_name(sc->cuts[i]->kind));
}

static enum status
run_one(const struct process *base, const struct scenario *sc, const struct sim_args *a,
        struct run *x, struct err *err)
{
	enum status st;

	memset(x, 0, sizeof *x);
	x->sc = sc;
	x->p = base;
	if (sc) {
		bool *stale = NULL;

		st = scenario_apply(base, sc, &x->derived, &stale, err);
		if (st != STATUS_OK)
			return st;
		report_stale(base, sc, stale);
		free(stale);
		x->p = x->derived;
	}
	st = sim_run(x->p, &a->opt, &x->r, err);
	if (st != STATUS_OK)
		return err_prefix(err, "%s%s%s: ", base->name, sc ? ": scenario " : "",
		                  sc ? sc->name : "");
	{
		struct simwarn w[4];
		size_t i, n = sim_check(x->p, &x->r, w, 4);

		for (i = 0; i < n && i < 4; i++)
			fprintf(stderr, "stepmap: %s: %s%s%s: warning: %s%s\n", a->path, base->name,
			        sc ? ": scenario " : "", sc ? sc->name : "", w[i].text,
			        w[i].kind == SIMWARN_NO_ARRIVALS
			        ? " (an arrival pattern, e.g. 12/h: the workbench's process form, O, or a "
			          "CSV arrival column)" : "");
	}
	return STATUS_OK;
}

static void
run_done(struct run *x)
{
	sim_result_done(&x->r);
	process_free(&x->derived);
}

static const struct scenario *
pick_scenario(const struct process *p, const char *name)
{
	const struct scenario *sc = process_scenario_named(p, name);
	char *end;
	unsigned long n;

	if (sc)
		return sc;
	n = strtoul(name, &end, 10);
	if (!*end && n >= 1 && n <= p->nscenarios)
		return p->scenarios[n - 1];
	return NULL;
}

int
cmd_simulate(int argc, char **argv)
{
	struct sim_args a;
	struct store *store = NULL;
	struct workbook *wb = NULL;
	const struct process *p;
	struct run *runs = NULL;
	size_t nruns = 0, i, want;
	struct err err = { 0 };
	enum status st = STATUS_OK;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc;
	if ((rc = cli_open_workbook(a.path, STORE_READONLY, &store, &wb)) != 0)
		return rc;
	rc = 1;
	if (!(p = cli_pick_process(wb, a.process, a.path)))
		goto out;
	want = a.all ? 1 + p->nscenarios : 1;
	runs = calloc(want, sizeof *runs);
	if (!runs) {
		rc = cli_fail(STATUS_NOMEM, NULL);
		goto out;
	}
	if (a.scenario) {
		const struct scenario *sc = pick_scenario(p, a.scenario);

		if (!sc) {
			fprintf(stderr, "stepmap: %s: process '%s' has no scenario '%s' "
			        "(there are %zu)\n", a.path, p->name, a.scenario, p->nscenarios);
			goto out;
		}
		st = run_one(p, sc, &a, &runs[nruns++], &err);
	} else {
		st = run_one(p, NULL, &a, &runs[nruns++], &err);
		for (i = 0; a.all && st == STATUS_OK && i < p->nscenarios; i++)
			st = run_one(p, p->scenarios[i], &a, &runs[nruns++], &err);
	}
	if (st != STATUS_OK) {
		rc = cli_fail(st, &err);
		goto out;
	}
	if (a.json) {
		if (a.all)
			fputs("[", stdout);
		for (i = 0; i < nruns; i++) {
			if (i)
				fputs(",\n", stdout);
			json_run(stdout, &a, &runs[i]);
		}
		fputs(a.all ? "]\n" : "\n", stdout);
	} else {
		for (i = 0; i < nruns; i++) {
			if (i)
				fputc('\n', stdout);
			text_run(stdout, &a, &runs[i]);
		}
	}
	rc = fflush(stdout) == 0 ? 0 : cli_fail(STATUS_IO, NULL);
out:
	for (i = 0; i < nruns; i++)
		run_done(&runs[i]);
	free(runs);
	workbook_free(&wb);
	store_close(&store);
	return rc;
}
