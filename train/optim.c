#include "optim.h"

#include "bigmem.h"
#include "err.h"
#include "log.h"
#include "kern.h"
#include "threads.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int32_t *slot_of(const struct ptensor *t, uint32_t r)
{
	return t->slot + (size_t)r * t->ms;
}

static uint32_t *last_of(const struct ptensor *t, uint32_t r)
{
	return t->last + (size_t)r * t->ms;
}

static double *mark_of(const struct ptensor *t, uint32_t r)
{
	return t->mark + (size_t)r * t->ds;
}

/* What a row of t keeps besides its weights, given c. */
struct pt_parts {
	int grad, adam, mark, last;
};

static void pt_parts(struct pt_parts *p, const struct ptensor *t, int flags,
		     const struct train_cfg *c)
{
	memset(p, 0, sizeof *p);
	if ((flags & PT_NO_GRAD) || !c)
		return;
	p->grad = 1;
	p->adam = c->optimizer == OPT_ADAM;
	p->mark = c->update == UPD_SPARSE && c->wd_mode == WD_DECOUPLED && !t->dense;
	p->last = c->update == UPD_SPARSE && c->optimizer == OPT_ADAM && !t->dense;
}

/* PT_PACKED (optim.h): [w][m][v] cols floats each, then mark (a double,
 * at an even float offset), slot and last, the record rounded up to 16
 * floats (a cache line).  The block is zeroed, so every mark and last
 * starts at 0 as the separate arrays do. */
static int pt_pack(struct ptensor *t, const struct pt_parts *p)
{
	size_t cols = t->cols, off = cols * (p->adam ? 3 : 1);
	size_t o_mark = 0, o_slot = 0, o_last = 0;
	if (p->mark) {
		off = (off + 1) & ~(size_t)1;
		o_mark = off;
		off += 2;
	}
	if (p->grad)
		o_slot = off++;
	if (p->last)
		o_last = off++;
	t->stride = (off + 15) & ~(size_t)15;
	t->block_bytes = (size_t)t->rows * t->stride * sizeof(float);
	t->block = big_alloc(t->block_bytes);
	if (!t->block)
		return GL_ENOMEM;
	float *base = t->block;
	t->w = base;
	if (p->adam) {
		t->m = base + cols;
		t->v = base + 2 * cols;
	}
	t->ms = t->stride;
	t->ds = t->stride / 2;
	if (p->mark)
		t->mark = (double *)(void *)(base + o_mark);
	if (p->grad)
		t->slot = (int32_t *)(void *)(base + o_slot);
	if (p->last)
		t->last = (uint32_t *)(void *)(base + o_last);
	return 0;
}

/* The separate arrays: on huge pages (lib/bigmem.h) once they are large,
 * so the TLB covers them, as a batch reads their rows at random. */
static int pt_split(struct ptensor *t, const struct pt_parts *p)
{
	size_t n = (size_t)t->rows * t->cols, rows = t->rows;
	t->stride = t->cols;
	t->ms = t->ds = 1;
	t->w = big_alloc(n * sizeof *t->w);
	if (!t->w)
		return GL_ENOMEM;
	if (p->grad && !(t->slot = big_alloc(rows * sizeof *t->slot)))
		return GL_ENOMEM;
	if (p->adam && (!(t->m = big_alloc(n * sizeof *t->m)) || !(t->v = big_alloc(n * sizeof *t->v))))
		return GL_ENOMEM;
	if (p->mark && !(t->mark = big_alloc(rows * sizeof *t->mark)))
		return GL_ENOMEM;
	if (p->last && !(t->last = big_alloc(rows * sizeof *t->last)))
		return GL_ENOMEM;
	return 0;
}

int pt_alloc(struct ptensor *t, const char *name, uint32_t rows, uint32_t cols, uint32_t cap,
	     int flags, const struct train_cfg *c)
{
	struct pt_parts p;
	memset(t, 0, sizeof *t);
	strncpy(t->name, name, GLM_NAME_LEN - 1);
	t->rows = rows;
	t->cols = cols;
	t->dense = !!(flags & (PT_DENSE | PT_NO_DECAY));
	t->decay = !(flags & PT_NO_DECAY);
	t->internal = !!(flags & PT_INTERNAL);
	if (t->dense || cap > rows)
		cap = rows;
	pt_parts(&p, t, flags, c);
	if (flags & PT_PACKED ? pt_pack(t, &p) : pt_split(t, &p))
		goto fail;
	if (p.grad) {
		t->cap = cap;
		t->touched = malloc((cap ? cap : 1) * sizeof *t->touched);
		t->g = malloc(((size_t)cap * cols + 1) * sizeof *t->g);
		if (!t->touched || !t->g)
			goto fail;
		for (uint32_t r = 0; r < rows; r++)
			*slot_of(t, r) = -1;
	}
	return 0;
fail:
	pt_free(t);
	log_error("out of memory for tensor %s (%u x %u)", name, rows, cols);
	return GL_ENOMEM;
}

