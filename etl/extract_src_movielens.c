/* extract_src_movielens.c - every MovieLens layout.
 *
 *   ml-udata        u.data: user \t item \t rating \t timestamp (ml-100k)
 *   ml-uitem        u.item: id|title|release|video release|IMDb URL|19 genre
 *                   flags, Latin-1, no quoting (ml-100k)
 *   ml-dat-ratings  ratings.dat: user::movie::rating::timestamp (ml-1m, ml-10m)
 *   ml-dat-movies   movies.dat: id::title::genres; the title may hold "::"
 *                   pieces, so it is everything between the first and the
 *                   last "::"
 *   ml-csv-ratings  ratings.csv userId,movieId,rating,timestamp (ml-20m and
 *                   later), and the Kaggle rating.csv of ml-20m with every
 *                   field quoted and "2005-04-02 23:53:47" times (UTC)
 *   ml-csv-movies   movies.csv / Kaggle movie.csv: movieId,title,genres
 *
 * Ratings are 0.5..5 in half stars ("4", "4.5", "4.0"); anything else is
 * bad_rating (an empty one missing_field).  Ids are canonical decimals (bad_id).  A timestamp that is
 * missing or does not parse keeps the record with time 0 (bad_date).
 * movies.csv gets movie_id,title,year,genres: the title as the source has
 * it, year from its "(1995)" or "(2006-2007)" suffix (empty if none), and
 * u.item's genre flags as names joined by '|'.
 *
 * Text: ml-1m's .dat files are Latin-1, ml-10m's UTF-8, under the same
 * names; with --encoding auto each .dat field is taken as UTF-8 when it is
 * valid UTF-8 and as Latin-1 otherwise.  u.item is Latin-1 and the CSV
 * files UTF-8 unless --encoding says otherwise.
 */
#include "extract_src_movielens.h"

#include "buf.h"
#include "extract_dates.h"
#include "err.h"
#include "extract_value.h"
#include "gzline.h"
#include "log.h"
#include "extract_src_csv.h"
#include "utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MAX_FIELDS 32

static const char *const uitem_genres[19] = {
	"unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
	"Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
	"Romance", "Sci-Fi", "Thriller", "War", "Western",
};

struct field {
	const char *p;
	size_t len;
};

/* Split s on sep (a string) into at most max fields; returns the count
 * (max + 1 means "more than max"). */
static size_t split(const char *s, size_t len, const char *sep, struct field *f, size_t max)
{
	size_t n = 0, sl = strlen(sep);
	const char *end = s + len;
	for (;;) {
		const char *e = sl == 1 ? memchr(s, sep[0], (size_t)(end - s))
					: memmem(s, (size_t)(end - s), sep, sl);
		if (n == max)
			return max + 1;
		f[n].p = s;
		f[n].len = e ? (size_t)(e - s) : (size_t)(end - s);
		n++;
		if (!e)
			return n;
		s = e + sl;
	}
}

/* Text in the source's encoding to UTF-8 in out; returns replacements or
 * GL_ENOMEM.  mode: XENC_AUTO (UTF-8 if valid, else Latin-1), XENC_UTF8
 * (replace invalid), XENC_LATIN1. */
static long text(int mode, const char *s, size_t len, struct buf *out)
{
	int latin1 = mode == XENC_LATIN1 ||
		     (mode == XENC_AUTO && utf8_valid_prefix(s, len) != len);
	return utf8_clean(s, len, latin1, out);
}

/* The year of a "Title (1995)" or "Title (2006-2007)" suffix, or "". */
static void title_year(const char *t, size_t len, char year[5])
{
	year[0] = 0;
	while (len && (t[len - 1] == ' ' || t[len - 1] == '\t'))
		len--;
	if (len < 6 || t[len - 1] != ')')
		return;
	const char *open = memrchr(t, '(', len);
	if (!open)
		return;
	const char *y = open + 1;
	size_t inner = (size_t)(t + len - 1 - y);
	for (int i = 0; i < 4; i++)
		if ((size_t)i >= inner || y[i] < '0' || y[i] > '9')
			return;
	/* "1995", or a range: "2006-2007", "2006–2007" (en dash), "2006-" */
	if (inner != 4 && y[4] != '-' && !(inner >= 7 && memcmp(y + 4, "\xe2\x80\x93", 3) == 0))
		return;
	memcpy(year, y, 4);
	year[4] = 0;
}

