/* The models end to end on planted data: accuracy against the noise floor,
 * sparse against dense Adam, gradient accumulation against a larger batch,
 * bit-reproducibility, ensembles, early stopping, and fold-in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_train_planted.h"

#include "../../train/recommend_foldin.h"
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

static struct planted dense; /* the CI accuracy set, written once */

static int setup(void **state)
{
	(void)state;
	planted_defaults(&dense);
	dense.users = 800;
	dense.items = 250;
	dense.per_user = 200;
	dense.factors = 3;
	dense.noise = 0.7;
	dense.seed = 5;
	return planted_write("dense.glr", &dense);
}

static int teardown(void **state)
{
	(void)state;
	unlink("dense.glr");
	return 0;
}

/* Train c on path (one member) and evaluate on its validation ratings;
 * with weights != NULL also return every tensor's weights (model_snapshot,
 * malloc'd, *nw floats). */
static double train_eval_w(const struct train_cfg *c, const char *path, struct evalres *out,
			   float **weights, size_t *nw)
{
	struct glr g;
	struct tdata d;
	struct model m;
	struct evalres e;
	assert_int_equal(cfg_check(c), 0);
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
	assert_int_equal(eval_valid(one, 1, &d, 10, 4, c->threads, &e), 0);
	if (weights) {
		*nw = model_size(&m);
		*weights = malloc(*nw * sizeof **weights);
		assert_non_null(*weights);
		model_snapshot(&m, *weights);
	}
	model_free(&m);
	tdata_free(&d);
	glr_close(&g);
	if (out)
		*out = e;
	return e.rmse;
}

static double train_eval(const struct train_cfg *c, const char *path, struct evalres *out)
{
	return train_eval_w(c, path, out, NULL, NULL);
}

/* The valid RMSE is at most tol over the noise floor of the validation
 * ratings, and not below floor_rmse_lo (the floor less its sampling noise,
 * -1.2% here: below it a model has seen the validation ratings).  The
 * models reach dot +2.4%, mf +2.2%, als +2.3%, nn +2.9% on this set: the
 * bounds are 3% (nn 4%), docs/TRAIN.md's for dot, mf and als. */
static void expect_near_floor(const char *what, double rmse, double tol)
{
	fprintf(stderr, "%s: valid rmse %.4f, floor %.4f (%+.1f%%), lowest by chance %.4f\n", what,
		rmse, dense.floor_rmse, 100 * (rmse / dense.floor_rmse - 1), dense.floor_rmse_lo);
	assert_true(rmse <= dense.floor_rmse * (1 + tol));
	assert_true(rmse >= dense.floor_rmse_lo);
}

static void test_dot_near_floor(void **state)
{
	(void)state;
	struct train_cfg c;
	/* docs/TRAIN.md's tuned settings for the 3% bound (the rest fastai's);
	 * bench/train.sh measures them on the 1M-rating set */
	cfg_defaults(&c, GLM_DOT);
	c.factors = 4;
	c.wd = 0.01;
	c.epochs = 16;
	expect_near_floor("dot", train_eval(&c, "dense.glr", NULL), 0.03);
}

static void test_mf_near_floor(void **state)
{
	(void)state;
	struct train_cfg c;
	cfg_defaults(&c, GLM_MF);
	c.factors = 4;
	c.wd = 0.03;
	c.epochs = 40;
	c.schedule = SCHED_COSINE;
	expect_near_floor("mf", train_eval(&c, "dense.glr", NULL), 0.03);
	c.threads = 2; /* the block-parallel schedule learns as well */
	expect_near_floor("mf 2 threads", train_eval(&c, "dense.glr", NULL), 0.03);
	c.threads = 1;
	c.adaptive = 1;
	c.lr = 0.2; /* LIBMF's adaptive rule wants a larger base rate */
	expect_near_floor("mf adaptive", train_eval(&c, "dense.glr", NULL), 0.03);
}

