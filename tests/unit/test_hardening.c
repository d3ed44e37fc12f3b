/*
 * test_hardening.c - issue 12 at the level of the modules: what a path is
 * (model/file.c), the bounds every number from outside meets
 * (model/bounds.c), the store on damaged and hostile workbooks (opened
 * read-only with the damage said, refused for writing and left as it was,
 * salvaged) and the sink refusing values out of bounds from any reader.
 * The workbooks are the reproducers in tests/data/hardening.
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
#include <sys/stat.h>
#include <unistd.h>

#include "import/sink.h"
#include "model/bounds.h"
#include "model/file.h"
#include "store/store.h"

#define DATA "tests/data/hardening/"

static char dir[64];
static struct err err;

static void
copy(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[4096];
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static bool
same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int ca, cb;

	assert_non_null(fa);
	assert_non_null(fb);
	do {
		ca = fgetc(fa);
		cb = fgetc(fb);
	} while (ca == cb && ca != EOF);
	fclose(fa);
	fclose(fb);
	return ca == cb;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_hardening_XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A FIFO is refused with its kind, at once; a directory too. */
static void
test_file_kinds(void **state)
{
	char p[128];

	(void)state;
	snprintf(p, sizeof p, "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(file_open_read(p, NULL, NULL, &err), -1);
	assert_int_equal(err.code, STATUS_INPUT);
	assert_non_null(strstr(err.msg, "is a named pipe (FIFO), not a regular file"));
	assert_int_equal(file_open_read(dir, "a stepmap workbook", NULL, &err), -1);
	assert_non_null(strstr(err.msg, "is a directory, not a stepmap workbook"));
	snprintf(p, sizeof p, "%s/none", dir);
	assert_int_equal(file_open_read(p, NULL, NULL, &err), -1);
	assert_int_equal(err.code, STATUS_NOT_FOUND);
}

static void
test_bounds(void **state)
{
	struct step s;
	struct lane l = { 0 };
	struct dist d = { DIST_TRI, { 60, 30, 90 } };

	(void)state;
	assert_true(bound_whole(5, 0, 10));
	assert_false(bound_whole(5.5, 0, 10));
	assert_false(bound_whole(1e30, 0, BOUND_ID_MAX));
	assert_false(bound_whole(NAN, 0, 10));
	assert_false(bound_in(INFINITY, 0, 1e300));
	step_init(&s);
	assert_int_equal(bounds_check_step(&s, &err), STATUS_OK);
	s.cost = 1e300;
	assert_int_equal(bounds_check_step(&s, &err), STATUS_INPUT);
	assert_string_equal(err.msg, "cost: 1e+300 is out of range (0 to 1e+15)");
	s.cost = 0;
	s.work = d;   /* min above mode */
	assert_int_equal(bounds_check_step(&s, &err), STATUS_INPUT);
	assert_non_null(strstr(err.msg, "work: the bounds of the distribution are not in order"));
	step_done(&s);
	l.capacity = BOUND_CAPACITY_MAX + 1;
	assert_int_equal(bounds_check_lane(&l, &err), STATUS_INPUT);
}

/* The sink refuses a step out of bounds from any reader, naming it. */
static void
test_sink_bounds(void **state)
{
	struct workbook *w = workbook_new();
	struct sink_builder *b = NULL;
	struct sink sink;
	struct step s;

	(void)state;
	assert_int_equal(sink_builder_new(w, false, &b, &sink), STATUS_OK);
	assert_int_equal(sink.ops->process(sink.ctx, "p", "P", NULL, &err), STATUS_OK);
	step_init(&s);
	free(s.name);
	s.name = strdup("Pay");
	s.cost = 1e300;
	assert_int_equal(sink.ops->step(sink.ctx, "k", NULL, &s, &err), STATUS_INPUT);
	assert_string_equal(err.msg, "step 'Pay': cost: 1e+300 is out of range (0 to 1e+15)");
	step_done(&s);
	sink_builder_free(&b);
	workbook_free(&w);
}

/* A damaged workbook: read-only with the damage, never written, salvaged. */
static void
test_damaged(void **state)
{
	struct store *s = NULL;
	struct workbook *w = NULL, *saved = NULL;
	struct edit *e = NULL;
	char p[128], report[256];

	(void)state;
	snprintf(p, sizeof p, "%s/f.stepmap", dir);
	copy(DATA "flipped-index.stepmap", p);
	assert_int_equal(store_open(p, STORE_OPEN, &s, &err), STATUS_CORRUPT);
	assert_non_null(strstr(err.msg, "Multiple uses for byte 4090 of page 5"));
	assert_int_equal(store_open(p, STORE_BROWSE, &s, &err), STATUS_OK);
	assert_non_null(store_damage(s));
	assert_non_null(strstr(store_readonly_reason(s), "the workbook is damaged"));
	assert_int_equal(store_load(s, &w, &err), STATUS_OK);
	assert_int_equal(edit_process_add(w, "New", &e), STATUS_OK);
	assert_int_equal(store_do(s, w, e, &err), STATUS_USAGE);
	assert_non_null(strstr(err.msg, "read-only: the workbook is damaged"));
	assert_int_equal(store_verify(s, &err), STATUS_CORRUPT);
	store_close(&s);
	workbook_free(&w);
	assert_true(same_file(p, DATA "flipped-index.stepmap"));
	assert_int_equal(access(DATA "flipped-index.stepmap-wal", F_OK), -1);

	assert_int_equal(store_salvage(DATA "lost-steps.stepmap", &saved, report, sizeof report,
	                               &err), STATUS_OK);
	assert_int_equal(saved->nprocs, 1);
	assert_int_equal(saved->procs[0]->nsteps, 70);
	assert_non_null(strstr(report, "70 steps (some pages unreadable)"));
	workbook_free(&saved);
}

/* Hostile values in rows and in the journal are refused, not converted. */
static void
test_hostile_values(void **state)
{
	struct store *s = NULL;
	struct workbook *w = NULL;

	(void)state;
	assert_int_equal(store_open(DATA "row-cost-1e300.stepmap", STORE_READONLY, &s, &err),
	                 STATUS_OK);
	assert_int_equal(store_load(s, &w, &err), STATUS_CORRUPT);
	assert_non_null(strstr(err.msg, "cost: 1e+300 is out of range"));
	store_close(&s);
	assert_int_equal(store_open(DATA "journal-id-1e30.stepmap", STORE_READONLY, &s, &err),
	                 STATUS_OK);
	assert_int_equal(store_verify(s, &err), STATUS_CORRUPT);
	assert_non_null(strstr(err.msg, "id: unexpected value '1e30'"));
	store_close(&s);
	assert_int_equal(store_open(DATA "v1-lowered.stepmap", STORE_READONLY, &s, &err),
	                 STATUS_CORRUPT);
	assert_non_null(strstr(err.msg, "damaged or inconsistent"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_kinds),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_sink_bounds),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_hostile_values),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
