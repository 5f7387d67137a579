#include "extract_jsonflat.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* After a member's value at p: past the ',' with *more set, past the
 * closing '}' with *more clear, or NULL when neither follows. */
static inline __attribute__((always_inline)) const char *member_end(const char *p, const char *end,
								    int *more)
{
	if (p < end && *p != ',' && *p != '}')
		p = skip_ws(p, end);
	*more = p < end && *p == ',';
	if (*more)
		return skip_ws(p + 1, end);
	return p < end && *p == '}' ? p + 1 : NULL;
}

/* The escape at p (p[0] == '\\'): its end, or NULL unless yajl's lexer
 * accepts it (one of \" \\ \/ \b \f \n \r \t, or \u and four hex digits). */
static const char *escape_end(const char *p, const char *end)
{
	if (end - p < 2)
		return NULL;
	switch (p[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': return p + 2;
	case 'u':
		if (end - p < 6)
			return NULL;
		for (int i = 2; i < 6; i++) {
			char c = p[i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
				return NULL;
		}
		return p + 6;
	default: return NULL;
	}
}

/* The closing quote of a string whose text starts at p, or NULL when the
 * string holds a control character, an escape yajl rejects, or never
 * closes.  *esc is set when it holds an escape. */
static inline __attribute__((always_inline)) const char *string_end(const char *p, const char *end,
								  int *esc)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(0x1f);
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)p);
		/* unsigned c <= 0x1f  <=>  min(c, 0x1f) == c */
		__m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v);
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
							_mm_cmpeq_epi8(v, bslash)), low);
		int m = _mm_movemask_epi8(hit);
		if (m) { /* the first byte that is not plain text decides */
			const char *h = p + __builtin_ctz((unsigned)m);
			if (*h == '"')
				return h;
			if (*h != '\\')
				return NULL;
			*esc = 1;
			if (!(p = escape_end(h, end)))
				return NULL;
			continue;
		}
		p += 16;
	}
#endif
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p;
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			*esc = 1;
			if (!(p = escape_end(p, end)))
				return NULL;
			continue;
		}
		p++;
	}
	return NULL;
}

static int digit(const char *p, const char *end) { return p < end && *p >= '0' && *p <= '9'; }

/* End of a JSON number starting at p, or NULL. */
static const char *number_end(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (!digit(p, end))
		return NULL;
	if (*p == '0')
		p++;
	else
		while (digit(p, end))
			p++;
	if (p < end && *p == '.') {
		if (!digit(++p, end))
			return NULL;
		while (digit(p, end))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!digit(p, end))
			return NULL;
		while (digit(p, end))
			p++;
	}
	return p;
}

static int word(const char *p, const char *end, const char *w, size_t n)
{
	return (size_t)(end - p) >= n && memcmp(p, w, n) == 0;
}

/* One scalar value at p: call its callback, return the end, or NULL. */
static const char *value(const char *p, const char *end, const yajl_callbacks *cb,
			 jsonflat_raw_fn raw, void *ctx)
{
	const char *e;
	int esc = 0;
	if (p >= end)
		return NULL;
	switch (*p) {
	case '"':
		if (!(e = string_end(p + 1, end, &esc)))
			return NULL;
		if (esc && !raw)
			return NULL;
		return (esc ? raw : cb->yajl_string)(ctx, (const unsigned char *)p + 1,
						     (size_t)(e - p - 1)) ? e + 1 : NULL;
	case 't': return word(p, end, "true", 4) && cb->yajl_boolean(ctx, 1) ? p + 4 : NULL;
	case 'f': return word(p, end, "false", 5) && cb->yajl_boolean(ctx, 0) ? p + 5 : NULL;
	case 'n': return word(p, end, "null", 4) && cb->yajl_null(ctx) ? p + 4 : NULL;
	default:
		if (!(e = number_end(p, end)))
			return NULL;
		/* yajl ends a number only at a byte that cannot continue it */
		if (e < end && (*e == '.' || *e == 'e' || *e == 'E' || *e == '-' || *e == '+'))
			return NULL;
		return cb->yajl_number(ctx, p, (size_t)(e - p)) ? e : NULL;
	}
}