void pt_free(struct ptensor *t)
{
	if (t->block) {
		big_free(t->block, t->block_bytes);
	} else {
		size_t n = (size_t)t->rows * t->cols;
		big_free(t->w, n * sizeof *t->w);
		big_free(t->m, n * sizeof *t->m);
		big_free(t->v, n * sizeof *t->v);
		big_free(t->mark, (size_t)t->rows * sizeof *t->mark);
		big_free(t->last, (size_t)t->rows * sizeof *t->last);
		big_free(t->slot, (size_t)t->rows * sizeof *t->slot);
	}
	free(t->touched);
	free(t->g);
	memset(t, 0, sizeof *t);
}

void pt_get_weights(const struct ptensor *t, float *out)
{
	if (t->stride == t->cols) {
		memcpy(out, t->w, (size_t)t->rows * t->cols * sizeof *out);
		return;
	}
	for (uint32_t r = 0; r < t->rows; r++)
		memcpy(out + (size_t)r * t->cols, pt_row(t, r), t->cols * sizeof *out);
}

void pt_set_weights(struct ptensor *t, const float *in)
{
	if (t->stride == t->cols) {
		memcpy(t->w, in, (size_t)t->rows * t->cols * sizeof *in);
		return;
	}
	for (uint32_t r = 0; r < t->rows; r++)
		memcpy(pt_row(t, r), in + (size_t)r * t->cols, t->cols * sizeof *in);
}

float *pt_grad(struct ptensor *t, uint32_t row)
{
	int32_t *sp = slot_of(t, row), s = *sp;
	if (s < 0) {
		s = (int32_t)t->n_touched++;
		*sp = s;
		t->touched[s] = row;
		memset(t->g + (size_t)s * t->cols, 0, t->cols * sizeof *t->g);
	}
	return t->g + (size_t)s * t->cols;
}

static void prefetch_span(const void *p, size_t bytes)
{
	const char *c = p;
	for (size_t b = 0; b < bytes; b += 64)
		__builtin_prefetch(c + b, 1);
	__builtin_prefetch(c + bytes - 1, 1);
}

void pt_prefetch(const struct ptensor *t, uint32_t row)
{
	size_t bytes = t->cols * sizeof(float);
	const float *w = pt_row(t, row);
	if (t->block) {
		prefetch_span(w, t->stride * sizeof(float));
		return;
	}
	prefetch_span(w, bytes);
	if (t->m) {
		prefetch_span(t->m + (size_t)row * t->stride, bytes);
		prefetch_span(t->v + (size_t)row * t->stride, bytes);
	}
	if (t->mark)
		__builtin_prefetch(mark_of(t, row), 1);
	if (t->last)
		__builtin_prefetch(last_of(t, row), 1);
	if (t->slot)
		__builtin_prefetch(slot_of(t, row), 1);
}

void pt_clear_grad(struct ptensor *t)
{
	for (uint32_t i = 0; i < t->n_touched; i++)
		*slot_of(t, t->touched[i]) = -1;
	t->n_touched = 0;
}

void optim_init(struct optim *o, const struct train_cfg *c)
{
	memset(o, 0, sizeof *o);
	o->c = c;
}

void optim_free(struct optim *o)
{
	free(o->mr);
	free(o->b2pow);
	big_free(o->past, o->past_cap * sizeof *o->past);
	o->mr = o->b2pow = NULL;
	o->past = NULL;
	o->past_cap = 0;
}

/* The catch-up's window for c: a step's drift term shrinks by about
 * rho = mom / (sqrt(beta2) (1 - lr wd)) per step after the row's last
 * update (m decays by mom, sqrt(v) by sqrt(beta2)). */
