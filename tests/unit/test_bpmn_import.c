/*
 * test_bpmn_import.c - the BPMN reader on real files and on small files that
 * each show one rule.
 *
 * The corpus: every MIWG reference model and vendor export in tests/data/miwg
 * imports (or, when it holds no process with steps, says so by name); its
 * tasks, lanes and flows are counted a second way, by XPath over a libxml2
 * tree of the same file, matching elements by namespace URI, and compared with
 * what the real workbook builder (import/sink.c) received.
 *
 * The rules: any prefix and ISO-8859-1; nested lanes named by their path and
 * staged by their name; duplicate ids; subprocesses flattened or kept; message
 * flows reported; annotations and documentation as notes; boundary events
 * reported with file and line; BPSim and stepmap's own extension read back;
 * a flow without sourceRef repaired; timers as waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "examples/demo.h"
#include "export/bpmn.h"
#include "import/bpmn.h"
#include "import/sink.h"
#include "model/model.h"
#include "tests/unit/handmade.h"
#include "tests/unit/wbequal.h"

#define MIWG "tests/data/miwg"

static char dir[] = "/tmp/stepmap-bpmn-XXXXXX";

/* An import into a fresh workbook with the real builder. */
struct imported {
	struct workbook *w;
	struct sink_builder *b;
	enum status st;
	struct err err;
	struct bpmn_stats stats;
};

static void
import_with(const char *path, struct bpmn_options opt, struct imported *im)
{
	struct sink sink;

	memset(im, 0, sizeof *im);
	im->w = workbook_new();
	assert_non_null(im->w);
	assert_int_equal(sink_builder_new(im->w, true, &im->b, &sink), STATUS_OK);
	opt.stats = &im->stats;
	im->st = bpmn_read(path, &opt, &sink, &im->err);
}

static void
import_file(const char *path, bool keep_sub, struct imported *im)
{
	import_with(path, (struct bpmn_options){ .keep_subprocesses = keep_sub }, im);
}

static void
imported_done(struct imported *im)
{
	sink_builder_free(&im->b);
	workbook_free(&im->w);
}

static const char *
warnings(const struct imported *im)
{
	return sink_builder_warnings(im->b);
}

static char *
write_doc(const char *name, const char *text)
{
	static char p[512];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return p;
}

static struct step *
step_named(const struct process *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		if (!strcmp(p->steps[i]->name, name))
			return p->steps[i];
	fail_msg("no step named '%s' in '%s'", name, p->name);
	return NULL;
}

/* The flow between the steps named from and to, or NULL. */
static const struct flow *
find_flow(const struct process *p, const char *from, const char *to)
{
	size_t i;

	for (i = 0; i < p->nflows; i++) {
		const struct step *a = process_step(p, p->flows[i]->from);
		const struct step *b = process_step(p, p->flows[i]->to);

		if (a && b && !strcmp(a->name, from) && !strcmp(b->name, to))
			return p->flows[i];
	}
	return NULL;
}

static bool
has_flow(const struct process *p, const char *from, const char *to)
{
	return find_flow(p, from, to) != NULL;
}

/* The flow between the steps named from and to; fails the test when none. */
static const struct flow *
flow_between(const struct process *p, const char *from, const char *to)
{
	const struct flow *f = find_flow(p, from, to);

	if (!f)
		fail_msg("no flow from '%s' to '%s'", from, to);
	return f;
}

/* --- the corpus, counted two ways -------------------------------------------- */

static const char *const flow_nodes[] = {
	"task", "userTask", "manualTask", "serviceTask", "scriptTask", "sendTask",
	"receiveTask", "businessRuleTask", "callActivity", "subProcess", "transaction",
	"adHocSubProcess", "startEvent", "endEvent", "intermediateCatchEvent",
	"intermediateThrowEvent", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
	"eventBasedGateway", "complexGateway", "boundaryEvent", NULL,
};

static bool
is_bpmn(xmlNodePtr n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && n->ns &&
	       !strcmp((const char *)n->ns->href, BPMN_MODEL_NS) &&
	       (!local || !strcmp((const char *)n->name, local));
}

static bool
is_flow_node(xmlNodePtr n)
{
	size_t i;

	for (i = 0; flow_nodes[i]; i++)
		if (is_bpmn(n, flow_nodes[i]))
			return true;
	return false;
}

static double
xpath_count(xmlXPathContextPtr x, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, x);
	double v;

	assert_non_null(o);
	v = o->type == XPATH_NUMBER ? o->floatval : -1;
	xmlXPathFreeObject(o);
	return v;
}

/* What the file should give, counted from its tree. */
struct expect {
	size_t task_steps;           /* flatten: steps of a task type */
	size_t top_steps;            /* keep: direct flow nodes of non-empty processes */
	size_t top_flows;            /* keep: flows between those */
	size_t leaf_lanes;           /* distinct leaf lane paths of non-empty processes */
	size_t processes;            /* with at least one flow node */
};

static void
lane_path(xmlNodePtr lane, char *buf, size_t size)
{
	char tmp[1024];
	xmlChar *name = xmlGetProp(lane, (const xmlChar *)"name");
	xmlChar *id = xmlGetProp(lane, (const xmlChar *)"id");
	const char *own = name && *name ? (const char *)name : id ? (const char *)id : "?";
	xmlNodePtr up = lane->parent ? lane->parent->parent : NULL; /* childLaneSet's lane */

	if (up && is_bpmn(up, "lane")) {
		lane_path(up, tmp, sizeof tmp);
		snprintf(buf, size, "%.500s / %.500s", tmp, own);
	} else {
		snprintf(buf, size, "%s", own);
	}
	xmlFree(name);
	xmlFree(id);
}

