/*
 * model.c - the process in memory: keyword tables, single objects (copy and
 * free), the workbook and its look-ups, adding objects directly (readers and
 * the store's load), step order and keys, and step fields by name.
 *
 * Edits live in edit.c, the flow graph and flow ordering in graph.c, the id
 * index and the pointer arrays in idmap.c.
 */
#include "model/bounds.h"
#include "model/model_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- keyword tables ------------------------------------------------------ */

static const struct {
	const char *kw, *bpmn, *glyph, *ascii;
	bool human;
} step_types[] = {
#define STEP_TYPE_ROW_(name, kw, bpmn, g, a, h) { kw, bpmn, g, a, h },
	STEP_TYPE_INFO(STEP_TYPE_ROW_)
#undef STEP_TYPE_ROW_
};

static const struct {
	const char *kw, *label;
} stages[] = {
#define STAGE_ROW_(name, kw, label) { kw, label },
	STAGE_INFO(STAGE_ROW_)
#undef STAGE_ROW_
};

static const char *const value_classes[] = {
#define VALUE_ROW_(name, kw) kw,
	VALUE_CLASS_INFO(VALUE_ROW_)
#undef VALUE_ROW_
};

static const char *const clocks[] = { "customer", "process" };

static const char *const cut_kinds[] = {
#define CUT_ROW_(name, kw) kw,
	CUT_KIND_INFO(CUT_ROW_)
#undef CUT_ROW_
};

static const struct {
	const char *kw, *bpmn;
} event_defs[] = {
#define EVENT_DEF_ROW_(name, kw, bpmn) { kw, bpmn },
	EVENT_DEF_INFO(EVENT_DEF_ROW_)
#undef EVENT_DEF_ROW_
};

static const char *const flow_kinds[] = {
#define FLOW_KIND_ROW_(name, kw) kw,
	FLOW_KIND_INFO(FLOW_KIND_ROW_)
#undef FLOW_KIND_ROW_
};

static const char *const step_fields[] = {
#define FIELD_ROW_(name, kw) kw,
	STEP_FIELD_INFO(FIELD_ROW_)
#undef FIELD_ROW_
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static int
keyword_find(const char *const *kws, size_t n, size_t stride, const char *s)
{
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < n; i++) {
		const char *kw = *(const char *const *)(const void *)((const char *)kws + i * stride);

		if (strcasecmp(kw, s) == 0)
			return (int)i;
	}
	return -1;
}

const char *
step_type_name(enum step_type t)
{
	return (unsigned)t < STEP_TYPE_COUNT_ ? step_types[t].kw : "task";
}

const char *
step_type_bpmn(enum step_type t)
{
	return (unsigned)t < STEP_TYPE_COUNT_ ? step_types[t].bpmn : "task";
}

const char *
step_type_glyph(enum step_type t, bool utf8)
{
	if ((unsigned)t >= STEP_TYPE_COUNT_)
		t = STEP_TASK;
	return utf8 ? step_types[t].glyph : step_types[t].ascii;
}

const char *
event_def_name(enum event_def e)
{
	return (unsigned)e < EVENT_DEF_COUNT_ ? event_defs[e].kw : "";
}

const char *
event_def_bpmn(enum event_def e)
{
	return (unsigned)e < EVENT_DEF_COUNT_ ? event_defs[e].bpmn : "";
}

int
event_def_parse(const char *s)
{
	int k = keyword_find(&event_defs[0].kw, EVENT_DEF_COUNT_, sizeof event_defs[0], s);

	if (k < 0 && s && *s)
		k = keyword_find(&event_defs[0].bpmn, EVENT_DEF_COUNT_, sizeof event_defs[0], s);
	return k;
}

const char *
flow_kind_name(enum flow_kind k)
{
	return (unsigned)k < FLOW_KIND_COUNT_ ? flow_kinds[k] : "";
}

int
flow_kind_parse(const char *s)
{
	return keyword_find(flow_kinds, FLOW_KIND_COUNT_, sizeof flow_kinds[0], s);
}

bool
step_type_is_gateway(enum step_type t)
{
	return t == STEP_DECISION || t == STEP_PARALLEL || t == STEP_INCLUSIVE ||
	       t == STEP_EVENTGW || t == STEP_COMPLEX;
}

bool
step_type_is_event(enum step_type t)
{
	return t == STEP_START || t == STEP_WAIT || t == STEP_THROW || t == STEP_BOUNDARY ||
	       t == STEP_END;
}

bool
step_type_is_manual(enum step_type t)
{
	return (unsigned)t < STEP_TYPE_COUNT_ && step_types[t].human;
}

/* A keyword ("manual") or its BPMN element ("manualTask"). */
int
step_type_parse(const char *s)
{
	int k = keyword_find(&step_types[0].kw, STEP_TYPE_COUNT_, sizeof step_types[0], s);

	if (k < 0)
		k = keyword_find(&step_types[0].bpmn, STEP_TYPE_COUNT_, sizeof step_types[0], s);
	return k;
}

const char *
stage_name(enum stage s)
{
	return (unsigned)s < STAGE_COUNT_ ? stages[s].kw : "offstage";
}

