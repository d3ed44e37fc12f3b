/*
 * xmlscan.c - the raw-byte guard of the XML readers (see xmlscan.h).
 */
#include <stdio.h>
#include <string.h>


#include "import/xmlscan.h"

/*
 * The scanner: advance over n raw bytes. Counts the attributes of each start
 * tag (one per quoted value) and stops at a document type declaration.
 * Returns false when the read must stop (sc->tripped says why).
 */
bool
xml_scan(struct xml_scanner *sc, const char *p, size_t n)
{
	const char *end = p + n, *q;
	static const char cdata[] = "[CDATA[";

	while (p < end) {
		switch (sc->st) {
		case XSC_TEXT:
			q = memchr(p, '<', (size_t)(end - p));
			if (!q)
				return true;
			p = q + 1;
			sc->st = XSC_LT;
			continue;
		case XSC_LT:
			if (*p == '!') {
				sc->st = XSC_BANG;
				p++;
			} else if (*p == '?') {
				sc->st = XSC_PI;
				sc->k = 0;
				p++;
			} else if (*p == '/') {
				sc->st = XSC_END_TAG;
				p++;
			} else {
				sc->st = XSC_TAG;
				sc->attrs = 0;
			}
			continue;
		case XSC_TAG:
			for (; p < end; p++) {
				if (*p == '"' || *p == '\'') {
					if (++sc->attrs > sc->max_attrs) {
						sc->tripped = "too many attributes";
						sc->at = (size_t)(p - (end - n));
						return false;
					}
					sc->st = *p == '"' ? XSC_DQ : XSC_SQ;
					p++;
					break;
				}
				if (*p == '>') {
					sc->st = XSC_TEXT;
					p++;
					break;
				}
			}
			continue;
		case XSC_DQ:
		case XSC_SQ:
			q = memchr(p, sc->st == XSC_DQ ? '"' : '\'', (size_t)(end - p));
			if (!q)
				return true;
			p = q + 1;
			sc->st = XSC_TAG;
			continue;
		case XSC_END_TAG:
			q = memchr(p, '>', (size_t)(end - p));
			if (!q)
				return true;
			p = q + 1;
			sc->st = XSC_TEXT;
			continue;
		case XSC_PI:
			for (; p < end; p++) {
				if (*p == '>' && sc->k) {
					sc->st = XSC_TEXT;
					p++;
					break;
				}
				sc->k = *p == '?';
			}
			continue;
		case XSC_BANG:
			if (*p == '-') {
				sc->st = XSC_BANG_DASH;
			} else if (*p == '[') {
				sc->st = XSC_BANG_CDATA;
				sc->k = 1;
			} else {
				sc->tripped = "document type declaration";
				sc->at = (size_t)(p - (end - n));
				return false;
			}
			p++;
			continue;
		case XSC_BANG_DASH:
			sc->st = *p == '-' ? XSC_COMMENT : XSC_TEXT;
			sc->k = 0;
			p++;
			continue;
		case XSC_BANG_CDATA:
			if (*p != cdata[sc->k]) {
				sc->st = XSC_TEXT; /* not well-formed: libxml2 says so */
				continue;
			}
			p++;
			if (!cdata[++sc->k]) {
				sc->st = XSC_CDATA;
				sc->k = 0;
			}
			continue;
		case XSC_COMMENT:
		case XSC_CDATA: {
			char mark = sc->st == XSC_COMMENT ? '-' : ']';

			for (; p < end; p++) {
				if (*p == '>' && sc->k >= 2) {
					sc->st = XSC_TEXT;
					p++;
					break;
				}
				sc->k = *p == mark ? sc->k + 1 : 0;
			}
			continue;
		}
		}
	}
	return true;
}

/* --- libxml2's global handlers during a read ------------------------------ */

static struct xml_guard *active_guard;

static void
guard_note(const char *fmt, const char *a, const char *b)
{
	struct xml_guard *g = active_guard;

	if (g && (*g->errors)++ == 0)
		snprintf(g->msg, g->msgsize, fmt, g->file, a, b);
}

static void
on_generic_error(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
	guard_note("%s: XML error (reported outside the parser)%s%s", "", "");
}

static xmlParserInputPtr
refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)ctxt;
	guard_note("%s: refused to load the external resource '%s': %s is read on its own",
	           url ? url : id ? id : "?", active_guard ? active_guard->what : "the file");
	return NULL;
}

void
xml_guard_begin(struct xml_guard *g, xmlStructuredErrorFunc serror, void *sctx)
{
	xmlInitParser();
	g->loader = xmlGetExternalEntityLoader();
	g->serror = xmlStructuredError;
	g->sctx = xmlStructuredErrorContext;
	g->generic = xmlGenericError;
	g->gctx = xmlGenericErrorContext;
	active_guard = g;
	xmlSetExternalEntityLoader(refuse_entity);
	xmlSetStructuredErrorFunc(sctx, serror);
	xmlSetGenericErrorFunc(NULL, on_generic_error);
}

void
xml_guard_end(struct xml_guard *g)
{
	xmlSetExternalEntityLoader(g->loader);
	xmlSetStructuredErrorFunc(g->sctx, g->serror);
	xmlSetGenericErrorFunc(g->gctx, g->generic);
	active_guard = NULL;
}
