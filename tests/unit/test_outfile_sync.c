/* Unit tests for lib/outfile's fsyncs: a temporary put on the disk by
 * outfile_flush (a stage's thread does it early) is not fsynced again by
 * its commit, alone or in a set; one written to or resized after the flush
 * is; and the registry of temporaries takes opens and releases from
 * several threads at once.  fsync is counted by defining it here, which
 * the linker prefers to libc's for lib/outfile.o. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "log.h"
#include "outfile.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fsyncs; /* calls of fsync, any thread */

int fsync(int fd)
{
	__atomic_add_fetch(&fsyncs, 1, __ATOMIC_RELAXED);
	return (int)syscall(SYS_fsync, fd);
}

static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = 0;
	fclose(f);
}

/* Commit of, which must fsync it once, and check that path then holds want. */
static void commit_synced_once(struct outfile *of, const char *path, const char *want)
{
	char buf[64];
	fsyncs = 0;
	assert_int_equal(outfile_commit(of), 0);
	assert_int_equal(fsyncs, 1);
	slurp(path, buf, sizeof buf);
	assert_string_equal(buf, want);
}

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

static void test_flushed_not_synced_again(void **state)
{
	(void)state;
	char buf[64];
	mkdir("os_a", 0777);
	struct outfile of;
	assert_int_equal(outfile_open(&of, "os_a/x.csv"), 0);
	fputs("a,b\n1,2\n", of.fp);
	fsyncs = 0;
	assert_int_equal(outfile_flush(&of), 0);
	assert_int_equal(fsyncs, 1);
	assert_int_equal(outfile_commit(&of), 0);
	assert_int_equal(fsyncs, 1); /* nothing new: no second fsync */
	slurp("os_a/x.csv", buf, sizeof buf);
	assert_string_equal(buf, "a,b\n1,2\n");

	/* written after the flush, through the stream or at an offset */
	assert_int_equal(outfile_open(&of, "os_a/y.csv"), 0);
	fputs("one\n", of.fp);
	assert_int_equal(outfile_flush(&of), 0);
	fputs("two\n", of.fp);
	commit_synced_once(&of, "os_a/y.csv", "one\ntwo\n");
	assert_int_equal(outfile_open(&of, "os_a/z.bin"), 0);
	assert_int_equal(outfile_pwrite(&of, "abcd", 4, 0), 0);
	assert_int_equal(outfile_flush(&of), 0);
	assert_int_equal(outfile_pwrite(&of, "XY", 2, 1), 0); /* the size stays */
	commit_synced_once(&of, "os_a/z.bin", "aXYd");

	/* resized after the flush, with no write */
	assert_int_equal(outfile_open(&of, "os_a/t.bin"), 0);
	assert_int_equal(outfile_pwrite(&of, "abcd", 4, 0), 0);
	assert_int_equal(outfile_flush(&of), 0);
	assert_int_equal(ftruncate(of.fd, 2), 0);
	commit_synced_once(&of, "os_a/t.bin", "ab");
	assert_int_equal(system("rm -rf os_a"), 0);
}

/* In a set: the member flushed early is skipped, the other is synced. */
static void test_set_skips_flushed(void **state)
{
	(void)state;
	char buf[64];
	mkdir("os_b", 0777);
	struct outfile set[2];
	assert_int_equal(outfile_open(&set[0], "os_b/early.csv"), 0);
	assert_int_equal(outfile_open(&set[1], "os_b/late.csv"), 0);
	fputs("early\n", set[0].fp);
	assert_int_equal(outfile_flush(&set[0]), 0);
	fputs("late\n", set[1].fp);
	fsyncs = 0;
	assert_int_equal(outfile_commit_set(set, 2), 0);
	assert_int_equal(fsyncs, 1);
	slurp("os_b/early.csv", buf, sizeof buf);
	assert_string_equal(buf, "early\n");
	slurp("os_b/late.csv", buf, sizeof buf);
	assert_string_equal(buf, "late\n");
	assert_int_equal(hidden_in("os_b"), 0);
	assert_int_equal(system("rm -rf os_b"), 0);
}

/* Threads opening and dropping temporaries at once: every one gets a slot
 * of its own, so each is removed exactly once and none is left. */
#define THREADS 4
#define ROUNDS 1000

static int owner[64]; /* thread + 1 holding each registry slot, or 0 */

static void *churn(void *arg)
{
	int t = (int)(intptr_t)arg;
	char path[64];
	for (int i = 0; i < ROUNDS; i++) {
		struct outfile of[3];
		for (int k = 0; k < 3; k++) {
			snprintf(path, sizeof path, "os_c/f%d_%d", t, k);
			if (outfile_open(&of[k], path) != 0 || of[k].slot < 0 || of[k].slot >= 64)
				return (void *)1;
			/* a slot handed to two open files at once */
			if (__atomic_exchange_n(&owner[of[k].slot], t + 1, __ATOMIC_SEQ_CST) != 0)
				return (void *)2;
		}
		for (int k = 0; k < 3; k++) {
			__atomic_store_n(&owner[of[k].slot], 0, __ATOMIC_SEQ_CST);
			outfile_abort(&of[k]);
		}
	}
	return NULL;
}

static void test_registry_threads(void **state)
{
	(void)state;
	mkdir("os_c", 0777);
	pthread_t th[THREADS];
	for (int t = 0; t < THREADS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, churn, (void *)(intptr_t)t), 0);
	for (int t = 0; t < THREADS; t++) {
		void *r;
		pthread_join(th[t], &r);
		assert_null(r);
	}
	assert_int_equal(hidden_in("os_c"), 0);
	/* all slots free again: as many temporaries as the registry holds open */
	struct outfile of[THREADS * 3];
	char path[64];
	for (int k = 0; k < THREADS * 3; k++) {
		snprintf(path, sizeof path, "os_c/g%d", k);
		assert_int_equal(outfile_open(&of[k], path), 0);
		assert_true(of[k].slot >= 0);
	}
	outfile_abort_set(of, THREADS * 3);
	assert_int_equal(hidden_in("os_c"), 0);
	assert_int_equal(system("rm -rf os_c"), 0);
}

int main(void)
{
	log_init("test_outfile_sync", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flushed_not_synced_again),
		cmocka_unit_test(test_set_skips_flushed),
		cmocka_unit_test(test_registry_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
