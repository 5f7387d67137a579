/* extract_src_goodreads_meta.c - UCSD Goodreads metadata as JSON lines: books,
 * works and authors, to books.csv, works.csv and authors.csv.  The table's
 * header (extract_kind.c) says which keys are kept and where they go.
 *
 * Every scalar of these dumps is a string ("" for missing); numbers,
 * booleans and null are taken as their text ("" for null) so a slightly
 * different dump still reads.  Only top-level fields are kept, plus the
 * author ids inside a book's "authors" list (author_id = the first,
 * author_ids = all, '|'-separated) and a work's rating_dist
 * ("5:7|4:4|3:2|2:0|1:0|total:13") spread over ratings_1..ratings_5.  The
 * table's key (book_id, work_id, author_id) is required and numeric.
 * Strings are decoded as yajl decodes them (escapes, surrogate pairs) and
 * mended with utf8_clean: lone surrogates, \u0000 and invalid UTF-8 become
 * U+FFFD and count as bad_utf8, the record kept.
 *
 * A line is read by a fast path first (below: the values the table drops
 * are checked, not built) and by yajl's callbacks when the fast path is
 * unsure; both fill the same record through put and add_author.  Rows are
 * made in CSV where the line is parsed and written in input order.
 */
#include "extract_src_goodreads_meta.h"

#include "buf.h"
#include "csvwrite.h"
#include "err.h"
#include "extract_value.h"
#include "gzline.h"
#include "extract_jsonflat.h"
#include "extract_jsonl.h"
#include "extract_parlines.h"
#include "log.h"
#include "utf8.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MAX_COLS 16
#define LEN_MAX 32
enum { C_NONE = -1, C_AUTHORS = -2, C_DIST = -3 };

/* The table's columns, from its header. */
struct table {
	char text[512];             /* the header, cut into names */
	const char *name[MAX_COLS];
	size_t len[MAX_COLS];       /* strlen(name[c]) */
	int keyed[MAX_COLS];        /* the column a key of that name fills, or C_NONE */
	uint32_t bylen[LEN_MAX + 1]; /* bit c: len[c] is the index (LEN_MAX: or more) */
	int ncols;
	int author_id, author_ids;  /* filled from "authors" (books), or -1 */
	int rating[5];              /* ratings_1..5 filled from "rating_dist" (works), or -1 */
};

struct meta {
	const struct table *tab;
	/* the record */
	int depth, objects;
	int col;           /* where the next top-level value goes */
	int in_authors;    /* inside the book's authors list */
	int author_key;    /* the next value is an author_id */
	int set[MAX_COLS];
	size_t off[MAX_COLS];
	size_t len[MAX_COLS];
	struct buf vals;   /* values back to back, column c's at off[c], len[c] bytes */
	struct buf authors;
	struct buf dist;
	struct buf scratch; /* the fast path's decoded string */
	long bad_utf8;
	int nomem;
};

static int col_of(const struct table *t, const char *name)
{
	for (int c = 0; c < t->ncols; c++)
		if (strcmp(t->name[c], name) == 0)
			return c;
	return -1;
}

/* A computed column takes no key of its own. */
static int computed(const struct table *t, int c)
{
	if (c == t->author_id || c == t->author_ids)
		return 1;
	for (int d = 0; d < 5; d++)
		if (c == t->rating[d])
			return 1;
	return 0;
}

/* Cut header into t.  0, or GL_EUSAGE (logged) for a header this reader
 * was not made for: a table of extract_kind.c given to the wrong reader. */
