/* join_glrsum - the floor of bench/filter.sh: map a .glr (section CRCs not
 * checked) and make one sequential pass over its item ids and ratings,
 * printing their sums so the pass cannot be optimised away. */
#include "glr.h"
#include "log.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: join_glrsum FILE.glr\n", stderr);
		return 2;
	}
	log_init("join_glrsum", LOG_NORMAL);
	struct glr g;
	if (glr_open(&g, argv[1], SEC_NO_CRC))
		return 1;
	uint64_t si = 0, sr = 0;
	for (uint64_t k = 0; k < g.n_ratings; k++) {
		si += g.items[k];
		sr += g.ratings[k];
	}
	printf("%llu %llu\n", (unsigned long long)si, (unsigned long long)sr);
	glr_close(&g);
	return 0;
}
