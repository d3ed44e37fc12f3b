/*
 * changes.c - the change log (issue 15): every edit, undo and redo as a
 * row of `changes` with its author, committed with the rows it changes;
 * catching a model up with the rows other sessions wrote; undo and redo
 * per author.
 *
 * A store remembers the last change its model reflects (seen) and the
 * workbook's generation then. store_catch_up() asks SQLite whether any
 * other connection committed since (PRAGMA data_version: no file access
 * beyond the shared memory) and, when one did, applies the rows after
 * seen to the model in order, each with edit_apply(). Each row carries the
 * generation it made, so a gap (the log trimmed past what this session
 * saw, or the workbook replaced by store_save) shows, and then, only
 * then, the model is loaded again in place.
 *
 * A write (store_do, store_undo, store_redo) begins with BEGIN IMMEDIATE,
 * then catches up inside the transaction, so the edit meets the workbook
 * as it is. When others changed it since the caller built the edit:
 *   - the ids the caller took for new objects (those at or above the
 *     model's next id at its last sync) move up past the ids the others
 *     took, so two sessions never give one id twice (store_new_id() says
 *     where an id went);
 *   - every object the edit changes or deletes must still be as the edit's
 *     "before" says, and the edit must still apply (its step not deleted
 *     meanwhile); otherwise STATUS_CONFLICT, nothing written, the model
 *     caught up.
 *
 * Undo is per author: store_undo() takes the author's last edit not undone;
 * when another author changed an object it touched since, it refuses
 * (STATUS_CONFLICT naming them) rather than undo their work. Redo takes the
 * author's edit undone last; a new edit by the author drops what they could
 * redo. An undo or redo is a change row of its own (kind 'undo'/'redo',
 * target the edit), so other sessions catch up with it like any edit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"

/* --- the objects an edit touches ------------------------------------------ */

/* The leaves of e (not groups), in the order they apply. */
struct leaves {
	const struct edit **v;
	size_t n, cap;
	bool nomem;
};