static void test_als_near_floor(void **state)
{
	(void)state;
	struct train_cfg c;
	cfg_defaults(&c, GLM_ALS);
	c.factors = 4;
	c.wd = 0.05;
	c.threads = 2;
	expect_near_floor("als", train_eval(&c, "dense.glr", NULL), 0.03);
}

/* als solves the items a chunk at a time (as many as cfg.als_mem holds),
 * each thread every nt-th item of the chunk.  Each item's system sums its
 * ratings in user order whoever solves it, so neither the chunking nor the
 * thread count may change a bit.  With odd-sized chunks at 2 threads the
 * first version zeroed one parity of items and solved the other, and the
 * 18.5M-rating bench file diverged (valid RMSE 18, then 3,125); this test
 * failed with it (RMSE 130). */
static void test_als_item_chunks(void **state)
{
	(void)state;
	struct train_cfg c;
	struct planted p;
	planted_defaults(&p);
	p.users = 300;
	p.items = 301;
	p.per_user = 60;
	assert_int_equal(planted_write("chunks.glr", &p), 0);
	cfg_defaults(&c, GLM_ALS);
	c.factors = 4;
	c.epochs = 3;
	float *whole, *cut;
	size_t nw, nc;
	double r_whole = train_eval_w(&c, "chunks.glr", NULL, &whole, &nw);
	c.threads = 2;
	/* about 48 training ratings an item, 8 bytes each: chunks of 30 to 45
	 * items, of odd and even sizes */
	c.als_mem = 37 * 48 * 8;
	double r_cut = train_eval_w(&c, "chunks.glr", NULL, &cut, &nc);
	fprintf(stderr, "als: one chunk, 1 thread %.5f; chunks of ~37, 2 threads %.5f (floor %.4f)\n",
		r_whole, r_cut, p.floor_rmse);
	assert_int_equal(nw, nc);
	assert_memory_equal(whole, cut, nw * sizeof *whole);
	assert_true(r_whole < p.floor_rmse * 1.2 && r_whole >= p.floor_rmse_lo);
	free(whole);
	free(cut);
	unlink("chunks.glr");
}

/* Tables past BIGMEM_MIN (lib/bigmem.h: huge pages) for mf's working rows
 * and the optimizer state of dot: they train, and are given back with the
 * sizes they were made with (a free() of mapped memory would crash). */
static void test_big_tables(void **state)
{
	(void)state;
	struct train_cfg c;
	struct planted p;
	planted_defaults(&p);
	p.users = 2;
	p.items = 140000; /* mf: 140,001 rows of 8 floats, 4.5 MB */
	p.per_user = 70000;
	assert_int_equal(planted_write("wide.glr", &p), 0);
	cfg_defaults(&c, GLM_MF);
	c.factors = 4;
	c.epochs = 1;
	double mf = train_eval(&c, "wide.glr", NULL);
	cfg_defaults(&c, GLM_DOT);
	c.factors = 4;
	c.epochs = 1;
	c.bs = 1024;
	double dot = train_eval(&c, "wide.glr", NULL);
	fprintf(stderr, "140,000 items: mf %.4f dot %.4f\n", mf, dot);
	assert_true(isfinite(mf) && isfinite(dot));
	unlink("wide.glr");
}

static void test_nn_near_floor(void **state)
{
	(void)state;
	struct train_cfg c;
	/* docs/TRAIN.md's tuned settings (bench/train.sh measures them on the
	 * 1M-rating set) */
	cfg_defaults(&c, GLM_NN);
	c.emb[0] = c.emb[1] = 8; /* --emb-size 8 --layers 100 */
	c.layers[0] = 100;
	c.bs = 256;
	c.lr = 1e-2;
	c.epochs = 10;
	c.wd = 0.02;
	expect_near_floor("nn", train_eval(&c, "dense.glr", NULL), 0.04);
}

