/*
 * store.c - opening a workbook, loading and saving it whole, checking it,
 * and getting the work out of a damaged one.
 *
 * Opening is careful, because the file may not be ours: before SQLite opens
 * anything read-write the header bytes are read (SQLite's magic, page size,
 * size against the page count, application_id, user_version), then the
 * schema is read through an immutable read-only connection, which takes no
 * locks and creates no -wal or -shm file. Only a file that passes both is
 * opened for real. A new workbook is built under a temporary name and linked
 * into place, so a crash never leaves a half-made one.
 *
 * Edits, undo and redo, and catching up with what other sessions wrote
 * are in changes.c. meta 'generation' counts the changes to the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "model/file.h"
#include "store/presence.h"
#include "store/store_int.h"

static const char sqlite_magic[16] = "SQLite format 3";

/* --- errors and small helpers --------------------------------------------- */

enum status
store_sql_err(struct store *s, int rc, const char *what, struct err *err)
{
	const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(err, STATUS_LOCKED, "%s: workbook is locked by another process",
		               s->path);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return err_set(err, STATUS_CORRUPT, "%s: workbook is damaged (%s)", s->path, msg);
	case SQLITE_NOMEM:
		return err_set(err, STATUS_NOMEM, "%s: out of memory", s->path);
	case SQLITE_CONSTRAINT:
		return err_set(err, STATUS_INPUT, "%s: %s refused by the workbook: %s", s->path,
		               what, msg);
	case SQLITE_FULL:
		return err_set(err, STATUS_IO, "%s: %s: the disk is full", s->path, what);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_AUTH:
		return err_set(err, STATUS_IO, "%s: %s: %s", s->path, what, msg);
	default:
		return err_set(err, STATUS_INTERNAL, "%s: %s: %s", s->path, what, msg);
	}
}

enum status
store_exec(struct store *s, const char *sql, struct err *err)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? STATUS_OK : store_sql_err(s, rc, "write", err);
}

enum status
store_meta_get(struct store *s, const char *key, int64_t *v, struct err *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_META_GET, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sql_err(s, rc, "read", err);
	return STATUS_OK;
}

enum status
store_meta_set(struct store *s, const char *key, int64_t v, struct err *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_META_SET, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STATUS_OK : store_sql_err(s, rc, "write", err);
}

/* --- checking a file before SQLite opens it ------------------------------- */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Size of path-suffix (the -wal file), 0 when there is none. */
static off_t
side_file_size(const char *path, const char *suffix)
{
	char name[4096];
	struct stat sb;

	snprintf(name, sizeof name, "%s%s", path, suffix);
	return stat(name, &sb) == 0 ? sb.st_size : 0;
}

/*
 * Check the file at s->path from its bytes: a regular, non-empty SQLite
 * database with our application_id and a schema version this stepmap reads.
 * *version receives its user_version.
 */
static enum status
check_header(struct store *s, int *version, struct err *err)
{
	unsigned char h[100];
	struct stat sb;
	struct err e = { 0 };
	ssize_t n;
	uint32_t page, npages;
	/* a FIFO, device or directory is refused before anything waits on it */
	int fd = file_open_read(s->path, "a stepmap workbook", &sb, &e);

	if (fd < 0)
		return err_set(err, e.code == STATUS_INPUT ? STATUS_NOT_WORKBOOK : e.code, "%s",
		               e.msg);
	n = read(fd, h, sizeof h);
	close(fd);
	if (n < 0)
		return err_set(err, STATUS_IO, "%s: cannot read: %s", s->path, strerror(errno));
	if (sb.st_size == 0)
		return err_set(err, STATUS_NOT_WORKBOOK, "%s: empty file, not a stepmap workbook",
		               s->path);
	if (memcmp(h, sqlite_magic, n < 16 ? (size_t)n : 16) != 0)
		return err_set(err, STATUS_NOT_WORKBOOK, "%s: not a stepmap workbook (not an SQLite "
		               "database)", s->path);
	if (n < (ssize_t)sizeof h)
		return err_set(err, STATUS_CORRUPT, "%s: workbook is damaged (truncated to %lld "
		               "bytes)", s->path, (long long)sb.st_size);
	if (be32(h + 68) != STORE_APPLICATION_ID)
		return err_set(err, STATUS_NOT_WORKBOOK, "%s: not a stepmap workbook (an SQLite "
		               "database of another application)", s->path);
	page = (uint32_t)h[16] << 8 | h[17];
	if (page == 1)
		page = 65536;
	if (page < 512 || (page & (page - 1)))
		return err_set(err, STATUS_CORRUPT, "%s: workbook is damaged (page size %u)",
		               s->path, page);
	/* The header's page count is valid when the change counter matches
	 * version-valid-for. A checkpoint killed half-way may leave the file
	 * short of it, but then the -wal still holds the pages. */
	npages = be32(h + 28);
	if (sb.st_size % page ||
	    (be32(h + 24) == be32(h + 92) && npages &&
	     (off_t)npages * page > sb.st_size && side_file_size(s->path, "-wal") == 0))
		return err_set(err, STATUS_CORRUPT, "%s: workbook is damaged (truncated: %lld bytes, "
		               "the header says %lld)", s->path, (long long)sb.st_size,
		               (long long)npages * page);
	*version = (int)be32(h + 60);
	if (*version > STORE_SCHEMA_VERSION)
		return err_set(err, STATUS_TOO_NEW, "%s: workbook was written by a newer stepmap "
		               "(schema version %d; this one reads up to %d)", s->path, *version,
		               STORE_SCHEMA_VERSION);
	if (*version < 1)
		return err_set(err, STATUS_NOT_WORKBOOK, "%s: not a stepmap workbook (no schema "
		               "version)", s->path);
	return STATUS_OK;
}

