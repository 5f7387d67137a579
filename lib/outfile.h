/* outfile.h - output files that appear whole or not at all.
 *
 * outfile_open() creates a hidden temporary ".NAME.XXXXXX" beside the final
 * path; outfile_commit() flushes, fsyncs, closes and renames it into place,
 * checking every step; outfile_abort() removes it.  An earlier complete file
 * of the same name is untouched until the rename, so a failed or interrupted
 * run never loses it and never leaves a half file under the final name.
 *
 * "-" means stdout: written directly, committed by a checked fflush.
 *
 * outfile_signals() installs SIGINT/SIGTERM/SIGHUP handlers that unlink every
 * temporary still open and then die of the same signal.  The registry they
 * read is the one piece of process-wide state here; a signal handler cannot
 * be given a pointer, which is why it exists.
 */
#ifndef GL_OUTFILE_H
#define GL_OUTFILE_H

#include <stdio.h>

struct outfile {
	char *path; /* final name, owned */
	char *tmp;  /* temporary name, owned; NULL for stdout */
	FILE *fp;   /* write here (or pwrite to fileno(fp)) */
	int slot;   /* place in the signal cleanup registry, -1 if none */
};

/* Open path for writing.  0 or GL_EIO/GL_ENOMEM (message logged). */
int outfile_open(struct outfile *of, const char *path);

/* Make the file whole under its final name; on failure the temporary is
 * removed.  Either way of is released.  0 or GL_EIO (message logged). */
int outfile_commit(struct outfile *of);

/* Remove the temporary and release of.  Safe on a zeroed or released of. */
void outfile_abort(struct outfile *of);

/* Install the cleanup handlers; call once from main() before any output. */
void outfile_signals(void);

#endif
