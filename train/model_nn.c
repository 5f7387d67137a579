/* model_nn.c - fastai's EmbeddingNN (a TabularModel over two embeddings).
 *
 *   x = [U[u], I[i]]                       embedding sizes by fastai's
 *                                          emb_sz_rule: min(600, round(1.6 *
 *                                          n^0.56)), n counting fastai's
 *                                          extra '#na#' class (or cfg emb)
 *   h = BN(ReLU(W_l h))  per hidden layer  (fastai LinBnDrop with
 *                                          lin_first: Linear without bias
 *                                          when BN follows; dropout 0)
 *   y = W_out h + b_out                    1 output, or one per class (ce)
 *   rating = sigmoid_range(y, y_lo, y_hi)  (mse)
 *
 * The hidden sizes are cfg layers, which default to [factors]: fastai's
 * collab_learner(use_nn=True) passes layers=[n_factors] (50).
 *
 * Initialisation as fastai's: embeddings trunc_normal_(std 0.01) (fastai's
 * Embedding), Linear weights and biases PyTorch's U(-1/sqrt(fan_in),
 * 1/sqrt(fan_in)), BatchNorm as fastai's BatchNorm() makes it: weight 1,
 * bias 1e-3, running mean 0 and variance 1, momentum 0.1, eps 1e-5.  Weight decay skips BatchNorm parameters and Linear biases
 * (fastai's wd_bn_bias=False).  Training normalises by the batch's
 * statistics (biased variance) and moves the running ones (unbiased
 * variance); prediction uses the running statistics.
 *
 * Forward and backward run over the whole batch with cblas_sgemm.
 */
#include "model.h"
#include "model_nn.h"

#include "err.h"
#include "log.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BN_EPS 1e-5f
#define BN_MOM 0.1f
#define BN_BIAS0 1e-3f /* fastai's _get_norm: bn.bias.data.fill_(1e-3) */

struct nn_layer {
	struct ptensor *w, *bn_w, *bn_b, *bn_mean, *bn_var;
	uint32_t in, out;
};

struct nn {
	int n_layers;
	struct nn_layer l[CFG_MAX_LAYERS];
	struct ptensor *ow, *ob;   /* output layer */
	uint32_t du, di, D, n_out, width; /* width: the widest activation */
	int bn;
	/* training scratch for one batch (bs rows) */
	size_t cap;
	float *x, *z[CFG_MAX_LAYERS], *h[CFG_MAX_LAYERS], *xhat[CFG_MAX_LAYERS];
	float *out, *dout, *da, *db, *dx;
	float *mean[CFG_MAX_LAYERS], *istd[CFG_MAX_LAYERS];
};

/* fastai's emb_sz_rule for n categories plus its '#na#'. */
uint32_t nn_emb_size(uint64_t n)
{
	double s = round(1.6 * pow((double)n + 1, 0.56));
	return s > 600 ? 600 : (uint32_t)s;
}

static void uniform(struct ptensor *t, struct rng *r, double bound)
{
	size_t n = (size_t)t->rows * t->cols;
	for (size_t i = 0; i < n; i++)
		t->w[i] = (float)((2 * rng_unit(r) - 1) * bound);
}

static int nn_scratch(struct nn *p, size_t cap)
{
	int ok = 1;
	p->cap = cap;
	ok &= !!(p->x = malloc(cap * p->D * sizeof(float)));
	for (int l = 0; l < p->n_layers; l++) {
		size_t n = cap * p->l[l].out * sizeof(float);
		ok &= !!(p->z[l] = malloc(n));
		ok &= !!(p->h[l] = malloc(n));
		ok &= !!(p->xhat[l] = malloc(n));
		ok &= !!(p->mean[l] = malloc(p->l[l].out * sizeof(float)));
		ok &= !!(p->istd[l] = malloc(p->l[l].out * sizeof(float)));
	}
	ok &= !!(p->out = malloc(cap * p->n_out * sizeof(float)));
	ok &= !!(p->dout = malloc(cap * p->n_out * sizeof(float)));
	ok &= !!(p->da = malloc(cap * p->width * sizeof(float)));
	ok &= !!(p->db = malloc(cap * p->width * sizeof(float)));
	ok &= !!(p->dx = malloc(cap * p->D * sizeof(float)));
	if (!ok) {
		log_error("out of memory for the nn batch buffers");
		return GL_ENOMEM;
	}
	return 0;
}

