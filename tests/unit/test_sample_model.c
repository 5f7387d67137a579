/* Unit tests for goodlens-sample's planted model and generator: the exact
 * noise floor against Monte Carlo, the weighted sampler, the per-user and
 * per-item minimums, the bounded-memory orders, and byte-for-byte
 * determinism of whole runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../etl/sample.h"
#include "../../etl/sample_gen.h"
#include "../../etl/sample_model.h"
#include "../../etl/sample_order.h"
#include "../../etl/sample_pick.h"
#include "err.h"
#include "log.h"
#include "rng.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct sample_scale stars = { 1, 5, 1 };
static const struct sample_scale halves = { 0.5, 5, 0.5 };

/* Var and MAE-about-the-median of the written rating, sampled, against
 * sample_floor's closed form: within 5 standard errors. */
static void check_floor_mc(const struct sample_scale *s, double sd, double t, struct rng *r)
{
	enum { N = 120000 };
	static double v[N];
	double var, mae, mean = 0;
	sample_floor(s, sd, t, &var, &mae);
	for (int i = 0; i < N; i++) {
		v[i] = sample_scale_code(s, t + sd * rng_normal(r)) * s->step;
		mean += v[i];
	}
	mean /= N;
	double m2 = 0, m4 = 0;
	for (int i = 0; i < N; i++) {
		double d = v[i] - mean;
		m2 += d * d;
		m4 += d * d * d * d;
	}
	m2 /= N;
	m4 /= N;
	double se_var = sqrt(fmax(m4 - m2 * m2, 0) / N);
	if (fabs(m2 - var) > 5 * se_var + 1e-4) {
		print_error("var t=%g sd=%g step=%g: analytic %.6f, sampled %.6f (se %.6f)\n", t, sd,
			    s->step, var, m2, se_var);
		fail();
	}
	/* MAE about the analytic median: the sampled median may differ by a
	 * step when the CDF sits at 0.5, so measure about the mode of the two. */
	double sorted_med;
	{
		int below[64] = { 0 };
		for (int i = 0; i < N; i++)
			below[(int)lround(v[i] / s->step)]++;
		int acc = 0, k = 0;
		while (acc + below[k] < (N + 1) / 2)
			acc += below[k++];
		sorted_med = k * s->step;
	}
	double a = 0, a2 = 0;
	for (int i = 0; i < N; i++) {
		double d = fabs(v[i] - sorted_med);
		a += d;
		a2 += d * d;
	}
	a /= N;
	double se_mae = sqrt(fmax(a2 / N - a * a, 0) / N);
	if (fabs(a - mae) > 5 * se_mae + 2e-3) {
		print_error("mae t=%g sd=%g step=%g: analytic %.6f, sampled %.6f (se %.6f)\n", t, sd,
			    s->step, mae, a, se_mae);
		fail();
	}
}

static void test_floor_matches_monte_carlo(void **state)
{
	(void)state;
	static const double ts[] = { -0.5, 1.0, 2.74, 3.5, 4.2, 4.9, 6.0 };
	static const double sds[] = { 0.3, 0.7, 1.3 };
	struct rng r;
	rng_init(&r, 12345, 0);
	for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++)
		for (size_t j = 0; j < sizeof sds / sizeof sds[0]; j++) {
			check_floor_mc(&stars, sds[j], ts[i], &r);
			check_floor_mc(&halves, sds[j], ts[i], &r);
		}
}

static void test_floor_edges(void **state)
{
	(void)state;
	double var, mae;
	sample_floor(&stars, 0, 3.3, &var, &mae);
	assert_true(var == 0 && mae == 0);
	sample_floor(&stars, 0.5, 40, &var, &mae); /* always 5 */
	assert_true(var < 1e-12 && mae < 1e-12);
	/* Far from the ends, rounding noise wider than the step adds about
	 * step^2/12 (Sheppard): 0.16 + 0.25/12. */
	sample_floor(&halves, 0.4, 2.75, &var, &mae);
	assert_true(fabs(var - (0.16 + 0.25 / 12)) < 0.002);
	/* rounding halves away from zero, clamping at both ends */
	assert_int_equal(sample_scale_code(&stars, 1.5), 2);
	assert_int_equal(sample_scale_code(&stars, 2.49), 2);
	assert_int_equal(sample_scale_code(&stars, -3), 1);
	assert_int_equal(sample_scale_code(&stars, 9), 5);
	assert_int_equal(sample_scale_code(&stars, NAN), 1);
	assert_int_equal(sample_scale_code(&halves, 0.74), 1);
	assert_int_equal(sample_scale_code(&halves, 0.75), 2);
	assert_int_equal(sample_scale_code(&halves, 4.8), 10);
}