static int table_init(struct table *t, const char *header)
{
	memset(t, 0, sizeof *t);
	size_t len = strlen(header);
	int cols = 1;
	for (const char *p = header; *p; p++)
		cols += *p == ',';
	if (len < sizeof t->text && cols <= MAX_COLS) {
		memcpy(t->text, header, len + 1);
		char *p = t->text;
		for (t->ncols = 0; t->ncols < cols; t->ncols++, p++) {
			t->name[t->ncols] = p;
			p += strcspn(p, ",");
			*p = 0;
		}
		t->author_ids = col_of(t, "author_ids");
		t->author_id = t->author_ids >= 0 ? col_of(t, "author_id") : -1;
		for (int d = 0; d < 5; d++) {
			char name[] = "ratings_1";
			name[sizeof name - 2] = (char)('1' + d);
			t->rating[d] = col_of(t, name);
		}
		for (int c = 0; c < t->ncols; c++) {
			t->len[c] = strlen(t->name[c]);
			t->keyed[c] = computed(t, c) ? C_NONE : c;
			t->bylen[t->len[c] < LEN_MAX ? t->len[c] : LEN_MAX] |= 1u << c;
		}
		if (t->author_ids < 0 || t->author_id >= 0)
			return 0;
	}
	log_error("goodreads metadata: a table of columns %s is not one this reader writes", header);
	return GL_EUSAGE;
}

/* a[0..n) == b[0..n), for the short names of a table: words compared in
 * place of a call to memcmp (a books line looks up some 30 keys) */
static inline int same(const char *a, const unsigned char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, v;
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return 0;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		if (u != v)
			return 0;
		memcpy(&u, a + n - 4, 4);
		memcpy(&v, b + n - 4, 4);
		return u == v;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != (char)b[i])
			return 0;
	return 1;
}

/* The column a top-level key fills, or C_AUTHORS, C_DIST, C_NONE. */
static int lookup(const struct table *t, const unsigned char *k, size_t len)
{
	if (t->author_ids >= 0 && len == 7 && same("authors", k, 7))
		return C_AUTHORS;
	if (t->rating[0] >= 0 && len == 11 && same("rating_dist", k, 11))
		return C_DIST;
	/* the columns of that length only: a books line has about 30 keys
	 * against 14 columns, most of them of a length no column has */
	for (uint32_t cand = t->bylen[len < LEN_MAX ? len : LEN_MAX]; cand; cand &= cand - 1) {
		int c = __builtin_ctz(cand);
		if (t->len[c] == len && same(t->name[c], k, len))
			return t->keyed[c];
	}
	return C_NONE;
}

/* Store a scalar's text for column col (first value wins). */
static int put(struct meta *m, int col, const char *s, size_t len)
{
	if (col == C_DIST) {
		buf_clear(&m->dist);
		if (buf_add(&m->dist, s, len))
			m->nomem = 1;
		return !m->nomem;
	}
	if (col < 0 || m->set[col])
		return 1;
	m->off[col] = m->vals.len;
	long bad = utf8_clean(s, len, 0, &m->vals);
	if (bad < 0) {
		m->nomem = 1;
		return 0;
	}
	m->len[col] = m->vals.len - m->off[col];
	m->bad_utf8 += bad;
	m->set[col] = 1;
	return 1;
}

/* Append an author id to the list ('|' after the first that is not ""). */
static int add_author(struct meta *m, const char *s, size_t len)
{
	long bad = 0;
	if ((m->authors.len && buf_addc(&m->authors, '|')) ||
	    (bad = utf8_clean(s, len, 0, &m->authors)) < 0) {
		m->nomem = 1;
		return 0;
	}
	m->bad_utf8 += bad;
	return 1;
}

static int scalar(struct meta *m, const char *s, size_t len)
{
	if (m->depth == 0)
		return 0;
	if (m->depth == 1) {
		int col = m->col;
		m->col = C_NONE;
		return put(m, col, s, len);
	}
	if (m->author_key) {
		m->author_key = 0;
		return add_author(m, s, len);
	}
	return 1;
}

static int on_null(void *ctx)
{
	struct meta *m = ctx;
	if (m->depth == 0)
		return 0;
	m->col = C_NONE;
	m->author_key = 0;
	return 1;
}

static int on_bool(void *ctx, int b) { return scalar(ctx, b ? "true" : "false", b ? 4 : 5); }
static int on_number(void *ctx, const char *s, size_t len) { return scalar(ctx, s, len); }
static int on_string(void *ctx, const unsigned char *s, size_t len)
{
	return scalar(ctx, (const char *)s, len);
}

