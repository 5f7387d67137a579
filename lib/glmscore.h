/* glmscore.h - how a factor model scores, beside its file format (glm.h):
 * the one code goodlens-train's predictions and ranking metrics,
 * goodlens-recommend's lists and goodlens-report's recommendations share.
 *
 * Every factor model (dot, mf, als, bpmf) scores
 *     s = mu + user_bias[u] + item_bias[i] + user_factors[u] . item_factors[i]
 * and turns s into a rating by its link: identity, sigmoid_range(s) =
 * y_lo + (y_hi - y_lo) * sigmoid(s) when y_lo < y_hi, or with the ce loss
 * the expected rating under softmax(class_w * s + class_b) over the classes
 * class_lo + c * class_step.  The identity link clips to the rating range
 * (r_lo..r_hi: the training file's values, or the model file's), as
 * sigmoid_range bounds dot's output: a score past 5 stars predicts 5.
 *
 * nn scores through its network (train/model_nn.c) and uses the link alone.
 */
#ifndef GL_GLMSCORE_H
#define GL_GLMSCORE_H

#include "glm.h"

#include <stddef.h>
#include <stdint.h>

/* Most ce classes a link handles (the training file's distinct values). */
#define GLM_MAX_CLASSES 256

/* The link from score to rating, as the model's scalars set it. */
struct glm_link {
	int loss;                  /* enum glm_loss */
	float y_lo, y_hi;          /* sigmoid_range when y_lo < y_hi */
	uint32_t n_classes;        /* ce: class c means class_lo + c * class_step */
	float class_lo, class_step;
	int clip;                  /* 1: the identity link clips to r_lo..r_hi */
	float r_lo, r_hi;
};

/* The link of a loaded model file: its output range, its loss, and the
 * rating range n_classes values from class_lo (no clipping in files that
 * recorded it for the ce loss only, n_classes 0). */
void glm_link_of(const struct glm *g, struct glm_link *l);

/* The rating for score s; with the ce loss prob (may be NULL) receives the
 * n_classes class probabilities and cw, cb are the class head. */
float glm_link_rating(const struct glm_link *l, double s, const float *cw, const float *cb,
		      float *prob);

/* A factor model's tensors (row-major, k columns for the factors) and
 * link; cw and cb are NULL unless the loss is ce. */
struct glm_factors {
	uint64_t n_users, n_items;
	uint32_t k;
	float mu;
	const float *P, *Q, *bu, *bi, *cw, *cb;
	struct glm_link link;
};

/* Member 0 of a loaded model file (the tensors without an "m<j>."
 * prefix) as factors.  NULL, or why it cannot be scored here (an nn model,
 * missing or misshapen tensors): a static sentence for people. */
const char *glm_factors_of(const struct glm *g, struct glm_factors *f);

/* out[r * ni + x] = the rating of the user whose factor row is P + r * k
 * and bias bu[r] for item i0 + x, r < n, x < ni: one cblas_sgemm for the
 * dot products, then mu + b_u + b_i added in float and the link. */
void glm_score_block(const struct glm_factors *f, const float *P, const float *bu, size_t n,
		     uint64_t i0, uint64_t ni, float *out);

/* out[i] = user u's rating of every item i < n_items (glm_score_block
 * for one user). */
void glm_score_user(const struct glm_factors *f, uint32_t u, float *out);

#endif
