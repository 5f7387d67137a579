/* inflate.h - raw deflate decoding by one of two engines: zlib, always, and
 * Intel's ISA-L (2-3x faster) when the build has it (GL_HAVE_ISAL: the
 * Makefile sets it when libisal-dev is installed and ISAL is not 0).
 *
 * An engine decodes one raw deflate stream at a time and keeps the CRC-32 of
 * what it wrote; lib/gunzip does the gzip framing (headers, trailers,
 * members) around it, so the engines agree on everything the reader reports
 * except speed and the byte at which they notice damaged deflate data.
 *
 * Read-ahead: ISA-L loads input 8 bytes at a time and, when a stream ends,
 * hands back the bytes it loaded past the end by moving next_in backwards.
 * The caller therefore keeps the INFL_LOOKBACK bytes before next_in in place
 * as they were handed in (they are the stream's bytes before next_in), also
 * across a refill of its buffer. */
#ifndef GL_INFLATE_H
#define GL_INFLATE_H

#include <stddef.h>
#include <stdint.h>

#define INFL_LOOKBACK 8

enum infl_rc {
	INFL_OK = 0,     /* needs more input or more output room */
	INFL_END = 1,    /* the deflate stream ended; the bytes after it are in next_in */
	INFL_BAD = -1,   /* invalid deflate data */
	INFL_NOMEM = -2,
};

struct infl_io {
	const unsigned char *next_in;
	size_t avail_in;
	unsigned char *next_out;
	size_t avail_out;
};

struct infl_engine {
	const char *name; /* "zlib", "isal" */
	/* A decoder ready for a stream, or NULL when out of memory. */
	void *(*open)(void);
	/* Forget the stream in progress; the next run starts a new one. */
	void (*reset)(void *st);
	/* Decode from io into io, advancing both sides.  INFL_OK returns only
	 * when the input is used up or the output is full. */
	int (*run)(void *st, struct infl_io *io);
	/* The CRC-32 (gzip's) of everything written since the last reset. */
	uint32_t (*crc)(const void *st);
	void (*close)(void *st);
};

/* The engines themselves: infl_zlib (inflate_zlib.h) and, when built in,
 * infl_isal (inflate_isal.h). */

/* The engine called name ("zlib" or "isal"), or NULL when this build has no
 * such engine. */
const struct infl_engine *infl_by_name(const char *name);

/* The fastest engine this build has: ISA-L when built in, else zlib. */
const struct infl_engine *infl_best(void);

#endif
