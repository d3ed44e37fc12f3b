/*
 * picture.c - what every picture shares: the document (a cairo surface of
 * SVG, PDF or PNG written to a FILE), pango text in one context, the house
 * style's colours, the geometry list and its check, and the PNG's pHYs chunk
 * (cairo writes none, so the resolution asked for is added here).
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "export/picture_int.h"

const struct pic_rgb pic_ink = { 0.13, 0.14, 0.16 };
const struct pic_rgb pic_grey = { 0.45, 0.47, 0.50 };
const struct pic_rgb pic_light = { 0.80, 0.82, 0.85 };
const struct pic_rgb pic_handoff = { 0.85, 0.42, 0.05 };
const struct pic_rgb pic_pain = { 0.80, 0.10, 0.12 };
const struct pic_rgb pic_manual = { 1.00, 0.93, 0.70 };
const struct pic_rgb pic_base_col = { 0.45, 0.55, 0.68 };
const struct pic_rgb pic_scen_col = { 0.10, 0.55, 0.35 };
/* band fills by stage; the last for steps with no lane */
const struct pic_rgb pic_stage_fill[STAGE_COUNT_ + 1] = {
	{ 0.90, 0.95, 1.00 }, { 0.92, 0.98, 0.92 }, { 0.96, 0.96, 0.96 },
	{ 0.95, 0.93, 0.99 }, { 1.00, 1.00, 1.00 },
};

void
pic_set_rgb(cairo_t *cr, struct pic_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

int
pic_paper_parse(const char *s)
{
	static const char *names[] = {
#define PIC_PAPER_NAME_(name, kw, w, h) kw,
		PIC_PAPER_INFO(PIC_PAPER_NAME_)
#undef PIC_PAPER_NAME_
	};
	size_t i;

	for (i = 0; s && i < PIC_PAPER_COUNT_; i++)
		if (!strcasecmp(s, names[i]))
			return (int)i;
	return -1;
}

static const struct {
	const char *kw, *title;
} kinds[] = {
#define PIC_KIND_ROW_(name, kw, title) { kw, title },
	PIC_KIND_INFO(PIC_KIND_ROW_)
#undef PIC_KIND_ROW_
};

int
pic_kind_parse(const char *s)
{
	size_t i;

	for (i = 0; s && i < PIC_KIND_COUNT_; i++)
		if (!strcasecmp(s, kinds[i].kw))
			return (int)i;
	return -1;
}

const char *
pic_kind_name(enum pic_kind k)
{
	return (unsigned)k < PIC_KIND_COUNT_ ? kinds[k].kw : "?";
}

const char *
pic_kind_title(enum pic_kind k)
{
	return (unsigned)k < PIC_KIND_COUNT_ ? kinds[k].title : "?";
}

char *
pic_duration(double seconds, enum time_unit u, char *buf, size_t size)
{
	if (isnan(seconds)) {
		snprintf(buf, size, "not reached");
		return buf;
	}
	if (isinf(seconds)) {
		snprintf(buf, size, "never ends");
		return buf;
	}
	/* the rounding is auto's; a unit of its own rounds the time itself */
	if (u != TIME_UNIT_AUTO)
		return duration_show(seconds, u, buf, size);
	if (seconds >= 60)
		seconds = round(seconds);
	else
		seconds = round(seconds * 10) / 10;
	return duration_show(seconds, u, buf, size);
}

/* --- text ------------------------------------------------------------------ */

PangoContext *
pic_text_context(void)
{
	PangoFontMap *fm = pango_cairo_font_map_get_default();
	PangoContext *pc = pango_font_map_create_context(fm);
	cairo_font_options_t *fo = cairo_font_options_create();

	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(pc, fo);
	pango_cairo_context_set_resolution(pc, 72);
	cairo_font_options_destroy(fo);
	return pc;
}

PangoLayout *
pic_text_layout(PangoContext *pc, const char *text, bool markup, const char *font,
                double width)
{
	PangoLayout *l = pango_layout_new(pc);
	PangoFontDescription *fd = pango_font_description_from_string(font);

	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	if (markup)
		pango_layout_set_markup(l, text, -1);
	else
		pango_layout_set_text(l, text, -1);
	{
		/* a name broken inside a word gets no hyphen it does not have */
		PangoAttrList *al = pango_layout_get_attributes(l);

		al = al ? pango_attr_list_copy(al) : pango_attr_list_new();
		pango_attr_list_insert(al, pango_attr_insert_hyphens_new(FALSE));
		pango_layout_set_attributes(l, al);
		pango_attr_list_unref(al);
	}
	return l;
}

void
pic_text_size(PangoLayout *l, double *w, double *h)
{
	PangoRectangle ink, logical;

	pango_layout_get_extents(l, &ink, &logical);
	*w = (double)logical.width / PANGO_SCALE;
	*h = (double)logical.height / PANGO_SCALE;
}

void
pic_text_draw(cairo_t *cr, PangoLayout *l, double x, double y, struct pic_rgb c)
{
	cairo_save(cr);
	pic_set_rgb(cr, c);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	cairo_restore(cr);
}

void
pic_text_measure(PangoContext *pc, const char *text, bool markup, const char *font,
                 double width, double *w, double *h)
{
	PangoLayout *l = pic_text_layout(pc, text, markup, font, width);

	pic_text_size(l, w, h);
	g_object_unref(l);
}

void
pic_text_at(cairo_t *cr, PangoContext *pc, const char *text, bool markup, const char *font,
            double width, double x, double y, struct pic_rgb c)
{
	PangoLayout *l = pic_text_layout(pc, text, markup, font, width);

	pic_text_draw(cr, l, x, y, c);
	g_object_unref(l);
}

/* --- buffers ----------------------------------------------------------------- */

/* Markup-escaped, and invalid UTF-8 replaced (pango refuses it). */
void
pic_buf_escape(struct strbuf *b, const char *s)
{
	const char *p, *end;

	if (!s)
		return;
	p = s;
	end = s + strlen(s);
	while (p < end) {
		const char *bad;

		if (g_utf8_validate(p, end - p, &bad)) {
			bad = end;
		}
		while (p < bad) {
			const char *rep = NULL;

			switch (*p) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			default: break;
			}
			if (rep)
				strbuf_add(b, rep, strlen(rep));
			else
				strbuf_add(b, p, 1);
			p++;
		}
		if (p < end) {
			strbuf_add(b, "\xef\xbf\xbd", 3);
			p++;
		}
	}
}

