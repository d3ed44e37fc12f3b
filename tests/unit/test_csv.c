/*
 * test_csv.c - the CSV reader on ugly files (tests/data/csv/: BOM,
 * semicolons and CRLF as French Excel writes, columns in any order, quoted
 * cells with delimiters, quotes and line breaks, blank lines, CR-only lines,
 * tabs, "sep=" lines), its exact error messages (file, line where the record
 * starts, column), absurd input (a 100 MB line, a huge cell, thousands of
 * cells, NUL bytes, UTF-16, workbooks), and the writer: RFC 4180 quoting,
 * BOM and CRLF, and write -> read giving back the same process.
 */
#define _GNU_SOURCE                  /* fopencookie: endless streams */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "export/csv.h"
#include "import/csv.h"
#include "import/sink.h"

#define DATA "tests/data/csv/"

struct result {
	struct workbook *w;
	struct sink_builder *b;
	struct err err;
	enum status st;
	const struct process *p;     /* the process read, when it read */
};

static void
result_done(struct result *r)
{
	sink_builder_free(&r->b);
	workbook_free(&r->w);
}

static enum status
read_with(struct result *r, enum status (*reader)(void *arg, struct sink *s, struct err *e),
          void *arg)
{
	struct sink s;

	memset(r, 0, sizeof *r);
	assert_non_null(r->w = workbook_new());
	assert_int_equal(sink_builder_new(r->w, false, &r->b, &s), STATUS_OK);
	r->st = reader(arg, &s, &r->err);
	if (r->st == STATUS_OK) {
		assert_int_equal(r->w->nprocs, 1);
		r->p = r->w->procs[0];
	} else {
		/* A bad file sends nothing to the sink. */
		assert_int_equal(r->w->nprocs, 0);
	}
	return r->st;
}

static enum status
file_reader(void *arg, struct sink *s, struct err *e)
{
	return csv_import_file(arg, NULL, s, e);
}

static enum status
read_file(struct result *r, const char *path)
{
	return read_with(r, file_reader, (void *)path);
}

static enum status
stream_reader(void *arg, struct sink *s, struct err *e)
{
	return csv_import_stream(arg, "stream", "From a stream", s, e);
}

static enum status
read_stream(struct result *r, FILE *f)
{
	return read_with(r, stream_reader, f);
}

static enum status
read_text(struct result *r, const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	enum status st;

	assert_non_null(f);
	st = read_stream(r, f);
	fclose(f);
	return st;
}

static const struct step *
step_at(const struct process *p, size_t i)
{
	assert_true(i < p->nsteps);
	return p->steps[i];
}

static const char *
lane_of(const struct process *p, size_t i)
{
	const struct lane *l = step_lane(p, step_at(p, i));

	return l ? l->name : "";
}

static void
assert_dist(const struct dist *d, const char *text)
{
	char buf[DIST_TEXT_MAX];

	assert_string_equal(dist_format(d, buf, sizeof buf), text);
}

/* The explicit flows leaving step i, in id order. */
static size_t
flows_from(const struct process *p, size_t i, const struct flow **out, size_t max)
{
	size_t k, n = 0;

	for (k = 0; k < p->nflows; k++)
		if (p->flows[k]->from == step_at(p, i)->id && n < max)
			out[n++] = p->flows[k];
	return n;
}

static size_t
index_of(const struct process *p, sm_id id)
{
	return process_step(p, id)->index;
}

