/*
 * view_present.c - presentation mode: the map for the back of a room.
 *
 * Made to be read on a projector at 80x24 and smaller (60x18): the step
 * under the cursor (or the one being typed) in a band across the screen, its
 * whole name wrapped, never cut; its lane and stage in words; what marks it
 * (done by hand, pain point, a hand-off before or after it, its part in the
 * scenario shown) in words as well as glyphs; the step before it and what
 * comes after it (its branches, with their chances); three or four figures
 * with plain names ("time adding value", not PCE), baseline -> scenario when
 * one is shown, and the headline change in big type; a legend of the marks.
 * Every mark is a word too, so nothing depends on colour.
 *
 * Capture works here as on the map (capture.c): a or i opens a line at a
 * fixed place at the bottom, and the band shows the whole name being typed,
 * so the facilitator never leaves this screen in a workshop. j/k move; the
 * map's other keys (the form, delete, type, pain point, cuts...) act on the
 * step shown; q or Esc go back to the map.
 *
 * With a scenario shown it walks the scenario: its steps in its own order as
 * the map lists them (app_listed), without the steps it removes, each as the
 * scenario has it (a merged step as one, an automated one with its new type,
 * lane and times), numbered and counted as the scenario has them ("STEP 3
 * of 46"); the step before and after are the scenario's too.
 *
 * Draws from state only what fits: parts are dropped from the least needed
 * (big type, neighbours' second lines, the legend's second line) as the
 * screen gets smaller.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct present {
	struct capture cap;
};

/* --- the steps walked -------------------------------------------------------------------- */

/* Whether row i of l (app_listed) is a step presentation mode stops at: a
 * baseline step the scenario shown keeps (every step without one). */
static bool
walkable(struct app *a, const struct process *l, size_t i)
{
	const struct step *b = app_listed_base(a, l, i);

	return b && app_mark(a, b->id) != MARK_REMOVED;
}

/* Whether row i of l is a step of the process shown (not one the scenario
 * removes): a neighbour before or after, which may be a split or join the
 * scenario made. */
static bool
kept(struct app *a, const struct process *l, size_t i)
{
	const struct step *b = app_listed_base(a, l, i);

	return !b || app_mark(a, b->id) != MARK_REMOVED;
}

/* The row of l shown: the cursor's, or the nearest walkable one after it
 * (before it at the end). l->nsteps when there is none. */
static size_t
present_row(struct app *a, const struct process *l)
{
	size_t at = app_listed_cursor(a, l), i;

	if (at >= l->nsteps)
		at = l->nsteps ? l->nsteps - 1 : 0;
	for (i = at; i < l->nsteps; i++)
		if (walkable(a, l, i))
			return i;
	for (i = at; i-- > 0;)
		if (walkable(a, l, i))
			return i;
	return l->nsteps;
}

/* The number of row `row` among the walkable rows of l (1-based; 0 for a
 * row that is not one), and their count in *count. */
static size_t
walk_number(struct app *a, const struct process *l, size_t row, size_t *count)
{
	size_t i, n = 0, at = 0;

	for (i = 0; i < l->nsteps; i++)
		if (walkable(a, l, i)) {
			n++;
			if (i == row)
				at = n;
		}
	if (count)
		*count = n;
	return at;
}

/* j/k and the other moves over the walkable rows of l (a scenario shown):
 * the cursor goes to the baseline step of the row reached. */
static int
present_move(struct app *a, const struct process *l, size_t page, enum cmd c)
{
	size_t at = present_row(a, l), i, k, n = l->nsteps;
	int dir;

	if (at >= n)
		return FL_NONE;
	switch (c) {
	case CMD_DOWN:      page = 1; dir = 1; break;
	case CMD_UP:        page = 1; dir = -1; break;
	case CMD_PAGE_DOWN: dir = 1; break;
	case CMD_PAGE_UP:   dir = -1; break;
	case CMD_FIRST:     page = n; dir = -1; break;
	case CMD_LAST:      page = n; dir = 1; break;
	default:            return FL_UNHANDLED;
	}
	/* up to `page` walkable rows in direction dir, stopping at the end */
	for (i = at, k = 0; k < page; k++) {
		size_t j = i;

		do
			j = dir > 0 ? j + 1 : j - 1;    /* below 0 wraps past n */
		while (j < n && !walkable(a, l, j));
		if (j >= n)
			break;
		i = j;
	}
	app_set_cursor(a, app_listed_base(a, l, i)->index);
	return FL_REDRAW;
}

