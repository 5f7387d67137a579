#include "ratingsel.h"

#include "err.h"
#include "log.h"

struct zeros {
	int mode;
	uint8_t one;
};

static void zeros_part(struct fpart *p)
{
	const struct zeros *z = p->arg;
	struct fstate *s = p->s;
	const struct glr *g = s->g;
	int mode = z->mode;
	for (uint64_t u = p->u0; u < p->u1; u++) {
		if (!s->ucount[u])
			continue;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			if (!fstate_kept(s, k))
				continue;
			int zero = fstate_value(s, k) == 0;
			if (mode == ZEROS_DROP ? zero : mode == ZEROS_IMPLICIT && !zero)
				fpart_drop(p, (uint32_t)u, k);
			else if (mode != ZEROS_DROP)
				s->rating[k] = z->one;
		}
	}
}

int ratingsel_zeros(struct fstate *s, int mode)
{
	const struct glr *g = s->g;
	struct zeros z = {.mode = mode};
	if (mode == ZEROS_KEEP)
		return 0;
	if (mode != ZEROS_DROP) {
		if (glr_encode(1.0, g->scale, &z.one)) {
			log_error("rating 1 is not representable at the file's scale %g", g->scale);
			return GL_EFORMAT;
		}
		int err = fstate_own_ratings(s);
		if (err)
			return err;
	}
	return fstate_each(s, zeros_part, &z);
}

struct range {
	double lo, hi;
};

static void range_part(struct fpart *p)
{
	const struct range *r = p->arg;
	struct fstate *s = p->s;
	const struct glr *g = s->g;
	for (uint64_t u = p->u0; u < p->u1; u++) {
		if (!s->ucount[u])
			continue;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			if (!fstate_kept(s, k))
				continue;
			double v = (double)fstate_value(s, k) * g->scale;
			if (v < r->lo || v > r->hi)
				fpart_drop(p, (uint32_t)u, k);
		}
	}
}

int ratingsel_range(struct fstate *s, double lo, double hi)
{
	struct range r = {lo, hi};
	return fstate_each(s, range_part, &r);
}
