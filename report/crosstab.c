#include "crosstab.h"

#include "buf.h"
#include "csvwrite.h"
#include "err.h"
#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int crosstab_run(struct crosstab *x, const struct rep_in *in, const struct census *c,
		 uint32_t rows, uint32_t cols)
{
	int err = GL_ENOMEM;
	memset(x, 0, sizeof *x);
	if (rows > c->n_active)
		rows = c->n_active;
	if (cols > c->n_items)
		cols = (uint32_t)c->n_items;
	size_t cells = (size_t)rows * cols;
	if (!(x->user = malloc((rows ? rows : 1) * sizeof *x->user)) ||
	    !(x->user_key = calloc(rows ? rows : 1, sizeof *x->user_key)) ||
	    !(x->item = malloc((cols ? cols : 1) * sizeof *x->item)) ||
	    !(x->v = malloc((cells ? cells : 1) * sizeof *x->v))) {
		log_error("out of memory for the crosstab");
		goto fail;
	}
	x->rows = rows;
	x->cols = cols;
	memcpy(x->user, c->active, rows * sizeof *x->user);
	memcpy(x->item, c->pop, cols * sizeof *x->item);
	for (uint32_t r = 0; r < rows; r++)
		for (uint32_t k = 0; k < cols; k++) {
			int b = census_rating(&in->g, x->user[r], x->item[k]);
			x->v[(size_t)r * cols + k] = b ? b * in->g.scale : NAN;
			x->filled += b != 0;
		}
	if ((err = rep_user_keys(in, x->user, rows, x->user_key)))
		goto fail;
	return 0;
fail:
	crosstab_free(x);
	return err;
}

int crosstab_write(const struct crosstab *x, const struct rep_in *in, FILE *f)
{
	struct buf *lab = calloc(x->cols ? x->cols : 1, sizeof *lab);
	int err = GL_ENOMEM;
	if (!lab) {
		log_error("out of memory");
		return err;
	}
	for (uint32_t k = 0; k < x->cols; k++)
		if (rep_item_label(in, x->item[k], &lab[k]))
			goto fail;
	for (uint32_t k = 0; k < x->cols; k++)
		for (uint32_t e = 0; e < k; e++)
			if (!strcmp(lab[k].p, lab[e].p) &&
			    buf_printf(&lab[k], " [item %u]", x->item[k]))
				goto fail;
	fputs("user,", f);
	csvw_str(f, in->user_key_name);
	for (uint32_t k = 0; k < x->cols; k++) {
		fputc(',', f);
		csvw_str(f, lab[k].p);
	}
	fputc('\n', f);
	for (uint32_t r = 0; r < x->rows; r++) {
		fprintf(f, "%u,", x->user[r]);
		csvw_str(f, x->user_key[r] ? x->user_key[r] : "");
		for (uint32_t k = 0; k < x->cols; k++) {
			float v = x->v[(size_t)r * x->cols + k];
			fputc(',', f);
			if (!isnan(v))
				fprintf(f, "%g", v);
		}
		fputc('\n', f);
	}
	err = 0;
fail:
	if (err == GL_ENOMEM)
		log_error("out of memory");
	for (uint32_t k = 0; k < x->cols; k++)
		buf_free(&lab[k]);
	free(lab);
	return err;
}

void crosstab_free(struct crosstab *x)
{
	if (x->user_key)
		for (uint32_t r = 0; r < x->rows; r++)
			free(x->user_key[r]);
	free(x->user);
	free(x->user_key);
	free(x->item);
	free(x->v);
	memset(x, 0, sizeof *x);
}
