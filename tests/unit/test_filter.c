/* Unit tests for the filter's modules: join/usort, fstate, dedupe, kcore,
 * topn, usample, split, ratingsel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../join/dedupe.h"
#include "../../join/fstate.h"
#include "../../join/kcore.h"
#include "../../join/ratingsel.h"
#include "../../join/filter_split.h"
#include "../../join/topn.h"
#include "../../join/filter_usample.h"
#include "../../join/usort.h"
#include "err.h"
#include "glr.h"
#include "log.h"
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void test_usort_matches_qsort(void **state)
{
	(void)state;
	struct rng r;
	rng_init(&r, 1, 0);
	size_t sizes[] = {0, 1, 2, 3, 23, 24, 25, 100, 1000, 100000};
	uint64_t *a = malloc(100000 * sizeof *a), *b = malloc(100000 * sizeof *b);
	for (int pattern = 0; pattern < 5; pattern++)
		for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
			size_t n = sizes[s];
			for (size_t i = 0; i < n; i++) {
				switch (pattern) {
				case 0: a[i] = rng_u64(&r); break;
				case 1: a[i] = rng_below(&r, 4); break;     /* many equal */
				case 2: a[i] = i; break;                     /* sorted */
				case 3: a[i] = n - i; break;                 /* reversed */
				default: a[i] = i % 2 ? UINT64_MAX : i / 2;  /* organ pipe-ish */
				}
				b[i] = a[i];
			}
			usort_u64(a, n);
			qsort(b, n, sizeof *b, cmp_u64);
			assert_memory_equal(a, b, n * sizeof *a);
		}
	free(a);
	free(b);
}

/* A raw file from (user, item, rating byte, time) rows grouped by user. */
struct row4 {
	uint32_t u, i;
	uint8_t r;
	uint32_t t;
};

static void make_glr(const char *path, const struct row4 *rows, size_t n, uint32_t nu,
		     uint32_t ni, float scale, int times)
{
	struct glr_meta m = {.n_users = nu, .n_items = ni, .n_ratings = n, .scale = scale,
			     .has_times = times};
	struct glr_writer *w;
	assert_int_equal(glr_writer_open(&w, path, &m), 0);
	size_t at = 0;
	for (uint32_t u = 0; u < nu; u++) {
		uint32_t items[64], tt[64];
		uint8_t rr[64];
		size_t k = 0;
		for (; at < n && rows[at].u == u; at++, k++) {
			items[k] = rows[at].i;
			rr[k] = rows[at].r;
			tt[k] = rows[at].t;
		}
		assert_int_equal(glr_writer_row(w, items, rr, times ? tt : NULL, NULL, k), 0);
	}
	assert_int_equal(glr_writer_commit(w), 0);
}

/* The counts agree with the keep bits. */
static void check_counts(const struct fstate *s)
{
	const struct glr *g = s->g;
	uint64_t kept = 0;
	uint32_t *ic = calloc(s->n_items + 1, sizeof *ic);
	for (uint64_t u = 0; u < g->n_users; u++) {
		uint32_t c = 0;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (fstate_kept(s, k)) {
				c++;
				ic[fstate_item(s, k)]++;
			}
		assert_int_equal(c, s->ucount[u]);
		kept += c;
	}
	for (uint64_t i = 0; i < s->n_items; i++)
		assert_int_equal(ic[i], s->icount[i]);
	assert_int_equal(kept, s->kept);
	free(ic);
}

