/*
 * csv.c - the CSV reader: libcsv cuts the bytes into cells; this file keeps
 * count of physical lines, maps header names to columns, checks every cell,
 * and emits the process into a sink. The format is documented in csv.h.
 *
 * Two passes. The first reads the whole file into rows of the known columns
 * (strings, with the line each record starts on); the second checks the
 * rows as a whole (keys, lanes, flows, measures) and, only when all is well,
 * emits them. So a bad file sends nothing to the sink.
 *
 * Line numbers. libcsv reports cells and records but not where they are, so
 * the file is fed to it one physical line at a time (a line split across
 * read blocks goes in pieces): when a record ends, the line being fed is the
 * line it ends on, and the first line fed with something other than blanks
 * after a record ended is the line the next one starts on.
 */
#include "import/csv.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "model/file.h"

/*
 * The columns the reader knows (csv.h says what they hold): first the step
 * fields of the model, by their own names (model.h, STEP_FIELD_INFO), set
 * through step_set_field(); then the columns this file reads itself.
 */
#define CSV_EXTRA_COLUMN_INFO(_) \
	_(STEP,     "step") \
	_(STAGE,    "stage") \
	_(CAPACITY, "capacity") \
	_(NEXT,     "next") \
	_(STARTS,   "starts") \
	_(ENDS,     "ends") \
	_(ARRIVAL,  "arrival")

enum column {
#define COLUMN_FIELD_(name, kw) COL_##name,
	STEP_FIELD_INFO(COLUMN_FIELD_)
#undef COLUMN_FIELD_
#define COLUMN_EXTRA_(name, h) COL_##name,
	CSV_EXTRA_COLUMN_INFO(COLUMN_EXTRA_)
#undef COLUMN_EXTRA_
	COL_COUNT_
};

static const char *const column_names[] = {
#define COLUMN_NAME_(name, h) h,
	STEP_FIELD_INFO(COLUMN_NAME_)
	CSV_EXTRA_COLUMN_INFO(COLUMN_NAME_)
#undef COLUMN_NAME_
};

/* The step field a column sets, or -1 (the lane is resolved by the sink). */
static int
column_field(enum column c)
{
	return (int)c < (int)STEP_FIELD_COUNT_ && c != COL_LANE ? (int)c : -1;
}

#define BLOCK 65536

/* One step row: its cells by column (NULL = empty) and where it starts. */
struct row {
	size_t line;
	char *cell[COL_COUNT_];
	char *key;                   /* the step key (cell or position), owned */
	double num;                  /* the key as a number, when it is one */
};

struct reader {
	const char *where;           /* the file's name in messages */
	struct err *err;
	enum status st;              /* the first error; the rest is skipped */
	struct sink *sink;

	size_t line;                 /* the physical line being fed, 1-based */
	size_t line_bytes;           /* bytes of it fed so far */
	size_t rec_line;             /* the line the current record starts on */
	bool in_rec;
	size_t rec_bytes;
	unsigned char delim;

	/* the header */
	bool have_header;
	char **head;                 /* header cells as read */
	size_t nhead, chead;
	int *colmap;                 /* header position -> column, or -1 */
	size_t ncols;

	/* the record being read */
	size_t ncell;
	char *cell[COL_COUNT_];
	bool extra;                  /* a non-empty cell beyond the header */
	size_t extra_lines, extra_first;  /* records that had one; the first */

	struct row *rows;            /* step rows */
	size_t nrows, crows;
	struct row *lrows;           /* lane rows (lane, stage, capacity only) */
	size_t nlrows;
};

/* --- messages ------------------------------------------------------------- */

static enum status
fail_at(struct reader *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum status
fail_at(struct reader *r, size_t line, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	if (r->st != STATUS_OK)
		return r->st;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line)
		err_set(r->err, STATUS_INPUT, "%s:%zu: %s", r->where, line, msg);
	else
		err_set(r->err, STATUS_INPUT, "%s: %s", r->where, msg);
	r->st = STATUS_INPUT;
	return r->st;
}

static enum status
nomem(struct reader *r)
{
	if (r->st == STATUS_OK) {
		err_set(r->err, STATUS_NOMEM, "%s: out of memory", r->where);
		r->st = STATUS_NOMEM;
	}
	return r->st;
}

