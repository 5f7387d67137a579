#include "parwrite.h"

#include "cli.h"
#include "err.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct slot {
	struct csvb b;
	int ready; /* filled, waiting to be written */
};

/* Shared between the writer (the caller) and the fillers.  One mutex and
 * one condition for every change: the threads are few and a chunk takes
 * milliseconds, so the waits are rare and short. */
struct par {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t n;        /* chunks in all */
	uint64_t next;     /* the next chunk to hand out */
	uint64_t written;  /* chunks written so far, in order */
	int nslots;        /* chunk c lives in slot c % nslots */
	struct slot *slots;
	int err;           /* first error; stops everyone */
	parw_fill_fn fill;
	void *ctx;
};

static void *filler(void *arg)
{
	struct par *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		/* chunk next may use its slot once chunk next - nslots is written */
		while (!p->err && p->next < p->n && p->next >= p->written + (uint64_t)p->nslots)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->err || p->next >= p->n)
			break;
		uint64_t c = p->next++;
		struct slot *s = &p->slots[c % (uint64_t)p->nslots];
		pthread_mutex_unlock(&p->mu);
		s->b.len = 0;
		int err = p->fill(p->ctx, c, &s->b);
		pthread_mutex_lock(&p->mu);
		if (err && !p->err)
			p->err = err;
		s->ready = 1;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* The writer's side: each chunk in order, once it is ready. */
static int write_all(struct par *p, FILE *f)
{
	int err = 0;
	for (uint64_t c = 0; c < p->n && !err; c++) {
		struct slot *s = &p->slots[c % (uint64_t)p->nslots];
		pthread_mutex_lock(&p->mu);
		while (!s->ready && !p->err)
			pthread_cond_wait(&p->cv, &p->mu);
		err = p->err;
		pthread_mutex_unlock(&p->mu);
		if (!err)
			err = csvb_write(&s->b, f);
		pthread_mutex_lock(&p->mu);
		s->ready = 0;
		p->written++;
		if (err && !p->err)
			p->err = err;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return err;
}

static int run_inline(FILE *f, uint64_t n, parw_fill_fn fill, void *ctx)
{
	struct csvb b = {0};
	int err = 0;
	for (uint64_t c = 0; c < n && !err; c++)
		if (!(err = fill(ctx, c, &b)))
			err = csvb_write(&b, f);
	csvb_free(&b);
	return err;
}

int parw_run(FILE *f, uint64_t n_chunks, int threads, parw_fill_fn fill, void *ctx)
{
	if (threads <= 1 || n_chunks <= 1)
		return run_inline(f, n_chunks, fill, ctx);
	struct par p = {.n = n_chunks, .nslots = 2 * threads, .fill = fill, .ctx = ctx};
	pthread_t *tid = malloc((size_t)threads * sizeof *tid);
	p.slots = calloc((size_t)p.nslots, sizeof *p.slots);
	if (!tid || !p.slots) {
		free(tid);
		free(p.slots);
		return GL_ENOMEM;
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	int started = 0;
	for (int t = 0; t < threads; t++)
		if (pthread_create(&tid[started], NULL, filler, &p) == 0)
			started++;
	int err;
	if (started) {
		err = write_all(&p, f);
		for (int t = 0; t < started; t++)
			pthread_join(tid[t], NULL);
	} else {
		err = run_inline(f, n_chunks, fill, ctx);
	}
	if (!err)
		err = p.err;
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	for (int s = 0; s < p.nslots; s++)
		csvb_free(&p.slots[s].b);
	free(p.slots);
	free(tid);
	return err;
}

int parw_default_threads(void)
{
	int cpus = cli_cpus();
	return cpus > 8 ? 8 : cpus;
}

int parw_cut(const uint64_t *prefix, uint64_t n, uint64_t per, uint64_t **starts,
	     uint64_t *n_chunks)
{
	if (!per)
		per = 1;
	/* at most one chunk per `per` of weight, plus one per row at worst */
	uint64_t cap = (prefix[n] - prefix[0]) / per + 2, m = 0;
	uint64_t *s = malloc(cap * sizeof *s);
	if (!s)
		return GL_ENOMEM;
	s[m++] = 0;
	for (uint64_t r = 0, from = prefix[0]; r < n; r++)
		if (prefix[r + 1] - from >= per && r + 1 < n) {
			s[m++] = r + 1;
			from = prefix[r + 1];
		}
	s[m] = n;
	*starts = s;
	*n_chunks = n ? m : 0;
	return 0;
}
