/*
 * chart.c - the charts, in the blueprint's style (picture.h): each
 * measure's simulated distribution (baseline against scenario), the golden
 * thread (customer-clock measures against process-clock ones), where the
 * time goes (work and wait by lane and by stage, simulated) and the
 * customer's emotion along the journey. Every figure on a chart says what it
 * is: expected (model/figures.h) or simulated with its 95 % interval and the
 * number of cases.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export/picture_int.h"
#include "model/figures.h"

#define M 24.0
#define LW 150.0     /* label column */

static const double paper_w[] = {
#define PIC_PAPER_W_(name, kw, w, h) w,
	PIC_PAPER_INFO(PIC_PAPER_W_)
#undef PIC_PAPER_W_
};

/* --- the golden thread's pairs ---------------------------------------------- */

long *
chart_thread_pairs(const struct process *p)
{
	long *pair = malloc((p->nmeasures ? p->nmeasures : 1) * sizeof *pair);
	size_t i, j;

	if (!pair)
		return NULL;
	for (i = 0; i < p->nmeasures; i++) {
		const struct measure *c = p->measures[i];
		const struct step *cf = process_step(p, c->from), *ct = process_step(p, c->to);
		long best = -1;
		double best_overlap = -1;

		pair[i] = -1;
		if (c->clock != CLOCK_CUSTOMER || !cf || !ct)
			continue;
		for (j = 0; j < p->nmeasures; j++) {
			const struct measure *q = p->measures[j];
			const struct step *qf = process_step(p, q->from), *qt = process_step(p, q->to);
			double lo, hi, ov;

			if (q->clock != CLOCK_PROCESS || !qf || !qt)
				continue;
			lo = fmax((double)cf->index, (double)qf->index);
			hi = fmin((double)ct->index, (double)qt->index);
			ov = hi - lo;
			if (ov > best_overlap) {
				best_overlap = ov;
				best = (long)j;
			}
		}
		pair[i] = best;
	}
	return pair;
}

/* --- scales ------------------------------------------------------------------- */

/* A tick step for times up to max seconds: at most about 6 ticks. */
static double
time_tick(double max)
{
	static const double steps[] = {
		1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
		43200, 86400, 172800, 604800, 2592000, 31536000,
	};
	size_t i;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (max / steps[i] <= 6)
			return steps[i];
	return max / 6;
}

/* x axis with time ticks from 0 to max, at y, spanning x0..x0+w. */
static void
time_axis(cairo_t *cr, PangoContext *pc, double x0, double y, double w, double max,
          enum time_unit u)
{
	double step = time_tick(max), t;
	char buf[64];

	pic_set_rgb(cr, pic_grey);
	cairo_set_line_width(cr, 0.5);
	cairo_move_to(cr, x0, y);
	cairo_line_to(cr, x0 + w, y);
	cairo_stroke(cr);
	for (t = 0; t <= max * 1.0001; t += step) {
		double x = x0 + w * t / max;

		cairo_move_to(cr, x, y);
		cairo_line_to(cr, x, y + 3);
		cairo_stroke(cr);
		pic_text_at(cr, pc, pic_duration(t, u, buf, sizeof buf), false, PIC_FONT_SMALL, 0, x - 6,
		            y + 4, pic_grey);
	}
}

static const char *
measure_name(const struct process *p, size_t i)
{
	return i < p->nmeasures ? p->measures[i]->name : "whole case (arrival to end)";
}

static const struct sim_stat *
stat_of(const struct sim_result *r, size_t i)
{
	if (!r)
		return NULL;
	return i < r->nmeasures ? &r->measures[i] : &r->total;
}

