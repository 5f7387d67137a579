#include "glr.h"

#include "err.h"
#include "log.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { S_META, S_ROWPTR, S_ITEMS, S_RATINGS, S_TIMES, S_READ, S_REVIEWED, S_SPLIT, S_N };
static const char *const sec_names[S_N] = {"meta", "rowptr", "items", "ratings",
					   "times", "read", "reviewed", "split"};
#define META_LEN 64

struct glr_writer {
	struct secw *w;
	struct glr_meta m;
	int idx[S_N];      /* section index in the file, -1 if absent */
	uint64_t row, at;  /* rows and ratings written */
	uint8_t bits[3];   /* partial bitmap bytes for read, reviewed and split */
	char *path;
};

int glr_encode(double r, float scale, uint8_t *out)
{
	double q = r / scale;
	double k = nearbyint(q);
	if (!(fabs(q - k) < 1e-6) || k < 0 || k > 255)
		return GL_EFORMAT;
	*out = (uint8_t)k;
	return 0;
}

int glr_writer_open(struct glr_writer **out, const char *path, const struct glr_meta *m)
{
	*out = NULL;
	if (m->n_users > UINT32_MAX || m->n_items > UINT32_MAX || m->n_ratings > (UINT64_MAX >> 4) ||
	    m->n_items > m->n_ratings ||
	    !(m->scale > 0) || !isfinite(m->scale)) {
		log_error("%s: counts or scale out of range for a .glr file (items must not "
			  "outnumber ratings)", path);
		return GL_EUSAGE;
	}
	struct glr_writer *g = calloc(1, sizeof *g);
	if (!g) {
		log_error("out of memory writing %s", path);
		return GL_ENOMEM;
	}
	g->m = *m;
	g->path = strdup(path);
	uint64_t nnz = m->n_ratings, nbits = (nnz + 7) / 8;
	uint64_t lens[S_N] = {META_LEN, 8 * (m->n_users + 1), 4 * nnz, nnz, 4 * nnz,
			      nbits, nbits, nbits};
	int present[S_N] = {1, 1, 1, 1, m->has_times, m->has_read, m->has_reviewed, m->has_split};
	struct secdef defs[S_N];
	int n = 0;
	for (int s = 0; s < S_N; s++) {
		g->idx[s] = present[s] ? n : -1;
		if (present[s])
			defs[n++] = (struct secdef){sec_names[s], lens[s]};
	}
	int err = g->path ? secw_open(&g->w, path, GLR_MAGIC, GLR_VERSION, defs, n) : GL_ENOMEM;
	if (!err) {
		uint8_t meta[META_LEN] = {0};
		memcpy(meta, &m->n_users, 8);
		memcpy(meta + 8, &m->n_items, 8);
		memcpy(meta + 16, &m->n_ratings, 8);
		memcpy(meta + 24, &m->scale, 4);
		memcpy(meta + 28, &m->flags, 4);
		uint64_t zero = 0;
		err = secw_append(g->w, g->idx[S_META], meta, META_LEN);
		if (!err)
			err = secw_append(g->w, g->idx[S_ROWPTR], &zero, 8);
	}
	if (err) {
		glr_writer_abort(g);
		return err;
	}
	*out = g;
	return 0;
}

/* Bit `mask` of each of the 8 bytes at b, as one byte (byte j -> bit j). */
static uint8_t pack8(const uint8_t *b, uint8_t mask)
{
	uint64_t v;
	memcpy(&v, b, 8);
	unsigned shift = (unsigned)__builtin_ctz(mask);
	v = (v >> shift) & 0x0101010101010101ull;
	/* each byte's low bit lands in bit 56 + j, and no two products overlap */
	return (uint8_t)((v * 0x0102040810204080ull) >> 56);
}

/* Pack bit `mask` of each of bits[0..n) into section s, continuing the
 * partial byte left by the previous row; whole bytes eight at a time. */
static int append_bits(struct glr_writer *g, int s, int slot, const uint8_t *bits,
		       uint8_t mask, uint64_t n)
{
	uint8_t buf[4096];
	size_t used = 0;
	uint64_t k = g->at;
	for (uint64_t i = 0; i < n;) {
		if ((k & 7) == 0 && n - i >= 8) {
			buf[used++] = bits ? pack8(bits + i, mask) : 0;
			i += 8, k += 8;
		} else {
			if (bits && (bits[i] & mask))
				g->bits[slot] |= (uint8_t)(1u << (k & 7));
			if ((k & 7) == 7 || k + 1 == g->m.n_ratings) {
				buf[used++] = g->bits[slot];
				g->bits[slot] = 0;
			}
			i++, k++;
		}
		if (used == sizeof buf) {
			int err = secw_append(g->w, g->idx[s], buf, used);
			if (err)
				return err;
			used = 0;
		}
	}
	return secw_append(g->w, g->idx[s], buf, used);
}

