/* model.h - the one interface every goodlens model implements.
 *
 * A model is a set of named parameter tensors (optim.h) plus a few scalars,
 * and five operations: init (allocate and draw the starting values), epoch
 * (one pass over the training ratings), predict (ratings for one user and a
 * list of items), attach (after the tensors were loaded from a model file)
 * and free.  Saving and loading (model_file.h) go through lib/glm
 * generically: tensors by name.  A new model is one file,
 * train/model_<name>.c with its struct model_ops, and one entry in each of
 * the six places that list the kinds: enum glm_kind (lib/glm.h; appended,
 * since the number is stored in model.glm), glm_kind_names (lib/glm.c: the
 * --model name), the extern and case in model_ops_of() (model_file.c),
 * cfg_defaults() and cfg_check() (train_cfg.c: its defaults and the options it
 * refuses), goodlens-train --help (train_main.c) and the report's kind_name
 * (report/page_train.c); and its section in docs/TRAIN.md.
 *
 * Every factor model (dot, mf, als, bpmf) scores and links as lib/glmscore.h
 * says; model_link and model_factors hand a model to that code.
 */
#ifndef GL_TRAIN_MODEL_H
#define GL_TRAIN_MODEL_H

#include "batch.h"
#include "train_cfg.h"
#include "data.h"
#include "glm.h"
#include "glmscore.h"
#include "optim.h"
#include "rng.h"

#include <stddef.h>
#include <stdint.h>

#define MODEL_MAX_T 24

struct model;

struct model_ops {
	const char *name;
	/* Add the tensors (model_add) and draw their starting values from
	 * m->rng.  0 or a gl_err (logged). */
	int (*init)(struct model *m);
	/* One epoch (0-based) over the training ratings; *train_loss is the
	 * mean training loss seen during it.  0 or a gl_err. */
	int (*epoch)(struct model *m, uint32_t epoch, double *train_loss);
	/* pred[j] = predicted rating of user u for items[j], j < n; with the
	 * ce loss and prob != NULL also the class probabilities, n_classes per
	 * item.  Thread-safe (reads only). */
	void (*predict)(const struct model *m, uint32_t u, const uint32_t *items, size_t n,
			float *pred, float *prob);
	/* The tensors were filled from a model file: check their shapes and
	 * set up whatever predict needs.  0 or GL_EFORMAT (logged). */
	int (*attach)(struct model *m);
	/* Free what init or attach added beyond the tensors.  May be NULL. */
	void (*free)(struct model *m);
	/* Minibatch models: forward and backward over one batch (see
	 * model_fwdbwd below); NULL for the others. */
	double (*fwdbwd)(struct model *m, const struct batch *b, float scale);
	/* Minibatch models: ask for the rows batch b will touch, one batch
	 * ahead, so they are in cache when it comes (a hint; may be NULL). */
	void (*prefetch)(const struct model *m, const struct batch *b);
	/* Models that train in a layout of their own (PT_INTERNAL tensors):
	 * copy the trained values into the tensors predict and the model
	 * file read.  Called by model_settle; may be NULL. */
	void (*publish)(struct model *m);
};

struct model {
	const struct model_ops *ops;
	const struct train_cfg *cfg; /* NULL for a loaded model */
	const struct tdata *d;       /* NULL for a loaded model */
	int kind, loss;
	uint64_t n_users, n_items;
	uint32_t k;                  /* factors (nn: user embedding size) */
	float mu;                    /* constant term of the score */
	float y_lo, y_hi;
	uint32_t n_classes;
	float class_lo, class_step;
	int clip;                    /* 1: the identity link clips to r_lo..r_hi */
	float r_lo, r_hi;
	int n_t;
	struct ptensor t[MODEL_MAX_T];
	/* the factor-model tensors, or NULL (set by init and attach) */
	struct ptensor *P, *Q, *bu, *bi, *cw, *cb;
	struct optim opt;
	struct rng rng;
	uint32_t threads;
	struct batch batch, ahead;   /* minibatch models: this batch, the next */
	struct batcher bt;
	uint64_t steps_per_epoch;
	void *priv;
};

