/* extract_jsonflat.h - a fast path for the common JSON line: one flat object.
 *
 * jsonflat_scan() checks that a line is exactly one JSON object whose
 * values are all scalars (strings without escapes or control characters,
 * numbers, true, false, null), with only JSON whitespace around, and drives
 * the same yajl callbacks yajl itself would call for it, in the same order
 * with the same arguments (strings and numbers as slices of the line).  For
 * anything else (a nested value, an escape, invalid JSON, a callback that
 * stops) it gives up and the caller parses the line with yajl, which then
 * has the final word.  What it accepts is a subset of what yajl accepts, so
 * results never depend on which path ran; it is several times faster than
 * yajl on the UCSD interactions lines because it finds a line's quotes 64
 * bytes at a time (jsonflat_scan_path below).
 */
#ifndef GL_JSONFLAT_H
#define GL_JSONFLAT_H

#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_parse.h>

/* 1 when the line was a flat object and every callback ran; 0 when it gave
 * up (callbacks may have run for a prefix: the caller resets its state). */
int jsonflat_scan(const char *line, size_t len, const yajl_callbacks *cb, void *ctx);

/* A string value with escapes, as it stands in the line (not decoded).
 * Nonzero to go on, 0 to give up (e.g. when the text itself is needed). */
typedef int (*jsonflat_raw_fn)(void *ctx, const unsigned char *s, size_t len);

/* jsonflat_scan, but a string value holding escapes that yajl's lexer
 * accepts (\" \\ \/ \b \f \n \r \t \uXXXX) goes to raw instead of giving
 * up; keys with escapes still give up.  For readers that need only whether
 * such a value is empty, or its type: yajl decodes each escape to at least
 * one byte, so the raw text is empty exactly when yajl's string is. */
int jsonflat_scan_raw(const char *line, size_t len, const yajl_callbacks *cb,
		      jsonflat_raw_fn raw, void *ctx);

/* For other fast paths over JSON lines, checking what yajl's lexer and
 * parser check (string validation off):
 *
 * The closing quote of a string whose text starts at p (after its opening
 * quote), or NULL when yajl would refuse the string (a control character,
 * an unknown escape) or it does not close before end.  *esc is set when it
 * holds an escape (and is left alone otherwise). */
const char *jsonflat_string_end(const char *p, const char *end, int *esc);

/* After an object member's value at p (whitespace may come first): past
 * the ',' and the whitespace after it with *more set, past the closing '}'
 * with *more clear, or NULL when neither follows. */
const char *jsonflat_member_end(const char *p, const char *end, int *more);

/* The end of the JSON value at p (after any whitespace): a scalar, or an
 * object or array with everything nested in it, checked but not decoded.
 * NULL when yajl would refuse it, it does not end before end, or it nests
 * deeper than 64 levels: the caller then asks yajl. */
const char *jsonflat_skip(const char *p, const char *end);

/* The positions of line's quotes (byte offsets, in order) into q, for a
 * reader that checks a known layout itself: their number, or -1 when the
 * line holds a backslash, -2 when a string holds a control character, -3
 * when the line is longer than JSONFLAT_QUOTES_MAX.  q has room for
 * JSONFLAT_QUOTES_CAP (what lies past the last quote is scratch). */
#define JSONFLAT_QUOTES_MAX 2048
#define JSONFLAT_QUOTES_CAP (JSONFLAT_QUOTES_MAX + 64)
long jsonflat_quotes(const char *line, size_t len, uint16_t *q);

/* The paths jsonflat_scan_raw can take, for tests that hold them against
 * each other and for benchmarks.  The JF_MASKS* paths find a line's quotes,
 * backslashes and control characters 64 bytes at a time (SSE2, AVX2,
 * AVX-512BW, the last with AVX-512 VBMI2's compress listing the quotes for
 * JF_MASKS_VBMI2, or a byte at a time for JF_MASKS_SCALAR) and walk the list of
 * quote positions; they take lines of up to 2 KiB without a backslash and
 * hand any other line to JF_STREAM, which finds each string's end as it
 * comes (16 bytes at a time with SSE2).  JF_BEST is the widest masks the
 * machine has (what jsonflat_scan_raw runs), JF_STREAM on a build without
 * SSE2.  A path the build or the machine lacks runs as JF_STREAM.  Every
 * path gives the same result and the same callbacks. */
enum {
	JF_BEST,
	JF_STREAM,
	JF_MASKS,
	JF_MASKS_SCALAR,
	JF_MASKS_AVX2,
	JF_MASKS_AVX512,
	JF_MASKS_VBMI2
};
int jsonflat_scan_path(const char *line, size_t len, const yajl_callbacks *cb,
		       jsonflat_raw_fn raw, void *ctx, int path);

#endif
