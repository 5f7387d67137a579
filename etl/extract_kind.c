/* extract_kind.c - the table of kinds and detection (extract_kind.h). */
#include "extract_kind.h"

#include "delim.h"
#include "extract_src_goodbooks.h"
#include "extract_src_goodreads_csv.h"
#include "extract_src_goodreads_json.h"
#include "extract_src_goodreads_meta.h"
#include "extract_src_movielens.h"
#include "extract_src_ratings_csv.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_COLS 32

struct xline {
	const char *text;
	int shape;
	int n;                     /* XL_CSV: the header's names (0 if too wide) */
	char cols[MAX_COLS][40];
};

/* ---- tests of a first line, one per kind that needs more than a shape ----- */

static int has_col(const struct xline *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->cols[i], name) == 0)
			return 1;
	return 0;
}

/* The columns are exactly names (in this order). */
static int cols_are(const struct xline *l, const char *names)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", names);
	int i = 0;
	for (char *t = strtok(buf, ","); t; t = strtok(NULL, ","), i++)
		if (i >= l->n || strcmp(l->cols[i], t) != 0)
			return 0;
	return i == l->n;
}

static int has_key(const struct xline *l, const char *quoted)
{
	return strstr(l->text, quoted) != NULL;
}

static int all_digits(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((s[i] < '0' || s[i] > '9') && s[i] != '.')
			return 0;
	return 1;
}

/* Fields of line separated by sep (a string), each a number? */
static int numeric_fields(const char *line, const char *sep, int want)
{
	int n = 0;
	size_t sl = strlen(sep);
	for (const char *p = line;; n++) {
		const char *e = strstr(p, sep);
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (!all_digits(p, len))
			return 0;
		if (!e)
			return n + 1 == want;
		p = e + sl;
	}
}

static int gr_interaction(const struct xline *l)
{
	return has_key(l, "\"user_id\"") && has_key(l, "\"book_id\"");
}
/* After gr_interaction: a book that is not a work. */
static int gr_book(const struct xline *l)
{
	return has_key(l, "\"book_id\"") && !has_key(l, "\"rating_dist\"") &&
	       !has_key(l, "\"best_book_id\"");
}
static int gr_work(const struct xline *l)
{
	return has_key(l, "\"rating_dist\"") || has_key(l, "\"best_book_id\"");
}
static int gr_author(const struct xline *l) { return has_key(l, "\"author_id\""); }

static int gr_csv(const struct xline *l)
{
	return cols_are(l, "user_id,book_id,is_read,rating,is_reviewed");
}
static int gr_user_map(const struct xline *l) { return cols_are(l, "user_id_csv,user_id"); }
static int gr_book_map(const struct xline *l) { return cols_are(l, "book_id_csv,book_id"); }
/* either column order */
static int gb_ratings(const struct xline *l)
{
	return l->n == 3 && has_col(l, "user_id") && has_col(l, "book_id") && has_col(l, "rating");
}
static int gb_to_read(const struct xline *l) { return cols_are(l, "user_id,book_id"); }
/* the newer header (book_id,goodreads_book_id,...) or the older (id,book_id,...) */
static int gb_books(const struct xline *l)
{
	return has_col(l, "goodreads_book_id") ||
	       (l->n > 3 && strcmp(l->cols[0], "id") == 0 && has_col(l, "best_book_id"));
}
static int ml_dat_ratings(const struct xline *l) { return numeric_fields(l->text, "::", 4); }
/* After ml_dat_ratings: a number before the first "::". */
static int ml_dat_movies(const struct xline *l)
{
	return all_digits(l->text, (size_t)(strstr(l->text, "::") - l->text));
}
static int ml_csv_ratings(const struct xline *l)
{
	return has_col(l, "userId") && has_col(l, "movieId") && has_col(l, "rating");
}
static int ml_csv_movies(const struct xline *l)
{
	return has_col(l, "movieId") && has_col(l, "title");
}

/* ---- the table ------------------------------------------------------------- */

#define GR_BOOKS_HEADER                                                                     \
	"book_id,work_id,title,title_without_series,author_id,author_ids,publication_year,"  \
	"language_code,isbn,isbn13,average_rating,ratings_count,image_url,url"
#define MOVIES_HEADER "movie_id,title,year,genres"

