#include "fstate.h"

#include "bigmem.h"
#include "err.h"
#include "log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Cut the users into at most want chunks of about equal ratings (at least
 * min each), every cut at a rating index that is a multiple of 8.  Returns
 * the number of chunks (>= 1); cut[0..n] are their bounds. */
static int cut_users(const struct fstate *s, int want, uint64_t min, uint64_t *cut)
{
	const struct glr *g = s->g;
	uint64_t nu = g->n_users, nr = g->n_ratings;
	if (!min)
		min = 1;
	if ((uint64_t)want > nr / min)
		want = nr / min ? (int)(nr / min) : 1;
	int n = 0;
	cut[0] = 0;
	for (int j = 1; j < want; j++) {
		uint64_t target = nr / (uint64_t)want * (uint64_t)j, lo = cut[n], hi = nu;
		while (lo < hi) { /* the first user whose ratings start at target or later */
			uint64_t mid = lo + (hi - lo) / 2;
			if (g->rowptr[mid] < target)
				lo = mid + 1;
			else
				hi = mid;
		}
		while (lo < nu && g->rowptr[lo] % 8)
			lo++;
		if (lo >= nu || lo <= cut[n] || g->rowptr[lo] == g->rowptr[cut[n]])
			continue;
		cut[++n] = lo;
	}
	cut[++n] = nu;
	return n;
}

/* Chunks per worker: a worker whose core is taken from it for a while (a
 * shared machine) holds up a pass by one chunk, not by half of it. */
#define CHUNKS_PER_WORKER 8
#define MAX_CHUNKS (FSTATE_MAX_PARTS * CHUNKS_PER_WORKER)

struct pool {
	const uint64_t *cut;
	int n;                  /* chunks */
	int next;               /* the next chunk to take (atomic) */
	void (*fn)(struct fpart *p);
};

/* A cache line of its own: fpart_drop writes p.dropped on every drop, and
 * two workers' counters on one line would pass it between the cores. */
struct worker {
	_Alignas(64) struct fpart p;
	struct pool *pool;
	pthread_t tid;
	int started;
};

/* Take chunks until none is left (or this worker failed). */
static void *work(void *arg)
{
	struct worker *w = arg;
	struct pool *pl = w->pool;
	for (;;) {
		int c = __atomic_fetch_add(&pl->next, 1, __ATOMIC_RELAXED);
		if (c >= pl->n || w->p.err)
			break;
		w->p.u0 = pl->cut[c];
		w->p.u1 = pl->cut[c + 1];
		pl->fn(&w->p);
	}
	return NULL;
}

/* The parts' drop counts for s->n_items items, as one block (on huge pages
 * past BIGMEM_MIN: a few faults instead of one per 4 KiB). */
static int alloc_idrop(struct fstate *s)
{
	int parts = s->threads > FSTATE_MAX_PARTS ? FSTATE_MAX_PARTS : s->threads;
	uint64_t n = s->n_items ? s->n_items : 1;
	size_t bytes = (size_t)parts * (size_t)n * sizeof(uint32_t);
	big_free(s->idrop_mem, s->idrop_bytes);
	memset(s->idrop, 0, sizeof s->idrop);
	s->idrop_bytes = 0;
	if (!(s->idrop_mem = big_alloc(bytes))) {
		log_error("out of memory for the filter's state");
		return GL_ENOMEM;
	}
	s->idrop_bytes = bytes;
	s->idrop_n = n;
	for (int j = 0; j < parts; j++)
		s->idrop[j] = (uint32_t *)s->idrop_mem + (size_t)j * n;
	return 0;
}

/* fstate_each, the parts' counts taken off (sign < 0), added (init) or
 * neither (0: a pass that reads, without idrop). */