static void
warn_at(struct reader *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
warn_at(struct reader *r, size_t line, const char *fmt, ...)
{
	char where[512], what[ERR_MSG_MAX];
	va_list ap;

	if (!r->sink->ops->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (line)
		snprintf(where, sizeof where, "%s:%zu", r->where, line);
	else
		snprintf(where, sizeof where, "%s", r->where);
	r->sink->ops->warn(r->sink->ctx, where, what);
}

/* The user's text, shortened for a message. */
static const char *
shown(const char *s, char *buf, size_t size)
{
	if (strlen(s) > 60)
		snprintf(buf, size, "%.60s...", s);
	else
		snprintf(buf, size, "%s", s);
	return buf;
}

/* --- small text helpers ---------------------------------------------------- */

/* s without leading and trailing blanks, in place. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* True when s is NULL or only blanks. */
static bool
blank(const char *s)
{
	if (s)
		for (; *s; s++)
			if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
				return false;
	return true;
}

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

static void
record_reset(struct reader *r)
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
		fail_at(r, r->rec_line, "more than %d cells in one record; is this a CSV file of steps?",
		        CSV_IMPORT_CELLS_MAX);
		return;
	}
	if (len > CSV_IMPORT_CELL_MAX) {
		fail_at(r, r->rec_line, "a cell longer than %u MiB", CSV_IMPORT_CELL_MAX >> 20);
		return;
	}
	if (!r->have_header) {
		if ((bad = utf8_invalid((const unsigned char *)s, len)) >= 0) {
			fail_at(r, r->rec_line,
			        "header: invalid UTF-8 (byte 0x%02X in cell %zu); save the file as UTF-8 "
			        "(in Excel: CSV UTF-8)", (unsigned char)s[bad], pos + 1);
			return;
		}
		if (r->nhead == r->chead) {
			size_t cap = r->chead ? r->chead * 2 : 32;
			char **h = realloc(r->head, cap * sizeof *h);

			if (!h) {
				nomem(r);
				return;
			}
			r->head = h;
			r->chead = cap;
		}
		if (!(r->head[r->nhead] = strndup(s, len))) {
			nomem(r);
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
		fail_at(r, r->rec_line,
		        "column '%s': invalid UTF-8 (byte 0x%02X at byte %ld of the cell); "
		        "save the file as UTF-8 (in Excel: CSV UTF-8)",
		        column_names[r->colmap[pos]], (unsigned char)s[bad], bad + 1);
		return;
	}
	if (!(r->cell[r->colmap[pos]] = cell_text(s, len)))
		nomem(r);
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
		nomem(r);
		return;
	}
	for (i = 0; i < r->nhead; i++) {
		r->colmap[i] = -1;
		normalise(r->head[i], name, sizeof name);
		if (!name[0])
			continue;            /* spreadsheets add empty columns */
		for (k = 0; k < COL_COUNT_; k++)
			if (!strcmp(name, column_names[k]))
				break;
		if (k == COL_COUNT_) {
			char q[80];

			warn_at(r, r->rec_line, "unknown column '%s' is ignored",
			        shown(r->head[i], q, sizeof q));
			continue;
		}
		if (seen[k]) {
			fail_at(r, r->rec_line, "column '%s' appears twice in the header",
			        column_names[k]);
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
			                 shown(r->head[i], q, sizeof q));

			if (w < 0 || (size_t)w >= sizeof list - len) {
				snprintf(list + (len < sizeof list - 5 ? len : sizeof list - 5),
				         sizeof list - (len < sizeof list - 5 ? len : sizeof list - 5),
				         ", ...");
				break;
			}
			len += (size_t)w;
		}
		fail_at(r, r->rec_line,
		        "no 'name' column among the header's %s; the first row must name the columns "
		        "(step, name, lane, type, work, wait, ...)", list);
	}
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
		record_reset(r);
		return;
	}
	for (i = 0; i < COL_COUNT_; i++)
		if (!blank(r->cell[i]))
			empty = false;
	if (empty) {                 /* ";;;;" rows of a formatted sheet */
		record_reset(r);
		return;
	}
	if (r->extra && r->extra_lines++ == 0)
		r->extra_first = r->rec_line;
	if (r->nrows == r->crows) {
		size_t cap = r->crows ? r->crows * 2 : 64;

		if (!(row = realloc(r->rows, cap * sizeof *row))) {
			nomem(r);
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
	record_reset(r);
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
		fail_at(r, r->line, "a line longer than %u MiB; is this a CSV file?",
		        CSV_IMPORT_LINE_MAX >> 20);
		return;
	}
	done = csv_parse(p, s, n, on_cell, on_record, r);
	if (r->st != STATUS_OK)
		return;
	if (done < n) {
		if (csv_error(p) == CSV_EPARSE)
			fail_at(r, r->line,
			        "misplaced quote: a quote must open a cell, and a quote inside a "
			        "quoted cell must be doubled (\"\")");
		else
			nomem(r);
		return;
	}
	if (csv_get_buffer_size(p) > CSV_IMPORT_CELL_MAX + BLOCK)
		fail_at(r, r->rec_line, "a cell longer than %u MiB", CSV_IMPORT_CELL_MAX >> 20);
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
static enum status
read_rows(struct reader *r, FILE *f)
{
	static unsigned char buf[BLOCK];
	struct csv_parser p;
	size_t n, i, start, skip;
	bool first = true, after_cr = false;
	int opts = CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL;

	if (csv_init(&p, (unsigned char)opts) != 0)
		return nomem(r);
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
				fail_at(r, 0, "%s", what);
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
			fail_at(r, line, "a NUL byte: this is not a text file");
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
			fail_at(r, r->rec_line, "a quoted cell that starts on this line never ends");
		else
			nomem(r);
	}
	csv_free(&p);
	if (r->st == STATUS_OK && r->extra_lines)
		warn_at(r, r->extra_first, "cells beyond the %zu columns of the header are ignored "
		        "(on %zu line%s)", r->ncols, r->extra_lines, r->extra_lines > 1 ? "s" : "");
	if (r->st == STATUS_OK && !r->have_header)
		fail_at(r, 0, "no header row; the first row must name the columns "
		              "(step, name, lane, type, work, wait, ...)");
	return r->st;
}

