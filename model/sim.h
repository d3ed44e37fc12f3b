/*
 * sim.h - discrete-event simulation of cases through a process.
 *
 * The model (DESIGN.md, "Simulation"):
 *   - Cases arrive by the process's arrival distribution (the time between
 *     two arrivals; the first arrives at time 0). With no arrival pattern
 *     (DIST_NONE) every case arrives at time 0 and the warm-up is ignored.
 *     A case starts at the first step in order.
 *   - At each step a case first waits its wait-before (a delay that holds
 *     no one), then takes one unit of the step's lane for its work time.
 *     A lane with capacity c > 0 is a pool of c units with one FIFO queue;
 *     lanes with capacity 0, customer-stage lanes, steps with no lane
 *     and steps with no work time (a decision, an event) never queue.
 *   - After the work, with the step's error rate the output is wrong and
 *     the step is done again (wait-before, queue and work), as often as
 *     it takes; so the step runs 1/(1-e) times on average.
 *   - The case then follows the effective flow graph (process_graph_build):
 *     a decision picks one branch by probability; a parallel step with
 *     several outgoing flows sends the case down every branch; a parallel
 *     step with several incoming flows is a join, which waits for a branch
 *     on each incoming flow, or for every branch of the case still alive
 *     when fewer can come (a branch that took a decision's other way).
 *     A case ends when none of its branches has anywhere left to go.
 *   - A measure runs from the moment the case first reaches step `from`
 *     (before its wait-before) to the last end of the work of step `to`.
 *
 * Runs. Each replication simulates `cases` counted cases with its own
 * stream of random numbers (rng.h: replication r long-jumps r times from
 * the seed; arrivals and work times draw from separate streams, so two
 * scenarios run with the same seed see the same arrivals). Cases arriving
 * before the warm-up time are simulated but not counted.
 *
 * Warm-up. A run starts empty, so its first cases wait less than they
 * would in the long run. By default (warmup_auto) the warm-up is found from
 * the data, by MSER-5: the whole-case times, averaged over the replications
 * case by case in arrival order, are cut into batches of 5, and the first
 * d batches are dropped where that makes the smallest standard error of the
 * rest's mean (d at most half of them). Those d * 5 cases of every
 * replication count in nothing but lane use and step waits; when the
 * smallest error lies past half the run, the run has not settled and its
 * intervals are unreliable. A fixed warm-up (warmup_s) drops the cases that
 * arrive before it, before MSER-5 looks.
 *
 * Statistics. Percentiles and means pool the counted cases of every
 * replication, warm-up left out. The 95 % interval is that of the mean:
 * with R >= 2 replications, mean +- t(0.975, R-1) s / sqrt(R) over the
 * replication means; with one replication, batch means over its cases in
 * arrival order, the batches as long as the cases' autocorrelation needs
 * (doubled until the lag-1 correlation of at least 40 batch means is below
 * 0.1, then at most 20 batches). An interval is marked unreliable
 * (sim_stat.trust) rather than given as a precise number when a lane is
 * saturated (the work asked of it reaches its capacity: the queue grows
 * without end and there is no mean to estimate), when the warm-up did not
 * end in the first half of the run, or when one run is too short for its
 * correlation (fewer than SIM_ESS_MIN effective cases a replication:
 * their variance over that of the replication means). With cases_auto (the
 * default) a run with fewer than SIM_ESS_WANT effective cases a replication
 * is run once more, each replication as long as that needs (at most
 * SIM_AUTO_CASES_MAX cases). Lane utilisation and queue lengths are time averages over
 * the window from the fixed warm-up to the last arrival (to the end of the
 * run with no arrival pattern), averaged over replications.
 *
 * Speed. Events sit in a binary heap; cases, branches and queue slots come
 * from pools that grow by doubling, so the event loop allocates nothing
 * once the pools have reached the run's peak; steps that take no time are
 * passed through without an event.
 */
#ifndef STEPMAP_SIM_H
#define STEPMAP_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

#define SIM_DEFAULT_CASES 1000
#define SIM_DEFAULT_REPLICATIONS 20
#define SIM_DEFAULT_SEED 1
/* cases_auto: effective (as good as independent) cases a replication
 * should have; fewer than SIM_ESS_MIN marks the interval unreliable */
#define SIM_ESS_WANT 100
#define SIM_ESS_MIN 10
#define SIM_AUTO_CASES_MAX 100000

struct sim_options {
	size_t cases;                /* counted cases per replication */
	uint64_t seed;
	unsigned replications;       /* >= 1 */
	double warmup_s;             /* cases arriving earlier are not counted */
	bool warmup_auto;            /* then also drop the warm-up MSER-5 finds */
	bool cases_auto;             /* more cases when they are too correlated */
	size_t trace_case;           /* 1-based counted case of the first
	                                replication to trace; 0 = none */
	/* Called now and then with the fraction done (0..1); returning false
	 * cancels the run (sim_run returns STATUS_CANCELLED). May be NULL. */
	bool (*progress)(void *ctx, double done);
	void *ctx;
};

/* Defaults: SIM_DEFAULT_CASES cases, seed SIM_DEFAULT_SEED,
 * SIM_DEFAULT_REPLICATIONS replications, the warm-up found from the data
 * (warmup_auto, no fixed warm-up), more cases when the run needs them
 * (cases_auto), no trace, no progress. */
