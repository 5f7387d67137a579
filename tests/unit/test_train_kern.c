/* The trainer's inner loops against plain reference code: mf's SGD kernel
 * (both versions, against the update written out in double), and the Adam
 * row, dot product and gradient kernels (bit for bit against the scalar
 * loops they promise to equal, whichever version the CPU runs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../train/kern.h"
#include "../../train/mfkern.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float *rows(uint32_t n, uint32_t kp, uint32_t k, struct rng *r, double sd)
{
	float *a = aligned_alloc(64, ((size_t)n * kp * sizeof(float) + 63) & ~(size_t)63);
	assert_non_null(a);
	memset(a, 0, (size_t)n * kp * sizeof(float));
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t f = 0; f < k; f++)
			a[(size_t)i * kp + f] = (float)(rng_normal(r) * sd);
	return a;
}

/* A run of n ratings (1..5) of random items below items. */
static void draw_run(struct rng *rg, uint32_t items, uint32_t *it, float *r, int n)
{
	for (int j = 0; j < n; j++)
		it[j] = (uint32_t)rng_below(rg, items), r[j] = (float)(1 + rng_below(rg, 5));
}

/* The order the kernels take n runs of len[] ratings in: s[0] and s[1]
 * interleaved, then the rest of the longer run; rating e is run wx[e]'s
 * jx[e]-th.  Returns how many. */
static size_t kernel_order(const size_t len[2], int n, int *wx, size_t *jx)
{
	size_t both = n > 1 ? (len[0] < len[1] ? len[0] : len[1]) : 0, m = 0;
	for (size_t j = 0; j < both; j++)
		for (int x = 0; x < 2; x++)
			wx[m] = x, jx[m++] = j;
	for (int x = 0; x < n; x++)
		for (size_t j = both; j < len[x]; j++)
			wx[m] = x, jx[m++] = j;
	return m;
}

/* The documented update in double, rating by rating, in the kernel's
 * order: s[0] and s[1] interleaved, then the rest of the longer run. */
static double mf_reference(const struct mfk_par *c, double *P[2], double bu[2], double *Q,
			   double *bi, const uint32_t *it[2], const float *r[2], size_t len[2],
			   int n)
{
	uint32_t kp = c->kp;
	double a = 1.0 - (double)c->lr * c->l2, loss = 0;
	int wx[128];
	size_t jx[128], m = kernel_order(len, n, wx, jx);
	for (size_t e = 0; e < m; e++) {
		int x = wx[e];
		size_t j = jx[e];
		double *p = P[x], *q = Q + (size_t)it[x][j] * kp;
		double dot = 0;
		for (uint32_t f = 0; f < kp; f++)
			dot += p[f] * q[f];
		double err = c->mu + bu[x] + bi[it[x][j]] + dot - r[x][j];
		double g = (double)c->lr * 2 * err;
		loss += err * err;
		bu[x] = a * bu[x] - g;
		bi[it[x][j]] = a * bi[it[x][j]] - g;
		for (uint32_t f = 0; f < kp; f++) {
			double pf = p[f], qf = q[f];
			p[f] = a * pf - g * qf;
			q[f] = a * qf - g * pf;
		}
	}
	return loss;
}

static void mf_case(mfk_fn fn, uint32_t k, int n)
{
	const uint32_t items = 40, kp = mfk_pad(k);
	struct rng rg;
	rng_init(&rg, 11, k * 10 + (uint32_t)n);
	float *Q = rows(items, kp, k, &rg, 0.3), *P = rows(2, kp, k, &rg, 0.3);
	float bi[40], bu[2] = {0.1f, -0.2f};
	double dQ[40 * 136], dP0[136], dP1[136], dbi[40], dbu[2] = {0.1, -0.2};
	assert_true(kp <= 136);
	for (uint32_t i = 0; i < items; i++)
		bi[i] = (float)(rng_normal(&rg) * 0.2), dbi[i] = bi[i];
	for (size_t e = 0; e < (size_t)items * kp; e++)
		dQ[e] = Q[e];
	for (uint32_t f = 0; f < kp; f++)
		dP0[f] = P[f], dP1[f] = P[kp + f];
	uint32_t it0[30], it1[17];
	float r0[30], r1[17];
	draw_run(&rg, items, it0, r0, 30);
	draw_run(&rg, items, it1, r1, 17);
	struct mfk_par c = {.kp = kp, .mu = 3.5f, .lr = 0.01f, .l2 = 0.1f};
	struct mfk_run s[2] = {
		{.p = P, .bu = &bu[0], .Q = Q, .bi = bi, .it = it0, .r = r0, .n = 30},
		{.p = P + kp, .bu = &bu[1], .Q = Q, .bi = bi, .it = it1, .r = r1, .n = 17},
	};
	double loss = fn(&c, s, n);
	double *dp[2] = {dP0, dP1};
	const uint32_t *its[2] = {it0, it1};
	const float *rs[2] = {r0, r1};
	size_t len[2] = {30, 17};
	double ref = mf_reference(&c, dp, dbu, dQ, dbi, its, rs, len, n);
	double tol = 1e-5;
	assert_true(fabs(loss - ref) <= tol * ref);
	for (int x = 0; x < n; x++) {
		assert_true(fabs(bu[x] - dbu[x]) <= tol);
		for (uint32_t f = 0; f < kp; f++) {
			double want = dp[x][f], got = P[(size_t)x * kp + f];
			if (f >= k)
				assert_true(got == 0.0); /* pads stay zero */
			if (fabs(got - want) > tol) {
				fprintf(stderr, "k %u run %d lane %u: %g, reference %g\n", k, x, f, got,
					want);
				fail();
			}
		}
	}
	for (size_t e = 0; e < (size_t)items * kp; e++)
		assert_true(fabs(Q[e] - dQ[e]) <= tol);
	for (uint32_t i = 0; i < items; i++)
		assert_true(fabs(bi[i] - dbi[i]) <= tol);
	free(Q);
	free(P);
}

