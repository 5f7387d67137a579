/* filter_stats.h - filter.stats.csv: the rows, users and items after each step.
 *
 * Rows in the order the steps ran: `input` first, one row per step that
 * was asked for (zeros or implicit, range, dedupe, works, top-items, kcore,
 * sample-users), then `train` and `valid` when there is a split, and
 * `output` last (what ratings.glr holds), so a reader can take the first
 * and last rows as the funnel's ends.
 */
#ifndef GL_FSTATS_H
#define GL_FSTATS_H

#include <stdint.h>
#include <stdio.h>

#define FSTATS_MAX 16

struct fstats {
	struct {
		const char *step; /* static string */
		uint64_t rows, users, items;
	} row[FSTATS_MAX];
	int n;
};

/* Add a row (silently ignored past FSTATS_MAX, which the steps cannot reach). */
void fstats_add(struct fstats *f, const char *step, uint64_t rows, uint64_t users, uint64_t items);

/* Write step,rows,users,items to fp (errors surface when the caller
 * commits the file). */
void fstats_write(const struct fstats *f, FILE *fp);

#endif