static void test_dedupe_modes(void **state)
{
	(void)state;
	/* user 0 rated item 1 three times (times 5, 9, 9) and item 2 once;
	 * user 1 rated item 0 twice with no time difference. */
	const struct row4 rows[] = {{0, 1, 6, 5}, {0, 1, 9, 9}, {0, 2, 4, 1}, {0, 1, 8, 9},
				    {1, 0, 2, 0}, {1, 0, 3, 0}};
	make_glr("d.glr", rows, 6, 2, 3, 0.5f, 1);
	struct glr g;
	assert_int_equal(glr_open(&g, "d.glr", 0), 0);
	struct fstate s;
	uint64_t pairs;
	/* latest: time 9 ties between k=1 and k=3: the later (k=3) wins */
	assert_int_equal(fstate_init(&s, &g), 0);
	assert_int_equal(dedupe_run(&s, DEDUPE_LATEST, &pairs), 0);
	assert_int_equal(pairs, 2);
	assert_int_equal(s.kept, 3);
	assert_true(fstate_kept(&s, 3) && fstate_kept(&s, 2) && fstate_kept(&s, 5));
	check_counts(&s);
	fstate_free(&s);
	/* first: time 5 (k=0); for user 1 the earlier in the file (k=4) */
	assert_int_equal(fstate_init(&s, &g), 0);
	assert_int_equal(dedupe_run(&s, DEDUPE_FIRST, &pairs), 0);
	assert_true(fstate_kept(&s, 0) && fstate_kept(&s, 4) && !fstate_kept(&s, 5));
	check_counts(&s);
	fstate_free(&s);
	/* mean: (6 + 9 + 8) / 3 = 7.67 -> 8; (2 + 3) / 2 = 2.5 -> 3 (halves up) */
	assert_int_equal(fstate_init(&s, &g), 0);
	assert_int_equal(dedupe_run(&s, DEDUPE_MEAN, &pairs), 0);
	assert_int_equal(fstate_value(&s, 3), 8);
	assert_int_equal(fstate_value(&s, 5), 3);
	assert_int_equal(g.ratings[5], 3); /* the mapped file is untouched */
	assert_int_equal(g.ratings[3], 8);
	assert_int_equal(s.kept, 3);
	fstate_free(&s);
	/* drop-all: only the single rating survives */
	assert_int_equal(fstate_init(&s, &g), 0);
	assert_int_equal(dedupe_run(&s, DEDUPE_DROP_ALL, &pairs), 0);
	assert_int_equal(s.kept, 1);
	assert_true(fstate_kept(&s, 2));
	check_counts(&s);
	fstate_free(&s);
	glr_close(&g);
	unlink("d.glr");
}

/* The (U, I)-core by brute force: repeat whole-set recounts until stable. */
static uint64_t brute_core(const struct row4 *rows, size_t n, uint8_t *alive, uint32_t nu,
			   uint32_t ni, uint32_t U, uint32_t I)
{
	uint32_t *cu = malloc(nu * sizeof *cu), *ci = malloc(ni * sizeof *ci);
	int changed = 1;
	while (changed) {
		changed = 0;
		memset(cu, 0, nu * sizeof *cu);
		memset(ci, 0, ni * sizeof *ci);
		for (size_t k = 0; k < n; k++)
			if (alive[k])
				cu[rows[k].u]++, ci[rows[k].i]++;
		for (size_t k = 0; k < n; k++)
			if (alive[k] && (cu[rows[k].u] < U || ci[rows[k].i] < I))
				alive[k] = 0, changed = 1;
	}
	uint64_t left = 0;
	for (size_t k = 0; k < n; k++)
		left += alive[k];
	free(cu);
	free(ci);
	return left;
}

static void test_kcore_is_the_core(void **state)
{
	(void)state;
	struct rng r;
	rng_init(&r, 7, 0);
	enum { NU = 60, NI = 40, MAXN = NU * 12 };
	struct row4 *rows = malloc(MAXN * sizeof *rows);
	uint8_t *alive = malloc(MAXN);
	for (int trial = 0; trial < 20; trial++) {
		size_t n = 0;
		for (uint32_t u = 0; u < NU; u++) {
			uint32_t len = (uint32_t)rng_below(&r, 12);
			uint8_t seen[NI] = {0};
			for (uint32_t j = 0; j < len; j++) {
				uint32_t i = (uint32_t)rng_below(&r, 1 + rng_below(&r, NI));
				if (seen[i]++)
					continue;
				rows[n++] = (struct row4){u, i, 4, 0};
			}
		}
		make_glr("k.glr", rows, n, NU, NI, 0.5f, 0);
		struct glr g;
		assert_int_equal(glr_open(&g, "k.glr", 0), 0);
		struct fstate s;
		assert_int_equal(fstate_init(&s, &g), 0);
		uint32_t U = 1 + trial % 5, I = 1 + trial % 4, passes;
		kcore_run(&s, U, I, &passes);
		memset(alive, 1, n);
		uint64_t want = brute_core(rows, n, alive, NU, NI, U, I);
		assert_int_equal(s.kept, want);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(fstate_kept(&s, k), alive[k]);
		check_counts(&s);
		for (uint32_t u = 0; u < NU; u++)
			assert_true(s.ucount[u] == 0 || s.ucount[u] >= U);
		fstate_free(&s);
		glr_close(&g);
	}
	free(rows);
	free(alive);
	unlink("k.glr");
}

