/* sample_date.h - the date formats of the real dumps, without libc time zones.
 *
 * Goodreads writes Pacific time with its offset, "Fri Aug 25 13:55:02 -0700
 * 2017", switching between -0800 and -0700 by the US daylight-saving rules
 * (first Sunday of April to last Sunday of October before 2007, second
 * Sunday of March to first Sunday of November since).  The rules are coded
 * here instead of using localtime() so the output does not depend on the
 * machine's TZ or tzdata: same seed, same bytes, everywhere.
 *
 * Every function writes into buf (at least SAMPLE_DATE_MAX bytes) and
 * returns the length, without a NUL unless stated.
 */
#ifndef GL_SAMPLE_DATE_H
#define GL_SAMPLE_DATE_H

#include <stddef.h>
#include <stdint.h>

#define SAMPLE_DATE_MAX 32

struct sample_civil {
	int year, month, day; /* month 1..12, day 1..31 */
	int hour, min, sec;
	int wday;             /* 0 = Sunday */
};

/* UTC seconds since 1970 (may be negative) to the civil date and time. */
void sample_civil_from_unix(int64_t t, struct sample_civil *c);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t sample_days_from_civil(int year, int month, int day);

/* "Fri Aug 25 13:55:02 -0700 2017": instant t in Pacific time. */
size_t sample_date_goodreads(char *buf, int64_t t);

/* The same format for local midnight of the Pacific date of t, as
 * Goodreads writes read_at and started_at ("Sat Oct 07 00:00:00 -0700
 * 2017"). */
size_t sample_date_goodreads_day(char *buf, int64_t t);

/* "2005-04-02 23:53:47" in UTC (the Kaggle MovieLens re-upload). */
size_t sample_date_iso(char *buf, int64_t t);

/* "01-Jan-1995" (MovieLens 100k release dates). */
size_t sample_date_dmy(char *buf, int year, int month, int day);

#endif
