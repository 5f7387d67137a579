/* recquery.h - what goodlens-recommend answers: one query (a mode and its
 * options) run against a model file, written as CSV.
 *
 * Modes and their columns (docs/TRAIN.md):
 *   REC_USERS, REC_ALL_USERS  user,rank,item,score,basis[,<key>,title]
 *   REC_SIMILAR, REC_TITLE    item,rank,similar_item,cosine[,<key>,title]
 *   REC_NEW                   rank,item,score,basis[,<key>,title]
 * basis: model, folded, bias or popularity (where the score comes from).
 */
#ifndef GL_TRAIN_RECQUERY_H
#define GL_TRAIN_RECQUERY_H

#include <stddef.h>
#include <stdint.h>

enum rec_mode { REC_NONE, REC_USERS, REC_ALL_USERS, REC_SIMILAR, REC_TITLE, REC_NEW };

struct rec_query {
	const char *model;   /* model.glm (required) */
	const char *ratings; /* ratings.glr or NULL: seen items are skipped */
	const char *items;   /* items.csv or NULL: keys and titles */
	const char *out;     /* output path, "-" for stdout */
	const char *arg;     /* REC_SIMILAR: an item; REC_TITLE: text; REC_NEW: pairs */
	int mode;            /* enum rec_mode */
	int by_key;          /* items named by items.csv key, not dense id */
	int exclude_train;   /* users' lists skip only their training items
			      * (--exclude train), not every rated one */
	const uint32_t *users; /* REC_USERS */
	size_t n_users;
	uint64_t n;          /* items per answer */
	double lambda;       /* fold-in ridge per rated item */
};

/* Load q->model (and q->ratings, q->items), answer q->mode and write the
 * CSV to q->out, whole or not at all (lib/outfile.h).  0, or GL_EIO,
 * GL_EFORMAT (an unknown user or item, a title not found), GL_EUSAGE (a
 * bad --new pair) or GL_ENOMEM, logged. */
int rec_query_run(const struct rec_query *q);

#endif
