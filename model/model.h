/*
 * model.h - the process in memory: workbook, processes, lanes, steps, flows,
 * measures, scenarios and their cuts; the edits that change them.
 *
 * This is the domain layer. It includes no curses, no libxml2 and no SQL:
 * the store persists it, readers build it, writers and the workbench read it.
 *
 * Identity. Every object (process, lane, step, flow, measure, scenario, cut)
 * has an id that is unique in its workbook, positive, and never reused; it is
 * what the store keys rows by and what flows, measures and cuts refer to. New
 * ids come from workbook_new_id().
 *
 * Order. A process's steps are kept sorted by their order key (step->key, a
 * double); step->index is the step's position in process->steps, maintained
 * by the model. A step goes between two others by taking a key between
 * theirs (process_key_between()); when keys grow too close the model spaces a
 * window of neighbours again and says so in the edit, so the store can write
 * just those rows.
 *
 * Flows. A step with no explicit outgoing flow flows implicitly to the next
 * step in order, unless it is of type end or is the last step, or its
 * process's flows are explicit (process->flows_explicit: a graph read from
 * BPMN, where a step without a way out is an end). A step with explicit
 * outgoing flows (decisions, parallel splits, jumps, loops) flows only along
 * them. process_graph_build() gives the effective graph of both.
 *
 * Ownership. The workbook owns every object reachable from it; strings are
 * heap copies owned by their object. Pointers into a workbook stay valid until
 * the object is deleted (objects are allocated one by one; the arrays hold
 * pointers).
 */
#ifndef STEPMAP_MODEL_H
#define STEPMAP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/duration.h"
#include "model/logsum.h"
#include "model/status.h"

typedef int64_t sm_id;

/* _(NAME, keyword, BPMN element, glyph, ascii glyph, done by a person) */
#define STEP_TYPE_INFO(_) \
	_(TASK,         "task",         "task",                   "■", "#", 0) \
	_(MANUAL,       "manual",       "manualTask",             "✋", "M", 1) \
	_(USER,         "user",         "userTask",               "⌨", "U", 1) \
	_(SERVICE,      "service",      "serviceTask",            "⚙", "S", 0) \
	_(SCRIPT,       "script",       "scriptTask",             "§", "$", 0) \
	_(SEND,         "send",         "sendTask",               "✉", ">", 0) \
	_(RECEIVE,      "receive",      "receiveTask",            "☐", "<", 0) \
	_(BUSINESSRULE, "businessrule", "businessRuleTask",       "▤", "R", 0) \
	_(DECISION,     "decision",     "exclusiveGateway",       "◇", "?", 0) \
	_(PARALLEL,     "parallel",     "parallelGateway",        "✚", "+", 0) \
	_(WAIT,         "wait",         "intermediateCatchEvent", "◷", "~", 0) \
	_(START,        "start",        "startEvent",             "○", "o", 0) \
	_(END,          "end",          "endEvent",               "●", "*", 0) \
	_(SUBPROCESS,   "subprocess",   "subProcess",             "▣", "P", 0) \
	_(THROW,        "throw",        "intermediateThrowEvent", "◉", "!", 0) \
	_(BOUNDARY,     "boundary",     "boundaryEvent",          "◌", "@", 0) \
	_(INCLUSIVE,    "inclusive",    "inclusiveGateway",       "◯", "O", 0) \
	_(EVENTGW,      "eventgateway", "eventBasedGateway",      "⬠", "E", 0) \
	_(COMPLEX,      "complex",      "complexGateway",         "✱", "X", 0) \
	_(CALL,         "call",         "callActivity",           "▥", "C", 0)

enum step_type {
#define STEP_TYPE_ENUM_(name, kw, bpmn, g, a, h) STEP_##name,
	STEP_TYPE_INFO(STEP_TYPE_ENUM_)
#undef STEP_TYPE_ENUM_
	STEP_TYPE_COUNT_
};

/*
 * What triggers or results from an event step (issue 11): BPMN's event
 * definitions. An event step (start, wait = intermediate catch, throw,
 * boundary, end) has at most one; NONE is a plain event. A wait step of a
 * map made in stepmap (flows not explicit) with no definition is a timer.
 * _(NAME, keyword, BPMN element)
 */
