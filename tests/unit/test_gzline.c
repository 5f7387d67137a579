/* Unit tests for lib/gzline: lines across chunks, gzip members, bad streams,
 * each under every inflater this build has (zlib, and ISA-L when built in). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "gzline.h"
#include "inflate.h"
#include "log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static const char *const engines[] = {"zlib", "isal"};
#define NENGINES (sizeof engines / sizeof *engines)
/* Skip the engines this build lacks. */
#define FOR_ENGINES(e)                                                              \
	for (size_t e##_i = 0; e##_i < NENGINES; e##_i++)                           \
		for (const char *e = engines[e##_i]; e && infl_by_name(e); e = NULL)

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
static void check_lines(const char *path, const char *text, size_t len, int no_thread,
			const char *engine)
{
	struct gzl *z;
	struct gzl_opts o = {.no_thread = no_thread, .inflate = engine};
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
	check_lines("t_plain.txt", text, len, 0, NULL);
	check_lines("t_plain.txt", text, len, 1, NULL);
	free(text);
	unlink("t_plain.txt");
}

/* Lent chunks (gzl_lend): a line in a chunk stays as it was, in place,
 * until its chunk is given back, however far the reader has gone on; lines
 * pieced together across chunks come without a chunk.  Lines are checked
 * only once the reader is several chunks past them. */
static void check_lent(const char *path, const char *text, size_t len, int no_thread)
{
	struct gzl *z;
	struct gzl_opts o = {.no_thread = no_thread};
	assert_int_equal(gzl_open(&z, path, &o), 0);
	gzl_lend(z);
	struct kept {
		const char *p;
		size_t len, off;
		uint64_t chunk;
	} *k = malloc(4000 * sizeof *k);
	size_t nk = 0, checked = 0, off = 0, pieced = 0;
	uint64_t last = 0;
	struct gzl_line ln;
	int rc;
	while ((rc = gzl_next(z, &ln)) == 1) {
		assert_true(nk < 4000);
		off = ln.offset;
		if (ln.chunk == GZL_NO_CHUNK) {
			pieced++;
			continue;
		}
		assert_true(ln.chunk >= last);
		last = ln.chunk;
		k[nk++] = (struct kept){ln.p, ln.len, off, ln.chunk};
		/* 3 chunks on: check the lines of the oldest kept chunk and give
		 * it back */
		if (checked < nk && k[checked].chunk + 3 < ln.chunk) {
			uint64_t c = k[checked].chunk;
			for (; k[checked].chunk == c; checked++) {
				assert_memory_equal(k[checked].p, text + k[checked].off, k[checked].len);
				assert_int_equal(k[checked].p[k[checked].len], 0);
			}
			gzl_give_back(z, c + 1);
		}
	}
	assert_int_equal(rc, 0);
	assert_true(pieced > 0 && last >= 3);
	for (; checked < nk; checked++)
		assert_memory_equal(k[checked].p, text + k[checked].off, k[checked].len);
	gzl_close(z);
	free(k);
	(void)len;
}

static void test_lent_chunks_stay(void **state)
{
	(void)state;
	size_t len;
	char *text = make_text(3000, &len); /* about 4.5 MB: several chunks */
	write_file("t_lend.txt", text, len);
	check_lent("t_lend.txt", text, len, 0);
	check_lent("t_lend.txt", text, len, 1);
	gzip_member("t_lend.gz", "wb", text, len);
	check_lent("t_lend.gz", text, len, 0);
	check_lent("t_lend.gz", text, len, 1);
	free(text);
	unlink("t_lend.txt");
	unlink("t_lend.gz");
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
	FOR_ENGINES(e) {
		check_lines("t_multi.gz", text, len, 0, e);
		check_lines("t_multi.gz", text, len, 1, e);
		struct gzl *z;
		struct gzl_opts o = {.inflate = e};
		assert_int_equal(gzl_open(&z, "t_multi.gz", &o), 0);
		assert_true(gzl_is_gzip(z));
		assert_string_equal(gzl_inflater(z), e);
		gzl_close(z);
	}
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
static int drain(const char *path, int *lines, const char *engine)
{
	struct gzl *z;
	struct gzl_line ln;
	struct gzl_opts o = {.inflate = engine};
	int rc = gzl_open(&z, path, &o);
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
	FOR_ENGINES(e) {
		/* Cut at several points: always an error, never a crash. */
		size_t cuts[] = {2, 5, 10, n / 3, n / 2, n - 9, n - 1};
		for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
			write_file("t_cut.gz", buf, cuts[i]);
			assert_int_equal(drain("t_cut.gz", &lines, e), GL_EFORMAT);
		}
		/* Trailing garbage after a complete member. */
		memcpy(buf + n, "garbage", 7);
		write_file("t_cut.gz", buf, n + 7);
		assert_int_equal(drain("t_cut.gz", &lines, e), GL_EFORMAT);
		assert_int_equal(lines, 400);
		/* A flipped byte in the CRC trailer. */
		buf[n - 6] ^= 0x55;
		write_file("t_cut.gz", buf, n);
		assert_int_equal(drain("t_cut.gz", &lines, e), GL_EFORMAT);
		assert_int_equal(lines, 400);
		buf[n - 6] ^= 0x55;
		assert_int_equal(drain("does-not-exist.gz", &lines, e), GL_EIO);
	}
	free(text);
	unlink("t_ok.gz");
	unlink("t_cut.gz");
}

/* gzip of data[0..n) at level, in memory; *len its size. */
static unsigned char *gzip_mem(const char *data, size_t n, int level, size_t *len)
{
	z_stream zs = {0};
	assert_int_equal(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&zs, n);
	unsigned char *out = malloc(cap);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

/* ISA-L reads ahead and, when a member's deflate data ends, hands back the
 * bytes it read past the end by moving back in the input: across a refill
 * of the input buffer those must still be there.  A member of stored blocks
 * (its size exact) puts the end of the next member's deflate data at each
 * byte around the first refill (the first read takes 1 MiB). */
static void test_member_ends_at_refill(void **state)
{
	(void)state;
	size_t alen, blen, tlen;
	char *text = make_text(1000, &tlen); /* about 1.5 MB of lines */
	unsigned char *a = gzip_mem(text, 60000, 6, &alen);
	unsigned char *b = gzip_mem(text + 60000, 3000, 6, &blen);
	size_t a_deflate = alen - 18; /* the 10-byte header and 8-byte trailer */
	int hits = 0;
	for (size_t k = 0; k < 12; k++) {
		size_t want = (1u << 20) + k - 10 - a_deflate; /* the stored member's size */
		size_t plen;
		unsigned char *p = gzip_mem(text + 63000, want, 0, &plen);
		size_t l = want - (plen - want) - 8; /* below: the overhead only grows with l */
		for (; l <= want; l++) { /* the size grows by 1 a byte, more at a new block */
			free(p);
			p = gzip_mem(text + 63000, l, 0, &plen);
			if (plen >= want)
				break;
		}
		if (plen != want) { /* a block header in the way: this k cannot be hit */
			free(p);
			continue;
		}
		hits++;
		FILE *f = fopen("t_refill.gz", "wb");
		fwrite(p, 1, plen, f);
		fwrite(a, 1, alen, f);
		fwrite(b, 1, blen, f);
		fclose(f);
		char *whole = malloc(l + 63000);
		memcpy(whole, text + 63000, l);
		memcpy(whole + l, text, 63000);
		FOR_ENGINES(e) {
			check_lines("t_refill.gz", whole, l + 63000, 0, e);
		}
		free(whole);
		free(p);
	}
	assert_true(hits >= 8);
	free(a);
	free(b);
	free(text);
	unlink("t_refill.gz");
}

struct feed {
	int fd;
	const unsigned char *p;
	size_t n;
};

/* Write the bytes 1, 2 or 3 at a time with a pause after each, so that the
 * reader's read() calls mostly return one write. */
static void *feeder(void *arg)
{
	struct feed *f = arg;
	for (size_t i = 0, k = 1; i < f->n; i += k, k = k % 3 + 1) {
		size_t m = f->n - i < k ? f->n - i : k;
		if (write(f->fd, f->p + i, m) != (ssize_t)m)
			break;
		nanosleep(&(struct timespec){.tv_nsec = 200000}, NULL);
	}
	close(f->fd);
	return NULL;
}

/* A pipe on stdin that delivers a few bytes at a time: ISA-L's read-ahead
 * then spans several reads, and at each member's end it hands back bytes
 * from reads before the last one. */
static void test_stdin_in_small_pieces(void **state)
{
	(void)state;
	size_t len, at = 0, glen = 0;
	char *text = make_text(60, &len);
	unsigned char *gz = NULL;
	for (int m = 0; m < 6; m++) { /* six members, cut at line ends */
		size_t end = m == 5 ? len : at + len / 6;
		while (end < len && text[end - 1] != '\n')
			end++;
		size_t mlen;
		unsigned char *one = gzip_mem(text + at, end - at, 6, &mlen);
		gz = realloc(gz, glen + mlen);
		memcpy(gz + glen, one, mlen);
		glen += mlen;
		free(one);
		at = end;
	}
	int saved = dup(0);
	FOR_ENGINES(e) {
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		assert_int_equal(dup2(fds[0], 0), 0);
		close(fds[0]);
		struct feed f = {fds[1], gz, glen};
		pthread_t t;
		assert_int_equal(pthread_create(&t, NULL, feeder, &f), 0);
		struct gzl *z;
		struct gzl_opts o = {.inflate = e};
		struct gzl_line ln;
		assert_int_equal(gzl_open(&z, "-", &o), 0);
		size_t off = 0;
		int rc;
		while ((rc = gzl_next(z, &ln)) == 1) {
			assert_memory_equal(ln.p, text + off, ln.len);
			off += ln.len + 1;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(off, len);
		assert_int_equal(gzl_bytes_in(z), glen);
		gzl_close(z);
		pthread_join(t, NULL);
	}
	dup2(saved, 0);
	close(saved);
	free(gz);
	free(text);
}

static void test_empty_file(void **state)
{
	(void)state;
	write_file("t_empty", "", 0);
	int lines = -1;
	assert_int_equal(drain("t_empty", &lines, NULL), 0);
	assert_int_equal(lines, 0);
	unlink("t_empty");
}

/* The inflater is picked by the option, else by GL_INFLATE, else the
 * fastest; a name this build lacks is a usage error. */
static void test_inflater_choice(void **state)
{
	(void)state;
	size_t len;
	char *text = make_text(50, &len);
	unlink("t_pick.gz");
	gzip_member("t_pick.gz", "wb", text, len);
	struct gzl *z;
	struct gzl_opts o = {.inflate = "zlib"};
	assert_int_equal(gzl_open(&z, "t_pick.gz", NULL), 0);
	assert_string_equal(gzl_inflater(z), infl_best()->name);
	gzl_close(z);
	assert_int_equal(setenv("GL_INFLATE", "zlib", 1), 0);
	assert_int_equal(gzl_open(&z, "t_pick.gz", NULL), 0);
	assert_string_equal(gzl_inflater(z), "zlib");
	gzl_close(z);
	assert_int_equal(setenv("GL_INFLATE", "nosuch", 1), 0);
	assert_int_equal(gzl_open(&z, "t_pick.gz", NULL), GL_EUSAGE);
	assert_int_equal(gzl_open(&z, "t_pick.gz", &o), 0); /* the option wins */
	assert_string_equal(gzl_inflater(z), "zlib");
	gzl_close(z);
	assert_int_equal(unsetenv("GL_INFLATE"), 0);
	o.inflate = "nosuch";
	assert_int_equal(gzl_open(&z, "t_pick.gz", &o), GL_EUSAGE);
	write_file("t_pick.txt", "a\n", 2);
	assert_int_equal(gzl_open(&z, "t_pick.txt", NULL), 0);
	assert_null(gzl_inflater(z)); /* plain text: no inflater */
	gzl_close(z);
	free(text);
	unlink("t_pick.gz");
	unlink("t_pick.txt");
}

int main(void)
{
	log_init("test_gzline", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_lines_across_chunks),
		cmocka_unit_test(test_lent_chunks_stay),
		cmocka_unit_test(test_gzip_concatenated_members),
		cmocka_unit_test(test_crlf_bom_no_final_newline),
		cmocka_unit_test(test_too_long_lines_are_skipped),
		cmocka_unit_test(test_truncated_and_garbage),
		cmocka_unit_test(test_member_ends_at_refill),
		cmocka_unit_test(test_stdin_in_small_pieces),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_inflater_choice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
