/* Gradient checks by finite differences for every model and loss.
 *
 * dot and nn: the analytic gradient their backward pass leaves in the
 * tensors against central differences of the loss their forward pass
 * returns.  mf: one SGD step on one rating must move every parameter by
 * -lr times the finite-difference gradient of the loss plus the l2 term.
 * als: after a half-step every item sits at the minimum of its ridge
 * objective, so that objective's finite-difference gradient is zero.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_train_planted.h"

#include "../../train/model.h"
#include "../../train/model_file.h"
#include "err.h"
#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
	struct glr g;
	struct tdata d;
};

static void open_planted(struct fixture *f, const char *path, uint32_t users, uint32_t per_user,
			 double step)
{
	struct planted p;
	planted_defaults(&p);
	p.users = users;
	p.items = 40;
	p.per_user = per_user;
	p.step = step;
	assert_int_equal(planted_write(path, &p), 0);
	assert_int_equal(glr_open(&f->g, path, 0), 0);
	assert_int_equal(tdata_init(&f->d, &f->g, path), 0);
}

static void close_planted(struct fixture *f, const char *path)
{
	tdata_free(&f->d);
	glr_close(&f->g);
	unlink(path);
}

static void clear_all(struct model *m)
{
	for (int i = 0; i < m->n_t; i++)
		if (m->t[i].slot)
			pt_clear_grad(&m->t[i]);
}

/* Compare the backward pass with central differences on every touched
 * gradient entry (at most 12 per tensor). */
static void check_fwdbwd(struct model *m, const struct batch *b)
{
	clear_all(m);
	double l0 = m->ops->fwdbwd(m, b, 1.0f);
	int checked = 0;
	for (int ti = 0; ti < m->n_t; ti++) {
		struct ptensor *t = &m->t[ti];
		if (!t->slot || !t->n_touched)
			continue;
		uint32_t nt = t->n_touched, cols = t->cols;
		float *ana = malloc((size_t)nt * cols * sizeof *ana);
		uint32_t *rows = malloc(nt * sizeof *rows);
		memcpy(ana, t->g, (size_t)nt * cols * sizeof *ana);
		memcpy(rows, t->touched, nt * sizeof *rows);
		for (uint32_t e = 0; e < nt * cols && e < 12; e++) {
			uint32_t x = (e * 7) % (nt * cols);
			float *w = pt_row(t, rows[x / cols]) + x % cols;
			float keep = *w, h = 2e-3f;
			*w = keep + h;
			clear_all(m);
			double lp = m->ops->fwdbwd(m, b, 1.0f);
			*w = keep - h;
			clear_all(m);
			double lm = m->ops->fwdbwd(m, b, 1.0f);
			*w = keep;
			double num = (lp - lm) / (2.0 * h), a = ana[x];
			/* A ReLU switching inside [w - h, w + h] bends the loss:
			 * the difference is no derivative there, skip it. */
			if (fabs(lp - 2 * l0 + lm) > 0.05 * fabs(lp - lm) + 1e-7)
				continue;
			if (fabs(num - a) > 2e-2 * (fabs(num) + fabs(a)) + 2e-3) {
				fprintf(stderr, "%s: tensor %s entry %u: analytic %g, numeric %g\n",
					m->ops->name, t->name, x, a, num);
				fail();
			}
			checked++;
		}
		free(ana);
		free(rows);
	}
	clear_all(m);
	assert_true(checked >= 12);
}

static void grad_case(int kind, int loss, int bn, double step, int y_range)
{
	struct fixture f;
	struct train_cfg c;
	struct model m;
	struct batch b;
	struct batcher bt;
	struct rng r;
	open_planted(&f, "g.glr", 30, 12, step);
	cfg_defaults(&c, kind);
	c.loss = loss;
	c.factors = 5;
	c.emb[0] = c.emb[1] = 5; /* nn */
	c.layers[0] = 7;
	c.layers[1] = 6;
	c.n_layers = 2;
	c.bn = bn;
	c.bs = 16;
	c.init_sd = 0.4;
	if (!y_range)
		c.y_lo = c.y_hi = 0;
	assert_int_equal(cfg_check(&c), 0);
	assert_int_equal(model_new(&m, model_ops_of(kind), &c, &f.d, 0), 0);
	assert_int_equal(batch_alloc(&b, 16), 0);
	rng_init(&r, 3, 4);
	batcher_start(&bt, &f.d, &r);
	assert_int_equal(batcher_fill(&bt, &b, 16), 16);
	check_fwdbwd(&m, &b);
	batch_free(&b);
	model_free(&m);
	close_planted(&f, "g.glr");
}

