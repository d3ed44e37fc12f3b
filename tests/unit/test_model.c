/*
 * test_model.c - the model's objects, look-ups, keys, step fields by name,
 * the effective flow graph and ordering by flow.
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

#include "model/model.h"

/* --- building processes by hand (the readers' way in) ------------------ */

static struct process *
new_process(struct workbook *w, const char *name)
{
	struct process *p = workbook_add_process(w, workbook_new_id(w), name);

	assert_non_null(p);
	return p;
}

static struct lane *
add_lane(struct workbook *w, struct process *p, const char *name, enum stage stage)
{
	struct lane *l = calloc(1, sizeof *l);

	assert_non_null(l);
	l->id = workbook_new_id(w);
	l->name = strdup(name);
	l->stage = stage;
	l->key = (double)l->id;
	assert_int_equal(process_add_lane(p, l), STATUS_OK);
	return l;
}

static struct step *
add_step(struct workbook *w, struct process *p, const char *name, enum step_type type)
{
	struct step *s = malloc(sizeof *s);

	assert_non_null(s);
	step_init(s);
	free(s->name);
	s->name = strdup(name);
	s->type = type;
	s->id = workbook_new_id(w);
	s->key = 1024.0 * (double)(p->nsteps + 1);
	assert_int_equal(process_add_step(p, s), STATUS_OK);
	process_reindex(p);
	return s;
}

static struct flow *
add_flow(struct workbook *w, struct process *p, const struct step *a, const struct step *b,
         double prob)
{
	struct flow *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->id = workbook_new_id(w);
	f->from = a->id;
	f->to = b->id;
	f->prob = prob;
	assert_int_equal(process_add_flow(p, f), STATUS_OK);
	return f;
}

/* A chain of n task steps named "s1".."sn". */
static struct process *
chain(struct workbook *w, size_t n)
{
	struct process *p = new_process(w, "chain");
	size_t i;

	for (i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof name, "s%zu", i + 1);
		add_step(w, p, name, STEP_TASK);
	}
	return p;
}

/* --- keywords ----------------------------------------------------------- */

static void
test_keywords(void **state)
{
	int t;

	(void)state;
	for (t = 0; t < STEP_TYPE_COUNT_; t++)
		assert_int_equal(step_type_parse(step_type_name((enum step_type)t)), t);
	assert_int_equal(step_type_parse("MANUAL"), STEP_MANUAL);
	assert_int_equal(step_type_parse("userTask"), STEP_USER);
	assert_int_equal(step_type_parse("nonsense"), -1);
	assert_string_equal(step_type_bpmn(STEP_DECISION), "exclusiveGateway");
	assert_string_equal(step_type_glyph(STEP_MANUAL, false), "M");
	assert_true(step_type_is_manual(STEP_MANUAL));
	assert_true(step_type_is_manual(STEP_USER));
	assert_false(step_type_is_manual(STEP_SERVICE));
	assert_int_equal(stage_parse("Onstage"), STAGE_ONSTAGE);
	assert_string_equal(stage_label(STAGE_OFFSTAGE), "Backstage");
	assert_int_equal(value_class_parse("nva"), VALUE_NVA);
	assert_int_equal(value_class_parse(""), VALUE_NONE);
	assert_int_equal(clock_parse("customer"), CLOCK_CUSTOMER);
	assert_string_equal(clock_name(CLOCK_PROCESS), "process");
	assert_int_equal(cut_kind_parse("automate"), CUT_AUTOMATE);
	assert_int_equal(step_field_parse("error_rate"), FIELD_ERROR_RATE);
	assert_string_equal(step_field_name(FIELD_NOTE), "note");
}

/* --- objects ------------------------------------------------------------- */

static void
test_step_init_copy(void **state)
{
	struct step s, *c;

	(void)state;
	step_init(&s);
	assert_string_equal(s.name, "");
	assert_int_equal(s.type, STEP_TASK);
	assert_int_equal(s.work.kind, DIST_NONE);
	assert_int_equal(s.emotion, EMOTION_NONE);
	assert_null(s.channel);
	free(s.name);
	s.name = strdup("Triage");
	s.note = strdup("by the door");
	c = step_copy(&s);
	assert_non_null(c);
	assert_string_equal(c->name, "Triage");
	assert_ptr_not_equal(c->name, s.name);
	assert_string_equal(c->note, "by the door");
	assert_null(c->channel);
	step_free(&c);
	assert_null(c);
	step_done(&s);
}