/* path as a file: URI with ?params (percent-encoding what URIs reserve). */
static char *
file_uri(const char *path, const char *params)
{
	size_t n = strlen(path), i, o = 0;
	char *u = malloc(n * 3 + strlen(params) + 16);

	if (!u)
		return NULL;
	o += (size_t)sprintf(u, "file:");
	if (path[0] == '/' && path[1] == '/') /* "file://x" would name a host */
		o += (size_t)sprintf(u + o, "//");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f)
			o += (size_t)sprintf(u + o, "%%%02X", c);
		else
			u[o++] = (char)c;
	}
	sprintf(u + o, "?%s", params);
	return u;
}

/*
 * Read the schema through an immutable read-only connection: no lock, no
 * -wal or -shm, nothing written. Skipped while a -wal holds changes (the
 * file alone is then not the whole workbook); the real open checks again.
 */
static enum status
precheck(struct store *s, int version, struct err *err)
{
	char *uri;
	sqlite3 *db = NULL;
	enum status st = STATUS_OK;
	int rc;

	if (side_file_size(s->path, "-wal") > 0)
		return STATUS_OK;
	if (!(uri = file_uri(s->path, "immutable=1")))
		return err_set(err, STATUS_NOMEM, "out of memory");
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	s->db = db;
	if (rc != SQLITE_OK) {
		st = store_sql_err(s, rc, "open", err);
	} else if (version == STORE_SCHEMA_VERSION) {
		st = schema_check(s, err);
	} else if ((rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL,
	                              NULL)) != SQLITE_OK) {
		st = store_sql_err(s, rc, "open", err);
	}
	sqlite3_close(db);
	s->db = NULL;
	return st;
}

/* --- creating ------------------------------------------------------------- */

/* An empty database with the current schema, in WAL mode. */
static enum status
init_schema(struct store *s, bool wal, struct err *err)
{
	enum status st;

	if (wal && (st = store_exec(s, "PRAGMA journal_mode = WAL", err)) != STATUS_OK)
		return st;
	if ((st = store_exec(s, "BEGIN IMMEDIATE", err)) != STATUS_OK)
		return st;
	if ((st = schema_create(s, err)) != STATUS_OK ||
	    (st = store_exec(s, "COMMIT", err)) != STATUS_OK) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return st;
	}
	return STATUS_OK;
}