static char *
export_text(const struct process *p, const struct csv_export_opts *o, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	struct err err = { 0 };

	assert_non_null(f);
	assert_int_equal(csv_export_process(f, p, o, &err), STATUS_OK);
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

/* --- good files --------------------------------------------------------- */

static void
test_basic(void **state)
{
	struct result r;
	const struct process *p;
	const struct step *s;
	const struct flow *fl[4];
	const struct lane *l;

	(void)state;
	assert_int_equal(read_file(&r, DATA "basic.csv"), STATUS_OK);
	p = r.p;
	assert_string_equal(p->name, "basic");
	assert_int_equal(p->nsteps, 6);
	assert_int_equal(sink_builder_nwarnings(r.b), 0);
	assert_dist(&p->arrival, "exp(7m30s)");

	assert_int_equal(p->nlanes, 5);
	assert_string_equal(p->lanes[0]->name, "Patient");
	assert_int_equal(p->lanes[0]->stage, STAGE_CUSTOMER);
	l = p->lanes[1];
	assert_string_equal(l->name, "Front desk");
	assert_int_equal(l->stage, STAGE_ONSTAGE);
	assert_int_equal(l->capacity, 2);
	assert_string_equal(p->lanes[3]->name, "Radiology");
	assert_int_equal(p->lanes[3]->capacity, 1);
	assert_string_equal(p->lanes[4]->name, "ED physician");
	assert_int_equal(p->lanes[4]->stage, STAGE_OFFSTAGE);
	assert_int_equal(p->lanes[4]->capacity, 0);

	s = step_at(p, 1);
	assert_string_equal(s->name, "Register at front desk");
	assert_string_equal(lane_of(p, 1), "Front desk");
	assert_int_equal(s->type, STEP_USER);
	assert_dist(&s->work, "5m");
	assert_dist(&s->wait, "10m");
	assert_int_equal(s->value, VALUE_BVA);
	assert_true(s->error_rate == 0.02);
	assert_true(s->cost == 12.5);
	assert_string_equal(s->channel, "in person");
	assert_int_equal(s->emotion, -1);
	assert_true(s->pain);
	assert_string_equal(s->note, "Paper form then re-keyed");
	assert_int_equal(step_at(p, 0)->type, STEP_START);
	assert_int_equal(step_at(p, 0)->emotion, -1);
	assert_int_equal(step_at(p, 5)->emotion, 1);
	assert_int_equal(step_at(p, 3)->emotion, EMOTION_NONE);
	assert_dist(&step_at(p, 2)->work, "tri(3m,5m,10m)");

	assert_int_equal(p->nflows, 3);
	assert_int_equal(flows_from(p, 2, fl, 4), 2);
	assert_int_equal(index_of(p, fl[0]->to), 3);
	assert_true(fl[0]->prob == 0.7);
	assert_string_equal(fl[0]->label, "Imaging needed");
	assert_int_equal(index_of(p, fl[1]->to), 4);
	assert_true(fl[1]->prob == 0.3);
	assert_string_equal(fl[1]->label, "No imaging");
	assert_int_equal(flows_from(p, 3, fl, 4), 1);
	assert_int_equal(index_of(p, fl[0]->to), 5);
	assert_true(fl[0]->prob < 0);
	assert_null(fl[0]->label);

	assert_int_equal(p->nmeasures, 2);
	assert_string_equal(p->measures[0]->name, "arrival → seen by physician");
	assert_int_equal(index_of(p, p->measures[0]->from), 0);
	assert_int_equal(index_of(p, p->measures[0]->to), 4);
	assert_int_equal(p->measures[0]->clock, CLOCK_CUSTOMER);
	assert_string_equal(p->measures[1]->name, "door to bed");
	assert_int_equal(index_of(p, p->measures[1]->to), 5);
	assert_int_equal(p->measures[1]->clock, CLOCK_PROCESS);
	result_done(&r);
}

/* What Excel writes as "CSV UTF-8" in a French locale: BOM, semicolons,
 * CRLF, decimal commas, a quoted note with ; "" and a line break, and the
 * empty ;;;; rows of a formatted sheet. */
static void
test_excel_french(void **state)
{
	struct result r;
	const struct process *p;
	const struct step *s;

	(void)state;
	assert_int_equal(read_file(&r, DATA "excel-fr.csv"), STATUS_OK);
	p = r.p;
	assert_string_equal(p->name, "excel-fr");
	assert_int_equal(p->nsteps, 3);
	assert_string_equal(step_at(p, 0)->name, "Arrivée du patient");
	s = step_at(p, 1);
	assert_string_equal(s->name, "Enregistrement à l'accueil");
	assert_string_equal(lane_of(p, 1), "Accueil");
	assert_true(s->error_rate == 0.02);
	assert_true(s->cost == 12.5);
	assert_true(s->pain);
	assert_string_equal(s->note, "Formulaire papier; puis \"ressaisi\"\ndans le DPI");
	assert_string_equal(step_at(p, 2)->name, "Évaluation médicale");
	assert_dist(&step_at(p, 2)->work, "norm(10m,2m)");
	assert_string_equal(lane_of(p, 2), "Médecin");
	assert_int_equal(sink_builder_nwarnings(r.b), 0);
	result_done(&r);
}

static void
test_reordered_columns(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(read_file(&r, DATA "reordered.csv"), STATUS_OK);
	assert_int_equal(r.p->nsteps, 2);
	assert_string_equal(step_at(r.p, 0)->name, "Register");
	assert_dist(&step_at(r.p, 0)->work, "5m");
	assert_true(step_at(r.p, 0)->error_rate == 0.1);
	assert_string_equal(lane_of(r.p, 1), "Triage nurse");
	assert_string_equal(sink_builder_warnings(r.b),
	                    DATA "reordered.csv:1: unknown column 'Owner' is ignored\n");
	result_done(&r);
}

static void
test_quoted(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(read_file(&r, DATA "quoted.csv"), STATUS_OK);
	assert_int_equal(r.p->nsteps, 3);
	assert_string_equal(step_at(r.p, 0)->name, "Call the ward, again");
	assert_string_equal(step_at(r.p, 0)->note, "She said \"wait\"");
	assert_string_equal(step_at(r.p, 1)->name, "Two\nlines");
	assert_string_equal(step_at(r.p, 1)->note, "CR\nLF");
	assert_string_equal(step_at(r.p, 2)->name, "padded");   /* unquoted: trimmed */
	assert_string_equal(step_at(r.p, 2)->note, "kept");     /* notes are trimmed */
	result_done(&r);

	/* Quoted blanks around a name are the name's: kept, and written back. */
	assert_int_equal(read_text(&r, "name\n\"  lead and trail  \"\n"), STATUS_OK);
	assert_string_equal(step_at(r.p, 0)->name, "  lead and trail  ");
	assert_int_equal(sink_builder_nwarnings(r.b), 0);
	result_done(&r);
}

static void
test_delimiters_and_line_ends(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(read_file(&r, DATA "sep-line.csv"), STATUS_OK);
	assert_int_equal(r.p->nsteps, 1);
	assert_string_equal(step_at(r.p, 0)->name, "A, with a comma");
	assert_true(step_at(r.p, 0)->cost == 3.5);
	result_done(&r);

	assert_int_equal(read_file(&r, DATA "tab.csv"), STATUS_OK);
	assert_int_equal(r.p->nsteps, 2);
	assert_string_equal(step_at(r.p, 1)->name, "B c");
	assert_string_equal(lane_of(r.p, 1), "Desk");
	result_done(&r);

	assert_int_equal(read_file(&r, DATA "cr-only.csv"), STATUS_OK);
	assert_int_equal(r.p->nsteps, 2);
	assert_string_equal(step_at(r.p, 1)->name, "Second");
	result_done(&r);

	/* Line numbers count CR-only, LF and CRLF line ends alike. */
	assert_int_equal(read_text(&r, "step,name,work\r1,A,\r\n2,B,\n3,C,soon\r"), STATUS_INPUT);
	assert_string_equal(r.err.msg, "stream:4: column 'work': expected a duration like 5m "
	                    "or tri(3m,5m,10m), got 'soon'");
	result_done(&r);
}

static void
test_next(void **state)
{
	struct result r;
	const struct flow *fl[4];

	(void)state;
	assert_int_equal(read_file(&r, DATA "next.csv"), STATUS_OK);
	assert_int_equal(flows_from(r.p, 1, fl, 4), 3);
	assert_int_equal(index_of(r.p, fl[0]->to), 2);
	assert_true(fl[0]->prob == 0.7);
	assert_string_equal(fl[0]->label, "Imaging needed");
	assert_string_equal(fl[0]->condition, "imaging = yes");
	assert_int_equal(index_of(r.p, fl[1]->to), 3);
	assert_true(fl[1]->prob == 0.3);
	assert_string_equal(fl[1]->label, "No imaging");
	assert_null(fl[1]->condition);
	assert_int_equal(index_of(r.p, fl[2]->to), 1);          /* a loop */
	assert_true(fl[2]->prob == 0);
	assert_string_equal(fl[2]->label, "Loop | with {braces} and \\");
	assert_string_equal(fl[2]->condition, "x } y");
	assert_int_equal(flows_from(r.p, 3, fl, 4), 1);
	assert_null(fl[0]->label);
	assert_string_equal(fl[0]->condition, "always");
	assert_int_equal(flows_from(r.p, 0, fl, 4), 0);          /* implicit */
	result_done(&r);
}

static void
test_numeric_order(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(read_file(&r, DATA "sorted.csv"), STATUS_OK);
	assert_string_equal(step_at(r.p, 0)->name, "One");
	assert_string_equal(step_at(r.p, 1)->name, "Twelve");
	assert_string_equal(step_at(r.p, 2)->name, "Twelve and a half");
	assert_string_equal(step_at(r.p, 3)->name, "Thirteen");
	/* Lanes in order of first appearance in step order. */
	assert_string_equal(r.p->lanes[0]->name, "B");
	assert_string_equal(r.p->lanes[1]->name, "A");
	result_done(&r);
}

static void
test_measures(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(read_file(&r, DATA "measures.csv"), STATUS_OK);
	assert_int_equal(r.p->nmeasures, 2);
	assert_string_equal(r.p->measures[0]->name, "late");
	assert_int_equal(r.p->measures[0]->clock, CLOCK_PROCESS);
	assert_int_equal(index_of(r.p, r.p->measures[0]->to), 2);
	assert_string_equal(r.p->measures[1]->name, "early @ home");
	assert_int_equal(r.p->measures[1]->clock, CLOCK_CUSTOMER);
	assert_int_equal(index_of(r.p, r.p->measures[1]->from), 0);
	assert_int_equal(index_of(r.p, r.p->measures[1]->to), 1);
	assert_string_equal(sink_builder_warnings(r.b),
	                    DATA "measures.csv:5: measure 'never started' ends here but never "
	                    "starts; it is dropped\n"
	                    DATA "measures.csv:4: measure 'orphan start' starts here but never "
	                    "ends; it is dropped\n");
	result_done(&r);
}

static void
test_lanes(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(read_file(&r, DATA "lanes.csv"), STATUS_OK);
	assert_int_equal(r.p->nlanes, 2);
	assert_string_equal(r.p->lanes[0]->name, "Desk");
	assert_int_equal(r.p->lanes[0]->stage, STAGE_ONSTAGE);
	assert_int_equal(r.p->lanes[0]->capacity, 3);
	assert_string_equal(r.p->lanes[1]->name, "Nurse");
	assert_int_equal(r.p->lanes[1]->stage, STAGE_SUPPORT);
	assert_int_equal(r.p->lanes[1]->capacity, 0);
	assert_string_equal(lane_of(r.p, 4), "");
	assert_string_equal(sink_builder_warnings(r.b),
	                    DATA "lanes.csv:6: a stage or capacity without a lane is ignored\n"
	                    DATA "lanes.csv:5: lane 'Desk' has stage offstage here but onstage on "
	                    "line 3; keeping onstage\n"
	                    DATA "lanes.csv:5: lane 'Desk' has capacity 4 here but 3 on line 3; "
	                    "keeping 3\n");
	result_done(&r);
}

/* Lane rows keep lanes in their order and lanes without steps; the writer
 * adds them only when needed. */
static void
test_lane_rows(void **state)
{
	struct result r;
	char *t;

	(void)state;
	assert_int_equal(read_file(&r, DATA "lane-rows.csv"), STATUS_OK);
	assert_int_equal(r.p->nsteps, 2);
	assert_int_equal(r.p->nlanes, 3);
	assert_string_equal(r.p->lanes[0]->name, "Bed management");
	assert_int_equal(r.p->lanes[0]->capacity, 2);
	assert_string_equal(r.p->lanes[1]->name, "Patient");
	assert_int_equal(r.p->lanes[1]->stage, STAGE_CUSTOMER);
	assert_string_equal(r.p->lanes[2]->name, "Porters");
	assert_int_equal(r.p->lanes[2]->stage, STAGE_SUPPORT);
	assert_int_equal(r.p->lanes[2]->capacity, 3);
	assert_string_equal(step_at(r.p, 0)->name, "Arrive");
	t = export_text(r.p, NULL, NULL);
	assert_non_null(strstr(t, "\r\n,,Bed management,offstage,2,,,,,,,,,,,,,,,\r\n"
	                          ",,Patient,customer,,,,,,,,,,,,,,,,\r\n"
	                          ",,Porters,support,3,,,,,,,,,,,,,,,\r\n1,Arrive,"));
	free(t);
	result_done(&r);

	assert_int_equal(read_file(&r, DATA "basic.csv"), STATUS_OK);
	t = export_text(r.p, NULL, NULL);
	assert_null(strstr(t, "\r\n,,"));
	free(t);
	result_done(&r);
}

static void
test_header_only(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(read_file(&r, DATA "header-only.csv"), STATUS_OK);
	assert_int_equal(r.p->nsteps, 0);
	assert_string_equal(sink_builder_warnings(r.b),
	                    DATA "header-only.csv: no steps: the file has a header and nothing else\n");
	result_done(&r);
}

static void
test_name_given(void **state)
{
	struct result r;
	FILE *f = fopen(DATA "basic.csv", "rb");

	(void)state;
	assert_non_null(f);
	assert_int_equal(read_stream(&r, f), STATUS_OK);
	assert_string_equal(r.p->name, "From a stream");
	fclose(f);
	result_done(&r);
}

/* --- bad files: exact messages, nothing reaches the sink ------------------ */

static const struct {
	const char *file;
	enum status st;
	const char *msg;
} bad[] = {
	{ "bad-work.csv", STATUS_INPUT, DATA "bad-work.csv:5: column 'work': expected a duration "
	  "like 5m or tri(3m,5m,10m), got '5 minutes'" },
	{ "bad-utf8.csv", STATUS_INPUT, DATA "bad-utf8.csv:3: column 'name': invalid UTF-8 "
	  "(byte 0xE9 at byte 6 of the cell); save the file as UTF-8 (in Excel: CSV UTF-8)" },
	{ "bad-quote.csv", STATUS_INPUT, DATA "bad-quote.csv:2: misplaced quote: a quote must open "
	  "a cell, and a quote inside a quoted cell must be doubled (\"\")" },
	{ "unterminated.csv", STATUS_INPUT, DATA "unterminated.csv:3: a quoted cell that starts on "
	  "this line never ends" },
	{ "not-csv.csv", STATUS_INPUT, DATA "not-csv.csv: XML or HTML (a BPMN file?), not CSV" },
	{ "binary.csv", STATUS_INPUT, DATA "binary.csv:3: a NUL byte: this is not a text file" },
	{ "utf16.csv", STATUS_INPUT, DATA "utf16.csv: UTF-16 text; save it as CSV UTF-8" },
	{ "workbook.csv", STATUS_INPUT, DATA "workbook.csv: a spreadsheet workbook (.xlsx or .ods), "
	  "not CSV; save it as CSV UTF-8" },
	{ "empty.csv", STATUS_INPUT, DATA "empty.csv: no header row; the first row must name the "
	  "columns (step, name, lane, type, work, wait, ...)" },
	{ "no-name.csv", STATUS_INPUT, DATA "no-name.csv:1: no 'name' column among the header's "
	  "'step', 'title', 'lane'; the first row must name the columns (step, name, lane, type, "
	  "work, wait, ...)" },
	{ "bad-next.csv", STATUS_INPUT, DATA "bad-next.csv:2: column 'next': expected a probability "
	  "from 0 to 1 (or 0% to 100%) after '2@', got '1.5'" },
	{ "bad-target.csv", STATUS_INPUT, DATA "bad-target.csv:2: column 'next': no step '99' in "
	  "the file" },
	{ "dup-step.csv", STATUS_INPUT, DATA "dup-step.csv:4: column 'step': step '1' is also on "
	  "line 2" },
	{ "bad-emotion.csv", STATUS_INPUT, DATA "bad-emotion.csv:2: column 'emotion': expected a "
	  "whole number from -2 to +2, or empty, got '+3'" },
	{ "no-such-file.csv", STATUS_NOT_FOUND, DATA "no-such-file.csv: cannot open: No such file or "
	  "directory" },
};

static void
test_bad_files(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct result r;
		char path[256];

		snprintf(path, sizeof path, DATA "%s", bad[i].file);
		if (read_file(&r, path) != bad[i].st)
			fail_msg("%s: status %d, want %d (%s)", bad[i].file, r.st, bad[i].st, r.err.msg);
		if (strcmp(r.err.msg, bad[i].msg))
			fail_msg("%s:\n got  %s\n want %s", bad[i].file, r.err.msg, bad[i].msg);
		result_done(&r);
	}
}

