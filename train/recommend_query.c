/* recommend_query.c - goodlens-recommend's queries: load the model, answer one
 * mode, write its CSV. */
#include "recommend_query.h"

#include "buf.h"
#include "cli.h"
#include "csvwrite.h"
#include "err.h"
#include "recommend_foldin.h"
#include "log.h"
#include "outfile.h"
#include "recommend_args.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ",<key>" of id in t, when the table is known. */
static void key_col(FILE *f, int have, const struct keytab *t, uint64_t id)
{
	if (have) {
		putc(',', f);
		csvw_str(f, keytab_key(t, id));
	}
}

/* ",<prefix><key name>" when the table is known, quoted as one field. */
static void key_head(FILE *f, int have, const struct keytab *t, const char *prefix)
{
	struct buf name = {0};
	if (!have)
		return;
	putc(',', f);
	if (buf_printf(&name, "%s%s", prefix, t->key_name) == 0)
		csvw_str(f, name.p);
	buf_free(&name);
}

static void item_key(const struct rec_ctx *c, uint32_t i)
{
	key_col(c->f, c->have_items, &c->items.k, i);
}

/* ",title" last on the line, when items.csv is known. */
static void title_col(const struct rec_ctx *c, uint32_t i)
{
	if (c->have_items) {
		putc(',', c->f);
		csvw_str(c->f, itemtab_title(&c->items, i));
	}
	putc('\n', c->f);
}

static uint64_t train_count(const struct recsys *s, uint32_t u)
{
	if (!s->have_r)
		return 1;
	uint64_t n = 0;
	for (uint64_t k = s->r.rowptr[u]; k < s->r.rowptr[u + 1]; k++)
		n += !glr_bit(s->r.split, k);
	return n;
}

static void users_header(const struct rec_ctx *c)
{
	fputs("user", c->f);
	key_head(c->f, c->have_users, &c->users, "");
	fputs(",rank,item", c->f);
	key_head(c->f, c->have_items, &c->items.k, "");
	fputs(",score,basis", c->f);
	if (c->have_items)
		fputs(",title", c->f);
	putc('\n', c->f);
}

/* One user's top N from its row of scores (the biases for a user without
 * training ratings). */
static void user_rows(struct rec_ctx *c, uint32_t u, const float *score, const float *bias,
		      uint8_t *skip, struct rec_hit *hits)
{
	const struct recsys *s = &c->s;
	int cold = train_count(s, u) == 0;
	const char *basis = cold ? (rec_is_factor(s) ? "bias" : "popularity") : "model";
	if (cold)
		log_info("user %u has no training ratings: ranked by %s", u, basis);
	/* --exclude train leaves validation items in: the lists the ranking
	 * metrics of goodlens-train score. */
	void (*mark)(const struct recsys *, uint32_t, uint8_t *, uint8_t) =
		c->q->exclude_train ? rec_mark_trained : rec_mark_seen;
	mark(s, u, skip, 1);
	size_t n = rec_top(s, cold ? bias : score, skip, c->q->n, hits);
	mark(s, u, skip, 0);
	for (size_t x = 0; x < n; x++) {
		fprintf(c->f, "%u", u);
		key_col(c->f, c->have_users, &c->users, u);
		fprintf(c->f, ",%zu,%u", x + 1, hits[x].item);
		item_key(c, hits[x].item);
		fprintf(c->f, ",%.4f,%s",
			cold && !rec_is_factor(s) ? score[hits[x].item] : hits[x].score, basis);
		title_col(c, hits[x].item);
	}
}

static int run_users(struct rec_ctx *c, const uint32_t *users, size_t n_users)
{
	struct recsys *s = &c->s;
	uint64_t ni = s->n_items;
	size_t block = ni ? (size_t)((16u << 20) / ni) : 1;
	block = block < 1 ? 1 : block > 256 ? 256 : block;
	float *score = malloc(block * (ni ? ni : 1) * sizeof *score), *bias = malloc((ni + 1) * sizeof *bias);
	uint8_t *skip = calloc(ni + 1, 1);
	struct rec_hit *hits = malloc(c->q->n * sizeof *hits);
	uint32_t *ids = malloc(block * sizeof *ids);
	int err = 0;
	if (!score || !bias || !skip || !hits || !ids) {
		log_error("out of memory");
		err = GL_ENOMEM;
		goto done;
	}
	rec_score_bias(s, bias);
	users_header(c);
	for (size_t at = 0; at < n_users && !err; at += block) {
		size_t nb = n_users - at < block ? n_users - at : block;
		for (size_t r = 0; r < nb; r++)
			ids[r] = users[at + r];
		err = rec_score_users(s, ids, nb, score);
		for (size_t r = 0; !err && r < nb; r++)
			user_rows(c, ids[r], score + r * ni, bias, skip, hits);
	}
done:
	free(score);
	free(bias);
	free(skip);
	free(hits);
	free(ids);
	return err;
}

