/*
 * rows.c - the objects of the model as rows: one descriptor per kind of
 * object (process, lane, step, flow, measure, scenario, cut) lists its fields
 * with their column names and types; from it come the INSERT, UPDATE and
 * DELETE of an edit, the whole-workbook load and save, and (in journal.c)
 * the journal's text. Adding a field is adding one line to a table here and
 * a column in schema.c.
 *
 * Durations are stored as their canonical text (dist_format), which
 * dist_parse reads back to the identical value; enums as their keywords, so
 * a reordered enum never changes what a file means.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/bounds.h"
#include "store/store_int.h"

#define F(obj, field, type) { #field, type, offsetof(struct obj, field), 0 }
#define FD(obj, field, type, d) { #field, type, offsetof(struct obj, field), d }

static const struct fld process_flds[] = {
	F(process_head, id, FT_ID),
	F(process_head, key, FT_DBL),
	F(process_head, name, FT_NAME),
	F(process_head, description, FT_STR),
	F(process_head, arrival, FT_DIST),
	F(process_head, flows_explicit, FT_BOOL),
	F(process_head, di, FT_STR),
	F(process_head, time_unit, FT_TIME_UNIT),
};

static const struct fld lane_flds[] = {
	F(lane, id, FT_ID),
	F(lane, key, FT_DBL),
	F(lane, name, FT_NAME),
	F(lane, stage, FT_STAGE),
	F(lane, capacity, FT_INT),
	F(lane, source_id, FT_STR),
	F(lane, di, FT_STR),
};

static const struct fld step_flds[] = {
	F(step, id, FT_ID),
	F(step, key, FT_DBL),
	F(step, lane, FT_REF),
	F(step, name, FT_NAME),
	F(step, type, FT_STEP_TYPE),
	F(step, work, FT_DIST),
	F(step, wait, FT_DIST),
	F(step, value, FT_VALUE),
	F(step, error_rate, FT_DBL),
	F(step, cost, FT_DBL),
	F(step, channel, FT_STR),
	F(step, emotion, FT_EMOTION),
	F(step, note, FT_STR),
	F(step, pain, FT_BOOL),
	F(step, event, FT_EVENT),
	F(step, non_interrupting, FT_BOOL),
	F(step, called, FT_STR),
	F(step, source_id, FT_STR),
	F(step, di, FT_STR),
	F(step, generated, FT_BOOL),
};

static const struct fld flow_flds[] = {
	F(flow, id, FT_ID),
	F(flow, from, FT_ID),
	F(flow, to, FT_ID),
	F(flow, label, FT_STR),
	F(flow, condition, FT_STR),
	FD(flow, prob, FT_DBL, -1),
	F(flow, kind, FT_FLOW_KIND),
	F(flow, is_default, FT_BOOL),
	F(flow, source_id, FT_STR),
	F(flow, di, FT_STR),
};

static const struct fld measure_flds[] = {
	F(measure, id, FT_ID),
	F(measure, name, FT_NAME),
	F(measure, from, FT_ID),
	F(measure, to, FT_ID),
	F(measure, clock, FT_CLOCK),
};

static const struct fld scenario_flds[] = {
	F(scenario, id, FT_ID),
	F(scenario, name, FT_NAME),
};

static const struct fld cut_flds[] = {
	F(cut, id, FT_ID),
	F(cut, key, FT_DBL),
	F(cut, kind, FT_CUT_KIND),
	F(cut, step, FT_REF),
	F(cut, step2, FT_REF),
	F(cut, lane, FT_REF),
	FD(cut, time_factor, FT_DBL, 1),
	FD(cut, error_factor, FT_DBL, 1),
	F(cut, capacity, FT_INT),
	F(cut, field, FT_STR),
	F(cut, value, FT_STR),
};

#define NFLDS(a) (sizeof a / sizeof a[0])

const struct obj_desc obj_descs[OBJ_COUNT_] = {
	[OBJ_PROCESS]  = { "process", "processes", NULL, sizeof(struct process_head),
	                   process_flds, NFLDS(process_flds) },
	[OBJ_LANE]     = { "lane", "lanes", "process", sizeof(struct lane),
	                   lane_flds, NFLDS(lane_flds) },
	[OBJ_STEP]     = { "step", "steps", "process", sizeof(struct step),
	                   step_flds, NFLDS(step_flds) },
	[OBJ_FLOW]     = { "flow", "flows", "process", sizeof(struct flow),
	                   flow_flds, NFLDS(flow_flds) },
	[OBJ_MEASURE]  = { "measure", "measures", "process", sizeof(struct measure),
	                   measure_flds, NFLDS(measure_flds) },
	[OBJ_SCENARIO] = { "scenario", "scenarios", "process", sizeof(struct scenario),
	                   scenario_flds, NFLDS(scenario_flds) },
	[OBJ_CUT]      = { "cut", "cuts", "scenario", sizeof(struct cut),
	                   cut_flds, NFLDS(cut_flds) },
};

/* --- edit kinds ----------------------------------------------------------- */

static const char *const edit_keywords[] = {
#define EDIT_KW_(name, kw) kw,
	EDIT_KIND_INFO(EDIT_KW_)
#undef EDIT_KW_
};

const char *
edit_kind_keyword(enum edit_kind k)
{
	return (unsigned)k < EDIT_KIND_COUNT_ ? edit_keywords[k] : "?";
}

int
edit_kind_from_keyword(const char *s)
{
	int k;

	for (k = 0; k < EDIT_KIND_COUNT_; k++)
		if (strcmp(edit_keywords[k], s) == 0)
			return k;
	return -1;
}

