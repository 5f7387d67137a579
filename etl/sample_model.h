/* sample_model.h - the planted rating model of goodlens-sample.
 *
 *   rating_true(u,i) = mu + b_u + b_i + p_u . q_i
 *   written(u,i)     = clamp(round_to_step(rating_true + N(0, noise^2)), lo, hi)
 *
 * Items belong to latent genres: q_i = centre[genre] + a small spread, so the
 * item factors form clusters a PCA shows.  A few popular items are
 * "polarising": their factors are scaled up, so users split on them.  User
 * parameters are not stored; they are drawn from the user's own rng stream
 * (sample_model_user), which keeps memory per item, not per user.
 *
 * The floor functions give, for a known rating_true, the exact variance and
 * mean absolute deviation (from the median) of the written rating under the
 * normal noise with rounding and clamping: the error of the best possible
 * predictor.  They use erfc only, no sampling.
 */
#ifndef GL_SAMPLE_MODEL_H
#define GL_SAMPLE_MODEL_H

#include "rng.h"

#include <stdint.h>

#define SAMPLE_GENRES 8

/* The eight Goodreads genre files, in the order of the latent genres
 * (NULL-terminated, for cli_choice). */
extern const char *const sample_genre_names[];

/* The rating scale: values lo, lo+step, ..., hi (step 1 or 0.5). */
struct sample_scale {
	double lo, hi, step;
};

struct sample_model_params {
	uint64_t seed;
	uint32_t items;
	uint32_t factors;      /* planted rank K, >= 1 */
	double mu;             /* global mean of rating_true */
	double noise;          /* SD of the normal noise, >= 0 */
	struct sample_scale scale;
};

struct sample_model {
	struct sample_model_params p;
	double user_bias_sd, item_bias_sd;
	double user_factor_sd; /* per coordinate of p_u */
	double genre_sd;       /* per coordinate of a genre centre */
	double item_spread_sd; /* per coordinate of q_i around its centre */
	uint32_t polarising;   /* how many items are polarising */
	float *centre;         /* SAMPLE_GENRES x K */
	float *bias;           /* items */
	float *q;              /* items x K */
	uint8_t *genre;        /* items, 0..SAMPLE_GENRES-1 */
	uint8_t *polar;        /* items, 1 = polarising */
};

/* Draw the item side of the model from p (deterministic in p->seed).  Item
 * index 0 is meant to be the most popular (the caller's popularity order);
 * polarising items are chosen among the first few percent.  Returns 0 or
 * GL_ENOMEM (logged); on failure m needs no free. */
int sample_model_init(struct sample_model *m, const struct sample_model_params *p);

/* Release what sample_model_init allocated; m is zeroed. */
void sample_model_free(struct sample_model *m);

/* Draw one user's bias and K factors (into p[0..K-1]) from r. */
void sample_model_user(const struct sample_model *m, struct rng *r, float *bias, float *p);

/* rating_true for a user (bias, factors p) and item i. */
double sample_model_truth(const struct sample_model *m, float ubias, const float *p, uint32_t i);

/* One written rating for rating_true t, as a step count: the value is
 * code * step, code in [lo/step, hi/step].  Draws one normal from r. */
int sample_model_draw(const struct sample_model *m, double t, struct rng *r);

/* The step count of the written rating for a noisy value x (rounding half
 * away from zero, then clamping): the deterministic half of the draw. */
int sample_scale_code(const struct sample_scale *s, double x);

/* For rating_true t and noise SD sd: *var = Var[written], *mae = E|written -
 * median(written)|, both exact up to floating point.  sd may be 0. */
void sample_floor(const struct sample_scale *s, double sd, double t, double *var, double *mae);

#endif