static int add_layer(struct model *m, struct nn *p, int l, uint32_t in, uint32_t out)
{
	char name[32]; /* names here stay under GLM_NAME_LEN */
	struct nn_layer *L = &p->l[l];
	L->in = in;
	L->out = out;
	snprintf(name, sizeof name, "l%d.w", l);
	int err = model_add(m, name, out, in, out, PT_DENSE, &L->w);
	if (!err && p->bn) {
		snprintf(name, sizeof name, "l%d.bn_w", l);
		err = model_add(m, name, out, 1, out, PT_DENSE | PT_NO_DECAY, &L->bn_w);
		snprintf(name, sizeof name, "l%d.bn_b", l);
		if (!err)
			err = model_add(m, name, out, 1, out, PT_DENSE | PT_NO_DECAY, &L->bn_b);
		snprintf(name, sizeof name, "l%d.bn_mean", l);
		if (!err)
			err = model_add(m, name, out, 1, 0, PT_NO_GRAD, &L->bn_mean);
		snprintf(name, sizeof name, "l%d.bn_var", l);
		if (!err)
			err = model_add(m, name, out, 1, 0, PT_NO_GRAD, &L->bn_var);
	} else if (!err) {
		/* Without BN the Linear has its bias (fastai: bias=not bn). */
		snprintf(name, sizeof name, "l%d.b", l);
		err = model_add(m, name, out, 1, out, PT_DENSE | PT_NO_DECAY, &L->bn_b);
	}
	return err;
}

static int nn_init(struct model *m)
{
	const struct train_cfg *c = m->cfg;
	struct nn *p = calloc(1, sizeof *p);
	if (!p) {
		log_error("out of memory for the nn model");
		return GL_ENOMEM;
	}
	m->priv = p;
	p->du = c->emb[0] ? c->emb[0] : nn_emb_size(m->n_users);
	p->di = c->emb[1] ? c->emb[1] : nn_emb_size(m->n_items);
	p->D = p->du + p->di;
	p->bn = c->bn;
	p->n_layers = c->n_layers;
	p->n_out = m->loss == GLM_CE ? m->n_classes : 1;
	m->k = p->du;
	uint32_t cap = c->bs * c->accum;
	int err = model_add(m, "user_factors", (uint32_t)m->n_users, p->du, cap, 0, &m->P);
	if (!err)
		err = model_add(m, "item_factors", (uint32_t)m->n_items, p->di, cap, 0, &m->Q);
	uint32_t in = p->D;
	p->width = p->n_out;
	for (int l = 0; !err && l < p->n_layers; l++) {
		err = add_layer(m, p, l, in, c->layers[l]);
		in = c->layers[l];
		if (in > p->width)
			p->width = in;
	}
	if (p->D > p->width)
		p->width = p->D;
	if (!err)
		err = model_add(m, "out.w", p->n_out, in, p->n_out, PT_DENSE, &p->ow);
	if (!err)
		err = model_add(m, "out.b", p->n_out, 1, p->n_out, PT_DENSE | PT_NO_DECAY, &p->ob);
	if (!err)
		err = nn_scratch(p, c->bs);
	if (err)
		return err;
	/* Batches are small: OpenBLAS's own threads would only add overhead. */
	openblas_set_num_threads(1);
	model_init_trunc(m->P, &m->rng, c->init_sd);
	model_init_trunc(m->Q, &m->rng, c->init_sd);
	for (int l = 0; l < p->n_layers; l++) {
		struct nn_layer *L = &p->l[l];
		uniform(L->w, &m->rng, 1 / sqrt((double)L->in));
		if (p->bn) {
			for (uint32_t j = 0; j < L->out; j++) {
				L->bn_w->w[j] = 1;
				L->bn_b->w[j] = BN_BIAS0;
				L->bn_var->w[j] = 1;
			}
		} else {
			uniform(L->bn_b, &m->rng, 1 / sqrt((double)L->in));
		}
	}
	uniform(p->ow, &m->rng, 1 / sqrt((double)p->ow->cols));
	uniform(p->ob, &m->rng, 1 / sqrt((double)p->ow->cols));
	return 0;
}

/* Forward over n rows whose input is already in x.  train: batch
 * statistics (and running ones updated); else running statistics.  The
 * activations go to z, xhat, h (n rows each) and the outputs to out. */
