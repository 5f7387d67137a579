/* Unit tests for train/: schedule, optimizer, permutation, data view. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_train_planted.h"

#include "../../train/batch.h"
#include "../../train/train_cfg.h"
#include "../../train/data.h"
#include "../../train/train_decay.h"
#include "../../train/optim.h"
#include "../../train/sched.h"
#include "err.h"
#include "glm.h"
#include "log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* |a - b| <= tol, printing both values when it is not. */
#define NEAR(a, b, tol)                                                                   \
	do {                                                                              \
		double near_a = (double)(a), near_b = (double)(b);                        \
		if (!(fabs(near_a - near_b) <= (tol)))                                    \
			print_error("%s = %.17g, %s = %.17g\n", #a, near_a, #b, near_b); \
		assert_true(fabs(near_a - near_b) <= (tol));                              \
	} while (0)

/* fastai fit_one_cycle(5, lr_max=5e-3): combined_cos(0.25, lr/25, lr, lr/1e5)
 * and moms (0.95, 0.85, 0.95). */
static void test_one_cycle_matches_fastai(void **state)
{
	(void)state;
	struct train_cfg c;
	struct hyper h;
	cfg_defaults(&c, GLM_DOT);
	sched_at(&c, 0, &h);
	NEAR(h.lr, 5e-3 / 25, 1e-15);
	NEAR(h.mom, 0.95, 1e-15);
	sched_at(&c, 0.125, &h); /* half way up: cos at pi/2 */
	NEAR(h.lr, 2e-4 + 0.5 * (5e-3 - 2e-4), 1e-15);
	NEAR(h.mom, 0.90, 1e-15);
	sched_at(&c, 0.25, &h);
	NEAR(h.lr, 5e-3, 1e-15);
	NEAR(h.mom, 0.85, 1e-15);
	sched_at(&c, 0.625, &h);
	NEAR(h.lr, 5e-8 + 0.5 * (5e-3 - 5e-8), 1e-15);
	sched_at(&c, 1, &h);
	NEAR(h.lr, 5e-8, 1e-18);
	NEAR(h.mom, 0.95, 1e-15);
	c.schedule = SCHED_COSINE;
	sched_at(&c, 0.5, &h);
	NEAR(h.lr, 2.5e-3, 1e-15);
	NEAR(h.mom, 0.9, 1e-15);
	c.schedule = SCHED_CONST;
	sched_at(&c, 0.7, &h);
	NEAR(h.lr, 5e-3, 0);
}

/* Two Adam steps on one row against fastai's formulas in double. */
static void test_adam_matches_fastai(void **state)
{
	(void)state;
	struct train_cfg c;
	struct ptensor t;
	struct optim o;
	cfg_defaults(&c, GLM_DOT);
	c.update = UPD_DENSE;
	assert_int_equal(pt_alloc(&t, "w", 1, 2, 1, 0, &c), 0);
	t.w[0] = 0.5f;
	t.w[1] = -0.25f;
	optim_init(&o, &c);
	double w[2] = {0.5, -0.25}, m[2] = {0}, v[2] = {0};
	const double g[2][2] = {{0.3, -0.1}, {-0.2, 0.05}};
	const struct hyper hs[2] = {{1e-2, 0.95}, {2e-2, 0.9}};
	for (int s = 0; s < 2; s++) {
		optim_begin(&o, &hs[s]);
		float *gr = pt_grad(&t, 0);
		for (int j = 0; j < 2; j++) {
			gr[j] = (float)g[s][j];
			double lr = hs[s].lr, mom = hs[s].mom;
			w[j] *= 1 - lr * 0.1; /* decoupled wd 0.1 first */
			m[j] = mom * m[j] + (1 - mom) * g[s][j];
			v[j] = 0.99 * v[j] + 0.01 * g[s][j] * g[s][j];
			double d1 = 1 - pow(mom, s + 1), d2 = 1 - pow(0.99, s + 1);
			w[j] -= lr / d1 * m[j] / (sqrt(v[j] / d2) + 1e-5);
		}
		optim_apply(&o, &t, 1);
	}
	NEAR(t.w[0], w[0], 1e-6);
	NEAR(t.w[1], w[1], 1e-6);
	/* l2 mode: fastai's l2_reg adds wd * p to the gradient (not 2 wd p);
	 * no shrink; plain SGD */
	c.optimizer = OPT_SGD;
	c.wd_mode = WD_L2;
	pt_free(&t);
	assert_int_equal(pt_alloc(&t, "w", 1, 1, 1, 0, &c), 0);
	t.w[0] = 2;
	optim_init(&o, &c);
	struct hyper h = {0.1, 0.9};
	optim_begin(&o, &h);
	pt_grad(&t, 0)[0] = 1;
	optim_apply(&o, &t, 1);
	NEAR(t.w[0], 2 - 0.1 * (1 + 0.1 * 2), 1e-6);
	pt_free(&t);
}

/* Sparse updates leave untouched rows alone but catch their decoupled
 * decay up exactly; dense decays every row every step. */
static void test_sparse_decay_catch_up(void **state)
{
	(void)state;
	struct train_cfg c;
	struct ptensor sp, de;
	struct optim os, od;
	cfg_defaults(&c, GLM_DOT);
	c.optimizer = OPT_SGD;
	assert_int_equal(pt_alloc(&sp, "s", 2, 1, 2, 0, &c), 0);
	c.update = UPD_DENSE;
	assert_int_equal(pt_alloc(&de, "d", 2, 1, 2, 0, &c), 0);
	struct train_cfg cs = c;
	cs.update = UPD_SPARSE;
	optim_init(&os, &cs);
	optim_init(&od, &c);
	sp.w[0] = de.w[0] = 1;
	sp.w[1] = de.w[1] = 1;
	double lrs[3] = {0.1, 0.2, 0.3};
	for (int s = 0; s < 3; s++) {
		struct hyper h = {lrs[s], 0.9};
		optim_begin(&os, &h);
		optim_begin(&od, &h);
		pt_grad(&sp, 0)[0] = 0.5f;
		pt_grad(&de, 0)[0] = 0.5f;
		optim_apply(&os, &sp, 1);
		optim_apply(&od, &de, 1);
	}
	assert_true(sp.w[1] == 1.0f); /* not touched yet */
	optim_settle(&os, &sp);
	NEAR(sp.w[1], (1 - 0.01) * (1 - 0.02) * (1 - 0.03), 1e-6);
	NEAR(sp.w[1], de.w[1], 1e-6);
	NEAR(sp.w[0], de.w[0], 1e-6); /* SGD has no momentum: identical */
	pt_free(&sp);
	pt_free(&de);
}

/* A tensor past BIGMEM_MIN lives on huge pages (lib/bigmem.h): zeroed,
 * writable at both ends, released by pt_free with the size it was made
 * with (a free() of mapped memory would crash). */
static void test_big_tensor(void **state)
{
	(void)state;
	struct train_cfg c;
	struct ptensor t;
	cfg_defaults(&c, GLM_DOT);
	uint32_t rows = 200000, cols = 8; /* 6.4 MB per array */
	assert_int_equal(pt_alloc(&t, "big", rows, cols, 64, 0, &c), 0);
	assert_non_null(t.m);
	assert_non_null(t.mark);
	assert_non_null(t.last);
	size_t n = (size_t)rows * cols;
	assert_true(t.w[0] == 0 && t.w[n - 1] == 0 && t.v[n - 1] == 0 && t.mark[rows - 1] == 0);
	assert_int_equal(t.slot[rows - 1], -1);
	t.w[n - 1] = 1;
	t.m[n - 1] = 2;
	t.last[rows - 1] = 3;
	pt_free(&t);
}

/* Decoupled decay's exposure wd * rows / (bs * accum) and the batch size
 * that brings it down (docs/TRAIN.md measures where dot collapses). */
static void test_decay_risk(void **state)
{
	(void)state;
	struct train_cfg c;
	struct decay_risk r;
	cfg_defaults(&c, GLM_DOT);
	decay_risk(&c, 53424, 10000, &r); /* goodbooks-10k: collapses */
	assert_int_equal(r.items, 0);
	assert_int_equal(r.rows, 53424);
	NEAR(r.gap, 53424 / 64.0, 1e-9);
	NEAR(r.exposure, 0.1 * 53424 / 64.0, 1e-9);
	assert_true(r.exposure > DECAY_WARN);
	assert_int_equal(r.bs_good, 2048); /* 0.1 * 53424 / 5 = 1068.5 */
	c.bs = 2048;
	decay_risk(&c, 53424, 10000, &r);
	assert_true(r.exposure <= DECAY_GOOD);
	c.bs = 16;
	c.accum = 128; /* the same group of 2048 */
	decay_risk(&c, 53424, 10000, &r);
	assert_true(r.exposure <= DECAY_GOOD);
	cfg_defaults(&c, GLM_DOT);
	decay_risk(&c, 6040, 3706, &r); /* MovieLens 1M: fastai's own example */
	NEAR(r.exposure, 0.1 * 6040 / 64.0, 1e-9);
	assert_true(r.exposure < DECAY_WARN);
	decay_risk(&c, 115000, 842443, &r); /* the items side decides */
	assert_int_equal(r.items, 1);
	assert_int_equal(r.bs_good, 32768);
	c.wd_mode = WD_L2;
	decay_risk(&c, 115000, 842443, &r);
	NEAR(r.exposure, 0, 0);
	cfg_defaults(&c, GLM_MF);
	decay_risk(&c, 115000, 842443, &r);
	NEAR(r.exposure, 0, 0);
}

static void test_perm_is_a_bijection(void **state)
{
	(void)state;
	uint64_t sizes[] = {1, 2, 3, 7, 64, 1000, 4097};
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
		uint64_t n = sizes[s];
		struct perm p;
		struct rng r;
		rng_init(&r, 5, s);
		perm_init(&p, n, &r);
		uint8_t *seen = calloc(n, 1);
		uint64_t moved = 0;
		for (uint64_t i = 0; i < n; i++) {
			uint64_t x = perm_get(&p, i);
			assert_true(x < n);
			assert_false(seen[x]);
			seen[x] = 1;
			moved += x != i;
		}
		if (n >= 64)
			assert_true(moved > n / 2);
		free(seen);
	}
}