static void
count_expected(const char *path, struct expect *e)
{
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING |
	                            XML_PARSE_NOERROR);
	xmlXPathContextPtr x;
	xmlXPathObjectPtr procs;
	int i;

	memset(e, 0, sizeof *e);
	assert_non_null(doc);
	x = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(x, (const xmlChar *)"b", (const xmlChar *)BPMN_MODEL_NS);
	e->task_steps = (size_t)xpath_count(x,
		"count(//b:task|//b:userTask|//b:manualTask|//b:serviceTask|//b:scriptTask"
		"|//b:sendTask|//b:receiveTask|//b:businessRuleTask)");
	procs = xmlXPathEvalExpression((const xmlChar *)"/b:definitions/b:process", x);
	for (i = 0; procs->nodesetval && i < procs->nodesetval->nodeNr; i++) {
		xmlNodePtr p = procs->nodesetval->nodeTab[i], c;
		xmlXPathObjectPtr lanes;
		size_t nodes = 0, nids = 0, j, k, npaths = 0;
		char **ids = NULL, **paths = NULL;

		for (c = p->children; c; c = c->next)
			if (is_flow_node(c))
				nodes++;
		if (!nodes)
			continue;
		e->processes++;
		e->top_steps += nodes;
		ids = calloc(nodes, sizeof *ids);
		for (c = p->children; c; c = c->next)
			if (is_flow_node(c))
				ids[nids++] = (char *)xmlGetProp(c, (const xmlChar *)"id");
		for (c = p->children; c; c = c->next) {
			xmlChar *s, *t;
			bool sf = false, tf = false;

			if (!is_bpmn(c, "sequenceFlow"))
				continue;
			s = xmlGetProp(c, (const xmlChar *)"sourceRef");
			t = xmlGetProp(c, (const xmlChar *)"targetRef");
			for (j = 0; j < nids; j++) {
				sf = sf || (s && ids[j] && !strcmp((char *)s, ids[j]));
				tf = tf || (t && ids[j] && !strcmp((char *)t, ids[j]));
			}
			e->top_flows += sf && tf;
			xmlFree(s);
			xmlFree(t);
		}
		/* a boundary event on a step of the process: a flow (its branch) */
		for (c = p->children; c; c = c->next) {
			xmlChar *a;

			if (!is_bpmn(c, "boundaryEvent"))
				continue;
			a = xmlGetProp(c, (const xmlChar *)"attachedToRef");
			for (j = 0; a && j < nids; j++)
				if (ids[j] && !strcmp((char *)a, ids[j])) {
					e->top_flows++;
					break;
				}
			xmlFree(a);
		}
		for (j = 0; j < nids; j++)
			xmlFree(ids[j]);
		free(ids);
		x->node = p;
		lanes = xmlXPathEvalExpression((const xmlChar *)
			".//b:lane[not(b:childLaneSet/b:lane)]", x);
		paths = calloc(lanes->nodesetval ? (size_t)lanes->nodesetval->nodeNr + 1 : 1,
		               sizeof *paths);
		for (j = 0; lanes->nodesetval && j < (size_t)lanes->nodesetval->nodeNr; j++) {
			char buf[1024];

			/* every leaf lane, even two of one name (lanes by identity) */
			lane_path(lanes->nodesetval->nodeTab[j], buf, sizeof buf);
			paths[npaths++] = strdup(buf);
		}
		e->leaf_lanes += npaths;
		for (k = 0; k < npaths; k++)
			free(paths[k]);
		free(paths);
		xmlXPathFreeObject(lanes);
		x->node = NULL;
	}
	xmlXPathFreeObject(procs);
	xmlXPathFreeContext(x);
	xmlFreeDoc(doc);
}

static size_t
count_task_steps(const struct workbook *w)
{
	size_t i, j, n = 0;

	for (i = 0; i < w->nprocs; i++)
		for (j = 0; j < w->procs[i]->nsteps; j++)
			n += w->procs[i]->steps[j]->type <= STEP_BUSINESSRULE;
	return n;
}

static void
sum(const struct workbook *w, size_t *steps, size_t *flows, size_t *lanes)
{
	size_t i;

	*steps = *flows = *lanes = 0;
	for (i = 0; i < w->nprocs; i++) {
		*steps += w->procs[i]->nsteps;
		*flows += w->procs[i]->nflows;
		*lanes += w->procs[i]->nlanes;
	}
}

static void
check_corpus_file(const char *path, size_t *files, size_t *refused)
{
	struct imported im, keep;
	struct expect e;
	size_t steps, flows, lanes;

	count_expected(path, &e);
	import_file(path, false, &im);
	(*files)++;
	if (!e.processes) {
		/* nothing to import: a precise refusal naming the file */
		assert_int_equal(im.st, STATUS_INPUT);
		assert_non_null(strstr(im.err.msg, path));
		assert_non_null(strstr(im.err.msg, "no process with steps"));
		(*refused)++;
		imported_done(&im);
		return;
	}
	if (im.st != STATUS_OK)
		fail_msg("%s: %s", path, im.err.msg);
	if (count_task_steps(im.w) != e.task_steps)
		fail_msg("%s: %zu task steps imported, the file has %zu", path,
		         count_task_steps(im.w), e.task_steps);
	assert_int_equal(im.w->nprocs, e.processes);
	sum(im.w, &steps, &flows, &lanes);
	if (lanes != e.leaf_lanes)
		fail_msg("%s: %zu lanes imported, the file has %zu leaf lanes", path, lanes,
		         e.leaf_lanes);
	imported_done(&im);

	import_file(path, true, &keep);
	if (keep.st != STATUS_OK)
		fail_msg("%s (keep subprocesses): %s", path, keep.err.msg);
	sum(keep.w, &steps, &flows, &lanes);
	if (steps != e.top_steps || flows != e.top_flows)
		fail_msg("%s (keep subprocesses): %zu steps and %zu flows imported, the file has "
		         "%zu and %zu\n%s", path, steps, flows, e.top_steps, e.top_flows,
		         warnings(&keep));
	imported_done(&keep);
}

