/*
 * view_variants.c - the variants of a process made from an event log
 * (:variants): the most frequent sequences of activities the log holds,
 * each with its cases and share, most first, as the import kept them
 * (model/logsum.h). Enter shows the one under the cursor on the map: its
 * steps carry a mark in the flags column and the cursor goes to its first
 * step; Enter on a variant already shown, or :variants off, takes the marks
 * away. An activity the coverage left off the map is named as not on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct variants {
	size_t cur, top;
};

/* The step of the process named name (an activity), or NULL. */
static const struct step *
step_of(const struct process *p, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		if (!strncmp(p->steps[i]->name, name, len) && !p->steps[i]->name[len] &&
		    p->steps[i]->type != STEP_START && p->steps[i]->type != STEP_END)
			return p->steps[i];
	return NULL;
}

/* The variant's path in words: "A → B → C", in buf. */
static const char *
path_text(struct app *a, const char *acts, char *buf, size_t size)
{
	size_t len = 0;
	const char *s, *nl;

	buf[0] = '\0';
	for (s = acts; (nl = strchr(s, '\n')) && len < size; s = nl + 1)
		len += (size_t)snprintf(buf + len, size - len, "%s%.*s",
		                        s == acts ? "" : a->utf8 ? " → " : " -> ", (int)(nl - s), s);
	return buf;
}

void
app_variant_clear(struct app *a)
{
	free(a->variant_steps);
	a->variant_steps = NULL;
	a->nvariant_steps = 0;
	a->variant_no = 0;
}

bool
app_in_variant(const struct app *a, sm_id step)
{
	size_t i;

	if (a->variant_proc != a->proc)
		return false;
	for (i = 0; i < a->nvariant_steps; i++)
		if (a->variant_steps[i] == step)
			return true;
	return false;
}

/* Mark the steps of variant k (1-based) on the map. Returns FL_* flags. */
static int
show_variant(struct app *a, const struct process *p, size_t k)
{
	const struct log_variant *v = &p->log->top[k - 1];
	const char *s, *nl;
	size_t n = 0, off = 0;
	sm_id *ids;

	for (s = v->acts; (nl = strchr(s, '\n')); s = nl + 1)
		n++;
	if (!(ids = calloc(n ? n : 1, sizeof *ids))) {
		app_error(a, "out of memory");
		return FL_REDRAW;
	}
	app_variant_clear(a);
	n = 0;
	for (s = v->acts; (nl = strchr(s, '\n')); s = nl + 1) {
		const struct step *st = step_of(p, s, (size_t)(nl - s));

		if (st)
			ids[n++] = st->id;
		else
			off++;
	}
	a->variant_steps = ids;
	a->nvariant_steps = n;
	a->variant_proc = p->id;
	a->variant_no = k;
	if (n)
		app_set_cursor(a, process_step(p, ids[0])->index);
	app_say(a, "variant %zu shown (%zu case%s, %.1f %%): its %zu steps are marked %s%s", k,
	        v->cases, v->cases == 1 ? "" : "s", p->log->cases ? 100.0 * (double)v->cases / (double)p->log->cases : 0,
	        n, a->utf8 ? "◆" : "*", off ? "; some of its activities are not on the map "
	        "(the coverage left them out)" : "");
	return FL_REDRAW;
}

static void
variants_draw(struct app *a, struct view *v, struct rect r)
{
	struct variants *vs = v->state;
	const struct process *p = app_process(a);
	const struct log_summary *l = p ? p->log : NULL;
	char head[300], text[2048];
	size_t i;
	int y;

	if (!l) {
		draw_text(r.y + 1, r.x + 1, r.w - 1, "This process was not made from an event log: "
		          "it has no variants (:import LOG.xes makes one; q closes)", ST_DIM);
		return;
	}
	snprintf(head, sizeof head, "Variants of '%.200s': %zu in %zu cases (the top %zu). "
	         "Enter shows one on the map", p->name, l->variants, l->cases, l->ntop);
	draw_text(r.y, r.x + 1, r.w - 1, head, ST_DIM);
	draw_blank(r.y + 1, r.x, r.w, ST_HEADER);
	draw_text(r.y + 1, r.x + 1, r.w - 1, "  #  Share  Cases  Activities", ST_HEADER);
	v->rows = r.h - 2;
	if (!l->ntop)
		return;
	if (vs->cur >= l->ntop)
		vs->cur = l->ntop - 1;
	list_scroll(vs->cur, &vs->top, l->ntop, v->rows);
	for (y = r.y + 2, i = vs->top; y < r.y + r.h && i < l->ntop; y++, i++) {
		bool shown = a->variant_proc == p->id && a->variant_no == i + 1;

		if (i == vs->cur)
			draw_glyph(a, y, r.x, 1, "▶", ">", ST_NORMAL);
		draw_fmt(y, r.x + 1, 4, ST_DIM, "%3zu", i + 1);
		draw_fmt(y, r.x + 5, 7, ST_NORMAL, "%5.1f%%", l->cases ? 100.0 *
		         (double)l->top[i].cases / (double)l->cases : 0);
		draw_fmt(y, r.x + 12, 7, ST_NORMAL, "%6zu", l->top[i].cases);
		if (shown)
			draw_glyph(a, y, r.x + 19, 1, "◆", "*", ST_MARK);
		draw_text(y, r.x + 21, r.w - 21, path_text(a, l->top[i].acts, text, sizeof text),
		          ST_NORMAL);
		if (i == vs->cur)
			draw_restyle(y, r.x + 1, r.w - 1, ST_CURSOR);
	}
}

static int
variants_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct variants *vs = v->state;
	const struct process *p = app_process(a);
	int fl;

	(void)k;
	if (!p || !p->log)
		return FL_UNHANDLED;
	fl = list_move(&vs->cur, p->log->ntop, v->rows, c);
	if (!(fl & FL_UNHANDLED))
		return fl;
	switch (c) {
	case CMD_EDIT:
		if (vs->cur >= p->log->ntop)
			return FL_NONE;
		if (a->variant_proc == p->id && a->variant_no == vs->cur + 1) {
			app_variant_clear(a);
			app_say(a, "no variant shown");
			return FL_REDRAW;
		}
		fl = show_variant(a, p, vs->cur + 1);
		app_pop(a);
		return fl;
	case CMD_VARIANTS:
		return FL_NONE;
	default:
		return FL_UNHANDLED;
	}
}

VIEW_STATE_OPEN(variants_open, struct variants)

const struct view_ops variants_view_ops = {
	.name = "variants",
	.esc_closes = true,
	.open = variants_open,
	.draw = variants_draw,
	.handle = variants_handle,
	.done = view_state_free,
};
