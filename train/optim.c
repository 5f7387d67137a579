#include "optim.h"

#include "err.h"
#include "log.h"
#include "threads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int pt_alloc(struct ptensor *t, const char *name, uint32_t rows, uint32_t cols, uint32_t cap,
	     int flags, const struct train_cfg *c)
{
	memset(t, 0, sizeof *t);
	strncpy(t->name, name, GLM_NAME_LEN - 1);
	t->rows = rows;
	t->cols = cols;
	t->dense = !!(flags & PT_DENSE);
	t->decay = !(flags & PT_NO_DECAY);
	if (t->dense || cap > rows)
		cap = rows;
	size_t n = (size_t)rows * cols;
	t->w = calloc(n ? n : 1, sizeof *t->w);
	if (!t->w)
		goto fail;
	if (!(flags & PT_NO_GRAD) && c) {
		t->cap = cap;
		t->slot = malloc((rows ? rows : 1) * sizeof *t->slot);
		t->touched = malloc((cap ? cap : 1) * sizeof *t->touched);
		t->g = malloc(((size_t)cap * cols + 1) * sizeof *t->g);
		if (!t->slot || !t->touched || !t->g)
			goto fail;
		for (uint32_t r = 0; r < rows; r++)
			t->slot[r] = -1;
		if (c->optimizer == OPT_ADAM) {
			t->m = calloc(n ? n : 1, sizeof *t->m);
			t->v = calloc(n ? n : 1, sizeof *t->v);
			if (!t->m || !t->v)
				goto fail;
		}
		if (c->update == UPD_SPARSE && c->wd_mode == WD_DECOUPLED && !t->dense) {
			t->mark = calloc(rows ? rows : 1, sizeof *t->mark);
			if (!t->mark)
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
	free(t->w);
	free(t->m);
	free(t->v);
	free(t->mark);
	free(t->slot);
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
	o->l2 = (float)(c->wd_mode == WD_L2 ? 2 * c->wd : 0);
	o->dec = (float)(1 - h->lr * decoupled);
}

/* One row of Adam or SGD; g NULL = zero gradient; f is the decay factor. */
static void row_step(const struct optim *o, float *restrict w, float *restrict m,
		     float *restrict v, const float *restrict g, uint32_t n, float f, float l2)
{
	if (o->c->optimizer == OPT_ADAM) {
		for (uint32_t j = 0; j < n; j++) {
			float gj = (g ? g[j] : 0.0f) + l2 * w[j];
			float wj = w[j] * f;
			m[j] = o->mom * m[j] + o->damp1 * gj;
			v[j] = o->beta2 * v[j] + o->damp2 * gj * gj;
			w[j] = wj - o->step_size * m[j] / (sqrtf(v[j] * o->inv_debias2) + o->eps);
		}
	} else {
		for (uint32_t j = 0; j < n; j++) {
			float gj = (g ? g[j] : 0.0f) + l2 * w[j];
			w[j] = w[j] * f - o->lr * gj;
		}
	}
}

static void update_row(const struct optim *o, struct ptensor *t, uint32_t r)
{
	size_t off = (size_t)r * t->cols;
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
	row_step(o, t->w + off, t->m ? t->m + off : NULL, t->v ? t->v + off : NULL, g, t->cols, f,
		 l2);
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
