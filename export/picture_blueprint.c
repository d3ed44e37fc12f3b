/*
 * picture_blueprint.c - the service blueprint of a process (picture.h):
 * laid out once into boxes, bands and segments (the geometry list), then
 * drawn from that layout into SVG, PNG or PDF.
 *
 * Layout, all in points, linear in steps + flows:
 *   rows     the steps in order, a column each, as many columns a row as
 *            the paper's width holds; a row is a PDF page, or one of the
 *            rows stacked down an SVG or PNG.
 *   bands    the lanes sorted by stage (customer on top) then by their own
 *            order, one band each, and a last band for steps with no lane.
 *            In each row a band is a top corridor (forward flows), the row
 *            of boxes, and a bottom corridor (loops), each as tall as its
 *            contents need in that row; a band with no step in the row is
 *            as tall as its lane's name.
 *   boxes    as wide as a column less its channel; as tall as their text
 *            (pango wraps the whole name; nothing is cut).
 *   flows    leave a box by its right side and enter by the left, at a port
 *            12 points below the top. A flow to the next column runs in the
 *            channel between the two; any other runs up its channel into its
 *            band's top corridor (back flows: down into the bottom one),
 *            along it, and down the channel before its target. Channels and
 *            corridors hold no boxes, so no segment crosses a box; flows in
 *            one channel or corridor take separate tracks. A flow to a step
 *            in another row is written in both boxes instead.
 * Nothing outside a box is written where a box or another label is: the
 * lane names and the names of the stage lines live in the header column,
 * the title and legend above and below the bands (geo_check() verifies).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export/picture_int.h"
#include "model/figures.h"
#include "model/scenario.h"

#define M 18.0        /* margin */
#define HW 96.0       /* lane header column */
#define CH 22.0       /* channel between columns */
#define BW 92.0       /* box width */
#define CW (BW + CH)  /* column */
#define PAD 4.0       /* inside a box */
#define PORT 12.0     /* a flow's port below the box's top */
#define TRACK 3.0     /* between tracks */
#define BOX_MIN_H 26.0

/* A flow inside one row, and its tracks. */
struct route {
	size_t from, to;             /* step indices */
	size_t edge;                 /* in the graph */
	int ch1, ch2, corr;          /* tracks: channel after from, channel
	                                before to, corridor (-1: none) */
	bool loop, handoff;
};

struct bp {
	const struct process *p;
	const struct scenario *sc;
	enum cut_mark *marks;        /* NULL without sc */
	struct process *derived;     /* sc applied; NULL without sc */
	bool *stale;                 /* sc's cuts that could not apply */
	struct graph g;
	PangoContext *pc;
	double pw, ph;               /* paper */
	bool paged;                  /* PDF */
	size_t ncols, nrows;
	/* bands */
	size_t nbands;
	size_t *band_lane;           /* band -> lane index, p->nlanes for none */
	size_t *lane_band;           /* lane index -> band */
	int *band_stage;             /* stage of each band (STAGE_COUNT_ for none) */
	double *head_h;              /* lane header text height */
	char **head_text;            /* markup */
	double *line_h;              /* the stage line label below the band, 0: none */
	char **line_text;
	/* steps */
	size_t *step_band;
	char **text;                 /* box markup */
	double *box_h;
	double *bx, *by;             /* box top left, in its row */
	/* per row, filled when the row is laid out */
	double *band_y, *band_h, *corr_top_h, *corr_bot_h, *box_top;
	double title_h, legend_h, sub_h;
	char *legend;
	/* the texts every row repeats, laid out once */
	PangoLayout **head_l, **line_l, *legend_l, *title_l;
	/* rows' heights and offsets */
	double *row_h, *row_y;
	struct route *routes;
	size_t nroutes, cap_routes;
	int *chan_tracks, *corr_top, *corr_bot;
};

static bool
is_customer_lane(const struct lane *l)
{
	return l && l->stage == STAGE_CUSTOMER;
}

/* A hand-off as model/figures.h counts one. */
static bool
edge_is_handoff(const struct bp *b, size_t from, size_t to)
{
	const struct step *s = b->p->steps[from], *t = b->p->steps[to];
	const struct lane *ls = step_lane(b->p, s), *lt = step_lane(b->p, t);

	return ls && lt && ls != lt && !is_customer_lane(ls) && !is_customer_lane(lt);
}

static size_t
row_of(const struct bp *b, size_t step)
{
	return step / b->ncols;
}

static const char *
mark_words(enum cut_mark m)
{
	switch (m) {
	case MARK_REMOVED: return "✗ REMOVED";
	case MARK_MERGED: return "⊕ MERGED";
	case MARK_AUTOMATED: return "⚡ AUTOMATED";
	case MARK_MOVED: return "↕ MOVED";
	case MARK_PARALLEL: return "∥ PARALLEL";
	case MARK_CHANGED: return "✎ CHANGED";
	default: return NULL;
	}
}

