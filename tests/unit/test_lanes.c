/*
 * test_lanes.c - the lane index (model/lanes.c): lanes found by id and by
 * name (exactly, or in any case when only one matches) through adds in and
 * out of order, renames, deletes, undo and copies, always the same answer
 * as a search lane by lane; and a lane per step costs no more than a few
 * lanes.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <cmocka.h>

#include "handmade.h"
#include "model/model.h"

/* What a search lane by lane says. */
static const struct lane *
by_name_slow(const struct process *p, const char *name)
{
	const struct lane *fold = NULL;
	size_t i, n = 0;

	for (i = 0; i < p->nlanes; i++)
		if (!strcmp(p->lanes[i]->name, name))
			return p->lanes[i];
	for (i = 0; i < p->nlanes; i++)
		if (!strcasecmp(p->lanes[i]->name, name)) {
			fold = p->lanes[i];
			n++;
		}
	return n == 1 ? fold : NULL;
}

static void
check_all(const struct process *p)
{
	size_t i;

	for (i = 0; i < p->nlanes; i++) {
		assert_ptr_equal(process_lane(p, p->lanes[i]->id), p->lanes[i]);
		assert_int_equal(process_lane_pos(p, p->lanes[i]->id), (long)i);
		assert_ptr_equal(process_lane_named(p, p->lanes[i]->name),
		                 by_name_slow(p, p->lanes[i]->name));
	}
}

static void
apply(struct workbook *w, struct edit *e)
{
	assert_non_null(e);
	assert_int_equal(edit_apply(w, e, NULL), STATUS_OK);
}

static void
test_lookups_through_edits(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = workbook_add_process(w, workbook_new_id(w), "p"), *c;
	struct edit *e = NULL, *inv;
	struct lane after;
	sm_id nurse, lab;
	char name[32], charge[] = "Charge nurse";
	int i;

	(void)state;
	nurse = hm_lane(w, p, "Nurse", STAGE_ONSTAGE, 2);
	lab = hm_lane(w, p, "Lab", STAGE_OFFSTAGE, 1);
	hm_lane(w, p, "lab", STAGE_OFFSTAGE, 1);        /* differs in case only */
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "Lane %d", i);
		hm_lane(w, p, name, (enum stage)(i % STAGE_COUNT_), 0);
	}
	check_all(p);
	assert_ptr_equal(process_lane_named(p, "nurse"), process_lane(p, nurse));
	assert_ptr_equal(process_lane_named(p, "Lab"), process_lane(p, lab));
	assert_null(process_lane_named(p, "LAB"));        /* two match in any case */
	assert_null(process_lane_named(p, "Porter"));
	assert_null(process_lane(p, 999999));
	/* a lane added before the others (its key first) */
	{
		struct lane *l = calloc(1, sizeof *l);

		assert_non_null(l);
		l->id = workbook_new_id(w);
		l->name = strdup("Front");
		l->key = -1;
		assert_int_equal(process_add_lane(p, l), STATUS_OK);
		assert_int_equal(process_lane_pos(p, l->id), 0);
	}
	check_all(p);
	/* renamed through an edit, and back by undo */
	after = *process_lane(p, nurse);
	after.name = charge;
	assert_int_equal(edit_lane_set(w, &after, &e), STATUS_OK);
	apply(w, e);
	assert_null(process_lane_named(p, "Nurse"));
	assert_int_equal(process_lane_named(p, "charge NURSE")->id, nurse);
	check_all(p);
	inv = edit_inverse(e);
	apply(w, inv);
	assert_int_equal(process_lane_named(p, "Nurse")->id, nurse);
	assert_null(process_lane_named(p, "Charge nurse"));
	check_all(p);
	edit_free(&e);
	edit_free(&inv);
	/* renamed in place, as a reader does */
	free(process_lane(p, lab)->name);
	process_lane(p, lab)->name = strdup("Laboratory");
	process_lane_renamed(p, process_lane(p, lab));
	assert_int_equal(process_lane_named(p, "laboratory")->id, lab);
	assert_ptr_equal(process_lane_named(p, "LAB"), by_name_slow(p, "LAB"));  /* one left */
	check_all(p);
	/* deleted */
	assert_int_equal(edit_lane_del(w, lab, &e), STATUS_OK);
	apply(w, e);
	edit_free(&e);
	assert_null(process_lane(p, lab));
	assert_null(process_lane_named(p, "Laboratory"));
	check_all(p);
	/* a copy finds its own lanes */
	c = process_copy(p);
	assert_non_null(c);
	check_all(c);
	assert_ptr_not_equal(process_lane(c, nurse), process_lane(p, nurse));
	process_free(&c);
	workbook_free(&w);
}

static double
add_lanes_s(size_t n)
{
	struct workbook *w = workbook_new();
	struct process *p = workbook_add_process(w, workbook_new_id(w), "p");
	struct timespec a, b;
	char name[32];
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		struct lane *l = calloc(1, sizeof *l);

		snprintf(name, sizeof name, "Lane %zu", i);
		assert_null(process_lane_named(p, name));     /* as the readers ask */
		l->id = workbook_new_id(w);
		l->name = strdup(name);
		l->key = (double)i;
		assert_int_equal(process_add_lane(p, l), STATUS_OK);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_int_equal(process_lane_named(p, "lane 7")->id, p->lanes[7]->id);
	workbook_free(&w);
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
}

/* Twice the lanes take about twice the time, not four times (a search lane
 * by lane per lane added is quadratic); the least of five runs each. */
static void
test_linear(void **state)
{
	double half = 1e9, full = 1e9;
	int r;

	(void)state;
	for (r = 0; r < 5; r++) {
		half = fmin(half, add_lanes_s(20000));
		full = fmin(full, add_lanes_s(40000));
	}
	printf("20000 lanes %.2f ms, 40000 lanes %.2f ms\n", half * 1e3, full * 1e3);
	assert_true(full < 3 * half);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookups_through_edits),
		cmocka_unit_test(test_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
