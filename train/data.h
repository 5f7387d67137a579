/* data.h - the training view of a mapped ratings file.
 *
 * Nothing is copied per rating: train and validation ratings are told apart
 * by the file's split bitmap (set = validation), and the user of a rating
 * index is found through a small index over rowptr (one entry per user),
 * so shuffled minibatches cost the mapped file plus O(users) memory.
 *
 * Rating values: the file's values lo, lo + step, ..., hi define the classes
 * of the ce loss (5 for whole stars 1..5, 10 for half stars 0.5..5).
 */
#ifndef GL_TRAIN_DATA_H
#define GL_TRAIN_DATA_H

#include "glr.h"

#include <stddef.h>
#include <stdint.h>

#define DATA_MAX_CLASSES 256

struct tdata {
	const struct glr *g;
	const char *path;      /* for messages */
	uint64_t n_users, n_items;
	uint64_t n_train, n_valid;
	double mean;           /* mean train rating */
	float lo, hi, step;    /* rating values present in the file */
	uint32_t n_classes;    /* (hi - lo) / step + 1 */
	uint64_t max_row;      /* longest user row */
	uint64_t width;        /* ratings per index bucket */
	uint32_t *first;       /* per bucket: the user holding its first rating */
	uint64_t n_buckets;
	/* What a shuffled minibatch reads per rating index: g's arrays, or
	 * their copy on huge pages (tdata_hot). */
	const uint64_t *rowptr;
	const uint32_t *items;
	const uint8_t *ratings, *split;
	void *hot;             /* the copy, or NULL */
	size_t hot_bytes;
};

/* Build the view over g (which must outlive d).  Refuses files without a
 * split section, without training ratings, or with a rating grid of more
 * than DATA_MAX_CLASSES values: GL_EFORMAT (logged, naming path). */
int tdata_init(struct tdata *d, const struct glr *g, const char *path);
void tdata_free(struct tdata *d);

/* The user whose row holds rating index k (< n_ratings). */
uint32_t tdata_user_of(const struct tdata *d, uint64_t k);

/* The first position in items[lo, hi) holding an item >= id, for a sorted
 * row (GLR_SORTED); hi when there is none. */
uint64_t tdata_lower_bound(const uint32_t *items, uint64_t lo, uint64_t hi, uint32_t id);

/* Copy the arrays a rating index reaches (rowptr, items, ratings, split)
 * to memory on huge pages (lib/bigmem.h) when they take min_bytes or more,
 * and read them there from then on (tdata_is_valid, tdata_user_of,
 * tdata_value, the batcher).  The file's own pages are 4 KiB: a shuffled
 * epoch reads these arrays at random, and once they outgrow the TLB's
 * reach nearly every rating index costs a page walk, which a prefetch
 * waits for (at 23M ratings it was a third of dot's training time,
 * docs/TRAIN.md "Speed at scale").  The values do not change.  For the
 * minibatch models; TDATA_HOT_MIN is the size the trainer passes.  0 or
 * GL_ENOMEM (logged). */
#define TDATA_HOT_MIN ((size_t)8 << 20)
int tdata_hot(struct tdata *d, size_t min_bytes);

static inline int tdata_is_valid(const struct tdata *d, uint64_t k)
{
	return glr_bit(d->split, k);
}

/* The value of rating index k. */
static inline float tdata_value(const struct tdata *d, uint64_t k)
{
	return d->ratings[k] * d->g->scale;
}

/* The class of rating value r: round((r - lo) / step), clamped to
 * [0, n_classes - 1].  Inline: the evaluation calls it twice per rating. */
static inline uint32_t tdata_class(const struct tdata *d, float r)
{
	float c = (r - d->lo) / d->step + 0.5f;
	if (!(c >= 1.0f)) /* also NaN */
		return 0;
	uint32_t k = c < (float)d->n_classes ? (uint32_t)c : d->n_classes;
	return k > d->n_classes - 1 ? d->n_classes - 1 : k;
}

/* The value of class c. */
static inline float tdata_class_value(const struct tdata *d, uint32_t c)
{
	return d->lo + (float)c * d->step;
}

#endif