static void
test_corpus(void **state)
{
	static const char *const dirs[] = {
		"reference", "bpmnio-18.6.1", "signavio-19.9.0", "camunda-eclipse-3.0.0",
		"bizagi-2.8.0.8",
	};
	size_t d, files = 0, refused = 0;

	(void)state;
	for (d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
		char p[512];
		DIR *dh;
		struct dirent *de;

		snprintf(p, sizeof p, MIWG "/%s", dirs[d]);
		dh = opendir(p);
		assert_non_null(dh);
		while ((de = readdir(dh))) {
			size_t n = strlen(de->d_name);

			if (n < 6 || strcmp(de->d_name + n - 5, ".bpmn"))
				continue;
			snprintf(p, sizeof p, MIWG "/%s/%s", dirs[d], de->d_name);
			check_corpus_file(p, &files, &refused);
		}
		closedir(dh);
	}
	assert_true(files >= 140);
	assert_true(refused <= 2);
}

/* A vendor file with pools, nested lanes, message flows: names and notes. */
static void
test_vendor_collaboration(void **state)
{
	struct imported im;
	const struct process *p;

	(void)state;
	import_file(MIWG "/bpmnio-18.6.1/bpmnio-18.6.1__C.1.0-export.bpmn", false, &im);
	assert_int_equal(im.st, STATUS_OK);
	assert_int_equal(im.w->nprocs, 2);
	p = workbook_process_named(im.w, "Team-Assistant");
	if (!p)
		p = im.w->procs[0];
	assert_non_null(strstr(warnings(&im), "messageFlow"));
	assert_non_null(strstr(warnings(&im), "not represented"));
	imported_done(&im);
}

/* --- rules, one small file each ------------------------------------------------- */

#define NS "http://www.omg.org/spec/BPMN/20100524/MODEL"

static void
test_prefix_and_latin1(void **state)
{
	struct imported im;
	const struct process *p;

	(void)state;
	import_file(write_doc("latin1.bpmn",
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
		"<sem:definitions xmlns:sem=\"" NS "\" xmlns:other=\"" NS "\" id=\"d\">\n"
		"<sem:process id=\"p\" name=\"Caf\xE9 orders\">\n"
		"<sem:startEvent id=\"s\" name=\"Hungry\"/>\n"
		"<other:userTask id=\"t\" name=\"Order a caf\xE9\"/>\n"
		"<sem:endEvent id=\"e\"/>\n"
		"<sem:sequenceFlow id=\"f1\" sourceRef=\"s\" targetRef=\"t\"/>\n"
		"<other:sequenceFlow id=\"f2\" sourceRef=\"t\" targetRef=\"e\" name=\"done\"/>\n"
		"</sem:process></sem:definitions>\n"), false, &im);
	assert_int_equal(im.st, STATUS_OK);
	p = im.w->procs[0];
	assert_string_equal(p->name, "Caf\xC3\xA9 orders");
	assert_int_equal(p->nsteps, 3);
	assert_int_equal(step_named(p, "Order a caf\xC3\xA9")->type, STEP_USER);
	/* an unnamed event has no name: neither "End" nor its id (issue 11) */
	assert_int_equal(step_named(p, "")->type, STEP_END);
	assert_string_equal(p->steps[0]->name, "Hungry");
	assert_true(has_flow(p, "Hungry", "Order a caf\xC3\xA9"));
	assert_int_equal(p->nflows, 2);
	imported_done(&im);
}

static const char lanes_doc[] =
	"<?xml version=\"1.0\"?>\n"
	"<definitions xmlns=\"" NS "\" id=\"d\">\n"
	"<collaboration id=\"c\"><participant id=\"pa\" name=\"Admission\" processRef=\"p\"/>"
	"</collaboration>\n"
	"<process id=\"p\"><laneSet id=\"ls\">\n"
	" <lane id=\"l1\" name=\"Patient\"><flowNodeRef>s</flowNodeRef></lane>\n"
	" <lane id=\"l2\" name=\"Hospital\"><flowNodeRef>a</flowNodeRef><flowNodeRef>b</flowNodeRef>\n"
	"  <childLaneSet id=\"cl\"><lane id=\"l3\" name=\"ED\"><flowNodeRef>a</flowNodeRef>"
	"<flowNodeRef>b</flowNodeRef>\n"
	"   <childLaneSet id=\"cl2\"><lane id=\"l4\" name=\"Triage\"><flowNodeRef>a</flowNodeRef>"
	"</lane><lane id=\"l5\" name=\"Physician\"><flowNodeRef>b</flowNodeRef></lane>"
	"</childLaneSet></lane></childLaneSet></lane>\n"
	" <lane id=\"l6\" name=\"EHR system\"><flowNodeRef>c</flowNodeRef></lane>\n"
	"</laneSet>\n"
	"<startEvent id=\"s\" name=\"Arrives\"/><task id=\"a\" name=\"Triage\"/>"
	"<task id=\"b\" name=\"See physician\"/><serviceTask id=\"c\" name=\"Record\"/>\n"
	"<task id=\"a\" name=\"Twin\"/>\n"
	"<sequenceFlow id=\"f1\" sourceRef=\"s\" targetRef=\"a\"/>"
	"<sequenceFlow id=\"f2\" sourceRef=\"a\" targetRef=\"b\"/>"
	"<sequenceFlow id=\"f3\" sourceRef=\"b\" targetRef=\"c\"/>\n"
	"</process></definitions>\n";

