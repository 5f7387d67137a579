#include "outfile.h"

#include "err.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_OPEN 64

/* Temporaries to unlink if a signal arrives; read by the handler only.
 * Threads of a stage may open and release outputs at the same time (the
 * extract writes its ratings file on one): the lock keeps two of them off
 * one slot.  The handler takes no lock; it runs with the slots whole,
 * since signals are held off while a slot changes. */
static char *volatile pending[MAX_OPEN];
static pthread_mutex_t pending_mu = PTHREAD_MUTEX_INITIALIZER;

static void block(sigset_t *old)
{
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, old);
}

static void unblock(const sigset_t *old) { pthread_sigmask(SIG_SETMASK, old, NULL); }

static int registry_add(char *tmp)
{
	sigset_t old;
	int slot = -1;
	block(&old);
	pthread_mutex_lock(&pending_mu);
	for (int i = 0; i < MAX_OPEN; i++)
		if (!pending[i]) {
			pending[i] = tmp;
			slot = i;
			break;
		}
	pthread_mutex_unlock(&pending_mu);
	unblock(&old);
	return slot;
}

static void registry_del(int slot)
{
	sigset_t old;
	if (slot < 0)
		return;
	block(&old);
	pthread_mutex_lock(&pending_mu);
	pending[slot] = NULL;
	pthread_mutex_unlock(&pending_mu);
	unblock(&old);
}

/* ---- early write-back ------------------------------------------------------- */

/* A stage that writes hundreds of MB would otherwise hand them all to the
 * disk at its final fsync: with plenty of memory nothing leaves the page
 * cache before, and the fsync (and the device's cache flush it ends with,
 * which on a virtual disk costs in proportion to the data behind it) is
 * then a third of the stage.  So, as a temporary grows:
 *
 * - every WB_STEP bytes the kernel is asked to start writing the file's
 *   dirty pages out (sync_file_range, asynchronous: the writer goes on);
 * - every SYNC_STEP bytes a thread of the file's own (started at the first
 *   SYNC_STEP, so small files never have one) runs fdatasync, taking the
 *   device's flush off the writer's path.
 *
 * The fsync at the commit then finds a few MiB left.  What fails early
 * is remembered and fails the commit: the syncer's fdatasync consumes the
 * file's write-back error, which the final fsync would no longer see.
 *
 * The stream keeps stdio's own buffer (8 KiB for a cookie stream): the
 * large writers format megabytes before they fwrite them, which stdio then
 * writes straight from their memory, past a buffer that would only copy
 * them once more. */
#define WB_STEP ((uint64_t)4 << 20)
#define SYNC_STEP ((uint64_t)16 << 20)
#define WB_PAGE ((uint64_t)4096)

#if defined(__linux__)
#define HAVE_WRITEBACK 1
#else
#define HAVE_WRITEBACK 0
#endif

enum { SYNCER_NONE, SYNCER_RUNNING, SYNCER_DONE };

struct outfile_wb {
	int fd;
	int on;              /* write back early: not a scratch file */
	uint64_t pos;        /* the stream's end, where its next write goes */
	uint64_t end;        /* highest offset written by either path */
	uint64_t since;      /* bytes written since the last write-back began */
	uint64_t asked;      /* end when the syncer was last asked */
	unsigned long kicks; /* write-backs begun */
	int err;             /* errno of a failed early write-back, or 0 */
	int synced;          /* fsynced, and nothing written since */
	int64_t synced_size; /* the file's size then */
	/* the syncer thread; want, done, stop and serr under mu */
	int syncer;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t want, done;
	int stop, serr;
};

