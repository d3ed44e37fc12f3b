/*
 * simcheck.h - what a simulation's figures cannot be trusted for, said in
 * words: the same warnings for the workbench's simulation screen and for
 * `stepmap simulate` (on stderr).
 *
 *   - no arrival pattern: every case arrives at once, at time 0, so the
 *     times are those of one batch queueing, not of a steady flow;
 *   - an overloaded lane: its offered load, arrivals per second x the
 *     visits per case x the mean work of each of its steps / its capacity,
 *     is 1 or more (work comes in faster than the lane can do it, its queue
 *     grows as long as cases arrive), or its measured utilisation is 1 or
 *     more: the figures are then mostly that lane's queue.
 */
#ifndef STEPMAP_SIMCHECK_H
#define STEPMAP_SIMCHECK_H

#include "model/sim.h"

enum simwarn_kind { SIMWARN_NO_ARRIVALS, SIMWARN_OVERLOAD };

struct simwarn {
	enum simwarn_kind kind;
	sm_id lane;                  /* OVERLOAD: the lane */
	double offered;              /* OVERLOAD: offered load (NAN: unknown) */
	double measured;             /* OVERLOAD: measured utilisation (NAN: unknown) */
	char text[320];              /* one line, in words */
};

/*
 * The warnings for p, simulated into r (r may be NULL: the offered load
 * then needs visits the run gives, so only the arrivals are checked), worst
 * lane first, into w[0..max). Returns how many there are (may exceed max:
 * only max are written).
 */
size_t sim_check(const struct process *p, const struct sim_result *r, struct simwarn *w,
                 size_t max);

#endif