static void
test_lanes_paths_and_stages(void **state)
{
	struct imported im;
	const struct process *p;
	const struct lane *l;

	(void)state;
	import_file(write_doc("lanes.bpmn", lanes_doc), false, &im);
	assert_int_equal(im.st, STATUS_OK);
	p = im.w->procs[0];
	assert_string_equal(p->name, "Admission");
	assert_int_equal(p->nlanes, 4);
	l = process_lane_named(p, "Hospital / ED / Triage");
	assert_non_null(l);
	assert_int_equal(l->stage, STAGE_OFFSTAGE);
	assert_int_equal(step_named(p, "Triage")->lane, l->id);
	assert_int_equal(step_named(p, "See physician")->lane,
	                 process_lane_named(p, "Hospital / ED / Physician")->id);
	assert_int_equal(process_lane_named(p, "Patient")->stage, STAGE_CUSTOMER);
	assert_int_equal(process_lane_named(p, "EHR system")->stage, STAGE_SUPPORT);
	/* the duplicate id: reported, imported, references go to the first */
	assert_non_null(strstr(warnings(&im), "lanes.bpmn:"));
	assert_non_null(strstr(warnings(&im), "id=a: the id is used twice"));
	step_named(p, "Twin");
	assert_true(has_flow(p, "Triage", "See physician"));
	/* flow order: the start first, the twin (unreached) last */
	assert_string_equal(p->steps[0]->name, "Arrives");
	assert_string_equal(p->steps[p->nsteps - 1]->name, "Twin");
	imported_done(&im);
}

static const char sub_doc[] =
	"<?xml version=\"1.0\"?>\n"
	"<definitions xmlns=\"" NS "\" id=\"d\">\n"
	"<process id=\"p\" name=\"Claims\">\n"
	"<startEvent id=\"s\" name=\"Claim\"/>\n"
	"<subProcess id=\"sp\" name=\"Assess\">"
	"<documentation>Done by the claims team.</documentation>\n"
	" <startEvent id=\"is\"/><task id=\"a\" name=\"Read claim\"/>"
	"<task id=\"b\" name=\"Check policy\"/><endEvent id=\"ie\"/>\n"
	" <sequenceFlow id=\"i1\" sourceRef=\"is\" targetRef=\"a\"/>"
	"<sequenceFlow id=\"i2\" sourceRef=\"a\" targetRef=\"b\"/>"
	"<sequenceFlow id=\"i3\" sourceRef=\"b\" targetRef=\"ie\"/>\n"
	"</subProcess>\n"
	"<task id=\"c\" name=\"Pay\"/><endEvent id=\"e\" name=\"Paid\"/>\n"
	"<boundaryEvent id=\"be\" attachedToRef=\"sp\"><timerEventDefinition/></boundaryEvent>\n"
	"<sequenceFlow id=\"f1\" sourceRef=\"s\" targetRef=\"sp\"/>"
	"<sequenceFlow id=\"f2\" sourceRef=\"sp\" targetRef=\"c\" name=\"assessed\"/>"
	"<sequenceFlow id=\"f3\" sourceRef=\"c\" targetRef=\"e\"/>"
	"<sequenceFlow id=\"f4\" sourceRef=\"be\" targetRef=\"e\"/>\n"
	"</process></definitions>\n";

static void
test_subprocess_flattened(void **state)
{
	struct imported im;
	const struct process *p;

	(void)state;
	import_file(write_doc("sub.bpmn", sub_doc), false, &im);
	assert_int_equal(im.st, STATUS_OK);
	p = im.w->procs[0];
	assert_int_equal(p->nsteps, 6);          /* the boundary event is a step */
	assert_string_equal(p->steps[0]->name, "Claim");
	assert_string_equal(p->steps[1]->name, "Read claim");
	assert_string_equal(p->steps[2]->name, "Check policy");
	assert_int_equal(step_named(p, "Pay")->type, STEP_TASK);
	assert_true(has_flow(p, "Claim", "Read claim"));
	assert_true(has_flow(p, "Read claim", "Check policy"));
	assert_true(has_flow(p, "Check policy", "Pay"));
	assert_true(has_flow(p, "Pay", "Paid"));
	/* the boundary event on the flattened subprocess sits on its last step,
	 * and its exception path leads on (issue 11) */
	assert_true(has_flow(p, "Check policy", ""));
	assert_true(has_flow(p, "", "Paid"));
	assert_int_equal(p->nflows, 6);
	assert_non_null(strstr(warnings(&im), "flattened into its parent; its documentation is "
	                                      "kept in the note of 'Read claim'"));
	/* the subprocess's documentation goes to its first step, named */
	assert_string_equal(step_named(p, "Read claim")->note,
	                    "From subProcess 'Assess': Done by the claims team.");
	assert_int_equal(step_named(p, "")->type, STEP_BOUNDARY);
	assert_int_equal(step_named(p, "")->event, EVENT_TIMER);
	assert_null(strstr(warnings(&im), "boundaryEvent"));
	imported_done(&im);

	import_file(write_doc("sub.bpmn", sub_doc), true, &im);
	assert_int_equal(im.st, STATUS_OK);
	p = im.w->procs[0];
	assert_int_equal(p->nsteps, 5);
	assert_int_equal(step_named(p, "Assess")->type, STEP_SUBPROCESS);
	assert_true(has_flow(p, "Assess", ""));  /* the boundary event, on it */
	assert_true(has_flow(p, "Assess", "Pay"));
	assert_non_null(strstr(warnings(&im), "kept as one step"));
	assert_string_equal(step_named(p, "Assess")->note, "Done by the claims team.");
	imported_done(&im);
}