/* "mean 3h2m [2h58m, 3h6m] · p50 … · p90 … · 10000 cases" */
static void
stat_text(struct strbuf *t, const char *who, const struct sim_stat *s, enum time_unit u)
{
	char a[64], b[64], c[64], d[64], e[64];

	if (!s || !s->n) {
		strbuf_printf(t, "%s: no case reached both ends", who);
		return;
	}
	strbuf_printf(t, "%s: mean %s (95 %% interval %s – %s) · median %s · 90th percentile %s · "
	               "%zu cases (simulated)", who, pic_duration(s->mean, u, a, sizeof a),
	               pic_duration(s->ci_lo, u, b, sizeof b), pic_duration(s->ci_hi, u, c, sizeof c),
	               pic_duration(s->p50, u, d, sizeof d), pic_duration(s->p90, u, e, sizeof e), s->n);
}

/* --- each chart: measure or draw -------------------------------------------- */

struct chart_ctx {
	const struct chart_data *d;
	PangoContext *pc;
	cairo_t *cr;                 /* NULL: measure only */
	double w;                    /* page width */
	double y;                    /* where the next thing goes */
};

static void
text_block(struct chart_ctx *c, const char *markup, const char *font, double x, double w,
           struct pic_rgb col)
{
	double tw, th;

	pic_text_measure(c->pc, markup, true, font, w, &tw, &th);
	if (c->cr)
		pic_text_at(c->cr, c->pc, markup, true, font, w, x, c->y, col);
	c->y += th;
}

static void
heading(struct chart_ctx *c, enum pic_kind kind)
{
	struct strbuf t = { 0 };

	strbuf_printf(&t, "%s: ", pic_kind_title(kind));
	pic_buf_escape(&t, c->d->base->name);
	if (c->d->sc) {
		strbuf_printf(&t, "\n<span font=\"" PIC_FONT " 8\">baseline (blue) against scenario “");
		pic_buf_escape(&t, c->d->sc->name);
		strbuf_printf(&t, "” (green)</span>");
	}
	if (!t.failed)
		text_block(c, t.s, PIC_FONT_TITLE, M, c->w - 2 * M, pic_ink);
	strbuf_done(&t);
	c->y += 8;
}

static void
histogram(struct chart_ctx *c, const struct sim_stat *s, double max, double x0, double w,
          double y0, double h, struct pic_rgb col, bool filled)
{
	enum { NB = 40 };
	size_t counts[NB] = { 0 }, i, top = 1;

	if (!s || !s->n || !c->cr)
		return;
	for (i = 0; i < s->n; i++) {
		size_t k = (size_t)(s->samples[i] / max * NB);

		counts[k >= NB ? NB - 1 : k]++;
	}
	for (i = 0; i < NB; i++)
		if (counts[i] > top)
			top = counts[i];
	cairo_save(c->cr);
	cairo_set_source_rgba(c->cr, col.r, col.g, col.b, filled ? 0.45 : 1);
	cairo_set_line_width(c->cr, 1.2);
	cairo_move_to(c->cr, x0, y0 + h);
	for (i = 0; i < NB; i++) {
		double bh = h * (double)counts[i] / (double)top;

		cairo_line_to(c->cr, x0 + w * i / NB, y0 + h - bh);
		cairo_line_to(c->cr, x0 + w * (i + 1) / NB, y0 + h - bh);
	}
	cairo_line_to(c->cr, x0 + w, y0 + h);
	if (filled) {
		cairo_close_path(c->cr);
		cairo_fill(c->cr);
	} else {
		cairo_stroke(c->cr);
	}
	/* the mean */
	pic_set_rgb(c->cr, col);
	cairo_set_line_width(c->cr, 1.5);
	cairo_move_to(c->cr, x0 + w * fmin(s->mean / max, 1), y0 - 2);
	cairo_line_to(c->cr, x0 + w * fmin(s->mean / max, 1), y0 + h);
	cairo_stroke(c->cr);
	cairo_restore(c->cr);
}

