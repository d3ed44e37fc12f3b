/*
 * bpmn_di.c - the BPMN writer's diagram (BPMN DI): each pool, lane, node
 * and flow as a BPMNShape or BPMNEdge (see bpmn.h).
 *
 * Where each goes. What a process read from BPMN kept of its diagram (the
 * di of its pool, lanes, steps and flows: what the user did not change,
 * model/edit.c's settle_di) is written as it was read, numbers byte for
 * byte. Everything else is laid out by export/layout.h; in a process that
 * kept part of its diagram, what was laid out is moved by how far the
 * layout put the kept nodes from where they are (the mean), a node into the
 * middle of its lane when the lane was kept, and the flows not kept (made,
 * reconnected, or with an end laid out again) are routed anew between their
 * nodes as they now are (the layout's route when neither end moved from
 * where the layout put it). A process that kept nothing is laid out whole, as
 * before.
 *
 * The compact text of a kept object (import/bpmn_di.c reads it):
 *   shape  "B x y w h[ E0|E1][ H0|H1][ L x y w h]": bounds, isExpanded,
 *          isHorizontal when the file gave them, the label's bounds
 *   edge   "W x,y x,y ...[ L x y w h]": waypoints, the label's bounds
 *
 * Owns: the kept-text tables of each xproc (bpmn_di_done).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export/bpmn_int.h"

#define DI_TOK_MAX  48           /* a number as the file wrote it, and more */
#define POOL_HEADER 30           /* a pool's name band, left of its lanes */
#define POOL_MARGIN 20           /* around what a pool holds when it is laid out */
#define ROUTE_BELOW 20           /* a backward flow runs this far below its ends */

/* The next token of a kept text (up to a blank or a comma) into buf; its
 * first character, or 0 at the end. */
static char
di_tok(const char **p, char buf[DI_TOK_MAX])
{
	size_t n = 0;

	while (**p == ' ' || **p == ',')
		(*p)++;
	while (**p && **p != ' ' && **p != ',' && n + 1 < DI_TOK_MAX)
		buf[n++] = *(*p)++;
	buf[n] = '\0';
	return buf[0];
}

/* Four numbers of a kept text: tokens into t (when not NULL), values into v. */
static bool
di_four(const char **p, char t[4][DI_TOK_MAX], double v[4])
{
	char buf[DI_TOK_MAX], *end;
	int k;

	for (k = 0; k < 4; k++) {
		if (!di_tok(p, buf))
			return false;
		v[k] = strtod(buf, &end);
		if (*end || !isfinite(v[k]))
			return false;
		if (t)
			memcpy(t[k], buf, DI_TOK_MAX);
	}
	return true;
}

/* A kept shape: its parts. */
struct di_shape {
	char b[4][DI_TOK_MAX], l[4][DI_TOK_MAX];
	double v[4], lv[4];
	bool label;
	signed char expanded, horizontal;    /* -1: not given */
};

static bool
shape_parse(const char *di, struct di_shape *sh)
{
	char buf[DI_TOK_MAX];
	const char *p = di;

	if (!di || di_tok(&p, buf) != 'B' || buf[1] || !di_four(&p, sh->b, sh->v))
		return false;
	sh->label = false;
	sh->expanded = sh->horizontal = -1;
	while (di_tok(&p, buf)) {
		if (buf[0] == 'E' && (buf[1] == '0' || buf[1] == '1') && !buf[2])
			sh->expanded = buf[1] == '1';
		else if (buf[0] == 'H' && (buf[1] == '0' || buf[1] == '1') && !buf[2])
			sh->horizontal = buf[1] == '1';
		else if (buf[0] == 'L' && !buf[1] && !sh->label && di_four(&p, sh->l, sh->lv))
			sh->label = true;
		else
			return false;
	}
	return sh->v[2] >= 0 && sh->v[3] >= 0;
}

