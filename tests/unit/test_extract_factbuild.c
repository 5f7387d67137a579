/* Unit tests for etl/extract_facts: ratings in any order become the CSR file
 * that first-appearance ids and input order define, whether the input was
 * grouped by user (one sequential copy) or not (scatter passes), and the
 * two paths write the same bytes; the read and reviewed bits travel with
 * their rating through both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../etl/extract_facts.h"
#include "err.h"
#include "glr.h"
#include "log.h"

#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N 5000

struct input {
	char user[N][40], item[N][24];
	uint8_t rating[N];
	uint32_t time[N];
	unsigned bits[N]; /* GLR_BIT_READ | GLR_BIT_REVIEWED */
};

static unsigned next(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* grouped = 1: each user's ratings contiguous. */
static void make_input(struct input *in, int grouped, unsigned seed)
{
	for (int k = 0; k < N; k++) {
		unsigned u = grouped ? (unsigned)k / 37 : next(&seed) % 135;
		snprintf(in->user[k], sizeof in->user[k], "%08x%024x", u * 2654435761u, u);
		snprintf(in->item[k], sizeof in->item[k], "%u", 1000 + next(&seed) % 700);
		in->rating[k] = (uint8_t)(next(&seed) % 64); /* every rating bit, beside the flags */
		in->time[k] = next(&seed);
		in->bits[k] = next(&seed) & (GLR_BIT_READ | GLR_BIT_REVIEWED);
	}
}

static void build(const struct input *in, const char *dir, const struct fb_opts *o,
		  int want_grouped)
{
	struct factb *fb;
	mkdir(dir, 0777);
	assert_int_equal(fb_open(&fb, dir, o), 0);
	fb_file_start(fb);
	for (int k = 0; k < N; k++)
		assert_int_equal(fb_add(fb, in->user[k], strlen(in->user[k]), in->item[k],
					strlen(in->item[k]), in->rating[k], in->time[k], in->bits[k],
					(uint64_t)k + 1, 0),
				 0);
	assert_int_equal(fb_flush(fb), 0);
	assert_int_equal(fb_grouped(fb), want_grouped);
	assert_int_equal(fb_n_ratings(fb), N);
	assert_int_equal(fb_file_users(fb), fb_n_users(fb));
	char path[256];
	snprintf(path, sizeof path, "%s/r.glr", dir);
	assert_int_equal(fb_write_glr(fb, path), 0);
	fb_free(fb);
	/* the spill file is gone: only r.glr is left */
	char cmd[300];
	snprintf(cmd, sizeof cmd, "test \"$(ls -A %s)\" = r.glr", dir);
	assert_int_equal(system(cmd), 0);
}

/* The file against a reference built here the simple way. */
static void check(const struct input *in, const char *dir, const struct fb_opts *o)
{
	char path[256];
	snprintf(path, sizeof path, "%s/r.glr", dir);
	struct glr g;
	assert_int_equal(glr_open(&g, path, 0), 0);
	/* users by first appearance, each user's ratings in input order */
	static char order[N][40];
	int nu = 0;
	for (int k = 0; k < N; k++) {
		int seen = 0;
		for (int u = 0; u < nu && !seen; u++)
			seen = strcmp(order[u], in->user[k]) == 0;
		if (!seen)
			strcpy(order[nu++], in->user[k]);
	}
	assert_int_equal(g.n_users, nu);
	assert_true(g.scale == 0.5f);
	assert_non_null(g.times);
	assert_non_null(g.read);
	assert_true((g.reviewed != NULL) == (o->has_reviewed != 0));
	uint64_t at = 0;
	for (int u = 0; u < nu; u++) {
		assert_int_equal(g.rowptr[u], at);
		for (int k = 0; k < N; k++) {
			if (strcmp(in->user[k], order[u]) != 0)
				continue;
			assert_int_equal(g.ratings[at], in->rating[k]);
			assert_int_equal(g.times[at], in->time[k]);
			assert_int_equal(glr_bit(g.read, at), !!(in->bits[k] & GLR_BIT_READ));
			assert_int_equal(glr_bit(g.reviewed, at),
					 o->has_reviewed && (in->bits[k] & GLR_BIT_REVIEWED));
			at++;
		}
	}
	assert_int_equal(at, N);
	glr_close(&g);
}

static int same_file(const char *a, const char *b)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "cmp -s %s %s", a, b);
	return system(cmd) == 0;
}

