#include "filter_usample.h"

#include "rng.h"

#include <math.h>

enum { USAMPLE_STREAM = 0x75736572 }; /* "user" */

uint64_t usample_count(const struct fstate *s, double fraction)
{
	uint64_t users, items;
	fstate_census(s, &users, &items);
	return (uint64_t)llround(fraction * (double)users);
}

int usample_run(struct fstate *s, uint64_t want, uint64_t seed)
{
	const struct glr *g = s->g;
	uint64_t users, items;
	fstate_census(s, &users, &items);
	if (want >= users)
		return 0;
	struct rng r;
	rng_init(&r, seed, USAMPLE_STREAM);
	uint64_t seen = 0, taken = 0;
	for (uint64_t u = 0; u < g->n_users; u++) {
		if (!s->ucount[u])
			continue;
		if (rng_below(&r, users - seen) < want - taken) {
			taken++;
		} else {
			for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
				if (fstate_kept(s, k))
					fstate_drop(s, (uint32_t)u, k);
		}
		seen++;
	}
	return 0;
}
