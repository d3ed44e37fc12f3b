/*
 * view_walk.c - `w`: walk one simulated case as the customer lives it.
 *
 * The walk simulates each side (the baseline, and the scenario shown over
 * it) with the default options, as the simulation screen does, picks that
 * side's own case whose whole time is nearest its median and simulates again
 * tracing it (sim.h: trace_case, median_case): the scenario side replays the
 * scenario's median case, not the baseline's.
 * The trace (each execution of a step: reached, asked for the lane, began,
 * ended) becomes a list of moments: waiting before a step, queued for its
 * lane, being served, or passing straight through. One key moves one
 * moment on or back; the screen shows
 *   - the customer's clock (time since arrival) and how far through the
 *     case it is;
 *   - the step the case is in: name, lane and stage, what is happening
 *     (waiting, queued with how many ahead, being served) and until when,
 *     the attempt when the step is done again after an error;
 *   - what the customer is doing at that moment, decided by step, not by
 *     lane: a customer step (a customer-stage lane, or an emotion recorded
 *     for it) is the customer doing it, with its channel and emotion; at any
 *     other step the customer waits, for as long as since their last step;
 *   - what happens backstage meanwhile: every step of the case, on any
 *     branch, that is not a customer step and runs at that moment;
 *   - the emotion line along the case: the recorded emotion of each customer
 *     step the case passes, the current one marked;
 *   - the timeline of the steps passed so far, the current one marked.
 * Steps are numbered as on the map: the baseline's numbers, in a scenario
 * too; a step the scenario made or merged is named as such. With a scenario
 * the walk opens on the scenario side; Tab switches to the other side at the
 * same clock, and n/N move through the cases of the side shown.
 *
 * Keys (raw, in handle()): j, Down, Right, l, Space: on; k, Up, Left, h:
 * back; g/G: first/last; PgDn/PgUp: ten on/back; n/N: the next/previous
 * case of the side shown; Tab or b: baseline/scenario; r: run again (after a cancel, or after
 * an edit); Esc or q: close.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/sim_views.h"

enum phase { PH_WAIT, PH_QUEUE, PH_SERVE, PH_PASS };

/* One moment of the walk: entry e of the trace in phase ph from t to until. */
struct moment {
	size_t e;
	double t, until;
	enum phase ph;
};

struct walkv {
	struct sim_screen s;         /* first: what both screens share */
	size_t kase[2];              /* each side's case traced (1-based) */
	size_t median_case[2];       /* each side's case nearest its median */
	struct moment *mo[2];
	size_t nmo[2];
	size_t shown;                /* the variant on screen */
	size_t pos;                  /* the moment on screen */
};

/* --- moments from the trace --------------------------------------------------------- */

static double
or_else(double v, double alt)
{
	return isnan(v) ? alt : v;
}

static int
moment_cmp(const void *x, const void *y)
{
	const struct moment *a = x, *b = y;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->e != b->e)
		return a->e < b->e ? -1 : 1;
	return (int)a->ph - (int)b->ph;
}

static bool
moments_make(struct walkv *w, size_t v)
{
	const struct sim_result *r = &w->s.var[v].r;
	struct moment *m;
	size_t i, n = 0;

	free(w->mo[v]);
	w->mo[v] = NULL;
	w->nmo[v] = 0;
	m = malloc((3 * r->ntrace + 1) * sizeof *m);
	if (!m)
		return false;
	for (i = 0; i < r->ntrace; i++) {
		const struct sim_trace_entry *e = &r->trace[i];
		double reach = e->reach_s, ask = or_else(e->ask_s, reach);
		double start = or_else(e->start_s, ask), end = or_else(e->end_s, start);
		size_t before = n;

		if (ask > reach)
			m[n++] = (struct moment){ i, reach, ask, PH_WAIT };
		if (start > ask)
			m[n++] = (struct moment){ i, ask, start, PH_QUEUE };
		if (end > start)
			m[n++] = (struct moment){ i, start, end, PH_SERVE };
		if (n == before)
			m[n++] = (struct moment){ i, reach, reach, PH_PASS };
	}
	qsort(m, n, sizeof *m, moment_cmp);
	w->mo[v] = m;
	w->nmo[v] = n;
	return true;
}

