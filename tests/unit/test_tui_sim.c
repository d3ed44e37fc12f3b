/*
 * test_tui_sim.c - the simulation screen and the walk, on the demo saved to
 * a workbook file: the figures on screen are the engine's for the same
 * options (sim_run called here, beside the screen), the histogram's rows
 * hold the share of the engine's samples in their bins, r and + run again
 * with the next seed and more cases, Esc in the key script cancels a run
 * (the screen says so and r runs it again), the walk follows the traced
 * case nearest the median (its clock moves on and back with the trace's
 * times, to its end), and both screens survive 20x6 and plain ASCII.
 *
 * The run time on the screen is masked before a screen is compared.
 */
#include <ctype.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "examples/demo.h"
#include "model/scenario.h"
#include "model/sim.h"
#include "tests/unit/handmade.h"
#include "tests/unit/test_tui_harness.h"
#include "tui/sim_views.h"

/* --- helpers ------------------------------------------------------------------------ */

static void
demo_open(struct tt *t, int rows, int cols, const char *script)
{
	struct tui_options opt = { 0 };

	tt_locale();
	tt_setup(t, demo_workbook());
	opt.name = "work.stepmap";
	opt.script = script;
	t->tui = tui_test_open(t->store, t->wb, &opt, rows, cols);
	assert_non_null(t->tui);
}

/* The engine on the demo as the file holds it. */
static void
engine(struct tt *t, uint64_t seed, size_t cases, size_t trace, struct sim_result *r)
{
	struct sim_options o;
	struct err err = { 0 };

	sim_options_init(&o);
	o.seed = seed;
	o.cases = cases;
	o.trace_case = trace;
	if (sim_run(t->wb->procs[0], &o, r, &err) != STATUS_OK)
		fail_msg("sim_run: %s", err.msg);
}

/* The engine on the demo's redesign scenario. */
static void
engine_scenario(struct tt *t, size_t trace, struct sim_result *r)
{
	const struct process *p = t->wb->procs[0];
	const struct scenario *sc = process_scenario_named(p, DEMO_SCENARIO_NAME);
	struct process *d = NULL;
	struct sim_options o;
	struct err err = { 0 };

	assert_non_null(sc);
	assert_int_equal(scenario_apply(p, sc, &d, NULL, &err), STATUS_OK);
	sim_options_init(&o);
	o.trace_case = trace;
	if (sim_run(d, &o, r, &err) != STATUS_OK)
		fail_msg("sim_run: %s", err.msg);
	process_free(&d);
}

/* The screen with the run time masked ("ran in # ms"); caller frees. */
static char *
screen(struct tt *t)
{
	char *s = tui_test_screen(t->tui), *p;

	assert_non_null(s);
	if ((p = strstr(s, "ran in "))) {
		char *q = p + 7, *e = q;

		while (isdigit((unsigned char)*e))
			e++;
		assert_true(e > q);
		memmove(q + 1, e, strlen(e) + 1);
		*q = '#';
	}
	return s;
}

/* Compare the masked screen with tests/screens/NAME.txt (or write it). */
static void
expect(struct tt *t, const char *name)
{
	char path[600], *got = screen(t), want[1 << 16];
	const char *top = getenv("TOP"), *update = getenv("STEPMAP_UPDATE_SCREENS");
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "%s/tests/screens/%s.txt", top && *top ? top : ".", name);
	if (update && !strcmp(update, "1")) {
		assert_non_null(f = fopen(path, "w"));
		fputs(got, f);
		assert_int_equal(fclose(f), 0);
		free(got);
		return;
	}
	if (!(f = fopen(path, "r")))
		fail_msg("%s: missing (STEPMAP_UPDATE_SCREENS=1 writes it); the screen is:\n%s", path,
		         got);
	n = fread(want, 1, sizeof want - 1, f);
	fclose(f);
	want[n] = '\0';
	if (strcmp(want, got)) {
		fprintf(stderr, "screen %s differs from %s\n--- expected\n%s--- got\n%s", name, path,
		        want, got);
		free(got);
		fail();
	}
	free(got);
}

/* The first line of the screen holding needle, into out ("" when none). */
static char *
line_with(struct tt *t, const char *needle, char *out, size_t size)
{
	char *s = screen(t), *p = strstr(s, needle), *b, *e;

	out[0] = '\0';
	if (p) {
		for (b = p; b > s && b[-1] != '\n'; b--)
			;
		e = strchr(p, '\n');
		snprintf(out, size, "%.*s", (int)(e - b), b);
	}
	free(s);
	return out;
}

