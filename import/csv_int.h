/*
 * csv_int.h - private to the CSV reader (import/csv*.c): its columns, the
 * rows and the reader state the two passes share, and the helpers they call
 * across files.
 *
 *   csv.c        messages, small text helpers, the driver (csv_import_*)
 *   csv_cells.c  pass one: bytes to cells to rows (libcsv, line numbers)
 *   csv_rows.c   pass two: the rows as a process (keys, lanes, steps,
 *                flows, measures)
 */
#ifndef STEPMAP_CSV_INT_H
#define STEPMAP_CSV_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "import/csv.h"

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
	_(ARRIVAL,  "arrival") \
	_(TIME_UNIT, "time_unit") \
	_(GENERATED, "generated")

enum column {
#define COLUMN_FIELD_(name, kw) COL_##name,
	STEP_FIELD_INFO(COLUMN_FIELD_)
#undef COLUMN_FIELD_
#define COLUMN_EXTRA_(name, h) COL_##name,
	CSV_EXTRA_COLUMN_INFO(COLUMN_EXTRA_)
#undef COLUMN_EXTRA_
	COL_COUNT_
};

/* The header name of each column. */
extern const char *const csv_column_names[COL_COUNT_];

/* The step field a column sets, or -1 (the lane is resolved by the sink). */
static inline int
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
	struct step step;            /* its step, checked as the row was read */
	bool has_step;               /* a step row (not a lane row): step is set */
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

/* Sorted index of keys, for duplicates and look-ups. */
struct key_ref {
	const char *key;
	size_t row;
};

/* One lane of the file. */
struct lane_info {
	const char *name;            /* in a row's cell */
	size_t first;                /* the first row that names it */
	int stage, capacity;         /* -1 = not given */
	size_t stage_line, capacity_line;
};

/* A measure paired from its start and its end. */
struct mpair {
	char *name;
	size_t from, to;             /* rows */
	size_t seq;                  /* the order its start was met */
	enum clock clock;
};

/* --- csv.c: messages and text helpers ------------------------------------ */

/* Record "WHERE:LINE: message" as the read's error (the first one wins);
 * returns it. line 0: the file as a whole. */
enum status csv_fail_at(struct reader *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum status csv_nomem(struct reader *r);
/* A warning "WHERE:LINE: message" to the sink. */
void csv_warn_at(struct reader *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* s quoted for a message, cut when long (into buf). */
const char *csv_shown(const char *s, char *buf, size_t size);
/* s without leading and trailing blanks (in place). */
char *csv_trim(char *s);
bool csv_blank(const char *s);

/* --- csv_cells.c: pass one ------------------------------------------------- */

/* Clear the record being read. */
void csv_record_reset(struct reader *r);
/* Read the whole stream into r's rows: each step row's step fields are
 * checked and turned into its step as the row is read (the first bad cell
 * stops the read at its line), and their cells freed. */
enum status csv_read_rows(struct reader *r, FILE *f);

/* --- csv_rows.c: pass two -------------------------------------------------- */

enum status csv_order_rows(struct reader *r, struct key_ref **out);
enum status csv_collect_lanes(struct reader *r, struct lane_info **out, size_t *nout);
/* A cell's error from step_set_field() as "FILE:LINE: column 'work': ...". */
enum status csv_cell_error(struct reader *r, const struct row *row, enum column c,
                           enum status st);
enum status csv_row_step(struct reader *r, const struct row *row, struct step *s);
enum status csv_emit_next(struct reader *r, const struct row *row, const struct key_ref *keys,
                          struct sink *sink);
enum status csv_pair_measures(struct reader *r, struct mpair **out, size_t *nout);
void csv_mpairs_free(struct mpair *v, size_t n);

#endif
