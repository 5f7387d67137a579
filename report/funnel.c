#include "funnel.h"

#include "csvwrite.h"
#include "err.h"
#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add(struct funnel *fu, const char *stage, const char *step, double rows, double users,
	       double items)
{
	struct funnel_row *r = realloc(fu->r, (fu->n + 1) * sizeof *r);
	if (!r) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	fu->r = r;
	r += fu->n++;
	snprintf(r->stage, sizeof r->stage, "%s", stage);
	snprintf(r->step, sizeof r->step, "%s", step);
	r->rows = rows;
	r->users = users;
	r->items = items;
	return 0;
}

static double cell(const struct csvtab *t, size_t r, const char *col)
{
	double v;
	return csvtab_num(t, r, csvtab_col(t, col), &v) ? v : NAN;
}

/* What extract read and kept of the ratings: the file rows that yielded
 * users (metadata files such as books or works yield none, and their
 * records are not ratings); distinct users and items from the total row,
 * since files overlap in both. */
static int from_extract(struct funnel *fu, const struct csvtab *t)
{
	int cf = csvtab_col(t, "file");
	double rec = 0, kept = 0, users = NAN, items = NAN, v;
	size_t rating_files = 0;
	for (size_t r = 0; r < t->nrow; r++) {
		if (!strcmp(csvtab_get(t, r, cf), "total")) {
			users = cell(t, r, "users");
			items = cell(t, r, "items");
			continue;
		}
		if (!csvtab_num(t, r, csvtab_col(t, "users"), &v) || v <= 0)
			continue;
		rec += cell(t, r, "records");
		kept += cell(t, r, "kept");
		rating_files++;
		if (isnan(users) && t->nrow == 1) {
			users = v;
			items = cell(t, r, "items");
		}
	}
	if (!rating_files)
		rec = kept = NAN;
	if (add(fu, "extract", "read", rec, NAN, NAN))
		return GL_ENOMEM;
	return add(fu, "extract", "kept", kept, users, items);
}

int funnel_build(struct funnel *fu, const struct rep_in *in)
{
	int err;
	memset(fu, 0, sizeof *fu);
	if (REP_HAVE(in->extract) && (err = from_extract(fu, &in->extract)))
		goto fail;
	if (REP_HAVE(in->join)) {
		const struct csvtab *t = &in->join;
		int cs = csvtab_col(t, "side");
		for (size_t r = 0; r < t->nrow; r++)
			if (!strcmp(csvtab_get(t, r, cs), "left") &&
			    (err = add(fu, "join", "items with a title", NAN, NAN,
				       cell(t, r, "matched_keys"))))
				goto fail;
	}
	if (REP_HAVE(in->filter)) {
		const struct csvtab *t = &in->filter;
		int cs = csvtab_col(t, "step");
		for (size_t r = 0; r < t->nrow; r++)
			if ((err = add(fu, "filter", csvtab_get(t, r, cs), cell(t, r, "rows"),
				       cell(t, r, "users"), cell(t, r, "items"))))
				goto fail;
	} else if ((err = add(fu, "ratings", "ratings.glr", (double)in->g.n_ratings,
			      (double)in->g.n_users, (double)in->g.n_items))) {
		goto fail;
	}
	return 0;
fail:
	funnel_free(fu);
	return err;
}

static void num_field(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.0f", v);
}

int funnel_write(const struct funnel *fu, FILE *f)
{
	fputs("stage,step,rows,users,items\n", f);
	for (size_t i = 0; i < fu->n; i++) {
		const struct funnel_row *r = &fu->r[i];
		csvw_str(f, r->stage);
		fputc(',', f);
		csvw_str(f, r->step);
		fputc(',', f);
		num_field(f, r->rows);
		fputc(',', f);
		num_field(f, r->users);
		fputc(',', f);
		num_field(f, r->items);
		fputc('\n', f);
	}
	return 0;
}

void funnel_free(struct funnel *fu)
{
	free(fu->r);
	memset(fu, 0, sizeof *fu);
}
