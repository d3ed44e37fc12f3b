/*
 * view_figures.c - the figures panel: steps, hand-offs, touchpoints, manual
 * steps, pain points, lead, work and wait time, PCE, RTY, cost, every
 * measure, and the steps per lane; with a scenario shown, each as
 * "baseline → scenario" and the change ("111 → 46  −59 %"), the change in
 * the good or bad style (and its sign, without colour), and the scenario's
 * cuts with the stale ones counted.
 *
 * The map and lane views draw it beside them when the screen is wide (100
 * columns or more; a little wider with a scenario) and under them otherwise,
 * as long as the map keeps room; `f` hides it. The figures come from the
 * app's cache (app.c), which follows every edit; while they are being
 * brought up to date after an edit on a very large process the heading says
 * so.
 *
 * The panel is a list of rows (fig_rows(), which the compare screen shares)
 * laid out in one column, or packed into lines when under the map. A row
 * whose label and values do not fit on one line of the column takes two.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/app.h"

#define PANEL_WIDE_MIN 100
#define PANEL_W 28
#define PANEL_W_SCEN 34              /* with a scenario: "11h33m → 9h44m  −16 %" */
#define ROWS_MAX 64

static void panel_draw(struct app *a, struct view *v, struct rect r);

struct rect
app_with_panel(struct app *a, struct rect r)
{
	struct rect main = r, panel = { 0, 0, 0, 0 };

	if (!a->show_figures || !a->proc)
		return main;
	if (r.w >= PANEL_WIDE_MIN) {
		int pw = a->scen ? PANEL_W_SCEN : PANEL_W;

		main.w = r.w - pw - 1;
		panel = (struct rect){ r.y, r.x + main.w + 1, r.h, pw };
	} else if (r.h >= 14) {
		int h = r.h >= 20 ? 4 : 3;

		main.h = r.h - h - 1;
		panel = (struct rect){ r.y + main.h + 1, r.x, h, r.w };
	}
	if (panel.h > 0 && panel.w > 0)
		panel_draw(a, NULL, panel);
	return main;
}

enum better { NEUTRAL, LOWER, HIGHER };

/* "−59 %", "+5 %", "0 %" (a change that rounds to nothing), or "" when
 * nothing changed or the baseline is 0 or unknown; *style the good or bad
 * style by which way is better. */
static void
change(double x, double y, enum better better, bool utf8, char *buf, size_t size, int *style)
{
	double pct;

	buf[0] = '\0';
	*style = ST_NORMAL;
	if (!isfinite(x) || !isfinite(y) || x == 0 || x == y)
		return;
	pct = (y - x) / fabs(x) * 100;
	if (fabs(pct) < 0.5) {
		snprintf(buf, size, "0 %%");
		return;
	}
	snprintf(buf, size, "%s%.0f %%", pct >= 0 ? "+" : utf8 ? "−" : "-", fabs(pct));
	if (better != NEUTRAL)
		*style = (pct < 0) == (better == LOWER) ? ST_CHANGE_GOOD : ST_CHANGE_BAD;
}

enum kind { COUNT, TIME, PERCENT, MONEY, GAP };

static void
value(double v, enum kind k, bool utf8, enum time_unit u, char *buf, size_t size)
{
	if (!isfinite(v)) {
		snprintf(buf, size, "-");
		return;
	}
	switch (k) {
	case COUNT:
		snprintf(buf, size, "%.0f", v);
		break;
	case TIME:
		fmt_time(v, u, buf, size);
		break;
	case PERCENT:
		snprintf(buf, size, "%.1f%%", v * 100);
		break;
	case MONEY:
		snprintf(buf, size, "%.2f", v);
		break;
	case GAP: {                  /* signed: "−10h23m", "+25m" (the minus as the changes have it) */
		const char *sign = v < 0 ? (utf8 ? "−" : "-") : "+";
		size_t n = strlen(sign);

		if (size <= n)
			break;
		memcpy(buf, sign, n);
		fmt_time(fabs(v), u, buf + n, size - n);
		break;
	}
	}
}

struct rows {
	struct fig_row *v;
	size_t n, max;
	bool pair, utf8;
	enum time_unit unit;         /* the times' (the first process's) */
};

