/*
 * view_help.c - `?`: every key and command, from the command list
 * (commands.h), grouped by where they act; a help text too long for the
 * screen wraps under itself. Scrolls like any list; q or Esc closes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

struct help {
	size_t cur, top;             /* the line at the top of the screen */
	int w;                       /* the width of the last draw */
};

/* Where a command's help starts in its line: after the keys' column. */
#define HELP_AT 27

/* The help text as lines; line i into buf, false past the end. For a
 * command's line, *keys_w is the width of its keys ("  j, Down"), whose help
 * follows from column HELP_AT; 0 for a heading or a blank line. */
static bool
help_line(size_t i, char *buf, size_t size, int *style, int *keys_w)
{
	size_t line = 0, s, c;
	char k1[32], k2[32];

	for (s = 0; s < SCOPE_COUNT_; s++) {
		*keys_w = 0;
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
			*keys_w = 2 + (int)strlen(keys);
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
	int st, kw;
	size_t n = 0;

	while (help_line(n, buf, sizeof buf, &st, &kw))
		n++;
	return n;
}

/* The rows line i takes drawn w cells wide (help_draw's rule). */
static int
line_rows(size_t i, int w)
{
	char buf[512];
	int st, kw, hw = w - 1 - HELP_AT;

	if (!help_line(i, buf, sizeof buf, &st, &kw))
		return 0;
	if (!kw || hw < 12 || (int)strlen(buf) <= HELP_AT)
		return 1;
	return (kw > HELP_AT - 1) + text_rows(buf + (kw + 1 > HELP_AT ? kw + 1 : HELP_AT), hw, 1000);
}

/* The rows from line `from` to the end, counting no further than limit. */
static int
rows_from(size_t from, size_t n, int w, int limit)
{
	int rows = 0;

	while (from < n && rows <= limit)
		rows += line_rows(from++, w);
	return rows;
}

static void
help_draw(struct app *a, struct view *v, struct rect r)
{
	struct help *h = v->state;
	size_t n = help_lines(), i;
	int y;

	(void)a;
	v->rows = r.h - 1;
	h->w = r.w;
	/* no blank screen below the last line while lines above could fill it */
	if (h->top >= n)
		h->top = n ? n - 1 : 0;
	while (h->top > 0 && rows_from(h->top - 1, n, r.w, v->rows) <= v->rows)
		h->top--;
	draw_text(r.y, r.x + 1, r.w - 1, "Keys and commands (q or Esc closes, j/k scroll)", ST_DIM);
	for (y = r.y + 1, i = h->top; y < r.y + r.h && i < n; i++) {
		char buf[512];
		int st, kw, w = r.w - 1 - HELP_AT;

		help_line(i, buf, sizeof buf, &st, &kw);
		/* a command's help wraps under itself, never cut, when there is
		 * room for a column of it; keys too long for their column put it
		 * on the next row */
		if (!kw || w < 12 || (int)strlen(buf) <= HELP_AT) {
			draw_text(y++, r.x + 1, r.w - 1, buf, st);
			continue;
		}
		draw_text(y, r.x + 1, kw, buf, st);
		if (kw > HELP_AT - 1)
			y++;
		if (y < r.y + r.h)
			y += draw_wrapped(y, r.x + 1 + HELP_AT, w, r.y + r.h - y,
			                  buf + (kw + 1 > HELP_AT ? kw + 1 : HELP_AT), st);
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
		if (rows_from(h->top, n, h->w, v->rows) > v->rows)
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
