#include "score.h"

#include "err.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

void score_buf_free(struct score_buf *b)
{
	free(b->P);
	free(b->bu);
	free(b->tmp);
	free(b->Q);
	free(b->bi);
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

float score_link(const struct model *m, float s)
{
	return model_link(m, s, m->cw ? m->cw->w : NULL, m->cb ? m->cb->w : NULL, NULL);
}

/* b->P and b->bu = member m's rows of users. */
static int gather(const struct model *m, const uint32_t *users, size_t n, struct score_buf *b)
{
	if (grow(&b->P, &b->cap_p, n * m->k, sizeof *b->P) ||
	    grow(&b->bu, &b->cap_u, n, sizeof *b->bu))
		return GL_ENOMEM;
	for (size_t r = 0; r < n; r++) {
		const float *src = m->P->w + (size_t)users[r] * m->k;
		for (uint32_t f = 0; f < m->k; f++)
			b->P[r * m->k + f] = src[f];
		b->bu[r] = m->bu->w[users[r]];
	}
	return 0;
}

int score_raw_monotone(struct model *const *ms, uint32_t nm)
{
	const struct model *m = ms[0];
	if (nm != 1 || !score_is_factor(m) || m->loss == GLM_CE)
		return 0;
	/* model_link: sigmoid_range, else clipping to [r_lo, r_hi], else s */
	return m->y_lo < m->y_hi || !m->clip || m->r_lo <= m->r_hi;
}

int score_users_dot(struct model *const *ms, const uint32_t *users, size_t n,
		    const uint32_t *items, uint64_t i0, uint64_t ni, float *dot, float *base,
		    const float **bi, struct score_buf *b)
{
	const struct model *m = ms[0];
	const float *Q = m->Q->w + i0 * m->k;
	if (gather(m, users, n, b))
		return GL_ENOMEM;
	*bi = m->bi->w + i0;
	if (items) {
		if (grow(&b->Q, &b->cap_q, ni * m->k, sizeof *b->Q) ||
		    grow(&b->bi, &b->cap_bi, ni, sizeof *b->bi))
			return GL_ENOMEM;
		for (uint64_t x = 0; x < ni; x++) {
			memcpy(b->Q + x * m->k, m->Q->w + (size_t)items[x] * m->k,
			       m->k * sizeof *b->Q);
			b->bi[x] = m->bi->w[items[x]];
		}
		Q = b->Q;
		*bi = b->bi;
	}
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)ni, (int)m->k, 1.0f, b->P,
		    (int)m->k, Q, (int)m->k, 0.0f, dot, (int)ni);
	for (size_t r = 0; r < n; r++)
		base[r] = m->mu + b->bu[r];
	return 0;
}

float score_raw(const float *dot, const float *bi, float base, uint64_t x)
{
	return dot[x] + (base + bi[x]);
}

/* The scan tests 8 scores per instruction where the CPU has AVX2 (as
 * kern.c chooses); each lane adds as the scalar code does, so both give
 * the same answer. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SCAN_AVX 1

/* From x = from in steps of 16, the first step holding a score above t
 * (or where fewer than 16 are left). */
__attribute__((target("avx2"))) static uint64_t scan_avx(const float *dot, const float *bi,
							  float base, float t, uint64_t from,
							  uint64_t n)
{
	__m256 vb = _mm256_set1_ps(base), vt = _mm256_set1_ps(t);
	uint64_t x = from;
	for (; x + 16 <= n; x += 16) {
		__m256 s0 = _mm256_add_ps(_mm256_loadu_ps(dot + x),
					  _mm256_add_ps(vb, _mm256_loadu_ps(bi + x)));
		__m256 s1 = _mm256_add_ps(_mm256_loadu_ps(dot + x + 8),
					  _mm256_add_ps(vb, _mm256_loadu_ps(bi + x + 8)));
		__m256 a = _mm256_or_ps(_mm256_cmp_ps(s0, vt, _CMP_GT_OQ),
					_mm256_cmp_ps(s1, vt, _CMP_GT_OQ));
		if (_mm256_movemask_ps(a))
			break;
	}
	return x;
}
#endif

uint64_t score_next_above(const float *dot, const float *bi, float base, uint64_t from,
			  uint64_t n, float t)
{
	uint64_t x = from;
#ifdef SCAN_AVX
	if (__builtin_cpu_supports("avx2"))
		x = scan_avx(dot, bi, base, t, from, n);
#endif
	for (; x < n; x++)
		if (dot[x] + (base + bi[x]) > t)
			return x;
	return n;
}

int score_users(struct model *const *ms, uint32_t nm, const uint32_t *users, size_t n,
		uint64_t i0, uint64_t ni, float *out, struct score_buf *b)
{
	int factor = score_is_factor(ms[0]);
	if ((nm > 1 && grow(&b->tmp, &b->cap_tmp, n * ni, sizeof *b->tmp)) ||
	    (!factor && grow(&b->ids, &b->cap_ids, ni, sizeof *b->ids)))
		return GL_ENOMEM;
	for (uint64_t i = 0; !factor && i < ni; i++)
		b->ids[i] = (uint32_t)(i0 + i);
	for (uint32_t j = 0; j < nm; j++) {
		const struct model *m = ms[j];
		float *dst = j ? b->tmp : out;
		if (factor) {
			struct glm_factors f;
			if (gather(m, users, n, b))
				return GL_ENOMEM;
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
