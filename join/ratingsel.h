/* ratingsel.h - the filter steps that look at one rating at a time:
 * shelved-not-rated rows (byte 0) and the rating range.
 */
#ifndef GL_RATINGSEL_H
#define GL_RATINGSEL_H

#include "fstate.h"

enum zeros_mode {
	ZEROS_DROP,          /* drop rating 0 (shelved, not rated): the default */
	ZEROS_KEEP,          /* keep every row as it is */
	ZEROS_IMPLICIT,      /* keep only rating 0 rows, each becoming rating 1 */
	ZEROS_IMPLICIT_ALL,  /* keep every row, each becoming rating 1 */
};

/* Apply mode to the kept ratings.  The implicit modes rewrite values to
 * the byte of 1 star at the file's scale.  0, GL_ENOMEM or GL_EFORMAT
 * (1 star is not representable at the scale; logged). */
int ratingsel_zeros(struct fstate *s, int mode);

/* Keep ratings with lo <= stars <= hi.  0 or GL_ENOMEM (logged). */
int ratingsel_range(struct fstate *s, double lo, double hi);

#endif