/* --- geometry ---------------------------------------------------------------- */

bool
geo_add(struct geo_list *g, enum geo_kind kind, size_t page, double x, double y, double w,
        double h, size_t ref, size_t ref2)
{
	if (!g)
		return true;
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;
		struct geo_item *v = realloc(g->v, cap * sizeof *v);

		if (!v)
			return false;
		g->v = v;
		g->cap = cap;
	}
	g->v[g->n++] = (struct geo_item){ kind, page, x, y, w, h, ref, ref2 };
	return true;
}

void
geo_list_done(struct geo_list *g)
{
	free(g->v);
	memset(g, 0, sizeof *g);
}

/* Open interiors intersect (a small tolerance for touching borders). */
static bool
rects_overlap(const struct geo_item *a, const struct geo_item *b)
{
	const double eps = 0.01;

	return a->x + eps < b->x + b->w && b->x + eps < a->x + a->w &&
	       a->y + eps < b->y + b->h && b->y + eps < a->y + a->h;
}

/* Does the segment of e pass through the inside of box r? */
static bool
segment_crosses(const struct geo_item *e, const struct geo_item *r)
{
	const double eps = 0.01;
	double x0 = fmin(e->x, e->x + e->w), x1 = fmax(e->x, e->x + e->w);
	double y0 = fmin(e->y, e->y + e->h), y1 = fmax(e->y, e->y + e->h);

	return x0 < r->x + r->w - eps && x1 > r->x + eps && y0 < r->y + r->h - eps &&
	       y1 > r->y + eps;
}

static int
geo_cmp(const void *pa, const void *pb)
{
	const struct geo_item *const *a = pa, *const *b = pb;

	if ((*a)->page != (*b)->page)
		return (*a)->page < (*b)->page ? -1 : 1;
	if ((*a)->x != (*b)->x)
		return (*a)->x < (*b)->x ? -1 : 1;
	return 0;
}

