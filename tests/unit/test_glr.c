/* Unit tests for lib/glr (and the secfile container under it). */
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
#include <zlib.h>

/* Three users: 2 ratings, none, 3 ratings; half stars at scale 0.5. */
static const uint32_t items[] = {4, 1, 0, 2, 3};
static const uint8_t rates[] = {10, 1, 7, 0, 9};
static const uint32_t times[] = {100, 200, 300, 400, 500};
static const uint8_t bits[] = {GLR_BIT_READ | GLR_BIT_REVIEWED, GLR_BIT_VALID, GLR_BIT_REVIEWED,
			       GLR_BIT_READ | GLR_BIT_VALID, GLR_BIT_REVIEWED | GLR_BIT_VALID};
static const uint64_t rowlen[] = {2, 0, 3};

/* with_optional: 1 every optional section, 0 none, 2 the layout of files
 * written before "reviewed" existed (times, read, split). */
static void write_sample(const char *path, int with_optional)
{
	struct glr_meta m = {.n_users = 3, .n_items = 5, .n_ratings = 5, .scale = 0.5f,
			     .has_times = with_optional != 0, .has_read = with_optional != 0,
			     .has_reviewed = with_optional == 1, .has_split = with_optional != 0};
	struct glr_writer *w;
	assert_int_equal(glr_writer_open(&w, path, &m), 0);
	uint64_t at = 0;
	for (int u = 0; u < 3; u++) {
		assert_int_equal(glr_writer_row(w, items + at, rates + at, times + at, bits + at,
						rowlen[u]),
				 0);
		at += rowlen[u];
	}
	assert_int_equal(glr_writer_commit(w), 0);
}

static void test_round_trip(void **state)
{
	(void)state;
	write_sample("t.glr", 1);
	struct glr g;
	assert_int_equal(glr_open(&g, "t.glr", 0), 0);
	assert_int_equal(g.n_users, 3);
	assert_int_equal(g.n_items, 5);
	assert_int_equal(g.n_ratings, 5);
	assert_int_equal(g.rowptr[0], 0);
	assert_int_equal(g.rowptr[1], 2);
	assert_int_equal(g.rowptr[2], 2);
	assert_int_equal(g.rowptr[3], 5);
	for (int k = 0; k < 5; k++) {
		assert_int_equal(g.items[k], items[k]);
		assert_int_equal(g.ratings[k], rates[k]);
		assert_int_equal(g.times[k], times[k]);
		assert_int_equal(glr_bit(g.read, (uint64_t)k), !!(bits[k] & GLR_BIT_READ));
		assert_int_equal(glr_bit(g.reviewed, (uint64_t)k), !!(bits[k] & GLR_BIT_REVIEWED));
		assert_int_equal(glr_bit(g.split, (uint64_t)k), !!(bits[k] & GLR_BIT_VALID));
	}
	assert_true(glr_value(&g, 0) == 5.0f);
	assert_true(glr_value(&g, 1) == 0.5f);
	glr_close(&g);
	write_sample("t2.glr", 0);
	assert_int_equal(glr_open(&g, "t2.glr", 0), 0);
	assert_null(g.times);
	assert_null(g.read);
	assert_null(g.reviewed);
	assert_null(g.split);
	assert_int_equal(glr_bit(g.split, 3), 0);
	glr_close(&g);
	/* The old layout: read and split, no reviewed bitmap. */
	write_sample("t2.glr", 2);
	assert_int_equal(glr_open(&g, "t2.glr", 0), 0);
	assert_null(g.reviewed);
	for (int k = 0; k < 5; k++) {
		assert_int_equal(glr_bit(g.read, (uint64_t)k), !!(bits[k] & GLR_BIT_READ));
		assert_int_equal(glr_bit(g.reviewed, (uint64_t)k), 0);
		assert_int_equal(glr_bit(g.split, (uint64_t)k), !!(bits[k] & GLR_BIT_VALID));
	}
	glr_close(&g);
	unlink("t.glr");
	unlink("t2.glr");
}

static void test_writer_rejects_bad_rows(void **state)
{
	(void)state;
	struct glr_meta m = {.n_users = 1, .n_items = 2, .n_ratings = 2, .scale = 1};
	struct glr_writer *w;
	uint32_t bad[] = {0, 2};
	uint8_t r[] = {1, 1};
	assert_int_equal(glr_writer_open(&w, "t3.glr", &m), 0);
	assert_int_equal(glr_writer_row(w, bad, r, NULL, NULL, 2), GL_EUSAGE);
	glr_writer_abort(w);
	assert_int_equal(access("t3.glr", F_OK), -1);
	/* Too few ratings: commit refuses and leaves nothing behind. */
	assert_int_equal(glr_writer_open(&w, "t3.glr", &m), 0);
	assert_int_equal(glr_writer_row(w, bad, r, NULL, NULL, 1), 0);
	assert_int_equal(glr_writer_commit(w), GL_EUSAGE);
	assert_int_equal(access("t3.glr", F_OK), -1);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	unsigned char *b = malloc(*len);
	assert_int_equal(fread(b, 1, *len, f), *len);
	fclose(f);
	return b;
}

