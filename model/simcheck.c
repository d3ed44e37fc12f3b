/*
 * simcheck.c - the warnings on a simulation (simcheck.h).
 */
#include "model/simcheck.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define OVERLOADED 1.0           /* offered or measured utilisation from here */

static int
worst_first(const void *x, const void *y)
{
	const struct simwarn *a = x, *b = y;
	double ua = isnan(a->offered) ? a->measured : a->offered;
	double ub = isnan(b->offered) ? b->measured : b->offered;

	return (ua < ub) - (ua > ub);
}

size_t
sim_check(const struct process *p, const struct sim_result *r, struct simwarn *w, size_t max)
{
	struct simwarn *all;
	double rate;
	size_t n = 0, k, i, nl = 0;

	if (p->arrival.kind == DIST_NONE) {
		if (n < max) {
			w[n] = (struct simwarn){ .kind = SIMWARN_NO_ARRIVALS, .offered = NAN,
			                         .measured = NAN };
			snprintf(w[n].text, sizeof w[n].text,
			         "no arrival pattern: every case arrives at once, at time 0, so the "
			         "times are those of one batch queueing, not of a steady flow");
		}
		return 1;
	}
	if (!r || r->nlanes != p->nlanes || r->nsteps != p->nsteps)
		return n;
	rate = dist_mean(&p->arrival) > 0 ? 1 / dist_mean(&p->arrival) : INFINITY;
	if (!(all = calloc(p->nlanes ? p->nlanes : 1, sizeof *all)))
		return n;
	for (k = 0; k < p->nlanes; k++) {
		const struct lane *l = p->lanes[k];
		double work = 0, offered, measured = r->lanes[k].utilisation;

		if (l->capacity <= 0 || l->stage == STAGE_CUSTOMER)
			continue;
		for (i = 0; i < p->nsteps; i++)
			if (p->steps[i]->lane == l->id)
				work += r->steps[i].visits * dist_mean(&p->steps[i]->work);
		offered = rate * work / l->capacity;
		if (!(offered >= OVERLOADED) && !(measured >= OVERLOADED - 1e-9))
			continue;
		all[nl] = (struct simwarn){ .kind = SIMWARN_OVERLOAD, .lane = l->id,
		                            .offered = offered, .measured = measured };
		snprintf(all[nl].text, sizeof all[nl].text,
		         "lane '%s' is overloaded: utilisation %.0f %% offered (arrivals x visits x "
		         "mean work / capacity %d), %.0f %% measured: its queue grows as long as "
		         "cases arrive and the times here are mostly that wait",
		         l->name, offered * 100, l->capacity, isnan(measured) ? 0 : measured * 100);
		nl++;
	}
	qsort(all, nl, sizeof *all, worst_first);
	for (k = 0; k < nl; k++, n++)
		if (n < max)
			w[n] = all[k];
	free(all);
	return n;
}