/* A kept edge: at least two waypoints, then maybe a label. */
static bool
edge_ok(const char *di)
{
	char buf[DI_TOK_MAX], *end;
	const char *p = di;
	size_t n = 0;
	double v[4];

	if (!di || di_tok(&p, buf) != 'W' || buf[1])
		return false;
	while (di_tok(&p, buf)) {
		if (buf[0] == 'L' && !buf[1])
			return n >= 4 && n % 2 == 0 && di_four(&p, NULL, v) && !di_tok(&p, buf);
		if (!isfinite(strtod(buf, &end)) || *end)
			return false;
		n++;
	}
	return n >= 4 && n % 2 == 0;
}

static long
round_l(double v)
{
	return (long)floor(v + 0.5);
}

static struct lay_rect
rect_of(const double v[4])
{
	return (struct lay_rect){ round_l(v[0]), round_l(v[1]), round_l(v[2]), round_l(v[3]) };
}

static void
rect_move(struct lay_rect *r, long dx, long dy)
{
	r->x += dx;
	r->y += dy;
}

static void
rect_cover(struct lay_rect *r, const struct lay_rect *by, bool *any)
{
	long x1, y1;

	if (!by->w && !by->h)
		return;
	if (!*any) {
		*r = *by;
		*any = true;
		return;
	}
	x1 = r->x + r->w > by->x + by->w ? r->x + r->w : by->x + by->w;
	y1 = r->y + r->h > by->y + by->h ? r->y + r->h : by->y + by->h;
	r->x = r->x < by->x ? r->x : by->x;
	r->y = r->y < by->y ? r->y : by->y;
	r->w = x1 - r->x;
	r->h = y1 - r->y;
}

/* Route edge i anew between its nodes' boxes: out of the source's right
 * side into the target's left, with one bend each way; a backward flow runs
 * below both. Its points go at the end of the layout's; its label at its
 * middle. */
static enum status
reroute(struct xproc *x, size_t i)
{
	struct layout *L = &x->lay;
	struct lay_edge *e = &x->le[i];
	const struct lay_rect *a = &x->ln[e->from].box, *b = &x->ln[e->to].box;
	struct lay_point pt[4], *np;
	long sx = a->x + a->w, sy = a->y + a->h / 2, tx = b->x, ty = b->y + b->h / 2;
	size_t n = 0, k;

	if (tx >= sx) {
		long mid = (sx + tx) / 2;

		pt[n++] = (struct lay_point){ sx, sy };
		if (sy != ty) {
			pt[n++] = (struct lay_point){ mid, sy };
			pt[n++] = (struct lay_point){ mid, ty };
		}
		pt[n++] = (struct lay_point){ tx, ty };
	} else {
		long below = (a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h) + ROUTE_BELOW;

		pt[n++] = (struct lay_point){ a->x + a->w / 2, a->y + a->h };
		pt[n++] = (struct lay_point){ a->x + a->w / 2, below };
		pt[n++] = (struct lay_point){ b->x + b->w / 2, below };
		pt[n++] = (struct lay_point){ b->x + b->w / 2, b->y + b->h };
	}
	if (!(np = realloc(L->pts, (L->npts + n) * sizeof *np)))
		return STATUS_NOMEM;
	L->pts = np;
	for (k = 0; k < n; k++)
		L->pts[L->npts + k] = pt[k];
	e->pt0 = L->npts;
	e->npts = n;
	L->npts += n;
	if (e->label_box.w) {
		e->label_box.x = (pt[n / 2 - 1].x + pt[n / 2].x) / 2 - e->label_box.w / 2;
		e->label_box.y = (pt[n / 2 - 1].y + pt[n / 2].y) / 2 - e->label_box.h - 4;
	}
	return STATUS_OK;
}

