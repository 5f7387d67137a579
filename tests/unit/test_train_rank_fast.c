/* The ranking metrics' fast path (train/train_metrics.c: a bar on the raw score,
 * exclusion by each user's sorted training items, blocks of users and
 * chunks of items) against a brute force written here: every candidate of
 * every user rated through score_link, sorted by rating then item id, the
 * top k counted.  The catalogue spans several item chunks and the users
 * several blocks, some chunks of candidates are contiguous ids and some
 * not; rows are written unsorted; factors are multiples of 1/4,
 * so each raw score is exact in float whatever the order of the sums, and
 * ties are everywhere: equal raw scores, and unequal ones that
 * sigmoid_range saturates to the same rating or clipping cuts to 1 or 5.
 * dot (sigmoid_range) and mf (clipping) take the fast path; an ensemble
 * and the ce loss the general one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../train/train_metrics.h"
#include "../../train/model.h"
#include "../../train/model_file.h"
#include "../../train/score.h"
#include "err.h"
#include "glr.h"
#include "log.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NU 300     /* more than one block of users (RANK_BLOCK 256) */
#define NI 2600    /* more than two chunks of items (RANK_CHUNK 1024) */
#define PER 40
#define COLD 4     /* users 0..3: validation ratings only */
#define NOBODY 2500 /* items from here on: nobody rates them, but for ... */
#define VALID_ONLY 2590 /* ... this one, in validation only */
#define GAPS 1000  /* items GAPS .. GAPS_END: only every third is rated, so */
#define GAPS_END 1700 /* chunks of candidates there have their rows gathered */

static void write_file(const char *path)
{
	struct glr_meta mt = {.n_users = NU, .n_items = NI, .scale = 1.0f, .has_split = 1};
	struct rng r;
	rng_init(&r, 91, 1);
	static uint32_t it[NU][PER + 1];
	static uint8_t rt[NU][PER + 1], bits[NU][PER + 1];
	uint8_t taken[NI];
	mt.n_ratings = 0;
	for (int u = 0; u < NU; u++) {
		int n = 0;
		memset(taken, 0, sizeof taken);
		while (n < PER) { /* in random order: the rows are not sorted */
			uint32_t i = (uint32_t)rng_below(&r, NOBODY);
			if (taken[i] || (i >= GAPS && i < GAPS_END && i % 3))
				continue;
			taken[i] = 1;
			it[u][n] = i;
			rt[u][n] = (uint8_t)(1 + rng_below(&r, 5));
			bits[u][n++] = u < COLD || rng_below(&r, 100) < 25 ? GLR_BIT_VALID : 0;
		}
		if (u % 7 == 0) {
			it[u][n] = VALID_ONLY;
			rt[u][n] = 5;
			bits[u][n++] = GLR_BIT_VALID;
		}
		mt.n_ratings += (uint64_t)n;
	}
	struct glr_writer *w;
	assert_int_equal(glr_writer_open(&w, path, &mt), 0);
	for (int u = 0; u < NU; u++) {
		uint64_t n = PER + (u % 7 == 0);
		assert_int_equal(glr_writer_row(w, it[u], rt[u], NULL, bits[u], n), 0);
	}
	assert_int_equal(glr_writer_commit(w), 0);
}

/* Multiples of 1/4 in [-2, 2]. */
static void fill(struct ptensor *t, struct rng *r)
{
	for (size_t x = 0; x < (size_t)t->rows * t->cols; x++)
		t->w[x] = (float)((int)rng_below(r, 17) - 8) / 4.0f;
}

static void new_model(struct model *m, const struct train_cfg *c, const struct tdata *d,
		      uint32_t member, struct rng *r)
{
	assert_int_equal(model_new(m, model_ops_of(c->kind), c, d, member), 0);
	m->mu = 3;
	fill(m->P, r);
	fill(m->Q, r);
	fill(m->bu, r);
	fill(m->bi, r);
	if (m->cw) {
		fill(m->cw, r);
		fill(m->cb, r);
	}
}

struct ref_item {
	float score;
	uint32_t item;
};

static int ref_cmp(const void *a, const void *b)
{
	const struct ref_item *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->item < y->item ? -1 : x->item > y->item;
}

/* The rating of item i for user u (cold: from the item bias alone), the
 * members' mean as score.h takes it. */
