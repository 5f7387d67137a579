#include "extract_facts.h"

#include "csvwrite.h"
#include "err.h"
#include "glr.h"
#include "intern.h"
#include "log.h"
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REC 13                       /* user u32, item u32, time u32, rating|flags */
#define REC_READ 0x80                /* flags in the rating byte: ratings are then < 64 */
#define REC_REVIEWED 0x40
#define REC_RATING 0x3f
#define WBUF_RECS 65536              /* spill write buffer, in records */
#define RBUF_RECS 65536              /* spill read buffer, in records */
#define SORT_MEM_DEFAULT ((size_t)256 << 20)
#define CACHE_KEY 64                 /* longest user key remembered between calls */
#define BATCH 16                     /* ratings whose item lookups overlap */
#define PREFETCH_LAG 8               /* from slot prefetch to key prefetch */
#define BKEY 64                      /* longest key a batch holds; longer go alone */

/* A rating waiting in the batch, keys copied. */
struct pend {
	char user[BKEY], item[BKEY];
	uint8_t ulen, ilen, rating, bits;
	uint32_t time;
	uint64_t line, off;
	struct intern_hkey ih; /* item's hash, for the prefetches and the lookup */
};

struct seen {
	uint8_t *bits;
	size_t cap; /* bytes */
	uint64_t n;
};

/* Per-file counts need the bitmaps only from the second file with keys on:
 * in a file that starts with both dictionaries empty every key is new, so
 * its distinct users and items are the dictionaries' sizes at its end. */

struct factb {
	struct intern users, items;
	struct fb_opts o;
	struct outfile spill;
	int spill_open;
	unsigned char *wbuf;
	size_t wlen;
	uint32_t *count; /* ratings per user */
	size_t count_cap;
	uint64_t n;
	int grouped;
	int cache_ok;    /* cur_key holds the key of cur */
	uint32_t cur;    /* user of the last rating */
	size_t cur_len;
	char cur_key[CACHE_KEY];
	struct seen fu, fi;
	struct pend batch[BATCH]; /* a ring: nb waiting from first on */
	int first, nb;
	uint64_t fail_line, fail_off; /* where the last failing rating came from */
	int finished; /* fb_finish succeeded: read-only from then on */
	int fresh;    /* the file began with both dictionaries empty */
};

int fb_open(struct factb **out, const char *dir, const struct fb_opts *o)
{
	*out = NULL;
	struct factb *fb = calloc(1, sizeof *fb);
	char *path = NULL;
	int err = GL_ENOMEM;
	if (!fb)
		goto nomem;
	fb->o = *o;
	if (!fb->o.sort_mem)
		fb->o.sort_mem = SORT_MEM_DEFAULT;
	fb->grouped = 1;
	intern_init(&fb->users, o->max_keys);
	intern_init(&fb->items, o->max_keys);
	fb->wbuf = malloc((size_t)WBUF_RECS * REC);
	size_t plen = strlen(dir) + 32;
	path = malloc(plen);
	if (!fb->wbuf || !path)
		goto nomem;
	snprintf(path, plen, "%s/ratings.spill", dir);
	if ((err = outfile_open(&fb->spill, path)))
		goto fail;
	outfile_scratch(&fb->spill); /* read back and removed: never to the disk */
	fb->spill_open = 1;
	free(path);
	*out = fb;
	return 0;
nomem:
	log_error("out of memory starting the ratings file");
fail:
	free(path);
	fb_free(fb);
	return err;
}

static void drop_spill(struct factb *fb)
{
	if (fb->spill_open)
		outfile_abort(&fb->spill);
	fb->spill_open = 0;
}

void fb_free(struct factb *fb)
{
	if (!fb)
		return;
	drop_spill(fb);
	intern_free(&fb->users);
	intern_free(&fb->items);
	free(fb->wbuf);
	free(fb->count);
	free(fb->fu.bits);
	free(fb->fi.bits);
	free(fb);
}

