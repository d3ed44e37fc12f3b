/*
 * view_sim.c - `S`: the simulation screen. Simulates the process (and the
 * scenario shown over it, with the same seed, so both see the same
 * arrivals) with a progress bar that Esc cancels, then shows, as a page that
 * scrolls: cases, seed, events and run time; for each measure and the whole
 * case the mean, P50, P90 and 95 % interval, baseline and scenario with the
 * change; a histogram of one measure at a time (Tab moves on), both
 * variants on the same bins; lane utilisation as bars, lanes near capacity
 * flagged; the steps where cases wait longest, numbered as on the map (the
 * baseline's numbers, a scenario's own steps named as such).
 *
 * Keys (raw, in handle(): the map's commands keep theirs): j/k and the
 * other moving keys scroll; Tab / Shift-Tab (or l/h) the measure shown in
 * the histogram; r runs again with the next seed (after a cancel: the same
 * run again); + and - change the number of cases; w walks one case; Esc or
 * q closes.
 *
 * The screen keeps its own copy of what it simulated (simrun.c): an undo
 * made from here changes the workbook, not the results, which say they are
 * older than the workbook until r runs again.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/sim_views.h"

#define HIST_BINS 16
#define TOP_WAITS 5
#define BUSY_FLAG 0.85

struct simv {
	struct sim_screen s;         /* first: what both screens share */
	size_t sel;                  /* measure in the histogram; nmeasures: whole case */
	size_t top;                  /* first line of the page on screen */
	int rows;                    /* lines of the page on screen */
};

static const size_t case_steps[] = { 100, 1000, 2000, 5000, 10000, 20000, 50000, 100000 };

/* --- running ---------------------------------------------------------------------- */

static void
sv_run(struct app *a, struct simv *st)
{
	char what[256], n[32];
	size_t i;

	if (!sims_begin(a, &st->s))
		return;
	for (i = 0; i < st->s.nvar; i++) {
		snprintf(what, sizeof what, "%s cases of the %s%s",
		         sim_count(st->s.opt.cases, n, sizeof n), i ? "scenario " : "baseline",
		         i ? st->s.var[i].name : "");
		if (!sims_run(a, &st->s, i, what, i, st->s.nvar))
			return;
	}
	st->s.state = RUN_DONE;
}

bool
sim_view_open(struct app *a, const struct process *base, const struct scenario *sc)
{
	struct simv *st = calloc(1, sizeof *st);

	if (!st) {
		app_error(a, "out of memory");
		return false;
	}
	if (!sims_open(a, &sim_view_ops, st, &st->s, base, sc)) {
		free(st);
		return false;
	}
	sv_run(a, st);
	return true;
}

/* --- the page: lines numbered from 0, drawn when on screen ------------------------- */

struct page {
	int y0, h;
	size_t top, line;
};

/* The screen row of the page's next line, or -1000 when it is off screen. */
static int
page_y(struct page *pg)
{
	size_t l = pg->line++;

	if (l < pg->top || l >= pg->top + (size_t)pg->h)
		return -1000;
	return pg->y0 + (int)(l - pg->top);
}

/* The variant's figures for measure m of the baseline (m == nmeasures: the
 * whole case); NULL when the variant lacks the measure. */
static const struct sim_stat *
stat_of(const struct simv *st, size_t v, size_t m)
{
	const struct process *b = st->s.var[0].proc, *p = st->s.var[v].proc;
	const struct sim_result *r = &st->s.var[v].r;
	size_t j;

	if (!st->s.var[v].done)
		return NULL;
	if (m >= b->nmeasures)
		return &r->total;
	for (j = 0; j < p->nmeasures && j < r->nmeasures; j++)
		if (p->measures[j]->id == b->measures[m]->id)
			return &r->measures[j];
	return NULL;
}

static const char *
measure_name(const struct simv *st, size_t m)
{
	const struct process *b = st->s.var[0].proc;

	return m < b->nmeasures ? b->measures[m]->name : "whole case";
}

