#include "err.h"

const char *gl_strerror(int err)
{
	switch (err) {
	case GL_OK: return "success";
	case GL_EIO: return "input/output error";
	case GL_EFORMAT: return "malformed input";
	case GL_ENOMEM: return "out of memory";
	case GL_ELIMIT: return "resource limit reached";
	case GL_EUSAGE: return "invalid usage";
	case GL_EINTR: return "interrupted";
	}
	return "unknown error";
}
