/*
 * test_picture.c - the pictures (export/picture.h) and the readout
 * (export/readout.h), drawn for real with cairo and pango into temporary
 * files.
 *
 * The blueprint's geometry, as its drawing code reports it: every step has
 * one box in its lane's band; on each page no two step boxes overlap, no
 * label overlaps a box or another label, and no flow's segment passes
 * through a box; segments are horizontal or vertical and start on the right
 * side of their source's box and end on the left side of their target's. On
 * the demo and its redesign, as SVG rows and as A4 and A3 PDF pages, and on
 * generated processes with random branches, loops and steps without a lane.
 * The check itself finds a fault made on purpose. A PNG carries the
 * resolution asked for (pHYs) and has the pixels it implies; a PNG too large
 * for cairo is refused with a message. The golden thread pairs the demo's
 * customer-clock measure with its process-clock one. The HTML readout has
 * every figure with its exact value and a picture for each asset, and no
 * reference to anything outside itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "examples/demo.h"
#include "export/picture.h"
#include "export/readout.h"
#include "model/figures.h"
#include "tests/unit/handmade.h"

static struct dist
D(const char *text)
{
	struct dist d;

	assert_int_equal(dist_parse(text, NULL, &d, NULL), STATUS_OK);
	return d;
}

/* Draw p (with sc) and return its geometry; the file's size in *bytes. */
static void
draw(const struct process *p, const struct scenario *sc, enum pic_format fmt,
     enum pic_paper paper, struct geo_list *geo, long *bytes)
{
	struct pic_opts o = { fmt, paper, 96 };
	struct err err = { 0 };
	FILE *f = tmpfile();

	assert_non_null(f);
	memset(geo, 0, sizeof *geo);
	if (blueprint_write(f, p, sc, &o, geo, &err) != STATUS_OK)
		fail_msg("blueprint_write: %s", err.msg);
	fseek(f, 0, SEEK_END);
	if (bytes)
		*bytes = ftell(f);
	fclose(f);
}

/* The blueprint's promises on geo for p. */
static void
check_geometry(const struct process *p, const struct geo_list *geo)
{
	char msg[512];
	size_t faults = geo_check(geo, msg, sizeof msg), i, j, *boxes;
	const struct geo_item **box;

	if (faults)
		fail_msg("%zu faults in the geometry; the first: %s", faults, msg);
	boxes = calloc(p->nsteps + 1, sizeof *boxes);
	box = calloc(p->nsteps + 1, sizeof *box);
	assert_non_null(boxes);
	assert_non_null(box);
	for (i = 0; i < geo->n; i++) {
		const struct geo_item *it = &geo->v[i];

		if (it->kind == GEO_STEP) {
			assert_true(it->ref < p->nsteps);
			boxes[it->ref]++;
			box[it->ref] = it;
			assert_true(it->w > 0 && it->h > 0);
		}
	}
	for (i = 0; i < p->nsteps; i++)
		if (boxes[i] != 1)
			fail_msg("step %zu has %zu boxes", i + 1, boxes[i]);
	/* every box lies in the band of its lane, on its page */
	for (i = 0; i < geo->n; i++) {
		const struct geo_item *s = &geo->v[i];
		const struct lane *l;
		size_t li;
		bool inside = false;

		if (s->kind != GEO_STEP)
			continue;
		l = step_lane(p, p->steps[s->ref]);
		for (li = 0; l && li < p->nlanes && p->lanes[li] != l; li++)
			;
		if (!l)
			li = p->nlanes;
		for (j = 0; j < geo->n; j++) {
			const struct geo_item *b = &geo->v[j];

			if (b->kind == GEO_BAND && b->ref == li && b->page == s->page &&
			    s->y >= b->y - 0.01 && s->y + s->h <= b->y + b->h + 0.01)
				inside = true;
		}
		if (!inside)
			fail_msg("step %zu is not inside its lane's band", s->ref + 1);
	}
	/* segments: straight, chained, from a source's right side to a
	 * target's left side */
	for (i = 0; i < geo->n; i++) {
		const struct geo_item *e = &geo->v[i];

		if (e->kind != GEO_EDGE)
			continue;
		assert_true(e->w == 0 || e->h == 0);
		if (i == 0 || geo->v[i - 1].kind != GEO_EDGE || geo->v[i - 1].ref != e->ref ||
		    geo->v[i - 1].ref2 != e->ref2 || geo->v[i - 1].x + geo->v[i - 1].w != e->x ||
		    geo->v[i - 1].y + geo->v[i - 1].h != e->y) {
			const struct geo_item *s = box[e->ref];

			/* the first segment of a flow */
			assert_float_equal(e->x, s->x + s->w, 1e-6);
			assert_true(e->y > s->y && e->y < s->y + s->h);
		}
		if (i + 1 == geo->n || geo->v[i + 1].kind != GEO_EDGE ||
		    geo->v[i + 1].x != e->x + e->w || geo->v[i + 1].y != e->y + e->h) {
			const struct geo_item *t = box[e->ref2];

			assert_float_equal(e->x + e->w, t->x, 1e-6);
			assert_true(e->y + e->h > t->y && e->y + e->h < t->y + t->h);
		}
	}
	free(boxes);
	free(box);
}