static const struct {
	const char *text;
	const char *msg;
} bad_cells[] = {
	{ "name,type\nA,gateway\n", "stream:2: column 'type': expected one of task, manual, user, "
	  "service, script, send, receive, businessrule, decision, parallel, wait, start, end, "
	  "subprocess, throw, boundary, inclusive, eventgateway, complex, call, got 'gateway'" },
	{ "name,error_rate\nA,1.5\n", "stream:2: column 'error_rate': expected a number from 0 to "
	  "1, got '1.5'" },
	{ "name,stage,lane\nA,backstage,Desk\n", "stream:2: column 'stage': expected customer, "
	  "onstage, offstage or support, got 'backstage'" },
	{ "name,lane,capacity\nA,Desk,two\n", "stream:2: column 'capacity': expected a whole "
	  "number of servers from 0 to 1000000 (0 or empty: unlimited), got 'two'" },
	{ "name,pain\nA,maybe\n", "stream:2: column 'pain': expected yes or no, got 'maybe'" },
	{ "name,time_unit\nA,\nB,parsec\n", "stream:3: column 'time_unit': expected auto, s, "
	  "min, h or d, got 'parsec'" },
	{ "step,name\n1 2,A\n", "stream:2: column 'step': expected a step number or a word "
	  "without spaces, '@' or '|', got '1 2'" },
	{ "step,name,next\n1,A,2 {open\n2,B,\n", "stream:2: column 'next': the condition after "
	  "'2' opens with '{' but never closes with '}'" },
	{ "step,name,next\n1,A,2 {c} tail\n2,B,\n", "stream:2: column 'next': text after the "
	  "condition of the flow to '2'; the condition {...} comes last" },
	{ "step,name,next\n1,A,| 2\n2,B,\n", "stream:2: column 'next': expected a step like "
	  "'12', '12@0.7 Imaging needed' or '12 {condition}', got ''" },
	{ "step,name,starts\n1,A,x @soon\n", "stream:2: column 'starts': expected the clock "
	  "'customer' or 'process' after '@', got 'soon'" },
	{ "name,work\nA,tri(3m,5m,10m)\n", "stream:2: column 'work': expected a duration like 5m "
	  "or tri(3m,5m,10m), got 'tri(3m' (a distribution holds commas: put the cell in quotes, "
	  "\"tri(3m,5m,10m)\")" },
	{ "name,arrival\nA,often\n", "stream:2: column 'arrival': expected a duration like 5m or "
	  "tri(3m,5m,10m), got 'often'" },
	/* the duration rules of the form and the command line (one parser) */
	{ "name,work\nA,5m\nB,1h70m\n", "stream:3: column 'work': '70m' after a larger unit must "
	  "be under 60m: write 2h10m (or 130m), got '1h70m'" },
	{ "name,wait\nA,exp(0)\n", "stream:2: column 'wait': exp(mean) needs a mean above 0: it "
	  "would not vary (a fixed time is written 0s), got exp(0)" },
	{ "name,work\nA,\"logn(20m,0)\"\n", "stream:2: column 'work': logn(mean,sd) needs an sd "
	  "above 0: it would not vary (a fixed time is written 20m), got logn(20m,0)" },
	{ "name,Name\nA,B\n", "stream:1: column 'name' appears twice in the header" },
	{ "name\n\"A\"x\n", "stream:2: misplaced quote: a quote must open a cell, and a quote "
	  "inside a quoted cell must be doubled (\"\")" },
	{ "\xef\xbb\xbfna\xffme\nA\n", "stream:1: header: invalid UTF-8 (byte 0xFF in cell 1); "
	  "save the file as UTF-8 (in Excel: CSV UTF-8)" },
	{ "name,note\nok,\xed\xa0\x80 surrogate\n", "stream:2: column 'note': invalid UTF-8 "
	  "(byte 0xED at byte 1 of the cell); save the file as UTF-8 (in Excel: CSV UTF-8)" },
	{ "name\n\xc0\xaf overlong\n", "stream:2: column 'name': invalid UTF-8 (byte 0xC0 at "
	  "byte 1 of the cell); save the file as UTF-8 (in Excel: CSV UTF-8)" },
};

