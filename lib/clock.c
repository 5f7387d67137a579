#include "clock.h"

double clock_seconds(clockid_t clk)
{
	struct timespec ts;
	if (clock_gettime(clk, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double clock_now(void) { return clock_seconds(CLOCK_MONOTONIC); }
