/*
 * cmd_report.c - stepmap report WORKBOOK [-p PROCESS] [-s SCENARIO]
 * [--unit UNIT] [--json]: the derived figures of each process
 * (model/figures.h), then of each of its scenarios beside the baseline with
 * the change ("steps  111 → 46  −59 %"). Times are shown in each process's
 * time unit, or in UNIT (auto, s, min, h, d) for all of them.
 *
 * --json prints one object (export/json.h: the keys are a contract). The
 * workbook is opened read-only and never modified.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "export/json.h"
#include "model/scenario.h"

struct report_args {
	const char *path, *process, *scenario;
	bool json;
	bool unit_given;             /* --unit: every process's times shown in unit */
	enum time_unit unit;
};

static int
parse_args(int argc, char **argv, struct report_args *a)
{
	int i;

	memset(a, 0, sizeof *a);
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--json")) {
			a->json = true;
		} else if (!strcmp(arg, "--unit")) {
			struct err err = { 0 };

			if (i + 1 >= argc)
				return cli_usage("report: --unit needs a unit (%s)", TIME_UNIT_LIST);
			if (time_unit_read(argv[++i], "--unit", &a->unit, &err) != STATUS_OK)
				return cli_usage("report: %s", err.msg);
			a->unit_given = true;
		} else if (!strcmp(arg, "-p") || !strcmp(arg, "--process") ||
		           !strcmp(arg, "-s") || !strcmp(arg, "--scenario")) {
			bool process = !strcmp(arg, "-p") || !strcmp(arg, "--process");
			const char **slot = process ? &a->process : &a->scenario;

			if (i + 1 >= argc || !argv[i + 1][0])
				return cli_usage("report: %s needs a name", arg);
			*slot = argv[++i];
		} else if (arg[0] == '-' && arg[1]) {
			return cli_usage("report: unknown option '%s'", arg);
		} else if (a->path) {
			return cli_usage("report: one WORKBOOK, got '%s' and '%s'", a->path, arg);
		} else {
			a->path = arg;
		}
	}
	if (!a->path)
		return cli_usage("report: missing WORKBOOK "
		                 "(stepmap report WORKBOOK [-p PROCESS] [-s SCENARIO] [--unit UNIT] "
		                 "[--json])");
	return 0;
}

/* --- text ------------------------------------------------------------------- */

/* Print s padded with spaces to `width` columns, counting UTF-8 characters
 * rather than bytes ("→" is one column); right-aligned when right. */
static void
put_padded(const char *s, int width, bool right)
{
	const unsigned char *p;
	int n = 0;

	for (p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xc0) != 0x80;
	if (right)
		printf("%*s%s", n < width ? width - n : 0, "", s);
	else
		printf("%s%*s", s, n < width ? width - n : 0, "");
}

/* One row of the comparison: label, baseline → scenario, change. */
static void
row(const char *label, const char *a, const char *b, const char *c)
{
	printf("    ");
	put_padded(label, 32, false);
	putchar(' ');
	put_padded(a, 10, true);
	printf(" → ");
	put_padded(b, 10, false);
	printf(" %s\n", c);
}

/* A time in the process's unit (duration_show). */
static const char *
dur(double s, enum time_unit u, char *buf, size_t size)
{
	if (!isfinite(s))
		return "—";
	/* Whole seconds: the expected values carry fractions nobody reads
	 * (auto's rounding; a unit of its own rounds the time itself). */
	return duration_show(u == TIME_UNIT_AUTO ? floor(s + 0.5) : s, u, buf, size);
}

/* "−59 %", "+5 %", "0 %", or "" when the baseline is 0 or unknown. */
static const char *
change(double base, double now, char *buf, size_t size)
{
	double pct;

	if (!isfinite(base) || !isfinite(now) || base == 0)
		return "";
	pct = (now - base) / fabs(base) * 100;
	if (fabs(pct) < 0.5)
		snprintf(buf, size, "0 %%");
	else
		snprintf(buf, size, "%s%.0f %%", pct < 0 ? "−" : "+", fabs(pct));
	return buf;
}

static void
row_count(const char *label, size_t a, size_t b)
{
	char x[32], y[32], c[32];

	snprintf(x, sizeof x, "%zu", a);
	snprintf(y, sizeof y, "%zu", b);
	row(label, x, y, change((double)a, (double)b, c, sizeof c));
}

static void
row_time(const char *label, double a, double b, enum time_unit u)
{
	char x[DIST_TEXT_MAX], y[DIST_TEXT_MAX], c[32];

	row(label, dur(a, u, x, sizeof x), dur(b, u, y, sizeof y), change(a, b, c, sizeof c));
}

