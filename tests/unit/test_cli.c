/* Unit tests for lib/cli: exit statuses, strict option values and their
 * messages, --version and the usage hint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli.h"
#include "err.h"
#include "log.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a call wrote on one stream (fd 1 or 2), through a temporary file. */
struct capture {
	int fd, saved;
	FILE *f;
	char text[1024];
};

static void capture_start(struct capture *c, int fd)
{
	fflush(NULL);
	c->fd = fd;
	c->f = tmpfile();
	assert_non_null(c->f);
	c->saved = dup(fd);
	assert_true(c->saved >= 0);
	assert_int_equal(dup2(fileno(c->f), fd), fd);
}

static const char *capture_end(struct capture *c)
{
	fflush(NULL);
	assert_int_equal(dup2(c->saved, c->fd), c->fd);
	close(c->saved);
	rewind(c->f);
	size_t n = fread(c->text, 1, sizeof c->text - 1, c->f);
	c->text[n] = 0;
	fclose(c->f);
	return c->text;
}

static void test_exit_statuses(void **state)
{
	(void)state;
	assert_int_equal(cli_status(0), EXIT_OK);
	assert_int_equal(cli_status(CLI_DONE), EXIT_OK);
	assert_int_equal(cli_status(GL_EUSAGE), EXIT_USAGE);
	assert_int_equal(cli_status(GL_EIO), EXIT_FAIL);
	assert_int_equal(cli_status(GL_ENOMEM), EXIT_FAIL);
	assert_int_equal(cli_status(GL_EFORMAT), EXIT_FAIL);
	assert_int_equal(EXIT_OK, 0);
	assert_int_equal(EXIT_FAIL, 1);
	assert_int_equal(EXIT_USAGE, 2);
}

/* err must be GL_EUSAGE and stderr exactly want (prog name first). */
static void u64_bad(const char *arg, const char *why)
{
	struct capture c;
	uint64_t v = 7;
	char want[256];
	capture_start(&c, 2);
	int err = cli_u64("--users", arg, &v);
	const char *got = capture_end(&c);
	assert_int_equal(err, GL_EUSAGE);
	assert_int_equal(v, 7); /* untouched */
	snprintf(want, sizeof want, "test_cli: invalid value for --users: '%s' (%s)\n", arg ? arg : "",
		 why);
	assert_string_equal(got, want);
}

