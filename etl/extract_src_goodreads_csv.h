/* extract_src_goodreads_csv.h - the readers of the UCSD Goodreads CSV dump:
 * goodreads-csv (goodreads_interactions.csv) to the ratings file, and its
 * id maps goodreads-user-map and goodreads-book-map (user_id_map.csv,
 * book_id_map.csv) checked and copied to f->tab.  Readers as extract_src.h
 * says. */
#ifndef GL_SRC_GOODREADS_CSV_H
#define GL_SRC_GOODREADS_CSV_H

#include "extract_src.h"

int src_goodreads_csv(struct xctx *cx, struct xfile *f);
int src_goodreads_user_map(struct xctx *cx, struct xfile *f);
int src_goodreads_book_map(struct xctx *cx, struct xfile *f);

#endif