static void
assert_in(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not in '%s'", needle, hay);
}

/* Seconds of a time as the screen writes it ("1h2m3s"). */
static double
secs(const char *text)
{
	struct dist d;
	struct err err = { 0 };

	if (dist_parse(text, NULL, &d, &err) != STATUS_OK || d.kind != DIST_FIXED)
		fail_msg("not a time: '%s'", text);
	return d.p[0];
}

/* --- the simulation screen ---------------------------------------------------------- */

static void
figures_are_the_engines(void **state)
{
	struct tt t;
	struct sim_result r;
	const struct process *p;
	char row[512], a[64], b[64], c[64], want[256];
	size_t i, top = 0;

	(void)state;
	demo_open(&t, 24, 80, NULL);
	p = t.wb->procs[0];
	tt_keys(&t, "S");
	expect(&t, "sim_demo_80x24");
	engine(&t, SIM_DEFAULT_SEED, SIM_DEFAULT_CASES, 0, &r);
	/* the header: cases, seed, events */
	snprintf(want, sizeof want, "1 000 cases × 20 runs, seed 1, %s events",
	         sim_count(r.events, a, sizeof a));
	assert_in(line_with(&t, "runs, seed", row, sizeof row), want);
	snprintf(want, sizeof want, "Warm-up %zu cases a run, found from the data", r.warmup_cases);
	assert_true(tt_shows(&t, want));
	/* each measure and the whole case: mean, P50, P90, 95 % interval */
	for (i = 0; i <= p->nmeasures; i++) {
		const struct sim_stat *s = i < p->nmeasures ? &r.measures[i] : &r.total;

		line_with(&t, i < p->nmeasures ? p->measures[i]->name : "whole case", row, sizeof row);
		snprintf(want, sizeof want, "%7s %7s %7s", sim_time(s->mean, TIME_UNIT_AUTO, a, sizeof a),
		         sim_time(s->p50, TIME_UNIT_AUTO, b, sizeof b), sim_time(s->p90, TIME_UNIT_AUTO, c, sizeof c));
		assert_in(row, want);
		snprintf(want, sizeof want, "  %s–%s", sim_time(s->ci_lo, TIME_UNIT_AUTO, a, sizeof a),
		         sim_time(s->ci_hi, TIME_UNIT_AUTO, b, sizeof b));
		assert_in(row, want);
	}
	/* the demo's headline: 27 minutes to the physician */
	line_with(&t, DEMO_MEASURE_SEEN, row, sizeof row);
	assert_true(r.measures[0].mean > 26 * 60 && r.measures[0].mean < 29 * 60);
	/* the lanes and the longest wait, at the bottom of the page */
	tt_keys(&t, "G");
	expect(&t, "sim_demo_bottom");
	for (i = 0; i < r.nlanes; i++) {
		if (r.lanes[i].capacity <= 0)
			continue;
		snprintf(want, sizeof want, "%s ×%d", p->lanes[i]->name, r.lanes[i].capacity);
		line_with(&t, want, row, sizeof row);
		snprintf(want, sizeof want, "%3.0f %%", r.lanes[i].utilisation * 100);
		assert_in(row, want);
	}
	for (i = 1; i < r.nsteps; i++)
		if (r.steps[i].wait_s * r.steps[i].visits > r.steps[top].wait_s * r.steps[top].visits)
			top = i;
	snprintf(want, sizeof want, "%3zu  %.20s", top + 1, p->steps[top]->name);
	line_with(&t, want, row, sizeof row);
	assert_in(row, sim_time(r.steps[top].wait_s * r.steps[top].visits, TIME_UNIT_AUTO, a, sizeof a));
	sim_result_done(&r);
	tt_done(&t);
}

/* The code point at which needle starts in line (the screen's characters
 * here are one cell each, so this is the column), or -1. */
static int
column_of(const char *line, const char *needle)
{
	const char *p = strstr(line, needle);
	int c = 0;

	if (!p)
		return -1;
	for (; line < p; line++)
		c += ((unsigned char)*line & 0xc0) != 0x80;
	return c;
}

/* Cells [from, from + n) of line, into out. */
static char *
cells(const char *line, int from, int n, char *out, size_t size)
{
	const char *b = line, *e;
	int c = 0;

	for (; *b && c < from; b++)
		c += ((unsigned char)b[1] & 0xc0) != 0x80;
	for (e = b, c = 0; *e && c < n; e++)
		c += ((unsigned char)e[1] & 0xc0) != 0x80;
	snprintf(out, size, "%.*s", (int)(e - b), b);
	return out;
}

