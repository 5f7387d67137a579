/* Unit tests for lib/intern: packed keys, the switch to strings, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "intern.h"

#include <stdio.h>
#include <string.h>

static uint32_t put(struct intern *t, const char *k, int want_new)
{
	uint32_t id;
	assert_int_equal(intern_put(t, k, strlen(k), &id), want_new);
	return id;
}

static void assert_key(const struct intern *t, uint32_t id, const char *k)
{
	char buf[128];
	assert_int_equal(intern_key(t, id, buf, sizeof buf), strlen(k));
	assert_string_equal(buf, k);
}

static void test_hex_keys_pack(void **state)
{
	(void)state;
	struct intern t;
	intern_init(&t, 0);
	char k[40];
	for (int i = 0; i < 50000; i++) {
		snprintf(k, sizeof k, "%016x%016x", i * 2654435761u, i);
		assert_int_equal(put(&t, k, 1), (uint32_t)i);
	}
	assert_int_equal(t.mode, INTERN_HEX);
	for (int i = 49999; i >= 0; i -= 7) {
		snprintf(k, sizeof k, "%016x%016x", i * 2654435761u, i);
		assert_int_equal(put(&t, k, 0), (uint32_t)i);
		assert_key(&t, (uint32_t)i, k);
	}
	/* Well under 33 bytes a key plus a pointer. */
	assert_true(intern_memory(&t) / t.n < 48);
	intern_free(&t);
}

static void test_numbers_then_switch_to_strings(void **state)
{
	(void)state;
	struct intern t;
	intern_init(&t, 0);
	assert_int_equal(put(&t, "24375664", 1), 0);
	assert_int_equal(put(&t, "0", 1), 1);
	assert_int_equal(put(&t, "18446744073709551615", 1), 2); /* 20 digits: not packed */
	assert_int_equal(t.mode, INTERN_STR);
	assert_int_equal(put(&t, "007", 1), 3);                 /* leading zeros kept */
	assert_int_equal(put(&t, "7", 1), 4);
	assert_int_equal(put(&t, "24375664", 0), 0);
	assert_key(&t, 0, "24375664");
	assert_key(&t, 2, "18446744073709551615");
	assert_key(&t, 3, "007");
	uint32_t id;
	assert_int_equal(intern_find(&t, "0", 1, &id), 1);
	assert_int_equal(id, 1);
	assert_int_equal(intern_find(&t, "8", 1, &id), 0);
	intern_free(&t);
}

static void test_empty_and_odd_keys(void **state)
{
	(void)state;
	struct intern t;
	intern_init(&t, 0);
	assert_int_equal(put(&t, "", 1), 0);
	assert_int_equal(put(&t, "caf\xc3\xa9, \"x\"", 1), 1);
	assert_int_equal(put(&t, "", 0), 0);
	assert_key(&t, 1, "caf\xc3\xa9, \"x\"");
	assert_key(&t, 0, "");
	intern_free(&t);
}

static void test_limit(void **state)
{
	(void)state;
	struct intern t;
	uint32_t id;
	intern_init(&t, 2);
	put(&t, "1", 1);
	put(&t, "2", 1);
	assert_int_equal(intern_put(&t, "3", 1, &id), GL_ELIMIT);
	assert_int_equal(put(&t, "2", 0), 1);
	intern_free(&t);
}

/* A hash worked out before the table changed mode still gives the right
 * id; one from the same mode gives what intern_put gives. */
static void test_hashed_hints(void **state)
{
	(void)state;
	struct intern t;
	intern_init(&t, 0);
	uint32_t id;
	struct intern_hkey early, h7;
	intern_hash(&t, "5", 1, &early); /* empty table: no hint */
	assert_int_equal(intern_put_hashed(&t, "5", 1, &early, &id), 1);
	assert_int_equal(id, 0);
	intern_hash(&t, "7", 1, &h7);
	intern_prefetch_hashed(&t, &h7, 0);
	intern_prefetch_hashed(&t, &h7, 1);
	for (int i = 0; i < 5000; i++) { /* rehashes in between */
		char k[16];
		snprintf(k, sizeof k, "%d", 100 + i);
		assert_int_equal(intern_put(&t, k, strlen(k), &id), 1);
	}
	assert_int_equal(intern_put_hashed(&t, "7", 1, &h7, &id), 1);
	assert_int_equal(id, 5001);
	assert_int_equal(intern_put_hashed(&t, "7", 1, &h7, &id), 0);
	assert_int_equal(id, 5001);
	intern_hash(&t, "150", 3, &h7);
	assert_int_equal(intern_put(&t, "x", 1, &id), 1); /* now strings */
	intern_prefetch_hashed(&t, &h7, 1);
	assert_int_equal(intern_put_hashed(&t, "150", 3, &h7, &id), 0);
	assert_int_equal(id, 51);
	assert_key(&t, 5001, "7");
	intern_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_keys_pack),
		cmocka_unit_test(test_numbers_then_switch_to_strings),
		cmocka_unit_test(test_empty_and_odd_keys),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_hashed_hints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
