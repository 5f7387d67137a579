/* Unit tests for lib/inflate (the zlib and ISA-L engines) and lib/gunzip
 * (gzip framing): every engine this build has decodes the same streams fed
 * in any piece sizes to the same text, stops at the same byte, and reports
 * every kind of damage with the same message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "gunzip.h"
#include "inflate.h"
#include "log.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static const char *const names[] = {"zlib", "isal"};
#define NNAMES (sizeof names / sizeof *names)

/* Text that compresses like the dumps: JSON-ish lines with varied numbers. */
static unsigned char *make_text(size_t n)
{
	unsigned char *t = malloc(n + 64);
	size_t at = 0;
	uint64_t x = 88172645463325252u;
	while (at < n) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		at += (size_t)sprintf((char *)t + at, "{\"user_id\": \"%016llx\", \"rating\": %d}\n",
				      (unsigned long long)(x >> 20), (int)(x % 6));
	}
	return t;
}

static unsigned char *make_noise(size_t n)
{
	unsigned char *t = malloc(n);
	uint64_t x = 2463534242u;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		t[i] = (unsigned char)x;
	}
	return t;
}

/* Raw deflate of data at level (0 = stored blocks), with tail appended;
 * *dlen is the length of the deflate part alone. */
static unsigned char *deflate_raw(const unsigned char *data, size_t n, int level,
				  const char *tail, size_t *dlen, size_t *total)
{
	z_stream zs = {0};
	assert_int_equal(deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&zs, n) + strlen(tail);
	unsigned char *out = malloc(cap);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*dlen = zs.total_out;
	deflateEnd(&zs);
	memcpy(out + *dlen, tail, strlen(tail));
	*total = *dlen + strlen(tail);
	return out;
}

/* Decode stream[0..len) with e, handing it over in pieces of `piece` bytes,
 * each copied into a buffer of its own behind the INFL_LOOKBACK bytes before
 * it (as lib/gzline does), with `room` bytes of output at a time.  Checks
 * the text, the CRC and that the engine stopped exactly at dlen. */
static void decode_pieces(const struct infl_engine *e, const unsigned char *stream, size_t len,
			  size_t dlen, const unsigned char *want, size_t wlen, size_t piece, size_t room)
{
	void *st = e->open();
	assert_non_null(st);
	unsigned char *got = malloc(wlen + 1), *buf = NULL;
	size_t made = 0, pos = 0; /* stream offset of the piece's first byte */
	struct infl_io io = {0};
	int rc = INFL_OK;
	while (rc == INFL_OK) {
		if (io.avail_in == 0) {
			assert_true(pos < len); /* the engine must end before the input does */
			size_t back = pos < INFL_LOOKBACK ? pos : INFL_LOOKBACK;
			size_t n = len - pos < piece ? len - pos : piece;
			free(buf);
			buf = malloc(back + n);
			memcpy(buf, stream + pos - back, back + n);
			io.next_in = buf + back;
			io.avail_in = n;
			pos += n;
		}
		unsigned char out[4096];
		size_t r = room < sizeof out ? room : sizeof out;
		io.next_out = out;
		io.avail_out = r;
		rc = e->run(st, &io);
		size_t k = r - io.avail_out;
		assert_true(made + k <= wlen);
		memcpy(got + made, out, k);
		made += k;
	}
	assert_int_equal(rc, INFL_END);
	assert_int_equal(made, wlen);
	assert_memory_equal(got, want, wlen);
	assert_int_equal(e->crc(st), (uint32_t)crc32(0, want, (uInt)wlen));
	/* Stopped at the end of the deflate data: what is left is the tail. */
	assert_int_equal(pos - io.avail_in, dlen);
	assert_memory_equal(io.next_in, stream + dlen, io.avail_in);
	free(buf);
	free(got);
	e->close(st);
}

