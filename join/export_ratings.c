#include "export_ratings.h"

#include "bigmem.h"
#include "csvwrite.h"
#include "err.h"
#include "glr.h"
#include "keytab.h"
#include "log.h"
#include "outfile.h"
#include "parwrite.h"

#include <pthread.h>
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

/* Item i's head is itext[at, at + head), its tail the tail bytes after:
 * 16 bytes, so that an item's entry is one cache line. */
struct ipart {
	uint64_t at;
	uint32_t head, tail;
};

struct rc_run {
	const struct rc_opts *o;
	struct glr g;
	struct keytab t[2];  /* users.csv, items.csv */
	int have[2];
	int title;           /* items.csv's title slot, -1 without */
	int ml_key[2];       /* movielens: write the side's keys (all integers) */
	struct csv_gtab gtab; /* each rating byte's text */
	char *itext;         /* each item's parts of a row (item_parts) */
	size_t itext_size;   /* as allocated */
	struct ipart *ipart; /* where in itext, by item */
	size_t ipart_size;
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

/* Items [from, to)'s parts, written from b's start (b has room for them
 * all: item_parts sizes it so, and nothing here grows it). */
struct parts_job {
	struct rc_run *r;
	uint64_t from, to;
	struct csvb b;
};

static void *parts_of(void *arg)
{
	struct parts_job *j = arg;
	struct rc_run *r = j->r;
	uint64_t base = (uint64_t)(j->b.p - r->itext);
	for (uint64_t i = j->from; i < j->to; i++) {
		size_t at = j->b.len;
		head(&j->b, r, ITEMS, i);
		size_t mid = j->b.len;
		tail(&j->b, r, ITEMS, i);
		r->ipart[i] = (struct ipart){.at = base + at,
					     .head = (uint32_t)(mid - at),
					     .tail = (uint32_t)(j->b.len - mid)};
	}
	return NULL;
}

/* Every item's head and tail in r->itext, placed by r->ipart (the halves
 * are made by two threads, each in a region of its own).
 *
 * An item's parts are at most 27 bytes and twice its kept fields: a head
 * of a number (20 digits) or key, and a comma; a tail of two commas and two
 * fields, quoted at worst with every byte a quote.  The table's text holds
 * those fields (and more): a region of `bound` bytes takes every item's
 * parts, and csvb, asking room for a field's worst case, never grows. */
static int item_parts(struct rc_run *r)
{
	uint64_t n = r->g.n_items;
	size_t text = r->have[ITEMS] ? r->t[ITEMS].text_len : 0;
	size_t bound = 27 * (size_t)n + 2 * text + 64;
	/* two halves, when there are threads and items enough to split */
	int halves = r->o->threads > 1 && n >= 4096 ? 2 : 1;
	r->ipart_size = (n ? n : 1) * sizeof *r->ipart;
	r->itext_size = (size_t)halves * bound;
	r->ipart = big_alloc(r->ipart_size);
	r->itext = big_alloc(r->itext_size);
	if (!r->ipart || !r->itext)
		return GL_ENOMEM;
	struct parts_job job[2];
	for (int h = 0; h < halves; h++)
		job[h] = (struct parts_job){.r = r,
					    .from = n * (uint64_t)h / (uint64_t)halves,
					    .to = n * (uint64_t)(h + 1) / (uint64_t)halves,
					    .b = {.p = r->itext + (size_t)h * bound, .cap = bound}};
	pthread_t th;
	int started = halves == 2 && pthread_create(&th, NULL, parts_of, &job[1]) == 0;
	parts_of(&job[0]);
	if (started)
		pthread_join(th, NULL);
	else if (halves == 2)
		parts_of(&job[1]);
	for (int h = 0; h < halves; h++)
		if (job[h].b.p != r->itext + (size_t)h * bound)
			return GL_ENOMEM; /* grown past the bound: cannot happen */
	return 0;
}

/* Chunk c: the rows of users [ustart[c], ustart[c + 1]). */
static int fill_rows(void *ctx, uint64_t c, struct csvb *b)
{
	const struct rc_run *r = ctx;
	const struct glr *g = &r->g;
	const char *it = r->itext;
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
				__builtin_prefetch(r->ipart + g->items[k + 2 * RC_AHEAD]);
			if (k + RC_AHEAD < n_k) {
				const char *p = it + r->ipart[g->items[k + RC_AHEAD]].at;
				__builtin_prefetch(p);
				__builtin_prefetch(p + 64); /* a part may cross a line */
			}
			int valid = glr_bit(g->split, k);
			if ((r->o->subset == RC_TRAIN && valid) || (r->o->subset == RC_VALID && !valid))
				continue;
			const struct ipart *ip = r->ipart + g->items[k];
			csvb_add(b, ub.p, uh);
			csvb_add(b, it + ip->at, ip->head);
			csvb_gtab(b, &r->gtab, g->ratings[k]);
			csvb_add(b, ub.p + uh, ub.len - uh);
			csvb_add(b, it + ip->at + ip->head, ip->tail);
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
		/* no bigger stdio buffer: the chunks, a few hundred KB each,
		 * go from the fillers' memory to write(2) past it */
		err = write_rows(of.fp, &r);
		if (err)
			outfile_abort(&of);
		else
			err = outfile_commit(&of);
	}
	for (int side = 0; side < 2; side++)
		if (r.have[side])
			keytab_free(&r.t[side]);
	big_free(r.itext, r.itext_size);
	big_free(r.ipart, r.ipart_size);
	free(r.ustart);
	glr_close(&r.g);
	return err;
}
