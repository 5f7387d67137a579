/* progress.h - one progress line on stderr for long work.
 *
 * "goodlens-extract: books.json.gz: 12.4M rows, 310 MB/s, 45%, ETA 0:12"
 * rewritten in place with "\r" about twice a second.  It shows only when
 * stderr is a terminal and the caller did not ask for quiet, so logs and
 * pipes never see it.  progress_tick() is cheap enough to call per record:
 * it reads the clock only every few thousand calls.
 *
 * A progress holds no resources; its label is borrowed and must outlive it.
 * One progress is used by one thread.
 */
#ifndef GL_PROGRESS_H
#define GL_PROGRESS_H

#include <stdint.h>

struct progress {
	const char *label;   /* borrowed: usually the file name */
	uint64_t total;      /* bytes expected, 0 = unknown (no percent, no ETA) */
	uint64_t rows, bytes;
	uint32_t tick;
	double start, last;  /* seconds, monotonic clock */
	int on;              /* 1 = stderr is a terminal and not quiet */
	int shown;           /* a line is on the screen and needs clearing */
};

/* Start: label names the work, total is the byte count expected (0 if not
 * known), quiet = 1 keeps it silent whatever stderr is. */
void progress_start(struct progress *p, const char *label, uint64_t total, int quiet);

/* Record that rows rows and bytes bytes are done in all (totals, not
 * increments); redraws at most about twice a second. */
void progress_tick(struct progress *p, uint64_t rows, uint64_t bytes);

/* Clear the line (if one is shown) so the next message starts clean. */
void progress_end(struct progress *p);

#endif