/* ---- ratings ---------------------------------------------------------------- */

static int one_rating(struct xctx *cx, struct xfile *f, const struct field *u,
		      const struct field *m, const struct field *r, const struct field *t,
		      uint64_t line, uint64_t off)
{
	uint8_t byte;
	uint32_t when = 0;
	char q[64], msg[160];
	struct rscale half; /* MovieLens: 0.5..5 in half stars (whole stars before ml-10m) */
	rscale_set(&half, RS_ONE / 2, 5 * RS_ONE, RS_ONE / 2);
	if (!xsrc_is_num(u->p, u->len) || !xsrc_is_num(m->p, m->len)) {
		int user = !xsrc_is_num(u->p, u->len);
		xval_quote(user ? u->p : m->p, user ? u->len : m->len, q, sizeof q);
		return xsrc_bad(cx, f, XB_BAD_ID, line, off, "%s id %s %s", user ? "user" : "movie",
				q, xsrc_num_problem(user ? u->p : m->p, user ? u->len : m->len));
	}
	int rc = rscale_read(&half, r->p, r->len, &byte, msg, sizeof msg);
	if (rc != RS_OK)
		return xsrc_bad(cx, f, rc == RS_EMPTY ? XB_MISSING_FIELD : XB_BAD_RATING, line, off,
				"%s", msg);
	if (date_movielens(t->p, t->len, &when) <= 0) {
		xval_quote(t->p, t->len, q, sizeof q);
		int err = t->len ? xsrc_bad(cx, f, XB_BAD_DATE, line, off,
					    "timestamp %s is not a time (kept without a time)", q)
				 : xsrc_bad(cx, f, XB_BAD_DATE, line, off,
					    "timestamp is missing (kept without a time)");
		if (err)
			return err;
	}
	return xsrc_rating(cx, f, u->p, u->len, m->p, m->len, byte, when, 0, line, off);
}

/* u.data and ratings.dat: one rating per line, fields split on sep. */
static int line_ratings(struct xctx *cx, struct xfile *f, const char *sep)
{
	struct gzl *z = NULL;
	struct gzl_line ln;
	struct field fl[MAX_FIELDS];
	int rc = 0, err = xsrc_open_lines(cx, f, &z);
	while (!err && (rc = gzl_next(z, &ln)) == 1) {
		f->st->lines++;
		if (ln.len == 0 && !ln.too_long)
			continue;
		f->st->records++;
		xsrc_tick(cx, f, z);
		size_t n = ln.too_long ? 0 : split(ln.p, ln.len, sep, fl, MAX_FIELDS);
		if (ln.too_long)
			err = xsrc_bad(cx, f, XB_TOO_LONG, ln.lineno, ln.offset,
				       "line of %" PRIu64 " bytes is longer than --max-line",
				       (uint64_t)ln.full_len);
		else if (n < 4)
			err = xsrc_bad(cx, f, XB_BAD_FIELDS, ln.lineno, ln.offset,
				       "%zu fields, expected 4", n);
		else
			err = one_rating(cx, f, &fl[0], &fl[1], &fl[2], &fl[3], ln.lineno,
					 ln.offset);
	}
	if (!err && rc < 0)
		err = rc;
	if (z)
		xsrc_bytes(f, z);
	gzl_close(z);
	return err;
}