static void
chart_dist(struct chart_ctx *c)
{
	const struct chart_data *d = c->d;
	size_t i, n = d->base->nmeasures + 1;

	heading(c, PIC_DIST);
	if (!d->sim_base) {
		text_block(c, "Not simulated: the process could not be simulated (see the readout).",
		           PIC_FONT_TEXT, M, c->w - 2 * M, pic_pain);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct sim_stat *a = stat_of(d->sim_base, i);
		const struct sim_stat *b = stat_of(d->sim_sc, i);
		double max = 0;
		struct strbuf t = { 0 };
		double ph = 70, x0 = M + 4, w = c->w - 2 * M - 8;

		strbuf_printf(&t, "<b>");
		pic_buf_escape(&t, measure_name(d->base, i));
		strbuf_printf(&t, "</b>");
		if (i < d->base->nmeasures)
			strbuf_printf(&t, " (%s clock)", clock_name(d->base->measures[i]->clock));
		strbuf_printf(&t, "\n");
		stat_text(&t, "baseline", a, c->d->base->time_unit);
		if (d->sc) {
			strbuf_printf(&t, "\n");
			stat_text(&t, "scenario", b, c->d->base->time_unit);
		}
		if (!t.failed)
			text_block(c, t.s, PIC_FONT_TEXT, M, c->w - 2 * M, pic_ink);
		strbuf_done(&t);
		c->y += 4;
		/* the 99th percentile bounds the axis, so one long case does not
		 * squeeze the rest into a corner */
		if (a && a->n)
			max = fmax(max, a->samples[(size_t)((double)(a->n - 1) * 0.99)]);
		if (b && b->n)
			max = fmax(max, b->samples[(size_t)((double)(b->n - 1) * 0.99)]);
		if (max <= 0)
			max = 1;
		max *= 1.05;
		histogram(c, a, max, x0, w, c->y, ph, pic_base_col, true);
		histogram(c, b, max, x0, w, c->y, ph, pic_scen_col, false);
		c->y += ph;
		if (c->cr)
			time_axis(c->cr, c->pc, x0, c->y, w, max, c->d->base->time_unit);
		c->y += 22;
	}
}

static void
bar(struct chart_ctx *c, double x0, double y, double w, double h, double v, double max,
    struct pic_rgb col)
{
	if (!c->cr || !(v > 0))
		return;
	pic_set_rgb(c->cr, col);
	cairo_rectangle(c->cr, x0, y, w * fmin(v / max, 1), h);
	cairo_fill(c->cr);
}

/* A simulated measure's 95 % interval as a line across its bar at y. */
static void
whisker(struct chart_ctx *c, double x0, double w, double y, const struct sim_stat *s, double max)
{
	pic_set_rgb(c->cr, pic_ink);
	cairo_set_line_width(c->cr, 1);
	cairo_move_to(c->cr, x0 + w * fmin(s->ci_lo / max, 1), y);
	cairo_line_to(c->cr, x0 + w * fmin(s->ci_hi / max, 1), y);
	cairo_stroke(c->cr);
}

