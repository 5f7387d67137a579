/* src_goodreads_meta.c - UCSD Goodreads metadata as JSON lines: books,
 * works and authors, to books.csv, works.csv and authors.csv.
 *
 * Every scalar of these dumps is a string ("" for missing); numbers,
 * booleans and null are taken as their text ("" for null) so a slightly
 * different dump still reads.  Only top-level fields are kept, plus the
 * author ids inside a book's "authors" list (author_id = the first,
 * author_ids = all, '|'-separated) and a work's rating_dist
 * ("5:7|4:4|3:2|2:0|1:0|total:13") spread over ratings_1..ratings_5.  The
 * table's key (book_id, work_id, author_id) is required and numeric.
 * Strings are decoded by yajl (escapes, surrogate pairs) and mended with
 * utf8_clean: lone surrogates, \u0000 and invalid UTF-8 become U+FFFD and
 * count as bad_utf8, the record kept.
 */
#include "buf.h"
#include "err.h"
#include "extract_src.h"
#include "extract_value.h"
#include "gzline.h"
#include "jsonl.h"
#include "log.h"
#include "utf8.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MAX_COLS 16
enum { C_NONE = -1, C_AUTHORS = -2, C_DIST = -3 };

struct spec {
	const char *key;
	int col;
};

static const struct spec book_spec[] = {
	{"book_id", 0},     {"work_id", 1},         {"title", 2},
	{"title_without_series", 3}, {"authors", C_AUTHORS}, {"publication_year", 6},
	{"language_code", 7}, {"isbn", 8},          {"isbn13", 9},
	{"average_rating", 10}, {"ratings_count", 11}, {"image_url", 12},
	{"url", 13},        {NULL, 0},
};
static const struct spec work_spec[] = {
	{"work_id", 0},        {"best_book_id", 1},      {"original_title", 2},
	{"original_publication_year", 3}, {"ratings_count", 4}, {"text_reviews_count", 5},
	{"rating_dist", C_DIST}, {NULL, 0},
};
static const struct spec author_spec[] = {
	{"author_id", 0}, {"name", 1}, {"average_rating", 2}, {"ratings_count", 3}, {NULL, 0},
};

struct meta {
	const struct spec *spec;
	int ncols;
	const char *key_name;
	/* the record */
	int depth, objects;
	int col;           /* where the next top-level value goes */
	int in_authors;    /* inside the book's authors list */
	int author_key;    /* the next value is an author_id */
	int set[MAX_COLS];
	size_t off[MAX_COLS];
	struct buf vals;   /* values back to back, each NUL-terminated */
	struct buf authors;
	struct buf dist;
	long bad_utf8;
	int nomem;
};

