/* Training and biases: how the model learned, and what its biases say. */
#include "page_train.h"

#include "html.h"
#include "svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_name[] = {"dot (fastai EmbeddingDotBias)", "mf (biased MF, SGD)",
					"als (alternating least squares)", "nn (fastai EmbeddingNN)",
					"bpmf (Bayesian MF, Gibbs sampling; posterior means)"};

static void row2(FILE *f, const char *k, const char *v)
{
	fputs("<tr>", f);
	pg_td(f, k, 60);
	pg_td(f, v, 120);
	fputs("</tr>\n", f);
}

/* The value of hparams key (NUL-terminated copy into out), or "" when the
 * model file has no such line. */
static const char *hp_value(const char *hp, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key);
	out[0] = 0;
	for (const char *p = hp ? hp : ""; *p;) {
		size_t len = strcspn(p, "\n");
		if (len > kl && p[kl] == '=' && !strncmp(p, key, kl)) {
			size_t n = len - kl - 1 < cap - 1 ? len - kl - 1 : cap - 1;
			memcpy(out, p + kl + 1, n);
			out[n] = 0;
			break;
		}
		p += len + (p[len] == '\n');
	}
	return out;
}

static int key_is(const char *p, size_t len, const char *key)
{
	return strlen(key) == len && !strncmp(p, key, len);
}

/* Does the trainer's setting p[0..len) (an hparams key) act on this model?
 * The model file records every knob whatever the model; a person reading
 * "layers 100" beside a dot model would think it has layers.  Keys this
 * report does not know are shown. */
static int hp_applies(const struct glm *m, const char *p, size_t len, const char *opt,
		      const char *sched)
{
	int dot = m->kind == GLM_DOT, nn = m->kind == GLM_NN, mf = m->kind == GLM_MF;
	int minibatch = dot || nn, adam = minibatch && !strcmp(opt, "adam");
	int one_cycle = (minibatch || mf) && !strcmp(sched, "one-cycle");
	/* in the rows above: the model, its factors, loss and output range */
	if (key_is(p, len, "model") || key_is(p, len, "factors") || key_is(p, len, "loss") ||
	    key_is(p, len, "y_range"))
		return 0;
	if (key_is(p, len, "bs") || key_is(p, len, "accum") || key_is(p, len, "optimizer") ||
	    key_is(p, len, "update"))
		return minibatch;
	if (key_is(p, len, "lr") || key_is(p, len, "schedule"))
		return minibatch || mf; /* als solves, it has no step */
	if (key_is(p, len, "mom")) /* Adam's beta1 when no one-cycle schedule moves it */
		return adam && !one_cycle;
	if (key_is(p, len, "moms"))
		return adam && one_cycle;
	if (key_is(p, len, "beta2") || key_is(p, len, "eps"))
		return adam;
	if (key_is(p, len, "div") || key_is(p, len, "div_final") || key_is(p, len, "pct_start"))
		return one_cycle;
	if (key_is(p, len, "adaptive"))
		return mf;
	if (key_is(p, len, "bn") || key_is(p, len, "layers"))
		return nn;
	return 1;
}

