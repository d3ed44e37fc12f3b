/*
 * test_store_save.c - store_save() writes the whole workbook with its indexes
 * dropped and made again (store/rows.c, for the speed of a large import): on
 * real files, the workbook it leaves has exactly the indexes a new workbook
 * has (names and SQL, read from sqlite_master with SQLite itself), passes
 * store_verify, and loads back equal to what was saved; a second save over
 * the first replaces it; a save that fails (a step in a lane that is not
 * there, refused by the foreign keys at commit) leaves the file as it was, indexes included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "examples/demo.h"
#include "model/model.h"
#include "store/store.h"
#include "tests/unit/wbequal.h"

static char dir[] = "/tmp/stepmap-save-XXXXXX";

static const char *
path_in(const char *name)
{
	static char p[2][256];
	static int k;

	k = !k;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

/* Every index of the workbook at path, "name: sql" one a line, sorted. */
static char *
indexes_of(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t len = 0;
	char *out = calloc(1, 1);

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name || ': ' || sql FROM sqlite_master "
	                                    "WHERE type = 'index' AND sql IS NOT NULL "
	                                    "ORDER BY name", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 0);

		out = realloc(out, len + strlen(row) + 2);
		assert_non_null(out);
		len += (size_t)sprintf(out + len, "%s\n", row);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static struct workbook *
load(const char *path)
{
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct err err = { 0 };

	if (store_open(path, STORE_OPEN, &s, &err) != STATUS_OK ||
	    store_load(s, &w, &err) != STATUS_OK || store_verify(s, &err) != STATUS_OK)
		fail_msg("%s", err.msg);
	store_close(&s);
	return w;
}

/* The workbook at path has the indexes want, passes store_verify and loads
 * back equal to w. */
static void
assert_saved(const char *path, const char *want, const struct workbook *w)
{
	char *got = indexes_of(path);
	struct workbook *back = load(path);

	assert_string_equal(got, want);
	assert_workbook_equal(back, w);
	free(got);
	workbook_free(&back);
}

static void
test_save_keeps_indexes(void **state)
{
	const char *fresh = path_in("fresh.stepmap"), *saved = path_in("saved.stepmap");
	struct workbook *w = demo_workbook(), *bad;
	struct store *s = NULL;
	struct err err = { 0 };
	char *want;

	(void)state;
	assert_int_equal(store_open(fresh, STORE_NEW, &s, &err), STATUS_OK);
	store_close(&s);
	want = indexes_of(fresh);
	/* the schema has indexes on every table's process and on the flows' ends */
	assert_non_null(strstr(want, "flows_from: CREATE INDEX"));
	assert_non_null(strstr(want, "steps_order: CREATE INDEX"));

	assert_int_equal(store_open(saved, STORE_NEW, &s, &err), STATUS_OK);
	assert_int_equal(store_save(s, w, &err), STATUS_OK);
	assert_int_equal(store_save(s, w, &err), STATUS_OK);   /* over the first */
	store_close(&s);
	assert_saved(saved, want, w);

	/* a save the foreign keys refuse at commit changes nothing */
	bad = workbook_copy(w);
	assert_non_null(bad);
	bad->procs[0]->steps[5]->lane = 999999999;
	assert_int_equal(store_open(saved, STORE_OPEN, &s, &err), STATUS_OK);
	assert_int_not_equal(store_save(s, bad, &err), STATUS_OK);
	store_close(&s);
	assert_saved(saved, want, w);
	workbook_free(&bad);
	free(want);
	workbook_free(&w);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_save_keeps_indexes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
