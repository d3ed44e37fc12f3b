/*
 * test_bpmn_di.c - the diagram (BPMN DI) of an imported file through edits
 * and export (issue 11): what the user left alone keeps the file's
 * coordinates as written; a step moved to another lane or retyped, and a
 * flow reconnected, are laid out again, with the flows at a changed step
 * routed anew to where it now is; a rename keeps its place; undo brings the
 * kept diagram back. The file is read by the real reader and builder, edited
 * by the real builders and edit_apply, written by the real writer, and the
 * document read with libxml2's XPath; the kept diagram also through a
 * workbook file, its journal and undo (store/).
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
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "export/bpmn.h"
#include "import/bpmn.h"
#include "import/sink.h"
#include "model/model.h"
#include "model/scenario.h"
#include "store/store.h"

/* A pool with two lanes, four tasks, four flows; numbers as a tool writes
 * them (decimals, a label on one task and one flow). */
static const char source[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\""
	" xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\""
	" xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\""
	" xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\" id=\"d\" targetNamespace=\"x\">\n"
	" <collaboration id=\"c\"><participant id=\"pool\" name=\"Orders\" processRef=\"p\"/></collaboration>\n"
	" <process id=\"p\">\n"
	"  <laneSet id=\"ls\">\n"
	"   <lane id=\"l1\" name=\"Sales\"><flowNodeRef>t1</flowNodeRef><flowNodeRef>t3</flowNodeRef><flowNodeRef>t4</flowNodeRef></lane>\n"
	"   <lane id=\"l2\" name=\"Stock\"><flowNodeRef>t2</flowNodeRef></lane>\n"
	"  </laneSet>\n"
	"  <task id=\"t1\" name=\"Take order\"/>\n"
	"  <task id=\"t2\" name=\"Pick\"/>\n"
	"  <task id=\"t3\" name=\"Bill\"/>\n"
	"  <task id=\"t4\" name=\"Ship\"/>\n"
	"  <sequenceFlow id=\"f1\" sourceRef=\"t1\" targetRef=\"t2\"/>\n"
	"  <sequenceFlow id=\"f2\" sourceRef=\"t2\" targetRef=\"t3\"/>\n"
	"  <sequenceFlow id=\"f3\" name=\"urgent\" sourceRef=\"t1\" targetRef=\"t3\"/>\n"
	"  <sequenceFlow id=\"f4\" sourceRef=\"t3\" targetRef=\"t4\"/>\n"
	" </process>\n"
	" <bpmndi:BPMNDiagram id=\"dia\"><bpmndi:BPMNPlane id=\"pl\" bpmnElement=\"c\">\n"
	"  <bpmndi:BPMNShape id=\"s_pool\" bpmnElement=\"pool\" isHorizontal=\"true\">"
	"<dc:Bounds x=\"100\" y=\"50\" width=\"700.5\" height=\"400\"/></bpmndi:BPMNShape>\n"
	"  <bpmndi:BPMNShape id=\"s_l1\" bpmnElement=\"l1\" isHorizontal=\"true\">"
	"<dc:Bounds x=\"130\" y=\"50\" width=\"670.5\" height=\"200\"/></bpmndi:BPMNShape>\n"
	"  <bpmndi:BPMNShape id=\"s_l2\" bpmnElement=\"l2\" isHorizontal=\"true\">"
	"<dc:Bounds x=\"130\" y=\"250\" width=\"670.5\" height=\"200\"/></bpmndi:BPMNShape>\n"
	"  <bpmndi:BPMNShape id=\"s_t1\" bpmnElement=\"t1\"><dc:Bounds x=\"180.25\" y=\"110\" width=\"100\" height=\"80\"/>"
	"<bpmndi:BPMNLabel><dc:Bounds x=\"190\" y=\"140\" width=\"80.125\" height=\"14\"/></bpmndi:BPMNLabel></bpmndi:BPMNShape>\n"
	"  <bpmndi:BPMNShape id=\"s_t2\" bpmnElement=\"t2\"><dc:Bounds x=\"380\" y=\"310\" width=\"100\" height=\"80\"/></bpmndi:BPMNShape>\n"
	"  <bpmndi:BPMNShape id=\"s_t3\" bpmnElement=\"t3\"><dc:Bounds x=\"580\" y=\"110\" width=\"100\" height=\"80\"/></bpmndi:BPMNShape>\n"
	"  <bpmndi:BPMNShape id=\"s_t4\" bpmnElement=\"t4\"><dc:Bounds x=\"700\" y=\"110\" width=\"90\" height=\"80\"/></bpmndi:BPMNShape>\n"
	"  <bpmndi:BPMNEdge id=\"e1\" bpmnElement=\"f1\"><di:waypoint x=\"280.25\" y=\"150\"/>"
	"<di:waypoint x=\"330\" y=\"150\"/><di:waypoint x=\"330\" y=\"350\"/><di:waypoint x=\"380\" y=\"350\"/></bpmndi:BPMNEdge>\n"
	"  <bpmndi:BPMNEdge id=\"e2\" bpmnElement=\"f2\"><di:waypoint x=\"480\" y=\"350\"/>"
	"<di:waypoint x=\"530\" y=\"350\"/><di:waypoint x=\"530\" y=\"150\"/><di:waypoint x=\"580\" y=\"150\"/></bpmndi:BPMNEdge>\n"
	"  <bpmndi:BPMNEdge id=\"e3\" bpmnElement=\"f3\"><di:waypoint x=\"230\" y=\"110\"/>"
	"<di:waypoint x=\"230\" y=\"80\"/><di:waypoint x=\"630\" y=\"80\"/><di:waypoint x=\"630\" y=\"110\"/>"
	"<bpmndi:BPMNLabel><dc:Bounds x=\"400\" y=\"60\" width=\"40\" height=\"14\"/></bpmndi:BPMNLabel></bpmndi:BPMNEdge>\n"
	"  <bpmndi:BPMNEdge id=\"e4\" bpmnElement=\"f4\"><di:waypoint x=\"680\" y=\"151\"/>"
	"<di:waypoint x=\"700\" y=\"151\"/></bpmndi:BPMNEdge>\n"
	" </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>\n"
	"</definitions>\n";

static char dir[] = "/tmp/stepmap-bpmndi-XXXXXX";
static char path[600];

struct fixture {
	struct workbook *w;
	struct process *p;
	struct doc { char *text; size_t len; xmlDocPtr doc; xmlXPathContextPtr xp; } d;
};

static int
setup(void **state)
{
	static struct fixture fx;
	struct sink_builder *b = NULL;
	struct sink sink;
	struct err err = { 0 };
	FILE *f;

	(void)state;
	strcpy(dir, "/tmp/stepmap-bpmndi-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/orders.bpmn", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(source, f);
	assert_int_equal(fclose(f), 0);
	memset(&fx, 0, sizeof fx);
	fx.w = workbook_new();
	assert_non_null(fx.w);
	assert_int_equal(sink_builder_new(fx.w, true, &b, &sink), STATUS_OK);
	if (bpmn_read(path, NULL, &sink, &err) != STATUS_OK)
		fail_msg("bpmn_read: %s", err.msg);
	sink_builder_free(&b);
	assert_int_equal(fx.w->nprocs, 1);
	fx.p = fx.w->procs[0];
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	xmlXPathFreeContext(fx->d.xp);
	xmlFreeDoc(fx->d.doc);
	free(fx->d.text);
	workbook_free(&fx->w);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Export the workbook, or only the process `only` as scenario (not NULL). */
static void
export_proc(struct fixture *fx, const struct process *only, const char *scenario)
{
	struct err err = { 0 };
	enum status st;
	FILE *f;

	xmlXPathFreeContext(fx->d.xp);
	xmlFreeDoc(fx->d.doc);
	free(fx->d.text);
	memset(&fx->d, 0, sizeof fx->d);
	f = open_memstream(&fx->d.text, &fx->d.len);
	assert_non_null(f);
	st = only ? bpmn_write_processes(f, &only, 1, scenario, &err)
	          : bpmn_write(f, fx->w, NULL, &err);
	fclose(f);
	if (st != STATUS_OK)
		fail_msg("bpmn_write: %s", err.msg);
	fx->d.doc = xmlReadMemory(fx->d.text, (int)fx->d.len, "export.bpmn", NULL, XML_PARSE_NONET);
	assert_non_null(fx->d.doc);
	fx->d.xp = xmlXPathNewContext(fx->d.doc);
	xmlXPathRegisterNs(fx->d.xp, BAD_CAST "bpmndi",
	                   BAD_CAST "http://www.omg.org/spec/BPMN/20100524/DI");
	xmlXPathRegisterNs(fx->d.xp, BAD_CAST "dc", BAD_CAST "http://www.omg.org/spec/DD/20100524/DC");
	xmlXPathRegisterNs(fx->d.xp, BAD_CAST "di", BAD_CAST "http://www.omg.org/spec/DD/20100524/DI");
}

static void
export(struct fixture *fx)
{
	export_proc(fx, NULL, NULL);
}

/* The attributes of the elements expr selects, "a,b c,d ..." (each
 * element's attrs joined by ','), into buf. */
static const char *
attrs(struct fixture *fx, const char *expr, const char *a1, const char *a2, const char *a3,
      const char *a4, char *buf, size_t size)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, fx->d.xp);
	const char *names[] = { a1, a2, a3, a4 };
	int i, k;

	assert_non_null(o);
	buf[0] = '\0';
	for (i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		for (k = 0; k < 4 && names[k]; k++) {
			xmlChar *v = xmlGetProp(o->nodesetval->nodeTab[i], BAD_CAST names[k]);

			snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", k ? "," : i ? " " : "",
			         v ? (const char *)v : "?");
			xmlFree(v);
		}
	}
	xmlXPathFreeObject(o);
	return buf;
}

