/* model_bpmf.c - Bayesian matrix factorization with biases, sampled by
 * Gibbs (Salakhutdinov and Mnih 2008), optionally with implicit feedback
 * on either side (SVD++ inside the Bayesian model).
 *
 *   r_ui ~ N(mu + b_u + c_i + pt_u . qt_i, 1/tau)      mu: mean training rating
 *   pt_u = p_u + |N(u)|^-1/2 sum_{j in N(u)} y_j        (--implicit-side users)
 *   qt_i = q_i + |R(i)|^-1/2 sum_{v in R(i)} z_v        (--implicit-side items)
 *   p_u ~ N(mu_P, Lambda_P^-1), q_i, y_j, z_v likewise, b_u ~ N(mu_b, 1/lambda_b),
 *   c_i likewise; every (mu, Lambda) and tau drawn too (train/gibbs.h).
 *
 * N(u) and R(i) are training identities only: which validation pairs exist
 * is not used.  The sampler works on pt and qt themselves (the centred
 * parametrisation): the same posterior, with pt_u's prior N(mu_P + ybar_u,
 * Lambda_P^-1), so the user and item steps are plain BPMF rows and the
 * implicit factors are drawn given pt and qt alone.  One sweep:
 *   1. tau given the squared error, then every (mu, Lambda) given its rows;
 *   2. every user [pt_u; b_u] from its exact conditional (train/gibbs.h:
 *      a (k+1) x (k+1) precision by ssyrk over the user's ratings, spotrf,
 *      triangular solves), users spread over --threads;
 *   3. the items, a chunk of consecutive ids at a time with the chunk's
 *      ratings transposed (user, rating: 8 bytes each, at most cfg.als_mem
 *      bytes, as als does); per chunk first (users side) each y_j in item
 *      order, then every item [qt_i; c_i] over the threads;
 *   4. (items side) each z_v in user order;
 *   5. the training squared error and, after --burn-in sweeps, each
 *      validation pair's prediction added to its running sum and the
 *      factors to theirs.
 * The implicit factors of one side are coupled through the sums they share,
 * so steps 3's y and 4 run in one thread, updating the sums as they go:
 * O(ratings * k) against the O(ratings * k^2) of steps 2 and 3.
 *
 * Every row draws from its own stream rng(seed, (member, sweep, step,
 * row)) and every sum over rows is taken in row order, so the samples are
 * the same for any thread count.
 *
 * Predictions: a validation pair's is the mean of its post-burn-in
 * predictions (before that, the current sample's), clipped to the file's
 * rating range.  The tensors (user_factors, item_factors, user_bias,
 * item_bias: what model.glm keeps for recommend and report) hold the
 * posterior means of pt, qt and the biases, so a loaded model scores
 * mu + b_u + c_i + pt_u . qt_i with the averaged values, unclipped, as
 * the other factor models do.
 */
#include "model.h"

#include "err.h"
#include "gibbs.h"
#include "log.h"
#include "threads.h"

#include <cblas.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { STEP_HYPER, STEP_USER, STEP_ITEM, STEP_Y, STEP_Z };
enum { SIDE_USERS = 1, SIDE_ITEMS = 2 };

/* The items [i0, i1) with their training ratings transposed: item i0 + c's
 * are who[start[c] .. start[c + 1]), in user order, with their values. */
struct chunk {
	uint64_t i0, i1;
	uint64_t *start, *cur;
	uint32_t *who;
	float *val;
	uint64_t cap;
};

