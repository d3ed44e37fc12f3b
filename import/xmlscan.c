/*
 * xmlscan.c - the raw-byte guard of the XML readers (see xmlscan.h).
 */
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
