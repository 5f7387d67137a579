/* export_goodbooks.h - the Kaggle goodbooks-10k layout from raw Goodreads
 * data (goodlens-extract's output of the UCSD JSON dumps).
 *
 * goodbooks-10k's README: the ten thousand most popular books, users with
 * at least two ratings, ids contiguous from 1 (books 1..10000 in order of
 * popularity), ratings 1-5, duplicates removed.  Here:
 *
 *   1. rating 0 rows (shelved, not rated) are set aside for to_read.csv;
 *   2. duplicate (user, book) pairs are removed (dedupe.h, --dedupe);
 *   3. the N books with the most ratings are chosen (ties: the book first
 *      seen in the dump) and numbered 1..N in that order;
 *   4. users with fewer than min_user ratings among them are dropped, the
 *      others numbered from 1 in the dump's order.
 *
 * Writes ratings.csv (user_id,book_id,rating; by user, then book),
 * to_read.csv (user_id,book_id: pairs of kept users and chosen books that
 * are shelved and never rated), books.csv (the 23 goodbooks columns, one
 * row per chosen book in book_id order, from books.csv, works.csv and
 * authors.csv; empty where the metadata has no row).
 */
#ifndef GL_EXPORT_GOODBOOKS_H
#define GL_EXPORT_GOODBOOKS_H

#include <stdint.h>

struct gb_opts {
	const char *indir;   /* ratings.raw.glr, items.raw.csv, books.csv, works.csv, authors.csv */
	const char *outdir;
	uint64_t books;      /* N, 10000 */
	uint32_t min_user;   /* 2 */
	int dedupe;          /* enum dedupe_mode */
	int threads;         /* rows formatted by this many threads (parwrite.h) */
};

/* 0 or a gl_err (logged). */
int export_goodbooks(const struct gb_opts *o);

#endif