/* Each histogram row holds, in column col (0 baseline, 1 scenario), the
 * share of the engine's samples s in its bin, and P50 and P90 mark the bins
 * that hold them. */
static void
check_histogram(struct tt *t, const struct sim_stat *s, int col)
{
	char *text = screen(t), *line, *save = NULL, *bar, part[512];
	double edge[64] = { 0 };
	char pct[64][16];
	bool open = false, p50[64], p90[64];
	size_t n = 0, i, lo, hi, sum = 0;
	int c0 = -1, c1 = 10000;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char label[64], *l = label;
		int k;

		if (strstr(line, "share of") && c0 < 0) {
			c0 = column_of(line, col ? "scenario, share" : "baseline, share");
			if (!col && strstr(line, "scenario, share"))
				c1 = column_of(line, "scenario, share") - c0;
			assert_true(c0 > 0);
			continue;
		}
		if (!(bar = strstr(line, "│")) || n >= 64 || c0 < 0)
			continue;
		snprintf(label, sizeof label, "%.*s", (int)(bar - line), line);
		while (*l == ' ')
			l++;
		if (!strncmp(l, "≥", strlen("≥"))) {
			l += strlen("≥");
			open = true;
		}
		edge[n] = secs(l);
		cells(line, c0, c1, part, sizeof part);
		p50[n] = strstr(part, "P50") != NULL;
		p90[n] = strstr(part, "P90") != NULL;
		bar = strstr(part, " %");
		pct[n][0] = '\0';
		if (bar) {
			for (k = 0; bar - k > part && (isdigit((unsigned char)bar[-k - 1]) ||
			                              bar[-k - 1] == '<'); k++)
				;
			snprintf(pct[n], sizeof pct[n], "%.*s", k + 2, bar - k);
		}
		n++;
	}
	free(text);
	assert_true(n >= 5);
	assert_true(edge[0] <= s->min);
	for (i = 0; i < n; i++) {
		double a = edge[i], b = i + 1 < n ? edge[i + 1] : a + (edge[1] - edge[0]);
		char want[16];

		for (lo = 0; lo < s->n && s->samples[lo] < a; lo++)
			;
		for (hi = lo; hi < s->n && (s->samples[hi] < b || (open && i + 1 == n)); hi++)
			;
		if (i + 1 == n && !open)
			assert_true(hi == s->n);
		sum += hi - lo;
		if (hi == lo)
			snprintf(want, sizeof want, "%s", "");
		else if ((double)(hi - lo) / (double)s->n < 0.005)
			snprintf(want, sizeof want, "<1 %%");
		else
			snprintf(want, sizeof want, "%.0f %%", (double)(hi - lo) / (double)s->n * 100);
		if (strcmp(want, pct[i]))
			fail_msg("bin %zu (%gs): '%s' on screen, %zu of %zu samples ('%s')", i, a,
			         pct[i], hi - lo, s->n, want);
		assert_true(p50[i] == (s->p50 >= a && (s->p50 < b || i + 1 == n)));
		assert_true(p90[i] == (s->p90 >= a && (s->p90 < b || i + 1 == n)));
	}
	assert_int_equal(sum, s->n);
}

static void
histogram_bins_hold_the_samples(void **state)
{
	struct tt t;
	struct sim_result r;

	(void)state;
	demo_open(&t, 50, 100, NULL);
	tt_keys(&t, "S");
	engine(&t, SIM_DEFAULT_SEED, SIM_DEFAULT_CASES, 0, &r);
	assert_true(tt_shows(&t, "Histogram: " DEMO_MEASURE_SEEN));
	check_histogram(&t, &r.measures[0], 0);
	/* Tab: the next measure, its own bins */
	tt_keys(&t, "<Tab>");
	assert_true(tt_shows(&t, "Histogram: " DEMO_MEASURE_ADMIT));
	check_histogram(&t, &r.measures[1], 0);
	tt_keys(&t, "<Tab>");
	assert_true(tt_shows(&t, "Histogram: whole case"));
	check_histogram(&t, &r.total, 0);
	tt_keys(&t, "<Tab>");
	assert_true(tt_shows(&t, "Histogram: " DEMO_MEASURE_SEEN));
	tt_keys(&t, "<S-Tab>");
	assert_true(tt_shows(&t, "Histogram: whole case"));
	sim_result_done(&r);
	tt_done(&t);
}

