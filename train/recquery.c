/* recquery.c - goodlens-recommend's queries: load the model, answer one
 * mode, write its CSV. */
#include "recquery.h"

#include "cli.h"
#include "csvwrite.h"
#include "err.h"
#include "foldin.h"
#include "itemtab.h"
#include "log.h"
#include "outfile.h"
#include "recommend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ctx {
	const struct rec_query *q;
	struct recsys s;
	struct itemtab items;
	int have_items;
	FILE *f;
};

static void item_cols(const struct ctx *c, uint32_t i)
{
	if (!c->have_items)
		return;
	putc(',', c->f);
	csvw_str(c->f, c->items.key[i] ? c->items.key[i] : "");
	putc(',', c->f);
	csvw_str(c->f, c->items.title[i] ? c->items.title[i] : "");
}

static void item_header(const struct ctx *c)
{
	if (c->have_items) {
		putc(',', c->f);
		csvw_str(c->f, c->items.key_name);
		fputs(",title", c->f);
	}
	putc('\n', c->f);
}

/* An item named on the command line: a dense id, or a key with --by-key. */
static int find_item(const struct ctx *c, const char *arg, uint32_t *id)
{
	uint64_t v;
	if (c->q->by_key) {
		if (itemtab_by_key(&c->items, arg, id) == 0)
			return 0;
		log_error("no item with %s '%s' in %s", c->items.key_name, arg, c->q->items);
		return GL_EFORMAT;
	}
	if (cli_u64("item", arg, &v) || v >= c->s.n_items) {
		log_error("'%s' is not an item id of the model (0..%llu)", arg,
			  (unsigned long long)c->s.n_items - 1);
		return GL_EFORMAT;
	}
	*id = (uint32_t)v;
	return 0;
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

static int run_users(struct ctx *c, const uint32_t *users, size_t n_users)
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
	fputs("user,rank,item,score,basis", c->f);
	item_header(c);
	for (size_t at = 0; at < n_users && !err; at += block) {
		size_t nb = n_users - at < block ? n_users - at : block;
		for (size_t r = 0; r < nb; r++)
			ids[r] = users[at + r];
		err = rec_score_users(s, ids, nb, score);
		for (size_t r = 0; !err && r < nb; r++) {
			uint32_t u = ids[r];
			int cold = train_count(s, u) == 0;
			const char *basis = cold ? (rec_is_factor(s) ? "bias" : "popularity") : "model";
			if (cold)
				log_info("user %u has no training ratings: ranked by %s", u, basis);
			void (*mark)(const struct recsys *, uint32_t, uint8_t *, uint8_t) =
				c->q->exclude_train ? rec_mark_trained : rec_mark_seen;
			mark(s, u, skip, 1);
			size_t n = rec_top(s, cold ? bias : score + r * ni, skip, c->q->n, hits);
			mark(s, u, skip, 0);
			for (size_t x = 0; x < n; x++) {
				fprintf(c->f, "%u,%zu,%u,%.4f,%s", u, x + 1, hits[x].item,
					cold && !rec_is_factor(s) ? score[r * ni + hits[x].item] : hits[x].score,
					basis);
				item_cols(c, hits[x].item);
				putc('\n', c->f);
			}
		}
	}
done:
	free(score);
	free(bias);
	free(skip);
	free(hits);
	free(ids);
	return err;
}

static int run_similar(struct ctx *c, uint32_t item)
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
	skip[item] = 1;
	size_t n = rec_top(s, cos, skip, c->q->n, hits);
	fputs("item,rank,similar_item,cosine", c->f);
	item_header(c);
	for (size_t x = 0; x < n; x++) {
		fprintf(c->f, "%u,%zu,%u,%.4f", item, x + 1, hits[x].item, hits[x].score);
		item_cols(c, hits[x].item);
		putc('\n', c->f);
	}
done:
	free(cos);
	free(skip);
	free(hits);
	return err;
}

/* Parse "item:rating,..." into ids and ratings. */
static int parse_pairs(struct ctx *c, uint32_t **items, float **ratings, size_t *n)
{
	char *copy = strdup(c->q->arg), *save = NULL;
	size_t cap = strlen(c->q->arg) / 2 + 1;
	*items = malloc(cap * sizeof **items);
	*ratings = malloc(cap * sizeof **ratings);
	*n = 0;
	if (!copy || !*items || !*ratings) {
		free(copy);
		log_error("out of memory");
		return GL_ENOMEM;
	}
	int err = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strrchr(tok, ':');
		double r;
		if (!colon) {
			log_error("invalid value for --new: '%s' (expected item:rating)", tok);
			err = GL_EUSAGE;
			break;
		}
		*colon = 0;
		if (cli_double("--new", colon + 1, &r)) {
			err = GL_EUSAGE;
			break;
		}
		uint32_t id;
		if (find_item(c, tok, &id)) {
			log_warn("ignoring '%s': not an item of the model", tok);
			continue;
		}
		(*items)[*n] = id;
		(*ratings)[(*n)++] = (float)r;
	}
	free(copy);
	return err;
}

