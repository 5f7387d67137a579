/* Unit tests for lib/delim (the delimiter of a table, told from its first
 * lines) and csvread's "::" fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csvread.h"
#include "delim.h"
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int detect(const char *text)
{
	char buf[4096], *lines[64];
	size_t n = 0;
	snprintf(buf, sizeof buf, "%s", text);
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l && n < 64;
	     l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	return delim_detect((const char *const *)lines, n);
}

static void test_each_delimiter(void **state)
{
	(void)state;
	assert_int_equal(detect("user,item,rating\n1,2,4.5\n"), DELIM_COMMA);
	assert_int_equal(detect("rater;film;score;when\nann;Heat;4;2020-01-02\n"),
			 DELIM_SEMICOLON);
	assert_int_equal(detect("196\t242\t3\t881250949\n186\t302\t3\t891717742\n"), DELIM_TAB);
	assert_int_equal(detect("a|b|c\n1|2|3\n"), DELIM_PIPE);
	assert_int_equal(detect("1::1193::5::978300760\n1::661::3::978302109\n"), DELIM_DCOLON);
	assert_int_equal(detect("0 12 4.5\n1 3 2\n"), DELIM_SPACE);
	assert_int_equal(detect("title\nHeat\n"), DELIM_NONE);
	assert_int_equal(detect(""), DELIM_NONE);
}

static void test_quotes_and_consistency(void **state)
{
	(void)state;
	/* commas inside quotes do not count */
	assert_int_equal(detect("film;name\n\"Heat, The\";\"a, b, c\"\nUp;Up\n"), DELIM_SEMICOLON);
	assert_int_equal(detect("\"Heat, The\";4\n\"Up, Again\";5\n"), DELIM_SEMICOLON);
	/* unquoted '|' in one column of a ';' table varies from row to row */
	assert_int_equal(detect("film;name;kinds\n1;Toy Story;Animation|Comedy\n2;Heat;Crime\n"),
			 DELIM_SEMICOLON);
	/* the same count on every line beats a larger count on the first */
	assert_int_equal(detect("a,b|c|d|e\n1,2|3\n4,5|6|7\n8,9\n"), DELIM_COMMA);
	/* a quoted field over two lines is one record */
	assert_int_equal(detect("id;text\n1;\"two\nlines; here\"\n2;x\n"), DELIM_SEMICOLON);
	/* spaces only when nothing else separates: titles with spaces stay CSV */
	assert_int_equal(detect("user,title\n1,Star Wars\n2,The Big Lebowski\n"), DELIM_COMMA);
	/* ties go to the order , ; tab | :: */
	assert_int_equal(detect("a,b;c\n1,2;3\n"), DELIM_COMMA);
	/* ISO times hold ':' but never "::" */
	assert_int_equal(detect("u,i,r,t\n1,2,3,2020-01-01 10:00:00\n"), DELIM_COMMA);
}

static void test_parse_names(void **state)
{
	(void)state;
	assert_int_equal(delim_parse(","), DELIM_COMMA);
	assert_int_equal(delim_parse("semicolon"), DELIM_SEMICOLON);
	assert_int_equal(delim_parse("tab"), DELIM_TAB);
	assert_int_equal(delim_parse("\t"), DELIM_TAB);
	assert_int_equal(delim_parse("\\t"), DELIM_TAB);
	assert_int_equal(delim_parse("pipe"), DELIM_PIPE);
	assert_int_equal(delim_parse("::"), DELIM_DCOLON);
	assert_int_equal(delim_parse("space"), DELIM_SPACE);
	assert_int_equal(delim_parse(":"), DELIM_NONE);
	assert_int_equal(delim_parse(""), DELIM_NONE);
	assert_string_equal(delim_text(DELIM_DCOLON), "::");
	assert_string_equal(delim_show(DELIM_TAB), "tab");
}

static void write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(data, f);
	assert_int_equal(fclose(f), 0);
}

static void test_sniff_file(void **state)
{
	(void)state;
	int d = -2;
	write_file("t.csv", "\n\nrater;film;score\r\nann;Heat;4\r\n");
	assert_int_equal(delim_sniff("t.csv", &d), 0);
	assert_int_equal(d, DELIM_SEMICOLON);
	write_file("t.csv", "");
	assert_int_equal(delim_sniff("t.csv", &d), 0);
	assert_int_equal(d, DELIM_NONE);
	assert_int_equal(delim_sniff("-", &d), 0); /* stdin cannot be read twice */
	assert_int_equal(delim_sniff("nosuch.csv", &d) < 0, 1);
	unlink("t.csv");
}

static void test_csvread_dcolon(void **state)
{
	(void)state;
	write_file("t.dat", "1::10::4.5::978300760\n2::\"a::b\"::3::0\n");
	struct csvr *r;
	struct csvr_rec rec;
	struct csvr_opts o = {.dcolon = 1};
	assert_int_equal(csvr_open(&r, "t.dat", &o), 0);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_int_equal(rec.n, 4);
	assert_string_equal(rec.f[2], "4.5");
	assert_string_equal(rec.f[3], "978300760");
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_int_equal(rec.n, 4);
	assert_string_equal(rec.f[1], "a\x1f" "b"); /* inside quotes: documented */
	assert_int_equal(csvr_next(r, &rec), 0);
	csvr_close(r);
	unlink("t.dat");
}

int main(void)
{
	log_init("test_delim", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_delimiter), cmocka_unit_test(test_quotes_and_consistency),
		cmocka_unit_test(test_parse_names),    cmocka_unit_test(test_sniff_file),
		cmocka_unit_test(test_csvread_dcolon),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