static int flush_spill(struct factb *fb)
{
	if (fb->wlen && fwrite(fb->wbuf, 1, fb->wlen, fb->spill.fp) != fb->wlen) {
		log_error("cannot write the spill file %s: %s", fb->spill.tmp, strerror(errno));
		return GL_EIO;
	}
	fb->wlen = 0;
	return 0;
}

/* Mark id in a per-file bitmap, counting first sightings. */
static int see(struct seen *s, uint32_t id)
{
	size_t byte = id >> 3;
	if (byte >= s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap <= byte)
			cap *= 2;
		uint8_t *b = realloc(s->bits, cap);
		if (!b)
			return GL_ENOMEM;
		memset(b + s->cap, 0, cap - s->cap);
		s->bits = b;
		s->cap = cap;
	}
	uint8_t m = (uint8_t)(1u << (id & 7));
	if (!(s->bits[byte] & m)) {
		s->bits[byte] |= m;
		s->n++;
	}
	return 0;
}

static int count_user(struct factb *fb, uint32_t u)
{
	if (u >= fb->count_cap) {
		size_t cap = fb->count_cap ? 2 * fb->count_cap : 1024;
		uint32_t *c = realloc(fb->count, cap * sizeof *c);
		if (!c)
			return GL_ENOMEM;
		memset(c + fb->count_cap, 0, (cap - fb->count_cap) * sizeof *c);
		fb->count = c;
		fb->count_cap = cap;
	}
	if (fb->count[u] == UINT32_MAX)
		return GL_ELIMIT;
	fb->count[u]++;
	return 0;
}

static int user_id(struct factb *fb, const char *key, size_t len, uint32_t *u)
{
	if (fb->cache_ok && len == fb->cur_len && memcmp(key, fb->cur_key, len) == 0) {
		*u = fb->cur;
		return 0;
	}
	int rc = intern_put(&fb->users, key, len, u);
	if (rc < 0)
		return rc;
	if (rc == 0 && fb->n && *u != fb->cur)
		fb->grouped = 0; /* a user came back after another one */
	fb->cur = *u;
	fb->cur_len = len;
	fb->cache_ok = len <= CACHE_KEY; /* a longer key is looked up every time */
	if (fb->cache_ok)
		memcpy(fb->cur_key, key, len);
	return 0;
}

/* The spill's rating byte holds the read and reviewed bits too only when
 * the file has those bitmaps: otherwise a rating has all eight bits. */
static int has_flags(const struct factb *fb) { return fb->o.has_read || fb->o.has_reviewed; }

static int add_now(struct factb *fb, const char *user, size_t ulen, const char *item,
		   size_t ilen, const struct intern_hkey *ih, uint8_t rating, uint32_t time,
		   unsigned bits)
{
	uint32_t u, it;
	int rc = user_id(fb, user, ulen, &u);
	if (rc >= 0)
		rc = ih ? intern_put_hashed(&fb->items, item, ilen, ih, &it)
			: intern_put(&fb->items, item, ilen, &it);
	if (rc >= 0)
		rc = count_user(fb, u);
	if (rc >= 0 && !fb->fresh && (rc = see(&fb->fu, u)) >= 0)
		rc = see(&fb->fi, it);
	if (rc == GL_ENOMEM)
		log_error("out of memory interning ids");
	if (rc < 0)
		return rc;
	unsigned char *r = fb->wbuf + fb->wlen;
	memcpy(r, &u, 4);
	memcpy(r + 4, &it, 4);
	memcpy(r + 8, &time, 4);
	r[12] = !has_flags(fb) ? rating
			       : (unsigned char)((rating & REC_RATING) |
						 (bits & GLR_BIT_READ ? REC_READ : 0) |
						 (bits & GLR_BIT_REVIEWED ? REC_REVIEWED : 0));
	fb->wlen += REC;
	fb->n++;
	if (fb->wlen == (size_t)WBUF_RECS * REC)
		return flush_spill(fb);
	return 0;
}