#if HAVE_WRITEBACK
static void *syncer_main(void *arg)
{
	struct outfile_wb *w = arg;
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		if (w->want == w->done || w->serr) {
			pthread_cond_wait(&w->cv, &w->mu);
			continue;
		}
		uint64_t want = w->want;
		pthread_mutex_unlock(&w->mu);
		int r = fdatasync(w->fd);
		int e = errno;
		pthread_mutex_lock(&w->mu);
		if (r != 0)
			w->serr = e;
		w->done = want;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Ask the syncer (started now if need be) to fdatasync what is written. */
static void syncer_ask(struct outfile_wb *w)
{
	if (w->syncer == SYNCER_NONE) {
		w->syncer = SYNCER_DONE; /* unless it starts */
		if (pthread_mutex_init(&w->mu, NULL) != 0)
			return;
		if (pthread_cond_init(&w->cv, NULL) != 0) {
			pthread_mutex_destroy(&w->mu);
			return;
		}
		/* the thread takes no signals: they are the main thread's */
		sigset_t old;
		block(&old);
		int r = pthread_create(&w->th, NULL, syncer_main, w);
		unblock(&old);
		if (r != 0) {
			pthread_cond_destroy(&w->cv);
			pthread_mutex_destroy(&w->mu);
			return;
		}
		w->syncer = SYNCER_RUNNING;
	}
	if (w->syncer != SYNCER_RUNNING)
		return;
	pthread_mutex_lock(&w->mu);
	w->want = w->end;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}
#endif

/* n bytes reached the file at off (one writer at a time). */
static void wb_note(struct outfile_wb *w, uint64_t off, size_t n)
{
	w->synced = 0;
	if (off + n > w->end)
		w->end = off + n;
	w->since += n;
	if (!w->on || w->since < WB_STEP)
		return;
	w->since = 0;
#if HAVE_WRITEBACK
	/* Whole pages only: the partial last one is written to again soon.
	 * Pages already on their way are skipped.  A failure here is not
	 * kept: it leaves the file's error for the fsync to report. */
	uint64_t upto = w->end & ~(WB_PAGE - 1);
	int e = errno;
	if (sync_file_range(w->fd, 0, (off_t)upto, SYNC_FILE_RANGE_WRITE) == 0)
		w->kicks++;
	if (w->end - w->asked >= SYNC_STEP) {
		w->asked = w->end;
		syncer_ask(w);
	}
	errno = e;
#endif
}

/* Stop the syncer (it is not started again).  0, or the errno of the
 * first early write-back that failed. */
static int wb_finish(struct outfile_wb *w)
{
#if HAVE_WRITEBACK
	if (w->syncer == SYNCER_RUNNING) {
		pthread_mutex_lock(&w->mu);
		w->stop = 1;
		pthread_cond_signal(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->th, NULL);
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		if (!w->err)
			w->err = w->serr;
	}
#endif
	w->syncer = SYNCER_DONE;
	return w->err;
}

#if HAVE_WRITEBACK
/* The temporary's stream: write(2) to the descriptor, noting the bytes. */
static ssize_t wb_write(void *cookie, const char *p, size_t n)
{
	struct outfile_wb *w = cookie;
	size_t done = 0;
	while (done < n) {
		ssize_t k = write(w->fd, p + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			break;
		}
		done += (size_t)k;
	}
	if (done) {
		int e = errno;
		wb_note(w, w->pos, done);
		w->pos += done;
		errno = e;
	}
	/* short = failed: stdio sets the stream's error flag */
	return (ssize_t)done;
}

static int wb_close(void *cookie)
{
	struct outfile_wb *w = cookie;
	int r = close(w->fd);
	free(w);
	return r == 0 ? 0 : EOF;
}
#endif

/* The stream over a new temporary's fd (closed on failure): a cookie
 * stream that writes back early where the system has one, else fdopen.
 * NULL when out of memory. */
static FILE *wb_stream(struct outfile *of, int fd)
{
	struct outfile_wb *w = calloc(1, sizeof *w);
	if (!w) {
		close(fd);
		return NULL;
	}
	w->fd = fd;
	w->on = 1;
	FILE *fp = NULL;
#if HAVE_WRITEBACK
	cookie_io_functions_t io = {.write = wb_write, .close = wb_close};
	fp = fopencookie(w, "w", io);
#else
	fp = fdopen(fd, "w");
#endif
	if (!fp) {
		close(fd);
		free(w);
		return NULL;
	}
	of->fd = fd;
	of->wb = w;
	return fp;
}

/* Close of's stream (its cookie frees the write-back state).  0 or EOF. */
static int close_stream(struct outfile *of)
{
	if (of->wb)
		wb_finish(of->wb);
	int r = fclose(of->fp);
#if !HAVE_WRITEBACK
	free(of->wb);
#endif
	of->fp = NULL;
	of->wb = NULL;
	of->fd = -1;
	return r;
}

/* The size of a temporary's file, or -1. */
static int64_t file_size(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? (int64_t)st.st_size : -1;
}

/* Flush of's stream and, for a temporary, put it on the disk: the early
 * write-back finished, then fsync.  A file already put there by
 * outfile_flush (on a thread of its own, say) and neither written to nor
 * resized since is not fsynced again: even with nothing to write an fsync
 * waits on the device, milliseconds at the very end of a stage.  0, or -1
 * with errno set. */
static int to_disk(struct outfile *of)
{
	if (fflush(of->fp) != 0 || ferror(of->fp))
		return -1;
	if (!of->tmp)
		return 0;
	struct outfile_wb *w = of->wb;
	int e = w ? wb_finish(w) : 0;
	if (e) {
		errno = e;
		return -1;
	}
	/* the stream's writes pass wb_note only through the cookie */
	int seen = HAVE_WRITEBACK && w;
	if (seen && w->synced && w->synced_size == file_size(of->fd))
		return 0;
	if (fsync(of->fd) != 0)
		return -1;
	if (seen) {
		w->synced = 1;
		w->synced_size = file_size(of->fd);
	}
	return 0;
}

/* write(2) and strlen are async-signal-safe; stdio and log.h are not. */
static void say(const char *s)
{
	ssize_t n = write(2, s, strlen(s));
	(void)n;
}

static void on_signal(int sig)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (pending[i])
			unlink(pending[i]);
	if (sig != SIGPIPE && log_verbosity() > LOG_QUIET) {
		say(log_prog());
		say(sig == SIGINT ? ": interrupted" : sig == SIGTERM ? ": terminated" : ": hangup");
		say(", temporary files removed\n");
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void outfile_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* a reader of stdout that went away (| head) ends the run as usual,
	 * but not before the temporaries are gone */
	sigaction(SIGPIPE, &sa, NULL);
	/* past ulimit -f a write fails with EFBIG and the run ends through
	 * its error path, instead of dying with its temporaries on disk */
	signal(SIGXFSZ, SIG_IGN);
}

/* ".base.XXXXXX" in the directory of path. */
static char *temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
	const char *base = path + dirlen;
	size_t n = dirlen + 1 + strlen(base) + 8;
	char *t = malloc(n);
	if (t)
		snprintf(t, n, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
	return t;
}

/* Why a file could not be made in path's folder.  A folder the user cannot
 * write into is named as such: the file may be an internal temporary
 * (ratings.spill) the user never asked for. */
static void say_cannot_create(const char *path, int e)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	snprintf(dir, sizeof dir, "%.*s", slash ? (slash > path ? (int)(slash - path) : 1) : 1,
		 slash ? path : ".");
	struct stat st;
	/* a folder that exists and still says ENOENT (/proc) takes no files */
	int exists = e == ENOENT && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	if (e == EACCES || e == EPERM || e == EROFS || e == ENOENT || e == ENOTDIR)
		log_error("cannot write into folder %s: %s", dir,
			  exists ? "it takes no new files" : strerror(e));
	else
		log_error("cannot create %s: %s", path, strerror(e));
}

