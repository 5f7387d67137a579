#include "dimid.h"

#include "err.h"
#include "log.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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
		log_at(path, rec->lineno, rec->offset, "id '%s' is not a number below %" PRIu64,
		       rec->f[col], (uint64_t)n);
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

static int key_column(const char *path, const struct csvr_rec *h, int icol, const char *col)
{
	int c = -1;
	if (col)
		c = csvr_find(h, col);
	for (size_t i = 0; !col && c < 0 && i < h->n; i++)
		if ((int)i != icol)
			c = (int)i;
	if (c < 0)
		log_error("%s: no column '%s' in the header", path, col ? col : "besides the id");
	return c;
}

int dimid_column(const char *path, const char *idcol, const char *col, uint64_t n,
		 struct rowstore *store, uint32_t **slot, char **name)
{
	struct csvr *r = NULL;
	struct csvr_rec rec;
	int icol, unused, kcol = -1, rc;
	uint32_t *s = malloc((n ? n : 1) * sizeof *s);
	int err = s ? 0 : GL_ENOMEM;
	if (name)
		*name = NULL;
	if (!err)
		err = dimid_open(&r, &rec, path, idcol, &icol, NULL, &unused);
	if (!err && (kcol = key_column(path, &rec, icol, col)) < 0)
		err = GL_EFORMAT;
	if (!err && name && !(*name = strdup(rec.f[kcol])))
		err = GL_ENOMEM;
	if (!err)
		memset(s, 0xff, n * sizeof *s);
	while (!err && (rc = csvr_next(r, &rec)) != 0) {
		uint32_t id;
		if (rc < 0 || (err = dimid_parse(path, &rec, icol, n, &id))) {
			err = rc < 0 ? rc : err;
			break;
		}
		if (s[id] != UINT32_MAX || (size_t)kcol >= rec.n)
			continue;
		s[id] = (uint32_t)store->n;
		const char *f = rec.f[kcol];
		if (rowstore_add(store, &f, &rec.len[kcol], 1))
			err = GL_ENOMEM;
	}
	csvr_close(r);
	if (err == GL_ENOMEM)
		log_error("out of memory reading %s", path);
	if (err) {
		free(s);
		if (name) {
			free(*name);
			*name = NULL;
		}
		return err;
	}
	*slot = s;
	return 0;
}
