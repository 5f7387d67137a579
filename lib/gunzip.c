#include "gunzip.h"

#include "err.h"
#include "log.h"

#include <inttypes.h>
#include <stdlib.h>
#include <zlib.h>

/* Where the stream is. */
enum {
	S_MAGIC,   /* expecting 1f 8b: a first member, another one, or the end */
	S_HEADER,  /* inside a member's header, after the magic */
	S_DEFLATE, /* the engine decodes */
	S_TRAILER, /* the 8 bytes of CRC-32 and length */
	S_DONE,    /* rc holds the answer for every later call */
};

/* Header fields after the magic, in file order. */
enum { H_CM, H_FLG, H_FIXED, H_XLEN, H_EXTRA, H_NAME, H_COMMENT, H_HCRC, H_END };

#define FHCRC 0x02
#define FEXTRA 0x04
#define FNAME 0x08
#define FCOMMENT 0x10
#define FRESERVED 0xe0

struct gunzip {
	const char *name;
	const struct infl_engine *eng;
	void *st;
	int state, field, rc;
	uint64_t members;
	uint64_t off;       /* compressed bytes consumed */
	uint64_t member_at; /* offset of the current member's first byte */
	uint64_t field_at;  /* offset of the field being gathered (trailer) */
	uint64_t out;       /* bytes the member has inflated to */
	unsigned char hold[8];
	unsigned held, need; /* bytes of a field gathered in hold, or left to skip */
	unsigned flags;
	uLong hcrc;          /* CRC-32 of the header bytes so far */
};

static const char fetch_again[] = "the file is damaged: fetch it again";

static int fail(struct gunzip *g, int rc)
{
	g->state = S_DONE;
	g->rc = rc;
	return rc;
}

