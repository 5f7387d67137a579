#include "threads.h"

#include "err.h"

#include <pthread.h>
#include <stdlib.h>

struct job {
	void (*fn)(void *arg, uint32_t t, uint32_t n);
	void *arg;
	uint32_t t, n;
};

static void *trampoline(void *p)
{
	struct job *j = p;
	j->fn(j->arg, j->t, j->n);
	return NULL;
}

void threads_run(uint32_t n, void (*fn)(void *arg, uint32_t t, uint32_t n), void *arg)
{
	if (n <= 1) {
		fn(arg, 0, 1);
		return;
	}
	struct job *jobs = calloc(n, sizeof *jobs);
	pthread_t *tid = calloc(n, sizeof *tid);
	char *started = calloc(n, 1);
	if (!jobs || !tid || !started) {
		/* No memory for bookkeeping: run every share here, in order. */
		for (uint32_t t = 0; t < n; t++)
			fn(arg, t, n);
		goto done;
	}
	for (uint32_t t = 1; t < n; t++) {
		jobs[t] = (struct job){fn, arg, t, n};
		started[t] = pthread_create(&tid[t], NULL, trampoline, &jobs[t]) == 0;
	}
	fn(arg, 0, n);
	for (uint32_t t = 1; t < n; t++) {
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			fn(arg, t, n);
	}
done:
	free(jobs);
	free(tid);
	free(started);
}

void threads_share(uint64_t total, uint32_t t, uint32_t n, uint64_t *lo, uint64_t *hi)
{
	*lo = total * t / n;
	*hi = total * (t + 1) / n;
}

/* ---- barrier -------------------------------------------------------------- */

/* Spins before a waiter sleeps: about 50 us of checks. */
#define BARRIER_SPIN 20000

int barrier_init(struct barrier *b, uint32_t n)
{
	b->n = n;
	atomic_init(&b->count, 0);
	atomic_init(&b->gen, 0);
	if (pthread_mutex_init(&b->mu, NULL))
		return GL_ENOMEM;
	if (pthread_cond_init(&b->cv, NULL)) {
		pthread_mutex_destroy(&b->mu);
		return GL_ENOMEM;
	}
	return 0;
}

void barrier_wait(struct barrier *b)
{
	unsigned g = atomic_load(&b->gen);
	if (atomic_fetch_add(&b->count, 1) + 1 == b->n) {
		/* the last to arrive opens the next round */
		atomic_store(&b->count, 0);
		pthread_mutex_lock(&b->mu);
		atomic_fetch_add(&b->gen, 1);
		pthread_cond_broadcast(&b->cv);
		pthread_mutex_unlock(&b->mu);
		return;
	}
	for (int i = 0; i < BARRIER_SPIN; i++) {
		if (atomic_load(&b->gen) != g)
			return;
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
	pthread_mutex_lock(&b->mu);
	while (atomic_load(&b->gen) == g)
		pthread_cond_wait(&b->cv, &b->mu);
	pthread_mutex_unlock(&b->mu);
}

void barrier_destroy(struct barrier *b)
{
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
}

/* ---- all shares at once ------------------------------------------------------ */

struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int state; /* 0: wait, 1: go, -1: give up */
};

struct gated {
	struct job job;
	struct gate *gate;
};

static void *gated_trampoline(void *p)
{
	struct gated *g = p;
	pthread_mutex_lock(&g->gate->mu);
	while (g->gate->state == 0)
		pthread_cond_wait(&g->gate->cv, &g->gate->mu);
	int go = g->gate->state > 0;
	pthread_mutex_unlock(&g->gate->mu);
	if (go)
		g->job.fn(g->job.arg, g->job.t, g->job.n);
	return NULL;
}

static void open_gate(struct gate *gate, int state)
{
	pthread_mutex_lock(&gate->mu);
	gate->state = state;
	pthread_cond_broadcast(&gate->cv);
	pthread_mutex_unlock(&gate->mu);
}

int threads_parallel(uint32_t n, void (*fn)(void *arg, uint32_t t, uint32_t n), void *arg)
{
	if (n <= 1) {
		fn(arg, 0, 1);
		return 1;
	}
	struct gate gate = {.state = 0};
	struct gated *jobs = calloc(n, sizeof *jobs);
	pthread_t *tid = calloc(n, sizeof *tid);
	uint32_t started = 1;
	int ok = jobs && tid && !pthread_mutex_init(&gate.mu, NULL);
	if (ok && pthread_cond_init(&gate.cv, NULL)) {
		pthread_mutex_destroy(&gate.mu);
		ok = 0;
	}
	if (!ok) {
		free(jobs);
		free(tid);
		return 0;
	}
	for (; started < n; started++) {
		jobs[started] = (struct gated){{fn, arg, started, n}, &gate};
		if (pthread_create(&tid[started], NULL, gated_trampoline, &jobs[started]))
			break;
	}
	ok = started == n;
	open_gate(&gate, ok ? 1 : -1);
	if (ok)
		fn(arg, 0, n);
	for (uint32_t t = 1; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_cond_destroy(&gate.cv);
	pthread_mutex_destroy(&gate.mu);
	free(jobs);
	free(tid);
	return ok;
}
