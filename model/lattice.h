/*
 * lattice.h - the expected longest of parallel branches, from the branches'
 * duration distributions discretised on a grid (a lattice).
 *
 * The expected path (figures.c) adds up means; that is exact for sums,
 * decisions and loops, but not where parallel branches join: the join waits
 * for the branch that happens to finish last, whose expected time is more
 * than the longest expected branch (two parallel exp(10m) branches: 15 min,
 * not 10). This module gives the expected time from the end of a parallel
 * split until all its branches have arrived at their join, E[max], computed
 * from the distributions:
 *   - a step's time (wait-before plus work, each discretised from its
 *     cumulative distribution onto LATTICE_BINS points h apart) is repeated
 *     a geometric number of times for its error rate (rework);
 *   - along a branch, steps convolve (sums); a decision's ways mix by their
 *     chances; a loop back over a stretch repeats the stretch a geometric
 *     number of times; a split inside a branch is the same computation one
 *     level down;
 *   - the branches of a split are independent once it ends: the longest
 *     has the cumulative distribution prod F_i, and E[max] is its mean.
 * The grid spans the block's steps taken one after the other, their means
 * plus six standard deviations, so h is the block's own scale. Results are
 * kept by the content of the block (its steps' times and rates and its
 * flows), so a workbench recomputing after each edit computes a block again
 * only when it changed.
 */
#ifndef STEPMAP_LATTICE_H
#define STEPMAP_LATTICE_H

#include <stddef.h>

#include "model/model.h"

#define LATTICE_BINS 128
/* Steps from a split to its join beyond which a block is not computed (its
 * cost grows with its steps; the caller says the figure is approximate). */
#define LATTICE_MAX_BLOCK 1024

/* What the computation reads of a process. */
struct lattice_graph {
	const struct process *p;
	const struct graph *g;       /* process_graph_build() of p */
	const double *fwd;           /* per step: share of its flows that go
	                                forward (1 - its back edges' chance) */
	/* The join of the parallel split s: the first step after s and before
	 * `stop` that brings its branches together, or `stop` when none. */
	size_t (*join_of)(const void *ctx, size_t s, size_t stop);
	const void *ctx;
};

struct lattice;

/* A new workspace with an empty cache (owned by the caller:
 * lattice_free); NULL when out of memory. */
struct lattice *lattice_new(void);
/* Release *l and set it to NULL; harmless on NULL. */
void lattice_free(struct lattice **l);

/*
 * The expected longest less the longest expected: *excess = E[max_i D_i] -
 * max_i E[D_i], where D_i is the time of branch i of the parallel split s
 * from the end of s to its arrival at step j (j > s). 0 when the block is
 * certain (fixed times, no rework, no decision, no loop) or nothing
 * arrives; NAN when it spans more than LATTICE_MAX_BLOCK steps (not
 * computed). Errors: STATUS_NOMEM (*excess is then 0).
 */
enum status lattice_join_excess(struct lattice *l, const struct lattice_graph *lg, size_t s,
                                size_t j, double *excess);

#endif
