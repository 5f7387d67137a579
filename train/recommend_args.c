#include "recommend_args.h"

#include "buf.h"
#include "cli.h"
#include "err.h"
#include "log.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define NO_ITEM UINT32_MAX

/* ---- the tables ----------------------------------------------------------- */

/* name given, else beside the ratings file, else beside the model. */
static int locate(const struct rec_query *q, const char *given, const char *name, char **path)
{
	int err = keytab_locate(given, q->ratings ? q->ratings : q->model, name, path);
	if (!err && !*path && q->ratings)
		err = keytab_locate(NULL, q->model, name, path);
	return err;
}

/* t against what the model recorded (k); a model that recorded nothing
 * still needs a row for every id. */
static int check_table(const struct rec_ctx *c, const struct glm_keys *k, const struct keytab *t,
		       const char *what)
{
	int unchecked;
	int err = keytab_check(k, c->q->model, t->path, t->key_name, t->rows, keytab_fingerprint(t),
			       &unchecked);
	if (!err && unchecked) {
		log_warn("%s records no %s keys (trained without its %s.csv): %s is not checked "
			 "against it",
			 c->q->model, what, what, t->path);
		err = keytab_require_all(t, what, c->q->model);
	}
	return err;
}

static int load_items(struct rec_ctx *c)
{
	char *path = NULL;
	int err = locate(c->q, c->q->items, "items.csv", &path);
	if (!err && path) {
		err = itemtab_load(&c->items, path, c->s.n_items);
		c->have_items = !err;
		if (!err)
			err = check_table(c, &c->s.g.item_keys, &c->items.k, "item");
		/* editions nobody rated are in the extract's books table */
		if (!err && c->items.edition_key[0])
			err = keytab_locate(c->q->books, path, "books.csv", &c->books);
	}
	if (!err && !path)
		log_info("no items.csv beside %s: items are shown by dense id only (--items "
			 "names the table)",
			 c->q->ratings ? c->q->ratings : c->q->model);
	free(path);
	return err;
}

static int load_users(struct rec_ctx *c)
{
	char *path = NULL;
	int err = locate(c->q, c->q->users, "users.csv", &path);
	if (!err && path) {
		err = keytab_load(&c->users, path, "user", c->s.n_users);
		c->have_users = !err;
		if (!err)
			err = check_table(c, &c->s.g.user_keys, &c->users, "user");
	}
	free(path);
	return err;
}

/* Ratings per item: the training ratings when the ratings file is open,
 * else items.csv's n_ratings. */
static int counts(struct rec_ctx *c)
{
	uint64_t *n;
	if (!c->s.have_r) {
		c->count = c->have_items && c->items.s_count >= 0 ? c->items.count : NULL;
		return 0;
	}
	if (!(n = malloc((c->s.n_items + 1) * sizeof *n))) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	for (uint64_t i = 0; i < c->s.n_items; i++)
		n[i] = c->s.trained[i];
	c->count = n;
	return 0;
}

int recargs_tables(struct rec_ctx *c)
{
	int err = load_items(c);
	if (!err)
		err = load_users(c);
	if (!err)
		err = counts(c);
	return err;
}

void recargs_free(struct rec_ctx *c)
{
	if (c->s.have_r)
		free((void *)c->count);
	if (c->have_items)
		itemtab_free(&c->items);
	if (c->have_users)
		keytab_free(&c->users);
	free(c->books);
	c->count = NULL;
	c->books = NULL;
	c->have_items = c->have_users = 0;
}

/* ---- users and items ------------------------------------------------------ */

int recargs_user(const struct rec_ctx *c, const char *arg, uint32_t *u)
{
	if (!c->q->by_key) {
		if (keytab_parse_id(arg, c->s.n_users, u) == 0)
			return 0;
		log_error("'%s' is not a user id of the model (0..%" PRIu64
			  "); --by-key takes users.csv's "
			  "keys",
			  arg, (uint64_t)c->s.n_users - 1);
		return GL_EFORMAT;
	}
	if (!c->have_users) {
		log_error("--by-key --user needs users.csv: give --users (there is none beside %s)",
			  c->q->ratings ? c->q->ratings : c->q->model);
		return GL_EUSAGE;
	}
	if (keytab_find(&c->users, arg, u) == 0)
		return 0;
	log_error("no user with %s '%s' in %s", c->users.key_name, arg, c->users.path);
	return GL_EFORMAT;
}

