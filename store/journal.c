/*
 * journal.c - the text form of an edit, as the undo journal keeps it.
 *
 * One entry is a header line naming the format's version, then the edit:
 *
 *   stepmap-edit 1
 *   edit	kind=group	process=3	scenario=0	label=delete step 12	n=2
 *   edit	kind=flow-	process=3	scenario=0
 *   before	flow	id=40	from=12	to=13	prob=-1
 *   edit	kind=step-	process=3	scenario=0
 *   before	step	id=12	key=12288	lane=5	name=Fax the referral	type=manual	...
 *
 * Fields are tab-separated name=value pairs: every field of the object
 * (rows.c lists them), durations as their canonical text, enums as their
 * keywords, numbers in the C locale with as many digits as read back
 * exactly. A string that is NULL is left out; in values, backslash, tab,
 * newline and carriage return are escaped as \\ \t \n \r. A reader ignores
 * fields it does not know and gives the default to those that are missing,
 * so a later version can add fields and still read old entries; a version
 * number above its own it refuses (the entry cannot be undone, nothing else
 * is affected).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/bounds.h"
#include "store/store_int.h"

#define JOURNAL_FORMAT 1
#define JOURNAL_MAX_DEPTH 64

/* --- numbers -------------------------------------------------------------- */

void
num_format(double v, char *buf, size_t size)
{
	int prec;

	/* range first: converting a double out of long long's range is undefined */
	if (fabs(v) < 1e15 && v == floor(v)) {
		snprintf(buf, size, "%lld", (long long)v);
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, size, "%.17g", v);
}

bool
num_parse(const char *text, double *v)
{
	char *end;

	if (!text || !*text)
		return false;
	*v = strtod(text, &end);
	return *end == 0;
}

/* --- writing ------------------------------------------------------------ */

