#include "model.h"

#include "err.h"
#include "kern.h"
#include "log.h"

_Static_assert(DATA_MAX_CLASSES <= GLM_MAX_CLASSES, "the link holds every class");

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int model_new(struct model *m, const struct model_ops *ops, const struct train_cfg *cfg,
	      const struct tdata *d, uint32_t member)
{
	memset(m, 0, sizeof *m);
	m->ops = ops;
	m->cfg = cfg;
	m->d = d;
	m->kind = cfg->kind;
	m->loss = cfg->loss;
	m->n_users = d->n_users;
	m->n_items = d->n_items;
	m->k = cfg->factors;
	m->y_lo = (float)cfg->y_lo;
	m->y_hi = (float)cfg->y_hi;
	if (m->loss == GLM_CE)
		m->y_lo = m->y_hi = 0;
	m->n_classes = d->n_classes;
	m->class_lo = d->lo;
	m->class_step = d->step;
	m->clip = 1;
	m->r_lo = d->lo;
	m->r_hi = d->hi;
	m->threads = cfg->threads;
	rng_init(&m->rng, cfg->seed, 1 + member);
	optim_init(&m->opt, cfg);
	return ops->init(m);
}

int model_add(struct model *m, const char *name, uint32_t rows, uint32_t cols, uint32_t cap,
	      int flags, struct ptensor **out)
{
	if (m->n_t >= MODEL_MAX_T) {
		log_error("model %s: too many tensors", m->ops->name);
		return GL_EUSAGE;
	}
	struct ptensor *t = &m->t[m->n_t];
	int err = pt_alloc(t, name, rows, cols, cap, m->cfg ? flags : flags | PT_NO_GRAD, m->cfg);
	if (err)
		return err;
	m->n_t++;
	if (out)
		*out = t;
	return 0;
}

int model_add_factors(struct model *m)
{
	uint32_t nu = (uint32_t)m->n_users, ni = (uint32_t)m->n_items;
	int err = model_add(m, "user_factors", nu, m->k, 0, PT_NO_GRAD, &m->P);
	if (!err)
		err = model_add(m, "item_factors", ni, m->k, 0, PT_NO_GRAD, &m->Q);
	if (!err)
		err = model_add(m, "user_bias", nu, 1, 0, PT_NO_GRAD, &m->bu);
	if (!err)
		err = model_add(m, "item_bias", ni, 1, 0, PT_NO_GRAD, &m->bi);
	return err;
}

struct ptensor *model_get(const struct model *m, const char *name)
{
	for (int i = 0; i < m->n_t; i++)
		if (strcmp(m->t[i].name, name) == 0)
			return (struct ptensor *)&m->t[i];
	return NULL;
}

void model_init_trunc(struct ptensor *t, struct rng *r, double sd)
{
	size_t n = (size_t)t->rows * t->cols;
	for (size_t i = 0; i < n; i++)
		t->w[i] = (float)(fmod(rng_normal(r), 2.0) * sd);
}

void model_settle(struct model *m)
{
	for (int i = 0; i < m->n_t; i++)
		optim_settle(&m->opt, &m->t[i]);
	if (m->ops->publish)
		m->ops->publish(m);
}

void model_link_params(const struct model *m, struct glm_link *l)
{
	l->loss = m->loss;
	l->y_lo = m->y_lo;
	l->y_hi = m->y_hi;
	l->n_classes = m->n_classes;
	l->class_lo = m->class_lo;
	l->class_step = m->class_step;
	l->clip = m->clip;
	l->r_lo = m->r_lo;
	l->r_hi = m->r_hi;
}

float model_link(const struct model *m, double s, const float *cw, const float *cb, float *prob)
{
	struct glm_link l;
	model_link_params(m, &l);
	return glm_link_rating(&l, s, cw, cb, prob);
}

void model_factors(const struct model *m, struct glm_factors *f)
{
	f->n_users = m->n_users;
	f->n_items = m->n_items;
	f->k = m->k;
	f->mu = m->mu;
	f->P = m->P->w;
	f->Q = m->Q->w;
	f->bu = m->bu->w;
	f->bi = m->bi->w;
	f->cw = m->cw ? m->cw->w : NULL;
	f->cb = m->cb ? m->cb->w : NULL;
	model_link_params(m, &f->link);
}

