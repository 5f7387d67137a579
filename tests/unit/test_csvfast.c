/* Unit tests for the fast paths of lib/csvread (one-line records split
 * without libcsv), lib/utf8 (ASCII eight bytes at a time), lib/csvwrite (text built in memory, numbers without
 * printf) and lib/parwrite (chunks made by threads, written in order):
 * each must give exactly the bytes of the slow path it replaces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csvread.h"
#include "csvwrite.h"
#include "err.h"
#include "log.h"
#include "parwrite.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

/* Bytes CSV fields are made of, the awkward ones many times over. */
static const char *const pieces[] = {"a", "b", "7", ",", ",", "\"", "\"", "\"\"", " ", "\r",
				     "\t", "|", ":", "\x01", "\xc3\xa9", "\xe2\x82\xac", "\xff",
				     "\xc3", "\n", "\n"};
#define NPIECES (sizeof pieces / sizeof *pieces)

static size_t random_text(char *out, size_t cap, uint32_t most)
{
	size_t n = 0, k = rnd(most + 1);
	for (size_t i = 0; i < k; i++) {
		const char *p = pieces[rnd(NPIECES)];
		size_t l = strlen(p);
		if (n + l >= cap)
			break;
		memcpy(out + n, p, l);
		n += l;
	}
	return n;
}

/* A file of mostly well-formed records (some fields quoted), with every
 * kind of damage the fast path must hand to libcsv mixed in.  delim ':'
 * stands for "::" (csvr_opts.dcolon). */
static void random_csv(const char *path, char delim)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	for (int line = 0; line < 300; line++) {
		int nf = 1 + (int)rnd(5);
		for (int i = 0; i < nf; i++) {
			char t[64];
			size_t n = random_text(t, sizeof t, 6);
			if (i)
				fputs(delim == ':' ? "::" : (char[]){delim, 0}, f);
			if (rnd(3) == 0) { /* quoted whole, quotes doubled */
				putc('"', f);
				for (size_t j = 0; j < n; j++) {
					if (t[j] == '"')
						putc('"', f);
					putc(t[j], f);
				}
				putc('"', f);
			} else if (rnd(4) == 0) { /* raw: stray quotes, newlines */
				fwrite(t, 1, n, f);
			} else {
				for (size_t j = 0; j < n; j++)
					if (t[j] != '"' && t[j] != '\n' && t[j] != delim)
						putc(t[j], f);
			}
		}
		if (rnd(10) == 0)
			putc('\r', f);
		if (rnd(20) == 0)
			putc('\0', f);
		putc('\n', f);
	}
	/* a final quote left open half the time: the error must match too */
	if (rnd(2))
		fputs("x,\"open\n", f);
	assert_int_equal(fclose(f), 0);
}

static void same_records(const char *path, struct csvr_opts o)
{
	struct csvr *fast, *slow;
	struct csvr_rec a, b;
	o.no_fast = 0;
	assert_int_equal(csvr_open(&fast, path, &o), 0);
	o.no_fast = 1;
	assert_int_equal(csvr_open(&slow, path, &o), 0);
	for (;;) {
		int ra = csvr_next(fast, &a), rb = csvr_next(slow, &b);
		assert_int_equal(ra, rb);
		if (ra != 1)
			break;
		assert_int_equal(a.n, b.n);
		assert_int_equal(a.lineno, b.lineno);
		assert_int_equal(a.offset, b.offset);
		assert_int_equal(a.too_long, b.too_long);
		for (size_t i = 0; i < a.n; i++) {
			assert_int_equal(a.len[i], b.len[i]);
			assert_memory_equal(a.f[i], b.f[i], a.len[i] + 1);
		}
	}
	assert_int_equal(csvr_bad_utf8(fast), csvr_bad_utf8(slow));
	csvr_close(fast);
	csvr_close(slow);
}

static void test_read_fast_equals_libcsv(void **state)
{
	(void)state;
	static const char delims[] = {',', '\t', '|', ':'};
	for (int round = 0; round < 80; round++) {
		char d = delims[round % 4];
		random_csv("f.csv", d);
		struct csvr_opts o = {.delim = d == ':' ? 0 : d, .dcolon = d == ':', .no_thread = 1};
		same_records("f.csv", o);
		o.quote = CSVR_NO_QUOTE;
		same_records("f.csv", o);
		o.quote = 0;
		o.max_record = 40;
		same_records("f.csv", o);
	}
	unlink("f.csv");
}

/* The fast path really runs (the comparison above would pass if it never
 * did): a file of simple lines reads the same with it, and the record's
 * fields are right. */
