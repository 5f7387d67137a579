/* model_dot.c - fastai's EmbeddingDotBias.
 *
 *   s = b_u + b_i + p_u . q_i;  rating = sigmoid_range(s, y_lo, y_hi)
 *
 * (fastai/collab.py).  Four embeddings initialised as fastai's Embedding
 * does (trunc_normal_, std 0.01), trained by minibatches through
 * model_mb_epoch with the optimizer of cfg.  With the ce loss the score
 * feeds the class head instead (model.h).
 *
 * Training layout: a user's factors and bias are one optimizer row,
 * [p_u, b_u, 0...] padded to a multiple of 4 floats (the PT_INTERNAL
 * tensors dot.user and dot.item), and likewise an item's.  Adam works
 * element by element and every step touches a user's factors exactly when
 * it touches the user's bias, so this is the same arithmetic as four
 * tensors, bit for bit, with half the rows to fetch and update (the pad
 * columns never get a gradient and stay zero).  Each row is one PT_PACKED
 * record with its Adam moments and sparse bookkeeping (optim.h): at k 50,
 * 640 bytes, 10 cache lines, where the separate arrays cost 15 lines in
 * six places per row and step (padding to 4, not 8, saves the 11th line;
 * test_train_layout holds the results to the bits of the separate
 * arrays).  publish copies the rows into the four tensors the model file
 * and predict use.
 */
#include "model.h"

#include "err.h"
#include "kern.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

struct dot {
	struct ptensor *ue, *ie; /* [n x kp]: factors, then the bias at column k */
	uint32_t kp;
};

/* Rows of the four tensors <-> the training rows (back: to the tensors). */
static void dot_copy(struct model *m, int back)
{
	struct dot *p = m->priv;
	uint32_t k = m->k;
	struct ptensor *f[2] = {m->P, m->Q}, *b[2] = {m->bu, m->bi}, *e[2] = {p->ue, p->ie};
	for (int side = 0; side < 2; side++)
		for (uint32_t r = 0; r < e[side]->rows; r++) {
			float *row = pt_row(e[side], r), *fr = f[side]->w + (size_t)r * k;
			memcpy(back ? fr : row, back ? row : fr, k * sizeof *row);
			if (back)
				b[side]->w[r] = row[k];
			else
				row[k] = b[side]->w[r];
		}
}

static void dot_publish(struct model *m)
{
	if (m->priv) /* a loaded model has no training rows */
		dot_copy(m, 1);
}

static int dot_init(struct model *m)
{
	const struct train_cfg *c = m->cfg;
	uint32_t cap = c->bs * c->accum, k = m->k;
	struct dot *p = calloc(1, sizeof *p);
	if (!p) {
		log_error("out of memory for the dot model");
		return GL_ENOMEM;
	}
	m->priv = p;
	p->kp = (k + 1 + 3) & ~3u;
	int err = model_add_factors(m);
	if (!err)
		err = model_add(m, "dot.user", (uint32_t)m->n_users, p->kp, cap,
				PT_INTERNAL | PT_PACKED, &p->ue);
	if (!err)
		err = model_add(m, "dot.item", (uint32_t)m->n_items, p->kp, cap,
				PT_INTERNAL | PT_PACKED, &p->ie);
	if (!err && m->loss == GLM_CE)
		err = model_add_class_head(m, 0);
	if (err)
		return err;
	/* fastai draws the four embeddings in this order. */
	model_init_trunc(m->P, &m->rng, c->init_sd);
	model_init_trunc(m->Q, &m->rng, c->init_sd);
	model_init_trunc(m->bu, &m->rng, c->init_sd);
	model_init_trunc(m->bi, &m->rng, c->init_sd);
	dot_copy(m, 0);
	return 0;
}

static double dot_fwdbwd(struct model *m, const struct batch *b, float scale)
{
	const struct dot *p = m->priv;
	uint32_t k = m->k;
	double loss = 0;
	for (size_t j = 0; j < b->n; j++) {
		uint32_t u = b->user[j], i = b->item[j];
		const float *pu = pt_row(p->ue, u), *qi = pt_row(p->ie, i);
		float dot = kern_dot(pu, qi, k);
		double s = (double)m->mu + pu[k] + qi[k] + dot;
		float ds;
		float *gw = m->cw ? pt_grad(m->cw, 0) : NULL, *gb = m->cb ? pt_grad(m->cb, 0) : NULL;
		loss += model_score_grad(m, s, b->rating[j], scale, m->cw ? m->cw->w : NULL,
					 m->cb ? m->cb->w : NULL, gw, gb, &ds);
		float *gp = pt_grad(p->ue, u), *gq = pt_grad(p->ie, i);
		kern_grad_pair(gp, gq, pu, qi, k, ds);
		gp[k] += ds;
		gq[k] += ds;
	}
	return loss;
}

static void dot_prefetch(const struct model *m, const struct batch *b)
{
	const struct dot *p = m->priv;
	for (size_t j = 0; j < b->n; j++) {
		pt_prefetch(p->ue, b->user[j]);
		pt_prefetch(p->ie, b->item[j]);
	}
}

static int dot_epoch(struct model *m, uint32_t epoch, double *train_loss)
{
	return model_mb_epoch(m, epoch, dot_fwdbwd, train_loss);
}

static void dot_free(struct model *m)
{
	free(m->priv);
	m->priv = NULL;
}

/* Shared by dot, mf and als: the four factor tensors (and the class head). */
const struct model_ops model_dot_ops = {
	.name = "dot",
	.init = dot_init,
	.epoch = dot_epoch,
	.predict = model_factor_predict,
	.attach = model_factor_attach,
	.free = dot_free,
	.fwdbwd = dot_fwdbwd,
	.prefetch = dot_prefetch,
	.publish = dot_publish,
};