const char *
stage_label(enum stage s)
{
	return (unsigned)s < STAGE_COUNT_ ? stages[s].label : "";
}

int
stage_parse(const char *s)
{
	return keyword_find(&stages[0].kw, STAGE_COUNT_, sizeof stages[0], s);
}

const char *
value_class_name(enum value_class v)
{
	return (unsigned)v < VALUE_CLASS_COUNT_ ? value_classes[v] : "";
}

int
value_class_parse(const char *s)
{
	return keyword_find(value_classes, VALUE_CLASS_COUNT_, sizeof value_classes[0], s);
}

const char *
clock_name(enum clock c)
{
	return (unsigned)c < CLOCK_COUNT_ ? clocks[c] : "process";
}

int
clock_parse(const char *s)
{
	return keyword_find(clocks, CLOCK_COUNT_, sizeof clocks[0], s);
}

const char *
cut_kind_name(enum cut_kind k)
{
	return (unsigned)k < CUT_KIND_COUNT_ ? cut_kinds[k] : "";
}

int
cut_kind_parse(const char *s)
{
	return keyword_find(cut_kinds, CUT_KIND_COUNT_, sizeof cut_kinds[0], s);
}

const char *
step_field_name(enum step_field f)
{
	return (unsigned)f < STEP_FIELD_COUNT_ ? step_fields[f] : "";
}

int
step_field_parse(const char *s)
{
	return keyword_find(step_fields, STEP_FIELD_COUNT_, sizeof step_fields[0], s);
}

/* --- single objects ------------------------------------------------------- */

char *
model_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

bool
model_str_equal(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

void
step_init(struct step *s)
{
	memset(s, 0, sizeof *s);
	s->name = strdup("");
	s->type = STEP_TASK;
	s->work.kind = DIST_NONE;
	s->wait.kind = DIST_NONE;
	s->value = VALUE_NONE;
	s->emotion = EMOTION_NONE;
}

struct step *
step_copy(const struct step *s)
{
	struct step *c = malloc(sizeof *c);

	if (!c)
		return NULL;
	*c = *s;
	c->name = strdup(s->name ? s->name : "");
	c->channel = model_strdup(s->channel);
	c->note = model_strdup(s->note);
	c->called = model_strdup(s->called);
	c->source_id = model_strdup(s->source_id);
	c->di = model_strdup(s->di);
	if (!c->name || (s->channel && !c->channel) || (s->note && !c->note) ||
	    (s->called && !c->called) || (s->source_id && !c->source_id) ||
	    (s->di && !c->di)) {
		step_free(&c);
		return NULL;
	}
	return c;
}

bool
step_di_holds(const struct step *was, const struct step *is)
{
	return was && was->lane == is->lane && was->type == is->type;
}

bool
flow_di_holds(const struct flow *was, const struct flow *is)
{
	return was && was->from == is->from && was->to == is->to;
}

void
step_done(struct step *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->channel);
	free(s->note);
	free(s->called);
	free(s->source_id);
	free(s->di);
	s->name = s->channel = s->note = s->called = s->source_id = s->di = NULL;
}

void
step_free(struct step **s)
{
	if (!s || !*s)
		return;
	step_done(*s);
	free(*s);
	*s = NULL;
}

struct lane *
lane_copy(const struct lane *l)
{
	struct lane *c = malloc(sizeof *c);

	if (!c)
		return NULL;
	*c = *l;
	c->name = strdup(l->name ? l->name : "");
	c->source_id = model_strdup(l->source_id);
	c->di = model_strdup(l->di);
	if (!c->name || (l->source_id && !c->source_id) || (l->di && !c->di)) {
		free(c->name);
		free(c->source_id);
		free(c->di);
		free(c);
		return NULL;
	}
	return c;
}

void
lane_free(struct lane **l)
{
	if (!l || !*l)
		return;
	free((*l)->name);
	free((*l)->source_id);
	free((*l)->di);
	free(*l);
	*l = NULL;
}

struct flow *
flow_copy(const struct flow *f)
{
	struct flow *c = malloc(sizeof *c);

	if (!c)
		return NULL;
	*c = *f;
	c->label = model_strdup(f->label);
	c->condition = model_strdup(f->condition);
	c->source_id = model_strdup(f->source_id);
	c->di = model_strdup(f->di);
	if ((f->label && !c->label) || (f->condition && !c->condition) ||
	    (f->source_id && !c->source_id) || (f->di && !c->di)) {
		flow_free(&c);
		return NULL;
	}
	return c;
}

void
flow_free(struct flow **f)
{
	if (!f || !*f)
		return;
	free((*f)->label);
	free((*f)->condition);
	free((*f)->source_id);
	free((*f)->di);
	free(*f);
	*f = NULL;
}

struct measure *
measure_copy(const struct measure *m)
{
	struct measure *c = malloc(sizeof *c);

	if (!c)
		return NULL;
	*c = *m;
	c->name = strdup(m->name ? m->name : "");
	if (!c->name) {
		free(c);
		return NULL;
	}
	return c;
}

void
measure_free(struct measure **m)
{
	if (!m || !*m)
		return;
	free((*m)->name);
	free(*m);
	*m = NULL;
}