static void test_data_view(void **state)
{
	(void)state;
	/* users: 2 ratings, none, 3, none, 1 */
	struct glr_meta mt = {.n_users = 5, .n_items = 4, .n_ratings = 6, .scale = 0.5f,
			      .flags = GLR_SORTED, .has_split = 1};
	struct glr_writer *w;
	uint32_t it[] = {0, 3, 1, 2, 3, 0};
	uint8_t rt[] = {2, 10, 3, 4, 5, 9};
	uint8_t bits[] = {0, GLR_BIT_VALID, 0, 0, GLR_BIT_VALID, 0};
	uint64_t len[] = {2, 0, 3, 0, 1};
	assert_int_equal(glr_writer_open(&w, "d.glr", &mt), 0);
	for (int u = 0, at = 0; u < 5; at += (int)len[u], u++)
		assert_int_equal(glr_writer_row(w, it + at, rt + at, NULL, bits + at, len[u]), 0);
	assert_int_equal(glr_writer_commit(w), 0);
	struct glr g;
	struct tdata d;
	assert_int_equal(glr_open(&g, "d.glr", 0), 0);
	assert_int_equal(tdata_init(&d, &g, "d.glr"), 0);
	assert_int_equal(d.n_train, 4);
	assert_int_equal(d.n_valid, 2);
	NEAR(d.mean, (1 + 1.5 + 2 + 4.5) / 4, 1e-12);
	/* values 1, 1.5, 2, 2.5, 4.5, 5: half-star grid from 1 to 5 */
	NEAR(d.lo, 1, 0);
	NEAR(d.hi, 5, 0);
	NEAR(d.step, 0.5, 0);
	assert_int_equal(d.n_classes, 9);
	assert_int_equal(tdata_class(&d, 4.5f), 7);
	uint32_t want[] = {0, 0, 2, 2, 2, 4};
	for (uint64_t k = 0; k < 6; k++)
		assert_int_equal(tdata_user_of(&d, k), want[k]);
	tdata_free(&d);
	glr_close(&g);
	/* no split: refused */
	mt.has_split = 0;
	assert_int_equal(glr_writer_open(&w, "d2.glr", &mt), 0);
	for (int u = 0, at = 0; u < 5; at += (int)len[u], u++)
		assert_int_equal(glr_writer_row(w, it + at, rt + at, NULL, NULL, len[u]), 0);
	assert_int_equal(glr_writer_commit(w), 0);
	assert_int_equal(glr_open(&g, "d2.glr", 0), 0);
	assert_int_equal(tdata_init(&d, &g, "d2.glr"), GL_EFORMAT);
	tdata_free(&d);
	glr_close(&g);
	unlink("d.glr");
	unlink("d2.glr");
}

