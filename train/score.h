/* score.h - predicted ratings of a block of users for a range of items:
 * the one code path goodlens-recommend's lists and the trainer's ranking
 * metrics (train_metrics.h) share, so that both rank with the same bits.
 *
 * Factor models (member 0 has user and item factors and biases: dot, mf,
 * als, bpmf) score the block with glm_score_block (lib/glmscore.h: one
 * cblas_sgemm of the users' factor rows against the item rows, then
 * mu + b_u + b_i in float and the link), as goodlens-report does; other
 * models run ops->predict per user.  An ensemble's score is
 * the members' sum divided by their count.  A user without training
 * ratings is scored by score_bias instead (both callers decide that).
 */
#ifndef GL_TRAIN_SCORE_H
#define GL_TRAIN_SCORE_H

#include "model.h"

#include <stddef.h>
#include <stdint.h>

/* Scratch grown on demand; zero it before first use, free with
 * score_buf_free. */
struct score_buf {
	float *P, *bu, *tmp, *Q, *bi;
	uint32_t *ids;
	size_t cap_p, cap_u, cap_tmp, cap_ids, cap_q, cap_bi;
};

void score_buf_free(struct score_buf *b);

/* out[r * ni + x] = the ensemble ms[0..nm)'s predicted rating of
 * users[r] for item i0 + x, r < n, x < ni.  0 or GL_ENOMEM (not logged). */
int score_users(struct model *const *ms, uint32_t nm, const uint32_t *users, size_t n,
		uint64_t i0, uint64_t ni, float *out, struct score_buf *b);

/* out[x] for items i0 + x, x < ni: from the item biases alone, the mean
 * over members of link(mu + b_i); for a model without biases the items'
 * training-rating counts trained[]. */
void score_bias(struct model *const *ms, uint32_t nm, const uint32_t *trained, uint64_t i0,
		uint64_t ni, float *out);

/* 1 when ms[0] scores through factors and biases (dot, mf, als). */
int score_is_factor(const struct model *m);

/* Ranking's fast path (train_metrics.h).  1 when the ensemble ms[0..nm) scores
 * a pair as link(s) of one raw score s = p.q + ((mu + b_u) + b_i) with a
 * link that never decreases (one factor member whose loss is not ce: the
 * identity, clipping, sigmoid_range), so that an item whose s is at most
 * another's cannot rate above it.  score_users computes s the same way,
 * in this order, and so do the functions below: the same bits. */
int score_raw_monotone(struct model *const *ms, uint32_t nm);

/* For such an ensemble: dot[r * ni + x] = p_u . q_i of users[r] and the
 * x-th item, the sgemm alone, and base[r] = mu + b_u; the items are
 * items[0..ni) (ascending ids; their rows are gathered, so that items
 * without a use cost nothing), or with items NULL i0 .. i0 + ni.  *bi is
 * set to the items' biases in the same order.  0 or GL_ENOMEM. */
int score_users_dot(struct model *const *ms, const uint32_t *users, size_t n,
		    const uint32_t *items, uint64_t i0, uint64_t ni, float *dot, float *base,
		    const float **bi, struct score_buf *b);

/* s of the x-th item from its dot product and bias and the user's base. */
float score_raw(const float *dot, const float *bi, float base, uint64_t x);

/* The first x in [from, n) whose s (as score_raw) is above t, or n: most
 * of a long catalogue is not, and this tests it in vector registers. */
uint64_t score_next_above(const float *dot, const float *bi, float base, uint64_t from,
			  uint64_t n, float t);

/* The rating score_users gives for raw score s of model m. */
float score_link(const struct model *m, float s);

#endif