/* --- big type: the headline change in three rows ----------------------------------------- */

/* Three rows of three cells per character: 0-9, '-', '+', '%', ' '. */
static const char big_chars[] = "0123456789-+% ";
static const char *const big_utf8[][3] = {
	{ "█▀█", "█ █", "▀▀▀" }, { "▀█ ", " █ ", "▀▀▀" }, { "▀▀█", "█▀▀", "▀▀▀" },
	{ "▀▀█", " ▀█", "▀▀▀" }, { "█ █", "▀▀█", "  ▀" }, { "█▀▀", "▀▀█", "▀▀▀" },
	{ "█▀▀", "█▀█", "▀▀▀" }, { "▀▀█", "  █", "  ▀" }, { "█▀█", "█▀█", "▀▀▀" },
	{ "█▀█", "▀▀█", "▀▀▀" }, { "   ", "▀▀▀", "   " }, { " ▄ ", "▀█▀", "   " },
	{ "▀ █", " █ ", "█ ▄" }, { "   ", "   ", "   " },
};
static const char *const big_ascii[][3] = {
	{ " _ ", "| |", "|_|" }, { "   ", "  |", "  |" }, { " _ ", " _|", "|_ " },
	{ " _ ", " _|", " _|" }, { "   ", "|_|", "  |" }, { " _ ", "|_ ", " _|" },
	{ " _ ", "|_ ", "|_|" }, { " _ ", "  |", "  |" }, { " _ ", "|_|", "|_|" },
	{ " _ ", "|_|", " _|" }, { "   ", " _ ", "   " }, { "   ", "_|_", " | " },
	{ "   ", "o/ ", "/o " }, { "   ", "   ", "   " },
};

/* Cells text takes in big type (4 a character: 3 and a blank). */
static int
big_width(const char *s)
{
	return 4 * (int)strlen(s);
}

/* Draw s (made of big_chars) in big type, three rows from (y, x). */
static void
draw_big(struct app *a, int y, int x, const char *s, int style)
{
	int row;
	const char *c;

	for (row = 0; row < 3; row++) {
		int cx = x;

		for (c = s; *c; c++) {
			const char *at = strchr(big_chars, *c);
			size_t g = at ? (size_t)(at - big_chars) : sizeof big_chars - 2;

			draw_text(y + row, cx, 3, a->utf8 ? big_utf8[g][row] : big_ascii[g][row], style);
			cx += 4;
		}
	}
}

/* --- the figures that matter ------------------------------------------------------------- */

struct headline {
	char label[160];             /* in plain words */
	char brief[80];              /* the same, short, for a narrow screen */
	char base[40], scen[40];     /* scen "" when no scenario is shown */
	double change;               /* percent, NAN when there is none */
	bool lower_is_better;
};

static double
pct_change(double from, double to)
{
	if (!isfinite(from) || !isfinite(to) || from == 0)
		return NAN;
	return (to - from) / from * 100.0;
}

/* The measure to headline: the first customer-clock measure with a figure,
 * else the first measure with one; -1 when none. */
static long
headline_measure(const struct process *p, const struct figures *f)
{
	size_t i;
	long any = -1;

	for (i = 0; i < p->nmeasures && i < f->nmeasures; i++) {
		if (!isfinite(f->measures[i].expected_s))
			continue;
		if (p->measures[i]->clock == CLOCK_CUSTOMER)
			return (long)i;
		if (any < 0)
			any = (long)i;
	}
	return any;
}

/* The expected figure of measure id in f (of process p), NAN when none. */
static double
measure_of(const struct process *p, const struct figures *f, sm_id id)
{
	size_t i;

	for (i = 0; i < p->nmeasures && i < f->nmeasures; i++)
		if (p->measures[i]->id == id)
			return f->measures[i].expected_s;
	return NAN;
}

/* A count, baseline and (scen >= 0) scenario; fewer is better. */
static void
count_headline(struct headline *h, const char *label, const char *brief, size_t base, long scen)
{
	snprintf(h->label, sizeof h->label, "%s", label);
	snprintf(h->brief, sizeof h->brief, "%s", brief);
	snprintf(h->base, sizeof h->base, "%zu", base);
	if (scen >= 0)
		snprintf(h->scen, sizeof h->scen, "%ld", scen);
	h->change = scen >= 0 ? pct_change((double)base, (double)scen) : NAN;
	h->lower_is_better = true;
}