struct cut *
cut_copy(const struct cut *c)
{
	struct cut *k = malloc(sizeof *k);

	if (!k)
		return NULL;
	*k = *c;
	k->field = model_strdup(c->field);
	k->value = model_strdup(c->value);
	if ((c->field && !k->field) || (c->value && !k->value)) {
		cut_free(&k);
		return NULL;
	}
	return k;
}

void
cut_free(struct cut **c)
{
	if (!c || !*c)
		return;
	free((*c)->field);
	free((*c)->value);
	free(*c);
	*c = NULL;
}

struct scenario *
scenario_copy(const struct scenario *sc, bool with_cuts)
{
	struct scenario *c = calloc(1, sizeof *c);
	size_t i;

	if (!c)
		return NULL;
	c->id = sc->id;
	if (!(c->name = strdup(sc->name ? sc->name : "")))
		goto nomem;
	if (with_cuts && sc->ncuts) {
		if (!(c->cuts = malloc(model_cap(sc->ncuts) * sizeof *c->cuts)))
			goto nomem;
		for (i = 0; i < sc->ncuts; i++, c->ncuts++)
			if (!(c->cuts[i] = cut_copy(sc->cuts[i])))
				goto nomem;
	}
	return c;
nomem:
	scenario_free(&c);
	return NULL;
}

void
scenario_free(struct scenario **sc)
{
	size_t i;

	if (!sc || !*sc)
		return;
	for (i = 0; i < (*sc)->ncuts; i++)
		cut_free(&(*sc)->cuts[i]);
	free((*sc)->cuts);
	free((*sc)->name);
	free(*sc);
	*sc = NULL;
}

struct process_head *
process_head_of(const struct process *p)
{
	struct process_head *h = calloc(1, sizeof *h);

	if (!h)
		return NULL;
	h->id = p->id;
	h->key = p->key;
	h->arrival = p->arrival;
	h->time_unit = p->time_unit;
	h->flows_explicit = p->flows_explicit;
	h->name = strdup(p->name ? p->name : "");
	h->description = model_strdup(p->description);
	h->di = model_strdup(p->di);
	if (!h->name || (p->description && !h->description) || (p->di && !h->di))
		process_head_free(&h);
	return h;
}

void
process_head_free(struct process_head **h)
{
	if (!h || !*h)
		return;
	free((*h)->name);
	free((*h)->description);
	free((*h)->di);
	free(*h);
	*h = NULL;
}

/* --- processes ------------------------------------------------------------- */

struct process *
process_new(sm_id id, const char *name, size_t hint)
{
	struct process *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->id = id;
	p->arrival.kind = DIST_NONE;
	p->name = strdup(name ? name : "");
	p->step_ids = idmap_new(hint);
	p->lane_ix = laneix_new();
	if (!p->name || !p->step_ids || !p->lane_ix) {
		process_free(&p);
		return NULL;
	}
	idmap_note(p->step_ids, id);
	return p;
}

void
process_free(struct process **pp)
{
	struct process *p;
	size_t i;

	if (!pp || !*pp)
		return;
	p = *pp;
	for (i = 0; i < p->nlanes; i++)
		lane_free(&p->lanes[i]);
	for (i = 0; i < p->nsteps; i++)
		step_free(&p->steps[i]);
	for (i = 0; i < p->nflows; i++)
		flow_free(&p->flows[i]);
	for (i = 0; i < p->nmeasures; i++)
		measure_free(&p->measures[i]);
	for (i = 0; i < p->nscenarios; i++)
		scenario_free(&p->scenarios[i]);
	free(p->lanes);
	free(p->steps);
	free(p->flows);
	free(p->measures);
	free(p->scenarios);
	idmap_free(&p->step_ids);
	laneix_free(&p->lane_ix);
	log_summary_free(&p->log);
	free(p->name);
	free(p->description);
	free(p->di);
	free(p);
	*pp = NULL;
}

/* Copy n objects with copy() into a new array of model capacity. */
#define COPY_ARRAY_(dst, src, n, copy) \
	do { \
		size_t i_; \
		if ((n) && !((dst) = calloc(model_cap(n), sizeof *(dst)))) \
			goto nomem; \
		for (i_ = 0; i_ < (n); i_++) \
			if (!((dst)[i_] = copy((src)[i_]))) \
				goto nomem; \
	} while (0)

static struct scenario *
scenario_copy_all(const struct scenario *sc)
{
	return scenario_copy(sc, true);
}

