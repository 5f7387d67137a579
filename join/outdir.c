#include "outdir.h"

#include "err.h"
#include "log.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int outdir_make(const char *dir)
{
	struct stat st;
	if (mkdir(dir, 0777) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	log_error("cannot create the output folder %s: %s", dir,
		  errno == EEXIST ? "a file has that name" : strerror(errno));
	return GL_EIO;
}
