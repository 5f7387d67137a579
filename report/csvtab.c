#include "csvtab.h"

#include "csvread.h"
#include "err.h"
#include "log.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return strdup(s ? s : "");
}

static int add_row(struct csvtab *t, const struct csvr_rec *rec)
{
	if (t->nrow == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **c = realloc(t->cell, cap * t->ncol * sizeof *c);
		if (!c)
			return GL_ENOMEM;
		t->cell = c;
		t->cap = cap;
	}
	char **row = t->cell + t->nrow * t->ncol;
	for (size_t i = 0; i < t->ncol; i++) {
		if (!(row[i] = dup_or_null(i < rec->n ? rec->f[i] : ""))) {
			while (i--)
				free(row[i]);
			return GL_ENOMEM;
		}
	}
	t->nrow++;
	return 0;
}

int csvtab_load(struct csvtab *t, const char *path, size_t max_rows)
{
	struct csvr *r = NULL;
	struct csvr_rec rec;
	int err, got;
	memset(t, 0, sizeof *t);
	if (!(t->path = strdup(path)))
		return GL_ENOMEM;
	if ((err = csvr_open(&r, path, NULL)))
		goto fail;
	if ((got = csvr_next(r, &rec)) <= 0) {
		err = got < 0 ? got : GL_EFORMAT;
		if (!got)
			log_at(path, LOG_NOPOS, LOG_NOPOS, "empty file, expected a header row");
		goto fail;
	}
	err = GL_ENOMEM;
	t->ncol = rec.n;
	if (!(t->head = calloc(rec.n ? rec.n : 1, sizeof *t->head)))
		goto fail;
	for (size_t i = 0; i < rec.n; i++)
		if (!(t->head[i] = strdup(rec.f[i])))
			goto fail;
	while ((got = csvr_next(r, &rec)) > 0) {
		if (rec.too_long || rec.n > t->ncol) {
			log_at(path, rec.lineno, rec.offset, "%s",
			       rec.too_long ? "record too long"
					    : "more fields than the header names");
			err = GL_EFORMAT;
			goto fail;
		}
		if (max_rows && t->nrow == max_rows) {
			log_at(path, rec.lineno, rec.offset, "more than %zu rows", max_rows);
			err = GL_ELIMIT;
			goto fail;
		}
		if ((err = add_row(t, &rec)))
			goto fail;
	}
	if (got < 0) {
		err = got;
		goto fail;
	}
	csvr_close(r);
	return 0;
fail:
	if (err == GL_ENOMEM)
		log_error("%s: out of memory", path);
	csvr_close(r);
	csvtab_free(t);
	return err;
}

int csvtab_col(const struct csvtab *t, const char *name)
{
	for (size_t i = 0; i < t->ncol; i++)
		if (!strcmp(t->head[i], name))
			return (int)i;
	return -1;
}

const char *csvtab_get(const struct csvtab *t, size_t r, int c)
{
	if (c < 0 || (size_t)c >= t->ncol || r >= t->nrow)
		return "";
	return t->cell[r * t->ncol + (size_t)c];
}

int csvtab_num(const struct csvtab *t, size_t r, int c, double *v)
{
	const char *s = csvtab_get(t, r, c);
	char *end;
	if (!*s)
		return 0;
	double x = strtod(s, &end);
	if (*end || !isfinite(x))
		return 0;
	*v = x;
	return 1;
}

void csvtab_free(struct csvtab *t)
{
	if (t->cell)
		for (size_t i = 0; i < t->nrow * t->ncol; i++)
			free(t->cell[i]);
	if (t->head)
		for (size_t i = 0; i < t->ncol; i++)
			free(t->head[i]);
	free(t->cell);
	free(t->head);
	free(t->path);
	memset(t, 0, sizeof *t);
}
