/*
 * bpmn.c - the BPMN 2.0 reader (see bpmn.h for what it reads and reports).
 *
 * Three stages, each linear in the file or the model:
 *
 *   scan     the raw bytes of each chunk read, before libxml2 sees them
 *            (import/xmlscan.c, which the XES reader shares): a
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

#include "import/bpmn_int.h"
#include "import/vec.h"
#include "model/file.h"


int
bpmn_buf_add(struct buf *b, const char *s, size_t n)
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


static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct id_slot *
bpmn_idmap_find(const struct idmap *m, const char *key)
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
bpmn_idmap_reserve(struct idmap *m, size_t n)
{
	size_t cap = 1024;

	while (cap < n + n / 3 && cap < ((size_t)1 << 26))
		cap *= 2;
	m->slots = vec_zalloc(cap, sizeof *m->slots);
	m->cap = m->slots ? cap : 0;
}

/* Insert key; 1 inserted, 0 already there (*old set), -1 out of memory. */
int
bpmn_idmap_put(struct idmap *m, const char *key, enum obj obj, int index,
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

/* The element table (bpmn_int.h's BPMN_ELEM_INFO), by enum bpmn_elem. */
const struct elem_info bpmn_elems[] = {
	[EL_NONE] = { "", EC_UNKNOWN, STEP_TASK, NULL },
#define ELEM_ROW_(name, local, cls, type, why) [EL_##name] = { local, cls, type, why },
	BPMN_ELEM_INFO(ELEM_ROW_)
#undef ELEM_ROW_
};


/* --- warnings ------------------------------------------------------------ */

/*
 * Report something not represented. key groups warnings of one kind: after
 * WARN_REPEAT of them the rest are counted and summed up at the end.
 */
void __attribute__((format(printf, 4, 5)))
bpmn_warn(struct rd *rd, unsigned line, const char *key, const char *fmt, ...)
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

void
bpmn_warn_summaries(struct rd *rd)
{
	size_t i;

	for (i = 0; i < rd->nwcs; i++)
		if (rd->wcs[i].n > WARN_REPEAT)
			bpmn_warn(rd, 0, NULL, "%zu more like '%s' not listed",
			        rd->wcs[i].n - WARN_REPEAT, rd->wcs[i].key);
}

/* A name for messages: 'name' or the id. */
const char *
bpmn_shown(const char *name, const char *id)
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
	/* A namespace error leaves the document well-formed (xmllint and
	 * bpmn-moddle read it): an empty or misused declaration that nothing
	 * uses (IBM Process Designer writes some) is reported, not refused;
	 * an element of an undeclared prefix is then read as foreign. */
	if (e->level == XML_ERR_WARNING || (e->domain == XML_FROM_NAMESPACE &&
	                                    e->level == XML_ERR_ERROR)) {
		bpmn_warn(rd, (unsigned)(e->line > 0 ? e->line : 0), "XML warning",
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
	bpmn_read_di_done(rd);
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
	bpmn_on_start(rd, &t, depth, cur_line(rd), &skip);
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
	bpmn_on_end(rd, depth);
}

static void
sax_text(void *ctx, const xmlChar *text, int len)
{
	struct rd *rd = ctx;

	if (rd->cap != CAP_NONE && rd->skip_depth < 0 && len > 0 &&
	    bpmn_buf_add(&rd->text, (const char *)text, (size_t)len) < 0)
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
		if (n > 0 && !xml_scan(&rd->sc, buf, (size_t)n)) {
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
	struct xml_guard g = { 0 };

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
			bpmn_idmap_reserve(&rd->ids, (size_t)(sb.st_size / 400));
	}
	g.file = rd->name;
	g.what = "a BPMN file";
	g.errors = &rd->xml_errors;
	g.msg = rd->xml_msg;
	g.msgsize = sizeof rd->xml_msg;
	xml_guard_begin(&g, on_xml_error, rd);

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
	xmlCtxtUseOptions(rd->ctxt, XML_GUARD_OPTIONS);
	st = parse(rd);
	if (st == STATUS_OK)
		st = bpmn_resolve(rd);
	if (opt->stats)
		*opt->stats = rd->stats;
out:
	if (rd->ctxt) {
		if (rd->ctxt->myDoc)
			xmlFreeDoc(rd->ctxt->myDoc);
		xmlFreeParserCtxt(rd->ctxt);
	}
	xml_guard_end(&g);
	close(rd->fd);
	rd_done(rd);
	free(rd);
	/* The sink settles what it received (resolves, orders) once the records
	 * are freed: it can reuse their memory. */
	if (st == STATUS_OK && sink->ops->end)
		st = sink->ops->end(sink->ctx, err);
	return st;
}