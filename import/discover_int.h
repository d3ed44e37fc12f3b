/*
 * discover_int.h - what the two halves of the discovery share (private to
 * import/): discover_log.c reads the log's own figures (pairing starts and
 * completions into activity instances, the variants, the directly-follows
 * relation, each activity's times and overlaps), discover.c makes the map
 * from them and emits it. struct build holds both halves' state.
 */
#ifndef STEPMAP_IMPORT_DISCOVER_INT_H
#define STEPMAP_IMPORT_DISCOVER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "import/evlog_int.h"

#define NOTE_MAX 2048
#define OVERLAP_WINDOW 32          /* earlier instances of a case checked for overlap */
/* Two activities are parallel work when they overlap in time in at least
 * PAR_OVERLAP_PCT % of the cases that have both, those cases are at least
 * PAR_TOGETHER_PCT % of the cases that have either, and at least
 * PAR_MIN_CASES cases overlap. */
#define PAR_OVERLAP_PCT 50
#define PAR_TOGETHER_PCT 50
#define PAR_MIN_CASES 3

/* An activity instance: a completion, with its start when known. */
struct inst {
	int64_t start, end;          /* ms; start EV_NOTIME when unknown */
	uint32_t cs, act, lane, line;
	uint32_t seq;                /* in order of completion within the case */
};

/* A directly-follows count keyed by (from, to). */
struct pair_slot {
	uint64_t key;                /* from << 32 | to; UINT64_MAX: empty */
	size_t n;
};

struct pairs {
	struct pair_slot *s;
	size_t cap, n;
};

struct act_info {
	size_t events, insts;        /* all its events; its instances */
	bool kept;
	size_t step;                 /* its position among the kept steps */
	size_t visits, starts, ends, out;   /* on the projected paths */
	size_t rework;               /* visits in a case it was already in */
	size_t last_case;            /* the last case that visited it, + 1 */
	uint32_t lane;               /* its lane's name, or EV_NONE */
	double work_sum, wait_sum;   /* the reference's means (all instances) */
	size_t work_n, wait_n;
	double *work, *wait;         /* samples (seconds) on the projected paths */
	size_t nwork, nwait;
	size_t par_with, par_n;      /* the activity it overlaps most, how often */
	size_t cases_in, mark;       /* cases it occurs in; the last one counted, + 1 */
	/* a parallel block (an entry after the activities, a node of the map):
	 * its members gmem[gfirst .. gfirst + gn); the fewest cases where two
	 * of them overlap, and the cases those two share */
	size_t gfirst, gn, g_overlap, g_together;
};

struct build {
	struct evlog *el;
	struct err *err;
	struct inst *in;
	size_t nin, cap_in;
	size_t *case_first;          /* instances of case c: in[case_first[c] .. case_first[c+1]) */
	int64_t *case_t0, *case_t1;  /* first and last time of each case */
	struct act_info *acts;
	size_t nacts;
	uint32_t *order;             /* the map's nodes in order (activities not in a
	                                parallel block, and the blocks) */
	size_t norder, nkept;        /* nodes; activities on the map */
	uint32_t *node;              /* each activity's node: itself, or its block's
	                                entry in acts (nacts + block) */
	uint32_t *gmem;              /* the blocks' members, block by block */
	double *samples;             /* every kept activity's work and wait samples, */
	size_t nsamples;             /* one array: theirs are slices of it */
	size_t nblocks;
	struct pairs dfg, pdfg, par, par_cases, lanes;
	size_t starts, completes, others, unpaired;
	bool split;
	struct log_summary sum;
	struct evlog_report rep;
};

#define PAIR_FROM(k) ((uint32_t)((k) >> 32))
#define PAIR_TO(k) ((uint32_t)((k) & 0xffffffffu))

/* Add n to the count of (a, b); -1 when out of memory. */
int pairs_add(struct pairs *p, uint32_t a, uint32_t b, size_t n);
/* The count of (a, b); 0 when it has none. */
size_t pairs_get(const struct pairs *p, uint32_t a, uint32_t b);

/* When an instance began: its start, or its completion without one. */
static inline int64_t
inst_begin(const struct inst *in)
{
	return in->start != EV_NOTIME ? in->start : in->end;
}

/* The log's figures, in this order (discover_log.c); STATUS_NOMEM or OK.
 * Events sorted by case and time, starts paired with completions into
 * b->in, case by case (case_first); */
enum status discover_pair_events(struct build *b);
/* the cases grouped into variants; */
enum status discover_count_variants(struct build *b);
/* the directly-follows relation, start and end activities; */
enum status discover_count_dfg(struct build *b);
/* each activity's mean work and wait, and the overlaps between them. */
enum status discover_act_figures(struct build *b);

#endif
