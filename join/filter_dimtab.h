/* filter_dimtab.h - users.csv and items.csv for the filtered ids.
 *
 * The source table (users.raw.csv, items.raw.csv or items.titled.csv) has
 * an id column (`user` or `item`) holding raw dense ids.  The output keeps
 * its columns in order with the id renumbered, rows in new-id order, and
 * appends n_ratings and mean_rating (computed on the filtered ratings,
 * train and valid together; a source column of either name is replaced).
 * Rows whose raw id did not survive are left out.  Rows come in any order;
 * the kept ones are held in memory until written.  A surviving id without
 * a row is an error; a second row for an id is ignored with a warning.
 *
 * Without a source table the output is `<id>,raw_<id>,n_ratings,
 * mean_rating`.
 *
 * Grouped rows (--item-key work): the row of each new id comes from one
 * chosen raw id (rowmap), the other columns are reordered to `item,work_id,
 * ...` without the source key column, and a column `book_ids` (named
 * `<key>s`) lists the key of every raw id mapped to it (groupmap), '|'-
 * separated in raw id order.
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
 * caller, so several outputs can appear together or not at all).  0 or a
 * gl_err (logged with file and line).  dimtab_load then dimtab_put. */
int dimtab_write(const struct dimtab_opts *o, FILE *fp);

/* The same in two steps, so the source table can be read (on another
 * thread) while the counts in o (cnt, sum) are still being made: load
 * reads the rows it will write, which needs only in, idcol, n_raw, rowmap,
 * n_new and the grouping; put writes them with the counts, which must be
 * final by then.  o must outlive d.  0 or a gl_err (logged); on failure
 * *d is NULL. */
struct dimtab;
int dimtab_load(struct dimtab **d, const struct dimtab_opts *o);
int dimtab_put(struct dimtab *d, FILE *fp);
void dimtab_free(struct dimtab *d);

#endif
