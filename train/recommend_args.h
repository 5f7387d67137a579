/* recommend_args.h - goodlens-recommend's inputs: the tables beside the model
 * (checked against what the model recorded) and the users, items and
 * ratings the command line names, resolved to dense ids.
 *
 * A user or item is named by its dense id, or with --by-key by its source
 * key (users.csv's, items.csv's second column; on a work-keyed model also
 * any edition's key, recommend_itemtab.h).  --new takes "item:rating" pairs split at
 * ',' (each side trimmed of spaces, the rating after the last ':'); a
 * --rate-title value is "TITLE=RATING" split at the last '=', the title
 * matched as --similar-title does.
 */
#ifndef GL_TRAIN_RECARGS_H
#define GL_TRAIN_RECARGS_H

#include "recommend_itemtab.h"
#include "keytab.h"
#include "recommend.h"
#include "recommend_query.h"

#include <stdint.h>
#include <stdio.h>

struct rec_ctx {
	const struct rec_query *q;
	struct recsys s;
	struct itemtab items;
	int have_items;
	struct keytab users;
	int have_users;
	char *books;          /* the editions table to look keys up in, or NULL */
	const uint64_t *count; /* ratings per item (training ratings, else items.csv's
				* n_ratings), or NULL when neither is known */
	FILE *f;
};

/* One rating of a new user, as given and as resolved. */
struct rec_rated {
	char *given;          /* the item or title as written (owned) */
	uint32_t item;        /* UINT32_MAX: not an item of the model */
	float rating;
	int by_title;
};

/* Find, load and check users.csv and items.csv (q->users / q->items, else
 * beside q->ratings, else beside q->model) into c, and the editions table.
 * A table that is not the model's is GL_EFORMAT; a model that recorded no
 * keys is said once.  0 or a gl_err (logged). */
int recargs_tables(struct rec_ctx *c);
void recargs_free(struct rec_ctx *c);

/* The user arg names (dense id, or user_id with by_key).  0 and *u, or
 * GL_EFORMAT / GL_EUSAGE (logged). */
int recargs_user(const struct rec_ctx *c, const char *arg, uint32_t *u);

/* The item arg names.  0 and *id, or GL_EFORMAT / GL_EUSAGE (logged). */
int recargs_item(const struct rec_ctx *c, const char *arg, uint32_t *id);

/* Every --new pair and --rate-title into *out (n of them, in the order
 * given: pairs first).  Items the model does not know have item
 * UINT32_MAX and are named in one warning; none known, a rating off the
 * model's scale or a malformed pair is an error.  0 or a gl_err (logged);
 * free with recargs_free_rated whatever is returned. */
int recargs_rated(const struct rec_ctx *c, struct rec_rated **out, size_t *n);
void recargs_free_rated(struct rec_rated *r, size_t n);

#endif
