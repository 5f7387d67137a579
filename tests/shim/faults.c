/* faults.c - an LD_PRELOAD shim that injects the faults a laptop meets
 * into any goodlens executable, for tests/e2e/hard_faults.sh.
 *
 *   GL_SHIM_READ_PATH=S  GL_SHIM_READ_FAIL=N
 *       read() on a file whose path contains S fails with EIO once N bytes
 *       of it were read (a disk or network error in the middle of a file).
 *   GL_SHIM_PAUSE_FSYNC=N  GL_SHIM_MARK=FILE
 *       the N-th fsync() (1 = the first) creates FILE and then waits for a
 *       signal for ever: outfile.h fsyncs each temporary just before its
 *       rename, so the test can interrupt a stage at its most delicate
 *       moment (outputs written, not yet in place) without guessing times.
 *
 * Build: cc -shared -fPIC -o faults.so tests/shim/faults.c -ldl
 * With an ASan build, run with ASAN_OPTIONS=verify_asan_link_order=0.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static _Atomic long long read_so_far;
static atomic_int fsyncs;

/* Does fd name a file whose path contains the configured text? */
static int watched(int fd, const char *want)
{
	char link[64], path[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n <= 0)
		return 0;
	path[n] = 0;
	return strstr(path, want) != NULL;
}

ssize_t read(int fd, void *buf, size_t count)
{
	static ssize_t (*real)(int, void *, size_t);
	if (!real)
		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	const char *want = getenv("GL_SHIM_READ_PATH"), *limit = getenv("GL_SHIM_READ_FAIL");
	if (!want || !limit || !watched(fd, want))
		return real(fd, buf, count);
	long long fail_at = atoll(limit), so_far = atomic_load(&read_so_far);
	if (so_far >= fail_at) {
		errno = EIO;
		return -1;
	}
	if ((long long)count > fail_at - so_far)
		count = (size_t)(fail_at - so_far); /* a short read up to the fault */
	ssize_t n = real(fd, buf, count);
	if (n > 0)
		atomic_fetch_add(&read_so_far, n);
	return n;
}

int fsync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	const char *at = getenv("GL_SHIM_PAUSE_FSYNC"), *mark = getenv("GL_SHIM_MARK");
	if (at && atomic_fetch_add(&fsyncs, 1) + 1 == atoi(at)) {
		if (mark) {
			int m = open(mark, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (m >= 0)
				close(m);
		}
		for (;;)
			pause();
	}
	return real(fd);
}