static const char *
bounds(struct fixture *fx, const char *elem, char *buf, size_t size)
{
	char expr[200];

	snprintf(expr, sizeof expr, "//bpmndi:BPMNShape[@bpmnElement='%s']/dc:Bounds", elem);
	return attrs(fx, expr, "x", "y", "width", "height", buf, size);
}

static const char *
label(struct fixture *fx, const char *kind, const char *elem, char *buf, size_t size)
{
	char expr[200];

	snprintf(expr, sizeof expr, "//bpmndi:%s[@bpmnElement='%s']/bpmndi:BPMNLabel/dc:Bounds",
	         kind, elem);
	return attrs(fx, expr, "x", "y", "width", "height", buf, size);
}

static const char *
points(struct fixture *fx, const char *elem, char *buf, size_t size)
{
	char expr[200];

	snprintf(expr, sizeof expr, "//bpmndi:BPMNEdge[@bpmnElement='%s']/di:waypoint", elem);
	return attrs(fx, expr, "x", "y", NULL, NULL, buf, size);
}

static const struct step *
step_of(struct fixture *fx, const char *source_id)
{
	size_t i;

	for (i = 0; i < fx->p->nsteps; i++)
		if (fx->p->steps[i]->source_id && !strcmp(fx->p->steps[i]->source_id, source_id))
			return fx->p->steps[i];
	fail_msg("no step '%s'", source_id);
	return NULL;
}

