#include "csvwrite.h"

#include "bigmem.h"
#include "err.h"

#include <math.h>

#include <stdlib.h>

void csvw_field(FILE *f, const char *s, size_t len)
{
	if (!csv_needs_quote(s, len)) {
		fwrite_unlocked(s, 1, len, f);
		return;
	}
	putc_unlocked('"', f);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			putc_unlocked('"', f);
		putc_unlocked(s[i], f);
	}
	putc_unlocked('"', f);
}

void csvw_str(FILE *f, const char *s) { csvw_field(f, s, strlen(s)); }

void csvw_row(FILE *f, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc_unlocked(',', f);
		csvw_str(f, fields[i]);
	}
	putc_unlocked('\n', f);
}

/* ---- in memory ------------------------------------------------------------ */

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
/* Non-zero when some byte of v is zero (exact as to whether, not which). */
#define HAS_ZERO(v) (((v) - ONES) & ~(v) & HIGHS)
#define HAS_BYTE(v, c) HAS_ZERO((v) ^ (ONES * (uint64_t)(unsigned char)(c)))

/* Whether any of the 8 bytes at s is a comma, a quote, CR or LF. */
static int special8(const char *s)
{
	uint64_t v;
	memcpy(&v, s, 8);
	return (HAS_BYTE(v, ',') | HAS_BYTE(v, '"') | HAS_BYTE(v, '\n') | HAS_BYTE(v, '\r')) != 0;
}

/* The same for 16 bytes. */
#ifdef __SSE2__
#include <emmintrin.h>
static int special16(const char *s)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i a = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
				 _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
	__m128i b = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
				 _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
	return _mm_movemask_epi8(_mm_or_si128(a, b)) != 0;
}
#else
static int special16(const char *s) { return special8(s) || special8(s + 8); }
#endif

/* Sixteen bytes at a time: titles are tens of bytes and most need no
 * quotes.  The last piece is a block that overlaps the one before (its
 * bytes are checked twice, none past s + len is read); fields shorter
 * than a block take two overlapping words, or a few bytes one by one. */
int csv_needs_quote(const char *s, size_t len)
{
	if (!len)
		return 0;
	if (s[0] == ' ' || s[len - 1] == ' ')
		return 1;
	if (len >= 16) {
		for (size_t i = 0; i + 16 <= len; i += 16)
			if (special16(s + i))
				return 1;
		return special16(s + len - 16);
	}
	if (len >= 8)
		return special8(s) || special8(s + len - 8);
	for (size_t i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

char *csvb_grow(struct csvb *b, size_t n)
{
	if (b->err)
		return NULL;
	if (b->cap - b->len >= n)
		return b->p + b->len;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap - b->len < n) {
		if (cap > (size_t)-1 / 4) {
			b->err = GL_ENOMEM;
			return NULL;
		}
		cap *= 2;
	}
	char *p = big_realloc(b->p, b->cap, cap);
	if (!p) {
		b->err = GL_ENOMEM;
		return NULL;
	}
	b->p = p;
	b->cap = cap;
	return p + b->len;
}

static const char digits2[201] = "00010203040506070809101112131415161718192021222324"
				 "25262728293031323334353637383940414243444546474849"
				 "50515253545556575859606162636465666768697071727374"
				 "75767778798081828384858687888990919293949596979899";

size_t csv_u64(char *out, uint64_t v)
{
	char tmp[20], *e = tmp + sizeof tmp, *q = e;
	while (v >= 100) {
		q -= 2;
		memcpy(q, digits2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, digits2 + 2 * v, 2);
	} else {
		*--q = (char)('0' + v);
	}
	memcpy(out, q, (size_t)(e - q));
	return (size_t)(e - q);
}

void csvb_fixed(struct csvb *b, double v, int decimals)
{
	static const uint32_t p10[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
					 100000000, 1000000000};
	if (decimals >= 0 && decimals <= 9 && v >= 0 && !signbit(v)) {
		/* y is v x 10^d within 2^-53 relative, under 5e-7 absolute below
		 * 2^32: it rounds as the exact value does unless that is near .5 */
		double y = v * p10[decimals];
		if (y < 4294967296.0) {
			double f = floor(y), frac = y - f;
			if (fabs(frac - 0.5) > 1e-6) {
				uint64_t n = (uint64_t)f + (frac > 0.5);
				char digits[24];
				size_t len = csv_u64(digits, n / p10[decimals]);
				if (decimals) {
					uint64_t r = n % p10[decimals];
					digits[len++] = '.';
					for (int i = decimals - 1; i >= 0; i--, r /= 10)
						digits[len + (size_t)i] = (char)('0' + r % 10);
					len += (size_t)decimals;
				}
				csvb_add(b, digits, len);
				return;
			}
		}
	}
	char text[400]; /* %.9f of DBL_MAX has 319 characters */
	int n = snprintf(text, sizeof text, "%.*f", decimals, v);
	csvb_add(b, text, n > 0 && n < (int)sizeof text ? (size_t)n : 0);
}

char *csv_put_field(char *d, const char *s, size_t len)
{
	if (!csv_needs_quote(s, len)) {
		memcpy(d, s, len);
		return d + len;
	}
	*d++ = '"';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			*d++ = '"';
		*d++ = s[i];
	}
	*d++ = '"';
	return d;
}

void csvb_field(struct csvb *b, const char *s, size_t len)
{
	char *d = csvb_room(b, 2 * len + 2); /* every byte a quote, at worst */
	if (d)
		b->len += (size_t)(csv_put_field(d, s, len) - d);
}

int csvb_write(struct csvb *b, FILE *f)
{
	if (b->err)
		return b->err;
	size_t n = b->len;
	b->len = 0;
	return n && fwrite_unlocked(b->p, 1, n, f) != n ? GL_EIO : 0;
}

void csvb_free(struct csvb *b)
{
	big_free(b->p, b->cap);
	memset(b, 0, sizeof *b);
}

void csv_gtab_init(struct csv_gtab *t, float scale, int wide)
{
	for (int v = 0; v < 256; v++) {
		double x = wide ? (double)v * scale : (double)((float)v * scale);
		int n = snprintf(t->s[v], sizeof t->s[v], "%g", x);
		t->len[v] = (uint8_t)(n > 0 && n < (int)sizeof t->s[v] ? n : 0);
	}
}
