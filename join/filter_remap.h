/* filter_remap.h - contiguous ids for what survived the filter, and ratings.glr.
 *
 * Users and (effective) items with at least one kept rating are numbered
 * 0..n-1 in their raw order (the order of first appearance in the source),
 * so the renumbering is monotone.  The output file is CSR by new user with
 * each row's items ascending and unique (GLR_SORTED), the raw file's times,
 * read and reviewed bits carried over when it has them, and the split
 * bitmap always present.  Numbering also gives the ratings per new id and
 * the sum of their bytes (for the dimension tables' mean_rating); writing
 * notes which ids appear in train and in valid (for the statistics).
 */
#ifndef GL_REMAP_H
#define GL_REMAP_H

#include "fstate.h"
#include "filter_split.h"

#include <stdint.h>

#define REMAP_NONE UINT32_MAX

struct remap {
	uint32_t *unew, *inew;   /* raw user / effective item -> new id or REMAP_NONE */
	uint32_t *rnew;          /* raw item -> new id (inew through the item map) */
	uint64_t n_users, n_items, n_ratings;
	uint32_t *ucnt, *icnt;   /* ratings per new user / item */
	uint64_t *usum, *isum;   /* sum of their rating bytes */
	uint8_t *uflag, *iflag;  /* bit 0: has a train rating, bit 1: a valid one */
	uint64_t n_valid;
	void *mem;               /* every array above, one block (lib/bigmem.h) */
	size_t mem_bytes;
};

/* Number what s keeps; count and sum the rating bytes per new id (so the
 * tables can be written while the ratings are).  0 or GL_ENOMEM (logged). */
int remap_build(struct remap *m, const struct fstate *s);

/* Write the kept ratings to path as a sorted .glr with the split bitmap
 * (sp decides the split; it must have been initialised on s), filling the
 * train/valid flags and n_valid of m.  The file is left for the caller to
 * commit (glr_writer_commit) or abort, in *w, so it can appear together
 * with other outputs.  0 or a gl_err (logged; nothing left behind). */
int remap_write(struct remap *m, const struct fstate *s, struct splitter *sp, const char *path,
		struct glr_writer **w);

/* Users and items with a rating in train (which = 1) or valid (which = 2). */
void remap_census(const struct remap *m, int which, uint64_t *users, uint64_t *items);

void remap_free(struct remap *m);

#endif
