#include "extract_dates.h"

int64_t date_days(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's days_from_civil. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned month_days(int64_t y, unsigned m)
{
	static const unsigned d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* n decimal digits at s: the value, or -1. */
static long digits(const char *s, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int finish(int64_t y, long mo, long d, long h, long mi, long sec, long off_s,
		  uint32_t *out)
{
	if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > month_days(y, (unsigned)mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	int64_t t = date_days(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec -
		    off_s;
	if (t <= 0 || t > (int64_t)UINT32_MAX)
		return -1;
	*out = (uint32_t)t;
	return 1;
}

/* Weekday and month names by their three letters as one number, found by
 * a multiplicative hash into a table (no branch on the name, which
 * changes line to line) and checked against the name kept there.  The
 * multipliers and shifts give each name its own slot (tested). */
#define L3(a, b, c) ((uint32_t)(unsigned char)(a) | (uint32_t)(unsigned char)(b) << 8 | \
		     (uint32_t)(unsigned char)(c) << 16)
#define MONTH_SLOT(k) ((unsigned)(((uint64_t)(k) * 1061u) >> 14) & 15u)
#define WDAY_SLOT(k) ((unsigned)(((uint64_t)(k) * 119u) >> 8) & 7u)

/* The month 1..12 named by k, or 0. */
static unsigned month_of(uint32_t k)
{
	static const uint32_t name[16] = {
		[4] = L3('J', 'a', 'n'), [6] = L3('F', 'e', 'b'), [5] = L3('M', 'a', 'r'),
		[12] = L3('A', 'p', 'r'), [1] = L3('M', 'a', 'y'), [0] = L3('J', 'u', 'n'),
		[8] = L3('J', 'u', 'l'), [3] = L3('A', 'u', 'g'), [15] = L3('S', 'e', 'p'),
		[14] = L3('O', 'c', 't'), [13] = L3('N', 'o', 'v'), [10] = L3('D', 'e', 'c')};
	static const unsigned char num[16] = {[4] = 1, [6] = 2,  [5] = 3,   [12] = 4,
					      [1] = 5, [0] = 6,  [8] = 7,   [3] = 8,
					      [15] = 9, [14] = 10, [13] = 11, [10] = 12};
	unsigned h = MONTH_SLOT(k);
	return name[h] == k ? num[h] : 0;
}

static int is_weekday(uint32_t k)
{
	static const uint32_t name[8] = {
		[4] = L3('M', 'o', 'n'), [2] = L3('T', 'u', 'e'), [3] = L3('W', 'e', 'd'),
		[7] = L3('T', 'h', 'u'), [6] = L3('F', 'r', 'i'), [5] = L3('S', 'a', 't'),
		[1] = L3('S', 'u', 'n')};
	return name[WDAY_SLOT(k)] == k;
}

int date_goodreads(const char *s, size_t len, uint32_t *out)
{
	*out = 0;
	if (len == 0)
		return 0;
	/* "Mon Aug 28 13:55:01 -0700 2017": 30 bytes, fixed columns. */
	if (len != 30 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[13] != ':' ||
	    s[16] != ':' || s[19] != ' ' || (s[20] != '+' && s[20] != '-') || s[25] != ' ')
		return -1;
	unsigned mo = month_of(L3(s[4], s[5], s[6]));
	int wd = is_weekday(L3(s[0], s[1], s[2]));
	/* every digit at once: one test for all of them, not one a field */
#define D(i) ((unsigned)(unsigned char)s[i] - '0')
	unsigned bad = (D(9) > 9) | (D(11) > 9) | (D(12) > 9) | (D(14) > 9) | (D(15) > 9) |
		       (D(17) > 9) | (D(18) > 9) | (D(21) > 9) | (D(22) > 9) | (D(23) > 9) |
		       (D(24) > 9) | (D(26) > 9) | (D(27) > 9) | (D(28) > 9) | (D(29) > 9);
	unsigned d10 = s[8] == ' ' ? 0 : D(8);
	bad |= d10 > 9;
	long d = (long)(d10 * 10 + D(9)), h = (long)(D(11) * 10 + D(12));
	long mi = (long)(D(14) * 10 + D(15)), sec = (long)(D(17) * 10 + D(18));
	long oh = (long)(D(21) * 10 + D(22)), om = (long)(D(23) * 10 + D(24));
	long y = (long)(D(26) * 1000 + D(27) * 100 + D(28) * 10 + D(29));
#undef D
	if (bad || !wd || !mo || oh > 14 || om > 59)
		return -1;
	long off = (oh * 3600 + om * 60) * (s[20] == '-' ? -1 : 1);
	return finish(y, (long)mo, d, h, mi, sec, off, out);
}
#undef L3

int date_movielens(const char *s, size_t len, uint32_t *out)
{
	*out = 0;
	if (len == 0)
		return 0;
	if (len == 19 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' &&
	    s[16] == ':') {
		long y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
		long h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
		if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0)
			return -1;
		return finish(y, mo, d, h, mi, sec, 0, out);
	}
	if (len > 10)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v == 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 1;
}

/* The offset of a zone suffix "Z", "+hh", "+hh:mm", "+hhmm" in seconds
 * east of UTC: 1 with *off, or 0 if z[0..n) is not one. */
static int zone(const char *z, size_t n, long *off)
{
	*off = 0;
	if (n == 1 && z[0] == 'Z')
		return 1;
	if ((n != 3 && n != 5 && n != 6) || (z[0] != '+' && z[0] != '-'))
		return 0;
	long h = digits(z + 1, 2), m = 0;
	if (n == 6 && z[3] != ':')
		return 0;
	if (n > 3)
		m = digits(z + n - 2, 2);
	if (h < 0 || m < 0 || h > 14 || m > 59)
		return 0;
	*off = (h * 3600 + m * 60) * (z[0] == '-' ? -1 : 1);
	return 1;
}

int date_iso(const char *s, size_t len, uint32_t *out)
{
	*out = 0;
	if (len == 0)
		return 0;
	if (len < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	long y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	long h = 0, mi = 0, sec = 0, off = 0;
	size_t i = 10;
	if (y < 0 || mo < 0 || d < 0)
		return -1;
	if (i < len && (s[i] == 'T' || s[i] == ' ')) {
		if (len < i + 6 || s[i + 3] != ':')
			return -1;
		h = digits(s + i + 1, 2);
		mi = digits(s + i + 4, 2);
		i += 6;
		if (i < len && s[i] == ':') {
			if (len < i + 3 || (sec = digits(s + i + 1, 2)) < 0)
				return -1;
			i += 3;
			if (i < len && s[i] == '.')
				for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
					;
		}
		if (h < 0 || mi < 0)
			return -1;
	}
	if (i < len && !zone(s + i, len - i, &off))
		return -1;
	return finish(y, mo, d, h, mi, sec, off, out);
}
