#include "gibbs.h"

#include "err.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int gibbs_row_init(struct gibbs_row *s, uint32_t K, uint64_t longest)
{
	memset(s, 0, sizeof *s);
	s->K = (int)K;
	s->cap = longest < GIBBS_CHUNK ? (longest ? longest : 1) : GIBBS_CHUNK;
	s->Y = malloc(s->cap * (size_t)K * sizeof *s->Y);
	s->t = malloc(s->cap * sizeof *s->t);
	s->A = malloc((size_t)K * K * sizeof *s->A);
	s->b = malloc((size_t)K * sizeof *s->b);
	s->z = malloc((size_t)K * sizeof *s->z);
	return s->Y && s->t && s->A && s->b && s->z ? 0 : GL_ENOMEM;
}

void gibbs_row_free(struct gibbs_row *s)
{
	free(s->Y);
	free(s->t);
	free(s->A);
	free(s->b);
	free(s->z);
	memset(s, 0, sizeof *s);
}

void gibbs_row_begin(struct gibbs_row *s, float tau, const float *P0, const float *m0)
{
	int K = s->K;
	s->used = 0;
	s->tau = tau;
	memcpy(s->A, P0, (size_t)K * K * sizeof *s->A);
	cblas_ssymv(CblasColMajor, CblasUpper, K, 1.0f, P0, K, m0, 1, 0.0f, s->b, 1);
}

void gibbs_row_flush(struct gibbs_row *s)
{
	if (!s->used)
		return;
	cblas_ssyrk(CblasColMajor, CblasUpper, CblasNoTrans, s->K, (int)s->used, s->tau, s->Y, s->K,
		    1.0f, s->A, s->K);
	cblas_sgemv(CblasColMajor, CblasNoTrans, s->K, (int)s->used, s->tau, s->Y, s->K, s->t, 1,
		    1.0f, s->b, 1);
	s->used = 0;
}

void gibbs_row_add(struct gibbs_row *s, const float *f, float t)
{
	float *y = s->Y + s->used * (size_t)s->K;
	memcpy(y, f, (size_t)(s->K - 1) * sizeof *y);
	y[s->K - 1] = 1;
	s->t[s->used++] = t;
	if (s->used == s->cap)
		gibbs_row_flush(s);
}

int gibbs_gauss(int K, float *A, float *b, float *z, struct rng *r, float *x)
{
	if (LAPACKE_spotrf(LAPACK_COL_MAJOR, 'U', K, A, K) != 0)
		return 1;
	/* U'U mean = b: U' w = b, then U mean = w */
	cblas_strsv(CblasColMajor, CblasUpper, CblasTrans, CblasNonUnit, K, A, K, b, 1);
	cblas_strsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, K, A, K, b, 1);
	if (r) {
		for (int d = 0; d < K; d += 2) {
			double a, c;
			rng_normal2(r, &a, &c);
			z[d] = (float)a;
			if (d + 1 < K)
				z[d + 1] = (float)c;
		}
		cblas_strsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, K, A, K, z, 1);
	}
	for (int d = 0; d < K; d++)
		if (!isfinite(b[d]) || (r && !isfinite(z[d])))
			return 1;
	for (int d = 0; d < K; d++)
		x[d] = r ? b[d] + z[d] : b[d];
	return 0;
}

int gibbs_row_draw(struct gibbs_row *s, struct rng *r, float *x)
{
	gibbs_row_flush(s);
	return gibbs_gauss(s->K, s->A, s->b, s->z, r, x);
}

/* ---- hyperparameters ------------------------------------------------------- */

#define BETA0 2.0

int gibbs_hyper_init(struct gibbs_hyper *h, uint32_t k, int full)
{
	memset(h, 0, sizeof *h);
	h->k = k;
	h->full = full;
	size_t kk = (size_t)k * k;
	h->mu = calloc(k, sizeof *h->mu);
	h->lam = calloc(kk, sizeof *h->lam);
	h->sum = calloc(k, sizeof *h->sum);
	h->sq = calloc(kk, sizeof *h->sq);
	h->work = calloc(3 * kk + 2 * k, sizeof *h->work);
	if (!h->mu || !h->lam || !h->sum || !h->sq || !h->work) {
		gibbs_hyper_free(h);
		return GL_ENOMEM;
	}
	for (uint32_t d = 0; d < k; d++)
		h->lam[d * k + d] = 1;
	return 0;
}

void gibbs_hyper_free(struct gibbs_hyper *h)
{
	free(h->mu);
	free(h->lam);
	free(h->sum);
	free(h->sq);
	free(h->work);
	memset(h, 0, sizeof *h);
}

void gibbs_hyper_reset(struct gibbs_hyper *h)
{
	memset(h->sum, 0, h->k * sizeof *h->sum);
	memset(h->sq, 0, (size_t)h->k * h->k * sizeof *h->sq);
	h->n = 0;
}

void gibbs_hyper_add(struct gibbs_hyper *h, const float *x, const float *sub)
{
	uint32_t k = h->k;
	double *v = h->work; /* the first k scratch values */
	for (uint32_t d = 0; d < k; d++) {
		v[d] = (double)x[d] - (sub ? sub[d] : 0);
		h->sum[d] += v[d];
	}
	if (h->full) {
		for (uint32_t a = 0; a < k; a++)
			for (uint32_t c = a; c < k; c++)
				h->sq[a * k + c] += v[a] * v[c];
	} else {
		for (uint32_t d = 0; d < k; d++)
			h->sq[d * k + d] += v[d] * v[d];
	}
	h->n++;
}

/* The per-dimension Normal-Gamma draw: the one-dimensional Normal-Wishart
 * with nu0 = 1, W0 = 1, i.e. Lambda ~ Gamma((1 + n) / 2, rate / 2). */