#define EVENT_DEF_INFO(_) \
	_(NONE,         "",             "") \
	_(MESSAGE,      "message",      "messageEventDefinition") \
	_(TIMER,        "timer",        "timerEventDefinition") \
	_(SIGNAL,       "signal",       "signalEventDefinition") \
	_(CONDITIONAL,  "conditional",  "conditionalEventDefinition") \
	_(ERROR,        "error",        "errorEventDefinition") \
	_(ESCALATION,   "escalation",   "escalationEventDefinition") \
	_(COMPENSATION, "compensation", "compensateEventDefinition") \
	_(LINK,         "link",         "linkEventDefinition") \
	_(TERMINATE,    "terminate",    "terminateEventDefinition") \
	_(CANCEL,       "cancel",       "cancelEventDefinition")

enum event_def {
#define EVENT_DEF_ENUM_(name, kw, bpmn) EVENT_##name,
	EVENT_DEF_INFO(EVENT_DEF_ENUM_)
#undef EVENT_DEF_ENUM_
	EVENT_DEF_COUNT_
};

/*
 * What a flow is (issue 11). A sequence flow is the order of work; a
 * message flow is a hand-off between participants (BPMN messageFlow): it
 * is shown and kept, but it is not a path a case takes (the graph leaves it
 * out); a boundary flow attaches a boundary event to the step it sits on:
 * a branch out of that step, with its probability, that BPMN writes as the
 * event's attachedToRef. _(NAME, keyword)
 */
#define FLOW_KIND_INFO(_) \
	_(SEQUENCE, "") \
	_(MESSAGE,  "message") \
	_(BOUNDARY, "boundary")

enum flow_kind {
#define FLOW_KIND_ENUM_(name, kw) FLOW_##name,
	FLOW_KIND_INFO(FLOW_KIND_ENUM_)
#undef FLOW_KIND_ENUM_
	FLOW_KIND_COUNT_
};

/* _(NAME, keyword, label) in blueprint order, customer on top */
#define STAGE_INFO(_) \
	_(CUSTOMER, "customer", "Customer actions") \
	_(ONSTAGE,  "onstage",  "Onstage") \
	_(OFFSTAGE, "offstage", "Backstage") \
	_(SUPPORT,  "support",  "Support processes")

enum stage {
#define STAGE_ENUM_(name, kw, label) STAGE_##name,
	STAGE_INFO(STAGE_ENUM_)
#undef STAGE_ENUM_
	STAGE_COUNT_
};

/* _(NAME, keyword) */
#define VALUE_CLASS_INFO(_) \
	_(NONE, "") \
	_(VA,   "VA") \
	_(BVA,  "BVA") \
	_(NVA,  "NVA")

enum value_class {
#define VALUE_ENUM_(name, kw) VALUE_##name,
	VALUE_CLASS_INFO(VALUE_ENUM_)
#undef VALUE_ENUM_
	VALUE_CLASS_COUNT_
};

enum clock { CLOCK_CUSTOMER, CLOCK_PROCESS, CLOCK_COUNT_ };

/* Keyword tables and look-ups (model.c). *_parse return -1 when unknown;
 * matching is case-insensitive. */
const char *step_type_name(enum step_type t);
const char *step_type_bpmn(enum step_type t);
const char *step_type_glyph(enum step_type t, bool utf8);
bool step_type_is_manual(enum step_type t);  /* manual and user */
int step_type_parse(const char *s);
const char *stage_name(enum stage s);
const char *stage_label(enum stage s);
int stage_parse(const char *s);
const char *value_class_name(enum value_class v);
int value_class_parse(const char *s);
const char *clock_name(enum clock c);           /* "customer" / "process" */
int clock_parse(const char *s);
const char *event_def_name(enum event_def e);  /* "" for NONE */
const char *event_def_bpmn(enum event_def e);  /* "messageEventDefinition"... */
int event_def_parse(const char *s);            /* keyword or BPMN element */
const char *flow_kind_name(enum flow_kind k);  /* "" for SEQUENCE */
int flow_kind_parse(const char *s);
/* Gateways: decision, parallel, inclusive, event-based, complex. */
bool step_type_is_gateway(enum step_type t);
/* Events: start, wait, throw, boundary, end. */
bool step_type_is_event(enum step_type t);

