#include "sample_date.h"

static const char wday_name[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char month_name[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Howard Hinnant's days_from_civil / civil_from_days: exact for any year. */
int64_t sample_days_from_civil(int year, int month, int day)
{
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(yoe + era * 400 + (*month <= 2));
}

void sample_civil_from_unix(int64_t t, struct sample_civil *c)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t secs = t - days * 86400;
	civil_from_days(days, &c->year, &c->month, &c->day);
	c->hour = (int)(secs / 3600);
	c->min = (int)(secs / 60 % 60);
	c->sec = (int)(secs % 60);
	/* 1970-01-01 was a Thursday. */
	int64_t w = (days + 4) % 7;
	c->wday = (int)(w < 0 ? w + 7 : w);
}

/* Day of month of the n-th (1-based; 0 = last) Sunday of year-month. */
static int nth_sunday(int year, int month, int n)
{
	int64_t first = sample_days_from_civil(year, month, 1);
	int wday = (int)(((first + 4) % 7 + 7) % 7);
	int day = 1 + (7 - wday) % 7; /* first Sunday */
	if (n > 0)
		return day + 7 * (n - 1);
	int mdays = (int)(sample_days_from_civil(month == 12 ? year + 1 : year,
						 month == 12 ? 1 : month + 1, 1) - first);
	while (day + 7 <= mdays)
		day += 7;
	return day;
}

/* The UTC offset of US Pacific time at UTC instant t, in seconds (-28800
 * or -25200). */
static int sample_pacific_offset(int64_t t)
{
	struct sample_civil c;
	sample_civil_from_unix(t - 8 * 3600, &c); /* the standard-time date */
	int sm, sd, em, ed;
	if (c.year >= 2007) {
		sm = 3;
		sd = nth_sunday(c.year, 3, 2);
		em = 11;
		ed = nth_sunday(c.year, 11, 1);
	} else {
		sm = 4;
		sd = nth_sunday(c.year, 4, 1);
		em = 10;
		ed = nth_sunday(c.year, 10, 0);
	}
	/* Daylight time from 02:00 PST on the start day to 02:00 PDT (01:00
	 * PST) on the end day, both in UTC. */
	int64_t start = sample_days_from_civil(c.year, sm, sd) * 86400 + 10 * 3600;
	int64_t end = sample_days_from_civil(c.year, em, ed) * 86400 + 9 * 3600;
	return t >= start && t < end ? -7 * 3600 : -8 * 3600;
}

static char *two(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

static char *four(char *p, int v)
{
	if (v < 0)
		v = 0;
	p = two(p, v / 100);
	return two(p, v % 100);
}

static size_t goodreads_format(char *buf, int64_t local, int offset)
{
	struct sample_civil c;
	char *p = buf;
	sample_civil_from_unix(local, &c);
	for (int i = 0; i < 3; i++)
		*p++ = wday_name[c.wday][i];
	*p++ = ' ';
	for (int i = 0; i < 3; i++)
		*p++ = month_name[c.month - 1][i];
	*p++ = ' ';
	p = two(p, c.day);
	*p++ = ' ';
	p = two(p, c.hour);
	*p++ = ':';
	p = two(p, c.min);
	*p++ = ':';
	p = two(p, c.sec);
	*p++ = ' ';
	*p++ = offset < 0 ? '-' : '+';
	int a = offset < 0 ? -offset : offset;
	p = two(p, a / 3600);
	p = two(p, a / 60 % 60);
	*p++ = ' ';
	p = four(p, c.year);
	return (size_t)(p - buf);
}

size_t sample_date_goodreads(char *buf, int64_t t)
{
	int off = sample_pacific_offset(t);
	return goodreads_format(buf, t + off, off);
}

size_t sample_date_goodreads_day(char *buf, int64_t t)
{
	int off = sample_pacific_offset(t);
	int64_t local = t + off;
	int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t midnight_local = day * 86400;
	/* The offset in force at that midnight (not at t): DST changes at 2am. */
	int off0 = sample_pacific_offset(midnight_local - off);
	return goodreads_format(buf, midnight_local, off0);
}

size_t sample_date_iso(char *buf, int64_t t)
{
	struct sample_civil c;
	char *p = buf;
	sample_civil_from_unix(t, &c);
	p = four(p, c.year);
	*p++ = '-';
	p = two(p, c.month);
	*p++ = '-';
	p = two(p, c.day);
	*p++ = ' ';
	p = two(p, c.hour);
	*p++ = ':';
	p = two(p, c.min);
	*p++ = ':';
	p = two(p, c.sec);
	return (size_t)(p - buf);
}

size_t sample_date_dmy(char *buf, int year, int month, int day)
{
	char *p = two(buf, day);
	*p++ = '-';
	for (int i = 0; i < 3; i++)
		*p++ = month_name[month - 1][i];
	*p++ = '-';
	p = four(p, year);
	return (size_t)(p - buf);
}
