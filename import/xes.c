/*
 * xes.c - the XES reader (IEEE 1849-2016): a .xes or .xes.gz file into the
 * events of evlog_int.h, then the map (discover.c) into a sink.
 *
 * The file is read in chunks through zlib (which passes a file that is not
 * compressed through as it is), each chunk scanned raw by the guard the
 * BPMN reader uses (xmlscan.h: no DOCTYPE, a bounded number of attributes
 * per tag), then fed to libxml2's SAX2 push parser: never a tree. Only the
 * attributes directly inside a <trace> or an <event> are read (the key and
 * value of <string>, <date>, <int>, <float>, <boolean>, <id>); a <list> or
 * <container> and the attributes nested in attributes are skipped, so the
 * memory is the events' records and their distinct names. <global
 * scope="event"> gives defaults for the attributes an event leaves out.
 *
 * Owns its parser, its buffers and the event table; nothing survives
 * xes_read().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <zlib.h>

#include "model/file.h"
#include "import/evlog_int.h"
#include "import/xmlscan.h"

#define XES_MAX_ATTRIBUTES 1000
#define CHUNK (256 * 1024)

/* One value being collected for an event (or the trace): the best-ranked
 * attribute of its key so far. */
struct slot {
	char *s;
	size_t cap;
	unsigned rank;               /* RANK of the name it came from; ~0u: none */
};

#define NAME_CACHE 64

struct name_ranks {
	char name[64];
	bool trace;
	unsigned rank[EVK_COUNT_];
};

struct xrd {
	struct evlog el;
	struct name_ranks cache[NAME_CACHE], scratch;
	int ncache;
	xmlParserCtxtPtr ctxt;
	int depth;
	int trace_depth, event_depth, global_depth;   /* -1: not inside */
	struct slot ev[EVK_COUNT_], tr[EVK_COUNT_], glob[EVK_COUNT_];
	unsigned event_line;
	bool stop, nomem, saw_log;
	int xml_errors;
	struct err stop_err;
	char xml_msg[ERR_MSG_MAX];
	size_t traces;
};


static void
stopf(struct xrd *r, enum status st, const char *fmt, ...)
{
	va_list ap;

	if (r->stop)
		return;
	r->stop = true;
	r->stop_err.code = st;
	va_start(ap, fmt);
	vsnprintf(r->stop_err.msg, sizeof r->stop_err.msg, fmt, ap);
	va_end(ap);
	xmlStopParser(r->ctxt);
}

static unsigned
cur_line(struct xrd *r)
{
	return r->ctxt ? (unsigned)xmlSAX2GetLineNumber(r->ctxt) : 0;
}

static void
slot_set(struct xrd *r, struct slot *s, unsigned rank, const xmlChar *v, const xmlChar *end)
{
	size_t n = (size_t)(end - v);

	if (rank >= s->rank)
		return;
	if (n + 1 > s->cap) {
		char *p = realloc(s->s, n + 1);

		if (!p) {
			r->nomem = true;
			stopf(r, STATUS_NOMEM, "out of memory");
			return;
		}
		s->s = p;
		s->cap = n + 1;
	}
	memcpy(s->s, v, n);
	s->s[n] = '\0';
	s->rank = rank;
}

static void
slots_clear(struct slot *s)
{
	int k;

	for (k = 0; k < EVK_COUNT_; k++)
		s[k].rank = ~0u;
}

static const char *
slot_val(const struct slot *s)
{
	return s->rank != ~0u ? s->s : NULL;
}

/* The rank of name for each key (evlog_key_rank), at the trace's level or
 * an event's: remembered for the few names a log uses, so each attribute
 * costs one string comparison or two rather than sixty. */
