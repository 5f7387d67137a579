/* Unit tests for join/export_lookup, join/export_gbbooks, join/export_ratings and
 * join/export_ucsd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../join/export_gbbooks.h"
#include "../../join/export_ratings.h"
#include "../../join/export_ucsd.h"
#include "../../join/export_lookup.h"
#include "err.h"
#include "glr.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	static char buf[1 << 14];
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void test_small_url(void **state)
{
	(void)state;
	char out[256];
	const char *cases[][2] = {
		{"https://images.gr-assets.com/books/1447303603m/2767052.jpg",
		 "https://images.gr-assets.com/books/1447303603s/2767052.jpg"},
		{"https://s.gr-assets.com/assets/nophoto/book/111x148-bcc042a9.png",
		 "https://s.gr-assets.com/assets/nophoto/book/50x75-bcc042a9.png"},
		{"https://example.com/m/x.jpg", "https://example.com/m/x.jpg"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		gbbooks_small_url(cases[i][0], strlen(cases[i][0]), out, sizeof out);
		assert_string_equal(out, cases[i][1]);
	}
	gbbooks_small_url(cases[0][0], strlen(cases[0][0]), out, 10); /* truncated, terminated */
	assert_int_equal(strlen(out), 9);
}

static void test_lookup(void **state)
{
	(void)state;
	write_file("t.csv", "id,name,extra\n7,seven,a\n8,eight,b\n7,again,c\n9,\"ni,ne\",d\n");
	struct lookup l;
	lookup_init(&l);
	uint32_t s7, s9, s5, se;
	assert_int_equal(lookup_want(&l, "7", 1, &s7), 0);
	assert_int_equal(lookup_want(&l, "9", 1, &s9), 0);
	assert_int_equal(lookup_want(&l, "5", 1, &s5), 0);
	assert_int_equal(lookup_want(&l, "", 0, &se), 0);
	assert_int_equal(se, LOOKUP_NONE);
	uint32_t again;
	assert_int_equal(lookup_want(&l, "7", 1, &again), 0);
	assert_int_equal(again, s7);
	const char *cols[] = {"name"};
	assert_int_equal(lookup_load(&l, "t.csv", "id", cols, 1), 0);
	const char *f;
	size_t len;
	assert_int_equal(lookup_get(&l, s7, &f, &len), 1);
	assert_int_equal(len, 5);
	assert_memory_equal(f, "seven", 5); /* the first row wins */
	assert_int_equal(l.count[s7], 2);
	assert_int_equal(lookup_get(&l, s9, &f, &len), 1);
	assert_memory_equal(f, "ni,ne", 5);
	assert_int_equal(lookup_get(&l, s5, &f, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(lookup_get(&l, se, &f, &len), 0);
	const char *bad[] = {"nope"};
	log_init("test", LOG_QUIET);
	assert_int_equal(lookup_load(&l, "t.csv", "id", bad, 1), GL_EFORMAT);
	log_init("test", LOG_NORMAL);
	lookup_free(&l);
	unlink("t.csv");
}

/* Two users: user 0 rates items 1 (4.5, valid) and 0 (2); user 1 item 1.
 * With flags the read and reviewed bitmaps say: item 0 read and reviewed,
 * item 1 reviewed, user 1's item 1 read; without, the file has neither. */
static void make_sorted(const char *path, int flags)
{
	struct glr_meta m = {.n_users = 2, .n_items = 2, .n_ratings = 3, .scale = 0.5f,
			     .flags = GLR_SORTED, .has_times = 1, .has_read = flags,
			     .has_reviewed = flags, .has_split = 1};
	struct glr_writer *w;
	assert_int_equal(glr_writer_open(&w, path, &m), 0);
	uint32_t i0[] = {0, 1}, t0[] = {100, 200}, i1[] = {1}, t1[] = {300};
	uint8_t r0[] = {4, 9}, r1[] = {10};
	uint8_t b0[] = {GLR_BIT_READ | GLR_BIT_REVIEWED, GLR_BIT_VALID | GLR_BIT_REVIEWED};
	uint8_t b1[] = {GLR_BIT_READ};
	assert_int_equal(glr_writer_row(w, i0, r0, t0, b0, 2), 0);
	assert_int_equal(glr_writer_row(w, i1, r1, t1, b1, 1), 0);
	assert_int_equal(glr_writer_commit(w), 0);
}

static void test_ratings_layouts(void **state)
{
	(void)state;
	make_sorted("r.glr", 0);
	write_file("items.csv", "item,book_id,title\n1,11,\"B, the \"\"second\"\"\"\n0,10,A\n");
	struct rc_opts o = {.ratings = "r.glr", .items = "items.csv", .out = "o.csv",
			    .format = RC_FASTAI};
	assert_int_equal(export_ratings(&o), 0);
	/* the item key beside the dense id, and is_valid for ColSplitter */
	assert_string_equal(slurp("o.csv"), "user,item,rating,book_id,title,is_valid\n"
					    "0,0,2,10,A,0\n"
					    "0,1,4.5,11,\"B, the \"\"second\"\"\",1\n"
					    "1,1,5,11,\"B, the \"\"second\"\"\",0\n");
	o.format = RC_LIBMF;
	o.subset = RC_TRAIN;
	assert_int_equal(export_ratings(&o), 0);
	assert_string_equal(slurp("o.csv"), "0 0 2\n1 1 5\n");
	o.format = RC_MOVIELENS;
	o.subset = RC_VALID;
	assert_int_equal(export_ratings(&o), 0);
	/* the source's movie id (book_id 11) where the keys are integers; no
	 * users.csv, so the user is dense id + 1 */
	assert_string_equal(slurp("o.csv"), "userId,movieId,rating,timestamp\n1,11,4.5,200\n");
	unlink("r.glr");
	unlink("items.csv");
	unlink("o.csv");
}

static void test_ucsd(void **state)
{
	(void)state;
	mkdir("ucsd_in", 0777);
	make_sorted("ucsd_in/ratings.raw.glr", 0);
	write_file("ucsd_in/users.raw.csv", "user,user_id\n1,bbb\n0,aaa\n");
	write_file("ucsd_in/items.raw.csv", "item,book_id\n0,10\n1,11\n");
	mkdir("ucsd_out", 0777);
	assert_int_equal(export_ucsd("ucsd_in", "ucsd_out", 1), 0);
	assert_string_equal(slurp("ucsd_out/goodreads_interactions.csv"),
			    "user_id,book_id,is_read,rating,is_reviewed\n"
			    "0,0,0,2,0\n0,1,0,4.5,0\n1,1,0,5,0\n");
	/* The flags come from the bitmaps, each on its own column. */
	make_sorted("ucsd_in/ratings.raw.glr", 1);
	assert_int_equal(export_ucsd("ucsd_in", "ucsd_out", 1), 0);
	assert_string_equal(slurp("ucsd_out/goodreads_interactions.csv"),
			    "user_id,book_id,is_read,rating,is_reviewed\n"
			    "0,0,1,2,1\n0,1,0,4.5,1\n1,1,1,5,0\n");
	assert_string_equal(slurp("ucsd_out/user_id_map.csv"), "user_id_csv,user_id\n0,aaa\n1,bbb\n");
	assert_string_equal(slurp("ucsd_out/book_id_map.csv"), "book_id_csv,book_id\n0,10\n1,11\n");
	/* A user without a map row: an error, and the earlier outputs stay. */
	write_file("ucsd_in/users.raw.csv", "user,user_id\n1,ccc\n");
	log_init("test", LOG_QUIET);
	assert_int_equal(export_ucsd("ucsd_in", "ucsd_out", 1), GL_EFORMAT);
	log_init("test", LOG_NORMAL);
	assert_string_equal(slurp("ucsd_out/user_id_map.csv"), "user_id_csv,user_id\n0,aaa\n1,bbb\n");
	unlink("ucsd_in/ratings.raw.glr");
	unlink("ucsd_in/users.raw.csv");
	unlink("ucsd_in/items.raw.csv");
	unlink("ucsd_out/goodreads_interactions.csv");
	unlink("ucsd_out/user_id_map.csv");
	unlink("ucsd_out/book_id_map.csv");
	rmdir("ucsd_in");
	rmdir("ucsd_out");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_url),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_ratings_layouts),
		cmocka_unit_test(test_ucsd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