static void
test_workbook_lookups(void **state)
{
	struct workbook *w = workbook_new();
	struct process *a, *b;
	struct lane *l;
	struct step *s;
	struct flow *f;

	(void)state;
	a = new_process(w, "Admission");
	b = new_process(w, "Discharge");
	l = add_lane(w, a, "Triage nurse", STAGE_ONSTAGE);
	s = add_step(w, a, "Triage", STEP_TASK);
	f = add_flow(w, a, s, add_step(w, a, "Assess", STEP_TASK), -1);
	assert_ptr_equal(workbook_process(w, b->id), b);
	assert_ptr_equal(workbook_process_named(w, "Discharge"), b);
	assert_ptr_equal(workbook_process_named(w, "1"), a);
	assert_ptr_equal(workbook_process_named(w, "2"), b);
	assert_null(workbook_process_named(w, "3"));
	assert_null(workbook_process_named(w, "x2"));
	assert_ptr_equal(workbook_owner(w, s->id), a);
	assert_ptr_equal(workbook_owner(w, l->id), a);
	assert_ptr_equal(workbook_owner(w, f->id), a);
	assert_ptr_equal(workbook_owner(w, b->id), b);
	assert_null(workbook_owner(w, 9999));
	assert_ptr_equal(process_step(a, s->id), s);
	assert_null(process_step(b, s->id));
	assert_ptr_equal(process_lane_named(a, "Triage nurse"), l);
	assert_ptr_equal(process_lane_named(a, "triage NURSE"), l);
	assert_ptr_equal(process_flow(a, f->id), f);
	s->lane = l->id;
	assert_ptr_equal(step_lane(a, s), l);
	/* New ids come above every id added directly. */
	{
		struct step *x = malloc(sizeof *x);

		step_init(x);
		x->id = 500;
		x->key = 99999;
		assert_int_equal(process_add_step(b, x), STATUS_OK);
		assert_true(workbook_new_id(w) > 500);
		/* The same id twice is refused and the caller keeps it. */
		x = malloc(sizeof *x);
		step_init(x);
		x->id = 500;
		assert_int_equal(process_add_step(b, x), STATUS_INPUT);
		step_free(&x);
	}
	/* A flow to a step of another process is refused. */
	{
		struct flow *g = calloc(1, sizeof *g);

		g->id = workbook_new_id(w);
		g->from = s->id;
		g->to = 500;
		assert_int_equal(process_add_flow(a, g), STATUS_INPUT);
		flow_free(&g);
	}
	workbook_free(&w);
	assert_null(w);
}

static void
test_key_between(void **state)
{
	double k;

	(void)state;
	assert_true(process_key_between(NAN, NAN) == 1024);
	assert_true(process_key_between(NAN, 0) == -1024);
	assert_true(process_key_between(2048, NAN) == 3072);
	k = process_key_between(1024, 2048);
	assert_true(k > 1024 && k < 2048);
	assert_true(isnan(process_key_between(5, 5)));
	assert_true(isnan(process_key_between(1, nextafter(1, 2))));
	assert_true(isnan(process_key_between(6, 5)));
}

static void
test_reindex(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = new_process(w, "p");
	static const double keys[] = { 50, 10, 30, 20, 40, 30 };
	size_t i;

	(void)state;
	for (i = 0; i < 6; i++) {
		struct step *s = malloc(sizeof *s);

		step_init(s);
		s->id = workbook_new_id(w);
		s->key = keys[i];
		assert_int_equal(process_add_step(p, s), STATUS_OK);
	}
	process_reindex(p);
	for (i = 0; i < p->nsteps; i++) {
		assert_int_equal(p->steps[i]->index, i);
		if (i)
			assert_true(p->steps[i - 1]->key < p->steps[i]->key ||
			            (p->steps[i - 1]->key == p->steps[i]->key &&
			             p->steps[i - 1]->id < p->steps[i]->id));
	}
	workbook_free(&w);
}