void sim_options_init(struct sim_options *o);

/* Whether an interval can be read, and if not, why. */
enum sim_trust {
	SIM_TRUST_OK,
	SIM_TRUST_FEW,               /* fewer than two replications or batches */
	SIM_TRUST_SATURATED,         /* a lane is asked for more than it has */
	SIM_TRUST_WARMUP,            /* no steady state in the first half */
	SIM_TRUST_SHORT,             /* one run, too short for its correlation */
};

/* A distribution of times over the counted cases. */
struct sim_stat {
	size_t n;                    /* values (cases that reached both ends) */
	double mean, p50, p90;       /* NAN when n is 0 */
	double ci_lo, ci_hi;         /* 95 % interval of the mean */
	enum sim_trust trust;        /* not OK: the interval is not to be read
	                                as a precise number */
	size_t groups;               /* replications or batches it came from */
	size_t batch;                /* one run: cases per batch; else 0 */
	double ess;                  /* effective cases a replication: as many
	                                independent ones would give the same
	                                precision */
	double min, max;
	double *samples;             /* the n values, sorted ascending (for
	                                histograms); owned by the result */
};

/* Per step, parallel to process->steps; times are means per execution. */
struct sim_step {
	sm_id id;
	double visits;               /* executions per counted case (rework in) */
	double queue_s;              /* queued for the lane */
	double wait_s;               /* wait-before + queue */
	double work_s;               /* work */
};

/* Per lane, parallel to process->lanes. */
struct sim_lane {
	sm_id id;
	int capacity;                /* as simulated; 0 = never queues */
	double busy;                 /* mean units busy */
	double utilisation;          /* busy / capacity; NAN when capacity 0 */
	double load;                 /* work asked of it per unit of time over its
	                                capacity (rho; >= 1: saturated); NAN when
	                                capacity 0 or no arrival pattern */
	double queue_mean;           /* mean cases waiting */
	size_t queue_max;            /* most cases waiting at once */
};

/*
 * One execution of a step by the traced case (the workbench's walk). Times
 * are on the case's clock: seconds since it arrived. A step done again after
 * an error has one entry per attempt; parallel branches have their own
 * `branch` number (0 for the case's first).
 */
struct sim_trace_entry {
	size_t step;                 /* index in process->steps */
	sm_id lane;                  /* 0 = none */
	double reach_s;              /* reached the step */
	double ask_s;                /* wait-before over, asked for the lane */
	double start_s;              /* work began */
	double end_s;                /* work ended */
	unsigned attempt;            /* 1, 2... */
	unsigned branch;
	size_t queue_ahead;          /* cases ahead of it in the lane's queue */
};

struct sim_result {
	size_t cases;                /* counted cases, all replications */
	size_t rep_cases;            /* counted cases a replication (more than
	                                asked when cases_auto lengthened it) */
	unsigned replications;
	uint64_t seed;
	uint64_t events;             /* events processed, all replications */
	double window_s;             /* observed window (mean per replication) */
	size_t warmup_cases;         /* counted cases dropped from the start of
	                                each replication as warm-up (MSER-5) */
	size_t saturated_lane;       /* index in process->lanes of the most
	                                loaded saturated lane; SIZE_MAX none */
	enum sim_trust trust;        /* of the whole case's interval */
	double throughput_per_h;     /* counted cases finished per hour */
	struct sim_stat total;       /* each case: arrival to its end */
	struct sim_stat *measures;   /* parallel to process->measures */
	size_t nmeasures;
	struct sim_step *steps;
	size_t nsteps;
	struct sim_lane *lanes;
	size_t nlanes;
	size_t median_case;          /* the counted case of the first replication
	                                whose whole-case time is nearest the
	                                median (1-based, to give as trace_case:
	                                a representative case to walk) */
	struct sim_trace_entry *trace;   /* in order of reach_s; NULL if none */
	size_t ntrace;
	double trace_arrival_s;      /* when the traced case arrived */
};

/*
 * Simulate p with o into r (zeroed first; the caller releases it with
 * sim_result_done, also after an error). Errors: STATUS_INPUT for a process
 * that cannot run (no steps; a case that never ends: a loop taken with
 * probability 1 or an error rate of 1; branches that never join), with
 * the step named; STATUS_CANCELLED when progress said stop; STATUS_NOMEM.
 */
enum status sim_run(const struct process *p, const struct sim_options *o,
                    struct sim_result *r, struct err *err);
void sim_result_done(struct sim_result *r);

/* Why an interval of r is not to be trusted, in a sentence without a
 * capital or a full stop ("lane 'Triage' is saturated: 104 % of its
 * capacity is asked for"), into buf; "" for SIM_TRUST_OK. p is the process
 * simulated (for the lane's name). */
char *sim_trust_text(const struct process *p, const struct sim_result *r, enum sim_trust t,
                     char *buf, size_t size);
/* A short form for a column: "unreliable: saturated", "...: warm-up",
 * "...: too short", "...: too few". */
const char *sim_trust_short(enum sim_trust t);

/* The two-sided 95 % quantile of Student's t with df degrees of freedom
 * (12.706 for 1, 1.96 as df grows). */
double sim_t975(size_t df);

#endif
