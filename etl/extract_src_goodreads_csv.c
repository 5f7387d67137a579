/* extract_src_goodreads_csv.c - the UCSD Goodreads CSV dump:
 * goodreads_interactions.csv (user_id,book_id,is_read,rating,is_reviewed,
 * with integer CSV ids) to the ratings file under the keys user_id_csv and
 * book_id_csv, and its id maps user_id_map.csv (user_id_csv,user_id) and
 * book_id_map.csv (book_id_csv,book_id) checked and copied through, for
 * goodlens-join's two-hop join.  A map may lack keys; the join reports them.
 *
 * Checks: ids are canonical decimals (bad_id), is_read and is_reviewed are
 * 0 or 1 (bad_type), rating is a whole number 0..5 (bad_rating).  The
 * flags become the read and reviewed bitmaps; a header without is_reviewed
 * (a file forced with --source) means nothing was reviewed.  In the maps the
 * CSV id must be a decimal and user_id 32 lowercase hex digits or book_id a
 * decimal (bad_id).
 */
#include "extract_src_goodreads_csv.h"

#include "err.h"
#include "glr.h"
#include "extract_value.h"
#include "extract_src_csv.h"

#include <string.h>

static int is_hex32(const char *s, size_t len)
{
	if (len != 32)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int is_flag(const struct csvr_rec *r, int col)
{
	return r->len[col] == 1 && (r->f[col][0] == '0' || r->f[col][0] == '1');
}

/* The GLR_BIT_* of a checked record; cv < 0: no is_reviewed column. */
static unsigned flags(const struct csvr_rec *r, int cr, int cv)
{
	return (r->f[cr][0] == '1' ? GLR_BIT_READ : 0u) |
	       (cv >= 0 && r->f[cv][0] == '1' ? GLR_BIT_REVIEWED : 0u);
}

static int interactions(struct xctx *cx, struct xfile *f, struct xcsv *c)
{
	int cu = xcsv_need(f, c, "user_id"), cb = xcsv_need(f, c, "book_id");
	int cr = xcsv_need(f, c, "is_read"), cg = xcsv_need(f, c, "rating");
	int cv = xcsv_col(c, "is_reviewed");
	if (cu < -1 || cb < -1 || cr < -1 || cg < -1)
		return GL_EFORMAT;
	int max = cu > cb ? cu : cb;
	max = max > cr ? max : cr;
	max = max > cg ? max : cg;
	max = max > cv ? max : cv;
	int rc, err = 0;
	while (!err && (rc = xcsv_next(cx, f, c, (size_t)max + 1)) == 1) {
		const struct csvr_rec *r = &c->rec;
		char msg[128];
		uint8_t stars;
		int bad_col = !xsrc_is_num(r->f[cu], r->len[cu])   ? cu
			      : !xsrc_is_num(r->f[cb], r->len[cb]) ? cb
			      : !is_flag(r, cr)                    ? cr
			      : cv >= 0 && !is_flag(r, cv)         ? cv
								   : -1;
		if (bad_col >= 0) {
			xval_quote(r->f[bad_col], r->len[bad_col], msg, sizeof msg);
			int id = bad_col == cu || bad_col == cb;
			err = xsrc_bad(cx, f, id ? XB_BAD_ID : XB_BAD_TYPE, r->lineno, r->offset,
				       "%s %s %s", c->head.f[bad_col], msg,
				       id ? xsrc_num_problem(r->f[bad_col], r->len[bad_col])
					  : "is not 0 or 1");
		} else if (xval_stars05(r->f[cg], r->len[cg], &stars, msg, sizeof msg) != RS_OK) {
			err = xsrc_bad(cx, f, XB_BAD_RATING, r->lineno, r->offset, "%s", msg);
		} else {
			err = xsrc_rating(cx, f, r->f[cu], r->len[cu], r->f[cb], r->len[cb],
					  (uint8_t)(2 * stars), 0, flags(r, cr, cv), r->lineno,
					  r->offset);
		}
	}
	return err ? err : rc;
}

static int map(struct xctx *cx, struct xfile *f, struct xcsv *c, int users)
{
	const char *k1 = users ? "user_id_csv" : "book_id_csv";
	const char *k2 = users ? "user_id" : "book_id";
	int a = xcsv_need(f, c, k1), b = xcsv_need(f, c, k2);
	if (a < -1 || b < -1)
		return GL_EFORMAT;
	int rc, err = 0;
	while (!err && (rc = xcsv_next(cx, f, c, (size_t)(a > b ? a : b) + 1)) == 1) {
		const struct csvr_rec *r = &c->rec;
		int ok2 = users ? is_hex32(r->f[b], r->len[b]) : xsrc_is_num(r->f[b], r->len[b]);
		if (!xsrc_is_num(r->f[a], r->len[a]) || !ok2) {
			int bad = !xsrc_is_num(r->f[a], r->len[a]) ? a : b;
			char q[64];
			xval_quote(r->f[bad], r->len[bad], q, sizeof q);
			err = xsrc_bad(cx, f, XB_BAD_ID, r->lineno, r->offset, "%s %s is not an id",
				       bad == a ? k1 : k2, q);
			continue;
		}
		const char *row[2] = {r->f[a], r->f[b]};
		xsrc_row(f, row, 2);
	}
	return err ? err : rc;
}

int src_goodreads_csv(struct xctx *cx, struct xfile *f)
{
	struct xcsv c;
	int err = xcsv_open(cx, f, &c, ',', 0, 0);
	if (!err)
		err = interactions(cx, f, &c);
	xcsv_close(f, &c);
	return err;
}

/* user_id_map.csv (users) or book_id_map.csv: a comma CSV with a header. */
static int map_file(struct xctx *cx, struct xfile *f, int users)
{
	struct xcsv c;
	int err = xcsv_open(cx, f, &c, ',', 0, 0);
	if (!err)
		err = map(cx, f, &c, users);
	xcsv_close(f, &c);
	return err;
}

int src_goodreads_user_map(struct xctx *cx, struct xfile *f) { return map_file(cx, f, 1); }
int src_goodreads_book_map(struct xctx *cx, struct xfile *f) { return map_file(cx, f, 0); }
