/*
 * fit.h - a distribution from the project's set (model/duration.h: fixed,
 * uniform, triangular, exponential, normal, lognormal) fitted to measured
 * times, for the event-log import.
 *
 * Each candidate takes its parameters from the sample (fixed: the mean;
 * uniform: min and max; triangular: min, max and the mode that gives the
 * sample's mean, bounded to [min, max]; exponential: the mean; normal and
 * lognormal: mean and standard deviation), and the one closest to the
 * sample by the Wasserstein (earth mover's) distance wins: the mean
 * absolute difference between the sample's quantiles and the candidate's,
 * the candidate's quantiles bounded to the observed range. Ties go to the
 * simpler candidate (in the order above). Parameters are rounded to the
 * millisecond.
 */
#ifndef STEPMAP_FIT_H
#define STEPMAP_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/duration.h"

/*
 * The best of the set for the n values in sorted (seconds, ascending, none
 * negative). n 0 gives DIST_NONE; n 1, or every value the same, a fixed
 * time. *w1 (may be NULL) receives the distance, in seconds.
 */
struct dist dist_fit(const double *sorted, size_t n, double *w1);

/* The q-quantile (0 < q < 1) of d, in seconds (a normal's below 0 is 0). */
double dist_quantile(const struct dist *d, double q);

/* Sort v ascending (an LSD radix sort on the doubles' bits: a million in a
 * few milliseconds, where qsort takes a tenth of a second). False when out
 * of memory (v unchanged). Shared with the simulation's percentiles. */
bool sort_doubles(double *v, size_t n);
/* The same for unsigned keys; sort_u64_room with room for n more keys of
 * the caller's (never fails). */
bool sort_u64(uint64_t *v, size_t n);
void sort_u64_room(uint64_t *v, uint64_t *room, size_t n);

#endif