static void
test_bad_cells(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad_cells / sizeof bad_cells[0]; i++) {
		struct result r;

		if (read_text(&r, bad_cells[i].text) != STATUS_INPUT)
			fail_msg("case %zu: status %d (%s)", i, r.st, r.err.msg);
		if (strcmp(r.err.msg, bad_cells[i].msg))
			fail_msg("case %zu:\n got  %s\n want %s", i, r.err.msg, bad_cells[i].msg);
		result_done(&r);
	}
}

/* Extra cells: one warning for the file, not one per row. A decimal comma
 * only where cells are split by semicolons; a quoted lane keeps its lane. */
static void
test_odd_rows(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(read_text(&r, "name,lane\nA,Desk,x\nB,\"  Desk \",y,z\nC,Desk\n"),
	                 STATUS_OK);
	assert_string_equal(sink_builder_warnings(r.b), "stream:2: cells beyond the 2 columns of "
	                    "the header are ignored (on 2 lines)\n");
	assert_int_equal(r.p->nlanes, 1);
	assert_string_equal(lane_of(r.p, 1), "Desk");
	result_done(&r);

	assert_int_equal(read_text(&r, "name,cost\nA,\"1,000\"\n"), STATUS_INPUT);
	assert_string_equal(r.err.msg, "stream:2: column 'cost': expected a number of 0 or more, "
	                    "got '1,000'");
	result_done(&r);
	assert_int_equal(read_text(&r, "name;cost\nA;1,5\n"), STATUS_OK);
	assert_true(step_at(r.p, 0)->cost == 1.5);
	result_done(&r);
	assert_int_equal(read_text(&r, "sep=;\n\nname;work\nA;5 minutes\n"), STATUS_INPUT);
	assert_string_equal(r.err.msg, "stream:4: column 'work': expected a duration like 5m or "
	                    "tri(3m,5m,10m), got '5 minutes'");
	result_done(&r);
}

