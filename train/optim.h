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
 *           what PyTorch + fastai do with nn.Embedding (O(params) per step)
 *   sparse  over the touched rows only (lazy Adam), catching up what dense
 *           would have done to a row over the s steps it was absent, when
 *           the row is next touched or the tensor is settled.  With a zero
 *           gradient dense step j does, in this order: w *= f_j (decay),
 *           m *= mom_j, v *= beta2, w -= c_j m / (sqrt(v id2_j) + eps),
 *           c_j = lr_j / (1 - mom_j^j), id2_j = 1 / (1 - beta2^j).  So
 *           after s steps, exactly:
 *             m *= M = prod mom_j,   v *= beta2^s,   w *= F = prod f_j
 *             w -= F * sum_j K_j m / (sqrt(v) r_j + eps)
 *           with K_j = c_j M_j / F_j and r_j = beta2^(j/2) sqrt(id2_j)
 *           (M_j, F_j: the products up to step j).  The decays are kept
 *           exact: decoupled decay through a running sum of
 *           -log(1 - lr wd) and one double per row (mark), m and v through
 *           the products of the steps' own mom (a ring below).  The drift
 *           sum is a function of the row's sqrt(v) per element, so eps
 *           keeps it from a closed form; it is taken by a two-node Gauss
 *           quadrature over the measure K_j at the nodes 1/r_j, built
 *           from its first four moments (sums kept per starting step).
 *           That is exact when eps is negligible beside sqrt(v) r_j (the
 *           moments give sum K_j / r_j exactly), when v is 0, and when the
 *           steps share one r_j; in between, on fastai's one-cycle, the
 *           drift is off by at most 1.5% for a row last updated at the
 *           first step of training, 0.3% from step 10, 0.015% from step
 *           100 and 1e-5 from step 400 (bench/fastai_catchup.py).  Terms more than
 *           OPTIM_CU_BITS halvings down (about 500 steps at one-cycle's
 *           0.95) are left out.  l2 weight decay of absent rows (their
 *           gradient wd * w) is not caught up.
 */
#ifndef GL_TRAIN_OPTIM_H
#define GL_TRAIN_OPTIM_H

#include "train_cfg.h"
#include "glm.h"
#include "sched.h"

#include <stdint.h>

struct ptensor {
	char name[GLM_NAME_LEN];
	uint32_t rows, cols;
	size_t stride;       /* floats from one row of w (m, v) to the next */
	float *w;            /* row r at w + r * stride (pt_row) */
	float *m, *v;        /* Adam moments, or NULL; row r at m + r * stride */
	double *mark;        /* sparse decoupled decay: level reached per row */
	uint32_t *last;      /* sparse Adam: the step that last updated each row */
	int32_t *slot;       /* per row: its gradient row, -1 when untouched */
	size_t ms, ds;       /* strides of slot and last (ms) and of mark (ds), in elements */
	void *block;         /* PT_PACKED: the records */
	size_t block_bytes;
	uint32_t *touched;   /* rows with a gradient this step */
	float *g;            /* cap gradient rows of cols floats */
	uint32_t n_touched, cap;
	int decay;           /* weight decay applies (fastai exempts linear biases, BN) */
	int dense;           /* always update every row (small layers, and the
			      * tensors exempt from decay: the catch-up assumes
			      * decay) */
	int internal;        /* training state only: not written to the model file */
};

/* PT_PACKED lays each row out as one record: its weights, Adam moments,
 * gradient slot, last step and decay mark side by side, the record a whole
 * number of 64-byte cache lines (w, m, v at float offsets 0, cols, 2 cols).
 * A sparse step reads and writes all of these for every row of its batch:
 * in one record they are one run of lines, not six arrays' worth of
 * misses (at 115,000 x 842,443 rows, docs/TRAIN.md "Speed at scale").
 * The arithmetic is the same: only where the numbers live changes. */
