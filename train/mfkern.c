#include "mfkern.h"

#include <math.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define MFK_X86 1
#include <immintrin.h>
#endif

/* Item rows fetched this many ratings ahead: far enough to hide a miss to
 * memory behind the ~40 cycles a rating takes, near enough to stay in L1. */
#define MFK_AHEAD 4

/* ---- portable ----------------------------------------------------------- */

/* 8 lanes added pairwise, as hsum does. */
static float lanes8(const float *x)
{
	return ((x[0] + x[4]) + (x[2] + x[6])) + ((x[1] + x[5]) + (x[3] + x[7]));
}

/* Four accumulators of 8 lanes, vector v into accumulator v % 4, then the
 * lanes added pairwise: the AVX2 version's order. */
static float dot8(const float *p, const float *q, uint32_t kp)
{
	float acc[4][8] = {{0}};
	for (uint32_t v = 0; v < kp / 8; v++)
		for (int l = 0; l < 8; l++)
			acc[v & 3][l] += p[v * 8 + l] * q[v * 8 + l];
	float x[8];
	for (int l = 0; l < 8; l++)
		x[l] = (acc[0][l] + acc[1][l]) + (acc[2][l] + acc[3][l]);
	return lanes8(x);
}

static float step_port(float *restrict p, float *bu, float *restrict q, float *bi, float r,
		       float base, float lr, float a, uint32_t kp)
{
	float e = (base + *bu) + *bi + dot8(p, q, kp) - r;
	float g = lr * (2.0f * e);
	*bu = a * *bu - g;
	*bi = a * *bi - g;
	for (uint32_t f = 0; f < kp; f++) {
		float pf = p[f], qf = q[f];
		p[f] = pf * a - g * qf;
		q[f] = qf * a - g * pf;
	}
	return e;
}

/* The adaptive update of mfkern.h on one rating; returns e.  Squares are
 * summed in four accumulators of 8 lanes (vector v into v % 4), then
 * those pairwise, then the lanes pairwise: the AVX2 version's order. */
static float step_ada_port(const struct mfk_par *c, float *restrict p, float *bu, float *gu,
			   float *restrict q, float *bi, float *gi, float r)
{
	const uint32_t kp = c->kp;
	const float l2 = c->l2;
	float e = (c->mu + *bu) + *bi + dot8(p, q, kp) - r;
	float ds = 2.0f * e;
	float lu = c->lr / sqrtf(*gu), li = c->lr / sqrtf(*gi);
	float gbu = ds + l2 * *bu, gbi = ds + l2 * *bi;
	*bu -= lu * gbu;
	*bi -= li * gbi;
	float sp[4][8] = {{0}}, sq[4][8] = {{0}}, xp[8], xq[8];
	for (uint32_t f = 0; f < kp; f++) {
		float pf = p[f], qf = q[f];
		float gp = ds * qf + l2 * pf, gq = ds * pf + l2 * qf;
		sp[(f >> 3) & 3][f & 7] += gp * gp;
		sq[(f >> 3) & 3][f & 7] += gq * gq;
		p[f] = pf - lu * gp;
		q[f] = qf - li * gq;
	}
	for (int l = 0; l < 8; l++) {
		xp[l] = (sp[0][l] + sp[1][l]) + (sp[2][l] + sp[3][l]);
		xq[l] = (sq[0][l] + sq[1][l]) + (sq[2][l] + sq[3][l]);
	}
	float k1 = (float)(c->k + 1);
	*gu += (lanes8(xp) + gbu * gbu) / k1;
	*gi += (lanes8(xq) + gbi * gbi) / k1;
	return e;
}

/* One rating of run x, plain or adaptive. */
static float step_any(const struct mfk_par *c, const struct mfk_run *s, size_t y, int ada)
{
	uint32_t i = s->it[y];
	float *q = s->Q + (size_t)i * c->kp;
	if (ada)
		return step_ada_port(c, s->p, s->bu, s->gu, q, s->bi + i, s->gi + i, s->r[y]);
	return step_port(s->p, s->bu, q, s->bi + i, s->r[y], c->mu, c->lr, 1.0f - c->lr * c->l2,
			 c->kp);
}