/* The user index on a larger file with empty and long rows. */
static void test_user_of_planted(void **state)
{
	(void)state;
	struct planted p;
	planted_defaults(&p);
	p.users = 97;
	p.per_user = 13;
	assert_int_equal(planted_write("u.glr", &p), 0);
	struct glr g;
	struct tdata d;
	assert_int_equal(glr_open(&g, "u.glr", 0), 0);
	assert_int_equal(tdata_init(&d, &g, "u.glr"), 0);
	for (uint64_t u = 0; u < g.n_users; u++)
		for (uint64_t k = g.rowptr[u]; k < g.rowptr[u + 1]; k++)
			assert_int_equal(tdata_user_of(&d, k), u);
	/* one epoch of batches hands out every training rating once */
	struct batcher bt;
	struct batch b;
	struct rng r;
	rng_init(&r, 1, 2);
	assert_int_equal(batch_alloc(&b, 10), 0);
	batcher_start(&bt, &d, &r);
	uint64_t n = 0;
	double sum = 0;
	for (;;) {
		b.n = 0;
		if (!batcher_fill(&bt, &b, 10))
			break;
		n += b.n;
		for (size_t j = 0; j < b.n; j++)
			sum += b.rating[j];
	}
	assert_int_equal(n, d.n_train);
	NEAR(sum / (double)n, d.mean, 1e-9);
	batch_free(&b);
	tdata_free(&d);
	glr_close(&g);
	unlink("u.glr");
}

