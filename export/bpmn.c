/*
 * bpmn.c - the BPMN 2.0 writer (see bpmn.h for what the document holds).
 *
 * Two stages. First, for every process, the export graph: the effective
 * flow graph (process_graph_build) turned into BPMN flow nodes, with the
 * nodes bpmnlint needs added (start, end, split and join gateways), each
 * node's incoming and outgoing flows indexed, and the diagram laid out
 * (export/layout.h). Nothing is written until all of that has succeeded.
 * Second, the document, streamed through xmlTextWriter: definitions,
 * collaboration, processes, the diagram, then BPSim.
 *
 * Owns: the export graphs and layouts, freed before returning.
 */
#include "export/bpmn.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "export/bpmn_int.h"
/* The namespaces the reader matches, so what we write reads back. */
#include "import/bpmn.h"

#define NS_BPMNDI "http://www.omg.org/spec/BPMN/20100524/DI"
#define NS_DC     "http://www.omg.org/spec/DD/20100524/DC"
#define NS_DI     "http://www.omg.org/spec/DD/20100524/DI"
#define NS_XSI    "http://www.w3.org/2001/XMLSchema-instance"
#define POOL_GAP  40           /* between pools, stacked */

/* --- the export graph ------------------------------------------------------ */

/* A sequence flow of the BPMN, as opposed to a message flow or the
 * attachment of a boundary event (no flow element of its own). */
static bool
is_sequence(const struct xedge *e)
{
	return e->k != EK_MESSAGE && !(e->flow && e->flow->kind == FLOW_BOUNDARY);
}

static const char *
elem_of(enum step_type t)
{
	return step_type_bpmn(t);
}

static bool
is_gateway(enum step_type t)
{
	return step_type_is_gateway(t);
}

static char *
own(struct xproc *x, char *s)
{
	char **q;

	if (!s)
		return NULL;
	q = realloc(x->owned, (x->nowned + 1) * sizeof *q);
	if (!q) {
		free(s);
		return NULL;
	}
	x->owned = q;
	x->owned[x->nowned++] = s;
	return s;
}

