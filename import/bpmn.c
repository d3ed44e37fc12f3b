/*
 * bpmn.c - the BPMN 2.0 reader (see bpmn.h for what it reads and reports).
 *
 * Three stages, each linear in the file or the model:
 *
 *   scan     the raw bytes of each chunk read, before libxml2 sees them: a
 *            small state machine that counts the attributes of each start
 *            tag and refuses a document type declaration (libxml2 2.9 is
 *            quadratic on a tag with many attributes)
 *   parse    libxml2's SAX2 push parser, one event at a time, into compact
 *            records kept in an arena (processes, lanes, nodes, flows,
 *            annotations, BPSim parameters): what the model needs, never the
 *            document, never the diagram. A frame per open element (indexed
 *            by depth) says what its children belong to. SAX rather than
 *            xmlTextReader: the reader builds and frees a tree node for every
 *            element and attribute, which doubles the time of a large file
 *            (0.39 s against 0.19 s for 82 MB here), and most of those
 *            elements are diagram shapes this reader skips.
 *   resolve  once the whole file is read, since BPMN refers forward and
 *            across (a pool names its process after it; lanes list their
 *            nodes; subprocesses are flattened through their flows;
 *            annotations attach through associations; BPSim sits at the end):
 *            lanes assigned, subprocesses flattened, flows rewired, notes
 *            attached, then everything emitted into the sink in document
 *            order. The sink orders steps by flow.
 *
 * Owns: the arena and every record; nothing survives bpmn_read().
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>

#include "import/bpmn.h"
#include "import/arena.h"
#include "import/vec.h"
#include "model/bounds.h"
#include "model/file.h"

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

static int
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n > TEXT_MAX) {
		n = TEXT_MAX - b->n;
		b->truncated = true;
	}
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 256;
		char *q;

		while (nc < b->n + n + 1)
			nc *= 2;
		q = realloc(b->s, nc);
		if (!q)
			return -1;
		b->s = q;
		b->cap = nc;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
	return 0;
}

/* --- records ------------------------------------------------------------ */

enum obj { OBJ_NONE, OBJ_PROCESS, OBJ_PARTICIPANT, OBJ_LANE, OBJ_NODE, OBJ_FLOW,
           OBJ_ANNOT, OBJ_OTHER };

struct proc_rec {
	const char *id, *name, *pool;
	char *desc;                  /* malloc'd, paragraphs */
	unsigned line;
	size_t nnodes;
	bool has_ext_arrival;
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
	double timer_s;              /* timeDuration of a timer, < 0: none */
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
};

struct annot_rec {
	const char *id;
	char *text;                  /* malloc'd */
	int proc;
	unsigned line;
	bool used;
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

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct id_slot *
idmap_find(const struct idmap *m, const char *key)
{
	uint32_t h;
	size_t i;

	if (!m->cap || !key)
		return NULL;
	h = hash_str(key);
	for (i = h & (m->cap - 1); m->slots[i].key; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].hash == h && !strcmp(m->slots[i].key, key))
			return &m->slots[i];
	return NULL;
}

/* Room for about n keys without growing (a hint from the file's size). */
static void
idmap_reserve(struct idmap *m, size_t n)
{
	size_t cap = 1024;

	while (cap < n + n / 3 && cap < ((size_t)1 << 26))
		cap *= 2;
	m->slots = vec_zalloc(cap, sizeof *m->slots);
	m->cap = m->slots ? cap : 0;
}

/* Insert key; 1 inserted, 0 already there (*old set), -1 out of memory. */
static int
idmap_put(struct idmap *m, const char *key, enum obj obj, int index,
          const struct id_slot **old)
{
	uint32_t h = hash_str(key);
	size_t i;

	if ((m->n + 1) * 4 > m->cap * 3) {
		size_t nc = m->cap ? m->cap * 2 : 1024, j;
		struct id_slot *ns = vec_zalloc(nc, sizeof *ns);

		if (!ns)
			return -1;
		for (j = 0; j < m->cap; j++) {
			struct id_slot *s = &m->slots[j];

			if (!s->key)
				continue;
			for (i = s->hash & (nc - 1); ns[i].key; i = (i + 1) & (nc - 1))
				;
			ns[i] = *s;
		}
		vec_free(m->slots, m->cap, sizeof *m->slots);
		m->slots = ns;
		m->cap = nc;
	}
	for (i = h & (m->cap - 1); m->slots[i].key; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].hash == h && !strcmp(m->slots[i].key, key)) {
			*old = &m->slots[i];
			return 0;
		}
	m->slots[i] = (struct id_slot){ key, h, (uint8_t)obj, index };
	m->n++;
	return 1;
}

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
	_(CALL_ACTIVITY, "callActivity",      EC_NODE, STEP_SUBPROCESS, \
	  "imported as one subprocess step; the process it calls is not read") \
	_(XOR_GATEWAY,   "exclusiveGateway",  EC_NODE, STEP_DECISION, NULL) \
	_(AND_GATEWAY,   "parallelGateway",   EC_NODE, STEP_PARALLEL, NULL) \
	_(OR_GATEWAY,    "inclusiveGateway",  EC_NODE, STEP_DECISION, \
	  "imported as a decision: one branch is taken, never several") \
	_(EVENT_GATEWAY, "eventBasedGateway", EC_NODE, STEP_DECISION, \
	  "imported as a decision: the branch is chosen by probability, not by the first event") \
	_(COMPLEX_GATEWAY, "complexGateway",  EC_NODE, STEP_DECISION, \
	  "imported as a decision: its activation condition is not kept") \
	_(START_EVENT,   "startEvent",        EC_NODE, STEP_START, NULL) \
	_(END_EVENT,     "endEvent",          EC_NODE, STEP_END, NULL) \
	_(CATCH_EVENT,   "intermediateCatchEvent", EC_NODE, STEP_WAIT, NULL) \
	_(THROW_EVENT,   "intermediateThrowEvent", EC_NODE, STEP_TASK, NULL) \
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
	_(TIME_DURATION, "timeDuration",      EC_TIME_DURATION, 0, NULL) \
	_(BOUNDARY,      "boundaryEvent",     EC_UNREP_NODE,    0, \
	  "not represented (a step has one way out; the exception path it starts is imported unconnected)") \
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

static const struct elem_info {
	const char *local;
	enum elem_class cls;
	enum step_type type;
	const char *why;
} elems[] = {
	[EL_NONE] = { "", EC_UNKNOWN, STEP_TASK, NULL },
#define ELEM_ROW_(name, local, cls, type, why) [EL_##name] = { local, cls, type, why },
	BPMN_ELEM_INFO(ELEM_ROW_)
#undef ELEM_ROW_
};

enum ns_kind { NS_OTHER, NS_BPMN, NS_STEPMAP, NS_BPSIM, NS_DI, NS_XSI };

/* --- the reader's state -------------------------------------------------- */