static int on_key(void *ctx, const unsigned char *k, size_t len)
{
	struct meta *m = ctx;
	if (m->depth == 1)
		m->col = lookup(m->tab, k, len);
	else
		m->author_key = m->in_authors && m->depth == 3 && len == 9 &&
				memcmp(k, "author_id", 9) == 0;
	return 1;
}

static int on_start_map(void *ctx)
{
	struct meta *m = ctx;
	if (m->depth == 0 && m->objects++)
		return 0;
	if (m->depth == 1)
		m->col = C_NONE; /* an object where a scalar was due: not kept */
	m->depth++;
	return 1;
}

static int on_start_array(void *ctx)
{
	struct meta *m = ctx;
	if (m->depth == 0)
		return 0;
	if (m->depth == 1) {
		m->in_authors = m->col == C_AUTHORS;
		m->col = C_NONE;
	}
	m->depth++;
	return 1;
}

static int on_end_map(void *ctx)
{
	struct meta *m = ctx;
	m->depth--;
	m->author_key = 0;
	return 1;
}

static int on_end_array(void *ctx)
{
	struct meta *m = ctx;
	if (--m->depth == 1)
		m->in_authors = 0;
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_bool,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_key,
	.yajl_end_map = on_end_map,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end_array,
};

static void start_record(struct meta *m)
{
	m->depth = m->objects = 0;
	m->col = C_NONE;
	m->in_authors = m->author_key = 0;
	memset(m->set, 0, sizeof m->set);
	buf_clear(&m->vals);
	buf_clear(&m->authors);
	buf_clear(&m->dist);
	m->bad_utf8 = 0;
	m->nomem = 0;
}

/* ---- the fast path: the same record without yajl ------------------------
 *
 * Most of a books line is values this reader drops (popular_shelves,
 * similar_books, description).  The fast path checks those with
 * jsonflat_skip without building them, and hands the kept top-level values
 * and the author ids to put and add_author as the callbacks above do.  What
 * it accepts yajl accepts, giving the same record; anything else (an
 * escaped key, whitespace other than space, tab, CR, LF, an author_id that
 * is an array, invalid JSON) it gives up on and yajl has the final word, so
 * the messages for bad records are yajl's alone.  Each fn returns the end
 * of what it read, or NULL to give up. */

static const char *ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* The string whose text starts at p (after its quote) into *s, *len,
 * decoded into m->scratch when it holds escapes; returns its closing
 * quote. */
static const char *fast_string(struct meta *m, const char *p, const char *end, const char **s,
			       size_t *len)
{
	int esc = 0;
	const char *e = jsonflat_string_end(p, end, &esc);
	if (!e)
		return NULL;
	*s = p;
	*len = (size_t)(e - p);
	if (esc) {
		buf_clear(&m->scratch);
		if (jsonl_decode(p, *len, &m->scratch))
			return NULL;
		*s = m->scratch.p;
		*len = m->scratch.len;
	}
	return e;
}

/* The value at p (p < end): a string, number, true or false gives its text
 * to fill(m, col, ...); null, an object or an array is checked only. */
static const char *fast_scalar(struct meta *m, const char *p, const char *end,
			       int (*fill)(struct meta *, int, const char *, size_t), int col)
{
	const char *s, *e;
	size_t len;
	if (*p == '"')
		return (e = fast_string(m, p + 1, end, &s, &len)) && fill(m, col, s, len) ? e + 1
											   : NULL;
	if (!(e = jsonflat_skip(p, end)))
		return NULL;
	/* null fills nothing; a number or literal is its own text */
	return *p == 'n' || *p == '{' || *p == '[' || fill(m, col, p, (size_t)(e - p)) ? e : NULL;
}

static int fill_author(struct meta *m, int col, const char *s, size_t len)
{
	(void)col;
	return add_author(m, s, len);
}

/* The book's "authors" array at p: each element's author_id, as the
 * callbacks take it (an object's key at depth 3 of the record). */
