/* Unit tests for lib/gzline: lines across chunks, gzip members, bad streams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "gzline.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Append one gzip member holding data to path. */
static void gzip_member(const char *path, const char *mode, const char *data, size_t len)
{
	gzFile g = gzopen(path, mode);
	assert_non_null(g);
	assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
	assert_int_equal(gzclose(g), Z_OK);
}

/* Text of n lines whose lengths vary from 0 to about 3000 bytes. */
static char *make_text(int n, size_t *len)
{
	size_t cap = (size_t)n * 3100 + 1, at = 0;
	char *t = malloc(cap);
	for (int i = 0; i < n; i++) {
		size_t l = (size_t)(i * 7919) % 3000;
		at += (size_t)sprintf(t + at, "%d:", i);
		memset(t + at, 'a' + i % 26, l);
		at += l;
		t[at++] = '\n';
	}
	*len = at;
	return t;
}

/* Read path and check every line against text (with its offset and number). */
static void check_lines(const char *path, const char *text, size_t len, int no_thread)
{
	struct gzl *z;
	struct gzl_opts o = {.no_thread = no_thread};
	assert_int_equal(gzl_open(&z, path, &o), 0);
	struct gzl_line ln;
	size_t off = 0;
	uint64_t n = 0;
	int rc;
	while ((rc = gzl_next(z, &ln)) == 1) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t l = nl ? (size_t)(nl - (text + off)) : len - off;
		assert_int_equal(ln.offset, off);
		assert_int_equal(ln.lineno, ++n);
		assert_int_equal(ln.len, l);
		assert_memory_equal(ln.p, text + off, l);
		assert_int_equal(ln.p[l], 0);
		off += l + 1;
	}
	assert_int_equal(rc, 0);
	assert_true(off >= len);
	assert_int_equal(gzl_bytes_out(z), len);
	gzl_close(z);
}

static void test_plain_lines_across_chunks(void **state)
{
	(void)state;
	size_t len;
	char *text = make_text(2000, &len); /* about 3 MB: several chunks */
	write_file("t_plain.txt", text, len);
	check_lines("t_plain.txt", text, len, 0);
	check_lines("t_plain.txt", text, len, 1);
	free(text);
	unlink("t_plain.txt");
}

static void test_gzip_concatenated_members(void **state)
{
	(void)state;
	size_t len;
	char *text = make_text(1500, &len);
	size_t half = len / 2;
	while (text[half - 1] != '\n')
		half++;
	unlink("t_multi.gz");
	gzip_member("t_multi.gz", "ab", text, half);
	gzip_member("t_multi.gz", "ab", text + half, len - half);
	check_lines("t_multi.gz", text, len, 0);
	check_lines("t_multi.gz", text, len, 1);
	struct gzl *z;
	assert_int_equal(gzl_open(&z, "t_multi.gz", NULL), 0);
	assert_true(gzl_is_gzip(z));
	gzl_close(z);
	free(text);
	unlink("t_multi.gz");
}

static void test_crlf_bom_no_final_newline(void **state)
{
	(void)state;
	const char data[] = "\xef\xbb\xbf" "a,b\r\n\r\nlast";
	write_file("t_crlf.txt", data, sizeof data - 1);
	struct gzl *z;
	struct gzl_line ln;
	assert_int_equal(gzl_open(&z, "t_crlf.txt", NULL), 0);
	assert_int_equal(gzl_next(z, &ln), 1);
	assert_string_equal(ln.p, "a,b");
	assert_int_equal(ln.offset, 0);
	assert_int_equal(gzl_next(z, &ln), 1);
	assert_string_equal(ln.p, "");
	assert_int_equal(ln.offset, 8);
	assert_int_equal(gzl_next(z, &ln), 1);
	assert_string_equal(ln.p, "last");
	assert_int_equal(ln.lineno, 3);
	assert_int_equal(gzl_next(z, &ln), 0);
	gzl_close(z);
	unlink("t_crlf.txt");
}