static void test_read_fast_fields(void **state)
{
	(void)state;
	FILE *f = fopen("g.csv", "wb");
	assert_non_null(f);
	fputs("id,title,x\n1,\"A, \"\"quoted\"\" \xc3\xa9\",\n2,,\"\"\n", f);
	assert_int_equal(fclose(f), 0);
	struct csvr *r;
	struct csvr_rec rec;
	assert_int_equal(csvr_open(&r, "g.csv", NULL), 0);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_int_equal(rec.n, 3);
	assert_string_equal(rec.f[1], "A, \"quoted\" \xc3\xa9");
	assert_int_equal(rec.len[2], 0);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.len[1] + rec.len[2], 0);
	assert_int_equal(rec.lineno, 3);
	assert_int_equal(csvr_next(r, &rec), 0);
	csvr_close(r);
	/* "::" (MovieLens .dat) splits the same on the fast path */
	f = fopen("g.csv", "wb");
	assert_non_null(f);
	fputs("1::A, b::x:y\n", f);
	assert_int_equal(fclose(f), 0);
	struct csvr_opts o = {.dcolon = 1};
	assert_int_equal(csvr_open(&r, "g.csv", &o), 0);
	assert_int_equal(csvr_next(r, &rec), 1);
	assert_int_equal(rec.n, 3);
	assert_string_equal(rec.f[1], "A, b");
	assert_string_equal(rec.f[2], "x:y");
	csvr_close(r);
	unlink("g.csv");
}

/* Unicode's table of well-formed byte sequences (3-7), byte by byte: the
 * oracle for utf8_valid_prefix, whose ASCII words skip eight at a time. */
static size_t ref_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k = c >= 0x01 && c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2
			 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
		unsigned lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
		unsigned hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
		if (!k || i + k > n)
			break;
		size_t j = 1;
		for (; j < k; j++)
			if (s[i + j] < (j == 1 ? lo : 0x80) || s[i + j] > (j == 1 ? hi : 0xbf))
				break;
		if (j < k)
			break;
		i += k;
	}
	return i;
}

static void test_utf8_prefix(void **state)
{
	(void)state;
	static const unsigned char bytes[] = {'a', 'z', ' ', 0, 0x7f, 0x80, 0xbf, 0xc2, 0xdf,
					      0xe0, 0xa0, 0xed, 0x9f, 0xf0, 0x90, 0xf4, 0x8f,
					      0xff};
	unsigned char s[48];
	for (int round = 0; round < 200000; round++) {
		size_t n = rnd(sizeof s + 1);
		for (size_t i = 0; i < n; i++) /* mostly ASCII, so words of it occur */
			s[i] = rnd(4) ? (unsigned char)('a' + rnd(26)) : bytes[rnd(sizeof bytes)];
		assert_int_equal(utf8_valid_prefix((const char *)s, n), ref_valid_prefix(s, n));
	}
}

/* What stdio writes for the same calls. */
static char *via_stdio(void (*put)(FILE *, const void *), const void *arg, size_t *len)
{
	char *p = NULL;
	FILE *f = open_memstream(&p, len);
	assert_non_null(f);
	put(f, arg);
	assert_int_equal(fclose(f), 0);
	return p;
}

struct text {
	const char *s;
	size_t n;
};

static void put_field(FILE *f, const void *arg)
{
	const struct text *t = arg;
	csvw_field(f, t->s, t->n);
}

/* The quoting rule of csvwrite.h, spelled out byte by byte. */
static size_t ref_field(const char *s, size_t n, char *out)
{
	int q = n && (s[0] == ' ' || s[n - 1] == ' ');
	for (size_t i = 0; i < n; i++)
		q |= s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	size_t o = 0;
	if (q)
		out[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (q && s[i] == '"')
			out[o++] = '"';
		out[o++] = s[i];
	}
	if (q)
		out[o++] = '"';
	return o;
}

