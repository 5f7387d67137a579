/* extract_src_goodreads_meta.h - the reader of goodreads-books, -works and
 * -authors: UCSD Goodreads metadata as JSON lines, one object a line, to
 * the table f->tab whose columns f->header names.  A top-level key fills
 * the column of the same name, except the computed ones: author_id and
 * author_ids come from a book's "authors" list, ratings_1..ratings_5 from
 * a work's "rating_dist".  The first column is the table's key (book_id,
 * work_id, author_id): required and numeric.  A reader as extract_src.h
 * says. */
#ifndef GL_SRC_GOODREADS_META_H
#define GL_SRC_GOODREADS_META_H

#include "extract_src.h"

int src_goodreads_meta(struct xctx *cx, struct xfile *f);

/* For the tests: what the reader makes of one line for a table of columns
 * header, into out: "row N: " and the row as written to the table (in
 * CSV, with its newline; N values mended to U+FFFD),
 * "bad CLASS: message", "blank", or "refused" when path is GRM_FAST and the
 * fast path left the line to yajl.  GRM_BOTH parses as the reader does (the
 * fast path, yajl when it gives up); GRM_YAJL and GRM_FAST run one alone.
 * 0, GL_ENOMEM, GL_EUSAGE for a header this reader does not write. */
enum { GRM_BOTH, GRM_YAJL, GRM_FAST };
struct buf;
int grmeta_parse_one(const char *header, const char *line, int path, struct buf *out);

#endif
