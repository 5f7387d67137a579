/* extract_src.h - what a source reader gets from the extract driver: the
 * run's context, the file it reads, and the helpers every reader shares.
 *
 * A reader (src_*.h, one per family of formats; extract_kind.c names the
 * reader of each kind) opens its file (lib/gzline or extract_src_csv.h), parses
 * records, reports bad ones through xsrc_bad() (which may say stop), hands
 * ratings to xsrc_rating() and metadata rows to xsrc_row(), and fills the
 * byte and line counts of its xstats.  It returns 0, or a gl_err that ends
 * the run (already logged): a read or gzip error, --strict, --max-bad, a
 * full disk.
 *
 * These helpers sit below the readers and call nothing above them (not the
 * driver, not the kind table), so every call goes one way: main -> driver
 * (extract.c) -> kind table (extract_kind.c) -> readers (src_*.c) -> these
 * and lib.
 */
#ifndef GL_EXTRACT_SRC_H
#define GL_EXTRACT_SRC_H

#include "extract.h"
#include "extract_stats.h"
#include "extract_facts.h"
#include "progress.h"

#include <stdint.h>
#include <stdio.h>

struct gzl;

struct xctx {
	const struct xopts *o;
	struct xrep rep;
	struct factb *fb;           /* NULL when no interaction file was given */
	struct progress prog;
};

struct xfile {
	const char *path;
	int kind;                   /* XK_* (extract_kind.h) */
	struct xstats *st;          /* st->kind is the kind's --source name */
	FILE *tab;                  /* a metadata kind's open table, else NULL */
	const char *header;         /* that table's header line, else NULL */
};

/* A reader: read f to the end.  0 or a gl_err (logged). */
typedef int xsrc_reader(struct xctx *cx, struct xfile *f);

/* Count and maybe report a problem (extract_stats.h): 0 or GL_EFORMAT. */
#define xsrc_bad(cx, f, cls, line, off, ...) \
	xrep_note(&(cx)->rep, (f)->st, (cls), 1, (line), (off), __VA_ARGS__)

/* Add one rating (keys as bytes; bits GLR_BIT_READ | GLR_BIT_REVIEWED, as
 * for fb_add) and count the record kept.  0 or a gl_err (logged with file
 * and line). */
int xsrc_rating(struct xctx *cx, struct xfile *f, const char *user, size_t ulen,
		const char *item, size_t ilen, uint8_t rating, uint32_t time, unsigned bits,
		uint64_t line, uint64_t off);

/* Say that --max-keys (or the 2^32 - 2 ids of the format) was reached at
 * the record factbuild last failed on.  Returns GL_ELIMIT. */
int xsrc_key_limit(struct xctx *cx, struct xfile *f);

/* Write one metadata row of n fields to f's table and count the record
 * kept. */
void xsrc_row(struct xfile *f, const char *const *fields, size_t n);

/* Write rows already in CSV (fields quoted as csvw_field quotes them,
 * each row ending in '\n') to f's table, len bytes from rows (NULL when
 * len is 0); the caller counts them kept. */
void xsrc_rows_text(struct xfile *f, const char *rows, size_t len);

/* Open path as lines with the run's --max-line.  0 or a gl_err (logged). */
int xsrc_open_lines(struct xctx *cx, struct xfile *f, struct gzl **z);

/* The parse threads for a file of JSON lines: given (--threads) unless 0,
 * else the CPUs, 1 to 8.  *adapt (pl_cfg.adapt) is 1 when --threads is not
 * given and the CPUs are two: with the inflate on one of them, the reader
 * parses on its own thread until that proves much slower than the inflate
 * beside it.  With more CPUs the workers have cores of their own and start
 * at once. */
int xsrc_threads(int given, int cpus, int *adapt);

/* After a reader's loop: copy the stream's byte counts into the stats. */
void xsrc_bytes(struct xfile *f, const struct gzl *z);

/* Progress: call per record with the stream underneath. */
void xsrc_tick(struct xctx *cx, struct xfile *f, const struct gzl *z);

/* Canonical unsigned decimal (no sign, no leading zero, 1-19 digits)? */
int xsrc_is_num(const char *s, size_t len);

/* Why s is not one, for messages: "is not a number", "has a leading zero",
 * "is longer than 19 digits", "is empty". */
const char *xsrc_num_problem(const char *s, size_t len);

#endif