static void test_model_structure(void **state)
{
	(void)state;
	struct sample_model m, again;
	struct sample_model_params p = { .seed = 5, .items = 2000, .factors = 8, .mu = 3.8,
					 .noise = 0.7, .scale = stars };
	assert_int_equal(sample_model_init(&m, &p), 0);
	assert_int_equal(sample_model_init(&again, &p), 0);
	assert_memory_equal(m.q, again.q, sizeof *m.q * 2000 * 8);
	assert_memory_equal(m.bias, again.bias, sizeof *m.bias * 2000);
	sample_model_free(&again);
	/* items sit nearer their own genre centre than any other centre */
	uint32_t near = 0, polar = 0;
	for (uint32_t i = 0; i < 2000; i++) {
		double best = INFINITY;
		int arg = -1;
		for (int g = 0; g < SAMPLE_GENRES; g++) {
			double d = 0;
			for (int f = 0; f < 8; f++) {
				double x = m.q[i * 8 + f] / (m.polar[i] ? 3.0 : 1.0) - m.centre[g * 8 + f];
				d += x * x;
			}
			if (d < best) {
				best = d;
				arg = g;
			}
		}
		near += arg == m.genre[i];
		polar += m.polar[i];
	}
	assert_true(near >= 1980);
	assert_int_equal(polar, m.polarising);
	assert_true(polar >= 1 && polar <= 16);
	sample_model_free(&m);
}

static void test_pick(void **state)
{
	(void)state;
	uint64_t w[5] = { 1, 2, 3, 4, 0 };
	struct sample_pick p, fresh;
	struct rng r;
	uint32_t count[5] = { 0 };
	rng_init(&r, 1, 2);
	assert_int_equal(sample_pick_init(&p, w, 5), 0);
	for (int i = 0; i < 100000; i++)
		count[sample_pick_draw(&p, &r)]++;
	assert_int_equal(count[4], 0);
	for (int i = 0; i < 4; i++)
		assert_true(fabs(count[i] / 100000.0 - (i + 1) / 10.0) < 0.01);
	/* remove, draw, restore: exactly the original tree again */
	sample_pick_set(&p, 3, 0);
	sample_pick_set(&p, 1, 0);
	for (int i = 0; i < 1000; i++) {
		uint32_t k = sample_pick_draw(&p, &r);
		assert_true(k == 0 || k == 2);
	}
	sample_pick_set(&p, 1, 2);
	sample_pick_set(&p, 3, 4);
	assert_int_equal(sample_pick_init(&fresh, w, 5), 0);
	assert_memory_equal(p.tree, fresh.tree, sizeof *p.tree * 6);
	assert_int_equal(p.total, 10);
	sample_pick_free(&p);
	sample_pick_free(&fresh);
}

static void make_gen(struct sample_model *m, struct sample_gen *g, uint32_t users, uint32_t items,
		     uint64_t lines, uint32_t min_user, uint32_t min_item)
{
	struct sample_model_params mp = { .seed = 3, .items = items, .factors = 4, .mu = 3.8,
					  .noise = 0.7, .scale = stars };
	struct sample_gen_params gp = {
		.seed = 3, .users = users, .interactions = lines, .zero_share = 0.3,
		.popularity_exponent = 1.0, .activity_exponent = 0.8, .min_per_user = min_user,
		.min_per_item = min_item, .t_start = 1167609600, .t_end = 1509494400,
	};
	assert_int_equal(sample_model_init(m, &mp), 0);
	assert_int_equal(sample_gen_init(g, m, &gp), 0);
}