static void forward(const struct model *m, const struct nn *p, size_t n, const float *x,
		    float **z, float **xhat, float **h, float *out, float **mean_l, float **istd_l,
		    int train)
{
	const float *in = x;
	for (int l = 0; l < p->n_layers; l++) {
		const struct nn_layer *L = &p->l[l];
		uint32_t o = L->out;
		float *mean = mean_l[l], *istd = istd_l[l];
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)o, (int)L->in, 1.0f,
			    in, (int)L->in, L->w->w, (int)L->in, 0.0f, z[l], (int)o);
		if (!p->bn) {
			for (size_t r = 0; r < n; r++)
				for (uint32_t j = 0; j < o; j++) {
					float v = z[l][r * o + j] + L->bn_b->w[j];
					z[l][r * o + j] = v;
					h[l][r * o + j] = v > 0 ? v : 0;
				}
			in = h[l];
			continue;
		}
		for (size_t r = 0; r < n * o; r++)
			h[l][r] = z[l][r] > 0 ? z[l][r] : 0; /* ReLU, then BN */
		if (train) {
			for (uint32_t j = 0; j < o; j++) {
				double s = 0, s2 = 0;
				for (size_t r = 0; r < n; r++)
					s += h[l][r * o + j];
				double mu = s / (double)n;
				for (size_t r = 0; r < n; r++) {
					double d = h[l][r * o + j] - mu;
					s2 += d * d;
				}
				double var = s2 / (double)n;
				mean[j] = (float)mu;
				istd[j] = (float)(1 / sqrt(var + BN_EPS));
				L->bn_mean->w[j] = (1 - BN_MOM) * L->bn_mean->w[j] + BN_MOM * (float)mu;
				double unb = n > 1 ? s2 / (double)(n - 1) : var;
				L->bn_var->w[j] = (1 - BN_MOM) * L->bn_var->w[j] + BN_MOM * (float)unb;
			}
		} else {
			for (uint32_t j = 0; j < o; j++) {
				mean[j] = L->bn_mean->w[j];
				istd[j] = 1 / sqrtf(L->bn_var->w[j] + BN_EPS);
			}
		}
		for (size_t r = 0; r < n; r++)
			for (uint32_t j = 0; j < o; j++) {
				float xh = (h[l][r * o + j] - mean[j]) * istd[j];
				if (xhat)
					xhat[l][r * o + j] = xh;
				h[l][r * o + j] = L->bn_w->w[j] * xh + L->bn_b->w[j];
			}
		in = h[l];
	}
	uint32_t hin = p->ow->cols;
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)p->n_out, (int)hin, 1.0f, in,
		    (int)hin, p->ow->w, (int)hin, 0.0f, out, (int)p->n_out);
	for (size_t r = 0; r < n; r++)
		for (uint32_t j = 0; j < p->n_out; j++)
			out[r * p->n_out + j] += p->ob->w[j];
	(void)m;
}

static void gather(const struct model *m, const struct nn *p, const uint32_t *u,
		   const uint32_t *items, uint32_t one_user, size_t n, float *x)
{
	for (size_t r = 0; r < n; r++) {
		uint32_t uu = u ? u[r] : one_user;
		memcpy(x + r * p->D, m->P->w + (size_t)uu * p->du, p->du * sizeof *x);
		memcpy(x + r * p->D + p->du, m->Q->w + (size_t)items[r] * p->di, p->di * sizeof *x);
	}
}

/* The rating (and probabilities) of output row o, and d(loss)/d(output). */
static double out_grad(const struct model *m, const float *o, float r, float scale, float *dout)
{
	if (m->loss == GLM_CE) {
		float prob[DATA_MAX_CLASSES], zero[DATA_MAX_CLASSES] = {0};
		uint32_t nc = m->n_classes;
		float ev = model_link(m, 0, zero, o, prob); /* logits = o */
		double loss = model_loss1(m, ev, prob, r);
		float cf = roundf((r - m->class_lo) / m->class_step);
		uint32_t target = cf < 0 ? 0 : cf > (float)(nc - 1) ? nc - 1 : (uint32_t)cf;
		for (uint32_t c = 0; c < nc; c++)
			dout[c] = (prob[c] - (c == target ? 1.0f : 0.0f)) * scale;
		return loss;
	}
	double y = o[0], pred = y, dpred = 1;
	if (m->y_lo < m->y_hi) {
		double sig = 1 / (1 + exp(-y));
		pred = m->y_lo + (m->y_hi - m->y_lo) * sig;
		dpred = (m->y_hi - m->y_lo) * sig * (1 - sig);
	}
	double e = pred - r;
	dout[0] = (float)(2 * e * dpred * scale);
	return e * e;
}

