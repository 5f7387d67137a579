#include "csvread.h"

#include "buf.h"
#include "err.h"
#include "log.h"
#include "utf8.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

struct csvr {
	struct gzl *z;
	struct csv_parser p;
	int p_ready;
	int latin1;
	size_t max_record;
	/* The record being built: field texts back to back in text, NUL after
	 * each; offsets in off.  Pointers are made when the record is done. */
	struct buf text;
	size_t *off, *lens;
	char **ptrs;
	size_t nf, cap;
	int done;             /* libcsv finished a record */
	int in_record;        /* a record has started */
	int oversize;         /* the record passed max_record */
	uint64_t rec_line, rec_off, rec_bytes;
	uint64_t bad_utf8;
	int err;              /* allocation failure inside a callback */
	int eof;
	char quote;           /* the quote character, 0 with CSVR_NO_QUOTE */
	int dcolon;           /* "::" separates fields: lines go through dline */
	struct buf dline;     /* a line with each "::" turned into DCOLON_SEP */
	int quotes_odd;       /* the record so far holds an odd number of quotes */
	int skip_quoted;      /* dropping the rest of an oversize quoted field */
	int no_fast;          /* every record through libcsv (csvr_opts) */
	char *line;           /* the fields lie here (split in place), not in text */
};

/* libcsv splits on one byte: "::" becomes this one, which text never holds. */
#define DCOLON_SEP '\x1f'

static int never_space(unsigned char c) { (void)c; return 0; }
/* Only "\n" ends a record: a lone "\r" inside a line stays data. */
static int is_lf(unsigned char c) { return c == '\n'; }

/* Room for one more field's offset, length and pointer.  0 or GL_ENOMEM. */
static int field_slot(struct csvr *r)
{
	if (r->nf < r->cap)
		return 0;
	size_t cap = r->cap ? 2 * r->cap : 16;
	size_t *o = realloc(r->off, cap * sizeof *o);
	size_t *l = o ? realloc(r->lens, cap * sizeof *l) : NULL;
	char **p = l ? realloc(r->ptrs, cap * sizeof *p) : NULL;
	if (o)
		r->off = o;
	if (l)
		r->lens = l;
	if (!p)
		return GL_ENOMEM;
	r->ptrs = p;
	r->cap = cap;
	return 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct csvr *r = ctx;
	if (r->err || r->oversize)
		return;
	if (field_slot(r)) {
		r->err = GL_ENOMEM;
		return;
	}
	size_t start = r->text.len;
	long bad = data ? utf8_clean(data, len, r->latin1, &r->text) : 0;
	if (bad < 0 || buf_addc(&r->text, 0)) {
		r->err = GL_ENOMEM;
		return;
	}
	r->bad_utf8 += (uint64_t)bad;
	r->off[r->nf] = start;
	r->lens[r->nf] = r->text.len - 1 - start;
	r->nf++;
}

static void on_record(int term, void *ctx)
{
	struct csvr *r = ctx;
	(void)term;
	r->done = 1;
}

static int reset_parser(struct csvr *r, const struct csvr_opts *o)
{
	if (r->p_ready)
		csv_free(&r->p);
	if (csv_init(&r->p, 0) != 0)
		return GL_ENOMEM;
	r->p_ready = 1;
	/* libcsv grows a field's buffer by a fixed step (128 bytes by default):
	 * 64 KiB steps keep a field of megabytes to a few dozen reallocs. */
	csv_set_blk_size(&r->p, (size_t)1 << 16);
	csv_set_space_func(&r->p, never_space);
	csv_set_term_func(&r->p, is_lf);
	csv_set_delim(&r->p, (unsigned char)(o && o->delim ? o->delim : ','));
	csv_set_quote(&r->p, (unsigned char)(o && o->quote ? o->quote : '"'));
	return 0;
}

