/*
 * evlog_csv.c - the CSV event-log reader: one row per event, a header that
 * names the columns (evlog.h lists the names it knows), parsed by libcsv in
 * chunks, each row into the event table (evlog_int.h), then the map.
 *
 * The delimiter (comma, semicolon or tab) is the one the header line holds
 * most of, outside quotes; a UTF-8 byte-order mark is skipped. Lines are
 * counted as rows go (a quoted cell's line breaks included), so a message
 * names the line a row starts on. Owns its buffers; nothing survives a read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "model/file.h"
#include "import/evlog_int.h"

#define CHUNK (256 * 1024)
#define CELL_MAX (1u << 20)
#define CELLS_MAX 4096
#define HEADER_MAX 65536

struct crd {
	struct evlog el;
	int col[EVK_COUNT_];         /* the column of each key, or -1 */
	char **cells;                /* this row's cells (NUL-terminated copies) */
	size_t *cell_cap;
	size_t ncells;
	bool used[CELLS_MAX];        /* the columns mapped to a key (after the header) */
	unsigned line, row_line;     /* the line being read; where the row began */
	bool header_done, stop;
	enum status st;
	struct err *err;
};


/* path as a FILE when it is a regular file: a FIFO or a device is refused,
 * never waited on. NULL with err set otherwise. */
static FILE *
open_log(const char *path, struct err *err)
{
	int fd = file_open_read(path, NULL, NULL, err);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (!(f = fdopen(fd, "rb"))) {
		close(fd);
		err_set(err, STATUS_NOMEM, "%s: out of memory", path);
	}
	return f;
}
static int
is_space(unsigned char c)
{
	return c == ' ';
}

/* The delimiter the header line holds most of, outside quotes. */
static char
guess_delim(const char *line, size_t n)
{
	size_t comma = 0, semi = 0, tab = 0, i;
	bool q = false;

	for (i = 0; i < n && line[i] != '\n'; i++) {
		if (line[i] == '"')
			q = !q;
		else if (!q)
			comma += line[i] == ',', semi += line[i] == ';', tab += line[i] == '\t';
	}
	if (tab > comma && tab >= semi)
		return '\t';
	if (semi > comma)
		return ';';
	return ',';
}

/* The column of each key from the header cells: the best-ranked name. */
static void
map_columns(const struct evlog_options *opt, char *const *cells, size_t n, int *col)
{
	unsigned best[EVK_COUNT_];
	size_t i;
	int k;

	for (k = 0; k < EVK_COUNT_; k++) {
		col[k] = -1;
		best[k] = 1000;
	}
	for (i = 0; i < n; i++)
		for (k = 0; k < EVK_COUNT_; k++) {
			unsigned r = evlog_key_rank(opt, (enum evkey)k, cells[i]);

			if (r < best[k]) {
				best[k] = r;
				col[k] = (int)i;
			}
		}
	/* a column is one key: the time column wins over a start of the same name */
	if (col[EVK_START] >= 0 && col[EVK_START] == col[EVK_TIME])
		col[EVK_START] = -1;
	if (col[EVK_TIME] < 0 && col[EVK_START] >= 0) {
		col[EVK_TIME] = col[EVK_START];   /* one time a row: its time */
		col[EVK_START] = -1;
	}
}

/* The line breaks in p[0..n), eight bytes at a time: a byte of w ^ "\n\n.."
 * is zero where p has one, ~(((x & 0x7f..) + 0x7f..) | x | 0x7f..) sets
 * the high bit of exactly the zero bytes of x (no carry crosses bytes),
 * and multiplying those bits, shifted to the low bit, by 0x0101.. adds
 * them up in the top byte. memchr's call costs more on cells this short. */
static unsigned
count_lines(const char *p, size_t n)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fu, nl = 0x0a0a0a0a0a0a0a0au;
	unsigned c = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, sizeof w);
		w ^= nl;
		c += (unsigned)(((~(((w & lo7) + lo7) | w | lo7) >> 7) * 0x0101010101010101u) >> 56);
	}
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

