#include "ratingsel.h"

#include "err.h"
#include "log.h"

int ratingsel_zeros(struct fstate *s, int mode)
{
	const struct glr *g = s->g;
	uint8_t one = 0;
	if (mode == ZEROS_KEEP)
		return 0;
	if (mode != ZEROS_DROP) {
		if (glr_encode(1.0, g->scale, &one)) {
			log_error("rating 1 is not representable at the file's scale %g", g->scale);
			return GL_EFORMAT;
		}
		int err = fstate_own_ratings(s);
		if (err)
			return err;
	}
	for (uint64_t u = 0; u < g->n_users; u++) {
		if (!s->ucount[u])
			continue;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			if (!fstate_kept(s, k))
				continue;
			int zero = fstate_value(s, k) == 0;
			if (mode == ZEROS_DROP ? zero : mode == ZEROS_IMPLICIT && !zero)
				fstate_drop(s, (uint32_t)u, k);
			else if (mode != ZEROS_DROP)
				s->rating[k] = one;
		}
	}
	return 0;
}

int ratingsel_range(struct fstate *s, double lo, double hi)
{
	const struct glr *g = s->g;
	for (uint64_t u = 0; u < g->n_users; u++) {
		if (!s->ucount[u])
			continue;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			if (!fstate_kept(s, k))
				continue;
			double v = (double)fstate_value(s, k) * g->scale;
			if (v < lo || v > hi)
				fstate_drop(s, (uint32_t)u, k);
		}
	}
	return 0;
}
