/* export_ratings.h - a ratings file for other tools.
 *
 *   fastai     user,item,rating[,<user key>,<item key>][,title][,is_valid]:
 *              CollabDataLoaders.from_df reads it as is (the dense ids); the
 *              source keys are named as in users.csv and items.csv
 *              (user_id, movie_id, book_id ...), and is_valid (1 = the
 *              validation set) lets a ColSplitter keep goodlens' split
 *   keys       <user key>,<item key>,rating[,title][,is_valid]: the
 *              source's own ids alone, named as in users.csv and items.csv
 *              (user_id,book_id ...), as a person or pandas reads them; a
 *              side without its table writes dense ids in a column "user"
 *              or "item"
 *   libmf      "user item rating" per line, no header (LIBMF's text format;
 *              dense ids)
 *   movielens  userId,movieId,rating,timestamp (MovieLens ratings.csv): each
 *              id is the source's key when its table is known and every key
 *              is an integer (as MovieLens' are), else the dense id plus 1
 *              (MovieLens counts from 1); timestamp as the file has it, 0
 *              where it has none
 *
 * Rows by user, then item.  The tables are users.csv and items.csv, given
 * or found beside the ratings file; one that is not the file's (an id out
 * of range, a row missing) is an error.  subset picks all ratings, the
 * train part or the validation part.
 */
#ifndef GL_EXPORT_RATINGS_H
#define GL_EXPORT_RATINGS_H

enum { RC_FASTAI, RC_LIBMF, RC_MOVIELENS, RC_KEYS };
enum { RC_ALL, RC_TRAIN, RC_VALID };

struct rc_opts {
	const char *ratings;  /* ratings.glr */
	const char *users;    /* users.csv (user,<key>,...), or NULL: beside ratings */
	const char *items;    /* items.csv (item,<key>[,title],...), or NULL: likewise */
	const char *out;      /* "-" = stdout */
	int format;
	int subset;
	int threads;          /* rows formatted by this many threads (parwrite.h) */
};

/* 0 or a gl_err (logged). */
int export_ratings(const struct rc_opts *o);

#endif