static void
cell_cb(void *s, size_t len, void *ctx)
{
	struct crd *r = ctx;

	if (r->stop)
		return;
	if (s)    /* line breaks inside quoted cells */
		r->line += count_lines(s, len);
	if (r->ncells >= CELLS_MAX || len > CELL_MAX) {
		r->stop = true;
		r->st = err_set(r->err, STATUS_INPUT, "%s:%u: %s: refused", r->el.file, r->row_line,
		                len > CELL_MAX ? "a cell over 1 MiB" : "a row of over 4096 cells");
		return;
	}
	/* a column no key reads: only whether it is empty (blank rows) */
	if (r->header_done && !r->used[r->ncells] && len) {
		static char mark[] = "x";

		s = mark;
		len = 1;
	}
	if (len + 1 > r->cell_cap[r->ncells]) {
		char *c = realloc(r->cells[r->ncells], len + 1);

		if (!c) {
			r->stop = true;
			r->st = err_set(r->err, STATUS_NOMEM, "out of memory");
			return;
		}
		r->cells[r->ncells] = c;
		r->cell_cap[r->ncells] = len + 1;
	}
	if (len)
		memcpy(r->cells[r->ncells], s, len);
	r->cells[r->ncells][len] = '\0';
	r->ncells++;
}

static const char *
cell(const struct crd *r, enum evkey k)
{
	int c = r->col[k];

	return c >= 0 && (size_t)c < r->ncells ? r->cells[c] : NULL;
}

static void
row_cb(int term, void *ctx)
{
	struct crd *r = ctx;
	struct ev_raw raw;
	size_t i;
	bool blank = true;

	(void)term;
	if (r->stop)
		return;
	for (i = 0; i < r->ncells && blank; i++)
		blank = !r->cells[i][0];
	if (!r->header_done) {
		r->header_done = true;
		map_columns(r->el.opt, r->cells, r->ncells, r->col);
		for (i = 0; i < EVK_COUNT_; i++)
			if (r->col[i] >= 0 && r->col[i] < CELLS_MAX)
				r->used[r->col[i]] = true;
		if (r->col[EVK_CASE] < 0 || r->col[EVK_ACT] < 0 || r->col[EVK_TIME] < 0) {
			r->stop = true;
			r->st = err_set(r->err, STATUS_INPUT, "%s:1: not an event log: no %s column "
			                "(the header names none of %s; name it with %s)", r->el.file,
			                r->col[EVK_CASE] < 0 ? "case" : r->col[EVK_ACT] < 0
			                ? "activity" : "timestamp",
			                r->col[EVK_CASE] < 0 ? "case:concept:name, case_id, case"
			                : r->col[EVK_ACT] < 0 ? "concept:name, activity"
			                : "time:timestamp, timestamp, start_time, end_time, complete",
			                r->col[EVK_CASE] < 0 ? "--case" : r->col[EVK_ACT] < 0
			                ? "--activity" : "--timestamp");
		}
	} else if (!blank) {
		raw.cs = cell(r, EVK_CASE);
		raw.act = cell(r, EVK_ACT);
		raw.time = cell(r, EVK_TIME);
		raw.start = cell(r, EVK_START);
		raw.life = cell(r, EVK_LIFE);
		raw.inst = cell(r, EVK_INST);
		raw.res = cell(r, EVK_RES);
		raw.role = cell(r, EVK_ROLE);
		raw.group = cell(r, EVK_GROUP);
		raw.line = r->row_line;
		if (evlog_add(&r->el, &raw) != STATUS_OK) {
			r->stop = true;
			r->st = err_set(r->err, STATUS_NOMEM, "%s: out of memory", r->el.file);
		}
	}
	r->ncells = 0;
	r->line++;
	r->row_line = r->line;
}

static void
crd_free(struct crd *r)
{
	size_t i;

	if (r->cells)
		for (i = 0; i < CELLS_MAX; i++)
			free(r->cells[i]);
	free(r->cells);
	free(r->cell_cap);
}

