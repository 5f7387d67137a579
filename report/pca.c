#include "pca.h"

#include "err.h"
#include "csvwrite.h"
#include "log.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pca_run(struct pca *p, const struct glm_tensor *q, const uint32_t *ids, uint32_t m)
{
	float *x = NULL, *c = NULL, *w = NULL, *v = NULL;
	int err = GL_ENOMEM;
	memset(p, 0, sizeof *p);
	uint32_t f = q->cols;
	if (m < 2 || f < 1)
		return 0;
	uint32_t nc = f < PCA_MAX ? f : PCA_MAX;
	size_t mf = (size_t)m * f;
	if (!(x = malloc(mf * sizeof *x)) || !(c = calloc((size_t)f * f, sizeof *c)) ||
	    !(w = malloc(f * sizeof *w)) || !(v = malloc((size_t)f * nc * sizeof *v)) ||
	    !(p->ids = malloc(m * sizeof *p->ids)) ||
	    !(p->proj = malloc((size_t)m * nc * sizeof *p->proj))) {
		log_error("out of memory for the PCA of %u items", m);
		goto fail;
	}
	/* centre in double: float sums of many rows lose digits */
	for (uint32_t j = 0; j < f; j++) {
		double mean = 0;
		for (uint32_t r = 0; r < m; r++)
			mean += q->data[(size_t)ids[r] * f + j];
		mean /= m;
		for (uint32_t r = 0; r < m; r++)
			x[(size_t)r * f + j] = (float)(q->data[(size_t)ids[r] * f + j] - mean);
	}
	cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, (blasint)f, (blasint)m,
		    1.0f / (float)(m - 1), x, (blasint)f, 0.0f, c, (blasint)f);
	double trace = 0;
	for (uint32_t j = 0; j < f; j++)
		trace += c[(size_t)j * f + j];
	lapack_int info = LAPACKE_ssyevd(LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int)f, c,
					 (lapack_int)f, w);
	if (info) {
		log_error("PCA: LAPACKE_ssyevd failed (info %d)", (int)info);
		err = GL_EFORMAT;
		goto fail;
	}
	/* eigenvalues ascend: component k is column f-1-k */
	for (uint32_t k = 0; k < nc; k++) {
		uint32_t col = f - 1 - k;
		float big = 0;
		for (uint32_t j = 0; j < f; j++) {
			float e = c[(size_t)j * f + col];
			if (fabsf(e) > fabsf(big))
				big = e;
		}
		float sign = big < 0 ? -1.0f : 1.0f;
		for (uint32_t j = 0; j < f; j++)
			v[(size_t)j * nc + k] = sign * c[(size_t)j * f + col];
		p->var[k] = w[col] > 0 ? w[col] : 0;
	}
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)m, (blasint)nc,
		    (blasint)f, 1.0f, x, (blasint)f, v, (blasint)nc, 0.0f, p->proj, (blasint)nc);
	memcpy(p->ids, ids, m * sizeof *ids);
	p->m = m;
	p->f = f;
	p->nc = nc;
	p->total_var = trace;
	free(x);
	free(c);
	free(w);
	free(v);
	return 0;
fail:
	free(x);
	free(c);
	free(w);
	free(v);
	pca_free(p);
	return err;
}

void pca_free(struct pca *p)
{
	free(p->ids);
	free(p->proj);
	memset(p, 0, sizeof *p);
}

int pca_write(const struct pca *p, const struct rep_in *in, const struct census *c,
	      FILE *f)
{
	fputs("item,", f);
	csvw_str(f, in->items.key_name);
	fputs(",title,pc1,pc2,pc3,n_ratings\n", f);
	for (uint32_t r = 0; r < p->m; r++) {
		uint32_t i = p->ids[r];
		const char *title = rep_item_title(in, i);
		fprintf(f, "%u,", i);
		csvw_str(f, rep_item_key(in, i));
		fputc(',', f);
		csvw_str(f, title ? title : "");
		for (uint32_t k = 0; k < PCA_MAX; k++) {
			fputc(',', f);
			if (k < p->nc)
				fprintf(f, "%.6g", p->proj[(size_t)r * p->nc + k]);
		}
		fprintf(f, ",%u\n", c->item_n[i]);
	}
	return 0;
}
