/* usort.h - sort 64-bit keys ascending, in place.
 *
 * The filter sorts packed keys (item << 32 | position, and the like) row by
 * row, millions of short arrays: a comparison callback per step (qsort)
 * would cost more than the sort.  Quicksort with median-of-three pivots,
 * insertion sort below 24 keys, and a heapsort fallback past a depth limit,
 * so no input is quadratic.
 */
#ifndef GL_USORT_H
#define GL_USORT_H

#include <stddef.h>
#include <stdint.h>

void usort_u64(uint64_t *a, size_t n);

/* The same result for keys whose low 32 bits already ascend (item << 32 |
 * position, gathered in position order): a stable sort on the high 32 bits
 * then orders the whole keys.  A radix sort by bytes of the high half
 * (skipping bytes every key shares) for long arrays, usort_u64 for short
 * ones.  tmp is scratch for n keys. */
void usort_u64_hi(uint64_t *a, uint64_t *tmp, size_t n);

#endif
