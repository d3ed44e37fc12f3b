/*
 * layout_label.c - where a flow's label goes (see layout.h): beside a
 * segment of its own flow, nearer that flow than any other, on no shape,
 * no other label and no other flow.
 *
 * Candidates are tried in order: the flow's segments from the last (the
 * one into the target) to the first; along each, near its end, at its
 * middle, near its start; above then below a horizontal segment, right
 * then left of a vertical one, EDGE_LABEL_GAP pixels off it. The first
 * that is clear is taken. What is in the way is found in a grid of cells
 * (shapes, node labels, every flow's segments, the labels placed so far),
 * so the cost is about the number of labels, not labels times flows.
 *
 * A label with no clear place is put above its last segment anyway (a
 * crowded channel; the tests say when that happens).
 *
 * Owns: the grid, freed before returning.
 */
#include "export/layout_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EDGE_LABEL_GAP 3      /* between a flow and its label */
#define ALONG 8               /* from a segment's end to its label */
#define SCAN 12               /* then along a segment in steps of this */
#define REACH (LAY_LABEL_MAX_W + 200)  /* a label, where tried, is this near its flow */
#define CELL 256              /* the grid's cells, in pixels */

/* Something in the way, in one cell: 24 bytes, as there are about ten a
 * node. Coordinates fit 32 bits (a pool of 2 000 000 000 pixels is not
 * drawn anyway). */
#define IT_BOX UINT32_MAX     /* owner of a shape or label; else a segment's edge */
#define IT_END UINT32_MAX     /* next of the last item in a cell */

struct item {
	int32_t x, y, w, h;          /* a segment: one of w, h is 0 */
	uint32_t owner;
	uint32_t next;
};

struct grid {
	long x0, y0;
	size_t nx, ny;
	uint32_t *head;              /* per cell */
	unsigned char *near;         /* per cell: a label may be tried here */
	struct item *it;
	size_t n, cap;
};

static void
cell_range(const struct grid *g, const struct lay_rect *r, long m, size_t *cx0, size_t *cx1,
           size_t *cy0, size_t *cy1)
{
	long a = (r->x - m - g->x0) / CELL, b = (r->x + r->w + m - g->x0) / CELL;
	long c = (r->y - m - g->y0) / CELL, d = (r->y + r->h + m - g->y0) / CELL;

	*cx0 = a < 0 ? 0 : (size_t)a;
	*cx1 = b < 0 ? 0 : (size_t)b >= g->nx ? g->nx - 1 : (size_t)b;
	*cy0 = c < 0 ? 0 : (size_t)c;
	*cy1 = d < 0 ? 0 : (size_t)d >= g->ny ? g->ny - 1 : (size_t)d;
}

static enum status
grid_add(struct grid *g, const struct lay_rect *r, uint32_t owner)
{
	size_t cx0, cx1, cy0, cy1, x, y;

	cell_range(g, r, 0, &cx0, &cx1, &cy0, &cy1);
	for (y = cy0; y <= cy1; y++)
		for (x = cx0; x <= cx1; x++) {
			size_t c = y * g->nx + x;

			if (!g->near[c])
				continue;    /* no label comes here: nothing to find */
			if (g->n == g->cap) {
				size_t nc = g->cap ? g->cap * 2 : 1024;

				if (nc > IT_END)
					return STATUS_NOMEM;   /* four billion items: too big to draw */
				{
				struct item *q = realloc(g->it, nc * sizeof *q);

				if (!q)
					return STATUS_NOMEM;
				g->it = q;
				g->cap = nc;
				}
			}
			g->it[g->n] = (struct item){ (int32_t)r->x, (int32_t)r->y, (int32_t)r->w,
			                             (int32_t)r->h, owner, g->head[c] };
			g->head[c] = (uint32_t)g->n++;
		}
	return STATUS_OK;
}

/* Does the segment s come within m pixels of r (closed)? */
static int
seg_near(const struct lay_rect *s, const struct lay_rect *r, long m)
{
	return s->x <= r->x + r->w + m && s->x + s->w >= r->x - m &&
	       s->y <= r->y + r->h + m && s->y + s->h >= r->y - m;
}

