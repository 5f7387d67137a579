/* libFuzzer target: the model reader must reject or accept any bytes
 * without a crash; an accepted model's tensors are readable.  Each input is
 * read as it is and again with its checksums made right (secfix.h), so the
 * checks behind the CRCs are fuzzed too. */
#include "glm.h"
#include "log.h"
#include "secfix.h"


int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void load(unsigned char *buf, size_t size)
{
	struct glm m;
	if (glm_load_mem(&m, buf, size, "fuzz.glm") != 0)
		return;
	float sum = 0;
	for (int i = 0; i < m.n_tensors; i++)
		for (uint64_t k = 0; k < (uint64_t)m.t[i].rows * m.t[i].cols; k++)
			sum += m.t[i].data[k];
	if (sum == 1.5f)
		m.kind = 0;
	glm_free(&m);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	log_init("fuzz_glm", LOG_QUIET);
	secfix_both(data, size, load);
	return 0;
}