static void test_grouped_and_scattered(void **state)
{
	(void)state;
	static struct input in;
	make_input(&in, 1, 7);
	struct fb_opts o = {.has_times = 1, .has_read = 1, .has_reviewed = 1};
	build(&in, "fb_grouped", &o, 1);
	check(&in, "fb_grouped", &o);
	o.force_scatter = 1;
	o.sort_mem = 10240; /* 1024 ratings a pass: five passes */
	build(&in, "fb_scatter", &o, 1);
	check(&in, "fb_scatter", &o);
	assert_true(same_file("fb_grouped/r.glr", "fb_scatter/r.glr"));
	assert_int_equal(system("rm -rf fb_grouped fb_scatter"), 0);
}

static void test_ungrouped(void **state)
{
	(void)state;
	static struct input in;
	make_input(&in, 0, 11);
	struct fb_opts o = {.has_times = 1, .has_read = 1, .has_reviewed = 1, .sort_mem = 10240};
	build(&in, "fb_random", &o, 0);
	check(&in, "fb_random", &o);
	o.sort_mem = 0; /* one pass */
	build(&in, "fb_random1", &o, 0);
	assert_true(same_file("fb_random/r.glr", "fb_random1/r.glr"));
	o.has_reviewed = 0; /* a source without reviews: no section, bits ignored */
	build(&in, "fb_random2", &o, 0);
	check(&in, "fb_random2", &o);
	assert_int_equal(system("rm -rf fb_random fb_random1 fb_random2"), 0);
}

static void test_key_limit_and_tables(void **state)
{
	(void)state;
	struct factb *fb;
	struct fb_opts o = {.max_keys = 2};
	mkdir("fb_lim", 0777);
	assert_int_equal(fb_open(&fb, "fb_lim", &o), 0);
	assert_int_equal(fb_add(fb, "u1", 2, "10", 2, 2, 0, 0, 1, 0), 0);
	assert_int_equal(fb_add(fb, "u2", 2, "11", 2, 2, 0, 0, 2, 6), 0);
	assert_int_equal(fb_add(fb, "u1", 2, "12", 2, 2, 0, 0, 3, 12), 0); /* waits */
	assert_int_equal(fb_add(fb, "u3", 2, "10", 2, 2, 0, 0, 4, 18), 0);
	assert_int_equal(fb_flush(fb), GL_ELIMIT);
	uint64_t line, off;
	fb_fail_pos(fb, &line, &off);
	assert_int_equal(line, 3); /* the first rating over the limit */
	assert_int_equal(off, 12);
	FILE *f = fopen("fb_lim/u.csv", "w");
	assert_int_equal(fb_write_keys(fb, 1, f, "user", "user_id"), 0);
	assert_int_equal(fb_write_keys(fb, 0, f, "item", "book_id"), 0);
	fclose(f);
	fb_free(fb);
	f = fopen("fb_lim/u.csv", "r");
	char text[200] = "";
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = 0;
	fclose(f);
	assert_string_equal(text, "user,user_id\n0,u1\n1,u2\nitem,book_id\n0,10\n1,11\n");
	assert_int_equal(system("test \"$(ls -A fb_lim)\" = u.csv && rm -rf fb_lim"), 0);
}

/* Keys too long for the batch and the last-user cache take the slow path,
 * which must still see that a user came back. */
