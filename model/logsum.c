/*
 * logsum.c - the summary of an event log kept with its process (logsum.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/logsum.h"
#include "model/sim.h"

struct log_summary *
log_summary_copy(const struct log_summary *s)
{
	struct log_summary *c;
	size_t i;

	if (!s || !(c = malloc(sizeof *c)))
		return NULL;
	*c = *s;
	c->durations = NULL;
	c->top = NULL;
	c->ntop = 0;
	if (s->ndurations && !(c->durations = malloc(s->ndurations * sizeof *c->durations)))
		goto nomem;
	if (s->ndurations)
		memcpy(c->durations, s->durations, s->ndurations * sizeof *c->durations);
	if (s->ntop && !(c->top = calloc(s->ntop, sizeof *c->top)))
		goto nomem;
	for (i = 0; i < s->ntop; i++, c->ntop++) {
		c->top[i].cases = s->top[i].cases;
		if (!(c->top[i].acts = strdup(s->top[i].acts ? s->top[i].acts : "")))
			goto nomem;
	}
	return c;
nomem:
	log_summary_free(&c);
	return NULL;
}

void
log_summary_free(struct log_summary **s)
{
	size_t i;

	if (!s || !*s)
		return;
	for (i = 0; i < (*s)->ntop; i++)
		free((*s)->top[i].acts);
	free((*s)->top);
	free((*s)->durations);
	free(*s);
	*s = NULL;
}

double
log_events_on_map_pct(const struct log_summary *s)
{
	return s->events ? 100.0 * (double)s->events_on_map / (double)s->events : 0;
}

double
log_mean(const double *v, size_t n)
{
	double sum = 0;
	size_t i;

	if (!n)
		return NAN;
	for (i = 0; i < n; i++)
		sum += v[i];
	return sum / (double)n;
}

double
log_quantile(const double *sorted, size_t n, double q)
{
	double pos;
	size_t lo;

	if (!n)
		return NAN;
	pos = q * (double)(n - 1);
	lo = (size_t)pos;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (pos - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/* Whole hours of each value, counted into h (nbins long). */
static void
bin_hours(const double *v, size_t n, double *h, size_t nbins)
{
	size_t i, b;

	for (i = 0; i < n; i++) {
		double x = v[i] > 0 ? floor(v[i] / 3600) : 0;

		b = x < (double)nbins ? (size_t)x : nbins - 1;
		h[b] += 1.0 / (double)n;
	}
}

double
log_emd_hours(const double *a, size_t na, const double *b, size_t nb)
{
	double max = 0, *ha, *hb, ca = 0, cb = 0, d = 0;
	size_t i, nbins;

	if (!na || !nb)
		return NAN;
	for (i = 0; i < na; i++)
		if (a[i] > max)
			max = a[i];
	for (i = 0; i < nb; i++)
		if (b[i] > max)
			max = b[i];
	/* ten years of hours at most: a bigger duration is in the last bin */
	nbins = (size_t)fmin(floor(max / 3600), 24.0 * 3660) + 1;
	ha = calloc(nbins, sizeof *ha);
	hb = calloc(nbins, sizeof *hb);
	if (!ha || !hb) {
		free(ha);
		free(hb);
		return NAN;
	}
	bin_hours(a, na, ha, nbins);
	bin_hours(b, nb, hb, nbins);
	for (i = 0; i < nbins; i++) {
		ca += ha[i];
		cb += hb[i];
		d += fabs(ca - cb);
	}
	free(ha);
	free(hb);
	return d;
}

enum status
log_check_run(const struct process *p, size_t cases, uint64_t seed, struct log_check *out,
              struct err *err)
{
	const struct log_summary *l = p->log;
	struct sim_options o;
	struct sim_result r;
	enum status st;
	double *base = NULL, mean;
	size_t i, n = l ? l->ndurations : 0;

	out->obs_mean = log_mean(l ? l->durations : NULL, n);
	out->obs_p50 = log_quantile(l ? l->durations : NULL, n, 0.5);
	out->obs_p90 = log_quantile(l ? l->durations : NULL, n, 0.9);
	out->sim_mean = out->sim_p50 = out->sim_p90 = out->emd_h = NAN;
	out->sim_ci_lo = out->sim_ci_hi = out->baseline_emd_h = NAN;
	out->sim_cases = 0;
	if (!n)
		return STATUS_OK;
	mean = out->obs_mean;
	if ((base = malloc(n * sizeof *base))) {
		for (i = 0; i < n; i++)
			base[i] = -mean * log(1 - ((double)i + 0.5) / (double)n);
		out->baseline_emd_h = log_emd_hours(l->durations, n, base, n);
		free(base);
	}
	sim_options_init(&o);
	o.cases = cases;
	o.seed = seed;
	if ((st = sim_run(p, &o, &r, err)) == STATUS_OK) {
		out->sim_mean = r.total.mean;
		out->sim_p50 = r.total.p50;
		out->sim_p90 = r.total.p90;
		out->sim_ci_lo = r.total.ci_lo;
		out->sim_ci_hi = r.total.ci_hi;
		out->sim_cases = r.total.n;
		out->emd_h = log_emd_hours(l->durations, n, r.total.samples, r.total.n);
	}
	sim_result_done(&r);
	return st;
}
