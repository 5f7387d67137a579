/* Unit tests for goodlens-extract's field values (etl/extract_value: rating
 * scales, ratings, quoting), the --columns option (etl/extract_columns),
 * ISO dates and the advice given for a file of unknown layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../etl/extract_dates.h"
#include "../../etl/extract_columns.h"
#include "../../etl/extract_kind.h"
#include "../../etl/extract_value.h"
#include "err.h"
#include "glr.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

/* Read text on s: the RS_* code, the byte in *b, the message in msg. */
static char msg[256];
static int rd(struct rscale *s, const char *text, uint8_t *b)
{
	msg[0] = 0;
	return rscale_read(s, text, strlen(text), b, msg, sizeof msg);
}

static void test_default_scale(void **state)
{
	(void)state;
	struct rscale s;
	uint8_t b = 0;
	rscale_default(&s);
	assert_true(rscale_unit(&s) == 0.5f);
	assert_int_equal(rd(&s, "4", &b), RS_OK);
	assert_int_equal(b, 8);
	assert_int_equal(rd(&s, " 1 ", &b), RS_OK);
	assert_int_equal(b, 2);
	/* whole numbers: the scale shows as 1..5 */
	assert_int_equal(rd(&s, "7", &b), RS_RANGE);
	assert_string_equal(msg, "rating 7 is outside 1..5");
	assert_int_equal(rd(&s, "0", &b), RS_RANGE);
	assert_string_equal(msg, "rating 0 is outside 1..5");
	assert_int_equal(rd(&s, "five", &b), RS_NAN);
	assert_string_equal(msg, "rating \"five\" is not a number");
	assert_int_equal(rd(&s, "", &b), RS_EMPTY);
	assert_string_equal(msg, "rating is empty");
	/* the first decimal turns it into 0.5..5; nothing read changes */
	assert_int_equal(rd(&s, "4.5", &b), RS_OK);
	assert_int_equal(b, 9);
	assert_int_equal(rd(&s, ".5", &b), RS_OK);
	assert_int_equal(b, 1);
	assert_int_equal(rd(&s, "3.", &b), RS_OK);
	assert_int_equal(b, 6);
	assert_int_equal(rd(&s, "7", &b), RS_RANGE);
	assert_string_equal(msg, "rating 7 is outside 0.5..5");
	assert_int_equal(rd(&s, "4.25", &b), RS_STEP);
	assert_string_equal(msg, "rating 4.25 is not in steps of 0.5 (0.5..5)");
	assert_int_equal(rd(&s, "4,5", &b), RS_NAN);
	assert_int_equal(rd(&s, "4e0", &b), RS_NAN);
	assert_int_equal(rd(&s, "-", &b), RS_NAN);
	assert_int_equal(rd(&s, ".", &b), RS_NAN);
	assert_int_equal(rd(&s, "-1", &b), RS_RANGE);
	assert_int_equal(rd(&s, "4.0000001", &b), RS_STEP); /* finer than a millionth */
	assert_int_equal(rd(&s, "99999999999999999999", &b), RS_RANGE);
}

static void test_parse_scales(void **state)
{
	(void)state;
	struct rscale s;
	uint8_t b = 0;
	/* 1..10: whole steps, bytes at 0.5 as every source */
	assert_int_equal(rscale_parse(&s, "1,10"), 0);
	assert_true(rscale_unit(&s) == 0.5f);
	assert_int_equal(rd(&s, "10", &b), RS_OK);
	assert_int_equal(b, 20);
	assert_int_equal(rd(&s, "9.5", &b), RS_STEP);
	assert_string_equal(msg, "rating 9.5 is not a whole number (1..10)");
	assert_int_equal(rd(&s, "11", &b), RS_RANGE);
	assert_string_equal(msg, "rating 11 is outside 1..10");
	/* 1..100 still fits at 0.5 (byte 200); 1..200 goes to a step of 1 */
	assert_int_equal(rscale_parse(&s, "1,100"), 0);
	assert_true(rscale_unit(&s) == 0.5f);
	assert_int_equal(rd(&s, "100", &b), RS_OK);
	assert_int_equal(b, 200);
	assert_int_equal(rscale_parse(&s, "1,200"), 0);
	assert_true(rscale_unit(&s) == 1.0f);
	assert_int_equal(rd(&s, "200", &b), RS_OK);
	assert_int_equal(b, 200);
	/* tenths: stored at 0.1, every value exact through glr_encode */
	assert_int_equal(rscale_parse(&s, "0.5,5,0.1"), 0);
	assert_true(rscale_unit(&s) == 0.1f);
	assert_int_equal(rd(&s, "3.7", &b), RS_OK);
	assert_int_equal(b, 37);
	uint8_t enc;
	assert_int_equal(glr_encode(3.7, rscale_unit(&s), &enc), 0);
	assert_int_equal(enc, 37);
	assert_int_equal(rd(&s, "3.75", &b), RS_STEP);
	assert_string_equal(msg, "rating 3.75 is not in steps of 0.1 (0.5..5)");
	/* the step defaults to 0.5 when LO or HI has halves */
	assert_int_equal(rscale_parse(&s, "0.5,10"), 0);
	assert_int_equal(rd(&s, "9.5", &b), RS_OK);
	assert_int_equal(b, 19);
}

