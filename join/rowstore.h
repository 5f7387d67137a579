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
	char **blocks;     /* owned, bsize[i] bytes each */
	size_t *bsize;
	size_t nblocks, blocks_cap;
	size_t left;       /* free bytes at the end of the last block */
	char *at;          /* where the next row goes */
	char **rows;       /* start of each row, owned */
	uint64_t n, rows_cap;
	uint64_t bytes;    /* memory held: blocks plus the row index */
};

/* Blocks and the row index come from big_alloc (lib/bigmem.h: huge
 * pages once a MiB or more), so a table of tens of megabytes costs a few
 * page faults instead of thousands, and reading its rows in random order
 * (a join's build side, the rows a filter writes in new-id order) misses
 * the TLB far less.  The first block is ROWSTORE_FIRST bytes and each next
 * one twice the last, up to ROWSTORE_BIG: a table of a few rows (most of
 * them) has no huge page cleared for it.  A row larger than the block gets
 * a block of its own. */
#define ROWSTORE_FIRST ((size_t)64 << 10)
#define ROWSTORE_BIG ((size_t)4 << 20)

/* Append a row of nf fields f[i] of len[i] bytes (len may be NULL: strlen).
 * 0 or GL_ENOMEM (nothing logged; the store keeps its earlier rows). */
int rowstore_add(struct rowstore *s, const char *const *f, const size_t *len, size_t nf);

/* Row r's first nf fields into f[] and len[] (pointers into the store,
 * valid until rowstore_free; not NUL-terminated).  r < s->n; nf must not
 * exceed the row's field count. */
void rowstore_get(const struct rowstore *s, uint64_t r, const char **f, size_t *len, size_t nf);

/* Ask the cache for the start of row r, which is about to be read (a hint:
 * nothing is read now). */
static inline void rowstore_prefetch(const struct rowstore *s, uint64_t r)
{
	__builtin_prefetch(s->rows[r]);
	__builtin_prefetch(s->rows[r] + 64);
}

/* The same for the index entry of row r (rowstore_prefetch reads it): a
 * caller that knows its rows far ahead asks for the index first. */
static inline void rowstore_prefetch_index(const struct rowstore *s, uint64_t r)
{
	__builtin_prefetch(&s->rows[r]);
}

void rowstore_free(struct rowstore *s);

#endif
