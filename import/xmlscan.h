/*
 * xmlscan.h - a guard run over the raw bytes of an XML file before libxml2
 * parses them (the BPMN and XES readers share it).
 *
 * A small state machine, fed chunk by chunk: it counts the attributes of
 * each start tag (one per quoted value; libxml2 2.9 takes quadratic time on
 * a tag with very many) and stops at a document type declaration (<!DOCTYPE:
 * how entity bombs and external entities arrive; neither BPMN nor XES has
 * one). Comments, CDATA sections and processing instructions are skipped.
 * A zeroed scanner with max_attrs set is ready.
 */
#ifndef STEPMAP_IMPORT_XMLSCAN_H
#define STEPMAP_IMPORT_XMLSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/parser.h>

enum xml_scan_state {
	XSC_TEXT, XSC_LT, XSC_TAG, XSC_DQ, XSC_SQ, XSC_END_TAG, XSC_PI, XSC_BANG, XSC_BANG_DASH,
	XSC_BANG_CDATA, XSC_COMMENT, XSC_CDATA
};

struct xml_scanner {
	enum xml_scan_state st;
	size_t attrs, max_attrs;
	int k;                       /* progress in a multi-byte marker */
	unsigned line;
	const char *tripped;         /* why the scan stopped the read, or NULL */
	size_t at;                   /* where, in the chunk */
};

/*
 * Advance over n raw bytes. Returns false when the read must stop:
 * sc->tripped says why ("too many attributes" or "document type
 * declaration") and sc->at is the offset in this chunk.
 */
bool xml_scan(struct xml_scanner *sc, const char *p, size_t n);

/*
 * libxml2's global handlers for the time of one read (they are global: one
 * read at a time): every external entity refused (a BPMN or XES file is read
 * on its own), the generic errors libxml2 reports outside the parser
 * counted, and the reader's own structured-error handler; the handlers that
 * were there before kept, and put back by xml_guard_end(). The reader's
 * count of XML errors and the first message (errors, msg) are where the
 * guard reports too: "FILE: refused to load the external resource 'URL':
 * WHAT is read on its own".
 */
struct xml_guard {
	const char *file;            /* in messages */
	const char *what;            /* "a BPMN file", "an XES file" */
	int *errors;
	char *msg;
	size_t msgsize;
	xmlExternalEntityLoader loader;
	xmlStructuredErrorFunc serror;
	void *sctx;
	xmlGenericErrorFunc generic;
	void *gctx;
};

void xml_guard_begin(struct xml_guard *g, xmlStructuredErrorFunc serror, void *sctx);
void xml_guard_end(struct xml_guard *g);

/* The parser options every reader uses: no network, and never NOENT,
 * DTDLOAD, DTDATTR, XINCLUDE or HUGE. */
#define XML_GUARD_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT)

#endif
