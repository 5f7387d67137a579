#include "export_ratings.h"

#include "csvwrite.h"
#include "err.h"
#include "glr.h"
#include "keytab.h"
#include "log.h"
#include "outfile.h"
#include "parwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { USERS, ITEMS };

/* Ratings per chunk of rows formatted at once: about 330 KB of text, so a
 * chunk stays in the cache between being formatted and being written (2 MB
 * chunks: 10% more CPU, the stores missing the cache). */
#define RC_CHUNK 4096

/* Rows ahead whose item parts are asked for before they are copied. */
#define RC_AHEAD 16

/* Every RC_LAG chunks, the ratings file's pages of the RC_LAG chunks before
 * the last RC_LAG go from memory: parw_run has at most 2 x 8 chunks in the
 * making, so those are done with (and a page still read would come back),
 * and what the export holds of the file falls as it goes. */
#define RC_LAG 64

struct rc_run {
	const struct rc_opts *o;
	struct glr g;
	struct keytab t[2];  /* users.csv, items.csv */
	int have[2];
	int title;           /* items.csv's title slot, -1 without */
	int ml_key[2];       /* movielens: write the side's keys (all integers) */
	struct csv_gtab gtab; /* each rating byte's text */
	struct csvb itext;   /* each item's parts of a row (item_parts) */
	uint64_t *ioff;
	uint64_t *ustart;    /* chunk c: users [ustart[c], ustart[c + 1]) */
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

/* A row is [user head][item head][rating][user tail][item tail][end]:
 *   fastai     "u," "i," rating ",<user key>" ",<item key>,<title>" [",0|1"] "\n"
 *   libmf      "u " "i " rating "" "" "\n"
 *   movielens  "<id>," "<id>," rating "" "" ",<time>\n"
 * The item parts are made once per item (item_parts), the user's once per
 * user, so a row is a few copies. */
static void head(struct csvb *b, const struct rc_run *r, int side, uint64_t id)
{
	switch (r->o->format) {
	case RC_LIBMF: csvb_u64(b, id); csvb_byte(b, ' '); return;
	case RC_MOVIELENS:
		if (r->ml_key[side]) {
			const char *k = keytab_key(&r->t[side], id);
			csvb_add(b, k, strlen(k)); /* an integer: never quoted */
		} else {
			csvb_u64(b, id + 1);
		}
		csvb_byte(b, ',');
		return;
	default: csvb_u64(b, id); csvb_byte(b, ',');
	}
}

static void tail(struct csvb *b, const struct rc_run *r, int side, uint64_t id)
{
	if (r->o->format != RC_FASTAI)
		return;
	if (r->have[side]) {
		const char *k = keytab_key(&r->t[side], id);
		csvb_byte(b, ',');
		csvb_field(b, k, strlen(k));
	}
	if (side == ITEMS && r->title >= 0) {
		const char *t = keytab_get(&r->t[ITEMS], id, r->title);
		csvb_byte(b, ',');
		if (t)
			csvb_field(b, t, strlen(t));
	}
}

/* Every item's head and tail, back to back in r->itext: item i's head is
 * [ioff[2i], ioff[2i+1]), its tail [ioff[2i+1], ioff[2i+2]). */
static int item_parts(struct rc_run *r)
{
	uint64_t n = r->g.n_items;
	if (!(r->ioff = malloc((2 * n + 1) * sizeof *r->ioff)))
		return GL_ENOMEM;
	for (uint64_t i = 0; i < n; i++) {
		r->ioff[2 * i] = r->itext.len;
		head(&r->itext, r, ITEMS, i);
		r->ioff[2 * i + 1] = r->itext.len;
		tail(&r->itext, r, ITEMS, i);
	}
	r->ioff[2 * n] = r->itext.len;
	return r->itext.err;
}

/* Chunk c: the rows of users [ustart[c], ustart[c + 1]). */
static int fill_rows(void *ctx, uint64_t c, struct csvb *b)
{
	const struct rc_run *r = ctx;
	const struct glr *g = &r->g;
	const char *it = r->itext.p;
	struct csvb ub = {0}; /* the user's head, then its tail */
	uint64_t n_k = g->rowptr[g->n_users];
	for (uint64_t u = r->ustart[c]; u < r->ustart[c + 1]; u++) {
		ub.len = 0;
		head(&ub, r, USERS, u);
		size_t uh = ub.len;
		tail(&ub, r, USERS, u);
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			/* items come at random: ask the cache for the parts of the
			 * item a few rows on (and, further on, for its offsets) */
			if (k + 2 * RC_AHEAD < n_k)
				__builtin_prefetch(r->ioff + 2 * (uint64_t)g->items[k + 2 * RC_AHEAD]);
			if (k + RC_AHEAD < n_k) {
				const char *p = it + r->ioff[2 * (uint64_t)g->items[k + RC_AHEAD]];
				__builtin_prefetch(p);
				__builtin_prefetch(p + 64); /* a part may cross a line */
			}
			int valid = glr_bit(g->split, k);
			if ((r->o->subset == RC_TRAIN && valid) || (r->o->subset == RC_VALID && !valid))
				continue;
			const uint64_t *io = r->ioff + 2 * (uint64_t)g->items[k];
			csvb_add(b, ub.p, uh);
			csvb_add(b, it + io[0], io[1] - io[0]);
			csvb_gtab(b, &r->gtab, g->ratings[k]);
			csvb_add(b, ub.p + uh, ub.len - uh);
			csvb_add(b, it + io[1], io[2] - io[1]);
			if (r->o->format == RC_MOVIELENS) {
				csvb_byte(b, ',');
				csvb_u64(b, g->times ? g->times[k] : 0);
			} else if (r->o->format == RC_FASTAI && g->split) {
				csvb_add(b, valid ? ",1" : ",0", 2);
			}
			csvb_byte(b, '\n');
		}
	}
	if (c % RC_LAG == 0 && c >= 2 * RC_LAG)
		glr_release(g, g->rowptr[r->ustart[c - 2 * RC_LAG]], g->rowptr[r->ustart[c - RC_LAG]],
			    GLR_REL_ALL & ~GLR_REL_ROWPTR);
	int err = ub.err ? ub.err : b->err;
	csvb_free(&ub);
	return err;
}

