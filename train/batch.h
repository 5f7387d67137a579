/* batch.h - shuffled minibatches over the training ratings, with no
 * per-rating memory.
 *
 * Each epoch draws a fresh pseudo-random permutation of the rating indices
 * [0, n_ratings) (a keyed Feistel network with cycle walking: a bijection
 * computed on the fly, O(1) memory), walks it, and skips validation
 * ratings.  Every training rating appears exactly once per epoch, in an
 * order fixed by the seed.
 */
#ifndef GL_TRAIN_BATCH_H
#define GL_TRAIN_BATCH_H

#include "data.h"
#include "rng.h"

#include <stddef.h>
#include <stdint.h>

struct perm {
	uint64_t n;
	uint64_t half_mask; /* each Feistel half holds 'half' bits */
	int half;
	uint64_t key[4];
};

/* A permutation of [0, n) drawn from r. */
void perm_init(struct perm *p, uint64_t n, struct rng *r);

/* The i-th element (i < n). */
uint64_t perm_get(const struct perm *p, uint64_t i);

struct batch {
	uint32_t *user, *item;
	float *rating;
	size_t n, cap;
};

/* Room for cap ratings.  0 or GL_ENOMEM. */
int batch_alloc(struct batch *b, size_t cap);
void batch_free(struct batch *b);

/* Rating indices drawn this far ahead of use, their bytes in the mapped
 * file fetched into cache meanwhile (random reads miss every cache on a
 * big file). */
#define BATCH_AHEAD 64

struct batcher {
	const struct tdata *d;
	struct perm p;
	uint64_t next;     /* position in the permutation */
	uint64_t left;     /* training ratings not yet handed out */
	uint64_t ahead[BATCH_AHEAD]; /* the indices at next - n_ahead .. next - 1 */
	uint32_t head, n_ahead;
};

/* Start an epoch: a fresh permutation drawn from r. */
void batcher_start(struct batcher *bt, const struct tdata *d, struct rng *r);

/* Append up to want training ratings to b (b->n grows); returns how many
 * were added (0 at the end of the epoch). */
size_t batcher_fill(struct batcher *bt, struct batch *b, size_t want);

#endif
