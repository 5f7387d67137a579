/* Unit tests for lib/glm: the model file round trip and its validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "glm.h"
#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void make(struct glm *m)
{
	float *d;
	memset(m, 0, sizeof *m);
	m->kind = GLM_MF;
	m->loss = GLM_CE;
	m->n_users = 3;
	m->n_items = 2;
	m->factors = 2;
	m->n_classes = 5;
	m->class_lo = 1;
	m->class_step = 1;
	m->global_mean = 3.5f;
	m->y_lo = 0;
	m->y_hi = 5.5f;
	m->hparams = strdup("model=mf\nlr=0.01\n");
	assert_int_equal(glm_add(m, "user_factors", 3, 2, &d), 0);
	for (int i = 0; i < 6; i++)
		d[i] = (float)i * 0.5f - 1;
	assert_int_equal(glm_add(m, "item_bias", 2, 1, &d), 0);
	d[0] = 0.25f;
	d[1] = -0.75f;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	unsigned char *b = malloc(*len);
	assert_int_equal(fread(b, 1, *len, f), *len);
	fclose(f);
	return b;
}

static void test_round_trip(void **state)
{
	(void)state;
	struct glm m, r;
	make(&m);
	assert_int_equal(glm_save(&m, "t.glm"), 0);
	assert_int_equal(glm_load(&r, "t.glm"), 0);
	assert_int_equal(r.kind, GLM_MF);
	assert_int_equal(r.loss, GLM_CE);
	assert_int_equal(r.n_users, 3);
	assert_int_equal(r.n_items, 2);
	assert_int_equal(r.factors, 2);
	assert_int_equal(r.n_classes, 5);
	assert_true(r.class_lo == 1 && r.class_step == 1 && r.global_mean == 3.5f);
	assert_true(r.y_lo == 0 && r.y_hi == 5.5f);
	assert_string_equal(r.hparams, "model=mf\nlr=0.01\n");
	assert_int_equal(r.n_tensors, 2);
	const struct glm_tensor *t = glm_find(&r, "user_factors");
	assert_non_null(t);
	assert_int_equal(t->rows, 3);
	assert_int_equal(t->cols, 2);
	assert_memory_equal(t->data, m.t[0].data, 6 * sizeof(float));
	t = glm_find(&r, "item_bias");
	assert_non_null(t);
	assert_true(t->data[1] == -0.75f);
	assert_null(glm_find(&r, "item_factors"));
	assert_int_equal(r.has_source, 0); /* saved without: reads as unknown */
	assert_true(r.rating_lo == 0 && r.rating_hi == 0 && !r.item_keys.col[0]);
	glm_free(&r);
	glm_free(&m);
	unlink("t.glm");
}

static void test_source_section(void **state)
{
	(void)state;
	struct glm m, r;
	make(&m);
	m.has_source = 1;
	m.rating_lo = 0.5f;
	m.rating_hi = 5;
	m.rating_step = 0.5f;
	snprintf(m.item_keys.col, sizeof m.item_keys.col, "movie_id");
	m.item_keys.rows = 2;
	m.item_keys.fp = 0x1621144159c08269ull;
	assert_int_equal(glm_save(&m, "s.glm"), 0);
	assert_int_equal(glm_load(&r, "s.glm"), 0);
	assert_int_equal(r.has_source, 1);
	assert_true(r.rating_lo == 0.5f && r.rating_hi == 5 && r.rating_step == 0.5f);
	assert_string_equal(r.item_keys.col, "movie_id");
	assert_int_equal(r.item_keys.rows, 2);
	assert_true(r.item_keys.fp == 0x1621144159c08269ull);
	assert_string_equal(r.user_keys.col, ""); /* no user keys recorded */
	assert_int_equal(r.n_tensors, 2);
	glm_free(&r);
	/* a scale upside down, or not finite, is not a model file */
	m.rating_lo = 6;
	assert_int_equal(glm_save(&m, "s.glm"), 0);
	assert_int_equal(glm_load(&r, "s.glm"), GL_EFORMAT);
	m.rating_lo = NAN;
	assert_int_equal(glm_save(&m, "s.glm"), 0);
	assert_int_equal(glm_load(&r, "s.glm"), GL_EFORMAT);
	/* nor is a tensor that takes the section's name */
	float *d;
	assert_int_equal(glm_add(&m, "source", 1, 1, &d), GL_EUSAGE);
	glm_free(&m);
	unlink("s.glm");
}

