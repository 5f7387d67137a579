/* outfile.h - output files that appear whole or not at all.
 *
 * outfile_open() creates a hidden temporary ".NAME.XXXXXX" beside the final
 * path; outfile_commit() flushes, fsyncs, closes and renames it into place,
 * checking every step; outfile_abort() removes it.  An earlier complete file
 * of the same name is untouched until the rename, so a failed or interrupted
 * run never loses it and never leaves a half file under the final name.
 *
 * "-" means stdout: written directly, committed by a checked fflush.  So is
 * a path that exists and is neither a regular file nor a folder (/dev/null,
 * /dev/full, /dev/stdout, a FIFO): there is no file to replace whole, and a
 * temporary renamed over a device node would destroy it.
 *
 * outfile_signals() installs SIGINT/SIGTERM/SIGHUP/SIGPIPE handlers that
 * unlink every temporary still open, say so on stderr (not with --quiet) and
 * then die of the same signal; and it ignores SIGXFSZ, so a write past
 * `ulimit -f` fails with EFBIG through the normal error path.  The registry they
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

/* Flush and fsync what was written, so that the outfile_commit that follows
 * can fail only at its rename: a stage that commits several files as a set
 * flushes them all before it renames the first.  0 or GL_EIO (logged); of
 * stays open either way (commit or abort it). */
int outfile_flush(struct outfile *of);

/* Make the file whole under its final name; on failure the temporary is
 * removed.  Either way of is released.  0 or GL_EIO (message logged). */
int outfile_commit(struct outfile *of);

/* Remove the temporary and release of.  Safe on a zeroed or released of. */
void outfile_abort(struct outfile *of);

/* Create folder dir and any missing parents (mkdir -p), 0777 less the
 * umask, and check that it can take new files.  0, or GL_EIO when a
 * component cannot be made or is a file, or the folder cannot be written
 * ("cannot write into folder DIR: Read-only file system"), or GL_EUSAGE for
 * a path over 4095 bytes (logged).  outfile_open names the folder, not the
 * file, when the folder refuses a new file. */
int outfile_mkdirs(const char *dir);

/* Install the cleanup handlers; call once from main() before any output. */
void outfile_signals(void);

#endif
