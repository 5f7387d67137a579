#include "keytab.h"

#include "bigmem.h"
#include "csvread.h"
#include "err.h"
#include "log.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An off[] cell of an id without the field: offsets are stored + 1, so
 * that the zeroed memory big_alloc gives is "none" as it comes. */
#define NONE 0

/* Room for n more bytes of text: 0 or GL_ENOMEM. */
static int text_room(struct keytab *t, size_t n)
{
	if (t->text_cap - t->text_len >= n)
		return 0;
	size_t cap = t->text_cap ? t->text_cap : 4096;
	while (cap - t->text_len < n) {
		if (cap > SIZE_MAX / 4)
			return GL_ENOMEM;
		cap *= 2;
	}
	char *p = big_realloc(t->text, t->text_cap, cap);
	if (!p)
		return GL_ENOMEM;
	t->text = p;
	t->text_cap = cap;
	return 0;
}

static int open_header(struct keytab *t, const char *path, const char *idcol)
{
	struct csvr_rec h;
	int err = csvr_open(&t->r, path, NULL);
	if (err)
		return err;
	int rc = csvr_next(t->r, &h);
	if (rc < 0)
		return rc;
	if (rc == 0 || h.too_long || h.n < 2 || strcmp(h.f[0], idcol) != 0 || !h.f[1][0]) {
		log_at(path, 1, LOG_NOPOS, "expected a header starting %s,<key> (the table "
		       "goodlens-filter writes)", idcol);
		return GL_EFORMAT;
	}
	if (!(t->key_name = strdup(h.f[1])) || !(t->head = calloc(h.n, sizeof *t->head)))
		return GL_ENOMEM;
	for (size_t c = 0; c < h.n; c++, t->nhead++)
		if (!(t->head[c] = strdup(h.f[c])))
			return GL_ENOMEM;
	t->keep[t->nkeep++] = 1;
	return 0;
}

int keytab_open(struct keytab *t, const char *path, const char *idcol, uint64_t n)
{
	memset(t, 0, sizeof *t);
	t->n = n;
	int err = (t->path = strdup(path)) ? open_header(t, path, idcol) : GL_ENOMEM;
	if (err == GL_ENOMEM)
		log_error("out of memory reading %s", path);
	if (err)
		keytab_free(t);
	return err;
}

int keytab_keep(struct keytab *t, const char *name)
{
	if (t->nkeep > KEYTAB_MAX_KEEP)
		return -1;
	for (int c = 0; c < t->nhead; c++)
		if (strcmp(t->head[c], name) == 0) {
			t->keep[t->nkeep] = c;
			return t->nkeep++;
		}
	return -1;
}

int keytab_parse_id(const char *s, uint64_t limit, uint32_t *id)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno || v >= limit || v > UINT32_MAX)
		return -1;
	*id = (uint32_t)v;
	return 0;
}

static int read_row(struct keytab *t, const struct csvr_rec *rec)
{
	uint32_t id;
	if (rec->too_long) {
		log_at(t->path, rec->lineno, rec->offset, "record too long");
		return GL_EFORMAT;
	}
	if (rec->n < 2 || keytab_parse_id(rec->f[0], t->n, &id)) {
		log_at(t->path, rec->lineno, rec->offset,
		       "'%s' is not a %s id of the ratings file (0..%" PRIu64
		       "): is this table from "
		       "another run?",
		       rec->n ? rec->f[0] : "", t->head[0], (uint64_t)t->n - 1);
		return GL_EFORMAT;
	}
	uint64_t *o = t->off + (uint64_t)id * (uint64_t)t->nkeep;
	if (o[0] != NONE) {
		log_at(t->path, rec->lineno, rec->offset, "%s %u appears twice", t->head[0], id);
		return GL_EFORMAT;
	}
	for (int s = 0; s < t->nkeep; s++) {
		size_t c = (size_t)t->keep[s];
		if (c >= rec->n)
			continue;
		/* the field and its NUL (past a NUL inside, the text is not read) */
		size_t len = rec->len ? rec->len[c] : strlen(rec->f[c]);
		if (text_room(t, len + 1)) {
			log_error("out of memory reading %s", t->path);
			return GL_ENOMEM;
		}
		memcpy(t->text + t->text_len, rec->f[c], len + 1);
		o[s] = t->text_len + 1;
		t->text_len += len + 1;
	}
	t->rows++;
	return 0;
}

