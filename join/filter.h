/* filter.h - goodlens-filter: from the raw fact file to the training file.
 *
 * Steps, in this order, each optional except dedupe (ratings.glr holds one
 * rating per pair) and each reported in filter.stats.csv (filter_stats.h):
 *
 *   inner         the ratings' inner join with the user and item tables:
 *                 ratings of ids without a row go (filter_inner.h)
 *   zeros         drop rating 0 (shelved, not rated; the default), keep it,
 *                 or keep it alone as implicit feedback (ratingsel.h)
 *   range         keep ratings within [lo, hi] stars
 *   dedupe        one rating per (user, item) pair (dedupe.h)
 *   works         editions merged into works, then pairs deduplicated again
 *                 with the same rule (filter_works.h)
 *   top-items     the N items with the most ratings (topn.h)
 *   kcore         at least U ratings per user and I per item (kcore.h)
 *   sample-users  a random subset of the users (filter_usample.h)
 *
 * then contiguous ids and the split (filter_remap.h, filter_split.h), ratings.glr,
 * users.csv and items.csv (filter_dimtab.h) and filter.stats.csv, all in outdir.
 * The same inputs and seed give the same bytes.
 */
#ifndef GL_FILTER_H
#define GL_FILTER_H

#include "filter_split.h"

#include <stdint.h>

struct filter_opts {
	const char *ratings;     /* ratings.raw.glr */
	const char *users;       /* users.raw.csv, NULL = none */
	const char *items;       /* items.raw.csv or items.titled.csv, NULL = none */
	const char *outdir;      /* where the four outputs go */
	int inner;               /* 1 = drop ratings of ids without a table row */
	int zeros;               /* enum zeros_mode */
	int range;               /* 1 = keep [lo, hi] */
	double lo, hi;
	int dedupe;              /* enum dedupe_mode */
	int works;               /* 1 = --item-key work */
	uint64_t top_items;      /* 0 = keep all */
	uint32_t min_user, min_item;
	int sample;              /* 0 none, 1 count, 2 fraction */
	uint64_t sample_count;
	double sample_frac;
	struct split_opts split;
	uint64_t seed;
	int threads;             /* for the passes over the users; the outputs are
				  * the same for any number */
};

/* Run every step and write the outputs.  0 or a gl_err (logged). */
int filter_run(const struct filter_opts *o);

#endif
