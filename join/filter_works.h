/* filter_works.h - editions merged into works (`goodlens-filter --item-key work`).
 *
 * The item table (items.titled.csv: items.raw.csv joined with books.csv)
 * names each raw item's work in its work_id column.  Works get dense ids in
 * the order of their first edition's raw item id, so the numbering keeps
 * the raw order.  An item whose work_id is empty, or that has no row in the
 * table, is a work of its own.
 */
#ifndef GL_WORKS_H
#define GL_WORKS_H

#include <stdint.h>

/* Read path's `item` and `work_id` columns and map each of the n_raw raw
 * items to a work: *imap (owned by the caller) and *n_works.  0 or a
 * gl_err (logged; a missing work_id column says how to get one). */
int works_load(const char *path, uint64_t n_raw, uint32_t **imap, uint64_t *n_works);

#endif