static void
rerun_new_seed_and_more_cases(void **state)
{
	struct tt t;
	struct sim_result r;
	char row[512], a[64];

	(void)state;
	demo_open(&t, 24, 80, NULL);
	tt_keys(&t, "S");
	tt_keys(&t, "r");
	engine(&t, 2, SIM_DEFAULT_CASES, 0, &r);
	assert_in(line_with(&t, "runs, seed", row, sizeof row), "1 000 cases × 20 runs, seed 2,");
	assert_in(line_with(&t, DEMO_MEASURE_SEEN, row, sizeof row),
	          sim_time(r.measures[0].mean, TIME_UNIT_AUTO, a, sizeof a));
	sim_result_done(&r);
	tt_keys(&t, "+");
	engine(&t, 2, 2000, 0, &r);
	assert_in(line_with(&t, "runs, seed", row, sizeof row),
	          sim_count(r.events, a, sizeof a));
	assert_in(row, "2 000 cases × 20 runs, seed 2,");
	assert_in(line_with(&t, "whole case", row, sizeof row),
	          sim_time(r.total.p90, TIME_UNIT_AUTO, a, sizeof a));
	sim_result_done(&r);
	tt_keys(&t, "--");
	assert_true(tt_shows(&t, " 100 cases × 20 runs, seed 2,"));
	assert_true(tt_shows(&t, "Histogram"));
	tt_keys(&t, "-");
	assert_true(tt_shows(&t, "100 cases is the fewest"));
	/* q closes, back on the map */
	tt_keys(&t, "q");
	assert_false(tt_shows(&t, "Histogram"));
	assert_true(tt_shows(&t, "Walk into the emergency department"));
	tt_done(&t);
}

static void
esc_cancels_and_r_runs_again(void **state)
{
	struct tt t;

	(void)state;
	/* Esc typed ahead of the run: the first look at the keys takes it */
	demo_open(&t, 24, 80, "<Esc>");
	tt_keys(&t, "S");
	assert_true(tt_shows(&t, "Cancelled at"));
	assert_false(tt_shows(&t, "Histogram"));
	expect(&t, "sim_cancelled");
	tt_keys(&t, "r");
	assert_false(tt_shows(&t, "Cancelled"));
	assert_true(tt_shows(&t, "1 000 cases × 20 runs, seed 1,"));
	assert_true(tt_shows(&t, "Histogram"));
	tt_keys(&t, "<Esc>");
	assert_false(tt_shows(&t, "Histogram"));
	tt_done(&t);
	/* any other key typed ahead is left for after the run */
	demo_open(&t, 24, 80, "j");
	tt_keys(&t, "S");
	assert_true(tt_shows(&t, "Histogram"));
	tt_done(&t);
}

static void
small_terminal_and_ascii(void **state)
{
	struct tt t;
	char *s, *p;
	int lines = 0;

	(void)state;
	demo_open(&t, 6, 20, NULL);
	tt_keys(&t, "S");
	expect(&t, "sim_20x6");
	tt_keys(&t, "jjjjGg<Tab>");
	tt_keys(&t, "qw");
	expect(&t, "walk_20x6");
	tt_keys(&t, "jjjG");
	s = tui_test_screen(t.tui);
	for (p = s; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 6);
	free(s);
	tt_keys(&t, "<resize 24x80>");
	assert_true(tt_shows(&t, "Clock 11h"));
	tt_keys(&t, "qS<resize 3x10><resize 24x80>");
	assert_true(tt_shows(&t, "Histogram"));
	tt_done(&t);
	/* a terminal without UTF-8: bars of '#', no block characters */
	setlocale(LC_ALL, "C");
	tt_setup(&t, demo_workbook());
	tt_open(&t, 24, 80);
	tt_keys(&t, "S");
	expect(&t, "sim_ascii");
	assert_true(tt_shows(&t, "|####"));
	tt_done(&t);
	tt_locale();
}

/* --- the walk --------------------------------------------------------------------------- */

/* The clock and the step on screen. */
static double
walk_clock(struct tt *t, size_t *step)
{
	char row[512], *p;

	line_with(t, "Clock ", row, sizeof row);
	p = strstr(row, "Clock ") + 6;
	*strchr(p, ' ') = '\0';
	{
		double c = secs(p);
		char now[512];

		line_with(t, "▶ ", now, sizeof now);
		assert_true(now[0]);
		*step = strtoul(strstr(now, "▶ ") + strlen("▶ "), NULL, 10);
		return c;
	}
}

