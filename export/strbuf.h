/*
 * strbuf.h - a growing buffer of bytes, kept NUL-terminated, for the
 * writers that build text (or a PNG) before it goes to the file.
 *
 * A zeroed struct strbuf is empty and ready. Out of memory sets `failed`,
 * after which every append does nothing: the writer checks it once at the
 * end. strbuf_done() frees and empties it.
 */
#ifndef STEPMAP_EXPORT_STRBUF_H
#define STEPMAP_EXPORT_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s;                     /* NULL until the first append */
	size_t n, cap;
	bool failed;                 /* out of memory: the content is cut short */
};

/* Append n bytes of s (any bytes; a NUL follows them). */
void strbuf_add(struct strbuf *b, const void *s, size_t n);
/* Append a string. */
void strbuf_str(struct strbuf *b, const char *s);
/* Append printf-style. */
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empty it, keeping its memory (s is "" when anything was ever added). */
void strbuf_clear(struct strbuf *b);
void strbuf_done(struct strbuf *b);

#endif
