/* buf.h - a growable byte buffer, always NUL-terminated.
 *
 * buf_* functions return 0 or GL_ENOMEM; on failure the buffer keeps what it
 * had.  Zero-initialise (struct buf b = {0}) before first use.
 */
#ifndef GL_BUF_H
#define GL_BUF_H

#include <stddef.h>

struct buf {
	char *p;    /* NUL-terminated once anything was added; may be NULL before */
	size_t len;
	size_t cap;
};

/* Make room for n more bytes plus the terminator. */
int buf_reserve(struct buf *b, size_t n);
int buf_add(struct buf *b, const void *data, size_t n);
int buf_addc(struct buf *b, char c);
int buf_adds(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void buf_clear(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}
void buf_free(struct buf *b);

#endif