static uint32_t cu_window(const struct train_cfg *c)
{
	double mom = c->mom;
	if (c->schedule == SCHED_ONE_CYCLE)
		mom = fmax(c->moms[0], fmax(c->moms[1], c->moms[2]));
	double f = c->wd_mode == WD_DECOUPLED ? 1 - c->lr * c->wd : 1;
	double rho = mom / (sqrt(c->beta2) * f);
	double w = rho < 1 ? ceil(OPTIM_CU_BITS * log(2.0) / -log(rho)) : INFINITY;
	if (w > OPTIM_CU_MAX)
		log_warn("sparse Adam: with momentum %g against beta2 %g the catch-up leaves out "
			 "the drift of steps more than %d after a row's last update, where it is "
			 "not yet negligible (--update dense is exact)",
			 mom, c->beta2, OPTIM_CU_MAX);
	return w < 16 ? 16 : w > OPTIM_CU_MAX ? OPTIM_CU_MAX : (uint32_t)w;
}

static void cu_reset(struct optim *o, uint32_t i)
{
	o->mr[i] = o->x[i] = o->bb[i] = 1;
	for (int n = 0; n < 4; n++)
		o->mu[n][i] = 0;
}

static int cu_alloc(struct optim *o)
{
	uint32_t w = cu_window(o->c);
	o->mr = malloc((size_t)w * 7 * sizeof *o->mr);
	o->b2pow = malloc((w + 1) * sizeof *o->b2pow);
	if (!o->mr || !o->b2pow) {
		optim_free(o);
		log_error("out of memory for sparse Adam's catch-up");
		return GL_ENOMEM;
	}
	o->win = w;
	o->x = o->mr + w;
	o->bb = o->mr + 2 * (size_t)w;
	for (int n = 0; n < 4; n++)
		o->mu[n] = o->mr + (3 + (size_t)n) * w;
	for (uint32_t i = 0; i < w; i++)
		cu_reset(o, i);
	o->cu_lb2 = log(o->c->beta2);
	o->b2pow[0] = 1;
	for (uint32_t n = 1; n <= w; n++)
		o->b2pow[n] = o->b2pow[n - 1] * o->c->beta2;
	return 0;
}

/* Room for the entry of step n. */
static int cu_reserve(struct optim *o, uint64_t n)
{
	if (n < o->past_cap)
		return 0;
	uint64_t cap = o->past_cap ? 2 * o->past_cap : 4096;
	while (cap <= n)
		cap *= 2;
	/* on huge pages: a returning row reads its entry at random */
	struct optim_past *p = big_realloc(o->past, o->past_cap * sizeof *p, cap * sizeof *p);
	if (!p) {
		log_error("out of memory for sparse Adam's catch-up (step %" PRIu64 ")",
			  (uint64_t)n);
		return GL_ENOMEM;
	}
	if (!o->past)
		p[0].lm = 0;
	o->past = p;
	o->past_cap = cap;
	return 0;
}

/* The two-node Gauss rule of a measure on u > 0 with moments mu[0..3]:
 * sum K_j / (s / u_j + eps) ~ cw[0] / (s cr[0] + eps) + cw[1] / (s cr[1]
 * + eps), cr = 1 / node.  Nodes p(u) = u^2 + b u + c = 0, p orthogonal to
 * 1 and u; one node (cw[1] = 0) when the measure is (nearly) one point,
 * where the rule is exact to the spread's square. */
static void cu_quad(const double *mu, float cw[2], float cr[2])
{
	double m0 = mu[0], m1 = mu[1], m2 = mu[2], m3 = mu[3];
	cw[1] = cr[1] = 0;
	cw[0] = (float)m0;
	cr[0] = m1 > 0 ? (float)(m0 / m1) : 1;
	double det = m0 * m2 - m1 * m1; /* m0^2 times the variance of u */
	if (!(m0 > 0 && m1 > 0) || !(det > 1e-6 * m0 * m2))
		return;
	/* three divisions: a row waits for this when it returns */
	double idet = 1 / det, b = (m1 * m2 - m0 * m3) * idet, c = (m1 * m3 - m2 * m2) * idet;
	double disc = b * b - 4 * c;
	if (!(disc > 0 && c > 0))
		return;
	double sd = sqrt(disc), u1 = (-b + sd) / 2, u2 = (-b - sd) / 2, ic = 1 / c;
	double w1 = (m1 - u2 * m0) / sd, w2 = m0 - w1; /* u1 - u2 = sd */
	if (!(u2 > 0 && w1 > 0 && w2 > 0))
		return;
	cw[0] = (float)w1;
	cr[0] = (float)(u2 * ic); /* 1 / u1, as u1 u2 = c */
	cw[1] = (float)w2;
	cr[1] = (float)(u1 * ic);
}

/* Sparse Adam's bookkeeping at the start of step t (optim.h): the ring
 * takes the previous step's term, the slot of step t-1 is started (what
 * it held, step t-1-win, is kept as its quadrature), and this step's
 * coefficients are kept for the next. */
