/*
 * test_tui_harness.h - screen tests of the workbench (tig's approach): a real
 * workbook file on disk, the workbench on a virtual terminal of a fixed size
 * (tui_test_open), key scripts (tui/keys.h syntax) and the screen read back
 * as text, compared with the expected screens in tests/screens/NAME.txt.
 *
 * STEPMAP_UPDATE_SCREENS=1 writes the screens instead of comparing them:
 * review every changed file by eye before committing (they are assertions).
 * Include after cmocka.h.
 */
#ifndef STEPMAP_TESTS_TUI_HARNESS_H
#define STEPMAP_TESTS_TUI_HARNESS_H

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/model.h"
#include "store/store.h"
#include "tui/tui.h"

struct tt {
	char dir[256];
	char path[300];
	struct store *store;
	struct workbook *wb;
	struct tui *tui;
};

/* The clinic: a small process with every kind of line the map draws. */
static inline struct workbook *
tt_clinic(void)
{
	struct workbook *wb = workbook_new();
	struct process *p;
	sm_id patient, desk, nurse, lab, s[10];
	struct dist none = { DIST_NONE, { 0, 0, 0 } };
	struct step *st;

	assert_non_null(wb);
	p = workbook_add_process(wb, workbook_new_id(wb), "Clinic visit");
	assert_non_null(p);
	patient = hm_lane(wb, p, "Patient", STAGE_CUSTOMER, 0);
	desk = hm_lane(wb, p, "Reception", STAGE_ONSTAGE, 0);
	nurse = hm_lane(wb, p, "Nurse", STAGE_OFFSTAGE, 2);
	lab = hm_lane(wb, p, "Lab system", STAGE_SUPPORT, 0);
	s[1] = hm_step(wb, p, "Arrive at the clinic", STEP_START, patient, none, none, 0);
	s[2] = hm_step(wb, p, "Check in at the desk", STEP_USER, desk, dist_fixed(120),
	               dist_fixed(300), 0);
	s[3] = hm_step(wb, p, "Write the visit on paper", STEP_MANUAL, desk, dist_fixed(60), none, 0);
	s[4] = hm_step(wb, p, "Take vital signs", STEP_MANUAL, nurse, dist_fixed(300),
	               dist_fixed(600), 0);
	s[5] = hm_step(wb, p, "Needs a blood test?", STEP_DECISION, nurse, none, none, 0);
	s[6] = hm_step(wb, p, "Draw blood", STEP_MANUAL, nurse, dist_fixed(180), none, 0);
	s[7] = hm_step(wb, p, "Analyse the sample", STEP_SERVICE, lab, dist_fixed(1200), none, 0.05);
	s[8] = hm_step(wb, p, "Send the patient home", STEP_TASK, nurse, dist_fixed(120), none, 0);
	s[9] = hm_step(wb, p, "Leave", STEP_END, patient, none, none, 0);
	hm_flow(wb, p, s[5], s[6], 0.3, "blood test");
	hm_flow(wb, p, s[5], s[8], 0.7, "no test");
	hm_measure(wb, p, "arrival → home", s[1], s[9]);
	st = process_step(p, s[2]);
	st->value = VALUE_BVA;
	st = process_step(p, s[3]);
	st->value = VALUE_NVA;
	st->pain = true;
	process_step(p, s[4])->value = VALUE_VA;
	process_step(p, s[6])->value = VALUE_VA;
	process_step(p, s[7])->value = VALUE_VA;
	process_step(p, s[8])->value = VALUE_BVA;
	return wb;
}

/* An empty workbook: one process, no lanes, no steps. */
static inline struct workbook *
tt_empty(void)
{
	struct workbook *wb = workbook_new();

	assert_non_null(wb);
	assert_non_null(workbook_add_process(wb, workbook_new_id(wb), "Workshop"));
	return wb;
}

/* Save wb to a fresh workbook file and load it back, as `stepmap FILE`
 * would find it. Takes ownership of wb. */
