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

int jsonflat_scan_raw(const char *line, size_t len, const yajl_callbacks *cb,
		      jsonflat_raw_fn raw, void *ctx)
{
	const char *end = line + len, *p = skip_ws(line, end), *e;
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
			if (p < end && *p != ',' && *p != '}')
				p = skip_ws(p, end);
			if (p < end && *p == ',') {
				p = skip_ws(p + 1, end);
				continue;
			}
			if (p < end && *p == '}') {
				p++;
				break;
			}
			return 0;
		}
	}
	if (!cb->yajl_end_map(ctx))
		return 0;
	return skip_ws(p, end) == end;
}

int jsonflat_scan(const char *line, size_t len, const yajl_callbacks *cb, void *ctx)
{
	return jsonflat_scan_raw(line, len, cb, NULL, ctx);
}

/* ---- pieces for the nested fast path (extract_src_goodreads_meta.c) ------ */

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
