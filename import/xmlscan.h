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

#endif
