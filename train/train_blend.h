/* train_blend.h - goodlens-train --blend: models of different kinds combined by
 * linear weights fitted on ratings held out of the training set.
 *
 *   1. A share cfg.blend_holdout of the training ratings (a seeded hash of
 *      each rating's position: the same ratings for the same --seed) is
 *      held out; the validation split is never touched.
 *   2. Each member (its model's defaults, cfg_member) is trained on the
 *      rest and predicts the holdout.
 *   3. Weights with an intercept are fitted to the holdout ratings by ridge
 *      regression (blend_fit); when a single member does better on the
 *      holdout than the fitted blend, the blend is that member alone, so
 *      the blend is never worse on its holdout than its best member.
 *   4. Each member is trained again on all the training ratings and the
 *      blend, clip(w0 + sum_j w_j pred_j) to the rating range, is
 *      evaluated on the validation ratings.
 *
 * Outputs in outdir, as trainer.h's plus blend.csv:
 *   metrics.csv        step 4's epochs, with a member column (index in the list)
 *   predictions.csv    the blend's validation predictions, in trainer.h's
 *                      columns (the source keys beside the dense ids)
 *   train.summary.csv  the baselines, every member (model = its kind,
 *                      member = its index) and the blend (blend,all)
 *   blend.csv          member,model,weight,holdout_rmse,valid_rmse: the
 *                      intercept, each member, and the blend
 *   model.glm          the member with the best holdout RMSE, retrained on
 *                      all the training ratings (recommend and report use
 *                      a model of one kind); its hparams name the blend,
 *                      and its `source` section is trainer.c's (rating
 *                      scale, key fingerprints)
 */
#ifndef GL_TRAIN_BLEND_H
#define GL_TRAIN_BLEND_H

#include "train_cfg.h"

#include <stdint.h>

/* Blend the models c->blend[0 .. c->n_blend) on the .glr file at path,
 * writing into outdir.  The source keys come from users.csv and items.csv
 * beside path, as trainer_run reads them (train/train_keys.h).  0 or a gl_err
 * (logged). */
int blend_run(const struct train_cfg *c, const char *path, const char *outdir);

/* The same with the tables named: users and items (NULL: beside path). */
int blend_run_keyed(const struct train_cfg *c, const char *path, const char *users,
		    const char *items, const char *outdir);

/* Fit w[0 .. m] (w[0] the intercept) to y[0 .. n) from the members'
 * predictions X (n rows of m, row-major): minimise
 *     sum_r (y_r - w0 - sum_j w_j X_rj)^2 + lambda sum_{j>=1} w_j^2
 * through the (m+1) x (m+1) normal equations (LAPACKE_dposv, double).
 * The blend predicts clip(w0 + sum_j w_j X_rj, lo, hi).  When member b alone
 * has a smaller squared error than that (or the system is singular), w
 * becomes 1 for b and 0 elsewhere.  *sse gets the blend's squared error,
 * member_sse[j] (m values) each member's; *best the best member.  0, or
 * GL_EUSAGE when n is 0. */
int blend_fit(const float *X, const float *y, uint64_t n, int m, double lambda, float lo,
	      float hi, double *w, double *sse, double *member_sse, int *best);

#endif
