/* The trainer against fastai's definitions: EmbeddingNN's architecture and
 * initialisation as collab_learner(use_nn=True) builds it, and sparse
 * Adam's catch-up against dense Adam (and a double-precision transcription
 * of fastai's Adam) row by row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_train_planted.h"

#include "../../train/model.h"
#include "../../train/model_file.h"
#include "../../train/model_nn.h"
#include "../../train/optim.h"
#include "../../train/sched.h"
#include "err.h"
#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* fastai/tabular/model.py: emb_sz_rule(n_cat) = min(600, round(1.6 *
 * n_cat**0.56)), n_cat counting the '#na#' class.  Python's round() is
 * half-to-even; no count here lands on a half. */
static uint32_t fastai_emb_sz(uint64_t n_ids)
{
	double s = 1.6 * pow((double)(n_ids + 1), 0.56);
	return s > 600 ? 600 : (uint32_t)nearbyint(s);
}

static void expect_shape(const struct model *m, const char *name, uint32_t rows, uint32_t cols)
{
	const struct ptensor *t = model_get(m, name);
	if (!t || t->rows != rows || t->cols != cols) {
		fprintf(stderr, "%s: %u x %u, want %u x %u\n", name, t ? t->rows : 0, t ? t->cols : 0,
			rows, cols);
		fail();
	}
}

static void expect_all(const struct model *m, const char *name, float v)
{
	const struct ptensor *t = model_get(m, name);
	assert_non_null(t);
	for (uint32_t r = 0; r < t->rows * t->cols; r++)
		assert_true(t->w[r] == v);
}

/* collab_learner(dls, use_nn=True) = EmbeddingNN(get_emb_sz(dls),
 * layers=[n_factors]) = TabularModel(n_cont=0, out_sz=1): embeddings of
 * emb_sz_rule sizes, LinBnDrop(n_emb, 50, lin_first=True) (Linear without
 * bias, ReLU, BatchNorm1d(50)), LinBnDrop(50, 1, bn=False) (Linear with
 * bias).  fastai's BatchNorm(): weight 1, bias 1e-3. */
static void test_nn_architecture(void **state)
{
	(void)state;
	/* The fastai book's MovieLens 100k: get_emb_sz gives (944, 74) for
	 * 943 users and (1635, 101) for 1634 titles. */
	assert_int_equal(nn_emb_size(943), 74);
	assert_int_equal(nn_emb_size(1634), 101);
	for (uint64_t n = 1; n < 200000; n = n * 3 + 1)
		assert_int_equal(nn_emb_size(n), fastai_emb_sz(n));
	assert_int_equal(nn_emb_size(100000000), 600);

	struct planted p;
	planted_defaults(&p);
	p.users = 137;
	p.items = 61;
	p.per_user = 20;
	assert_int_equal(planted_write("arch.glr", &p), 0);
	struct glr g;
	struct tdata d;
	assert_int_equal(glr_open(&g, "arch.glr", 0), 0);
	assert_int_equal(tdata_init(&d, &g, "arch.glr"), 0);
	struct train_cfg c;
	struct model m;
	cfg_defaults(&c, GLM_NN);
	assert_int_equal(c.factors, 50); /* n_factors */
	assert_int_equal(c.n_layers, 1);
	assert_int_equal(c.layers[0], 50); /* layers=[n_factors] */
	assert_int_equal(c.bn, 1);
	assert_int_equal(cfg_check(&c), 0);
	assert_int_equal(model_new(&m, model_ops_of(GLM_NN), &c, &d, 0), 0);
	uint32_t du = fastai_emb_sz(d.n_users), di = fastai_emb_sz(d.n_items);
	assert_int_equal(du, 25); /* 1.6 * 138^0.56 = 25.2 */
	assert_int_equal(di, 16); /* 1.6 * 62^0.56 = 16.1 */
	expect_shape(&m, "user_factors", (uint32_t)d.n_users, du);
	expect_shape(&m, "item_factors", (uint32_t)d.n_items, di);
	expect_shape(&m, "l0.w", 50, du + di);
	expect_shape(&m, "l0.bn_w", 50, 1);
	expect_shape(&m, "l0.bn_b", 50, 1);
	expect_shape(&m, "l0.bn_mean", 50, 1);
	expect_shape(&m, "l0.bn_var", 50, 1);
	expect_shape(&m, "out.w", 1, 50);
	expect_shape(&m, "out.b", 1, 1);
	assert_null(model_get(&m, "l0.b")); /* no Linear bias before BN */
	assert_null(model_get(&m, "l1.w"));
	assert_int_equal(m.n_t, 9);
	expect_all(&m, "l0.bn_w", 1.0f);
	expect_all(&m, "l0.bn_b", 1e-3f);
	expect_all(&m, "l0.bn_mean", 0.0f);
	expect_all(&m, "l0.bn_var", 1.0f);
	/* PyTorch's Linear init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) */
	const struct ptensor *w = model_get(&m, "l0.w"), *ow = model_get(&m, "out.w");
	double bound = 1 / sqrt((double)(du + di)), lo = 0, hi = 0;
	for (uint32_t x = 0; x < w->rows * w->cols; x++) {
		lo = w->w[x] < lo ? w->w[x] : lo;
		hi = w->w[x] > hi ? w->w[x] : hi;
	}
	assert_true(lo >= -bound && hi <= bound && hi - lo > bound);
	for (uint32_t x = 0; x < ow->cols; x++)
		assert_true(fabs(ow->w[x]) <= 1 / sqrt(50.0));
	model_free(&m);

	/* --emb-size sets the embeddings apart from n_factors */
	c.emb[0] = 7;
	c.emb[1] = 9;
	c.layers[0] = 20;
	assert_int_equal(model_new(&m, model_ops_of(GLM_NN), &c, &d, 0), 0);
	expect_shape(&m, "user_factors", (uint32_t)d.n_users, 7);
	expect_shape(&m, "item_factors", (uint32_t)d.n_items, 9);
	expect_shape(&m, "l0.w", 20, 16);
	expect_all(&m, "l0.bn_b", 1e-3f);
	model_free(&m);
	tdata_free(&d);
	glr_close(&g);
	unlink("arch.glr");
}