static void
leaves_add(struct leaves *l, const struct edit *e)
{
	size_t i;

	if (l->nomem)
		return;
	if (e->kind == EDIT_GROUP) {
		for (i = 0; i < e->u.group.n; i++)
			leaves_add(l, e->u.group.items[i]);
		return;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		const struct edit **v = realloc(l->v, cap * sizeof *v);

		if (!v) {
			l->nomem = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = e;
}

/* The object of a leaf: before for a delete or change, after for an add. */
static const void *
leaf_obj(const struct edit *e)
{
	return e->u.step.before ? (const void *)e->u.step.before : (const void *)e->u.step.after;
}

static sm_id
leaf_id(const struct edit *e)
{
	const void *o = leaf_obj(e);

	return o ? *(const sm_id *)o : 0;
}

/* Record the ids of the objects e touches as change `change`'s. */
static enum status
objects_write(struct store *s, int64_t change, const struct edit *e, struct err *err)
{
	struct leaves l = { 0 };
	sqlite3_stmt *st;
	enum status ret = STATUS_OK;
	size_t i;
	int rc;

	leaves_add(&l, e);
	if (l.nomem) {
		free(l.v);
		return err_set(err, STATUS_NOMEM, "out of memory");
	}
	if (!(st = store_stmt(s, ST_CHANGE_OBJ_ADD, err))) {
		free(l.v);
		return err->code;
	}
	for (i = 0; i < l.n && ret == STATUS_OK; i++) {
		sqlite3_bind_int64(st, 1, leaf_id(l.v[i]));
		sqlite3_bind_int64(st, 2, change);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			ret = store_sql_err(s, rc, "write", err);
	}
	free(l.v);
	return ret;
}

enum status
changes_index(struct store *s, struct err *err)
{
	sqlite3_stmt *st = NULL;
	enum status ret = STATUS_OK;
	int rc;

	if ((rc = sqlite3_prepare_v2(s->db, "SELECT id, edit FROM changes ORDER BY id", -1, &st,
	                             NULL)) != SQLITE_OK)
		return store_sql_err(s, rc, "upgrade", err);
	while (ret == STATUS_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct edit *e = NULL;
		struct err ignore;

		/* An entry that cannot be read touches nothing we can name; it
		 * stays for `stepmap check` to report. */
		if (journal_parse((const char *)sqlite3_column_text(st, 1), &e, &ignore) == STATUS_OK)
			ret = objects_write(s, sqlite3_column_int64(st, 0), e, err);
		edit_free(&e);
	}
	if (ret == STATUS_OK && rc != SQLITE_DONE)
		ret = store_sql_err(s, rc, "upgrade", err);
	sqlite3_finalize(st);
	return ret;
}

/* --- moving a session's new ids past the others' --------------------------- */

static void
shift_obj(enum obj_kind k, void *o, sm_id base, sm_id by)
{
	const struct obj_desc *d = &obj_descs[k];
	size_t i;

	if (!o)
		return;
	for (i = 0; i < d->nflds; i++) {
		const struct fld *f = &d->flds[i];
		sm_id *v = (sm_id *)(void *)((char *)o + f->off);

		if ((f->type == FT_ID || f->type == FT_REF) && *v >= base)
			*v += by;
	}
	if (k == OBJ_SCENARIO) {
		struct scenario *sc = o;

		for (i = 0; i < sc->ncuts; i++)
			shift_obj(OBJ_CUT, sc->cuts[i], base, by);
	}
}

/* Every id at or above base in e moves up by `by`. */
static void
shift_edit(struct edit *e, sm_id base, sm_id by)
{
	size_t i;
	int k;

	if (e->process >= base)
		e->process += by;
	if (e->scenario >= base)
		e->scenario += by;
	if (e->kind == EDIT_GROUP) {
		for (i = 0; i < e->u.group.n; i++)
			shift_edit(e->u.group.items[i], base, by);
		return;
	}
	if ((k = edit_obj_kind(e->kind)) < 0)
		return;
	shift_obj((enum obj_kind)k, e->u.step.before, base, by);
	shift_obj((enum obj_kind)k, e->u.step.after, base, by);
}

int64_t
store_generation(const struct store *s)
{
	return s->generation;
}

sm_id
store_new_id(const struct store *s, sm_id id)
{
	return id >= s->shift_base && s->shift ? id + s->shift : id;
}

/* --- is the edit still what the workbook is? ------------------------------- */

/* The object the leaf names as the model has it now (a process as its head,
 * in *head), or NULL when it is not there. */
static const void *
current_obj(const struct workbook *w, const struct edit *e, enum obj_kind k, sm_id id,
            struct process_head *head)
{
	struct process *p = workbook_process(w, k == OBJ_PROCESS ? id : e->process);
	struct scenario *sc;
	size_t i;

	if (!p)
		return NULL;
	switch (k) {
	case OBJ_PROCESS:
		head->id = p->id;
		head->key = p->key;
		head->name = p->name;
		head->description = p->description;
		head->arrival = p->arrival;
		head->flows_explicit = p->flows_explicit;
		return head;
	case OBJ_LANE:     return process_lane(p, id);
	case OBJ_STEP:     return process_step(p, id);
	case OBJ_FLOW:     return process_flow(p, id);
	case OBJ_MEASURE:  return process_measure(p, id);
	case OBJ_SCENARIO: return process_scenario(p, id);
	case OBJ_CUT:
		if (!(sc = process_scenario(p, e->scenario)))
			return NULL;
		for (i = 0; i < sc->ncuts; i++)
			if (sc->cuts[i]->id == id)
				return sc->cuts[i];
		return NULL;
	default:
		return NULL;
	}
}

struct id_at {
	sm_id id;
	size_t at;
};

static int
id_at_cmp(const void *a, const void *b)
{
	const struct id_at *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Every object e changes or deletes is, where e first names it, as e's
 * "before" says. STATUS_CONFLICT naming the first that is not. */
static enum status
still_as_built(const struct workbook *w, const struct edit *e,
               struct err *err)
{
	struct leaves l = { 0 };
	struct id_at *ix = NULL;
	enum status ret = STATUS_OK;
	size_t i;

	leaves_add(&l, e);
	if (l.nomem || (l.n && !(ix = malloc(l.n * sizeof *ix)))) {
		free(l.v);
		return err_set(err, STATUS_NOMEM, "out of memory");
	}
	for (i = 0; i < l.n; i++) {
		ix[i].id = leaf_id(l.v[i]);
		ix[i].at = i;
	}
	qsort(ix, l.n, sizeof *ix, id_at_cmp);
	for (i = 0; i < l.n && ret == STATUS_OK; i++) {
		const struct edit *leaf = l.v[ix[i].at];
		int k = edit_obj_kind(leaf->kind);
		struct process_head head;
		const void *now;
		char *a = NULL, *b = NULL;
		bool cuts;

		if (i > 0 && ix[i - 1].id == ix[i].id)
			continue;                 /* the edit's own earlier item set it */
		if (k < 0 || !leaf->u.step.before)
			continue;                 /* an add: edit_apply checks the id is free */
		if (!(now = current_obj(w, leaf, (enum obj_kind)k, ix[i].id, &head))) {
			ret = err_set(err, STATUS_CONFLICT, "%s %lld was deleted meanwhile",
			              obj_descs[k].tag, (long long)ix[i].id);
			break;
		}
		/* A scenario edit carries its name only: its cuts are edits of their own. */
		cuts = false;
		if (journal_obj_text((enum obj_kind)k, now, cuts, &a) != STATUS_OK ||
		    journal_obj_text((enum obj_kind)k, leaf->u.step.before, cuts, &b) != STATUS_OK)
			ret = err_set(err, STATUS_NOMEM, "out of memory");
		else if (strcmp(a, b) != 0)
			ret = err_set(err, STATUS_CONFLICT, "%s %lld was changed meanwhile",
			              obj_descs[k].tag, (long long)ix[i].id);
		free(a);
		free(b);
	}
	free(ix);
	free(l.v);
	return ret;
}

/* --- catching up ------------------------------------------------------------- */

/* Load the whole workbook again into w, in place (inside a transaction). */
static enum status
reload(struct store *s, struct workbook *w, int64_t gen, struct err *err)
{
	struct workbook *nw = NULL, tmp;
	enum status ret;

	if ((ret = rows_load(s, &nw, err)) != STATUS_OK)
		return ret;
	tmp = *w;
	*w = *nw;
	*nw = tmp;
	workbook_free(&nw);
	s->generation = gen;
	s->reloaded = true;
	return changes_last(s, &s->seen, err);
}

enum status
changes_last(struct store *s, int64_t *id, struct err *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_CHANGE_LAST, err);
	int rc;

	if (!st)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STATUS_OK : store_sql_err(s, rc, "read", err);
}

enum status
changes_synced(struct store *s, const struct workbook *w, struct err *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_DATA_VERSION, err);
	int64_t next = 1;
	enum status ret;

	if (!st)
		return err->code;
	if (sqlite3_step(st) == SQLITE_ROW)
		s->data_version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if ((ret = store_meta_get(s, "next_id", &next, err)) != STATUS_OK)
		return ret;
	s->id_base = w && w->next_id > next ? w->next_id : next;
	return STATUS_OK;
}

/* Apply the change rows after s->seen to w; inside a transaction. *n: how
 * many (a reload counts as one). */
static enum status
catch_up_locked(struct store *s, struct workbook *w, size_t *n, struct err *err)
{
	int64_t gen = s->generation, expect = s->generation, next = 1;
	sqlite3_stmt *st;
	enum status ret = STATUS_OK;
	bool gap = false;
	int rc;

	*n = 0;
	if ((ret = store_meta_get(s, "generation", &gen, err)) != STATUS_OK)
		return ret;
	if (gen == s->generation)
		return STATUS_OK;
	if (!(st = store_stmt(s, ST_CHANGES_SINCE, err)))
		return err->code;
	sqlite3_bind_int64(st, 1, s->seen);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct edit *e = NULL;
		struct err ignore;

		if (sqlite3_column_int64(st, 1) != expect + 1 ||
		    journal_parse((const char *)sqlite3_column_text(st, 2), &e, &ignore) != STATUS_OK ||
		    edit_apply(w, e, &ignore) != STATUS_OK) {
			edit_free(&e);
			gap = true;
			break;
		}
		edit_free(&e);
		expect++;
		s->seen = sqlite3_column_int64(st, 0);
		(*n)++;
	}
	sqlite3_reset(st);
	if (!gap && rc != SQLITE_DONE)
		return store_sql_err(s, rc, "read", err);
	if (gap || expect != gen) {
		*n = 1;
		return reload(s, w, gen, err);
	}
	s->generation = gen;
	/* another session's undo or redo may have brought a process back: its
	 * log's figures come with it */
	if ((ret = logrows_load(s, w, true, err)) != STATUS_OK ||
	    (ret = store_meta_get(s, "next_id", &next, err)) != STATUS_OK)
		return ret;
	if (next > w->next_id)
		w->next_id = next;
	return STATUS_OK;
}

