/* The ranking metrics over the whole catalogue (train/train_metrics.h) against a
 * brute-force reference written here in double: every candidate of every
 * user scored from the tensors, sorted, and counted.  The models' factors
 * and biases are multiples of 1/4, so every score is exact in float
 * whatever the order of the sums, and ties are common: the tie rule
 * (lower item id first) is exercised too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../train/train_metrics.h"
#include "../../train/model.h"
#include "../../train/model_file.h"
#include "../../train/model_bias.h"
#include "err.h"
#include "glr.h"
#include "log.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NU 15
#define NI 24

/* Users rate items at random; user 0 has validation ratings only (no
 * training: ranked by the item biases), user 1 no rating of 4 or more in
 * validation (not counted), item 22 is rated in validation only (never a
 * candidate, still relevant), item 23 by nobody. */
static void write_file(const char *path)
{
	struct glr_meta mt = {.n_users = NU, .n_items = NI, .scale = 1.0f, .flags = GLR_SORTED,
			      .has_split = 1};
	struct rng r;
	rng_init(&r, 77, 1);
	uint32_t it[NU][NI];
	uint8_t rt[NU][NI], bits[NU][NI];
	uint64_t len[NU];
	mt.n_ratings = 0;
	for (int u = 0; u < NU; u++) {
		len[u] = 0;
		for (uint32_t i = 0; i < NI - 1; i++) {
			if (rng_below(&r, 100) >= 55 && !(u == 0 && i < 6))
				continue;
			int valid = u == 0 || i == 22 || rng_below(&r, 100) < 30;
			uint8_t v = (uint8_t)(1 + rng_below(&r, 5));
			if (u == 1 && valid && v >= 4)
				v = 3;
			it[u][len[u]] = i;
			rt[u][len[u]] = v;
			bits[u][len[u]++] = valid ? GLR_BIT_VALID : 0;
		}
		mt.n_ratings += len[u];
	}
	struct glr_writer *w;
	assert_int_equal(glr_writer_open(&w, path, &mt), 0);
	for (int u = 0; u < NU; u++)
		assert_int_equal(glr_writer_row(w, it[u], rt[u], NULL, bits[u], len[u]), 0);
	assert_int_equal(glr_writer_commit(w), 0);
}

/* Multiples of 1/4 in [-1, 1]. */
static float quarter(struct rng *r)
{
	return (float)((int)rng_below(r, 9) - 4) / 4.0f;
}

static void fill(struct ptensor *t, struct rng *r)
{
	for (size_t x = 0; x < (size_t)t->rows * t->cols; x++)
		t->w[x] = quarter(r);
}

struct ref_item {
	double score;
	uint32_t item;
};

static int ref_cmp(const void *a, const void *b)
{
	const struct ref_item *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->item < y->item ? -1 : x->item > y->item;
}

/* The score of user u for item i as the reference sees it: the mean over
 * members of mu + b_u + b_i + p_u . q_i (identity link), or for a user
 * without training ratings of mu + b_i; with nm 0, popularity (count). */
static double ref_score(struct model *const *ms, int nm, const double *count, int cold, uint32_t u,
			uint32_t i)
{
	if (nm == 0)
		return count[i];
	double s = 0;
	for (int j = 0; j < nm; j++) {
		const struct model *m = ms[j];
		double v = (double)m->mu + m->bi->w[i];
		if (!cold) {
			v += m->bu->w[u];
			for (uint32_t f = 0; m->P && f < m->k; f++)
				v += (double)m->P->w[(size_t)u * m->k + f] * m->Q->w[(size_t)i * m->k + f];
		}
		/* each member's rating as it predicts it: mf's identity link
		 * clips to the rating range (model_link) */
		if (m->clip && !(m->y_lo < m->y_hi))
			v = v < m->r_lo ? m->r_lo : v > m->r_hi ? m->r_hi : v;
		s += v;
	}
	return s / nm;
}

/* Brute force: P, R, NDCG, hit rate, coverage at k over the users with a
 * relevant validation rating. */
