#include "kcore.h"

int kcore_run(struct fstate *s, uint32_t min_user, uint32_t min_item, uint32_t *passes)
{
	const struct glr *g = s->g;
	uint32_t n = 0;
	int again;
	do {
		again = 0;
		n++;
		for (uint64_t u = 0; u < g->n_users; u++) {
			if (!s->ucount[u])
				continue;
			for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
				if (!fstate_kept(s, k))
					continue;
				uint32_t i = fstate_item(s, k);
				int user_ok = s->ucount[u] >= min_user, item_ok = s->icount[i] >= min_item;
				if (user_ok && item_ok)
					continue;
				fstate_drop(s, (uint32_t)u, k);
				/* a count that falls under its minimum now leaves the
				 * ratings this pass kept before it in breach */
				again |= user_ok && s->ucount[u] && s->ucount[u] < min_user;
				again |= item_ok && s->icount[i] && s->icount[i] < min_item;
			}
		}
	} while (again);
	if (passes)
		*passes = n;
	return 0;
}
