#include "glmscore.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

void glm_link_of(const struct glm *g, struct glm_link *l)
{
	memset(l, 0, sizeof *l);
	l->loss = (int)g->loss;
	l->y_lo = g->y_lo;
	l->y_hi = g->y_hi;
	l->n_classes = g->n_classes;
	l->class_lo = g->class_lo;
	l->class_step = g->class_step;
	l->clip = g->n_classes > 0;
	l->r_lo = g->class_lo;
	l->r_hi = g->class_lo + (float)(g->n_classes ? g->n_classes - 1 : 0) * g->class_step;
}

float glm_link_rating(const struct glm_link *l, double s, const float *cw, const float *cb,
		      float *prob)
{
	if (l->loss == GLM_CE) {
		float local[GLM_MAX_CLASSES];
		float *p = prob ? prob : local;
		uint32_t nc = l->n_classes;
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
			ev += p[c] * (l->class_lo + (double)c * l->class_step);
		}
		return (float)ev;
	}
	if (l->y_lo < l->y_hi)
		return (float)(l->y_lo + (l->y_hi - l->y_lo) / (1 + exp(-s)));
	/* mf and als score without bounds: mu + b_u + b_i + p.q of a keen
	 * user and a loved item passes 5 stars, and a prediction of 5.4 for a
	 * rating of 5 is an error no rating can have (Surprise clips too). */
	if (l->clip)
		s = s < l->r_lo ? l->r_lo : s > l->r_hi ? l->r_hi : s;
	return (float)s;
}

/* The tensor called name if it has rows x cols, else NULL. */
static const float *shaped(const struct glm *g, const char *name, uint64_t rows, uint32_t cols)
{
	const struct glm_tensor *t = glm_find(g, name);
	return t && t->rows == rows && t->cols == cols ? t->data : NULL;
}

const char *glm_factors_of(const struct glm *g, struct glm_factors *f)
{
	memset(f, 0, sizeof *f);
	if (g->kind == GLM_NN)
		return "the nn model scores through its network: use goodlens-recommend";
	const struct glm_tensor *q = glm_find(g, "item_factors");
	f->n_users = g->n_users;
	f->n_items = g->n_items;
	f->k = q ? q->cols : 0;
	f->mu = g->global_mean;
	f->P = shaped(g, "user_factors", g->n_users, f->k);
	f->Q = shaped(g, "item_factors", g->n_items, f->k);
	f->bu = shaped(g, "user_bias", g->n_users, 1);
	f->bi = shaped(g, "item_bias", g->n_items, 1);
	if (!f->k || !f->P || !f->Q || !f->bu || !f->bi)
		return "model.glm lacks user_bias, item_bias, user_factors or item_factors of "
		       "matching shapes";
	glm_link_of(g, &f->link);
	if (g->loss == GLM_CE) {
		f->cw = shaped(g, "class_w", g->n_classes, 1);
		f->cb = shaped(g, "class_b", g->n_classes, 1);
		if (g->n_classes < 2 || g->n_classes > GLM_MAX_CLASSES || !f->cw || !f->cb)
			return "model.glm has the ce loss but no class head of 2 to 256 classes";
	}
	return NULL;
}

void glm_score_block(const struct glm_factors *f, const float *P, const float *bu, size_t n,
		     uint64_t i0, uint64_t ni, float *out)
{
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)ni, (int)f->k, 1.0f, P,
		    (int)f->k, f->Q + i0 * f->k, (int)f->k, 0.0f, out, (int)ni);
	for (size_t r = 0; r < n; r++) {
		float *row = out + r * ni;
		for (uint64_t i = 0; i < ni; i++)
			row[i] += f->mu + bu[r] + f->bi[i0 + i];
		for (uint64_t i = 0; i < ni; i++)
			row[i] = glm_link_rating(&f->link, row[i], f->cw, f->cb, NULL);
	}
}

void glm_score_user(const struct glm_factors *f, uint32_t u, float *out)
{
	glm_score_block(f, f->P + (size_t)u * f->k, f->bu + u, 1, 0, f->n_items, out);
}