static size_t
count_kind(const struct geo_list *g, enum geo_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < g->n; i++)
		n += g->v[i].kind == k;
	return n;
}

/* --- the demo -------------------------------------------------------------------- */

static void
test_demo(void **state)
{
	struct workbook *w = demo_workbook();
	struct process *p = workbook_process_named(w, DEMO_PROCESS_NAME);
	const struct scenario *sc = process_scenario_named(p, DEMO_SCENARIO_NAME);
	static const enum pic_format fmts[] = { PIC_SVG, PIC_PDF };
	size_t f, k;

	(void)state;
	assert_non_null(sc);
	for (f = 0; f < 2; f++)
		for (k = 0; k < PIC_PAPER_COUNT_; k++) {
			struct geo_list g;
			long bytes;

			draw(p, NULL, fmts[f], (enum pic_paper)k, &g, &bytes);
			assert_true(bytes > 10000);
			check_geometry(p, &g);
			/* flows drawn: the demo has hand-offs inside rows */
			assert_true(count_kind(&g, GEO_EDGE) > 100);
			/* three stage lines a row, each named */
			assert_true(count_kind(&g, GEO_LINE) >= 3);
			geo_list_done(&g);
			draw(p, sc, fmts[f], (enum pic_paper)k, &g, NULL);
			check_geometry(p, &g);
			geo_list_done(&g);
		}
	workbook_free(&w);
}

/* A4 pages hold fewer columns than A3, so more pages; each page's boxes
 * stay on it. */
static void
test_pages(void **state)
{
	struct workbook *w = demo_workbook();
	struct process *p = workbook_process_named(w, DEMO_PROCESS_NAME);
	struct geo_list a4, a3;
	size_t i, pages4 = 0, pages3 = 0;

	(void)state;
	draw(p, NULL, PIC_PDF, PIC_PAPER_A4, &a4, NULL);
	draw(p, NULL, PIC_PDF, PIC_PAPER_A3, &a3, NULL);
	for (i = 0; i < a4.n; i++) {
		if (a4.v[i].page + 1 > pages4)
			pages4 = a4.v[i].page + 1;
		if (a4.v[i].kind == GEO_STEP)
			assert_true(a4.v[i].x + a4.v[i].w <= 841.89);
	}
	for (i = 0; i < a3.n; i++) {
		if (a3.v[i].page + 1 > pages3)
			pages3 = a3.v[i].page + 1;
		if (a3.v[i].kind == GEO_STEP)
			assert_true(a3.v[i].x + a3.v[i].w <= 1190.55);
	}
	assert_true(pages4 > pages3);
	assert_true(pages3 > 1);
	geo_list_done(&a4);
	geo_list_done(&a3);
	workbook_free(&w);
}

/* --- generated processes ------------------------------------------------------------ */