static const struct flow *
flow_of(struct fixture *fx, const char *source_id)
{
	size_t i;

	for (i = 0; i < fx->p->nflows; i++)
		if (fx->p->flows[i]->source_id && !strcmp(fx->p->flows[i]->source_id, source_id))
			return fx->p->flows[i];
	fail_msg("no flow '%s'", source_id);
	return NULL;
}

static const struct lane *
lane_of(struct fixture *fx, const char *source_id)
{
	size_t i;

	for (i = 0; i < fx->p->nlanes; i++)
		if (fx->p->lanes[i]->source_id && !strcmp(fx->p->lanes[i]->source_id, source_id))
			return fx->p->lanes[i];
	fail_msg("no lane '%s'", source_id);
	return NULL;
}

static void
apply(struct fixture *fx, struct edit *e, struct edit **undo)
{
	struct err err = { 0 };

	assert_non_null(e);
	if (edit_apply(fx->w, e, &err) != STATUS_OK)
		fail_msg("edit_apply: %s", err.msg);
	if (undo)
		*undo = edit_inverse(e);
	edit_free(&e);
	fx->p = fx->w->procs[0];
}

static void
assert_all_kept(struct fixture *fx)
{
	char b[400];

	assert_string_equal(bounds(fx, "t1", b, sizeof b), "180.25,110,100,80");
	assert_string_equal(label(fx, "BPMNShape", "t1", b, sizeof b), "190,140,80.125,14");
	assert_string_equal(bounds(fx, "t2", b, sizeof b), "380,310,100,80");
	assert_string_equal(bounds(fx, "t3", b, sizeof b), "580,110,100,80");
	assert_string_equal(bounds(fx, "l1", b, sizeof b), "130,50,670.5,200");
	assert_string_equal(bounds(fx, "l2", b, sizeof b), "130,250,670.5,200");
	assert_string_equal(points(fx, "f1", b, sizeof b), "280.25,150 330,150 330,350 380,350");
	assert_string_equal(points(fx, "f2", b, sizeof b), "480,350 530,350 530,150 580,150");
	assert_string_equal(points(fx, "f3", b, sizeof b), "230,110 230,80 630,80 630,110");
	assert_string_equal(label(fx, "BPMNEdge", "f3", b, sizeof b), "400,60,40,14");
	assert_string_equal(points(fx, "f4", b, sizeof b), "680,151 700,151");
}

