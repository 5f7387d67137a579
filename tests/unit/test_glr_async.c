/* Unit tests for glr_open's GLR_CRC_ASYNC: the checksums checked on a
 * thread give the same verdict, and the same message, as checking them
 * while opening. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "glr.h"
#include "log.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_file(const char *path, const unsigned char *b, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static unsigned char *sample(size_t *len)
{
	static const uint32_t items[] = {1, 3, 0, 2, 4, 0, 1};
	static const uint8_t rates[] = {2, 10, 0, 7, 8, 3, 5};
	static const uint32_t times[] = {5, 9, 9, 1, 0, 7, 7};
	static const uint8_t bits[] = {1, 4, 5, 0, 1, 0, 4};
	static const uint64_t rowlen[] = {2, 0, 3, 2};
	struct glr_meta m = {.n_users = 4, .n_items = 5, .n_ratings = 7, .scale = 0.5f,
			     .has_times = 1, .has_read = 1, .has_reviewed = 1};
	struct glr_writer *w;
	assert_int_equal(glr_writer_open(&w, "s.glr", &m), 0);
	uint64_t at = 0;
	for (int u = 0; u < 4; u++) {
		assert_int_equal(glr_writer_row(w, items + at, rates + at, times + at, bits + at,
						rowlen[u]),
				 0);
		at += rowlen[u];
	}
	assert_int_equal(glr_writer_commit(w), 0);
	FILE *f = fopen("s.glr", "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	unsigned char *b = malloc(*len);
	assert_int_equal(fread(b, 1, *len, f), *len);
	fclose(f);
	unlink("s.glr");
	return b;
}

/* What opening path says on stderr, and its verdict: the open's error, or
 * (async) the checksums'. */
static int open_and_judge(const char *path, int flags, char *msg, size_t cap)
{
	fflush(stderr);
	int saved = dup(2), fd = open("err.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(saved >= 0 && fd >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	close(fd);
	struct glr g;
	int rc = glr_open(&g, path, flags);
	if (rc == 0) {
		rc = glr_verdict(&g);
		assert_int_equal(glr_verdict(&g), rc); /* asked again: the same */
		glr_close(&g);
	}
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	FILE *f = fopen("err.txt", "r");
	assert_non_null(f);
	size_t n = fread(msg, 1, cap - 1, f);
	msg[n] = 0;
	fclose(f);
	return rc;
}

/* Every byte flipped in turn: the same result and message either way. */
static void test_same_verdict_and_message(void **state)
{
	(void)state;
	log_init("test", LOG_NORMAL);
	size_t len;
	unsigned char *b = sample(&len);
	char sync_msg[512], async_msg[512];
	size_t in_section = len; /* a byte whose flip only a section's checksum sees */
	for (size_t i = 0; i <= len; i++) {
		unsigned char *c = malloc(len);
		memcpy(c, b, len);
		if (i < len)
			c[i] ^= 0x40; /* i == len: the file unharmed */
		write_file("f.glr", c, len);
		int rs = open_and_judge("f.glr", 0, sync_msg, sizeof sync_msg);
		int ra = open_and_judge("f.glr", GLR_CRC_ASYNC, async_msg, sizeof async_msg);
		assert_int_equal(ra, rs);
		assert_string_equal(async_msg, sync_msg);
		if (i == len)
			assert_int_equal(rs, 0);
		if (strstr(sync_msg, ": section ") && strstr(sync_msg, "checksum mismatch"))
			in_section = i;
		free(c);
	}
	assert_true(in_section < len);
	/* SEC_NO_CRC wins: nothing checked, nothing waited for */
	unsigned char *c = malloc(len);
	memcpy(c, b, len);
	c[in_section] ^= 0x40;
	write_file("f.glr", c, len);
	struct glr g;
	assert_int_equal(glr_open(&g, "f.glr", SEC_NO_CRC | GLR_CRC_ASYNC), 0);
	assert_int_equal(glr_verdict(&g), 0);
	glr_close(&g);
	assert_int_equal(glr_open(&g, "f.glr", GLR_CRC_ASYNC), 0);
	assert_int_equal(glr_verdict(&g), GL_EFORMAT);
	glr_close(&g);
	free(c);
	free(b);
	unlink("f.glr");
	unlink("err.txt");
}

/* The process's mapped file pages (RssFile in /proc/self/status), KiB;
 * -1 where there is no such line. */
static long rss_file_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "RssFile: %ld", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/* glr_open_async lets go of the sections it is told once they are checked
 * (times: 4 MiB here), and they read back the same when touched. */
static void test_release_once_checked(void **state)
{
	(void)state;
	enum { U = 1000, PER = 1000, N = U * PER };
	struct glr_meta m = {.n_users = U, .n_items = PER, .n_ratings = N, .scale = 0.5f,
			     .has_times = 1, .has_read = 1};
	struct glr_writer *w;
	static uint32_t it[PER], tm[PER];
	static uint8_t rt[PER], bt[PER];
	assert_int_equal(glr_writer_open(&w, "big.glr", &m), 0);
	for (uint32_t u = 0; u < U; u++) {
		for (uint32_t j = 0; j < PER; j++) {
			it[j] = j;
			rt[j] = (uint8_t)((u + j) % 11);
			tm[j] = u * 7 + j;
			bt[j] = (u ^ j) & 1 ? GLR_BIT_READ : 0;
		}
		assert_int_equal(glr_writer_row(w, it, rt, tm, bt, PER), 0);
	}
	assert_int_equal(glr_writer_commit(w), 0);
	long kib[2];
	for (int release = 0; release < 2; release++) {
		struct glr g;
		long before = rss_file_kib();
		assert_int_equal(glr_open_async(&g, "big.glr",
						release ? GLR_REL_TIMES | GLR_REL_BITS : 0),
				 0);
		assert_int_equal(glr_verdict(&g), 0);
		kib[release] = rss_file_kib() - before;
		for (uint64_t k = 0; k < N; k += 997)
			if (g.times[k] != (k / PER) * 7 + k % PER ||
			    glr_bit(g.read, k) != (int)(((k / PER) ^ (k % PER)) & 1))
				fail_msg("rating %llu reads back wrong", (unsigned long long)k);
		glr_close(&g);
	}
	if (kib[0] >= 0 && rss_file_kib() >= 0)
		assert_true(kib[0] - kib[1] >= 3 << 10); /* times, 4 MB */
	unlink("big.glr");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_verdict_and_message),
		cmocka_unit_test(test_release_once_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
