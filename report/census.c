#include "census.h"

#include "err.h"
#include "log.h"

#include <inttypes.h>
#include <stdio.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* qsort has no context argument; qsort_r (GNU) carries the counts. */
static int cmp_pop(const void *a, const void *b, void *ctx)
{
	const uint32_t *n = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (n[x] != n[y])
		return n[x] > n[y] ? -1 : 1;
	return (x > y) - (x < y);
}

/* Does user a come before user b: more ratings, then the smaller id. */
static int before(const struct glr *g, uint32_t a, uint32_t b)
{
	uint64_t na = census_user_n(g, a), nb = census_user_n(g, b);
	return na != nb ? na > nb : a < b;
}

/* Keep the k most active users in c->active, sorted best first: an
 * insertion into a short sorted list, O(users * log k) for the search. */
static void keep_active(struct census *c, const struct glr *g, uint32_t u, uint32_t k)
{
	uint32_t n = c->n_active;
	if (n == k && !before(g, u, c->active[n - 1]))
		return;
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (before(g, c->active[mid], u))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (n == k)
		n--;
	memmove(c->active + lo + 1, c->active + lo, (n - lo) * sizeof *c->active);
	c->active[lo] = u;
	c->n_active = n + 1;
}

int census_run(struct census *c, const struct glr *g, uint32_t top_users)
{
	double *sum = NULL;
	memset(c, 0, sizeof *c);
	c->n_users = g->n_users;
	c->n_items = g->n_items;
	c->n_ratings = g->n_ratings;
	c->scale = g->scale;
	size_t ni = g->n_items ? (size_t)g->n_items : 1;
	if (top_users > g->n_users)
		top_users = (uint32_t)g->n_users;
	if (!(c->item_n = calloc(ni, sizeof *c->item_n)) ||
	    !(c->item_mean = malloc(ni * sizeof *c->item_mean)) ||
	    !(c->pop = malloc(ni * sizeof *c->pop)) ||
	    !(c->active = malloc((top_users ? top_users : 1) * sizeof *c->active)) ||
	    !(sum = calloc(ni, sizeof *sum))) {
		log_error("out of memory counting %" PRIu64 " items", (uint64_t)g->n_items);
		free(sum);
		census_free(c);
		return GL_ENOMEM;
	}
	for (uint64_t u = 0; u < g->n_users; u++) {
		uint64_t n = census_user_n(g, (uint32_t)u);
		if (n) {
			c->users_rated++;
			if (top_users)
				keep_active(c, g, (uint32_t)u, top_users);
		}
		if (n > c->user_max)
			c->user_max = n;
	}
	for (uint64_t k = 0; k < g->n_ratings; k++) {
		uint32_t i = g->items[k];
		uint8_t r = g->ratings[k];
		c->item_n[i]++;
		sum[i] += r;
		c->hist[r]++;
		if (glr_bit(g->split, k)) {
			c->hist_valid[r]++;
			c->n_valid++;
		}
	}
	for (uint64_t i = 0; i < g->n_items; i++) {
		c->pop[i] = (uint32_t)i;
		c->item_mean[i] = c->item_n[i] ? sum[i] * g->scale / c->item_n[i] : NAN;
		if (c->item_n[i])
			c->items_rated++;
		if (c->item_n[i] > c->item_max)
			c->item_max = c->item_n[i];
	}
	free(sum);
	qsort_r(c->pop, (size_t)g->n_items, sizeof *c->pop, cmp_pop, c->item_n);
	return 0;
}

void census_free(struct census *c)
{
	free(c->item_n);
	free(c->item_mean);
	free(c->pop);
	free(c->active);
	memset(c, 0, sizeof *c);
}

int census_rating(const struct glr *g, uint32_t u, uint32_t i)
{
	uint64_t lo = g->rowptr[u], hi = g->rowptr[u + 1];
	if (g->flags & GLR_SORTED) {
		while (lo < hi) {
			uint64_t mid = lo + (hi - lo) / 2;
			if (g->items[mid] < i)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo < g->rowptr[u + 1] && g->items[lo] == i ? g->ratings[lo] : 0;
	}
	for (uint64_t k = lo; k < hi; k++)
		if (g->items[k] == i)
			return g->ratings[k];
	return 0;
}

int census_hist_write(const struct census *c, FILE *f)
{
	fputs("rating,count,train,valid,share\n", f);
	for (int r = 0; r < 256; r++) {
		if (!c->hist[r])
			continue;
		fprintf(f, "%g,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.6g\n", r * (double)c->scale,
			c->hist[r], c->hist[r] - c->hist_valid[r], c->hist_valid[r],
			(double)c->hist[r] / (double)c->n_ratings);
	}
	return 0;
}

int census_decimals(const struct census *c)
{
	for (int b = 0; b < 256; b++) {
		double v = b * (double)c->scale;
		if (c->hist[b] && v != floor(v))
			return 1;
	}
	return 0;
}
