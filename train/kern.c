#include "kern.h"

#include <math.h>

/* GCC's -O2 cost model will not vectorise loops of unknown length; these few
 * are worth the full vectoriser.  target_clones adds an AVX2 copy chosen at
 * load time, and the portable copy still runs on any x86-64. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define KERN __attribute__((target_clones("avx2", "default"), optimize("O3")))
#elif defined(__GNUC__) && !defined(__clang__)
#define KERN __attribute__((optimize("O3")))
#else
#define KERN
#endif

#define LANES 8

KERN void kern_sgd_pair(float *restrict p, float *restrict q, uint32_t k, float ds, float l2,
			float lr_p, float lr_q)
{
	for (uint32_t f = 0; f < k; f++) {
		float pf = p[f], qf = q[f];
		p[f] = pf - lr_p * (ds * qf + l2 * pf);
		q[f] = qf - lr_q * (ds * pf + l2 * qf);
	}
}

KERN void kern_sgd_pair_g2(float *restrict p, float *restrict q, uint32_t k, float ds, float l2,
			   float lr_p, float lr_q, float *gp2, float *gq2)
{
	float sp[LANES] = {0}, sq[LANES] = {0};
	uint32_t f = 0;
	for (; f + LANES <= k; f += LANES)
		for (int l = 0; l < LANES; l++) {
			float pf = p[f + l], qf = q[f + l];
			float gp = ds * qf + l2 * pf, gq = ds * pf + l2 * qf;
			sp[l] += gp * gp;
			sq[l] += gq * gq;
			p[f + l] = pf - lr_p * gp;
			q[f + l] = qf - lr_q * gq;
		}
	for (int l = 0; f < k; f++, l++) {
		float pf = p[f], qf = q[f];
		float gp = ds * qf + l2 * pf, gq = ds * pf + l2 * qf;
		sp[l] += gp * gp;
		sq[l] += gq * gq;
		p[f] = pf - lr_p * gp;
		q[f] = qf - lr_q * gq;
	}
	float a = ((sp[0] + sp[1]) + (sp[2] + sp[3])) + ((sp[4] + sp[5]) + (sp[6] + sp[7]));
	float b = ((sq[0] + sq[1]) + (sq[2] + sq[3])) + ((sq[4] + sq[5]) + (sq[6] + sq[7]));
	*gp2 = a / (float)k;
	*gq2 = b / (float)k;
}

/* The loops below have AVX versions written with intrinsics, used where
 * the CPU has AVX2: GCC vectorises no loop that calls sqrtf under ISO C's
 * errno rules, and its versioning of the others costs more than the work
 * at k = 50.  Each lane does the portable code's operations in its order,
 * without fused multiply-adds, and every one of them (+, -, *, /, sqrt) is
 * correctly rounded, so both versions give the same bits. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KERN_AVX 1
#include <immintrin.h>
#define AVX __attribute__((target("avx2")))
#define HAVE_AVX() __builtin_cpu_supports("avx2")
#else
#define HAVE_AVX() 0
#endif

/* sqrtf without the errno branch (the argument is never negative). */
static inline float sqrt1(float x)
{
#ifdef KERN_AVX
	return _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(x)));
#else
	return sqrtf(x);
#endif
}