static void test_every_cut_and_flip_is_an_error(void **state)
{
	(void)state;
	write_sample("t4.glr", 1);
	size_t len;
	unsigned char *b = slurp("t4.glr", &len);
	struct glr g;
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(glr_open_mem(&g, b, cut, "cut.glr"), GL_EFORMAT);
	for (size_t i = 0; i < len; i++) {
		unsigned char *c = malloc(len);
		memcpy(c, b, len);
		c[i] ^= 0x40;
		int rc = glr_open_mem(&g, c, len, "flip.glr");
		/* Reserved and padding bytes are not covered by any checksum. */
		if (rc == 0)
			glr_close(&g);
		else
			assert_int_equal(rc, GL_EFORMAT);
		free(c);
	}
	free(b);
	unlink("t4.glr");
}

/* Rewrite section CRCs and the header CRC so a crafted payload gets past
 * the checksums and must be caught by the field checks. */
static void reseal(unsigned char *b)
{
	uint32_t n;
	memcpy(&n, b + 12, 4);
	for (uint32_t i = 0; i < n; i++) {
		unsigned char *e = b + 64 + 48 * i;
		uint64_t off, len;
		memcpy(&off, e + 16, 8);
		memcpy(&len, e + 24, 8);
		uint32_t crc = (uint32_t)crc32(0, b + off, (uInt)len);
		memcpy(e + 32, &crc, 4);
	}
	memset(b + 24, 0, 4);
	uint32_t crc = (uint32_t)crc32(0, b, 64 + 48 * n);
	memcpy(b + 24, &crc, 4);
}

static unsigned char *section_at(unsigned char *b, const char *name)
{
	uint32_t n;
	memcpy(&n, b + 12, 4);
	for (uint32_t i = 0; i < n; i++) {
		unsigned char *e = b + 64 + 48 * i;
		if (strcmp((char *)e, name) == 0) {
			uint64_t off;
			memcpy(&off, e + 16, 8);
			return b + off;
		}
	}
	fail_msg("no section %s", name);
	return NULL;
}

static void test_crafted_fields(void **state)
{
	(void)state;
	write_sample("t5.glr", 0);
	size_t len;
	unsigned char *b = slurp("t5.glr", &len);
	unsigned char *c = malloc(len);
	struct glr g;
	uint64_t v;
	uint32_t item = 5;

	memcpy(c, b, len); /* item id out of range */
	memcpy(section_at(c, "items") + 4, &item, 4);
	reseal(c);
	assert_int_equal(glr_open_mem(&g, c, len, "x"), GL_EFORMAT);

	memcpy(c, b, len); /* row pointers that go backwards */
	v = 4;
	memcpy(section_at(c, "rowptr") + 8, &v, 8);
	reseal(c);
	assert_int_equal(glr_open_mem(&g, c, len, "x"), GL_EFORMAT);

	memcpy(c, b, len); /* more users than the row pointers hold */
	v = 4;
	memcpy(section_at(c, "meta"), &v, 8);
	reseal(c);
	assert_int_equal(glr_open_mem(&g, c, len, "x"), GL_EFORMAT);

	memcpy(c, b, len); /* a huge rating count */
	v = UINT64_MAX / 2;
	memcpy(section_at(c, "meta") + 16, &v, 8);
	reseal(c);
	assert_int_equal(glr_open_mem(&g, c, len, "x"), GL_EFORMAT);

	memcpy(c, b, len); /* 2^32 - 1 items in a file of 5 ratings */
	v = UINT32_MAX;
	memcpy(section_at(c, "meta") + 8, &v, 8);
	reseal(c);
	assert_int_equal(glr_open_mem(&g, c, len, "x"), GL_EFORMAT);

	memcpy(c, b, len); /* untouched but resealed: still valid */
	reseal(c);
	assert_int_equal(glr_open_mem(&g, c, len, "x"), 0);
	glr_close(&g);
	free(b);
	free(c);
	unlink("t5.glr");
}

/* Give section from the name to (at most 15 bytes) and reseal. */
static void rename_section(unsigned char *b, const char *from, const char *to)
{
	uint32_t n;
	memcpy(&n, b + 12, 4);
	for (uint32_t i = 0; i < n; i++) {
		char *name = (char *)b + 64 + 48 * i;
		if (strcmp(name, from) == 0) {
			memset(name, 0, 16);
			memcpy(name, to, strlen(to));
			reseal(b);
			return;
		}
	}
	fail_msg("no section %s", from);
}

