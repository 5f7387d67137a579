/* The table of inflate engines this build has. */
#include "inflate.h"

#include "inflate_isal.h"
#include "inflate_zlib.h"

#include <string.h>

static const struct infl_engine *const engines[] = {
#ifdef GL_HAVE_ISAL
	&infl_isal, /* first: the fastest */
#endif
	&infl_zlib,
};

const struct infl_engine *infl_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof engines / sizeof *engines; i++)
		if (strcmp(engines[i]->name, name) == 0)
			return engines[i];
	return NULL;
}

const struct infl_engine *infl_best(void) { return engines[0]; }