static void test_long_keys(void **state)
{
	(void)state;
	char a[101], b[101];
	memset(a, 'a', 100);
	memset(b, 'b', 100);
	a[100] = b[100] = 0;
	struct factb *fb;
	struct fb_opts o = {0};
	mkdir("fb_long", 0777);
	assert_int_equal(fb_open(&fb, "fb_long", &o), 0);
	assert_int_equal(fb_add(fb, a, 100, "1", 1, 2, 0, 0, 1, 0), 0);
	assert_int_equal(fb_add(fb, a, 100, "2", 1, 4, 0, 0, 2, 0), 0);
	assert_int_equal(fb_add(fb, b, 100, "1", 1, 6, 0, 0, 3, 0), 0);
	assert_int_equal(fb_flush(fb), 0);
	assert_int_equal(fb_grouped(fb), 1);
	assert_int_equal(fb_add(fb, a, 100, "3", 1, 8, 0, 0, 4, 0), 0);
	assert_int_equal(fb_flush(fb), 0);
	assert_int_equal(fb_grouped(fb), 0);
	assert_int_equal(fb_write_glr(fb, "fb_long/r.glr"), 0);
	fb_free(fb);
	struct glr g;
	assert_int_equal(glr_open(&g, "fb_long/r.glr", 0), 0);
	assert_int_equal(g.n_users, 2);
	assert_int_equal(g.rowptr[1], 3); /* a: items 1, 2, 3 */
	assert_int_equal(g.items[2], 2);
	assert_int_equal(g.ratings[2], 8);
	assert_null(g.times);
	glr_close(&g);
	assert_int_equal(system("rm -rf fb_long"), 0);
}

/* More ratings than one window of the spill (65536 records), the last
 * window partial: grouped and scattered, the files are the same bytes,
 * and right. */
#define BIG 150001

static void add_big(struct factb *fb, int grouped)
{
	unsigned seed = 5;
	for (uint32_t k = 0; k < BIG; k++) {
		char user[40], item[24];
		unsigned u = grouped ? k / 61 : next(&seed) % 2459;
		snprintf(user, sizeof user, "%032x", u * 2654435761u);
		snprintf(item, sizeof item, "%u", 7 + k % 4001);
		assert_int_equal(fb_add(fb, user, 32, item, strlen(item), (uint8_t)(k % 11), k,
					k & GLR_BIT_READ, k + 1, 0),
				 0);
	}
	assert_int_equal(fb_flush(fb), 0);
	assert_int_equal(fb_grouped(fb), grouped);
}

static void build_big(const char *dir, int grouped, int force_scatter)
{
	struct fb_opts o = {.has_times = 1, .has_read = 1, .force_scatter = force_scatter,
			    .sort_mem = 600000};
	struct factb *fb;
	mkdir(dir, 0777);
	assert_int_equal(fb_open(&fb, dir, &o), 0);
	add_big(fb, grouped);
	char path[256];
	snprintf(path, sizeof path, "%s/r.glr", dir);
	assert_int_equal(fb_write_glr(fb, path), 0);
	fb_free(fb);
}

static void test_spill_windows(void **state)
{
	(void)state;
	build_big("fb_w_map", 1, 0);
	build_big("fb_w_smap", 1, 1);
	assert_true(same_file("fb_w_map/r.glr", "fb_w_smap/r.glr"));
	struct glr g;
	assert_int_equal(glr_open(&g, "fb_w_map/r.glr", 0), 0);
	assert_int_equal(g.n_ratings, BIG);
	for (uint64_t k = 0; k < BIG; k += 997) { /* grouped: CSR order is input order */
		assert_int_equal(g.times[k], k);
		assert_int_equal(g.ratings[k], k % 11);
		assert_int_equal(g.items[k], k % 4001);
	}
	assert_int_equal(g.rowptr[1], 61);
	glr_close(&g);
	/* scattered input: several passes */
	build_big("fb_w_rmap", 0, 0);
	struct glr h;
	assert_int_equal(glr_open(&h, "fb_w_rmap/r.glr", 0), 0);
	assert_int_equal(h.n_ratings, BIG);
	glr_close(&h);
	assert_int_equal(system("rm -rf fb_w_map fb_w_smap fb_w_rmap"), 0);
}