static int truncated(struct gunzip *g)
{
	log_at(g->name, LOG_NOPOS, g->off,
	       "truncated gzip stream (unexpected end of file in the member at byte %" PRIu64
	       "): the file is incomplete; fetch it again", g->member_at);
	return fail(g, GL_EFORMAT);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The next header field that the flags ask for, after field g->field
 * (H_EXTRA is entered from H_XLEN alone, once its length is known). */
static void next_field(struct gunzip *g)
{
	int f = g->field + 1;
	while ((f == H_XLEN && !(g->flags & FEXTRA)) || f == H_EXTRA ||
	       (f == H_NAME && !(g->flags & FNAME)) || (f == H_COMMENT && !(g->flags & FCOMMENT)) ||
	       (f == H_HCRC && !(g->flags & FHCRC)))
		f++;
	g->field = f;
	g->held = 0;
	g->need = f == H_FIXED ? 6 : 0;
}

/* Take one header byte (at offset g->off): 0 to go on, or an error. */
static int header_byte(struct gunzip *g, unsigned char b)
{
	uint64_t at = g->off;
	if (g->field == H_HCRC) {
		g->hold[g->held++] = b;
		if (g->held == 2 && (uint32_t)(g->hold[0] | g->hold[1] << 8) != (g->hcrc & 0xffff)) {
			log_at(g->name, LOG_NOPOS, at - 1,
			       "corrupt gzip data: the header CRC of the member at byte %" PRIu64
			       " does not match its header; %s", g->member_at, fetch_again);
			return fail(g, GL_EFORMAT);
		}
		if (g->held == 2)
			next_field(g);
		return 0;
	}
	g->hcrc = crc32(g->hcrc, &b, 1);
	switch (g->field) {
	case H_CM:
		if (b != 8) {
			log_at(g->name, LOG_NOPOS, at,
			       "corrupt gzip data: compression method %u in the member at byte %" PRIu64
			       " where 8 (deflate) is expected; %s", b, g->member_at, fetch_again);
			return fail(g, GL_EFORMAT);
		}
		next_field(g);
		break;
	case H_FLG:
		if (b & FRESERVED) {
			log_at(g->name, LOG_NOPOS, at,
			       "corrupt gzip data: reserved header flags 0x%02x set in the member at byte %"
			       PRIu64 "; %s", b & FRESERVED, g->member_at, fetch_again);
			return fail(g, GL_EFORMAT);
		}
		g->flags = b;
		next_field(g);
		break;
	case H_FIXED: /* MTIME, XFL, OS: not needed */
		if (--g->need == 0)
			next_field(g);
		break;
	case H_XLEN:
		g->hold[g->held++] = b;
		if (g->held == 2) {
			g->need = g->hold[0] | g->hold[1] << 8;
			g->field = H_EXTRA;
			if (g->need == 0)
				next_field(g);
		}
		break;
	case H_EXTRA:
		if (--g->need == 0)
			next_field(g);
		break;
	case H_NAME:
	case H_COMMENT:
		if (b == 0)
			next_field(g);
		break;
	}
	return 0;
}

/* After a member (or at the start): another member, the end, or garbage. */
static int magic(struct gunzip *g, struct infl_io *io, int eof)
{
	while (g->held < 2 && io->avail_in) {
		g->hold[g->held++] = *io->next_in++;
		io->avail_in--;
		g->off++;
		if (g->hold[g->held - 1] != (g->held == 1 ? 0x1f : 0x8b))
			goto garbage;
	}
	if (g->held < 2) {
		if (!eof)
			return GUNZIP_MORE;
		if (g->members == 0)
			return truncated(g);
		if (g->held == 0) {
			g->state = S_DONE;
			g->rc = GUNZIP_END;
			return GUNZIP_END;
		}
		goto garbage; /* a lone 1f */
	}
	g->members++;
	g->hcrc = crc32(crc32(0, Z_NULL, 0), g->hold, 2);
	g->field = H_CM;
	g->held = 0;
	g->out = 0;
	g->eng->reset(g->st);
	g->state = S_HEADER;
	return GUNZIP_MORE;
garbage:
	if (g->members == 0)
		log_at(g->name, LOG_NOPOS, g->member_at,
		       "corrupt gzip data: no gzip magic (1f 8b) at the start; the file is not gzip");
	else
		log_at(g->name, LOG_NOPOS, g->member_at,
		       "trailing garbage after gzip data: the bytes after the member that ends here "
		       "do not start another member; the file is damaged or has bytes appended");
	return fail(g, GL_EFORMAT);
}

static int inflate_some(struct gunzip *g, struct infl_io *io, int eof)
{
	const unsigned char *in0 = io->next_in;
	size_t room = io->avail_out;
	int rc = g->eng->run(g->st, io);
	g->off += (uint64_t)(io->next_in - in0); /* may step back (read-ahead returned) */
	g->out += room - io->avail_out;
	if (rc == INFL_END) {
		g->state = S_TRAILER;
		g->field_at = g->off;
		g->held = 0;
		return GUNZIP_MORE;
	}
	if (rc == INFL_NOMEM) {
		log_error("out of memory inflating %s", g->name);
		return fail(g, GL_ENOMEM);
	}
	if (rc == INFL_BAD) {
		log_at(g->name, LOG_NOPOS, g->off,
		       "corrupt gzip data: invalid deflate data in the member at byte %" PRIu64 "; %s",
		       g->member_at, fetch_again);
		return fail(g, GL_EFORMAT);
	}
	if (io->avail_in == 0 && io->avail_out > 0 && eof)
		return truncated(g);
	return GUNZIP_MORE;
}

static int trailer(struct gunzip *g, struct infl_io *io, int eof)
{
	while (g->held < 8 && io->avail_in) {
		g->hold[g->held++] = *io->next_in++;
		io->avail_in--;
		g->off++;
	}
	if (g->held < 8)
		return eof ? truncated(g) : GUNZIP_MORE;
	uint32_t crc = g->eng->crc(g->st), want = le32(g->hold);
	if (crc != want) {
		log_at(g->name, LOG_NOPOS, g->field_at,
		       "corrupt gzip data: the member at byte %" PRIu64 " inflates to data of CRC-32 "
		       "%08" PRIx32 " but its trailer says %08" PRIx32 "; %s",
		       g->member_at, crc, want, fetch_again);
		return fail(g, GL_EFORMAT);
	}
	uint32_t len = le32(g->hold + 4);
	if ((uint32_t)g->out != len) {
		log_at(g->name, LOG_NOPOS, g->field_at + 4,
		       "corrupt gzip data: the member at byte %" PRIu64 " inflates to %" PRIu64
		       " bytes but its trailer says %" PRIu32 " (mod 2^32); %s",
		       g->member_at, g->out, len, fetch_again);
		return fail(g, GL_EFORMAT);
	}
	g->state = S_MAGIC;
	g->member_at = g->off;
	g->held = 0;
	return GUNZIP_MORE;
}

int gunzip_run(struct gunzip *g, struct infl_io *io, int eof)
{
	for (;;) {
		int rc = GUNZIP_MORE;
		switch (g->state) {
		case S_DONE:
			return g->rc;
		case S_MAGIC:
			rc = magic(g, io, eof);
			break;
		case S_HEADER:
			while (rc == 0 && g->field != H_END && io->avail_in) {
				rc = header_byte(g, *io->next_in++);
				io->avail_in--;
				g->off++;
			}
			if (rc == 0 && g->field == H_END)
				g->state = S_DEFLATE;
			else if (rc == 0 && eof)
				rc = truncated(g);
			break;
		case S_DEFLATE:
			if (io->avail_out == 0)
				return GUNZIP_MORE;
			rc = inflate_some(g, io, eof);
			break;
		case S_TRAILER:
			rc = trailer(g, io, eof);
			break;
		}
		if (rc != GUNZIP_MORE)
			return rc;
		/* Go on while there is something to go on with. */
		if (g->state != S_DONE && io->avail_in == 0 && !eof)
			return GUNZIP_MORE;
		if (g->state == S_DEFLATE && io->avail_out == 0)
			return GUNZIP_MORE;
	}
}

int gunzip_new(struct gunzip **out, const char *name, const struct infl_engine *engine)
{
	struct gunzip *g = calloc(1, sizeof *g);
	*out = NULL;
	if (!g || !(g->st = engine->open())) {
		free(g);
		log_error("out of memory starting to inflate %s", name);
		return GL_ENOMEM;
	}
	g->name = name;
	g->eng = engine;
	g->state = S_MAGIC;
	*out = g;
	return 0;
}

uint64_t gunzip_bytes_in(const struct gunzip *g) { return g->off; }

const char *gunzip_engine(const struct gunzip *g) { return g->eng->name; }

void gunzip_free(struct gunzip *g)
{
	if (!g)
		return;
	g->eng->close(g->st);
	free(g);
}