static const char notes_doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<definitions xmlns=\"" NS "\" id=\"d\">\n"
		"<collaboration id=\"c\">"
		"<participant id=\"pc\" name=\"Customer\" processRef=\"p1\"/>"
		"<participant id=\"ps\" name=\"Shop\" processRef=\"p2\"/>"
		"<participant id=\"pb\" name=\"Bank\"/>"
		"<messageFlow id=\"m1\" name=\"order\" sourceRef=\"t1\" targetRef=\"t2\"/>"
		"<messageFlow id=\"m2\" sourceRef=\"t2\" targetRef=\"pb\"/>"
		"</collaboration>\n"
		"<process id=\"p1\"><documentation>Buying online.</documentation>"
		"<sendTask id=\"t1\" name=\"Place order\"><documentation>From the app."
		"</documentation></sendTask>"
		"<textAnnotation id=\"a1\"><text>Often abandoned here</text></textAnnotation>"
		"<association id=\"as1\" sourceRef=\"t1\" targetRef=\"a1\"/>"
		"<textAnnotation id=\"a2\"><text>Peak in December</text></textAnnotation>"
		"</process>\n"
		"<process id=\"p2\"><laneSet><lane id=\"l2\" name=\"Till\"><flowNodeRef>t2</flowNodeRef>"
		"</lane></laneSet><receiveTask id=\"t2\" name=\"Take order\"/></process>\n"
		"</definitions>\n";

static void
test_notes_and_message_flows(void **state)
{
	struct imported im;
	const struct process *p;
	const struct flow *f;

	(void)state;
	import_file(write_doc("notes.bpmn", notes_doc), false, &im);
	assert_int_equal(im.st, STATUS_OK);
	assert_int_equal(im.w->nprocs, 2);
	p = workbook_process_named(im.w, "Customer");
	assert_non_null(p);
	assert_string_equal(step_named(p, "Place order")->note,
	                    "From the app.\n\nOften abandoned here");
	assert_non_null(strstr(p->description, "Buying online."));
	assert_non_null(strstr(p->description, "Peak in December"));
	assert_non_null(workbook_process_named(im.w, "Shop"));
	assert_non_null(strstr(warnings(&im), "messageFlow id=m1 'order' from 'Place order' to "
	                                      "'Take order': not represented"));
	assert_non_null(strstr(warnings(&im), "participant id=pb 'Bank': a pool with no process"));
	assert_int_equal(im.stats.message_flows, 0);
	imported_done(&im);

	/* merge_pools: one process, a lane per pool (the pool's own lanes named
	 * after it), the message flow between them a flow: a hand-off */
	import_with(write_doc("notes.bpmn", notes_doc),
	            (struct bpmn_options){ .merge_pools = true }, &im);
	assert_int_equal(im.st, STATUS_OK);
	assert_int_equal(im.w->nprocs, 1);
	p = im.w->procs[0];
	assert_string_equal(p->name, "Customer + Shop");
	assert_int_equal(p->nsteps, 2);
	assert_int_equal(p->nlanes, 2);
	assert_string_equal(step_lane(p, step_named(p, "Place order"))->name, "Customer");
	assert_string_equal(step_lane(p, step_named(p, "Take order"))->name, "Shop / Till");
	f = flow_between(p, "Place order", "Take order");
	assert_string_equal(f->label, "order");
	assert_int_equal(im.stats.message_flows, 1);
	/* the process's and the annotation's texts stay, the black box is reported */
	assert_non_null(strstr(p->description, "Buying online."));
	assert_non_null(strstr(p->description, "Peak in December"));
	assert_non_null(strstr(warnings(&im), "participant id=pb 'Bank': a pool with no process"));
	assert_null(strstr(warnings(&im), "messageFlow id=m1"));
	imported_done(&im);

	/* one pool: nothing to merge, the names stay */
	import_with(write_doc("lanes.bpmn", lanes_doc),
	            (struct bpmn_options){ .merge_pools = true }, &im);
	assert_int_equal(im.st, STATUS_OK);
	assert_string_equal(im.w->procs[0]->name, "Admission");
	assert_non_null(process_lane_named(im.w->procs[0], "Hospital / ED / Triage"));
	imported_done(&im);
}

