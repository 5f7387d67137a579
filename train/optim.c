#include "optim.h"

#include "bigmem.h"
#include "err.h"
#include "log.h"
#include "kern.h"
#include "threads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The per-row arrays are read at random (a batch's rows): on huge pages
 * (lib/bigmem.h) once they are large, so the TLB covers them. */
int pt_alloc(struct ptensor *t, const char *name, uint32_t rows, uint32_t cols, uint32_t cap,
	     int flags, const struct train_cfg *c)
{
	memset(t, 0, sizeof *t);
	strncpy(t->name, name, GLM_NAME_LEN - 1);
	t->rows = rows;
	t->cols = cols;
	t->dense = !!(flags & PT_DENSE);
	t->decay = !(flags & PT_NO_DECAY);
	t->internal = !!(flags & PT_INTERNAL);
	if (t->dense || cap > rows)
		cap = rows;
	size_t n = (size_t)rows * cols;
	t->w = big_alloc(n * sizeof *t->w);
	if (!t->w)
		goto fail;
	if (!(flags & PT_NO_GRAD) && c) {
		t->cap = cap;
		t->slot = big_alloc((size_t)rows * sizeof *t->slot);
		t->touched = malloc((cap ? cap : 1) * sizeof *t->touched);
		t->g = malloc(((size_t)cap * cols + 1) * sizeof *t->g);
		if (!t->slot || !t->touched || !t->g)
			goto fail;
		for (uint32_t r = 0; r < rows; r++)
			t->slot[r] = -1;
		if (c->optimizer == OPT_ADAM) {
			t->m = big_alloc(n * sizeof *t->m);
			t->v = big_alloc(n * sizeof *t->v);
			if (!t->m || !t->v)
				goto fail;
		}
		if (c->update == UPD_SPARSE && c->wd_mode == WD_DECOUPLED && !t->dense) {
			t->mark = big_alloc((size_t)rows * sizeof *t->mark);
			if (!t->mark)
				goto fail;
		}
		if (c->update == UPD_SPARSE && c->optimizer == OPT_ADAM && !t->dense) {
			t->last = big_alloc((size_t)rows * sizeof *t->last);
			if (!t->last)
				goto fail;
		}
	}
	return 0;
fail:
	pt_free(t);
	log_error("out of memory for tensor %s (%u x %u)", name, rows, cols);
	return GL_ENOMEM;
}

void pt_free(struct ptensor *t)
{
	size_t n = (size_t)t->rows * t->cols;
	big_free(t->w, n * sizeof *t->w);
	big_free(t->m, n * sizeof *t->m);
	big_free(t->v, n * sizeof *t->v);
	big_free(t->mark, (size_t)t->rows * sizeof *t->mark);
	big_free(t->last, (size_t)t->rows * sizeof *t->last);
	big_free(t->slot, (size_t)t->rows * sizeof *t->slot);
	free(t->touched);
	free(t->g);
	memset(t, 0, sizeof *t);
}

