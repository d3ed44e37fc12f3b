/*
 * test_evlog.c - the event-log readers (XES, XES.gz, CSV) and the map made
 * from a log: the figures of every log of tests/data/eventlogs against
 * PM4Py's reference figures in ref/ (read from the JSON files, not copied
 * here), each ugly case of ugly/ (offsets across a daylight-saving change,
 * naive times, upper-case lifecycle, concept:instance, unsorted rows, the
 * NA case, nan, nested attributes, gzip, no timestamps, hostile and
 * truncated files), the time parser, the fit, and the simulation of an
 * imported log against the log itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import/evlog.h"
#include "import/sink.h"
#include "model/fit.h"
#include "model/logsum.h"
#include "store/store.h"
#include "store/store_int.h"   /* STORE_SCHEMA_VERSION */

#define DATA "tests/data/eventlogs/"

struct run {
	struct workbook *w;
	struct sink_builder *b;
	struct err err;
	enum status st;
	struct evlog_report rep;
	const struct process *p;
};

static void
run_done(struct run *r)
{
	sink_builder_free(&r->b);
	workbook_free(&r->w);
	evlog_report_done(&r->rep);
}

/* Read path with opt (its report is ours); a bad file sends nothing. */
static enum status
run_log(struct run *r, const char *path, struct evlog_options opt)
{
	struct sink s;
	size_t n = strlen(path);

	memset(r, 0, sizeof *r);
	assert_non_null(r->w = workbook_new());
	assert_int_equal(sink_builder_new(r->w, false, &r->b, &s), STATUS_OK);
	opt.report = &r->rep;
	if (n > 4 && !strcmp(path + n - 4, ".csv"))
		r->st = evlog_csv_read(path, &opt, &s, &r->err);
	else
		r->st = xes_read(path, &opt, &s, &r->err);
	if (r->st == STATUS_OK) {
		assert_int_equal(r->w->nprocs, 1);
		r->p = r->w->procs[0];
		assert_non_null(r->p->log);
	} else {
		assert_int_equal(r->w->nprocs, 0);
	}
	return r->st;
}

static const char *
warnings(const struct run *r)
{
	return sink_builder_warnings(r->b);
}

/* --- the reference's JSON: just what the tests read ------------------------------ */

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	assert_non_null(s = malloc((size_t)n + 1));
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

/* The number after "key": in json; NAN when absent. */
static double
ref_num(const char *json, const char *key)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof pat, "\"%s\": ", key);
	if (!(p = strstr(json, pat)))
		return NAN;
	return strtod(p + strlen(pat), NULL);
}

/* A quoted string at *p into buf; *p moves past it. */
static void
ref_str(const char **p, char *buf, size_t size)
{
	const char *q = strchr(*p, '"') + 1, *e = strchr(q, '"');

	snprintf(buf, size, "%.*s", (int)(e - q), q);
	*p = e + 1;
}

static const struct evlog_edge_figure *
edge(const struct evlog_report *r, const char *from, const char *to)
{
	size_t i;

	for (i = 0; i < r->nedges; i++)
		if (!strcmp(r->edges[i].from, from) && !strcmp(r->edges[i].to, to))
			return &r->edges[i];
	return NULL;
}

static const struct evlog_act_figure *
act(const struct evlog_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nacts; i++)
		if (!strcmp(r->acts[i].name, name))
			return &r->acts[i];
	return NULL;
}

/* Every "name": minutes of the object at key, against the report's means
 * (field: 0 work, 1 wait), within 1 s plus the reference's rounding
 * (0.01 min). Returns how many were compared. */
static size_t
check_minutes(const char *json, const char *key, const struct evlog_report *r, int field)
{
	char pat[128], name[256];
	const char *p, *end;
	size_t n = 0;

	snprintf(pat, sizeof pat, "\"%s\": {", key);
	if (!(p = strstr(json, pat)))
		return 0;
	p += strlen(pat);
	end = strchr(p, '}');
	while ((p = strchr(p, '"')) && p < end) {
		const struct evlog_act_figure *a;
		double want, got;

		ref_str(&p, name, sizeof name);
		want = strtod(p + 1, (char **)&p) * 60;
		a = act(r, name);
		if (!a)
			fail_msg("%s: activity '%s' not in the log read", key, name);
		got = field ? a->wait_mean_s : a->work_mean_s;
		if (!(fabs(got - want) <= 1 + 0.6))
			fail_msg("%s '%s': %.3f s, the reference %.3f s", key, name, got, want);
		n++;
	}
	return n;
}

struct ref_case {
	const char *file, *ref;
	struct evlog_options opt;
	bool skip_variants;          /* see the case's comment */
};

static const struct ref_case ref_cases[] = {
	{ DATA "running-example.xes", DATA "ref/running-example.json", { 0 }, false },
	{ DATA "running-example.csv", DATA "ref/running-example.json", { 0 }, false },
	{ DATA "reviewing.xes", DATA "ref/reviewing.json", { 0 }, false },
	{ DATA "interval_event_log.xes", DATA "ref/interval.json", { 0 }, false },
	{ DATA "interval_event_log.csv", DATA "ref/interval.json", { 0 }, false },
	{ DATA "helpdesk.xes.gz", DATA "ref/helpdesk.json", { 0 }, false },
	{ DATA "patients_bupar.csv", DATA "ref/patients.json",
	  { .case_key = "patient", .activity_key = "handling", .timestamp_key = "time",
	    .resource_key = "employee", .lifecycle_key = "registration_type",
	    .instance_key = "handling_id" }, false },
	/* PM4Py sorts this CSV's rows by its end_time column for the variants
	 * but by start_time for its directly-follows graph; stepmap orders a
	 * case one way, by start, for both (the map is the DFG): the DFG, the
	 * start and end activities and every time agree, the variants are
	 * counted on another order and are not compared. */
	{ DATA "simod_purchasing_example.csv", DATA "ref/purchasing.json", { 0 }, true },
};