static void test_topn_ties_and_sample(void **state)
{
	(void)state;
	/* item counts: 0 -> 2, 1 -> 3, 2 -> 2, 3 -> 1 */
	const struct row4 rows[] = {{0, 0, 2, 0}, {0, 1, 2, 0}, {1, 1, 2, 0}, {1, 2, 2, 0},
				    {2, 1, 2, 0}, {2, 0, 2, 0}, {3, 2, 2, 0}, {3, 3, 2, 0}};
	make_glr("t.glr", rows, 8, 4, 4, 0.5f, 0);
	struct glr g;
	assert_int_equal(glr_open(&g, "t.glr", 0), 0);
	struct fstate s;
	assert_int_equal(fstate_init(&s, &g), 0);
	uint32_t *order;
	uint64_t m;
	assert_int_equal(topn_rank(&s, &order, &m), 0);
	assert_int_equal(m, 4);
	uint32_t want[] = {1, 0, 2, 3}; /* ties (0 and 2) go to the lower id */
	assert_memory_equal(order, want, sizeof want);
	free(order);
	assert_int_equal(topn_run(&s, 2), 0);
	assert_int_equal(s.kept, 5);
	assert_int_equal(s.icount[2] + s.icount[3], 0);
	check_counts(&s);
	fstate_free(&s);
	/* Sampling: exactly the count asked, users whole, seed-determined. */
	uint64_t users, items;
	for (uint64_t seed = 0; seed < 8; seed++) {
		assert_int_equal(fstate_init(&s, &g), 0);
		assert_int_equal(usample_count(&s, 0.5), 2);
		usample_run(&s, 2, seed);
		fstate_census(&s, &users, &items);
		assert_int_equal(users, 2);
		uint64_t mask = 0;
		for (uint32_t u = 0; u < 4; u++) {
			assert_true(s.ucount[u] == 0 || s.ucount[u] == 2);
			mask |= (uint64_t)(s.ucount[u] != 0) << u;
		}
		fstate_free(&s);
		assert_int_equal(fstate_init(&s, &g), 0);
		usample_run(&s, 2, seed);
		for (uint32_t u = 0; u < 4; u++)
			assert_int_equal((mask >> u) & 1, s.ucount[u] != 0);
		fstate_free(&s);
	}
	glr_close(&g);
	unlink("t.glr");
}

static void test_zeros_and_range(void **state)
{
	(void)state;
	const struct row4 rows[] = {{0, 0, 0, 0}, {0, 1, 7, 0}, {1, 0, 10, 0}, {1, 1, 0, 0}};
	make_glr("z.glr", rows, 4, 2, 2, 0.5f, 0);
	struct glr g;
	assert_int_equal(glr_open(&g, "z.glr", 0), 0);
	struct fstate s;
	assert_int_equal(fstate_init(&s, &g), 0);
	assert_int_equal(ratingsel_zeros(&s, ZEROS_IMPLICIT), 0);
	assert_int_equal(s.kept, 2);
	assert_int_equal(fstate_value(&s, 0), 2); /* 1 star at scale 0.5 */
	assert_int_equal(fstate_value(&s, 3), 2);
	check_counts(&s);
	fstate_free(&s);
	assert_int_equal(fstate_init(&s, &g), 0);
	assert_int_equal(ratingsel_zeros(&s, ZEROS_DROP), 0);
	ratingsel_range(&s, 3.5, 4.5);
	assert_int_equal(s.kept, 1);
	assert_true(fstate_kept(&s, 1));
	fstate_free(&s);
	glr_close(&g);
	/* A scale that cannot hold 1 star: implicit fails with a message. */
	make_glr("z3.glr", rows, 4, 2, 2, 0.3f, 0);
	assert_int_equal(glr_open(&g, "z3.glr", 0), 0);
	assert_int_equal(fstate_init(&s, &g), 0);
	log_init("test", LOG_QUIET);
	assert_int_equal(ratingsel_zeros(&s, ZEROS_IMPLICIT_ALL), GL_EFORMAT);
	log_init("test", LOG_NORMAL);
	fstate_free(&s);
	glr_close(&g);
	unlink("z.glr");
	unlink("z3.glr");
}