static void test_engines_any_piece_size(void **state)
{
	(void)state;
	size_t n = 300000;
	unsigned char *text = make_text(n), *noise = make_noise(70000);
	struct {
		const unsigned char *data;
		size_t n;
		int level;
	} cases[] = {{text, n, 6}, {text, n, 1}, {text, 0, 6}, {noise, 70000, 0}, {noise, 70000, 9},
		     {text, 17, 9}};
	size_t pieces[] = {1, 2, 3, 7, 8, 9, 64, 4093, 1u << 20};
	size_t rooms[] = {1, 5, 4096};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		size_t dlen, len;
		unsigned char *s = deflate_raw(cases[c].data, cases[c].n, cases[c].level,
					       "\x1f\x8b\x08tail bytes", &dlen, &len);
		for (size_t i = 0; i < NNAMES; i++) {
			const struct infl_engine *e = infl_by_name(names[i]);
			if (!e)
				continue;
			for (size_t p = 0; p < sizeof pieces / sizeof *pieces; p++)
				for (size_t r = 0; r < sizeof rooms / sizeof *rooms; r++) {
					/* one byte of output at a time is slow: small cases only */
					if (rooms[r] < 16 && cases[c].n > 20000 && pieces[p] > 9)
						continue;
					decode_pieces(e, s, len, dlen, cases[c].data, cases[c].n,
						      pieces[p], rooms[r]);
				}
		}
		free(s);
	}
	free(text);
	free(noise);
}

static void test_engines_reject_bad_deflate(void **state)
{
	(void)state;
	/* BFINAL=1 with the reserved block type 3; a stored block whose
	 * length and its complement disagree. */
	static const unsigned char bad[][8] = {{0x07, 0, 0, 0}, {0x01, 0x05, 0x00, 0x00, 0x00}};
	for (size_t i = 0; i < NNAMES; i++) {
		const struct infl_engine *e = infl_by_name(names[i]);
		if (!e)
			continue;
		for (size_t b = 0; b < 2; b++) {
			void *st = e->open();
			unsigned char out[64];
			struct infl_io io = {bad[b], sizeof bad[b], out, sizeof out};
			assert_int_equal(e->run(st, &io), INFL_BAD);
			e->close(st);
		}
	}
	assert_non_null(infl_by_name("zlib"));
	assert_null(infl_by_name("brotli"));
	assert_non_null(infl_best());
#ifdef GL_HAVE_ISAL
	assert_string_equal(infl_best()->name, "isal");
#else
	assert_string_equal(infl_best()->name, "zlib");
#endif
}

/* ---- gunzip: framing, the same under every engine ----------------------- */

/* A gzip member of data with the given flags (FTEXT|FHCRC|FEXTRA|FNAME|
 * FCOMMENT as asked), appended to *out. */
static void gz_member(unsigned char **out, size_t *len, const unsigned char *data, size_t n,
		      int flags)
{
	size_t dlen, dtot;
	unsigned char *d = deflate_raw(data, n, 6, "", &dlen, &dtot);
	unsigned char *o = realloc(*out, *len + 64 + 70000 + dlen + 8);
	unsigned char *p = o + *len, *h = p;
	*p++ = 0x1f, *p++ = 0x8b, *p++ = 8, *p++ = (unsigned char)flags;
	memcpy(p, "\x01\x02\x03\x04\x00\x03", 6), p += 6;
	if (flags & 4) { /* FEXTRA: a 65000-byte field, longer than most reads */
		*p++ = 65000 & 0xff, *p++ = 65000 >> 8;
		memset(p, 'x', 65000), p += 65000;
	}
	if (flags & 8)
		memcpy(p, "name.json\0", 10), p += 10;
	if (flags & 16)
		memcpy(p, "a comment\0", 10), p += 10;
	if (flags & 2) {
		uLong c = crc32(0, h, (uInt)(p - h));
		*p++ = (unsigned char)c, *p++ = (unsigned char)(c >> 8);
	}
	memcpy(p, d, dlen), p += dlen;
	uLong c = crc32(0, data, (uInt)n);
	for (int i = 0; i < 4; i++)
		*p++ = (unsigned char)(c >> 8 * i);
	for (int i = 0; i < 4; i++)
		*p++ = (unsigned char)(n >> 8 * i);
	*len = (size_t)(p - o);
	*out = o;
	free(d);
}

struct run {
	int rc;
	size_t out;       /* text bytes decoded */
	uint64_t in;      /* compressed bytes consumed */
	char msg[512];    /* what was logged */
	uint32_t crc;     /* of the text */
};

/* Decode s[0..len) through gunzip with engine name, in pieces of `piece`
 * bytes (lookback kept), capturing the message logged. */