int
edit_obj_kind(enum edit_kind k)
{
	switch (k) {
	case EDIT_PROCESS_ADD: case EDIT_PROCESS_DEL: case EDIT_PROCESS_SET:
		return OBJ_PROCESS;
	case EDIT_LANE_ADD: case EDIT_LANE_DEL: case EDIT_LANE_SET:
		return OBJ_LANE;
	case EDIT_STEP_ADD: case EDIT_STEP_DEL: case EDIT_STEP_SET:
		return OBJ_STEP;
	case EDIT_FLOW_ADD: case EDIT_FLOW_DEL: case EDIT_FLOW_SET:
		return OBJ_FLOW;
	case EDIT_MEASURE_ADD: case EDIT_MEASURE_DEL: case EDIT_MEASURE_SET:
		return OBJ_MEASURE;
	case EDIT_SCENARIO_ADD: case EDIT_SCENARIO_DEL: case EDIT_SCENARIO_SET:
		return OBJ_SCENARIO;
	case EDIT_CUT_ADD: case EDIT_CUT_DEL:
		return OBJ_CUT;
	default:
		return -1;
	}
}

enum edit_op
edit_op_of(enum edit_kind k)
{
	switch (k) {
	case EDIT_GROUP:
		return OP_GROUP;
	case EDIT_PROCESS_ADD: case EDIT_LANE_ADD: case EDIT_STEP_ADD: case EDIT_FLOW_ADD:
	case EDIT_MEASURE_ADD: case EDIT_SCENARIO_ADD: case EDIT_CUT_ADD:
		return OP_ADD;
	case EDIT_PROCESS_DEL: case EDIT_LANE_DEL: case EDIT_STEP_DEL: case EDIT_FLOW_DEL:
	case EDIT_MEASURE_DEL: case EDIT_SCENARIO_DEL: case EDIT_CUT_DEL:
		return OP_DEL;
	default:
		return OP_SET;
	}
}

/* --- objects --------------------------------------------------------------- */

#define AT(obj, f, T) ((T *)(void *)((char *)(obj) + (f)->off))
#define CAT(obj, f, T) ((const T *)(const void *)((const char *)(obj) + (f)->off))

void *
obj_new(enum obj_kind k)
{
	const struct obj_desc *d = &obj_descs[k];
	void *o = calloc(1, d->size);
	size_t i;

	if (!o)
		return NULL;
	for (i = 0; i < d->nflds; i++) {
		const struct fld *f = &d->flds[i];

		switch (f->type) {
		case FT_DBL:
			*AT(o, f, double) = f->def;
			break;
		case FT_INT:
			*AT(o, f, int) = (int)f->def;
			break;
		case FT_EMOTION:
			*AT(o, f, int) = EMOTION_NONE;
			break;
		case FT_DIST:
			AT(o, f, struct dist)->kind = DIST_NONE;
			break;
		case FT_NAME:
			if (!(*AT(o, f, char *) = strdup(""))) {
				obj_free(k, o);
				return NULL;
			}
			break;
		default:
			break;
		}
	}
	return o;
}

void
obj_free(enum obj_kind k, void *o)
{
	const struct obj_desc *d = &obj_descs[k];
	size_t i;

	if (!o)
		return;
	for (i = 0; i < d->nflds; i++)
		if (d->flds[i].type == FT_STR || d->flds[i].type == FT_NAME)
			free(*AT(o, &d->flds[i], char *));
	if (k == OBJ_SCENARIO) {
		struct scenario *sc = o;

		for (i = 0; i < sc->ncuts; i++)
			cut_free(&sc->cuts[i]);
		free(sc->cuts);
	}
	free(o);
}

/* --- binding and reading columns ---------------------------------------- */

/* Bind field f of o to parameter i. */
static int
bind_fld(sqlite3_stmt *st, int i, const struct fld *f, const void *o)
{
	char buf[DIST_TEXT_MAX];
	const char *s;

	switch (f->type) {
	case FT_ID:
		return sqlite3_bind_int64(st, i, *CAT(o, f, sm_id));
	case FT_REF:
		if (*CAT(o, f, sm_id) == 0)
			return sqlite3_bind_null(st, i);
		return sqlite3_bind_int64(st, i, *CAT(o, f, sm_id));
	case FT_DBL:
		return sqlite3_bind_double(st, i, *CAT(o, f, double));
	case FT_INT:
		return sqlite3_bind_int(st, i, *CAT(o, f, int));
	case FT_STR:
	case FT_NAME:
		s = *CAT(o, f, char *const);
		if (!s)
			return f->type == FT_NAME ? sqlite3_bind_text(st, i, "", 0, SQLITE_STATIC)
			                          : sqlite3_bind_null(st, i);
		return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	case FT_DIST:
		dist_format(CAT(o, f, struct dist), buf, sizeof buf);
		return sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
	case FT_STEP_TYPE:
		return sqlite3_bind_text(st, i, step_type_name(*CAT(o, f, enum step_type)), -1,
		                         SQLITE_STATIC);
	case FT_STAGE:
		return sqlite3_bind_text(st, i, stage_name(*CAT(o, f, enum stage)), -1, SQLITE_STATIC);
	case FT_VALUE:
		return sqlite3_bind_text(st, i, value_class_name(*CAT(o, f, enum value_class)), -1,
		                         SQLITE_STATIC);
	case FT_CLOCK:
		return sqlite3_bind_text(st, i, clock_name(*CAT(o, f, enum clock)), -1, SQLITE_STATIC);
	case FT_EVENT:
		return sqlite3_bind_text(st, i, event_def_name(*CAT(o, f, enum event_def)), -1,
		                         SQLITE_STATIC);
	case FT_FLOW_KIND:
		return sqlite3_bind_text(st, i, flow_kind_name(*CAT(o, f, enum flow_kind)), -1,
		                         SQLITE_STATIC);
	case FT_CUT_KIND:
		return sqlite3_bind_text(st, i, cut_kind_name(*CAT(o, f, enum cut_kind)), -1,
		                         SQLITE_STATIC);
	case FT_TIME_UNIT:
		return sqlite3_bind_text(st, i, time_unit_name(*CAT(o, f, enum time_unit)), -1,
		                         SQLITE_STATIC);
	case FT_BOOL:
		return sqlite3_bind_int(st, i, *CAT(o, f, bool) ? 1 : 0);
	case FT_EMOTION:
		if (*CAT(o, f, int) == EMOTION_NONE)
			return sqlite3_bind_null(st, i);
		return sqlite3_bind_int(st, i, *CAT(o, f, int));
	}
	return SQLITE_MISUSE;
}

