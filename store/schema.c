/*
 * schema.c - the tables of a workbook, version by version, and the
 * migrations from every older version to the current one.
 *
 * PRAGMA user_version is the schema version; PRAGMA application_id marks the
 * file as a stepmap workbook. A workbook of an older version is upgraded when
 * it is opened for writing, in one transaction (foreign keys off while tables
 * are rebuilt, checked before the commit); one opened read-only is upgraded
 * in a private copy in memory and the file is left as it is.
 *
 * Version history:
 *   1  processes (no arrival), lanes, steps with work_s / wait_s in seconds
 *      (fixed times only, NULL = not given), flows, measures; no scenarios,
 *      no undo journal.
 *   2  durations as their canonical text (any distribution), a process's
 *      arrival pattern, scenarios and cuts, the undo journal.
 *   3  (issue 11) explicit flows, event definitions, boundary events, call
 *      activities, default flows, the ids read from BPMN.
 *   4  (issue 13) logs: what the event log a process was made from says
 *      (counts, top variants, observed case durations), one row per process.
 *   5  (issue 11) the diagram (BPMN DI) of processes, lanes, steps and flows
 *      read from BPMN, kept for export.
 *   6  (issue 10) steps.generated: a gateway the program made, not
 *      counted as a step.
 *   7  (issue 9) processes.time_unit: the unit the process's times are shown
 *      in ('auto', 's', 'min', 'h', 'd').
 *   8  (issue 15) the change log with authors (changes, change_objects)
 *      replaces the undo journal and its cursor: live sharing of one
 *      workbook between sessions, undo per author.
 *   9  (issue 13) logs without a foreign key: a row stays when its process
 *      is deleted, so undoing the delete (or redoing an undone import)
 *      brings the process back with its log's figures.
 *
 * Columns are named as the fields of the model (rows.c lists them); ids are
 * the model's ids; step order is the REAL `key`, indexed with its process.
 * Every foreign key is DEFERRABLE INITIALLY DEFERRED so a group of edits may
 * delete in any order; ON DELETE CASCADE where the model deletes contents
 * with their owner.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define FK_(table, action) " REFERENCES " table "(id) ON DELETE " action \
	" DEFERRABLE INITIALLY DEFERRED"

/* The steps' columns that versions 3 and 5 add (issue 11): in the current schema;
 * the migration from version 1 makes the table of version 2 without them. */
#define STEPS_V3_COLUMNS \
	",\n  event TEXT NOT NULL DEFAULT ''" \
	",\n  non_interrupting INTEGER NOT NULL DEFAULT 0" \
	",\n  called TEXT" \
	",\n  source_id TEXT" \
	",\n  di TEXT"

/* The steps' column that version 6 adds (issue 10): a step the program made
 * (a parallel cut's or block's split and join), not counted as a step. */
#define STEPS_V6_COLUMNS \
	",\n  generated INTEGER NOT NULL DEFAULT 0"

#define STEPS_V2(name) STEPS_TABLE_(name, "")
#define STEPS_CURRENT(name) STEPS_TABLE_(name, STEPS_V3_COLUMNS STEPS_V6_COLUMNS)
#define STEPS_TABLE_(name, extra) \
	"CREATE TABLE " name "(\n" \
	"  id INTEGER PRIMARY KEY,\n" \
	"  process INTEGER NOT NULL" FK_("processes", "CASCADE") ",\n" \
	"  key REAL NOT NULL,\n" \
	"  lane INTEGER" FK_("lanes", "SET NULL") ",\n" \
	"  name TEXT NOT NULL DEFAULT '',\n" \
	"  type TEXT NOT NULL DEFAULT 'task',\n" \
	"  work TEXT NOT NULL DEFAULT '',\n" \
	"  wait TEXT NOT NULL DEFAULT '',\n" \
	"  value TEXT NOT NULL DEFAULT '',\n" \
	"  error_rate REAL DEFAULT 0,\n" \
	"  cost REAL DEFAULT 0,\n" \
	"  channel TEXT,\n" \
	"  emotion INTEGER,\n" \
	"  note TEXT,\n" \
	"  pain INTEGER NOT NULL DEFAULT 0" \
	extra \
	"\n);\n"

