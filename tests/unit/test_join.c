/* Unit tests for join/rowstore, join/join_key, join/join_buildtab and join/join_hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "../../join/join_buildtab.h"
#include "err.h"
#include "../../join/join_hash.h"
#include "../../join/join_key.h"
#include "../../join/join_stats.h"
#include "log.h"
#include "../../join/rowstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(data, f);
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void test_rowstore(void **state)
{
	(void)state;
	struct rowstore s = {0};
	size_t big = ROWSTORE_BIG + 100; /* a block of its own */
	char *huge = malloc(big);
	assert_non_null(huge);
	memset(huge, 'x', big);
	/* 100,000 rows: blocks from ROWSTORE_FIRST past BIGMEM_MIN */
	for (int r = 0; r < 100000; r++) {
		char a[32], b[32];
		snprintf(a, sizeof a, "row%d", r);
		snprintf(b, sizeof b, "%d", r * 7);
		const char *f[3] = {a, r % 3 ? b : "", r == 1234 ? huge : "c"};
		size_t len[3] = {strlen(a), strlen(f[1]), r == 1234 ? big : 1};
		assert_int_equal(rowstore_add(&s, f, len, 3), 0);
	}
	assert_int_equal(s.n, 100000);
	for (int r = 0; r < 100000; r += 617) {
		const char *f[3];
		size_t len[3];
		char a[32];
		rowstore_get(&s, (uint64_t)r, f, len, 3);
		snprintf(a, sizeof a, "row%d", r);
		assert_int_equal(len[0], strlen(a));
		assert_memory_equal(f[0], a, len[0]);
		assert_int_equal(len[1] == 0, r % 3 == 0);
	}
	const char *f[3];
	size_t len[3];
	rowstore_get(&s, 1234, f, len, 3);
	assert_int_equal(len[2], big);
	assert_memory_equal(f[2], huge, big);
	rowstore_get(&s, 1235, f, len, 3);
	assert_int_equal(len[2], 1);
	assert_true(s.bytes >= big);
	rowstore_free(&s);
	free(huge);
}

static void test_joinkey(void **state)
{
	(void)state;
	char a[] = "12", b[] = "", c[] = "x:y", d[] = "1";
	char *f[4] = {a, b, c, d};
	size_t len[4] = {2, 0, 3, 1};
	struct buf scratch = {0}, show = {0};
	const char *key;
	size_t klen;
	int one[1] = {0}, two[2] = {2, 0}, withempty[2] = {0, 1};
	assert_int_equal(joinkey_make(&scratch, f, len, one, 1, 1, &key, &klen), 0);
	assert_ptr_equal(key, a); /* a single column is not copied */
	assert_int_equal(joinkey_make(&scratch, f, len, withempty, 2, 1, &key, &klen), 1);
	assert_int_equal(joinkey_make(&scratch, f, len, withempty, 2, 0, &key, &klen), 0);
	assert_int_equal(joinkey_make(&scratch, f, len, two, 2, 1, &key, &klen), 0);
	assert_int_equal(joinkey_show(&show, key, klen, 2), 0);
	assert_string_equal(show.p, "x:y,12");
	/* ("1:", "2") and ("1", ":2")-like tuples must not collide. */
	char e[] = "1:", g[] = "2", h[] = ":2";
	char *f1[2] = {e, g}, *f2[2] = {d, h};
	size_t l1[2] = {2, 1}, l2[2] = {1, 2};
	int cols[2] = {0, 1};
	struct buf s2 = {0};
	const char *k1, *k2;
	size_t n1, n2;
	joinkey_make(&scratch, f1, l1, cols, 2, 1, &k1, &n1);
	joinkey_make(&s2, f2, l2, cols, 2, 1, &k2, &n2);
	assert_false(n1 == n2 && memcmp(k1, k2, n1) == 0);
	buf_free(&scratch);
	buf_free(&s2);
	buf_free(&show);
}