static void
chart_thread(struct chart_ctx *c)
{
	const struct chart_data *d = c->d;
	const struct process *p = d->base;
	struct figures fb = { 0 }, fs = { 0 };
	long *pair = chart_thread_pairs(p);
	size_t i, k;
	double max = 1, x0 = M + LW, w = c->w - 2 * M - LW - 10;
	bool have_b, have_s = false;

	heading(c, PIC_THREAD);
	have_b = figures_compute(p, &fb) == STATUS_OK;
	if (d->derived)
		have_s = figures_compute(d->derived, &fs) == STATUS_OK;
	text_block(c, "Each customer-clock measure beside the process-clock measure that spans "
	           "most of the same steps. Bars: expected times (the model's figures); the "
	           "line through a bar: the simulated mean's 95 % interval.", PIC_FONT_TEXT, M,
	           c->w - 2 * M, pic_grey);
	c->y += 6;
	if (!pair || !have_b) {
		text_block(c, "out of memory", PIC_FONT_TEXT, M, c->w, pic_pain);
		goto out;
	}
	for (i = 0; i < p->nmeasures; i++) {
		max = fmax(max, isfinite(fb.measures[i].expected_s) ? fb.measures[i].expected_s : 0);
		if (have_s && i < fs.nmeasures && isfinite(fs.measures[i].expected_s))
			max = fmax(max, fs.measures[i].expected_s);
		if (d->sim_base && d->sim_base->measures[i].n)
			max = fmax(max, d->sim_base->measures[i].ci_hi);
	}
	max *= 1.05;
	/* pairs first, then the measures left alone */
	for (k = 0; k < 2 * p->nmeasures + 1; k++) {
		long idx[2] = { -1, -1 };
		size_t j;

		if (k < p->nmeasures) {
			if (p->measures[k]->clock != CLOCK_CUSTOMER)
				continue;
			idx[0] = (long)k;
			idx[1] = pair[k];
		} else if (k < 2 * p->nmeasures) {
			size_t m = k - p->nmeasures, q;
			bool paired = false;

			for (q = 0; q < p->nmeasures; q++)
				if (pair[q] == (long)m)
					paired = true;
			if (p->measures[m]->clock != CLOCK_PROCESS || paired)
				continue;
			idx[0] = (long)m;
		} else {
			break;
		}
		for (j = 0; j < 2; j++) {
			size_t m;
			struct strbuf t = { 0 };
			char e1[64], e2[64];
			double y0 = c->y, v;

			if (idx[j] < 0)
				continue;
			m = (size_t)idx[j];
			strbuf_printf(&t, "<b>%s's clock</b>\n",
			               p->measures[m]->clock == CLOCK_CUSTOMER ? "Customer" : "Process");
			pic_buf_escape(&t, p->measures[m]->name);
			strbuf_printf(&t, "\n<span font=\"" PIC_FONT_SMALL "\">expected %s",
			               pic_duration(fb.measures[m].expected_s, c->d->base->time_unit, e1, sizeof e1));
			if (have_s && m < fs.nmeasures)
				strbuf_printf(&t, " → %s", pic_duration(fs.measures[m].expected_s, c->d->base->time_unit, e2, sizeof e2));
			strbuf_printf(&t, "</span>");
			if (!t.failed)
				text_block(c, t.s, PIC_FONT_TEXT, M, LW - 6, pic_ink);
			strbuf_done(&t);
			v = fb.measures[m].expected_s;
			bar(c, x0, y0 + 2, w, 9, v, max, pic_base_col);
			if (d->sim_base && d->sim_base->measures[m].n && c->cr) {
				const struct sim_stat *s = &d->sim_base->measures[m];

				whisker(c, x0, w, y0 + 6.5, s, max);
			}
			if (have_s && m < fs.nmeasures)
				bar(c, x0, y0 + 13, w, 9, fs.measures[m].expected_s, max, pic_scen_col);
			if (d->sim_sc && m < d->sim_sc->nmeasures && d->sim_sc->measures[m].n && c->cr) {
				const struct sim_stat *s = &d->sim_sc->measures[m];

				whisker(c, x0, w, y0 + 17.5, s, max);
			}
			if (c->y < y0 + 26)
				c->y = y0 + 26;
			c->y += 6;
		}
		if (c->cr) {
			pic_set_rgb(c->cr, pic_light);
			cairo_set_line_width(c->cr, 0.5);
			cairo_move_to(c->cr, M, c->y);
			cairo_line_to(c->cr, c->w - M, c->y);
			cairo_stroke(c->cr);
		}
		c->y += 6;
	}
	if (!p->nmeasures)
		text_block(c, "The process has no measures.", PIC_FONT_TEXT, M, c->w, pic_grey);
	if (c->cr)
		time_axis(c->cr, c->pc, x0, c->y + 2, w, max, c->d->base->time_unit);
	c->y += 26;
out:
	free(pair);
	figures_done(&fb);
	if (have_s)
		figures_done(&fs);
}

