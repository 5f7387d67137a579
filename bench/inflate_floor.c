/* inflate_floor - the speed floors of goodlens-extract: a gzip file
 * inflated into a buffer and discarded, by zlib's gzread (the default) or by
 * ISA-L's isal_inflate (--isal; in builds with ISA-L).  Prints the bytes it
 * inflated.  Exit 1 on a read or data error, 2 on usage, 3 when --isal is
 * asked of a build without ISA-L.
 *
 *   inflate_floor [--isal] FILE.gz
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef GL_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#define BUF (1u << 20)

static int floor_zlib(const char *path, unsigned long long *total)
{
	gzFile g = gzopen(path, "rb");
	if (!g)
		return 1;
	gzbuffer(g, BUF);
	static char buf[BUF];
	int n;
	while ((n = gzread(g, buf, sizeof buf)) > 0)
		*total += (unsigned)n;
	int bad = n < 0;
	return gzclose(g) != Z_OK || bad;
}

#ifdef GL_HAVE_ISAL
/* isal_inflate parses each member's header and checks its trailer itself
 * (ISAL_GZIP); a reset starts the next member. */
static int floor_isal(const char *path, unsigned long long *total)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 1;
	static unsigned char in[BUF], out[BUF];
	static struct inflate_state s;
	isal_inflate_init(&s);
	s.crc_flag = ISAL_GZIP;
	s.avail_in = 0;
	int eof = 0, bad = 0;
	while (!bad) {
		if (s.avail_in == 0 && !eof) {
			size_t n = fread(in, 1, sizeof in, f);
			eof = n < sizeof in;
			s.next_in = in;
			s.avail_in = (uint32_t)n;
		}
		if (s.block_state == ISAL_BLOCK_FINISH) {
			if (s.avail_in == 0 && eof)
				break;
			isal_inflate_reset(&s); /* another member */
		}
		s.next_out = out;
		s.avail_out = sizeof out;
		if (isal_inflate(&s) != ISAL_DECOMP_OK)
			bad = 1;
		*total += sizeof out - s.avail_out;
		if (s.avail_in == 0 && eof && s.avail_out > 0 && s.block_state != ISAL_BLOCK_FINISH)
			bad = 1; /* truncated */
	}
	bad |= ferror(f);
	fclose(f);
	return bad;
}
#endif

int main(int argc, char **argv)
{
	int isal = argc == 3 && strcmp(argv[1], "--isal") == 0;
	if (argc != 2 + isal) {
		fprintf(stderr, "usage: inflate_floor [--isal] FILE.gz\n");
		return 2;
	}
	const char *path = argv[1 + isal];
	unsigned long long total = 0;
	int bad;
	if (isal) {
#ifdef GL_HAVE_ISAL
		bad = floor_isal(path, &total);
#else
		fprintf(stderr, "inflate_floor: built without ISA-L\n");
		return 3;
#endif
	} else {
		bad = floor_zlib(path, &total);
	}
	if (bad) {
		fprintf(stderr, "inflate_floor: %s: read error or damaged gzip data\n", path);
		return 1;
	}
	printf("%llu\n", total);
	return 0;
}
