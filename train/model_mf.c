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
 * Threads (LIBMF's block partition): users and items are split into T
 * blocks each of about equal rating counts, by a random permutation drawn
 * once.  An epoch is T sub-epochs; in sub-epoch s thread t updates the
 * ratings of user block t and item block (t + s + shift) mod T, so no two
 * threads ever write the same user or item row, and every rating is visited
 * once.  The schedule is fixed by the seed, so the result depends on the
 * thread count only.  Within a block, users come in a shuffled order and
 * each user's row starts at a random place.  No per-rating state: the
 * blocks are found by scanning the mapped rows.
 *
 * With the ce loss each thread trains its own copy of the class head and
 * the copies are averaged after every sub-epoch.
 */
#include "model.h"

#include "err.h"
#include "kern.h"
#include "log.h"
#include "sched.h"
#include "threads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct mf {
	uint32_t nb;        /* blocks per side = threads */
	uint32_t *users;    /* users grouped by block; block t is [ustart[t], ustart[t+1]) */
	uint64_t *ustart;
	uint8_t *iblock;    /* item -> block (nb > 1) */
	float *gu, *gi;     /* adaptive: per-row G */
	float *heads;       /* ce: nb copies of (class_w, class_b) */
	float *hgrad;       /* ce: nb gradient scratch rows */
	double *loss;       /* per thread */
	uint64_t *seen;
};

