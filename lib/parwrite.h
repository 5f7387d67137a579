/* parwrite.h - text made in numbered chunks by several threads, written in
 * chunk order.
 *
 * A writer of millions of rows (an export) cuts its rows into chunks of a
 * few tens of thousands, and fill(ctx, c, out) formats chunk c into out.
 * Threads take chunks in turn; the calling thread writes each chunk's bytes
 * to the file as soon as it and every chunk before it are done.  What is
 * written depends only on fill, never on the thread count or on timing, so
 * the output is byte-identical at 1 and N threads.  Memory: at most
 * 2 x threads chunks are held at once.
 *
 * fill must be safe to call from several threads at once for different
 * chunks (read-only shared state), and is called at most once per chunk.
 */
#ifndef GL_PARWRITE_H
#define GL_PARWRITE_H

#include "csvwrite.h"

#include <stdint.h>
#include <stdio.h>

/* 0 or a negative gl_err, which stops the run. */
typedef int (*parw_fill_fn)(void *ctx, uint64_t chunk, struct csvb *out);

/* Fill and write chunks 0..n_chunks-1 to f with `threads` threads making
 * them (1: all in the caller, no thread started; a thread that cannot be
 * started leaves its share to the others).  0, fill's first error, or
 * GL_EIO / GL_ENOMEM from writing (nothing logged: the caller names the
 * file). */
int parw_run(FILE *f, uint64_t n_chunks, int threads, parw_fill_fn fill, void *ctx);

/* The default thread count: the CPUs online, at most 8. */
int parw_default_threads(void);

/* Cut rows 0..n-1, whose sizes rise by prefix[] (prefix[r + 1] - prefix[r]
 * is row r's weight, e.g. a CSR row pointer), into chunks of about `per`
 * weight each, never splitting a row: *starts (owned by the caller, freed
 * with free) gets n_chunks + 1 row numbers, chunk c covering rows
 * [starts[c], starts[c + 1]).  0 or GL_ENOMEM. */
int parw_cut(const uint64_t *prefix, uint64_t n, uint64_t per, uint64_t **starts,
	     uint64_t *n_chunks);

#endif