struct lane {
	sm_id id;
	char *name;
	enum stage stage;
	int capacity;                /* servers in the pool; 0 = unlimited */
	double key;                  /* display order among lanes */
	char *source_id;             /* its id in the file it was read from, kept
	                                so that export writes it again; NULL = none */
	char *di;                    /* its diagram (BPMN DI) as read, in the
	                                compact text of export/bpmn_di.c; NULL =
	                                none: export lays it out (issue 11) */
};

#define EMOTION_NONE INT8_MIN

struct step {
	sm_id id;
	double key;                  /* order key; steps sorted ascending */
	sm_id lane;                  /* lane id in the same process; 0 = none */
	char *name;                  /* never NULL */
	enum step_type type;
	struct dist work;            /* work (touch) time */
	struct dist wait;            /* wait before the work starts */
	enum value_class value;
	double error_rate;           /* 0..1: chance the output must be redone */
	double cost;                 /* per execution, in the workbook's currency */
	char *channel;               /* "in person", "phone", ...; NULL = none */
	int emotion;                 /* -2..+2, or EMOTION_NONE */
	char *note;                  /* NULL = none */
	bool pain;                   /* pain point */
	bool generated;              /* made by the program, not the user: a
	                                parallel cut's split and join, a gateway
	                                an importer adds; not counted as a step
	                                (process_step_count) */
	/* BPMN interchange (issue 11) */
	enum event_def event;        /* an event step's trigger or result */
	bool non_interrupting;       /* a boundary event that lets its step go on */
	char *called;                /* a call activity's calledElement; NULL = none */
	char *source_id;             /* its id in the file it was read from; NULL = none */
	char *di;                    /* its diagram (BPMN DI) as read, in the
	                                compact text of export/bpmn_di.c; NULL =
	                                none: export lays it out (issue 11) */
	size_t index;                /* position in process->steps (derived) */
};

struct flow {
	sm_id id;
	sm_id from, to;              /* step ids */
	char *label;                 /* NULL = none */
	char *condition;             /* NULL = none */
	double prob;                 /* branch probability 0..1; < 0 = not given */
	enum flow_kind kind;         /* sequence, message (hand-off), boundary */
	bool is_default;             /* its gateway's or step's default flow */
	char *source_id;             /* its id in the file it was read from; NULL = none */
	char *di;                    /* its diagram (BPMN DI) as read; NULL = none */
};

struct measure {
	sm_id id;
	char *name;
	sm_id from, to;              /* from the start of step `from` to the end of `to` */
	enum clock clock;
};

/* _(NAME, keyword) */
#define CUT_KIND_INFO(_) \
	_(REMOVE,   "remove") \
	_(MERGE,    "merge") \
	_(AUTOMATE, "automate") \
	_(MOVE,     "move") \
	_(PARALLEL, "parallel") \
	_(CAPACITY, "capacity") \
	_(SET,      "set")

enum cut_kind {
#define CUT_ENUM_(name, kw) CUT_##name,
	CUT_KIND_INFO(CUT_ENUM_)
#undef CUT_ENUM_
	CUT_KIND_COUNT_
};
const char *cut_kind_name(enum cut_kind k);
int cut_kind_parse(const char *s);

/*
 * One cut of a scenario. Which fields count depends on the kind:
 *   REMOVE    step: predecessors reconnect to successors
 *   MERGE     step and step2 (consecutive): one step, times and costs added
 *   AUTOMATE  step; time_factor scales work and wait, error_factor the error
 *             rate; lane (0 = keep) the lane it moves to; type becomes service
 *   MOVE      step goes right after step2 (step2 = 0: to the front)
 *   PARALLEL  steps step..step2 (in order) run in parallel branches
 *   CAPACITY  lane gets capacity (0 = unlimited)
 *   SET       step's field (a step field keyword) becomes value (its text)
 */
struct cut {
	sm_id id;
	double key;                  /* order within the scenario */
	enum cut_kind kind;
	sm_id step, step2, lane;
	double time_factor, error_factor;
	int capacity;
	char *field, *value;         /* SET only; NULL otherwise */
};