static void test_write_fields_and_numbers(void **state)
{
	(void)state;
	struct csvb b = {0};
	for (int i = 0; i < 20000; i++) {
		char s[160], ref[400];
		struct text t = {s, random_text(s, sizeof s, i % 2 ? 12 : 60)};
		size_t len, rl = ref_field(t.s, t.n, ref);
		char *want = via_stdio(put_field, &t, &len);
		assert_int_equal(len, rl);
		assert_memory_equal(want, ref, rl);
		b.len = 0;
		csvb_field(&b, t.s, t.n);
		assert_int_equal(b.len, len);
		assert_memory_equal(b.p, want, len);
		free(want);
	}
	uint64_t vals[] = {0, 1, 9, 10, 99, 100, 101, 999, 1000, 65535, 4294967295u,
			   4294967296u, 10000000000000000000u, UINT64_MAX};
	for (size_t i = 0; i < sizeof vals / sizeof *vals + 2000; i++) {
		uint64_t v = i < sizeof vals / sizeof *vals ? vals[i]
							    : (uint64_t)rnd(1u << 31) << rnd(33);
		char want[32], got[24];
		snprintf(want, sizeof want, "%llu", (unsigned long long)v);
		size_t n = csv_u64(got, v);
		assert_int_equal(n, strlen(want));
		assert_memory_equal(got, want, n);
	}
	/* means as the tables hold them, ties, and values printf alone writes */
	double odd[] = {0, -0.0, 0.03125, 0.00005, 2.5, 1.00005, 429496.7295, 429496.72955,
			1e12, -3.25, 1.0 / 3, NAN, INFINITY, -INFINITY, 5e-324};
	for (int i = 0; i < 300000; i++) {
		int d = i % 10;
		double v = i < 150 ? odd[i / 10] : i % 3 ? (double)rnd(1u << 30) * 0.5 / (1 + rnd(5000))
			 : (double)rnd(1u << 31) / (1u << rnd(32));
		char want[400];
		snprintf(want, sizeof want, "%.*f", d, v);
		b.len = 0;
		csvb_fixed(&b, v, d);
		assert_int_equal(b.len, strlen(want));
		assert_memory_equal(b.p, want, b.len);
	}
	float scales[] = {0.5f, 1.0f, 0.1f, 0.25f, 0.01f, 3.7f, 1e-7f, 1e30f};
	for (size_t i = 0; i < sizeof scales / sizeof *scales; i++)
		for (int wide = 0; wide < 2; wide++) {
			struct csv_gtab t;
			csv_gtab_init(&t, scales[i], wide);
			for (int v = 0; v < 256; v++) {
				char want[32];
				double x = wide ? (double)v * scales[i] : (double)((float)v * scales[i]);
				snprintf(want, sizeof want, "%g", x);
				b.len = 0;
				csvb_gtab(&b, &t, (uint8_t)v);
				assert_int_equal(b.len, strlen(want));
				assert_memory_equal(b.p, want, b.len);
			}
		}
	csvb_free(&b);
}

/* Chunk c is "c:" and a run of bytes whose length depends on c; chunk
 * fail_at (if any) fails. */
struct chunks {
	uint64_t fail_at;
};

static int fill(void *ctx, uint64_t c, struct csvb *out)
{
	const struct chunks *k = ctx;
	if (c == k->fail_at)
		return GL_EFORMAT;
	csvb_u64(out, c);
	csvb_byte(out, ':');
	for (uint64_t i = 0; i < (c * 7919) % 5000; i++)
		csvb_byte(out, (char)('a' + (c + i) % 26));
	csvb_byte(out, '\n');
	if (c % 50 == 0)
		usleep(200); /* uneven chunk times, so threads finish out of order */
	return out->err;
}

static char *run(int threads, uint64_t n, uint64_t fail_at, int *err, size_t *len)
{
	char *p = NULL;
	FILE *f = open_memstream(&p, len);
	assert_non_null(f);
	struct chunks k = {fail_at};
	*err = parw_run(f, n, threads, fill, &k);
	assert_int_equal(fclose(f), 0);
	return p;
}

static void test_parwrite_order(void **state)
{
	(void)state;
	int err;
	size_t len1, len;
	char *one = run(1, 700, UINT64_MAX, &err, &len1);
	assert_int_equal(err, 0);
	assert_true(len1 > 700 * 2000);
	int counts[] = {2, 3, 8};
	for (size_t i = 0; i < 3; i++) {
		char *many = run(counts[i], 700, UINT64_MAX, &err, &len);
		assert_int_equal(err, 0);
		assert_int_equal(len, len1);
		assert_memory_equal(many, one, len);
		free(many);
	}
	free(one);
	/* a failing chunk stops the run with its error, and nothing after the
	 * chunks before it is written */
	for (int t = 1; t <= 3; t++) {
		char *part = run(t, 700, 300, &err, &len);
		assert_int_equal(err, GL_EFORMAT);
		one = run(1, 300, UINT64_MAX, &err, &len1);
		assert_true(len <= len1);
		assert_memory_equal(part, one, len);
		free(part);
		free(one);
	}
}

static void test_parwrite_cut(void **state)
{
	(void)state;
	uint64_t prefix[] = {0, 5, 5, 40, 41, 42, 100, 100};
	uint64_t *s, n;
	assert_int_equal(parw_cut(prefix, 7, 10, &s, &n), 0);
	/* rows never split; a chunk closes once it reaches 10 */
	uint64_t want[] = {0, 3, 6, 7};
	assert_int_equal(n, 3);
	assert_memory_equal(s, want, sizeof want);
	free(s);
	assert_int_equal(parw_cut(prefix, 0, 10, &s, &n), 0);
	assert_int_equal(n, 0);
	free(s);
}

int main(void)
{
	log_init("test_csvfast", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_fast_equals_libcsv),
		cmocka_unit_test(test_read_fast_fields),
		cmocka_unit_test(test_utf8_prefix),
		cmocka_unit_test(test_write_fields_and_numbers),
		cmocka_unit_test(test_parwrite_order),
		cmocka_unit_test(test_parwrite_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
