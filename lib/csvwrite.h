/* csvwrite.h - write CSV that pandas, fastai and SQLite read back exactly.
 *
 * A field is quoted when it holds the delimiter, a double quote, CR or LF,
 * or starts or ends with a space; quotes inside are doubled (RFC 4180).
 *
 * Two ways to write the same text:
 *
 *  - csvw_*: straight to a FILE.  Write errors are caught by outfile_commit
 *    (ferror), not here.  Writes use the unlocked stdio calls (a field costs
 *    no lock): a FILE written here must not be written by another thread at
 *    the same time.
 *  - csvb_*: into a buffer in memory, for the writers of millions of rows
 *    (exports, joins): no stdio call per field, numbers formatted without
 *    printf, and one buffer per thread when rows are formatted in parallel
 *    (parwrite.h).  The bytes are those csvw_* and printf would write.
 */
#ifndef GL_CSVWRITE_H
#define GL_CSVWRITE_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void csvw_field(FILE *f, const char *s, size_t len);
void csvw_str(FILE *f, const char *s);
/* A row of n NUL-terminated fields and the newline. */
void csvw_row(FILE *f, const char *const *fields, size_t n);

/* ---- in memory ------------------------------------------------------------ */

/* Text being built.  Zero-initialise before use.  An allocation failure is
 * sticky: err becomes GL_ENOMEM, later appends do nothing, and csvb_write
 * returns it, so callers check once per buffer, not once per field. */
struct csvb {
	char *p;
	size_t len, cap;
	int err;
};

/* Room for n more bytes: a pointer to the first, or NULL (err set). */
char *csvb_grow(struct csvb *b, size_t n);
static inline char *csvb_room(struct csvb *b, size_t n)
{
	return b->cap - b->len >= n ? b->p + b->len : csvb_grow(b, n);
}

static inline void csvb_add(struct csvb *b, const void *s, size_t len)
{
	char *d = csvb_room(b, len);
	if (d) {
		memcpy(d, s, len);
		b->len += len;
	}
}

static inline void csvb_byte(struct csvb *b, char c)
{
	char *d = csvb_room(b, 1);
	if (d) {
		*d = c;
		b->len++;
	}
}

/* v in decimal, as printf's %" PRIu64 " / %u: into out (20 bytes suffice),
 * returning the length, or appended to b. */
size_t csv_u64(char *out, uint64_t v);
static inline void csvb_u64(struct csvb *b, uint64_t v)
{
	char *d = csvb_room(b, 20);
	if (d)
		b->len += csv_u64(d, v);
}

/* v as printf's "%.<decimals>f" (decimals 0..9), in integer arithmetic for
 * the values tables hold (0 <= v, v x 10^decimals < 2^32, not within
 * 1e-6 of a rounding tie), through snprintf for the rest. */
void csvb_fixed(struct csvb *b, double v, int decimals);

/* A field, quoted when needed (as csvw_field). */
void csvb_field(struct csvb *b, const char *s, size_t len);

/* The same field written at d, which has room for 2 * len + 2 bytes (every
 * byte a quote): the end of what was written. */
char *csv_put_field(char *d, const char *s, size_t len);

/* 1 when csvw_field would quote s[0..len). */
int csv_needs_quote(const char *s, size_t len);

/* Write the bytes to f and empty the buffer (its memory is kept).  0,
 * GL_ENOMEM (an earlier append failed), or GL_EIO when fwrite fails.
 * Nothing is logged: after GL_EIO the FILE's error flag is set, and
 * outfile_flush or outfile_commit reports it with the file's name and the
 * cause, so a writer stops early and leaves the message to them. */
int csvb_write(struct csvb *b, FILE *f);

void csvb_free(struct csvb *b);

/* The text printf's %g gives for every rating byte of a .glr at that scale
 * (glr.h): a lookup instead of a conversion.  The value is byte * scale
 * in float, as glr_value computes it, or with `wide` in double
 * ((double)byte * scale), which can differ in the last digits for scales
 * that are not powers of two. */
struct csv_gtab {
	char s[256][16];
	uint8_t len[256];
};
void csv_gtab_init(struct csv_gtab *t, float scale, int wide);

static inline void csvb_gtab(struct csvb *b, const struct csv_gtab *t, uint8_t byte)
{
	csvb_add(b, t->s[byte], t->len[byte]);
}

#endif