enum status
obj_check(enum obj_kind k, const void *o, struct err *err)
{
	switch (k) {
	case OBJ_LANE:    return bounds_check_lane(o, err);
	case OBJ_STEP:    return bounds_check_step(o, err);
	case OBJ_FLOW:    return bounds_check_flow(o, err);
	case OBJ_CUT:     return bounds_check_cut(o, err);
	case OBJ_PROCESS: {
		const struct process_head *h = o;

		if (!bound_in(h->key, -BOUND_KEY_MAX, BOUND_KEY_MAX))
			return err_set(err, STATUS_INPUT, "key: %g is out of range", h->key);
		return bounds_check_dist(&h->arrival, "arrival", err);
	}
	default:          return STATUS_OK;
	}
}

/* Parse a keyword with parse(); -1 when unknown. */
static int
keyword_value(int (*parse)(const char *), const char *text)
{
	return text ? parse(text) : -1;
}

enum status
fld_set_text(const struct fld *f, void *o, const char *text, struct err *err)
{
	double v = 0;
	int k = 0;
	char *dup;
	struct dist dd;

	switch (f->type) {
	case FT_ID:
	case FT_REF:
		if (!text) {
			if (f->type == FT_ID)
				goto bad;
			*AT(o, f, sm_id) = 0;
			return STATUS_OK;
		}
		/* bounds first: a double out of sm_id's range must never be converted */
		if (!num_parse(text, &v) || !bound_whole(v, f->type == FT_ID ? 1 : 0, BOUND_ID_MAX))
			goto bad;
		*AT(o, f, sm_id) = (sm_id)v;
		return STATUS_OK;
	case FT_DBL:
		if (!text || !num_parse(text, &v) || !isfinite(v))
			goto bad;
		*AT(o, f, double) = v;
		return STATUS_OK;
	case FT_INT:
	case FT_BOOL:
	case FT_EMOTION:
		if (!text) {
			if (f->type != FT_EMOTION)
				goto bad;
			*AT(o, f, int) = EMOTION_NONE;
			return STATUS_OK;
		}
		if (!num_parse(text, &v) || !bound_whole(v, INT_MIN, INT_MAX))
			goto bad;
		if (f->type == FT_BOOL)
			*AT(o, f, bool) = v != 0;
		else
			*AT(o, f, int) = (int)v;
		return STATUS_OK;
	case FT_STR:
	case FT_NAME:
		if (!text && f->type == FT_NAME)
			text = "";
		dup = NULL;
		if (text && !(dup = strdup(text)))
			return err_set(err, STATUS_NOMEM, "out of memory");
		free(*AT(o, f, char *));
		*AT(o, f, char *) = dup;
		return STATUS_OK;
	case FT_DIST:
		if (dist_read(text ? text : "", f->name, &dd, err) != STATUS_OK)
			return err->code = STATUS_CORRUPT;
		*AT(o, f, struct dist) = dd;
		return STATUS_OK;
	case FT_STEP_TYPE:
		k = keyword_value(step_type_parse, text);
		break;
	case FT_STAGE:
		k = keyword_value(stage_parse, text);
		break;
	case FT_VALUE:
		k = text ? value_class_parse(text) : VALUE_NONE;
		break;
	case FT_CLOCK:
		k = keyword_value(clock_parse, text);
		break;
	case FT_EVENT:
		k = text ? event_def_parse(text) : EVENT_NONE;
		break;
	case FT_FLOW_KIND:
		k = text ? flow_kind_parse(text) : FLOW_SEQUENCE;
		break;
	case FT_CUT_KIND:
		k = keyword_value(cut_kind_parse, text);
		break;
	case FT_TIME_UNIT:     /* absent (a journal line before it, a salvaged
	                          older workbook): auto */
		k = text && *text ? time_unit_parse(text) : TIME_UNIT_AUTO;
		break;
	}
	if (k < 0)
		goto bad;
	switch (f->type) {
	case FT_STEP_TYPE: *AT(o, f, enum step_type) = (enum step_type)k; break;
	case FT_STAGE:     *AT(o, f, enum stage) = (enum stage)k; break;
	case FT_VALUE:     *AT(o, f, enum value_class) = (enum value_class)k; break;
	case FT_CLOCK:     *AT(o, f, enum clock) = (enum clock)k; break;
	case FT_EVENT:     *AT(o, f, enum event_def) = (enum event_def)k; break;
	case FT_FLOW_KIND: *AT(o, f, enum flow_kind) = (enum flow_kind)k; break;
	case FT_CUT_KIND:  *AT(o, f, enum cut_kind) = (enum cut_kind)k; break;
	case FT_TIME_UNIT: *AT(o, f, enum time_unit) = (enum time_unit)k; break;
	default: break;
	}
	return STATUS_OK;
bad:
	return err_set(err, STATUS_CORRUPT, "%s: unexpected value '%.40s'", f->name,
	               text ? text : "(null)");
}

