/*
 * store.h - the workbook in SQLite: open, load, save, edit, undo and redo.
 *
 * A workbook is one SQLite file (*.stepmap): WAL journal, foreign keys on,
 * a schema version in PRAGMA user_version with migrations from every older
 * version. Every edit is one transaction, committed before store_do()
 * returns, together with its entry in the undo journal, which lives in the
 * same file so undo and redo survive a restart. A file that is not a workbook
 * is refused and never modified. Two processes may open the same workbook;
 * a writer waits (busy timeout) and then gets STATUS_LOCKED with a clear
 * message, never a damaged file.
 *
 * A commit is written to the WAL without waiting for the disk (SQLite's
 * synchronous=NORMAL), which is synced at checkpoints and on close: a killed
 * process loses no committed edit; a power cut may lose the last edits the
 * operating system had not yet written out, never the workbook. The
 * environment variable STEPMAP_SYNC=full syncs every commit instead.
 *
 * The path ":memory:" gives a workbook that lives in memory only (the bundled
 * demo opened without a file): everything works, nothing is written to disk.
 *
 * A workbook of an older schema is upgraded when opened for writing (in one
 * transaction); opened STORE_READONLY it is upgraded in a copy in memory and
 * the file is left as it is. A store is used from one thread at a time.
 *
 * Sharing (issue 15): any number of processes may have one workbook open
 * and edit it at once. Every change is a row of the workbook's change log
 * with its author (store_set_author). store_catch_up() brings a model up
 * to date with what the others wrote, applying only their new rows; every
 * write catches up first inside its own transaction and checks that its
 * edit still applies to the workbook as it now is (STATUS_CONFLICT when it
 * does not: nothing written). Undo and redo are per author.
 *
 * Only this layer includes sqlite3.h.
 */
#ifndef STEPMAP_STORE_H
#define STEPMAP_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

struct store;

enum store_mode {
	STORE_OPEN,                  /* an existing workbook; error if missing */
	STORE_CREATE,                /* open, or create an empty one if missing */
	STORE_NEW,                   /* create; error if the file exists */
	STORE_READONLY,              /* an existing workbook, never written */
	STORE_BROWSE                 /* STORE_CREATE, or read-only when the file cannot
	                              * be written (store_readonly_reason says why) */
};

/*
 * Open the workbook at path. What the path is is checked first: a directory,
 * FIFO or device is refused with its kind, and opening never blocks.
 *
 * A workbook that cannot be written (no permission, a read-only folder or
 * medium, a full disk) is read without creating anything beside it (SQLite's
 * read-only or immutable opening; no -wal or -shm): STORE_READONLY and
 * STORE_BROWSE open it, STORE_OPEN and STORE_CREATE refuse it with the reason.
 *
 * Every open runs SQLite's quick check (about 2 ms per 1000 steps). A damaged
 * workbook is refused for writing (STATUS_CORRUPT: nothing is ever written
 * into it); STORE_READONLY and STORE_BROWSE open it read-only, with the
 * damage in store_damage().
 *
 * On success *out is a store the caller closes
 * with store_close(). On error *out is NULL, err names the file and says what
 * is wrong, and the file is untouched (nothing is created for STORE_OPEN).
 */
enum status store_open(const char *path, enum store_mode mode, struct store **out,
                       struct err *err);
void store_close(struct store **s);
const char *store_path(const struct store *s);

/* Why the store is read-only when it was not asked to be ("the file is not
 * writable", "the workbook is damaged (...)"), or NULL. Owned by the store. */
const char *store_readonly_reason(const struct store *s);
/* What the quick check at open found wrong, or NULL when it found nothing.
 * Owned by the store. */
const char *store_damage(const struct store *s);

/* How long a write waits for another process's write to finish before it
 * fails with STATUS_LOCKED, in milliseconds (default 5000). */
void store_set_busy_timeout(struct store *s, int ms);
/* Make every committed edit durable now: checkpoint the WAL into the file,
 * syncing both (synchronous=NORMAL syncs only at checkpoints). For a pause
 * in the typing, never per key. A checkpoint that another process's reader
 * holds back does what it can; errors are left for the next commit to meet
 * (STATUS_IO with the message). */
enum status store_checkpoint(struct store *s, struct err *err);

/* Load the whole workbook into a new struct workbook (*out, owned by the
 * caller). On error *out is NULL. */
enum status store_load(struct store *s, struct workbook **out, struct err *err);

/*
 * Replace the whole content of the workbook with w, in one transaction, and
 * clear the undo journal (for import -o, demo, and saving a new workbook).
 */
