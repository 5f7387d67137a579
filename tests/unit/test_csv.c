/* Unit tests for lib/csvread, lib/csvwrite and lib/utf8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "csvread.h"
#include "csvwrite.h"
#include "err.h"
#include "log.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(data, f);
	assert_int_equal(fclose(f), 0);
}

static void test_quoting_and_positions(void **state)
{
	(void)state;
	write_file("t.csv", "id,title\r\n"
			    "1,\"A, \"\"quoted\"\" title\"\r\n"
			    "\r\n"
			    "2,\"two\nlines\"\n"
			    "3, spaced ,x\r\n"
			    "4,a\rb");
	struct csvr *r;
	struct csvr_rec rec;
	assert_int_equal(csvr_open(&r, "t.csv", NULL), 0);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_int_equal(rec.n, 2);
	assert_int_equal(csvr_find(&rec, "title"), 1);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_string_equal(rec.f[1], "A, \"quoted\" title");
	assert_int_equal(rec.lineno, 2);
	assert_int_equal(rec.offset, 10);
	assert_int_equal(csvr_next(r, &rec), 1); /* the blank line is skipped */
	assert_string_equal(rec.f[1], "two\nlines");
	assert_int_equal(rec.lineno, 4);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_int_equal(rec.n, 3);
	assert_string_equal(rec.f[1], " spaced ");
	assert_int_equal(rec.lineno, 6);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_int_equal(rec.n, 2);
	assert_string_equal(rec.f[1], "a\rb");
	assert_int_equal(csvr_next(r, &rec), 0);
	csvr_close(r);
	unlink("t.csv");
}

static void test_encodings(void **state)
{
	(void)state;
	write_file("t1.csv", "1|Caf\xe9 (1995)|x\n");
	struct csvr_opts o = {.delim = '|', .latin1 = 1};
	struct csvr *r;
	struct csvr_rec rec;
	assert_int_equal(csvr_open(&r, "t1.csv", &o), 0);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_string_equal(rec.f[1], "Caf\xc3\xa9 (1995)");
	assert_int_equal(csvr_bad_utf8(r), 0);
	csvr_close(r);
	o.latin1 = 0;
	assert_int_equal(csvr_open(&r, "t1.csv", &o), 0);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_string_equal(rec.f[1], "Caf\xef\xbf\xbd (1995)");
	assert_int_equal(csvr_bad_utf8(r), 1);
	csvr_close(r);
	unlink("t1.csv");

	struct buf b = {0};
	/* cut 3-byte sequence, surrogate, overlong, valid 4-byte */
	const char in[] = "a\xe2\x82" "b\xed\xa0\x80" "c\xc0\xaf" "d\xf0\x9f\x93\x9a";
	assert_int_equal(utf8_clean(in, sizeof in - 1, 0, &b), 1 + 3 + 2);
	assert_string_equal(b.p, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
				 "c\xef\xbf\xbd\xef\xbf\xbd" "d\xf0\x9f\x93\x9a");
	buf_free(&b);
}

static void test_limits_and_unterminated(void **state)
{
	(void)state;
	char big[3000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	FILE *f = fopen("t2.csv", "wb");
	fprintf(f, "a,b\n1,%s\n\"open,\n2,3\n", big);
	fclose(f);
	struct csvr_opts o = {.max_record = 1000};
	struct csvr *r;
	struct csvr_rec rec;
	assert_int_equal(csvr_open(&r, "t2.csv", &o), 0);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_true(rec.too_long);
	assert_int_equal(rec.n, 0);
	assert_int_equal(rec.lineno, 2);
	/* The open quote swallows the rest: an error at its line. */
	assert_int_equal(csvr_next(r, &rec), GL_EFORMAT);
	csvr_close(r);
	unlink("t2.csv");
}

static void test_write_read_round_trip(void **state)
{
	(void)state;
	const char *fields[] = {"plain", "with,comma", "say \"hi\"", "two\nlines", " pad", "", "\xc3\xa9"};
	FILE *f = fopen("t3.csv", "wb");
	csvw_row(f, fields, 7);
	fclose(f);
	struct csvr *r;
	struct csvr_rec rec;
	assert_int_equal(csvr_open(&r, "t3.csv", NULL), 0);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_int_equal(rec.n, 7);
	for (int i = 0; i < 7; i++)
		assert_string_equal(rec.f[i], fields[i]);
	csvr_close(r);
	unlink("t3.csv");
}

int main(void)
{
	log_init("test_csv", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting_and_positions),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_limits_and_unterminated),
		cmocka_unit_test(test_write_read_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
