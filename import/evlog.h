/*
 * evlog.h - event logs into a map with measured times: the XES reader
 * (xes.c), the CSV event-log reader (evlog_csv.c), and what they share:
 * the events in compact arrays, the time parser (evlog.c) and the
 * discovery of the map (discover.c), emitted into a struct sink like any
 * other reader's.
 *
 * What is read. Each event: its case, activity, time, and when present its
 * lifecycle transition, activity instance, resource, role and group, and a
 * start time of its own (interval logs: start_timestamp). Names are found
 * case-insensitively, the first of each list present:
 *   case        case:concept:name, case_id, case, caseid, case id
 *               (XES: the trace's concept:name)
 *   activity    concept:name, activity, activity_name, event, task
 *   time        time:timestamp, timestamp, end_time, complete, time,
 *               end_timestamp, completion_time
 *   start       start_timestamp, start_time, time:start, start
 *   lifecycle   lifecycle:transition, lifecycle, transition
 *   instance    concept:instance, activity_instance_id, instance
 *   resource    org:resource, resource, user
 *   role        org:role, role;  group  org:group, group
 * and any of them named by the options. Attributes nested in XES <list> or
 * <container> elements, and attributes of attributes, are skipped.
 *
 * Time done right. ISO 8601 ("2011-01-06T12:18:00+01:00", a space for the
 * T, fractions of a second, Z or any offset +hh:mm/+hhmm/+hh): read exactly,
 * to the millisecond, as UTC, so a log that crosses a daylight-saving change
 * gives the durations of its UTC times. A time without an offset is read as
 * the local time of the log (as if UTC) and that is said once. Lifecycle
 * transitions in any case; `start` and `complete` are paired per activity
 * instance: by concept:instance when the log has it, else first in, first
 * out per case and activity; other transitions (schedule, suspend...) are
 * counted and left out; a start never completed is reported. Events are
 * sorted by time within their case, stably (ties keep file order). A case
 * id is any text, `NA` included. An empty, `nan` or unparsable time, case
 * or activity is reported with file and line and its event left out; a log
 * where no event has a time is an error.
 *
 * The map (discover.c): one step per activity kept, between a start and an
 * end event, from the directly-follows relation of the cases' activities
 * in order of completion: the dominant path (from the start, the heaviest
 * edge to an activity not yet placed) as the main line, the other
 * activities after it; every directly-follows edge a flow with its measured
 * probability, so the other behaviour is decision branches, and an edge
 * back (or to itself) a loop whose rework rate the step's note gives.
 * Activities that overlap in time within cases (with start times: one
 * starts before the other completes) in at least half of the cases that
 * have both, those being at least half of the cases that have either (and
 * at least 3 cases), are a parallel block: a parallel split, each as a
 * branch, a parallel join, in place of a sequence or a decision; more join
 * a block when each two of them are parallel. A member's wait runs from when
 * the block was entered, the next step's from the block's last completion.
 * An overlap too seldom for a block is named in the step's note. Coverage: activities are kept, most frequent first, until
 * at least `coverage` percent of the events are on the map (default 80);
 * the cases' paths are projected on the kept ones, and what was left out
 * is counted in the report and in a warning, never dropped silently.
 * Times: with start and complete times, each step's work (complete - start)
 * and its wait before (start - the previous kept completion in the case,
 * 0 where they overlap); with completion times only, the time between two
 * completions is the step's wait, which holds wait and work together, and
 * the step and the process say so. Each time is the distribution of the
 * project's set (fixed, uniform, triangular, exponential, normal,
 * lognormal) closest to the data by Wasserstein distance, its quantiles
 * bounded to the observed range. The arrival pattern is fitted to the gaps
 * between case starts; lanes come from roles, else groups, else resources
 * (or --lane-by), each step in the lane of most of its events, a lane's
 * capacity the most of its activity instances that ran at once (unlimited
 * without start times); a measure "case duration" runs from the start to
 * the end event. The log's own figures go to the sink's log().
 */
#ifndef STEPMAP_IMPORT_EVLOG_H
#define STEPMAP_IMPORT_EVLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "import/sink.h"

/* _(NAME, keyword) */
#define EVLOG_LANE_BY_INFO(_) \
	_(AUTO,     "auto") \
	_(ROLE,     "role") \
	_(GROUP,    "group") \
	_(RESOURCE, "resource") \
	_(NONE,     "none")