/* Process the oldest waiting rating. */
static int add_oldest(struct factb *fb)
{
	const struct pend *p = &fb->batch[fb->first];
	fb->first = (fb->first + 1) % BATCH;
	fb->nb--;
	int err = add_now(fb, p->user, p->ulen, p->item, p->ilen, &p->ih, p->rating, p->time,
			  p->bits);
	if (err) {
		fb->fail_line = p->line;
		fb->fail_off = p->off;
	}
	return err;
}

int fb_flush(struct factb *fb)
{
	int err = 0;
	for (int i = 0; i < fb->nb; i++) {
		const struct pend *p = &fb->batch[(fb->first + i) % BATCH];
		intern_prefetch_hashed(&fb->items, &p->ih, 1);
	}
	while (fb->nb && !err)
		err = add_oldest(fb);
	fb->nb = 0;
	return err;
}

/* Item lookups miss the cache on big dictionaries, so ratings wait in a
 * ring: the hash slot of a rating's item is requested when it arrives, the
 * key that slot points to PREFETCH_LAG ratings later, and the lookup itself
 * when the ring is full - by then both are (usually) in the cache. */
int fb_add(struct factb *fb, const char *user, size_t ulen, const char *item, size_t ilen,
	   uint8_t rating, uint32_t time, unsigned bits, uint64_t line, uint64_t off)
{
	int err;
	if (ulen > BKEY || ilen > BKEY) {
		if (!(err = fb_flush(fb)) && (err = add_now(fb, user, ulen, item, ilen, NULL, rating, time, bits))) {
			fb->fail_line = line;
			fb->fail_off = off;
		}
		return err;
	}
	if (fb->nb == BATCH && (err = add_oldest(fb)))
		return err;
	struct pend *p = &fb->batch[(fb->first + fb->nb++) % BATCH];
	memcpy(p->user, user, ulen);
	memcpy(p->item, item, ilen);
	p->ulen = (uint8_t)ulen;
	p->ilen = (uint8_t)ilen;
	p->rating = rating;
	p->bits = (uint8_t)bits;
	p->time = time;
	p->line = line;
	p->off = off;
	intern_hash(&fb->items, item, ilen, &p->ih);
	intern_prefetch_hashed(&fb->items, &p->ih, 0);
	if (fb->nb > PREFETCH_LAG) {
		const struct pend *q = &fb->batch[(fb->first + fb->nb - 1 - PREFETCH_LAG) % BATCH];
		intern_prefetch_hashed(&fb->items, &q->ih, 1);
	}
	return 0;
}

void fb_fail_pos(const struct factb *fb, uint64_t *line, uint64_t *off)
{
	*line = fb->fail_line;
	*off = fb->fail_off;
}

void fb_file_start(struct factb *fb)
{
	if (fb->fu.bits)
		memset(fb->fu.bits, 0, fb->fu.cap);
	if (fb->fi.bits)
		memset(fb->fi.bits, 0, fb->fi.cap);
	fb->fu.n = fb->fi.n = 0;
	fb->fresh = fb->users.n == 0 && fb->items.n == 0;
}

uint64_t fb_file_users(const struct factb *fb) { return fb->fresh ? fb->users.n : fb->fu.n; }
uint64_t fb_file_items(const struct factb *fb) { return fb->fresh ? fb->items.n : fb->fi.n; }
uint64_t fb_n_ratings(const struct factb *fb) { return fb->n; }
uint32_t fb_n_users(const struct factb *fb) { return fb->users.n; }
uint32_t fb_n_items(const struct factb *fb) { return fb->items.n; }
int fb_grouped(const struct factb *fb) { return fb->grouped; }

size_t fb_memory(const struct factb *fb)
{
	return intern_memory(&fb->users) + intern_memory(&fb->items) +
	       fb->count_cap * sizeof *fb->count + fb->fu.cap + fb->fi.cap;
}

