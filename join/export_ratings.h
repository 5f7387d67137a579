/* export_ratings.h - a ratings file for other tools.
 *
 *   fastai     user,item,rating,title: CollabDataLoaders.from_df and pandas
 *              read it as is (title only with an item table that has one)
 *   libmf      "user item rating" per line, no header (LIBMF's text format)
 *   movielens  userId,movieId,rating,timestamp (MovieLens ratings.csv; ids
 *              are goodlens' dense ids plus 1, as MovieLens counts from 1;
 *              timestamp 0 when the file has no times)
 *
 * Ids are the dense ids of the ratings file; rows by user, then item.
 * subset picks all ratings, the train part or the validation part.
 */
#ifndef GL_EXPORT_RATINGS_H
#define GL_EXPORT_RATINGS_H

enum { RC_FASTAI, RC_LIBMF, RC_MOVIELENS };
enum { RC_ALL, RC_TRAIN, RC_VALID };

struct rc_opts {
	const char *ratings;  /* ratings.glr */
	const char *items;    /* items.csv with item and title columns, or NULL */
	const char *out;      /* "-" = stdout */
	int format;
	int subset;
};

/* 0 or a gl_err (logged). */
int export_ratings(const struct rc_opts *o);

#endif