static const unsigned *
ranks_of(struct xrd *r, const char *name, bool trace)
{
	struct name_ranks *c;
	int i, k;

	for (i = 0; i < r->ncache; i++)
		if (r->cache[i].trace == trace && !strcmp(r->cache[i].name, name))
			return r->cache[i].rank;
	/* a long name, or one past the cache's room: worked out each time */
	if (strlen(name) < sizeof c->name && r->ncache < NAME_CACHE) {
		c = &r->cache[r->ncache++];
		memcpy(c->name, name, strlen(name) + 1);
	} else {
		c = &r->scratch;
		c->name[0] = '\0';
	}
	c->trace = trace;
	for (k = 0; k < EVK_COUNT_; k++) {
		if (trace) {
			/* a trace's concept:name is its case id, and nothing else
			 * of the trace names an event's fields */
			c->rank[k] = 1000;
			if (k != EVK_CASE)
				continue;
			c->rank[k] = evlog_key_rank(r->el.opt, EVK_CASE, name);
			if (c->rank[k] && !(r->el.opt && r->el.opt->case_key) &&
			    !strcasecmp(name, "concept:name"))
				c->rank[k] = 0;
		} else {
			c->rank[k] = evlog_key_rank(r->el.opt, (enum evkey)k, name);
		}
	}
	return c->rank;
}

/* An attribute element (<string key= value=>...) at the level that counts:
 * offer its value to every key whose name it is. */
static void
attribute(struct xrd *r, struct slot *slots, bool trace, int nattrs, const xmlChar **attrs)
{
	const xmlChar *v = NULL, *vend = NULL;
	char name[256];
	bool has_key = false;
	const unsigned *ranks;
	size_t n;
	int i, k;

	for (i = 0; i < nattrs; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (a[2])                /* namespaced: not XES's */
			continue;
		if (!strcmp((const char *)a[0], "key")) {
			n = (size_t)(a[4] - a[3]);
			if (n >= sizeof name)
				return;  /* longer than any name read */
			memcpy(name, a[3], n);
			name[n] = '\0';
			has_key = true;
		} else if (!strcmp((const char *)a[0], "value")) {
			v = a[3];
			vend = a[4];
		}
	}
	if (!has_key || !v)
		return;
	ranks = ranks_of(r, name, trace);
	for (k = 0; k < EVK_COUNT_; k++)
		if (ranks[k] < 1000)
			slot_set(r, &slots[k], ranks[k], v, vend);
}

static bool
is_attribute_element(const char *local)
{
	static const char *const kinds[] = { "string", "date", "int", "float", "boolean", "id" };
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(local, kinds[i]))
			return true;
	return false;
}

static void
sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
          int nns, const xmlChar **ns, int nattrs, int ndefaulted, const xmlChar **attrs)
{
	struct xrd *r = ctx;
	const char *local = (const char *)localname;
	int d = r->depth++;

	(void)prefix;
	(void)uri;
	(void)nns;
	(void)ns;
	(void)ndefaulted;
	if (r->stop)
		return;
	if (r->depth > XES_MAX_DEPTH) {
		stopf(r, STATUS_INPUT, "%s:%u: elements nested deeper than %d levels: refused",
		      r->el.file, cur_line(r), XES_MAX_DEPTH);
		return;
	}
	if (d == 0) {
		if (strcmp(local, "log"))
			stopf(r, STATUS_INPUT, "%s:%u: not an XES event log (the root element is "
			      "<%s>, not <log>)", r->el.file, cur_line(r), local);
		r->saw_log = true;
		return;
	}
	if (r->event_depth >= 0) {
		if (d == r->event_depth + 1 && is_attribute_element(local))
			attribute(r, r->ev, false, nattrs, attrs);
		return;
	}
	if (r->global_depth >= 0) {
		if (d == r->global_depth + 1 && is_attribute_element(local))
			attribute(r, r->glob, false, nattrs, attrs);
		return;
	}
	if (r->trace_depth >= 0) {
		if (d == r->trace_depth + 1 && !strcmp(local, "event")) {
			r->event_depth = d;
			r->event_line = cur_line(r);
			slots_clear(r->ev);
		} else if (d == r->trace_depth + 1 && is_attribute_element(local)) {
			attribute(r, r->tr, true, nattrs, attrs);
		}
		return;
	}
	if (d == 1 && !strcmp(local, "trace")) {
		r->trace_depth = d;
		r->traces++;
		slots_clear(r->tr);
	} else if (d == 1 && !strcmp(local, "global")) {
		int i;

		for (i = 0; i < nattrs; i++) {
			const xmlChar **a = attrs + 5 * i;

			if (!a[2] && !strcmp((const char *)a[0], "scope") &&
			    a[4] - a[3] == 5 && !memcmp(a[3], "event", 5))
				r->global_depth = d;
		}
	} else if (d == 1 && !strcmp(local, "event")) {
		/* an event outside any trace: its own case attribute, if any */
		r->event_depth = d;
		r->event_line = cur_line(r);
		slots_clear(r->ev);
		slots_clear(r->tr);
	}
}