/* The last moment of variant v at or before clock t. */
static size_t
moment_at(const struct walkv *w, size_t v, double t)
{
	size_t i, best = 0;

	for (i = 0; i < w->nmo[v]; i++)
		if (w->mo[v][i].t <= t)
			best = i;
	return best;
}

/* --- running ---------------------------------------------------------------------- */

/* Trace each side's case (only side `only` when it is not SIZE_MAX): when
 * find is set, first the side's case nearest its own median. The clock
 * stays where it was, unless a new case is found. */
static void
wk_run(struct app *a, struct walkv *w, bool find, size_t only)
{
	struct sim_screen *s = &w->s;
	char what[256], n[32];
	size_t i, part = 0, parts;
	double clock = w->pos < w->nmo[w->shown] ? w->mo[w->shown][w->pos].t : 0;

	if (s->stale || !s->nvar) {
		/* the copies are made again: every side runs again */
		only = SIZE_MAX;
		find = true;
	}
	if (!sims_begin(a, s))
		return;
	if (w->shown >= s->nvar)
		w->shown = 0;
	parts = (only < s->nvar ? 1 : s->nvar) * (find ? 2 : 1);
	for (i = 0; i < s->nvar; i++) {
		const char *side = i ? "scenario " : "baseline", *name = i ? s->var[i].name : "";

		if (only < s->nvar && i != only)
			continue;
		if (find) {
			s->opt.trace_case = 0;
			snprintf(what, sizeof what, "%s cases of the %s%s, to find a typical one",
			         sim_count(s->opt.cases * s->opt.replications, n, sizeof n), side, name);
			if (!sims_run(a, s, i, what, part++, parts))
				return;
			w->median_case[i] = s->var[i].r.median_case;
			w->kase[i] = w->median_case[i] ? w->median_case[i] : 1;
		}
		s->opt.trace_case = w->kase[i];
		snprintf(what, sizeof what, "Case %s through the %s%s",
		         sim_count(w->kase[i], n, sizeof n), side, name);
		if (!sims_run(a, s, i, what, part++, parts))
			return;
		if (!moments_make(w, i)) {
			s->state = RUN_FAILED;
			snprintf(s->error, sizeof s->error, "out of memory");
			return;
		}
	}
	s->opt.trace_case = 0;
	s->state = RUN_DONE;
	w->pos = find ? 0 : moment_at(w, w->shown, clock);
}

bool
walk_view_open(struct app *a, const struct process *base, const struct scenario *sc)
{
	struct walkv *w = calloc(1, sizeof *w);

	if (!w) {
		app_error(a, "out of memory");
		return false;
	}
	if (!sims_open(a, &walk_view_ops, w, &w->s, base, sc)) {
		free(w);
		return false;
	}
	w->shown = w->s.nvar - 1;    /* the scenario, when one is shown on the map */
	wk_run(a, w, true, SIZE_MAX);
	return true;
}

/* --- drawing -------------------------------------------------------------------------- */

static const struct lane *
entry_lane(const struct process *p, const struct sim_trace_entry *e)
{
	return e->lane ? process_lane(p, e->lane) : NULL;
}

/* The customer is there: decided by the step (sims_customer_step). */
static bool
with_customer(const struct process *p, const struct sim_trace_entry *e)
{
	return sims_customer_step(p, p->steps[e->step]);
}

/* Entry e runs at t (a step that takes no time: at its instant). */
static bool
runs_at(const struct sim_trace_entry *e, double t)
{
	double end = or_else(e->end_s, e->reach_s);

	return e->reach_s <= t && (t < end || (end == e->reach_s && t == end));
}

/* What e is doing at t, and until when. */
static const char *
phase_at(const struct sim_trace_entry *e, double t, double *until)
{
	double ask = or_else(e->ask_s, e->reach_s), start = or_else(e->start_s, ask);

	if (t < ask) {
		*until = ask;
		return "waiting";
	}
	if (t < start) {
		*until = start;
		return "queued";
	}
	*until = or_else(e->end_s, start);
	return "being served";
}

/* "35  Name (merged in the scenario)" for entry e of the side shown. */
static void
step_text(const struct walkv *w, const struct sim_trace_entry *e, char *buf, size_t size)
{
	const struct process *p = w->s.var[w->shown].proc;
	char num[16];
	const char *tag = sims_step_no(&w->s, w->shown, e->step, num, sizeof num);

	snprintf(buf, size, "%s  %s%s%s%s", num, p->steps[e->step]->name, tag ? " (" : "",
	         tag ? tag : "", tag ? ")" : "");
}