/* Work and wait per case, by lane (k < nlanes) or stage, from a simulation. */
static void
time_split(const struct process *p, const struct sim_result *r, const char *lane_name,
           int stage, double *work, double *wait)
{
	size_t i;

	*work = *wait = 0;
	if (!r)
		return;
	for (i = 0; i < p->nsteps && i < r->nsteps; i++) {
		const struct lane *l = step_lane(p, p->steps[i]);

		if (lane_name ? !l || strcmp(l->name, lane_name) : !l || (int)l->stage != stage)
			continue;
		*work += r->steps[i].visits * r->steps[i].work_s;
		*wait += r->steps[i].visits * r->steps[i].wait_s;
	}
}

static void
chart_time(struct chart_ctx *c)
{
	const struct chart_data *d = c->d;
	const struct process *p = d->base;
	size_t i, n = STAGE_COUNT_ + p->nlanes;
	double max = 1, x0 = M + LW, w = c->w - 2 * M - LW - 10;
	struct pic_rgb wait_col = { 0.93, 0.62, 0.35 };
	char a[64];

	heading(c, PIC_TIME);
	if (!d->sim_base) {
		text_block(c, "Not simulated: the process could not be simulated (see the readout).",
		           PIC_FONT_TEXT, M, c->w - 2 * M, pic_pain);
		return;
	}
	snprintf(a, sizeof a, "%zu", d->sim_base->cases);
	{
		struct strbuf t = { 0 };

		strbuf_printf(&t, "Time a case spends in each stage and lane, work (dark) and wait "
		               "before the work, queue included (light); simulated means per case over "
		               "%s cases%s.", a, d->sc ? "; upper bar the baseline, lower the scenario" : "");
		if (!t.failed)
			text_block(c, t.s, PIC_FONT_TEXT, M, c->w - 2 * M, pic_grey);
		strbuf_done(&t);
	}
	c->y += 6;
	for (i = 0; i < n; i++) {
		double wk, wt, wk2, wt2;
		const char *ln = i < STAGE_COUNT_ ? NULL : p->lanes[i - STAGE_COUNT_]->name;
		int st = i < STAGE_COUNT_ ? (int)i : -1;

		time_split(p, d->sim_base, ln, st, &wk, &wt);
		max = fmax(max, wk + wt);
		if (d->derived) {
			time_split(d->derived, d->sim_sc, ln, st, &wk2, &wt2);
			max = fmax(max, wk2 + wt2);
		}
	}
	max *= 1.05;
	for (i = 0; i < n; i++) {
		double wk, wt, wk2 = 0, wt2 = 0, y0 = c->y, bh = d->sc ? 8 : 12;
		const char *ln = i < STAGE_COUNT_ ? NULL : p->lanes[i - STAGE_COUNT_]->name;
		int st = i < STAGE_COUNT_ ? (int)i : -1;
		struct strbuf t = { 0 };
		char b1[64], b2[64], b3[64], b4[64];

		if (i == STAGE_COUNT_) {
			c->y += 6;
			text_block(c, "<b>By lane</b>", PIC_FONT_TEXT, M, LW, pic_ink);
			y0 = c->y;
		} else if (i == 0) {
			text_block(c, "<b>By stage</b>", PIC_FONT_TEXT, M, LW, pic_ink);
			y0 = c->y;
		}
		time_split(p, d->sim_base, ln, st, &wk, &wt);
		if (d->derived)
			time_split(d->derived, d->sim_sc, ln, st, &wk2, &wt2);
		pic_buf_escape(&t, ln ? ln : stage_label((enum stage)st));
		strbuf_printf(&t, "\n<span font=\"" PIC_FONT_SMALL "\">work %s, wait %s",
		               pic_duration(wk, c->d->base->time_unit, b1, sizeof b1), pic_duration(wt, c->d->base->time_unit, b2, sizeof b2));
		if (d->sc)
			strbuf_printf(&t, " → %s, %s", pic_duration(wk2, c->d->base->time_unit, b3, sizeof b3),
			               pic_duration(wt2, c->d->base->time_unit, b4, sizeof b4));
		strbuf_printf(&t, "</span>");
		if (!t.failed)
			text_block(c, t.s, PIC_FONT_TEXT, M, LW - 6, pic_ink);
		strbuf_done(&t);
		if (c->cr) {
			bar(c, x0, y0 + 2, w, bh, wk, max, pic_base_col);
			bar(c, x0 + w * wk / max, y0 + 2, w, bh, wt, max, wait_col);
			if (d->sc) {
				bar(c, x0, y0 + 3 + bh, w, bh, wk2, max, pic_scen_col);
				bar(c, x0 + w * wk2 / max, y0 + 3 + bh, w, bh, wt2, max,
				    (struct pic_rgb){ 0.55, 0.82, 0.62 });
			}
		}
		if (c->y < y0 + 2 * bh + 6)
			c->y = y0 + 2 * bh + 6;
		c->y += 3;
	}
	if (c->cr)
		time_axis(c->cr, c->pc, x0, c->y + 2, w, max, c->d->base->time_unit);
	c->y += 26;
}

