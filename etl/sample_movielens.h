/* sample_movielens.h - goodlens-sample's writers of every MovieLens layout:
 * 100k, 1m, 10m, the csv releases and Kaggle's re-upload of ml-20m (struct
 * sample_writer, sample_write.h).
 */
#ifndef GL_SAMPLE_MOVIELENS_H
#define GL_SAMPLE_MOVIELENS_H

#include "sample_write.h"

extern const struct sample_writer sample_writer_ml100k;
extern const struct sample_writer sample_writer_ml1m;
extern const struct sample_writer sample_writer_ml10m;
extern const struct sample_writer sample_writer_mlcsv;
extern const struct sample_writer sample_writer_mlkaggle;

#endif
