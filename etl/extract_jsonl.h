/* extract_jsonl.h - drive yajl's callback parser over JSON lines.
 *
 * One yajl handle parses a whole file as a stream of values (yajl's
 * allow_multiple_values), fed one line at a time plus a space so a number at
 * the end of a line is complete.  The caller's callbacks track nesting and
 * decide whether the line held exactly one object; when a line fails, the
 * handle is replaced so the next line starts clean.  String validation is
 * off: invalid UTF-8 reaches the callbacks and is mended (and counted) by
 * the caller with utf8_clean, instead of losing the record.
 *
 * yajl decodes \u escapes, including surrogate pairs, but turns a high
 * surrogate without a following \u escape into "?" and encodes a lone low
 * surrogate as invalid UTF-8.  jsonl_fix_escapes() rewrites every lone
 * surrogate escape and \u0000 in the line as \ufffd first (the same six
 * bytes), so both become U+FFFD and are counted.
 */
#ifndef GL_JSONL_H
#define GL_JSONL_H

#include "buf.h"

#include <stddef.h>
#include <yajl/yajl_parse.h>

struct jsonl {
	yajl_handle h;
	const yajl_callbacks *cb;
	void *ctx;
};

/* 0 or GL_ENOMEM (logged). */
int jsonl_init(struct jsonl *j, const yajl_callbacks *cb, void *ctx);

/* Parse line[0..len).  0 when yajl accepted it; -1 when yajl found it
 * invalid or a callback stopped it (the handle is then replaced and, when
 * msg is given, a one-line reason written there); GL_ENOMEM. */
int jsonl_feed(struct jsonl *j, const char *line, size_t len, char *msg, size_t cap);

/* Replace the handle (after a line the callbacks found incomplete).
 * 0 or GL_ENOMEM (logged). */
int jsonl_reset(struct jsonl *j);

void jsonl_free(struct jsonl *j);

/* 1 when line[0..len) holds nothing but JSON whitespace (space, tab, CR):
 * a blank line, not a record.  A line that is not blank yet gave the
 * callbacks no value ended inside a string, which yajl would carry into
 * the next line: the caller must count it bad and jsonl_reset(). */
int jsonl_blank(const char *line, size_t len);

/* What a fed line held, from jsonl_feed's result (failed: 0 or -1, with
 * why filled when -1) and the nesting the callbacks saw when it ended
 * (depth still open, objects completed): JL_BLANK (nothing but
 * whitespace), JL_BAD (why filled: yajl's reason, or an object or string
 * left open, after which the handle is replaced so that yajl does not carry
 * it into the next line and fail a good record there) or JL_OK.
 * GL_ENOMEM when the handle cannot be replaced. */
enum { JL_OK, JL_BLANK, JL_BAD };
int jsonl_verdict(struct jsonl *j, int failed, int depth, int objects, const char *line,
		  size_t len, char *why, size_t cap);

/* Rewrite lone surrogate escapes and \u0000 in line as \ufffd, in place.
 * Returns how many were rewritten. */
size_t jsonl_fix_escapes(char *line, size_t len);

/* Decode the text of a string, s[0..len) between its quotes with escapes
 * the lexer accepted (jsonflat_string_end), as yajl decodes it, appending
 * to out: for a fast path that must hand over the same bytes as yajl.  0;
 * -1 for what jsonl_fix_escapes rewrites (\u0000, a surrogate that is not
 * half of a pair), which a line it ran over does not hold; GL_ENOMEM. */
int jsonl_decode(const char *s, size_t len, struct buf *out);

#endif
