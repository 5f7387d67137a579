#include "metrics.h"

#include "err.h"
#include "log.h"
#include "threads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct part {
	double loss, se, ae, hits, prec, rec, ndcg;
	uint64_t n, users;
	int err;
};

struct eval_job {
	struct model *const *members;
	int n_members;
	const struct tdata *d;
	uint32_t rank_k;
	double relevant;
	struct part *parts;
};

struct rank_ctx {
	const float *pred;
	const uint32_t *items;
};

static int by_pred(const void *a, const void *b, void *arg)
{
	const struct rank_ctx *c = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (c->pred[x] != c->pred[y])
		return c->pred[x] > c->pred[y] ? -1 : 1;
	return c->items[x] < c->items[y] ? -1 : c->items[x] > c->items[y];
}

int eval_rank_user(const float *pred, const float *rating, const uint32_t *items, size_t n,
		   uint32_t k, double relevant, uint32_t *order, double *prec, double *rec,
		   double *ndcg)
{
	size_t n_rel = 0;
	for (size_t j = 0; j < n; j++)
		n_rel += rating[j] >= relevant;
	if (n_rel == 0)
		return 0;
	for (size_t j = 0; j < n; j++)
		order[j] = (uint32_t)j;
	struct rank_ctx c = {pred, items};
	qsort_r(order, n, sizeof *order, by_pred, &c);
	size_t top = n < k ? n : k;
	double hits = 0, dcg = 0, idcg = 0;
	for (size_t r = 0; r < top; r++) {
		double disc = 1 / log2((double)r + 2);
		if (rating[order[r]] >= relevant) {
			hits++;
			dcg += disc;
		}
		if (r < n_rel)
			idcg += disc;
	}
	*prec += hits / (double)top;
	*rec += hits / (double)n_rel;
	*ndcg += dcg / idcg;
	return 1;
}

static void eval_part(void *arg, uint32_t t, uint32_t nt)
{
	struct eval_job *j = arg;
	const struct tdata *d = j->d;
	const struct glr *g = d->g;
	struct part *p = &j->parts[t];
	const struct model *m0 = j->members[0];
	int ce = m0->loss == GLM_CE;
	uint32_t nc = ce ? m0->n_classes : 1;
	size_t cap = d->max_row ? d->max_row : 1;
	uint32_t *items = malloc(cap * sizeof *items), *order = malloc(cap * sizeof *order);
	float *rating = malloc(cap * sizeof *rating), *pred = malloc(cap * sizeof *pred);
	float *one = malloc(cap * sizeof *one);
	float *prob = ce ? malloc(cap * nc * sizeof *prob) : NULL;
	float *pone = ce ? malloc(cap * nc * sizeof *pone) : NULL;
	if (!items || !order || !rating || !pred || !one || (ce && (!prob || !pone))) {
		p->err = GL_ENOMEM;
		goto done;
	}
	uint64_t lo, hi;
	threads_share(d->n_users, t, nt, &lo, &hi);
	for (uint64_t u = lo; u < hi; u++) {
		size_t n = 0;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (tdata_is_valid(d, k)) {
				items[n] = g->items[k];
				rating[n++] = glr_value(g, k);
			}
		if (!n)
			continue;
		for (int mi = 0; mi < j->n_members; mi++) {
			const struct model *m = j->members[mi];
			float *dst = mi ? one : pred, *pdst = mi ? pone : prob;
			m->ops->predict(m, (uint32_t)u, items, n, dst, pdst);
			if (mi) {
				for (size_t x = 0; x < n; x++)
					pred[x] += one[x];
				for (size_t x = 0; ce && x < n * nc; x++)
					prob[x] += pone[x];
			}
		}
		if (j->n_members > 1) {
			float inv = 1.0f / (float)j->n_members;
			for (size_t x = 0; x < n; x++)
				pred[x] *= inv;
			for (size_t x = 0; ce && x < n * nc; x++)
				prob[x] *= inv;
		}
		for (size_t x = 0; x < n; x++) {
			const float *px = ce ? prob + x * nc : NULL;
			double e = (double)pred[x] - rating[x];
			p->loss += model_loss1(m0, pred[x], px, rating[x]);
			p->se += e * e;
			p->ae += fabs(e);
			uint32_t want = tdata_class(d, rating[x]), got;
			if (ce) {
				got = 0;
				for (uint32_t c = 1; c < nc; c++)
					if (px[c] > px[got])
						got = c;
			} else {
				got = tdata_class(d, pred[x]);
			}
			p->hits += got == want;
		}
		p->n += n;
		if (j->rank_k)
			p->users += (uint64_t)eval_rank_user(pred, rating, items, n, j->rank_k,
							     j->relevant, order, &p->prec, &p->rec,
							     &p->ndcg);
	}
done:
	free(items);
	free(order);
	free(rating);
	free(pred);
	free(one);
	free(prob);
	free(pone);
}

int eval_valid(struct model *const *members, int n_members, const struct tdata *d,
	       uint32_t rank_k, double relevant, uint32_t threads, struct evalres *r)
{
	struct part *parts = calloc(threads, sizeof *parts);
	if (!parts) {
		log_error("out of memory for the evaluation");
		return GL_ENOMEM;
	}
	struct eval_job j = {members, n_members, d, rank_k, relevant, parts};
	threads_run(threads, eval_part, &j);
	struct part s = {0};
	int err = 0;
	for (uint32_t t = 0; t < threads; t++) {
		s.loss += parts[t].loss;
		s.se += parts[t].se;
		s.ae += parts[t].ae;
		s.hits += parts[t].hits;
		s.prec += parts[t].prec;
		s.rec += parts[t].rec;
		s.ndcg += parts[t].ndcg;
		s.n += parts[t].n;
		s.users += parts[t].users;
		if (parts[t].err)
			err = parts[t].err;
	}
	free(parts);
	if (err) {
		log_error("out of memory for the evaluation");
		return err;
	}
	memset(r, 0, sizeof *r);
	r->n = s.n;
	r->rank_users = s.users;
	double n = s.n ? (double)s.n : NAN, nu = s.users ? (double)s.users : NAN;
	r->loss = s.loss / n;
	r->rmse = sqrt(s.se / n);
	r->mae = s.ae / n;
	r->accuracy = s.hits / n;
	r->precision = s.prec / nu;
	r->recall = s.rec / nu;
	r->ndcg = s.ndcg / nu;
	return 0;
}