/* Columns of the table of times, by the room there is. */
struct cols {
	int name_w;
	bool pcts, ci, change;
};

#define COL_T 7                  /* a time */
#define COL_CI 14                /* "27m19s–27m28s" */
#define COL_CH 6                 /* "−89 %" */

static struct cols
table_cols(const struct simv *st, int w)
{
	struct cols c = { 0, true, true, st->s.nvar > 1 };
	int fixed;

	for (;;) {
		fixed = 2 + (1 + COL_T) * (c.pcts ? 3 : 1) + (c.ci ? 2 + COL_CI : 0) +
		        (c.change ? 1 + COL_CH : 0) + 1;
		if (w - fixed >= 14 || (!c.ci && !c.pcts && !c.change))
			break;
		if (c.ci)
			c.ci = false;
		else if (c.pcts)
			c.pcts = false;
		else
			c.change = false;
	}
	c.name_w = w - fixed > 4 ? w - fixed : 4;
	return c;
}

static void
table_row(struct app *a, int y, int x, const struct cols *c, const char *label, int lstyle,
          const struct sim_stat *s, const struct sim_stat *base)
{
	char t[64], u[64], ci[160];
	int cx = x + 2 + c->name_w;

	draw_text(y, x + 2, c->name_w, label, lstyle);
	if (!s || !s->n) {
		draw_text_right(y, cx + 1, COL_T, "-", ST_DIM);
		return;
	}
	draw_text_right(y, cx + 1, COL_T, sim_time(s->mean, app_unit(a), t, sizeof t), ST_NORMAL);
	cx += 1 + COL_T;
	if (c->pcts) {
		draw_text_right(y, cx + 1, COL_T, sim_time(s->p50, app_unit(a), t, sizeof t), ST_NORMAL);
		draw_text_right(y, cx + 1 + COL_T + 1, COL_T, sim_time(s->p90, app_unit(a), t, sizeof t), ST_NORMAL);
		cx += 2 * (1 + COL_T);
	}
	if (c->ci) {
		if (s->trust != SIM_TRUST_OK) {
			draw_text(y, cx + 2, COL_CI, "unreliable !", ST_ERROR);
		} else {
			sim_time(s->ci_lo, app_unit(a), t, sizeof t);
			sim_time(s->ci_hi, app_unit(a), u, sizeof u);
			snprintf(ci, sizeof ci, "%s%s%s", t, a->utf8 ? "–" : "..", u);
			draw_text(y, cx + 2, COL_CI, ci, ST_DIM);
		}
		cx += 2 + COL_CI;
	}
	if (c->change && base) {
		int style;

		sim_change(a, base->mean, s->mean, t, sizeof t, &style);
		draw_text_right(y, cx + 1, COL_CH, t, style);
	}
}

static void
draw_table(struct app *a, struct simv *st, struct page *pg, int x, int w)
{
	const struct process *b = st->s.var[0].proc;
	struct cols c = table_cols(st, w);
	size_t m;
	int y = page_y(pg), cx = x + 2 + c.name_w;

	draw_text(y, x, 2 + c.name_w, "Time", ST_HEADER);
	draw_text_right(y, cx + 1, COL_T, "mean", ST_HEADER);
	cx += 1 + COL_T;
	if (c.pcts) {
		draw_text_right(y, cx + 1, COL_T, "P50", ST_HEADER);
		draw_text_right(y, cx + 2 + COL_T, COL_T, "P90", ST_HEADER);
		cx += 2 * (1 + COL_T);
	}
	if (c.ci) {
		draw_text(y, cx + 2, COL_CI, "95 % interval", ST_HEADER);
		cx += 2 + COL_CI;
	}
	if (c.change)
		draw_text_right(y, cx + 1, COL_CH, "change", ST_HEADER);
	for (m = 0; m <= b->nmeasures; m++) {
		bool sel = m == st->sel;

		y = page_y(pg);
		if (sel)
			draw_glyph(a, y, x, 2, "▸", ">", ST_KEY);
		table_row(a, y, x, &c, measure_name(st, m), sel ? ST_KEY : ST_NORMAL,
		          stat_of(st, 0, m), NULL);
		if (st->s.nvar > 1)
			table_row(a, page_y(pg), x, &c, "  scenario", ST_DIM, stat_of(st, 1, m),
			          stat_of(st, 0, m));
	}
}

