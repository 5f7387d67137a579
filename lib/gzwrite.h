/* gzwrite.h - buffered text output, gzip-compressed or plain, whole or absent.
 *
 * A gzw sits on top of outfile.h: bytes go to a hidden temporary beside the
 * final name and gzw_commit() renames it into place, so a failed or
 * interrupted run never leaves a truncated .gz that looks complete.  The
 * same interface writes plain files (level GZW_PLAIN), so a writer that
 * produces "x.csv" or "x.csv.gz" is one code path.
 *
 * Compression works like pigz: the input is cut into fixed blocks, each
 * deflated on its own with the previous 32 KiB as its dictionary, and the
 * pieces are joined into one ordinary gzip member (one CRC, one length).
 * Blocks can be deflated by worker threads (gzw_threads); the bytes written
 * do not depend on the number of threads, only on the input and the level.
 *
 * Errors are sticky: the first failed write, deflate or allocation is logged
 * with the file name, and every later call returns the same code without
 * doing anything, so callers may check once per record (or only at commit)
 * without losing the first cause.  gzw_commit() then removes the temporary.
 *
 * The gzip header carries no name and mtime 0, and its OS byte is fixed, so
 * the same bytes in give the same file out (with the same zlib).
 *
 * One gzw is driven by one thread (its workers are its own); it holds no
 * global state beyond what outfile.h registers for signal cleanup.
 */
#ifndef GL_GZWRITE_H
#define GL_GZWRITE_H

#include "outfile.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* Level that writes the bytes as they are, without gzip framing. */
#define GZW_PLAIN (-1)
/* zlib's own default: a fair balance of speed and size. */
#define GZW_DEFAULT_LEVEL 6
/* Most worker threads one gzw starts. */
#define GZW_MAX_THREADS 32

struct gzw_job;
struct gzw_worker;

struct gzw {
	struct outfile of;
	int level;               /* GZW_PLAIN or 0..9 */
	int err;                 /* first error (a negative gl_err), sticky */
	unsigned char *buf;      /* plain: pending bytes */
	size_t len, cap;
	/* gzip: a ring of blocks, filled in order, written in order */
	struct gzw_job *jobs;
	int njobs;
	uint64_t filled;         /* blocks handed out for filling so far */
	uint64_t written;        /* blocks written to the file so far */
	uLong crc;               /* of the member so far */
	uint64_t member_in;      /* uncompressed bytes of the member so far */
	z_stream zs;             /* the inline compressor (no workers) */
	int zlive;
	unsigned char *window;   /* the member's last 32 KiB: next dictionary */
	size_t window_len;
	/* workers */
	int nthreads;
	struct gzw_worker *workers;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	uint64_t bytes_in;       /* uncompressed bytes accepted so far */
	uint64_t bytes_out;      /* bytes handed to the file so far */
};

/* Open path ("-" = stdout) for writing at level GZW_PLAIN or 0..9.
 * Returns 0, GL_EUSAGE for a bad level, GL_EIO or GL_ENOMEM (logged).  On
 * failure w needs no gzw_abort() (calling it is harmless). */
int gzw_open(struct gzw *w, const char *path, int level);

/* Deflate with n worker threads (0 or 1: in the caller's thread, the
 * default; at most GZW_MAX_THREADS).  Call right after gzw_open, before any
 * write.  The output is the same for every n.  0 or GL_ENOMEM/GL_EUSAGE. */
int gzw_threads(struct gzw *w, int n);

/* Append n bytes.  0 or the sticky error. */
int gzw_write(struct gzw *w, const void *p, size_t n);

/* Append a NUL-terminated string.  0 or the sticky error. */
int gzw_puts(struct gzw *w, const char *s);

/* Append formatted text (any length).  0 or the sticky error. */
int gzw_printf(struct gzw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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
