/*
 * bpmn_int.h - what the BPMN writer's two halves share: the export graph
 * of a process (bpmn.c builds it, with the document's ids) and the element
 * writer; bpmn_di.c lays the graph out and writes the diagram (BPMN DI).
 */
#ifndef STEPMAP_EXPORT_BPMN_INT_H
#define STEPMAP_EXPORT_BPMN_INT_H

#include <stdbool.h>

#include <libxml/xmlwriter.h>

#include "export/layout.h"
#include "model/model.h"

#define ID_MAX    64

enum xkind { XK_STEP, XK_START, XK_END, XK_SPLIT, XK_JOIN };

struct xnode {
	enum xkind k;
	const struct step *s;        /* its step, or the step it was added for */
	const char *elem;            /* BPMN local name */
	const char *name;            /* NULL or "": none */
	size_t host;                 /* a boundary event's step node; SIZE_MAX: none */
	size_t dflt;                 /* its default flow (edge); SIZE_MAX: none */
	double attach_prob;          /* a boundary event's probability, < 0: none */
};

enum ekind { EK_GRAPH, EK_START, EK_END, EK_SPLIT, EK_JOIN, EK_MESSAGE };

struct xedge {
	enum ekind k;
	const struct flow *flow;     /* EK_GRAPH: the explicit flow, or NULL */
	sm_id a, b;                  /* step ids: source and target (for ids) */
	double prob;                 /* of a branch out of a forking gateway */
	const char *name;            /* NULL: none */
	const char *cond;            /* a forking exclusive gateway's branch */
	bool name_stand_in;          /* name and cond only stand in for what the */
	bool cond_stand_in;          /* flow lacks (stepmap:flow stand-in="...") */
	bool branch;                 /* a branch of a forking exclusive gateway */
};

struct xproc {
	const struct process *p;
	struct graph g;
	struct xnode *n;
	struct xedge *e;
	size_t nn, ne;
	struct lay_adj adj;          /* flows of each node */
	size_t nbands;               /* lanes in stage order, then maybe "no lane" */
	const struct lane **band_lane;             /* NULL for the "no lane" band */
	const char **band_name;                    /* each band's lane's name, for the layout */
	struct lane_band { sm_id id; size_t band; } *by_id;   /* sorted by id */
	size_t *band_off, *band_nodes;             /* nodes of each band (CSR) */
	size_t start;                /* the node arrivals enter by; SIZE_MAX: none */
	char **owned;                /* names made here */
	size_t nowned;
	struct lay_node *ln;
	struct lay_edge *le;
	struct layout lay;
	bool laid_out;
	/* the document's ids (assign_ids): kept from the source where valid */
	const char **nid, **eid, **lid;          /* per node, edge, band */
	size_t *own;                 /* node of each step (by index) */
	/* the diagram as read and kept (bpmn_di.c), per node, edge, band and
	 * the pool; NULL: laid out */
	const char **nkept, **ekept, **bkept, *pkept;
};

/* The writer: xmlTextWriter with the first failure remembered. */
struct out {
	xmlTextWriterPtr w;
	bool bad;                    /* a write failed */
	bool nomem;
	char num[48];
};

void bpmn_x_start(struct out *o, const char *name);
void bpmn_x_end(struct out *o);
/* An attribute whose value we made (ids, numbers, keywords). */
void bpmn_x_raw(struct out *o, const char *name, const char *value);
void bpmn_x_long(struct out *o, const char *name, long v);

/* prefix, v and suffix as one id in buf (at least ID_MAX); buf. */
char *bpmn_id_num(char *buf, const char *prefix, sm_id v, const char *suffix);
/* The document's id of node i, edge i (after assign_ids). */
const char *bpmn_node_id(const struct xproc *x, size_t i);
const char *bpmn_edge_id(const struct xproc *x, size_t i);

/* Lay out x's nodes and edges (bands indexed) with the pool's top at top. */
enum status bpmn_di_layout(struct xproc *x, long top, struct err *err);
/* The lowest edge of what p kept of its diagram (its pool, lanes and
 * steps), -HUGE_VAL when it kept none: pools laid out go below it. */
double bpmn_di_bottom(const struct process *p);
void bpmn_di_done(struct xproc *x);
/* The BPMNShapes and BPMNEdges of x: pool, lanes, nodes, flows. */
void bpmn_di_write_shapes(struct out *o, const struct xproc *x);

#endif