/* Why the intervals marked unreliable are, a wrapped paragraph per variant
 * and reason. */
static void
draw_trust(struct simv *st, struct page *pg, int x, int w)
{
	size_t v, m;

	for (v = 0; v < st->s.nvar; v++) {
		const struct sim_result *r = &st->s.var[v].r;
		bool said[SIM_TRUST_SHORT + 1] = { false };

		if (!st->s.var[v].done)
			continue;
		for (m = 0; m <= r->nmeasures; m++) {
			const struct sim_stat *s = m < r->nmeasures ? &r->measures[m] : &r->total;
			char why[512], line[700];
			int i, n, y0;

			if (s->trust == SIM_TRUST_OK || !s->n || said[s->trust])
				continue;
			said[s->trust] = true;
			snprintf(line, sizeof line, "! %sThe interval is unreliable: %s.",
			         st->s.nvar > 1 ? (v ? "Scenario: " : "Baseline: ") : "",
			         sim_trust_text(st->s.var[v].proc, r, s->trust, why, sizeof why));
			/* the paragraph's rows (drawn off screen to count them) come
			 * from the page; drawn when its first row is on screen */
			n = draw_wrapped(-1000, x + 2, w - 2, 4, line, ST_ERROR);
			y0 = page_y(pg);
			for (i = 1; i < n; i++)
				page_y(pg);
			if (y0 >= pg->y0)
				draw_wrapped(y0, x + 2, w - 2,
				             n < pg->y0 + pg->h - y0 ? n : pg->y0 + pg->h - y0, line,
				             ST_ERROR);
		}
	}
}

