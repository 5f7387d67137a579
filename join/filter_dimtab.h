/* filter_dimtab.h - users.csv and items.csv for the filtered ids.
 *
 * The source table (users.raw.csv, items.raw.csv or items.titled.csv) has
 * an id column (`user` or `item`) holding raw dense ids.  The output keeps
 * its columns in order with the id renumbered, rows in new-id order, and
 * appends n_ratings and mean_rating (computed on the filtered ratings,
 * train and valid together; a source column of either name is replaced).
 * Rows whose raw id did not survive are left out.  Rows come in any order:
 * while they come in new-id order each is written as it is read (a table
 * in raw id order, as extract writes them, streams through in constant
 * memory); from the first that comes before its turn on, the rest are held
 * in memory and written in id order at the end.  A surviving id without a
 * row is an error; a second row for an id is ignored with a warning.
 *
 * Without a source table the output is `<id>,raw_<id>,n_ratings,
 * mean_rating`.
 *
 * Grouped rows (--item-key work): the row of each new id comes from one
 * chosen raw id (rowmap), the other columns are reordered to `item,work_id,
 * ...` without the source key column, and a column `book_ids` (named
 * `<key>s`) lists the key of every raw id mapped to it (groupmap), '|'-
 * separated in raw id order.  A grouped table is read whole before it is
 * written: a row's keys can come from anywhere in the file.
 */
#ifndef GL_DIMTAB_H
#define GL_DIMTAB_H

#include <stdint.h>
#include <stdio.h>

struct dimtab_opts {
	const char *in;             /* source table, NULL = none */
	const char *idcol;          /* "user" or "item" */
	uint64_t n_raw;             /* source ids are below this */
	const uint32_t *rowmap;     /* raw id -> new id of the row it supplies, or UINT32_MAX;
				     * no two raw ids supply the same new id */
	uint64_t n_new;
	const uint32_t *cnt;        /* ratings per new id */
	const uint64_t *sum;        /* sum of rating bytes per new id */
	float scale;
	/* grouped tables only */
	const char *groupcol;       /* "work_id", or NULL for a plain table */
	const uint32_t *groupmap;   /* raw id -> new id it counts towards */
};

/* Write the table to fp (the caller's open output, committed by the
 * caller, so several outputs can appear together or not at all).  The
 * counts in o (cnt, sum) must be final.  0 or a gl_err (logged with file
 * and line); on failure fp may hold part of the table. */
int dimtab_write(const struct dimtab_opts *o, FILE *fp);

#endif