enum evlog_lane_by {
#define EVLOG_LANE_ENUM_(name, kw) EVLOG_LANE_##name,
	EVLOG_LANE_BY_INFO(EVLOG_LANE_ENUM_)
#undef EVLOG_LANE_ENUM_
	EVLOG_LANE_COUNT_
};
/* -1 when unknown; case-insensitive. */
int evlog_lane_by_parse(const char *s);

/* One activity as the log has it (all its instances, the whole paths):
 * the figures PM4Py gives, for tests and the report. */
struct evlog_act_figure {
	char *name;
	size_t events;
	double work_mean_s;          /* complete - start; NAN without starts */
	double wait_mean_s;          /* start - the previous completion in the case,
	                                cases' instances ordered by start; negative
	                                where they overlap; NAN when never after one */
};

struct evlog_edge_figure {
	char *from, *to;
	size_t n;
};

/* What an import found, for the import report and tests. Release with
 * evlog_report_done(). */
struct evlog_report {
	size_t cases, events, activities, resources, variants, top_variant_cases;
	size_t dfg_edges, start_activities, end_activities;
	size_t starts, completes, other_lifecycle;  /* events by transition */
	size_t unpaired_starts;      /* starts never completed: left out */
	size_t bad_events;           /* no usable time, case or activity: left out */
	size_t steps;                /* activities on the map */
	size_t events_on_map;
	size_t activities_left_out, events_left_out, edges_left_out;
	size_t parallel_pairs;       /* pairs of activities seen overlapping */
	size_t parallel_blocks;      /* parallel blocks on the map */
	bool split;                  /* start and complete times */
	bool naive_times;            /* some time had no UTC offset */
	double case_mean_s, case_p50_s, case_p90_s;
	struct evlog_act_figure *acts;     /* every activity, in order of first sight */
	size_t nacts;
	struct evlog_edge_figure *edges;   /* every directly-follows edge, heaviest
	                                      first (ties by names) */
	size_t nedges;
};

void evlog_report_done(struct evlog_report *r);

struct evlog_options {
	const char *name;            /* the process; NULL: the file's base name */
	/* names of the columns or attributes; NULL: the usual names above */
	const char *case_key, *activity_key, *timestamp_key, *start_key, *end_key,
	           *resource_key, *lifecycle_key, *instance_key;
	enum evlog_lane_by lane_by;
	double coverage;             /* percent of the events on the map, 0 < x <= 100;
	                                0: EVLOG_DEFAULT_COVERAGE */
	struct evlog_report *report; /* when not NULL, receives the figures */
};

#define EVLOG_DEFAULT_COVERAGE 80.0
#define XES_MAX_DEPTH 64

/*
 * Read the XES file (plain, or gzip-compressed) at path, build the map and
 * emit it into sink: process(), arrival, lanes, steps, flows, the measure,
 * log() when the sink has it, end(). The file is streamed with libxml2's
 * SAX parser behind the guards of the BPMN reader (bpmn.h: no DTD, no
 * entities, no network, nesting at most XES_MAX_DEPTH). On error nothing
 * but warnings reaches the sink and err says "FILE:LINE: what".
 */
enum status xes_read(const char *path, const struct evlog_options *opt, struct sink *sink,
                     struct err *err);

/*
 * The same for a CSV event log: one row per event, a header naming the
 * columns; comma, semicolon or tab, guessed from the header; UTF-8 with or
 * without BOM; quoted cells (RFC 4180) through libcsv. A file with both a
 * start and an end column gives one activity instance per row.
 */
enum status evlog_csv_read(const char *path, const struct evlog_options *opt,
                           struct sink *sink, struct err *err);

/*
 * True when the header line of the CSV file at path names a case, an
 * activity and a time column (by the usual names, or those of opt): an
 * event log rather than a CSV of steps.
 */
bool evlog_csv_sniff(const char *path, const struct evlog_options *opt);

/*
 * Parse an ISO 8601 date and time into milliseconds since 1970 UTC.
 * *naive is set when the text has no offset (read as UTC). False when text
 * is not one.
 */
bool evlog_parse_time(const char *text, int64_t *ms, bool *naive);

#endif