static void test_minimums(void **state)
{
	(void)state;
	struct sample_model m;
	struct sample_gen g;
	const struct sample_event *ev;
	size_t n;
	/* 500 x 300 with 30k lines: 21k ratings, more than 40 per item and 20
	 * per user need (12k, 10k) */
	make_gen(&m, &g, 500, 300, 30000, 20, 40);
	uint32_t *per_item = calloc(300, sizeof *per_item);
	uint8_t *seen = calloc(300, 1);
	uint64_t ratings = 0, shelved = 0;
	while (sample_gen_next(&g, &ev, &n) > 0) {
		uint32_t rated = 0;
		for (size_t i = 0; i < n; i++) {
			assert_false(seen[ev[i].item]); /* one line per (user, item) */
			seen[ev[i].item] = 1;
			if (ev[i].code) {
				assert_true(ev[i].code >= 1 && ev[i].code <= 5);
				per_item[ev[i].item]++;
				rated++;
			}
		}
		for (size_t i = 0; i < n; i++)
			seen[ev[i].item] = 0;
		assert_true(rated >= 20);
		ratings += rated;
		shelved += n - rated;
	}
	for (uint32_t i = 0; i < 300; i++)
		assert_true(per_item[i] >= 40);
	assert_int_equal(ratings, 21000);
	assert_int_equal(ratings + shelved, 30000);
	/* a second pass is the same pass */
	sample_gen_rewind(&g);
	assert_int_equal(sample_gen_next(&g, &ev, &n), 1);
	struct sample_event first = ev[0];
	sample_gen_rewind(&g);
	assert_int_equal(sample_gen_next(&g, &ev, &n), 1);
	assert_memory_equal(&first, &ev[0], sizeof first);
	free(per_item);
	free(seen);
	sample_gen_free(&g);
	sample_model_free(&m);
}

static void test_impossible_minimums(void **state)
{
	(void)state;
	struct sample_model m;
	struct sample_gen g;
	struct sample_model_params mp = { .seed = 3, .items = 50, .factors = 2, .mu = 3.8,
					  .noise = 0.7, .scale = stars };
	struct sample_gen_params gp = { .seed = 3, .users = 10, .interactions = 100,
					.min_per_user = 60, .t_start = 0, .t_end = 1000 };
	assert_int_equal(sample_model_init(&m, &mp), 0);
	assert_int_equal(sample_gen_init(&g, &m, &gp), GL_EUSAGE);
	gp.min_per_user = 0;
	gp.min_per_item = 11;
	assert_int_equal(sample_gen_init(&g, &m, &gp), GL_EUSAGE);
	sample_model_free(&m);
}

/* Collect lines as emitted. */
struct sink {
	struct sample_event *ev;
	size_t n, cap;
};

static int collect(void *ctx, const struct sample_event *e)
{
	struct sink *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->ev = realloc(s->ev, sizeof *s->ev * s->cap);
		assert_non_null(s->ev);
	}
	s->ev[s->n++] = *e;
	return 0;
}

static int by_identity(const void *a, const void *b)
{
	const struct sample_event *x = a, *y = b;
	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	if (x->detail != y->detail)
		return x->detail < y->detail ? -1 : 1;
	return 0;
}

static void run_order(struct sample_gen *g, enum sample_order o, size_t budget,
		      const uint32_t *key, struct sink *s)
{
	struct sample_order_spec spec = { .order = o, .within = SAMPLE_WITHIN_NEWEST,
					  .book_key = key, .books = 300, .seed = 9,
					  .budget = budget, .emit = collect, .ctx = s };
	memset(s, 0, sizeof *s);
	assert_int_equal(sample_order_run(g, &spec), 0);
}

/* Every order holds the same lines; item order is sorted; and a tiny
 * budget (many regeneration passes) gives exactly the one-pass output. */
static void test_orders(void **state)
{
	(void)state;
	struct sample_model m;
	struct sample_gen g;
	uint32_t key[300];
	struct sink user, item, item_small, rnd, rnd_small;
	make_gen(&m, &g, 400, 300, 20000, 0, 0);
	for (uint32_t b = 0; b < 300; b++)
		key[b] = (b * 7) % 300; /* a bijection, like a rank of ids */
	run_order(&g, SAMPLE_ORDER_USER, 1 << 20, key, &user);
	run_order(&g, SAMPLE_ORDER_ITEM, 1 << 20, key, &item);
	run_order(&g, SAMPLE_ORDER_ITEM, 1500, key, &item_small);
	run_order(&g, SAMPLE_ORDER_RANDOM, 1 << 20, key, &rnd);
	run_order(&g, SAMPLE_ORDER_RANDOM, 1500, key, &rnd_small);
	assert_int_equal(user.n, 20000);
	assert_int_equal(item.n, user.n);
	assert_int_equal(rnd.n, user.n);
	assert_int_equal(item_small.n, user.n);
	assert_int_equal(rnd_small.n, user.n);
	assert_memory_equal(item.ev, item_small.ev, sizeof *item.ev * item.n);
	assert_memory_equal(rnd.ev, rnd_small.ev, sizeof *rnd.ev * rnd.n);
	for (size_t i = 1; i < item.n; i++) {
		uint32_t a = key[item.ev[i - 1].book], b = key[item.ev[i].book];
		assert_true(a < b || (a == b && item.ev[i - 1].user <= item.ev[i].user));
	}
	for (size_t i = 1; i < user.n; i++)
		if (user.ev[i - 1].user == user.ev[i].user)
			assert_true(user.ev[i - 1].when >= user.ev[i].when); /* newest first */
		else
			assert_true(user.ev[i - 1].user < user.ev[i].user);
	qsort(user.ev, user.n, sizeof *user.ev, by_identity);
	qsort(rnd.ev, rnd.n, sizeof *rnd.ev, by_identity);
	assert_memory_equal(user.ev, rnd.ev, sizeof *user.ev * user.n);
	free(user.ev);
	free(item.ev);
	free(item_small.ev);
	free(rnd.ev);
	free(rnd_small.ev);
	sample_gen_free(&g);
	sample_model_free(&m);
}