/* What the children of an open element belong to. */
enum ctx {
	CX_SKIP, CX_DEFS, CX_PROCESS, CX_COLLAB, CX_PARTICIPANT, CX_LANESET, CX_LANE,
	CX_NODE, CX_FLOW, CX_ANNOT, CX_EXT, CX_EVENT_DEF, CX_RELATIONSHIP,
	CX_CAPTURE, CX_SM, CX_BPSIM, CX_BP_SCENARIO, CX_BP_ELEMENT, CX_BP_GROUP,
	CX_BP_PARAM
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

/* The raw-byte scanner (see scan()). */
enum scan_state {
	SC_TEXT, SC_LT, SC_TAG, SC_DQ, SC_SQ, SC_END_TAG, SC_PI, SC_BANG, SC_BANG_DASH,
	SC_BANG_CDATA, SC_COMMENT, SC_CDATA
};

struct scanner {
	enum scan_state st;
	size_t attrs, max_attrs;
	int k;                       /* progress in a multi-byte marker */
	unsigned line;
	const char *tripped;         /* why the scan stopped the read, or NULL */
	size_t at;                   /* where, in the chunk */
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
	struct scanner sc;
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

/* --- warnings ------------------------------------------------------------ */

/*
 * Report something not represented. key groups warnings of one kind: after
 * WARN_REPEAT of them the rest are counted and summed up at the end.
 */
static void __attribute__((format(printf, 4, 5)))
warn_at(struct rd *rd, unsigned line, const char *key, const char *fmt, ...)
{
	char where[512], what[1024];
	va_list ap;

	if (key) {
		size_t i;

		for (i = 0; i < rd->nwcs && strcmp(rd->wcs[i].key, key); i++)
			;
		if (i == rd->nwcs) {
			char *k = strdup(key);

			if (!k || vec_grow(&rd->wcs, &rd->cwcs, rd->nwcs, sizeof *rd->wcs) < 0) {
				free(k);
				rd->nomem = true;
				return;
			}
			rd->wcs[rd->nwcs++] = (struct warn_count){ k, 0 };
		}
		if (++rd->wcs[i].n > WARN_REPEAT)
			return;
	}
	if (line)
		snprintf(where, sizeof where, "%s:%u", rd->name, line);
	else
		snprintf(where, sizeof where, "%s", rd->name);
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	/* one warning, one line: a name's line breaks and tabs become blanks */
	for (char *c = what; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	rd->stats.warnings++;
	if (rd->sink && rd->sink->ops->warn)
		rd->sink->ops->warn(rd->sink->ctx, where, what);
}

static void
warn_summaries(struct rd *rd)
{
	size_t i;

	for (i = 0; i < rd->nwcs; i++)
		if (rd->wcs[i].n > WARN_REPEAT)
			warn_at(rd, 0, NULL, "%zu more like '%s' not listed",
			        rd->wcs[i].n - WARN_REPEAT, rd->wcs[i].key);
}

/* A name for messages: 'name' or the id. */
static const char *
shown(const char *name, const char *id)
{
	return name && *name ? name : id ? id : "?";
}

/* --- libxml2 plumbing ------------------------------------------------------ */

static void
on_xml_error(void *arg, xmlErrorPtr e)
{
	struct rd *rd = arg;
	char msg[ERR_MSG_MAX];
	size_t n;

	if (!e)
		return;
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (e->level == XML_ERR_WARNING) {
		warn_at(rd, (unsigned)(e->line > 0 ? e->line : 0), "XML warning",
		        "XML warning: %s", msg);
		return;
	}
	if (e->code == XML_ERR_NO_MEMORY)
		rd->nomem = true;
	/* libxml2's advice to use XML_PARSE_HUGE is not the user's to follow */
	if (!strncmp(msg, "Excessive depth", 15))
		snprintf(msg, sizeof msg, "elements nested deeper than %d levels: refused",
		         BPMN_MAX_DEPTH);
	else if (strstr(msg, "Huge input lookup") || strstr(msg, "too long") ||
	         strstr(msg, "length too"))
		snprintf(msg, sizeof msg, "a text or attribute value longer than libxml2's limit "
		         "(10 MB): refused");
	if (rd->xml_errors++ == 0) {
		if (e->line > 0)
			snprintf(rd->xml_msg, sizeof rd->xml_msg, "%s:%d: %s", rd->name, e->line, msg);
		else
			snprintf(rd->xml_msg, sizeof rd->xml_msg, "%s: %s", rd->name, msg);
	}
}

/* The global handlers libxml2 uses outside the reader (I/O, the loader). */
static struct rd *active_rd;

static void
on_generic_error(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
	if (active_rd && active_rd->xml_errors++ == 0)
		snprintf(active_rd->xml_msg, sizeof active_rd->xml_msg,
		         "%s: XML error (reported outside the parser)", active_rd->name);
}

static xmlParserInputPtr
refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)ctxt;
	if (active_rd && active_rd->xml_errors++ == 0)
		snprintf(active_rd->xml_msg, sizeof active_rd->xml_msg,
		         "%s: refused to load the external resource '%s': a BPMN file is read on its own",
		         active_rd->name, url ? url : id ? id : "?");
	return NULL;
}

/*
 * The scanner: advance over n raw bytes. Counts the attributes of each start
 * tag (one per quoted value) and stops at a document type declaration.
 * Returns false when the read must stop (sc->tripped says why).
 */
static bool
scan(struct scanner *sc, const char *p, size_t n)
{
	const char *end = p + n, *q;
	static const char cdata[] = "[CDATA[";

	while (p < end) {
		switch (sc->st) {
		case SC_TEXT:
			q = memchr(p, '<', (size_t)(end - p));
			if (!q)
				return true;
			p = q + 1;
			sc->st = SC_LT;
			continue;
		case SC_LT:
			if (*p == '!') {
				sc->st = SC_BANG;
				p++;
			} else if (*p == '?') {
				sc->st = SC_PI;
				sc->k = 0;
				p++;
			} else if (*p == '/') {
				sc->st = SC_END_TAG;
				p++;
			} else {
				sc->st = SC_TAG;
				sc->attrs = 0;
			}
			continue;
		case SC_TAG:
			for (; p < end; p++) {
				if (*p == '"' || *p == '\'') {
					if (++sc->attrs > sc->max_attrs) {
						sc->tripped = "too many attributes";
						sc->at = (size_t)(p - (end - n));
						return false;
					}
					sc->st = *p == '"' ? SC_DQ : SC_SQ;
					p++;
					break;
				}
				if (*p == '>') {
					sc->st = SC_TEXT;
					p++;
					break;
				}
			}
			continue;
		case SC_DQ:
		case SC_SQ:
			q = memchr(p, sc->st == SC_DQ ? '"' : '\'', (size_t)(end - p));
			if (!q)
				return true;
			p = q + 1;
			sc->st = SC_TAG;
			continue;
		case SC_END_TAG:
			q = memchr(p, '>', (size_t)(end - p));
			if (!q)
				return true;
			p = q + 1;
			sc->st = SC_TEXT;
			continue;
		case SC_PI:
			for (; p < end; p++) {
				if (*p == '>' && sc->k) {
					sc->st = SC_TEXT;
					p++;
					break;
				}
				sc->k = *p == '?';
			}
			continue;
		case SC_BANG:
			if (*p == '-') {
				sc->st = SC_BANG_DASH;
			} else if (*p == '[') {
				sc->st = SC_BANG_CDATA;
				sc->k = 1;
			} else {
				sc->tripped = "document type declaration";
				sc->at = (size_t)(p - (end - n));
				return false;
			}
			p++;
			continue;
		case SC_BANG_DASH:
			sc->st = *p == '-' ? SC_COMMENT : SC_TEXT;
			sc->k = 0;
			p++;
			continue;
		case SC_BANG_CDATA:
			if (*p != cdata[sc->k]) {
				sc->st = SC_TEXT; /* not well-formed: libxml2 says so */
				continue;
			}
			p++;
			if (!cdata[++sc->k]) {
				sc->st = SC_CDATA;
				sc->k = 0;
			}
			continue;
		case SC_COMMENT:
		case SC_CDATA: {
			char mark = sc->st == SC_COMMENT ? '-' : ']';

			for (; p < end; p++) {
				if (*p == '>' && sc->k >= 2) {
					sc->st = SC_TEXT;
					p++;
					break;
				}
				sc->k = *p == mark ? sc->k + 1 : 0;
			}
			continue;
		}
		}
	}
	return true;
}

/* --- small helpers ----------------------------------------------------------- */

static const char *
keep(struct rd *rd, const char *s)
{
	char *p = arena_strdup(&rd->a, s);

	if (s && !p)
		rd->nomem = true;
	return p;
}

/* A name on one line: control characters become spaces, runs of blanks one,
 * ends trimmed. */
static const char *
keep_name(struct rd *rd, const char *s)
{
	char *p, *w;
	const char *r;
	bool blank = true;

	if (!s)
		return NULL;
	p = (char *)keep(rd, s);
	if (!p)
		return NULL;
	for (w = p, r = p; *r; r++) {
		unsigned char c = (unsigned char)*r;

		if (c < 0x20 || c == ' ') {
			if (!blank)
				*w++ = ' ';
			blank = true;
		} else {
			*w++ = (char)c;
			blank = false;
		}
	}
	if (w > p && w[-1] == ' ')
		w--;
	*w = '\0';
	return p;
}

/* Copy the tag's attribute values, NUL-terminated, into the reader's scratch
 * space (valid until the next start tag). */
static bool
copy_values(struct tag *t)
{
	struct rd *rd = t->rd;
	size_t need = 0, off = 0;
	int i;

	for (i = 0; i < t->nattrs; i++)
		need += (size_t)(t->attrs[5 * i + 4] - t->attrs[5 * i + 3]) + 1;
	if (need > rd->scap) {
		char *b = realloc(rd->sbuf, need);

		if (!b)
			return false;
		rd->sbuf = b;
		rd->scap = need;
	}
	if ((size_t)t->nattrs > rd->svcap) {
		const char **v = realloc(rd->svals, (size_t)t->nattrs * sizeof *v);

		if (!v)
			return false;
		rd->svals = v;
		rd->svcap = (size_t)t->nattrs;
	}
	for (i = 0; i < t->nattrs; i++) {
		size_t n = (size_t)(t->attrs[5 * i + 4] - t->attrs[5 * i + 3]);

		memcpy(rd->sbuf + off, t->attrs[5 * i + 3], n);
		rd->sbuf[off + n] = '\0';
		rd->svals[i] = rd->sbuf + off;
		off += n + 1;
	}
	t->copied = true;
	return true;
}

/* The value of attribute i of t. */
static const char *
attr_value(struct tag *t, int i)
{
	if (!t->copied && !copy_values(t)) {
		t->rd->nomem = true;
		return "";
	}
	return t->rd->svals[i];
}

/* The value of the attribute `name` with no namespace, or NULL. The pointer
 * is valid until the next start tag. */
static const char *
attr(struct tag *t, const char *name)
{
	int i;

	for (i = 0; i < t->nattrs; i++)
		if (!t->attrs[5 * i + 2] && !strcmp((const char *)t->attrs[5 * i], name))
			return attr_value(t, i);
	return NULL;
}

/* Append paragraph text to *dst (malloc'd), separated by a blank line. */
static int
append_para(char **dst, const char *text)
{
	size_t a, b;
	char *p;

	while (*text && isspace((unsigned char)*text))
		text++;
	b = strlen(text);
	while (b && isspace((unsigned char)text[b - 1]))
		b--;
	if (!b)
		return 0;
	a = *dst ? strlen(*dst) : 0;
	p = realloc(*dst, a + (a ? 2 : 0) + b + 1);
	if (!p)
		return -1;
	if (a) {
		memcpy(p + a, "\n\n", 2);
		a += 2;
	}
	memcpy(p + a, text, b);
	p[a + b] = '\0';
	*dst = p;
	return 0;
}

static double
parse_double(const char *s, bool *ok)
{
	char *e;
	double v;

	*ok = false;
	if (!s)
		return 0;
	errno = 0;
	v = strtod(s, &e);
	while (*e && isspace((unsigned char)*e))
		e++;
	*ok = e != s && !*e && errno == 0 && isfinite(v);
	return v;
}

bool
bpmn_iso_duration(const char *text, double *seconds)
{
	const char *p = text;
	double total = 0;
	bool in_time = false, any = false;

	if (!p)
		return false;
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != 'P')
		return false;
	while (*p && !isspace((unsigned char)*p)) {
		char *e;
		double v;

		if (*p == 'T') {
			if (in_time)
				return false;
			in_time = true;
			p++;
			continue;
		}
		if (!isdigit((unsigned char)*p) && *p != '.')
			return false;
		v = strtod(p, &e);
		if (e == p || !isfinite(v) || v < 0)
			return false;
		p = e;
		switch (*p) {
		case 'Y': if (in_time) return false; total += v * 365 * 86400; break;
		case 'M': total += in_time ? v * 60 : v * 30 * 86400; break;
		case 'W': if (in_time) return false; total += v * 7 * 86400; break;
		case 'D': if (in_time) return false; total += v * 86400; break;
		case 'H': if (!in_time) return false; total += v * 3600; break;
		case 'S': if (!in_time) return false; total += v; break;
		default: return false;
		}
		p++;
		any = true;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (!any || *p)
		return false;
	*seconds = total;
	return true;
}

/* --- records: creation ---------------------------------------------------------- */

/*
 * Register *id for a new object. An id already used by an element that is
 * imported keeps pointing there (the first wins, reported); the newcomer gets
 * a key of its own ("id~2") so it is still imported. An element that is not
 * imported (OBJ_OTHER) gives way to one that is.
 */
static void
register_id(struct rd *rd, const char **id, enum obj obj, int index, const char *local,
            unsigned line)
{
	const struct id_slot *old = NULL;
	char key[64];
	int r, k;

	if (!*id || !**id)
		return;
	r = idmap_put(&rd->ids, *id, obj, index, &old);
	if (r < 0) {
		rd->nomem = true;
		return;
	}
	if (r == 1)
		return;
	if (old->obj == OBJ_OTHER && obj != OBJ_OTHER) {
		struct id_slot *o = (struct id_slot *)old;

		o->obj = (uint8_t)obj;
		o->index = index;
		warn_at(rd, line, "duplicate id", "element '%s' id=%s: the id is used twice; "
		        "this element, the one imported, keeps it", local, *id);
		return;
	}
	warn_at(rd, line, "duplicate id", "element '%s' id=%s: the id is used twice; the "
	        "first element keeps it%s", local, *id,
	        obj == OBJ_OTHER ? "" : ", this one is imported as id~2 (or ~3...)");
	if (obj == OBJ_OTHER)
		return;
	for (k = 2; k < 1000000; k++) {
		char *n;
		size_t len = strlen(*id);

		snprintf(key, sizeof key, "~%d", k);
		n = arena_alloc(&rd->a, len + strlen(key) + 1);
		if (!n) {
			rd->nomem = true;
			return;
		}
		memcpy(n, *id, len);
		strcpy(n + len, key);
		if (!idmap_find(&rd->ids, n)) {
			*id = n;
			if (idmap_put(&rd->ids, n, obj, index, &old) < 0)
				rd->nomem = true;
			return;
		}
	}
}

static void
warn_unrep(struct rd *rd, unsigned line, const char *local, const char *id,
           const char *name, const char *why)
{
	char key[128];

	snprintf(key, sizeof key, "element '%s'", local);
	warn_at(rd, line, key, "element '%s'%s%s%s%s%s: %s", local,
	        id ? " id=" : "", id ? id : "", name && *name ? " '" : "",
	        name && *name ? name : "", name && *name ? "'" : "",
	        why ? why : "not represented");
}

/* Count an element of another tool's namespace inside extensionElements. */
static void
count_foreign(struct rd *rd, const char *uri, const char *local, unsigned line)
{
	size_t i;

	for (i = 0; i < rd->nnss; i++)
		if (!strcmp(rd->nss[i].uri, uri)) {
			rd->nss[i].n++;
			return;
		}
	if (vec_grow(&rd->nss, &rd->cnss, rd->nnss, sizeof *rd->nss) < 0) {
		rd->nomem = true;
		return;
	}
	rd->nss[rd->nnss] = (struct ns_count){ strdup(uri), strdup(local), 1, line };
	if (!rd->nss[rd->nnss].uri || !rd->nss[rd->nnss].first)
		rd->nomem = true;
	rd->nnss++;
}

static enum bpmn_elem
elem_lookup(const char *local)
{
	static int sorted[EL_COUNT_];
	static size_t n;
	size_t lo = 0, hi;

	if (!n) {
		size_t i, j;

		for (i = 1; i < EL_COUNT_; i++) {
			for (j = n; j > 0 && strcmp(elems[sorted[j - 1]].local, elems[i].local) > 0; j--)
				sorted[j] = sorted[j - 1];
			sorted[j] = (int)i;
			n++;
		}
	}
	hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(local, elems[sorted[mid]].local);

		if (!c)
			return (enum bpmn_elem)sorted[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return EL_NONE;
}


static enum ns_kind
ns_kind(struct rd *rd, const xmlChar *href)
{
	const char *h = (const char *)href;
	enum ns_kind k;

	if (!h)
		return NS_OTHER;
	if (href == rd->ns_last)
		return rd->ns_last_kind;
	if (!strcmp(h, BPMN_MODEL_NS))
		k = NS_BPMN;
	else if (!strcmp(h, BPMN_STEPMAP_NS))
		k = NS_STEPMAP;
	else if (!strcmp(h, BPMN_BPSIM2_NS) || !strcmp(h, BPMN_BPSIM1_NS))
		k = NS_BPSIM;
	else if (!strcmp(h, "http://www.omg.org/spec/BPMN/20100524/DI") ||
	         !strcmp(h, "http://www.omg.org/spec/DD/20100524/DC") ||
	         !strcmp(h, "http://www.omg.org/spec/DD/20100524/DI"))
		k = NS_DI;
	else
		k = NS_OTHER;
	rd->ns_last = href;
	rd->ns_last_kind = k;
	return k;
}

/* Record the attributes of another tool's namespace on an element we keep. */
static void
count_foreign_attrs(struct rd *rd, struct tag *t, unsigned line)
{
	int i;

	for (i = 0; i < t->nattrs; i++) {
		const xmlChar *uri = t->attrs[5 * i + 2];
		const char *h = (const char *)uri;

		if (!uri)
			continue;
		if (!strcmp(h, "http://www.w3.org/2001/XMLSchema-instance") ||
		    !strcmp(h, "http://www.w3.org/XML/1998/namespace"))
			continue;
		if (ns_kind(rd, uri) == NS_BPMN)
			continue;
		count_foreign(rd, h, (const char *)t->attrs[5 * i], line);
	}
}

static int
new_node(struct rd *rd, struct tag *node, enum bpmn_elem el, const struct frame *parent,
         unsigned line)
{
	struct node_rec *n;
	const char *id = attr(node, "id"), *name = attr(node, "name");
	int i;

	if (vec_grow(&rd->nodes, &rd->cnodes, rd->nnodes, sizeof *rd->nodes) < 0) {
		rd->nomem = true;
		return NONE;
	}
	i = (int)rd->nnodes;
	n = &rd->nodes[i];
	memset(n, 0, sizeof *n);
	n->id = keep(rd, id);
	n->name = keep_name(rd, name);
	n->line = line;
	n->proc = parent->proc;
	n->parent = parent->container;
	n->lane = NONE;
	n->first_in = n->first_out = NONE;
	n->elem = (uint8_t)el;
	n->type = (uint8_t)elems[el].type;
	n->timer_s = -1;
	if (elems[el].cls == EC_CONTAINER) {
		const char *t = attr(node, "triggeredByEvent");

		n->flags |= NF_CONTAINER;
		if (t && (!strcmp(t, "true") || !strcmp(t, "1")))
			n->flags |= NF_EVENT_SUB;
	}
	if (el == EL_START_EVENT || el == EL_END_EVENT)
		n->flags |= NF_PLAIN_EVENT;
	if (!id) {
		char key[32];

		snprintf(key, sizeof key, "(no id %d)", i + 1);
		n->id = keep(rd, key);
		warn_at(rd, line, "no id", "element '%s'%s%s%s: no id; imported, but no flow "
		        "can reach it", elems[el].local, name ? " '" : "", name ? name : "",
		        name ? "'" : "");
	} else {
		register_id(rd, &n->id, OBJ_NODE, i, elems[el].local, line);
	}
	if (elems[el].why)
		warn_unrep(rd, line, elems[el].local, id, name, elems[el].why);
	if (n->proc != NONE)
		rd->procs[n->proc].nnodes++;
	if (n->parent != NONE)
		rd->nodes[n->parent].nchildren++;
	count_foreign_attrs(rd, node, line);
	rd->nnodes++;
	return i;
}

/* --- reading: start tags ----------------------------------------------------------- */

static void
begin_capture(struct rd *rd, enum capture cap, int obj, int depth, unsigned line)
{
	rd->cap = cap;
	rd->cap_obj = obj;
	rd->cap_depth = depth;
	rd->cap_line = line;
	rd->text.n = 0;
	rd->text.truncated = false;
	if (rd->text.s)
		rd->text.s[0] = '\0';
}

static double
bpsim_unit(const char *u)
{
	static const struct { const char *name; double s; } units[] = {
		{ "ms", 0.001 }, { "s", 1 }, { "min", 60 }, { "hour", 3600 },
		{ "day", 86400 }, { "year", 365 * 86400.0 },
	};
	size_t i;

	for (i = 0; u && i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(u, units[i].name))
			return units[i].s;
	return 0;
}

static void
add_sim(struct rd *rd, enum sim_what what, const struct dist *d, double v, unsigned line)
{
	if (!rd->bp_ref)
		return;
	if (vec_grow(&rd->sims, &rd->csims, rd->nsims, sizeof *rd->sims) < 0) {
		rd->nomem = true;
		return;
	}
	rd->sims[rd->nsims++] = (struct sim_rec){ rd->bp_ref, what, d ? *d : (struct dist){ 0 },
	                                          v, line };
}

/*
 * A BPSim parameter value: a distribution (times in the scenario's base unit)
 * or a constant. what: the parameter it belongs to.
 */
static void
bpsim_value(struct rd *rd, struct tag *node, const char *local, enum sim_what what,
            unsigned line)
{
	double u = rd->bp_unit > 0 ? rd->bp_unit : 1;
	bool time = what == SIM_WORK || what == SIM_WAIT || what == SIM_ARRIVAL;
	struct dist d = { DIST_NONE, { 0, 0, 0 } };
	bool ok = true, o;
	double v = 0;
	const char *a;

	if (!time)
		u = 1;
	if (!strcmp(local, "FloatingParameter") || !strcmp(local, "NumericParameter")) {
		v = parse_double(attr(node, "value"), &ok);
		d = dist_fixed(v * u);
	} else if (!strcmp(local, "DurationParameter")) {
		ok = bpmn_iso_duration(attr(node, "value"), &v);
		d = dist_fixed(v);
		u = 1;
	} else if (!strcmp(local, "TriangularDistribution")) {
		d.kind = DIST_TRI;
		d.p[0] = parse_double(attr(node, "min"), &o) * u; ok = ok && o;
		d.p[1] = parse_double(attr(node, "mode"), &o) * u; ok = ok && o;
		d.p[2] = parse_double(attr(node, "max"), &o) * u; ok = ok && o;
	} else if (!strcmp(local, "UniformDistribution")) {
		d.kind = DIST_UNI;
		d.p[0] = parse_double(attr(node, "min"), &o) * u; ok = ok && o;
		d.p[1] = parse_double(attr(node, "max"), &o) * u; ok = ok && o;
	} else if (!strcmp(local, "NormalDistribution") ||
	           !strcmp(local, "TruncatedNormalDistribution")) {
		d.kind = DIST_NORM;
		d.p[0] = parse_double(attr(node, "mean"), &o) * u; ok = ok && o;
		d.p[1] = parse_double(attr(node, "standardDeviation"), &o) * u; ok = ok && o;
	} else if (!strcmp(local, "LogNormalDistribution")) {
		d.kind = DIST_LOGN;
		d.p[0] = parse_double(attr(node, "mean"), &o) * u; ok = ok && o;
		d.p[1] = parse_double(attr(node, "standardDeviation"), &o) * u; ok = ok && o;
	} else if (!strcmp(local, "ExponentialDistribution")) {
		d.kind = DIST_EXP;
		d.p[0] = parse_double(attr(node, "mean"), &o) * u; ok = ok && o;
	} else {
		warn_unrep(rd, line, local, rd->bp_ref, NULL,
		           "not represented (stepmap's distributions are fixed, uniform, "
		           "triangular, exponential, normal and lognormal)");
		return;
	}
	if (!ok) {
		a = attr(node, "value");
		warn_at(rd, line, "bad BPSim value", "BPSim '%s' for '%s': not a number%s%s%s",
		        local, rd->bp_ref ? rd->bp_ref : "?", a ? " ('" : "", a ? a : "",
		        a ? "')" : "");
		return;
	}
	if (!time && (what == SIM_PROB || what == SIM_QUANTITY || what == SIM_COST))
		v = d.kind == DIST_FIXED ? d.p[0] : dist_mean(&d);
	add_sim(rd, what, time ? &d : NULL, v, line);
}

static enum sim_what
bpsim_param(const char *local, bool *known)
{
	static const struct { const char *name; enum sim_what what; } params[] = {
		{ "ProcessingTime", SIM_WORK }, { "WaitTime", SIM_WAIT },
		{ "Probability", SIM_PROB }, { "InterTriggerTimer", SIM_ARRIVAL },
		{ "Quantity", SIM_QUANTITY }, { "UnitCost", SIM_COST },
		{ "FixedCost", SIM_COST },
	};
	size_t i;

	for (i = 0; i < sizeof params / sizeof params[0]; i++)
		if (!strcmp(local, params[i].name)) {
			*known = true;
			return params[i].what;
		}
	*known = false;
	return SIM_WORK;
}

/* An element in the BPSim namespace; sets the frame for its children. */
static void
start_bpsim(struct rd *rd, struct tag *node, const char *local, const struct frame *up,
            struct frame *f, unsigned line)
{
	f->ctx = CX_SKIP;
	if (!strcmp(local, "BPSimData")) {
		f->ctx = CX_BPSIM;
	} else if (up->ctx == CX_BPSIM && !strcmp(local, "Scenario")) {
		rd->bp_unit = 0;
		if (rd->bp_scenarios++ > 0) {
			const char *nm = attr(node, "name");

			warn_at(rd, line, "BPSim scenario",
			        "BPSim scenario '%s': not imported (only the first scenario is)",
			        shown(nm, attr(node, "id")));
			return;
		}
		f->ctx = CX_BP_SCENARIO;
	} else if (up->ctx == CX_BP_SCENARIO && !strcmp(local, "ScenarioParameters")) {
		rd->bp_unit = bpsim_unit(attr(node, "baseTimeUnit"));
		if (!rd->bp_unit && attr(node, "baseTimeUnit"))
			warn_at(rd, line, "BPSim unit", "BPSim baseTimeUnit '%s': unknown, "
			        "taken as seconds", attr(node, "baseTimeUnit"));
	} else if (up->ctx == CX_BP_SCENARIO && !strcmp(local, "ElementParameters")) {
		rd->bp_ref = keep(rd, attr(node, "elementRef"));
		f->ctx = CX_BP_ELEMENT;
	} else if (up->ctx == CX_BP_ELEMENT) {
		f->ctx = CX_BP_GROUP;  /* TimeParameters, ControlParameters... */
	} else if (up->ctx == CX_BP_GROUP) {
		bool known;
		enum sim_what w = bpsim_param(local, &known);

		if (!known) {
			warn_unrep(rd, line, local, rd->bp_ref, NULL,
			           "BPSim parameter not represented");
			return;
		}
		f->ctx = CX_BP_PARAM;
		f->obj = (int)w;
	} else if (up->ctx == CX_BP_PARAM) {
		bpsim_value(rd, node, local, (enum sim_what)up->obj, line);
	}
}

/* The step of node i, created on first use, for extension fields. */
static struct step *
node_ext(struct rd *rd, int i)
{
	struct node_rec *n = &rd->nodes[i];

	if (!n->x) {
		n->x = malloc(sizeof *n->x);
		if (!n->x) {
			rd->nomem = true;
			return NULL;
		}
		step_init(n->x);
	}
	return n->x;
}

/* One stepmap field of the object an extension belongs to. */
static void
sm_field(struct rd *rd, const struct frame *f, const char *key, const char *value,
         unsigned line)
{
	struct err e = { 0 };
	int k;

	if (!key || !value)
		return;
	switch (f->owner_ctx) {
	case CX_NODE: {
		struct step *s;

		k = step_field_parse(key);
		if (k < 0 || k == FIELD_LANE || k == FIELD_NAME)
			break;
		s = node_ext(rd, f->owner);
		if (!s)
			return;
		if (step_set_field(NULL, s, (enum step_field)k, value, &e) != STATUS_OK) {
			warn_at(rd, line, "bad stepmap field", "stepmap field of '%s': %s",
			        shown(rd->nodes[f->owner].name, rd->nodes[f->owner].id), e.msg);
			return;
		}
		rd->nodes[f->owner].ext_fields |= 1u << k;
		return;
	}
	case CX_LANE: {
		struct lane_rec *l = &rd->lanes[f->owner];

		if (!strcmp(key, "stage")) {
			if ((k = stage_parse(value)) < 0)
				warn_at(rd, line, "bad stepmap field",
				        "lane '%s': stage '%s' unknown (customer, onstage, offstage "
				        "or support)", shown(l->name, l->id), value);
			else
				l->stage = k;
			return;
		}
		if (!strcmp(key, "capacity")) {
			bool ok;
			double v = parse_double(value, &ok);

			if (!ok || v < 0 || v > 1e6 || v != floor(v))
				warn_at(rd, line, "bad stepmap field",
				        "lane '%s': capacity '%s' is not a whole number",
				        shown(l->name, l->id), value);
			else
				l->capacity = (int)v;
			return;
		}
		break;
	}
	case CX_FLOW: {
		struct flow_rec *fl = &rd->flows[f->owner];

		if (!strcmp(key, "probability") || !strcmp(key, "prob")) {
			bool ok;
			double v = parse_double(value, &ok);

			if (!ok || v < 0 || v > 1)
				warn_at(rd, line, "bad stepmap field",
				        "flow %s: probability '%s' is not a number from 0 to 1",
				        shown(fl->name, fl->id), value);
			else {
				fl->prob = v;
				fl->prob_ext = true;
			}
			return;
		}
		if (!strcmp(key, "stand-in")) {
			fl->stand_in_given = true;
			fl->name_stand_in = strstr(value, "name") != NULL;
			fl->cond_stand_in = strstr(value, "condition") != NULL;
			return;
		}
		break;
	}
	case CX_PROCESS: {
		struct proc_rec *p = &rd->procs[f->owner];

		if (!strcmp(key, "arrival")) {
			if (dist_parse(value, "arrival", &p->arrival, &e) != STATUS_OK)
				warn_at(rd, line, "bad stepmap field", "process '%s': %s",
				        shown(p->name, p->id), e.msg);
			else
				p->has_ext_arrival = true;
			return;
		}
		break;
	}
	default:
		break;
	}
	warn_at(rd, line, "unknown stepmap field", "stepmap field '%s': not known here", key);
}

/* A measure from stepmap's extension of a process. */
static void
sm_measure(struct rd *rd, struct tag *node, const struct frame *f, unsigned line)
{
	const char *clock = attr(node, "clock");
	int c = clock ? clock_parse(clock) : CLOCK_PROCESS;

	if (f->owner_ctx != CX_PROCESS)
		return;
	if (c < 0) {
		warn_at(rd, line, "bad stepmap field", "measure '%s': clock '%s' unknown "
		        "(customer or process)", shown(attr(node, "name"), NULL), clock);
		c = CLOCK_PROCESS;
	}
	if (vec_grow(&rd->meas, &rd->cmeas, rd->nmeas, sizeof *rd->meas) < 0) {
		rd->nomem = true;
		return;
	}
	rd->meas[rd->nmeas++] = (struct measure_rec){
		f->owner, keep_name(rd, attr(node, "name")), keep(rd, attr(node, "from")),
		keep(rd, attr(node, "to")), c, line };
}

/*
 * An element of stepmap's namespace inside extensionElements (or inside one
 * of ours). Fields are read from attributes named by their keyword
 * (<sm:step work="5m" value="NVA"/>) or from <sm:field name="work">5m</..>.
 */
static void
start_stepmap(struct rd *rd, struct tag *node, const char *local, const struct frame *up,
              struct frame *f, int depth, unsigned line)
{
	int i;

	f->ctx = CX_SM;
	if (!strcmp(local, "generated")) {
		/* a node our export added for BPMN's sake (start, end, split, join) */
		if (f->owner_ctx == CX_NODE)
			rd->nodes[f->owner].flags |= NF_GENERATED;
		f->ctx = CX_SKIP;
		return;
	}
	if (!strcmp(local, "measure")) {
		sm_measure(rd, node, up, line);
		f->ctx = CX_SKIP;
		return;
	}
	if (!strcmp(local, "field")) {
		rd->sm_field = keep(rd, attr(node, "name"));
		begin_capture(rd, CAP_SM_TEXT, 0, depth, line);
		return;
	}
	for (i = 0; i < node->nattrs; i++) {
		const char *name = (const char *)node->attrs[5 * i];

		if (node->attrs[5 * i + 2])
			continue;
		if (!strcmp(name, "id") || !strcmp(name, "version"))
			continue;
		sm_field(rd, f, name, attr_value(node, i), line);
	}
}

static void
start_lane(struct rd *rd, struct tag *node, const struct frame *up, struct frame *f,
           unsigned line)
{
	struct lane_rec *l;
	const char *id = attr(node, "id");
	int i;

	if (vec_grow(&rd->lanes, &rd->clanes, rd->nlanes, sizeof *rd->lanes) < 0) {
		rd->nomem = true;
		return;
	}
	i = (int)rd->nlanes;
	l = &rd->lanes[i];
	memset(l, 0, sizeof *l);
	l->id = keep(rd, id);
	l->name = keep_name(rd, attr(node, "name"));
	l->proc = up->proc;
	l->parent = up->owner;
	l->depth = l->parent == NONE ? 0 : rd->lanes[l->parent].depth + 1;
	l->line = line;
	l->stage = l->capacity = -1;
	if (l->parent != NONE)
		rd->lanes[l->parent].has_children = true;
	rd->nlanes++;
	if (id)
		register_id(rd, &l->id, OBJ_LANE, i, "lane", line);
	count_foreign_attrs(rd, node, line);
	f->ctx = CX_LANE;
	f->obj = f->owner = i;
}

static void
start_flow(struct rd *rd, struct tag *node, enum bpmn_elem el, const struct frame *up,
           struct frame *f, unsigned line)
{
	struct flow_rec *fl;
	const char *id = attr(node, "id");
	int i;

	if (vec_grow(&rd->flows, &rd->cflows, rd->nflows, sizeof *rd->flows) < 0) {
		rd->nomem = true;
		return;
	}
	i = (int)rd->nflows;
	fl = &rd->flows[i];
	memset(fl, 0, sizeof *fl);
	fl->id = keep(rd, id);
	fl->name = keep_name(rd, attr(node, "name"));
	fl->src = keep(rd, attr(node, "sourceRef"));
	fl->tgt = keep(rd, attr(node, "targetRef"));
	fl->line = line;
	fl->proc = el == EL_MESSAGE_FLOW ? NONE : up->proc;
	fl->prob = -1;
	fl->message = el == EL_MESSAGE_FLOW;
	if (!fl->src || !fl->tgt)
		rd->flows_lack_ends = true;
	rd->nflows++;
	if (id)
		register_id(rd, &fl->id, OBJ_FLOW, i, elems[el].local, line);
	count_foreign_attrs(rd, node, line);
	f->ctx = CX_FLOW;
	f->obj = f->owner = i;
}

/* A start tag in the BPMN namespace. */
static void
start_bpmn(struct rd *rd, struct tag *node, const char *local, const struct frame *up,
           struct frame *f, int depth, unsigned line)
{
	enum bpmn_elem el = elem_lookup(local);
	enum elem_class cls = elems[el].cls;
	const char *id;
	int i;

	f->ctx = CX_SKIP;
	switch (cls) {
	case EC_DEFINITIONS:
		if (up->ctx != CX_DEFS || depth != 0)
			break;
		rd->defs_name = keep_name(rd, attr(node, "name"));
		rd->ours = attr(node, "exporter") && !strcmp(attr(node, "exporter"), "stepmap");
		f->ctx = CX_DEFS;
		return;
	case EC_PROCESS:
		if (up->ctx != CX_DEFS)
			break;
		if (vec_grow(&rd->procs, &rd->cprocs, rd->nprocs, sizeof *rd->procs) < 0) {
			rd->nomem = true;
			return;
		}
		i = (int)rd->nprocs++;
		memset(&rd->procs[i], 0, sizeof rd->procs[i]);
		rd->procs[i].id = keep(rd, attr(node, "id"));
		rd->procs[i].name = keep_name(rd, attr(node, "name"));
		rd->procs[i].line = line;
		register_id(rd, &rd->procs[i].id, OBJ_PROCESS, i, "process", line);
		f->ctx = CX_PROCESS;
		f->obj = f->owner = f->proc = i;
		f->container = NONE;
		return;
	case EC_COLLABORATION:
		if (up->ctx != CX_DEFS)
			break;
		if (!rd->collab_name)
			rd->collab_name = keep_name(rd, attr(node, "name"));
		f->ctx = CX_COLLAB;
		return;
	case EC_PARTICIPANT:
		if (up->ctx != CX_COLLAB)
			break;
		if (vec_grow(&rd->parts, &rd->cparts, rd->nparts, sizeof *rd->parts) < 0) {
			rd->nomem = true;
			return;
		}
		i = (int)rd->nparts++;
		rd->parts[i] = (struct part_rec){ keep(rd, attr(node, "id")),
		                                  keep_name(rd, attr(node, "name")),
		                                  keep(rd, attr(node, "processRef")), NULL, line };
		register_id(rd, &rd->parts[i].id, OBJ_PARTICIPANT, i, "participant", line);
		f->ctx = CX_PARTICIPANT;
		f->obj = f->owner = i;
		return;
	case EC_MESSAGE_FLOW:
		if (up->ctx != CX_COLLAB)
			break;
		start_flow(rd, node, el, up, f, line);
		return;
	case EC_LANESET:
		if (up->ctx != CX_PROCESS && up->ctx != CX_NODE)
			break;
		f->ctx = CX_LANESET;
		f->owner = NONE;
		return;
	case EC_CHILD_LANESET:
		if (up->ctx != CX_LANE)
			break;
		f->ctx = CX_LANESET;
		f->owner = up->obj;
		return;
	case EC_LANE:
		if (up->ctx != CX_LANESET)
			break;
		start_lane(rd, node, up, f, line);
		return;
	case EC_FLOW_NODE_REF:
		if (up->ctx != CX_LANE)
			break;
		begin_capture(rd, CAP_LANE_REF, up->obj, depth, line);
		f->ctx = CX_CAPTURE;
		return;
	case EC_NODE:
	case EC_CONTAINER:
		if (up->ctx != CX_PROCESS && !(up->ctx == CX_NODE && up->container == up->obj))
			break;
		i = new_node(rd, node, el, up, line);
		if (i == NONE)
			return;
		f->ctx = CX_NODE;
		f->obj = f->owner = i;
		f->container = cls == EC_CONTAINER ? i : up->container;
		return;
	case EC_UNREP_NODE:
		if (up->ctx != CX_PROCESS && up->ctx != CX_NODE && up->ctx != CX_COLLAB)
			break;
		id = attr(node, "id");
		if (id && (id = keep(rd, id)))
			register_id(rd, &id, OBJ_OTHER, 0, local, line);
		warn_unrep(rd, line, local, id, attr(node, "name"), elems[el].why);
		return;
	case EC_SEQUENCE_FLOW:
		if (up->ctx != CX_PROCESS && !(up->ctx == CX_NODE && up->container == up->obj))
			break;
		start_flow(rd, node, el, up, f, line);
		return;
	case EC_CONDITION:
		if (up->ctx != CX_FLOW)
			break;
		begin_capture(rd, CAP_CONDITION, up->obj, depth, line);
		f->ctx = CX_CAPTURE;
		return;
	case EC_DOCUMENTATION: {
		enum capture c = up->ctx == CX_NODE ? CAP_NODE_DOC
		               : up->ctx == CX_PROCESS ? CAP_PROC_DOC
		               : up->ctx == CX_PARTICIPANT ? CAP_PART_DOC
		               : up->ctx == CX_ANNOT ? CAP_NONE : CAP_OTHER_DOC;

		if (c == CAP_NONE)
			return;
		begin_capture(rd, c, up->obj, depth, line);
		f->ctx = CX_CAPTURE;
		f->owner_ctx = up->ctx;
		return;
	}
	case EC_EXTENSIONS:
		f->ctx = CX_EXT;
		f->owner_ctx = up->ctx;
		f->owner = up->obj;
		return;
	case EC_INCOMING:
	case EC_OUTGOING:
		if (up->ctx != CX_NODE)
			return;  /* on a skipped element: nothing to say */
		begin_capture(rd, cls == EC_INCOMING ? CAP_INCOMING : CAP_OUTGOING, up->obj,
		              depth, line);
		f->ctx = CX_CAPTURE;
		return;
	case EC_TEXT_ANNOTATION:
		if (up->ctx != CX_PROCESS && up->ctx != CX_NODE && up->ctx != CX_COLLAB)
			break;
		if (vec_grow(&rd->annots, &rd->cannots, rd->nannots, sizeof *rd->annots) < 0) {
			rd->nomem = true;
			return;
		}
		i = (int)rd->nannots++;
		rd->annots[i] = (struct annot_rec){ keep(rd, attr(node, "id")), NULL,
		                                    up->proc, line, false };
		register_id(rd, &rd->annots[i].id, OBJ_ANNOT, i, "textAnnotation", line);
		f->ctx = CX_ANNOT;
		f->obj = i;
		return;
	case EC_TEXT:
		if (up->ctx != CX_ANNOT)
			break;
		begin_capture(rd, CAP_ANNOT_TEXT, up->obj, depth, line);
		f->ctx = CX_CAPTURE;
		return;
	case EC_ASSOCIATION:
		if (up->ctx != CX_PROCESS && up->ctx != CX_NODE && up->ctx != CX_COLLAB)
			break;
		if (vec_grow(&rd->assocs, &rd->cassocs, rd->nassocs, sizeof *rd->assocs) < 0) {
			rd->nomem = true;
			return;
		}
		rd->assocs[rd->nassocs++] = (struct assoc_rec){
			keep(rd, attr(node, "sourceRef")), keep(rd, attr(node, "targetRef")), line };
		return;
	case EC_RELATIONSHIP:
		if (up->ctx != CX_DEFS)
			break;
		f->ctx = CX_RELATIONSHIP;
		return;
	case EC_EVENT_DEF:
		if (up->ctx != CX_NODE)
			break;
		{
			struct node_rec *n = &rd->nodes[up->obj];

			n->flags &= (uint8_t)~NF_PLAIN_EVENT;
			if (el == EL_TIMER_DEF && n->elem == EL_CATCH_EVENT) {
				n->flags |= NF_TIMER;
				n->type = STEP_WAIT;
				f->ctx = CX_EVENT_DEF;
				f->obj = up->obj;
				return;
			}
			if (el == EL_MESSAGE_DEF && n->elem == EL_CATCH_EVENT) {
				n->type = STEP_RECEIVE;
				return;
			}
			if (el == EL_MESSAGE_DEF && n->elem == EL_THROW_EVENT) {
				n->type = STEP_SEND;
				return;
			}
		}
		break;
	case EC_TIME_DURATION:
		if (up->ctx != CX_EVENT_DEF)
			break;
		begin_capture(rd, CAP_TIMER, up->obj, depth, line);
		f->ctx = CX_CAPTURE;
		return;
	case EC_SILENT:
		return;
	case EC_UNKNOWN:
		break;
	}
	/* Not represented. Event definitions say what their event became. */
	if (up->ctx == CX_NODE && strstr(local, "EventDefinition")) {
		struct node_rec *n = &rd->nodes[up->obj];
		char why[256];

		n->flags &= (uint8_t)~NF_PLAIN_EVENT;
		snprintf(why, sizeof why, "not represented (imported as a plain %s step)",
		         step_type_name((enum step_type)n->type));
		warn_unrep(rd, line, local, n->id, n->name, why);
		return;
	}
	if (up->ctx == CX_NODE || up->ctx == CX_FLOW || up->ctx == CX_PROCESS ||
	    up->ctx == CX_LANE || up->ctx == CX_COLLAB || up->ctx == CX_DEFS ||
	    up->ctx == CX_PARTICIPANT) {
		id = attr(node, "id");
		if (id && up->ctx != CX_NODE && up->ctx != CX_FLOW && (id = keep(rd, id)))
			register_id(rd, &id, OBJ_OTHER, 0, local, line);
		if (up->ctx == CX_NODE)
			warn_unrep(rd, line, local, rd->nodes[up->obj].id, rd->nodes[up->obj].name,
			           "not represented (a detail of this step stepmap has no field for)");
		else
			warn_unrep(rd, line, local, id, attr(node, "name"), NULL);
	}
}

/* Any start tag. Sets *skip when its subtree needs no reading. */
static void
on_start(struct rd *rd, struct tag *node, int depth, unsigned line, bool *skip)
{
	const struct frame *up = &rd->stack[depth];
	struct frame *f = &rd->stack[depth + 1];
	const char *local = node->local;
	enum ns_kind ns = ns_kind(rd, (const xmlChar *)node->uri);

	rd->stats.elements++;
	*f = *up;
	f->owner_ctx = up->owner_ctx;
	if (depth == 0) {
		if (ns != NS_BPMN || strcmp(local, "definitions")) {
			rd->xml_errors++;
			snprintf(rd->xml_msg, sizeof rd->xml_msg,
			         "%s:%u: not a BPMN 2.0 file: the root element is '%s'%s%s%s, expected "
			         "'definitions' in the namespace " BPMN_MODEL_NS, rd->name, line, local,
			         node->uri ? " in the namespace '" : " with no namespace",
			         node->uri ? node->uri : "", node->uri ? "'" : "");
			return;
		}
	}
	/* Inside text being captured (markup in documentation): keep reading. */
	if (up->ctx == CX_CAPTURE) {
		f->ctx = CX_CAPTURE;
		return;
	}
	switch (ns) {
	case NS_BPMN:
		if (up->ctx == CX_EXT || up->ctx == CX_SM || up->ctx == CX_SKIP ||
		    (up->ctx >= CX_BPSIM && up->ctx <= CX_BP_PARAM)) {
			f->ctx = CX_SKIP;
			break;
		}
		start_bpmn(rd, node, local, up, f, depth, line);
		break;
	case NS_STEPMAP:
		if (up->ctx == CX_EXT || up->ctx == CX_SM)
			start_stepmap(rd, node, local, up, f, depth, line);
		else
			f->ctx = CX_SKIP;
		break;
	case NS_BPSIM:
		if (up->ctx == CX_EXT || (up->ctx >= CX_BPSIM && up->ctx <= CX_BP_PARAM))
			start_bpsim(rd, node, local, up, f, line);
		else
			f->ctx = CX_SKIP;
		break;
	case NS_DI:
		/* stepmap's own layout is the one export makes again: nothing lost */
		if (up->ctx == CX_DEFS && !strcmp(local, "BPMNDiagram") && !rd->ours) {
			const char *nm = attr(node, "name");

			warn_at(rd, line, "diagram", "diagram %s%s%s: its layout is not kept "
			        "(export lays the map out again)", nm ? "'" : "",
			        nm ? nm : attr(node, "id") ? attr(node, "id") : "", nm ? "'" : "");
		}
		f->ctx = CX_SKIP;
		break;
	default:
		if (up->ctx == CX_EXT)
			count_foreign(rd, node->uri ? node->uri : "", local, line);
		else if (up->ctx != CX_SKIP && up->ctx != CX_SM &&
		         !(up->ctx >= CX_BPSIM && up->ctx <= CX_BP_PARAM))
			warn_unrep(rd, line, local, attr(node, "id"), NULL,
			           "not represented (an element of another namespace outside "
			           "extensionElements)");
		f->ctx = CX_SKIP;
		break;
	}
	if (f->ctx == CX_SKIP)
		*skip = true;
}

/* --- reading: end tags and text -------------------------------------------------- */

/* The text without surrounding blanks: *start and its length. */
static size_t
trimmed(const char *text, const char **start)
{
	size_t n;

	while (*text && isspace((unsigned char)*text))
		text++;
	n = strlen(text);
	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	*start = text;
	return n;
}

static uint64_t
hash64(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static void
add_io(struct rd *rd, int node, const char *text, bool out)
{
	const char *t;
	size_t n = trimmed(text, &t);

	if (!n)
		return;
	if (vec_grow(&rd->iorefs, &rd->ciorefs, rd->niorefs, sizeof *rd->iorefs) < 0) {
		rd->nomem = true;
		return;
	}
	rd->iorefs[rd->niorefs++] = (struct io_rec){ hash64(t, n), node, out };
}

static void
add_ref(struct rd *rd, struct ref_rec **v, size_t *n, size_t *cap, int owner,
        const char *text)
{
	const char *ref;

	while (*text && isspace((unsigned char)*text))
		text++;
	if (!*text)
		return;
	ref = keep(rd, text);
	if (!ref)
		return;
	{
		char *e = (char *)ref + strlen(ref);

		while (e > ref && isspace((unsigned char)e[-1]))
			*--e = '\0';
	}
	if (vec_grow(v, cap, *n, sizeof **v) < 0) {
		rd->nomem = true;
		return;
	}
	(*v)[(*n)++] = (struct ref_rec){ owner, ref };
}

static void
end_capture(struct rd *rd)
{
	const char *t = rd->text.s ? rd->text.s : "";
	int i = rd->cap_obj;
	int r = 0;

	if (rd->text.truncated)
		warn_at(rd, rd->cap_line, "truncated text",
		        "text longer than %d bytes: truncated", TEXT_MAX);
	switch (rd->cap) {
	case CAP_NONE:
		break;
	case CAP_NODE_DOC:
		r = append_para(&rd->nodes[i].note, t);
		break;
	case CAP_PROC_DOC:
		r = append_para(&rd->procs[i].desc, t);
		break;
	case CAP_PART_DOC:
		r = append_para(&rd->parts[i].doc, t);
		break;
	case CAP_OTHER_DOC:
		while (*t && isspace((unsigned char)*t))
			t++;
		if (*t)
			warn_at(rd, rd->cap_line, "documentation",
			        "documentation: not represented here (only steps and processes "
			        "keep notes): \"%.60s%s\"", t, strlen(t) > 60 ? "..." : "");
		break;
	case CAP_ANNOT_TEXT:
		r = append_para(&rd->annots[i].text, t);
		break;
	case CAP_LANE_REF:
		add_ref(rd, &rd->lrefs, &rd->nlrefs, &rd->clrefs, i, t);
		break;
	case CAP_INCOMING:
	case CAP_OUTGOING:
		add_io(rd, i, t, rd->cap == CAP_OUTGOING);
		break;
	case CAP_CONDITION: {
		char *c = NULL;

		r = append_para(&c, t);
		free(rd->flows[i].cond);
		rd->flows[i].cond = c;
		break;
	}
	case CAP_TIMER: {
		double s;

		if (bpmn_iso_duration(t, &s))
			rd->nodes[i].timer_s = s;
		else if (*t)
			warn_at(rd, rd->cap_line, "timer", "timer of '%s': '%.40s' is not an ISO 8601 "
			        "duration (like PT15M): the wait has no time",
			        shown(rd->nodes[i].name, rd->nodes[i].id), t);
		break;
	}
	case CAP_SM_TEXT: {
		const struct frame *f = &rd->stack[rd->cap_depth + 1];

		sm_field(rd, f, rd->sm_field, t, rd->cap_line);
		break;
	}
	}
	if (r < 0)
		rd->nomem = true;
	rd->cap = CAP_NONE;
	rd->cap_depth = -1;
}

static void
on_end(struct rd *rd, int depth)
{
	if (rd->cap != CAP_NONE && depth == rd->cap_depth)
		end_capture(rd);
}

/* --- resolve ------------------------------------------------------------------------- */

static int
find(const struct rd *rd, const char *id, enum obj obj)
{
	const struct id_slot *s = idmap_find(&rd->ids, id);

	return s && s->obj == obj ? s->index : NONE;
}

static int
add_edge(struct rd *rd, int src, int tgt, int flow, const char *label, const char *cond,
         double prob)
{
	struct gedge *e;
	int i;

	if (vec_grow(&rd->edges, &rd->cedges, rd->nedges, sizeof *rd->edges) < 0) {
		rd->nomem = true;
		return NONE;
	}
	i = (int)rd->nedges++;
	e = &rd->edges[i];
	*e = (struct gedge){ src, tgt, rd->nodes[src].first_out, rd->nodes[tgt].first_in, flow,
	                    label, cond, prob, false };
	rd->nodes[src].first_out = i;
	rd->nodes[tgt].first_in = i;
	return i;
}

static bool
is_kept(const struct rd *rd, int n)
{
	return !(rd->nodes[n].flags & NF_DROP);
}

/* The live edges into (in) or out of node d other than its loops, in the
 * order they were added (the lists run newest first): a malloc'd array of
 * *n edge indices, NULL when there are none or memory ran out (rd->nomem). */
static int *
live_edges(struct rd *rd, int d, bool in, size_t *n)
{
	size_t k = 0;
	int e, *v;

	*n = 0;
	for (e = in ? rd->nodes[d].first_in : rd->nodes[d].first_out; e != NONE;
	     e = in ? rd->edges[e].next_in : rd->edges[e].next_out)
		k += !rd->edges[e].dead && (in ? rd->edges[e].src : rd->edges[e].tgt) != d;
	if (!k)
		return NULL;
	if (!(v = malloc(k * sizeof *v))) {
		rd->nomem = true;
		return NULL;
	}
	*n = k;
	for (e = in ? rd->nodes[d].first_in : rd->nodes[d].first_out; e != NONE;
	     e = in ? rd->edges[e].next_in : rd->edges[e].next_out)
		if (!rd->edges[e].dead && (in ? rd->edges[e].src : rd->edges[e].tgt) != d)
			v[--k] = e;
	return v;
}

/* Drop node d, connecting each of its predecessors to each successor; the
 * new edges keep the order of d's own (so a round trip keeps branch order). */
static void
bypass(struct rd *rd, int d)
{
	size_t nin, nout, i, o;
	int *in = live_edges(rd, d, true, &nin), *out = live_edges(rd, d, false, &nout), e;

	rd->nodes[d].flags |= NF_DROP;
	for (i = 0; i < nin; i++)
		for (o = 0; o < nout; o++) {
			struct gedge a = rd->edges[in[i]], b = rd->edges[out[o]];
			double p = a.prob >= 0 ? (b.prob >= 0 ? a.prob * b.prob : a.prob) : b.prob;

			add_edge(rd, a.src, b.tgt, a.flow, a.label ? a.label : b.label,
			         a.cond ? a.cond : b.cond, p);
		}
	free(in);
	free(out);
	for (e = rd->nodes[d].first_in; e != NONE; e = rd->edges[e].next_in)
		rd->edges[e].dead = true;
	for (e = rd->nodes[d].first_out; e != NONE; e = rd->edges[e].next_out)
		rd->edges[e].dead = true;
}

static bool
has_live(const struct rd *rd, int first, bool in)
{
	int e;

	for (e = first; e != NONE; e = in ? rd->edges[e].next_in : rd->edges[e].next_out)
		if (!rd->edges[e].dead)
			return true;
	return false;
}

/*
 * Flatten container s: flows into it go to its entries (children with no
 * incoming flow), flows out of it leave from its exits; then its plain start
 * and end events are bypassed. Containers are handled outer first (document
 * order), so a nested one is rewired when its turn comes.
 */
static void
flatten(struct rd *rd, int s)
{
	struct node_rec *S = &rd->nodes[s];
	int c, e;
	size_t k;
	int *entries = NULL, *exits = NULL;
	size_t nen = 0, nex = 0;

	entries = malloc((size_t)S->nchildren * sizeof *entries);
	exits = malloc((size_t)S->nchildren * sizeof *exits);
	if (!entries || !exits) {
		rd->nomem = true;
		goto out;
	}
	for (c = s + 1; c < (int)rd->nnodes; c++) {
		struct node_rec *C = &rd->nodes[c];

		if (C->parent != s || !is_kept(rd, c) || (C->flags & NF_EVENT_SUB))
			continue;
		if (!has_live(rd, C->first_in, true))
			entries[nen++] = c;
		if (!has_live(rd, C->first_out, false))
			exits[nex++] = c;
	}
	S->flags |= NF_DROP;
	for (e = S->first_in; e != NONE; e = rd->edges[e].next_in) {
		struct gedge x = rd->edges[e];

		if (x.dead)
			continue;
		rd->edges[e].dead = true;
		for (k = 0; k < nen; k++)
			add_edge(rd, x.src, entries[k], x.flow, x.label, x.cond, x.prob);
	}
	for (e = S->first_out; e != NONE; e = rd->edges[e].next_out) {
		struct gedge x = rd->edges[e];

		if (x.dead)
			continue;
		rd->edges[e].dead = true;
		for (k = 0; k < nex; k++)
			add_edge(rd, exits[k], x.tgt, x.flow, x.label, x.cond, x.prob);
	}
	if (!(S->flags & NF_EVENT_SUB)) {
		for (k = 0; k < nen; k++)
			if ((rd->nodes[entries[k]].flags & NF_PLAIN_EVENT) &&
			    rd->nodes[entries[k]].elem == EL_START_EVENT)
				bypass(rd, entries[k]);
		for (k = 0; k < nex; k++)
			if ((rd->nodes[exits[k]].flags & NF_PLAIN_EVENT) &&
			    rd->nodes[exits[k]].elem == EL_END_EVENT)
				bypass(rd, exits[k]);
	}
out:
	free(entries);
	free(exits);
}

/*
 * The documentation of flattened container s goes to the note of its first
 * step still kept (a nested container passes it on in its turn), so a
 * subprocess's text is not lost with it. Returns that step, or NONE when s
 * had no documentation or keeps no step (then the flatten warning says nothing
 * more, and the text is in the process's description).
 */
static int
pass_note(struct rd *rd, int s)
{
	struct node_rec *S = &rd->nodes[s];
	char *para;
	int c;

	if (!S->note)
		return NONE;
	for (c = s + 1; c < (int)rd->nnodes; c++)
		if (rd->nodes[c].parent == s && is_kept(rd, c))
			break;
	if (!(para = malloc(strlen(S->note) + 128 + (S->name ? strlen(S->name) : 0)))) {
		rd->nomem = true;
		return NONE;
	}
	sprintf(para, "From %s '%s': %s", elems[S->elem].local, S->name && *S->name ? S->name
	        : S->id ? S->id : "?", S->note);
	if (append_para(c < (int)rd->nnodes ? &rd->nodes[c].note : &rd->procs[S->proc].desc,
	                para) < 0)
		rd->nomem = true;
	free(para);
	return c < (int)rd->nnodes ? c : NONE;
}

/* Find the missing ends of flows from the nodes' incoming/outgoing lists. */
static void
recover_ends(struct rd *rd)
{
	size_t i, j;

	if (!rd->flows_lack_ends)
		return;
	for (i = 0; i < rd->nflows; i++) {
		struct flow_rec *fl = &rd->flows[i];
		uint64_t h;

		if (fl->message || (fl->src && fl->tgt) || !fl->id)
			continue;
		h = hash64(fl->id, strlen(fl->id));
		for (j = 0; j < rd->niorefs; j++) {
			const struct io_rec *r = &rd->iorefs[j];
			const struct node_rec *n = &rd->nodes[r->node];

			if (r->hash != h)
				continue;
			if (r->out && !fl->src) {
				fl->src = n->id;
				warn_at(rd, fl->line, "repaired flow", "sequenceFlow id=%s: no sourceRef; "
				        "taken from the outgoing of '%s'", fl->id, shown(n->name, n->id));
			} else if (!r->out && !fl->tgt) {
				fl->tgt = n->id;
				warn_at(rd, fl->line, "repaired flow", "sequenceFlow id=%s: no targetRef; "
				        "taken from the incoming of '%s'", fl->id, shown(n->name, n->id));
			}
		}
	}
}

/*
 * In stepmap's own files, the stand-ins its export writes on the branches of
 * a forking exclusive gateway (BPMN tools show names, and bpmnlint wants a
 * condition on every branch) are not the flow's: a condition that repeats the
 * name (the flow had a label or a condition, not both), and a name that is
 * only the branch's probability ("25 %").
 */
static void
drop_stand_ins(struct rd *rd, struct flow_rec *fl)
{
	if (fl->stand_in_given) {
		/* the export said which: nothing to guess */
		if (fl->name_stand_in)
			fl->name = NULL;
		if (fl->cond_stand_in) {
			free(fl->cond);
			fl->cond = NULL;
		}
		return;
	}
	/* files of earlier versions: a condition that repeats the name, a name
	 * that is only the probability */
	if (!rd->ours || !fl->name || !fl->cond || strcmp(fl->name, fl->cond))
		return;
	free(fl->cond);
	fl->cond = NULL;
	if (fl->prob >= 0) {
		char *e;
		double pc = strtod(fl->name, &e);

		if (e != fl->name && !strcmp(e, " %") && pc == round(fl->prob * 1000) / 10)
			fl->name = NULL;
	}
}

/* A lane of process t named after the pool of process i (merge_pools), for
 * the steps of that pool that no lane lists. NONE when out of memory. */
static int
pool_lane(struct rd *rd, int t, int i)
{
	int l;

	if (vec_grow(&rd->lanes, &rd->clanes, rd->nlanes, sizeof *rd->lanes) < 0) {
		rd->nomem = true;
		return NONE;
	}
	l = (int)rd->nlanes++;
	memset(&rd->lanes[l], 0, sizeof rd->lanes[l]);
	rd->lanes[l].name = rd->procs[i].pool;
	rd->lanes[l].proc = t;
	rd->lanes[l].parent = NONE;
	rd->lanes[l].line = rd->procs[i].line;
	rd->lanes[l].stage = rd->lanes[l].capacity = -1;
	return l;
}

/*
 * merge_pools: every process with steps goes into the first one (when there
 * are two or more). Lanes keep
 * their pool's name in front ("Customer / Web shop"); the steps of a pool
 * without lanes get a lane named after the pool, so work passing between
 * pools is a hand-off; the process takes the collaboration's name, else
 * its pools' names joined by " + ". Message flows then join steps of
 * one process, and build_edges() keeps them as flows.
 */
static void
merge_pools(struct rd *rd)
{
	int t = NONE, i, *own = NULL;
	size_t k, len = 0, pools = 0;
	char *name;

	for (k = 0; k < rd->nprocs; k++)
		if (rd->procs[k].nnodes) {
			if (t == NONE)
				t = (int)k;
			len += strlen(rd->procs[k].pool) + 3;
			pools++;
		}
	if (pools < 2)
		return;              /* one pool: nothing to merge */
	if (!(own = malloc(rd->nprocs * sizeof *own))) {
		rd->nomem = true;
		return;
	}
	for (k = 0; k < rd->nprocs; k++)
		own[k] = NONE;
	for (k = 0; k < rd->nlanes; k++) {
		struct lane_rec *l = &rd->lanes[k];

		if (l->proc == NONE || !rd->procs[l->proc].nnodes)
			continue;
		if (l->parent == NONE)
			l->pool = rd->procs[l->proc].pool;
		l->proc = t;
	}
	for (k = 0; k < rd->nnodes; k++) {
		struct node_rec *n = &rd->nodes[k];

		if (n->proc == NONE)
			continue;
		if (n->lane == NONE) {
			if (own[n->proc] == NONE && (own[n->proc] = pool_lane(rd, t, n->proc)) == NONE)
				break;
			n->lane = own[n->proc];
		}
		n->proc = t;
	}
	for (k = 0; k < rd->nmeas; k++)
		rd->meas[k].proc = t;
	for (k = 0; k < rd->nannots; k++)
		if (rd->annots[k].proc != NONE)
			rd->annots[k].proc = t;
	free(own);
	/* the process: the collaboration's name, or its pools' (a definitions'
	 * name is often an id, or the name of a whole model collection) */
	if (rd->collab_name && *rd->collab_name) {
		rd->procs[t].pool = rd->collab_name;
	} else if ((name = arena_alloc(&rd->a, len + 1))) {
		name[0] = '\0';
		for (k = 0; k < rd->nprocs; k++)
			if (rd->procs[k].nnodes) {
				if (name[0])
					strcat(name, " + ");
				strcat(name, rd->procs[k].pool);
			}
		rd->procs[t].pool = name;
	} else {
		rd->nomem = true;
	}
	for (i = t + 1; i < (int)rd->nprocs; i++) {
		struct proc_rec *p = &rd->procs[i];

		if (!p->nnodes)
			continue;
		rd->procs[t].nnodes += p->nnodes;
		if (p->desc && append_para(&rd->procs[t].desc, p->desc) < 0)
			rd->nomem = true;
		if (p->has_ext_arrival && !rd->procs[t].has_ext_arrival) {
			rd->procs[t].arrival = p->arrival;
			rd->procs[t].has_ext_arrival = true;
		}
		p->nnodes = 0;
		p->merged = true;
	}
}

/* Edges from sequence flows, and message flows whose ends share a process. */
static void
build_edges(struct rd *rd)
{
	size_t i;

	for (i = 0; i < rd->nflows; i++) {
		struct flow_rec *fl = &rd->flows[i];

		drop_stand_ins(rd, fl);
		const char *what = fl->message ? "messageFlow" : "sequenceFlow";
		const struct id_slot *a = idmap_find(&rd->ids, fl->src);
		const struct id_slot *b = idmap_find(&rd->ids, fl->tgt);

		if (!fl->src || !fl->tgt || !a || !b) {
			const char *missing = !fl->src ? "no sourceRef" : !fl->tgt ? "no targetRef"
			                    : !a ? fl->src : fl->tgt;

			warn_at(rd, fl->line, "unresolved flow", "%s id=%s%s%s%s: not imported (%s%s)",
			        what, fl->id ? fl->id : "?", fl->name && *fl->name ? " '" : "",
			        fl->name && *fl->name ? fl->name : "", fl->name && *fl->name ? "'" : "",
			        (!fl->src || !fl->tgt) ? "" : "no element with id ", missing);
			continue;
		}
		if (a->obj != OBJ_NODE || b->obj != OBJ_NODE) {
			const char *why = fl->message
				? "one end is a pool, not a step"
				: "one end is an element that is not imported";

			warn_at(rd, fl->line, fl->message ? "message flow" : "flow to unimported",
			        "%s id=%s%s%s%s from %s to %s: not represented (%s)", what,
			        fl->id ? fl->id : "?", fl->name && *fl->name ? " '" : "",
			        fl->name && *fl->name ? fl->name : "", fl->name && *fl->name ? "'" : "",
			        fl->src, fl->tgt, why);
			continue;
		}
		if (rd->nodes[a->index].proc != rd->nodes[b->index].proc ||
		    rd->nodes[a->index].proc == NONE) {
			const struct node_rec *x = &rd->nodes[a->index], *y = &rd->nodes[b->index];

			warn_at(rd, fl->line, fl->message ? "message flow" : "cross flow",
			        "%s id=%s%s%s%s from '%s' to '%s': not represented (its ends are in "
			        "two processes, '%s' and '%s'; stepmap's flows stay within one process)",
			        what, fl->id ? fl->id : "?", fl->name && *fl->name ? " '" : "",
			        fl->name && *fl->name ? fl->name : "", fl->name && *fl->name ? "'" : "",
			        shown(x->name, x->id), shown(y->name, y->id),
			        x->proc == NONE ? "?" : rd->procs[x->proc].pool,
			        y->proc == NONE ? "?" : rd->procs[y->proc].pool);
			continue;
		}
		if (fl->message)
			rd->stats.message_flows++;
		add_edge(rd, a->index, b->index, (int)i, fl->name && *fl->name ? fl->name : NULL,
		         fl->cond, fl->prob);
	}
}

/* The nodes' lanes: the deepest lane that lists a node wins; nodes inside a
 * subprocess that no lane lists take the subprocess's lane. */
static void
assign_lanes(struct rd *rd)
{
	size_t i;

	for (i = 0; i < rd->nlrefs; i++) {
		const struct ref_rec *r = &rd->lrefs[i];
		const struct id_slot *s = idmap_find(&rd->ids, r->ref);
		struct node_rec *n;

		if (!s || s->obj != OBJ_NODE) {
			if (!s)
				warn_at(rd, rd->lanes[r->owner].line, "lane ref",
				        "lane '%s' lists '%s', which is not in the file: ignored",
				        shown(rd->lanes[r->owner].name, rd->lanes[r->owner].id), r->ref);
			continue;
		}
		n = &rd->nodes[s->index];
		if (n->lane == NONE || rd->lanes[r->owner].depth > rd->lanes[n->lane].depth)
			n->lane = r->owner;
	}
	for (i = 0; i < rd->nnodes; i++) {
		struct node_rec *n = &rd->nodes[i];

		if (n->lane == NONE && n->parent != NONE)
			n->lane = rd->nodes[n->parent].lane;
		if (n->lane != NONE && rd->lanes[n->lane].proc != n->proc)
			n->lane = NONE;
	}
}

static bool
has_word(const char *s, const char *const *words)
{
	size_t i;

	for (; *s; ) {
		const char *w = s;
		size_t n;

		while (*s && isalnum((unsigned char)*s))
			s++;
		n = (size_t)(s - w);
		for (i = 0; n && words[i]; i++)
			if (strlen(words[i]) == n && !strncasecmp(w, words[i], n))
				return true;
		while (*s && !isalnum((unsigned char)*s))
			s++;
	}
	return false;
}

/*
 * The stage a lane's name suggests: the customer's own lane, a system's, or
 * staff behind the line (the default). "Customer service" is staff.
 */
static enum stage
guess_stage(const char *name)
{
	static const char *const customer[] = {
		"customer", "customers", "client", "clients", "patient", "patients", "citizen",
		"citizens", "guest", "guests", "passenger", "passengers", "consumer", "consumers",
		"applicant", "applicants", "buyer", "buyers", "visitor", "visitors", "student",
		"students", "caller", "requester", "requestor", "kunde", "client(e)", NULL };
	static const char *const staff[] = {
		"service", "services", "support", "care", "desk", "relations", "success",
		"manager", "management", "advisor", "agent", "agents", "representative",
		"officer", "team", "department", "dept", NULL };
	static const char *const systems[] = {
		"system", "systems", "it", "erp", "crm", "database", "db", "server", "application",
		"app", "software", "platform", "api", "ehr", "emr", "his", "sap", "automated",
		"automation", "bot", "robot", "computer", "website", "portal", "engine", NULL };

	if (!name)
		return STAGE_OFFSTAGE;
	if (has_word(name, systems))
		return STAGE_SUPPORT;
	if (has_word(name, customer) && !has_word(name, staff))
		return STAGE_CUSTOMER;
	return STAGE_OFFSTAGE;
}

static char *
lane_path(const struct rd *rd, int l)
{
	const char *parts[BPMN_MAX_DEPTH + 2];
	size_t n = 0, len = 1, i;
	char *p;

	for (; l != NONE && n < BPMN_MAX_DEPTH; l = rd->lanes[l].parent) {
		parts[n] = shown(rd->lanes[l].name, rd->lanes[l].id);
		len += strlen(parts[n]) + 3;
		n++;
		if (rd->lanes[l].parent == NONE && rd->lanes[l].pool) {
			parts[n] = rd->lanes[l].pool;
			len += strlen(parts[n]) + 3;
			n++;
		}
	}
	p = malloc(len);
	if (!p)
		return NULL;
	p[0] = '\0';
	for (i = n; i-- > 0; ) {
		strcat(p, parts[i]);
		if (i)
			strcat(p, " / ");
	}
	return p;
}

/* BPSim values onto the elements they name; stepmap's own fields win. */
static void
apply_sims(struct rd *rd)
{
	size_t i;

	for (i = 0; i < rd->nsims; i++) {
		const struct sim_rec *r = &rd->sims[i];
		const struct id_slot *s = idmap_find(&rd->ids, r->ref);

		if (!s) {
			warn_at(rd, r->line, "BPSim ref", "BPSim parameters for '%s': no such element",
			        r->ref);
			continue;
		}
		if (s->obj == OBJ_NODE) {
			struct node_rec *n = &rd->nodes[s->index];
			struct step *x;

			if (r->what == SIM_ARRIVAL && n->proc != NONE) {
				struct proc_rec *p = &rd->procs[n->proc];

				if (!p->has_ext_arrival) {
					p->arrival = r->d;
					p->has_ext_arrival = true;
				}
				continue;
			}
			if (!(x = node_ext(rd, s->index)))
				return;
			if (r->what == SIM_WORK && !(n->ext_fields & (1u << FIELD_WORK)))
				x->work = r->d;
			else if (r->what == SIM_WAIT && !(n->ext_fields & (1u << FIELD_WAIT)))
				x->wait = r->d;
			else if (r->what == SIM_COST && !(n->ext_fields & (1u << FIELD_COST))) {
				if (bound_in(r->v, 0, BOUND_COST_MAX))
					x->cost = r->v;
				else
					warn_at(rd, r->line, "BPSim cost", "BPSim UnitCost %g for '%s' is "
					        "out of range (0 to %g); not kept", r->v, r->ref,
					        BOUND_COST_MAX);
			}
			continue;
		}
		if (s->obj == OBJ_FLOW && r->what == SIM_PROB) {
			struct flow_rec *f = &rd->flows[s->index];

			if (!f->prob_ext && r->v >= 0 && r->v <= 1)
				f->prob = r->v;
			continue;
		}
		if (s->obj == OBJ_LANE && r->what == SIM_QUANTITY) {
			if (rd->lanes[s->index].capacity < 0 && r->v >= 0 && r->v <= 1e6)
				rd->lanes[s->index].capacity = (int)r->v;
			continue;
		}
		if (s->obj == OBJ_PROCESS && r->what == SIM_ARRIVAL) {
			if (!rd->procs[s->index].has_ext_arrival) {
				rd->procs[s->index].arrival = r->d;
				rd->procs[s->index].has_ext_arrival = true;
			}
			continue;
		}
		warn_at(rd, r->line, "BPSim unused", "BPSim parameter for '%s': not represented "
		        "on that element", r->ref);
	}
}

/* Annotations to notes; those attached to no kept step describe their process. */
static void
attach_annotations(struct rd *rd)
{
	size_t i;

	for (i = 0; i < rd->nassocs; i++) {
		const struct assoc_rec *a = &rd->assocs[i];
		int an = find(rd, a->src, OBJ_ANNOT), n = find(rd, a->tgt, OBJ_NODE);

		if (an == NONE) {
			an = find(rd, a->tgt, OBJ_ANNOT);
			n = find(rd, a->src, OBJ_NODE);
		}
		if (an == NONE || n == NONE || !is_kept(rd, n) || !rd->annots[an].text)
			continue;
		if (append_para(&rd->nodes[n].note, rd->annots[an].text) < 0)
			rd->nomem = true;
		rd->annots[an].used = true;
		rd->stats.notes++;
	}
	for (i = 0; i < rd->nannots; i++) {
		struct annot_rec *an = &rd->annots[i];
		int p = an->proc != NONE ? an->proc : rd->nprocs ? 0 : NONE;

		if (an->used || !an->text)
			continue;
		if (p == NONE) {
			warn_unrep(rd, an->line, "textAnnotation", an->id, NULL,
			           "not represented (no process to keep it)");
			continue;
		}
		if (append_para(&rd->procs[p].desc, an->text) < 0)
			rd->nomem = true;
		warn_at(rd, an->line, "annotation to description",
		        "textAnnotation id=%s: attached to no step; kept in the description of "
		        "process '%s'", an->id ? an->id : "?", rd->procs[p].pool);
	}
}

/* Pools: a process takes its participant's name; black-box pools are reported. */
static void
name_processes(struct rd *rd)
{
	size_t i;

	for (i = 0; i < rd->nparts; i++) {
		struct part_rec *pt = &rd->parts[i];
		int p = find(rd, pt->process_ref, OBJ_PROCESS);

		if (p == NONE) {
			warn_at(rd, pt->line, "black-box pool", "participant id=%s '%s': a pool with "
			        "no process: not represented", pt->id ? pt->id : "?",
			        shown(pt->name, pt->id));
			continue;
		}
		if (!rd->procs[p].pool && pt->name && *pt->name)
			rd->procs[p].pool = pt->name;
		if (pt->doc && append_para(&rd->procs[p].desc, pt->doc) < 0)
			rd->nomem = true;
	}
	for (i = 0; i < rd->nprocs; i++) {
		struct proc_rec *p = &rd->procs[i];

		if (!p->pool)
			p->pool = p->name && *p->name ? p->name : p->id ? p->id
			        : rd->defs_name && *rd->defs_name ? rd->defs_name : "Process";
	}
}

static const char *
default_name(const struct node_rec *n)
{
	switch ((enum step_type)n->type) {
	case STEP_START: return "Start";
	case STEP_END: return "End";
	case STEP_DECISION: return "Decision";
	case STEP_PARALLEL: return "Parallel";
	case STEP_WAIT: return "Wait";
	default: return n->id ? n->id : elems[n->elem].local;
	}
}

static enum status
emit_process(struct rd *rd, int pi)
{
	const struct sink_ops *ops = rd->sink->ops;
	void *ctx = rd->sink->ctx;
	struct proc_rec *p = &rd->procs[pi];
	struct step plain;           /* the defaults, for nodes with no extension */
	enum status st;
	size_t i;
	char pkey[32];
	const char *key = p->id;

	if (!key) {
		snprintf(pkey, sizeof pkey, "process-%d", pi + 1);
		key = pkey;
	}
	if ((st = ops->process(ctx, key, p->pool, p->desc, rd->err)) != STATUS_OK)
		return st;
	rd->stats.processes++;
	step_init(&plain);
	for (i = 0; i < rd->nlanes; i++) {
		struct lane_rec *l = &rd->lanes[i];
		struct lane lane = { 0 };

		if (l->proc != pi || (l->has_children && !l->direct))
			continue;
		lane.name = l->path;
		lane.stage = l->stage >= 0 ? (enum stage)l->stage : guess_stage(l->path);
		lane.capacity = l->capacity > 0 ? l->capacity : 0;
		if ((st = ops->lane(ctx, l->id ? l->id : l->path, &lane, rd->err)) != STATUS_OK)
			goto out;
		rd->stats.lanes++;
	}
	for (i = 0; i < rd->nnodes; i++) {
		struct node_rec *n = &rd->nodes[i];
		struct step s;
		const char *lane_key = NULL;

		if (n->proc != pi || !is_kept(rd, (int)i) || !n->id)
			continue;
		s = n->x ? *n->x : plain;
		s.name = (char *)(n->name && *n->name ? n->name : default_name(n));
		s.type = (enum step_type)n->type;
		if (n->x && (n->ext_fields & (1u << FIELD_TYPE)))
			s.type = n->x->type;
		s.note = n->note;
		if (n->x && n->x->note && (n->ext_fields & (1u << FIELD_NOTE)))
			s.note = n->x->note;
		if ((n->flags & NF_TIMER) && n->timer_s >= 0 &&
		    !(n->ext_fields & ((1u << FIELD_WAIT) | (1u << FIELD_WORK))) &&
		    s.wait.kind == DIST_NONE)
			s.wait = dist_fixed(n->timer_s);
		if (n->lane != NONE) {
			struct lane_rec *l = &rd->lanes[n->lane];

			lane_key = l->id ? l->id : l->path;
		}
		if ((st = ops->step(ctx, n->id, lane_key, &s, rd->err)) != STATUS_OK)
			goto out;
		rd->stats.steps++;
		if (n->note)
			rd->stats.notes++;
	}
	for (i = 0; i < rd->nedges; i++) {
		const struct gedge *e = &rd->edges[i];
		struct flow f = { 0 };

		if (e->dead || rd->nodes[e->src].proc != pi || !is_kept(rd, e->src) ||
		    !is_kept(rd, e->tgt))
			continue;
		f.label = (char *)e->label;
		f.condition = (char *)e->cond;
		f.prob = e->prob;
		st = ops->flow(ctx, rd->nodes[e->src].id, rd->nodes[e->tgt].id, &f, rd->err);
		if (st != STATUS_OK)
			goto out;
		rd->stats.flows++;
	}
	for (i = 0; i < rd->nmeas; i++) {
		const struct measure_rec *m = &rd->meas[i];
		struct measure ms = { 0 };

		if (m->proc != pi || !ops->measure)
			continue;
		if (find(rd, m->from, OBJ_NODE) == NONE || find(rd, m->to, OBJ_NODE) == NONE) {
			warn_at(rd, m->line, "measure", "measure '%s': its steps '%s' and '%s' are not "
			        "both in the file: not imported", shown(m->name, NULL),
			        m->from ? m->from : "?", m->to ? m->to : "?");
			continue;
		}
		ms.name = (char *)(m->name ? m->name : "measure");
		ms.clock = (enum clock)m->clock;
		if ((st = ops->measure(ctx, m->from, m->to, &ms, rd->err)) != STATUS_OK)
			goto out;
	}
	st = STATUS_OK;
	if (p->has_ext_arrival && ops->arrival)
		st = ops->arrival(ctx, &p->arrival, rd->err);
out:
	step_done(&plain);
	return st;
}

static enum status
resolve(struct rd *rd)
{
	enum status st;
	size_t i;
	int heir;

	name_processes(rd);
	apply_sims(rd);
	assign_lanes(rd);
	if (rd->opt->merge_pools)
		merge_pools(rd);
	recover_ends(rd);
	build_edges(rd);
	/* what stepmap's export added is not a step: flows go through it */
	for (i = 0; i < rd->nnodes; i++)
		if (rd->nodes[i].flags & NF_GENERATED)
			bypass(rd, (int)i);
	for (i = 0; i < rd->nnodes; i++) {
		struct node_rec *n = &rd->nodes[i];

		if (rd->keep_sub && n->parent != NONE) {
			n->flags |= NF_DROP;
			continue;
		}
		if (!(n->flags & NF_CONTAINER) || !n->nchildren)
			continue;
		if (rd->keep_sub) {
			warn_at(rd, n->line, "kept subprocess", "element '%s' id=%s '%s': kept as "
			        "one step; the %d steps inside it are not imported",
			        elems[n->elem].local, n->id, shown(n->name, n->id), n->nchildren);
			continue;
		}
		flatten(rd, (int)i);
		heir = pass_note(rd, (int)i);
		warn_at(rd, n->line, "flattened subprocess", "element '%s' id=%s '%s': "
		        "flattened into its parent%s%s%s%s", elems[n->elem].local, n->id,
		        shown(n->name, n->id),
		        (n->flags & NF_EVENT_SUB) ? " (an event subprocess: its steps are not "
		        "connected to the main flow, its trigger is not kept)" : "",
		        heir != NONE ? "; its documentation is kept in the note of '" : "",
		        heir != NONE ? shown(rd->nodes[heir].name, rd->nodes[heir].id) : "",
		        heir != NONE ? "'" : "");
	}
	attach_annotations(rd);
	for (i = 0; i < rd->nlanes; i++) {
		rd->lanes[i].path = lane_path(rd, (int)i);
		if (!rd->lanes[i].path)
			rd->nomem = true;
	}
	for (i = 0; i < rd->nnodes; i++)
		if (rd->nodes[i].lane != NONE && is_kept(rd, (int)i))
			rd->lanes[rd->nodes[i].lane].direct++;
	for (i = 0; i < rd->nnss; i++)
		warn_at(rd, rd->nss[i].line, NULL, "%zu extension element%s of another tool "
		        "(namespace %s, first '%s'): not represented", rd->nss[i].n,
		        rd->nss[i].n == 1 ? "" : "s", rd->nss[i].uri, rd->nss[i].first);
	if (rd->nomem)
		return err_set(rd->err, STATUS_NOMEM, "%s: out of memory", rd->name);
	for (i = 0; i < rd->nprocs; i++) {
		if (rd->procs[i].merged)
			continue;
		if (!rd->procs[i].nnodes) {
			warn_at(rd, rd->procs[i].line, "empty process", "process id=%s '%s': has no "
			        "steps: not imported", rd->procs[i].id ? rd->procs[i].id : "?",
			        rd->procs[i].pool);
			continue;
		}
		if ((st = emit_process(rd, (int)i)) != STATUS_OK)
			return st;
	}
	if (!rd->stats.processes) {
		return err_set(rd->err, STATUS_INPUT, "%s: no process with steps in the file "
		               "(nothing to import)", rd->name);
	}
	warn_summaries(rd);
	return STATUS_OK;
}

/* --- the read ------------------------------------------------------------------------ */

static void
rd_done(struct rd *rd)
{
	size_t i;

	for (i = 0; i < rd->nprocs; i++)
		free(rd->procs[i].desc);
	for (i = 0; i < rd->nparts; i++)
		free(rd->parts[i].doc);
	for (i = 0; i < rd->nlanes; i++)
		free(rd->lanes[i].path);
	for (i = 0; i < rd->nnodes; i++) {
		free(rd->nodes[i].note);
		if (rd->nodes[i].x) {
			step_done(rd->nodes[i].x);
			free(rd->nodes[i].x);
		}
	}
	for (i = 0; i < rd->nflows; i++)
		free(rd->flows[i].cond);
	for (i = 0; i < rd->nannots; i++)
		free(rd->annots[i].text);
	for (i = 0; i < rd->nnss; i++) {
		free(rd->nss[i].uri);
		free(rd->nss[i].first);
	}
	for (i = 0; i < rd->nwcs; i++)
		free(rd->wcs[i].key);
	vec_free(rd->procs, rd->cprocs, sizeof *rd->procs);
	vec_free(rd->parts, rd->cparts, sizeof *rd->parts);
	vec_free(rd->lanes, rd->clanes, sizeof *rd->lanes);
	vec_free(rd->nodes, rd->cnodes, sizeof *rd->nodes);
	vec_free(rd->flows, rd->cflows, sizeof *rd->flows);
	vec_free(rd->annots, rd->cannots, sizeof *rd->annots);
	vec_free(rd->assocs, rd->cassocs, sizeof *rd->assocs);
	vec_free(rd->lrefs, rd->clrefs, sizeof *rd->lrefs);
	vec_free(rd->iorefs, rd->ciorefs, sizeof *rd->iorefs);
	vec_free(rd->sims, rd->csims, sizeof *rd->sims);
	vec_free(rd->meas, rd->cmeas, sizeof *rd->meas);
	vec_free(rd->edges, rd->cedges, sizeof *rd->edges);
	vec_free(rd->nss, rd->cnss, sizeof *rd->nss);
	vec_free(rd->wcs, rd->cwcs, sizeof *rd->wcs);
	vec_free(rd->ids.slots, rd->ids.cap, sizeof *rd->ids.slots);
	free(rd->text.s);
	free(rd->defs_doc);
	free(rd->sbuf);
	free(rd->svals);
	arena_done(&rd->a);
}

/* --- SAX callbacks ------------------------------------------------------------------ */

static unsigned
cur_line(const struct rd *rd)
{
	int l = xmlSAX2GetLineNumber(rd->ctxt);

	return l > 0 ? (unsigned)l : 0;
}

static void
stop(struct rd *rd, enum status st, const char *fmt, ...)
{
	va_list ap;

	if (rd->stop)
		return;
	rd->stop = true;
	rd->stop_err.code = st;
	va_start(ap, fmt);
	vsnprintf(rd->stop_err.msg, sizeof rd->stop_err.msg, fmt, ap);
	va_end(ap);
	xmlStopParser(rd->ctxt);
}

static void
sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
          int nns, const xmlChar **nss, int nattrs, int ndefaulted, const xmlChar **attrs)
{
	struct rd *rd = ctx;
	int depth = rd->depth++;
	struct tag t = { (const char *)local, (const char *)uri, nattrs, attrs, rd, false };
	bool skip = false;

	(void)prefix;
	(void)nns;
	(void)nss;
	(void)ndefaulted;
	if (depth >= rd->max_depth) {
		stop(rd, STATUS_INPUT, "%s:%u: elements nested deeper than %d levels: refused",
		     rd->name, cur_line(rd), rd->max_depth);
		return;
	}
	if (rd->stop || rd->skip_depth >= 0)
		return;
	on_start(rd, &t, depth, cur_line(rd), &skip);
	if (skip)
		rd->skip_depth = depth;
	if (rd->nomem)
		stop(rd, STATUS_NOMEM, "%s: out of memory", rd->name);
}

static void
sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	struct rd *rd = ctx;
	int depth = --rd->depth;

	(void)local;
	(void)prefix;
	(void)uri;
	if (rd->skip_depth >= 0) {
		if (depth == rd->skip_depth)
			rd->skip_depth = -1;
		return;
	}
	on_end(rd, depth);
}

static void
sax_text(void *ctx, const xmlChar *text, int len)
{
	struct rd *rd = ctx;

	if (rd->cap != CAP_NONE && rd->skip_depth < 0 && len > 0 &&
	    buf_add(&rd->text, (const char *)text, (size_t)len) < 0)
		stop(rd, STATUS_NOMEM, "%s: out of memory", rd->name);
}

static void
sax_doctype(void *ctx, const xmlChar *name, const xmlChar *external, const xmlChar *system)
{
	struct rd *rd = ctx;

	(void)name;
	(void)external;
	(void)system;
	stop(rd, STATUS_INPUT, "%s:%u: a document type declaration (<!DOCTYPE): refused, "
	     "a BPMN file has none and it is how entity bombs and external entities arrive",
	     rd->name, cur_line(rd));
}

/* The line of byte offset `at` of the file (for the scanner's messages). */
static unsigned
line_at(int fd, off_t at)
{
	char buf[65536];
	unsigned line = 1;
	off_t pos = 0;

	while (pos < at) {
		size_t want = (size_t)(at - pos) < sizeof buf ? (size_t)(at - pos) : sizeof buf;
		ssize_t n = pread(fd, buf, want, pos);
		ssize_t i;

		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			line += buf[i] == '\n';
		pos += n;
	}
	return line;
}

/* Read the file in chunks: scan each, then let libxml2 parse it. */
static enum status
parse(struct rd *rd)
{
	static const size_t chunk = 256 * 1024;
	char *buf = malloc(chunk);
	off_t base = 0;
	ssize_t n;
	enum status st = STATUS_OK;

	if (!buf)
		return err_set(rd->err, STATUS_NOMEM, "out of memory");
	rd->stack[0] = (struct frame){ CX_DEFS, CX_DEFS, NONE, NONE, NONE, NONE };
	rd->cap_depth = -1;
	rd->skip_depth = -1;
	for (;;) {
		do
			n = read(rd->fd, buf, chunk);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			st = err_set(rd->err, STATUS_IO, "%s: cannot read: %s", rd->name,
			             strerror(errno));
			goto out;
		}
		if (n > 0 && !scan(&rd->sc, buf, (size_t)n)) {
			unsigned line = line_at(rd->fd, base + (off_t)rd->sc.at);

			if (!strcmp(rd->sc.tripped, "too many attributes"))
				st = err_set(rd->err, STATUS_INPUT, "%s:%u: a start tag with more than "
				             "%zu attributes: refused", rd->name, line, rd->sc.max_attrs);
			else
				st = err_set(rd->err, STATUS_INPUT, "%s:%u: a document type declaration "
				             "(<!DOCTYPE): refused, a BPMN file has none and it is how "
				             "entity bombs and external entities arrive", rd->name, line);
			goto out;
		}
		base += n;
		xmlParseChunk(rd->ctxt, buf, (int)n, n == 0);
		if (rd->stop || rd->xml_errors || n == 0)
			break;
	}
	if (rd->stop)
		st = err_set(rd->err, rd->stop_err.code, "%s", rd->stop_err.msg);
	else if (rd->nomem)
		st = err_set(rd->err, STATUS_NOMEM, "%s: out of memory", rd->name);
	else if (rd->xml_errors)
		st = err_set(rd->err, STATUS_INPUT, "%s", rd->xml_msg);
	else if (!rd->ctxt->wellFormed)
		st = err_set(rd->err, STATUS_INPUT, "%s: not well-formed XML", rd->name);
	else if (!rd->stats.elements)
		st = err_set(rd->err, STATUS_INPUT, "%s: empty: no XML element", rd->name);
out:
	free(buf);
	return st;
}

