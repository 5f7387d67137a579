#include "utf8.h"

#include "err.h"

#include <stdint.h>
#include <string.h>

/* Length of the valid sequence at s (1-4), or 0 if invalid there. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
			return 0; /* overlong, or a surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
			return 0; /* overlong, or above U+10FFFF */
		return 4;
	}
	return 0;
}

/* Eight ASCII bytes, none of them NUL (most text): one test, not eight. */
static int ascii8(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return !(v & 0x8080808080808080ull) &&
	       !((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull);
}

size_t utf8_valid_prefix(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		while (i + 8 <= len && ascii8(u + i))
			i += 8;
		if (i >= len)
			break;
		if (u[i] >= 0x01 && u[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = seq_len(u + i, len - i);
		if (!k)
			break;
		i += k;
	}
	return i;
}

size_t utf8_put(unsigned cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* How many bytes of a cut or broken sequence to replace by one U+FFFD:
 * the lead byte plus the continuation bytes that could still belong to it. */
static size_t invalid_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t want = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 1;
	size_t i = 1;
	while (i < want && i < n && (s[i] & 0xc0) == 0x80) {
		/* the second byte's range decides for E0, ED, F0, F4 */
		if (i == 1 && ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0) ||
			       (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90)))
			break;
		i++;
	}
	return i;
}

long utf8_clean(const char *s, size_t len, int latin1, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	long replaced = 0;
	size_t i = 0;
	if (buf_reserve(out, latin1 ? 2 * len : len))
		return GL_ENOMEM;
	while (i < len) {
		size_t run = latin1 ? 0 : utf8_valid_prefix(s + i, len - i);
		if (latin1)
			while (i + run < len && u[i + run] >= 0x01 && u[i + run] < 0x80)
				run++;
		if (run && buf_add(out, s + i, run))
			return GL_ENOMEM;
		i += run;
		if (i >= len)
			break;
		char enc[4];
		size_t skip = 1, n;
		if (latin1 && u[i] != 0) {
			n = utf8_put(u[i], enc);
		} else {
			if (!latin1)
				skip = u[i] ? invalid_len(u + i, len - i) : 1;
			n = utf8_put(0xfffd, enc);
			replaced++;
		}
		if (buf_add(out, enc, n))
			return GL_ENOMEM;
		i += skip;
	}
	return replaced;
}
