#include "train_cfg.h"

#include "buf.h"
#include "err.h"
#include "glm.h"
#include "log.h"

#include <inttypes.h>
#include <string.h>

const char *const cfg_opt_names[] = {"sgd", "adam", NULL};
const char *const cfg_wd_names[] = {"l2", "decoupled", NULL};
const char *const cfg_sched_names[] = {"const", "one-cycle", "cosine", NULL};
const char *const cfg_update_names[] = {"sparse", "dense", NULL};
const char *const cfg_loss_names[] = {"mse", "ce", NULL};
const char *const cfg_prior_names[] = {"wishart", "gamma", NULL};
const char *const cfg_implicit_names[] = {"none", "users", "items", "both", NULL};

void cfg_defaults(struct train_cfg *c, int kind)
{
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->loss = GLM_MSE;
	c->threads = 1;
	c->ensemble = 1;
	c->accum = 1;
	c->seed = 42;
	c->mom = 0.9;
	c->moms[0] = 0.95;
	c->moms[1] = 0.85;
	c->moms[2] = 0.95;
	c->beta2 = 0.99;
	c->eps = 1e-5;
	c->div = 25;
	c->div_final = 1e5;
	c->pct_start = 0.25;
	c->rank_k = 10;
	c->relevant = 4;
	c->init_sd = 0.01;
	c->bs = 64;
	c->als_mem = (uint64_t)256 << 20;
	c->sweeps = CFG_BPMF_SWEEPS;
	c->burn_in = CFG_BPMF_BURN_IN;
	c->implicit = CFG_BPMF_IMPLICIT;
	c->prior = CFG_BPMF_PRIOR;
	c->blend_holdout = 0.1;
	switch (kind) {
	case GLM_DOT:
	case GLM_NN:
		/* fastai collab_learner(n_factors=50) + the book's
		 * fit_one_cycle(5, 5e-3, wd=0.1) and y_range (0, 5.5); nn:
		 * layers=[n_factors], embeddings by emb_sz_rule (emb 0) */
		c->factors = 50;
		c->epochs = 5;
		c->lr = 5e-3;
		c->wd = 0.1;
		c->wd_mode = WD_DECOUPLED;
		c->schedule = SCHED_ONE_CYCLE;
		c->optimizer = OPT_ADAM;
		c->update = UPD_SPARSE;
		c->y_lo = 0;
		c->y_hi = 5.5;
		c->layers[0] = 50;
		c->n_layers = 1;
		c->bn = 1;
		break;
	case GLM_MF:
		/* LIBMF-style SGD: one rating at a time, L2 on the rows it touches */
		c->factors = 32;
		c->epochs = 30;
		c->lr = 0.01;
		c->wd = 0.1;
		c->wd_mode = WD_L2;
		c->schedule = SCHED_CONST;
		c->optimizer = OPT_SGD;
		c->bs = 1;
		c->init_sd = 0.1;
		break;
	case GLM_ALS:
		c->factors = 32;
		c->epochs = 10;
		c->wd = 0.1;
		c->wd_mode = WD_L2;
		c->schedule = SCHED_CONST;
		c->optimizer = OPT_SGD;
		c->bs = 1;
		c->init_sd = 0.1;
		break;
	case GLM_BPMF:
		/* no learning rate and no weight decay: the priors are sampled */
		c->factors = CFG_BPMF_FACTORS;
		c->epochs = c->sweeps;
		c->wd = 0;
		c->wd_mode = WD_L2;
		c->schedule = SCHED_CONST;
		c->optimizer = OPT_SGD;
		c->bs = 1;
		c->init_sd = 0.1;
		break;
	}
}

void cfg_member(const struct train_cfg *c, int kind, struct train_cfg *out)
{
	cfg_defaults(out, kind);
	out->seed = c->seed;
	out->threads = c->threads;
	out->rank_k = c->rank_k;
	out->relevant = c->relevant;
	out->als_mem = c->als_mem;
	out->sweeps = c->sweeps;
	out->burn_in = c->burn_in;
	out->implicit = c->implicit;
	out->prior = c->prior;
	if (kind == GLM_BPMF)
		out->epochs = c->sweeps;
}

static int bad(const char *what)
{
	log_error("%s", what);
	return GL_EUSAGE;
}

