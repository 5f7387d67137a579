#include "gzwrite.h"

#include "err.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Large enough that deflate and fwrite see big blocks (their per-call cost
 * disappears), small enough to stay in L2 next to deflate's window. */
#define GZW_BUF (256u << 10)
#define GZW_ZBUF (128u << 10)
/* OS byte of the gzip header: Unix, whatever machine writes the file. */
#define GZW_OS_UNIX 3

static int fail(struct gzw *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

static int write_out(struct gzw *w, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (fwrite(p, 1, n, w->of.fp) != n) {
		log_error("cannot write %s: %s", w->of.path, strerror(errno));
		return fail(w, GL_EIO);
	}
	w->bytes_out += n;
	return 0;
}

static int zfail(struct gzw *w, int ret)
{
	log_error("cannot compress %s: %s", w->of.path,
		  w->zs.msg ? w->zs.msg : zError(ret));
	return fail(w, ret == Z_MEM_ERROR ? GL_ENOMEM : GL_EIO);
}

/* Run deflate over n bytes at p with the given flush mode until zlib has
 * taken all input (and, for Z_FINISH, ended the member). */
static int deflate_run(struct gzw *w, const unsigned char *p, size_t n, int flush)
{
	int ret;
	w->zs.next_in = (unsigned char *)p;
	/* avail_in is 32-bit; the callers' chunks are far below that. */
	w->zs.avail_in = (uInt)n;
	do {
		w->zs.next_out = w->zbuf;
		w->zs.avail_out = (uInt)w->zcap;
		ret = deflate(&w->zs, flush);
		if (ret == Z_STREAM_ERROR)
			return zfail(w, ret);
		size_t have = w->zcap - w->zs.avail_out;
		if (write_out(w, w->zbuf, have))
			return w->err;
		/* Z_BUF_ERROR means "no progress possible": fine while input is
		 * merely used up, a bug if the member cannot be finished. */
		if (ret == Z_BUF_ERROR) {
			if (flush == Z_FINISH && have == 0)
				return zfail(w, ret);
			if (flush != Z_FINISH)
				break;
		}
	} while (w->zs.avail_out == 0 || (flush == Z_FINISH && ret != Z_STREAM_END));
	return 0;
}

static int emit(struct gzw *w, const unsigned char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (w->level == GZW_PLAIN)
		return write_out(w, p, n);
	/* zlib counts input in 32 bits: feed huge writes in slices. */
	while (n > 0) {
		size_t part = n < ((size_t)1 << 30) ? n : (size_t)1 << 30;
		if (deflate_run(w, p, part, Z_NO_FLUSH))
			return w->err;
		p += part;
		n -= part;
	}
	return 0;
}

static int drain(struct gzw *w)
{
	int err = emit(w, w->buf, w->len);
	w->len = 0;
	return err;
}

static int zstart(struct gzw *w)
{
	memset(&w->hdr, 0, sizeof w->hdr);
	w->hdr.os = GZW_OS_UNIX;
	if (deflateSetHeader(&w->zs, &w->hdr) != Z_OK)
		return zfail(w, Z_STREAM_ERROR);
	return 0;
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
	w->cap = GZW_BUF;
	w->buf = malloc(w->cap);
	w->zcap = GZW_ZBUF;
	w->zbuf = level == GZW_PLAIN ? NULL : malloc(w->zcap);
	if (!w->buf || (level != GZW_PLAIN && !w->zbuf)) {
		log_error("out of memory opening %s", path);
		err = GL_ENOMEM;
		goto fail;
	}
	if (level != GZW_PLAIN) {
		/* windowBits 15 + 16 asks zlib for gzip framing. */
		int ret = deflateInit2(&w->zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
		if (ret != Z_OK) {
			log_error("cannot start compressing %s: %s", path, zError(ret));
			err = ret == Z_MEM_ERROR ? GL_ENOMEM : GL_EIO;
			goto fail;
		}
		w->zlive = 1;
	}
	err = outfile_open(&w->of, path);
	if (err)
		goto fail;
	/* zstart logs with of.path, so it runs once the outfile exists. */
	if (w->zlive && (err = zstart(w)) != 0) {
		outfile_abort(&w->of);
		goto fail;
	}
	return 0;
fail:
	if (w->zlive)
		deflateEnd(&w->zs);
	free(w->buf);
	free(w->zbuf);
	memset(w, 0, sizeof *w);
	w->of.slot = -1;
	return err;
}

int gzw_write(struct gzw *w, const void *p, size_t n)
{
	if (w->err)
		return w->err;
	w->bytes_in += n;
	if (n <= w->cap - w->len) {
		memcpy(w->buf + w->len, p, n);
		w->len += n;
		return 0;
	}
	if (drain(w))
		return w->err;
	if (n >= w->cap)
		return emit(w, p, n);
	memcpy(w->buf, p, n);
	w->len = n;
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

char *gzw_reserve(struct gzw *w, size_t n)
{
	if (w->err)
		return NULL;
	if (n > GZW_RESERVE_MAX) {
		log_error("internal: reservation of %zu bytes for %s is too large", n, w->of.path);
		fail(w, GL_EUSAGE);
		return NULL;
	}
	if (n > w->cap - w->len && drain(w))
		return NULL;
	return (char *)w->buf + w->len;
}

void gzw_advance(struct gzw *w, size_t used)
{
	if (w->err)
		return;
	w->len += used;
	w->bytes_in += used;
}

int gzw_member(struct gzw *w)
{
	if (w->err || w->level == GZW_PLAIN)
		return w->err;
	if (drain(w) || deflate_run(w, NULL, 0, Z_FINISH))
		return w->err;
	if (deflateReset(&w->zs) != Z_OK)
		return zfail(w, Z_STREAM_ERROR);
	return zstart(w);
}

int gzw_error(const struct gzw *w) { return w->err; }

static void release(struct gzw *w)
{
	if (w->zlive)
		deflateEnd(&w->zs);
	free(w->buf);
	free(w->zbuf);
	memset(w, 0, sizeof *w);
	w->of.slot = -1;
}

int gzw_commit(struct gzw *w)
{
	int err;
	if (!w->of.fp && !w->err)
		return GL_EUSAGE; /* never opened, or already released */
	if (!w->err) {
		drain(w);
		if (!w->err && w->level != GZW_PLAIN)
			deflate_run(w, NULL, 0, Z_FINISH);
	}
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