/* ce: a classifier over the 5 star values, scored on its expected rating. */
static void test_ce_losses_learn(void **state)
{
	(void)state;
	struct train_cfg c;
	struct evalres e;
	int kinds[] = {GLM_DOT, GLM_MF, GLM_NN};
	for (int k = 0; k < 3; k++) {
		cfg_defaults(&c, kinds[k]);
		c.loss = GLM_CE;
		c.factors = 4;
		if (kinds[k] == GLM_NN)
			c.bs = 256, c.lr = 1e-2, c.emb[0] = c.emb[1] = 4, c.layers[0] = 100;
		if (kinds[k] == GLM_MF)
			c.wd = 0.03, c.epochs = 20, c.lr = 0.005;
		double rmse = train_eval(&c, "dense.glr", &e);
		fprintf(stderr, "%s ce: rmse %.4f accuracy %.3f\n", glm_kind_names[kinds[k]], rmse,
			e.accuracy);
		/* they reach +2.7% (mf) to +6.5% (nn) */
		assert_true(rmse < dense.floor_rmse * 1.08);
		assert_true(rmse >= dense.floor_rmse_lo);
		assert_true(e.accuracy > 0.45); /* the global mean gets about 0.35 */
	}
}

/* Lazy (sparse) Adam with its catch-up follows exact dense Adam. */
static void test_sparse_follows_dense(void **state)
{
	(void)state;
	struct train_cfg c;
	cfg_defaults(&c, GLM_DOT);
	c.factors = 8;
	c.epochs = 3;
	double sparse = train_eval(&c, "dense.glr", NULL);
	c.update = UPD_DENSE;
	double full = train_eval(&c, "dense.glr", NULL);
	fprintf(stderr, "dot fastai settings: sparse %.5f dense %.5f\n", sparse, full);
	assert_true(fabs(sparse - full) < 0.003 * full);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	unsigned char *b = malloc(*len + 1);
	assert_int_equal(fread(b, 1, *len, f), *len);
	fclose(f);
	return b;
}

static int same_file(const char *a, const char *b)
{
	size_t la, lb;
	unsigned char *x = slurp(a, &la), *y = slurp(b, &lb);
	int same = x && y && la == lb && memcmp(x, y, la) == 0;
	free(x);
	free(y);
	return same;
}

/* metrics.csv without its seconds column (wall time). */
static char *metrics_without_time(const char *path)
{
	size_t len;
	char *t = (char *)slurp(path, &len), *o = malloc(len + 1), *w = o;
	assert_non_null(t);
	t[len] = 0;
	int col = 0;
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '\n')
			col = 0;
		else if (t[i] == ',')
			col++;
		if (col != 5 || t[i] == '\n')
			*w++ = t[i];
	}
	*w = 0;
	free(t);
	return o;
}

static void run_to(const struct train_cfg *c, const char *dir)
{
	mkdir(dir, 0777);
	assert_int_equal(trainer_run(c, "small.glr", dir), 0);
}

static void expect_same_outputs(const char *a, const char *b)
{
	const char *files[] = {"model.glm", "predictions.csv", "train.summary.csv"};
	char pa[64], pb[64];
	for (int f = 0; f < 3; f++) {
		snprintf(pa, sizeof pa, "%s/%s", a, files[f]);
		snprintf(pb, sizeof pb, "%s/%s", b, files[f]);
		if (!same_file(pa, pb)) {
			fprintf(stderr, "%s differs between %s and %s\n", files[f], a, b);
			fail();
		}
	}
	snprintf(pa, sizeof pa, "%s/metrics.csv", a);
	snprintf(pb, sizeof pb, "%s/metrics.csv", b);
	char *ma = metrics_without_time(pa), *mb = metrics_without_time(pb);
	assert_string_equal(ma, mb);
	free(ma);
	free(mb);
}

static void write_small(void)
{
	struct planted p;
	planted_defaults(&p);
	p.users = 200;
	p.items = 80;
	p.per_user = 30;
	assert_int_equal(planted_write("small.glr", &p), 0);
}