static void reference(const struct glr *g, struct model *const *ms, int nm, uint32_t k,
		      double relevant, double out[5])
{
	double count[NI] = {0}, sum[5] = {0};
	int covered[NI] = {0}, users = 0, n_cat = 0;
	for (uint64_t x = 0; x < g->n_ratings; x++)
		if (!glr_bit(g->split, x))
			count[g->items[x]]++;
	for (int i = 0; i < NI; i++)
		n_cat += count[i] > 0;
	for (uint32_t u = 0; u < NU; u++) {
		int train[NI] = {0}, rel[NI] = {0}, n_rel = 0, cold = 1;
		for (uint64_t x = g->rowptr[u]; x < g->rowptr[u + 1]; x++) {
			if (!glr_bit(g->split, x))
				train[g->items[x]] = 1, cold = 0;
			else if (glr_value(g, x) >= relevant)
				rel[g->items[x]] = 1;
		}
		for (int i = 0; i < NI; i++)
			n_rel += rel[i];
		if (!n_rel)
			continue;
		struct ref_item c[NI];
		int n = 0;
		for (uint32_t i = 0; i < NI; i++)
			if (count[i] > 0 && !train[i])
				c[n++] = (struct ref_item){ref_score(ms, nm, count, cold, u, i), i};
		qsort(c, (size_t)n, sizeof *c, ref_cmp);
		double hits = 0, dcg = 0, idcg = 0;
		for (int r = 0; r < n && r < (int)k; r++) {
			covered[c[r].item] = 1;
			if (rel[c[r].item]) {
				hits++;
				dcg += 1 / log2(r + 2.0);
			}
		}
		for (int r = 0; r < n_rel && r < (int)k; r++)
			idcg += 1 / log2(r + 2.0);
		sum[0] += hits / k;
		sum[1] += hits / n_rel;
		sum[2] += dcg / idcg;
		sum[3] += hits > 0;
		users++;
	}
	for (int x = 0; x < 4; x++)
		out[x] = sum[x] / users;
	int nc = 0;
	for (int i = 0; i < NI; i++)
		nc += covered[i];
	out[4] = (double)nc / n_cat;
}

static void expect_same(const char *what, uint32_t k, const struct evalres *e, const double want[5])
{
	const double got[5] = {e->precision, e->recall, e->ndcg, e->hit_rate, e->coverage};
	for (int x = 0; x < 5; x++)
		if (!(fabs(got[x] - want[x]) <= 1e-12)) {
			fprintf(stderr, "%s @%u: metric %d is %.17g, reference %.17g\n", what, k, x,
				got[x], want[x]);
			fail();
		}
}

static void test_rank_against_brute_force(void **state)
{
	(void)state;
	write_file("rank.glr");
	struct glr g;
	struct tdata d;
	assert_int_equal(glr_open(&g, "rank.glr", 0), 0);
	assert_int_equal(tdata_init(&d, &g, "rank.glr"), 0);
	struct train_cfg c;
	cfg_defaults(&c, GLM_MF);
	c.factors = 3;
	struct model m[2], bias;
	struct rng r;
	rng_init(&r, 5, 5);
	for (int j = 0; j < 2; j++) {
		assert_int_equal(model_new(&m[j], model_ops_of(GLM_MF), &c, &d, (uint32_t)j), 0);
		m[j].mu = 3;
		fill(m[j].P, &r);
		fill(m[j].Q, &r);
		fill(m[j].bu, &r);
		fill(m[j].bi, &r);
	}
	assert_int_equal(model_new(&bias, &model_bias_ops, &c, &d, 0), 0);
	bias.mu = 3;
	fill(bias.bu, &r);
	fill(bias.bi, &r);
	struct model *one[1] = {&m[0]}, *both[2] = {&m[0], &m[1]}, *bp[1] = {&bias};
	uint32_t ks[] = {1, 3, 10, 30};
	for (int x = 0; x < 4; x++)
		for (uint32_t th = 1; th <= 3; th += 2) {
			uint32_t k = ks[x];
			struct evalres e;
			double want[5];
			assert_int_equal(eval_valid(one, 1, &d, k, 4, th, &e), 0);
			reference(&g, one, 1, k, 4, want);
			expect_same("mf", k, &e, want);
			assert_int_equal(e.rank_users, e.rank_of);
			assert_int_equal(eval_valid(both, 2, &d, k, 4, th, &e), 0);
			reference(&g, both, 2, k, 4, want);
			expect_same("ensemble", k, &e, want);
			assert_int_equal(eval_valid(bp, 1, &d, k, 4, th, &e), 0);
			reference(&g, bp, 1, k, 4, want);
			expect_same("biases", k, &e, want);
			assert_int_equal(eval_popularity(&d, k, 4, th, &e), 0);
			reference(&g, NULL, 0, k, 4, want);
			expect_same("popularity", k, &e, want);
			assert_true(isnan(e.rmse));
		}
	/* --relevant 5: fewer relevant items, other users */
	struct evalres e;
	double want[5];
	assert_int_equal(eval_valid(one, 1, &d, 5, 5, 2, &e), 0);
	reference(&g, one, 1, 5, 5, want);
	expect_same("mf relevant 5", 5, &e, want);
	/* the file has what the reference must get right: users left out,
	 * a cold user with a relevant item, item 22 relevant but no candidate */
	assert_true(e.rank_of >= 8 && e.rank_of < NU);
	int cold_rel = 0, rel22 = 0;
	for (uint64_t x = g.rowptr[0]; x < g.rowptr[1]; x++)
		cold_rel |= glr_bit(g.split, x) && glr_value(&g, x) >= 4;
	for (uint64_t x = 0; x < g.n_ratings; x++)
		rel22 |= g.items[x] == 22 && glr_value(&g, x) >= 4;
	assert_true(cold_rel && rel22);
	for (int j = 0; j < 2; j++)
		model_free(&m[j]);
	model_free(&bias);
	tdata_free(&d);
	glr_close(&g);
	unlink("rank.glr");
}

int main(void)
{
	log_init("test_train_rank", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank_against_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
