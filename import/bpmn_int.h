/*
 * bpmn_int.h - the BPMN reader's private header: its records, its state and
 * the functions its three files share (not for use outside import/bpmn*.c).
 *
 *   bpmn.c          the read: libxml2's SAX2 push parser fed by the raw-byte
 *                   scanner, the id map, warnings, bpmn_read()
 *   bpmn_parse.c    start tags, end tags and text into records
 *   bpmn_resolve.c  once the file is read: lanes, subprocesses, flows and
 *                   notes resolved, then everything emitted into the sink
 */
#ifndef STEPMAP_IMPORT_BPMN_INT_H
#define STEPMAP_IMPORT_BPMN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "import/xmlscan.h"
#include "import/arena.h"
#include "import/bpmn.h"

#define NONE (-1)
#define TEXT_MAX (1 << 20)         /* one captured text: 1 MiB */
#define WARN_REPEAT 5              /* the same kind of warning, then a summary */

/* --- memory: growable arrays (strings go to an arena, import/arena.h) ---- */

/* A growable text buffer. */
struct buf {
	char *s;
	size_t n, cap;
	bool truncated;
};

/* --- records ------------------------------------------------------------ */

enum obj { OBJ_NONE, OBJ_PROCESS, OBJ_PARTICIPANT, OBJ_LANE, OBJ_NODE, OBJ_FLOW,
           OBJ_ANNOT, OBJ_OTHER };

struct proc_rec {
	const char *id, *name, *pool;
	char *desc;                  /* malloc'd, paragraphs */
	unsigned line;
	size_t nnodes;
	bool has_ext_arrival;
	const char *di;              /* its pool's diagram (a di_rec's text) */
	enum time_unit time_unit;    /* stepmap's extension: the unit shown */
	bool has_ext_time_unit;
	bool merged;                 /* merge_pools: folded into another process */
	struct dist arrival;
};

struct part_rec {
	const char *id, *name, *process_ref;
	char *doc;                   /* malloc'd */
	unsigned line;
};

struct lane_rec {
	const char *id, *name;
	char *path;                  /* malloc'd at resolve */
	int proc, parent, depth;
	unsigned line;
	bool has_children;
	size_t direct;
	int stage, capacity;         /* -1: not given */
	const char *di;              /* its diagram (a di_rec's text), or NULL */
	const char *pool;            /* merge_pools: the pool's name, first in a top
	                                lane's path; NULL: none */
};

enum node_flag {
	NF_CONTAINER = 1,            /* subProcess, transaction, adHocSubProcess */
	NF_EVENT_SUB = 2,            /* triggeredByEvent */
	NF_DROP = 4,                 /* not emitted */
	NF_PLAIN_EVENT = 8,          /* start/end event with no event definition */
	NF_TIMER = 16,
	NF_GENERATED = 32            /* added by stepmap's export (<stepmap:generated/>) */
};

struct node_rec {
	const char *id, *name;
	char *note;                  /* malloc'd */
	struct step *x;              /* fields from stepmap's extension, or NULL */
	unsigned ext_fields;         /* 1 << FIELD_x given by the extension */
	unsigned line;
	int proc, parent, lane;
	int first_in, first_out;     /* edges, at resolve */
	int nchildren;
	uint8_t elem, type, flags;
	uint8_t event;               /* enum event_def: the first definition */
	bool non_interrupting;       /* a boundary event with cancelActivity="false" */
	const char *attached;        /* a boundary event's attachedToRef */
	const char *called;          /* a call activity's calledElement */
	const char *dflt;            /* the id of its default flow */
	double attach_prob;          /* a boundary event's branch probability, < 0: none */
	double timer_s;              /* timeDuration of a timer, < 0: none */
	const char *di;              /* its diagram (a di_rec's text), or NULL */
};

struct flow_rec {
	const char *id, *name, *src, *tgt;
	char *cond;                  /* malloc'd */
	unsigned line;
	int proc;                    /* NONE for message flows */
	double prob;                 /* < 0: not given */
	bool prob_ext, message;
	bool stand_in_given;         /* stepmap:flow said which are stand-ins */
	bool name_stand_in, cond_stand_in;
	bool is_default;             /* named by its source's default="" */
	const char *di;              /* its diagram (a di_rec's text), or NULL */
};

struct annot_rec {
	const char *id;
	char *text;                  /* malloc'd */
	int proc;
	unsigned line;
	bool used;
};