static void
row_pct(const char *label, double a, double b)
{
	char x[32], y[32], c[32];

	snprintf(x, sizeof x, "%.1f %%", a * 100);
	snprintf(y, sizeof y, "%.1f %%", b * 100);
	row(label, x, y, change(a, b, c, sizeof c));
}

/* "-10h23m" or "+25m": a gap between the two clocks. */
static const char *
gap(double s, enum time_unit u, char *buf, size_t size)
{
	char t[DIST_TEXT_MAX];

	if (!isfinite(s))
		return "—";
	snprintf(buf, size, "%s%s", s < 0 ? "−" : "+", dur(fabs(s), u, t, sizeof t));
	return buf;
}

/* Each customer-clock measure beside the process-clock measure it is
 * paired with (figures_golden()), and the gap. */
static void
print_golden_thread(const struct process *p, const struct figures *f)
{
	char a[DIST_TEXT_MAX], b[DIST_TEXT_MAX], c[DIST_TEXT_MAX + 8];
	struct golden g;
	size_t i;
	bool first = true;

	for (i = 0; i < p->nmeasures; i++) {
		if (!figures_golden(p, f, i, &g))
			continue;
		if (first)
			printf("  golden thread (the customer's clock beside the process's):\n");
		first = false;
		printf("    ");
		put_padded(p->measures[i]->name, 36, false);
		printf(" %s", dur(g.customer_s, p->time_unit, a, sizeof a));
		if (g.process == NPOS_MEASURE)
			printf("   (no process-clock measure over these steps)\n");
		else
			printf("   beside %s %s   gap %s\n", p->measures[g.process]->name,
			       dur(g.process_s, p->time_unit, b, sizeof b), gap(g.gap_s, p->time_unit, c, sizeof c));
	}
}

static void
print_figures(const struct process *p, const struct figures *f)
{
	char a[DIST_TEXT_MAX], b[DIST_TEXT_MAX], c[DIST_TEXT_MAX];
	size_t i;
	bool first;

	printf("  steps %zu:", f->steps);
	for (i = 0; i < STAGE_COUNT_; i++)
		printf("%s %s %zu", i ? "," : "", stage_name((enum stage)i), f->by_stage[i]);
	if (f->no_lane)
		printf(", no lane %zu", f->no_lane);
	printf("\n  by type:");
	for (i = 0, first = true; i < STEP_TYPE_COUNT_; i++)
		if (f->by_type[i]) {
			printf("%s %s %zu", first ? "" : ",", step_type_name((enum step_type)i),
			       f->by_type[i]);
			first = false;
		}
	printf("\n  by lane:");
	for (i = 0; i < p->nlanes && i < f->nlanes; i++)
		printf("%s %s %zu", i ? "," : "", p->lanes[i]->name, f->by_lane[i]);
	printf("\n  hand-offs %zu, touchpoints %zu, manual steps %zu, pain points %zu\n",
	       f->handoffs, f->touchpoints, f->manual_steps, f->pain_points);
	printf("  lead time %s (work %s, wait %s), PCE %.1f %%, RTY %.1f %%, cost %.2f\n",
	       dur(f->lead_time_s, p->time_unit, a, sizeof a), dur(f->work_time_s, p->time_unit, b, sizeof b),
	       dur(f->wait_time_s, p->time_unit, c, sizeof c), f->pce * 100, f->rty * 100, f->cost);
	printf("  (expected times%s%s)\n", f->queueing_left_out
	       ? ", without queueing for staffed lanes: stepmap simulate has the queues" : "",
	       f->joins_approximate ? "; a parallel block too large to compute is taken by "
	       "its longest expected branch, which is too short" : "");
	if (p->nmeasures)
		printf("  measures:\n");
	for (i = 0; i < p->nmeasures && i < f->nmeasures; i++) {
		printf("    ");
		put_padded(p->measures[i]->name, 36, false);
		printf(" %-9s %s\n", clock_name(p->measures[i]->clock),
		       isfinite(f->measures[i].expected_s)
		           ? dur(f->measures[i].expected_s, p->time_unit, a, sizeof a) : "not reached");
	}
	print_golden_thread(p, f);
}