static void hyper(FILE *f, const struct report *r)
{
	const struct glm *m = &r->in.model;
	struct num n, a;
	char tmp[160], opt[32], sched[32];
	fputs("<h3>The model</h3>\n<table>\n<tr><th>setting</th><th>value</th></tr>\n", f);
	row2(f, "model", m->kind < GLM_KINDS ? kind_name[m->kind] : "?");
	row2(f, "loss", m->loss == GLM_CE ? "ce (one class per rating value)" : "mse");
	snprintf(tmp, sizeof tmp, "%u", m->factors);
	row2(f, "factors", tmp);
	if (m->kind == GLM_MF || m->kind == GLM_ALS) /* dot's and nn's biases absorb it */
		row2(f, "global mean", num_fix(&n, m->global_mean, 4));
	if (m->y_lo < m->y_hi) {
		snprintf(tmp, sizeof tmp, "%s to %s", num_sig(&n, m->y_lo, 3), num_sig(&a, m->y_hi, 3));
		row2(f, "output range (sigmoid_range)", tmp);
	} else if (m->loss != GLM_CE && m->n_classes) {
		double hi = m->class_lo + (double)(m->n_classes - 1) * m->class_step;
		snprintf(tmp, sizeof tmp, "linear, clipped to %s to %s",
			 num_sig(&n, m->class_lo, 3), num_sig(&a, hi, 3));
		row2(f, "output", tmp);
	}
	/* hparams: key=value lines written by the trainer, those that act on
	 * this model */
	hp_value(m->hparams, "optimizer", opt, sizeof opt);
	hp_value(m->hparams, "schedule", sched, sizeof sched);
	for (const char *p = m->hparams ? m->hparams : ""; *p;) {
		size_t len = strcspn(p, "\n"), eq = strcspn(p, "=");
		if (len && eq < len && hp_applies(m, p, eq, opt, sched)) {
			fputs("<tr><td>", f);
			html_textn(f, p, eq);
			fputs("</td><td>", f);
			html_textn(f, p + eq + 1, len - eq - 1);
			fputs("</td></tr>\n", f);
		}
		p += len + (p[len] == '\n');
	}
	fputs("</table>\n", f);
	/* an ensemble stores members 1.. as "m<j>.<tensor>" beside member 0 */
	int members = 1;
	for (int i = 0; i < m->n_tensors; i++)
		if (m->t[i].name[0] == 'm' && m->t[i].name[1] >= '1' && m->t[i].name[1] <= '9' &&
		    m->t[i].name[2] == '.' && m->t[i].name[1] - '0' + 1 > members)
			members = m->t[i].name[1] - '0' + 1;
	if (members > 1)
		fprintf(f, "<p>The model is an ensemble of %d members; the biases, the map, the "
			   "neighbours and the recommendations below use member 0.</p>\n",
			members);
}

/* The rows of metrics.csv that form one run: with a member column (an
 * ensemble), those of the first member. */
static size_t run_rows(const struct csvtab *t, size_t *rows)
{
	int cm = csvtab_col(t, "member");
	size_t n = 0;
	for (size_t i = 0; i < t->nrow; i++)
		if (cm < 0 || !strcmp(csvtab_get(t, i, cm), csvtab_get(t, 0, cm)))
			rows[n++] = i;
	return n;
}

