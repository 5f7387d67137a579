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
 * A stage that writes several outputs commits them as a set: all of them
 * replace their targets, or none does.  The set is an array of outfiles
 * indexed by the caller's enum; each member is opened with outfile_open, or
 * reserved with outfile_reserve for a writer with its own outfile (a .glr,
 * a .glm, a gzip file) to put its result on.  outfile_commit_set renames
 * the members into place in index order, keeping what each target held
 * before; if the k-th rename fails, the k-1 already renamed get their
 * earlier content back (or go, if there was none) and the temporaries left
 * are removed.
 *
 * A temporary is written back to the disk as it grows: every few MiB that
 * reach it (through fp's stdio buffer, or outfile_pwrite) start the
 * kernel's write-out of what is there (sync_file_range, asynchronous; on a
 * system without it nothing happens), so that the fsync before the rename
 * finds little left to write and a stage does not wait at its end for
 * hundreds of MB held in dirty pages.  fp of a temporary is therefore a
 * stream over that file, not the descriptor's own: write at offsets through
 * outfile_pwrite and size the file with ftruncate(of->fd), never through
 * fileno(fp).
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

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct outfile_wb;

struct outfile {
	char *path; /* final name, owned */
	char *tmp;  /* temporary name, owned; NULL for stdout */
	FILE *fp;   /* write here (or with outfile_pwrite) */
	int fd;     /* the file's descriptor, while fp is open */
	int slot;   /* place in the signal cleanup registry, -1 if none */
	struct outfile_wb *wb; /* write-back state of a temporary, else NULL */
};

/* Open path for writing.  0 or GL_EIO/GL_ENOMEM (message logged). */
int outfile_open(struct outfile *of, const char *path);

/* Write len bytes of p at offset off (pwrite(2), retried until all are
 * written), beside or instead of fp's stream.  0, or GL_EIO with the
 * message "cannot write PATH: REASON" logged; the commit of a temporary
 * whose pwrite failed fails as well. */
int outfile_pwrite(struct outfile *of, const void *p, size_t len, uint64_t off);

/* Mark a temporary that is never committed (a spill, read back and then
 * removed): it is not written back early, since the disk need never see
 * it.  No-op for stdout or a device. */
void outfile_scratch(struct outfile *of);

/* How many early write-backs the file has started so far (the test's
 * view of them); 0 for stdout, a device, a scratch file, or a system
 * without sync_file_range. */
unsigned long outfile_writebacks(const struct outfile *of);

/* Flush and fsync what was written, so that the outfile_commit that follows
 * can fail only at its rename: a stage that commits several files as a set
 * flushes them all before it renames the first.  A temporary flushed so
 * and neither written to nor resized since is not fsynced again by its
 * commit (an fsync with nothing to write still waits on the device): a
 * stage can put a finished file on the disk from a thread early.  0 or
 * GL_EIO (logged); of stays open either way (commit or abort it). */
int outfile_flush(struct outfile *of);

/* Make the file whole under its final name; on failure the temporary is
 * removed.  Either way of is released.  0 or GL_EIO (message logged). */
int outfile_commit(struct outfile *of);

/* Remove the temporary and release of.  Safe on a zeroed or released of. */
void outfile_abort(struct outfile *of);

/* Make a member of a set that another writer fills: a hidden empty
 * temporary beside path (registered for the signal cleanup like any), whose
 * name is put in *write_to.  The writer opens *write_to with outfile_open
 * and commits it there (its own temporary renamed over this one); the set's
 * commit then renames *write_to to path.  For "-" or a device *write_to is
 * path itself: nothing is renamed.  0 or as outfile_open. */
int outfile_reserve(struct outfile *of, const char *path, const char **write_to);

/* Commit the n outfiles of[0..n-1] as one set.  A member never opened (a
 * zeroed outfile, or one released by a failed open) is skipped.  First every
 * member is flushed, fsynced and closed, so that a full disk fails before
 * anything is replaced; then, with signals held off, each member in index
 * order is renamed over its target, an existing target first kept under a
 * hidden name (a hard link, or a rename where links are not supported).  If
 * the k-th step fails, the k-1 targets already replaced get their kept
 * content back, a target that did not exist is removed again, and the
 * temporaries not yet renamed are removed: every target is as it was before
 * the call.  On success the kept copies are removed.  Either way every
 * member is released.  0, GL_EIO or GL_ENOMEM (logged).  A member reserved
 * with outfile_reserve must have been written by then. */
int outfile_commit_set(struct outfile *of, int n);

/* outfile_commit_set with the renames of temporaries over their targets done
 * by fn (returning 0, or -1 with errno set, as rename(2) does) instead of
 * rename(2): the test makes the k-th of them fail. */
typedef int outfile_rename_fn(const char *from, const char *to, void *arg);
int outfile_commit_set_with(struct outfile *of, int n, outfile_rename_fn *fn, void *arg);

/* outfile_abort on each of of[0..n-1]. */
void outfile_abort_set(struct outfile *of, int n);

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
