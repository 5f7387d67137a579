/* extract_kind.h - the kinds of input goodlens-extract reads: one table,
 * a row per kind (extract_kind.c), saying everything about it: its
 * --source name and --help line, how its first line or its name tells it,
 * what it feeds (the ratings file of a family, or one metadata table with
 * its header) and the reader that reads it.  Adding a source is a kind
 * here, a row there and a reader (src_*.h, extract_src.h).
 *
 * An interaction kind feeds the one ratings file; its family fixes the key
 * columns of users.raw.csv and items.raw.csv and whether times and the read
 * and reviewed bitmaps exist, so one run takes interaction files of one
 * family only.  A metadata kind writes a CSV table in the output folder;
 * two kinds may write one table only with the same header.
 *
 * Detection (xkind_detect): the first non-blank line decides when it is
 * recognisable, the name (without ".gz") otherwise.  The line's shape is
 * decided first, in this order: JSON ('{' first), "::", four
 * tab-separated numbers, 24 '|'-separated fields with a number first, and
 * else a CSV header (comma-separated names).  Then the rows of that shape
 * are tried in table order and the first whose test holds wins; a line of
 * a shape no row takes tells nothing.  A name tells the kind whose row
 * lists it (patterns may hold one '*', any text).
 */
#ifndef GL_EXTRACT_KIND_H
#define GL_EXTRACT_KIND_H

#include "extract_src.h"

#include <stddef.h>
#include <stdio.h>

enum xkind {
	XK_NONE = -1,
	XK_GR_JSON,
	XK_GR_BOOKS,
	XK_GR_WORKS,
	XK_GR_AUTHORS,
	XK_GR_CSV,
	XK_GR_USER_MAP,
	XK_GR_BOOK_MAP,
	XK_GB_RATINGS,
	XK_GB_TO_READ,
	XK_GB_BOOKS,
	XK_ML_UDATA,
	XK_ML_UITEM,
	XK_ML_DAT_RATINGS,
	XK_ML_DAT_MOVIES,
	XK_ML_CSV_RATINGS,
	XK_ML_CSV_MOVIES,
	XK_CSV, /* any ratings CSV (--source csv --columns): never detected */
	XK_N
};

/* Families of interaction kinds (XF_NONE for metadata). */
enum xfamily { XF_NONE, XF_GR_JSON, XF_GR_CSV, XF_GOODBOOKS, XF_MOVIELENS, XF_CSV, XF_N };

/* Output tables of metadata kinds. */
enum xtab { XT_NONE = -1, XT_BOOKS, XT_WORKS, XT_AUTHORS, XT_MOVIES, XT_USER_MAP,
	    XT_BOOK_MAP, XT_N };

/* Shapes of a first line (see above); XL_NEVER: the line never tells. */
enum xline_shape { XL_NEVER, XL_JSON, XL_DCOLON, XL_TABS, XL_PIPES, XL_CSV };

/* A first line as detection sees it (extract_kind.c). */
struct xline;

struct xkind_info {
	const char *name;     /* --source name ("goodreads-json") */
	const char *help;     /* what it is, for --help (the table and names are added) */
	int shape;            /* XL_* of its first line */
	int (*line)(const struct xline *l); /* and this holds; NULL: the shape is enough */
	const char *files[3]; /* names that tell it when the line does not; NULL ends */
	int family;           /* XF_* of the ratings it feeds, XF_NONE for a table */
	int table;            /* XT_* it writes, XT_NONE for ratings */
	const char *header;   /* that table's header line */
	xsrc_reader *read;
};

struct xfamily_info {
	const char *user_col; /* key column of users.raw.csv (XF_CSV: extract_columns.h) */
	const char *item_col; /* key column of items.raw.csv */
	int has_times, has_read, has_reviewed; /* XF_CSV: times with a time column */
};

/* The row of kind (0 <= kind < XK_N). */
const struct xkind_info *xkind_info(int kind);
/* The --source name of a kind ("goodreads-json"), or NULL. */
const char *xkind_name(int kind);
/* The kind named name, or XK_NONE. */
int xkind_by_name(const char *name);
/* Fill out with every kind name in table order and a NULL (for
 * cli_choice); returns out. */
const char *const *xkind_names(const char *out[XK_N + 1]);
/* The family of kind, XF_NONE for a metadata kind or XK_NONE. */
int xkind_family(int kind);
const struct xfamily_info *xfamily_info(int family);
/* File name of a table ("books.csv"). */
const char *xtab_file(int tab);

/* The kind of path given its first non-blank line (NUL-terminated, may be
 * NULL or empty), or XK_NONE when neither line nor name tells. */
int xkind_detect(const char *path, const char *line);

/* For --help: every kind with its help line, the table it writes and the
 * names that tell it, then how kinds are detected.  Lines of at most 79
 * columns. */
void xkind_help(FILE *fp);

/* For a first line that told nothing: the known CSV layouts, one string
 * ("userId,movieId,rating[,timestamp] (ml-csv-ratings), ..."). */
const char *xkind_layouts(void);

/* For a first line that told nothing: the --source csv options that would
 * read it, guessed from its column names (rater, film, score, when ->
 * "--source csv --columns user=rater,item=film,rating=score,time=when"), or
 * for a line of numbers "--source csv --no-header --columns user=1,...";
 * the generic form when no guess is sure.  Returns 1 when the line reads
 * as data (numbers), 0 when as a header. */
int xkind_suggest(const char *line, char *out, size_t cap);

#endif
