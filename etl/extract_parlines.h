/* extract_parlines.h - parse lines on worker threads, take the results back in
 * the order of the lines.
 *
 * One thread (the reader) puts lines into batches and submits them (the
 * lines stay in the chunks lib/gzline inflated them into, lent until the
 * batch is applied; only a line pieced together across two chunks is
 * copied);
 * worker threads run the parse function over whole batches, each with its
 * own parser state; the reader takes the parsed batches back strictly in
 * the order it submitted them and applies their results.  Whatever must
 * happen in input order (interning ids, counting, reporting bad records,
 * stopping at the first one under --strict) happens in that apply step, on
 * the reader's thread, so outputs do not depend on the number of workers.
 * The workers need not start at once (pl_cfg.adapt): the reader may parse
 * on its own thread until it proves too slow, then hand the rest on.
 *
 * Memory: 2 x workers + 2 batches of up to PL_BATCH_TEXT bytes of text
 * (in lent chunks of GZL_CHUNK bytes, so as many chunks plus one; copied
 * lines' text beside, more for a batch holding a line longer than that,
 * given back when it is reused), PL_BATCH_LINES line records and as many
 * results.
 */
#ifndef GL_PARLINES_H
#define GL_PARLINES_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

#define PL_BATCH_TEXT (512u << 10)
#define PL_BATCH_LINES 4096u
/* cfg->adapt: the text parsed on the reading thread before the first
 * measure (the dictionaries grow fastest at the start), the text each
 * measure spans, and what starts the workers (pl_parse_bound): in two
 * measures in a row the read-ahead thread waited for the parse more than
 * PL_WAIT_SHARE of the time, and the parse took more than PL_BOUND times
 * its CPU.  On 2 CPUs the workers parsed the same lines for about 1.6
 * times the CPU (the lines and results cross cores, four threads take
 * turns on two), so they pay only from about twice the inflate's cost:
 * docs/EXTRACT.md has the figures. */
#define PL_PROBE_SKIP (32u << 20)
#define PL_PROBE_TEXT (128u << 20)
#define PL_WAIT_SHARE 0.45
#define PL_BOUND 2.0

struct gzl_line;

struct pl_line {
	char *p;               /* the text, NUL-terminated, in a lent chunk, or */
	size_t at, len;        /* NULL: at batch->text + at */
	uint64_t lineno, off;  /* as gzl_next gave them */
	uint64_t full_len;
	int too_long;
};

struct pl_batch {
	char *text;
	size_t text_len, text_cap;
	struct pl_line line[PL_BATCH_LINES];
	size_t n;
	void *out;       /* results: PL_BATCH_LINES of the configured size */
	struct buf msg;  /* text the parse function wrote for its results */
	int err;         /* what the parse function returned */
	size_t bytes;    /* of the lines' text, copied or not */
	uint64_t chunks; /* 1 + the last gzline chunk a line lies in, or 0 */
	/* the pool's own */
	uint64_t seq;
	int state;
};

struct pl_cfg {
	int workers;     /* threads that parse, at least 1 */
	/* With workers > 1: parse on the reading thread, measuring every
	 * PL_PROBE_TEXT bytes, and start the workers (for the rest of the
	 * file) once two measures in a row show the parse holding up the
	 * read-ahead (pl_parse_bound).  Handing lines across cores costs
	 * CPU: where parsing keeps up with inflate, as on 2 CPUs with the
	 * interactions dumps' lines, the reading thread does it all. */
	int adapt;
	uint64_t probe_skip, probe_text; /* 0: PL_PROBE_SKIP, PL_PROBE_TEXT */
	size_t out_size; /* bytes of one line's result */
	/* A worker's parser state made from arg, or NULL when out of memory. */
	void *(*worker_new)(void *arg);
	void *arg;
	void (*worker_free)(void *w);
	/* Work out line l (its NUL-terminated text, which may be rewritten)
	 * into out, out_size bytes; text the result refers to goes into msg
	 * (empty at the batch's start).  0 or a gl_err, which stops the
	 * batch. */
	int (*parse)(void *w, char *text, const struct pl_line *l, void *out, struct buf *msg);
};

struct parlines;

/* Start the workers.  0 or GL_ENOMEM (logged). */
int pl_open(struct parlines **out, const struct pl_cfg *cfg);

/* An empty batch to fill, or NULL while every batch is submitted: take one
 * back first. */
struct pl_batch *pl_get(struct parlines *p);

/* Add the line to b: its text stays where it is when it lies in a chunk
 * lent by gzl_lend (ln->chunk), else it is copied.  0, 1 when b is full now
 * (submit it), GL_ENOMEM (logged). */
int pl_add(struct pl_batch *b, const struct gzl_line *ln);

void pl_submit(struct parlines *p, struct pl_batch *b);

/* The oldest batch submitted and not yet taken, once it is parsed: with
 * wait, blocks until then; without, NULL if it is not parsed yet.  NULL
 * when no batch is submitted. */
struct pl_batch *pl_take(struct parlines *p, int wait);

/* Give a taken (or unsubmitted) batch back for reuse. */
void pl_put(struct parlines *p, struct pl_batch *b);

/* Stop the workers (a batch being parsed is finished first) and free
 * everything.  NULL is fine. */
void pl_close(struct parlines *p);

/* Whether parsing on the reading thread holds up the read-ahead thread, so
 * that workers would speed the whole up: over the same wall seconds the
 * read-ahead waited for the parse more than PL_WAIT_SHARE of them and used
 * less than 1 / PL_BOUND of the parse's CPU.  Both, so that a moment the
 * parsing thread lost its CPU (to another process, or to the host) does
 * not count.  A negative read_cpu (no read-ahead thread) counts as no cost:
 * bound. */
int pl_parse_bound(double wall, double parse_cpu, double read_cpu, double read_waited);

/* The whole loop: read z's lines into batches, have cfg's workers parse
 * them, and call apply(ctx, batch) for every parsed batch in input order
 * (apply sees the batch's own err first).  With one worker (or while
 * cfg->adapt probes) no thread is started: each line is parsed on this
 * thread as it comes and applied as a batch of one.  The outputs are the
 * same either way.  0, rc < 0 from gzl_next, or the first error of pl_open,
 * pl_add or apply; after an error no batch is applied. */
struct gzl;
int pl_run(const struct pl_cfg *cfg, struct gzl *z,
	   int (*apply)(void *ctx, const struct pl_batch *b), void *ctx);

#endif