static void
test_reference_figures(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof ref_cases / sizeof ref_cases[0]; i++) {
		const struct ref_case *c = &ref_cases[i];
		char *json = slurp(c->ref);
		struct evlog_options o = c->opt;
		struct run r;
		const char *p;
		double h;

		o.coverage = 100;
		if (run_log(&r, c->file, o) != STATUS_OK)
			fail_msg("%s: %s", c->file, r.err.msg);
		print_message("%s: %zu cases, %zu events, %zu variants, %zu edges\n", c->file,
		              r.rep.cases, r.rep.events, r.rep.variants, r.rep.dfg_edges);
		assert_int_equal(r.rep.cases, (size_t)ref_num(json, "cases"));
		assert_int_equal(r.rep.events, (size_t)ref_num(json, "events"));
		assert_int_equal(r.rep.activities, (size_t)ref_num(json, "activities"));
		if (isfinite(ref_num(json, "resources")))
			assert_int_equal(r.rep.resources, (size_t)ref_num(json, "resources"));
		if (!c->skip_variants) {
			assert_int_equal(r.rep.variants, (size_t)ref_num(json, "variants"));
			assert_int_equal(r.rep.top_variant_cases,
			                 (size_t)ref_num(json, "top_variant_cases"));
		}
		assert_int_equal(r.rep.dfg_edges, (size_t)ref_num(json, "dfg_edges"));
		assert_int_equal(r.rep.start_activities, (size_t)ref_num(json, "start_activities"));
		assert_int_equal(r.rep.end_activities, (size_t)ref_num(json, "end_activities"));
		/* the five heaviest edges, each with its count */
		assert_non_null(p = strstr(json, "\"dfg_top5\": ["));
		p += strlen("\"dfg_top5\": [");
		for (k = 0; k < 5; k++) {
			char from[256], to[256];
			const struct evlog_edge_figure *e;

			ref_str(&p, from, sizeof from);
			ref_str(&p, to, sizeof to);
			e = edge(&r.rep, from, to);
			if (!e)
				fail_msg("%s: no edge %s -> %s", c->file, from, to);
			assert_int_equal(e->n, (size_t)strtol(p + 2, (char **)&p, 10));
		}
		/* case durations, within 1 s plus the reference's rounding (0.001 h) */
		h = ref_num(json, "case_duration_mean_h");
		assert_true(fabs(r.rep.case_mean_s - h * 3600) <= 1 + 1.8);
		h = ref_num(json, "case_duration_median_h");
		assert_true(fabs(r.rep.case_p50_s - h * 3600) <= 1 + 1.8);
		/* mean work and wait per activity where the log has starts */
		k = check_minutes(json, "service_time_mean_min", &r.rep, 0);
		k += check_minutes(json, "wait_before_mean_min", &r.rep, 1);
		if (strstr(json, "service_time_mean_min"))
			assert_true(k >= r.rep.activities);
		run_done(&r);
		free(json);
	}
}

/* The corpus's one log without a reference: its README's counts. */
static void
test_roadtraffic(void **state)
{
	struct run r;

	(void)state;
	assert_int_equal(run_log(&r, DATA "roadtraffic100traces.xes",
	                         (struct evlog_options){ .coverage = 100 }), STATUS_OK);
	assert_int_equal(r.rep.cases, 100);
	assert_int_equal(r.rep.events, 390);
	assert_int_equal(r.rep.activities, 10);
	assert_false(r.rep.split);
	assert_non_null(strstr(r.p->description, "Completion times only"));
	run_done(&r);
}

/* --- the ugly cases ------------------------------------------------------------- */

static void
test_time_parser(void **state)
{
	static const struct { const char *text; int64_t ms; bool naive; } good[] = {
		{ "1970-01-01T00:00:00Z", 0, false },
		{ "1970-01-01T01:00:00+01:00", 0, false },
		{ "1969-12-31T19:00:00-0500", 0, false },
		{ "1969-12-31T19:00:00-05", 0, false },
		{ "1970-01-01 00:00:01.5", 1500, true },
		{ "1970-01-01T00:00:00.123456+00:00", 123, false },
		{ "2021-03-28T03:30:00.000+02:00", 1616895000000, false },
		{ "2000-02-29", 951782400000, true },
		{ "2011-01-06 12:18:00+01:00", 1294312680000, false },
	};
	static const char *const bad[] = {
		"", "nan", "2021-02-29T00:00:00Z", "2021-13-01", "2021-01-01T25:00:00",
		"2021-01-01T10:00:00+25:00", "yesterday", "2021-01-01T10:00:00 garbage",
		"01/02/2021 10:00",
	};
	size_t i;
	int64_t ms;
	bool naive;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!evlog_parse_time(good[i].text, &ms, &naive))
			fail_msg("'%s' not read", good[i].text);
		assert_int_equal(ms, good[i].ms);
		assert_int_equal(naive, good[i].naive);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (evlog_parse_time(bad[i], &ms, &naive))
			fail_msg("'%s' read as a time", bad[i]);
}

/* The same hour as +01:00 -> +02:00 across the change, as UTC, and as New
 * York time: one hour each (PM4Py 2.7, dropping offsets, says two for c1). */