static void
walk_follows_the_median_case(void **state)
{
	struct tt t;
	struct sim_result r, tr;
	char want[256];
	double clock, prev = -1, end = 0;
	size_t i, k, step, moves = 0;

	(void)state;
	demo_open(&t, 24, 80, NULL);
	engine(&t, SIM_DEFAULT_SEED, SIM_DEFAULT_CASES, 0, &r);
	engine(&t, SIM_DEFAULT_SEED, SIM_DEFAULT_CASES, r.median_case, &tr);
	tt_keys(&t, "w");
	expect(&t, "walk_start");
	snprintf(want, sizeof want, "Case %s of 1 000 (nearest the median), baseline",
	         sim_count(r.median_case, want + 200, 56));
	assert_true(tt_shows(&t, want));
	clock = walk_clock(&t, &step);
	assert_true(clock == 0 && step == 1);
	/* forward: the clock never goes back, and the step shown is one the
	 * traced case is in at that time */
	for (i = 0; i < 60; i++) {
		bool found = false;

		clock = walk_clock(&t, &step);
		assert_true(clock >= prev);
		moves += clock > prev && prev >= 0;
		for (k = 0; k < tr.ntrace; k++)
			if (tr.trace[k].step + 1 == step && tr.trace[k].reach_s <= clock + 0.5 &&
			    clock <= tr.trace[k].end_s + 0.5)
				found = true;
		if (!found)
			fail_msg("step %zu at clock %gs is not in the trace then", step, clock);
		prev = clock;
		tt_keys(&t, i % 3 == 0 ? "j" : i % 3 == 1 ? "<Space>" : "<Right>");
	}
	assert_true(moves >= 30);
	tt_keys(&t, "jjjjjj");
	expect(&t, "walk_forward");
	/* back: the clock goes back */
	clock = walk_clock(&t, &step);
	tt_keys(&t, "kkk<Left>");
	assert_true(walk_clock(&t, &step) < clock);
	/* last: the end of the case, which is the traced case's total */
	tt_keys(&t, "G");
	for (k = 0; k < tr.ntrace; k++)
		if (tr.trace[k].end_s > end)
			end = tr.trace[k].end_s;
	clock = walk_clock(&t, &step);
	assert_true(fabs(clock - end) <= 0.5);
	assert_true(fabs(end - r.total.p50) < 60);    /* a case near the median */
	assert_true(tt_shows(&t, "100 % of"));
	tt_keys(&t, "g");
	assert_true(walk_clock(&t, &step) == 0);
	/* n: the next case, from its arrival */
	tt_keys(&t, "jjn");
	snprintf(want, sizeof want, "Case %s of 1 000, baseline",
	         sim_count(r.median_case + 1, want + 200, 56));
	assert_true(tt_shows(&t, want));
	assert_true(walk_clock(&t, &step) == 0);
	tt_keys(&t, "N");
	assert_true(tt_shows(&t, "(nearest the median)"));
	tt_keys(&t, "q");
	assert_true(tt_shows(&t, "Walk into the emergency department"));
	sim_result_done(&r);
	sim_result_done(&tr);
	tt_done(&t);
}

static void
walk_cancelled(void **state)
{
	struct tt t;

	(void)state;
	demo_open(&t, 24, 80, "<Esc>");
	tt_keys(&t, "w");
	assert_true(tt_shows(&t, "Cancelled at"));
	tt_keys(&t, "r");
	assert_true(tt_shows(&t, "(nearest the median)"));
	assert_true(tt_shows(&t, "Clock 0s"));
	tt_done(&t);
}


/* --- with the scenario shown --------------------------------------------------------- */

static size_t numbers_are_the_maps(struct tt *t, const char *header, bool timed, bool scen);

