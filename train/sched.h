/* sched.h - learning rate and momentum along training, as fastai does.
 *
 * pos runs from 0 at the first optimizer step to (steps-1)/steps at the
 * last: fastai's pct_train, read before each batch (ParamScheduler).
 *
 *   const      lr, mom fixed
 *   one-cycle  fastai fit_one_cycle: lr = combined_cos(pct_start, lr/div,
 *              lr, lr/div_final), mom = combined_cos(pct_start, moms[0],
 *              moms[1], moms[2]), where combined_cos runs
 *              sched_cos(a, b, p) = a + (1 + cos(pi * (1 - p))) * (b - a) / 2
 *              from start to middle over [0, pct_start) and from middle to
 *              end over [pct_start, 1]
 *   cosine     fastai SchedCos(lr, 0) over the whole run, mom fixed
 */
#ifndef GL_TRAIN_SCHED_H
#define GL_TRAIN_SCHED_H

#include "train_cfg.h"

struct hyper {
	double lr, mom;
};

/* The hyperparameters at pos in [0, 1). */
void sched_at(const struct train_cfg *c, double pos, struct hyper *h);

#endif