static void test_u64(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(cli_u64("--users", "0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cli_u64("--users", "42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cli_u64("--users", "007", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(cli_u64("--users", "18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	const char *nan = "expected a non-negative integer";
	u64_bad("", nan);
	u64_bad(NULL, nan);
	u64_bad("-1", nan);
	u64_bad("+1", nan);
	u64_bad(" 1", nan);
	u64_bad("12x", nan);
	u64_bad("1 ", nan);
	u64_bad("0x10", nan);
	u64_bad("1.0", nan);
	u64_bad("18446744073709551616", "too large");
}

static void test_u32(void **state)
{
	(void)state;
	uint32_t v = 1;
	assert_int_equal(cli_u32("--k", "4294967295", &v), 0);
	assert_true(v == UINT32_MAX);
	struct capture c;
	capture_start(&c, 2);
	v = 3;
	assert_int_equal(cli_u32("--k", "4294967296", &v), GL_EUSAGE);
	assert_int_equal(cli_u32("--k", "-5", &v), GL_EUSAGE);
	const char *got = capture_end(&c);
	assert_int_equal(v, 3);
	assert_string_equal(got, "test_cli: invalid value for --k: '4294967296' (too large)\n"
				 "test_cli: invalid value for --k: '-5' (expected a non-negative integer)\n");
}

static void test_double(void **state)
{
	(void)state;
	double v;
	assert_int_equal(cli_double("--lr", "1.5", &v), 0);
	assert_true(v == 1.5);
	assert_int_equal(cli_double("--lr", "-2", &v), 0);
	assert_true(v == -2);
	assert_int_equal(cli_double("--lr", "1e-3", &v), 0);
	assert_true(v == 1e-3);
	static const char *const bad[] = {"x", "1.5x", "inf", "nan", "-inf", "1e999", "1.5 ", NULL};
	struct capture c;
	capture_start(&c, 2);
	v = 9;
	for (int i = 0; bad[i]; i++)
		assert_int_equal(cli_double("--lr", bad[i], &v), GL_EUSAGE);
	assert_int_equal(cli_double("--lr", "", &v), GL_EUSAGE);
	assert_int_equal(cli_double("--lr", NULL, &v), GL_EUSAGE);
	const char *got = capture_end(&c);
	assert_true(v == 9);
	assert_non_null(strstr(got, "test_cli: invalid value for --lr: '1.5x' (expected a finite number)\n"));
	assert_non_null(strstr(got, "test_cli: invalid value for --lr: '1e999' (expected a finite number)\n"));
	assert_non_null(strstr(got, "test_cli: invalid value for --lr: '' (expected a number)\n"));
	/* one line per bad value */
	int lines = 0;
	for (const char *p = got; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 9);
}

static void test_range(void **state)
{
	(void)state;
	double lo = 0, hi = 0;
	assert_int_equal(cli_range("--rating-range", "1,5", &lo, &hi), 0);
	assert_true(lo == 1 && hi == 5);
	assert_int_equal(cli_range("--rating-range", "-0.5,4.5", &lo, &hi), 0);
	assert_true(lo == -0.5 && hi == 4.5);
	char longarg[300];
	memset(longarg, '1', 200);
	strcpy(longarg + 200, ",5");
	struct capture c;
	capture_start(&c, 2);
	assert_int_equal(cli_range("--rating-range", "5,1", &lo, &hi), GL_EUSAGE);
	assert_int_equal(cli_range("--rating-range", "3,3", &lo, &hi), GL_EUSAGE);
	assert_int_equal(cli_range("--rating-range", "3", &lo, &hi), GL_EUSAGE);
	assert_int_equal(cli_range("--rating-range", "a,5", &lo, &hi), GL_EUSAGE);
	assert_int_equal(cli_range("--rating-range", "1,", &lo, &hi), GL_EUSAGE);
	assert_int_equal(cli_range("--rating-range", ",5", &lo, &hi), GL_EUSAGE);
	assert_int_equal(cli_range("--rating-range", NULL, &lo, &hi), GL_EUSAGE);
	assert_int_equal(cli_range("--rating-range", longarg, &lo, &hi), GL_EUSAGE);
	const char *got = capture_end(&c);
	assert_non_null(strstr(got, "invalid value for --rating-range: '5,1' (lo must be below hi)\n"));
	assert_non_null(strstr(got, "invalid value for --rating-range: '3,3' (lo must be below hi)\n"));
	assert_non_null(strstr(got, "invalid value for --rating-range: '3' (expected lo,hi)\n"));
	assert_non_null(strstr(got, "invalid value for --rating-range: 'a' (expected a finite number)\n"));
	assert_non_null(strstr(got, "invalid value for --rating-range: '' (expected a number)\n"));
}

static void test_choice(void **state)
{
	(void)state;
	static const char *const names[] = {"dot", "mf", "als", NULL};
	int k = -1;
	assert_int_equal(cli_choice("--model", "dot", names, &k), 0);
	assert_int_equal(k, 0);
	assert_int_equal(cli_choice("--model", "als", names, &k), 0);
	assert_int_equal(k, 2);
	struct capture c;
	capture_start(&c, 2);
	assert_int_equal(cli_choice("--model", "DOT", names, &k), GL_EUSAGE);
	assert_int_equal(cli_choice("--model", "", names, &k), GL_EUSAGE);
	const char *got = capture_end(&c);
	assert_int_equal(k, 2);
	assert_string_equal(got, "test_cli: invalid value for --model: 'DOT' (expected one of: dot, mf, als)\n"
				 "test_cli: invalid value for --model: '' (expected one of: dot, mf, als)\n");
}

static void test_version_and_hint(void **state)
{
	(void)state;
	struct capture c;
	capture_start(&c, 1);
	cli_version("goodlens-x");
	assert_string_equal(capture_end(&c), "goodlens-x " GOODLENS_VERSION "\n");
	/* a bad command line: the hint and status 2; --help answered: 0, silent */
	capture_start(&c, 2);
	assert_int_equal(cli_parse_status("goodlens-x", GL_EUSAGE), EXIT_USAGE);
	assert_string_equal(capture_end(&c), "try 'goodlens-x --help'\n");
	capture_start(&c, 2);
	assert_int_equal(cli_parse_status("goodlens-x", GL_ENOMEM), EXIT_FAIL);
	assert_string_equal(capture_end(&c), "try 'goodlens-x --help'\n");
	capture_start(&c, 2);
	assert_int_equal(cli_parse_status("goodlens-x", CLI_DONE), EXIT_OK);
	assert_string_equal(capture_end(&c), "");
	/* the version is dotted numbers, as install's man pages and tests expect */
	const char *v = GOODLENS_VERSION;
	assert_true(strlen(v) > 0 && strspn(v, "0123456789.") == strlen(v));
}

/* cli_cpus counts the CPUs the affinity mask allows, not the machine's. */
static void test_cpus(void **state)
{
	(void)state;
	cpu_set_t all, one;
	assert_int_equal(sched_getaffinity(0, sizeof all, &all), 0);
	assert_int_equal(cli_cpus(), CPU_COUNT(&all));
	int first = 0;
	while (!CPU_ISSET(first, &all))
		first++;
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
	int n = cli_cpus();
	assert_int_equal(sched_setaffinity(0, sizeof all, &all), 0);
	assert_int_equal(n, 1);
}

int main(void)
{
	log_init("test_cli", LOG_NORMAL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_statuses), cmocka_unit_test(test_u64),
		cmocka_unit_test(test_u32),	      cmocka_unit_test(test_double),
		cmocka_unit_test(test_range),	      cmocka_unit_test(test_choice),
		cmocka_unit_test(test_version_and_hint), cmocka_unit_test(test_cpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
