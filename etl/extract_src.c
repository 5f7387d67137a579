/* extract_src.c - the helpers every source reader shares (extract_src.h). */
#include "extract_src.h"

#include "csvwrite.h"
#include "err.h"
#include "gzline.h"
#include "log.h"

#include <inttypes.h>

int xsrc_is_num(const char *s, size_t len)
{
	if (len == 0 || len > 19 || (len > 1 && s[0] == '0'))
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

const char *xsrc_num_problem(const char *s, size_t len)
{
	if (len == 0)
		return "is empty";
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return "is not a number";
	if (len > 19)
		return "is longer than 19 digits";
	return len > 1 && s[0] == '0' ? "has a leading zero" : "is fine";
}

int xsrc_key_limit(struct xctx *cx, struct xfile *f)
{
	uint64_t line, off;
	fb_fail_pos(cx->fb, &line, &off);
	log_at(f->path, line, off, "too many distinct users or items (--max-keys %" PRIu32 ")",
	       cx->o->max_keys ? cx->o->max_keys : UINT32_MAX - 1);
	return GL_ELIMIT;
}

int xsrc_rating(struct xctx *cx, struct xfile *f, const char *user, size_t ulen,
		const char *item, size_t ilen, uint8_t rating, uint32_t time, unsigned bits,
		uint64_t line, uint64_t off)
{
	int err = fb_add(cx->fb, user, ulen, item, ilen, rating, time, bits, line, off);
	if (!err)
		f->st->kept++;
	return err == GL_ELIMIT ? xsrc_key_limit(cx, f) : err;
}

void xsrc_row(struct xfile *f, const char *const *fields, size_t n)
{
	csvw_row(f->tab, fields, n);
	f->st->kept++;
}

void xsrc_rows_text(struct xfile *f, const char *rows, size_t len)
{
	if (len)
		fwrite_unlocked(rows, 1, len, f->tab);
}

int xsrc_open_lines(struct xctx *cx, struct xfile *f, struct gzl **z)
{
	struct gzl_opts zo = {.max_line = cx->o->max_line};
	return gzl_open(z, f->path, &zo);
}

void xsrc_bytes(struct xfile *f, const struct gzl *z)
{
	f->st->bytes_in = gzl_bytes_in(z);
	f->st->bytes_text = gzl_bytes_out(z);
}

void xsrc_tick(struct xctx *cx, struct xfile *f, const struct gzl *z)
{
	progress_tick(&cx->prog, f->st->records, gzl_bytes_in(z));
}

int xsrc_threads(int given, int cpus, int *adapt)
{
	*adapt = given <= 0 && cpus == 2;
	if (given > 0)
		return given;
	return cpus < 1 ? 1 : cpus > 8 ? 8 : cpus;
}
