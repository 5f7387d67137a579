#include "extract_kind.h"

#include "delim.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[XK_N + 1] = {
	"goodreads-json",    "goodreads-books",   "goodreads-works",  "goodreads-authors",
	"goodreads-csv",     "goodreads-user-map", "goodreads-book-map", "goodbooks-ratings",
	"goodbooks-to-read", "goodbooks-books",   "ml-udata",         "ml-uitem",
	"ml-dat-ratings",    "ml-dat-movies",     "ml-csv-ratings",   "ml-csv-movies",
	"csv",               NULL,
};

static const int kind_family[XK_N] = {
	[XK_GR_JSON] = XF_GR_JSON,         [XK_GR_CSV] = XF_GR_CSV,
	[XK_GB_RATINGS] = XF_GOODBOOKS,    [XK_GB_TO_READ] = XF_GOODBOOKS,
	[XK_ML_UDATA] = XF_MOVIELENS,      [XK_ML_DAT_RATINGS] = XF_MOVIELENS,
	[XK_ML_CSV_RATINGS] = XF_MOVIELENS, [XK_CSV] = XF_CSV,
};

static const int kind_table[XK_N] = {
	[XK_GR_JSON] = XT_NONE,         [XK_GR_BOOKS] = XT_BOOKS,
	[XK_GR_WORKS] = XT_WORKS,       [XK_GR_AUTHORS] = XT_AUTHORS,
	[XK_GR_CSV] = XT_NONE,          [XK_GR_USER_MAP] = XT_USER_MAP,
	[XK_GR_BOOK_MAP] = XT_BOOK_MAP, [XK_GB_RATINGS] = XT_NONE,
	[XK_GB_TO_READ] = XT_NONE,      [XK_GB_BOOKS] = XT_BOOKS,
	[XK_ML_UDATA] = XT_NONE,        [XK_ML_UITEM] = XT_MOVIES,
	[XK_ML_DAT_RATINGS] = XT_NONE,  [XK_ML_DAT_MOVIES] = XT_MOVIES,
	[XK_ML_CSV_RATINGS] = XT_NONE,  [XK_ML_CSV_MOVIES] = XT_MOVIES,
	[XK_CSV] = XT_NONE,
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

const char *xkind_name(int kind) { return kind >= 0 && kind < XK_N ? kind_names[kind] : NULL; }
const char *const *xkind_names(void) { return kind_names; }
int xkind_family(int kind) { return kind >= 0 && kind < XK_N ? kind_family[kind] : XF_NONE; }
const struct xfamily_info *xfamily_info(int family) { return &families[family]; }
int xkind_table(int kind) { return kind >= 0 && kind < XK_N ? kind_table[kind] : XT_NONE; }
const char *xtab_file(int tab) { return tab >= 0 && tab < XT_N ? tab_files[tab] : NULL; }

int xkind_by_name(const char *name)
{
	for (int k = 0; k < XK_N; k++)
		if (strcmp(kind_names[k], name) == 0)
			return k;
	return XK_NONE;
}

/* ---- detection from the first line ------------------------------------------ */

#define MAX_COLS 32

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

static int has_col(char cols[MAX_COLS][40], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(cols[i], name) == 0)
			return 1;
	return 0;
}

/* The columns are exactly names (in this order). */
static int cols_are(char cols[MAX_COLS][40], int n, const char *names)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", names);
	int i = 0;
	for (char *t = strtok(buf, ","); t; t = strtok(NULL, ","), i++)
		if (i >= n || strcmp(cols[i], t) != 0)
			return 0;
	return i == n;
}