/* ---- sparse Adam's catch-up, row by row ---------------------------------- */

#define CU_ROWS 10
#define CU_COLS 9
#define CU_STEPS 1500

/* fastai's Adam (decoupled weight decay, one-cycle) in double, every row
 * every step, absent rows with a zero gradient: the dense update. */
struct adam_ref {
	double w[CU_ROWS][CU_COLS], m[CU_ROWS][CU_COLS], v[CU_ROWS][CU_COLS];
};

static void ref_step(struct adam_ref *r, const struct train_cfg *c, const struct hyper *h,
		     uint64_t t, double g[CU_ROWS][CU_COLS])
{
	double debias1 = 1 - pow(h->mom, (double)t), debias2 = 1 - pow(c->beta2, (double)t);
	for (int i = 0; i < CU_ROWS; i++)
		for (int j = 0; j < CU_COLS; j++) {
			r->w[i][j] *= 1 - h->lr * c->wd;                          /* weight_decay */
			r->m[i][j] = h->mom * r->m[i][j] + (1 - h->mom) * g[i][j]; /* average_grad */
			r->v[i][j] = c->beta2 * r->v[i][j] + (1 - c->beta2) * g[i][j] * g[i][j];
			r->w[i][j] -= h->lr / debias1 * r->m[i][j] /
				      (sqrt(r->v[i][j] / debias2) + c->eps);        /* adam_step */
		}
}

/* Is row i in the batch of step t (1-based)?  Rows 0-4 follow fixed
 * patterns: always; absent over steps 3..127 of warm-up (125 steps); absent
 * over 201..1200 (1000 steps, past the catch-up's window); only at step 1;
 * every 7th step.  The others at random, 1 in 20. */
static int present(int i, uint64_t t, struct rng *r)
{
	switch (i) {
	case 0: return 1;
	case 1: return t < 3 || t > 127;
	case 2: return t <= 200 || t > 1200;
	case 3: return t == 1;
	case 4: return t % 7 == 0;
	default: return rng_below(r, 20) == 0 || t == 1;
	}
}

struct cu_err {
	double w, mv; /* worst |sparse - reference| / the row's displacement; m, v relative */
};

/* |a - r| over the row against the reference row's displacement from w0. */
static void row_err(const struct ptensor *t, const struct adam_ref *ref, const double *w0,
		    int i, struct cu_err *e)
{
	double disp = 0, dw = 0, dmv = 0, scale_m = 0, scale_v = 0;
	for (int j = 0; j < CU_COLS; j++) {
		size_t x = (size_t)i * CU_COLS + (size_t)j;
		disp = fmax(disp, fabs(ref->w[i][j] - w0[x]));
		dw = fmax(dw, fabs(t->w[x] - ref->w[i][j]));
		scale_m = fmax(scale_m, fabs(ref->m[i][j]));
		scale_v = fmax(scale_v, ref->v[i][j]);
	}
	for (int j = 0; j < CU_COLS; j++) {
		size_t x = (size_t)i * CU_COLS + (size_t)j;
		dmv = fmax(dmv, fabs(t->m[x] - ref->m[i][j]) / (scale_m + 1e-30));
		dmv = fmax(dmv, fabs(t->v[x] - ref->v[i][j]) / (scale_v + 1e-30));
	}
	/* a floor of 1e-4, a step's move at the smallest lr here, keeps the
	 * first steps' rounding (an ulp of w is 7e-9) from counting */
	e->w = fmax(e->w, dw / (disp + 1e-4));
	e->mv = fmax(e->mv, dmv);
}