/* --- the text of each box ---------------------------------------------------- */

static void
step_markup(struct bp *b, size_t i, struct strbuf *t)
{
	const struct process *p = b->p;
	const struct step *s = p->steps[i];
	enum cut_mark mark = b->marks ? b->marks[i] : MARK_NONE;
	char d1[DIST_TEXT_MAX];
	size_t k;
	bool removed = mark == MARK_REMOVED;

	strbuf_printf(t, "<span font=\"" PIC_FONT_SMALL "\">#%zu · %s", i + 1,
	               step_type_name(s->type));
	if (step_type_is_manual(s->type))
		strbuf_printf(t, " · <b>MANUAL</b>");
	strbuf_printf(t, "</span>");
	if (mark_words(mark))
		strbuf_printf(t, "\n<span font=\"" PIC_FONT " Bold 6\" foreground=\"%s\">%s</span>",
		               removed ? "#666666" : "#0b7a46", mark_words(mark));
	strbuf_printf(t, "\n<span font=\"" PIC_FONT_NAME "\"%s>", removed ? " strikethrough=\"true\"" : "");
	pic_buf_escape(t, s->name[0] ? s->name : "(no name)");
	strbuf_printf(t, "</span>\n<span font=\"" PIC_FONT_SMALL "\">");
	if (s->work.kind != DIST_NONE) {
		strbuf_printf(t, "work ");
		pic_buf_escape(t, dist_format(&s->work, d1, sizeof d1));
	}
	if (s->wait.kind != DIST_NONE) {
		strbuf_printf(t, "%swait ", s->work.kind != DIST_NONE ? " · " : "");
		pic_buf_escape(t, dist_format(&s->wait, d1, sizeof d1));
	}
	if (s->work.kind == DIST_NONE && s->wait.kind == DIST_NONE)
		strbuf_printf(t, "no time");
	if (s->error_rate > 0)
		strbuf_printf(t, " · redone %.3g %%", s->error_rate * 100);
	strbuf_printf(t, "</span>");
	if (s->pain)
		strbuf_printf(t, "\n<span font=\"" PIC_FONT " Bold 6\" foreground=\"#cc1a1f\">⚠ PAIN POINT</span>");
	/* what the scenario makes of it: its new name and times */
	if (b->derived && mark != MARK_REMOVED && mark != MARK_NONE) {
		const struct step *n = process_step(b->derived, s->id);
		bool renamed = n && strcmp(n->name, s->name) && mark != MARK_MERGED;
		bool retimed = n && (!dist_equal(&n->work, &s->work) || !dist_equal(&n->wait, &s->wait));
		bool automated = n && n->type == STEP_SERVICE && s->type != STEP_SERVICE;

		if (renamed || retimed || automated) {
			strbuf_printf(t, "\n<span font=\"" PIC_FONT " 6\" foreground=\"#0b7a46\">now: ");
			if (renamed) {
				strbuf_printf(t, "<b>");
				pic_buf_escape(t, n->name);
				strbuf_printf(t, "</b>%s", retimed || automated ? " · " : "");
			}
			if (automated)
				strbuf_printf(t, "⚡ automated (service)%s", retimed ? " · " : "");
			if (retimed) {
				strbuf_printf(t, "work ");
				pic_buf_escape(t, n->work.kind == DIST_NONE ? "0s" : dist_format(&n->work, d1, sizeof d1));
				strbuf_printf(t, " · wait ");
				pic_buf_escape(t, n->wait.kind == DIST_NONE ? "0s" : dist_format(&n->wait, d1, sizeof d1));
			}
			strbuf_printf(t, "</span>");
		}
	}
	/* a hand-off received, in words */
	for (k = b->g.in[i]; k < b->g.in[i + 1]; k++) {
		const struct edge *e = &b->g.edges[b->g.in_edges[k]];

		if (edge_is_handoff(b, e->from, i)) {
			strbuf_printf(t, "\n<span font=\"" PIC_FONT " Bold 5.5\" foreground=\"#c2560a\">⇄ hand-off from ");
			pic_buf_escape(t, step_lane(p, p->steps[e->from])->name);
			strbuf_printf(t, "</span>");
			break;
		}
	}
	/* branches of a decision; flows to and from other rows */
	for (k = b->g.out[i]; k < b->g.out[i + 1]; k++) {
		const struct edge *e = &b->g.edges[k];
		bool other_row = row_of(b, e->to) != row_of(b, i);
		bool branch = b->g.out[i + 1] - b->g.out[i] > 1;

		if (!branch && !other_row)
			continue;
		strbuf_printf(t, "\n<span font=\"" PIC_FONT_SMALL "\">→ #%zu", e->to + 1);
		if (branch && p->steps[i]->type != STEP_PARALLEL)
			strbuf_printf(t, " %.3g %%", e->prob * 100);
		if (e->flow && e->flow->label && e->flow->label[0]) {
			strbuf_printf(t, " ");
			pic_buf_escape(t, e->flow->label);
		}
		if (other_row)
			strbuf_printf(t, " (row %zu)", row_of(b, e->to) + 1);
		strbuf_printf(t, "</span>");
	}
	for (k = b->g.in[i]; k < b->g.in[i + 1]; k++) {
		const struct edge *e = &b->g.edges[b->g.in_edges[k]];

		if (row_of(b, e->from) != row_of(b, i))
			strbuf_printf(t, "\n<span font=\"" PIC_FONT_SMALL "\">← from #%zu (row %zu)</span>",
			               e->from + 1, row_of(b, e->from) + 1);
	}
}