struct scenario {
	sm_id id;
	char *name;
	struct cut **cuts;           /* sorted by key, applied in order */
	size_t ncuts;
};

struct process {
	sm_id id;
	double key;                  /* order among processes */
	char *name;
	char *description;           /* NULL = none */
	struct dist arrival;         /* time between arrivals; NONE: all at 0 */
	enum time_unit time_unit;    /* the unit its times are shown in */
	bool flows_explicit;         /* its flows are a graph (read from BPMN):
	                                no implicit next-in-order flow; a step
	                                without a way out is an end (issue 11) */
	char *di;                    /* its pool's diagram (BPMN DI) as read;
	                                NULL = none (struct step's di) */
	struct lane **lanes;         /* sorted by key */
	size_t nlanes;
	struct step **steps;         /* sorted by key; steps[i]->index == i */
	size_t nsteps;
	struct flow **flows;         /* explicit flows, in id order */
	size_t nflows;
	struct measure **measures;   /* in id order */
	size_t nmeasures;
	struct scenario **scenarios; /* in id order */
	size_t nscenarios;
	struct id_index *step_ids;   /* id -> step, private to model.c */
	struct lane_index *lane_ix;  /* id, name -> lane, private to lanes.c */
	struct log_summary *log;     /* made from an event log: what the log says
	                                (model/logsum.h); NULL otherwise. Owned. */
};

struct workbook {
	struct process **procs;      /* sorted by key */
	size_t nprocs;
	sm_id next_id;               /* the next id workbook_new_id() gives */
};

/* --- workbook and look-ups -------------------------------------------- */

/* A new empty workbook (next_id 1). NULL when out of memory. */
struct workbook *workbook_new(void);
/* Free w and everything in it; sets *w to NULL. NULL-safe. */
void workbook_free(struct workbook **w);
/* A fresh id; never returned before in this workbook. */
sm_id workbook_new_id(struct workbook *w);
/* A deep copy (same ids). NULL when out of memory. */
struct workbook *workbook_copy(const struct workbook *w);

struct process *workbook_process(const struct workbook *w, sm_id id);
/* By name (case-sensitive) or, failing that, by 1-based number "2". */
struct process *workbook_process_named(const struct workbook *w, const char *name);
/* The process that owns the object with this id, or NULL. */
struct process *workbook_owner(const struct workbook *w, sm_id id);

/* A deep copy of one process (same ids). NULL when out of memory. */
struct process *process_copy(const struct process *p);
void process_free(struct process **p);

struct step *process_step(const struct process *p, sm_id id);     /* O(1) */
struct lane *process_lane(const struct process *p, sm_id id);
struct lane *process_lane_named(const struct process *p, const char *name);
/* The position in p->lanes of the lane with this id, -1 when none. These
 * three take O(1) (model/lanes.c). */
long process_lane_pos(const struct process *p, sm_id id);
/* Tell the lane index that l (a lane of p) was renamed in place. */
void process_lane_renamed(struct process *p, const struct lane *l);
struct flow *process_flow(const struct process *p, sm_id id);
struct measure *process_measure(const struct process *p, sm_id id);
struct measure *process_measure_named(const struct process *p, const char *name);
struct scenario *process_scenario(const struct process *p, sm_id id);
struct scenario *process_scenario_named(const struct process *p, const char *name);
/* The lane of a step, or NULL. */
struct lane *step_lane(const struct process *p, const struct step *s);

/* A key strictly between a and b (a < b); either may be NAN for "none". */
double process_key_between(double a, double b);

/* --- the effective flow graph ------------------------------------------ */

struct edge {
	size_t from, to;             /* step indices */
	double prob;                 /* normalised; 1 for parallel branches */
	const struct flow *flow;     /* NULL for an implicit flow */
};

/*
 * The flows as they act: explicit ones plus the implicit next-in-order ones,
 * as adjacency lists by step index. For a step whose explicit flows give no
 * probabilities, a decision splits equally; a parallel step sends a token
 * down every branch (prob 1); any other step with several outgoing flows is
 * treated as a decision. Given probabilities that do not sum to 1 are
 * normalised.
 */