/* A BPMNShape or BPMNEdge as read (bpmn_di.c): what it shows and its
 * compact text, "B x y w h[ E0|1][ H0|1][ L x y w h]" for a shape,
 * "W x,y x,y ...[ L x y w h]" for an edge, numbers as the file wrote them. */
struct di_rec {
	const char *elem;            /* bpmnElement */
	struct buf text;             /* text.s NULL: nothing yet */
	unsigned line;
	bool edge, bad, has_bounds, has_label;
	signed char expanded, horizontal;   /* -1: not given */
};

struct assoc_rec {
	const char *src, *tgt;
	unsigned line;
};

struct ref_rec {
	int owner;                   /* lane (flowNodeRef) */
	const char *ref;
};

/* A node's incoming or outgoing flow, by the hash of the flow's id: kept only
 * to repair flows that lack sourceRef or targetRef, so no string is kept. */
struct io_rec {
	uint64_t hash;
	int node;
	bool out;
};

enum sim_what { SIM_WORK, SIM_WAIT, SIM_PROB, SIM_QUANTITY, SIM_COST, SIM_ARRIVAL };

struct sim_rec {
	const char *ref;
	enum sim_what what;
	struct dist d;
	double v;
	unsigned line;
};

struct measure_rec {
	int proc;
	const char *name, *from, *to;
	int clock;
	unsigned line;
};

/* An edge of the flow graph at resolve: linked into its ends' lists. */
struct gedge {
	int src, tgt, next_out, next_in;
	int flow;                    /* the flow_rec it came from */
	const char *label, *cond;
	double prob;
	bool dead;
	uint8_t kind;                /* enum flow_kind */
};

/* --- the id map: id -> (object kind, index) ----------------------------- */

struct id_slot {
	const char *key;
	uint32_t hash;
	uint8_t obj;
	int index;
};

struct idmap {
	struct id_slot *slots;
	size_t cap, n;
};

/* --- the BPMN elements ---------------------------------------------------- */

enum elem_class {
	EC_UNKNOWN,                  /* not represented: warn, skip */
	EC_SILENT,                   /* a definition others refer to: skip quietly */
	EC_DEFINITIONS, EC_PROCESS, EC_COLLABORATION, EC_PARTICIPANT, EC_MESSAGE_FLOW,
	EC_LANESET, EC_LANE, EC_CHILD_LANESET, EC_FLOW_NODE_REF,
	EC_NODE, EC_CONTAINER, EC_SEQUENCE_FLOW, EC_CONDITION,
	EC_DOCUMENTATION, EC_EXTENSIONS, EC_INCOMING, EC_OUTGOING,
	EC_TEXT_ANNOTATION, EC_TEXT, EC_ASSOCIATION, EC_EVENT_DEF, EC_TIME_DURATION,
	EC_RELATIONSHIP, EC_UNREP_NODE /* a flow node stepmap cannot represent */
};

/*
 * _(NAME, local name, class, step type, what an approximation loses or why
 * the element is not represented; NULL: nothing to report)
 */
