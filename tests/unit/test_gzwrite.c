/* Unit tests for lib/gzwrite: round trips through zlib's reader,
 * concatenated files, levels, determinism, and clean failure (/dev/full, bad paths). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "gzwrite.h"
#include "log.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* Each test works in its own fresh folder. */
static int setup(void **state)
{
	char *dir = strdup("gzwrite-test.XXXXXX");
	if (!dir || !mkdtemp(dir))
		return -1;
	*state = dir;
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
	free(*state);
	return system(cmd) == 0 ? 0 : -1;
}

static char *path_in(void **state, const char *name)
{
	static char buf[512];
	snprintf(buf, sizeof buf, "%s/%s", (char *)*state, name);
	return buf;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* Everything gzread returns for path (malloc'd, *n bytes). */
static char *gunzip(const char *path, size_t *n)
{
	gzFile f = gzopen(path, "rb");
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	int got;
	assert_non_null(f);
	assert_non_null(out);
	while ((got = gzread(f, out + len, (unsigned)(cap - len))) > 0) {
		len += (size_t)got;
		if (len == cap) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
	}
	assert_true(got == 0);
	assert_int_equal(gzclose(f), Z_OK);
	*n = len;
	return out;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)len + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return p;
}

/* Text of several MB through every way of writing; returns what it wrote. */
static char *write_mixed(struct gzw *w, size_t *n)
{
	size_t cap = 8 << 20, len = 0;
	char *want = malloc(cap);
	assert_non_null(want);
	for (int i = 0; len < cap - (1 << 18); i++) {
		char line[128];
		int k = snprintf(line, sizeof line, "{\"user\": %d, \"title\": \"b\\u00e9ta %x\"}\n", i, i * 7919);
		switch (i % 4) {
		case 0:
			assert_int_equal(gzw_write(w, line, (size_t)k), 0);
			break;
		case 1:
			assert_int_equal(gzw_puts(w, line), 0);
			break;
		case 2:
			assert_int_equal(gzw_printf(w, "%s", line), 0);
			break;
		default: /* a line in two writes: blocks do not follow the calls */
			assert_int_equal(gzw_write(w, line, 1), 0);
			assert_int_equal(gzw_write(w, line + 1, (size_t)k - 1), 0);
			break;
		}
		memcpy(want + len, line, (size_t)k);
		len += (size_t)k;
	}
	/* One write larger than the buffer goes straight to deflate. */
	size_t big = 600 << 10;
	char *blob = malloc(big);
	assert_non_null(blob);
	for (size_t i = 0; i < big; i++)
		blob[i] = (char)('a' + (i * 31 + i / 97) % 26);
	want = realloc(want, len + big);
	assert_non_null(want);
	assert_int_equal(gzw_write(w, blob, big), 0);
	memcpy(want + len, blob, big);
	len += big;
	free(blob);
	assert_int_equal(w->bytes_in, len);
	*n = len;
	return want;
}

static void test_round_trip(void **state)
{
	struct gzw w;
	size_t n, got_n;
	assert_int_equal(gzw_open(&w, path_in(state, "a.json.gz"), GZW_DEFAULT_LEVEL), 0);
	char *want = write_mixed(&w, &n);
	assert_int_equal(gzw_commit(&w), 0);
	char *got = gunzip(path_in(state, "a.json.gz"), &got_n);
	assert_int_equal(got_n, n);
	assert_memory_equal(got, want, n);
	/* only the final file: the temporary is gone */
	assert_int_equal(entries((char *)*state), 1);
	free(got);
	free(want);
}

static void test_levels_and_plain(void **state)
{
	static const int levels[] = { 0, 1, 9, GZW_PLAIN };
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
		struct gzw w;
		size_t n, got_n;
		char *p = path_in(state, "x");
		assert_int_equal(gzw_open(&w, p, levels[i]), 0);
		char *want = write_mixed(&w, &n);
		assert_int_equal(gzw_commit(&w), 0);
		/* gzread passes plain files through unchanged, so one check fits */
		char *got = levels[i] == GZW_PLAIN ? slurp(p, &got_n) : gunzip(p, &got_n);
		assert_int_equal(got_n, n);
		assert_memory_equal(got, want, n);
		if (levels[i] != GZW_PLAIN) {
			free(got);
			got = slurp(p, &got_n);
			assert_true((unsigned char)got[0] == 0x1f && (unsigned char)got[1] == 0x8b);
		}
		free(got);
		free(want);
	}
}

static void test_bad_level(void **state)
{
	struct gzw w;
	assert_int_equal(gzw_open(&w, path_in(state, "x.gz"), 10), GL_EUSAGE);
	assert_int_equal(gzw_open(&w, path_in(state, "x.gz"), -2), GL_EUSAGE);
	gzw_abort(&w); /* harmless after a failed open */
	assert_int_equal(entries((char *)*state), 0);
}

static void test_empty_file(void **state)
{
	struct gzw w;
	size_t n;
	assert_int_equal(gzw_open(&w, path_in(state, "e.gz"), 6), 0);
	assert_int_equal(gzw_commit(&w), 0);
	char *got = gunzip(path_in(state, "e.gz"), &n);
	assert_int_equal(n, 0);
	free(got);
}