static const char *const feelings[] = { "very unhappy", "unhappy", "neutral", "happy",
	                                "very happy" };

/* ", in person, feeling unhappy (-1)": a customer step's channel and emotion. */
static void
channel_emotion(const struct step *st, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	if (st->channel && *st->channel)
		n = (size_t)snprintf(buf, size, ", %s", st->channel);
	if (n < size && st->emotion != EMOTION_NONE && st->emotion >= -2 && st->emotion <= 2)
		snprintf(buf + n, size - n, ", feeling %s (%+d)", feelings[st->emotion + 2],
		         st->emotion);
}

static void
draw_now(struct app *a, struct walkv *w, const struct moment *m, int *y, int x, int wd)
{
	const struct process *p = w->s.var[w->shown].proc;
	const struct sim_result *r = &w->s.var[w->shown].r;
	const struct sim_trace_entry *e = &r->trace[m->e];
	const struct lane *l = entry_lane(p, e);
	bool cust = with_customer(p, e);
	char line[700], t[64], u[64], extra[64], ce[256];
	size_t i;

	/* the step of this moment */
	extra[0] = '\0';
	if (e->attempt > 1)
		snprintf(extra, sizeof extra, "attempt %u, after an error", e->attempt);
	if (e->branch)
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra), "%sbranch %u",
		         extra[0] ? ", " : "", e->branch + 1);
	draw_glyph(a, *y, x, 2, "▶", ">", ST_KEY);
	step_text(w, e, line, sizeof line);
	draw_text(*y, x + 2, wd - 2 - (extra[0] ? text_width(extra) + 2 : 0), line, ST_HEADER);
	if (extra[0])
		draw_text_right(*y, x, wd, extra, ST_MANUAL);
	(*y)++;
	/* what happens */
	sim_time(m->until - m->t, app_unit(a), t, sizeof t);
	duration_show(round(m->until), app_unit(a), u, sizeof u);
	switch (m->ph) {
	case PH_WAIT:
		snprintf(line, sizeof line, "Waiting before the step: %s, until %s", t, u);
		break;
	case PH_QUEUE:
		snprintf(line, sizeof line, "Queued for %s: %zu ahead, %s, until %s",
		         l ? l->name : "the lane", e->queue_ahead, t, u);
		break;
	case PH_SERVE:
		if (l && l->stage == STAGE_CUSTOMER)
			snprintf(line, sizeof line, "The customer does it: %s, until %s", t, u);
		else
			snprintf(line, sizeof line, "Being served%s%s: %s, until %s", l ? " by " : "",
			         l ? l->name : "", t, u);
		break;
	default:
		snprintf(line, sizeof line, "Passes straight through (no time)");
		break;
	}
	draw_text(*y, x + 2, wd - 2, line, m->ph == PH_QUEUE ? ST_PAIN : ST_NORMAL);
	(*y)++;
	/* what the customer is doing: this step, another branch's customer
	 * step, or waiting since their last one */
	if (cust) {
		channel_emotion(p->steps[e->step], ce, sizeof ce);
		snprintf(line, sizeof line, "The customer is here%s", ce);
		draw_text(*y, x + 2, wd - 2, line, ST_CAPTURE);
	} else {
		const struct sim_trace_entry *other = NULL;
		double since = 0;
		size_t last = (size_t)-1;

		for (i = 0; i < r->ntrace && !other; i++)
			if (i != m->e && with_customer(p, &r->trace[i]) && runs_at(&r->trace[i], m->t))
				other = &r->trace[i];
		if (other) {
			char st[600];

			step_text(w, other, st, sizeof st);
			snprintf(line, sizeof line, "Backstage; meanwhile the customer: %s", st);
		} else {
			for (i = 0; i < r->ntrace; i++) {
				const struct sim_trace_entry *f = &r->trace[i];
				double end = or_else(f->end_s, f->reach_s);

				if (i != m->e && with_customer(p, f) && end <= m->t && end >= since) {
					since = end;
					last = i;
				}
			}
			sim_time(m->t - since, app_unit(a), t, sizeof t);
			if (last == (size_t)-1) {
				snprintf(u, sizeof u, "arriving");
			} else {
				char num[16];

				sims_step_no(&w->s, w->shown, r->trace[last].step, num, sizeof num);
				snprintf(u, sizeof u, "step %s", num);
			}
			snprintf(line, sizeof line, "Backstage; the customer waits: %s since %s", t, u);
		}
		draw_text(*y, x + 2, wd - 2, line, ST_DIM);
	}
	(*y)++;
}