/* Is the candidate r, a label of edge own, clear of everything? Other
 * flows must be more than gap pixels away; gap < 0: only not through it. */
static int
clear(const struct grid *g, const struct lay_rect *r, size_t own, long gap,
      const struct lay_rect *area)
{
	size_t cx0, cx1, cy0, cy1, x, y, i;

	if (r->x < area->x || r->y < area->y || r->x + r->w > area->x + area->w ||
	    r->y + r->h > area->y + area->h)
		return 0;
	cell_range(g, r, gap > 0 ? gap : 0, &cx0, &cx1, &cy0, &cy1);
	for (y = cy0; y <= cy1; y++)
		for (x = cx0; x <= cx1; x++)
			for (i = g->head[y * g->nx + x]; i != IT_END; i = g->it[i].next) {
				const struct item *t = &g->it[i];
				struct lay_rect tr = { t->x, t->y, t->w, t->h };

				if (t->owner == IT_BOX ? lay_rect_overlap(r, &tr)
				    : t->owner == own  ? seg_near(&tr, r, 0)
				    : gap >= 0         ? seg_near(&tr, r, gap)
				                       : lay_rect_overlap(r, &tr))
					return 0;
			}
	return 1;
}

static struct lay_rect
seg_rect(const struct lay_point *a, const struct lay_point *b)
{
	long x = a->x < b->x ? a->x : b->x, y = a->y < b->y ? a->y : b->y;

	return (struct lay_rect){ x, y, labs(a->x - b->x), labs(a->y - b->y) };
}

/* Try the places beside the segment a -> b for a w x h label. */
static int
try_segment(const struct grid *g, const struct lay_point *a, const struct lay_point *b,
            long w, long h, size_t own, long gap, const struct lay_rect *area,
            struct lay_rect *out)
{
	int horiz = a->y == b->y, i, side;
	long lo = horiz ? (a->x < b->x ? a->x : b->x) : (a->y < b->y ? a->y : b->y);
	long hi = horiz ? (a->x < b->x ? b->x : a->x) : (a->y < b->y ? b->y : a->y);
	long len = horiz ? w : h, fwd = horiz ? b->x > a->x : b->y > a->y;
	long at[3], pos, step, off = gap < 0 ? EDGE_LABEL_GAP : gap;

	if (hi - lo < 2)
		return 0;
	/* near the end, the middle, near the start: where the label begins;
	   then every SCAN pixels from the end back */
	at[0] = fwd ? hi - ALONG - len : lo + ALONG;
	at[1] = (lo + hi) / 2 - len / 2;
	at[2] = fwd ? lo + ALONG : hi - ALONG - len;
	step = fwd ? -SCAN : SCAN;
	for (i = 0, pos = at[0];; i++) {
		if (i < 3)
			pos = at[i];
		else if (i == 3)
			pos = at[0] + step;
		else
			pos += step;
		if (i >= 3 && (pos + len <= lo || pos >= hi))
			break;
		/* the label must lie beside the segment, not past its ends */
		if (pos + len <= lo || pos >= hi)
			continue;
		for (side = 0; side < 2; side++) {
			struct lay_rect r;

			if (horiz)
				r = (struct lay_rect){ pos, side ? a->y + off : a->y - off - h, w, h };
			else
				r = (struct lay_rect){ side ? a->x - off - w : a->x + off, pos, w, h };
			if (clear(g, &r, own, gap, area)) {
				*out = r;
				return 1;
			}
		}
	}
	return 0;
}

