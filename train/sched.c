#include "sched.h"

#include <math.h>

/* fastai's sched_cos. */
static double sched_cos(double start, double end, double pos)
{
	return start + (1 + cos(M_PI * (1 - pos))) * (end - start) / 2;
}

/* fastai's combined_cos(pct, start, middle, end) at pos. */
static double sched_combined_cos(double pct, double start, double middle, double end,
				 double pos)
{
	/* combine_scheds picks the last phase whose start is <= pos. */
	if (pos >= pct)
		return pct >= 1 ? middle : sched_cos(middle, end, (pos - pct) / (1 - pct));
	return sched_cos(start, middle, pos / pct);
}

void sched_at(const struct train_cfg *c, double pos, struct hyper *h)
{
	switch (c->schedule) {
	case SCHED_ONE_CYCLE:
		h->lr = sched_combined_cos(c->pct_start, c->lr / c->div, c->lr, c->lr / c->div_final,
					   pos);
		h->mom = sched_combined_cos(c->pct_start, c->moms[0], c->moms[1], c->moms[2], pos);
		break;
	case SCHED_COSINE:
		h->lr = sched_cos(c->lr, 0, pos);
		h->mom = c->mom;
		break;
	default:
		h->lr = c->lr;
		h->mom = c->mom;
		break;
	}
}
