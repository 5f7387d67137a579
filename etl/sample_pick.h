/* sample_pick.h - weighted choice of distinct items (a Fenwick tree).
 *
 * Holds an integer weight per item and draws an item with probability
 * weight / total in O(log n).  Setting an item's weight to 0 after drawing it
 * and restoring the weights afterwards draws without replacement, exactly,
 * however dense the draw: what one user's items need.  Integer weights make
 * remove-then-restore exact, so the tree never drifts over millions of users.
 */
#ifndef GL_SAMPLE_PICK_H
#define GL_SAMPLE_PICK_H

#include "rng.h"

#include <stdint.h>

struct sample_pick {
	uint64_t *tree;   /* 1-based partial sums */
	uint64_t *weight; /* current weight per item */
	uint64_t total;
	uint32_t n;
	uint32_t top;     /* highest power of two <= n */
};

/* Build from n weights (their sum must fit in 63 bits).  0 or GL_ENOMEM
 * (logged); on failure p needs no free. */
int sample_pick_init(struct sample_pick *p, const uint64_t *weight, uint32_t n);

/* Release the tree; p is zeroed. */
void sample_pick_free(struct sample_pick *p);

/* An item drawn with probability weight/total; total must be > 0. */
uint32_t sample_pick_draw(const struct sample_pick *p, struct rng *r);

/* Change item i's weight to w. */
void sample_pick_set(struct sample_pick *p, uint32_t i, uint64_t w);

#endif
