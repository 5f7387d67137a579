/* Unit tests for lib/clock: the readings are seconds, the monotonic clock
 * moves by the time slept, a thread's CPU clock by the CPU it burns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "clock.h"

#include <time.h>

static void test_seconds(void **state)
{
	(void)state;
	double t0 = clock_now();
	struct timespec nap = {0, 20 * 1000 * 1000};
	nanosleep(&nap, NULL);
	double slept = clock_now() - t0;
	assert_true(slept >= 0.019 && slept < 5.0);
	assert_true(clock_seconds(CLOCK_MONOTONIC) >= t0 + slept);

	/* sleeping costs no CPU; a busy loop does */
	double c0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
	volatile uint64_t x = 1;
	while (clock_seconds(CLOCK_THREAD_CPUTIME_ID) - c0 < 0.01)
		x = x * 6364136223846793005ull + 1;
	double burnt = clock_seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
	assert_true(burnt >= 0.01 && burnt < 5.0);

	assert_true(clock_seconds((clockid_t)-1000) == 0); /* no such clock */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seconds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