/* Nothing changed: every coordinate as the file wrote it, the pool too. */
static void
test_unchanged_kept(void **state)
{
	struct fixture *fx = *state;
	char b[400];

	export(fx);
	assert_all_kept(fx);
	/* the pool by its participant (export names it after the process) */
	assert_string_equal(attrs(fx, "//bpmndi:BPMNShape[1]/dc:Bounds", "x", "y", "width", "height",
	                          b, sizeof b), "100,50,700.5,400");
}

/* A rename keeps the step's place; a change of lane lays it out again in
 * its new lane, and routes its flows anew; the others keep theirs; undo
 * brings the kept place back. */
static void
test_moved_step_laid_out(void **state)
{
	struct fixture *fx = *state;
	struct step *a;
	struct edit *e = NULL, *undo = NULL;
	char b[400];
	double x, y, w, h, px, py;
	int n;

	a = step_copy(step_of(fx, "t1"));
	assert_non_null(a);
	free(a->name);
	a->name = strdup("Take the order");
	assert_int_equal(edit_step_set(fx->w, a, &e), STATUS_OK);
	step_free(&a);
	apply(fx, e, NULL);
	export(fx);
	assert_all_kept(fx);

	/* t2 from Stock to Sales */
	a = step_copy(step_of(fx, "t2"));
	assert_non_null(a);
	a->lane = lane_of(fx, "l1")->id;
	assert_int_equal(edit_step_set(fx->w, a, &e), STATUS_OK);
	step_free(&a);
	apply(fx, e, &undo);
	assert_null(step_of(fx, "t2")->di);
	export(fx);
	/* untouched: as written */
	assert_string_equal(bounds(fx, "t1", b, sizeof b), "180.25,110,100,80");
	assert_string_equal(bounds(fx, "t3", b, sizeof b), "580,110,100,80");
	assert_string_equal(bounds(fx, "l1", b, sizeof b), "130,50,670.5,200");
	assert_string_equal(points(fx, "f3", b, sizeof b), "230,110 230,80 630,80 630,110");
	/* t2: laid out, whole numbers, in the middle of Sales (y 50..250) */
	bounds(fx, "t2", b, sizeof b);
	assert_int_equal(sscanf(b, "%lf,%lf,%lf,%lf", &x, &y, &w, &h), 4);
	assert_true(strcmp(b, "380,310,100,80") != 0);
	assert_true(y >= 50 && y + h <= 250);
	assert_true(fabs(y + h / 2 - 150) <= 1);
	/* its flows routed anew: f1 from t1's right side to t2's left, f2 on */
	points(fx, "f1", b, sizeof b);
	assert_true(strcmp(b, "280.25,150 330,150 330,350 380,350") != 0);
	assert_int_equal(sscanf(b, "%lf,%lf%n", &px, &py, &n), 2);
	assert_true(px == 280 && py == 150);        /* t1: x 180.25 + 100, y 110 + 40 */
	assert_non_null(strrchr(b, ' '));
	assert_int_equal(sscanf(strrchr(b, ' ') + 1, "%lf,%lf", &px, &py), 2);
	assert_true(px == x && py == y + (long)h / 2);
	points(fx, "f2", b, sizeof b);
	assert_int_equal(sscanf(b, "%lf,%lf", &px, &py), 2);
	assert_true(px == x + w);

	/* undo: the file's place again, and every coordinate as written */
	apply(fx, undo, NULL);
	assert_non_null(step_of(fx, "t2")->di);
	export(fx);
	assert_all_kept(fx);
}

