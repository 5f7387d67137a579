/* kern.h - the inner loops of the factor models and of Adam.
 *
 * Each function works in blocks of 8 lanes with a scalar tail and adds the
 * lanes in a fixed order, so the result does not depend on the vector
 * width: an AVX2 version (chosen at run time on CPUs that have it) and the
 * portable one give the same bits.  No fused multiply-add is used (ISO C
 * mode leaves -ffp-contract off).  mf's own kernel is in mfkern.h.
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

/* One row of Adam as optim.h describes it, every element in one pass:
 * first, when catch_up is set, what the row missed over the steps it was
 * absent (sparse updates): with s = sqrt(v), the drift's two quadrature
 * nodes as one quotient,
 *     d1 = s cr1 + eps,  d1' = s cr2 + e2  (node 2 unused: cw2 0, e2 1)
 *     w -= m (cw1 d1' + cw2 d1) / (d1 d1');  m *= dm;  v *= dv
 * then this step's update (g NULL is a zero gradient)
 *     g' = g + l2 * w;  w *= f
 *     m = mom * m + damp1 * g';  v = beta2 * v + damp2 * g' * g'
 *     w -= step_size * m / (sqrt(v * inv_debias2) + eps)
 * With a catch-up and l2 0 (decoupled or no weight decay) the two
 * quotients are taken with one division, (w - A/D1) f - B/D2 = w f -
 * (f A D2 + B D1) / (D1 D2), which rounds differently from two.
 * kern_adam_catch_up does the first part alone (settling a tensor). */
struct kern_adam {
	int catch_up;
	float cw1, cw2, cr1, cr2, e2, dm, dv;
	float f, l2;
	float mom, damp1, beta2, damp2, step_size, inv_debias2, eps;
};
void kern_adam_row(float *restrict w, float *restrict m, float *restrict v,
		   const float *restrict g, uint32_t n, const struct kern_adam *a);
void kern_adam_catch_up(float *restrict w, float *restrict m, float *restrict v, uint32_t n,
			const struct kern_adam *a);

/* Sparse Adam's ring (optim.h), n slots: add one step's term to each,
 *     mr *= mom;  x *= mf;  bb *= ib;  k = c x;  u = q bb;
 *     mu[0] += k;  mu[1] += k u;  mu[2] += k u^2;  mu[3] += k u^3
 * (in that order of products, in double). */
void kern_cu_ring(double *restrict mr, double *restrict x, double *restrict bb, double *const mu[4],
		  uint32_t n, double mom, double mf, double ib, double c, double q);

/* gp += ds * q and gq += ds * p over k floats (a rating's factor
 * gradients; the four arrays must not overlap). */
void kern_grad_pair(float *restrict gp, float *restrict gq, const float *restrict p,
		    const float *restrict q, uint32_t k, float ds);

#endif