/* ---- writing the CSR file ---------------------------------------------------- */

/* Columns of some ratings in CSR order, about to be handed to the writer. */
struct cols {
	uint32_t *items, *times;
	uint8_t *ratings, *bits;
	size_t cap;
};

static int cols_alloc(struct cols *c, size_t cap)
{
	c->cap = cap;
	c->items = malloc(cap * 4);
	c->times = malloc(cap * 4);
	c->ratings = malloc(cap);
	c->bits = malloc(cap);
	return c->items && c->times && c->ratings && c->bits ? 0 : GL_ENOMEM;
}

static void cols_free(struct cols *c)
{
	free(c->items);
	free(c->times);
	free(c->ratings);
	free(c->bits);
}

static void cols_put(struct cols *c, size_t k, const unsigned char *r, int flags)
{
	memcpy(&c->items[k], r + 4, 4);
	memcpy(&c->times[k], r + 8, 4);
	if (!flags) {
		c->ratings[k] = r[12];
		c->bits[k] = 0;
		return;
	}
	c->ratings[k] = r[12] & REC_RATING;
	c->bits[k] = (uint8_t)((r[12] & REC_READ ? GLR_BIT_READ : 0) |
			       (r[12] & REC_REVIEWED ? GLR_BIT_REVIEWED : 0));
}

/* Hands ratings in CSR order to the writer, closing each row when the
 * user's count is reached. */
struct emitter {
	struct glr_writer *w;
	const struct factb *fb;
	uint64_t u;    /* the row being written */
	uint64_t left; /* ratings still due in it */
};

static int next_row(struct emitter *e)
{
	while (e->left == 0 && e->u < e->fb->users.n) {
		int err = glr_writer_end_row(e->w);
		if (err)
			return err;
		if (++e->u < e->fb->users.n)
			e->left = e->fb->count[e->u];
	}
	return 0;
}

static int emit(struct emitter *e, const struct cols *c, size_t from, size_t n)
{
	while (n) {
		size_t take = n < e->left ? n : (size_t)e->left;
		if (take == 0)
			return GL_EUSAGE; /* more ratings than the counts: a bug */
		int err = glr_writer_append(e->w, c->items + from, c->ratings + from,
					    e->fb->o.has_times ? c->times + from : NULL,
					    c->bits + from, take);
		if (err)
			return err;
		from += take;
		n -= take;
		e->left -= take;
		if ((err = next_row(e)))
			return err;
	}
	return 0;
}

/* The spill read back in windows of RBUF_RECS records into one buffer.
 * Not mapped: unmapping a window flushes the TLB of every CPU running one
 * of the process's threads (the books' parse runs beside this), which on
 * a 2-core VM took milliseconds a window, far more than the copy. */
#define WINDOW ((size_t)RBUF_RECS * REC)

struct spill_in {
	int fd;
	const char *name;
	uint64_t size, at; /* bytes of the n records; the next to hand out */
	unsigned char *buf; /* a window */
};

/* Open the spill, which must hold n records.  0, GL_EIO or GL_ENOMEM
 * (logged). */
static int spill_in_open(struct spill_in *s, const char *name, uint64_t n)
{
	memset(s, 0, sizeof *s);
	s->name = name;
	s->size = n * REC;
	struct stat st;
	if ((s->fd = open(name, O_RDONLY | O_CLOEXEC)) < 0 || fstat(s->fd, &st) != 0) {
		log_error("cannot read the spill file %s: %s", name, strerror(errno));
		return GL_EIO;
	}
	if ((uint64_t)st.st_size < s->size) {
		log_error("the spill file %s is shorter than written", name);
		return GL_EIO;
	}
	if (!(s->buf = malloc(WINDOW))) {
		log_error("out of memory writing ratings");
		return GL_ENOMEM;
	}
	posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return 0;
}

/* The next window's records at *recs: their count, 0 at the end, or
 * GL_EIO (logged). */
