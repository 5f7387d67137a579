/* Unit tests for lib/outfile: a file appears whole or not at all, the
 * earlier file survives a failed or aborted run, devices and "-" are
 * written in place, mkdir -p, the signal cleanup (in a child process), and
 * a set committed whole or not at all whichever of its renames fails.
 * The messages are checked for the path they name, not word for word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "log.h"
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The names in dir starting with '.' (but . and ..), or 0. */
static int hidden_in(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = 0;
	fclose(f);
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* stderr of a call, through a temporary file */
static int saved_err = -1;
static FILE *err_file;
static void err_start(void)
{
	fflush(stderr);
	err_file = tmpfile();
	assert_non_null(err_file);
	saved_err = dup(2);
	dup2(fileno(err_file), 2);
}
static void err_end(char *buf, size_t cap)
{
	fflush(stderr);
	dup2(saved_err, 2);
	close(saved_err);
	rewind(err_file);
	size_t n = fread(buf, 1, cap - 1, err_file);
	buf[n] = 0;
	fclose(err_file);
}

static void test_whole_or_nothing(void **state)
{
	(void)state;
	char buf[256];
	assert_int_equal(outfile_mkdirs("w"), 0);
	struct outfile of;
	assert_int_equal(outfile_open(&of, "w/out.csv"), 0);
	assert_non_null(of.tmp);
	assert_int_equal(strncmp(of.tmp, "w/.out.csv.", 11), 0);
	fputs("a,b\n1,2\n", of.fp);
	/* nothing under the final name until the commit */
	assert_int_equal(access("w/out.csv", F_OK), -1);
	assert_int_equal(hidden_in("w"), 1);
	assert_int_equal(outfile_flush(&of), 0);
	assert_int_equal(access("w/out.csv", F_OK), -1);
	assert_int_equal(outfile_commit(&of), 0);
	slurp("w/out.csv", buf, sizeof buf);
	assert_string_equal(buf, "a,b\n1,2\n");
	assert_int_equal(hidden_in("w"), 0);
	assert_null(of.path);
	assert_null(of.tmp);
	/* the mode is 0666 less the umask, as fopen would make it */
	struct stat st;
	mode_t mask = umask(0);
	umask(mask);
	assert_int_equal(stat("w/out.csv", &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
}

static void test_earlier_file_kept(void **state)
{
	(void)state;
	char buf[256];
	assert_int_equal(outfile_mkdirs("k"), 0);
	spit("k/t.csv", "old\n");
	struct outfile of;
	assert_int_equal(outfile_open(&of, "k/t.csv"), 0);
	fputs("new, half written", of.fp);
	fflush(of.fp);
	slurp("k/t.csv", buf, sizeof buf);
	assert_string_equal(buf, "old\n");
	outfile_abort(&of);
	slurp("k/t.csv", buf, sizeof buf);
	assert_string_equal(buf, "old\n");
	assert_int_equal(hidden_in("k"), 0);
	/* abort is safe twice and on a zeroed outfile */
	outfile_abort(&of);
	struct outfile zero;
	memset(&zero, 0, sizeof zero);
	outfile_abort(&zero);
	/* a commit replaces it whole */
	assert_int_equal(outfile_open(&of, "k/t.csv"), 0);
	fputs("new\n", of.fp);
	assert_int_equal(outfile_commit(&of), 0);
	slurp("k/t.csv", buf, sizeof buf);
	assert_string_equal(buf, "new\n");
}

static void test_open_fails(void **state)
{
	(void)state;
	char msg[512];
	struct outfile of;
	err_start();
	int err = outfile_open(&of, "no/such/dir/out.csv");
	err_end(msg, sizeof msg);
	assert_int_equal(err, GL_EIO);
	assert_non_null(strstr(msg, "no/such/dir")); /* the folder is named */
	assert_null(of.path);
	assert_null(of.fp);
	outfile_abort(&of); /* released: safe */
}

/* A device is written in place: no temporary beside it, the node stays. */
static void test_devices_in_place(void **state)
{
	(void)state;
	struct outfile of;
	assert_int_equal(outfile_open(&of, "/dev/null"), 0);
	assert_null(of.tmp);
	fputs("discarded\n", of.fp);
	assert_int_equal(outfile_commit(&of), 0);
	struct stat st;
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	/* a full device: the commit's flush fails, and says which file */
	if (access("/dev/full", W_OK) != 0)
		skip();
	char msg[512];
	assert_int_equal(outfile_open(&of, "/dev/full"), 0);
	assert_null(of.tmp);
	for (int i = 0; i < 2000; i++)
		fputs("0123456789abcdef0123456789abcdef\n", of.fp);
	err_start();
	int err = outfile_commit(&of);
	err_end(msg, sizeof msg);
	assert_int_equal(err, GL_EIO);
	assert_non_null(strstr(msg, "/dev/full"));
	assert_int_equal(stat("/dev/full", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

static void test_stdout(void **state)
{
	(void)state;
	struct outfile of;
	assert_int_equal(outfile_open(&of, "-"), 0);
	assert_true(of.fp == stdout);
	assert_null(of.tmp);
	assert_int_equal(outfile_commit(&of), 0);
	/* stdout stays open for the rest of the program */
	assert_true(fileno(stdout) == 1);
	assert_int_equal(fflush(stdout), 0);
}

static void test_mkdirs(void **state)
{
	(void)state;
	char msg[512];
	struct stat st;
	assert_int_equal(outfile_mkdirs("m/a/b/c"), 0);
	assert_int_equal(stat("m/a/b/c", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(outfile_mkdirs("m/a/b/c"), 0); /* exists: fine */
	assert_int_equal(outfile_mkdirs("m/a/b/c/"), 0);
	spit("m/file", "x");
	err_start();
	int err = outfile_mkdirs("m/file/sub");
	err_end(msg, sizeof msg);
	assert_int_equal(err, GL_EIO);
	assert_non_null(strstr(msg, "m/file"));
	char *longp = malloc(5000);
	assert_non_null(longp);
	memset(longp, 'd', 4999);
	longp[4999] = 0;
	err_start();
	err = outfile_mkdirs(longp);
	err_end(msg, sizeof msg);
	free(longp);
	assert_int_equal(err, GL_EUSAGE);
}

/* In a child: SIGTERM with a temporary open removes it and the child dies
 * of SIGTERM; the earlier file is untouched. */
static void test_signal_cleanup(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(outfile_mkdirs("s"), 0);
	spit("s/keep.csv", "old\n");
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		log_init("test_outfile", LOG_QUIET);
		outfile_signals();
		struct outfile a, b;
		if (outfile_open(&a, "s/keep.csv") || outfile_open(&b, "s/new.csv"))
			_exit(3);
		fputs("half", a.fp);
		fflush(a.fp);
		if (hidden_in("s") != 2)
			_exit(4);
		raise(SIGTERM);
		_exit(5); /* not reached */
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGTERM);
	assert_int_equal(hidden_in("s"), 0);
	assert_int_equal(access("s/new.csv", F_OK), -1);
	slurp("s/keep.csv", buf, sizeof buf);
	assert_string_equal(buf, "old\n");
}

/* Past `ulimit -f` the write fails (SIGXFSZ is ignored): the commit
 * reports it and nothing is left. */
static void test_file_size_limit(void **state)
{
	(void)state;
	assert_int_equal(outfile_mkdirs("f"), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		log_init("test_outfile", LOG_QUIET);
		if (!freopen("/dev/null", "w", stderr)) /* the expected "File too large" */
			_exit(2);
		outfile_signals();
		struct rlimit rl = {.rlim_cur = 4096, .rlim_max = 4096};
		if (setrlimit(RLIMIT_FSIZE, &rl))
			_exit(3);
		struct outfile of;
		if (outfile_open(&of, "f/big.csv"))
			_exit(4);
		for (int i = 0; i < 1000; i++)
			fputs("0123456789abcdef0123456789abcdef\n", of.fp);
		_exit(outfile_commit(&of) == GL_EIO ? 0 : 6);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(access("f/big.csv", F_OK), -1);
	assert_int_equal(hidden_in("f"), 0);
}

/* ---- early write-back ------------------------------------------------------ */

/* The byte at offset i of the file test_writeback makes: the stdio part
 * first, then the part written at offsets, both sizes past SYNC_STEP. */
#define WB_STDIO ((size_t)20 << 20)
#define WB_PWRITE ((size_t)18 << 20)
static unsigned char wb_byte(size_t i) { return (unsigned char)(i * 2654435761u >> 13); }

/* Tens of MiB through the stream and through outfile_pwrite start early
 * write-backs on the way, and the committed file holds every byte; a
 * scratch file starts none. */
static void test_writeback(void **state)
{
	(void)state;
	assert_int_equal(outfile_mkdirs("w"), 0);
	struct outfile of;
	assert_int_equal(outfile_open(&of, "w/big.bin"), 0);
	enum { CH = 1 << 16 };
	static unsigned char ch[CH];
	for (size_t off = 0; off < WB_STDIO; off += CH) {
		for (size_t k = 0; k < CH; k++)
			ch[k] = wb_byte(off + k);
		/* odd-sized pieces, as a CSV writer's */
		assert_int_equal(fwrite(ch, 1, 1000, of.fp), 1000);
		assert_int_equal(fwrite(ch + 1000, 1, CH - 1000, of.fp), CH - 1000);
	}
	unsigned long stdio_wb = outfile_writebacks(&of);
	/* the offset part back to front, as a .glr writer fills sections */
	for (size_t off = WB_PWRITE; off > 0; off -= CH) {
		size_t at = WB_STDIO + off - CH;
		for (size_t k = 0; k < CH; k++)
			ch[k] = wb_byte(at + k);
		assert_int_equal(outfile_pwrite(&of, ch, CH, at), 0);
	}
	unsigned long all_wb = outfile_writebacks(&of);
#ifdef __linux__
	assert_true(stdio_wb >= 3);
	assert_true(all_wb >= stdio_wb + 3);
#else
	(void)stdio_wb;
	(void)all_wb;
#endif
	assert_int_equal(outfile_commit(&of), 0);

	FILE *f = fopen("w/big.bin", "rb");
	assert_non_null(f);
	size_t i = 0, n;
	while ((n = fread(ch, 1, CH, f)) > 0)
		for (size_t k = 0; k < n; k++, i++)
			if (ch[k] != wb_byte(i))
				fail_msg("byte %zu is %u, expected %u", i, ch[k], wb_byte(i));
	fclose(f);
	assert_int_equal(i, WB_STDIO + WB_PWRITE);
	assert_int_equal(hidden_in("w"), 0);

	assert_int_equal(outfile_open(&of, "w/scratch.bin"), 0);
	outfile_scratch(&of);
	for (size_t off = 0; off < WB_STDIO; off += CH)
		assert_int_equal(fwrite(ch, 1, CH, of.fp), CH);
	assert_int_equal(outfile_writebacks(&of), 0);
	outfile_abort(&of);
	assert_int_equal(hidden_in("w"), 0);
	assert_int_equal(unlink("w/big.bin"), 0);
}

/* A write that fails past the early write-backs (ulimit -f at 24 MiB, past
 * the first syncs) is reported by the commit, through the stream and
 * through outfile_pwrite alike, and nothing is left. */
static void test_writeback_write_fails(void **state)
{
	(void)state;
	assert_int_equal(outfile_mkdirs("w"), 0);
	for (int how = 0; how < 2; how++) {
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			log_init("test_outfile", LOG_QUIET);
			if (!freopen("/dev/null", "w", stderr))
				_exit(2);
			outfile_signals();
			struct rlimit rl = {.rlim_cur = 24 << 20, .rlim_max = 24 << 20};
			if (setrlimit(RLIMIT_FSIZE, &rl))
				_exit(3);
			struct outfile of;
			if (outfile_open(&of, "w/big.bin"))
				_exit(4);
			static char ch[1 << 16];
			memset(ch, 'x', sizeof ch);
			int failed = 0;
			for (uint64_t off = 0; off < (32 << 20); off += sizeof ch)
				if (how == 0)
					fwrite(ch, 1, sizeof ch, of.fp);
				else if (outfile_pwrite(&of, ch, sizeof ch, off) != 0)
					failed = 1;
			if (how == 0 && !outfile_writebacks(&of))
				_exit(5);
			if (how == 1 && !failed)
				_exit(6);
			_exit(outfile_commit(&of) == GL_EIO ? 0 : 7);
		}
		int st;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
		assert_int_equal(access("w/big.bin", F_OK), -1);
		assert_int_equal(hidden_in("w"), 0);
	}
}

/* ---- sets ------------------------------------------------------------------ */

/* The set under test, in folder "s": members in this order, one of each
 * kind a stage has (a target that exists, one that does not, a member
 * another writer fills, a slot never opened). */
enum { S_OLD, S_NEW, S_SKIPPED, S_WRITER, S_OLD2, S_N };
static const char *const s_path[S_N] = {"s/a.csv", "s/b.csv", "s/never.csv", "s/c.glr", "s/d.csv"};
static const char *const s_before[S_N] = {"old a\n", NULL, NULL, "old c\n", "old d\n"};
enum { S_RENAMES = 4 }; /* the members with a temporary */

/* Fails the k-th rename it is asked for (1-based), counting them all. */
struct fail_at {
	int k, calls;
};

static int failing_rename(const char *from, const char *to, void *arg)
{
	struct fail_at *f = arg;
	if (++f->calls == f->k) {
		errno = EIO;
		return -1;
	}
	return rename(from, to);
}

static void set_prepare(struct outfile *of)
{
	assert_int_equal(outfile_mkdirs("s"), 0);
	for (int i = 0; i < S_N; i++) {
		unlink(s_path[i]);
		if (s_before[i])
			spit(s_path[i], s_before[i]);
	}
	memset(of, 0, S_N * sizeof *of);
	for (int i = 0; i < S_N; i++) {
		if (i == S_SKIPPED)
			continue;
		char text[64];
		snprintf(text, sizeof text, "new %d\n", i);
		if (i == S_WRITER) {
			/* the writer's own outfile lands on the reserved name */
			const char *to;
			struct outfile w;
			assert_int_equal(outfile_reserve(&of[i], s_path[i], &to), 0);
			assert_null(of[i].fp);
			assert_string_not_equal(to, s_path[i]);
			assert_int_equal(outfile_open(&w, to), 0);
			fputs(text, w.fp);
			assert_int_equal(outfile_commit(&w), 0);
		} else {
			assert_int_equal(outfile_open(&of[i], s_path[i]), 0);
			fputs(text, of[i].fp);
		}
	}
	/* nothing replaced yet */
	for (int i = 0; i < S_N; i++)
		if (!s_before[i])
			assert_int_equal(access(s_path[i], F_OK), -1);
}

/* Every target holds what it held before (absent if it was). */
static void set_as_before(void)
{
	char buf[256];
	for (int i = 0; i < S_N; i++) {
		if (!s_before[i]) {
			assert_int_equal(access(s_path[i], F_OK), -1);
			continue;
		}
		slurp(s_path[i], buf, sizeof buf);
		assert_string_equal(buf, s_before[i]);
	}
	assert_int_equal(hidden_in("s"), 0); /* no temporary, no kept copy */
}

static void test_set_commit(void **state)
{
	(void)state;
	char buf[256];
	struct outfile of[S_N];
	struct fail_at f = {0, 0};
	set_prepare(of);
	assert_int_equal(outfile_commit_set_with(of, S_N, failing_rename, &f), 0);
	assert_int_equal(f.calls, S_RENAMES);
	for (int i = 0; i < S_N; i++) {
		char want[64];
		snprintf(want, sizeof want, "new %d\n", i);
		if (i == S_SKIPPED) {
			assert_int_equal(access(s_path[i], F_OK), -1);
			continue;
		}
		slurp(s_path[i], buf, sizeof buf);
		assert_string_equal(buf, want);
		assert_null(of[i].path);
	}
	assert_int_equal(hidden_in("s"), 0);
	/* safe to abort after a commit */
	outfile_abort_set(of, S_N);
}

/* The k-th rename fails, for every k: the set is as it was before. */
static void test_set_kth_rename_fails(void **state)
{
	(void)state;
	char msg[1024];
	for (int k = 1; k <= S_RENAMES; k++) {
		struct outfile of[S_N];
		struct fail_at f = {k, 0};
		set_prepare(of);
		err_start();
		int err = outfile_commit_set_with(of, S_N, failing_rename, &f);
		err_end(msg, sizeof msg);
		assert_int_equal(err, GL_EIO);
		assert_int_equal(f.calls, k);
		assert_non_null(strstr(msg, "cannot rename"));
		set_as_before();
		for (int i = 0; i < S_N; i++)
			assert_null(of[i].path);
	}
}

/* The same with a real rename(2) failing: a target that is a folder. */
static void test_set_target_is_folder(void **state)
{
	(void)state;
	char msg[1024];
	struct outfile of[S_N];
	set_prepare(of);
	rmdir("s/d.csv/x");
	unlink("s/d.csv");
	assert_int_equal(mkdir("s/d.csv", 0777), 0);
	assert_int_equal(mkdir("s/d.csv/x", 0777), 0);
	err_start();
	int err = outfile_commit_set(of, S_N);
	err_end(msg, sizeof msg);
	assert_int_equal(err, GL_EIO);
	assert_non_null(strstr(msg, "s/d.csv"));
	struct stat st;
	assert_int_equal(stat("s/d.csv/x", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(rmdir("s/d.csv/x"), 0);
	assert_int_equal(rmdir("s/d.csv"), 0);
	spit("s/d.csv", s_before[S_OLD2]);
	set_as_before();
}

/* A member that cannot be written (a full device) fails the set before
 * anything is renamed. */
static void test_set_write_fails(void **state)
{
	(void)state;
	char msg[1024];
	struct stat st;
	if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
		skip();
	struct outfile of[S_N + 1];
	set_prepare(of);
	assert_int_equal(outfile_open(&of[S_N], "/dev/full"), 0);
	fputs("more than fits\n", of[S_N].fp);
	err_start();
	int err = outfile_commit_set(of, S_N + 1);
	err_end(msg, sizeof msg);
	assert_int_equal(err, GL_EIO);
	assert_non_null(strstr(msg, "/dev/full"));
	set_as_before();
}

int main(void)
{
	log_init("test_outfile", LOG_NORMAL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_or_nothing), cmocka_unit_test(test_earlier_file_kept),
		cmocka_unit_test(test_open_fails),	 cmocka_unit_test(test_devices_in_place),
		cmocka_unit_test(test_stdout),		 cmocka_unit_test(test_mkdirs),
		cmocka_unit_test(test_signal_cleanup),	 cmocka_unit_test(test_file_size_limit),
		cmocka_unit_test(test_set_commit),	 cmocka_unit_test(test_set_kth_rename_fails),
		cmocka_unit_test(test_set_target_is_folder), cmocka_unit_test(test_set_write_fails),
		cmocka_unit_test(test_writeback),	 cmocka_unit_test(test_writeback_write_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