/* --- bands ------------------------------------------------------------------- */

static const char *
line_name(int stage_below)
{
	switch (stage_below) {
	case STAGE_ONSTAGE: return "line of interaction";
	case STAGE_OFFSTAGE: return "line of visibility";
	case STAGE_SUPPORT: return "line of internal interaction";
	default: return NULL;
	}
}

static enum status
bands_make(struct bp *b)
{
	const struct process *p = b->p;
	size_t i, n = 0, s;
	bool no_lane = false;

	for (i = 0; i < p->nsteps; i++)
		if (!step_lane(p, p->steps[i]))
			no_lane = true;
	b->nbands = p->nlanes + (no_lane || !p->nlanes);
	b->band_lane = calloc(b->nbands, sizeof *b->band_lane);
	b->lane_band = calloc(p->nlanes + 1, sizeof *b->lane_band);
	b->band_stage = calloc(b->nbands, sizeof *b->band_stage);
	b->head_h = calloc(b->nbands, sizeof *b->head_h);
	b->head_text = calloc(b->nbands, sizeof *b->head_text);
	b->line_h = calloc(b->nbands, sizeof *b->line_h);
	b->line_text = calloc(b->nbands, sizeof *b->line_text);
	b->head_l = calloc(b->nbands, sizeof *b->head_l);
	b->line_l = calloc(b->nbands, sizeof *b->line_l);
	if (!b->band_lane || !b->lane_band || !b->band_stage || !b->head_h || !b->head_text ||
	    !b->line_h || !b->line_text || !b->head_l || !b->line_l)
		return STATUS_NOMEM;
	for (s = 0; s < STAGE_COUNT_; s++)
		for (i = 0; i < p->nlanes; i++)
			if (p->lanes[i]->stage == (enum stage)s) {
				b->band_lane[n] = i;
				b->band_stage[n] = (int)s;
				b->lane_band[i] = n++;
			}
	if (n < b->nbands) {
		b->band_lane[n] = p->nlanes;
		b->band_stage[n] = STAGE_COUNT_;
		b->lane_band[p->nlanes] = n;
	}
	for (i = 0; i < b->nbands; i++) {
		struct strbuf t = { 0 };
		double w;

		if (b->band_lane[i] < p->nlanes) {
			const struct lane *l = p->lanes[b->band_lane[i]];

			strbuf_printf(&t, "<span font=\"" PIC_FONT_HEAD "\">");
			pic_buf_escape(&t, l->name);
			strbuf_printf(&t, "</span>\n<span font=\"" PIC_FONT_SMALL "\">%s", stage_label(l->stage));
			if (l->capacity > 0)
				strbuf_printf(&t, " · %d at once", l->capacity);
			strbuf_printf(&t, "</span>");
		} else {
			strbuf_printf(&t, "<span font=\"" PIC_FONT_HEAD "\">(no lane)</span>");
		}
		if (t.failed)
			return STATUS_NOMEM;
		b->head_text[i] = t.s;
		b->head_l[i] = pic_text_layout(b->pc, t.s, true, PIC_FONT_TEXT, HW - 8);
		pic_text_size(b->head_l[i], &w, &b->head_h[i]);
		/* the stage lines below this band, named in it */
		if (i + 1 < b->nbands && b->band_stage[i + 1] != b->band_stage[i]) {
			struct strbuf lt = { 0 };
			int k;

			strbuf_printf(&lt, "<span font=\"" PIC_FONT " Italic 5.5\">");
			for (k = b->band_stage[i] + 1; k <= b->band_stage[i + 1] && k < STAGE_COUNT_; k++)
				strbuf_printf(&lt, "%s%s", k > b->band_stage[i] + 1 ? " · " : "", line_name(k));
			strbuf_printf(&lt, "</span>");
			if (lt.failed)
				return STATUS_NOMEM;
			if (b->band_stage[i + 1] >= STAGE_COUNT_) {
				strbuf_done(&lt);
				continue;
			}
			b->line_text[i] = lt.s;
			b->line_l[i] = pic_text_layout(b->pc, lt.s, true, PIC_FONT_TEXT, HW - 8);
			pic_text_size(b->line_l[i], &w, &b->line_h[i]);
		}
	}
	return STATUS_OK;
}