#define STEPS_INDEXES \
	"CREATE INDEX steps_order ON steps(process, key);\n" \
	"CREATE INDEX steps_lane ON steps(lane);\n"

#define SCENARIOS_V2 \
	"CREATE TABLE scenarios(\n" \
	"  id INTEGER PRIMARY KEY,\n" \
	"  process INTEGER NOT NULL" FK_("processes", "CASCADE") ",\n" \
	"  name TEXT NOT NULL DEFAULT ''\n" \
	");\n" \
	"CREATE INDEX scenarios_process ON scenarios(process);\n" \
	"CREATE TABLE cuts(\n" \
	"  id INTEGER PRIMARY KEY,\n" \
	"  scenario INTEGER NOT NULL" FK_("scenarios", "CASCADE") ",\n" \
	"  key REAL NOT NULL,\n" \
	"  kind TEXT NOT NULL,\n" \
	"  step INTEGER,\n" \
	"  step2 INTEGER,\n" \
	"  lane INTEGER,\n" \
	"  time_factor REAL DEFAULT 1,\n" \
	"  error_factor REAL DEFAULT 1,\n" \
	"  capacity INTEGER NOT NULL DEFAULT 0,\n" \
	"  field TEXT,\n" \
	"  value TEXT\n" \
	");\n" \
	"CREATE INDEX cuts_scenario ON cuts(scenario, key);\n"

/* Version 2's undo journal: the text of each edit (journal.c); meta 'undo_at'
 * is the seq of the last edit done. Version 5 replaces it with changes. */
#define JOURNAL_V2 \
	"CREATE TABLE journal(\n" \
	"  seq INTEGER PRIMARY KEY,\n" \
	"  edit TEXT NOT NULL\n" \
	");\n"

/* Version 5 (issue 15, live sharing): the change log, with authors. One row
 * per committed change to the workbook: an edit, or the undo or redo of one
 * (kind), by whom and when; edit is the journal text of what was applied
 * (an undo's row holds the inverse). gen is the workbook's generation after
 * the change, so a session can tell it has every row since its own.
 * undone: an edit that was undone (1: its author can redo it; 2: not any
 * more, its author edited since). change_objects lists the ids of the
 * objects each change touched, for per-author undo ("changed since by
 * another?") and "last changed by". */
#define CHANGES_V8 \
	"CREATE TABLE changes(\n" \
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n" \
	"  author TEXT NOT NULL DEFAULT '',\n" \
	"  time INTEGER NOT NULL DEFAULT 0,\n" \
	"  kind TEXT NOT NULL DEFAULT 'edit',\n" \
	"  target INTEGER,\n" \
	"  label TEXT,\n" \
	"  undone INTEGER NOT NULL DEFAULT 0,\n" \
	"  gen INTEGER NOT NULL DEFAULT 0,\n" \
	"  edit TEXT NOT NULL\n" \
	");\n" \
	"CREATE INDEX changes_author ON changes(author, kind, undone);\n" \
	"CREATE INDEX changes_kind ON changes(kind, id);\n" \
	"CREATE TABLE change_objects(\n" \
	"  obj INTEGER NOT NULL,\n" \
	"  change INTEGER NOT NULL,\n" \
	"  PRIMARY KEY(obj, change)\n" \
	") WITHOUT ROWID;\n" \
	"CREATE INDEX change_objects_change ON change_objects(change);\n"

/* Version 4 (issue 13): the summary of the event log a process was made from
 * (model/logsum.h). durations: each case's duration in seconds, ascending,
 * as text separated by spaces; top_variants: one line per variant, "COUNT"
 * then each activity after a tab. */
#define LOGS_V4 LOGS_TABLE_("logs", FK_("processes", "CASCADE"))
/* Version 5 (issue 13): the same without the foreign key. A process's row
 * outlives the process, as the undo journal does: an undone import or a
 * deleted process comes back by redo or undo with the same id, and its
 * log's figures are read again (logrows_load). store_save clears them all. */
