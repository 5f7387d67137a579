#include "export_lookup.h"

#include "csvread.h"
#include "err.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

void lookup_init(struct lookup *l)
{
	memset(l, 0, sizeof *l);
	intern_init(&l->keys, 0);
}

int lookup_want(struct lookup *l, const char *key, size_t len, uint32_t *slot)
{
	*slot = LOOKUP_NONE;
	if (!len)
		return 0;
	int added = intern_put(&l->keys, key, len, slot);
	if (added < 0)
		return GL_ENOMEM;
	if (*slot >= l->cap) {
		uint64_t cap = l->cap ? 2 * l->cap : 1024;
		uint32_t *r = realloc(l->row, cap * sizeof *r);
		uint32_t *c = r ? realloc(l->count, cap * sizeof *c) : NULL;
		if (r)
			l->row = r;
		if (!c)
			return GL_ENOMEM;
		l->count = c;
		l->cap = cap;
	}
	if (added) {
		l->row[*slot] = LOOKUP_NONE;
		l->count[*slot] = 0;
	}
	return 0;
}

static int find_cols(const char *path, const struct csvr_rec *h, const char *keycol,
		     const char *const *cols, size_t ncols, int *idx)
{
	for (size_t c = 0; c <= ncols; c++) {
		const char *name = c < ncols ? cols[c] : keycol;
		idx[c] = csvr_find(h, name);
		if (idx[c] < 0) {
			log_error("%s: no column '%s' in the header", path, name);
			return GL_EFORMAT;
		}
	}
	return 0;
}

static int take(struct lookup *l, const char *path, const struct csvr_rec *rec, const int *idx)
{
	int kc = idx[l->ncols];
	const char *f[64];
	size_t len[64];
	if (rec->too_long || (size_t)kc >= rec->n) {
		log_at(path, rec->lineno, rec->offset, "%s", rec->too_long ? "record too long"
									 : "too few fields");
		return GL_EFORMAT;
	}
	uint32_t slot;
	if (!intern_find(&l->keys, rec->f[kc], rec->len[kc], &slot))
		return 0;
	if (l->count[slot]++)
		return 0;
	for (size_t c = 0; c < l->ncols; c++) {
		int i = idx[c];
		f[c] = (size_t)i < rec->n ? rec->f[i] : "";
		len[c] = (size_t)i < rec->n ? rec->len[i] : 0;
	}
	l->row[slot] = (uint32_t)l->rows.n;
	return rowstore_add(&l->rows, f, len, l->ncols) ? GL_ENOMEM : 0;
}

int lookup_load(struct lookup *l, const char *path, const char *keycol, const char *const *cols,
		size_t ncols)
{
	struct csvr *r = NULL;
	struct csvr_rec rec;
	int idx[65];
	if (ncols > 64)
		return GL_EUSAGE;
	l->ncols = ncols;
	int err = csvr_open(&r, path, NULL), rc;
	if (!err && (rc = csvr_next(r, &rec)) <= 0) {
		if (rc == 0)
			log_error("%s: empty file, expected a header row", path);
		err = rc ? rc : GL_EFORMAT;
	}
	if (!err)
		err = find_cols(path, &rec, keycol, cols, ncols, idx);
	while (!err && (rc = csvr_next(r, &rec)) != 0)
		err = rc < 0 ? rc : take(l, path, &rec, idx);
	if (err == GL_ENOMEM)
		log_error("out of memory reading %s", path);
	csvr_close(r);
	return err;
}

int lookup_get(const struct lookup *l, uint32_t slot, const char **f, size_t *len)
{
	if (slot == LOOKUP_NONE || l->row[slot] == LOOKUP_NONE) {
		for (size_t c = 0; c < l->ncols; c++) {
			f[c] = "";
			len[c] = 0;
		}
		return 0;
	}
	rowstore_get(&l->rows, l->row[slot], f, len, l->ncols);
	return 1;
}

void lookup_free(struct lookup *l)
{
	intern_free(&l->keys);
	free(l->row);
	free(l->count);
	rowstore_free(&l->rows);
	memset(l, 0, sizeof *l);
}
