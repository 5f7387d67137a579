#include "join_key.h"

#include "err.h"

#include <stdio.h>
#include <stdlib.h>

int joinkey_make(struct buf *b, char *const *f, const size_t *len, const int *cols, size_t n,
		 int empty_is_null, const char **key, size_t *klen)
{
	int null = 0;
	for (size_t i = 0; i < n; i++)
		null |= len[cols[i]] == 0;
	if (n == 1) {
		*key = f[cols[0]];
		*klen = len[cols[0]];
		return empty_is_null && null;
	}
	buf_clear(b);
	for (size_t i = 0; i < n; i++) {
		size_t l = len[cols[i]];
		if (buf_printf(b, "%zu:", l) || buf_add(b, f[cols[i]], l))
			return GL_ENOMEM;
	}
	*key = b->p;
	*klen = b->len;
	return empty_is_null && null;
}

int joinkey_show(struct buf *out, const char *key, size_t klen, size_t n)
{
	if (n == 1)
		return buf_add(out, key, klen);
	const char *p = key, *end = key + klen;
	for (size_t i = 0; i < n && p < end; i++) {
		char *colon;
		size_t l = (size_t)strtoull(p, &colon, 10);
		if (i && buf_addc(out, ','))
			return GL_ENOMEM;
		if (buf_add(out, colon + 1, l))
			return GL_ENOMEM;
		p = colon + 1 + l;
	}
	return 0;
}
