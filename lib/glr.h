/* glr.h - the compact ratings file (.glr): write it, map it, trust it.
 *
 * A .glr file is a secfile (secfile.h) with magic "GLRATE\r\n" holding the
 * ratings CSR by user.  docs/FORMAT.md gives it byte by byte.  Sections:
 *
 *   meta     64 bytes: n_users u64, n_items u64, n_ratings u64,
 *            scale f32 (rating = byte * scale), flags u32, reserved
 *   rowptr   u64[n_users + 1]: user u's ratings are [rowptr[u], rowptr[u+1])
 *   items    u32[n_ratings]: item id of each rating, < n_items
 *   ratings  u8[n_ratings]: the rating as a multiple of scale (0.5 keeps
 *            half stars; Goodreads' 0 = shelved, not rated, is byte 0)
 *   times    u32[n_ratings], optional: seconds since 1970, 0 = unknown
 *   read     bitmap, optional: bit k set = rating k is marked read
 *   reviewed bitmap, optional: bit k set = rating k came with a review
 *   split    bitmap, optional: bit k set = rating k is in the valid set
 *
 * Bitmaps are (n_ratings + 7) / 8 bytes, bit k in byte k / 8 at k % 8.
 * Optional sections may be absent; a reader ignores sections it does not
 * know, so files written before "reviewed" existed still read.
 * Without times a rating costs 5.25 bytes plus 8 per user.
 */
#ifndef GL_GLR_H
#define GL_GLR_H

#include "secfile.h"

#include <stddef.h>
#include <stdint.h>

#define GLR_MAGIC "GLRATE\r\n"
#define GLR_VERSION 1

/* meta flags */
enum { GLR_SORTED = 1 }; /* items ascend strictly within every row */

/* Per-rating bits handed to glr_writer_row (in memory, one byte each). */
enum { GLR_BIT_READ = 1, GLR_BIT_VALID = 2, GLR_BIT_REVIEWED = 4 };

struct glr_meta {
	uint64_t n_users, n_items, n_ratings;
	float scale;
	uint32_t flags;
	int has_times, has_read, has_reviewed, has_split;
};

struct glr_writer;

/* Start path; every count in m is final.  0 or a gl_err (logged). */
int glr_writer_open(struct glr_writer **w, const char *path, const struct glr_meta *m);

/* Append the next user's row of n ratings.  times and bits may be NULL
 * when the file has no such section (or to write zeros).  Item ids are
 * checked against n_items: GL_EUSAGE. */
int glr_writer_row(struct glr_writer *w, const uint32_t *items, const uint8_t *ratings,
		   const uint32_t *times, const uint8_t *bits, uint64_t n);

/* The same in pieces, for rows too long to hold in memory at once:
 * glr_writer_append adds n ratings to the user's row still open, and
 * glr_writer_end_row closes it (a row of no ratings is just an end).
 * glr_writer_row is one append and one end.  Errors as for glr_writer_row. */
int glr_writer_append(struct glr_writer *w, const uint32_t *items, const uint8_t *ratings,
		      const uint32_t *times, const uint8_t *bits, uint64_t n);
int glr_writer_end_row(struct glr_writer *w);

/* Check the counts, write, rename.  Frees w. */
int glr_writer_commit(struct glr_writer *w);
void glr_writer_abort(struct glr_writer *w);

struct glr_check;

/* A mapped, validated file.  Pointers live until glr_close. */
struct glr {
	struct secfile f;
	struct glr_check *check; /* GLR_CRC_ASYNC: the checksums' thread */
	uint64_t n_users, n_items, n_ratings;
	float scale;
	uint32_t flags;
	const uint64_t *rowptr;
	const uint32_t *items;
	const uint8_t *ratings;
	const uint32_t *times;   /* NULL when absent */
	const uint8_t *read;     /* NULL when absent */
	const uint8_t *reviewed; /* NULL when absent (every file before it existed) */
	const uint8_t *split;    /* NULL when absent */
};

/* glr_open flag (beside secfile's SEC_NO_CRC): check the sections'
 * checksums on a thread of their own while the caller starts on the file,
 * which is then validated in every other way; glr_verdict gives the
 * checksums' result, and the caller commits nothing before it.  When the
 * other checks fail, the checksums are waited for and a mismatch is the
 * error reported, as without the flag.  Without a thread the checksums are
 * checked at once. */
enum { GLR_CRC_ASYNC = 0x100 };

/* Map and validate every field (see the header comment of secfile.h and
 * docs/FORMAT.md).  flags: SEC_NO_CRC to skip checksums, or GLR_CRC_ASYNC.
 * 0, GL_EIO or GL_EFORMAT with a message naming the file and the fault. */
int glr_open(struct glr *g, const char *path, int flags);

/* glr_open with GLR_CRC_ASYNC, the sections in `release` (glr_release's
 * what, every rating) let go by the checking thread once it has checked
 * them all: for a caller whose next steps do not read them, so that the
 * pages the checksums brought in do not add to its peak memory. */
int glr_open_async(struct glr *g, const char *path, unsigned release);

/* GLR_CRC_ASYNC: wait for the checksums.  0, or GL_EFORMAT (the mismatch
 * logged, naming the file and the section).  0 for a file opened without
 * the flag; the same answer when asked again. */
int glr_verdict(struct glr *g);
int glr_open_mem(struct glr *g, const void *buf, size_t len, const char *name);
void glr_close(struct glr *g);

/* What glr_release lets go: the row pointers, and the ratings' item ids,
 * bytes, times and bitmaps (read, reviewed, split). */
enum {
	GLR_REL_ROWPTR = 1,
	GLR_REL_ITEMS = 2,
	GLR_REL_RATINGS = 4,
	GLR_REL_TIMES = 8,
	GLR_REL_BITS = 16,
	GLR_REL_ALL = 31
};

/* Let the pages holding ratings [lo, hi) of the sections in `what` (the
 * row pointers whole) go from memory; they are read back if touched
 * (secfile_release).  Opening a file reads it whole (its checksums), and a
 * pass over it touches every page: without this its mapped pages count
 * towards the reader's peak memory until glr_close. */
void glr_release(const struct glr *g, uint64_t lo, uint64_t hi, unsigned what);

static inline float glr_value(const struct glr *g, uint64_t k) { return g->ratings[k] * g->scale; }

/* Bit k of a bitmap; 0 when the bitmap is absent. */
static inline int glr_bit(const uint8_t *bits, uint64_t k)
{
	return bits ? (bits[k >> 3] >> (k & 7)) & 1 : 0;
}

/* The byte for rating r at this scale: 0 and the byte in *out when r is a
 * whole multiple of scale within 0..255, GL_EFORMAT otherwise. */
int glr_encode(double r, float scale, uint8_t *out);

#endif