static const char *fast_authors(struct meta *m, const char *p, const char *end)
{
	const char *e;
	int esc = 0, more;
	p = ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	for (;;) {
		if (p >= end)
			return NULL;
		if (*p != '{') {
			if (!(p = jsonflat_skip(p, end)))
				return NULL;
		} else if ((p = ws(p + 1, end)) < end && *p == '}') {
			p++;
		} else {
			for (;;) {
				if (p >= end || *p != '"' || !(e = jsonflat_string_end(p + 1, end, &esc)) ||
				    esc)
					return NULL;
				int is_id = e - p - 1 == 9 && memcmp(p + 1, "author_id", 9) == 0;
				p = ws(e + 1, end);
				if (p >= end || *p != ':' || (p = ws(p + 1, end)) >= end)
					return NULL;
				if (!is_id)
					p = jsonflat_skip(p, end);
				else if (*p == '[') /* yajl takes the first scalar inside */
					return NULL;
				else
					p = fast_scalar(m, p, end, fill_author, 0);
				if (!p || !(p = jsonflat_member_end(p, end, &more)))
					return NULL;
				if (!more)
					break;
			}
		}
		p = ws(p, end);
		if (p < end && *p == ',') {
			p = ws(p + 1, end);
			continue;
		}
		return p < end && *p == ']' ? p + 1 : NULL;
	}
}

/* The record on line[0..len) into m: 1, or 0 when yajl must decide (m is
 * then half filled: start it again). */
static int fast_record(struct meta *m, const char *line, size_t len)
{
	const char *end = line + len, *p = ws(line, end), *e;
	int esc = 0, more;
	if (p >= end || *p != '{')
		return 0;
	p = ws(p + 1, end);
	if (p < end && *p == '}') {
		p++;
	} else {
		for (;;) {
			if (p >= end || *p != '"' || !(e = jsonflat_string_end(p + 1, end, &esc)) || esc)
				return 0;
			int col = lookup(m->tab, (const unsigned char *)p + 1, (size_t)(e - p - 1));
			p = ws(e + 1, end);
			if (p >= end || *p != ':' || (p = ws(p + 1, end)) >= end)
				return 0;
			if (col == C_AUTHORS && *p == '[')
				p = fast_authors(m, p, end);
			else if (col == C_NONE || col == C_AUTHORS || (col >= 0 && m->set[col]))
				p = jsonflat_skip(p, end); /* nothing kept: checked only */
			else
				p = fast_scalar(m, p, end, put, col);
			if (!p || !(p = jsonflat_member_end(p, end, &more)))
				return 0;
			if (!more)
				break;
		}
	}
	return ws(p, end) == end && !m->nomem;
}

/* Spread rating_dist "5:7|4:4|3:2|2:0|1:0|total:13" over ratings_1..5. */
static void spread_dist(struct meta *m)
{
	const char *p = m->dist.p ? m->dist.p : "";
	while (*p) {
		size_t n = strcspn(p, "|");
		if (n >= 3 && p[0] >= '1' && p[0] <= '5' && p[1] == ':')
			put(m, m->tab->rating[p[0] - '1'], p + 2, n - 2);
		p += n + (p[n] == '|');
	}
}

/* What a line holds, worked out on any thread; acted on in input order. */
enum { V_BLANK, V_BAD, V_ROW, V_REFUSED /* GRM_FAST only */ };
struct verdict {
	int what, cls;
	long bad_utf8; /* V_ROW: escapes or bytes replaced by U+FFFD */
	size_t msg;    /* in the batch's msg: V_BAD's message, V_ROW's row */
	size_t len;    /* V_ROW: the row's bytes, in CSV with its newline */
};

