/* model_als.c - alternating least squares with biases.
 *
 *   s = mu + b_u + b_i + p_u . q_i       (mu: the mean training rating)
 *
 * Each half-epoch fixes one side and solves every row of the other exactly:
 * for user u with training items N(u), x_u = [p_u; b_u] minimises
 *   sum_{i in N(u)} (r_ui - mu - b_i - [q_i; 1] . x_u)^2 + wd * |N(u)| * |x_u|^2
 * (the weighted-lambda ridge of ALS-WR), through the (k+1) x (k+1) normal
 * equations A x = b with A = Y Y' + wd |N(u)| I and b = Y t, Y holding the
 * columns [q_i; 1].  Items are solved the same way against [p_u; 1].
 *
 * Column-major throughout.  A row's columns are gathered ALS_CHUNK at a
 * time (a row with a million ratings needs no more memory), A formed with
 * cblas_ssyrk and b with cblas_sgemv, and the system solved by
 * LAPACKE_sposv (Cholesky).  Users read their CSR rows.  Items: the file is
 * CSR by user, so the items are taken in chunks of consecutive ids, each
 * chunk's training ratings transposed (user and target, 8 bytes each) into
 * a buffer of at most cfg->als_mem bytes, a whole-file copy being memory
 * per rating.  Threads take disjoint users or items (by thread number);
 * each row sums its ratings in file order whoever solves it, so the model
 * depends neither on the thread count nor on the chunking.  OpenBLAS itself
 * runs single-threaded (openblas_set_num_threads(1)) since the parallelism
 * is ours.
 */
#include "model.h"

#include "err.h"
#include "log.h"
#include "threads.h"

#include <cblas.h>
#include <lapacke.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ALS_CHUNK 4096 /* columns gathered at once per row */

struct als {
	uint32_t *icnt;     /* per item: training ratings */
	uint64_t max_icnt;
};

/* The item step's chunk [i0, i1), transposed: item i0 + c's ratings are
 * who[start[c] .. start[c + 1]) with targets tv (r - mu - b_u). */
struct als_chunk {
	uint64_t i0, i1;
	uint64_t *start, *cur; /* n_items + 1 each */
	uint32_t *who;
	float *tv;
	uint64_t cap;          /* ratings who and tv hold */
};

struct als_job {
	struct model *m;
	const struct als_chunk *ch;
	uint64_t failed[256];
	int err[256];
};

/* One row's normal equations, built column by column. */
struct solver {
	int K;
	size_t cap, used;
	uint64_t n;
	float *Y, *t, *A, *b;
};

static int solver_init(struct solver *s, uint32_t k, uint64_t longest)
{
	memset(s, 0, sizeof *s);
	s->K = (int)k + 1;
	s->cap = longest < ALS_CHUNK ? (longest ? longest : 1) : ALS_CHUNK;
	s->Y = malloc(s->cap * (size_t)s->K * sizeof *s->Y);
	s->t = malloc(s->cap * sizeof *s->t);
	s->A = malloc((size_t)s->K * s->K * sizeof *s->A);
	s->b = malloc((size_t)s->K * sizeof *s->b);
	return s->Y && s->t && s->A && s->b ? 0 : GL_ENOMEM;
}

static void solver_free(struct solver *s)
{
	free(s->Y);
	free(s->t);
	free(s->A);
	free(s->b);
}

static void solver_begin(struct solver *s)
{
	s->used = 0;
	s->n = 0;
	memset(s->A, 0, (size_t)s->K * s->K * sizeof *s->A);
	memset(s->b, 0, (size_t)s->K * sizeof *s->b);
}

static void solver_flush(struct solver *s)
{
	if (!s->used)
		return;
	cblas_ssyrk(CblasColMajor, CblasUpper, CblasNoTrans, s->K, (int)s->used, 1.0f, s->Y, s->K,
		    1.0f, s->A, s->K);
	cblas_sgemv(CblasColMajor, CblasNoTrans, s->K, (int)s->used, 1.0f, s->Y, s->K, s->t, 1, 1.0f,
		    s->b, 1);
	s->used = 0;
}

/* Add the column [f; 1] (f: k floats) with target t. */
static void solver_add(struct solver *s, const float *f, float t)
{
	float *y = s->Y + s->used * (size_t)s->K;
	memcpy(y, f, (size_t)(s->K - 1) * sizeof *y);
	y[s->K - 1] = 1;
	s->t[s->used++] = t;
	s->n++;
	if (s->used == s->cap)
		solver_flush(s);
}

