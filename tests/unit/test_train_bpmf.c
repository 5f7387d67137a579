/* bpmf and blending: the Gibbs draws against closed forms computed here in
 * double precision (one row's conditional, the Gamma and Wishart
 * hyperparameter draws), the sampler's reproducibility for a seed at 1 and
 * 2 threads, its accuracy against the planted noise floor, and the blend's
 * fit never worse on its holdout than its best member. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_train_planted.h"

#include "../../train/train_blend.h"
#include "../../train/gibbs.h"
#include "../../train/train_metrics.h"
#include "../../train/model.h"
#include "../../train/model_file.h"
#include "../../train/trainer.h"
#include "err.h"
#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- one row's conditional --------------------------------------------- */

/* Solve the symmetric positive definite a x = b (n x n, row-major, double)
 * by Gaussian elimination without pivoting; a and b are destroyed. */
static void dsolve(int n, double *a, double *b)
{
	for (int p = 0; p < n; p++)
		for (int i = p + 1; i < n; i++) {
			double f = a[i * n + p] / a[p * n + p];
			for (int j = p; j < n; j++)
				a[i * n + j] -= f * a[p * n + j];
			b[i] -= f * b[p];
		}
	for (int i = n - 1; i >= 0; i--) {
		double s = b[i];
		for (int j = i + 1; j < n; j++)
			s -= a[i * n + j] * b[j];
		b[i] = s / a[i * n + i];
	}
}

#define RK 5         /* K: 4 factors and a bias */
#define RCOLS 5000   /* more than GIBBS_CHUNK: the row is flushed mid-way */

struct rowcase {
	float P0[RK * RK], m0[RK], tau;
	float *F, *t; /* RCOLS columns of RK - 1 values, targets */
	double prec[RK * RK], mean[RK];
};

/* A random prior (P0 = L L' + I), columns and targets, and the closed
 * form of the conditional in double. */
static void rowcase_make(struct rowcase *rc)
{
	struct rng r;
	rng_init(&r, 11, 0);
	double L[RK * RK];
	for (int i = 0; i < RK * RK; i++)
		L[i] = rng_normal(&r) * 0.5;
	for (int i = 0; i < RK; i++)
		for (int j = 0; j < RK; j++) {
			double s = i == j;
			for (int p = 0; p < RK; p++)
				s += L[i * RK + p] * L[j * RK + p];
			rc->P0[j * RK + i] = (float)s; /* column-major, symmetric */
		}
	for (int i = 0; i < RK; i++)
		rc->m0[i] = (float)rng_normal(&r);
	rc->tau = 1.7f;
	rc->F = malloc(RCOLS * (RK - 1) * sizeof *rc->F);
	rc->t = malloc(RCOLS * sizeof *rc->t);
	assert_non_null(rc->F);
	assert_non_null(rc->t);
	double truth[RK] = {0.3, -0.5, 0.8, 0.1, 0.4};
	for (int c = 0; c < RCOLS; c++) {
		double s = truth[RK - 1];
		for (int d = 0; d < RK - 1; d++) {
			rc->F[c * (RK - 1) + d] = (float)rng_normal(&r);
			s += truth[d] * rc->F[c * (RK - 1) + d];
		}
		rc->t[c] = (float)(s + rng_normal(&r));
	}
	/* P = P0 + tau sum f f', P mean = P0 m0 + tau sum t f, f = [F; 1] */
	double rhs[RK];
	for (int i = 0; i < RK; i++) {
		rhs[i] = 0;
		for (int j = 0; j < RK; j++) {
			rc->prec[i * RK + j] = rc->P0[j * RK + i];
			rhs[i] += (double)rc->P0[j * RK + i] * rc->m0[j];
		}
	}
	for (int c = 0; c < RCOLS; c++) {
		double f[RK];
		for (int d = 0; d < RK - 1; d++)
			f[d] = rc->F[c * (RK - 1) + d];
		f[RK - 1] = 1;
		for (int i = 0; i < RK; i++) {
			rhs[i] += rc->tau * rc->t[c] * f[i];
			for (int j = 0; j < RK; j++)
				rc->prec[i * RK + j] += rc->tau * f[i] * f[j];
		}
	}
	double a[RK * RK];
	memcpy(a, rc->prec, sizeof a);
	memcpy(rc->mean, rhs, sizeof rhs);
	dsolve(RK, a, rc->mean);
}