static float ref_rating(struct model *const *ms, int nm, int cold, uint32_t u, uint32_t i)
{
	float sum = 0;
	for (int j = 0; j < nm; j++) {
		const struct model *m = ms[j];
		double s = (double)m->mu + m->bi->w[i]; /* exact: multiples of 1/4 */
		if (!cold) {
			s += m->bu->w[u];
			for (uint32_t f = 0; f < m->k; f++)
				s += (double)m->P->w[(size_t)u * m->k + f] * m->Q->w[(size_t)i * m->k + f];
		}
		float v = score_link(m, (float)s);
		sum = cold ? sum + v / (float)nm : sum + v;
	}
	return cold || nm == 1 ? sum : sum / (float)nm;
}

static void reference(const struct glr *g, struct model *const *ms, int nm, uint32_t k,
		      double out[5])
{
	static double count[NI];
	double sum[5] = {0};
	static int covered[NI];
	int users = 0, n_cat = 0;
	memset(count, 0, sizeof count);
	memset(covered, 0, sizeof covered);
	for (uint64_t x = 0; x < g->n_ratings; x++)
		if (!glr_bit(g->split, x))
			count[g->items[x]]++;
	for (int i = 0; i < NI; i++)
		n_cat += count[i] > 0;
	static struct ref_item c[NI];
	for (uint32_t u = 0; u < NU; u++) {
		int train[NI] = {0}, rel[NI] = {0}, n_rel = 0, cold = 1;
		for (uint64_t x = g->rowptr[u]; x < g->rowptr[u + 1]; x++) {
			if (!glr_bit(g->split, x))
				train[g->items[x]] = 1, cold = 0;
			else if (glr_value(g, x) >= 4)
				rel[g->items[x]] = 1;
		}
		for (int i = 0; i < NI; i++)
			n_rel += rel[i];
		if (!n_rel)
			continue;
		int n = 0;
		for (uint32_t i = 0; i < NI; i++)
			if (count[i] > 0 && !train[i])
				c[n++] = (struct ref_item){ref_rating(ms, nm, cold, u, i), i};
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

static void expect_ref(const char *what, const struct glr *g, const struct tdata *d,
		       struct model *const *ms, int nm)
{
	const uint32_t ks[] = {1, 7, 40};
	for (int x = 0; x < 3; x++) {
		double want[5];
		reference(g, ms, nm, ks[x], want);
		for (uint32_t th = 1; th <= 2; th++) {
			struct evalres e;
			assert_int_equal(eval_valid(ms, nm, d, ks[x], 4, th, &e), 0);
			const double got[5] = {e.precision, e.recall, e.ndcg, e.hit_rate, e.coverage};
			for (int y = 0; y < 5; y++)
				if (!(fabs(got[y] - want[y]) <= 1e-12)) {
					fprintf(stderr, "%s @%u, %u threads: metric %d is %.17g, "
							"reference %.17g\n",
						what, ks[x], th, y, got[y], want[y]);
					fail();
				}
		}
	}
}

static void test_rank_fast_against_brute_force(void **state)
{
	(void)state;
	write_file("rankfast.glr");
	struct glr g;
	struct tdata d;
	struct rng r;
	struct train_cfg c;
	struct model dot[2], mf, ce;
	assert_int_equal(glr_open(&g, "rankfast.glr", 0), 0);
	assert_int_equal(tdata_init(&d, &g, "rankfast.glr"), 0);
	rng_init(&r, 17, 3);
	cfg_defaults(&c, GLM_DOT); /* sigmoid_range over (0, 5.5) */
	c.factors = 8;
	new_model(&dot[0], &c, &d, 0, &r);
	new_model(&dot[1], &c, &d, 1, &r);
	c.loss = GLM_CE;
	new_model(&ce, &c, &d, 0, &r);
	cfg_defaults(&c, GLM_MF);
	c.factors = 8;
	new_model(&mf, &c, &d, 0, &r);
	mf.clip = 1; /* clipped to [1, 5] (model_link) */
	mf.r_lo = 1;
	mf.r_hi = 5;
	struct model *one[1] = {&dot[0]}, *two[2] = {&dot[0], &dot[1]}, *mfp[1] = {&mf},
		     *cep[1] = {&ce};
	assert_true(score_raw_monotone(one, 1) && score_raw_monotone(mfp, 1));
	assert_false(score_raw_monotone(two, 2) || score_raw_monotone(cep, 1));
	expect_ref("dot", &g, &d, one, 1);
	expect_ref("mf", &g, &d, mfp, 1);
	expect_ref("dot ensemble", &g, &d, two, 2);
	expect_ref("dot ce", &g, &d, cep, 1);
	model_free(&dot[0]);
	model_free(&dot[1]);
	model_free(&mf);
	model_free(&ce);
	tdata_free(&d);
	glr_close(&g);
	unlink("rankfast.glr");
}

int main(void)
{
	log_init("test_train_rank_fast", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank_fast_against_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