struct process *
process_copy(const struct process *p)
{
	struct process *c = process_new(p->id, p->name, p->nsteps);
	size_t i;

	if (!c)
		return NULL;
	c->key = p->key;
	c->arrival = p->arrival;
	c->time_unit = p->time_unit;
	c->flows_explicit = p->flows_explicit;
	if (p->description && !(c->description = strdup(p->description)))
		goto nomem;
	if (p->di && !(c->di = strdup(p->di)))
		goto nomem;
	if (p->log && !(c->log = log_summary_copy(p->log)))
		goto nomem;
	/* Counts go up as the copies are made, so a failure frees only what
	 * was copied. */
	COPY_ARRAY_(c->lanes, p->lanes, (c->nlanes = p->nlanes), lane_copy);
	COPY_ARRAY_(c->steps, p->steps, (c->nsteps = p->nsteps), step_copy);
	COPY_ARRAY_(c->flows, p->flows, (c->nflows = p->nflows), flow_copy);
	COPY_ARRAY_(c->measures, p->measures, (c->nmeasures = p->nmeasures), measure_copy);
	COPY_ARRAY_(c->scenarios, p->scenarios, (c->nscenarios = p->nscenarios),
	            scenario_copy_all);
	for (i = 0; i < c->nsteps; i++) {
		const struct id_slot *s = idmap_get(p->step_ids, p->steps[i]->id);

		if (idmap_put(c->step_ids, c->steps[i]->id, c->steps[i], s ? s->aux : 0) != STATUS_OK)
			goto nomem;
	}
	c->step_ids->max_id = p->step_ids ? p->step_ids->max_id : p->id;
	c->step_ids->cuts_seen = p->step_ids ? p->step_ids->cuts_seen : 0;
	return c;
nomem:
	/* The arrays may hold NULLs past what was copied: free what is there. */
	for (i = 0; c->lanes && i < c->nlanes && c->lanes[i]; i++)
		lane_free(&c->lanes[i]);
	for (i = 0; c->steps && i < c->nsteps && c->steps[i]; i++)
		step_free(&c->steps[i]);
	for (i = 0; c->flows && i < c->nflows && c->flows[i]; i++)
		flow_free(&c->flows[i]);
	for (i = 0; c->measures && i < c->nmeasures && c->measures[i]; i++)
		measure_free(&c->measures[i]);
	for (i = 0; c->scenarios && i < c->nscenarios && c->scenarios[i]; i++)
		scenario_free(&c->scenarios[i]);
	c->nlanes = c->nsteps = c->nflows = c->nmeasures = c->nscenarios = 0;
	process_free(&c);
	return NULL;
}

/* --- the workbook ----------------------------------------------------------- */

struct workbook *
workbook_new(void)
{
	struct workbook *w = calloc(1, sizeof *w);

	if (w)
		w->next_id = 1;
	return w;
}

void
workbook_free(struct workbook **w)
{
	size_t i;

	if (!w || !*w)
		return;
	for (i = 0; i < (*w)->nprocs; i++)
		process_free(&(*w)->procs[i]);
	free((*w)->procs);
	free(*w);
	*w = NULL;
}

/* The largest id in p, cuts included (cuts are counted again only when their
 * number changed since the last look). */
static sm_id
process_max_id(const struct process *p)
{
	struct id_index *m = p->step_ids;
	size_t i, j, ncuts = 0;

	if (!m)
		return p->id;
	for (i = 0; i < p->nscenarios; i++)
		ncuts += p->scenarios[i]->ncuts;
	if (ncuts != m->cuts_seen) {
		for (i = 0; i < p->nscenarios; i++)
			for (j = 0; j < p->scenarios[i]->ncuts; j++)
				idmap_note(m, p->scenarios[i]->cuts[j]->id);
		m->cuts_seen = ncuts;
	}
	return m->max_id > p->id ? m->max_id : p->id;
}

sm_id
workbook_new_id(struct workbook *w)
{
	size_t i;

	for (i = 0; i < w->nprocs; i++) {
		sm_id m = process_max_id(w->procs[i]);

		if (m >= w->next_id)
			w->next_id = m + 1;
	}
	if (w->next_id < 1)
		w->next_id = 1;
	return w->next_id++;
}

struct workbook *
workbook_copy(const struct workbook *w)
{
	struct workbook *c = workbook_new();
	size_t i;

	if (!c)
		return NULL;
	c->next_id = w->next_id;
	if (w->nprocs && !(c->procs = calloc(model_cap(w->nprocs), sizeof *c->procs)))
		goto nomem;
	for (i = 0; i < w->nprocs; i++, c->nprocs++)
		if (!(c->procs[i] = process_copy(w->procs[i])))
			goto nomem;
	return c;
nomem:
	workbook_free(&c);
	return NULL;
}

struct process *
workbook_process(const struct workbook *w, sm_id id)
{
	size_t i;

	for (i = 0; w && i < w->nprocs; i++)
		if (w->procs[i]->id == id)
			return w->procs[i];
	return NULL;
}

struct process *
workbook_process_named(const struct workbook *w, const char *name)
{
	size_t i, n = 0;

	if (!w || !name)
		return NULL;
	for (i = 0; i < w->nprocs; i++)
		if (model_str_equal(w->procs[i]->name, name))
			return w->procs[i];
	if (!*name || strlen(name) > 9)
		return NULL;
	for (i = 0; name[i]; i++) {
		if (!isdigit((unsigned char)name[i]))
			return NULL;
		n = n * 10 + (size_t)(name[i] - '0');
	}
	return n >= 1 && n <= w->nprocs ? w->procs[n - 1] : NULL;
}

/* Binary search of an id-ordered array of objects whose first member is
 * their id. */