/* Valid UTF-8 of every length passes (é, €, 日本, 𝄞). */
static void
test_utf8_names(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(read_text(&r, "name,lane\nCafé € 日本 𝄞,Bäckerei\n"), STATUS_OK);
	assert_string_equal(step_at(r.p, 0)->name, "Café € 日本 𝄞");
	assert_string_equal(lane_of(r.p, 0), "Bäckerei");
	result_done(&r);
}

/* --- absurd input: endless generated streams ------------------------------ */

struct endless {
	const char *head;            /* written first */
	size_t head_len, pos;
	const char *unit;            /* then this, over and over */
	size_t unit_len;
	size_t total, served;        /* the stream's length; bytes handed out */
};

static ssize_t
endless_read(void *cookie, char *buf, size_t size)
{
	struct endless *e = cookie;
	size_t n = 0;

	while (n < size && e->served < e->total) {
		if (e->pos < e->head_len)
			buf[n] = e->head[e->pos];
		else
			buf[n] = e->unit[(e->pos - e->head_len) % e->unit_len];
		e->pos++;
		e->served++;
		n++;
	}
	return (ssize_t)n;
}

static enum status
read_endless(struct result *r, struct endless *e)
{
	cookie_io_functions_t io = { .read = endless_read };
	FILE *f = fopencookie(e, "r", io);
	enum status st;

	assert_non_null(f);
	e->head_len = strlen(e->head);
	e->unit_len = strlen(e->unit);
	st = read_stream(r, f);
	fclose(f);
	return st;
}

