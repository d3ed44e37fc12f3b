/*
 * figures.h - the derived figures of a process, computed from the model.
 *
 * Counts (steps by type, lane and stage; hand-offs; touchpoints; manual
 * steps) and expected times along the expected path: one pass over the flow
 * graph in order, linear in steps + flows.
 *
 * Definitions (DESIGN.md, "Derived figures"):
 *   step         what the user made or cut: the gateways a parallel cut or
 *                an importer generated (step.generated) are left out of
 *                every count (process_step_count()), so the counts by
 *                type, stage and lane (and no_lane) add up to `steps`
 *   hand-off     a flow between steps of two different lanes, neither of them
 *                in a customer-stage lane (steps with no lane do not count):
 *                each sequence flow, explicit or next-in-order, and each
 *                message flow (BPMN's between pools or lanes, which no case
 *                walks but which hands the work on)
 *   touchpoint   a step in a customer or onstage lane
 *   manual step  a step of type manual or user
 *   lead time    the expected time from the start of the first step to the
 *                end of the last, branch probabilities weighted, parallel
 *                branches taking the expected longest (the expected
 *                maximum of their times, from their distributions:
 *                model/lattice.h; the join's wait for the later branch
 *                counts as wait) (a parallel join waits only
 *                for the branches of a parallel split, as the simulation
 *                does: ways that exclude each other arriving at it are
 *                weighted by their chances); a step's time is its
 *                wait-before plus its work, both by their means, and a step
 *                with error rate e is done 1/(1-e) times on average (rework);
 *                a flow back to an earlier step with probability q repeats
 *                that stretch q/(1-q) times on average
 *   work, wait   the work and wait parts of the lead time (so work + wait =
 *                lead), along the longest branch where branches run in
 *                parallel
 *   PCE          value-adding (VA) work time / lead time
 *   RTY          product over steps of (1 - error rate), each weighted by the
 *                chance the step is reached
 *   measure      the expected time from the start of `from` to the end of
 *                `to`, over the cases that reach both
 *   queueing     the expected times leave out waiting in a queue for a
 *                staffed lane: `queueing_left_out` says when that can
 *                happen (a step with work in a lane of limited capacity
 *                that is not the customer's), and the screens and the
 *                report say so next to them; the simulation has them
 *   golden thread  each customer-clock measure (the time as the customer
 *                lives it) beside the process-clock measure the
 *                organisation reports, and the gap (customer - process):
 *                figures_golden()
 */
#ifndef STEPMAP_FIGURES_H
#define STEPMAP_FIGURES_H

#include "model/model.h"

struct measure_figure {
	sm_id id;
	double expected_s;           /* NAN when `to` is not reached after `from` */
};

struct figures {
	size_t steps;                /* process_step_count() */
	size_t by_type[STEP_TYPE_COUNT_];
	size_t by_stage[STAGE_COUNT_];
	size_t *by_lane;             /* parallel to process->lanes */
	size_t no_lane;              /* steps without a lane */
	size_t handoffs;             /* flows (sequence and message) between two
	                                lanes, neither the customer's */
	size_t touchpoints;
	size_t manual_steps;
	size_t pain_points;
	double lead_time_s;
	double work_time_s;
	double wait_time_s;
	double va_time_s;
	double pce;                  /* 0..1; 0 when lead time is 0 */
	double rty;                  /* 0..1 */
	double cost;                 /* expected cost per case */
	struct measure_figure *measures; /* parallel to process->measures */
	size_t nmeasures;
	size_t nlanes;
	bool queueing_left_out;      /* see "queueing" above */
	bool joins_approximate;      /* a parallel block of more than
	                                LATTICE_MAX_BLOCK steps was joined by
	                                its longest expected branch, not the
	                                expected longest (an underestimate) */
};

/* Compute the figures of p into f (which the caller later releases with
 * figures_done). On error f is left empty. */
enum status figures_compute(const struct process *p, struct figures *f);
void figures_done(struct figures *f);

/*
 * A workspace for computing figures again and again (after every edit): the
 * flow graph and the walks' arrays stay allocated between calls and grow
 * only with the process, so a call touches memory it already has. The
 * results are exactly those of figures_compute(). One workspace serves one
 * computation at a time; any process may be passed to each call.
 */
struct figures_ws;

/* A new, empty workspace (owned by the caller: figures_ws_free); NULL when
 * out of memory. */
struct figures_ws *figures_ws_new(void);
/* Release ws and set *ws to NULL; harmless on NULL. */
void figures_ws_free(struct figures_ws **ws);
/* figures_compute() using ws. On error f is left empty and ws stays usable. */
enum status figures_compute_ws(const struct process *p, struct figures_ws *ws,
                               struct figures *f);

/*
 * One customer-clock measure and the process-clock measure it is paired
 * with. The pair is the process-clock measure whose steps (from `from` to
 * `to`, in the process's order) have the most steps in common with the
 * customer measure's: the organisation's figure for the same stretch of
 * the journey; on a tie, the one whose length in steps is closest, then the
 * first. A customer measure that shares no step with any process measure
 * has process NPOS_MEASURE and NAN times for it.
 */
#define NPOS_MEASURE ((size_t)-1)
struct golden {
	size_t customer, process;    /* indices in p->measures (and f->measures) */
	double customer_s, process_s;
	double gap_s;                /* customer_s - process_s; NAN when either is */
};

/* The golden thread of p with its figures f, one customer-clock measure at
 * a time: true, and its pair in *g, when measure i (of p->measures) is on
 * the customer's clock; false for any other i. */
bool figures_golden(const struct process *p, const struct figures *f, size_t i,
                    struct golden *g);

#endif
