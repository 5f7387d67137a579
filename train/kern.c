#include "kern.h"

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

KERN float kern_dot(const float *p, const float *q, uint32_t k)
{
	float acc[LANES] = {0};
	uint32_t f = 0;
	for (; f + LANES <= k; f += LANES)
		for (int l = 0; l < LANES; l++)
			acc[l] += p[f + l] * q[f + l];
	for (int l = 0; f < k; f++, l++)
		acc[l] += p[f] * q[f];
	return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

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