struct bpmf {
	uint32_t k, K;
	int side;             /* SIDE_* bits */
	uint64_t stream;      /* this member's base stream */
	float lo, hi;         /* the rating range predictions are clipped to */
	float *U, *V;         /* the current pt, qt */
	float *bu, *bi;
	float *Y, *Yb;        /* users side: y_j per item, ybar_u per user */
	float *Z, *Zb;        /* items side: z_v per user, zbar_i per item */
	double *sU, *sV, *sbu, *sbi; /* sums of the post-burn-in samples */
	uint32_t *ucnt, *icnt;       /* training ratings per user, per item */
	float *su, *si;              /* their |N(u)|^-1/2, |R(i)|^-1/2 (0 for none) */
	uint64_t max_icnt;
	uint64_t *voff;       /* per user: validation index of its first one */
	double *vsum;         /* per validation rating: sum of predictions */
	double *usse;         /* per user: squared training error */
	uint32_t n_samples;
	double tau, sse;
	struct gibbs_hyper hu, hv, hbu, hbv, hy, hz;
	float *P0u, *P0v;     /* K x K prior precision of a user row, an item row */
	float *muU, *muV;     /* the priors' means as floats */
	struct chunk ch;
};

struct job {
	struct model *m;
	uint32_t sweep;
	int keep;             /* tally: add to the running sums */
	uint64_t failed[256];
	int err[256];
};

/* The stream of one row's draws in one step of one sweep: the seed mixed
 * with the member's base, the sweep and the step, then the row as the
 * stream number. */
static void row_rng(const struct model *m, struct rng *r, uint32_t sweep, int step, uint64_t row)
{
	const struct bpmf *b = m->priv;
	uint64_t z = b->stream + (sweep + 1) * 0x9e3779b97f4a7c15ULL + (uint64_t)(step + 1) * 0xd6e8feb86659fd93ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	rng_init(r, m->cfg->seed ^ z ^ (z >> 31), row);
}

static void *zalloc(size_t n, size_t size, int *bad)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		*bad = 1;
	return p;
}

static void chunk_free(struct chunk *ch)
{
	free(ch->start);
	free(ch->cur);
	free(ch->who);
	free(ch->val);
	memset(ch, 0, sizeof *ch);
}

static void bpmf_free(struct model *m)
{
	struct bpmf *b = m->priv;
	if (!b)
		return;
	float *f[] = {b->U, b->V, b->bu, b->bi, b->Y, b->Yb, b->Z, b->Zb, b->P0u, b->P0v, b->muU,
		      b->muV};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		free(f[i]);
	double *d[] = {b->sU, b->sV, b->sbu, b->sbi, b->vsum, b->usse};
	for (size_t i = 0; i < sizeof d / sizeof *d; i++)
		free(d[i]);
	free(b->ucnt);
	free(b->icnt);
	free(b->su);
	free(b->si);
	free(b->voff);
	struct gibbs_hyper *h[] = {&b->hu, &b->hv, &b->hbu, &b->hbv, &b->hy, &b->hz};
	for (size_t i = 0; i < sizeof h / sizeof *h; i++)
		gibbs_hyper_free(h[i]);
	chunk_free(&b->ch);
	free(b);
	m->priv = NULL;
}

/* Counts per user and item, and where each user's validation ratings
 * start in the running sums. */
static void count(struct model *m)
{
	struct bpmf *b = m->priv;
	const struct tdata *d = m->d;
	const struct glr *g = d->g;
	uint64_t nv = 0;
	for (uint64_t u = 0; u < m->n_users; u++) {
		b->voff[u] = nv;
		for (uint64_t kk = g->rowptr[u]; kk < g->rowptr[u + 1]; kk++) {
			if (tdata_is_valid(d, kk)) {
				nv++;
				continue;
			}
			b->ucnt[u]++;
			if (++b->icnt[g->items[kk]] > b->max_icnt)
				b->max_icnt = b->icnt[g->items[kk]];
		}
	}
	b->voff[m->n_users] = nv;
	for (uint64_t u = 0; u < m->n_users; u++)
		b->su[u] = b->ucnt[u] ? (float)(1 / sqrt((double)b->ucnt[u])) : 0;
	for (uint64_t i = 0; i < m->n_items; i++)
		b->si[i] = b->icnt[i] ? (float)(1 / sqrt((double)b->icnt[i])) : 0;
}