/* --- pass two: the rows as a process --------------------------------------- */

/* Step keys: a number or a word without blanks, '@' or '|'. */
static bool
key_ok(const char *k)
{
	for (; *k; k++)
		if (*k == ' ' || *k == '\t' || *k == '@' || *k == '|' || *k == '{' ||
		    (unsigned char)*k < 0x20)
			return false;
	return true;
}

static bool
parse_num(const char *s, double *v)
{
	char *end;

	if (!*s || isspace((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtod(s, &end);
	return *end == '\0' && errno == 0 && isfinite(*v);
}

static int
row_num_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sorted index of keys, for duplicates and look-ups. */
struct key_ref {
	const char *key;
	size_t row;
};

static int
key_ref_cmp(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->row > y->row) - (x->row < y->row);
}

static const struct key_ref *
key_find(const struct key_ref *keys, size_t n, const char *k)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(keys[mid].key, k);

		if (c == 0)
			return &keys[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Put the rows in order and give each its key; the sorted keys in *out. */
static enum status
order_rows(struct reader *r, struct key_ref **out)
{
	struct key_ref *keys;
	size_t i;
	bool numeric = r->nrows > 0;
	char q[80];

	*out = NULL;
	for (i = 0; i < r->nrows; i++) {
		char *k = r->rows[i].cell[COL_STEP] ? trim(r->rows[i].cell[COL_STEP]) : NULL;

		if (k && *k && !key_ok(k))
			return fail_at(r, r->rows[i].line,
			               "column 'step': expected a step number or a word without "
			               "spaces, '@' or '|', got '%s'", shown(k, q, sizeof q));
		if (!k || !*k || !parse_num(k, &r->rows[i].num))
			numeric = false;
	}
	if (numeric && r->nrows > 1)
		qsort(r->rows, r->nrows, sizeof *r->rows, row_num_cmp);
	for (i = 0; i < r->nrows; i++) {
		char *k = r->rows[i].cell[COL_STEP] ? trim(r->rows[i].cell[COL_STEP]) : NULL;
		char pos[32];

		if (!k || !*k) {
			snprintf(pos, sizeof pos, "%zu", i + 1);
			k = pos;
		}
		if (!(r->rows[i].key = strdup(k)))
			return nomem(r);
	}
	if (!(keys = malloc((r->nrows ? r->nrows : 1) * sizeof *keys)))
		return nomem(r);
	for (i = 0; i < r->nrows; i++)
		keys[i] = (struct key_ref){ r->rows[i].key, i };
	if (r->nrows > 1)
		qsort(keys, r->nrows, sizeof *keys, key_ref_cmp);
	for (i = 1; i < r->nrows; i++)
		if (!strcmp(keys[i - 1].key, keys[i].key)) {
			const struct row *a = &r->rows[keys[i - 1].row], *b = &r->rows[keys[i].row];
			const struct row *later = a->line > b->line ? a : b, *earlier = later == a ? b : a;

			free(keys);
			return fail_at(r, later->line, "column 'step': step '%s' is also on line %zu%s",
			               shown(later->key, q, sizeof q), earlier->line,
			               later->cell[COL_STEP] && *later->cell[COL_STEP] ? "" :
			               " (a row with an empty step takes its position as its number)");
		}
	*out = keys;
	return STATUS_OK;
}

/* One lane of the file. */
struct lane_info {
	const char *name;            /* in a row's cell */
	size_t first;                /* the first row that names it */
	int stage, capacity;         /* -1 = not given */
	size_t stage_line, capacity_line;
};

struct lane_ref {
	const char *name;
	size_t row;
};

static int
lane_ref_cmp(const void *a, const void *b)
{
	const struct lane_ref *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->row > y->row) - (x->row < y->row);
}

static int
lane_first_cmp(const void *a, const void *b)
{
	const struct lane_info *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

static enum status
parse_capacity(struct reader *r, const struct row *row, const char *s, int *out)
{
	char *end;
	long v;
	char q[80];

	if (!strcasecmp(s, "unlimited") || !strcasecmp(s, "inf") || !strcmp(s, "∞")) {
		*out = 0;
		return STATUS_OK;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || end == s || errno || v < 0 || v > 1000000)
		return fail_at(r, row->line, "column 'capacity': expected a whole number of "
		               "servers from 0 to 1000000 (0 or empty: unlimited), got '%s'",
		               shown(s, q, sizeof q));
	*out = (int)v;
	return STATUS_OK;
}

/* Row k of the lane rows followed by the step rows. */
static struct row *
row_at(struct reader *r, size_t k)
{
	return k < r->nlrows ? &r->lrows[k] : &r->rows[k - r->nlrows];
}

/* The lanes in order of first appearance (lane rows first), with stage and
 * capacity merged. */
static enum status
collect_lanes(struct reader *r, struct lane_info **out, size_t *nout)
{
	struct lane_ref *refs = NULL;
	struct lane_info *lanes = NULL;
	size_t i, n = 0, nl = 0, all = r->nlrows + r->nrows;
	char q[80];

	*out = NULL;
	*nout = 0;
	if (!(refs = malloc((all ? all : 1) * sizeof *refs)) ||
	    !(lanes = calloc(all ? all : 1, sizeof *lanes))) {
		free(refs);
		return nomem(r);
	}
	for (i = 0; i < all; i++) {
		struct row *row = row_at(r, i);
		char *l = row->cell[COL_LANE] ? trim(row->cell[COL_LANE]) : NULL;

		if (l && *l) {
			refs[n++] = (struct lane_ref){ l, i };
		} else if ((row->cell[COL_STAGE] && *trim(row->cell[COL_STAGE])) ||
		           (row->cell[COL_CAPACITY] && *trim(row->cell[COL_CAPACITY]))) {
			warn_at(r, row->line, "a stage or capacity without a lane is ignored");
		}
	}
	if (n > 1)
		qsort(refs, n, sizeof *refs, lane_ref_cmp);
	for (i = 0; i < n; i++) {
		struct row *row = row_at(r, refs[i].row);
		struct lane_info *li;
		char *st = row->cell[COL_STAGE] ? trim(row->cell[COL_STAGE]) : NULL;
		char *cap = row->cell[COL_CAPACITY] ? trim(row->cell[COL_CAPACITY]) : NULL;

		if (i == 0 || strcmp(refs[i - 1].name, refs[i].name)) {
			li = &lanes[nl++];
			*li = (struct lane_info){ refs[i].name, refs[i].row, -1, -1, 0, 0 };
		}
		li = &lanes[nl - 1];
		if (st && *st) {
			int s = stage_parse(st);

			if (s < 0) {
				fail_at(r, row->line, "column 'stage': expected customer, onstage, "
				        "offstage or support, got '%s'", shown(st, q, sizeof q));
				goto out;
			}
			if (li->stage < 0) {
				li->stage = s;
				li->stage_line = row->line;
			} else if (li->stage != s) {
				warn_at(r, row->line, "lane '%s' has stage %s here but %s on line %zu; "
				        "keeping %s", li->name, stage_name((enum stage)s),
				        stage_name((enum stage)li->stage), li->stage_line,
				        stage_name((enum stage)li->stage));
			}
		}
		if (cap && *cap) {
			int c = 0;

			if (parse_capacity(r, row, cap, &c) != STATUS_OK)
				goto out;
			if (li->capacity < 0) {
				li->capacity = c;
				li->capacity_line = row->line;
			} else if (li->capacity != c) {
				warn_at(r, row->line, "lane '%s' has capacity %d here but %d on line %zu; "
				        "keeping %d", li->name, c, li->capacity, li->capacity_line,
				        li->capacity);
			}
		}
	}
	if (nl > 1)
		qsort(lanes, nl, sizeof *lanes, lane_first_cmp);
	*out = lanes;
	*nout = nl;
	lanes = NULL;
out:
	free(refs);
	free(lanes);
	return r->st;
}

/* "work: expected..." from step_set_field() as "FILE:LINE: column 'work': expected...". */
static enum status
cell_error(struct reader *r, const struct row *row, enum column c, enum status st)
{
	char msg[ERR_MSG_MAX];
	const char *m = r->err ? r->err->msg : "";
	size_t n = strlen(column_names[c]);

	if (st == STATUS_NOMEM)
		return nomem(r);
	if (!strncmp(m, column_names[c], n) && m[n] == ':' && m[n + 1] == ' ')
		m += n + 2;
	snprintf(msg, sizeof msg, "%s", m);
	if ((c == COL_WORK || c == COL_WAIT || c == COL_ARRIVAL) && row->cell[c] &&
	    strchr(row->cell[c], '(') && !strchr(row->cell[c], ')'))
		return fail_at(r, row->line, "column '%s': %s (a distribution holds commas: put the "
		               "cell in quotes, \"tri(3m,5m,10m)\")", column_names[c], msg);
	return fail_at(r, row->line, "column '%s': %s", column_names[c], msg);
}

/* The step of a row, fields checked. */
static enum status
row_step(struct reader *r, const struct row *row, struct step *s)
{
	size_t c;
	enum status st;

	for (c = 0; c < COL_COUNT_; c++) {
		char *text = row->cell[c], num[64];

		if (column_field((enum column)c) < 0 || !text)
			continue;
		if (c != COL_NAME && c != COL_NOTE && !*trim(text))
			continue;
		if ((c == COL_ERROR_RATE || c == COL_COST) && r->delim != ',' &&
		    strchr(text, ',') && !strchr(text, '.') && strlen(text) < sizeof num) {
			/* A decimal comma, as a spreadsheet in a French locale writes
			 * (with semicolons between cells; in a comma file "1,000" is
			 * more likely a thousands separator, and an error). */
			char *comma;

			strcpy(num, text);
			comma = strchr(num, ',');
			if (!strchr(comma + 1, ','))
				*comma = '.';
			text = num;
		}
		st = step_set_field(NULL, s, (enum step_field)column_field((enum column)c), text,
		                    r->err);
		if (st != STATUS_OK)
			return cell_error(r, row, (enum column)c, st);
	}
	return STATUS_OK;
}

/* Copy s[0..n) with backslash escapes undone, trimmed. */
static char *
unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o;
	size_t i;

	if (!out)
		return NULL;
	for (o = out, i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		*o++ = s[i];
	}
	*o = '\0';
	/* blanks around a label or a name are layout, not part of it */
	{
		char *t = trim(out);

		if (t != out)
			memmove(out, t, strlen(t) + 1);
	}
	return out;
}

/* The end of the item starting at s: the next unescaped '|' or the end. */
static const char *
item_end(const char *s)
{
	for (; *s && *s != '|'; s++)
		if (*s == '\\' && s[1])
			s++;
	return s;
}

/* One parsed item of a `next` cell. */
struct next_item {
	char *target;
	struct flow flow;
};

static void
next_item_done(struct next_item *it)
{
	free(it->target);
	free(it->flow.label);
	free(it->flow.condition);
	memset(it, 0, sizeof *it);
}

static enum status
parse_next_item(struct reader *r, const struct row *row, const char *s, const char *e,
                struct next_item *it)
{
	const char *p = s, *t;
	char q[80], buf[128];

	memset(it, 0, sizeof *it);
	it->flow.prob = -1;
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	for (t = p; t < e && *t != '@' && *t != '{' && *t != ' ' && *t != '\t' && *t != '\\'; t++)
		;
	if (t == p) {
		snprintf(buf, sizeof buf, "%.*s", (int)(e - s < 100 ? e - s : 100), s);
		return fail_at(r, row->line, "column 'next': expected a step like '12', "
		               "'12@0.7 Imaging needed' or '12 {condition}', got '%s'",
		               shown(trim(buf), q, sizeof q));
	}
	if (!(it->target = strndup(p, (size_t)(t - p))))
		return nomem(r);
	p = t;
	if (p < e && *p == '@') {
		double v;
		char *end;
		size_t n;

		for (t = ++p; t < e && *t != ' ' && *t != '\t' && *t != '{'; t++)
			;
		n = (size_t)(t - p);
		snprintf(buf, sizeof buf, "%.*s", (int)(n < 100 ? n : 100), p);
		errno = 0;
		v = strtod(buf, &end);
		if (end != buf && *end == '%' && end[1] == '\0') {
			v /= 100;
			end++;
		}
		if (end == buf || *end || errno || !(v >= 0 && v <= 1) || isspace((unsigned char)buf[0]))
			return fail_at(r, row->line, "column 'next': expected a probability from 0 to 1 "
			               "(or 0%% to 100%%) after '%s@', got '%s'", it->target,
			               shown(buf, q, sizeof q));
		it->flow.prob = v;
		p = t;
	}
	/* the label: up to an unescaped '{' */
	for (t = p; t < e && *t != '{'; t++)
		if (*t == '\\' && t + 1 < e)
			t++;
	if (!(it->flow.label = unescape(p, (size_t)(t - p))))
		return nomem(r);
	if (!*it->flow.label) {
		free(it->flow.label);
		it->flow.label = NULL;
	}
	if (t < e) {
		const char *c = ++t;

		for (; t < e && *t != '}'; t++)
			if (*t == '\\' && t + 1 < e)
				t++;
		if (t == e)
			return fail_at(r, row->line, "column 'next': the condition after '%s' opens "
			               "with '{' but never closes with '}'", it->target);
		if (!(it->flow.condition = unescape(c, (size_t)(t - c))))
			return nomem(r);
		for (t++; t < e; t++)
			if (*t != ' ' && *t != '\t' && *t != '\r' && *t != '\n')
				return fail_at(r, row->line, "column 'next': text after the condition "
				               "of the flow to '%s'; the condition {...} comes last",
				               it->target);
		if (!*it->flow.condition) {
			free(it->flow.condition);
			it->flow.condition = NULL;
		}
	}
	return STATUS_OK;
}

/* Emit the flows of one row's `next` cell (checked against the keys). */
static enum status
emit_next(struct reader *r, const struct row *row, const struct key_ref *keys,
          struct sink *sink)
{
	const char *s = row->cell[COL_NEXT], *e;
	struct next_item it;
	enum status st = STATUS_OK;
	char q[80];

	if (!s || !*trim(row->cell[COL_NEXT]))
		return STATUS_OK;
	s = trim(row->cell[COL_NEXT]);
	for (; st == STATUS_OK; s = e + 1) {
		e = item_end(s);
		if ((st = parse_next_item(r, row, s, e, &it)) != STATUS_OK) {
			next_item_done(&it);
			break;
		}
		if (!key_find(keys, r->nrows, it.target)) {
			st = fail_at(r, row->line, "column 'next': no step '%s' in the file",
			             shown(it.target, q, sizeof q));
		} else if (sink && (st = sink->ops->flow(sink->ctx, row->key, it.target, &it.flow,
		                                         r->err)) != STATUS_OK) {
			r->st = st;
		}
		next_item_done(&it);
		if (!*e)
			break;
	}
	return st;
}

/* One measure end named in a starts or ends cell. */
struct mend {
	char *name;
	size_t row;                  /* index in r->rows */
	size_t seq;                  /* order met */
	int clock;                   /* -1 = not given */
};

static int
mend_cmp(const void *a, const void *b)
{
	const struct mend *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static enum status
mend_push(struct reader *r, struct mend **v, size_t *n, size_t *cap, struct mend m)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct mend *nv = realloc(*v, c * sizeof *nv);

		if (!nv) {
			free(m.name);
			return nomem(r);
		}
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = m;
	return STATUS_OK;
}

/* The items of a starts/ends cell of row i into *v. */
static enum status
parse_mends(struct reader *r, size_t i, enum column c, struct mend **v, size_t *n,
            size_t *cap)
{
	const struct row *row = &r->rows[i];
	const char *s, *e, *at, *t;
	char q[80];

	if (!row->cell[c] || !*trim(row->cell[c]))
		return STATUS_OK;
	for (s = trim(row->cell[c]);; s = e + 1) {
		struct mend m = { NULL, i, *n, -1 };

		e = item_end(s);
		at = NULL;
		for (t = s; t < e; t++) {
			if (*t == '\\' && t + 1 < e)
				t++;
			else if (*t == '@')
				at = t;
		}
		if (at) {
			char word[32];
			size_t k = 0;

			for (t = at + 1; t < e && k + 1 < sizeof word; t++)
				if (*t != ' ' && *t != '\t')
					word[k++] = *t;
			word[k] = '\0';
			if ((m.clock = clock_parse(word)) < 0)
				return fail_at(r, row->line, "column '%s': expected the clock 'customer' or "
				               "'process' after '@', got '%s'", column_names[c],
				               shown(word, q, sizeof q));
		}
		if (!(m.name = unescape(s, (size_t)((at ? at : e) - s))))
			return nomem(r);
		if (!*m.name) {
			free(m.name);
			return fail_at(r, row->line, "column '%s': a measure without a name "
			               "(write names separated by '|')", column_names[c]);
		}
		if (mend_push(r, v, n, cap, m) != STATUS_OK)
			return r->st;
		if (!*e)
			break;
	}
	return STATUS_OK;
}

static void
mends_free(struct mend *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* A measure paired from its start and its end. */
struct mpair {
	char *name;
	size_t from, to;             /* rows */
	size_t seq;                  /* the order its start was met */
	enum clock clock;
};

static int
mpair_cmp(const void *a, const void *b)
{
	const struct mpair *x = a, *y = b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Pair the starts and ends of measures by name (the k-th start of a name
 * with its k-th end), in the order they start. */
static enum status
pair_measures(struct reader *r, struct mpair **out, size_t *nout)
{
	struct mend *st = NULL, *en = NULL;
	struct mpair *pairs = NULL;
	size_t ns = 0, cs = 0, ne = 0, ce = 0, np = 0, i, j;
	enum status s = STATUS_OK;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < r->nrows && s == STATUS_OK; i++)
		if ((s = parse_mends(r, i, COL_STARTS, &st, &ns, &cs)) == STATUS_OK)
			s = parse_mends(r, i, COL_ENDS, &en, &ne, &ce);
	if (s != STATUS_OK || ns == 0 || !(pairs = calloc(ns, sizeof *pairs)))
		goto unpaired;
	/* qsort(NULL, 0, ...) is undefined: a measure that starts and none ends */
	if (ns > 1)
		qsort(st, ns, sizeof *st, mend_cmp);
	if (ne > 1)
		qsort(en, ne, sizeof *en, mend_cmp);
	for (i = j = 0; i < ns || j < ne;) {
		int c = i == ns ? 1 : j == ne ? -1 : strcmp(st[i].name, en[j].name);

		if (c < 0) {
			warn_at(r, r->rows[st[i].row].line, "measure '%s' starts here but never ends; "
			        "it is dropped", st[i].name);
			i++;
			continue;
		}
		if (c > 0) {
			warn_at(r, r->rows[en[j].row].line, "measure '%s' ends here but never starts; "
			        "it is dropped", en[j].name);
			j++;
			continue;
		}
		if (st[i].clock >= 0 && en[j].clock >= 0 && en[j].clock != st[i].clock)
			warn_at(r, r->rows[en[j].row].line, "measure '%s' ends on the %s clock but "
			        "starts on the %s clock; keeping %s", en[j].name,
			        clock_name((enum clock)en[j].clock), clock_name((enum clock)st[i].clock),
			        clock_name((enum clock)st[i].clock));
		pairs[np++] = (struct mpair){
			.name = st[i].name, .from = st[i].row, .to = en[j].row, .seq = st[i].seq,
			.clock = st[i].clock >= 0 ? (enum clock)st[i].clock :
			         en[j].clock >= 0 ? (enum clock)en[j].clock : CLOCK_PROCESS,
		};
		st[i].name = NULL;       /* now the pair's */
		i++;
		j++;
	}
	if (np > 1)
		qsort(pairs, np, sizeof *pairs, mpair_cmp);
	*out = pairs;
	*nout = np;
	goto out;
unpaired:
	free(pairs);
	for (j = 0; s == STATUS_OK && j < ne; j++)
		warn_at(r, r->rows[en[j].row].line, "measure '%s' ends here but never starts; "
		        "it is dropped", en[j].name);
out:
	mends_free(st, ns);
	mends_free(en, ne);
	return s == STATUS_OK ? r->st : s;
}

static void
mpairs_free(struct mpair *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* A lane row: a lane, maybe its stage and capacity, and nothing of a step. */
static bool
is_lane_row(struct row *row)
{
	size_t c;

	if (blank(row->cell[COL_LANE]))
		return false;
	for (c = 0; c < COL_COUNT_; c++)
		if (c != COL_LANE && c != COL_STAGE && c != COL_CAPACITY && !blank(row->cell[c]))
			return false;
	return true;
}

/* Move the lane rows out of the step rows, keeping the order of both. */
static enum status
split_lane_rows(struct reader *r)
{
	size_t i, k = 0, n = 0;

	for (i = 0; i < r->nrows; i++)
		n += is_lane_row(&r->rows[i]);
	if (n == 0)
		return STATUS_OK;
	if (!(r->lrows = malloc(n * sizeof *r->lrows)))
		return nomem(r);
	for (i = 0; i < r->nrows; i++) {
		if (is_lane_row(&r->rows[i]))
			r->lrows[r->nlrows++] = r->rows[i];
		else
			r->rows[k++] = r->rows[i];
	}
	r->nrows = k;
	return STATUS_OK;
}

static void
rows_free(struct reader *r)
{
	size_t i, c;

	for (i = 0; i < r->nrows; i++) {
		for (c = 0; c < COL_COUNT_; c++)
			free(r->rows[i].cell[c]);
		free(r->rows[i].key);
	}
	free(r->rows);
	for (i = 0; i < r->nlrows; i++)
		for (c = 0; c < COL_COUNT_; c++)
			free(r->lrows[i].cell[c]);
	free(r->lrows);
	for (i = 0; i < r->nhead; i++)
		free(r->head[i]);
	free(r->head);
	free(r->colmap);
	record_reset(r);
}

/* The process's arrival pattern: the first row that gives one. */
static enum status
find_arrival(struct reader *r, struct dist *out, bool *given)
{
	size_t i, first = 0;
	struct dist d;

	*given = false;
	for (i = 0; i < r->nrows; i++) {
		const struct row *row = &r->rows[i];
		char *text = row->cell[COL_ARRIVAL] ? trim(row->cell[COL_ARRIVAL]) : NULL;
		enum status st;

		if (!text || !*text)
			continue;
		if ((st = dist_parse(text, NULL, &d, r->err)) != STATUS_OK)
			return cell_error(r, row, COL_ARRIVAL, st);
		if (!*given) {
			*out = d;
			*given = true;
			first = row->line;
		} else if (!dist_equal(&d, out)) {
			warn_at(r, row->line, "a second arrival pattern; the one on line %zu is kept",
			        first);
		}
	}
	return STATUS_OK;
}

/* The process name from the file's: its base name without ".csv". */
static char *
name_from_path(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 4 && !strcasecmp(b + n - 4, ".csv"))
		n -= 4;
	return strndup(b, n);
}

static enum status
emit(struct reader *r, struct sink *sink, const char *name, struct step *steps,
     const struct lane_info *lanes, size_t nlanes, const struct key_ref *keys,
     const struct mpair *pairs, size_t npairs, const struct dist *arrival)
{
	const struct sink_ops *ops = sink->ops;
	struct err *err = r->err;
	enum status st;
	size_t i;

	if ((st = ops->process(sink->ctx, name, name, NULL, err)) != STATUS_OK)
		return st;
	if (arrival && ops->arrival && (st = ops->arrival(sink->ctx, arrival, err)) != STATUS_OK)
		return st;
	for (i = 0; i < nlanes; i++) {
		struct lane l = {
			.name = (char *)lanes[i].name,
			.stage = lanes[i].stage >= 0 ? (enum stage)lanes[i].stage : STAGE_OFFSTAGE,
			.capacity = lanes[i].capacity > 0 ? lanes[i].capacity : 0,
		};

		if ((st = ops->lane(sink->ctx, lanes[i].name, &l, err)) != STATUS_OK)
			return st;
	}
	for (i = 0; i < r->nrows; i++) {
		char *lane = r->rows[i].cell[COL_LANE] ? trim(r->rows[i].cell[COL_LANE]) : NULL;

		if ((st = ops->step(sink->ctx, r->rows[i].key, lane && *lane ? lane : NULL,
		                    &steps[i], err)) != STATUS_OK)
			return st;
	}
	for (i = 0; i < r->nrows; i++)
		if ((st = emit_next(r, &r->rows[i], keys, sink)) != STATUS_OK)
			return st;
	for (i = 0; i < npairs; i++) {
		struct measure m = { .name = pairs[i].name, .clock = pairs[i].clock };

		if ((st = ops->measure(sink->ctx, r->rows[pairs[i].from].key,
		                       r->rows[pairs[i].to].key, &m, err)) != STATUS_OK)
			return st;
	}
	return ops->end(sink->ctx, err);
}

enum status
csv_import_stream(FILE *f, const char *where, const char *name, struct sink *sink,
                  struct err *err)
{
	struct reader r = { .where = where ? where : "CSV", .err = err, .sink = sink };
	struct key_ref *keys = NULL;
	struct lane_info *lanes = NULL;
	struct mpair *pairs = NULL;
	struct step *steps = NULL;
	struct dist arrival;
	size_t nlanes = 0, npairs = 0, i, nsteps = 0;
	bool has_arrival = false;
	char *own_name = NULL;

	if (read_rows(&r, f) != STATUS_OK || split_lane_rows(&r) != STATUS_OK)
		goto out;
	if (order_rows(&r, &keys) != STATUS_OK || collect_lanes(&r, &lanes, &nlanes) != STATUS_OK)
		goto out;
	if (!(steps = calloc(r.nrows ? r.nrows : 1, sizeof *steps))) {
		nomem(&r);
		goto out;
	}
	for (i = 0; i < r.nrows; i++) {
		step_init(&steps[i]);
		nsteps++;
		if (row_step(&r, &r.rows[i], &steps[i]) != STATUS_OK)
			goto out;
	}
	for (i = 0; i < r.nrows; i++)
		if (emit_next(&r, &r.rows[i], keys, NULL) != STATUS_OK)
			goto out;
	if (pair_measures(&r, &pairs, &npairs) != STATUS_OK ||
	    find_arrival(&r, &arrival, &has_arrival) != STATUS_OK)
		goto out;
	if (r.nrows == 0)
		warn_at(&r, 0, "no steps: the file has a header and nothing else");
	if (!name || !*name) {
		if (!(own_name = name_from_path(r.where))) {
			nomem(&r);
			goto out;
		}
		name = own_name;
	}
	r.st = emit(&r, sink, name, steps, lanes, nlanes, keys, pairs, npairs,
	            has_arrival ? &arrival : NULL);
out:
	for (i = 0; i < nsteps; i++)
		step_done(&steps[i]);
	free(steps);
	free(own_name);
	mpairs_free(pairs, npairs);
	free(lanes);
	free(keys);
	rows_free(&r);
	return r.st;
}

enum status
csv_import_file(const char *path, const char *name, struct sink *sink, struct err *err)
{
	struct err e = { 0 };
	int fd = file_open_read(path, NULL, NULL, &e);
	FILE *f;
	enum status st;

	if (fd < 0)
		return err_set(err, e.code, "%s", e.msg);
	if (!(f = fdopen(fd, "rb"))) {
		close(fd);
		return err_set(err, STATUS_NOMEM, "%s: out of memory", path);
	}
	st = csv_import_stream(f, path, name, sink, err);
	fclose(f);
	return st;
}
