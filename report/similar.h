/* similar.h - what the item factors say: nearest items by cosine, and
 * top-N recommendations for a few sample users.
 *
 * Both score every candidate item with OpenBLAS (sgemm over blocks of
 * normalised factor rows; for a user the sgemm of lib/glmscore.h, the
 * code goodlens-recommend scores with) and keep the best in a small sorted
 * list, so memory is the factors plus one block, whatever the number of
 * items.  Items with fewer than min_ratings ratings are not
 * candidates: their factors have barely moved from the initialisation.
 */
#ifndef GL_REPORT_SIMILAR_H
#define GL_REPORT_SIMILAR_H

#include "census.h"
#include "glm.h"
#include "glmscore.h"
#include "inputs.h"

#include <stdint.h>
#include <stdio.h>

#define SIM_NONE UINT32_MAX

struct similar {
	uint32_t n_query, k;   /* n_query = 0: not computed */
	uint32_t *query;       /* n_query ids: the most-rated items */
	uint32_t *nb;          /* n_query x k neighbour ids, SIM_NONE past the end */
	float *cos;            /* their cosines */
};

/* The k nearest candidates of each of the n_query most-rated items (the
 * item itself excluded) by cosine of the rows of q.  Without a usable q
 * (NULL, or rows != items) s->n_query = 0 and 0 is returned.  0 or
 * GL_ENOMEM (logged); on failure s needs no free. */
int similar_run(struct similar *s, const struct glm_tensor *q, const struct census *c,
		uint32_t n_query, uint32_t k, uint32_t min_ratings);

/* similar.csv: item,<key>,title,rank,neighbour,neighbour_<key>,
 * neighbour_title,cosine,neighbour_n_ratings (<key>: items.csv's key
 * column, e.g. movie_id).  0 or a gl_err (logged). */
int similar_write(const struct similar *s, const struct rep_in *in, const struct census *c,
		  FILE *f);

void similar_free(struct similar *s);

/* ---- recommendations ----------------------------------------------------- */

struct recs {
	uint32_t n_users;      /* 0: not computed, see why_not */
	uint32_t n_top, n_rated;
	const char *why_not;   /* static text when recommendations are impossible */
	uint32_t *user;        /* n_users ids */
	char **user_key;       /* n_users source keys or NULL */
	uint32_t *top;         /* n_users x n_top items, SIM_NONE past the end */
	float *score;          /* their predicted ratings */
	uint32_t *rated;       /* n_users x n_rated: what each rated highest */
	float *rating;         /* their ratings */
};

/* Pick n_users users with at least min_ratings ratings (by seed), score
 * every unrated candidate for each as goodlens-recommend does
 * (glm_score_user, lib/glmscore.h: member 0 of an ensemble) and keep the
 * n_top best, and the n_rated they rated highest.  A model that cannot be
 * scored here (nn, missing tensors) sets why_not and returns 0.  0 or a
 * gl_err (logged). */
int recs_run(struct recs *r, const struct rep_in *in, const struct census *c, uint32_t n_users,
	     uint32_t n_top, uint32_t n_rated, uint32_t min_ratings, uint64_t seed);

/* recommendations.csv: user,<user key>,kind,rank,item,<key>,title,rating,
 * score (the keys named as in users.csv and items.csv);
 * kind "rated" rows carry the user's rating, "recommended" rows the
 * predicted one.  0 or a gl_err (logged). */
int recs_write(const struct recs *r, const struct rep_in *in, FILE *f);

void recs_free(struct recs *r);

#endif
