/* Unit tests for goodlens-sample's text and date formatting: the escapes
 * must match what Python's json.dumps, csv and pandas wrote, and the dates
 * what Goodreads wrote in Pacific time (expected values from Python's
 * zoneinfo). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../etl/sample_date.h"
#include "../../etl/sample_text.h"

#include <string.h>

static char *str(struct sbuf *sb)
{
	sb_putc(sb, 0);
	assert_false(sb->oom);
	sb->len--;
	return sb->p;
}

static void test_json_ascii_like_python(void **state)
{
	(void)state;
	struct sbuf sb = { 0 };
	/* json.dumps("Reading \U0001F4DA \"x\" \\ \n\t\x01 é — \x7f") */
	sb_json_str(&sb, "Reading \xf0\x9f\x93\x9a \"x\" \\ \n\t\x01 \xc3\xa9 \xe2\x80\x94 \x7f", 1);
	assert_string_equal(str(&sb),
			    "\"Reading \\ud83d\\udcda \\\"x\\\" \\\\ \\n\\t\\u0001 \\u00e9 \\u2014 \\u007f\"");
	sb_free(&sb);
}

static void test_json_raw_utf8(void **state)
{
	(void)state;
	struct sbuf sb = { 0 };
	/* json.dumps(..., ensure_ascii=False) keeps UTF-8 and DEL */
	sb_json_str(&sb, "Reading \xf0\x9f\x93\x9a \xc3\xa9\x7f\b\f\r", 0);
	assert_string_equal(str(&sb), "\"Reading \xf0\x9f\x93\x9a \xc3\xa9\x7f\\b\\f\\r\"");
	sb_free(&sb);
}

static void test_csv_quoting(void **state)
{
	(void)state;
	struct sbuf sb = { 0 };
	sb_csv(&sb, "American President, The (1995)", 0);
	sb_putc(&sb, '|');
	sb_csv(&sb, "\"Great Performances\" Cats (1998)", 0);
	sb_putc(&sb, '|');
	sb_csv(&sb, "Toy Story (1995)", 0);
	sb_putc(&sb, '|');
	sb_csv(&sb, "Toy Story (1995)", 1);
	sb_putc(&sb, '|');
	sb_csv(&sb, "two\nlines", 0);
	assert_string_equal(str(&sb), "\"American President, The (1995)\"|"
				      "\"\"\"Great Performances\"\" Cats (1998)\"|"
				      "Toy Story (1995)|\"Toy Story (1995)\"|\"two\nlines\"");
	sb_free(&sb);
}

static void test_numbers(void **state)
{
	(void)state;
	struct sbuf sb = { 0 };
	sb_u64(&sb, 0);
	sb_putc(&sb, ' ');
	sb_u64(&sb, 18446744073709551615ULL);
	sb_putc(&sb, ' ');
	sb_i64(&sb, -750);
	sb_putc(&sb, ' ');
	sb_pyfloat2(&sb, 4.34);
	sb_putc(&sb, ' ');
	sb_pyfloat2(&sb, 4.3);
	sb_putc(&sb, ' ');
	sb_pyfloat2(&sb, 4.0);
	sb_putc(&sb, ' ');
	sb_fixed(&sb, 3.14159, 2);
	sb_putc(&sb, ' ');
	sb_hex(&sb, 0x0123456789abcdefULL, 0xfedcba9876543210ULL, 16);
	assert_string_equal(str(&sb), "0 18446744073709551615 -750 4.34 4.3 4.0 3.14 "
				      "0123456789abcdeffedcba9876543210");
	sb_free(&sb);
}

static void test_latin1_and_url(void **state)
{
	(void)state;
	struct sbuf sb = { 0 };
	assert_int_equal(sb_latin1(&sb, "Caf\xc3\xa9 \xc3\x9c"), 0);
	assert_int_equal(sb.len, 6);
	assert_memory_equal(sb.p, "Caf\xe9 \xdc", 6);
	/* not Latin-1: nothing appended */
	assert_int_equal(sb_latin1(&sb, "\xc5\x81\xc3\xb3\x64\xc5\xba"), -1);
	assert_int_equal(sb.len, 6);
	sb_reset(&sb);
	sb_urlenc(&sb, "Mis\xc3\xa9rables, Les (1995)");
	assert_string_equal(str(&sb), "Mis%E9rables,%20Les%20(1995)");
	sb_free(&sb);
}