/* Set field f of o from column i of a row. */
static enum status
fld_read(sqlite3_stmt *st, int i, const struct fld *f, void *o, struct err *err)
{
	int t = sqlite3_column_type(st, i);

	switch (f->type) {
	case FT_ID:
	case FT_REF:
		if (t == SQLITE_INTEGER) {
			sm_id v = sqlite3_column_int64(st, i);

			if (v < (f->type == FT_ID ? 1 : 0) || v > (sm_id)BOUND_ID_MAX)
				break;
			*AT(o, f, sm_id) = v;
			return STATUS_OK;
		}
		if (t == SQLITE_NULL && f->type == FT_REF) {
			*AT(o, f, sm_id) = 0;
			return STATUS_OK;
		}
		break;
	case FT_DBL:
		if (t == SQLITE_FLOAT || t == SQLITE_INTEGER) {
			double v = sqlite3_column_double(st, i);

			if (!isfinite(v))
				break;
			*AT(o, f, double) = v;
			return STATUS_OK;
		}
		if (t == SQLITE_NULL) {      /* SQLite stores NaN as NULL */
			*AT(o, f, double) = f->def;
			return STATUS_OK;
		}
		break;
	case FT_INT:
	case FT_BOOL:
		if (t == SQLITE_INTEGER) {
			sqlite3_int64 v = sqlite3_column_int64(st, i);

			if (f->type == FT_BOOL) {
				*AT(o, f, bool) = v != 0;
				return STATUS_OK;
			}
			if (v < INT_MIN || v > INT_MAX)
				break;
			*AT(o, f, int) = (int)v;
			return STATUS_OK;
		}
		break;
	case FT_EMOTION:
		if (t == SQLITE_NULL) {
			*AT(o, f, int) = EMOTION_NONE;
			return STATUS_OK;
		}
		if (t == SQLITE_INTEGER && sqlite3_column_int64(st, i) >= -2 &&
		    sqlite3_column_int64(st, i) <= 2) {
			*AT(o, f, int) = sqlite3_column_int(st, i);
			return STATUS_OK;
		}
		break;
	default:
		return fld_set_text(f, o, t == SQLITE_NULL ? NULL
		                          : (const char *)sqlite3_column_text(st, i), err);
	}
	return err_set(err, STATUS_CORRUPT, "%s: unexpected value '%.40s'", f->name,
	               t == SQLITE_NULL ? "NULL" : (const char *)sqlite3_column_text(st, i));
}

/* --- statements --------------------------------------------------------- */

/* Append to a fixed buffer (the SQL texts are short). */
static void
cat(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);

	if (n < size - 1)
		snprintf(buf + n, size - n, "%s", s);
}

/* The SQL of a row statement for object kind k, into buf. */
static void
row_sql(enum stmt_id id, char *buf, size_t size)
{
	enum obj_kind k = (enum obj_kind)(id % OBJ_COUNT_);
	const struct obj_desc *d = &obj_descs[k];
	size_t i;

	buf[0] = 0;
	if (id < ST_UPDATE_) {
		/* INSERT INTO t("process","id",...) VALUES(?1,?2,...) */
		cat(buf, size, "INSERT INTO ");
		cat(buf, size, d->table);
		cat(buf, size, "(");
		if (d->parent) {
			cat(buf, size, "\"");
			cat(buf, size, d->parent);
			cat(buf, size, "\",");
		}
		for (i = 0; i < d->nflds; i++) {
			cat(buf, size, "\"");
			cat(buf, size, d->flds[i].name);
			cat(buf, size, i + 1 < d->nflds ? "\"," : "\") VALUES(");
		}
		for (i = 0; i < d->nflds + (d->parent ? 1 : 0); i++)
			cat(buf, size, i ? ",?" : "?");
		cat(buf, size, ")");
	} else if (id < ST_DELETE_) {
		/* UPDATE t SET "key"=?2,... WHERE id=?1 */
		char num[32];

		cat(buf, size, "UPDATE ");
		cat(buf, size, d->table);
		cat(buf, size, " SET ");
		for (i = 1; i < d->nflds; i++) {
			snprintf(num, sizeof num, "\"=?%zu", i + 1);
			cat(buf, size, i > 1 ? ",\"" : "\"");
			cat(buf, size, d->flds[i].name);
			cat(buf, size, num);
		}
		cat(buf, size, " WHERE id=?1");
	} else {
		cat(buf, size, "DELETE FROM ");
		cat(buf, size, d->table);
		cat(buf, size, " WHERE id=?1");
	}
}

static const char *const fixed_sql[ST_COUNT_ - ST_META_GET] = {
	[ST_META_GET - ST_META_GET] = "SELECT value FROM meta WHERE key=?1",
	[ST_META_SET - ST_META_GET] = "INSERT INTO meta(key,value) VALUES(?1,?2) "
	                              "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
	[ST_DATA_VERSION - ST_META_GET] = "PRAGMA data_version",
	[ST_CHANGE_ADD - ST_META_GET] = "INSERT INTO changes(author,time,kind,target,label,gen,edit)"
	                                " VALUES(?1,?2,?3,?4,?5,?6,?7)",
	[ST_CHANGE_OBJ_ADD - ST_META_GET] = "INSERT OR IGNORE INTO change_objects(obj,change)"
	                                    " VALUES(?1,?2)",
	[ST_CHANGES_SINCE - ST_META_GET] = "SELECT id, gen, edit FROM changes WHERE id>?1 ORDER BY id",
	[ST_CHANGE_LAST - ST_META_GET] = "SELECT max(id) FROM changes",
	[ST_CHANGE_UNDO_PICK - ST_META_GET] = "SELECT id, edit, label FROM changes WHERE author=?1"
	                                      " AND kind='edit' AND undone=0 ORDER BY id DESC LIMIT 1",
	[ST_CHANGE_REDO_PICK - ST_META_GET] = "SELECT id, edit, label FROM changes WHERE author=?1"
	                                      " AND kind='edit' AND undone=1 ORDER BY id LIMIT 1",
	[ST_CHANGE_SET_UNDONE - ST_META_GET] = "UPDATE changes SET undone=?2 WHERE id=?1",
	[ST_CHANGE_DROP_REDO - ST_META_GET] = "UPDATE changes SET undone=2 WHERE author=?1"
	                                      " AND kind='edit' AND undone=1 AND id<?2",
	[ST_CHANGE_OTHERS_SINCE - ST_META_GET] =
		"SELECT c.author, o.obj FROM change_objects o"
		" JOIN change_objects m ON m.obj=o.obj AND m.change>?1"
		" JOIN changes c ON c.id=m.change"
		" WHERE o.change=?1 AND c.author<>?2 LIMIT 1",
	[ST_CHANGE_OLDEST_KEPT - ST_META_GET] = "SELECT id FROM changes WHERE kind='edit'"
	                                        " ORDER BY id DESC LIMIT 1 OFFSET ?1",
	[ST_CHANGE_TRIM - ST_META_GET] = "DELETE FROM changes WHERE id<=?1",
	[ST_CHANGE_TRIM_OBJECTS - ST_META_GET] = "DELETE FROM change_objects WHERE change<=?1",
	[ST_CHANGE_LAST_BY - ST_META_GET] = "SELECT c.author FROM change_objects o"
	                                    " JOIN changes c ON c.id=o.change"
	                                    " WHERE o.obj=?1 ORDER BY o.change DESC LIMIT 1",
};