static const char *
geo_kind_name(enum geo_kind k)
{
	static const char *names[] = {
#define GEO_KIND_NAME_(name, kw) kw,
		GEO_KIND_INFO(GEO_KIND_NAME_)
#undef GEO_KIND_NAME_
	};
	return (unsigned)k < GEO_KIND_COUNT_ ? names[k] : "?";
}

/*
 * A sweep by page and left edge: each item is compared with the ones whose
 * x range it can meet, so a page of many columns costs near its items, not
 * their square.
 */
size_t
geo_check(const struct geo_list *g, char *msg, size_t size)
{
	const struct geo_item **v;
	size_t n = 0, i, j, faults = 0;
	double maxw = 0;

	if (msg && size)
		msg[0] = '\0';
	if (!(v = malloc((g->n ? g->n : 1) * sizeof *v)))
		return 1;
	for (i = 0; i < g->n; i++) {
		const struct geo_item *it = &g->v[i];

		if (it->kind == GEO_STEP || it->kind == GEO_LABEL || it->kind == GEO_EDGE) {
			v[n++] = it;
			if (fabs(it->w) > maxw)
				maxw = fabs(it->w);
		}
	}
	qsort(v, n, sizeof *v, geo_cmp);
	for (i = 0; i < n; i++) {
		const struct geo_item *a = v[i];

		for (j = i + 1; j < n; j++) {
			const struct geo_item *b = v[j];
			const struct geo_item *e = NULL, *r = NULL;
			bool bad = false;

			if (b->page != a->page || b->x > a->x + 2 * maxw + 1)
				break;
			if (a->kind == GEO_EDGE && b->kind == GEO_EDGE)
				continue;
			if (a->kind == GEO_EDGE || b->kind == GEO_EDGE) {
				e = a->kind == GEO_EDGE ? a : b;
				r = a->kind == GEO_EDGE ? b : a;
				if (r->kind == GEO_STEP)
					bad = segment_crosses(e, r);
				else
					continue;
			} else {
				bad = rects_overlap(a, b);
			}
			if (bad) {
				if (!faults && msg && size) {
					snprintf(msg, size,
					         "page %zu: %s %zu at %.1f,%.1f %.1fx%.1f and %s %zu at "
					         "%.1f,%.1f %.1fx%.1f", a->page, geo_kind_name(a->kind),
					         a->ref, a->x, a->y, a->w, a->h, geo_kind_name(b->kind),
					         b->ref, b->x, b->y, b->w, b->h);
				}
				faults++;
			}
		}
	}
	free(v);
	return faults;
}

/* --- the document ------------------------------------------------------------ */

static cairo_status_t
write_to_file(void *closure, const unsigned char *data, unsigned int length)
{
	struct pic_doc *d = closure;

	if (length && fwrite(data, 1, length, d->f) != length) {
		d->write_failed = true;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* The largest side of a cairo image surface. */
#define PIC_PNG_MAX_PX 32767

enum status
pic_doc_open(struct pic_doc *d, FILE *f, const struct pic_opts *o, double w, double h,
             struct err *err)
{
	memset(d, 0, sizeof *d);
	d->format = o->format;
	d->f = f;
	d->scale = 1;
	switch (o->format) {
	case PIC_SVG:
		d->surface = cairo_svg_surface_create_for_stream(write_to_file, d, w, h);
		if (cairo_surface_status(d->surface) == CAIRO_STATUS_SUCCESS)
			cairo_svg_surface_restrict_to_version(d->surface, CAIRO_SVG_VERSION_1_1);
		break;
	case PIC_PDF:
		d->surface = cairo_pdf_surface_create_for_stream(write_to_file, d, w, h);
		break;
	case PIC_PNG: {
		double dpi = o->dpi > 0 ? o->dpi : PIC_DEFAULT_DPI;
		double pw, ph;

		d->scale = dpi / 72.0;
		pw = ceil(w * d->scale);
		ph = ceil(h * d->scale);
		if (pw > PIC_PNG_MAX_PX || ph > PIC_PNG_MAX_PX)
			return err_set(err, STATUS_INPUT,
			               "the picture would be %.0f x %.0f pixels at %g dpi; a PNG can "
			               "be at most %d on a side: use SVG or PDF, a lower --dpi, or "
			               "one process (-p)", pw, ph, dpi, PIC_PNG_MAX_PX);
		d->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)pw, (int)ph);
		break;
	}
	}
	if (!d->surface || cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
		enum status st = err_set(err, STATUS_NOMEM, "cannot make the picture: %s",
		                         cairo_status_to_string(cairo_surface_status(d->surface)));

		cairo_surface_destroy(d->surface);
		d->surface = NULL;
		return st;
	}
	d->cr = cairo_create(d->surface);
	if (d->scale != 1)
		cairo_scale(d->cr, d->scale, d->scale);
	cairo_set_source_rgb(d->cr, 1, 1, 1);
	cairo_paint(d->cr);
	return STATUS_OK;
}

