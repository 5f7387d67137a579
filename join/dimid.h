/* dimid.h - the dense id column of a dimension table (users.raw.csv's
 * `user`, items.raw.csv's `item`), read strictly.
 */
#ifndef GL_DIMID_H
#define GL_DIMID_H

#include "csvread.h"
#include "rowstore.h"

#include <stdint.h>

/* Parse field col of rec as an id below n: digits only, no sign or space.
 * 0 with *id set, or GL_EFORMAT logged as "path:line (byte N): ...". */
int dimid_parse(const char *path, const struct csvr_rec *rec, int col, uint64_t n, uint32_t *id);

/* Open path, read its header and find column name (and, when name2 is not
 * NULL, column name2; *col2 = -1 when absent).  0 or a gl_err (logged).
 * *r may be open after a failure too: the caller closes it (csvr_close
 * takes NULL). */
int dimid_open(struct csvr **r, struct csvr_rec *header, const char *path, const char *name,
	       int *col, const char *name2, int *col2);

/* Read one column of a dimension table by id: the column named col, or
 * with col NULL the first column that is not idcol (the source key).  Each
 * id below n with a row gets (*slot)[id] = its row in store (one field);
 * ids without a row get UINT32_MAX; a repeated id keeps its first row.
 * *name (may be NULL) receives the column's name (owned by the caller).
 * *slot is owned by the caller.  0 or a gl_err (logged). */
int dimid_column(const char *path, const char *idcol, const char *col, uint64_t n,
		 struct rowstore *store, uint32_t **slot, char **name);

#endif
