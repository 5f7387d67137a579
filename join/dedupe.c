#include "dedupe.h"

#include "err.h"
#include "log.h"
#include "usort.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

/* Does rating a (position pa) beat rating b (position pb, pa > pb) for
 * the mode?  Positions break ties: later wins for latest, earlier for first. */
static int later(const uint32_t *t, uint64_t a, uint64_t b)
{
	uint32_t ta = t ? t[a] : 0, tb = t ? t[b] : 0;
	return ta >= tb;
}

static int earlier(const uint32_t *t, uint64_t a, uint64_t b)
{
	uint32_t ta = t ? t[a] : 0, tb = t ? t[b] : 0;
	return ta < tb;
}

/* Settle one group keys[0..n) (n >= 2, positions ascending) of user u
 * whose raw ratings start at base. */
static void settle(struct fpart *p, int mode, uint32_t u, uint64_t base, const uint64_t *keys,
		   size_t n)
{
	struct fstate *s = p->s;
	const uint32_t *t = s->g->times;
	uint64_t best = base + (uint32_t)keys[0];
	uint64_t sum = fstate_value(s, best);
	for (size_t i = 1; i < n; i++) {
		uint64_t k = base + (uint32_t)keys[i];
		sum += fstate_value(s, k);
		if (mode == DEDUPE_FIRST ? earlier(t, k, best) : later(t, k, best))
			best = k;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t k = base + (uint32_t)keys[i];
		if (k != best || mode == DEDUPE_DROP_ALL)
			fpart_drop(p, u, k);
	}
	if (mode == DEDUPE_MEAN)
		s->rating[best] = (uint8_t)((2 * sum + n) / (2 * n));
}

/* 1 when user u rates an effective item twice among its kept ratings.
 * seen is a bitmap of the items (n_items bits, all clear between users):
 * one look-up per rating instead of a sort, and most users have no
 * duplicate at all.  A bitmap rather than a table of marks, so that it
 * fits the cache (an eighth of a byte per item, not four bytes) and its
 * pages are few; the words the row set are cleared after it. */
static int has_repeat(const struct fstate *s, uint64_t u, uint64_t *seen)
{
	const struct glr *g = s->g;
	uint64_t k0 = g->rowptr[u], k1 = g->rowptr[u + 1], k;
	int repeat = 0;
	for (k = k0; k < k1 && !repeat; k++) {
		if (!fstate_kept(s, k))
			continue;
		uint32_t i = fstate_item(s, k);
		uint64_t bit = (uint64_t)1 << (i & 63);
		repeat = (seen[i >> 6] & bit) != 0;
		seen[i >> 6] |= bit;
	}
	for (uint64_t j = k0; j < k; j++)
		if (fstate_kept(s, j))
			seen[fstate_item(s, j) >> 6] = 0; /* every bit set is this row's */
	return repeat;
}

struct job {
	int mode;
	uint64_t found; /* duplicated pairs, every part's (added atomically) */
};

/* The users of one chunk: its own look-up bitmap and keys. */
static void dedupe_part(struct fpart *p)
{
	struct job *j = p->arg;
	struct fstate *s = p->s;
	const struct glr *g = s->g;
	uint64_t found = 0, cap = 0;
	uint64_t *keys = NULL, *tmp = NULL;
	uint64_t *seen = calloc(s->n_items / 64 + 1, sizeof *seen);
	if (!seen)
		goto nomem;
	for (uint64_t u = p->u0; u < p->u1; u++) {
		if (s->ucount[u] < 2 || !has_repeat(s, u, seen))
			continue;
		uint64_t base = g->rowptr[u], len = g->rowptr[u + 1] - base;
		if (len > UINT32_MAX) {
			log_error("user %" PRIu64 " has more than 2^32 ratings", (uint64_t)u);
			p->err = GL_ELIMIT;
			goto done;
		}
		if (s->ucount[u] > cap) {
			free(keys);
			free(tmp);
			cap = s->ucount[u] > 1024 ? s->ucount[u] : 1024;
			keys = malloc(cap * sizeof *keys);
			tmp = malloc(cap * sizeof *tmp);
			if (!keys || !tmp)
				goto nomem;
		}
		size_t n = 0;
		for (uint64_t k = 0; k < len; k++)
			if (fstate_kept(s, base + k))
				keys[n++] = (uint64_t)fstate_item(s, base + k) << 32 | k;
		usort_u64_hi(keys, tmp, n); /* positions ascend: gathered in order */
		for (size_t a = 0, b; a < n; a = b) {
			for (b = a + 1; b < n && keys[b] >> 32 == keys[a] >> 32; b++)
				;
			if (b - a > 1) {
				settle(p, j->mode, (uint32_t)u, base, keys + a, b - a);
				found++;
			}
		}
	}
	goto done;
nomem:
	log_error("out of memory deduplicating ratings");
	p->err = GL_ENOMEM;
done:
	free(keys);
	free(tmp);
	free(seen);
	__atomic_fetch_add(&j->found, found, __ATOMIC_RELAXED);
}

int dedupe_run(struct fstate *s, int mode, uint64_t *pairs)
{
	const struct glr *g = s->g;
	struct job j = {.mode = mode};
	int err = 0;
	if (mode == DEDUPE_MEAN && (err = fstate_own_ratings(s)))
		goto done;
	err = fstate_each(s, dedupe_part, &j);
	if (!err && j.found && !g->times && (mode == DEDUPE_LATEST || mode == DEDUPE_FIRST))
		log_info("the ratings file has no times: of each duplicated pair, the %s "
			 "in file order is kept",
			 mode == DEDUPE_LATEST ? "last" : "first");
done:
	if (pairs)
		*pairs = j.found;
	return err;
}