static void
test_copies(void **state)
{
	struct workbook *w = workbook_new(), *c;
	struct process *p = chain(w, 5), *q;
	struct scenario *sc = calloc(1, sizeof *sc);
	struct cut *k = calloc(1, sizeof *k);

	(void)state;
	add_flow(w, p, p->steps[0], p->steps[3], 0.3);
	sc->id = workbook_new_id(w);
	sc->name = strdup("lean");
	assert_int_equal(process_add_scenario(p, sc), STATUS_OK);
	k->id = 777;
	k->kind = CUT_SET;
	k->field = strdup("work");
	k->value = strdup("5m");
	assert_int_equal(scenario_add_cut(sc, k), STATUS_OK);
	/* A cut added after its scenario is in the process still counts. */
	assert_true(workbook_new_id(w) > 777);

	q = process_copy(p);
	assert_non_null(q);
	assert_int_equal(q->nsteps, 5);
	assert_ptr_not_equal(q->steps[2], p->steps[2]);
	assert_ptr_equal(process_step(q, p->steps[2]->id), q->steps[2]);
	assert_string_equal(q->scenarios[0]->cuts[0]->value, "5m");
	process_free(&q);

	c = workbook_copy(w);
	assert_non_null(c);
	assert_int_equal(c->nprocs, 1);
	assert_int_equal(c->procs[0]->nflows, 1);
	assert_int_equal(c->next_id, w->next_id);
	workbook_free(&c);
	workbook_free(&w);
}

/* --- step fields ------------------------------------------------------------ */

static const struct {
	enum step_field f;
	const char *text;
	const char *back;            /* what step_get_field writes after */
} fields_ok[] = {
	{ FIELD_NAME, "Registration", "Registration" },
	{ FIELD_NAME, "日本語 ü", "日本語 ü" },
	{ FIELD_LANE, "Front desk", "Front desk" },
	{ FIELD_LANE, " front DESK ", "Front desk" },
	{ FIELD_LANE, "", "" },
	{ FIELD_TYPE, "manual", "manual" },
	{ FIELD_TYPE, " Decision ", "decision" },
	{ FIELD_WORK, "tri(3m,5m,10m)", "tri(3m,5m,10m)" },
	{ FIELD_WORK, "1.5h", "1h30m" },
	{ FIELD_WAIT, "", "" },
	{ FIELD_VALUE, "nva", "NVA" },
	{ FIELD_VALUE, "", "" },
	{ FIELD_ERROR_RATE, "0.05", "0.05" },
	{ FIELD_ERROR_RATE, "1", "1" },
	{ FIELD_ERROR_RATE, "", "0" },
	{ FIELD_COST, "12.5", "12.5" },
	{ FIELD_CHANNEL, "phone", "phone" },
	{ FIELD_CHANNEL, "", "" },
	{ FIELD_EMOTION, "-2", "-2" },
	{ FIELD_EMOTION, "+1", "+1" },
	{ FIELD_EMOTION, "0", "0" },
	{ FIELD_EMOTION, "", "" },
	{ FIELD_PAIN, "Yes", "yes" },
	{ FIELD_PAIN, "0", "no" },
	{ FIELD_PAIN, "", "no" },
	{ FIELD_NOTE, "paper form, re-keyed later", "paper form, re-keyed later" },
};