int outfile_open(struct outfile *of, const char *path)
{
	memset(of, 0, sizeof *of);
	of->slot = -1;
	of->fd = -1;
	of->path = strdup(path);
	if (!of->path)
		goto nomem;
	if (strcmp(path, "-") == 0) {
		of->fp = stdout;
		of->fd = fileno(stdout);
		return 0;
	}
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		/* A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written
		 * in place: a temporary renamed over it would replace the node. */
		if (!(of->fp = fopen(path, "w"))) {
			log_error("cannot open %s: %s", path, strerror(errno));
			free(of->path);
			memset(of, 0, sizeof *of);
			return GL_EIO;
		}
		of->fd = fileno(of->fp);
		return 0;
	}
	of->tmp = temp_name(path);
	if (!of->tmp)
		goto nomem;
	/* Register before the file exists so a signal can never orphan it. */
	of->slot = registry_add(of->tmp);
	int fd = mkstemp(of->tmp);
	if (fd < 0) {
		say_cannot_create(path, errno);
		registry_del(of->slot);
		free(of->tmp);
		free(of->path);
		memset(of, 0, sizeof *of);
		return GL_EIO;
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	of->fp = wb_stream(of, fd);
	if (!of->fp) {
		outfile_abort(of);
		goto nomem;
	}
	return 0;
nomem:
	log_error("out of memory opening %s", path);
	free(of->path);
	free(of->tmp);
	memset(of, 0, sizeof *of);
	return GL_ENOMEM;
}

static void release(struct outfile *of)
{
	if (of->tmp) /* only temporaries are registered */
		registry_del(of->slot);
	free(of->path);
	free(of->tmp);
	memset(of, 0, sizeof *of);
	of->slot = -1;
	of->fd = -1;
}

