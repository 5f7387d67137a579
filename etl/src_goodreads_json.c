/* src_goodreads_json.c - UCSD Goodreads interactions as JSON lines.
 *
 * A record is one object per line; the fields used, at the top level:
 *   user_id     string, 32 lowercase hex digits            (required)
 *   book_id     string, a canonical decimal number         (required)
 *   rating      integer 0..5, 0 = shelved but not rated    (required)
 *   is_read     boolean                                    (absent = false)
 *   date_added  "Mon Aug 28 13:55:01 -0700 2017" or ""     (absent = unknown)
 *   review_text_incomplete  string: non-empty = reviewed   (absent = not)
 *   review_text (goodreads_reviews*.json)  the same
 * Everything else (review_id, the other dates, any nested value) is skipped
 * without being decoded further; of the review only its emptiness is kept.
 * null counts as absent.  A value of the wrong type for any of these fields
 * (is_read 1, review_text_incomplete 0) is bad_type.  Checks in this order:
 * missing_field, bad_type, bad_id, bad_rating; a bad date_added keeps the
 * record with time 0 (bad_date).
 */
#include "err.h"
#include "extract_src.h"
#include "extract_value.h"
#include "dates.h"
#include "glr.h"
#include "gzline.h"
#include "jsonflat.h"
#include "jsonl.h"
#include "log.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum { F_NONE, F_USER, F_BOOK, F_RATING, F_READ, F_DATE, F_REVIEW, F_N };

#define VAL_MAX 64

struct rec {
	int depth, objects;
	int key;          /* field of the value that comes next, F_NONE if unused */
	int have[F_N];
	int type_bad;     /* first field with a value of the wrong type */
	size_t len[F_N];
	int is_read, reviewed;
	char val[F_N][VAL_MAX]; /* text of user, book, rating, date (cut at VAL_MAX); last */
};

static int field(const unsigned char *k, size_t len)
{
	switch (len) {
	case 6: return memcmp(k, "rating", 6) == 0 ? F_RATING : F_NONE;
	case 7:
		if (memcmp(k, "user_id", 7) == 0)
			return F_USER;
		if (memcmp(k, "book_id", 7) == 0)
			return F_BOOK;
		return memcmp(k, "is_read", 7) == 0 ? F_READ : F_NONE;
	case 10: return memcmp(k, "date_added", 10) == 0 ? F_DATE : F_NONE;
	case 11: return memcmp(k, "review_text", 11) == 0 ? F_REVIEW : F_NONE;
	case 22: return memcmp(k, "review_text_incomplete", 22) == 0 ? F_REVIEW : F_NONE;
	default: return F_NONE;
	}
}

/* A value of the wrong type for field f (a scalar at the top is no object). */
static int wrong(struct rec *r, int f)
{
	if (f != F_NONE && !r->type_bad)
		r->type_bad = f;
	r->have[f] = 1; /* present, if of the wrong type */
	r->key = F_NONE;
	return 1;
}

static int on_null(void *ctx)
{
	struct rec *r = ctx;
	if (r->depth == 0)
		return 0;
	r->key = F_NONE;
	return 1;
}

static int on_bool(void *ctx, int b)
{
	struct rec *r = ctx;
	if (r->depth == 0)
		return 0;
	if (r->depth > 1 || r->key == F_NONE)
		return 1;
	if (r->key != F_READ)
		return wrong(r, r->key);
	r->have[F_READ] = 1;
	r->is_read = b;
	r->key = F_NONE;
	return 1;
}

static void keep(struct rec *r, int f, const void *s, size_t len)
{
	r->have[f] = 1;
	r->len[f] = len;
	memcpy(r->val[f], s, len < VAL_MAX ? len : VAL_MAX);
	r->key = F_NONE;
}

static int on_number(void *ctx, const char *s, size_t len)
{
	struct rec *r = ctx;
	if (r->depth == 0)
		return 0;
	if (r->depth > 1 || r->key == F_NONE)
		return 1;
	if (r->key != F_RATING)
		return wrong(r, r->key);
	keep(r, F_RATING, s, len);
	return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
	struct rec *r = ctx;
	if (r->depth == 0)
		return 0;
	if (r->depth > 1 || r->key == F_NONE)
		return 1;
	if (r->key == F_RATING || r->key == F_READ)
		return wrong(r, r->key);
	if (r->key == F_REVIEW) { /* the text itself is not kept */
		r->have[F_REVIEW] = 1;
		r->reviewed = len > 0;
		r->key = F_NONE;
		return 1;
	}
	keep(r, r->key, s, len);
	return 1;
}

static int on_key(void *ctx, const unsigned char *k, size_t len)
{
	struct rec *r = ctx;
	r->key = r->depth == 1 ? field(k, len) : F_NONE;
	return 1;
}

static int on_start(void *ctx)
{
	struct rec *r = ctx;
	if (r->depth == 0 && r->objects++)
		return 0; /* a second value on the line */
	if (r->depth == 1 && r->key != F_NONE)
		wrong(r, r->key);
	r->depth++;
	return 1;
}

static int on_start_array(void *ctx)
{
	struct rec *r = ctx;
	if (r->depth == 0)
		return 0;
	return on_start(ctx);
}