/* Set up m for training member (0-based) of cfg on d with ops, and run
 * ops->init.  0 or a gl_err (logged); on failure m needs model_free. */
int model_new(struct model *m, const struct model_ops *ops, const struct train_cfg *cfg,
	      const struct tdata *d, uint32_t member);

/* Add the four tensors of a factor model, trained by the model itself
 * (PT_NO_GRAD): user_factors and item_factors (k columns) into m->P, m->Q,
 * user_bias and item_bias into m->bu, m->bi.  0 or a gl_err. */
int model_add_factors(struct model *m);

/* Add a tensor with room for cap gradient rows (flags: optim.h PT_*).
 * *out points at it (stable for m's life).  0 or a gl_err. */
int model_add(struct model *m, const char *name, uint32_t rows, uint32_t cols, uint32_t cap,
	      int flags, struct ptensor **out);

/* The tensor called name, or NULL. */
struct ptensor *model_get(const struct model *m, const char *name);

/* Fill t with fastai's Embedding initialisation: fmod(N(0, 1), 2) * sd
 * (torch's trunc_normal_ as fastai calls it). */
void model_init_trunc(struct ptensor *t, struct rng *r, double sd);

/* Apply pending weight decay so the weights can be read (sparse updates),
 * and publish them (ops->publish). */
void model_settle(struct model *m);

/* The rating for score s (glm_link_rating with m's link); with the ce loss
 * prob (may be NULL) receives the class probabilities.  cw, cb: the class
 * head (ce only).  The identity link clips s to the rating range when
 * m->clip is set. */
float model_link(const struct model *m, double s, const float *cw, const float *cb, float *prob);

/* m's link (loss, output and rating ranges) as lib/glmscore.h takes it. */
void model_link_params(const struct model *m, struct glm_link *l);

/* A factor model's tensors and link as lib/glmscore.h scores them (m->P,
 * m->Q, m->bu and m->bi set). */
void model_factors(const struct model *m, struct glm_factors *f);

/* d(loss)/d(score) of one rating with score s, times scale, into *ds; returns
 * the loss.  With ce, cw and cb are the class head used and gw, gb receive
 * scale * d(loss)/d(head). */
double model_score_grad(const struct model *m, double s, float r, float scale, const float *cw,
			const float *cb, float *gw, float *gb, float *ds);

/* predict for the factor models (dot, mf, als, bpmf), see the header comment. */
void model_factor_predict(const struct model *m, uint32_t u, const uint32_t *items, size_t n,
			  float *pred, float *prob);

/* attach for the factor models: find the four tensors (and the class head
 * with ce) and check their shapes.  0 or GL_EFORMAT. */
int model_factor_attach(struct model *m);

/* Add the ce class head (class_w, class_b) initialised so the first
 * predictions follow the training class frequencies.  0 or a gl_err. */
int model_add_class_head(struct model *m, uint32_t cap_flags);

/* Copy every tensor's weights into (snapshot) or back from (restore) a
 * buffer of model_size() floats. */
size_t model_size(const struct model *m);
void model_snapshot(const struct model *m, float *buf);
void model_restore(struct model *m, const float *buf);

void model_free(struct model *m);

/* Loss of one prediction: squared error, or -log p(class) with ce. */
double model_loss1(const struct model *m, float pred, const float *prob, float rating);

/* ---- minibatch training (dot, nn) ---------------------------------------- */

/* Forward and backward over a batch: return the summed loss and add
 * scale * d(loss)/d(param) into the tensors' gradient rows. */
typedef double (*model_fwdbwd)(struct model *m, const struct batch *b, float scale);

/* One epoch of shuffled minibatches with gradient accumulation, the
 * schedule and the optimizer (fastai's fit loop; the last incomplete
 * group of batches is dropped, as fastai's training DataLoader does).
 * Each batch is drawn one batch ahead of its turn and handed to
 * ops->prefetch. */
int model_mb_epoch(struct model *m, uint32_t epoch, model_fwdbwd fb, double *train_loss);

#endif