#define LOGS_V9(name) LOGS_TABLE_(name, "")
#define LOGS_TABLE_(name, fk) \
	"CREATE TABLE " name "(\n" \
	"  process INTEGER PRIMARY KEY" fk ",\n" \
	"  cases INTEGER NOT NULL DEFAULT 0,\n" \
	"  events INTEGER NOT NULL DEFAULT 0,\n" \
	"  activities INTEGER NOT NULL DEFAULT 0,\n" \
	"  resources INTEGER NOT NULL DEFAULT 0,\n" \
	"  variants INTEGER NOT NULL DEFAULT 0,\n" \
	"  top_variant_cases INTEGER NOT NULL DEFAULT 0,\n" \
	"  dfg_edges INTEGER NOT NULL DEFAULT 0,\n" \
	"  events_on_map INTEGER NOT NULL DEFAULT 0,\n" \
	"  split INTEGER NOT NULL DEFAULT 0,\n" \
	"  durations TEXT NOT NULL DEFAULT '',\n" \
	"  top_variants TEXT NOT NULL DEFAULT ''\n" \
	");\n"

/* The current schema (version 5). Cuts name steps and lanes without a
 * foreign key: a cut whose step is gone stays, and shows as stale. */
static const char schema_current[] =
	"CREATE TABLE meta(\n"
	"  key TEXT PRIMARY KEY,\n"
	"  value\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE processes(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  key REAL NOT NULL,\n"
	"  name TEXT NOT NULL DEFAULT '',\n"
	"  description TEXT,\n"
	"  arrival TEXT NOT NULL DEFAULT '',\n"
	"  flows_explicit INTEGER NOT NULL DEFAULT 0,\n"
	"  di TEXT,\n"
	"  time_unit TEXT NOT NULL DEFAULT 'auto'\n"
	");\n"
	"CREATE TABLE lanes(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  process INTEGER NOT NULL" FK_("processes", "CASCADE") ",\n"
	"  key REAL NOT NULL,\n"
	"  name TEXT NOT NULL DEFAULT '',\n"
	"  stage TEXT NOT NULL DEFAULT 'offstage',\n"
	"  capacity INTEGER NOT NULL DEFAULT 0,\n"
	"  source_id TEXT,\n"
	"  di TEXT\n"
	");\n"
	"CREATE INDEX lanes_process ON lanes(process, key);\n"
	STEPS_CURRENT("steps")
	STEPS_INDEXES
	"CREATE TABLE flows(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  process INTEGER NOT NULL" FK_("processes", "CASCADE") ",\n"
	"  \"from\" INTEGER NOT NULL" FK_("steps", "CASCADE") ",\n"
	"  \"to\" INTEGER NOT NULL" FK_("steps", "CASCADE") ",\n"
	"  label TEXT,\n"
	"  condition TEXT,\n"
	"  prob REAL DEFAULT -1,\n"
	"  kind TEXT NOT NULL DEFAULT '',\n"
	"  is_default INTEGER NOT NULL DEFAULT 0,\n"
	"  source_id TEXT,\n"
	"  di TEXT\n"
	");\n"
	"CREATE INDEX flows_process ON flows(process);\n"
	"CREATE INDEX flows_from ON flows(\"from\");\n"
	"CREATE INDEX flows_to ON flows(\"to\");\n"
	"CREATE TABLE measures(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  process INTEGER NOT NULL" FK_("processes", "CASCADE") ",\n"
	"  name TEXT NOT NULL DEFAULT '',\n"
	"  \"from\" INTEGER NOT NULL" FK_("steps", "CASCADE") ",\n"
	"  \"to\" INTEGER NOT NULL" FK_("steps", "CASCADE") ",\n"
	"  clock TEXT NOT NULL DEFAULT 'process'\n"
	");\n"
	"CREATE INDEX measures_process ON measures(process);\n"
	"CREATE INDEX measures_from ON measures(\"from\");\n"
	"CREATE INDEX measures_to ON measures(\"to\");\n"
	SCENARIOS_V2
	LOGS_V9("logs")
	CHANGES_V8
	"INSERT INTO meta(key, value) VALUES ('next_id', 1), ('generation', 0),"
	" ('created_with', 'stepmap " STEPMAP_VERSION "');\n";

