/*
 * evlog_int.h - what the event-log readers (xes.c, evlog_csv.c), the event
 * table (evlog.c) and the discovery (discover.c) share. Private to import/.
 *
 * The events sit in one array of fixed-size records (struct ev, 48 bytes);
 * every text (case, activity, resource, role, group, instance) is interned
 * once in a string table and named by its number, so memory grows with the
 * events and the distinct names, never with the file's markup.
 */
#ifndef STEPMAP_IMPORT_EVLOG_INT_H
#define STEPMAP_IMPORT_EVLOG_INT_H

#include <stdint.h>

#include "import/arena.h"
#include "import/evlog.h"

#define EV_NOTIME INT64_MIN
#define EV_NONE UINT32_MAX
#define STRTAB_EMPTY UINT64_MAX

enum ev_life { LIFE_COMPLETE, LIFE_START, LIFE_OTHER };

struct ev {
	int64_t t;                   /* ms since 1970 UTC */
	int64_t t0;                  /* its own start time, or EV_NOTIME */
	uint32_t cs, act;            /* interned */
	uint32_t res, role, group, inst;   /* interned, or EV_NONE */
	uint32_t line;               /* in the file */
	uint8_t life;
};

/* Interned strings: number -> text, text -> number. */
struct strtab {
	char **s;                    /* in the arena, each after its length (4 bytes:
	                                strtab_len) */
	size_t n, cap;
	uint64_t *slots;             /* open addressing: the hash's high half, then
	                                the number; STRTAB_EMPTY = empty */
	size_t nslots;
	struct arena a;
};

/* One event's texts as a reader found them (NULL: absent). */
struct ev_raw {
	const char *cs, *act, *time, *start, *life, *inst, *res, *role, *group;
	unsigned line;
};

struct evlog {
	const char *file;            /* in messages */
	const struct evlog_options *opt;
	struct sink *sink;
	struct strtab cases, acts, names;  /* names: resources, roles, groups, instances */
	struct ev *ev;
	size_t n, cap;
	bool any_role, any_group, any_res, any_inst, any_time;
	bool naive, nomem;
	size_t bad;                  /* events left out */
	size_t nwarn[8];             /* warnings by kind, to cap repeats */
};

void evlog_init(struct evlog *el, const char *file, const struct evlog_options *opt,
                struct sink *sink);
void evlog_done(struct evlog *el);
/* Add one event (texts copied). Bad values are warned about with the line
 * and the event left out. STATUS_NOMEM only. */
enum status evlog_add(struct evlog *el, const struct ev_raw *r);
/* A warning "FILE:LINE: what" through the sink, the first few of each kind
 * (then one that says how many more). */
void evlog_warn(struct evlog *el, unsigned kind, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Say how many warnings of each kind were not shown. */
void evlog_warn_flush(struct evlog *el);
uint32_t strtab_intern(struct strtab *t, const char *s, size_t len);
/* The process name: opt->name, else the file's base name without its
 * suffixes (.xes.gz, .csv). Written into buf. */
const char *evlog_process_name(const struct evlog *el, char *buf, size_t size);

/* Which name a column or attribute is; one of the EVK_ below or -1. */
enum evkey { EVK_CASE, EVK_ACT, EVK_TIME, EVK_START, EVK_LIFE, EVK_INST, EVK_RES, EVK_ROLE,
             EVK_GROUP, EVK_COUNT_ };
/* For each key, the priority of name among its usual names (0 best), or a
 * large number when it is none of them; a name given in the options is
 * priority 0 and makes the usual ones none. `trace` for XES trace-level
 * attributes (concept:name there is the case). */
unsigned evlog_key_rank(const struct evlog_options *opt, enum evkey k, const char *name);

/* Pair, sort, count, discover and emit (discover.c), after every event was
 * added. */
enum status evlog_build(struct evlog *el, struct err *err);

#endif