/* The adaptive update of mfkern.h in double, in the kernel's order (as
 * mf_reference): the scalar path model_mf.c took before the kernel. */
static double mf_ada_reference(const struct mfk_par *c, double *P[2], double bu[2], double gu[2],
			       double *Q, double *bi, double *gi, const uint32_t *it[2],
			       const float *r[2], size_t len[2], int n)
{
	uint32_t kp = c->kp;
	double loss = 0, l2 = c->l2;
	int wx[128];
	size_t jx[128], m = kernel_order(len, n, wx, jx);
	for (size_t e = 0; e < m; e++) {
		int x = wx[e];
		uint32_t i = it[x][jx[e]];
		double *p = P[x], *q = Q + (size_t)i * kp, dot = 0;
		for (uint32_t f = 0; f < kp; f++)
			dot += p[f] * q[f];
		double err = c->mu + bu[x] + bi[i] + dot - r[x][jx[e]];
		double ds = 2 * err, lu = c->lr / sqrt(gu[x]), li = c->lr / sqrt(gi[i]);
		double gbu = ds + l2 * bu[x], gbi = ds + l2 * bi[i], sp = 0, sq = 0;
		loss += err * err;
		bu[x] -= lu * gbu;
		bi[i] -= li * gbi;
		for (uint32_t f = 0; f < kp; f++) {
			double gp = ds * q[f] + l2 * p[f], gq = ds * p[f] + l2 * q[f];
			sp += gp * gp;
			sq += gq * gq;
			p[f] -= lu * gp;
			q[f] -= li * gq;
		}
		gu[x] += (sp + gbu * gbu) / (c->k + 1);
		gi[i] += (sq + gbi * gbi) / (c->k + 1);
	}
	return loss;
}

