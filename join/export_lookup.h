/* export_lookup.h - the rows of a CSV table whose key the caller wants.
 *
 * The caller names the keys it wants first (lookup_want), then streams a
 * table once (lookup_load): rows whose key column holds a wanted key keep
 * the named columns, the first such row per key; other rows cost nothing.
 * This is a semi-join with the wanted keys in memory, for picking the few
 * thousand metadata rows an export needs out of millions.
 */
#ifndef GL_LOOKUP_H
#define GL_LOOKUP_H

#include "intern.h"
#include "rowstore.h"

#include <stddef.h>
#include <stdint.h>

#define LOOKUP_NONE UINT32_MAX

struct lookup {
	struct intern keys;     /* wanted key -> slot */
	uint32_t *row;          /* slot -> row in rows, or LOOKUP_NONE */
	uint32_t *count;        /* slot -> rows of the table with that key */
	uint64_t cap;
	struct rowstore rows;   /* kept columns of the found rows */
	size_t ncols;
};

void lookup_init(struct lookup *l);

/* Want key[0..len) (empty keys are never wanted: *slot = LOOKUP_NONE).
 * *slot is its slot, the same for the same key.  0 or GL_ENOMEM. */
int lookup_want(struct lookup *l, const char *key, size_t len, uint32_t *slot);

/* Stream path: for rows whose column keycol holds a wanted key, count them
 * and keep columns cols[0..ncols) of the first.  A missing column is an
 * error.  0 or a gl_err (logged with file and line). */
int lookup_load(struct lookup *l, const char *path, const char *keycol, const char *const *cols,
		size_t ncols);

/* The kept columns of slot into f[] and len[] (not NUL-terminated); 0 when
 * the table had no row for it (f[] then hold empty strings), 1 when found. */
int lookup_get(const struct lookup *l, uint32_t slot, const char **f, size_t *len);

void lookup_free(struct lookup *l);

#endif