static void test_dot_mse(void **s) { (void)s; grad_case(GLM_DOT, GLM_MSE, 0, 1, 1); }
static void test_dot_mse_linear(void **s) { (void)s; grad_case(GLM_DOT, GLM_MSE, 0, 1, 0); }
static void test_dot_ce(void **s) { (void)s; grad_case(GLM_DOT, GLM_CE, 0, 0.5, 0); }
static void test_nn_mse_bn(void **s) { (void)s; grad_case(GLM_NN, GLM_MSE, 1, 1, 1); }
static void test_nn_mse_plain(void **s) { (void)s; grad_case(GLM_NN, GLM_MSE, 0, 1, 1); }
static void test_nn_ce_bn(void **s) { (void)s; grad_case(GLM_NN, GLM_CE, 1, 1, 0); }

/* The loss of one rating plus wd * |row parameters|^2, through predict. */
static double mf_objective(const struct model *m, uint32_t u, uint32_t i, float r, double wd)
{
	float pred, prob[DATA_MAX_CLASSES];
	m->ops->predict(m, u, &i, 1, &pred, prob);
	double l = model_loss1(m, pred, prob, r), reg = 0;
	for (uint32_t f = 0; f < m->k; f++) {
		double a = m->P->w[(size_t)u * m->k + f], b = m->Q->w[(size_t)i * m->k + f];
		reg += a * a + b * b;
	}
	reg += (double)m->bu->w[u] * m->bu->w[u] + (double)m->bi->w[i] * m->bi->w[i];
	return l + wd * reg;
}

/* Every parameter one rating touches, and the numeric gradient of the
 * objective at the current values. */
struct mf_param {
	float *w;
	double num;
	float before;
};

static size_t mf_params(struct model *m, struct mf_param *p)
{
	size_t n = 0;
	for (uint32_t f = 0; f < m->k; f++) {
		p[n++].w = &m->P->w[f];
		p[n++].w = &m->Q->w[1 * m->k + f];
	}
	p[n++].w = &m->bu->w[0];
	p[n++].w = &m->bi->w[1];
	for (uint32_t c = 0; m->cw && c < m->n_classes; c++) {
		p[n++].w = &m->cw->w[c];
		p[n++].w = &m->cb->w[c];
	}
	return n;
}

static void mf_case(int loss)
{
	/* One user, one training rating (item 1, 4 stars) and two valid. */
	struct glr_meta mt = {.n_users = 1, .n_items = 3, .n_ratings = 3, .scale = 0.5f,
			      .flags = GLR_SORTED, .has_split = 1};
	struct glr_writer *w;
	uint32_t it[] = {0, 1, 2};
	uint8_t rt[] = {6, 8, 4}, bits[] = {GLR_BIT_VALID, 0, GLR_BIT_VALID};
	assert_int_equal(glr_writer_open(&w, "m.glr", &mt), 0);
	assert_int_equal(glr_writer_row(w, it, rt, NULL, bits, 3), 0);
	assert_int_equal(glr_writer_commit(w), 0);
	struct glr g;
	struct tdata d;
	struct train_cfg c;
	struct model m;
	struct mf_param p[64];
	assert_int_equal(glr_open(&g, "m.glr", 0), 0);
	assert_int_equal(tdata_init(&d, &g, "m.glr"), 0);
	cfg_defaults(&c, GLM_MF);
	c.loss = loss;
	c.factors = 4;
	c.lr = 1e-3;
	c.wd = 0.05;
	c.init_sd = 0.5;
	assert_int_equal(model_new(&m, model_ops_of(GLM_MF), &c, &d, 0), 0);
	m.bu->w[0] = 0.3f;
	m.bi->w[1] = -0.2f;
	size_t n = mf_params(&m, p);
	for (size_t j = 0; j < n; j++) {
		float keep = *p[j].w, h = 1e-2f;
		*p[j].w = keep + h;
		double lp = mf_objective(&m, 0, 1, 4, j < 2 * m.k + 2 ? c.wd : 0);
		*p[j].w = keep - h;
		double lm = mf_objective(&m, 0, 1, 4, j < 2 * m.k + 2 ? c.wd : 0);
		*p[j].w = keep;
		p[j].num = (lp - lm) / (2.0 * h);
		p[j].before = keep;
	}
	double tl;
	assert_int_equal(m.ops->epoch(&m, 0, &tl), 0);
	for (size_t j = 0; j < n; j++) {
		double step = (*p[j].w - p[j].before) / -c.lr;
		if (fabs(step - p[j].num) > 2e-2 * fabs(p[j].num) + 5e-3) {
			fprintf(stderr, "mf param %zu: step/-lr %g, numeric gradient %g\n", j, step,
				p[j].num);
			fail();
		}
	}
	model_free(&m);
	tdata_free(&d);
	glr_close(&g);
	unlink("m.glr");
}

