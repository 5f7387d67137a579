/* model_mf.c - biased matrix factorisation by parallel SGD, as LIBMF does.
 *
 *   s = mu + b_u + b_i + p_u . q_i       (mu: the mean training rating)
 *
 * One rating at a time: with ds = d(loss)/d(s) and l2 = 2 * wd,
 *   b_u -= lr_u (ds + l2 b_u)            p_u -= lr_u (ds q_i + l2 p_u)
 *   b_i -= lr_i (ds + l2 b_i)            q_i -= lr_i (ds p_u + l2 q_i)
 * (LIBMF's update with eta = 2 lr and lambda = wd).  With --adaptive each
 * row has its own rate lr / sqrt(G), G starting at 1 and growing by the
 * row's mean squared gradient at each of its updates (LIBMF's AdaGrad-like
 * rule).
 *
 * Training runs on working copies of the rows, padded to a multiple of 8
 * floats and aligned (train/mfkern.h), users numbered by slot so that each
 * thread's users lie together in memory; they are copied from the model's
 * tensors before every epoch and back after it (memory: the factors
 * twice, nothing per rating).
 *
 * Threads (LIBMF's block partition): users are split into T blocks of
 * about equal training-rating counts by a random permutation drawn once,
 * items into T runs of ids of about equal counts.  An epoch is T
 * sub-epochs; in sub-epoch s thread t updates the ratings of user block t
 * and item block (t + s + shift) mod T, so no two threads ever write the
 * same user or item row, and every rating is visited once.  The schedule
 * is static (LIBMF's scheduler hands out free blocks to whichever thread
 * asks first, which makes the result depend on timing), so the result
 * depends on the seed and T only.  The learning rate is fixed per
 * sub-epoch.  Within a block users come in a shuffled order; a user's
 * ratings in the block (one run of a sorted row, found by binary search)
 * are gathered from the mapped file, starting at a random place and
 * skipping validation ratings without a branch, into a small buffer, and
 * the kernel runs over it with the user's row held in registers.
 *
 * The kernel covers the squared error with the identity link, the
 * default, with or without --adaptive (mfkern.h has both updates); --loss
 * ce and --y-range take a per-rating path through model_score_grad.  With the ce loss each thread trains its own
 * copy of the class head and the copies are averaged after every
 * sub-epoch.
 */
#include "model.h"

#include "bigmem.h"
#include "err.h"
#include "kern.h"
#include "log.h"
#include "mfkern.h"
#include "sched.h"
#include "threads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct mf_scratch {
	uint32_t *it;       /* items of the run being trained */
	float *r;           /* their ratings */
};

struct mf {
	uint32_t nb;        /* blocks per side = threads */
	uint32_t kp;        /* padded row width */
	uint32_t *slot_user;/* user slot -> user; block t is [ustart[t], ustart[t+1]) */
	uint64_t *ustart;
	uint32_t *order;    /* user slots in this epoch's order, block by block */
	uint32_t *istart;   /* item block b is the ids [istart[b], istart[b+1]) */
	int sorted;         /* rows ascend by item: a block is a run of each row */
	float *wp, *wq;     /* working rows by user slot and by item, kp floats each */
	float *wbu, *wbi;   /* working biases, the same way */
	float *gu, *gi;     /* adaptive: per-row G, the same way */
	float value[256];   /* rating byte -> rating */
	mfk_fn fast;        /* the kernel, or NULL for the per-rating path */
	struct mf_scratch *scr; /* two per thread */
	float *heads;       /* ce: nb copies of (class_w, class_b) */
	float *hgrad;       /* ce: nb gradient scratch rows */
	double *loss;       /* per thread */
	uint64_t *seen;
};

static size_t rows_bytes(uint64_t n)
{
	return ((n ? n : 1) * sizeof(float) + 63) & ~(size_t)63;
}

/* Zeroed, 64-byte aligned room for n floats; read at random, so on huge
 * pages (lib/bigmem.h, 2 MiB aligned) once large.  Freed by free_rows(p, n). */
static float *alloc_rows(uint64_t n)
{
	size_t bytes = rows_bytes(n);
	if (bytes >= BIGMEM_MIN)
		return big_alloc(bytes);
	float *p = aligned_alloc(64, bytes);
	if (p)
		memset(p, 0, bytes);
	return p;
}