int outfile_pwrite(struct outfile *of, const void *p, size_t len, uint64_t off)
{
	const char *c = p;
	while (len) {
		ssize_t n = pwrite(of->fd, c, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			log_error("cannot write %s: %s", of->path, n < 0 ? strerror(e) : "short write");
			/* and the commit fails too, as after a failed stdio write */
			if (of->wb && !of->wb->err)
				of->wb->err = e;
			return GL_EIO;
		}
		if (of->wb)
			wb_note(of->wb, off, (size_t)n);
		c += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

void outfile_scratch(struct outfile *of)
{
	if (of->wb)
		of->wb->on = 0;
}

unsigned long outfile_writebacks(const struct outfile *of) { return of->wb ? of->wb->kicks : 0; }

int outfile_flush(struct outfile *of)
{
	if (to_disk(of) != 0) {
		log_error("cannot write %s: %s", of->path, strerror(errno));
		return GL_EIO;
	}
	return 0;
}

int outfile_commit(struct outfile *of)
{
	int err = 0;
	if (!of->tmp) {
		if (of->fp && (fflush(of->fp) != 0 || ferror(of->fp))) {
			log_error("cannot write %s: %s", of->path, strerror(errno));
			err = GL_EIO;
		}
		if (of->fp && of->fp != stdout && close_stream(of) != 0 && !err) {
			log_error("cannot write %s: %s", of->path, strerror(errno));
			err = GL_EIO;
		}
		release(of);
		return err;
	}
	/* ferror catches a write that failed in an earlier, silent flush. */
	if (to_disk(of) != 0) {
		log_error("cannot write %s: %s", of->path, strerror(errno));
		err = GL_EIO;
	}
	if (close_stream(of) != 0 && !err) {
		log_error("cannot write %s: %s", of->path, strerror(errno));
		err = GL_EIO;
	}
	if (!err && rename(of->tmp, of->path) != 0) {
		log_error("cannot rename %s to %s: %s", of->tmp, of->path, strerror(errno));
		err = GL_EIO;
	}
	if (err)
		unlink(of->tmp);
	release(of);
	return err;
}

/* ---- sets ------------------------------------------------------------------ */

int outfile_reserve(struct outfile *of, const char *path, const char **write_to)
{
	struct stat st;
	if (strcmp(path, "-") == 0 ||
	    (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))) {
		/* the writer writes it in place, as outfile_open would (and a
		 * FIFO is not opened twice) */
		memset(of, 0, sizeof *of);
		of->slot = -1;
		if (!(of->path = strdup(path))) {
			log_error("out of memory opening %s", path);
			return GL_ENOMEM;
		}
		*write_to = of->path;
		return 0;
	}
	int err = outfile_open(of, path);
	if (err)
		return err;
	/* empty: only the name is kept, for the writer to rename its file onto */
	close_stream(of);
	*write_to = of->tmp;
	return 0;
}

void outfile_abort_set(struct outfile *of, int n)
{
	for (int i = 0; i < n; i++)
		outfile_abort(&of[i]);
}

/* Flush, fsync and close a member, so that only its rename is left.  A
 * member another writer filled (fp NULL) has nothing to close. */
static int close_member(struct outfile *of)
{
	int err = 0;
	if (!of->fp)
		return 0;
	if (to_disk(of) != 0) {
		log_error("cannot write %s: %s", of->path, strerror(errno));
		err = GL_EIO;
	}
	if (of->fp != stdout && close_stream(of) != 0 && !err) {
		log_error("cannot write %s: %s", of->path, strerror(errno));
		err = GL_EIO;
	}
	of->fp = NULL;
	return err;
}

/* What a target held before the set replaced it: a hidden name beside it,
 * NULL if there was nothing; moved = the target itself was moved there (no
 * hard links), so that until its replacement arrives it is absent. */
struct kept {
	char *name;
	int moved;
};

static int keep_old(const char *path, struct kept *k)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		log_error("cannot replace %s: %s", path, strerror(errno));
		return GL_EIO;
	}
	/* nothing is renamed over a folder: that rename fails, keeping it */
	if (S_ISDIR(st.st_mode))
		return 0;
	char *b = temp_name(path);
	if (!b) {
		log_error("out of memory replacing %s", path);
		return GL_ENOMEM;
	}
	int fd = mkstemp(b); /* a fresh name of our own */
	if (fd >= 0) {
		close(fd);
		/* a hard link leaves path in place meanwhile; where there are
		 * none, path is moved aside until its replacement arrives */
		if (unlink(b) == 0 && link(path, b) == 0) {
			k->name = b;
			return 0;
		}
		if (rename(path, b) == 0) {
			k->name = b;
			k->moved = 1;
			return 0;
		}
		unlink(b);
	}
	log_error("cannot keep %s while replacing it: %s", path, strerror(errno));
	free(b);
	return GL_EIO;
}