static long spill_in_next(struct spill_in *s, const unsigned char **recs)
{
	if (s->at >= s->size)
		return 0;
	size_t len = s->size - s->at < WINDOW ? (size_t)(s->size - s->at) : WINDOW;
	for (size_t got = 0; got < len;) {
		ssize_t n = pread(s->fd, s->buf + got, len - got, (off_t)(s->at + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				log_error("cannot read the spill file %s: %s", s->name, strerror(errno));
			else
				log_error("the spill file %s is shorter than written", s->name);
			return GL_EIO;
		}
		got += (size_t)n;
	}
	*recs = s->buf;
	s->at += len;
	return (long)(len / REC);
}

static void spill_in_close(struct spill_in *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
}

static int copy_grouped(struct emitter *e, struct spill_in *in)
{
	struct cols c;
	int err = cols_alloc(&c, RBUF_RECS), flags = has_flags(e->fb);
	const unsigned char *recs;
	long got;
	while (!err && (got = spill_in_next(in, &recs)) != 0) {
		if (got < 0) {
			err = (int)got;
			break;
		}
		for (long k = 0; k < got; k++)
			cols_put(&c, (size_t)k, recs + (size_t)k * REC, flags);
		err = emit(e, &c, 0, (size_t)got);
	}
	cols_free(&c);
	return err == GL_ENOMEM ? (log_error("out of memory writing ratings"), err) : err;
}

/* Fill the CSR positions [lo, lo + cap) from one pass over the spill. */
static int scatter_pass(struct spill_in *in, const uint64_t *rowptr, uint64_t *cursor,
			uint64_t n_users, uint64_t lo, struct cols *c, int flags)
{
	memcpy(cursor, rowptr, n_users * sizeof *cursor);
	in->at = 0;
	const unsigned char *recs;
	long got;
	while ((got = spill_in_next(in, &recs)) > 0)
		for (long k = 0; k < got; k++) {
			const unsigned char *r = recs + (size_t)k * REC;
			uint32_t u;
			memcpy(&u, r, 4);
			uint64_t pos = cursor[u]++;
			if (pos >= lo && pos - lo < c->cap)
				cols_put(c, (size_t)(pos - lo), r, flags);
		}
	return got < 0 ? (int)got : 0;
}

static int copy_scattered(struct emitter *e, struct spill_in *in)
{
	const struct factb *fb = e->fb;
	uint64_t nu = fb->users.n;
	size_t cap = fb->o.sort_mem / 10;
	if (cap < 1024)
		cap = 1024;
	if (cap > fb->n)
		cap = fb->n ? (size_t)fb->n : 1;
	uint64_t *rowptr = malloc((nu + 1) * sizeof *rowptr);
	uint64_t *cursor = malloc((nu + 1) * sizeof *cursor);
	struct cols c;
	int err = cols_alloc(&c, cap);
	if (!rowptr || !cursor || err) {
		log_error("out of memory writing ratings");
		err = GL_ENOMEM;
		goto done;
	}
	rowptr[0] = 0;
	for (uint64_t u = 0; u < nu; u++)
		rowptr[u + 1] = rowptr[u] + fb->count[u];
	for (uint64_t lo = 0; lo < fb->n && !err; lo += cap) {
		size_t n = fb->n - lo < cap ? (size_t)(fb->n - lo) : cap;
		err = scatter_pass(in, rowptr, cursor, nu, lo, &c, has_flags(fb));
		if (!err)
			err = emit(e, &c, 0, n);
	}
done:
	cols_free(&c);
	free(rowptr);
	free(cursor);
	return err;
}

int fb_finish(struct factb *fb)
{
	if (fb->finished)
		return 0;
	int err = fb_flush(fb);
	if (!err)
		err = flush_spill(fb);
	if (!err && fflush(fb->spill.fp) != 0) {
		log_error("cannot write the spill file %s: %s", fb->spill.tmp, strerror(errno));
		err = GL_EIO;
	}
	fb->finished = !err;
	return err;
}

int fb_write_glr(struct factb *fb, const char *path)
{
	struct glr_meta m = {.n_users = fb->users.n, .n_items = fb->items.n, .n_ratings = fb->n,
			     .scale = fb->o.scale > 0 ? fb->o.scale : 0.5f,
			     .has_times = fb->o.has_times, .has_read = fb->o.has_read,
			     .has_reviewed = fb->o.has_reviewed};
	struct glr_writer *w = NULL;
	struct spill_in in = {.fd = -1};
	int err = fb_finish(fb);
	if (!err)
		err = spill_in_open(&in, fb->spill.tmp, fb->n);
	if (!err)
		err = glr_writer_open(&w, path, &m);
	if (!err) {
		struct emitter e = {.w = w, .fb = fb, .u = 0, .left = m.n_users ? fb->count[0] : 0};
		err = next_row(&e);
		if (!err)
			err = fb->grouped && !fb->o.force_scatter ? copy_grouped(&e, &in)
								  : copy_scattered(&e, &in);
	}
	spill_in_close(&in);
	/* read for the last time: its pages go now (on the caller's thread,
	 * which may be one of its own), not at the end of the run */
	drop_spill(fb);
	if (err) {
		glr_writer_abort(w);
		return err;
	}
	return glr_writer_commit(w);
}

/* Packed keys (hex, decimal) never need CSV quoting: rows are formatted
 * by hand into a block, which is several times faster than stdio per row. */
static size_t put_u64(char *out, uint64_t v)
{
	char digits[20];
	size_t n = 0, at = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		out[at++] = digits[--n];
	return at;
}

#define ROW_MAX 64 /* id, comma, a packed key (32 hex or 20 decimal digits), newline */

/* "id,key\n" of a packed table at out.  A decimal key is formatted here
 * from its packed word (intern.h: one word per key), since intern_key's
 * snprintf would be most of the table's time. */
static size_t put_row(char *out, uint32_t id, const struct intern *t)
{
	size_t at = put_u64(out, id);
	out[at++] = ',';
	if (t->mode == INTERN_NUM)
		at += put_u64(out + at, t->k64[id]);
	else /* 32 hex digits and a NUL, which the newline replaces */
		at += intern_key(t, id, out + at, ROW_MAX - at);
	out[at++] = '\n';
	return at;
}

int fb_write_keys(const struct factb *fb, int users, FILE *f, const char *idcol,
		  const char *keycol)
{
	const struct intern *t = users ? &fb->users : &fb->items;
	size_t cap = 256, used = 0, block_cap = (size_t)1 << 20;
	char *key = NULL, *block = NULL;
	fprintf(f, "%s,", idcol);
	csvw_str(f, keycol); /* a user's own column name may need quotes */
	fputc('\n', f);
	if (t->mode != INTERN_STR) {
		if (!(block = malloc(block_cap)))
			goto nomem;
		for (uint32_t id = 0; id < t->n; id++) {
			if (used + ROW_MAX > block_cap) {
				fwrite(block, 1, used, f);
				used = 0;
			}
			used += put_row(block + used, id, t);
		}
		fwrite(block, 1, used, f);
		free(block);
		return 0;
	}
	if (!(key = malloc(cap)))
		goto nomem;
	for (uint32_t id = 0; id < t->n; id++) { /* any text: csvwrite quotes it as needed */
		size_t len = intern_key(t, id, key, cap);
		if (len >= cap) {
			char *k = realloc(key, len + 1);
			if (!k)
				goto nomem;
			key = k;
			cap = len + 1;
			intern_key(t, id, key, cap);
		}
		fprintf(f, "%u,", id);
		csvw_field(f, key, len);
		fputc('\n', f);
	}
	free(key);
	return 0;
nomem:
	free(key);
	free(block);
	log_error("out of memory writing the id table");
	return GL_ENOMEM;
}