int csvr_open(struct csvr **out, const char *path, const struct csvr_opts *o)
{
	*out = NULL;
	struct csvr *r = calloc(1, sizeof *r);
	if (!r) {
		log_error("out of memory opening %s", path);
		return GL_ENOMEM;
	}
	r->latin1 = o && o->latin1;
	r->no_fast = o && o->no_fast;
	r->dcolon = o && o->dcolon;
	struct csvr_opts po = {.delim = r->dcolon ? DCOLON_SEP : o ? o->delim : 0,
			       .quote = o ? o->quote : 0};
	r->quote = !o || !o->quote ? '"' : o->quote == CSVR_NO_QUOTE ? 0 : o->quote;
	r->max_record = o && o->max_record ? o->max_record : GZL_MAX_LINE_DEFAULT;
	struct gzl_opts zo = {.max_line = r->max_record, .no_thread = o && o->no_thread};
	int err = gzl_open(&r->z, path, &zo);
	if (!err && reset_parser(r, &po)) {
		log_error("out of memory opening %s", path);
		err = GL_ENOMEM;
	}
	if (err) {
		csvr_close(r);
		return err;
	}
	*out = r;
	return 0;
}

/* Flip quotes_odd once per quote character in p[0..n). */
static void count_quotes(struct csvr *r, const char *p, size_t n)
{
	const char *q, *end = p + n;
	while (r->quote && (q = memchr(p, r->quote, (size_t)(end - p)))) {
		r->quotes_odd ^= 1;
		p = q + 1;
	}
}

static void start_record(struct csvr *r)
{
	r->nf = 0;
	buf_clear(&r->text);
	r->line = NULL;
	r->done = 0;
	r->in_record = 0;
	r->oversize = 0;
	r->rec_bytes = 0;
	r->quotes_odd = r->skip_quoted; /* still inside the dropped field */
}

static void finish(struct csvr *r, struct csvr_rec *rec)
{
	char *base = r->line ? r->line : r->text.p;
	for (size_t i = 0; i < r->nf; i++)
		r->ptrs[i] = base + r->off[i];
	rec->n = r->oversize ? 0 : r->nf;
	rec->f = r->ptrs;
	rec->len = r->lens;
	rec->lineno = r->rec_line;
	rec->offset = r->rec_off;
	rec->too_long = r->oversize;
}

/* Where the 16 bytes at s hold the delimiter, the quote, and bytes that
 * are not plain ASCII (a high bit, or NUL): bit i for byte i. */
struct marks {
	unsigned delim, quote, odd;
};

#ifdef __SSE2__
#include <emmintrin.h>
static struct marks marks16(const char *s, char delim, char quote)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	struct marks m;
	m.delim = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(delim)));
	m.quote = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(quote)));
	m.odd = (unsigned)(_mm_movemask_epi8(v) |
			   _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())));
	return m;
}
#else
static struct marks marks16(const char *s, char delim, char quote)
{
	struct marks m = {0, 0, 0};
	for (unsigned i = 0; i < 16; i++) {
		m.delim |= (unsigned)(s[i] == delim) << i;
		m.quote |= (unsigned)(s[i] == quote) << i;
		m.odd |= (unsigned)((unsigned char)s[i] >= 0x80 || s[i] == 0) << i;
	}
	return m;
}
#endif

/* A line with quotes: field by field, each unquoted without a quote
 * inside, or quoted whole ("..." with "" for a quote) and followed by the
 * delimiter or the end.  1 with the fields in place, 0 otherwise (nothing
 * kept), GL_ENOMEM.  Room for them is reserved. */
