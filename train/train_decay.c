#include "train_decay.h"

#include "glm.h"
#include "log.h"

#include <inttypes.h>
#include <string.h>

void decay_risk(const struct train_cfg *c, uint64_t n_users, uint64_t n_items,
		struct decay_risk *r)
{
	memset(r, 0, sizeof *r);
	if ((c->kind != GLM_DOT && c->kind != GLM_NN) || c->wd_mode != WD_DECOUPLED ||
	    !(c->wd > 0))
		return;
	double group = (double)c->bs * c->accum;
	r->items = n_items > n_users;
	r->rows = r->items ? n_items : n_users;
	r->gap = (double)r->rows / group;
	r->exposure = c->wd * r->gap;
	double need = c->wd * (double)r->rows / DECAY_GOOD;
	r->bs_good = 1;
	while ((double)r->bs_good < need)
		r->bs_good *= 2;
}

int decay_advise(const struct train_cfg *c, const struct tdata *d)
{
	struct decay_risk r;
	/* nn's BatchNorm rescales what its embeddings feed it, so a uniform
	 * shrinking costs it little; dot reads its rows as they are. */
	if (c->kind != GLM_DOT)
		return 0;
	decay_risk(c, d->n_users, d->n_items, &r);
	if (r.exposure <= DECAY_WARN)
		return 0;
	const char *side = r.items ? "item" : "user";
	log_warn("weight decay will flatten this model: --wd %g (decoupled, as fastai does) shrinks "
		 "every row at every step, and in batches of %u ratings a typical %s row is updated "
		 "once in %.0f steps (%" PRIu64 " %ss): wd x steps between updates = %.0f, above %g, "
		 "where predictions fall toward the middle of --y-range (docs/TRAIN.md)",
		 c->wd, c->bs * c->accum, side, r.gap, r.rows, side, r.exposure, DECAY_WARN);
	log_warn("for these data use %s %" PRIu64 " or more (with fewer steps a larger --lr may "
		 "help), or --model mf",
		 c->accum > 1 ? "--bs times --accum" : "--bs", r.bs_good);
	return 1;
}