static double nn_fwdbwd(struct model *m, const struct batch *b, float scale)
{
	struct nn *p = m->priv;
	size_t n = b->n;
	gather(m, p, b->user, b->item, 0, n, p->x);
	forward(m, p, n, p->x, p->z, p->xhat, p->h, p->out, p->mean, p->istd, 1);
	double loss = 0;
	for (size_t r = 0; r < n; r++)
		loss += out_grad(m, p->out + r * p->n_out, b->rating[r], scale, p->dout + r * p->n_out);
	/* output layer */
	int L = p->n_layers;
	uint32_t hin = p->ow->cols, no = p->n_out;
	const float *hl = L ? p->h[L - 1] : p->x;
	float *gw = p->ow->g, *gb = p->ob->g;
	for (uint32_t j = 0; j < no; j++) {
		pt_grad(p->ow, j);
		pt_grad(p->ob, j);
	}
	cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)no, (int)hin, (int)n, 1.0f, p->dout,
		    (int)no, hl, (int)hin, 1.0f, gw, (int)hin);
	for (size_t r = 0; r < n; r++)
		for (uint32_t j = 0; j < no; j++)
			gb[j] += p->dout[r * no + j];
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)hin, (int)no, 1.0f,
		    p->dout, (int)no, p->ow->w, (int)hin, 0.0f, p->da, (int)hin);
	/* hidden layers, last to first; da holds d(loss)/d(h_l) */
	for (int l = L - 1; l >= 0; l--) {
		struct nn_layer *Ly = &p->l[l];
		uint32_t o = Ly->out;
		for (uint32_t j = 0; j < o; j++) {
			pt_grad(Ly->w, j);
			pt_grad(Ly->bn_b, j);
			if (p->bn)
				pt_grad(Ly->bn_w, j);
		}
		float *dz = p->db;
		if (p->bn) {
			/* BN backward with batch statistics, then ReLU's mask. */
			for (uint32_t j = 0; j < o; j++) {
				double sd = 0, sdx = 0;
				for (size_t r = 0; r < n; r++) {
					float d = p->da[r * o + j];
					sd += d;
					sdx += d * p->xhat[l][r * o + j];
				}
				Ly->bn_b->g[j] += (float)sd;
				Ly->bn_w->g[j] += (float)sdx;
				double istd = p->istd[l][j];
				double g = Ly->bn_w->w[j] * istd / (double)n;
				for (size_t r = 0; r < n; r++) {
					double dxh = (double)n * p->da[r * o + j] - sd -
						     p->xhat[l][r * o + j] * sdx;
					float da = (float)(g * dxh);
					dz[r * o + j] = p->z[l][r * o + j] > 0 ? da : 0;
				}
			}
		} else {
			for (size_t r = 0; r < n; r++)
				for (uint32_t j = 0; j < o; j++) {
					float d = p->z[l][r * o + j] > 0 ? p->da[r * o + j] : 0;
					dz[r * o + j] = d;
					Ly->bn_b->g[j] += d;
				}
		}
		const float *in = l ? p->h[l - 1] : p->x;
		cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)o, (int)Ly->in, (int)n, 1.0f,
			    dz, (int)o, in, (int)Ly->in, 1.0f, Ly->w->g, (int)Ly->in);
		float *dst = l ? p->da : p->dx;
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)Ly->in, (int)o, 1.0f,
			    dz, (int)o, Ly->w->w, (int)Ly->in, 0.0f, dst, (int)Ly->in);
	}
	if (L == 0)
		memcpy(p->dx, p->da, n * p->D * sizeof *p->dx);
	for (size_t r = 0; r < n; r++) {
		float *gu = pt_grad(m->P, b->user[r]), *gi = pt_grad(m->Q, b->item[r]);
		const float *d = p->dx + r * p->D;
		for (uint32_t f = 0; f < p->du; f++)
			gu[f] += d[f];
		for (uint32_t f = 0; f < p->di; f++)
			gi[f] += d[p->du + f];
	}
	return loss;
}

static int nn_epoch(struct model *m, uint32_t epoch, double *train_loss)
{
	return model_mb_epoch(m, epoch, nn_fwdbwd, train_loss);
}