static void
print_comparison(const struct process *base, const struct figures *fb,
                 const struct scenario *sc, const struct process *d,
                 const struct figures *fd, size_t stale)
{
	size_t i, j;

	printf("\n  scenario '%s': %zu cut%s", sc->name, sc->ncuts, sc->ncuts == 1 ? "" : "s");
	if (stale)
		printf(", %zu stale (not applied)", stale);
	printf("\n");
	row("", "baseline", "scenario", "change");
	row_count("steps", fb->steps, fd->steps);
	for (i = 0; i < STAGE_COUNT_; i++) {
		char label[64];

		snprintf(label, sizeof label, "  %s", stage_name((enum stage)i));
		row_count(label, fb->by_stage[i], fd->by_stage[i]);
	}
	row_count("hand-offs", fb->handoffs, fd->handoffs);
	row_count("touchpoints", fb->touchpoints, fd->touchpoints);
	row_count("manual steps", fb->manual_steps, fd->manual_steps);
	row_count("pain points", fb->pain_points, fd->pain_points);
	row_time("lead time", fb->lead_time_s, fd->lead_time_s, base->time_unit);
	row_time("work time", fb->work_time_s, fd->work_time_s, base->time_unit);
	row_time("wait time", fb->wait_time_s, fd->wait_time_s, base->time_unit);
	row_pct("PCE", fb->pce, fd->pce);
	row_pct("RTY", fb->rty, fd->rty);
	/* Measures by id: a cut may rename a measure's ends but keeps it. */
	for (i = 0; i < base->nmeasures && i < fb->nmeasures; i++) {
		double now = NAN;

		for (j = 0; j < d->nmeasures && j < fd->nmeasures; j++)
			if (d->measures[j]->id == base->measures[i]->id)
				now = fd->measures[j].expected_s;
		row_time(base->measures[i]->name, fb->measures[i].expected_s, now, base->time_unit);
	}
	/* The golden thread's gaps, by the baseline's pairs. */
	for (i = 0; i < base->nmeasures; i++) {
		struct golden g, h;
		char label[96], x[DIST_TEXT_MAX + 8], y[DIST_TEXT_MAX + 8];
		double now = NAN;

		if (!figures_golden(base, fb, i, &g) || g.process == NPOS_MEASURE)
			continue;
		for (j = 0; j < d->nmeasures; j++)
			if (d->measures[j]->id == base->measures[i]->id &&
			    figures_golden(d, fd, j, &h) && h.process != NPOS_MEASURE &&
			    d->measures[h.process]->id == base->measures[g.process]->id)
				now = h.gap_s;
		snprintf(label, sizeof label, "gap: %s", base->measures[i]->name);
		row(label, gap(g.gap_s, base->time_unit, x, sizeof x), gap(now, base->time_unit, y, sizeof y), "");
	}
	if (fb->queueing_left_out || fd->queueing_left_out)
		printf("    (expected times, without queueing for staffed lanes: "
		       "stepmap simulate --all has the queues)\n");
}

/* What the event log says beside the map's expected and simulated figures
 * (a process made from a log). */
static void
print_log(const struct process *p, const struct figures *f)
{
	const struct log_summary *l = p->log;
	struct log_check c;
	struct err err = { 0 };
	char a[DIST_TEXT_MAX], b[DIST_TEXT_MAX], e[DIST_TEXT_MAX];
	double expected = NAN;
	size_t i;

	for (i = 0; i < p->nmeasures && i < f->nmeasures; i++)
		if (!strcmp(p->measures[i]->name, "case duration"))
			expected = f->measures[i].expected_s;
	printf("  event log: %zu cases, %zu events, %zu activities, %zu resources, %zu variants, "
	       "%zu directly-follows edges; %.1f %% of the events on the map\n", l->cases,
	       l->events, l->activities, l->resources, l->variants, l->dfg_edges,
	       log_events_on_map_pct(l));
	printf("  %s\n", l->split ? "work and wait measured apart (start and complete times)"
	                          : "completion times only: each step's wait holds its work too");
	printf("  top variants:\n");
	for (i = 0; i < l->ntop && i < 5; i++) {
		const char *s = l->top[i].acts, *nl;

		printf("    %5.1f %% %6zu case%s  ", l->cases ? 100.0 * (double)l->top[i].cases /
		       (double)l->cases : 0, l->top[i].cases, l->top[i].cases == 1 ? " " : "s");
		for (; (nl = strchr(s, '\n')); s = nl + 1)
			printf("%s%.*s", s == l->top[i].acts ? "" : " → ", (int)(nl - s), s);
		printf("\n");
	}
	if (log_check_run(p, LOG_CHECK_CASES, LOG_CHECK_SEED, &c, &err) != STATUS_OK)
		printf("  (the map cannot be simulated: %s)\n", err.msg);
	printf("  case duration          measured (log)  expected (map)  simulated (%zu cases)\n",
	       c.sim_cases);
	printf("    mean                 ");
	put_padded(dur(c.obs_mean, p->time_unit, a, sizeof a), 15, false);
	putchar(' ');
	put_padded(dur(expected, p->time_unit, b, sizeof b), 15, false);
	printf(" %s", dur(c.sim_mean, p->time_unit, e, sizeof e));
	if (isfinite(c.sim_ci_lo))
		printf(" (95 %% %s", dur(c.sim_ci_lo, p->time_unit, a, sizeof a)), printf("–%s)",
		                                                     dur(c.sim_ci_hi, p->time_unit, a, sizeof a));
	printf("\n    median               ");
	put_padded(dur(c.obs_p50, p->time_unit, a, sizeof a), 15, false);
	printf(" %-15s %s\n", "-", dur(c.sim_p50, p->time_unit, e, sizeof e));
	printf("    P90                  ");
	put_padded(dur(c.obs_p90, p->time_unit, a, sizeof a), 15, false);
	printf(" %-15s %s\n", "-", dur(c.sim_p90, p->time_unit, e, sizeof e));
	printf("  cycle-time distance (log vs simulated, 1-hour bins): %.1f h; a single exponential "
	       "with the log's mean: %.1f h\n", c.emd_h, c.baseline_emd_h);
}

