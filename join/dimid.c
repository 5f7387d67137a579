#include "dimid.h"

#include "err.h"
#include "log.h"

int dimid_parse(const char *path, const struct csvr_rec *rec, int col, uint64_t n, uint32_t *id)
{
	if (rec->too_long) {
		log_at(path, rec->lineno, rec->offset, "record too long");
		return GL_EFORMAT;
	}
	if ((size_t)col >= rec->n) {
		log_at(path, rec->lineno, rec->offset, "%zu fields, no id in field %d", rec->n,
		       col + 1);
		return GL_EFORMAT;
	}
	const char *p = rec->f[col];
	uint64_t v = 0;
	int ok = *p != 0;
	for (; ok && *p; p++) {
		ok = *p >= '0' && *p <= '9' && v <= (UINT64_MAX - 9) / 10;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (!ok || v >= n) {
		log_at(path, rec->lineno, rec->offset, "id '%s' is not a number below %llu",
		       rec->f[col], (unsigned long long)n);
		return GL_EFORMAT;
	}
	*id = (uint32_t)v;
	return 0;
}

int dimid_open(struct csvr **r, struct csvr_rec *h, const char *path, const char *name, int *col,
	       const char *name2, int *col2)
{
	int err = csvr_open(r, path, NULL);
	if (err)
		return err;
	err = csvr_next(*r, h);
	if (err < 0)
		return err;
	if (err == 0 || h->too_long) {
		log_error("%s: %s", path, err ? "header row too long" : "empty file, expected a header row");
		return GL_EFORMAT;
	}
	*col = csvr_find(h, name);
	if (*col < 0) {
		log_error("%s: no column '%s' in the header", path, name);
		return GL_EFORMAT;
	}
	if (name2)
		*col2 = csvr_find(h, name2);
	return 0;
}