static const struct xkind_info kinds[XK_N] = {
	[XK_GR_JSON] = {"goodreads-json", "Goodreads interactions or reviews, JSON lines",
			XL_JSON, gr_interaction,
			{"goodreads_interactions*.json", "goodreads_reviews*.json"},
			XF_GR_JSON, XT_NONE, NULL, src_goodreads_json},
	[XK_GR_BOOKS] = {"goodreads-books", "Goodreads books, JSON lines", XL_JSON, gr_book,
			 {"goodreads_books*.json"}, XF_NONE, XT_BOOKS, GR_BOOKS_HEADER,
			 src_goodreads_meta},
	[XK_GR_WORKS] = {"goodreads-works", "Goodreads works, JSON lines", XL_JSON, gr_work,
			 {"goodreads_book_works*.json"}, XF_NONE, XT_WORKS,
			 "work_id,best_book_id,original_title,original_publication_year,"
			 "ratings_count,text_reviews_count,ratings_1,ratings_2,ratings_3,ratings_4,"
			 "ratings_5",
			 src_goodreads_meta},
	[XK_GR_AUTHORS] = {"goodreads-authors", "Goodreads authors, JSON lines", XL_JSON,
			   gr_author, {"goodreads_book_authors*.json"}, XF_NONE, XT_AUTHORS,
			   "author_id,name,average_rating,ratings_count", src_goodreads_meta},
	[XK_GR_CSV] = {"goodreads-csv", "Goodreads interactions, CSV (integer ids)", XL_CSV,
		       gr_csv, {"goodreads_interactions*.csv"}, XF_GR_CSV, XT_NONE, NULL,
		       src_goodreads_csv},
	[XK_GR_USER_MAP] = {"goodreads-user-map", "Goodreads CSV user ids (checked)", XL_CSV,
			    gr_user_map, {"user_id_map.csv"}, XF_NONE, XT_USER_MAP,
			    "user_id_csv,user_id", src_goodreads_user_map},
	[XK_GR_BOOK_MAP] = {"goodreads-book-map", "Goodreads CSV book ids (checked)", XL_CSV,
			    gr_book_map, {"book_id_map.csv"}, XF_NONE, XT_BOOK_MAP,
			    "book_id_csv,book_id", src_goodreads_book_map},
	[XK_GB_RATINGS] = {"goodbooks-ratings", "goodbooks-10k ratings.csv", XL_CSV, gb_ratings,
			   {NULL}, XF_GOODBOOKS, XT_NONE, NULL, src_goodbooks_ratings},
	[XK_GB_TO_READ] = {"goodbooks-to-read", "goodbooks-10k to_read.csv (shelved: rating 0)",
			   XL_CSV, gb_to_read, {"to_read.csv"}, XF_GOODBOOKS, XT_NONE, NULL,
			   src_goodbooks_to_read},
	[XK_GB_BOOKS] = {"goodbooks-books", "goodbooks-10k books.csv, normalised", XL_CSV,
			 gb_books, {NULL}, XF_NONE, XT_BOOKS,
			 GR_BOOKS_HEADER ",goodreads_book_id,best_book_id,authors,original_title,"
			 "books_count,work_ratings_count,work_text_reviews_count,ratings_1,"
			 "ratings_2,ratings_3,ratings_4,ratings_5,small_image_url",
			 src_goodbooks_books},
	[XK_ML_UDATA] = {"ml-udata", "MovieLens 100K ratings", XL_TABS, NULL, {"u.data"},
			 XF_MOVIELENS, XT_NONE, NULL, src_ml_udata},
	[XK_ML_UITEM] = {"ml-uitem", "MovieLens 100K movies", XL_PIPES, NULL, {"u.item"},
			 XF_NONE, XT_MOVIES, MOVIES_HEADER, src_ml_uitem},
	[XK_ML_DAT_RATINGS] = {"ml-dat-ratings", "MovieLens 1M and 10M ratings", XL_DCOLON,
			       ml_dat_ratings, {"ratings.dat"}, XF_MOVIELENS, XT_NONE, NULL,
			       src_ml_dat_ratings},
	[XK_ML_DAT_MOVIES] = {"ml-dat-movies", "MovieLens 1M and 10M movies", XL_DCOLON,
			      ml_dat_movies, {"movies.dat"}, XF_NONE, XT_MOVIES, MOVIES_HEADER,
			      src_ml_dat_movies},
	[XK_ML_CSV_RATINGS] = {"ml-csv-ratings", "MovieLens ratings, CSV (20M and later, Kaggle)",
			       XL_CSV, ml_csv_ratings, {"rating.csv"}, XF_MOVIELENS, XT_NONE,
			       NULL, src_ml_csv_ratings},
	[XK_ML_CSV_MOVIES] = {"ml-csv-movies", "MovieLens movies, CSV (20M and later, Kaggle)",
			      XL_CSV, ml_csv_movies, {"movie.csv", "movies.csv"}, XF_NONE,
			      XT_MOVIES, MOVIES_HEADER, src_ml_csv_movies},
	[XK_CSV] = {"csv", "a ratings file of any layout (below); never detected", XL_NEVER,
		    NULL, {NULL}, XF_CSV, XT_NONE, NULL, src_ratings_csv},
};

