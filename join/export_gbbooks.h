/* export_gbbooks.h - goodbooks-10k's books.csv from Goodreads metadata.
 *
 * The 23 columns of goodbooks-10k (v2) for a list of Goodreads book ids:
 *
 *   book_id                   1..N, the position in the list
 *   goodreads_book_id         the Goodreads book id
 *   best_book_id              works.csv best_book_id
 *   work_id                   books.csv work_id
 *   books_count               rows of books.csv with that work_id (editions)
 *   isbn, isbn13              books.csv
 *   authors                   names (authors.csv) of every id in author_ids,
 *                             joined with ", "
 *   original_publication_year works.csv
 *   original_title            works.csv
 *   title, language_code      books.csv
 *   average_rating            books.csv
 *   ratings_count             books.csv
 *   work_ratings_count        works.csv ratings_count
 *   work_text_reviews_count   works.csv text_reviews_count
 *   ratings_1 .. ratings_5    works.csv
 *   image_url                 books.csv
 *   small_image_url           image_url with the size letter 'm' before the
 *                             last '/' turned to 's' (and Goodreads'
 *                             "nophoto" 111x148 picture to 50x75), as
 *                             Goodreads names its small covers
 *
 * A table that does not exist leaves its columns empty (with a warning).
 */
#ifndef GL_EXPORT_GBBOOKS_H
#define GL_EXPORT_GBBOOKS_H

#include "rowstore.h"

#include <stdio.h>

/* ids: rowstore of one field per book (the Goodreads id), in book_id
 * order.  Reads books, works and authors (paths; any may be missing).
 * Writes the header and one row per book to fp.  0 or a gl_err (logged). */
int gbbooks_write(FILE *fp, const struct rowstore *ids, const char *books, const char *works,
		  const char *authors);

/* The small cover for a Goodreads image_url into out (cap bytes). */
void gbbooks_small_url(const char *url, size_t len, char *out, size_t cap);

#endif
