/* topn.h - keep the N items with the most kept ratings (goodbooks-10k keeps
 * the 10,000 most rated books).  Equal counts go to the lower item id, so
 * the choice is deterministic.
 */
#ifndef GL_TOPN_H
#define GL_TOPN_H

#include "fstate.h"

/* Rank the effective items with at least one kept rating by count
 * (descending, then id ascending) into *order (owned by the caller) and
 * their number into *n.  0 or GL_ENOMEM (logged). */
int topn_rank(const struct fstate *s, uint32_t **order, uint64_t *n);

/* Drop the ratings of every item outside the top n.  0 or GL_ENOMEM. */
int topn_run(struct fstate *s, uint64_t n);

#endif