static void
test_bpsim_and_extension(void **state)
{
	struct imported im;
	const struct process *p;
	const struct step *s;
	size_t i;
	char buf[DIST_TEXT_MAX];

	(void)state;
	import_file(write_doc("sim.bpmn",
		"<?xml version=\"1.0\"?>\n"
		"<definitions xmlns=\"" NS "\" xmlns:sm=\"" BPMN_STEPMAP_NS "\" "
		"xmlns:bpsim=\"" BPMN_BPSIM2_NS "\" id=\"d\">\n"
		"<process id=\"p\"><laneSet><lane id=\"l\" name=\"Clerks\"><extensionElements>"
		"<sm:lane stage=\"onstage\"/></extensionElements><flowNodeRef>t</flowNodeRef>"
		"</lane></laneSet>\n"
		"<startEvent id=\"s\"/>"
		"<userTask id=\"t\" name=\"Check\"><extensionElements><sm:step value=\"NVA\" "
		"error_rate=\"0.1\" channel=\"phone\" emotion=\"-1\" pain=\"yes\" work=\"7m\"/>"
		"</extensionElements></userTask>\n"
		"<exclusiveGateway id=\"g\"/>"
		"<intermediateCatchEvent id=\"w\" name=\"Wait for reply\"><timerEventDefinition>"
		"<timeDuration>PT15M</timeDuration></timerEventDefinition></intermediateCatchEvent>"
		"<endEvent id=\"e\"/>\n"
		"<sequenceFlow id=\"f1\" sourceRef=\"s\" targetRef=\"t\"/>"
		"<sequenceFlow id=\"f2\" sourceRef=\"t\" targetRef=\"g\"/>"
		"<sequenceFlow id=\"f3\" sourceRef=\"g\" targetRef=\"w\" name=\"unclear\">"
		"<conditionExpression>reply needed</conditionExpression></sequenceFlow>"
		"<sequenceFlow id=\"f4\" sourceRef=\"g\" targetRef=\"e\"/>"
		"<sequenceFlow targetRef=\"e\" id=\"f5\"/>\n"
		"</process>\n"
		"<extensionElements><bpsim:BPSimData><bpsim:Scenario id=\"sc\">"
		"<bpsim:ScenarioParameters baseTimeUnit=\"min\"/>"
		"<bpsim:ElementParameters elementRef=\"t\"><bpsim:TimeParameters><bpsim:ProcessingTime>"
		"<bpsim:TriangularDistribution min=\"3\" mode=\"5\" max=\"10\"/></bpsim:ProcessingTime>"
		"<bpsim:WaitTime><bpsim:NumericParameter value=\"2\"/></bpsim:WaitTime>"
		"</bpsim:TimeParameters></bpsim:ElementParameters>"
		"<bpsim:ElementParameters elementRef=\"f3\"><bpsim:ControlParameters><bpsim:Probability>"
		"<bpsim:FloatingParameter value=\"0.3\"/></bpsim:Probability></bpsim:ControlParameters>"
		"</bpsim:ElementParameters>"
		"<bpsim:ElementParameters elementRef=\"l\"><bpsim:ResourceParameters><bpsim:Quantity>"
		"<bpsim:NumericParameter value=\"3\"/></bpsim:Quantity></bpsim:ResourceParameters>"
		"</bpsim:ElementParameters>"
		"<bpsim:ElementParameters elementRef=\"s\"><bpsim:ControlParameters>"
		"<bpsim:InterTriggerTimer><bpsim:ExponentialDistribution mean=\"7.5\"/>"
		"</bpsim:InterTriggerTimer></bpsim:ControlParameters></bpsim:ElementParameters>"
		"</bpsim:Scenario></bpsim:BPSimData></extensionElements>\n"
		"</definitions>\n"), false, &im);
	if (im.st != STATUS_OK)
		fail_msg("%s", im.err.msg);
	p = im.w->procs[0];
	s = step_named(p, "Check");
	assert_int_equal(s->value, VALUE_NVA);
	assert_true(fabs(s->error_rate - 0.1) < 1e-12);
	assert_string_equal(s->channel, "phone");
	assert_int_equal(s->emotion, -1);
	assert_true(s->pain);
	/* the extension's work wins over BPSim's; BPSim's wait is taken */
	assert_string_equal(dist_format(&s->work, buf, sizeof buf), "7m");
	assert_string_equal(dist_format(&s->wait, buf, sizeof buf), "2m");
	assert_int_equal(process_lane_named(p, "Clerks")->stage, STAGE_ONSTAGE);
	assert_int_equal(process_lane_named(p, "Clerks")->capacity, 3);
	assert_string_equal(dist_format(&p->arrival, buf, sizeof buf), "exp(7m30s)");
	s = step_named(p, "Wait for reply");
	assert_int_equal(s->type, STEP_WAIT);
	assert_string_equal(dist_format(&s->wait, buf, sizeof buf), "15m");
	for (i = 0; i < p->nflows; i++)
		if (p->flows[i]->label && !strcmp(p->flows[i]->label, "unclear")) {
			assert_string_equal(p->flows[i]->condition, "reply needed");
			assert_true(fabs(p->flows[i]->prob - 0.3) < 1e-12);
		}
	/* f5 has no sourceRef and no node lists it: reported, not imported */
	assert_non_null(strstr(warnings(&im), "sequenceFlow id=f5"));
	assert_int_equal(p->nflows, 4);
	imported_done(&im);
}

static void
test_missing_source_repaired(void **state)
{
	struct imported im;
	const struct process *p;

	(void)state;
	import_file(write_doc("repair.bpmn",
		"<?xml version=\"1.0\"?>\n"
		"<definitions xmlns=\"" NS "\" id=\"d\"><process id=\"p\">"
		"<task id=\"a\" name=\"A\"><outgoing>f</outgoing></task>"
		"<task id=\"b\" name=\"B\"><incoming> f </incoming></task>"
		"<sequenceFlow id=\"f\"/></process></definitions>\n"), false, &im);
	assert_int_equal(im.st, STATUS_OK);
	p = im.w->procs[0];
	assert_true(has_flow(p, "A", "B"));
	assert_non_null(strstr(warnings(&im), "no sourceRef; taken from the outgoing of 'A'"));
	imported_done(&im);
}

static void
test_missing_file(void **state)
{
	struct imported im;

	(void)state;
	import_file("/nonexistent/x.bpmn", false, &im);
	assert_int_equal(im.st, STATUS_NOT_FOUND);
	assert_non_null(strstr(im.err.msg, "/nonexistent/x.bpmn: cannot open"));
	imported_done(&im);
}

/* --- stepmap's own files: what its export adds is taken out again ------------- */

/* Export w with the project's writer to name in the test folder; the path. */
static const char *
export_doc(const struct workbook *w, const char *name)
{
	static char p[512];
	struct err err = { 0 };
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	if (bpmn_write(f, w, NULL, &err) != STATUS_OK)
		fail_msg("bpmn_write: %s", err.msg);
	assert_int_equal(fclose(f), 0);
	return p;
}

static const char *
text_or_empty(const char *s)
{
	return s ? s : "";
}

/*
 * The demo exported and read back: 111 steps, not the 112 nodes of the file
 * (the split gateway the export adds after a step that branches is not a
 * step), every step's fields, and the same flow graph edge by edge: the same
 * ends, probabilities, labels and conditions (no condition made up from a
 * label, no label made up from a probability). Then export -> import again,
 * twice: the two workbooks are equal in every object and field.
 */
