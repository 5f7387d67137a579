#include "recommend.h"

#include "err.h"
#include "log.h"
#include "model_file.h"
#include "score.h"

#include <cblas.h>
#include <inttypes.h>
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
			log_error("%s has %" PRIu64 " users and %" PRIu64
				  " items but %s was trained on %" PRIu64 " and %" PRIu64,
				  ratings_path, (uint64_t)s->r.n_users, (uint64_t)s->r.n_items,
				  model_path, (uint64_t)s->n_users, (uint64_t)s->n_items);
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
	return score_is_factor(&s->m[0]);
}

/* The members as score.h takes them. */
static void members(const struct recsys *s, struct model **ms)
{
	for (uint32_t j = 0; j < s->n_members; j++)
		ms[j] = (struct model *)&s->m[j];
}

int rec_score_users(const struct recsys *s, const uint32_t *users, size_t n, float *out)
{
	struct model *ms[9];
	struct score_buf b = {0};
	members(s, ms);
	int err = score_users(ms, s->n_members, users, n, 0, s->n_items, out, &b);
	score_buf_free(&b);
	if (err)
		log_error("out of memory scoring %zu users", n);
	return err;
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
	struct model *ms[9];
	members(s, ms);
	score_bias(ms, s->n_members, s->trained, 0, s->n_items, out);
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

void rec_mark_trained(const struct recsys *s, uint32_t u, uint8_t *skip, uint8_t value)
{
	if (!s->have_r || u >= s->r.n_users)
		return;
	for (uint64_t k = s->r.rowptr[u]; k < s->r.rowptr[u + 1]; k++)
		if (!glr_bit(s->r.split, k))
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
