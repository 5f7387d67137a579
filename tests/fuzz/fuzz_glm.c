/* libFuzzer target: the model reader must reject or accept any bytes
 * without a crash; an accepted model's tensors are readable. */
#include "glm.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	unsigned char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	log_init("fuzz_glm", LOG_QUIET);
	struct glm m;
	if (glm_load_mem(&m, buf, size, "fuzz.glm") == 0) {
		float sum = 0;
		for (int i = 0; i < m.n_tensors; i++)
			for (uint64_t k = 0; k < (uint64_t)m.t[i].rows * m.t[i].cols; k++)
				sum += m.t[i].data[k];
		if (sum == 1.5f)
			m.kind = 0;
		glm_free(&m);
	}
	free(buf);
	return 0;
}
