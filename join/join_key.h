/* join_key.h - the key of a CSV row: one column as it is, or several packed.
 *
 * A one-column key is the field's bytes themselves (no copy), so numeric
 * ids intern packed (intern.h).  A composite key is each column written as
 * its decimal length, ':' and its bytes, which no two different tuples share.
 * A key is NULL (matches nothing) when any of its columns is empty, unless
 * the caller treats empty as a value.
 */
#ifndef GL_JOINKEY_H
#define GL_JOINKEY_H

#include "buf.h"

#include <stddef.h>

/* The key of the row whose fields are f[], len[], on columns cols[0..n).
 * Sets *key and *klen (pointing into f or into scratch, valid until the next
 * call with the same scratch).  Returns 1 for a NULL key, 0 otherwise, or
 * GL_ENOMEM. */
int joinkey_make(struct buf *scratch, char *const *f, const size_t *len, const int *cols,
		 size_t n, int empty_is_null, const char **key, size_t *klen);

/* Append key (as made for n columns) to out for people: the columns joined
 * with ','.  0 or GL_ENOMEM. */
int joinkey_show(struct buf *out, const char *key, size_t klen, size_t n);

#endif