static void rowcase_fill(const struct rowcase *rc, struct gibbs_row *s)
{
	gibbs_row_begin(s, rc->tau, rc->P0, rc->m0);
	for (int c = 0; c < RCOLS; c++)
		gibbs_row_add(s, rc->F + c * (RK - 1), rc->t[c]);
}

static void test_row_conditional(void **state)
{
	(void)state;
	struct rowcase rc;
	struct gibbs_row s;
	rowcase_make(&rc);
	assert_int_equal(gibbs_row_init(&s, RK, RCOLS), 0);
	assert_true(s.cap < RCOLS);
	rowcase_fill(&rc, &s);
	gibbs_row_flush(&s);
	/* the precision: upper triangle of s.A, column-major */
	for (int i = 0; i < RK; i++)
		for (int j = i; j < RK; j++) {
			double want = rc.prec[i * RK + j], got = s.A[j * RK + i];
			assert_true(fabs(got - want) <= 1e-5 * fabs(rc.prec[j * RK + j]) + 1e-4);
		}
	/* the mean (r NULL) */
	float x[RK];
	assert_int_equal(gibbs_row_draw(&s, NULL, x), 0);
	for (int i = 0; i < RK; i++) {
		fprintf(stderr, "mean[%d] %.6f closed form %.6f\n", i, x[i], rc.mean[i]);
		assert_true(fabs(x[i] - rc.mean[i]) < 1e-4);
	}
	gibbs_row_free(&s);
	free(rc.F);
	free(rc.t);
}

/* Draws from one row's conditional have its mean and covariance P^-1:
 * with a weak likelihood (few columns) the spread is wide enough to see. */
static void test_row_draws_follow_conditional(void **state)
{
	(void)state;
	struct rowcase rc;
	struct gibbs_row s;
	rowcase_make(&rc);
	/* keep 6 columns: the posterior stays wide */
	const int cols = 6, n = 40000;
	double a[RK * RK], mean[RK], rhs[RK];
	for (int i = 0; i < RK; i++) {
		rhs[i] = 0;
		for (int j = 0; j < RK; j++) {
			a[i * RK + j] = rc.P0[j * RK + i];
			rhs[i] += (double)rc.P0[j * RK + i] * rc.m0[j];
		}
	}
	for (int c = 0; c < cols; c++) {
		double f[RK];
		for (int d = 0; d < RK - 1; d++)
			f[d] = rc.F[c * (RK - 1) + d];
		f[RK - 1] = 1;
		for (int i = 0; i < RK; i++) {
			rhs[i] += rc.tau * rc.t[c] * f[i];
			for (int j = 0; j < RK; j++)
				a[i * RK + j] += rc.tau * f[i] * f[j];
		}
	}
	/* the covariance: columns of a^-1 */
	double cov[RK * RK];
	for (int j = 0; j < RK; j++) {
		double aa[RK * RK], e[RK] = {0};
		memcpy(aa, a, sizeof aa);
		e[j] = 1;
		dsolve(RK, aa, e);
		for (int i = 0; i < RK; i++)
			cov[i * RK + j] = e[i];
	}
	memcpy(mean, rhs, sizeof mean);
	dsolve(RK, a, mean);
	assert_int_equal(gibbs_row_init(&s, RK, cols), 0);
	double sum[RK] = {0}, sq[RK * RK] = {0};
	for (int t = 0; t < n; t++) {
		struct rng r;
		float x[RK];
		rng_init(&r, 3, (uint64_t)t);
		gibbs_row_begin(&s, rc.tau, rc.P0, rc.m0);
		for (int c = 0; c < cols; c++)
			gibbs_row_add(&s, rc.F + c * (RK - 1), rc.t[c]);
		assert_int_equal(gibbs_row_draw(&s, &r, x), 0);
		for (int i = 0; i < RK; i++) {
			sum[i] += x[i];
			for (int j = 0; j < RK; j++)
				sq[i * RK + j] += (double)x[i] * x[j];
		}
	}
	for (int i = 0; i < RK; i++) {
		double m = sum[i] / n, se = sqrt(cov[i * RK + i] / n);
		assert_true(fabs(m - mean[i]) < 5 * se);
		for (int j = 0; j < RK; j++) {
			double c = sq[i * RK + j] / n - (sum[i] / n) * (sum[j] / n);
			double scale = sqrt(cov[i * RK + i] * cov[j * RK + j]);
			/* sampling error of a covariance ~ scale * sqrt(2 / n) */
			assert_true(fabs(c - cov[i * RK + j]) < 0.05 * scale);
		}
	}
	fprintf(stderr, "row draws: var[0] %.5f, closed form %.5f\n",
		sq[0] / n - (sum[0] / n) * (sum[0] / n), cov[0]);
	gibbs_row_free(&s);
	free(rc.F);
	free(rc.t);
}

