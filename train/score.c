#include "score.h"

#include "err.h"

#include <stdlib.h>

void score_buf_free(struct score_buf *b)
{
	free(b->P);
	free(b->bu);
	free(b->tmp);
	free(b->ids);
	*b = (struct score_buf){0};
}

/* *p holds at least n elements of size sz (grown, contents lost). */
static int grow(void *pp, size_t *cap, size_t n, size_t sz)
{
	void **p = pp;
	if (n <= *cap && *p)
		return 0;
	free(*p);
	*p = malloc((n ? n : 1) * sz);
	*cap = *p ? n : 0;
	return *p ? 0 : GL_ENOMEM;
}

int score_is_factor(const struct model *m)
{
	return m->P && m->Q && m->bu && m->bi;
}

int score_users(struct model *const *ms, uint32_t nm, const uint32_t *users, size_t n,
		uint64_t i0, uint64_t ni, float *out, struct score_buf *b)
{
	int factor = score_is_factor(ms[0]);
	if ((nm > 1 && grow(&b->tmp, &b->cap_tmp, n * ni, sizeof *b->tmp)) ||
	    grow(&b->bu, &b->cap_u, n, sizeof *b->bu) ||
	    (!factor && grow(&b->ids, &b->cap_ids, ni, sizeof *b->ids)))
		return GL_ENOMEM;
	for (uint64_t i = 0; !factor && i < ni; i++)
		b->ids[i] = (uint32_t)(i0 + i);
	for (uint32_t j = 0; j < nm; j++) {
		const struct model *m = ms[j];
		float *dst = j ? b->tmp : out;
		if (factor) {
			if (grow(&b->P, &b->cap_p, n * m->k, sizeof *b->P))
				return GL_ENOMEM;
			for (size_t r = 0; r < n; r++) {
				const float *src = m->P->w + (size_t)users[r] * m->k;
				for (uint32_t f = 0; f < m->k; f++)
					b->P[r * m->k + f] = src[f];
				b->bu[r] = m->bu->w[users[r]];
			}
			struct glm_factors f;
			model_factors(m, &f);
			glm_score_block(&f, b->P, b->bu, n, i0, ni, dst);
		} else {
			for (size_t r = 0; r < n; r++)
				m->ops->predict(m, users[r], b->ids, ni, dst + r * ni, NULL);
		}
		for (uint64_t x = 0; j && x < n * ni; x++)
			out[x] += b->tmp[x];
	}
	for (uint64_t x = 0; nm > 1 && x < n * ni; x++)
		out[x] /= (float)nm;
	return 0;
}

void score_bias(struct model *const *ms, uint32_t nm, const uint32_t *trained, uint64_t i0,
		uint64_t ni, float *out)
{
	if (!score_is_factor(ms[0])) {
		for (uint64_t i = 0; i < ni; i++)
			out[i] = (float)trained[i0 + i];
		return;
	}
	for (uint64_t i = 0; i < ni; i++)
		out[i] = 0;
	for (uint32_t j = 0; j < nm; j++) {
		const struct model *m = ms[j];
		for (uint64_t i = 0; i < ni; i++)
			out[i] += model_link(m, (double)m->mu + m->bi->w[i0 + i], m->cw ? m->cw->w : NULL,
					     m->cb ? m->cb->w : NULL, NULL) /
				  (float)nm;
	}
}