#define ID_FIND_(arr, n, id, found) \
	do { \
		size_t lo_ = 0, hi_ = (n); \
		while (lo_ < hi_) { \
			size_t mid_ = lo_ + (hi_ - lo_) / 2; \
			if ((arr)[mid_]->id < (id)) \
				lo_ = mid_ + 1; \
			else \
				hi_ = mid_; \
		} \
		*(found) = lo_ < (n) && (arr)[lo_]->id == (id); \
		return lo_; \
	} while (0)

size_t
flows_find(const struct process *p, sm_id id, bool *found)
{
	ID_FIND_(p->flows, p->nflows, id, found);
}

size_t
measures_find(const struct process *p, sm_id id, bool *found)
{
	ID_FIND_(p->measures, p->nmeasures, id, found);
}

size_t
scenarios_find(const struct process *p, sm_id id, bool *found)
{
	ID_FIND_(p->scenarios, p->nscenarios, id, found);
}

static bool
process_has_id(const struct process *p, sm_id id)
{
	size_t i, j;
	bool found;

	if (p->id == id || process_step(p, id))
		return true;
	for (i = 0; i < p->nlanes; i++)
		if (p->lanes[i]->id == id)
			return true;
	flows_find(p, id, &found);
	if (found)
		return true;
	measures_find(p, id, &found);
	if (found)
		return true;
	for (i = 0; i < p->nscenarios; i++) {
		if (p->scenarios[i]->id == id)
			return true;
		for (j = 0; j < p->scenarios[i]->ncuts; j++)
			if (p->scenarios[i]->cuts[j]->id == id)
				return true;
	}
	return false;
}

struct process *
workbook_owner(const struct workbook *w, sm_id id)
{
	size_t i;

	for (i = 0; w && i < w->nprocs; i++)
		if (process_has_id(w->procs[i], id))
			return w->procs[i];
	return NULL;
}

bool
workbook_id_used(const struct workbook *w, sm_id id)
{
	return id <= 0 || workbook_owner(w, id) != NULL;
}

struct scenario *
workbook_scenario(const struct workbook *w, sm_id id, struct process **owner)
{
	size_t i;

	for (i = 0; i < w->nprocs; i++) {
		struct scenario *sc = process_scenario(w->procs[i], id);

		if (sc) {
			if (owner)
				*owner = w->procs[i];
			return sc;
		}
	}
	return NULL;
}

struct step *
process_step(const struct process *p, sm_id id)
{
	const struct id_slot *s = p ? idmap_get(p->step_ids, id) : NULL;

	return s ? s->ptr : NULL;
}

/* process_lane() and process_lane_named() are in lanes.c. */

struct flow *
process_flow(const struct process *p, sm_id id)
{
	bool found;
	size_t i = flows_find(p, id, &found);

	return found ? p->flows[i] : NULL;
}

struct measure *
process_measure(const struct process *p, sm_id id)
{
	bool found;
	size_t i = measures_find(p, id, &found);

	return found ? p->measures[i] : NULL;
}

struct measure *
process_measure_named(const struct process *p, const char *name)
{
	size_t i;

	for (i = 0; p && name && i < p->nmeasures; i++)
		if (model_str_equal(p->measures[i]->name, name))
			return p->measures[i];
	return NULL;
}

struct scenario *
process_scenario(const struct process *p, sm_id id)
{
	bool found;
	size_t i = scenarios_find(p, id, &found);

	return found ? p->scenarios[i] : NULL;
}

struct scenario *
process_scenario_named(const struct process *p, const char *name)
{
	size_t i;

	for (i = 0; p && name && i < p->nscenarios; i++)
		if (model_str_equal(p->scenarios[i]->name, name))
			return p->scenarios[i];
	return NULL;
}

struct lane *
step_lane(const struct process *p, const struct step *s)
{
	return s && s->lane ? process_lane(p, s->lane) : NULL;
}

/* --- order ---------------------------------------------------------------------- */

double
process_key_between(double a, double b)
{
	double k;

	if (isnan(a) && isnan(b))
		return 1024;
	if (isnan(a))
		k = b - 1024;
	else if (isnan(b))
		k = a + 1024;
	else if (!(a < b))
		return NAN;
	else
		k = a + (b - a) / 2;
	if (!isfinite(k) || (!isnan(a) && !(k > a)) || (!isnan(b) && !(k < b)))
		return NAN;
	return k;
}

int
step_cmp(const struct step *a, const struct step *b)
{
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int
step_qcmp(const void *a, const void *b)
{
	return step_cmp(*(const struct step *const *)a, *(const struct step *const *)b);
}

void
process_renumber(struct process *p, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to && i < p->nsteps; i++)
		p->steps[i]->index = i;
}

static int
id_qcmp(const void *a, const void *b)
{
	/* Every object array holds pointers to structs that start with their id. */
	sm_id x = **(const sm_id *const *)a, y = **(const sm_id *const *)b;

	return x < y ? -1 : x > y;
}

static int
lane_qcmp(const void *a, const void *b)
{
	const struct lane *x = *(const struct lane *const *)a, *y = *(const struct lane *const *)b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

size_t
process_step_count(const struct process *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nsteps; i++)
		n += !p->steps[i]->generated;
	return n;
}