#define BPMN_ELEM_INFO(_) \
	_(DEFINITIONS,   "definitions",       EC_DEFINITIONS,   0, NULL) \
	_(PROCESS,       "process",           EC_PROCESS,       0, NULL) \
	_(COLLABORATION, "collaboration",     EC_COLLABORATION, 0, NULL) \
	_(PARTICIPANT,   "participant",       EC_PARTICIPANT,   0, NULL) \
	_(MESSAGE_FLOW,  "messageFlow",       EC_MESSAGE_FLOW,  0, NULL) \
	_(LANE_SET,      "laneSet",           EC_LANESET,       0, NULL) \
	_(LANE,          "lane",              EC_LANE,          0, NULL) \
	_(CHILD_LANES,   "childLaneSet",      EC_CHILD_LANESET, 0, NULL) \
	_(FLOW_NODE_REF, "flowNodeRef",       EC_FLOW_NODE_REF, 0, NULL) \
	_(TASK,          "task",              EC_NODE, STEP_TASK, NULL) \
	_(MANUAL_TASK,   "manualTask",        EC_NODE, STEP_MANUAL, NULL) \
	_(USER_TASK,     "userTask",          EC_NODE, STEP_USER, NULL) \
	_(SERVICE_TASK,  "serviceTask",       EC_NODE, STEP_SERVICE, NULL) \
	_(SCRIPT_TASK,   "scriptTask",        EC_NODE, STEP_SCRIPT, NULL) \
	_(SEND_TASK,     "sendTask",          EC_NODE, STEP_SEND, NULL) \
	_(RECEIVE_TASK,  "receiveTask",       EC_NODE, STEP_RECEIVE, NULL) \
	_(RULE_TASK,     "businessRuleTask",  EC_NODE, STEP_BUSINESSRULE, NULL) \
	_(CALL_ACTIVITY, "callActivity",      EC_NODE, STEP_CALL, NULL) \
	_(XOR_GATEWAY,   "exclusiveGateway",  EC_NODE, STEP_DECISION, NULL) \
	_(AND_GATEWAY,   "parallelGateway",   EC_NODE, STEP_PARALLEL, NULL) \
	_(OR_GATEWAY,    "inclusiveGateway",  EC_NODE, STEP_INCLUSIVE, NULL) \
	_(EVENT_GATEWAY, "eventBasedGateway", EC_NODE, STEP_EVENTGW, NULL) \
	_(COMPLEX_GATEWAY, "complexGateway",  EC_NODE, STEP_COMPLEX, NULL) \
	_(START_EVENT,   "startEvent",        EC_NODE, STEP_START, NULL) \
	_(END_EVENT,     "endEvent",          EC_NODE, STEP_END, NULL) \
	_(CATCH_EVENT,   "intermediateCatchEvent", EC_NODE, STEP_WAIT, NULL) \
	_(THROW_EVENT,   "intermediateThrowEvent", EC_NODE, STEP_THROW, NULL) \
	_(BOUNDARY,      "boundaryEvent",     EC_NODE, STEP_BOUNDARY, NULL) \
	_(SUBPROCESS,    "subProcess",        EC_CONTAINER, STEP_SUBPROCESS, NULL) \
	_(TRANSACTION,   "transaction",       EC_CONTAINER, STEP_SUBPROCESS, \
	  "imported as a subprocess: its transactional behaviour (cancel, compensation) is not kept") \
	_(ADHOC,         "adHocSubProcess",   EC_CONTAINER, STEP_SUBPROCESS, \
	  "imported as a subprocess: its steps are connected only by their flows, not ad hoc") \
	_(SEQUENCE_FLOW, "sequenceFlow",      EC_SEQUENCE_FLOW, 0, NULL) \
	_(CONDITION,     "conditionExpression", EC_CONDITION,   0, NULL) \
	_(DOCUMENTATION, "documentation",     EC_DOCUMENTATION, 0, NULL) \
	_(EXTENSIONS,    "extensionElements", EC_EXTENSIONS,    0, NULL) \
	_(INCOMING,      "incoming",          EC_INCOMING,      0, NULL) \
	_(OUTGOING,      "outgoing",          EC_OUTGOING,      0, NULL) \
	_(ANNOTATION,    "textAnnotation",    EC_TEXT_ANNOTATION, 0, NULL) \
	_(TEXT,          "text",              EC_TEXT,          0, NULL) \
	_(ASSOCIATION,   "association",       EC_ASSOCIATION,   0, NULL) \
	_(RELATIONSHIP,  "relationship",      EC_RELATIONSHIP,  0, NULL) \
	_(TIMER_DEF,     "timerEventDefinition", EC_EVENT_DEF,  0, NULL) \
	_(MESSAGE_DEF,   "messageEventDefinition", EC_EVENT_DEF, 0, NULL) \
	_(SIGNAL_DEF,    "signalEventDefinition", EC_EVENT_DEF, 0, NULL) \
	_(COND_DEF,      "conditionalEventDefinition", EC_EVENT_DEF, 0, NULL) \
	_(ERROR_DEF,     "errorEventDefinition", EC_EVENT_DEF,  0, NULL) \
	_(ESCAL_DEF,     "escalationEventDefinition", EC_EVENT_DEF, 0, NULL) \
	_(COMP_DEF,      "compensateEventDefinition", EC_EVENT_DEF, 0, NULL) \
	_(LINK_DEF,      "linkEventDefinition", EC_EVENT_DEF,   0, NULL) \
	_(TERM_DEF,      "terminateEventDefinition", EC_EVENT_DEF, 0, NULL) \
	_(CANCEL_DEF,    "cancelEventDefinition", EC_EVENT_DEF, 0, NULL) \
	_(TIME_DURATION, "timeDuration",      EC_TIME_DURATION, 0, NULL) \
	_(DATA_OBJECT,   "dataObject",        EC_UNREP_NODE,    0, "not represented (stepmap maps work, not data)") \
	_(DATA_OBJ_REF,  "dataObjectReference", EC_UNREP_NODE,  0, "not represented (stepmap maps work, not data)") \
	_(DATA_STORE_REF, "dataStoreReference", EC_UNREP_NODE,  0, "not represented (stepmap maps work, not data)") \
	_(GROUP,         "group",             EC_UNREP_NODE,    0, "not represented (stepmap has no groups)") \
	_(MESSAGE,       "message",           EC_SILENT,        0, NULL) \
	_(ITEM_DEF,      "itemDefinition",    EC_SILENT,        0, NULL) \
	_(SIGNAL,        "signal",            EC_SILENT,        0, NULL) \
	_(ERROR,         "error",             EC_SILENT,        0, NULL) \
	_(ESCALATION,    "escalation",        EC_SILENT,        0, NULL) \
	_(INTERFACE,     "interface",         EC_SILENT,        0, NULL) \
	_(IMPORT,        "import",            EC_SILENT,        0, NULL) \
	_(CATEGORY,      "category",          EC_SILENT,        0, NULL) \
	_(CORRELATION,   "correlationProperty", EC_SILENT,      0, NULL) \
	_(END_POINT,     "endPoint",          EC_SILENT,        0, NULL) \
	_(CATEGORY_REF,  "categoryValueRef",  EC_SILENT,        0, NULL)