static void
fsync_dir_of(const char *path)
{
	char *dup = strdup(path);
	int fd;

	if (!dup)
		return;
	if ((fd = open(dirname(dup), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dup);
}

static void
unlink_db(const char *path)
{
	char name[4096];

	unlink(path);
	snprintf(name, sizeof name, "%s-wal", path);
	unlink(name);
	snprintf(name, sizeof name, "%s-shm", path);
	unlink(name);
}

/*
 * Make a new workbook at s->path: built under a temporary name beside it,
 * then linked into place (link fails if the name exists, so STORE_NEW never
 * overwrites). With exclusive false, a file that appeared meanwhile is left
 * alone and opened as it is.
 */
static enum status
create_file(struct store *s, bool exclusive, struct err *err)
{
	size_t n = strlen(s->path) + 16;
	char *tmp = malloc(n);
	enum status st = STATUS_OK;
	mode_t mask;
	int fd, rc;

	if (!tmp)
		return err_set(err, STATUS_NOMEM, "out of memory");
	snprintf(tmp, n, "%s.new-XXXXXX", s->path);
	if ((fd = mkstemp(tmp)) < 0) {
		st = err_set(err, STATUS_IO, "%s: cannot create: %s", s->path, strerror(errno));
		free(tmp);
		return st;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) { /* mkstemp makes it 0600 */
		/* not fatal: the workbook is only less shared */
	}
	close(fd);
	rc = sqlite3_open_v2(tmp, &s->db, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		st = store_sql_err(s, rc, "create", err);
		goto out;
	}
	sqlite3_exec(s->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	if ((st = init_schema(s, true, err)) != STATUS_OK)
		goto out;
	if (sqlite3_close(s->db) != SQLITE_OK) {
		st = store_sql_err(s, SQLITE_IOERR, "create", err);
		goto out;
	}
	s->db = NULL;
	if (link(tmp, s->path) != 0) {
		int e = errno;

		if (e == EEXIST) {
			if (exclusive)
				st = err_set(err, STATUS_INPUT, "%s: file exists; not overwriting it",
				             s->path);
		} else if (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == EXDEV ||
		           e == ENOSYS) {
			/* A file system without hard links: rename, checking first. */
			if (access(s->path, F_OK) == 0) {
				if (exclusive)
					st = err_set(err, STATUS_INPUT, "%s: file exists; not overwriting "
					             "it", s->path);
			} else if (rename(tmp, s->path) != 0) {
				st = err_set(err, STATUS_IO, "%s: cannot create: %s", s->path,
				             strerror(errno));
			}
		} else {
			st = err_set(err, STATUS_IO, "%s: cannot create: %s", s->path, strerror(e));
		}
	}
	fsync_dir_of(s->path);
out:
	if (s->db) {
		sqlite3_close(s->db);
		s->db = NULL;
	}
	unlink_db(tmp);
	free(tmp);
	return st;
}

/* --- opening -------------------------------------------------------------- */

static enum status
pragma_int(struct store *s, const char *sql, int64_t *v, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? STATUS_OK : store_sql_err(s, rc, "open", err);
}

/* An old workbook opened read-only: upgrade a copy in memory, leave the
 * file as it is. */
static enum status
migrate_copy(struct store *s, int version, struct err *err)
{
	sqlite3 *mem = NULL;
	sqlite3_backup *b;
	int rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE, NULL);

	if (rc != SQLITE_OK) {
		sqlite3_close(mem);
		return err_set(err, STATUS_NOMEM, "out of memory");
	}
	if (!(b = sqlite3_backup_init(mem, "main", s->db, "main"))) {
		sqlite3_close(mem);
		return store_sql_err(s, sqlite3_errcode(s->db), "open", err);
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		sqlite3_close(mem);
		return store_sql_err(s, rc, "open", err);
	}
	sqlite3_close(s->db);
	s->db = mem;
	sqlite3_exec(mem, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return schema_migrate(s, version, err);
}

/*
 * synchronous=NORMAL in WAL mode (issue 10): a commit writes its pages to
 * the WAL file (into the operating system's cache) and does not wait for
 * the disk, so an edit key never waits for an fsync; the WAL is synced at
 * each checkpoint (when it reaches 1000 pages, and when the last connection
 * closes). A killed process loses nothing that was committed; a power cut or
 * an operating system crash may lose the edits made since the last
 * checkpoint that the system had not yet written out (Linux writes them
 * within about 30 s), never the workbook, which opens at an earlier edit.
 * STEPMAP_SYNC=full syncs every commit (an acknowledged edit then survives
 * a power cut too, at an fsync per key); off is for benchmarks.
 */
static const char *
sync_pragma(void)
{
	const char *v = getenv("STEPMAP_SYNC");

	if (v && strcmp(v, "full") == 0)
		return "PRAGMA synchronous = FULL";
	if (v && strcmp(v, "off") == 0)
		return "PRAGMA synchronous = OFF";
	return "PRAGMA synchronous = NORMAL";
}

enum status
store_checkpoint(struct store *s, struct err *err)
{
	if (!s || !s->db || s->readonly)
		return STATUS_OK;
	return store_exec(s, "PRAGMA wal_checkpoint(PASSIVE)", err);
}

/* --- where it can be written ---------------------------------------------- */

/* Less free space than this on the workbook's disk counts as a full disk: a
 * reader would need 32 KiB for the -shm and a page or two for the -wal. */
#define STORE_FREE_MIN (1 << 20)

/* Whether path+suffix exists and can be written. */
static bool
side_file_writable(const char *path, const char *suffix)
{
	char name[4096];

	snprintf(name, sizeof name, "%s%s", path, suffix);
	return access(name, W_OK) == 0;
}

/*
 * Why the workbook at path cannot be written, into buf; false when it can.
 * SQLite writes beside the workbook (its -wal and -shm files), so the
 * folder must be writable too unless both exist already, and a disk with
 * next to no room left cannot take them.
 */
static bool
write_blocked(const char *path, char *buf, size_t size)
{
	char *dup = strdup(path);
	const char *dir = dup ? dirname(dup) : ".";
	struct statvfs vfs;
	bool blocked = true;

	if (access(path, W_OK) != 0)
		snprintf(buf, size, errno == EROFS ? "it is on a read-only disk"
		                                   : "you may not write to it (%s)", strerror(errno));
	else if (access(dir, W_OK) != 0 &&
	         !(side_file_writable(path, "-wal") && side_file_writable(path, "-shm")))
		snprintf(buf, size, errno == EROFS ? "it is on a read-only disk"
		                                   : "its folder cannot be written (%s)",
		         strerror(errno));
	else if (statvfs(dir, &vfs) == 0 &&
	         (unsigned long long)vfs.f_bavail * vfs.f_frsize < STORE_FREE_MIN)
		snprintf(buf, size, "the disk is full");
	else
		blocked = false;
	free(dup);
	return blocked;
}

/*
 * Open s->path read-only without creating anything beside it: immutable
 * (SQLite then takes no locks and needs no -shm) when no -wal holds changes,
 * otherwise mode=ro, which reads the -wal through an existing -shm.
 */
static int
open_untouched(struct store *s)
{
	bool wal = side_file_size(s->path, "-wal") > 0;
	char *uri = file_uri(s->path, wal ? "mode=ro" : "immutable=1");
	int rc;

	if (!uri)
		return SQLITE_NOMEM;
	rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
	                     SQLITE_OPEN_NOMUTEX, NULL);
	free(uri);
	return rc;
}

/* SQLite's check report on one line: without its "*** in database main ***"
 * heading, lines joined by "; ". malloc'd. */
static char *
one_line(const char *v)
{
	static const char head[] = "*** in database main ***\n";
	char *out, *p;

	if (!strncmp(v, head, sizeof head - 1))
		v += sizeof head - 1;
	if (!(out = malloc(strlen(v) * 2 + 1)))
		return NULL;
	for (p = out; *v; v++) {
		if (*v == '\n') {
			if (v[1]) {
				*p++ = ';';
				*p++ = ' ';
			}
		} else {
			*p++ = *v;
		}
	}
	*p = '\0';
	return out;
}

/*
 * SQLite's quick check (every page's structure; not the indexes against
 * their tables). STATUS_OK when the file is sound; STATUS_CORRUPT with what
 * it found in *found (malloc'd); a check that could not read a page for want
 * of memory or because of an I/O error is not damage: STATUS_NOMEM or
 * STATUS_IO with err set.
 */
static enum status
quick_check(struct store *s, char **found, struct err *err)
{
	sqlite3_stmt *st = NULL;
	enum status ret = STATUS_OK;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st, NULL);

	*found = NULL;
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		if (!v)
			ret = err_set(err, STATUS_NOMEM, "%s: out of memory", s->path);
		else if (strstr(v, "error code=7")) /* SQLITE_NOMEM reading a page */
			ret = err_set(err, STATUS_NOMEM, "%s: out of memory", s->path);
		else if (strstr(v, "error code=10")) /* SQLITE_IOERR */
			ret = err_set(err, STATUS_IO, "%s: cannot read: input/output error", s->path);
		else if (strcmp(v, "ok") != 0 && !(*found = one_line(v)))
			ret = err_set(err, STATUS_NOMEM, "%s: out of memory", s->path);
		else if (*found)
			ret = STATUS_CORRUPT;
	} else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
		if (!(*found = strdup(sqlite3_errmsg(s->db))))
			ret = err_set(err, STATUS_NOMEM, "%s: out of memory", s->path);
		else
			ret = STATUS_CORRUPT;
	} else if (rc != SQLITE_OK && rc != SQLITE_DONE) {
		ret = store_sql_err(s, rc, "check", err);
	}
	sqlite3_finalize(st);
	return ret;
}