/* The shortest decimal text of x that reads back the same. */
static char *
number_shortest(double x, char *buf, size_t size)
{
	int prec;

	if (x == (double)(long long)x && x > -1e15 && x < 1e15) {
		snprintf(buf, size, "%lld", (long long)x);  /* whole: no float formatting */
		return buf;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return buf;
}

/* A branch's probability as a name: "25 %". */
static char *
percent_text(double prob)
{
	char num[40], *s;

	number_shortest(round(prob * 1000) / 10, num, sizeof num);
	s = malloc(strlen(num) + 3);
	if (s)
		sprintf(s, "%s %%", num);
	return s;
}

static void
xproc_done(struct xproc *x)
{
	size_t i;

	graph_done(&x->g);
	free(x->n);
	free(x->e);
	lay_adjacency_done(&x->adj);
	free(x->band_lane);
	free(x->band_name);
	free(x->by_id);
	free(x->band_off);
	free(x->band_nodes);
	for (i = 0; i < x->nowned; i++)
		free(x->owned[i]);
	free(x->owned);
	free(x->ln);
	free(x->le);
	free(x->nid);
	free(x->eid);
	free(x->lid);
	free(x->own);
	bpmn_di_done(x);
	if (x->laid_out)
		layout_done(&x->lay);
	memset(x, 0, sizeof *x);
}

static int
lane_cmp(const void *a, const void *b)
{
	const struct lane *x = *(const struct lane *const *)a, *y = *(const struct lane *const *)b;

	if (x->stage != y->stage)
		return x->stage < y->stage ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
lane_band_cmp(const void *a, const void *b)
{
	const struct lane_band *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The band of a step: its lane's place in stage order, or the last band. */
static size_t
band_of(const struct xproc *x, const struct step *s)
{
	struct lane_band key = { s ? s->lane : 0, 0 }, *hit;

	hit = bsearch(&key, x->by_id, x->p->nlanes, sizeof *x->by_id, lane_band_cmp);
	return hit ? hit->band : x->nbands - 1;
}

static enum status
index_bands(struct xproc *x)
{
	const struct process *p = x->p;
	size_t i;
	bool laneless = p->nlanes == 0;

	x->band_lane = malloc((p->nlanes + 1) * sizeof *x->band_lane);
	x->by_id = malloc((p->nlanes + 1) * sizeof *x->by_id);
	if (!x->band_lane || !x->by_id)
		return STATUS_NOMEM;
	for (i = 0; i < p->nlanes; i++)
		x->band_lane[i] = p->lanes[i];
	qsort(x->band_lane, p->nlanes, sizeof *x->band_lane, lane_cmp);
	for (i = 0; i < p->nlanes; i++)
		x->by_id[i] = (struct lane_band){ x->band_lane[i]->id, i };
	qsort(x->by_id, p->nlanes, sizeof *x->by_id, lane_band_cmp);
	for (i = 0; i < p->nsteps && !laneless; i++) {
		struct lane_band key = { p->steps[i]->lane, 0 };

		laneless = !bsearch(&key, x->by_id, p->nlanes, sizeof *x->by_id, lane_band_cmp);
	}
	x->nbands = p->nlanes + laneless;
	if (laneless)
		x->band_lane[p->nlanes] = NULL;
	return STATUS_OK;
}

static enum status
index_band_nodes(struct xproc *x)
{
	size_t i, *fill;

	x->band_off = calloc(x->nbands + 1, sizeof *x->band_off);
	x->band_nodes = malloc((x->nn + 1) * sizeof *x->band_nodes);
	fill = calloc(x->nbands + 1, sizeof *fill);
	if (!x->band_off || !x->band_nodes || !fill) {
		free(fill);
		return STATUS_NOMEM;
	}
	for (i = 0; i < x->nn; i++)
		x->band_off[x->ln[i].band + 1]++;
	for (i = 0; i < x->nbands; i++)
		x->band_off[i + 1] += x->band_off[i];
	for (i = 0; i < x->nn; i++) {
		size_t b = x->ln[i].band;

		x->band_nodes[x->band_off[b] + fill[b]++] = i;
	}
	free(fill);
	return STATUS_OK;
}

/* The name of an added split gateway: its branches' labels, "a or b?";
 * "" when no branch has one (nothing is made up). */
static char *
split_name(const struct xproc *x, size_t node)
{
	size_t j, len = 2;
	char *s;

	for (j = x->adj.out_off[node]; j < x->adj.out_off[node + 1]; j++)
		len += strlen(x->e[x->adj.out_e[j]].name ? x->e[x->adj.out_e[j]].name : "") + 4;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (j = x->adj.out_off[node]; j < x->adj.out_off[node + 1]; j++) {
		const char *nm = x->e[x->adj.out_e[j]].name;

		if (!nm || !*nm)
			continue;
		if (*s)
			strcat(s, " or ");
		strcat(s, nm);
	}
	if (*s)
		strcat(s, "?");
	return s;
}

/* Build the export graph of p into x (zeroed by the caller). */
static enum status
xproc_build(struct xproc *x, const struct process *p, long top, struct err *err)
{
	size_t n = p->nsteps, i, j, maxn, maxe, first = 0;
	size_t *entry = NULL, *exit_ = NULL;
	bool has_start = false, graph;
	enum status st = STATUS_NOMEM;

	x->p = p;
	x->start = SIZE_MAX;
	/* A graph read from BPMN goes back as it came: its steps and flows, one
	 * for one, nothing added (no start, end, split or join of ours). */
	graph = p->flows_explicit;
	if (process_graph_build(p, &x->g) != STATUS_OK)
		goto out;
	if (index_bands(x) != STATUS_OK)
		goto out;
	maxn = 3 * n + 1;
	maxe = x->g.nedges + 3 * n + 1 + p->nflows;
	x->n = calloc(maxn, sizeof *x->n);
	x->ln = calloc(maxn, sizeof *x->ln);
	x->e = calloc(maxe, sizeof *x->e);
	x->le = calloc(maxe, sizeof *x->le);
	entry = malloc((n + 1) * sizeof *entry);
	exit_ = malloc((n + 1) * sizeof *exit_);
	x->own = malloc((n + 1) * sizeof *x->own);
	if (!x->n || !x->ln || !x->e || !x->le || !entry || !exit_ || !x->own)
		goto out;
	for (i = 0; i < n; i++)
		has_start |= p->steps[i]->type == STEP_START || graph;
	/* arrivals enter before the first step nothing flows into */
	for (i = 0; i < n; i++)
		if (x->g.in[i + 1] == x->g.in[i]) {
			first = i;
			break;
		}
	if (!has_start && n > 0) {
		x->start = x->nn;
		x->n[x->nn] = (struct xnode){ XK_START, p->steps[first], "startEvent", "Start", SIZE_MAX, SIZE_MAX, -1 };
		x->ln[x->nn++].band = band_of(x, p->steps[first]);
	}
	for (i = 0; i < n; i++) {
		const struct step *s = p->steps[i];
		size_t in = x->g.in[i + 1] - x->g.in[i], outd = x->g.out[i + 1] - x->g.out[i];
		size_t b = band_of(x, s);

		entry[i] = x->nn;
		if (!graph && is_gateway(s->type) && in > 1 && outd > 1) {
			x->n[x->nn] = (struct xnode){ XK_JOIN, s, elem_of(s->type), NULL, SIZE_MAX, SIZE_MAX, -1 };
			x->ln[x->nn++].band = b;
		}
		x->own[i] = x->nn;
		x->n[x->nn] = (struct xnode){ XK_STEP, s, elem_of(s->type), s->name, SIZE_MAX, SIZE_MAX, -1 };
		x->ln[x->nn++].band = b;
		if (s->type == STEP_START && x->start == SIZE_MAX)
			x->start = x->nn - 1;
		if (!graph && !is_gateway(s->type) && outd > 1) {
			x->n[x->nn] = (struct xnode){ XK_SPLIT, s, "exclusiveGateway", NULL, SIZE_MAX, SIZE_MAX, -1 };
			x->ln[x->nn++].band = b;
		}
		exit_[i] = x->nn - 1;
		if (!graph && outd == 0 && s->type != STEP_END) {
			x->n[x->nn] = (struct xnode){ XK_END, s, "endEvent", "End", SIZE_MAX, SIZE_MAX, -1 };
			x->ln[x->nn++].band = b;
		}
	}
	if (graph && x->start == SIZE_MAX && n > 0)
		x->start = entry[first];      /* where BPSim's arrivals enter */
	/* flows: added ones, then the graph's */
	if (!has_start && n > 0) {
		x->e[x->ne] = (struct xedge){ EK_START, NULL, p->id, p->steps[first]->id, -1, NULL, NULL, false, false, false };
		x->le[x->ne++] = (struct lay_edge){ .from = 0, .to = entry[first] };
	}
	for (i = 0; i < n; i++) {
		const struct step *s = p->steps[i];

		/* the step's own node follows its join, and precedes its split */
		size_t own_node = entry[i] + (x->n[entry[i]].k == XK_JOIN);

		if (own_node != entry[i]) {
			x->e[x->ne] = (struct xedge){ EK_JOIN, NULL, s->id, s->id, -1, NULL, NULL, false, false, false };
			x->le[x->ne++] = (struct lay_edge){ .from = entry[i], .to = own_node };
		}
		if (x->n[exit_[i]].k == XK_SPLIT) {
			x->e[x->ne] = (struct xedge){ EK_SPLIT, NULL, s->id, s->id, -1, NULL, NULL, false, false, false };
			x->le[x->ne++] = (struct lay_edge){ .from = own_node, .to = exit_[i] };
		}
		if (exit_[i] + 1 < x->nn && x->n[exit_[i] + 1].k == XK_END) {
			x->e[x->ne] = (struct xedge){ EK_END, NULL, s->id, s->id, -1, NULL, NULL, false, false, false };
			x->le[x->ne++] = (struct lay_edge){ .from = exit_[i], .to = exit_[i] + 1 };
		}
	}
	for (j = 0; j < x->g.nedges; j++) {
		const struct edge *ge = &x->g.edges[j];
		const struct flow *f = ge->flow;

		/* a condition is the flow's own, out of any step (a task's
		 * conditional flow too), and kept even when empty */
		x->e[x->ne] = (struct xedge){ EK_GRAPH, f, p->steps[ge->from]->id,
		                              p->steps[ge->to]->id, ge->prob,
		                              f && f->label && *f->label ? f->label : NULL,
		                              f && f->condition && (graph || *f->condition)
		                              ? f->condition : NULL, false, false, false };
		x->le[x->ne++] = (struct lay_edge){ .from = exit_[ge->from], .to = entry[ge->to] };
		if (f && f->kind == FLOW_BOUNDARY) {
			/* the event sits on its step: attachedToRef, not a flow */
			x->n[x->own[ge->to]].host = x->own[ge->from];
			x->n[x->own[ge->to]].attach_prob = f->prob;
			x->le[x->ne - 1].from = x->own[ge->from];
		} else if (f && f->is_default) {
			x->n[exit_[ge->from]].dflt = x->ne - 1;
		}
	}
	/* message flows: hand-offs, kept as BPMN message flows */
	for (j = 0; j < p->nflows; j++) {
		const struct flow *f = p->flows[j];
		const struct step *a = f->kind == FLOW_MESSAGE ? process_step(p, f->from) : NULL;
		const struct step *b = a ? process_step(p, f->to) : NULL;

		if (!b)
			continue;
		x->e[x->ne] = (struct xedge){ EK_MESSAGE, f, a->id, b->id, -1,
		                              f->label && *f->label ? f->label : NULL, NULL, false,
		                              false, false };
		x->le[x->ne++] = (struct lay_edge){ .from = x->own[a->index], .to = x->own[b->index] };
	}
	if (lay_adjacency(x->le, x->ne, x->nn, &x->adj) != STATUS_OK)
		goto out;
	/*
	 * Branches of forking exclusive gateways. Their conditions are their
	 * own; a name is only ever a label the user gave. Their probability
	 * goes to BPSim and stepmap's extension, never into a name. In a map
	 * made in stepmap (not a graph read from BPMN), a branch without a
	 * condition gets a stand-in one (BPMN wants a condition on each, and
	 * bpmnlint says so): its label, else its probability, marked as a
	 * stand-in so that import drops it again.
	 */
	for (i = 0; i < x->nn; i++) {
		if (strcmp(x->n[i].elem, "exclusiveGateway") || x->adj.out_off[i + 1] - x->adj.out_off[i] < 2)
			continue;
		for (j = x->adj.out_off[i]; j < x->adj.out_off[i + 1]; j++) {
			struct xedge *e = &x->e[x->adj.out_e[j]];
			bool has_cond = e->flow && e->flow->condition && *e->flow->condition;

			if (!is_sequence(e))
				continue;
			e->branch = true;
			if (has_cond) {
				e->cond = e->flow->condition;
			} else if (!graph && !(e->flow && e->flow->is_default)) {
				e->cond_stand_in = true;
				if (e->name)
					e->cond = e->name;
				else if (!(e->cond = own(x, percent_text(e->prob))))
					goto out;
			}
		}
		if (x->n[i].k == XK_SPLIT && !(x->n[i].name = own(x, split_name(x, i))))
			goto out;
	}
	if (index_band_nodes(x) != STATUS_OK)
		goto out;
	st = bpmn_di_layout(x, top, err);
	free(entry);
	free(exit_);
	return st;
out:
	free(entry);
	free(exit_);
	return err_set(err, st, "out of memory building the BPMN of '%s'", p->name);
}

/* --- text and ids ------------------------------------------------------------ */

/* The length of the valid XML 1.0 character in UTF-8 at p, or 0. */
static size_t
xml_char(const unsigned char *p)
{
	unsigned c = p[0];
	unsigned long cp;
	size_t n, i;

	if (c < 0x80)
		return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

/* s when it is valid XML text; else a new copy (caller frees, *fixed set)
 * with U+FFFD for every byte that is not; NULL when out of memory. */
static const char *
xml_clean(const char *s, char **fixed)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len = 0;
	char *o;

	*fixed = NULL;
	for (; *p; p += n)
		if (!(n = xml_char(p)))
			break;
	if (!*p)
		return s;
	o = malloc(strlen(s) * 3 + 1);
	if (!o)
		return NULL;
	for (p = (const unsigned char *)s; *p;) {
		if ((n = xml_char(p))) {
			memcpy(o + len, p, n);
			len += n;
			p += n;
		} else {
			memcpy(o + len, "\xef\xbf\xbd", 3);
			len += 3;
			p++;
		}
	}
	o[len] = '\0';
	*fixed = o;
	return o;
}

char *
bpmn_id_num(char *buf, const char *prefix, sm_id v, const char *suffix)
{
	char tmp[24];
	size_t n = 0, lp = strlen(prefix), ls = suffix ? strlen(suffix) : 0;
	unsigned long long u = v < 0 ? 0 : (unsigned long long)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	memcpy(buf, prefix, lp);
	while (n)
		buf[lp++] = tmp[--n];
	if (ls)
		memcpy(buf + lp, suffix, ls);
	buf[lp + ls] = '\0';
	return buf;
}

static char *
made_node_id(const struct xproc *x, size_t i, char *buf)
{
	const struct xnode *nd = &x->n[i];

	switch (nd->k) {
	case XK_START: return bpmn_id_num(buf, "StartEvent_", x->p->id, NULL);
	case XK_END:   return bpmn_id_num(buf, "EndEvent_", nd->s->id, NULL);
	case XK_SPLIT: return bpmn_id_num(buf, "Gateway_", nd->s->id, "_split");
	case XK_JOIN:  return bpmn_id_num(buf, "Gateway_", nd->s->id, "_join");
	default:       return bpmn_id_num(buf, "Step_", nd->s->id, NULL);
	}
}

static char *
made_edge_id(const struct xproc *x, size_t i, char *buf)
{
	const struct xedge *e = &x->e[i];
	char tmp[ID_MAX];

	switch (e->k) {
	case EK_START: return bpmn_id_num(buf, "Flow_", e->a, "_start");
	case EK_END:   return bpmn_id_num(buf, "Flow_", e->a, "_end");
	case EK_SPLIT: return bpmn_id_num(buf, "Flow_", e->a, "_split");
	case EK_JOIN:  return bpmn_id_num(buf, "Flow_", e->a, "_join");
	default:
		if (e->flow)
			return bpmn_id_num(buf, "Flow_", e->flow->id, NULL);
		bpmn_id_num(tmp, "_", e->b, NULL);
		return bpmn_id_num(buf, "Flow_", e->a, tmp);
	}
}

/*
 * The document's ids. An element read from BPMN keeps the id it had there
 * (source_id), so that import -> export -> import -> export writes the same
 * file; the first to claim an id has it. Everything else gets an id made
 * from its stepmap id, made unique against all of those ("_2", "_3"...).
 * The strings live in an arena freed with the document (struct id_set).
 */
struct id_set {
	char **slot;
	size_t cap, n;
};

static uint32_t
id_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Add a copy of id when it is not there; the copy, or NULL when it was
 * there or memory ran out (*nomem). */
static const char *
id_claim(struct id_set *set, const char *id, bool *nomem)
{
	size_t i;
	char *c;

	if ((set->n + 1) * 2 > set->cap) {
		size_t nc = set->cap ? set->cap * 2 : 256, k;
		char **ns = calloc(nc, sizeof *ns);

		if (!ns) {
			*nomem = true;
			return NULL;
		}
		for (k = 0; k < set->cap; k++)
			if (set->slot[k]) {
				for (i = id_hash(set->slot[k]) & (nc - 1); ns[i]; i = (i + 1) & (nc - 1))
					;
				ns[i] = set->slot[k];
			}
		free(set->slot);
		set->slot = ns;
		set->cap = nc;
	}
	for (i = id_hash(id) & (set->cap - 1); set->slot[i]; i = (i + 1) & (set->cap - 1))
		if (!strcmp(set->slot[i], id))
			return NULL;
	if (!(c = strdup(id))) {
		*nomem = true;
		return NULL;
	}
	set->slot[i] = c;
	set->n++;
	return c;
}

static void
id_set_done(struct id_set *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	memset(set, 0, sizeof *set);
}

/* A made id, unique: base, else base_2, base_3... */
static const char *
id_made(struct id_set *set, const char *base, bool *nomem)
{
	char buf[ID_MAX + 16];
	const char *c;
	int k;

	if ((c = id_claim(set, base, nomem)) || *nomem)
		return c;
	for (k = 2; k < 1000000; k++) {
		snprintf(buf, sizeof buf, "%s_%d", base, k);
		if ((c = id_claim(set, buf, nomem)) || *nomem)
			return c;
	}
	*nomem = true;
	return NULL;
}

static enum status
assign_ids(struct xproc *xs, size_t n, struct id_set *set)
{
	static const char *const fixed[] = { "Definitions_1", "Collaboration_1", "BPMNDiagram_1",
	                                     "BPMNPlane_1", "Scenario_1" };
	char buf[ID_MAX];
	bool nomem = false;
	size_t i, k;

	for (k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
		id_claim(set, fixed[k], &nomem);
	for (i = 0; i < n; i++) {
		struct xproc *x = &xs[i];

		id_claim(set, bpmn_id_num(buf, "Process_", x->p->id, NULL), &nomem);
		id_claim(set, bpmn_id_num(buf, "Participant_", x->p->id, NULL), &nomem);
		id_claim(set, bpmn_id_num(buf, "LaneSet_", x->p->id, NULL), &nomem);
		x->nid = calloc(x->nn + 1, sizeof *x->nid);
		x->eid = calloc(x->ne + 1, sizeof *x->eid);
		x->lid = calloc(x->nbands + 1, sizeof *x->lid);
		if (!x->nid || !x->eid || !x->lid)
			return STATUS_NOMEM;
	}
	/* what the source named first: steps, flows, lanes */
	for (i = 0; i < n && !nomem; i++) {
		struct xproc *x = &xs[i];

		for (k = 0; k < x->nn; k++)
			if (x->n[k].k == XK_STEP && x->n[k].s->source_id)
				x->nid[k] = id_claim(set, x->n[k].s->source_id, &nomem);
		for (k = 0; k < x->ne; k++)
			if (x->e[k].k == EK_GRAPH || x->e[k].k == EK_MESSAGE)
				if (x->e[k].flow && x->e[k].flow->source_id)
					x->eid[k] = id_claim(set, x->e[k].flow->source_id, &nomem);
		for (k = 0; k < x->nbands; k++)
			if (x->band_lane[k] && x->band_lane[k]->source_id)
				x->lid[k] = id_claim(set, x->band_lane[k]->source_id, &nomem);
	}
	for (i = 0; i < n && !nomem; i++) {
		struct xproc *x = &xs[i];

		for (k = 0; k < x->nn && !nomem; k++)
			if (!x->nid[k])
				x->nid[k] = id_made(set, made_node_id(x, k, buf), &nomem);
		for (k = 0; k < x->ne && !nomem; k++)
			if (!x->eid[k])
				x->eid[k] = id_made(set, made_edge_id(x, k, buf), &nomem);
		for (k = 0; k < x->nbands && !nomem; k++)
			if (!x->lid[k] && x->band_lane[k])
				x->lid[k] = id_made(set, bpmn_id_num(buf, "Lane_", x->band_lane[k]->id, NULL),
				                    &nomem);
	}
	return nomem ? STATUS_NOMEM : STATUS_OK;
}

const char *
bpmn_node_id(const struct xproc *x, size_t i)
{
	return x->nid[i];
}

const char *
bpmn_edge_id(const struct xproc *x, size_t i)
{
	return x->eid[i];
}

/* The id of the node of step id (a measure's end). */
static const char *
step_xid(const struct xproc *x, sm_id id, char *buf)
{
	const struct step *s = process_step(x->p, id);

	return s ? x->nid[x->own[s->index]] : bpmn_id_num(buf, "Step_", id, NULL);
}

/* --- the writer ------------------------------------------------------------ */

void
bpmn_x_start(struct out *o, const char *name)
{
	if (!o->bad && xmlTextWriterStartElement(o->w, (const xmlChar *)name) < 0)
		o->bad = true;
}

void
bpmn_x_end(struct out *o)
{
	if (!o->bad && xmlTextWriterEndElement(o->w) < 0)
		o->bad = true;
}

/* An attribute whose value we made (ids, numbers, keywords). */
void
bpmn_x_raw(struct out *o, const char *name, const char *value)
{
	if (!o->bad && xmlTextWriterWriteAttribute(o->w, (const xmlChar *)name,
	                                           (const xmlChar *)value) < 0)
		o->bad = true;
}

/* An attribute from the user's text. */
static void
x_attr(struct out *o, const char *name, const char *value)
{
	char *fixed;
	const char *v = xml_clean(value, &fixed);

	if (!v) {
		o->bad = o->nomem = true;
		return;
	}
	bpmn_x_raw(o, name, v);
	free(fixed);
}

void
bpmn_x_long(struct out *o, const char *name, long v)
{
	char *p = o->num + sizeof o->num;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	*--p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	bpmn_x_raw(o, name, p);
}

static void
x_double(struct out *o, const char *name, double v)
{
	bpmn_x_raw(o, name, number_shortest(v, o->num, sizeof o->num));
}

/* <name>text</name>, text from the user. */
static void
x_text_elem(struct out *o, const char *name, const char *text)
{
	char *fixed;
	const char *v = xml_clean(text, &fixed);

	if (!v) {
		o->bad = o->nomem = true;
		return;
	}
	bpmn_x_start(o, name);
	if (!o->bad && xmlTextWriterWriteString(o->w, (const xmlChar *)v) < 0)
		o->bad = true;
	bpmn_x_end(o);
	free(fixed);
}

/* --- processes -------------------------------------------------------------- */

/* An ISO 8601 duration: "PT1H30M", "PT7.25S". */
static char *
iso_duration(double s, char *buf, size_t size)
{
	char num[40];

	if (!(s > 0))
		return strcpy(buf, "PT0S");
	if (s == floor(s) && s < 1e15) {
		long long t = (long long)s, h = t / 3600, m = t % 3600 / 60, sec = t % 60;
		size_t n = (size_t)snprintf(buf, size, "PT");

		if (h)
			n += (size_t)snprintf(buf + n, size - n, "%lldH", h);
		if (m)
			n += (size_t)snprintf(buf + n, size - n, "%lldM", m);
		if (sec)
			snprintf(buf + n, size - n, "%lldS", sec);
		return buf;
	}
	snprintf(buf, size, "PT%sS", number_shortest(s, num, sizeof num));
	return buf;
}

static void
write_step_extension(struct out *o, const struct xproc *x, const struct step *s,
                     double attach_prob)
{
	static const enum step_field fields[] = {
		FIELD_WORK, FIELD_WAIT, FIELD_VALUE, FIELD_ERROR_RATE, FIELD_COST,
		FIELD_CHANNEL, FIELD_EMOTION, FIELD_PAIN,
	};
	char buf[DIST_TEXT_MAX + 16];
	bool any = false;
	size_t i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		bool set;

		switch (fields[i]) {
		case FIELD_WORK:       set = s->work.kind != DIST_NONE; break;
		case FIELD_WAIT:       set = s->wait.kind != DIST_NONE; break;
		case FIELD_VALUE:      set = s->value != VALUE_NONE; break;
		case FIELD_ERROR_RATE: set = s->error_rate != 0; break;
		case FIELD_COST:       set = s->cost != 0; break;
		case FIELD_CHANNEL:    set = s->channel && *s->channel; break;
		case FIELD_EMOTION:    set = s->emotion != EMOTION_NONE; break;
		default:               set = s->pain; break;
		}
		if (!set)
			continue;
		if (!any) {
			bpmn_x_start(o, "bpmn:extensionElements");
			bpmn_x_start(o, "stepmap:step");
			any = true;
		}
		if (fields[i] == FIELD_CHANNEL)
			x_attr(o, "channel", s->channel);
		else
			bpmn_x_raw(o, step_field_name(fields[i]),
			      step_get_field(x->p, s, fields[i], buf, sizeof buf));
	}
	if (attach_prob >= 0) {
		if (!any) {
			bpmn_x_start(o, "bpmn:extensionElements");
			bpmn_x_start(o, "stepmap:step");
			any = true;
		}
		x_double(o, "attach-probability", attach_prob);
	}
	if (s->generated) {          /* a step the program made: no step to count */
		if (!any) {
			bpmn_x_start(o, "bpmn:extensionElements");
			bpmn_x_start(o, "stepmap:step");
			any = true;
		}
		bpmn_x_raw(o, "generated", "yes");
	}
	if (any) {
		bpmn_x_end(o);
		bpmn_x_end(o);
	}
}

static void
write_flow_node(struct out *o, const struct xproc *x, size_t i)
{
	const struct xnode *nd = &x->n[i];
	char id[ID_MAX], tag[48];
	enum event_def ev;
	size_t j;

	snprintf(tag, sizeof tag, "bpmn:%s", nd->elem);
	bpmn_x_start(o, tag);
	bpmn_x_raw(o, "id", bpmn_node_id(x, i));
	if (nd->name && *nd->name)
		x_attr(o, "name", nd->name);
	if (nd->k == XK_STEP && nd->s->type == STEP_BOUNDARY && nd->host != SIZE_MAX) {
		bpmn_x_raw(o, "attachedToRef", bpmn_node_id(x, nd->host));
		if (nd->s->non_interrupting)
			bpmn_x_raw(o, "cancelActivity", "false");
	}
	if (nd->k == XK_STEP && nd->s->type == STEP_CALL && nd->s->called)
		x_attr(o, "calledElement", nd->s->called);
	if (nd->dflt != SIZE_MAX)
		bpmn_x_raw(o, "default", bpmn_edge_id(x, nd->dflt));
	if (nd->k == XK_STEP) {
		if (nd->s->note && *nd->s->note)
			x_text_elem(o, "bpmn:documentation", nd->s->note);
		write_step_extension(o, x, nd->s, nd->attach_prob);
	} else {
		bpmn_x_start(o, "bpmn:extensionElements");
		bpmn_x_start(o, "stepmap:generated");
		bpmn_x_end(o);
		bpmn_x_end(o);
	}
	for (j = x->adj.in_off[i]; j < x->adj.in_off[i + 1]; j++)
		if (is_sequence(&x->e[x->adj.in_e[j]]))
			x_text_elem(o, "bpmn:incoming", bpmn_edge_id(x, x->adj.in_e[j]));
	for (j = x->adj.out_off[i]; j < x->adj.out_off[i + 1]; j++)
		if (is_sequence(&x->e[x->adj.out_e[j]]))
			x_text_elem(o, "bpmn:outgoing", bpmn_edge_id(x, x->adj.out_e[j]));
	/* the event's definition; a wait made in stepmap is a timer */
	ev = nd->k == XK_STEP && step_type_is_event(nd->s->type) ? nd->s->event : EVENT_NONE;
	if (nd->k == XK_STEP && nd->s->type == STEP_WAIT && ev == EVENT_NONE &&
	    !x->p->flows_explicit)
		ev = EVENT_TIMER;
	if (ev != EVENT_NONE) {
		char dur[64];

		snprintf(tag, sizeof tag, "bpmn:%s", event_def_bpmn(ev));
		snprintf(id, sizeof id, "%.*s_ed", ID_MAX - 8, bpmn_node_id(x, i));
		bpmn_x_start(o, tag);
		bpmn_x_raw(o, "id", id);
		/* what the schema requires: a link's name (stepmap keeps none of
		 * its own: the event's), a conditional event's condition */
		if (ev == EVENT_LINK)
			x_attr(o, "name", nd->name ? nd->name : "");
		if (ev == EVENT_CONDITIONAL) {
			bpmn_x_start(o, "bpmn:condition");
			bpmn_x_raw(o, "xsi:type", "bpmn:tFormalExpression");
			bpmn_x_end(o);
		}
		if (ev == EVENT_TIMER && nd->s->wait.kind != DIST_NONE) {
			bpmn_x_start(o, "bpmn:timeDuration");
			bpmn_x_raw(o, "xsi:type", "bpmn:tFormalExpression");
			if (!o->bad && xmlTextWriterWriteString(o->w, (const xmlChar *)iso_duration(
			                  dist_mean(&nd->s->wait), dur, sizeof dur)) < 0)
				o->bad = true;
			bpmn_x_end(o);
		}
		bpmn_x_end(o);
	}
	bpmn_x_end(o);
}

static void
write_sequence_flow(struct out *o, const struct xproc *x, size_t i)
{
	const struct xedge *e = &x->e[i];

	bpmn_x_start(o, "bpmn:sequenceFlow");
	bpmn_x_raw(o, "id", bpmn_edge_id(x, i));
	if (e->name && *e->name)
		x_attr(o, "name", e->name);
	bpmn_x_raw(o, "sourceRef", bpmn_node_id(x, x->le[i].from));
	bpmn_x_raw(o, "targetRef", bpmn_node_id(x, x->le[i].to));
	if ((e->flow && e->flow->prob >= 0) || e->name_stand_in || e->cond_stand_in) {
		bpmn_x_start(o, "bpmn:extensionElements");
		bpmn_x_start(o, "stepmap:flow");
		if (e->flow && e->flow->prob >= 0)
			x_double(o, "probability", e->flow->prob);
		if (e->name_stand_in || e->cond_stand_in)
			bpmn_x_raw(o, "stand-in", e->name_stand_in && e->cond_stand_in ? "name condition"
			                     : e->name_stand_in ? "name" : "condition");
		bpmn_x_end(o);
		bpmn_x_end(o);
	}
	if (e->cond) {
		bpmn_x_start(o, "bpmn:conditionExpression");
		bpmn_x_raw(o, "xsi:type", "bpmn:tFormalExpression");
		{
			char *fixed;
			const char *v = xml_clean(e->cond, &fixed);

			if (!v)
				o->bad = o->nomem = true;
			else if (!o->bad && xmlTextWriterWriteString(o->w, (const xmlChar *)v) < 0)
				o->bad = true;
			free(fixed);
		}
		bpmn_x_end(o);
	}
	bpmn_x_end(o);
}

/* The hand-offs by message (in the collaboration, before the processes). */
static void
write_message_flows(struct out *o, const struct xproc *x)
{
	size_t i;

	for (i = 0; i < x->ne; i++) {
		const struct xedge *e = &x->e[i];

		if (e->k != EK_MESSAGE)
			continue;
		bpmn_x_start(o, "bpmn:messageFlow");
		bpmn_x_raw(o, "id", bpmn_edge_id(x, i));
		if (e->name && *e->name)
			x_attr(o, "name", e->name);
		bpmn_x_raw(o, "sourceRef", bpmn_node_id(x, x->le[i].from));
		bpmn_x_raw(o, "targetRef", bpmn_node_id(x, x->le[i].to));
		bpmn_x_end(o);
	}
}

static void
write_process(struct out *o, const struct xproc *x)
{
	const struct process *p = x->p;
	char id[ID_MAX], buf[DIST_TEXT_MAX];
	size_t i, b, j;

	bpmn_x_start(o, "bpmn:process");
	bpmn_x_raw(o, "id", bpmn_id_num(id, "Process_", p->id, NULL));
	x_attr(o, "name", p->name ? p->name : "");
	bpmn_x_raw(o, "isExecutable", "false");
	if (p->description && *p->description)
		x_text_elem(o, "bpmn:documentation", p->description);
	if (p->arrival.kind != DIST_NONE || p->time_unit != TIME_UNIT_AUTO || p->nmeasures) {
		bpmn_x_start(o, "bpmn:extensionElements");
		if (p->arrival.kind != DIST_NONE || p->time_unit != TIME_UNIT_AUTO) {
			bpmn_x_start(o, "stepmap:process");
			if (p->arrival.kind != DIST_NONE)
				bpmn_x_raw(o, "arrival", dist_format(&p->arrival, buf, sizeof buf));
			if (p->time_unit != TIME_UNIT_AUTO)
				bpmn_x_raw(o, "time_unit", time_unit_name(p->time_unit));
			bpmn_x_end(o);
		}
		for (i = 0; i < p->nmeasures; i++) {
			const struct measure *m = p->measures[i];

			bpmn_x_start(o, "stepmap:measure");
			x_attr(o, "name", m->name ? m->name : "");
			bpmn_x_raw(o, "from", step_xid(x, m->from, id));
			bpmn_x_raw(o, "to", step_xid(x, m->to, id));
			bpmn_x_raw(o, "clock", clock_name(m->clock));
			bpmn_x_end(o);
		}
		bpmn_x_end(o);
	}
	if (p->nlanes) {
		bpmn_x_start(o, "bpmn:laneSet");
		bpmn_x_raw(o, "id", bpmn_id_num(id, "LaneSet_", p->id, NULL));
		for (b = 0; b < x->nbands; b++) {
			const struct lane *l = x->band_lane[b];

			if (!l)
				continue;
			bpmn_x_start(o, "bpmn:lane");
			bpmn_x_raw(o, "id", x->lid[b]);
			x_attr(o, "name", l->name ? l->name : "");
			bpmn_x_start(o, "bpmn:extensionElements");
			bpmn_x_start(o, "stepmap:lane");
			bpmn_x_raw(o, "stage", stage_name(l->stage));
			if (l->capacity)
				bpmn_x_long(o, "capacity", l->capacity);
			bpmn_x_end(o);
			bpmn_x_end(o);
			for (j = x->band_off[b]; j < x->band_off[b + 1]; j++)
				x_text_elem(o, "bpmn:flowNodeRef", bpmn_node_id(x, x->band_nodes[j]));
			bpmn_x_end(o);
		}
		bpmn_x_end(o);
	}
	for (i = 0; i < x->nn; i++)
		write_flow_node(o, x, i);
	for (i = 0; i < x->ne; i++)
		if (is_sequence(&x->e[i]))
			write_sequence_flow(o, x, i);
	bpmn_x_end(o);
}

/* --- BPSim -------------------------------------------------------------------- */

/* A distribution as BPSim writes it, in seconds; a fixed time as a
 * FloatingParameter. Parameters in struct dist order. */
static const struct {
	const char *elem;
	const char *attr[3];
} bpsim_dist[DIST_KIND_COUNT_] = {
	[DIST_NONE]  = { "bpsim:FloatingParameter", { "value" } },
	[DIST_FIXED] = { "bpsim:FloatingParameter", { "value" } },
	[DIST_UNI]   = { "bpsim:UniformDistribution", { "min", "max" } },
	[DIST_TRI]   = { "bpsim:TriangularDistribution", { "min", "mode", "max" } },
	[DIST_EXP]   = { "bpsim:ExponentialDistribution", { "mean" } },
	[DIST_NORM]  = { "bpsim:NormalDistribution", { "mean", "standardDeviation" } },
	[DIST_LOGN]  = { "bpsim:LogNormalDistribution", { "mean", "standardDeviation" } },
};

static void
write_dist(struct out *o, const char *param, const struct dist *d)
{
	size_t k;

	bpmn_x_start(o, param);
	bpmn_x_start(o, bpsim_dist[d->kind].elem);
	for (k = 0; k < 3 && bpsim_dist[d->kind].attr[k]; k++)
		x_double(o, bpsim_dist[d->kind].attr[k], d->kind == DIST_NONE ? 0 : d->p[k]);
	bpmn_x_end(o);
	bpmn_x_end(o);
}

/* <group><param><elem value="..."/></param></group>, for one constant. */
static void
write_constant(struct out *o, const char *group, const char *param, const char *elem,
               double v)
{
	bpmn_x_start(o, group);
	bpmn_x_start(o, param);
	bpmn_x_start(o, elem);
	x_double(o, "value", v);
	bpmn_x_end(o);
	bpmn_x_end(o);
	bpmn_x_end(o);
}

static void
element_params(struct out *o, const char *ref)
{
	bpmn_x_start(o, "bpsim:ElementParameters");
	bpmn_x_raw(o, "elementRef", ref);
}

static void
write_bpsim_proc(struct out *o, const struct xproc *x)
{
	const struct process *p = x->p;
	size_t i;

	for (i = 0; i < x->nn; i++) {
		const struct xnode *nd = &x->n[i];
		const struct step *s = nd->k == XK_STEP ? nd->s : NULL;
		bool times = s && (s->work.kind != DIST_NONE || s->wait.kind != DIST_NONE);
		bool arrival = i == x->start && p->arrival.kind != DIST_NONE;

		if (!times && !arrival && !(s && s->cost != 0))
			continue;
		element_params(o, bpmn_node_id(x, i));
		if (times) {
			bpmn_x_start(o, "bpsim:TimeParameters");
			if (s->wait.kind != DIST_NONE)
				write_dist(o, "bpsim:WaitTime", &s->wait);
			if (s->work.kind != DIST_NONE)
				write_dist(o, "bpsim:ProcessingTime", &s->work);
			bpmn_x_end(o);
		}
		if (arrival) {
			bpmn_x_start(o, "bpsim:ControlParameters");
			write_dist(o, "bpsim:InterTriggerTimer", &p->arrival);
			bpmn_x_end(o);
		}
		if (s && s->cost != 0)
			write_constant(o, "bpsim:CostParameters", "bpsim:FixedCost",
			               "bpsim:FloatingParameter", s->cost);
		bpmn_x_end(o);
	}
	for (i = 0; i < x->ne; i++) {
		/* a probability the user or the source gave, never one made up */
		if (!x->e[i].branch || !x->e[i].flow || x->e[i].flow->prob < 0)
			continue;
		element_params(o, bpmn_edge_id(x, i));
		write_constant(o, "bpsim:ControlParameters", "bpsim:Probability",
		               "bpsim:FloatingParameter", x->e[i].flow->prob);
		bpmn_x_end(o);
	}
	for (i = 0; i < x->nbands; i++) {
		const struct lane *l = x->band_lane[i];

		if (!l || l->capacity <= 0)
			continue;
		element_params(o, x->lid[i]);
		write_constant(o, "bpsim:ResourceParameters", "bpsim:Quantity",
		               "bpsim:NumericParameter", l->capacity);
		bpmn_x_end(o);
	}
}

/* --- the document -------------------------------------------------------------- */

static int
out_write(void *ctx, const char *buf, int len)
{
	FILE *f = ctx;

	if (len <= 0)
		return 0;
	return fwrite(buf, 1, (size_t)len, f) == (size_t)len ? len : -1;
}

static char *
pool_name(const struct process *p, const char *scenario)
{
	const char *name = p->name ? p->name : "";
	char *s;

	if (!scenario)
		return strdup(name);
	s = malloc(strlen(name) + strlen(scenario) + 4);
	if (s)
		sprintf(s, "%s (%s)", name, scenario);
	return s;
}

static enum status
write_document(FILE *f, struct xproc *xs, size_t n, const char *scenario, struct err *err)
{
	xmlOutputBufferPtr buf;
	struct out o = { 0 };
	char id[ID_MAX];
	size_t i;

	buf = xmlOutputBufferCreateIO(out_write, NULL, f, NULL);
	if (!buf)
		return err_set(err, STATUS_NOMEM, "out of memory writing BPMN");
	o.w = xmlNewTextWriter(buf);
	if (!o.w) {
		xmlOutputBufferClose(buf);
		return err_set(err, STATUS_NOMEM, "out of memory writing BPMN");
	}
	xmlTextWriterSetIndent(o.w, 1);
	xmlTextWriterSetIndentString(o.w, (const xmlChar *)"  ");
	if (xmlTextWriterStartDocument(o.w, NULL, "UTF-8", NULL) < 0)
		o.bad = true;
	bpmn_x_start(&o, "bpmn:definitions");
	bpmn_x_raw(&o, "xmlns:bpmn", BPMN_MODEL_NS);
	bpmn_x_raw(&o, "xmlns:bpmndi", NS_BPMNDI);
	bpmn_x_raw(&o, "xmlns:dc", NS_DC);
	bpmn_x_raw(&o, "xmlns:di", NS_DI);
	bpmn_x_raw(&o, "xmlns:xsi", NS_XSI);
	bpmn_x_raw(&o, "xmlns:stepmap", BPMN_STEPMAP_NS);
	bpmn_x_raw(&o, "xmlns:bpsim", BPMN_BPSIM2_NS);
	bpmn_x_raw(&o, "id", "Definitions_1");
	bpmn_x_raw(&o, "targetNamespace", BPMN_STEPMAP_NS);
	bpmn_x_raw(&o, "exporter", "stepmap");
	bpmn_x_raw(&o, "exporterVersion", STEPMAP_VERSION);
	bpmn_x_start(&o, "bpmn:collaboration");
	bpmn_x_raw(&o, "id", "Collaboration_1");
	for (i = 0; i < n; i++) {
		char *name = pool_name(xs[i].p, scenario);

		if (!name) {
			o.bad = o.nomem = true;
			break;
		}
		bpmn_x_start(&o, "bpmn:participant");
		bpmn_x_raw(&o, "id", bpmn_id_num(id, "Participant_", xs[i].p->id, NULL));
		x_attr(&o, "name", name);
		bpmn_x_raw(&o, "processRef", bpmn_id_num(id, "Process_", xs[i].p->id, NULL));
		bpmn_x_end(&o);
		free(name);
	}
	for (i = 0; i < n; i++)
		write_message_flows(&o, &xs[i]);
	bpmn_x_end(&o);
	for (i = 0; i < n; i++)
		write_process(&o, &xs[i]);
	bpmn_x_start(&o, "bpmndi:BPMNDiagram");
	bpmn_x_raw(&o, "id", "BPMNDiagram_1");
	bpmn_x_start(&o, "bpmndi:BPMNPlane");
	bpmn_x_raw(&o, "id", "BPMNPlane_1");
	bpmn_x_raw(&o, "bpmnElement", "Collaboration_1");
	for (i = 0; i < n; i++)
		bpmn_di_write_shapes(&o, &xs[i]);
	bpmn_x_end(&o);
	bpmn_x_end(&o);
	bpmn_x_start(&o, "bpmn:relationship");
	bpmn_x_raw(&o, "type", "BPSimData");
	bpmn_x_start(&o, "bpmn:extensionElements");
	bpmn_x_start(&o, "bpsim:BPSimData");
	bpmn_x_start(&o, "bpsim:Scenario");
	bpmn_x_raw(&o, "id", "Scenario_1");
	x_attr(&o, "name", scenario ? scenario : "Baseline");
	bpmn_x_raw(&o, "vendor", "stepmap");
	bpmn_x_raw(&o, "version", "1");
	bpmn_x_start(&o, "bpsim:ScenarioParameters");
	bpmn_x_raw(&o, "baseTimeUnit", "s");
	bpmn_x_end(&o);
	for (i = 0; i < n; i++)
		write_bpsim_proc(&o, &xs[i]);
	bpmn_x_end(&o);
	bpmn_x_end(&o);
	bpmn_x_end(&o);
	x_text_elem(&o, "bpmn:source", "Definitions_1");
	x_text_elem(&o, "bpmn:target", "Definitions_1");
	bpmn_x_end(&o);
	bpmn_x_end(&o);
	if (!o.bad && xmlTextWriterEndDocument(o.w) < 0)
		o.bad = true;
	xmlFreeTextWriter(o.w);      /* flushes and closes buf */
	if (o.nomem)
		return err_set(err, STATUS_NOMEM, "out of memory writing BPMN");
	if (o.bad || ferror(f))
		return err_set(err, STATUS_IO, "cannot write the BPMN document");
	return STATUS_OK;
}

enum status
bpmn_write_processes(FILE *f, const struct process *const *procs, size_t n,
                     const char *scenario, struct err *err)
{
	struct xproc *xs = calloc(n ? n : 1, sizeof *xs);
	struct id_set ids = { 0 };
	enum status st = STATUS_OK;
	long top = 80, below;
	size_t i;

	if (!xs)
		return err_set(err, STATUS_NOMEM, "out of memory writing BPMN");
	/* pools laid out go below every diagram kept from a file */
	for (i = 0; i < n; i++) {
		double kept = bpmn_di_bottom(procs[i]);

		if (kept > -HUGE_VAL && kept + POOL_GAP > top && kept + POOL_GAP < 1e15)
			top = (long)ceil(kept + POOL_GAP);
	}
	for (i = 0; i < n && st == STATUS_OK; i++) {
		st = xproc_build(&xs[i], procs[i], top, err);
		below = xs[i].lay.pool.y + xs[i].lay.pool.h + POOL_GAP;
		if (st == STATUS_OK && below > top)
			top = below;
	}
	if (st == STATUS_OK && assign_ids(xs, n, &ids) != STATUS_OK)
		st = err_set(err, STATUS_NOMEM, "out of memory writing BPMN");
	if (st == STATUS_OK)
		st = write_document(f, xs, n, scenario, err);
	id_set_done(&ids);
	for (i = 0; i < n; i++)
		xproc_done(&xs[i]);
	free(xs);
	return st;
}

enum status
bpmn_write(FILE *f, const struct workbook *w, const struct process *only, struct err *err)
{
	if (only)
		return bpmn_write_processes(f, &only, 1, NULL, err);
	return bpmn_write_processes(f, (const struct process *const *)w->procs, w->nprocs,
	                            NULL, err);
}
