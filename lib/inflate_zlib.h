/* inflate_zlib.h - zlib's inflate, in every build, as an inflate.h engine. */
#ifndef GL_INFLATE_ZLIB_H
#define GL_INFLATE_ZLIB_H

#include "inflate.h"

extern const struct infl_engine infl_zlib;

#endif
