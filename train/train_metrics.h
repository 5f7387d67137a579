/* train_metrics.h - how good a model (or the mean of an ensemble) is on the
 * validation ratings.
 *
 *   loss      mean squared error, or with the ce loss mean -log p(class)
 *   rmse, mae of the predicted rating
 *   accuracy  share of ratings whose predicted class is right: with ce the
 *             most probable class, otherwise the rating value nearest the
 *             prediction
 *   ranking   over the whole catalogue, for each user with at least one
 *             validation rating >= relevant: the candidates are every
 *             item with a training rating that the user did not rate in
 *             training; the model's top k of them by predicted rating
 *             (ties: lower item id first) against the relevant items (the
 *             user's validation items rated >= relevant).  precision@k =
 *             hits / k, recall@k = hits / |relevant|, NDCG@k with gain 1
 *             per hit and log2(rank + 1) discounts over the ideal DCG of
 *             min(k, |relevant|) hits, hit rate@k = share of users with a
 *             hit, each averaged over those users; coverage@k = share of
 *             the candidate items (with a training rating) that appear in
 *             some user's top k.  Scores come from score.h, the code
 *             goodlens-recommend ranks with, so its --exclude train lists
 *             are these top k.  A user without training ratings is ranked
 *             by score_bias, as goodlens-recommend ranks one.  A model
 *             scoring mu + b_u + b_i (the biases baseline) ranks items by
 *             b_i for every user, and the popularity baseline by training
 *             count (eval_popularity): one order for all users.
 *             Factor models score blocks of 256 users against chunks of
 *             items with cblas_sgemm, on the threads; when users x
 *             catalogue passes 2^30, every s-th such user is ranked (s the
 *             smallest keeping it under), logged.  With one member and a
 *             link that never decreases (not ce: score_raw_monotone), the
 *             sgemm covers the candidates only, and once a user's top k
 *             is full an item is looked at only if its raw score beats
 *             the k-th best's (16 items a vector test): the same lists
 *             as rating every candidate, at about the sgemm's cost.
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
	uint64_t rank_users; /* users the ranking metrics average over */
	uint64_t rank_of;    /* users with a relevant validation rating */
	double precision, recall, ndcg, hit_rate, coverage;
	double rank_seconds; /* wall time of the ranking */
};

/* Evaluate the mean of members[0..n_members) on d's validation ratings;
 * rank_k 0 skips the ranking metrics (left NaN, rank_users 0), which
 * score every item for every ranked user.  0 or GL_ENOMEM (logged). */
int eval_valid(struct model *const *members, int n_members, const struct tdata *d,
	       uint32_t rank_k, double relevant, uint32_t threads, struct evalres *r);

/* The popularity baseline's ranking metrics: every user's candidates
 * ordered by their number of training ratings (ties: lower id first);
 * the rating metrics are NaN (it predicts no rating).  0 or GL_ENOMEM. */
int eval_popularity(const struct tdata *d, uint32_t rank_k, double relevant, uint32_t threads,
		    struct evalres *r);

#endif