static void
test_own_export_round_trip(void **state)
{
	struct workbook *w = demo_workbook();
	const struct process *p = workbook_process_named(w, DEMO_PROCESS_NAME), *q;
	struct imported a, b, c;
	struct graph gp, gq;
	char x[DIST_TEXT_MAX], y[DIST_TEXT_MAX];
	size_t i, j, generated = 0;

	(void)state;
	assert_non_null(p);
	import_file(export_doc(w, "demo.bpmn"), false, &a);
	if (a.st != STATUS_OK)
		fail_msg("%s", a.err.msg);
	{
		/* the file does hold nodes that are not steps */
		FILE *f = fopen(export_doc(w, "demo.bpmn"), "r");
		char line[4096];

		assert_non_null(f);
		while (fgets(line, sizeof line, f))
			generated += strstr(line, "<stepmap:generated/>") != NULL;
		fclose(f);
	}
	assert_true(generated > 0);
	assert_int_equal(a.w->nprocs, 1);
	q = a.w->procs[0];
	assert_int_equal(q->nsteps, p->nsteps);
	assert_int_equal(a.stats.steps, p->nsteps);
	for (i = 0; i < p->nsteps; i++) {
		const struct step *s = p->steps[i], *t = step_named(q, s->name);

		assert_int_equal(t->type, s->type);
		assert_string_equal(step_lane(q, t)->name, step_lane(p, s)->name);
		if (!dist_equal(&t->work, &s->work) || !dist_equal(&t->wait, &s->wait))
			fail_msg("'%s': times %s and %s", s->name, dist_format(&t->work, x, sizeof x),
			         dist_format(&t->wait, y, sizeof y));
		assert_int_equal(t->value, s->value);
		assert_true(t->error_rate == s->error_rate && t->cost == s->cost);
		assert_int_equal(t->emotion, s->emotion);
		assert_int_equal(t->pain, s->pain);
		assert_string_equal(text_or_empty(t->channel), text_or_empty(s->channel));
		assert_string_equal(text_or_empty(t->note), text_or_empty(s->note));
	}
	assert_int_equal(process_graph_build(p, &gp), STATUS_OK);
	assert_int_equal(process_graph_build(q, &gq), STATUS_OK);
	assert_int_equal(gq.nedges, gp.nedges);
	for (i = 0; i < gp.nedges; i++) {
		const struct edge *e = &gp.edges[i], *f = NULL;
		const char *from = p->steps[e->from]->name, *to = p->steps[e->to]->name;

		for (j = 0; j < gq.nedges && !f; j++)
			if (!strcmp(q->steps[gq.edges[j].from]->name, from) &&
			    !strcmp(q->steps[gq.edges[j].to]->name, to))
				f = &gq.edges[j];
		if (!f)
			fail_msg("the flow from '%s' to '%s' was not read back", from, to);
		if (fabs(f->prob - e->prob) > 1e-12)
			fail_msg("'%s' -> '%s': probability %g read back as %g", from, to, e->prob,
			         f->prob);
		assert_string_equal(text_or_empty(f->flow->label),
		                    text_or_empty(e->flow ? e->flow->label : NULL));
		assert_string_equal(text_or_empty(f->flow->condition),
		                    text_or_empty(e->flow ? e->flow->condition : NULL));
	}
	graph_done(&gp);
	graph_done(&gq);
	assert_int_equal(q->nmeasures, p->nmeasures);
	for (i = 0; i < p->nmeasures; i++) {
		const struct measure *m = p->measures[i];
		const struct measure *n = process_measure_named(q, m->name);

		assert_non_null(n);
		assert_int_equal(n->clock, m->clock);
		assert_string_equal(process_step(q, n->from)->name, process_step(p, m->from)->name);
		assert_string_equal(process_step(q, n->to)->name, process_step(p, m->to)->name);
	}
	/* stable: what was read once is read the same ever after */
	import_file(export_doc(a.w, "demo2.bpmn"), false, &b);
	assert_int_equal(b.st, STATUS_OK);
	import_file(export_doc(b.w, "demo3.bpmn"), false, &c);
	assert_int_equal(c.st, STATUS_OK);
	assert_workbook_equal(b.w, c.w);
	imported_done(&a);
	imported_done(&b);
	imported_done(&c);
	workbook_free(&w);
}

/* The four kinds of branch out of a decision: a label only, a condition
 * only, both, neither. The export shows a name and a condition on each (the
 * stand-ins: tools show names, bpmnlint wants conditions) and says which are
 * stand-ins; the import takes them out again, whatever they look like (a
 * condition that reads like a percentage stays). */
static void
test_branch_texts_round_trip(void **state)
{
	static const struct {
		const char *label, *cond;
		double prob;
	} br[] = {
		{ "in stock", NULL, 0.4 },
		{ NULL, "stock < 5", 0.3 },
		{ "back order", "supplier has it", 0.2 },
		{ NULL, "10 %", 0.05 },
		{ NULL, NULL, 0.05 },
	};
	struct workbook *w = workbook_new();
	struct process *p = workbook_add_process(w, workbook_new_id(w), "Orders");
	struct dist none = { DIST_NONE, { 0, 0, 0 } };
	struct imported a;
	sm_id d, t[5];
	size_t i, k;

	(void)state;
	d = hm_step(w, p, "In stock?", STEP_DECISION, 0, none, none, 0);
	for (i = 0; i < 5; i++) {
		char name[32];
		struct flow *f;

		snprintf(name, sizeof name, "Branch %zu", i);
		t[i] = hm_step(w, p, name, STEP_TASK, 0, dist_fixed(60), none, 0);
		f = process_flow(p, hm_flow(w, p, d, t[i], br[i].prob, br[i].label));
		f->condition = br[i].cond ? strdup(br[i].cond) : NULL;
	}
	import_file(export_doc(w, "branches.bpmn"), false, &a);
	if (a.st != STATUS_OK)
		fail_msg("%s", a.err.msg);
	for (i = 0; i < 5; i++) {
		const struct process *q = a.w->procs[0];
		const struct flow *f = NULL;
		char name[32];

		snprintf(name, sizeof name, "Branch %zu", i);
		for (k = 0; k < q->nflows && !f; k++)
			if (!strcmp(process_step(q, q->flows[k]->to)->name, name))
				f = q->flows[k];
		assert_non_null(f);
		assert_string_equal(text_or_empty(f->label), text_or_empty(br[i].label));
		assert_string_equal(text_or_empty(f->condition), text_or_empty(br[i].cond));
		assert_true(fabs(f->prob - br[i].prob) < 1e-12);
	}
	imported_done(&a);
	workbook_free(&w);
}

