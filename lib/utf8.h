/* utf8.h - text leaves goodlens as valid UTF-8.
 *
 * Sources are UTF-8 (Goodreads, newer MovieLens) or Latin-1 (ml-100k,
 * ml-1m).  Latin-1 bytes are transcoded; invalid UTF-8 (a stray byte, an
 * overlong form, a surrogate, a cut sequence) is replaced by U+FFFD, one per
 * maximal invalid subpart as Unicode recommends, and counted so extract can
 * report it.  NUL bytes are replaced too: no field may hide a terminator.
 */
#ifndef GL_UTF8_H
#define GL_UTF8_H

#include "buf.h"

#include <stddef.h>

/* Length of the valid UTF-8 prefix of s[0..len) (no NUL allowed). */
size_t utf8_valid_prefix(const char *s, size_t len);

/* Encode code point cp (valid, not a surrogate) into out[0..4): its length. */
size_t utf8_put(unsigned cp, char *out);

/* Append s[0..len) to out as UTF-8: from Latin-1 when latin1 is set,
 * otherwise with invalid sequences replaced.  Returns the number of
 * replacements, or GL_ENOMEM (negative). */
long utf8_clean(const char *s, size_t len, int latin1, struct buf *out);

#endif
