/* extract_src_goodbooks.c - Kaggle goodbooks-10k: ratings.csv (user_id,book_id,
 * rating, or the older book_id,user_id,rating order; found by header
 * names), to_read.csv (user_id,book_id: shelved, not rated, so rating byte
 * 0 in the same ratings file, as Goodreads' rating 0) and books.csv (the 23
 * columns in the newer header book_id,goodreads_book_id,... or the older
 * id,book_id,...).
 *
 * books.csv is normalised to the Goodreads books.csv columns: book_id is
 * goodbooks' 1-based id (the key of its ratings), publication_year is
 * original_publication_year without ".0", title_without_series is the
 * title less a trailing "(Series, #n)", author_id and author_ids and url
 * are empty (goodbooks has names, not ids); then every other goodbooks
 * column, goodreads_book_id first.  Ratings must be whole numbers 1..5.
 */
#include "extract_src_goodbooks.h"

#include "err.h"
#include "extract_value.h"
#include "extract_src_csv.h"

#include <stdio.h>
#include <string.h>

static int ratings(struct xctx *cx, struct xfile *f, struct xcsv *c, int to_read)
{
	int cu = xcsv_need(f, c, "user_id"), cb = xcsv_need(f, c, "book_id");
	int cr = to_read ? 0 : xcsv_need(f, c, "rating");
	if (cu < -1 || cb < -1 || cr < -1)
		return GL_EFORMAT;
	int max = cu > cb ? cu : cb;
	max = max > cr ? max : cr;
	int rc, err = 0;
	struct rscale stars; /* goodbooks: whole stars 1..5 */
	rscale_set(&stars, RS_ONE, 5 * RS_ONE, RS_ONE);
	while (!err && (rc = xcsv_next(cx, f, c, (size_t)max + 1)) == 1) {
		const struct csvr_rec *r = &c->rec;
		char msg[160];
		uint8_t byte = 0;
		int bad = !xsrc_is_num(r->f[cu], r->len[cu])   ? cu
			  : !xsrc_is_num(r->f[cb], r->len[cb]) ? cb
							       : -1;
		int rs = bad >= 0 || to_read ? RS_OK
					     : rscale_read(&stars, r->f[cr], r->len[cr], &byte, msg,
							   sizeof msg);
		if (bad >= 0) {
			xval_quote(r->f[bad], r->len[bad], msg, sizeof msg);
			err = xsrc_bad(cx, f, XB_BAD_ID, r->lineno, r->offset, "%s %s %s",
				       bad == cu ? "user_id" : "book_id", msg,
				       xsrc_num_problem(r->f[bad], r->len[bad]));
		} else if (rs != RS_OK) {
			err = xsrc_bad(cx, f, rs == RS_EMPTY ? XB_MISSING_FIELD : XB_BAD_RATING,
				       r->lineno, r->offset, "%s", msg);
		} else {
			err = xsrc_rating(cx, f, r->f[cu], r->len[cu], r->f[cb], r->len[cb], byte, 0,
					  0, r->lineno, r->offset);
		}
	}
	return err ? err : rc;
}

/* Output columns and where they come from (NULL = computed or empty). */
static const char *const book_src[] = {
	"@id", "work_id", "title", "@series", "", "", "@year", "language_code", "isbn", "isbn13",
	"average_rating", "ratings_count", "image_url", "", "@goodreads", "best_book_id",
	"authors", "original_title", "books_count", "work_ratings_count",
	"work_text_reviews_count", "ratings_1", "ratings_2", "ratings_3", "ratings_4",
	"ratings_5", "small_image_url",
};
#define BOOK_COLS (sizeof book_src / sizeof book_src[0])

