/* model_dot.c - fastai's EmbeddingDotBias.
 *
 *   s = b_u + b_i + p_u . q_i;  rating = sigmoid_range(s, y_lo, y_hi)
 *
 * (fastai/collab.py).  Four embeddings initialised as fastai's Embedding
 * does (trunc_normal_, std 0.01), trained by minibatches through
 * model_mb_epoch with the optimizer of cfg.  With the ce loss the score
 * feeds the class head instead (model.h).
 */
#include "model.h"

#include "err.h"
#include "kern.h"


static int dot_init(struct model *m)
{
	const struct train_cfg *c = m->cfg;
	uint32_t cap = c->bs * c->accum, k = m->k;
	int err = model_add(m, "user_factors", (uint32_t)m->n_users, k, cap, 0, &m->P);
	if (!err)
		err = model_add(m, "item_factors", (uint32_t)m->n_items, k, cap, 0, &m->Q);
	if (!err)
		err = model_add(m, "user_bias", (uint32_t)m->n_users, 1, cap, 0, &m->bu);
	if (!err)
		err = model_add(m, "item_bias", (uint32_t)m->n_items, 1, cap, 0, &m->bi);
	if (!err && m->loss == GLM_CE)
		err = model_add_class_head(m, 0);
	if (err)
		return err;
	/* fastai draws the four embeddings in this order. */
	model_init_trunc(m->P, &m->rng, c->init_sd);
	model_init_trunc(m->Q, &m->rng, c->init_sd);
	model_init_trunc(m->bu, &m->rng, c->init_sd);
	model_init_trunc(m->bi, &m->rng, c->init_sd);
	return 0;
}

static double dot_fwdbwd(struct model *m, const struct batch *b, float scale)
{
	uint32_t k = m->k;
	double loss = 0;
	for (size_t j = 0; j < b->n; j++) {
		uint32_t u = b->user[j], i = b->item[j];
		const float *p = m->P->w + (size_t)u * k, *q = m->Q->w + (size_t)i * k;
		float dot = kern_dot(p, q, k);
		double s = (double)m->mu + m->bu->w[u] + m->bi->w[i] + dot;
		float ds;
		float *gw = m->cw ? pt_grad(m->cw, 0) : NULL, *gb = m->cb ? pt_grad(m->cb, 0) : NULL;
		loss += model_score_grad(m, s, b->rating[j], scale, m->cw ? m->cw->w : NULL,
					 m->cb ? m->cb->w : NULL, gw, gb, &ds);
		kern_grad_pair(pt_grad(m->P, u), pt_grad(m->Q, i), p, q, k, ds);
		pt_grad(m->bu, u)[0] += ds;
		pt_grad(m->bi, i)[0] += ds;
	}
	return loss;
}

static void dot_prefetch(const struct model *m, const struct batch *b)
{
	for (size_t j = 0; j < b->n; j++) {
		pt_prefetch(m->P, b->user[j]);
		pt_prefetch(m->bu, b->user[j]);
		pt_prefetch(m->Q, b->item[j]);
		pt_prefetch(m->bi, b->item[j]);
	}
}

static int dot_epoch(struct model *m, uint32_t epoch, double *train_loss)
{
	return model_mb_epoch(m, epoch, dot_fwdbwd, train_loss);
}

/* Shared by dot, mf and als: the four factor tensors (and the class head). */
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

const struct model_ops model_dot_ops = {
	.name = "dot",
	.init = dot_init,
	.epoch = dot_epoch,
	.predict = model_factor_predict,
	.attach = model_factor_attach,
	.fwdbwd = dot_fwdbwd,
	.prefetch = dot_prefetch,
};
