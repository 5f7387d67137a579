#include "sample_catalog.h"

#include "err.h"
#include "log.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_CATALOG 2
/* Highest ids of the real Goodreads dump, roughly: ids look like theirs. */
#define GR_BOOK_RANGE 36000000u
#define GR_WORK_RANGE 58000000u
#define GR_AUTHOR_RANGE 17000000u
/* Popularity ranks whose works carry the fixed awkward titles; never
 * missing, so every books file shows them. */
#define SPECIAL_RANKS 10

static void shuffle(uint32_t *a, uint32_t n, struct rng *r)
{
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = (uint32_t)rng_below(r, i);
		uint32_t t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* n distinct increasing ids from 1 with random gaps averaging about
 * range / n (at least 1), written to ids. */
static void increasing_ids(uint32_t *ids, uint32_t n, uint64_t range, uint32_t max_gap,
			   struct rng *r)
{
	uint64_t mean = n ? range / n : 1;
	uint64_t span = max_gap ? max_gap : (mean > 1 ? 2 * mean - 1 : 1);
	uint64_t id = 0;
	/* layout() keeps n below 2^29 and callers keep range below 2^31, so
	 * the sum of gaps stays far inside 32 bits. */
	for (uint32_t i = 0; i < n; i++) {
		id += 1 + rng_below(r, span);
		ids[i] = (uint32_t)id;
	}
}

/* ids[b] = sorted[perm[b]]: a random bijection from books to a sorted id
 * list; key[b] = perm[b] is then the id's rank. */
static int assign_shuffled(uint32_t *out, uint32_t *key, uint32_t n, uint64_t range,
			   uint32_t max_gap, struct rng *r)
{
	uint32_t *sorted = malloc(sizeof *sorted * (n ? n : 1));
	if (!sorted)
		return GL_ENOMEM;
	increasing_ids(sorted, n, range, max_gap, r);
	for (uint32_t i = 0; i < n; i++)
		key[i] = i;
	shuffle(key, n, r);
	for (uint32_t i = 0; i < n; i++)
		out[i] = sorted[key[i]];
	free(sorted);
	return 0;
}

static uint32_t editions_of(const struct sample_catalog_params *p, uint32_t w, struct rng *r)
{
	if (w >= p->items || p->editions <= 1)
		return 1;
	/* Most works have one edition in a sample; the rest spread evenly. */
	if (rng_unit(r) < 0.6)
		return 1;
	return 2 + (uint32_t)rng_below(r, p->editions - 1);
}

static int layout(struct sample_catalog *c, struct rng *r)
{
	c->book_first = malloc(sizeof *c->book_first * ((size_t)c->works + 1));
	if (!c->book_first)
		return GL_ENOMEM;
	uint64_t books = 0;
	for (uint32_t w = 0; w < c->works; w++) {
		c->book_first[w] = (uint32_t)books;
		books += editions_of(&c->p, w, r);
		if (books > ((uint64_t)1 << 29)) {
			log_error("too many books: %u works x %u editions", c->works, c->p.editions);
			return GL_ELIMIT;
		}
	}
	c->book_first[c->works] = (uint32_t)books;
	c->books = (uint32_t)books;
	c->model_books = c->book_first[c->p.items];
	return 0;
}

static int alloc_books(struct sample_catalog *c)
{
	size_t nb = c->books ? c->books : 1, nw = c->works ? c->works : 1;
	c->book_work = malloc(sizeof *c->book_work * nb);
	c->book_id = malloc(sizeof *c->book_id * nb);
	c->book_key = malloc(sizeof *c->book_key * nb);
	c->gr_book = malloc(sizeof *c->gr_book * nb);
	c->work_id = malloc(sizeof *c->work_id * nw);
	c->book_missing = calloc(nb, 1);
	c->work_author = malloc(sizeof *c->work_author * nw);
	if (!c->book_work || !c->book_id || !c->book_key || !c->gr_book || !c->work_id ||
	    !c->book_missing || !c->work_author)
		return GL_ENOMEM;
	for (uint32_t w = 0; w < c->works; w++)
		for (uint32_t b = c->book_first[w]; b < c->book_first[w + 1]; b++)
			c->book_work[b] = w;
	return 0;
}

static int assign_ids(struct sample_catalog *c, struct rng *r)
{
	uint32_t n = c->books;
	uint64_t gr_range = (uint64_t)n * 4 > GR_BOOK_RANGE ? (uint64_t)n * 4 : GR_BOOK_RANGE;
	uint32_t *scratch = malloc(sizeof *scratch * (n ? n : 1));
	if (!scratch)
		return GL_ENOMEM;
	/* The Goodreads ids exist in every format (goodbooks lists them too). */
	int err = assign_shuffled(c->gr_book, scratch, n, gr_range, 0, r);
	if (!err) {
		switch (c->p.ids) {
		case SAMPLE_IDS_GOODREADS:
			memcpy(c->book_id, c->gr_book, sizeof *c->book_id * n);
			memcpy(c->book_key, scratch, sizeof *c->book_key * n);
			break;
		case SAMPLE_IDS_RANK:
			for (uint32_t b = 0; b < n; b++) {
				c->book_id[b] = b + 1;
				c->book_key[b] = b;
			}
			break;
		case SAMPLE_IDS_DENSE:
			err = assign_shuffled(c->book_id, c->book_key, n, n, 1, r);
			break;
		case SAMPLE_IDS_GAPPY:
			err = assign_shuffled(c->book_id, c->book_key, n, 0, 6, r);
			break;
		}
	}
	free(scratch);
	if (err)
		return err;
	uint64_t wr = (uint64_t)c->works * 4 > GR_WORK_RANGE ? (uint64_t)c->works * 4 : GR_WORK_RANGE;
	scratch = malloc(sizeof *scratch * (c->works ? c->works : 1));
	if (!scratch)
		return GL_ENOMEM;
	err = assign_shuffled(c->work_id, scratch, c->works, wr, 0, r);
	free(scratch);
	return err;
}

static int assign_authors(struct sample_catalog *c, struct rng *r)
{
	c->authors = c->works / 3 + 1;
	c->author_id = malloc(sizeof *c->author_id * c->authors);
	uint32_t *scratch = malloc(sizeof *scratch * c->authors);
	int err = GL_ENOMEM;
	if (c->author_id && scratch)
		err = assign_shuffled(c->author_id, scratch, c->authors,
				      (uint64_t)c->authors * 4 > GR_AUTHOR_RANGE
					      ? (uint64_t)c->authors * 4 : GR_AUTHOR_RANGE, 0, r);
	free(scratch);
	if (err)
		return err;
	/* Prolific authors exist: a squared uniform favours low author indexes. */
	for (uint32_t w = 0; w < c->works; w++) {
		double u = rng_unit(r);
		c->work_author[w] = (uint32_t)(u * u * c->authors);
	}
	return 0;
}

static int choose_missing(struct sample_catalog *c, struct rng *r)
{
	uint32_t first = c->book_first[c->p.items < SPECIAL_RANKS ? c->p.items : SPECIAL_RANKS];
	uint32_t pool = c->model_books - first;
	uint32_t want = (uint32_t)llround(c->p.missing_share * c->model_books);
	if (want > pool)
		want = pool;
	if (!want)
		return 0;
	uint32_t *cand = malloc(sizeof *cand * pool);
	if (!cand)
		return GL_ENOMEM;
	for (uint32_t i = 0; i < pool; i++)
		cand[i] = first + i;
	/* A partial Fisher-Yates: the first `want` are a uniform choice. */
	for (uint32_t i = 0; i < want; i++) {
		uint32_t j = i + (uint32_t)rng_below(r, pool - i);
		uint32_t t = cand[i];
		cand[i] = cand[j];
		cand[j] = t;
		c->book_missing[cand[i]] = 1;
	}
	c->missing = want;
	free(cand);
	return 0;
}

int sample_catalog_init(struct sample_catalog *c, const struct sample_catalog_params *p)
{
	struct rng r;
	int err;
	memset(c, 0, sizeof *c);
	c->p = *p;
	c->orphans = (uint32_t)llround(p->orphan_share * p->items);
	c->works = p->items + c->orphans;
	rng_init(&r, p->seed, STREAM_CATALOG);
	if ((err = layout(c, &r)) != 0 || (err = alloc_books(c)) != 0 ||
	    (err = assign_ids(c, &r)) != 0 || (err = assign_authors(c, &r)) != 0 ||
	    (err = choose_missing(c, &r)) != 0) {
		if (err == GL_ENOMEM)
			log_error("out of memory for a catalogue of %u works", c->works);
		sample_catalog_free(c);
		return err;
	}
	return 0;
}

void sample_catalog_free(struct sample_catalog *c)
{
	free(c->book_first);
	free(c->book_work);
	free(c->book_id);
	free(c->book_key);
	free(c->gr_book);
	free(c->work_id);
	free(c->book_missing);
	free(c->author_id);
	free(c->work_author);
	memset(c, 0, sizeof *c);
}
