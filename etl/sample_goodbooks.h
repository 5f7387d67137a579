/* sample_goodbooks.h - goodlens-sample's writer of Kaggle's goodbooks-10k:
 * ratings.csv, to_read.csv and books.csv (struct sample_writer,
 * sample_write.h).
 */
#ifndef GL_SAMPLE_GOODBOOKS_H
#define GL_SAMPLE_GOODBOOKS_H

#include "sample_write.h"

extern const struct sample_writer sample_writer_goodbooks;

#endif