int keytab_read(struct keytab *t)
{
	struct csvr_rec rec;
	uint64_t cells = t->n * (uint64_t)t->nkeep;
	int rc, err = 0;
	/* the kept text is at most about the file: room for it at once (a
	 * gzip file or a pipe grows it as it comes) */
	struct stat st;
	size_t guess = stat(t->path, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 0;
	t->off_size = (cells ? cells : 1) * sizeof *t->off;
	t->off = big_alloc(t->off_size); /* zeroed: NONE */
	if (!t->off || text_room(t, guess)) {
		log_error("out of memory reading %s", t->path);
		keytab_free(t);
		return GL_ENOMEM;
	}
	while (!err && (rc = csvr_next(t->r, &rec)) > 0)
		err = read_row(t, &rec);
	if (!err && rc < 0)
		err = rc;
	csvr_close(t->r);
	t->r = NULL;
	if (err)
		keytab_free(t);
	return err;
}

int keytab_load(struct keytab *t, const char *path, const char *idcol, uint64_t n)
{
	int err = keytab_open(t, path, idcol, n);
	return err ? err : keytab_read(t);
}

int keytab_locate(const char *given, const char *beside, const char *name, char **path)
{
	*path = NULL;
	if (given) {
		*path = strdup(given);
	} else {
		const char *slash = strrchr(beside, '/');
		size_t dir = slash ? (size_t)(slash - beside) + 1 : 0;
		if ((*path = malloc(dir + strlen(name) + 1))) {
			memcpy(*path, beside, dir);
			strcpy(*path + dir, name);
			if (access(*path, F_OK) != 0) {
				free(*path);
				*path = NULL;
				return 0;
			}
		}
	}
	if (!*path) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	return 0;
}

int keytab_require_all(const struct keytab *t, const char *what, const char *of)
{
	if (t->rows == t->n)
		return 0;
	log_error("%s has %" PRIu64 " rows for the %" PRIu64
		  " %s of %s: it is another file's table (give the "
		  "one goodlens-filter wrote with it)",
		  t->path, (uint64_t)t->rows, (uint64_t)t->n, what, of);
	return GL_EFORMAT;
}

/* Each id's ratings in g: rows of users, or occurrences of items (counted
 * in 32 bits where they fit: the counters are hit at random, and half the
 * size stays in the cache). */
static uint64_t *g_counts(const struct glr *g, int users)
{
	uint64_t n = users ? g->n_users : g->n_items;
	uint64_t *c = calloc(n + 1, sizeof *c);
	for (uint64_t i = 0; c && users && i < n; i++)
		c[i] = g->rowptr[i + 1] - g->rowptr[i];
	if (!c || users)
		return c;
	uint32_t *c32 = g->n_ratings <= UINT32_MAX ? calloc(n + 1, sizeof *c32) : NULL;
	if (!c32) {
		for (uint64_t k = 0; k < g->n_ratings; k++)
			c[g->items[k]]++;
		return c;
	}
	for (uint64_t k = 0; k < g->n_ratings; k++)
		c32[g->items[k]]++;
	for (uint64_t i = 0; i < n; i++)
		c[i] = c32[i];
	free(c32);
	return c;
}

/* The items' counts, made while the table is read. */
struct counter {
	const struct glr *g;
	int users;
	uint64_t *c;
	pthread_t th;
	int started;
};

static void *count_main(void *arg)
{
	struct counter *k = arg;
	k->c = g_counts(k->g, k->users);
	return NULL;
}

/* Start counting (the users' counts are the row pointers' differences:
 * not worth a thread); counter_take gives the counts, NULL when out of
 * memory. */
static void counter_start(struct counter *k, const struct glr *g, int users)
{
	*k = (struct counter){.g = g, .users = users};
	if (!users)
		k->started = pthread_create(&k->th, NULL, count_main, k) == 0;
}

static uint64_t *counter_take(struct counter *k)
{
	if (k->started)
		pthread_join(k->th, NULL);
	else
		k->c = g_counts(k->g, k->users);
	k->started = 0;
	return k->c;
}

static int check_counts(const struct keytab *t, int slot, uint64_t *c, const char *g_path)
{
	int err = 0;
	if (!c) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	for (uint64_t i = 0; !err && i < t->n; i++) {
		const char *v = keytab_get(t, i, slot);
		if (v && *v && strtoull(v, NULL, 10) != c[i]) {
			log_error("%s: %s %" PRIu64 " has n_ratings %s but %s holds %" PRIu64
				  " of its ratings: it "
				  "is another file's table (give the one goodlens-filter wrote "
				  "with it)",
				  t->path, t->head[0], (uint64_t)i, v, g_path, (uint64_t)c[i]);
			err = GL_EFORMAT;
		}
	}
	return err;
}

int keytab_load_for(struct keytab *t, const char *path, const char *idcol, const struct glr *g,
		    const char *g_path, const char *keep, int *slot)
{
	int users = strcmp(idcol, "user") == 0;
	int err = keytab_open(t, path, idcol, users ? g->n_users : g->n_items);
	if (err)
		return err;
	int count = keytab_keep(t, "n_ratings");
	if (keep)
		*slot = keytab_keep(t, keep);
	struct counter k;
	if (count > 0)
		counter_start(&k, g, users);
	err = keytab_read(t);
	uint64_t *c = count > 0 ? counter_take(&k) : NULL;
	if (!err)
		err = keytab_require_all(t, users ? "users" : "items", g_path);
	if (!err && count > 0)
		err = check_counts(t, count, c, g_path);
	free(c);
	if (err)
		keytab_free(t);
	return err;
}

void keytab_free(struct keytab *t)
{
	csvr_close(t->r);
	for (int c = 0; t->head && c < t->nhead; c++)
		free(t->head[c]);
	free(t->head);
	free(t->key_name);
	free(t->path);
	big_free(t->off, t->off_size);
	big_free(t->text, t->text_cap);
	memset(t, 0, sizeof *t);
}

const char *keytab_get(const struct keytab *t, uint64_t id, int s)
{
	if (id >= t->n || s < 0 || s >= t->nkeep || !t->off)
		return NULL;
	uint64_t o = t->off[id * (uint64_t)t->nkeep + (uint64_t)s];
	return o == NONE ? NULL : t->text + o - 1;
}

const char *keytab_key(const struct keytab *t, uint64_t id)
{
	const char *k = keytab_get(t, id, 0);
	return k ? k : "";
}

int keytab_find(const struct keytab *t, const char *key, uint32_t *id)
{
	for (uint64_t i = 0; i < t->n; i++) {
		const char *k = keytab_get(t, i, 0);
		if (k && strcmp(k, key) == 0) {
			*id = (uint32_t)i;
			return 0;
		}
	}
	return -1;
}

static int is_integer(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1]))
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int keytab_keys_are_integers(const struct keytab *t)
{
	for (uint64_t i = 0; i < t->n; i++) {
		const char *k = keytab_get(t, i, 0);
		if (k && !is_integer(k))
			return 0;
	}
	return 1;
}

