#include "extract_src_csv.h"

#include "err.h"
#include "gzline.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

/* Keep the header: the reader's record buffers are reused. */
static int copy_header(struct xcsv *c, const struct csvr_rec *h)
{
	size_t total = 0;
	for (size_t i = 0; i < h->n; i++)
		total += h->len[i] + 1;
	c->head_text = malloc(total + 1);
	c->head.f = malloc((h->n + 1) * sizeof *c->head.f);
	if (!c->head_text || !c->head.f)
		return GL_ENOMEM;
	char *p = c->head_text;
	for (size_t i = 0; i < h->n; i++) {
		memcpy(p, h->f[i], h->len[i] + 1);
		c->head.f[i] = p;
		p += h->len[i] + 1;
	}
	c->head.n = h->n;
	return 0;
}

int xcsv_open_opts(struct xctx *cx, struct xfile *f, struct xcsv *c, struct csvr_opts ro,
		   int header)
{
	memset(c, 0, sizeof *c);
	ro.max_record = cx->o->max_line;
	int err = csvr_open(&c->r, f->path, &ro);
	if (err)
		return err;
	if (!header) {
		c->ready = 1;
		return 0;
	}
	int rc = csvr_next(c->r, &c->rec);
	if (rc <= 0)
		return rc;
	if (c->rec.too_long) {
		log_at(f->path, c->rec.lineno, c->rec.offset, "the header is longer than --max-line");
		return GL_EFORMAT;
	}
	c->utf8_seen = csvr_bad_utf8(c->r);
	if (copy_header(c, &c->rec)) {
		log_error("out of memory reading %s", f->path);
		return GL_ENOMEM;
	}
	c->ready = 1;
	return 0;
}

int xcsv_open(struct xctx *cx, struct xfile *f, struct xcsv *c, char delim, char quote,
	      int latin1)
{
	if (latin1 < 0)
		latin1 = cx->o->encoding == XENC_LATIN1;
	struct csvr_opts o = {.delim = delim, .quote = quote, .latin1 = latin1};
	return xcsv_open_opts(cx, f, c, o, 1);
}

int xcsv_col(const struct xcsv *c, const char *name)
{
	return c->head.f ? csvr_find(&c->head, name) : -1;
}

int xcsv_need(struct xfile *f, const struct xcsv *c, const char *name)
{
	int i = xcsv_col(c, name);
	if (i < 0 && c->head.f) {
		log_at(f->path, 1, 0, "the header has no column %s (a %s file needs it)", name,
		       f->st->kind);
		return GL_EFORMAT;
	}
	return i;
}

int xcsv_next(struct xctx *cx, struct xfile *f, struct xcsv *c, size_t nfields)
{
	for (;;) {
		if (!c->r || !c->ready)
			return 0;
		int rc = csvr_next(c->r, &c->rec);
		if (rc <= 0)
			return rc;
		struct csvr_rec *r = &c->rec;
		f->st->records++;
		progress_tick(&cx->prog, f->st->records, gzl_bytes_in(csvr_stream(c->r)));
		int err = 0;
		uint64_t bad = csvr_bad_utf8(c->r) - c->utf8_seen;
		c->utf8_seen += bad;
		if (r->too_long)
			err = xsrc_bad(cx, f, XB_TOO_LONG, r->lineno, r->offset,
				       "record is longer than --max-line");
		else if (r->n < nfields)
			err = xsrc_bad(cx, f, XB_BAD_FIELDS, r->lineno, r->offset,
				       "%zu fields, expected %zu", r->n, nfields);
		else if (bad)
			err = xrep_note(&cx->rep, f->st, XB_BAD_UTF8, bad, r->lineno, r->offset,
					"invalid UTF-8 replaced by U+FFFD");
		if (err)
			return err;
		if (!r->too_long && r->n >= nfields)
			return 1;
	}
}

void xcsv_close(struct xfile *f, struct xcsv *c)
{
	if (c->r) {
		const struct gzl *z = csvr_stream(c->r);
		f->st->bytes_in = gzl_bytes_in(z);
		f->st->bytes_text = gzl_bytes_out(z);
		f->st->lines = gzl_lines(z);
	}
	csvr_close(c->r);
	free(c->head_text);
	free(c->head.f);
	memset(c, 0, sizeof *c);
}