/* Up to four headlines: steps, hand-offs, the headline measure (else the
 * lead time), time adding value. fs and ps NULL when no scenario is shown. */
static size_t
headlines(struct app *a, const struct process *p, const struct figures *f,
          const struct process *ps, const struct figures *fs, struct headline *h)
{
	size_t n = 0;
	long m = headline_measure(p, f);
	double b, s;

	memset(h, 0, 4 * sizeof *h);
	count_headline(&h[n++], "Steps", "Steps", f->steps, fs ? (long)fs->steps : -1);
	count_headline(&h[n++], "Hand-offs (work changes hands)", "Hand-offs", f->handoffs,
	               fs ? (long)fs->handoffs : -1);

	if (m >= 0) {
		const struct measure *me = p->measures[m];

		snprintf(h[n].label, sizeof h[n].label, "%s (%s)", me->name,
		         me->clock == CLOCK_CUSTOMER ? "as the customer lives it"
		                                     : "as the organisation counts it");
		snprintf(h[n].brief, sizeof h[n].brief, "%s", me->name);
		b = f->measures[m].expected_s;
		s = fs ? measure_of(ps, fs, me->id) : NAN;
	} else {
		snprintf(h[n].label, sizeof h[n].label, "Lead time, first step to last");
		snprintf(h[n].brief, sizeof h[n].brief, "Lead time");
		b = f->lead_time_s;
		s = fs ? fs->lead_time_s : NAN;
	}
	fmt_time(b, app_unit(a), h[n].base, sizeof h[n].base);
	if (fs) {
		if (isfinite(s))
			fmt_time(s, app_unit(a), h[n].scen, sizeof h[n].scen);
		else
			snprintf(h[n].scen, sizeof h[n].scen, "%s", a->utf8 ? "—" : "-");
	}
	h[n].change = fs ? pct_change(b, s) : NAN;
	h[n++].lower_is_better = true;

	snprintf(h[n].label, sizeof h[n].label, "Time adding value (share of the lead time)");
	snprintf(h[n].brief, sizeof h[n].brief, "Time adding value");
	snprintf(h[n].base, sizeof h[n].base, "%.0f %%", f->pce * 100.0);
	if (fs)
		snprintf(h[n].scen, sizeof h[n].scen, "%.0f %%", fs->pce * 100.0);
	h[n].change = NAN;                 /* a share: its change in points is in the values */
	h[n++].lower_is_better = false;
	return n;
}

/* "−89 %" (minus: U+2212 when utf8, as the figures panel writes it; big
 * type takes the ASCII one, which big_chars has). */
static void
change_text(double change, bool utf8, char *buf, size_t size)
{
	long r = lround(change);

	snprintf(buf, size, "%s%ld %%", r > 0 ? "+" : r < 0 ? (utf8 ? "−" : "-") : "", labs(r));
}

/* --- the step and its neighbours --------------------------------------------------------- */

static const char *
lane_label(const struct process *p, sm_id id, char *buf, size_t size)
{
	const struct lane *l = id ? process_lane(p, id) : NULL;

	if (!l)
		snprintf(buf, size, "no lane");
	else if (l->stage == STAGE_CUSTOMER)
		snprintf(buf, size, "%s (the customer)", l->name);
	else if (l->stage == STAGE_ONSTAGE)
		snprintf(buf, size, "%s (onstage: the customer sees it)", l->name);
	else if (l->stage == STAGE_OFFSTAGE)
		snprintf(buf, size, "%s (backstage: out of the customer's sight)", l->name);
	else
		snprintf(buf, size, "%s (support)", l->name);
	return buf;
}

static const char *
mark_words(enum cut_mark m)
{
	switch (m) {
	case MARK_REMOVED:   return "REMOVED in this scenario";
	case MARK_MERGED:    return "MERGED with the next step in this scenario";
	case MARK_AUTOMATED: return "AUTOMATED in this scenario";
	case MARK_MOVED:     return "MOVED in this scenario";
	case MARK_PARALLEL:  return "RUNS IN PARALLEL in this scenario";
	case MARK_CHANGED:   return "CHANGED in this scenario";
	default:             return NULL;
	}
}

