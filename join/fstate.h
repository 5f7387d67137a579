/* fstate.h - the rating set a filter narrows, step by step.
 *
 * The raw ratings file stays mapped and unchanged; the state holds one keep
 * bit per raw rating, the kept count per user and per (effective) item, and
 * the few things a step may change: a rating's value (dedupe by mean,
 * implicit feedback) and which item a raw item counts as (editions merged
 * into works).  Every step is a pass over the raw CSR rows, so memory is
 * 1/8 byte per rating plus, when a step needs it, one byte per rating for
 * rewritten values and 4 bytes per raw item for the item map.
 */
#ifndef GL_FSTATE_H
#define GL_FSTATE_H

#include "glr.h"

#include <stdint.h>

struct fstate {
	const struct glr *g;   /* the raw file, borrowed */
	uint8_t *keep;         /* bit k: raw rating k is still in */
	uint8_t *rating;       /* rewritten values, NULL until a step rewrites */
	uint32_t *imap;        /* raw item -> effective item; NULL = identity */
	uint64_t n_items;      /* effective items (raw items without imap) */
	uint32_t *ucount;      /* kept ratings per user */
	uint32_t *icount;      /* kept ratings per effective item */
	uint64_t kept;         /* kept ratings in all */
};

/* Every rating of g kept.  0 or GL_ENOMEM (logged). */
int fstate_init(struct fstate *s, const struct glr *g);
void fstate_free(struct fstate *s);

static inline int fstate_kept(const struct fstate *s, uint64_t k)
{
	return (s->keep[k >> 3] >> (k & 7)) & 1;
}

/* The effective item of raw rating k. */
static inline uint32_t fstate_item(const struct fstate *s, uint64_t k)
{
	uint32_t i = s->g->items[k];
	return s->imap ? s->imap[i] : i;
}

/* The (possibly rewritten) rating byte of raw rating k. */
static inline uint8_t fstate_value(const struct fstate *s, uint64_t k)
{
	return s->rating ? s->rating[k] : s->g->ratings[k];
}

/* Drop kept rating k of user u. */
static inline void fstate_drop(struct fstate *s, uint32_t u, uint64_t k)
{
	s->keep[k >> 3] &= (uint8_t) ~(1u << (k & 7));
	s->ucount[u]--;
	s->icount[fstate_item(s, k)]--;
	s->kept--;
}

/* Make the ratings writable (a copy of the raw bytes).  0 or GL_ENOMEM. */
int fstate_own_ratings(struct fstate *s);

/* Count users and items with at least one kept rating. */
void fstate_census(const struct fstate *s, uint64_t *users, uint64_t *items);

/* Install imap (owned by s from now on) mapping raw items to n_items
 * effective items, and recount per item.  0 or GL_ENOMEM. */
int fstate_set_imap(struct fstate *s, uint32_t *imap, uint64_t n_items);

#endif
