/*
 * csv_cells.c - the CSV reader's pass one: the bytes cut into cells by
 * libcsv, fed one physical line at a time so that every record knows the
 * line it starts on; the header mapped to columns; each record kept as a row
 * of the known columns (csv.c says how the passes fit).
 */
#include "import/csv_int.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The offset of the first byte that is not valid UTF-8, or -1. Overlong
 * forms, surrogates and code points above U+10FFFF are invalid. */
static long
utf8_invalid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], need, cp, min;
		size_t k;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07, min = 0x10000;
		else
			return (long)i;
		for (k = 1; k <= need; k++) {
			if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
				return (long)i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (long)i;
		i += need + 1;
	}
	return -1;
}

/* The header name normalised: trimmed, lower case, ' ' and '-' as '_'. */
static void
normalise(const char *h, char *buf, size_t size)
{
	size_t n = 0;
	const char *e;

	while (*h == ' ' || *h == '\t')
		h++;
	e = h + strlen(h);
	while (e > h && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	for (; h < e && n + 1 < size; h++)
		buf[n++] = *h == ' ' || *h == '-' ? '_' : (char)tolower((unsigned char)*h);
	buf[n] = '\0';
}

/* --- pass one: cells and records ------------------------------------------- */

void
csv_record_reset(struct reader *r)
{
	size_t i;

	for (i = 0; i < COL_COUNT_; i++) {
		free(r->cell[i]);
		r->cell[i] = NULL;
	}
	r->ncell = 0;
	r->extra = false;
	r->rec_bytes = 0;
}

/* A copy of a cell with its line breaks as LF (CRLF and CR inside quotes
 * come from Windows and old Mac files; the model keeps LF). */
static char *
cell_text(const char *s, size_t len)
{
	char *c = malloc(len + 1), *o;
	size_t i;

	if (!c)
		return NULL;
	for (o = c, i = 0; i < len; i++) {
		if (s[i] == '\r') {
			*o++ = '\n';
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return c;
}

static void
on_cell(void *data, size_t len, void *ctx)
{
	struct reader *r = ctx;
	const char *s = data ? data : "";
	size_t pos = r->ncell++;
	long bad;

	if (r->st != STATUS_OK)
		return;
	r->rec_bytes += len;
	if (r->ncell > CSV_IMPORT_CELLS_MAX) {
		csv_fail_at(r, r->rec_line, "more than %d cells in one record; is this a CSV file of steps?",
		        CSV_IMPORT_CELLS_MAX);
		return;
	}
	if (len > CSV_IMPORT_CELL_MAX) {
		csv_fail_at(r, r->rec_line, "a cell longer than %u MiB", CSV_IMPORT_CELL_MAX >> 20);
		return;
	}
	if (!r->have_header) {
		if ((bad = utf8_invalid((const unsigned char *)s, len)) >= 0) {
			csv_fail_at(r, r->rec_line,
			        "header: invalid UTF-8 (byte 0x%02X in cell %zu); save the file as UTF-8 "
			        "(in Excel: CSV UTF-8)", (unsigned char)s[bad], pos + 1);
			return;
		}
		if (r->nhead == r->chead) {
			size_t cap = r->chead ? r->chead * 2 : 32;
			char **h = realloc(r->head, cap * sizeof *h);

			if (!h) {
				csv_nomem(r);
				return;
			}
			r->head = h;
			r->chead = cap;
		}
		if (!(r->head[r->nhead] = strndup(s, len))) {
			csv_nomem(r);
			return;
		}
		r->nhead++;
		return;
	}
	if (pos >= r->ncols) {
		size_t i;

		for (i = 0; i < len; i++)
			if (s[i] != ' ' && s[i] != '\t')
				r->extra = true;
		return;
	}
	if (r->colmap[pos] < 0 || len == 0)
		return;
	if ((bad = utf8_invalid((const unsigned char *)s, len)) >= 0) {
		csv_fail_at(r, r->rec_line,
		        "column '%s': invalid UTF-8 (byte 0x%02X at byte %ld of the cell); "
		        "save the file as UTF-8 (in Excel: CSV UTF-8)",
		        csv_column_names[r->colmap[pos]], (unsigned char)s[bad], bad + 1);
		return;
	}
	if (!(r->cell[r->colmap[pos]] = cell_text(s, len)))
		csv_nomem(r);
}

/* The header row is complete: map its names to columns. */
static void
header_done(struct reader *r)
{
	bool seen[COL_COUNT_] = { false };
	size_t i, k;
	char name[64];

	r->have_header = true;
	r->ncols = r->nhead;
	if (!(r->colmap = malloc((r->nhead ? r->nhead : 1) * sizeof *r->colmap))) {
		csv_nomem(r);
		return;
	}
	for (i = 0; i < r->nhead; i++) {
		r->colmap[i] = -1;
		normalise(r->head[i], name, sizeof name);
		if (!name[0])
			continue;            /* spreadsheets add empty columns */
		for (k = 0; k < COL_COUNT_; k++)
			if (!strcmp(name, csv_column_names[k]))
				break;
		if (k == COL_COUNT_) {
			char q[80];

			csv_warn_at(r, r->rec_line, "unknown column '%s' is ignored",
			        csv_shown(r->head[i], q, sizeof q));
			continue;
		}
		if (seen[k]) {
			csv_fail_at(r, r->rec_line, "column '%s' appears twice in the header",
			        csv_column_names[k]);
			return;
		}
		seen[k] = true;
		r->colmap[i] = (int)k;
	}
	if (!seen[COL_NAME]) {
		char list[200], q[80];
		size_t len = 0;

		list[0] = '\0';
		for (i = 0; i < r->nhead && len + 1 < sizeof list; i++) {
			int w = snprintf(list + len, sizeof list - len, "%s'%s'", i ? ", " : "",
			                 csv_shown(r->head[i], q, sizeof q));

			if (w < 0 || (size_t)w >= sizeof list - len) {
				snprintf(list + (len < sizeof list - 5 ? len : sizeof list - 5),
				         sizeof list - (len < sizeof list - 5 ? len : sizeof list - 5),
				         ", ...");
				break;
			}
			len += (size_t)w;
		}
		csv_fail_at(r, r->rec_line,
		        "no 'name' column among the header's %s; the first row must name the columns "
		        "(step, name, lane, type, work, wait, ...)", list);
	}
}

/* A lane row: a lane, maybe its stage and capacity, and nothing of a step. */
static bool
is_lane_row(const struct row *row)
{
	size_t c;

	if (csv_blank(row->cell[COL_LANE]))
		return false;
	for (c = 0; c < COL_COUNT_; c++)
		if (c != COL_LANE && c != COL_STAGE && c != COL_CAPACITY && !csv_blank(row->cell[c]))
			return false;
	return true;
}

static void
on_record(int c, void *ctx)
{
	struct reader *r = ctx;
	struct row *row;
	size_t i;
	bool empty = true;

	(void)c;
	r->in_rec = false;
	if (r->st != STATUS_OK)
		return;
	if (!r->have_header) {
		header_done(r);
		csv_record_reset(r);
		return;
	}
	for (i = 0; i < COL_COUNT_; i++)
		if (!csv_blank(r->cell[i]))
			empty = false;
	if (empty) {                 /* ";;;;" rows of a formatted sheet */
		csv_record_reset(r);
		return;
	}
	if (r->extra && r->extra_lines++ == 0)
		r->extra_first = r->rec_line;
	if (r->nrows == r->crows) {
		size_t cap = r->crows ? r->crows * 2 : 64;

		if (!(row = realloc(r->rows, cap * sizeof *row))) {
			csv_nomem(r);
			return;
		}
		r->rows = row;
		r->crows = cap;
	}
	row = &r->rows[r->nrows++];
	memset(row, 0, sizeof *row);
	row->line = r->rec_line;
	memcpy(row->cell, r->cell, sizeof row->cell);
	memset(r->cell, 0, sizeof r->cell);
	csv_record_reset(r);
	/* A step row becomes its step now: a bad cell is reported as soon as
	 * its line is read, and only the cells pass two still needs are kept. */
	if (!is_lane_row(row)) {
		size_t col;

		step_init(&row->step);
		row->has_step = true;
		if (csv_row_step(r, row, &row->step) != STATUS_OK)
			return;
		for (col = 0; col < COL_COUNT_; col++)
			if (column_field((enum column)col) >= 0) {
				free(row->cell[col]);
				row->cell[col] = NULL;
			}
	}
}

static int
is_space_comma(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int
is_space_tab(unsigned char c)
{
	return c == ' ';
}

/* Feed one piece of a physical line to libcsv. */
static void
feed(struct reader *r, struct csv_parser *p, const unsigned char *s, size_t n)
{
	size_t i, done;

	if (r->st != STATUS_OK || n == 0)
		return;
	if (!r->in_rec)
		for (i = 0; i < n; i++)
			if (s[i] != '\r' && s[i] != '\n' && s[i] != ' ' &&
			    (s[i] != '\t' || r->delim == '\t')) {
				r->in_rec = true;
				r->rec_line = r->line;
				break;
			}
	r->line_bytes += n;
	if (r->line_bytes > CSV_IMPORT_LINE_MAX) {
		csv_fail_at(r, r->line, "a line longer than %u MiB; is this a CSV file?",
		        CSV_IMPORT_LINE_MAX >> 20);
		return;
	}
	done = csv_parse(p, s, n, on_cell, on_record, r);
	if (r->st != STATUS_OK)
		return;
	if (done < n) {
		if (csv_error(p) == CSV_EPARSE)
			csv_fail_at(r, r->line,
			        "misplaced quote: a quote must open a cell, and a quote inside a "
			        "quoted cell must be doubled (\"\")");
		else
			csv_nomem(r);
		return;
	}
	if (csv_get_buffer_size(p) > CSV_IMPORT_CELL_MAX + BLOCK)
		csv_fail_at(r, r->rec_line, "a cell longer than %u MiB", CSV_IMPORT_CELL_MAX >> 20);
}

/* The delimiter: an Excel "sep=X" line, else the most frequent of , ; and
 * tab outside quotes on the first line (a comma on a tie). *skip is the
 * length of a "sep=" line to skip. */
static unsigned char
sniff(const unsigned char *s, size_t n, size_t *skip)
{
	size_t i, count[3] = { 0 };
	bool quoted = false;

	*skip = 0;
	if (n >= 5 && !strncasecmp((const char *)s, "sep=", 4) &&
	    (n == 5 || s[5] == '\r' || s[5] == '\n')) {
		*skip = 5;
		if (*skip < n && s[*skip] == '\r')
			(*skip)++;
		if (*skip < n && s[*skip] == '\n')
			(*skip)++;
		return s[4];
	}
	for (i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			count[s[i] == ',' ? 0 : s[i] == ';' ? 1 : s[i] == '\t' ? 2 : 0] +=
				s[i] == ',' || s[i] == ';' || s[i] == '\t';
	}
	if (count[1] > count[0] && count[1] >= count[2])
		return ';';
	if (count[2] > count[0] && count[2] > count[1])
		return '\t';
	return ',';
}

/* What the first bytes say about a file that is not CSV text, or NULL. */
static const char *
not_text(const unsigned char *s, size_t n)
{
	if (n >= 2 && ((s[0] == 0xff && s[1] == 0xfe) || (s[0] == 0xfe && s[1] == 0xff)))
		return "UTF-16 text; save it as CSV UTF-8";
	if (n >= 4 && !memcmp(s, "PK\x03\x04", 4))
		return "a spreadsheet workbook (.xlsx or .ods), not CSV; save it as CSV UTF-8";
	if (n >= 8 && !memcmp(s, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
		return "an old Excel workbook (.xls), not CSV; save it as CSV UTF-8";
	if (n >= 16 && !memcmp(s, "SQLite format 3", 16))
		return "a SQLite file (a workbook?), not CSV";
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, n--;
	if (n > 0 && *s == '<')
		return "XML or HTML (a BPMN file?), not CSV";
	return NULL;
}

/* Pass one: the file into r->rows. */
enum status
csv_read_rows(struct reader *r, FILE *f)
{
	static unsigned char buf[BLOCK];
	struct csv_parser p;
	size_t n, i, start, skip;
	bool first = true, after_cr = false;
	int opts = CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL;

	if (csv_init(&p, (unsigned char)opts) != 0)
		return csv_nomem(r);
	/* libcsv grows a cell's buffer by this much at a time (128 by default:
	 * quadratic copying for a long cell). */
	csv_set_blk_size(&p, BLOCK);
	r->line = 1;
	while (r->st == STATUS_OK && (n = fread(buf, 1, sizeof buf, f)) > 0) {
		const unsigned char *s = buf;
		const char *what;

		if (first) {
			first = false;
			if (n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
				s += 3, n -= 3;
			if ((what = not_text(s, n))) {
				csv_fail_at(r, 0, "%s", what);
				break;
			}
			r->delim = sniff(s, n, &skip);
			if (skip) {
				s += skip, n -= skip;
				r->line++;
			}
			csv_set_delim(&p, r->delim);
			csv_set_space_func(&p, r->delim == '\t' ? is_space_tab : is_space_comma);
		}
		if (memchr(s, '\0', n)) {
			size_t at = (size_t)((const unsigned char *)memchr(s, '\0', n) - s), line = r->line;

			for (i = 0; i < at; i++)
				line += s[i] == '\n' || (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n'));
			csv_fail_at(r, line, "a NUL byte: this is not a text file");
			break;
		}
		/* Feed line by line; CRLF, LF and CR each end a line. */
		for (start = i = 0; i < n && r->st == STATUS_OK; i++) {
			if (s[i] == '\n' && after_cr && i == 0) {
				feed(r, &p, s, 1);   /* the LF of a CRLF split across blocks */
				start = 1;
				after_cr = false;
				continue;
			}
			after_cr = false;
			if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
				i++;
			else if (s[i] == '\r' && i + 1 == n)
				after_cr = true;
			else if (s[i] != '\n' && s[i] != '\r')
				continue;
			feed(r, &p, s + start, i + 1 - start);
			start = i + 1;
			r->line++;
			r->line_bytes = 0;
		}
		if (start < n)
			feed(r, &p, s + start, n - start);
	}
	if (r->st == STATUS_OK && ferror(f))
		err_set(r->err, STATUS_IO, "%s: cannot read: %s", r->where, strerror(errno)),
			r->st = STATUS_IO;
	if (r->st == STATUS_OK && csv_fini(&p, on_cell, on_record, r) != 0 && r->st == STATUS_OK) {
		if (csv_error(&p) == CSV_EPARSE)
			csv_fail_at(r, r->rec_line, "a quoted cell that starts on this line never ends");
		else
			csv_nomem(r);
	}
	csv_free(&p);
	if (r->st == STATUS_OK && r->extra_lines)
		csv_warn_at(r, r->extra_first, "cells beyond the %zu columns of the header are ignored "
		        "(on %zu line%s)", r->ncols, r->extra_lines, r->extra_lines > 1 ? "s" : "");
	if (r->st == STATUS_OK && !r->have_header)
		csv_fail_at(r, 0, "no header row; the first row must name the columns "
		              "(step, name, lane, type, work, wait, ...)");
	return r->st;
}
