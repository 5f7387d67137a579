/* Unit tests for the parsing pieces of goodlens-extract: dates, JSON
 * escape mending, the flat-object fast path against yajl, kind detection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "../../etl/extract_dates.h"
#include "../../etl/extract_kind.h"
#include "../../etl/extract_jsonflat.h"
#include "../../etl/extract_jsonl.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_goodreads_dates(void **state)
{
	(void)state;
	uint32_t t;
	const char *s = "Mon Aug 28 13:55:01 -0700 2017";
	assert_int_equal(date_goodreads(s, strlen(s), &t), 1);
	assert_int_equal(t, 1503953701u); /* 20:55:01 UTC */
	s = "Tue Feb 29 23:59:59 +0530 2000";
	assert_int_equal(date_goodreads(s, strlen(s), &t), 1);
	assert_int_equal(t, 951848999u);
	s = "Thu Jan 01 00:00:01 +0000 1970";
	assert_int_equal(date_goodreads(s, strlen(s), &t), 1);
	assert_int_equal(t, 1u);
	assert_int_equal(date_goodreads("", 0, &t), 0);
	assert_int_equal(t, 0u);
	static const char *const bad[] = {
		"Mon Foo 28 13:55:01 -0700 2017", /* month */
		"Xyz Aug 28 13:55:01 -0700 2017", /* weekday */
		"Mon Feb 30 13:55:01 -0700 2017", /* no such day */
		"Mon Feb 29 13:55:01 -0700 2017", /* not a leap year */
		"Mon Aug 28 24:55:01 -0700 2017", /* hour */
		"Mon Aug 28 13:55:01 0700 2017",  /* offset sign */
		"Mon Aug 28 13:55:01 -0700 17",   /* short year */
		"Thu Jan 01 00:00:00 +0000 1970", /* 0 means unknown: refused */
		"Wed Dec 31 23:00:00 +0000 1969", /* before 1970 */
		"Sun Feb 07 06:28:16 +0000 2106", /* past u32 */
		"Mon Aug 28 13:55:01 -0700 2017 ",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(date_goodreads(bad[i], strlen(bad[i]), &t), -1);
	s = "Sun Feb 07 06:28:15 +0000 2106";
	assert_int_equal(date_goodreads(s, strlen(s), &t), 1);
	assert_int_equal(t, UINT32_MAX);
}

/* ---- date_goodreads against the plain one it replaced -------------------- */

/* The byte-by-byte parser date_goodreads had before it looked names up by
 * a hash and tested the digits all at once: the reference. */
static int ref_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned ref_month_days(int64_t y, unsigned m)
{
	static const unsigned d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && ref_leap(y) ? 29 : d[m - 1];
}

