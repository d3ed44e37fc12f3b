/*
 * store_int.h - private to store/: the store's state, the object descriptors
 * that drive both the SQL rows and the journal text, and the helpers the
 * store's files share.
 *
 *   store.c    open (checks before SQLite sees a file), close, errors,
 *              load, save, check, salvage
 *   changes.c  the change log: store_do/undo/redo, catching up with other
 *              sessions, undo per author
 *   schema.c   the schema of each version and the migrations between them
 *   rows.c     object descriptors; writing rows for an edit; load and save
 *   journal.c  the text form of an edit (serialize and parse)
 *
 * Only store/ includes sqlite3.h.
 */
#ifndef STEPMAP_STORE_INT_H
#define STEPMAP_STORE_INT_H

#include <locale.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* PRAGMA application_id of every workbook: "SMAP". */
#define STORE_APPLICATION_ID 0x534d4150
/* The schema this stepmap writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 9
/* The version that made the undo journal the change log (changes_index). */
#define STORE_VERSION_CHANGES 8
/* The change log keeps this author's and everyone's last this many edits
 * (and the undos and redos since the oldest of them); older are dropped. */
#define STORE_JOURNAL_MAX 10000
/* Default busy timeout in milliseconds. */
#define STORE_BUSY_MS 5000

/* --- object descriptors ------------------------------------------------- */

/* The kinds of object a row or a journal line holds. */
enum obj_kind { OBJ_PROCESS, OBJ_LANE, OBJ_STEP, OBJ_FLOW, OBJ_MEASURE, OBJ_SCENARIO,
                OBJ_CUT, OBJ_COUNT_ };

enum fld_type {
	FT_ID,          /* sm_id, never 0 */
	FT_REF,         /* sm_id, 0 = none (NULL in SQL) */
	FT_DBL,         /* double */
	FT_INT,         /* int */
	FT_STR,         /* char *, NULL = none */
	FT_NAME,        /* char *, never NULL */
	FT_DIST,        /* struct dist, as its canonical text */
	FT_STEP_TYPE,   /* enum step_type, as its keyword */
	FT_STAGE,       /* enum stage */
	FT_VALUE,       /* enum value_class */
	FT_CLOCK,       /* enum clock */
	FT_EVENT,       /* enum event_def, "" = none */
	FT_FLOW_KIND,   /* enum flow_kind, "" = sequence */
	FT_CUT_KIND,    /* enum cut_kind */
	FT_TIME_UNIT,   /* enum time_unit */
	FT_BOOL,        /* bool */
	FT_EMOTION      /* int, EMOTION_NONE = NULL */
};

struct fld {
	const char *name;            /* column name and journal key */
	enum fld_type type;
	size_t off;                  /* offset in the object */
	double def;                  /* FT_DBL / FT_INT default when absent */
};

struct obj_desc {
	const char *tag;             /* journal tag: "step" */
	const char *table;           /* SQL table: "steps" */
	const char *parent;          /* parent column ("process", "scenario"), or NULL */
	size_t size;                 /* sizeof the object */
	const struct fld *flds;      /* flds[0] is the id */
	size_t nflds;
};

extern const struct obj_desc obj_descs[OBJ_COUNT_];

/* The object kind of an edit kind (GROUP: -1) and whether it adds, deletes
 * or sets. */
enum edit_op { OP_ADD, OP_DEL, OP_SET, OP_GROUP };
int edit_obj_kind(enum edit_kind k);
enum edit_op edit_op_of(enum edit_kind k);
const char *edit_kind_keyword(enum edit_kind k);
int edit_kind_from_keyword(const char *s);

/* A new object of kind k with every field at its default (strings owned,
 * names ""). NULL when out of memory. */
void *obj_new(enum obj_kind k);
/* The object's numbers against the bounds (model/bounds.h): STATUS_INPUT
 * naming the field. */
enum status obj_check(enum obj_kind k, const void *o, struct err *err);
/* Free an object made by obj_new() or the model (strings, cuts, itself). */
void obj_free(enum obj_kind k, void *obj);
/* Set field f of obj from its text (NULL: SQL NULL / absent from the
 * journal). On error obj keeps its old value and err names the field
 * (STATUS_CORRUPT). */
enum status fld_set_text(const struct fld *f, void *obj, const char *text, struct err *err);

/* --- the store ---------------------------------------------------------- */

enum stmt_id {
	ST_INSERT_ = 0,              /* + obj kind */
	ST_UPDATE_ = OBJ_COUNT_,     /* + obj kind */
	ST_DELETE_ = 2 * OBJ_COUNT_, /* + obj kind */
	ST_META_GET = 3 * OBJ_COUNT_,
	ST_META_SET,
	ST_DATA_VERSION,
	ST_CHANGE_ADD,
	ST_CHANGE_OBJ_ADD,
	ST_CHANGES_SINCE,
	ST_CHANGE_LAST,
	ST_CHANGE_UNDO_PICK,
	ST_CHANGE_REDO_PICK,
	ST_CHANGE_SET_UNDONE,
	ST_CHANGE_DROP_REDO,
	ST_CHANGE_OTHERS_SINCE,
	ST_CHANGE_OLDEST_KEPT,
	ST_CHANGE_TRIM,
	ST_CHANGE_TRIM_OBJECTS,
	ST_CHANGE_LAST_BY,
	ST_COUNT_
};

