#include "inputs.h"

#include "csvread.h"
#include "err.h"
#include "keytab.h"
#include "log.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NO_OFF UINT64_MAX
/* Stats and metrics files are small; a bigger one is not what we expect. */
#define SMALL_ROWS 1000000

char *rep_path(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	size_t o = a;
	if (a && dir[a - 1] != '/')
		p[o++] = '/';
	memcpy(p + o, name, b + 1);
	return p;
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Strict decimal id below limit: 0 and *out, or -1. */
static int parse_id(const char *s, uint64_t limit, uint64_t *out)
{
	char *end;
	if (!*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno || v >= limit)
		return -1;
	*out = v;
	return 0;
}

static int load_items(struct rep_in *in, const char *path)
{
	struct rep_items *it = &in->items;
	struct csvr *r = NULL;
	struct csvr_rec rec;
	int err, got, c_item, c_title;
	it->n = in->g.n_items;
	err = GL_ENOMEM;
	if (!(it->key_off = malloc((it->n ? it->n : 1) * sizeof *it->key_off)) ||
	    !(it->title_off = malloc((it->n ? it->n : 1) * sizeof *it->title_off)))
		goto nomem;
	for (uint64_t i = 0; i < it->n; i++)
		it->key_off[i] = it->title_off[i] = NO_OFF;
	if ((err = csvr_open(&r, path, NULL)))
		goto fail;
	if ((got = csvr_next(r, &rec)) <= 0) {
		err = got ? got : GL_EFORMAT;
		if (!got)
			log_at(path, LOG_NOPOS, LOG_NOPOS, "empty file, expected a header row");
		goto fail;
	}
	c_item = csvr_find(&rec, "item");
	c_title = csvr_find(&rec, "title");
	if (c_item != 0 || rec.n < 2) {
		log_at(path, 1, 0, "expected a header starting item,<key> (docs/ARCHITECTURE.md)");
		err = GL_EFORMAT;
		goto fail;
	}
	snprintf(it->key_name, sizeof it->key_name, "%s", rec.f[1]);
	it->has_title = c_title >= 0;
	while ((got = csvr_next(r, &rec)) > 0) {
		uint64_t id;
		if (rec.too_long) {
			log_at(path, rec.lineno, rec.offset, "record too long");
			err = GL_EFORMAT;
			goto fail;
		}
		if (rec.n < 2 || parse_id(rec.f[0], it->n, &id)) {
			log_at(path, rec.lineno, rec.offset,
			       "item '%s' is not an id below %" PRIu64
			       " (the items of ratings.glr)",
			       rec.n ? rec.f[0] : "", (uint64_t)it->n);
			err = GL_EFORMAT;
			goto fail;
		}
		if (it->key_off[id] != NO_OFF) {
			log_at(path, rec.lineno, rec.offset, "item %" PRIu64 " appears twice",
			       (uint64_t)id);
			err = GL_EFORMAT;
			goto fail;
		}
		err = GL_ENOMEM;
		it->key_off[id] = it->text.len;
		if (buf_add(&it->text, rec.f[1], strlen(rec.f[1]) + 1))
			goto nomem;
		if (c_title >= 0 && (size_t)c_title < rec.n && rec.f[c_title][0]) {
			it->title_off[id] = it->text.len;
			if (buf_add(&it->text, rec.f[c_title], strlen(rec.f[c_title]) + 1))
				goto nomem;
		}
	}
	if (got < 0) {
		err = got;
		goto fail;
	}
	csvr_close(r);
	return 0;
nomem:
	log_error("%s: out of memory", path);
	err = GL_ENOMEM;
fail:
	csvr_close(r);
	return err;
}

/* items.csv against the keys the model recorded (none: nothing to check). */
static int check_items(const struct rep_in *in, const char *model_path)
{
	const struct rep_items *it = &in->items;
	uint64_t fp = KEYTAB_FP_INIT, rows = 0;
	int unchecked;
	char *path = rep_path(in->dir, "items.csv");
	if (!path) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	for (uint64_t i = 0; i < it->n; i++) {
		rows += it->key_off[i] != NO_OFF;
		fp = keytab_fp_add(fp, it->key_off[i] != NO_OFF ? it->text.p + it->key_off[i] : NULL);
	}
	int err = keytab_check(&in->model.item_keys, model_path, path, it->key_name, rows, fp,
			       &unchecked);
	if (unchecked)
		log_debug("%s records no item keys: items.csv not checked against it", model_path);
	free(path);
	return err;
}

static int load_model(struct rep_in *in, const char *path)
{
	int err = glm_load(&in->model, path);
	if (err)
		return err;
	in->have_model = 1;
	if (in->model.n_users != in->g.n_users || in->model.n_items != in->g.n_items) {
		log_error("%s: model has %" PRIu64 " users and %" PRIu64
			  " items but ratings.glr has %" PRIu64 " and "
			  "%" PRIu64 ": the model was trained on another file",
			  path, (uint64_t)in->model.n_users, (uint64_t)in->model.n_items,
			  (uint64_t)in->g.n_users, (uint64_t)in->g.n_items);
		return GL_EFORMAT;
	}
	return check_items(in, path);
}

/* users.csv's name for its key column (the header's second field). */
static int user_key_name(struct rep_in *in)
{
	struct csvr *r = NULL;
	struct csvr_rec h;
	snprintf(in->user_key_name, sizeof in->user_key_name, "user_id");
	if (!in->users_path)
		return 0;
	int err = csvr_open(&r, in->users_path, NULL), got = err ? 0 : csvr_next(r, &h);
	if (got > 0 && !h.too_long && h.n >= 2 && h.f[1][0])
		snprintf(in->user_key_name, sizeof in->user_key_name, "%s", h.f[1]);
	csvr_close(r);
	return err ? err : got < 0 ? got : 0;
}

/* Load dir/name into t when it exists; leave t zeroed otherwise. */
static int load_optional(struct csvtab *t, const char *dir, const char *name)
{
	char *p = rep_path(dir, name);
	int err = 0;
	if (!p) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	if (exists(p))
		err = csvtab_load(t, p, SMALL_ROWS);
	else
		log_debug("%s: absent, its section says so", p);
	free(p);
	return err;
}

/* dir/name if it exists (new string in *out), else *out = NULL. */
static int optional_path(const char *dir, const char *name, char **out)
{
	*out = rep_path(dir, name);
	if (!*out) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	if (!exists(*out)) {
		free(*out);
		*out = NULL;
	}
	return 0;
}

/* A required file: its path, or a message naming who writes it. */
static char *required(const char *dir, const char *name, const char *writer)
{
	char *p = rep_path(dir, name);
	if (!p) {
		log_error("out of memory");
		return NULL;
	}
	if (!exists(p)) {
		log_error("%s: no such file (%s writes it; is --in the pipeline's output "
			  "folder?)",
			  p, writer);
		free(p);
		return NULL;
	}
	return p;
}

int rep_in_load(struct rep_in *in, const char *dir)
{
	char *p = NULL;
	int err = GL_EIO;
	memset(in, 0, sizeof *in);
	if (!(in->dir = strdup(dir))) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	if (!(p = required(dir, "ratings.glr", "goodlens-filter")))
		goto fail;
	if ((err = glr_open(&in->g, p, 0)))
		goto fail;
	free(p);
	err = GL_EIO;
	if (!(p = required(dir, "items.csv", "goodlens-filter")))
		goto fail;
	if ((err = load_items(in, p)))
		goto fail;
	free(p);
	if ((err = optional_path(dir, "model.glm", &p)))
		goto fail;
	if (p && (err = load_model(in, p)))
		goto fail;
	free(p);
	p = NULL;
	if ((err = optional_path(dir, "users.csv", &in->users_path)) ||
	    (err = user_key_name(in)) ||
	    (err = optional_path(dir, "predictions.csv", &in->pred_path)) ||
	    (err = load_optional(&in->metrics, dir, "metrics.csv")) ||
	    (err = load_optional(&in->summary, dir, "train.summary.csv")) ||
	    (err = load_optional(&in->extract, dir, "extract.stats.csv")) ||
	    (err = load_optional(&in->join, dir, "join.stats.csv")) ||
	    (err = load_optional(&in->filter, dir, "filter.stats.csv")))
		goto fail;
	return 0;
fail:
	free(p);
	rep_in_free(in);
	return err;
}

void rep_in_free(struct rep_in *in)
{
	if (in->g.f.base)
		glr_close(&in->g);
	glm_free(&in->model);
	buf_free(&in->items.text);
	free(in->items.key_off);
	free(in->items.title_off);
	free(in->users_path);
	free(in->pred_path);
	csvtab_free(&in->metrics);
	csvtab_free(&in->summary);
	csvtab_free(&in->extract);
	csvtab_free(&in->join);
	csvtab_free(&in->filter);
	free(in->dir);
	memset(in, 0, sizeof *in);
}

const char *rep_item_key(const struct rep_in *in, uint64_t i)
{
	const struct rep_items *it = &in->items;
	if (i >= it->n || it->key_off[i] == NO_OFF)
		return "";
	return it->text.p + it->key_off[i];
}

const char *rep_item_title(const struct rep_in *in, uint64_t i)
{
	const struct rep_items *it = &in->items;
	if (i >= it->n || it->title_off[i] == NO_OFF)
		return NULL;
	return it->text.p + it->title_off[i];
}

int rep_item_label(const struct rep_in *in, uint64_t i, struct buf *b)
{
	const char *t = rep_item_title(in, i), *k = rep_item_key(in, i);
	buf_clear(b);
	if (t)
		return buf_adds(b, t);
	if (*k)
		return buf_printf(b, "%s %s", in->items.key_name, k);
	return buf_printf(b, "item %" PRIu64, (uint64_t)i);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

int rep_user_keys(const struct rep_in *in, const uint32_t *ids, size_t n, char **keys)
{
	struct csvr *r = NULL;
	struct csvr_rec rec;
	uint32_t *sorted = NULL;
	int err, got;
	for (size_t j = 0; j < n; j++)
		keys[j] = NULL;
	if (!in->users_path || !n)
		return 0;
	if (!(sorted = malloc(n * sizeof *sorted))) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	memcpy(sorted, ids, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_u32);
	if ((err = csvr_open(&r, in->users_path, NULL)))
		goto fail;
	/* The header is user,user_id; a file without rows simply finds nobody. */
	got = csvr_next(r, &rec);
	while (got > 0 && (got = csvr_next(r, &rec)) > 0) {
		uint64_t id;
		uint32_t key32;
		if (rec.too_long || rec.n < 2 || parse_id(rec.f[0], UINT32_MAX, &id))
			continue;
		key32 = (uint32_t)id;
		if (!bsearch(&key32, sorted, n, sizeof *sorted, cmp_u32))
			continue;
		for (size_t j = 0; j < n; j++)
			if (ids[j] == key32 && !keys[j] && !(keys[j] = strdup(rec.f[1]))) {
				log_error("out of memory");
				err = GL_ENOMEM;
				goto fail;
			}
	}
	err = got < 0 ? got : 0;
	if (err)
		goto fail;
	csvr_close(r);
	free(sorted);
	return 0;
fail:
	csvr_close(r);
	free(sorted);
	for (size_t j = 0; j < n; j++) {
		free(keys[j]);
		keys[j] = NULL;
	}
	return err;
}