static int csv_ratings(struct xctx *cx, struct xfile *f)
{
	struct xcsv c;
	int err = xcsv_open(cx, f, &c, ',', 0, -1);
	int cu = err ? 0 : xcsv_need(f, &c, "userId"), cm = err ? 0 : xcsv_need(f, &c, "movieId");
	int cr = err ? 0 : xcsv_need(f, &c, "rating"), ct = err ? 0 : xcsv_col(&c, "timestamp");
	if (!err && (cu < -1 || cm < -1 || cr < -1))
		err = GL_EFORMAT;
	int max = cu > cm ? cu : cm;
	max = max > cr ? max : cr;
	max = max > ct ? max : ct;
	int rc = 0;
	while (!err && (rc = xcsv_next(cx, f, &c, (size_t)max + 1)) == 1) {
		const struct csvr_rec *r = &c.rec;
		struct field u = {r->f[cu], r->len[cu]}, m = {r->f[cm], r->len[cm]};
		struct field g = {r->f[cr], r->len[cr]};
		struct field t = {ct >= 0 ? r->f[ct] : "", ct >= 0 ? r->len[ct] : 0};
		err = one_rating(cx, f, &u, &m, &g, &t, r->lineno, r->offset);
	}
	if (!err && rc < 0)
		err = rc;
	xcsv_close(f, &c);
	return err;
}

/* ---- movies ------------------------------------------------------------------ */

struct movie_out {
	struct buf title, genres;
	long bad;
};

/* Check and write one movie row from id, title and genres (source text). */
static int one_movie(struct xctx *cx, struct xfile *f, struct movie_out *mo, int enc,
		     const struct field *id, const struct field *title, const struct field *genres,
		     uint64_t line, uint64_t off)
{
	if (!xsrc_is_num(id->p, id->len)) {
		char q[64];
		xval_quote(id->p, id->len, q, sizeof q);
		return xsrc_bad(cx, f, XB_BAD_ID, line, off, "movie id %s %s", q,
				xsrc_num_problem(id->p, id->len));
	}
	buf_clear(&mo->title);
	buf_clear(&mo->genres);
	long a = text(enc, title->p, title->len, &mo->title);
	long b = a < 0 ? a : genres ? text(enc, genres->p, genres->len, &mo->genres) : 0;
	if (a < 0 || b < 0 || buf_addc(&mo->title, 0) || buf_addc(&mo->genres, 0)) {
		log_error("out of memory reading %s", f->path);
		return GL_ENOMEM;
	}
	mo->title.len--, mo->genres.len--;
	if (a + b) {
		int err = xrep_note(&cx->rep, f->st, XB_BAD_UTF8, (uint64_t)(a + b), line, off,
				    "invalid UTF-8 replaced by U+FFFD");
		if (err)
			return err;
	}
	char idbuf[24], year[5];
	snprintf(idbuf, sizeof idbuf, "%.*s", (int)id->len, id->p);
	title_year(mo->title.p, mo->title.len, year);
	const char *row[4] = {idbuf, mo->title.p, year, mo->genres.p};
	xsrc_row(f, row, 4);
	return 0;
}

/* u.item's 19 flags to "Action|Comedy". */
static int uitem_genres_text(const struct field *flags, struct buf *out)
{
	buf_clear(out);
	for (int g = 0; g < 19; g++)
		if (flags[g].len == 1 && flags[g].p[0] == '1')
			if ((out->len && buf_addc(out, '|')) || buf_adds(out, uitem_genres[g]))
				return GL_ENOMEM;
	return 0;
}