enum bpmn_elem {
	EL_NONE,
#define ELEM_ENUM_(name, local, cls, type, why) EL_##name,
	BPMN_ELEM_INFO(ELEM_ENUM_)
#undef ELEM_ENUM_
	EL_COUNT_
};


struct elem_info {
	const char *local;
	enum elem_class cls;
	enum step_type type;
	const char *why;
};
extern const struct elem_info bpmn_elems[];

enum ns_kind { NS_OTHER, NS_BPMN, NS_STEPMAP, NS_BPSIM, NS_DI, NS_XSI };

/* --- the reader's state -------------------------------------------------- */

/* What the children of an open element belong to. */
enum ctx {
	CX_SKIP, CX_DEFS, CX_PROCESS, CX_COLLAB, CX_PARTICIPANT, CX_LANESET, CX_LANE,
	CX_NODE, CX_FLOW, CX_ANNOT, CX_EXT, CX_EVENT_DEF, CX_RELATIONSHIP,
	CX_CAPTURE, CX_SM, CX_BPSIM, CX_BP_SCENARIO, CX_BP_ELEMENT, CX_BP_GROUP,
	CX_BP_PARAM, CX_DI, CX_DI_SHAPE, CX_DI_EDGE, CX_DI_LABEL
};

struct frame {
	uint8_t ctx;
	uint8_t owner_ctx;           /* CX_EXT and below: what the extension is of */
	int obj, owner;              /* index in its vector; parent lane for CX_LANESET */
	int proc;                    /* the process the element is in, or NONE */
	int container;               /* enclosing subprocess node, or NONE */
};

enum capture {
	CAP_NONE, CAP_NODE_DOC, CAP_PROC_DOC, CAP_PART_DOC, CAP_OTHER_DOC, CAP_ANNOT_TEXT,
	CAP_LANE_REF, CAP_INCOMING, CAP_OUTGOING, CAP_CONDITION, CAP_TIMER, CAP_SM_TEXT
};

/* A start tag as SAX2 gives it: attributes are 5 pointers each (local name,
 * prefix, URI, value, end of value), values not NUL-terminated. */
struct tag {
	const char *local, *uri;
	int nattrs;
	const xmlChar **attrs;
	struct rd *rd;
	bool copied;                 /* values copied into rd->sbuf / rd->svals */
};

struct ns_count {
	char *uri, *first;
	size_t n;
	unsigned line;
};

struct warn_count {
	char *key;
	size_t n;
};

struct rd {
	const char *name;            /* file name in messages */
	const struct bpmn_options *opt;
	struct sink *sink;
	struct err *err;
	xmlParserCtxtPtr ctxt;
	int fd;
	int depth;                   /* of the next start tag */
	int skip_depth;              /* inside a subtree not read, or -1 */
	bool stop;                   /* a callback stopped the parse */
	struct err stop_err;         /* why */
	char *sbuf;                  /* attribute values of the current tag */
	size_t scap;
	const char **svals;
	size_t svcap;
	struct xml_scanner sc;
	int max_depth;
	bool keep_sub;