static enum status
print_process(const struct process *p, const char *scenario_only, struct err *err)
{
	struct figures fb;
	enum status st;
	size_t i;

	if ((st = figures_compute(p, &fb)) != STATUS_OK)
		return err_set(err, st, "process '%s': %s", p->name, status_text(st));
	printf("%s\n", p->name);
	print_figures(p, &fb);
	if (p->log)
		print_log(p, &fb);
	for (i = 0; i < p->nscenarios; i++) {
		const struct scenario *sc = p->scenarios[i];
		struct process *d;
		struct figures fd;
		size_t stale;

		if (scenario_only && strcmp(sc->name, scenario_only))
			continue;
		st = report_scenario_figures(p, sc, &d, &fd, &stale, err);
		if (st != STATUS_OK)
			break;
		print_comparison(p, &fb, sc, d, &fd, stale);
		figures_done(&fd);
		process_free(&d);
	}
	figures_done(&fb);
	return st;
}

int
cmd_report(int argc, char **argv)
{
	struct report_args a;
	struct store *store = NULL;
	struct workbook *w = NULL;
	const struct process *only = NULL;
	struct err err = { 0 };
	enum status st = STATUS_OK;
	size_t i;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc;
	if ((rc = cli_open_workbook(a.path, STORE_READONLY, &store, &w)) != 0)
		return rc;
	/* the workbook is read-only here: the override is the copy in memory's */
	for (i = 0; a.unit_given && i < w->nprocs; i++)
		w->procs[i]->time_unit = a.unit;
	if (a.process && !(only = cli_pick_process(w, a.process, a.path))) {
		rc = 1;
		goto out;
	}
	if (a.scenario) {
		bool found = false;

		for (i = 0; i < w->nprocs && !found; i++)
			if (!only || w->procs[i] == only)
				found = process_scenario_named(w->procs[i], a.scenario) != NULL;
		if (!found) {
			fprintf(stderr, "stepmap: %s: no scenario named '%s'\n", a.path, a.scenario);
			rc = 1;
			goto out;
		}
	}
	if (a.json) {
		st = report_json_write(stdout, w, only, a.scenario, &err);
	} else {
		bool first = true;

		for (i = 0; i < w->nprocs && st == STATUS_OK; i++) {
			if (only && w->procs[i] != only)
				continue;
			if (a.scenario && !process_scenario_named(w->procs[i], a.scenario))
				continue;
			if (!first)
				printf("\n");
			first = false;
			st = print_process(w->procs[i], a.scenario, &err);
		}
		if (st == STATUS_OK && first)
			printf("%s: the workbook has no process\n", a.path);
	}
	if (st == STATUS_OK && fflush(stdout) != 0)
		st = err_set(&err, STATUS_IO, "standard output: cannot write");
	else if (st != STATUS_OK && strncmp(err.msg, a.path, strlen(a.path)) != 0)
		err_prefix(&err, "%s: ", a.path);    /* a figure that failed: which workbook */
	rc = st == STATUS_OK ? 0 : cli_fail(st, &err);
out:
	store_close(&store);
	workbook_free(&w);
	return rc;
}