static void test_buildtab_chains_in_order(void **state)
{
	(void)state;
	struct buildtab t;
	buildtab_init(&t);
	const char *keys[] = {"5", "7", "5", "", "5", "7"};
	for (int r = 0; r < 6; r++) {
		char *f[1] = {(char *)keys[r]};
		size_t len[1] = {strlen(keys[r])};
		assert_int_equal(buildtab_add(&t, keys[r], len[0], len[0] == 0, f, len, 1), 0);
	}
	assert_int_equal(buildtab_groups(&t), 2);
	assert_int_equal(t.null_rows, 1);
	uint32_t g = buildtab_find(&t, "5", 1);
	assert_int_equal(g, 0);
	uint32_t want[] = {0, 2, 4}, n = 0;
	for (uint32_t r = t.head[g]; r != BT_NONE; r = t.next[r])
		assert_int_equal(r, want[n++]);
	assert_int_equal(n, 3);
	assert_int_equal(buildtab_find(&t, "8", 1), BT_NONE);
	assert_int_equal(t.grp[3], BT_NONE);
	assert_true(buildtab_memory(&t) > 0);
	buildtab_free(&t);
}

static const char *items_csv = "item,book_id\n0,10\n1,11\n2,12\n3,10\n4,\n";
static const char *books_csv = "book_id,work_id,title\n"
			       "10,100,\"A, b\"\n12,101,C\n12,102,\"D \"\"x\"\"\"\n13,103,E\n,104,F\n";

static void run_join(int kind, int build, const char *out, struct join_result *res)
{
	struct join_opts o;
	memset(&o, 0, sizeof o);
	o.left = "items.csv";
	o.right = "books.csv";
	o.lkeys[0] = o.rkeys[0] = "book_id";
	o.nkeys = 1;
	o.kind = kind;
	o.build = build;
	o.out = out;
	o.stats = "stats.csv";
	assert_int_equal(join_run(&o, res), 0);
}

static void test_order_and_kinds(void **state)
{
	(void)state;
	write_file("items.csv", items_csv);
	write_file("books.csv", books_csv);
	struct join_result res;
	/* Streaming the items (books in memory): item order. */
	run_join(JOIN_LEFT, JOIN_BUILD_RIGHT, "o.csv", &res);
	assert_string_equal(slurp("o.csv"), "item,book_id,work_id,title\n"
					    "0,10,100,\"A, b\"\n"
					    "1,11,,\n"
					    "2,12,101,C\n"
					    "2,12,102,\"D \"\"x\"\"\"\n"
					    "3,10,100,\"A, b\"\n"
					    "4,,,\n");
	assert_int_equal(res.out_rows, 6);
	assert_int_equal(res.built, 1);
	assert_int_equal(res.side[0].rows, 5);
	assert_int_equal(res.side[0].keys, 3);
	assert_int_equal(res.side[0].matched_keys, 2);
	assert_int_equal(res.side[0].unmatched_keys, 1);
	assert_int_equal(res.side[0].unmatched_rows, 2); /* 11 and the empty key */
	assert_string_equal(res.side[0].examples, "11");
	assert_int_equal(res.side[1].unmatched_keys, 1);
	assert_int_equal(res.side[1].unmatched_rows, 2); /* 13 and the empty key */
	assert_string_equal(res.side[1].examples, "13");
	join_result_free(&res);
	assert_string_equal(slurp("stats.csv"),
			    "side,file,rows,keys,matched_keys,unmatched_keys,unmatched_rows,examples\n"
			    "left,items.csv,5,3,2,1,2,11\n"
			    "right,books.csv,5,3,2,1,2,13\n");
	/* Streaming the books (items in memory): book order, then the items
	 * left over in their order. */
	run_join(JOIN_FULL, JOIN_BUILD_LEFT, "o.csv", &res);
	assert_string_equal(slurp("o.csv"), "item,book_id,work_id,title\n"
					    "0,10,100,\"A, b\"\n"
					    "3,10,100,\"A, b\"\n"
					    "2,12,101,C\n"
					    "2,12,102,\"D \"\"x\"\"\"\n"
					    ",13,103,E\n"
					    ",,104,F\n"
					    "1,11,,\n"
					    "4,,,\n");
	assert_int_equal(res.built, 0);
	join_result_free(&res);
	/* Semi and anti keep the left order whichever side is built. */
	for (int b = JOIN_BUILD_LEFT; b <= JOIN_BUILD_RIGHT; b++) {
		run_join(JOIN_SEMI, b, "o.csv", &res);
		join_result_free(&res);
		assert_string_equal(slurp("o.csv"), "item,book_id\n0,10\n2,12\n3,10\n");
		run_join(JOIN_ANTI, b, "o.csv", &res);
		join_result_free(&res);
		assert_string_equal(slurp("o.csv"), "item,book_id\n1,11\n4,\n");
	}
	/* The smaller file is built by default. */
	run_join(JOIN_INNER, JOIN_BUILD_AUTO, "o.csv", &res);
	assert_int_equal(res.built, 0);
	join_result_free(&res);
	unlink("o.csv");
	unlink("stats.csv");
}

