/* Unit tests for goodlens-extract's table of kinds (etl/extract_kind): every
 * row complete, its names telling its kind, the --help text made from it,
 * the line shapes deciding before the rows; and the Goodreads metadata
 * reader taking its columns from the row's header (etl/extract_src_goodreads_meta). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../etl/extract.h"
#include "../../etl/extract_kind.h"
#include "../../etl/extract_parlines.h"
#include "../../etl/extract_src.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_rows_complete(void **state)
{
	(void)state;
	const char *names[XK_N + 1];
	assert_ptr_equal(xkind_names(names), names);
	assert_null(names[XK_N]);
	for (int k = 0; k < XK_N; k++) {
		const struct xkind_info *ki = xkind_info(k);
		assert_non_null(ki->name);
		assert_non_null(ki->help);
		assert_non_null(ki->read);
		assert_string_equal(names[k], ki->name);
		assert_int_equal(xkind_by_name(ki->name), k);
		assert_string_equal(xkind_name(k), ki->name);
		/* a kind feeds the ratings or writes one table, never both */
		if ((ki->family != XF_NONE) == (ki->table != XT_NONE))
			fail_msg("%s: family %d and table %d", ki->name, ki->family, ki->table);
		if ((ki->table != XT_NONE) != (ki->header != NULL))
			fail_msg("%s: a table needs a header, and only a table has one", ki->name);
		assert_int_equal(xkind_family(k), ki->family);
		/* kinds that write one table agree on its header or are refused
		 * together (extract.c); the header's first column is the key */
		if (ki->header)
			assert_non_null(strchr(ki->header, ','));
	}
	assert_null(xkind_name(XK_NONE));
	assert_int_equal(xkind_family(XK_NONE), XF_NONE);
	/* csv is never detected: no shape, no names */
	assert_int_equal(xkind_info(XK_CSV)->shape, XL_NEVER);
	assert_null(xkind_info(XK_CSV)->files[0]);
}

/* Every name of a row tells its kind, with or without .gz and a folder. */
static void test_names_tell_kind(void **state)
{
	(void)state;
	int named = 0;
	for (int k = 0; k < XK_N; k++)
		for (int i = 0; i < 3 && xkind_info(k)->files[i]; i++) {
			const char *pat = xkind_info(k)->files[i];
			char name[256], path[300];
			const char *star = strchr(pat, '*');
			if (star)
				snprintf(name, sizeof name, "%.*s_poetry%s", (int)(star - pat), pat,
					 star + 1);
			else
				snprintf(name, sizeof name, "%s", pat);
			snprintf(path, sizeof path, "dir/%s.gz", name);
			if (xkind_detect(name, NULL) != k || xkind_detect(path, "") != k)
				fail_msg("%s (from %s) is not told as %s", name, pat, xkind_name(k));
			named++;
		}
	assert_true(named >= 16);
	assert_int_equal(xkind_detect("goodreads_books.jsonx", NULL), XK_NONE);
	assert_int_equal(xkind_detect("xu.data", NULL), XK_NONE);
}

/* The shape of a line decides before any row: a JSON or "::" line that no
 * row of its shape takes tells nothing, whatever CSV names it holds. */
static void test_shapes_first(void **state)
{
	(void)state;
	assert_int_equal(xkind_detect("x", "{\"a\": 1},userId,movieId,rating"), XK_NONE);
	assert_int_equal(xkind_detect("x", "a::b,userId,movieId,rating"), XK_NONE);
	assert_int_equal(xkind_detect("u.data", "a::b,userId,movieId,rating"), XK_ML_UDATA);
	/* rows in table order: a work also naming a book is a work */
	assert_int_equal(xkind_detect("x", "{\"book_id\": \"1\", \"best_book_id\": \"2\"}"),
			 XK_GR_WORKS);
	assert_int_equal(xkind_detect("x", "{\"book_id\": \"1\", \"author_id\": \"2\"}"),
			 XK_GR_BOOKS);
	/* goodbooks-books is tried before ml-csv-ratings */
	assert_int_equal(xkind_detect("x", "userId,movieId,rating,goodreads_book_id"),
			 XK_GB_BOOKS);
}

/* --help's kinds: every name, table and file name, in at most 79 columns. */
static void test_help(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	assert_non_null(fp);
	xkind_help(fp);
	fclose(fp);
	for (int k = 0; k < XK_N; k++) {
		const struct xkind_info *ki = xkind_info(k);
		char line[64];
		snprintf(line, sizeof line, "\n  %-20s %.10s", ki->name, ki->help);
		if (!strstr(text, line))
			fail_msg("no line for %s in:\n%s", ki->name, text);
		for (int i = 0; i < 3 && ki->files[i]; i++)
			assert_non_null(strstr(text, ki->files[i]));
		if (ki->table != XT_NONE)
			assert_non_null(strstr(text, xtab_file(ki->table)));
	}
	for (char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		if (n > 79)
			fail_msg("help line of %zu columns: %.*s", n, (int)n, p);
		p += n + (p[n] == '\n');
	}
	free(text);
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	static char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = 0;
	fclose(fp);
	return buf;
}

