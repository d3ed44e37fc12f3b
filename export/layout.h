/*
 * layout.h - the geometry of a BPMN diagram (BPMN DI) for one pool: lanes as
 * horizontal bands, flow nodes left to right in flow order, orthogonal edges
 * routed between the shapes, labels placed where nothing else is.
 *
 * This file knows nothing of the model or of XML: the BPMN writer hands it
 * nodes (in the process's order, each in a band and of a shape kind) and
 * edges between them, and reads back boxes and waypoints. It is kept apart so
 * its invariants can be tested on their own (tests/unit/test_bpmn_export.c).
 *
 * How it lays out (all steps linear in nodes and edges, but for sorts and
 * a binary search for where to wrap):
 *   columns  an edge from an earlier node to a later one (in the given order)
 *            goes forward; the others are loops. A node's column is one more
 *            than the furthest column of its forward predecessors (nodes on
 *            parallel branches share columns); a node with no forward
 *            predecessor follows the node before it. Column widths fit their
 *            shapes and labels.
 *   rows     each band has rows; a node takes the row of its nearest
 *            predecessor in the same band when the way there is clear, the
 *            branches of a split take the rows below, a node reached from
 *            another band the first free row. Row heights fit shapes and the
 *            labels under events and gateways.
 *   wrapping a long process is cut every so many columns and the pieces
 *            laid one under the other inside every lane (each lane holds
 *            the rows of each piece in turn), as many pieces as it takes
 *            for the pool to be at most about 1.5 to 2 times as wide as
 *            high. Columns are then counted within a piece.
 *   edges    leave a shape by its right side and enter by its left side, on
 *            its border (a diamond's or circle's outline), each edge at its
 *            own port: the edges at one side are spread over it, ordered so
 *            they do not cross there, a straight one on the centre line, so
 *            no two edges share a segment into a target or out of a source.
 *            Straight when source and target share a row with nothing
 *            between; otherwise vertical segments run only in the channels
 *            between columns and horizontal ones only along rows with no
 *            shape between, or in the gaps between rows (an edge into a
 *            later piece runs through the gap by its target). Edges sharing
 *            a channel take separate tracks (an interval colouring), and
 *            channels widen to fit them. Hence no segment crosses a shape.
 *   labels   a node's label under it, inside its column; an edge's label
 *            beside one of its own segments, the last first, where it
 *            overlaps no shape or label and is nearer its own edge than any
 *            other (layout_label.c); in a crowded channel, where no such
 *            place is, clear of shapes and labels only. Each channel is
 *            widened for the labels of the edges into the next column.
 *   headers  a lane (and the pool) is made tall enough for its name,
 *            written along its header in 12 px text, in two lines at most.
 *
 * Sizes are BPMN's usual ones: task 100 x 80, gateway 50 x 50, event 36 x 36;
 * a pool has a 30-pixel header and each lane another. A task whose name
 * would take more than four lines (12 px Arial, as bpmn-js writes it) is
 * made wider, by 20 pixels at a time up to 180, so the name stays inside
 * and clear of the task's icon. Label sizes are estimated as bpmn-js wraps
 * them (11 px Arial, 90 pixels wide), on the generous side: bpmn-js wraps a
 * label at the width of its bounds.
 */
#ifndef STEPMAP_EXPORT_LAYOUT_H
#define STEPMAP_EXPORT_LAYOUT_H

#include <stddef.h>

#include "model/status.h"

struct lay_rect {
	long x, y, w, h;
};

struct lay_point {
	long x, y;
};

/* The shape of a node: its size, and whether its label sits outside it. */
enum lay_kind { LAY_TASK, LAY_GATEWAY, LAY_EVENT };

#define LAY_TASK_W 100
#define LAY_TASK_H 80
#define LAY_GATEWAY_SIZE 50
#define LAY_EVENT_SIZE 36
#define LAY_POOL_HEADER 30
#define LAY_LANE_HEADER 30
#define LAY_LABEL_MAX_W 90

struct lay_node {
	/* in */
	size_t band;                 /* 0 .. nbands-1, top to bottom */
	enum lay_kind kind;
	const char *label;           /* UTF-8, drawn under a gateway or event,
	                                inside a task (a long name widens the
	                                task); NULL or "": none */
	/* out */
	size_t col, row;             /* column; row within its band */
	struct lay_rect box;
	struct lay_rect label_box;   /* w == 0: no label */
};

struct lay_edge {
	/* in */
	size_t from, to;             /* node indices */
	const char *label;           /* NULL or "": none */
	/* out */
	size_t pt0, npts;            /* waypoints: layout.pts[pt0 .. pt0 + npts) */
	struct lay_rect label_box;   /* w == 0: no label */
};

struct layout {
	/* in: owned by the caller, which fills them before layout_run() */
	struct lay_node *nodes;      /* in the process's order */
	size_t nnodes;
	struct lay_edge *edges;
	size_t nedges;
	size_t nbands;               /* at least 1 */
	long x, y;                   /* top left corner of the pool */
	const char *pool_name;       /* NULL or "": none; the pool and each lane */
	const char *const *band_names;  /* is tall enough for its name (or NULL) */
	/* out: owned by the layout until layout_done() */
	struct lay_rect pool;
	struct lay_rect *bands;      /* nbands, the lanes' bounds (header included) */
	struct lay_point *pts;       /* every edge's waypoints */
	size_t npts;
	size_t ncols;                /* columns of nodes */
};

/*
 * Lay out L's nodes and edges (see above) and fill every "out" field. A node
 * whose band is out of range, or an edge whose ends are, is STATUS_INTERNAL.
 * On error (also STATUS_NOMEM) err says why and the outputs are unset; call
 * layout_done() either way.
 */
enum status layout_run(struct layout *L, struct err *err);

/* Free what layout_run() allocated (not the caller's nodes and edges). */
void layout_done(struct layout *L);

/* Edges by node, as index arrays: the out-edges of node v are
 * out_e[out_off[v] .. out_off[v + 1]), in edge order; likewise in-edges. */
struct lay_adj {
	size_t *out_off, *out_e, *in_off, *in_e;
};

/* Index m edges between n nodes. STATUS_NOMEM leaves a empty. Free with
 * lay_adjacency_done(). */
enum status lay_adjacency(const struct lay_edge *edges, size_t m, size_t n,
                          struct lay_adj *a);
void lay_adjacency_done(struct lay_adj *a);

/*
 * The size of text as bpmn-js draws an external label: wrapped at words to
 * at most max_w pixels, 14 pixels a line. Empty text is 0 x 0.
 */
void layout_text_size(const char *text, long max_w, long *w, long *h);

/* True when the open interiors of a and b intersect. */
int lay_rect_overlap(const struct lay_rect *a, const struct lay_rect *b);

#endif
