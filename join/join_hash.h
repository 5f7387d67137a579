/* join_hash.h - an SQL-style join of two CSV files on named key columns.
 *
 * One side (the build side) is read whole into memory and indexed by its
 * key; the other (the streamed side) is read once, row by row, and probed.
 * Which side is built: JOIN_BUILD_AUTO picks the smaller file by its size
 * on disk (a pipe or "-" counts as unbounded; equal sizes build the right),
 * or the caller names it.
 *
 * Semantics follow SQL's JOIN ... USING (keys):
 *  - a key is the tuple of its key columns, compared as exact byte strings
 *    ("7" and "07" differ);
 *  - with JOIN_EMPTY_NULL (the default) a key with any empty column is
 *    NULL and matches nothing, as in SQL; JOIN_EMPTY_VALUE makes "" a value
 *    like any other;
 *  - duplicate keys produce every pair;
 *  - output columns: every left column in order, then every right column
 *    that is not a key column (or only the right columns that columns
 *    names, in its order, as SQL's select list would); a key column holds the left value, or the
 *    right one when the row has no left side (right and full joins), as
 *    COALESCE does; semi and anti joins output the left columns only;
 *  - a right column whose name equals an earlier output name gets the
 *    suffix appended (again, until it is unique).
 *
 * Row order is deterministic: rows come in the streamed side's input order;
 * a streamed row's matches follow the build side's input order; then, for
 * the kinds that keep unmatched build rows, those rows in build input order.
 * Semi and anti joins always give left rows in left input order.
 *
 * Every row of a file must have as many fields as its header: a ragged row
 * is an error naming the file and line.
 *
 * Inputs may be separated by ',' ';' tab '|' "::" or ' ': each file's
 * delimiter is detected from its first lines (lib/delim.h; ',' for a pipe
 * or stdin) unless delim names one for both.  The output is always
 * comma-separated.  renames give right columns another name in the output
 * before the clash rule above applies, so a renamed column wins its name.
 */
#ifndef GL_HASHJOIN_H
#define GL_HASHJOIN_H

#include "outfile.h"

#include <stddef.h>
#include <stdint.h>

enum join_kind { JOIN_INNER, JOIN_LEFT, JOIN_RIGHT, JOIN_FULL, JOIN_SEMI, JOIN_ANTI };
enum join_build { JOIN_BUILD_AUTO, JOIN_BUILD_LEFT, JOIN_BUILD_RIGHT };
enum join_empty { JOIN_EMPTY_NULL, JOIN_EMPTY_VALUE };

#define JOIN_MAX_KEYS 16
#define JOIN_MAX_RENAMES 16
#define JOIN_MAX_COLUMNS 64
#define JOIN_EXAMPLES 20

struct join_opts {
	const char *left, *right;             /* CSV paths, "-" = stdin (one side) */
	const char *lkeys[JOIN_MAX_KEYS];     /* key column names on each side */
	const char *rkeys[JOIN_MAX_KEYS];
	size_t nkeys;
	int kind;                             /* enum join_kind */
	int build;                            /* enum join_build */
	int empty;                            /* enum join_empty */
	const char *suffix;                   /* NULL = "_right" */
	uint64_t max_build_rows;              /* 0 = no limit beyond 2^32 - 2 */
	uint64_t max_build_bytes;             /* 0 = no limit */
	int delim;                            /* DELIM_* of both inputs; DELIM_NONE: detect */
	const char *rename_from[JOIN_MAX_RENAMES]; /* right columns renamed ... */
	const char *rename_to[JOIN_MAX_RENAMES];   /* ... to these names */
	size_t nrenames;
	const char *columns[JOIN_MAX_COLUMNS]; /* right columns kept, by their */
	size_t ncolumns;                      /* header names; 0 = every non-key */
	const char *out;                      /* joined CSV, "-" = stdout */
	const char *stats;                    /* join.stats.csv, NULL = none */
	int threads;                          /* 1: read and join the streamed side
					       * in turn; else (0 too) read it on a
					       * thread of its own */
};

/* What join_run found on one side, as join.stats.csv reports it.  keys
 * counts distinct non-NULL keys; rows with a NULL key count as unmatched
 * rows but not as keys.  examples holds up to JOIN_EXAMPLES unmatched keys
 * (the first in that side's input order), '|'-separated; the columns of a
 * composite key are joined with ','. */
struct join_side {
	const char *file;
	uint64_t rows, keys, matched_keys, unmatched_keys, unmatched_rows;
	char *examples;                       /* owned */
};

struct join_result {
	struct join_side side[2];             /* 0 left, 1 right */
	uint64_t out_rows;
	int built;                            /* 0 left, 1 right */
};

/* Run the join; write o->out and, when asked, o->stats.  res (may be NULL)
 * receives the counts; free it with join_result_free (join_stats.h).  0 or a gl_err:
 * GL_EIO, GL_EFORMAT (missing column, ragged row; logged with file and
 * line), GL_ELIMIT (the build side passed a limit), GL_EUSAGE. */
int join_run(const struct join_opts *o, struct join_result *res);

/* Parse "a,b=c" into key name pairs (o->lkeys, o->rkeys, o->nkeys), each
 * name pointing into spec, which the call modifies.  0 or GL_EUSAGE. */
int join_parse_keys(struct join_opts *o, char *spec);

/* Parse "old=new[,old2=new2]" into o->rename_from/to (added to those
 * before), names pointing into spec, which the call modifies.  0 or
 * GL_EUSAGE (logged). */
int join_parse_renames(struct join_opts *o, char *spec);

/* Parse "a,b" into o->columns (added to those before), names pointing into
 * spec, which the call modifies.  0 or GL_EUSAGE (logged). */
int join_parse_columns(struct join_opts *o, char *spec);

#endif
