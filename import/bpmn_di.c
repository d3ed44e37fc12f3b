/*
 * bpmn_di.c - the BPMN reader's diagram (BPMN DI, issue 11): each BPMNShape
 * and BPMNEdge read into its compact text (the format export/bpmn_di.c
 * writes back, see export/bpmn.h), then handed at resolve to the pool, lane,
 * node or flow it shows, so that export keeps the diagram the user did not
 * change. Numbers are kept as the file wrote them (checked to be finite
 * numbers), so a round trip writes them byte for byte.
 *
 * Owns: each di_rec's text (freed with the reader, bpmn_read_di_done).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/bpmn_int.h"
#include "import/vec.h"

#define DI_NUM_MAX 32            /* the longest number kept as written */

static struct di_rec *
di_cur(struct rd *rd, const struct frame *f)
{
	return f->obj >= 0 && (size_t)f->obj < rd->ndis ? &rd->dis[f->obj] : NULL;
}

/* Append text to d's compact text. */
static void
di_put(struct rd *rd, struct di_rec *d, const char *s)
{
	if (bpmn_buf_add(&d->text, s, strlen(s)) < 0) {
		rd->nomem = true;
		d->bad = true;
	}
	if (d->text.truncated)
		d->bad = true;
}

/* The attribute name of t as a number written plainly (no blanks, finite):
 * appended after sep; false (d marked bad) when it is not one. */
static bool
di_num(struct rd *rd, struct di_rec *d, struct tag *t, const char *name, const char *sep)
{
	const char *v = bpmn_tag_attr(t, name);
	char *end;
	double x;

	if (!v || !*v || strlen(v) > DI_NUM_MAX || isspace((unsigned char)*v)) {
		d->bad = true;
		return false;
	}
	x = strtod(v, &end);
	if (*end || !isfinite(x)) {
		d->bad = true;
		return false;
	}
	di_put(rd, d, sep);
	di_put(rd, d, v);
	return true;
}

static void
di_bounds(struct rd *rd, struct di_rec *d, struct tag *t, const char *key)
{
	di_put(rd, d, key);
	di_num(rd, d, t, "x", " ");
	di_num(rd, d, t, "y", " ");
	di_num(rd, d, t, "width", " ");
	di_num(rd, d, t, "height", " ");
}

/* A boolean attribute: 1, 0, or -1 when not given. */
static signed char
di_flag(struct tag *t, const char *name)
{
	const char *v = bpmn_tag_attr(t, name);

	return !v ? -1 : !strcmp(v, "true") || !strcmp(v, "1");
}

/* " K0" / " K1" for a flag given. */
static void
di_put_flag(struct rd *rd, struct di_rec *d, const char *key, signed char v)
{
	if (v < 0)
		return;
	di_put(rd, d, key);
	di_put(rd, d, v ? "1" : "0");
}

/* A start tag in the DI namespaces (BPMN DI, DC, DI). */
void
bpmn_read_di(struct rd *rd, struct tag *node, const char *local, const struct frame *up,
              struct frame *f, unsigned line)
{
	struct di_rec *d = di_cur(rd, up);
	bool shape;

	f->ctx = CX_SKIP;
	if (rd->opt->merge_pools)
		return;              /* pools folded into one: their diagram does not hold */
	if (up->ctx == CX_DEFS && !strcmp(local, "BPMNDiagram")) {
		f->ctx = CX_DI;
	} else if (up->ctx == CX_DI && !strcmp(local, "BPMNPlane")) {
		f->ctx = CX_DI;
	} else if (up->ctx == CX_DI && ((shape = !strcmp(local, "BPMNShape")) ||
	                                !strcmp(local, "BPMNEdge"))) {
		const char *el = bpmn_tag_attr(node, "bpmnElement");

		if (!el || !*el)
			return;
		if (vec_grow(&rd->dis, &rd->cdis, rd->ndis, sizeof *rd->dis) < 0) {
			rd->nomem = true;
			return;
		}
		d = &rd->dis[rd->ndis];
		memset(d, 0, sizeof *d);
		if (!(d->elem = bpmn_keep(rd, el)))
			return;
		d->line = line;
		d->edge = !shape;
		d->expanded = di_flag(node, "isExpanded");
		d->horizontal = di_flag(node, "isHorizontal");
		f->obj = (int)rd->ndis++;
		f->ctx = shape ? CX_DI_SHAPE : CX_DI_EDGE;
	} else if (d && (up->ctx == CX_DI_SHAPE || up->ctx == CX_DI_EDGE) &&
	           !strcmp(local, "BPMNLabel")) {
		f->ctx = CX_DI_LABEL;
	} else if (d && up->ctx == CX_DI_SHAPE && !strcmp(local, "Bounds")) {
		if (d->has_bounds || d->has_label) {
			d->bad = true;
			return;
		}
		di_bounds(rd, d, node, "B");
		di_put_flag(rd, d, " E", d->expanded);
		di_put_flag(rd, d, " H", d->horizontal);
		d->has_bounds = true;
	} else if (d && up->ctx == CX_DI_EDGE && !strcmp(local, "waypoint")) {
		if (d->has_label)
			d->bad = true;   /* waypoints come before the label */
		if (!d->text.n)
			di_put(rd, d, "W");
		di_num(rd, d, node, "x", " ");
		di_num(rd, d, node, "y", ",");
	} else if (d && up->ctx == CX_DI_LABEL && !strcmp(local, "Bounds")) {
		if (d->has_label) {
			d->bad = true;
			return;
		}
		di_bounds(rd, d, node, " L");
		d->has_label = true;
	}
}

/* Hand each diagram element to what it shows: first come, first kept. */
void
bpmn_resolve_di(struct rd *rd)
{
	size_t i;

	for (i = 0; i < rd->ndis; i++) {
		struct di_rec *d = &rd->dis[i];
		const struct id_slot *s = bpmn_idmap_find(&rd->ids, d->elem);
		const char **to = NULL;

		if (!s || d->bad || !d->text.s || (d->edge ? d->text.s[0] != 'W' : !d->has_bounds)) {
			if (s && (d->bad || d->text.s))
				bpmn_warn(rd, d->line, "diagram", "the diagram of '%s' is not one "
				          "stepmap reads (%s): export lays it out anew", d->elem,
				          d->edge ? "waypoints that are not numbers, or none"
				                  : "bounds that are not numbers, or none");
			continue;
		}
		switch (s->obj) {
		case OBJ_PARTICIPANT: {
			const struct part_rec *pt = &rd->parts[s->index];
			const struct id_slot *ps = pt->process_ref ?
			                           bpmn_idmap_find(&rd->ids, pt->process_ref) : NULL;

			if (!d->edge && ps && ps->obj == OBJ_PROCESS)
				to = &rd->procs[ps->index].di;
			break;
		}
		case OBJ_LANE:
			to = d->edge ? NULL : &rd->lanes[s->index].di;
			break;
		case OBJ_NODE:
			to = d->edge ? NULL : &rd->nodes[s->index].di;
			break;
		case OBJ_FLOW:
			to = d->edge ? &rd->flows[s->index].di : NULL;
			break;
		default:
			break;
		}
		if (to && !*to)
			*to = d->text.s;
	}
}

void
bpmn_read_di_done(struct rd *rd)
{
	size_t i;

	for (i = 0; i < rd->ndis; i++)
		free(rd->dis[i].text.s);
	vec_free(rd->dis, rd->cdis, sizeof *rd->dis);
	rd->dis = NULL;
	rd->ndis = rd->cdis = 0;
}
