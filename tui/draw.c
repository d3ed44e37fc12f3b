/*
 * draw.c - putting text on the screen by display width, styles, and reading
 * the screen back as text.
 *
 * Every string the workbench draws is UTF-8 from the model. It is decoded
 * here, one character at a time, and written with the ncursesw wide-character
 * calls; widths come from wcwidth(), so a name with é, 日本語 or an emoji is
 * cut at a cell boundary, never in the middle of a byte sequence or of a wide
 * character. Control characters and invalid bytes show as '?'. Nothing is
 * drawn outside the screen, whatever the caller asks: a 20x6 terminal gets
 * what fits.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "tui/app.h"

_Static_assert(TK_NC_DOWN == KEY_DOWN && TK_NC_BTAB == KEY_BTAB && TK_NC_RESIZE == KEY_RESIZE &&
               TK_NC_END == KEY_END && TK_NC_DC == KEY_DC && TK_NC_ENTER == KEY_ENTER &&
               TK_NC_F0 == KEY_F0 && TK_NC_NPAGE == KEY_NPAGE,
               "keys.h agrees with curses.h");

/* Decode one UTF-8 character; invalid input gives '?' and advances one byte. */
static wchar_t
next_char(const char **ps)
{
	const unsigned char *u = (const unsigned char *)*ps;
	unsigned c = u[0];
	size_t len, i;

	if (c < 0x80) {
		*ps += 1;
		return c < 0x20 || c == 0x7f ? L'?' : (wchar_t)c;
	}
	len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
	if (len == 0) {
		*ps += 1;
		return L'?';
	}
	c &= 0x3f >> (len - 1);
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*ps += 1;
			return L'?';
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	*ps += len;
	if ((c >= 0x80 && c < 0xa0) || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
		return L'?';
	return (wchar_t)c;
}

static bool ascii_only;

static int
char_width(wchar_t c)
{
	int w = wcwidth(c);

	return w < 0 ? 1 : w;
}

int
text_width(const char *s)
{
	int w = 0;

	while (s && *s) {
		wchar_t c = next_char(&s);

		w += ascii_only && c >= 0x80 ? 1 : char_width(c);
	}
	return w;
}

static attr_t style_attr[ST_COUNT_];
static short style_pair[ST_COUNT_];

void
draw_set_ascii(bool ascii)
{
	ascii_only = ascii;
}

void
draw_styles_init(bool color)
{
	static const struct { short fg, bg; attr_t ac, am; } tab[] = {
#define TUI_STYLE_ROW_(name, fg, bg, ac, am) { fg, bg, ac, am },
		TUI_STYLE_INFO(TUI_STYLE_ROW_)
#undef TUI_STYLE_ROW_
	};
	short i;

	for (i = 0; i < ST_COUNT_; i++) {
		style_pair[i] = 0;
		style_attr[i] = color ? tab[i].ac : tab[i].am;
		if (color && (tab[i].fg != -1 || tab[i].bg != -1)) {
			init_pair((short)(i + 1), tab[i].fg, tab[i].bg);
			style_pair[i] = (short)(i + 1);
		}
	}
}

static bool
visible(int y, int x)
{
	return y >= 0 && y < LINES && x >= 0 && x < COLS;
}

static void
put_char(int y, int x, wchar_t *wc, size_t n, int style)
{
	cchar_t cc;

	wc[n] = L'\0';
	if (setcchar(&cc, wc, style_attr[style], style_pair[style], NULL) == OK)
		mvadd_wch(y, x, &cc);
}

int
draw_text(int y, int x, int w, const char *s, int style)
{
	int used = 0;
	wchar_t wc[CCHARW_MAX + 1];

	if (!s || y < 0 || y >= LINES || x >= COLS || w <= 0)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	while (*s && used < w) {
		wchar_t c = next_char(&s);
		int cw;
		size_t n = 1;

		if (ascii_only && c >= 0x80)
			c = L'?';
		cw = char_width(c);

		if (cw == 0) {
			/* A combining mark with no base: show it on a blank. */
			wc[0] = L' ';
			wc[1] = c;
			n = 2;
			cw = 1;
		} else
			wc[0] = c;
		/* Following combining marks join the same cell. */
		while (*s) {
			const char *peek = s;
			wchar_t m = next_char(&peek);

			if (char_width(m) != 0 || n >= CCHARW_MAX - 1 || ascii_only)
				break;
			wc[n++] = m;
			s = peek;
		}
		if (used + cw > w) {
			while (used < w) {
				if (x + used >= 0)
					draw_blank(y, x + used, 1, style);
				used++;
			}
			break;
		}
		if (x + used >= 0 && visible(y, x + used))
			put_char(y, x + used, wc, n, style);
		used += cw;
	}
	return used;
}

/* The bytes of s that fill at most w cells, ending at a blank when the text
 * goes on and a blank is in the second half; *next is where the rest starts. */
static size_t
line_fit(const char *s, int w, const char **next)
{
	const char *p = s, *blank = NULL;
	int used = 0;

	while (*p) {
		const char *q = p;
		wchar_t c = next_char(&q);
		int cw = ascii_only && c >= 0x80 ? 1 : char_width(c);

		if (used + cw > w)
			break;
		if (c == L' ' && used >= w / 2)
			blank = p;
		used += cw;
		p = q;
	}
	if (!*p || !blank) {
		*next = p;
		if (p == s && *p) {             /* w too small for one character */
			next_char(next);
			return (size_t)(*next - s);
		}
		return (size_t)(p - s);
	}
	*next = blank + 1;
	return (size_t)(blank - s);
}

int
text_rows(const char *s, int w, int maxrows)
{
	int rows = 0;

	if (w < 1)
		return 0;
	while (*s && rows < maxrows) {
		line_fit(s, w, &s);
		rows++;
	}
	return rows;
}

int
draw_wrapped(int y, int x, int w, int maxrows, const char *s, int style)
{
	char buf[1024];
	int rows = 0;

	if (w < 1)
		return 0;
	while (*s && rows < maxrows) {
		const char *next;
		size_t n = line_fit(s, w, &next);

		snprintf(buf, sizeof buf, "%.*s", (int)n, s);
		draw_text(y + rows, x, w, buf, style);
		s = next;
		rows++;
	}
	return rows;
}

int
draw_text_right(int y, int x, int w, const char *s, int style)
{
	int tw = text_width(s);

	if (tw >= w)
		return draw_text(y, x, w, s, style);
	return draw_text(y, x + w - tw, tw, s, style);
}

int
draw_fmt(int y, int x, int w, int style, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return draw_text(y, x, w, buf, style);
}

void
draw_blank(int y, int x, int w, int style)
{
	wchar_t wc[2] = { L' ', 0 };
	int i;

	if (y < 0 || y >= LINES)
		return;
	for (i = 0; i < w; i++)
		if (visible(y, x + i))
			put_char(y, x + i, wc, 1, style);
}

int
draw_glyph(struct app *a, int y, int x, int cells, const char *utf8, const char *ascii,
           int style)
{
	const char *g = a->utf8 ? utf8 : ascii;
	int used = draw_text(y, x, cells, g, style);

	if (used < cells)
		draw_blank(y, x + used, cells - used, style);
	return cells;
}

void
draw_restyle(int y, int x, int w, int style)
{
	if (y < 0 || y >= LINES || w <= 0)
		return;
	if (x < 0) {
		w += x;
		x = 0;
	}
	if (x + w > COLS)
		w = COLS - x;
	if (w > 0)
		mvchgat(y, x, w, style_attr[style], style_pair[style], NULL);
}

void
draw_box(struct app *a, struct rect r, const char *title)
{
	int i;
	const char *h = a->utf8 ? "─" : "-", *v = a->utf8 ? "│" : "|";

	if (r.h < 2 || r.w < 2)
		return;
	draw_text(r.y, r.x, 1, a->utf8 ? "┌" : "+", ST_LINE);
	draw_text(r.y, r.x + r.w - 1, 1, a->utf8 ? "┐" : "+", ST_LINE);
	draw_text(r.y + r.h - 1, r.x, 1, a->utf8 ? "└" : "+", ST_LINE);
	draw_text(r.y + r.h - 1, r.x + r.w - 1, 1, a->utf8 ? "┘" : "+", ST_LINE);
	for (i = 1; i < r.w - 1; i++) {
		draw_text(r.y, r.x + i, 1, h, ST_LINE);
		draw_text(r.y + r.h - 1, r.x + i, 1, h, ST_LINE);
	}
	for (i = 1; i < r.h - 1; i++) {
		draw_text(r.y + i, r.x, 1, v, ST_LINE);
		draw_blank(r.y + i, r.x + 1, r.w - 2, ST_NORMAL);
		draw_text(r.y + i, r.x + r.w - 1, 1, v, ST_LINE);
	}
	if (title && r.w > 6) {
		int tw = draw_text(r.y, r.x + 2, 1, " ", ST_LINE);

		tw += draw_text(r.y, r.x + 3, r.w - 6, title, ST_HEADER);
		draw_text(r.y, r.x + 2 + tw, 1, " ", ST_LINE);
	}
}

/* --- reading the screen back -------------------------------------------------------- */

/* Append the UTF-8 of c to buf at *n (buf has room for 4 more bytes). */
static void
put_utf8(char *buf, size_t *n, wchar_t wc)
{
	unsigned c = (unsigned)wc;

	if (c < 0x80)
		buf[(*n)++] = (char)c;
	else if (c < 0x800) {
		buf[(*n)++] = (char)(0xc0 | (c >> 6));
		buf[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		buf[(*n)++] = (char)(0xe0 | (c >> 12));
		buf[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
		buf[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else {
		buf[(*n)++] = (char)(0xf0 | (c >> 18));
		buf[(*n)++] = (char)(0x80 | ((c >> 12) & 0x3f));
		buf[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
		buf[(*n)++] = (char)(0x80 | (c & 0x3f));
	}
}

char *
screen_text(void)
{
	size_t cap = (size_t)LINES * ((size_t)COLS * 4 * CCHARW_MAX + 1) + 1, n = 0;
	char *buf = malloc(cap);
	int y, x;

	if (!buf)
		return NULL;
	for (y = 0; y < LINES; y++) {
		size_t line_start = n, last = n;

		for (x = 0; x < COLS; x++) {
			cchar_t cc;
			wchar_t wc[CCHARW_MAX + 1];
			attr_t at;
			short pair;
			int w = 1;
			size_t i;

			if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wc, &at, &pair, NULL) == ERR ||
			    wc[0] == L'\0') {
				buf[n++] = ' ';
				continue;
			}
			for (i = 0; wc[i] && i < CCHARW_MAX; i++)
				put_utf8(buf, &n, wc[i]);
			if (wc[0] != L' ')
				last = n;
			w = char_width(wc[0]);
			if (w == 2)
				x++;            /* the next cell is the right half */
		}
		(void)line_start;
		n = last;
		buf[n++] = '\n';
	}
	buf[n] = '\0';
	return buf;
}

bool
text_contains(const char *haystack, const char *needle)
{
	wchar_t nb[256];
	size_t nn = 0, i;
	const char *s;

	for (s = needle; *s && nn < 255;)
		nb[nn++] = towlower(next_char(&s));
	if (nn == 0)
		return true;
	for (s = haystack; *s;) {
		const char *t = s;

		for (i = 0; i < nn && *t; i++)
			if ((wchar_t)towlower(next_char(&t)) != nb[i])
				break;
		if (i == nn)
			return true;
		next_char(&s);
	}
	return false;
}