static int chunk_alloc(const struct model *m, struct chunk *ch)
{
	const struct bpmf *b = m->priv;
	uint64_t per = sizeof *ch->who + sizeof *ch->val;
	ch->cap = m->cfg->als_mem / per;
	if (ch->cap > m->d->n_train)
		ch->cap = m->d->n_train;
	if (ch->cap < b->max_icnt)
		ch->cap = b->max_icnt;
	ch->start = malloc((m->n_items + 1) * sizeof *ch->start);
	ch->cur = malloc((m->n_items + 1) * sizeof *ch->cur);
	ch->who = malloc((ch->cap ? ch->cap : 1) * sizeof *ch->who);
	ch->val = malloc((ch->cap ? ch->cap : 1) * sizeof *ch->val);
	return ch->start && ch->cur && ch->who && ch->val ? 0 : GL_ENOMEM;
}

static int bpmf_init(struct model *m)
{
	const struct train_cfg *c = m->cfg;
	uint64_t nu = m->n_users, ni = m->n_items;
	uint32_t k = m->k, K = k + 1;
	int bad = 0;
	struct bpmf *b = calloc(1, sizeof *b);
	m->priv = b;
	if (!b)
		goto nomem;
	b->k = k;
	b->K = K;
	b->side = c->implicit;
	b->lo = m->d->lo;
	b->hi = m->d->hi;
	b->stream = rng_u64(&m->rng); /* differs by member (model_new's stream) */
	b->U = zalloc(nu * k, sizeof *b->U, &bad);
	b->V = zalloc(ni * k, sizeof *b->V, &bad);
	b->bu = zalloc(nu, sizeof *b->bu, &bad);
	b->bi = zalloc(ni, sizeof *b->bi, &bad);
	b->sU = zalloc(nu * k, sizeof *b->sU, &bad);
	b->sV = zalloc(ni * k, sizeof *b->sV, &bad);
	b->sbu = zalloc(nu, sizeof *b->sbu, &bad);
	b->sbi = zalloc(ni, sizeof *b->sbi, &bad);
	b->ucnt = zalloc(nu, sizeof *b->ucnt, &bad);
	b->icnt = zalloc(ni, sizeof *b->icnt, &bad);
	b->su = zalloc(nu, sizeof *b->su, &bad);
	b->si = zalloc(ni, sizeof *b->si, &bad);
	b->voff = zalloc(nu + 1, sizeof *b->voff, &bad);
	b->vsum = zalloc(m->d->n_valid, sizeof *b->vsum, &bad);
	b->usse = zalloc(nu, sizeof *b->usse, &bad);
	b->P0u = zalloc((size_t)K * K, sizeof *b->P0u, &bad);
	b->P0v = zalloc((size_t)K * K, sizeof *b->P0v, &bad);
	b->muU = zalloc(K, sizeof *b->muU, &bad);
	b->muV = zalloc(K, sizeof *b->muV, &bad);
	if (b->side & SIDE_USERS) {
		b->Y = zalloc(ni * k, sizeof *b->Y, &bad);
		b->Yb = zalloc(nu * k, sizeof *b->Yb, &bad);
	}
	if (b->side & SIDE_ITEMS) {
		b->Z = zalloc(nu * k, sizeof *b->Z, &bad);
		b->Zb = zalloc(ni * k, sizeof *b->Zb, &bad);
	}
	int full = c->prior == PRIOR_WISHART;
	if (bad || gibbs_hyper_init(&b->hu, k, full) || gibbs_hyper_init(&b->hv, k, full) ||
	    gibbs_hyper_init(&b->hbu, 1, 0) || gibbs_hyper_init(&b->hbv, 1, 0) ||
	    gibbs_hyper_init(&b->hy, k, full) || gibbs_hyper_init(&b->hz, k, full))
		goto nomem;
	count(m);
	if (chunk_alloc(m, &b->ch))
		goto nomem;
	m->mu = (float)m->d->mean;
	int err = model_add_factors(m);
	if (err)
		return err;
	/* the starting sample: small random factors, zero biases */
	for (uint64_t x = 0; x < nu * k; x++)
		b->U[x] = (float)(rng_normal(&m->rng) * c->init_sd);
	for (uint64_t x = 0; x < ni * k; x++)
		b->V[x] = (float)(rng_normal(&m->rng) * c->init_sd);
	b->sse = -1; /* not yet known */
	openblas_set_num_threads(1);
	return 0;
nomem:
	log_error("out of memory for the bpmf model");
	return GL_ENOMEM;
}

