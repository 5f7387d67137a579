#include "filter_split.h"

#include "err.h"
#include "glr.h"
#include "log.h"
#include "usort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { SPLIT_STREAM = 0x73706c74 }; /* "splt" */

int split_parse(const char *arg, struct split_opts *o)
{
	memset(o, 0, sizeof *o);
	const char *colon = strchr(arg, ':');
	char *end;
	if (strcmp(arg, "none") == 0)
		return 0;
	if (colon && (strncmp(arg, "random:", 7) == 0 || strncmp(arg, "time:", 5) == 0)) {
		o->kind = arg[0] == 'r' ? SPLIT_RANDOM : SPLIT_TIME;
		o->frac = strtod(colon + 1, &end);
		if (colon[1] && !*end && o->frac >= 0 && o->frac <= 1)
			return 0;
	} else if (colon && strncmp(arg, "last:", 5) == 0) {
		o->kind = SPLIT_LAST;
		unsigned long v = strtoul(colon + 1, &end, 10);
		if (colon[1] >= '0' && colon[1] <= '9' && !*end && v <= UINT32_MAX) {
			o->k = (uint32_t)v;
			return 0;
		}
	}
	log_error("invalid value for --split: '%s' (expected random:FRAC, time:FRAC, "
		  "last:K or none, FRAC in [0, 1])",
		  arg);
	return GL_EUSAGE;
}

/* Histogram of the kept ratings' times on 16 bits of the time: the high
 * half, or the low half of times whose high half is hi. */
static void histogram(const struct fstate *s, uint64_t *h, int low, uint32_t hi)
{
	const struct glr *g = s->g;
	memset(h, 0, 65536 * sizeof *h);
	for (uint64_t u = 0; u < g->n_users; u++) {
		if (!s->ucount[u])
			continue;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			if (!fstate_kept(s, k))
				continue;
			uint32_t t = g->times[k];
			if (!low)
				h[t >> 16]++;
			else if (t >> 16 == hi)
				h[t & 0xffff]++;
		}
	}
}

/* From the top bucket down, the bucket where the count reaches want;
 * *above gets the count in higher buckets. */
static uint32_t reach(const uint64_t *h, uint64_t want, uint64_t *above)
{
	uint64_t acc = 0;
	uint32_t b = 65535;
	for (;; b--) {
		if (acc + h[b] >= want || b == 0)
			break;
		acc += h[b];
	}
	*above = acc;
	return b;
}

static int time_cutoff(struct splitter *sp)
{
	uint64_t *h = malloc(65536 * sizeof *h), above_hi, above_lo;
	if (!h)
		return GL_ENOMEM;
	histogram(sp->s, h, 0, 0);
	uint32_t hi = reach(h, sp->want, &above_hi);
	histogram(sp->s, h, 1, hi);
	uint32_t lo = reach(h, sp->want - above_hi, &above_lo);
	uint64_t gt = above_hi + above_lo, eq = h[lo];
	sp->cutoff = hi << 16 | lo;
	/* Ratings at the cutoff time: the last want - gt of them are valid. */
	sp->skip_eq = eq - (sp->want - gt);
	free(h);
	return 0;
}

int split_init(struct splitter *sp, const struct split_opts *o, const struct fstate *s,
	       uint64_t seed)
{
	memset(sp, 0, sizeof *sp);
	sp->o = *o;
	sp->s = s;
	sp->total = s->kept;
	rng_init(&sp->r, seed, SPLIT_STREAM);
	if (o->kind == SPLIT_RANDOM || o->kind == SPLIT_TIME)
		sp->want = (uint64_t)llround(o->frac * (double)s->kept);
	if (o->kind == SPLIT_TIME && sp->want > 0) {
		if (!s->g->times) {
			log_error("--split time needs times, and the ratings file has none");
			return GL_EFORMAT;
		}
		if (time_cutoff(sp)) {
			log_error("out of memory splitting by time");
			return GL_ENOMEM;
		}
	}
	if (o->kind == SPLIT_LAST && !s->g->times)
		log_info("the ratings file has no times: --split last takes each user's last "
			 "ratings in file order");
	return 0;
}

static int last_k(struct splitter *sp, const uint64_t *raw, size_t n, uint8_t *bits, uint64_t base,
		  uint64_t len)
{
	const uint32_t *t = sp->s->g->times;
	size_t m = sp->o.k < n ? sp->o.k : n - 1;
	if (m == 0)
		return 0;
	if (n > sp->cap || len > sp->cap) {
		size_t cap = n > len ? n : (size_t)len;
		free(sp->keys);
		free(sp->flag);
		sp->keys = malloc(cap * sizeof *sp->keys);
		sp->flag = calloc(cap, 1);
		sp->cap = sp->keys && sp->flag ? cap : 0;
		if (!sp->cap)
			return GL_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		sp->keys[i] = (uint64_t)(t ? t[raw[i]] : 0) << 32 | (raw[i] - base);
	usort_u64(sp->keys, n);
	for (size_t i = n - m; i < n; i++)
		sp->flag[(uint32_t)sp->keys[i]] = 1;
	for (size_t i = 0; i < n; i++) {
		uint8_t *f = &sp->flag[raw[i] - base];
		if (*f)
			bits[i] |= GLR_BIT_VALID;
		*f = 0;
	}
	return 0;
}

int split_row(struct splitter *sp, uint32_t u, const uint64_t *raw, size_t n, uint8_t *bits)
{
	const struct glr *g = sp->s->g;
	switch (sp->o.kind) {
	case SPLIT_RANDOM:
		for (size_t i = 0; i < n; i++, sp->seen++)
			if (rng_below(&sp->r, sp->total - sp->seen) < sp->want - sp->taken) {
				bits[i] |= GLR_BIT_VALID;
				sp->taken++;
			}
		return 0;
	case SPLIT_TIME:
		for (size_t i = 0; sp->want && i < n; i++) {
			uint32_t t = g->times[raw[i]];
			if (t > sp->cutoff)
				bits[i] |= GLR_BIT_VALID;
			else if (t == sp->cutoff && sp->skip_eq)
				sp->skip_eq--;
			else if (t == sp->cutoff)
				bits[i] |= GLR_BIT_VALID;
		}
		return 0;
	case SPLIT_LAST:
		return last_k(sp, raw, n, bits, g->rowptr[u], g->rowptr[u + 1] - g->rowptr[u]);
	default: return 0;
	}
}

void split_free(struct splitter *sp)
{
	free(sp->keys);
	free(sp->flag);
	memset(sp, 0, sizeof *sp);
}