static void test_refused_scales(void **state)
{
	(void)state;
	struct rscale s;
	assert_int_equal(rscale_parse(&s, "0,100"), GL_EUSAGE);  /* 0 reads as shelved */
	assert_int_equal(rscale_parse(&s, "-1,5"), GL_EUSAGE);
	assert_int_equal(rscale_parse(&s, "1,1000"), GL_EUSAGE); /* 1000 bytes */
	assert_int_equal(rscale_parse(&s, "0.1,30,0.1"), GL_EUSAGE);
	assert_int_equal(rscale_parse(&s, "5,1"), GL_EUSAGE);
	assert_int_equal(rscale_parse(&s, "1,1"), GL_EUSAGE);
	assert_int_equal(rscale_parse(&s, "0.3,5"), GL_EUSAGE); /* needs a step */
	assert_int_equal(rscale_parse(&s, "1,5,0"), GL_EUSAGE);
	assert_int_equal(rscale_parse(&s, "1,5,2"), GL_EUSAGE); /* 5 is off the steps */
	assert_int_equal(rscale_parse(&s, "1"), GL_EUSAGE);
	assert_int_equal(rscale_parse(&s, "1,5,1,1"), GL_EUSAGE);
	assert_int_equal(rscale_parse(&s, "one,five"), GL_EUSAGE);
	assert_int_equal(rscale_parse(&s, "1,5,0.0000001"), GL_EUSAGE);
	/* the largest that fits */
	assert_int_equal(rscale_parse(&s, "1,255"), 0);
	assert_int_equal(rscale_parse(&s, "0.1,25.5,0.1"), 0);
}

static void test_stars05_and_quote(void **state)
{
	(void)state;
	uint8_t st = 9;
	assert_int_equal(xval_stars05("0", 1, &st, msg, sizeof msg), RS_OK);
	assert_int_equal(st, 0);
	assert_int_equal(xval_stars05("5", 1, &st, msg, sizeof msg), RS_OK);
	assert_int_equal(st, 5);
	assert_int_equal(xval_stars05("6", 1, &st, msg, sizeof msg), RS_RANGE);
	assert_string_equal(msg, "rating 6 is outside 0..5");
	assert_int_equal(xval_stars05("4.5", 3, &st, msg, sizeof msg), RS_STEP);
	char q[64];
	xval_quote("five", 4, q, sizeof q);
	assert_string_equal(q, "\"five\"");
	xval_quote("a\tb", 3, q, sizeof q);
	assert_string_equal(q, "\"a?b\"");
	const char *lng = "0123456789012345678901234567890123456789\xc3\xa9tc";
	xval_quote(lng, strlen(lng), q, sizeof q);
	assert_string_equal(q, "\"0123456789012345678901234567890123456789...\"");
	const char *cut = "012345678901234567890123456789012345678\xc3\xa9tc"; /* é across 40 */
	xval_quote(cut, strlen(cut), q, sizeof q);
	assert_string_equal(q, "\"012345678901234567890123456789012345678...\"");
}