/* --- layout ------------------------------------------------------------------- */

static int
track_next(int *counter)
{
	return (*counter)++;
}

static double
chan_x(size_t ch, int track)
{
	/* channel ch lies before column ch: from M+HW+ch*CW to +CH */
	int slots = (int)((CH - 8) / TRACK) + 1;

	return M + HW + (double)ch * CW + 4 + (double)(track % slots) * TRACK;
}

static double
col_x(size_t col)
{
	return M + HW + CH + (double)col * CW;
}

/* Lay out row r: routes and tracks, band heights, box positions. Returns
 * the row's height. */
static enum status
row_layout(struct bp *b, size_t r, bool first, double *height)
{
	const struct process *p = b->p;
	size_t lo = r * b->ncols, hi = lo + b->ncols, i, k, bd;
	double y, w;

	if (hi > p->nsteps)
		hi = p->nsteps;
	b->nroutes = 0;
	memset(b->chan_tracks, 0, (b->ncols + 1) * sizeof *b->chan_tracks);
	memset(b->corr_top, 0, b->nbands * sizeof *b->corr_top);
	memset(b->corr_bot, 0, b->nbands * sizeof *b->corr_bot);
	for (i = lo; i < hi; i++) {
		for (k = b->g.out[i]; k < b->g.out[i + 1]; k++) {
			const struct edge *e = &b->g.edges[k];
			struct route rt = { i, e->to, k, -1, -1, -1, e->to <= i,
			                    edge_is_handoff(b, i, e->to) };

			if (e->to < lo || e->to >= hi)
				continue;
			rt.ch1 = track_next(&b->chan_tracks[i - lo + 1]);
			if (e->to != i + 1) {
				size_t band = b->step_band[i];

				rt.ch2 = track_next(&b->chan_tracks[e->to - lo]);
				rt.corr = track_next(rt.loop ? &b->corr_bot[band] : &b->corr_top[band]);
			}
			if (b->nroutes == b->cap_routes) {
				size_t cap = b->cap_routes ? b->cap_routes * 2 : 64;
				struct route *v = realloc(b->routes, cap * sizeof *v);

				if (!v)
					return STATUS_NOMEM;
				b->routes = v;
				b->cap_routes = cap;
			}
			b->routes[b->nroutes++] = rt;
		}
	}
	/* band heights */
	for (bd = 0; bd < b->nbands; bd++) {
		b->box_top[bd] = 0;
		b->corr_top_h[bd] = 6 + TRACK * b->corr_top[bd];
		b->corr_bot_h[bd] = 6 + TRACK * b->corr_bot[bd];
		b->band_h[bd] = 0;
	}
	for (i = lo; i < hi; i++) {
		bd = b->step_band[i];
		if (b->box_h[i] > b->band_h[bd])
			b->band_h[bd] = b->box_h[i];
	}
	y = M;
	if (first || b->paged)
		y += b->title_h + 4;
	y += b->sub_h + 4;
	for (bd = 0; bd < b->nbands; bd++) {
		double h = b->corr_top_h[bd] + b->band_h[bd] + b->corr_bot_h[bd];
		double need = 6 + b->head_h[bd] + (b->line_h[bd] > 0 ? b->line_h[bd] + 4 : 0);

		if (h < need)
			h = need;
		b->band_y[bd] = y;
		b->box_top[bd] = y + b->corr_top_h[bd];
		b->band_h[bd] = h;
		y += h;
	}
	for (i = lo; i < hi; i++) {
		b->bx[i] = col_x(i - lo);
		b->by[i] = b->box_top[b->step_band[i]];
	}
	if (first || b->paged)
		y += 6 + b->legend_h;
	(void)w;
	*height = y + M;
	return STATUS_OK;
}

/* The segments of route rt, in row coordinates; calls emit for each. */
static size_t
route_points(const struct bp *b, const struct route *rt, size_t lo, double *xs, double *ys)
{
	double ax = b->bx[rt->from] + BW, ay = b->by[rt->from] + PORT;
	double tx = b->bx[rt->to], ty = b->by[rt->to] + PORT;
	double x1 = chan_x(rt->from - lo + 1, rt->ch1);
	size_t n = 0;

	xs[n] = ax, ys[n++] = ay;
	xs[n] = x1, ys[n++] = ay;
	if (rt->corr < 0) {
		if (ty != ay)
			xs[n] = x1, ys[n++] = ty;
	} else {
		size_t band = b->step_band[rt->from];
		double cy = rt->loop
			? b->band_y[band] + b->band_h[band] - 3 - TRACK * rt->corr
			: b->band_y[band] + 3 + TRACK * rt->corr;
		double x2 = chan_x(rt->to - lo, rt->ch2);

		xs[n] = x1, ys[n++] = cy;
		xs[n] = x2, ys[n++] = cy;
		xs[n] = x2, ys[n++] = ty;
	}
	xs[n] = tx, ys[n++] = ty;
	return n;
}

