/* Unit tests for lib/keytab: a dimension table's keys by dense id, their
 * fingerprint (the value docs/FORMAT.md defines, computed apart in Python
 * for the table below), and the tables it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "glr.h"
#include "keytab.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_keys_and_fingerprint(void **state)
{
	(void)state;
	struct keytab t;
	uint32_t id;
	/* ids 0 and 1 in any order; id 2 has no row */
	put("k.csv", "item,movie_id,title\n1,x,\"A, b\"\n0,10,Ten\n");
	assert_int_equal(keytab_open(&t, "k.csv", "item", 3), 0);
	assert_string_equal(t.key_name, "movie_id");
	int title = keytab_keep(&t, "title");
	assert_int_equal(title, 1);
	assert_int_equal(keytab_keep(&t, "nope"), -1);
	assert_int_equal(keytab_read(&t), 0);
	assert_int_equal(t.rows, 2);
	assert_string_equal(keytab_key(&t, 0), "10");
	assert_string_equal(keytab_key(&t, 1), "x");
	assert_string_equal(keytab_key(&t, 2), "");
	assert_string_equal(keytab_get(&t, 1, title), "A, b");
	assert_null(keytab_get(&t, 2, title));
	assert_int_equal(keytab_find(&t, "x", &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(keytab_find(&t, "1", &id), -1); /* a dense id is not a key */
	/* FNV-1a 64 over "10" 0xff "x" 0xff 0xff */
	assert_true(keytab_fingerprint(&t) == 0x1621144159c08269ull);
	assert_int_equal(keytab_keys_are_integers(&t), 0);
	assert_int_equal(keytab_require_all(&t, "items", "r.glr"), GL_EFORMAT);
	struct glm_keys k;
	keytab_glm_keys(&t, &k);
	assert_string_equal(k.col, "movie_id");
	int unchecked;
	assert_int_equal(keytab_check(&k, "m.glm", "k.csv", "movie_id", 2, k.fp, &unchecked), 0);
	assert_int_equal(unchecked, 0);
	assert_int_equal(keytab_check(&k, "m.glm", "k.csv", "movie_id", 2, k.fp + 1, &unchecked),
			 GL_EFORMAT);
	assert_int_equal(keytab_check(&k, "m.glm", "k.csv", "book_id", 2, k.fp, &unchecked),
			 GL_EFORMAT);
	memset(&k, 0, sizeof k);
	assert_int_equal(keytab_check(&k, "m.glm", "k.csv", "movie_id", 2, 1, &unchecked), 0);
	assert_int_equal(unchecked, 1);
	keytab_free(&t);
	/* integers: no sign, no leading zero */
	put("k.csv", "user,user_id\n0,7\n1,120\n");
	assert_int_equal(keytab_load(&t, "k.csv", "user", 2), 0);
	assert_int_equal(keytab_keys_are_integers(&t), 1);
	assert_int_equal(keytab_require_all(&t, "users", "r.glr"), 0);
	keytab_free(&t);
	put("k.csv", "user,user_id\n0,07\n");
	assert_int_equal(keytab_load(&t, "k.csv", "user", 1), 0);
	assert_int_equal(keytab_keys_are_integers(&t), 0);
	keytab_free(&t);
	unlink("k.csv");
}

static void test_refuses_other_tables(void **state)
{
	(void)state;
	struct keytab t;
	put("k.csv", "user,user_id\n0,a\n2,b\n");  /* id 2 of a 2-user file */
	assert_int_equal(keytab_load(&t, "k.csv", "user", 2), GL_EFORMAT);
	put("k.csv", "user,user_id\n0,a\n0,b\n");  /* twice */
	assert_int_equal(keytab_load(&t, "k.csv", "user", 2), GL_EFORMAT);
	put("k.csv", "item,book_id\n0,a\n");       /* not a users table */
	assert_int_equal(keytab_load(&t, "k.csv", "user", 2), GL_EFORMAT);
	put("k.csv", "user,user_id\n-1,a\n");
	assert_int_equal(keytab_load(&t, "k.csv", "user", 2), GL_EFORMAT);
	assert_int_equal(keytab_load(&t, "no-such.csv", "user", 2), GL_EIO);
	unlink("k.csv");
}

/* keytab_load_for checks n_ratings against the ratings file: the users'
 * from the row pointers, the items' counted (on a thread of their own)
 * over every rating. */
static void test_load_for_counts(void **state)
{
	(void)state;
	struct glr_writer *w;
	struct glr_meta m = {.n_users = 2, .n_items = 3, .n_ratings = 5, .scale = 1};
	const uint32_t i0[] = {0, 2, 1}, i1[] = {2, 0};
	const uint8_t r[] = {1, 2, 3};
	assert_int_equal(glr_writer_open(&w, "k.glr", &m), 0);
	assert_int_equal(glr_writer_row(w, i0, r, NULL, NULL, 3), 0);
	assert_int_equal(glr_writer_row(w, i1, r, NULL, NULL, 2), 0);
	assert_int_equal(glr_writer_commit(w), 0);
	struct glr g;
	assert_int_equal(glr_open(&g, "k.glr", 0), 0);
	struct keytab t;
	int slot;
	/* item 0: 2 ratings, item 1: 1, item 2: 2 */
	put("k.csv", "item,book_id,n_ratings,title\n2,c,2,C\n0,a,2,A\n1,b,1,\"B, b\"\n");
	assert_int_equal(keytab_load_for(&t, "k.csv", "item", &g, "k.glr", "title", &slot), 0);
	assert_string_equal(keytab_key(&t, 2), "c");
	assert_string_equal(keytab_get(&t, 1, slot), "B, b");
	keytab_free(&t);
	put("k.csv", "item,book_id,n_ratings\n0,a,2\n1,b,2\n2,c,2\n"); /* item 1 has 1 */
	assert_int_equal(keytab_load_for(&t, "k.csv", "item", &g, "k.glr", NULL, &slot),
			 GL_EFORMAT);
	put("k.csv", "item,book_id,n_ratings\n0,a,2\n0,b,1\n"); /* read fails; counts joined */
	assert_int_equal(keytab_load_for(&t, "k.csv", "item", &g, "k.glr", NULL, &slot),
			 GL_EFORMAT);
	put("k.csv", "user,user_id,n_ratings\n0,u,3\n1,v,2\n");
	assert_int_equal(keytab_load_for(&t, "k.csv", "user", &g, "k.glr", NULL, &slot), 0);
	keytab_free(&t);
	put("k.csv", "user,user_id,n_ratings\n0,u,3\n1,v,3\n");
	assert_int_equal(keytab_load_for(&t, "k.csv", "user", &g, "k.glr", NULL, &slot),
			 GL_EFORMAT);
	glr_close(&g);
	unlink("k.csv");
	unlink("k.glr");
}

/* The kept text gets room for the file's size at once; a gzip table holds
 * more than its size and grows it as it comes. */
static void test_text_grows(void **state)
{
	(void)state;
	gzFile z = gzopen("k.csv.gz", "wb");
	assert_non_null(z);
	gzprintf(z, "item,book_id,title\n");
	for (int i = 0; i < 20000; i++)
		gzprintf(z, "%d,key-%d,the same title again and again %d\n", i, i, i);
	gzclose(z);
	struct keytab t;
	assert_int_equal(keytab_open(&t, "k.csv.gz", "item", 20000), 0);
	int title = keytab_keep(&t, "title");
	assert_int_equal(keytab_read(&t), 0);
	assert_int_equal(t.rows, 20000);
	assert_true(t.text_len > 500000);
	assert_string_equal(keytab_key(&t, 0), "key-0");
	assert_string_equal(keytab_key(&t, 19999), "key-19999");
	assert_string_equal(keytab_get(&t, 12345, title), "the same title again and again 12345");
	keytab_free(&t);
	unlink("k.csv.gz");
}

static void test_locate(void **state)
{
	(void)state;
	char *p;
	put("users.csv", "user,user_id\n");
	assert_int_equal(keytab_locate(NULL, "ratings.glr", "users.csv", &p), 0);
	assert_string_equal(p, "users.csv");
	free(p);
	assert_int_equal(keytab_locate(NULL, "./ratings.glr", "users.csv", &p), 0);
	assert_string_equal(p, "./users.csv");
	free(p);
	assert_int_equal(keytab_locate(NULL, "ratings.glr", "none.csv", &p), 0);
	assert_null(p);
	assert_int_equal(keytab_locate("given.csv", "ratings.glr", "none.csv", &p), 0);
	assert_string_equal(p, "given.csv");
	free(p);
	unlink("users.csv");
}

int main(void)
{
	log_init("test_keytab", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_and_fingerprint),
		cmocka_unit_test(test_refuses_other_tables),
		cmocka_unit_test(test_load_for_counts),
		cmocka_unit_test(test_text_grows),
		cmocka_unit_test(test_locate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