/* ---- step 1: noise and hyperparameters ------------------------------------ */

static void hyper_side(struct gibbs_hyper *h, const float *x, const float *sub, uint64_t rows,
		       uint32_t k, struct rng *r)
{
	gibbs_hyper_reset(h);
	for (uint64_t i = 0; i < rows; i++)
		gibbs_hyper_add(h, x + i * k, sub ? sub + i * k : NULL);
	gibbs_hyper_draw(h, r);
}

/* The K x K prior precision blockdiag(Lambda, lambda_b) and mean [mu; mu_b]. */
static void prior_block(const struct gibbs_hyper *h, const struct gibbs_hyper *hb, uint32_t K,
			float *P0, float *mu)
{
	uint32_t k = K - 1;
	memset(P0, 0, (size_t)K * K * sizeof *P0);
	gibbs_hyper_put(h, P0, (int)K);
	P0[(size_t)k * K + k] = (float)hb->lam[0];
	for (uint32_t d = 0; d < k; d++)
		mu[d] = (float)h->mu[d];
	mu[k] = (float)hb->mu[0];
}

static void draw_hyper(struct model *m, uint32_t sweep)
{
	struct bpmf *b = m->priv;
	uint32_t k = b->k;
	struct rng r;
	row_rng(m, &r, sweep, STEP_HYPER, 0);
	double n = (double)m->d->n_train;
	/* libFM's noise prior: Gamma(1/2, 1/2) before the data */
	b->tau = rng_gamma(&r, (1 + n) / 2) / ((1 + b->sse) / 2);
	hyper_side(&b->hu, b->U, b->Yb, m->n_users, k, &r);
	hyper_side(&b->hv, b->V, b->Zb, m->n_items, k, &r);
	hyper_side(&b->hbu, b->bu, NULL, m->n_users, 1, &r);
	hyper_side(&b->hbv, b->bi, NULL, m->n_items, 1, &r);
	if (b->Y)
		hyper_side(&b->hy, b->Y, NULL, m->n_items, k, &r);
	if (b->Z)
		hyper_side(&b->hz, b->Z, NULL, m->n_users, k, &r);
	prior_block(&b->hu, &b->hbu, b->K, b->P0u, b->muU);
	prior_block(&b->hv, &b->hbv, b->K, b->P0v, b->muV);
}

/* ---- steps 2 and 3: users and items ----------------------------------------- */

static void users_part(void *arg, uint32_t t, uint32_t nt)
{
	struct job *j = arg;
	struct model *m = j->m;
	struct bpmf *b = m->priv;
	const struct glr *g = m->d->g;
	uint32_t k = b->k, K = b->K;
	struct gibbs_row s;
	float *m0 = malloc(K * sizeof *m0), *x = malloc(K * sizeof *x);
	if (gibbs_row_init(&s, K, m->d->max_row) || !m0 || !x) {
		j->err[t] = GL_ENOMEM;
		goto done;
	}
	for (uint64_t u = t; u < m->n_users; u += nt) {
		struct rng r;
		row_rng(m, &r, j->sweep, STEP_USER, u);
		memcpy(m0, b->muU, K * sizeof *m0);
		for (uint32_t d = 0; b->Yb && d < k; d++)
			m0[d] += b->Yb[u * k + d];
		gibbs_row_begin(&s, (float)b->tau, b->P0u, m0);
		for (uint64_t kk = g->rowptr[u]; kk < g->rowptr[u + 1]; kk++) {
			if (tdata_is_valid(m->d, kk))
				continue;
			uint32_t i = g->items[kk];
			gibbs_row_add(&s, b->V + (size_t)i * k, glr_value(g, kk) - m->mu - b->bi[i]);
		}
		if (gibbs_row_draw(&s, &r, x)) {
			j->failed[t]++;
			continue;
		}
		memcpy(b->U + u * k, x, k * sizeof *x);
		b->bu[u] = x[k];
	}
done:
	gibbs_row_free(&s);
	free(m0);
	free(x);
}

