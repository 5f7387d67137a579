/* threads.h - run one function on n threads and wait for all of them.
 *
 * Work is split by the thread number t, never by who finishes first, so
 * results depend on the thread count only, not on timing.  If a thread
 * cannot be started its share runs in the caller afterwards: slower, same
 * result.
 */
#ifndef GL_TRAIN_THREADS_H
#define GL_TRAIN_THREADS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* Call fn(arg, t, n) for t = 0..n-1, t = 0 in the calling thread. */
void threads_run(uint32_t n, void (*fn)(void *arg, uint32_t t, uint32_t n), void *arg);

/* The half-open share [*lo, *hi) of [0, total) that thread t of n takes. */
void threads_share(uint64_t total, uint32_t t, uint32_t n, uint64_t *lo, uint64_t *hi);

/* A barrier for the n shares of one threads_parallel: each waits until
 * all n arrived.  A waiter spins briefly (about 50 us) before it sleeps,
 * because the phases it separates can be a millisecond long and waking a
 * sleeping thread (on a virtual machine especially) costs a good part of
 * that. */
struct barrier {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint32_t n;
	atomic_uint count, gen;
};

/* 0, or GL_ENOMEM when the mutex or condition cannot be made. */
int barrier_init(struct barrier *b, uint32_t n);
void barrier_wait(struct barrier *b);
void barrier_destroy(struct barrier *b);

/* Call fn(arg, t, n) for t = 0..n-1, every share on its own thread at the
 * same time (t = 0 in the caller), so the shares may meet at a barrier;
 * returns 1.  When a thread cannot be started no share runs and it
 * returns 0: the caller falls back to work without barriers (threads_run,
 * whose shares may run one after another). */
int threads_parallel(uint32_t n, void (*fn)(void *arg, uint32_t t, uint32_t n), void *arg);

#endif