/* A retyped step is laid out (another shape); a reconnected flow loses its
 * waypoints, not the steps their places. */
static void
test_retype_and_reconnect(void **state)
{
	struct fixture *fx = *state;
	struct step *a;
	struct flow *f;
	struct edit *e = NULL, *undo = NULL;
	char b[400];

	a = step_copy(step_of(fx, "t3"));
	assert_non_null(a);
	a->type = STEP_DECISION;
	assert_int_equal(edit_step_set(fx->w, a, &e), STATUS_OK);
	step_free(&a);
	apply(fx, e, &undo);
	export(fx);
	assert_true(strcmp(bounds(fx, "t3", b, sizeof b), "580,110,100,80") != 0);
	assert_string_equal(bounds(fx, "t2", b, sizeof b), "380,310,100,80");
	assert_string_equal(points(fx, "f1", b, sizeof b), "280.25,150 330,150 330,350 380,350");
	apply(fx, undo, NULL);

	/* f2 now from t1 (t1 -> t3 is f3: from t2 to t1 instead) */
	f = flow_copy(flow_of(fx, "f2"));
	assert_non_null(f);
	f->to = step_of(fx, "t1")->id;
	assert_int_equal(edit_flow_set(fx->w, f, &e), STATUS_OK);
	flow_free(&f);
	apply(fx, e, &undo);
	assert_null(flow_of(fx, "f2")->di);
	export(fx);
	assert_true(strcmp(points(fx, "f2", b, sizeof b), "480,350 530,350 530,150 580,150") != 0);
	assert_string_equal(bounds(fx, "t1", b, sizeof b), "180.25,110,100,80");
	assert_string_equal(bounds(fx, "t2", b, sizeof b), "380,310,100,80");
	assert_string_equal(points(fx, "f1", b, sizeof b), "280.25,150 330,150 330,350 380,350");
	apply(fx, undo, NULL);
	export(fx);
	assert_all_kept(fx);
}

/* Through the workbook file: saved, the kept diagram is there when it is
 * opened again; an edit that moves a step, journalled, and undone from the
 * file, brings its di back (the journal carries it). */
