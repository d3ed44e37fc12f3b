/*
 * test_tui_who.c - who is here, on the workbench's screen (tui/presence.c):
 * a workbook on disk, the workbench as "bo" on the test terminal, and "ana"
 * as a real second session in the same presence sidecar (store/presence.h)
 * moving about. The title counts both, the map and the lane view mark ana's
 * step, :who lists both, :follow ana takes bo's screen where ana's is (the
 * step, the lane view, presentation mode) at each wake-up of the loop, a key
 * stops it and does nothing else, and ana leaving ends it and the count.
 * A session without presence (no name) says why on :who.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/presence.h"
#include "tests/unit/handmade.h"
#include "tests/unit/test_tui_harness.h"

/* The workbench on t's workbook as a session named who (NULL: none). */
static void
open_as(struct tt *t, const char *who)
{
	struct tui_options opt = { 0 };

	setenv("STEPMAP_PRESENCE_DIR", t->dir, 1);
	opt.name = "work.stepmap";
	opt.who = who;
	t->tui = tui_test_open(t->store, t->wb, &opt, 24, 100);
	assert_non_null(t->tui);
}

static struct presence_where
at(const struct tt *t, size_t step_no, const char *screen)
{
	struct presence_where w;
	const struct process *p = t->wb->procs[0];

	memset(&w, 0, sizeof w);
	w.proc = p->id;
	w.step = p->steps[step_no - 1]->id;
	snprintf(w.screen, sizeof w.screen, "%s", screen);
	return w;
}

/* The screen's line that holds text, or "" (a static copy). */
static const char *
line_with(struct tt *t, const char *text)
{
	static char line[1024];
	char *screen = tui_test_screen(t->tui), *s, *e;

	line[0] = '\0';
	if (screen && (s = strstr(screen, text))) {
		while (s > screen && s[-1] != '\n')
			s--;
		e = strchr(s, '\n');
		snprintf(line, sizeof line, "%.*s", (int)(e ? e - s : (long)strlen(s)), s);
	}
	free(screen);
	return line;
}

static void
marks_who_and_follow(void **state)
{
	struct presence_where w;
	struct presence *ana = NULL;
	struct err err = { 0 };
	struct tt t;

	(void)state;
	tt_locale();
	tt_setup(&t, tt_clinic());
	open_as(&t, "bo");
	assert_false(tt_shows(&t, "here"));            /* alone: no count */
	w = at(&t, 4, "map");
	assert_int_equal(presence_open(t.path, "ana", &w, &ana, &err), STATUS_OK);
	tui_test_tick(t.tui);
	assert_true(tt_shows(&t, "· 2 here"));
	assert_non_null(strstr(line_with(&t, "Take vital signs"), "◂ana"));
	assert_null(strstr(line_with(&t, "Check in at the desk"), "◂ana"));
	/* the lane view marks it too */
	tt_keys(&t, "v");
	assert_non_null(strstr(line_with(&t, "◂ana"), "Take"));
	tt_keys(&t, "v");

	/* :who: both, where each is */
	tt_keys(&t, ":who<Enter>");
	assert_true(tt_shows(&t, "Who is here: 2"));
	assert_non_null(strstr(line_with(&t, "map, step 4 Take vital signs"), "│  ana "));
	assert_non_null(strstr(line_with(&t, "(you)"), "bo           map, step 1 Arrive"));
	tt_keys(&t, "<Esc>");
	assert_false(tt_shows(&t, "Who is here"));

	/* following: bo's screen goes where ana's is */
	tt_keys(&t, ":follow ana<Enter>");
	assert_true(tt_shows(&t, "following ana"));
	assert_true(tt_shows(&t, "4/9"));
	assert_false(tt_shows(&t, "◂ana"));             /* not on the screen that follows her */
	w = at(&t, 7, "lane view");
	assert_int_equal(presence_beat(ana, &w, &err), STATUS_OK);
	tui_test_tick(t.tui);
	assert_true(tt_shows(&t, "lane view  ? help"));
	assert_true(tt_shows(&t, "7/9"));
	assert_true(tt_shows(&t, "following ana (lane view)"));
	w = at(&t, 8, "presentation");
	assert_int_equal(presence_beat(ana, &w, &err), STATUS_OK);
	tui_test_tick(t.tui);
	assert_true(tt_shows(&t, "STEP 8 of 9"));
	assert_true(tt_shows(&t, "Send the patient home"));
	/* ana on a screen this one does not mirror: the map at her step */
	w = at(&t, 2, "simulation");
	assert_int_equal(presence_beat(ana, &w, &err), STATUS_OK);
	tui_test_tick(t.tui);
	assert_true(tt_shows(&t, "map  ? help"));
	assert_true(tt_shows(&t, "2/9"));
	assert_true(tt_shows(&t, "following ana (simulation)"));

	/* a key stops it and does nothing else */
	tt_keys(&t, "j");
	assert_true(tt_shows(&t, "stopped following ana"));
	assert_true(tt_shows(&t, "2/9"));
	w = at(&t, 5, "map");
	assert_int_equal(presence_beat(ana, &w, &err), STATUS_OK);
	tui_test_tick(t.tui);
	assert_true(tt_shows(&t, "2/9"));
	assert_non_null(strstr(line_with(&t, "Needs a blood test?"), "◂ana"));

	/* :follow alone stops it too; by number as :who lists them */
	tt_keys(&t, ":follow 1<Enter>");
	assert_true(tt_shows(&t, "following ana"));
	assert_true(tt_shows(&t, "5/9"));
	tt_keys(&t, "j");
	tt_keys(&t, ":follow<Enter>");
	assert_true(tt_shows(&t, "not following anyone"));
	tt_keys(&t, ":follow bo<Enter>");
	assert_true(tt_shows(&t, "'bo' is this session"));
	tt_keys(&t, ":follow carl<Enter>");
	assert_true(tt_shows(&t, "nobody named 'carl' is here"));

	/* ana leaves while followed: the following ends, the count goes */
	tt_keys(&t, ":follow ana<Enter>");
	assert_true(tt_shows(&t, "following ana"));
	presence_leave(&ana);
	tui_test_tick(t.tui);
	assert_true(tt_shows(&t, "ana left: not following any more"));
	assert_false(tt_shows(&t, "here"));
	assert_false(tt_shows(&t, "◂ana"));
	tt_done(&t);
}

static void
no_name_no_presence(void **state)
{
	struct tt t;

	(void)state;
	tt_locale();
	tt_setup(&t, tt_clinic());
	open_as(&t, NULL);
	tt_keys(&t, ":who<Enter>");
	assert_true(tt_shows(&t, "who: nobody else can be seen here: this session has no name"));
	tt_keys(&t, ":follow ana<Enter>");
	assert_true(tt_shows(&t, "follow: nobody else can be seen here"));
	tt_done(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(marks_who_and_follow),
		cmocka_unit_test(no_name_no_presence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
