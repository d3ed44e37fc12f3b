/*
 * bpmn_resolve.c - the BPMN reader's resolve stage, once the whole file is
 * read (BPMN refers forward and across): pools name their processes, BPSim
 * values land on their elements, lanes are assigned, subprocesses
 * flattened, flows built and rewired, annotations attached; then each
 * process is emitted into the sink in document order.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/bpmn_int.h"
#include "import/vec.h"
#include "model/bounds.h"

/* --- resolve ------------------------------------------------------------------------- */

static int
find(const struct rd *rd, const char *id, enum obj obj)
{
	const struct id_slot *s = bpmn_idmap_find(&rd->ids, id);

	return s && s->obj == obj ? s->index : NONE;
}

static int
add_edge(struct rd *rd, int src, int tgt, int flow, const char *label, const char *cond,
         double prob, enum flow_kind kind)
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
	                    label, cond, prob, false, (uint8_t)kind };
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
			         a.cond ? a.cond : b.cond, p,
			         (enum flow_kind)(a.kind != FLOW_SEQUENCE ? a.kind : b.kind));
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
	/*
	 * An end event inside that throws something (a message, a signal...)
	 * and is an exit becomes an intermediate throw event, so that no end
	 * event has an outgoing flow; one that ends everything (terminate,
	 * error, cancel) is no way on, unless nothing else is.
	 */
	{
		size_t w = 0;

		for (k = 0; k < nex; k++) {
			struct node_rec *X = &rd->nodes[exits[k]];

			if (X->elem == EL_END_EVENT && !(X->flags & NF_PLAIN_EVENT) &&
			    (X->event == EVENT_TERMINATE || X->event == EVENT_ERROR ||
			     X->event == EVENT_CANCEL))
				continue;
			exits[w++] = exits[k];
		}
		if (w)
			nex = w;
		for (k = 0; k < nex && has_live(rd, S->first_out, false); k++) {
			struct node_rec *X = &rd->nodes[exits[k]];

			if (X->elem == EL_END_EVENT && !(X->flags & NF_PLAIN_EVENT) &&
			    X->type == STEP_END) {
				X->type = STEP_THROW;
				bpmn_warn(rd, X->line, "end to throw", "endEvent id=%s '%s': the "
				          "subprocess it ends is flattened and goes on: imported as an "
				          "intermediate throw event", X->id, bpmn_shown(X->name, X->id));
			}
		}
	}
	S->flags |= NF_DROP;
	for (e = S->first_in; e != NONE; e = rd->edges[e].next_in) {
		struct gedge x = rd->edges[e];

		if (x.dead)
			continue;
		rd->edges[e].dead = true;
		for (k = 0; k < nen; k++)
			add_edge(rd, x.src, entries[k], x.flow, x.label, x.cond, x.prob,
			         (enum flow_kind)x.kind);
	}
	for (e = S->first_out; e != NONE; e = rd->edges[e].next_out) {
		struct gedge x = rd->edges[e];

		if (x.dead)
			continue;
		rd->edges[e].dead = true;
		/* a boundary event sits on one step: the first exit */
		for (k = 0; k < nex && (k == 0 || x.kind != FLOW_BOUNDARY); k++)
			add_edge(rd, exits[k], x.tgt, x.flow, x.label, x.cond, x.prob,
			         (enum flow_kind)x.kind);
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
	sprintf(para, "From %s '%s': %s", bpmn_elems[S->elem].local, S->name && *S->name ? S->name
	        : S->id ? S->id : "?", S->note);
	if (bpmn_append_para(c < (int)rd->nnodes ? &rd->nodes[c].note : &rd->procs[S->proc].desc,
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
		h = bpmn_hash64(fl->id, strlen(fl->id));
		for (j = 0; j < rd->niorefs; j++) {
			const struct io_rec *r = &rd->iorefs[j];
			const struct node_rec *n = &rd->nodes[r->node];

			if (r->hash != h)
				continue;
			if (r->out && !fl->src) {
				fl->src = n->id;
				bpmn_warn(rd, fl->line, "repaired flow", "sequenceFlow id=%s: no sourceRef; "
				        "taken from the outgoing of '%s'", fl->id, bpmn_shown(n->name, n->id));
			} else if (!r->out && !fl->tgt) {
				fl->tgt = n->id;
				bpmn_warn(rd, fl->line, "repaired flow", "sequenceFlow id=%s: no targetRef; "
				        "taken from the incoming of '%s'", fl->id, bpmn_shown(n->name, n->id));
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
		if (p->desc && bpmn_append_para(&rd->procs[t].desc, p->desc) < 0)
			rd->nomem = true;
		if (p->has_ext_arrival && !rd->procs[t].has_ext_arrival) {
			rd->procs[t].arrival = p->arrival;
			rd->procs[t].has_ext_arrival = true;
		}
		if (p->has_ext_time_unit && !rd->procs[t].has_ext_time_unit) {
			rd->procs[t].time_unit = p->time_unit;
			rd->procs[t].has_ext_time_unit = true;
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
		const struct id_slot *a = bpmn_idmap_find(&rd->ids, fl->src);
		const struct id_slot *b = bpmn_idmap_find(&rd->ids, fl->tgt);

		if (!fl->src || !fl->tgt || !a || !b) {
			const char *missing = !fl->src ? "no sourceRef" : !fl->tgt ? "no targetRef"
			                    : !a ? fl->src : fl->tgt;

			bpmn_warn(rd, fl->line, "unresolved flow", "%s id=%s%s%s%s: not imported (%s%s)",
			        what, fl->id ? fl->id : "?", fl->name && *fl->name ? " '" : "",
			        fl->name && *fl->name ? fl->name : "", fl->name && *fl->name ? "'" : "",
			        (!fl->src || !fl->tgt) ? "" : "no element with id ", missing);
			continue;
		}
		if (a->obj != OBJ_NODE || b->obj != OBJ_NODE) {
			const char *why = fl->message
				? "one end is a pool, not a step"
				: "one end is an element that is not imported";

			bpmn_warn(rd, fl->line, fl->message ? "message flow" : "flow to unimported",
			        "%s id=%s%s%s%s from %s to %s: not represented (%s)", what,
			        fl->id ? fl->id : "?", fl->name && *fl->name ? " '" : "",
			        fl->name && *fl->name ? fl->name : "", fl->name && *fl->name ? "'" : "",
			        fl->src, fl->tgt, why);
			continue;
		}
		if (rd->nodes[a->index].proc != rd->nodes[b->index].proc ||
		    rd->nodes[a->index].proc == NONE) {
			const struct node_rec *x = &rd->nodes[a->index], *y = &rd->nodes[b->index];

			bpmn_warn(rd, fl->line, fl->message ? "message flow" : "cross flow",
			        "%s id=%s%s%s%s from '%s' to '%s': not represented (its ends are in "
			        "two processes, '%s' and '%s'; stepmap's flows stay within one process)",
			        what, fl->id ? fl->id : "?", fl->name && *fl->name ? " '" : "",
			        fl->name && *fl->name ? fl->name : "", fl->name && *fl->name ? "'" : "",
			        bpmn_shown(x->name, x->id), bpmn_shown(y->name, y->id),
			        x->proc == NONE ? "?" : rd->procs[x->proc].pool,
			        y->proc == NONE ? "?" : rd->procs[y->proc].pool);
			continue;
		}
		if (fl->message)
			rd->stats.message_flows++;
		add_edge(rd, a->index, b->index, (int)i, fl->name && *fl->name ? fl->name : NULL,
		         fl->cond, fl->prob, fl->message ? FLOW_MESSAGE : FLOW_SEQUENCE);
	}
	/* default flows, as their sources name them */
	for (i = 0; i < rd->nnodes; i++) {
		int f;

		if (!rd->nodes[i].dflt)
			continue;
		f = find(rd, rd->nodes[i].dflt, OBJ_FLOW);
		if (f != NONE && !rd->flows[f].message)
			rd->flows[f].is_default = true;
		else
			bpmn_warn(rd, rd->nodes[i].line, "default flow", "element '%s' id=%s: its "
			          "default flow '%s' is not one of its flows: not kept",
			          bpmn_elems[rd->nodes[i].elem].local, rd->nodes[i].id,
			          rd->nodes[i].dflt);
	}
	/* boundary events: a branch out of the step they sit on */
	for (i = 0; i < rd->nnodes; i++) {
		struct node_rec *n = &rd->nodes[i];
		int host;

		if (n->elem != EL_BOUNDARY)
			continue;
		host = find(rd, n->attached, OBJ_NODE);
		if (host == NONE || rd->nodes[host].proc != n->proc) {
			bpmn_warn(rd, n->line, "boundary", "boundaryEvent id=%s '%s': attached to "
			          "'%s', which is not a step of its process: imported unattached",
			          n->id, bpmn_shown(n->name, n->id), n->attached ? n->attached : "");
			continue;
		}
		if (n->lane == NONE)
			n->lane = rd->nodes[host].lane;
		add_edge(rd, host, (int)i, NONE, NULL, NULL, n->attach_prob, FLOW_BOUNDARY);
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
		const struct id_slot *s = bpmn_idmap_find(&rd->ids, r->ref);
		struct node_rec *n;

		if (!s || s->obj != OBJ_NODE) {
			if (!s)
				bpmn_warn(rd, rd->lanes[r->owner].line, "lane ref",
				        "lane '%s' lists '%s', which is not in the file: ignored",
				        bpmn_shown(rd->lanes[r->owner].name, rd->lanes[r->owner].id), r->ref);
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
		parts[n] = bpmn_shown(rd->lanes[l].name, rd->lanes[l].id);
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
		const struct id_slot *s = bpmn_idmap_find(&rd->ids, r->ref);

		if (!s) {
			bpmn_warn(rd, r->line, "BPSim ref", "BPSim parameters for '%s': no such element",
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
			if (!(x = bpmn_node_ext(rd, s->index)))
				return;
			if (r->what == SIM_WORK && !(n->ext_fields & (1u << FIELD_WORK)))
				x->work = r->d;
			else if (r->what == SIM_WAIT && !(n->ext_fields & (1u << FIELD_WAIT)))
				x->wait = r->d;
			else if (r->what == SIM_COST && !(n->ext_fields & (1u << FIELD_COST))) {
				if (bound_in(r->v, 0, BOUND_COST_MAX))
					x->cost = r->v;
				else
					bpmn_warn(rd, r->line, "BPSim cost", "BPSim UnitCost %g for '%s' is "
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
		bpmn_warn(rd, r->line, "BPSim unused", "BPSim parameter for '%s': not represented "
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
		if (bpmn_append_para(&rd->nodes[n].note, rd->annots[an].text) < 0)
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
			bpmn_warn_unrep(rd, an->line, "textAnnotation", an->id, NULL,
			           "not represented (no process to keep it)");
			continue;
		}
		if (bpmn_append_para(&rd->procs[p].desc, an->text) < 0)
			rd->nomem = true;
		bpmn_warn(rd, an->line, "annotation to description",
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
			bpmn_warn(rd, pt->line, "black-box pool", "participant id=%s '%s': a pool with "
			        "no process: not represented", pt->id ? pt->id : "?",
			        bpmn_shown(pt->name, pt->id));
			continue;
		}
		if (!rd->procs[p].pool && pt->name && *pt->name)
			rd->procs[p].pool = pt->name;
		if (pt->doc && bpmn_append_para(&rd->procs[p].desc, pt->doc) < 0)
			rd->nomem = true;
	}
	for (i = 0; i < rd->nprocs; i++) {
		struct proc_rec *p = &rd->procs[i];

		if (!p->pool)
			p->pool = p->name && *p->name ? p->name : p->id ? p->id
			        : rd->defs_name && *rd->defs_name ? rd->defs_name : "Process";
	}
}

/* An id export can write again: an XML name without a colon (NCName). Ids
 * made here for elements without one ("(no id 3)"), or to tell a second
 * element with the same id apart ("x~2"), are not. */
static bool
valid_id(const char *id)
{
	const unsigned char *p = (const unsigned char *)id;

	if (!p || !(isalpha(*p) || *p == '_' || *p >= 0x80))
		return false;
	for (p++; *p; p++)
		if (!(isalnum(*p) || *p == '_' || *p == '-' || *p == '.' || *p >= 0x80))
			return false;
	return strlen(id) < 200;
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
		lane.source_id = (char *)(valid_id(l->id) ? l->id : NULL);
		lane.di = (char *)l->di;
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
		/* a node without a name has none: neither its id nor its kind */
		s.name = (char *)(n->name ? n->name : "");
		s.event = (enum event_def)n->event;
		s.non_interrupting = n->non_interrupting;
		s.called = (char *)n->called;
		s.source_id = (char *)(valid_id(n->id) ? n->id : NULL);
		s.di = (char *)n->di;
		s.type = (enum step_type)n->type;
		if (n->x && (n->ext_fields & (1u << FIELD_TYPE)))
			s.type = n->x->type;
		s.note = n->note;
		if (n->x && n->x->note && (n->ext_fields & (1u << FIELD_NOTE)))
			s.note = n->x->note;
		if ((n->flags & NF_TIMER) && n->timer_s >= 0 && n->elem != EL_START_EVENT &&
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
	/* boundary attachments after the other flows, as when stepmap's own
	 * export is read again (so the order by flow, and the file, repeat) */
	for (i = 0; i < 2 * rd->nedges; i++) {
		const struct gedge *e = &rd->edges[i % rd->nedges];
		struct flow f = { 0 };

		if (e->dead || rd->nodes[e->src].proc != pi || !is_kept(rd, e->src) ||
		    !is_kept(rd, e->tgt) || (i < rd->nedges) != (e->kind != FLOW_BOUNDARY))
			continue;
		f.label = (char *)e->label;
		f.condition = (char *)e->cond;
		f.prob = e->prob;
		f.kind = (enum flow_kind)e->kind;
		if (e->flow != NONE) {
			const struct flow_rec *fr = &rd->flows[e->flow];

			f.is_default = fr->is_default && rd->nodes[e->src].id &&
			               fr->src && !strcmp(fr->src, rd->nodes[e->src].id);
			f.source_id = (char *)(valid_id(fr->id) ? fr->id : NULL);
			/* its waypoints while it still joins the nodes it joined */
			if (fr->src && fr->tgt && find(rd, fr->src, OBJ_NODE) == e->src &&
			    find(rd, fr->tgt, OBJ_NODE) == e->tgt)
				f.di = (char *)fr->di;
		}
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
			bpmn_warn(rd, m->line, "measure", "measure '%s': its steps '%s' and '%s' are not "
			        "both in the file: not imported", bpmn_shown(m->name, NULL),
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
	if (st == STATUS_OK && p->di && ops->process_di)
		st = ops->process_di(ctx, p->di, rd->err);
	if (st == STATUS_OK && p->has_ext_time_unit && ops->time_unit)
		st = ops->time_unit(ctx, p->time_unit, rd->err);
out:
	step_done(&plain);
	return st;
}

enum status
bpmn_resolve(struct rd *rd)
{
	enum status st;
	size_t i;
	int heir;

	name_processes(rd);
	bpmn_resolve_di(rd);
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
			bpmn_warn(rd, n->line, "kept subprocess", "element '%s' id=%s '%s': kept as "
			        "one step; the %d steps inside it are not imported",
			        bpmn_elems[n->elem].local, n->id, bpmn_shown(n->name, n->id), n->nchildren);
			continue;
		}
		flatten(rd, (int)i);
		heir = pass_note(rd, (int)i);
		bpmn_warn(rd, n->line, "flattened subprocess", "element '%s' id=%s '%s': "
		        "flattened into its parent%s%s%s%s", bpmn_elems[n->elem].local, n->id,
		        bpmn_shown(n->name, n->id),
		        (n->flags & NF_EVENT_SUB) ? " (an event subprocess: its steps are not "
		        "connected to the main flow, its trigger is not kept)" : "",
		        heir != NONE ? "; its documentation is kept in the note of '" : "",
		        heir != NONE ? bpmn_shown(rd->nodes[heir].name, rd->nodes[heir].id) : "",
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
		bpmn_warn(rd, rd->nss[i].line, NULL, "%zu extension element%s of another tool "
		        "(namespace %s, first '%s'): not represented", rd->nss[i].n,
		        rd->nss[i].n == 1 ? "" : "s", rd->nss[i].uri, rd->nss[i].first);
	if (rd->nomem)
		return err_set(rd->err, STATUS_NOMEM, "%s: out of memory", rd->name);
	for (i = 0; i < rd->nprocs; i++) {
		if (rd->procs[i].merged)
			continue;
		if (!rd->procs[i].nnodes) {
			bpmn_warn(rd, rd->procs[i].line, "empty process", "process id=%s '%s': has no "
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
	bpmn_warn_summaries(rd);
	return STATUS_OK;
}