static double run_port(const struct mfk_par *c, const struct mfk_run *s, int n, int ada)
{
	double loss = 0;
	size_t n0 = s[0].n, n1 = n > 1 ? s[1].n : 0, both = n0 < n1 ? n0 : n1, j = 0;
	for (; j < both; j++) {
		float e0 = step_any(c, &s[0], j, ada);
		float e1 = step_any(c, &s[1], j, ada);
		loss += (double)e0 * e0;
		loss += (double)e1 * e1;
	}
	for (int x = 0; x < n; x++)
		for (size_t y = j; y < s[x].n; y++) {
			float e = step_any(c, &s[x], y, ada);
			loss += (double)e * e;
		}
	return loss;
}

double mfk_portable(const struct mfk_par *c, const struct mfk_run *s, int n)
{
	return run_port(c, s, n, 0);
}

double mfk_portable_adaptive(const struct mfk_par *c, const struct mfk_run *s, int n)
{
	return run_port(c, s, n, 1);
}

/* ---- AVX2 + FMA --------------------------------------------------------- */

#ifdef MFK_X86
#define AVX2 __attribute__((target("avx2,fma")))
#define AVX2_INLINE __attribute__((target("avx2,fma"), always_inline)) static inline

AVX2_INLINE float hsum(__m256 v)
{
	__m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
	x = _mm_add_ps(x, _mm_movehl_ps(x, x));
	x = _mm_add_ss(x, _mm_shuffle_ps(x, x, 1));
	return _mm_cvtss_f32(x);
}

AVX2_INLINE void prefetch_row(const float *q, uint32_t kp)
{
	for (uint32_t b = 0; b < kp * 4; b += 64)
		_mm_prefetch((const char *)q + b, _MM_HINT_T0);
}

/* p . q over a row; the user's row is in NV registers p (kp = 8 NV <=
 * 64), or with NV 0 in memory at pm (nv vectors, in L1); q is the item's
 * row, whose vectors are left in qv (NV > 0).  NV is a constant in every
 * caller, so the other case is compiled away. */
AVX2_INLINE float dot_row(const __m256 *p, const float *pm, const float *q, __m256 *qv,
			  const int NV, uint32_t nv)
{
	__m256 acc[4];
	if (NV) {
#pragma GCC unroll 8
		for (int v = 0; v < NV; v++)
			qv[v] = _mm256_load_ps(q + 8 * v);
#pragma GCC unroll 4
		for (int v = 0; v < 4; v++)
			acc[v] = v < NV ? _mm256_mul_ps(p[v], qv[v]) : _mm256_setzero_ps();
#pragma GCC unroll 8
		for (int v = 4; v < NV; v++)
			acc[v & 3] = _mm256_fmadd_ps(p[v], qv[v], acc[v & 3]);
	} else {
		for (uint32_t v = 0; v < 4; v++)
			acc[v] = _mm256_mul_ps(_mm256_load_ps(pm + 8 * v), _mm256_load_ps(q + 8 * v));
		for (uint32_t v = 4; v < nv; v++)
			acc[v & 3] = _mm256_fmadd_ps(_mm256_load_ps(pm + 8 * v),
						     _mm256_load_ps(q + 8 * v), acc[v & 3]);
	}
	return hsum(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
}

/* One rating of a run; returns e.  p, pm, NV, nv as for dot_row. */
AVX2_INLINE float step(__m256 *p, float *pm, float *bu, float *q, float *bi, float r,
		       float base, float lr, float a, __m256 va, const int NV, uint32_t nv)
{
	__m256 qv[8];
	float e = (base + *bu) + *bi + dot_row(p, pm, q, qv, NV, nv) - r;
	float g = lr * (2.0f * e);
	*bu = a * *bu - g;
	*bi = a * *bi - g;
	const __m256 vg = _mm256_set1_ps(g);
	if (NV) {
#pragma GCC unroll 8
		for (int v = 0; v < NV; v++) {
			__m256 pn = _mm256_fnmadd_ps(vg, qv[v], _mm256_mul_ps(p[v], va));
			_mm256_store_ps(q + 8 * v, _mm256_fnmadd_ps(vg, p[v], _mm256_mul_ps(qv[v], va)));
			p[v] = pn;
		}
	} else {
		for (uint32_t v = 0; v < nv; v++) {
			__m256 pv = _mm256_load_ps(pm + 8 * v), qw = _mm256_load_ps(q + 8 * v);
			_mm256_store_ps(pm + 8 * v, _mm256_fnmadd_ps(vg, qw, _mm256_mul_ps(pv, va)));
			_mm256_store_ps(q + 8 * v, _mm256_fnmadd_ps(vg, pv, _mm256_mul_ps(qw, va)));
		}
	}
	return e;
}

AVX2_INLINE float sqrt1(float x)
{
	return _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(x)));
}