/* A 100 MB line of one cell, then of cells just under the cell limit. */
static void
test_huge_line(void **state)
{
	struct endless e = { .head = "step,name\n1,", .unit = "x", .total = 100u << 20 };
	struct result r;
	size_t n = (1u << 20) - 100;
	char *unit = malloc(n + 2);

	(void)state;
	assert_int_equal(read_endless(&r, &e), STATUS_INPUT);
	assert_string_equal(r.err.msg, "stream:2: a cell longer than 1 MiB");
	/* Refused as soon as seen, not after reading 100 MB. */
	assert_true(e.served < (4u << 20));
	result_done(&r);

	assert_non_null(unit);
	memset(unit, 'y', n);
	strcpy(unit + n, ",");
	e = (struct endless){ .head = "step,name\n1,", .unit = unit, .total = 100u << 20 };
	assert_int_equal(read_endless(&r, &e), STATUS_INPUT);
	assert_string_equal(r.err.msg, "stream:2: a line longer than 4 MiB; is this a CSV file?");
	assert_true(e.served < (8u << 20));
	result_done(&r);
	free(unit);
}

static void
test_huge_cell(void **state)
{
	struct endless e = { .head = "step,name,note\n1,a,\"",
	                     .unit = "a line of a note that never ends\n", .total = 100u << 20 };
	struct result r;

	(void)state;
	assert_int_equal(read_endless(&r, &e), STATUS_INPUT);
	assert_string_equal(r.err.msg, "stream:2: a cell longer than 1 MiB");
	assert_true(e.served < (4u << 20));
	result_done(&r);
}