static void
test_generated(void **state)
{
	static const char *const names[] = {
		"Go", "Check the form", "Wait in the phone queue for the next free agent to answer",
		"Σ Übergabe an das Bettenmanagement – 病床", "A_very_long_word_without_any_space_to_break_it",
		"<b>&amp; not markup</b>", "bad UTF-8 \xff\xfe here",
		"A name of three hundred characters, give or take, that goes on and on about "
		"everything the clerk has to check before the form can be sent to the ward: the "
		"insurance, the next of kin, the allergies, the medication list, the consent, the "
		"transport, the bed, the porter, the lift, the key to the lift, and the coffee",
	};
	unsigned seed;

	(void)state;
	for (seed = 1; seed <= 5; seed++) {
		struct workbook *w = hm_generated(seed, 40 + 50 * seed, D("1m"), names,
		                                  sizeof names / sizeof names[0]);
		struct process *p = w->procs[0];
		struct geo_list g;

		draw(p, NULL, PIC_SVG, (enum pic_paper)(seed % 2), &g, NULL);
		check_geometry(p, &g);
		geo_list_done(&g);
		draw(p, NULL, PIC_PDF, PIC_PAPER_A4, &g, NULL);
		check_geometry(p, &g);
		geo_list_done(&g);
		workbook_free(&w);
	}
}

/* The check finds what it is there to find. */
static void
test_check_finds_faults(void **state)
{
	struct geo_list g = { 0 };
	struct geo_item boxes[] = {
		{ GEO_STEP, 0, 100, 100, 50, 30, 0, 0 },
		{ GEO_STEP, 0, 200, 100, 50, 30, 1, 0 },
	};
	char msg[256];

	(void)state;
	g.v = malloc(8 * sizeof *g.v);
	g.cap = 8;
	g.v[0] = boxes[0];
	g.v[1] = boxes[1];
	g.n = 2;
	assert_int_equal(geo_check(&g, msg, sizeof msg), 0);
	/* touching is not overlapping; an edge along a border is not through */
	g.v[2] = (struct geo_item){ GEO_EDGE, 0, 150, 110, 50, 0, 0, 1 };
	g.n = 3;
	assert_int_equal(geo_check(&g, msg, sizeof msg), 0);
	/* an edge through the second box */
	g.v[3] = (struct geo_item){ GEO_EDGE, 0, 150, 115, 120, 0, 0, 1 };
	g.n = 4;
	assert_int_equal(geo_check(&g, msg, sizeof msg), 1);
	assert_non_null(strstr(msg, "edge"));
	/* a box over another; on another page it is no fault */
	g.v[3] = (struct geo_item){ GEO_STEP, 0, 120, 120, 50, 30, 2, 0 };
	assert_int_equal(geo_check(&g, msg, sizeof msg), 1);
	g.v[3].page = 1;
	assert_int_equal(geo_check(&g, msg, sizeof msg), 0);
	/* a label over a box */
	g.v[3] = (struct geo_item){ GEO_LABEL, 0, 240, 90, 40, 20, 0, 0 };
	assert_int_equal(geo_check(&g, msg, sizeof msg), 1);
	/* a vertical edge down through a box */
	g.v[3] = (struct geo_item){ GEO_EDGE, 0, 225, 50, 0, 100, 0, 1 };
	assert_int_equal(geo_check(&g, msg, sizeof msg), 1);
	geo_list_done(&g);
}

/* --- PNG -------------------------------------------------------------------------- */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
test_png_dpi(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = workbook_add_process(w, workbook_new_id(w), "Small");
	struct dist z = { DIST_NONE, { 0, 0, 0 } };
	static const double dpis[] = { 72, 150, 300 };
	size_t k;
	sm_id lane;

	(void)state;
	lane = hm_lane(w, p, "Desk", STAGE_ONSTAGE, 1);
	hm_step(w, p, "Greet the customer", STEP_TASK, lane, D("1m"), z, 0);
	hm_step(w, p, "Take the order", STEP_USER, lane, D("2m"), D("5m"), 0);
	for (k = 0; k < 3; k++) {
		struct pic_opts o = { PIC_PNG, PIC_PAPER_A4, dpis[k] };
		struct err err = { 0 };
		unsigned char buf[128];
		FILE *f = tmpfile();
		size_t n;
		uint32_t width, ppm;

		assert_int_equal(blueprint_write(f, p, NULL, &o, NULL, &err), STATUS_OK);
		rewind(f);
		n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		assert_true(n > 70);
		assert_memory_equal(buf, "\x89PNG\r\n\x1a\n", 8);
		assert_memory_equal(buf + 12, "IHDR", 4);
		width = be32(buf + 16);
		/* A4 landscape is 841.89 points wide */
		assert_int_equal(width, (uint32_t)ceil(841.89 * dpis[k] / 72));
		assert_memory_equal(buf + 37, "pHYs", 4);
		ppm = be32(buf + 41);
		assert_int_equal(ppm, (uint32_t)lround(dpis[k] / 0.0254));
		assert_int_equal(be32(buf + 45), ppm);
		assert_int_equal(buf[49], 1);
	}
	workbook_free(&w);
}