/* The walk that finds each string's end as it comes (string_end). */
static int scan_stream(const char *line, size_t len, const yajl_callbacks *cb,
		       jsonflat_raw_fn raw, void *ctx)
{
	const char *end = line + len, *p = skip_ws(line, end), *e;
	int more;
	if (p >= end || *p != '{' || !cb->yajl_start_map(ctx))
		return 0;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}') {
		p++;
	} else {
		for (;;) {
			int esc = 0;
			if (p >= end || *p != '"' || !(e = string_end(p + 1, end, &esc)) || esc)
				return 0;
			if (!cb->yajl_map_key(ctx, (const unsigned char *)p + 1, (size_t)(e - p - 1)))
				return 0;
			p = e + 1;
			if (p < end && *p != ':')
				p = skip_ws(p, end);
			if (p >= end || *p != ':')
				return 0;
			if (!(p = value(skip_ws(p + 1, end), end, cb, raw, ctx)))
				return 0;
			if (!(p = member_end(p, end, &more)))
				return 0;
			if (!more)
				break;
		}
	}
	return cb->yajl_end_map(ctx) && skip_ws(p, end) == end;
}

/* ---- the walk over a line's quote positions --------------------------------
 *
 * string_end finds one string's end at a time, and where the next token
 * starts waits for it: a chain of vector compare, mask, bit scan and load
 * per string, about twenty strings on an interactions line.  For a line
 * without a backslash the strings are exactly the spans between quotes, so
 * the quotes are found first, 64 bytes at a time into a list of positions,
 * and the walk takes each string's end from the list: the loads no longer
 * wait for one another.  A control character inside a string shows in the
 * same pass (the bits between paired quotes); a line with a backslash, or
 * longer than MASK_MAX, goes to scan_stream.
 */

#define MASK_MAX JSONFLAT_QUOTES_MAX /* bytes of a line the quote list covers */

/* Quote, backslash and control-character (< 0x20) bits of 64 bytes. */
struct masks {
	uint64_t quote, bslash, ctl;
};

static void masks_scalar(const unsigned char *b, struct masks *m)
{
	uint64_t q = 0, bs = 0, c = 0;
	for (int i = 0; i < 64; i++) {
		q |= (uint64_t)(b[i] == '"') << i;
		bs |= (uint64_t)(b[i] == '\\') << i;
		c |= (uint64_t)(b[i] < 0x20) << i;
	}
	*m = (struct masks){q, bs, c};
}

#ifdef __SSE2__
static inline __attribute__((always_inline)) void masks_sse2(const unsigned char *b,
							    struct masks *m)
{
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(0x1f);
	uint64_t q = 0, bs = 0, c = 0;
	for (int i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(b + 16 * i));
		q |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << (16 * i);
		bs |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, bslash)) << (16 * i);
		/* unsigned c <= 0x1f  <=>  min(c, 0x1f) == c */
		c |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v))
		     << (16 * i);
	}
	*m = (struct masks){q, bs, c};
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_WIDE 1

/* The same with one or two loads: the machines that have them */
__attribute__((target("avx2"), always_inline)) static inline void masks_avx2(const unsigned char *b, struct masks *m)
{
	const __m256i quote = _mm256_set1_epi8('"'), bslash = _mm256_set1_epi8('\\');
	const __m256i ctl = _mm256_set1_epi8(0x1f);
	__m256i v0 = _mm256_loadu_si256((const __m256i *)b);
	__m256i v1 = _mm256_loadu_si256((const __m256i *)(b + 32));
#define M2(x) ((uint64_t)(uint32_t)_mm256_movemask_epi8(x))
	m->quote = M2(_mm256_cmpeq_epi8(v0, quote)) | M2(_mm256_cmpeq_epi8(v1, quote)) << 32;
	m->bslash = M2(_mm256_cmpeq_epi8(v0, bslash)) | M2(_mm256_cmpeq_epi8(v1, bslash)) << 32;
	m->ctl = M2(_mm256_cmpeq_epi8(_mm256_min_epu8(v0, ctl), v0)) |
		 M2(_mm256_cmpeq_epi8(_mm256_min_epu8(v1, ctl), v1)) << 32;
#undef M2
}

__attribute__((target("avx512bw"), always_inline)) static inline void masks_avx512(const unsigned char *b,
							     struct masks *m)
{
	__m512i v = _mm512_loadu_si512((const void *)b);
	m->quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
	m->bslash = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\'));
	m->ctl = _mm512_cmplt_epu8_mask(v, _mm512_set1_epi8(0x20));
}
#endif

/* Bit i set when an odd number of bits 0..i of x are. */
static uint64_t prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* The c positions of the bits of x, plus at, into o[0..c), and scratch
 * after them up to o[8] (q has room): eight written whether there are or
 * not, as a loop to the last quote would end in a mispredicted branch in
 * every block. */