/* ---- hyperparameter draws -------------------------------------------------- */

static void test_gamma_moments(void **state)
{
	(void)state;
	double shapes[] = {0.3, 1, 3.7, 150};
	for (int s = 0; s < 4; s++) {
		struct rng r;
		rng_init(&r, 5, (uint64_t)s);
		const int n = 200000;
		double sum = 0, sq = 0;
		for (int i = 0; i < n; i++) {
			double g = rng_gamma(&r, shapes[s]);
			assert_true(g >= 0 && isfinite(g));
			sum += g;
			sq += g * g;
		}
		double m = sum / n, v = sq / n - m * m, k = shapes[s];
		fprintf(stderr, "gamma(%g): mean %.4f var %.4f\n", k, m, v);
		assert_true(fabs(m - k) < 5 * sqrt(k / n));
		assert_true(fabs(v - k) < 0.05 * k);
	}
}

/* E[Lambda] = nu_n W_n and E[mu] = n xbar / (beta0 + n) for the
 * Normal-Wishart draw; for the per-dimension draw E[lambda_d] =
 * (1 + n) / (1 + scatter_d + 2 n xbar_d^2 / (2 + n)). */
static void test_hyper_draws(void **state)
{
	(void)state;
	const uint32_t k = 3;
	float xs[4][3] = {{0.5f, -0.2f, 0.1f}, {0.1f, 0.3f, -0.4f}, {-0.3f, 0.2f, 0.2f},
			  {0.4f, 0.1f, 0.3f}};
	for (int full = 0; full <= 1; full++) {
		struct gibbs_hyper h;
		assert_int_equal(gibbs_hyper_init(&h, k, full), 0);
		for (int i = 0; i < 4; i++)
			gibbs_hyper_add(&h, xs[i], NULL);
		double n = 4, xbar[3] = {0}, winv[9];
		for (int i = 0; i < 4; i++)
			for (uint32_t d = 0; d < k; d++)
				xbar[d] += xs[i][d] / n;
		for (uint32_t a = 0; a < k; a++)
			for (uint32_t b = 0; b < k; b++) {
				double s = a == b;
				for (int i = 0; i < 4; i++)
					s += (xs[i][a] - xbar[a]) * (xs[i][b] - xbar[b]);
				winv[a * k + b] = s + 2 * n / (2 + n) * xbar[a] * xbar[b];
			}
		/* the expected Lambda */
		double want[9];
		if (full) {
			for (uint32_t j = 0; j < k; j++) {
				double w[9], e[3] = {0};
				memcpy(w, winv, sizeof w);
				e[j] = 1;
				dsolve((int)k, w, e);
				for (uint32_t i = 0; i < k; i++)
					want[i * k + j] = (k + n) * e[i];
			}
		} else {
			memset(want, 0, sizeof want);
			for (uint32_t d = 0; d < k; d++)
				want[d * k + d] = (1 + n) / winv[d * k + d];
		}
		const int draws = 50000;
		double lam[9] = {0}, mu[3] = {0};
		struct rng r;
		rng_init(&r, 9, (uint64_t)full);
		for (int t = 0; t < draws; t++) {
			gibbs_hyper_draw(&h, &r);
			for (uint32_t i = 0; i < k * k; i++)
				lam[i] += h.lam[i] / draws;
			for (uint32_t d = 0; d < k; d++)
				mu[d] += h.mu[d] / draws;
		}
		for (uint32_t i = 0; i < k; i++) {
			assert_true(fabs(mu[i] - n * xbar[i] / (2 + n)) < 0.02);
			for (uint32_t j = 0; j < k; j++) {
				double scale = sqrt(want[i * k + i] * want[j * k + j]);
				fprintf(stderr, "%s lambda[%u][%u] %.4f want %.4f\n",
					full ? "wishart" : "gamma", i, j, lam[i * k + j], want[i * k + j]);
				assert_true(fabs(lam[i * k + j] - want[i * k + j]) < 0.03 * scale);
			}
		}
		gibbs_hyper_free(&h);
	}
}

/* ---- the sampler end to end -------------------------------------------------- */