struct buf {
	char *p;
	size_t len, cap;
	bool nomem;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->nomem)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		if (!(p = realloc(b->p, cap))) {
			b->nomem = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* "\tname=" then the escaped value. */
static void
buf_field(struct buf *b, const char *name, const char *value)
{
	const char *run = value;

	buf_str(b, "\t");
	buf_str(b, name);
	buf_str(b, "=");
	for (; *value; value++) {
		const char *esc = NULL;

		switch (*value) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		buf_add(b, run, (size_t)(value - run));
		buf_str(b, esc);
		run = value + 1;
	}
	buf_add(b, run, (size_t)(value - run));
}

static void
buf_num(struct buf *b, const char *name, double v)
{
	char num[40];

	num_format(v, num, sizeof num);
	buf_field(b, name, num);
}

#define CAT_(obj, f, T) ((const T *)(const void *)((const char *)(obj) + (f)->off))

static void
write_obj(struct buf *b, const char *role, enum obj_kind k, const void *o, bool cuts)
{
	const struct obj_desc *d = &obj_descs[k];
	char text[DIST_TEXT_MAX];
	size_t i;

	buf_str(b, role);
	buf_str(b, "\t");
	buf_str(b, d->tag);
	for (i = 0; i < d->nflds; i++) {
		const struct fld *f = &d->flds[i];
		const char *s = NULL;

		switch (f->type) {
		case FT_ID:
		case FT_REF:
			buf_num(b, f->name, (double)*CAT_(o, f, sm_id));
			continue;
		case FT_DBL:
			buf_num(b, f->name, *CAT_(o, f, double));
			continue;
		case FT_INT:
			buf_num(b, f->name, *CAT_(o, f, int));
			continue;
		case FT_BOOL:
			buf_num(b, f->name, *CAT_(o, f, bool) ? 1 : 0);
			continue;
		case FT_EMOTION:
			if (*CAT_(o, f, int) != EMOTION_NONE)
				buf_num(b, f->name, *CAT_(o, f, int));
			continue;
		case FT_STR:
		case FT_NAME:
			s = *CAT_(o, f, char *const);
			break;
		case FT_DIST:
			s = dist_format(CAT_(o, f, struct dist), text, sizeof text);
			break;
		case FT_STEP_TYPE:
			s = step_type_name(*CAT_(o, f, enum step_type));
			break;
		case FT_STAGE:
			s = stage_name(*CAT_(o, f, enum stage));
			break;
		case FT_VALUE:
			s = value_class_name(*CAT_(o, f, enum value_class));
			break;
		case FT_CLOCK:
			s = clock_name(*CAT_(o, f, enum clock));
			break;
		case FT_EVENT:
			s = *CAT_(o, f, enum event_def) ? event_def_name(*CAT_(o, f, enum event_def))
			                                 : NULL;
			break;
		case FT_FLOW_KIND:
			s = *CAT_(o, f, enum flow_kind) ? flow_kind_name(*CAT_(o, f, enum flow_kind))
			                                 : NULL;
			break;
		case FT_CUT_KIND:
			s = cut_kind_name(*CAT_(o, f, enum cut_kind));
			break;
		case FT_TIME_UNIT:     /* auto, as lines written before it had */
			s = *CAT_(o, f, enum time_unit) ? time_unit_name(*CAT_(o, f, enum time_unit))
			                                : NULL;
			break;
		}
		if (s)
			buf_field(b, f->name, s);
	}
	if (k == OBJ_SCENARIO && cuts) {
		const struct scenario *sc = o;

		buf_num(b, "ncuts", (double)sc->ncuts);
		buf_str(b, "\n");
		for (i = 0; i < sc->ncuts; i++)
			write_obj(b, "cut", OBJ_CUT, sc->cuts[i], true);
		return;
	}
	buf_str(b, "\n");
}

static void
write_edit(struct buf *b, const struct edit *e)
{
	int k = edit_obj_kind(e->kind);
	size_t i;

	buf_str(b, "edit");
	buf_field(b, "kind", edit_kind_keyword(e->kind));
	buf_num(b, "process", (double)e->process);
	buf_num(b, "scenario", (double)e->scenario);
	if (e->label)
		buf_field(b, "label", e->label);
	if (e->kind == EDIT_GROUP) {
		buf_num(b, "n", (double)e->u.group.n);
		buf_str(b, "\n");
		for (i = 0; i < e->u.group.n; i++)
			write_edit(b, e->u.group.items[i]);
		return;
	}
	buf_str(b, "\n");
	if (k < 0)
		return;
	if (e->u.step.before)
		write_obj(b, "before", (enum obj_kind)k, e->u.step.before, true);
	if (e->u.step.after)
		write_obj(b, "after", (enum obj_kind)k, e->u.step.after, true);
}

enum status
journal_format(const struct edit *e, char **out, size_t *len)
{
	struct buf b = { 0 };
	char head[32];

	snprintf(head, sizeof head, "stepmap-edit %d\n", JOURNAL_FORMAT);
	buf_str(&b, head);
	write_edit(&b, e);
	if (b.nomem) {
		free(b.p);
		*out = NULL;
		return STATUS_NOMEM;
	}
	*out = b.p;
	*len = b.len;
	return STATUS_OK;
}

enum status
journal_obj_text(enum obj_kind k, const void *o, bool cuts, char **out)
{
	struct buf b = { 0 };

	write_obj(&b, "obj", k, o, cuts);
	if (b.nomem) {
		free(b.p);
		*out = NULL;
		return STATUS_NOMEM;
	}
	*out = b.p;
	return STATUS_OK;
}

/* --- reading ------------------------------------------------------------ */

/* The text being read, one line at a time; line is NUL-terminated in place. */
struct reader {
	char *text, *next;
	char *line;
	int lineno;
	struct err *err;
};

/* Take the next line; false at the end. */
static bool
next_line(struct reader *r)
{
	char *nl;

	if (!r->next || !*r->next)
		return false;
	r->line = r->next;
	r->lineno++;
	if ((nl = strchr(r->line, '\n'))) {
		*nl = 0;
		r->next = nl + 1;
	} else {
		r->next = NULL;
	}
	return true;
}

static enum status
bad(struct reader *r, const char *what)
{
	return err_set(r->err, STATUS_CORRUPT, "journal line %d: %s", r->lineno, what);
}

/* Split the next tab-separated field off *p: name and unescaped value, in
 * place. False when there are no more. */
static bool
next_field(char **p, char **name, char **value)
{
	char *s = *p, *o, *eq;

	if (!s)
		return false;
	*name = s;
	for (o = s; *s && *s != '\t'; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
		} else {
			*o++ = *s;
		}
	}
	*p = *s ? s + 1 : NULL;
	*o = 0;
	if ((eq = strchr(*name, '='))) {
		*eq = 0;
		*value = eq + 1;
	} else {
		*value = NULL;
	}
	return true;
}

