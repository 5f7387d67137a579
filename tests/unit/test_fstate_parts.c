/* Unit tests for the filter's passes over parts of the users
 * (fstate_each): where the users are cut, and that zeros, range, dedupe
 * and the k-core leave the same state on any number of threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../join/dedupe.h"
#include "../../join/fstate.h"
#include "../../join/kcore.h"
#include "../../join/ratingsel.h"
#include "glr.h"
#include "rng.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NU 300
#define NI 40
#define MAXROW 90

/* A raw file of NU users with 0..MAXROW-1 ratings each, items drawn from a
 * skewed range (so duplicates and rare items are common), rating bytes
 * 0..10, times with ties. */
static void make_raw(const char *path, uint64_t seed)
{
	struct rng r;
	rng_init(&r, seed, 0);
	uint64_t n = 0;
	uint32_t *len = malloc(NU * sizeof *len);
	for (uint32_t u = 0; u < NU; u++)
		n += len[u] = (uint32_t)rng_below(&r, u % 7 ? MAXROW / 3 : MAXROW);
	struct glr_meta m = {.n_users = NU, .n_items = NI, .n_ratings = n, .scale = 0.5f,
			     .has_times = 1};
	struct glr_writer *w;
	assert_int_equal(glr_writer_open(&w, path, &m), 0);
	for (uint32_t u = 0; u < NU; u++) {
		uint32_t items[MAXROW], tt[MAXROW];
		uint8_t rr[MAXROW];
		for (uint32_t j = 0; j < len[u]; j++) {
			items[j] = (uint32_t)rng_below(&r, 1 + rng_below(&r, NI));
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
		assert_int_equal(span[sc.n - 1][1], NU);
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
		assert_int_equal(sc.u1[0], NU);
		fstate_free(&s);
	}
	glr_close(&g);
	unlink("p.glr");
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
				assert_memory_equal(s.ucount, one.ucount, NU * sizeof *s.ucount);
				assert_memory_equal(s.icount, one.icount, NI * sizeof *s.icount);
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
		cmocka_unit_test(test_cuts),
		cmocka_unit_test(test_same_on_any_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
