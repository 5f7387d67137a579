/* recommend_query.h - what goodlens-recommend answers: one query (a mode and its
 * options) run against a model file, written as CSV.
 *
 * Modes and their columns (docs/TRAIN.md); a [<key>] column is there when
 * the table is known (users.csv, items.csv), named as in it (user_id,
 * movie_id, book_id, work_id ...), and the titles come last:
 *   REC_USERS, REC_ALL_USERS  user,[user_id,]rank,item,[<key>,]score,basis[,title]
 *   REC_SIMILAR, REC_TITLE    item,[<key>,]rank,similar_item,[similar_<key>,]
 *                             cosine[,similar_n_ratings][,title,similar_title]
 *   REC_NEW                   kind,rank,given,item,[<key>,]score,basis[,title]
 * basis: model, folded, bias or popularity (where the score comes from).
 * REC_NEW echoes the ratings it was given as kind "rated" rows (given = the
 * item or title as written, then what it resolved to; score = the rating;
 * basis "used", or "untrained" for an item the model never saw rated)
 * before the "recommended" ones.
 *
 * Refused with one line and GL_EFORMAT (exit 1): a users.csv or items.csv
 * that is not the model's (lib/keytab.h's fingerprint, recorded in
 * model.glm); a --new rating outside the model's rating scale; --new
 * ratings none of whose items the model knows (unknown ones among known
 * ones are named in one warning and skipped).
 */
#ifndef GL_TRAIN_RECQUERY_H
#define GL_TRAIN_RECQUERY_H

#include <stddef.h>
#include <stdint.h>

enum rec_mode { REC_NONE, REC_USERS, REC_ALL_USERS, REC_SIMILAR, REC_TITLE, REC_NEW };

struct rec_query {
	const char *model;   /* model.glm (required) */
	const char *ratings; /* ratings.glr or NULL: seen items are skipped */
	const char *items;   /* items.csv, or NULL: the one beside ratings or model */
	const char *users;   /* users.csv, or NULL: likewise */
	const char *books;   /* editions table (book_id,work_id), or NULL: books.csv
			      * beside items.csv, on a work-keyed model */
	const char *out;     /* output path, "-" for stdout */
	const char *arg;     /* REC_SIMILAR: an item; REC_TITLE: text; REC_NEW: pairs
			      * "item:rating,..." or NULL */
	int mode;            /* enum rec_mode */
	int by_key;          /* users and items named by their source key */
	const char *const *user_args; /* REC_USERS: dense ids, or keys with by_key */
	int exclude_train;   /* users' lists skip only their training items
			      * (--exclude train), not every rated one */
	size_t n_users;
	const char *const *titles;    /* REC_NEW: "TITLE=RATING" (split at the last =) */
	size_t n_titles;
	uint64_t n;          /* items per answer */
	double lambda;       /* fold-in ridge per rated item */
	uint64_t min_ratings; /* REC_SIMILAR, REC_TITLE: fewest ratings of a neighbour */
};

/* Load q->model (and q->ratings, the tables), answer q->mode and write the
 * CSV to q->out, whole or not at all (lib/outfile.h).  0, or GL_EIO,
 * GL_EFORMAT (an unknown user or item, a title not found, a table not the
 * model's, a rating off its scale), GL_EUSAGE (a bad --new pair, --by-key
 * without its table) or GL_ENOMEM, logged. */
int rec_query_run(const struct rec_query *q);

#endif
