/*
 * bpmn_parse.c - the BPMN reader's parse stage: each start tag, end tag and
 * text SAX2 gives, into the compact records of bpmn_int.h (processes,
 * lanes, nodes, flows, annotations, BPSim parameters, stepmap's own fields).
 * A frame per open element says what its children belong to.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/bpmn_int.h"
#include "import/vec.h"

/* --- small helpers ----------------------------------------------------------- */

const char *
bpmn_keep(struct rd *rd, const char *s)
{
	char *p = arena_strdup(&rd->a, s);

	if (s && !p)
		rd->nomem = true;
	return p;
}

/* A name, kept exactly as the file gives it: line breaks, blanks and every
 * other character (issue 11: a name goes back byte for byte). */
static const char *
keep_name(struct rd *rd, const char *s)
{
	return bpmn_keep(rd, s);
}

/*
 * libxml2's SAX2 without entity substitution (never asked for: see bpmn.h)
 * hands an attribute value with each '&' of the text as the reference
 * "&#38;" ("A &amp; B" and "A &#38; B" both arrive as "A &#38; B"), while
 * '<', '>', quotes and other character references arrive as themselves. So
 * every '&' in a value starts "&#38;": turn each back into '&', in place.
 */
static void
unescape_amp(char *s, size_t *n)
{
	char *r = s, *w = s, *end = s + *n;

	while (r < end) {
		if (*r == '&' && end - r >= 5 && !memcmp(r, "&#38;", 5)) {
			*w++ = '&';
			r += 5;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	*n = (size_t)(w - s);
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
		if (memchr(rd->svals[i], '&', n))
			unescape_amp(rd->sbuf + off - n - 1, &n);
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

const char *
bpmn_tag_attr(struct tag *t, const char *name)
{
	return attr(t, name);
}

/* Append paragraph text to *dst (malloc'd), separated by a blank line. */
int
bpmn_append_para(char **dst, const char *text)
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
	r = bpmn_idmap_put(&rd->ids, *id, obj, index, &old);
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
		bpmn_warn(rd, line, "duplicate id", "element '%s' id=%s: the id is used twice; "
		        "this element, the one imported, keeps it", local, *id);
		return;
	}
	bpmn_warn(rd, line, "duplicate id", "element '%s' id=%s: the id is used twice; the "
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
		if (!bpmn_idmap_find(&rd->ids, n)) {
			*id = n;
			if (bpmn_idmap_put(&rd->ids, n, obj, index, &old) < 0)
				rd->nomem = true;
			return;
		}
	}
}

void
bpmn_warn_unrep(struct rd *rd, unsigned line, const char *local, const char *id,
           const char *name, const char *why)
{
	char key[128];

	snprintf(key, sizeof key, "element '%s'", local);
	bpmn_warn(rd, line, key, "element '%s'%s%s%s%s%s: %s", local,
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
			for (j = n; j > 0 && strcmp(bpmn_elems[sorted[j - 1]].local, bpmn_elems[i].local) > 0; j--)
				sorted[j] = sorted[j - 1];
			sorted[j] = (int)i;
			n++;
		}
	}
	hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(local, bpmn_elems[sorted[mid]].local);

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
	n->id = bpmn_keep(rd, id);
	n->name = keep_name(rd, name);
	n->line = line;
	n->proc = parent->proc;
	n->parent = parent->container;
	n->lane = NONE;
	n->first_in = n->first_out = NONE;
	n->elem = (uint8_t)el;
	n->type = (uint8_t)bpmn_elems[el].type;
	n->timer_s = -1;
	n->attach_prob = -1;
	if (el == EL_BOUNDARY) {
		const char *c = attr(node, "cancelActivity");

		n->attached = bpmn_keep(rd, attr(node, "attachedToRef"));
		n->non_interrupting = c && (!strcmp(c, "false") || !strcmp(c, "0"));
	}
	if (el == EL_CALL_ACTIVITY && attr(node, "calledElement") && *attr(node, "calledElement"))
		n->called = bpmn_keep(rd, attr(node, "calledElement"));
	if (attr(node, "default") && *attr(node, "default"))
		n->dflt = bpmn_keep(rd, attr(node, "default"));
	if (bpmn_elems[el].cls == EC_CONTAINER) {
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
		n->id = bpmn_keep(rd, key);
		bpmn_warn(rd, line, "no id", "element '%s'%s%s%s: no id; imported, but no flow "
		        "can reach it", bpmn_elems[el].local, name ? " '" : "", name ? name : "",
		        name ? "'" : "");
	} else {
		register_id(rd, &n->id, OBJ_NODE, i, bpmn_elems[el].local, line);
	}
	if (bpmn_elems[el].why)
		bpmn_warn_unrep(rd, line, bpmn_elems[el].local, id, name, bpmn_elems[el].why);
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
		bpmn_warn_unrep(rd, line, local, rd->bp_ref, NULL,
		           "not represented (stepmap's distributions are fixed, uniform, "
		           "triangular, exponential, normal and lognormal)");
		return;
	}
	if (!ok) {
		a = attr(node, "value");
		bpmn_warn(rd, line, "bad BPSim value", "BPSim '%s' for '%s': not a number%s%s%s",
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

			bpmn_warn(rd, line, "BPSim scenario",
			        "BPSim scenario '%s': not imported (only the first scenario is)",
			        bpmn_shown(nm, attr(node, "id")));
			return;
		}
		f->ctx = CX_BP_SCENARIO;
	} else if (up->ctx == CX_BP_SCENARIO && !strcmp(local, "ScenarioParameters")) {
		rd->bp_unit = bpsim_unit(attr(node, "baseTimeUnit"));
		if (!rd->bp_unit && attr(node, "baseTimeUnit"))
			bpmn_warn(rd, line, "BPSim unit", "BPSim baseTimeUnit '%s': unknown, "
			        "taken as seconds", attr(node, "baseTimeUnit"));
	} else if (up->ctx == CX_BP_SCENARIO && !strcmp(local, "ElementParameters")) {
		rd->bp_ref = bpmn_keep(rd, attr(node, "elementRef"));
		f->ctx = CX_BP_ELEMENT;
	} else if (up->ctx == CX_BP_ELEMENT) {
		f->ctx = CX_BP_GROUP;  /* TimeParameters, ControlParameters... */
	} else if (up->ctx == CX_BP_GROUP) {
		bool known;
		enum sim_what w = bpsim_param(local, &known);

		if (!known) {
			bpmn_warn_unrep(rd, line, local, rd->bp_ref, NULL,
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
struct step *
bpmn_node_ext(struct rd *rd, int i)
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

		if (!strcmp(key, "attach-probability")) {
			bool ok;
			double v = parse_double(value, &ok);

			if (ok && v >= 0 && v <= 1)
				rd->nodes[f->owner].attach_prob = v;
			else
				bpmn_warn(rd, line, "bad stepmap field", "boundary event '%s': "
				          "probability '%s' is not a number from 0 to 1",
				          bpmn_shown(rd->nodes[f->owner].name, rd->nodes[f->owner].id),
				          value);
			return;
		}
		if (!strcmp(key, "generated")) {
			bool yes;

			if (!yes_no_parse(value, &yes))
				bpmn_warn(rd, line, "bad stepmap field", "step '%s': generated '%s' is "
				          "not yes or no",
				          bpmn_shown(rd->nodes[f->owner].name, rd->nodes[f->owner].id),
				          value);
			else if ((s = bpmn_node_ext(rd, f->owner)))
				s->generated = yes;
			return;
		}
		k = step_field_parse(key);
		if (k < 0 || k == FIELD_LANE || k == FIELD_NAME)
			break;
		s = bpmn_node_ext(rd, f->owner);
		if (!s)
			return;
		if (step_set_field(NULL, s, (enum step_field)k, value, &e) != STATUS_OK) {
			bpmn_warn(rd, line, "bad stepmap field", "stepmap field of '%s': %s",
			        bpmn_shown(rd->nodes[f->owner].name, rd->nodes[f->owner].id), e.msg);
			return;
		}
		rd->nodes[f->owner].ext_fields |= 1u << k;
		return;
	}
	case CX_LANE: {
		struct lane_rec *l = &rd->lanes[f->owner];

		if (!strcmp(key, "stage")) {
			if ((k = stage_parse(value)) < 0)
				bpmn_warn(rd, line, "bad stepmap field",
				        "lane '%s': stage '%s' unknown (customer, onstage, offstage "
				        "or support)", bpmn_shown(l->name, l->id), value);
			else
				l->stage = k;
			return;
		}
		if (!strcmp(key, "capacity")) {
			bool ok;
			double v = parse_double(value, &ok);

			if (!ok || v < 0 || v > 1e6 || v != floor(v))
				bpmn_warn(rd, line, "bad stepmap field",
				        "lane '%s': capacity '%s' is not a whole number",
				        bpmn_shown(l->name, l->id), value);
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
				bpmn_warn(rd, line, "bad stepmap field",
				        "flow %s: probability '%s' is not a number from 0 to 1",
				        bpmn_shown(fl->name, fl->id), value);
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
				bpmn_warn(rd, line, "bad stepmap field", "process '%s': %s",
				        bpmn_shown(p->name, p->id), e.msg);
			else
				p->has_ext_arrival = true;
			return;
		}
		if (!strcmp(key, "time_unit")) {
			if (time_unit_read(value, "time_unit", &p->time_unit, &e) != STATUS_OK)
				bpmn_warn(rd, line, "bad stepmap field", "process '%s': %s",
				        bpmn_shown(p->name, p->id), e.msg);
			else
				p->has_ext_time_unit = true;
			return;
		}
		break;
	}
	default:
		break;
	}
	bpmn_warn(rd, line, "unknown stepmap field", "stepmap field '%s': not known here", key);
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
		bpmn_warn(rd, line, "bad stepmap field", "measure '%s': clock '%s' unknown "
		        "(customer or process)", bpmn_shown(attr(node, "name"), NULL), clock);
		c = CLOCK_PROCESS;
	}
	if (vec_grow(&rd->meas, &rd->cmeas, rd->nmeas, sizeof *rd->meas) < 0) {
		rd->nomem = true;
		return;
	}
	rd->meas[rd->nmeas++] = (struct measure_rec){
		f->owner, keep_name(rd, attr(node, "name")), bpmn_keep(rd, attr(node, "from")),
		bpmn_keep(rd, attr(node, "to")), c, line };
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
		rd->sm_field = bpmn_keep(rd, attr(node, "name"));
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
	l->id = bpmn_keep(rd, id);
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
	fl->id = bpmn_keep(rd, id);
	fl->name = keep_name(rd, attr(node, "name"));
	fl->src = bpmn_keep(rd, attr(node, "sourceRef"));
	fl->tgt = bpmn_keep(rd, attr(node, "targetRef"));
	fl->line = line;
	fl->proc = el == EL_MESSAGE_FLOW ? NONE : up->proc;
	fl->prob = -1;
	fl->message = el == EL_MESSAGE_FLOW;
	if (!fl->src || !fl->tgt)
		rd->flows_lack_ends = true;
	rd->nflows++;
	if (id)
		register_id(rd, &fl->id, OBJ_FLOW, i, bpmn_elems[el].local, line);
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
	enum elem_class cls = bpmn_elems[el].cls;
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
		rd->procs[i].id = bpmn_keep(rd, attr(node, "id"));
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
		rd->parts[i] = (struct part_rec){ bpmn_keep(rd, attr(node, "id")),
		                                  keep_name(rd, attr(node, "name")),
		                                  bpmn_keep(rd, attr(node, "processRef")), NULL, line };
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
		if (id && (id = bpmn_keep(rd, id)))
			register_id(rd, &id, OBJ_OTHER, 0, local, line);
		bpmn_warn_unrep(rd, line, local, id, attr(node, "name"), bpmn_elems[el].why);
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
		rd->annots[i] = (struct annot_rec){ bpmn_keep(rd, attr(node, "id")), NULL,
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
			bpmn_keep(rd, attr(node, "sourceRef")), bpmn_keep(rd, attr(node, "targetRef")), line };
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

			int k = event_def_parse(local);

			n->flags &= (uint8_t)~NF_PLAIN_EVENT;
			if (k <= 0)
				break;
			if (n->event) {
				bpmn_warn_unrep(rd, line, local, n->id, n->name,
				                "not represented (a second event definition: the event "
				                "keeps its first)");
				return;
			}
			n->event = (uint8_t)k;
			f->ctx = CX_EVENT_DEF;
			f->obj = up->obj;
			if (el == EL_TIMER_DEF)
				n->flags |= NF_TIMER;
			for (int a = 0; a < node->nattrs; a++) {
				const char *an = (const char *)node->attrs[5 * a];
				size_t len = strlen(an);

				if (!node->attrs[5 * a + 2] && len > 3 && !strcmp(an + len - 3, "Ref"))
					bpmn_warn_unrep(rd, line, local, n->id, n->name, "its reference "
					                "(to a message, signal, error...) is not kept");
			}
			return;
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
		bpmn_warn_unrep(rd, line, local, n->id, n->name, why);
		return;
	}
	if (up->ctx == CX_EVENT_DEF) {
		struct node_rec *n = &rd->nodes[up->obj];

		bpmn_warn_unrep(rd, line, local, n->id, n->name, "not kept (a detail of its event "
		                "definition stepmap has no field for)");
		return;
	}
	if (up->ctx == CX_NODE || up->ctx == CX_FLOW || up->ctx == CX_PROCESS ||
	    up->ctx == CX_LANE || up->ctx == CX_COLLAB || up->ctx == CX_DEFS ||
	    up->ctx == CX_PARTICIPANT) {
		id = attr(node, "id");
		if (id && up->ctx != CX_NODE && up->ctx != CX_FLOW && (id = bpmn_keep(rd, id)))
			register_id(rd, &id, OBJ_OTHER, 0, local, line);
		if (up->ctx == CX_NODE)
			bpmn_warn_unrep(rd, line, local, rd->nodes[up->obj].id, rd->nodes[up->obj].name,
			           "not represented (a detail of this step stepmap has no field for)");
		else
			bpmn_warn_unrep(rd, line, local, id, attr(node, "name"), NULL);
	}
}