void
process_reindex(struct process *p)
{
	size_t i;
	bool sorted = true;

	for (i = 1; i < p->nsteps && sorted; i++)
		sorted = step_cmp(p->steps[i - 1], p->steps[i]) < 0;
	if (!sorted)
		qsort(p->steps, p->nsteps, sizeof *p->steps, step_qcmp);
	process_renumber(p, 0, p->nsteps);
	if (p->nlanes > 1)
		qsort(p->lanes, p->nlanes, sizeof *p->lanes, lane_qcmp);
	if (p->nflows > 1)
		qsort(p->flows, p->nflows, sizeof *p->flows, id_qcmp);
	if (p->nmeasures > 1)
		qsort(p->measures, p->nmeasures, sizeof *p->measures, id_qcmp);
	if (p->nscenarios > 1)
		qsort(p->scenarios, p->nscenarios, sizeof *p->scenarios, id_qcmp);
}

/* --- adding objects directly ---------------------------------------------------- */

void
process_ref_step(struct process *p, sm_id step, int delta)
{
	struct id_slot *s = idmap_get(p->step_ids, step);

	if (s)
		s->aux += delta;
}

/* The position of a new lane: after every lane with a key not above its. */
static size_t
lane_pos(const struct process *p, const struct lane *l)
{
	size_t i = p->nlanes;

	while (i > 0 && lane_qcmp(&p->lanes[i - 1], &l) > 0)
		i--;
	return i;
}

enum status
process_add_lane(struct process *p, struct lane *l)
{
	size_t pos;

	if (!l || l->id <= 0 || process_lane(p, l->id))
		return STATUS_INPUT;
	if (model_grow(&p->lanes, p->nlanes) != STATUS_OK)
		return STATUS_NOMEM;
	pos = lane_pos(p, l);
	model_insert_at(&p->lanes, p->nlanes, pos, l);
	p->nlanes++;
	laneix_added(p, pos);
	idmap_note(p->step_ids, l->id);
	return STATUS_OK;
}

enum status
process_add_step(struct process *p, struct step *s)
{
	if (!s || s->id <= 0 || process_step(p, s->id))
		return STATUS_INPUT;
	if (!s->name && !(s->name = strdup("")))
		return STATUS_NOMEM;
	if (model_grow(&p->steps, p->nsteps) != STATUS_OK ||
	    idmap_put(p->step_ids, s->id, s, 0) != STATUS_OK)
		return STATUS_NOMEM;
	s->index = p->nsteps;
	p->steps[p->nsteps++] = s;
	return STATUS_OK;
}

/* Insert obj (whose first member is its id) into an id-ordered array. */
static enum status
add_by_id(void *arr, size_t *n, sm_id id, void *obj,
          size_t (*find)(const struct process *, sm_id, bool *), const struct process *p)
{
	bool found;
	size_t pos = find(p, id, &found);

	if (found)
		return STATUS_INPUT;
	if (model_grow(arr, *n) != STATUS_OK)
		return STATUS_NOMEM;
	model_insert_at(arr, *n, pos, obj);
	(*n)++;
	return STATUS_OK;
}

enum status
process_add_flow(struct process *p, struct flow *f)
{
	enum status st;

	if (!f || f->id <= 0 || !process_step(p, f->from) || !process_step(p, f->to))
		return STATUS_INPUT;
	if ((st = add_by_id(&p->flows, &p->nflows, f->id, f, flows_find, p)) != STATUS_OK)
		return st;
	process_ref_step(p, f->from, 1);
	process_ref_step(p, f->to, 1);
	idmap_note(p->step_ids, f->id);
	return STATUS_OK;
}

enum status
process_add_measure(struct process *p, struct measure *m)
{
	enum status st;

	if (!m || m->id <= 0 || !process_step(p, m->from) || !process_step(p, m->to))
		return STATUS_INPUT;
	if ((st = add_by_id(&p->measures, &p->nmeasures, m->id, m, measures_find, p)) != STATUS_OK)
		return st;
	process_ref_step(p, m->from, 1);
	process_ref_step(p, m->to, 1);
	idmap_note(p->step_ids, m->id);
	return STATUS_OK;
}

enum status
process_add_scenario(struct process *p, struct scenario *sc)
{
	enum status st;

	if (!sc || sc->id <= 0)
		return STATUS_INPUT;
	if ((st = add_by_id(&p->scenarios, &p->nscenarios, sc->id, sc, scenarios_find, p)) != STATUS_OK)
		return st;
	idmap_note(p->step_ids, sc->id);
	return STATUS_OK;
}

/* Cuts in key order, then id order, as the workbook loads them: a redone
 * cut that took the key of a cut made meanwhile (by another session) lands
 * where it will be after a reload, so every session applies the cuts in one
 * order. */