static void
row(struct rows *r, const char *label, int style, enum kind k, enum better better, double x,
    double y)
{
	struct fig_row *o;

	if (r->n >= r->max)
		return;
	o = &r->v[r->n++];
	memset(o, 0, sizeof *o);
	snprintf(o->label, sizeof o->label, "%s", label);
	o->style = style;
	value(x, k, r->utf8, r->unit, o->a, sizeof o->a);
	if (r->pair) {
		value(y, k, r->utf8, r->unit, o->b, sizeof o->b);
		if (k != GAP)        /* a change in % of a signed gap says nothing */
			change(x, y, better, r->utf8, o->change, sizeof o->change, &o->change_style);
	}
}

static void heading(struct rows *r, const char *label);

/* A line of words under a figure (no values). */
static void
note(struct rows *r, const char *text)
{
	if (r->n >= r->max)
		return;
	memset(&r->v[r->n], 0, sizeof r->v[r->n]);
	snprintf(r->v[r->n].label, sizeof r->v[r->n].label, "%s", text);
	r->v[r->n].style = ST_DIM;
	r->n++;
}

/* The golden thread's gap in f for measure id of p, NAN when none. */
static double
gap_in(const struct process *p, const struct figures *f, sm_id id, sm_id process_id)
{
	struct golden g;
	size_t i;

	for (i = 0; p && i < p->nmeasures; i++)
		if (p->measures[i]->id == id && figures_golden(p, f, i, &g) &&
		    g.process != NPOS_MEASURE && p->measures[g.process]->id == process_id)
			return g.gap_s;
	return NAN;
}

/* Each customer-clock measure's gap to the process-clock measure it is
 * paired with (figures_golden()): customer - process. */
static void
golden_rows(struct rows *r, const struct process *pa, const struct figures *fa,
            const struct process *pb, const struct figures *fb)
{
	struct golden g;
	size_t i;
	bool first = true;

	for (i = 0; i < pa->nmeasures; i++) {
		char t[140];
		sm_id pid;

		if (!figures_golden(pa, fa, i, &g) || g.process == NPOS_MEASURE)
			continue;
		if (first)
			heading(r, "Golden thread: gap");
		first = false;
		pid = pa->measures[g.process]->id;
		row(r, pa->measures[i]->name, ST_NORMAL, GAP, NEUTRAL, g.gap_s,
		    r->pair ? gap_in(pb, fb, pa->measures[i]->id, pid) : NAN);
		snprintf(t, sizeof t, "  less %s", pa->measures[g.process]->name);
		note(r, t);
	}
}

static void
heading(struct rows *r, const char *label)
{
	if (r->n >= r->max)
		return;
	memset(&r->v[r->n], 0, sizeof r->v[r->n]);
	snprintf(r->v[r->n].label, sizeof r->v[r->n].label, "%s", label);
	r->v[r->n].heading = true;
	r->v[r->n].style = ST_HEADER;
	r->n++;
}

/* The figure of the measure (or lane count) with this id in pb, NAN when
 * pb has none: a cut may take a measure away, or add a lane's steps. */
static double
measure_in(const struct process *p, const struct figures *f, sm_id id)
{
	size_t i;

	for (i = 0; p && i < p->nmeasures && i < f->nmeasures; i++)
		if (p->measures[i]->id == id)
			return f->measures[i].expected_s;
	return NAN;
}

static double
lane_in(const struct process *p, const struct figures *f, sm_id id)
{
	size_t i;

	for (i = 0; p && i < p->nlanes && i < f->nlanes; i++)
		if (p->lanes[i]->id == id)
			return (double)f->by_lane[i];
	return 0;
}

