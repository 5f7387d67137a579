/* Unit tests for lib/progress: silent unless stderr is a terminal and not
 * quiet; on a terminal (a pseudo-terminal here) one line rewritten in place
 * with rows, rate, percent and ETA, cleared at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "log.h"
#include "progress.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void pause_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Everything the pty's master has to read now. */
static size_t drain(int master, char *buf, size_t cap)
{
	size_t n = 0;
	struct pollfd p = {.fd = master, .events = POLLIN};
	while (n < cap - 1 && poll(&p, 1, 200) > 0) {
		ssize_t r = read(master, buf + n, cap - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	return n;
}

/* Not a terminal (the test runner's stderr is a file), or quiet: off, and
 * nothing is recorded or written. */
static void test_off_without_terminal(void **state)
{
	(void)state;
	struct progress p;
	int saved = dup(2);
	FILE *f = tmpfile();
	assert_non_null(f);
	dup2(fileno(f), 2);
	progress_start(&p, "in.json", 1000, 0);
	assert_int_equal(p.on, 0);
	for (int i = 0; i < 20000; i++)
		progress_tick(&p, (uint64_t)i, (uint64_t)i);
	progress_end(&p);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	assert_int_equal(ftell(f), 0);
	assert_int_equal(p.shown, 0);
	fclose(f);
	progress_start(&p, "in.json", 1000, 1);
	assert_int_equal(p.on, 0);
	assert_string_equal(p.label, "in.json");
	assert_true(p.total == 1000);
}

static void test_line_on_a_terminal(void **state)
{
	(void)state;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0)
		skip();
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	struct termios t;
	assert_int_equal(tcgetattr(slave, &t), 0);
	cfmakeraw(&t); /* bytes as written: no \n -> \r\n */
	assert_int_equal(tcsetattr(slave, TCSANOW, &t), 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(slave, 2);

	struct progress p;
	char buf[4096];
	progress_start(&p, "books.json.gz", 2000000, 0);
	int on = p.on;
	/* before REDRAW (0.5 s) has passed: no line, however many ticks (unless
	 * a loaded machine took that long over them: then not checked) */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t i = 1; i <= 8192; i++)
		progress_tick(&p, i, i);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	size_t quiet_bytes = drain(master, buf, sizeof buf);
	if (took > 0.4)
		quiet_bytes = 0;
	pause_s(0.6);
	/* the clock is read every 4096 ticks: 4096 more draw once */
	for (uint32_t i = 1; i <= 4096; i++)
		progress_tick(&p, 12400000, 1000000);
	drain(master, buf, sizeof buf);
	char line[4096];
	strcpy(line, buf);
	int shown = p.shown;
	progress_end(&p);
	drain(master, buf, sizeof buf);
	/* quiet: silent on a terminal too */
	struct progress q;
	progress_start(&q, "x", 0, 1);
	int q_on = q.on;

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(slave);
	close(master);

	assert_int_equal(on, 1);
	assert_int_equal(q_on, 0);
	assert_int_equal(quiet_bytes, 0);
	assert_int_equal(shown, 1);
	/* "\r<prog>: <label>: 12.4M rows, N MB/s, 50%, ETA m:ss" and clear to
	 * the end of the line */
	assert_int_equal(strncmp(line, "\rtest_progress: books.json.gz: 12.4M rows, ", 43), 0);
	assert_non_null(strstr(line, " MB/s, 50%, ETA "));
	assert_non_null(strstr(line, "\033[K"));
	assert_null(strchr(line, '\n'));
	assert_string_equal(buf, "\r\033[K");
	assert_int_equal(p.shown, 0);
}

int main(void)
{
	log_init("test_progress", LOG_NORMAL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_without_terminal),
		cmocka_unit_test(test_line_on_a_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
