#include "data.h"

#include "bigmem.h"
#include "err.h"
#include "log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The grid the byte values form: the smallest step that is a multiple of
 * the scale and divides every distance to the lowest value. */
static int rating_grid(struct tdata *d)
{
	const struct glr *g = d->g;
	uint8_t seen[256] = {0};
	for (uint64_t k = 0; k < g->n_ratings; k++)
		seen[g->ratings[k]] = 1;
	int lo = -1, hi = -1;
	unsigned gcd = 0;
	for (int b = 0; b < 256; b++) {
		if (!seen[b])
			continue;
		if (lo < 0)
			lo = b;
		hi = b;
		unsigned a = (unsigned)(b - lo), x = gcd;
		while (a) {
			unsigned t = x % a;
			x = a;
			a = t;
		}
		gcd = x;
	}
	if (lo < 0)
		lo = hi = 0;
	if (gcd == 0)
		gcd = 1;
	d->lo = (float)lo * g->scale;
	d->hi = (float)hi * g->scale;
	d->step = (float)gcd * g->scale;
	d->n_classes = (uint32_t)((hi - lo) / (int)gcd) + 1;
	return 0;
}

static int build_index(struct tdata *d)
{
	const struct glr *g = d->g;
	uint64_t n = g->n_ratings;
	d->width = n / (g->n_users ? g->n_users : 1);
	if (d->width == 0)
		d->width = 1;
	d->n_buckets = n / d->width + 2;
	d->first = malloc(d->n_buckets * sizeof *d->first);
	if (!d->first) {
		log_error("out of memory for the user index of %s", d->path);
		return GL_ENOMEM;
	}
	uint64_t u = 0;
	for (uint64_t b = 0; b < d->n_buckets; b++) {
		uint64_t k = b * d->width;
		while (u < g->n_users && g->rowptr[u + 1] <= k)
			u++;
		d->first[b] = (uint32_t)(u < g->n_users ? u : g->n_users ? g->n_users - 1 : 0);
	}
	return 0;
}

int tdata_init(struct tdata *d, const struct glr *g, const char *path)
{
	memset(d, 0, sizeof *d);
	d->g = g;
	d->path = path;
	d->n_users = g->n_users;
	d->n_items = g->n_items;
	d->rowptr = g->rowptr;
	d->items = g->items;
	d->ratings = g->ratings;
	d->split = g->split;
	if (!g->split) {
		log_error("%s: has no train/valid split (run goodlens-filter, which writes one)",
			  path);
		return GL_EFORMAT;
	}
	double sum = 0;
	for (uint64_t u = 0; u < g->n_users; u++) {
		uint64_t len = g->rowptr[u + 1] - g->rowptr[u];
		if (len > d->max_row)
			d->max_row = len;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			if (glr_bit(g->split, k)) {
				d->n_valid++;
			} else {
				d->n_train++;
				sum += glr_value(g, k);
			}
		}
	}
	if (d->n_train == 0) {
		log_error("%s: has no training ratings (every rating is in the validation split)",
			  path);
		return GL_EFORMAT;
	}
	d->mean = sum / (double)d->n_train;
	rating_grid(d);
	if (d->n_classes > DATA_MAX_CLASSES) {
		log_error("%s: ratings span %u values; the ce loss handles at most %d", path,
			  d->n_classes, DATA_MAX_CLASSES);
		return GL_EFORMAT;
	}
	return build_index(d);
}

int tdata_hot(struct tdata *d, size_t min_bytes)
{
	const struct glr *g = d->g;
	uint64_t n = g->n_ratings;
	size_t o_items = (g->n_users + 1) * sizeof *g->rowptr, o_ratings = o_items + n * sizeof *g->items;
	size_t o_split = o_ratings + n, bytes = o_split + (n + 7) / 8;
	if (d->hot || bytes < min_bytes)
		return 0;
	char *h = big_alloc(bytes);
	if (!h) {
		log_error("out of memory for the training view of %s (%zu MiB)", d->path, bytes >> 20);
		return GL_ENOMEM;
	}
	memcpy(h, g->rowptr, o_items);
	memcpy(h + o_items, g->items, o_ratings - o_items);
	memcpy(h + o_ratings, g->ratings, n);
	memcpy(h + o_split, g->split, bytes - o_split);
	d->hot = h;
	d->hot_bytes = bytes;
	d->rowptr = (const uint64_t *)(void *)h;
	d->items = (const uint32_t *)(void *)(h + o_items);
	d->ratings = (const uint8_t *)(h + o_ratings);
	d->split = (const uint8_t *)(h + o_split);
	return 0;
}

void tdata_free(struct tdata *d)
{
	free(d->first);
	d->first = NULL;
	big_free(d->hot, d->hot_bytes);
	d->hot = NULL;
	d->rowptr = d->g ? d->g->rowptr : NULL;
	d->items = d->g ? d->g->items : NULL;
	d->ratings = d->g ? d->g->ratings : NULL;
	d->split = d->g ? d->g->split : NULL;
}

uint32_t tdata_user_of(const struct tdata *d, uint64_t k)
{
	const uint64_t *rp = d->rowptr;
	uint64_t b = k / d->width;
	uint64_t lo = d->first[b], hi = d->first[b + 1] + 1;
	if (hi > d->n_users)
		hi = d->n_users;
	/* The answer is in [lo, hi): the last u with rowptr[u] <= k whose row
	 * is not empty. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (rp[mid] <= k)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

uint64_t tdata_lower_bound(const uint32_t *items, uint64_t lo, uint64_t hi, uint32_t id)
{
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (items[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