static int need_items(const struct rec_ctx *c, const char *what)
{
	if (c->have_items)
		return 0;
	log_error("%s needs items.csv: give --items (there is none beside %s)", what,
		  c->q->ratings ? c->q->ratings : c->q->model);
	return GL_EUSAGE;
}

/* keys[0..n) into ids (NO_ITEM where none is found): items.csv's keys and
 * editions, then the editions table.  An ambiguous key is an error. */
static int resolve_keys(const struct rec_ctx *c, const char *const *keys, size_t n, uint32_t *ids)
{
	const struct itemtab *t = &c->items;
	size_t missing = 0;
	for (size_t j = 0; j < n; j++) {
		uint32_t id[2];
		int edition, rc = itemtab_by_key(t, keys[j], id, &edition);
		ids[j] = rc == 0 ? id[0] : NO_ITEM;
		missing += rc == -1;
		if (rc == -2) {
			log_error("'%s' is the %s of item %u and a %s of item %u: name it by dense "
				  "item id instead",
				  keys[j], t->k.key_name, id[0], t->edition_key, id[1]);
			return GL_EFORMAT;
		}
		if (edition)
			log_info("%s %s is an edition of %s %s (item %u)", t->edition_key, keys[j],
				 t->k.key_name, itemtab_key(t, ids[j]), ids[j]);
	}
	return missing && c->books ? itemtab_by_edition_table(t, c->books, keys, n, ids) : 0;
}

int recargs_item(const struct rec_ctx *c, const char *arg, uint32_t *id)
{
	if (!c->q->by_key) {
		if (keytab_parse_id(arg, c->s.n_items, id) == 0)
			return 0;
		log_error("'%s' is not an item id of the model (0..%" PRIu64
			  "); --by-key takes items.csv's "
			  "keys",
			  arg, (uint64_t)c->s.n_items - 1);
		return GL_EFORMAT;
	}
	int err = need_items(c, "--by-key");
	if (!err)
		err = resolve_keys(c, &arg, 1, id);
	if (!err && *id == NO_ITEM) {
		log_error("no item with %s '%s' in %s%s", c->items.k.key_name, arg, c->items.k.path,
			  c->items.edition_key[0] ? " (nor an edition of one)" : "");
		err = GL_EFORMAT;
	}
	return err;
}

/* ---- a new user's ratings ------------------------------------------------- */

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

/* Check r against the model's rating scale (when it recorded one). */
static int on_scale(const struct rec_ctx *c, const char *opt, const char *what, double r)
{
	const struct glm *g = &c->s.g;
	if (!g->has_source || (r >= g->rating_lo - 1e-6 && r <= g->rating_hi + 1e-6))
		return 0;
	log_error("%s: rating %g for '%s' is outside the model's rating scale %g..%g: rate on "
		  "that scale",
		  opt, r, what, (double)g->rating_lo, (double)g->rating_hi);
	return GL_EFORMAT;
}

/* Append (given, rating) to *out, growing it. */
static int push(struct rec_rated **out, size_t *n, size_t *cap, const char *given, double r,
		int by_title)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 8;
		struct rec_rated *g = realloc(*out, nc * sizeof *g);
		if (!g)
			return GL_ENOMEM;
		*out = g;
		*cap = nc;
	}
	struct rec_rated *x = &(*out)[*n];
	if (!(x->given = strdup(given)))
		return GL_ENOMEM;
	x->item = NO_ITEM;
	x->rating = (float)r;
	x->by_title = by_title;
	(*n)++;
	return 0;
}

/* Split "name<sep>rating" at the last sep, both sides trimmed: 0 and *name
 * (inside s), or GL_EUSAGE (logged, opt and what it expects). */
static int split_rated(char *s, char sep, const char *opt, const char *expect, char **name,
		       double *r)
{
	char *at = strrchr(s, sep);
	if (at) {
		*at = 0;
		*name = trim(s);
	}
	if (!at || !**name) {
		if (at)
			*at = sep;
		log_error("invalid value for %s: '%s' (expected %s)", opt, trim(s), expect);
		return GL_EUSAGE;
	}
	return cli_double(opt, trim(at + 1), r);
}