/* ---- whole runs ---------------------------------------------------------- */

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)len + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
	p[len] = 0;
	fclose(f);
	*n = (size_t)len;
	return p;
}

static void small_opts(struct sample_opts *o, const char *out, uint64_t seed)
{
	sample_opts_default(o);
	o->format = SAMPLE_ALL;
	o->out = out;
	o->seed = seed;
	o->users = 200;
	o->items = 120;
	o->interactions = 4000;
	o->editions = 3;
}

/* Compares every file of a/f with b/f; returns how many differ. */
static int compare_tree(const char *a, const char *b, int *files)
{
	static const char *const sub[] = { "goodreads", "goodreads-genre", "goodreads-csv", "goodbooks",
					   "ml-100k", "ml-1m", "ml-10m", "ml-csv", "ml-kaggle" };
	int differ = 0;
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		char dir[512];
		snprintf(dir, sizeof dir, "%s/%s", a, sub[i]);
		DIR *d = opendir(dir);
		struct dirent *e;
		assert_non_null(d);
		while ((e = readdir(d)) != NULL) {
			char pa[1024], pb[1024];
			size_t na, nb;
			if (e->d_name[0] == '.')
				continue;
			snprintf(pa, sizeof pa, "%s/%s/%s", a, sub[i], e->d_name);
			snprintf(pb, sizeof pb, "%s/%s/%s", b, sub[i], e->d_name);
			char *x = slurp(pa, &na), *y = slurp(pb, &nb);
			assert_non_null(x);
			assert_non_null(y);
			differ += na != nb || memcmp(x, y, na) != 0;
			(*files)++;
			free(x);
			free(y);
		}
		closedir(d);
	}
	return differ;
}

static void test_runs_are_deterministic(void **state)
{
	(void)state;
	char root[] = "sample-test.XXXXXX";
	char a[64], b[64], c[64], cmd[128];
	struct sample_opts o;
	int files = 0;
	assert_non_null(mkdtemp(root));
	snprintf(a, sizeof a, "%s/a", root);
	snprintf(b, sizeof b, "%s/b", root);
	snprintf(c, sizeof c, "%s/c", root);
	small_opts(&o, a, 11);
	assert_int_equal(sample_run(&o), 0);
	small_opts(&o, b, 11);
	assert_int_equal(sample_run(&o), 0);
	small_opts(&o, c, 12);
	assert_int_equal(sample_run(&o), 0);
	assert_int_equal(compare_tree(a, b, &files), 0);
	assert_true(files >= 40);
	files = 0;
	/* another seed changes the data files (not, say, u.info) */
	assert_true(compare_tree(a, c, &files) >= files - 4);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

static void test_bad_options(void **state)
{
	(void)state;
	struct sample_opts o;
	small_opts(&o, "unused", 1);
	o.format = SAMPLE_GOODREADS_GENRE; /* no --genre */
	assert_int_equal(sample_run(&o), GL_EUSAGE);
	small_opts(&o, "unused", 1);
	o.zero_share = 1.0;
	assert_int_equal(sample_run(&o), GL_EUSAGE);
	small_opts(&o, "unused", 1);
	o.interactions = (uint64_t)o.users * o.items + 1;
	assert_int_equal(sample_run(&o), GL_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_floor_matches_monte_carlo),
		cmocka_unit_test(test_floor_edges),
		cmocka_unit_test(test_model_structure),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_minimums),
		cmocka_unit_test(test_impossible_minimums),
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_runs_are_deterministic),
		cmocka_unit_test(test_bad_options),
	};
	log_init("test_sample_model", LOG_QUIET);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