/* Extract one line of kind into dir; returns the table's text. */
static char *meta(const char *dir, int kind, const char *json, const char *table)
{
	char in[512], out[512], path[600];
	snprintf(in, sizeof in, "%s/in.json", dir);
	snprintf(out, sizeof out, "%s/out-%d", dir, kind);
	FILE *fp = fopen(in, "w");
	assert_non_null(fp);
	fprintf(fp, "%s\n", json);
	fclose(fp);
	struct xopts o = {.out_dir = out, .source = kind, .quiet = 1, .threads = 1,
			  .rep = {.limit = 2, .max_pct = 1.0}};
	char *files[1] = {in};
	assert_int_equal(extract_run(&o, files, 1), 0);
	snprintf(path, sizeof path, "%s/%s", out, table);
	return slurp(path);
}

/* Keys fill the header's columns of the same name; the computed columns
 * (author ids, rating counts) take no key of their own. */
static void test_meta_columns(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	char dir[512];
	snprintf(dir, sizeof dir, "%s/test_extract_kind.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	assert_string_equal(
		meta(dir, XK_GR_BOOKS,
		     "{\"book_id\":\"7\",\"author_id\":\"99\",\"author_ids\":\"98\",\"authors\":"
		     "[{\"author_id\":\"1\",\"role\":\"\"},{\"author_id\":\"2\"}],\"title\":\"T\","
		     "\"rating_dist\":\"5:1\",\"url\":\"u\"}",
		     "books.csv"),
		"book_id,work_id,title,title_without_series,author_id,author_ids,publication_year,"
		"language_code,isbn,isbn13,average_rating,ratings_count,image_url,url\n"
		"7,,T,,1,1|2,,,,,,,,u\n");
	assert_string_equal(
		meta(dir, XK_GR_WORKS,
		     "{\"work_id\":\"5\",\"ratings_1\":\"77\",\"authors\":[{\"author_id\":\"1\"}],"
		     "\"rating_dist\":\"5:7|4:4|3:2|2:0|1:1|total:14\",\"best_book_id\":\"3\"}",
		     "works.csv"),
		"work_id,best_book_id,original_title,original_publication_year,ratings_count,"
		"text_reviews_count,ratings_1,ratings_2,ratings_3,ratings_4,ratings_5\n"
		"5,3,,,,,1,0,2,4,7\n");
	assert_string_equal(meta(dir, XK_GR_AUTHORS,
				 "{\"author_id\":\"4\",\"authors\":[{\"author_id\":\"1\"}],"
				 "\"rating_dist\":\"5:1\",\"name\":\"N\",\"ratings_1\":\"3\"}",
				 "authors.csv"),
			    "author_id,name,average_rating,ratings_count\n4,N,,\n");
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The parse threads: --threads as given, else the CPUs, 1 to 8; and
 * when the workers start (pl_parse_bound): once parsing on the reading
 * thread held up the read-ahead, by its waits and by their CPU. */
static void test_default_threads(void **state)
{
	(void)state;
	int adapt;
	assert_int_equal(xsrc_threads(0, 2, &adapt), 2);
	assert_true(adapt); /* inflate takes one of the two CPUs */
	assert_int_equal(xsrc_threads(0, 1, &adapt), 1);
	assert_int_equal(xsrc_threads(0, 0, &adapt), 1);
	assert_int_equal(xsrc_threads(0, 4, &adapt), 4);
	assert_false(adapt); /* cores for the workers: they start at once */
	assert_int_equal(xsrc_threads(0, 64, &adapt), 8);
	assert_false(adapt);
	assert_int_equal(xsrc_threads(3, 2, &adapt), 3);
	assert_false(adapt); /* --threads is taken as given */
	assert_int_equal(xsrc_threads(1, 8, &adapt), 1);
	assert_false(adapt);
	/* keeps up with inflate: the read-ahead hardly waits */
	assert_false(pl_parse_bound(0.11, 0.11, 0.10, 0.01));
	/* 1.4 and 1.7 times inflate's CPU: slower, but workers would cost more */
	assert_false(pl_parse_bound(0.14, 0.14, 0.10, 0.04));
	assert_false(pl_parse_bound(0.16, 0.16, 0.09, 0.07));
	assert_false(pl_parse_bound(0.2, 0.2, 0.2 / PL_BOUND, 0.2 * PL_WAIT_SHARE));
	/* the inflate waits 60% of the time for a parse of 2.5 times its CPU */
	assert_true(pl_parse_bound(0.25, 0.25, 0.10, 0.15));
	/* waits that the CPU does not bear out: the parse lost its CPU */
	assert_false(pl_parse_bound(0.25, 0.11, 0.10, 0.15));
	/* an uncompressed file: reading costs little and waits */
	assert_true(pl_parse_bound(0.5, 0.5, 0.05, 0.45));
	assert_true(pl_parse_bound(0.5, 0.5, -1, -1)); /* read on the parsing thread */
}

int main(void)
{
	log_init("test_extract_kind", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_complete), cmocka_unit_test(test_names_tell_kind),
		cmocka_unit_test(test_shapes_first),  cmocka_unit_test(test_help),
		cmocka_unit_test(test_meta_columns),  cmocka_unit_test(test_default_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