static void test_add_rejects_bad_names(void **state)
{
	(void)state;
	struct glm m;
	float *d;
	make(&m);
	assert_int_equal(glm_add(&m, "user_factors", 1, 1, &d), GL_EUSAGE);
	assert_int_equal(glm_add(&m, "meta", 1, 1, &d), GL_EUSAGE);
	assert_int_equal(glm_add(&m, "shapes", 1, 1, &d), GL_EUSAGE);
	assert_int_equal(glm_add(&m, "", 1, 1, &d), GL_EUSAGE);
	assert_int_equal(glm_add(&m, "0123456789abcdef", 1, 1, &d), GL_EUSAGE);
	assert_int_equal(glm_add(&m, "0123456789abcde", 1, 1, &d), 0);
	while (m.n_tensors < GLM_MAX_TENSORS) {
		char name[16];
		snprintf(name, sizeof name, "x%d", m.n_tensors);
		assert_int_equal(glm_add(&m, name, 1, 1, &d), 0);
	}
	assert_int_equal(glm_add(&m, "one_more", 1, 1, &d), GL_EUSAGE);
	/* a full model still fits the container, source section and all */
	struct glm r;
	m.has_source = 1;
	assert_int_equal(glm_save(&m, "full.glm"), 0);
	assert_int_equal(glm_load(&r, "full.glm"), 0);
	assert_int_equal(r.n_tensors, GLM_MAX_TENSORS);
	glm_free(&r);
	unlink("full.glm");
	glm_free(&m);
}

static void test_every_cut_and_flip_is_an_error(void **state)
{
	(void)state;
	struct glm m, r;
	size_t len;
	make(&m);
	assert_int_equal(glm_save(&m, "t2.glm"), 0);
	glm_free(&m);
	unsigned char *b = slurp("t2.glm", &len);
	assert_int_equal(glm_load_mem(&r, b, len, "whole.glm"), 0);
	glm_free(&r);
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(glm_load_mem(&r, b, cut, "cut.glm"), GL_EFORMAT);
	/* Every flipped byte inside the header, table or a section is caught
	 * by a CRC or a check; flips in the zero padding between sections
	 * are harmless and may load. */
	unsigned char *c = malloc(len);
	int caught = 0, total = 0;
	for (size_t i = 0; i < len; i++) {
		memcpy(c, b, len);
		c[i] ^= 0x10;
		int rc = glm_load_mem(&r, c, len, "flip.glm");
		if (rc == 0)
			glm_free(&r);
		else
			assert_int_equal(rc, GL_EFORMAT);
		total++;
		caught += rc != 0;
	}
	assert_true(caught > total / 2);
	free(c);
	free(b);
	unlink("t2.glm");
}

static void test_rejects_nonfinite_and_unknown_kind(void **state)
{
	(void)state;
	struct glm m, r;
	make(&m);
	m.t[0].data[3] = NAN;
	assert_int_equal(glm_save(&m, "t3.glm"), 0);
	assert_int_equal(glm_load(&r, "t3.glm"), GL_EFORMAT);
	m.t[0].data[3] = 0;
	m.kind = GLM_KINDS;
	assert_int_equal(glm_save(&m, "t3.glm"), 0);
	assert_int_equal(glm_load(&r, "t3.glm"), GL_EFORMAT);
	m.kind = GLM_NN;
	m.n_classes = 300;
	assert_int_equal(glm_save(&m, "t3.glm"), 0);
	assert_int_equal(glm_load(&r, "t3.glm"), GL_EFORMAT);
	glm_free(&m);
	assert_int_equal(glm_load(&r, "no-such.glm"), GL_EIO);
	unlink("t3.glm");
}

int main(void)
{
	log_init("test_glm", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_source_section),
		cmocka_unit_test(test_add_rejects_bad_names),
		cmocka_unit_test(test_every_cut_and_flip_is_an_error),
		cmocka_unit_test(test_rejects_nonfinite_and_unknown_kind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
