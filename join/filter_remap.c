#include "filter_remap.h"

#include "bigmem.h"
#include "err.h"
#include "log.h"
#include "usort.h"

#include <stdlib.h>
#include <string.h>

static void number(const uint32_t *count, uint64_t n, uint32_t *map, uint64_t *out_n)
{
	uint64_t next = 0;
	for (uint64_t i = 0; i < n; i++)
		map[i] = count[i] ? (uint32_t)next++ : REMAP_NONE;
	*out_n = next;
}

/* The sums of a chunk of the users: worker 0's item sums go to m->isum,
 * each other worker's to an array of its own, added on at the end. */
struct sums {
	struct remap *m;
	uint64_t *isum[FSTATE_MAX_PARTS];
};

static void sum_part(struct fpart *p)
{
	struct sums *j = p->arg;
	struct remap *m = j->m;
	const struct fstate *s = p->s;
	const struct glr *g = s->g;
	uint64_t *isum = p->index ? j->isum[p->index] : m->isum;
	for (uint64_t u = p->u0; u < p->u1; u++) {
		if (m->unew[u] == REMAP_NONE)
			continue;
		uint64_t us = 0;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (fstate_kept(s, k)) {
				uint8_t v = fstate_value(s, k);
				us += v;
				isum[m->rnew[g->items[k]]] += v;
			}
		m->usum[m->unew[u]] = us;
	}
}

/* n bytes from the block at *at (each array on a cache line of its own);
 * with at NULL, only counts them in *total. */
static void *carve(char **at, size_t *total, size_t n)
{
	n = (n + 63) & ~(size_t)63;
	*total += n;
	if (!*at)
		return NULL;
	void *p = *at;
	*at += n;
	return p;
}

/* Every array of m and the other parts' item sums, as one zeroed block
 * sized for every user and item kept (fresh pages cost a fault each: a
 * block this big gets huge pages).  0 or GL_ENOMEM. */
static int alloc_all(struct remap *m, const struct fstate *s, struct sums *j)
{
	uint64_t nu = s->g->n_users + 1, ni = s->n_items + 1, nraw = s->g->n_items + 1;
	int parts = s->threads > FSTATE_MAX_PARTS ? FSTATE_MAX_PARTS : s->threads;
	char *at = NULL;
	for (int pass = 0; pass < 2; pass++) {
		size_t total = 0;
		m->unew = carve(&at, &total, nu * sizeof *m->unew);
		m->inew = carve(&at, &total, ni * sizeof *m->inew);
		m->rnew = carve(&at, &total, nraw * sizeof *m->rnew);
		m->ucnt = carve(&at, &total, nu * sizeof *m->ucnt);
		m->icnt = carve(&at, &total, ni * sizeof *m->icnt);
		m->usum = carve(&at, &total, nu * sizeof *m->usum);
		m->isum = carve(&at, &total, ni * sizeof *m->isum);
		m->uflag = carve(&at, &total, nu);
		m->iflag = carve(&at, &total, ni);
		for (int p = 1; p < parts; p++)
			j->isum[p] = carve(&at, &total, ni * sizeof *j->isum[p]);
		if (pass == 0) {
			if (!(m->mem = big_alloc(total)))
				return GL_ENOMEM;
			m->mem_bytes = total;
			at = m->mem;
		}
	}
	return 0;
}

int remap_build(struct remap *m, const struct fstate *s)
{
	struct sums job = {.m = m};
	memset(m, 0, sizeof *m);
	if (alloc_all(m, s, &job)) {
		remap_free(m);
		log_error("out of memory renumbering users and items");
		return GL_ENOMEM;
	}
	number(s->ucount, s->g->n_users, m->unew, &m->n_users);
	number(s->icount, s->n_items, m->inew, &m->n_items);
	m->n_ratings = s->kept;
	const struct glr *g = s->g;
	for (uint64_t u = 0; u < g->n_users; u++)
		if (m->unew[u] != REMAP_NONE)
			m->ucnt[m->unew[u]] = s->ucount[u];
	for (uint64_t i = 0; i < s->n_items; i++)
		if (m->inew[i] != REMAP_NONE)
			m->icnt[m->inew[i]] = s->icount[i];
	/* one look-up per rating instead of two from here on */
	for (uint64_t i = 0; i < g->n_items; i++)
		m->rnew[i] = m->inew[s->imap ? s->imap[i] : i];
	/* The sums now, not while writing: the tables that carry them can then
	 * be written on another thread at the same time as the ratings. */
	int err = fstate_each_read(s, sum_part, &job);
	for (int j = 1; j < FSTATE_MAX_PARTS; j++)
		for (uint64_t i = 0; !err && job.isum[j] && i < m->n_items; i++)
			m->isum[i] += job.isum[j][i];
	if (err)
		remap_free(m);
	return err;
}

/* Ratings the writing pass reads before it lets their pages go. */
#define RELEASE_STEP ((uint64_t)1 << 19)