static void test_reviewed_section(void **state)
{
	(void)state;
	write_sample("t6.glr", 1);
	size_t len;
	unsigned char *b = slurp("t6.glr", &len);
	unsigned char *c = malloc(len);
	struct glr g;

	memcpy(c, b, len); /* a section this reader does not know is ignored */
	rename_section(c, "reviewed", "reviewed2");
	assert_int_equal(glr_open_mem(&g, c, len, "x"), 0);
	assert_null(g.reviewed);
	assert_non_null(g.read);
	glr_close(&g);

	memcpy(c, b, len); /* a bitmap of the wrong length: times renamed */
	rename_section(c, "reviewed", "old");
	rename_section(c, "times", "reviewed");
	assert_int_equal(glr_open_mem(&g, c, len, "x"), GL_EFORMAT);

	memcpy(c, b, len); /* a read bitmap under the name is taken as is */
	rename_section(c, "reviewed", "old");
	rename_section(c, "read", "reviewed");
	assert_int_equal(glr_open_mem(&g, c, len, "x"), 0);
	assert_null(g.read);
	for (int k = 0; k < 5; k++)
		assert_int_equal(glr_bit(g.reviewed, (uint64_t)k), !!(bits[k] & GLR_BIT_READ));
	glr_close(&g);
	free(b);
	free(c);
	unlink("t6.glr");
}

static void test_encode(void **state)
{
	(void)state;
	uint8_t r;
	assert_int_equal(glr_encode(3.5, 0.5f, &r), 0);
	assert_int_equal(r, 7);
	assert_int_equal(glr_encode(3.25, 0.5f, &r), GL_EFORMAT);
	assert_int_equal(glr_encode(-1, 0.5f, &r), GL_EFORMAT);
	assert_int_equal(glr_encode(200, 0.5f, &r), GL_EFORMAT);
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

/* glr_release lets a read file's pages go from the process's memory (8
 * MiB of them here, read whole by the checksums at opening), and what it
 * let go reads back the same when touched again. */
/* big.glr: U users of PER ratings each (items 0..PER-1; rating (u + j) %
 * 11, time u * 7 + j, read when u ^ j is odd), 4 MB in each of the items
 * and times sections. */
enum { U = 1000, PER = 1000, N = U * PER };
static void write_big(void)
{
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
}

static void test_release(void **state)
{
	(void)state;
	write_big();
	struct glr g;
	assert_int_equal(glr_open(&g, "big.glr", 0), 0);
	long before = rss_file_kib();
	glr_release(&g, 0, g.n_ratings, GLR_REL_ALL);
	long after = rss_file_kib();
	if (before >= 0)
		assert_true(before - after >= 8 << 10); /* items 4 + times 4 MB, at least */
	for (uint32_t u = 0; u < U; u++) {
		assert_int_equal(g.rowptr[u], (uint64_t)u * PER);
		for (uint32_t j = 0; j < PER; j++) {
			uint64_t k = (uint64_t)u * PER + j;
			if (g.items[k] != j || g.ratings[k] != (u + j) % 11 || g.times[k] != u * 7 + j ||
			    glr_bit(g.read, k) != (int)((u ^ j) & 1))
				fail_msg("rating %llu reads back wrong", (unsigned long long)k);
		}
	}
	/* a part, and nothing for an empty or reversed range */
	glr_release(&g, 12345, 678901, GLR_REL_ITEMS | GLR_REL_TIMES);
	glr_release(&g, 5, 5, GLR_REL_ALL & ~GLR_REL_ROWPTR);
	glr_release(&g, 9, 3, GLR_REL_ITEMS);
	assert_int_equal(g.items[678901], 678901 % PER);
	glr_close(&g);
	unlink("big.glr");
}

/* GLR_CRC_ASYNC: the checksums checked on a thread give the same verdict,
 * and the same message, as checking them while opening. */
static void write_file(const char *path, const unsigned char *b, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
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
	log_init("test_glr", LOG_NORMAL); /* the messages are compared */
	write_sample("s.glr", 1);
	size_t len;
	unsigned char *b = slurp("s.glr", &len);
	unlink("s.glr");
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
	log_init("test_glr", LOG_QUIET);
}

/* glr_open_async lets go of the sections it is told once they are checked
 * (times: 4 MiB here), and they read back the same when touched. */
static void test_release_once_checked(void **state)
{
	(void)state;
	write_big();
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
	log_init("test_glr", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_writer_rejects_bad_rows),
		cmocka_unit_test(test_every_cut_and_flip_is_an_error),
		cmocka_unit_test(test_crafted_fields),
		cmocka_unit_test(test_reviewed_section),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_same_verdict_and_message),
		cmocka_unit_test(test_release_once_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
