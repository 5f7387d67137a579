/* test_train_planted.h - planted ratings for the trainer's tests and
 * benchmarks, written straight through lib/glr.h.
 *
 * The model is goodlens-sample's (etl/sample_model.h): item biases and
 * genre-clustered factors, users drawn per row, ratings = round(truth +
 * N(0, noise^2)) clamped to the scale.  Every user rates per_user distinct
 * items drawn uniformly, so the data is as dense as asked; each rating goes
 * to the validation split with probability valid_frac.  The noise floor
 * (the RMSE and MAE of the best possible predictor, E[written | truth]) is
 * computed exactly on the validation ratings with sample_floor(), and
 * floor_rmse_lo below it by three standard deviations of that predictor's
 * mean squared error over these n_valid ratings (from Var[e^2] ~ 2 var^2,
 * the normal value: the rounding makes it a little smaller): an RMSE below
 * floor_rmse_lo is not chance but a model that has seen the validation
 * ratings.
 *
 * Header-only on purpose: unit tests and bench/train_gen.c include it.
 */
#ifndef GL_TEST_TRAIN_PLANTED_H
#define GL_TEST_TRAIN_PLANTED_H

#include "../../etl/sample_model.h"
#include "err.h"
#include "glr.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct planted {
	uint32_t users, items, per_user, factors;
	double noise, valid_frac, mu;
	double step;           /* 1: whole stars 1..5; 0.5: half stars 0.5..5 */
	uint64_t seed;
	/* out */
	double floor_rmse, floor_mae;
	double floor_rmse_lo;  /* floor less 3 sd of its sampling noise */
	double truth_rmse;     /* RMSE of the clamped truth: the best a linear model can do */
	uint64_t n_valid;
};

static void planted_defaults(struct planted *p)
{
	memset(p, 0, sizeof *p);
	p->users = 600;
	p->items = 300;
	p->per_user = 60;
	p->factors = 4;
	p->noise = 0.5;
	p->valid_frac = 0.2;
	p->mu = 3.6;
	p->step = 1;
	p->seed = 7;
}

static int planted_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int planted_write(const char *path, struct planted *p)
{
	struct sample_model sm;
	struct sample_model_params mp = {.seed = p->seed, .items = p->items,
					 .factors = p->factors, .mu = p->mu, .noise = p->noise};
	mp.scale.step = p->step;
	mp.scale.lo = p->step;
	mp.scale.hi = 5;
	int err = sample_model_init(&sm, &mp);
	if (err)
		return err;
	struct glr_meta meta = {.n_users = p->users, .n_items = p->items,
				.n_ratings = (uint64_t)p->users * p->per_user, .scale = 0.5f,
				.flags = GLR_SORTED, .has_split = 1};
	struct glr_writer *w = NULL;
	uint32_t *items = malloc(p->per_user * sizeof *items);
	uint8_t *rates = malloc(p->per_user), *bits = malloc(p->per_user);
	uint8_t *taken = calloc(p->items, 1);
	float *pu = malloc(p->factors * sizeof *pu);
	double var_sum = 0, mae_sum = 0, truth_se = 0, var2_sum = 0;
	p->n_valid = 0;
	if (!items || !rates || !bits || !taken || !pu || p->per_user > p->items) {
		err = GL_ENOMEM;
		goto done;
	}
	err = glr_writer_open(&w, path, &meta);
	for (uint32_t u = 0; !err && u < p->users; u++) {
		struct rng r;
		float ub;
		rng_init(&r, p->seed, 1000 + u);
		sample_model_user(&sm, &r, &ub, pu);
		for (uint32_t j = 0; j < p->per_user; j++) {
			uint32_t i;
			do
				i = (uint32_t)rng_below(&r, p->items);
			while (taken[i]);
			taken[i] = 1;
			items[j] = i;
		}
		qsort(items, p->per_user, sizeof *items, planted_cmp_u32);
		for (uint32_t j = 0; j < p->per_user; j++) {
			double t = sample_model_truth(&sm, ub, pu, items[j]);
			int code = sample_model_draw(&sm, t, &r);
			taken[items[j]] = 0;
			rates[j] = (uint8_t)lround(code * p->step / 0.5);
			bits[j] = rng_unit(&r) < p->valid_frac ? GLR_BIT_VALID : 0;
			if (bits[j]) {
				double var, mae;
				sample_floor(&mp.scale, p->noise, t, &var, &mae);
				double tc = t < mp.scale.lo ? mp.scale.lo : t > 5 ? 5 : t;
				double e = tc - code * p->step;
				truth_se += e * e;
				var_sum += var;
				var2_sum += var * var;
				mae_sum += mae;
				p->n_valid++;
			}
		}
		err = glr_writer_row(w, items, rates, NULL, bits, p->per_user);
	}
	if (!err)
		err = glr_writer_commit(w);
	else if (w)
		glr_writer_abort(w);
	p->floor_rmse = p->n_valid ? sqrt(var_sum / (double)p->n_valid) : 0;
	if (p->n_valid) {
		double n = (double)p->n_valid, mse = var_sum / n;
		double lo = mse - 3 * sqrt(2 * var2_sum) / n;
		p->floor_rmse_lo = lo > 0 ? sqrt(lo) : 0;
	}
	p->floor_mae = p->n_valid ? mae_sum / (double)p->n_valid : 0;
	p->truth_rmse = p->n_valid ? sqrt(truth_se / (double)p->n_valid) : 0;
done:
	free(items);
	free(rates);
	free(bits);
	free(taken);
	free(pu);
	sample_model_free(&sm);
	return err;
}

#endif