static void
end_event(struct xrd *r)
{
	struct ev_raw raw;
	const char *v[EVK_COUNT_];
	int k;

	for (k = 0; k < EVK_COUNT_; k++)
		v[k] = slot_val(&r->ev[k]) ? slot_val(&r->ev[k]) : slot_val(&r->glob[k]);
	raw.cs = slot_val(&r->tr[EVK_CASE]) ? slot_val(&r->tr[EVK_CASE]) : v[EVK_CASE];
	raw.act = v[EVK_ACT];
	raw.time = v[EVK_TIME];
	raw.start = v[EVK_START];
	raw.life = v[EVK_LIFE];
	raw.inst = v[EVK_INST];
	raw.res = v[EVK_RES];
	raw.role = v[EVK_ROLE];
	raw.group = v[EVK_GROUP];
	raw.line = r->event_line;
	if (evlog_add(&r->el, &raw) != STATUS_OK)
		stopf(r, STATUS_NOMEM, "%s: out of memory", r->el.file);
}

static void
sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	struct xrd *r = ctx;
	int d = --r->depth;

	(void)localname;
	(void)prefix;
	(void)uri;
	if (r->stop)
		return;
	if (d == r->event_depth) {
		end_event(r);
		r->event_depth = -1;
	} else if (d == r->trace_depth) {
		r->trace_depth = -1;
	} else if (d == r->global_depth) {
		r->global_depth = -1;
	}
}

static void
sax_doctype(void *ctx, const xmlChar *name, const xmlChar *external, const xmlChar *system)
{
	struct xrd *r = ctx;

	(void)name;
	(void)external;
	(void)system;
	stopf(r, STATUS_INPUT, "%s:%u: a document type declaration (<!DOCTYPE): refused, an "
	      "XES file has none and it is how entity bombs and external entities arrive",
	      r->el.file, cur_line(r));
}

static void
on_xml_error(void *arg, xmlErrorPtr e)
{
	struct xrd *r = arg;
	char msg[512];
	size_t n;

	if (!e || e->level == XML_ERR_WARNING)
		return;
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (!strncmp(msg, "Excessive depth", 15))
		snprintf(msg, sizeof msg, "elements nested too deep: refused");
	if (r->xml_errors++ == 0)
		snprintf(r->xml_msg, sizeof r->xml_msg, "%s:%d: not well-formed XML: %s",
		         r->el.file, e->line, msg);
}

