/*
 * bounds.c - the bounds every number from outside is held to (bounds.h).
 */
#include "model/bounds.h"

#include <math.h>

bool
bound_in(double v, double lo, double hi)
{
	return v >= lo && v <= hi;
}

bool
bound_whole(double v, double lo, double hi)
{
	return bound_in(v, lo, hi) && v == floor(v);
}

static enum status
out_of_range(struct err *err, const char *field, double v, double lo, double hi)
{
	return err_set(err, STATUS_INPUT, "%s: %g is out of range (%g to %g)", field, v, lo, hi);
}

enum status
bounds_check_dist(const struct dist *d, const char *field, struct err *err)
{
	static const int nparams[DIST_KIND_COUNT_] = {
#define DIST_N_(name, kw, n) n,
		DIST_KIND_INFO(DIST_N_)
#undef DIST_N_
	};
	int i;

	if ((unsigned)d->kind >= DIST_KIND_COUNT_)
		return err_set(err, STATUS_INPUT, "%s: no kind of duration numbered %d", field,
		               (int)d->kind);
	for (i = 0; i < nparams[d->kind]; i++)
		if (!bound_in(d->p[i], 0, BOUND_DURATION_MAX_S))
			return out_of_range(err, field, d->p[i], 0, BOUND_DURATION_MAX_S);
	if ((d->kind == DIST_UNI && d->p[0] > d->p[1]) ||
	    (d->kind == DIST_TRI && (d->p[0] > d->p[1] || d->p[1] > d->p[2])))
		return err_set(err, STATUS_INPUT, "%s: the bounds of the distribution are not in "
		               "order", field);
	return STATUS_OK;
}

enum status
bounds_check_step(const struct step *s, struct err *err)
{
	enum status st;

	if (!bound_in(s->key, -BOUND_KEY_MAX, BOUND_KEY_MAX))
		return out_of_range(err, "key", s->key, -BOUND_KEY_MAX, BOUND_KEY_MAX);
	if ((unsigned)s->type >= STEP_TYPE_COUNT_)
		return err_set(err, STATUS_INPUT, "type: no step type numbered %d", (int)s->type);
	if ((st = bounds_check_dist(&s->work, "work", err)) != STATUS_OK ||
	    (st = bounds_check_dist(&s->wait, "wait", err)) != STATUS_OK)
		return st;
	if (!bound_in(s->error_rate, 0, 1))
		return out_of_range(err, "error_rate", s->error_rate, 0, 1);
	if (!bound_in(s->cost, 0, BOUND_COST_MAX))
		return out_of_range(err, "cost", s->cost, 0, BOUND_COST_MAX);
	if (s->emotion != EMOTION_NONE && (s->emotion < -2 || s->emotion > 2))
		return out_of_range(err, "emotion", s->emotion, -2, 2);
	return STATUS_OK;
}

enum status
bounds_check_lane(const struct lane *l, struct err *err)
{
	if (l->capacity < 0 || l->capacity > BOUND_CAPACITY_MAX)
		return out_of_range(err, "capacity", l->capacity, 0, BOUND_CAPACITY_MAX);
	if (!bound_in(l->key, -BOUND_KEY_MAX, BOUND_KEY_MAX))
		return out_of_range(err, "key", l->key, -BOUND_KEY_MAX, BOUND_KEY_MAX);
	return STATUS_OK;
}

enum status
bounds_check_flow(const struct flow *f, struct err *err)
{
	/* below 0: not given */
	if (isnan(f->prob) || f->prob > 1)
		return out_of_range(err, "probability", f->prob, 0, 1);
	return STATUS_OK;
}

enum status
bounds_check_cut(const struct cut *c, struct err *err)
{
	if (!bound_in(c->key, -BOUND_KEY_MAX, BOUND_KEY_MAX))
		return out_of_range(err, "key", c->key, -BOUND_KEY_MAX, BOUND_KEY_MAX);
	if (!bound_in(c->time_factor, 0, BOUND_FACTOR_MAX))
		return out_of_range(err, "time_factor", c->time_factor, 0, BOUND_FACTOR_MAX);
	if (!bound_in(c->error_factor, 0, BOUND_FACTOR_MAX))
		return out_of_range(err, "error_factor", c->error_factor, 0, BOUND_FACTOR_MAX);
	if (c->capacity < 0 || c->capacity > BOUND_CAPACITY_MAX)
		return out_of_range(err, "capacity", c->capacity, 0, BOUND_CAPACITY_MAX);
	return STATUS_OK;
}
