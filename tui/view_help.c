/*
 * view_help.c - `?`: every key and command, from the command list
 * (commands.h), grouped by where they act. Scrolls like any list; q or Esc
 * closes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct help {
	size_t cur, top;             /* the line at the top of the screen */
};

/* The help text as lines; line i into buf, false past the end. */
static bool
help_line(size_t i, char *buf, size_t size, int *style)
{
	size_t line = 0, s, c;
	char k1[32], k2[32];

	for (s = 0; s < SCOPE_COUNT_; s++) {
		if (line == i) {
			snprintf(buf, size, "%s", scope_title((enum scope)s));
			*style = ST_HEADER;
			return true;
		}
		line++;
		for (c = CMD_NONE + 1; c < CMD_COUNT_; c++) {
			const struct cmd_info *ci = cmd_info((enum cmd)c);
			char keys[96];

			if (ci->scope != (enum scope)s)
				continue;
			if (line++ != i)
				continue;
			if (ci->scope == SCOPE_CMD || !ci->keys[0])
				snprintf(keys, sizeof keys, ":%s%s%s", ci->name, ci->args[0] ? " " : "", ci->args);
			else if (ci->keys[1])
				snprintf(keys, sizeof keys, "%s, %s", tk_name(ci->keys[0], k1, sizeof k1),
				         tk_name(ci->keys[1], k2, sizeof k2));
			else
				snprintf(keys, sizeof keys, "%s", tk_name(ci->keys[0], k1, sizeof k1));
			snprintf(buf, size, "  %-24s %s", keys, ci->help);
			*style = ST_NORMAL;
			return true;
		}
		if (line++ == i) {
			buf[0] = '\0';
			*style = ST_NORMAL;
			return true;
		}
	}
	return false;
}

static size_t
help_lines(void)
{
	char buf[8];
	int st;
	size_t n = 0;

	while (help_line(n, buf, sizeof buf, &st))
		n++;
	return n;
}

static void
help_draw(struct app *a, struct view *v, struct rect r)
{
	struct help *h = v->state;
	size_t n = help_lines(), i;
	int y;

	(void)a;
	v->rows = r.h - 1;
	if (h->top + (size_t)(v->rows > 0 ? v->rows : 1) > n)
		h->top = n > (size_t)v->rows && v->rows > 0 ? n - (size_t)v->rows : 0;
	draw_text(r.y, r.x + 1, r.w - 1, "Keys and commands (q or Esc closes, j/k scroll)", ST_DIM);
	for (y = r.y + 1, i = h->top; y < r.y + r.h && i < n; y++, i++) {
		char buf[512];
		int st;

		help_line(i, buf, sizeof buf, &st);
		draw_text(y, r.x + 1, r.w - 1, buf, st);
	}
}

static int
help_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct help *h = v->state;
	size_t n = help_lines();
	size_t page = v->rows > 2 ? (size_t)v->rows - 1 : 1;

	(void)a;
	(void)k;
	switch (c) {
	case CMD_DOWN:
		if (h->top + (size_t)v->rows < n)
			h->top++;
		return FL_REDRAW;
	case CMD_UP:
		if (h->top)
			h->top--;
		return FL_REDRAW;
	case CMD_PAGE_DOWN:
		h->top += page;
		return FL_REDRAW;
	case CMD_PAGE_UP:
		h->top = h->top > page ? h->top - page : 0;
		return FL_REDRAW;
	case CMD_FIRST:
		h->top = 0;
		return FL_REDRAW;
	case CMD_LAST:
		h->top = n;
		return FL_REDRAW;
	case CMD_HELP:
		return FL_NONE;
	default:
		return FL_UNHANDLED;
	}
}

VIEW_STATE_OPEN(help_open, struct help)

const struct view_ops help_view_ops = {
	.name = "help",
	.esc_closes = true,
	.open = help_open,
	.draw = help_draw,
	.handle = help_handle,
	.done = view_state_free,
};
