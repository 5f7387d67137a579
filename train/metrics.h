/* metrics.h - how good a model (or the mean of an ensemble) is on the
 * validation ratings.
 *
 *   loss      mean squared error, or with the ce loss mean -log p(class)
 *   rmse, mae of the predicted rating
 *   accuracy  share of ratings whose predicted class is right: with ce the
 *             most probable class, otherwise the rating value nearest the
 *             prediction
 *   ranking   per user, the user's validation items sorted by prediction
 *             (ties: lower item id first); an item is relevant when its
 *             rating >= relevant.  precision@k = relevant in the top k /
 *             min(k, items), recall@k = relevant in the top k / relevant,
 *             NDCG@k with gains 1 for relevant items and log2(rank + 1)
 *             discounts; each averaged over the users with at least one
 *             relevant validation item.
 *
 * An ensemble predicts the mean of its members' ratings (and, with ce, of
 * their class probabilities).  Work is split over threads by users and the
 * per-thread sums are added in thread order, so the result depends on the
 * thread count only.
 */
#ifndef GL_TRAIN_METRICS_H
#define GL_TRAIN_METRICS_H

#include "model.h"

#include <stdint.h>

struct evalres {
	uint64_t n;          /* validation ratings */
	double loss, rmse, mae, accuracy;
	uint64_t rank_users; /* users counted in the ranking metrics */
	double precision, recall, ndcg;
};

/* Evaluate the mean of members[0..n_members) on d's validation ratings;
 * rank_k 0 skips the ranking metrics (left NaN, rank_users 0), which cost
 * a sort per user.  0 or GL_ENOMEM (logged). */
int eval_valid(struct model *const *members, int n_members, const struct tdata *d,
	       uint32_t rank_k, double relevant, uint32_t threads, struct evalres *r);

/* Ranking metrics of one user: the items' predictions and ratings (n of
 * them; order[] is scratch for n indices).  Adds to *prec, *rec, *ndcg and
 * returns 1 when the user counts (has a relevant item), else 0. */
int eval_rank_user(const float *pred, const float *rating, const uint32_t *items, size_t n,
		   uint32_t k, double relevant, uint32_t *order, double *prec, double *rec,
		   double *ndcg);

#endif
