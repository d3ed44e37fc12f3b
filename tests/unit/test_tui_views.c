/*
 * test_tui_views.c - the workbench's screens, drawn from a workbook on disk:
 * the map (numbers, lanes, type marks, times, value classes, flags, the
 * branches of a decision, hand-off lines), the lane view (stages, the line of
 * visibility, arrows across lanes), the figures panel beside and under the
 * map, help, the process list, the lanes and measures editors, resizing down
 * to 20x6 and back, UTF-8 names cut at display width, and the glyphs that
 * carry the flags without colour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/handmade.h"
#include "tests/unit/test_tui_harness.h"

static void
map_at_80x24(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	tt_expect(&t, "map-80x24");
	/* the cursor moves and the status line counts */
	tt_keys(&t, "jjj");
	assert_true(tt_shows(&t, "4/9"));
	tt_expect(&t, "map-cursor");
	tt_keys(&t, "G");
	assert_true(tt_shows(&t, "9/9"));
	tt_keys(&t, "g");
	assert_true(tt_shows(&t, "1/9"));
	tt_done(&t);
}

static void
map_wide_with_panel_beside(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 30, 100);
	tt_expect(&t, "map-100x30");
	/* f hides the panel and shows it again */
	tt_keys(&t, "f");
	assert_false(tt_shows(&t, "Figures"));
	tt_keys(&t, "f");
	assert_true(tt_shows(&t, "Figures"));
	tt_done(&t);
}

static void
lane_view(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	tt_keys(&t, "v");
	tt_expect(&t, "lanes-80x24");
	/* the cursor is shared with the map */
	tt_keys(&t, "jjjj");
	assert_true(tt_shows(&t, "5/9"));
	tt_keys(&t, "v");
	assert_true(tt_shows(&t, "5/9"));
	assert_true(tt_shows(&t, "Step"));
	tt_done(&t);
}

static void
resize_down_to_20x6_and_back(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	tt_keys(&t, "<resize 6x20>");
	tt_expect(&t, "map-20x6");
	/* every screen survives the smallest size */
	tt_keys(&t, "jjjjjjjjjG");
	tt_keys(&t, "v");
	tt_expect(&t, "lanes-20x6");
	tt_keys(&t, "v?");
	tt_keys(&t, "q<Enter>");
	tt_keys(&t, "<Esc>");
	tt_keys(&t, "oqLqTq");
	tt_keys(&t, "<resize 1x1><resize 3x10><resize 24x80>");
	/* back at full size the map fills the screen again */
	tt_expect(&t, "map-80x24-again");
	tt_done(&t);
}

static void
help_lists_every_command(void **state)
{
	struct tt t;
	int i;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	tt_keys(&t, "?");
	tt_expect(&t, "help");
	/* a help text too long for the screen wraps, never cut: the end of
	 * :cut's, and the last line, show at the bottom */
	assert_true(tt_shows(&t, ":lane,"));
	assert_true(tt_shows(&t, "                            :measure...)"));
	for (i = 0; i < 200 && !tt_shows(&t, "set FIELD VALUE"); i++)
		tt_keys(&t, "j");
	assert_true(tt_shows(&t, "set FIELD VALUE"));
	tt_keys(&t, "G");
	assert_true(tt_shows(&t, ":save-display FILE"));
	assert_true(tt_shows(&t, "the same case"));
	tt_keys(&t, "q");
	assert_true(tt_shows(&t, "Arrive at the clinic"));
	tt_done(&t);
}

static void
unicode_names_cut_at_display_width(void **state)
{
	struct tt t;
	struct workbook *wb = tt_clinic();
	struct process *p = wb->procs[0];

	(void)state;
	free(p->steps[1]->name);
	p->steps[1]->name = strdup("日本語の受付で保険証を確認する手続き");
	free(p->steps[2]->name);
	p->steps[2]->name = strdup("Émile’s café crème 🚑🚑🚑🚑🚑🚑🚑🚑🚑🚑🚑🚑🚑🚑");
	free(p->lanes[1]->name);
	p->lanes[1]->name = strdup("Réception générale");
	tt_setup(&t, wb);
	tt_open(&t, 24, 80);
	tt_expect(&t, "map-unicode");
	tt_keys(&t, "v");
	tt_expect(&t, "lanes-unicode");
	tt_done(&t);
}

static void
no_color_keeps_the_flags_as_glyphs(void **state)
{
	struct tt t;
	char *screen;

	(void)state;
	setenv("NO_COLOR", "1", 1);
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	/* the same screen as in colour: manual ✋ and pain ⚑ are glyphs */
	tt_expect(&t, "map-80x24");
	screen = tui_test_screen(t.tui);
	assert_non_null(strstr(screen, "✋"));
	assert_non_null(strstr(screen, "⚑"));
	free(screen);
	tt_done(&t);
	unsetenv("NO_COLOR");
}

/* A time too wide for its column is rounded to a unit that fits, never
 * cut: 1d10h26m40s of work in the map's 6 cells is "~1d10h"; in the panel
 * beside the map the lead time ends in its unit too. */
static void
times_keep_their_last_unit(void **state)
{
	struct tt t;
	struct workbook *wb = tt_clinic();
	char *screen, *line, *save = NULL;

	(void)state;
	wb->procs[0]->steps[3]->work = dist_fixed(124000);
	tt_setup(&t, wb);
	tt_open(&t, 30, 100);
	assert_true(tt_shows(&t, "~1d10h"));
	assert_true(tt_shows(&t, "1d10h54m"));   /* the lead time in the panel */
	screen = tui_test_screen(t.tui);
	for (line = strtok_r(screen, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *at = strstr(line, "1d10h");

		/* every time that starts shows its unit: 1d10h then a letter or
		 * digits and a letter, never digits at the end of the cell */
		if (at) {
			at += 5;
			while (*at >= '0' && *at <= '9')
				at++;
			assert_true(at == strstr(line, "1d10h") + 5 || *at == 'm' || *at == 's');
		}
	}
	free(screen);
	tt_done(&t);
}

static void
lists_processes_lanes_measures(void **state)
{
	struct tt t;

	(void)state;
	tt_setup(&t, tt_clinic());
	tt_open(&t, 24, 80);
	tt_keys(&t, "o");
	tt_expect(&t, "processes");
	tt_keys(&t, "L");
	tt_expect(&t, "lanes-editor");
	tt_keys(&t, "T");
	tt_expect(&t, "measures-editor");
	/* a measure whose steps' names are long shows both ends, each cut */
	tt_keys(&t, "q:measure add desk-home 2 8 process<Enter>T");
	{
		char *screen = tui_test_screen(t.tui), *line = strstr(screen, "desk-home");

		assert_non_null(line);
		*strchr(line, '\n') = '\0';
		assert_non_null(strstr(line, "2 Check in"));
		assert_non_null(strstr(line, "→ 8 Send the"));
		free(screen);
	}
	tt_keys(&t, "q");
	assert_true(tt_shows(&t, "Arrive at the clinic"));
	tt_done(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(map_at_80x24),
		cmocka_unit_test(map_wide_with_panel_beside),
		cmocka_unit_test(lane_view),
		cmocka_unit_test(resize_down_to_20x6_and_back),
		cmocka_unit_test(help_lists_every_command),
		cmocka_unit_test(times_keep_their_last_unit),
		cmocka_unit_test(unicode_names_cut_at_display_width),
		cmocka_unit_test(no_color_keeps_the_flags_as_glyphs),
		cmocka_unit_test(lists_processes_lanes_measures),
	};

	tt_locale();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