static struct run gunzip_all(const char *name, const unsigned char *s, size_t len, size_t piece)
{
	struct run r = {0};
	struct gunzip *g;
	fflush(stderr);
	int saved = dup(2);
	FILE *cap = tmpfile();
	dup2(fileno(cap), 2);
	assert_int_equal(gunzip_new(&g, "t.gz", infl_by_name(name)), 0);
	assert_string_equal(gunzip_engine(g), name);
	size_t pos = 0;
	unsigned char out[8192];
	uLong crc = crc32(0, Z_NULL, 0);
	struct infl_io io = {s, 0, out, sizeof out};
	for (;;) {
		if (io.avail_in == 0 && pos < len) {
			size_t n = len - pos < piece ? len - pos : piece;
			io.next_in = s + pos;
			io.avail_in = n;
			pos += n;
		}
		io.next_out = out;
		io.avail_out = sizeof out;
		r.rc = gunzip_run(g, &io, pos == len);
		crc = crc32(crc, out, (uInt)(sizeof out - io.avail_out));
		r.out += sizeof out - io.avail_out;
		if (r.rc != GUNZIP_MORE)
			break;
	}
	assert_int_equal(gunzip_run(g, &io, 1), r.rc); /* sticky */
	r.in = gunzip_bytes_in(g);
	r.crc = (uint32_t)crc;
	gunzip_free(g);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(cap);
	size_t k = fread(r.msg, 1, sizeof r.msg - 1, cap);
	r.msg[k] = 0;
	fclose(cap);
	return r;
}

/* Every engine and piece size gives the same outcome; returns zlib's. */
static struct run same_everywhere(const unsigned char *s, size_t len, int offsets_agree)
{
	struct run first = gunzip_all("zlib", s, len, 1u << 20);
	size_t pieces[] = {1, 9, 4096, 1u << 20};
	for (size_t i = 0; i < NNAMES; i++) {
		if (!infl_by_name(names[i]))
			continue;
		for (size_t p = 0; p < sizeof pieces / sizeof *pieces; p++) {
			struct run r = gunzip_all(names[i], s, len, pieces[p]);
			assert_int_equal(r.rc, first.rc);
			if (!offsets_agree)
				continue;
			assert_string_equal(r.msg, first.msg);
			assert_int_equal(r.out, first.out);
			assert_int_equal(r.in, first.in);
			assert_int_equal(r.crc, first.crc);
		}
	}
	return first;
}

static void test_gunzip_members_and_header_fields(void **state)
{
	(void)state;
	size_t n = 200000, len = 0;
	unsigned char *text = make_text(n), *s = NULL;
	gz_member(&s, &len, text, 1000, 0);
	gz_member(&s, &len, text + 1000, 0, 8);          /* an empty member */
	gz_member(&s, &len, text + 1000, n - 1000, 2 | 4 | 8 | 16);
	struct run r = same_everywhere(s, len, 1);
	assert_int_equal(r.rc, GUNZIP_END);
	assert_int_equal(r.out, n);
	assert_int_equal(r.in, len);
	assert_int_equal(r.crc, (uint32_t)crc32(0, text, (uInt)n));
	assert_string_equal(r.msg, "");
	free(s);
	free(text);
}