static int cu_begin(struct optim *o, const struct hyper *h, double debias1, double debias2,
		    double decoupled)
{
	uint64_t t = o->step;
	if (!o->mr && cu_alloc(o))
		return GL_ENOMEM;
	if (cu_reserve(o, t))
		return GL_ENOMEM;
	o->cu_ib = 1 / sqrt(o->c->beta2);
	if (t >= 2)
		kern_cu_ring(o->mr, o->x, o->bb, o->mu, o->win, o->cu_mom, o->cu_mf, o->cu_ib, o->cu_c,
			     o->cu_q);
	uint32_t i = (uint32_t)((t - 1) % o->win);
	if (t - 1 >= o->win) {
		double mu[4] = {o->mu[0][i], o->mu[1][i], o->mu[2][i], o->mu[3][i]};
		cu_quad(mu, o->past[t - 1 - o->win].cw, o->past[t - 1 - o->win].cr);
	}
	cu_reset(o, i);
	o->past[t].lm = o->past[t - 1].lm + log(fmax(h->mom, 1e-300));
	o->cu_mom = h->mom;
	o->cu_c = h->lr / debias1;
	o->cu_q = sqrt(debias2);
	o->cu_mf = h->mom / (1 - h->lr * decoupled);
	return 0;
}

int optim_begin(struct optim *o, const struct hyper *h)
{
	const struct train_cfg *c = o->c;
	o->step++;
	o->h = *h;
	double decoupled = c->wd_mode == WD_DECOUPLED ? c->wd : 0;
	o->logdec += -log1p(-h->lr * decoupled);
	o->lr = (float)h->lr;
	o->mom = (float)h->mom;
	o->damp1 = (float)(1 - h->mom);
	o->beta2 = (float)c->beta2;
	o->damp2 = (float)(1 - c->beta2);
	o->eps = (float)c->eps;
	/* fastai's debias(mom, 1 - mom, step) = 1 - mom^step, with the mom of
	 * this step. */
	double debias1 = 1 - pow(h->mom, (double)o->step);
	double debias2 = 1 - pow(c->beta2, (double)o->step);
	o->step_size = (float)(h->lr / debias1);
	o->inv_debias2 = (float)(1 / debias2);
	/* fastai's l2_reg: p.grad += wd * p (the gradient of wd/2 * sum(p^2)) */
	o->l2 = (float)(c->wd_mode == WD_L2 ? c->wd : 0);
	o->dec = (float)(1 - h->lr * decoupled);
	if (c->update != UPD_SPARSE || c->optimizer != OPT_ADAM)
		return 0;
	return cu_begin(o, h, debias1, debias2, decoupled);
}

/* One row of SGD; g NULL = zero gradient; f is the decay factor. */
static void sgd_row(const struct optim *o, float *restrict w, const float *restrict g, uint32_t n,
		    float f, float l2)
{
	for (uint32_t j = 0; j < n; j++) {
		float gj = (g ? g[j] : 0.0f) + l2 * w[j];
		w[j] = w[j] * f - o->lr * gj;
	}
}

/* What dense Adam did to a row last updated at step a > 0 over the steps
 * a+1 .. b, b being the current step or the one before (optim.h). */
static void catch_up_coef(const struct optim *o, uint64_t a, uint64_t b, struct kern_adam *k)
{
	uint64_t t = o->step, gap = b - a;
	float cw[2], cr[2];
	k->catch_up = 1;
	k->dv = (float)(gap <= o->win ? o->b2pow[gap] : exp((double)gap * o->cu_lb2));
	if (a + o->win >= t) {
		/* in the ring: the sums run to t-1, and to t with this step's
		 * term added the way kern_cu_ring adds it */
		uint32_t i = (uint32_t)(a % o->win);
		double mu[4] = {o->mu[0][i], o->mu[1][i], o->mu[2][i], o->mu[3][i]}, mr = o->mr[i];
		if (b == t) {
			double kk = o->cu_c * (o->x[i] * o->cu_mf);
			double u = o->cu_q * (o->bb[i] * o->cu_ib);
			mr *= o->h.mom;
			for (int n = 0; n < 4; n++, kk *= u)
				mu[n] += kk;
		}
		k->dm = (float)mr;
		cu_quad(mu, cw, cr);
	} else {
		k->dm = (float)exp(o->past[b].lm - o->past[a].lm);
		memcpy(cw, o->past[a].cw, sizeof cw);
		memcpy(cr, o->past[a].cr, sizeof cr);
	}
	k->cw1 = cw[0];
	k->cr1 = cr[0];
	k->cw2 = cw[1];
	k->cr2 = cr[1];
	k->e2 = cw[1] > 0 ? o->eps : 1.0f;
}