static inline void
tt_setup(struct tt *t, struct workbook *wb)
{
	struct err err = { 0 };
	const char *tmp = getenv("TMPDIR");

	memset(t, 0, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "%s/stepmap-tui-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/work.stepmap", t->dir);
	assert_int_equal(store_open(t->path, STORE_NEW, &t->store, &err), STATUS_OK);
	assert_int_equal(store_save(t->store, wb, &err), STATUS_OK);
	workbook_free(&wb);
	assert_int_equal(store_load(t->store, &t->wb, &err), STATUS_OK);
}

/* A test writer for :export (the real one is cli_write_atomic). */
static inline enum status
tt_write_file(const char *path, enum status (*fn)(FILE *f, void *ctx, struct err *err), void *ctx,
              struct err *err)
{
	FILE *f = fopen(path, "w");
	enum status st;

	if (!f)
		return err_set(err, STATUS_IO, "%s: cannot create", path);
	st = fn(f, ctx, err);
	if (fclose(f) != 0 && st == STATUS_OK)
		st = err_set(err, STATUS_IO, "%s: cannot write", path);
	return st;
}

static inline void
tt_open(struct tt *t, int rows, int cols)
{
	struct tui_options opt = { 0 };

	opt.name = "work.stepmap";
	opt.write_file = tt_write_file;
	t->tui = tui_test_open(t->store, t->wb, &opt, rows, cols);
	assert_non_null(t->tui);
}

static inline void
tt_close_tui(struct tt *t)
{
	tui_test_close(&t->tui);
}

/* Close everything and open the file again, as after a restart. */
static inline void
tt_reopen_store(struct tt *t)
{
	struct err err = { 0 };

	tui_test_close(&t->tui);
	workbook_free(&t->wb);
	store_close(&t->store);
	assert_int_equal(store_open(t->path, STORE_OPEN, &t->store, &err), STATUS_OK);
	assert_int_equal(store_load(t->store, &t->wb, &err), STATUS_OK);
}

static inline void
tt_done(struct tt *t)
{
	char cmd[600];

	tui_test_close(&t->tui);
	workbook_free(&t->wb);
	store_close(&t->store);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

static inline void
tt_keys(struct tt *t, const char *keys)
{
	tui_test_keys(t->tui, keys);
	tui_test_idle(t->tui);
	if (getenv("TT_DEBUG")) {
		char *screen = tui_test_screen(t->tui);

		fprintf(stderr, "after %s:\n%s", keys, screen ? screen : "");
		free(screen);
	}
}

/* Compare the screen with tests/screens/NAME.txt (or write it). */
static inline void
tt_expect(struct tt *t, const char *name)
{
	char path[600], *screen = tui_test_screen(t->tui), *want = NULL;
	const char *top = getenv("TOP");
	const char *update = getenv("STEPMAP_UPDATE_SCREENS");
	FILE *f;
	long n;

	assert_non_null(screen);
	snprintf(path, sizeof path, "%s/tests/screens/%s.txt", top && *top ? top : ".", name);
	if (update && !strcmp(update, "1")) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(screen, f);
		assert_int_equal(fclose(f), 0);
		free(screen);
		return;
	}
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: missing (STEPMAP_UPDATE_SCREENS=1 writes it); the screen is:\n%s",
		        path, screen);
		free(screen);
		fail();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	want = calloc(1, (size_t)n + 1);
	assert_non_null(want);
	assert_int_equal(fread(want, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (strcmp(want, screen)) {
		fprintf(stderr, "screen %s differs from %s\n--- expected\n%s--- got\n%s", name, path,
		        want, screen);
		free(want);
		free(screen);
		fail();
	}
	free(want);
	free(screen);
}

/* True when the screen shows text somewhere. */
static inline bool
tt_shows(struct tt *t, const char *text)
{
	char *screen = tui_test_screen(t->tui);
	bool found = screen && strstr(screen, text);

	free(screen);
	return found;
}

static inline void
tt_locale(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "C.utf8");
	unsetenv("NO_COLOR");
}

#endif
