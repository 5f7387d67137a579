/* recommend.h - what goodlens-recommend computes from a trained model.
 *
 * Scores are predicted ratings (the model's link applied), averaged over
 * the members of an ensemble, computed by score.h (factor models: a block
 * of users against every item with one cblas_sgemm, then mu and the
 * biases; nn: its forward pass over every item), as the trainer's ranking
 * metrics compute them.
 *
 * Items that had no training rating are never recommended: their factors
 * are whatever initialisation left, not something learnt.
 */
#ifndef GL_TRAIN_RECOMMEND_H
#define GL_TRAIN_RECOMMEND_H

#include "glm.h"
#include "glr.h"
#include "model.h"

#include <stddef.h>
#include <stdint.h>

struct recsys {
	struct glm g;
	struct model m[9];
	uint32_t n_members;
	uint64_t n_users, n_items;
	struct glr r;
	int have_r;
	uint32_t *trained;  /* per item: training ratings (all 1 without a ratings file) */
};

/* Load the model (and the ratings file, may be NULL) and check they agree.
 * 0, GL_EIO or GL_EFORMAT (logged). */
int rec_open(struct recsys *s, const char *model_path, const char *ratings_path);
void rec_close(struct recsys *s);

/* 1 when the model scores through factors and biases (dot, mf, als). */
int rec_is_factor(const struct recsys *s);

/* Scores of every item for users[0..n): out is n x n_items.  0 or
 * GL_ENOMEM (logged). */
int rec_score_users(const struct recsys *s, const uint32_t *users, size_t n, float *out);

/* Scores of every item for a folded-in user: member j's factors at
 * p + j * k and bias b[j].  Factor models only. */
void rec_score_folded(const struct recsys *s, const float *p, const float *b, float *out);

/* Scores from the item biases alone (link(mu + b_i)), or for a model
 * without biases the items' training-rating counts. */
void rec_score_bias(const struct recsys *s, float *out);

struct rec_hit {
	uint32_t item;
	float score;
};

/* The N best items by score (ties: lower id first), skipping items with
 * skip[i] set and items without training ratings.  Returns how many. */
size_t rec_top(const struct recsys *s, const float *score, const uint8_t *skip, size_t N,
	       struct rec_hit *out);

/* Mark in skip (n_items bytes) the items user u rated (train or valid). */
void rec_mark_seen(const struct recsys *s, uint32_t u, uint8_t *skip, uint8_t value);

/* The same for the items user u rated in training only (split bit clear):
 * the candidates the trainer's ranking metrics rank (train_metrics.h). */
void rec_mark_trained(const struct recsys *s, uint32_t u, uint8_t *skip, uint8_t value);

/* Cosine similarity of item's factors (member 0) with every item's into
 * out (n_items).  0 or GL_EUSAGE for a model without item factors. */
int rec_cosine(const struct recsys *s, uint32_t item, float *out);

#endif
