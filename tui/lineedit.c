/*
 * lineedit.c - one line of UTF-8 text being typed: quick capture, form
 * fields, the prompt. The cursor moves by characters, never inside a UTF-8
 * sequence; drawing scrolls the line so the cursor shows.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

static bool
is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

static bool
reserve(struct line *l, size_t more)
{
	size_t need = l->len + more + 1;
	char *p;

	if (need <= l->cap)
		return true;
	if (need < 2 * l->cap)
		need = 2 * l->cap;
	if (need < 32)
		need = 32;
	p = realloc(l->buf, need);
	if (!p)
		return false;
	l->buf = p;
	l->cap = need;
	return true;
}

void
line_set(struct line *l, const char *text)
{
	size_t n = text ? strlen(text) : 0;

	l->len = 0;
	l->cur = 0;
	if (!reserve(l, n)) {
		if (l->buf)
			l->buf[0] = '\0';
		return;
	}
	if (n)
		memcpy(l->buf, text, n);
	l->buf[n] = '\0';
	l->len = n;
	l->cur = n;
}

void
line_free(struct line *l)
{
	free(l->buf);
	memset(l, 0, sizeof *l);
}

static size_t
prev_char(const struct line *l, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && is_cont(l->buf[i]))
		i--;
	return i;
}

static size_t
next_char_at(const struct line *l, size_t i)
{
	if (i >= l->len)
		return l->len;
	i++;
	while (i < l->len && is_cont(l->buf[i]))
		i++;
	return i;
}

static void
cut(struct line *l, size_t from, size_t to)
{
	memmove(l->buf + from, l->buf + to, l->len - to + 1);
	l->len -= to - from;
	l->cur = from;
}

static bool
insert(struct line *l, tkey k)
{
	char u[4];
	size_t n;
	unsigned c = (unsigned)k;

	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c > 0x10ffff ||
	    (c >= 0xd800 && c < 0xe000))
		return false;
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (!reserve(l, n))
		return false;
	memmove(l->buf + l->cur + n, l->buf + l->cur, l->len - l->cur + 1);
	memcpy(l->buf + l->cur, u, n);
	l->len += n;
	l->cur += n;
	return true;
}

bool
line_edit(struct line *l, enum cmd c, tkey k)
{
	size_t i;

	if (!l->buf)
		line_set(l, "");
	if (!l->buf)
		return false;
	switch (c) {
	case CMD_BACKSPACE:
		if (l->cur == 0)
			return false;
		cut(l, prev_char(l, l->cur), l->cur);
		return true;
	case CMD_DELCHAR:
		if (l->cur >= l->len)
			return false;
		cut(l, l->cur, next_char_at(l, l->cur));
		return true;
	case CMD_CUR_LEFT:
		l->cur = prev_char(l, l->cur);
		return true;
	case CMD_CUR_RIGHT:
		l->cur = next_char_at(l, l->cur);
		return true;
	case CMD_CUR_HOME:
		l->cur = 0;
		return true;
	case CMD_CUR_END:
		l->cur = l->len;
		return true;
	case CMD_KILL_START:
		cut(l, 0, l->cur);
		return true;
	case CMD_KILL_END:
		l->buf[l->cur] = '\0';
		l->len = l->cur;
		return true;
	case CMD_KILL_WORD:
		i = l->cur;
		while (i > 0 && l->buf[i - 1] == ' ')
			i--;
		while (i > 0 && l->buf[i - 1] != ' ')
			i--;
		cut(l, i, l->cur);
		return true;
	case CMD_NONE:
		if (k & (TK_FN | TK_DIRECTIVE))
			return false;
		return insert(l, k);
	default:
		return false;
	}
}

void
line_draw(struct app *a, const struct line *l, int y, int x, int w, int style)
{
	const char *s = l->buf ? l->buf : "";
	char save;
	int before, start_w;
	size_t start = 0;

	if (w <= 0)
		return;
	draw_blank(y, x, w, style);
	/* Scroll so that the cursor's cell is inside the w cells. */
	save = l->buf ? l->buf[l->cur] : '\0';
	if (l->buf)
		l->buf[l->cur] = '\0';
	before = text_width(s);
	if (l->buf)
		l->buf[l->cur] = save;
	start_w = 0;
	while (before - start_w > w - 1 && s[start]) {
		const char *p = s + start;
		char one[5] = { 0 };
		size_t n = 1;

		while (p[n] && is_cont(p[n]) && n < 4)
			n++;
		memcpy(one, p, n);
		start_w += text_width(one);
		start += n;
	}
	draw_text(y, x, w, s + start, style);
	a->cursor_y = y;
	a->cursor_x = x + before - start_w;
	if (a->cursor_x >= x + w)
		a->cursor_x = x + w - 1;
}