sqlite3_stmt *
store_stmt(struct store *s, enum stmt_id id, struct err *err)
{
	char buf[1024];
	const char *sql;
	int rc;

	if (s->stmt[id]) {
		sqlite3_reset(s->stmt[id]);
		sqlite3_clear_bindings(s->stmt[id]);
		return s->stmt[id];
	}
	if (id < ST_META_GET) {
		row_sql(id, buf, sizeof buf);
		sql = buf;
	} else {
		sql = fixed_sql[id - ST_META_GET];
	}
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[id], NULL);
	if (rc != SQLITE_OK) {
		store_sql_err(s, rc, "prepare", err);
		return NULL;
	}
	return s->stmt[id];
}

/* Step a statement that returns no rows. */
static enum status
run(struct store *s, sqlite3_stmt *st, const char *what, struct err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_sql_err(s, rc, what, err);
	return STATUS_OK;
}

/* --- writing rows ------------------------------------------------------- */

enum status
rows_insert(struct store *s, enum obj_kind k, sm_id parent, const void *obj, struct err *err)
{
	const struct obj_desc *d = &obj_descs[k];
	sqlite3_stmt *st = store_stmt(s, (enum stmt_id)(ST_INSERT_ + k), err);
	int p = 1, rc = SQLITE_OK;
	size_t i;
	enum status ret;

	if (!st)
		return err->code;
	if (d->parent)
		rc = sqlite3_bind_int64(st, p++, parent);
	for (i = 0; i < d->nflds && rc == SQLITE_OK; i++)
		rc = bind_fld(st, p++, &d->flds[i], obj);
	if (rc != SQLITE_OK)
		return store_sql_err(s, rc, "write", err);
	if ((ret = run(s, st, "write", err)) != STATUS_OK)
		return ret;
	if (k == OBJ_SCENARIO) {
		const struct scenario *sc = obj;

		for (i = 0; i < sc->ncuts; i++)
			if ((ret = rows_insert(s, OBJ_CUT, sc->id, sc->cuts[i], err)) != STATUS_OK)
				return ret;
	}
	return STATUS_OK;
}

static enum status
rows_update(struct store *s, enum obj_kind k, const void *obj, struct err *err)
{
	const struct obj_desc *d = &obj_descs[k];
	sqlite3_stmt *st = store_stmt(s, (enum stmt_id)(ST_UPDATE_ + k), err);
	int rc = SQLITE_OK;
	size_t i;
	enum status ret;

	if (!st)
		return err->code;
	for (i = 0; i < d->nflds && rc == SQLITE_OK; i++)
		rc = bind_fld(st, (int)i + 1, &d->flds[i], obj);
	if (rc != SQLITE_OK)
		return store_sql_err(s, rc, "write", err);
	if ((ret = run(s, st, "write", err)) != STATUS_OK)
		return ret;
	if (sqlite3_changes(s->db) != 1)
		return err_set(err, STATUS_CORRUPT, "%s: %s %lld is missing from the workbook",
		               s->path, d->tag, (long long)*(const sm_id *)obj);
	return STATUS_OK;
}