struct graph {
	size_t nsteps, nedges;
	struct edge *edges;          /* grouped by `from` */
	size_t *out;                 /* out edges of i: edges[out[i] .. out[i+1]) */
	size_t *in_edges;            /* edge numbers grouped by `to` */
	size_t *in;                  /* in edges of i: in_edges[in[i] .. in[i+1]) */
	/* Room in the arrays and a scratch array, kept by
	 * process_graph_rebuild() between builds: private to graph.c. */
	size_t cap_steps, cap_edges, cap_tmp;
	void *tmp;
};

/* Build g for p (O(steps + flows)). On error g is left empty. */
enum status process_graph_build(const struct process *p, struct graph *g);
/* The same into a graph built before (or zeroed), reusing its arrays when
 * they are large enough, so a caller that rebuilds after every edit
 * allocates only when the process grows. g is released by graph_done(). On
 * error g is left empty (its arrays freed). */
enum status process_graph_rebuild(const struct process *p, struct graph *g);
void graph_done(struct graph *g);

/* --- step fields by name ---------------------------------------------- */

/* _(NAME, keyword) : the fields a person edits, in form and CSV order */
#define STEP_FIELD_INFO(_) \
	_(NAME,       "name") \
	_(LANE,       "lane") \
	_(TYPE,       "type") \
	_(WORK,       "work") \
	_(WAIT,       "wait") \
	_(VALUE,      "value") \
	_(ERROR_RATE, "error_rate") \
	_(COST,       "cost") \
	_(CHANNEL,    "channel") \
	_(EMOTION,    "emotion") \
	_(PAIN,       "pain") \
	_(NOTE,       "note")

enum step_field {
#define STEP_FIELD_ENUM_(name, kw) FIELD_##name,
	STEP_FIELD_INFO(STEP_FIELD_ENUM_)
#undef STEP_FIELD_ENUM_
	STEP_FIELD_COUNT_
};
const char *step_field_name(enum step_field f);
int step_field_parse(const char *s);

/*
 * Set field f of s from its text, validated: durations in the duration
 * syntax, error_rate 0..1, emotion -2..+2 or empty, type and value from their
 * keywords, pain from yes/no/true/false/1/0/empty. FIELD_LANE looks the lane up
 * by name in p (it must exist). On error s is unchanged and err names the
 * field: "error_rate: expected a number from 0 to 1, got '1.5'".
 */
enum status step_set_field(const struct process *p, struct step *s,
                           enum step_field f, const char *text, struct err *err);
/* Write field f of s as text step_set_field() reads back. Returns buf. */
char *step_get_field(const struct process *p, const struct step *s,
                     enum step_field f, char *buf, size_t size);

/* Deep copies and frees of single objects (strings duplicated). The _copy
 * functions return NULL when out of memory. _done frees the strings only. */
struct step *step_copy(const struct step *s);
void step_free(struct step **s);
/* Whether the diagram read for a step (or flow) as it was still holds for it
 * as it is: the same lane and type (the same ends); when not, its di goes
 * and export lays it out again (issue 11). */
bool step_di_holds(const struct step *was, const struct step *is);
bool flow_di_holds(const struct flow *was, const struct flow *is);
void step_done(struct step *s);
struct lane *lane_copy(const struct lane *l);
void lane_free(struct lane **l);
struct flow *flow_copy(const struct flow *f);
void flow_free(struct flow **f);
struct measure *measure_copy(const struct measure *m);
void measure_free(struct measure **m);
struct cut *cut_copy(const struct cut *c);
void cut_free(struct cut **c);
/* A step with every field at its default: type task, no times, no lane,
 * emotion none, name "" (owned). */
void step_init(struct step *s);

/* --- edits -------------------------------------------------------------- */

/*
 * An edit is one change a user makes, as data. Every edit carries what is
 * needed to apply it and to invert it: ADD and DEL carry the whole object,
 * SET carries the object before and after. A step move is a SET of its key.
 * GROUP is a list of edits applied in order (inverted in reverse order): a
 * step deleted with its flows, a move that respaced its neighbours' keys.
 *
 * The store applies an edit to the workbook and to the file in one
 * transaction and journals it for undo; the workbench builds edits with the
 * edit_* builders below and hands them to the store.
 */
