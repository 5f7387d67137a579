#include "similar.h"

#include "csvwrite.h"
#include "err.h"
#include "log.h"
#include "rng.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 4096

/* Insert (id, v) into the best-first list ids/vs of at most k entries,
 * *n of them used; ties go to the smaller id so results never depend on
 * the order candidates arrive in. */
static void keep_best(uint32_t *ids, float *vs, uint32_t *n, uint32_t k, uint32_t id, float v)
{
	uint32_t at = *n;
	while (at > 0 && (vs[at - 1] < v || (vs[at - 1] == v && ids[at - 1] > id)))
		at--;
	if (at >= k)
		return;
	uint32_t last = *n < k ? *n : k - 1;
	memmove(ids + at + 1, ids + at, (last - at) * sizeof *ids);
	memmove(vs + at + 1, vs + at, (last - at) * sizeof *vs);
	ids[at] = id;
	vs[at] = v;
	if (*n < k)
		(*n)++;
}

/* Row i of q scaled to unit length into out; 0 when the row is all zero. */
static int unit_row(const struct glm_tensor *q, uint32_t i, float *out)
{
	const float *r = q->data + (size_t)i * q->cols;
	double ss = 0;
	for (uint32_t j = 0; j < q->cols; j++)
		ss += (double)r[j] * r[j];
	if (!(ss > 0))
		return 0;
	float inv = (float)(1 / sqrt(ss));
	for (uint32_t j = 0; j < q->cols; j++)
		out[j] = r[j] * inv;
	return 1;
}

int similar_run(struct similar *s, const struct glm_tensor *q, const struct census *c,
		uint32_t n_query, uint32_t k, uint32_t min_ratings)
{
	float *qn = NULL, *blk = NULL, *sc = NULL;
	uint32_t *bid = NULL, *used = NULL;
	memset(s, 0, sizeof *s);
	if (!q || q->rows != c->n_items || !q->cols || c->n_items < 2 || !n_query || !k)
		return 0;
	uint32_t f = q->cols;
	if (n_query > c->n_items)
		n_query = (uint32_t)c->n_items;
	if (k > c->n_items - 1)
		k = (uint32_t)c->n_items - 1;
	size_t nk = (size_t)n_query * k;
	if (!(s->query = malloc(n_query * sizeof *s->query)) ||
	    !(s->nb = malloc(nk * sizeof *s->nb)) || !(s->cos = calloc(nk, sizeof *s->cos)) ||
	    !(qn = calloc((size_t)n_query * f, sizeof *qn)) ||
	    !(blk = malloc((size_t)BLOCK * f * sizeof *blk)) ||
	    !(sc = malloc((size_t)BLOCK * n_query * sizeof *sc)) ||
	    !(bid = malloc(BLOCK * sizeof *bid)) || !(used = calloc(n_query, sizeof *used))) {
		log_error("out of memory finding similar items");
		free(qn);
		free(blk);
		free(sc);
		free(bid);
		free(used);
		similar_free(s);
		return GL_ENOMEM;
	}
	s->n_query = n_query;
	s->k = k;
	for (size_t j = 0; j < nk; j++)
		s->nb[j] = SIM_NONE;
	for (uint32_t j = 0; j < n_query; j++) {
		s->query[j] = c->pop[j];
		unit_row(q, s->query[j], qn + (size_t)j * f); /* zero row: every cosine 0 */
	}
	uint64_t i = 0;
	while (i < c->n_items) {
		uint32_t nb = 0;
		for (; i < c->n_items && nb < BLOCK; i++)
			if (c->item_n[i] >= min_ratings && unit_row(q, (uint32_t)i, blk + (size_t)nb * f))
				bid[nb++] = (uint32_t)i;
		if (!nb)
			break;
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)nb, (blasint)n_query,
			    (blasint)f, 1.0f, blk, (blasint)f, qn, (blasint)f, 0.0f, sc,
			    (blasint)n_query);
		for (uint32_t r = 0; r < nb; r++)
			for (uint32_t j = 0; j < n_query; j++)
				if (bid[r] != s->query[j])
					keep_best(s->nb + (size_t)j * k, s->cos + (size_t)j * k,
						  &used[j], k, bid[r], sc[(size_t)r * n_query + j]);
	}
	free(qn);
	free(blk);
	free(sc);
	free(bid);
	free(used);
	return 0;
}

/* "<key>,<title>" of item i. */
static void item_cols(FILE *f, const struct rep_in *in, uint32_t i)
{
	const char *t = rep_item_title(in, i);
	csvw_str(f, rep_item_key(in, i));
	putc(',', f);
	csvw_str(f, t ? t : "");
}