int glr_writer_append(struct glr_writer *g, const uint32_t *items, const uint8_t *ratings,
		      const uint32_t *times, const uint8_t *bits, uint64_t n)
{
	if (g->row >= g->m.n_users || n > g->m.n_ratings - g->at) {
		log_error("%s: more rows or ratings than declared", g->path);
		return GL_EUSAGE;
	}
	uint32_t top = 0; /* a plain maximum: the compiler does it in vectors */
	for (uint64_t i = 0; i < n; i++)
		top = items[i] > top ? items[i] : top;
	if (n && top >= g->m.n_items) {
		log_error("%s: item id %u out of range (%" PRIu64 " items)", g->path, top,
			  (uint64_t)g->m.n_items);
		return GL_EUSAGE;
	}
	int err = secw_append(g->w, g->idx[S_ITEMS], items, 4 * n);
	if (!err)
		err = secw_append(g->w, g->idx[S_RATINGS], ratings, n);
	if (!err && g->idx[S_TIMES] >= 0 && times)
		err = secw_append(g->w, g->idx[S_TIMES], times, 4 * n);
	for (uint64_t i = 0; !err && g->idx[S_TIMES] >= 0 && !times && i < n; i++) {
		uint32_t t = 0;
		err = secw_append(g->w, g->idx[S_TIMES], &t, 4);
	}
	if (!err && g->idx[S_READ] >= 0)
		err = append_bits(g, S_READ, 0, bits, GLR_BIT_READ, n);
	if (!err && g->idx[S_REVIEWED] >= 0)
		err = append_bits(g, S_REVIEWED, 1, bits, GLR_BIT_REVIEWED, n);
	if (!err && g->idx[S_SPLIT] >= 0)
		err = append_bits(g, S_SPLIT, 2, bits, GLR_BIT_VALID, n);
	g->at += n;
	return err;
}

int glr_writer_end_row(struct glr_writer *g)
{
	if (g->row >= g->m.n_users) {
		log_error("%s: more rows or ratings than declared", g->path);
		return GL_EUSAGE;
	}
	g->row++;
	return secw_append(g->w, g->idx[S_ROWPTR], &g->at, 8);
}

int glr_writer_row(struct glr_writer *g, const uint32_t *items, const uint8_t *ratings,
		   const uint32_t *times, const uint8_t *bits, uint64_t n)
{
	int err = glr_writer_append(g, items, ratings, times, bits, n);
	return err ? err : glr_writer_end_row(g);
}

int glr_writer_commit(struct glr_writer *g)
{
	int err = 0;
	if (g->row != g->m.n_users || g->at != g->m.n_ratings) {
		log_error("%s: wrote %" PRIu64 " rows and %" PRIu64 " ratings, declared %" PRIu64
			  " and %" PRIu64,
			  g->path, (uint64_t)g->row, (uint64_t)g->at, (uint64_t)g->m.n_users,
			  (uint64_t)g->m.n_ratings);
		secw_abort(g->w);
		err = GL_EUSAGE;
	} else {
		err = secw_commit(g->w);
	}
	free(g->path);
	free(g);
	return err;
}

void glr_writer_abort(struct glr_writer *g)
{
	if (!g)
		return;
	secw_abort(g->w);
	free(g->path);
	free(g);
}

/* ---- reader ---------------------------------------------------------------- */

/* GLR_CRC_ASYNC: the thread checking the checksums, and the first fault
 * the other checks found meanwhile (told only when the checksums pass: a
 * corrupted file is reported as one). */
struct glr_check {
	pthread_t tid;
	int started, done, err;
	unsigned release; /* glr_release's what, let go once checked */
	char why[200];
};