static int bad(struct verdict *v, struct buf *msg, int cls, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int bad(struct verdict *v, struct buf *msg, int cls, const char *fmt, ...)
{
	char text[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	v->what = V_BAD;
	v->cls = cls;
	v->msg = msg->len;
	return buf_add(msg, text, strlen(text) + 1);
}

/* The record m holds, checked, into v: its row in CSV appended to msg, on
 * the parsing thread, so that the thread writing in input order only
 * copies it.  0 or GL_ENOMEM. */
static int check(struct meta *m, struct verdict *v, struct buf *msg)
{
	const struct table *t = m->tab;
	if (t->author_ids >= 0) {
		size_t first = m->authors.len ? strcspn(m->authors.p, "|") : 0;
		put(m, t->author_id, m->authors.p ? m->authors.p : "", first);
		put(m, t->author_ids, m->authors.p ? m->authors.p : "", m->authors.len);
	}
	if (t->rating[0] >= 0)
		spread_dist(m);
	if (m->nomem)
		return GL_ENOMEM;
	if (!m->set[0] || m->len[0] == 0)
		return bad(v, msg, XB_MISSING_FIELD, "no %s", t->name[0]);
	const char *key = m->vals.p + m->off[0];
	if (!xsrc_is_num(key, m->len[0])) {
		char q[64];
		xval_quote(key, m->len[0], q, sizeof q);
		return bad(v, msg, XB_BAD_ID, "%s %s %s", t->name[0], q,
			   xsrc_num_problem(key, m->len[0]));
	}
	v->what = V_ROW;
	v->bad_utf8 = m->bad_utf8;
	v->msg = msg->len;
	/* room for the row at its longest (every byte a quote), reserved once */
	size_t room = 1;
	for (int c = 0; c < t->ncols; c++)
		room += m->set[c] ? 2 * m->len[c] + 3 : 1;
	if (buf_reserve(msg, room))
		return GL_ENOMEM;
	char *d = msg->p + msg->len;
	for (int c = 0; c < t->ncols; c++) {
		if (c)
			*d++ = ',';
		if (m->set[c])
			d = csv_put_field(d, m->vals.p + m->off[c], m->len[c]);
	}
	*d++ = '\n';
	*d = 0;
	msg->len = (size_t)(d - msg->p);
	v->len = msg->len - v->msg;
	return 0;
}

/* A parser: yajl's handle and the record its callbacks fill. */
struct parser {
	struct jsonl j;
	struct meta m;
	int path; /* GRM_BOTH, or one path alone for the tests */
};

static void *parser_new(void *table)
{
	struct parser *ps = calloc(1, sizeof *ps);
	if (!ps)
		return NULL;
	ps->m.tab = table;
	if (jsonl_init(&ps->j, &callbacks, &ps->m)) {
		free(ps);
		return NULL;
	}
	return ps;
}

static void parser_free(void *w)
{
	struct parser *ps = w;
	if (!ps)
		return;
	jsonl_free(&ps->j);
	buf_free(&ps->m.vals);
	buf_free(&ps->m.authors);
	buf_free(&ps->m.dist);
	buf_free(&ps->m.scratch);
	free(ps);
}

/* Work out what line l (its text p, which is rewritten in place) holds.
 * 0 or GL_ENOMEM. */
static int parse_line(void *w, char *p, const struct pl_line *l, void *out, struct buf *msg)
{
	struct parser *ps = w;
	struct verdict *v = out;
	struct meta *m = &ps->m;
	char why[256];
	v->msg = 0; /* a blank or refused line's too: apply_batch adds it to msg.p */
	if (l->too_long)
		return bad(v, msg, XB_TOO_LONG, "line of %" PRIu64 " bytes is longer than --max-line",
			   (uint64_t)l->full_len);
	start_record(m);
	long fixed = (long)jsonl_fix_escapes(p, l->len);
	m->bad_utf8 = fixed;
	if (ps->path != GRM_YAJL) {
		if (fast_record(m, p, l->len))
			return check(m, v, msg);
		if (ps->path == GRM_FAST) {
			v->what = V_REFUSED;
			return 0;
		}
		start_record(m);
		m->bad_utf8 = fixed;
	}
	int failed = jsonl_feed(&ps->j, p, l->len, why, sizeof why);
	if (failed == GL_ENOMEM || m->nomem)
		return GL_ENOMEM;
	switch (jsonl_verdict(&ps->j, failed, m->depth, m->objects, p, l->len, why, sizeof why)) {
	case JL_OK: return check(m, v, msg);
	case JL_BLANK: v->what = V_BLANK; return 0;
	case JL_BAD: return bad(v, msg, XB_BAD_JSON, "%s", why);
	default: return GL_ENOMEM;
	}
}

/* What apply_batch needs. */
struct applier {
	struct xctx *cx;
	struct xfile *f;
	const struct gzl *z;
	struct buf rows; /* rows not yet written, handed to the table in large
			  * blocks: one write(2) per ROWS_BLOCK, not per stdio
			  * buffer of 4 KiB */
};

#define ROWS_BLOCK (1u << 20)

static void flush_rows(struct applier *a)
{
	xsrc_rows_text(a->f, a->rows.p, a->rows.len);
	buf_clear(&a->rows);
}

/* Act on a verdict, in input order: count, report, keep the row. */
static int apply(struct applier *a, const struct verdict *v, const char *msg, uint64_t line,
		 uint64_t off)
{
	struct xfile *f = a->f;
	f->st->lines++;
	if (v->what == V_BLANK)
		return 0;
	f->st->records++;
	if (v->what == V_BAD)
		return xsrc_bad(a->cx, f, v->cls, line, off, "%s", msg);
	if (v->bad_utf8) {
		int err = xrep_note(&a->cx->rep, f->st, XB_BAD_UTF8, (uint64_t)v->bad_utf8, line, off,
				    "invalid UTF-8 or escape replaced by U+FFFD");
		if (err)
			return err;
	}
	if (buf_add(&a->rows, msg, v->len)) {
		log_error("out of memory reading %s", f->path);
		return GL_ENOMEM;
	}
	f->st->kept++;
	if (a->rows.len >= ROWS_BLOCK)
		flush_rows(a);
	return 0;
}

static int apply_batch(void *ctx, const struct pl_batch *b)
{
	struct applier *a = ctx;
	const struct verdict *v = b->out;
	int err = b->err;
	if (err == GL_ENOMEM)
		log_error("out of memory reading %s", a->f->path);
	for (size_t i = 0; i < b->n && !err; i++) {
		const struct pl_line *l = &b->line[i];
		err = apply(a, &v[i], b->msg.p ? b->msg.p + v[i].msg : "", l->lineno, l->off);
		xsrc_tick(a->cx, a->f, a->z);
	}
	return err;
}

int src_goodreads_meta(struct xctx *cx, struct xfile *f)
{
	struct table t;
	struct gzl *z = NULL;
	int err = table_init(&t, f->header);
	if (!err)
		err = xsrc_open_lines(cx, f, &z);
	if (!err) {
		struct applier a = {cx, f, z, {0}};
		int adapt;
		struct pl_cfg cfg = {.workers = xsrc_threads(cx->o->threads, cx->o->cpus, &adapt),
				     .adapt = adapt,
				     .out_size = sizeof(struct verdict),
				     .worker_new = parser_new,
				     .arg = &t,
				     .worker_free = parser_free,
				     .parse = parse_line};
		err = pl_run(&cfg, z, apply_batch, &a);
		flush_rows(&a);
		buf_free(&a.rows);
	}
	if (z)
		xsrc_bytes(f, z);
	gzl_close(z);
	return err;
}

int grmeta_parse_one(const char *header, const char *line, int path, struct buf *out)
{
	struct table t;
	int err = table_init(&t, header);
	if (err)
		return err;
	struct parser *ps = parser_new(&t);
	struct buf text = {0}, msg = {0};
	if (!ps || buf_add(&text, line, strlen(line))) {
		parser_free(ps);
		buf_free(&text);
		return GL_ENOMEM;
	}
	ps->path = path;
	struct pl_line l = {.len = text.len, .full_len = text.len};
	struct verdict v = {0};
	err = parse_line(ps, text.p, &l, &v, &msg);
	const char *s = msg.p ? msg.p + v.msg : "";
	buf_clear(out);
	if (!err && v.what == V_ROW) {
		err = buf_printf(out, "row %ld: %.*s", v.bad_utf8, (int)v.len, s);
	} else if (!err) {
		err = v.what == V_BLANK ? buf_adds(out, "blank")
		      : v.what == V_REFUSED ? buf_adds(out, "refused")
					    : buf_printf(out, "bad %d: %s", v.cls, s);
	}
	parser_free(ps);
	buf_free(&text);
	buf_free(&msg);
	return err;
}