static void
scenario_beside_the_baseline(void **state)
{
	struct tt t;
	struct sim_result b, r;
	char row[512], want[256], x[64], y[64], z[64];
	size_t m;

	(void)state;
	demo_open(&t, 50, 100, NULL);
	tt_keys(&t, ":scenario " DEMO_SCENARIO_NAME "<Enter>S");
	engine(&t, SIM_DEFAULT_SEED, SIM_DEFAULT_CASES, 0, &b);
	engine_scenario(&t, 0, &r);
	assert_true(tt_shows(&t, "Baseline and scenario: " DEMO_SCENARIO_NAME));
	snprintf(want, sizeof want, "%s + %s events", sim_count(b.events, x, sizeof x),
	         sim_count(r.events, y, sizeof y));
	assert_true(tt_shows(&t, want));
	/* each scenario row follows its measure's row: the engine's figures
	 * and the change of the mean */
	for (m = 0; m <= r.nmeasures; m++) {
		const struct sim_stat *sb = m < b.nmeasures ? &b.measures[m] : &b.total;
		const struct sim_stat *ss = m < r.nmeasures ? &r.measures[m] : &r.total;
		char *text = screen(&t), *p, *e;
		long pct = lround((ss->mean - sb->mean) / sb->mean * 100);

		p = strstr(text, m < r.nmeasures ? t.wb->procs[0]->measures[m]->name : "whole case");
		assert_non_null(p);
		p = strstr(p, "\n") + 1;
		e = strstr(p, "\n");
		snprintf(row, sizeof row, "%.*s", (int)(e - p), p);
		free(text);
		assert_in(row, "scenario");
		snprintf(want, sizeof want, "%7s %7s %7s", sim_time(ss->mean, TIME_UNIT_AUTO, x, sizeof x),
		         sim_time(ss->p50, TIME_UNIT_AUTO, y, sizeof y), sim_time(ss->p90, TIME_UNIT_AUTO, z, sizeof z));
		assert_in(row, want);
		snprintf(want, sizeof want, "%s%ld %%", pct < 0 ? "−" : "+", labs(pct));
		assert_in(row, want);
	}
	/* the headline: 27 minutes to 3 (the issue's figures) */
	assert_true(b.measures[0].mean > 26 * 60 && r.measures[0].mean < 4 * 60);
	expect(&t, "sim_scenario_100x50");
	/* the histograms share their bins */
	check_histogram(&t, &b.measures[0], 0);
	check_histogram(&t, &r.measures[0], 1);
	tt_keys(&t, "<Tab>");
	check_histogram(&t, &b.measures[1], 0);
	check_histogram(&t, &r.measures[1], 1);
	/* the longest waits, numbered as on the map: the scenario's too */
	tt_keys(&t, "G");
	assert_true(numbers_are_the_maps(&t, "Longest waits, per case: baseline", false, false) >= 3);
	assert_true(numbers_are_the_maps(&t, "Longest waits, per case: scenario", false, true) >= 3);
	sim_result_done(&b);
	sim_result_done(&r);
	tt_done(&t);
}

/* The rows under the line holding `header` (to the first empty row): each
 * begins with a step number (after a time in the walk's timeline) and the
 * step's name; the number is the baseline's, as on the map: the step of the
 * rows' side (the scenario applied, when scen) whose id is that of the
 * baseline step of that number has that name (a step the scenario merged or
 * renamed keeps the baseline's number), or the row marks the step as the
 * scenario's own. Returns the rows checked. */
static size_t
numbers_are_the_maps(struct tt *t, const char *header, bool timed, bool scen)
{
	const struct process *b = t->wb->procs[0];
	struct process *d = NULL;
	char *text = screen(t), *p = strstr(text, header), *line;
	size_t checked = 0;
	struct err err = { 0 };

	if (scen)
		assert_int_equal(scenario_apply(b, process_scenario_named(b, DEMO_SCENARIO_NAME), &d,
		                                NULL, &err), STATUS_OK);

	assert_non_null(p);
	p = strchr(p, '\n');
	for (line = p ? p + 1 : NULL; line && *line && *line != '\n';) {
		char *end = strchr(line, '\n'), *q = line, row[512], *name;
		unsigned long n;

		snprintf(row, sizeof row, "%.*s", end ? (int)(end - line) : (int)strlen(line), line);
		q = row;
		while (*q == ' ')
			q++;
		if (!isdigit((unsigned char)*q) && *q != '+')
			break;                   /* the end of the rows: the key hints */
		if (timed) {                 /* the time first */
			while (*q && *q != ' ')
				q++;
			while (*q == ' ')
				q++;
		}
		if (*q == '+') {
			assert_non_null(strstr(row, "⊕"));
		} else {
			n = strtoul(q, &name, 10);
			if (n < 1 || n > b->nsteps)
				fail_msg("not a step number of the map: '%s'", row);
			while (*name == ' ')
				name++;
			if (!strncmp(name, "↻ ", strlen("↻ ")))
				name += strlen("↻ ");
			/* the baseline's step n (in the scenario, the same step by id):
			 * its name, or the start of it when cut short */
			{
				const struct step *ds = d ? process_step(d, b->steps[n - 1]->id) : NULL;
				const char *want = ds ? ds->name : b->steps[n - 1]->name;
				size_t k = 0;

				while (want[k] && name[k] == want[k])
					k++;
				if (k < 12 && k < strlen(want))
					fail_msg("step %lu is '%s' on the map, the row says '%s'", n, want, row);
			}
		}
		checked++;
		line = end ? end + 1 : NULL;
	}
	free(text);
	process_free(&d);
	return checked;
}