/* --- drawing ------------------------------------------------------------------ */

static void
draw_row(struct bp *b, cairo_t *cr, size_t r, bool first, const char *title)
{
	const struct process *p = b->p;
	size_t lo = r * b->ncols, hi = lo + b->ncols, i, bd;
	double top = M, right = b->pw - M;
	char sub[160];
	static const double dash[] = { 3, 2 };

	if (hi > p->nsteps)
		hi = p->nsteps;
	if (first || b->paged) {
		(void)title;
		pic_text_draw(cr, b->title_l, M, top, pic_ink);
		top += b->title_h + 4;
	}
	snprintf(sub, sizeof sub, "row %zu of %zu · steps %zu–%zu of %zu", r + 1, b->nrows,
	         lo + 1, hi, p->nsteps);
	pic_text_at(cr, b->pc, sub, false, PIC_FONT_SMALL, b->pw - 2 * M, M, top, pic_grey);
	/* bands */
	for (bd = 0; bd < b->nbands; bd++) {
		int st = b->band_stage[bd];

		pic_set_rgb(cr, pic_stage_fill[st]);
		cairo_rectangle(cr, M, b->band_y[bd], right - M, b->band_h[bd]);
		cairo_fill(cr);
		pic_set_rgb(cr, pic_light);
		cairo_set_line_width(cr, 0.4);
		cairo_rectangle(cr, M, b->band_y[bd], right - M, b->band_h[bd]);
		cairo_stroke(cr);
		pic_text_draw(cr, b->head_l[bd], M + 4, b->band_y[bd] + 3, pic_ink);
		if (b->line_text[bd]) {
			double ly = b->band_y[bd] + b->band_h[bd];

			pic_text_draw(cr, b->line_l[bd], M + 4, ly - b->line_h[bd] - 2, pic_ink);
			cairo_save(cr);
			pic_set_rgb(cr, pic_ink);
			cairo_set_line_width(cr, 1.2);
			cairo_set_dash(cr, dash, 2, 0);
			cairo_move_to(cr, M, ly);
			cairo_line_to(cr, right, ly);
			cairo_stroke(cr);
			cairo_restore(cr);
		}
	}
	pic_set_rgb(cr, pic_grey);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, M + HW, b->band_y[0]);
	cairo_line_to(cr, M + HW, b->band_y[b->nbands - 1] + b->band_h[b->nbands - 1]);
	cairo_stroke(cr);
	/* flows under the boxes */
	for (i = 0; i < b->nroutes; i++) {
		const struct route *rt = &b->routes[i];
		double xs[8], ys[8];
		size_t n = route_points(b, rt, lo, xs, ys), k;

		cairo_save(cr);
		if (rt->handoff) {
			pic_set_rgb(cr, pic_handoff);
			cairo_set_line_width(cr, 1.8);
		} else {
			pic_set_rgb(cr, pic_ink);
			cairo_set_line_width(cr, 0.7);
		}
		if (rt->loop)
			cairo_set_dash(cr, dash, 2, 0);
		cairo_move_to(cr, xs[0], ys[0]);
		for (k = 1; k < n; k++)
			cairo_line_to(cr, xs[k], ys[k]);
		cairo_stroke(cr);
		cairo_move_to(cr, xs[n - 1], ys[n - 1]);
		cairo_line_to(cr, xs[n - 1] - 4.5, ys[n - 1] - 2.5);
		cairo_line_to(cr, xs[n - 1] - 4.5, ys[n - 1] + 2.5);
		cairo_close_path(cr);
		cairo_fill(cr);
		cairo_restore(cr);
	}
	/* boxes */
	for (i = lo; i < hi; i++) {
		const struct step *s = p->steps[i];
		enum cut_mark mark = b->marks ? b->marks[i] : MARK_NONE;
		double x = b->bx[i], y = b->by[i], h = b->box_h[i];
		struct pic_rgb fill = { 1, 1, 1 };

		if (mark == MARK_REMOVED)
			fill = (struct pic_rgb){ 0.90, 0.90, 0.90 };
		else if (step_type_is_manual(s->type))
			fill = pic_manual;
		cairo_save(cr);
		pic_set_rgb(cr, fill);
		cairo_rectangle(cr, x, y, BW, h);
		cairo_fill_preserve(cr);
		if (s->pain) {
			pic_set_rgb(cr, pic_pain);
			cairo_set_line_width(cr, 2);
		} else {
			pic_set_rgb(cr, pic_ink);
			cairo_set_line_width(cr, s->type == STEP_DECISION || s->type == STEP_PARALLEL ? 1.4 : 0.7);
		}
		if (mark == MARK_REMOVED || s->type == STEP_WAIT)
			cairo_set_dash(cr, dash, 2, 0);
		cairo_stroke(cr);
		if (mark != MARK_NONE && mark != MARK_REMOVED) {
			pic_set_rgb(cr, pic_scen_col);
			cairo_rectangle(cr, x, y, 4, h);
			cairo_fill(cr);
		}
		if (s->type == STEP_DECISION || s->type == STEP_PARALLEL) {
			/* a diamond in the corner */
			pic_set_rgb(cr, pic_ink);
			cairo_move_to(cr, x + BW - 7, y + 2);
			cairo_line_to(cr, x + BW - 3, y + 6);
			cairo_line_to(cr, x + BW - 7, y + 10);
			cairo_line_to(cr, x + BW - 11, y + 6);
			cairo_close_path(cr);
			cairo_fill(cr);
		}
		cairo_restore(cr);
		pic_text_at(cr, b->pc, b->text[i], true, PIC_FONT_TEXT, BW - 2 * PAD, x + PAD + 1,
		            y + PAD - 1, mark == MARK_REMOVED ? pic_grey : pic_ink);
	}
	if (first || b->paged) {
		double ly = b->band_y[b->nbands - 1] + b->band_h[b->nbands - 1] + 6;

		pic_text_draw(cr, b->legend_l, M, ly, pic_ink);
	}
}