/* Train c on path; return the valid RMSE and (if w) every tensor's weights
 * and the validation predictions (malloc'd). */
static double run(const struct train_cfg *c, const char *path, float **w, size_t *nw,
		  float **vp, size_t *nvp)
{
	struct glr g;
	struct tdata d;
	struct model m;
	struct evalres e;
	assert_int_equal(glr_open(&g, path, 0), 0);
	assert_int_equal(tdata_init(&d, &g, path), 0);
	assert_int_equal(model_new(&m, model_ops_of(c->kind), c, &d, 0), 0);
	for (uint32_t ep = 0; ep < c->epochs; ep++) {
		double tl;
		assert_int_equal(m.ops->epoch(&m, ep, &tl), 0);
		assert_true(isfinite(tl));
	}
	model_settle(&m);
	struct model *one[1] = {&m};
	assert_int_equal(eval_valid(one, 1, &d, 0, 4, c->threads, &e), 0);
	if (w) {
		*nw = model_size(&m);
		*w = malloc(*nw * sizeof **w);
		model_snapshot(&m, *w);
		*nvp = d.n_valid;
		*vp = malloc((d.n_valid + 1) * sizeof **vp);
		size_t x = 0;
		for (uint64_t u = 0; u < d.n_users; u++)
			for (uint64_t k = g.rowptr[u]; k < g.rowptr[u + 1]; k++)
				if (tdata_is_valid(&d, k))
					m.ops->predict(&m, (uint32_t)u, &g.items[k], 1, &(*vp)[x++], NULL);
	}
	model_free(&m);
	tdata_free(&d);
	glr_close(&g);
	return e.rmse;
}

static struct planted small;

static void write_small(void)
{
	planted_defaults(&small);
	small.users = 300;
	small.items = 120;
	small.per_user = 40;
	small.seed = 3;
	assert_int_equal(planted_write("bsmall.glr", &small), 0);
}

/* Per-row streams: the same samples for any thread count, and for the
 * same seed; another seed gives another chain.  With implicit factors on
 * both sides (their steps run in one thread) too. */
static void test_reproducible_any_threads(void **state)
{
	(void)state;
	write_small();
	for (int side = IMPLICIT_NONE; side <= IMPLICIT_BOTH; side += IMPLICIT_BOTH) {
		struct train_cfg c;
		cfg_defaults(&c, GLM_BPMF);
		c.factors = 5;
		c.epochs = 12;
		c.burn_in = 4;
		c.implicit = side;
		c.als_mem = 7 * 40 * 8; /* item chunks of a few items */
		float *w[3], *p[3];
		size_t nw[3], np[3];
		double rm[3];
		uint32_t threads[3] = {1, 2, 1};
		for (int t = 0; t < 3; t++) {
			c.threads = threads[t];
			rm[t] = run(&c, "bsmall.glr", &w[t], &nw[t], &p[t], &np[t]);
		}
		fprintf(stderr, "bpmf implicit %s: rmse %.5f (1 thread) %.5f (2 threads)\n",
			cfg_implicit_names[side], rm[0], rm[1]);
		for (int t = 1; t < 3; t++) {
			assert_int_equal(nw[0], nw[t]);
			assert_memory_equal(w[0], w[t], nw[0] * sizeof *w[0]);
			assert_int_equal(np[0], np[t]);
			assert_memory_equal(p[0], p[t], np[0] * sizeof *p[0]);
		}
		c.seed = 43;
		float *w4, *p4;
		size_t nw4, np4;
		run(&c, "bsmall.glr", &w4, &nw4, &p4, &np4);
		assert_true(memcmp(w[0], w4, nw4 * sizeof *w4) != 0);
		for (int t = 0; t < 3; t++) {
			free(w[t]);
			free(p[t]);
		}
		free(w4);
		free(p4);
	}
}

/* A bpmf model of c trained for sweeps sweeps with burn-in burn, left
 * open (with its data) for the caller. */
struct open_model {
	struct glr g;
	struct tdata d;
	struct model m;
};

static void open_trained(struct open_model *o, struct train_cfg *c, uint32_t sweeps, uint32_t burn)
{
	c->epochs = sweeps;
	c->burn_in = burn;
	assert_int_equal(glr_open(&o->g, "bsmall.glr", 0), 0);
	assert_int_equal(tdata_init(&o->d, &o->g, "bsmall.glr"), 0);
	assert_int_equal(model_new(&o->m, model_ops_of(GLM_BPMF), c, &o->d, 0), 0);
	for (uint32_t ep = 0; ep < sweeps; ep++) {
		double tl;
		assert_int_equal(o->m.ops->epoch(&o->m, ep, &tl), 0);
	}
	model_settle(&o->m);
}

