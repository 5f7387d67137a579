/* extract_kind.h - the kinds of input goodlens-extract reads, and how a
 * file's kind is told from its name and first line.
 *
 * An interaction kind feeds the one ratings file; its family fixes the key
 * columns of users.raw.csv and items.raw.csv and whether times and the read
 * and reviewed bitmaps exist, so one run takes interaction files of one
 * family only.  A metadata kind becomes a CSV table in the output folder.
 *
 * Detection (xkind_detect): the first non-blank line decides when it is
 * recognisable, the name (without ".gz") otherwise:
 *   '{' line with "user_id" and "book_id"            goodreads-json
 *   '{' line with "rating_dist" or "best_book_id"    goodreads-works
 *   '{' line with "book_id"                          goodreads-books
 *   '{' line with "author_id"                        goodreads-authors
 *   header user_id,book_id,is_read,rating,is_reviewed goodreads-csv
 *   header user_id_csv,user_id / book_id_csv,book_id  goodreads-user-map / -book-map
 *   header of user_id, book_id, rating (any order)    goodbooks-ratings
 *   header user_id,book_id                            goodbooks-to-read
 *   header with goodreads_book_id or id,book_id,...   goodbooks-books
 *   header userId,movieId,rating,timestamp            ml-csv-ratings
 *   header movieId,title,genres                       ml-csv-movies
 *   a line with "::" and four numbers (three fields)  ml-dat-ratings (ml-dat-movies)
 *   four tab-separated numbers                        ml-udata
 *   '|'-separated, a number first, 24 fields          ml-uitem
 * Names: goodreads_interactions*.json / goodreads_reviews*.json,
 * goodreads_books*.json, goodreads_book_works*.json,
 * goodreads_book_authors*.json, goodreads_interactions*.csv,
 * user_id_map.csv, book_id_map.csv, to_read.csv, u.data, u.item,
 * ratings.dat, movies.dat, rating.csv, movie.csv, movies.csv.
 */
#ifndef GL_EXTRACT_KIND_H
#define GL_EXTRACT_KIND_H

#include <stddef.h>

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

struct xfamily_info {
	const char *user_col; /* key column of users.raw.csv (XF_CSV: extract_columns.h) */
	const char *item_col; /* key column of items.raw.csv */
	int has_times, has_read, has_reviewed; /* XF_CSV: times with a time column */
};

/* The --source name of a kind ("goodreads-json"), or NULL. */
const char *xkind_name(int kind);
/* The kind named name, or XK_NONE. */
int xkind_by_name(const char *name);
/* A NULL-terminated list of every kind name (for cli_choice and --help). */
const char *const *xkind_names(void);
int xkind_family(int kind);
const struct xfamily_info *xfamily_info(int family);
/* Table a metadata kind writes, or XT_NONE for interaction kinds. */
int xkind_table(int kind);
/* File name of a table ("books.csv"). */
const char *xtab_file(int tab);

/* The kind of path given its first non-blank line (NUL-terminated, may be
 * NULL or empty), or XK_NONE when neither line nor name tells. */
int xkind_detect(const char *path, const char *line);

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
