/* train_ref - the reference rate of bench/train.sh and train_scale.sh:
 * one pass over the training ratings of a .glr file in CSR order computing
 * the k-dim dot product of each rating's user and item rows (what an SGD
 * update reads, without the update), timed in-process.
 *
 * A reference, not a floor: it is a plain loop, one rating at a time, so
 * goodlens-train's mf kernel (two users interleaved, the user row in
 * registers, FMA) can and does beat it (ratio above 1).  It measures how
 * fast this machine reads the rows, in the same run as the model.
 *
 * usage: train_ref FILE.glr K PASSES
 * prints: dots_per_s=X
 */
#include "../train/kern.h"
#include "glr.h"
#include "log.h"
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	struct glr g;
	struct rng r;
	log_init("train_ref", LOG_NORMAL);
	if (argc != 4) {
		fprintf(stderr, "usage: train_ref FILE.glr K PASSES\n");
		return 2;
	}
	uint32_t k = (uint32_t)strtoul(argv[2], NULL, 10), passes = (uint32_t)strtoul(argv[3], NULL, 10);
	if (glr_open(&g, argv[1], 0))
		return 1;
	float *P = malloc(g.n_users * k * sizeof *P), *Q = malloc(g.n_items * k * sizeof *Q);
	if (!P || !Q)
		return 1;
	rng_init(&r, 1, 1);
	for (uint64_t i = 0; i < g.n_users * k; i++)
		P[i] = (float)rng_normal(&r) * 0.1f;
	for (uint64_t i = 0; i < g.n_items * k; i++)
		Q[i] = (float)rng_normal(&r) * 0.1f;
	double sink = 0, t0 = now();
	uint64_t n = 0;
	for (uint32_t pass = 0; pass < passes; pass++)
		for (uint64_t u = 0; u < g.n_users; u++)
			for (uint64_t x = g.rowptr[u]; x < g.rowptr[u + 1]; x++) {
				if (glr_bit(g.split, x))
					continue;
				sink += kern_dot(P + u * k, Q + (size_t)g.items[x] * k, k) - glr_value(&g, x);
				n++;
			}
	double secs = now() - t0;
	printf("dots_per_s=%.0f sink=%g\n", (double)n / secs, sink);
	free(P);
	free(Q);
	glr_close(&g);
	return 0;
}