static void test_examples_capped_and_composite(void **state)
{
	(void)state;
	struct buf l = {0}, r = {0};
	buf_adds(&l, "a,b\n");
	buf_adds(&r, "b,a,v\n");
	for (int i = 0; i < 30; i++)
		buf_printf(&l, "%d,x%d\n", i, i);
	buf_adds(&r, "x3,3,hit\n");
	write_file("l.csv", l.p);
	write_file("r.csv", r.p);
	struct join_opts o;
	memset(&o, 0, sizeof o);
	o.left = "l.csv";
	o.right = "r.csv";
	char spec[] = "a,b";
	assert_int_equal(join_parse_keys(&o, spec), 0);
	o.kind = JOIN_INNER;
	o.out = "o.csv";
	struct join_result res;
	assert_int_equal(join_run(&o, &res), 0);
	assert_string_equal(slurp("o.csv"), "a,b,v\n3,x3,hit\n");
	assert_int_equal(res.side[0].unmatched_keys, 29);
	/* 20 examples, in input order, the columns joined with ',' */
	assert_string_equal(res.side[0].examples,
			    "0,x0|1,x1|2,x2|4,x4|5,x5|6,x6|7,x7|8,x8|9,x9|10,x10|11,x11|12,x12|"
			    "13,x13|14,x14|15,x15|16,x16|17,x17|18,x18|19,x19|20,x20");
	join_result_free(&res);
	buf_free(&l);
	buf_free(&r);
	unlink("l.csv");
	unlink("r.csv");
	unlink("o.csv");
}

static void test_errors_leave_no_output(void **state)
{
	(void)state;
	write_file("items.csv", items_csv);
	write_file("bad.csv", "book_id,title\n10,a\n11,b,extra\n");
	write_file("o.csv", "earlier good output\n");
	struct join_opts o;
	memset(&o, 0, sizeof o);
	o.left = "items.csv";
	o.right = "bad.csv";
	o.lkeys[0] = o.rkeys[0] = "book_id";
	o.nkeys = 1;
	o.out = "o.csv";
	o.build = JOIN_BUILD_RIGHT;
	log_init("test", LOG_QUIET);
	assert_int_equal(join_run(&o, NULL), GL_EFORMAT); /* ragged row */
	o.build = JOIN_BUILD_LEFT;
	assert_int_equal(join_run(&o, NULL), GL_EFORMAT); /* also when streamed */
	o.right = "books.csv";
	write_file("books.csv", books_csv);
	o.rkeys[0] = "no_such_column";
	assert_int_equal(join_run(&o, NULL), GL_EFORMAT);
	o.rkeys[0] = "book_id";
	o.max_build_rows = 3; /* items.csv has 5 rows */
	assert_int_equal(join_run(&o, NULL), GL_ELIMIT);
	o.max_build_rows = 0;
	o.max_build_bytes = 1000;
	assert_int_equal(join_run(&o, NULL), GL_ELIMIT);
	o.max_build_bytes = 0;
	o.left = o.right = "-";
	assert_int_equal(join_run(&o, NULL), GL_EUSAGE);
	write_file("empty.csv", "");
	o.left = "empty.csv";
	o.right = "books.csv";
	assert_int_equal(join_run(&o, NULL), GL_EFORMAT);
	log_init("test", LOG_NORMAL);
	assert_string_equal(slurp("o.csv"), "earlier good output\n");
	struct join_opts p;
	memset(&p, 0, sizeof p);
	char bad1[] = "a,,b", bad2[] = "=x";
	log_init("test", LOG_QUIET);
	assert_int_equal(join_parse_keys(&p, bad1), 0); /* empty tokens are skipped */
	assert_int_equal(p.nkeys, 2);
	memset(&p, 0, sizeof p);
	assert_int_equal(join_parse_keys(&p, bad2), GL_EUSAGE);
	log_init("test", LOG_NORMAL);
	unlink("items.csv");
	unlink("bad.csv");
	unlink("books.csv");
	unlink("empty.csv");
	unlink("o.csv");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rowstore),
		cmocka_unit_test(test_joinkey),
		cmocka_unit_test(test_buildtab_chains_in_order),
		cmocka_unit_test(test_order_and_kinds),
		cmocka_unit_test(test_examples_capped_and_composite),
		cmocka_unit_test(test_errors_leave_no_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