static void mf_ada_case(mfk_fn fn, uint32_t k, int n)
{
	const uint32_t items = 40, kp = mfk_pad(k);
	struct rng rg;
	rng_init(&rg, 12, k * 10 + (uint32_t)n);
	float *Q = rows(items, kp, k, &rg, 0.3), *P = rows(2, kp, k, &rg, 0.3);
	float bi[40], gi[40], bu[2] = {0.1f, -0.2f}, gu[2] = {1.0f, 2.5f};
	double dQ[40 * 136], dP0[136], dP1[136], dbi[40], dgi[40], dbu[2] = {0.1, -0.2},
	       dgu[2] = {1.0, 2.5};
	assert_true(kp <= 136);
	for (uint32_t i = 0; i < items; i++) {
		bi[i] = (float)(rng_normal(&rg) * 0.2), dbi[i] = bi[i];
		gi[i] = (float)(1 + rng_unit(&rg) * 3), dgi[i] = gi[i];
	}
	for (size_t e = 0; e < (size_t)items * kp; e++)
		dQ[e] = Q[e];
	for (uint32_t f = 0; f < kp; f++)
		dP0[f] = P[f], dP1[f] = P[kp + f];
	uint32_t it0[30], it1[17];
	float r0[30], r1[17];
	draw_run(&rg, items, it0, r0, 30);
	draw_run(&rg, items, it1, r1, 17);
	struct mfk_par c = {.kp = kp, .k = k, .mu = 3.5f, .lr = 0.05f, .l2 = 0.1f};
	struct mfk_run s[2] = {
		{.p = P, .bu = &bu[0], .gu = &gu[0], .Q = Q, .bi = bi, .gi = gi, .it = it0, .r = r0,
		 .n = 30},
		{.p = P + kp, .bu = &bu[1], .gu = &gu[1], .Q = Q, .bi = bi, .gi = gi, .it = it1,
		 .r = r1, .n = 17},
	};
	double loss = fn(&c, s, n);
	double *dp[2] = {dP0, dP1};
	const uint32_t *its[2] = {it0, it1};
	const float *rs[2] = {r0, r1};
	size_t len[2] = {30, 17};
	double ref = mf_ada_reference(&c, dp, dbu, dgu, dQ, dbi, dgi, its, rs, len, n);
	double tol = 1e-5;
	assert_true(fabs(loss - ref) <= tol * ref);
	for (int x = 0; x < n; x++) {
		assert_true(fabs(bu[x] - dbu[x]) <= tol);
		assert_true(fabs(gu[x] - dgu[x]) <= tol * dgu[x]);
		assert_true(gu[x] > (x ? 2.5f : 1.0f)); /* G grew */
		for (uint32_t f = 0; f < kp; f++) {
			double want = dp[x][f], got = P[(size_t)x * kp + f];
			if (f >= k)
				assert_true(got == 0.0); /* pads stay zero */
			if (fabs(got - want) > tol) {
				fprintf(stderr, "adaptive k %u run %d lane %u: %g, reference %g\n", k, x, f,
					got, want);
				fail();
			}
		}
	}
	for (size_t e = 0; e < (size_t)items * kp; e++)
		assert_true(fabs(Q[e] - dQ[e]) <= tol);
	for (uint32_t i = 0; i < items; i++) {
		assert_true(fabs(bi[i] - dbi[i]) <= tol);
		assert_true(fabs(gi[i] - dgi[i]) <= tol * dgi[i]);
	}
	free(Q);
	free(P);
}

/* The adaptive kernels (AVX2 + FMA where the CPU has them, and portable)
 * against the update in double, as test_mf_kernel does for the plain one. */
static void test_mf_adaptive_kernel(void **state)
{
	(void)state;
	const char *name;
	mfk_fn best = mfk_select_adaptive(&name);
	fprintf(stderr, "mf adaptive kernel on this CPU: %s\n", name);
	uint32_t ks[] = {4, 32, 100, 128};
	for (int i = 0; i < 4; i++)
		for (int n = 1; n <= 2; n++) {
			mf_ada_case(best, ks[i], n);
			mf_ada_case(mfk_portable_adaptive, ks[i], n);
		}
}

static void test_mf_kernel(void **state)
{
	(void)state;
	const char *name;
	mfk_fn best = mfk_select(&name);
	fprintf(stderr, "mf kernel on this CPU: %s\n", name);
	/* kp 8 and 32 keep the user row in registers, 104 does not */
	uint32_t ks[] = {4, 32, 100};
	for (int i = 0; i < 3; i++)
		for (int n = 1; n <= 2; n++) {
			mf_case(best, ks[i], n);
			mf_case(mfk_portable, ks[i], n);
		}
}

/* The catch-up's drift of kern.h: num / *den. */
static float drift_reference(float m, float v, const struct kern_adam *a, float *den)
{
	float s = sqrtf(v), d1 = s * a->cr1 + a->eps, d1b = s * a->cr2 + a->e2;
	*den = d1 * d1b;
	return m * (a->cw1 * d1b + a->cw2 * d1);
}

/* kern_adam_row against the element loop it documents, bit for bit. */
static void adam_reference(float *w, float *m, float *v, const float *g, uint32_t n,
			   const struct kern_adam *a)
{
	for (uint32_t j = 0; j < n; j++) {
		if (a->catch_up && a->l2 == 0.0f) {
			float gj = g ? g[j] : 0.0f;
			float d1, n1 = drift_reference(m[j], v[j], a, &d1);
			m[j] *= a->dm;
			v[j] *= a->dv;
			m[j] = a->mom * m[j] + a->damp1 * gj;
			v[j] = a->beta2 * v[j] + a->damp2 * gj * gj;
			float d2 = sqrtf(v[j] * a->inv_debias2) + a->eps, n2 = a->step_size * m[j];
			w[j] = w[j] * a->f - (a->f * n1 * d2 + n2 * d1) / (d1 * d2);
			continue;
		}
		if (a->catch_up) {
			float d1, n1 = drift_reference(m[j], v[j], a, &d1);
			w[j] -= n1 / d1;
			m[j] *= a->dm;
			v[j] *= a->dv;
		}
		float gj = (g ? g[j] : 0.0f) + a->l2 * w[j], wd = w[j] * a->f;
		m[j] = a->mom * m[j] + a->damp1 * gj;
		v[j] = a->beta2 * v[j] + a->damp2 * gj * gj;
		w[j] = wd - a->step_size * m[j] / (sqrtf(v[j] * a->inv_debias2) + a->eps);
	}
}