static int mf_alloc(struct model *m, struct mf *p)
{
	uint32_t nb = p->nb, nc = m->n_classes;
	int ok = 1;
	ok &= !!(p->users = malloc((m->n_users + 1) * sizeof *p->users));
	ok &= !!(p->ustart = calloc(nb + 1, sizeof *p->ustart));
	ok &= !!(p->iblock = calloc(m->n_items + 1, 1));
	ok &= !!(p->loss = calloc(nb, sizeof *p->loss));
	ok &= !!(p->seen = calloc(nb, sizeof *p->seen));
	if (m->cfg->adaptive) {
		ok &= !!(p->gu = malloc((m->n_users + 1) * sizeof *p->gu));
		ok &= !!(p->gi = malloc((m->n_items + 1) * sizeof *p->gi));
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

/* Blocks of about equal training-rating counts over a random order. */
static int mf_partition(struct model *m, struct mf *p)
{
	const struct glr *g = m->d->g;
	uint32_t nb = p->nb;
	uint64_t total = m->d->n_train;
	for (uint64_t u = 0; u < m->n_users; u++)
		p->users[u] = (uint32_t)u;
	shuffle_u32(p->users, m->n_users, &m->rng);
	/* Users keep their permuted order; a block ends where its share of
	 * the ratings is reached. */
	uint64_t acc = 0, b = 0;
	for (uint64_t x = 0; x < m->n_users; x++) {
		while (b + 1 < nb && acc >= total * (b + 1) / nb)
			p->ustart[++b] = x;
		uint32_t u = p->users[x];
		acc += g->rowptr[u + 1] - g->rowptr[u]; /* all ratings: close enough */
	}
	while (b < nb)
		p->ustart[++b] = m->n_users;
	if (nb == 1)
		return 0;
	uint32_t *order = malloc((m->n_items + 1) * sizeof *order);
	uint64_t *count = calloc(m->n_items + 1, sizeof *count);
	if (!order || !count) {
		free(order);
		free(count);
		log_error("out of memory for the mf blocks");
		return GL_ENOMEM;
	}
	for (uint64_t k = 0; k < g->n_ratings; k++)
		count[g->items[k]]++;
	for (uint64_t i = 0; i < m->n_items; i++)
		order[i] = (uint32_t)i;
	shuffle_u32(order, m->n_items, &m->rng);
	acc = 0;
	b = 0;
	for (uint64_t x = 0; x < m->n_items; x++) {
		while (b + 1 < nb && acc >= g->n_ratings * (b + 1) / nb)
			b++;
		p->iblock[order[x]] = (uint8_t)b;
		acc += count[order[x]];
	}
	free(order);
	free(count);
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
	p->nb = c->threads > 255 ? 255 : c->threads;
	m->mu = (float)m->d->mean;
	int err = model_add(m, "user_factors", (uint32_t)m->n_users, m->k, 0, PT_NO_GRAD, &m->P);
	if (!err)
		err = model_add(m, "item_factors", (uint32_t)m->n_items, m->k, 0, PT_NO_GRAD, &m->Q);
	if (!err)
		err = model_add(m, "user_bias", (uint32_t)m->n_users, 1, 0, PT_NO_GRAD, &m->bu);
	if (!err)
		err = model_add(m, "item_bias", (uint32_t)m->n_items, 1, 0, PT_NO_GRAD, &m->bi);
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
	return 0;
}

struct mf_job {
	struct model *m;
	uint32_t epoch, sub, shift;
	float lr;
};

/* Where user u's row starts this epoch: a hash, so no state is kept. */
static uint64_t row_start(uint64_t seed, uint32_t epoch, uint32_t u, uint64_t len)
{
	uint64_t x = seed ^ ((uint64_t)epoch << 32) ^ u;
	x *= 0x9e3779b97f4a7c15ULL;
	x ^= x >> 29;
	return len ? x % len : 0;
}

/* One rating: forward, gradient, update.  Returns the loss. */
static inline double mf_rating(struct model *m, struct mf *p, float *head, float *hg, uint32_t u,
			       uint32_t i, float r, float lr, float l2)
{
	uint32_t k = m->k;
	float *pu = m->P->w + (size_t)u * k, *qi = m->Q->w + (size_t)i * k;
	float *bu = m->bu->w + u, *bi = m->bi->w + i;
	double s = (double)m->mu + *bu + *bi + kern_dot(pu, qi, k);
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
		lu = lr / sqrtf(p->gu[u]);
		li = lr / sqrtf(p->gi[i]);
	}
	float obu = *bu, obi = *bi;
	*bu = obu - lu * (ds + l2 * obu);
	*bi = obi - li * (ds + l2 * obi);
	if (p->gu) {
		float gp2, gq2;
		kern_sgd_pair_g2(pu, qi, k, ds, l2, lu, li, &gp2, &gq2);
		float gbu = ds + l2 * obu, gbi = ds + l2 * obi;
		p->gu[u] += (gp2 * k + gbu * gbu) / (float)(k + 1);
		p->gi[i] += (gq2 * k + gbi * gbi) / (float)(k + 1);
	} else {
		kern_sgd_pair(pu, qi, k, ds, l2, lu, li);
	}
	return loss;
}

static void mf_block(void *arg, uint32_t t, uint32_t nt)
{
	struct mf_job *j = arg;
	struct model *m = j->m;
	struct mf *p = m->priv;
	const struct glr *g = m->d->g;
	const uint8_t *split = g->split;
	uint8_t ib = (uint8_t)((t + j->sub + j->shift) % nt);
	float l2 = (float)(2 * m->cfg->wd), lr = j->lr;
	uint32_t nc = m->n_classes;
	float *head = p->heads ? p->heads + (size_t)t * 2 * nc : NULL;
	float *hg = p->hgrad ? p->hgrad + (size_t)t * 2 * nc : NULL;
	double loss = 0;
	uint64_t seen = 0;
	for (uint64_t x = p->ustart[t]; x < p->ustart[t + 1]; x++) {
		uint32_t u = p->users[x];
		uint64_t lo = g->rowptr[u], len = g->rowptr[u + 1] - lo;
		uint64_t at = row_start(m->cfg->seed, j->epoch, u, len);
		for (uint64_t n = 0; n < len; n++, at = at + 1 == len ? 0 : at + 1) {
			uint64_t kk = lo + at;
			if (glr_bit(split, kk))
				continue;
			uint32_t i = g->items[kk];
			if (nt > 1 && p->iblock[i] != ib)
				continue;
			loss += mf_rating(m, p, head, hg, u, i, glr_value(g, kk), lr, l2);
			seen++;
		}
	}
	p->loss[t] += loss;
	p->seen[t] += seen;
}

static int mf_epoch(struct model *m, uint32_t epoch, double *train_loss)
{
	const struct train_cfg *c = m->cfg;
	struct mf *p = m->priv;
	uint32_t nb = p->nb, nc = m->n_classes;
	/* A fresh user order within every block, and a fresh block rotation. */
	for (uint32_t b = 0; b < nb; b++)
		shuffle_u32(p->users + p->ustart[b], p->ustart[b + 1] - p->ustart[b], &m->rng);
	struct mf_job j = {.m = m, .epoch = epoch, .shift = (uint32_t)rng_below(&m->rng, nb)};
	memset(p->loss, 0, nb * sizeof *p->loss);
	memset(p->seen, 0, nb * sizeof *p->seen);
	for (uint32_t s = 0; s < nb; s++) {
		struct hyper h;
		sched_at(c, ((double)epoch * nb + s) / ((double)c->epochs * nb), &h);
		j.sub = s;
		j.lr = (float)h.lr;
		for (uint32_t t = 0; p->heads && t < nb; t++) {
			memcpy(p->heads + (size_t)t * 2 * nc, m->cw->w, nc * sizeof(float));
			memcpy(p->heads + (size_t)t * 2 * nc + nc, m->cb->w, nc * sizeof(float));
		}
		threads_run(nb, mf_block, &j);
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
	free(p->users);
	free(p->ustart);
	free(p->iblock);
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
