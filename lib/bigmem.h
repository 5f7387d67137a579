/* bigmem.h - memory for large arrays and buffers (hash tables, factor
 * matrices, read and write buffers, growing row stores).
 *
 * Arrays of BIGMEM_MIN bytes or more are mapped 2 MiB-aligned and marked for
 * transparent huge pages.  On the virtualised machines goodlens runs on a
 * page fault costs about 10 us (a fresh 64 MiB touched page by page: 200
 * ms; on huge pages: 26 ms), and a random access into a 64 MiB table costs
 * about a third less (bench: 370 -> 250 ns), because the TLB then covers
 * the table.  A large array that grows is moved by the kernel (mremap), not
 * copied: its pages are not touched again.  Smaller arrays come from
 * malloc.  Memory is zeroed on allocation.  The caller passes the size back
 * on realloc and free: that is how the two kinds are told apart.  Builds
 * with AddressSanitizer take large arrays from posix_memalign (the same
 * alignment), where it sees their overruns.
 */
#ifndef GL_BIGMEM_H
#define GL_BIGMEM_H

#include <stddef.h>

#define BIGMEM_MIN ((size_t)1 << 20)

/* n zeroed bytes, or NULL. */
void *big_alloc(size_t n);
/* Grow or shrink p from old to n bytes; new bytes are zeroed.  NULL on
 * failure, with p still valid. */
void *big_realloc(void *p, size_t old, size_t n);
void big_free(void *p, size_t n);

#endif