/* After the layout: what each object kept, and where the rest goes. */
static enum status
place_kept(struct xproc *x)
{
	struct layout *L = &x->lay;
	struct di_shape sh;
	double sx = 0, sy = 0;
	long dx = 0, dy = 0;
	size_t i, nk = 0;
	bool any = false, cover = false, *moved;
	enum status st = STATUS_OK;

	x->nkept = calloc(x->nn + 1, sizeof *x->nkept);
	x->ekept = calloc(x->ne + 1, sizeof *x->ekept);
	x->bkept = calloc(x->nbands + 1, sizeof *x->bkept);
	if (!x->nkept || !x->ekept || !x->bkept)
		return STATUS_NOMEM;
	/* a node moved from where the layout put it: its flows are routed anew */
	if (!(moved = calloc(x->nn + 1, sizeof *moved)))
		return STATUS_NOMEM;
	for (i = 0; i < x->nn; i++) {
		const struct step *s = x->n[i].k == XK_STEP ? x->n[i].s : NULL;
		struct lay_rect r;

		if (!s || !shape_parse(s->di, &sh))
			continue;
		x->nkept[i] = s->di;
		sx += sh.v[0] - (double)x->ln[i].box.x;
		sy += sh.v[1] - (double)x->ln[i].box.y;
		r = rect_of(sh.v);
		moved[i] = memcmp(&r, &x->ln[i].box, sizeof r) != 0;
		x->ln[i].box = r;
		nk++;
	}
	for (i = 0; i < x->nbands; i++)
		if (x->band_lane[i] && shape_parse(x->band_lane[i]->di, &sh)) {
			x->bkept[i] = x->band_lane[i]->di;
			any = true;
		}
	if (shape_parse(x->p->di, &sh)) {
		x->pkept = x->p->di;
		if (!nk) {
			sx = sh.v[0] - (double)L->pool.x;
			sy = sh.v[1] - (double)L->pool.y;
		}
		L->pool = rect_of(sh.v);
		any = true;
	}
	if (!nk && !any) {
		free(moved);
		return STATUS_OK;    /* nothing kept: the layout as it is */
	}
	if (nk) {
		dx = round_l(sx / (double)nk);
		dy = round_l(sy / (double)nk);
	} else {
		dx = round_l(sx);
		dy = round_l(sy);
	}
	for (i = 0; i < x->nbands; i++) {
		if (!x->bkept[i])
			rect_move(&L->bands[i], dx, dy);
		else if (shape_parse(x->bkept[i], &sh))
			L->bands[i] = rect_of(sh.v);
	}
	for (i = 0; i < x->nn; i++) {
		struct lay_node *n = &x->ln[i];
		long ly;

		if (x->nkept[i])
			continue;
		rect_move(&n->box, dx, dy);
		rect_move(&n->label_box, dx, dy);
		ly = 0;
		if (n->band < x->nbands && x->bkept[n->band]) {
			const struct lay_rect *band = &L->bands[n->band];

			ly = band->y + (band->h - n->box.h) / 2 - n->box.y;
			n->box.y += ly;
			n->label_box.y += ly;
		}
		moved[i] = dx || dy || ly;
	}
	if (!x->pkept) {
		struct lay_rect r = { 0 };

		for (i = 0; i < x->nn; i++)
			rect_cover(&r, &x->ln[i].box, &cover);
		for (i = 0; i < x->nbands; i++)
			if (x->band_lane[i])
				rect_cover(&r, &L->bands[i], &cover);
		L->pool = (struct lay_rect){ r.x - POOL_HEADER - POOL_MARGIN, r.y - POOL_MARGIN,
		                             r.w + POOL_HEADER + 2 * POOL_MARGIN,
		                             r.h + 2 * POOL_MARGIN };
	}
	for (i = 0; i < x->ne; i++) {
		const struct flow *f = x->e[i].flow;

		if (f && f->kind == FLOW_BOUNDARY)
			continue;
		if (f && x->nkept[x->le[i].from] && x->nkept[x->le[i].to] && edge_ok(f->di))
			x->ekept[i] = f->di;
		else if ((moved[x->le[i].from] || moved[x->le[i].to]) &&
		         (st = reroute(x, i)) != STATUS_OK)
			break;
	}
	free(moved);
	return st;
}

