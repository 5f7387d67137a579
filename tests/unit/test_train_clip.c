/* Predictions of the identity link (mf, als) stay in the rating range, as
 * dot's sigmoid_range keeps its own: model_link clips, every predict path
 * goes through it, and a model file carries the range to goodlens-recommend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_train_planted.h"

#include "../../train/model.h"
#include "../../train/model_file.h"
#include "../../train/model_bias.h"
#include "err.h"
#include "glm.h"
#include "log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct planted keen; /* users and items far above the mean */

static int setup(void **state)
{
	(void)state;
	planted_defaults(&keen);
	keen.users = 300;
	keen.items = 120;
	keen.per_user = 40;
	keen.mu = 4.6; /* most ratings 5: mu + b_u + b_i passes 5 often */
	keen.noise = 0.3;
	keen.seed = 11;
	return planted_write("keen.glr", &keen);
}

static int teardown(void **state)
{
	(void)state;
	unlink("keen.glr");
	return 0;
}

static void test_identity_link_clips(void **state)
{
	(void)state;
	struct model m;
	memset(&m, 0, sizeof m);
	m.loss = GLM_MSE;
	m.clip = 1;
	m.r_lo = 1;
	m.r_hi = 5;
	assert_true(model_link(&m, 7.25, NULL, NULL, NULL) == 5.0f);
	assert_true(model_link(&m, -3, NULL, NULL, NULL) == 1.0f);
	assert_true(model_link(&m, 3.5, NULL, NULL, NULL) == 3.5f);
	/* sigmoid_range is fastai's bound and is left as it is: 0..5.5 may
	 * predict 5.4 for a 1..5 scale */
	m.y_lo = 0;
	m.y_hi = 5.5f;
	float s = model_link(&m, 4, NULL, NULL, NULL);
	assert_true(s > 5.0f && s < 5.5f);
	/* a model file without the range (n_classes 0): nothing to clip to */
	m.y_lo = m.y_hi = 0;
	m.clip = 0;
	assert_true(model_link(&m, 7.25, NULL, NULL, NULL) == 7.25f);
}

/* Train kind on keen.glr; every validation prediction must lie in 1..5
 * while the raw score of at least one passes 5 (else the test would prove
 * nothing).  Then the model file: saved and loaded, it predicts the same. */
static void check_kind(int kind)
{
	struct train_cfg c;
	struct glr g;
	struct tdata d;
	struct model m, back;
	struct glm file = {0}, loaded = {0};
	cfg_defaults(&c, kind);
	c.epochs = kind == GLM_ALS ? 5 : 20;
	c.wd = 0.01; /* little shrinking: the biases reach past the scale */
	assert_int_equal(glr_open(&g, "keen.glr", 0), 0);
	assert_int_equal(tdata_init(&d, &g, "keen.glr"), 0);
	assert_true(d.lo == 1.0f && d.hi == 5.0f);
	assert_int_equal(model_new(&m, model_ops_of(kind), &c, &d, 0), 0);
	for (uint32_t e = 0; e < c.epochs; e++) {
		double tl;
		assert_int_equal(m.ops->epoch(&m, e, &tl), 0);
	}
	model_settle(&m);
	assert_int_equal(model_to_glm(&m, 0, &file), 0);
	assert_int_equal(glm_save(&file, "clip.glm"), 0);
	assert_int_equal(glm_load(&loaded, "clip.glm"), 0);
	assert_int_equal(loaded.n_classes, 5);
	assert_int_equal(model_from_glm(&back, &loaded, 0, "clip.glm"), 0);
	assert_true(back.clip && back.r_lo == 1.0f && back.r_hi == 5.0f);
	uint64_t beyond = 0, n = 0;
	for (uint32_t u = 0; u < d.n_users; u++)
		for (uint64_t k = g.rowptr[u]; k < g.rowptr[u + 1]; k++) {
			uint32_t i = g.items[k];
			float p, q;
			m.ops->predict(&m, u, &i, 1, &p, NULL);
			back.ops->predict(&back, u, &i, 1, &q, NULL);
			assert_true(p >= 1.0f && p <= 5.0f);
			assert_true(p == q);
			double s = m.mu + m.bu->w[u] + m.bi->w[i];
			const float *pu = m.P->w + (size_t)u * m.k, *qi = m.Q->w + (size_t)i * m.k;
			for (uint32_t f = 0; f < m.k; f++)
				s += (double)pu[f] * qi[f];
			beyond += s > 5.0;
			n++;
		}
	print_message("%s: %llu of %llu raw scores above 5, every prediction in 1..5\n",
		      m.ops->name, (unsigned long long)beyond, (unsigned long long)n);
	assert_true(beyond > 0);
	model_free(&back);
	glm_free(&loaded);
	glm_free(&file);
	model_free(&m);
	tdata_free(&d);
	glr_close(&g);
	unlink("clip.glm");
}

static void test_mf_predictions_clipped(void **state)
{
	(void)state;
	check_kind(GLM_MF);
}

static void test_als_predictions_clipped(void **state)
{
	(void)state;
	check_kind(GLM_ALS);
}

/* The biases-only baseline clips too, as Surprise's BaselineOnly does. */
static void test_biases_clipped(void **state)
{
	(void)state;
	struct train_cfg c;
	struct glr g;
	struct tdata d;
	struct model m;
	double tl;
	cfg_defaults(&c, GLM_MF);
	assert_int_equal(glr_open(&g, "keen.glr", 0), 0);
	assert_int_equal(tdata_init(&d, &g, "keen.glr"), 0);
	assert_int_equal(model_new(&m, &model_bias_ops, &c, &d, 0), 0);
	assert_int_equal(m.ops->epoch(&m, 0, &tl), 0);
	for (uint32_t u = 0; u < d.n_users; u++)
		for (uint32_t i = 0; i < d.n_items; i++) {
			float p;
			m.ops->predict(&m, u, &i, 1, &p, NULL);
			assert_true(p >= 1.0f && p <= 5.0f);
		}
	model_free(&m);
	tdata_free(&d);
	glr_close(&g);
}

int main(void)
{
	log_init("test_train_clip", 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_link_clips),
		cmocka_unit_test(test_mf_predictions_clipped),
		cmocka_unit_test(test_als_predictions_clipped),
		cmocka_unit_test(test_biases_clipped),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