#define POSITIONS_CTZ(x0, at, o, c)                                                 \
	do {                                                                        \
		uint64_t x_ = (x0);                                                 \
		for (int i_ = 0; i_ < 8; i_++) {                                    \
			(o)[i_] = (uint16_t)((at) + (size_t)__builtin_ctzll(x_ | 1ull << 63)); \
			x_ &= x_ - 1;                                               \
		}                                                                   \
		for (int i_ = 8; i_ < (c); i_++) {                                  \
			(o)[i_] = (uint16_t)((at) + (size_t)__builtin_ctzll(x_));   \
			x_ &= x_ - 1;                                               \
		}                                                                   \
	} while (0)

/* The positions of line's quotes into q: their number, or -1 when the line
 * holds a backslash (scan_stream's), -2 when a string holds a control
 * character (yajl refuses it).  A macro, so that each vector width gets its
 * own copy compiled for it (MASKS(b, &m) fills m from 64 bytes at b;
 * POSITIONS as POSITIONS_CTZ). */
#define QUOTES_BODY(MASKS, PREFIX_XOR, POSITIONS)                                   \
	unsigned char tail[64];                                                     \
	uint64_t inside = 0; /* all ones while a string runs past the block */      \
	uint64_t bad = 0, bs = 0;                                                   \
	long n = 0;                                                                 \
	for (size_t at = 0; at < len; at += 64) {                                   \
		const unsigned char *b = (const unsigned char *)line + at;          \
		unsigned shift = 0;                                                 \
		if (len - at < 64 && len >= 64) {                                   \
			/* the last 64 bytes, the ones seen already shifted out:    \
			 * a copy would stall the load on the stores */             \
			shift = (unsigned)(64 - (len - at));                        \
			b = (const unsigned char *)line + len - 64;                 \
		} else if (len - at < 64) { /* a short line, padded with spaces */  \
			memset(tail, ' ', sizeof tail);                             \
			memcpy(tail, b, len - at);                                  \
			b = tail;                                                   \
		}                                                                   \
		struct masks m;                                                     \
		MASKS(b, &m);                                                       \
		m.quote >>= shift;                                                  \
		m.bslash >>= shift;                                                 \
		m.ctl >>= shift;                                                    \
		/* from an opening quote up to its closing one */                   \
		uint64_t str = PREFIX_XOR(m.quote) ^ inside;                        \
		inside = (uint64_t)0 - (str >> 63);                                 \
		bad |= str & m.ctl;                                                 \
		bs |= m.bslash;                                                     \
		int c = __builtin_popcountll(m.quote);                              \
		POSITIONS(m.quote, at, q + n, c);                                   \
		n += c;                                                             \
	}                                                                           \
	return bs ? -1 : bad ? -2 : n;

static long quotes_scalar(const char *line, size_t len, uint16_t *q)
{
	QUOTES_BODY(masks_scalar, prefix_xor, POSITIONS_CTZ)
}
#ifdef __SSE2__
static long quotes_sse2(const char *line, size_t len, uint16_t *q)
{
	QUOTES_BODY(masks_sse2, prefix_xor, POSITIONS_CTZ)
}
#endif
#ifdef HAVE_WIDE
#define AVX2 __attribute__((target("avx2,popcnt,bmi,pclmul")))
#define AVX512 __attribute__((target("avx512bw,popcnt,bmi,pclmul")))
/* prefix_xor as one carry-less multiply by all ones (every machine with
 * AVX2 has it), not a chain of six dependent shifts and xors */
__attribute__((target("pclmul"), always_inline)) static inline uint64_t prefix_xor_clmul(uint64_t x)
{
	__m128i p = _mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)x), _mm_set1_epi8((char)0xff), 0);
	return (uint64_t)_mm_cvtsi128_si64(p);
}
AVX2 static long quotes_avx2(const char *line, size_t len, uint16_t *q)
{
	QUOTES_BODY(masks_avx2, prefix_xor_clmul, POSITIONS_CTZ)
}
AVX512 static long quotes_avx512(const char *line, size_t len, uint16_t *q)
{
	QUOTES_BODY(masks_avx512, prefix_xor_clmul, POSITIONS_CTZ)
}
#define VBMI2 __attribute__((target("avx512bw,avx512vbmi2,popcnt,bmi,pclmul")))
/* POSITIONS_CTZ in a few instructions: the bytes 0..63 compressed by the
 * mask give the bits' positions in order, widened to 16 bits and stored 16
 * at a time (a block seldom holds more), the first 16 always (q has room: a
 * line's quotes number at most its bytes, with 64 of slack). */