static void similar_header(const struct rec_ctx *c)
{
	const struct keytab *k = &c->items.k;
	fputs("item", c->f);
	key_head(c->f, c->have_items, k, "");
	fputs(",rank,similar_item", c->f);
	key_head(c->f, c->have_items, k, "similar_");
	fputs(",cosine", c->f);
	if (c->count)
		fputs(",similar_n_ratings", c->f);
	if (c->have_items)
		fputs(",title,similar_title", c->f);
	putc('\n', c->f);
}

/* Skip the candidates with fewer than --min-ratings ratings: their factors
 * have barely moved from the initialisation. */
static void skip_rare(const struct rec_ctx *c, uint8_t *skip)
{
	uint64_t min = c->q->min_ratings;
	if (min <= 1)
		return;
	if (!c->count) {
		log_warn("--min-ratings %" PRIu64
			 " not applied: give --ratings (or an items.csv with "
			 "n_ratings) to count each item's ratings",
			 (uint64_t)min);
		return;
	}
	for (uint64_t i = 0; i < c->s.n_items; i++)
		if (c->count[i] < min)
			skip[i] = 1;
}

static int run_similar(struct rec_ctx *c, uint32_t item)
{
	struct recsys *s = &c->s;
	float *cos = malloc((s->n_items + 1) * sizeof *cos);
	uint8_t *skip = calloc(s->n_items + 1, 1);
	struct rec_hit *hits = malloc(c->q->n * sizeof *hits);
	int err = 0;
	if (!cos || !skip || !hits) {
		log_error("out of memory");
		err = GL_ENOMEM;
		goto done;
	}
	if (!s->trained[item])
		log_warn("item %u had no training ratings: its factors are not learnt", item);
	err = rec_cosine(s, item, cos);
	if (err)
		goto done;
	skip_rare(c, skip);
	skip[item] = 1;
	size_t n = rec_top(s, cos, skip, c->q->n, hits);
	similar_header(c);
	for (size_t x = 0; x < n; x++) {
		uint32_t nb = hits[x].item;
		fprintf(c->f, "%u", item);
		item_key(c, item);
		fprintf(c->f, ",%zu,%u", x + 1, nb);
		item_key(c, nb);
		fprintf(c->f, ",%.4f", hits[x].score);
		if (c->count)
			fprintf(c->f, ",%" PRIu64, (uint64_t)c->count[nb]);
		if (c->have_items) {
			putc(',', c->f);
			csvw_str(c->f, itemtab_title(&c->items, item));
		}
		title_col(c, nb);
	}
done:
	free(cos);
	free(skip);
	free(hits);
	return err;
}

/* The fold-in's rows: kind rated (what was given, as resolved) first. */
static void new_rows(const struct rec_ctx *c, const struct rec_rated *r, size_t nr,
		     const struct rec_hit *hits, size_t nh, const char *basis)
{
	fputs("kind,rank,given,item", c->f);
	key_head(c->f, c->have_items, &c->items.k, "");
	fputs(",score,basis", c->f);
	if (c->have_items)
		fputs(",title", c->f);
	putc('\n', c->f);
	for (size_t j = 0, rank = 0; j < nr; j++) {
		if (r[j].item == UINT32_MAX)
			continue;
		fprintf(c->f, "rated,%zu,", ++rank);
		csvw_str(c->f, r[j].given);
		fprintf(c->f, ",%u", r[j].item);
		item_key(c, r[j].item);
		fprintf(c->f, ",%g,%s", (double)r[j].rating,
			c->s.trained[r[j].item] ? "used" : "untrained");
		title_col(c, r[j].item);
	}
	for (size_t x = 0; x < nh; x++) {
		fprintf(c->f, "recommended,%zu,,%u", x + 1, hits[x].item);
		item_key(c, hits[x].item);
		fprintf(c->f, ",%.4f,%s", hits[x].score, basis);
		title_col(c, hits[x].item);
	}
}

/* The folded-in user's scores (or, for a model without user factors, the
 * items' popularity).  *basis says which. */
static int fold(struct rec_ctx *c, const uint32_t *items, const float *ratings, size_t used,
		float *score, const char **basis)
{
	struct recsys *s = &c->s;
	float b[9];
	if (!rec_is_factor(s)) {
		log_warn("the %s model has no user factors to fold into: ranking by popularity",
			 s->m[0].ops->name);
		*basis = "popularity";
		rec_score_bias(s, score);
		return 0;
	}
	uint32_t k = s->m[0].k;
	float *p = malloc((size_t)s->n_members * k * sizeof *p + 1);
	int err = p ? 0 : GL_ENOMEM;
	for (uint32_t j = 0; j < s->n_members && !err; j++)
		err = foldin_user(&s->m[j], items, ratings, used, c->q->lambda, p + (size_t)j * k,
				  &b[j]);
	if (!err) {
		log_info("folded in a new user from %zu rated items (bias %.3f)", used, b[0]);
		rec_score_folded(s, p, b, score);
		*basis = "folded";
	}
	free(p);
	return err;
}

