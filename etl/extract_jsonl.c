#include "extract_jsonl.h"

#include "err.h"
#include "log.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

static int make(struct jsonl *j)
{
	j->h = yajl_alloc(j->cb, NULL, j->ctx);
	if (!j->h) {
		log_error("out of memory starting the JSON parser");
		return GL_ENOMEM;
	}
	yajl_config(j->h, yajl_allow_multiple_values, 1);
	yajl_config(j->h, yajl_dont_validate_strings, 1);
	return 0;
}

int jsonl_init(struct jsonl *j, const yajl_callbacks *cb, void *ctx)
{
	j->cb = cb;
	j->ctx = ctx;
	return make(j);
}

int jsonl_reset(struct jsonl *j)
{
	yajl_free(j->h);
	return make(j);
}

void jsonl_free(struct jsonl *j)
{
	if (j->h)
		yajl_free(j->h);
	j->h = NULL;
}

/* yajl's verbose-free message is "parse error: <what>\n" plus spaces. */
static void reason(struct jsonl *j, const char *line, size_t len, yajl_status st, char *msg,
		   size_t cap)
{
	if (st == yajl_status_client_canceled) {
		snprintf(msg, cap, "not one JSON object");
		return;
	}
	unsigned char *e = yajl_get_error(j->h, 0, (const unsigned char *)line, len);
	const char *t = e ? (const char *)e : "invalid JSON";
	if (strncmp(t, "parse error: ", 13) == 0)
		t += 13;
	snprintf(msg, cap, "invalid JSON: %s", t);
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == ' ' || msg[n - 1] == '.'))
		msg[--n] = 0;
	if (e)
		yajl_free_error(j->h, e);
}

int jsonl_feed(struct jsonl *j, const char *line, size_t len, char *msg, size_t cap)
{
	yajl_status st = yajl_parse(j->h, (const unsigned char *)line, len);
	if (st == yajl_status_ok)
		st = yajl_parse(j->h, (const unsigned char *)" ", 1);
	if (st == yajl_status_ok)
		return 0;
	if (msg)
		reason(j, line, len, st, msg, cap);
	return jsonl_reset(j) ? GL_ENOMEM : -1;
}

int jsonl_blank(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return 0;
	return 1;
}

static int hex4(const char *s, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
		if (d == 16)
			return 0;
		*v = *v << 4 | d;
	}
	return 1;
}

size_t jsonl_fix_escapes(char *line, size_t len)
{
	size_t fixed = 0;
	char *p = line, *end = line + len;
	while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		if (end - p < 6 || p[1] != 'u') {
			p += 2; /* any other escape, "\\" included, is two bytes */
			if (p > end)
				break;
			continue;
		}
		unsigned v, w;
		if (!hex4(p + 2, &v)) {
			p += 2;
			continue;
		}
		int bad = v == 0 || (v >= 0xdc00 && v <= 0xdfff);
		if (v >= 0xd800 && v <= 0xdbff) {
			int pair = end - p >= 12 && p[6] == '\\' && p[7] == 'u' && hex4(p + 8, &w) &&
				   w >= 0xdc00 && w <= 0xdfff;
			if (pair) {
				p += 12;
				continue;
			}
			bad = 1;
		}
		if (bad) {
			memcpy(p + 2, "fffd", 4);
			fixed++;
		}
		p += 6;
	}
	return fixed;
}

int jsonl_verdict(struct jsonl *j, int failed, int depth, int objects, const char *line,
		  size_t len, char *why, size_t cap)
{
	if (failed)
		return JL_BAD;
	if (objects == 0 && depth == 0 && jsonl_blank(line, len))
		return JL_BLANK;
	if (depth == 0 && objects != 0)
		return JL_OK;
	snprintf(why, cap, "invalid JSON: %s",
		 depth ? "the object is not closed" : "no complete value (a string left open?)");
	return jsonl_reset(j) ? GL_ENOMEM : JL_BAD;
}

int jsonl_decode(const char *s, size_t len, struct buf *out)
{
	/* decoding never makes text longer: reserve once */
	if (buf_reserve(out, len))
		return GL_ENOMEM;
	char *d = out->p + out->len;
	const char *end = s + len;
	while (s < end) {
		const char *b = memchr(s, '\\', (size_t)(end - s));
		size_t n = (size_t)((b ? b : end) - s);
		memcpy(d, s, n);
		d += n;
		if (!b)
			break;
		if (end - b < 2)
			return -1;
		s = b + 2;
		switch (b[1]) {
		case '"': *d++ = '"'; continue;
		case '\\': *d++ = '\\'; continue;
		case '/': *d++ = '/'; continue;
		case 'b': *d++ = '\b'; continue;
		case 'f': *d++ = '\f'; continue;
		case 'n': *d++ = '\n'; continue;
		case 'r': *d++ = '\r'; continue;
		case 't': *d++ = '\t'; continue;
		case 'u': break;
		default: return -1; /* the lexer refuses it */
		}
		unsigned c, lo;
		if (end - b < 6 || !hex4(b + 2, &c) || c == 0 || (c >= 0xdc00 && c <= 0xdfff))
			return -1;
		s = b + 6;
		if (c >= 0xd800 && c <= 0xdbff) {
			if (end - s < 6 || s[0] != '\\' || s[1] != 'u' || !hex4(s + 2, &lo) ||
			    lo < 0xdc00 || lo > 0xdfff)
				return -1;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			s += 6;
		}
		d += utf8_put(c, d);
	}
	out->len = (size_t)(d - out->p);
	out->p[out->len] = 0;
	return 0;
}