/* The first word of the line (up to a tab); the rest in *rest. */
static char *
line_word(char *line, char **rest)
{
	char *tab = strchr(line, '\t');

	if (tab) {
		*tab = 0;
		*rest = tab + 1;
	} else {
		*rest = NULL;
	}
	return line;
}

static enum status read_obj(struct reader *r, const char *role, enum obj_kind k, void **out);

/* The cuts of a scenario object (ncuts lines that follow it). */
static enum status
read_cuts(struct reader *r, struct scenario *sc, double ncuts)
{
	double i;

	for (i = 0; i < ncuts; i++) {
		void *c;
		enum status st;

		if ((st = read_obj(r, "cut", OBJ_CUT, &c)) != STATUS_OK)
			return st;
		if (scenario_add_cut(sc, c) != STATUS_OK) {
			cut_free((struct cut **)&c);
			return bad(r, "a cut that does not fit its scenario");
		}
	}
	return STATUS_OK;
}

static enum status
read_obj(struct reader *r, const char *role, enum obj_kind k, void **out)
{
	const struct obj_desc *d = &obj_descs[k];
	char *rest, *name, *value, *word;
	double ncuts = 0;
	void *o;
	size_t i;

	*out = NULL;
	if (!next_line(r))
		return bad(r, "the entry ends early");
	word = line_word(r->line, &rest);
	if (strcmp(word, role) != 0)
		return bad(r, "expected an object line");
	if (!next_field(&rest, &name, &value) || strcmp(name, d->tag) != 0)
		return bad(r, "the object is not of the edit's kind");
	if (!(o = obj_new(k)))
		return err_set(r->err, STATUS_NOMEM, "out of memory");
	while (next_field(&rest, &name, &value)) {
		if (!value)
			continue;
		if (k == OBJ_SCENARIO && strcmp(name, "ncuts") == 0) {
			if (!num_parse(value, &ncuts) || !bound_whole(ncuts, 0, 1e9))
				goto fail;
			continue;
		}
		for (i = 0; i < d->nflds; i++)
			if (strcmp(d->flds[i].name, name) == 0)
				break;
		if (i < d->nflds && fld_set_text(&d->flds[i], o, value, r->err) != STATUS_OK) {
			err_prefix(r->err, "journal line %d: %s: ", r->lineno, d->tag);
			obj_free(k, o);
			return STATUS_CORRUPT;
		}
	}
	if (*(sm_id *)o <= 0)
		goto fail;
	if (obj_check(k, o, r->err) != STATUS_OK) {
		err_prefix(r->err, "journal line %d: %s: ", r->lineno, d->tag);
		obj_free(k, o);
		return r->err->code = STATUS_CORRUPT;
	}
	if (k == OBJ_SCENARIO && read_cuts(r, o, ncuts) != STATUS_OK) {
		obj_free(k, o);
		return r->err->code;
	}
	*out = o;
	return STATUS_OK;
fail:
	obj_free(k, o);
	return bad(r, "an object without a valid id");
}