/* Every box, label and segment of row r (page `page`, offset dy). */
static bool
row_geometry(struct bp *b, struct geo_list *geo, size_t r, bool first, size_t page, double dy)
{
	const struct process *p = b->p;
	size_t lo = r * b->ncols, hi = lo + b->ncols, i, bd;
	bool ok = true;
	double top = M;

	if (hi > p->nsteps)
		hi = p->nsteps;
	if (first || b->paged) {
		ok &= geo_add(geo, GEO_LABEL, page, M, dy + top, b->pw - 2 * M, b->title_h, 0, 0);
		top += b->title_h + 4;
	}
	ok &= geo_add(geo, GEO_LABEL, page, M, dy + top, b->pw - 2 * M, b->sub_h, 0, 0);
	for (bd = 0; bd < b->nbands; bd++) {
		ok &= geo_add(geo, GEO_BAND, page, M, dy + b->band_y[bd], b->pw - 2 * M,
		              b->band_h[bd], b->band_lane[bd], 0);
		ok &= geo_add(geo, GEO_LABEL, page, M + 4, dy + b->band_y[bd] + 3, HW - 8,
		              b->head_h[bd], b->band_lane[bd], 0);
		if (b->line_text[bd]) {
			double ly = b->band_y[bd] + b->band_h[bd];

			ok &= geo_add(geo, GEO_LABEL, page, M + 4, dy + ly - b->line_h[bd] - 2, HW - 8,
			              b->line_h[bd], (size_t)b->band_stage[bd + 1], 0);
			ok &= geo_add(geo, GEO_LINE, page, M, dy + ly, b->pw - 2 * M, 0,
			              (size_t)b->band_stage[bd + 1], 0);
		}
	}
	for (i = lo; i < hi; i++)
		ok &= geo_add(geo, GEO_STEP, page, b->bx[i], dy + b->by[i], BW, b->box_h[i], i, 0);
	for (i = 0; i < b->nroutes; i++) {
		double xs[8], ys[8];
		size_t n = route_points(b, &b->routes[i], lo, xs, ys), k;

		for (k = 1; k < n; k++)
			ok &= geo_add(geo, GEO_EDGE, page, xs[k - 1], dy + ys[k - 1], xs[k] - xs[k - 1],
			              ys[k] - ys[k - 1], b->routes[i].from, b->routes[i].to);
	}
	if (first || b->paged)
		ok &= geo_add(geo, GEO_LABEL, page, M, dy + b->band_y[b->nbands - 1] +
		              b->band_h[b->nbands - 1] + 6, b->pw - 2 * M, b->legend_h, 0, 0);
	return ok;
}