/* Version 1 to 2: durations from seconds to text, arrival, scenarios and
 * cuts, the journal. steps is rebuilt (SQLite before 3.35 cannot drop a
 * column) as the SQLite manual's "making other kinds of table schema
 * changes" describes. */
static const char migrate_1_2[] =
	"ALTER TABLE processes ADD COLUMN arrival TEXT NOT NULL DEFAULT '';\n"
	STEPS_V2("steps_v2")
	"INSERT INTO steps_v2(id, process, key, lane, name, type, work, wait, value,"
	"  error_rate, cost, channel, emotion, note, pain)\n"
	"  SELECT id, process, key, lane, name, type, stepmap_duration(work_s),"
	"  stepmap_duration(wait_s), value, error_rate, cost, channel, emotion, note, pain"
	"  FROM steps;\n"
	"DROP TABLE steps;\n"
	"ALTER TABLE steps_v2 RENAME TO steps;\n"
	STEPS_INDEXES
	SCENARIOS_V2
	JOURNAL_V2
	"INSERT OR IGNORE INTO meta(key, value) VALUES ('next_id', 1), ('undo_at', 0),"
	" ('generation', 0);\n";

/* Version 2 to 3 (issue 11, BPMN that goes back where it came from): a
 * process's flows may be explicit (a graph read from BPMN: no implicit
 * next-in-order flow); steps keep their event definition, whether a
 * boundary event interrupts, a call activity's called element; flows their
 * kind (sequence, message, boundary) and whether they are a default flow;
 * lanes, steps and flows the id they had in the file they were read from. */
static const char migrate_2_3[] =
	"ALTER TABLE processes ADD COLUMN flows_explicit INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE lanes ADD COLUMN source_id TEXT;\n"
	"ALTER TABLE steps ADD COLUMN event TEXT NOT NULL DEFAULT '';\n"
	"ALTER TABLE steps ADD COLUMN non_interrupting INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE steps ADD COLUMN called TEXT;\n"
	"ALTER TABLE steps ADD COLUMN source_id TEXT;\n"
	"ALTER TABLE flows ADD COLUMN kind TEXT NOT NULL DEFAULT '';\n"
	"ALTER TABLE flows ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE flows ADD COLUMN source_id TEXT;\n";

/* Version 3 to 4 (issue 13): the logs table. */
static const char migrate_3_4[] = LOGS_V4;

/* Version 4 to 5 (issue 11, the export keeps an imported diagram): the
 * diagram (BPMN DI) a process's pool, its lanes, steps and flows had in the
 * file they were read from, as compact text (export/bpmn_di.c); NULL: none,
 * export lays the object out. */
static const char migrate_4_5[] =
	"ALTER TABLE processes ADD COLUMN di TEXT;\n"
	"ALTER TABLE lanes ADD COLUMN di TEXT;\n"
	"ALTER TABLE steps ADD COLUMN di TEXT;\n"
	"ALTER TABLE flows ADD COLUMN di TEXT;\n";

/* Version 5 to 6 (issue 10, one definition of a step count): steps keep
 * whether the program generated them (step.generated), so a process with a
 * parallel block's split and join counts the same after it is saved. */
static const char migrate_5_6[] =
	"ALTER TABLE steps ADD COLUMN generated INTEGER NOT NULL DEFAULT 0;\n";

/* Version 6 to 7 (issue 9): the unit a process's times are shown in. */
static const char migrate_6_7[] =
	"ALTER TABLE processes ADD COLUMN time_unit TEXT NOT NULL DEFAULT 'auto';\n";