static void test_too_long_lines_are_skipped(void **state)
{
	(void)state;
	/* A 3 MB line between two short ones, read with a 1000-byte limit. */
	size_t big = 3u << 20, len = big + 20;
	char *data = malloc(len);
	memcpy(data, "short\n", 6);
	memset(data + 6, 'x', big);
	memcpy(data + 6 + big, "\n1234567890123", 14);
	write_file("t_long.txt", data, len);
	struct gzl *z;
	struct gzl_opts o = {.max_line = 1000};
	struct gzl_line ln;
	assert_int_equal(gzl_open(&z, "t_long.txt", &o), 0);
	assert_int_equal(gzl_next(z, &ln), 1);
	assert_false(ln.too_long);
	assert_int_equal(gzl_next(z, &ln), 1);
	assert_true(ln.too_long);
	assert_int_equal(ln.len, 0);
	assert_int_equal(ln.full_len, big);
	assert_int_equal(gzl_next(z, &ln), 1);
	assert_false(ln.too_long);
	assert_string_equal(ln.p, "1234567890123");
	assert_int_equal(ln.offset, 6 + big + 1);
	assert_int_equal(gzl_next(z, &ln), 0);
	gzl_close(z);
	/* The limit applies to a short line inside one chunk too. */
	o.max_line = 3;
	assert_int_equal(gzl_open(&z, "t_long.txt", &o), 0);
	assert_int_equal(gzl_next(z, &ln), 1);
	assert_true(ln.too_long);
	gzl_close(z);
	free(data);
	unlink("t_long.txt");
}

/* Drain a reader, returning the final code and counting lines. */
static int drain(const char *path, int *lines)
{
	struct gzl *z;
	struct gzl_line ln;
	int rc = gzl_open(&z, path, NULL);
	if (rc)
		return rc;
	*lines = 0;
	while ((rc = gzl_next(z, &ln)) == 1)
		(*lines)++;
	gzl_close(z);
	return rc;
}

static void test_truncated_and_garbage(void **state)
{
	(void)state;
	size_t len;
	char *text = make_text(400, &len);
	unlink("t_ok.gz");
	gzip_member("t_ok.gz", "wb", text, len);
	FILE *f = fopen("t_ok.gz", "rb");
	char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	int lines;
	/* Cut at several points: always an error, never a crash. */
	size_t cuts[] = {2, 5, 10, n / 3, n / 2, n - 9, n - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		write_file("t_cut.gz", buf, cuts[i]);
		assert_int_equal(drain("t_cut.gz", &lines), GL_EFORMAT);
	}
	/* Trailing garbage after a complete member. */
	memcpy(buf + n, "garbage", 7);
	write_file("t_cut.gz", buf, n + 7);
	assert_int_equal(drain("t_cut.gz", &lines), GL_EFORMAT);
	assert_int_equal(lines, 400);
	/* A flipped byte in the CRC trailer. */
	buf[n - 6] ^= 0x55;
	write_file("t_cut.gz", buf, n);
	assert_int_equal(drain("t_cut.gz", &lines), GL_EFORMAT);
	assert_int_equal(drain("does-not-exist.gz", &lines), GL_EIO);
	free(text);
	unlink("t_ok.gz");
	unlink("t_cut.gz");
}

static void test_empty_file(void **state)
{
	(void)state;
	write_file("t_empty", "", 0);
	int lines = -1;
	assert_int_equal(drain("t_empty", &lines), 0);
	assert_int_equal(lines, 0);
	unlink("t_empty");
}

int main(void)
{
	log_init("test_gzline", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_lines_across_chunks),
		cmocka_unit_test(test_gzip_concatenated_members),
		cmocka_unit_test(test_crlf_bom_no_final_newline),
		cmocka_unit_test(test_too_long_lines_are_skipped),
		cmocka_unit_test(test_truncated_and_garbage),
		cmocka_unit_test(test_empty_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