static void curves(FILE *f, const struct report *r)
{
	const struct csvtab *t = &r->in.metrics;
	fputs("<h3>Loss per epoch</h3>\n", f);
	if (!REP_HAVE(*t)) {
		pg_missing(f, "metrics.csv", "goodlens-train");
		return;
	}
	size_t *rows = malloc((t->nrow ? t->nrow : 1) * sizeof *rows);
	double *x = malloc((t->nrow ? t->nrow : 1) * sizeof *x);
	double *tr = malloc((t->nrow ? t->nrow : 1) * sizeof *tr);
	double *va = malloc((t->nrow ? t->nrow : 1) * sizeof *va);
	double *rm = malloc((t->nrow ? t->nrow : 1) * sizeof *rm);
	if (!rows || !x || !tr || !va || !rm)
		goto done;
	size_t n = run_rows(t, rows);
	int ce = csvtab_col(t, "epoch"), ct = csvtab_col(t, "train_loss"),
	    cv = csvtab_col(t, "valid_loss"), cr = csvtab_col(t, "valid_rmse");
	for (size_t i = 0; i < n; i++) {
		if (!csvtab_num(t, rows[i], ce, &x[i]))
			x[i] = (double)i + 1;
		if (!csvtab_num(t, rows[i], ct, &tr[i]))
			tr[i] = NAN;
		if (!csvtab_num(t, rows[i], cv, &va[i]))
			va[i] = NAN;
		if (!csvtab_num(t, rows[i], cr, &rm[i]))
			rm[i] = NAN;
	}
	if (!n) {
		fputs("<p class=\"missing\"><code>metrics.csv</code> has no rows.</p>\n", f);
		goto done;
	}
	struct svg_series s[2] = {{"training loss", x, tr, n}, {"validation loss", x, va, n}};
	struct svg_line lc = {"Training and validation loss per epoch", "epoch", "loss", s, 2, 1};
	fputs("<div class=\"two\">\n<figure>\n", f);
	svg_line_chart(f, &lc);
	fputs("<figcaption>Loss on the training and the validation ratings after each "
	      "epoch.</figcaption>\n</figure>\n",
	      f);
	struct svg_series sr = {"validation RMSE", x, rm, n};
	struct svg_line lr = {"Validation RMSE per epoch", "epoch", "RMSE (stars)", &sr, 1, 1};
	fputs("<figure>\n", f);
	svg_line_chart(f, &lr);
	fputs("<figcaption>Root mean squared error of the predictions on the validation "
	      "set, in rating units.</figcaption>\n</figure>\n</div>\n",
	      f);
	if (csvtab_col(t, "member") >= 0)
		fputs("<p>metrics.csv holds several ensemble members; the charts show the "
		      "first.</p>\n",
		      f);
	/* the numbers too, for a person who wants them */
	fputs("<table>\n<tr>", f);
	for (size_t c = 0; c < t->ncol; c++) {
		fputs("<th class=\"num\">", f);
		html_text(f, t->head[c]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (size_t i = 0; i < t->nrow && i < 200; i++) {
		fputs("<tr>", f);
		for (size_t c = 0; c < t->ncol; c++) {
			double v;
			struct num nb;
			if (csvtab_num(t, i, (int)c, &v))
				pg_td_num(f, v == floor(v) && fabs(v) < 1e15 ? num_fix(&nb, v, 0)
									      : num_fix(&nb, v, 4));
			else
				pg_td(f, csvtab_get(t, i, (int)c), 30);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
done:
	free(rows);
	free(x);
	free(tr);
	free(va);
	free(rm);
}

/* The row of train.summary.csv holding the trained model's result: the
 * ensemble's mean, else the first row that is not a baseline; -1 if none. */
static long model_row(const struct csvtab *t)
{
	int cm = csvtab_col(t, "model"), cb = csvtab_col(t, "member");
	long first = -1;
	for (size_t i = 0; i < t->nrow; i++) {
		const char *name = csvtab_get(t, i, cm);
		if (!*name || !strcmp(name, "global_mean") || !strcmp(name, "biases") ||
		    !strcmp(name, "popularity"))
			continue;
		if (!strcmp(csvtab_get(t, i, cb), "mean"))
			return (long)i;
		if (first < 0)
			first = (long)i;
	}
	return first;
}

/* Say it plainly when the model is no better than a bias per user and per
 * item: the table alone leaves that to a careful reader. */
static void verdict(FILE *f, const struct csvtab *t)
{
	int cm = csvtab_col(t, "model"), crm = csvtab_col(t, "rmse");
	long mr = model_row(t);
	double mv, bv = NAN;
	for (size_t i = 0; i < t->nrow; i++)
		if (!strcmp(csvtab_get(t, i, cm), "biases") && !csvtab_num(t, i, crm, &bv))
			bv = NAN;
	if (mr < 0 || !csvtab_num(t, (size_t)mr, crm, &mv) || !isfinite(bv) || mv < bv)
		return;
	struct num a, b;
	fputs("<p class=\"warn\"><strong>The ", f);
	html_text(f, csvtab_get(t, (size_t)mr, cm));
	fprintf(f, " model does not beat the biases-only baseline</strong>: its validation RMSE "
		   "is %s against %s for a bias per user and per item alone. On these data, what "
		   "it learns beyond the biases does not make its predictions better. More "
		   "regularisation, fewer factors, early stopping (<code>--patience</code>) or "
		   "another model may (<code>goodlens-train --help</code>).</p>\n",
		num_fix(&a, mv, 4), num_fix(&b, bv, 4));
}

static void summary(FILE *f, const struct report *r)
{
	const struct csvtab *t = &r->in.summary;
	static const char *const cols[] = {"rmse", "mae", "accuracy", "precision_at_k",
					   "recall_at_k", "ndcg_at_k"};
	static const char *const heads[] = {"RMSE", "MAE", "accuracy", "precision@k",
					    "recall@k", "NDCG@k"};
	fputs("<h3>Final accuracy against the baselines</h3>\n", f);
	if (!REP_HAVE(*t)) {
		pg_missing(f, "train.summary.csv", "goodlens-train");
		return;
	}
	/* the best RMSE row is bold */
	int crm = csvtab_col(t, "rmse");
	size_t best = (size_t)-1;
	double bv = INFINITY, v;
	for (size_t i = 0; i < t->nrow; i++)
		if (csvtab_num(t, i, crm, &v) && v < bv) {
			bv = v;
			best = i;
		}
	int has[6];
	fputs("<table>\n<tr><th>model</th><th>member</th>", f);
	for (int c = 0; c < 6; c++) {
		has[c] = 0;
		for (size_t i = 0; i < t->nrow; i++)
			has[c] |= csvtab_num(t, i, csvtab_col(t, cols[c]), &v);
		if (has[c])
			fprintf(f, "<th class=\"num\">%s</th>", heads[c]);
	}
	fputs("<th class=\"num\">k</th></tr>\n", f);
	for (size_t i = 0; i < t->nrow; i++) {
		struct num nb;
		fputs(i == best ? "<tr class=\"best\">" : "<tr>", f);
		pg_td(f, csvtab_get(t, i, csvtab_col(t, "model")), 40);
		pg_td(f, csvtab_get(t, i, csvtab_col(t, "member")), 20);
		for (int c = 0; c < 6; c++) {
			if (!has[c])
				continue;
			pg_td_num(f, csvtab_num(t, i, csvtab_col(t, cols[c]), &v) ? num_fix(&nb, v, 4)
										 : "-");
		}
		pg_td_num(f, csvtab_num(t, i, csvtab_col(t, "k"), &v) ? num_fix(&nb, v, 0) : "-");
		fputs("</tr>\n", f);
	}
	fputs("</table>\n<p>The global-mean baseline predicts the mean training rating for "
	      "everything; the biases-only baseline adds a bias per user and per item. The "
	      "ranking metrics count an item as relevant at the trainer's threshold.</p>\n",
	      f);
	verdict(f, t);
}

void page_training(FILE *f, const struct report *r)
{
	pg_section(f, "training", "Training");
	if (r->in.have_model)
		hyper(f, r);
	else
		pg_missing(f, "model.glm", "goodlens-train");
	curves(f, r);
	summary(f, r);
	pg_end_section(f);
}

static void bias_table(FILE *f, const struct report *r, const char *caption, int lowest)
{
	const struct biases *b = &r->b;
	uint32_t shown = 0;
	fprintf(f, "<div>\n<h3>%s</h3>\n<table>\n<tr><th class=\"num\">#</th><th>title</th>"
		   "<th class=\"num\">bias</th><th class=\"num\">mean rating</th>"
		   "<th class=\"num\">ratings</th></tr>\n",
		caption);
	for (uint64_t k = 0; k < b->n && shown < r->o->list_n; k++) {
		uint32_t i = b->by_bias[lowest ? b->n - 1 - k : k];
		struct num nb, nm, nn;
		if (r->c.item_n[i] < r->o->min_ratings)
			continue;
		shown++;
		fprintf(f, "<tr><td class=\"num\">%u</td>", shown);
		pg_td_item(f, r, i, 70);
		pg_td_num(f, num_fix(&nb, b->bias[i], 3));
		pg_td_num(f, num_fix(&nm, r->c.item_mean[i], 2));
		pg_td_num(f, num_int(&nn, r->c.item_n[i]));
		fputs("</tr>\n", f);
	}
	fputs("</table>\n</div>\n", f);
}

void page_biases(FILE *f, const struct report *r)
{
	const struct biases *b = &r->b;
	struct num a, n, m;
	pg_section(f, "biases", "Item biases: liked beyond what the factors explain");
	if (!r->in.have_model) {
		pg_missing(f, "model.glm", "goodlens-train");
		pg_end_section(f);
		return;
	}
	if (!b->n) {
		fputs("<p class=\"missing\">model.glm has no <code>item_bias</code> tensor of one "
		      "value per item.</p>\n",
		      f);
		pg_end_section(f);
		return;
	}
	fputs("<p>A low bias means the model thinks an item is disliked even by people whose "
	      "tastes match it; a high bias, that people like it even when it is not their kind "
	      "of thing. ",
	      f);
	if (isfinite(b->spearman))
		fprintf(f, "Sorting by bias and sorting by mean rating agree with Spearman's "
			   "&rho; = %s over the %s items with ratings",
			num_fix(&a, b->spearman, 3), num_int(&n, r->c.items_rated));
	else
		fputs("Too few items have ratings to compare the two orders", f);
	fprintf(f, ": <a href=\"biases.csv\">biases.csv</a> has both ranks for every item. Lists "
		   "below leave out items with fewer than %s ratings.</p>\n<div class=\"two\">\n",
		num_int(&m, r->o->min_ratings));
	bias_table(f, r, "Lowest bias", 1);
	bias_table(f, r, "Highest bias", 0);
	fputs("</div>\n", f);
	pg_end_section(f);
}