/* n decimal digits at s: the value, or -1. */
static long ref_digits(const char *s, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int ref_finish(int64_t y, long mo, long d, long h, long mi, long sec, long off_s,
		  uint32_t *out)
{
	if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > ref_month_days(y, (unsigned)mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	int64_t t = date_days(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec -
		    off_s;
	if (t <= 0 || t > (int64_t)UINT32_MAX)
		return -1;
	*out = (uint32_t)t;
	return 1;
}

static int ref_goodreads(const char *s, size_t len, uint32_t *out)
{
	*out = 0;
	if (len == 0)
		return 0;
	/* "Mon Aug 28 13:55:01 -0700 2017": 30 bytes, fixed columns. */
	if (len != 30 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[13] != ':' ||
	    s[16] != ':' || s[19] != ' ' || (s[20] != '+' && s[20] != '-') || s[25] != ' ')
		return -1;
	/* weekday and month by their three letters as one number: a switch, not
	 * a search */
#define L3(a, b, c) ((unsigned)(unsigned char)(a) << 16 | (unsigned)(unsigned char)(b) << 8 | (unsigned char)(c))
	int wd, mo;
	switch (L3(s[0], s[1], s[2])) {
	case L3('M', 'o', 'n'): case L3('T', 'u', 'e'): case L3('W', 'e', 'd'):
	case L3('T', 'h', 'u'): case L3('F', 'r', 'i'): case L3('S', 'a', 't'):
	case L3('S', 'u', 'n'): wd = 1; break;
	default: wd = 0;
	}
	switch (L3(s[4], s[5], s[6])) {
	case L3('J', 'a', 'n'): mo = 1; break;
	case L3('F', 'e', 'b'): mo = 2; break;
	case L3('M', 'a', 'r'): mo = 3; break;
	case L3('A', 'p', 'r'): mo = 4; break;
	case L3('M', 'a', 'y'): mo = 5; break;
	case L3('J', 'u', 'n'): mo = 6; break;
	case L3('J', 'u', 'l'): mo = 7; break;
	case L3('A', 'u', 'g'): mo = 8; break;
	case L3('S', 'e', 'p'): mo = 9; break;
	case L3('O', 'c', 't'): mo = 10; break;
	case L3('N', 'o', 'v'): mo = 11; break;
	case L3('D', 'e', 'c'): mo = 12; break;
	default: mo = 0;
	}
#undef L3
	long d = s[8] == ' ' ? ref_digits(s + 9, 1) : ref_digits(s + 8, 2);
	long h = ref_digits(s + 11, 2), mi = ref_digits(s + 14, 2), sec = ref_digits(s + 17, 2);
	long oh = ref_digits(s + 21, 2), om = ref_digits(s + 23, 2), y = ref_digits(s + 26, 4);
	if (!wd || !mo || d < 0 || h < 0 || mi < 0 || sec < 0 || oh < 0 || om < 0 || y < 0 ||
	    oh > 14 || om > 59)
		return -1;
	long off = (oh * 3600 + om * 60) * (s[20] == '-' ? -1 : 1);
	return ref_finish(y, mo, d, h, mi, sec, off, out);
}


/* Every month and weekday name, and every byte of a date changed to every
 * value: date_goodreads says what the reference says. */
static void test_goodreads_dates_match_reference(void **state)
{
	(void)state;
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	char s[96]; /* room for any int the format could print */
	uint32_t t, r;
	for (int m = 0; m < 12; m++)
		for (int w = 0; w < 7; w++) {
			snprintf(s, sizeof s, "%s %s %2d 0%d:%02d:59 %c%02d%02d %d", wd[w], mon[m],
				 1 + (m * 7 + w) % 28, w, m * 4, w % 2 ? '-' : '+', m, w * 5, 1990 + m * 2);
			assert_int_equal(date_goodreads(s, 30, &t), 1);
			assert_int_equal(ref_goodreads(s, 30, &r), 1);
			assert_int_equal(t, r);
		}
	const char *base[] = {"Mon Aug 28 13:55:01 -0700 2017", "Tue Feb 29 23:59:59 +0530 2000",
			      "Sun Dec  7 00:00:01 +1400 1999"};
	for (size_t b = 0; b < sizeof base / sizeof base[0]; b++)
		for (int at = 0; at < 30; at++)
			for (int c = 1; c < 256; c++) {
				memcpy(s, base[b], 31);
				s[at] = (char)c;
				int got = date_goodreads(s, 30, &t), want = ref_goodreads(s, 30, &r);
				if (got != want || t != r)
					fail_msg("%s: %d (%u), the reference %d (%u)", s, got, t, want, r);
			}
}

static void test_movielens_dates(void **state)
{
	(void)state;
	uint32_t t;
	assert_int_equal(date_movielens("964982703", 9, &t), 1);
	assert_int_equal(t, 964982703u);
	assert_int_equal(date_movielens("2005-04-02 23:53:47", 19, &t), 1);
	assert_int_equal(t, 1112486027u);
	assert_int_equal(date_movielens("", 0, &t), 0);
	assert_int_equal(date_movielens("0", 1, &t), -1);
	assert_int_equal(date_movielens("4294967296", 10, &t), -1);
	assert_int_equal(date_movielens("12a", 3, &t), -1);
	assert_int_equal(date_movielens("2005-13-02 23:53:47", 19, &t), -1);
	assert_int_equal(date_movielens("2005-04-02T23:53:47", 19, &t), -1);
	assert_int_equal(date_days(1970, 1, 1), 0);
	assert_int_equal(date_days(2000, 3, 1), 11017);
	assert_int_equal(date_days(1969, 12, 31), -1);
}

static void test_fix_escapes(void **state)
{
	(void)state;
	struct {
		const char *in, *out;
		size_t fixed;
	} cases[] = {
		{"\"\\ud83d\\ude00\"", "\"\\ud83d\\ude00\"", 0},    /* a pair stays */
		{"\"\\ud800 x\"", "\"\\ufffd x\"", 1},               /* lone high */
		{"\"\\udc00\"", "\"\\ufffd\"", 1},                   /* lone low */
		{"\"\\ud800\\u0041\"", "\"\\ufffd\\u0041\"", 1},     /* high + non-low */
		{"\"\\u0000\"", "\"\\ufffd\"", 1},                   /* NUL */
		{"\"\\\\ud800\"", "\"\\\\ud800\"", 0},               /* escaped backslash */
		{"\"\\ud800", "\"\\ufffd", 1},                       /* at the very end */
		{"\"\\u12\"", "\"\\u12\"", 0},                       /* not an escape */
		{"\"\\", "\"\\", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "%s", cases[i].in);
		assert_int_equal(jsonl_fix_escapes(buf, strlen(buf)), cases[i].fixed);
		assert_string_equal(buf, cases[i].out);
	}
}

/* ---- the fast path against yajl: the same events, or a refusal ---------- */

struct trace {
	struct buf b;
};

static int ev(void *ctx, const char *what, const void *s, size_t len)
{
	struct trace *t = ctx;
	buf_adds(&t->b, what);
	if (s) {
		buf_addc(&t->b, '[');
		buf_add(&t->b, s, len);
		buf_addc(&t->b, ']');
	}
	buf_addc(&t->b, ';');
	return 1;
}

static int t_null(void *c) { return ev(c, "null", NULL, 0); }
static int t_bool(void *c, int b) { return ev(c, b ? "true" : "false", NULL, 0); }
static int t_num(void *c, const char *s, size_t n) { return ev(c, "num", s, n); }
static int t_str(void *c, const unsigned char *s, size_t n) { return ev(c, "str", s, n); }
static int t_key(void *c, const unsigned char *s, size_t n) { return ev(c, "key", s, n); }
static int t_sm(void *c) { return ev(c, "{", NULL, 0); }
static int t_em(void *c) { return ev(c, "}", NULL, 0); }
static int t_sa(void *c) { return ev(c, "[", NULL, 0); }
static int t_ea(void *c) { return ev(c, "]", NULL, 0); }

static const yajl_callbacks tcb = {t_null, t_bool, NULL, NULL, t_num, t_str,
				   t_sm,   t_key,  t_em, t_sa, t_ea};

/* Strings by their emptiness only: what jsonflat_scan_raw promises for a
 * string with escapes (raw, undecoded) against yajl's decoded one. */
static int t_str_e(void *c, const unsigned char *s, size_t n)
{
	(void)s;
	return ev(c, n ? "str+" : "str0", NULL, 0);
}

static const yajl_callbacks ecb = {t_null, t_bool, NULL, NULL, t_num, t_str_e,
				   t_sm,   t_key,  t_em, t_sa, t_ea};

/* What yajl makes of line alone with callbacks cb: its events, or NULL
 * when it fails. */
static char *yajl_events_cb(const char *line, const yajl_callbacks *cb)
{
	struct trace t = {{0}};
	yajl_handle h = yajl_alloc(cb, NULL, &t);
	yajl_config(h, yajl_dont_validate_strings, 1);
	yajl_status st = yajl_parse(h, (const unsigned char *)line, strlen(line));
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	yajl_free(h);
	if (st != yajl_status_ok) {
		buf_free(&t.b);
		return NULL;
	}
	return t.b.p ? t.b.p : strdup("");
}

static char *yajl_events(const char *line) { return yajl_events_cb(line, &tcb); }

/* Every path of the fast path (jsonflat_scan_path) on line[0..len) against
 * JF_STREAM: the same verdict and the same events, or fail naming the
 * path. */
static void paths_agree(const char *line, size_t len, const yajl_callbacks *cb,
			jsonflat_raw_fn raw)
{
	static const int paths[] = {JF_BEST,	     JF_MASKS,	      JF_MASKS_SCALAR,
				    JF_MASKS_AVX2, JF_MASKS_AVX512, JF_MASKS_VBMI2};
	struct trace s = {{0}};
	int want = jsonflat_scan_path(line, len, cb, raw, &s, JF_STREAM);
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		struct trace t = {{0}};
		int got = jsonflat_scan_path(line, len, cb, raw, &t, paths[i]);
		if (got != want)
			fail_msg("path %d says %d, the stream %d: %.*s", paths[i], got, want,
				 (int)len, line);
		if (got && strcmp(s.b.p ? s.b.p : "", t.b.p ? t.b.p : "") != 0)
			fail_msg("path %d events differ for %.*s:\nstream %s\npath   %s", paths[i],
				 (int)len, line, s.b.p, t.b.p);
		buf_free(&t.b);
	}
	buf_free(&s.b);
}

/* jsonflat_scan_raw on line: if it accepts, yajl accepts too with the same
 * events, strings compared by emptiness; every path agrees. */
static void check_raw(const char *line, int want_fast)
{
	struct trace t = {{0}};
	paths_agree(line, strlen(line), &ecb, t_str_e);
	int fast = jsonflat_scan_raw(line, strlen(line), &ecb, t_str_e, &t);
	if (want_fast >= 0 && fast != want_fast)
		fail_msg("jsonflat_scan_raw(%s) = %d, expected %d", line, fast, want_fast);
	if (fast) {
		char *y = yajl_events_cb(line, &ecb);
		if (!y)
			fail_msg("fast path (raw) accepted what yajl refuses: %s", line);
		if (strcmp(y, t.b.p) != 0)
			fail_msg("events differ for %s:\nyajl %s\nfast %s", line, y, t.b.p);
		free(y);
	}
	buf_free(&t.b);
}

/* The raw callback receives the escaped text as it stands. */
static int t_raw_text(void *c, const unsigned char *s, size_t n) { return ev(c, "raw", s, n); }

static void test_flat_raw_escapes(void **state)
{
	(void)state;
	struct trace t = {{0}};
	const char *l = "{\"a\": \"x\\\"y\\u00e9\", \"b\": \"plain\"}";
	assert_int_equal(jsonflat_scan_raw(l, strlen(l), &tcb, t_raw_text, &t), 1);
	assert_string_equal(t.b.p, "{;key[a];raw[x\\\"y\\u00e9];key[b];str[plain];};");
	buf_free(&t.b);
	/* accepted: every escape yajl's lexer knows, long strings (the 16-byte
	 * scan), escapes next to the closing quote */
	check_raw("{\"a\": \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\uD83D\\uDE00 \\uabCD\"}", 1);
	check_raw("{\"a\": \"\\u0000\", \"b\": \"\\ud800\", \"c\": \"\\udc00x\"}", 1);
	check_raw("{\"review\": \"0123456789abcdef0123456789\\n\\n0123456789abcdef\\\"\"}", 1);
	check_raw("{\"a\": \"0123456789abcde\\\"\", \"b\": 1}", 1);
	/* refused: what yajl's lexer refuses, escaped keys, control characters */
	check_raw("{\"a\": \"\\x\"}", 0);
	check_raw("{\"a\": \"\\u12g4\"}", 0);
	check_raw("{\"a\": \"\\u12\"}", 0);
	check_raw("{\"a\": \"0123456789abcdef0123\\\"}", 0);
	check_raw("{\"a\": \"0123456789abcdef\\\t\"}", 0);
	check_raw("{\"a\\n\": 1}", 0);
	check_raw("{\"a\": \"x\\", 0);
	check_raw("{\"a\": \"0123456789abcdef\x01\\n\"}", 0);
}

static void check_line(const char *line, int want_fast);

/* Long strings with something in them at every offset: an escape, a
 * control character, a stray quote, bytes that are not UTF-8 (passed
 * through: strings are not validated), with the string starting at every
 * offset of a 64-byte block, so that each crosses the 16-, 32- and 64-byte
 * steps of every path at every place.  Each path agrees with the stream
 * walk and, where they accept, with yajl. */
static void test_flat_paths_long(void **state)
{
	(void)state;
	static const char *const items[] = {
		"\\n", "\\\"", "\\\\", "\\u00e9", "\\ud83d\\udcda", "\\x", "\\u12g4", "\\",
		"\x01", "\x1f", "\t", "\"", "\xff", "\xc3", "\xe2\x80\x99", "}", "\\/",
	};
	char line[600], text[200];
	for (size_t it = 0; it < sizeof items / sizeof items[0]; it++) {
		size_t il = strlen(items[it]);
		for (size_t pad = 0; pad < 64; pad += 5) {
			for (size_t at = 0; at < 140; at += 3) {
				memset(text, 'a' + (int)(at % 26), at);
				memcpy(text + at, items[it], il);
				memset(text + at + il, 'z', 20);
				text[at + il + 20] = 0;
				int n = snprintf(line, sizeof line,
						 "{\"k%.*s\": \"%s\", \"rating\": 5, \"e\": \"\"}",
						 (int)pad, "0123456789012345678901234567890123456789"
							   "012345678901234567890123",
						 text);
				check_raw(line, -1);
				check_line(line, -1);
				/* cut short: a string that never closes, at every place */
				for (int cut = n - 1; cut > n - 40 && cut > 0; cut -= 7) {
					char c = line[cut];
					line[cut] = 0;
					check_raw(line, -1);
					line[cut] = c;
				}
			}
		}
	}
	/* the same walk accepts a clean long line on every path */
	memset(text, 'q', 150);
	text[150] = 0;
	snprintf(line, sizeof line, "{\"a\": \"%s\", \"b\": true}", text);
	check_raw(line, 1);
}

/* base (under 512 bytes) into line with 1 to 3 of its bytes replaced by
 * characters of alphabet, drawn from *seed; the same rounds give the same
 * lines on every run. */
static void mutate(char *line, const char *base, const char *alphabet, int round, unsigned *seed)
{
	size_t len = strlen(base), na = strlen(alphabet);
	memcpy(line, base, len + 1);
	int edits = 1 + round % 3;
	for (int e = 0; e < edits; e++) {
		*seed = *seed * 1103515245u + 12345u;
		size_t at = (*seed >> 8) % len;
		*seed = *seed * 1103515245u + 12345u;
		line[at] = alphabet[(*seed >> 8) % na];
	}
}

/* Random mutations of a line with escapes: whatever jsonflat_scan_raw
 * accepts, yajl accepts with the same events. */
static void test_flat_raw_mutations(void **state)
{
	(void)state;
	const char *base = "{\"user_id\": \"8842281e1d1347389f2ab93d60773d4d\", \"rating\": 5, "
			   "\"review_text_incomplete\": \"caf\\u00e9 \\ud83d\\udcda it\\u2019s "
			   "\\\"meh\\\"\\n\\nok \\\\ \\/ \\t\", \"n\": null, \"e\": \"\"}";
	const char alphabet[] = "{}\":, \\\\\\u0123456789aAfFgnrtbx\x01\xff";
	unsigned seed = 54321;
	char line[512];
	for (int round = 0; round < 20000; round++) {
		mutate(line, base, alphabet, round, &seed);
		check_raw(line, -1);
	}
	check_raw(base, 1);
}

static void check_line(const char *line, int want_fast)
{
	struct trace t = {{0}};
	paths_agree(line, strlen(line), &tcb, NULL);
	int fast = jsonflat_scan(line, strlen(line), &tcb, &t);
	if (want_fast >= 0 && fast != want_fast)
		fail_msg("jsonflat_scan(%s) = %d, expected %d", line, fast, want_fast);
	if (fast) {
		char *y = yajl_events(line);
		if (!y)
			fail_msg("fast path accepted what yajl refuses: %s", line);
		if (strcmp(y, t.b.p) != 0)
			fail_msg("events differ for %s:\nyajl %s\nfast %s", line, y, t.b.p);
		free(y);
	}
	buf_free(&t.b);
}

static void test_flat_matches_yajl(void **state)
{
	(void)state;
	check_line("{\"user_id\": \"8842\", \"rating\": 5, \"is_read\": true, \"x\": null}", 1);
	check_line(" {\"a\":\"\",\"b\":-0.5e+3,\"c\":false} \t", 1);
	check_line("{}", 1);
	check_line("{\"a\": 1, \"a\": 2}", 1);
	check_line("{\"raw\": \"caf\xc3\xa9 \xff\"}", 1); /* invalid UTF-8 passes: not validated */
	/* more than 32 quotes in 64 bytes, and in the last, shifted block */
	check_line("{\"a\":\"\",\"b\":\"\",\"c\":\"\",\"d\":\"\",\"e\":\"\",\"f\":\"\",\"g\":\"\",\"h\":\"\","
		   "\"i\":\"\",\"j\":\"\",\"k\":\"\",\"l\":\"\",\"m\":\"\",\"n\":\"\",\"o\":\"\",\"p\":\"\","
		   "\"q\":\"\",\"r\":\"\",\"s\":\"\",\"t\":\"\",\"u\":\"\",\"v\":\"\",\"w\":\"x\"}",
		   1);
	/* refused: yajl decides */
	check_line("{\"a\": \"x\\\"y\"}", 0);    /* escape */
	check_line("{\"a\": [1]}", 0);          /* nested */
	check_line("{\"a\": {\"b\": 1}}", 0);
	check_line("{\"a\": 01}", 0);
	check_line("{\"a\": 1.}", 0);
	check_line("{\"a\": .5}", 0);
	check_line("{\"a\": 1e}", 0);
	check_line("{\"a\": -}", 0);
	check_line("{\"a\": tru}", 0);
	check_line("{\"a\": 1,}", 0);
	check_line("{\"a\" 1}", 0);
	check_line("{\"a\": 1", 0);
	check_line("{\"a\": 1}}", 0);
	check_line("{\"a\": 1} {\"b\": 2}", 0);
	check_line("{\"a\": \"tab\there\"}", 0); /* control character */
	check_line("[1, 2]", 0);
	check_line("", 0);
	check_line("nul", 0);
}

/* Random mutations of a real line: whatever the fast path accepts, yajl
 * accepts with the same events. */
static void test_flat_mutations(void **state)
{
	(void)state;
	const char *base = "{\"user_id\": \"8842281e1d1347389f2ab93d60773d4d\", \"book_id\": "
			   "\"24375664\", \"is_read\": true, \"rating\": 5, \"x\": -1.5e3, "
			   "\"date_added\": \"Mon Aug 28 13:55:01 -0700 2017\", \"n\": null}";
	const char alphabet[] = "{}[]\":, \\0123456789.eE+-tfnaulrs\x01\xff";
	unsigned seed = 12345;
	char line[512];
	for (int round = 0; round < 20000; round++) {
		mutate(line, base, alphabet, round, &seed);
		check_line(line, -1);
	}
}

static void test_kind_detection(void **state)
{
	(void)state;
	struct {
		const char *path, *line;
		int kind;
	} cases[] = {
		{"x.json.gz", "{\"user_id\": \"a\", \"book_id\": \"1\", \"rating\": 3}", XK_GR_JSON},
		{"x.json", "{\"isbn\": \"\", \"book_id\": \"1\", \"title\": \"t\"}", XK_GR_BOOKS},
		{"x.json", "{\"work_id\": \"1\", \"rating_dist\": \"\"}", XK_GR_WORKS},
		{"x.json", "{\"author_id\": \"1\", \"name\": \"n\"}", XK_GR_AUTHORS},
		{"a.csv", "user_id,book_id,is_read,rating,is_reviewed", XK_GR_CSV},
		{"a.csv", "user_id_csv,user_id", XK_GR_USER_MAP},
		{"a.csv", "book_id_csv,book_id", XK_GR_BOOK_MAP},
		{"ratings.csv", "user_id,book_id,rating", XK_GB_RATINGS},
		{"ratings.csv", "book_id,user_id,rating", XK_GB_RATINGS},
		{"to_read.csv", "user_id,book_id", XK_GB_TO_READ},
		{"books.csv", "book_id,goodreads_book_id,best_book_id,work_id", XK_GB_BOOKS},
		{"books.csv", "id,book_id,best_book_id,work_id", XK_GB_BOOKS},
		{"ratings.csv", "userId,movieId,rating,timestamp", XK_ML_CSV_RATINGS},
		{"rating.csv", "\"userId\",\"movieId\",\"rating\",\"timestamp\"", XK_ML_CSV_RATINGS},
		{"movies.csv", "movieId,title,genres", XK_ML_CSV_MOVIES},
		{"x", "1::1193::5::978300760", XK_ML_DAT_RATINGS},
		{"x", "1::Toy Story (1995)::Animation", XK_ML_DAT_MOVIES},
		{"x", "196\t242\t3\t881250949", XK_ML_UDATA},
		{"x", "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0",
		 XK_ML_UITEM},
		/* nothing in the line: the name decides */
		{"dir/goodreads_interactions_poetry.json.gz", NULL, XK_GR_JSON},
		{"goodreads_book_works.json.gz", "", XK_GR_WORKS},
		{"u.data", NULL, XK_ML_UDATA},
		{"ratings.dat", NULL, XK_ML_DAT_RATINGS},
		{"ratings.csv", NULL, XK_NONE},
		{"notes.txt", "hello", XK_NONE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int k = xkind_detect(cases[i].path, cases[i].line);
		if (k != cases[i].kind)
			fail_msg("%s / %s: %s, expected %s", cases[i].path,
				 cases[i].line ? cases[i].line : "(none)", xkind_name(k),
				 xkind_name(cases[i].kind));
	}
	assert_int_equal(xkind_by_name("ml-uitem"), XK_ML_UITEM);
	assert_int_equal(xkind_by_name("nosuch"), XK_NONE);
	assert_string_equal(xfamily_info(xkind_family(XK_GR_CSV))->user_col, "user_id_csv");
}

int main(void)
{
	log_init("test_extract_parse", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_goodreads_dates),   cmocka_unit_test(test_movielens_dates),
		cmocka_unit_test(test_goodreads_dates_match_reference),
		cmocka_unit_test(test_fix_escapes),       cmocka_unit_test(test_flat_matches_yajl),
		cmocka_unit_test(test_flat_mutations),    cmocka_unit_test(test_flat_raw_escapes),
		cmocka_unit_test(test_flat_raw_mutations),    cmocka_unit_test(test_flat_paths_long),
		cmocka_unit_test(test_kind_detection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
