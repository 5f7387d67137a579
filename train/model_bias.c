/* model_bias.c - the biases-only baseline: mu + b_u + b_i.
 *
 * Fitted as Surprise's BaselineOnly does with its default ALS settings:
 * alternating regularised means, b_i = sum(r - mu - b_u) / (reg_i + n_i),
 * b_u = sum(r - mu - b_i) / (reg_u + n_u), reg_i = 10, reg_u = 15,
 * 10 rounds, on the training ratings.  Its epoch does all the rounds.
 * Predictions are clipped to the rating range (model_link), as Surprise
 * clips them, and as the models it is compared with are.
 */
#include "model.h"
#include "model_bias.h"

#include "err.h"
#include "log.h"

#include <stdlib.h>

#define BIAS_ROUNDS 10
#define BIAS_REG_I 10.0
#define BIAS_REG_U 15.0

static int bias_init(struct model *m)
{
	m->mu = (float)m->d->mean;
	m->loss = GLM_MSE;
	m->y_lo = m->y_hi = 0;
	int err = model_add(m, "user_bias", (uint32_t)m->n_users, 1, 0, PT_NO_GRAD, &m->bu);
	if (!err)
		err = model_add(m, "item_bias", (uint32_t)m->n_items, 1, 0, PT_NO_GRAD, &m->bi);
	return err;
}

static int bias_epoch(struct model *m, uint32_t epoch, double *train_loss)
{
	(void)epoch;
	const struct glr *g = m->d->g;
	double *sum = calloc(m->n_items ? m->n_items : 1, sizeof *sum);
	uint32_t *cnt = calloc(m->n_items ? m->n_items : 1, sizeof *cnt);
	if (!sum || !cnt) {
		free(sum);
		free(cnt);
		log_error("out of memory for the biases baseline");
		return GL_ENOMEM;
	}
	float *bu = m->bu->w, *bi = m->bi->w;
	double mu = m->mu;
	for (int round = 0; round < BIAS_ROUNDS; round++) {
		for (uint64_t i = 0; i < m->n_items; i++)
			sum[i] = 0, cnt[i] = 0;
		for (uint64_t u = 0; u < m->n_users; u++)
			for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
				if (!tdata_is_valid(m->d, k)) {
					sum[g->items[k]] += glr_value(g, k) - mu - bu[u];
					cnt[g->items[k]]++;
				}
		for (uint64_t i = 0; i < m->n_items; i++)
			bi[i] = (float)(sum[i] / (BIAS_REG_I + cnt[i]));
		for (uint64_t u = 0; u < m->n_users; u++) {
			double s = 0;
			uint32_t n = 0;
			for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
				if (!tdata_is_valid(m->d, k)) {
					s += glr_value(g, k) - mu - bi[g->items[k]];
					n++;
				}
			bu[u] = (float)(s / (BIAS_REG_U + n));
		}
	}
	double loss = 0;
	for (uint64_t u = 0; u < m->n_users; u++)
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (!tdata_is_valid(m->d, k)) {
				double e = mu + bu[u] + bi[g->items[k]] - glr_value(g, k);
				loss += e * e;
			}
	*train_loss = loss / (double)m->d->n_train;
	free(sum);
	free(cnt);
	return 0;
}

static void bias_predict(const struct model *m, uint32_t u, const uint32_t *items, size_t n,
			 float *pred, float *prob)
{
	(void)prob;
	for (size_t j = 0; j < n; j++)
		pred[j] = model_link(m, (double)m->mu + m->bu->w[u] + m->bi->w[items[j]], NULL,
				     NULL, NULL);
}

static int bias_attach(struct model *m)
{
	m->bu = model_get(m, "user_bias");
	m->bi = model_get(m, "item_bias");
	return m->bu && m->bi ? 0 : GL_EFORMAT;
}

const struct model_ops model_bias_ops = {
	.name = "biases",
	.init = bias_init,
	.epoch = bias_epoch,
	.predict = bias_predict,
	.attach = bias_attach,
};
