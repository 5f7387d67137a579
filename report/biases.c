#include "biases.h"

#include "csvwrite.h"
#include "err.h"
#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_desc_f(const void *a, const void *b, void *ctx)
{
	const float *v = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (v[x] != v[y])
		return v[x] > v[y] ? -1 : 1;
	return (x > y) - (x < y);
}

/* Items without ratings (NaN) sort last. */
static int cmp_desc_mean(const void *a, const void *b, void *ctx)
{
	const double *v = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int nx = isnan(v[x]), ny = isnan(v[y]);
	if (nx != ny)
		return nx - ny;
	if (!nx && v[x] != v[y])
		return v[x] > v[y] ? -1 : 1;
	return (x > y) - (x < y);
}

static double spearman(const struct biases *b, const struct census *c)
{
	double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
	for (uint64_t i = 0; i < b->n; i++) {
		if (!c->item_n[i])
			continue;
		double x = b->rank_bias[i], y = b->rank_mean[i];
		n++;
		sx += x;
		sy += y;
		sxx += x * x;
		syy += y * y;
		sxy += x * y;
	}
	if (n < 2)
		return NAN;
	double vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
	return vx > 0 && vy > 0 ? (sxy - sx * sy / n) / sqrt(vx * vy) : NAN;
}

int biases_build(struct biases *b, const struct rep_in *in, const struct census *c)
{
	uint32_t *by_mean = NULL;
	memset(b, 0, sizeof *b);
	b->spearman = NAN;
	const struct glm_tensor *t = in->have_model ? glm_find(&in->model, "item_bias") : NULL;
	if (!t || t->rows != c->n_items || t->cols != 1 || !c->n_items)
		return 0;
	size_t n = (size_t)c->n_items;
	if (!(b->by_bias = malloc(n * sizeof *b->by_bias)) ||
	    !(b->rank_bias = malloc(n * sizeof *b->rank_bias)) ||
	    !(b->rank_mean = malloc(n * sizeof *b->rank_mean)) ||
	    !(by_mean = malloc(n * sizeof *by_mean))) {
		log_error("out of memory ranking %zu items", n);
		free(by_mean);
		biases_free(b);
		return GL_ENOMEM;
	}
	b->n = n;
	b->bias = t->data;
	for (size_t i = 0; i < n; i++)
		b->by_bias[i] = by_mean[i] = (uint32_t)i;
	qsort_r(b->by_bias, n, sizeof *b->by_bias, cmp_desc_f, (void *)t->data);
	qsort_r(by_mean, n, sizeof *by_mean, cmp_desc_mean, c->item_mean);
	for (size_t r = 0; r < n; r++) {
		b->rank_bias[b->by_bias[r]] = (uint32_t)(r + 1);
		b->rank_mean[by_mean[r]] = c->item_n[by_mean[r]] ? (uint32_t)(r + 1) : 0;
	}
	free(by_mean);
	b->spearman = spearman(b, c);
	return 0;
}

int biases_write(const struct biases *b, const struct rep_in *in, const struct census *c,
		 FILE *f)
{
	fputs("item,", f);
	csvw_str(f, in->items.key_name);
	fputs(",title,bias,n_ratings,mean_rating,rank_bias,rank_mean\n", f);
	for (uint64_t r = 0; r < b->n; r++) {
		uint32_t i = b->by_bias[r];
		const char *title = rep_item_title(in, i);
		fprintf(f, "%u,", i);
		csvw_str(f, rep_item_key(in, i));
		fputc(',', f);
		csvw_str(f, title ? title : "");
		fprintf(f, ",%.6g,%u,", b->bias[i], c->item_n[i]);
		if (c->item_n[i])
			fprintf(f, "%.6g", c->item_mean[i]);
		fprintf(f, ",%u,", b->rank_bias[i]);
		if (b->rank_mean[i])
			fprintf(f, "%u", b->rank_mean[i]);
		fputc('\n', f);
	}
	return 0;
}

void biases_free(struct biases *b)
{
	free(b->by_bias);
	free(b->rank_bias);
	free(b->rank_mean);
	memset(b, 0, sizeof *b);
}
