/* filter_split.h - which kept ratings go to the validation set.
 *
 *   random:FRAC  exactly round(FRAC x ratings) ratings, every subset of that
 *                size equally likely (selection sampling in output order,
 *                from the seed's own stream)
 *   time:FRAC    the round(FRAC x ratings) latest ratings; among equal times
 *                at the cutoff, the last in output order (users, then items)
 *   last:K       per user, the K latest ratings, but never a user's only
 *                rating nor all of them: at most n - 1 of n; equal times go
 *                to the one later in the raw file, so without times "latest"
 *                means "last in the raw file"
 *
 * The output order is the order of ratings.glr: users ascending, each row's
 * items ascending.
 */
#ifndef GL_SPLIT_H
#define GL_SPLIT_H

#include "fstate.h"
#include "rng.h"

#include <stddef.h>
#include <stdint.h>

enum split_kind { SPLIT_NONE, SPLIT_RANDOM, SPLIT_TIME, SPLIT_LAST };

struct split_opts {
	int kind;
	double frac;  /* random, time: in [0, 1] */
	uint32_t k;   /* last */
};

struct splitter {
	struct split_opts o;
	const struct fstate *s;
	struct rng r;
	uint64_t want, taken, seen, total;  /* random: selection sampling */
	uint32_t cutoff;                    /* time: valid if time > cutoff */
	uint64_t skip_eq;                   /* time: leading cutoff-time ratings kept in train */
	uint64_t *keys;                     /* last: scratch */
	uint8_t *flag;
	size_t cap;
};

/* Parse "random:0.2", "time:0.1", "last:1" or "none".  0 or GL_EUSAGE. */
int split_parse(const char *arg, struct split_opts *o);

/* Prepare for the kept ratings of s (time: finds the cutoff in two passes).
 * 0, GL_EFORMAT (time:FRAC on a file without times; logged) or
 * GL_ENOMEM. */
int split_init(struct splitter *sp, const struct split_opts *o, const struct fstate *s,
	       uint64_t seed);

/* One output row of user u: raw[0..n) are its raw rating indexes in output
 * order; sets GLR_BIT_VALID in bits[i] for the validation ratings.
 * 0 or GL_ENOMEM. */
int split_row(struct splitter *sp, uint32_t u, const uint64_t *raw, size_t n, uint8_t *bits);

void split_free(struct splitter *sp);

#endif
