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
 * Column-major throughout.  Users: Y is gathered per user (in chunks, so a
 * user with a million ratings needs no more memory) and A formed with
 * cblas_ssyrk, b with cblas_sgemv.  Items: the file is CSR by user, and a
 * transposed copy would cost memory per rating, so each item's A and b are
 * accumulated while streaming the rows (cblas_ssyr, cblas_saxpy), for as
 * many items at a time as a fixed memory budget holds.  Every system is
 * solved by LAPACKE_sposv (Cholesky).  Threads take disjoint users or items
 * (by thread number), so the result depends on the thread count only;
 * OpenBLAS itself runs single-threaded (openblas_set_num_threads(1)) since
 * the parallelism is ours.
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

#define ALS_CHUNK 4096                 /* ratings gathered at once per user */
#define ALS_ITEM_BUDGET (256u << 20)   /* bytes of item systems held at once */

struct als_job {
	struct model *m;
	uint64_t i0, i1;  /* item chunk */
	float *sys;       /* item systems: (i1 - i0) * (K*K + K) */
	uint64_t failed[256];
	int err[256];
};

static int als_init(struct model *m)
{
	const struct train_cfg *c = m->cfg;
	m->mu = (float)m->d->mean;
	int err = model_add_factors(m);
	if (err)
		return err;
	model_init_trunc(m->P, &m->rng, c->init_sd);
	model_init_trunc(m->Q, &m->rng, c->init_sd);
	openblas_set_num_threads(1);
	return 0;
}

/* Solve A x = b (A upper, K x K, column-major) in place of b; on failure
 * (not positive definite: only possible with wd = 0) x is zero. */
static int solve(float *A, float *b, int K)
{
	lapack_int info = LAPACKE_sposv(LAPACK_COL_MAJOR, 'U', K, 1, A, K, b, K);
	if (info != 0) {
		memset(b, 0, (size_t)K * sizeof *b);
		return 1;
	}
	return 0;
}

static void store(float *factors, float *bias, const float *x, uint32_t k)
{
	memcpy(factors, x, k * sizeof *x);
	*bias = x[k];
}

static void als_users(void *arg, uint32_t t, uint32_t nt)
{
	struct als_job *j = arg;
	struct model *m = j->m;
	const struct glr *g = m->d->g;
	uint32_t k = m->k;
	int K = (int)k + 1;
	float lambda = (float)m->cfg->wd;
	size_t cap = m->d->max_row < ALS_CHUNK ? (m->d->max_row ? m->d->max_row : 1) : ALS_CHUNK;
	float *Y = malloc(cap * (size_t)K * sizeof *Y), *tv = malloc(cap * sizeof *tv);
	float *A = malloc((size_t)K * K * sizeof *A), *b = malloc((size_t)K * sizeof *b);
	if (!Y || !tv || !A || !b) {
		j->err[t] = GL_ENOMEM;
		goto done;
	}
	for (uint64_t u = t; u < m->n_users; u += nt) {
		uint64_t n = 0;
		size_t used = 0;
		memset(A, 0, (size_t)K * K * sizeof *A);
		memset(b, 0, (size_t)K * sizeof *b);
		for (uint64_t kk = g->rowptr[u]; kk <= g->rowptr[u + 1]; kk++) {
			int last = kk == g->rowptr[u + 1];
			if (!last && !tdata_is_valid(m->d, kk)) {
				uint32_t i = g->items[kk];
				memcpy(Y + used * K, m->Q->w + (size_t)i * k, k * sizeof *Y);
				Y[used * K + k] = 1;
				tv[used] = glr_value(g, kk) - m->mu - m->bi->w[i];
				used++;
				n++;
			}
			if (used && (used == cap || last)) {
				cblas_ssyrk(CblasColMajor, CblasUpper, CblasNoTrans, K, (int)used, 1.0f, Y,
					    K, 1.0f, A, K);
				cblas_sgemv(CblasColMajor, CblasNoTrans, K, (int)used, 1.0f, Y, K, tv, 1,
					    1.0f, b, 1);
				used = 0;
			}
		}
		if (n == 0) {
			memset(b, 0, (size_t)K * sizeof *b);
		} else {
			for (int d = 0; d < K; d++)
				A[d * K + d] += lambda * (float)n;
			j->failed[t] += (uint64_t)solve(A, b, K);
		}
		store(m->P->w + u * k, m->bu->w + u, b, k);
	}
done:
	free(Y);
	free(tv);
	free(A);
	free(b);
}