static void test_cfg_check(void **state)
{
	(void)state;
	struct train_cfg c;
	for (int k = 0; k < GLM_KINDS; k++) {
		cfg_defaults(&c, k);
		assert_int_equal(cfg_check(&c), 0);
	}
	cfg_defaults(&c, GLM_ALS);
	c.loss = GLM_CE;
	assert_int_equal(cfg_check(&c), GL_EUSAGE);
	cfg_defaults(&c, GLM_MF);
	c.optimizer = OPT_ADAM;
	assert_int_equal(cfg_check(&c), GL_EUSAGE);
	cfg_defaults(&c, GLM_DOT);
	c.lr = 20;
	assert_int_equal(cfg_check(&c), GL_EUSAGE);
	cfg_defaults(&c, GLM_DOT);
	c.ensemble = 10;
	assert_int_equal(cfg_check(&c), GL_EUSAGE);
	char *h;
	cfg_defaults(&c, GLM_NN);
	assert_int_equal(cfg_hparams(&c, &h), 0);
	assert_non_null(strstr(h, "model=nn\n"));
	assert_non_null(strstr(h, "layers=50\n"));
	assert_non_null(strstr(h, "emb_size=rule,rule\n"));
	free(h);
}

int main(void)
{
	log_init("test_train", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_cycle_matches_fastai),
		cmocka_unit_test(test_adam_matches_fastai),
		cmocka_unit_test(test_sparse_decay_catch_up),
		cmocka_unit_test(test_big_tensor),
		cmocka_unit_test(test_decay_risk),
		cmocka_unit_test(test_perm_is_a_bijection),
		cmocka_unit_test(test_data_view),
		cmocka_unit_test(test_user_of_planted),
		cmocka_unit_test(test_cfg_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