enum status
bpmn_read(const char *path, const struct bpmn_options *opt, struct sink *sink,
          struct err *err)
{
	static const struct bpmn_options defaults;
	struct rd *rd;
	enum status st;
	xmlExternalEntityLoader old_loader;
	xmlStructuredErrorFunc old_serror;
	void *old_sctx, *old_gctx;
	xmlGenericErrorFunc old_generic;

	if (!opt)
		opt = &defaults;
	rd = calloc(1, sizeof *rd);
	if (!rd)
		return err_set(err, STATUS_NOMEM, "out of memory");
	rd->name = opt->name ? opt->name : path;
	rd->opt = opt;
	rd->sink = sink;
	rd->err = err;
	rd->keep_sub = opt->keep_subprocesses;
	rd->max_depth = opt->max_depth > 0 && opt->max_depth <= BPMN_MAX_DEPTH
	              ? opt->max_depth : BPMN_MAX_DEPTH;
	rd->sc.max_attrs = opt->max_attributes ? opt->max_attributes : BPMN_MAX_ATTRIBUTES;
	{
		struct err e = { 0 };

		/* a FIFO or a device is refused, never waited on */
		if ((rd->fd = file_open_read(path, NULL, NULL, &e)) < 0) {
			free(rd);
			return err_set(err, e.code, "%s", e.msg);
		}
	}
	{
		struct stat sb;

		/* a real file has an id for about every 400 bytes (diagram included) */
		if (fstat(rd->fd, &sb) == 0 && sb.st_size > 0)
			idmap_reserve(&rd->ids, (size_t)(sb.st_size / 400));
	}
	xmlInitParser();
	old_loader = xmlGetExternalEntityLoader();
	old_serror = xmlStructuredError;
	old_sctx = xmlStructuredErrorContext;
	old_generic = xmlGenericError;
	old_gctx = xmlGenericErrorContext;
	active_rd = rd;
	xmlSetExternalEntityLoader(refuse_entity);
	xmlSetStructuredErrorFunc(rd, on_xml_error);
	xmlSetGenericErrorFunc(NULL, on_generic_error);

