/*
 * evlog.c - the events of an event log (evlog_int.h): the interned texts,
 * the compact event array, the ISO 8601 time parser, the usual names of
 * columns and attributes, and the warnings of a read. The XES and CSV
 * readers fill it; discover.c turns it into a map.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/evlog_int.h"
#include "import/vec.h"

#define WARN_SHOWN 5

/* --- names --------------------------------------------------------------------- */

static const char *const usual[EVK_COUNT_][8] = {
	[EVK_CASE]  = { "case:concept:name", "case_id", "case", "caseid", "case id", "case_key" },
	[EVK_ACT]   = { "concept:name", "activity", "activity_name", "event", "task" },
	[EVK_TIME]  = { "time:timestamp", "timestamp", "end_time", "complete", "time",
	                "end_timestamp", "completion_time" },
	[EVK_START] = { "start_timestamp", "start_time", "time:start", "start" },
	[EVK_LIFE]  = { "lifecycle:transition", "lifecycle", "transition" },
	[EVK_INST]  = { "concept:instance", "activity_instance_id", "instance" },
	[EVK_RES]   = { "org:resource", "resource", "user" },
	[EVK_ROLE]  = { "org:role", "role" },
	[EVK_GROUP] = { "org:group", "group" },
};

#define RANK_NONE 1000u

unsigned
evlog_key_rank(const struct evlog_options *opt, enum evkey k, const char *name)
{
	const char *given = NULL;
	unsigned i;

	if (opt)
		switch (k) {
		case EVK_CASE:  given = opt->case_key; break;
		case EVK_ACT:   given = opt->activity_key; break;
		case EVK_TIME:  given = opt->timestamp_key ? opt->timestamp_key : opt->end_key; break;
		case EVK_START: given = opt->start_key; break;
		case EVK_LIFE:  given = opt->lifecycle_key; break;
		case EVK_INST:  given = opt->instance_key; break;
		case EVK_RES:   given = opt->resource_key; break;
		default: break;
		}
	if (given)
		return strcasecmp(given, name) == 0 ? 0 : RANK_NONE;
	for (i = 0; i < 8 && usual[k][i]; i++)
		if (strcasecmp(usual[k][i], name) == 0)
			return i;
	return RANK_NONE;
}

int
evlog_lane_by_parse(const char *s)
{
	static const char *const kw[] = {
#define EVLOG_LANE_KW_(name, k) k,
		EVLOG_LANE_BY_INFO(EVLOG_LANE_KW_)
#undef EVLOG_LANE_KW_
	};
	int i;

	for (i = 0; i < EVLOG_LANE_COUNT_; i++)
		if (strcasecmp(s, kw[i]) == 0)
			return i;
	return -1;
}

const char *
evlog_process_name(const struct evlog *el, char *buf, size_t size)
{
	const char *base = strrchr(el->file, '/');
	size_t len;
	char *dot;

	if (el->opt && el->opt->name && *el->opt->name) {
		snprintf(buf, size, "%s", el->opt->name);
		return buf;
	}
	base = base ? base + 1 : el->file;
	snprintf(buf, size, "%s", base);
	len = strlen(buf);
	if (len > 3 && !strcasecmp(buf + len - 3, ".gz"))
		buf[len -= 3] = '\0';
	if ((dot = strrchr(buf, '.')) && dot != buf &&
	    (!strcasecmp(dot, ".xes") || !strcasecmp(dot, ".csv")))
		*dot = '\0';
	return buf;
}

/* --- interned strings ---------------------------------------------------------- */

static uint64_t
hash_bytes(const char *s, size_t n)
{
	/* eight bytes a step, each mixed in by a multiply and a shift (FNV-1a's
	 * byte a step cost a tenth of a CSV import); the last shift brings the
	 * high bits down to the low ones the table's mask keeps */
	uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, sizeof w);
		h = (h ^ w) * 0xbf58476d1ce4e5b9u;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0x94d049bb133111ebu;
	return h ^ h >> 32;
}

/* The length of an interned text, kept in the 4 bytes before it. */
static uint32_t
strtab_len(const char *s)
{
	uint32_t len;

	memcpy(&len, s - sizeof len, sizeof len);
	return len;
}

/* A slot: the hash's high half beside the number, so a probe that meets
 * another text tells it by the hash without reading that text. */
static uint64_t
strtab_slot(uint64_t h, uint32_t i)
{
	return (h & 0xffffffff00000000u) | i;
}

