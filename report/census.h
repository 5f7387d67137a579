/* census.h - counts over the ratings file that every section draws on.
 *
 * One pass over ratings.glr: ratings per item and their mean, the rating
 * histogram (all, and the validation part), ratings per user, the items in
 * order of popularity and the most active users.  Memory: 20 bytes per item
 * plus the requested number of top users; nothing per rating.
 */
#ifndef GL_REPORT_CENSUS_H
#define GL_REPORT_CENSUS_H

#include "glr.h"

#include <stdint.h>
#include <stdio.h>

struct census {
	uint64_t n_users, n_items, n_ratings, n_valid;
	float scale;
	uint64_t hist[256];       /* ratings by stored byte (value = byte * scale) */
	uint64_t hist_valid[256]; /* the same, validation set only */
	uint64_t users_rated;     /* users with at least one rating */
	uint64_t items_rated;     /* items with at least one rating */
	uint64_t user_max, item_max; /* most ratings of one user, of one item */
	uint32_t *item_n;         /* n_items: ratings of each item */
	double *item_mean;        /* n_items: their mean value (NaN when none) */
	uint32_t *pop;            /* n_items ids: most ratings first, ties by id */
	uint32_t *active;         /* n_active ids: most ratings first, ties by id */
	uint32_t n_active;
};

/* Count g.  top_users: how many of the most active users to keep (the rest
 * are not ordered).  0 or GL_ENOMEM (logged); on failure c needs no free. */
int census_run(struct census *c, const struct glr *g, uint32_t top_users);
void census_free(struct census *c);

/* Ratings of user u. */
static inline uint64_t census_user_n(const struct glr *g, uint32_t u)
{
	return g->rowptr[u + 1] - g->rowptr[u];
}

/* User u's stored byte for item i (1..255), 0 when u did not rate i or
 * rated it 0.  Binary search on GLR_SORTED files, a scan otherwise. */
int census_rating(const struct glr *g, uint32_t u, uint32_t i);

/* Decimals that show every rating value exactly: 0 when all are whole
 * numbers (whole stars, even at scale 0.5), else 1. */
int census_decimals(const struct census *c);

/* ratings_hist.csv: rating,count,train,valid,share for every rating value
 * that occurs, ascending.  0 or a gl_err (logged). */
int census_hist_write(const struct census *c, FILE *f);

#endif
