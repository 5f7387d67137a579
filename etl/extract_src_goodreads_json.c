/* extract_src_goodreads_json.c - UCSD Goodreads interactions as JSON lines.
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
#include "extract_src_goodreads_json.h"

#include "err.h"
#include "extract_value.h"
#include "extract_dates.h"
#include "glr.h"
#include "gzline.h"
#include "extract_jsonflat.h"
#include "extract_jsonl.h"
#include "log.h"
#include "extract_parlines.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* Zero r up to val, once a line.  In pieces of at most 64 bytes: gcc makes
 * a larger memset `rep stos`, which costs tens of cycles to start on AMD's
 * cores; the pieces become vector stores. */
static void rec_clear(struct rec *r)
{
	char *p = (char *)r;
	size_t n = offsetof(struct rec, val);
	for (size_t at = 0; at < n; at += 64)
		memset(p + at, 0, n - at < 64 ? n - at : 64);
}

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

/* A string with escapes, undecoded (jsonflat_scan_raw): enough for a
 * skipped field, the review (only its emptiness is kept) and a type error;
 * the text of user_id, book_id and date_added needs yajl's decoding. */
static int on_raw(void *ctx, const unsigned char *s, size_t len)
{
	struct rec *r = ctx;
	if (r->depth == 1 && (r->key == F_USER || r->key == F_BOOK || r->key == F_DATE))
		return 0;
	return on_string(ctx, s, len);
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

/* Every user id is checked, and a branch a byte on digit or letter is a
 * coin toss: the bytes are tested all at once. */
static int is_hex32(const char *s, size_t len)
{
	if (len != 32)
		return 0;
#ifdef __SSE2__
	/* unsigned lo <= c <= hi  <=>  min(max(c, lo), hi) == c */
	const __m128i d0 = _mm_set1_epi8('0'), d9 = _mm_set1_epi8('9');
	const __m128i la = _mm_set1_epi8('a'), lf = _mm_set1_epi8('f');
	int ok = 1;
	for (int i = 0; i < 32; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
		__m128i dig = _mm_cmpeq_epi8(_mm_min_epu8(_mm_max_epu8(v, d0), d9), v);
		__m128i let = _mm_cmpeq_epi8(_mm_min_epu8(_mm_max_epu8(v, la), lf), v);
		ok &= _mm_movemask_epi8(_mm_or_si128(dig, let)) == 0xffff;
	}
	return ok;
#else
	unsigned ok = 1;
	for (size_t i = 0; i < 32; i++) {
		unsigned c = (unsigned char)s[i];
		ok &= (c - '0' <= 9u) | (c - 'a' <= 5u);
	}
	return (int)ok;
#endif
}

/* One line's verdict: worked out on any thread (parse_line), acted on in
 * input order on the reader's (apply). */
enum { V_BLANK, V_RATING, V_BAD };

struct verdict {
	uint8_t what;     /* V_* */
	uint8_t cls;      /* XB_* of a bad line */
	uint8_t date_bad; /* a rating kept without its time */
	uint8_t stars, blen;
	unsigned bits;
	uint32_t time;
	size_t msg;       /* offset of the message in the batch's text (V_BAD, bad date) */
	char user[32];
	char book[20];
};

/* Note why a line is bad (the message goes to msg). */
static int bad(struct verdict *v, struct buf *msg, int cls, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int bad(struct verdict *v, struct buf *msg, int cls, const char *fmt, ...)
{
	char text[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (v->what == V_RATING)
		v->date_bad = 1;
	v->cls = (uint8_t)cls;
	v->msg = msg->len;
	return buf_add(msg, text, strlen(text) + 1);
}

/* Check the fields of a parsed object. */
static int check(struct rec *r, struct verdict *v, struct buf *msg)
{
	for (int k = F_USER; k <= F_RATING; k++)
		if (!r->have[k])
			return bad(v, msg, XB_MISSING_FIELD, "no %s", names[k]);
	if (r->type_bad)
		return bad(v, msg, XB_BAD_TYPE, "%s has the wrong type", names[r->type_bad]);
	char q[64], why[128];
	if (!is_hex32(r->val[F_USER], r->len[F_USER])) {
		xval_quote(r->val[F_USER], r->len[F_USER], q, sizeof q);
		return bad(v, msg, XB_BAD_ID, "user_id %s is not 32 lowercase hex digits", q);
	}
	if (!xsrc_is_num(r->val[F_BOOK], r->len[F_BOOK])) {
		xval_quote(r->val[F_BOOK], r->len[F_BOOK], q, sizeof q);
		return bad(v, msg, XB_BAD_ID, "book_id %s %s", q,
			   xsrc_num_problem(r->val[F_BOOK],
					    r->len[F_BOOK] < VAL_MAX ? r->len[F_BOOK] : VAL_MAX));
	}
	size_t rl = r->len[F_RATING] < VAL_MAX ? r->len[F_RATING] : VAL_MAX;
	/* One digit 0..5 is every rating of the dumps: xval_stars05 (which
	 * formats the value for its messages) only for the rest. */
	if (rl == 1 && r->val[F_RATING][0] >= '0' && r->val[F_RATING][0] <= '5')
		v->stars = (uint8_t)(r->val[F_RATING][0] - '0');
	else if (xval_stars05(r->val[F_RATING], rl, &v->stars, why, sizeof why) != RS_OK)
		return bad(v, msg, XB_BAD_RATING, "%s", why);
	v->what = V_RATING;
	v->bits = (r->is_read ? GLR_BIT_READ : 0u) | (r->reviewed ? GLR_BIT_REVIEWED : 0u);
	memcpy(v->user, r->val[F_USER], 32);
	v->blen = (uint8_t)r->len[F_BOOK]; /* 1..19 digits: xsrc_is_num */
	memcpy(v->book, r->val[F_BOOK], v->blen);
	v->time = 0;
	if (r->have[F_DATE] && (r->len[F_DATE] > VAL_MAX ||
				date_goodreads(r->val[F_DATE], r->len[F_DATE], &v->time) < 0)) {
		v->time = 0;
		xval_quote(r->val[F_DATE], r->len[F_DATE], q, sizeof q);
		return bad(v, msg, XB_BAD_DATE,
			   "date_added %s is not a Goodreads date (kept without a time)", q);
	}
	return 0;
}

/* A parser: yajl's handle and the record its callbacks fill. */
struct parser {
	struct jsonl j;
	struct rec r;
	int layout; /* try the dumps' layout first (layout_line) */
};

/* ---- the dumps' own layout ------------------------------------------------
 *
 * Every line of the UCSD interactions dump has the same ten keys in the
 * same order with the same spacing.  layout_line checks a line against that
 * layout byte for byte, using the quote positions jsonflat finds 64 bytes
 * at a time (no string holds a quote, a backslash or a control character),
 * and fills the record as the callbacks would, without a callback per key.
 * Anything else (another order, spacing, an escape, a nested value, bad
 * JSON) is left to jsonflat_scan_raw and yajl as before, so the outputs
 * never depend on it (tests/e2e/extract_layout.sh holds the two apart on
 * mutated lines; GL_JSON_LAYOUT=0 turns it off). */

struct slot_def {
	const char *key;
	uint8_t klen;
	uint8_t kind; /* what follows the key */
	uint8_t field;
};

enum { K_STRING, K_BOOL, K_DIGIT };

static const struct slot_def layout[] = {
	{"user_id", 7, K_STRING, F_USER},
	{"book_id", 7, K_STRING, F_BOOK},
	{"review_id", 9, K_STRING, F_NONE},
	{"is_read", 7, K_BOOL, F_READ},
	{"rating", 6, K_DIGIT, F_RATING},
	{"review_text_incomplete", 22, K_STRING, F_REVIEW},
	{"date_added", 10, K_STRING, F_DATE},
	{"date_updated", 12, K_STRING, F_NONE},
	{"read_at", 7, K_STRING, F_NONE},
	{"started_at", 10, K_STRING, F_NONE},
};
#define LAYOUT_N (sizeof layout / sizeof layout[0])
#define LAYOUT_QUOTES 36 /* 10 keys, 8 string values: two quotes each */

/* a[0..n) == b[0..n) for 4 <= n: 8 or 4 bytes at a time, the last step
 * overlapping the one before (memcmp with a length not known here is a
 * call). */
static int same(const char *a, const char *b, size_t n)
{
	uint64_t x, y, diff = 0;
	uint32_t u, v;
	if (n < 8) {
		memcpy(&u, a, 4), memcpy(&v, b, 4);
		diff = u ^ v;
		memcpy(&u, a + n - 4, 4), memcpy(&v, b + n - 4, 4);
		return !(diff | (u ^ v));
	}
	for (size_t i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, 8), memcpy(&y, b + i, 8);
		diff |= x ^ y;
	}
	memcpy(&x, a + n - 8, 8), memcpy(&y, b + n - 8, 8);
	return !(diff | (x ^ y));
}

/* 1 with r filled (as the callbacks fill it for this line: one object,
 * closed), 0 when the line is not in the layout (r untouched).  Every byte
 * of the line is checked: the keys and separators as they stand, the
 * strings between consecutive quotes (no string holds a backslash or a
 * control character: jsonflat_quotes), the scalars by their text. */
static int layout_line(const char *p, size_t len, struct rec *r)
{
	/* cheap refusals first: the reviews dumps' lines end otherwise */
	if (len < 200 || p[0] != '{' || p[len - 1] != '}' || p[len - 2] != '"')
		return 0;
	uint16_t q[JSONFLAT_QUOTES_CAP];
	if (jsonflat_quotes(p, len, q) != LAYOUT_QUOTES || q[0] != 1 ||
	    (size_t)q[LAYOUT_QUOTES - 1] != len - 2)
		return 0;
	int k = 0, is_read = 0;
	const char *rating = NULL;
	size_t vs[F_N] = {0}, ve[F_N] = {0}; /* string values of the fields kept */
	for (size_t i = 0; i < LAYOUT_N; i++) {
		const struct slot_def *d = &layout[i];
		/* the key: its text, then ": " (the last quote is at len - 2,
		 * so every quote but it has two bytes after it) */
		size_t ks = q[k] + 1u, ke = q[k + 1];
		if (ke - ks != d->klen || !same(p + ks, d->key, d->klen) || p[ke + 1] != ':' ||
		    p[ke + 2] != ' ')
			return 0;
		k += 2;
		size_t at = ke + 3; /* the value: before the next quote */
		if (d->kind == K_STRING) {
			if (q[k] != at)
				return 0;
			vs[d->field] = q[k] + 1u;
			ve[d->field] = q[k + 1];
			at = q[k + 1] + 1u; /* after its closing quote */
			k += 2;
		} else if (d->kind == K_BOOL) {
			if (q[k] > at + 4 && memcmp(p + at, "true", 4) == 0) {
				is_read = 1;
				at += 4;
			} else if (q[k] > at + 5 && memcmp(p + at, "false", 5) == 0) {
				at += 5;
			} else {
				return 0;
			}
		} else {
			if (p[at] < '0' || p[at] > '9')
				return 0;
			rating = p + at++;
		}
		/* ", " and the next key's quote; the last value is the end */
		if (i + 1 < LAYOUT_N && (p[at] != ',' || p[at + 1] != ' ' || q[k] != at + 2))
			return 0;
	}
	/* in the layout: what the callbacks would leave */
	rec_clear(r);
	r->objects = 1;
	keep(r, F_USER, p + vs[F_USER], ve[F_USER] - vs[F_USER]);
	keep(r, F_BOOK, p + vs[F_BOOK], ve[F_BOOK] - vs[F_BOOK]);
	r->have[F_READ] = 1;
	r->is_read = is_read;
	keep(r, F_RATING, rating, 1);
	r->have[F_REVIEW] = 1;
	r->reviewed = ve[F_REVIEW] > vs[F_REVIEW];
	keep(r, F_DATE, p + vs[F_DATE], ve[F_DATE] - vs[F_DATE]);
	return 1;
}

/* Work out what line l (its text p) holds.  0 or GL_ENOMEM. */
static int parse_line(void *w, char *p, const struct pl_line *l, void *out, struct buf *msg)
{
	struct parser *ps = w;
	struct verdict *v = out;
	struct rec *r = &ps->r;
	char why[256];
	v->what = V_BAD;
	v->date_bad = 0;
	v->msg = 0;
	if (l->too_long)
		return bad(v, msg, XB_TOO_LONG,
			   "line of %" PRIu64 " bytes is longer than --max-line",
			   (uint64_t)l->full_len);
	int failed = 0;
	if (ps->layout && layout_line(p, l->len, r))
		; /* r is filled */
	else if (rec_clear(r),
		 !jsonflat_scan_raw(p, l->len, &callbacks, on_raw, r)) {
		rec_clear(r);
		failed = jsonl_feed(&ps->j, p, l->len, why, sizeof why);
	}
	if (failed == GL_ENOMEM)
		return GL_ENOMEM;
	switch (jsonl_verdict(&ps->j, failed, r->depth, r->objects, p, l->len, why, sizeof why)) {
	case JL_OK: return check(r, v, msg);
	case JL_BLANK: v->what = V_BLANK; return 0;
	case JL_BAD: return bad(v, msg, XB_BAD_JSON, "%s", why);
	default: return GL_ENOMEM;
	}
}

/* Act on a verdict, in input order: count, report, hand the rating on. */
static int apply(struct xctx *cx, struct xfile *f, const struct verdict *v, const char *msg,
		 uint64_t line, uint64_t off)
{
	f->st->lines++;
	if (v->what == V_BLANK)
		return 0;
	f->st->records++;
	if (v->what == V_BAD)
		return xsrc_bad(cx, f, v->cls, line, off, "%s", msg);
	if (v->date_bad) {
		int err = xsrc_bad(cx, f, XB_BAD_DATE, line, off, "%s", msg);
		if (err)
			return err;
	}
	return xsrc_rating(cx, f, v->user, 32, v->book, v->blen, (uint8_t)(2 * v->stars), v->time,
			   v->bits, line, off);
}

static void *parser_new(void *arg)
{
	(void)arg;
	struct parser *ps = calloc(1, sizeof *ps);
	const char *lay = getenv("GL_JSON_LAYOUT");
	if (ps)
		ps->layout = !(lay && strcmp(lay, "0") == 0);
	if (ps && jsonl_init(&ps->j, &callbacks, &ps->r)) {
		free(ps);
		ps = NULL;
	}
	return ps;
}

static void parser_free(void *w)
{
	struct parser *ps = w;
	if (!ps)
		return;
	jsonl_free(&ps->j);
	free(ps);
}

/* What apply_batch needs, through pl_run. */
struct applier {
	struct xctx *cx;
	struct xfile *f;
	const struct gzl *z;
};

/* Apply a parsed batch's verdicts in order. */
static int apply_batch(void *ctx, const struct pl_batch *b)
{
	struct applier *a = ctx;
	const struct verdict *v = b->out;
	int err = b->err;
	for (size_t i = 0; i < b->n && !err; i++) {
		const struct pl_line *l = &b->line[i];
		err = apply(a->cx, a->f, &v[i], b->msg.p ? b->msg.p + v[i].msg : "", l->lineno,
			    l->off);
		xsrc_tick(a->cx, a->f, a->z);
	}
	return err;
}

int src_goodreads_json(struct xctx *cx, struct xfile *f)
{
	struct gzl *z = NULL;
	int err = xsrc_open_lines(cx, f, &z);
	if (!err) {
		/* one thread: parsed on this thread, line by line */
		int adapt;
		struct pl_cfg cfg = {.workers = xsrc_threads(cx->o->threads, cx->o->cpus, &adapt),
				     .adapt = adapt,
				     .out_size = sizeof(struct verdict),
				     .worker_new = parser_new,
				     .worker_free = parser_free,
				     .parse = parse_line};
		struct applier a = {cx, f, z};
		err = pl_run(&cfg, z, apply_batch, &a);
	}
	if (z)
		xsrc_bytes(f, z);
	gzl_close(z);
	return err;
}
