#include "train_metrics.h"

#include "clock.h"
#include "err.h"
#include "log.h"
#include "model_bias.h"
#include "score.h"
#include "threads.h"

#include <cblas.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct part {
	double loss, se, ae, hits;
	uint64_t n;
	int err;
};

struct eval_job {
	struct model *const *members;
	int n_members;
	const struct tdata *d;
	struct part *parts;
};

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
	uint32_t *items = malloc(cap * sizeof *items);
	float *rating = malloc(cap * sizeof *rating), *pred = malloc(cap * sizeof *pred);
	float *one = malloc(cap * sizeof *one);
	float *prob = ce ? malloc(cap * nc * sizeof *prob) : NULL;
	float *pone = ce ? malloc(cap * nc * sizeof *pone) : NULL;
	if (!items || !rating || !pred || !one || (ce && (!prob || !pone))) {
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
	}
done:
	free(items);
	free(rating);
	free(pred);
	free(one);
	free(prob);
	free(pone);
}

/* ---- ranking over the catalogue ------------------------------------------ */

#define RANK_BLOCK 256             /* users scored together: sgemm packs each
				    * chunk of items once for all of them */
#define RANK_CHUNK 1024            /* items per sgemm: a block's scores are 1 MiB */
#define RANK_SLACK (RANK_CHUNK / 16) /* a chunk of candidates spanning at most this
				    * many more ids is scored as a range, not gathered */
#define RANK_PAIRS (1ull << 30)    /* user x catalogue pairs ranked at most */

struct hit {
	float score;
	uint32_t item;
	float raw;                 /* the fast path's score before the link */
};

/* a ranks below b: a lower score, or the same score and a higher id. */
static int below(const struct hit *a, const struct hit *b)
{
	return a->score < b->score || (a->score == b->score && a->item > b->item);
}

/* A bounded heap of the best k hits, the worst at the root. */
static void heap_push(struct hit *h, uint32_t *n, uint32_t k, struct hit x)
{
	uint32_t i;
	if (*n < k) {
		for (i = (*n)++; i > 0 && below(&x, &h[(i - 1) / 2]); i = (i - 1) / 2)
			h[i] = h[(i - 1) / 2];
		h[i] = x;
		return;
	}
	if (!below(&h[0], &x))
		return;
	for (i = 0;;) {
		uint32_t l = 2 * i + 1, r = l + 1, w = i;
		const struct hit *wv = &x;
		if (l < k && below(&h[l], wv))
			w = l, wv = &h[l];
		if (r < k && below(&h[r], wv))
			w = r;
		if (w == i)
			break;
		h[i] = h[w];
		i = w;
	}
	h[i] = x;
}

static int by_rank(const void *a, const void *b)
{
	return below(a, b) ? 1 : below(b, a) ? -1 : 0;
}

struct rank_job {
	struct model *const *ms;   /* scored models, or NULL */
	uint32_t nm;
	const uint32_t *order;     /* else one order of the candidates for all users */
	uint64_t n_order;
	const struct tdata *d;
	const uint32_t *trained;   /* training ratings per item */
	const uint32_t *cand;      /* the items with a training rating, ascending */
	uint64_t n_cand;
	const uint32_t *cold;      /* models: the top list of a user without training ratings */
	uint32_t n_cold;
	const uint32_t *users;     /* the users ranked */
	uint64_t n_users;
	uint32_t k;
	double relevant;
	struct rank_part *parts;
};

struct rank_part {
	double prec, rec, ndcg, hit;
	uint64_t users;
	uint8_t *cov;              /* items in some top list */
	int err;
};

static int has_training(const struct tdata *d, uint32_t u)
{
	const struct glr *g = d->g;
	for (uint64_t x = g->rowptr[u]; x < g->rowptr[u + 1]; x++)
		if (!tdata_is_valid(d, x))
			return 1;
	return 0;
}

/* Score user u's top list (n items, best first) into p; rel is scratch of
 * n_items zero bytes, left zero. */
