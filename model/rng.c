/*
 * rng.c - xoshiro256** seeded by splitmix64, a portable ln and exp, and the
 * samplers of every distribution kind (rng.h says why the numbers are the
 * same on every machine).
 *
 * rng_log() and rng_exp() follow fdlibm 5.3 (e_log.c, e_exp.c), whose notice
 * is kept as it asks:
 *   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *   Developed at SunSoft, a Sun Microsystems, Inc. business.
 *   Permission to use, copy, modify, and distribute this software is freely
 *   granted, provided that this notice is preserved.
 */
#include "model/rng.h"

#include <math.h>
#include <string.h>

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* --- the generator --------------------------------------------------------- */

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

void
rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

static void
jump_by(struct rng *r, const uint64_t poly[4])
{
	uint64_t t[4] = { 0, 0, 0, 0 };
	int i, b, k;

	for (i = 0; i < 4; i++)
		for (b = 0; b < 64; b++) {
			if (poly[i] & ((uint64_t)1 << b))
				for (k = 0; k < 4; k++)
					t[k] ^= r->s[k];
			rng_next(r);
		}
	memcpy(r->s, t, sizeof t);
}

void
rng_jump(struct rng *r)
{
	static const uint64_t poly[4] = {
		0x180ec6d33cfd0abau, 0xd5a61266f0c9392cu,
		0xa9582618e03fc9aau, 0x39abdc4529b1661cu
	};

	jump_by(r, poly);
}

void
rng_long_jump(struct rng *r)
{
	static const uint64_t poly[4] = {
		0x76e15d3efefdcbbfu, 0xc5004e441c522fb3u,
		0x77710069854ee241u, 0x39109bb02acbe635u
	};

	jump_by(r, poly);
}

double
rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* --- ln and exp from basic operations ------------------------------------ */

static uint64_t
bits_of(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof u);
	return u;
}

static double
double_of(uint64_t u)
{
	double x;

	memcpy(&x, &u, sizeof x);
	return x;
}

static const double ln2_hi = 6.93147180369123816490e-01; /* 3fe62e42 fee00000 */
static const double ln2_lo = 1.90821492927058770002e-10; /* 3dea39ef 35793c76 */