static const struct xfamily_info families[XF_N] = {
	[XF_NONE] = {"", "", 0, 0, 0},
	[XF_GR_JSON] = {"user_id", "book_id", 1, 1, 1},
	[XF_GR_CSV] = {"user_id_csv", "book_id_csv", 0, 1, 1},
	[XF_GOODBOOKS] = {"user_id", "book_id", 0, 0, 0},
	[XF_MOVIELENS] = {"user_id", "movie_id", 1, 0, 0},
	[XF_CSV] = {"user_id", "item_id", 1, 0, 0},
};

static const char *const tab_files[XT_N] = {"books.csv",  "works.csv",       "authors.csv",
					    "movies.csv", "user_id_map.csv", "book_id_map.csv"};

const struct xkind_info *xkind_info(int kind) { return &kinds[kind]; }
const char *xkind_name(int kind) { return kind >= 0 && kind < XK_N ? kinds[kind].name : NULL; }

const char *const *xkind_names(const char *out[XK_N + 1])
{
	for (int k = 0; k < XK_N; k++)
		out[k] = kinds[k].name;
	out[XK_N] = NULL;
	return out;
}

int xkind_family(int kind) { return kind >= 0 && kind < XK_N ? kinds[kind].family : XF_NONE; }
const struct xfamily_info *xfamily_info(int family) { return &families[family]; }
const char *xtab_file(int tab) { return tab >= 0 && tab < XT_N ? tab_files[tab] : NULL; }

int xkind_by_name(const char *name)
{
	for (int k = 0; k < XK_N; k++)
		if (strcmp(kinds[k].name, name) == 0)
			return k;
	return XK_NONE;
}

/* ---- detection ------------------------------------------------------------- */

/* Split a CSV header on sep into at most MAX_COLS names, without quotes and
 * surrounding spaces.  Returns the count (0 if the line is too wide). */
static int header_cols(const char *line, char sep, char cols[MAX_COLS][40])
{
	int n = 0;
	const char *p = line;
	for (;;) {
		const char *e = strchr(p, sep);
		size_t len = e ? (size_t)(e - p) : strlen(p);
		while (len && (*p == ' ' || *p == '"')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '"'))
			len--;
		if (n == MAX_COLS || len >= 40)
			return 0;
		memcpy(cols[n], p, len);
		cols[n][len] = 0;
		n++;
		if (!e)
			return n;
		p = e + 1;
	}
}

static int count_char(const char *s, char c)
{
	int n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

static void line_shape(struct xline *l, const char *text)
{
	l->text = text;
	l->n = 0;
	if (text[0] == '{')
		l->shape = XL_JSON;
	else if (strstr(text, "::"))
		l->shape = XL_DCOLON;
	else if (numeric_fields(text, "\t", 4))
		l->shape = XL_TABS;
	else if (count_char(text, '|') == 23 && all_digits(text, strcspn(text, "|")))
		l->shape = XL_PIPES;
	else if ((l->shape = XL_CSV))
		l->n = header_cols(text, ',', l->cols);
}

static int from_line(const char *text)
{
	struct xline l;
	line_shape(&l, text);
	for (int k = 0; k < XK_N; k++)
		if (kinds[k].shape == l.shape && (!kinds[k].line || kinds[k].line(&l)))
			return k;
	return XK_NONE;
}

/* Does base match pattern (at most one '*', any text)? */
static int name_is(const char *base, const char *pattern)
{
	const char *star = strchr(pattern, '*');
	if (!star)
		return strcmp(base, pattern) == 0;
	size_t b = strlen(base), p = (size_t)(star - pattern), s = strlen(star + 1);
	return b >= p + s && strncmp(base, pattern, p) == 0 && strcmp(base + b - s, star + 1) == 0;
}

static int from_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	char base[256];
	snprintf(base, sizeof base, "%s", slash ? slash + 1 : path);
	size_t len = strlen(base);
	if (len > 3 && strcmp(base + len - 3, ".gz") == 0)
		base[len - 3] = 0;
	for (int k = 0; k < XK_N; k++)
		for (int i = 0; i < 3 && kinds[k].files[i]; i++)
			if (name_is(base, kinds[k].files[i]))
				return k;
	return XK_NONE;
}

int xkind_detect(const char *path, const char *line)
{
	int k = line && *line ? from_line(line) : XK_NONE;
	return k != XK_NONE ? k : from_name(path);
}

/* ---- --help ----------------------------------------------------------------- */

#define HELP_WIDTH 79

/* Print text as words from column *col on (a space before each but one
 * at column indent), breaking lines at HELP_WIDTH to go on at indent. */
