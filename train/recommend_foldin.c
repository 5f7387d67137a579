#include "recommend_foldin.h"

#include "err.h"
#include "log.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double foldin_unlink(const struct model *m, double r)
{
	if (m->loss == GLM_CE) {
		/* The expected rating rises with s for an ordered head; bisect on
		 * [-40, 40] for the crossing (or the nearer end). */
		double lo = -40, hi = 40;
		const float *cw = m->cw->w, *cb = m->cb->w;
		if (model_link(m, lo, cw, cb, NULL) >= r)
			return lo;
		if (model_link(m, hi, cw, cb, NULL) <= r)
			return hi;
		for (int it = 0; it < 60; it++) {
			double mid = (lo + hi) / 2;
			if (model_link(m, mid, cw, cb, NULL) < r)
				lo = mid;
			else
				hi = mid;
		}
		return (lo + hi) / 2;
	}
	if (m->y_lo < m->y_hi) {
		double span = m->y_hi - m->y_lo, f = (r - m->y_lo) / span;
		/* A rating at the very edge of the range has no finite score. */
		if (f < 1e-3)
			f = 1e-3;
		if (f > 1 - 1e-3)
			f = 1 - 1e-3;
		return log(f / (1 - f));
	}
	return r;
}

int foldin_user(const struct model *m, const uint32_t *items, const float *ratings, size_t n,
		double lambda, float *p, float *b)
{
	if (!m->P || !m->Q || !m->bi || n == 0) {
		log_error("fold-in needs a factor model (dot, mf, als) and at least one known item");
		return GL_EUSAGE;
	}
	uint32_t k = m->k;
	int K = (int)k + 1;
	float *Y = malloc(n * (size_t)K * sizeof *Y), *t = malloc(n * sizeof *t);
	float *A = calloc((size_t)K * K, sizeof *A), *x = calloc((size_t)K, sizeof *x);
	int err = 0;
	if (!Y || !t || !A || !x) {
		log_error("out of memory folding in a user");
		err = GL_ENOMEM;
		goto done;
	}
	for (size_t j = 0; j < n; j++) {
		memcpy(Y + j * K, m->Q->w + (size_t)items[j] * k, k * sizeof *Y);
		Y[j * K + k] = 1;
		t[j] = (float)(foldin_unlink(m, ratings[j]) - m->mu - m->bi->w[items[j]]);
	}
	cblas_ssyrk(CblasColMajor, CblasUpper, CblasNoTrans, K, (int)n, 1.0f, Y, K, 0.0f, A, K);
	cblas_sgemv(CblasColMajor, CblasNoTrans, K, (int)n, 1.0f, Y, K, t, 1, 0.0f, x, 1);
	for (int d = 0; d < K; d++)
		A[d * K + d] += (float)(lambda * (double)n);
	if (LAPACKE_sposv(LAPACK_COL_MAJOR, 'U', K, 1, A, K, x, K) != 0)
		memset(x, 0, (size_t)K * sizeof *x); /* lambda = 0 and too few items */
	memcpy(p, x, k * sizeof *p);
	*b = x[k];
done:
	free(Y);
	free(t);
	free(A);
	free(x);
	return err;
}
