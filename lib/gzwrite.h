/* gzwrite.h - buffered text output, gzip-compressed or plain, whole or absent.
 *
 * A gzw sits on top of outfile.h: bytes go to a hidden temporary beside the
 * final name and gzw_commit() renames it into place, so a failed or
 * interrupted run never leaves a truncated .gz that looks complete.  The
 * same interface writes plain files (level GZW_PLAIN), so a writer that
 * produces "x.csv" or "x.csv.gz" is one code path.
 *
 * Errors are sticky: the first failed write, deflate or allocation is logged
 * with the file name, and every later call returns the same code without
 * doing anything, so callers may check once per record (or only at commit)
 * without losing the first cause.  gzw_commit() then removes the temporary.
 *
 * The gzip header carries no name and mtime 0, and its OS byte is fixed, so
 * the same bytes in give the same file out (with the same zlib).
 *
 * One gzw is used by one thread; it holds no global state beyond what
 * outfile.h registers for signal cleanup.
 */
#ifndef GL_GZWRITE_H
#define GL_GZWRITE_H

#include "outfile.h"

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* Level that writes the bytes as they are, without gzip framing. */
#define GZW_PLAIN (-1)
/* zlib's own default: a fair balance of speed and size. */
#define GZW_DEFAULT_LEVEL 6

struct gzw {
	struct outfile of;
	z_stream zs;
	gz_header hdr;
	unsigned char *buf;  /* pending uncompressed bytes */
	size_t len, cap;
	unsigned char *zbuf; /* deflate output, written to of.fp when full */
	size_t zcap;
	int level;           /* GZW_PLAIN or 0..9 */
	int zlive;           /* zs is initialised and needs deflateEnd */
	int err;             /* first error (a negative gl_err), sticky */
	uint64_t bytes_in;   /* uncompressed bytes accepted so far */
	uint64_t bytes_out;  /* bytes handed to the file so far */
};

/* Open path ("-" = stdout) for writing at level GZW_PLAIN or 0..9.
 * Returns 0, GL_EUSAGE for a bad level, GL_EIO or GL_ENOMEM (logged).  On
 * failure w needs no gzw_abort() (calling it is harmless). */
int gzw_open(struct gzw *w, const char *path, int level);

/* Append n bytes.  0 or the sticky error. */
int gzw_write(struct gzw *w, const void *p, size_t n);

/* Append a NUL-terminated string.  0 or the sticky error. */
int gzw_puts(struct gzw *w, const char *s);

/* Append formatted text (any length).  0 or the sticky error. */
int gzw_printf(struct gzw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Room for at least n bytes (n <= GZW_RESERVE_MAX) to format into directly;
 * follow with gzw_advance(w, used) where used <= n.  NULL after an error. */
#define GZW_RESERVE_MAX ((size_t)64 << 10)
char *gzw_reserve(struct gzw *w, size_t n);
void gzw_advance(struct gzw *w, size_t used);

/* End the current gzip member and start a new one in the same file, as
 * pigz or bgzip do; readers that follow the gzip spec (zlib's gzread,
 * Python's gzip) see one stream.  A no-op for GZW_PLAIN.  0 or an error. */
int gzw_member(struct gzw *w);

/* The error so far: 0 or a negative gl_err. */
int gzw_error(const struct gzw *w);

/* Finish the stream, then make the file whole under its final name.  On any
 * error (now or earlier) the temporary is removed instead.  Either way w is
 * released.  0 or the error. */
int gzw_commit(struct gzw *w);

/* Drop everything written and release w.  Safe on a zeroed, failed or
 * released gzw. */
void gzw_abort(struct gzw *w);

#endif
