/* rng.h - a small deterministic random number generator (xoshiro256**).
 *
 * Every random choice in goodlens (sample data, initialisation, shuffles,
 * splits) draws from an rng seeded explicitly, so the same --seed gives the
 * same output on every machine.  Streams for threads or ensemble members come
 * from rng_init(seed, stream) with distinct stream numbers.
 */
#ifndef GL_RNG_H
#define GL_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* Seed state from (seed, stream); different streams are independent. */
void rng_init(struct rng *r, uint64_t seed, uint64_t stream);

uint64_t rng_u64(struct rng *r);
/* Uniform in [0, n); n > 0.  Unbiased (Lemire's method). */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform in [0, 1) with 53 random bits. */
double rng_unit(struct rng *r);
/* Standard normal deviate (Box-Muller, no cached second value). */
double rng_normal(struct rng *r);
/* Two independent standard normal deviates from one Box-Muller draw (the
 * cosine and the sine), for callers that want many. */
void rng_normal2(struct rng *r, double *a, double *b);
/* Gamma(shape, 1) deviate, shape > 0 (Marsaglia and Tsang 2000; below 1 by
 * Gamma(shape + 1) * U^(1/shape)).  Divide by a rate for Gamma(shape, rate);
 * 2 * rng_gamma(r, df / 2) is chi-square with df degrees of freedom. */
double rng_gamma(struct rng *r, double shape);

#endif