static const struct {
	enum step_field f;
	const char *text;
	const char *msg;
} fields_bad[] = {
	{ FIELD_ERROR_RATE, "1.5", "error_rate: expected a number from 0 to 1, got '1.5'" },
	{ FIELD_ERROR_RATE, "-0.1", "error_rate: expected a number from 0 to 1, got '-0.1'" },
	{ FIELD_ERROR_RATE, "nan", "error_rate: expected a number from 0 to 1, got 'nan'" },
	{ FIELD_ERROR_RATE, "5%", "error_rate: expected a number from 0 to 1, got '5%'" },
	{ FIELD_COST, "-3", "cost: expected a number of 0 or more, got '-3'" },
	{ FIELD_COST, "lots", "cost: expected a number of 0 or more, got 'lots'" },
	{ FIELD_EMOTION, "3", "emotion: expected a whole number from -2 to +2, or empty, got '3'" },
	{ FIELD_EMOTION, "1.5", "emotion: expected a whole number from -2 to +2, or empty, got '1.5'" },
	{ FIELD_PAIN, "maybe", "pain: expected yes or no, got 'maybe'" },
	{ FIELD_VALUE, "great", "value: expected VA, BVA, NVA or empty, got 'great'" },
	{ FIELD_TYPE, "gateway",
	  "type: expected one of task, manual, user, service, script, send, receive, "
	  "businessrule, decision, parallel, wait, start, end, subprocess, throw, boundary, inclusive, eventgateway, complex, call, got 'gateway'" },
	{ FIELD_LANE, "Pharmacy", "lane: no lane named 'Pharmacy' in process 'ED'" },
	{ FIELD_WORK, "5 minutes",
	  "work: expected a duration like 5m or tri(3m,5m,10m), got '5 minutes'" },
	{ FIELD_WAIT, "tri(5m,3m,10m)",
	  "wait: tri(min,mode,max) needs min <= mode <= max, got tri(5m,3m,10m)" },
};

static void
test_fields(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = new_process(w, "ED");
	struct step *s = add_step(w, p, "Arrive", STEP_TASK);
	char buf[256];
	size_t i;

	(void)state;
	add_lane(w, p, "Front desk", STAGE_ONSTAGE);
	for (i = 0; i < sizeof fields_ok / sizeof fields_ok[0]; i++) {
		struct err err = { 0 };

		if (step_set_field(p, s, fields_ok[i].f, fields_ok[i].text, &err) != STATUS_OK)
			fail_msg("%s '%s': %s", step_field_name(fields_ok[i].f), fields_ok[i].text,
			         err.msg);
		assert_string_equal(step_get_field(p, s, fields_ok[i].f, buf, sizeof buf),
		                    fields_ok[i].back);
	}
	for (i = 0; i < sizeof fields_bad / sizeof fields_bad[0]; i++) {
		struct step before = *s;
		struct err err = { 0 };

		assert_int_equal(step_set_field(p, s, fields_bad[i].f, fields_bad[i].text, &err),
		                 STATUS_INPUT);
		assert_string_equal(err.msg, fields_bad[i].msg);
		/* On error the step is unchanged. */
		assert_memory_equal(&before, s, sizeof before);
	}
	/* Every field written reads back to the same text. */
	for (i = 0; i < STEP_FIELD_COUNT_; i++) {
		char again[256];

		step_get_field(p, s, (enum step_field)i, buf, sizeof buf);
		assert_int_equal(step_set_field(p, s, (enum step_field)i, buf, NULL), STATUS_OK);
		assert_string_equal(step_get_field(p, s, (enum step_field)i, again, sizeof again), buf);
	}
	workbook_free(&w);
}

/* --- the flow graph --------------------------------------------------------- */

/* The edge from a to b in g, or NULL. */
static const struct edge *
edge_of(const struct graph *g, size_t a, size_t b)
{
	size_t k;

	for (k = g->out[a]; k < g->out[a + 1]; k++)
		if (g->edges[k].to == b)
			return &g->edges[k];
	return NULL;
}

static size_t
nout(const struct graph *g, size_t i)
{
	return g->out[i + 1] - g->out[i];
}

static size_t
nin(const struct graph *g, size_t i)
{
	return g->in[i + 1] - g->in[i];
}

static void
test_graph_implicit(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = chain(w, 4);
	struct graph g;
	size_t i;

	(void)state;
	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	assert_int_equal(g.nsteps, 4);
	assert_int_equal(g.nedges, 3);
	for (i = 0; i < 3; i++) {
		const struct edge *e = edge_of(&g, i, i + 1);

		assert_non_null(e);
		assert_null(e->flow);
		assert_true(e->prob == 1);
	}
	assert_int_equal(nout(&g, 3), 0);
	assert_int_equal(nin(&g, 0), 0);
	assert_int_equal(nin(&g, 2), 1);
	graph_done(&g);

	/* An end step stops the implicit flow. */
	p->steps[1]->type = STEP_END;
	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	assert_int_equal(g.nedges, 2);
	assert_null(edge_of(&g, 1, 2));
	graph_done(&g);
	workbook_free(&w);
}