float *pt_grad(struct ptensor *t, uint32_t row)
{
	int32_t s = t->slot[row];
	if (s < 0) {
		s = (int32_t)t->n_touched++;
		t->slot[row] = s;
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
	size_t off = (size_t)row * t->cols, bytes = t->cols * sizeof(float);
	prefetch_span(t->w + off, bytes);
	if (t->m) {
		prefetch_span(t->m + off, bytes);
		prefetch_span(t->v + off, bytes);
	}
	if (t->mark)
		__builtin_prefetch(&t->mark[row], 1);
	if (t->last)
		__builtin_prefetch(&t->last[row], 1);
	if (t->slot)
		__builtin_prefetch(&t->slot[row], 1);
}

void pt_clear_grad(struct ptensor *t)
{
	for (uint32_t i = 0; i < t->n_touched; i++)
		t->slot[t->touched[i]] = -1;
	t->n_touched = 0;
}

void optim_init(struct optim *o, const struct train_cfg *c)
{
	memset(o, 0, sizeof *o);
	o->c = c;
}

void optim_begin(struct optim *o, const struct hyper *h)
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
		return;
	/* The catch-up's powers for this step's mom, once per step rather
	 * than once per row. */
	double rho = h->mom / sqrt(c->beta2), dm = 1, dv = 1, rn = 1;
	for (int n = 0; n <= OPTIM_DRIFT_STEPS; n++) {
		o->cu_dm[n] = dm;
		o->cu_dv[n] = dv;
		o->cu_geo[n] = rho == 1 ? (double)n : rho * (1 - rn) / (1 - rho);
		dm *= h->mom;
		dv *= c->beta2;
		rn *= rho;
	}
	double dmd = o->cu_dm[OPTIM_DRIFT_STEPS], dvd = o->cu_dv[OPTIM_DRIFT_STEPS];
	dm = dv = 1;
	for (int a = 0; a < OPTIM_CU_HI; a++) {
		o->cu_dmd[a] = dm;
		o->cu_dvd[a] = dv;
		dm *= dmd;
		dv *= dvd;
	}
	o->log_mom = log(h->mom);
	o->log_beta2 = log(c->beta2);
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

/* What dense Adam did to a row over the s steps it was absent (before the
 * current one): moments decay, old momentum moves the weights. */
static void catch_up_coef(const struct optim *o, uint64_t s, struct kern_adam *a)
{
	uint64_t n = s < OPTIM_DRIFT_STEPS ? s : OPTIM_DRIFT_STEPS;
	a->drift = (float)(o->step_size * o->cu_geo[n]);
	if (s / OPTIM_DRIFT_STEPS < OPTIM_CU_HI) {
		uint64_t hi = s / OPTIM_DRIFT_STEPS, lo = s % OPTIM_DRIFT_STEPS;
		a->dm = (float)(o->cu_dmd[hi] * o->cu_dm[lo]);
		a->dv = (float)(o->cu_dvd[hi] * o->cu_dv[lo]);
	} else {
		a->dm = (float)exp((double)s * o->log_mom);
		a->dv = (float)exp((double)s * o->log_beta2);
	}
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
	size_t off = (size_t)r * t->cols;
	struct kern_adam a = {0};
	if (t->last) {
		uint64_t skipped = o->step - 1 - t->last[r];
		t->last[r] = (uint32_t)o->step;
		a.catch_up = skipped > 0;
		if (skipped)
			catch_up_coef(o, skipped, &a);
	}
	int32_t s = t->slot[r];
	const float *g = s >= 0 ? t->g + (size_t)s * t->cols : NULL;
	float f = 1.0f, l2 = t->decay ? o->l2 : 0.0f;
	if (t->decay) {
		if (t->mark) {
			f = (float)exp(-(o->logdec - t->mark[r]));
			t->mark[r] = o->logdec;
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
		for (uint32_t i = 0; i < t->n_touched; i++)
			update_row(o, t, t->touched[i]);
	}
	pt_clear_grad(t);
}

void optim_settle(const struct optim *o, struct ptensor *t)
{
	/* Rows absent since their last update get the drift of those steps
	 * (including the current one, which they also missed). */
	for (uint32_t r = 0; t->last && r < t->rows; r++) {
		uint64_t skipped = o->step - t->last[r];
		t->last[r] = (uint32_t)o->step;
		if (!skipped)
			continue;
		struct kern_adam a = {0};
		size_t off = (size_t)r * t->cols;
		adam_coef(o, &a, 1.0f, 0.0f);
		a.catch_up = 1;
		catch_up_coef(o, skipped, &a);
		kern_adam_catch_up(t->w + off, t->m + off, t->v + off, t->cols, &a);
	}
	if (!t->mark)
		return;
	for (uint32_t r = 0; r < t->rows; r++) {
		if (t->mark[r] == o->logdec)
			continue;
		float f = (float)exp(-(o->logdec - t->mark[r]));
		float *w = t->w + (size_t)r * t->cols;
		for (uint32_t j = 0; j < t->cols; j++)
			w[j] *= f;
		t->mark[r] = o->logdec;
	}
}
