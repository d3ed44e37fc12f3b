/*
 * view_choose.c - a list to pick one item from, drawn as a box over the
 * screen below it: the lane, type or value of a step in its form, a lane's
 * stage, a measure's clock (and, in issue 5, the scenario to show).
 *
 * j/k and the arrows move, a letter jumps to the next item starting with it,
 * Enter picks, Esc or q closes without picking.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct choose {
	char title[64];
	char **items;
	size_t n, cur, top;
	void (*pick)(struct app *a, size_t i, void *ctx);
	void *ctx;
};

bool
choose_open(struct app *a, const char *title, const char *const *items, size_t n,
            size_t selected, void (*pick)(struct app *a, size_t i, void *ctx), void *ctx)
{
	struct choose *c = calloc(1, sizeof *c);
	size_t i;

	if (!c)
		return false;
	snprintf(c->title, sizeof c->title, "%s", title);
	c->items = calloc(n ? n : 1, sizeof *c->items);
	for (i = 0; c->items && i < n; i++)
		if (!(c->items[i] = strdup(items[i][0] ? items[i] : "(none)")))
			break;
	c->n = i;
	if (!c->items || i < n) {
		while (i > 0)
			free(c->items[--i]);
		free(c->items);
		free(c);
		app_error(a, "out of memory");
		return false;
	}
	c->cur = selected < n ? selected : 0;
	c->pick = pick;
	c->ctx = ctx;
	if (!app_push(a, &choose_view_ops, c)) {
		for (i = 0; i < c->n; i++)
			free(c->items[i]);
		free(c->items);
		free(c);
		return false;
	}
	return true;
}

static void
choose_draw(struct app *a, struct view *v, struct rect r)
{
	struct choose *c = v->state;
	struct rect b;
	int widest = text_width(c->title) + 4, i;
	size_t k;

	for (k = 0; k < c->n; k++) {
		int w = text_width(c->items[k]);

		if (w > widest)
			widest = w;
	}
	b.w = widest + 6;
	if (b.w > r.w)
		b.w = r.w;
	b.h = (int)c->n + 2;
	if (b.h > r.h)
		b.h = r.h;
	b.x = r.x + (r.w - b.w) / 2;
	b.y = r.y + (r.h - b.h) / 2;
	v->rows = b.h - 2;
	list_scroll(c->cur, &c->top, c->n, v->rows);
	draw_box(a, b, c->title);
	for (i = 0; i < b.h - 2 && c->top + (size_t)i < c->n; i++) {
		size_t at = c->top + (size_t)i;
		int y = b.y + 1 + i;

		if (at == c->cur)
			draw_glyph(a, y, b.x + 1, 1, "▶", ">", ST_NORMAL);
		draw_text(y, b.x + 3, b.w - 4, c->items[at], ST_NORMAL);
		if (at == c->cur)
			draw_restyle(y, b.x + 2, b.w - 3, ST_CURSOR);
	}
}

static int
choose_handle(struct app *a, struct view *v, enum cmd cmd, tkey k)
{
	struct choose *c = v->state;
	void (*pick)(struct app *, size_t, void *) = c->pick;
	void *ctx = c->ctx;
	size_t i, at = c->cur;
	int fl;

	if (cmd == CMD_EDIT || k == TK_ENTER) {
		app_pop(a);
		pick(a, at, ctx);
		return FL_REDRAW;
	}
	if (k == TK_ESC || cmd == CMD_CLOSE) {
		app_pop(a);
		return FL_REDRAW;
	}
	fl = list_move(&c->cur, c->n, v->rows, cmd);
	if (!(fl & FL_UNHANDLED))
		return fl;
	if (k > ' ' && k < 128) {
		for (i = 1; i <= c->n; i++) {
			size_t j = (c->cur + i) % c->n;

			if ((c->items[j][0] | 0x20) == ((char)k | 0x20)) {
				c->cur = j;
				return FL_REDRAW;
			}
		}
		return FL_NONE;
	}
	return cmd == CMD_NONE ? FL_NONE : FL_UNHANDLED;
}

static void
choose_done(struct app *a, struct view *v)
{
	struct choose *c = v->state;
	size_t i;

	(void)a;
	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		free(c->items[i]);
	free(c->items);
	free(c);
	v->state = NULL;
}

const struct view_ops choose_view_ops = {
	.name = "choose",
	.overlay = true,
	.draw = choose_draw,
	.handle = choose_handle,
	.done = choose_done,
};