/* Issue 11: a process whose flows are explicit (read from BPMN) has no
 * implicit flow: a step without a way out is an end; a message flow is a
 * hand-off, not a path; a boundary flow is a branch with its probability. */
static void
test_graph_explicit(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = chain(w, 4);
	struct flow *f = calloc(1, sizeof *f), *m = calloc(1, sizeof *m);
	struct flow *b = calloc(1, sizeof *b);
	struct graph g;

	(void)state;
	*f = (struct flow){ .id = workbook_new_id(w), .from = p->steps[0]->id,
	                    .to = p->steps[2]->id, .prob = -1 };
	*m = (struct flow){ .id = workbook_new_id(w), .from = p->steps[2]->id,
	                    .to = p->steps[3]->id, .prob = -1, .kind = FLOW_MESSAGE };
	*b = (struct flow){ .id = workbook_new_id(w), .from = p->steps[0]->id,
	                    .to = p->steps[1]->id, .prob = 0.25, .kind = FLOW_BOUNDARY };
	assert_int_equal(process_add_flow(p, f), STATUS_OK);
	assert_int_equal(process_add_flow(p, m), STATUS_OK);
	assert_int_equal(process_add_flow(p, b), STATUS_OK);
	p->flows_explicit = true;
	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	assert_int_equal(g.nedges, 2);           /* 0 -> 2 and the boundary 0 -> 1 */
	assert_non_null(edge_of(&g, 0, 2));
	assert_true(edge_of(&g, 0, 1)->prob == 0.25);
	assert_true(edge_of(&g, 0, 2)->prob == 0.75);
	assert_int_equal(nout(&g, 1), 0);        /* no way out: an end, nothing invented */
	assert_int_equal(nout(&g, 2), 0);        /* the message flow is no path */
	assert_int_equal(nin(&g, 3), 0);
	graph_done(&g);
	/* typed as a list, the same steps flow on in order */
	p->flows_explicit = false;
	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	assert_non_null(edge_of(&g, 1, 2));
	assert_non_null(edge_of(&g, 2, 3));
	graph_done(&g);
	workbook_free(&w);
}

static void
test_graph_decision(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = chain(w, 5);
	struct step **s = p->steps;
	struct graph g;

	(void)state;
	/* s1 is a decision: to s2 and s4, no probabilities: equal split. */
	s[0]->type = STEP_DECISION;
	add_flow(w, p, s[0], s[1], -1);
	add_flow(w, p, s[0], s[3], -1);
	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	assert_int_equal(nout(&g, 0), 2);
	assert_true(edge_of(&g, 0, 1)->prob == 0.5);
	assert_true(edge_of(&g, 0, 3)->prob == 0.5);
	assert_non_null(edge_of(&g, 0, 3)->flow);
	/* s2 and s3 still flow on implicitly; s4 receives two. */
	assert_non_null(edge_of(&g, 1, 2));
	assert_int_equal(nin(&g, 3), 2);
	graph_done(&g);

	/* Given probabilities that do not sum to 1 are normalised. */
	p->flows[0]->prob = 0.6;
	p->flows[1]->prob = 0.2;
	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	assert_true(fabs(edge_of(&g, 0, 1)->prob - 0.75) < 1e-12);
	assert_true(fabs(edge_of(&g, 0, 3)->prob - 0.25) < 1e-12);
	graph_done(&g);

	/* Some given: the others share what is left. */
	p->flows[0]->prob = 0.7;
	p->flows[1]->prob = -1;
	add_flow(w, p, s[0], s[4], -1);
	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	assert_true(fabs(edge_of(&g, 0, 1)->prob - 0.7) < 1e-12);
	assert_true(fabs(edge_of(&g, 0, 3)->prob - 0.15) < 1e-12);
	assert_true(fabs(edge_of(&g, 0, 4)->prob - 0.15) < 1e-12);
	graph_done(&g);

	/* All given as 0: an equal split. */
	p->flows[0]->prob = p->flows[1]->prob = p->flows[2]->prob = 0;
	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	assert_true(fabs(edge_of(&g, 0, 4)->prob - 1.0 / 3) < 1e-12);
	graph_done(&g);
	workbook_free(&w);
}