/* Backstage meanwhile: the case's other steps, on any branch, that are not
 * customer steps and run at this moment. */
static void
draw_meanwhile(struct walkv *w, const struct moment *m, int *y, int x, int wd, int ymax)
{
	const struct process *p = w->s.var[w->shown].proc;
	const struct sim_result *r = &w->s.var[w->shown].r;
	size_t i, n = 0;

	for (i = 0; i < r->ntrace && *y < ymax; i++) {
		const struct sim_trace_entry *e = &r->trace[i];
		const struct lane *l = entry_lane(p, e);
		char line[900], u[64], st[600];
		const char *what;
		double until;

		/* not this step, nor the steps after it on its own branch */
		if (i == m->e || (e->branch == r->trace[m->e].branch && i > m->e) ||
		    with_customer(p, e) || !runs_at(e, m->t) ||
		    or_else(e->end_s, e->reach_s) == e->reach_s)
			continue;
		if (!n++) {
			draw_text(*y, x, wd, "Backstage meanwhile", ST_HEADER);
			(*y)++;
		}
		what = phase_at(e, m->t, &until);
		step_text(w, e, st, sizeof st);
		snprintf(line, sizeof line, "%s%s%s until %s: %s", l ? l->name : "", l ? ", " : "",
		         what, duration_show(round(until), p->time_unit, u, sizeof u), st);
		draw_text(*y, x + 2, wd - 2, line, ST_DIM);
		(*y)++;
	}
	if (!n) {
		draw_text(*y, x, wd, "Nothing else runs backstage for this case now.", ST_DIM);
		(*y)++;
	}
}

/* The emotion line: each customer step the case passes, as a bar of its
 * recorded emotion (lowest for very unhappy), the current one marked. */
static void
draw_feelings(struct app *a, struct walkv *w, const struct moment *m, int y, int x, int wd)
{
	static const char *const bars[] = { "▁", "▂", "▄", "▆", "█" };
	static const char *const ascii[] = { "_", ".", "-", "+", "^" };
	const struct process *p = w->s.var[w->shown].proc;
	const struct sim_result *r = &w->s.var[w->shown].r;
	size_t i, n = 0, at = 0;
	int cx, lw;

	for (i = 0; i < r->ntrace; i++)
		if (p->steps[r->trace[i].step]->emotion != EMOTION_NONE) {
			n++;
			if (r->trace[i].reach_s <= m->t)
				at = n;
		}
	if (!n)
		return;
	lw = draw_text(y, x, wd, "Feeling ", ST_HEADER);
	cx = x + lw;
	/* the part of the line that fits, with the current step in it */
	{
		size_t room = wd - lw > 1 ? (size_t)(wd - lw - 1) : 1, first = 0, k = 0;

		if (at > room)
			first = at - room;
		for (i = 0; i < r->ntrace && cx < x + wd - 1; i++) {
			int e = p->steps[r->trace[i].step]->emotion;

			if (e == EMOTION_NONE)
				continue;
			if (k++ < first)
				continue;
			e = e < -2 ? -2 : e > 2 ? 2 : e;
			draw_glyph(a, y, cx++, 1, bars[e + 2], ascii[e + 2],
			           k == at ? ST_CURSOR : k < at ? (e < 0 ? ST_PAIN : ST_CAPTURE) : ST_DIM);
		}
	}
}

