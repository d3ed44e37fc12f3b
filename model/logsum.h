/*
 * logsum.h - what an event log says about the process made from it: its
 * counts, its top variants and its observed case durations, kept with the
 * process (struct process's `log`) and stored in the workbook, so `stepmap
 * report` can set the measured times beside the map's expected and
 * simulated ones.
 *
 * Owns its arrays and strings; a process owns its summary.
 */
#ifndef STEPMAP_LOGSUM_H
#define STEPMAP_LOGSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/status.h"

struct process;

#define LOG_TOP_VARIANTS 10

/* A variant: a sequence of activities, in the order of their completions. */
struct log_variant {
	char *acts;                  /* the activity names, each followed by '\n' */
	size_t cases;                /* cases that follow it */
};

struct log_summary {
	size_t cases, events, activities, resources;
	size_t variants;             /* distinct sequences of completed activities */
	size_t top_variant_cases;    /* cases of the most frequent one */
	size_t dfg_edges;            /* directly-follows pairs seen */
	size_t events_on_map;        /* events whose activity is a step of the map */
	bool split;                  /* start and complete times: work and wait
	                                measured apart */
	double *durations;           /* each case, first to last event, seconds,
	                                sorted ascending */
	size_t ndurations;
	struct log_variant *top;     /* the most frequent variants, most first */
	size_t ntop;
};

/* A deep copy, or NULL when out of memory (or when s is NULL). */
struct log_summary *log_summary_copy(const struct log_summary *s);
/* Free *s and what it holds; sets *s to NULL. NULL-safe. */
void log_summary_free(struct log_summary **s);

/* The share of events on the map, in percent (0 when the log is empty). */
double log_events_on_map_pct(const struct log_summary *s);

/* Mean of n values; NAN when n is 0. */
double log_mean(const double *v, size_t n);
/* The q-quantile (0..1) of n sorted values, interpolated between the two
 * nearest ranks; NAN when n is 0. */
double log_quantile(const double *sorted, size_t n, double q);

/*
 * The cycle-time distance Simod uses: the Wasserstein (earth mover's)
 * distance between two samples of case durations (seconds), each binned
 * into whole hours, in hours. NAN when either sample is empty.
 */
double log_emd_hours(const double *a, size_t na, const double *b, size_t nb);

/*
 * Does the map reproduce the log? The log's observed case durations beside
 * those of a simulation of p (model/sim.h: `cases` cases, seed `seed`,
 * one replication; each case from its arrival to its end), and the
 * cycle-time distance between them; also the distance a baseline gets:
 * every case's duration from one exponential with the log's mean
 * (its n quantiles, so no randomness).
 */
struct log_check {
	double obs_mean, obs_p50, obs_p90;       /* seconds */
	double sim_mean, sim_p50, sim_p90;
	double sim_ci_lo, sim_ci_hi;             /* 95 % interval of the mean */
	size_t sim_cases;
	double emd_h, baseline_emd_h;
};

/* What stepmap report uses. */
#define LOG_CHECK_CASES 10000
#define LOG_CHECK_SEED 1

/* p->log must be set. On error (a map that cannot be simulated) err says
 * why and the simulated figures are NAN. */
enum status log_check_run(const struct process *p, size_t cases, uint64_t seed,
                          struct log_check *out, struct err *err);

#endif