/* Open the checked file at s->path for real: read-write, or untouched when
 * it cannot be written (write_blocked). */
static enum status
open_conn(struct store *s, bool rw, bool blocked)
{
	int rc;

	/* One store is used from one thread: no SQLite mutexes. A reader of a
	 * file it could write opens it read-write all the same (query_only
	 * keeps it from writing): the last connection to close then removes the
	 * -wal and -shm it made, where a read-only one would leave them. */
	if (rw || !blocked)
		rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
		                     NULL);
	else
		rc = open_untouched(s);
	return rc;
}

static void
close_conn(struct store *s)
{
	size_t i;

	for (i = 0; i < ST_COUNT_; i++) {
		sqlite3_finalize(s->stmt[i]);
		s->stmt[i] = NULL;
	}
	sqlite3_close(s->db);
	s->db = NULL;
}

/* Open the checked file at s->path for real. browse: STORE_BROWSE. */
static enum status
open_db(struct store *s, bool browse, struct err *err)
{
	char why[512];
	bool blocked = write_blocked(s->path, why, sizeof why), rw;
	int64_t version = 0, appid = 0;
	enum status st;
	int rc;

	if (!s->readonly && blocked) {
		if (!browse)
			return err_set(err, STATUS_IO, "%s: cannot open for writing: %s", s->path, why);
		s->readonly = true;
		if (!(s->ro_reason = strdup(why)))
			return err_set(err, STATUS_NOMEM, "%s: out of memory", s->path);
	}
	rw = !s->readonly;
	if ((rc = open_conn(s, rw, blocked)) != SQLITE_OK)
		return store_sql_err(s, rc, "open", err);
	sqlite3_busy_timeout(s->db, s->busy_ms);
	/* Damaged: never written into. Writers are refused; readers get the
	 * file read-only, untouched, and the reason. */
	if ((st = quick_check(s, &s->damage, err)) != STATUS_OK && st != STATUS_CORRUPT)
		return st;
	if (s->damage) {
		if (!s->readonly && !browse)
			return err_set(err, STATUS_CORRUPT, "%s: workbook is damaged (%s); nothing was "
			               "written (stepmap check --salvage gets out what can be read)",
			               s->path, s->damage);
		if (rw || !blocked) {   /* a read-write connection: never on this file */
			close_conn(s);
			rw = false;
			blocked = true;
			if ((rc = open_conn(s, false, true)) != SQLITE_OK)
				return store_sql_err(s, rc, "open", err);
		}
		s->readonly = true;
		free(s->ro_reason);
		snprintf(why, sizeof why, "the workbook is damaged (%s)", s->damage);
		if (!(s->ro_reason = strdup(why)))
			return err_set(err, STATUS_NOMEM, "%s: out of memory", s->path);
	}
	if ((st = store_exec(s, "PRAGMA foreign_keys = ON", err)) != STATUS_OK ||
	    (st = store_exec(s, sync_pragma(), err)) != STATUS_OK)
		return st;
	if ((st = pragma_int(s, "PRAGMA application_id", &appid, err)) != STATUS_OK ||
	    (st = pragma_int(s, "PRAGMA user_version", &version, err)) != STATUS_OK)
		return st;
	if (appid != STORE_APPLICATION_ID)
		return err_set(err, STATUS_NOT_WORKBOOK, "%s: not a stepmap workbook (an SQLite "
		               "database of another application)", s->path);
	if (version > STORE_SCHEMA_VERSION)
		return err_set(err, STATUS_TOO_NEW, "%s: workbook was written by a newer stepmap "
		               "(schema version %lld; this one reads up to %d)", s->path,
		               (long long)version, STORE_SCHEMA_VERSION);
	if (version < STORE_SCHEMA_VERSION) {
		if (s->readonly) {
			if ((st = migrate_copy(s, (int)version, err)) != STATUS_OK)
				return st;
		} else {
			/* WAL after the upgrade: a refused upgrade leaves the file as
			 * it was, journal mode included */
			if ((st = schema_migrate(s, (int)version, err)) != STATUS_OK ||
			    (st = store_exec(s, "PRAGMA journal_mode = WAL", err)) != STATUS_OK)
				return st;
		}
	}
	if ((st = schema_check(s, err)) != STATUS_OK ||
	    (st = store_meta_get(s, "generation", &s->generation, err)) != STATUS_OK)
		return st;
	if (s->readonly)
		return store_exec(s, "PRAGMA query_only = ON", err);
	return STATUS_OK;
}

