/* join_glrgen - a raw Goodreads-like fact file for bench/filter.sh.
 *
 *   join_glrgen OUT.glr RATINGS USERS ITEMS
 *   join_glrgen --version
 *
 * User activity and item popularity follow power laws (weights (rank+1)^-0.6
 * and ^-0.8), 30% of rows are rating 0 (shelved), the rest 1-5 stars; items
 * are drawn with replacement, so active users repeat popular items and the
 * dedupe step has real work.  Times are spread over ten years; every third
 * rating is marked read.  Deterministic (fixed seed).
 *
 * JOIN_GLRGEN_VERSION goes into the names of cached inputs
 * (bench/filter.sh): bump it whenever the bytes written change.
 */
#include "glr.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JOIN_GLRGEN_VERSION 1

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("%d\n", JOIN_GLRGEN_VERSION);
		return 0;
	}
	if (argc != 5) {
		fputs("usage: join_glrgen OUT.glr RATINGS USERS ITEMS\n", stderr);
		return 2;
	}
	uint64_t n = strtoull(argv[2], NULL, 10), nu = strtoull(argv[3], NULL, 10);
	uint64_t ni = strtoull(argv[4], NULL, 10);
	double *cdf = malloc(ni * sizeof *cdf), wsum = 0;
	uint64_t *cnt = malloc(nu * sizeof *cnt);
	uint32_t *items = malloc(1 << 20), *times = malloc(1 << 20);
	uint8_t *rates = malloc(1 << 18), *bits = malloc(1 << 18);
	if (!cdf || !cnt || !items || !times || !rates || !bits)
		return 1;
	for (uint64_t i = 0; i < ni; i++)
		cdf[i] = (wsum += pow((double)i + 1, -0.8));
	double usum = 0;
	for (uint64_t u = 0; u < nu; u++)
		usum += pow((double)u + 1, -0.6);
	uint64_t total = 0;
	for (uint64_t u = 0; u < nu; u++) {
		double c = floor((double)(n - nu) * pow((double)u + 1, -0.6) / usum);
		cnt[u] = 1 + (uint64_t)c;
		if (cnt[u] > (1 << 18))
			cnt[u] = 1 << 18;
		total += cnt[u];
	}
	for (uint64_t u = 0; total < n; u = (u + 1) % nu)
		if (cnt[u] < (1 << 18))
			cnt[u]++, total++;
	struct glr_meta m = {.n_users = nu, .n_items = ni, .n_ratings = n, .scale = 0.5f,
			     .has_times = 1, .has_read = 1};
	struct glr_writer *w;
	if (glr_writer_open(&w, argv[1], &m))
		return 1;
	struct rng r;
	rng_init(&r, 42, 0);
	uint64_t k = 0;
	for (uint64_t u = 0; u < nu; u++) {
		/* a user's row: a shuffled permutation of users is not needed, the
		 * rank order is the order of first appearance */
		for (uint64_t j = 0; j < cnt[u]; j++, k++) {
			double x = rng_unit(&r) * wsum;
			uint64_t lo = 0, hi = ni - 1;
			while (lo < hi) {
				uint64_t mid = (lo + hi) / 2;
				if (cdf[mid] < x)
					lo = mid + 1;
				else
					hi = mid;
			}
			items[j] = (uint32_t)lo;
			rates[j] = rng_below(&r, 10) < 3 ? 0 : (uint8_t)(2 + 2 * rng_below(&r, 5));
			times[j] = 1262304000u + (uint32_t)rng_below(&r, 315360000u);
			bits[j] = k % 3 == 0 ? GLR_BIT_READ : 0;
		}
		if (glr_writer_row(w, items, rates, times, bits, cnt[u]))
			return 1;
	}
	return glr_writer_commit(w) ? 1 : 0;
}
