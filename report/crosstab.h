/* crosstab.h - the most active users by the most-rated items, cells the
 * rating or empty: the crosstab view of the data the fastai chapter opens
 * with, showing how sparse even its densest corner is.
 */
#ifndef GL_REPORT_CROSSTAB_H
#define GL_REPORT_CROSSTAB_H

#include "census.h"
#include "inputs.h"

#include <stdint.h>
#include <stdio.h>

struct crosstab {
	uint32_t rows, cols;
	uint32_t *user;        /* rows ids, most active first */
	char **user_key;       /* rows source keys or NULL */
	uint32_t *item;        /* cols ids, most rated first */
	float *v;              /* rows x cols ratings, NaN = not rated */
	uint64_t filled;       /* cells with a rating */
};

/* Fill x from the census's most active users (up to rows of them) and
 * most-rated items (up to cols).  0 or a gl_err (logged); on failure x
 * needs no free. */
int crosstab_run(struct crosstab *x, const struct rep_in *in, const struct census *c,
		 uint32_t rows, uint32_t cols);

/* crosstab.csv: user,<user key> (users.csv's name for it), then one column
 * per item headed by its
 * label (title, else key), made unique with " [item N]" when two agree.
 * 0 or a gl_err (logged). */
int crosstab_write(const struct crosstab *x, const struct rep_in *in, FILE *f);

void crosstab_free(struct crosstab *x);

#endif