/* Version 7 to 8 (issue 15): the undo journal becomes the change log. Each
 * journal entry becomes an edit by the author who opens the workbook first
 * (stepmap_author(): whoever had the undo history had it on this machine);
 * those after undo_at were undone and can be redone. The objects each
 * touched are listed by changes_index() after this text. */
static const char migrate_7_8[] =
	CHANGES_V8
	"INSERT INTO changes(id, author, kind, undone, gen, edit)\n"
	"  SELECT seq, stepmap_author(), 'edit',"
	"  seq > coalesce((SELECT value FROM meta WHERE key = 'undo_at'), 0), 0, edit"
	"  FROM journal ORDER BY seq;\n"
	"DROP TABLE journal;\n"
	"DELETE FROM meta WHERE key = 'undo_at';\n";

/* Version 8 to 9 (issue 13: undo and redo keep the log summary): the logs
 * table rebuilt without its foreign key (SQLite cannot drop one). */
static const char migrate_8_9[] =
	LOGS_V9("logs_v9")
	"INSERT INTO logs_v9(process, cases, events, activities, resources, variants,"
	"  top_variant_cases, dfg_edges, events_on_map, split, durations, top_variants)\n"
	"  SELECT process, cases, events, activities, resources, variants, top_variant_cases,"
	"  dfg_edges, events_on_map, split, durations, top_variants FROM logs;\n"
	"DROP TABLE logs;\n"
	"ALTER TABLE logs_v9 RENAME TO logs;\n";

/* migrations[v - 1] brings version v to v + 1. */
static const char *const migrations[STORE_SCHEMA_VERSION - 1] = {
	migrate_1_2,
	migrate_2_3,
	migrate_3_4,
	migrate_4_5,
	migrate_5_6,
	migrate_6_7,
	migrate_7_8,
	migrate_8_9,
};

enum status
schema_create(struct store *s, struct err *err)
{
	char sql[96];
	enum status st;

	if ((st = store_exec(s, schema_current, err)) != STATUS_OK)
		return st;
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
	         STORE_APPLICATION_ID, STORE_SCHEMA_VERSION);
	return store_exec(s, sql, err);
}

/* stepmap_author(): the store's author, for the journal's entries the
 * change log takes over (version 4 to 5). */
static void
sql_author(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct store *s = sqlite3_user_data(ctx);

	(void)argc;
	(void)argv;
	sqlite3_result_text(ctx, s->author, -1, SQLITE_TRANSIENT);
}

/* stepmap_duration(seconds): version 1's fixed seconds as duration text. */
static void
sql_duration(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[DIST_TEXT_MAX];
	struct dist d;
	double v;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	v = sqlite3_value_double(argv[0]);
	if (!(v >= 0 && v <= 10 * 365.25 * 86400)) {
		sqlite3_result_error(ctx, "a step time in seconds is negative or too large", -1);
		return;
	}
	d = dist_fixed(v);
	sqlite3_result_text(ctx, dist_format(&d, buf, sizeof buf), -1, SQLITE_TRANSIENT);
}

