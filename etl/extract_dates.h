/* extract_dates.h - the date and time formats of the sources, to seconds since
 * 1970-01-01 UTC as the .glr times section stores them (u32, 0 = unknown).
 *
 * Each parser takes the field's bytes (not NUL-terminated) and returns 1
 * with *out set, 0 for an empty field (unknown: *out = 0), or -1 when the
 * text is not such a date or falls outside 1970-01-01 00:00:01 ..
 * 2106-02-07 06:28:15 (the u32 range).
 */
#ifndef GL_DATES_H
#define GL_DATES_H

#include <stddef.h>
#include <stdint.h>

/* Goodreads: "Mon Aug 28 13:55:01 -0700 2017", the offset applied, so the
 * result is UTC.  The weekday is checked for form, not for agreement. */
int date_goodreads(const char *s, size_t len, uint32_t *out);

/* MovieLens: a unix timestamp "964982703"; or, as in the Kaggle re-upload
 * of ml-20m, "2005-04-02 23:53:47" taken as UTC. */
int date_movielens(const char *s, size_t len, uint32_t *out);

/* ISO 8601: "2017-08-28", "2017-08-28 13:55", "2017-08-28T13:55:01",
 * with optional fractional seconds (dropped) and "Z", "+02:00", "-0700" or
 * "+02" (applied; without one the time is taken as UTC). */
int date_iso(const char *s, size_t len, uint32_t *out);

/* Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian). */
int64_t date_days(int64_t y, unsigned m, unsigned d);

#endif
