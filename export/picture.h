/*
 * picture.h - pictures of a process drawn with cairo and pango: the service
 * blueprint and the charts, as SVG, PNG or PDF from one drawing code.
 *
 * The blueprint (export/picture_blueprint.c): lanes as horizontal bands
 * grouped by stage, customer on top; the line of interaction, the line of
 * visibility and the line of internal interaction drawn and named between
 * the stages; every step a box in flow order (one column a step), its whole
 * name wrapped by pango, its number, type and times, manual steps filled and
 * marked in words, pain points framed in red and marked, decisions listing
 * their branches with percentages; flows as orthogonal lines in the channels
 * between columns and the corridors above (forward) and below (loops) each
 * band's boxes, hand-offs thick and orange, loops dashed. With a scenario the
 * baseline is drawn with the scenario's difference marked (removed steps
 * struck through, automated, moved, merged, parallel and changed steps
 * tagged). A long process breaks into rows (SVG, PNG) or pages (PDF, A4 or
 * A3 landscape) as wide as the paper; a flow to a step in another row is
 * written in its box ("→ #37, row 5").
 *
 * The charts (export/chart.c) share the style: the simulated distribution
 * of each measure, baseline against scenario; the golden thread (customer-
 * clock measures against process-clock ones); where the time goes (work and
 * wait by lane and by stage, simulated); the customer's emotion along the
 * journey.
 *
 * Units are points (1/72 inch); a PNG is drawn at dpi/72 pixels a point and
 * carries its resolution in a pHYs chunk.
 */
#ifndef STEPMAP_EXPORT_PICTURE_H
#define STEPMAP_EXPORT_PICTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model/model.h"
#include "model/sim.h"

enum pic_format { PIC_SVG, PIC_PNG, PIC_PDF };

/* _(NAME, keyword, width, height in points, landscape) */
#define PIC_PAPER_INFO(_) \
	_(A4, "a4", 841.89, 595.28) \
	_(A3, "a3", 1190.55, 841.89)

enum pic_paper {
#define PIC_PAPER_ENUM_(name, kw, w, h) PIC_PAPER_##name,
	PIC_PAPER_INFO(PIC_PAPER_ENUM_)
#undef PIC_PAPER_ENUM_
	PIC_PAPER_COUNT_
};
/* -1 when unknown (case-insensitive). */
int pic_paper_parse(const char *s);

/* _(NAME, keyword, title) : what a picture shows */
#define PIC_KIND_INFO(_) \
	_(BLUEPRINT, "blueprint", "Service blueprint") \
	_(DIST,      "distribution", "Each measure, simulated: baseline against scenario") \
	_(THREAD,    "thread",    "The golden thread: the customer's clock against the process's") \
	_(TIME,      "time",      "Where the time goes: work and wait by lane and by stage") \
	_(EMOTION,   "emotion",   "The customer's emotion along the journey")

enum pic_kind {
#define PIC_KIND_ENUM_(name, kw, title) PIC_##name,
	PIC_KIND_INFO(PIC_KIND_ENUM_)
#undef PIC_KIND_ENUM_
	PIC_KIND_COUNT_
};
int pic_kind_parse(const char *s);
const char *pic_kind_name(enum pic_kind k);
const char *pic_kind_title(enum pic_kind k);

#define PIC_DEFAULT_DPI 96.0
#define PIC_MAX_DPI 1200.0

struct pic_opts {
	enum pic_format format;
	enum pic_paper paper;        /* the page (PDF) or row (SVG, PNG) width */
	double dpi;                  /* PNG only; <= 0: PIC_DEFAULT_DPI */
};

/* --- geometry: what the drawing code reports of what it drew ------------- */

/* _(NAME, keyword) */
#define GEO_KIND_INFO(_) \
	_(STEP,  "step") \
	_(LABEL, "label") \
	_(EDGE,  "edge") \
	_(BAND,  "band") \
	_(LINE,  "line")

enum geo_kind {
#define GEO_KIND_ENUM_(name, kw) GEO_##name,
	GEO_KIND_INFO(GEO_KIND_ENUM_)
#undef GEO_KIND_ENUM_
	GEO_KIND_COUNT_
};

/*
 * One thing drawn, in the points of its page (before any scaling to fit):
 * STEP a step's box (ref: the step's index); LABEL a text outside any box
 * (title, legend, lane headers, names of the lines); EDGE one straight
 * segment of a flow from (x, y) to (x + w, y + h), horizontal or vertical
 * (ref: the source step's index, ref2 the target's); BAND a lane's band in
 * one row (ref: lane index, nlanes for "no lane"); LINE one of the stage
 * lines (ref: the stage below it).
 */
struct geo_item {
	enum geo_kind kind;
	size_t page;                 /* PDF page; 0 for SVG and PNG */
	double x, y, w, h;
	size_t ref, ref2;
};

struct geo_list {
	struct geo_item *v;
	size_t n, cap;
};

void geo_list_done(struct geo_list *g);

/*
 * Check g as the blueprint promises: on each page no two step boxes
 * overlap, no label overlaps another label or a step box, and no edge
 * segment passes through the inside of a step box. Returns the number of
 * faults; the first is described in msg (when msg is not NULL).
 */
size_t geo_check(const struct geo_list *g, char *msg, size_t size);

/* --- the blueprint -------------------------------------------------------- */

/*
 * Lay out and draw the blueprint of p (with sc not NULL: the baseline p
 * marked with the difference sc makes) to f in o's format. When geo is not
 * NULL it receives every box, label and segment drawn (the caller releases
 * it with geo_list_done). Errors: STATUS_INPUT when a PNG would be larger
 * than cairo can make (err says by how much and suggests SVG or PDF);
 * STATUS_IO when f fails; STATUS_NOMEM. On error part of f may be written
 * (write through a temporary file).
 */
enum status blueprint_write(FILE *f, const struct process *p, const struct scenario *sc,
                            const struct pic_opts *o, struct geo_list *geo,
                            struct err *err);

/* --- the charts ----------------------------------------------------------- */

/*
 * What the charts draw from: the baseline, optionally one scenario of it
 * (its derived process), and their simulation results (NULL: not
 * simulated; the simulated charts then say so). The derived process and the
 * results are the caller's.
 */
struct chart_data {
	const struct process *base;
	const struct scenario *sc;        /* NULL: baseline only */
	const struct process *derived;    /* sc applied; NULL with sc NULL */
	const struct sim_result *sim_base;
	const struct sim_result *sim_sc;
};

/*
 * Draw chart `kind` (not PIC_BLUEPRINT) of d to f in o's format (one page).
 * Errors as blueprint_write().
 */
enum status chart_write(FILE *f, enum pic_kind kind, const struct chart_data *d,
                        const struct pic_opts *o, struct err *err);

/*
 * The golden thread's pairs: each customer-clock measure of p with the
 * process-clock measure whose span of steps overlaps it most (none: -1).
 * pair[i] is for p->measures[i] (customer ones only; -1 for the others);
 * the caller frees it. NULL when out of memory. Kept apart so another
 * pairing (model/figures.c's, when it has one) can take its place.
 */
long *chart_thread_pairs(const struct process *p);

#endif