static void test_mf_mse(void **s) { (void)s; mf_case(GLM_MSE); }
static void test_mf_ce(void **s) { (void)s; mf_case(GLM_CE); }

/* Item i's ridge objective given the user side (what ALS minimises). */
static double als_item_obj(const struct model *m, const struct tdata *d, uint32_t i)
{
	const struct glr *g = d->g;
	double obj = 0, n = 0;
	for (uint64_t u = 0; u < m->n_users; u++)
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			if (g->items[k] != i || tdata_is_valid(d, k))
				continue;
			float pred;
			m->ops->predict(m, (uint32_t)u, &i, 1, &pred, NULL);
			double e = pred - glr_value(g, k);
			obj += e * e;
			n++;
		}
	double reg = (double)m->bi->w[i] * m->bi->w[i];
	for (uint32_t f = 0; f < m->k; f++)
		reg += (double)m->Q->w[(size_t)i * m->k + f] * m->Q->w[(size_t)i * m->k + f];
	return obj + m->cfg->wd * n * reg;
}

static void test_als_stationary(void **state)
{
	(void)state;
	struct fixture f;
	struct train_cfg c;
	struct model m;
	open_planted(&f, "a.glr", 60, 20, 1);
	cfg_defaults(&c, GLM_ALS);
	c.factors = 4;
	c.threads = 2;
	assert_int_equal(model_new(&m, model_ops_of(GLM_ALS), &c, &f.d, 0), 0);
	double tl;
	assert_int_equal(m.ops->epoch(&m, 0, &tl), 0);
	for (uint32_t i = 0; i < 40; i += 7) {
		double base = als_item_obj(&m, &f.d, i);
		float *ws[5] = {&m.bi->w[i]};
		for (uint32_t x = 0; x < 4; x++)
			ws[1 + x] = &m.Q->w[(size_t)i * 4 + x];
		for (int x = 0; x < 5; x++) {
			float keep = *ws[x], h = 1e-2f;
			*ws[x] = keep + h;
			double lp = als_item_obj(&m, &f.d, i);
			*ws[x] = keep - h;
			double lm = als_item_obj(&m, &f.d, i);
			*ws[x] = keep;
			/* at the minimum: no slope, and both sides higher */
			assert_true(fabs(lp - lm) / (2 * h) < 2e-2 * (1 + base));
			assert_true(lp > base - 1e-4 && lm > base - 1e-4);
		}
	}
	model_free(&m);
	close_planted(&f, "a.glr");
}

int main(void)
{
	log_init("test_model_grad", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dot_mse),
		cmocka_unit_test(test_dot_mse_linear),
		cmocka_unit_test(test_dot_ce),
		cmocka_unit_test(test_nn_mse_bn),
		cmocka_unit_test(test_nn_mse_plain),
		cmocka_unit_test(test_nn_ce_bn),
		cmocka_unit_test(test_mf_mse),
		cmocka_unit_test(test_mf_ce),
		cmocka_unit_test(test_als_stationary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