static void test_titles(void **state)
{
	(void)state;
	char t[SAMPLE_TITLE_MAX], ml[SAMPLE_TITLE_MAX];
	sample_title(t, 1, 2, 2, 0, SAMPLE_UTF8);
	assert_string_equal(t, "<script>alert(1)</script>");
	sample_title(t, 1, 3, 3, 0, SAMPLE_LATIN1);
	sample_title_ml(ml, t);
	assert_string_equal(ml, "\"Perfect\" Stranger, The");
	/* Latin-1 catalogues never get a title outside Latin-1 */
	for (uint32_t w = 0; w < 5000; w++) {
		struct sbuf sb = { 0 };
		sample_title(t, 7, w, w, (int)(w % 8), SAMPLE_LATIN1);
		assert_int_equal(sb_latin1(&sb, t), 0);
		assert_null(strchr(t, '|'));
		assert_null(strstr(t, "::"));
		sb_free(&sb);
	}
	/* pure: same seed and index, same title */
	char again[SAMPLE_TITLE_MAX];
	sample_title(t, 9, 1234, 1234, 3, SAMPLE_UTF8);
	sample_title(again, 9, 1234, 1234, 3, SAMPLE_UTF8);
	assert_string_equal(t, again);
}

static void check_date(int64_t t, const char *want)
{
	char buf[SAMPLE_DATE_MAX + 1];
	size_t n = sample_date_goodreads(buf, t);
	buf[n] = 0;
	assert_string_equal(buf, want);
}

static void check_day(int64_t t, const char *want)
{
	char buf[SAMPLE_DATE_MAX + 1];
	size_t n = sample_date_goodreads_day(buf, t);
	buf[n] = 0;
	assert_string_equal(buf, want);
}

static void test_goodreads_dates(void **state)
{
	(void)state;
	check_date(1503719702, "Fri Aug 25 20:55:02 -0700 2017");
	check_date(1489312799, "Sun Mar 12 01:59:59 -0800 2017");
	check_date(1489312800, "Sun Mar 12 03:00:00 -0700 2017");
	check_date(1509872399, "Sun Nov 05 01:59:59 -0700 2017");
	check_date(1509872400, "Sun Nov 05 01:00:00 -0800 2017");
	check_date(1162112399, "Sun Oct 29 01:59:59 -0700 2006");
	check_date(1162112400, "Sun Oct 29 01:00:00 -0800 2006");
	check_date(1143971999, "Sun Apr 02 01:59:59 -0800 2006");
	check_date(1143972000, "Sun Apr 02 03:00:00 -0700 2006");
	check_date(0, "Wed Dec 31 16:00:00 -0800 1969");
	check_day(1489312800, "Sun Mar 12 00:00:00 -0800 2017");
	check_day(1509872400, "Sun Nov 05 00:00:00 -0700 2017");
	check_day(1503719702, "Fri Aug 25 00:00:00 -0700 2017");
}

static void test_other_dates(void **state)
{
	(void)state;
	char buf[SAMPLE_DATE_MAX + 1];
	buf[sample_date_iso(buf, 1112486027)] = 0;
	assert_string_equal(buf, "2005-04-02 23:53:47");
	buf[sample_date_iso(buf, 946684799)] = 0;
	assert_string_equal(buf, "1999-12-31 23:59:59");
	buf[sample_date_dmy(buf, 1995, 1, 1)] = 0;
	assert_string_equal(buf, "01-Jan-1995");
	assert_int_equal(sample_days_from_civil(2000, 3, 1), 11017);
	struct sample_civil c;
	sample_civil_from_unix(-1, &c);
	assert_int_equal(c.year, 1969);
	assert_int_equal(c.hour, 23);
	assert_int_equal(c.wday, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_ascii_like_python),
		cmocka_unit_test(test_json_raw_utf8),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_latin1_and_url),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_goodreads_dates),
		cmocka_unit_test(test_other_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
