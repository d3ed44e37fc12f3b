/*
 * bpmn_di.c - the BPMN writer's diagram (BPMN DI): the export graph laid
 * out by export/layout.h, then each pool, lane, node and flow as a
 * BPMNShape or BPMNEdge (see bpmn.h).
 */
#include <string.h>

#include "export/bpmn_int.h"

enum status
bpmn_di_layout(struct xproc *x, long top, struct err *err)
{
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
	x->lay.x = 160;
	x->lay.y = top;
	x->laid_out = true;
	return layout_run(&x->lay, err);
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

void
bpmn_di_write_shapes(struct out *o, const struct xproc *x)
{
	const struct layout *L = &x->lay;
	char id[ID_MAX];
	size_t i, b;

	di_start(o, "bpmndi:BPMNShape", bpmn_id_num(id, "Participant_", x->p->id, NULL));
	bpmn_x_raw(o, "isHorizontal", "true");
	write_bounds(o, &L->pool);
	bpmn_x_end(o);
	for (b = 0; b < x->nbands; b++) {
		if (!x->band_lane[b])
			continue;
		di_start(o, "bpmndi:BPMNShape", x->lid[b]);
		bpmn_x_raw(o, "isHorizontal", "true");
		write_bounds(o, &L->bands[b]);
		bpmn_x_end(o);
	}
	for (i = 0; i < x->nn; i++) {
		const struct xnode *nd = &x->n[i];

		di_start(o, "bpmndi:BPMNShape", bpmn_node_id(x, i));
		if (!strcmp(nd->elem, "exclusiveGateway"))
			bpmn_x_raw(o, "isMarkerVisible", "true");
		if (!strcmp(nd->elem, "subProcess"))
			bpmn_x_raw(o, "isExpanded", "false");
		write_bounds(o, &x->ln[i].box);
		write_label(o, &x->ln[i].label_box);
		bpmn_x_end(o);
	}
	for (i = 0; i < x->ne; i++) {
		const struct lay_edge *e = &x->le[i];
		size_t k;

		if (x->e[i].flow && x->e[i].flow->kind == FLOW_BOUNDARY)
			continue;   /* an attachment: no element, no edge */
		di_start(o, "bpmndi:BPMNEdge", bpmn_edge_id(x, i));
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