/* Emotion of the customer-facing steps (customer and onstage lanes) with
 * one given, in order. */
static size_t
emotion_points(const struct process *p, size_t *idx)
{
	size_t i, n = 0;

	for (i = 0; i < p->nsteps; i++) {
		const struct lane *l = step_lane(p, p->steps[i]);

		if (p->steps[i]->emotion == EMOTION_NONE || !l ||
		    (l->stage != STAGE_CUSTOMER && l->stage != STAGE_ONSTAGE))
			continue;
		if (idx)
			idx[n] = i;
		n++;
	}
	return n;
}

static void
emotion_line(struct chart_ctx *c, const struct process *p, double x0, double w, double y0,
             double h, struct pic_rgb col, bool dashed)
{
	size_t n = emotion_points(p, NULL), i, *idx;
	static const double dash[] = { 4, 2 };

	if (!c->cr || !n || !(idx = malloc(n * sizeof *idx)))
		return;
	emotion_points(p, idx);
	cairo_save(c->cr);
	pic_set_rgb(c->cr, col);
	cairo_set_line_width(c->cr, 1.6);
	if (dashed)
		cairo_set_dash(c->cr, dash, 2, 0);
	for (i = 0; i < n; i++) {
		double x = x0 + (n > 1 ? w * (double)i / (double)(n - 1) : w / 2);
		double y = y0 + h / 2 - h / 4 * p->steps[idx[i]]->emotion;

		if (i)
			cairo_line_to(c->cr, x, y);
		else
			cairo_move_to(c->cr, x, y);
	}
	cairo_stroke(c->cr);
	cairo_set_dash(c->cr, NULL, 0, 0);
	for (i = 0; i < n; i++) {
		const struct step *s = p->steps[idx[i]];
		double x = x0 + (n > 1 ? w * (double)i / (double)(n - 1) : w / 2);
		double y = y0 + h / 2 - h / 4 * s->emotion;

		if (s->pain)
			pic_set_rgb(c->cr, pic_pain);
		else
			pic_set_rgb(c->cr, col);
		cairo_arc(c->cr, x, y, s->pain ? 3.2 : 2.2, 0, 2 * M_PI);
		cairo_fill(c->cr);
	}
	cairo_restore(c->cr);
	free(idx);
}

