/* extract_src_goodreads_json.h - the reader of goodreads-json: UCSD Goodreads
 * interactions or reviews as JSON lines, to the ratings file (the fields
 * used and the checks: extract_src_goodreads_json.c).  A reader as extract_src.h
 * says; its threads are the run's --threads. */
#ifndef GL_SRC_GOODREADS_JSON_H
#define GL_SRC_GOODREADS_JSON_H

#include "extract_src.h"

int src_goodreads_json(struct xctx *cx, struct xfile *f);

#endif