/* Fail when PRAGMA foreign_key_check finds a row. */
static enum status
check_foreign_keys(struct store *s, struct err *err)
{
	sqlite3_stmt *st = NULL;
	enum status ret = STATUS_OK;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return store_sql_err(s, rc, "upgrade", err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ret = err_set(err, STATUS_CORRUPT, "%s: workbook is damaged (table %s, row %lld "
		              "names a missing %s)", s->path, sqlite3_column_text(st, 0),
		              (long long)sqlite3_column_int64(st, 1), sqlite3_column_text(st, 2));
	else if (rc != SQLITE_DONE)
		ret = store_sql_err(s, rc, "upgrade", err);
	sqlite3_finalize(st);
	return ret;
}

enum status
schema_migrate(struct store *s, int from, struct err *err)
{
	enum status st;
	char sql[64];
	int v;

	if (from < 1 || from >= STORE_SCHEMA_VERSION)
		return err_set(err, STATUS_NOT_WORKBOOK, "%s: not a stepmap workbook (schema "
		               "version %d)", s->path, from);
	if (sqlite3_create_function(s->db, "stepmap_duration", 1,
	                            SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_duration,
	                            NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(s->db, "stepmap_author", 0, SQLITE_UTF8, s, sql_author,
	                            NULL, NULL) != SQLITE_OK)
		return store_sql_err(s, sqlite3_errcode(s->db), "upgrade", err);
	if ((st = store_exec(s, "PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE;", err)) != STATUS_OK)
		goto out;
	for (v = from; v < STORE_SCHEMA_VERSION; v++)
		if ((st = store_exec(s, migrations[v - 1], err)) != STATUS_OK) {
			/* An SQL error here ("duplicate column name") is not ours: the
			 * tables are not those of the version the file says it is. */
			if (st == STATUS_INTERNAL) {
				char what[ERR_MSG_MAX];

				snprintf(what, sizeof what, "%s", sqlite3_errmsg(s->db));
				st = err_set(err, STATUS_CORRUPT, "%s: workbook is damaged or inconsistent: "
				             "it says schema version %d, but its tables are not those of "
				             "that version (%s); nothing was changed", s->path, from, what);
			} else {
				err_prefix(err, "upgrading from version %d: ", v);
			}
			goto rollback;
		}
	if (from < STORE_VERSION_CHANGES && (st = changes_index(s, err)) != STATUS_OK) {
		err_prefix(err, "upgrading the undo journal: ");
		goto rollback;
	}
	if ((st = check_foreign_keys(s, err)) != STATUS_OK)
		goto rollback;
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d; COMMIT;", STORE_SCHEMA_VERSION);
	if ((st = store_exec(s, sql, err)) != STATUS_OK)
		goto rollback;
	goto out;
rollback:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
out:
	sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return st;
}

/* Check that table exists and has the n columns in cols. */
static enum status
has_columns(struct store *s, const char *table, const char *const *cols, size_t n,
            struct err *err)
{
	sqlite3_stmt *st = NULL;
	unsigned long long seen = 0;
	enum status ret = STATUS_OK;
	size_t i;
	int rc = sqlite3_prepare_v2(s->db, "SELECT name FROM pragma_table_info(?1)", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return store_sql_err(s, rc, "open", err);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		for (i = 0; i < n && name; i++)
			if (strcmp(cols[i], name) == 0)
				seen |= 1ull << i;
	}
	if (rc != SQLITE_DONE) {
		ret = store_sql_err(s, rc, "open", err);
		goto out;
	}
	if (!seen) {
		ret = err_set(err, STATUS_CORRUPT, "%s: workbook is damaged (table %s is missing)",
		              s->path, table);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (!(seen & (1ull << i))) {
			ret = err_set(err, STATUS_CORRUPT, "%s: workbook is damaged (table %s has no "
			              "column %s)", s->path, table, cols[i]);
			break;
		}
out:
	sqlite3_finalize(st);
	return ret;
}

enum status
schema_check(struct store *s, struct err *err)
{
	static const char *const meta_cols[] = { "key", "value" };
	static const char *const changes_cols[] = { "id", "author", "time", "kind", "target",
	                                             "label", "undone", "gen", "edit" };
	static const char *const objects_cols[] = { "obj", "change" };
	const char *cols[32];
	enum status st;
	size_t i, k;

	if ((st = has_columns(s, "meta", meta_cols, 2, err)) != STATUS_OK ||
	    (st = has_columns(s, "changes", changes_cols, 9, err)) != STATUS_OK ||
	    (st = has_columns(s, "change_objects", objects_cols, 2, err)) != STATUS_OK)
		return st;
	for (k = 0; k < OBJ_COUNT_; k++) {
		const struct obj_desc *d = &obj_descs[k];
		size_t n = 0;

		if (d->parent)
			cols[n++] = d->parent;
		for (i = 0; i < d->nflds && n < 32; i++)
			cols[n++] = d->flds[i].name;
		if ((st = has_columns(s, d->table, cols, n, err)) != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}