size_t
fig_rows(const struct process *pa, const struct figures *fa, const struct process *pb,
         const struct figures *fb, bool wide, bool utf8, struct fig_row *out, size_t max)
{
	struct rows r = { out, 0, max, pb && fb, utf8, pa ? pa->time_unit : TIME_UNIT_AUTO };
	const struct figures *g = r.pair ? fb : fa;
	size_t i;

#define N_(field) (double)fa->field, (double)g->field
	row(&r, "Steps", ST_NORMAL, COUNT, LOWER, N_(steps));
	row(&r, "Hand-offs", ST_HANDOFF, COUNT, LOWER, N_(handoffs));
	row(&r, "Touchpoints", ST_NORMAL, COUNT, NEUTRAL, N_(touchpoints));
	row(&r, wide ? "Manual steps" : "Manual", ST_MANUAL, COUNT, LOWER, N_(manual_steps));
	row(&r, wide ? "Pain points" : "Pain", ST_PAIN, COUNT, LOWER, N_(pain_points));
	row(&r, wide ? "Lead time" : "Lead", ST_NORMAL, TIME, LOWER, N_(lead_time_s));
	if (wide && (fa->queueing_left_out || g->queueing_left_out))
		note(&r, "  expected, no queueing");
	if (wide && (fa->joins_approximate || g->joins_approximate))
		note(&r, "  too short: huge parallel block");
	row(&r, wide ? "Work time" : "Work", ST_NORMAL, TIME, LOWER, N_(work_time_s));
	row(&r, wide ? "Wait time" : "Wait", ST_NORMAL, TIME, LOWER, N_(wait_time_s));
	row(&r, "PCE", ST_NORMAL, PERCENT, HIGHER, N_(pce));
	row(&r, "RTY", ST_NORMAL, PERCENT, HIGHER, N_(rty));
	if (fa->cost > 0 || g->cost > 0)
		row(&r, "Cost", ST_NORMAL, MONEY, LOWER, N_(cost));
#undef N_
	if (fa->nmeasures && wide)
		heading(&r, "Measures");
	for (i = 0; i < fa->nmeasures && i < pa->nmeasures; i++) {
		const struct measure *m = pa->measures[i];

		row(&r, m->name, ST_NORMAL, TIME, LOWER, fa->measures[i].expected_s,
		    r.pair ? measure_in(pb, fb, m->id) : NAN);
	}
	if (wide)
		golden_rows(&r, pa, fa, pb, fb);
	if (wide && pa->nlanes) {
		heading(&r, "Steps by lane");
		for (i = 0; i < pa->nlanes && i < fa->nlanes; i++)
			row(&r, pa->lanes[i]->name, ST_DIM, COUNT, NEUTRAL, (double)fa->by_lane[i],
			    r.pair ? lane_in(pb, fb, pa->lanes[i]->id) : NAN);
		if (fa->no_lane || (r.pair && fb->no_lane))
			row(&r, "(no lane)", ST_DIM, COUNT, NEUTRAL, (double)fa->no_lane,
			    r.pair ? (double)fb->no_lane : NAN);
	}
	return r.n;
}

/* "111 → 46" (or "111" alone). */
static void
pair_text(struct app *a, const struct fig_row *it, char *buf, size_t size)
{
	if (it->b[0])
		snprintf(buf, size, "%s %s %s", it->a, a->utf8 ? "→" : "->", it->b);
	else
		snprintf(buf, size, "%s", it->a);
}

static void
draw_column(struct app *a, struct rect r, const struct fig_row *it, size_t n, int y)
{
	int wc = 0, right = r.x + r.w - 1;
	size_t i;

	for (i = 0; i < n; i++)
		if (text_width(it[i].change) > wc)
			wc = text_width(it[i].change);
	for (i = 0; i < n && y < r.y + r.h; i++, y++) {
		char v[96];
		int vw, lw, x;

		if (it[i].heading) {
			if (y + 1 >= r.y + r.h)
				break;
			y++;
			draw_text(y, r.x + 1, r.w - 1, it[i].label, ST_HEADER);
			continue;
		}
		pair_text(a, &it[i], v, sizeof v);
		vw = text_width(v);
		/* times too wide for the panel are rounded, never cut */
		if (vw > right - r.x - 1 - (wc ? wc + 2 : 0)) {
			struct fig_row fit = it[i];
			int half = (right - r.x - 1 - (wc ? wc + 2 : 0) - 3) / (it[i].b[0] ? 2 : 1);

			fit_time_text(it[i].a, app_unit(a), half, fit.a, sizeof fit.a);
			fit_time_text(it[i].b, app_unit(a), half, fit.b, sizeof fit.b);
			pair_text(a, &fit, v, sizeof v);
			vw = text_width(v);
		}
		x = right - (wc ? wc + 2 : 0) - vw;
		lw = text_width(it[i].label);
		if (x < r.x + 1)
			x = r.x + 1;
		/* a label that does not fit beside its values gets a line */
		if (r.x + 1 + lw + 1 > x && y + 1 < r.y + r.h && it[i].b[0]) {
			draw_text(y, r.x + 1, r.w - 2, it[i].label, it[i].style == ST_DIM ? ST_DIM : ST_NORMAL);
			y++;
		} else {
			draw_text(y, r.x + 1, x - r.x - 2, it[i].label,
			          it[i].style == ST_DIM ? ST_DIM : ST_NORMAL);
		}
		draw_text(y, x, right - x, v, it[i].style);
		if (wc)
			draw_text_right(y, right - wc, wc, it[i].change, it[i].change_style);
	}
}

