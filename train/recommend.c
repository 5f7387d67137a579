#include "recommend.h"

#include "err.h"
#include "log.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int rec_open(struct recsys *s, const char *model_path, const char *ratings_path)
{
	memset(s, 0, sizeof *s);
	int err = glm_load(&s->g, model_path);
	if (err)
		return err;
	s->n_users = s->g.n_users;
	s->n_items = s->g.n_items;
	s->n_members = model_glm_members(&s->g);
	if (s->n_members > 9)
		s->n_members = 9;
	for (uint32_t j = 0; !err && j < s->n_members; j++)
		err = model_from_glm(&s->m[j], &s->g, j, model_path);
	s->trained = malloc((s->n_items + 1) * sizeof *s->trained);
	if (!err && !s->trained) {
		log_error("out of memory");
		err = GL_ENOMEM;
	}
	for (uint64_t i = 0; !err && i < s->n_items; i++)
		s->trained[i] = 1;
	if (!err && ratings_path) {
		err = glr_open(&s->r, ratings_path, 0);
		s->have_r = !err;
		if (!err && (s->r.n_users != s->n_users || s->r.n_items != s->n_items)) {
			log_error("%s has %llu users and %llu items but %s was trained on %llu and %llu",
				  ratings_path, (unsigned long long)s->r.n_users,
				  (unsigned long long)s->r.n_items, model_path,
				  (unsigned long long)s->n_users, (unsigned long long)s->n_items);
			err = GL_EFORMAT;
		}
		if (!err) {
			memset(s->trained, 0, s->n_items * sizeof *s->trained);
			for (uint64_t k = 0; k < s->r.n_ratings; k++)
				if (!glr_bit(s->r.split, k))
					s->trained[s->r.items[k]]++;
		}
	}
	if (err)
		rec_close(s);
	return err;
}

void rec_close(struct recsys *s)
{
	for (uint32_t j = 0; j < 9; j++)
		model_free(&s->m[j]);
	glm_free(&s->g);
	if (s->have_r)
		glr_close(&s->r);
	free(s->trained);
	memset(s, 0, sizeof *s);
}

int rec_is_factor(const struct recsys *s)
{
	return s->m[0].P && s->m[0].Q && s->m[0].bu && s->m[0].bi;
}

/* Turn raw scores s (mu + b_u + b_i + p.q) into ratings. */
static void link_row(const struct model *m, float *row, uint64_t n)
{
	const float *cw = m->cw ? m->cw->w : NULL, *cb = m->cb ? m->cb->w : NULL;
	for (uint64_t i = 0; i < n; i++)
		row[i] = model_link(m, row[i], cw, cb, NULL);
}

/* out (n x n_items) = the member's ratings for the user rows in P. */
static void factor_block(const struct model *m, const float *P, const float *bu, size_t n,
			 float *out)
{
	uint64_t ni = m->n_items;
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)ni, (int)m->k, 1.0f, P,
		    (int)m->k, m->Q->w, (int)m->k, 0.0f, out, (int)ni);
	for (size_t r = 0; r < n; r++) {
		float *row = out + r * ni;
		for (uint64_t i = 0; i < ni; i++)
			row[i] += m->mu + bu[r] + m->bi->w[i];
		link_row(m, row, ni);
	}
}

int rec_score_users(const struct recsys *s, const uint32_t *users, size_t n, float *out)
{
	uint64_t ni = s->n_items;
	float *tmp = s->n_members > 1 ? malloc(n * ni * sizeof *tmp) : NULL;
	uint32_t *all = malloc((ni ? ni : 1) * sizeof *all);
	float *P = NULL, *bu = malloc(n * sizeof *bu);
	if ((s->n_members > 1 && !tmp) || !all || !bu)
		goto nomem;
	for (uint64_t i = 0; i < ni; i++)
		all[i] = (uint32_t)i;
	for (uint32_t j = 0; j < s->n_members; j++) {
		const struct model *m = &s->m[j];
		float *dst = j ? tmp : out;
		if (rec_is_factor(s)) {
			free(P);
			if (!(P = malloc(n * m->k * sizeof *P + 1)))
				goto nomem;
			for (size_t r = 0; r < n; r++) {
				memcpy(P + r * m->k, m->P->w + (size_t)users[r] * m->k, m->k * sizeof *P);
				bu[r] = m->bu->w[users[r]];
			}
			factor_block(m, P, bu, n, dst);
		} else {
			for (size_t r = 0; r < n; r++)
				m->ops->predict(m, users[r], all, ni, dst + r * ni, NULL);
		}
		for (uint64_t x = 0; j && x < n * ni; x++)
			out[x] += tmp[x];
	}
	for (uint64_t x = 0; s->n_members > 1 && x < n * ni; x++)
		out[x] /= (float)s->n_members;
	free(tmp);
	free(all);
	free(P);
	free(bu);
	return 0;
nomem:
	free(tmp);
	free(all);
	free(P);
	free(bu);
	log_error("out of memory scoring %zu users", n);
	return GL_ENOMEM;
}