/* Read, scan and parse the whole file. */
static enum status
parse(struct xrd *r, gzFile gz, struct err *err)
{
	struct xml_scanner sc = { .max_attrs = XES_MAX_ATTRIBUTES };
	char *buf = malloc(CHUNK);
	unsigned lines = 1;
	int n;

	if (!buf)
		return err_set(err, STATUS_NOMEM, "out of memory");
	for (;;) {
		n = gzread(gz, buf, CHUNK);
		if (n < 0) {
			int code;
			const char *m = gzerror(gz, &code);

			free(buf);
			return err_set(err, STATUS_INPUT, "%s: cannot read: %s", r->el.file,
			               code == Z_ERRNO ? strerror(errno) : m);
		}
		if (n > 0 && !xml_scan(&sc, buf, (size_t)n)) {
			size_t i;

			for (i = 0; i < sc.at; i++)
				lines += buf[i] == '\n';
			free(buf);
			if (!strcmp(sc.tripped, "too many attributes"))
				return err_set(err, STATUS_INPUT, "%s:%u: a start tag with more than %d "
				               "attributes: refused", r->el.file, lines, XES_MAX_ATTRIBUTES);
			return err_set(err, STATUS_INPUT, "%s:%u: a document type declaration "
			               "(<!DOCTYPE): refused, an XES file has none and it is how entity "
			               "bombs and external entities arrive", r->el.file, lines);
		}
		if (n > 0) {
			const char *p = buf, *end = buf + n;

			while ((p = memchr(p, '\n', (size_t)(end - p))))
				lines++, p++;
		}
		xmlParseChunk(r->ctxt, buf, n, n == 0);
		if (r->stop || r->xml_errors || n == 0)
			break;
	}
	free(buf);
	if (!gzeof(gz) && !r->stop && !r->xml_errors) {
		int code;

		return err_set(err, STATUS_INPUT, "%s: cannot read: %s", r->el.file,
		               gzerror(gz, &code));
	}
	if (r->stop)
		return err_set(err, r->stop_err.code, "%s", r->stop_err.msg);
	if (r->xml_errors)
		return err_set(err, STATUS_INPUT, "%s", r->xml_msg);
	if (!r->ctxt->wellFormed)
		return err_set(err, STATUS_INPUT, "%s: not well-formed XML", r->el.file);
	if (!r->saw_log)
		return err_set(err, STATUS_INPUT, "%s: empty: no XML element", r->el.file);
	return STATUS_OK;
}

enum status
xes_read(const char *path, const struct evlog_options *opt, struct sink *sink, struct err *err)
{
	struct xrd *r = calloc(1, sizeof *r);
	struct xml_guard g = { 0 };
	enum status st;
	gzFile gz;
	int k;

	if (!r)
		return err_set(err, STATUS_NOMEM, "out of memory");
	evlog_init(&r->el, path, opt, sink);
	r->trace_depth = r->event_depth = r->global_depth = -1;
	slots_clear(r->ev);
	slots_clear(r->tr);
	slots_clear(r->glob);
	{
		struct err e = { 0 };
		/* a FIFO or a device is refused, never waited on */
		int fd = file_open_read(path, NULL, NULL, &e);

		if (fd < 0) {
			free(r);
			return err_set(err, e.code, "%s", e.msg);
		}
		if (!(gz = gzdopen(fd, "rb"))) {
			close(fd);
			free(r);
			return err_set(err, STATUS_NOMEM, "%s: out of memory", path);
		}
	}
	gzbuffer(gz, CHUNK);
	g.file = r->el.file;
	g.what = "an XES file";
	g.errors = &r->xml_errors;
	g.msg = r->xml_msg;
	g.msgsize = sizeof r->xml_msg;
	xml_guard_begin(&g, on_xml_error, r);
	{
		xmlSAXHandler h;

		memset(&h, 0, sizeof h);
		h.initialized = XML_SAX2_MAGIC;
		h.startElementNs = sax_start;
		h.endElementNs = sax_end;
		h.internalSubset = sax_doctype;
		h.externalSubset = sax_doctype;
		h.serror = on_xml_error;
		/* no getEntity or entityDecl: only the five predefined entities exist */
		r->ctxt = xmlCreatePushParserCtxt(&h, r, NULL, 0, path);
	}
	if (!r->ctxt) {
		st = err_set(err, STATUS_NOMEM, "%s: cannot start the XML parser", path);
	} else {
		xmlCtxtUseOptions(r->ctxt, XML_GUARD_OPTIONS);
		st = parse(r, gz, err);
	}
	if (r->ctxt) {
		if (r->ctxt->myDoc)
			xmlFreeDoc(r->ctxt->myDoc);
		xmlFreeParserCtxt(r->ctxt);
		r->ctxt = NULL;
	}
	xml_guard_end(&g);
	gzclose(gz);
	for (k = 0; k < EVK_COUNT_; k++) {
		free(r->ev[k].s);
		free(r->tr[k].s);
		free(r->glob[k].s);
	}
	if (st == STATUS_OK)
		st = evlog_build(&r->el, err);
	evlog_done(&r->el);
	free(r);
	if (st == STATUS_OK && sink->ops->end)
		st = sink->ops->end(sink->ctx, err);
	return st;
}
