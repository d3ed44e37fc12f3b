/*
 * bounds.h - one set of bounds for every number that comes from outside: a
 * CSV cell, a BPMN or BPSim attribute, an event log, a workbook row or a
 * journal entry. Each reader checks its text; these are checked again where
 * the values enter the model (the import sink, the store's rows and journal),
 * so no reader can let a value through that another would refuse, and no
 * number reaches a conversion it would overflow (a double to int or to an
 * id is undefined behaviour out of range).
 */
#ifndef STEPMAP_BOUNDS_H
#define STEPMAP_BOUNDS_H

#include <stdbool.h>

#include "model/model.h"

/* A step's cost per execution, in the workbook's currency. */
#define BOUND_COST_MAX 1e15
/* A duration or a distribution's parameter: ten years, in seconds. */
#define BOUND_DURATION_MAX_S (10 * 365.25 * 86400.0)
/* Servers in a lane. */
#define BOUND_CAPACITY_MAX 1000000
/* Ids: whole numbers a double holds exactly (the journal writes numbers as
 * text, and tools read them as doubles). */
#define BOUND_ID_MAX 9007199254740991.0
/* Order keys: finite, and far from where halving between two stops working. */
#define BOUND_KEY_MAX 1e15
/* Scenario factors (automate: time and errors). */
#define BOUND_FACTOR_MAX 1000

/* v is a whole number in [lo, hi] (NaN and infinities are not). Use before
 * converting a double to an integer type. */
bool bound_whole(double v, double lo, double hi);
/* v is in [lo, hi] (NaN is not). */
bool bound_in(double v, double lo, double hi);

/*
 * Check what a reader or a workbook gives against the bounds. STATUS_INPUT
 * with err naming the field and the value ("cost: 1e+300 is out of range (0
 * to 1e+15)"); the caller puts where in front.
 */
enum status bounds_check_dist(const struct dist *d, const char *field, struct err *err);
enum status bounds_check_step(const struct step *s, struct err *err);
enum status bounds_check_lane(const struct lane *l, struct err *err);
enum status bounds_check_flow(const struct flow *f, struct err *err);
enum status bounds_check_cut(const struct cut *c, struct err *err);

#endif
