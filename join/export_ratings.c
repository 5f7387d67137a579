#include "export_ratings.h"

#include "csvwrite.h"
#include "dimid.h"
#include "err.h"
#include "glr.h"
#include "log.h"
#include "outfile.h"
#include "rowstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long long ull;

static void write_rows(FILE *fp, const struct rc_opts *o, const struct glr *g,
		       const struct rowstore *titles, const uint32_t *slot)
{
	switch (o->format) {
	case RC_FASTAI: fputs(slot ? "user,item,rating,title\n" : "user,item,rating\n", fp); break;
	case RC_MOVIELENS: fputs("userId,movieId,rating,timestamp\n", fp); break;
	default: break;
	}
	for (uint64_t u = 0; u < g->n_users; u++)
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			int valid = glr_bit(g->split, k);
			if ((o->subset == RC_TRAIN && valid) || (o->subset == RC_VALID && !valid))
				continue;
			uint32_t i = g->items[k];
			double v = glr_value(g, k);
			switch (o->format) {
			case RC_LIBMF: fprintf(fp, "%llu %u %g\n", (ull)u, i, v); break;
			case RC_MOVIELENS:
				fprintf(fp, "%llu,%llu,%g,%u\n", (ull)u + 1, (ull)i + 1, v,
					g->times ? g->times[k] : 0);
				break;
			default:
				fprintf(fp, "%llu,%u,%g", (ull)u, i, v);
				if (slot) {
					const char *t = "";
					size_t len = 0;
					if (slot[i] != UINT32_MAX)
						rowstore_get(titles, slot[i], &t, &len, 1);
					putc(',', fp);
					csvw_field(fp, t, len);
				}
				putc('\n', fp);
			}
		}
}

int export_ratings(const struct rc_opts *o)
{
	struct glr g;
	struct rowstore titles = {0};
	uint32_t *slot = NULL;
	struct outfile of;
	int err = glr_open(&g, o->ratings, 0);
	if (err)
		return err;
	if (o->items && o->format == RC_FASTAI)
		err = dimid_column(o->items, "item", "title", g.n_items, &titles, &slot, NULL);
	if (!err && o->subset != RC_ALL && !g.split) {
		log_error("%s: no split section: --subset needs a file from goodlens-filter",
			  o->ratings);
		err = GL_EFORMAT;
	}
	if (!err)
		err = outfile_open(&of, o->out);
	if (!err) {
		setvbuf(of.fp, NULL, _IOFBF, (size_t)1 << 20);
		write_rows(of.fp, o, &g, &titles, slot);
		err = outfile_commit(&of);
	}
	rowstore_free(&titles);
	free(slot);
	glr_close(&g);
	return err;
}