static void test_split_time_ties(void **state)
{
	(void)state;
	/* times 1..3 with four ratings at time 2: 40% of 10 = 4 valid: the
	 * two at time 3 and the last two at time 2 in output order. */
	const struct row4 rows[] = {{0, 0, 2, 1}, {0, 1, 2, 2}, {0, 2, 2, 3}, {1, 0, 2, 2},
				    {1, 1, 2, 1}, {1, 2, 2, 2}, {2, 0, 2, 3}, {2, 1, 2, 2},
				    {2, 2, 2, 1}, {2, 3, 2, 1}};
	make_glr("s.glr", rows, 10, 3, 4, 0.5f, 1);
	struct glr g;
	assert_int_equal(glr_open(&g, "s.glr", 0), 0);
	struct fstate s;
	assert_int_equal(fstate_init(&s, &g), 0);
	struct split_opts o;
	assert_int_equal(split_parse("time:0.4", &o), 0);
	struct splitter sp;
	assert_int_equal(split_init(&sp, &o, &s, 1), 0);
	assert_int_equal(sp.cutoff, 2);
	uint8_t valid[10] = {0};
	for (uint32_t u = 0; u < 3; u++) {
		uint64_t raw[4];
		size_t n = 0;
		for (uint64_t k = g.rowptr[u]; k < g.rowptr[u + 1]; k++)
			raw[n++] = k;
		uint8_t bits[4] = {0};
		assert_int_equal(split_row(&sp, u, raw, n, bits), 0);
		for (size_t i = 0; i < n; i++)
			valid[raw[i]] = bits[i] & GLR_BIT_VALID ? 1 : 0;
	}
	uint8_t want[10] = {0, 0, 1, 0, 0, 1, 1, 1, 0, 0};
	assert_memory_equal(valid, want, 10);
	split_free(&sp);
	/* Parsing */
	log_init("test", LOG_QUIET);
	assert_int_equal(split_parse("last:3", &o), 0);
	assert_int_equal(o.kind, SPLIT_LAST);
	assert_int_equal(o.k, 3);
	assert_int_equal(split_parse("none", &o), 0);
	assert_int_equal(o.kind, SPLIT_NONE);
	assert_int_equal(split_parse("random:", &o), GL_EUSAGE);
	assert_int_equal(split_parse("last:-1", &o), GL_EUSAGE);
	assert_int_equal(split_parse("time:0.5x", &o), GL_EUSAGE);
	assert_int_equal(split_parse("halves", &o), GL_EUSAGE);
	log_init("test", LOG_NORMAL);
	fstate_free(&s);
	glr_close(&g);
	unlink("s.glr");
}

/* The passes over parts of the users (fstate_each): where the users are
 * cut, and that zeros, range, dedupe and the k-core leave the same state
 * on any number of threads. */
#define P_NU 300
#define P_NI 40
#define P_MAXROW 90

/* A raw file of P_NU users with 0..P_MAXROW-1 ratings each, items drawn from a
 * skewed range (so duplicates and rare items are common), rating bytes
 * 0..10, times with ties. */
static void make_raw(const char *path, uint64_t seed)
{
	struct rng r;
	rng_init(&r, seed, 0);
	uint64_t n = 0;
	uint32_t *len = malloc(P_NU * sizeof *len);
	for (uint32_t u = 0; u < P_NU; u++)
		n += len[u] = (uint32_t)rng_below(&r, u % 7 ? P_MAXROW / 3 : P_MAXROW);
	struct glr_meta m = {.n_users = P_NU, .n_items = P_NI, .n_ratings = n, .scale = 0.5f,
			     .has_times = 1};
	struct glr_writer *w;
	assert_int_equal(glr_writer_open(&w, path, &m), 0);
	for (uint32_t u = 0; u < P_NU; u++) {
		uint32_t items[P_MAXROW], tt[P_MAXROW];
		uint8_t rr[P_MAXROW];
		for (uint32_t j = 0; j < len[u]; j++) {
			items[j] = (uint32_t)rng_below(&r, 1 + rng_below(&r, P_NI));
			rr[j] = (uint8_t)rng_below(&r, 11);
			tt[j] = (uint32_t)rng_below(&r, 4);
		}
		assert_int_equal(glr_writer_row(w, items, rr, tt, NULL, len[u]), 0);
	}
	assert_int_equal(glr_writer_commit(w), 0);
	free(len);
}

struct seen_chunks {
	uint64_t u0[1024], u1[1024];
	int worker[1024];
	int n;   /* chunks run (atomic) */
};

static void note_chunk(struct fpart *p)
{
	struct seen_chunks *sc = p->arg;
	int c = __atomic_fetch_add(&sc->n, 1, __ATOMIC_RELAXED);
	if (c < 1024) {
		sc->u0[c] = p->u0;
		sc->u1[c] = p->u1;
		sc->worker[c] = p->index;
	}
}