/* Whether another connection committed since we last looked. */
static bool
outside_change(struct store *s)
{
	struct err ignore;
	sqlite3_stmt *st;
	int64_t v;

	if (s->memory || !(st = store_stmt(s, ST_DATA_VERSION, &ignore)))
		return false;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return true;
	}
	v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (v == s->data_version)
		return false;
	s->data_version = v;
	return true;
}

enum status
store_catch_up(struct store *s, struct workbook *w, size_t *applied, struct err *err)
{
	struct err tmp;
	locale_t old;
	enum status ret;
	size_t n = 0;

	if (!err)
		err = &tmp;
	if (applied)
		*applied = 0;
	s->reloaded = false;
	if (!outside_change(s))
		return STATUS_OK;
	old = LOCALE_C(s);
	if ((ret = store_exec(s, "BEGIN", err)) == STATUS_OK) {
		ret = catch_up_locked(s, w, &n, err);
		sqlite3_exec(s->db, ret == STATUS_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	}
	if (ret == STATUS_OK)
		ret = changes_synced(s, w, err);
	LOCALE_BACK(old);
	if (applied)
		*applied = n;
	return ret;
}

bool
store_reloaded(const struct store *s)
{
	return s->reloaded;
}

/* --- writing ------------------------------------------------------------------ */

/*
 * Start a write: BEGIN IMMEDIATE (waiting up to the busy timeout for another
 * writer), then bring w up to the workbook as it is; *n says how many
 * others' changes that took.
 */
static enum status
begin_write(struct store *s, struct workbook *w, size_t *n, struct err *err)
{
	enum status st;

	*n = 0;
	s->reloaded = false;
	if (s->readonly)
		return err_set(err, STATUS_USAGE, "%s: workbook is open read-only%s%s", s->path,
		               s->ro_reason ? ": " : "", s->ro_reason ? s->ro_reason : "");
	if ((st = store_exec(s, "BEGIN IMMEDIATE", err)) != STATUS_OK)
		return st;
	if ((st = catch_up_locked(s, w, n, err)) != STATUS_OK) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return st;
	}
	return STATUS_OK;
}