static void free_rows(float *p, uint64_t n)
{
	size_t bytes = rows_bytes(n);
	if (bytes >= BIGMEM_MIN)
		big_free(p, bytes);
	else
		free(p);
}

static int mf_alloc(struct model *m, struct mf *p)
{
	uint32_t nb = p->nb, nc = m->n_classes;
	uint64_t nu = m->n_users + 1, ni = m->n_items + 1, row = m->d->max_row + 1;
	int ok = 1;
	ok &= !!(p->slot_user = malloc(nu * sizeof *p->slot_user));
	ok &= !!(p->order = malloc(nu * sizeof *p->order));
	ok &= !!(p->ustart = calloc(nb + 1, sizeof *p->ustart));
	ok &= !!(p->istart = calloc(nb + 1, sizeof *p->istart));
	ok &= !!(p->wp = alloc_rows(nu * p->kp));
	ok &= !!(p->wq = alloc_rows(ni * p->kp));
	ok &= !!(p->wbu = alloc_rows(nu));
	ok &= !!(p->wbi = alloc_rows(ni));
	ok &= !!(p->loss = calloc(nb, sizeof *p->loss));
	ok &= !!(p->seen = calloc(nb, sizeof *p->seen));
	ok &= !!(p->scr = calloc(2 * nb, sizeof *p->scr));
	for (uint32_t t = 0; ok && t < 2 * nb; t++) {
		ok &= !!(p->scr[t].it = malloc(row * sizeof *p->scr[t].it));
		ok &= !!(p->scr[t].r = malloc(row * sizeof *p->scr[t].r));
	}
	if (m->cfg->adaptive) {
		ok &= !!(p->gu = malloc(nu * sizeof *p->gu));
		ok &= !!(p->gi = malloc(ni * sizeof *p->gi));
	}
	if (m->loss == GLM_CE) {
		ok &= !!(p->heads = malloc((size_t)nb * 2 * nc * sizeof *p->heads));
		ok &= !!(p->hgrad = malloc((size_t)nb * 2 * nc * sizeof *p->hgrad));
	}
	if (!ok) {
		log_error("out of memory for the mf model");
		return GL_ENOMEM;
	}
	for (uint64_t u = 0; p->gu && u < m->n_users; u++)
		p->gu[u] = 1;
	for (uint64_t i = 0; p->gi && i < m->n_items; i++)
		p->gi[i] = 1;
	for (int b = 0; b < 256; b++)
		p->value[b] = (float)b * m->d->g->scale;
	return 0;
}