/* A copy of s with byte at ^= x, run everywhere; the message must hold want. */
static struct run damaged(const unsigned char *s, size_t len, size_t at, int x, const char *want,
			  int offsets_agree)
{
	unsigned char *d = malloc(len);
	memcpy(d, s, len);
	d[at] ^= (unsigned char)x;
	struct run r = same_everywhere(d, len, offsets_agree);
	free(d);
	assert_int_equal(r.rc, GL_EFORMAT);
	if (!strstr(r.msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", r.msg, want);
	return r;
}

static void test_gunzip_damage(void **state)
{
	(void)state;
	size_t n = 50000, len = 0, len1;
	unsigned char *text = make_text(n), *s = NULL;
	gz_member(&s, &len, text, n, 2 | 8);
	len1 = len;
	gz_member(&s, &len, text, 100, 0);
	char want[200];
	/* the header: method, reserved flags, header CRC (a byte of the name) */
	damaged(s, len, 2, 1, "t.gz (byte 2): corrupt gzip data: compression method 9", 1);
	damaged(s, len, 3, 0x20, "t.gz (byte 3): corrupt gzip data: reserved header flags 0x20", 1);
	damaged(s, len, 15, 1, "t.gz (byte 20): corrupt gzip data: the header CRC of the member", 1);
	/* the trailer: CRC-32, length; the second member's CRC */
	snprintf(want, sizeof want, "t.gz (byte %zu): corrupt gzip data: the member at byte 0 "
		 "inflates to data of CRC-32", len1 - 8);
	struct run r = damaged(s, len, len1 - 8, 1, want, 1);
	assert_int_equal(r.out, n); /* all the text came before the verdict */
	snprintf(want, sizeof want, "t.gz (byte %zu): corrupt gzip data: the member at byte 0 "
		 "inflates to 50000 bytes but its trailer says 49984", len1 - 4);
	damaged(s, len, len1 - 4, 0x10, want, 1);
	snprintf(want, sizeof want, "t.gz (byte %zu): corrupt gzip data: the member at byte %zu ",
		 len - 8, len1);
	damaged(s, len, len - 8, 0x80, want, 1);
	/* the deflate data: where it is noticed is the engine's business, and
	 * damage may read as data that runs on to the end of the file */
	for (size_t at = 30; at < len1 - 8; at += (len1 - 38) / 7)
		damaged(s, len, at, 0x5a, " gzip ", 0);
	free(s);
	free(text);
}

static void test_gunzip_cut_anywhere(void **state)
{
	(void)state;
	size_t len = 0, len1;
	unsigned char *text = make_text(3000), *s = NULL;
	gz_member(&s, &len, text, 3000, 8);
	len1 = len;
	gz_member(&s, &len, text, 100, 0);
	char want[200];
	for (size_t cut = 0; cut < len; cut++) {
		struct run r = same_everywhere(s, cut, 1);
		if (cut == len1) { /* a clean end between members: nothing to notice */
			assert_int_equal(r.rc, GUNZIP_END);
			continue;
		}
		assert_int_equal(r.rc, GL_EFORMAT);
		if (cut == len1 + 1) /* a lone 1f after a member */
			snprintf(want, sizeof want, "t.gz (byte %zu): trailing garbage after gzip data", len1);
		else
			snprintf(want, sizeof want, "t.gz (byte %zu): truncated gzip stream (unexpected "
				 "end of file in the member at byte %zu)", cut, cut < len1 ? (size_t)0 : len1);
		if (!strstr(r.msg, want))
			fail_msg("cut at %zu: \"%s\" lacks \"%s\"", cut, r.msg, want);
	}
	free(s);
	free(text);
}

static void test_gunzip_trailing_bytes(void **state)
{
	(void)state;
	size_t len = 0;
	unsigned char *text = make_text(5000), *s = NULL;
	gz_member(&s, &len, text, 5000, 0);
	s = realloc(s, len + 512);
	char want[200];
	snprintf(want, sizeof want, "t.gz (byte %zu): trailing garbage after gzip data", len);
	const char *tails[] = {"garbage", "\x1f\x8c", "\x1f"};
	for (size_t t = 0; t < 3; t++) {
		memcpy(s + len, tails[t], strlen(tails[t]));
		struct run r = same_everywhere(s, len + strlen(tails[t]), 1);
		assert_int_equal(r.rc, GL_EFORMAT);
		assert_int_equal(r.out, 5000);
		if (!strstr(r.msg, want))
			fail_msg("\"%s\" lacks \"%s\"", r.msg, want);
	}
	memset(s + len, 0, 512); /* zero padding, as some tools leave */
	struct run r = same_everywhere(s, len + 512, 1);
	assert_int_equal(r.rc, GL_EFORMAT);
	assert_non_null(strstr(r.msg, want));
	free(s);
	free(text);
}

int main(void)
{
	log_init("test_inflate", LOG_NORMAL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engines_any_piece_size),
		cmocka_unit_test(test_engines_reject_bad_deflate),
		cmocka_unit_test(test_gunzip_members_and_header_fields),
		cmocka_unit_test(test_gunzip_damage),
		cmocka_unit_test(test_gunzip_cut_anywhere),
		cmocka_unit_test(test_gunzip_trailing_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