/* A spill shorter than the ratings added (cut by something else) is an
 * error, never a read past its end: nothing is left under the path. */
static void test_spill_cut(void **state)
{
	(void)state;
	for (int scatter = 0; scatter < 2; scatter++) {
		struct fb_opts o = {.has_times = 1, .has_read = 1, .force_scatter = scatter};
		struct factb *fb;
		assert_int_equal(system("rm -rf fb_cut"), 0); /* what a crash left */
		mkdir("fb_cut", 0777);
		assert_int_equal(fb_open(&fb, "fb_cut", &o), 0);
		add_big(fb, 1);
		assert_int_equal(fb_finish(fb), 0);
		glob_t gl;
		assert_int_equal(glob("fb_cut/.ratings.spill.*", 0, NULL, &gl), 0);
		assert_int_equal(gl.gl_pathc, 1);
		assert_int_equal(truncate(gl.gl_pathv[0], 13 * 70000), 0);
		globfree(&gl);
		assert_int_equal(fb_write_glr(fb, "fb_cut/r.glr"), GL_EIO);
		fb_free(fb);
		assert_int_equal(system("test -z \"$(ls -A fb_cut)\" && rm -rf fb_cut"), 0);
	}
}

/* Decimal keys are formatted by hand from their packed words, hex keys
 * from intern_key: every width, zero and the largest 19 digits. */
static void test_key_tables(void **state)
{
	(void)state;
	struct factb *fb;
	struct fb_opts o = {0};
	mkdir("fb_keys", 0777);
	assert_int_equal(fb_open(&fb, "fb_keys", &o), 0);
	const char *items[] = {"0", "7", "10", "4294967296", "9999999999999999999",
			       "1234567890123456789"};
	const char *users[] = {"00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff",
			       "0123456789abcdef0123456789abcdef"};
	for (int k = 0; k < 6; k++)
		assert_int_equal(fb_add(fb, users[k % 3], 32, items[k], strlen(items[k]), 2, 0, 0,
					(uint64_t)k + 1, 0),
				 0);
	assert_int_equal(fb_finish(fb), 0);
	assert_int_equal(fb_finish(fb), 0); /* again: nothing */
	FILE *f = fopen("fb_keys/k.csv", "w");
	assert_non_null(f);
	assert_int_equal(fb_write_keys(fb, 0, f, "item", "book_id"), 0);
	assert_int_equal(fb_write_keys(fb, 1, f, "user", "user id"), 0);
	fclose(f);
	fb_free(fb);
	f = fopen("fb_keys/k.csv", "r");
	char text[512] = "";
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = 0;
	fclose(f);
	assert_string_equal(text, "item,book_id\n0,0\n1,7\n2,10\n3,4294967296\n"
				  "4,9999999999999999999\n5,1234567890123456789\n"
				  "user,user id\n0,00000000000000000000000000000000\n"
				  "1,ffffffffffffffffffffffffffffffff\n"
				  "2,0123456789abcdef0123456789abcdef\n");
	assert_int_equal(system("rm -rf fb_keys"), 0);
}

/* After fb_finish the key tables and the ratings file are written on two
 * threads at once (as extract does), to the same bytes as one by one. */
struct keys_arg {
	struct factb *fb;
	const char *path;
	int err;
};

static void *keys_thread(void *p)
{
	struct keys_arg *a = p;
	FILE *f = fopen(a->path, "w");
	a->err = !f || fb_write_keys(a->fb, 1, f, "user", "user_id") ||
		 fb_write_keys(a->fb, 0, f, "item", "book_id");
	if (f)
		fclose(f);
	return NULL;
}

