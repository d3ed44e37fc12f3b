/*
 * picture_int.h - what the picture writers share (export/picture*.c,
 * export/chart.c, export/readout.c): the document a picture is drawn into
 * (one cairo surface of the chosen format, written to a FILE), text laid out
 * by pango in one resolution-independent context, and the house style's
 * colours and fonts. Private to export/.
 */
#ifndef STEPMAP_EXPORT_PICTURE_INT_H
#define STEPMAP_EXPORT_PICTURE_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "export/picture.h"
#include "export/strbuf.h"

/* Fonts (pango descriptions) and the colours of the house style. */
#define PIC_FONT "DejaVu Sans"
#define PIC_FONT_NAME PIC_FONT " Bold 7"
#define PIC_FONT_SMALL PIC_FONT " 5.5"
#define PIC_FONT_TEXT PIC_FONT " 7"
#define PIC_FONT_HEAD PIC_FONT " Bold 7.5"
#define PIC_FONT_TITLE PIC_FONT " Bold 11"

struct pic_rgb {
	double r, g, b;
};

extern const struct pic_rgb pic_ink, pic_grey, pic_light, pic_handoff, pic_pain,
	pic_manual, pic_base_col, pic_scen_col, pic_stage_fill[STAGE_COUNT_ + 1];

void pic_set_rgb(cairo_t *cr, struct pic_rgb c);

/* The document: a surface of one format writing to f. */
struct pic_doc {
	enum pic_format format;
	FILE *f;
	cairo_surface_t *surface;
	cairo_t *cr;
	double scale;                /* pixels a point (PNG); 1 otherwise */
	bool write_failed;
};

/*
 * Open a document of w x h points (the first page for PDF) writing to f.
 * A PNG larger than cairo can make is STATUS_INPUT with err saying so.
 */
enum status pic_doc_open(struct pic_doc *d, FILE *f, const struct pic_opts *o, double w,
                         double h, struct err *err);
/* PDF: end this page and start one of w x h points. */
void pic_doc_page(struct pic_doc *d, double w, double h);
/* Finish and write everything (the PNG with its pHYs chunk); the document
 * is released either way. */
enum status pic_doc_close(struct pic_doc *d, const struct pic_opts *o, struct err *err);

/*
 * Text: one pango context for measuring and drawing (72 dots an inch, no
 * hinting, so a layout measures the same in every format and at every
 * scale). pic_text_layout() returns a new layout of text (pango markup when
 * markup), wrapped at width points (<= 0: no wrapping) in font; the caller
 * unrefs it. pic_text_size() measures in points.
 */
PangoContext *pic_text_context(void);
PangoLayout *pic_text_layout(PangoContext *pc, const char *text, bool markup,
                             const char *font, double width);
void pic_text_size(PangoLayout *l, double *w, double *h);
/* Draw l with its top left corner at (x, y) in colour c. */
void pic_text_draw(cairo_t *cr, PangoLayout *l, double x, double y, struct pic_rgb c);
/* Measure or draw in one call: the size of text in points. */
void pic_text_measure(PangoContext *pc, const char *text, bool markup, const char *font,
                      double width, double *w, double *h);
void pic_text_at(cairo_t *cr, PangoContext *pc, const char *text, bool markup,
                 const char *font, double width, double x, double y, struct pic_rgb c);

/* Append text escaped for pango markup (invalid UTF-8 replaced). */
void pic_buf_escape(struct strbuf *b, const char *s);

/* Append one item to g (false when out of memory). */
bool geo_add(struct geo_list *g, enum geo_kind kind, size_t page, double x, double y,
             double w, double h, size_t ref, size_t ref2);

/* A time as text in unit u (duration_show): "1h30m", to the second (to a
 * tenth under a minute); "not reached" for NAN (a measure whose end is
 * never reached), "never ends" for infinity (a loop always taken). */
char *pic_duration(double seconds, enum time_unit u, char *buf, size_t size);

#endif
