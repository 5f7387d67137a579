/* csvread.h - read CSV records (RFC 4180, via libcsv) from a gzline stream.
 *
 * Lines come from gzline (gzip or plain, BOM and CR/LF handled, line-length
 * limit) and are fed to libcsv one at a time, so every record knows the line
 * and byte offset where it starts, and a quoted field may hold newlines.
 * The common record, one line of valid UTF-8 with plain or wholly quoted
 * fields, is split without libcsv (memchr per field, not a callback per
 * byte), into exactly the fields libcsv would give.
 * Unquoted fields are kept exactly (libcsv's space trimming is off: pandas
 * keeps spaces too).  Fields leave as NUL-terminated UTF-8: Latin-1 input is
 * transcoded on request, invalid UTF-8 is replaced and counted.
 *
 * A record longer than max_record bytes (a line over the limit, or an
 * unterminated quote swallowing the file) is returned once with too_long set
 * and no fields; reading resumes at the next line, or, when the record's
 * quotes so far leave a quoted field open, after the line that closes it
 * (counting quote characters, as in well-formed CSV; the quotes of a line
 * over the limit are not seen).  Blank lines are skipped.
 */
#ifndef GL_CSVREAD_H
#define GL_CSVREAD_H

#include "gzline.h"

#include <stddef.h>
#include <stdint.h>

struct csvr;

struct csvr_opts {
	char delim;        /* 0 = ',' */
	int dcolon;        /* fields are separated by "::" (MovieLens .dat), delim
			    * unused; a byte 0x1f splits fields too, and a "::"
			    * inside quotes reads as that byte */
	char quote;        /* 0 = '"'; CSVR_NO_QUOTE for formats without quoting */
	int latin1;        /* input is Latin-1 */
	size_t max_record; /* 0 = GZL_MAX_LINE_DEFAULT */
	int no_thread;     /* passed to gzline */
	int no_fast;       /* 1: every record through libcsv, none through the
			    * one-line fast path (the tests compare the two) */
};

#define CSVR_NO_QUOTE '\x01'

struct csvr_rec {
	size_t n;            /* number of fields */
	char **f;            /* f[i] is NUL-terminated UTF-8 */
	size_t *len;         /* len[i] = strlen unless the field held a NUL */
	uint64_t lineno;     /* line where the record starts, from 1 */
	uint64_t offset;     /* its byte offset in the text */
	int too_long;
};

/* Open path ("-" = stdin).  0 or a gl_err (logged). */
int csvr_open(struct csvr **out, const char *path, const struct csvr_opts *opts);

/* Next record: 1, 0 at the end, or a negative gl_err (logged): I/O and
 * gzip errors, and a quoted field still open at the end of the file
 * (GL_EFORMAT, after every complete record). */
int csvr_next(struct csvr *r, struct csvr_rec *rec);

/* Invalid UTF-8 sequences replaced so far. */
uint64_t csvr_bad_utf8(const struct csvr *r);

/* The stream underneath, for byte counts. */
const struct gzl *csvr_stream(const struct csvr *r);

void csvr_close(struct csvr *r);

/* Index of the field named name in a header record, or -1. */
int csvr_find(const struct csvr_rec *header, const char *name);

#endif