void
pic_doc_page(struct pic_doc *d, double w, double h)
{
	if (d->format != PIC_PDF)
		return;
	cairo_show_page(d->cr);
	cairo_pdf_surface_set_size(d->surface, w, h);
	cairo_set_source_rgb(d->cr, 1, 1, 1);
	cairo_paint(d->cr);
}

/* --- PNG with its resolution --------------------------------------------------- */

static cairo_status_t
write_to_mem(void *closure, const unsigned char *data, unsigned int length)
{
	struct strbuf *m = closure;

	strbuf_add(m, data, length);
	return m->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static uint32_t
crc32_png(const unsigned char *p, size_t n)
{
	static uint32_t table[256];
	static bool ready;
	uint32_t c = 0xffffffffu;
	size_t i;

	if (!ready) {
		for (i = 0; i < 256; i++) {
			uint32_t x = (uint32_t)i;
			int k;

			for (k = 0; k < 8; k++)
				x = x & 1 ? 0xedb88320u ^ (x >> 1) : x >> 1;
			table[i] = x;
		}
		ready = true;
	}
	for (i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static void
put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Write the PNG in m to f with a pHYs chunk (dots a metre) after IHDR. */
static enum status
png_write_phys(FILE *f, const struct strbuf *m, double dpi, struct err *err)
{
	/* signature (8) + IHDR chunk (4 length + 4 type + 13 data + 4 crc) */
	const size_t ihdr_end = 8 + 25;
	unsigned char chunk[21];
	uint32_t ppm = (uint32_t)lround(dpi / 0.0254);

	if (m->n < ihdr_end || memcmp(m->s + 12, "IHDR", 4) != 0)
		return err_set(err, STATUS_INTERNAL, "cairo wrote no PNG header");
	put_be32(chunk, 9);
	memcpy(chunk + 4, "pHYs", 4);
	put_be32(chunk + 8, ppm);
	put_be32(chunk + 12, ppm);
	chunk[16] = 1; /* the unit is the metre */
	put_be32(chunk + 17, crc32_png(chunk + 4, 13));
	if (fwrite(m->s, 1, ihdr_end, f) != ihdr_end || fwrite(chunk, 1, sizeof chunk, f) != sizeof chunk ||
	    fwrite(m->s + ihdr_end, 1, m->n - ihdr_end, f) != m->n - ihdr_end)
		return err_set(err, STATUS_IO, "cannot write");
	return STATUS_OK;
}

enum status
pic_doc_close(struct pic_doc *d, const struct pic_opts *o, struct err *err)
{
	enum status st = STATUS_OK;
	cairo_status_t cs;

	if (!d->surface)
		return STATUS_OK;
	if (d->format == PIC_PNG) {
		struct strbuf m = { 0 };

		cairo_surface_flush(d->surface);
		cs = cairo_surface_write_to_png_stream(d->surface, write_to_mem, &m);
		if (cs != CAIRO_STATUS_SUCCESS || m.failed)
			st = err_set(err, STATUS_NOMEM, "cannot make the PNG: %s", cairo_status_to_string(cs));
		else
			st = png_write_phys(d->f, &m, o->dpi > 0 ? o->dpi : PIC_DEFAULT_DPI, err);
		strbuf_done(&m);
	}
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surface);
	cs = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	d->surface = NULL;
	d->cr = NULL;
	if (st == STATUS_OK && (d->write_failed || ferror(d->f)))
		st = err_set(err, STATUS_IO, "cannot write");
	else if (st == STATUS_OK && cs != CAIRO_STATUS_SUCCESS)
		st = err_set(err, STATUS_INTERNAL, "cairo: %s", cairo_status_to_string(cs));
	return st;
}
