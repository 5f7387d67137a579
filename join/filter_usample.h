/* filter_usample.h - keep a random subset of the users (--sample-users).
 *
 * Exactly round(fraction x users) or min(count, users) of the users with
 * kept ratings stay, each subset of that size equally likely (selection
 * sampling, Knuth's algorithm S, over users in id order), drawn from the
 * seed's own stream so other random steps do not shift it.
 */
#ifndef GL_USAMPLE_H
#define GL_USAMPLE_H

#include "fstate.h"

/* want users (clamped to the users there are).  Always 0. */
int usample_run(struct fstate *s, uint64_t want, uint64_t seed);

/* The count for a fraction of the users with kept ratings. */
uint64_t usample_count(const struct fstate *s, double fraction);

#endif