#define EDIT_KIND_INFO(_) \
	_(GROUP,        "group") \
	_(PROCESS_ADD,  "process+") \
	_(PROCESS_DEL,  "process-") \
	_(PROCESS_SET,  "process=") \
	_(LANE_ADD,     "lane+") \
	_(LANE_DEL,     "lane-") \
	_(LANE_SET,     "lane=") \
	_(STEP_ADD,     "step+") \
	_(STEP_DEL,     "step-") \
	_(STEP_SET,     "step=") \
	_(FLOW_ADD,     "flow+") \
	_(FLOW_DEL,     "flow-") \
	_(FLOW_SET,     "flow=") \
	_(MEASURE_ADD,  "measure+") \
	_(MEASURE_DEL,  "measure-") \
	_(MEASURE_SET,  "measure=") \
	_(SCENARIO_ADD, "scenario+") \
	_(SCENARIO_DEL, "scenario-") \
	_(SCENARIO_SET, "scenario=") \
	_(CUT_ADD,      "cut+") \
	_(CUT_DEL,      "cut-")

enum edit_kind {
#define EDIT_ENUM_(name, kw) EDIT_##name,
	EDIT_KIND_INFO(EDIT_ENUM_)
#undef EDIT_ENUM_
	EDIT_KIND_COUNT_
};

/* A process's own fields, without its contents, as PROCESS_* edits carry. */
struct process_head {
	sm_id id;
	double key;
	char *name;
	char *description;
	struct dist arrival;
	enum time_unit time_unit;
	bool flows_explicit;
	char *di;                    /* its pool's diagram (BPMN DI); NULL = none */
};

struct edit {
	enum edit_kind kind;
	sm_id process;               /* the process it acts in (for PROCESS_*: itself) */
	sm_id scenario;              /* CUT_*: the scenario */
	char *label;                 /* what the user did, for the status line
	                                ("delete step 12"); may be NULL */
	union {
		struct { struct edit **items; size_t n; } group;
		struct { struct process_head *before, *after; } process;
		struct { struct lane *before, *after; } lane;
		struct { struct step *before, *after; } step;
		struct { struct flow *before, *after; } flow;
		struct { struct measure *before, *after; } measure;
		struct { struct scenario *before, *after; } scenario; /* name only: cuts empty */
		struct { struct cut *before, *after; } cut;
	} u;
	/* ADD: before NULL, after the new object; DEL: before the object, after
	 * NULL; SET: both. PROCESS_DEL and SCENARIO_DEL of a non-empty object are
	 * built as a GROUP that first deletes the contents. */
};

/* Free e and everything it holds; sets *e to NULL. NULL-safe. */
void edit_free(struct edit **e);
/* A deep copy, NULL when out of memory. */
struct edit *edit_copy(const struct edit *e);
/* The inverse of e, as a new edit (ADD<->DEL, SET before<->after, GROUP
 * reversed). NULL when out of memory. */
struct edit *edit_inverse(const struct edit *e);

/*
 * Apply e to w. Either the whole edit applies or w is unchanged and err says
 * why (an object that does not exist, an id already used, a flow to a step
 * of another process...). Keeps steps sorted and indices current, and keeps
 * w->next_id above every id in w.
 */
enum status edit_apply(struct workbook *w, const struct edit *e, struct err *err);

/*
 * Builders: each returns a new edit (not applied) in *out, owned by the
 * caller, or an error status with *out NULL. Ids of new objects come from
 * workbook_new_id(). Structural builders include what must change with the
 * object: deleting a step deletes its flows, the measures that use it become
 * a measure of its neighbour or are deleted, cuts that name it are left
 * (they show as stale).
 */
enum status edit_process_add(struct workbook *w, const char *name, struct edit **out);
enum status edit_process_del(struct workbook *w, sm_id process, struct edit **out);
enum status edit_process_rename(struct workbook *w, sm_id process, const char *name,
                                struct edit **out);
/* A copy of the process with fresh ids and the given name. */
enum status edit_process_copy(struct workbook *w, sm_id process, const char *name,
                              struct edit **out);

enum status edit_lane_add(struct workbook *w, sm_id process, const char *name,
                          enum stage stage, int capacity, struct edit **out);
/* Deleting a lane moves its steps to no lane. */
enum status edit_lane_del(struct workbook *w, sm_id lane, struct edit **out);
enum status edit_lane_set(struct workbook *w, const struct lane *after, struct edit **out);