static void items_part(void *arg, uint32_t t, uint32_t nt)
{
	struct job *j = arg;
	struct model *m = j->m;
	struct bpmf *b = m->priv;
	const struct chunk *ch = &b->ch;
	uint32_t k = b->k, K = b->K;
	struct gibbs_row s;
	float *m0 = malloc(K * sizeof *m0), *x = malloc(K * sizeof *x);
	if (gibbs_row_init(&s, K, b->max_icnt) || !m0 || !x) {
		j->err[t] = GL_ENOMEM;
		goto done;
	}
	for (uint64_t c = t; c < ch->i1 - ch->i0; c += nt) {
		uint64_t i = ch->i0 + c;
		struct rng r;
		row_rng(m, &r, j->sweep, STEP_ITEM, i);
		memcpy(m0, b->muV, K * sizeof *m0);
		for (uint32_t d = 0; b->Zb && d < k; d++)
			m0[d] += b->Zb[i * k + d];
		gibbs_row_begin(&s, (float)b->tau, b->P0v, m0);
		for (uint64_t e = ch->start[c]; e < ch->start[c + 1]; e++) {
			uint32_t u = ch->who[e];
			gibbs_row_add(&s, b->U + (size_t)u * k, ch->val[e] - m->mu - b->bu[u]);
		}
		if (gibbs_row_draw(&s, &r, x)) {
			j->failed[t]++;
			continue;
		}
		memcpy(b->V + i * k, x, k * sizeof *x);
		b->bi[i] = x[k];
	}
done:
	gibbs_row_free(&s);
	free(m0);
	free(x);
}

/* The next chunk from item i0: as many items as ch->cap ratings hold (at
 * least one), transposed from the rows in user order; of a sorted row only
 * its run inside the chunk is read (binary search). */
static void chunk_fill(const struct model *m, struct chunk *ch, uint64_t i0)
{
	const struct bpmf *b = m->priv;
	const struct glr *g = m->d->g;
	uint64_t i1 = i0, n = 0;
	while (i1 < m->n_items && (i1 == i0 || n + b->icnt[i1] <= ch->cap))
		n += b->icnt[i1++];
	ch->i0 = i0;
	ch->i1 = i1;
	ch->start[0] = 0;
	for (uint64_t c = 0; c < i1 - i0; c++) {
		ch->cur[c] = ch->start[c];
		ch->start[c + 1] = ch->start[c] + b->icnt[i0 + c];
	}
	int sorted = !!(g->flags & GLR_SORTED);
	for (uint64_t u = 0; u < m->n_users; u++) {
		uint64_t lo = g->rowptr[u], hi = g->rowptr[u + 1];
		if (sorted) {
			lo = tdata_lower_bound(g->items, lo, hi, (uint32_t)i0);
			hi = tdata_lower_bound(g->items, lo, hi, (uint32_t)i1);
		}
		for (uint64_t kk = lo; kk < hi; kk++) {
			uint64_t c = (uint64_t)g->items[kk] - i0;
			if (c >= i1 - i0 || tdata_is_valid(m->d, kk))
				continue;
			uint64_t e = ch->cur[c]++;
			ch->who[e] = (uint32_t)u;
			ch->val[e] = glr_value(g, kk);
		}
	}
}

/* ---- steps 3 and 4: the implicit factors --------------------------------- */

/* Draw one implicit factor w (k values) whose "observations" are rows o_r
 * of the other kind, o_r ~ N(mu_o + (rest of the sum) + s_r w, Lambda_o^-1):
 * precision Lambda_w + cnt Lambda_o with cnt = sum s_r^2, right side
 * Lambda_w mu_w + Lambda_o g with g = sum s_r (o_r - mu_o - sum_r) + cnt w.
 * A, rhs, z: K x K and K scratch floats.  Returns 1 when not positive
 * definite (w kept). */