static enum status
read_edit(struct reader *r, int depth, struct edit **out)
{
	char *rest, *name, *value;
	struct edit *e;
	enum status st = STATUS_OK;
	double n = 0;
	int kind = -1, k;
	size_t i;

	*out = NULL;
	if (depth > JOURNAL_MAX_DEPTH)
		return bad(r, "groups nested too deep");
	if (!next_line(r))
		return bad(r, "the entry ends early");
	if (strcmp(line_word(r->line, &rest), "edit") != 0)
		return bad(r, "expected an edit line");
	if (!(e = calloc(1, sizeof *e)))
		return err_set(r->err, STATUS_NOMEM, "out of memory");
	while (next_field(&rest, &name, &value)) {
		double v;

		if (!value)
			continue;
		if (strcmp(name, "kind") == 0) {
			kind = edit_kind_from_keyword(value);
		} else if (strcmp(name, "process") == 0 || strcmp(name, "scenario") == 0) {
			if (!num_parse(value, &v) || !bound_whole(v, 0, BOUND_ID_MAX)) {
				st = bad(r, "a bad id");
				goto out;
			}
			*(name[0] == 'p' ? &e->process : &e->scenario) = (sm_id)v;
		} else if (strcmp(name, "label") == 0) {
			free(e->label);
			if (!(e->label = strdup(value))) {
				st = err_set(r->err, STATUS_NOMEM, "out of memory");
				goto out;
			}
		} else if (strcmp(name, "n") == 0) {
			if (!num_parse(value, &n) || !bound_whole(n, 0, 1e9)) {
				st = bad(r, "a bad group size");
				goto out;
			}
		}
	}
	if (kind < 0) {
		st = bad(r, "an unknown kind of edit");
		goto out;
	}
	e->kind = (enum edit_kind)kind;
	if (e->kind == EDIT_GROUP) {
		/* The count is the entry's word, not a promise: the array grows as
		 * items are read, so a hostile "n" asks for no memory. */
		size_t cap = 0;

		for (i = 0; i < (size_t)n; i++, e->u.group.n++) {
			if (i == cap) {
				size_t ncap = cap ? cap * 2 : 16;
				struct edit **items = realloc(e->u.group.items, ncap * sizeof *items);

				if (!items) {
					st = err_set(r->err, STATUS_NOMEM, "out of memory");
					goto out;
				}
				e->u.group.items = items;
				cap = ncap;
			}
			e->u.group.items[i] = NULL;
			if ((st = read_edit(r, depth + 1, &e->u.group.items[i])) != STATUS_OK)
				goto out;
		}
		goto out;
	}
	k = edit_obj_kind(e->kind);
	switch (edit_op_of(e->kind)) {
	case OP_ADD:
		st = read_obj(r, "after", (enum obj_kind)k, (void **)&e->u.step.after);
		break;
	case OP_DEL:
		st = read_obj(r, "before", (enum obj_kind)k, (void **)&e->u.step.before);
		break;
	default:
		if ((st = read_obj(r, "before", (enum obj_kind)k, (void **)&e->u.step.before)) == STATUS_OK)
			st = read_obj(r, "after", (enum obj_kind)k, (void **)&e->u.step.after);
		break;
	}
out:
	if (st != STATUS_OK)
		edit_free(&e);
	*out = e;
	return st;
}

enum status
journal_parse(const char *text, struct edit **out, struct err *err)
{
	struct reader r = { .err = err };
	enum status st;
	double version;

	*out = NULL;
	if (!(r.text = strdup(text)))
		return err_set(err, STATUS_NOMEM, "out of memory");
	r.next = r.text;
	if (!next_line(&r)) {
		st = bad(&r, "an empty entry");
		goto out;
	}
	if (strncmp(r.line, "stepmap-edit ", 13) != 0 || !num_parse(r.line + 13, &version)) {
		st = bad(&r, "not a stepmap journal entry");
		goto out;
	}
	if (version > JOURNAL_FORMAT) {
		st = err_set(err, STATUS_TOO_NEW, "journal entry of format %g, written by a newer "
		             "stepmap (this one reads format %d)", version, JOURNAL_FORMAT);
		goto out;
	}
	st = read_edit(&r, 0, out);
out:
	free(r.text);
	return st;
}
