/*
 * edit_flow.h - the edits that shape a process's flow as a person describes
 * it: a step becomes a decision with its branches, a branch is added, a
 * rework loop goes back to an earlier step, a run of steps goes in parallel
 * (the split and join made for the user), a decision is taken away keeping
 * one way; and the process's own settings (name, description, arrival
 * pattern, a lane's capacity) as the process form saves them.
 *
 * Each builder returns one GROUP edit (not applied), built from the plain
 * edits of edit.c, so it applies in one transaction and undoes as one. The
 * builders read the implicit next-in-order flow as model.h says: a step with
 * no explicit flow flows to the next one; one with explicit flows only along
 * them. So a builder that gives a plain step its first explicit flow keeps
 * the step's implicit way as an explicit flow first, when that way is meant
 * to stay (a loop, a branch added).
 *
 * Probabilities are written as given, never renormalised behind the user's
 * back: flow_prob_check() says when a step's branches do not sum to 1.
 */
#ifndef STEPMAP_EDIT_FLOW_H
#define STEPMAP_EDIT_FLOW_H

#include "model/model.h"

/* One branch as the user gives it: its target, label and condition (NULL or
 * "" for none), probability 0..1 or < 0 for none given. */
struct branch {
	sm_id to;
	const char *label;
	const char *condition;
	double prob;
};

/*
 * Step becomes a decision (its type, unless it is a parallel gateway) whose
 * explicit flows are exactly the n branches (n >= 2; targets distinct and in
 * the same process). On error *out is NULL and err says why.
 */
enum status edit_decision_make(struct workbook *w, sm_id step, const struct branch *b, size_t n,
                               struct edit **out, struct err *err);

/*
 * One more branch from step. A step that had no explicit flow, given a
 * branch with a probability, keeps its implicit way to the next step as an
 * explicit one first, with what the new branch leaves (1 - prob); given one
 * without a probability, the branch is a jump: the step's one way on (the
 * implicit way no longer applies). A target already branched to is
 * refused.
 */
enum status edit_branch_add(struct workbook *w, sm_id from, const struct branch *b,
                            struct edit **out, struct err *err);

/*
 * A rework loop from step `from` back to step `to` (to comes before from,
 * or is it), taken with probability prob (0 < prob < 1): the step's other
 * ways share 1 - prob: its implicit way to the next step becomes an explicit
 * flow with 1 - prob; explicit flows with a probability are scaled by
 * 1 - prob (said in the label). A loop to the step itself is refused: that
 * is the step's error rate.
 */
enum status edit_loop_add(struct workbook *w, sm_id from, sm_id to, double prob,
                          const char *label, struct edit **out, struct err *err);

/*
 * Steps first..last (by position, first before last, at least two) run in
 * parallel: a parallel split step ("Parallel split") goes before first and a
 * join ("Parallel join") after last, both without a lane, as a scenario's
 * parallel cut makes them; the split flows to each step, each step to the
 * join; explicit flows into first now enter the split, those out of last
 * leave the join. The run must be a plain chain: no step but the last with
 * explicit flows out, none but the first with explicit flows in, no end
 * step, no parallel gateway.
 */
enum status edit_parallel_make(struct workbook *w, sm_id first, sm_id last, struct edit **out,
                               struct err *err);

/*
 * Take the decision away from step, keeping the way of its flow `keep`:
 * the other explicit flows go; keep goes too when it leads to the next step
 * without a label (the implicit way does the same), otherwise it stays as
 * the one way (its probability cleared). A decision step becomes a task.
 */
enum status edit_decision_remove(struct workbook *w, sm_id step, sm_id keep, struct edit **out,
                                 struct err *err);

/*
 * The process's own settings in one edit (the process form): its name,
 * description (NULL or "" for none), arrival pattern and the unit its times
 * are shown in, and the capacity of lane `lane` (0: no lane touched;
 * capacity 0 = unlimited). Parts that do not change are left out; nothing
 * changed is STATUS_NOTHING.
 */
enum status edit_process_settings(struct workbook *w, sm_id process, const char *name,
                                  const char *description, const struct dist *arrival,
                                  enum time_unit unit, sm_id lane, int capacity,
                                  struct edit **out, struct err *err);

/*
 * The probabilities of step's explicit flows: their sum in *sum, how many
 * give one in *given and how many do not in *unset. Returns true when they
 * are fine as they are: no explicit flow, a parallel split, or the given
 * ones sum to 1 (within 1e-9) with none unset, or to less than 1 with some
 * unset (those share the rest).
 */
bool flow_prob_check(const struct process *p, sm_id step, double *sum, size_t *given,
                     size_t *unset);

/*
 * Insert a step made from tmpl at position at (edit_step_insert), wired into
 * the process's flows. A process whose flows are implicit needs nothing more
 * (a step flows to the next). In one whose flows are explicit (read from
 * BPMN) the step goes between the step before it and that step's successor:
 * the sequence flow out of the step before that leads to the step after the
 * new one (else its first) now enters the new step, which flows on to where
 * it went; a step before it with no way out flows into it; a new first step
 * flows into the old first. One GROUP edit; the label says where it went.
 */
enum status edit_step_insert_wired(struct workbook *w, sm_id process, size_t at,
                                   const struct step *tmpl, struct edit **out,
                                   struct err *err);

#endif