/* Give a replaced target its earlier content back, or remove it if it had
 * none.  Should that fail, the earlier content stays under its hidden name,
 * which the message gives. */
static void put_back(const char *path, struct kept *k)
{
	if (!k->name) {
		if (unlink(path) != 0 && errno != ENOENT)
			log_error("cannot remove %s again: %s", path, strerror(errno));
		return;
	}
	if (rename(k->name, path) != 0)
		log_error("cannot put back the earlier %s: %s; it is in %s", path, strerror(errno),
			  k->name);
	free(k->name);
	k->name = NULL;
}

/* The target of the member that failed was not replaced: drop its kept
 * link, or move it back if it was moved aside. */
static void drop_kept(const char *path, struct kept *k)
{
	if (k->moved)
		put_back(path, k);
	else if (k->name)
		unlink(k->name);
	free(k->name);
	k->name = NULL;
}

static int rename_sys(const char *from, const char *to, void *arg)
{
	(void)arg;
	return rename(from, to);
}

int outfile_commit_set(struct outfile *of, int n) { return outfile_commit_set_with(of, n, rename_sys, NULL); }

int outfile_commit_set_with(struct outfile *of, int n, outfile_rename_fn *fn, void *arg)
{
	int err = 0;
	for (int i = 0; i < n && !err; i++)
		err = close_member(&of[i]);
	struct kept *kept = err ? NULL : calloc((size_t)n + 1, sizeof *kept);
	if (!err && !kept) {
		log_error("out of memory committing the outputs");
		err = GL_ENOMEM;
	}
	if (err) {
		outfile_abort_set(of, n);
		return err;
	}
	/* a signal between two renames would leave part of the set replaced:
	 * it waits until the set is whole, old or new */
	sigset_t old;
	block(&old);
	int k = 0;
	for (; k < n && !err; k++) {
		if (!of[k].tmp)
			continue; /* never opened, or written in place */
		if ((err = keep_old(of[k].path, &kept[k])))
			break;
		if (fn(of[k].tmp, of[k].path, arg) != 0) {
			int e = errno;
			log_error("cannot rename %s to %s: %s", of[k].tmp, of[k].path, strerror(e));
			drop_kept(of[k].path, &kept[k]);
			err = GL_EIO;
			break;
		}
	}
	if (err) {
		/* the set is only good whole: take back the k renamed before */
		for (int j = k - 1; j >= 0; j--) {
			if (of[j].tmp)
				put_back(of[j].path, &kept[j]);
			release(&of[j]); /* its temporary is gone: renamed */
		}
		outfile_abort_set(of + k, n - k);
	} else {
		for (int i = 0; i < n; i++) {
			if (kept[i].name)
				unlink(kept[i].name);
			free(kept[i].name);
			release(&of[i]);
		}
	}
	unblock(&old);
	free(kept);
	return err;
}

int outfile_mkdirs(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);
	if (n >= sizeof buf) {
		log_error("output path too long: %s", path);
		return GL_EUSAGE;
	}
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != 0)
			continue;
		char keep = buf[i];
		buf[i] = 0;
		struct stat st;
		if (mkdir(buf, 0777) != 0 && (errno != EEXIST || stat(buf, &st) != 0 ||
					       !S_ISDIR(st.st_mode))) {
			log_error("cannot create folder %s: %s", buf,
				  errno == EEXIST ? "a file has that name" : strerror(errno));
			return GL_EIO;
		}
		buf[i] = keep;
	}
	/* say now, not after the work, that nothing can be written here */
	if (faccessat(AT_FDCWD, path, W_OK | X_OK, AT_EACCESS) != 0) {
		log_error("cannot write into folder %s: %s", path, strerror(errno));
		return GL_EIO;
	}
	return 0;
}

void outfile_abort(struct outfile *of)
{
	if (of->fp && of->fp != stdout)
		close_stream(of);
	if (of->tmp)
		unlink(of->tmp);
	release(of);
}