/* Any start tag. Sets *skip when its subtree needs no reading. */
void
bpmn_on_start(struct rd *rd, struct tag *node, int depth, unsigned line, bool *skip)
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
		/* the diagram: kept for export (bpmn_di.c) */
		bpmn_read_di(rd, node, local, up, f, line);
		break;
	default:
		if (up->ctx == CX_EXT)
			count_foreign(rd, node->uri ? node->uri : "", local, line);
		else if (up->ctx != CX_SKIP && up->ctx != CX_SM &&
		         !(up->ctx >= CX_BPSIM && up->ctx <= CX_BP_PARAM))
			bpmn_warn_unrep(rd, line, local, attr(node, "id"), NULL,
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

uint64_t
bpmn_hash64(const char *s, size_t n)
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
	rd->iorefs[rd->niorefs++] = (struct io_rec){ bpmn_hash64(t, n), node, out };
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
	ref = bpmn_keep(rd, text);
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
		bpmn_warn(rd, rd->cap_line, "truncated text",
		        "text longer than %d bytes: truncated", TEXT_MAX);
	switch (rd->cap) {
	case CAP_NONE:
		break;
	case CAP_NODE_DOC:
		r = bpmn_append_para(&rd->nodes[i].note, t);
		break;
	case CAP_PROC_DOC:
		r = bpmn_append_para(&rd->procs[i].desc, t);
		break;
	case CAP_PART_DOC:
		r = bpmn_append_para(&rd->parts[i].doc, t);
		break;
	case CAP_OTHER_DOC:
		while (*t && isspace((unsigned char)*t))
			t++;
		if (*t)
			bpmn_warn(rd, rd->cap_line, "documentation",
			        "documentation: not represented here (only steps and processes "
			        "keep notes): \"%.60s%s\"", t, strlen(t) > 60 ? "..." : "");
		break;
	case CAP_ANNOT_TEXT:
		r = bpmn_append_para(&rd->annots[i].text, t);
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

		r = bpmn_append_para(&c, t);
		if (r == 0 && !c && !(c = strdup("")))
			r = -1;          /* an empty condition is still a condition */
		free(rd->flows[i].cond);
		rd->flows[i].cond = c;
		break;
	}
	case CAP_TIMER: {
		double s;

		if (bpmn_iso_duration(t, &s))
			rd->nodes[i].timer_s = s;
		else if (*t)
			bpmn_warn(rd, rd->cap_line, "timer", "timer of '%s': '%.40s' is not an ISO 8601 "
			        "duration (like PT15M): the wait has no time",
			        bpmn_shown(rd->nodes[i].name, rd->nodes[i].id), t);
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

void
bpmn_on_end(struct rd *rd, int depth)
{
	if (rd->cap != CAP_NONE && depth == rd->cap_depth)
		end_capture(rd);
}