static int run_new(struct ctx *c)
{
	struct recsys *s = &c->s;
	uint32_t *items = NULL;
	float *ratings = NULL, *score = malloc((s->n_items + 1) * sizeof *score);
	uint8_t *skip = calloc(s->n_items + 1, 1);
	struct rec_hit *hits = malloc(c->q->n * sizeof *hits);
	float *p = NULL, b[9];
	size_t n = 0, used = 0;
	int err = parse_pairs(c, &items, &ratings, &n);
	if (!err && (!score || !skip || !hits)) {
		log_error("out of memory");
		err = GL_ENOMEM;
	}
	if (err)
		goto done;
	/* Items without training ratings have no learnt factors to fold
	 * against: they are excluded from the solve (and said so). */
	for (size_t j = 0; j < n; j++) {
		skip[items[j]] = 1;
		if (!s->trained[items[j]]) {
			log_warn("item %u had no training ratings: not used to fold in", items[j]);
			continue;
		}
		items[used] = items[j];
		ratings[used++] = ratings[j];
	}
	const char *basis = "folded";
	if (!rec_is_factor(s)) {
		log_warn("the %s model has no user factors to fold into: ranking by popularity",
			 s->m[0].ops->name);
		basis = "popularity";
		rec_score_bias(s, score);
	} else if (used == 0) {
		log_warn("none of the rated items is known to the model: ranking by item bias");
		basis = "bias";
		rec_score_bias(s, score);
	} else {
		uint32_t k = s->m[0].k;
		if (!(p = malloc((size_t)s->n_members * k * sizeof *p))) {
			err = GL_ENOMEM;
			goto done;
		}
		for (uint32_t j = 0; j < s->n_members && !err; j++)
			err = foldin_user(&s->m[j], items, ratings, used, c->q->lambda, p + (size_t)j * k,
					  &b[j]);
		if (err)
			goto done;
		log_info("folded in a new user from %zu rated items (bias %.3f)", used, b[0]);
		rec_score_folded(s, p, b, score);
	}
	size_t nh = rec_top(s, score, skip, c->q->n, hits);
	fputs("rank,item,score,basis", c->f);
	item_header(c);
	for (size_t x = 0; x < nh; x++) {
		fprintf(c->f, "%zu,%u,%.4f,%s", x + 1, hits[x].item, hits[x].score, basis);
		item_cols(c, hits[x].item);
		putc('\n', c->f);
	}
done:
	free(items);
	free(ratings);
	free(score);
	free(skip);
	free(hits);
	free(p);
	return err;
}

static int run_all_users(struct ctx *c)
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

static int run_title(struct ctx *c)
{
	uint32_t item;
	uint64_t matches;
	if (itemtab_by_title(&c->items, c->q->arg, &item, &matches) != 0) {
		log_error("no title in %s contains '%s'", c->q->items, c->q->arg);
		return GL_EFORMAT;
	}
	log_info("'%s' matched %llu titles; using item %u (%s)", c->q->arg,
		 (unsigned long long)matches, item, c->items.title[item]);
	return run_similar(c, item);
}

/* Answer the query's mode into c->f. */
static int answer(struct ctx *c)
{
	uint32_t item;
	int err;
	switch (c->q->mode) {
	case REC_USERS:
		return run_users(c, c->q->users, c->q->n_users);
	case REC_ALL_USERS:
		return run_all_users(c);
	case REC_SIMILAR:
		err = find_item(c, c->q->arg, &item);
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
	struct ctx c = {.q = q};
	struct outfile of = {0};
	int err = rec_open(&c.s, q->model, q->ratings);
	if (err)
		return err;
	if (q->items) {
		err = itemtab_load(&c.items, q->items, c.s.n_items);
		c.have_items = !err;
	}
	if (!err && !q->ratings && (q->mode == REC_USERS || q->mode == REC_ALL_USERS))
		log_warn("no --ratings: items the users already rated may be recommended");
	for (size_t j = 0; !err && j < q->n_users; j++)
		if (q->users[j] >= c.s.n_users) {
			log_error("user %u is not in the model (0..%llu)", q->users[j],
				  (unsigned long long)c.s.n_users - 1);
			err = GL_EFORMAT;
		}
	if (!err)
		err = outfile_open(&of, q->out);
	c.f = of.fp;
	if (!err)
		err = answer(&c);
	if (!err)
		err = outfile_commit(&of);
	else
		outfile_abort(&of);
	if (c.have_items)
		itemtab_free(&c.items);
	rec_close(&c.s);
	return err;
}
