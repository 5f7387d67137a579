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

/* Item i's parts of a row, in a cache line of their own: a row asks for
 * one line at random, prefetched a few rows ahead, where an index and the
 * text it points to were two dependent misses (most items' parts take a
 * few tens of bytes).  head > 0: text holds the head's head bytes and the
 * tail's tail bytes after them.  head 0: the parts were longer and are in
 * r->far[text[0]] at offset (u64 at text + 8), head (u32 at text + 2)
 * bytes, then tail (u32 at text + 6) bytes. */
#define SLOT_TEXT 62
struct islot {
	uint8_t head, tail;
	char text[SLOT_TEXT];
};
_Static_assert(sizeof(struct islot) == 64, "an item's slot is a cache line");

struct rc_run {
	const struct rc_opts *o;
	struct glr g;
	struct keytab t[2];  /* users.csv, items.csv */
	int have[2];
	int title;           /* items.csv's title slot, -1 without */
	int ml_key[2];       /* movielens: write the side's keys (all integers) */
	struct csv_gtab gtab; /* each rating byte's text */
	struct islot *slot;  /* each item's parts of a row (item_parts) */
	size_t slot_size;    /* as allocated */
	struct csvb far[2];  /* parts too long for a slot, by half */
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

/* fastai: user,item,rating,<keys>...; keys: <user key>,<item key>,rating
 * (a side without its table: its dense ids, in "user" or "item"). */
static void header(FILE *fp, const struct rc_run *r)
{
	static const char *const id[2] = {"user", "item"};
	if (r->o->format == RC_KEYS) {
		for (int side = 0; side < 2; side++) {
			csvw_str(fp, r->have[side] ? r->t[side].key_name : id[side]);
			putc(',', fp);
		}
		fputs("rating", fp);
	} else {
		fputs("user,item,rating", fp);
		for (int side = 0; side < 2; side++)
			if (r->have[side]) {
				putc(',', fp);
				csvw_str(fp, r->t[side].key_name);
			}
	}
	if (r->title >= 0)
		fputs(",title", fp);
	if (r->g.split)
		fputs(",is_valid", fp);
	putc('\n', fp);
}

/* A row is [user head][item head][rating][user tail][item tail][end]:
 *   fastai     "u," "i," rating ",<user key>" ",<item key>,<title>" [",0|1"] "\n"
 *   keys       "<user key>," "<item key>," rating "" ",<title>" [",0|1"] "\n"
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
	case RC_KEYS:
		if (r->have[side]) {
			const char *k = keytab_key(&r->t[side], id);
			csvb_field(b, k, strlen(k));
		} else {
			csvb_u64(b, id);
		}
		csvb_byte(b, ',');
		return;
	default: csvb_u64(b, id); csvb_byte(b, ',');
	}
}

static void tail(struct csvb *b, const struct rc_run *r, int side, uint64_t id)
{
	if (r->o->format != RC_FASTAI && r->o->format != RC_KEYS)
		return;
	if (r->have[side] && r->o->format == RC_FASTAI) {
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

/* Items [from, to)'s slots; parts too long for one go to far. */
struct parts_job {
	struct rc_run *r;
	uint64_t from, to;
	struct csvb *far;
	int half;
	int err;
};

static void *parts_of(void *arg)
{
	struct parts_job *j = arg;
	struct rc_run *r = j->r;
	struct csvb one = {0}; /* an item's parts */
	for (uint64_t i = j->from; i < j->to; i++) {
		struct islot *sl = r->slot + i;
		one.len = 0;
		head(&one, r, ITEMS, i);
		size_t h = one.len;
		tail(&one, r, ITEMS, i);
		if (one.err)
			break;
		if (one.len <= SLOT_TEXT) { /* head: 1 byte at least, the separator */
			sl->head = (uint8_t)h;
			sl->tail = (uint8_t)(one.len - h);
			memcpy(sl->text, one.p, one.len);
			continue;
		}
		uint64_t at = j->far->len;
		uint32_t hl = (uint32_t)h, tl = (uint32_t)(one.len - h);
		csvb_add(j->far, one.p, one.len);
		sl->head = 0;
		sl->text[0] = (char)j->half;
		memcpy(sl->text + 2, &hl, 4);
		memcpy(sl->text + 6, &tl, 4);
		memcpy(sl->text + 10, &at, 8);
	}
	csvb_room(j->far, 64); /* fill_rows reads 64 bytes from any part */
	j->err = one.err ? one.err : j->far->err;
	csvb_free(&one);
	return NULL;
}

/* Every item's slot (the halves by two threads when there are threads
 * and items enough to split: they write apart). */
static int item_parts(struct rc_run *r)
{
	uint64_t n = r->g.n_items;
	int halves = r->o->threads > 1 && n >= 4096 ? 2 : 1;
	/* from 64 KiB, at big_alloc's huge-page size: the rows read it at
	 * random, and a 2 MiB page is one TLB entry and one page fault */
	r->slot_size = (n ? n : 1) * sizeof *r->slot;
	if (r->slot_size >= ((size_t)64 << 10) && r->slot_size < BIGMEM_MIN)
		r->slot_size = BIGMEM_MIN;
	if (!(r->slot = big_alloc(r->slot_size)))
		return GL_ENOMEM;
	struct parts_job job[2];
	for (int h = 0; h < halves; h++)
		job[h] = (struct parts_job){.r = r,
					    .from = n * (uint64_t)h / (uint64_t)halves,
					    .to = n * (uint64_t)(h + 1) / (uint64_t)halves,
					    .far = &r->far[h],
					    .half = h};
	pthread_t th;
	int started = halves == 2 && pthread_create(&th, NULL, parts_of, &job[1]) == 0;
	parts_of(&job[0]);
	if (started)
		pthread_join(th, NULL);
	else if (halves == 2)
		parts_of(&job[1]);
	return job[0].err ? job[0].err : halves == 2 ? job[1].err : 0;
}

/* n bytes from s to d.  Up to 64 bytes as one copy of 64 (a few vector
 * moves, not a call to memcpy per field): d has room for 64 and s holds
 * 64 readable bytes (the bytes past n are written over next). */
static inline char *put(char *d, const char *s, size_t n)
{
	if (n <= 64)
		memcpy(d, s, 64);
	else
		memcpy(d, s, n);
	return d + n;
}

/* Chunk c: the rows of users [ustart[c], ustart[c + 1]). */
static int fill_rows(void *ctx, uint64_t c, struct csvb *b)
{
	const struct rc_run *r = ctx;
	const struct glr *g = &r->g;
	struct csvb ub = {0}; /* the user's head, then its tail */
	/* an item's slot, copied out, and 64 bytes to read past its end */
	char sl[sizeof(struct islot) + 64] = {0};
	uint64_t n_k = g->rowptr[g->n_users];
	int keyed = r->o->format == RC_FASTAI || r->o->format == RC_KEYS;
	int split = keyed && g->split, ml = r->o->format == RC_MOVIELENS;
	for (uint64_t u = r->ustart[c]; u < r->ustart[c + 1] && !b->err; u++) {
		ub.len = 0;
		head(&ub, r, USERS, u);
		size_t uh = ub.len;
		tail(&ub, r, USERS, u);
		size_t ut = ub.len - uh;
		if (!csvb_room(&ub, 64)) /* put reads 64 bytes from its parts */
			break;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			/* items come at random: ask the cache for the slot of the
			 * item a few rows on */
			if (k + RC_AHEAD < n_k)
				__builtin_prefetch(r->slot + g->items[k + RC_AHEAD]);
			int valid = glr_bit(g->split, k);
			if ((r->o->subset == RC_TRAIN && valid) || (r->o->subset == RC_VALID && !valid))
				continue;
			memcpy(sl, r->slot + g->items[k], sizeof(struct islot));
			const char *ih = sl + 2;
			size_t hl = (unsigned char)sl[0], tl = (unsigned char)sl[1];
			if (!hl) {
				uint32_t h32, t32;
				uint64_t at;
				memcpy(&h32, sl + 2 + 2, 4);
				memcpy(&t32, sl + 2 + 6, 4);
				memcpy(&at, sl + 2 + 10, 8);
				ih = r->far[(unsigned char)sl[2]].p + at;
				hl = h32;
				tl = t32;
			}
			/* a row, and put's 64 bytes past its last part */
			char *d = csvb_room(b, uh + ut + hl + tl + 16 + 24 + 64);
			if (!d)
				break;
			d = put(d, ub.p, uh);
			d = put(d, ih, hl);
			uint8_t v = g->ratings[k];
			memcpy(d, r->gtab.s[v], 16);
			d += r->gtab.len[v];
			d = put(d, ub.p + uh, ut);
			d = put(d, ih + hl, tl);
			if (ml) {
				*d++ = ',';
				d += csv_u64(d, g->times ? g->times[k] : 0);
			} else if (split) {
				memcpy(d, valid ? ",1" : ",0", 2);
				d += 2;
			}
			*d++ = '\n';
			b->len = (size_t)(d - b->p);
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
	if (r->o->format == RC_FASTAI || r->o->format == RC_KEYS)
		header(fp, r);
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
	big_free(r.slot, r.slot_size);
	csvb_free(&r.far[0]);
	csvb_free(&r.far[1]);
	free(r.ustart);
	glr_close(&r.g);
	return err;
}