int similar_write(const struct similar *s, const struct rep_in *in, const struct census *c,
		  FILE *f)
{
	const char *key = in->items.key_name;
	fputs("item,", f);
	csvw_str(f, key);
	char nb_key[GLM_KEYCOL_LEN + 16];
	snprintf(nb_key, sizeof nb_key, "neighbour_%s", key);
	fputs(",title,rank,neighbour,", f);
	csvw_str(f, nb_key);
	fputs(",neighbour_title,cosine,neighbour_n_ratings\n", f);
	for (uint32_t j = 0; j < s->n_query; j++)
		for (uint32_t r = 0; r < s->k; r++) {
			uint32_t i = s->query[j], nb = s->nb[(size_t)j * s->k + r];
			if (nb == SIM_NONE)
				break;
			fprintf(f, "%u,", i);
			item_cols(f, in, i);
			fprintf(f, ",%u,%u,", r + 1, nb);
			item_cols(f, in, nb);
			fprintf(f, ",%.6g,%u\n", s->cos[(size_t)j * s->k + r], c->item_n[nb]);
		}
	return 0;
}

void similar_free(struct similar *s)
{
	free(s->query);
	free(s->nb);
	free(s->cos);
	memset(s, 0, sizeof *s);
}

/* ---- recommendations ----------------------------------------------------- */

/* Why in's model cannot be scored here, or NULL with *f set. */
static const char *model_parts(const struct rep_in *in, struct glm_factors *f)
{
	if (!in->have_model)
		return "there is no model.glm";
	return glm_factors_of(&in->model, f);
}

/* Distinct users with at least min ratings, chosen by seed; fewer when
 * fewer qualify.  Rejection sampling finds them fast when many do; a scan
 * from a random start finishes the job when few do. */
static uint32_t pick_users(const struct glr *g, uint32_t want, uint32_t min, uint64_t seed,
			   uint32_t *out)
{
	struct rng r;
	uint32_t n = 0;
	if (!g->n_users)
		return 0;
	if (!min)
		min = 1;
	rng_init(&r, seed, 6);
	for (uint32_t tries = 0; n < want && tries < 64 * want; tries++) {
		uint32_t u = (uint32_t)rng_below(&r, g->n_users);
		int dup = 0;
		for (uint32_t j = 0; j < n; j++)
			dup |= out[j] == u;
		if (!dup && census_user_n(g, u) >= min)
			out[n++] = u;
	}
	uint64_t start = rng_below(&r, g->n_users);
	for (uint64_t k = 0; k < g->n_users && n < want; k++) {
		uint32_t u = (uint32_t)((start + k) % g->n_users);
		int dup = 0;
		for (uint32_t j = 0; j < n; j++)
			dup |= out[j] == u;
		if (!dup && census_user_n(g, u) >= min)
			out[n++] = u;
	}
	return n;
}

struct by_rating {
	const struct glr *g;
	const struct census *c;
};

/* Higher rating first, then the more-rated item, then the smaller id. */
static int cmp_rated(const void *a, const void *b, void *ctx)
{
	const struct by_rating *x = ctx;
	uint64_t ka = *(const uint64_t *)a, kb = *(const uint64_t *)b;
	uint8_t ra = x->g->ratings[ka], rb = x->g->ratings[kb];
	uint32_t ia = x->g->items[ka], ib = x->g->items[kb];
	if (ra != rb)
		return ra > rb ? -1 : 1;
	if (x->c->item_n[ia] != x->c->item_n[ib])
		return x->c->item_n[ia] > x->c->item_n[ib] ? -1 : 1;
	return (ia > ib) - (ia < ib);
}

static int one_user(struct recs *r, uint32_t j, const struct rep_in *in, const struct census *c,
		    const struct glm_factors *f, uint32_t min_ratings, float *sc, uint64_t *row)
{
	const struct glr *g = &in->g;
	uint32_t u = r->user[j], used = 0;
	glm_score_user(f, u, sc);
	for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
		sc[g->items[k]] = NAN; /* rated: not a recommendation */
	uint32_t *top = r->top + (size_t)j * r->n_top;
	float *val = r->score + (size_t)j * r->n_top;
	for (uint64_t i = 0; i < c->n_items; i++)
		if (!isnan(sc[i]) && c->item_n[i] >= min_ratings)
			keep_best(top, val, &used, r->n_top, (uint32_t)i, sc[i]);
	uint64_t n = g->rowptr[u + 1] - g->rowptr[u];
	for (uint64_t k = 0; k < n; k++)
		row[k] = g->rowptr[u] + k;
	struct by_rating ctx = {g, c};
	qsort_r(row, (size_t)n, sizeof *row, cmp_rated, &ctx);
	for (uint32_t t = 0; t < r->n_rated && t < n; t++) {
		r->rated[(size_t)j * r->n_rated + t] = g->items[row[t]];
		r->rating[(size_t)j * r->n_rated + t] = glr_value(g, row[t]);
	}
	return 0;
}

