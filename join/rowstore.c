#include "rowstore.h"

#include "bigmem.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

static size_t varint_len(size_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static char *varint_put(char *p, size_t v)
{
	while (v >= 0x80) {
		*p++ = (char)(0x80 | (v & 0x7f));
		v >>= 7;
	}
	*p++ = (char)v;
	return p;
}

static const char *varint_get(const char *p, size_t *v)
{
	size_t x = 0;
	int shift = 0;
	unsigned char c;
	do {
		c = (unsigned char)*p++;
		x |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	*v = x;
	return p;
}

/* Room for need bytes in the current block or a new one. */
static int room(struct rowstore *s, size_t need)
{
	if (need <= s->left)
		return 0;
	if (s->nblocks == s->blocks_cap) {
		size_t cap = s->blocks_cap ? 2 * s->blocks_cap : 16;
		char **b = realloc(s->blocks, cap * sizeof *b);
		if (!b)
			return GL_ENOMEM;
		s->blocks = b;
		size_t *z = realloc(s->bsize, cap * sizeof *z);
		if (!z)
			return GL_ENOMEM;
		s->bsize = z;
		s->blocks_cap = cap;
	}
	size_t block = s->nblocks < 6 ? ROWSTORE_FIRST << s->nblocks : ROWSTORE_BIG;
	if (block > ROWSTORE_BIG)
		block = ROWSTORE_BIG;
	size_t size = need > block ? need : block;
	/* big_alloc's small sizes come from calloc: plain malloc is enough */
	char *blk = size < BIGMEM_MIN ? malloc(size) : big_alloc(size);
	if (!blk)
		return GL_ENOMEM;
	s->bsize[s->nblocks] = size;
	s->blocks[s->nblocks++] = blk;
	s->at = blk;
	s->left = size;
	s->bytes += size;
	return 0;
}

int rowstore_add(struct rowstore *s, const char *const *f, const size_t *len, size_t nf)
{
	if (s->n == s->rows_cap) {
		uint64_t cap = s->rows_cap ? 2 * s->rows_cap : 1024;
		char **r = big_realloc(s->rows, s->rows_cap * sizeof *r, cap * sizeof *r);
		if (!r)
			return GL_ENOMEM;
		s->bytes += (cap - s->rows_cap) * sizeof *r;
		s->rows = r;
		s->rows_cap = cap;
	}
	size_t need = 0;
	for (size_t i = 0; i < nf; i++) {
		size_t l = len ? len[i] : strlen(f[i]);
		need += varint_len(l) + l;
	}
	if (room(s, need ? need : 1))
		return GL_ENOMEM;
	char *p = s->at;
	s->rows[s->n++] = p;
	for (size_t i = 0; i < nf; i++) {
		size_t l = len ? len[i] : strlen(f[i]);
		p = varint_put(p, l);
		memcpy(p, f[i], l);
		p += l;
	}
	s->left -= (size_t)(p - s->at);
	s->at = p;
	return 0;
}

void rowstore_get(const struct rowstore *s, uint64_t r, const char **f, size_t *len, size_t nf)
{
	const char *p = s->rows[r];
	for (size_t i = 0; i < nf; i++) {
		p = varint_get(p, &len[i]);
		f[i] = p;
		p += len[i];
	}
}

void rowstore_free(struct rowstore *s)
{
	for (size_t i = 0; i < s->nblocks; i++)
		big_free(s->blocks[i], s->bsize[i]);
	free(s->blocks);
	free(s->bsize);
	big_free(s->rows, s->rows_cap * sizeof *s->rows);
	memset(s, 0, sizeof *s);
}
