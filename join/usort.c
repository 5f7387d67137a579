#include "usort.h"

#include <string.h>

static void insertion(uint64_t *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t v = a[i];
		size_t j = i;
		while (j > 0 && a[j - 1] > v) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

static void sift(uint64_t *a, size_t n, size_t i)
{
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[i] >= a[c])
			return;
		uint64_t t = a[i];
		a[i] = a[c];
		a[c] = t;
		i = c;
	}
}

static void heapsort_u64(uint64_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift(a, n, i);
	for (size_t end = n; end-- > 1;) {
		uint64_t t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift(a, end, 0);
	}
}

static uint64_t median3(uint64_t x, uint64_t y, uint64_t z)
{
	if (x > y) {
		uint64_t t = x;
		x = y;
		y = t;
	}
	return z < x ? x : z > y ? y : z;
}

static void quick(uint64_t *a, size_t n, int depth)
{
	while (n > 24) {
		if (depth-- == 0) {
			heapsort_u64(a, n);
			return;
		}
		uint64_t p = median3(a[0], a[n / 2], a[n - 1]);
		size_t i = 0, j = n - 1;
		for (;;) {
			while (a[i] < p)
				i++;
			while (a[j] > p)
				j--;
			if (i >= j)
				break;
			uint64_t t = a[i];
			a[i] = a[j];
			a[j] = t;
			i++;
			j--;
		}
		/* [0, j] <= p <= [j + 1, n): recurse on the smaller part. */
		size_t left = j + 1;
		if (left < n - left) {
			quick(a, left, depth);
			a += left;
			n -= left;
		} else {
			quick(a + left, n - left, depth);
			n = left;
		}
	}
	insertion(a, n);
}

void usort_u64(uint64_t *a, size_t n)
{
	int depth = 0;
	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	quick(a, n, depth);
}

/* Below this a row is sorted by comparisons: a radix pass costs its 256
 * counters whatever n is. */
#define RADIX_MIN 128

void usort_u64_hi(uint64_t *a, uint64_t *tmp, size_t n)
{
	if (n < RADIX_MIN || n > UINT32_MAX) { /* counts are 32-bit */
		usort_u64(a, n);
		return;
	}
	/* only the bytes some key sets: item ids are rarely above 2^24 */
	uint32_t any = 0;
	for (size_t i = 0; i < n; i++)
		any |= (uint32_t)(a[i] >> 32);
	int digits = 0;
	while (digits < 4 && any >> (8 * digits))
		digits++;
	uint32_t count[4][256];
	memset(count, 0, (size_t)digits * sizeof count[0]);
	for (size_t i = 0; i < n; i++)
		for (int d = 0; d < digits; d++)
			count[d][(a[i] >> (32 + 8 * d)) & 0xff]++;
	uint64_t *src = a, *dst = tmp;
	for (int d = 0; d < digits; d++) {
		uint32_t *c = count[d];
		unsigned shift = 32 + 8 * (unsigned)d;
		if (c[(src[0] >> shift) & 0xff] == n)
			continue; /* every key has this byte: nothing to move */
		uint32_t at = 0;
		for (int v = 0; v < 256; v++) {
			uint32_t m = c[v];
			c[v] = at;
			at += m;
		}
		for (size_t i = 0; i < n; i++)
			dst[c[(src[i] >> shift) & 0xff]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
}
