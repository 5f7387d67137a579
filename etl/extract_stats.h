/* extract_stats.h - what goodlens-extract counts, reports and writes to
 * extract.stats.csv.
 *
 * Every input record is kept or skipped under one class.  Skipped classes
 * (the record is dropped):
 *   bad_json       not valid JSON, or not exactly one object on the line
 *   bad_fields     a CSV or .dat record with too few fields for its header
 *   missing_field  a required field is absent or empty
 *   bad_type       a JSON field of the wrong type (rating "4", is_read 1)
 *   bad_rating     a rating that is not a number of the source's scale
 *   bad_id         a user or item id that is not an id of its kind
 *   too_long       a line (record) longer than --max-line
 * Repair classes (the record is kept, the field mended):
 *   bad_date       a date or timestamp that does not parse or fit: time 0
 *   bad_utf8       invalid UTF-8 replaced by U+FFFD: counts replacements
 *
 * The first ten problems of a run are reported on stderr as warnings with
 * file, line and byte offset; the rest are only counted.  --strict makes
 * the first problem of any class an error; --max-bad N (or P%) makes more
 * than N skipped records (or more than P percent of all records) an error.
 */
#ifndef GL_EXTRACT_STATS_H
#define GL_EXTRACT_STATS_H

#include <stdint.h>
#include <stdio.h>

enum xbad {
	XB_BAD_JSON,
	XB_BAD_FIELDS,
	XB_MISSING_FIELD,
	XB_BAD_TYPE,
	XB_BAD_RATING,
	XB_BAD_ID,
	XB_TOO_LONG,
	XB_N_SKIP, /* classes below this one skip the record */
	XB_BAD_DATE = XB_N_SKIP,
	XB_BAD_UTF8,
	XB_N
};

/* One row of extract.stats.csv. */
struct xstats {
	const char *file; /* borrowed, as given on the command line */
	const char *kind; /* borrowed, the kind's --source name */
	uint64_t bytes_in;   /* file bytes read (compressed size for gzip) */
	uint64_t bytes_text; /* bytes after inflating */
	uint64_t lines;      /* text lines, blank ones included */
	uint64_t records;    /* data records (header and blank lines excluded) */
	uint64_t kept;       /* records used */
	uint64_t users, items; /* distinct users and items in this file's ratings */
	uint64_t bad[XB_N];
};

/* The reporting policy and what it has seen in this run. */
struct xrep {
	int strict;         /* first problem of any class is an error */
	int limit;          /* 0 none, 1 max_count, 2 max_pct */
	uint64_t max_count; /* --max-bad N: more skipped records fail */
	double max_pct;     /* --max-bad P%: a larger share of records fails */
	uint64_t shown;     /* warnings printed so far (at most ten) */
	uint64_t skipped;   /* skipped records in all files so far */
};

#define XREP_SHOWN_MAX 10

/* Parse a --max-bad value: "N" or "P%" (0 <= P <= 100).  0 or GL_EUSAGE. */
int xrep_parse_max(struct xrep *r, const char *arg);

/* Count n problems of class cls in s at (line, off) of s->file; print the
 * message (fmt) while fewer than ten were shown.  Returns 0, or
 * GL_EFORMAT when --strict or a --max-bad count says to stop (logged). */
int xrep_note(struct xrep *r, struct xstats *s, int cls, uint64_t n, uint64_t line,
	      uint64_t off, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* The percentage check, once every record is counted: 0 or GL_EFORMAT. */
int xrep_check_share(const struct xrep *r, uint64_t records);

/* Add every count of a into sum (file and kind untouched). */
void xstats_add(struct xstats *sum, const struct xstats *a);

/* Write the header and the rows rows[0..n) followed by total.  Write
 * errors surface at outfile_commit. */
void xstats_write(FILE *f, const struct xstats *rows, size_t n, const struct xstats *total);

#endif