uint64_t keytab_fp_add(uint64_t fp, const char *key)
{
	for (const unsigned char *p = (const unsigned char *)(key ? key : ""); *p; p++)
		fp = (fp ^ *p) * 0x100000001b3ull;
	return (fp ^ 0xffu) * 0x100000001b3ull;
}

uint64_t keytab_fingerprint(const struct keytab *t)
{
	uint64_t fp = KEYTAB_FP_INIT;
	for (uint64_t i = 0; i < t->n; i++)
		fp = keytab_fp_add(fp, keytab_get(t, i, 0));
	return fp;
}

void keytab_glm_keys(const struct keytab *t, struct glm_keys *k)
{
	memset(k, 0, sizeof *k);
	snprintf(k->col, sizeof k->col, "%s", t->key_name);
	k->rows = t->rows;
	k->fp = keytab_fingerprint(t);
}

int keytab_check(const struct glm_keys *k, const char *model_path, const char *path,
		 const char *col, uint64_t rows, uint64_t fp, int *unchecked)
{
	*unchecked = !k->col[0];
	int same_col = strncmp(k->col, col, GLM_KEYCOL_LEN - 1) == 0;
	if (*unchecked || (same_col && k->rows == rows && k->fp == fp))
		return 0;
	const char *what = !same_col ? "another key column" :
			   k->rows != rows            ? "another number of rows" :
							"other keys";
	log_error("%s is not the table %s was trained with: it has %s (%" PRIu64 " rows of %s; the "
		  "model's had %" PRIu64 " rows of %s); give the one written beside the model's "
		  "ratings.glr",
		  path, model_path, what, (uint64_t)rows, col, (uint64_t)k->rows, k->col);
	return GL_EFORMAT;
}