static void shuffle_u32(uint32_t *a, uint64_t n, struct rng *r)
{
	for (uint64_t i = n; i > 1; i--) {
		uint64_t j = rng_below(r, i);
		uint32_t t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* ids[0..n) in a random order cut into nb blocks of about equal weight:
 * start[b] is where block b begins. */
static void balance(uint32_t *ids, uint64_t n, const uint64_t *weight, uint64_t total,
		    uint32_t nb, struct rng *r, uint64_t *start)
{
	for (uint64_t x = 0; x < n; x++)
		ids[x] = (uint32_t)x;
	if (nb == 1) {
		start[0] = 0;
		start[1] = n;
		return;
	}
	shuffle_u32(ids, n, r);
	uint64_t acc = 0, b = 0;
	start[0] = 0;
	for (uint64_t x = 0; x < n; x++) {
		while (b + 1 < nb && acc >= total * (b + 1) / nb)
			start[++b] = x;
		acc += weight[ids[x]];
	}
	while (b < nb)
		start[++b] = n;
}

/* User slots in blocks of about equal training-rating counts over a random
 * order; item blocks are runs of ids of about equal counts, so that in a
 * sorted row each block's ratings lie together. */
static int mf_partition(struct model *m, struct mf *p)
{
	const struct glr *g = m->d->g;
	uint32_t nb = p->nb;
	uint64_t nu = m->n_users, ni = m->n_items;
	uint64_t *wu = calloc(nu + 1, sizeof *wu), *wi = calloc(ni + 1, sizeof *wi);
	if (!wu || !wi) {
		free(wu);
		free(wi);
		log_error("out of memory for the mf blocks");
		return GL_ENOMEM;
	}
	for (uint64_t u = 0; u < nu; u++)
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (!glr_bit(g->split, k)) {
				wu[u]++;
				wi[g->items[k]]++;
			}
	balance(p->slot_user, nu, wu, m->d->n_train, nb, &m->rng, p->ustart);
	for (uint64_t s = 0; s < nu; s++)
		p->order[s] = (uint32_t)s;
	uint64_t acc = 0, b = 0;
	for (uint64_t i = 0; i < ni; i++) {
		while (b + 1 < nb && acc >= m->d->n_train * (b + 1) / nb)
			p->istart[++b] = (uint32_t)i;
		acc += wi[i];
	}
	while (b < nb)
		p->istart[++b] = (uint32_t)ni;
	p->sorted = !!(g->flags & GLR_SORTED);
	free(wu);
	free(wi);
	return 0;
}

static int mf_init(struct model *m)
{
	const struct train_cfg *c = m->cfg;
	struct mf *p = calloc(1, sizeof *p);
	if (!p) {
		log_error("out of memory for the mf model");
		return GL_ENOMEM;
	}
	m->priv = p;
	p->nb = c->threads;
	p->kp = mfk_pad(m->k);
	m->mu = (float)m->d->mean;
	int err = model_add_factors(m);
	if (!err && m->loss == GLM_CE)
		err = model_add_class_head(m, PT_NO_GRAD);
	if (!err)
		err = mf_alloc(m, p);
	if (!err)
		err = mf_partition(m, p);
	if (err)
		return err;
	model_init_trunc(m->P, &m->rng, c->init_sd);
	model_init_trunc(m->Q, &m->rng, c->init_sd);
	if (m->loss == GLM_MSE && !(m->y_lo < m->y_hi)) {
		const char *name;
		p->fast = c->adaptive ? mfk_select_adaptive(&name) : mfk_select(&name);
		log_debug("mf: %s kernel, rows of %u floats", name, p->kp);
	}
	return 0;
}

/* Tensors <-> working rows. */
static void mf_load(struct model *m, struct mf *p, int back)
{
	uint32_t k = m->k, kp = p->kp;
	for (uint64_t s = 0; s < m->n_users; s++) {
		uint32_t u = p->slot_user[s];
		float *t = m->P->w + (size_t)u * k, *w = p->wp + s * kp;
		memcpy(back ? t : w, back ? w : t, k * sizeof *t);
		if (back)
			m->bu->w[u] = p->wbu[s];
		else
			p->wbu[s] = m->bu->w[u];
	}
	for (uint64_t i = 0; i < m->n_items; i++) {
		float *t = m->Q->w + i * k, *w = p->wq + i * kp;
		memcpy(back ? t : w, back ? w : t, k * sizeof *t);
	}
	memcpy(back ? m->bi->w : p->wbi, back ? p->wbi : m->bi->w, m->n_items * sizeof(float));
}

struct mf_job {
	struct model *m;
	uint32_t epoch, sub, shift;
	float lr;
	const float *lrs;     /* per sub-epoch */
	struct barrier bar;   /* threads_parallel: between sub-epochs */
};

/* Where user u's row starts this epoch: a hash, so no state is kept. */
static uint64_t row_start(uint64_t seed, uint32_t epoch, uint32_t u, uint64_t len)
{
	uint64_t x = seed ^ ((uint64_t)epoch << 32) ^ u;
	x *= 0x9e3779b97f4a7c15ULL;
	x ^= x >> 29;
	return len ? x % len : 0;
}

/* The training ratings of [lo, hi) whose item is in [base, base + width),
 * appended to sc from n on; returns the new count.  Branch-free: every
 * rating is written, and the count moves only for the kept ones. */
static size_t gather(const struct glr *g, const struct mf *p, uint64_t lo, uint64_t hi,
		     uint32_t base, uint32_t width, struct mf_scratch *sc, size_t n)
{
	const uint8_t *split = g->split;
	for (uint64_t x = lo; x < hi; x++) {
		uint32_t i = g->items[x];
		unsigned keep = (((split[x >> 3] >> (x & 7)) & 1u) ^ 1u) & (i - base < width);
		sc->it[n] = i;
		sc->r[n] = p->value[g->ratings[x]];
		n += keep;
	}
	return n;
}

/* The same when every item of [lo, hi) is in the block (a run of a sorted
 * row): only the split bits decide, read a byte at a time. */
static size_t gather_run(const struct glr *g, const struct mf *p, uint64_t lo, uint64_t hi,
			 struct mf_scratch *sc, size_t n)
{
	const uint8_t *split = g->split, *rt = g->ratings;
	const uint32_t *items = g->items;
	uint32_t *it = sc->it;
	float *r = sc->r;
	uint64_t x = lo;
	for (; x < hi && (x & 7); x++) {
		it[n] = items[x];
		r[n] = p->value[rt[x]];
		n += ((split[x >> 3] >> (x & 7)) & 1u) ^ 1u;
	}
	for (; x + 8 <= hi; x += 8) {
		unsigned keep = ~(unsigned)split[x >> 3];
		for (unsigned l = 0; l < 8; l++) {
			it[n] = items[x + l];
			r[n] = p->value[rt[x + l]];
			n += (keep >> l) & 1u;
		}
	}
	for (; x < hi; x++) {
		it[n] = items[x];
		r[n] = p->value[rt[x]];
		n += ((split[x >> 3] >> (x & 7)) & 1u) ^ 1u;
	}
	return n;
}

/* One rating by the general path: forward, gradient, update.  Returns the
 * loss. */
static double mf_rating(struct model *m, struct mf *p, float *head, float *hg, uint32_t us,
			uint32_t i, float r, float lr, float l2)
{
	uint32_t kp = p->kp;
	float *pu = p->wp + (size_t)us * kp, *qi = p->wq + (size_t)i * kp;
	float *bu = p->wbu + us, *bi = p->wbi + i;
	double s = (double)m->mu + *bu + *bi + kern_dot(pu, qi, kp);
	float ds;
	double loss;
	if (head) {
		uint32_t nc = m->n_classes;
		memset(hg, 0, 2 * nc * sizeof *hg);
		loss = model_score_grad(m, s, r, 1.0f, head, head + nc, hg, hg + nc, &ds);
		for (uint32_t c = 0; c < 2 * nc; c++)
			head[c] -= lr * hg[c];
	} else {
		loss = model_score_grad(m, s, r, 1.0f, NULL, NULL, NULL, NULL, &ds);
	}
	float lu = lr, li = lr;
	if (p->gu) {
		lu = lr / sqrtf(p->gu[us]);
		li = lr / sqrtf(p->gi[i]);
	}
	float obu = *bu, obi = *bi;
	*bu = obu - lu * (ds + l2 * obu);
	*bi = obi - li * (ds + l2 * obi);
	if (p->gu) {
		/* kern_sgd_pair_g2 averages over kp lanes; the pads add nothing */
		float gp2, gq2;
		kern_sgd_pair_g2(pu, qi, kp, ds, l2, lu, li, &gp2, &gq2);
		float gbu = ds + l2 * obu, gbi = ds + l2 * obi;
		p->gu[us] += (gp2 * (float)kp + gbu * gbu) / (float)(m->k + 1);
		p->gi[i] += (gq2 * (float)kp + gbi * gbi) / (float)(m->k + 1);
	} else {
		kern_sgd_pair(pu, qi, kp, ds, l2, lu, li);
	}
	return loss;
}

/* User slot us's training ratings with items in [base, base + width), in
 * this epoch's order (from a random place, wrapping), into sc; returns how
 * many.  A sorted row holds them as one run, found by binary search. */
static size_t gather_user(const struct model *m, const struct mf *p, uint32_t epoch, uint32_t us,
			  uint32_t base, uint32_t width, struct mf_scratch *sc)
{
	const struct glr *g = m->d->g;
	uint32_t u = p->slot_user[us];
	uint64_t lo = g->rowptr[u], hi = g->rowptr[u + 1];
	int whole = width == m->n_items;
	if (p->sorted && !whole) {
		lo = tdata_lower_bound(g->items, lo, hi, base);
		hi = tdata_lower_bound(g->items, lo, hi, base + width);
		whole = 1;
	}
	uint64_t at = lo + row_start(m->cfg->seed, epoch, u, hi - lo);
	if (whole)
		return gather_run(g, p, lo, at, sc, gather_run(g, p, at, hi, sc, 0));
	size_t n = gather(g, p, at, hi, base, width, sc, 0);
	return gather(g, p, lo, at, base, width, sc, n);
}

/* Ask for user slot us's row of the mapped file (its first 1024 ratings;
 * the hardware prefetcher follows a long row): users come in a random
 * order, and a row's first lines would otherwise miss every cache. */
static void prefetch_user(const struct glr *g, const struct mf *p, uint32_t us)
{
	uint32_t u = p->slot_user[us];
	uint64_t lo = g->rowptr[u], hi = g->rowptr[u + 1];
	if (hi - lo > 1024)
		hi = lo + 1024;
	for (uint64_t x = lo; x < hi; x += 16)
		__builtin_prefetch(&g->items[x]);
	for (uint64_t x = lo; x < hi; x += 64)
		__builtin_prefetch(&g->ratings[x]);
	for (uint64_t x = lo; x < hi; x += 512)
		__builtin_prefetch(&g->split[x >> 3]);
}

static void mf_block(void *arg, uint32_t t, uint32_t nt)
{
	struct mf_job *j = arg;
	struct model *m = j->m;
	struct mf *p = m->priv;
	struct mf_scratch *sc = &p->scr[2 * t];
	uint32_t ib = (t + j->sub + j->shift) % nt;
	uint32_t base = p->istart[ib], width = p->istart[ib + 1] - base;
	float l2 = (float)(2 * m->cfg->wd), lr = j->lr;
	struct mfk_par par = {.kp = p->kp, .k = m->k, .mu = m->mu, .lr = lr, .l2 = l2};
	uint32_t nc = m->n_classes;
	float *head = p->heads ? p->heads + (size_t)t * 2 * nc : NULL;
	float *hg = p->hgrad ? p->hgrad + (size_t)t * 2 * nc : NULL;
	double loss = 0;
	uint64_t seen = 0;
	/* The kernel takes the users two at a time (mfkern.h). */
	uint64_t step = p->fast ? 2 : 1;
	uint64_t end = p->ustart[t + 1];
	for (uint64_t x = p->ustart[t]; x < end; x += step) {
		int n = x + 1 < end ? (int)step : 1;
		struct mfk_run run[2];
		for (uint64_t y = x + step; y < x + 2 * step && y < end; y++)
			prefetch_user(m->d->g, p, p->order[y]);
		for (int y = 0; y < n; y++) {
			uint32_t us = p->order[x + (uint64_t)y];
			size_t len = gather_user(m, p, j->epoch, us, base, width, &sc[y]);
			run[y] = (struct mfk_run){.p = p->wp + (size_t)us * p->kp, .bu = p->wbu + us,
						  .gu = p->gu ? p->gu + us : NULL, .Q = p->wq,
						  .bi = p->wbi, .gi = p->gi, .it = sc[y].it,
						  .r = sc[y].r, .n = len};
			seen += len;
		}
		if (p->fast) {
			loss += p->fast(&par, run, n);
			continue;
		}
		for (size_t y = 0; y < run[0].n; y++)
			loss += mf_rating(m, p, head, hg, p->order[x], sc->it[y], sc->r[y], lr, l2);
	}
	p->loss[t] += loss;
	p->seen[t] += seen;
}

/* Before sub-epoch s: each thread's class head starts from the shared
 * one; after it: the shared one is the mean of the threads' (ce only). */
static void heads_spread(struct model *m, struct mf *p)
{
	uint32_t nc = m->n_classes;
	for (uint32_t t = 0; p->heads && t < p->nb; t++) {
		memcpy(p->heads + (size_t)t * 2 * nc, m->cw->w, nc * sizeof(float));
		memcpy(p->heads + (size_t)t * 2 * nc + nc, m->cb->w, nc * sizeof(float));
	}
}

static void heads_average(struct model *m, struct mf *p)
{
	uint32_t nb = p->nb, nc = m->n_classes;
	for (uint32_t x = 0; p->heads && x < nc; x++) {
		double w = 0, b = 0;
		for (uint32_t t = 0; t < nb; t++) {
			w += p->heads[(size_t)t * 2 * nc + x];
			b += p->heads[(size_t)t * 2 * nc + nc + x];
		}
		m->cw->w[x] = (float)(w / nb);
		m->cb->w[x] = (float)(b / nb);
	}
}

/* Thread t's part of a whole epoch: its block of every sub-epoch, the
 * threads meeting at the barrier in between (one set of threads per
 * epoch instead of one per sub-epoch). */
static void mf_worker(void *arg, uint32_t t, uint32_t nt)
{
	struct mf_job j = *(struct mf_job *)arg, *shared = arg;
	struct mf *p = j.m->priv;
	for (uint32_t s = 0; s < nt; s++) {
		j.sub = s;
		j.lr = j.lrs[s];
		mf_block(&j, t, nt);
		if (!p->heads)
			barrier_wait(&shared->bar);
		else {
			barrier_wait(&shared->bar);
			if (t == 0) {
				heads_average(j.m, p);
				heads_spread(j.m, p);
			}
			barrier_wait(&shared->bar);
		}
	}
}

static int mf_epoch(struct model *m, uint32_t epoch, double *train_loss)
{
	const struct train_cfg *c = m->cfg;
	struct mf *p = m->priv;
	uint32_t nb = p->nb;
	float lrs[256];
	mf_load(m, p, 0);
	/* A fresh user order within every block, and a fresh block rotation. */
	for (uint32_t b = 0; b < nb; b++)
		shuffle_u32(p->order + p->ustart[b], p->ustart[b + 1] - p->ustart[b], &m->rng);
	struct mf_job j = {.m = m, .epoch = epoch, .shift = (uint32_t)rng_below(&m->rng, nb),
			   .lrs = lrs};
	memset(p->loss, 0, nb * sizeof *p->loss);
	memset(p->seen, 0, nb * sizeof *p->seen);
	for (uint32_t s = 0; s < nb; s++) {
		struct hyper h;
		sched_at(c, ((double)epoch * nb + s) / ((double)c->epochs * nb), &h);
		lrs[s] = (float)h.lr;
	}
	heads_spread(m, p);
	int together = 0;
	if (nb > 1 && barrier_init(&j.bar, nb) == 0) {
		together = threads_parallel(nb, mf_worker, &j);
		barrier_destroy(&j.bar);
	}
	/* One thread, or threads that could not all start: the sub-epochs
	 * one by one (the same result). */
	for (uint32_t s = 0; !together && s < nb; s++) {
		j.sub = s;
		j.lr = lrs[s];
		threads_run(nb, mf_block, &j);
		heads_average(m, p);
		heads_spread(m, p);
	}
	mf_load(m, p, 1);
	double loss = 0;
	uint64_t seen = 0;
	for (uint32_t t = 0; t < nb; t++) {
		loss += p->loss[t];
		seen += p->seen[t];
	}
	*train_loss = seen ? loss / (double)seen : 0;
	return 0;
}

static void mf_free(struct model *m)
{
	struct mf *p = m->priv;
	if (!p)
		return;
	for (uint32_t t = 0; p->scr && t < 2 * p->nb; t++) {
		free(p->scr[t].it);
		free(p->scr[t].r);
	}
	free(p->scr);
	free(p->slot_user);
	free(p->order);
	free(p->ustart);
	free(p->istart);
	free_rows(p->wp, (m->n_users + 1) * p->kp);
	free_rows(p->wq, (m->n_items + 1) * p->kp);
	free_rows(p->wbu, m->n_users + 1);
	free_rows(p->wbi, m->n_items + 1);
	free(p->gu);
	free(p->gi);
	free(p->heads);
	free(p->hgrad);
	free(p->loss);
	free(p->seen);
	free(p);
	m->priv = NULL;
}

const struct model_ops model_mf_ops = {
	.name = "mf",
	.init = mf_init,
	.epoch = mf_epoch,
	.predict = model_factor_predict,
	.attach = model_factor_attach,
	.free = mf_free,
};