enum status
store_commit_write(struct store *s, struct err *err)
{
	enum status st = store_meta_set(s, "generation", s->generation + 1, err);

	if (st == STATUS_OK)
		st = store_exec(s, "COMMIT", err);
	if (st != STATUS_OK) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return st;
	}
	s->generation++;
	return STATUS_OK;
}

/* Apply e to w and write its rows, inside the caller's transaction. On
 * error w is as it was. inv is e's inverse, made beforehand. */
static enum status
apply_and_write(struct store *s, struct workbook *w, const struct edit *e,
                const struct edit *inv, struct err *err)
{
	enum status st;
	struct err ignore;

	if ((st = edit_apply(w, e, err)) != STATUS_OK)
		return st;
	if ((st = rows_write_edit(s, w, e, err)) != STATUS_OK)
		edit_apply(w, inv, &ignore);
	return st;
}

static enum status
exec_done(struct store *s, sqlite3_stmt *st, struct err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STATUS_OK : store_sql_err(s, rc, "write", err);
}

/* Keep the last STORE_JOURNAL_MAX edits and what came after the oldest. */
static enum status
trim(struct store *s, struct err *err)
{
	sqlite3_stmt *st;
	int64_t oldest;
	enum status ret;
	int rc;

	if (sqlite3_last_insert_rowid(s->db) <= STORE_JOURNAL_MAX)
		return STATUS_OK;
	if (!(st = store_stmt(s, ST_CHANGE_OLDEST_KEPT, err)))
		return err->code;
	sqlite3_bind_int64(st, 1, STORE_JOURNAL_MAX);
	rc = sqlite3_step(st);
	oldest = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? STATUS_OK : store_sql_err(s, rc, "write", err);
	if (!(st = store_stmt(s, ST_CHANGE_TRIM, err)))
		return err->code;
	sqlite3_bind_int64(st, 1, oldest);
	if ((ret = exec_done(s, st, err)) != STATUS_OK)
		return ret;
	if (!(st = store_stmt(s, ST_CHANGE_TRIM_OBJECTS, err)))
		return err->code;
	sqlite3_bind_int64(st, 1, oldest);
	return exec_done(s, st, err);
}