/* Insert a copy of tmpl (its id and key are ignored) at position `at`
 * (0..nsteps) of the process; the new id is tmpl copy's id in the edit. */
enum status edit_step_insert(struct workbook *w, sm_id process, size_t at,
                             const struct step *tmpl, struct edit **out);
enum status edit_step_del(struct workbook *w, sm_id step, struct edit **out);
/* Replace a step's fields with after's (same id; key kept unless changed). */
enum status edit_step_set(struct workbook *w, const struct step *after, struct edit **out);
/* Move a step to position `to` (0..nsteps-1) in the order. */
enum status edit_step_move(struct workbook *w, sm_id step, size_t to, struct edit **out);

enum status edit_flow_add(struct workbook *w, sm_id from, sm_id to, const char *label,
                          double prob, struct edit **out);
enum status edit_flow_del(struct workbook *w, sm_id flow, struct edit **out);
enum status edit_flow_set(struct workbook *w, const struct flow *after, struct edit **out);

enum status edit_measure_add(struct workbook *w, sm_id process, const char *name,
                             sm_id from, sm_id to, enum clock clock, struct edit **out);
enum status edit_measure_del(struct workbook *w, sm_id measure, struct edit **out);
enum status edit_measure_set(struct workbook *w, const struct measure *after,
                             struct edit **out);

enum status edit_scenario_add(struct workbook *w, sm_id process, const char *name,
                              struct edit **out);
enum status edit_scenario_del(struct workbook *w, sm_id scenario, struct edit **out);
enum status edit_scenario_rename(struct workbook *w, sm_id scenario, const char *name,
                                 struct edit **out);
/* A new scenario with a copy of every cut of another. */
enum status edit_scenario_copy(struct workbook *w, sm_id scenario, const char *name,
                               struct edit **out);
/* Append a copy of tmpl (id and key ignored) to the scenario's cuts. */
enum status edit_cut_add(struct workbook *w, sm_id scenario, const struct cut *tmpl,
                         struct edit **out);
enum status edit_cut_del(struct workbook *w, sm_id cut, struct edit **out);

/* Wrap edits (ownership taken, array too) into one GROUP with a label. */
struct edit *edit_group(struct edit **items, size_t n, const char *label);

/* --- whole-process helpers -------------------------------------------- */

/*
 * Re-key the steps of p in flow order: a depth-first walk from the start
 * steps (type start, or no incoming flow) along explicit flows, taking the
 * most likely branch first, then anything unreached in its old order. For
 * readers whose source has no order of its own (BPMN). Keys become 1024 * i.
 */
void process_order_by_flow(struct process *p);

/* Re-sort p->steps by key and renumber index (after direct changes). */
void process_reindex(struct process *p);

/* A yes/no cell or attribute: yes, y, true, 1 as true; no, n, false, 0 and
 * empty as false (any case, blanks around ignored). False when text is
 * neither (*out untouched). The one reader of yes/no (pain, generated). */
bool yes_no_parse(const char *text, bool *out);

/* The steps of p as its user counts them: those the user made or cut, not
 * the gateways a cut or an importer generated (step.generated). The one
 * definition of a step count (figures, report, compare, scenarios). */
size_t process_step_count(const struct process *p);

/*
 * Add objects directly, for readers and the store's load (no edit, no undo).
 * Ownership of the object passes to p on success; on error the caller keeps
 * it. Steps may be added in any order (call process_reindex() after); flows
 * and measures after the steps they name (STATUS_INPUT otherwise, as for an
 * id already there). The model's pointer arrays grow only through these
 * functions and edits: never assign them yourself.
 */
enum status process_add_lane(struct process *p, struct lane *l);
enum status process_add_step(struct process *p, struct step *s);
enum status process_add_flow(struct process *p, struct flow *f);
enum status process_add_measure(struct process *p, struct measure *m);
enum status process_add_scenario(struct process *p, struct scenario *sc);
enum status scenario_add_cut(struct scenario *sc, struct cut *c);
/* A new empty process with id and name, added to w. NULL when out of memory. */
struct process *workbook_add_process(struct workbook *w, sm_id id, const char *name);

#endif