static enum status
rows_delete(struct store *s, enum obj_kind k, sm_id id, struct err *err)
{
	sqlite3_stmt *st = store_stmt(s, (enum stmt_id)(ST_DELETE_ + k), err);
	int rc;

	if (!st)
		return err->code;
	if ((rc = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK)
		return store_sql_err(s, rc, "write", err);
	/* No row is fine: a delete earlier in the same group may have cascaded. */
	return run(s, st, "write", err);
}

/* The parent id of an object an edit adds: its process, or for a cut its
 * scenario. Edits name them; the model's owner look-up is the fallback. */
static sm_id
edit_parent(const struct workbook *w, const struct edit *e, enum obj_kind k, sm_id id)
{
	struct process *p;

	if (k == OBJ_CUT)
		return e->scenario;
	if (e->process)
		return e->process;
	p = workbook_owner(w, id);
	return p ? p->id : 0;
}

enum status
rows_write_edit(struct store *s, const struct workbook *w, const struct edit *e,
                struct err *err)
{
	enum edit_op op = edit_op_of(e->kind);
	int k = edit_obj_kind(e->kind);
	const void *before, *after;
	enum status st;
	size_t i;

	if (op == OP_GROUP) {
		for (i = 0; i < e->u.group.n; i++)
			if ((st = rows_write_edit(s, w, e->u.group.items[i], err)) != STATUS_OK)
				return st;
		return STATUS_OK;
	}
	if (k < 0)
		return err_set(err, STATUS_INTERNAL, "%s: unknown edit kind %d", s->path, e->kind);
	/* Every member of the union has before and after pointers first. */
	before = e->u.step.before;
	after = e->u.step.after;
	switch (op) {
	case OP_ADD:
		if (!after)
			break;
		return rows_insert(s, (enum obj_kind)k,
		                   edit_parent(w, e, (enum obj_kind)k, *(const sm_id *)after), after, err);
	case OP_DEL:
		if (!before)
			break;
		return rows_delete(s, (enum obj_kind)k, *(const sm_id *)before, err);
	case OP_SET:
		if (!after)
			break;
		return rows_update(s, (enum obj_kind)k, after, err);
	default:
		break;
	}
	return err_set(err, STATUS_INTERNAL, "%s: edit %s without its object", s->path,
	               edit_kind_keyword(e->kind));
}

/* --- load --------------------------------------------------------------- */

/* Prepare SELECT parent, fields... FROM table ORDER BY order. */
bool
store_has_column(struct store *s, const char *table, const char *column)
{
	sqlite3_stmt *st = NULL;
	bool found = false;

	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1,
	                       &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static enum status
select_all(struct store *s, enum obj_kind k, const char *order, sqlite3_stmt **out,
           struct err *err)
{
	const struct obj_desc *d = &obj_descs[k];
	char buf[1024] = "SELECT ";
	size_t i;
	int rc;

	cat(buf, sizeof buf, d->parent ? d->parent : "0");
	for (i = 0; i < d->nflds; i++) {
		/* A salvaged workbook of an older version is read as it is (no
		 * migration runs on a damaged file): a column it does not have yet
		 * reads as the newer schema's default. */
		if (s->salvage && !store_has_column(s, d->table, d->flds[i].name)) {
			enum fld_type t = d->flds[i].type;

			cat(buf, sizeof buf, t == FT_INT || t == FT_BOOL ? ",0"
			                   : t == FT_STR || t == FT_REF || t == FT_DBL ||
			                     t == FT_EMOTION ? ",NULL" : ",''");
			continue;
		}
		cat(buf, sizeof buf, ",\"");
		cat(buf, sizeof buf, d->flds[i].name);
		cat(buf, sizeof buf, "\"");
	}
	cat(buf, sizeof buf, " FROM ");
	cat(buf, sizeof buf, d->table);
	/* salvaging: the table itself in id order from ?1, whatever became of the
	 * indexes (load_kind steps over unreadable pages) */
	if (s->salvage && k != OBJ_PROCESS) {
		cat(buf, sizeof buf, " NOT INDEXED WHERE ");
		cat(buf, sizeof buf, d->flds[0].name);
		cat(buf, sizeof buf, ">?1 ORDER BY ");
		cat(buf, sizeof buf, d->flds[0].name);
	} else {
		cat(buf, sizeof buf, " ORDER BY ");
		cat(buf, sizeof buf, order);
	}
	rc = sqlite3_prepare_v2(s->db, buf, -1, out, NULL);
	return rc == SQLITE_OK ? STATUS_OK : store_sql_err(s, rc, "load", err);
}

/* Read the current row of st into a new object of kind k. */
static enum status
row_read(struct store *s, sqlite3_stmt *st, enum obj_kind k, void **out, struct err *err)
{
	const struct obj_desc *d = &obj_descs[k];
	void *o = obj_new(k);
	size_t i;

	*out = NULL;
	if (!o)
		return err_set(err, STATUS_NOMEM, "out of memory");
	for (i = 0; i < d->nflds; i++)
		if (fld_read(st, (int)i + 1, &d->flds[i], o, err) != STATUS_OK) {
			obj_free(k, o);
			return err_prefix(err, "%s: %s %lld: ", s->path, d->tag,
			                  (long long)sqlite3_column_int64(st, 1));
		}
	if (obj_check(k, o, err) != STATUS_OK) {
		obj_free(k, o);
		err->code = STATUS_CORRUPT;
		return err_prefix(err, "%s: workbook is damaged: %s %lld: ", s->path, d->tag,
		                  (long long)sqlite3_column_int64(st, 1));
	}
	*out = o;
	return STATUS_OK;
}

/* Find the process with this id, remembering the last one found. */
static struct process *
find_process(struct workbook *w, sm_id id, struct process **last)
{
	if (!*last || (*last)->id != id)
		*last = workbook_process(w, id);
	return *last;
}

/* Whether the rows with ids above `after` can be read from their start. */
static bool
readable_after(sqlite3_stmt *st, sm_id after)
{
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, after);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/*
 * Salvaging, the scan of a table stopped at an unreadable page after the
 * row with id `last`: the least id from which the table reads again (ids
 * above the next readable page's start are probed with growing steps, then
 * the start found by halving), or -1 when nothing after it can be read.
 */
static sm_id
next_readable(sqlite3_stmt *st, sm_id last)
{
	sm_id bad = last, good = -1, step;

	for (step = 1; step > 0 && step < ((sm_id)1 << 53); step *= 2)
		if (readable_after(st, last + step)) {
			good = last + step;
			break;
		} else {
			bad = last + step;
		}
	if (good < 0)
		return -1;
	while (good - bad > 1) {
		sm_id mid = bad + (good - bad) / 2;

		if (readable_after(st, mid))
			good = mid;
		else
			bad = mid;
	}
	return good;
}

/* Load every object of kind k (not processes) into w. */
static enum status
load_kind(struct store *s, struct workbook *w, enum obj_kind k, const char *order,
          struct err *err)
{
	const struct obj_desc *d = &obj_descs[k];
	sqlite3_stmt *st = NULL;
	struct process *last = NULL, *p;
	struct scenario *sc = NULL;
	enum status ret;
	void *o = NULL;
	int rc;

	sm_id last_id = 0;

	if ((ret = select_all(s, k, order, &st, err)) != STATUS_OK)
		return ret;
	if (s->salvage)
		sqlite3_bind_int64(st, 1, 0);
again:
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sm_id parent = sqlite3_column_int64(st, 0);

		last_id = sqlite3_column_int64(st, 1);
		if ((ret = row_read(s, st, k, &o, err)) != STATUS_OK) {
			if (s->salvage && ret != STATUS_NOMEM) {
				s->salvage->skipped[k]++;
				continue;
			}
			goto out;
		}
		if (k == OBJ_CUT) {
			/* Cuts come ordered by scenario: look each scenario up once. */
			if (!sc || sc->id != parent) {
				size_t i;

				sc = NULL;
				for (i = 0; i < w->nprocs && !sc; i++)
					sc = process_scenario(w->procs[i], parent);
			}
			ret = sc ? scenario_add_cut(sc, o) : STATUS_CORRUPT;
		} else if (!(p = find_process(w, parent, &last))) {
			ret = STATUS_CORRUPT;
		} else {
			switch (k) {
			case OBJ_LANE:     ret = process_add_lane(p, o); break;
			case OBJ_STEP:     ret = process_add_step(p, o); break;
			case OBJ_FLOW:     ret = process_add_flow(p, o); break;
			case OBJ_MEASURE:  ret = process_add_measure(p, o); break;
			case OBJ_SCENARIO: ret = process_add_scenario(p, o); break;
			default:           ret = STATUS_INTERNAL; break;
			}
		}
		if (ret != STATUS_OK && ret != STATUS_NOMEM && s->salvage) {
			s->salvage->skipped[k]++;
			obj_free(k, o);
			continue;
		}
		if (s->salvage)
			s->salvage->kept[k]++;
		if (ret != STATUS_OK) {
			if (ret == STATUS_NOMEM)
				err_set(err, ret, "out of memory");
			else
				err_set(err, STATUS_CORRUPT, "%s: workbook is damaged (%s %lld does not "
				        "fit its %s %lld)", s->path, d->tag, (long long)*(sm_id *)o,
				        d->parent, (long long)parent);
			ret = err->code;
			obj_free(k, o);
			goto out;
		}
	}
	if (rc != SQLITE_DONE && s->salvage) {
		sm_id from = next_readable(st, last_id);

		s->salvage->cut_short[k] = true;
		if (from >= 0) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, from);
			goto again;
		}
	} else if (rc != SQLITE_DONE)
		ret = store_sql_err(s, rc, "load", err);