/* Solve with the ridge lambda n and store x = [factors; bias].  A row
 * without ratings is zero.  Returns 1 when the system was singular (not
 * positive definite: with lambda > 0 only for non-finite input); its row
 * is then zero too. */
static int solver_store(struct solver *s, float lambda, float *factors, float *bias)
{
	int K = s->K, bad = 0;
	solver_flush(s);
	if (s->n) {
		for (int d = 0; d < K; d++)
			s->A[d * K + d] += lambda * (float)s->n;
		bad = LAPACKE_sposv(LAPACK_COL_MAJOR, 'U', K, 1, s->A, K, s->b, K) != 0;
	}
	if (!s->n || bad)
		memset(s->b, 0, (size_t)K * sizeof *s->b);
	memcpy(factors, s->b, (size_t)(K - 1) * sizeof *factors);
	*bias = s->b[K - 1];
	return bad;
}

static void als_free(struct model *m)
{
	struct als *p = m->priv;
	if (p)
		free(p->icnt);
	free(p);
	m->priv = NULL;
}

static int als_init(struct model *m)
{
	const struct train_cfg *c = m->cfg;
	const struct glr *g = m->d->g;
	struct als *p = calloc(1, sizeof *p);
	if (p)
		p->icnt = calloc(m->n_items + 1, sizeof *p->icnt);
	m->priv = p;
	if (!p || !p->icnt) {
		log_error("out of memory for the als model");
		return GL_ENOMEM;
	}
	for (uint64_t kk = 0; kk < g->n_ratings; kk++)
		if (!tdata_is_valid(m->d, kk) && ++p->icnt[g->items[kk]] > p->max_icnt)
			p->max_icnt = p->icnt[g->items[kk]];
	m->mu = (float)m->d->mean;
	int err = model_add_factors(m);
	if (err)
		return err;
	model_init_trunc(m->P, &m->rng, c->init_sd);
	model_init_trunc(m->Q, &m->rng, c->init_sd);
	openblas_set_num_threads(1);
	return 0;
}

static void als_users(void *arg, uint32_t t, uint32_t nt)
{
	struct als_job *j = arg;
	struct model *m = j->m;
	const struct glr *g = m->d->g;
	uint32_t k = m->k;
	struct solver s;
	if (solver_init(&s, k, m->d->max_row)) {
		j->err[t] = GL_ENOMEM;
		goto done;
	}
	for (uint64_t u = t; u < m->n_users; u += nt) {
		solver_begin(&s);
		for (uint64_t kk = g->rowptr[u]; kk < g->rowptr[u + 1]; kk++) {
			if (tdata_is_valid(m->d, kk))
				continue;
			uint32_t i = g->items[kk];
			solver_add(&s, m->Q->w + (size_t)i * k, glr_value(g, kk) - m->mu - m->bi->w[i]);
		}
		j->failed[t] += (uint64_t)solver_store(&s, (float)m->cfg->wd, m->P->w + u * k,
						       m->bu->w + u);
	}
done:
	solver_free(&s);
}

/* Thread t solves every nt-th item of the chunk, counting from its first. */
static void als_items(void *arg, uint32_t t, uint32_t nt)
{
	struct als_job *j = arg;
	struct model *m = j->m;
	const struct als_chunk *ch = j->ch;
	const struct als *p = m->priv;
	uint32_t k = m->k;
	struct solver s;
	if (solver_init(&s, k, p->max_icnt)) {
		j->err[t] = GL_ENOMEM;
		goto done;
	}
	for (uint64_t c = t; c < ch->i1 - ch->i0; c += nt) {
		uint64_t i = ch->i0 + c;
		solver_begin(&s);
		for (uint64_t e = ch->start[c]; e < ch->start[c + 1]; e++)
			solver_add(&s, m->P->w + (size_t)ch->who[e] * k, ch->tv[e]);
		j->failed[t] += (uint64_t)solver_store(&s, (float)m->cfg->wd, m->Q->w + i * k,
						       m->bi->w + i);
	}
done:
	solver_free(&s);
}

/* The next chunk from item i0: as many items as ch->cap ratings hold (at
 * least one), transposed from the rows in user order; of a sorted row only
 * its run inside the chunk is read (binary search). */