static void test_adam_row_exact(void **state)
{
	(void)state;
	struct rng r;
	rng_init(&r, 3, 1);
	uint32_t ns[] = {1, 7, 8, 50, 56};
	for (int t = 0; t < 5; t++)
		for (int cu = 0; cu < 8; cu++) /* catch-up off/on, l2 0 or not, 1 or 2 nodes */
			for (int hasg = 0; hasg < 2; hasg++) {
				uint32_t n = ns[t];
				float w[56], m[56], v[56], g[56], w2[56], m2[56], v2[56];
				for (uint32_t j = 0; j < n; j++) {
					w[j] = w2[j] = (float)rng_normal(&r);
					m[j] = m2[j] = (float)rng_normal(&r) * 0.1f;
					v[j] = v2[j] = (float)rng_unit(&r) * 0.01f;
					g[j] = (float)rng_normal(&r);
				}
				int two = cu & 4;
				struct kern_adam a = {.catch_up = cu & 1, .cw1 = 3e-3f, .cr1 = 2.5f,
						      .cw2 = two ? 1e-3f : 0.0f, .cr2 = two ? 0.7f : 0.0f,
						      .e2 = two ? 1e-5f : 1.0f, .dm = 0.3f,
						      .dv = 0.8f, .f = 0.9995f, .l2 = cu & 2 ? 0.02f : 0.0f,
						      .mom = 0.9f,
						      .damp1 = 0.1f, .beta2 = 0.99f, .damp2 = 0.01f,
						      .step_size = 5e-3f, .inv_debias2 = 1.7f, .eps = 1e-5f};
				kern_adam_row(w, m, v, hasg ? g : NULL, n, &a);
				adam_reference(w2, m2, v2, hasg ? g : NULL, n, &a);
				assert_memory_equal(w, w2, n * sizeof *w);
				assert_memory_equal(m, m2, n * sizeof *m);
				assert_memory_equal(v, v2, n * sizeof *v);
				if (cu & 1) { /* the catch-up alone */
					kern_adam_catch_up(w, m, v, n, &a);
					for (uint32_t j = 0; j < n; j++) {
						float d1, n1 = drift_reference(m2[j], v2[j], &a, &d1);
						w2[j] -= n1 / d1;
						m2[j] *= a.dm;
						v2[j] *= a.dv;
					}
					assert_memory_equal(w, w2, n * sizeof *w);
				}
			}
}

/* kern_dot adds 8 lanes, then the lanes pairwise; kern_grad_pair is two
 * axpys. */
static void test_dot_and_grad_exact(void **state)
{
	(void)state;
	struct rng r;
	rng_init(&r, 4, 1);
	for (uint32_t k = 1; k <= 70; k += 3) {
		float p[70], q[70], gp[70], gq[70], gp2[70], gq2[70], acc[8] = {0};
		for (uint32_t f = 0; f < k; f++) {
			p[f] = (float)rng_normal(&r);
			q[f] = (float)rng_normal(&r);
			gp[f] = gp2[f] = (float)rng_normal(&r);
			gq[f] = gq2[f] = (float)rng_normal(&r);
		}
		uint32_t f = 0;
		for (; f + 8 <= k; f += 8)
			for (int l = 0; l < 8; l++)
				acc[l] += p[f + l] * q[f + l];
		for (int l = 0; f < k; f++, l++)
			acc[l] += p[f] * q[f];
		float want = ((acc[0] + acc[1]) + (acc[2] + acc[3])) +
			     ((acc[4] + acc[5]) + (acc[6] + acc[7]));
		float got = kern_dot(p, q, k);
		assert_memory_equal(&got, &want, sizeof got);
		kern_grad_pair(gp, gq, p, q, k, 0.37f);
		for (f = 0; f < k; f++) {
			gp2[f] += 0.37f * q[f];
			gq2[f] += 0.37f * p[f];
		}
		assert_memory_equal(gp, gp2, k * sizeof *gp);
		assert_memory_equal(gq, gq2, k * sizeof *gq);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mf_kernel),
		cmocka_unit_test(test_mf_adaptive_kernel),
		cmocka_unit_test(test_adam_row_exact),
		cmocka_unit_test(test_dot_and_grad_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