static void
draw_histogram(struct app *a, struct simv *st, struct page *pg, int x, int w)
{
	const struct sim_stat *sets[HIST_SETS];
	struct hist h;
	char t[64], head[256];
	size_t s, i, nsets = st->s.nvar;
	double peak = 0;
	int y, lw = 0, colw, barw;

	for (s = 0; s < nsets; s++)
		sets[s] = stat_of(st, s, st->sel);
	y = page_y(pg);
	snprintf(head, sizeof head, "Histogram: %s", measure_name(st, st->sel));
	draw_text(y, x, w, head, ST_HEADER);
	snprintf(head, sizeof head, "Tab: next (%zu of %zu)", st->sel + 1,
	         st->s.var[0].proc->nmeasures + 1);
	if (text_width(head) + text_width(measure_name(st, st->sel)) + 14 <= w)
		draw_text_right(y, x, w, head, ST_DIM);
	if (!hist_make(&h, sets, nsets, HIST_BINS)) {
		draw_text(page_y(pg), x + 2, w - 2, "No case reached both ends of this measure.",
		          ST_DIM);
		return;
	}
	for (i = 0; i < h.nbins; i++) {
		int tw = text_width(sim_time(h.lo + (double)i * h.width, app_unit(a), t, sizeof t));

		if (tw > lw)
			lw = tw;
		for (s = 0; s < nsets; s++)
			if (h.n[s] && (double)h.count[s][i] / (double)h.n[s] > peak)
				peak = (double)h.count[s][i] / (double)h.n[s];
	}
	lw += h.top_open ? 1 : 0;
	colw = (w - lw - 2) / (int)nsets;
	barw = colw - 14;
	if (barw < 3)
		barw = colw - 6 > 1 ? colw - 6 : 1;
	y = page_y(pg);
	for (s = 0; s < nsets; s++) {
		char n[32];

		snprintf(head, sizeof head, "%s, share of %s cases", s ? "scenario" : "baseline",
		         sim_count(h.n[s], n, sizeof n));
		draw_text(y, x + lw + 2 + (int)s * colw, colw - 1, head, ST_DIM);
	}
	for (i = 0; i < h.nbins; i++) {
		bool open = h.top_open && i + 1 == h.nbins;

		y = page_y(pg);
		sim_time(h.lo + (double)i * h.width, app_unit(a), t, sizeof t);
		snprintf(head, sizeof head, "%s%s", open ? (a->utf8 ? "≥" : ">") : "", t);
		draw_text_right(y, x, lw, head, ST_DIM);
		draw_glyph(a, y, x + lw + 1, 1, "│", "|", ST_LINE);
		for (s = 0; s < nsets; s++) {
			int cx = x + lw + 2 + (int)s * colw;
			double share = h.n[s] ? (double)h.count[s][i] / (double)h.n[s] : 0;
			char pct[32], marks[32];

			if (!h.n[s])
				continue;
			draw_bar(a, y, cx, barw, peak > 0 ? share / peak : 0, false,
			         s ? ST_VA : ST_LINE);
			if (h.count[s][i]) {
				if (share < 0.005)
					snprintf(pct, sizeof pct, "<1 %%");
				else
					snprintf(pct, sizeof pct, "%.0f %%", share * 100);
				draw_text_right(y, cx + barw + 1, 5, pct, ST_NORMAL);
			}
			snprintf(marks, sizeof marks, "%s%s%s", h.p50_bin[s] == (int)i ? "P50" : "",
			         h.p50_bin[s] == (int)i && h.p90_bin[s] == (int)i ? " " : "",
			         h.p90_bin[s] == (int)i ? "P90" : "");
			if (marks[0])
				draw_text(y, cx + barw + 7, colw - barw - 7, marks, ST_KEY);
		}
	}
}

/* The variant's figures for baseline lane id, or NULL. */
static const struct sim_lane *
lane_of(const struct simv *st, size_t v, sm_id id)
{
	const struct process *p = st->s.var[v].proc;
	size_t j;

	for (j = 0; st->s.var[v].done && j < p->nlanes && j < st->s.var[v].r.nlanes; j++)
		if (p->lanes[j]->id == id)
			return &st->s.var[v].r.lanes[j];
	return NULL;
}

static void
draw_lanes(struct app *a, struct simv *st, struct page *pg, int x, int w)
{
	const struct process *b = st->s.var[0].proc;
	int namew = w >= 60 ? 20 : w / 3, colw, y;
	size_t i, v, shown = 0;
	bool flagged = false;

	colw = (w - namew - 1) / (int)st->s.nvar;
	for (i = 0; i < b->nlanes; i++) {
		char name[160], pct[32];

		for (v = 0; v < st->s.nvar; v++) {
			const struct sim_lane *l = lane_of(st, v, b->lanes[i]->id);

			if (l && l->capacity > 0)
				break;
		}
		if (v == st->s.nvar)
			continue;            /* never queues, in either */
		if (!shown++) {
			y = page_y(pg);
			draw_text(y, x, namew, "Lane utilisation", ST_HEADER);
			for (v = 0; st->s.nvar > 1 && v < st->s.nvar; v++)
				draw_text(y, x + namew + 1 + (int)v * colw, colw - 1,
				          v ? "scenario" : "baseline", ST_DIM);
		}
		y = page_y(pg);
		snprintf(name, sizeof name, "%s %s%d", b->lanes[i]->name, a->utf8 ? "×" : "x",
		         b->lanes[i]->capacity);
		draw_text(y, x + 2, namew - 2, name, ST_NORMAL);
		for (v = 0; v < st->s.nvar; v++) {
			const struct sim_lane *l = lane_of(st, v, b->lanes[i]->id);
			int cx = x + namew + 1 + (int)v * colw, style = ST_NORMAL;

			if (!l || l->capacity <= 0 || !isfinite(l->utilisation)) {
				draw_text(y, cx, colw - 1, "-", ST_DIM);
				continue;
			}
			if (l->utilisation >= BUSY_FLAG) {
				style = ST_PAIN;
				flagged = true;
			}
			draw_bar(a, y, cx, colw - 10, l->utilisation, true,
			         style == ST_PAIN ? ST_PAIN : ST_LINE);
			if (l->capacity != b->lanes[i]->capacity)
				snprintf(pct, sizeof pct, "%3.0f %%%s %s%d", l->utilisation * 100,
				         style == ST_PAIN ? "!" : "", a->utf8 ? "×" : "x", l->capacity);
			else
				snprintf(pct, sizeof pct, "%3.0f %%%s", l->utilisation * 100,
				         style == ST_PAIN ? "!" : "");
			draw_text(y, cx + colw - 9, 9, pct, style);
		}
	}
	if (flagged)
		draw_text(page_y(pg), x + 2, w - 2,
		          "! near or at capacity (85 % and over): at 100 % the queue grows without end",
		          ST_PAIN);
}

