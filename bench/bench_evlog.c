/*
 * bench_evlog.c - the generator of large event logs and the floors the
 * event-log import is measured against (bench/run-evlog.sh runs them beside
 * `stepmap import`).
 *
 *   build/bench/bench_evlog gen-xes FILE [EVENTS]   an XES log (default 260 000
 *                                                   events, about 75 MB)
 *   build/bench/bench_evlog gen-csv FILE [ROWS]     a CSV log with start and end
 *                                                   columns (default 390 000 rows,
 *                                                   about 50 MB)
 *   build/bench/bench_evlog floor-xes FILE          libxml2's SAX2 push parser over
 *                                                   the file, counting <event>s
 *   build/bench/bench_evlog floor-csv FILE          libcsv over the file, counting
 *                                                   rows
 *
 * The logs: cases walk a process of 14 activities with a decision, an
 * optional step, a loop back (rework) and a rare path; each activity has
 * a start and a complete event (XES) or one row with start_time and
 * end_time (CSV), a resource among 40 in 6 roles (the CSV also a cost and a
 * quoted comment);
 * times carry the offset of Brussels (+01:00 in winter, +02:00 in summer),
 * so cases cross the daylight-saving changes. The rows of the CSV are
 * shuffled within runs of 64 (as an export grouped by something else
 * would be). Deterministic: the same arguments give the same bytes.
 */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double
