#include "topn.h"

#include "err.h"
#include "log.h"
#include "usort.h"

#include <stdlib.h>

int topn_rank(const struct fstate *s, uint32_t **order, uint64_t *n)
{
	uint64_t m = 0;
	uint64_t *keys = malloc((s->n_items ? s->n_items : 1) * sizeof *keys);
	uint32_t *out = keys ? malloc((s->n_items ? s->n_items : 1) * sizeof *out) : NULL;
	if (!out) {
		free(keys);
		log_error("out of memory ranking items");
		return GL_ENOMEM;
	}
	/* Ascending keys: fewer "missing" ratings first, then lower ids. */
	for (uint64_t i = 0; i < s->n_items; i++)
		if (s->icount[i])
			keys[m++] = (uint64_t)(UINT32_MAX - s->icount[i]) << 32 | i;
	usort_u64(keys, m);
	for (uint64_t j = 0; j < m; j++)
		out[j] = (uint32_t)keys[j];
	free(keys);
	*order = out;
	*n = m;
	return 0;
}

int topn_run(struct fstate *s, uint64_t n)
{
	uint32_t *order;
	uint64_t m;
	int err = topn_rank(s, &order, &m);
	if (err)
		return err;
	if (m <= n) {
		free(order);
		return 0;
	}
	uint8_t *in = calloc(s->n_items, 1);
	if (!in) {
		free(order);
		log_error("out of memory ranking items");
		return GL_ENOMEM;
	}
	for (uint64_t j = 0; j < n; j++)
		in[order[j]] = 1;
	free(order);
	const struct glr *g = s->g;
	for (uint64_t u = 0; u < g->n_users; u++) {
		if (!s->ucount[u])
			continue;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (fstate_kept(s, k) && !in[fstate_item(s, k)])
				fstate_drop(s, (uint32_t)u, k);
	}
	free(in);
	return 0;
}