static void
test_graph_parallel_loop(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = chain(w, 5);
	struct step **s = p->steps;
	struct graph g;
	double sum = 0;
	size_t k;

	(void)state;
	/* s1 splits to s2 and s3, which join at s4 (parallel). */
	s[0]->type = STEP_PARALLEL;
	s[3]->type = STEP_PARALLEL;
	add_flow(w, p, s[0], s[1], -1);
	add_flow(w, p, s[0], s[2], -1);
	add_flow(w, p, s[1], s[3], -1);
	add_flow(w, p, s[2], s[3], -1);
	/* Rework: s5 goes back to s2 one time in ten, else ends. */
	s[4]->type = STEP_DECISION;
	add_flow(w, p, s[4], s[1], 0.1);
	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	assert_true(edge_of(&g, 0, 1)->prob == 1);
	assert_true(edge_of(&g, 0, 2)->prob == 1);
	assert_int_equal(nin(&g, 3), 2);
	/* s2 has an explicit flow, so no implicit one to s3. */
	assert_null(edge_of(&g, 1, 2));
	assert_non_null(edge_of(&g, 3, 4));
	/* One explicit flow out of s5, given 0.1: normalised to 1. */
	assert_int_equal(nout(&g, 4), 1);
	assert_true(edge_of(&g, 4, 1)->prob == 1);
	assert_int_equal(nin(&g, 1), 2);
	/* Every edge listed once among the incoming. */
	for (k = 0; k < g.nedges; k++)
		sum += (double)g.in_edges[k];
	assert_true(sum == (double)(g.nedges * (g.nedges - 1) / 2));
	graph_done(&g);
	workbook_free(&w);
}

static void
test_graph_empty(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = new_process(w, "empty");
	struct graph g;

	(void)state;
	assert_int_equal(process_graph_build(p, &g), STATUS_OK);
	assert_int_equal(g.nsteps, 0);
	assert_int_equal(g.nedges, 0);
	graph_done(&g);
	workbook_free(&w);
}

/* --- ordering by flow -------------------------------------------------------- */

static void
expect_order(const struct process *p, const char *const *names, size_t n)
{
	size_t i;

	assert_int_equal(p->nsteps, n);
	for (i = 0; i < n; i++) {
		if (strcmp(p->steps[i]->name, names[i]) != 0)
			fail_msg("position %zu: '%s', expected '%s'", i, p->steps[i]->name, names[i]);
		assert_int_equal(p->steps[i]->index, i);
		assert_true(p->steps[i]->key == 1024.0 * (double)i);
	}
}

static void
test_order_by_flow(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = new_process(w, "bpmn");
	struct step *end, *b_rare, *join, *a_likely, *dec, *start, *orphan, *rework;

	(void)state;
	/* Read in a jumbled order, as a BPMN file may list them. */
	end = add_step(w, p, "end", STEP_END);
	b_rare = add_step(w, p, "rare", STEP_TASK);
	join = add_step(w, p, "join", STEP_TASK);
	a_likely = add_step(w, p, "likely", STEP_TASK);
	orphan = add_step(w, p, "orphan", STEP_TASK);
	dec = add_step(w, p, "decide", STEP_DECISION);
	rework = add_step(w, p, "check", STEP_DECISION);
	start = add_step(w, p, "start", STEP_START);
	add_flow(w, p, start, dec, -1);
	add_flow(w, p, dec, b_rare, 0.2);
	add_flow(w, p, dec, a_likely, 0.8);
	add_flow(w, p, a_likely, join, -1);
	add_flow(w, p, b_rare, join, -1);
	add_flow(w, p, join, rework, -1);
	add_flow(w, p, rework, end, 0.9);
	add_flow(w, p, rework, dec, 0.1);          /* a loop back */
	/* A loop of its own that nothing reaches: kept, after. */
	{
		struct step *x = add_step(w, p, "x", STEP_TASK), *y = add_step(w, p, "y", STEP_TASK);

		add_flow(w, p, x, y, -1);
		add_flow(w, p, y, x, -1);
	}
	process_order_by_flow(p);
	{
		static const char *const want[] = {
			"start", "decide", "likely", "rare", "join", "check", "end",
			"orphan", "x", "y",
		};

		/* "orphan" has no incoming flow: a root of its own, after the
		 * start's walk; x and y are reached by nothing. */
		expect_order(p, want, 10);
	}
	assert_ptr_equal(process_step(p, orphan->id), orphan);
	workbook_free(&w);
}