/* One rating of the adaptive update (mfkern.h); returns e.  gu is the
 * user's G, gi the item's; squares summed in four accumulators (vector v
 * into v % 4) to shorten the chain the next rating's Gu waits on. */
AVX2_INLINE float step_ada(__m256 *p, float *pm, float *bu, float *gu, float *q, float *bi,
			   float *gi, float r, const struct mfk_par *c, float k1, const int NV,
			   uint32_t nv)
{
	__m256 qv[8];
	const float l2 = c->l2;
	float e = (c->mu + *bu) + *bi + dot_row(p, pm, q, qv, NV, nv) - r;
	float ds = 2.0f * e;
	float lu = c->lr / sqrt1(*gu), li = c->lr / sqrt1(*gi);
	float gbu = ds + l2 * *bu, gbi = ds + l2 * *bi;
	*bu -= lu * gbu;
	*bi -= li * gbi;
	const __m256 vds = _mm256_set1_ps(ds), vl2 = _mm256_set1_ps(l2);
	const __m256 vlu = _mm256_set1_ps(lu), vli = _mm256_set1_ps(li);
	const __m256 z = _mm256_setzero_ps();
	__m256 ap[4] = {z, z, z, z}, aq[4] = {z, z, z, z};
	if (NV) {
#pragma GCC unroll 8
		for (int v = 0; v < NV; v++) {
			__m256 gp = _mm256_fmadd_ps(vds, qv[v], _mm256_mul_ps(vl2, p[v]));
			__m256 gq = _mm256_fmadd_ps(vds, p[v], _mm256_mul_ps(vl2, qv[v]));
			ap[v & 3] = _mm256_fmadd_ps(gp, gp, ap[v & 3]);
			aq[v & 3] = _mm256_fmadd_ps(gq, gq, aq[v & 3]);
			p[v] = _mm256_fnmadd_ps(vlu, gp, p[v]);
			_mm256_store_ps(q + 8 * v, _mm256_fnmadd_ps(vli, gq, qv[v]));
		}
	} else {
		for (uint32_t v = 0; v < nv; v++) {
			__m256 pv = _mm256_load_ps(pm + 8 * v), qw = _mm256_load_ps(q + 8 * v);
			__m256 gp = _mm256_fmadd_ps(vds, qw, _mm256_mul_ps(vl2, pv));
			__m256 gq = _mm256_fmadd_ps(vds, pv, _mm256_mul_ps(vl2, qw));
			ap[v & 3] = _mm256_fmadd_ps(gp, gp, ap[v & 3]);
			aq[v & 3] = _mm256_fmadd_ps(gq, gq, aq[v & 3]);
			_mm256_store_ps(pm + 8 * v, _mm256_fnmadd_ps(vlu, gp, pv));
			_mm256_store_ps(q + 8 * v, _mm256_fnmadd_ps(vli, gq, qw));
		}
	}
	ap[0] = _mm256_add_ps(_mm256_add_ps(ap[0], ap[1]), _mm256_add_ps(ap[2], ap[3]));
	aq[0] = _mm256_add_ps(_mm256_add_ps(aq[0], aq[1]), _mm256_add_ps(aq[2], aq[3]));
	*gu += (hsum(ap[0]) + gbu * gbu) / k1;
	*gi += (hsum(aq[0]) + gbi * gbi) / k1;
	return e;
}

/* Runs s[0] and s[1] (n of them) interleaved rating by rating, then what
 * is left of the longer one: two independent chains for the CPU to
 * overlap.  NV as for step. */