/* Under the map: "Label value" items packed into lines. */
static void
draw_packed(struct app *a, struct rect r, const struct fig_row *it, size_t n, int y0)
{
	int y = y0, x = r.x + 1;
	size_t i;

	for (i = 0; i < n && y < r.y + r.h; i++) {
		char v[96], c[40] = "";
		int w;

		if (it[i].heading)
			continue;
		pair_text(a, &it[i], v, sizeof v);
		if (it[i].change[0])
			snprintf(c, sizeof c, " (%s)", it[i].change);
		w = text_width(it[i].label) + 1 + text_width(v) + text_width(c);
		if (x > r.x + 1 && x + w > r.x + r.w) {
			y++;
			x = r.x + 1;
			if (y >= r.y + r.h)
				break;
		}
		x += draw_text(y, x, r.x + r.w - x, it[i].label, ST_DIM);
		x += draw_text(y, x, 1, " ", ST_NORMAL);
		x += draw_text(y, x, r.x + r.w - x, v, it[i].style == ST_DIM ? ST_NORMAL : it[i].style);
		x += draw_text(y, x, r.x + r.w - x, c, it[i].change_style);
		x += 3;
	}
}

/* With a scenario: its cuts, the stale ones counted (a line of its own). */
static int
draw_cuts_line(struct app *a, struct rect r, int y, bool wide)
{
	const struct scenario *sc = app_scenario(a);
	char t[96];

	if (!sc)
		return y;
	if (wide && a->nstale)
		snprintf(t, sizeof t, "%zu, %zu stale (:cuts)", sc->ncuts, a->nstale);
	else if (wide)
		snprintf(t, sizeof t, "%zu", sc->ncuts);
	else if (a->nstale)
		snprintf(t, sizeof t, "%zu cut%s, %zu stale (:cuts)", sc->ncuts,
		         sc->ncuts == 1 ? "" : "s", a->nstale);
	else
		snprintf(t, sizeof t, "%zu cut%s", sc->ncuts, sc->ncuts == 1 ? "" : "s");
	if (wide) {
		draw_text(y, r.x + 1, r.w - 2, "Cuts", ST_NORMAL);
		draw_text_right(y, r.x + 6, r.w - 7, t, a->nstale ? ST_ERROR : ST_NORMAL);
	} else {
		draw_text(y, r.x + 1, r.w - 1, t, a->nstale ? ST_ERROR : ST_DIM);
	}
	return y + 1;
}

static void
panel_draw(struct app *a, struct view *v, struct rect r)
{
	struct process *p = app_process(a);
	const struct figures *f, *fs;
	struct fig_row it[ROWS_MAX];
	bool stale, wide = r.h > 6 && r.w <= PANEL_W_SCEN + 2;
	size_t n;
	int i, y;
	const char *title;
	char tbuf[80];

	(void)v;
	if (!p || r.h <= 0 || r.w <= 0)
		return;
	f = app_figures(a, &stale);
	fs = app_figures_scen(a, &stale);
	snprintf(tbuf, sizeof tbuf, "%s%s", a->scen ? (a->utf8 ? "Baseline → scenario"
	                                                       : "Baseline -> scenario")
	                                            : "Figures",
	         !stale ? "" : a->utf8 ? " (updating…)" : " (updating...)");
	title = tbuf;
	if (wide) {
		for (i = 0; i < r.h; i++)
			draw_glyph(a, r.y + i, r.x - 1, 1, "│", "|", ST_LINE);
		draw_text(r.y, r.x + 1, r.w - 1, title, ST_HEADER);
	} else {
		const char *h = a->utf8 ? "─" : "-";

		for (i = 0; i < r.w; i++)
			draw_text(r.y - 1, r.x + i, 1, h, ST_LINE);
		draw_text(r.y - 1, r.x + 2, r.w - 2, title, ST_HEADER);
	}
	if (!f)
		return;
	n = fig_rows(p, f, a->scen ? a->derived_fig : NULL, fs, wide, a->utf8, it, ROWS_MAX);
	if (wide) {
		y = draw_cuts_line(a, r, r.y + 1, true);
		draw_column(a, r, it, n, y);
	} else {
		y = draw_cuts_line(a, r, r.y, false);
		draw_packed(a, r, it, n, y);
	}
}

static int
panel_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	(void)a;
	(void)v;
	(void)c;
	(void)k;
	return FL_UNHANDLED;
}

const struct view_ops figures_view_ops = {
	.name = "figures",
	.draw = panel_draw,
	.handle = panel_handle,
};
