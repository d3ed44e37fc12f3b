/*
 * csv_rows.c - the CSV reader's pass two: the rows read by pass one checked
 * as a whole and turned into a process: step keys and their order, lanes,
 * each row's step, the flows of the next column, the measures of starts and
 * ends (csv.c says how the passes fit).
 */
#include "import/csv_int.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* --- pass two: the rows as a process --------------------------------------- */

/* Step keys: a number or a word without blanks, '@' or '|'. */
static bool
key_ok(const char *k)
{
	for (; *k; k++)
		if (*k == ' ' || *k == '\t' || *k == '@' || *k == '|' || *k == '{' ||
		    (unsigned char)*k < 0x20)
			return false;
	return true;
}

static bool
parse_num(const char *s, double *v)
{
	char *end;

	if (!*s || isspace((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtod(s, &end);
	return *end == '\0' && errno == 0 && isfinite(*v);
}

static int
row_num_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}


static int
key_ref_cmp(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->row > y->row) - (x->row < y->row);
}

static const struct key_ref *
key_find(const struct key_ref *keys, size_t n, const char *k)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(keys[mid].key, k);

		if (c == 0)
			return &keys[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Put the rows in order and give each its key; the sorted keys in *out. */
enum status
csv_order_rows(struct reader *r, struct key_ref **out)
{
	struct key_ref *keys;
	size_t i;
	bool numeric = r->nrows > 0;
	char q[80];

	*out = NULL;
	for (i = 0; i < r->nrows; i++) {
		char *k = r->rows[i].cell[COL_STEP] ? csv_trim(r->rows[i].cell[COL_STEP]) : NULL;

		if (k && *k && !key_ok(k))
			return csv_fail_at(r, r->rows[i].line,
			               "column 'step': expected a step number or a word without "
			               "spaces, '@' or '|', got '%s'", csv_shown(k, q, sizeof q));
		if (!k || !*k || !parse_num(k, &r->rows[i].num))
			numeric = false;
	}
	if (numeric && r->nrows > 1)
		qsort(r->rows, r->nrows, sizeof *r->rows, row_num_cmp);
	for (i = 0; i < r->nrows; i++) {
		char *k = r->rows[i].cell[COL_STEP] ? csv_trim(r->rows[i].cell[COL_STEP]) : NULL;
		char pos[32];

		if (!k || !*k) {
			snprintf(pos, sizeof pos, "%zu", i + 1);
			k = pos;
		}
		if (!(r->rows[i].key = strdup(k)))
			return csv_nomem(r);
	}
	if (!(keys = malloc((r->nrows ? r->nrows : 1) * sizeof *keys)))
		return csv_nomem(r);
	for (i = 0; i < r->nrows; i++)
		keys[i] = (struct key_ref){ r->rows[i].key, i };
	if (r->nrows > 1)
		qsort(keys, r->nrows, sizeof *keys, key_ref_cmp);
	for (i = 1; i < r->nrows; i++)
		if (!strcmp(keys[i - 1].key, keys[i].key)) {
			const struct row *a = &r->rows[keys[i - 1].row], *b = &r->rows[keys[i].row];
			const struct row *later = a->line > b->line ? a : b, *earlier = later == a ? b : a;

			free(keys);
			return csv_fail_at(r, later->line, "column 'step': step '%s' is also on line %zu%s",
			               csv_shown(later->key, q, sizeof q), earlier->line,
			               later->cell[COL_STEP] && *later->cell[COL_STEP] ? "" :
			               " (a row with an empty step takes its position as its number)");
		}
	*out = keys;
	return STATUS_OK;
}


struct lane_ref {
	const char *name;
	size_t row;
};

static int
lane_ref_cmp(const void *a, const void *b)
{
	const struct lane_ref *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->row > y->row) - (x->row < y->row);
}

static int
lane_first_cmp(const void *a, const void *b)
{
	const struct lane_info *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

static enum status
parse_capacity(struct reader *r, const struct row *row, const char *s, int *out)
{
	char *end;
	long v;
	char q[80];

	if (!strcasecmp(s, "unlimited") || !strcasecmp(s, "inf") || !strcmp(s, "∞")) {
		*out = 0;
		return STATUS_OK;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || end == s || errno || v < 0 || v > 1000000)
		return csv_fail_at(r, row->line, "column 'capacity': expected a whole number of "
		               "servers from 0 to 1000000 (0 or empty: unlimited), got '%s'",
		               csv_shown(s, q, sizeof q));
	*out = (int)v;
	return STATUS_OK;
}

/* Row k of the lane rows followed by the step rows. */
static struct row *
row_at(struct reader *r, size_t k)
{
	return k < r->nlrows ? &r->lrows[k] : &r->rows[k - r->nlrows];
}

/* The lanes in order of first appearance (lane rows first), with stage and
 * capacity merged. */
enum status
csv_collect_lanes(struct reader *r, struct lane_info **out, size_t *nout)
{
	struct lane_ref *refs = NULL;
	struct lane_info *lanes = NULL;
	size_t i, n = 0, nl = 0, all = r->nlrows + r->nrows;
	char q[80];

	*out = NULL;
	*nout = 0;
	if (!(refs = malloc((all ? all : 1) * sizeof *refs)) ||
	    !(lanes = calloc(all ? all : 1, sizeof *lanes))) {
		free(refs);
		return csv_nomem(r);
	}
	for (i = 0; i < all; i++) {
		struct row *row = row_at(r, i);
		char *l = row->cell[COL_LANE] ? csv_trim(row->cell[COL_LANE]) : NULL;

		if (l && *l) {
			refs[n++] = (struct lane_ref){ l, i };
		} else if ((row->cell[COL_STAGE] && *csv_trim(row->cell[COL_STAGE])) ||
		           (row->cell[COL_CAPACITY] && *csv_trim(row->cell[COL_CAPACITY]))) {
			csv_warn_at(r, row->line, "a stage or capacity without a lane is ignored");
		}
	}
	if (n > 1)
		qsort(refs, n, sizeof *refs, lane_ref_cmp);
	for (i = 0; i < n; i++) {
		struct row *row = row_at(r, refs[i].row);
		struct lane_info *li;
		char *st = row->cell[COL_STAGE] ? csv_trim(row->cell[COL_STAGE]) : NULL;
		char *cap = row->cell[COL_CAPACITY] ? csv_trim(row->cell[COL_CAPACITY]) : NULL;

		if (i == 0 || strcmp(refs[i - 1].name, refs[i].name)) {
			li = &lanes[nl++];
			*li = (struct lane_info){ refs[i].name, refs[i].row, -1, -1, 0, 0 };
		}
		li = &lanes[nl - 1];
		if (st && *st) {
			int s = stage_parse(st);

			if (s < 0) {
				csv_fail_at(r, row->line, "column 'stage': expected customer, onstage, "
				        "offstage or support, got '%s'", csv_shown(st, q, sizeof q));
				goto out;
			}
			if (li->stage < 0) {
				li->stage = s;
				li->stage_line = row->line;
			} else if (li->stage != s) {
				csv_warn_at(r, row->line, "lane '%s' has stage %s here but %s on line %zu; "
				        "keeping %s", li->name, stage_name((enum stage)s),
				        stage_name((enum stage)li->stage), li->stage_line,
				        stage_name((enum stage)li->stage));
			}
		}
		if (cap && *cap) {
			int c = 0;

			if (parse_capacity(r, row, cap, &c) != STATUS_OK)
				goto out;
			if (li->capacity < 0) {
				li->capacity = c;
				li->capacity_line = row->line;
			} else if (li->capacity != c) {
				csv_warn_at(r, row->line, "lane '%s' has capacity %d here but %d on line %zu; "
				        "keeping %d", li->name, c, li->capacity, li->capacity_line,
				        li->capacity);
			}
		}
	}
	if (nl > 1)
		qsort(lanes, nl, sizeof *lanes, lane_first_cmp);
	*out = lanes;
	*nout = nl;
	lanes = NULL;
out:
	free(refs);
	free(lanes);
	return r->st;
}

/* "work: expected..." from step_set_field() as "FILE:LINE: column 'work': expected...". */
enum status
csv_cell_error(struct reader *r, const struct row *row, enum column c, enum status st)
{
	char msg[ERR_MSG_MAX];
	const char *m = r->err ? r->err->msg : "";
	size_t n = strlen(csv_column_names[c]);

	if (st == STATUS_NOMEM)
		return csv_nomem(r);
	if (!strncmp(m, csv_column_names[c], n) && m[n] == ':' && m[n + 1] == ' ')
		m += n + 2;
	snprintf(msg, sizeof msg, "%s", m);
	if ((c == COL_WORK || c == COL_WAIT || c == COL_ARRIVAL) && row->cell[c] &&
	    strchr(row->cell[c], '(') && !strchr(row->cell[c], ')'))
		return csv_fail_at(r, row->line, "column '%s': %s (a distribution holds commas: put the "
		               "cell in quotes, \"tri(3m,5m,10m)\")", csv_column_names[c], msg);
	return csv_fail_at(r, row->line, "column '%s': %s", csv_column_names[c], msg);
}

/* The step of a row, fields checked. */
enum status
csv_row_step(struct reader *r, const struct row *row, struct step *s)
{
	size_t c;
	enum status st;

	for (c = 0; c < COL_COUNT_; c++) {
		char *text = row->cell[c], num[64];

		if (column_field((enum column)c) < 0 || !text)
			continue;
		if (c != COL_NAME && c != COL_NOTE && !*csv_trim(text))
			continue;
		if ((c == COL_ERROR_RATE || c == COL_COST) && r->delim != ',' &&
		    strchr(text, ',') && !strchr(text, '.') && strlen(text) < sizeof num) {
			/* A decimal comma, as a spreadsheet in a French locale writes
			 * (with semicolons between cells; in a comma file "1,000" is
			 * more likely a thousands separator, and an error). */
			char *comma;

			strcpy(num, text);
			comma = strchr(num, ',');
			if (!strchr(comma + 1, ','))
				*comma = '.';
			text = num;
		}
		st = step_set_field(NULL, s, (enum step_field)column_field((enum column)c), text,
		                    r->err);
		if (st != STATUS_OK)
			return csv_cell_error(r, row, (enum column)c, st);
	}
	/* a split or join the program made: not counted as a step */
	if (row->cell[COL_GENERATED] && !yes_no_parse(row->cell[COL_GENERATED], &s->generated))
		return csv_fail_at(r, row->line, "column 'generated': expected yes or no, got '%s'",
		                   csv_trim(row->cell[COL_GENERATED]));
	return STATUS_OK;
}

/* Copy s[0..n) with backslash escapes undone, trimmed. */
static char *
unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o;
	size_t i;

	if (!out)
		return NULL;
	for (o = out, i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		*o++ = s[i];
	}
	*o = '\0';
	/* blanks around a label or a name are layout, not part of it */
	{
		char *t = csv_trim(out);

		if (t != out)
			memmove(out, t, strlen(t) + 1);
	}
	return out;
}

/* The end of the item starting at s: the next unescaped '|' or the end. */
static const char *
item_end(const char *s)
{
	for (; *s && *s != '|'; s++)
		if (*s == '\\' && s[1])
			s++;
	return s;
}

/* One parsed item of a `next` cell. */
struct next_item {
	char *target;
	struct flow flow;
};

static void
next_item_done(struct next_item *it)
{
	free(it->target);
	free(it->flow.label);
	free(it->flow.condition);
	memset(it, 0, sizeof *it);
}

static enum status
parse_next_item(struct reader *r, const struct row *row, const char *s, const char *e,
                struct next_item *it)
{
	const char *p = s, *t;
	char q[80], buf[128];

	memset(it, 0, sizeof *it);
	it->flow.prob = -1;
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	for (t = p; t < e && *t != '@' && *t != '{' && *t != ' ' && *t != '\t' && *t != '\\'; t++)
		;
	if (t == p) {
		snprintf(buf, sizeof buf, "%.*s", (int)(e - s < 100 ? e - s : 100), s);
		return csv_fail_at(r, row->line, "column 'next': expected a step like '12', "
		               "'12@0.7 Imaging needed' or '12 {condition}', got '%s'",
		               csv_shown(csv_trim(buf), q, sizeof q));
	}
	if (!(it->target = strndup(p, (size_t)(t - p))))
		return csv_nomem(r);
	p = t;
	if (p < e && *p == '@') {
		double v;
		char *end;
		size_t n;

		for (t = ++p; t < e && *t != ' ' && *t != '\t' && *t != '{'; t++)
			;
		n = (size_t)(t - p);
		snprintf(buf, sizeof buf, "%.*s", (int)(n < 100 ? n : 100), p);
		errno = 0;
		v = strtod(buf, &end);
		if (end != buf && *end == '%' && end[1] == '\0') {
			v /= 100;
			end++;
		}
		if (end == buf || *end || errno || !(v >= 0 && v <= 1) || isspace((unsigned char)buf[0]))
			return csv_fail_at(r, row->line, "column 'next': expected a probability from 0 to 1 "
			               "(or 0%% to 100%%) after '%s@', got '%s'", it->target,
			               csv_shown(buf, q, sizeof q));
		it->flow.prob = v;
		p = t;
	}
	/* the label: up to an unescaped '{' */
	for (t = p; t < e && *t != '{'; t++)
		if (*t == '\\' && t + 1 < e)
			t++;
	if (!(it->flow.label = unescape(p, (size_t)(t - p))))
		return csv_nomem(r);
	if (!*it->flow.label) {
		free(it->flow.label);
		it->flow.label = NULL;
	}
	if (t < e) {
		const char *c = ++t;

		for (; t < e && *t != '}'; t++)
			if (*t == '\\' && t + 1 < e)
				t++;
		if (t == e)
			return csv_fail_at(r, row->line, "column 'next': the condition after '%s' opens "
			               "with '{' but never closes with '}'", it->target);
		if (!(it->flow.condition = unescape(c, (size_t)(t - c))))
			return csv_nomem(r);
		for (t++; t < e; t++)
			if (*t != ' ' && *t != '\t' && *t != '\r' && *t != '\n')
				return csv_fail_at(r, row->line, "column 'next': text after the condition "
				               "of the flow to '%s'; the condition {...} comes last",
				               it->target);
		if (!*it->flow.condition) {
			free(it->flow.condition);
			it->flow.condition = NULL;
		}
	}
	return STATUS_OK;
}

/* Emit the flows of one row's `next` cell (checked against the keys). */
enum status
csv_emit_next(struct reader *r, const struct row *row, const struct key_ref *keys,
          struct sink *sink)
{
	const char *s = row->cell[COL_NEXT], *e;
	struct next_item it;
	enum status st = STATUS_OK;
	char q[80];

	if (!s || !*csv_trim(row->cell[COL_NEXT]))
		return STATUS_OK;
	s = csv_trim(row->cell[COL_NEXT]);
	for (; st == STATUS_OK; s = e + 1) {
		e = item_end(s);
		if ((st = parse_next_item(r, row, s, e, &it)) != STATUS_OK) {
			next_item_done(&it);
			break;
		}
		if (!key_find(keys, r->nrows, it.target)) {
			st = csv_fail_at(r, row->line, "column 'next': no step '%s' in the file",
			             csv_shown(it.target, q, sizeof q));
		} else if (sink && (st = sink->ops->flow(sink->ctx, row->key, it.target, &it.flow,
		                                         r->err)) != STATUS_OK) {
			r->st = st;
		}
		next_item_done(&it);
		if (!*e)
			break;
	}
	return st;
}

/* One measure end named in a starts or ends cell. */
struct mend {
	char *name;
	size_t row;                  /* index in r->rows */
	size_t seq;                  /* order met */
	int clock;                   /* -1 = not given */
};

static int
mend_cmp(const void *a, const void *b)
{
	const struct mend *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static enum status
mend_push(struct reader *r, struct mend **v, size_t *n, size_t *cap, struct mend m)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct mend *nv = realloc(*v, c * sizeof *nv);

		if (!nv) {
			free(m.name);
			return csv_nomem(r);
		}
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = m;
	return STATUS_OK;
}

/* The items of a starts/ends cell of row i into *v. */
static enum status
parse_mends(struct reader *r, size_t i, enum column c, struct mend **v, size_t *n,
            size_t *cap)
{
	const struct row *row = &r->rows[i];
	const char *s, *e, *at, *t;
	char q[80];

	if (!row->cell[c] || !*csv_trim(row->cell[c]))
		return STATUS_OK;
	for (s = csv_trim(row->cell[c]);; s = e + 1) {
		struct mend m = { NULL, i, *n, -1 };

		e = item_end(s);
		at = NULL;
		for (t = s; t < e; t++) {
			if (*t == '\\' && t + 1 < e)
				t++;
			else if (*t == '@')
				at = t;
		}
		if (at) {
			char word[32];
			size_t k = 0;

			for (t = at + 1; t < e && k + 1 < sizeof word; t++)
				if (*t != ' ' && *t != '\t')
					word[k++] = *t;
			word[k] = '\0';
			if ((m.clock = clock_parse(word)) < 0)
				return csv_fail_at(r, row->line, "column '%s': expected the clock 'customer' or "
				               "'process' after '@', got '%s'", csv_column_names[c],
				               csv_shown(word, q, sizeof q));
		}
		if (!(m.name = unescape(s, (size_t)((at ? at : e) - s))))
			return csv_nomem(r);
		if (!*m.name) {
			free(m.name);
			return csv_fail_at(r, row->line, "column '%s': a measure without a name "
			               "(write names separated by '|')", csv_column_names[c]);
		}
		if (mend_push(r, v, n, cap, m) != STATUS_OK)
			return r->st;
		if (!*e)
			break;
	}
	return STATUS_OK;
}

static void
mends_free(struct mend *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}


static int
mpair_cmp(const void *a, const void *b)
{
	const struct mpair *x = a, *y = b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Pair the starts and ends of measures by name (the k-th start of a name
 * with its k-th end), in the order they start. */
enum status
csv_pair_measures(struct reader *r, struct mpair **out, size_t *nout)
{
	struct mend *st = NULL, *en = NULL;
	struct mpair *pairs = NULL;
	size_t ns = 0, cs = 0, ne = 0, ce = 0, np = 0, i, j;
	enum status s = STATUS_OK;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < r->nrows && s == STATUS_OK; i++)
		if ((s = parse_mends(r, i, COL_STARTS, &st, &ns, &cs)) == STATUS_OK)
			s = parse_mends(r, i, COL_ENDS, &en, &ne, &ce);
	if (s != STATUS_OK || ns == 0 || !(pairs = calloc(ns, sizeof *pairs)))
		goto unpaired;
	/* qsort(NULL, 0, ...) is undefined: a measure that starts and none ends */
	if (ns > 1)
		qsort(st, ns, sizeof *st, mend_cmp);
	if (ne > 1)
		qsort(en, ne, sizeof *en, mend_cmp);
	for (i = j = 0; i < ns || j < ne;) {
		int c = i == ns ? 1 : j == ne ? -1 : strcmp(st[i].name, en[j].name);

		if (c < 0) {
			csv_warn_at(r, r->rows[st[i].row].line, "measure '%s' starts here but never ends; "
			        "it is dropped", st[i].name);
			i++;
			continue;
		}
		if (c > 0) {
			csv_warn_at(r, r->rows[en[j].row].line, "measure '%s' ends here but never starts; "
			        "it is dropped", en[j].name);
			j++;
			continue;
		}
		if (st[i].clock >= 0 && en[j].clock >= 0 && en[j].clock != st[i].clock)
			csv_warn_at(r, r->rows[en[j].row].line, "measure '%s' ends on the %s clock but "
			        "starts on the %s clock; keeping %s", en[j].name,
			        clock_name((enum clock)en[j].clock), clock_name((enum clock)st[i].clock),
			        clock_name((enum clock)st[i].clock));
		pairs[np++] = (struct mpair){
			.name = st[i].name, .from = st[i].row, .to = en[j].row, .seq = st[i].seq,
			.clock = st[i].clock >= 0 ? (enum clock)st[i].clock :
			         en[j].clock >= 0 ? (enum clock)en[j].clock : CLOCK_PROCESS,
		};
		st[i].name = NULL;       /* now the pair's */
		i++;
		j++;
	}
	if (np > 1)
		qsort(pairs, np, sizeof *pairs, mpair_cmp);
	*out = pairs;
	*nout = np;
	goto out;
unpaired:
	free(pairs);
	for (j = 0; s == STATUS_OK && j < ne; j++)
		csv_warn_at(r, r->rows[en[j].row].line, "measure '%s' ends here but never starts; "
		        "it is dropped", en[j].name);
out:
	mends_free(st, ns);
	mends_free(en, ne);
	return s == STATUS_OK ? r->st : s;
}

void
csv_mpairs_free(struct mpair *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}
