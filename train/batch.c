#include "batch.h"

#include "err.h"
#include "log.h"

#include <stdlib.h>

void perm_init(struct perm *p, uint64_t n, struct rng *r)
{
	int bits = 2;
	while (bits < 64 && (1ull << bits) < n)
		bits++;
	bits += bits & 1;
	p->n = n;
	p->half = bits / 2;
	p->half_mask = (p->half >= 64) ? ~0ull : (1ull << p->half) - 1;
	for (int i = 0; i < 4; i++)
		p->key[i] = rng_u64(r);
}

static uint64_t mix(uint64_t x, uint64_t key)
{
	x ^= key;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 31;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 29;
	return x;
}

static uint64_t feistel(const struct perm *p, uint64_t x)
{
	uint64_t l = x >> p->half, rr = x & p->half_mask;
	for (int i = 0; i < 4; i++) {
		uint64_t t = l ^ (mix(rr, p->key[i]) & p->half_mask);
		l = rr;
		rr = t;
	}
	return (l << p->half) | rr;
}

uint64_t perm_get(const struct perm *p, uint64_t i)
{
	/* The domain is at most 4x larger than n, so cycle walking takes a
	 * few rounds on average and always ends: the walk stays on i's cycle,
	 * which contains i itself. */
	uint64_t x = feistel(p, i);
	while (x >= p->n)
		x = feistel(p, x);
	return x;
}

int batch_alloc(struct batch *b, size_t cap)
{
	b->n = 0;
	b->cap = cap;
	b->user = malloc(cap * sizeof *b->user);
	b->item = malloc(cap * sizeof *b->item);
	b->rating = malloc(cap * sizeof *b->rating);
	if (!b->user || !b->item || !b->rating) {
		batch_free(b);
		log_error("out of memory for a batch of %zu ratings", cap);
		return GL_ENOMEM;
	}
	return 0;
}

void batch_free(struct batch *b)
{
	free(b->user);
	free(b->item);
	free(b->rating);
	b->user = b->item = NULL;
	b->rating = NULL;
	b->n = b->cap = 0;
}

/* Draw the next index of the permutation into the lookahead ring and ask
 * for its bytes. */
static void draw(struct batcher *bt)
{
	const struct tdata *d = bt->d;
	uint64_t k = perm_get(&bt->p, bt->next++);
	bt->ahead[(bt->head + bt->n_ahead++) % BATCH_AHEAD] = k;
	__builtin_prefetch(&d->split[k >> 3]);
	__builtin_prefetch(&d->items[k]);
	__builtin_prefetch(&d->ratings[k]);
	__builtin_prefetch(&bt->d->first[k / bt->d->width]);
}

void batcher_start(struct batcher *bt, const struct tdata *d, struct rng *r)
{
	bt->d = d;
	perm_init(&bt->p, d->g->n_ratings, r);
	bt->next = 0;
	bt->left = d->n_train;
	bt->head = bt->n_ahead = 0;
	while (bt->n_ahead < BATCH_AHEAD && bt->next < bt->p.n)
		draw(bt);
}

size_t batcher_fill(struct batcher *bt, struct batch *b, size_t want)
{
	const struct tdata *d = bt->d;
	size_t added = 0;
	while (added < want && bt->left > 0 && b->n < b->cap && bt->n_ahead > 0) {
		uint64_t k = bt->ahead[bt->head];
		bt->head = (bt->head + 1) % BATCH_AHEAD;
		bt->n_ahead--;
		if (bt->next < bt->p.n)
			draw(bt);
		if (tdata_is_valid(bt->d, k))
			continue;
		b->user[b->n] = tdata_user_of(bt->d, k);
		b->item[b->n] = d->items[k];
		b->rating[b->n] = tdata_value(d, k);
		b->n++;
		added++;
		bt->left--;
	}
	return added;
}
