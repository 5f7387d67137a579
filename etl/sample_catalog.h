/* sample_catalog.h - the item side as the files name it: works, books, ids.
 *
 * A work is what the planted model rates; the first `items` works are the
 * model's items in popularity order, the rest are orphans (in the metadata,
 * never rated).  Each work has one or more books (editions) with their own
 * ids; lines name a book, so merging editions by work_id recovers the model
 * item.  Some model books are "missing": rated in the lines but absent from
 * the metadata files, as in the real Goodreads dump.
 *
 * Ids follow the real files: sparse Goodreads ids up to ~36 million,
 * goodbooks' 1..n in popularity order, MovieLens 100k's dense 1..n, later
 * MovieLens' increasing ids with gaps.  Except for goodbooks, ids are
 * assigned in random order, so no id carries popularity.
 */
#ifndef GL_SAMPLE_CATALOG_H
#define GL_SAMPLE_CATALOG_H

#include <stdint.h>

enum sample_ids {
	SAMPLE_IDS_GOODREADS, /* sparse, up to ~36,000,000 */
	SAMPLE_IDS_RANK,      /* 1..n in popularity order (goodbooks) */
	SAMPLE_IDS_DENSE,     /* 1..n shuffled (MovieLens 100k, 1m) */
	SAMPLE_IDS_GAPPY,     /* increasing with gaps, shuffled (MovieLens 10m+) */
};

#define SAMPLE_NONE UINT32_MAX

struct sample_catalog_params {
	uint64_t seed;
	uint32_t items;       /* model items: works 0..items-1 */
	uint32_t editions;    /* most books per model work (1 = one each) */
	double orphan_share;  /* orphan works, as a share of items */
	double missing_share; /* model books left out of the metadata */
	enum sample_ids ids;
};

struct sample_catalog {
	struct sample_catalog_params p;
	uint32_t works;        /* items + orphans */
	uint32_t books;
	uint32_t orphans;
	uint32_t missing;      /* how many books are flagged missing */
	uint32_t model_books;  /* books of model works: book_first[items] */
	uint32_t *book_first;  /* works + 1: work w owns books [bf[w], bf[w+1]) */
	uint32_t *book_work;   /* books: owning work */
	uint32_t *book_id;     /* books: the id written in lines and metadata */
	uint32_t *book_key;    /* books: rank of book_id (sort key) */
	uint32_t *gr_book;     /* books: Goodreads book id */
	uint32_t *work_id;     /* works: Goodreads work id */
	uint8_t *book_missing; /* books: 1 = left out of the metadata */
	uint32_t authors;
	uint32_t *author_id;   /* authors: Goodreads author id */
	uint32_t *work_author; /* works: index of the main author */
};

/* Build the catalogue (deterministic in p->seed).  0 or GL_ENOMEM (logged);
 * on failure c needs no free. */
int sample_catalog_init(struct sample_catalog *c, const struct sample_catalog_params *p);

/* Release the catalogue; c is zeroed. */
void sample_catalog_free(struct sample_catalog *c);

#endif
