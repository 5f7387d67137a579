/* funnel.h - rows, users and items after every extract, join and filter
 * step, read from the stages' stats files (docs/ARCHITECTURE.md).
 *
 * extract.stats.csv gives "read" (records) and "kept", summed over the
 * files that yielded users (the ratings; metadata files yield none), with
 * the distinct users and items of its total row; join.stats.csv gives, on its left side (the
 * item dictionary), how many items found a title: a join attaches titles and
 * drops no rating, so rows and users stay unknown there; filter.stats.csv
 * gives one row per step.  Without filter.stats.csv the ratings file itself
 * is the last row.  Unknown counts are NaN (an empty CSV cell).
 */
#ifndef GL_REPORT_FUNNEL_H
#define GL_REPORT_FUNNEL_H

#include "inputs.h"

#include <stddef.h>
#include <stdio.h>

struct funnel_row {
	char stage[16];   /* extract, join, filter, ratings */
	char step[64];
	double rows, users, items;
};

struct funnel {
	struct funnel_row *r;
	size_t n;
};

/* Build the funnel from in's stats files.  0 or GL_ENOMEM (logged). */
int funnel_build(struct funnel *fu, const struct rep_in *in);

/* funnel.csv: stage,step,rows,users,items.  0 or a gl_err (logged). */
int funnel_write(const struct funnel *fu, FILE *f);

void funnel_free(struct funnel *fu);

#endif
