#include "sample_order.h"

#include "err.h"
#include "log.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *const sample_order_names[] = { "user", "random", "item", NULL };

#define RANDOM_BUCKET_BITS 16

/* A line and the key it sorts by; seq breaks ties so the order is total
 * (qsort is not stable) and repeated lines keep their generated order. */
struct keyed {
	uint64_t key;
	uint64_t seq;
	struct sample_event ev;
};

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static uint64_t line_hash(const struct sample_order_spec *s, const struct sample_event *e)
{
	return sample_mix(sample_mix(s->seed ^ 0x6f72646572ULL, e->user),
			  ((uint64_t)e->book << 32) | e->detail);
}

static uint64_t within_key(const struct sample_order_spec *s, const struct sample_event *e)
{
	switch (s->within) {
	case SAMPLE_WITHIN_NEWEST:
		return ((uint64_t)(UINT32_MAX - e->when) << 32) | s->book_key[e->book];
	case SAMPLE_WITHIN_ITEM:
		return s->book_key[e->book];
	case SAMPLE_WITHIN_RANDOM:
		break;
	}
	return line_hash(s, e);
}

static uint64_t global_key(const struct sample_order_spec *s, const struct sample_event *e)
{
	if (s->order == SAMPLE_ORDER_ITEM)
		return ((uint64_t)s->book_key[e->book] << 32) | e->user;
	return line_hash(s, e);
}

static uint32_t bucket_of(const struct sample_order_spec *s, uint64_t key)
{
	if (s->order == SAMPLE_ORDER_ITEM)
		return (uint32_t)(key >> 32);
	return (uint32_t)(key >> (64 - RANDOM_BUCKET_BITS));
}

struct hold {
	struct keyed *k;
	size_t n, cap;
};

static int hold_push(struct hold *h, uint64_t key, uint64_t seq, const struct sample_event *e)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 1024;
		struct keyed *k = realloc(h->k, sizeof *k * cap);
		if (!k) {
			log_error("out of memory sorting %zu lines", h->n);
			return GL_ENOMEM;
		}
		h->k = k;
		h->cap = cap;
	}
	h->k[h->n].key = key;
	h->k[h->n].seq = seq;
	h->k[h->n].ev = *e;
	h->n++;
	return 0;
}

static int hold_flush(struct hold *h, const struct sample_order_spec *s)
{
	int err = 0;
	qsort(h->k, h->n, sizeof *h->k, by_key);
	for (size_t i = 0; i < h->n && !err; i++)
		err = s->emit(s->ctx, &h->k[i].ev);
	h->n = 0;
	return err;
}

static int run_user_order(struct sample_gen *g, const struct sample_order_spec *s)
{
	const struct sample_event *ev;
	struct hold h = { 0 };
	size_t n;
	int more, err = 0;
	sample_gen_rewind(g);
	while (!err && (more = sample_gen_next(g, &ev, &n)) > 0) {
		for (size_t i = 0; i < n && !err; i++)
			err = hold_push(&h, within_key(s, &ev[i]), i, &ev[i]);
		if (!err)
			err = hold_flush(&h, s);
	}
	if (!err && more < 0)
		err = more;
	free(h.k);
	return err;
}

/* One pass keeping the lines whose bucket is in [lo, hi); with counts, it
 * also counts every line per bucket and stops keeping past the budget
 * (*overflow set).  seq numbers lines across the whole pass. */
static int pass(struct sample_gen *g, const struct sample_order_spec *s, struct hold *h,
		uint32_t lo, uint32_t hi, uint64_t *counts, int *overflow)
{
	const struct sample_event *ev;
	size_t n;
	uint64_t seq = 0;
	int more;
	sample_gen_rewind(g);
	while ((more = sample_gen_next(g, &ev, &n)) > 0) {
		for (size_t i = 0; i < n; i++, seq++) {
			uint64_t key = global_key(s, &ev[i]);
			uint32_t b = bucket_of(s, key);
			if (counts)
				counts[b]++;
			if (b < lo || b >= hi || (counts && h->n >= s->budget)) {
				if (counts && b >= lo && b < hi)
					*overflow = 1;
				continue;
			}
			int err = hold_push(h, key, seq, &ev[i]);
			if (err)
				return err;
		}
	}
	return more;
}

static int run_sorted(struct sample_gen *g, const struct sample_order_spec *s)
{
	uint32_t nb = s->order == SAMPLE_ORDER_ITEM ? s->books : 1u << RANDOM_BUCKET_BITS;
	uint64_t *counts = calloc(nb ? nb : 1, sizeof *counts);
	struct hold h = { 0 };
	int overflow = 0, err;
	if (!counts) {
		log_error("out of memory counting lines");
		return GL_ENOMEM;
	}
	err = pass(g, s, &h, 0, nb, counts, &overflow);
	if (!err && !overflow) {
		err = hold_flush(&h, s);
		goto done;
	}
	/* Too many to hold: sort run by run of buckets, regenerating each time. */
	h.n = 0;
	for (uint32_t lo = 0; !err && lo < nb;) {
		uint64_t held = counts[lo];
		uint32_t hi = lo + 1;
		while (hi < nb && held + counts[hi] <= s->budget)
			held += counts[hi++];
		log_debug("sorting buckets %u..%u of %u (%" PRIu64 " lines)", lo, hi - 1, nb,
			  (uint64_t)held);
		err = pass(g, s, &h, lo, hi, NULL, NULL);
		if (!err)
			err = hold_flush(&h, s);
		lo = hi;
	}
done:
	free(h.k);
	free(counts);
	return err;
}

int sample_order_run(struct sample_gen *g, const struct sample_order_spec *s)
{
	if (s->order == SAMPLE_ORDER_USER)
		return run_user_order(g, s);
	return run_sorted(g, s);
}
