/* recommend_itemtab.h - items.csv (item,<key>,title,...) by dense item id, for
 * printing keys and titles and finding items by key or by title.
 *
 * On a work-keyed table (goodlens-filter --item-key work: the key column is
 * work_id and the column before n_ratings, `<edition key>s` such as
 * book_ids, lists every edition's key, '|'-separated) an item is found by
 * its work_id or by the key of any of its editions; a further table
 * holding both keys (the extract's books.csv: book_id,work_id,...) reaches
 * the editions nobody in the ratings rated.
 */
#ifndef GL_TRAIN_ITEMTAB_H
#define GL_TRAIN_ITEMTAB_H

#include "keytab.h"

#include <stdint.h>

struct itemtab {
	struct keytab k;       /* keys, and the kept columns below */
	int s_title, s_count, s_editions;  /* keytab slots, -1 when absent */
	char edition_key[GLM_KEYCOL_LEN];  /* the editions' key column (book_id), "" */
	uint64_t *count;       /* n_ratings column, 0 when absent */
};

/* Read path for n_items ids (keytab.h's rules).  0, GL_EIO or GL_EFORMAT
 * (logged with file and line). */
int itemtab_load(struct itemtab *t, const char *path, uint64_t n_items);
void itemtab_free(struct itemtab *t);

/* Item i's key ("" without a row) and title ("" without one). */
const char *itemtab_key(const struct itemtab *t, uint32_t i);
const char *itemtab_title(const struct itemtab *t, uint32_t i);

/* The item whose key, or one of whose editions' keys, is key.
 * 0 and *id (*edition = 1 when found as an edition's key); -1 when none
 * is; -2 when key is the key of one item and an edition of another (both
 * ids in id[0], id[1]: the caller says so rather than guess). */
int itemtab_by_key(const struct itemtab *t, const char *key, uint32_t id[2], int *edition);

/* For a work-keyed table: look the n keys up in the edition-key column of
 * the table at path (books.csv), and for each found whose work is an item
 * set ids[j] (others are left as they are: the caller fills them with
 * UINT32_MAX).  0 when the table lacks the two columns (nothing to do) or
 * was read; a gl_err (logged) when it cannot be read. */
int itemtab_by_edition_table(const struct itemtab *t, const char *path, const char *const *keys,
			     size_t n, uint32_t *ids);

/* The most-rated item whose title contains text (ASCII case folded); ties
 * go to the lower id.  0 and *id (and *matches: how many titles matched),
 * or -1 when none does. */
int itemtab_by_title(const struct itemtab *t, const char *text, uint32_t *id, uint64_t *matches);

#endif
