#include "bigmem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

/* AddressSanitizer sees overruns only in what malloc gives: its builds
 * (the test suite's second run) take large arrays from posix_memalign,
 * aligned the same, so that an overrun past n is caught there. */
#if defined(__SANITIZE_ADDRESS__)
#define CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHECKED 1
#endif
#endif
#ifndef CHECKED
#define CHECKED 0
#endif

static size_t round_up(size_t n) { return (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1); }

/* Map n bytes (a multiple of HUGE_PAGE) at a HUGE_PAGE boundary: map one
 * page more than needed and trim the ends. */
static void *map_aligned(size_t n)
{
	size_t span = n + HUGE_PAGE;
	char *m = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	char *p = (char *)(((size_t)m + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
	if (p > m)
		munmap(m, (size_t)(p - m));
	if (p + n < m + span)
		munmap(p + n, (size_t)(m + span - (p + n)));
	madvise(p, n, MADV_HUGEPAGE); /* advice only: a refusal costs nothing */
	return p;
}

void *big_alloc(size_t n)
{
	if (n < BIGMEM_MIN)
		return calloc(n ? n : 1, 1);
	if (CHECKED) {
		void *p;
		if (posix_memalign(&p, HUGE_PAGE, n) != 0)
			return NULL;
		return memset(p, 0, n);
	}
	return map_aligned(round_up(n));
}

void *big_realloc(void *p, size_t old, size_t n)
{
	if (!p)
		return big_alloc(n);
	if (old < BIGMEM_MIN && n < BIGMEM_MIN) {
		char *q = realloc(p, n ? n : 1);
		if (q && n > old)
			memset(q + old, 0, n - old);
		return q;
	}
	if (!CHECKED && old >= BIGMEM_MIN && n >= BIGMEM_MIN) {
		size_t ro = round_up(old), rn = round_up(n);
		if (n < old) /* kept zero for a later growth: "new bytes are zeroed" */
			memset((char *)p + n, 0, (old < rn ? old : rn) - n);
		if (rn == ro)
			return p;
		if (rn < ro) {
			munmap((char *)p + rn, ro - rn);
			return p;
		}
		/* Grown: the pages move into a fresh aligned span, so huge
		 * pages stay whole and none is copied or faulted again. */
		char *q = map_aligned(rn);
		if (!q)
			return NULL;
		if (mremap(p, ro, ro, MREMAP_MAYMOVE | MREMAP_FIXED, q) == MAP_FAILED) {
			big_free(q, rn);
			return NULL;
		}
		return q;
	}
	char *q = big_alloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	big_free(p, old);
	return q;
}

void big_free(void *p, size_t n)
{
	if (!p)
		return;
	if (n < BIGMEM_MIN || CHECKED)
		free(p);
	else
		munmap(p, round_up(n));
}