int recs_run(struct recs *r, const struct rep_in *in, const struct census *c, uint32_t n_users,
	     uint32_t n_top, uint32_t n_rated, uint32_t min_ratings, uint64_t seed)
{
	struct glm_factors p;
	float *sc = NULL;
	uint64_t *row = NULL;
	int err = GL_ENOMEM;
	memset(r, 0, sizeof *r);
	if ((r->why_not = model_parts(in, &p)))
		return 0;
	if (!n_users || !n_top || !c->n_items) {
		r->why_not = "no users or items to recommend for";
		return 0;
	}
	r->n_top = n_top;
	r->n_rated = n_rated;
	size_t nt = (size_t)n_users * n_top, nr = (size_t)n_users * (n_rated ? n_rated : 1);
	if (!(r->user = malloc(n_users * sizeof *r->user)) ||
	    !(r->user_key = calloc(n_users, sizeof *r->user_key)) ||
	    !(r->top = malloc(nt * sizeof *r->top)) || !(r->score = calloc(nt, sizeof *r->score)) ||
	    !(r->rated = malloc(nr * sizeof *r->rated)) ||
	    !(r->rating = calloc(nr, sizeof *r->rating)) ||
	    !(sc = malloc((size_t)c->n_items * sizeof *sc)) ||
	    !(row = malloc((c->user_max ? c->user_max : 1) * sizeof *row))) {
		log_error("out of memory for recommendations");
		goto fail;
	}
	for (size_t t = 0; t < nt; t++)
		r->top[t] = SIM_NONE;
	for (size_t t = 0; t < nr; t++)
		r->rated[t] = SIM_NONE;
	r->n_users = pick_users(&in->g, n_users, min_ratings, seed, r->user);
	if (!r->n_users)
		r->why_not = "no user has enough ratings";
	for (uint32_t j = 0; j < r->n_users; j++)
		one_user(r, j, in, c, &p, min_ratings, sc, row);
	if ((err = rep_user_keys(in, r->user, r->n_users, r->user_key)))
		goto fail;
	free(sc);
	free(row);
	return 0;
fail:
	free(sc);
	free(row);
	recs_free(r);
	return err;
}

static void rec_row(FILE *f, const struct recs *r, const struct rep_in *in, uint32_t j,
		    int rated, uint32_t rank, uint32_t item, float v)
{
	fprintf(f, "%u,", r->user[j]);
	csvw_str(f, r->user_key[j] ? r->user_key[j] : "");
	fprintf(f, ",%s,%u,%u,", rated ? "rated" : "recommended", rank, item);
	item_cols(f, in, item);
	if (rated)
		fprintf(f, ",%g,\n", v);
	else
		fprintf(f, ",,%.4f\n", v);
}

int recs_write(const struct recs *r, const struct rep_in *in, FILE *f)
{
	fputs("user,", f);
	csvw_str(f, in->user_key_name);
	fputs(",kind,rank,item,", f);
	csvw_str(f, in->items.key_name);
	fputs(",title,rating,score\n", f);
	for (uint32_t j = 0; j < r->n_users; j++) {
		for (uint32_t t = 0; t < r->n_rated; t++) {
			size_t k = (size_t)j * r->n_rated + t;
			if (r->rated[k] == SIM_NONE)
				break;
			rec_row(f, r, in, j, 1, t + 1, r->rated[k], r->rating[k]);
		}
		for (uint32_t t = 0; t < r->n_top; t++) {
			size_t k = (size_t)j * r->n_top + t;
			if (r->top[k] == SIM_NONE)
				break;
			rec_row(f, r, in, j, 0, t + 1, r->top[k], r->score[k]);
		}
	}
	return 0;
}

void recs_free(struct recs *r)
{
	if (r->user_key)
		for (uint32_t j = 0; j < r->n_users; j++)
			free(r->user_key[j]);
	free(r->user);
	free(r->user_key);
	free(r->top);
	free(r->score);
	free(r->rated);
	free(r->rating);
	memset(r, 0, sizeof *r);
}
