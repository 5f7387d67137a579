#include "outfile.h"

#include "err.h"
#include "log.h"

#include <errno.h>
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

static void on_signal(int sig)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (pending[i])
			unlink(pending[i]);
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
	of->tmp = temp_name(path);
	if (!of->tmp)
		goto nomem;
	/* Register before the file exists so a signal can never orphan it. */
	of->slot = registry_add(of->tmp);
	int fd = mkstemp(of->tmp);
	if (fd < 0) {
		log_error("cannot create %s: %s", path, strerror(errno));
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

int outfile_commit(struct outfile *of)
{
	int err = 0;
	if (!of->tmp) {
		if (of->fp && (fflush(of->fp) != 0 || ferror(of->fp))) {
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

void outfile_abort(struct outfile *of)
{
	if (of->fp && of->fp != stdout)
		fclose(of->fp);
	if (of->tmp)
		unlink(of->tmp);
	release(of);
}