/* Same seed and threads: the same bytes, for every model. */
static void test_reproducible(void **state)
{
	(void)state;
	struct train_cfg c;
	write_small();
	for (int k = 0; k < GLM_KINDS; k++) {
		for (uint32_t th = 1; th <= 2; th++) {
			cfg_defaults(&c, k);
			c.factors = 6;
			c.epochs = 2;
			c.threads = th;
			if (k == GLM_NN)
				c.layers[0] = 16, c.emb[0] = c.emb[1] = 6;
			run_to(&c, "ra");
			run_to(&c, "rb");
			expect_same_outputs("ra", "rb");
		}
	}
	/* a different seed changes the model */
	cfg_defaults(&c, GLM_DOT);
	c.epochs = 1;
	run_to(&c, "ra");
	c.seed = 43;
	run_to(&c, "rb");
	assert_false(same_file("ra/model.glm", "rb/model.glm"));
}

/* --accum N sums N batches into one step: the same as one batch N times
 * larger, up to rounding. */
static void test_accum_equals_big_batch(void **state)
{
	(void)state;
	struct train_cfg c;
	int kinds[] = {GLM_DOT, GLM_NN};
	write_small();
	for (int k = 0; k < 2; k++) {
		cfg_defaults(&c, kinds[k]);
		c.bn = 0; /* batch statistics would differ: not an accumulation */
		c.layers[0] = 16;
		c.epochs = 2;
		c.bs = 64;
		struct evalres big, acc, one;
		train_eval(&c, "small.glr", &big);
		c.bs = 16;
		c.accum = 4;
		train_eval(&c, "small.glr", &acc);
		c.accum = 1;
		train_eval(&c, "small.glr", &one);
		fprintf(stderr, "%s: bs 64 %.6f, bs 16 x accum 4 %.6f, bs 16 %.6f\n",
			glm_kind_names[kinds[k]], big.rmse, acc.rmse, one.rmse);
		assert_true(fabs(big.rmse - acc.rmse) < 1e-4);
		assert_true(fabs(big.rmse - one.rmse) > 1e-3); /* the test can tell */
	}
}

static double summary_rmse(const char *dir, const char *model, const char *member)
{
	char path[64], line[512], want[64];
	snprintf(path, sizeof path, "%s/train.summary.csv", dir);
	snprintf(want, sizeof want, "%s,%s,", model, member);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	double v = NAN;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, want, strlen(want)) == 0)
			v = strtod(line + strlen(want), NULL);
	fclose(f);
	return v;
}

static void test_ensemble_and_patience(void **state)
{
	(void)state;
	struct train_cfg c;
	write_small();
	cfg_defaults(&c, GLM_MF);
	c.ensemble = 3;
	c.epochs = 10;
	c.factors = 8;
	run_to(&c, "en");
	double m0 = summary_rmse("en", "mf", "0"), m1 = summary_rmse("en", "mf", "1");
	double m2 = summary_rmse("en", "mf", "2"), mean = summary_rmse("en", "mf", "mean");
	assert_true(isfinite(m0) && isfinite(m1) && isfinite(m2) && isfinite(mean));
	assert_true(m0 != m1);
	assert_true(mean < (m0 + m1 + m2) / 3); /* averaging helps */
	assert_true(isfinite(summary_rmse("en", "global_mean", "")));
	assert_true(summary_rmse("en", "biases", "") < summary_rmse("en", "global_mean", ""));
	struct glm g;
	assert_int_equal(glm_load(&g, "en/model.glm"), 0);
	assert_int_equal(model_glm_members(&g), 3);
	assert_non_null(glm_find(&g, "m2.item_factors"));
	glm_free(&g);
	/* patience: overfit on purpose; the kept model is the best epoch's */
	cfg_defaults(&c, GLM_MF);
	c.factors = 32;
	c.wd = 0;
	c.lr = 0.03;
	c.epochs = 40;
	c.patience = 2;
	run_to(&c, "pa");
	FILE *f = fopen("pa/metrics.csv", "r");
	char line[512];
	int rows = 0;
	double best = INFINITY;
	assert_non_null(fgets(line, sizeof line, f));
	while (fgets(line, sizeof line, f)) {
		double tl, vl, vr;
		assert_int_equal(sscanf(line, "%*u,%lf,%lf,%lf", &tl, &vl, &vr), 3);
		if (vr < best)
			best = vr;
		rows++;
	}
	fclose(f);
	assert_true(rows < 40); /* stopped early */
	assert_true(fabs(summary_rmse("pa", "mf", "0") - best) < 1e-5);
}