static void adam_coef(const struct optim *o, struct kern_adam *a, float f, float l2)
{
	a->f = f;
	a->l2 = l2;
	a->mom = o->mom;
	a->damp1 = o->damp1;
	a->beta2 = o->beta2;
	a->damp2 = o->damp2;
	a->step_size = o->step_size;
	a->inv_debias2 = o->inv_debias2;
	a->eps = o->eps;
}

static void update_row(const struct optim *o, struct ptensor *t, uint32_t r)
{
	size_t off = (size_t)r * t->stride;
	struct kern_adam a = {0};
	if (t->last) {
		/* last 0: never updated, m and v are 0 and nothing drifts */
		uint32_t *lp = last_of(t, r);
		uint64_t last = *lp;
		*lp = (uint32_t)o->step;
		if (last && last + 1 < o->step)
			catch_up_coef(o, last, o->step - 1, &a);
	}
	int32_t s = *slot_of(t, r);
	const float *g = s >= 0 ? t->g + (size_t)s * t->cols : NULL;
	float f = 1.0f, l2 = t->decay ? o->l2 : 0.0f;
	if (t->decay) {
		if (t->mark) {
			double *mp = mark_of(t, r);
			f = (float)exp(-(o->logdec - *mp));
			*mp = o->logdec;
		} else {
			f = o->dec;
		}
	}
	if (o->c->optimizer != OPT_ADAM) {
		sgd_row(o, t->w + off, g, t->cols, f, l2);
		return;
	}
	adam_coef(o, &a, f, l2);
	kern_adam_row(t->w + off, t->m + off, t->v + off, g, t->cols, &a);
}

struct dense_job {
	const struct optim *o;
	struct ptensor *t;
};

static void dense_rows(void *arg, uint32_t th, uint32_t n)
{
	struct dense_job *j = arg;
	uint64_t lo, hi;
	threads_share(j->t->rows, th, n, &lo, &hi);
	for (uint64_t r = lo; r < hi; r++)
		update_row(j->o, j->t, (uint32_t)r);
}

void optim_apply(const struct optim *o, struct ptensor *t, uint32_t threads)
{
	if (!t->slot)
		return; /* a buffer, not a trained parameter */
	if (t->dense || o->c->update == UPD_DENSE) {
		struct dense_job j = {o, t};
		/* Threads pay off only when the rows are many. */
		uint64_t work = (uint64_t)t->rows * t->cols;
		threads_run(work >= (1u << 16) ? threads : 1, dense_rows, &j);
	} else {
		/* A row back after more than win steps reads its entry of past
		 * (24 bytes per step, read at random): ask for them all first,
		 * so that the misses overlap instead of each row waiting. */
		for (uint32_t i = 0; t->last && i < t->n_touched; i++) {
			const char *e = (const char *)&o->past[*last_of(t, t->touched[i])];
			__builtin_prefetch(e);
			__builtin_prefetch(e + sizeof *o->past - 1);
		}
		for (uint32_t i = 0; i < t->n_touched; i++)
			update_row(o, t, t->touched[i]);
	}
	pt_clear_grad(t);
}

void optim_settle(const struct optim *o, struct ptensor *t)
{
	/* Rows absent since their last update get what dense did in those
	 * steps (including the current one, which they also missed). */
	for (uint32_t r = 0; t->last && r < t->rows; r++) {
		uint32_t *lp = last_of(t, r);
		uint64_t last = *lp;
		*lp = (uint32_t)o->step;
		if (!last || last == o->step)
			continue;
		struct kern_adam a = {0};
		size_t off = (size_t)r * t->stride;
		adam_coef(o, &a, 1.0f, 0.0f);
		catch_up_coef(o, last, o->step, &a);
		kern_adam_catch_up(t->w + off, t->m + off, t->v + off, t->cols, &a);
	}
	if (!t->mark)
		return;
	for (uint32_t r = 0; r < t->rows; r++) {
		double *mp = mark_of(t, r);
		if (*mp == o->logdec)
			continue;
		float f = (float)exp(-(o->logdec - *mp));
		float *w = pt_row(t, r);
		for (uint32_t j = 0; j < t->cols; j++)
			w[j] *= f;
		*mp = o->logdec;
	}
}
