/* extract_src_ratings_csv.h - the reader of csv: a ratings file of any layout,
 * read as the run's --columns, --no-header, --delimiter and --scale say
 * (cx->o->csv, extract_columns.h), to the ratings file.  A reader as
 * extract_src.h says. */
#ifndef GL_SRC_RATINGS_CSV_H
#define GL_SRC_RATINGS_CSV_H

#include "extract_src.h"

int src_ratings_csv(struct xctx *cx, struct xfile *f);

#endif
