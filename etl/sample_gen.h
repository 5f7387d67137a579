/* sample_gen.h - who rates what: the interactions of goodlens-sample.
 *
 * Users are generated one at a time, in index order, each from its own rng
 * stream, so memory is per item (popularity table, coverage order) plus one
 * u32 per user (its planned degree), never per interaction.  A pass over all
 * users can be repeated (sample_gen_rewind) and yields the same events: the
 * item and random output orders rely on that to sort in bounded memory.
 *
 * Degrees: user u rates d_u items, d_u proportional to a Pareto draw
 * U^-activity_exponent clamped to [max(1, min_per_user), 0.8 * items] and
 * scaled so that the ratings add up to the target; it also shelves s_u items
 * unrated (share zero_share of all lines).  Items are drawn without
 * replacement with weight (rank+1)^-popularity_exponent, item 0 being the
 * most popular.  When min_per_item is set, n_items * min_per_item rating
 * slots are dealt round-robin over a random item order, in contiguous runs
 * per user (no item twice for a user), before the popularity draws: every
 * item then has at least min_per_item ratings.
 */
#ifndef GL_SAMPLE_GEN_H
#define GL_SAMPLE_GEN_H

#include "rng.h"
#include "sample_model.h"
#include "sample_pick.h"

#include <stddef.h>
#include <stdint.h>

/* rng streams: item side 1 (sample_model.c), catalog 2..15, then one per
 * user from here on. */
#define SAMPLE_STREAM_USER ((uint64_t)1 << 32)

enum {
	SAMPLE_EV_DUP = 1,      /* a repeated (user, item) line */
	SAMPLE_EV_COVER = 2,    /* dealt for min_per_item */
};

/* One written line, before formatting.  code 0 = shelved, not rated. */
struct sample_event {
	uint32_t user;   /* model user index */
	uint32_t item;   /* model item index (a work for Goodreads) */
	uint32_t book;   /* catalog book index: the id that is written */
	uint32_t when;   /* seconds since 1970 UTC (date added, timestamp) */
	uint32_t detail; /* seed of the line's remaining details */
	float truth;     /* rating_true, before noise */
	uint8_t code;    /* written rating / step; 0 = shelved */
	uint8_t flags;   /* SAMPLE_EV_* */
};

struct sample_gen_params {
	uint64_t seed;
	uint32_t users;
	uint64_t interactions;     /* target lines, ratings + shelved */
	double zero_share;         /* share of lines that are shelved */
	double dup_share;          /* extra repeated rating lines, per rating */
	double popularity_exponent;
	double activity_exponent;
	uint32_t min_per_user;     /* ratings per user, at least */
	uint32_t min_per_item;     /* ratings per item (work), at least */
	uint32_t t_start, t_end;   /* time window of the lines */
	uint32_t session;          /* mean seconds from a user's start to a
				      line; 0 = uniform over the user's span */
	const uint32_t *book_first;/* item i's books are book_first[i] ..
				      book_first[i+1]-1; NULL = book i */
};

struct sample_gen {
	struct sample_gen_params p;
	const struct sample_model *m;
	uint32_t *degree;          /* ratings planned per user */
	uint64_t ratings;          /* sum of degree */
	uint64_t shelved;          /* shelved lines planned in all */
	uint64_t cover;            /* n_items * min_per_item */
	uint32_t *cover_order;     /* items in dealing order (NULL if no cover) */
	struct sample_pick pick;
	/* cursor of the current pass */
	uint32_t next_user;
	uint64_t done_ratings;     /* sum of degree over users already made */
	uint64_t done_shelved;
	uint64_t slot;             /* next coverage slot */
	/* per-user scratch */
	struct sample_event *ev;
	size_t nev, cap;
	uint32_t *taken;           /* items removed from pick for this user */
	uint64_t *taken_w;         /* and their weights, to put back */
	float *up;                 /* user factors */
};

/* Plan degrees and the popularity table.  If the target cannot honour the
 * minimums it is raised (warning logged); minimums that no target can meet
 * are GL_EUSAGE.  0, GL_EUSAGE or GL_ENOMEM (logged). */
int sample_gen_init(struct sample_gen *g, const struct sample_model *m,
		    const struct sample_gen_params *p);

/* Release everything sample_gen_init allocated; g is zeroed. */
void sample_gen_free(struct sample_gen *g);

/* Start a pass at user 0. */
void sample_gen_rewind(struct sample_gen *g);

/* Make the next user's lines: *ev points at g's buffer (valid until the
 * next call), *n lines.  Returns 1 with a user, 0 when all are done, or
 * GL_ENOMEM (logged). */
int sample_gen_next(struct sample_gen *g, const struct sample_event **ev, size_t *n);

/* A 64-bit mix of a and b: the hash behind every "pure" derived value
 * (ids, names, details), so each is a function of the seed and an index. */
static inline uint64_t sample_mix(uint64_t a, uint64_t b)
{
	uint64_t z = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif
