/* Unit tests for the Goodreads metadata reader's fast path
 * (extract_src_goodreads_meta.c): whatever line it accepts, it makes the
 * same record yajl makes, and the reader as it runs (fast path, then yajl)
 * gives yajl's verdict on every line, bad ones included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "../../etl/extract_jsonflat.h"
#include "../../etl/extract_kind.h"
#include "../../etl/extract_src_goodreads_meta.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *header(int kind) { return xkind_info(kind)->header; }

/* The line through both paths: the reader's verdict must be yajl's, and
 * the fast path alone either refuses or agrees.  want_fast: 1 it must
 * accept, 0 it must refuse, -1 either.  Returns whether it accepted. */
static int check(int kind, const char *line, int want_fast)
{
	struct buf y = {0}, f = {0}, b = {0};
	const char *h = header(kind);
	assert_int_equal(grmeta_parse_one(h, line, GRM_YAJL, &y), 0);
	assert_int_equal(grmeta_parse_one(h, line, GRM_FAST, &f), 0);
	assert_int_equal(grmeta_parse_one(h, line, GRM_BOTH, &b), 0);
	int fast = strcmp(f.p, "refused") != 0;
	if (want_fast >= 0 && fast != want_fast)
		fail_msg("fast path %s %s\n(yajl: %s)", fast ? "accepted" : "refused", line, y.p);
	if (fast && strcmp(f.p, y.p) != 0)
		fail_msg("fast path and yajl differ on %s\nyajl %s\nfast %s", line, y.p, f.p);
	if (strcmp(b.p, y.p) != 0)
		fail_msg("the reader and yajl differ on %s\nyajl   %s\nreader %s", line, y.p, b.p);
	buf_free(&y);
	buf_free(&f);
	buf_free(&b);
	return fast;
}

/* What the reader makes of line, for the exact-output checks. */
static void expect(int kind, const char *line, const char *want)
{
	struct buf out = {0};
	assert_int_equal(grmeta_parse_one(header(kind), line, GRM_BOTH, &out), 0);
	if (strcmp(out.p, want) != 0)
		fail_msg("%s:\ngot  %s\nwant %s", line, out.p, want);
	buf_free(&out);
	check(kind, line, -1);
}

#define BOOK                                                                                  \
	"{\"isbn\": \"0312853122\", \"series\": [\"189911\"], \"popular_shelves\": [{\"count\": " \
	"\"3\", \"name\": \"to-read\"}, {\"count\": \"1\", \"name\": \"p\"}], \"similar_books\": " \
	"[], \"description\": \"A \\\"tale\\\"\\n\\\\ of caf\\u00e9\", \"authors\": "             \
	"[{\"author_id\": \"604031\", \"role\": \"\"}, {\"author_id\": \"6266\", \"role\": "       \
	"\"Editor\"}], \"publication_year\": 1984, \"average_rating\": \"4.00\", \"book_id\": "    \
	"\"5333265\", \"work_id\": \"5400751\", \"title\": \"W. C. Fields: \\\"A Life\\\" "        \
	"\\ud83d\\udcda\", \"title_without_series\": \"W.C. \\u00e9\\/x\", \"url\": "             \
	"\"https://x/5333265\", \"image_url\": \"\", \"language_code\": null, \"isbn13\": true, "  \
	"\"ratings_count\": \"3\"}"
#define WORK                                                                                  \
	"{\"books_count\": \"1\", \"text_reviews_count\": \"1\", \"best_book_id\": \"5333265\", " \
	"\"original_publication_year\": \"1984\", \"original_title\": \"W. C. \\\"Fields\\\"\", "  \
	"\"rating_dist\": \"5:1|4:1|3:1|2:0|1:0|total:3\", \"original_language_id\": \"\", "      \
	"\"ratings_count\": \"3\", \"media_type\": \"book\", \"work_id\": \"5400751\"}"
/* compact nesting, so that a few edits reach every branch of the skip */
#define NESTED                                                                                \
	"{\"book_id\":\"7\",\"x\":{\"a\":[1,{\"b\":2},[]],\"c\":{}},\"title\":\"t\\\"\","      \
	"\"authors\":[{\"author_id\":\"1\"},2,{\"author_id\":3,\"r\":[]}],\"y\":[-1.5e3,true,null]}"
#define AUTHOR                                                                                \
	"{\"average_rating\": \"3.98\", \"author_id\": \"604031\", \"text_reviews_count\": "      \
	"\"7\", \"name\": \"Ronald J. Fields\", \"ratings_count\": \"49\"}"

static void test_records(void **state)
{
	(void)state;
	expect(XK_GR_BOOKS, BOOK,
	       "row 0: 5333265,5400751,\"W. C. Fields: \"\"A Life\"\" \xf0\x9f\x93\x9a\",W.C. "
	       "\xc3\xa9/x,604031,604031|6266,1984,,0312853122,true,4.00,3,,https://x/5333265\n");
	expect(XK_GR_WORKS, WORK,
	       "row 0: 5400751,5333265,\"W. C. \"\"Fields\"\"\",1984,3,1,0,0,1,1,1\n");
	expect(XK_GR_AUTHORS, AUTHOR, "row 0: 604031,Ronald J. Fields,3.98,49\n");
	expect(XK_GR_BOOKS, NESTED, "row 0: 7,,\"t\"\"\",,1,1|3,,,,,,,,\n");
	/* the common shapes take the fast path */
	check(XK_GR_BOOKS, BOOK, 1);
	check(XK_GR_WORKS, WORK, 1);
	check(XK_GR_AUTHORS, AUTHOR, 1);
	check(XK_GR_BOOKS, NESTED, 1);
}

/* Lines the fast path takes (1) or leaves to yajl (0); either way the
 * reader must give yajl's verdict. */
static void test_shapes(void **state)
{
	(void)state;
	static const struct {
		int kind;
		const char *line;
		int fast;
	} cases[] = {
		/* duplicate keys: the first value of a column, the last rating_dist,
		 * the ids of every authors list */
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"title\": \"a\", \"title\": \"b\"}", 1},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"book_id\": \"x\"}", 1},
		{XK_GR_BOOKS,
		 "{\"book_id\": \"1\", \"authors\": [{\"author_id\": \"1\"}], \"authors\": "
		 "[{\"author_id\": \"2\"}]}",
		 1},
		{XK_GR_WORKS,
		 "{\"work_id\": \"1\", \"rating_dist\": \"5:1|total:1\", \"rating_dist\": \"4:2\"}", 1},
		{XK_GR_WORKS, "{\"work_id\": \"1\", \"rating_dist\": 5, \"ratings_1\": \"9\"}", 1},
		{XK_GR_WORKS, "{\"work_id\": \"1\", \"rating_dist\": \"5:\\u0031|1:x\"}", 1},
		/* wrong types: numbers and literals are their text, nested values
		 * and null fill nothing */
		{XK_GR_BOOKS,
		 "{\"book_id\": 12, \"title\": [\"x\"], \"isbn\": {\"a\": 1}, \"url\": true, "
		 "\"isbn13\": null, \"work_id\": -1.5e+3, \"image_url\": false}",
		 1},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"authors\": \"x\", \"author_id\": \"7\"}", 1},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"authors\": {\"author_id\": \"7\"}}", 1},
		{XK_GR_BOOKS,
		 "{\"book_id\": \"1\", \"authors\": [1, \"x\", [{\"author_id\": \"9\"}], {}, "
		 "{\"author_id\": 5}, {\"author_id\": true}, {\"author_id\": null}, {\"author_id\": "
		 "{\"author_id\": \"7\"}}, {\"author_id\": \"\"}, {\"role\": [\"a\"], \"author_id\": "
		 "\"3\"}, {\"author_id\": \"4\\u00e9\", \"author_id\": \"5\"}]}",
		 1},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"authors\": [{\"author_id\": \"\"}, "
			      "{\"author_id\": \"2\"}]}", 1},
		/* escapes yajl decodes, lone surrogates and \u0000 mended */
		{XK_GR_BOOKS,
		 "{\"book_id\": \"1\", \"title\": \"\\u0000 x \\ud83d\\ude00 \\u00E9 \\u20ac \\/ "
		 "\\b\\f\\n\\r\\t \\\\ \\\"\"}",
		 1},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"title\": \"\\ud800\", \"url\": \"\\udc00x\"}", 1},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"title\": \"\\ud800\\u0041\", \"x\": \"\\ud800\"}", 1},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"authors\": [{\"author_id\": \"\\ud800\"}]}", 1},
		/* invalid UTF-8 in kept and dropped values */
		{XK_GR_BOOKS,
		 "{\"book_id\": \"1\", \"title\": \"caf\xc3\xa9 \xff \xed\xa0\x80\", \"d\": \"\xff\"}",
		 1},
		/* bad records the fast path reads: check() decides */
		{XK_GR_BOOKS, "{}", 1},
		{XK_GR_BOOKS, " {\"book_id\": \"01\"}\r", 1},
		{XK_GR_BOOKS, "{\"book_id\": \"\"}", 1},
		{XK_GR_BOOKS, "{\"book_id\": null, \"title\": \"t\"}", 1},
		{XK_GR_AUTHORS, "{\"author_id\": \"12345678901234567890\"}", 1},
		{XK_GR_BOOKS,
		 "{\"book_id\": \"1\", \"x\": [[[[[[{\"a\": [1, 2.5e-3, -0, true, false, null, "
		 "\"s\\\"]\", {}, []]}]]]]]]}",
		 1},
		/* left to yajl */
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"authors\": [{\"author_id\": [\"5\", \"6\"]}]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"authors\": [{\"author_id\": []}]}", 0},
		{XK_GR_BOOKS, "{\"b\\u006fok_id\": \"1\"}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"authors\": [{\"auth\\u006fr_id\": \"5\"}]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\"} {}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\"", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\",}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [1,]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": {\"a\" 1}}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [1}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": {\"a\": 1,}}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [{\"a\": 1},]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": {\"a\": 1 \"b\": 2}}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": {\"a\"}}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": {1: 2}}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [1 2]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": {]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [[]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"authors\": [{\"author_id\": \"1\",}]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"authors\": [{\"author_id\": \"1\"},]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"authors\": [{\"author_id\" \"1\"}]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"authors\": [{\"author_id\": \"1\"}}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [1.5.5]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [-]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [1e]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [tru]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [falsey]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": [\"\\u12g4\"]}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": 01}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": 1.}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"x\": \"\\x\"}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\", \"title\": \"a\tb\"}", 0},
		{XK_GR_BOOKS, "{\"book_id\": \"1\",\f\"x\": 1}", 0},
		{XK_GR_BOOKS, "[1]", 0},
		{XK_GR_BOOKS, "", 0},
		{XK_GR_BOOKS, " \t", 0},
		{XK_GR_BOOKS, "\"{\\\"book_id\\\": 1}", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(cases[i].kind, cases[i].line, cases[i].fast);
	/* deeper than jsonflat_skip goes: yajl reads it */
	char deep[256] = "{\"book_id\": \"1\", \"x\": ";
	size_t n = strlen(deep);
	for (int i = 0; i < 70; i++)
		deep[n++] = '[';
	for (int i = 0; i < 70; i++)
		deep[n++] = ']';
	memcpy(deep + n, "}", 2);
	check(XK_GR_BOOKS, deep, 0);
	assert_ptr_equal(jsonflat_skip(deep + 22, deep + n), NULL);
	assert_ptr_equal(jsonflat_skip(deep + 22 + 10, deep + n - 10), deep + n - 10);
}

/* Every prefix of each base line: truncations, the fast path gives up or
 * agrees. */
static void test_truncations(void **state)
{
	(void)state;
	static const struct {
		int kind;
		const char *line;
	} bases[] = {{XK_GR_BOOKS, BOOK}, {XK_GR_WORKS, WORK}, {XK_GR_AUTHORS, AUTHOR}};
	char line[1024];
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		size_t len = strlen(bases[i].line);
		assert_true(len < sizeof line);
		for (size_t cut = 0; cut < len; cut++) {
			memcpy(line, bases[i].line, cut);
			line[cut] = 0;
			check(bases[i].kind, line, 0);
		}
	}
}

/* base with 1 to 3 of its bytes replaced by characters of alphabet, drawn
 * from *seed (the pattern of test_extract_parse.c's mutate). */
static void mutate(char *line, const char *base, const char *alphabet, int round, unsigned *seed)
{
	size_t len = strlen(base), na = strlen(alphabet);
	memcpy(line, base, len + 1);
	int edits = 1 + round % 3;
	for (int e = 0; e < edits; e++) {
		*seed = *seed * 1103515245u + 12345u;
		size_t at = (*seed >> 8) % len;
		*seed = *seed * 1103515245u + 12345u;
		line[at] = alphabet[(*seed >> 8) % na];
	}
}

/* Random mutations of each base line: bad escapes, bad UTF-8, broken
 * nesting, keys and types changed.  The fast path must take a good share
 * of them (or it is not being tested) and agree with yajl on all it
 * takes. */
static void test_mutations(void **state)
{
	(void)state;
	static const struct {
		int kind;
		const char *line;
	} bases[] = {{XK_GR_BOOKS, BOOK},
		     {XK_GR_WORKS, WORK},
		     {XK_GR_AUTHORS, AUTHOR},
		     {XK_GR_BOOKS, NESTED}};
	const char alphabet[] = "{}[]\":, \\\\\\u0123456789.eE+-aAfFdDgnrtbx_\x01\xff\xc3\xed\t";
	unsigned seed = 24680;
	char line[1024];
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		int rounds = 6000, fast = 0;
		for (int round = 0; round < rounds; round++) {
			mutate(line, bases[i].line, alphabet, round, &seed);
			fast += check(bases[i].kind, line, -1);
		}
		if (fast < rounds / 10)
			fail_msg("the fast path took only %d of %d mutated lines", fast, rounds);
	}
}

int main(void)
{
	log_init("test_extract_grmeta", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