static int
wait_cmp(const void *x, const void *y)
{
	const struct sim_step *s = *(const struct sim_step *const *)x;
	const struct sim_step *t = *(const struct sim_step *const *)y;
	double a = s->wait_s * s->visits, b = t->wait_s * t->visits;

	return a < b ? 1 : a > b ? -1 : 0;
}

static void
draw_waits(struct app *a, struct simv *st, struct page *pg, int x, int w)
{
	size_t v, i;

	(void)a;
	for (v = 0; v < st->s.nvar; v++) {
		const struct sim_result *r = &st->s.var[v].r;
		const struct process *p = st->s.var[v].proc;
		const struct sim_step **order;
		char head[256];
		size_t n;

		if (!st->s.var[v].done || !r->nsteps)
			continue;
		order = malloc(r->nsteps * sizeof *order);
		if (!order)
			return;
		for (i = 0; i < r->nsteps; i++)
			order[i] = &r->steps[i];
		qsort(order, r->nsteps, sizeof *order, wait_cmp);
		page_y(pg);
		snprintf(head, sizeof head, "Longest waits, per case%s%s", st->s.nvar > 1 ? ": " : "",
		         st->s.nvar > 1 ? (v ? "scenario" : "baseline") : "");
		draw_text(page_y(pg), x, w, head, ST_HEADER);
		for (n = 0; n < TOP_WAITS && n < r->nsteps && order[n]->wait_s * order[n]->visits > 0;
		     n++) {
			const struct sim_step *s = order[n];
			size_t k = (size_t)(s - r->steps);
			char num[16], no[16], t[64], q[64], qs[96], name[600];
			int y = page_y(pg), tx = x + w - 26;
			const char *tag = sims_step_no(&st->s, v, k, no, sizeof no);

			/* the map's numbers: the baseline's, in the scenario too */
			snprintf(num, sizeof num, "%4s", no);
			snprintf(name, sizeof name, "%s%s%s%s", p->steps[k]->name, tag ? " (" : "",
			         tag ? tag : "", tag ? ")" : "");
			sim_time(s->wait_s * s->visits, app_unit(a), t, sizeof t);
			sim_time(s->queue_s * s->visits, app_unit(a), q, sizeof q);
			snprintf(qs, sizeof qs, "(queued %s)", q);
			draw_text(y, x, 5, num, ST_DIM);
			draw_text(y, x + 6, tx - x - 7, name, ST_NORMAL);
			draw_text_right(y, tx, 8, t, ST_NORMAL);
			draw_text(y, tx + 10, 16, qs, ST_DIM);
		}
		free(order);
	}
}