/* Append the change row for what was just applied (fwd) and the objects it
 * touched; trim the log to its cap. *id receives the row's id. */
static enum status
change_append(struct store *s, const char *kind, int64_t target, const char *label,
              const struct edit *fwd, int64_t *id, struct err *err)
{
	sqlite3_stmt *st;
	char *text = NULL;
	size_t len = 0;
	enum status ret;

	if (journal_format(fwd, &text, &len) != STATUS_OK)
		return err_set(err, STATUS_NOMEM, "out of memory");
	if (!(st = store_stmt(s, ST_CHANGE_ADD, err))) {
		free(text);
		return err->code;
	}
	sqlite3_bind_text(st, 1, s->author, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	if (target)
		sqlite3_bind_int64(st, 4, target);
	if (label)
		sqlite3_bind_text(st, 5, label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, s->generation + 1);
	sqlite3_bind_text(st, 7, text, (int)len, SQLITE_STATIC);
	ret = exec_done(s, st, err);
	sqlite3_clear_bindings(st);
	free(text);
	if (ret != STATUS_OK)
		return ret;
	*id = sqlite3_last_insert_rowid(s->db);
	if ((ret = objects_write(s, *id, fwd, err)) != STATUS_OK)
		return ret;
	return trim(s, err);
	return STATUS_OK;
}

/* Finish a write whose change is applied and logged: the next id, the
 * commit; on failure w goes back with back. */
static enum status
finish_write(struct store *s, struct workbook *w, const struct edit *back, int64_t id,
             struct err *err)
{
	struct err ignore;
	enum status st;

	if ((st = store_meta_set(s, "next_id", w->next_id, err)) != STATUS_OK) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		edit_apply(w, back, &ignore);
		return st;
	}
	if ((st = store_commit_write(s, err)) != STATUS_OK) {
		edit_apply(w, back, &ignore);
		return st;
	}
	s->seen = id;
	s->id_base = w->next_id;
	return STATUS_OK;
}

/* Roll the write back, and w with back (when given). */
static void
abandon(struct store *s, struct workbook *w, const struct edit *back)
{
	struct err ignore;

	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (w && back)
		edit_apply(w, back, &ignore);
}

