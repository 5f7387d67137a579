#include "train_blend.h"

#include "buf.h"
#include "clock.h"
#include "train_decay.h"
#include "err.h"
#include "glm.h"
#include "glr.h"
#include "train_keys.h"
#include "log.h"
#include "train_metrics.h"
#include "model.h"
#include "model_file.h"
#include "model_bias.h"
#include "outfile.h"

#include <inttypes.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ridge on the members' weights, per holdout rating: a 1% shrinkage
 * of a weight next to the error of a prediction (about 0.8 per rating on
 * MovieLens), which keeps nearly collinear members from large opposite
 * weights. */
#define BLEND_RIDGE 1e-4

static float clipf(double v, float lo, float hi) { return (float)(v < lo ? lo : v > hi ? hi : v); }

int blend_fit(const float *X, const float *y, uint64_t n, int m, double lambda, float lo,
	      float hi, double *w, double *sse, double *member_sse, int *best)
{
	if (n == 0 || m < 1)
		return GL_EUSAGE;
	int M = m + 1;
	double *A = calloc((size_t)M * M, sizeof *A), *b = calloc((size_t)M, sizeof *b);
	double *f = calloc((size_t)M, sizeof *f);
	if (!A || !b || !f) {
		free(A);
		free(b);
		free(f);
		return GL_ENOMEM;
	}
	for (int j = 0; j < m; j++)
		member_sse[j] = 0;
	f[0] = 1;
	for (uint64_t r = 0; r < n; r++) {
		for (int j = 0; j < m; j++) {
			f[j + 1] = X[r * m + j];
			double e = (double)X[r * m + j] - y[r];
			member_sse[j] += e * e;
		}
		for (int a = 0; a < M; a++) {
			b[a] += f[a] * y[r];
			for (int c = a; c < M; c++)
				A[a * M + c] += f[a] * f[c];
		}
	}
	for (int a = 1; a < M; a++)
		A[a * M + a] += lambda;
	*best = 0;
	for (int j = 1; j < m; j++)
		if (member_sse[j] < member_sse[*best])
			*best = j;
	int singular = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', M, 1, A, M, b, 1) != 0;
	double s = 0;
	for (uint64_t r = 0; !singular && r < n; r++) {
		double v = b[0];
		for (int j = 0; j < m; j++)
			v += b[j + 1] * X[r * m + j];
		double e = (double)clipf(v, lo, hi) - y[r];
		s += e * e;
	}
	if (singular || !(s < member_sse[*best])) {
		memset(w, 0, (size_t)M * sizeof *w);
		w[*best + 1] = 1;
		s = member_sse[*best];
	} else {
		memcpy(w, b, (size_t)M * sizeof *w);
	}
	*sse = s;
	free(A);
	free(b);
	free(f);
	return 0;
}

/* ---- the run --------------------------------------------------------------- */

/* The outputs, committed as a set in this order. */
enum { OUT_MODEL, OUT_METRICS, OUT_SUMMARY, OUT_PREDS, OUT_TABLE, OUT_N };

struct blend_run {
	const struct train_cfg *c;
	struct glr g, gh;            /* the file, and the view with the holdout split */
	uint8_t *hbits;              /* split | holdout */
	struct tdata d, dh;
	int n;                       /* members */
	struct train_cfg mc[CFG_MAX_BLEND];
	struct model members[CFG_MAX_BLEND];
	double w[CFG_MAX_BLEND + 1];
	double hold_rmse[CFG_MAX_BLEND + 1];
	int best;
	float lo, hi;
	struct outfile out[OUT_N];
	const char *dir;
	struct keys keys;            /* users.csv, items.csv */
};

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The holdout: training ratings whose hashed position falls below the
 * share.  hbits = the split with the holdout added. */
