/* Unit tests for lib/glr's bitmap writer: rows of every length, starting
 * at every bit of a byte, given whole or in pieces, read back bit by bit
 * (whole bytes are packed eight flags at a time, the rest one by one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "glr.h"
#include "log.h"

#include <stdlib.h>
#include <unistd.h>

static uint64_t state = 0x2545f4914f6cdd1dull;
static uint32_t rnd(uint32_t n)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)(state % n);
}

static void test_bitmaps_round_trip(void **unused)
{
	(void)unused;
	enum { USERS = 300, MAXROW = 41 };
	uint64_t len[USERS], total = 0;
	for (int u = 0; u < USERS; u++)
		total += len[u] = rnd(MAXROW);
	uint32_t *items = calloc(total, sizeof *items);
	uint8_t *rates = calloc(total, 1), *bits = malloc(total);
	assert_non_null(items);
	assert_non_null(rates);
	assert_non_null(bits);
	for (uint64_t k = 0; k < total; k++)
		bits[k] = (uint8_t)rnd(8); /* read, valid and reviewed at random */
	struct glr_meta m = {.n_users = USERS, .n_items = 1, .n_ratings = total, .scale = 1,
			     .has_read = 1, .has_reviewed = 1, .has_split = 1};
	struct glr_writer *w;
	assert_int_equal(glr_writer_open(&w, "b.glr", &m), 0);
	uint64_t at = 0;
	for (int u = 0; u < USERS; u++) {
		if (u % 2) { /* in two pieces */
			uint64_t a = len[u] ? rnd((uint32_t)len[u] + 1) : 0;
			assert_int_equal(glr_writer_append(w, items + at, rates + at, NULL, bits + at, a), 0);
			assert_int_equal(glr_writer_append(w, items + at + a, rates + at + a, NULL,
							   bits + at + a, len[u] - a),
					 0);
			assert_int_equal(glr_writer_end_row(w), 0);
		} else {
			assert_int_equal(glr_writer_row(w, items + at, rates + at, NULL, bits + at, len[u]),
					 0);
		}
		at += len[u];
	}
	assert_int_equal(glr_writer_commit(w), 0);
	struct glr g;
	assert_int_equal(glr_open(&g, "b.glr", 0), 0);
	for (uint64_t k = 0; k < total; k++) {
		assert_int_equal(glr_bit(g.read, k), !!(bits[k] & GLR_BIT_READ));
		assert_int_equal(glr_bit(g.split, k), !!(bits[k] & GLR_BIT_VALID));
		assert_int_equal(glr_bit(g.reviewed, k), !!(bits[k] & GLR_BIT_REVIEWED));
	}
	glr_close(&g);
	unlink("b.glr");
	free(items);
	free(rates);
	free(bits);
}

int main(void)
{
	log_init("test_glrbits", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitmaps_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
