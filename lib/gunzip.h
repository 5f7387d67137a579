/* gunzip.h - a gzip stream of one or more members, decoded over an inflate
 * engine (lib/inflate.h) as the caller feeds it.
 *
 * The framing is done here, the same for every engine: the header (method 8
 * required, reserved flags refused, FEXTRA, FNAME and FCOMMENT skipped, FHCRC
 * checked), the raw deflate data (the engine), the trailer (CRC-32, then the
 * length mod 2^32).  After a member only the two magic bytes 1f 8b start
 * another; anything else (zero padding too) is trailing garbage.
 *
 * Errors are logged with the stream's name and a compressed byte offset:
 *   truncated gzip stream        the end of the input
 *   trailing garbage             the first byte after the last member
 *   a bad header byte            that byte
 *   a bad CRC-32 or length       the member's trailer
 *   damaged deflate data         where the engine noticed: zlib and ISA-L
 *                                differ here, and so may the text before it
 * and every message names the offset at which the member starts.
 */
#ifndef GL_GUNZIP_H
#define GL_GUNZIP_H

#include "inflate.h"

#include <stdint.h>

enum { GUNZIP_MORE = 0, GUNZIP_END = 1 };

struct gunzip;

/* A decoder for the stream called name (kept by pointer: it must outlive
 * the decoder), decoding with engine.  0 or GL_ENOMEM (logged). */
int gunzip_new(struct gunzip **out, const char *name, const struct infl_engine *engine);

/* Decode from io->next_in into io->next_out, advancing both.  eof: no input
 * follows what io holds.  The caller keeps the INFL_LOOKBACK bytes before
 * io->next_in as they were handed in (lib/inflate.h says why).
 *   GUNZIP_MORE  more output room is needed (avail_out is 0) or, when not
 *                eof, more input (avail_in is 0)
 *   GUNZIP_END   the stream ended cleanly at the end of the input (eof)
 *   GL_EFORMAT   damaged, truncated or followed by garbage (logged)
 *   GL_ENOMEM    (logged)
 * After GUNZIP_END or an error, every later call returns the same. */
int gunzip_run(struct gunzip *g, struct infl_io *io, int eof);

/* Compressed bytes consumed so far. */
uint64_t gunzip_bytes_in(const struct gunzip *g);

/* The engine's name, for messages and tests. */
const char *gunzip_engine(const struct gunzip *g);

void gunzip_free(struct gunzip *g); /* NULL is fine */

#endif