	/* errors reported by libxml2 */
	int xml_errors;
	char xml_msg[ERR_MSG_MAX];
	bool nomem;

	struct frame stack[BPMN_MAX_DEPTH + 2];
	size_t nstack;               /* max_depth + 1 */

	/* text being captured */
	enum capture cap;
	int cap_depth, cap_obj;
	unsigned cap_line;
	struct buf text;

	/* BPSim context */
	double bp_unit;              /* seconds per base time unit */
	const char *bp_ref;
	int bp_scenarios;
	bool bp_skip_scenario;

	/* stepmap extension element being read (for <field> texts) */
	const char *sm_field;

	struct arena a;
	struct idmap ids;
	struct proc_rec *procs;     size_t nprocs, cprocs;
	struct part_rec *parts;     size_t nparts, cparts;
	struct lane_rec *lanes;     size_t nlanes, clanes;
	struct node_rec *nodes;     size_t nnodes, cnodes;
	struct flow_rec *flows;     size_t nflows, cflows;
	struct annot_rec *annots;   size_t nannots, cannots;
	struct assoc_rec *assocs;   size_t nassocs, cassocs;
	struct ref_rec *lrefs;      size_t nlrefs, clrefs;
	struct io_rec *iorefs;      size_t niorefs, ciorefs;
	bool flows_lack_ends;       /* some sequenceFlow has no sourceRef or targetRef */
	struct sim_rec *sims;       size_t nsims, csims;
	struct measure_rec *meas;   size_t nmeas, cmeas;
	struct gedge *edges;         size_t nedges, cedges;
	struct di_rec *dis;          size_t ndis, cdis;
	struct ns_count *nss;       size_t nnss, cnss;
	struct warn_count *wcs;     size_t nwcs, cwcs;
	char *defs_doc;
	const char *defs_name;
	const char *collab_name;     /* the first collaboration's name */
	bool ours;                   /* written by stepmap (exporter="stepmap") */

	struct bpmn_stats stats;
	const xmlChar *ns_last;      /* the last namespace classified */
	enum ns_kind ns_last_kind;
};

/* --- shared between the reader's files ----------------------------------- */

/* bpmn.c */
/* Append s[0..n) to b (at most TEXT_MAX in all, then b->truncated); -1 when
 * out of memory. */
int bpmn_buf_add(struct buf *b, const char *s, size_t n);
struct id_slot *bpmn_idmap_find(const struct idmap *m, const char *key);
/* Insert key; 1 inserted, 0 already there (*old set), -1 out of memory. */
int bpmn_idmap_put(struct idmap *m, const char *key, enum obj obj, int index,
                   const struct id_slot **old);
/* Report something not represented; key groups warnings of one kind. */
void bpmn_warn(struct rd *rd, unsigned line, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void bpmn_warn_summaries(struct rd *rd);
/* A name for messages: 'name' or the id. */
const char *bpmn_shown(const char *name, const char *id);

/* bpmn_parse.c */
/* A copy of s in the reader's arena (NULL: s NULL or out of memory). */
const char *bpmn_keep(struct rd *rd, const char *s);
/* Append paragraph text to *dst (malloc'd), separated by a blank line. */
int bpmn_append_para(char **dst, const char *text);
void bpmn_warn_unrep(struct rd *rd, unsigned line, const char *local, const char *id,
                     const char *name, const char *why);
/* The step of node i, created on first use, for extension fields. */
struct step *bpmn_node_ext(struct rd *rd, int i);
uint64_t bpmn_hash64(const char *s, size_t n);
/* Any start tag. Sets *skip when its subtree needs no reading. */
void bpmn_on_start(struct rd *rd, struct tag *node, int depth, unsigned line, bool *skip);
void bpmn_on_end(struct rd *rd, int depth);

/* The value of the unprefixed attribute name of t, or NULL. */
const char *bpmn_tag_attr(struct tag *t, const char *name);

/* bpmn_di.c */
/* A start tag in the DI namespaces: its frame's context (CX_SKIP: not read). */
void bpmn_read_di(struct rd *rd, struct tag *node, const char *local, const struct frame *up,
                   struct frame *f, unsigned line);
/* Hand each shape and edge read to the pool, lane, node or flow it shows. */
void bpmn_resolve_di(struct rd *rd);
void bpmn_read_di_done(struct rd *rd);

/* bpmn_resolve.c */
/* Resolve what was read and emit it into the sink. */
enum status bpmn_resolve(struct rd *rd);

#endif