	{
		xmlSAXHandler h;

		memset(&h, 0, sizeof h);
		h.initialized = XML_SAX2_MAGIC;
		h.startElementNs = sax_start;
		h.endElementNs = sax_end;
		h.characters = sax_text;
		h.cdataBlock = sax_text;
		h.internalSubset = sax_doctype;
		h.externalSubset = sax_doctype;
		h.serror = on_xml_error;
		/* no getEntity or entityDecl: only the five predefined entities exist */
		rd->ctxt = xmlCreatePushParserCtxt(&h, rd, NULL, 0, path);
	}
	if (!rd->ctxt) {
		st = err_set(err, STATUS_NOMEM, "%s: cannot start the XML parser", rd->name);
		goto out;
	}
	/* NONET, and never NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE. */
	xmlCtxtUseOptions(rd->ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT);
	st = parse(rd);
	if (st == STATUS_OK)
		st = resolve(rd);
	if (opt->stats)
		*opt->stats = rd->stats;
out:
	if (rd->ctxt) {
		if (rd->ctxt->myDoc)
			xmlFreeDoc(rd->ctxt->myDoc);
		xmlFreeParserCtxt(rd->ctxt);
	}
	xmlSetExternalEntityLoader(old_loader);
	xmlSetStructuredErrorFunc(old_sctx, old_serror);
	xmlSetGenericErrorFunc(old_gctx, old_generic);
	active_rd = NULL;
	close(rd->fd);
	rd_done(rd);
	free(rd);
	/* The sink settles what it received (resolves, orders) once the records
	 * are freed: it can reuse their memory. */
	if (st == STATUS_OK && sink->ops->end)
		st = sink->ops->end(sink->ctx, err);
	return st;
}