enum status
store_do(struct store *s, struct workbook *w, struct edit *e, struct err *err)
{
	struct err tmp;
	locale_t old = LOCALE_C(s);
	struct edit *inv = NULL;
	sm_id base = s->id_base, mine = w->next_id;
	int64_t next = 1, id = 0;
	sqlite3_stmt *q;
	enum status st;
	size_t n;

	if (!err)
		err = &tmp;
	s->shift = 0;
	if (!e) {
		st = err_set(err, STATUS_USAGE, "no edit");
		goto out;
	}
	if ((st = begin_write(s, w, &n, err)) != STATUS_OK)
		goto out;
	/* The ids this session took since its last sync go past the others'. */
	if ((st = store_meta_get(s, "next_id", &next, err)) != STATUS_OK)
		goto rollback;
	if (base > 0 && next > base) {
		s->shift_base = base;
		s->shift = next - base;
		shift_edit(e, base, s->shift);
		if (mine + s->shift > w->next_id)
			w->next_id = mine + s->shift;
	}
	if (n > 0 && (st = still_as_built(w, e, err)) != STATUS_OK) {
		if (st == STATUS_CONFLICT)
			err_prefix(err, "%s: %s no longer applies: ", s->path,
			           e->label ? e->label : "the edit");
		goto rollback;
	}
	if (!(inv = edit_inverse(e))) {
		st = err_set(err, STATUS_NOMEM, "out of memory");
		goto rollback;
	}
	if ((st = apply_and_write(s, w, e, inv, err)) != STATUS_OK) {
		/* Built on a workbook that has changed since: it no longer fits. */
		if (n > 0 && (st == STATUS_INPUT || st == STATUS_NOT_FOUND)) {
			err_prefix(err, "%s: %s no longer applies: ", s->path,
			           e->label ? e->label : "the edit");
			st = err->code = STATUS_CONFLICT;
		}
		goto rollback;
	}
	if ((st = change_append(s, "edit", 0, e->label, e, &id, err)) != STATUS_OK)
		goto unapply;
	/* A new edit drops what its author could redo. */
	if (!(q = store_stmt(s, ST_CHANGE_DROP_REDO, err))) {
		st = err->code;
		goto unapply;
	}
	sqlite3_bind_text(q, 1, s->author, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, id);
	if ((st = exec_done(s, q, err)) != STATUS_OK) {
		sqlite3_clear_bindings(q);
		goto unapply;
	}
	sqlite3_clear_bindings(q);
	st = finish_write(s, w, inv, id, err);
	goto out;
unapply:
	abandon(s, w, inv);
	goto out;
rollback:
	abandon(s, NULL, NULL);
out:
	edit_free(&inv);
	edit_free(&e);
	LOCALE_BACK(old);
	return st;
}

/* --- undo and redo, per author ------------------------------------------------ */

/* The author's change to undo (dir -1) or redo (+1): its id, edit, label.
 * STATUS_NOTHING when there is none. */
