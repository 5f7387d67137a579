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

/* Below this many ratings a worker is not worth a thread. */
#define FSTATE_PART_MIN ((uint64_t)1 << 18)
#define FSTATE_MAX_PARTS 16

struct fstate {
	const struct glr *g;   /* the raw file, borrowed */
	uint8_t *keep;         /* bit k: raw rating k is still in */
	uint8_t *rating;       /* rewritten values, NULL until a step rewrites */
	uint32_t *imap;        /* raw item -> effective item; NULL = identity */
	uint64_t n_items;      /* effective items (raw items without imap) */
	uint32_t *ucount;      /* kept ratings per user */
	uint32_t *icount;      /* kept ratings per effective item */
	uint64_t kept;         /* kept ratings in all */
	int threads;           /* threads a pass over the users may use (>= 1) */
	uint64_t part_min;     /* ratings a worker has at least (FSTATE_PART_MIN;
				* tests lower it to split small files) */
	/* each worker's drops per item, zero between passes: allocated by
	 * the first pass and kept, one block for every worker (fresh pages cost a
	 * fault each: the block is big enough for huge pages) */
	uint32_t *idrop[FSTATE_MAX_PARTS];
	uint64_t idrop_n;      /* the length of each */
	void *idrop_mem;       /* the block, idrop_bytes long (lib/bigmem.h) */
	size_t idrop_bytes;
};

/* Every rating of g kept, for passes on one thread.  0 or GL_ENOMEM
 * (logged). */
int fstate_init(struct fstate *s, const struct glr *g);

/* The same, passes (fstate_each) on up to `threads` threads; the state is
 * the same whatever the number. */
int fstate_init_threads(struct fstate *s, const struct glr *g, int threads);
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

/* A pass over the users split across threads.  The users are cut into
 * chunks of about equal ratings, each but the first starting at a raw
 * rating index that is a multiple of 8: no two chunks share a byte of keep
 * (nor a user, nor a rating), so each writes its own.  Workers (this
 * thread and up to threads - 1 others, each with part_min ratings at
 * least) take the chunks in turn, a few each.  The per-item counts are
 * shared: a worker counts its drops per item in an array of its own, and
 * they are taken off icount (and kept) once every chunk is done, so during
 * the pass icount holds the counts from before it. */
struct fpart {
	struct fstate *s;
	uint64_t u0, u1;   /* the chunk: users [u0, u1) */
	uint32_t *idrop;   /* drops per effective item, this worker, this pass */
	uint64_t dropped;  /* drops in all, this worker, this pass */
	void *arg;         /* the pass's */
	int index;         /* the worker: 0 (this thread), 1, ... */
	int err;           /* a gl_err the pass sets (already logged): no more
			    * chunks for this worker */
};

/* Drop kept rating k of user u (a user of p). */
static inline void fpart_drop(struct fpart *p, uint32_t u, uint64_t k)
{
	struct fstate *s = p->s;
	s->keep[k >> 3] &= (uint8_t) ~(1u << (k & 7));
	s->ucount[u]--;
	p->idrop[fstate_item(s, k)]++;
	p->dropped++;
}

/* icount[i] as worker p sees it during a pass: less its own drops. */
static inline uint32_t fpart_icount(const struct fpart *p, uint32_t i)
{
	return p->s->icount[i] - p->idrop[i];
}

/* Run fn on every chunk (on this thread and the workers', whichever takes
 * it; the chunks of a worker that cannot start go to the others), then
 * apply the drops.  The first error of a worker, or GL_ENOMEM (logged). */
int fstate_each(struct fstate *s, void (*fn)(struct fpart *p), void *arg);

/* The same for a pass that only reads s (fn must not drop: p->idrop is
 * NULL, and p->s is not to be written through). */
int fstate_each_read(const struct fstate *s, void (*fn)(struct fpart *p), void *arg);

/* Make the ratings writable (a copy of the raw bytes).  0 or GL_ENOMEM. */
int fstate_own_ratings(struct fstate *s);

/* Count users and items with at least one kept rating. */
void fstate_census(const struct fstate *s, uint64_t *users, uint64_t *items);

/* Install imap (owned by s from now on) mapping raw items to n_items
 * effective items, and recount per item.  0 or GL_ENOMEM. */
int fstate_set_imap(struct fstate *s, uint32_t *imap, uint64_t n_items);

#endif
