#include "export_ratings.h"

#include "csvwrite.h"
#include "err.h"
#include "glr.h"
#include "keytab.h"
#include "log.h"
#include "outfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long long ull;

enum { USERS, ITEMS };

struct rc_run {
	const struct rc_opts *o;
	struct glr g;
	struct keytab t[2];  /* users.csv, items.csv */
	int have[2];
	int title;           /* items.csv's title slot, -1 without */
	int ml_key[2];       /* movielens: write the side's keys (all integers) */
};

/* One table, given or beside the ratings file; its absence is said. */
static int load_table(struct rc_run *r, int side)
{
	static const char *const name[2] = {"users.csv", "items.csv"}, *id[2] = {"user", "item"};
	static const char *const what[2] = {"users", "items"};
	const char *given = side == USERS ? r->o->users : r->o->items;
	char *path;
	int err = keytab_locate(given, r->o->ratings, name[side], &path);
	if (!err && !path && r->o->format != RC_LIBMF)
		log_info("no %s beside %s: %s ids are dense ids (--%s names the table)", name[side],
			 r->o->ratings, id[side], what[side]);
	if (!err && path && r->o->format != RC_LIBMF) {
		err = keytab_load_for(&r->t[side], path, id[side], &r->g, r->o->ratings,
				      side == ITEMS ? "title" : NULL, &r->title);
		r->have[side] = !err;
	}
	free(path);
	return err;
}

static void fastai_header(FILE *fp, const struct rc_run *r)
{
	fputs("user,item,rating", fp);
	for (int side = 0; side < 2; side++)
		if (r->have[side]) {
			putc(',', fp);
			csvw_str(fp, r->t[side].key_name);
		}
	if (r->title >= 0)
		fputs(",title", fp);
	if (r->g.split)
		fputs(",is_valid", fp);
	putc('\n', fp);
}

static void fastai_row(FILE *fp, const struct rc_run *r, uint64_t u, uint32_t i, double v,
		       int valid)
{
	fprintf(fp, "%llu,%u,%g", (ull)u, i, v);
	for (int side = 0; side < 2; side++)
		if (r->have[side]) {
			putc(',', fp);
			csvw_str(fp, keytab_key(&r->t[side], side == USERS ? u : i));
		}
	if (r->title >= 0) {
		const char *t = keytab_get(&r->t[ITEMS], i, r->title);
		putc(',', fp);
		csvw_str(fp, t ? t : "");
	}
	if (r->g.split)
		fprintf(fp, ",%d", valid);
	putc('\n', fp);
}

/* A MovieLens id: the source's integer key, or the dense id plus 1. */
static void ml_id(FILE *fp, const struct rc_run *r, int side, uint64_t id)
{
	if (r->ml_key[side])
		fputs(keytab_key(&r->t[side], id), fp);
	else
		fprintf(fp, "%llu", (ull)id + 1);
}

static void write_rows(FILE *fp, const struct rc_run *r)
{
	const struct glr *g = &r->g;
	if (r->o->format == RC_FASTAI)
		fastai_header(fp, r);
	else if (r->o->format == RC_MOVIELENS)
		fputs("userId,movieId,rating,timestamp\n", fp);
	for (uint64_t u = 0; u < g->n_users; u++)
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			int valid = glr_bit(g->split, k);
			if ((r->o->subset == RC_TRAIN && valid) || (r->o->subset == RC_VALID && !valid))
				continue;
			uint32_t i = g->items[k];
			double v = glr_value(g, k);
			switch (r->o->format) {
			case RC_LIBMF: fprintf(fp, "%llu %u %g\n", (ull)u, i, v); break;
			case RC_MOVIELENS:
				ml_id(fp, r, USERS, u);
				putc(',', fp);
				ml_id(fp, r, ITEMS, i);
				fprintf(fp, ",%g,%u\n", v, g->times ? g->times[k] : 0);
				break;
			default: fastai_row(fp, r, u, i, v, valid);
			}
		}
}

/* MovieLens ids are integers: a side whose keys are not keeps dense ids. */
static void movielens_ids(struct rc_run *r)
{
	static const char *const col[2] = {"userId", "movieId"};
	for (int side = 0; side < 2; side++) {
		r->ml_key[side] = r->have[side] && keytab_keys_are_integers(&r->t[side]);
		if (r->have[side] && !r->ml_key[side])
			log_info("%s: %s's keys are not all integers: %s holds dense ids + 1", col[side],
				 r->t[side].path, col[side]);
	}
}

int export_ratings(const struct rc_opts *o)
{
	struct rc_run r = {.o = o, .title = -1};
	struct outfile of;
	int err = glr_open(&r.g, o->ratings, 0);
	if (err)
		return err;
	if (o->subset != RC_ALL && !r.g.split) {
		log_error("%s: no split section: --subset needs a file from goodlens-filter",
			  o->ratings);
		err = GL_EFORMAT;
	}
	for (int side = 0; !err && side < 2; side++)
		err = load_table(&r, side);
	if (!err && o->format == RC_MOVIELENS)
		movielens_ids(&r);
	if (!err)
		err = outfile_open(&of, o->out);
	if (!err) {
		setvbuf(of.fp, NULL, _IOFBF, (size_t)1 << 20);
		write_rows(of.fp, &r);
		err = outfile_commit(&of);
	}
	for (int side = 0; side < 2; side++)
		if (r.have[side])
			keytab_free(&r.t[side]);
	glr_close(&r.g);
	return err;
}