static void
chart_emotion(struct chart_ctx *c)
{
	const struct chart_data *d = c->d;
	const struct process *p = d->base;
	size_t n = emotion_points(p, NULL), i, *idx = NULL;
	double x0 = M + 60, w = c->w - 2 * M - 70, h = 120, y0;
	static const char *faces[] = { "−2 upset", "−1", "0 neutral", "+1", "+2 delighted" };

	heading(c, PIC_EMOTION);
	text_block(c, "The customer's emotion (−2 to +2, as mapped) at each step in a customer or "
	           "onstage lane that has one, in order; a red dot is a pain point. Baseline solid, "
	           "scenario dashed. The numbers are the steps' numbers on the blueprint.",
	           PIC_FONT_TEXT, M, c->w - 2 * M, pic_grey);
	c->y += 8;
	if (!n) {
		text_block(c, "No step facing the customer has an emotion.", PIC_FONT_TEXT, M, c->w,
		           pic_grey);
		return;
	}
	y0 = c->y;
	if (c->cr) {
		for (i = 0; i < 5; i++) {
			double y = y0 + h - h / 4 * (double)i;

			pic_set_rgb(c->cr, i == 2 ? pic_grey : pic_light);
			cairo_set_line_width(c->cr, 0.5);
			cairo_move_to(c->cr, x0, y);
			cairo_line_to(c->cr, x0 + w, y);
			cairo_stroke(c->cr);
			pic_text_at(c->cr, c->pc, faces[i], false, PIC_FONT_SMALL, 0, M, y - 4, pic_grey);
		}
	}
	emotion_line(c, p, x0, w, y0, h, pic_base_col, false);
	if (d->derived)
		emotion_line(c, d->derived, x0, w, y0, h, pic_scen_col, true);
	c->y = y0 + h + 6;
	/* the baseline's points, numbered under the axis */
	if ((idx = malloc(n * sizeof *idx))) {
		struct strbuf t = { 0 };

		emotion_points(p, idx);
		if (c->cr)
			for (i = 0; i < n; i++) {
				char num[24];
				double x = x0 + (n > 1 ? w * (double)i / (double)(n - 1) : w / 2);

				snprintf(num, sizeof num, "%zu", idx[i] + 1);
				pic_text_at(c->cr, c->pc, num, false, PIC_FONT " 4.5", 0, x - 3,
				            c->y + (double)(i % 2) * 6, pic_grey);
			}
		c->y += 16;
		strbuf_printf(&t, "<span font=\"" PIC_FONT_SMALL "\">");
		for (i = 0; i < n; i++) {
			strbuf_printf(&t, "%s#%zu ", i ? " · " : "", idx[i] + 1);
			pic_buf_escape(&t, p->steps[idx[i]]->name);
			strbuf_printf(&t, " (%+d)", p->steps[idx[i]]->emotion);
		}
		strbuf_printf(&t, "</span>");
		if (!t.failed)
			text_block(c, t.s, PIC_FONT_TEXT, M, c->w - 2 * M, pic_ink);
		strbuf_done(&t);
		free(idx);
	}
	c->y += 10;
}

static void
chart_run(struct chart_ctx *c, enum pic_kind kind)
{
	c->y = M;
	switch (kind) {
	case PIC_DIST: chart_dist(c); break;
	case PIC_THREAD: chart_thread(c); break;
	case PIC_TIME: chart_time(c); break;
	case PIC_EMOTION: chart_emotion(c); break;
	default: break;
	}
	c->y += M;
}

enum status
chart_write(FILE *f, enum pic_kind kind, const struct chart_data *d, const struct pic_opts *o,
            struct err *err)
{
	struct chart_ctx c = { 0 };
	struct pic_doc doc;
	enum status st;

	if (kind == PIC_BLUEPRINT || (unsigned)kind >= PIC_KIND_COUNT_)
		return err_set(err, STATUS_INTERNAL, "not a chart");
	c.d = d;
	c.w = paper_w[o->paper];
	if (!(c.pc = pic_text_context()))
		return err_set(err, STATUS_NOMEM, "out of memory");
	chart_run(&c, kind);          /* measure */
	if ((st = pic_doc_open(&doc, f, o, c.w, c.y, err)) != STATUS_OK)
		goto out;
	c.cr = doc.cr;
	chart_run(&c, kind);          /* draw */
	st = pic_doc_close(&doc, o, err);
out:
	g_object_unref(c.pc);
	return st;
}