enum status
layout_place_labels(struct layout *L)
{
	struct grid g;
	struct lay_rect area;
	enum status st = STATUS_NOMEM;
	/* further off when nothing is clear nearer; at last (-1) only clear of
	   shapes and labels, across other flows (a crowded channel) */
	static const long gaps[] = { EDGE_LABEL_GAP, 2 * EDGE_LABEL_GAP, 4 * EDGE_LABEL_GAP, -1 };
	size_t i, j, d, labelled = 0;

	for (i = 0; i < L->nedges; i++) {
		L->edges[i].label_box = (struct lay_rect){ 0, 0, 0, 0 };
		labelled += L->edges[i].label && *L->edges[i].label;
	}
	if (!labelled)
		return STATUS_OK;
	if (L->nedges >= IT_BOX)
		return STATUS_NOMEM;     /* edges beyond the items' 32 bits */
	/* inside the lanes, right of their headers */
	area = L->pool;
	area.x += LAY_POOL_HEADER + LAY_LANE_HEADER;
	area.w -= LAY_POOL_HEADER + LAY_LANE_HEADER;
	memset(&g, 0, sizeof g);
	g.x0 = L->pool.x;
	g.y0 = L->pool.y;
	g.nx = (size_t)(L->pool.w / CELL) + 1;
	g.ny = (size_t)(L->pool.h / CELL) + 1;
	g.head = malloc(g.nx * g.ny * sizeof *g.head);
	if (!g.head)
		goto out;
	memset(g.head, 0xff, g.nx * g.ny * sizeof *g.head);   /* IT_END */
	g.near = calloc(g.nx * g.ny, 1);
	if (!g.near)
		goto out;
	/* the cells a label of a flow may be tried in: by its segments */
	for (i = 0; i < L->nedges; i++) {
		const struct lay_edge *e = &L->edges[i];

		if (!e->label || !*e->label)
			continue;
		for (j = 0; j + 1 < e->npts; j++) {
			struct lay_rect sr = seg_rect(&L->pts[e->pt0 + j], &L->pts[e->pt0 + j + 1]);
			size_t cx0, cx1, cy0, cy1, x, y;

			cell_range(&g, &sr, REACH, &cx0, &cx1, &cy0, &cy1);
			for (y = cy0; y <= cy1; y++)
				for (x = cx0; x <= cx1; x++)
					g.near[y * g.nx + x] = 1;
		}
	}
	for (i = 0; i < L->nnodes; i++) {
		if (grid_add(&g, &L->nodes[i].box, IT_BOX) != STATUS_OK)
			goto out;
		if (L->nodes[i].label_box.w &&
		    grid_add(&g, &L->nodes[i].label_box, IT_BOX) != STATUS_OK)
			goto out;
	}
	for (i = 0; i < L->nedges; i++) {
		const struct lay_edge *e = &L->edges[i];

		for (j = 0; j + 1 < e->npts; j++) {
			struct lay_rect s = seg_rect(&L->pts[e->pt0 + j], &L->pts[e->pt0 + j + 1]);

			if (grid_add(&g, &s, (uint32_t)i) != STATUS_OK)
				goto out;
		}
	}
	for (i = 0; i < L->nedges; i++) {
		struct lay_edge *e = &L->edges[i];
		const struct lay_point *p = L->pts + e->pt0;
		long w, h;
		int found = 0;

		if (!e->label || !*e->label || e->npts < 2)
			continue;
		layout_text_size(e->label, LAY_LABEL_MAX_W, &w, &h);
		for (d = 0; d < sizeof gaps / sizeof *gaps && !found; d++)
			for (j = e->npts - 1; j > 0 && !found; j--)
				found = try_segment(&g, &p[j - 1], &p[j], w, h, i, gaps[d], &area,
				                    &e->label_box);
		if (!found) {
			/* above or below the last segment's middle, stepping away until it
			   is on no shape and no label */
			const struct lay_point *a = &p[e->npts - 2], *b = &p[e->npts - 1];
			long y0 = a->y < b->y ? a->y : b->y, tries;
			struct lay_rect r = { (a->x + b->x) / 2 - w / 2, 0, w, h };

			for (tries = 0; tries / 2 * (h + EDGE_LABEL_GAP) + h < REACH; tries++) {
				long off = tries / 2 * (h + EDGE_LABEL_GAP);

				r.y = tries % 2 ? y0 + EDGE_LABEL_GAP + off : y0 - EDGE_LABEL_GAP - h - off;
				if (clear(&g, &r, i, -1, &area))
					break;
			}
			e->label_box = r;
		}
		if (grid_add(&g, &e->label_box, IT_BOX) != STATUS_OK)
			goto out;
	}
	st = STATUS_OK;
out:
	free(g.head);
	free(g.near);
	free(g.it);
	return st;
}