static void
test_workbook_file(void **state)
{
	struct fixture *fx = *state;
	struct store *st = NULL;
	struct workbook *w2 = NULL;
	struct err err = { 0 };
	struct edit *e = NULL;
	struct step *a;
	char wb[700], di[200];

	snprintf(wb, sizeof wb, "%s/orders.stepmap", dir);
	if (store_open(wb, STORE_CREATE, &st, &err) != STATUS_OK ||
	    store_save(st, fx->w, &err) != STATUS_OK)
		fail_msg("store: %s", err.msg);
	snprintf(di, sizeof di, "%s", step_of(fx, "t1")->di);
	a = step_copy(step_of(fx, "t1"));
	assert_non_null(a);
	a->lane = lane_of(fx, "l2")->id;
	assert_int_equal(edit_step_set(fx->w, a, &e), STATUS_OK);
	step_free(&a);
	if (store_do(st, fx->w, e, &err) != STATUS_OK)
		fail_msg("store_do: %s", err.msg);
	fx->p = fx->w->procs[0];
	assert_null(step_of(fx, "t1")->di);
	store_close(&st);
	/* opened again: t1 has no di; undone from the file: it has it again */
	if (store_open(wb, STORE_OPEN, &st, &err) != STATUS_OK ||
	    store_load(st, &w2, &err) != STATUS_OK)
		fail_msg("store: %s", err.msg);
	workbook_free(&fx->w);
	fx->w = w2;
	fx->p = w2->procs[0];
	assert_null(step_of(fx, "t1")->di);
	assert_string_equal(lane_of(fx, "l1")->di, "B 130 50 670.5 200 H1");
	assert_string_equal(fx->p->di, "B 100 50 700.5 400 H1");
	assert_non_null(flow_of(fx, "f3")->di);
	if (store_undo(st, fx->w, NULL, &err) != STATUS_OK)
		fail_msg("store_undo: %s", err.msg);
	fx->p = fx->w->procs[0];
	assert_string_equal(step_of(fx, "t1")->di, di);
	store_close(&st);
	export(fx);
	assert_all_kept(fx);
	unlink(wb);
	snprintf(wb + strlen(wb), sizeof wb - strlen(wb), "-wal");
	unlink(wb);
	wb[strlen(wb) - 4] = '\0';
	snprintf(wb + strlen(wb), sizeof wb - strlen(wb), "-shm");
	unlink(wb);
}

/* A scenario that merges t3 into t2: the derived process keeps what its cut
 * left where it was (t2 too: merged, same lane and type); t3's flow on to
 * t4, now t2's, is routed anew: it keeps no waypoints that lead from where
 * t3 was. */
static void
test_scenario_cut(void **state)
{
	struct fixture *fx = *state;
	struct cut c = { .id = 9001, .key = 1, .kind = CUT_MERGE, .time_factor = 1,
	                 .error_factor = 1 };
	struct cut *cuts[] = { &c };
	struct scenario sc = { .id = 9000, .name = (char *)"one step", .cuts = cuts, .ncuts = 1 };
	struct process *derived = NULL;
	struct err err = { 0 };
	bool *stale = NULL;
	char b[400];
	size_t i;

	c.step = step_of(fx, "t2")->id;
	c.step2 = step_of(fx, "t3")->id;
	if (scenario_apply(fx->p, &sc, &derived, &stale, &err) != STATUS_OK)
		fail_msg("scenario_apply: %s", err.msg);
	assert_false(stale && stale[0]);
	assert_null(process_step(derived, c.step2));
	export_proc(fx, derived, "one step");
	assert_string_equal(bounds(fx, "t1", b, sizeof b), "180.25,110,100,80");
	assert_string_equal(bounds(fx, "t2", b, sizeof b), "380,310,100,80");
	assert_string_equal(bounds(fx, "t4", b, sizeof b), "700,110,90,80");
	assert_string_equal(points(fx, "f1", b, sizeof b), "280.25,150 330,150 330,350 380,350");
	/* f4, now t2 -> t4: from t2's right side, not from where t3 was */
	points(fx, "f4", b, sizeof b);
	assert_true(strncmp(b, "480,350 ", 8) == 0);
	for (i = 0; i < derived->nflows; i++) {
		const struct flow *f = derived->flows[i];

		assert_int_not_equal(f->from, c.step2);
		assert_int_not_equal(f->to, c.step2);
		/* kept only when it still joins what it joined in the file */
		if (f->di)
			assert_true(flow_di_holds(process_flow(fx->p, f->id), f));
	}
	assert_null(strstr(fx->d.text, "x=\"680\" y=\"151\""));
	process_free(&derived);
	free(stale);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unchanged_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_moved_step_laid_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retype_and_reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workbook_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scenario_cut, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