/* Reading a damaged workbook (store_salvage): what was left out. */
struct salvage {
	size_t skipped[OBJ_COUNT_];  /* rows that could not be read or did not fit */
	bool cut_short[OBJ_COUNT_];  /* the table could not be read to its end */
	size_t kept[OBJ_COUNT_];
};

struct store {
	sqlite3 *db;
	struct salvage *salvage;     /* set: load skips what fails instead of stopping */
	char *path;                  /* as given; ":memory:" for memory */
	bool memory;                 /* no file */
	bool readonly;               /* opened STORE_READONLY, or could not be written */
	char *ro_reason;             /* why it could not be opened for writing, or NULL */
	char *damage;                /* what the quick check at open found, or NULL */
	int busy_ms;
	int64_t generation;          /* meta generation the caller's model reflects */
	int64_t seen;                /* the last change row the model reflects */
	int64_t data_version;        /* PRAGMA data_version when we last looked */
	sm_id id_base;               /* the model's next id at its last sync: ids at
	                              * or above it the caller took since */
	sm_id shift_base, shift;     /* the last write moved ids >= shift_base by shift */
	bool reloaded;               /* the last catch-up loaded everything again */
	char *author;                /* who this session's changes are by */
	sqlite3_stmt *stmt[ST_COUNT_];
	char *label;                 /* label of the last undone/redone edit */
	locale_t c_locale;           /* "C" numbers for SQL text and the journal */
};

/* The prepared statement id (prepared once, kept). NULL on error (err set). */
sqlite3_stmt *store_stmt(struct store *s, enum stmt_id id, struct err *err);

/* Map the connection's last SQLite error rc to a status and a message that
 * names the file; what says what was being done ("load", "save"). */
enum status store_sql_err(struct store *s, int rc, const char *what, struct err *err);

/* Run SQL text with no results. */
enum status store_exec(struct store *s, const char *sql, struct err *err);

/* Meta values (integers). get: *v unchanged when the key is absent. */
enum status store_meta_get(struct store *s, const char *key, int64_t *v, struct err *err);
enum status store_meta_set(struct store *s, const char *key, int64_t v, struct err *err);

/* Write the rows that edit e changes (e already applied to the model w). */
enum status rows_write_edit(struct store *s, const struct workbook *w,
                            const struct edit *e, struct err *err);
/* Insert one object (and, for a scenario, its cuts). */
enum status rows_insert(struct store *s, enum obj_kind k, sm_id parent, const void *obj,
                        struct err *err);
/* Read every row into a new workbook / replace every row with w's. Both run
 * inside the caller's transaction. */
enum status rows_load(struct store *s, struct workbook **out, struct err *err);
enum status rows_save(struct store *s, const struct workbook *w, struct err *err);

/* --- the logs table (logrows.c) ----------------------------------------- */

/* Write p's log summary (none: nothing written), replacing any. */
enum status logrows_save(struct store *s, const struct process *p, struct err *err);
/* Attach every stored summary to its process in w (missing_only: to the
 * processes that have none, as after an undo or redo brought one back).
 * Rows of processes not in w are left alone: they outlive their process
 * for undo (schema version 5). */
enum status logrows_load(struct store *s, struct workbook *w, bool missing_only,
                         struct err *err);

/* --- schema (schema.c) -------------------------------------------------- */

/* Create the current schema in an empty database (inside a transaction). */
enum status schema_create(struct store *s, struct err *err);
/* Bring the schema from version `from` to the current one, in one
 * transaction with foreign keys off during the change. */
enum status schema_migrate(struct store *s, int from, struct err *err);
/* Check that the tables and columns the store uses are there (a workbook
 * another tool emptied or damaged is refused before anything reads it). */
enum status schema_check(struct store *s, struct err *err);

/* --- the change log (changes.c) ------------------------------------------- */

/* Numbers in SQL text and the journal are written in the C locale whatever
 * the program's locale; each public entry point switches for its duration. */
#define LOCALE_C(s) uselocale((s)->c_locale)
#define LOCALE_BACK(old) uselocale(old)

/* List the objects of every change row (the upgrade from version 4). */
enum status changes_index(struct store *s, struct err *err);
/* The id of the last change row into *id (unchanged when there is none). */
enum status changes_last(struct store *s, int64_t *id, struct err *err);
/* The model w (NULL: none yet) is in step with the file: note SQLite's data
 * version and the next id. */
enum status changes_synced(struct store *s, const struct workbook *w, struct err *err);
/* Commit after bumping the generation; on failure everything is rolled back. */
enum status store_commit_write(struct store *s, struct err *err);

/* --- journal text (journal.c) ------------------------------------------- */

/* One object's text (as a journal line; a scenario's cuts only with cuts),
 * malloc'd in *out: two objects are the same when their texts are. */
enum status journal_obj_text(enum obj_kind k, const void *o, bool cuts, char **out);

/* The text form of e (malloc'd, NUL-terminated) in *out; the numbers are
 * written in the C locale. */
enum status journal_format(const struct edit *e, char **out, size_t *len);
/* Parse text into a new edit; on error *out is NULL and err says what is
 * wrong (STATUS_CORRUPT). */
enum status journal_parse(const char *text, struct edit **out, struct err *err);

/* Numbers as text, exactly, in the C locale: shortest %.Ng that reads back. */
void num_format(double v, char *buf, size_t size);
/* Parse a whole number; false when text is not one. */
bool num_parse(const char *text, double *v);

/* True when the workbook's table has the column (false when the table is
 * missing, or it cannot be told). For reading a salvaged workbook of an
 * older version as it is. */
bool store_has_column(struct store *s, const char *table, const char *column);

#endif
