#include "trainer.h"

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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The outputs, committed as a set in this order. */
enum { OUT_MODEL, OUT_METRICS, OUT_SUMMARY, OUT_PREDS, OUT_N };

struct run {
	const struct train_cfg *c;
	struct tdata d;
	struct model members[9];
	int n_members;
	struct outfile out[OUT_N];
	char *dir;
	struct keys keys; /* users.csv, items.csv */
};

/* CPU seconds of the whole process (every thread): steadier than the wall
 * clock when other work shares the machine. */
static double cpu_now(void) { return clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static int open_out(struct outfile *of, const char *dir, const char *name)
{
	char *path = join(dir, name);
	if (!path) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	int err = outfile_open(of, path);
	free(path);
	return err;
}

static void metrics_header(const struct run *r)
{
	FILE *f = r->out[OUT_METRICS].fp;
	fputs("epoch,train_loss,valid_loss,valid_rmse,valid_mae,seconds", f);
	if (r->c->loss == GLM_CE)
		fputs(",valid_accuracy", f);
	if (r->c->ensemble > 1)
		fputs(",member", f);
	fputc('\n', f);
}

static void metrics_row(const struct run *r, uint32_t epoch, double train_loss,
			const struct evalres *e, double secs, uint32_t member)
{
	FILE *f = r->out[OUT_METRICS].fp;
	fprintf(f, "%u,%.6f,%.6f,%.6f,%.6f,%.3f", epoch, train_loss, e->loss, e->rmse, e->mae, secs);
	if (r->c->loss == GLM_CE)
		fprintf(f, ",%.6f", e->accuracy);
	if (r->c->ensemble > 1)
		fprintf(f, ",%u", member);
	fputc('\n', f);
}

/* Train member j, keeping the best epoch when early stopping. */
static int train_member(struct run *r, uint32_t j)
{
	const struct train_cfg *c = r->c;
	struct model *m = &r->members[j];
	struct model *one[1] = {m};
	int err = model_new(m, model_ops_of(c->kind), c, &r->d, j);
	r->n_members = (int)j + 1;
	if (err)
		return err;
	int saved = model_saved_tensors(m);
	if ((uint64_t)saved * c->ensemble > GLM_MAX_TENSORS) {
		log_error("--ensemble %u needs %u tensors in the model file, which holds at most %d "
			  "(use fewer members or layers)",
			  c->ensemble, (uint32_t)saved * c->ensemble, GLM_MAX_TENSORS);
		return GL_EUSAGE;
	}
	float *best = NULL;
	double best_loss = INFINITY;
	uint32_t best_epoch = 0;
	if (c->patience) {
		best = malloc(model_size(m) * sizeof *best + 1);
		if (!best) {
			log_error("out of memory for the best epoch's weights");
			return GL_ENOMEM;
		}
	}
	for (uint32_t e = 0; e < c->epochs; e++) {
		double t0 = clock_now(), c0 = cpu_now(), train_loss;
		struct evalres ev;
		err = m->ops->epoch(m, e, &train_loss);
		if (err)
			goto done;
		model_settle(m);
		double t1 = clock_now(), c1 = cpu_now();
		/* metrics.csv has no ranking columns: rank_k 0 skips the sort */
		err = eval_valid(one, 1, &r->d, 0, c->relevant, c->threads, &ev);
		if (err)
			goto done;
		double secs = clock_now() - t0;
		metrics_row(r, e, train_loss, &ev, secs, j);
		/* The training pass and the validation pass timed apart: the
		 * first is the speed of the model (bench/train.sh reads it). */
		log_info("%s%s epoch %u: train_loss %.4f valid_loss %.4f valid_rmse %.4f "
			 "(train %.4f s, %.3fM ratings/s, cpu %.4f s; valid %.4f s)",
			 m->ops->name, c->ensemble > 1 ? " member" : "", e, train_loss, ev.loss,
			 ev.rmse, t1 - t0, (double)r->d.n_train / (t1 - t0) / 1e6, c1 - c0,
			 secs - (t1 - t0));
		if (!best)
			continue;
		if (ev.loss < best_loss) {
			best_loss = ev.loss;
			best_epoch = e;
			model_snapshot(m, best);
		} else if (e - best_epoch >= c->patience) {
			log_info("early stop: no better valid loss for %u epochs; keeping epoch %u",
				 c->patience, best_epoch);
			break;
		}
	}
	if (best)
		model_restore(m, best);
done:
	free(best);
	return err;
}

/* A figure, or nothing where there is none (NaN: popularity predicts no
 * rating). */
static void summary_num(FILE *f, double v)
{
	if (isnan(v))
		fputc(',', f);
	else
		fprintf(f, ",%.6f", v);
}

static void summary_row(FILE *f, const char *model, const char *member, const struct evalres *e,
			uint32_t k)
{
	fprintf(f, "%s,%s", model, member);
	const double v[] = {e->rmse, e->mae, e->accuracy, e->precision, e->recall, e->ndcg};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		summary_num(f, v[i]);
	fprintf(f, ",%u", k);
	summary_num(f, e->hit_rate);
	summary_num(f, e->coverage);
	fputc('\n', f);
}

/* The model's figures beside the baselines', and a warning when it does
 * not beat the biases alone: a person reading only the log should learn
 * that without opening train.summary.csv. */
static void log_result(const char *name, const struct evalres *e, double global, double biases)
{
	log_info("%s: valid rmse %.4f mae %.4f (%" PRIu64 " ratings); baselines: biases only "
		 "%.4f, global mean %.4f",
		 name, e->rmse, e->mae, e->n, biases, global);
	if (!(e->rmse < biases))
		log_warn("%s does not beat the biases-only baseline (valid rmse %.4f, biases only "
			 "%.4f): on these data it predicts no better than a bias per user and per "
			 "item; try more regularisation (--wd), fewer --factors, --patience, or "
			 "another --model (docs/TRAIN.md)",
			 name, e->rmse, biases);
}

static int write_summary(struct run *r)
{
	const struct train_cfg *c = r->c;
	struct outfile of = r->out[OUT_SUMMARY];
	struct model base = {0};
	struct evalres e, pop;
	double global = NAN, biases = NAN;
	int err;
	fputs("model,member,rmse,mae,accuracy,precision_at_k,recall_at_k,ndcg_at_k,k,"
	      "hit_rate_at_k,coverage_at_k\n", of.fp);
	/* The biases model before fitting predicts the global mean. */
	err = model_new(&base, &model_bias_ops, c, &r->d, 0);
	struct model *bp[1] = {&base};
	if (!err)
		err = eval_valid(bp, 1, &r->d, c->rank_k, c->relevant, c->threads, &e);
	if (!err) {
		summary_row(of.fp, "global_mean", "", &e, c->rank_k);
		global = e.rmse;
		double loss;
		err = base.ops->epoch(&base, 0, &loss);
	}
	if (!err)
		err = eval_valid(bp, 1, &r->d, c->rank_k, c->relevant, c->threads, &e);
	if (!err) {
		summary_row(of.fp, "biases", "", &e, c->rank_k);
		biases = e.rmse;
		err = eval_popularity(&r->d, c->rank_k, c->relevant, c->threads, &pop);
	}
	if (!err) {
		summary_row(of.fp, "popularity", "", &pop, c->rank_k);
		log_info("baselines: global mean, biases only and popularity; see train.summary.csv");
	}
	const char *name = model_ops_of(c->kind)->name;
	for (int j = 0; !err && j < r->n_members; j++) {
		struct model *mp[1] = {&r->members[j]};
		char mem[16];
		snprintf(mem, sizeof mem, "%d", j);
		err = eval_valid(mp, 1, &r->d, c->rank_k, c->relevant, c->threads, &e);
		if (!err)
			summary_row(of.fp, name, mem, &e, c->rank_k);
	}
	if (!err && r->n_members > 1) {
		struct model *mp[9];
		for (int j = 0; j < r->n_members; j++)
			mp[j] = &r->members[j];
		err = eval_valid(mp, r->n_members, &r->d, c->rank_k, c->relevant, c->threads, &e);
		if (!err)
			summary_row(of.fp, name, "mean", &e, c->rank_k);
	}
	if (!err)
		log_result(r->n_members > 1 ? "the ensemble" : name, &e, global, biases);
	if (!err && !(e.ndcg > pop.ndcg))
		log_warn("%s does not beat the popularity baseline on ranking: NDCG@%u %.4f against "
			 "%.4f, precision@%u %.4f against %.4f (train.summary.csv)",
			 name, c->rank_k, e.ndcg, pop.ndcg, c->rank_k, e.precision, pop.precision);
	model_free(&base);
	return err;
}

static int write_predictions(struct run *r)
{
	const struct glr *g = r->d.g;
	struct outfile of = r->out[OUT_PREDS];
	int err = 0;
	size_t cap = r->d.max_row ? r->d.max_row : 1;
	uint32_t *items = malloc(cap * sizeof *items);
	float *rating = malloc(cap * sizeof *rating), *pred = malloc(cap * sizeof *pred);
	float *one = malloc(cap * sizeof *one);
	if (!items || !rating || !pred || !one) {
		log_error("out of memory writing predictions");
		err = GL_ENOMEM;
		goto done;
	}
	keys_predictions_header(of.fp, &r->keys);
	for (uint64_t u = 0; u < r->d.n_users; u++) {
		size_t n = 0;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (tdata_is_valid(&r->d, k)) {
				items[n] = g->items[k];
				rating[n++] = glr_value(g, k);
			}
		if (!n)
			continue;
		for (int j = 0; j < r->n_members; j++) {
			struct model *m = &r->members[j];
			m->ops->predict(m, (uint32_t)u, items, n, j ? one : pred, NULL);
			for (size_t x = 0; j && x < n; x++)
				pred[x] += one[x];
		}
		for (size_t x = 0; x < n; x++)
			keys_prediction_row(of.fp, &r->keys, u, items[x], rating[x],
					    r->n_members > 1 ? pred[x] / (float)r->n_members : pred[x]);
	}
done:
	free(items);
	free(rating);
	free(pred);
	free(one);
	return err;
}

static int write_model(struct run *r)
{
	struct glm g = {0};
	char *path = join(r->dir, "model.glm");
	const char *to = NULL; /* the model's temporary in the set */
	int err = path ? cfg_hparams(r->c, &g.hparams) : GL_ENOMEM;
	for (int j = 0; !err && j < r->n_members; j++)
		err = model_to_glm(&r->members[j], (uint32_t)j, &g);
	/* What recommend and report check their inputs against. */
	keys_fill_source(&r->keys, &r->d, &g);
	if (err == GL_ENOMEM)
		log_error("out of memory writing the model");
	else if (!err && !(err = outfile_reserve(&r->out[OUT_MODEL], path, &to)))
		err = glm_save(&g, to);
	glm_free(&g);
	free(path);
	return err;
}

int trainer_run(const struct train_cfg *c, const char *path, const char *outdir)
{
	return trainer_run_keyed(c, path, NULL, NULL, outdir);
}

int trainer_run_keyed(const struct train_cfg *c, const char *path, const char *users,
		      const char *items, const char *outdir)
{
	struct run r = {.c = c};
	struct glr g;
	int err = glr_open(&g, path, 0);
	if (err)
		return err;
	r.dir = strdup(outdir);
	err = r.dir ? tdata_init(&r.d, &g, path) : GL_ENOMEM;
	if (!err)
		log_info("%s: %" PRIu64 " users, %" PRIu64 " items, %" PRIu64
			 " training and %" PRIu64 " validation ratings",
			 path, r.d.n_users, r.d.n_items, r.d.n_train, r.d.n_valid);
	/* the minibatch models read the ratings in shuffled order (data.h) */
	if (!err && model_ops_of(c->kind)->fwdbwd)
		err = tdata_hot(&r.d, TDATA_HOT_MIN);
	if (!err && r.d.n_users > UINT32_MAX - 1) {
		log_error("%s: more than %u users", path, UINT32_MAX - 1);
		err = GL_ELIMIT;
	}
	if (!err)
		err = keys_load(&r.keys, &r.d, users, items);
	if (!err)
		decay_advise(c, &r.d);
	if (!err)
		err = outfile_mkdirs(outdir);
	if (!err)
		err = open_out(&r.out[OUT_METRICS], outdir, "metrics.csv");
	if (!err)
		err = open_out(&r.out[OUT_SUMMARY], outdir, "train.summary.csv");
	if (!err)
		err = open_out(&r.out[OUT_PREDS], outdir, "predictions.csv");
	if (!err)
		metrics_header(&r);
	for (uint32_t j = 0; !err && j < c->ensemble; j++)
		err = train_member(&r, j);
	if (!err)
		err = write_summary(&r);
	if (!err)
		err = write_predictions(&r);
	if (!err)
		err = write_model(&r);
	/* the model and the tables together, so a failed run changes none */
	if (err)
		outfile_abort_set(r.out, OUT_N);
	else
		err = outfile_commit_set(r.out, OUT_N);
	for (int j = 0; j < r.n_members; j++)
		model_free(&r.members[j]);
	keys_free(&r.keys);
	tdata_free(&r.d);
	glr_close(&g);
	free(r.dir);
	return err;
}