AVX2_INLINE double run(const struct mfk_par *c, const struct mfk_run *s, int n, const int NV,
			const int ADA)
{
	const uint32_t kp = NV ? 8u * (uint32_t)NV : c->kp, nv = kp / 8;
	const float lr = c->lr, a = 1.0f - lr * c->l2, base = c->mu, k1 = (float)(c->k + 1);
	const __m256 va = _mm256_set1_ps(a);
	float *const Q = s[0].Q, *const B = s[0].bi, *const G = s[0].gi;
	__m256 p[2][8];
	float bu[2], gu[2] = {0, 0};
	double loss = 0;
	for (int x = 0; x < n; x++) {
		bu[x] = *s[x].bu;
		if (ADA)
			gu[x] = *s[x].gu;
#pragma GCC unroll 8
		for (int v = 0; v < NV; v++)
			p[x][v] = _mm256_load_ps(s[x].p + 8 * v);
	}
	size_t n0 = s[0].n, n1 = n > 1 ? s[1].n : 0, both = n0 < n1 ? n0 : n1, j = 0;
	for (; j < both; j++) {
		const uint32_t i0 = s[0].it[j], i1 = s[1].it[j];
		if (j + MFK_AHEAD < both) {
			prefetch_row(Q + (size_t)s[0].it[j + MFK_AHEAD] * kp, kp);
			prefetch_row(Q + (size_t)s[1].it[j + MFK_AHEAD] * kp, kp);
		}
		float e0, e1;
		if (ADA) {
			e0 = step_ada(p[0], s[0].p, &bu[0], &gu[0], Q + (size_t)i0 * kp, B + i0, G + i0,
				      s[0].r[j], c, k1, NV, nv);
			e1 = step_ada(p[1], s[1].p, &bu[1], &gu[1], Q + (size_t)i1 * kp, B + i1, G + i1,
				      s[1].r[j], c, k1, NV, nv);
		} else {
			e0 = step(p[0], s[0].p, &bu[0], Q + (size_t)i0 * kp, B + i0, s[0].r[j], base, lr,
				  a, va, NV, nv);
			e1 = step(p[1], s[1].p, &bu[1], Q + (size_t)i1 * kp, B + i1, s[1].r[j], base, lr,
				  a, va, NV, nv);
		}
		loss += (double)e0 * e0;
		loss += (double)e1 * e1;
	}
	for (int x = 0; x < n; x++) {
		const uint32_t *it = s[x].it;
		for (size_t y = j; y < s[x].n; y++) {
			if (y + MFK_AHEAD < s[x].n)
				prefetch_row(Q + (size_t)it[y + MFK_AHEAD] * kp, kp);
			float e = ADA ? step_ada(p[x], s[x].p, &bu[x], &gu[x], Q + (size_t)it[y] * kp,
						 B + it[y], G + it[y], s[x].r[y], c, k1, NV, nv)
				      : step(p[x], s[x].p, &bu[x], Q + (size_t)it[y] * kp, B + it[y],
					     s[x].r[y], base, lr, a, va, NV, nv);
			loss += (double)e * e;
		}
#pragma GCC unroll 8
		for (int v = 0; v < NV; v++)
			_mm256_store_ps(s[x].p + 8 * v, p[x][v]);
		*s[x].bu = bu[x];
		if (ADA)
			*s[x].gu = gu[x];
	}
	return loss;
}

#define RUN(NV)                                                                                  \
	AVX2 static double run_##NV(const struct mfk_par *c, const struct mfk_run *s, int n)     \
	{                                                                                        \
		return run(c, s, n, NV, 0);                                                      \
	}                                                                                        \
	AVX2 static double run_ada_##NV(const struct mfk_par *c, const struct mfk_run *s, int n) \
	{                                                                                        \
		return run(c, s, n, NV, 1);                                                      \
	}
RUN(0) RUN(1) RUN(2) RUN(3) RUN(4) RUN(5) RUN(6) RUN(7) RUN(8)
#undef RUN

static double mfk_avx2(const struct mfk_par *c, const struct mfk_run *s, int n)
{
	static double (*const by_nv[9])(const struct mfk_par *, const struct mfk_run *, int) = {
		run_0, run_1, run_2, run_3, run_4, run_5, run_6, run_7, run_8};
	uint32_t nv = c->kp / 8;
	return by_nv[nv <= 8 ? nv : 0](c, s, n);
}

static double mfk_avx2_adaptive(const struct mfk_par *c, const struct mfk_run *s, int n)
{
	static double (*const by_nv[9])(const struct mfk_par *, const struct mfk_run *, int) = {
		run_ada_0, run_ada_1, run_ada_2, run_ada_3, run_ada_4,
		run_ada_5, run_ada_6, run_ada_7, run_ada_8};
	uint32_t nv = c->kp / 8;
	return by_nv[nv <= 8 ? nv : 0](c, s, n);
}
#endif

mfk_fn mfk_select(const char **name)
{
#ifdef MFK_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
		*name = "avx2+fma";
		return mfk_avx2;
	}
#endif
	*name = "portable";
	return mfk_portable;
}

mfk_fn mfk_select_adaptive(const char **name)
{
#ifdef MFK_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
		*name = "avx2+fma adaptive";
		return mfk_avx2_adaptive;
	}
#endif
	*name = "portable adaptive";
	return mfk_portable_adaptive;
}