int cfg_check(const struct train_cfg *c)
{
	if (c->factors == 0)
		return bad("--factors must be at least 1");
	if (c->emb[0] > 4096 || c->emb[1] > 4096)
		return bad("--emb-size must be at most 4096");
	if (c->factors > 4096)
		return bad("--factors must be at most 4096");
	if (c->epochs == 0)
		return bad(c->kind == GLM_BPMF ? "--sweeps must be at least 1" : "--epochs must be at least 1");
	if (c->bs == 0 || c->accum == 0)
		return bad("--bs and --accum must be at least 1");
	if ((uint64_t)c->bs * c->accum > (1u << 24))
		return bad("--bs times --accum must be at most 16777216");
	if (c->threads == 0 || c->threads > 256)
		return bad("--threads must be between 1 and 256");
	if (c->ensemble == 0 || c->ensemble > 9)
		return bad("--ensemble must be between 1 and 9");
	if (!(c->lr > 0) && c->kind != GLM_ALS && c->kind != GLM_BPMF)
		return bad("--lr must be positive");
	if (c->wd < 0)
		return bad("--wd must not be negative");
	if (c->wd_mode == WD_DECOUPLED && c->lr * c->wd >= 1)
		return bad("--lr times --wd must be below 1 with --wd-mode decoupled");
	if (c->kind == GLM_ALS && c->loss != GLM_MSE)
		return bad("--model als solves least squares: it takes --loss mse only");
	if (c->kind == GLM_ALS && c->wd_mode != WD_L2)
		return bad("--model als regularises by l2 only (--wd-mode l2)");
	if (c->kind == GLM_MF && c->optimizer != OPT_SGD)
		return bad("--model mf trains by SGD one rating at a time: --optimizer sgd only");
	if (c->kind == GLM_MF && c->wd_mode != WD_L2)
		return bad("--model mf regularises by l2 only (--wd-mode l2)");
	if (c->adaptive && c->kind != GLM_MF)
		return bad("--adaptive applies to --model mf only");
	if (c->rank_k == 0)
		return bad("--rank-k must be at least 1");
	if (!(c->div > 0) || !(c->div_final > 0) || c->pct_start < 0 || c->pct_start > 1)
		return bad("--div and --div-final must be positive and --pct-start in [0, 1]");
	/* eps >= 1e-12: sparse Adam's row update divides by a product of three
	 * terms of at least eps each (train/kern.h), which must not underflow */
	if (c->mom < 0 || c->mom >= 1 || c->beta2 < 0 || c->beta2 >= 1 || !(c->eps >= 1e-12))
		return bad("momentum and beta2 must be in [0, 1) and eps at least 1e-12");
	for (int i = 0; i < 3; i++)
		if (c->moms[i] < 0 || c->moms[i] >= 1)
			return bad("--moms values must be in [0, 1)");
	for (int i = 0; i < c->n_layers; i++)
		if (c->layers[i] == 0 || c->layers[i] > 65536)
			return bad("--layers sizes must be between 1 and 65536");
	if (c->kind == GLM_NN && c->n_layers == 0)
		return bad("--model nn needs at least one hidden layer (--layers)");
	if (!(c->init_sd >= 0))
		return bad("--init-sd must not be negative");
	if (c->kind == GLM_BPMF) {
		if (c->loss != GLM_MSE)
			return bad("--model bpmf is a Gaussian model: it takes --loss mse only");
		if (c->y_lo < c->y_hi)
			return bad("--model bpmf clips its predictions to the rating range: it takes "
				   "no --y-range");
		if (c->patience)
			return bad("--model bpmf averages every sweep after --burn-in: it takes no "
				   "--patience");
		if (c->burn_in >= c->epochs)
			return bad("--burn-in must be below --sweeps (the sweeps after it are "
				   "averaged)");
	}
	if (c->n_blend && (c->blend_holdout <= 0 || c->blend_holdout >= 1))
		return bad("--blend-holdout must be between 0 and 1");
	if (c->n_blend) {
		struct train_cfg mc;
		for (int i = 0; i < c->n_blend; i++) {
			cfg_member(c, c->blend[i], &mc);
			int err = cfg_check(&mc);
			if (err)
				return err;
		}
	}
	return 0;
}

int cfg_hparams(const struct train_cfg *c, char **text)
{
	struct buf b = {0};
	int err = 0;
	err |= buf_printf(&b, "model=%s\nloss=%s\nfactors=%u\nepochs=%u\nbs=%u\naccum=%u\n",
			  glm_kind_names[c->kind], cfg_loss_names[c->loss], c->factors, c->epochs,
			  c->bs, c->accum);
	err |= buf_printf(&b, "lr=%.9g\nwd=%.9g\nwd_mode=%s\nschedule=%s\noptimizer=%s\nupdate=%s\n",
			  c->lr, c->wd, cfg_wd_names[c->wd_mode], cfg_sched_names[c->schedule],
			  cfg_opt_names[c->optimizer], cfg_update_names[c->update]);
	err |= buf_printf(&b, "y_range=%.9g,%.9g\nmom=%.9g\nmoms=%.9g,%.9g,%.9g\nbeta2=%.9g\neps=%.9g\n",
			  c->y_lo, c->y_hi, c->mom, c->moms[0], c->moms[1], c->moms[2], c->beta2,
			  c->eps);
	err |= buf_printf(
		&b, "div=%.9g\ndiv_final=%.9g\npct_start=%.9g\nseed=%" PRIu64 "\nthreads=%u\n",
		c->div, c->div_final, c->pct_start, (uint64_t)c->seed, c->threads);
	err |= buf_printf(&b, "patience=%u\nensemble=%u\nadaptive=%d\ninit_sd=%.9g\nbn=%d\n",
			  c->patience, c->ensemble, c->adaptive, c->init_sd, c->bn);
	for (int s = 0; c->kind == GLM_NN && s < 2; s++) {
		/* 0: fastai's emb_sz_rule of the file's counts */
		err |= buf_adds(&b, s ? "," : "emb_size=");
		err |= c->emb[s] ? buf_printf(&b, "%u", c->emb[s]) : buf_adds(&b, "rule");
	}
	if (c->kind == GLM_NN)
		err |= buf_adds(&b, "\n");
	err |= buf_adds(&b, "layers=");
	for (int i = 0; i < c->n_layers; i++)
		err |= buf_printf(&b, "%s%u", i ? "," : "", c->layers[i]);
	err |= buf_adds(&b, "\n");
	if (c->kind == GLM_BPMF)
		err |= buf_printf(&b, "sweeps=%u\nburn_in=%u\nimplicit_side=%s\nprior=%s\n", c->epochs,
				  c->burn_in, cfg_implicit_names[c->implicit], cfg_prior_names[c->prior]);
	if (err) {
		buf_free(&b);
		return GL_ENOMEM;
	}
	*text = b.p;
	return 0;
}