enum status
scenario_add_cut(struct scenario *sc, struct cut *c)
{
	size_t i;

	if (!c || c->id <= 0)
		return STATUS_INPUT;
	for (i = 0; i < sc->ncuts; i++)
		if (sc->cuts[i]->id == c->id)
			return STATUS_INPUT;
	if (model_grow(&sc->cuts, sc->ncuts) != STATUS_OK)
		return STATUS_NOMEM;
	i = sc->ncuts;
	while (i > 0 && (sc->cuts[i - 1]->key > c->key ||
	                 (sc->cuts[i - 1]->key == c->key && sc->cuts[i - 1]->id > c->id)))
		i--;
	model_insert_at(&sc->cuts, sc->ncuts, i, c);
	sc->ncuts++;
	return STATUS_OK;
}

struct process *
workbook_add_process(struct workbook *w, sm_id id, const char *name)
{
	struct process *p;
	size_t i;

	if (id <= 0 || workbook_process(w, id))
		return NULL;
	if (model_grow(&w->procs, w->nprocs) != STATUS_OK)
		return NULL;
	if (!(p = process_new(id, name, 0)))
		return NULL;
	/* After every process: keys follow the order processes are added. */
	p->key = 1024;
	for (i = 0; i < w->nprocs; i++)
		if (w->procs[i]->key + 1024 > p->key)
			p->key = w->procs[i]->key + 1024;
	w->procs[w->nprocs++] = p;
	if (id >= w->next_id)
		w->next_id = id + 1;
	return p;
}

/* --- step fields by name ---------------------------------------------------- */

static void
trim(const char *text, const char **s, size_t *n)
{
	const char *a = text ? text : "";
	size_t len = strlen(a);

	while (len && isspace((unsigned char)*a))
		a++, len--;
	while (len && isspace((unsigned char)a[len - 1]))
		len--;
	*s = a;
	*n = len;
}

bool
yes_no_parse(const char *text, bool *out)
{
	static const char *const yes[] = { "yes", "y", "true", "1" };
	static const char *const no[] = { "no", "n", "false", "0", "" };
	const char *t;
	size_t n, i;

	trim(text, &t, &n);
	for (i = 0; i < COUNT_OF(yes); i++)
		if (strlen(yes[i]) == n && strncasecmp(t, yes[i], n) == 0) {
			*out = true;
			return true;
		}
	for (i = 0; i < COUNT_OF(no); i++)
		if (strlen(no[i]) == n && strncasecmp(t, no[i], n) == 0) {
			*out = false;
			return true;
		}
	return false;
}

/* A plain decimal number (no hex, no inf or nan), with blanks around. */
static bool
parse_number(const char *text, double *v)
{
	const char *s;
	char buf[64], *end;
	size_t n, i;

	trim(text, &s, &n);
	if (n == 0 || n >= sizeof buf)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && !strchr(".eE+-", s[i]))
			return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*v = strtod(buf, &end);
	return end == buf + n && *end == '\0' && isfinite(*v);
}

/* The user's text, shortened for a message. */
static const char *
shown(const char *text, char *buf, size_t size)
{
	const char *s;
	size_t n;

	trim(text, &s, &n);
	if (n > 60)
		snprintf(buf, size, "%.60s...", s);
	else
		snprintf(buf, size, "%.*s", (int)n, s);
	return buf;
}

/* A new heap copy of the trimmed text, NULL for empty; *ok false when out of
 * memory. */
static char *
dup_or_null(const char *text, bool *ok)
{
	const char *s;
	size_t n;
	char *c;

	trim(text, &s, &n);
	*ok = true;
	if (n == 0)
		return NULL;
	if (!(c = strndup(s, n)))
		*ok = false;
	return c;
}

static void
list_keywords(char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < STEP_TYPE_COUNT_ && len < size; i++) {
		int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", step_types[i].kw);

		if (w < 0)
			break;
		len += (size_t)w;
	}
}