static void test_columns(void **state)
{
	(void)state;
	struct xcols c;
	char spec[128], key[64];
	memset(&c, 0, sizeof c);
	snprintf(spec, sizeof spec, "rating=score,user=rater,item=film,time=when");
	assert_int_equal(xcols_parse(&c, spec), 0);
	assert_string_equal(c.name[XC_USER], "rater");
	assert_string_equal(c.name[XC_ITEM], "film");
	assert_string_equal(c.name[XC_RATING], "score");
	assert_string_equal(c.name[XC_TIME], "when");
	xcols_key_name(&c, XC_ITEM, key, sizeof key);
	assert_string_equal(key, "film");
	/* goodlens-export's fastai layout: user,item,rating */
	snprintf(spec, sizeof spec, "user=user,item=item,rating=rating");
	assert_int_equal(xcols_parse(&c, spec), 0);
	assert_null(c.name[XC_TIME]);
	xcols_key_name(&c, XC_USER, key, sizeof key);
	assert_string_equal(key, "user_id");
	xcols_key_name(&c, XC_ITEM, key, sizeof key);
	assert_string_equal(key, "item_id");
	/* positions */
	snprintf(spec, sizeof spec, "user=1,item=2,rating=3");
	assert_int_equal(xcols_parse(&c, spec), 0);
	c.no_header = 1;
	assert_int_equal(xcols_positions(&c), 0);
	assert_int_equal(c.pos[XC_RATING], 3);
	xcols_key_name(&c, XC_USER, key, sizeof key);
	assert_string_equal(key, "user_id");
	snprintf(spec, sizeof spec, "user=a,item=2,rating=3");
	assert_int_equal(xcols_parse(&c, spec), 0);
	assert_int_equal(xcols_positions(&c), GL_EUSAGE);
	snprintf(spec, sizeof spec, "user=0,item=2,rating=3");
	assert_int_equal(xcols_parse(&c, spec), 0);
	assert_int_equal(xcols_positions(&c), GL_EUSAGE);
	/* refused */
	const char *bad[] = {"user=a,item=b", "user=a,item=b,rating=c,stars=d", "user=a,user=b,item=c,rating=d",
			     "user=,item=b,rating=c", "user=a,item=a,rating=c", "user,item=b,rating=c"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(spec, sizeof spec, "%s", bad[i]);
		assert_int_equal(xcols_parse(&c, spec), GL_EUSAGE);
	}
}

static void test_iso_dates(void **state)
{
	(void)state;
	uint32_t t;
	const char *ok[][2] = {
		{"2020-01-02", "1577923200"},          {"2020-01-02 03:04", "1577934240"},
		{"2020-01-02T03:04:05", "1577934245"}, {"2020-01-02T03:04:05Z", "1577934245"},
		{"2020-01-02T03:04:05.250Z", "1577934245"},
		{"2020-01-02T03:04:05+01:00", "1577930645"},
		{"2020-01-02T03:04:05-0700", "1577959445"}, {"2020-01-02 03:04:05+02", "1577927045"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(date_iso(ok[i][0], strlen(ok[i][0]), &t), 1);
		char want[16];
		snprintf(want, sizeof want, "%u", t);
		assert_string_equal(want, ok[i][1]);
	}
	const char *bad[] = {"2020-13-01", "2020-02-30", "2020-01-02T25:00", "2020/01/02",
			     "2020-01-02T03", "2020-01-02X", "1969-12-31", "2020-01-02+25:00"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(date_iso(bad[i], strlen(bad[i]), &t), -1);
	assert_int_equal(date_iso("", 0, &t), 0);
}

static void test_suggest(void **state)
{
	(void)state;
	char out[256];
	assert_int_equal(xkind_suggest("rater;film;score;when", out, sizeof out), 0);
	assert_string_equal(out, "--source csv --columns user=rater,item=film,rating=score,time=when");
	assert_int_equal(xkind_suggest("user,movie,stars,time", out, sizeof out), 0);
	assert_string_equal(out, "--source csv --columns user=user,item=movie,rating=stars,time=time");
	assert_int_equal(xkind_suggest("a,b,c", out, sizeof out), 0);
	assert_string_equal(out, "--source csv --columns user=COL,item=COL,rating=COL[,time=COL]");
	assert_int_equal(xkind_suggest("1;2;4.5;12345", out, sizeof out), 1);
	assert_string_equal(out, "--source csv --no-header --columns user=1,item=2,rating=3,time=4");
	/* such headers are not taken for a known layout */
	assert_int_equal(xkind_detect("ratings.csv", "rater;film;score;when"), XK_NONE);
	assert_int_equal(xkind_by_name("csv"), XK_CSV);
	assert_int_equal(xkind_family(XK_CSV), XF_CSV);
}

int main(void)
{
	log_init("test_extract_value", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_scale),     cmocka_unit_test(test_parse_scales),
		cmocka_unit_test(test_refused_scales),    cmocka_unit_test(test_stars05_and_quote),
		cmocka_unit_test(test_columns),           cmocka_unit_test(test_iso_dates),
		cmocka_unit_test(test_suggest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