static int carve(struct blend_run *r, uint64_t *n_hold)
{
	const struct glr *g = &r->g;
	uint64_t bytes = (g->n_ratings + 7) / 8;
	r->hbits = malloc(bytes ? bytes : 1);
	if (!r->hbits) {
		log_error("out of memory for the blend holdout");
		return GL_ENOMEM;
	}
	memcpy(r->hbits, g->split, bytes);
	uint64_t key = mix64(r->c->seed ^ 0x626c656e64ULL); /* "blend" */
	double frac = r->c->blend_holdout;
	*n_hold = 0;
	for (uint64_t k = 0; k < g->n_ratings; k++) {
		if (glr_bit(g->split, k))
			continue;
		double u = (double)(mix64(key + k) >> 11) * 0x1.0p-53;
		if (u < frac) {
			r->hbits[k >> 3] |= (uint8_t)(1u << (k & 7));
			(*n_hold)++;
		}
	}
	r->gh = *g;
	r->gh.split = r->hbits;
	return 0;
}

static int is_hold(const struct blend_run *r, uint64_t k)
{
	return glr_bit(r->hbits, k) && !glr_bit(r->g.split, k);
}

static void metrics_row(FILE *f, uint32_t epoch, double train_loss, const struct evalres *e,
			double secs, int member)
{
	fprintf(f, "%u,%.6f,%.6f,%.6f,%.6f,%.3f,%d\n", epoch, train_loss, e->loss, e->rmse, e->mae,
		secs, member);
}

/* Train member j on d; with f, evaluate each epoch on d's validation
 * ratings into metrics.csv. */
static int train_one(struct blend_run *r, int j, const struct tdata *d, FILE *f)
{
	const struct train_cfg *mc = &r->mc[j];
	struct model *m = &r->members[j];
	int err = model_new(m, model_ops_of(mc->kind), mc, d, (uint32_t)j);
	struct model *one[1] = {m};
	for (uint32_t e = 0; !err && e < mc->epochs; e++) {
		double t0 = clock_now(), loss;
		struct evalres ev;
		err = m->ops->epoch(m, e, &loss);
		if (err)
			break;
		model_settle(m);
		if (!f) {
			log_debug("blend holdout fit: %s epoch %u: train_loss %.4f", m->ops->name, e, loss);
			continue;
		}
		err = eval_valid(one, 1, d, 0, mc->relevant, mc->threads, &ev);
		if (err)
			break;
		double secs = clock_now() - t0;
		metrics_row(f, e, loss, &ev, secs, j);
		log_info("blend member %d (%s) epoch %u: train_loss %.4f valid_rmse %.4f (%.3f s)", j,
			 m->ops->name, e, loss, ev.rmse, secs);
	}
	return err;
}

/* Column j of X: member j's predictions of the holdout ratings, in file
 * order (and y their ratings). */
static int predict_holdout(struct blend_run *r, int j, float *X, float *y)
{
	const struct glr *g = &r->g;
	size_t cap = r->d.max_row ? r->d.max_row : 1;
	uint32_t *items = malloc(cap * sizeof *items);
	float *pred = malloc(cap * sizeof *pred);
	if (!items || !pred) {
		free(items);
		free(pred);
		log_error("out of memory predicting the blend holdout");
		return GL_ENOMEM;
	}
	uint64_t row = 0;
	for (uint64_t u = 0; u < r->d.n_users; u++) {
		size_t n = 0;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (is_hold(r, k)) {
				items[n++] = g->items[k];
				y[row + n - 1] = glr_value(g, k);
			}
		if (!n)
			continue;
		r->members[j].ops->predict(&r->members[j], (uint32_t)u, items, n, pred, NULL);
		for (size_t x = 0; x < n; x++)
			X[(row + x) * r->n + j] = pred[x];
		row += n;
	}
	free(items);
	free(pred);
	return 0;
}