double
bpmn_di_bottom(const struct process *p)
{
	struct di_shape sh;
	double bottom = -HUGE_VAL;
	size_t i;

	if (shape_parse(p->di, &sh))
		bottom = sh.v[1] + sh.v[3];
	for (i = 0; i < p->nsteps; i++)
		if (shape_parse(p->steps[i]->di, &sh) && sh.v[1] + sh.v[3] > bottom)
			bottom = sh.v[1] + sh.v[3];
	for (i = 0; i < p->nlanes; i++)
		if (shape_parse(p->lanes[i]->di, &sh) && sh.v[1] + sh.v[3] > bottom)
			bottom = sh.v[1] + sh.v[3];
	return bottom;
}

void
bpmn_di_done(struct xproc *x)
{
	free(x->nkept);
	free(x->ekept);
	free(x->bkept);
	x->nkept = x->ekept = x->bkept = NULL;
}

enum status
bpmn_di_layout(struct xproc *x, long top, struct err *err)
{
	enum status st;
	size_t i;

	for (i = 0; i < x->nn; i++) {
		const char *el = x->n[i].elem;

		size_t len = strlen(el);

		x->ln[i].kind = len > 7 && !strcmp(el + len - 7, "Gateway") ? LAY_GATEWAY
		              : len > 5 && !strcmp(el + len - 5, "Event") ? LAY_EVENT : LAY_TASK;
		x->ln[i].label = x->n[i].name;
	}
	for (i = 0; i < x->ne; i++)
		x->le[i].label = x->e[i].name;
	x->lay.nodes = x->ln;
	x->lay.nnodes = x->nn;
	x->lay.edges = x->le;
	x->lay.nedges = x->ne;
	x->lay.nbands = x->nbands ? x->nbands : 1;
	x->band_name = calloc(x->lay.nbands, sizeof *x->band_name);
	if (!x->band_name)
		return STATUS_NOMEM;
	for (i = 0; i < x->nbands; i++)
		x->band_name[i] = x->band_lane[i] ? x->band_lane[i]->name : NULL;
	x->lay.band_names = x->band_name;
	x->lay.pool_name = x->p->name;
	x->lay.x = 160;
	x->lay.y = top;
	x->laid_out = true;
	if ((st = layout_run(&x->lay, err)) != STATUS_OK)
		return st;
	if (place_kept(x) != STATUS_OK)
		return err_set(err, STATUS_NOMEM, "out of memory placing the diagram of '%s'",
		               x->p->name);
	return STATUS_OK;
}

static void
write_bounds(struct out *o, const struct lay_rect *r)
{
	bpmn_x_start(o, "dc:Bounds");
	bpmn_x_long(o, "x", r->x);
	bpmn_x_long(o, "y", r->y);
	bpmn_x_long(o, "width", r->w);
	bpmn_x_long(o, "height", r->h);
	bpmn_x_end(o);
}

static void
write_label(struct out *o, const struct lay_rect *r)
{
	if (!r->w)
		return;
	bpmn_x_start(o, "bpmndi:BPMNLabel");
	write_bounds(o, r);
	bpmn_x_end(o);
}

/* Start a BPMNShape or BPMNEdge of the element id: "<id>_di". */
static void
di_start(struct out *o, const char *tag, const char *id)
{
	char did[ID_MAX + 4];

	snprintf(did, sizeof did, "%s_di", id);
	bpmn_x_start(o, tag);
	bpmn_x_raw(o, "id", did);
	bpmn_x_raw(o, "bpmnElement", id);
}

/* The bounds as kept (tokens as read), or as laid out. */
static void
write_kept_bounds(struct out *o, char t[4][DI_TOK_MAX])
{
	bpmn_x_start(o, "dc:Bounds");
	bpmn_x_raw(o, "x", t[0]);
	bpmn_x_raw(o, "y", t[1]);
	bpmn_x_raw(o, "width", t[2]);
	bpmn_x_raw(o, "height", t[3]);
	bpmn_x_end(o);
}