VBMI2 __attribute__((always_inline)) static inline void positions_vbmi2(uint64_t x, size_t at,
									uint16_t *o, int c)
{
	const __m512i iota = _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50,
					     49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36,
					     35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22,
					     21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7,
					     6, 5, 4, 3, 2, 1, 0);
	__m512i idx = _mm512_maskz_compress_epi8(x, iota);
	__m256i base = _mm256_set1_epi16((short)at);
	_mm256_storeu_si256((__m256i *)o,
			    _mm256_add_epi16(_mm256_cvtepu8_epi16(_mm512_castsi512_si128(idx)), base));
	if (c > 16)
		_mm256_storeu_si256((__m256i *)(o + 16),
				    _mm256_add_epi16(_mm256_cvtepu8_epi16(_mm512_extracti32x4_epi32(idx, 1)), base));
	if (c > 32)
		_mm256_storeu_si256((__m256i *)(o + 32),
				    _mm256_add_epi16(_mm256_cvtepu8_epi16(_mm512_extracti32x4_epi32(idx, 2)), base));
	if (c > 48)
		_mm256_storeu_si256((__m256i *)(o + 48),
				    _mm256_add_epi16(_mm256_cvtepu8_epi16(_mm512_extracti32x4_epi32(idx, 3)), base));
}
VBMI2 static long quotes_vbmi2(const char *line, size_t len, uint16_t *q)
{
	QUOTES_BODY(masks_avx512, prefix_xor_clmul, positions_vbmi2)
}
#endif

static long quotes(const char *line, size_t len, uint16_t *q, int path)
{
	switch (path) {
#ifdef HAVE_WIDE
	case JF_MASKS_VBMI2: return quotes_vbmi2(line, len, q);
	case JF_MASKS_AVX512: return quotes_avx512(line, len, q);
	case JF_MASKS_AVX2: return quotes_avx2(line, len, q);
#endif
#ifdef __SSE2__
	case JF_MASKS: return quotes_sse2(line, len, q);
#endif
	default: return quotes_scalar(line, len, q);
	}
}

/* scan_stream for a line of at most MASK_MAX bytes, its strings taken from
 * the quote list; -1 when the line is scan_stream's. */
static inline __attribute__((always_inline)) int scan_masks(const char *line, size_t len,
							    const yajl_callbacks *cb,
							    jsonflat_raw_fn raw, void *ctx,
							    int vec)
{
	uint16_t q[JSONFLAT_QUOTES_CAP];
	long nq = quotes(line, len, q, vec);
	if (nq == -1)
		return -1;
	if (nq < 0)
		return 0;
	/* Every quote before p is one of q[0..k): the walk between strings
	 * (whitespace, ':', ',', numbers, words) never passes one, so a quote
	 * at p is q[k]. */
	long k = 0;
	const char *end = line + len, *p = skip_ws(line, end), *s, *e;
	int more;
	if (p >= end || *p != '{' || !cb->yajl_start_map(ctx))
		return 0;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}') {
		p++;
	} else {
		for (;;) {
			if (k + 1 >= nq || p != line + q[k])
				return 0;
			s = line + q[k] + 1;
			e = line + q[k + 1];
			k += 2;
			if (!cb->yajl_map_key(ctx, (const unsigned char *)s, (size_t)(e - s)))
				return 0;
			p = e + 1;
			if (p < end && *p != ':')
				p = skip_ws(p, end);
			if (p >= end || *p != ':')
				return 0;
			p = skip_ws(p + 1, end);
			if (k + 1 < nq && p == line + q[k]) {
				s = line + q[k] + 1;
				e = line + q[k + 1];
				k += 2;
				if (!cb->yajl_string(ctx, (const unsigned char *)s, (size_t)(e - s)))
					return 0;
				p = e + 1;
			} else if (p < end && *p == '"') {
				return 0; /* a string that never closes */
			} else if (!(p = value(p, end, cb, raw, ctx))) {
				return 0;
			}
			if (!(p = member_end(p, end, &more)))
				return 0;
			if (!more)
				break;
		}
	}
	return cb->yajl_end_map(ctx) && skip_ws(p, end) == end;
}

/* The widest masks this machine has, or JF_STREAM without a vector unit. */
static int best_path(void)
{
#ifdef HAVE_WIDE
	if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2"))
		return JF_MASKS_VBMI2;
	if (__builtin_cpu_supports("avx512bw"))
		return JF_MASKS_AVX512;
	if (__builtin_cpu_supports("avx2"))
		return JF_MASKS_AVX2;
#endif
#ifdef __SSE2__
	return JF_MASKS;
#else
	return JF_STREAM;
#endif
}