static void
test_too_many_cells(void **state)
{
	struct endless e = { .head = "", .unit = "name,", .total = 1u << 20 };
	struct result r;

	(void)state;
	assert_int_equal(read_endless(&r, &e), STATUS_INPUT);
	assert_string_equal(r.err.msg, "stream:1: more than 4096 cells in one record; is this a "
	                    "CSV file of steps?");
	result_done(&r);
}

/* Many rows read in one pass; keys and flows resolve (no quadratic scan). */
static void
test_many_rows(void **state)
{
	size_t n = 20000, i, len = 0, cap = n * 64;
	char *text = malloc(cap);
	struct result r;

	(void)state;
	assert_non_null(text);
	len += (size_t)snprintf(text, cap, "step,name,lane,next\n");
	for (i = 1; i <= n; i++)
		len += (size_t)snprintf(text + len, cap - len, "%zu,Step %zu,Lane %zu,%s\n", i, i,
		                        i % 13, i % 100 == 0 && i < n ? "1@0.01 | 2@0.99" : "");
	assert_int_equal(read_text(&r, text), STATUS_OK);
	assert_int_equal(r.p->nsteps, n);
	assert_int_equal(r.p->nlanes, 13);
	assert_int_equal(r.p->nflows, 2 * (n / 100 - 1));
	assert_string_equal(step_at(r.p, n - 1)->name, "Step 20000");
	result_done(&r);
	free(text);
}

/* --- the writer ----------------------------------------------------------- */

/* Two processes are the same for every field CSV carries. */
static void
assert_same_process(const struct process *a, const struct process *b)
{
	size_t i;
	char x[4096], y[4096];

	assert_int_equal(a->nsteps, b->nsteps);
	assert_int_equal(a->nlanes, b->nlanes);
	assert_int_equal(a->nflows, b->nflows);
	assert_int_equal(a->nmeasures, b->nmeasures);
	assert_true(dist_equal(&a->arrival, &b->arrival));
	for (i = 0; i < a->nlanes; i++) {
		assert_string_equal(a->lanes[i]->name, b->lanes[i]->name);
		assert_int_equal(a->lanes[i]->stage, b->lanes[i]->stage);
		assert_int_equal(a->lanes[i]->capacity, b->lanes[i]->capacity);
	}
	for (i = 0; i < a->nsteps; i++) {
		int f;

		for (f = 0; f < STEP_FIELD_COUNT_; f++) {
			step_get_field(a, a->steps[i], (enum step_field)f, x, sizeof x);
			step_get_field(b, b->steps[i], (enum step_field)f, y, sizeof y);
			if (strcmp(x, y))
				fail_msg("step %zu field %s: '%s' vs '%s'", i + 1,
				         step_field_name((enum step_field)f), x, y);
		}
		assert_true(a->steps[i]->error_rate == b->steps[i]->error_rate);
		assert_true(a->steps[i]->cost == b->steps[i]->cost);
	}
	for (i = 0; i < a->nflows; i++) {
		const struct flow *fa = a->flows[i], *fb = b->flows[i];

		assert_int_equal(index_of(a, fa->from), index_of(b, fb->from));
		assert_int_equal(index_of(a, fa->to), index_of(b, fb->to));
		assert_true(fa->prob == fb->prob || (fa->prob < 0 && fb->prob < 0));
		assert_string_equal(fa->label ? fa->label : "", fb->label ? fb->label : "");
		assert_string_equal(fa->condition ? fa->condition : "",
		                    fb->condition ? fb->condition : "");
	}
	for (i = 0; i < a->nmeasures; i++) {
		assert_string_equal(a->measures[i]->name, b->measures[i]->name);
		assert_int_equal(index_of(a, a->measures[i]->from), index_of(b, b->measures[i]->from));
		assert_int_equal(index_of(a, a->measures[i]->to), index_of(b, b->measures[i]->to));
		assert_int_equal(a->measures[i]->clock, b->measures[i]->clock);
	}
}

