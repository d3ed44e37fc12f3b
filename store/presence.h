/*
 * presence.h - who is in a workbook now: one row per workbench session in a
 * small SQLite file beside no workbook (a sidecar), so the workbook itself
 * never changes and needs no migration.
 *
 * The sidecar of a workbook is $STEPMAP_PRESENCE_DIR (else $XDG_RUNTIME_DIR,
 * else /tmp) / stepmap-presence-DEV-INODE, named by the workbook's device
 * and inode so every path to one file (a symlink, ../x.stepmap) meets in one
 * sidecar. It is in WAL mode and written without syncing: it holds nothing
 * that must survive a crash.
 *
 * Each session beats (presence_beat) about twice a second and whenever its
 * place changes; presence_list() shows only sessions whose last beat is
 * younger than the expiry (PRESENCE_EXPIRE_S) and, on this host, whose
 * process is still running, and deletes the others: a session killed with
 * kill -9 leaves no ghost. presence_leave() deletes the session's own row.
 */
#ifndef STEPMAP_PRESENCE_H
#define STEPMAP_PRESENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

#define PRESENCE_NAME_MAX 32         /* bytes of a session's name */
#define PRESENCE_EXPIRE_S 4.0        /* a beat older than this: gone */

struct presence;

/* Where a session is: the process, the scenario shown (0: the baseline),
 * the cursor's step (0: none), and the screen (its view's name: "map",
 * "lane view", "presentation"...). */
struct presence_where {
	sm_id proc, scen, step;
	char screen[32];
};

/* One session in the workbook. */
struct presence_row {
	long long id;                /* the session's row, unique in the sidecar */
	char name[PRESENCE_NAME_MAX + 1];
	char host[64];
	long pid;
	struct presence_where at;
	double beat;                 /* its last beat, seconds since the epoch */
	bool self;                   /* this handle's own session */
};

/* The sidecar's path for the workbook at `workbook` into out. STATUS_INPUT
 * when the workbook cannot be looked at (stat), with why. */
enum status presence_path(const char *workbook, char *out, size_t size, struct err *err);

/* A name a session may take: 1 to PRESENCE_NAME_MAX bytes of printable
 * UTF-8, no blank at either end. */
bool presence_name_ok(const char *name);

/* This user's name, the one a session and its changes go by unless told
 * otherwise: $USER, else $LOGNAME, else the password file's, the first
 * that presence_name_ok takes; "user<uid>" when none does. Written into
 * buf (PRESENCE_NAME_MAX + 1 bytes at least); returns buf. */
const char *presence_login_name(char *buf, size_t size);

/*
 * Join the workbook's sessions as `name` (presence_name_ok): opens (creates)
 * the sidecar and adds this session's row at `at` (NULL: nowhere yet). On
 * error *out is NULL and err says what the sidecar is and what went wrong;
 * the caller goes on without presence.
 */
enum status presence_open(const char *workbook, const char *name,
                          const struct presence_where *at, struct presence **out,
                          struct err *err);
/* Say this session is still here, at `at` (a row another session deleted
 * is written again). A sidecar busy with another writer is not waited on
 * long (STATUS_LOCKED: try at the next beat). */
enum status presence_beat(struct presence *p, const struct presence_where *at, struct err *err);
/* The sessions here now, this one included (self), by name, then id; expired
 * and dead sessions are left out and deleted. *rows is the caller's (free). */
enum status presence_list(struct presence *p, struct presence_row **rows, size_t *n,
                          struct err *err);
/* Leave: delete this session's row and close. p may point to NULL. */
void presence_leave(struct presence **p);

/* For tests: the expiry of this handle's list, in seconds. */
void presence_set_expiry(struct presence *p, double seconds);
/* This handle's session id (its row). */
long long presence_id(const struct presence *p);

#endif