enum { PT_DENSE = 1, PT_NO_DECAY = 2, PT_NO_GRAD = 4, PT_INTERNAL = 8, PT_PACKED = 16 };

/* Allocate a zeroed tensor with room for cap gradient rows per step (flags
 * PT_DENSE: cap = rows; PT_NO_GRAD: parameters only, for loaded models;
 * PT_INTERNAL: a model's training layout of parameters it publishes in
 * other tensors, see model.h; PT_PACKED: one record per row, above).
 * Optimizer state follows c (NULL: none).  0 or GL_ENOMEM (logged). */
int pt_alloc(struct ptensor *t, const char *name, uint32_t rows, uint32_t cols, uint32_t cap,
	     int flags, const struct train_cfg *c);
void pt_free(struct ptensor *t);

/* Row r's weights (cols floats). */
static inline float *pt_row(const struct ptensor *t, uint32_t r)
{
	return t->w + (size_t)r * t->stride;
}

/* Copy the weights out to / in from rows * cols floats, row after row. */
void pt_get_weights(const struct ptensor *t, float *out);
void pt_set_weights(struct ptensor *t, const float *in);

/* The gradient row of row, zeroed the first time a step touches it. */
float *pt_grad(struct ptensor *t, uint32_t row);

/* Ask for row's weights and optimizer state to be brought into cache
 * (a hint: changes nothing). */
void pt_prefetch(const struct ptensor *t, uint32_t row);

/* Forget the gradients of the current step without applying them. */
void pt_clear_grad(struct ptensor *t);

/* The catch-up's window: a drift term smaller than 2^-OPTIM_CU_BITS of
 * the first is left out; the window is at most OPTIM_CU_MAX steps. */
#define OPTIM_CU_BITS 32
#define OPTIM_CU_MAX 16384

/* What the catch-up knows of one starting step a once it has left the
 * window (a row last updated at a, absent ever since). */
struct optim_past {
	double lm;           /* sum of log(mom) over steps 1..a */
	float cw[2], cr[2];  /* the drift's quadrature over a+1..a+window */
};

struct optim {
	const struct train_cfg *c;
	uint64_t step;       /* steps begun, fastai's step_stat */
	double logdec;       /* sum of -log(1 - lr_s * wd) over the steps so far */
	struct hyper h;
	/* derived for the current step */
	float lr, mom, damp1, beta2, damp2, eps, step_size, inv_debias2, l2, dec;
	/* sparse Adam's catch-up (allocated by the first optim_begin):
	 * a ring of win slots, slot a % win for each step a of the last win,
	 * holding over the steps a+1 .. current-1: M (mr), M/F (x),
	 * beta2^(-(t-a)/2) (bb) and the moments sum K u^n, u = 1/r (mu[n]) */
	uint32_t win;
	double *mr, *x, *bb, *mu[4];
	double *b2pow;       /* beta2^n, n <= win */
	struct optim_past *past; /* per step; past_cap entries */
	uint64_t past_cap;
	double cu_c, cu_q, cu_mf, cu_mom; /* this step's c, 1/sqrt(id2), mom/f, mom */
	double cu_ib;        /* 1 / sqrt(beta2) */
	double cu_lb2;       /* log(beta2) */
};

void optim_init(struct optim *o, const struct train_cfg *c);
void optim_free(struct optim *o);

/* Begin the next step with hyperparameters h.  0 or GL_ENOMEM (logged):
 * sparse Adam keeps 24 bytes per step. */
int optim_begin(struct optim *o, const struct hyper *h);

/* Apply the current step to t (rows split over threads when dense) and
 * clear its gradients. */
void optim_apply(const struct optim *o, struct ptensor *t, uint32_t threads);

/* Bring every row up to date (sparse mode: what it missed since it was
 * last updated, through the current step); call before reading the
 * weights. */
void optim_settle(const struct optim *o, struct ptensor *t);

#endif