static void nn_predict(const struct model *m, uint32_t u, const uint32_t *items, size_t n,
		       float *pred, float *prob)
{
	const struct nn *p = m->priv;
	size_t chunk = n < 256 ? n : 256;
	float *x = malloc(chunk * p->D * sizeof *x), *out = malloc(chunk * p->n_out * sizeof *out);
	float *z[CFG_MAX_LAYERS] = {0}, *h[CFG_MAX_LAYERS] = {0};
	float *mean[CFG_MAX_LAYERS] = {0}, *istd[CFG_MAX_LAYERS] = {0};
	int ok = x && out;
	for (int l = 0; l < p->n_layers; l++) {
		z[l] = malloc(chunk * p->l[l].out * sizeof(float));
		h[l] = malloc(chunk * p->l[l].out * sizeof(float));
		mean[l] = malloc(p->l[l].out * sizeof(float));
		istd[l] = malloc(p->l[l].out * sizeof(float));
		ok &= z[l] && h[l] && mean[l] && istd[l];
	}
	float zero[DATA_MAX_CLASSES] = {0};
	for (size_t at = 0; at < n; at += chunk) {
		size_t c = n - at < chunk ? n - at : chunk;
		if (!ok) { /* no memory: predict nothing better than the middle */
			for (size_t r = 0; r < c; r++)
				pred[at + r] = m->class_lo;
			continue;
		}
		gather(m, p, NULL, items + at, u, c, x);
		forward(m, p, c, x, z, NULL, h, out, mean, istd, 0);
		for (size_t r = 0; r < c; r++) {
			const float *o = out + r * p->n_out;
			float *pr = prob ? prob + (at + r) * m->n_classes : NULL;
			if (m->loss == GLM_CE) /* logits = 0 * s + o */
				pred[at + r] = model_link(m, 0, zero, o, pr);
			else
				pred[at + r] = model_link(m, o[0], NULL, NULL, NULL);
		}
	}
	for (int l = 0; l < p->n_layers; l++) {
		free(z[l]);
		free(h[l]);
		free(mean[l]);
		free(istd[l]);
	}
	free(x);
	free(out);
}

static int nn_attach(struct model *m)
{
	struct nn *p = calloc(1, sizeof *p);
	if (!p)
		return GL_ENOMEM;
	m->priv = p;
	m->P = model_get(m, "user_factors");
	m->Q = model_get(m, "item_factors");
	p->ow = model_get(m, "out.w");
	p->ob = model_get(m, "out.b");
	if (!m->P || !m->Q || !p->ow || !p->ob || m->P->rows != m->n_users ||
	    m->Q->rows != m->n_items)
		return GL_EFORMAT;
	p->du = m->P->cols;
	p->di = m->Q->cols;
	p->D = p->du + p->di;
	p->n_out = p->ow->rows;
	p->width = p->D > p->n_out ? p->D : p->n_out;
	if (p->n_out != (m->loss == GLM_CE ? m->n_classes : 1) || p->ob->rows != p->n_out)
		return GL_EFORMAT;
	uint32_t in = p->D;
	for (int l = 0; l < CFG_MAX_LAYERS; l++) {
		char name[32]; /* names here stay under GLM_NAME_LEN */
		struct nn_layer *L = &p->l[l];
		snprintf(name, sizeof name, "l%d.w", l);
		if (!(L->w = model_get(m, name)))
			break;
		snprintf(name, sizeof name, "l%d.bn_w", l);
		L->bn_w = model_get(m, name);
		p->bn = L->bn_w != NULL;
		snprintf(name, sizeof name, p->bn ? "l%d.bn_b" : "l%d.b", l);
		L->bn_b = model_get(m, name);
		snprintf(name, sizeof name, "l%d.bn_mean", l);
		L->bn_mean = model_get(m, name);
		snprintf(name, sizeof name, "l%d.bn_var", l);
		L->bn_var = model_get(m, name);
		L->in = in;
		L->out = L->w->rows;
		if (L->w->cols != in || !L->bn_b || L->bn_b->rows != L->out ||
		    (p->bn && (!L->bn_mean || !L->bn_var || L->bn_w->rows != L->out ||
			       L->bn_mean->rows != L->out || L->bn_var->rows != L->out)))
			return GL_EFORMAT;
		in = L->out;
		if (in > p->width)
			p->width = in;
		p->n_layers = l + 1;
	}
	if (p->ow->cols != in)
		return GL_EFORMAT;
	return 0;
}

static void nn_free(struct model *m)
{
	struct nn *p = m->priv;
	if (!p)
		return;
	free(p->x);
	for (int l = 0; l < CFG_MAX_LAYERS; l++) {
		free(p->z[l]);
		free(p->h[l]);
		free(p->xhat[l]);
		free(p->mean[l]);
		free(p->istd[l]);
	}
	free(p->out);
	free(p->dout);
	free(p->da);
	free(p->db);
	free(p->dx);
	free(p);
	m->priv = NULL;
}

const struct model_ops model_nn_ops = {
	.name = "nn",
	.init = nn_init,
	.epoch = nn_epoch,
	.predict = nn_predict,
	.attach = nn_attach,
	.free = nn_free,
	.fwdbwd = nn_fwdbwd,
};
