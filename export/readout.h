/*
 * readout.h - the document a consultant hands over: the process in numbers,
 * every scenario beside the baseline with its change, the measures on both
 * clocks, the worst hand-offs, waits and pain points by name, the
 * simulation's figures with their intervals and the number of cases behind
 * them, and the pictures (export/picture.h).
 *
 * HTML is one self-contained file: the pictures are SVG inline (their ids
 * made unique per picture), the style is in the file, nothing is fetched, and
 * a print style sheet lays it out on A4 or A3 landscape. Every figure of
 * `stepmap report --json` is in a table cell that also carries it exactly
 * (data-key, data-value: the JSON number), so a reader or a test can check
 * the readout against the report to the digit. Markdown has the same text
 * and tables and links its pictures, as SVG files, in a folder beside it.
 *
 * Expected figures come from model/figures.h; simulated ones from
 * model/sim.h with the options' cases and seed (the same seed for the
 * baseline and every scenario, so they see the same arrivals), each with its
 * 95 % interval and number of cases. A process that cannot be simulated gets
 * the simulator's message in place of the simulated figures.
 */
#ifndef STEPMAP_EXPORT_READOUT_H
#define STEPMAP_EXPORT_READOUT_H

#include <stdint.h>
#include <stdio.h>

#include "export/picture.h"
#include "model/model.h"

struct readout_opts {
	size_t cases;                /* 0: SIM_DEFAULT_CASES, fewer on a large
	                                process (at most 2e7 step visits a run) */
	uint64_t seed;
	enum pic_paper paper;
};

void readout_opts_init(struct readout_opts *o);

struct readout;

/*
 * Compute what a readout of base shows: its figures, each scenario's (only
 * sc when not NULL), the simulations. The pictures show sc, or the first
 * scenario when sc is NULL. *out is the caller's (readout_free). On error
 * (STATUS_NOMEM) *out is NULL and err says why; a simulation that cannot run
 * is not an error (the readout says why).
 */
enum status readout_new(const struct process *base, const struct scenario *sc,
                        const struct readout_opts *o, struct readout **out, struct err *err);
void readout_free(struct readout **r);

/* The whole readout as HTML or Markdown (assets: the folder, relative to the
 * Markdown file, that holds the pictures). STATUS_IO when f fails. */
enum status readout_html_write(FILE *f, const struct readout *r, struct err *err);
enum status readout_md_write(FILE *f, const struct readout *r, const char *assets,
                             struct err *err);

/*
 * The Markdown readout as files: PATH.md and its pictures in the folder
 * PATH.md.assets beside it (made when missing), each file written through
 * write_file (a function that writes a file whole or not at all, as
 * cli_write_atomic() does; pictures first, the text last). Errors as
 * write_file gives them, or STATUS_IO when the folder cannot be made.
 */
typedef enum status (*readout_write_file_fn)(const char *path,
                                             enum status (*write_fn)(FILE *f, void *ctx,
                                                                     struct err *err),
                                             void *ctx, struct err *err);
enum status readout_md_files(const char *path, const struct readout *r,
                             readout_write_file_fn write_file, struct err *err);

/* The pictures Markdown links: their number, file names ("blueprint.svg"),
 * and each written as SVG to f. */
size_t readout_nassets(const struct readout *r);
const char *readout_asset_name(const struct readout *r, size_t k);
enum status readout_asset_write(FILE *f, const struct readout *r, size_t k, struct err *err);

/* One chart of the readout (its simulations) in o's format. */
enum status readout_chart_write(FILE *f, const struct readout *r, enum pic_kind kind,
                                const struct pic_opts *o, struct err *err);

#endif