static void
bp_done(struct bp *b)
{
	size_t i;

	if (b->text)
		for (i = 0; i < b->p->nsteps; i++)
			free(b->text[i]);
	if (b->head_text)
		for (i = 0; i < b->nbands; i++)
			free(b->head_text[i]);
	for (i = 0; i < b->nbands; i++) {
		if (b->head_l && b->head_l[i])
			g_object_unref(b->head_l[i]);
		if (b->line_l && b->line_l[i])
			g_object_unref(b->line_l[i]);
	}
	free(b->head_l);
	free(b->line_l);
	if (b->legend_l)
		g_object_unref(b->legend_l);
	if (b->title_l)
		g_object_unref(b->title_l);
	if (b->line_text)
		for (i = 0; i < b->nbands; i++)
			free(b->line_text[i]);
	free(b->text);
	free(b->head_text);
	free(b->line_text);
	free(b->band_lane);
	free(b->lane_band);
	free(b->band_stage);
	free(b->head_h);
	free(b->line_h);
	free(b->step_band);
	free(b->box_h);
	free(b->bx);
	free(b->by);
	free(b->band_y);
	free(b->band_h);
	free(b->corr_top_h);
	free(b->corr_bot_h);
	free(b->box_top);
	free(b->row_h);
	free(b->row_y);
	free(b->routes);
	free(b->chan_tracks);
	free(b->corr_top);
	free(b->corr_bot);
	free(b->legend);
	free(b->marks);
	process_free(&b->derived);
	free(b->stale);
	graph_done(&b->g);
	if (b->pc)
		g_object_unref(b->pc);
}

static const double paper_size[][2] = {
#define PIC_PAPER_SIZE_(name, kw, w, h) { w, h },
	PIC_PAPER_INFO(PIC_PAPER_SIZE_)
#undef PIC_PAPER_SIZE_
};

static void
title_markup(const struct bp *b, struct strbuf *t)
{
	struct figures f;
	size_t i, nstale = 0;

	strbuf_printf(t, "Service blueprint: ");
	pic_buf_escape(t, b->p->name);
	if (b->sc) {
		strbuf_printf(t, "   <span font=\"" PIC_FONT " 8\">scenario “");
		pic_buf_escape(t, b->sc->name);
		for (i = 0; b->stale && i < b->sc->ncuts; i++)
			nstale += b->stale[i];
		strbuf_printf(t, "” drawn as its difference from the baseline (%zu cuts)</span>",
		               b->sc->ncuts);
		if (nstale)
			strbuf_printf(t, "\n<span font=\"" PIC_FONT " Bold 8\" foreground=\"#cc1a1f\">%zu of "
			               "the cuts are stale (a step or lane they name is gone) and are not "
			               "drawn</span>", nstale);
	}
	if (figures_compute(b->p, &f) == STATUS_OK) {
		char lt[64];

		strbuf_printf(t, "\n<span font=\"" PIC_FONT " 7\">baseline: steps %zu · hand-offs %zu · "
		               "manual steps %zu · pain points %zu · lead time %s (expected)</span>",
		               f.steps, f.handoffs, f.manual_steps, f.pain_points,
		               pic_duration(f.lead_time_s, b->p->time_unit, lt, sizeof lt));
		figures_done(&f);
	}
}