/* A planted user's ratings folded into a trained model score better than
 * the item biases alone do. */
static void test_foldin(void **state)
{
	(void)state;
	struct train_cfg c;
	cfg_defaults(&c, GLM_ALS);
	c.factors = 4;
	c.wd = 0.05;
	run_to(&c, "fo");
	(void)0;
	struct glm g;
	struct model m;
	struct glr r;
	assert_int_equal(glm_load(&g, "fo/model.glm"), 0);
	assert_int_equal(model_from_glm(&m, &g, 0, "fo/model.glm"), 0);
	assert_int_equal(glr_open(&r, "small.glr", 0), 0);
	/* Take user 5's training ratings as the new user's, and score the
	 * held-out ones. */
	uint32_t items[64], vitems[64];
	float rates[64], vrates[64];
	size_t n = 0, nv = 0;
	for (uint64_t k = r.rowptr[5]; k < r.rowptr[6]; k++) {
		if (glr_bit(r.split, k)) {
			vitems[nv] = r.items[k];
			vrates[nv++] = glr_value(&r, k);
		} else {
			items[n] = r.items[k];
			rates[n++] = glr_value(&r, k);
		}
	}
	float p[8], b;
	assert_int_equal(foldin_user(&m, items, rates, n, 0.05, p, &b), 0);
	/* The fold-in recovers what training found for that user. */
	double diff = 0, norm = 0;
	for (uint32_t f = 0; f < 4; f++) {
		diff += fabs(p[f] - m.P->w[5 * 4 + f]);
		norm += fabs(m.P->w[5 * 4 + f]);
	}
	assert_true(diff < 0.05 * norm + 1e-3);
	assert_true(fabs(b - m.bu->w[5]) < 0.02);
	double se_fold = 0, se_bias = 0;
	for (size_t j = 0; j < nv; j++) {
		double s = m.mu + b + m.bi->w[vitems[j]], sb = m.mu + m.bi->w[vitems[j]];
		for (uint32_t f = 0; f < 4; f++)
			s += p[f] * m.Q->w[vitems[j] * 4 + f];
		se_fold += (s - vrates[j]) * (s - vrates[j]);
		se_bias += (sb - vrates[j]) * (sb - vrates[j]);
	}
	assert_true(se_fold < se_bias);
	/* the link inverse: sigmoid_range */
	m.y_lo = 0;
	m.y_hi = 5.5f;
	assert_true(fabs(model_link(&m, foldin_unlink(&m, 3.7), NULL, NULL, NULL) - 3.7) < 1e-5);
	model_free(&m);
	glm_free(&g);
	glr_close(&r);
}

int main(void)
{
	log_init("test_train_models", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dot_near_floor),
		cmocka_unit_test(test_mf_near_floor),
		cmocka_unit_test(test_als_near_floor),
		cmocka_unit_test(test_als_item_chunks),
		cmocka_unit_test(test_big_tables),
		cmocka_unit_test(test_nn_near_floor),
		cmocka_unit_test(test_ce_losses_learn),
		cmocka_unit_test(test_sparse_follows_dense),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_accum_equals_big_batch),
		cmocka_unit_test(test_ensemble_and_patience),
		cmocka_unit_test(test_foldin),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