static int line_movies(struct xctx *cx, struct xfile *f, int uitem)
{
	int enc = cx->o->encoding;
	if (uitem && enc == XENC_AUTO)
		enc = XENC_LATIN1;
	struct movie_out mo = {0};
	struct buf gen = {0};
	struct gzl *z = NULL;
	struct gzl_line ln;
	struct field fl[MAX_FIELDS];
	int rc = 0, err = xsrc_open_lines(cx, f, &z);
	while (!err && (rc = gzl_next(z, &ln)) == 1) {
		f->st->lines++;
		if (ln.len == 0 && !ln.too_long)
			continue;
		f->st->records++;
		xsrc_tick(cx, f, z);
		if (ln.too_long) {
			err = xsrc_bad(cx, f, XB_TOO_LONG, ln.lineno, ln.offset,
				       "line of %" PRIu64 " bytes is longer than --max-line",
				       (uint64_t)ln.full_len);
			continue;
		}
		if (uitem) {
			size_t n = split(ln.p, ln.len, "|", fl, MAX_FIELDS);
			if (n < 24) {
				err = xsrc_bad(cx, f, XB_BAD_FIELDS, ln.lineno, ln.offset,
					       "%zu fields, expected 24", n);
				continue;
			}
			if (uitem_genres_text(fl + 5, &gen)) {
				log_error("out of memory reading %s", f->path);
				err = GL_ENOMEM;
				break;
			}
			struct field g = {gen.p ? gen.p : "", gen.len};
			err = one_movie(cx, f, &mo, enc, &fl[0], &fl[1], &g, ln.lineno, ln.offset);
			continue;
		}
		const char *first = memmem(ln.p, ln.len, "::", 2);
		const char *last = first ? memrchr(ln.p, ':', ln.len) : NULL;
		if (!first || last - 1 <= first + 1) {
			err = xsrc_bad(cx, f, XB_BAD_FIELDS, ln.lineno, ln.offset,
				       "expected id::title::genres");
			continue;
		}
		struct field id = {ln.p, (size_t)(first - ln.p)};
		struct field t = {first + 2, (size_t)(last - 1 - (first + 2))};
		struct field g = {last + 1, (size_t)(ln.p + ln.len - (last + 1))};
		if (last[-1] != ':') {
			err = xsrc_bad(cx, f, XB_BAD_FIELDS, ln.lineno, ln.offset,
				       "expected id::title::genres");
			continue;
		}
		err = one_movie(cx, f, &mo, enc, &id, &t, &g, ln.lineno, ln.offset);
	}
	if (!err && rc < 0)
		err = rc;
	if (z)
		xsrc_bytes(f, z);
	gzl_close(z);
	buf_free(&mo.title);
	buf_free(&mo.genres);
	buf_free(&gen);
	return err;
}

static int csv_movies(struct xctx *cx, struct xfile *f)
{
	struct movie_out mo = {0};
	struct xcsv c;
	int err = xcsv_open(cx, f, &c, ',', 0, -1);
	int ci = err ? 0 : xcsv_need(f, &c, "movieId"), ct = err ? 0 : xcsv_need(f, &c, "title");
	int cg = err ? 0 : xcsv_col(&c, "genres");
	if (!err && (ci < -1 || ct < -1))
		err = GL_EFORMAT;
	int max = ci > ct ? ci : ct;
	max = max > cg ? max : cg;
	int rc = 0;
	while (!err && (rc = xcsv_next(cx, f, &c, (size_t)max + 1)) == 1) {
		const struct csvr_rec *r = &c.rec;
		struct field id = {r->f[ci], r->len[ci]}, t = {r->f[ct], r->len[ct]};
		struct field g = {cg >= 0 ? r->f[cg] : "", cg >= 0 ? r->len[cg] : 0};
		/* csvread already made the text UTF-8 */
		err = one_movie(cx, f, &mo, XENC_UTF8, &id, &t, &g, r->lineno, r->offset);
	}
	if (!err && rc < 0)
		err = rc;
	xcsv_close(f, &c);
	buf_free(&mo.title);
	buf_free(&mo.genres);
	return err;
}

int src_ml_udata(struct xctx *cx, struct xfile *f) { return line_ratings(cx, f, "\t"); }
int src_ml_dat_ratings(struct xctx *cx, struct xfile *f) { return line_ratings(cx, f, "::"); }
int src_ml_csv_ratings(struct xctx *cx, struct xfile *f) { return csv_ratings(cx, f); }
int src_ml_uitem(struct xctx *cx, struct xfile *f) { return line_movies(cx, f, 1); }
int src_ml_dat_movies(struct xctx *cx, struct xfile *f) { return line_movies(cx, f, 0); }
int src_ml_csv_movies(struct xctx *cx, struct xfile *f) { return csv_movies(cx, f); }