static enum status
open_memory(struct store *s, struct err *err)
{
	int rc = sqlite3_open_v2(":memory:", &s->db, SQLITE_OPEN_READWRITE, NULL);
	enum status st;

	if (rc != SQLITE_OK)
		return err_set(err, STATUS_NOMEM, "out of memory");
	s->memory = true;
	if ((st = store_exec(s, "PRAGMA foreign_keys = ON", err)) != STATUS_OK ||
	    (st = init_schema(s, false, err)) != STATUS_OK)
		return st;
	return STATUS_OK;
}

enum status
store_open(const char *path, enum store_mode mode, struct store **out, struct err *err)
{
	struct err tmp;
	struct store *s;
	struct stat sb;
	enum status st;
	int version = STORE_SCHEMA_VERSION;
	bool browse = false;
	char login[PRESENCE_NAME_MAX + 1];

	if (!err)
		err = &tmp;
	err_clear(err);
	*out = NULL;
	if (!path || !*path)
		return err_set(err, STATUS_USAGE, "no workbook file given");
	if (!(s = calloc(1, sizeof *s)))
		return err_set(err, STATUS_NOMEM, "out of memory");
	s->busy_ms = STORE_BUSY_MS;
	s->readonly = mode == STORE_READONLY;
	if ((st = store_set_author(s, presence_login_name(login, sizeof login), err)) != STATUS_OK) {
		free(s);
		return st;
	}
	if (mode == STORE_BROWSE) {
		browse = true;
		mode = STORE_CREATE;
	}
	s->path = strdup(path);
	s->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (!s->path || s->c_locale == (locale_t)0) {
		st = err_set(err, STATUS_NOMEM, "out of memory");
		goto fail;
	}
	if (strcmp(path, ":memory:") == 0) {
		if ((st = open_memory(s, err)) != STATUS_OK)
			goto fail;
		*out = s;
		return STATUS_OK;
	}
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT) {
			st = err_set(err, STATUS_IO, "%s: cannot open: %s", path, strerror(errno));
			goto fail;
		}
		if (mode == STORE_OPEN || mode == STORE_READONLY) {
			st = err_set(err, STATUS_NOT_FOUND, "%s: no such file", path);
			goto fail;
		}
		if ((st = create_file(s, mode == STORE_NEW, err)) != STATUS_OK)
			goto fail;
	} else if (mode == STORE_NEW) {
		st = err_set(err, STATUS_INPUT, "%s: file exists; not overwriting it", path);
		goto fail;
	}
	if ((st = check_header(s, &version, err)) != STATUS_OK ||
	    (st = precheck(s, version, err)) != STATUS_OK ||
	    (st = open_db(s, browse, err)) != STATUS_OK)
		goto fail;
	*out = s;
	return STATUS_OK;
