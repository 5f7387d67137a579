/* join_buildtab.h - the build side of a hash join: rows in memory, indexed by key.
 *
 * Rows are kept in input order (rowstore.h).  Each distinct non-NULL key is a
 * group, numbered in order of first appearance (intern.h); a group's rows
 * form a chain in input order, so probing yields matches in input order.
 * Each group carries a matched flag the prober sets.
 *
 * Memory per row: its fields, 8 bytes of index, 8 of chain and group; per
 * group: the interned key and 9 bytes.  buildtab_memory() tells the total.
 */
#ifndef GL_BUILDTAB_H
#define GL_BUILDTAB_H

#include "intern.h"
#include "rowstore.h"

#include <stddef.h>
#include <stdint.h>

#define BT_NONE UINT32_MAX /* no row, or the group of a NULL-key row */

struct buildtab {
	struct rowstore rows;
	struct intern keys;     /* key -> group */
	uint32_t *head, *tail;  /* per group: first and last row */
	uint8_t *matched;       /* per group: set by the prober */
	uint64_t groups_cap;
	uint32_t *next;         /* per row: next row of the same group */
	uint32_t *grp;          /* per row: its group or BT_NONE */
	uint64_t rows_cap;
	uint64_t null_rows;     /* rows with a NULL key */
};

/* Start an empty table. */
void buildtab_init(struct buildtab *t);

/* Add a row of nf fields with key[0..klen) (null: the key is NULL and the
 * row joins nothing).  0, GL_ENOMEM or GL_ELIMIT (2^32 - 2 rows or groups);
 * nothing logged. */
int buildtab_add(struct buildtab *t, const char *key, size_t klen, int null,
		 char *const *f, const size_t *len, size_t nf);

/* The group of key, or BT_NONE. */
uint32_t buildtab_find(const struct buildtab *t, const char *key, size_t klen);

static inline uint32_t buildtab_groups(const struct buildtab *t) { return t->keys.n; }

/* Bytes of memory held. */
uint64_t buildtab_memory(const struct buildtab *t);

void buildtab_free(struct buildtab *t);

#endif
