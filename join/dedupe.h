/* dedupe.h - one rating per (user, item) pair.
 *
 * A user who rated an item several times (a re-read, the same book in two
 * shelves, two editions merged into one work) has a duplicate pair.  Modes:
 *
 *   latest    keep the rating with the latest time; equal times (and files
 *             without times, where every time is unknown) go to the one
 *             later in the file
 *   first     keep the rating with the earliest time; equal times go to the
 *             one earlier in the file
 *   mean      keep one rating (the one latest would keep) whose value is the
 *             mean of the pair's ratings, rounded to the nearest value the
 *             scale can hold (halves up)
 *   drop-all  drop every rating of a duplicated pair (the popular goodbooks
 *             notebook's drop_duplicates(keep=False))
 *
 * A time of 0 means unknown and counts as the earliest.
 */
#ifndef GL_DEDUPE_H
#define GL_DEDUPE_H

#include "fstate.h"

enum dedupe_mode { DEDUPE_LATEST, DEDUPE_FIRST, DEDUPE_MEAN, DEDUPE_DROP_ALL };

/* Remove duplicate pairs of effective items among the kept ratings.
 * *pairs (may be NULL) receives the number of duplicated pairs found.
 * 0 or GL_ENOMEM (logged). */
int dedupe_run(struct fstate *s, int mode, uint64_t *pairs);

#endif