static int on_end(void *ctx)
{
	struct rec *r = ctx;
	r->depth--;
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_bool,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start,
	.yajl_map_key = on_key,
	.yajl_end_map = on_end,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end,
};

static const char *const names[F_N] = {"", "user_id", "book_id", "rating", "is_read",
				       "date_added", "review_text_incomplete"};

static int is_hex32(const char *s, size_t len)
{
	if (len != 32)
		return 0;
	for (size_t i = 0; i < 32; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* Check the fields of a parsed object and hand it on. */
static int use(struct xctx *cx, struct xfile *f, struct rec *r, const struct gzl_line *ln)
{
	uint64_t line = ln->lineno, off = ln->offset;
	for (int k = F_USER; k <= F_RATING; k++)
		if (!r->have[k])
			return xsrc_bad(cx, f, XB_MISSING_FIELD, line, off, "no %s", names[k]);
	if (r->type_bad)
		return xsrc_bad(cx, f, XB_BAD_TYPE, line, off, "%s has the wrong type",
				names[r->type_bad]);
	char q[64], msg[128];
	uint8_t stars;
	if (!is_hex32(r->val[F_USER], r->len[F_USER])) {
		xval_quote(r->val[F_USER], r->len[F_USER], q, sizeof q);
		return xsrc_bad(cx, f, XB_BAD_ID, line, off,
				"user_id %s is not 32 lowercase hex digits", q);
	}
	if (!xsrc_is_num(r->val[F_BOOK], r->len[F_BOOK])) {
		xval_quote(r->val[F_BOOK], r->len[F_BOOK], q, sizeof q);
		return xsrc_bad(cx, f, XB_BAD_ID, line, off, "book_id %s %s", q,
				xsrc_num_problem(r->val[F_BOOK],
						 r->len[F_BOOK] < VAL_MAX ? r->len[F_BOOK] : VAL_MAX));
	}
	size_t rl = r->len[F_RATING] < VAL_MAX ? r->len[F_RATING] : VAL_MAX;
	if (xval_stars05(r->val[F_RATING], rl, &stars, msg, sizeof msg) != RS_OK)
		return xsrc_bad(cx, f, XB_BAD_RATING, line, off, "%s", msg);
	uint32_t t = 0;
	if (r->have[F_DATE] && (r->len[F_DATE] > VAL_MAX ||
				date_goodreads(r->val[F_DATE], r->len[F_DATE], &t) < 0)) {
		xval_quote(r->val[F_DATE], r->len[F_DATE], q, sizeof q);
		int err = xsrc_bad(cx, f, XB_BAD_DATE, line, off,
				   "date_added %s is not a Goodreads date (kept without a time)", q);
		if (err)
			return err;
	}
	unsigned bits = (r->is_read ? GLR_BIT_READ : 0u) | (r->reviewed ? GLR_BIT_REVIEWED : 0u);
	return xsrc_rating(cx, f, r->val[F_USER], 32, r->val[F_BOOK], r->len[F_BOOK],
			   (uint8_t)(2 * stars), t, bits, line, off);
}

int src_goodreads_json(struct xctx *cx, struct xfile *f)
{
	struct gzl *z = NULL;
	struct jsonl j = {0};
	struct rec r;
	struct gzl_line ln;
	char msg[256];
	int err = xsrc_open_lines(cx, f, &z);
	if (!err)
		err = jsonl_init(&j, &callbacks, &r);
	int rc = 0;
	while (!err && (rc = gzl_next(z, &ln)) == 1) {
		f->st->lines++;
		xsrc_tick(cx, f, z);
		if (ln.too_long) {
			f->st->records++;
			err = xsrc_bad(cx, f, XB_TOO_LONG, ln.lineno, ln.offset,
				       "line of %llu bytes is longer than --max-line",
				       (unsigned long long)ln.full_len);
			continue;
		}
		memset(&r, 0, offsetof(struct rec, val));
		int bad = 0;
		if (!jsonflat_scan(ln.p, ln.len, &callbacks, &r)) {
			memset(&r, 0, offsetof(struct rec, val));
			bad = jsonl_feed(&j, ln.p, ln.len, msg, sizeof msg);
		}
		if (bad == GL_ENOMEM) {
			err = bad;
			break;
		}
		if (!bad && r.objects == 0 && r.depth == 0 && jsonl_blank(ln.p, ln.len))
			continue; /* blank or spaces only */
		f->st->records++;
		if (!bad && (r.depth != 0 || r.objects == 0)) {
			/* an object or a string still open: yajl would carry it into
			 * the next line and fail a good record there */
			snprintf(msg, sizeof msg, "invalid JSON: %s",
				 r.depth ? "the object is not closed"
					 : "no complete value (a string left open?)");
			if ((err = jsonl_reset(&j)))
				break;
			bad = -1;
		}
		if (bad) {
			err = xsrc_bad(cx, f, XB_BAD_JSON, ln.lineno, ln.offset, "%s", msg);
			continue;
		}
		err = use(cx, f, &r, &ln);
	}
	if (!err && rc < 0)
		err = rc;
	if (z)
		xsrc_bytes(f, z);
	jsonl_free(&j);
	gzl_close(z);
	return err;
}