/* The title without a trailing " (Series Name, #3)". */
static size_t series_cut(const char *t, size_t len)
{
	if (len < 2 || t[len - 1] != ')')
		return len;
	const char *open = NULL;
	for (size_t i = len - 1; i-- > 0;)
		if (t[i] == '(') {
			open = t + i;
			break;
		}
	if (!open || !memchr(open, '#', (size_t)(t + len - open)))
		return len;
	size_t cut = (size_t)(open - t);
	while (cut && t[cut - 1] == ' ')
		cut--;
	return cut ? cut : len;
}

static int books(struct xctx *cx, struct xfile *f, struct xcsv *c)
{
	int newer = xcsv_col(c, "goodreads_book_id") >= 0;
	int ci = xcsv_need(f, c, newer ? "book_id" : "id");
	int cg = xcsv_need(f, c, newer ? "goodreads_book_id" : "book_id");
	int col[BOOK_COLS];
	int max = ci > cg ? ci : cg;
	if (ci < -1 || cg < -1)
		return GL_EFORMAT;
	for (size_t k = 0; k < BOOK_COLS; k++) {
		const char *s = book_src[k];
		col[k] = s[0] == '@' || s[0] == 0 ? -1 : xcsv_col(c, s);
		max = col[k] > max ? col[k] : max;
	}
	int ct = xcsv_col(c, "title"), cy = xcsv_col(c, "original_publication_year");
	/* every column read must be in the record: a short row is bad_fields */
	max = ct > max ? ct : max;
	max = cy > max ? cy : max;
	int rc, err = 0;
	char title[4096], year[32];
	while (!err && (rc = xcsv_next(cx, f, c, (size_t)max + 1)) == 1) {
		const struct csvr_rec *r = &c->rec;
		if (!xsrc_is_num(r->f[ci], r->len[ci]) || !xsrc_is_num(r->f[cg], r->len[cg])) {
			int bad = !xsrc_is_num(r->f[ci], r->len[ci]) ? ci : cg;
			char q[64];
			xval_quote(r->f[bad], r->len[bad], q, sizeof q);
			err = xsrc_bad(cx, f, XB_BAD_ID, r->lineno, r->offset,
				       "%s %s %s", c->head.f[bad], q,
				       xsrc_num_problem(r->f[bad], r->len[bad]));
			continue;
		}
		const char *row[BOOK_COLS];
		for (size_t k = 0; k < BOOK_COLS; k++)
			row[k] = col[k] >= 0 ? r->f[col[k]] : "";
		row[0] = r->f[ci];
		row[14] = r->f[cg];
		if (ct >= 0) {
			size_t cut = series_cut(r->f[ct], r->len[ct]);
			snprintf(title, sizeof title, "%.*s", (int)cut, r->f[ct]);
			row[3] = cut < sizeof title ? title : r->f[ct];
		}
		if (cy >= 0) {
			size_t n = r->len[cy];
			if (n > 2 && strcmp(r->f[cy] + n - 2, ".0") == 0)
				n -= 2;
			snprintf(year, sizeof year, "%.*s", (int)n, r->f[cy]);
			row[6] = n < sizeof year ? year : r->f[cy];
		}
		xsrc_row(f, row, BOOK_COLS);
	}
	return err ? err : rc;
}

/* ratings.csv or to_read.csv: a comma CSV with a header. */
static int ratings_file(struct xctx *cx, struct xfile *f, int to_read)
{
	struct xcsv c;
	int err = xcsv_open(cx, f, &c, ',', 0, 0);
	if (!err)
		err = ratings(cx, f, &c, to_read);
	xcsv_close(f, &c);
	return err;
}

int src_goodbooks_ratings(struct xctx *cx, struct xfile *f) { return ratings_file(cx, f, 0); }
int src_goodbooks_to_read(struct xctx *cx, struct xfile *f) { return ratings_file(cx, f, 1); }

int src_goodbooks_books(struct xctx *cx, struct xfile *f)
{
	struct xcsv c;
	int err = xcsv_open(cx, f, &c, ',', 0, 0);
	if (!err)
		err = books(cx, f, &c);
	xcsv_close(f, &c);
	return err;
}