static void
test_png_too_large(void **state)
{
	struct workbook *w = demo_workbook();
	struct process *p = workbook_process_named(w, DEMO_PROCESS_NAME);
	struct pic_opts o = { PIC_PNG, PIC_PAPER_A3, 600 };
	struct err err = { 0 };
	FILE *f = tmpfile();

	(void)state;
	assert_int_equal(blueprint_write(f, p, NULL, &o, NULL, &err), STATUS_INPUT);
	assert_non_null(strstr(err.msg, "use SVG or PDF"));
	fclose(f);
	workbook_free(&w);
}

/* --- the golden thread and the readout --------------------------------------------- */

static void
test_thread_pairs(void **state)
{
	struct workbook *w = demo_workbook();
	struct process *p = workbook_process_named(w, DEMO_PROCESS_NAME);
	struct measure *seen = process_measure_named(p, DEMO_MEASURE_SEEN);
	struct measure *admit = process_measure_named(p, DEMO_MEASURE_ADMIT);
	long *pair = chart_thread_pairs(p);
	size_t i;

	(void)state;
	assert_non_null(pair);
	for (i = 0; i < p->nmeasures; i++) {
		if (p->measures[i] == seen)
			assert_true(pair[i] >= 0 && p->measures[pair[i]] == admit);
		else
			assert_int_equal(pair[i], -1);
	}
	free(pair);
	workbook_free(&w);
}

static void
test_readout_html(void **state)
{
	struct workbook *w = demo_workbook();
	struct process *p = workbook_process_named(w, DEMO_PROCESS_NAME);
	struct readout_opts o;
	struct readout *r = NULL;
	struct err err = { 0 };
	struct figures f;
	char *buf = NULL, want[128];
	size_t len = 0, k;
	FILE *m;

	(void)state;
	readout_opts_init(&o);
	o.cases = 500;
	assert_int_equal(readout_new(p, NULL, &o, &r, &err), STATUS_OK);
	m = open_memstream(&buf, &len);
	assert_int_equal(readout_html_write(m, r, &err), STATUS_OK);
	fclose(m);
	assert_int_equal(figures_compute(p, &f), STATUS_OK);
	snprintf(want, sizeof want, "data-key=\"steps\" data-of=\"\" data-value=\"%zu\">%zu<", f.steps,
	         f.steps);
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof want, "data-key=\"handoffs\" data-of=\"\" data-value=\"%zu\"", f.handoffs);
	assert_non_null(strstr(buf, want));
	/* a picture for each asset, inline */
	for (k = 0; k < readout_nassets(r); k++) {
		snprintf(want, sizeof want, "data-picture=\"%s\"><svg", readout_asset_name(r, k));
		assert_non_null(strstr(buf, want));
	}
	/* each picture's ids are its own */
	assert_non_null(strstr(buf, "id=\"p1-"));
	assert_non_null(strstr(buf, "id=\"p6-"));
	/* nothing from outside */
	assert_null(strstr(buf, "http://www.w3.org/1999/xlink\" href=\"http"));
	assert_null(strstr(buf, "src=\"http"));
	assert_null(strstr(buf, "<link"));
	assert_null(strstr(buf, "<?xml"));
	figures_done(&f);
	free(buf);
	readout_free(&r);
	workbook_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_check_finds_faults),
		cmocka_unit_test(test_png_dpi),
		cmocka_unit_test(test_png_too_large),
		cmocka_unit_test(test_thread_pairs),
		cmocka_unit_test(test_readout_html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