static int quoted_line(struct csvr *r, const char *p, size_t n, char delim, char quote)
{
	const char *end = p + n;
	const char *nq = memchr(p, quote, n); /* the next quote at or after p */
	char *t = r->text.p, *d = t;
	r->nf = 0;
	for (;;) {
		if (field_slot(r))
			return GL_ENOMEM;
		r->off[r->nf] = (size_t)(d - t);
		if (p < end && *p == quote) {
			for (p++;;) {
				const char *q = memchr(p, quote, (size_t)(end - p));
				if (!q)
					return 0; /* the field goes on over the next line */
				memcpy(d, p, (size_t)(q - p));
				d += q - p;
				p = q + 1;
				if (p == end || *p != quote)
					break;
				*d++ = quote; /* "" */
				p++;
			}
			if (p < end && *p != delim)
				return 0;
			if (!(nq = memchr(p, quote, (size_t)(end - p))))
				nq = end;
		} else {
			const char *e = memchr(p, delim, (size_t)(end - p));
			if (!e)
				e = end;
			if (nq < e)
				return 0; /* a quote inside an unquoted field */
			memcpy(d, p, (size_t)(e - p));
			d += e - p;
			p = e;
		}
		r->lens[r->nf] = (size_t)(d - t) - r->off[r->nf];
		*d++ = 0;
		r->nf++;
		if (p == end)
			break;
		p++; /* the delimiter; a field follows it, if only an empty one */
	}
	r->text.len = (size_t)(d - t);
	return 1;
}

/* The common record without libcsv, byte for byte what libcsv makes of
 * it: one line of valid UTF-8 (not Latin-1) whose fields are each either
 * unquoted without a quote inside, or quoted whole.  Returns 1 with the
 * record's fields in place, 0 (nothing kept, the line as it came) for any
 * other line, which libcsv then reads: a quoted field going on to the next
 * line, a stray quote, text after a closing quote, invalid UTF-8, Latin-1;
 * or GL_ENOMEM.  libcsv costs a callback per byte.  A line without quotes
 * is split where it lies (the reader's buffer, which is ours until the
 * next line): its delimiters, found 16 bytes at a time, become the fields'
 * NULs, so its bytes are never copied.  p[n] is the line's terminator. */
static int fast_line(struct csvr *r, char *p, size_t n)
{
	if (r->no_fast || r->latin1)
		return 0;
	const char delim = (char)csv_get_delim(&r->p), quote = (char)csv_get_quote(&r->p);
	unsigned quoted = 0, odd = 0;
	size_t start = 0;
	r->nf = 0;
	for (size_t at = 0; at < n && !quoted; at += 16) {
		/* the last block from a copy: nothing past the line is read */
		char tail[16];
		const char *blk = p + at;
		unsigned in = 0xffffu;
		if (n - at < 16) {
			memset(tail, 0, sizeof tail);
			memcpy(tail, p + at, n - at);
			blk = tail;
			in = (1u << (n - at)) - 1;
		}
		struct marks m = marks16(blk, delim, quote);
		quoted = m.quote & in;
		odd |= m.odd & in;
		for (unsigned dm = m.delim & in; dm && !quoted; dm &= dm - 1) {
			size_t pos = at + (size_t)__builtin_ctz(dm);
			if (field_slot(r))
				return GL_ENOMEM;
			r->off[r->nf] = start;
			r->lens[r->nf++] = pos - start;
			p[pos] = 0;
			start = pos + 1;
		}
	}
	int ok = 1;
	if (odd | quoted) {
		/* the delimiters back, for the checks and paths that read it whole */
		for (size_t i = 0; i < r->nf; i++)
			p[r->off[i] + r->lens[i]] = delim;
		ok = utf8_valid_prefix(p, n) == n; /* a NUL fails it too */
	}
	if (ok && quoted) {
		/* the fields' bytes and a NUL each: at most 2n + 1 */
		if (buf_reserve(&r->text, 2 * n + 1))
			return GL_ENOMEM;
		ok = quoted_line(r, p, n, delim, quote);
	} else if (ok) {
		for (size_t i = 0; odd && i < r->nf; i++)
			p[r->off[i] + r->lens[i]] = 0;
		if (field_slot(r))
			return GL_ENOMEM;
		r->off[r->nf] = start;
		r->lens[r->nf++] = n - start;
		p[n] = 0;
		r->line = p;
	}
	if (ok <= 0) {
		r->nf = 0;
		buf_clear(&r->text);
	}
	return ok;
}

