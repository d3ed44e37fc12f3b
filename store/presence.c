/*
 * presence.c - who is in a workbook now: the sidecar file (presence.h).
 *
 * One table, one row per session:
 *
 *   session(id, name, host, pid, proc, scen, step, screen, beat)
 *
 * ids are never reused (AUTOINCREMENT), so a session whose row another one
 * deleted (it stalled past the expiry) writes the same row again. Writes
 * wait at most BUSY_MS for another writer: a beat that finds the sidecar
 * busy is simply the next one's to do.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/presence.h"

#define BUSY_MS 100

struct presence {
	sqlite3 *db;
	long long id;
	char name[PRESENCE_NAME_MAX + 1];
	char host[64];
	double expiry;
	char path[1024];
};

static double
wall_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

enum status
presence_path(const char *workbook, char *out, size_t size, struct err *err)
{
	const char *dir = getenv("STEPMAP_PRESENCE_DIR");
	struct stat st;
	int n;

	if (!dir || !*dir)
		dir = getenv("XDG_RUNTIME_DIR");
	if (!dir || !*dir)
		dir = "/tmp";
	if (stat(workbook, &st) != 0)
		return err_set(err, STATUS_INPUT, "%s: %s", workbook, strerror(errno));
	n = snprintf(out, size, "%s/stepmap-presence-%llu-%llu", dir,
	             (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	if (n < 0 || (size_t)n >= size)
		return err_set(err, STATUS_INPUT, "%s: the presence directory's path is too long", dir);
	return STATUS_OK;
}

bool
presence_name_ok(const char *name)
{
	size_t len = name ? strlen(name) : 0, i;

	if (len == 0 || len > PRESENCE_NAME_MAX || name[0] == ' ' || name[len - 1] == ' ')
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

const char *
presence_login_name(char *buf, size_t size)
{
	const char *env[] = { getenv("USER"), getenv("LOGNAME") };
	struct passwd *pw;
	size_t i;

	for (i = 0; i < sizeof env / sizeof env[0]; i++)
		if (env[i] && presence_name_ok(env[i])) {
			snprintf(buf, size, "%s", env[i]);
			return buf;
		}
	pw = getpwuid(getuid());
	if (pw && presence_name_ok(pw->pw_name))
		snprintf(buf, size, "%s", pw->pw_name);
	else
		snprintf(buf, size, "user%lu", (unsigned long)getuid());
	return buf;
}

static enum status
db_fail(struct presence *p, int rc, const char *doing, struct err *err)
{
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return err_set(err, STATUS_LOCKED, "%s: %s: busy", p->path, doing);
	return err_set(err, STATUS_IO, "%s: %s: %s", p->path, doing, sqlite3_errmsg(p->db));
}

static void
bind_where(sqlite3_stmt *q, int at, const struct presence_where *w)
{
	sqlite3_bind_int64(q, at, w ? (sqlite3_int64)w->proc : 0);
	sqlite3_bind_int64(q, at + 1, w ? (sqlite3_int64)w->scen : 0);
	sqlite3_bind_int64(q, at + 2, w ? (sqlite3_int64)w->step : 0);
	sqlite3_bind_text(q, at + 3, w ? w->screen : "", -1, SQLITE_TRANSIENT);
}

/* Write this session's row: update it, or insert it (again) under its id. */
static enum status
write_row(struct presence *p, const struct presence_where *at, struct err *err)
{
	static const char sql[] =
		"INSERT INTO session(id, name, host, pid, proc, scen, step, screen, beat) "
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
		"ON CONFLICT(id) DO UPDATE SET proc = ?5, scen = ?6, step = ?7, screen = ?8, beat = ?9";
	sqlite3_stmt *q = NULL;
	int rc;

	rc = sqlite3_prepare_v2(p->db, sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return db_fail(p, rc, "beat", err);
	if (p->id)
		sqlite3_bind_int64(q, 1, p->id);
	else
		sqlite3_bind_null(q, 1);
	sqlite3_bind_text(q, 2, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, p->host, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)getpid());
	bind_where(q, 5, at);
	sqlite3_bind_double(q, 9, wall_now());
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(p, rc, "beat", err);
	if (!p->id)
		p->id = sqlite3_last_insert_rowid(p->db);
	return STATUS_OK;
}

enum status
presence_open(const char *workbook, const char *name, const struct presence_where *at,
              struct presence **out, struct err *err)
{
	static const char setup[] =
		"PRAGMA journal_mode = WAL;"
		"PRAGMA synchronous = OFF;"
		"CREATE TABLE IF NOT EXISTS session("
		" id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, host TEXT NOT NULL,"
		" pid INTEGER NOT NULL, proc INTEGER NOT NULL, scen INTEGER NOT NULL,"
		" step INTEGER NOT NULL, screen TEXT NOT NULL, beat REAL NOT NULL);";
	struct presence *p;
	enum status st;
	int rc;