enum status store_save(struct store *s, const struct workbook *w, struct err *err);

/*
 * Apply edit e to w and to the file in one transaction, and log it for
 * undo (dropping whatever this author could have redone). Takes ownership
 * of e in every case. On error the file did not change and w is as it was
 * but for others' changes it caught up with.
 *
 * Inside the write's transaction, w is first brought up to date with what
 * others wrote (as store_catch_up). When they wrote anything, the ids e
 * gives new objects that others took meanwhile move up (store_new_id says
 * where an id went), and e must still apply: every object it changes or
 * deletes as e's "before" has it, its steps still there; otherwise
 * STATUS_CONFLICT, err says which object, w is caught up and nothing is
 * written.
 */
enum status store_do(struct store *s, struct workbook *w, struct edit *e,
                     struct err *err);

/* The workbook's generation the caller's model reflects: it moves with
 * every change the model takes, its own or another's caught up with. */
int64_t store_generation(const struct store *s);

/* Where an id the caller gave a new object in the last store_do went
 * (itself unless others took it meanwhile). */
sm_id store_new_id(const struct store *s, sm_id id);

/*
 * Undo this author's last edit not yet undone (redo: the one they undid
 * last), in w and the file, in one transaction. STATUS_NOTHING when there
 * is nothing to undo or redo; STATUS_CONFLICT (nothing done, err names who)
 * when another author has changed an object that edit touched since. When label is not NULL it receives the undone edit's label (owned by
 * the store, valid until the next call).
 */
enum status store_undo(struct store *s, struct workbook *w, const char **label,
                       struct err *err);
enum status store_redo(struct store *s, struct workbook *w, const char **label,
                       struct err *err);
bool store_can_undo(struct store *s);
bool store_can_redo(struct store *s);

/*
 * Who this session's changes are by (default: $USER, else the login name,
 * else "someone"): the change log records it with each change, undo and
 * redo take only its changes. A copy is kept. STATUS_USAGE when empty.
 */
enum status store_set_author(struct store *s, const char *name, struct err *err);
const char *store_author(const struct store *s);

/*
 * Bring w up to date with the changes other processes committed since it
 * was loaded or last caught up: a cheap check (SQLite's data_version, no
 * read of the file) when nothing happened; otherwise their change rows
 * applied to w in order, never a reload, unless the log no longer holds
 * every row since (trimmed, or the workbook replaced by store_save): then w
 * is loaded again in place (store_reloaded() says so). *applied (when not
 * NULL) receives how many changes were applied. Pointers into w's objects
 * may be invalid afterwards when *applied > 0.
 */
enum status store_catch_up(struct store *s, struct workbook *w, size_t *applied,
                           struct err *err);
bool store_reloaded(const struct store *s);

/* Who last changed the object with this id (its author into buf); false
 * when the log does not say (changed before the log's oldest entry). */
bool store_last_author(struct store *s, sm_id obj, char *buf, size_t size);

/*
 * Settings the workbench keeps in the workbook between sessions (which
 * scenario each process shows): whole numbers by name, each set written at
 * once in its own transaction. Not edits: no undo, no journal, and the
 * workbook's generation does not move, so another program with the file
 * open does not see its model as stale. get leaves *v as it was when the
 * name has no value.
 */
enum status store_get_setting(struct store *s, const char *name, int64_t *v, struct err *err);
enum status store_set_setting(struct store *s, const char *name, int64_t v, struct err *err);

/*
 * Write the event-log summary of process p (p->log; issue 13) for a process
 * already in the workbook, replacing any, in one statement of its own: for
 * `import --append`, whose edit carries no summary. Not an edit: no undo.
 */
enum status store_save_log(struct store *s, const struct process *p, struct err *err);

/*
 * Check the whole file: SQLite's integrity check, the foreign keys, and that
 * every journal entry can be read. STATUS_CORRUPT with what is wrong in err.
 * Reads every page: for tests and a "check" command, not for every open.
 */
enum status store_verify(struct store *s, struct err *err);

/*
 * Get the work out of a damaged workbook: open the file at path read-only,
 * untouched (no lock, nothing created beside it), read every table row by row
 * without its indexes, skip rows that cannot be read and what no longer
 * fits (a flow whose step was lost), into a new workbook *out (the caller
 * frees it) to be saved elsewhere. report (when not NULL) receives one line
 * of what was kept and lost ("3 processes, 108 steps (some unreadable)...").
 * Errors only when nothing at all can be read.
 */
enum status store_salvage(const char *path, struct workbook **out, char *report, size_t size,
                          struct err *err);

#endif