static void draw_diag(struct gibbs_hyper *h, struct rng *r)
{
	uint32_t k = h->k;
	double n = (double)h->n;
	for (uint32_t d = 0; d < k; d++) {
		double mean = n > 0 ? h->sum[d] / n : 0;
		double scatter = h->sq[d * k + d] - n * mean * mean;
		if (scatter < 0)
			scatter = 0;
		double winv = 1 + scatter + BETA0 * n / (BETA0 + n) * mean * mean;
		double lam = 2 * rng_gamma(r, (1 + n) / 2) / winv;
		double betan = BETA0 + n, mun = n * mean / betan;
		h->lam[d * k + d] = lam;
		h->mu[d] = mun + rng_normal(r) / sqrt(betan * lam);
	}
}

/* Cholesky of the symmetric positive definite a (k x k, row-major, upper
 * triangle read) into the lower triangle of c (upper zeroed): a = c c'.
 * Returns 1 when a is not positive definite. */
static int chol(uint32_t k, const double *a, double *c)
{
	memset(c, 0, (size_t)k * k * sizeof *c);
	for (uint32_t i = 0; i < k; i++)
		for (uint32_t j = 0; j <= i; j++) {
			double s = a[j * k + i]; /* a(j, i), j <= i: upper triangle */
			for (uint32_t p = 0; p < j; p++)
				s -= c[i * k + p] * c[j * k + p];
			if (i == j) {
				if (!(s > 0))
					return 1;
				c[i * k + i] = sqrt(s);
			} else {
				c[i * k + j] = s / c[j * k + j];
			}
		}
	return 0;
}

/* Normal-Wishart posterior draw (Salakhutdinov and Mnih 2008, eq. 14):
 *   W_n^-1 = W0^-1 + S + beta0 n / (beta0 + n) xbar xbar',  nu_n = nu0 + n,
 *   Lambda ~ Wishart(W_n, nu_n),  mu ~ N(n xbar / (beta0 + n), ((beta0 + n) Lambda)^-1).
 * With W_n^-1 = C C' (C lower) and the Bartlett factor A (lower: sqrt of
 * chi-square nu_n - i on the diagonal, standard normals below), Lambda =
 * M M' with M = C^-T A is Wishart(W_n, nu_n), since W_n = C^-T C^-1; and
 * mu's deviation is C A^-T z / sqrt(beta0 + n), whose covariance
 * C (A A')^-1 C' / (beta0 + n) is ((beta0 + n) Lambda)^-1. */
static void draw_full(struct gibbs_hyper *h, struct rng *r)
{
	uint32_t k = h->k;
	size_t kk = (size_t)k * k;
	double n = (double)h->n;
	double *winv = h->work, *c = winv + kk, *a = c + kk, *mean = a + kk, *w = mean + k;
	for (uint32_t d = 0; d < k; d++)
		mean[d] = n > 0 ? h->sum[d] / n : 0;
	double shrink = BETA0 * n / (BETA0 + n);
	for (uint32_t i = 0; i < k; i++)
		for (uint32_t j = i; j < k; j++) {
			double v = h->sq[i * k + j] - n * mean[i] * mean[j] + shrink * mean[i] * mean[j];
			winv[i * k + j] = winv[j * k + i] = v + (i == j);
		}
	if (chol(k, winv, c)) {
		/* only when the vectors are not finite: keep the last draw */
		return;
	}
	double nun = (double)k + n;
	memset(a, 0, kk * sizeof *a);
	for (uint32_t i = 0; i < k; i++) {
		a[i * k + i] = sqrt(2 * rng_gamma(r, (nun - i) / 2));
		for (uint32_t j = 0; j < i; j++)
			a[i * k + j] = rng_normal(r);
	}
	/* M = C^-T A, column by column: C' m = a_col (C' upper: back substitution);
	 * M goes into winv (no longer needed) */
	double *m = winv;
	for (uint32_t col = 0; col < k; col++)
		for (uint32_t i = k; i-- > 0;) {
			double s = a[i * k + col];
			for (uint32_t p = i + 1; p < k; p++)
				s -= c[p * k + i] * m[p * k + col];
			m[i * k + col] = s / c[i * k + i];
		}
	for (uint32_t i = 0; i < k; i++)
		for (uint32_t j = 0; j <= i; j++) {
			double s = 0;
			for (uint32_t p = 0; p < k; p++)
				s += m[i * k + p] * m[j * k + p];
			h->lam[i * k + j] = h->lam[j * k + i] = s;
		}
	/* mu: A' v = z (A' upper: back substitution), then C v */
	for (uint32_t i = 0; i < k; i++)
		w[i] = rng_normal(r);
	for (uint32_t i = k; i-- > 0;) {
		double s = w[i];
		for (uint32_t p = i + 1; p < k; p++)
			s -= a[p * k + i] * w[p];
		w[i] = s / a[i * k + i];
	}
	double betan = BETA0 + n;
	for (uint32_t i = 0; i < k; i++) {
		double s = 0;
		for (uint32_t p = 0; p <= i; p++)
			s += c[i * k + p] * w[p];
		h->mu[i] = n * mean[i] / betan + s / sqrt(betan);
	}
}

void gibbs_hyper_draw(struct gibbs_hyper *h, struct rng *r)
{
	if (h->full)
		draw_full(h, r);
	else
		draw_diag(h, r);
}

void gibbs_hyper_put(const struct gibbs_hyper *h, float *P, int ld)
{
	uint32_t k = h->k;
	for (uint32_t i = 0; i < k; i++)
		for (uint32_t j = 0; j < k; j++)
			P[(size_t)j * ld + i] = (float)h->lam[i * k + j];
}