static void
test_round_trip(void **state)
{
	static const char *const files[] = {
		"basic.csv", "excel-fr.csv", "quoted.csv", "next.csv", "measures.csv", "lanes.csv",
		"lane-rows.csv", "sorted.csv",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct result a, b;
		char path[256], *t1, *t2;
		size_t n1, n2;

		snprintf(path, sizeof path, DATA "%s", files[i]);
		assert_int_equal(read_file(&a, path), STATUS_OK);
		t1 = export_text(a.p, NULL, &n1);
		if (read_text(&b, t1) != STATUS_OK)
			fail_msg("%s: written file does not read: %s\n%s", files[i], b.err.msg, t1);
		assert_int_equal(sink_builder_nwarnings(b.b), 0);
		assert_same_process(a.p, b.p);
		t2 = export_text(b.p, NULL, &n2);
		assert_int_equal(n1, n2);
		assert_memory_equal(t1, t2, n1);       /* write(read(write(p))) == write(p) */
		free(t1);
		free(t2);
		result_done(&a);
		result_done(&b);
	}
}

static void
test_writer_format(void **state)
{
	struct result r;
	char *t;
	struct csv_export_opts semi = { .no_bom = true, .delimiter = ';' };

	(void)state;
	/* the time unit on a later row than the arrival: the process's, written
	 * on the first row as the arrival is */
	assert_int_equal(read_text(&r, "step,name,lane,stage,note,next,arrival,time_unit\n"
	                               "1,\" lead, \"\"quoted\"\"\",Desk,onstage,\"two\nlines\","
	                               "3@0.25 a\\|b {c\\{d} | 2,\"uni(1m,2m)\",\n"
	                               "2,B;semi,,,,,, H \n3,C,Desk,,,,,\n"), STATUS_OK);
	assert_int_equal(r.p->time_unit, TIME_UNIT_H);
	t = export_text(r.p, NULL, NULL);
	assert_string_equal(t,
		"\xef\xbb\xbfstep,name,lane,stage,capacity,type,work,wait,value,error_rate,cost,"
		"channel,emotion,pain,note,next,starts,ends,arrival,time_unit\r\n"
		"1,\" lead, \"\"quoted\"\"\",Desk,onstage,,task,,,,0,0,,,no,\"two\nlines\","
		"3@0.25 a\\|b {c\\{d} | 2,,,\"uni(1m,2m)\",h\r\n"
		"2,B;semi,,,,task,,,,0,0,,,no,,,,,,\r\n"
		"3,C,Desk,onstage,,task,,,,0,0,,,no,,,,,,\r\n");
	free(t);
	t = export_text(r.p, &semi, NULL);
	assert_true(!strncmp(t, "step;name;lane;", 15));
	assert_non_null(strstr(t, "\r\n2;\"B;semi\";;"));
	free(t);
	result_done(&r);

	/* Numbers as a spreadsheet user writes them, exact to the last bit. */
	assert_int_equal(read_text(&r, "name,cost,error_rate\nA,40,0.05\nB,1e-9,0.30000000000000004\n"
	                               "C,1234567.125,1\n"), STATUS_OK);
	t = export_text(r.p, &semi, NULL);
	assert_non_null(strstr(t, "\r\n1;A;;;;task;;;;0.05;40;"));
	assert_non_null(strstr(t, "\r\n2;B;;;;task;;;;0.30000000000000004;1e-09;"));
	assert_non_null(strstr(t, "\r\n3;C;;;;task;;;;1;1234567.125;"));
	free(t);
	result_done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_excel_french),
		cmocka_unit_test(test_reordered_columns),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_delimiters_and_line_ends),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_numeric_order),
		cmocka_unit_test(test_measures),
		cmocka_unit_test(test_lanes),
		cmocka_unit_test(test_lane_rows),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_name_given),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_cells),
		cmocka_unit_test(test_odd_rows),
		cmocka_unit_test(test_utf8_names),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_huge_cell),
		cmocka_unit_test(test_too_many_cells),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_writer_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
