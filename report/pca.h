/* pca.h - principal components of the item factors (the fastai chapter's
 * "movie_w.pca(3)"), with OpenBLAS and LAPACKE.
 *
 * On the m most-rated items: centre their factor rows (X, m x f), form the
 * covariance C = X'X / (m - 1) with cblas_ssyrk, take its eigenvectors with
 * LAPACKE_ssyevd, keep the (up to) three with the largest eigenvalues and
 * project: P = X V with cblas_sgemm.  Each component's sign is fixed so
 * that its largest-magnitude loading is positive: the same model gives the
 * same picture on every run.
 */
#ifndef GL_REPORT_PCA_H
#define GL_REPORT_PCA_H

#include "census.h"
#include "glm.h"
#include "inputs.h"

#include <stdint.h>
#include <stdio.h>

#define PCA_MAX 3

struct pca {
	uint32_t m;            /* items analysed; 0 = not computed */
	uint32_t f;            /* factors per item */
	uint32_t nc;           /* components kept: min(3, f) */
	uint32_t *ids;         /* m item ids, as given */
	float *proj;           /* m x nc scores, row-major */
	double var[PCA_MAX];   /* variance along each kept component */
	double total_var;      /* trace of the covariance */
};

/* Analyse the rows ids[0..m) of q (items x f).  m < 2 or f < 1 leaves
 * p->m = 0 and returns 0.  0, GL_ENOMEM or GL_EFORMAT when LAPACK fails
 * (logged).  On failure p needs no free. */
int pca_run(struct pca *p, const struct glm_tensor *q, const uint32_t *ids, uint32_t m);

/* pca.csv: item,<key>,title,pc1,pc2,pc3,n_ratings, one row per analysed
 * item, most-rated first; components beyond nc are empty.  0 or a gl_err
 * (logged). */
int pca_write(const struct pca *p, const struct rep_in *in, const struct census *c,
	      FILE *f);

void pca_free(struct pca *p);

#endif