static int run_new(struct rec_ctx *c)
{
	struct recsys *s = &c->s;
	struct rec_rated *r = NULL;
	size_t nr = 0, used = 0;
	float *score = malloc((s->n_items + 1) * sizeof *score);
	uint8_t *skip = calloc(s->n_items + 1, 1);
	struct rec_hit *hits = malloc(c->q->n * sizeof *hits);
	int err = recargs_rated(c, &r, &nr);
	uint32_t *items = malloc((nr + 1) * sizeof *items);
	float *ratings = malloc((nr + 1) * sizeof *ratings);
	const char *basis = NULL;
	if (!err && (!score || !skip || !hits || !items || !ratings)) {
		log_error("out of memory");
		err = GL_ENOMEM;
	}
	/* Items without training ratings have no learnt factors to fold
	 * against: they are left out of the solve (and said so). */
	for (size_t j = 0; !err && j < nr; j++) {
		uint32_t i = r[j].item;
		if (i == UINT32_MAX)
			continue;
		skip[i] = 1;
		if (!s->trained[i]) {
			log_warn("item %u had no training ratings: not used to fold in", i);
			continue;
		}
		items[used] = i;
		ratings[used++] = r[j].rating;
	}
	if (!err && used == 0) {
		log_error("none of the rated items has training ratings: nothing to fold in (rate "
			  "items the model was trained on)");
		err = GL_EFORMAT;
	}
	if (!err)
		err = fold(c, items, ratings, used, score, &basis);
	if (!err)
		new_rows(c, r, nr, hits, rec_top(s, score, skip, c->q->n, hits), basis);
	recargs_free_rated(r, nr);
	free(items);
	free(ratings);
	free(score);
	free(skip);
	free(hits);
	return err;
}

static int run_user_args(struct rec_ctx *c)
{
	uint32_t *ids = malloc((c->q->n_users + 1) * sizeof *ids);
	int err = ids ? 0 : GL_ENOMEM;
	for (size_t j = 0; !err && j < c->q->n_users; j++)
		err = recargs_user(c, c->q->user_args[j], &ids[j]);
	if (!err)
		err = run_users(c, ids, c->q->n_users);
	else if (err == GL_ENOMEM)
		log_error("out of memory");
	free(ids);
	return err;
}

static int run_all_users(struct rec_ctx *c)
{
	uint32_t *all = malloc((c->s.n_users + 1) * sizeof *all);
	if (!all) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	for (uint64_t u = 0; u < c->s.n_users; u++)
		all[u] = (uint32_t)u;
	int err = run_users(c, all, c->s.n_users);
	free(all);
	return err;
}

static int run_title(struct rec_ctx *c)
{
	uint32_t item;
	uint64_t matches;
	if (!c->have_items) {
		log_error("--similar-title needs items.csv: give --items (there is none beside %s)",
			  c->q->ratings ? c->q->ratings : c->q->model);
		return GL_EUSAGE;
	}
	if (itemtab_by_title(&c->items, c->q->arg, &item, &matches) != 0) {
		log_error("no title in %s contains '%s'", c->items.k.path, c->q->arg);
		return GL_EFORMAT;
	}
	log_info("'%s' matched %" PRIu64 " titles; using item %u (%s)", c->q->arg,
		 (uint64_t)matches, item, itemtab_title(&c->items, item));
	return run_similar(c, item);
}

/* Answer the query's mode into c->f. */
static int answer(struct rec_ctx *c)
{
	uint32_t item;
	int err;
	switch (c->q->mode) {
	case REC_USERS:
		return run_user_args(c);
	case REC_ALL_USERS:
		return run_all_users(c);
	case REC_SIMILAR:
		err = recargs_item(c, c->q->arg, &item);
		return err ? err : run_similar(c, item);
	case REC_TITLE:
		return run_title(c);
	case REC_NEW:
		return run_new(c);
	}
	log_error("no query mode given");
	return GL_EUSAGE;
}

int rec_query_run(const struct rec_query *q)
{
	struct rec_ctx c = {.q = q};
	struct outfile of = {0};
	int err = rec_open(&c.s, q->model, q->ratings);
	if (err)
		return err;
	err = recargs_tables(&c);
	if (!err && !q->ratings && (q->mode == REC_USERS || q->mode == REC_ALL_USERS))
		log_warn("no --ratings: items the users already rated may be recommended");
	if (!err)
		err = outfile_open(&of, q->out);
	c.f = of.fp;
	if (!err)
		err = answer(&c);
	if (!err)
		err = outfile_commit(&of);
	else
		outfile_abort(&of);
	recargs_free(&c);
	rec_close(&c.s);
	return err;
}
