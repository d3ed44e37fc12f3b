/*
 * view_figures.c - the figures panel: steps, hand-offs, touchpoints, manual
 * steps, pain points, lead, work and wait time, PCE, RTY, cost, every
 * measure, and the steps per lane.
 *
 * The map and lane views draw it beside them when the screen is wide (100
 * columns or more) and under them otherwise, as long as the map keeps room;
 * `f` hides it. The figures come from the app's cache (app.c), which follows
 * every edit; while they are being brought up to date after an edit on a
 * very large process the heading says so.
 *
 * The panel is a list of (label, value) items laid out in one column, or
 * packed into lines when under the map. Issue 5 adds a scenario column
 * ("111 → 46  −59 %") to the same items.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/app.h"

#define PANEL_WIDE_MIN 100
#define PANEL_W 28
#define ITEMS_MAX 64

struct item {
	char label[128];
	char value[48];
	int style;
	bool heading;
};

static void panel_draw(struct app *a, struct view *v, struct rect r);

struct rect
app_with_panel(struct app *a, struct rect r)
{
	struct rect main = r, panel = { 0, 0, 0, 0 };

	if (!a->show_figures || !a->proc)
		return main;
	if (r.w >= PANEL_WIDE_MIN) {
		main.w = r.w - PANEL_W - 1;
		panel = (struct rect){ r.y, r.x + main.w + 1, r.h, PANEL_W };
	} else if (r.h >= 14) {
		int h = r.h >= 20 ? 4 : 3;

		main.h = r.h - h - 1;
		panel = (struct rect){ r.y + main.h + 1, r.x, h, r.w };
	}
	if (panel.h > 0 && panel.w > 0)
		panel_draw(a, NULL, panel);
	return main;
}

static size_t
add(struct item *it, size_t n, const char *label, int style, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static size_t
add(struct item *it, size_t n, const char *label, int style, const char *fmt, ...)
{
	va_list ap;

	if (n >= ITEMS_MAX)
		return n;
	memset(&it[n], 0, sizeof it[n]);
	snprintf(it[n].label, sizeof it[n].label, "%s", label);
	va_start(ap, fmt);
	vsnprintf(it[n].value, sizeof it[n].value, fmt, ap);
	va_end(ap);
	it[n].style = style;
	return n + 1;
}

static size_t
heading(struct item *it, size_t n, const char *label)
{
	if (n >= ITEMS_MAX)
		return n;
	memset(&it[n], 0, sizeof it[n]);
	snprintf(it[n].label, sizeof it[n].label, "%s", label);
	it[n].heading = true;
	it[n].style = ST_HEADER;
	return n + 1;
}

static size_t
items(const struct process *p, const struct figures *f, bool wide,
      struct item *it)
{
	size_t n = 0, i;
	char t[64];

	n = add(it, n, "Steps", ST_NORMAL, "%zu", f->steps);
	n = add(it, n, "Hand-offs", ST_HANDOFF, "%zu", f->handoffs);
	n = add(it, n, "Touchpoints", ST_NORMAL, "%zu", f->touchpoints);
	n = add(it, n, wide ? "Manual steps" : "Manual", ST_MANUAL, "%zu", f->manual_steps);
	n = add(it, n, wide ? "Pain points" : "Pain", ST_PAIN, "%zu", f->pain_points);
	n = add(it, n, wide ? "Lead time" : "Lead", ST_NORMAL, "%s", fmt_time(f->lead_time_s, t, sizeof t));
	n = add(it, n, wide ? "Work time" : "Work", ST_NORMAL, "%s", fmt_time(f->work_time_s, t, sizeof t));
	n = add(it, n, wide ? "Wait time" : "Wait", ST_NORMAL, "%s", fmt_time(f->wait_time_s, t, sizeof t));
	n = add(it, n, "PCE", ST_NORMAL, "%.1f%%", f->pce * 100);
	n = add(it, n, "RTY", ST_NORMAL, "%.1f%%", f->rty * 100);
	if (f->cost > 0)
		n = add(it, n, "Cost", ST_NORMAL, "%.2f", f->cost);
	if (f->nmeasures && wide)
		n = heading(it, n, "Measures");
	for (i = 0; i < f->nmeasures && i < p->nmeasures; i++) {
		const struct measure *m = p->measures[i];

		n = add(it, n, m->name, ST_NORMAL, "%s",
		        isnan(f->measures[i].expected_s) ? "-"
		                                         : fmt_time(f->measures[i].expected_s, t, sizeof t));
	}
	if (wide && p->nlanes) {
		n = heading(it, n, "Steps by lane");
		for (i = 0; i < p->nlanes && i < f->nlanes; i++)
			n = add(it, n, p->lanes[i]->name, ST_DIM, "%zu", f->by_lane[i]);
		if (f->no_lane)
			n = add(it, n, "(no lane)", ST_DIM, "%zu", f->no_lane);
	}
	return n;
}

static void
draw_column(struct app *a, struct rect r, const struct item *it, size_t n)
{
	int y = r.y + 1;
	size_t i;

	(void)a;
	for (i = 0; i < n && y < r.y + r.h; i++, y++) {
		int vw;

		if (it[i].heading) {
			if (y + 1 >= r.y + r.h)
				break;
			y++;
			draw_text(y, r.x + 1, r.w - 1, it[i].label, ST_HEADER);
			continue;
		}
		vw = text_width(it[i].value);
		if (vw > r.w - 2)
			vw = r.w - 2;
		draw_text(y, r.x + 1, r.w - vw - 3, it[i].label, it[i].style == ST_DIM ? ST_DIM : ST_NORMAL);
		draw_text_right(y, r.x + r.w - vw - 1, vw, it[i].value, it[i].style);
	}
}

/* Under the map: "Label value" items packed into lines. */
static void
draw_packed(struct rect r, const struct item *it, size_t n, int y0)
{
	int y = y0, x = r.x + 1;
	size_t i;

	for (i = 0; i < n && y < r.y + r.h; i++) {
		int w;

		if (it[i].heading)
			continue;
		w = text_width(it[i].label) + 1 + text_width(it[i].value);
		if (x > r.x + 1 && x + w > r.x + r.w) {
			y++;
			x = r.x + 1;
			if (y >= r.y + r.h)
				break;
		}
		x += draw_text(y, x, r.x + r.w - x, it[i].label, ST_DIM);
		x += draw_text(y, x, 1, " ", ST_NORMAL);
		x += draw_text(y, x, r.x + r.w - x, it[i].value, it[i].style == ST_DIM ? ST_NORMAL : it[i].style);
		x += 3;
	}
}

static void
panel_draw(struct app *a, struct view *v, struct rect r)
{
	struct process *p = app_process(a);
	const struct figures *f;
	struct item it[ITEMS_MAX];
	bool stale, wide = r.h > 6 && r.w <= PANEL_W + 2;
	size_t n;
	int i;
	const char *title;

	(void)v;
	if (!p || r.h <= 0 || r.w <= 0)
		return;
	f = app_figures(a, &stale);
	title = stale ? (a->utf8 ? "Figures (updating…)" : "Figures (updating...)") : "Figures";
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
	n = items(p, f, wide, it);
	if (wide)
		draw_column(a, r, it, n);
	else
		draw_packed(r, it, n, r.y);
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