static int from_csv_header(const char *line)
{
	char cols[MAX_COLS][40];
	int n = header_cols(line, ',', cols);
	if (n == 0)
		return XK_NONE;
	if (cols_are(cols, n, "user_id,book_id,is_read,rating,is_reviewed"))
		return XK_GR_CSV;
	if (cols_are(cols, n, "user_id_csv,user_id"))
		return XK_GR_USER_MAP;
	if (cols_are(cols, n, "book_id_csv,book_id"))
		return XK_GR_BOOK_MAP;
	if (n == 3 && has_col(cols, n, "user_id") && has_col(cols, n, "book_id") &&
	    has_col(cols, n, "rating"))
		return XK_GB_RATINGS;
	if (cols_are(cols, n, "user_id,book_id"))
		return XK_GB_TO_READ;
	if (has_col(cols, n, "goodreads_book_id") ||
	    (n > 3 && strcmp(cols[0], "id") == 0 && has_col(cols, n, "best_book_id")))
		return XK_GB_BOOKS;
	if (has_col(cols, n, "userId") && has_col(cols, n, "movieId") &&
	    has_col(cols, n, "rating"))
		return XK_ML_CSV_RATINGS;
	if (has_col(cols, n, "movieId") && has_col(cols, n, "title"))
		return XK_ML_CSV_MOVIES;
	return XK_NONE;
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

static int count_char(const char *s, char c)
{
	int n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

static int from_line(const char *line)
{
	if (line[0] == '{') {
		int user = strstr(line, "\"user_id\"") != NULL;
		int book = strstr(line, "\"book_id\"") != NULL;
		if (user && book)
			return XK_GR_JSON;
		if (strstr(line, "\"rating_dist\"") || strstr(line, "\"best_book_id\""))
			return XK_GR_WORKS;
		if (book)
			return XK_GR_BOOKS;
		if (strstr(line, "\"author_id\""))
			return XK_GR_AUTHORS;
		return XK_NONE;
	}
	if (strstr(line, "::")) {
		if (numeric_fields(line, "::", 4))
			return XK_ML_DAT_RATINGS;
		const char *first = strstr(line, "::");
		return all_digits(line, (size_t)(first - line)) ? XK_ML_DAT_MOVIES : XK_NONE;
	}
	if (numeric_fields(line, "\t", 4))
		return XK_ML_UDATA;
	if (count_char(line, '|') == 23 && all_digits(line, strcspn(line, "|")))
		return XK_ML_UITEM;
	return from_csv_header(line);
}

/* Does base (name without ".gz") start with prefix and end with suffix? */
static int name_is(const char *base, const char *prefix, const char *suffix)
{
	size_t b = strlen(base), p = strlen(prefix), s = strlen(suffix);
	return b >= p + s && strncmp(base, prefix, p) == 0 && strcmp(base + b - s, suffix) == 0;
}

static int from_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	char base[256];
	snprintf(base, sizeof base, "%s", slash ? slash + 1 : path);
	size_t len = strlen(base);
	if (len > 3 && strcmp(base + len - 3, ".gz") == 0)
		base[len - 3] = 0;
	static const struct {
		const char *prefix, *suffix;
		int kind;
	} rules[] = {
		{"goodreads_interactions", ".json", XK_GR_JSON},
		{"goodreads_reviews", ".json", XK_GR_JSON},
		{"goodreads_book_works", ".json", XK_GR_WORKS},
		{"goodreads_book_authors", ".json", XK_GR_AUTHORS},
		{"goodreads_books", ".json", XK_GR_BOOKS},
		{"goodreads_interactions", ".csv", XK_GR_CSV},
		{"user_id_map", ".csv", XK_GR_USER_MAP},
		{"book_id_map", ".csv", XK_GR_BOOK_MAP},
		{"to_read", ".csv", XK_GB_TO_READ},
		{"u.data", "", XK_ML_UDATA},
		{"u.item", "", XK_ML_UITEM},
		{"ratings.dat", "", XK_ML_DAT_RATINGS},
		{"movies.dat", "", XK_ML_DAT_MOVIES},
		{"rating.csv", "", XK_ML_CSV_RATINGS},
		{"movie.csv", "", XK_ML_CSV_MOVIES},
		{"movies.csv", "", XK_ML_CSV_MOVIES},
	};
	/* An empty suffix means the prefix is the whole name. */
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rules[i].suffix[0] ? name_is(base, rules[i].prefix, rules[i].suffix)
				       : strcmp(base, rules[i].prefix) == 0)
			return rules[i].kind;
	return XK_NONE;
}

int xkind_detect(const char *path, const char *line)
{
	int k = line && *line ? from_line(line) : XK_NONE;
	return k != XK_NONE ? k : from_name(path);
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
