/* optim.h - parameter tensors with their gradients and optimizer state, and
 * the SGD and Adam steps, as fastai's optimizer.py computes them.
 *
 * Adam (fastai Adam: average_grad with dampening, average_sqr_grad,
 * step_stat, adam_step):
 *     m = mom * m + (1 - mom) * g
 *     v = beta2 * v + (1 - beta2) * g^2
 *     w = w - lr / (1 - mom^t) * m / (sqrt(v / (1 - beta2^t)) + eps)
 * SGD:  w = w - lr * g
 * Weight decay, before the step as fastai orders its callbacks:
 *     decoupled  w = w * (1 - lr * wd)      (fastai's weight_decay)
 *     l2         g = g + wd * w             (fastai's l2_reg: loss + wd/2 * sum(w^2))
 *
 * Gradients are kept per row: a tensor remembers which rows the current
 * step touched (pt_grad) and holds only those.  The update then runs
 *   dense   over every row, untouched ones with a zero gradient: exactly
 *           what PyTorch + fastai do with nn.Embedding (slow: O(params)
 *           per step)
 *   sparse  over the touched rows only (lazy Adam), catching up what dense
 *           would have done to a row while it was absent, when the row is
 *           next touched or the tensor is settled:
 *           - decoupled weight decay exactly: the product of the skipped
 *             (1 - lr_s * wd) factors (a running sum of logs, one double
 *             per row);
 *           - the moments exactly for a fixed momentum: m *= mom^s,
 *             v *= beta2^s;
 *           - the drift old momentum gives an absent row, in closed form:
 *             with zero gradients step j moves w by -lr/debias1 *
 *             m/(sqrt(v/debias2) + eps) * rho^j, rho = mom/sqrt(beta2),
 *             summed over the last min(s, 256) skipped steps (with
 *             one-cycle's mom 0.95, rho^64 is still 0.05, rho^256 7e-6)
 *             with the current step's lr, mom and debias.
 *           So sparse follows dense closely at O(rows in the batch) per
 *           step; what differs is the schedule's change across the skipped
 *           steps, eps's share of the drift, and l2 gradients of absent
 *           rows (docs/TRAIN.md measures the difference).
 */
#ifndef GL_TRAIN_OPTIM_H
#define GL_TRAIN_OPTIM_H

#include "cfg.h"
#include "glm.h"
#include "sched.h"

#include <stdint.h>

struct ptensor {
	char name[GLM_NAME_LEN];
	uint32_t rows, cols;
	float *w;            /* rows * cols, row-major */
	float *m, *v;        /* Adam moments, or NULL */
	double *mark;        /* sparse decoupled decay: level reached per row */
	uint32_t *last;      /* sparse Adam: the step that last updated each row */
	int32_t *slot;       /* per row: its gradient row, -1 when untouched */
	uint32_t *touched;   /* rows with a gradient this step */
	float *g;            /* cap gradient rows */
	uint32_t n_touched, cap;
	int decay;           /* weight decay applies (fastai exempts linear biases, BN) */
	int dense;           /* always update every row (small layers) */
	int internal;        /* training state only: not written to the model file */
};

enum { PT_DENSE = 1, PT_NO_DECAY = 2, PT_NO_GRAD = 4, PT_INTERNAL = 8 };

/* Allocate a zeroed tensor with room for cap gradient rows per step (flags
 * PT_DENSE: cap = rows; PT_NO_GRAD: parameters only, for loaded models;
 * PT_INTERNAL: a model's training layout of parameters it publishes in
 * other tensors, see model.h).
 * Optimizer state follows c (NULL: none).  0 or GL_ENOMEM (logged). */
int pt_alloc(struct ptensor *t, const char *name, uint32_t rows, uint32_t cols, uint32_t cap,
	     int flags, const struct train_cfg *c);
void pt_free(struct ptensor *t);

/* The gradient row of row, zeroed the first time a step touches it. */
float *pt_grad(struct ptensor *t, uint32_t row);

/* Ask for row's weights and optimizer state to be brought into cache
 * (a hint: changes nothing). */
void pt_prefetch(const struct ptensor *t, uint32_t row);

/* Forget the gradients of the current step without applying them. */
void pt_clear_grad(struct ptensor *t);

/* Skipped steps whose drift the sparse catch-up adds up. */
#define OPTIM_DRIFT_STEPS 256
#define OPTIM_CU_HI 128

struct optim {
	const struct train_cfg *c;
	uint64_t step;       /* steps begun, fastai's step_stat */
	double logdec;       /* sum of -log(1 - lr_s * wd) over the steps so far */
	struct hyper h;
	/* derived for the current step */
	float lr, mom, damp1, beta2, damp2, eps, step_size, inv_debias2, l2, dec;
	/* sparse Adam's catch-up for a row absent s = D a + b steps (D =
	 * OPTIM_DRIFT_STEPS): mom^s = cu_dmd[a] * cu_dm[b] (beta2 alike) for
	 * a < OPTIM_CU_HI, from the logs beyond; the drift's geometric sum
	 * cu_geo[min(s, D)] */
	double cu_dm[OPTIM_DRIFT_STEPS + 1], cu_dv[OPTIM_DRIFT_STEPS + 1];
	double cu_dmd[OPTIM_CU_HI], cu_dvd[OPTIM_CU_HI];
	double cu_geo[OPTIM_DRIFT_STEPS + 1];
	double log_mom, log_beta2;
};

void optim_init(struct optim *o, const struct train_cfg *c);

/* Begin the next step with hyperparameters h. */
void optim_begin(struct optim *o, const struct hyper *h);

/* Apply the current step to t (rows split over threads when dense) and
 * clear its gradients. */
void optim_apply(const struct optim *o, struct ptensor *t, uint32_t threads);

/* Bring every row's pending decoupled weight decay up to date (sparse
 * mode); call before reading the weights. */
void optim_settle(const struct optim *o, struct ptensor *t);

#endif