enum status
blueprint_write(FILE *f, const struct process *p, const struct scenario *sc,
                const struct pic_opts *o, struct geo_list *geo, struct err *err)
{
	struct bp b = { 0 };
	struct pic_doc doc = { 0 };
	struct strbuf title = { 0 }, t = { 0 };
	enum status st = STATUS_OK;
	size_t i, r;
	double total = 0, w;

	b.p = p;
	b.sc = sc;
	b.paged = o->format == PIC_PDF;
	b.pw = paper_size[o->paper][0];
	b.ph = paper_size[o->paper][1];
	b.ncols = (size_t)((b.pw - 2 * M - HW - CH) / CW);
	if (!b.ncols)
		b.ncols = 1;
	b.nrows = p->nsteps ? (p->nsteps + b.ncols - 1) / b.ncols : 1;
	if (!(b.pc = pic_text_context()))
		return err_set(err, STATUS_NOMEM, "out of memory");
	if ((st = process_graph_build(p, &b.g)) != STATUS_OK)
		goto nomem;
	if (sc && scenario_apply_marks(p, sc, &b.derived, &b.stale, &b.marks, err) != STATUS_OK)
		goto nomem;
	if ((st = bands_make(&b)) != STATUS_OK)
		goto nomem;
	b.step_band = calloc(p->nsteps + 1, sizeof *b.step_band);
	b.text = calloc(p->nsteps + 1, sizeof *b.text);
	b.box_h = calloc(p->nsteps + 1, sizeof *b.box_h);
	b.bx = calloc(p->nsteps + 1, sizeof *b.bx);
	b.by = calloc(p->nsteps + 1, sizeof *b.by);
	b.band_y = calloc(b.nbands, sizeof *b.band_y);
	b.band_h = calloc(b.nbands, sizeof *b.band_h);
	b.corr_top_h = calloc(b.nbands, sizeof *b.corr_top_h);
	b.corr_bot_h = calloc(b.nbands, sizeof *b.corr_bot_h);
	b.box_top = calloc(b.nbands, sizeof *b.box_top);
	b.corr_top = calloc(b.nbands, sizeof *b.corr_top);
	b.corr_bot = calloc(b.nbands, sizeof *b.corr_bot);
	b.chan_tracks = calloc(b.ncols + 1, sizeof *b.chan_tracks);
	b.row_h = calloc(b.nrows, sizeof *b.row_h);
	b.row_y = calloc(b.nrows, sizeof *b.row_y);
	if (!b.step_band || !b.text || !b.box_h || !b.bx || !b.by || !b.band_y || !b.band_h ||
	    !b.corr_top_h || !b.corr_bot_h || !b.box_top || !b.corr_top || !b.corr_bot ||
	    !b.chan_tracks || !b.row_h || !b.row_y)
		goto nomem;
	/* the text of every box, measured */
	for (i = 0; i < p->nsteps; i++) {
		const struct lane *l = step_lane(p, p->steps[i]);
		size_t li = p->nlanes;

		if (l) {
			for (li = 0; li < p->nlanes && p->lanes[li] != l; li++)
				;
		}
		b.step_band[i] = b.lane_band[li];
		t = (struct strbuf){ 0 };
		step_markup(&b, i, &t);
		if (t.failed)
			goto nomem;
		b.text[i] = t.s;
		pic_text_measure(b.pc, t.s, true, PIC_FONT_TEXT, BW - 2 * PAD, &w, &b.box_h[i]);
		b.box_h[i] += 2 * PAD;
		if (b.box_h[i] < BOX_MIN_H)
			b.box_h[i] = BOX_MIN_H;
	}
	title_markup(&b, &title);
	b.legend = strdup("<b>Legend</b>   <span background=\"#ffedb3\"> MANUAL </span> a step done by a "
	                  "person (filled yellow)   <span foreground=\"#cc1a1f\"><b>⚠ PAIN POINT</b></span> "
	                  "framed in red   <span foreground=\"#d96b0d\"><b>━ hand-off</b></span> a flow "
	                  "between two lanes behind the customer   ╌ a loop back (dashed)   ◆ a decision "
	                  "(its branches and chances listed)   → #n a flow to step n   ✗ REMOVED, ⚡ "
	                  "AUTOMATED, ↕ MOVED, ⊕ MERGED, ∥ PARALLEL, ✎ CHANGED: what the scenario does "
	                  "(green bar)   work / wait: the step's work time and its wait before the work");
	if (title.failed || !b.legend)
		goto nomem;
	b.title_l = pic_text_layout(b.pc, title.s, true, PIC_FONT_TITLE, b.pw - 2 * M);
	pic_text_size(b.title_l, &w, &b.title_h);
	b.legend_l = pic_text_layout(b.pc, b.legend, true, PIC_FONT_TEXT, b.pw - 2 * M);
	pic_text_size(b.legend_l, &w, &b.legend_h);
	pic_text_measure(b.pc, "row 1", false, PIC_FONT_SMALL, b.pw - 2 * M, &w, &b.sub_h);
	/* the rows' heights */
	for (r = 0; r < b.nrows; r++) {
		if ((st = row_layout(&b, r, r == 0, &b.row_h[r])) != STATUS_OK)
			goto nomem;
		b.row_y[r] = total;
		total += b.row_h[r];
	}
	if (b.paged)
		st = pic_doc_open(&doc, f, o, b.pw, b.ph, err);
	else
		st = pic_doc_open(&doc, f, o, b.pw, total, err);
	if (st != STATUS_OK)
		goto out;
	for (r = 0; r < b.nrows; r++) {
		double dy = b.paged ? 0 : b.row_y[r];

		if ((st = row_layout(&b, r, r == 0, &b.row_h[r])) != STATUS_OK)
			break;
		if (geo && !row_geometry(&b, geo, r, r == 0, b.paged ? r : 0, dy)) {
			st = STATUS_NOMEM;
			break;
		}
		if (b.paged && r > 0)
			pic_doc_page(&doc, b.pw, b.ph);
		cairo_save(doc.cr);
		if (b.paged && b.row_h[r] > b.ph) {
			double s = b.ph / b.row_h[r];

			cairo_scale(doc.cr, s, s);
		}
		cairo_translate(doc.cr, 0, dy);
		draw_row(&b, doc.cr, r, r == 0, title.s);
		cairo_restore(doc.cr);
	}
	if (st == STATUS_NOMEM) {
		pic_doc_close(&doc, o, NULL);
		goto nomem;
	}
	st = pic_doc_close(&doc, o, err);
	goto out;
nomem:
	st = err_set(err, STATUS_NOMEM, "out of memory");
out:
	strbuf_done(&title);
	bp_done(&b);
	return st;
}