fail:
	store_close(&s);
	return st;
}

void
store_close(struct store **sp)
{
	struct store *s;
	size_t i;

	if (!sp || !*sp)
		return;
	s = *sp;
	for (i = 0; i < ST_COUNT_; i++)
		sqlite3_finalize(s->stmt[i]);
	if (s->db)
		sqlite3_close(s->db);
	if (s->c_locale != (locale_t)0)
		freelocale(s->c_locale);
	free(s->ro_reason);
	free(s->damage);
	free(s->label);
	free(s->author);
	free(s->path);
	free(s);
	*sp = NULL;
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

const char *
store_readonly_reason(const struct store *s)
{
	return s->ro_reason;
}

const char *
store_damage(const struct store *s)
{
	return s->damage;
}

void
store_set_busy_timeout(struct store *s, int ms)
{
	s->busy_ms = ms < 0 ? 0 : ms;
	if (s->db)
		sqlite3_busy_timeout(s->db, s->busy_ms);
}

/* --- load and save -------------------------------------------------------- */

enum status
store_load(struct store *s, struct workbook **out, struct err *err)
{
	struct err tmp;
	locale_t old = LOCALE_C(s);
	enum status st;
	int64_t gen = s->generation;

	if (!err)
		err = &tmp;
	*out = NULL;
	if ((st = store_exec(s, "BEGIN", err)) != STATUS_OK)
		goto out;
	st = store_meta_get(s, "generation", &gen, err);
	if (st == STATUS_OK)
		st = rows_load(s, out, err);
	if (st == STATUS_OK && (st = changes_last(s, &s->seen, err)) == STATUS_OK)
		st = changes_synced(s, *out, err);
	sqlite3_exec(s->db, st == STATUS_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	if (st == STATUS_OK)
		s->generation = gen;
	else
		workbook_free(out);
out:
	LOCALE_BACK(old);
	return st;
}

enum status
store_save(struct store *s, const struct workbook *w, struct err *err)
{
	struct err tmp;
	locale_t old = LOCALE_C(s);
	enum status st;
	int64_t gen = 0;

	if (!err)
		err = &tmp;
	if (s->readonly) {
		st = err_set(err, STATUS_USAGE, "%s: workbook is open read-only", s->path);
		goto out;
	}
	if ((st = store_exec(s, "BEGIN IMMEDIATE", err)) != STATUS_OK)
		goto out;
	/* Saving replaces everything: whatever generation the file was at. */
	if ((st = store_meta_get(s, "generation", &gen, err)) == STATUS_OK &&
	    (st = rows_save(s, w, err)) == STATUS_OK &&
	    (st = changes_last(s, &s->seen, err)) == STATUS_OK &&
	    (st = changes_synced(s, w, err)) == STATUS_OK) {
		s->generation = gen;
		st = store_commit_write(s, err);
	} else {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
out:
	LOCALE_BACK(old);
	return st;
}

/* --- checking the whole file ---------------------------------------------- */

/* Run a PRAGMA whose single result row is "ok" when all is well. */
static enum status
verify_pragma(struct store *s, const char *sql, bool ok_when_empty, struct err *err)
{
	sqlite3_stmt *st = NULL;
	enum status ret = STATUS_OK;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return store_sql_err(s, rc, "check", err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		if (ok_when_empty || !v || strcmp(v, "ok") != 0) {
			char *line = one_line(v ? v : "?");

			ret = err_set(err, STATUS_CORRUPT, "%s: workbook is damaged (%s: %s)", s->path,
			              sql, line ? line : "?");
			free(line);
		}
	} else if (rc != SQLITE_DONE) {
		ret = store_sql_err(s, rc, "check", err);
	}
	sqlite3_finalize(st);
	return ret;
}

/* Settings live in the meta table under "setting." names, apart from the
 * store's own keys. */
static void
setting_key(const char *name, char *key, size_t size)
{
	snprintf(key, size, "setting.%s", name);
}

enum status
store_get_setting(struct store *s, const char *name, int64_t *v, struct err *err)
{
	char key[128];

	setting_key(name, key, sizeof key);
	return store_meta_get(s, key, v, err);
}

enum status
store_set_setting(struct store *s, const char *name, int64_t v, struct err *err)
{
	char key[128];

	setting_key(name, key, sizeof key);
	return store_meta_set(s, key, v, err);
}

enum status
store_save_log(struct store *s, const struct process *p, struct err *err)
{
	locale_t old = LOCALE_C(s);
	enum status ret;

	if (s->readonly)
		ret = err_set(err, STATUS_USAGE, "%s: opened read-only", s->path);
	else
		ret = logrows_save(s, p, err);
	LOCALE_BACK(old);
	return ret;
}

enum status
store_verify(struct store *s, struct err *err)
{
	struct err tmp;
	locale_t old = LOCALE_C(s);
	sqlite3_stmt *st = NULL;
	enum status ret;
	int rc;

	if (!err)
		err = &tmp;
	if ((ret = verify_pragma(s, "PRAGMA integrity_check", false, err)) != STATUS_OK ||
	    (ret = verify_pragma(s, "PRAGMA foreign_key_check", true, err)) != STATUS_OK)
		goto out;
	if ((rc = sqlite3_prepare_v2(s->db, "SELECT id, edit FROM changes ORDER BY id", -1, &st,
	                             NULL)) != SQLITE_OK) {
		ret = store_sql_err(s, rc, "check", err);
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct edit *e = NULL;

		if ((ret = journal_parse((const char *)sqlite3_column_text(st, 1), &e, err))
		    != STATUS_OK) {
			err_prefix(err, "%s: journal entry %lld: ", s->path,
			           (long long)sqlite3_column_int64(st, 0));
			goto out;
		}
		edit_free(&e);
	}
	if (rc != SQLITE_DONE)
		ret = store_sql_err(s, rc, "check", err);
out:
	sqlite3_finalize(st);
	LOCALE_BACK(old);
	return ret;
}

/* --- getting the work out of a damaged workbook --------------------------- */

static int
cut_qcmp(const void *a, const void *b)
{
	const struct cut *x = *(struct cut *const *)a, *y = *(struct cut *const *)b;

	return x->key < y->key ? -1 : x->key > y->key ? 1 : (x->id > y->id) - (x->id < y->id);
}

/* Drop what refers to a step that was lost (flows, measures) and lanes that
 * were lost (a step keeps no lane). Returns how many were dropped. */
static size_t
tidy_salvaged(struct workbook *w)
{
	size_t i, j, k, n = 0;

	for (i = 0; i < w->nprocs; i++) {
		struct process *p = w->procs[i];

		for (j = 0; j < p->nsteps; j++)
			if (p->steps[j]->lane && !process_lane(p, p->steps[j]->lane))
				p->steps[j]->lane = 0;
		for (j = k = 0; j < p->nflows; j++) {
			struct flow *f = p->flows[j];

			if (process_step(p, f->from) && process_step(p, f->to))
				p->flows[k++] = f;
			else
				obj_free(OBJ_FLOW, f), n++;
		}
		p->nflows = k;
		for (j = k = 0; j < p->nmeasures; j++) {
			struct measure *m = p->measures[j];

			if (process_step(p, m->from) && process_step(p, m->to))
				p->measures[k++] = m;
			else
				obj_free(OBJ_MEASURE, m), n++;
		}
		p->nmeasures = k;
		for (j = 0; j < p->nscenarios; j++)
			if (p->scenarios[j]->ncuts > 1)
				qsort(p->scenarios[j]->cuts, p->scenarios[j]->ncuts,
				      sizeof *p->scenarios[j]->cuts, cut_qcmp);
		process_reindex(p);
	}
	return n;
}

enum status
store_salvage(const char *path, struct workbook **out, char *report, size_t size,
              struct err *err)
{
	static const char *const what[OBJ_COUNT_] = { "processes", "lanes", "steps", "flows",
	                                              "measures", "scenarios", "cuts" };
	struct salvage sv;
	struct err tmp;
	struct store *s;
	enum status st;
	size_t k, len = 0, dropped;
	locale_t old;
	int rc;

	if (!err)
		err = &tmp;
	*out = NULL;
	memset(&sv, 0, sizeof sv);
	if (report && size)
		report[0] = '\0';
	if (!(s = calloc(1, sizeof *s)) || !(s->path = strdup(path)) ||
	    (s->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0) {
		store_close(&s);
		return err_set(err, STATUS_NOMEM, "%s: out of memory", path);
	}
	s->readonly = true;
	s->salvage = &sv;
	old = LOCALE_C(s);
	{
		struct err e = { 0 };
		int fd = file_open_read(path, "a stepmap workbook", NULL, &e);

		if (fd < 0) {
			st = err_set(err, e.code == STATUS_INPUT ? STATUS_NOT_WORKBOOK : e.code, "%s",
			             e.msg);
			goto out;
		}
		close(fd);
	}
	/* Read as it is: nothing written, nothing created beside it. */
	if ((rc = open_untouched(s)) != SQLITE_OK) {
		st = store_sql_err(s, rc, "open", err);
		goto out;
	}
	sqlite3_exec(s->db, "PRAGMA query_only = ON", NULL, NULL, NULL);
	if ((st = rows_load(s, out, err)) != STATUS_OK)
		goto out;
	dropped = tidy_salvaged(*out);
	for (k = 0; report && k < OBJ_COUNT_ && len < size; k++) {
		int n = snprintf(report + len, size - len, "%s%zu %s%s", k ? ", " : "", sv.kept[k],
		                 what[k], sv.cut_short[k] ? " (some pages unreadable)" :
		                 sv.skipped[k] ? " (some unreadable)" : "");

		if (n > 0)
			len += (size_t)n;
	}
	if (report && dropped && len < size)
		snprintf(report + len, size - len, "; %zu flows or measures dropped: their steps "
		         "were lost", dropped);
out:
	LOCALE_BACK(old);
	s->salvage = NULL;
	store_close(&s);
	return st;
}
