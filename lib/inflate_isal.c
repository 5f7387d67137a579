/* The ISA-L engine: isal_inflate on raw deflate with the gzip CRC kept
 * (ISAL_GZIP_NO_HDR: no header parsed, no trailer checked - lib/gunzip does
 * both for either engine).  Built only with GL_HAVE_ISAL. */
#ifdef GL_HAVE_ISAL

#include "inflate_isal.h"

#include <isa-l/igzip_lib.h>
#include <stdlib.h>

static void *ieng_open(void)
{
	struct inflate_state *s = malloc(sizeof *s);
	if (!s)
		return NULL;
	isal_inflate_init(s);
	s->crc_flag = ISAL_GZIP_NO_HDR;
	return s;
}

static void ieng_reset(void *st)
{
	isal_inflate_reset(st); /* keeps crc_flag */
}

/* The stream has ended: the whole bytes still in the bit buffer were read
 * past its end and are the ones just before next_in (the caller keeps
 * INFL_LOOKBACK of them there).  ISA-L 2.30 (Debian 12) leaves them in
 * read_in; later versions hand them back themselves and leave none. */
static void give_back(struct inflate_state *s, struct infl_io *io)
{
	size_t back = s->read_in_length > 0 ? (size_t)s->read_in_length / 8 : 0;
	io->next_in -= back;
	io->avail_in += back;
	s->read_in = 0;
	s->read_in_length = 0;
}

static int ieng_run(void *st, struct infl_io *io)
{
	struct inflate_state *s = st;
	/* ISA-L counts in uint32_t: hand it at most UINT32_MAX a call, and loop. */
	for (;;) {
		uint32_t in = io->avail_in > UINT32_MAX ? UINT32_MAX : (uint32_t)io->avail_in;
		uint32_t out = io->avail_out > UINT32_MAX ? UINT32_MAX : (uint32_t)io->avail_out;
		s->next_in = (uint8_t *)io->next_in;
		s->avail_in = in;
		s->next_out = io->next_out;
		s->avail_out = out;
		int rc = isal_inflate(s);
		/* At the end of a stream ISA-L from 2.31 on moves next_in back
		 * over its read-ahead itself. */
		ptrdiff_t used = (const unsigned char *)s->next_in - io->next_in;
		size_t made = out - s->avail_out;
		io->next_in += used;
		io->avail_in -= (size_t)((ptrdiff_t)in - (ptrdiff_t)s->avail_in);
		io->next_out += made;
		io->avail_out -= made;
		if (rc < 0)
			return INFL_BAD;
		if (s->block_state == ISAL_BLOCK_FINISH) {
			give_back(s, io);
			return INFL_END;
		}
		if (io->avail_in == 0 || io->avail_out == 0)
			return INFL_OK;
		if (used == 0 && made == 0)
			return INFL_BAD; /* stuck with input and room: never seen */
	}
}

static uint32_t ieng_crc(const void *st) { return ((const struct inflate_state *)st)->crc; }

static void ieng_close(void *st) { free(st); }

const struct infl_engine infl_isal = {
	.name = "isal",
	.open = ieng_open,
	.reset = ieng_reset,
	.run = ieng_run,
	.crc = ieng_crc,
	.close = ieng_close,
};

#else
/* Built without ISA-L: nothing here (ISO C wants a declaration). */
typedef int gl_inflate_isal_absent;
#endif