static int implicit_draw(const struct gibbs_hyper *hw, const struct gibbs_hyper *ho, double cnt,
			 const double *g, struct rng *r, float *A, float *rhs, float *z, float *w)
{
	uint32_t k = hw->k;
	for (uint32_t i = 0; i < k; i++) {
		double v = 0;
		for (uint32_t c = 0; c < k; c++) {
			A[(size_t)c * k + i] = (float)(hw->lam[i * k + c] + cnt * ho->lam[i * k + c]);
			v += hw->lam[i * k + c] * hw->mu[c] + ho->lam[i * k + c] * g[c];
		}
		rhs[i] = (float)v;
	}
	return gibbs_gauss((int)k, A, rhs, z, r, w);
}

struct implicit_scratch {
	float *A, *rhs, *z, *w;
	double *g;
};

static int scratch_alloc(struct implicit_scratch *s, uint32_t k)
{
	s->A = malloc((size_t)k * k * sizeof *s->A);
	s->rhs = malloc(k * sizeof *s->rhs);
	s->z = malloc(k * sizeof *s->z);
	s->w = malloc(k * sizeof *s->w);
	s->g = malloc(k * sizeof *s->g);
	return s->A && s->rhs && s->z && s->w && s->g ? 0 : GL_ENOMEM;
}

static void scratch_free(struct implicit_scratch *s)
{
	free(s->A);
	free(s->rhs);
	free(s->z);
	free(s->w);
	free(s->g);
}

/* Users side: each y_j of the chunk, in item order, given the users who
 * rated j in training: o_u = pt_u with s_u = |N(u)|^-1/2. */
static uint64_t y_step(struct model *m, uint32_t sweep, struct implicit_scratch *s)
{
	struct bpmf *b = m->priv;
	const struct chunk *ch = &b->ch;
	uint32_t k = b->k;
	uint64_t failed = 0;
	for (uint64_t c = 0; c < ch->i1 - ch->i0; c++) {
		uint64_t j = ch->i0 + c;
		float *y = b->Y + j * k;
		double cnt = 0;
		memset(s->g, 0, k * sizeof *s->g);
		for (uint64_t e = ch->start[c]; e < ch->start[c + 1]; e++) {
			uint32_t u = ch->who[e];
			double su = b->su[u];
			const float *pu = b->U + (size_t)u * k, *yb = b->Yb + (size_t)u * k;
			for (uint32_t d = 0; d < k; d++)
				s->g[d] += su * ((double)pu[d] - b->hu.mu[d] - yb[d] + su * y[d]);
			cnt += su * su;
		}
		struct rng r;
		row_rng(m, &r, sweep, STEP_Y, j);
		if (implicit_draw(&b->hy, &b->hu, cnt, s->g, &r, s->A, s->rhs, s->z, s->w)) {
			failed++;
			continue;
		}
		for (uint64_t e = ch->start[c]; e < ch->start[c + 1]; e++) {
			uint32_t u = ch->who[e];
			float su = b->su[u];
			float *yb = b->Yb + (size_t)u * k;
			for (uint32_t d = 0; d < k; d++)
				yb[d] += su * (s->w[d] - y[d]);
		}
		memcpy(y, s->w, k * sizeof *y);
	}
	return failed;
}

/* Items side: each z_v in user order, given the items v rated in
 * training: o_i = qt_i with s_i = |R(i)|^-1/2. */