out:
	sqlite3_finalize(st);
	return ret;
}

enum status
rows_load(struct store *s, struct workbook **out, struct err *err)
{
	struct workbook *w = workbook_new();
	sqlite3_stmt *st = NULL;
	struct process_head *h = NULL;
	enum status ret;
	int64_t next_id = 1;
	size_t i;
	int rc;

	*out = NULL;
	if (!w)
		return err_set(err, STATUS_NOMEM, "out of memory");
	if ((ret = store_meta_get(s, "next_id", &next_id, err)) != STATUS_OK && !s->salvage)
		goto out;
	if ((ret = select_all(s, OBJ_PROCESS, "key, id", &st, err)) != STATUS_OK)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct process *p;

		if ((ret = row_read(s, st, OBJ_PROCESS, (void **)&h, err)) != STATUS_OK) {
			if (s->salvage && ret != STATUS_NOMEM) {
				s->salvage->skipped[OBJ_PROCESS]++;
				continue;
			}
			goto out;
		}
		if (s->salvage)
			s->salvage->kept[OBJ_PROCESS]++;
		if (!(p = workbook_add_process(w, h->id, h->name))) {
			ret = err_set(err, STATUS_NOMEM, "out of memory");
			goto out;
		}
		p->key = h->key;
		p->arrival = h->arrival;
		p->time_unit = h->time_unit;
		p->flows_explicit = h->flows_explicit;
		p->description = h->description;
		h->description = NULL;
		p->di = h->di;
		h->di = NULL;
		obj_free(OBJ_PROCESS, h);
		h = NULL;
	}
	if (rc != SQLITE_DONE && s->salvage) {
		s->salvage->cut_short[OBJ_PROCESS] = true;
	} else if (rc != SQLITE_DONE) {
		ret = store_sql_err(s, rc, "load", err);
		goto out;
	}
	if ((ret = load_kind(s, w, OBJ_LANE, "process, key, id", err)) != STATUS_OK ||
	    (ret = load_kind(s, w, OBJ_STEP, "process, key, id", err)) != STATUS_OK ||
	    (ret = load_kind(s, w, OBJ_FLOW, "id", err)) != STATUS_OK ||
	    (ret = load_kind(s, w, OBJ_MEASURE, "id", err)) != STATUS_OK ||
	    (ret = load_kind(s, w, OBJ_SCENARIO, "id", err)) != STATUS_OK ||
	    (ret = load_kind(s, w, OBJ_CUT, "scenario, key, id", err)) != STATUS_OK ||
	    (ret = logrows_load(s, w, false, err)) != STATUS_OK)
		goto out;
	for (i = 0; i < w->nprocs; i++)
		process_reindex(w->procs[i]);
	if (next_id > w->next_id)
		w->next_id = next_id;
	*out = w;
	w = NULL;
out:
	obj_free(OBJ_PROCESS, h);
	sqlite3_finalize(st);
	workbook_free(&w);
	return ret;
}

/* --- save --------------------------------------------------------------- */

/*
 * A save writes every row at once. Keeping the tables' indexes up to date row
 * by row costs about as much as the rows themselves (a step goes into its
 * table and two indexes, a flow into its table and three); an index built
 * over the finished table sorts its keys once. So the save drops the indexes,
 * writes the rows, and makes the indexes again from their own SQL as
 * sqlite_master keeps it (the schema stays schema.c's alone). All of it is
 * inside the save's transaction: a failure rolls the drop back with the rest.
 */
struct saved_indexes {
	char **sql;                  /* "CREATE INDEX ...", sqlite3_malloc'd */
	char **name;                 /* its name, sqlite3_malloc'd */
	size_t n;
};

static void
saved_indexes_done(struct saved_indexes *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		sqlite3_free(x->sql[i]);
		sqlite3_free(x->name[i]);
	}
	free(x->sql);
	free(x->name);
	memset(x, 0, sizeof *x);
}

/* Drop every index of the workbook, keeping in x the SQL that makes it. On
 * error x is empty. */
static enum status
indexes_drop(struct store *s, struct saved_indexes *x, struct err *err)
{
	sqlite3_stmt *st;
	enum status ret = STATUS_OK;
	size_t i;
	int rc;

	memset(x, 0, sizeof *x);
	rc = sqlite3_prepare_v2(s->db, "SELECT name, sql FROM sqlite_master "
	                        "WHERE type = 'index' AND sql IS NOT NULL", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sql_err(s, rc, "write", err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *name = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
		char *sql = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 1));
		char **v = name && sql ? realloc(x->sql, (x->n + 1) * sizeof *v) : NULL;
		char **u = v ? realloc(x->name, (x->n + 1) * sizeof *u) : NULL;

		if (v)
			x->sql = v;
		if (!u) {
			sqlite3_free(name);
			sqlite3_free(sql);
			ret = err_set(err, STATUS_NOMEM, "out of memory");
			break;
		}
		x->name = u;
		x->name[x->n] = name;
		x->sql[x->n++] = sql;
	}
	if (ret == STATUS_OK && rc != SQLITE_DONE)
		ret = store_sql_err(s, rc, "write", err);
	sqlite3_finalize(st);
	for (i = 0; i < x->n && ret == STATUS_OK; i++) {
		char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", x->name[i]);

		ret = drop ? store_exec(s, drop, err) : err_set(err, STATUS_NOMEM, "out of memory");
		sqlite3_free(drop);
	}
	if (ret != STATUS_OK)
		saved_indexes_done(x);
	return ret;
}