	*out = NULL;
	if (!presence_name_ok(name))
		return err_set(err, STATUS_USAGE, "'%s' is not a session name (1 to %d printable "
		               "characters)", name ? name : "", PRESENCE_NAME_MAX);
	if (!(p = calloc(1, sizeof *p)))
		return err_set(err, STATUS_NOMEM, "out of memory");
	st = presence_path(workbook, p->path, sizeof p->path, err);
	if (st != STATUS_OK) {
		free(p);
		return st;
	}
	snprintf(p->name, sizeof p->name, "%s", name);
	if (gethostname(p->host, sizeof p->host - 1) != 0)
		snprintf(p->host, sizeof p->host, "localhost");
	p->expiry = PRESENCE_EXPIRE_S;
	rc = sqlite3_open_v2(p->path, &p->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                     SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc == SQLITE_OK) {
		/* Two sessions starting together both set the sidecar up; the
		 * second waits for the first. */
		sqlite3_busy_timeout(p->db, 2000);
		rc = sqlite3_exec(p->db, setup, NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		st = err_set(err, STATUS_IO, "%s: %s", p->path,
		             p->db ? sqlite3_errmsg(p->db) : sqlite3_errstr(rc));
		sqlite3_close(p->db);
		free(p);
		return st;
	}
	sqlite3_busy_timeout(p->db, BUSY_MS);
	st = write_row(p, at, err);
	if (st != STATUS_OK) {
		sqlite3_close(p->db);
		free(p);
		return st;
	}
	*out = p;
	return STATUS_OK;
}

enum status
presence_beat(struct presence *p, const struct presence_where *at, struct err *err)
{
	return write_row(p, at, err);
}

/* True when the row is of a process on this host that is no longer running. */
static bool
row_dead(const struct presence *p, const struct presence_row *r)
{
	if (strcmp(r->host, p->host) || r->pid <= 0 || r->pid == (long)getpid())
		return false;
	return kill((pid_t)r->pid, 0) != 0 && errno == ESRCH;
}

static int
row_cmp(const void *x, const void *y)
{
	const struct presence_row *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	return c ? c : a->id < b->id ? -1 : a->id > b->id;
}

static void
text_col(sqlite3_stmt *q, int col, char *out, size_t size)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	snprintf(out, size, "%s", t ? (const char *)t : "");
}

/* Delete the rows whose ids are in gone (best effort: a busy sidecar keeps
 * them until the next list, which leaves them out again). */
static void
delete_rows(struct presence *p, const long long *gone, size_t n)
{
	sqlite3_stmt *q = NULL;
	size_t i;

	if (!n || sqlite3_prepare_v2(p->db, "DELETE FROM session WHERE id = ?", -1, &q, NULL))
		return;
	sqlite3_exec(p->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(q, 1, gone[i]);
		sqlite3_step(q);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	if (sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
}

enum status
presence_list(struct presence *p, struct presence_row **rows, size_t *n, struct err *err)
{
	static const char sql[] =
		"SELECT id, name, host, pid, proc, scen, step, screen, beat FROM session";
	struct presence_row *out = NULL, *grown;
	long long *gone = NULL, *g;
	size_t cnt = 0, cap = 0, ngone = 0, cgone = 0;
	sqlite3_stmt *q = NULL;
	double now = wall_now();
	int rc;

	*rows = NULL;
	*n = 0;
	rc = sqlite3_prepare_v2(p->db, sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return db_fail(p, rc, "list", err);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct presence_row r;

		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(q, 0);
		text_col(q, 1, r.name, sizeof r.name);
		text_col(q, 2, r.host, sizeof r.host);
		r.pid = (long)sqlite3_column_int64(q, 3);
		r.at.proc = (sm_id)sqlite3_column_int64(q, 4);
		r.at.scen = (sm_id)sqlite3_column_int64(q, 5);
		r.at.step = (sm_id)sqlite3_column_int64(q, 6);
		text_col(q, 7, r.at.screen, sizeof r.at.screen);
		r.beat = sqlite3_column_double(q, 8);
		r.self = r.id == p->id;
		if (!r.self && (now - r.beat > p->expiry || row_dead(p, &r))) {
			if (ngone == cgone) {
				cgone = cgone ? 2 * cgone : 8;
				if (!(g = realloc(gone, cgone * sizeof *gone)))
					goto nomem;
				gone = g;
			}
			gone[ngone++] = r.id;
			continue;
		}
		if (cnt == cap) {
			cap = cap ? 2 * cap : 8;
			if (!(grown = realloc(out, cap * sizeof *out)))
				goto nomem;
			out = grown;
		}
		out[cnt++] = r;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		free(out);
		free(gone);
		return db_fail(p, rc, "list", err);
	}
	delete_rows(p, gone, ngone);
	free(gone);
	if (cnt)
		qsort(out, cnt, sizeof *out, row_cmp);
	*rows = out;
	*n = cnt;
	return STATUS_OK;
nomem:
	sqlite3_finalize(q);
	free(out);
	free(gone);
	return err_set(err, STATUS_NOMEM, "out of memory");
}

void
presence_leave(struct presence **pp)
{
	struct presence *p = pp ? *pp : NULL;
	sqlite3_stmt *q = NULL;

	if (!p)
		return;
	if (p->id && sqlite3_prepare_v2(p->db, "DELETE FROM session WHERE id = ?", -1, &q, NULL) ==
	             SQLITE_OK) {
		sqlite3_busy_timeout(p->db, 1000);   /* a clean quit is seen at once */
		sqlite3_bind_int64(q, 1, p->id);
		sqlite3_step(q);
		sqlite3_finalize(q);
	}
	sqlite3_close(p->db);
	free(p);
	*pp = NULL;
}

void
presence_set_expiry(struct presence *p, double seconds)
{
	p->expiry = seconds;
}

long long
presence_id(const struct presence *p)
{
	return p->id;
}