static uint64_t z_step(struct model *m, uint32_t sweep, struct implicit_scratch *s)
{
	struct bpmf *b = m->priv;
	const struct glr *g = m->d->g;
	uint32_t k = b->k;
	uint64_t failed = 0;
	for (uint64_t v = 0; v < m->n_users; v++) {
		float *z = b->Z + v * k;
		double cnt = 0;
		memset(s->g, 0, k * sizeof *s->g);
		for (uint64_t kk = g->rowptr[v]; kk < g->rowptr[v + 1]; kk++) {
			if (tdata_is_valid(m->d, kk))
				continue;
			uint32_t i = g->items[kk];
			double si = b->si[i];
			const float *qi = b->V + (size_t)i * k, *zb = b->Zb + (size_t)i * k;
			for (uint32_t d = 0; d < k; d++)
				s->g[d] += si * ((double)qi[d] - b->hv.mu[d] - zb[d] + si * z[d]);
			cnt += si * si;
		}
		struct rng r;
		row_rng(m, &r, sweep, STEP_Z, v);
		if (implicit_draw(&b->hz, &b->hv, cnt, s->g, &r, s->A, s->rhs, s->z, s->w)) {
			failed++;
			continue;
		}
		for (uint64_t kk = g->rowptr[v]; kk < g->rowptr[v + 1]; kk++) {
			if (tdata_is_valid(m->d, kk))
				continue;
			uint32_t i = g->items[kk];
			float si = b->si[i];
			float *zb = b->Zb + (size_t)i * k;
			for (uint32_t d = 0; d < k; d++)
				zb[d] += si * (s->w[d] - z[d]);
		}
		memcpy(z, s->w, k * sizeof *z);
	}
	return failed;
}

/* ---- step 5: error and running sums -------------------------------------- */

static float sample_pred(const struct model *m, uint64_t u, uint32_t i)
{
	const struct bpmf *b = m->priv;
	uint32_t k = b->k;
	const float *p = b->U + u * k, *q = b->V + (size_t)i * k;
	double s = (double)m->mu + b->bu[u] + b->bi[i];
	for (uint32_t d = 0; d < k; d++)
		s += (double)p[d] * q[d];
	return (float)s;
}

static void tally_part(void *arg, uint32_t t, uint32_t nt)
{
	struct job *j = arg;
	struct model *m = j->m;
	struct bpmf *b = m->priv;
	const struct glr *g = m->d->g;
	int keep = j->keep;
	for (uint64_t u = t; u < m->n_users; u += nt) {
		double se = 0;
		uint64_t v = b->voff[u];
		for (uint64_t kk = g->rowptr[u]; kk < g->rowptr[u + 1]; kk++) {
			float pred = sample_pred(m, u, g->items[kk]);
			if (tdata_is_valid(m->d, kk)) {
				if (keep)
					b->vsum[v] += pred;
				v++;
				continue;
			}
			double e = (double)pred - glr_value(g, kk);
			se += e * e;
		}
		b->usse[u] = se;
	}
}

static void add_rows(double *sum, const float *x, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		sum[i] += x[i];
}

static int collect(struct job *j, uint32_t nt, uint64_t *failed)
{
	int err = 0;
	for (uint32_t t = 0; t < nt; t++) {
		*failed += j->failed[t];
		j->failed[t] = 0;
		if (j->err[t])
			err = j->err[t];
		j->err[t] = 0;
	}
	if (err)
		log_error("out of memory in the bpmf sampler");
	return err;
}

static void tally(struct model *m, struct job *j, uint32_t nt)
{
	struct bpmf *b = m->priv;
	threads_run(nt, tally_part, j);
	b->sse = 0;
	for (uint64_t u = 0; u < m->n_users; u++)
		b->sse += b->usse[u];
}

static int bpmf_epoch(struct model *m, uint32_t sweep, double *train_loss)
{
	struct bpmf *b = m->priv;
	uint32_t nt = m->threads > 256 ? 256 : m->threads, k = b->k;
	uint64_t failed = 0;
	struct job j = {.m = m, .sweep = sweep};
	struct implicit_scratch s = {0};
	int err = scratch_alloc(&s, k) ? GL_ENOMEM : 0;
	if (err) {
		log_error("out of memory in the bpmf sampler");
		goto done;
	}
	if (b->sse < 0)
		tally(m, &j, nt); /* the starting sample's error (j.keep 0) */
	draw_hyper(m, sweep);
	threads_run(nt, users_part, &j);
	err = collect(&j, nt, &failed);
	for (uint64_t i0 = 0; !err && i0 < m->n_items; i0 = b->ch.i1) {
		chunk_fill(m, &b->ch, i0);
		if (b->Y)
			failed += y_step(m, sweep, &s);
		threads_run(nt, items_part, &j);
		err = collect(&j, nt, &failed);
	}
	if (err)
		goto done;
	if (b->Z)
		failed += z_step(m, sweep, &s);
	j.keep = sweep >= m->cfg->burn_in;
	tally(m, &j, nt);
	if (j.keep) {
		add_rows(b->sU, b->U, m->n_users * k);
		add_rows(b->sV, b->V, m->n_items * k);
		add_rows(b->sbu, b->bu, m->n_users);
		add_rows(b->sbi, b->bi, m->n_items);
		b->n_samples++;
	}
	if (failed)
		log_warn("bpmf: %" PRIu64 " conditionals were not positive definite and their rows "
			 "kept their last values (the samples are no longer finite)",
			 failed);
	*train_loss = b->sse / (double)m->d->n_train;
	log_debug("bpmf sweep %u: noise sd %.4f, samples averaged %u", sweep, 1 / sqrt(b->tau),
		    b->n_samples);
done:
	scratch_free(&s);
	return err;
}

