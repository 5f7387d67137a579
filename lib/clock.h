/* clock.h - a clock's reading in seconds, for timings and for the measures
 * that steer work (extract's parse threads).
 */
#ifndef GL_CLOCK_H
#define GL_CLOCK_H

#include <time.h>

/* Seconds on clk: CLOCK_MONOTONIC for wall time, CLOCK_PROCESS_CPUTIME_ID
 * or CLOCK_THREAD_CPUTIME_ID for CPU time, or another thread's clock
 * (pthread_getcpuclockid).  0 when the clock cannot be read. */
double clock_seconds(clockid_t clk);

/* Seconds on the monotonic clock: what wall-time intervals subtract. */
double clock_now(void);

#endif
