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
#include "../../train/optim.h"
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

int main(void)
{
	log_init("test_train_fastai", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nn_architecture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