/* Thread t accumulates and solves the items i of the chunk with
 * i % nt == t, streaming every user's row. */
static void als_items(void *arg, uint32_t t, uint32_t nt)
{
	struct als_job *j = arg;
	struct model *m = j->m;
	const struct glr *g = m->d->g;
	uint32_t k = m->k;
	int K = (int)k + 1;
	size_t per = (size_t)K * K + (size_t)K;
	float lambda = (float)m->cfg->wd;
	float *x = malloc((size_t)K * sizeof *x);
	uint32_t *cnt = calloc(j->i1 - j->i0 + 1, sizeof *cnt);
	if (!x || !cnt) {
		j->err[t] = GL_ENOMEM;
		goto done;
	}
	for (uint64_t i = j->i0 + t; i < j->i1; i += nt)
		memset(j->sys + (i - j->i0) * per, 0, per * sizeof(float));
	for (uint64_t u = 0; u < m->n_users; u++) {
		int have = 0;
		for (uint64_t kk = g->rowptr[u]; kk < g->rowptr[u + 1]; kk++) {
			uint32_t i = g->items[kk];
			if (i < j->i0 || i >= j->i1 || i % nt != t || tdata_is_valid(m->d, kk))
				continue;
			if (!have) {
				memcpy(x, m->P->w + u * k, k * sizeof *x);
				x[k] = 1;
				have = 1;
			}
			float *A = j->sys + (i - j->i0) * per, *b = A + (size_t)K * K;
			float tv = glr_value(g, kk) - m->mu - m->bu->w[u];
			cblas_ssyr(CblasColMajor, CblasUpper, K, 1.0f, x, 1, A, K);
			cblas_saxpy(K, tv, x, 1, b, 1);
			cnt[i - j->i0]++;
		}
	}
	for (uint64_t i = j->i0 + t; i < j->i1; i += nt) {
		float *A = j->sys + (i - j->i0) * per, *b = A + (size_t)K * K;
		uint32_t n = cnt[i - j->i0];
		if (n) {
			for (int d = 0; d < K; d++)
				A[d * K + d] += lambda * (float)n;
			j->failed[t] += (uint64_t)solve(A, b, K);
		}
		store(m->Q->w + i * k, m->bi->w + i, b, k);
	}
done:
	free(x);
	free(cnt);
}

static int collect(struct als_job *j, uint32_t nt, uint64_t *failed)
{
	for (uint32_t t = 0; t < nt; t++) {
		*failed += j->failed[t];
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
	struct als_job j = {.m = m};
	threads_run(nt, als_users, &j);
	int err = collect(&j, nt, &failed);
	size_t per = ((size_t)(m->k + 1) * (m->k + 1) + m->k + 1) * sizeof(float);
	uint64_t chunk = ALS_ITEM_BUDGET / per;
	if (chunk == 0)
		chunk = 1;
	if (chunk > m->n_items)
		chunk = m->n_items;
	j.sys = malloc((chunk ? chunk : 1) * per);
	if (!err && !j.sys) {
		log_error("out of memory for the als item systems");
		err = GL_ENOMEM;
	}
	for (uint64_t i0 = 0; !err && i0 < m->n_items; i0 += chunk) {
		memset(j.failed, 0, sizeof j.failed);
		j.i0 = i0;
		j.i1 = i0 + chunk < m->n_items ? i0 + chunk : m->n_items;
		threads_run(nt, als_items, &j);
		err = collect(&j, nt, &failed);
	}
	free(j.sys);
	if (err)
		return err;
	if (failed)
		log_warn("als: %" PRIu64 " systems were singular (use --wd > 0); their rows are zero",
			 failed);
	*train_loss = train_mse(m);
	return 0;
}

const struct model_ops model_als_ops = {
	.name = "als",
	.init = als_init,
	.epoch = als_epoch,
	.predict = model_factor_predict,
	.attach = model_factor_attach,
};