/* The whole page; pg->line ends as its length. */
static void
draw_page(struct app *a, struct simv *st, struct page *pg, int x, int w)
{
	char line[512], n[32], ev[32], ev2[32];
	int y;

	y = page_y(pg);
	if (st->s.nvar > 1)
		snprintf(line, sizeof line, "Baseline and scenario: %s", st->s.var[1].name);
	else
		snprintf(line, sizeof line, "Baseline of %s", st->s.var[0].proc->name);
	draw_text(y, x, w, line, ST_HEADER);
	y = page_y(pg);
	sim_count(st->s.var[0].r.events, ev, sizeof ev);
	if (st->s.nvar > 1)
		snprintf(ev2, sizeof ev2, " + %s", sim_count(st->s.var[1].r.events, n, sizeof n));
	else
		ev2[0] = '\0';
	snprintf(line, sizeof line, "%s cases %s %u runs, seed %" PRIu64 ", %s%s events, ran in %.0f ms",
	         sim_count(st->s.var[0].r.rep_cases, n, sizeof n), a->utf8 ? "×" : "x",
	         st->s.var[0].r.replications, st->s.opt.seed, ev, ev2, st->s.ms);
	draw_text(y, x, w, line, ST_DIM);
	if (st->s.nvar > 1 && st->s.var[1].r.rep_cases != st->s.var[0].r.rep_cases)
		snprintf(ev2, sizeof ev2, "; the scenario's %s cases a run",
		         sim_count(st->s.var[1].r.rep_cases, n, sizeof n));
	else
		ev2[0] = '\0';
	snprintf(line, sizeof line, "Warm-up %zu cases a run, found from the data (MSER-5)%s",
	         st->s.var[0].r.warmup_cases, ev2);
	draw_text(page_y(pg), x, w, line, ST_DIM);
	if (st->s.nvar > 1 && st->s.var[1].nstale) {
		snprintf(line, sizeof line, "%zu cut%s of the scenario %s stale, left out",
		         st->s.var[1].nstale, st->s.var[1].nstale == 1 ? "" : "s",
		         st->s.var[1].nstale == 1 ? "is" : "are");
		draw_text(page_y(pg), x, w, line, ST_ERROR);
	}
	if (st->s.stale)
		draw_text(page_y(pg), x, w, "The workbook has changed since this run: r runs again.",
		          ST_ERROR);
	{
		char warn[SIMS_WARN_MAX][400];
		size_t k, nw = sims_warnings(a, &st->s, warn, SIMS_WARN_MAX);

		for (k = 0; k < nw; k++) {
			int rows = text_rows(warn[k], w, 4), yw = page_y(pg), r;

			for (r = 1; r < rows; r++)
				page_y(pg);
			if (yw >= pg->y0)
				draw_wrapped(yw, x, w, pg->y0 + pg->h - yw, warn[k], ST_ERROR);
		}
	}
	page_y(pg);
	draw_table(a, st, pg, x, w);
	draw_trust(st, pg, x, w);
	page_y(pg);
	draw_histogram(a, st, pg, x, w);
	page_y(pg);
	draw_lanes(a, st, pg, x, w);
	draw_waits(a, st, pg, x, w);
}

static void
sim_draw(struct app *a, struct view *v, struct rect r)
{
	struct simv *st = v->state;
	struct page pg;
	bool hints = r.h >= 8;
	int x = r.x + 1, w = r.w - 2;

	if (w < 1)
		w = r.w, x = r.x;
	if (hints)
		draw_text(r.y + r.h - 1, x, w,
		          st->s.state == RUN_DONE
		          ? "j/k scroll  Tab measure  r new seed  +/- cases  w walk  q close"
		          : "r run again  q close",
		          ST_DIM);
	if (st->s.state != RUN_DONE) {
		if (st->s.nvar)
			draw_text(r.y, x, w, st->s.var[0].proc->name, ST_HEADER);
		sims_draw_unfinished(a, &st->s, r.y + 1, x, w);
		return;
	}
	pg.y0 = r.y;
	pg.h = r.h - (hints ? 1 : 0);
	/* measure the page, keep the scroll in it, then draw */
	pg.top = (size_t)-1 / 2;
	pg.line = 0;
	draw_page(a, st, &pg, x, w);
	if (st->top + (size_t)pg.h > pg.line)
		st->top = pg.line > (size_t)pg.h ? pg.line - (size_t)pg.h : 0;
	pg.top = st->top;
	pg.line = 0;
	draw_page(a, st, &pg, x, w);
	st->rows = pg.h;
	v->rows = pg.h;
}