static void
draw_timeline(struct app *a, struct walkv *w, const struct moment *m, int y, int x, int wd,
              int ymax)
{
	const struct process *p = w->s.var[w->shown].proc;
	const struct sim_result *r = &w->s.var[w->shown].r;
	size_t upto = 0, i, first;
	int rows = ymax - y - 1, lanew = wd >= 70 ? 16 : wd >= 50 ? 10 : 0;

	if (rows < 1)
		return;
	draw_text(y++, x, wd, "Timeline", ST_HEADER);
	while (upto < r->ntrace && r->trace[upto].reach_s < m->t)
		upto++;
	if (upto <= m->e)
		upto = m->e + 1;
	first = upto > (size_t)rows ? upto - (size_t)rows : 0;
	for (i = first; i < upto; i++, y++) {
		const struct sim_trace_entry *e = &r->trace[i];
		const struct lane *l = entry_lane(p, e);
		char t[64], d[64], name[600], num[16];
		int style = i == m->e ? ST_CURSOR : with_customer(p, e) ? ST_NORMAL : ST_DIM;
		int nw = wd - 15 - 8 - (lanew ? lanew + 1 : 0);
		const char *tag = sims_step_no(&w->s, w->shown, e->step, num, sizeof num);

		if (i == m->e)
			draw_blank(y, x, wd, ST_CURSOR);
		duration_show(round(e->reach_s), app_unit(a), d, sizeof d);
		draw_text_right(y, x, 9, fit_time_text(d, app_unit(a), 9, t, sizeof t), style);
		draw_text_right(y, x + 10, 4, num, style);
		snprintf(name, sizeof name, "%s%s%s", e->attempt > 1 ? (a->utf8 ? "↻ " : "(again) ") : "",
		         p->steps[e->step]->name, tag ? (a->utf8 ? " ⊕" : " (new)") : "");
		draw_text(y, x + 15, nw, name, style);
		if (lanew)
			draw_text(y, x + 15 + nw + 1, lanew, l ? l->name : "", style);
		if (i < m->e || or_else(e->end_s, e->reach_s) <= m->t)
			draw_text_right(y, x + wd - 7, 7,
			                sim_time(or_else(e->end_s, e->reach_s) - e->reach_s, app_unit(a), d, sizeof d),
			                style);
	}
}

static void
walk_draw(struct app *a, struct view *v, struct rect r)
{
	struct walkv *w = v->state;
	const struct moment *m;
	const struct sim_result *res;
	char line[512], t[64], n1[32], n2[32];
	int y = r.y, x = r.x + 1, wd = r.w - 2, ymax = r.y + r.h, bw;
	bool hints = r.h >= 10;
	double total;

	if (wd < 1)
		wd = r.w, x = r.x;
	if (hints) {
		ymax--;
		draw_text(ymax, x, wd,
		          w->s.state != RUN_DONE ? "r run again  q close"
		          : w->s.nvar > 1 ? "j/Space on  k back  g/G ends  n next case  Tab scenario  "
		                          "q close"
		                        : "j/Space on  k back  g/G first/last  n next case  q close",
		          ST_DIM);
	}
	if (w->s.state != RUN_DONE || !w->nmo[w->shown]) {
		if (w->s.state == RUN_DONE)
			draw_text(y, x, wd, "The case has no steps to walk.", ST_DIM);
		else
			sims_draw_unfinished(a, &w->s, y, x, wd);
		return;
	}
	res = &w->s.var[w->shown].r;
	m = &w->mo[w->shown][w->pos];
	/* which case, which variant, which moment */
	snprintf(line, sizeof line, "%zu/%zu", w->pos + 1, w->nmo[w->shown]);
	bw = wd >= 50 ? text_width(line) + 1 : 0;
	if (bw)
		draw_text_right(y, x, wd, line, ST_DIM);
	snprintf(line, sizeof line, "Case %s of %s%s, %s%s",
	         sim_count(w->kase[w->shown], n1, sizeof n1), sim_count(res->rep_cases, n2, sizeof n2),
	         w->kase[w->shown] == w->median_case[w->shown] ? " (nearest the median)" : "",
	         w->shown ? "scenario " : "baseline", w->shown ? w->s.var[1].name : "");
	draw_text(y++, x, wd - bw, line, ST_HEADER);
	if (w->s.stale && y < ymax)
		draw_text(y++, x, wd, "The workbook has changed since this run: r runs again.",
		          ST_ERROR);
	/* the clock */
	if (y < ymax) {
		int barw;

		total = 0;
		for (size_t i = 0; i < res->ntrace; i++)
			if (or_else(res->trace[i].end_s, 0) > total)
				total = res->trace[i].end_s;
		duration_show(round(m->t), app_unit(a), t, sizeof t);
		snprintf(line, sizeof line, "Clock %s", t);
		bw = draw_text(y, x, wd, line, ST_KEY) + 2;
		snprintf(line, sizeof line, "%3.0f %% of %s", total > 0 ? m->t / total * 100 : 100,
		         sim_time(total, app_unit(a), t, sizeof t));
		barw = wd - bw - text_width(line) - 1;
		if (barw > 40)
			barw = 40;
		if (barw >= 6) {
			draw_bar(a, y, x + bw, barw, total > 0 ? m->t / total : 1, true, ST_CAPTURE);
			draw_text(y, x + bw + barw + 1, wd - bw - barw - 1, line, ST_NORMAL);
		}
		y++;
	}
	if (y + 1 < ymax)
		y++;
	if (y < ymax)
		draw_now(a, w, m, &y, x, wd);
	if (y + 1 < ymax) {
		y++;
		draw_meanwhile(w, m, &y, x, wd, ymax);
	}
	if (y + 1 < ymax) {
		y++;
		draw_feelings(a, w, m, y, x, wd);
		y++;
	}
	if (y + 2 < ymax)
		draw_timeline(a, w, m, y, x, wd, ymax);
	v->rows = r.h;
}