/* A stepmap file with every kind of added node (start, split, join, end) and
 * the stand-ins on the split's branches; the same file from another tool
 * keeps its conditions. */
#define OWN_DOC(EXPORTER) \
	"<?xml version=\"1.0\"?>\n" \
	"<bpmn:definitions xmlns:bpmn=\"" NS "\" xmlns:stepmap=\"" BPMN_STEPMAP_NS "\" " \
	"id=\"d\" exporter=\"" EXPORTER "\">\n" \
	"<bpmn:process id=\"p\" name=\"Orders\">\n" \
	"<bpmn:startEvent id=\"s\"><bpmn:extensionElements><stepmap:generated/>" \
	"</bpmn:extensionElements></bpmn:startEvent>\n" \
	"<bpmn:task id=\"a\" name=\"Take order\"/>\n" \
	"<bpmn:exclusiveGateway id=\"x\" name=\"in stock or 30 %?\"><bpmn:extensionElements>" \
	"<stepmap:generated/></bpmn:extensionElements></bpmn:exclusiveGateway>\n" \
	"<bpmn:task id=\"b\" name=\"Ship\"/><bpmn:task id=\"c\" name=\"Reorder\"/>\n" \
	"<bpmn:exclusiveGateway id=\"j\"><bpmn:extensionElements><stepmap:generated/>" \
	"</bpmn:extensionElements></bpmn:exclusiveGateway>\n" \
	"<bpmn:task id=\"d\" name=\"Invoice\"/>\n" \
	"<bpmn:endEvent id=\"e\"><bpmn:extensionElements><stepmap:generated/>" \
	"</bpmn:extensionElements></bpmn:endEvent>\n" \
	"<bpmn:sequenceFlow id=\"f1\" sourceRef=\"s\" targetRef=\"a\"/>" \
	"<bpmn:sequenceFlow id=\"f2\" sourceRef=\"a\" targetRef=\"x\"/>\n" \
	"<bpmn:sequenceFlow id=\"f3\" name=\"in stock\" sourceRef=\"x\" targetRef=\"b\">" \
	"<bpmn:extensionElements><stepmap:flow probability=\"0.7\"/></bpmn:extensionElements>" \
	"<bpmn:conditionExpression>in stock</bpmn:conditionExpression></bpmn:sequenceFlow>\n" \
	"<bpmn:sequenceFlow id=\"f4\" name=\"30 %\" sourceRef=\"x\" targetRef=\"c\">" \
	"<bpmn:extensionElements><stepmap:flow probability=\"0.3\"/></bpmn:extensionElements>" \
	"<bpmn:conditionExpression>30 %</bpmn:conditionExpression></bpmn:sequenceFlow>\n" \
	"<bpmn:sequenceFlow id=\"f5\" sourceRef=\"b\" targetRef=\"j\"/>" \
	"<bpmn:sequenceFlow id=\"f6\" sourceRef=\"c\" targetRef=\"j\"/>" \
	"<bpmn:sequenceFlow id=\"f7\" sourceRef=\"j\" targetRef=\"d\"/>" \
	"<bpmn:sequenceFlow id=\"f8\" sourceRef=\"d\" targetRef=\"e\"/>\n" \
	"</bpmn:process></bpmn:definitions>\n"

static void
test_generated_nodes(void **state)
{
	struct imported im;
	const struct process *p;
	const struct flow *f;

	(void)state;
	import_file(write_doc("own.bpmn", OWN_DOC("stepmap")), false, &im);
	if (im.st != STATUS_OK)
		fail_msg("%s", im.err.msg);
	p = im.w->procs[0];
	/* steps only; the flows go through what was added, in the file's order */
	assert_int_equal(p->nsteps, 4);
	assert_int_equal(p->nflows, 4);
	assert_int_equal(im.stats.steps, 4);
	f = flow_between(p, "Take order", "Ship");
	assert_string_equal(f->label, "in stock");
	assert_null(f->condition);
	assert_true(fabs(f->prob - 0.7) < 1e-12);
	f = flow_between(p, "Take order", "Reorder");
	assert_null(f->label);
	assert_null(f->condition);
	assert_true(fabs(f->prob - 0.3) < 1e-12);
	assert_true(p->flows[0] == flow_between(p, "Take order", "Ship"));
	assert_true(p->flows[1] == flow_between(p, "Take order", "Reorder"));
	flow_between(p, "Ship", "Invoice");
	flow_between(p, "Reorder", "Invoice");
	assert_string_equal(p->steps[0]->name, "Take order");
	assert_string_equal(p->steps[3]->name, "Invoice");
	assert_string_equal(sink_builder_warnings(im.b), "");
	imported_done(&im);

	/* another tool's file: a condition that repeats the name is its own */
	import_file(write_doc("theirs.bpmn", OWN_DOC("Camunda Modeler")), false, &im);
	assert_int_equal(im.st, STATUS_OK);
	p = im.w->procs[0];
	assert_int_equal(p->nsteps, 4);
	assert_string_equal(flow_between(p, "Take order", "Ship")->condition, "in stock");
	assert_string_equal(flow_between(p, "Take order", "Reorder")->label, "30 %");
	assert_string_equal(flow_between(p, "Take order", "Reorder")->condition, "30 %");
	imported_done(&im);
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
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_vendor_collaboration),
		cmocka_unit_test(test_prefix_and_latin1),
		cmocka_unit_test(test_lanes_paths_and_stages),
		cmocka_unit_test(test_subprocess_flattened),
		cmocka_unit_test(test_notes_and_message_flows),
		cmocka_unit_test(test_bpsim_and_extension),
		cmocka_unit_test(test_missing_source_repaired),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_own_export_round_trip),
		cmocka_unit_test(test_branch_texts_round_trip),
		cmocka_unit_test(test_generated_nodes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