/* ln's text with every "::" as DCOLON_SEP, in r->dline; ln points there. */
static int dcolon_line(struct csvr *r, struct gzl_line *ln)
{
	buf_clear(&r->dline);
	if (buf_reserve(&r->dline, ln->len))
		return GL_ENOMEM;
	char *d = r->dline.p;
	for (size_t i = 0; i < ln->len; i++) {
		if (ln->p[i] == ':' && i + 1 < ln->len && ln->p[i + 1] == ':') {
			*d++ = DCOLON_SEP;
			i++;
		} else {
			*d++ = ln->p[i];
		}
	}
	*d = 0;
	ln->len = (size_t)(d - r->dline.p);
	ln->p = r->dline.p;
	return 0;
}

int csvr_next(struct csvr *r, struct csvr_rec *rec)
{
	struct gzl_line ln;
	start_record(r);
	while (!r->eof) {
		int rc = gzl_next(r->z, &ln);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			r->eof = 1;
			break;
		}
		if (r->skip_quoted) {
			/* The oversize record's quoted field goes on over this line:
			 * its quotes say whether the record ends here.  Bounded
			 * memory, and the next record is read whole. */
			if (!ln.too_long)
				count_quotes(r, ln.p, ln.len);
			r->skip_quoted = r->quotes_odd;
			continue;
		}
		if (!r->in_record) {
			if (ln.len == 0 && !ln.too_long)
				continue; /* blank line */
			r->in_record = 1;
			r->rec_line = ln.lineno;
			r->rec_off = ln.offset;
		}
		r->rec_bytes += ln.full_len + 1;
		/* before the fast path, which then splits on DCOLON_SEP as libcsv does */
		if (r->dcolon && !ln.too_long && dcolon_line(r, &ln)) {
			log_error("out of memory reading %s", gzl_name(r->z));
			return GL_ENOMEM;
		}
		/* a record's first line: libcsv holds nothing of it yet */
		if (r->rec_bytes == ln.full_len + 1 && !ln.too_long &&
		    r->rec_bytes <= r->max_record) {
			int fast = fast_line(r, ln.p, ln.len);
			if (fast < 0) {
				log_error("out of memory reading %s", gzl_name(r->z));
				return fast;
			}
			if (fast) {
				finish(r, rec);
				return 1;
			}
		}
		if (!ln.too_long)
			count_quotes(r, ln.p, ln.len);
		if (ln.too_long || r->rec_bytes > r->max_record) {
			/* Drop what libcsv holds and resume after the record: at the
			 * next line, or past the end of a quoted field left open
			 * (an odd count of quotes so far; a cut line's are unknown). */
			struct csvr_opts o = {.delim = (char)csv_get_delim(&r->p),
					      .quote = (char)csv_get_quote(&r->p)};
			if (reset_parser(r, &o))
				return GL_ENOMEM;
			r->skip_quoted = r->quotes_odd;
			r->oversize = 1;
			finish(r, rec);
			return 1;
		}
		if (csv_parse(&r->p, ln.p, ln.len, on_field, on_record, r) != ln.len ||
		    csv_parse(&r->p, "\n", 1, on_field, on_record, r) != 1)
			r->err = r->err ? r->err : GL_ENOMEM;
		if (r->err) {
			log_error("out of memory reading %s", gzl_name(r->z));
			return r->err;
		}
		if (r->done) {
			finish(r, rec);
			return 1;
		}
	}
	if (!r->in_record)
		return 0;
	/* Every line was fed with its "\n", so a record still open here is a
	 * quoted field that the file ends inside. */
	log_at(gzl_name(r->z), r->rec_line, r->rec_off,
	       "quoted field is never closed (the file ends inside it)");
	return GL_EFORMAT;
}

uint64_t csvr_bad_utf8(const struct csvr *r) { return r->bad_utf8; }
const struct gzl *csvr_stream(const struct csvr *r) { return r->z; }

void csvr_close(struct csvr *r)
{
	if (!r)
		return;
	if (r->p_ready)
		csv_free(&r->p);
	gzl_close(r->z);
	buf_free(&r->text);
	buf_free(&r->dline);
	free(r->off);
	free(r->lens);
	free(r->ptrs);
	free(r);
}

int csvr_find(const struct csvr_rec *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->f[i], name) == 0)
			return (int)i;
	return -1;
}