/* What marks step s, in words: "DONE BY HAND · PAIN POINT · work 5m, wait
 * before 10m". */
static void
step_words(struct app *a, const struct step *s, char *buf, size_t size)
{
	const char *sep = a->utf8 ? " · " : " - ";
	char w[40], t[40];
	size_t n = 0;
	enum cut_mark mk = app_mark(a, s->id);

	buf[0] = '\0';
	if (step_type_is_manual(s->type))
		n += (size_t)snprintf(buf + n, size - n, "%sDONE BY HAND (%s)", n ? sep : "",
		                      step_type_name(s->type));
	else if (s->type != STEP_TASK)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? sep : "", step_type_name(s->type));
	if (n < size && s->pain)
		n += (size_t)snprintf(buf + n, size - n, "%sPAIN POINT", n ? sep : "");
	if (n < size && mark_words(mk))
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? sep : "", mark_words(mk));
	if (n < size && s->work.kind != DIST_NONE)
		n += (size_t)snprintf(buf + n, size - n, "%swork %s", n ? sep : "",
		                      fmt_time(dist_mean(&s->work), app_unit(a), w, sizeof w));
	if (n < size && s->wait.kind != DIST_NONE)
		n += (size_t)snprintf(buf + n, size - n, "%swaits %s before", n ? sep : "",
		                      fmt_time(dist_mean(&s->wait), app_unit(a), t, sizeof t));
	if (n < size && s->error_rate > 0)
		snprintf(buf + n, size - n, "%sredone %.0f %% of the time", n ? sep : "",
		         s->error_rate * 100.0);
}

/* One neighbour: "before  11  Walk to triage   (Patient)" (number 0: a step
 * the scenario made, without one), its name wrapped on at most two rows.
 * Returns the rows used. */
static int
draw_neighbour(const struct process *p, int y, int ymax, int maxrows, struct rect r,
               const char *tag, const char *prob, const struct step *s, size_t number)
{
	char head[64], text[1024], num[24] = "";
	int hw, rows;

	if (y >= ymax)
		return 0;
	if (number)
		snprintf(num, sizeof num, "%zu", number);
	snprintf(head, sizeof head, " %-6s %3s ", tag, num);
	hw = draw_text(y, r.x, r.w, head, ST_DIM);
	if (prob && *prob)
		hw += draw_text(y, r.x + hw, r.w - hw, prob, ST_KEY);
	snprintf(text, sizeof text, "%s  (%s)", s->name,
	         s->lane && process_lane(p, s->lane) ? process_lane(p, s->lane)->name : "no lane");
	if (text_rows(text, r.w - hw, 3) > maxrows)
		snprintf(text, sizeof text, "%s", s->name);     /* the lane goes first, then the cut */
	rows = ymax - y < maxrows ? ymax - y : maxrows;
	return draw_wrapped(y, r.x + hw, r.w - hw, rows, text, ST_NORMAL);
}

/* --- drawing ----------------------------------------------------------------------------- */

/* The legend, whole in at most max rows of w cells: the plain one, or a
 * shorter one on a small screen. */
static const char *
legend_text(struct app *a, char *text, size_t size, int w, int max)
{
	const char *hand = a->utf8 ? "✋" : "M", *ho = a->utf8 ? "⇄" : "<>", *pain = a->utf8 ? "⚑" : "!";

	snprintf(text, size,
	         "%s done by hand   %s hand-off: the work changes hands   %s pain point   "
	         "times are expected (the map's own, no queueing)   j/k step   a add steps   q back",
	         hand, ho, pain);
	if (text_rows(text, w, max + 1) > max)
		snprintf(text, size, "%s by hand  %s hand-off  %s pain point  times expected, "
		         "no queueing  j/k step  a add  q back", hand, ho, pain);
	return text;
}