/* Two files concatenated (two members) read back whole. */
static void test_concatenation(void **state)
{
	struct gzw w;
	size_t n;
	assert_int_equal(gzw_open(&w, path_in(state, "m.gz"), 6), 0);
	assert_int_equal(gzw_puts(&w, "first member\n"), 0);
	assert_int_equal(gzw_puts(&w, "second member\n"), 0);
	assert_int_equal(gzw_commit(&w), 0);
	char *got = gunzip(path_in(state, "m.gz"), &n);
	assert_int_equal(n, strlen("first member\nsecond member\n"));
	assert_memory_equal(got, "first member\nsecond member\n", n);
	free(got);

	assert_int_equal(gzw_open(&w, path_in(state, "b.gz"), 1), 0);
	assert_int_equal(gzw_puts(&w, "third\n"), 0);
	assert_int_equal(gzw_commit(&w), 0);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "cat '%s/m.gz' '%s/b.gz' > '%s/c.gz'", (char *)*state,
		 (char *)*state, (char *)*state);
	assert_int_equal(system(cmd), 0);
	got = gunzip(path_in(state, "c.gz"), &n);
	assert_int_equal(n, strlen("first member\nsecond member\nthird\n"));
	assert_memory_equal(got, "first member\nsecond member\nthird\n", n);
	free(got);
}

/* Same bytes in, same bytes out: no time or name in the header. */
static void test_deterministic(void **state)
{
	char *a, *b;
	size_t na, nb, n;
	for (int i = 0; i < 2; i++) {
		struct gzw w;
		assert_int_equal(gzw_open(&w, path_in(state, i ? "2.gz" : "1.gz"), 6), 0);
		free(write_mixed(&w, &n));
		assert_int_equal(gzw_commit(&w), 0);
	}
	a = slurp(path_in(state, "1.gz"), &na);
	b = slurp(path_in(state, "2.gz"), &nb);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	/* no mtime (bytes 4..7), no name (FLG bit 3), OS byte Unix */
	assert_int_equal(a[4] | a[5] | a[6] | a[7], 0);
	assert_int_equal(a[3] & 8, 0);
	assert_int_equal((unsigned char)a[9], 3);
	free(a);
	free(b);
}

/* Worker threads change the speed, never the bytes. */
static void test_threads_same_bytes(void **state)
{
	static const int threads[] = { 1, 2, 4, 7 };
	char *first = NULL;
	size_t first_n = 0;
	for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++) {
		struct gzw w;
		size_t n, got_n, raw_n;
		char *p = path_in(state, "t.gz");
		assert_int_equal(gzw_open(&w, p, 6), 0);
		assert_int_equal(gzw_threads(&w, threads[i]), 0);
		char *want = write_mixed(&w, &n);
		assert_int_equal(gzw_puts(&w, "tail\n"), 0);
		assert_int_equal(gzw_commit(&w), 0);
		char *got = gunzip(p, &got_n);
		assert_int_equal(got_n, n + 5);
		assert_memory_equal(got, want, n);
		assert_memory_equal(got + n, "tail\n", 5);
		char *raw = slurp(p, &raw_n);
		if (!first) {
			first = raw;
			first_n = raw_n;
		} else {
			assert_int_equal(raw_n, first_n);
			assert_memory_equal(raw, first, raw_n);
			free(raw);
		}
		free(got);
		free(want);
	}
	free(first);
}

/* Threads stop cleanly when the output is dropped half-way. */
static void test_threads_abort(void **state)
{
	struct gzw w;
	size_t n;
	assert_int_equal(gzw_open(&w, path_in(state, "gone.gz"), 1), 0);
	assert_int_equal(gzw_threads(&w, 3), 0);
	free(write_mixed(&w, &n));
	gzw_abort(&w);
	assert_int_equal(entries((char *)*state), 0);
	/* and threads are asked for before writing, or refused */
	assert_int_equal(gzw_open(&w, path_in(state, "late.gz"), 1), 0);
	assert_int_equal(gzw_puts(&w, "x"), 0);
	assert_int_equal(gzw_threads(&w, 2), GL_EUSAGE);
	assert_int_equal(gzw_commit(&w), GL_EUSAGE);
	assert_int_equal(entries((char *)*state), 0);
}

static void test_abort_leaves_nothing(void **state)
{
	struct gzw w;
	assert_int_equal(gzw_open(&w, path_in(state, "gone.gz"), 6), 0);
	assert_int_equal(gzw_puts(&w, "never seen\n"), 0);
	gzw_abort(&w);
	gzw_abort(&w); /* twice is fine */
	assert_int_equal(entries((char *)*state), 0);
}

static void test_missing_folder(void **state)
{
	struct gzw w;
	assert_int_equal(gzw_open(&w, path_in(state, "no/such/dir/x.gz"), 6), GL_EIO);
	assert_int_equal(entries((char *)*state), 0);
}

/* Writing to a full disk fails with GL_EIO at some write or at commit, and
 * every call after the first failure reports it.  /dev/full is reached as
 * stdout ("-"): a temporary beside /dev/full must never be created. */
static void test_full_disk(void **state)
{
	(void)state;
	struct gzw w;
	int err_write = 0, err_commit;
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	int full = open("/dev/full", O_WRONLY);
	if (full < 0 || saved < 0)
		skip();
	assert_int_equal(dup2(full, STDOUT_FILENO), STDOUT_FILENO);
	close(full);
	int err_open = gzw_open(&w, "-", 6);
	if (!err_open)
		err_open = gzw_threads(&w, 2);
	for (int i = 0; i < 20000 && !err_write && !err_open; i++)
		err_write = gzw_printf(&w, "line %d with some text to compress %d\n", i, i * i);
	int sticky = gzw_puts(&w, "more");
	err_commit = gzw_commit(&w);
	clearerr(stdout);
	fflush(stdout);
	clearerr(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	assert_int_equal(err_open, 0);
	assert_int_equal(err_commit, GL_EIO);
	if (err_write)
		assert_int_equal(sticky, err_write);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_levels_and_plain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concatenation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_same_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
	};
	log_init("test_gzwrite", LOG_QUIET);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