static void
write_kept_label(struct out *o, const struct di_shape *sh)
{
	char t[4][DI_TOK_MAX];

	if (!sh->label)
		return;
	memcpy(t, sh->l, sizeof t);
	bpmn_x_start(o, "bpmndi:BPMNLabel");
	write_kept_bounds(o, t);
	bpmn_x_end(o);
}

static const char *
flag_text(signed char kept, const char *made)
{
	return kept < 0 ? made : kept ? "true" : "false";
}

/* A pool's or lane's shape: kept, or laid out. */
static void
write_band(struct out *o, const char *id, const char *kept, const struct lay_rect *r)
{
	struct di_shape sh;
	bool k = kept && shape_parse(kept, &sh);

	di_start(o, "bpmndi:BPMNShape", id);
	if (!k || sh.horizontal >= 0)
		bpmn_x_raw(o, "isHorizontal", flag_text(k ? sh.horizontal : -1, "true"));
	if (k) {
		write_kept_bounds(o, sh.b);
		write_kept_label(o, &sh);
	} else {
		write_bounds(o, r);
	}
	bpmn_x_end(o);
}

static void
write_kept_edge(struct out *o, const char *di)
{
	char tx[DI_TOK_MAX], ty[DI_TOK_MAX];
	const char *p = di;

	di_tok(&p, tx);  /* "W" */
	while (di_tok(&p, tx)) {
		if (tx[0] == 'L' && !tx[1]) {
			struct di_shape sh;

			sh.label = di_four(&p, sh.l, sh.lv);
			write_kept_label(o, &sh);
			break;
		}
		di_tok(&p, ty);
		bpmn_x_start(o, "di:waypoint");
		bpmn_x_raw(o, "x", tx);
		bpmn_x_raw(o, "y", ty);
		bpmn_x_end(o);
	}
}

void
bpmn_di_write_shapes(struct out *o, const struct xproc *x)
{
	const struct layout *L = &x->lay;
	char id[ID_MAX];
	size_t i, b;

	write_band(o, bpmn_id_num(id, "Participant_", x->p->id, NULL), x->pkept, &L->pool);
	for (b = 0; b < x->nbands; b++)
		if (x->band_lane[b])
			write_band(o, x->lid[b], x->bkept[b], &L->bands[b]);
	for (i = 0; i < x->nn; i++) {
		const struct xnode *nd = &x->n[i];
		struct di_shape sh;
		bool k = x->nkept[i] && shape_parse(x->nkept[i], &sh);

		di_start(o, "bpmndi:BPMNShape", bpmn_node_id(x, i));
		if (!strcmp(nd->elem, "exclusiveGateway"))
			bpmn_x_raw(o, "isMarkerVisible", "true");
		if (k && sh.expanded >= 0)
			bpmn_x_raw(o, "isExpanded", flag_text(sh.expanded, "false"));
		else if (!strcmp(nd->elem, "subProcess"))
			bpmn_x_raw(o, "isExpanded", "false");
		if (k) {
			write_kept_bounds(o, sh.b);
			write_kept_label(o, &sh);
		} else {
			write_bounds(o, &x->ln[i].box);
			write_label(o, &x->ln[i].label_box);
		}
		bpmn_x_end(o);
	}
	for (i = 0; i < x->ne; i++) {
		const struct lay_edge *e = &x->le[i];
		size_t k;

		if (x->e[i].flow && x->e[i].flow->kind == FLOW_BOUNDARY)
			continue;   /* an attachment: no element, no edge */
		di_start(o, "bpmndi:BPMNEdge", bpmn_edge_id(x, i));
		if (x->ekept[i]) {
			write_kept_edge(o, x->ekept[i]);
			bpmn_x_end(o);
			continue;
		}
		for (k = 0; k < e->npts; k++) {
			bpmn_x_start(o, "di:waypoint");
			bpmn_x_long(o, "x", L->pts[e->pt0 + k].x);
			bpmn_x_long(o, "y", L->pts[e->pt0 + k].y);
			bpmn_x_end(o);
		}
		write_label(o, &e->label_box);
		bpmn_x_end(o);
	}
}
