/* sample_write.c - the helpers every format writer of goodlens-sample
 * shares (sample_write.h): output files, ids, a work's genre, year and
 * rating histogram, and the affine permutations. */
#include "sample_write.h"

#include "err.h"
#include "log.h"
#include "outfile.h"
#include "sample_date.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sample_file_open(struct sample_ctx *c, struct gzw *w, const char *name, int gz)
{
	char path[4096];
	if (snprintf(path, sizeof path, "%s/%s", c->dir, name) >= (int)sizeof path) {
		log_error("output path too long: %s/%s", c->dir, name);
		return GL_EUSAGE;
	}
	if (c->nfiles == SAMPLE_MAX_FILES) {
		log_error("internal: too many output files");
		return GL_ELIMIT;
	}
	char *copy = strdup(name);
	if (!copy) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	/* the file is a member of the run's set: written to a temporary that
	 * sample_run renames with all the others */
	const char *to;
	int err = outfile_reserve(&c->set[c->nfiles], path, &to);
	if (err) {
		free(copy);
		return err;
	}
	err = gzw_open(w, to, gz ? c->o->gzip_level : GZW_PLAIN);
	if (!err && gz)
		err = gzw_threads(w, c->o->threads);
	if (err) {
		gzw_abort(w);
		outfile_abort(&c->set[c->nfiles]);
		free(copy);
		return err;
	}
	c->files[c->nfiles++] = copy;
	return 0;
}

int sample_file_line(struct sample_ctx *c, struct gzw *w)
{
	if (c->line.oom) {
		log_error("out of memory formatting a line");
		return GL_ENOMEM;
	}
	int err = gzw_write(w, c->line.p, c->line.len);
	sb_reset(&c->line);
	return err;
}

int sample_file_close(struct gzw *w, int err)
{
	if (!err)
		return gzw_commit(w);
	gzw_abort(w);
	return err;
}

const char *sample_user_hex(struct sample_ctx *c, uint32_t u)
{
	if (c->user_cached != u || !c->user_hex[0]) {
		/* 32 digits fit the 33-byte array, so sb never grows (it could
		 * not: the array is not from malloc). */
		struct sbuf sb = { c->user_hex, 0, sizeof c->user_hex, 0 };
		uint64_t h = sample_mix(c->o->seed ^ 0x75736572ULL, u);
		sb_hex(&sb, h, sample_mix(h, u), 16);
		c->user_hex[32] = 0;
		c->user_cached = u;
	}
	return c->user_hex;
}

int sample_work_genre(const struct sample_ctx *c, uint32_t w)
{
	if (w < c->model.p.items)
		return c->model.genre[w];
	return (int)(sample_mix(c->o->seed ^ 0x67656e7265ULL, w) % SAMPLE_GENRES);
}

int sample_work_in_scope(const struct sample_ctx *c, uint32_t w)
{
	return c->genre < 0 || sample_work_genre(c, w) == c->genre;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Inverse of a modulo n (gcd(a, n) = 1), by the extended Euclid. */
static uint64_t mod_inverse(uint64_t a, uint64_t n)
{
	int64_t t = 0, nt = 1;
	int64_t r = (int64_t)n, nr = (int64_t)(a % n);
	while (nr) {
		int64_t q = r / nr, x;
		x = t - q * nt;
		t = nt;
		nt = x;
		x = r - q * nr;
		r = nr;
		nr = x;
	}
	return (uint64_t)(t < 0 ? t + (int64_t)n : t);
}

void sample_perm_init(struct sample_perm *p, uint64_t n, uint64_t seed)
{
	p->n = n ? n : 1;
	p->b = sample_mix(seed, 1) % p->n;
	p->a = p->n > 2 ? 2 + sample_mix(seed, 2) % (p->n - 2) : 1;
	while (gcd(p->a, p->n) != 1)
		p->a = p->a + 1 < p->n ? p->a + 1 : 1;
	p->ainv = mod_inverse(p->a, p->n);
}

uint64_t sample_perm_fwd(const struct sample_perm *p, uint64_t x)
{
	return (uint64_t)(((unsigned __int128)p->a * x + p->b) % p->n);
}

uint64_t sample_perm_inv(const struct sample_perm *p, uint64_t y)
{
	uint64_t d = (y + p->n - p->b % p->n) % p->n;
	return (uint64_t)(((unsigned __int128)p->ainv * d) % p->n);
}

void sample_work_hist(const struct sample_ctx *c, uint32_t w, uint64_t *hist)
{
	const struct sample_stats *st = &c->st;
	uint64_t total = 0, h = sample_mix(c->o->seed ^ 0x68697374ULL, w);
	memset(hist, 0, sizeof *hist * st->codes);
	for (uint32_t b = c->cat.book_first[w]; b < c->cat.book_first[w + 1]; b++)
		for (uint32_t k = 1; k < st->codes; k++) {
			hist[k] += st->book_hist[(size_t)b * st->codes + k];
			total += st->book_hist[(size_t)b * st->codes + k];
		}
	if (total) {
		uint64_t scale = 1 + h % 40;
		for (uint32_t k = 1; k < st->codes; k++)
			hist[k] *= scale;
		return;
	}
	/* Never rated here: a few ratings drawn around the item's mean. */
	struct rng r;
	rng_init(&r, h, 7);
	double t = c->model.p.mu + (w < c->model.p.items ? c->model.bias[w] : 0);
	double sd = sqrt(c->model.p.noise * c->model.p.noise + 0.4);
	uint32_t n = 3 + (uint32_t)(h % 40);
	for (uint32_t j = 0; j < n; j++)
		hist[sample_scale_code(&c->model.p.scale, t + sd * rng_normal(&r))]++;
}

int sample_work_year(const struct sample_ctx *c, uint32_t w)
{
	uint64_t h = sample_mix(c->o->seed ^ 0x79656172ULL, w);
	struct sample_civil end;
	sample_civil_from_unix(c->f->t_end, &end);
	unsigned roll = (unsigned)(h % 100);
	h /= 100;
	if (c->f->ids == SAMPLE_IDS_GOODREADS || c->f->ids == SAMPLE_IDS_RANK) {
		if (roll < 65)
			return end.year - (int)(h % 28);
		if (roll < 95)
			return 1900 + (int)(h % 90);
		return (int)(h % 2650) - 750; /* the Iliad is in there too */
	}
	/* Films: mostly the twenty years before the data set. */
	if (roll < 80)
		return end.year - (int)(h % 20);
	return 1920 + (int)(h % (uint64_t)(end.year - 1940));
}
