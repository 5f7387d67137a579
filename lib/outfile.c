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

/* Temporaries to unlink if a signal arrives; read by the handler only. */
static char *volatile pending[MAX_OPEN];

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
	for (int i = 0; i < MAX_OPEN; i++)
		if (!pending[i]) {
			pending[i] = tmp;
			slot = i;
			break;
		}
	unblock(&old);
	return slot;
}

static void registry_del(int slot)
{
	sigset_t old;
	if (slot < 0)
		return;
	block(&old);
	pending[slot] = NULL;
	unblock(&old);
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
	of->path = strdup(path);
	if (!of->path)
		goto nomem;
	if (strcmp(path, "-") == 0) {
		of->fp = stdout;
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
	of->fp = fdopen(fd, "w");
	if (!of->fp) {
		close(fd);
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
}

int outfile_flush(struct outfile *of)
{
	if (fflush(of->fp) != 0 || ferror(of->fp) || (of->tmp && fsync(fileno(of->fp)) != 0)) {
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
		if (of->fp && of->fp != stdout && fclose(of->fp) != 0 && !err) {
			log_error("cannot write %s: %s", of->path, strerror(errno));
			err = GL_EIO;
		}
		release(of);
		return err;
	}
	/* ferror catches a write that failed in an earlier, silent flush. */
	if (fflush(of->fp) != 0 || ferror(of->fp) || fsync(fileno(of->fp)) != 0) {
		log_error("cannot write %s: %s", of->path, strerror(errno));
		err = GL_EIO;
	}
	if (fclose(of->fp) != 0 && !err) {
		log_error("cannot write %s: %s", of->path, strerror(errno));
		err = GL_EIO;
	}
	of->fp = NULL;
	if (!err && rename(of->tmp, of->path) != 0) {
		log_error("cannot rename %s to %s: %s", of->tmp, of->path, strerror(errno));
		err = GL_EIO;
	}
	if (err)
		unlink(of->tmp);
	release(of);
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
		fclose(of->fp);
	if (of->tmp)
		unlink(of->tmp);
	release(of);
}