static int run_parts(struct fstate *s, void (*fn)(struct fpart *p), void *arg, int sign)
{
	uint64_t cut[MAX_CHUNKS + 1];
	struct worker w[FSTATE_MAX_PARTS];
	uint64_t min = s->part_min ? s->part_min : 1, nr = s->g->n_ratings;
	int n = s->threads > FSTATE_MAX_PARTS ? FSTATE_MAX_PARTS : s->threads, err = 0;
	if ((uint64_t)n > nr / min) /* workers of part_min ratings at least */
		n = nr / min ? (int)(nr / min) : 1;
	struct pool pool = {.cut = cut, .fn = fn};
	pool.n = n > 1 ? cut_users(s, n * CHUNKS_PER_WORKER, min / CHUNKS_PER_WORKER, cut)
		       : cut_users(s, 1, 1, cut);
	if (n > pool.n)
		n = pool.n;
	memset(w, 0, sizeof w);
	if (sign && (!s->idrop_mem || s->idrop_n < s->n_items) && (err = alloc_idrop(s)))
		return err;
	for (int j = 0; j < n; j++) {
		w[j].p = (struct fpart){.s = s, .arg = arg, .index = j,
					.idrop = sign ? s->idrop[j] : NULL};
		w[j].pool = &pool;
	}
	for (int j = 1; j < n; j++)
		w[j].started = pthread_create(&w[j].tid, NULL, work, &w[j]) == 0;
	work(&w[0]); /* the chunks of a worker that did not start go to the others */
	for (int j = 1; j < n; j++)
		if (w[j].started)
			pthread_join(w[j].tid, NULL);
	for (int j = 0; j < n; j++) {
		uint32_t *d = w[j].p.idrop;
		if (!err)
			err = w[j].p.err;
		/* merged and zeroed for the next pass (untouched when it dropped
		 * nothing) */
		if (!err && sign < 0 && w[j].p.dropped)
			for (uint64_t i = 0; i < s->n_items; i++)
				s->icount[i] -= d[i], d[i] = 0;
		else if (!err && sign > 0)
			for (uint64_t i = 0; i < s->n_items; i++)
				s->icount[i] += d[i], d[i] = 0;
		else if (err && d)
			memset(d, 0, s->n_items * sizeof *d);
		if (!err && sign < 0)
			s->kept -= w[j].p.dropped;
	}
	return err;
}

int fstate_each(struct fstate *s, void (*fn)(struct fpart *p), void *arg)
{
	return run_parts(s, fn, arg, -1);
}

int fstate_each_read(const struct fstate *s, void (*fn)(struct fpart *p), void *arg)
{
	return run_parts((struct fstate *)s, fn, arg, 0); /* sign 0: nothing written */
}

/* The init pass: each part's ratings per item (in idrop, added on). */
static void count_items(struct fpart *p)
{
	const struct glr *g = p->s->g;
	for (uint64_t k = g->rowptr[p->u0]; k < g->rowptr[p->u1]; k++)
		p->idrop[g->items[k]]++;
}

int fstate_init(struct fstate *s, const struct glr *g)
{
	return fstate_init_threads(s, g, 1);
}

int fstate_init_threads(struct fstate *s, const struct glr *g, int threads)
{
	memset(s, 0, sizeof *s);
	s->g = g;
	s->threads = threads < 1 ? 1 : threads;
	s->part_min = FSTATE_PART_MIN;
	uint64_t nbytes = (g->n_ratings + 7) / 8;
	s->keep = malloc(nbytes ? nbytes : 1);
	s->ucount = calloc(g->n_users ? g->n_users : 1, sizeof *s->ucount);
	s->icount = calloc(g->n_items ? g->n_items : 1, sizeof *s->icount);
	if (!s->keep || !s->ucount || !s->icount) {
		fstate_free(s);
		log_error("out of memory for the filter's state");
		return GL_ENOMEM;
	}
	memset(s->keep, 0xff, nbytes);
	s->n_items = g->n_items;
	s->kept = g->n_ratings;
	for (uint64_t u = 0; u < g->n_users; u++)
		s->ucount[u] = (uint32_t)(g->rowptr[u + 1] - g->rowptr[u]);
	int err = run_parts(s, count_items, NULL, 1);
	if (err)
		fstate_free(s);
	return err;
}

void fstate_free(struct fstate *s)
{
	big_free(s->idrop_mem, s->idrop_bytes);
	free(s->keep);
	free(s->rating);
	free(s->imap);
	free(s->ucount);
	free(s->icount);
	memset(s, 0, sizeof *s);
}

int fstate_own_ratings(struct fstate *s)
{
	if (s->rating)
		return 0;
	s->rating = malloc(s->g->n_ratings ? s->g->n_ratings : 1);
	if (!s->rating) {
		log_error("out of memory for rewritten ratings");
		return GL_ENOMEM;
	}
	memcpy(s->rating, s->g->ratings, s->g->n_ratings);
	return 0;
}

void fstate_census(const struct fstate *s, uint64_t *users, uint64_t *items)
{
	uint64_t nu = 0, ni = 0;
	for (uint64_t u = 0; u < s->g->n_users; u++)
		nu += s->ucount[u] > 0;
	for (uint64_t i = 0; i < s->n_items; i++)
		ni += s->icount[i] > 0;
	*users = nu;
	*items = ni;
}

int fstate_set_imap(struct fstate *s, uint32_t *imap, uint64_t n_items)
{
	uint32_t *c = calloc(n_items ? n_items : 1, sizeof *c);
	if (!c) {
		free(imap);
		log_error("out of memory for the item map");
		return GL_ENOMEM;
	}
	free(s->imap);
	free(s->icount);
	s->imap = imap;
	s->icount = c;
	s->n_items = n_items;
	const struct glr *g = s->g;
	for (uint64_t u = 0; u < g->n_users; u++) {
		if (!s->ucount[u])
			continue;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (fstate_kept(s, k))
				c[imap[g->items[k]]]++;
	}
	return 0;
}