static float lanes_sum(const float *a)
{
	return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

#ifdef KERN_AVX
AVX static uint32_t dot_avx(const float *p, const float *q, uint32_t k, float *acc)
{
	__m256 a = _mm256_setzero_ps();
	uint32_t f = 0;
	for (; f + LANES <= k; f += LANES)
		a = _mm256_add_ps(a, _mm256_mul_ps(_mm256_loadu_ps(p + f), _mm256_loadu_ps(q + f)));
	_mm256_storeu_ps(acc, a);
	return f;
}
#endif

float kern_dot(const float *p, const float *q, uint32_t k)
{
	float acc[LANES] = {0};
	uint32_t f = 0;
#ifdef KERN_AVX
	if (HAVE_AVX())
		f = dot_avx(p, q, k, acc);
#endif
	for (; f + LANES <= k; f += LANES)
		for (int l = 0; l < LANES; l++)
			acc[l] += p[f + l] * q[f + l];
	for (int l = 0; f < k; f++, l++)
		acc[l] += p[f] * q[f];
	return lanes_sum(acc);
}

#ifdef KERN_AVX
AVX static uint32_t grad_avx(float *restrict gp, float *restrict gq, const float *restrict p,
			     const float *restrict q, uint32_t k, float ds)
{
	const __m256 d = _mm256_set1_ps(ds);
	uint32_t f = 0;
	for (; f + LANES <= k; f += LANES) {
		__m256 pf = _mm256_loadu_ps(p + f), qf = _mm256_loadu_ps(q + f);
		_mm256_storeu_ps(gp + f, _mm256_add_ps(_mm256_loadu_ps(gp + f), _mm256_mul_ps(d, qf)));
		_mm256_storeu_ps(gq + f, _mm256_add_ps(_mm256_loadu_ps(gq + f), _mm256_mul_ps(d, pf)));
	}
	return f;
}
#endif

void kern_grad_pair(float *restrict gp, float *restrict gq, const float *restrict p,
		    const float *restrict q, uint32_t k, float ds)
{
	uint32_t f = 0;
#ifdef KERN_AVX
	if (HAVE_AVX())
		f = grad_avx(gp, gq, p, q, k, ds);
#endif
	for (; f < k; f++) {
		gp[f] += ds * q[f];
		gq[f] += ds * p[f];
	}
}

/* The catch-up's drift of one element as num / *den (kern.h). */
static inline float drift1(float mj, float vj, const struct kern_adam *a, float *den)
{
	float s = sqrt1(vj), d1 = s * a->cr1 + a->eps, d1b = s * a->cr2 + a->e2;
	*den = d1 * d1b;
	return mj * (a->cw1 * d1b + a->cw2 * d1);
}

/* One element of kern_adam_row.  With a catch-up and no l2 term the two
 * quotients share one division:
 *     (w - A / D1) f - B / D2 = w f - (f A D2 + B D1) / (D1 D2)
 * (the divider is what the row update waits for). */
static inline void adam1(float *w, float *m, float *v, float g, const struct kern_adam *a)
{
	float wj = *w, mj = *m, vj = *v;
	if (a->catch_up && a->l2 == 0.0f) {
		float d1, num1 = drift1(mj, vj, a, &d1);
		mj *= a->dm;
		vj *= a->dv;
		mj = a->mom * mj + a->damp1 * g;
		vj = a->beta2 * vj + a->damp2 * g * g;
		float d2 = sqrt1(vj * a->inv_debias2) + a->eps, num2 = a->step_size * mj;
		*w = wj * a->f - (a->f * num1 * d2 + num2 * d1) / (d1 * d2);
		*m = mj;
		*v = vj;
		return;
	}
	if (a->catch_up) {
		float d1, num1 = drift1(mj, vj, a, &d1);
		wj -= num1 / d1;
		mj *= a->dm;
		vj *= a->dv;
	}
	float gj = g + a->l2 * wj, wd = wj * a->f;
	mj = a->mom * mj + a->damp1 * gj;
	vj = a->beta2 * vj + a->damp2 * gj * gj;
	*w = wd - a->step_size * mj / (sqrt1(vj * a->inv_debias2) + a->eps);
	*m = mj;
	*v = vj;
}

#ifdef KERN_AVX
struct adam_v {
	__m256 cw1, cw2, cr1, cr2, e2, dm, dv, f, l2, mom, d1, b2, d2, ss, id2, eps;
};

AVX static inline __m256 drift_avx(__m256 mj, __m256 vj, const struct adam_v *c, __m256 *den)
{
	__m256 s = _mm256_sqrt_ps(vj);
	__m256 d1 = _mm256_add_ps(_mm256_mul_ps(s, c->cr1), c->eps);
	__m256 d1b = _mm256_add_ps(_mm256_mul_ps(s, c->cr2), c->e2);
	*den = _mm256_mul_ps(d1, d1b);
	return _mm256_mul_ps(mj, _mm256_add_ps(_mm256_mul_ps(c->cw1, d1b), _mm256_mul_ps(c->cw2, d1)));
}

AVX static void adam_v_set(struct adam_v *c, const struct kern_adam *a)
{
	c->cw1 = _mm256_set1_ps(a->cw1);
	c->cw2 = _mm256_set1_ps(a->cw2);
	c->cr1 = _mm256_set1_ps(a->cr1);
	c->cr2 = _mm256_set1_ps(a->cr2);
	c->e2 = _mm256_set1_ps(a->e2);
	c->dm = _mm256_set1_ps(a->dm);
	c->dv = _mm256_set1_ps(a->dv);
	c->f = _mm256_set1_ps(a->f);
	c->l2 = _mm256_set1_ps(a->l2);
	c->mom = _mm256_set1_ps(a->mom);
	c->d1 = _mm256_set1_ps(a->damp1);
	c->b2 = _mm256_set1_ps(a->beta2);
	c->d2 = _mm256_set1_ps(a->damp2);
	c->ss = _mm256_set1_ps(a->step_size);
	c->id2 = _mm256_set1_ps(a->inv_debias2);
	c->eps = _mm256_set1_ps(a->eps);
}

AVX static uint32_t adam_avx(float *restrict w, float *restrict m, float *restrict v,
			     const float *restrict g, uint32_t n, const struct kern_adam *a)
{
	struct adam_v c;
	adam_v_set(&c, a);
	const __m256 zero = _mm256_setzero_ps();
	uint32_t j = 0;
	if (a->catch_up && a->l2 == 0.0f) {
		for (; j + LANES <= n; j += LANES) {
			__m256 wj = _mm256_loadu_ps(w + j), mj = _mm256_loadu_ps(m + j);
			__m256 vj = _mm256_loadu_ps(v + j), gj = g ? _mm256_loadu_ps(g + j) : zero;
			__m256 den1, num1 = drift_avx(mj, vj, &c, &den1);
			mj = _mm256_mul_ps(mj, c.dm);
			vj = _mm256_mul_ps(vj, c.dv);
			mj = _mm256_add_ps(_mm256_mul_ps(c.mom, mj), _mm256_mul_ps(c.d1, gj));
			vj = _mm256_add_ps(_mm256_mul_ps(c.b2, vj), _mm256_mul_ps(_mm256_mul_ps(c.d2, gj), gj));
			__m256 den2 = _mm256_add_ps(_mm256_sqrt_ps(_mm256_mul_ps(vj, c.id2)), c.eps);
			__m256 num2 = _mm256_mul_ps(c.ss, mj);
			__m256 top = _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(c.f, num1), den2),
						   _mm256_mul_ps(num2, den1));
			__m256 q = _mm256_div_ps(top, _mm256_mul_ps(den1, den2));
			_mm256_storeu_ps(w + j, _mm256_sub_ps(_mm256_mul_ps(wj, c.f), q));
			_mm256_storeu_ps(m + j, mj);
			_mm256_storeu_ps(v + j, vj);
		}
		return j;
	}
	const int cu = a->catch_up;
	for (; j + LANES <= n; j += LANES) {
		__m256 wj = _mm256_loadu_ps(w + j), mj = _mm256_loadu_ps(m + j);
		__m256 vj = _mm256_loadu_ps(v + j);
		if (cu) {
			__m256 den, num = drift_avx(mj, vj, &c, &den);
			wj = _mm256_sub_ps(wj, _mm256_div_ps(num, den));
			mj = _mm256_mul_ps(mj, c.dm);
			vj = _mm256_mul_ps(vj, c.dv);
		}
		__m256 gj = _mm256_add_ps(g ? _mm256_loadu_ps(g + j) : zero, _mm256_mul_ps(c.l2, wj));
		__m256 wd = _mm256_mul_ps(wj, c.f);
		mj = _mm256_add_ps(_mm256_mul_ps(c.mom, mj), _mm256_mul_ps(c.d1, gj));
		vj = _mm256_add_ps(_mm256_mul_ps(c.b2, vj), _mm256_mul_ps(_mm256_mul_ps(c.d2, gj), gj));
		__m256 den = _mm256_add_ps(_mm256_sqrt_ps(_mm256_mul_ps(vj, c.id2)), c.eps);
		_mm256_storeu_ps(w + j, _mm256_sub_ps(wd, _mm256_div_ps(_mm256_mul_ps(c.ss, mj), den)));
		_mm256_storeu_ps(m + j, mj);
		_mm256_storeu_ps(v + j, vj);
	}
	return j;
}
#endif

