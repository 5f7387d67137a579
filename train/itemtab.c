#include "itemtab.h"

#include "cli.h"
#include "csvread.h"
#include "err.h"
#include "log.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

int itemtab_load(struct itemtab *t, const char *path, uint64_t n_items)
{
	struct csvr *r;
	struct csvr_rec rec;
	memset(t, 0, sizeof *t);
	int err = csvr_open(&r, path, NULL);
	if (err)
		return err;
	t->n = n_items;
	t->key = calloc(n_items + 1, sizeof *t->key);
	t->title = calloc(n_items + 1, sizeof *t->title);
	t->count = calloc(n_items + 1, sizeof *t->count);
	if (!t->key || !t->title || !t->count) {
		log_error("out of memory reading %s", path);
		err = GL_ENOMEM;
		goto done;
	}
	int rc = csvr_next(r, &rec);
	if (rc <= 0 || rec.too_long || csvr_find(&rec, "item") != 0 || rec.n < 2) {
		log_at(path, 1, LOG_NOPOS, "expected a header starting item,<key>");
		err = rc < 0 ? rc : GL_EFORMAT;
		goto done;
	}
	int c_title = csvr_find(&rec, "title"), c_count = csvr_find(&rec, "n_ratings");
	t->key_name = strdup(rec.f[1]);
	while ((rc = csvr_next(r, &rec)) == 1) {
		uint64_t id;
		if (rec.too_long || rec.n < 2 || cli_u64("item", rec.f[0], &id) || id >= n_items) {
			log_at(path, rec.lineno, rec.offset,
			       "not an item id of the model (0..%llu)", (unsigned long long)n_items - 1);
			err = GL_EFORMAT;
			goto done;
		}
		free(t->key[id]);
		free(t->title[id]);
		t->key[id] = dup_or_empty(rec.f[1]);
		t->title[id] = dup_or_empty(c_title >= 0 && (size_t)c_title < rec.n ? rec.f[c_title] : "");
		if (c_count >= 0 && (size_t)c_count < rec.n)
			t->count[id] = strtoull(rec.f[c_count], NULL, 10);
		if (!t->key[id] || !t->title[id]) {
			err = GL_ENOMEM;
			goto done;
		}
	}
	if (rc < 0)
		err = rc;
done:
	csvr_close(r);
	if (err)
		itemtab_free(t);
	return err;
}

void itemtab_free(struct itemtab *t)
{
	for (uint64_t i = 0; t->key && i < t->n; i++) {
		free(t->key[i]);
		free(t->title[i]);
	}
	free(t->key);
	free(t->title);
	free(t->count);
	free(t->key_name);
	memset(t, 0, sizeof *t);
}

int itemtab_by_key(const struct itemtab *t, const char *key, uint32_t *id)
{
	for (uint64_t i = 0; i < t->n; i++)
		if (t->key[i] && strcmp(t->key[i], key) == 0) {
			*id = (uint32_t)i;
			return 0;
		}
	return -1;
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
	for (uint64_t i = 0; i < t->n; i++) {
		if (!t->title[i] || !contains_fold(t->title[i], text))
			continue;
		(*matches)++;
		if (found < 0 || t->count[i] > t->count[*id]) {
			*id = (uint32_t)i;
			found = 0;
		}
	}
	return found;
}
