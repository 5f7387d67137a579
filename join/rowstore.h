/* rowstore.h - CSV rows held in memory, appended once, read many times.
 *
 * A row is its fields, each stored as a varint length and the bytes (no
 * terminator), packed into large blocks that never move: adding a row never
 * copies earlier rows, so peak memory is what is held plus one block, not
 * twice it as with a doubling buffer.  Rows are numbered from 0 in the order
 * they were added.  Used for the build side of a hash join and for the
 * dimension rows a filter keeps.
 *
 * Not thread-safe.  Zero-initialise (struct rowstore s = {0}) before use.
 */
#ifndef GL_ROWSTORE_H
#define GL_ROWSTORE_H

#include <stddef.h>
#include <stdint.h>

struct rowstore {
	char **blocks;     /* owned, each ROWSTORE_BLOCK bytes or one big row */
	size_t nblocks, blocks_cap;
	size_t left;       /* free bytes at the end of the last block */
	char *at;          /* where the next row goes */
	char **rows;       /* start of each row, owned */
	uint64_t n, rows_cap;
	uint64_t bytes;    /* memory held: blocks plus the row index */
};

#define ROWSTORE_BLOCK ((size_t)1 << 20)

/* Append a row of nf fields f[i] of len[i] bytes (len may be NULL: strlen).
 * 0 or GL_ENOMEM (nothing logged; the store keeps its earlier rows). */
int rowstore_add(struct rowstore *s, const char *const *f, const size_t *len, size_t nf);

/* Row r's first nf fields into f[] and len[] (pointers into the store,
 * valid until rowstore_free; not NUL-terminated).  r < s->n; nf must not
 * exceed the row's field count. */
void rowstore_get(const struct rowstore *s, uint64_t r, const char **f, size_t *len, size_t nf);

void rowstore_free(struct rowstore *s);

#endif
