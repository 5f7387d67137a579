/* The zlib engine: inflate in raw mode (windowBits -15), CRC-32 by crc32().
 * zlib never reads ahead past the end of a deflate stream, so it never
 * moves next_in backwards. */
#include "inflate_zlib.h"

#include <limits.h>
#include <stdlib.h>
#include <zlib.h>

struct zeng {
	z_stream zs;
	uLong crc;
};

static void *zeng_open(void)
{
	struct zeng *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	if (inflateInit2(&e->zs, -15) != Z_OK) {
		free(e);
		return NULL;
	}
	e->crc = crc32(0, Z_NULL, 0);
	return e;
}

static void zeng_reset(void *st)
{
	struct zeng *e = st;
	inflateReset(&e->zs);
	e->crc = crc32(0, Z_NULL, 0);
}

static int zeng_run(void *st, struct infl_io *io)
{
	struct zeng *e = st;
	/* zlib counts in uInt: hand it at most UINT_MAX a call, and loop. */
	for (;;) {
		uInt in = io->avail_in > UINT_MAX ? UINT_MAX : (uInt)io->avail_in;
		uInt out = io->avail_out > UINT_MAX ? UINT_MAX : (uInt)io->avail_out;
		e->zs.next_in = (Bytef *)io->next_in;
		e->zs.avail_in = in;
		e->zs.next_out = io->next_out;
		e->zs.avail_out = out;
		int zrc = inflate(&e->zs, Z_NO_FLUSH);
		size_t used = in - e->zs.avail_in, made = out - e->zs.avail_out;
		e->crc = crc32_z(e->crc, io->next_out, made);
		io->next_in += used;
		io->avail_in -= used;
		io->next_out += made;
		io->avail_out -= made;
		if (zrc == Z_STREAM_END)
			return INFL_END;
		if (zrc == Z_MEM_ERROR)
			return INFL_NOMEM;
		if (zrc != Z_OK && zrc != Z_BUF_ERROR)
			return INFL_BAD; /* Z_DATA_ERROR; Z_NEED_DICT cannot occur raw */
		if (io->avail_in == 0 || io->avail_out == 0)
			return INFL_OK;
		if (used == 0 && made == 0)
			return INFL_BAD; /* stuck with input and room: never seen */
	}
}

static uint32_t zeng_crc(const void *st) { return (uint32_t)((const struct zeng *)st)->crc; }

static void zeng_close(void *st)
{
	struct zeng *e = st;
	if (!e)
		return;
	inflateEnd(&e->zs);
	free(e);
}

const struct infl_engine infl_zlib = {
	.name = "zlib",
	.open = zeng_open,
	.reset = zeng_reset,
	.run = zeng_run,
	.crc = zeng_crc,
	.close = zeng_close,
};