static void
walk_the_scenarios_own_median_case(void **state)
{
	struct tt t;
	struct sim_result b, r, rt, bt;
	double clock, end = 0;
	size_t step, k;
	char want[256], n[32];

	(void)state;
	demo_open(&t, 40, 100, NULL);
	tt_keys(&t, ":scenario " DEMO_SCENARIO_NAME "<Enter>w");
	engine(&t, SIM_DEFAULT_SEED, SIM_DEFAULT_CASES, 0, &b);
	engine_scenario(&t, 0, &r);
	engine_scenario(&t, r.median_case, &rt);
	engine(&t, SIM_DEFAULT_SEED, SIM_DEFAULT_CASES, b.median_case, &bt);
	/* it opens on the scenario shown on the map, on the scenario's own
	 * median case (not the baseline's) */
	assert_true(r.median_case != b.median_case);
	snprintf(want, sizeof want, "Case %s of 1 000 (nearest the median), scenario Physician in",
	         sim_count(r.median_case, n, sizeof n));
	assert_true(tt_shows(&t, want));
	tt_keys(&t, "jjjjjjjj");
	expect(&t, "walk_scenario");
	/* the numbers are the map's, the scenario's merged steps named */
	assert_true(numbers_are_the_maps(&t, "Timeline", true, true) >= 5);
	/* its end is the scenario's median, faster than the baseline's */
	tt_keys(&t, "G");
	for (k = 0; k < rt.ntrace; k++)
		if (rt.trace[k].end_s > end)
			end = rt.trace[k].end_s;
	clock = walk_clock(&t, &step);
	assert_true(fabs(clock - end) <= 0.5);
	assert_true(fabs(end - r.total.p50) < 60);
	assert_true(end < b.total.p50);
	assert_true(numbers_are_the_maps(&t, "Timeline", true, true) >= 20);
	/* Tab: the baseline side, on the baseline's own median case */
	tt_keys(&t, "<Tab>");
	snprintf(want, sizeof want, "Case %s of 1 000 (nearest the median), baseline",
	         sim_count(b.median_case, n, sizeof n));
	assert_true(tt_shows(&t, want));
	assert_true(walk_clock(&t, &step) <= clock);
	tt_keys(&t, "G");
	end = 0;
	for (k = 0; k < bt.ntrace; k++)
		if (bt.trace[k].end_s > end)
			end = bt.trace[k].end_s;
	assert_true(fabs(walk_clock(&t, &step) - end) <= 0.5);
	/* n moves through the side shown: the baseline's next case, while
	 * the scenario keeps its median */
	tt_keys(&t, "n");
	snprintf(want, sizeof want, "Case %s of 1 000, baseline",
	         sim_count(b.median_case + 1, n, sizeof n));
	assert_true(tt_shows(&t, want));
	tt_keys(&t, "b");
	snprintf(want, sizeof want, "Case %s of 1 000 (nearest the median), scenario",
	         sim_count(r.median_case, n, sizeof n));
	assert_true(tt_shows(&t, want));
	tt_keys(&t, "N");
	snprintf(want, sizeof want, "Case %s of 1 000, scenario",
	         sim_count(r.median_case - 1, n, sizeof n));
	assert_true(tt_shows(&t, want));
	tt_keys(&t, "n");
	/* the scenario's parallel branches: backstage work beside the customer */
	tt_keys(&t, "g");
	for (k = 0; k < 80 && !tt_shows(&t, "Backstage meanwhile"); k++)
		tt_keys(&t, "j");
	assert_true(tt_shows(&t, "Backstage meanwhile"));
	expect(&t, "walk_scenario_parallel");
	sim_result_done(&b);
	sim_result_done(&r);
	sim_result_done(&rt);
	sim_result_done(&bt);
	tt_done(&t);
}

/* What the customer is doing is decided by the step: the physician seeing
 * the patient (an ED physician step, a lane behind the line) is the customer
 * there, with its channel and emotion; a backstage step has the customer
 * waiting; the emotion line runs along the case. */