static void close_trained(struct open_model *o)
{
	model_free(&o->m);
	tdata_free(&o->d);
	glr_close(&o->g);
}

/* Validation predictions are the mean of the post-burn-in samples'
 * predictions, clipped; not the product of the mean factors.  The samples
 * do not depend on the burn-in, so a chain kept from sweep 3 alone (whose
 * published factors are sample 3) and one kept from sweep 4 alone give the
 * two samples a chain kept from sweep 3 for two sweeps averages. */
static void test_predictions_are_sample_means(void **state)
{
	(void)state;
	struct train_cfg c;
	cfg_defaults(&c, GLM_BPMF);
	c.factors = 5;
	struct open_model two, s3, s4;
	open_trained(&two, &c, 5, 3);
	open_trained(&s3, &c, 4, 3);
	open_trained(&s4, &c, 5, 4);
	const struct glr *g = &two.g;
	/* the samples' own predictions, before the link clips them: the mean
	 * is clipped, not each sample */
	s3.m.clip = s4.m.clip = 0;
	int differ = 0, n = 0;
	for (uint64_t u = 0; u < two.d.n_users; u++)
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			if (!tdata_is_valid(&two.d, k))
				continue;
			uint32_t i = g->items[k];
			float got, mean_f, a, b;
			two.m.ops->predict(&two.m, (uint32_t)u, &i, 1, &got, NULL);
			model_factor_predict(&two.m, (uint32_t)u, &i, 1, &mean_f, NULL);
			model_factor_predict(&s3.m, (uint32_t)u, &i, 1, &a, NULL);
			model_factor_predict(&s4.m, (uint32_t)u, &i, 1, &b, NULL);
			double want = ((double)a + b) / 2;
			want = want < two.d.lo ? two.d.lo : want > two.d.hi ? two.d.hi : want;
			assert_true(fabs(got - want) < 1e-4);
			assert_true(got >= two.d.lo && got <= two.d.hi);
			differ += fabsf(got - mean_f) > 1e-4f;
			n++;
		}
	fprintf(stderr, "%d of %d validation predictions differ from the mean factors'\n", differ, n);
	assert_true(differ > n / 2);
	close_trained(&two);
	close_trained(&s3);
	close_trained(&s4);
}

/* bpmf with its defaults, untuned, on the CI accuracy set of
 * test_train_models (800 x 250 x 200, planted rank 3, noise 0.7); fewer
 * sweeps than the default to keep the test short. */
static void test_near_floor(void **state)
{
	(void)state;
	struct planted p;
	planted_defaults(&p);
	p.users = 800;
	p.items = 250;
	p.per_user = 200;
	p.factors = 3;
	p.noise = 0.7;
	p.seed = 5;
	assert_int_equal(planted_write("bdense.glr", &p), 0);
	struct train_cfg c;
	cfg_defaults(&c, GLM_BPMF);
	c.epochs = 40;
	c.burn_in = 10;
	c.threads = 2;
	double rmse = run(&c, "bdense.glr", NULL, NULL, NULL, NULL);
	fprintf(stderr, "bpmf k=%u 40 sweeps: valid rmse %.4f, floor %.4f (%+.1f%%)\n", c.factors,
		rmse, p.floor_rmse, 100 * (rmse / p.floor_rmse - 1));
	assert_true(rmse <= p.floor_rmse * 1.03);
	unlink("bdense.glr");
}

/* ---- blending ----------------------------------------------------------------- */

/* The fitted blend beats noisy members that err independently, and when
 * one member is already perfect (where the ridge would pull it away) the
 * blend is that member: never worse on the holdout than the best. */