enum status
evlog_csv_read(const char *path, const struct evlog_options *opt, struct sink *sink,
               struct err *err)
{
	struct crd r;
	struct csv_parser p;
	FILE *f;
	char *buf = NULL;
	size_t n;
	bool first = true;
	size_t skip = 0;
	enum status st = STATUS_OK;

	memset(&r, 0, sizeof r);
	evlog_init(&r.el, path, opt, sink);
	r.err = err;
	r.line = r.row_line = 1;
	if (!(f = open_log(path, err)))
		return err->code;
	r.cells = calloc(CELLS_MAX, sizeof *r.cells);
	r.cell_cap = calloc(CELLS_MAX, sizeof *r.cell_cap);
	buf = malloc(CHUNK);
	if (!r.cells || !r.cell_cap || !buf || csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
		fclose(f);
		free(buf);
		crd_free(&r);
		return err_set(err, STATUS_NOMEM, "out of memory");
	}
	while (!r.stop && (n = fread(buf, 1, CHUNK, f)) > 0) {
		if (memchr(buf, '\0', n)) {
			st = err_set(err, STATUS_INPUT, "%s: a NUL byte: not a text file", path);
			break;
		}
		skip = 0;
		if (first) {
			skip = n >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0;
			csv_set_delim(&p, guess_delim(buf + skip, n - skip));
			/* libcsv trims blanks around cells: not tabs in a file they
			 * separate */
			if (guess_delim(buf + skip, n - skip) == '\t')
				csv_set_space_func(&p, is_space);
			first = false;
		}
		if (csv_parse(&p, buf + skip, n - skip, cell_cb, row_cb, &r) != n - skip && !r.stop)
			st = err_set(err, STATUS_INPUT, "%s:%u: %s", path, r.row_line,
			             csv_error(&p) == CSV_EPARSE ? "a quote inside an unquoted cell, "
			             "or text after a closing quote" : csv_strerror(csv_error(&p)));
		if (st != STATUS_OK)
			break;
	}
	if (st == STATUS_OK && ferror(f))
		st = err_set(err, STATUS_IO, "%s: cannot read: %s", path, strerror(errno));
	if (st == STATUS_OK && !r.stop && csv_fini(&p, cell_cb, row_cb, &r) != 0)
		st = err_set(err, STATUS_INPUT, "%s:%u: the file ends inside a quoted cell", path,
		             r.row_line);
	if (st == STATUS_OK && r.stop)
		st = r.st;
	if (st == STATUS_OK && !r.header_done)
		st = err_set(err, STATUS_INPUT, "%s: empty: no header row", path);
	csv_free(&p);
	fclose(f);
	free(buf);
	crd_free(&r);
	if (st == STATUS_OK)
		st = evlog_build(&r.el, err);
	evlog_done(&r.el);
	if (st == STATUS_OK && sink->ops->end)
		st = sink->ops->end(sink->ctx, err);
	return st;
}

bool
evlog_csv_sniff(const char *path, const struct evlog_options *opt)
{
	char line[HEADER_MAX], *cells[CELLS_MAX / 16], *p, *q;
	size_t n = 0, len;
	int col[EVK_COUNT_];
	char delim;
	struct err e = { 0 };
	FILE *f = open_log(path, &e);

	if (!f)
		return false;
	len = fread(line, 1, sizeof line - 1, f);
	fclose(f);
	line[len] = '\0';
	p = !strncmp(line, "\xef\xbb\xbf", 3) ? line + 3 : line;
	if ((q = strpbrk(p, "\r\n")))
		*q = '\0';
	delim = guess_delim(p, strlen(p));
	while (n < sizeof cells / sizeof cells[0]) {
		char *end = strchr(p, delim);

		if (end)
			*end = '\0';
		while (*p == ' ' || *p == '"')
			p++;
		for (q = p + strlen(p); q > p && (q[-1] == ' ' || q[-1] == '"'); q--)
			q[-1] = '\0';
		cells[n++] = p;
		if (!end)
			break;
		p = end + 1;
	}
	map_columns(opt, cells, n, col);
	return col[EVK_CASE] >= 0 && col[EVK_ACT] >= 0 && col[EVK_TIME] >= 0;
}