/* --- keys ------------------------------------------------------------------------- */

/* The next number of cases up (dir 1) or down; false at the end. */
static bool
next_cases(struct simv *st, int dir)
{
	size_t i, n = sizeof case_steps / sizeof case_steps[0];

	for (i = 0; i < n; i++) {
		size_t c = case_steps[dir > 0 ? i : n - 1 - i];

		if (dir > 0 ? c > st->s.opt.cases : c < st->s.opt.cases) {
			st->s.opt.cases = c;
			return true;
		}
	}
	return false;
}

static int
sim_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct simv *st = v->state;
	size_t nm = st->s.nvar ? st->s.var[0].proc->nmeasures + 1 : 1;
	size_t page = st->rows > 2 ? (size_t)st->rows - 1 : 1;
	enum cmd own = cmd_screen_key(SCOPE_SIM, k);

	/* this screen's own keys first (tui/commands.h, scope SIM) */
	switch (own ? own : c) {
	case CMD_NEXT_MEASURE:
		st->sel = (st->sel + 1) % nm;
		return FL_REDRAW;
	case CMD_PREV_MEASURE:
		st->sel = (st->sel + nm - 1) % nm;
		return FL_REDRAW;
	case CMD_RERUN:
		if (st->s.state == RUN_DONE)
			st->s.opt.seed++;
		sv_run(a, st);
		return FL_REDRAW;
	case CMD_MORE_CASES:
	case CMD_FEWER_CASES: {
		int dir = (own ? own : c) == CMD_FEWER_CASES ? -1 : 1;

		if (next_cases(st, dir)) {
			st->s.opt.cases_auto = false;   /* as many as asked */
			sv_run(a, st);
		} else {
			char n[32];

			app_say(a, "simulate: %s cases is the %s", sim_count(st->s.opt.cases, n, sizeof n),
			        dir < 0 ? "fewest" : "most");
		}
		return FL_REDRAW;
	}
	default:
		break;
	}
	switch (c) {
	case CMD_DOWN:
		st->top++;
		return FL_REDRAW;
	case CMD_UP:
		if (st->top)
			st->top--;
		return FL_REDRAW;
	case CMD_PAGE_DOWN:
		st->top += page;
		return FL_REDRAW;
	case CMD_PAGE_UP:
		st->top = st->top > page ? st->top - page : 0;
		return FL_REDRAW;
	case CMD_FIRST:
		st->top = 0;
		return FL_REDRAW;
	case CMD_LAST:
		st->top = (size_t)-1 / 4;
		return FL_REDRAW;
	case CMD_SIMULATE:           /* S again: run again */
		return sim_handle(a, v, CMD_RERUN, 0);
	case CMD_WALK:
		if (app_below(a, v) && app_below(a, v)->ops == &walk_view_ops) {
			app_pop(a);          /* back to the walk it came from */
			return FL_REDRAW;
		}
		return FL_UNHANDLED;
	default:
		return FL_UNHANDLED;
	}
}

static void
sim_done(struct app *a, struct view *v)
{
	struct simv *st = v->state;

	(void)a;
	if (st)
		sims_release(&st->s);
	free(st);
	v->state = NULL;
}

const struct view_ops sim_view_ops = {
	.name = "simulation",
	.esc_closes = true,
	.draw = sim_draw,
	.handle = sim_handle,
	.changed = sims_changed,
	.done = sim_done,
};