/* Train one tensor sparse and one dense for CU_STEPS one-cycle steps on the
 * same gradients (scale gs: 1e-2 puts sqrt(v) far above eps, 1e-5 at it)
 * beside the double reference; compare every row the step it returns and
 * after every settle.  Returns the worst errors of sparse and of dense. */
static void cu_run(double gs, struct cu_err *sparse, struct cu_err *dense)
{
	struct train_cfg c, cd;
	struct ptensor sp, de;
	struct optim os, od;
	struct adam_ref *ref = calloc(1, sizeof *ref);
	double *w0 = malloc(CU_ROWS * CU_COLS * sizeof *w0);
	static double g[CU_ROWS][CU_COLS];
	struct rng r, pr;
	assert_non_null(ref);
	assert_non_null(w0);
	cfg_defaults(&c, GLM_DOT); /* Adam 0.9/0.99 eps 1e-5, decoupled wd 0.1, one-cycle */
	cd = c;
	cd.update = UPD_DENSE;
	assert_int_equal(pt_alloc(&sp, "s", CU_ROWS, CU_COLS, CU_ROWS, 0, &c), 0);
	assert_int_equal(pt_alloc(&de, "d", CU_ROWS, CU_COLS, CU_ROWS, 0, &cd), 0);
	optim_init(&os, &c);
	optim_init(&od, &cd);
	rng_init(&r, 21, 1);
	rng_init(&pr, 21, 2);
	for (int i = 0; i < CU_ROWS; i++)
		for (int j = 0; j < CU_COLS; j++) {
			size_t x = (size_t)i * CU_COLS + (size_t)j;
			sp.w[x] = de.w[x] = (float)(rng_normal(&r) * 0.1);
			ref->w[i][j] = w0[x] = sp.w[x];
		}
	memset(sparse, 0, sizeof *sparse);
	memset(dense, 0, sizeof *dense);
	for (uint64_t t = 1; t <= CU_STEPS; t++) {
		struct hyper h;
		sched_at(&c, (double)(t - 1) / CU_STEPS, &h);
		assert_int_equal(optim_begin(&os, &h), 0);
		assert_int_equal(optim_begin(&od, &h), 0);
		int in[CU_ROWS];
		for (int i = 0; i < CU_ROWS; i++) {
			in[i] = present(i, t, &pr);
			float *gs_row = in[i] ? pt_grad(&sp, (uint32_t)i) : NULL;
			float *gd_row = in[i] ? pt_grad(&de, (uint32_t)i) : NULL;
			for (int j = 0; j < CU_COLS; j++) {
				/* a drifting mean, so momentum carries a sign */
				float v = in[i] ? (float)((rng_normal(&r) + sin(0.01 * (double)t + i + j)) * gs)
						: 0.0f;
				g[i][j] = v;
				if (in[i])
					gs_row[j] = gd_row[j] = v;
			}
		}
		optim_apply(&os, &sp, 1);
		optim_apply(&od, &de, 1);
		ref_step(ref, &c, &h, t, g);
		for (int i = 0; i < CU_ROWS; i++) {
			if (in[i])
				row_err(&sp, ref, w0, i, sparse);
			row_err(&de, ref, w0, i, dense);
		}
		if (t % 500 == 0 || t == CU_STEPS) { /* an epoch's end */
			optim_settle(&os, &sp);
			for (int i = 0; i < CU_ROWS; i++)
				row_err(&sp, ref, w0, i, sparse);
		}
	}
	pt_free(&sp);
	pt_free(&de);
	optim_free(&os);
	optim_free(&od);
	free(ref);
	free(w0);
}

/* Sparse Adam's catch-up reproduces dense Adam row by row: each returning
 * row's weights within a small share of its displacement, its moments to
 * float precision.  With sqrt(v) far above eps the catch-up is exact but
 * for rounding; with gradients at eps its quadrature shows (optim.h). */
static void test_catch_up_row_by_row(void **state)
{
	(void)state;
	struct cu_err s, d;
	cu_run(1e-2, &s, &d);
	fprintf(stderr, "gradients 1e-2: sparse off by %.3g of a row's displacement (m, v %.3g); "
			"dense %.3g (%.3g)\n", s.w, s.mv, d.w, d.mv);
	assert_true(d.w < 1e-3 && d.mv < 1e-4);
	assert_true(s.w < 1e-3 && s.mv < 1e-4);
	cu_run(1e-5, &s, &d);
	fprintf(stderr, "gradients 1e-5: sparse off by %.3g of a row's displacement (m, v %.3g); "
			"dense %.3g (%.3g)\n", s.w, s.mv, d.w, d.mv);
	assert_true(d.w < 1e-3 && d.mv < 1e-4);
	assert_true(s.w < 2e-2 && s.mv < 1e-4);
}

int main(void)
{
	log_init("test_train_fastai", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nn_architecture),
		cmocka_unit_test(test_catch_up_row_by_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
