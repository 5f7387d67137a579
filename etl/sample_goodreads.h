/* sample_goodreads.h - goodlens-sample's writers of the Goodreads interaction
 * files: the UCSD JSON lines (the whole dump or one genre's file) and the
 * integer CSV with its two id maps (struct sample_writer, sample_write.h).
 */
#ifndef GL_SAMPLE_GOODREADS_H
#define GL_SAMPLE_GOODREADS_H

#include "sample_write.h"

extern const struct sample_writer sample_writer_goodreads;
extern const struct sample_writer sample_writer_goodreads_csv;

#endif