static enum status
pick(struct store *s, int dir, int64_t *id, struct edit **e, char **label, struct err *err)
{
	sqlite3_stmt *st = store_stmt(s, dir < 0 ? ST_CHANGE_UNDO_PICK : ST_CHANGE_REDO_PICK, err);
	enum status ret = STATUS_OK;
	int rc;

	*e = NULL;
	*label = NULL;
	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, s->author, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		ret = STATUS_NOTHING;
	} else if (rc != SQLITE_ROW) {
		ret = store_sql_err(s, rc, "read", err);
	} else {
		*id = sqlite3_column_int64(st, 0);
		if (e && (ret = journal_parse((const char *)sqlite3_column_text(st, 1), e, err))
		    != STATUS_OK)
			err_prefix(err, "%s: cannot undo or redo: ", s->path);
		if (ret == STATUS_OK && sqlite3_column_type(st, 2) != SQLITE_NULL &&
		    !(*label = strdup((const char *)sqlite3_column_text(st, 2))))
			ret = err_set(err, STATUS_NOMEM, "out of memory");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

/* STATUS_CONFLICT when another author changed an object change id touched
 * after it. */
static enum status
changed_by_other(struct store *s, int64_t id, int dir, const char *label, struct err *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_CHANGE_OTHERS_SINCE, err);
	enum status ret = STATUS_OK;
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, s->author, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ret = err_set(err, STATUS_CONFLICT, "cannot %s '%s': %s changed it since (object "
		              "%lld); nothing was %s", dir < 0 ? "undo" : "redo",
		              label ? label : "edit", (const char *)sqlite3_column_text(st, 0),
		              (long long)sqlite3_column_int64(st, 1), dir < 0 ? "undone" : "redone");
	else if (rc != SQLITE_DONE)
		ret = store_sql_err(s, rc, "read", err);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

/* Undo (dir -1) or redo (dir +1) the author's change. */
static enum status
travel(struct store *s, struct workbook *w, int dir, const char **label, struct err *err)
{
	locale_t old = LOCALE_C(s);
	struct edit *e = NULL, *inv = NULL;
	const struct edit *fwd, *back;
	char *lab = NULL;
	int64_t id = 0, row = 0;
	sqlite3_stmt *q;
	enum status st;
	size_t n;

	if (label)
		*label = NULL;
	s->shift = 0;
	if ((st = begin_write(s, w, &n, err)) != STATUS_OK)
		goto out;
	if ((st = pick(s, dir, &id, &e, &lab, err)) != STATUS_OK) {
		if (st == STATUS_NOTHING)
			err_set(err, STATUS_NOTHING, "nothing to %s", dir < 0 ? "undo" : "redo");
		goto rollback;
	}
	if ((st = changed_by_other(s, id, dir, lab, err)) != STATUS_OK)
		goto rollback;
	if (!(inv = edit_inverse(e))) {
		st = err_set(err, STATUS_NOMEM, "out of memory");
		goto rollback;
	}
	/* Undo applies the inverse; redo the edit itself. */
	fwd = dir < 0 ? inv : e;
	back = dir < 0 ? e : inv;
	if ((st = apply_and_write(s, w, fwd, back, err)) != STATUS_OK) {
		err_prefix(err, "cannot %s: ", dir < 0 ? "undo" : "redo");
		goto rollback;
	}
	if ((st = change_append(s, dir < 0 ? "undo" : "redo", id, lab, fwd, &row, err))
	    != STATUS_OK || !(q = store_stmt(s, ST_CHANGE_SET_UNDONE, err))) {
		if (st == STATUS_OK)
			st = err->code;
		goto unapply;
	}
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, dir < 0 ? 1 : 0);
	/* a process brought back (an import redone, a delete undone) has its
	 * log's figures again: the row outlived it */
	if ((st = exec_done(s, q, err)) != STATUS_OK ||
	    (st = logrows_load(s, w, true, err)) != STATUS_OK)
		goto unapply;
	if ((st = finish_write(s, w, back, row, err)) != STATUS_OK)
		goto out;
	free(s->label);
	s->label = lab;
	lab = NULL;
	if (label)
		*label = s->label;
	goto out;
unapply:
	abandon(s, w, back);
	goto out;
rollback:
	abandon(s, NULL, NULL);
out:
	free(lab);
	edit_free(&inv);
	edit_free(&e);
	LOCALE_BACK(old);
	return st;
}

enum status
store_undo(struct store *s, struct workbook *w, const char **label, struct err *err)
{
	struct err tmp;

	return travel(s, w, -1, label, err ? err : &tmp);
}

enum status
store_redo(struct store *s, struct workbook *w, const char **label, struct err *err)
{
	struct err tmp;

	return travel(s, w, +1, label, err ? err : &tmp);
}

static bool
can(struct store *s, enum stmt_id id)
{
	struct err err;
	sqlite3_stmt *st;
	bool has;

	if (s->readonly || !(st = store_stmt(s, id, &err)))
		return false;
	sqlite3_bind_text(st, 1, s->author, -1, SQLITE_STATIC);
	has = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return has;
}

bool
store_can_undo(struct store *s)
{
	return can(s, ST_CHANGE_UNDO_PICK);
}

bool
store_can_redo(struct store *s)
{
	return can(s, ST_CHANGE_REDO_PICK);
}

/* --- who, and who last --------------------------------------------------------- */

enum status
store_set_author(struct store *s, const char *name, struct err *err)
{
	char *a;

	if (!name || !*name)
		return err_set(err, STATUS_USAGE, "a name must not be empty");
	if (!(a = strdup(name)))
		return err_set(err, STATUS_NOMEM, "out of memory");
	free(s->author);
	s->author = a;
	return STATUS_OK;
}

const char *
store_author(const struct store *s)
{
	return s->author;
}

bool
store_last_author(struct store *s, sm_id obj, char *buf, size_t size)
{
	struct err err;
	sqlite3_stmt *st;
	bool found = false;

	if (size)
		buf[0] = 0;
	if (!(st = store_stmt(s, ST_CHANGE_LAST_BY, &err)))
		return false;
	sqlite3_bind_int64(st, 1, obj);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
		found = true;
	}
	sqlite3_reset(st);
	return found;
}
