/* threads.h - run one function on n threads and wait for all of them.
 *
 * Work is split by the thread number t, never by who finishes first, so
 * results depend on the thread count only, not on timing.  If a thread
 * cannot be started its share runs in the caller afterwards: slower, same
 * result.
 */
#ifndef GL_TRAIN_THREADS_H
#define GL_TRAIN_THREADS_H

#include <stdint.h>

/* Call fn(arg, t, n) for t = 0..n-1, t = 0 in the calling thread. */
void threads_run(uint32_t n, void (*fn)(void *arg, uint32_t t, uint32_t n), void *arg);

/* The half-open share [*lo, *hi) of [0, total) that thread t of n takes. */
void threads_share(uint64_t total, uint32_t t, uint32_t n, uint64_t *lo, uint64_t *hi);

#endif