static void rank_score(const struct rank_job *j, uint32_t u, const uint32_t *top, uint32_t n,
		       uint8_t *rel, struct rank_part *p)
{
	const struct glr *g = j->d->g;
	uint64_t n_rel = 0;
	for (uint64_t x = g->rowptr[u]; x < g->rowptr[u + 1]; x++)
		if (tdata_is_valid(j->d, x) && glr_value(g, x) >= j->relevant && !rel[g->items[x]]) {
			rel[g->items[x]] = 1;
			n_rel++;
		}
	double hits = 0, dcg = 0, idcg = 0;
	for (uint32_t r = 0; r < n; r++) {
		p->cov[top[r]] = 1;
		if (rel[top[r]]) {
			hits++;
			dcg += 1 / log2((double)r + 2);
		}
	}
	for (uint64_t r = 0; r < j->k && r < n_rel; r++)
		idcg += 1 / log2((double)r + 2);
	for (uint64_t x = g->rowptr[u]; x < g->rowptr[u + 1]; x++)
		rel[g->items[x]] = 0;
	p->prec += hits / j->k;
	p->rec += hits / (double)n_rel;
	p->ndcg += dcg / idcg;
	p->hit += hits > 0;
	p->users++;
}

/* One order for every user: the first k candidates the user did not rate
 * in training. */
static void rank_by_order(const struct rank_job *j, uint32_t u, uint8_t *seen, uint32_t *top,
			  uint8_t *rel, struct rank_part *p)
{
	const struct glr *g = j->d->g;
	uint32_t n = 0;
	for (uint64_t x = g->rowptr[u]; x < g->rowptr[u + 1]; x++)
		if (!tdata_is_valid(j->d, x))
			seen[g->items[x]] = 1;
	for (uint64_t o = 0; o < j->n_order && n < j->k; o++)
		if (!seen[j->order[o]])
			top[n++] = j->order[o];
	for (uint64_t x = g->rowptr[u]; x < g->rowptr[u + 1]; x++)
		seen[g->items[x]] = 0;
	rank_score(j, u, top, n, rel, p);
}