static void
present_draw(struct app *a, struct view *v, struct rect r)
{
	struct present *ps = v->state;
	const struct process *p = app_process(a);
	/* the steps walked: the baseline's, or the scenario's as listed */
	const struct process *l = p ? app_listed(a) : NULL;
	size_t row = l ? present_row(a, l) : 0, count = 0, number = 0, pi, ni;
	const struct step *s = l && row < l->nsteps ? l->steps[row] : NULL;
	const struct figures *f, *fsc = NULL;
	const struct process *shown = NULL;
	struct headline h[4];
	size_t nh = 0, i, nflows = 0;
	char buf[1024], lane[256], legend[512];
	int y = r.y, ymax, ytop, legend_rows, band_w, rows, pad;
	bool stale = false, capturing = ps->cap.on;

	if (r.h <= 0 || r.w <= 0)
		return;
	if (!p) {
		draw_wrapped(r.y + 1, r.x + 1, r.w - 2, r.h - 1,
		             "No process yet: q, then :process new NAME (or :import FILE)", ST_DIM);
		return;
	}
	if (s)
		number = walk_number(a, l, row, &count);
	if (s && !capturing && l != p) {    /* the status line counts as we do */
		a->pos_number = number;
		a->pos_count = count;
	}
	legend_text(a, legend, sizeof legend, r.w - 1, r.h >= 20 ? 3 : 2);
	legend_rows = text_rows(legend, r.w - 1, r.h >= 20 ? 3 : 2);
	ymax = r.y + r.h - legend_rows - (capturing ? 1 : 0);
	v->rows = r.h;

	/* The figures keep their rows; the step and its neighbours take the
	 * rest. */
	f = app_figures(a, &stale);
	if (app_scenario(a)) {
		fsc = app_figures_scen(a, &stale);
		shown = a->derived_fig;
	}
	if (f)
		nh = headlines(a, p, f, fsc ? shown : NULL, fsc, h);
	ytop = ymax - (f ? 2 + (int)nh : 0);
	if (ytop < r.y + 4)
		ytop = ymax;
	pad = r.h >= 20 ? 1 : 0;

	/* Where we are. */
	if (capturing) {
		snprintf(buf, sizeof buf, "NEW STEP %zu of %zu  %s  %s", ps->cap.at + 1, p->nsteps + 1,
		         a->utf8 ? "·" : "-", lane_label(p, ps->cap.lane, lane, sizeof lane));
	} else if (s) {
		snprintf(buf, sizeof buf, "STEP %zu of %zu  %s  %s", number, count,
		         a->utf8 ? "·" : "-", lane_label(l, s->lane, lane, sizeof lane));
	} else
		snprintf(buf, sizeof buf, "No steps yet: press a and say the first one");
	y += draw_wrapped(y, r.x + 1, r.w - 1, 2, buf, ST_HEADER);

	/* The band: the whole name, wrapped. */
	band_w = r.w - 4;
	if (band_w < 1)
		band_w = 1;
	if (y < ytop) {
		const char *name = capturing ? (ps->cap.line.buf ? ps->cap.line.buf : "")
		                 : s ? s->name : "";
		int max = ytop - y - 2 * pad > 6 ? 6 : ytop - y - 2 * pad;

		if (max < 1)
			max = 1;
		rows = text_rows(*name ? name : " ", band_w, max);
		for (i = 0; i < (size_t)(rows + 2 * pad) && y + (int)i < ytop; i++)
			draw_blank(y + (int)i, r.x, r.w, ST_TITLE);
		y += pad;
		if (y < ytop)
			draw_wrapped(y, r.x + 2, band_w, rows, *name ? name : " ", ST_TITLE);
		if (capturing && y < ytop) {
			/* The terminal cursor after the text typed so far. */
			int last = text_rows(*name ? name : " ", band_w, max) - 1;

			a->cursor_y = y + last;
			a->cursor_x = r.x + 2 + (int)(text_width(name) % (band_w > 0 ? band_w : 1));
			if (a->cursor_x >= r.x + r.w)
				a->cursor_x = r.x + r.w - 1;
		}
		y += rows + pad;
	}
	if (!capturing && s && y < ytop) {
		step_words(a, s, buf, sizeof buf);
		if (*buf)
			y += draw_wrapped(y, r.x + 1, r.w - 1, ytop - y < 2 ? ytop - y : 2, buf,
			                  step_type_is_manual(s->type) ? ST_MANUAL
			                  : s->pain ? ST_PAIN : ST_NORMAL);
	}

	/* Before and after: the steps of the process shown next to it. */
	if (!capturing && s && y < ytop) {
		for (pi = row; pi-- > 0 && !kept(a, l, pi);)
			;
		for (ni = row + 1; ni < l->nsteps && !kept(a, l, ni); ni++)
			;
		if (pi < row) {
			const struct step *prev = l->steps[pi];

			/* (a step the scenario removes hands nothing on: asked from
			 * the row before s, app_handoff_after looks past them) */
			if (app_handoff_after(a, l, row - 1) && y < ytop) {
				snprintf(buf, sizeof buf, "%s HAND-OFF: the work comes from %s",
				         a->utf8 ? "⇄" : "<>",
				         prev->lane && process_lane(l, prev->lane)
				             ? process_lane(l, prev->lane)->name : "another lane");
				y += draw_wrapped(y, r.x + 1, r.w - 1, 1, buf, ST_HANDOFF);
			}
			y += draw_neighbour(l, y, ytop, ytop - y >= 5 ? 2 : 1, r, "before", NULL, prev,
			                    walk_number(a, l, pi, NULL));
		}
		{
			const struct flow *const *fl = app_flows_from(a, s, &nflows);

			if (nflows > 0) {
				for (i = 0; i < nflows && y < ytop; i++) {
					const struct step *to = process_step(l, fl[i]->to);
					char pr[64];

					if (!to)
						continue;
					pr[0] = '\0';
					if (fl[i]->prob >= 0)
						snprintf(pr, sizeof pr, "%.0f %% ", fl[i]->prob * 100.0);
					if (fl[i]->label)
						snprintf(pr + strlen(pr), sizeof pr - strlen(pr), "%s: ",
						         fl[i]->label);
					y += draw_neighbour(l, y, ytop, ytop - y >= 5 ? 2 : 1, r, "then", pr, to,
					                    walk_number(a, l, to->index, NULL));
				}
			} else if (ni < l->nsteps && s->type != STEP_END) {
				const struct step *next = l->steps[ni];

				y += draw_neighbour(l, y, ytop, ytop - y >= 5 ? 2 : 1, r, "then", NULL, next,
				                    walk_number(a, l, ni, NULL));
				if (app_handoff_after(a, l, ni - 1) && y < ytop) {
					snprintf(buf, sizeof buf, "%s HAND-OFF: the work goes to %s",
					         a->utf8 ? "⇄" : "<>",
					         next->lane && process_lane(l, next->lane)
					             ? process_lane(l, next->lane)->name : "another lane");
					y += draw_wrapped(y, r.x + 1, r.w - 1, 1, buf, ST_HANDOFF);
				}
			} else if (y < ytop)
				y += draw_wrapped(y, r.x + 1, r.w - 1, 1, " the last step: the case ends here",
				                  ST_DIM);
		}
	}

	/* The figures that matter. */
	if (f && y + 2 <= ymax) {
		double big = NAN;
		int cw, extra;

		if (y + 2 + (int)nh <= ymax)
			y++;
		snprintf(buf, sizeof buf, "%s%s", fsc ? "Baseline → scenario" : "The process in figures",
		         stale ? " (updating…)" : "");
		if (!a->utf8)
			snprintf(buf, sizeof buf, "%s%s", fsc ? "Baseline -> scenario" : "The process in figures",
			         stale ? " (updating...)" : "");
		y += draw_wrapped(y, r.x + 1, r.w - 1, 1, buf, ST_HEADER);
		for (i = 0; i < nh && y < ymax; i++) {
			char val[128], ch[32] = "";

			if (fsc)
				snprintf(val, sizeof val, "%s %s %s", h[i].base, a->utf8 ? "→" : "->", h[i].scen);
			else
				snprintf(val, sizeof val, "%s", h[i].base);
			if (isfinite(h[i].change))
				change_text(h[i].change, a->utf8, ch, sizeof ch);
			cw = text_width(val) + (*ch ? text_width(ch) + 2 : 0) + 2;
			if (cw > r.w - 2)
				cw = r.w - 2;
			{
				/* The plain label when it fits, else the short one,
				 * wrapped rather than cut. */
				int lw = r.w - 1 - cw;
				const char *lab = text_width(h[i].label) <= lw ? h[i].label : h[i].brief;

				draw_wrapped(y, r.x + 1, lw, ymax - y, lab, ST_NORMAL);
				extra = text_rows(lab, lw, ymax - y) - 1;
			}
			draw_text_right(y, r.x + r.w - cw - 1, cw - (*ch ? text_width(ch) + 2 : 0), val,
			                ST_KEY);
			if (*ch)
				draw_text_right(y, r.x + r.w - text_width(ch) - 2, text_width(ch) + 1, ch,
				                (h[i].change < 0) == h[i].lower_is_better ? ST_CHANGE_GOOD
				                                                          : ST_CHANGE_BAD);
			y += 1 + extra;
		}
		/* The scenario's headline change in big type: the measure's, else
		 * the steps'. */
		big = nh > 2 && isfinite(h[2].change) ? h[2].change : h[0].change;
		if (fsc && isfinite(big) && y + 4 <= ymax) {
			char txt[32];
			int bw;

			change_text(big, false, txt, sizeof txt);
			bw = big_width(txt);
			y++;
			if (bw + 2 <= r.w) {
				const char *what = nh > 2 && isfinite(h[2].change) ? h[2].label : h[0].label;

				draw_big(a, y, r.x + 2, txt,
				         big < 0 ? ST_CHANGE_GOOD : ST_CHANGE_BAD);
				draw_wrapped(y, r.x + 4 + bw, r.w - bw - 4, 3, what, ST_DIM);
				y += 3;
			}
		}
	}

	/* The line being typed: always in the same place. */
	if (capturing) {
		int yl = r.y + r.h - legend_rows - 1, lw;

		snprintf(buf, sizeof buf, " %s ", a->utf8 ? "▶ type the step, Enter:" : "> type the step, Enter:");
		lw = draw_text(yl, r.x, r.w, buf, ST_CAPTURE);
		line_draw(a, &ps->cap.line, yl, r.x + lw, r.w - lw, ST_NORMAL);
	}
	draw_wrapped(r.y + r.h - legend_rows, r.x + 1, r.w - 1, legend_rows, legend, ST_DIM);
}

