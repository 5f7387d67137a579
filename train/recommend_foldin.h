/* recommend_foldin.h - a new user's factors from a few ratings, without retraining.
 *
 * For a factor model (dot, mf, als) with item factors q_i and biases b_i
 * held fixed, the user's x = [p; b] solves the ridge problem
 *     min  sum_j (t_j - b_{i_j} - mu - [q_{i_j}; 1] . x)^2 + lambda * n * |x|^2
 * where t_j is the rating r_j taken back through the model's link to a
 * score (identity; logit for sigmoid_range, clamped inside the range; for
 * the ce head the score whose expected rating is r_j, by bisection).  The
 * normal equations are formed with cblas_ssyrk/sgemv and solved with
 * LAPACKE_sposv, as ALS solves a user.
 */
#ifndef GL_TRAIN_FOLDIN_H
#define GL_TRAIN_FOLDIN_H

#include "model.h"

#include <stddef.h>
#include <stdint.h>

/* The score s with link(s) = r (the inverse of model_link). */
double foldin_unlink(const struct model *m, double r);

/* Solve for the user's factors p[0..k) and bias *b from n (item, rating)
 * pairs, all items < n_items.  0, GL_EUSAGE (n == 0 or not a factor model)
 * or GL_ENOMEM (logged). */
int foldin_user(const struct model *m, const uint32_t *items, const float *ratings, size_t n,
		double lambda, float *p, float *b);

#endif