/*
 * The rows of a save go in SAVE_BATCH at a time, "INSERT INTO t(...)
 * VALUES(...),(...),...": one statement run per batch instead of per row
 * (a statement's start and end cost about as much as a short row).
 */
#define SAVE_BATCH 64

struct batch {
	sqlite3_stmt *st[OBJ_COUNT_];  /* prepared for SAVE_BATCH rows of each kind */
};

static void
batch_done(struct batch *b)
{
	size_t k;

	for (k = 0; k < OBJ_COUNT_; k++)
		sqlite3_finalize(b->st[k]);
	memset(b, 0, sizeof *b);
}

/* The statement that inserts SAVE_BATCH rows of kind k. */
static sqlite3_stmt *
batch_stmt(struct store *s, struct batch *b, enum obj_kind k, struct err *err)
{
	const struct obj_desc *d = &obj_descs[k];
	size_t cols = d->nflds + (d->parent ? 1 : 0), one = 3 + 2 * cols, i, j, n;
	char head[1024], *sql;
	int rc;

	if (b->st[k])
		return b->st[k];
	/* the one-row statement's text, then more rows of "?"s */
	row_sql((enum stmt_id)(ST_INSERT_ + k), head, sizeof head);
	n = strlen(head);
	if (!(sql = malloc(n + SAVE_BATCH * one + 1))) {
		err_set(err, STATUS_NOMEM, "out of memory");
		return NULL;
	}
	memcpy(sql, head, n);
	for (i = 1; i < SAVE_BATCH; i++) {
		sql[n++] = ',';
		sql[n++] = '(';
		for (j = 0; j < cols; j++) {
			if (j)
				sql[n++] = ',';
			sql[n++] = '?';
		}
		sql[n++] = ')';
	}
	sql[n] = '\0';
	rc = sqlite3_prepare_v2(s->db, sql, (int)n, &b->st[k], NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		store_sql_err(s, rc, "write", err);
		return NULL;
	}
	return b->st[k];
}

/* Insert the n objects of kind k (children of parent): whole batches, then
 * the rest one by one. */
static enum status
insert_all(struct store *s, struct batch *b, enum obj_kind k, sm_id parent,
           void *const *objs, size_t n, struct err *err)
{
	const struct obj_desc *d = &obj_descs[k];
	size_t done = 0, r, i;
	sqlite3_stmt *st;
	enum status ret;
	int p, rc;

	for (; n - done >= SAVE_BATCH; done += SAVE_BATCH) {
		if (!(st = batch_stmt(s, b, k, err)))
			return err->code;
		for (r = 0, p = 1, rc = SQLITE_OK; r < SAVE_BATCH && rc == SQLITE_OK; r++) {
			if (d->parent)
				rc = sqlite3_bind_int64(st, p++, parent);
			for (i = 0; i < d->nflds && rc == SQLITE_OK; i++)
				rc = bind_fld(st, p++, &d->flds[i], objs[done + r]);
		}
		if (rc != SQLITE_OK)
			return store_sql_err(s, rc, "write", err);
		if ((ret = run(s, st, "write", err)) != STATUS_OK)
			return ret;
	}
	for (; done < n; done++)
		if ((ret = rows_insert(s, k, parent, objs[done], err)) != STATUS_OK)
			return ret;
	return STATUS_OK;
}

static enum status
rows_save_all(struct store *s, const struct workbook *w, struct err *err)
{
	struct batch b = { 0 };
	enum status ret = STATUS_OK;
	size_t i, j;

	for (i = 0; i < w->nprocs && ret == STATUS_OK; i++) {
		const struct process *p = w->procs[i];
		struct process_head h = {
			.id = p->id, .key = p->key, .name = p->name,
			.description = p->description, .arrival = p->arrival,
			.time_unit = p->time_unit,
			.flows_explicit = p->flows_explicit, .di = p->di,
		};

		if ((ret = rows_insert(s, OBJ_PROCESS, 0, &h, err)) != STATUS_OK ||
		    (ret = insert_all(s, &b, OBJ_LANE, p->id, (void *const *)p->lanes, p->nlanes,
		                      err)) != STATUS_OK ||
		    (ret = insert_all(s, &b, OBJ_STEP, p->id, (void *const *)p->steps, p->nsteps,
		                      err)) != STATUS_OK ||
		    (ret = insert_all(s, &b, OBJ_FLOW, p->id, (void *const *)p->flows, p->nflows,
		                      err)) != STATUS_OK ||
		    (ret = insert_all(s, &b, OBJ_MEASURE, p->id, (void *const *)p->measures,
		                      p->nmeasures, err)) != STATUS_OK)
			break;
		/* one at a time: a scenario's row brings its cuts' */
		for (j = 0; j < p->nscenarios && ret == STATUS_OK; j++)
			ret = rows_insert(s, OBJ_SCENARIO, p->id, p->scenarios[j], err);
		if (ret == STATUS_OK)
			ret = logrows_save(s, p, err);
	}
	batch_done(&b);
	return ret;
}

enum status
rows_save(struct store *s, const struct workbook *w, struct err *err)
{
	struct saved_indexes x;
	enum status ret;
	size_t i;

	if ((ret = store_exec(s, "DELETE FROM cuts; DELETE FROM scenarios; DELETE FROM measures;"
	                         "DELETE FROM flows; DELETE FROM steps; DELETE FROM lanes;"
	                         "DELETE FROM logs; DELETE FROM processes; DELETE FROM changes;"
	                         "DELETE FROM change_objects;", err)) != STATUS_OK)
		return ret;
	if ((ret = indexes_drop(s, &x, err)) != STATUS_OK)
		return ret;
	ret = rows_save_all(s, w, err);
	for (i = 0; i < x.n && ret == STATUS_OK; i++)
		ret = store_exec(s, x.sql[i], err);
	saved_indexes_done(&x);
	if (ret != STATUS_OK)
		return ret;
	return store_meta_set(s, "next_id", w->next_id, err);
}
