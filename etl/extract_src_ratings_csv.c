/* extract_src_ratings_csv.c - any ratings CSV (--source csv): the user, item,
 * rating and time columns named by --columns (extract_columns.h), a header
 * or --no-header, fields split on the delimiter --delimiter gives or
 * lib/delim detects from the first lines (',' when it cannot: one column,
 * or a pipe), RFC 4180 quoting, ratings on the --scale (extract_value.h).
 *
 * Keys are any text, kept as they are; an empty user or item is
 * missing_field, as is an empty rating; a rating that is not a number or
 * not on the scale is bad_rating.  The time column holds unix seconds or
 * an ISO 8601 date (extract_dates.h); "0" means unknown (goodlens-export writes it
 * for files without times); anything else keeps the rating without a time
 * (bad_date).
 */
#include "extract_src_ratings_csv.h"

#include "extract_dates.h"
#include "delim.h"
#include "err.h"
#include "log.h"
#include "extract_src_csv.h"

#include <stdio.h>
#include <string.h>

/* The header's names for messages: "rater, film, score, when", cut. */
static void list_header(const struct xcsv *c, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = 0;
	for (size_t i = 0; i < c->head.n && o + 8 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? ", " : "", c->head.f[i]);
	if (o >= cap && cap > 4)
		memcpy(out + cap - 4, "...", 4);
}

/* Index of header column name, also when the header pads it with blanks
 * ("rater; film; score"), or -1. */
static int header_col(const struct xcsv *c, const char *name)
{
	int i = xcsv_col(c, name);
	size_t want = strlen(name);
	for (size_t k = 0; i < 0 && k < c->head.n; k++) {
		const char *h = c->head.f[k];
		size_t len = strlen(h);
		while (len && (*h == ' ' || *h == '\t'))
			h++, len--;
		while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
			len--;
		if (len == want && memcmp(h, name, len) == 0)
			i = (int)k;
	}
	return i;
}

/* Column index of each role (-1 for an absent time), or GL_EFORMAT. */
static int find_columns(struct xfile *f, const struct xcsv *c, const struct xcols *xc, int d,
			int col[XC_N], int *max)
{
	*max = 0;
	for (int r = 0; r < XC_N; r++) {
		col[r] = -1;
		if (!xc->name[r])
			continue;
		col[r] = xc->no_header ? (int)xc->pos[r] - 1 : header_col(c, xc->name[r]);
		if (col[r] < 0) {
			char names[512];
			list_header(c, names, sizeof names);
			log_at(f->path, 1, 0,
			       "the header has no column %s (--columns %s=%s); its columns, split "
			       "on %s: %s",
			       xc->name[r], xcols_role(r), xc->name[r], delim_show(d), names);
			return GL_EFORMAT;
		}
		*max = col[r] > *max ? col[r] : *max;
	}
	return 0;
}

/* Unix seconds, an ISO date, or "0" (unknown): 1 or 0 with *out, or -1. */
static int read_time(const char *p, size_t len, uint32_t *out)
{
	*out = 0;
	if (len == 1 && p[0] == '0')
		return 1;
	if (len && p[0] >= '0' && p[0] <= '9' && memchr(p, '-', len) == NULL)
		return date_movielens(p, len, out);
	return date_iso(p, len, out);
}

static int one_record(struct xctx *cx, struct xfile *f, const struct csvr_rec *r,
		      const int col[XC_N], struct rscale *sc)
{
	const char *u = r->f[col[XC_USER]], *it = r->f[col[XC_ITEM]];
	size_t ul = r->len[col[XC_USER]], il = r->len[col[XC_ITEM]];
	char msg[256], shown[64];
	uint8_t byte;
	uint32_t when = 0;
	if (!ul || !il)
		return xsrc_bad(cx, f, XB_MISSING_FIELD, r->lineno, r->offset, "%s is empty",
				ul ? "item" : "user");
	int rc = rscale_read(sc, r->f[col[XC_RATING]], r->len[col[XC_RATING]], &byte, msg,
			     sizeof msg);
	if (rc != RS_OK)
		return xsrc_bad(cx, f, rc == RS_EMPTY ? XB_MISSING_FIELD : XB_BAD_RATING, r->lineno,
				r->offset, "%s", msg);
	if (col[XC_TIME] >= 0) {
		const char *t = r->f[col[XC_TIME]];
		size_t tl = r->len[col[XC_TIME]];
		if (read_time(t, tl, &when) <= 0) {
			xval_quote(t, tl, shown, sizeof shown);
			int err = tl ? xsrc_bad(cx, f, XB_BAD_DATE, r->lineno, r->offset,
						"time %s is not unix seconds or an ISO date (kept "
						"without a time)",
						shown)
				     : xsrc_bad(cx, f, XB_BAD_DATE, r->lineno, r->offset,
						"time is empty (kept without a time)");
			if (err)
				return err;
		}
	}
	return xsrc_rating(cx, f, u, ul, it, il, byte, when, 0, r->lineno, r->offset);
}

int src_ratings_csv(struct xctx *cx, struct xfile *f)
{
	const struct xcols *xc = &cx->o->csv;
	struct rscale sc = xc->scale; /* per file: the default's messages follow its decimals */
	int d = xc->delim, err = 0, col[XC_N], max = 0, rc = 0;
	if (d == DELIM_NONE && (err = delim_sniff(f->path, &d)))
		return err;
	if (d == DELIM_NONE)
		d = DELIM_COMMA;
	log_debug("%s: fields split on %s%s", f->path, delim_show(d),
		  xc->delim == DELIM_NONE ? " (detected)" : "");
	struct csvr_opts ro = {.delim = delim_text(d)[0], .dcolon = d == DELIM_DCOLON,
			       .latin1 = cx->o->encoding == XENC_LATIN1};
	struct xcsv c;
	err = xcsv_open_opts(cx, f, &c, ro, !xc->no_header);
	if (!err && !c.ready) {
		log_error("%s is empty", f->path);
		err = GL_EFORMAT;
	}
	if (!err)
		err = find_columns(f, &c, xc, d, col, &max);
	while (!err && (rc = xcsv_next(cx, f, &c, (size_t)max + 1)) == 1)
		err = one_record(cx, f, &c.rec, col, &sc);
	if (!err && rc < 0)
		err = rc;
	if (!err && xc->no_header && f->st->records == 0) {
		log_error("%s is empty", f->path);
		err = GL_EFORMAT;
	}
	xcsv_close(f, &c);
	return err;
}