double model_score_grad(const struct model *m, double s, float r, float scale, const float *cw,
			const float *cb, float *gw, float *gb, float *ds)
{
	if (m->loss == GLM_CE) {
		float prob[DATA_MAX_CLASSES];
		float pred = model_link(m, s, cw, cb, prob);
		double loss = model_loss1(m, pred, prob, r);
		float c = roundf((r - m->class_lo) / m->class_step);
		uint32_t target = c < 0 ? 0 : c > (float)(m->n_classes - 1) ? m->n_classes - 1 : (uint32_t)c;
		double acc = 0;
		for (uint32_t k = 0; k < m->n_classes; k++) {
			float dz = (prob[k] - (k == target ? 1.0f : 0.0f)) * scale;
			gw[k] += dz * (float)s;
			gb[k] += dz;
			acc += dz * cw[k];
		}
		*ds = (float)acc;
		return loss;
	}
	double pred, dpred = 1;
	if (m->y_lo < m->y_hi) {
		double sig = 1 / (1 + exp(-s));
		pred = m->y_lo + (m->y_hi - m->y_lo) * sig;
		dpred = (m->y_hi - m->y_lo) * sig * (1 - sig);
	} else {
		pred = s;
	}
	double e = pred - r;
	*ds = (float)(2 * e * dpred * scale);
	return e * e;
}

void model_factor_predict(const struct model *m, uint32_t u, const uint32_t *items, size_t n,
			  float *pred, float *prob)
{
	uint32_t k = m->k;
	const float *p = m->P->w + (size_t)u * k;
	const float *cw = m->cw ? m->cw->w : NULL, *cb = m->cb ? m->cb->w : NULL;
	float base = m->mu + m->bu->w[u];
	for (size_t j = 0; j < n; j++) {
		const float *q = m->Q->w + (size_t)items[j] * k;
		float dot = kern_dot(p, q, k);
		double s = (double)base + m->bi->w[items[j]] + dot;
		pred[j] = model_link(m, s, cw, cb, prob ? prob + j * m->n_classes : NULL);
	}
}

int model_factor_attach(struct model *m)
{
	m->P = model_get(m, "user_factors");
	m->Q = model_get(m, "item_factors");
	m->bu = model_get(m, "user_bias");
	m->bi = model_get(m, "item_bias");
	m->cw = model_get(m, "class_w");
	m->cb = model_get(m, "class_b");
	if (!m->P || !m->Q || !m->bu || !m->bi)
		return GL_EFORMAT;
	if (m->P->rows != m->n_users || m->Q->rows != m->n_items || m->P->cols != m->k ||
	    m->Q->cols != m->k || m->bu->rows != m->n_users || m->bi->rows != m->n_items ||
	    m->bu->cols != 1 || m->bi->cols != 1)
		return GL_EFORMAT;
	if (m->loss == GLM_CE &&
	    (!m->cw || !m->cb || m->cw->rows != m->n_classes || m->cb->rows != m->n_classes))
		return GL_EFORMAT;
	return 0;
}

int model_add_class_head(struct model *m, uint32_t flags)
{
	uint32_t nc = m->n_classes;
	int err = model_add(m, "class_w", nc, 1, nc, flags | PT_DENSE | PT_NO_DECAY, &m->cw);
	if (!err)
		err = model_add(m, "class_b", nc, 1, nc, flags | PT_DENSE | PT_NO_DECAY, &m->cb);
	if (err)
		return err;
	/* Ordered slopes make a higher score mean a higher rating from the
	 * start; intercepts at the log class frequencies (plus one) make the
	 * first predictions the training distribution. */
	uint64_t *count = calloc(nc, sizeof *count);
	if (!count) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	const struct glr *g = m->d->g;
	for (uint64_t k = 0; k < g->n_ratings; k++)
		if (!tdata_is_valid(m->d, k))
			count[tdata_class(m->d, glr_value(g, k))]++;
	for (uint32_t c = 0; c < nc; c++) {
		m->cw->w[c] = (float)c - (float)(nc - 1) / 2;
		m->cb->w[c] = (float)log((count[c] + 1.0) / (double)(m->d->n_train + nc));
	}
	free(count);
	return 0;
}

