/* kern.h - the inner loops of the factor models, written for the
 * vectoriser.
 *
 * Each function works in blocks of 8 lanes with a scalar tail and adds the
 * lanes in a fixed order, so the result does not depend on the vector
 * width the compiler picked: an AVX2 clone (chosen at run time on CPUs
 * that have it) and the baseline SSE2 build give the same bits.  No
 * fused multiply-add is used (ISO C mode leaves -ffp-contract off).
 */
#ifndef GL_TRAIN_KERN_H
#define GL_TRAIN_KERN_H

#include <stdint.h>

/* p . q over k floats. */
float kern_dot(const float *p, const float *q, uint32_t k);

/* One SGD step on a rating's two factor rows, from their old values:
 *   p -= lr_p * (ds * q + l2 * p),  q -= lr_q * (ds * p + l2 * q)
 * where ds = d(loss)/d(score).  p and q must not overlap. */
void kern_sgd_pair(float *restrict p, float *restrict q, uint32_t k, float ds, float l2,
		   float lr_p, float lr_q);

/* The same, also returning the mean squared gradient of p and of q (for
 * the adaptive learning rates) through gp2 and gq2. */
void kern_sgd_pair_g2(float *restrict p, float *restrict q, uint32_t k, float ds, float l2,
		      float lr_p, float lr_q, float *gp2, float *gq2);

#endif