/* Steps 1 to 3 of train_blend.h. */
static int fit_weights(struct blend_run *r)
{
	uint64_t nh;
	int err = carve(r, &nh);
	if (!err)
		err = tdata_init(&r->dh, &r->gh, r->d.path);
	if (err)
		return err;
	if (nh == 0) {
		log_error("%s: no training rating fell in the blend holdout (%g of %" PRIu64
			  "); use a larger --blend-holdout",
			  r->d.path, r->c->blend_holdout, r->d.n_train);
		return GL_EUSAGE;
	}
	log_info("blend: %" PRIu64 " of %" PRIu64 " training ratings held out to fit the weights",
		 nh, r->d.n_train);
	float *X = malloc(nh * (size_t)r->n * sizeof *X), *y = malloc(nh * sizeof *y);
	if (!X || !y) {
		log_error("out of memory for the blend holdout predictions");
		err = GL_ENOMEM;
	}
	for (int j = 0; !err && j < r->n; j++) {
		err = train_one(r, j, &r->dh, NULL);
		if (!err)
			err = predict_holdout(r, j, X, y);
		model_free(&r->members[j]);
	}
	double sse, msse[CFG_MAX_BLEND];
	if (!err)
		err = blend_fit(X, y, nh, r->n, BLEND_RIDGE * (double)nh, r->lo, r->hi, r->w, &sse, msse,
				&r->best);
	if (!err) {
		for (int j = 0; j < r->n; j++) {
			r->hold_rmse[j] = sqrt(msse[j] / (double)nh);
			log_info("blend: %s holdout rmse %.4f, weight %.4f", glm_kind_names[r->c->blend[j]],
				 r->hold_rmse[j], r->w[j + 1]);
		}
		r->hold_rmse[r->n] = sqrt(sse / (double)nh);
		log_info("blend: intercept %.4f; holdout rmse %.4f (best member %s %.4f)", r->w[0],
			 r->hold_rmse[r->n], glm_kind_names[r->c->blend[r->best]],
			 r->hold_rmse[r->best]);
	}
	free(X);
	free(y);
	return err;
}

/* The blend as a model eval_valid can score. */
struct blendm {
	const struct blend_run *r;
};

static void blend_predict(const struct model *bm, uint32_t u, const uint32_t *items, size_t n,
			  float *pred, float *prob)
{
	const struct blend_run *r = ((const struct blendm *)bm->priv)->r;
	float tmp[256];
	double acc[256];
	(void)prob;
	for (size_t x0 = 0; x0 < n; x0 += 256) {
		size_t c = n - x0 < 256 ? n - x0 : 256;
		for (size_t x = 0; x < c; x++)
			acc[x] = r->w[0];
		for (int j = 0; j < r->n; j++) {
			const struct model *m = &r->members[j];
			m->ops->predict(m, u, items + x0, c, tmp, NULL);
			for (size_t x = 0; x < c; x++)
				acc[x] += r->w[j + 1] * tmp[x];
		}
		for (size_t x = 0; x < c; x++)
			pred[x0 + x] = clipf(acc[x], r->lo, r->hi);
	}
}

static const struct model_ops blend_ops = {.name = "blend", .predict = blend_predict};

static void summary_row(FILE *f, const char *model, const char *member, const struct evalres *e,
			uint32_t k)
{
	fprintf(f, "%s,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%u\n", model, member, e->rmse, e->mae,
		e->accuracy, e->precision, e->recall, e->ndcg, k);
}

static int write_summary(struct blend_run *r, struct model *bm, double *valid_rmse)
{
	const struct train_cfg *c = r->c;
	FILE *f = r->out[OUT_SUMMARY].fp;
	struct model base = {0};
	struct evalres e;
	fputs("model,member,rmse,mae,accuracy,precision_at_k,recall_at_k,ndcg_at_k,k\n", f);
	int err = model_new(&base, &model_bias_ops, &r->mc[0], &r->d, 0);
	struct model *one[1] = {&base};
	if (!err)
		err = eval_valid(one, 1, &r->d, c->rank_k, c->relevant, c->threads, &e);
	if (!err) {
		summary_row(f, "global_mean", "", &e, c->rank_k);
		double loss;
		err = base.ops->epoch(&base, 0, &loss);
	}
	if (!err)
		err = eval_valid(one, 1, &r->d, c->rank_k, c->relevant, c->threads, &e);
	if (!err)
		summary_row(f, "biases", "", &e, c->rank_k);
	model_free(&base);
	for (int j = 0; !err && j <= r->n; j++) {
		one[0] = j < r->n ? &r->members[j] : bm;
		err = eval_valid(one, 1, &r->d, c->rank_k, c->relevant, c->threads, &e);
		if (err)
			break;
		char mem[16];
		snprintf(mem, sizeof mem, "%d", j);
		summary_row(f, j < r->n ? glm_kind_names[c->blend[j]] : "blend", j < r->n ? mem : "all",
			    &e, c->rank_k);
		valid_rmse[j] = e.rmse;
	}
	if (!err)
		log_info("blend: valid rmse %.4f mae %.4f (%" PRIu64 " ratings); best member %s %.4f",
			 e.rmse, e.mae, e.n, glm_kind_names[c->blend[r->best]], valid_rmse[r->best]);
	return err;
}

