/* itemtab.h - items.csv (item,<key>,title,...) by dense item id, for
 * printing titles and finding items by key or by title.
 */
#ifndef GL_TRAIN_ITEMTAB_H
#define GL_TRAIN_ITEMTAB_H

#include <stdint.h>

struct itemtab {
	uint64_t n;         /* ids 0..n-1 (rows missing from the file stay empty) */
	char *key_name;     /* the second column's name, e.g. book_id */
	char **key, **title;
	uint64_t *count;    /* n_ratings column, 0 when absent */
};

/* Read path for n_items ids.  Rows whose item is out of range are an error.
 * 0, GL_EIO or GL_EFORMAT (logged with file and line). */
int itemtab_load(struct itemtab *t, const char *path, uint64_t n_items);
void itemtab_free(struct itemtab *t);

/* The item whose key is key: 0 and *id, or -1. */
int itemtab_by_key(const struct itemtab *t, const char *key, uint32_t *id);

/* The most-rated item whose title contains text (ASCII case folded); ties
 * go to the lower id.  0 and *id (and *matches: how many titles matched),
 * or -1 when none does. */
int itemtab_by_title(const struct itemtab *t, const char *text, uint32_t *id, uint64_t *matches);

#endif