struct rank_scratch {
	uint32_t *rated;           /* the block's users' training items, each user's ascending */
	uint64_t rated_cap, from[RANK_BLOCK + 1]; /* user r's: rated[from[r] .. from[r + 1]) */
	uint8_t *rel, *seen1;
	float *scores;
	struct hit *heaps;
	uint32_t *fill, *top, block[RANK_BLOCK];
	float base[RANK_BLOCK];    /* the fast path: mu + b_u of the block's users */
	struct score_buf sb;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* s->rated and s->from for the nb users of s->block; fill[] zeroed.  0 or
 * GL_ENOMEM. */
static int rated_lists(const struct rank_job *j, struct rank_scratch *s, uint32_t nb)
{
	const struct glr *g = j->d->g;
	uint64_t n = 0;
	for (uint32_t r = 0; r < nb; r++)
		n += g->rowptr[s->block[r] + 1] - g->rowptr[s->block[r]];
	if (n > s->rated_cap) {
		uint32_t *p = realloc(s->rated, n * sizeof *p);
		if (!p)
			return GL_ENOMEM;
		s->rated = p;
		s->rated_cap = n;
	}
	n = 0;
	for (uint32_t r = 0; r < nb; r++) {
		s->fill[r] = 0;
		s->from[r] = n;
		for (uint64_t x = g->rowptr[s->block[r]]; x < g->rowptr[s->block[r] + 1]; x++)
			if (!tdata_is_valid(j->d, x))
				s->rated[n++] = g->items[x];
		if (!(g->flags & GLR_SORTED))
			qsort(s->rated + s->from[r], n - s->from[r], sizeof *s->rated, cmp_u32);
	}
	s->from[nb] = n;
	return 0;
}

/* Whether block user r rated item i in training (a binary search: asked
 * only of the few items that would enter its top list). */
static int rated_by(const struct rank_scratch *s, uint32_t r, uint64_t i)
{
	uint64_t lo = s->from[r], hi = s->from[r + 1];
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (s->rated[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->from[r + 1] && s->rated[lo] == i;
}

/* The fast path's bar: a raw score at most the root's cannot enter the
 * full heap.  The link never decreases (score_raw_monotone) and items
 * come in increasing id, so such an item rates at most as the root and
 * loses the tie on id.  sigmoid_range's exp() is rounded faithfully, not
 * exactly, so two raw scores whose exp(-s) lie within a few ulps of each
 * other might come out in the wrong order: both are then within 2^-20 of
 * 0, and such a bar is lowered to -2^-20 (those items take the full
 * test). */
static float bar_of(const struct hit *root)
{
	float t = root->raw;
	return fabsf(t) < 0x1p-20f ? -0x1p-20f : t;
}

/* Item i (row r of the block) with raw score raw into heap h, if a
 * candidate. */
static void push_raw(const struct rank_job *j, const struct rank_scratch *s, uint32_t r,
		     uint64_t i, float raw, struct hit *h, uint32_t *fill)
{
	if (!j->trained[i] || rated_by(s, r, i))
		return;
	struct hit x = {score_link(j->ms[0], raw), (uint32_t)i, raw};
	heap_push(h, fill, j->k, x);
}

/* Row r's nc items (ids, or with ids NULL i0 .. i0 + nc; their dot
 * products in dot, biases in bi) into its heap, looking only at those
 * above the bar once the heap is full: the same heap as scoring every
 * item (bar_of says why). */
static void scan_raw(const struct rank_job *j, const struct rank_scratch *s, uint32_t r,
		     const float *dot, const float *bi, const uint32_t *ids, uint64_t i0,
		     uint64_t nc, struct hit *h, uint32_t *fill)
{
	float base = s->base[r];
	uint64_t x = 0;
	for (; x < nc && *fill < j->k; x++)
		push_raw(j, s, r, ids ? ids[x] : i0 + x, score_raw(dot, bi, base, x), h, fill);
	while (x < nc) {
		x = score_next_above(dot, bi, base, x, nc, bar_of(&h[0]));
		if (x == nc)
			break;
		push_raw(j, s, r, ids ? ids[x] : i0 + x, score_raw(dot, bi, base, x), h, fill);
		x++;
	}
}

/* The fast path over the candidates, RANK_CHUNK at a time: a chunk whose
 * ids are (nearly) contiguous is scored as a range of items, others have
 * their rows gathered, so that items without a training rating, a fifth
 * of a sparse catalogue, cost no sgemm. */
static int rank_raw(const struct rank_job *j, struct rank_scratch *s, uint32_t nb)
{
	for (uint64_t c0 = 0; c0 < j->n_cand; c0 += RANK_CHUNK) {
		uint64_t nc = j->n_cand - c0 < RANK_CHUNK ? j->n_cand - c0 : RANK_CHUNK;
		const uint32_t *ids = j->cand + c0;
		uint64_t i0 = ids[0], span = ids[nc - 1] - i0 + 1;
		const float *bi;
		if (span <= nc + RANK_SLACK) {
			ids = NULL;
			nc = span;
		}
		if (score_users_dot(j->ms, s->block, nb, ids, i0, nc, s->scores, s->base, &bi,
				    &s->sb))
			return GL_ENOMEM;
		for (uint32_t r = 0; r < nb; r++)
			scan_raw(j, s, r, s->scores + (size_t)r * nc, bi, ids, i0, nc,
				 s->heaps + (size_t)r * j->k, &s->fill[r]);
	}
	return 0;
}

/* Row r's ratings of items i0 .. i0 + nc into its heap. */
static void scan_rated(const struct rank_job *j, const struct rank_scratch *s, uint32_t r,
		       const float *row, uint64_t i0, uint64_t nc, struct hit *h, uint32_t *fill)
{
	for (uint64_t x = 0; x < nc; x++) {
		uint64_t i = i0 + x;
		struct hit c = {row[x], (uint32_t)i, 0};
		if (*fill == j->k && !below(&h[0], &c))
			continue; /* heap_push would not take it */
		if (!j->trained[i] || rated_by(s, r, i))
			continue;
		heap_push(h, fill, j->k, c);
	}
}

/* Rank the nb users of s->block by the models, item chunk by item chunk. */
static int rank_block(const struct rank_job *j, struct rank_scratch *s, uint32_t nb,
		      struct rank_part *p)
{
	uint64_t ni = j->d->n_items;
	uint32_t k = j->k;
	if (rated_lists(j, s, nb))
		return GL_ENOMEM;
	if (score_raw_monotone(j->ms, j->nm)) {
		if (rank_raw(j, s, nb))
			return GL_ENOMEM;
	} else {
		for (uint64_t i0 = 0; i0 < ni; i0 += RANK_CHUNK) {
			uint64_t nc = ni - i0 < RANK_CHUNK ? ni - i0 : RANK_CHUNK;
			if (score_users(j->ms, j->nm, s->block, nb, i0, nc, s->scores, &s->sb))
				return GL_ENOMEM;
			for (uint32_t r = 0; r < nb; r++)
				scan_rated(j, s, r, s->scores + (size_t)r * nc, i0, nc,
					   s->heaps + (size_t)r * k, &s->fill[r]);
		}
	}
	for (uint32_t r = 0; r < nb; r++) {
		struct hit *h = s->heaps + (size_t)r * k;
		qsort(h, s->fill[r], sizeof *h, by_rank);
		for (uint32_t x = 0; x < s->fill[r]; x++)
			s->top[x] = h[x].item;
		rank_score(j, s->block[r], s->top, s->fill[r], s->rel, p);
	}
	return 0;
}

static void rank_part(void *arg, uint32_t t, uint32_t nt)
{
	struct rank_job *j = arg;
	struct rank_part *p = &j->parts[t];
	uint64_t ni = j->d->n_items + 1, lo, hi;
	struct rank_scratch s = {0};
	int model = j->ms != NULL;
	p->cov = calloc(ni, 1);
	s.rel = calloc(ni, 1);
	s.top = malloc((size_t)j->k * sizeof *s.top);
	if (model) {
		s.scores = malloc((size_t)RANK_BLOCK * (RANK_CHUNK + RANK_SLACK) * sizeof *s.scores);
		s.heaps = malloc((size_t)RANK_BLOCK * j->k * sizeof *s.heaps);
		s.fill = malloc(RANK_BLOCK * sizeof *s.fill);
	} else {
		s.seen1 = calloc(ni, 1);
	}
	if (!p->cov || !s.rel || !s.top ||
	    (model ? !s.scores || !s.heaps || !s.fill : !s.seen1)) {
		p->err = GL_ENOMEM;
		goto done;
	}
	threads_share(j->n_users, t, nt, &lo, &hi);
	uint32_t nb = 0;
	for (uint64_t x = lo; x < hi && !p->err; x++) {
		uint32_t u = j->users[x];
		if (!model)
			rank_by_order(j, u, s.seen1, s.top, s.rel, p);
		else if (!has_training(j->d, u)) /* as goodlens-recommend: by score_bias */
			rank_score(j, u, j->cold, j->n_cold, s.rel, p);
		else
			s.block[nb++] = u;
		if (nb == RANK_BLOCK || (nb && x + 1 == hi)) {
			p->err = rank_block(j, &s, nb, p);
			nb = 0;
		}
	}
done:
	free(s.rated);
	free(s.seen1);
	free(s.rel);
	free(s.scores);
	free(s.heaps);
	free(s.fill);
	free(s.top);
	score_buf_free(&s.sb);
}

/* The top k candidates by one score per item (ties: lower id first). */
static uint32_t top_of(const float *score, const uint32_t *trained, uint64_t ni, uint32_t k,
		       struct hit *heap, uint32_t *top)
{
	uint32_t n = 0;
	for (uint64_t i = 0; i < ni; i++)
		if (trained[i])
			heap_push(heap, &n, k, (struct hit){score[i], (uint32_t)i, 0});
	qsort(heap, n, sizeof *heap, by_rank);
	for (uint32_t x = 0; x < n; x++)
		top[x] = heap[x].item;
	return n;
}

/* The candidates by one score per item, best first (ties: lower id). */
static uint32_t *order_of(const float *score, const uint32_t *trained, uint64_t ni, uint64_t *n)
{
	struct hit *h = malloc((ni + 1) * sizeof *h);
	uint32_t *order = malloc((ni + 1) * sizeof *order);
	*n = 0;
	if (!h || !order) {
		free(h);
		free(order);
		return NULL;
	}
	for (uint64_t i = 0; i < ni; i++)
		if (trained[i])
			h[(*n)++] = (struct hit){score[i], (uint32_t)i, 0};
	qsort(h, *n, sizeof *h, by_rank);
	for (uint64_t x = 0; x < *n; x++)
		order[x] = h[x].item;
	free(h);
	return order;
}

/* Rank for the users with a relevant validation rating: by the models ms
 * (nm of them), or with ms NULL by score[] (one per item) for everyone.
 * Fills r's ranking fields. */
static int rank_run(struct model *const *ms, uint32_t nm, const float *score,
		    const struct tdata *d, uint32_t k, double relevant, uint32_t threads,
		    struct evalres *r)
{
	const struct glr *g = d->g;
	uint64_t ni = d->n_items, n_cat = 0, n_users = 0;
	double t0 = clock_now();
	int err = GL_ENOMEM;
	struct rank_part *parts = calloc(threads, sizeof *parts);
	uint32_t *trained = calloc(ni + 1, sizeof *trained), *users = malloc((d->n_users + 1) * 4);
	uint32_t *cold = malloc((size_t)k * sizeof *cold), *order = NULL, *cand = NULL;
	struct hit *heap = malloc((size_t)k * sizeof *heap);
	float *bias = ms ? malloc((ni + 1) * sizeof *bias) : NULL;
	struct rank_job j = {.ms = ms, .nm = nm, .d = d, .trained = trained, .cold = cold, .k = k,
			     .relevant = relevant, .parts = parts};
	if (!parts || !trained || !users || !cold || !heap || (ms && !bias))
		goto done;
	for (uint64_t x = 0; x < g->n_ratings; x++)
		if (!tdata_is_valid(d, x))
			trained[g->items[x]]++;
	for (uint64_t i = 0; i < ni; i++)
		n_cat += trained[i] > 0;
	for (uint64_t u = 0; u < d->n_users; u++)
		for (uint64_t x = g->rowptr[u]; x < g->rowptr[u + 1]; x++)
			if (tdata_is_valid(d, x) && glr_value(g, x) >= relevant) {
				users[n_users++] = (uint32_t)u;
				break;
			}
	r->rank_of = n_users;
	/* Huge catalogues: every s-th of these users, under RANK_PAIRS pairs. */
	uint64_t step = n_cat ? (n_users * n_cat + RANK_PAIRS - 1) / RANK_PAIRS : 1;
	if (ms && step > 1) {
		uint64_t m = 0;
		for (uint64_t x = 0; x < n_users; x += step)
			users[m++] = users[x];
		log_info("ranking metrics over %" PRIu64 " of the %" PRIu64
			 " users with a relevant validation "
			 "rating (every %" PRIu64 "-th): %" PRIu64 " items each",
			 (uint64_t)m, (uint64_t)n_users, (uint64_t)step, (uint64_t)n_cat);
		n_users = m;
	}
	j.users = users;
	j.n_users = n_users;
	if (ms) {
		if (!(cand = malloc((n_cat + 1) * sizeof *cand)))
			goto done;
		for (uint64_t i = 0; i < ni; i++)
			if (trained[i])
				cand[j.n_cand++] = (uint32_t)i;
		j.cand = cand;
		score_bias(ms, nm, trained, 0, ni, bias);
		j.n_cold = top_of(bias, trained, ni, k, heap, cold);
	} else {
		if (!(order = order_of(score, trained, ni, &j.n_order)))
			goto done;
		j.order = order;
	}
	threads_run(threads, rank_part, &j);
	err = 0;
	struct rank_part sum = {0};
	uint64_t covered = 0;
	for (uint32_t t = 0; t < threads; t++) {
		err = parts[t].err ? parts[t].err : err;
		sum.prec += parts[t].prec;
		sum.rec += parts[t].rec;
		sum.ndcg += parts[t].ndcg;
		sum.hit += parts[t].hit;
		sum.users += parts[t].users;
	}
	for (uint64_t i = 0; !err && i < ni; i++) {
		uint8_t c = 0;
		for (uint32_t t = 0; t < threads; t++)
			c |= parts[t].cov[i];
		covered += c;
	}
	double nu = sum.users ? (double)sum.users : NAN;
	r->rank_users = sum.users;
	r->precision = sum.prec / nu;
	r->recall = sum.rec / nu;
	r->ndcg = sum.ndcg / nu;
	r->hit_rate = sum.hit / nu;
	r->coverage = n_cat ? (double)covered / (double)n_cat : NAN;
	r->rank_seconds = clock_now() - t0;
done:
	for (uint32_t t = 0; parts && t < threads; t++)
		free(parts[t].cov);
	free(parts);
	free(trained);
	free(cand);
	free(users);
	free(cold);
	free(order);
	free(heap);
	free(bias);
	if (err)
		log_error("out of memory for the ranking metrics");
	return err;
}

int eval_valid(struct model *const *members, int n_members, const struct tdata *d,
	       uint32_t rank_k, double relevant, uint32_t threads, struct evalres *r)
{
	struct part *parts = calloc(threads, sizeof *parts);
	if (!parts) {
		log_error("out of memory for the evaluation");
		return GL_ENOMEM;
	}
	struct eval_job j = {members, n_members, d, parts};
	threads_run(threads, eval_part, &j);
	struct part s = {0};
	int err = 0;
	for (uint32_t t = 0; t < threads; t++) {
		s.loss += parts[t].loss;
		s.se += parts[t].se;
		s.ae += parts[t].ae;
		s.hits += parts[t].hits;
		s.n += parts[t].n;
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
	double n = s.n ? (double)s.n : NAN;
	r->loss = s.loss / n;
	r->rmse = sqrt(s.se / n);
	r->mae = s.ae / n;
	r->accuracy = s.hits / n;
	r->precision = r->recall = r->ndcg = r->hit_rate = r->coverage = NAN;
	if (!rank_k)
		return 0;
	const struct model *m0 = members[0];
	if (n_members == 1 && m0->ops == &model_bias_ops && !m0->P) {
		/* mu + b_u + b_i ranks the items by b_i for every user */
		return rank_run(NULL, 0, m0->bi->w, d, rank_k, relevant, threads, r);
	}
	/* Threads of our own each call sgemm: OpenBLAS's would only compete. */
	if (threads > 1)
		openblas_set_num_threads(1);
	err = rank_run(members, (uint32_t)n_members, NULL, d, rank_k, relevant, threads, r);
	if (!err)
		log_info("%s: ranked %" PRIu64 " items for %" PRIu64
			 " users in %.3f s (%u threads)",
			 m0->ops->name, (uint64_t)d->n_items, (uint64_t)r->rank_users,
			 r->rank_seconds, threads);
	return err;
}

int eval_popularity(const struct tdata *d, uint32_t rank_k, double relevant, uint32_t threads,
		    struct evalres *r)
{
	const struct glr *g = d->g;
	float *count = calloc(d->n_items + 1, sizeof *count);
	memset(r, 0, sizeof *r);
	r->n = d->n_valid;
	r->loss = r->rmse = r->mae = r->accuracy = NAN;
	if (!count) {
		log_error("out of memory for the popularity baseline");
		return GL_ENOMEM;
	}
	for (uint64_t x = 0; x < g->n_ratings; x++)
		if (!tdata_is_valid(d, x))
			count[g->items[x]]++;
	int err = rank_run(NULL, 0, count, d, rank_k, relevant, threads, r);
	free(count);
	return err;
}
