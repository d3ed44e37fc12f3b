/*
 * test_json.c - the JSON writers: string escaping (quotes, backslashes,
 * control characters, UTF-8 passed through, invalid UTF-8 replaced),
 * numbers (shortest exact text, null for NaN and infinities), and the report
 * of the demo workbook (its keys, a scenario asked for by name, nothing
 * written when it does not exist).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "examples/demo.h"
#include "export/json.h"

/* Capture what fn writes. The caller frees the result. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static void
cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static char *
cap_close(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

static void
check_string(const char *in, const char *want)
{
	struct capture c;
	char *out;

	cap_open(&c);
	json_write_string(c.f, in);
	out = cap_close(&c);
	assert_string_equal(out, want);
	free(out);
}

static void
test_strings(void **state)
{
	(void)state;
	check_string("plain", "\"plain\"");
	check_string(NULL, "\"\"");
	check_string("say \"hi\"", "\"say \\\"hi\\\"\"");
	check_string("a\\b", "\"a\\\\b\"");
	check_string("line\nnext\ttab\r", "\"line\\nnext\\ttab\\r\"");
	check_string("\x01\x1f\b\f", "\"\\u0001\\u001f\\b\\f\"");
	check_string("arrival → seen by physician", "\"arrival → seen by physician\"");
	check_string("Émilie 日本 🏥", "\"Émilie 日本 🏥\"");
	check_string("bad \xff byte", "\"bad \\ufffd byte\"");
	check_string("overlong \xc0\xaf", "\"overlong \\ufffd\\ufffd\"");
	check_string("cut \xe2\x86", "\"cut \\ufffd\\ufffd\"");
	check_string("surrogate \xed\xa0\x80", "\"surrogate \\ufffd\\ufffd\\ufffd\"");
	check_string("\x7f", "\"\x7f\"");
}

static void
check_number(double x, const char *want)
{
	struct capture c;
	char *out;

	cap_open(&c);
	json_write_number(c.f, x);
	out = cap_close(&c);
	assert_string_equal(out, want);
	free(out);
}

static void
test_numbers(void **state)
{
	(void)state;
	check_number(0, "0");
	check_number(-0.0, "0");
	check_number(1620, "1620");
	check_number(1.5, "1.5");
	check_number(0.1, "0.1");
	check_number(1.0 / 3, "0.33333333333333331");
	check_number(-2.5e-7, "-2.5e-07");
	check_number(NAN, "null");
	check_number(INFINITY, "null");
	check_number(-INFINITY, "null");
}

static void
test_report_demo(void **state)
{
	struct workbook *w = demo_workbook();
	struct capture c;
	struct err err = { 0 };
	char *out;

	(void)state;
	assert_non_null(w);
	cap_open(&c);
	assert_int_equal(report_json_write(c.f, w, NULL, NULL, &err), STATUS_OK);
	out = cap_close(&c);
	{
		static const char head[] = "{\"processes\":[{\"name\":\"ED admission\",";

		assert_memory_equal(out, head, sizeof head - 1);
	}
	assert_non_null(strstr(out, "\"steps\":111,"));
	assert_non_null(strstr(out, "\"steps\":46,"));
	assert_non_null(strstr(out, "\"name\":\"arrival → seen by physician\""));
	assert_non_null(strstr(out, "\"clock\":\"customer\""));
	assert_non_null(strstr(out, "\"scenarios\":[{\"name\":\"" DEMO_SCENARIO_NAME "\""));
	assert_non_null(strstr(out, "\"stale_cuts\":0,"));
	assert_int_equal(out[strlen(out) - 1], '\n');
	free(out);

	/* One scenario by name; a missing one writes nothing. */
	cap_open(&c);
	assert_int_equal(report_json_write(c.f, w, w->procs[0], DEMO_SCENARIO_NAME, &err),
	                 STATUS_OK);
	out = cap_close(&c);
	assert_non_null(strstr(out, "\"stale_cuts\":0,"));
	free(out);
	cap_open(&c);
	assert_int_equal(report_json_write(c.f, w, NULL, "No such plan", &err),
	                 STATUS_NOT_FOUND);
	out = cap_close(&c);
	assert_string_equal(out, "");
	assert_non_null(strstr(err.msg, "No such plan"));
	free(out);
	workbook_free(&w);
}

/* A process without scenarios says so with an empty list; a measure whose
 * end comes before its start is null. */
static void
test_report_empty_and_null(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p;
	struct step *a, *b;
	struct measure *m;
	struct capture c;
	char *out;

	(void)state;
	assert_non_null(w);
	p = workbook_add_process(w, workbook_new_id(w), "Tab\there");
	assert_non_null(p);
	a = malloc(sizeof *a);
	b = malloc(sizeof *b);
	m = calloc(1, sizeof *m);
	step_init(a);
	step_init(b);
	a->id = workbook_new_id(w);
	a->key = 1;
	b->id = workbook_new_id(w);
	b->key = 2;
	assert_int_equal(process_add_step(p, a), STATUS_OK);
	assert_int_equal(process_add_step(p, b), STATUS_OK);
	process_reindex(p);
	m->id = workbook_new_id(w);
	m->name = strdup("backwards");
	m->from = b->id;
	m->to = a->id;
	assert_int_equal(process_add_measure(p, m), STATUS_OK);
	cap_open(&c);
	assert_int_equal(report_json_write(c.f, w, NULL, NULL, NULL), STATUS_OK);
	out = cap_close(&c);
	assert_non_null(strstr(out, "\"name\":\"Tab\\there\""));
	assert_non_null(strstr(out, "\"expected_s\":null"));
	assert_non_null(strstr(out, "\"scenarios\":[]}]}"));
	free(out);
	workbook_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_report_demo),
		cmocka_unit_test(test_report_empty_and_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
