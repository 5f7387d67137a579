/* inflate_floor - the speed floor of goodlens-extract: zlib's gzread of a
 * file into a buffer, discarded.  Prints the bytes it inflated.
 *
 *   inflate_floor FILE.gz
 */
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: inflate_floor FILE.gz\n");
		return 2;
	}
	gzFile g = gzopen(argv[1], "rb");
	if (!g) {
		fprintf(stderr, "inflate_floor: cannot open %s\n", argv[1]);
		return 1;
	}
	gzbuffer(g, 1u << 20);
	static char buf[1u << 20];
	unsigned long long total = 0;
	int n;
	while ((n = gzread(g, buf, sizeof buf)) > 0)
		total += (unsigned)n;
	int bad = n < 0;
	if (gzclose(g) != Z_OK || bad) {
		fprintf(stderr, "inflate_floor: %s: read error\n", argv[1]);
		return 1;
	}
	printf("%llu\n", total);
	return 0;
}
