/* sample_text.h - building lines and inventing text for goodlens-sample.
 *
 * struct sbuf is a growable byte buffer for one output line.  An allocation
 * failure sets a sticky flag instead of returning a code from every append,
 * so a writer formats a whole line and checks sb->oom once.
 *
 * The escapers reproduce what produced the real files: Python's json.dumps
 * (", " and ": " separators, \uXXXX in lowercase hex, surrogate pairs above
 * U+FFFF when ASCII-only), Python's csv module / pandas (quote a field only
 * when it holds a comma, quote or line break), and R's write.csv (quote every
 * string).  Text is UTF-8 inside; sb_latin1 transcodes for the MovieLens
 * files that are Latin-1.
 *
 * The inventors (titles, names, review snippets) are pure functions of a seed
 * and an index, so text never needs storing per item.
 */
#ifndef GL_SAMPLE_TEXT_H
#define GL_SAMPLE_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sbuf {
	char *p;
	size_t len, cap;
	int oom;
};

/* Grow to hold at least extra more bytes: 0, or -1 with oom set.  Only for
 * buffers whose p came from malloc (or is NULL). */
int sb_grow(struct sbuf *sb, size_t extra);
/* Free the bytes and zero sb. */
void sb_free(struct sbuf *sb);

/* Empty the buffer, keeping its memory for the next line. */
static inline void sb_reset(struct sbuf *sb) { sb->len = 0; }

/* The appenders: on allocation failure they append nothing and set oom. */

static inline void sb_put(struct sbuf *sb, const char *s, size_t n)
{
	if (sb->cap - sb->len < n && sb_grow(sb, n))
		return;
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
}

static inline void sb_puts(struct sbuf *sb, const char *s) { sb_put(sb, s, strlen(s)); }

static inline void sb_putc(struct sbuf *sb, char c)
{
	if (sb->cap == sb->len && sb_grow(sb, 1))
		return;
	sb->p[sb->len++] = c;
}

/* Decimal integers. */
void sb_u64(struct sbuf *sb, uint64_t v);
void sb_i64(struct sbuf *sb, int64_t v);
/* v with exactly `decimals` digits after the point ("4.09"), rounded. */
void sb_fixed(struct sbuf *sb, double v, int decimals);
/* v as Python's repr() prints a float that went through round(v, 2):
 * "4.34", "4.3", "4.0" (pandas writes floats this way). */
void sb_pyfloat2(struct sbuf *sb, double v);
/* 2*nbytes lowercase hex digits of the bytes of (a, b) (up to 16). */
void sb_hex(struct sbuf *sb, uint64_t a, uint64_t b, int nbytes);

/* A JSON string literal, quotes included.  ascii = 1 escapes every non-ASCII
 * character as \uXXXX (Python's default ensure_ascii), 0 keeps UTF-8. */
void sb_json_str(struct sbuf *sb, const char *s, int ascii);

/* A CSV field: quoted when it holds , " CR or LF (always = 1: always
 * quoted), with embedded quotes doubled. */
void sb_csv(struct sbuf *sb, const char *s, int always);

/* Append s (UTF-8) as Latin-1 bytes.  Returns 0, or -1 if s holds a
 * character outside Latin-1 (nothing appended then). */
int sb_latin1(struct sbuf *sb, const char *s);

/* Percent-encoding of an IMDb title query ("Toy%20Story%20(1995)"), applied
 * to the bytes of s. */
void sb_urlenc(struct sbuf *sb, const char *s);

/* ---- invented text ------------------------------------------------------ */

/* Character sets a title may use. */
enum sample_charset { SAMPLE_UTF8, SAMPLE_LATIN1 };

#define SAMPLE_TITLE_MAX 160

/* Title of work w (UTF-8, no series part) for a catalogue in charset cs.
 * A few fixed ranks get the awkward titles every sample must contain: a
 * comma, double quotes, non-ASCII, an emoji (UTF-8 only), and at rank 2 the
 * hostile "<script>alert(1)</script>".  genre picks the vocabulary. */
void sample_title(char out[SAMPLE_TITLE_MAX], uint64_t seed, uint32_t w, uint32_t rank,
		  int genre, enum sample_charset cs);

/* The MovieLens form of a title: a leading article moved to the end ("The
 * Perfect Stranger" -> "Perfect Stranger, The"), as the real files do. */
void sample_title_ml(char out[SAMPLE_TITLE_MAX], const char *title);

/* Series name of work w, or "" if it is not part of a series. */
void sample_series(char out[SAMPLE_TITLE_MAX], uint64_t seed, uint32_t w, int *number);

/* A person's name (authors; some with non-ASCII letters). */
#define SAMPLE_NAME_MAX 64
void sample_name(char out[SAMPLE_NAME_MAX], uint64_t seed, uint32_t who, enum sample_charset cs);

/* A short review snippet with quotes, line breaks, a backslash, non-ASCII
 * or an emoji, as real reviews have. */
const char *sample_review(uint64_t h);

/* A book description (may be ""), with the same kinds of awkward text. */
void sample_description(struct sbuf *sb, uint64_t seed, uint32_t w, const char *title);

#endif