static void wrap(FILE *fp, const char *text, int indent, int *col)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, " ");
		if (*col > indent && *col + 1 + (int)n > HELP_WIDTH) {
			fprintf(fp, "\n%*s", indent, "");
			*col = indent;
		} else if (*col > indent) {
			fputc(' ', fp);
			(*col)++;
		}
		fprintf(fp, "%.*s", (int)n, p);
		*col += (int)n;
		p += n;
		p += strspn(p, " ");
	}
}

void xkind_help(FILE *fp)
{
	fprintf(fp, "Kinds (for --source), each told by a file's first line (JSON keys, CSV\n"
		    "header, '::', tabs, '|') or else by its name without .gz:\n");
	for (int k = 0; k < XK_N; k++) {
		const struct xkind_info *ki = &kinds[k];
		char text[512];
		size_t o = (size_t)snprintf(text, sizeof text, "%s", ki->help);
		if (ki->table != XT_NONE)
			o += (size_t)snprintf(text + o, sizeof text - o, ", to %s", tab_files[ki->table]);
		for (int i = 0; i < 3 && ki->files[i]; i++)
			o += (size_t)snprintf(text + o, sizeof text - o, "%s%s", i ? ", " : "; named ",
					      ki->files[i]);
		int col = fprintf(fp, "  %-20s ", ki->name);
		wrap(fp, text, 23, &col);
		fputc('\n', fp);
	}
	fprintf(fp, "A CSV of another layout is refused with the --source csv options that would\n"
		    "read it.\n");
}

/* ---- when nothing tells: what the user can do ---------------------------------- */

const char *xkind_layouts(void)
{
	return "userId,movieId,rating[,timestamp] (ml-csv-ratings), movieId,title,genres "
	       "(ml-csv-movies), user_id,book_id,rating (goodbooks-ratings), user_id,book_id "
	       "(goodbooks-to-read), book_id,goodreads_book_id,... (goodbooks-books), "
	       "user_id,book_id,is_read,rating,is_reviewed (goodreads-csv), user_id_csv,user_id "
	       "and book_id_csv,book_id (goodreads id maps), and the MovieLens u.data, "
	       "ratings.dat and Goodreads JSON lines";
}

/* Column names that say a role, compared without case. */
static const char *const role_words[4][24] = {
	{"user", "userid", "user_id", "users", "rater", "raterid", "rater_id", "reader",
	 "reviewer", "customer", "customer_id", "customerid", "member", "member_id", "person",
	 "username", "uid", NULL},
	{"item", "itemid", "item_id", "movie", "movieid", "movie_id", "film", "book", "bookid",
	 "book_id", "product", "product_id", "productid", "title", "track", "song", "artist",
	 "game", "anime", "anime_id", "isbn", "asin", "iid", NULL},
	{"rating", "ratings", "score", "stars", "star", "rate", "grade", "points", "vote",
	 "book_rating", "rating_value", NULL},
	{"time", "timestamp", "date", "when", "datetime", "ts", "created_at", "date_added",
	 "rated_at", NULL},
};
static const char *const role_names[4] = {"user", "item", "rating", "time"};

static int role_of(const char *col)
{
	for (int r = 0; r < 4; r++)
		for (int w = 0; role_words[r][w]; w++)
			if (strcasecmp(col, role_words[r][w]) == 0)
				return r;
	return -1;
}

static int all_numbers(char cols[MAX_COLS][40], int n)
{
	for (int i = 0; i < n; i++)
		if (!all_digits(cols[i], strlen(cols[i])) && !(cols[i][0] == '-' && cols[i][1]))
			return 0;
	return 1;
}

int xkind_suggest(const char *line, char *out, size_t cap)
{
	static const char generic[] = "--source csv --columns user=COL,item=COL,rating=COL"
				      "[,time=COL]";
	int d = line ? delim_detect(&line, 1) : DELIM_NONE;
	char cols[MAX_COLS][40];
	int n = d == DELIM_NONE || d == DELIM_DCOLON ? 0 : header_cols(line, delim_text(d)[0], cols);
	if (n >= 3 && all_numbers(cols, n)) {
		snprintf(out, cap, "--source csv --no-header --columns user=1,item=2,rating=3%s",
			 n >= 4 ? ",time=4" : "");
		return 1;
	}
	const char *found[4] = {NULL, NULL, NULL, NULL};
	for (int i = 0; i < n; i++) {
		int r = role_of(cols[i]);
		if (r >= 0 && !found[r])
			found[r] = cols[i];
	}
	if (!found[0] || !found[1] || !found[2]) {
		snprintf(out, cap, "%s", generic);
		return 0;
	}
	size_t o = (size_t)snprintf(out, cap, "--source csv --columns");
	for (int r = 0; r < 4 && o < cap; r++)
		if (found[r])
			o += (size_t)snprintf(out + o, cap - o, "%s%s=%s", r ? "," : " ", role_names[r],
					      found[r]);
	return 0;
}