enum status
step_set_field(const struct process *p, struct step *s, enum step_field f,
               const char *text, struct err *err)
{
	const char *fname = step_field_name(f);
	char q[80];
	double v;
	bool ok;
	int k;

	if (!text)
		text = "";
	switch (f) {
	case FIELD_NAME: {
		char *name = strdup(text);

		if (!name)
			return err_set(err, STATUS_NOMEM, "name: out of memory");
		free(s->name);
		s->name = name;
		return STATUS_OK;
	}
	case FIELD_LANE: {
		const char *t;
		size_t n;
		char name[512];
		const struct lane *l;

		trim(text, &t, &n);
		if (n == 0) {
			s->lane = 0;
			return STATUS_OK;
		}
		if (n >= sizeof name || !(snprintf(name, sizeof name, "%.*s", (int)n, t),
		                          l = process_lane_named(p, name)))
			return err_set(err, STATUS_INPUT, "lane: no lane named '%s'%s%s%s",
			               shown(text, q, sizeof q),
			               p && p->name ? " in process '" : "",
			               p && p->name ? p->name : "", p && p->name ? "'" : "");
		s->lane = l->id;
		return STATUS_OK;
	}
	case FIELD_TYPE: {
		const char *t;
		size_t n;
		char word[64], kws[256];

		trim(text, &t, &n);
		k = -1;
		if (n < sizeof word) {
			snprintf(word, sizeof word, "%.*s", (int)n, t);
			k = step_type_parse(word);
		}
		if (k < 0) {
			list_keywords(kws, sizeof kws);
			return err_set(err, STATUS_INPUT, "type: expected one of %s, got '%s'",
			               kws, shown(text, q, sizeof q));
		}
		s->type = (enum step_type)k;
		return STATUS_OK;
	}
	case FIELD_WORK:
	case FIELD_WAIT:
		return dist_parse(text, fname, f == FIELD_WORK ? &s->work : &s->wait, err);
	case FIELD_VALUE: {
		const char *t;
		size_t n;
		char word[16];

		trim(text, &t, &n);
		k = -1;
		if (n < sizeof word) {
			snprintf(word, sizeof word, "%.*s", (int)n, t);
			k = value_class_parse(word);
		}
		if (k < 0)
			return err_set(err, STATUS_INPUT, "value: expected VA, BVA, NVA or empty, got '%s'",
			               shown(text, q, sizeof q));
		s->value = (enum value_class)k;
		return STATUS_OK;
	}
	case FIELD_ERROR_RATE: {
		const char *t;
		size_t n;

		trim(text, &t, &n);
		if (n == 0) {
			s->error_rate = 0;
			return STATUS_OK;
		}
		if (!parse_number(text, &v) || !(v >= 0 && v <= 1))
			return err_set(err, STATUS_INPUT,
			               "error_rate: expected a number from 0 to 1, got '%s'",
			               shown(text, q, sizeof q));
		s->error_rate = v;
		return STATUS_OK;
	}
	case FIELD_COST: {
		const char *t;
		size_t n;

		trim(text, &t, &n);
		if (n == 0) {
			s->cost = 0;
			return STATUS_OK;
		}
		if (!parse_number(text, &v) || !bound_in(v, 0, BOUND_COST_MAX))
			return err_set(err, STATUS_INPUT,
			               "cost: expected a number of 0 or more, got '%s'",
			               shown(text, q, sizeof q));
		s->cost = v;
		return STATUS_OK;
	}
	case FIELD_CHANNEL:
	case FIELD_NOTE: {
		char *c = dup_or_null(text, &ok), **dst = f == FIELD_NOTE ? &s->note : &s->channel;

		if (!ok)
			return err_set(err, STATUS_NOMEM, "%s: out of memory", fname);
		free(*dst);
		*dst = c;
		return STATUS_OK;
	}
	case FIELD_EMOTION: {
		const char *t;
		size_t n;

		trim(text, &t, &n);
		if (n == 0) {
			s->emotion = EMOTION_NONE;
			return STATUS_OK;
		}
		/* [+-]?[0-2] */
		if (n > 2 || (n == 2 && t[0] != '+' && t[0] != '-') ||
		    t[n - 1] < '0' || t[n - 1] > '2')
			return err_set(err, STATUS_INPUT,
			               "emotion: expected a whole number from -2 to +2, or empty, got '%s'",
			               shown(text, q, sizeof q));
		s->emotion = (t[0] == '-' ? -1 : 1) * (t[n - 1] - '0');
		return STATUS_OK;
	}
	case FIELD_PAIN:
		if (!yes_no_parse(text, &s->pain))
			return err_set(err, STATUS_INPUT, "pain: expected yes or no, got '%s'",
			               shown(text, q, sizeof q));
		return STATUS_OK;
	default:
		return err_set(err, STATUS_INTERNAL, "no step field number %d", (int)f);
	}
}

/* The shortest text of v that reads back to it. */
static void
number_text(double v, char *buf, size_t size)
{
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

char *
step_get_field(const struct process *p, const struct step *s, enum step_field f,
               char *buf, size_t size)
{
	const struct lane *l;

	if (!buf || size == 0)
		return buf;
	buf[0] = '\0';
	switch (f) {
	case FIELD_NAME:
		snprintf(buf, size, "%s", s->name ? s->name : "");
		break;
	case FIELD_LANE:
		if ((l = step_lane(p, s)))
			snprintf(buf, size, "%s", l->name ? l->name : "");
		break;
	case FIELD_TYPE:
		snprintf(buf, size, "%s", step_type_name(s->type));
		break;
	case FIELD_WORK:
		dist_format(&s->work, buf, size);
		break;
	case FIELD_WAIT:
		dist_format(&s->wait, buf, size);
		break;
	case FIELD_VALUE:
		snprintf(buf, size, "%s", value_class_name(s->value));
		break;
	case FIELD_ERROR_RATE:
		number_text(s->error_rate, buf, size);
		break;
	case FIELD_COST:
		number_text(s->cost, buf, size);
		break;
	case FIELD_CHANNEL:
		snprintf(buf, size, "%s", s->channel ? s->channel : "");
		break;
	case FIELD_EMOTION:
		if (s->emotion != EMOTION_NONE)
			snprintf(buf, size, s->emotion > 0 ? "+%d" : "%d", s->emotion);
		break;
	case FIELD_PAIN:
		snprintf(buf, size, "%s", s->pain ? "yes" : "no");
		break;
	case FIELD_NOTE:
		snprintf(buf, size, "%s", s->note ? s->note : "");
		break;
	default:
		break;
	}
	return buf;
}