static void
walk_tells_what_the_customer_is_doing(void **state)
{
	struct tt t;
	size_t k, step = 0;
	bool seen_physician = false, seen_waiting = false;

	(void)state;
	demo_open(&t, 30, 100, NULL);
	tt_keys(&t, "w");
	assert_true(tt_shows(&t, "Feeling "));
	for (k = 0; k < 200 && !(seen_physician && seen_waiting); k++) {
		walk_clock(&t, &step);
		if (step == 35) {            /* ED physician sees the patient */
			assert_true(tt_shows(&t, "The customer is here, in person, feeling happy (+1)"));
			seen_physician = true;
		}
		if (step == 29) {            /* the charge nurse looks for a cubicle */
			assert_true(tt_shows(&t, "Backstage; the customer waits"));
			seen_waiting = true;
		}
		tt_keys(&t, "j");
	}
	assert_true(seen_physician && seen_waiting);
	tt_done(&t);
}

/* --- processes that cannot run, and edits under the screens ----------------------- */

static void
what_cannot_run_says_why(void **state)
{
	struct tt t;

	(void)state;
	tt_locale();
	/* no steps: a clear message, not a crash; q goes back */
	tt_setup(&t, tt_empty());
	tt_open(&t, 24, 80);
	tt_keys(&t, "S");
	assert_true(tt_shows(&t, "Cannot simulate:"));
	assert_true(tt_shows(&t, "has no steps to simulate"));
	tt_keys(&t, "r");
	assert_true(tt_shows(&t, "has no steps to simulate"));
	tt_keys(&t, "qw");
	assert_true(tt_shows(&t, "Cannot simulate:"));
	tt_keys(&t, "<Esc>");
	assert_false(tt_shows(&t, "Cannot simulate:"));
	tt_done(&t);
	/* the clinic: no arrival pattern, a decision, rework, no-lane steps */
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	tt_keys(&t, "S");
	assert_true(tt_shows(&t, "Histogram: arrival → home"));
	tt_keys(&t, "G");
	assert_true(tt_shows(&t, "Nurse ×2"));
	tt_keys(&t, "w");
	assert_true(tt_shows(&t, "Clock 0s"));
	tt_keys(&t, "GS");
	assert_true(tt_shows(&t, "Nurse ×2"));   /* back where it was, not stacked */
	tt_keys(&t, "w");
	assert_true(tt_shows(&t, "Clock "));
	tt_keys(&t, "q");
	assert_true(tt_shows(&t, "Nurse ×2"));
	tt_keys(&t, "q");
	assert_true(tt_shows(&t, "Arrive at the clinic"));
	tt_done(&t);
}

static void
an_edit_under_the_screen(void **state)
{
	struct tt t;

	(void)state;
	demo_open(&t, 24, 80, NULL);
	tt_keys(&t, "S:process rename Renamed<Enter>");
	assert_true(tt_shows(&t, "The workbook has changed since this run"));
	assert_true(tt_shows(&t, "Baseline of ED admission"));   /* what was simulated */
	tt_keys(&t, "r");
	assert_false(tt_shows(&t, "has changed"));
	assert_true(tt_shows(&t, "Baseline of Renamed"));
	assert_true(tt_shows(&t, "1 000 cases × 20 runs, seed 2,"));
	/* the process gone: said, and q still closes */
	tt_keys(&t, ":process delete<Enter>r");
	assert_true(tt_shows(&t, "Cannot simulate:"));
	assert_true(tt_shows(&t, "the process is gone"));
	tt_keys(&t, "q");
	assert_false(tt_shows(&t, "Cannot simulate"));
	tt_done(&t);
	/* the walk too */
	demo_open(&t, 24, 80, NULL);
	tt_keys(&t, "wjjj:process rename Renamed<Enter>");
	assert_true(tt_shows(&t, "The workbook has changed since this run"));
	tt_keys(&t, "r");
	assert_false(tt_shows(&t, "has changed"));
	assert_true(tt_shows(&t, "(nearest the median)"));
	tt_done(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(figures_are_the_engines),
		cmocka_unit_test(histogram_bins_hold_the_samples),
		cmocka_unit_test(rerun_new_seed_and_more_cases),
		cmocka_unit_test(esc_cancels_and_r_runs_again),
		cmocka_unit_test(small_terminal_and_ascii),
		cmocka_unit_test(walk_follows_the_median_case),
		cmocka_unit_test(walk_cancelled),
		cmocka_unit_test(scenario_beside_the_baseline),
		cmocka_unit_test(walk_the_scenarios_own_median_case),
		cmocka_unit_test(walk_tells_what_the_customer_is_doing),
		cmocka_unit_test(what_cannot_run_says_why),
		cmocka_unit_test(an_edit_under_the_screen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
