#include "sample_pick.h"

#include "err.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

int sample_pick_init(struct sample_pick *p, const uint64_t *weight, uint32_t n)
{
	memset(p, 0, sizeof *p);
	p->tree = calloc((size_t)n + 1, sizeof *p->tree);
	p->weight = malloc(((size_t)n + 1) * sizeof *p->weight);
	if (!p->tree || !p->weight) {
		log_error("out of memory for the popularity table of %u items", n);
		sample_pick_free(p);
		return GL_ENOMEM;
	}
	p->n = n;
	memcpy(p->weight, weight, (size_t)n * sizeof *weight);
	/* Linear build: each node passes its sum to its parent. */
	for (uint32_t i = 1; i <= n; i++) {
		p->tree[i] += weight[i - 1];
		p->total += weight[i - 1];
		uint64_t parent = (uint64_t)i + (i & -i);
		if (parent <= n)
			p->tree[parent] += p->tree[i];
	}
	p->top = 1;
	while (n && (uint64_t)p->top * 2 <= n)
		p->top *= 2;
	return 0;
}

void sample_pick_free(struct sample_pick *p)
{
	free(p->tree);
	free(p->weight);
	memset(p, 0, sizeof *p);
}

uint32_t sample_pick_draw(const struct sample_pick *p, struct rng *r)
{
	uint64_t target = rng_below(r, p->total);
	uint32_t pos = 0;
	/* Descend: find the first item whose prefix sum exceeds target. */
	for (uint32_t step = p->top; step; step >>= 1) {
		uint32_t next = pos + step;
		if (next <= p->n && p->tree[next] <= target) {
			pos = next;
			target -= p->tree[next];
		}
	}
	return pos; /* 1-based pos + 1, minus 1 */
}

void sample_pick_set(struct sample_pick *p, uint32_t i, uint64_t w)
{
	uint64_t old = p->weight[i];
	p->weight[i] = w;
	p->total = p->total - old + w;
	for (uint64_t j = (uint64_t)i + 1; j <= p->n; j += j & -j)
		p->tree[j] = p->tree[j] - old + w;
}
