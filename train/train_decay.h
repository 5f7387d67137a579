/* train_decay.h - when fastai's decoupled weight decay will flatten a minibatch
 * model's embeddings, and what to change.
 *
 * fastai applies decoupled weight decay to every parameter at every step
 * (nn.Embedding's gradient is dense), so a user's or item's row shrinks by
 * (1 - lr wd) at each step, also the many steps whose batch does not hold
 * it.  A row with n training ratings among N, trained in batches of B, is
 * touched once in N / (B n) steps; averaged over the ratings (the rows a
 * prediction reads) that gap is rows / B.  Each visit moves the row by
 * about lr (Adam's steps are normalised) and the gap takes away lr wd gap
 * of it, so the row settles near a size of order 1 / (wd gap): lr cancels,
 * and the exposure
 *     E = wd * rows / (bs * accum)
 * decides (docs/TRAIN.md measures it).  Above DECAY_WARN a factor model's
 * predictions fall toward the middle of its --y-range; at DECAY_GOOD or
 * less they do not suffer from it.
 */
#ifndef GL_TRAIN_DECAY_H
#define GL_TRAIN_DECAY_H

#include "train_cfg.h"
#include "data.h"

#include <stdint.h>

#define DECAY_WARN 20.0
#define DECAY_GOOD 5.0

struct decay_risk {
	double exposure;    /* E of the side with more rows */
	int items;          /* that side: 0 users, 1 items */
	uint64_t rows;      /* its rows */
	double gap;         /* steps between two updates of a typical row */
	uint64_t bs_good;   /* the smallest power-of-two --bs with E <= DECAY_GOOD */
};

/* The exposure of c's training on d (n_users x n_items): 0 in *r when
 * decoupled decay does not apply (mf, als, --wd-mode l2, --wd 0). */
void decay_risk(const struct train_cfg *c, uint64_t n_users, uint64_t n_items,
		struct decay_risk *r);

/* Warn (log.h), saying what to change, when c trains dot on d with an
 * exposure above DECAY_WARN.  Returns 1 when it warned. */
int decay_advise(const struct train_cfg *c, const struct tdata *d);

#endif