/* The tensors model.glm keeps: the posterior means (or, before burn-in
 * ends, the current sample). */
static void bpmf_publish(struct model *m)
{
	struct bpmf *b = m->priv;
	uint32_t k = b->k;
	double inv = b->n_samples ? 1.0 / b->n_samples : 0;
	struct {
		float *dst;
		const float *cur;
		const double *sum;
		uint64_t n;
	} t[] = {{m->P->w, b->U, b->sU, m->n_users * k},
		 {m->Q->w, b->V, b->sV, m->n_items * k},
		 {m->bu->w, b->bu, b->sbu, m->n_users},
		 {m->bi->w, b->bi, b->sbi, m->n_items}};
	for (size_t x = 0; x < 4; x++)
		for (uint64_t i = 0; i < t[x].n; i++)
			t[x].dst[i] = b->n_samples ? (float)(t[x].sum[i] * inv) : t[x].cur[i];
}

static float clip(const struct bpmf *b, double v)
{
	return (float)(v < b->lo ? b->lo : v > b->hi ? b->hi : v);
}

/* The validation index of (u, item), or -1 when it is not a validation
 * pair.  *cur is where the last search ended: queries in row order (as the
 * evaluation makes them) cost one pass over the row. */
static int64_t valid_index(const struct model *m, uint64_t u, uint32_t item, uint64_t *cur,
			   uint64_t *vcur)
{
	const struct bpmf *b = m->priv;
	const struct glr *g = m->d->g;
	uint64_t lo = g->rowptr[u], hi = g->rowptr[u + 1];
	for (int pass = 0; pass < 2; pass++) {
		for (; *cur < hi; (*cur)++) {
			int valid = tdata_is_valid(m->d, *cur);
			if (g->items[*cur] == item && valid) {
				int64_t v = (int64_t)*vcur;
				(*cur)++;
				(*vcur)++;
				return v;
			}
			*vcur += (uint64_t)valid;
		}
		*cur = lo;
		*vcur = b->voff[u];
	}
	return -1;
}

static void bpmf_predict(const struct model *m, uint32_t u, const uint32_t *items, size_t n,
			 float *pred, float *prob)
{
	const struct bpmf *b = m->priv;
	if (!b) {
		/* a loaded model: the posterior means, as the other factor models */
		model_factor_predict(m, u, items, n, pred, prob);
		return;
	}
	uint64_t cur = m->d->g->rowptr[u], vcur = b->voff[u];
	for (size_t x = 0; x < n; x++) {
		int64_t v = valid_index(m, u, items[x], &cur, &vcur);
		if (v >= 0 && b->n_samples)
			pred[x] = clip(b, b->vsum[v] / b->n_samples);
		else if (v >= 0)
			pred[x] = clip(b, sample_pred(m, u, items[x]));
		else {
			model_factor_predict(m, u, items + x, 1, pred + x, NULL);
			pred[x] = clip(b, pred[x]);
		}
	}
}

const struct model_ops model_bpmf_ops = {
	.name = "bpmf",
	.init = bpmf_init,
	.epoch = bpmf_epoch,
	.predict = bpmf_predict,
	.attach = model_factor_attach,
	.free = bpmf_free,
	.publish = bpmf_publish,
};