static int lookup(const struct spec *sp, const unsigned char *k, size_t len)
{
	for (; sp->key; sp++)
		if (strlen(sp->key) == len && memcmp(sp->key, k, len) == 0)
			return sp->col;
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
	if (bad < 0 || buf_addc(&m->vals, 0)) {
		m->nomem = 1;
		return 0;
	}
	m->bad_utf8 += bad;
	m->set[col] = 1;
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
		long bad = 0;
		if ((m->authors.len && buf_addc(&m->authors, '|')) ||
		    (bad = utf8_clean(s, len, 0, &m->authors)) < 0) {
			m->nomem = 1;
			return 0;
		}
		m->bad_utf8 += bad;
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
		m->col = lookup(m->spec, k, len);
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

/* Spread rating_dist "5:7|4:4|3:2|2:0|1:0|total:13" over columns 6..10. */
static void spread_dist(struct meta *m)
{
	const char *p = m->dist.p ? m->dist.p : "";
	while (*p) {
		size_t n = strcspn(p, "|");
		if (n >= 3 && p[0] >= '1' && p[0] <= '5' && p[1] == ':')
			put(m, 6 + (p[0] - '1'), p + 2, n - 2);
		p += n + (p[n] == '|');
	}
}

static int emit(struct xctx *cx, struct xfile *f, struct meta *m, const struct gzl_line *ln)
{
	if (m->spec == book_spec) {
		size_t first = m->authors.len ? strcspn(m->authors.p, "|") : 0;
		put(m, 4, m->authors.p ? m->authors.p : "", first);
		put(m, 5, m->authors.p ? m->authors.p : "", m->authors.len);
	} else if (m->spec == work_spec) {
		spread_dist(m);
	}
	if (m->nomem) {
		log_error("out of memory reading %s", f->path);
		return GL_ENOMEM;
	}
	if (!m->set[0] || m->vals.p[m->off[0]] == 0)
		return xsrc_bad(cx, f, XB_MISSING_FIELD, ln->lineno, ln->offset, "no %s",
				m->key_name);
	const char *key = m->vals.p + m->off[0];
	if (!xsrc_is_num(key, strlen(key))) {
		char q[64];
		xval_quote(key, strlen(key), q, sizeof q);
		return xsrc_bad(cx, f, XB_BAD_ID, ln->lineno, ln->offset, "%s %s %s",
				m->key_name, q, xsrc_num_problem(key, strlen(key)));
	}
	if (m->bad_utf8) {
		int err = xrep_note(&cx->rep, f->st, XB_BAD_UTF8, (uint64_t)m->bad_utf8, ln->lineno,
				    ln->offset, "invalid UTF-8 or escape replaced by U+FFFD");
		if (err)
			return err;
	}
	const char *fields[MAX_COLS];
	for (int c = 0; c < m->ncols; c++)
		fields[c] = m->set[c] ? m->vals.p + m->off[c] : "";
	xsrc_row(cx, f, fields, (size_t)m->ncols);
	return 0;
}

int src_goodreads_meta(struct xctx *cx, struct xfile *f)
{
	struct meta m;
	memset(&m, 0, sizeof m);
	switch (f->kind) {
	case XK_GR_BOOKS: m.spec = book_spec, m.ncols = 14, m.key_name = "book_id"; break;
	case XK_GR_WORKS: m.spec = work_spec, m.ncols = 11, m.key_name = "work_id"; break;
	default: m.spec = author_spec, m.ncols = 4, m.key_name = "author_id"; break;
	}
	struct gzl *z = NULL;
	struct jsonl j = {0};
	struct gzl_line ln;
	char msg[256];
	int err = xsrc_open_lines(cx, f, &z);
	if (!err)
		err = jsonl_init(&j, &callbacks, &m);
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
		start_record(&m);
		m.bad_utf8 = (long)jsonl_fix_escapes(ln.p, ln.len);
		int bad = jsonl_feed(&j, ln.p, ln.len, msg, sizeof msg);
		if (bad == GL_ENOMEM || m.nomem) {
			log_error("out of memory reading %s", f->path);
			err = GL_ENOMEM;
			break;
		}
		if (!bad && m.objects == 0 && m.depth == 0 && jsonl_blank(ln.p, ln.len))
			continue;
		f->st->records++;
		if (!bad && (m.depth != 0 || m.objects == 0)) {
			/* an object or a string still open: yajl would carry it into
			 * the next line and fail a good record there */
			snprintf(msg, sizeof msg, "invalid JSON: %s",
				 m.depth ? "the object is not closed"
					 : "no complete value (a string left open?)");
			if ((err = jsonl_reset(&j)))
				break;
			bad = -1;
		}
		if (bad) {
			err = xsrc_bad(cx, f, XB_BAD_JSON, ln.lineno, ln.offset, "%s", msg);
			continue;
		}
		err = emit(cx, f, &m, &ln);
	}
	if (!err && rc < 0)
		err = rc;
	if (z)
		xsrc_bytes(f, z);
	jsonl_free(&j);
	gzl_close(z);
	buf_free(&m.vals);
	buf_free(&m.authors);
	buf_free(&m.dist);
	return err;
}
