#include "threads.h"

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