/* --- keys ------------------------------------------------------------------------- */

static int
walk_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct walkv *w = v->state;
	size_t n = w->s.state == RUN_DONE ? w->nmo[w->shown] : 0;
	struct view *below = app_below(a, v);
	enum cmd own = cmd_screen_key(SCOPE_WALK, k);

	/* this screen's own keys first (tui/commands.h, scope WALK) */
	switch (own ? own : c) {
	case CMD_STEP_ON:
		c = CMD_DOWN;            /* as j */
		break;
	case CMD_NEXT_CASE:
	case CMD_PREV_CASE: {
		/* the side shown: its own cases */
		size_t sh = w->shown, nc = w->s.var[sh].r.rep_cases ? w->s.var[sh].r.rep_cases : 1;

		if (w->median_case[sh]) {
			if ((own ? own : c) == CMD_NEXT_CASE)
				w->kase[sh] = w->kase[sh] % nc + 1;
			else
				w->kase[sh] = w->kase[sh] > 1 ? w->kase[sh] - 1 : nc;
		}
		wk_run(a, w, !w->median_case[sh], w->median_case[sh] ? sh : SIZE_MAX);
		w->pos = 0;
		return FL_REDRAW;
	}
	case CMD_SWITCH_VARIANT:
		if (w->s.nvar > 1 && n) {
			double clock = w->mo[w->shown][w->pos].t;

			w->shown = 1 - w->shown;
			w->pos = w->nmo[w->shown] ? moment_at(w, w->shown, clock) : 0;
		}
		return FL_REDRAW;
	case CMD_REWALK:
		wk_run(a, w, !w->median_case[0] || (w->s.nvar > 1 && !w->median_case[1]), SIZE_MAX);
		return FL_REDRAW;
	default:
		break;
	}
	switch (c) {
	case CMD_DOWN:
	case CMD_RIGHT:
		if (w->pos + 1 < n)
			w->pos++;
		return FL_REDRAW;
	case CMD_UP:
	case CMD_LEFT:
		if (w->pos)
			w->pos--;
		return FL_REDRAW;
	case CMD_PAGE_DOWN:
		w->pos = w->pos + 10 < n ? w->pos + 10 : n ? n - 1 : 0;
		return FL_REDRAW;
	case CMD_PAGE_UP:
		w->pos = w->pos > 10 ? w->pos - 10 : 0;
		return FL_REDRAW;
	case CMD_FIRST:
		w->pos = 0;
		return FL_REDRAW;
	case CMD_LAST:
		w->pos = n ? n - 1 : 0;
		return FL_REDRAW;
	case CMD_WALK:
		return FL_NONE;
	case CMD_SIMULATE:
		if (below && below->ops == &sim_view_ops) {
			app_pop(a);          /* back to the simulation it came from */
			return FL_REDRAW;
		}
		return FL_UNHANDLED;
	default:
		return FL_UNHANDLED;
	}
}

static void
walk_done(struct app *a, struct view *v)
{
	struct walkv *w = v->state;

	(void)a;
	if (w) {
		sims_release(&w->s);
		free(w->mo[0]);
		free(w->mo[1]);
	}
	free(w);
	v->state = NULL;
}

const struct view_ops walk_view_ops = {
	.name = "walk",
	.esc_closes = true,
	.draw = walk_draw,
	.handle = walk_handle,
	.changed = sims_changed,
	.done = walk_done,
};