double
rng_log(double x)
{
	static const double two54 = 1.80143985094819840000e+16;
	static const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
	                    Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
	                    Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
	                    Lg7 = 1.479819860511658591e-01;
	double hfsq, f, s, z, R, w, t1, t2, dk;
	int32_t k = 0, hx, i, j;
	uint64_t u = bits_of(x);

	hx = (int32_t)(u >> 32);
	if (hx < 0x00100000) {                       /* x < 2^-1022 */
		if (((hx & 0x7fffffff) | (uint32_t)u) == 0)
			return -INFINITY;
		if (hx < 0)
			return NAN;
		k -= 54;                             /* subnormal: scale up */
		x *= two54;
		u = bits_of(x);
		hx = (int32_t)(u >> 32);
	}
	if (hx >= 0x7ff00000)
		return x + x;
	k += (hx >> 20) - 1023;
	hx &= 0x000fffff;
	i = (hx + 0x95f64) & 0x100000;
	/* x or x/2 into [sqrt(2)/2, sqrt(2)) */
	x = double_of(((uint64_t)(uint32_t)(hx | (i ^ 0x3ff00000)) << 32) | (u & 0xffffffffu));
	k += i >> 20;
	f = x - 1.0;
	dk = (double)k;
	if ((0x000fffff & (2 + hx)) < 3) {           /* |f| < 2^-20 */
		if (f == 0)
			return k == 0 ? 0 : dk * ln2_hi + dk * ln2_lo;
		R = f * f * (0.5 - 0.33333333333333333 * f);
		return k == 0 ? f - R : dk * ln2_hi - ((R - dk * ln2_lo) - f);
	}
	s = f / (2.0 + f);
	z = s * s;
	i = hx - 0x6147a;
	w = z * z;
	j = 0x6b851 - hx;
	t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
	t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
	i |= j;
	R = t2 + t1;
	if (i > 0) {
		hfsq = 0.5 * f * f;
		if (k == 0)
			return f - (hfsq - s * (hfsq + R));
		return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
	}
	if (k == 0)
		return f - s * (f - R);
	return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

double
rng_exp(double x)
{
	static const double o_threshold = 7.09782712893383973096e+02;
	static const double u_threshold = -7.45133219101941108420e+02;
	static const double invln2 = 1.44269504088896338700e+00;
	static const double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
	                    P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
	                    P5 = 4.13813679705723846039e-08;
	double y, hi = 0, lo = 0, c, t;
	int32_t k = 0, xsb;
	uint32_t hx;

	if (isnan(x))
		return x;
	hx = (uint32_t)(bits_of(x) >> 32);
	xsb = (int32_t)(hx >> 31);                   /* sign of x */
	hx &= 0x7fffffff;
	if (x > o_threshold)
		return INFINITY;
	if (x < u_threshold)
		return 0;
	if (hx > 0x3fd62e42) {                       /* |x| > 0.5 ln2 */
		if (hx < 0x3ff0a2b2) {               /* and |x| < 1.5 ln2 */
			hi = xsb ? x + ln2_hi : x - ln2_hi;
			lo = xsb ? -ln2_lo : ln2_lo;
			k = 1 - xsb - xsb;
		} else {
			k = (int32_t)(invln2 * x + (xsb ? -0.5 : 0.5));
			t = k;
			hi = x - t * ln2_hi;         /* exact */
			lo = t * ln2_lo;
		}
		x = hi - lo;
	} else if (hx < 0x3e300000) {                /* |x| < 2^-28 */
		return 1 + x;
	}
	t = x * x;
	c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
	if (k == 0)
		return 1 - ((x * c) / (c - 2.0) - x);
	y = 1 - ((lo - (x * c) / (2.0 - c)) - hi);
	return ldexp(y, k);                          /* exact scaling by 2^k */
}

/* --- samplers -------------------------------------------------------------- */

void
sampler_init(struct sampler *s, const struct dist *d)
{
	memset(s, 0, sizeof *s);
	s->kind = d->kind;
	switch (d->kind) {
	case DIST_FIXED:
	case DIST_EXP:
		s->a = d->p[0];
		break;
	case DIST_UNI:
		s->a = d->p[0];
		s->b = d->p[1] - d->p[0];
		break;
	case DIST_TRI:
		s->a = d->p[0];                      /* min */
		s->b = d->p[2];                      /* max */
		s->c = d->p[2] > d->p[0] ? (d->p[1] - d->p[0]) / (d->p[2] - d->p[0]) : 0;
		s->d = d->p[1];                      /* mode */
		break;
	case DIST_NORM:
		s->a = d->p[0];
		s->b = d->p[1];
		break;
	case DIST_LOGN:
		if (d->p[0] <= 0 || d->p[1] <= 0) {  /* degenerate: a fixed time */
			s->kind = DIST_FIXED;
			s->a = d->p[0] > 0 ? d->p[0] : 0;
			break;
		}
		{
			double cv = d->p[1] / d->p[0];
			double sigma2 = rng_log(1 + cv * cv);

			s->a = rng_log(d->p[0]) - sigma2 / 2;   /* mu */
			s->b = sqrt(sigma2);                    /* sigma */
		}
		break;
	default:
		s->kind = DIST_NONE;
		break;
	}
}

/* A standard normal by Marsaglia's polar method (the second value of the
 * pair is not kept, so a draw depends on nothing but r). */
static double
std_normal(struct rng *r)
{
	double u, v, q;

	do {
		u = 2 * rng_uniform(r) - 1;
		v = 2 * rng_uniform(r) - 1;
		q = u * u + v * v;
	} while (q >= 1 || q == 0);
	return u * sqrt(-2 * rng_log(q) / q);
}

double
sampler_draw(const struct sampler *s, struct rng *r)
{
	double u, x;
	int tries;

	switch (s->kind) {
	case DIST_FIXED:
		return s->a;
	case DIST_UNI:
		return s->a + s->b * rng_uniform(r);
	case DIST_TRI:
		u = rng_uniform(r);
		if (u < s->c)
			return s->a + sqrt(u * (s->b - s->a) * (s->d - s->a));
		return s->b - sqrt((1 - u) * (s->b - s->a) * (s->b - s->d));
	case DIST_EXP:
		return -s->a * rng_log(1 - rng_uniform(r));
	case DIST_NORM:
		if (s->b <= 0)
			return s->a > 0 ? s->a : 0;
		/* Truncated at 0 by drawing again; the mean is >= 0, so at least
		 * half the draws are kept (the bound is for absurd inputs). */
		for (tries = 0; tries < 1000; tries++) {
			x = s->a + s->b * std_normal(r);
			if (x >= 0)
				return x;
		}
		return 0;
	case DIST_LOGN:
		return rng_exp(s->a + s->b * std_normal(r));
	default:
		return 0;
	}
}
