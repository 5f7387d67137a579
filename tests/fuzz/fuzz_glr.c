/* libFuzzer target: the .glr reader must reject or accept any bytes
 * without a crash, and what it accepts must be safe to walk.  Each input is
 * read as it is and again with its checksums made right (secfix.h), so the
 * checks behind the CRCs are fuzzed too. */
#include "glr.h"
#include "log.h"
#include "secfix.h"


int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void walk(unsigned char *buf, size_t size)
{
	struct glr g;
	if (glr_open_mem(&g, buf, size, "fuzz.glr") != 0)
		return;
	uint64_t sum = 0;
	for (uint64_t u = 0; u < g.n_users; u++)
		for (uint64_t k = g.rowptr[u]; k < g.rowptr[u + 1]; k++)
			sum += g.items[k] + g.ratings[k] + (g.times ? g.times[k] : 0) +
			       (uint64_t)glr_bit(g.read, k) + (uint64_t)glr_bit(g.reviewed, k) +
			       (uint64_t)glr_bit(g.split, k);
	if (sum == 1) /* keep the loop from being optimised away */
		g.flags = 0;
	glr_close(&g);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	log_init("fuzz_glr", LOG_QUIET);
	secfix_both(data, size, walk);
	return 0;
}