void kern_adam_row(float *restrict w, float *restrict m, float *restrict v,
		   const float *restrict g, uint32_t n, const struct kern_adam *a)
{
	uint32_t j = 0;
#ifdef KERN_AVX
	if (n >= LANES && HAVE_AVX())
		j = adam_avx(w, m, v, g, n, a);
#endif
	for (; j < n; j++)
		adam1(w + j, m + j, v + j, g ? g[j] : 0.0f, a);
}

void kern_adam_catch_up(float *restrict w, float *restrict m, float *restrict v, uint32_t n,
			const struct kern_adam *a)
{
	for (uint32_t j = 0; j < n; j++) {
		float den, num = drift1(m[j], v[j], a, &den);
		w[j] -= num / den;
		m[j] *= a->dm;
		v[j] *= a->dv;
	}
}

KERN void kern_cu_ring(double *restrict mr, double *restrict x, double *restrict bb,
		       double *const mu[4], uint32_t n, double mom, double mf, double ib, double c,
		       double q)
{
	double *restrict m0 = mu[0], *restrict m1 = mu[1], *restrict m2 = mu[2], *restrict m3 = mu[3];
	for (uint32_t i = 0; i < n; i++) {
		mr[i] *= mom;
		x[i] *= mf;
		bb[i] *= ib;
		double k = c * x[i], u = q * bb[i];
		m0[i] += k;
		k *= u;
		m1[i] += k;
		k *= u;
		m2[i] += k;
		k *= u;
		m3[i] += k;
	}
}
