/* extract_src_goodbooks.h - the readers of Kaggle goodbooks-10k: goodbooks-ratings
 * (ratings.csv) and goodbooks-to-read (to_read.csv, shelved: rating 0) to
 * the ratings file, goodbooks-books (books.csv) normalised to f->tab.
 * Readers as extract_src.h says. */
#ifndef GL_SRC_GOODBOOKS_H
#define GL_SRC_GOODBOOKS_H

#include "extract_src.h"

int src_goodbooks_ratings(struct xctx *cx, struct xfile *f);
int src_goodbooks_to_read(struct xctx *cx, struct xfile *f);
int src_goodbooks_books(struct xctx *cx, struct xfile *f);

#endif