static void chunk_fill(const struct model *m, struct als_chunk *ch, uint64_t i0)
{
	const struct als *p = m->priv;
	const struct glr *g = m->d->g;
	uint64_t i1 = i0, n = 0;
	while (i1 < m->n_items && (i1 == i0 || n + p->icnt[i1] <= ch->cap))
		n += p->icnt[i1++];
	ch->i0 = i0;
	ch->i1 = i1;
	ch->start[0] = 0;
	for (uint64_t c = 0; c < i1 - i0; c++) {
		ch->cur[c] = ch->start[c];
		ch->start[c + 1] = ch->start[c] + p->icnt[i0 + c];
	}
	int sorted = !!(g->flags & GLR_SORTED);
	for (uint64_t u = 0; u < m->n_users; u++) {
		uint64_t lo = g->rowptr[u], hi = g->rowptr[u + 1];
		if (sorted) {
			lo = tdata_lower_bound(g->items, lo, hi, (uint32_t)i0);
			hi = tdata_lower_bound(g->items, lo, hi, (uint32_t)i1);
		}
		float tu = m->mu + m->bu->w[u];
		for (uint64_t kk = lo; kk < hi; kk++) {
			uint64_t c = (uint64_t)g->items[kk] - i0;
			if (c >= i1 - i0 || tdata_is_valid(m->d, kk))
				continue;
			uint64_t e = ch->cur[c]++;
			ch->who[e] = (uint32_t)u;
			ch->tv[e] = glr_value(g, kk) - tu;
		}
	}
}

static int chunk_alloc(const struct model *m, struct als_chunk *ch)
{
	const struct als *p = m->priv;
	uint64_t per = sizeof *ch->who + sizeof *ch->tv;
	ch->cap = m->cfg->als_mem / per;
	if (ch->cap > m->d->n_train)
		ch->cap = m->d->n_train;
	if (ch->cap < p->max_icnt)
		ch->cap = p->max_icnt;
	ch->start = malloc((m->n_items + 1) * sizeof *ch->start);
	ch->cur = malloc((m->n_items + 1) * sizeof *ch->cur);
	ch->who = malloc((ch->cap ? ch->cap : 1) * sizeof *ch->who);
	ch->tv = malloc((ch->cap ? ch->cap : 1) * sizeof *ch->tv);
	if (ch->start && ch->cur && ch->who && ch->tv)
		return 0;
	log_error("out of memory for the als item step");
	return GL_ENOMEM;
}

static void chunk_free(struct als_chunk *ch)
{
	free(ch->start);
	free(ch->cur);
	free(ch->who);
	free(ch->tv);
}

static int collect(struct als_job *j, uint32_t nt, uint64_t *failed)
{
	for (uint32_t t = 0; t < nt; t++) {
		*failed += j->failed[t];
		j->failed[t] = 0;
		if (j->err[t]) {
			log_error("out of memory in the als solver");
			return j->err[t];
		}
	}
	return 0;
}

static double train_mse(const struct model *m)
{
	const struct glr *g = m->d->g;
	double se = 0;
	for (uint64_t u = 0; u < m->n_users; u++)
		for (uint64_t kk = g->rowptr[u]; kk < g->rowptr[u + 1]; kk++) {
			if (tdata_is_valid(m->d, kk))
				continue;
			uint32_t i = g->items[kk];
			float pred;
			model_factor_predict(m, (uint32_t)u, &i, 1, &pred, NULL);
			double e = (double)pred - glr_value(g, kk);
			se += e * e;
		}
	return se / (double)m->d->n_train;
}

static int als_epoch(struct model *m, uint32_t epoch, double *train_loss)
{
	(void)epoch;
	uint32_t nt = m->threads > 256 ? 256 : m->threads;
	uint64_t failed = 0;
	struct als_chunk ch = {0};
	struct als_job j = {.m = m, .ch = &ch};
	threads_run(nt, als_users, &j);
	int err = collect(&j, nt, &failed);
	if (!err)
		err = chunk_alloc(m, &ch);
	for (uint64_t i0 = 0; !err && i0 < m->n_items; i0 = ch.i1) {
		chunk_fill(m, &ch, i0);
		threads_run(nt, als_items, &j);
		err = collect(&j, nt, &failed);
	}
	chunk_free(&ch);
	if (err)
		return err;
	if (failed)
		log_warn("als: %" PRIu64 " systems were singular and their rows set to zero (%s)",
			 failed,
			 m->cfg->wd > 0 ? "the factors are no longer finite"
					: "--wd 0: a row with fewer ratings than factors has no unique "
					  "solution; use --wd > 0");
	*train_loss = train_mse(m);
	return 0;
}

const struct model_ops model_als_ops = {
	.name = "als",
	.init = als_init,
	.epoch = als_epoch,
	.predict = model_factor_predict,
	.attach = model_factor_attach,
	.free = als_free,
};