static void write_table(struct blend_run *r, const double *valid_rmse)
{
	FILE *f = r->out[OUT_TABLE].fp;
	fputs("member,model,weight,holdout_rmse,valid_rmse\n", f);
	fprintf(f, ",intercept,%.6f,,\n", r->w[0]);
	for (int j = 0; j < r->n; j++)
		fprintf(f, "%d,%s,%.6f,%.6f,%.6f\n", j, glm_kind_names[r->c->blend[j]], r->w[j + 1],
			r->hold_rmse[j], valid_rmse[j]);
	fprintf(f, ",blend,,%.6f,%.6f\n", r->hold_rmse[r->n], valid_rmse[r->n]);
}

static int write_predictions(struct blend_run *r, struct model *bm)
{
	const struct glr *g = &r->g;
	FILE *f = r->out[OUT_PREDS].fp;
	size_t cap = r->d.max_row ? r->d.max_row : 1;
	uint32_t *items = malloc(cap * sizeof *items);
	float *rating = malloc(cap * sizeof *rating), *pred = malloc(cap * sizeof *pred);
	int err = 0;
	if (!items || !rating || !pred) {
		log_error("out of memory writing predictions");
		err = GL_ENOMEM;
		goto done;
	}
	keys_predictions_header(f, &r->keys);
	for (uint64_t u = 0; u < r->d.n_users; u++) {
		size_t n = 0;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (tdata_is_valid(&r->d, k)) {
				items[n] = g->items[k];
				rating[n++] = glr_value(g, k);
			}
		if (!n)
			continue;
		bm->ops->predict(bm, (uint32_t)u, items, n, pred, NULL);
		for (size_t x = 0; x < n; x++)
			keys_prediction_row(f, &r->keys, u, items[x], rating[x], pred[x]);
	}
done:
	free(items);
	free(rating);
	free(pred);
	return err;
}

/* model.glm: the best member on the holdout, with the blend in its hparams
 * and the source it was trained on, as trainer.c writes it. */
static int write_model(struct blend_run *r)
{
	struct glm g = {0};
	struct buf b = {0};
	char *h = NULL, *path = NULL;
	const struct model *m = &r->members[r->best];
	int err = cfg_hparams(&r->mc[r->best], &h);
	if (!err) {
		err |= buf_adds(&b, h);
		err |= buf_adds(&b, "blend=");
		for (int j = 0; j < r->n; j++)
			err |= buf_printf(&b, "%s%s", j ? "," : "", glm_kind_names[r->c->blend[j]]);
		err |= buf_printf(&b, "\nblend_weights=%.6f", r->w[0]);
		for (int j = 0; j < r->n; j++)
			err |= buf_printf(&b, ",%.6f", r->w[j + 1]);
		err |= buf_printf(&b, "\nblend_saved=%s (best on the holdout; the blend itself is "
				      "not in this file)\n",
				  m->ops->name);
		err = err ? GL_ENOMEM : 0;
	}
	size_t n = strlen(r->dir) + 16;
	if (!err && !(path = malloc(n)))
		err = GL_ENOMEM;
	if (!err) {
		snprintf(path, n, "%s/model.glm", r->dir);
		g.hparams = b.p;
		b.p = NULL;
		err = model_to_glm(m, 0, &g);
	}
	const char *to = NULL; /* the model's temporary in the set */
	if (!err) {
		keys_fill_source(&r->keys, &r->d, &g);
		err = outfile_reserve(&r->out[OUT_MODEL], path, &to);
	}
	if (!err)
		err = glm_save(&g, to);
	if (err == GL_ENOMEM)
		log_error("out of memory writing the model");
	if (!err)
		log_info("model.glm holds the %s member (best on the holdout): goodlens-recommend and "
			 "goodlens-report use it, not the blend",
			 m->ops->name);
	glm_free(&g);
	buf_free(&b);
	free(h);
	free(path);
	return err;
}

