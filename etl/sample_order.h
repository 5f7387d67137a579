/* sample_order.h - put generated lines in the order a file wants.
 *
 * User order streams: one user's lines at a time, sorted within the user
 * (Goodreads: newest first; MovieLens: by movie id), memory O(one user).
 *
 * Item and random order need a global sort.  The lines are held at most
 * `budget` at a time: a first pass keeps them all if they fit (the usual
 * small sample) and otherwise only counts them per bucket (item, or the top
 * 16 bits of a per-line hash); then one pass per run of buckets that fits
 * regenerates every user (sample_gen is repeatable), keeps the lines of
 * those buckets, sorts them and emits them.  Memory stays O(budget + items)
 * whatever the number of lines, at the price of a few regeneration passes.
 */
#ifndef GL_SAMPLE_ORDER_H
#define GL_SAMPLE_ORDER_H

#include "sample_gen.h"

#include <stddef.h>
#include <stdint.h>

enum sample_order { SAMPLE_ORDER_USER, SAMPLE_ORDER_RANDOM, SAMPLE_ORDER_ITEM };

/* --order: user, random, item (NULL-terminated, for cli_choice). */
extern const char *const sample_order_names[];

/* Order of a user's lines in user order. */
enum sample_within {
	SAMPLE_WITHIN_NEWEST, /* date added, newest first (Goodreads) */
	SAMPLE_WITHIN_ITEM,   /* by written item id */
	SAMPLE_WITHIN_RANDOM, /* shuffled */
};

struct sample_order_spec {
	enum sample_order order;
	enum sample_within within;
	const uint32_t *book_key; /* per book: rank of its written id */
	uint32_t books;           /* size of book_key */
	uint64_t seed;
	size_t budget;            /* lines held at once (item/random order) */
	/* Called for each line in order; a non-zero return stops the run and
	 * is returned. */
	int (*emit)(void *ctx, const struct sample_event *ev);
	void *ctx;
};

/* Generate every line of g in the order of s and hand each to s->emit.
 * 0, the first emit error, or GL_ENOMEM (logged). */
int sample_order_run(struct sample_gen *g, const struct sample_order_spec *s);

#endif
