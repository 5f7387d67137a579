/* dot's training layout does not change its arithmetic: small runs of dot
 * (sparse Adam with its catch-up, l2 decay, SGD, the ce loss, dense Adam,
 * with a settle between epochs as the trainer does) give the very bits
 * they gave before each row's weights, Adam moments and bookkeeping were
 * laid out as one record (train/optim.h, PT_PACKED).  The expected values
 * were computed by the build before that change (commit 103d997, four
 * tensors and separate moment arrays): a hash of the published weights
 * (FNV-1a over user_factors, item_factors, user_bias, item_bias), the
 * last epoch's training loss and the validation metrics, to the bit.
 *
 * They move only when the arithmetic does on purpose; then rerun with
 * GL_LAYOUT_PRINT=1 to see the new values, and say why in the commit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_train_planted.h"

#include "../../train/train_metrics.h"
#include "../../train/model.h"
#include "../../train/model_file.h"
#include "err.h"
#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int setup(void **state)
{
	(void)state;
	struct planted p;
	planted_defaults(&p);
	p.users = 400;
	p.items = 900; /* more items than a batch reaches: rows stay absent */
	p.per_user = 30;
	p.seed = 11;
	return planted_write("layout.glr", &p);
}

static int teardown(void **state)
{
	(void)state;
	unlink("layout.glr");
	return 0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

struct layout_case {
	const char *what;
	uint64_t hash;        /* of the published weights */
	double train_loss;    /* the last epoch's */
	double rmse, ndcg;
};

/* Train c on layout.glr as the trainer does (epochs, settle after each)
 * and compare with want; hot: through tdata_hot's copy of the file's
 * arrays (data.h), which must not change a bit either. */
static void run_one(const struct train_cfg *c, const struct layout_case *want, int hot)
{
	struct glr g;
	struct tdata d;
	struct model m;
	struct evalres e;
	double tl = 0;
	assert_int_equal(cfg_check(c), 0);
	assert_int_equal(glr_open(&g, "layout.glr", 0), 0);
	assert_int_equal(tdata_init(&d, &g, "layout.glr"), 0);
	if (hot) {
		assert_int_equal(tdata_hot(&d, 0), 0);
		assert_non_null(d.hot);
		assert_ptr_not_equal(d.items, g.items);
	}
	assert_int_equal(model_new(&m, model_ops_of(c->kind), c, &d, 0), 0);
	for (uint32_t ep = 0; ep < c->epochs; ep++) {
		assert_int_equal(m.ops->epoch(&m, ep, &tl), 0);
		model_settle(&m);
	}
	struct model *one[1] = {&m};
	assert_int_equal(eval_valid(one, 1, &d, 10, 4, 1, &e), 0);
	uint64_t h = 0xcbf29ce484222325ull;
	const char *names[] = {"user_factors", "item_factors", "user_bias", "item_bias"};
	for (int i = 0; i < 4; i++) {
		const struct ptensor *t = model_get(&m, names[i]);
		assert_non_null(t);
		h = fnv(h, t->w, (size_t)t->rows * t->cols * sizeof *t->w);
	}
	model_free(&m);
	tdata_free(&d);
	glr_close(&g);
	if (getenv("GL_LAYOUT_PRINT"))
		printf("\t{\"%s\", 0x%016llxull, %a, %a, %a},\n", want->what, (unsigned long long)h,
		       tl, e.rmse, e.ndcg);
	if (h != want->hash || tl != want->train_loss || e.rmse != want->rmse ||
	    e.ndcg != want->ndcg) {
		fprintf(stderr, "%s%s: weights hash %016llx loss %a rmse %a ndcg %a; "
				"want %016llx %a %a %a\n",
			want->what, hot ? " (hot view)" : "", (unsigned long long)h, tl, e.rmse, e.ndcg,
			(unsigned long long)want->hash, want->train_loss, want->rmse, want->ndcg);
		fail();
	}
}

static void run_case(const struct train_cfg *c, const struct layout_case *want)
{
	run_one(c, want, 0);
	run_one(c, want, 1);
}

/* The values of the old layout (see the top). */
static const struct layout_case want[] = {
	{"sparse adam", 0xb866170bb5ab75deull,
	 0x1.f998d6a3dcc8cp-2, 0x1.9ceddb480a96bp-1, 0x1.6bcde6d22c011p-7},
	{"sparse adam l2", 0xd36dab2c8ee10eb8ull,
	 0x1.0eb186191a9d3p-1, 0x1.96eff81cb1ec4p-1, 0x1.905d10699e3e7p-7},
	{"sparse sgd", 0xd282ab46438f4bb7ull,
	 0x1.18a74ab54ff3fp+0, 0x1.15e57bedd1f3cp+0, 0x1.74a63c5320a28p-7},
	{"sparse adam ce", 0xac4ce730942a4409ull,
	 0x1.18c64420deb3bp+0, 0x1.9377e1f990b96p-1, 0x1.e41644911527ap-7},
	{"dense adam", 0x2dd0e976d55e074aull,
	 0x1.7b925b1cdaa49p-1, 0x1.cb362105bf444p-1, 0x1.20c57aaa27c48p-7},
};

static void base(struct train_cfg *c)
{
	cfg_defaults(c, GLM_DOT); /* fastai's: Adam, decoupled wd 0.1, one-cycle */
	c->factors = 13;          /* an odd k: the record's padding is exercised */
	c->epochs = 3;
	c->bs = 32;
	c->seed = 5;
}

static void test_sparse_adam(void **state)
{
	(void)state;
	struct train_cfg c;
	base(&c);
	run_case(&c, &want[0]);
}

static void test_sparse_adam_l2(void **state)
{
	(void)state;
	struct train_cfg c;
	base(&c);
	c.wd_mode = WD_L2;
	c.wd = 0.01;
	run_case(&c, &want[1]);
}

static void test_sparse_sgd(void **state)
{
	(void)state;
	struct train_cfg c;
	base(&c);
	c.optimizer = OPT_SGD;
	c.lr = 0.05;
	c.wd = 0.01;
	run_case(&c, &want[2]);
}

static void test_sparse_adam_ce(void **state)
{
	(void)state;
	struct train_cfg c;
	base(&c);
	c.loss = GLM_CE;
	run_case(&c, &want[3]);
}

static void test_dense_adam(void **state)
{
	(void)state;
	struct train_cfg c;
	base(&c);
	c.update = UPD_DENSE;
	c.epochs = 2;
	run_case(&c, &want[4]);
}

int main(void)
{
	log_init("test_train_layout", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sparse_adam),
		cmocka_unit_test(test_sparse_adam_l2),
		cmocka_unit_test(test_sparse_sgd),
		cmocka_unit_test(test_sparse_adam_ce),
		cmocka_unit_test(test_dense_adam),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
