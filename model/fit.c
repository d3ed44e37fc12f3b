/*
 * fit.c - fitting the project's distributions to measured times (fit.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/fit.h"

#define FIT_POINTS 512
#define MAX_S (10 * 365.25 * 86400)

/* Doubles as unsigned keys in the same order (negatives flipped whole,
 * positives with the sign bit set). */
static inline uint64_t
sort_key(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof u);
	return (u >> 63) ? ~u : u | ((uint64_t)1 << 63);
}

static inline double
sort_value(uint64_t k)
{
	uint64_t u = (k >> 63) ? k & ~((uint64_t)1 << 63) : ~k;
	double x;

	memcpy(&x, &u, sizeof x);
	return x;
}

/* Sort the n keys in a ascending, using b (n more) as room: an LSD radix
 * sort, 8 bits a pass, the eight passes' counts taken in one read of the
 * keys, passes where every key has the same byte skipped. Returns where
 * the sorted keys are (a or b). */
static uint64_t *
radix_sort(uint64_t *a, uint64_t *b, size_t n)
{
	size_t counts[8][256], i, pass;
	uint64_t *t;

	if (n == 0)
		return a;
	memset(counts, 0, sizeof counts);
	for (i = 0; i < n; i++) {
		uint64_t k = a[i];

		for (pass = 0; pass < 8; pass++)
			counts[pass][(k >> (pass * 8)) & 0xff]++;
	}
	for (pass = 0; pass < 8; pass++) {
		unsigned shift = (unsigned)pass * 8;
		size_t *count = counts[pass], sum = 0, c;

		if (count[(a[0] >> shift) & 0xff] == n)
			continue;
		for (i = 0; i < 256; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			b[count[(a[i] >> shift) & 0xff]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	return a;
}

/* Sort v ascending (a million samples in a few milliseconds, where qsort
 * takes a tenth of a second). */
bool
sort_doubles(double *v, size_t n)
{
	uint64_t *buf = malloc((2 * n + 1) * sizeof *buf), *a;
	size_t i;

	if (!buf)
		return false;
	for (i = 0; i < n; i++)
		buf[i] = sort_key(v[i]);
	a = radix_sort(buf, buf + n, n);
	for (i = 0; i < n; i++)
		v[i] = sort_value(a[i]);
	free(buf);
	return true;
}

void
sort_u64_room(uint64_t *v, uint64_t *room, size_t n)
{
	uint64_t *a = radix_sort(v, room, n);

	if (a != v)
		memcpy(v, a, n * sizeof *v);
}

bool
sort_u64(uint64_t *v, size_t n)
{
	uint64_t *buf = malloc((n + 1) * sizeof *buf);

	if (!buf)
		return false;
	sort_u64_room(v, buf, n);
	free(buf);
	return true;
}

/* The standard normal's quantile (Acklam's rational approximation, relative
 * error below 1.2e-9). */
static double
norm_q(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
		2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
		2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
		2.445134137142996e+00, 3.754408661907416e+00 };
	double q, r;

	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		       ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	if (p > 1 - 0.02425) {
		q = sqrt(-2 * log(1 - p));
		return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		       ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	q = p - 0.5;
	r = q * q;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
	       (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double
dist_quantile(const struct dist *d, double q)
{
	double x;

	switch (d->kind) {
	case DIST_FIXED:
		return d->p[0];
	case DIST_UNI:
		return d->p[0] + q * (d->p[1] - d->p[0]);
	case DIST_TRI: {
		double lo = d->p[0], mode = d->p[1], hi = d->p[2], f;

		if (!(hi > lo))
			return lo;
		f = (mode - lo) / (hi - lo);
		return q < f ? lo + sqrt(q * (hi - lo) * (mode - lo))
		             : hi - sqrt((1 - q) * (hi - lo) * (hi - mode));
	}
	case DIST_EXP:
		return -d->p[0] * log(1 - q);
	case DIST_NORM:
		x = d->p[0] + d->p[1] * norm_q(q);
		return x > 0 ? x : 0;
	case DIST_LOGN: {
		double m = d->p[0], s = d->p[1], s2, mu;

		if (!(m > 0))
			return 0;
		s2 = log(1 + s * s / (m * m));
		mu = log(m) - s2 / 2;
		return exp(mu + sqrt(s2) * norm_q(q));
	}
	default:
		return 0;
	}
}

static double
ms(double s)
{
	s = round(s * 1000) / 1000;
	return s < 0 ? 0 : s > MAX_S ? MAX_S : s;
}

/* The distance of d to the sample, d's quantiles bounded to [lo, hi]. */
static double
distance(const struct dist *d, const double *v, size_t n, double lo, double hi)
{
	size_t m = n < FIT_POINTS ? n : FIT_POINTS, k;
	double sum = 0;

	for (k = 0; k < m; k++) {
		double q = ((double)k + 0.5) / (double)m;
		double x = v[(size_t)(q * (double)n)];
		double y = dist_quantile(d, q);

		y = y < lo ? lo : y > hi ? hi : y;
		sum += fabs(x - y);
	}
	return sum / (double)m;
}

struct dist
dist_fit(const double *v, size_t n, double *w1)
{
	struct dist best = { .kind = DIST_NONE }, c[6];
	double mean = 0, var = 0, sd, lo, hi, bestd = INFINITY, mode;
	size_t i, k;

	if (w1)
		*w1 = 0;
	if (!n)
		return best;
	lo = v[0];
	hi = v[n - 1];
	for (i = 0; i < n; i++)
		mean += v[i];
	mean /= (double)n;
	if (n == 1 || !(hi > lo))
		return dist_fixed(ms(mean));
	for (i = 0; i < n; i++)
		var += (v[i] - mean) * (v[i] - mean);
	sd = sqrt(var / (double)(n - 1));
	mode = 3 * mean - lo - hi;
	mode = mode < lo ? lo : mode > hi ? hi : mode;
	c[0] = dist_fixed(ms(mean));
	c[1] = (struct dist){ .kind = DIST_UNI, .p = { ms(lo), ms(hi) } };
	c[2] = (struct dist){ .kind = DIST_TRI, .p = { ms(lo), ms(mode), ms(hi) } };
	c[3] = (struct dist){ .kind = DIST_EXP, .p = { ms(mean) } };
	c[4] = (struct dist){ .kind = DIST_NORM, .p = { ms(mean), ms(sd) } };
	c[5] = (struct dist){ .kind = DIST_LOGN, .p = { ms(mean), ms(sd) } };
	for (k = 0; k < 6; k++) {
		double dd;

		if (c[k].kind == DIST_LOGN && !(c[k].p[0] > 0))
			continue;
		dd = distance(&c[k], v, n, lo, hi);
		if (dd < bestd - 1e-9) {
			bestd = dd;
			best = c[k];
		}
	}
	if (w1)
		*w1 = bestd;
	return best;
}