/* "item:rating,..." (q->arg) and the --rate-title values, parsed. */
static int parse_rated(const struct rec_ctx *c, struct rec_rated **out, size_t *n, size_t *cap)
{
	char *copy = c->q->arg ? strdup(c->q->arg) : NULL, *save = NULL, *name;
	double r;
	int err = c->q->arg && !copy ? GL_ENOMEM : 0;
	for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; tok && !err;
	     tok = strtok_r(NULL, ",", &save))
		if (!(err = split_rated(tok, ':', "--new", "item:rating", &name, &r)) &&
		    !(err = on_scale(c, "--new", name, r)))
			err = push(out, n, cap, name, r, 0);
	free(copy);
	for (size_t j = 0; !err && j < c->q->n_titles; j++) {
		char *v = strdup(c->q->titles[j]);
		if (!v)
			err = GL_ENOMEM;
		else if (!(err = split_rated(v, '=', "--rate-title", "TITLE=RATING", &name, &r)) &&
			 !(err = on_scale(c, "--rate-title", name, r)))
			err = push(out, n, cap, name, r, 1);
		free(v);
	}
	if (err == GL_ENOMEM)
		log_error("out of memory");
	return err;
}

/* Each rated item's id (NO_ITEM when the model has none). */
static int resolve_rated(const struct rec_ctx *c, struct rec_rated *r, size_t n)
{
	int err = 0;
	for (size_t j = 0; !err && j < n; j++) {
		uint64_t matches;
		if (!r[j].by_title && !c->q->by_key)
			keytab_parse_id(r[j].given, c->s.n_items, &r[j].item);
		else if (r[j].by_title && !(err = need_items(c, "--rate-title")) &&
			 itemtab_by_title(&c->items, r[j].given, &r[j].item, &matches) == 0)
			log_info("'%s' matched %" PRIu64 " titles: item %u (%s %s, %s)", r[j].given,
				 (uint64_t)matches, r[j].item, c->items.k.key_name,
				 itemtab_key(&c->items, r[j].item),
				 itemtab_title(&c->items, r[j].item));
	}
	if (err || !c->q->by_key)
		return err;
	if ((err = need_items(c, "--by-key")))
		return err;
	/* The keys as one batch: the editions table is read once. */
	const char **keys = malloc((n + 1) * sizeof *keys);
	uint32_t *ids = malloc((n + 1) * sizeof *ids);
	size_t nk = 0;
	if (!keys || !ids)
		err = GL_ENOMEM;
	for (size_t j = 0; !err && j < n; j++)
		if (!r[j].by_title)
			keys[nk++] = r[j].given;
	if (!err)
		err = resolve_keys(c, keys, nk, ids);
	for (size_t j = 0, k = 0; !err && j < n; j++)
		if (!r[j].by_title)
			r[j].item = ids[k++];
	if (err == GL_ENOMEM)
		log_error("out of memory");
	free(keys);
	free(ids);
	return err;
}

/* One warning naming every unknown item; an error when all are. */
static int say_unknown(const struct rec_ctx *c, const struct rec_rated *r, size_t n)
{
	struct buf b = {0};
	size_t unknown = 0;
	for (size_t j = 0; j < n; j++)
		if (r[j].item == NO_ITEM && !buf_printf(&b, "%s'%s'", unknown ? ", " : "", r[j].given))
			unknown++;
	int err = 0;
	if (unknown && unknown == n) {
		log_error("none of the %zu rated items is in the model (%s): %s", n, b.p,
			  c->q->by_key ? "check them against items.csv's keys and titles"
				       : "give dense item ids, or source keys with --by-key");
		err = GL_EFORMAT;
	} else if (unknown) {
		log_warn("%zu of the %zu rated items are not in the model, skipped: %s", unknown, n,
			 b.p);
	}
	buf_free(&b);
	return err;
}

int recargs_rated(const struct rec_ctx *c, struct rec_rated **out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int err = parse_rated(c, out, n, &cap);
	if (!err && *n == 0) {
		log_error("--new and --rate-title gave no ratings");
		err = GL_EUSAGE;
	}
	if (!err)
		err = resolve_rated(c, *out, *n);
	if (!err)
		err = say_unknown(c, *out, *n);
	return err;
}

void recargs_free_rated(struct rec_rated *r, size_t n)
{
	for (size_t j = 0; r && j < n; j++)
		free(r[j].given);
	free(r);
}