void rec_score_folded(const struct recsys *s, const float *p, const float *b, float *out)
{
	uint64_t ni = s->n_items;
	for (uint64_t i = 0; i < ni; i++)
		out[i] = 0;
	for (uint32_t j = 0; j < s->n_members; j++) {
		const struct model *m = &s->m[j];
		for (uint64_t i = 0; i < ni; i++) {
			double sc = (double)m->mu + b[j] + m->bi->w[i];
			const float *q = m->Q->w + i * m->k, *pj = p + (size_t)j * m->k;
			for (uint32_t f = 0; f < m->k; f++)
				sc += pj[f] * q[f];
			out[i] += model_link(m, sc, m->cw ? m->cw->w : NULL, m->cb ? m->cb->w : NULL,
					     NULL) / (float)s->n_members;
		}
	}
}

void rec_score_bias(const struct recsys *s, float *out)
{
	uint64_t ni = s->n_items;
	if (!rec_is_factor(s)) {
		for (uint64_t i = 0; i < ni; i++)
			out[i] = (float)s->trained[i];
		return;
	}
	for (uint64_t i = 0; i < ni; i++)
		out[i] = 0;
	for (uint32_t j = 0; j < s->n_members; j++) {
		const struct model *m = &s->m[j];
		for (uint64_t i = 0; i < ni; i++)
			out[i] += model_link(m, (double)m->mu + m->bi->w[i], m->cw ? m->cw->w : NULL,
					     m->cb ? m->cb->w : NULL, NULL) /
				  (float)s->n_members;
	}
}

/* Heap order: the worst hit at the root. */
static int worse(const struct rec_hit *a, const struct rec_hit *b)
{
	return a->score < b->score || (a->score == b->score && a->item > b->item);
}

static void sift_down(struct rec_hit *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		if (l < n && worse(&h[l], &h[w]))
			w = l;
		if (r < n && worse(&h[r], &h[w]))
			w = r;
		if (w == i)
			return;
		struct rec_hit t = h[i];
		h[i] = h[w];
		h[w] = t;
		i = w;
	}
}

static int by_rank(const void *a, const void *b)
{
	return worse(a, b) ? 1 : worse(b, a) ? -1 : 0;
}

size_t rec_top(const struct recsys *s, const float *score, const uint8_t *skip, size_t N,
	       struct rec_hit *out)
{
	size_t n = 0;
	if (N == 0)
		return 0;
	for (uint64_t i = 0; i < s->n_items; i++) {
		if ((skip && skip[i]) || !s->trained[i])
			continue;
		struct rec_hit h = {(uint32_t)i, score[i]};
		if (n < N) {
			out[n++] = h;
			if (n == N)
				for (size_t x = N / 2 + 1; x-- > 0;)
					sift_down(out, n, x);
		} else if (worse(&out[0], &h)) {
			out[0] = h;
			sift_down(out, n, 0);
		}
	}
	qsort(out, n, sizeof *out, by_rank);
	return n;
}

void rec_mark_seen(const struct recsys *s, uint32_t u, uint8_t *skip, uint8_t value)
{
	if (!s->have_r || u >= s->r.n_users)
		return;
	for (uint64_t k = s->r.rowptr[u]; k < s->r.rowptr[u + 1]; k++)
		skip[s->r.items[k]] = value;
}

int rec_cosine(const struct recsys *s, uint32_t item, float *out)
{
	const struct model *m = &s->m[0];
	if (!m->Q) {
		log_error("the model has no item factors");
		return GL_EUSAGE;
	}
	uint32_t k = m->Q->cols;
	const float *q = m->Q->w + (size_t)item * k;
	cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)s->n_items, (int)k, 1.0f, m->Q->w, (int)k, q, 1,
		    0.0f, out, 1);
	double nq = cblas_snrm2((int)k, q, 1);
	for (uint64_t i = 0; i < s->n_items; i++) {
		double ni = cblas_snrm2((int)k, m->Q->w + i * k, 1);
		out[i] = ni > 0 && nq > 0 ? (float)(out[i] / (ni * nq)) : 0;
	}
	return 0;
}