unif(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static const char *const acts[] = {
	"Receive request", "Register request", "Check completeness", "Request documents",
	"Assess eligibility", "Consult specialist", "Decide", "Prepare offer",
	"Send rejection", "Negotiate terms", "Sign contract", "Archive case",
	"Escalate to manager", "Close case",
};

/* The next activity after a (-1: the first); -1 when the case ends. */
static int
next_act(int a)
{
	double u = unif();

	switch (a) {
	case -1: return 0;
	case 0: return 1;
	case 1: return 2;
	case 2: return u < 0.25 ? 3 : 4;
	case 3: return 2;                       /* rework: check again */
	case 4: return u < 0.3 ? 5 : 6;
	case 5: return 6;
	case 6: return u < 0.6 ? 7 : u < 0.97 ? 8 : 12;
	case 7: return u < 0.4 ? 9 : 10;
	case 9: return 10;
	case 10: return 11;
	case 12: return 6;
	case 8: return 13;
	case 11: return 13;
	default: return -1;
	}
}

/* A time as Brussels local time with its offset (EU rule: summer time from
 * the last Sunday of March 01:00 UTC to the last Sunday of October). */
static void
fmt_time(char *buf, size_t size, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	int off;

	gmtime_r(&tt, &tm);
	{
		int y = tm.tm_year + 1900;
		struct tm m = { .tm_year = y - 1900, .tm_mon = 2, .tm_mday = 31, .tm_hour = 1 };
		struct tm o = { .tm_year = y - 1900, .tm_mon = 9, .tm_mday = 31, .tm_hour = 1 };
		time_t ms, os;

		ms = timegm(&m);
		gmtime_r(&ms, &m);
		ms -= (time_t)m.tm_wday * 86400;
		os = timegm(&o);
		gmtime_r(&os, &o);
		os -= (time_t)o.tm_wday * 86400;
		off = tt >= ms && tt < os ? 2 : 1;
	}
	tt += off * 3600;
	gmtime_r(&tt, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.000+%02d:00", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, off);
}

struct inst {
	int case_no, act, res;
	int64_t start, end;
};

/* Emit instances of cases until n of them (each makes two XES events or one
 * CSV row); calls out() for each case's instances. */
static void
walk(size_t n, void (*out)(void *ctx, const struct inst *in, size_t k), void *ctx)
{
	struct inst buf[256];
	int64_t arrival = 1704067200;   /* 2024-01-01T00:00:00Z */
	size_t made = 0;
	int c;

	for (c = 1; made < n; c++) {
		int64_t t;
		int a = next_act(-1);
		size_t k = 0;

		arrival += (int64_t)(-1200 * __builtin_log(1 - unif()));
		t = arrival;
		while (a >= 0 && k < 256 && made + k < n) {
			int64_t wait = (int64_t)(-3600 * 4 * __builtin_log(1 - unif()));
			int64_t work = 300 + (int64_t)(unif() * 3000);

			t += wait;
			buf[k++] = (struct inst){ c, a, (int)(rnd() % 40), t, t + work };
			t += work;
			a = next_act(a);
		}
		out(ctx, buf, k);
		made += k;
	}
}

static void
xes_case(void *ctx, const struct inst *in, size_t k)
{
	FILE *f = ctx;
	char t0[64], t1[64];
	size_t i;

	fprintf(f, "\t<trace>\n\t\t<string key=\"concept:name\" value=\"case-%06d\"/>\n"
	        "\t\t<string key=\"channel\" value=\"%s\"/>\n", in[0].case_no,
	        in[0].case_no % 3 ? "web" : "branch office");
	for (i = 0; i < k; i++) {
		int life;

		fmt_time(t0, sizeof t0, in[i].start);
		fmt_time(t1, sizeof t1, in[i].end);
		for (life = 0; life < 2; life++)
			fprintf(f, "<event>\n"
			        " <string key=\"concept:name\" value=\"%s\"/>\n"
			        " <string key=\"lifecycle:transition\" value=\"%s\"/>\n"
			        " <string key=\"org:resource\" value=\"Clerk %02d\"/>\n"
			        " <string key=\"org:role\" value=\"Team %d\"/>\n"
			        " <date key=\"time:timestamp\" value=\"%s\"/>\n"
			        "</event>\n", acts[in[i].act], life ? "complete" : "start",
			        in[i].res, in[i].res % 6, life ? t1 : t0);
	}
	fputs("\t</trace>\n", f);
}

struct csv_ctx {
	FILE *f;
	struct inst pool[64];
	size_t n;
};

static void
csv_flush(struct csv_ctx *c)
{
	char t0[64], t1[64];
	size_t i, j;

	for (i = c->n; i > 1; i--) {       /* shuffle the run */
		struct inst tmp;

		j = (size_t)(rnd() % i);
		tmp = c->pool[i - 1];
		c->pool[i - 1] = c->pool[j];
		c->pool[j] = tmp;
	}
	for (i = 0; i < c->n; i++) {
		const struct inst *in = &c->pool[i];

		fmt_time(t0, sizeof t0, in->start);
		fmt_time(t1, sizeof t1, in->end);
		fprintf(c->f, "case-%06d,%s,Clerk %02d,Team %d,%s,%s,%d.50,\"checked, %s\"\n",
		        in->case_no, acts[in->act], in->res, in->res % 6, t0, t1,
		        10 + in->act * 3, in->act % 2 ? "ok" : "see \"\"note\"\"");
	}
	c->n = 0;
}

static void
csv_case(void *ctx, const struct inst *in, size_t k)
{
	struct csv_ctx *c = ctx;
	size_t i;

	for (i = 0; i < k; i++) {
		if (c->n == 64)
			csv_flush(c);
		c->pool[c->n++] = in[i];
	}
}

static long events;

static void
sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
          int nns, const xmlChar **ns, int na, int nd, const xmlChar **attrs)
{
	(void)ctx, (void)prefix, (void)uri, (void)nns, (void)ns, (void)na, (void)nd, (void)attrs;
	if (local[0] == 'e' && !strcmp((const char *)local, "event"))
		events++;
}

static void
cell(void *s, size_t len, void *ctx)
{
	(void)s, (void)len, (void)ctx;
}

static void
row(int c, void *ctx)
{
	(void)c;
	(*(long *)ctx)++;
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[1] : "", *path = argc > 2 ? argv[2] : "";
	size_t n = argc > 3 ? strtoul(argv[3], NULL, 10) : 0;
	FILE *f;

	if (!strcmp(mode, "gen-xes")) {
		if (!(f = fopen(path, "w")))
			return 3;
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1849-2016\" "
		      "xes.features=\"nested-attributes\" xmlns=\"http://www.xes-standard.org/\">\n"
		      "\t<extension name=\"Concept\" prefix=\"concept\" "
		      "uri=\"http://www.xes-standard.org/concept.xesext\"/>\n"
		      "\t<global scope=\"event\">\n\t\t<string key=\"lifecycle:transition\" "
		      "value=\"complete\"/>\n\t</global>\n", f);
		walk((n ? n : 260000) / 2, xes_case, f);
		fputs("</log>\n", f);
		return fclose(f) ? 3 : 0;
	}
	if (!strcmp(mode, "gen-csv")) {
		struct csv_ctx c = { 0 };

		if (!(c.f = fopen(path, "w")))
			return 3;
		fputs("case_id,activity,resource,role,start_time,end_time,cost,comment\n", c.f);
		walk(n ? n : 390000, csv_case, &c);
		csv_flush(&c);
		return fclose(c.f) ? 3 : 0;
	}
	if (!strcmp(mode, "floor-xes")) {
		static char buf[256 * 1024];
		xmlSAXHandler h;
		xmlParserCtxtPtr ctxt;
		size_t got;

		memset(&h, 0, sizeof h);
		h.initialized = XML_SAX2_MAGIC;
		h.startElementNs = sax_start;
		if (!(f = fopen(path, "rb")))
			return 3;
		ctxt = xmlCreatePushParserCtxt(&h, NULL, NULL, 0, path);
		xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_COMPACT);
		while ((got = fread(buf, 1, sizeof buf, f)) > 0)
			xmlParseChunk(ctxt, buf, (int)got, 0);
		xmlParseChunk(ctxt, buf, 0, 1);
		xmlFreeParserCtxt(ctxt);
		fclose(f);
		printf("%ld events\n", events);
		return 0;
	}
	if (!strcmp(mode, "floor-csv")) {
		static char buf[256 * 1024];
		struct csv_parser p;
		long rows = 0;
		size_t got;

		if (!(f = fopen(path, "rb")) || csv_init(&p, CSV_STRICT | CSV_APPEND_NULL))
			return 3;
		while ((got = fread(buf, 1, sizeof buf, f)) > 0)
			csv_parse(&p, buf, got, cell, row, &rows);
		csv_fini(&p, cell, row, &rows);
		csv_free(&p);
		fclose(f);
		printf("%ld rows\n", rows);
		return 0;
	}
	fprintf(stderr, "usage: bench_evlog gen-xes|gen-csv|floor-xes|floor-csv FILE [N]\n");
	return 2;
}
