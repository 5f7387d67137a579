/* extract_src_csv.h - reading a CSV source record by record, for the src_*.c
 * readers: the header found, each record checked for its field count and
 * length, invalid UTF-8 counted, bytes and lines filled in at the end.
 */
#ifndef GL_SRC_CSV_H
#define GL_SRC_CSV_H

#include "csvread.h"
#include "extract_src.h"

struct xcsv {
	struct csvr *r;
	int ready;             /* records follow (a header was read, or none is expected) */
	struct csvr_rec rec;   /* the current record */
	struct csvr_rec head;  /* header names, copied */
	char *head_text;
	uint64_t utf8_seen;    /* csvr_bad_utf8 at the last record */
};

/* Open f with the given delimiter/quoting (latin1 from the run's
 * --encoding when latin1 < 0) and read its header.  0 or a gl_err (logged;
 * an empty file is fine and has no header). */
int xcsv_open(struct xctx *cx, struct xfile *f, struct xcsv *c, char delim, char quote,
	      int latin1);

/* The same with reader options ro (max_record from the run) and, when
 * header is 0, no header: every record is data. */
int xcsv_open_opts(struct xctx *cx, struct xfile *f, struct xcsv *c, struct csvr_opts ro,
		   int header);

/* Index of header column name, or -1. */
int xcsv_col(const struct xcsv *c, const char *name);

/* Index of header column name, or GL_EFORMAT (logged: the file's header
 * lacks it). */
int xcsv_need(struct xfile *f, const struct xcsv *c, const char *name);

/* Next record with at least nfields fields: 1 (in c->rec), 0 at the end,
 * or a gl_err.  Records that are too long or too short are counted and
 * skipped here. */
int xcsv_next(struct xctx *cx, struct xfile *f, struct xcsv *c, size_t nfields);

/* Fill bytes and lines and free.  Safe on a failed open. */
void xcsv_close(struct xfile *f, struct xcsv *c);

#endif