static int open_out(struct outfile *of, const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (!p) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	snprintf(p, n, "%s/%s", dir, name);
	int err = outfile_open(of, p);
	free(p);
	return err;
}

int blend_run(const struct train_cfg *c, const char *path, const char *outdir)
{
	return blend_run_keyed(c, path, NULL, NULL, outdir);
}

int blend_run_keyed(const struct train_cfg *c, const char *path, const char *users,
		    const char *items, const char *outdir)
{
	struct blend_run *r = calloc(1, sizeof *r);
	if (!r) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	r->c = c;
	r->dir = outdir;
	r->n = c->n_blend;
	for (int j = 0; j < r->n; j++)
		cfg_member(c, c->blend[j], &r->mc[j]);
	int err = glr_open(&r->g, path, 0);
	if (err) {
		free(r);
		return err;
	}
	err = tdata_init(&r->d, &r->g, path);
	if (!err) {
		r->lo = r->d.lo;
		r->hi = r->d.hi;
		log_info("%s: %" PRIu64 " users, %" PRIu64 " items, %" PRIu64 " training and %" PRIu64
			 " validation ratings",
			 path, r->d.n_users, r->d.n_items, r->d.n_train, r->d.n_valid);
	}
	if (!err && r->d.n_users > UINT32_MAX - 1) {
		log_error("%s: more than %u users", path, UINT32_MAX - 1);
		err = GL_ELIMIT;
	}
	if (!err)
		err = keys_load(&r->keys, &r->d, users, items);
	for (int j = 0; !err && j < r->n; j++)
		decay_advise(&r->mc[j], &r->d); /* dot's weight-decay warning, as trainer_run gives */
	/* the outputs first: a folder that cannot be made fails before the
	 * members are trained */
	if (!err)
		err = outfile_mkdirs(outdir);
	static const char *const names[OUT_N] = {"model.glm", "metrics.csv", "train.summary.csv",
						 "predictions.csv", "blend.csv"};
	for (int t = OUT_METRICS; /* the model: write_model */ !err && t < OUT_N; t++)
		err = open_out(&r->out[t], outdir, names[t]);
	if (!err)
		err = fit_weights(r);
	if (!err)
		fputs("epoch,train_loss,valid_loss,valid_rmse,valid_mae,seconds,member\n", r->out[OUT_METRICS].fp);
	for (int j = 0; !err && j < r->n; j++)
		err = train_one(r, j, &r->d, r->out[OUT_METRICS].fp);
	struct blendm bmp = {r};
	struct model bm = {.ops = &blend_ops, .loss = GLM_MSE, .priv = &bmp};
	double valid_rmse[CFG_MAX_BLEND + 1];
	if (!err)
		err = write_summary(r, &bm, valid_rmse);
	if (!err) {
		write_table(r, valid_rmse);
		err = write_predictions(r, &bm);
	}
	if (!err)
		err = write_model(r);
	/* the model and the tables together, so a failed run changes none */
	if (err)
		outfile_abort_set(r->out, OUT_N);
	else
		err = outfile_commit_set(r->out, OUT_N);
	for (int j = 0; j < r->n; j++)
		model_free(&r->members[j]); /* a member never made is zero: nothing to free */
	keys_free(&r->keys);
	tdata_free(&r->dh);
	tdata_free(&r->d);
	glr_close(&r->g);
	free(r->hbits);
	free(r);
	return err;
}
