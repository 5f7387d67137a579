#include "recommend_itemtab.h"

#include "csvread.h"
#include "err.h"
#include "log.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* goodlens-filter --item-key work writes item,work_id,... and, just before
 * n_ratings, `<edition key>s` (join/filter_dimtab.h): keep that column and name
 * the editions' key. */
static void find_editions(struct itemtab *t)
{
	struct keytab *k = &t->k;
	t->s_editions = -1;
	if (strcmp(k->key_name, "work_id") != 0)
		return;
	for (int c = 1; c < k->nhead; c++) {
		const char *h = k->head[c - 1];
		size_t len = strlen(h);
		if (strcmp(k->head[c], "n_ratings") != 0 || len < 2 || h[len - 1] != 's' ||
		    len > sizeof t->edition_key)
			continue;
		memcpy(t->edition_key, h, len - 1);
		t->edition_key[len - 1] = 0;
		t->s_editions = keytab_keep(k, h);
	}
}

int itemtab_load(struct itemtab *t, const char *path, uint64_t n_items)
{
	memset(t, 0, sizeof *t);
	int err = keytab_open(&t->k, path, "item", n_items);
	if (err)
		return err;
	t->s_title = keytab_keep(&t->k, "title");
	t->s_count = keytab_keep(&t->k, "n_ratings");
	find_editions(t);
	if ((err = keytab_read(&t->k)))
		return err;
	if (!(t->count = calloc(n_items + 1, sizeof *t->count))) {
		log_error("out of memory reading %s", path);
		itemtab_free(t);
		return GL_ENOMEM;
	}
	for (uint64_t i = 0; i < n_items; i++) {
		const char *c = keytab_get(&t->k, i, t->s_count);
		t->count[i] = c ? strtoull(c, NULL, 10) : 0;
	}
	return 0;
}

void itemtab_free(struct itemtab *t)
{
	keytab_free(&t->k);
	free(t->count);
	memset(t, 0, sizeof *t);
}

const char *itemtab_key(const struct itemtab *t, uint32_t i)
{
	return keytab_key(&t->k, i);
}

const char *itemtab_title(const struct itemtab *t, uint32_t i)
{
	const char *s = keytab_get(&t->k, i, t->s_title);
	return s ? s : "";
}

/* 1 when key is one of the '|'-separated keys in list. */
static int in_list(const char *list, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = list; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && memcmp(p, key, n) == 0)
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

int itemtab_by_key(const struct itemtab *t, const char *key, uint32_t id[2], int *edition)
{
	uint32_t own = UINT32_MAX, ed = UINT32_MAX;
	if (keytab_find(&t->k, key, &own) != 0)
		own = UINT32_MAX;
	for (uint64_t i = 0; t->s_editions >= 0 && i < t->k.n && ed == UINT32_MAX; i++)
		if (in_list(keytab_get(&t->k, i, t->s_editions), key))
			ed = (uint32_t)i;
	*edition = own == UINT32_MAX && ed != UINT32_MAX;
	if (own != UINT32_MAX && ed != UINT32_MAX && own != ed) {
		id[0] = own;
		id[1] = ed;
		return -2;
	}
	id[0] = own != UINT32_MAX ? own : ed;
	return id[0] == UINT32_MAX ? -1 : 0;
}

/* Each row of the edition table: the keys[j] it names get the item of its
 * work. */
static void edition_row(const struct itemtab *t, const struct csvr_rec *rec, int ce, int cw,
			const char *const *keys, size_t n, uint32_t *ids)
{
	uint32_t work;
	if ((size_t)ce >= rec->n || (size_t)cw >= rec->n || !rec->f[cw][0])
		return;
	for (size_t j = 0; j < n; j++)
		if (ids[j] == UINT32_MAX && strcmp(rec->f[ce], keys[j]) == 0 &&
		    keytab_find(&t->k, rec->f[cw], &work) == 0) {
			ids[j] = work;
			log_info("%s %s is an edition of %s %s (item %u)", t->edition_key, keys[j],
				 t->k.key_name, rec->f[cw], work);
		}
}

int itemtab_by_edition_table(const struct itemtab *t, const char *path, const char *const *keys,
			     size_t n, uint32_t *ids)
{
	struct csvr *r;
	struct csvr_rec rec;
	if (!t->edition_key[0] || !n)
		return 0;
	int err = csvr_open(&r, path, NULL), rc;
	if (err)
		return err;
	rc = csvr_next(r, &rec);
	int ce = rc > 0 ? csvr_find(&rec, t->edition_key) : -1;
	int cw = rc > 0 ? csvr_find(&rec, t->k.key_name) : -1;
	if (ce < 0 || cw < 0) {
		log_debug("%s has no %s and %s columns: editions not looked up there", path,
			  t->edition_key, t->k.key_name);
		csvr_close(r);
		return rc < 0 ? rc : 0;
	}
	while ((rc = csvr_next(r, &rec)) > 0)
		if (!rec.too_long)
			edition_row(t, &rec, ce, cw, keys, n, ids);
	csvr_close(r);
	return rc < 0 ? rc : 0;
}

static int contains_fold(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t j = 0;
		while (j < n && hay[j] && tolower((unsigned char)hay[j]) == tolower((unsigned char)needle[j]))
			j++;
		if (j == n)
			return 1;
	}
	return n == 0;
}

int itemtab_by_title(const struct itemtab *t, const char *text, uint32_t *id, uint64_t *matches)
{
	int found = -1;
	*matches = 0;
	for (uint64_t i = 0; i < t->k.n; i++) {
		const char *title = keytab_get(&t->k, i, t->s_title);
		if (!title || !contains_fold(title, text))
			continue;
		(*matches)++;
		if (found < 0 || t->count[i] > t->count[*id]) {
			*id = (uint32_t)i;
			found = 0;
		}
	}
	return found;
}
