/* gzline.h - read a file (gzip or plain, or stdin) as lines.
 *
 * gzip is recognised by its magic bytes, never by the name; concatenated
 * members are read as one stream.  A second thread reads and inflates ahead
 * into a small ring of chunks while the caller parses, so parsing overlaps
 * decompression.  Memory is bounded: GZL_SLOTS chunks of GZL_CHUNK bytes plus
 * one carry buffer for a line that spans chunks, itself capped at max_line.
 * A file of 512 KiB or more has its chunks on huge pages (lib/bigmem.h), each
 * then holding 2 MiB of memory.
 *
 * Lines: the "\n" and a "\r" before it are removed and the line is
 * NUL-terminated in place (the buffer belongs to the reader and stays valid
 * until the next call).  A UTF-8 byte order mark at the start of the stream
 * is skipped.  A final line without "\n" is a normal line.  A line longer
 * than max_line is not kept: it is returned once with too_long set, len 0,
 * and full_len its true length, so a file of one endless line costs no more
 * memory than any other.
 *
 * Inflating is lib/gunzip's (gzip framing) over an engine of lib/inflate.h:
 * ISA-L when the build has it, else zlib; opts->inflate or the environment
 * variable GL_INFLATE ("zlib" or "isal") picks one, for tests and for
 * comparing them.  Both give the same text and the same errors.
 *
 * Errors (a truncated or corrupt gzip stream, trailing garbage after a gzip
 * member, a read error) are logged with the file name and the compressed
 * byte offset (lib/gunzip.h says which offset) and returned after every
 * complete line before them.
 */
#ifndef GL_GZLINE_H
#define GL_GZLINE_H

#include <stddef.h>
#include <stdint.h>

#define GZL_CHUNK (1u << 20)
#define GZL_SLOTS 4
#define GZL_MAX_LINE_DEFAULT (4u << 20)

struct gzl;

struct gzl_opts {
	size_t max_line; /* 0 = GZL_MAX_LINE_DEFAULT */
	int no_thread;   /* 1 = inflate in the caller's thread */
	const char *inflate; /* "zlib" or "isal"; NULL = $GL_INFLATE, else the fastest */
};

struct gzl_line {
	char *p;           /* NUL-terminated, valid until the next call */
	size_t len;        /* bytes before the terminator */
	uint64_t lineno;   /* counted from 1 */
	uint64_t offset;   /* offset of the line's first byte in the text */
	uint64_t full_len; /* the line's length, also when too_long */
	int too_long;
	uint64_t chunk;    /* after gzl_lend: the chunk p lies in, else GZL_NO_CHUNK */
};

#define GZL_NO_CHUNK UINT64_MAX

/* Open path ("-" = stdin).  opts may be NULL.  0, GL_EIO, GL_ENOMEM, or
 * GL_EUSAGE when the inflater asked for is not in this build (logged). */
int gzl_open(struct gzl **out, const char *path, const struct gzl_opts *opts);

/* Next line: 1 with *ln filled, 0 at the end, or a negative gl_err. */
int gzl_next(struct gzl *z, struct gzl_line *ln);

/* Lend chunks, for a caller that hands lines to other threads without
 * copying them: from now on a line whose text lies in one of the chunks
 * inflated text comes in gets that chunk's number (counted from 0) in
 * ln->chunk, and stays valid, NUL and all, until gzl_give_back releases the
 * chunk.  Lines the reader had to piece together across chunks (and too
 * long ones) have GZL_NO_CHUNK and last until the next call as always.  A
 * lent chunk is replaced in the ring by a fresh buffer (one given back, or
 * a new one), so memory grows by a chunk for each chunk held. */
void gzl_lend(struct gzl *z);

/* The chunks numbered below n are no longer read: reuse them. */
void gzl_give_back(struct gzl *z, uint64_t n);

const char *gzl_name(const struct gzl *z);  /* the path as opened */
int gzl_is_gzip(const struct gzl *z);
const char *gzl_inflater(const struct gzl *z); /* "zlib", "isal"; NULL if not gzip */
uint64_t gzl_bytes_in(const struct gzl *z);  /* file bytes consumed so far */
uint64_t gzl_bytes_out(const struct gzl *z); /* text bytes handed out so far */
uint64_t gzl_lines(const struct gzl *z);     /* lines handed out so far */

/* CPU seconds the thread reading ahead (reading and inflating) has used so
 * far, or -1 when the file is read on the caller's thread. */
double gzl_reader_cpu(struct gzl *z);
/* Seconds that thread has waited for the caller to take its chunks (a full
 * ring), or -1 as above. */
double gzl_reader_waited(struct gzl *z);

/* Stop the reader thread, close the file, free everything. NULL is fine. */
void gzl_close(struct gzl *z);

#endif