static int
strtab_rehash(struct strtab *t, size_t nslots)
{
	uint64_t *slots = malloc(nslots * sizeof *slots);
	size_t i;

	if (!slots)
		return -1;
	memset(slots, 0xff, nslots * sizeof *slots);
	for (i = 0; i < t->n; i++) {
		uint64_t h = hash_bytes(t->s[i], strtab_len(t->s[i]));
		size_t j = h & (nslots - 1);

		while (slots[j] != STRTAB_EMPTY)
			j = (j + 1) & (nslots - 1);
		slots[j] = strtab_slot(h, (uint32_t)i);
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	return 0;
}

/* The number of s (len bytes), added when new; EV_NONE when out of memory. */
uint32_t
strtab_intern(struct strtab *t, const char *s, size_t len)
{
	size_t j;
	uint32_t len32;
	uint64_t h;
	char *copy;

	if ((t->n + 1) * 2 > t->nslots && strtab_rehash(t, t->nslots ? t->nslots * 2 : 64) < 0)
		return EV_NONE;
	h = hash_bytes(s, len);
	for (j = h & (t->nslots - 1); t->slots[j] != STRTAB_EMPTY; j = (j + 1) & (t->nslots - 1)) {
		uint32_t i = (uint32_t)t->slots[j];
		const char *o;

		if (strtab_slot(h, i) != t->slots[j])
			continue;
		o = t->s[i];
		if (strtab_len(o) == len && !memcmp(o, s, len))
			return i;
	}
	if (t->n >= EV_NONE - 1 || len >= UINT32_MAX ||
	    vec_grow(&t->s, &t->cap, t->n, sizeof *t->s) < 0 ||
	    !(copy = arena_alloc(&t->a, len + 1 + sizeof len32)))
		return EV_NONE;
	len32 = (uint32_t)len;
	memcpy(copy, &len32, sizeof len32);
	copy += sizeof len32;
	memcpy(copy, s, len);
	copy[len] = '\0';
	t->s[t->n] = copy;
	t->slots[j] = strtab_slot(h, (uint32_t)t->n);
	return (uint32_t)t->n++;
}

static void
strtab_done(struct strtab *t)
{
	vec_free(t->s, t->cap, sizeof *t->s);
	free(t->slots);
	arena_done(&t->a);
	memset(t, 0, sizeof *t);
}

/* --- time ------------------------------------------------------------------------ */

/* n digits at *p into *v; false when they are not there. */
static bool
digits(const char **p, int n, int *v)
{
	int x = 0;

	while (n--) {
		if (!isdigit((unsigned char)**p))
			return false;
		x = x * 10 + (*(*p)++ - '0');
	}
	*v = x;
	return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's
 * days_from_civil). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool
evlog_parse_time(const char *text, int64_t *ms, bool *naive)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = text;
	int y, mo, d, h = 0, mi = 0, s = 0, frac = 0, oh = 0, om = 0, sign = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return false;
	if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return false;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &s))
				return false;
			if (*p == '.' || *p == ',') {
				int scale = 100;

				p++;
				if (!isdigit((unsigned char)*p))
					return false;
				for (; isdigit((unsigned char)*p); p++, scale /= 10)
					frac += (*p - '0') * scale;
			}
		}
		if (h > 24 || mi > 59 || s > 60 || (h == 24 && (mi || s || frac)))
			return false;
	}
	while (*p == ' ')
		p++;
	if (*p == 'Z' || *p == 'z') {
		sign = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, 2, &oh))
			return false;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && !digits(&p, 2, &om))
			return false;
		if (oh > 18 || om > 59)
			return false;
	}
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p)
		return false;
	if (s == 60)                 /* a leap second: the next second's start */
		s = 59, frac = 999;
	*ms = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000 + frac) -
	      (int64_t)(sign ? sign : 1) * (oh * 3600 + om * 60) * 1000;
	*naive = sign == 0;
	return true;
}

/* --- events ---------------------------------------------------------------------- */

void
evlog_init(struct evlog *el, const char *file, const struct evlog_options *opt,
           struct sink *sink)
{
	memset(el, 0, sizeof *el);
	el->file = file;
	el->opt = opt;
	el->sink = sink;
}

void
evlog_done(struct evlog *el)
{
	strtab_done(&el->cases);
	strtab_done(&el->acts);
	strtab_done(&el->names);
	vec_free(el->ev, el->cap, sizeof *el->ev);
	el->ev = NULL;
}

static const char *const warn_kinds[] = {
	"events without a usable time", "events without a case", "events without an activity",
	"start times not read", "warnings", "starts never completed", "other", "other",
};