/* --- keys -------------------------------------------------------------------------------- */

static int
present_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct present *ps = v->state;
	struct process *p = app_process(a);
	struct view *below;

	if (ps->cap.on)
		return capture_handle(a, &ps->cap, c, k);
	switch (c) {
	case CMD_NONE:
		if (k == TK_ESC) {
			app_pop(a);
			return FL_REDRAW;
		}
		return FL_UNHANDLED;
	case CMD_CLOSE:
	case CMD_PRESENT:
		app_pop(a);
		app_say(a, "presentation mode ended");
		return FL_REDRAW;
	case CMD_APPEND:
	case CMD_INSERT:
		if (!p) {
			app_error(a, "no process is open: :process new NAME");
			return FL_REDRAW;
		}
		capture_start(a, &ps->cap, c == CMD_APPEND);
		return FL_REDRAW;
	case CMD_VIEW:
	case CMD_FIGURES:
	case CMD_LEFT:
	case CMD_RIGHT:
		return FL_NONE;
	default:
		break;
	}
	if (cmd_info(c)->scope == SCOPE_MOVE) {
		const struct process *l = p ? app_listed(a) : NULL;

		if (l && l != p)            /* a scenario shown: its steps */
			return present_move(a, l, v->rows > 2 ? (size_t)v->rows - 1 : 1, c);
		return map_move(a, v, c);
	}
	/* The map's other keys act on the step shown, as on the map (with a
	 * scenario shown, the cursor goes to it first: it may stand on a step
	 * the scenario removes, which is not shown). */
	below = app_below(a, v);
	if (p && app_listed(a) != p) {
		const struct process *l = app_listed(a);
		size_t row = present_row(a, l);

		if (row < l->nsteps)
			app_set_cursor(a, app_listed_base(a, l, row)->index);
	}
	if (below && (below->ops == &map_view_ops || below->ops == &lanes_view_ops) &&
	    (cmd_info(c)->scope == SCOPE_MAP || cmd_info(c)->scope == SCOPE_SCEN))
		return below->ops->handle(a, below, c, k);
	return FL_UNHANDLED;
}

static bool
present_typing(struct app *a, struct view *v)
{
	struct present *ps = v->state;

	(void)a;
	return ps->cap.on;
}

static void
present_changed(struct app *a, struct view *v)
{
	struct present *ps = v->state;

	capture_changed(a, &ps->cap);
}

VIEW_STATE_OPEN(present_open, struct present)

static void
present_done(struct app *a, struct view *v)
{
	struct present *ps = v->state;

	(void)a;
	if (ps)
		capture_free(&ps->cap);
	free(ps);
	v->state = NULL;
}

const struct view_ops present_view_ops = {
	.name = "presentation",
	.open = present_open,
	.draw = present_draw,
	.handle = present_handle,
	.typing = present_typing,
	.changed = present_changed,
	.done = present_done,
};
