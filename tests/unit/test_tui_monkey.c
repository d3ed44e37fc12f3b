/*
 * test_tui_monkey.c - the workbench under random keys: every key of the
 * command list, text, Esc, Enter and resizes down to 1x1, in a seeded random
 * order (the same keys on every run), on the clinic and on the demo, every
 * screen reached (scenarios, cuts, compare, simulation, walk, forms, lists).
 * Nothing may crash (the sanitizer build runs it too), the screen must stay
 * drawable, and after each run the workbook file must pass store_verify()
 * and load; undoing everything the keys did gives back the workbook as it
 * started. STEPMAP_MONKEY_SEEDS=N runs N more seeds, to hunt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "examples/demo.h"
#include "tests/unit/handmade.h"
#include "tests/unit/test_tui_harness.h"
#include "tests/unit/wbequal.h"

/* Keys as script tokens: the command list's keys and a few more. 'Q' is left
 * out (it quits at once); 'q' quits from the map, and the run reopens. */
static const char *const keys[] = {
	"j", "k", "j", "k", "<PgDn>", "<PgUp>", "g", "G", "h", "l", "v", "f",
	"a", "i", "<Enter>", "e", "d", "J", "K", "m", "p", ">", "<lt>", "u", "<C-r>",
	"/", "n", "N", "o", "L", "T", "s", "c", "x", "M", "A", "V", "P", "X", "C",
	"r", "<Tab>", "<S-Tab>", "<Esc>", "<Esc>", "<Space>", "b", "y", "q", "?", "W",
	"<Up>", "<Down>", "<Left>", "<Right>", "<Home>", "<End>", "<Backspace>",
	"<Delete>", "<C-o>", "<C-u>", "<C-k>", "<C-w>", "<C-l>", ":", "1", "5m",
	"tri(1m,2m,3m)", "é", "日本", "Step", " ", "0.5", "-1", "x9",
};
/* The slow ones (a simulation of 10 000 cases each), rarer. */
static const char *const slow[] = { "S", "w", "+", "-" };

static uint64_t rng;

static unsigned
pick(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
monkey(struct workbook *wb, uint64_t seed, unsigned nkeys, unsigned slow_every)
{
	struct tt t;
	struct workbook *before;
	struct err err = { 0 };
	unsigned i, reopened = 0;

	rng = seed;
	tt_setup(&t, wb);
	assert_int_equal(store_load(t.store, &before, &err), STATUS_OK);
	tt_open(&t, 24, 80);
	for (i = 0; i < nkeys; i++) {
		char script[64];
		unsigned r = pick(1000);

		if (r < 8)
			snprintf(script, sizeof script, "<resize %ux%u>", 1 + pick(40), 1 + pick(140));
		else if (r < 14)
			snprintf(script, sizeof script, "<resize 24x80>");
		else if (slow_every && pick(slow_every) == 0)
			snprintf(script, sizeof script, "%s", slow[pick(sizeof slow / sizeof slow[0])]);
		else
			snprintf(script, sizeof script, "%s", keys[pick(sizeof keys / sizeof keys[0])]);
		if (!tui_test_keys(t.tui, script)) {
			/* quit: start the workbench again on the same workbook */
			tt_close_tui(&t);
			tt_open(&t, 24, 80);
			reopened++;
		}
		if (i % 64 == 0) {
			char *screen;

			tui_test_idle(t.tui);
			screen = tui_test_screen(t.tui);
			assert_non_null(screen);
			free(screen);
		}
	}
	fprintf(stderr, "monkey %llx: %u keys, %u quits\n", (unsigned long long)seed, nkeys, reopened);
	/* the file is whole and loads */
	tt_reopen_store(&t);
	if (store_verify(t.store, &err) != STATUS_OK)
		fail_msg("store_verify: %s", err.msg);
	/* and undo takes it all back */
	for (i = 0; i < 100000; i++) {
		const char *label = NULL;
		enum status st = store_undo(t.store, t.wb, &label, &err);

		if (st == STATUS_NOTHING)
			break;
		if (st != STATUS_OK)
			fail_msg("undo %u: %s", i, err.msg);
	}
	fprintf(stderr, "  %u edits undone\n", i);
	assert_workbook_equal(before, t.wb);
	workbook_free(&before);
	tt_done(&t);
}

static void
clinic_under_random_keys(void **state)
{
	const char *more = getenv("STEPMAP_MONKEY_SEEDS");
	unsigned long i, n = more ? strtoul(more, NULL, 10) : 0;

	(void)state;
	monkey(tt_clinic(), 0x5eed0001u, 6000, 40);
	monkey(tt_clinic(), 0x5eed0002u, 6000, 40);
	/* STEPMAP_MONKEY_SEEDS=N: N more runs, to hunt */
	for (i = 1; i <= n; i++)
		monkey(i % 3 ? tt_clinic() : demo_workbook(), 0x1000u + i, 6000, i % 3 ? 40 : 400);
}

static void
demo_under_random_keys(void **state)
{
	(void)state;
	monkey(demo_workbook(), 0x5eed0003u, 4000, 400);
}

static void
empty_under_random_keys(void **state)
{
	(void)state;
	monkey(tt_empty(), 0x5eed0004u, 3000, 60);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clinic_under_random_keys),
		cmocka_unit_test(demo_under_random_keys),
		cmocka_unit_test(empty_under_random_keys),
	};

	tt_locale();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
