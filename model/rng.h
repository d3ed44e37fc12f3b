/*
 * rng.h - the simulation's random numbers: the same seed gives the same
 * numbers on every machine.
 *
 * Generator. xoshiro256** 1.0 (Blackman and Vigna, 2018): 256 bits of state,
 * period 2^256 - 1, passes BigCrush and PractRand. A 64-bit seed fills the
 * state through splitmix64 (Steele, Lea and Flood), as the authors advise, so
 * every seed, 0 included, gives a good state. rng_jump() advances a state by
 * 2^128 draws and rng_long_jump() by 2^192: the simulation gives each
 * replication its own long-jumped stream and, inside it, arrivals and
 * service times their own jumped streams, so a scenario and its baseline see
 * the same arrivals (common random numbers).
 *
 * Uniforms. rng_uniform() takes the top 53 bits of a draw: k * 2^-53 for an
 * integer k, in [0, 1), every value exactly representable.
 *
 * Why the numbers are the same everywhere. The generator is integer
 * arithmetic on uint64_t. The samplers use only the IEEE 754 basic
 * operations (+ - * / and sqrt), which every conforming machine rounds the
 * same way, and rng_log()/rng_exp() below, which are written with those
 * operations alone (the algorithms and coefficients of fdlibm's e_log.c and
 * e_exp.c) instead of the C library's log and exp, whose last bit differs
 * between C libraries and versions. What it relies on: double is IEEE 754
 * binary64 evaluated in double (FLT_EVAL_METHOD 0: any x86-64 or ARM64), and
 * no contraction of a*b+c into a fused multiply-add in rng.c (GCC gives
 * -ffp-contract=off under -std=c11; rng.c asks clang with its pragma).
 */
#ifndef STEPMAP_RNG_H
#define STEPMAP_RNG_H

#include <stdint.h>

#include "model/duration.h"

struct rng {
	uint64_t s[4];
};

/* Fill r's state from seed through splitmix64. */
void rng_seed(struct rng *r, uint64_t seed);
/* The next 64 random bits. */
uint64_t rng_next(struct rng *r);
/* Advance r by 2^128 draws (jump) or 2^192 draws (long jump). */
void rng_jump(struct rng *r);
void rng_long_jump(struct rng *r);
/* A uniform double in [0, 1): (next >> 11) * 2^-53. */
double rng_uniform(struct rng *r);

/* ln x and e^x from basic operations only (see above); within 1 ulp of the
 * exact value. rng_log(0) is -inf, rng_log of a negative NaN; rng_exp
 * overflows to +inf above 709.78 and underflows to 0 below -745.13. */
double rng_log(double x);
double rng_exp(double x);

/*
 * A distribution made ready to draw from (parameters of the lognormal's
 * underlying normal precomputed, and so on). How each kind draws:
 *   NONE      0
 *   FIXED     its value
 *   UNI       min + (max - min) u
 *   TRI       inverse CDF: min + sqrt(u (max-min)(mode-min)) below the mode,
 *             max - sqrt((1-u)(max-min)(max-mode)) above
 *   EXP       -mean ln(1 - u)
 *   NORM      Marsaglia's polar method; a negative draw is drawn again (the
 *             normal truncated at 0, whose mean dist_mean() gives)
 *   LOGN      e^(mu + sigma z) with sigma^2 = ln(1 + sd^2/mean^2) and
 *             mu = ln mean - sigma^2 / 2, so the time has the given mean and
 *             standard deviation
 * Every draw is finite and >= 0.
 */
struct sampler {
	enum dist_kind kind;
	double a, b, c, d;
};

void sampler_init(struct sampler *s, const struct dist *d);
/* Draw one time in seconds from s with r. */
double sampler_draw(const struct sampler *s, struct rng *r);

#endif