/* Buffers for one output row. */
struct row {
	uint64_t *keys, *tmp, *raw;
	uint32_t *items, *times;
	uint8_t *ratings, *bits;
	uint64_t cap;
};

static void row_free(struct row *r)
{
	free(r->keys);
	free(r->tmp);
	free(r->raw);
	free(r->items);
	free(r->times);
	free(r->ratings);
	free(r->bits);
}

static int row_reserve(struct row *r, uint64_t n)
{
	if (n <= r->cap)
		return 0;
	uint64_t cap = n > 1024 ? n : 1024;
	row_free(r);
	r->keys = malloc(cap * 8);
	r->tmp = malloc(cap * 8);
	r->raw = malloc(cap * 8);
	r->items = malloc(cap * 4);
	r->times = malloc(cap * 4);
	r->ratings = malloc(cap);
	r->bits = malloc(cap);
	int ok = r->keys && r->tmp && r->raw && r->items && r->times && r->ratings && r->bits;
	r->cap = ok ? cap : 0;
	return ok ? 0 : GL_ENOMEM;
}

/* Gather user u's kept ratings in output order into r; returns their count. */
static size_t gather(const struct remap *m, const struct fstate *s, uint64_t u, struct row *r)
{
	const struct glr *g = s->g;
	uint64_t base = g->rowptr[u];
	size_t n = 0;
	for (uint64_t k = base; k < g->rowptr[u + 1]; k++)
		if (fstate_kept(s, k))
			r->keys[n++] = (uint64_t)m->rnew[g->items[k]] << 32 | (k - base);
	usort_u64_hi(r->keys, r->tmp, n); /* positions ascend: gathered in order */
	for (size_t i = 0; i < n; i++) {
		uint64_t k = base + (uint32_t)r->keys[i];
		r->raw[i] = k;
		r->items[i] = (uint32_t)(r->keys[i] >> 32);
		r->ratings[i] = fstate_value(s, k);
		r->times[i] = g->times ? g->times[k] : 0;
		r->bits[i] = (uint8_t)((glr_bit(g->read, k) ? GLR_BIT_READ : 0) |
				       (glr_bit(g->reviewed, k) ? GLR_BIT_REVIEWED : 0));
	}
	return n;
}

static void tally(struct remap *m, uint32_t nu, const struct row *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t f = r->bits[i] & GLR_BIT_VALID ? 2 : 1;
		m->uflag[nu] |= f;
		m->iflag[r->items[i]] |= f;
		m->n_valid += f == 2;
	}
}

int remap_write(struct remap *m, const struct fstate *s, struct splitter *sp, const char *path,
		struct glr_writer **out)
{
	const struct glr *g = s->g;
	struct glr_meta meta = {.n_users = m->n_users, .n_items = m->n_items,
				.n_ratings = m->n_ratings, .scale = g->scale, .flags = GLR_SORTED,
				.has_times = g->times != NULL, .has_read = g->read != NULL,
				.has_reviewed = g->reviewed != NULL, .has_split = 1};
	struct glr_writer *w = NULL;
	struct row r = {0};
	*out = NULL;
	int err = glr_writer_open(&w, path, &meta);
	/* One pass in file order: the raw file's pages behind it go as it
	 * goes, so that what the file holds of the memory falls while the
	 * tables, written on another thread meanwhile, take theirs (pages
	 * ahead are left alone: reading them back would cost more time than
	 * the peak they would save). */
	uint64_t let_go = 0;
	for (uint64_t u = 0; !err && u < g->n_users; u++) {
		if (g->rowptr[u] - let_go >= RELEASE_STEP) {
			glr_release(g, let_go, g->rowptr[u], GLR_REL_ALL & ~GLR_REL_ROWPTR);
			let_go = g->rowptr[u];
		}
		if (m->unew[u] == REMAP_NONE)
			continue;
		if ((err = row_reserve(&r, s->ucount[u]))) {
			log_error("out of memory writing %s", path);
			break;
		}
		size_t n = gather(m, s, u, &r);
		if ((err = split_row(sp, (uint32_t)u, r.raw, n, r.bits))) {
			log_error("out of memory writing %s", path);
			break;
		}
		tally(m, m->unew[u], &r, n);
		err = glr_writer_row(w, r.items, r.ratings, r.times, r.bits, n);
	}
	row_free(&r);
	glr_release(g, 0, g->n_ratings, GLR_REL_ALL);
	if (err) {
		glr_writer_abort(w);
		return err;
	}
	*out = w;
	return 0;
}

void remap_census(const struct remap *m, int which, uint64_t *users, uint64_t *items)
{
	uint64_t nu = 0, ni = 0;
	for (uint64_t u = 0; u < m->n_users; u++)
		nu += (m->uflag[u] & which) != 0;
	for (uint64_t i = 0; i < m->n_items; i++)
		ni += (m->iflag[i] & which) != 0;
	*users = nu;
	*items = ni;
}

void remap_free(struct remap *m)
{
	big_free(m->mem, m->mem_bytes);
	memset(m, 0, sizeof *m);
}