static int write_rows(FILE *fp, struct rc_run *r)
{
	const struct glr *g = &r->g;
	if (r->o->format == RC_FASTAI)
		fastai_header(fp, r);
	else if (r->o->format == RC_MOVIELENS)
		fputs("userId,movieId,rating,timestamp\n", fp);
	csv_gtab_init(&r->gtab, g->scale, 0);
	uint64_t n_chunks;
	int err = item_parts(r);
	if (!err)
		err = parw_cut(g->rowptr, g->n_users, RC_CHUNK, &r->ustart, &n_chunks);
	if (!err)
		err = parw_run(fp, n_chunks, r->o->threads, fill_rows, r);
	if (err == GL_ENOMEM)
		log_error("out of memory writing %s", r->o->out);
	/* a failed write stopped the rows; outfile_commit says why */
	return err == GL_EIO ? 0 : err;
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
	/* the checksums read it all: the times (but for MovieLens) and the
	 * bitmaps go now (of these only the small split is read back), the
	 * rest behind the rows as they are made */
	glr_release(&r.g, 0, r.g.n_ratings,
		    o->format == RC_MOVIELENS ? GLR_REL_BITS : GLR_REL_TIMES | GLR_REL_BITS);
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
		err = write_rows(of.fp, &r);
		if (err)
			outfile_abort(&of);
		else
			err = outfile_commit(&of);
	}
	for (int side = 0; side < 2; side++)
		if (r.have[side])
			keytab_free(&r.t[side]);
	csvb_free(&r.itext);
	free(r.ioff);
	free(r.ustart);
	glr_close(&r.g);
	return err;
}