static void
test_dst(void **state)
{
	struct run r;
	size_t i;

	(void)state;
	assert_int_equal(run_log(&r, DATA "ugly/dst.xes", (struct evlog_options){ 0 }), STATUS_OK);
	assert_int_equal(r.rep.cases, 3);
	assert_int_equal(r.p->log->ndurations, 3);
	for (i = 0; i < 3; i++)
		assert_true(r.p->log->durations[i] == 3600);
	assert_false(r.rep.naive_times);
	assert_null(strstr(warnings(&r), "UTC offset"));
	run_done(&r);
}

static void
test_naive_times(void **state)
{
	struct run r;
	const char *w, *first;

	(void)state;
	assert_int_equal(run_log(&r, DATA "ugly/naive.csv", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	assert_true(r.rep.naive_times);
	/* said once, not once per event */
	w = warnings(&r);
	assert_non_null(first = strstr(w, "without a UTC offset"));
	assert_null(strstr(first + 1, "without a UTC offset"));
	/* 01:30 to 03:30 local: two hours, as the wall clock says */
	assert_true(r.p->log->durations[1] == 7200);
	run_done(&r);
}

static const struct step *
step_named(const struct process *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		if (!strcmp(p->steps[i]->name, name))
			return p->steps[i];
	return NULL;
}

static void
test_upper_case_lifecycle(void **state)
{
	struct run r;
	const struct step *s;

	(void)state;
	assert_int_equal(run_log(&r, DATA "ugly/upper.xes", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	assert_true(r.rep.split);
	assert_int_equal(r.rep.starts, 2);
	assert_int_equal(r.rep.completes, 2);
	assert_int_equal(r.rep.other_lifecycle, 1);
	assert_non_null(strstr(warnings(&r), "other than start and complete"));
	assert_true(fabs(act(&r.rep, "Triage")->work_mean_s - 1200) < 1e-9);
	assert_true(fabs(act(&r.rep, "Treat")->work_mean_s - 1800) < 1e-9);
	/* on the map: work and wait measured apart */
	assert_non_null(s = step_named(r.p, "Treat"));
	assert_true(dist_mean(&s->work) == 1800);
	assert_true(dist_mean(&s->wait) == 2400);
	run_done(&r);
}

static void
test_concept_instance(void **state)
{
	struct run r;

	(void)state;
	assert_int_equal(run_log(&r, DATA "ugly/instance.xes", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	/* by instance: i1 60 min, i2 (no start) none: mean 30 min; first in,
	 * first out would give (15 + 0) / 2 */
	assert_true(fabs(act(&r.rep, "Check")->work_mean_s - 1800) < 1e-9);
	assert_int_equal(r.rep.unpaired_starts, 0);
	run_done(&r);
}

static void
test_unsorted_rows(void **state)
{
	struct run r;

	(void)state;
	assert_int_equal(run_log(&r, DATA "ugly/unsorted.csv", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	/* sorted by time within each case; Pack and Ship of case A at the same
	 * time keep their file order: one variant Order, Pack, Ship */
	assert_int_equal(r.rep.variants, 1);
	assert_int_equal(r.rep.top_variant_cases, 2);
	assert_string_equal(r.p->log->top[0].acts, "Order\nPack\nShip\n");
	assert_non_null(edge(&r.rep, "Order", "Pack"));
	assert_null(edge(&r.rep, "Ship", "Order"));
	/* A: 09:00 -> next day 10:00 = 25 h; B: 08:00 -> next day 12:00 = 28 h */
	assert_true(r.p->log->durations[0] == 25 * 3600);
	assert_true(r.p->log->durations[1] == 28 * 3600);
	run_done(&r);
}

static void
test_na_and_nan(void **state)
{
	struct run r;
	const char *w;

	(void)state;
	assert_int_equal(run_log(&r, DATA "ugly/na.csv", (struct evlog_options){ 0 }), STATUS_OK);
	/* NA is a case; 7 keeps its Decide, 9 its quoted activity */
	assert_int_equal(r.rep.cases, 3);
	assert_int_equal(r.rep.events, 4);
	assert_int_equal(r.rep.bad_events, 4);
	assert_non_null(act(&r.rep, "Register, then \"triage\""));
	assert_non_null(edge(&r.rep, "Register", "Decide"));
	w = warnings(&r);
	assert_non_null(strstr(w, "ugly/na.csv:4: no case id ('nan')"));
	assert_non_null(strstr(w, "ugly/na.csv:5: no time ('nan')"));
	assert_non_null(strstr(w, "ugly/na.csv:7: time 'yesterday' is not an ISO 8601"));
	assert_non_null(strstr(w, "ugly/na.csv:8: no activity"));
	run_done(&r);
}

/* Tabs between cells, an empty cell among them: not trimmed away. */
static void
test_tabs(void **state)
{
	struct run r;

	(void)state;
	assert_int_equal(run_log(&r, DATA "ugly/tabs.csv", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	assert_true(r.rep.split);
	assert_int_equal(r.rep.resources, 1);
	assert_true(fabs(act(&r.rep, "Decide")->work_mean_s - 1800) < 1e-9);
	assert_true(fabs(act(&r.rep, "Decide")->wait_mean_s - 3000) < 1e-9);
	run_done(&r);
}

/* Line breaks inside quoted cells, short and long (counted eight bytes at
 * a time), keep the line numbers of what follows right. */
static void
test_quoted_line_breaks(void **state)
{
	char dir[] = "/tmp/test_evlog-XXXXXX", path[64], cell[64];
	struct run r;
	unsigned line = 1, i, k;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/log.csv", dir);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "case,activity,timestamp,comment\n");
	for (i = 0; i < 40; i++) {
		/* i line breaks among i % 13 * 3 other bytes */
		for (k = 0; k < i % 13 * 3; k++)
			cell[k] = (char)('a' + k % 26);
		cell[k] = '\0';
		fprintf(f, "c%u,Act,2024-01-01T10:%02u:00Z,\"", i % 5, i);
		for (k = 0; k < i; k++)
			fprintf(f, "%.*s\n", (int)(k < strlen(cell) ? 1 : 0), cell + k);
		fprintf(f, "%s\"\n", cell);
		line += 1 + i;
	}
	fprintf(f, "c1,Act,not a time,\n");
	fclose(f);
	assert_int_equal(run_log(&r, path, (struct evlog_options){ 0 }), STATUS_OK);
	snprintf(cell, sizeof cell, "log.csv:%u: time 'not a time'", line + 1);
	if (!strstr(warnings(&r), cell))
		fail_msg("no '%s' in: %s", cell, warnings(&r));
	assert_int_equal(r.rep.bad_events, 1);
	run_done(&r);
	unlink(path);
	rmdir(dir);
}

static void
test_nested_attributes(void **state)
{
	struct run r;

	(void)state;
	assert_int_equal(run_log(&r, DATA "ugly/nested.xes", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	assert_int_equal(r.rep.cases, 1);
	assert_int_equal(r.rep.activities, 2);
	assert_non_null(act(&r.rep, "Register"));
	assert_non_null(act(&r.rep, "Decide"));
	assert_int_equal(r.rep.resources, 0);
	assert_true(r.p->log->durations[0] == 7200);
	assert_string_equal(r.p->name, "nested");
	run_done(&r);
	/* the corpus's own: attributes only inside lists, no time at all */
	assert_int_equal(run_log(&r, DATA "composite_list_attributes.xes",
	                         (struct evlog_options){ 0 }), STATUS_INPUT);
	assert_non_null(strstr(r.err.msg, "no event has a time"));
	run_done(&r);
	assert_int_equal(run_log(&r, DATA "xes_20.xes", (struct evlog_options){ 0 }),
	                 STATUS_INPUT);
	run_done(&r);
}

static void
test_no_timestamps(void **state)
{
	struct run r;

	(void)state;
	assert_int_equal(run_log(&r, DATA "ugly/notime.xes", (struct evlog_options){ 0 }),
	                 STATUS_INPUT);
	assert_string_equal(r.err.msg, DATA "ugly/notime.xes: no event has a time (a "
	                    "time:timestamp attribute or a timestamp column): an event log "
	                    "needs the times of its events");
	run_done(&r);
	assert_int_equal(run_log(&r, DATA "ugly/notime.csv", (struct evlog_options){ 0 }),
	                 STATUS_INPUT);
	assert_non_null(strstr(r.err.msg, "ugly/notime.csv:1: not an event log: no timestamp "
	                       "column"));
	run_done(&r);
	/* a column named on the command line that is not there */
	assert_int_equal(run_log(&r, DATA "ugly/naive.csv",
	                         (struct evlog_options){ .timestamp_key = "when" }), STATUS_INPUT);
	assert_non_null(strstr(r.err.msg, "no timestamp column"));
	run_done(&r);
}

static void
test_hostile_and_truncated(void **state)
{
	static const struct { const char *file, *msg; } cases[] = {
		{ "ugly/bomb.xes", "ugly/bomb.xes:2: a document type declaration (<!DOCTYPE): "
		  "refused" },
		{ "ugly/deep.xes", "ugly/deep.xes:1: elements nested deeper than 64 levels" },
		{ "ugly/truncated.xes", "ugly/truncated.xes:214: not well-formed XML" },
		{ "ugly/truncated.xes.gz", "not well-formed XML" },
		{ "missing.xes", "missing.xes: cannot open" },
	};
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[256];

		snprintf(path, sizeof path, DATA "%s", cases[i].file);
		assert_int_not_equal(run_log(&r, path, (struct evlog_options){ 0 }), STATUS_OK);
		if (!strstr(r.err.msg, cases[i].msg))
			fail_msg("%s: '%s'", cases[i].file, r.err.msg);
		run_done(&r);
	}
	/* an XInclude is never followed: one event, nothing of /etc/passwd */
	assert_int_equal(run_log(&r, DATA "ugly/xxe.xes", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	assert_int_equal(r.rep.events, 1);
	assert_int_equal(r.rep.activities, 1);
	run_done(&r);
}

static void
test_gzip(void **state)
{
	struct run r;

	(void)state;
	assert_int_equal(run_log(&r, DATA "helpdesk.xes.gz", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	assert_string_equal(r.p->name, "helpdesk");
	assert_int_equal(r.rep.events, 21348);
	run_done(&r);
}

/* --- the map ---------------------------------------------------------------------- */

static void
test_coverage(void **state)
{
	struct run r;
	struct evlog_options o = { .case_key = "patient", .activity_key = "handling",
	                           .timestamp_key = "time", .lifecycle_key = "registration_type",
	                           .instance_key = "handling_id" };

	(void)state;
	/* the default: the fewest most frequent activities with 80 % of the events */
	assert_int_equal(run_log(&r, DATA "patients_bupar.csv", o), STATUS_OK);
	assert_true(r.rep.events_on_map * 100 >= 80 * r.rep.events);
	assert_int_equal(r.rep.steps + r.rep.activities_left_out, r.rep.activities);
	assert_int_equal(r.rep.events_on_map + r.rep.events_left_out, r.rep.events);
	assert_true(r.rep.activities_left_out > 0);
	assert_non_null(strstr(warnings(&r), "left off the map by the coverage"));
	assert_int_equal(r.p->nsteps, r.rep.steps + 2);
	run_done(&r);
	o.coverage = 100;
	assert_int_equal(run_log(&r, DATA "patients_bupar.csv", o), STATUS_OK);
	assert_int_equal(r.rep.activities_left_out, 0);
	assert_int_equal(r.p->nsteps, 7 + 2);
	/* the dominant path is the main line, in order after the start */
	assert_string_equal(r.p->steps[0]->name, "Start");
	assert_string_equal(r.p->steps[1]->name, "Registration");
	assert_string_equal(r.p->steps[2]->name, "Triage and Assessment");
	assert_string_equal(r.p->steps[r.p->nsteps - 1]->name, "End");
	run_done(&r);
}

/* A lane's capacity: the most of its activities' instances that ran at
 * once (one ending as another starts does not overlap it). */
static void
test_lane_capacity(void **state)
{
	struct run r;
	const struct lane *nurse, *doctor;

	(void)state;
	assert_int_equal(run_log(&r, DATA "ugly/capacity.csv", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	assert_non_null(nurse = process_lane_named(r.p, "Nurse"));
	assert_non_null(doctor = process_lane_named(r.p, "Doctor"));
	assert_int_equal(nurse->capacity, 2);
	assert_int_equal(doctor->capacity, 1);
	assert_int_equal(step_lane(r.p, step_named(r.p, "Triage"))->id, nurse->id);
	run_done(&r);
	/* completion times only: unlimited */
	assert_int_equal(run_log(&r, DATA "running-example.xes", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	assert_int_equal(r.p->lanes[0]->capacity, 0);
	run_done(&r);
}

/* Branch probabilities are the measured frequencies; a loop carries its
 * rework rate. */
static void
test_branches_and_loops(void **state)
{
	struct run r;
	const struct step *decide, *reinit;
	size_t i, n = 0;
	double sum = 0;

	(void)state;
	assert_int_equal(run_log(&r, DATA "running-example.xes",
	                         (struct evlog_options){ .coverage = 100 }), STATUS_OK);
	assert_non_null(decide = step_named(r.p, "decide"));
	assert_non_null(reinit = step_named(r.p, "reinitiate request"));
	for (i = 0; i < r.p->nflows; i++)
		if (r.p->flows[i]->from == decide->id) {
			sum += r.p->flows[i]->prob;
			n++;
			/* decide is followed 9 times: 3 pay, 3 reject, 3 reinitiate */
			assert_true(fabs(r.p->flows[i]->prob - 1.0 / 3) < 1e-12);
		}
	assert_int_equal(n, 3);
	assert_true(fabs(sum - 1) < 1e-12);
	assert_non_null(strstr(step_named(r.p, "check ticket")->note, "rework"));
	assert_non_null(strstr(r.p->description, "Completion times only"));
	run_done(&r);
}

/* Whether p has a flow from step a to step b. */
static bool
has_flow(const struct process *p, const struct step *a, const struct step *b)
{
	size_t i;

	for (i = 0; i < p->nflows; i++)
		if (p->flows[i]->from == a->id && p->flows[i]->to == b->id)
			return true;
	return false;
}

/* Activities that overlap in time in most of the cases that have both are
 * a parallel block: a split, each as a branch, a join. Simulated, the map
 * gives the log's mean case duration, where the same steps one after the
 * other would overshoot it. The same activities run one after the other
 * stay a sequence. */
static void
test_parallel_work(void **state)
{
	struct run r;
	const struct step *reg, *split, *lab, *xray, *join, *dis;
	struct log_check c;
	struct err err = { 0 };
	double one_by_one = 0;
	size_t i, npar = 0;

	(void)state;
	assert_int_equal(run_log(&r, DATA "ugly/parallel.csv", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	assert_int_equal(r.rep.parallel_blocks, 1);
	assert_int_equal(r.rep.edges_left_out, 0);
	assert_non_null(reg = step_named(r.p, "Register"));
	assert_non_null(split = step_named(r.p, "Parallel split"));
	assert_non_null(lab = step_named(r.p, "Lab test"));
	assert_non_null(xray = step_named(r.p, "X-ray"));
	assert_non_null(join = step_named(r.p, "Parallel join"));
	assert_non_null(dis = step_named(r.p, "Discharge"));
	assert_int_equal(split->type, STEP_PARALLEL);
	assert_int_equal(join->type, STEP_PARALLEL);
	for (i = 0; i < r.p->nsteps; i++)
		npar += r.p->steps[i]->type == STEP_PARALLEL;
	assert_int_equal(npar, 2);
	assert_true(has_flow(r.p, reg, split) && has_flow(r.p, join, dis));
	assert_true(has_flow(r.p, split, lab) && has_flow(r.p, split, xray));
	assert_true(has_flow(r.p, lab, join) && has_flow(r.p, xray, join));
	assert_false(has_flow(r.p, lab, xray) || has_flow(r.p, xray, lab));
	assert_false(has_flow(r.p, reg, lab) || has_flow(r.p, reg, xray));
	assert_true(split->index < lab->index && lab->index < join->index &&
	            xray->index < join->index && join->index < dis->index);
	assert_non_null(strstr(split->note, "overlap in time"));
	assert_non_null(strstr(lab->note, "parallel block"));
	for (i = 0; i < r.p->nsteps; i++)
		one_by_one += dist_mean(&r.p->steps[i]->work) + dist_mean(&r.p->steps[i]->wait);
	assert_int_equal(log_check_run(r.p, LOG_CHECK_CASES, LOG_CHECK_SEED, &c, &err), STATUS_OK);
	print_message("parallel.csv: log mean %.0f s, simulated %.0f s, one after the other "
	              "%.0f s\n", c.obs_mean, c.sim_mean, one_by_one);
	assert_true(fabs(c.sim_mean - c.obs_mean) <= 0.10 * c.obs_mean);
	assert_true(c.sim_mean < 0.85 * one_by_one);
	assert_true(c.emd_h <= c.baseline_emd_h);
	run_done(&r);

	/* one after the other: a sequence, no block */
	assert_int_equal(run_log(&r, DATA "ugly/sequence.csv", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	assert_int_equal(r.rep.parallel_blocks, 0);
	assert_null(step_named(r.p, "Parallel split"));
	for (i = 0; i < r.p->nsteps; i++)
		assert_int_not_equal(r.p->steps[i]->type, STEP_PARALLEL);
	assert_non_null(lab = step_named(r.p, "Lab test"));
	assert_non_null(xray = step_named(r.p, "X-ray"));
	assert_true(has_flow(r.p, lab, xray));
	assert_int_equal(log_check_run(r.p, LOG_CHECK_CASES, LOG_CHECK_SEED, &c, &err), STATUS_OK);
	assert_true(fabs(c.sim_mean - c.obs_mean) <= 0.10 * c.obs_mean);
	run_done(&r);

	/* completion times only: no overlap can be seen, no block */
	assert_int_equal(run_log(&r, DATA "ugly/parallel.csv",
	                         (struct evlog_options){ .start_key = "no such column" }),
	                 STATUS_OK);
	assert_false(r.rep.split);
	assert_int_equal(r.rep.parallel_blocks, 0);
	assert_null(step_named(r.p, "Parallel split"));
	run_done(&r);
}

/* Minute m after 2024-01-01 00:00 UTC as ISO 8601, in buf. */
static const char *
iso_minute(unsigned m, char *buf, size_t size)
{
	snprintf(buf, size, "2024-01-%02uT%02u:%02u:00Z", 1 + m / 1440, m / 60 % 24, m % 60);
	return buf;
}

/* A log of ncases cases at path: Open, then B, C and D, which the first
 * `overlap` cases run at once (the others one after the other), then End. */
static void
write_branches(const char *path, unsigned ncases, unsigned overlap)
{
	FILE *f = fopen(path, "w");
	char x[32], y[32];
	unsigned c, k, t;

	assert_non_null(f);
	fprintf(f, "case,activity,start_time,end_time\n");
	for (c = 0; c < ncases; c++) {
		t = c * 600;
		fprintf(f, "%u,Open,%s,%s\n", c, iso_minute(t, x, sizeof x),
		        iso_minute(t + 10, y, sizeof y));
		t += 10;
		for (k = 0; k < 3; k++) {
			unsigned len = 30 + 20 * k + c % 7, st = c < overlap ? t + k : t;

			fprintf(f, "%u,%c,%s,%s\n", c, 'B' + k, iso_minute(st, x, sizeof x),
			        iso_minute(st + len, y, sizeof y));
			if (c >= overlap)
				t += len + 1;
		}
		t += 100;
		fprintf(f, "%u,End,%s,%s\n", c, iso_minute(t, x, sizeof x),
		        iso_minute(t + 5, y, sizeof y));
	}
	fclose(f);
}

/* Three activities all overlapping make one block of three; an overlap in
 * 2 of 12 cases is too seldom: a sequence, the note says so. */
static void
test_parallel_blocks_of_three_and_seldom(void **state)
{
	char dir[] = "/tmp/test_evlog-XXXXXX", path[64];
	const struct step *split, *b, *c, *d, *join;
	struct run r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/log.csv", dir);
	write_branches(path, 12, 12);
	assert_int_equal(run_log(&r, path, (struct evlog_options){ .coverage = 100 }), STATUS_OK);
	assert_int_equal(r.rep.parallel_blocks, 1);
	assert_non_null(split = step_named(r.p, "Parallel split"));
	assert_non_null(join = step_named(r.p, "Parallel join"));
	assert_non_null(b = step_named(r.p, "B"));
	assert_non_null(c = step_named(r.p, "C"));
	assert_non_null(d = step_named(r.p, "D"));
	assert_true(has_flow(r.p, split, b) && has_flow(r.p, split, c) && has_flow(r.p, split, d));
	assert_true(has_flow(r.p, b, join) && has_flow(r.p, c, join) && has_flow(r.p, d, join));
	assert_true(has_flow(r.p, step_named(r.p, "Open"), split));
	run_done(&r);
	/* the same with B, C and D overlapping in 2 cases of 12 */
	write_branches(path, 12, 2);
	assert_int_equal(run_log(&r, path, (struct evlog_options){ .coverage = 100 }), STATUS_OK);
	assert_int_equal(r.rep.parallel_blocks, 0);
	assert_null(step_named(r.p, "Parallel split"));
	assert_non_null(b = step_named(r.p, "B"));
	assert_non_null(c = step_named(r.p, "C"));
	assert_true(has_flow(r.p, b, c));
	assert_non_null(strstr(b->note, "too seldom for parallel work"));
	run_done(&r);
	unlink(path);
	rmdir(dir);
}

static void
test_fit(void **state)
{
	double v[1000], w1;
	struct dist d;
	size_t i;

	(void)state;
	/* exponential quantiles come back as an exponential with their mean */
	for (i = 0; i < 1000; i++)
		v[i] = -600 * log(1 - (i + 0.5) / 1000);
	d = dist_fit(v, 1000, &w1);
	assert_int_equal(d.kind, DIST_EXP);
	assert_true(fabs(d.p[0] - 600) < 1);
	/* evenly spread: uniform */
	for (i = 0; i < 1000; i++)
		v[i] = 60 + 120 * (i + 0.5) / 1000;
	d = dist_fit(v, 1000, &w1);
	assert_int_equal(d.kind, DIST_UNI);
	/* all the same: fixed; none: nothing */
	for (i = 0; i < 10; i++)
		v[i] = 42;
	d = dist_fit(v, 10, NULL);
	assert_int_equal(d.kind, DIST_FIXED);
	assert_true(d.p[0] == 42);
	assert_int_equal(dist_fit(v, 0, NULL).kind, DIST_NONE);
}

/* Simulating a log with start and complete times gives back its case
 * durations: the mean within 10 %, and a cycle-time distance no worse than
 * every case drawn from one exponential with the log's mean. */
static void
test_simulation_reproduces_log(void **state)
{
	static const struct { const char *file; struct evlog_options o; } logs[] = {
		{ DATA "patients_bupar.csv", { .case_key = "patient", .activity_key = "handling",
		  .timestamp_key = "time", .resource_key = "employee",
		  .lifecycle_key = "registration_type", .instance_key = "handling_id",
		  .coverage = 100 } },
		{ DATA "interval_event_log.csv", { .coverage = 100 } },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof logs / sizeof logs[0]; i++) {
		struct run r;
		struct log_check c;
		struct err err = { 0 };

		assert_int_equal(run_log(&r, logs[i].file, logs[i].o), STATUS_OK);
		assert_true(r.rep.split);
		assert_int_equal(log_check_run(r.p, LOG_CHECK_CASES, LOG_CHECK_SEED, &c, &err),
		                 STATUS_OK);
		print_message("%s: log mean %.0f s, simulated %.0f s (%+.1f %%); EMD %.1f h, "
		              "baseline %.1f h\n", logs[i].file, c.obs_mean, c.sim_mean,
		              100 * (c.sim_mean - c.obs_mean) / c.obs_mean, c.emd_h,
		              c.baseline_emd_h);
		assert_true(fabs(c.sim_mean - c.obs_mean) <= 0.10 * c.obs_mean);
		assert_true(c.emd_h <= c.baseline_emd_h);
		run_done(&r);
	}
}

/* running-example.xes read into r and saved in a new workbook file in a
 * new folder dir (a mkdtemp template), at path. */
static void
save_running_example(struct run *r, char *dir, char *path, size_t size)
{
	struct store *s = NULL;
	struct err err = { 0 };

	assert_non_null(mkdtemp(dir));
	snprintf(path, size, "%s/w.stepmap", dir);
	assert_int_equal(run_log(r, DATA "running-example.xes", (struct evlog_options){ 0 }),
	                 STATUS_OK);
	assert_int_equal(store_open(path, STORE_NEW, &s, &err), STATUS_OK);
	assert_int_equal(store_save(s, r->w, &err), STATUS_OK);
	store_close(&s);
}

/* What the log says is stored with its process: written with the workbook,
 * read back the same (durations exact, variants whole), and kept by a
 * process copy; a workbook saved again without it has none. */
static void
test_stored_with_the_process(void **state)
{
	struct run r;
	struct store *s = NULL;
	struct workbook *back = NULL;
	struct err err = { 0 };
	const struct log_summary *a, *b;
	struct process *copy;
	char dir[] = "/tmp/test_evlog-XXXXXX", path[64];
	size_t i;

	(void)state;
	save_running_example(&r, dir, path, sizeof path);
	assert_int_equal(store_open(path, STORE_READONLY, &s, &err), STATUS_OK);
	assert_int_equal(store_load(s, &back, &err), STATUS_OK);
	store_close(&s);
	a = r.p->log;
	assert_non_null(b = back->procs[0]->log);
	assert_int_equal(b->cases, a->cases);
	assert_int_equal(b->events, a->events);
	assert_int_equal(b->activities, a->activities);
	assert_int_equal(b->resources, a->resources);
	assert_int_equal(b->variants, a->variants);
	assert_int_equal(b->top_variant_cases, a->top_variant_cases);
	assert_int_equal(b->dfg_edges, a->dfg_edges);
	assert_int_equal(b->events_on_map, a->events_on_map);
	assert_int_equal(b->split, a->split);
	assert_int_equal(b->ndurations, a->ndurations);
	for (i = 0; i < a->ndurations; i++)
		assert_true(b->durations[i] == a->durations[i]);
	assert_int_equal(b->ntop, a->ntop);
	for (i = 0; i < a->ntop; i++) {
		assert_int_equal(b->top[i].cases, a->top[i].cases);
		assert_string_equal(b->top[i].acts, a->top[i].acts);
	}
	assert_non_null(copy = process_copy(back->procs[0]));
	assert_int_equal(copy->log->ndurations, a->ndurations);
	process_free(&copy);
	/* saved again without it: gone */
	log_summary_free(&back->procs[0]->log);
	assert_int_equal(store_open(path, STORE_OPEN, &s, &err), STATUS_OK);
	assert_int_equal(store_save(s, back, &err), STATUS_OK);
	store_close(&s);
	workbook_free(&back);
	assert_int_equal(store_open(path, STORE_READONLY, &s, &err), STATUS_OK);
	assert_int_equal(store_load(s, &back, &err), STATUS_OK);
	assert_null(back->procs[0]->log);
	store_close(&s);
	workbook_free(&back);
	run_done(&r);
	unlink(path);
	rmdir(dir);
}

/* A workbook of the version before the logs table was rebuilt (its logs
 * were version 4's), whose logs table deleted a process's row with
 * the process (so undoing the delete lost the log's figures), opens as the
 * current version with the row kept and no foreign key; then a process
 * made from a log, deleted, comes back by undo with its figures, in memory
 * and in the file, and goes again by redo. */
static void
test_log_through_delete_and_undo(void **state)
{
	static const char old_logs[] =
		"ALTER TABLE logs RENAME TO logs_now;"
		"CREATE TABLE logs(process INTEGER PRIMARY KEY REFERENCES processes(id)"
		" ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, cases INTEGER NOT NULL DEFAULT 0,"
		" events INTEGER NOT NULL DEFAULT 0, activities INTEGER NOT NULL DEFAULT 0,"
		" resources INTEGER NOT NULL DEFAULT 0, variants INTEGER NOT NULL DEFAULT 0,"
		" top_variant_cases INTEGER NOT NULL DEFAULT 0, dfg_edges INTEGER NOT NULL DEFAULT 0,"
		" events_on_map INTEGER NOT NULL DEFAULT 0, split INTEGER NOT NULL DEFAULT 0,"
		" durations TEXT NOT NULL DEFAULT '', top_variants TEXT NOT NULL DEFAULT '');"
		"INSERT INTO logs SELECT * FROM logs_now; DROP TABLE logs_now;";
	char version[64];
	struct run r;
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct edit *e = NULL;
	struct err err = { 0 };
	sqlite3 *db;
	sqlite3_stmt *st;
	char dir[] = "/tmp/test_evlog-XXXXXX", path[64];
	sm_id id;

	(void)state;
	save_running_example(&r, dir, path, sizeof path);
	run_done(&r);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, old_logs, NULL, NULL, NULL), SQLITE_OK);
	/* the version before the logs lost their foreign key: the last migration */
	snprintf(version, sizeof version, "PRAGMA user_version = %d;", STORE_SCHEMA_VERSION - 1);
	assert_int_equal(sqlite3_exec(db, version, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	/* opened for writing: migrated, the row kept */
	assert_int_equal(store_open(path, STORE_OPEN, &s, &err), STATUS_OK);
	assert_int_equal(store_load(s, &w, &err), STATUS_OK);
	assert_non_null(w->procs[0]->log);
	assert_int_equal(w->procs[0]->log->cases, 6);
	assert_int_equal(store_verify(s, &err), STATUS_OK);
	id = w->procs[0]->id;
	/* deleted, undone, redone, undone again */
	assert_int_equal(edit_process_del(w, id, &e), STATUS_OK);
	assert_int_equal(store_do(s, w, e, &err), STATUS_OK);
	assert_int_equal(w->nprocs, 0);
	assert_int_equal(store_undo(s, w, NULL, &err), STATUS_OK);
	assert_int_equal(w->nprocs, 1);
	assert_non_null(w->procs[0]->log);
	assert_int_equal(w->procs[0]->log->variants, 6);
	assert_int_equal(w->procs[0]->log->ndurations, 6);
	assert_int_equal(store_redo(s, w, NULL, &err), STATUS_OK);
	assert_int_equal(w->nprocs, 0);
	assert_int_equal(store_undo(s, w, NULL, &err), STATUS_OK);
	assert_int_equal(w->procs[0]->log->cases, 6);
	store_close(&s);
	workbook_free(&w);
	/* in the file: the version, the table without a foreign key, the log */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql, (SELECT user_version FROM"
	                                    " pragma_user_version) FROM sqlite_master"
	                                    " WHERE name = 'logs'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_null(strstr((const char *)sqlite3_column_text(st, 0), "REFERENCES"));
	assert_int_equal(sqlite3_column_int(st, 1), STORE_SCHEMA_VERSION);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(store_open(path, STORE_READONLY, &s, &err), STATUS_OK);
	assert_int_equal(store_load(s, &w, &err), STATUS_OK);
	assert_int_equal(w->procs[0]->id, id);
	assert_int_equal(w->procs[0]->log->cases, 6);
	store_close(&s);
	workbook_free(&w);
	unlink(path);
	rmdir(dir);
}

static void
test_emd(void **state)
{
	double a[] = { 0, 3600, 7200 }, b[] = { 3600, 7200, 10800 };

	(void)state;
	assert_true(fabs(log_emd_hours(a, 3, a, 3)) < 1e-12);
	/* everything one hour later: one hour */
	assert_true(fabs(log_emd_hours(a, 3, b, 3) - 1) < 1e-12);
	assert_true(isnan(log_emd_hours(a, 0, b, 3)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_figures),
		cmocka_unit_test(test_roadtraffic),
		cmocka_unit_test(test_time_parser),
		cmocka_unit_test(test_dst),
		cmocka_unit_test(test_naive_times),
		cmocka_unit_test(test_upper_case_lifecycle),
		cmocka_unit_test(test_concept_instance),
		cmocka_unit_test(test_unsorted_rows),
		cmocka_unit_test(test_na_and_nan),
		cmocka_unit_test(test_tabs),
		cmocka_unit_test(test_quoted_line_breaks),
		cmocka_unit_test(test_nested_attributes),
		cmocka_unit_test(test_no_timestamps),
		cmocka_unit_test(test_hostile_and_truncated),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_lane_capacity),
		cmocka_unit_test(test_branches_and_loops),
		cmocka_unit_test(test_parallel_work),
		cmocka_unit_test(test_parallel_blocks_of_three_and_seldom),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_simulation_reproduces_log),
		cmocka_unit_test(test_stored_with_the_process),
		cmocka_unit_test(test_log_through_delete_and_undo),
		cmocka_unit_test(test_emd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