int jsonflat_scan_path(const char *line, size_t len, const yajl_callbacks *cb,
		       jsonflat_raw_fn raw, void *ctx, int path)
{
	int rc = -1;
	if (path == JF_BEST)
		path = best_path();
#ifdef HAVE_WIDE
	if ((path == JF_MASKS_VBMI2 && !(__builtin_cpu_supports("avx512bw") &&
					 __builtin_cpu_supports("avx512vbmi2"))) ||
	    (path == JF_MASKS_AVX512 && !__builtin_cpu_supports("avx512bw")) ||
	    (path == JF_MASKS_AVX2 && !__builtin_cpu_supports("avx2")))
		path = JF_STREAM;
#else
	if (path == JF_MASKS_AVX2 || path == JF_MASKS_AVX512 || path == JF_MASKS_VBMI2)
		path = JF_STREAM;
#endif
#ifndef __SSE2__
	if (path == JF_MASKS)
		path = JF_STREAM;
#endif
	if (path != JF_STREAM && len <= MASK_MAX)
		rc = scan_masks(line, len, cb, raw, ctx, path);
	return rc >= 0 ? rc : scan_stream(line, len, cb, raw, ctx);
}

long jsonflat_quotes(const char *line, size_t len, uint16_t *q)
{
	if (len > JSONFLAT_QUOTES_MAX)
		return -3;
	return quotes(line, len, q, best_path());
}

int jsonflat_scan_raw(const char *line, size_t len, const yajl_callbacks *cb,
		      jsonflat_raw_fn raw, void *ctx)
{
	return jsonflat_scan_path(line, len, cb, raw, ctx, JF_BEST);
}

int jsonflat_scan(const char *line, size_t len, const yajl_callbacks *cb, void *ctx)
{
	return jsonflat_scan_raw(line, len, cb, NULL, ctx);
}

/* ---- pieces for the nested fast path (extract_src_goodreads_meta.c) ------ */

const char *jsonflat_member_end(const char *p, const char *end, int *more)
{
	return member_end(p, end, more);
}

const char *jsonflat_string_end(const char *p, const char *end, int *esc)
{
	return string_end(p, end, esc);
}

#define SKIP_MAX_DEPTH 64

const char *jsonflat_skip(const char *p, const char *end)
{
	uint64_t objects = 0; /* bit d: level d + 1 is an object (else an array) */
	int depth = 0, esc;
	const char *e;
	for (;;) {
		/* a value starts at p (after whitespace) */
		p = skip_ws(p, end);
		if (p >= end)
			return NULL;
		switch (*p) {
		case '{':
		case '[':
			if (depth == SKIP_MAX_DEPTH)
				return NULL;
			objects = objects << 1 | (*p == '{');
			depth++;
			p = skip_ws(p + 1, end);
			if (p < end && *p == (objects & 1 ? '}' : ']')) {
				p++;
				objects >>= 1;
				depth--;
				break;
			}
			if (objects & 1)
				goto key;
			continue;
		case '"':
			if (!(e = string_end(p + 1, end, &esc)))
				return NULL;
			p = e + 1;
			break;
		case 't': if (!word(p, end, "true", 4)) return NULL; p += 4; break;
		case 'f': if (!word(p, end, "false", 5)) return NULL; p += 5; break;
		case 'n': if (!word(p, end, "null", 4)) return NULL; p += 4; break;
		default:
			if (!(e = number_end(p, end)))
				return NULL;
			/* yajl ends a number only at a byte that cannot continue it */
			if (e < end && (*e == '.' || *e == 'e' || *e == 'E' || *e == '-' || *e == '+'))
				return NULL;
			p = e;
		}
		/* a value ended at p: close what it ends, go on after a comma */
		for (;;) {
			if (depth == 0)
				return p;
			p = skip_ws(p, end);
			if (p >= end)
				return NULL;
			if (*p != (objects & 1 ? '}' : ']'))
				break;
			p++;
			objects >>= 1;
			depth--;
		}
		if (*p != ',')
			return NULL;
		p++;
		if (!(objects & 1))
			continue;
	key:
		/* an object's key and its colon; the value follows */
		p = skip_ws(p, end);
		if (p >= end || *p != '"' || !(e = string_end(p + 1, end, &esc)))
			return NULL;
		p = skip_ws(e + 1, end);
		if (p >= end || *p != ':')
			return NULL;
		p++;
	}
}
