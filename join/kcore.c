#include "kcore.h"

int kcore_run(struct fstate *s, uint32_t min_user, uint32_t min_item, uint32_t *passes)
{
	const struct glr *g = s->g;
	uint32_t n = 0;
	uint64_t dropped;
	do {
		dropped = 0;
		n++;
		for (uint64_t u = 0; u < g->n_users; u++) {
			if (!s->ucount[u])
				continue;
			for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
				if (!fstate_kept(s, k))
					continue;
				if (s->ucount[u] < min_user || s->icount[fstate_item(s, k)] < min_item) {
					fstate_drop(s, (uint32_t)u, k);
					dropped++;
				}
			}
		}
	} while (dropped);
	if (passes)
		*passes = n;
	return 0;
}