static void test_blend_fit(void **state)
{
	(void)state;
	const uint64_t n = 2000;
	const int m = 3;
	float *X = malloc(n * m * sizeof *X), *y = malloc(n * sizeof *y);
	struct rng r;
	rng_init(&r, 1, 2);
	for (int trial = 0; trial < 2; trial++) {
		for (uint64_t i = 0; i < n; i++) {
			double truth = 1 + 4 * rng_unit(&r);
			y[i] = (float)truth;
			for (int j = 0; j < m; j++)
				X[i * m + j] = (float)(truth + rng_normal(&r) * (0.4 + 0.2 * j));
			if (trial == 1)
				X[i * m + 2] = y[i];
		}
		double w[4], sse, msse[3];
		int best;
		assert_int_equal(blend_fit(X, y, n, m, 0.01 * n, 1, 5, w, &sse, msse, &best), 0);
		fprintf(stderr, "trial %d: blend sse %.3f, members %.3f %.3f %.3f, w %.3f %.3f %.3f %.3f\n",
			trial, sse, msse[0], msse[1], msse[2], w[0], w[1], w[2], w[3]);
		for (int j = 0; j < m; j++)
			assert_true(sse <= msse[j]);
		if (trial == 0)
			assert_true(sse < 0.8 * msse[best]);
		else
			assert_true(best == 2 && sse == 0 && w[3] == 1 && w[0] == 0);
	}
	assert_int_equal(blend_fit(X, y, 0, m, 1, 1, 5, (double[4]){0}, &(double){0}, (double[3]){0},
				   &(int){0}),
			 GL_EUSAGE);
	free(X);
	free(y);
}

static double csv_field(const char *path, const char *prefix, int col)
{
	char line[512];
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	double v = NAN;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, prefix, strlen(prefix)) != 0)
			continue;
		char *p = line;
		for (int c = 0; c < col && p; c++) {
			p = strchr(p, ',');
			if (p)
				p++;
		}
		if (p)
			v = strtod(p, NULL);
	}
	fclose(f);
	return v;
}

/* blend_run end to end: every output, each member and the blend in
 * train.summary.csv, the blend no worse on its holdout than the best
 * member, and model.glm holding a member. */
static void test_blend_run(void **state)
{
	(void)state;
	struct train_cfg c;
	cfg_defaults(&c, GLM_DOT);
	c.blend[0] = GLM_ALS;
	c.blend[1] = GLM_BPMF;
	c.blend[2] = GLM_MF;
	c.n_blend = 3;
	c.sweeps = 30;
	c.burn_in = 10;
	c.blend_holdout = 0.15;
	assert_int_equal(cfg_check(&c), 0);
	mkdir("bl", 0777);
	assert_int_equal(blend_run(&c, "bsmall.glr", "bl"), 0);
	double hb = csv_field("bl/blend.csv", ",blend,", 3);
	double h0 = csv_field("bl/blend.csv", "0,als,", 3), h1 = csv_field("bl/blend.csv", "1,bpmf,", 3);
	double h2 = csv_field("bl/blend.csv", "2,mf,", 3);
	double vb = csv_field("bl/train.summary.csv", "blend,all,", 2);
	double v1 = csv_field("bl/train.summary.csv", "bpmf,1,", 2);
	fprintf(stderr, "holdout rmse: als %.4f bpmf %.4f mf %.4f blend %.4f; valid blend %.4f bpmf %.4f\n",
		h0, h1, h2, hb, vb, v1);
	assert_true(isfinite(hb) && isfinite(h0) && isfinite(h1) && isfinite(h2));
	assert_true(hb <= h0 && hb <= h1 && hb <= h2);
	assert_true(isfinite(vb) && isfinite(v1));
	assert_true(isfinite(csv_field("bl/train.summary.csv", "als,0,", 2)));
	assert_true(isfinite(csv_field("bl/train.summary.csv", "biases,,", 2)));
	struct glm g;
	assert_int_equal(glm_load(&g, "bl/model.glm"), 0);
	assert_non_null(glm_find(&g, "item_factors"));
	assert_non_null(strstr(g.hparams, "blend=als,bpmf,mf\n"));
	glm_free(&g);
	/* a holdout share that leaves nothing to train on is refused */
	c.blend_holdout = 0.999999;
	assert_int_not_equal(blend_run(&c, "bsmall.glr", "bl2"), 0);
}

int main(void)
{
	log_init("test_train_bpmf", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_conditional),
		cmocka_unit_test(test_row_draws_follow_conditional),
		cmocka_unit_test(test_gamma_moments),
		cmocka_unit_test(test_hyper_draws),
		cmocka_unit_test(test_reproducible_any_threads),
		cmocka_unit_test(test_predictions_are_sample_means),
		cmocka_unit_test(test_near_floor),
		cmocka_unit_test(test_blend_fit),
		cmocka_unit_test(test_blend_run),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink("bsmall.glr");
	return rc;
}
