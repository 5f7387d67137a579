#include "model.h"

#include "err.h"
#include "kern.h"
#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct model_ops model_dot_ops, model_mf_ops, model_als_ops, model_nn_ops,
	model_bpmf_ops;

const struct model_ops *model_ops_of(int kind)
{
	switch (kind) {
	case GLM_DOT:
		return &model_dot_ops;
	case GLM_MF:
		return &model_mf_ops;
	case GLM_ALS:
		return &model_als_ops;
	case GLM_NN:
		return &model_nn_ops;
	case GLM_BPMF:
		return &model_bpmf_ops;
	}
	return NULL;
}

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

float model_link(const struct model *m, double s, const float *cw, const float *cb, float *prob)
{
	if (m->loss == GLM_CE) {
		float local[DATA_MAX_CLASSES];
		float *p = prob ? prob : local;
		uint32_t nc = m->n_classes;
		float zmax = -INFINITY;
		for (uint32_t c = 0; c < nc; c++) {
			p[c] = (float)(cw[c] * s + cb[c]);
			if (p[c] > zmax)
				zmax = p[c];
		}
		double sum = 0, ev = 0;
		for (uint32_t c = 0; c < nc; c++) {
			p[c] = expf(p[c] - zmax);
			sum += p[c];
		}
		for (uint32_t c = 0; c < nc; c++) {
			p[c] = (float)(p[c] / sum);
			ev += p[c] * (m->class_lo + (double)c * m->class_step);
		}
		return (float)ev;
	}
	if (m->y_lo < m->y_hi)
		return (float)(m->y_lo + (m->y_hi - m->y_lo) / (1 + exp(-s)));
	/* mf and als score without bounds: mu + b_u + b_i + p.q of a keen
	 * user and a loved item passes 5 stars, and a prediction of 5.4 for a
	 * rating of 5 is an error no rating can have (Surprise clips too). */
	if (m->clip)
		s = s < m->r_lo ? m->r_lo : s > m->r_hi ? m->r_hi : s;
	return (float)s;
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

int model_saved_tensors(const struct model *m)
{
	int n = 0;
	for (int i = 0; i < m->n_t; i++)
		n += !m->t[i].internal;
	return n;
}

int model_to_glm(const struct model *m, uint32_t j, struct glm *g)
{
	if (j == 0) {
		g->kind = (uint32_t)m->kind;
		g->loss = (uint32_t)m->loss;
		g->n_users = m->n_users;
		g->n_items = m->n_items;
		g->factors = m->k;
		g->n_classes = m->n_classes;
		g->class_lo = m->class_lo;
		g->class_step = m->class_step;
		g->global_mean = m->mu;
		g->y_lo = m->y_lo;
		g->y_hi = m->y_hi;
	}
	for (int i = 0; i < m->n_t; i++) {
		const struct ptensor *t = &m->t[i];
		char name[GLM_NAME_LEN + 8];
		if (t->internal)
			continue;
		if (j)
			snprintf(name, sizeof name, "m%u.%s", j, t->name);
		else
			snprintf(name, sizeof name, "%s", t->name);
		float *dst;
		int err = glm_add(g, name, t->rows, t->cols, &dst);
		if (err)
			return err;
		memcpy(dst, t->w, (size_t)t->rows * t->cols * sizeof *dst);
	}
	return 0;
}

/* The member a tensor name belongs to, and its name within the member. */
static uint32_t member_of(const char *name, const char **base)
{
	if (name[0] == 'm' && name[1] >= '1' && name[1] <= '9' && name[2] == '.') {
		*base = name + 3;
		return (uint32_t)(name[1] - '0');
	}
	*base = name;
	return 0;
}

uint32_t model_glm_members(const struct glm *g)
{
	uint32_t n = 1;
	for (int i = 0; i < g->n_tensors; i++) {
		const char *base;
		uint32_t j = member_of(g->t[i].name, &base);
		if (j + 1 > n)
			n = j + 1;
	}
	return n;
}

int model_from_glm(struct model *m, const struct glm *g, uint32_t j, const char *path)
{
	memset(m, 0, sizeof *m);
	m->ops = model_ops_of((int)g->kind);
	if (!m->ops) {
		log_error("%s: unknown model kind %u", path, g->kind);
		return GL_EFORMAT;
	}
	m->kind = (int)g->kind;
	m->loss = (int)g->loss;
	m->n_users = g->n_users;
	m->n_items = g->n_items;
	m->k = g->factors;
	m->mu = g->global_mean;
	m->y_lo = g->y_lo;
	m->y_hi = g->y_hi;
	m->n_classes = g->n_classes;
	m->class_lo = g->class_lo;
	m->class_step = g->class_step;
	/* the rating range: n_classes values from class_lo (0 in files that
	 * recorded it for the ce loss only: no clipping then) */
	m->clip = g->n_classes > 0;
	m->r_lo = g->class_lo;
	m->r_hi = g->class_lo + (float)(g->n_classes ? g->n_classes - 1 : 0) * g->class_step;
	m->threads = 1;
	if (m->loss == GLM_CE && (m->n_classes < 2 || m->n_classes > DATA_MAX_CLASSES)) {
		log_error("%s: a ce model needs 2 to %d classes, not %u", path, DATA_MAX_CLASSES,
			  m->n_classes);
		return GL_EFORMAT;
	}
	for (int i = 0; i < g->n_tensors; i++) {
		const char *base;
		if (member_of(g->t[i].name, &base) != j)
			continue;
		struct ptensor *t;
		int err = model_add(m, base, g->t[i].rows, g->t[i].cols, 0, PT_NO_GRAD, &t);
		if (err)
			return err;
		memcpy(t->w, g->t[i].data, (size_t)t->rows * t->cols * sizeof *t->w);
	}
	int err = m->ops->attach(m);
	if (err)
		log_error("%s: member %u of the %s model is incomplete or misshapen", path, j,
			  m->ops->name);
	return err;
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
