/* train_cfg.h - every knob of goodlens-train in one struct, with each model's
 * defaults.
 *
 * Defaults follow the tool each model comes from: dot and nn take fastai's
 * collab_learner (n_factors 50: dot's factors, nn's layers=[n_factors];
 * nn's embedding sizes by emb_sz_rule; Adam 0.9/0.99, eps 1e-5, decoupled
 * weight decay) with the fastai book chapter's fit_one_cycle(5, 5e-3,
 * wd=0.1), batch 64 and y_range 0..5.5 (fastai's library defaults are lr
 * 1e-3, wd 0.01 and no y_range); mf takes plain SGD as LIBMF does; als
 * solves exactly and has no learning rate.  docs/TRAIN.md lists every
 * knob.
 */
#ifndef GL_TRAIN_CFG_H
#define GL_TRAIN_CFG_H

#include <stdint.h>

enum train_opt { OPT_SGD, OPT_ADAM };
enum train_wd { WD_L2, WD_DECOUPLED };
enum train_sched { SCHED_CONST, SCHED_ONE_CYCLE, SCHED_COSINE };
enum train_update { UPD_SPARSE, UPD_DENSE };
enum train_prior { PRIOR_WISHART, PRIOR_GAMMA };
/* bpmf implicit feedback: bit 1 users, bit 2 items (cfg_implicit_names) */
enum train_implicit { IMPLICIT_NONE, IMPLICIT_USERS, IMPLICIT_ITEMS, IMPLICIT_BOTH };

#define CFG_MAX_LAYERS 4
/* bpmf's defaults (docs/TRAIN.md says how they were chosen) */
#define CFG_BPMF_FACTORS 16
#define CFG_BPMF_SWEEPS 200
#define CFG_MF_ADAPTIVE_LR 0.1 /* mf --adaptive's default --lr: LIBMF's eta */
#define CFG_BPMF_BURN_IN 50
#define CFG_BPMF_IMPLICIT IMPLICIT_ITEMS
#define CFG_BPMF_PRIOR PRIOR_WISHART
#define CFG_MAX_BLEND 8

struct train_cfg {
	int kind;             /* enum glm_kind */
	int loss;             /* enum glm_loss */
	uint32_t factors;     /* dot/mf/als: k; nn: fastai's n_factors (layers) */
	uint32_t emb[2];      /* nn: user and item embedding sizes, 0 = emb_sz_rule */
	uint32_t epochs;
	uint32_t bs;          /* ratings per batch (dot, nn) */
	uint32_t accum;       /* batches summed before one optimizer step */
	uint32_t threads;
	uint32_t patience;    /* 0 = no early stopping */
	uint32_t ensemble;    /* members, each with its own seed stream */
	double lr, wd;
	int wd_mode;          /* enum train_wd */
	int schedule;         /* enum train_sched */
	int optimizer;        /* enum train_opt */
	int update;           /* enum train_update */
	double y_lo, y_hi;    /* sigmoid_range; y_lo >= y_hi: none */
	double mom;           /* beta1 outside one-cycle */
	double moms[3];       /* one-cycle: start, middle, end */
	double beta2, eps;
	double div, div_final, pct_start;
	uint64_t seed;
	uint32_t layers[CFG_MAX_LAYERS]; /* nn hidden sizes (fastai: [n_factors]) */
	int n_layers;
	int bn;               /* nn: BatchNorm after each hidden ReLU (fastai) */
	int adaptive;         /* mf: per-row AdaGrad-like rates (LIBMF) */
	double init_sd;       /* factor initialisation scale */
	uint64_t als_mem;     /* als: bytes of item systems held at once (256 MiB;
			       * not an option: tests make it small so that a
			       * small file is solved in many item chunks) */
	uint32_t rank_k;      /* ranking metrics @k */
	double relevant;      /* rating at or above which an item is relevant */
	/* bpmf (epochs counts its sweeps) */
	uint32_t burn_in;     /* sweeps before the samples are averaged */
	int implicit;         /* enum train_implicit */
	int prior;            /* enum train_prior */
	/* --blend: members (glm kinds) fitted on a holdout of the training
	 * ratings and combined linearly (train/train_blend.h); n_blend 0: no blend */
	int blend[CFG_MAX_BLEND];
	int n_blend;
	double blend_holdout; /* share of the training ratings held out */
	uint32_t sweeps;      /* bpmf members of a blend: their epochs */
};

/* Fill c with the defaults of model kind (enum glm_kind). */
void cfg_defaults(struct train_cfg *c, int kind);

/* A blend member's settings: kind's defaults, with what applies to every
 * member (seed, threads, evaluation, bpmf's options) taken from c. */
void cfg_member(const struct train_cfg *c, int kind, struct train_cfg *out);

/* Check the combination; GL_EUSAGE with a message naming the option. */
int cfg_check(const struct train_cfg *c);

/* Append "key=value\n" lines describing c to *text (malloc'd, owned by the
 * caller).  0 or GL_ENOMEM. */
int cfg_hparams(const struct train_cfg *c, char **text);

extern const char *const cfg_opt_names[];
extern const char *const cfg_wd_names[];
extern const char *const cfg_sched_names[];
extern const char *const cfg_update_names[];
extern const char *const cfg_loss_names[];
extern const char *const cfg_prior_names[];
extern const char *const cfg_implicit_names[];

#endif