static void test_tables_beside_glr(void **state)
{
	(void)state;
	static struct input in;
	make_input(&in, 1, 3);
	struct fb_opts o = {.has_times = 1, .has_read = 1, .has_reviewed = 1};
	build(&in, "fb_one", &o, 1);
	struct factb *fb;
	mkdir("fb_two", 0777);
	assert_int_equal(fb_open(&fb, "fb_two", &o), 0);
	for (int k = 0; k < N; k++)
		assert_int_equal(fb_add(fb, in.user[k], strlen(in.user[k]), in.item[k],
					strlen(in.item[k]), in.rating[k], in.time[k], in.bits[k],
					(uint64_t)k + 1, 0),
				 0);
	assert_int_equal(fb_finish(fb), 0);
	struct keys_arg a = {.fb = fb, .path = "fb_two/keys.csv"};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, keys_thread, &a), 0);
	assert_int_equal(fb_write_glr(fb, "fb_two/r.glr"), 0);
	pthread_join(th, NULL);
	assert_int_equal(a.err, 0);
	fb_free(fb);
	assert_true(same_file("fb_one/r.glr", "fb_two/r.glr"));
	assert_int_equal(system("grep -c . fb_two/keys.csv | grep -qx 838 && rm -rf fb_one fb_two"),
			 0);
}

/* Per-file counts of distinct users and items: the first file's are the
 * dictionaries' sizes (no bitmaps kept), a later file's its own. */
static void test_file_counts(void **state)
{
	(void)state;
	struct factb *fb;
	struct fb_opts o = {0};
	mkdir("fb_cnt", 0777);
	assert_int_equal(fb_open(&fb, "fb_cnt", &o), 0);
	fb_file_start(fb);
	assert_int_equal(fb_add(fb, "u1", 2, "10", 2, 2, 0, 0, 1, 0), 0);
	assert_int_equal(fb_add(fb, "u1", 2, "11", 2, 2, 0, 0, 2, 0), 0);
	assert_int_equal(fb_add(fb, "u2", 2, "10", 2, 2, 0, 0, 3, 0), 0);
	assert_int_equal(fb_flush(fb), 0);
	assert_int_equal(fb_file_users(fb), 2);
	assert_int_equal(fb_file_items(fb), 2);
	fb_file_start(fb); /* u2 and 11 again, u3 and 12 new */
	assert_int_equal(fb_add(fb, "u2", 2, "11", 2, 2, 0, 0, 1, 0), 0);
	assert_int_equal(fb_add(fb, "u3", 2, "11", 2, 2, 0, 0, 2, 0), 0);
	assert_int_equal(fb_add(fb, "u3", 2, "12", 2, 2, 0, 0, 3, 0), 0);
	assert_int_equal(fb_flush(fb), 0);
	assert_int_equal(fb_file_users(fb), 2);
	assert_int_equal(fb_file_items(fb), 2);
	assert_int_equal(fb_n_users(fb), 3);
	assert_int_equal(fb_n_items(fb), 3);
	fb_file_start(fb); /* a file of no ratings */
	assert_int_equal(fb_flush(fb), 0);
	assert_int_equal(fb_file_users(fb), 0);
	assert_int_equal(fb_file_items(fb), 0);
	fb_free(fb);
	assert_int_equal(system("rm -rf fb_cnt"), 0);
}

int main(void)
{
	log_init("test_extract_factbuild", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grouped_and_scattered),
		cmocka_unit_test(test_ungrouped),
		cmocka_unit_test(test_key_limit_and_tables),
		cmocka_unit_test(test_long_keys),
		cmocka_unit_test(test_spill_windows),
		cmocka_unit_test(test_spill_cut),
		cmocka_unit_test(test_key_tables),
		cmocka_unit_test(test_tables_beside_glr),
		cmocka_unit_test(test_file_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
