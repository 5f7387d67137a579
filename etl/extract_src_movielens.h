/* extract_src_movielens.h - the readers of every MovieLens layout (extract_src_movielens.c
 * describes each): ratings from u.data, ratings.dat and ratings.csv to the
 * ratings file, movies from u.item, movies.dat and movies.csv to f->tab
 * (movie_id,title,year,genres).  Readers as extract_src.h says. */
#ifndef GL_SRC_MOVIELENS_H
#define GL_SRC_MOVIELENS_H

#include "extract_src.h"

int src_ml_udata(struct xctx *cx, struct xfile *f);
int src_ml_dat_ratings(struct xctx *cx, struct xfile *f);
int src_ml_csv_ratings(struct xctx *cx, struct xfile *f);
int src_ml_uitem(struct xctx *cx, struct xfile *f);
int src_ml_dat_movies(struct xctx *cx, struct xfile *f);
int src_ml_csv_movies(struct xctx *cx, struct xfile *f);

#endif
