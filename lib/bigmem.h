/* bigmem.h - memory for large arrays read at random (hash tables, factor
 * matrices).
 *
 * Arrays of BIGMEM_MIN bytes or more are mapped 2 MiB-aligned and marked for
 * transparent huge pages: on the virtualised machines goodlens runs on, a
 * random access into a 64 MiB table costs about a third less that way
 * (bench: 370 -> 250 ns), because the TLB then covers the table.  Smaller
 * arrays come from malloc.  Memory is zeroed on allocation.  The caller
 * passes the size back on realloc and free: that is how the two kinds are
 * told apart.
 */
#ifndef GL_BIGMEM_H
#define GL_BIGMEM_H

#include <stddef.h>

#define BIGMEM_MIN ((size_t)4 << 20)

/* n zeroed bytes, or NULL. */
void *big_alloc(size_t n);
/* Grow or shrink p from old to n bytes; new bytes are zeroed.  NULL on
 * failure, with p still valid. */
void *big_realloc(void *p, size_t old, size_t n);
void big_free(void *p, size_t n);

#endif