size_t model_size(const struct model *m)
{
	size_t n = 0;
	for (int i = 0; i < m->n_t; i++)
		n += (size_t)m->t[i].rows * m->t[i].cols;
	return n;
}

void model_snapshot(const struct model *m, float *buf)
{
	for (int i = 0; i < m->n_t; i++) {
		pt_get_weights(&m->t[i], buf);
		buf += (size_t)m->t[i].rows * m->t[i].cols;
	}
}

void model_restore(struct model *m, const float *buf)
{
	for (int i = 0; i < m->n_t; i++) {
		pt_set_weights(&m->t[i], buf);
		buf += (size_t)m->t[i].rows * m->t[i].cols;
	}
}

void model_free(struct model *m)
{
	if (m->ops && m->ops->free)
		m->ops->free(m);
	for (int i = 0; i < m->n_t; i++)
		pt_free(&m->t[i]);
	batch_free(&m->batch);
	batch_free(&m->ahead);
	optim_free(&m->opt);
	memset(m, 0, sizeof *m);
}

double model_loss1(const struct model *m, float pred, const float *prob, float rating)
{
	if (m->loss == GLM_CE && prob) {
		float c = roundf((rating - m->class_lo) / m->class_step);
		if (c < 0)
			c = 0;
		if (c > (float)(m->n_classes - 1))
			c = (float)(m->n_classes - 1);
		double p = prob[(uint32_t)c];
		return -log(p > 1e-12 ? p : 1e-12);
	}
	double e = (double)pred - rating;
	return e * e;
}

/* Draw the next batch into m->ahead and ask for its rows. */
static void mb_draw(struct model *m, size_t bs)
{
	m->ahead.n = 0;
	batcher_fill(&m->bt, &m->ahead, bs);
	if (m->ops->prefetch && m->ahead.n)
		m->ops->prefetch(m, &m->ahead);
}

int model_mb_epoch(struct model *m, uint32_t epoch, model_fwdbwd fb, double *train_loss)
{
	const struct train_cfg *c = m->cfg;
	const struct tdata *d = m->d;
	uint64_t group = (uint64_t)c->bs * c->accum;
	if (!m->batch.cap) {
		int err = batch_alloc(&m->batch, c->bs);
		if (!err)
			err = batch_alloc(&m->ahead, c->bs);
		if (err)
			return err;
	}
	m->steps_per_epoch = d->n_train / group;
	if (m->steps_per_epoch == 0)
		m->steps_per_epoch = 1; /* fewer ratings than one group: use them all */
	uint64_t total = m->steps_per_epoch * c->epochs;
	batcher_start(&m->bt, d, &m->rng);
	mb_draw(m, c->bs);
	double loss = 0;
	uint64_t seen = 0;
	for (uint64_t s = 0; s < m->steps_per_epoch; s++) {
		struct hyper h;
		sched_at(c, (double)(epoch * m->steps_per_epoch + s) / (double)total, &h);
		int err = optim_begin(&m->opt, &h);
		if (err)
			return err;
		/* ratings not yet trained on: the batcher's plus the one ahead */
		uint64_t left = m->bt.left + m->ahead.n;
		uint64_t n = left < group ? left : group;
		float scale = 1.0f / (float)n;
		for (uint32_t a = 0; a < c->accum; a++) {
			struct batch t = m->batch;
			m->batch = m->ahead;
			m->ahead = t;
			if (!m->batch.n)
				break;
			mb_draw(m, c->bs);
			loss += fb(m, &m->batch, scale);
			seen += m->batch.n;
		}
		for (int i = 0; i < m->n_t; i++)
			optim_apply(&m->opt, &m->t[i], m->threads);
	}
	*train_loss = seen ? loss / (double)seen : 0;
	return 0;
}
