/*
 * scenario.h - applying a scenario's cuts to a baseline process.
 *
 * A scenario is kept as a list of cuts (model.h, struct cut), never as a
 * copy, so later fixes to the baseline flow into every scenario. Applying it
 * gives a derived process that figures_compute(), the simulation and the
 * writers take like any other.
 *
 * Semantics of each cut (applied in order, each to the result of the ones
 * before it):
 *   REMOVE    the step goes; every predecessor flows to every successor
 *             (probabilities multiplied through; a flow's label kept from the
 *             predecessor side).
 *   MERGE     step and step2 become one step with step's id, name
 *             "A + B" unless step2's name is empty, lane and type of step,
 *             work, wait and cost added (distributions: means added into a
 *             fixed time unless both are fixed), error rate 1-(1-a)(1-b),
 *             value class the better of the two (VA > BVA > NVA), pain if
 *             either; step2's outgoing flows become step's.
 *   AUTOMATE  type becomes service; work and wait scaled by time_factor,
 *             error rate by error_factor; lane becomes `lane` when not 0.
 *   MOVE      the step is taken out (as REMOVE reconnects) and put right
 *             after step2 in order (step2 0: first), flowing on to what
 *             followed step2.
 *   PARALLEL  the run of steps step..step2 (in order) becomes parallel
 *             branches: a parallel split before them and a join after, each
 *             step its own branch.
 *   CAPACITY  the lane's capacity becomes `capacity`.
 *   SET       the step's field gets value (step_set_field()).
 * A cut that names a step or lane that no longer exists, or cannot apply
 * (MERGE of steps that are not consecutive...), is stale: skipped, reported,
 * never an error.
 */
#ifndef STEPMAP_SCENARIO_H
#define STEPMAP_SCENARIO_H

#include "model/model.h"

/*
 * Apply sc (a scenario of base) to a copy of base. On success *out is the
 * derived process (caller frees with process_free); surviving steps keep their
 * ids; steps made by a cut (parallel split and join) get ids above every id
 * in base. When stale is not NULL it receives sc->ncuts flags, true for each
 * cut that was stale (caller frees). On error (out of memory) *out is NULL.
 */
enum status scenario_apply(const struct process *base, const struct scenario *sc,
                           struct process **out, bool **stale, struct err *err);

/* How a baseline step shows in a scenario's diff (workbench map marks). */
#define CUT_MARK_INFO(_) \
	_(NONE,      " ", " ") \
	_(REMOVED,   "✗", "x") \
	_(MERGED,    "⊕", "m") \
	_(AUTOMATED, "⚡", "a") \
	_(MOVED,     "↕", "v") \
	_(PARALLEL,  "∥", "=") \
	_(CHANGED,   "✎", "~")

enum cut_mark {
#define CUT_MARK_ENUM_(name, g, a) MARK_##name,
	CUT_MARK_INFO(CUT_MARK_ENUM_)
#undef CUT_MARK_ENUM_
	CUT_MARK_COUNT_
};
const char *cut_mark_glyph(enum cut_mark m, bool utf8);

/* The mark of each baseline step under sc, as an array parallel to
 * base->steps (caller frees); the last non-stale cut naming a step wins.
 * NULL when out of memory. */
enum cut_mark *scenario_marks(const struct process *base, const struct scenario *sc);

/*
 * scenario_apply() and scenario_marks() in one pass over one copy of base,
 * for a caller that wants both after every edit (the workbench): *out,
 * *stale and *marks as those two give them, each owned by the caller; stale
 * and marks may be NULL when not wanted. On error (out of memory) all are
 * NULL and err says so.
 */
enum status scenario_apply_marks(const struct process *base, const struct scenario *sc,
                                 struct process **out, bool **stale, enum cut_mark **marks,
                                 struct err *err);

#endif