static void
test_order_by_flow_sequential(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = chain(w, 6);
	static const char *const want[] = { "s1", "s2", "s3", "s4", "s5", "s6" };

	(void)state;
	/* No explicit flows: the order stays. */
	process_order_by_flow(p);
	expect_order(p, want, 6);
	workbook_free(&w);
}

/* A long chain given backwards: no recursion, the chain comes out in flow
 * order. */
static void
test_order_by_flow_deep(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = new_process(w, "deep");
	size_t n = 200000, i;
	struct step **made = malloc(n * sizeof *made);

	(void)state;
	for (i = 0; i < n; i++) {
		struct step *s = malloc(sizeof *s);

		step_init(s);
		s->id = workbook_new_id(w);
		s->key = (double)(n - i);
		assert_int_equal(process_add_step(p, s), STATUS_OK);
		made[i] = s;
	}
	process_reindex(p);
	for (i = 0; i + 1 < n; i++)
		add_flow(w, p, made[i], made[i + 1], -1);
	process_order_by_flow(p);
	for (i = 0; i < n; i++)
		assert_ptr_equal(p->steps[i], made[i]);
	free(made);
	workbook_free(&w);
}

/* --- the id index ------------------------------------------------------------ */

static void
test_id_index(void **state)
{
	struct workbook *w = workbook_new();
	struct process *p = new_process(w, "ids");
	size_t n = 20000, i, round;
	sm_id *ids = malloc(n * sizeof *ids);

	(void)state;
	for (i = 0; i < n; i++) {
		struct step *s = malloc(sizeof *s);

		step_init(s);
		s->id = ids[i] = workbook_new_id(w);
		s->key = (double)i;
		assert_int_equal(process_add_step(p, s), STATUS_OK);
	}
	/* Delete and re-add, round after round, through edits; every look-up
	 * still finds exactly the steps that are there. */
	for (round = 0; round < 5; round++) {
		for (i = round % 3; i < n; i += 3) {
			struct edit *e = NULL;
			struct step *s = process_step(p, ids[i]);

			if (!s)
				continue;
			assert_int_equal(edit_step_del(w, ids[i], &e), STATUS_OK);
			assert_int_equal(edit_apply(w, e, NULL), STATUS_OK);
			edit_free(&e);
		}
		for (i = 0; i < n; i++) {
			struct step *s = process_step(p, ids[i]);

			/* This round deleted every third step. */
			if (i % 3 == round % 3)
				assert_null(s);
			if (s) {
				assert_int_equal(s->id, ids[i]);
				assert_ptr_equal(p->steps[s->index], s);
			}
		}
		/* Put back what is missing, with the same ids. */
		for (i = 0; i < n; i++) {
			if (!process_step(p, ids[i])) {
				struct step *s = malloc(sizeof *s);

				step_init(s);
				s->id = ids[i];
				s->key = (double)i;
				assert_int_equal(process_add_step(p, s), STATUS_OK);
			}
		}
		process_reindex(p);
		assert_int_equal(p->nsteps, n);
		for (i = 0; i < n; i++)
			assert_int_equal(process_step(p, ids[i])->index, i);
	}
	assert_null(process_step(p, ids[n - 1] + 12345));
	free(ids);
	workbook_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_step_init_copy),
		cmocka_unit_test(test_workbook_lookups),
		cmocka_unit_test(test_key_between),
		cmocka_unit_test(test_reindex),
		cmocka_unit_test(test_copies),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_graph_implicit),
		cmocka_unit_test(test_graph_explicit),
		cmocka_unit_test(test_graph_decision),
		cmocka_unit_test(test_graph_parallel_loop),
		cmocka_unit_test(test_graph_empty),
		cmocka_unit_test(test_order_by_flow),
		cmocka_unit_test(test_order_by_flow_sequential),
		cmocka_unit_test(test_order_by_flow_deep),
		cmocka_unit_test(test_id_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