static int invalid(struct glr *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int invalid(struct glr *g, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (g->check && !g->check->why[0])
		snprintf(g->check->why, sizeof g->check->why, "%s", msg);
	else if (!g->check)
		log_error("%s: not a valid ratings file: %s", g->f.path, msg);
	return GL_EFORMAT;
}

/* Fetch section name, which must be exactly want bytes (optional: may be absent). */
static int section(struct glr *g, const char *name, uint64_t want, int optional, const void **p)
{
	uint64_t len;
	*p = secfile_get(&g->f, name, &len);
	if (!*p && optional)
		return 0;
	if (!*p)
		return invalid(g, "no %s section", name);
	if (len != want)
		return invalid(g, "section %s is %" PRIu64 " bytes, expected %" PRIu64, name,
			       (uint64_t)len, (uint64_t)want);
	return 0;
}

static int check_rows(struct glr *g)
{
	const uint64_t *rp = g->rowptr;
	if (rp[0] != 0)
		return invalid(g, "first row pointer is %" PRIu64 ", not 0", (uint64_t)rp[0]);
	for (uint64_t u = 0; u < g->n_users; u++)
		if (rp[u + 1] < rp[u])
			return invalid(g, "row pointers decrease at user %" PRIu64, (uint64_t)u);
	if (rp[g->n_users] != g->n_ratings)
		return invalid(g, "last row pointer is %" PRIu64 ", not the %" PRIu64 " ratings",
			       (uint64_t)rp[g->n_users], (uint64_t)g->n_ratings);
	/* Both checks pass on every valid file: a branch-free sweep first (the
	 * compiler vectorises it), the faulty rating found only when it fails. */
	uint32_t top = 0;
	for (uint64_t k = 0; k < g->n_ratings; k++)
		top = g->items[k] > top ? g->items[k] : top;
	for (uint64_t k = 0; g->n_ratings && top >= g->n_items && k < g->n_ratings; k++)
		if (g->items[k] >= g->n_items)
			return invalid(g, "rating %" PRIu64 " has item id %u, out of range",
				       (uint64_t)k, g->items[k]);
	if (g->flags & GLR_SORTED)
		for (uint64_t u = 0; u < g->n_users; u++) {
			unsigned bad = 0;
			for (uint64_t k = rp[u] + 1; k < rp[u + 1]; k++)
				bad |= g->items[k] <= g->items[k - 1];
			if (bad)
				return invalid(g, "user %" PRIu64 "'s items are not sorted",
					       (uint64_t)u);
		}
	return 0;
}

static int load(struct glr *g)
{
	uint64_t len;
	const uint8_t *meta = secfile_get(&g->f, "meta", &len);
	if (!meta || len != META_LEN)
		return invalid(g, "meta section missing or not %d bytes", META_LEN);
	memcpy(&g->n_users, meta, 8);
	memcpy(&g->n_items, meta + 8, 8);
	memcpy(&g->n_ratings, meta + 16, 8);
	memcpy(&g->scale, meta + 24, 4);
	memcpy(&g->flags, meta + 28, 4);
	if (g->n_users > UINT32_MAX || g->n_items > UINT32_MAX)
		return invalid(g, "%" PRIu64 " users or %" PRIu64 " items exceed 32-bit ids",
			       (uint64_t)g->n_users, (uint64_t)g->n_items);
	if (g->n_ratings > g->f.size)
		return invalid(g, "%" PRIu64 " ratings cannot fit in %" PRIu64 " bytes",
			       (uint64_t)g->n_ratings, (uint64_t)g->f.size);
	/* Every item a goodlens file names has a rating; without this bound a
	 * 5 KB file could ask its readers for tables of 2^32 items. */
	if (g->n_items > g->n_ratings)
		return invalid(g, "%" PRIu64 " items but only %" PRIu64 " ratings",
			       (uint64_t)g->n_items, (uint64_t)g->n_ratings);
	if (!(g->scale > 0) || !isfinite(g->scale))
		return invalid(g, "rating scale is not positive");
	if (g->flags & ~(uint32_t)GLR_SORTED)
		return invalid(g, "unknown flags %#x", g->flags);
	uint64_t nnz = g->n_ratings, nbits = (nnz + 7) / 8;
	const void *p;
	int err = section(g, "rowptr", 8 * (g->n_users + 1), 0, &p);
	g->rowptr = p;
	if (!err)
		err = section(g, "items", 4 * nnz, 0, &p), g->items = p;
	if (!err)
		err = section(g, "ratings", nnz, 0, &p), g->ratings = p;
	if (!err)
		err = section(g, "times", 4 * nnz, 1, &p), g->times = p;
	if (!err)
		err = section(g, "read", nbits, 1, &p), g->read = p;
	if (!err)
		err = section(g, "reviewed", nbits, 1, &p), g->reviewed = p;
	if (!err)
		err = section(g, "split", nbits, 1, &p), g->split = p;
	return err ? err : check_rows(g);
}

/* Let go of the sections in what, found by name (the thread cannot use
 * g's pointers: load sets them meanwhile). */
static void release_sections(const struct secfile *f, unsigned what)
{
	static const struct {
		unsigned what;
		const char *name;
	} secs[] = {{GLR_REL_ROWPTR, "rowptr"}, {GLR_REL_ITEMS, "items"},
		    {GLR_REL_RATINGS, "ratings"}, {GLR_REL_TIMES, "times"},
		    {GLR_REL_BITS, "read"},	  {GLR_REL_BITS, "reviewed"},
		    {GLR_REL_BITS, "split"}};
	for (size_t i = 0; i < sizeof secs / sizeof *secs; i++) {
		uint64_t len;
		const void *p = (what & secs[i].what) ? secfile_get(f, secs[i].name, &len) : NULL;
		if (p)
			secfile_release(f, p, len);
	}
}

static void *check_thread(void *arg)
{
	struct glr *g = arg;
	g->check->err = secfile_check_crc(&g->f); /* reads g->f only */
	if (!g->check->err && g->check->release)
		release_sections(&g->f, g->check->release);
	return NULL;
}

int glr_verdict(struct glr *g)
{
	struct glr_check *c = g->check;
	if (!c)
		return 0;
	if (!c->done) {
		if (c->started)
			pthread_join(c->tid, NULL);
		else
			check_thread(g);
		c->done = 1;
	}
	return c->err;
}

static int open_file(struct glr *g, const char *path, int flags, unsigned release);

int glr_open(struct glr *g, const char *path, int flags)
{
	return open_file(g, path, flags, 0);
}

int glr_open_async(struct glr *g, const char *path, unsigned release)
{
	return open_file(g, path, GLR_CRC_ASYNC, release);
}

static int open_file(struct glr *g, const char *path, int flags, unsigned release)
{
	memset(g, 0, sizeof *g);
	int async = (flags & GLR_CRC_ASYNC) && !(flags & SEC_NO_CRC);
	flags &= ~GLR_CRC_ASYNC;
	int err = secfile_open(&g->f, path, GLR_MAGIC, GLR_VERSION, async ? flags | SEC_NO_CRC : flags,
			       ".glr");
	if (err)
		return err;
	if (async && !(g->check = calloc(1, sizeof *g->check))) {
		log_error("out of memory opening %s", path);
		glr_close(g);
		return GL_ENOMEM;
	}
	if (async) {
		g->check->release = release;
		g->check->started = pthread_create(&g->check->tid, NULL, check_thread, g) == 0;
	}
	if (async && !g->check->started && (err = glr_verdict(g))) {
		glr_close(g);
		return err;
	}
	if ((err = load(g))) {
		/* a checksum mismatch first, as a synchronous open tells it */
		if (g->check && !glr_verdict(g))
			log_error("%s: not a valid ratings file: %s", g->f.path, g->check->why);
		glr_close(g);
		return err;
	}
	return 0;
}

int glr_open_mem(struct glr *g, const void *buf, size_t len, const char *name)
{
	memset(g, 0, sizeof *g);
	int err = secfile_open_mem(&g->f, buf, len, name, GLR_MAGIC, GLR_VERSION, 0);
	if (!err && (err = load(g)))
		glr_close(g);
	return err;
}

void glr_release(const struct glr *g, uint64_t lo, uint64_t hi, unsigned what)
{
	const struct secfile *f = &g->f;
	if (what & GLR_REL_ROWPTR)
		secfile_release(f, g->rowptr, 8 * (g->n_users + 1));
	if (hi > g->n_ratings)
		hi = g->n_ratings;
	if (lo >= hi)
		return;
	uint64_t n = hi - lo;
	if (what & GLR_REL_ITEMS)
		secfile_release(f, g->items + lo, 4 * n);
	if (what & GLR_REL_RATINGS)
		secfile_release(f, g->ratings + lo, n);
	if ((what & GLR_REL_TIMES) && g->times)
		secfile_release(f, g->times + lo, 4 * n);
	const uint8_t *bits[] = {g->read, g->reviewed, g->split};
	for (int i = 0; i < 3; i++)
		if ((what & GLR_REL_BITS) && bits[i])
			secfile_release(f, bits[i] + lo / 8, hi / 8 - lo / 8);
}

void glr_close(struct glr *g)
{
	if (g->check) {
		glr_verdict(g); /* the thread reads the mapping: wait before unmapping */
		free(g->check);
	}
	secfile_close(&g->f);
	memset(g, 0, sizeof *g);
}
