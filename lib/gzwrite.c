#include "gzwrite.h"

#include "err.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Plain output buffer: big enough that fwrite sees large blocks. */
#define PLAIN_BUF (256u << 10)
/* A compression block, as pigz: small enough to spread over threads, large
 * enough that the restart at each block costs nothing measurable. */
#define BLOCK (128u << 10)
/* deflate's window: the dictionary that carries context across blocks. */
#define DICT 32768u
/* OS byte of the gzip header: Unix, whatever machine writes the file. */
#define GZ_OS_UNIX 3

enum { JOB_FREE, JOB_QUEUED, JOB_BUSY, JOB_DONE };

struct gzw_job {
	unsigned char *in;   /* BLOCK bytes of input */
	size_t in_len;
	unsigned char *dict; /* the DICT bytes before it in the member */
	size_t dict_len;
	unsigned char *out;  /* raw deflate data */
	size_t out_len, out_cap;
	uLong crc;           /* of in */
	int last;            /* ends the member (BFINAL) */
	int state;
	int err;             /* 0 or a gl_err from compressing */
};

struct gzw_worker {
	struct gzw *w;
	z_stream zs;
	int zlive;
	int started;
	pthread_t tid;
};

static int fail(struct gzw *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

static int write_out(struct gzw *w, const void *p, size_t n)
{
	if (n == 0 || w->err)
		return w->err;
	if (fwrite(p, 1, n, w->of.fp) != n) {
		log_error("cannot write %s: %s", w->of.path, strerror(errno));
		return fail(w, GL_EIO);
	}
	w->bytes_out += n;
	return 0;
}

/* ---- one block ------------------------------------------------------------ */

static int zinit(z_stream *zs, int level)
{
	memset(zs, 0, sizeof *zs);
	/* windowBits -15: raw deflate, the gzip framing is written here. */
	int ret = deflateInit2(zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	return ret == Z_OK ? 0 : ret == Z_MEM_ERROR ? GL_ENOMEM : GL_EIO;
}

/* Deflate one block into job->out: primed with its dictionary, ended by a
 * sync flush (byte-aligned, not final) or, for the member's last block, by
 * the final block.  Concatenated, the pieces are one deflate stream.
 * Runs in a worker or in the caller; touches only the job and zs. */
static void compress_job(struct gzw_job *j, z_stream *zs)
{
	int flush = j->last ? Z_FINISH : Z_SYNC_FLUSH, ret;
	j->err = 0;
	j->out_len = 0;
	j->crc = crc32(0L, j->in, (uInt)j->in_len);
	if (deflateReset(zs) != Z_OK ||
	    (j->dict_len && deflateSetDictionary(zs, j->dict, (uInt)j->dict_len) != Z_OK)) {
		j->err = GL_EIO;
		return;
	}
	zs->next_in = j->in;
	zs->avail_in = (uInt)j->in_len;
	for (;;) {
		if (j->out_cap - j->out_len < 64) {
			size_t cap = j->out_cap ? 2 * j->out_cap : deflateBound(zs, BLOCK) + 64;
			unsigned char *out = realloc(j->out, cap);
			if (!out) {
				j->err = GL_ENOMEM;
				return;
			}
			j->out = out;
			j->out_cap = cap;
		}
		zs->next_out = j->out + j->out_len;
		zs->avail_out = (uInt)(j->out_cap - j->out_len);
		ret = deflate(zs, flush);
		j->out_len = j->out_cap - zs->avail_out;
		if (ret == Z_STREAM_ERROR) {
			j->err = GL_EIO;
			return;
		}
		/* Done once zlib left output room: all input taken and flushed. */
		if (zs->avail_out != 0 && (j->last ? ret == Z_STREAM_END : zs->avail_in == 0))
			return;
		if (zs->avail_out != 0) { /* no progress with room to spare */
			j->err = GL_EIO;
			return;
		}
	}
}

/* ---- workers -------------------------------------------------------------- */

static void *work(void *arg)
{
	struct gzw_worker *me = arg;
	struct gzw *w = me->w;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		/* The oldest queued block first, so the writer never starves. */
		struct gzw_job *j = NULL;
		for (uint64_t k = w->written; k < w->filled && !j; k++)
			if (w->jobs[k % (uint64_t)w->njobs].state == JOB_QUEUED)
				j = &w->jobs[k % (uint64_t)w->njobs];
		if (!j) {
			if (w->stop)
				break;
			pthread_cond_wait(&w->cv, &w->mu);
			continue;
		}
		j->state = JOB_BUSY;
		pthread_mutex_unlock(&w->mu);
		compress_job(j, &me->zs);
		pthread_mutex_lock(&w->mu);
		j->state = JOB_DONE;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void stop_workers(struct gzw *w)
{
	if (!w->workers)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	for (int i = 0; i < w->nthreads; i++) {
		if (w->workers[i].started)
			pthread_join(w->workers[i].tid, NULL);
		if (w->workers[i].zlive)
			deflateEnd(&w->workers[i].zs);
	}
	free(w->workers);
	w->workers = NULL;
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
}

/* ---- the ring of blocks ----------------------------------------------------- */

static int alloc_jobs(struct gzw *w, int n)
{
	w->jobs = calloc((size_t)n, sizeof *w->jobs);
	if (!w->jobs)
		return GL_ENOMEM;
	w->njobs = n;
	for (int i = 0; i < n; i++) {
		w->jobs[i].in = malloc(BLOCK);
		w->jobs[i].dict = malloc(DICT);
		if (!w->jobs[i].in || !w->jobs[i].dict)
			return GL_ENOMEM;
	}
	return 0;
}

static void free_jobs(struct gzw *w)
{
	for (int i = 0; w->jobs && i < w->njobs; i++) {
		free(w->jobs[i].in);
		free(w->jobs[i].dict);
		free(w->jobs[i].out);
	}
	free(w->jobs);
	w->jobs = NULL;
	w->njobs = 0;
}

static struct gzw_job *current(struct gzw *w) { return &w->jobs[w->filled % (uint64_t)w->njobs]; }

static int write_header(struct gzw *w)
{
	/* magic, deflate, no flags, mtime 0, XFL as zlib sets it, OS */
	unsigned char h[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, GZ_OS_UNIX };
	h[8] = w->level == 9 ? 2 : w->level < 2 ? 4 : 0;
	w->crc = crc32(0L, Z_NULL, 0);
	w->member_in = 0;
	w->window_len = 0;
	return write_out(w, h, sizeof h);
}

static int write_trailer(struct gzw *w)
{
	unsigned char t[8];
	uint32_t len = (uint32_t)w->member_in; /* ISIZE is the length mod 2^32 */
	for (int i = 0; i < 4; i++) {
		t[i] = (unsigned char)(w->crc >> (8 * i));
		t[4 + i] = (unsigned char)(len >> (8 * i));
	}
	return write_out(w, t, sizeof t);
}

/* Write the oldest block once it is compressed; its CRC joins the
 * member's in order, and a last block closes the member. */
static int write_next(struct gzw *w)
{
	struct gzw_job *j = &w->jobs[w->written % (uint64_t)w->njobs];
	if (w->workers) {
		pthread_mutex_lock(&w->mu);
		while (j->state != JOB_DONE)
			pthread_cond_wait(&w->cv, &w->mu);
		pthread_mutex_unlock(&w->mu);
	}
	if (j->err && !w->err) {
		log_error("cannot compress %s: %s", w->of.path, gl_strerror(j->err));
		fail(w, j->err);
	}
	write_out(w, j->out, j->out_len);
	w->crc = crc32_combine(w->crc, j->crc, (z_off_t)j->in_len);
	w->member_in += j->in_len;
	if (j->last)
		write_trailer(w);
	j->in_len = 0;
	/* Workers scan the ring from `written`: move it under their lock. */
	if (w->workers)
		pthread_mutex_lock(&w->mu);
	j->state = JOB_FREE;
	w->written++;
	if (w->workers)
		pthread_mutex_unlock(&w->mu);
	return w->err;
}

/* The member's last DICT bytes after appending block j's input. */
static void slide_window(struct gzw *w, const struct gzw_job *j)
{
	if (j->in_len >= DICT) {
		memcpy(w->window, j->in + j->in_len - DICT, DICT);
		w->window_len = DICT;
		return;
	}
	size_t keep = w->window_len + j->in_len > DICT ? DICT - j->in_len : w->window_len;
	memmove(w->window, w->window + w->window_len - keep, keep);
	memcpy(w->window + keep, j->in, j->in_len);
	w->window_len = keep + j->in_len;
}

/* Hand the filling block to a worker (or compress it here) and make the
 * next slot ready for filling. */
static int submit(struct gzw *w, int last)
{
	struct gzw_job *j = current(w);
	memcpy(j->dict, w->window, w->window_len);
	j->dict_len = w->window_len;
	j->last = last;
	slide_window(w, j);
	if (w->workers) {
		pthread_mutex_lock(&w->mu);
		j->state = JOB_QUEUED;
		w->filled++;
		pthread_cond_signal(&w->cv);
		pthread_mutex_unlock(&w->mu);
	} else {
		compress_job(j, &w->zs);
		j->state = JOB_DONE;
		w->filled++;
	}
	if (last) {
		/* a member starts afresh: no dictionary from the one before */
		w->window_len = 0;
	}
	/* The next slot to fill must have been written out. */
	while (w->filled - w->written >= (uint64_t)w->njobs)
		if (write_next(w))
			return w->err;
	return w->err;
}

/* ---- the interface -------------------------------------------------------- */

static void release(struct gzw *w)
{
	stop_workers(w);
	if (w->zlive)
		deflateEnd(&w->zs);
	free_jobs(w);
	free(w->buf);
	free(w->window);
	memset(w, 0, sizeof *w);
	w->of.slot = -1;
}

int gzw_open(struct gzw *w, const char *path, int level)
{
	int err;
	memset(w, 0, sizeof *w);
	w->of.slot = -1;
	if (level < GZW_PLAIN || level > 9) {
		log_error("invalid compression level %d for %s (expected 0..9)", level, path);
		return GL_EUSAGE;
	}
	w->level = level;
	if (level == GZW_PLAIN) {
		w->cap = PLAIN_BUF;
		w->buf = malloc(w->cap);
		err = w->buf ? 0 : GL_ENOMEM;
	} else {
		w->window = malloc(DICT);
		err = w->window ? alloc_jobs(w, 1) : GL_ENOMEM;
		if (!err && (err = zinit(&w->zs, level)) == 0)
			w->zlive = 1;
	}
	if (err) {
		log_error("%s for %s", err == GL_ENOMEM ? "out of memory" : "cannot start compressing", path);
		release(w);
		return err;
	}
	if ((err = outfile_open(&w->of, path)) != 0) {
		release(w);
		return err;
	}
	if (level != GZW_PLAIN && (err = write_header(w)) != 0) {
		outfile_abort(&w->of);
		release(w);
	}
	return err;
}

int gzw_threads(struct gzw *w, int n)
{
	if (w->level == GZW_PLAIN || n <= 1 || w->err)
		return w->err;
	if (n > GZW_MAX_THREADS || w->workers || w->filled || current(w)->in_len) {
		log_error("internal: gzw_threads(%d) for %s must come first, with at most %d",
			  n, w->of.path, GZW_MAX_THREADS);
		return fail(w, GL_EUSAGE);
	}
	/* Two blocks per worker keep them busy while the caller writes. */
	free_jobs(w);
	int err = alloc_jobs(w, 2 * n);
	w->workers = err ? NULL : calloc((size_t)n, sizeof *w->workers);
	if (err || !w->workers) {
		log_error("out of memory for %d compression threads for %s", n, w->of.path);
		return fail(w, GL_ENOMEM);
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->nthreads = n;
	for (int i = 0; i < n; i++) {
		struct gzw_worker *k = &w->workers[i];
		k->w = w;
		if ((err = zinit(&k->zs, w->level)) != 0)
			break;
		k->zlive = 1;
		if (pthread_create(&k->tid, NULL, work, k) != 0) {
			err = GL_ENOMEM;
			break;
		}
		k->started = 1;
	}
	if (err) {
		log_error("cannot start %d compression threads for %s", n, w->of.path);
		return fail(w, err);
	}
	return 0;
}

int gzw_write(struct gzw *w, const void *p, size_t n)
{
	const unsigned char *s = p;
	if (w->err)
		return w->err;
	w->bytes_in += n;
	if (w->level == GZW_PLAIN) {
		if (n > w->cap - w->len) {
			if (write_out(w, w->buf, w->len))
				return w->err;
			w->len = 0;
			if (n >= w->cap)
				return write_out(w, s, n);
		}
		memcpy(w->buf + w->len, s, n);
		w->len += n;
		return 0;
	}
	/* Fixed block boundaries: the output does not depend on how the
	 * caller slices its writes. */
	while (n) {
		struct gzw_job *j = current(w);
		size_t take = BLOCK - j->in_len < n ? BLOCK - j->in_len : n;
		memcpy(j->in + j->in_len, s, take);
		j->in_len += take;
		s += take;
		n -= take;
		if (j->in_len == BLOCK && submit(w, 0))
			return w->err;
	}
	return 0;
}

int gzw_puts(struct gzw *w, const char *s) { return gzw_write(w, s, strlen(s)); }

int gzw_printf(struct gzw *w, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;
	if (w->err)
		return w->err;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		log_error("cannot format output for %s", w->of.path);
		return fail(w, GL_EIO);
	}
	if ((size_t)n < sizeof small)
		return gzw_write(w, small, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (!big) {
		log_error("out of memory writing %s", w->of.path);
		return fail(w, GL_ENOMEM);
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	gzw_write(w, big, (size_t)n);
	free(big);
	return w->err;
}

/* Close the member: its last block, every block written, the trailer. */
static int finish_member(struct gzw *w)
{
	if (w->err || submit(w, 1))
		return w->err;
	while (w->written < w->filled)
		if (write_next(w))
			return w->err;
	return w->err;
}

int gzw_error(const struct gzw *w) { return w->err; }

int gzw_commit(struct gzw *w)
{
	int err;
	if (!w->of.fp && !w->err)
		return GL_EUSAGE; /* never opened, or already released */
	if (w->level == GZW_PLAIN)
		write_out(w, w->buf, w->len);
	else
		finish_member(w);
	err = w->err;
	if (err)
		outfile_abort(&w->of);
	else
		err = outfile_commit(&w->of);
	release(w);
	return err;
}

void gzw_abort(struct gzw *w)
{
	if (w->of.fp || w->of.path)
		outfile_abort(&w->of);
	release(w);
}
