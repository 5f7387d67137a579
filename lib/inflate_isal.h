/* inflate_isal.h - ISA-L's igzip inflater (builds with GL_HAVE_ISAL), as an inflate.h engine. */
#ifndef GL_INFLATE_ISAL_H
#define GL_INFLATE_ISAL_H

#include "inflate.h"

extern const struct infl_engine infl_isal;

#endif