void
evlog_warn(struct evlog *el, unsigned kind, unsigned line, const char *fmt, ...)
{
	char where[1100], what[1024];
	va_list ap;

	if (kind >= 8 || el->nwarn[kind]++ >= WARN_SHOWN || !el->sink->ops->warn)
		return;
	if (line)
		snprintf(where, sizeof where, "%s:%u", el->file, line);
	else
		snprintf(where, sizeof where, "%s", el->file);
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	el->sink->ops->warn(el->sink->ctx, where, what);
}

void
evlog_warn_flush(struct evlog *el)
{
	char what[160];
	unsigned k;

	for (k = 0; k < 8; k++)
		if (el->nwarn[k] > WARN_SHOWN && el->sink->ops->warn) {
			snprintf(what, sizeof what, "%zu more %s (not shown)",
			         el->nwarn[k] - WARN_SHOWN, warn_kinds[k]);
			el->sink->ops->warn(el->sink->ctx, el->file, what);
		}
}

/* A value that says "missing": empty, nan, NaN, NaT, null, None. */
static bool
missing(const char *s)
{
	while (*s == ' ')
		s++;
	if (*s && !strchr("nN", *s))
		return false;
	return !*s || !strcasecmp(s, "nan") || !strcasecmp(s, "nat") || !strcasecmp(s, "null") ||
	       !strcasecmp(s, "none");
}

/* Shown in a message: at most 40 bytes. */
#define SHOW(s) (int)(strlen(s) > 40 ? 40 : strlen(s)), (s)

static uint32_t
name_of(struct evlog *el, const char *s, bool *any)
{
	uint32_t id;

	if (!s || missing(s))
		return EV_NONE;
	if ((id = strtab_intern(&el->names, s, strlen(s))) == EV_NONE)
		el->nomem = true;
	*any = true;
	return id;
}

enum status
evlog_add(struct evlog *el, const struct ev_raw *r)
{
	struct ev e;
	bool naive = false;

	if (!r->time || missing(r->time)) {
		el->bad++;
		evlog_warn(el, 0, r->line, "no time ('%.*s'): event left out",
		           SHOW(r->time ? r->time : ""));
		return STATUS_OK;
	}
	el->any_time = true;
	if (!evlog_parse_time(r->time, &e.t, &naive)) {
		el->bad++;
		evlog_warn(el, 0, r->line, "time '%.*s' is not an ISO 8601 date and time: "
		           "event left out", SHOW(r->time));
		return STATUS_OK;
	}
	el->naive |= naive;
	if (!r->cs || missing(r->cs)) {
		el->bad++;
		evlog_warn(el, 1, r->line, "no case id ('%.*s'): event left out",
		           SHOW(r->cs ? r->cs : ""));
		return STATUS_OK;
	}
	if (!r->act || missing(r->act)) {
		el->bad++;
		evlog_warn(el, 2, r->line, "no activity ('%.*s'): event left out",
		           SHOW(r->act ? r->act : ""));
		return STATUS_OK;
	}
	e.t0 = EV_NOTIME;
	if (r->start && !missing(r->start)) {
		if (!evlog_parse_time(r->start, &e.t0, &naive)) {
			evlog_warn(el, 3, r->line, "start time '%.*s' is not an ISO 8601 date and "
			           "time: the event has no start", SHOW(r->start));
			e.t0 = EV_NOTIME;
		} else {
			el->naive |= naive;
		}
	}
	e.life = LIFE_COMPLETE;
	if (r->life && !missing(r->life)) {
		if (!strcasecmp(r->life, "start"))
			e.life = LIFE_START;
		else if (strcasecmp(r->life, "complete"))
			e.life = LIFE_OTHER;
	}
	e.cs = strtab_intern(&el->cases, r->cs, strlen(r->cs));
	e.act = strtab_intern(&el->acts, r->act, strlen(r->act));
	e.res = name_of(el, r->res, &el->any_res);
	e.role = name_of(el, r->role, &el->any_role);
	e.group = name_of(el, r->group, &el->any_group);
	e.inst = name_of(el, r->inst, &el->any_inst);
	e.line = r->line;
	if (e.cs == EV_NONE || e.act == EV_NONE || el->nomem ||
	    vec_grow(&el->ev, &el->cap, el->n, sizeof *el->ev) < 0)
		return STATUS_NOMEM;
	el->ev[el->n++] = e;
	return STATUS_OK;
}
