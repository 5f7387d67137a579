/* Unit tests for join/usort's radix sort of keys whose low halves already
 * ascend: the same order as the comparison sort, whatever the spread of the
 * high halves (bytes every key shares are skipped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../join/usort.h"

#include <stdlib.h>
#include <string.h>

static uint64_t state = 88172645463325252ull;
static uint64_t rnd(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static void test_radix_equals_sort(void **unused)
{
	(void)unused;
	enum { MAX = 6000 };
	uint64_t *a = malloc(MAX * sizeof *a), *b = malloc(MAX * sizeof *b);
	uint64_t *tmp = malloc(MAX * sizeof *tmp);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(tmp);
	/* high halves below 1, 2^8, 2^16, 2^24, 2^32, and all alike but one byte */
	static const uint64_t spread[] = {1, 1u << 8, 1u << 16, 1u << 24, 1ull << 32, 0};
	for (int round = 0; round < 400; round++) {
		size_t n = round < 200 ? rnd() % 300 : rnd() % MAX;
		uint64_t s = spread[round % 6];
		for (size_t i = 0; i < n; i++) {
			uint64_t hi = s ? rnd() % s : 0x12340000u | (rnd() & 0xff00);
			a[i] = hi << 32 | i;
		}
		memcpy(b, a, n * sizeof *a);
		usort_u64(b, n);
		usort_u64_hi(a, tmp, n);
		assert_memory_equal(a, b, n * sizeof *a);
	}
	free(a);
	free(b);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_radix_equals_sort),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