static int by_start(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* The chunks cover the users once, each but the first starting on a whole
 * byte of keep, run by workers 0..threads-1; a file too small for two
 * workers runs as one chunk on this thread. */
static void test_cuts(void **state)
{
	(void)state;
	make_raw("p.glr", 3);
	struct glr g;
	assert_int_equal(glr_open(&g, "p.glr", 0), 0);
	for (int threads = 1; threads <= FSTATE_MAX_PARTS + 2; threads++) {
		struct fstate s;
		assert_int_equal(fstate_init_threads(&s, &g, threads), 0);
		s.part_min = 64;
		static struct seen_chunks sc;
		memset(&sc, 0, sizeof sc);
		assert_int_equal(fstate_each(&s, note_chunk, &sc), 0);
		assert_true(sc.n >= 1 && sc.n <= 1024);
		if (threads > 1)
			assert_true(sc.n > threads / 2); /* room for most cuts */
		else
			assert_int_equal(sc.n, 1);
		uint64_t span[1024][2];
		for (int c = 0; c < sc.n; c++) {
			span[c][0] = sc.u0[c];
			span[c][1] = sc.u1[c];
			assert_true(sc.worker[c] >= 0 && sc.worker[c] < threads);
			assert_true(sc.worker[c] < FSTATE_MAX_PARTS);
			assert_true(sc.u0[c] < sc.u1[c]);
		}
		qsort(span, (size_t)sc.n, sizeof span[0], by_start);
		assert_int_equal(span[0][0], 0);
		assert_int_equal(span[sc.n - 1][1], P_NU);
		for (int c = 1; c < sc.n; c++) {
			assert_int_equal(span[c][0], span[c - 1][1]);
			assert_int_equal(g.rowptr[span[c][0]] % 8, 0);
		}
		/* a worker has part_min ratings at least: one chunk below twice that */
		s.part_min = g.n_ratings / 2 + 1;
		memset(&sc, 0, sizeof sc);
		assert_int_equal(fstate_each(&s, note_chunk, &sc), 0);
		assert_int_equal(sc.n, 1);
		assert_int_equal(sc.worker[0], 0);
		assert_int_equal(sc.u0[0], 0);
		assert_int_equal(sc.u1[0], P_NU);
		fstate_free(&s);
	}
	glr_close(&g);
	unlink("p.glr");
}

/* One recipe's steps. */
static void steps(struct fstate *s, int zeros, int range, int dedupe, uint32_t mu, uint32_t mi,
		  uint64_t *pairs)
{
	assert_int_equal(ratingsel_zeros(s, zeros), 0);
	if (range)
		assert_int_equal(ratingsel_range(s, 1.0, 4.0), 0);
	assert_int_equal(dedupe_run(s, dedupe, pairs), 0);
	assert_int_equal(kcore_run(s, mu, mi, NULL), 0);
}

/* Every recipe leaves the same keep bits, counts and values on 2, 3 and 5
 * threads (parts of a few users each) as on one. */
static void test_same_on_any_threads(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		make_raw("q.glr", seed);
		struct glr g;
		assert_int_equal(glr_open(&g, "q.glr", 0), 0);
		uint64_t nbytes = (g.n_ratings + 7) / 8;
		for (int recipe = 0; recipe < 16; recipe++) {
			int zeros = recipe % 4, range = recipe % 3 == 1, dedupe = recipe / 4;
			uint32_t mu = (uint32_t)(1 + recipe % 5), mi = (uint32_t)(1 + recipe % 7);
			struct fstate one;
			uint64_t pairs1, pairs;
			assert_int_equal(fstate_init(&one, &g), 0);
			steps(&one, zeros, range, dedupe, mu, mi, &pairs1);
			check_counts(&one);
			for (int threads = 2; threads <= 5; threads += threads == 2 ? 1 : 2) {
				struct fstate s;
				assert_int_equal(fstate_init_threads(&s, &g, threads), 0);
				s.part_min = 64;
				steps(&s, zeros, range, dedupe, mu, mi, &pairs);
				check_counts(&s);
				assert_int_equal(pairs, pairs1);
				assert_int_equal(s.kept, one.kept);
				assert_memory_equal(s.keep, one.keep, nbytes);
				assert_memory_equal(s.ucount, one.ucount, P_NU * sizeof *s.ucount);
				assert_memory_equal(s.icount, one.icount, P_NI * sizeof *s.icount);
				assert_int_equal(s.rating != NULL, one.rating != NULL);
				if (s.rating)
					assert_memory_equal(s.rating, one.rating, g.n_ratings);
				fstate_free(&s);
			}
			fstate_free(&one);
		}
		glr_close(&g);
	}
	unlink("q.glr");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usort_matches_qsort),
		cmocka_unit_test(test_dedupe_modes),
		cmocka_unit_test(test_kcore_is_the_core),
		cmocka_unit_test(test_topn_ties_and_sample),
		cmocka_unit_test(test_zeros_and_range),
		cmocka_unit_test(test_split_time_ties),
		cmocka_unit_test(test_cuts),
		cmocka_unit_test(test_same_on_any_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
