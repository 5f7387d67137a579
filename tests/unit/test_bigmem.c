/* Unit tests for lib/bigmem: zeroed memory of both kinds, and reallocs
 * across the size at which the kind changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bigmem.h"

#include <string.h>

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void test_zeroed_and_aligned(void **state)
{
	(void)state;
	unsigned char *small = big_alloc(1000);
	unsigned char *large = big_alloc(BIGMEM_MIN + 123);
	assert_non_null(small);
	assert_non_null(large);
	assert_true(all_zero(small, 1000));
	assert_true(all_zero(large, BIGMEM_MIN + 123));
	assert_int_equal((uintptr_t)large % (2u << 20), 0);
	memset(large, 7, BIGMEM_MIN + 123);
	big_free(small, 1000);
	big_free(large, BIGMEM_MIN + 123);
}

static void test_realloc_across_kinds(void **state)
{
	(void)state;
	/* big sizes grow (moved by mremap), shrink within a huge page and past
	 * one, and grow again over bytes written before the shrink */
	size_t sizes[] = {100, BIGMEM_MIN - 1, BIGMEM_MIN, 3 * BIGMEM_MIN + 5, 9 * BIGMEM_MIN,
			  BIGMEM_MIN + 1, 2 * BIGMEM_MIN - 7, 3 * BIGMEM_MIN, 64};
	size_t old = 0;
	unsigned char *p = NULL;
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		size_t n = sizes[i];
		p = big_realloc(p, old, n);
		assert_non_null(p);
		size_t keep = old < n ? old : n;
		for (size_t k = 0; k < keep; k += 4096)
			assert_int_equal(p[k], (unsigned char)(k / 4096 + 1));
		assert_true(n <= keep || all_zero(p + keep, n - keep));
		for (size_t k = 0; k < n; k += 4096)
			p[k] = (unsigned char)(k / 4096 + 1);
		old = n;
	}
	big_free(p, old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed_and_aligned),
		cmocka_unit_test(test_realloc_across_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
