/* gibbs.h - the draws of the Gibbs sampler behind --model bpmf
 * (train/model_bpmf.c): a row's factors and bias from their exact Gaussian
 * conditional, and the hyperparameters of the Gaussian priors.
 *
 * A row x of K values (k factors and a bias) with prior N(m0, P0^-1),
 * observed through ratings t_j = f_j . x + noise of precision tau with
 * f_j = [v_j; 1], has the conditional N(mean, P^-1) where
 *     P = P0 + tau sum_j f_j f_j',     P mean = P0 m0 + tau sum_j t_j f_j.
 * P is formed with cblas_ssyrk (and the right side with cblas_sgemv) over
 * columns gathered GIBBS_CHUNK at a time, so a row with a million ratings
 * needs no more memory; P = U'U is factored by LAPACKE_spotrf, the mean
 * found by two triangular solves and the draw is mean + U^-1 z, z standard
 * normal (covariance U^-1 U^-T = P^-1).  Matrices are K x K column-major,
 * upper triangle, single precision (as als solves its rows).
 *
 * Hyperparameters: a prior N(mu, Lambda^-1) on k-vectors, with either a
 * Normal-Wishart hyperprior (Salakhutdinov and Mnih 2008: mu0 = 0,
 * beta0 = 2, nu0 = k, W0 = I; Lambda full) or an independent Normal-Gamma
 * per dimension (libFM's MCMC: Lambda diagonal; mu0 = 0, beta0 = 2, shape
 * 1/2 and rate 1/2 before the data, the one-dimensional Normal-Wishart with
 * nu0 = 1, W0 = 1).  Both are drawn exactly from their posterior given the
 * vectors' sum and sum of outer products, in double precision.
 */
#ifndef GL_TRAIN_GIBBS_H
#define GL_TRAIN_GIBBS_H

#include "rng.h"

#include <stddef.h>
#include <stdint.h>

#define GIBBS_CHUNK 4096 /* columns gathered at once per row */

/* One row's conditional, built column by column. */
struct gibbs_row {
	int K;
	size_t cap, used;
	float tau;
	float *Y, *t;  /* gathered columns (K x cap) and their targets */
	float *A, *b;  /* P (upper triangle) and P mean, then U and the draw */
	float *z;      /* K normal deviates */
};

/* Room for rows of K values and columns of at most longest ratings at a
 * time (GIBBS_CHUNK at most).  0 or GL_ENOMEM. */
int gibbs_row_init(struct gibbs_row *s, uint32_t K, uint64_t longest);
void gibbs_row_free(struct gibbs_row *s);

/* Start a row with noise precision tau and prior precision P0 (K x K,
 * column-major, upper triangle read) and prior mean m0 (K values):
 * P = P0, b = P0 m0 (cblas_ssymv). */
void gibbs_row_begin(struct gibbs_row *s, float tau, const float *P0, const float *m0);

/* Add the column [f; 1] (f: K - 1 values) with target t. */
void gibbs_row_add(struct gibbs_row *s, const float *f, float t);

/* Add the gathered columns: s->A's upper triangle is then P and s->b is
 * P mean (what the unit test reads). */
void gibbs_row_flush(struct gibbs_row *s);

/* Flush, then x (K values) = mean + U^-1 z with z drawn from r, or the
 * mean when r is NULL.  0, or 1 when P is not positive definite (only for
 * non-finite input); x is then left alone. */
int gibbs_row_draw(struct gibbs_row *s, struct rng *r, float *x);

/* The same for a given precision A (K x K, column-major, upper triangle;
 * destroyed) and right side b = A mean (destroyed): x = mean + U^-1 z,
 * z (K scratch values) drawn from r, or the mean when r is NULL.  0 or 1
 * (not positive definite, x untouched). */
int gibbs_gauss(int K, float *A, float *b, float *z, struct rng *r, float *x);

/* A prior N(mu, Lambda^-1) on k-vectors and the statistics its posterior
 * is drawn from. */
struct gibbs_hyper {
	uint32_t k;
	int full;      /* 1: Normal-Wishart, Lambda full; 0: per dimension, diagonal */
	double *mu;    /* k */
	double *lam;   /* k x k, symmetric (off-diagonal zero when !full) */
	double *sum;   /* sum of the vectors added */
	double *sq;    /* sum of their outer products (diagonal only when !full) */
	uint64_t n;
	double *work;  /* scratch: 3 k x k + 2 k */
};

/* mu = 0, Lambda = I, no statistics.  0 or GL_ENOMEM. */
int gibbs_hyper_init(struct gibbs_hyper *h, uint32_t k, int full);
void gibbs_hyper_free(struct gibbs_hyper *h);

/* Forget the statistics. */
void gibbs_hyper_reset(struct gibbs_hyper *h);

/* Add the vector x - sub (k values each; sub may be NULL). */
void gibbs_hyper_add(struct gibbs_hyper *h, const float *x, const float *sub);

/* Draw (mu, Lambda) from their posterior given the statistics. */
void gibbs_hyper_draw(struct gibbs_hyper *h, struct rng *r);

/* Write Lambda into the k x k block at P (column-major, leading dimension
 * ld, single precision; both triangles). */
void gibbs_hyper_put(const struct gibbs_hyper *h, float *P, int ld);

#endif
